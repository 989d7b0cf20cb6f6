/* antenna-cli-decode.c: antenna-cli decode, one payload through the decoders
 *
 * Reads one payload from a file or standard input (as "pub -f" and
 * "pub --stdin" read theirs), decodes it as the app would (the core's
 * decoders: antenna-cli-decoding.h) and prints the value as JSON, the
 * Protocol Buffers JSON mapping antenna-value.h writes, which jq reads. A
 * payload that is not in its format: the core's sentence (which says at
 * which byte) and exit status 8, so that a pipeline can tell it from a
 * file that cannot be read (1) or a wrong option (2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "antenna-cli-commands.h"
#include "antenna-cli-decoding.h"
#include "antenna-cli-options.h"
#include "antenna-cli-report.h"
#include "antenna-cli-store.h"
#include "antenna-error.h"
#include "antenna-profile-store.h"

static int
print_decoded (AntennaDecoded *decoded,
               gboolean        pretty)
{
  const char * const *notes = antenna_decoded_get_notes (decoded);
  g_autofree char *json = antenna_value_to_json (antenna_decoded_get_value (decoded), pretty);

  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    antenna_cli_warn ("%s", notes[i]);
  antenna_cli_note (_("Decoded as %s."), antenna_decoded_get_description (decoded));

  if (fputs (json, stdout) == EOF || putc ('\n', stdout) == EOF || fflush (stdout) != 0)
    return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_FAILED, _("Could not write the messages: %s."),
                                    g_strerror (errno));
  return ANTENNA_CLI_STATUS_OK;
}

int
antenna_cli_decode (int    argc,
                    char **argv)
{
  AntennaCliDecodeOptions options = { NULL, };
  g_autofree char *profile_name = NULL;
  g_autofree char *topic = NULL;
  g_auto(GStrv) arguments = NULL;
  gboolean pretty = FALSE;
  gboolean verbose = FALSE;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.decode,
      N_("Decode as auto (the connection’s decoder rules, then JSON, text or hex, as the app does) or with one decoder: text, json, hex, base64, msgpack, cbor, gzip, zlib, protobuf, sparkplug"), N_("DECODER") },
    { "decode", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &options.decode, NULL, NULL },
    { "topic", 't', 0, G_OPTION_ARG_STRING, &topic,
      N_("The topic the payload came on, for the decoder rules and Sparkplug’s namespace"), N_("TOPIC") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile_name,
      N_("A connection saved in Antenna, whose decoder rules and .proto files to use"), N_("NAME") },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty,
      N_("Indent the JSON"), NULL },
    { "verbose", 0, 0, G_OPTION_ARG_NONE, &verbose,
      N_("Say what is done on standard error"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &arguments, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaProfileStore) store = NULL;
  g_autoptr(AntennaCliDecoding) decoding = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(AntennaDecoded) decoded = NULL;
  AntennaProfile *profile = NULL;
  const char *path = "-";
  int status;

  context = antenna_cli_option_context_new (_("[FILE|-]"),
                                            _("Decodes one payload, from FILE or standard input (-, the "
                                              "default), as the app would show it, and prints it as JSON."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  antenna_cli_decode_options_add (&options, context);

  if (!antenna_cli_option_context_parse (context, &argc, &argv, &error))
    goto out;
  antenna_cli_set_verbose (verbose);

  if (arguments != NULL && arguments[0] != NULL)
    {
      if (arguments[1] != NULL)
        {
          g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("Give one file to decode, or - for standard input."));
          goto out;
        }
      path = arguments[0];
    }
  if (options.decode == NULL && options.message_type != NULL)
    options.decode = g_strdup (ANTENNA_DECODER_PROTOBUF);

  if (profile_name != NULL)
    {
      store = antenna_cli_store_open (&error);
      if (store == NULL)
        goto out;
      profile = antenna_cli_store_find (store, profile_name, &error);
      if (profile == NULL)
        goto out;
    }

  decoding = antenna_cli_decoding_new (&options, profile, &error);
  if (decoding == NULL)
    goto out;

  payload = g_str_equal (path, "-") ? antenna_cli_read_stdin (&error) : antenna_cli_load_file (path, &error);
  if (payload == NULL)
    goto out;

  decoded = antenna_cli_decoding_decode (decoding, topic, payload, NULL, &error);
  if (decoded == NULL)
    {
      status = g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD)
               ? antenna_cli_fail (ANTENNA_CLI_STATUS_UNDECODABLE, error)
               : antenna_cli_fail_error (error);
      antenna_cli_decode_options_clear (&options);
      return status;
    }

  status = print_decoded (decoded, pretty);
  antenna_cli_decode_options_clear (&options);
  return status;

out:
  antenna_cli_decode_options_clear (&options);
  return antenna_cli_fail_error (error);
}
