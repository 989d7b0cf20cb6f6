/* antenna-cloud-preset.h: a new profile for a cloud's MQTT service
 *
 * AWS IoT Core, Azure IoT Hub, HiveMQ Cloud and EMQX Cloud each want their
 * own host, port, transport, client id, user name and credentials. An
 * AntennaCloudPreset holds what the person must supply (its properties,
 * checked one by one as they type), says what each is and where to find it,
 * and fills a new AntennaProfile from them. The secrets (the Azure device
 * key, the passphrase of the AWS private key, the HiveMQ/EMQX password) are
 * checked here but never kept: the caller stores them in the keyring
 * (AntennaSecretStore) under the profile's id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CLOUD_PRESET (antenna_cloud_preset_get_type ())

G_DECLARE_FINAL_TYPE (AntennaCloudPreset, antenna_cloud_preset, ANTENNA, CLOUD_PRESET, GObject)

/* What a cloud asks for; which ones a preset needs: antenna_cloud_preset_needs(). */
typedef enum {
  ANTENNA_CLOUD_FIELD_HOST,            /* AWS device data endpoint, HiveMQ/EMQX cluster address */
  ANTENNA_CLOUD_FIELD_HUB_NAME,        /* Azure: "myhub" or "myhub.azure-devices.net" */
  ANTENNA_CLOUD_FIELD_DEVICE_ID,       /* AWS thing name, Azure device id, else the client id */
  ANTENNA_CLOUD_FIELD_DEVICE_KEY,      /* Azure: the device's primary or secondary key (secret) */
  ANTENNA_CLOUD_FIELD_CERT_FILE,       /* AWS: the thing's certificate */
  ANTENNA_CLOUD_FIELD_KEY_FILE,        /* AWS: its private key */
  ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE,  /* AWS: the key's passphrase, if it is encrypted (secret) */
  ANTENNA_CLOUD_FIELD_CA_FILE,         /* AWS: Amazon Root CA 1 */
  ANTENNA_CLOUD_FIELD_USERNAME,        /* HiveMQ, EMQX */
  ANTENNA_CLOUD_FIELD_PASSWORD,        /* HiveMQ, EMQX (secret) */
  ANTENNA_CLOUD_N_FIELDS,
} AntennaCloudField;

/* Every cloud, in the order a chooser lists them. */
const AntennaCloud *antenna_cloud_list                     (guint              *n_clouds);
/* "AWS IoT Core"; a sentence on how it authenticates and what to have at hand;
 * the short name of the alternate way in ("Port 443 (ALPN)"), with a sentence
 * on when to choose it. */
const char         *antenna_cloud_get_name                 (AntennaCloud        cloud);
const char         *antenna_cloud_get_description          (AntennaCloud        cloud);
const char         *antenna_cloud_get_alternate_title      (AntennaCloud        cloud);
const char         *antenna_cloud_get_alternate_description (AntennaCloud       cloud);

/* Properties (strings never NULL): cloud (construct-only), host, hub-name,
 * device-id, cert-file, key-file, ca-file, username, use-alternate (AWS: 443
 * with ALPN x-amzn-mqtt-ca instead of 8883; Azure: WebSocket on 443; HiveMQ:
 * WebSocket on 8884; EMQX: WebSocket on 8084). */
AntennaCloudPreset *antenna_cloud_preset_new               (AntennaCloud        cloud);
AntennaCloud        antenna_cloud_preset_get_cloud         (AntennaCloudPreset *self);

/* Whether the preset shows @field, and whether it must be filled. */
gboolean            antenna_cloud_preset_needs             (AntennaCloudPreset *self,
                                                            AntennaCloudField   field);
gboolean            antenna_cloud_preset_requires          (AntennaCloudPreset *self,
                                                            AntennaCloudField   field);
/* The field's title ("Device Key") and a sentence: what it is, where to
 * find it. */
const char         *antenna_cloud_preset_get_title         (AntennaCloudPreset *self,
                                                            AntennaCloudField   field);
const char         *antenna_cloud_preset_get_hint          (AntennaCloudPreset *self,
                                                            AntennaCloudField   field);
/* Checks @value for @field as the person types it (ANTENNA_ERROR_INVALID_ARGUMENT
 * with a sentence on what to change); "" is an error only for a required
 * field. For the properties, @value NULL checks the property's value. The
 * passphrase is checked against the key file (encrypted or not). */
gboolean            antenna_cloud_preset_check             (AntennaCloudPreset *self,
                                                            AntennaCloudField   field,
                                                            const char         *value,
                                                            GError            **error);

/* A new profile from the properties (each checked first): host, port,
 * transport, WebSocket path, MQTT version, TLS files and ALPN, client id,
 * user name, the Azure SAS token, keep-alive, clean start, the profile's
 * subscriptions (Azure: cloud-to-device messages). */
AntennaProfile     *antenna_cloud_preset_create_profile    (AntennaCloudPreset *self,
                                                            GError            **error);
/* Where the device sends its messages (Azure's device-to-cloud topic,
 * "devices/{device}/messages/events/"), for the publishing topic; NULL when
 * the cloud has no fixed one. */
char               *antenna_cloud_preset_dup_publish_topic (AntennaCloudPreset *self);

G_END_DECLS
