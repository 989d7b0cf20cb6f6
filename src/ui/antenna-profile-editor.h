/* antenna-profile-editor.h: the window that creates or edits a connection profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_EDITOR (antenna_profile_editor_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfileEditor, antenna_profile_editor, ANTENNA, PROFILE_EDITOR, AdwWindow)

/* Edits a copy of @profile and writes it back on Save. @profile in @store:
 * edits it; NULL: a new profile with the defaults; any other profile (a
 * preset): a new profile prefilled with its values, added on Save only.
 *
 * Properties: profile (read-only: the copy being edited, which the groups of
 * settings bind to). Actions: editor.show-toast (s), for the groups;
 * editor.use-mqtt-3-1-1 (the button of a test refused for MQTT 5: tests
 * again with 3.1.1). Signals: saved (AntennaProfile *profile): the profile
 * is in the store and saved, and its secrets stored in (or cleared from)
 * the keyring; the editor closes. */
AntennaProfileEditor *antenna_profile_editor_new         (GtkWindow            *parent,
                                                          AntennaProfileStore  *store,
                                                          AntennaSecretStore   *secrets,
                                                          AntennaProfile       *profile);
/* The copy being edited, with the values as typed. */
AntennaProfile       *antenna_profile_editor_get_profile (AntennaProfileEditor *self);
/* A secret typed before the editor opened (the new-connection chooser's
 * password, device key or key passphrase): shown in its row, and stored in
 * the keyring under the profile's id on Save, as if typed there. */
void                  antenna_profile_editor_set_secret  (AntennaProfileEditor *self,
                                                          AntennaSecretKind     kind,
                                                          const char           *secret);
/* Whether every field is valid (Save is sensitive). */
gboolean              antenna_profile_editor_is_valid    (AntennaProfileEditor *self);

G_END_DECLS
