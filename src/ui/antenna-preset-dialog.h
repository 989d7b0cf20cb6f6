/* antenna-preset-dialog.h: the first step of a new connection: which cloud
 *
 * Lists AWS IoT Core, Azure IoT Hub, HiveMQ Cloud, EMQX Cloud and "another
 * broker"; for a cloud, asks what that cloud needs (checked as it is typed,
 * antenna-cloud-preset.h) and makes the profile. It saves nothing: the
 * caller opens the profile in the editor (a new profile, not in the store),
 * and stores the secrets the person typed in the keyring once saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PRESET_DIALOG (antenna_preset_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPresetDialog, antenna_preset_dialog, ANTENNA, PRESET_DIALOG, AdwWindow)

/* Signal: done (AntennaProfile *profile): the person chose "another broker"
 * (a profile with the defaults) or filled a cloud's fields; the dialog closes
 * after it. During the emission the getters below give the secrets typed
 * (NULL when none), to be stored under the profile's id once it is saved:
 * the password (HiveMQ, EMQX; for Azure the device key, with the profile's
 * auth-method AZURE_SAS) as ANTENNA_SECRET_PASSWORD, the key passphrase
 * (AWS) as ANTENNA_SECRET_KEY_PASSPHRASE. */
AntennaPresetDialog *antenna_preset_dialog_new                (GtkWindow           *parent);
const char          *antenna_preset_dialog_get_password       (AntennaPresetDialog *self);
const char          *antenna_preset_dialog_get_key_passphrase (AntennaPresetDialog *self);
/* Where the cloud wants the device's messages (Azure's device-to-cloud
 * topic), for the publishing topic; NULL when it has no fixed one. */
const char          *antenna_preset_dialog_get_publish_topic  (AntennaPresetDialog *self);

/* The entry point: shows the chooser over @parent and calls @callback from
 * ::done, with the secrets (NULL when none), which are wiped after it returns.
 * Nothing is called when the person closes it. */
typedef void (*AntennaPresetDialogCallback) (AntennaProfile *profile,
                                             const char     *password,
                                             const char     *key_passphrase,
                                             const char     *publish_topic,
                                             gpointer        user_data);

AntennaPresetDialog *antenna_preset_dialog_choose             (GtkWindow                   *parent,
                                                               AntennaPresetDialogCallback  callback,
                                                               gpointer                     user_data,
                                                               GDestroyNotify               destroy);

G_END_DECLS
