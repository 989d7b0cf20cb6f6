/* antenna-profile-store.h: the saved profiles, as a GListModel of AntennaProfile
 *
 * Saved as JSON in g_get_user_config_dir()/antenna/profiles.json (mode 0600,
 * directory 0700), written atomically, as
 * {"format": "antenna-profiles", "version": 1, "profiles": [...]} (an export
 * file has the same form). A file that cannot be read, or that a newer
 * Antenna wrote, is renamed aside (profiles.json.bad-<timestamp>) and never
 * overwritten; the profiles that could be read are kept and saved anew.
 * Removing a profile does not clear its password: the app does that with
 * AntennaSecretStore.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"
#include "antenna-template-store.h"

G_BEGIN_DECLS

/* The newest version of the file format this Antenna reads (and writes, when
 * a profile needs it). */
#define ANTENNA_PROFILE_STORE_VERSION 2

#define ANTENNA_TYPE_PROFILE_STORE (antenna_profile_store_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfileStore, antenna_profile_store, ANTENNA, PROFILE_STORE, GObject)

/* @path: the file; NULL for the default under the user config dir. */
AntennaProfileStore *antenna_profile_store_new             (const char           *path);
const char          *antenna_profile_store_get_path        (AntennaProfileStore  *self);
/* Loads the file (a missing file is an empty store). Returns FALSE with an
 * error (ANTENNA_ERROR_PROFILE_CORRUPT or _NEWER_VERSION) when the file was
 * set aside; *@moved_to then names where it went. The profiles that could be
 * read are in the store either way. */
gboolean             antenna_profile_store_load            (AntennaProfileStore  *self,
                                                            char                **moved_to,
                                                            GError              **error);
/* Writes every profile: temporary file, fsync, rename. */
gboolean             antenna_profile_store_save            (AntennaProfileStore  *self,
                                                            GError              **error);
/* Saves whenever a profile or the list changes (coalesced to one write per
 * main loop iteration; a pending write is done at dispose). Errors go to
 * ::save-failed (GError *). Also the "autosave" property. */
void                 antenna_profile_store_set_autosave    (AntennaProfileStore  *self,
                                                            gboolean              autosave);

/* Adds @profile (its name made unique with " (2)", " (3)"…). */
void                 antenna_profile_store_add             (AntennaProfileStore  *self,
                                                            AntennaProfile       *profile);
void                 antenna_profile_store_remove          (AntennaProfileStore  *self,
                                                            AntennaProfile       *profile);
/* (transfer none) (nullable) */
AntennaProfile      *antenna_profile_store_find            (AntennaProfileStore  *self,
                                                            const char           *id);
/* A copy with a new id and a unique name, added to the store. (transfer none):
 * the store owns it. The password is not copied (antenna_secret_store_copy_async). */
AntennaProfile      *antenna_profile_store_duplicate       (AntennaProfileStore  *self,
                                                            AntennaProfile       *profile);
/* "Name", or "Name (2)"… so that no other profile (but @except) has it. */
char                *antenna_profile_store_make_unique_name (AntennaProfileStore *self,
                                                            const char           *name,
                                                            AntennaProfile       *except);

/* Export @profiles (NULL: all) to @file, without secrets. */
gboolean             antenna_profile_store_export          (AntennaProfileStore  *self,
                                                            GPtrArray            *profiles,
                                                            GFile                *file,
                                                            GError              **error);
/* Import profiles from @file (new ids on conflict, unique names). Returns the
 * imported profiles (already added), or NULL with an error for a file that is
 * not an Antenna export; the store is untouched then. */
GPtrArray           *antenna_profile_store_import          (AntennaProfileStore  *self,
                                                            GFile                *file,
                                                            GError              **error);

/* Like antenna_profile_store_export(), and the publish templates of the
 * exported profiles from @templates (NULL: none) in a "templates" member. */
gboolean             antenna_profile_store_export_full     (AntennaProfileStore  *self,
                                                            GPtrArray            *profiles,
                                                            AntennaTemplateStore *templates,
                                                            GFile                *file,
                                                            GError              **error);
/* Like antenna_profile_store_import(); the file's templates (if any) are
 * added to @templates (may be NULL) for the imported profiles, under the ids
 * they got here. Templates that cannot be read are left out. */
GPtrArray           *antenna_profile_store_import_full     (AntennaProfileStore  *self,
                                                            GFile                *file,
                                                            AntennaTemplateStore *templates,
                                                            GError              **error);

G_END_DECLS
