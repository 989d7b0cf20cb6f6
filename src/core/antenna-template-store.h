/* antenna-template-store.h: saved publish templates, per connection profile
 *
 * The store is a GListModel of AntennaTemplate (antenna-template.h) saved as
 * JSON beside the profiles, in g_get_user_config_dir()/antenna/templates.json
 * (0600, atomically, {"format": "antenna-templates", "version": 1,
 * "templates": [...]}); a file that cannot be read is set aside like the
 * profiles' file.
 * Templates hold no secret, so nothing goes to the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "antenna-types.h"
#include "antenna-enums.h"
#include "antenna-template.h"

G_BEGIN_DECLS

#define ANTENNA_TEMPLATE_STORE_VERSION 1

#define ANTENNA_TYPE_TEMPLATE_STORE (antenna_template_store_get_type ())

G_DECLARE_FINAL_TYPE (AntennaTemplateStore, antenna_template_store, ANTENNA, TEMPLATE_STORE, GObject)

/* @path: the file; NULL for the default under the user config dir. */
AntennaTemplateStore *antenna_template_store_new          (const char            *path);
/* The store of the default file, loaded on first use (a file set aside is
 * reported with g_debug only: the templates' loss is not worth a dialog). */
AntennaTemplateStore *antenna_template_store_get_default  (void);
const char           *antenna_template_store_get_path     (AntennaTemplateStore  *self);
/* Like antenna_profile_store_load(). */
gboolean              antenna_template_store_load         (AntennaTemplateStore  *self,
                                                           char                 **moved_to,
                                                           GError               **error);
gboolean              antenna_template_store_save         (AntennaTemplateStore  *self,
                                                           GError               **error);
/* Save after every change (coalesced; errors to ::save-failed (GError *)). */
void                  antenna_template_store_set_autosave (AntennaTemplateStore  *self,
                                                           gboolean               autosave);
/* Adds @template; its name must be unique among the templates of its
 * profile (else ANTENNA_ERROR_INVALID_ARGUMENT), its payload at most
 * ANTENNA_TEMPLATE_MAX_PAYLOAD (else ANTENNA_ERROR_PAYLOAD_TOO_LARGE). */
gboolean              antenna_template_store_add          (AntennaTemplateStore  *self,
                                                           AntennaTemplate       *template,
                                                           GError               **error);
void                  antenna_template_store_remove       (AntennaTemplateStore  *self,
                                                           AntennaTemplate       *template);
gboolean              antenna_template_store_rename       (AntennaTemplateStore  *self,
                                                           AntennaTemplate       *template,
                                                           const char            *name,
                                                           GError               **error);
/* (transfer none) (nullable) */
AntennaTemplate      *antenna_template_store_find         (AntennaTemplateStore  *self,
                                                           const char            *profile_id,
                                                           const char            *name);
/* (transfer full): a GListModel of the templates of @profile_id, kept up
 * to date with the store. */
GListModel           *antenna_template_store_list_for_profile (AntennaTemplateStore *self,
                                                           const char            *profile_id);

/* For the profile export: the templates of the profiles in @profile_ids (NULL:
 * all) as a JSON array, and back: each template of @array whose profile id is a
 * key of @id_map is added for the profile id it maps to (names made unique).
 * Returns the number added, or -1 with @error when @array is not one of ours. */
JsonNode             *antenna_template_store_to_json      (AntennaTemplateStore  *self,
                                                           GHashTable            *profile_ids);
int                   antenna_template_store_import_json  (AntennaTemplateStore  *self,
                                                           JsonNode              *array,
                                                           GHashTable            *id_map,
                                                           GError               **error);

G_END_DECLS
