/* antenna-cli-capture.c: antenna-cli export, a capture file as CSV or JSON Lines
 *
 * antenna-cli replay, a capture published again into a broker.
 * (antenna-cli record is antenna-cli sub into a capture: antenna-cli-sub.c.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>

#include "antenna-capture-export.h"
#include "antenna-capture-reader.h"
#include "antenna-capture-replay.h"
#include "antenna-cli-commands.h"
#include "antenna-cli-connection.h"
#include "antenna-cli-options.h"
#include "antenna-cli-password.h"
#include "antenna-cli-report.h"
#include "antenna-client.h"
#include "antenna-profile.h"

static gboolean
parse_time (const char  *text,
            const char  *option,
            gint64      *usec,
            GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, utc);

  if (time == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a time in ISO 8601 (2026-12-06T10:00:00Z)."), option, text);
      return FALSE;
    }
  *usec = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

int
antenna_cli_export (int    argc,
                    char **argv)
{
  g_autofree char *format_text = NULL;
  g_autofree char *output_path = NULL;
  g_autofree char *topic_filter = NULL;
  g_autofree char *payload_text = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      N_("csv (RFC 4180) or jsonl (JSON Lines, with the MQTT 5 properties) (csv)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      N_("The file to write (standard output when not given)"), N_("FILE") },
    { "topic", 't', 0, G_OPTION_ARG_STRING, &topic_filter,
      N_("Only the messages whose topic matches this filter"), N_("FILTER") },
    { "grep", 0, 0, G_OPTION_ARG_STRING, &payload_text,
      N_("Only the messages whose payload contains this text"), N_("TEXT") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Only the messages from this time on (ISO 8601)"), N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("Only the messages up to this time (ISO 8601)"), N_("TIME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCaptureReader) reader = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  AntennaCaptureFormat format = ANTENNA_CAPTURE_FORMAT_CSV;
  AntennaCaptureQuery query;

  antenna_capture_query_init (&query);
  context = antenna_cli_option_context_new (_("CAPTURE"),
                                            _("Writes the messages of a capture file (made by Antenna or "
                                              "“antenna-cli record”) as CSV or JSON Lines, in time order."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!antenna_cli_option_context_parse (context, &argc, &argv, &error))
    goto out;

  if (argc != 2)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give one capture file to export."));
      goto out;
    }
  if (format_text != NULL && !antenna_capture_format_parse (format_text, &format))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an export format: csv or jsonl."), format_text);
      goto out;
    }
  if ((from_text != NULL && !parse_time (from_text, "--from", &query.time_from, &error)) ||
      (to_text != NULL && !parse_time (to_text, "--to", &query.time_to, &error)))
    goto out;
  query.topic_filter = topic_filter;
  query.payload_text = payload_text;

  reader = antenna_capture_reader_open (argv[1], &error);
  if (reader == NULL)
    return antenna_cli_fail (ANTENNA_CLI_STATUS_FAILED, error);

  if (output_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output_path);
      GFileOutputStream *file_out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);

      if (file_out == NULL)
        return antenna_cli_fail (ANTENNA_CLI_STATUS_FAILED, error);
      out = G_OUTPUT_STREAM (file_out);
    }
  else
    out = g_unix_output_stream_new (fileno (stdout), FALSE);
  buffered = g_buffered_output_stream_new_sized (out, 256 * 1024);

  if (!antenna_capture_export (reader, &query, format, buffered, NULL, NULL, NULL, &error) ||
      !g_output_stream_close (buffered, NULL, &error))
    return antenna_cli_fail (ANTENNA_CLI_STATUS_FAILED, error);

  return ANTENNA_CLI_STATUS_OK;

out:
  return antenna_cli_fail_error (error);
}

/* Asks on the terminal; FALSE for anything but yes. */
static gboolean
confirm (const char *question)
{
  char answer[16] = "";

  fprintf (stderr, "%s ", question);
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  /* TRANSLATORS: the answers that mean yes, "y" or "yes" in English */
  return g_ascii_strcasecmp (answer, "y") == 0 || g_ascii_strcasecmp (answer, "yes") == 0 ||
         g_strcmp0 (answer, C_("answer", "y")) == 0 || g_strcmp0 (answer, C_("answer", "yes")) == 0;
}

int
antenna_cli_replay (int    argc,
                    char **argv)
{
  AntennaCliConnectionOptions options;
  g_autofree char *topic_filter = NULL;
  g_autofree char *rewrite = NULL;
  double speed = 1.0;
  gboolean fastest = FALSE;
  gboolean clear_retain = FALSE;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("How many times faster than recorded (1: at the recorded pace)"), N_("N") },
    { "fastest", 0, 0, G_OPTION_ARG_NONE, &fastest,
      N_("As fast as the broker takes them"), NULL },
    { "topic", 't', 0, G_OPTION_ARG_STRING, &topic_filter,
      N_("Only the messages whose topic matches this filter"), N_("FILTER") },
    { "rewrite", 0, 0, G_OPTION_ARG_STRING, &rewrite,
      N_("Publish topics that start with FROM under TO instead"), N_("FROM=TO") },
    { "clear-retain", 0, 0, G_OPTION_ARG_NONE, &clear_retain,
      N_("Publish every message with the retain flag off"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
      N_("Do not ask before publishing"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaCliPassword) password = NULL;
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaCaptureReplay) replay = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *capture_path = NULL;
  g_autofree char *broker = NULL;
  AntennaCaptureQuery query;
  AntennaCliStatus status;
  gboolean from_store;
  gint64 total;

  antenna_cli_connection_options_init (&options);
  context = antenna_cli_option_context_new (_("CAPTURE [URL]"),
                                            _("Publishes the messages of a capture file again, in the "
                                              "order recorded, with their QoS, retain flag and MQTT 5 "
                                              "properties. Where to: a connection saved in Antenna "
                                              "(--profile NAME), a URL (mqtt://, mqtts://, ws://, wss://), "
                                              "or -h and -p. It asks first, naming the broker."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  antenna_cli_connection_options_add (&options, context);
  if (!antenna_cli_option_context_parse (context, &argc, &argv, &error))
    goto out;
  antenna_cli_set_verbose (options.verbose);

  /* The capture is the first argument; a URL may follow. */
  if (options.arguments == NULL || options.arguments[0] == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give the capture file to replay."));
      goto out;
    }
  capture_path = g_strdup (options.arguments[0]);
  {
    char **rest = g_strdupv (options.arguments + 1);

    g_strfreev (options.arguments);
    options.arguments = rest;
  }
  if (speed <= 0)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--speed must be more than 0 (--fastest: as fast as the broker takes them)."));
      goto out;
    }
  if (rewrite != NULL && strchr (rewrite, '=') == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--rewrite takes FROM=TO, e.g. plant/=test/plant/."));
      goto out;
    }

  profile = antenna_cli_connection_make_profile (&options, &from_store, &error);
  if (profile == NULL)
    goto out;
  broker = g_strdup_printf ("%s:%u", antenna_profile_get_host (profile), antenna_profile_get_port (profile));

  client = antenna_client_new (profile);
  replay = antenna_capture_replay_new (capture_path, client, &error);
  if (replay == NULL)
    {
      antenna_cli_connection_options_clear (&options);
      return antenna_cli_fail (ANTENNA_CLI_STATUS_FAILED, error);
    }
  antenna_capture_query_init (&query);
  query.topic_filter = topic_filter;
  antenna_capture_replay_set_query (replay, &query);
  antenna_capture_replay_set_speed (replay, fastest ? 0 : speed);
  antenna_capture_replay_set_clear_retain (replay, clear_retain);
  if (rewrite != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (rewrite, "=", 2);

      antenna_capture_replay_set_rewrite (replay, parts[0], parts[1]);
    }
  total = antenna_capture_replay_get_n_total (replay, &error);
  if (total < 0)
    {
      antenna_cli_connection_options_clear (&options);
      return antenna_cli_fail (ANTENNA_CLI_STATUS_FAILED, error);
    }

  /* Never into a broker nobody chose: it is named, and asked for. */
  if (!yes)
    {
      g_autofree char *question = g_strdup_printf (_("Publish %lld messages from “%s” into %s? [y/N]"),
                                                   (long long) total, capture_path, broker);

      if (options.password_stdin || !isatty (STDIN_FILENO))
        {
          antenna_cli_connection_options_clear (&options);
          return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_USAGE,
                                          _("Replaying publishes %lld messages into %s: add --yes to do it without asking."),
                                          (long long) total, broker);
        }
      if (!confirm (question))
        {
          antenna_cli_connection_options_clear (&options);
          return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_USAGE, "%s", _("Nothing was published."));
        }
    }

  if (!antenna_cli_password_get (&options, profile, from_store, &password, &error))
    goto out;
  status = antenna_cli_connect (client, password);
  g_clear_pointer (&password, antenna_cli_password_free);
  if (status != ANTENNA_CLI_STATUS_OK)
    {
      antenna_cli_connection_options_clear (&options);
      return status;
    }

  antenna_cli_note (_("Publishing %lld messages into %s."), (long long) total, broker);
  antenna_capture_replay_run_async (replay, NULL, antenna_cli_store_result, &result);
  antenna_cli_wait_result (&result);
  if (!antenna_capture_replay_run_finish (replay, result, &error))
    status = antenna_cli_fail_error (error);
  else
    antenna_cli_note (_("Published %llu messages."),
                      (unsigned long long) antenna_capture_replay_get_n_done (replay));

  antenna_cli_disconnect (client);
  antenna_cli_connection_options_clear (&options);
  return status;

out:
  antenna_cli_connection_options_clear (&options);
  return antenna_cli_fail_error (error);
}
