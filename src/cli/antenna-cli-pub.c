/* antenna-cli-pub.c: antenna-cli pub, one message or a stream of them
 *
 * The payload comes from -m, -f (read by the core's payload file loader,
 * up to MQTT's 268,435,455 bytes), all of standard input (--stdin) or each
 * line of it (-l, read as it comes, at most PUBLISH_WINDOW messages in
 * flight). The command exits once the broker has every message (PUBACK for
 * QoS 1, PUBCOMP for QoS 2; written, for QoS 0), or with status 6 for one
 * it refused or did not confirm.
 *
 * --batch FILE publishes every message of a JSON Lines file instead
 * (antenna-publish-batch.h: each line names its topic), checked whole first;
 * --skip-invalid sends the valid lines of a file that has invalid ones, and
 * --rate limits the messages a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include "antenna-cli-commands.h"
#include "antenna-cli-connection.h"
#include "antenna-cli-password.h"
#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-payload.h"
#include "antenna-payload-file.h"
#include "antenna-profile.h"
#include "antenna-properties.h"
#include "antenna-publish-batch.h"
#include "antenna-topic.h"

/* -l: lines read ahead of the broker's acknowledgements. */
#define PUBLISH_WINDOW 1000

typedef struct
{
  /* Borrowed References */
  AntennaClient     *client;
  const char        *topic;
  AntennaProperties *properties;

  /* Owned References */
  GMainLoop         *loop;
  GDataInputStream  *lines;       /* -l */
  GCancellable      *cancellable; /* of the read of a line */
  GError            *error;       /* the first failure */

  int                qos;
  gboolean           retain;
  int                timeout;     /* seconds; 0: none */
  guint              timeout_id;
  guint              in_flight;
  guint              sent;
  gboolean           reading;
  gboolean           input_done;
  gboolean           timed_out;
  gboolean           finished;    /* the loop is over: late answers are dropped */
  AntennaCliStatus   status;
} Pub;

static void pump (Pub *pub);

static gboolean
on_timeout_cb (gpointer user_data)
{
  Pub *pub = user_data;
  g_autofree char *address = antenna_profile_dup_display_address (antenna_client_get_profile (pub->client));

  pub->timeout_id = 0;
  pub->timed_out = TRUE;
  antenna_cli_fail_printf (ANTENNA_CLI_STATUS_TIMEOUT,
                           ngettext ("Timed out after %d s, with %u message not yet acknowledged by %s.",
                                     "Timed out after %d s, with %u messages not yet acknowledged by %s.",
                                     pub->in_flight),
                           pub->timeout, pub->in_flight, address);
  g_main_loop_quit (pub->loop);
  return G_SOURCE_REMOVE;
}

/* The first failure is told and decides the exit status; the rest are dropped. */
static void
fail (Pub              *pub,
      AntennaCliStatus  status,
      GError           *error)
{
  if (pub->error != NULL)
    {
      g_error_free (error);
      return;
    }

  pub->error = error;
  pub->status = antenna_cli_fail (status, error);
  /* Nothing more is read: a line may be long in coming. */
  g_cancellable_cancel (pub->cancellable);
}

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pub *pub = user_data;
  GError *error = NULL;

  pub->in_flight--;
  if (!antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error) && pub->finished)
    g_clear_error (&error);
  if (pub->finished)
    return;
  if (error != NULL)
    fail (pub,
          g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC) ? ANTENNA_CLI_STATUS_USAGE
                                                                             : ANTENNA_CLI_STATUS_NOT_ACKNOWLEDGED,
          error);
  pump (pub);
}

static void
publish (Pub    *pub,
         GBytes *payload)
{
  pub->in_flight++;
  pub->sent++;
  antenna_client_publish_async (pub->client, pub->topic, payload, pub->qos, pub->retain,
                                pub->properties, NULL, on_published_cb, pub);
}

static void
on_line_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pub *pub = user_data;
  GError *error = NULL;
  gsize length;
  char *line;

  pub->reading = FALSE;
  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result, &length, &error);
  if (pub->finished)
    {
      g_clear_error (&error);
      g_free (line);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      pub->input_done = TRUE;
    }
  else if (error != NULL)
    {
      GError *read_error = g_error_new (G_IO_ERROR, error->code,
                                        _("Could not read standard input: %s"), error->message);

      g_error_free (error);
      pub->input_done = TRUE;
      fail (pub, ANTENNA_CLI_STATUS_FAILED, read_error);
    }
  else if (line == NULL)
    pub->input_done = TRUE;
  else if (pub->error != NULL)
    g_free (line);
  else if (length > ANTENNA_MQTT_MAX_PAYLOAD)
    {
      g_autofree char *limit = antenna_payload_format_size (ANTENNA_MQTT_MAX_PAYLOAD);

      g_free (line);
      pub->input_done = TRUE;
      fail (pub, ANTENNA_CLI_STATUS_USAGE,
            g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                         _("A line of standard input is longer than an MQTT message can be (%s)."), limit));
    }
  else
    {
      g_autoptr(GBytes) payload = g_bytes_new_take (line, length);

      publish (pub, payload);
    }

  pump (pub);
}

/* Reads the next line while there is room, and ends when everything is
 * read and confirmed (or failed). */
static void
pump (Pub *pub)
{
  if (pub->lines != NULL && !pub->input_done && !pub->reading && pub->error == NULL &&
      pub->in_flight < PUBLISH_WINDOW)
    {
      pub->reading = TRUE;
      g_data_input_stream_read_line_async (pub->lines, G_PRIORITY_DEFAULT, pub->cancellable,
                                           on_line_cb, pub);
      return;
    }

  if ((pub->input_done || pub->error != NULL) && pub->timeout > 0 && pub->timeout_id == 0 &&
      !pub->timed_out && pub->in_flight > 0)
    pub->timeout_id = g_timeout_add ((guint) pub->timeout * 1000, on_timeout_cb, pub);

  if ((pub->input_done || pub->error != NULL) && !pub->reading && pub->in_flight == 0)
    g_main_loop_quit (pub->loop);
}

GBytes *
antenna_cli_read_stdin (GError **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[64 * 1024];

  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not read standard input: %s"), g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > ANTENNA_MQTT_MAX_PAYLOAD)
        {
          g_autofree char *limit = antenna_payload_format_size (ANTENNA_MQTT_MAX_PAYLOAD);

          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                       _("Standard input holds more than an MQTT message can (%s)."), limit);
          return NULL;
        }
      g_byte_array_append (data, buffer, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

GBytes *
antenna_cli_load_file (const char  *path,
                       GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GAsyncResult) result = NULL;

  antenna_payload_file_load_async (file, NULL, NULL, NULL, antenna_cli_store_result, &result);
  return antenna_payload_file_load_finish (file, antenna_cli_wait_result (&result), error);
}

static void
on_batch_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Pub *pub = user_data;

  antenna_publish_batch_run_finish (ANTENNA_PUBLISH_BATCH (object), result, &pub->error);
  g_main_loop_quit (pub->loop);
}

/* --batch: the file's messages; the status says how it went. */
static AntennaCliStatus
publish_batch (Pub        *pub,
               const char *path,
               double      rate,
               gboolean    skip_invalid)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(AntennaPublishBatch) batch = antenna_publish_batch_new (pub->client, file);
  GArray *invalid;

  antenna_publish_batch_set_rate (batch, rate);
  antenna_publish_batch_set_skip_invalid (batch, skip_invalid);
  antenna_publish_batch_run_async (batch, NULL, on_batch_done_cb, pub);
  g_main_loop_run (pub->loop);

  /* each invalid line on its own line of standard error, by number */
  invalid = antenna_publish_batch_get_invalid_lines (batch);
  for (guint i = 0; i < invalid->len && antenna_publish_batch_get_invalid_reason (batch, i) != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, g_array_index (invalid, guint64, i));

      g_printerr (_("%s: line %s: %s\n"), path, line, antenna_publish_batch_get_invalid_reason (batch, i));
    }

  pub->sent = antenna_publish_batch_get_sent (batch);
  if (pub->error != NULL)
    {
      AntennaCliStatus status = g_error_matches (pub->error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD)
                                ? antenna_cli_fail (ANTENNA_CLI_STATUS_USAGE, pub->error)
                                : antenna_cli_fail_error (pub->error);

      g_clear_error (&pub->error);
      return status;
    }
  if (antenna_publish_batch_get_failed (batch) > 0)
    {
      g_autofree char *failed = g_strdup_printf ("%" G_GUINT64_FORMAT, antenna_publish_batch_get_failed (batch));
      g_autoptr(GError) error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PUBLISH_REFUSED,
                                             _("%s messages were not acknowledged; the last: %s"),
                                             failed, antenna_publish_batch_get_last_error (batch));

      return antenna_cli_fail (ANTENNA_CLI_STATUS_NOT_ACKNOWLEDGED, error);
    }
  return ANTENNA_CLI_STATUS_OK;
}

int
antenna_cli_pub (int    argc,
                 char **argv)
{
  AntennaCliConnectionOptions options;
  g_auto(GStrv) topics = NULL;
  g_autofree char *message = NULL;
  g_autofree char *file = NULL;
  g_autofree char *property_help = NULL;
  g_autofree char *batch = NULL;
  double rate = 0;
  gboolean skip_invalid = FALSE;
  gboolean lines = FALSE;
  gboolean whole_stdin = FALSE;
  gboolean null_message = FALSE;
  gboolean retain = FALSE;
  int qos = 0;
  int timeout = 0;
  const GOptionEntry entries[] = {
    { "topic", 't', 0, G_OPTION_ARG_STRING_ARRAY, &topics,
      N_("The topic to publish on"), N_("TOPIC") },
    { "message", 'm', 0, G_OPTION_ARG_FILENAME, &message,
      N_("Publish this message"), N_("MESSAGE") },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file,
      N_("Publish the contents of this file (up to 268,435,455 bytes)"), N_("FILE") },
    { "stdin-line", 'l', 0, G_OPTION_ARG_NONE, &lines,
      N_("Publish each line of standard input as a message, as it is read"), NULL },
    { "stdin", 's', 0, G_OPTION_ARG_NONE, &whole_stdin,
      N_("Publish all of standard input as one message"), NULL },
    { "stdin-file", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &whole_stdin, NULL, NULL },
    { "null-message", 'n', 0, G_OPTION_ARG_NONE, &null_message,
      N_("Publish an empty message"), NULL },
    { "batch", 0, 0, G_OPTION_ARG_FILENAME, &batch,
      N_("Publish every message of a JSON Lines file (a line: {\"topic\": …, \"payload\": … or "
         "\"payload_base64\": …, \"qos\": …, \"retain\": …, \"properties\": {…}, \"delay_ms\": …}); "
         "the whole file is checked first"), N_("FILE") },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
      N_("With --batch: at most this many messages a second (0: as fast as the broker takes them)"), N_("N") },
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid,
      N_("With --batch: send the valid lines of a file that has invalid ones (they are listed)"), NULL },
    { "qos", 'q', 0, G_OPTION_ARG_INT, &qos,
      N_("The QoS: 0, 1 or 2 (0)"), N_("QOS") },
    { "retain", 'r', 0, G_OPTION_ARG_NONE, &retain,
      N_("Ask the broker to retain the message"), NULL },
    { "timeout", 'W', 0, G_OPTION_ARG_INT, &timeout,
      N_("Wait at most this many seconds for the acknowledgements once everything is sent"), N_("SECONDS") },
    /* Taken out of argv before parsing (antenna_cli_take_properties()): here for --help. */
    { "property", 'D', 0, G_OPTION_ARG_STRING, &property_help,
      N_("An MQTT 5 property: --property NAME VALUE, or user-property KEY VALUE; mosquitto_pub’s "
         "-D publish NAME VALUE works too. Names: content-type, payload-format-indicator, "
         "message-expiry-interval, response-topic, correlation-data, user-property"), N_("NAME VALUE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaProperties) properties = NULL;
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaCliPassword) password = NULL;
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *address = NULL;
  AntennaCliStatus status;
  gboolean from_store;
  guint n_sources;
  Pub pub = { 0, };

  antenna_cli_connection_options_init (&options);
  context = antenna_cli_option_context_new (_("[URL]"),
                                            _("Publishes a message on TOPIC and exits once the broker "
                                              "has it. Where to connect: a connection saved in Antenna "
                                              "(--profile NAME), a URL (mqtt://, mqtts://, ws://, "
                                              "wss://), or -h and -p."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  antenna_cli_connection_options_add (&options, context);

  if (!antenna_cli_take_properties (&argc, argv, &properties, &error) ||
      !antenna_cli_option_context_parse (context, &argc, &argv, &error) ||
      !antenna_cli_check_qos (qos, &error))
    goto out;
  antenna_cli_set_verbose (options.verbose);

  if (batch != NULL)
    {
      if (topics != NULL || message != NULL || file != NULL || lines || whole_stdin || null_message)
        {
          g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--batch takes the topics and messages from its file: no -t, -m, -f, -l, --stdin or -n."));
          goto out;
        }
      if (rate < 0)
        {
          g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--rate cannot be negative."));
          goto out;
        }
    }
  else if (topics == NULL || topics[0] == NULL || topics[1] != NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give one topic to publish on with -t."));
      goto out;
    }
  if (batch == NULL && !antenna_topic_validate_name (topics[0], -1, &error))
    goto out;

  n_sources = (message != NULL) + (file != NULL) + lines + whole_stdin + null_message + (batch != NULL);
  if (n_sources != 1)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           n_sources == 0
                           ? _("Say what to publish: -m MESSAGE, -f FILE, -l (each line of standard "
                               "input), --stdin (all of it) or -n (an empty message).")
                           : _("Give only one of -m, -f, -l, --stdin and -n."));
      goto out;
    }
  if (timeout < 0)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--timeout cannot be negative."));
      goto out;
    }

  profile = antenna_cli_connection_make_profile (&options, &from_store, &error);
  if (profile == NULL)
    goto out;
  if (properties != NULL && antenna_profile_get_mqtt_version (profile) != ANTENNA_MQTT_VERSION_5)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("MQTT 5 properties need MQTT 5, and this connection uses MQTT 3.1.1 "
                             "(-V mqttv5 changes that)."));
      goto out;
    }
  /* One message and out: the saved subscriptions are not wanted, and a
   * lost connection is an answer, not something to wait out. */
  while (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)) > 0)
    antenna_profile_remove_subscription (profile, 0);
  antenna_profile_set_auto_reconnect (profile, FALSE);

  /* A file is read before a password is asked for. */
  if (file != NULL && (payload = antenna_cli_load_file (file, &error)) == NULL)
    goto out;
  if (message != NULL)
    payload = g_bytes_new (message, strlen (message));
  if (null_message)
    payload = g_bytes_new (NULL, 0);

  /* --password-stdin reads the first line; the message(s) may follow it. */
  if (!antenna_cli_password_get (&options, profile, from_store, &password, &error))
    goto out;
  if (whole_stdin && (payload = antenna_cli_read_stdin (&error)) == NULL)
    goto out;

  client = antenna_client_new (profile);
  status = antenna_cli_connect (client, password);
  g_clear_pointer (&password, antenna_cli_password_free);
  if (status != ANTENNA_CLI_STATUS_OK)
    {
      antenna_cli_connection_options_clear (&options);
      return status;
    }

  pub.loop = g_main_loop_new (NULL, FALSE);
  pub.cancellable = g_cancellable_new ();
  pub.client = client;
  pub.topic = topics != NULL ? topics[0] : NULL;
  pub.properties = properties;
  pub.qos = qos;
  pub.retain = retain;
  pub.timeout = timeout;
  pub.status = ANTENNA_CLI_STATUS_OK;

  if (batch != NULL)
    {
      status = publish_batch (&pub, batch, rate, skip_invalid);
      if (status == ANTENNA_CLI_STATUS_OK)
        {
          address = antenna_profile_dup_display_address (profile);
          antenna_cli_note (ngettext ("Sent %u message to %s.", "Sent %u messages to %s.", pub.sent),
                            pub.sent, address);
        }
      antenna_cli_disconnect (client);
      g_clear_object (&pub.cancellable);
      g_main_loop_unref (pub.loop);
      antenna_cli_connection_options_clear (&options);
      return status;
    }

  if (lines)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);

      pub.lines = g_data_input_stream_new (in);
      g_data_input_stream_set_newline_type (pub.lines, G_DATA_STREAM_NEWLINE_TYPE_LF);
    }
  else
    {
      publish (&pub, payload);
      pub.input_done = TRUE;
    }

  pump (&pub);
  g_main_loop_run (pub.loop);
  pub.finished = TRUE;
  g_clear_handle_id (&pub.timeout_id, g_source_remove);

  address = antenna_profile_dup_display_address (profile);
  if (pub.error == NULL && !pub.timed_out)
    {
      if (qos == 0)
        antenna_cli_note (ngettext ("Sent %u message to %s (QoS 0: the broker does not acknowledge).",
                                    "Sent %u messages to %s (QoS 0: the broker does not acknowledge).",
                                    pub.sent),
                          pub.sent, address);
      else
        antenna_cli_note (ngettext ("%s acknowledged %u message.",
                                    "%s acknowledged %u messages.",
                                    pub.sent),
                          address, pub.sent);
    }

  status = pub.timed_out ? ANTENNA_CLI_STATUS_TIMEOUT : pub.status;
  antenna_cli_disconnect (client);
  g_clear_error (&pub.error);
  g_clear_object (&pub.lines);
  g_clear_object (&pub.cancellable);
  g_main_loop_unref (pub.loop);
  antenna_cli_connection_options_clear (&options);
  return status;

out:
  antenna_cli_connection_options_clear (&options);
  return antenna_cli_fail_error (error);
}
