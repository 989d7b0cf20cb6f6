/* antenna-sas-token.h: Azure IoT Hub shared access signatures
 *
 * A device that authenticates with a symmetric key sends, as its MQTT
 * password, a token signed with that key:
 *   SharedAccessSignature sr={URL-encoded resource URI}
 *     &sig={URL-encoded Base64 (HMAC-SHA256 (key, "{URL-encoded resource URI}\n{expiry}"))}
 *     &se={expiry}
 * with the key Base64-decoded and the expiry in seconds since the epoch,
 * URL-encoded as Python's urllib.parse.quote_plus() does (Microsoft's own
 * example in "Control access to IoT Hub with SAS tokens").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "{host}/devices/{device id}": what a device token is for. */
char     *antenna_sas_token_resource_uri (const char  *host,
                                          const char  *device_id);
/* Whether @key is a device key: Base64 of at least 16 bytes, as the Azure
 * portal shows it. The error says what to paste instead. */
gboolean  antenna_sas_token_check_key    (const char  *key,
                                          GError     **error);
/* The token for @resource_uri, valid until @expiry (seconds since the
 * epoch), signed with the Base64 device @key. NULL with the error of
 * antenna_sas_token_check_key() for a key that is not one. */
char     *antenna_sas_token_new          (const char  *resource_uri,
                                          const char  *key,
                                          gint64       expiry,
                                          GError     **error);

G_END_DECLS
