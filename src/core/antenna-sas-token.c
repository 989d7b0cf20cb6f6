/* antenna-sas-token.c: Azure IoT Hub shared access signatures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-sas-token"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "antenna-error.h"
#include "antenna-sas-token.h"

#define MIN_KEY_BYTES 16

/* As urllib.parse.quote_plus(): every byte but ALPHA, DIGIT and "-._~"
 * as %XX (upper-case hex), a space as "+". */
static char *
quote_plus (const char *text)
{
  g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);
  g_auto(GStrv) parts = g_strsplit (escaped, "%20", -1);

  return g_strjoinv ("+", parts);
}

char *
antenna_sas_token_resource_uri (const char *host,
                                const char *device_id)
{
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  return g_strdup_printf ("%s/devices/%s", host, device_id);
}

/* The key's bytes, or NULL. g_base64_decode() skips what is not Base64:
 * check the alphabet and the padding first. */
static guchar *
decode_key (const char *key,
            gsize      *len)
{
  gsize n = strlen (key);
  gsize padding = 0;

  if (n == 0 || n % 4 != 0)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      char c = key[i];

      if (c == '=')
        {
          padding++;
          continue;
        }
      if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return NULL;
    }
  if (padding > 2)
    return NULL;

  return g_base64_decode (key, len);
}

gboolean
antenna_sas_token_check_key (const char  *key,
                             GError     **error)
{
  g_autofree guchar *bytes = NULL;
  gsize len = 0;

  g_return_val_if_fail (key != NULL, FALSE);

  bytes = decode_key (key, &len);
  if (bytes == NULL || len < MIN_KEY_BYTES)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                           _("This is not a device key. Paste the device’s primary or secondary key "
                             "from the Azure portal (Base64, like “q1w2…=”), not a connection string "
                             "or a SAS token."));
      if (bytes != NULL)
        memset (bytes, 0, len);
      return FALSE;
    }

  memset (bytes, 0, len);
  return TRUE;
}

char *
antenna_sas_token_new (const char  *resource_uri,
                       const char  *key,
                       gint64       expiry,
                       GError     **error)
{
  g_autofree guchar *key_bytes = NULL;
  g_autofree char *encoded_uri = NULL;
  g_autofree char *to_sign = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *encoded_signature = NULL;
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize key_len = 0;

  g_return_val_if_fail (resource_uri != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!antenna_sas_token_check_key (key, error))
    return NULL;
  key_bytes = decode_key (key, &key_len);

  encoded_uri = quote_plus (resource_uri);
  to_sign = g_strdup_printf ("%s\n%" G_GINT64_FORMAT, encoded_uri, expiry);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key_bytes, key_len);
  memset (key_bytes, 0, key_len);
  g_hmac_update (hmac, (const guchar *) to_sign, strlen (to_sign));
  g_hmac_get_digest (hmac, digest, &digest_len);

  signature = g_base64_encode (digest, digest_len);
  encoded_signature = quote_plus (signature);

  return g_strdup_printf ("SharedAccessSignature sr=%s&sig=%s&se=%" G_GINT64_FORMAT,
                          encoded_uri, encoded_signature, expiry);
}
