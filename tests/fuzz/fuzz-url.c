/* fuzz-url.c: libFuzzer harness for profiles made from an address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "antenna-error.h"
#include "antenna-profile.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* g_uri_peek_scheme() interns every scheme it sees, and GLib's quark table
 * never frees the arrays it outgrows: thousands of random schemes look like
 * a leak to LeakSanitizer. The first byte picks a scheme from a few; raw
 * input keeps a scheme of at most one character. */
static const char *const schemes[] = {
  "mqtt://", "mqtts://", "ws://", "wss://", "MQTT://", "http://", "tcp://", "",
};

static gboolean
has_long_scheme (const char *uri)
{
  const char *colon = strchr (uri, ':');

  return colon != NULL && colon - uri > 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaProfile) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy_node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *copy_text = NULL;
  g_autofree char *display = NULL;
  g_autofree char *server_uri = NULL;
  g_autofree char *password = NULL;

  if (size < 1)
    return 0;

  /* An address is a C string: it stops at the first NUL. */
  {
    g_autofree char *rest = g_strndup ((const char *) data + 1, size - 1);

    uri = g_strconcat (schemes[data[0] % G_N_ELEMENTS (schemes)], rest, NULL);
  }
  if (data[0] % G_N_ELEMENTS (schemes) == G_N_ELEMENTS (schemes) - 1 && has_long_scheme (uri))
    return 0;

  profile = antenna_profile_new_from_uri_with_password (uri, &password, &error);

  g_assert ((profile == NULL) != (error == NULL));
  if (profile == NULL)
    {
      g_assert (g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL));
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert (antenna_profile_get_host (profile) != NULL);
  g_assert (antenna_profile_get_host (profile)[0] != '\0');
  g_assert (antenna_profile_get_port (profile) >= 1);
  g_assert (antenna_profile_get_port (profile) <= 65535);
  g_assert (antenna_profile_get_name (profile) != NULL);

  display = antenna_profile_dup_display_address (profile);
  server_uri = antenna_profile_dup_server_uri (profile);
  g_assert (display != NULL);
  g_assert (server_uri != NULL);

  /* What is saved reads back the same. */
  node = antenna_profile_to_json (profile);
  text = to_text (node);
  copy = antenna_profile_new_from_json (node, &error);
  g_assert_no_error (error);
  copy_node = antenna_profile_to_json (copy);
  copy_text = to_text (copy_node);
  g_assert_cmpstr (text, ==, copy_text);

  return 0;
}
