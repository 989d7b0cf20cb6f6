/* antenna-cli-sub.c: antenna-cli sub, the messages published on topics
 *
 * Connects with AntennaClient, subscribes to each -t filter (or the saved
 * connection's subscriptions), and prints every message of each
 * ::messages-received batch as it comes, in one flush a batch. Stops after
 * --count messages, after --timeout seconds, once subscribed (-E), or on
 * SIGINT/SIGTERM/SIGHUP, then disconnects cleanly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "antenna-cli-commands.h"
#include "antenna-cli-connection.h"
#include "antenna-cli-decoding.h"
#include "antenna-cli-output.h"
#include "antenna-cli-password.h"
#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-topic.h"

typedef struct
{
  /* Borrowed References */
  AntennaClient    *client;
  AntennaCliOutput *output;

  /* Owned References */
  GMainLoop        *loop;

  gint64            count;        /* 0: no limit */
  gint64            received;
  int               timeout;      /* seconds; 0: none */
  guint             timeout_id;
  guint             n_pending;    /* subscriptions not yet acknowledged */
  gboolean          exit_when_subscribed;
  gboolean          done;
  AntennaCliStatus  status;
} Sub;

static void
finish (Sub              *sub,
        AntennaCliStatus  status)
{
  if (sub->done)
    return;

  sub->done = TRUE;
  sub->status = status;
  g_main_loop_quit (sub->loop);
}

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         Sub           *sub)
{
  for (guint i = 0; i < messages->len && !sub->done; i++)
    {
      if (!antenna_cli_output_write (sub->output, g_ptr_array_index (messages, i)))
        {
          antenna_cli_warn (_("Could not write the messages: %s."), g_strerror (errno));
          finish (sub, ANTENNA_CLI_STATUS_FAILED);
          return;
        }
      sub->received++;
      if (sub->count > 0 && sub->received >= sub->count)
        finish (sub, ANTENNA_CLI_STATUS_OK);
    }

  if (!antenna_cli_output_flush (sub->output))
    {
      antenna_cli_warn (_("Could not write the messages: %s."), g_strerror (errno));
      finish (sub, ANTENNA_CLI_STATUS_FAILED);
    }
}

static void
on_connection_lost_cb (AntennaClient *client,
                       GError        *error,
                       Sub           *sub)
{
  if (antenna_profile_get_auto_reconnect (antenna_client_get_profile (client)))
    {
      /* The client reconnects and subscribes again by itself. */
      antenna_cli_warn ("%s", error->message);
      return;
    }

  finish (sub, antenna_cli_fail (ANTENNA_CLI_STATUS_UNREACHABLE, error));
}

static void
on_subscribed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Sub *sub = user_data;
  g_autoptr(GError) error = NULL;
  int granted;

  sub->n_pending--;
  granted = antenna_client_subscribe_finish (ANTENNA_CLIENT (object), result, &error);
  if (error != NULL)
    {
      if (!sub->done)
        finish (sub, antenna_cli_fail_error (error));
      return;
    }

  antenna_cli_note (_("Subscribed, QoS %d granted."), granted);
  if (sub->n_pending == 0 && sub->exit_when_subscribed)
    finish (sub, ANTENNA_CLI_STATUS_OK);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  Sub *sub = user_data;

  sub->timeout_id = 0;
  if (sub->count > 0)
    finish (sub, antenna_cli_fail_printf (ANTENNA_CLI_STATUS_TIMEOUT,
                                          _("Timed out after %d s: %u of %u messages arrived."),
                                          sub->timeout, (guint) sub->received, (guint) sub->count));
  else
    finish (sub, ANTENNA_CLI_STATUS_OK);

  return G_SOURCE_REMOVE;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  /* How a subscriber is usually stopped: not an error. */
  finish (user_data, ANTENNA_CLI_STATUS_OK);
  return G_SOURCE_CONTINUE;
}

/* The subscriptions to make: -t FILTER…, or the saved connection's. Taken
 * out of @profile, so that the client does not subscribe to them itself. */
static GPtrArray *
take_subscriptions (AntennaProfile  *profile,
                    char           **filters,
                    int              qos,
                    GError         **error)
{
  g_autoptr(GPtrArray) subscriptions = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *saved = antenna_profile_get_subscriptions (profile);

  if (filters != NULL)
    {
      for (guint i = 0; filters[i] != NULL; i++)
        {
          if (!antenna_topic_validate_filter (filters[i], -1, error))
            return NULL;
          g_ptr_array_add (subscriptions, antenna_subscription_new (filters[i], qos));
        }
    }
  else
    {
      for (guint i = 0; i < g_list_model_get_n_items (saved); i++)
        {
          g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (saved, i);

          g_ptr_array_add (subscriptions, antenna_subscription_copy (subscription));
        }
      if (subscriptions->len == 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("Give a topic filter to subscribe to with -t."));
          return NULL;
        }
    }

  while (g_list_model_get_n_items (saved) > 0)
    antenna_profile_remove_subscription (profile, 0);

  return g_steal_pointer (&subscriptions);
}

int
antenna_cli_sub (int    argc,
                 char **argv)
{
  AntennaCliConnectionOptions options;
  AntennaCliDecodeOptions decode_options = { NULL, };
  g_auto(GStrv) filters = NULL;
  g_autofree char *format_text = NULL;
  int qos = 0;
  int count = 0;
  int timeout = 0;
  gboolean no_newline = FALSE;
  gboolean exit_when_subscribed = FALSE;
  const GOptionEntry entries[] = {
    { "topic", 't', 0, G_OPTION_ARG_STRING_ARRAY, &filters,
      N_("A topic filter to subscribe to (repeat it for more)"), N_("FILTER") },
    { "qos", 'q', 0, G_OPTION_ARG_INT, &qos,
      N_("The QoS to subscribe with: 0, 1 or 2 (0)"), N_("QOS") },
    { "count", 'C', 0, G_OPTION_ARG_INT, &count,
      N_("Exit after this many messages"), N_("N") },
    { "timeout", 'W', 0, G_OPTION_ARG_INT, &timeout,
      N_("Exit this many seconds after connecting (status 5 when --count messages have not all come)"), N_("SECONDS") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      N_("How to print each message: text (TOPIC PAYLOAD), json (JSON Lines) or raw (the payload)"), N_("FORMAT") },
    { "decode", 0, 0, G_OPTION_ARG_STRING, &decode_options.decode,
      N_("Decode payloads as the app does (auto: the connection’s decoder rules, then JSON, text or hex) or with one decoder: text, json, hex, base64, msgpack, cbor, gzip, zlib, protobuf, sparkplug"), N_("DECODER") },
    { "no-newline", 'N', 0, G_OPTION_ARG_NONE, &no_newline,
      N_("With --format raw, no newline after each payload"), NULL },
    { "exit-when-subscribed", 'E', 0, G_OPTION_ARG_NONE, &exit_when_subscribed,
      N_("Exit once the broker has acknowledged the subscriptions"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaCliPassword) password = NULL;
  g_autoptr(GPtrArray) subscriptions = NULL;
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaCliDecoding) decoding = NULL;
  g_autoptr(AntennaCliOutput) output = NULL;
  AntennaCliFormat format = ANTENNA_CLI_FORMAT_TEXT;
  AntennaCliStatus status;
  gboolean from_store;
  guint signal_ids[3] = { 0, };
  Sub sub = { 0, };

  antenna_cli_connection_options_init (&options);
  context = antenna_cli_option_context_new (_("[URL]"),
                                            _("Prints the messages published on the topics that match "
                                              "each FILTER, as they arrive. Where to connect: a "
                                              "connection saved in Antenna (--profile NAME), a URL "
                                              "(mqtt://, mqtts://, ws://, wss://), or -h and -p."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  antenna_cli_connection_options_add (&options, context);
  antenna_cli_decode_options_add (&decode_options, context);

  if (!antenna_cli_option_context_parse (context, &argc, &argv, &error) ||
      !antenna_cli_check_qos (qos, &error) ||
      (format_text != NULL && !antenna_cli_format_parse (format_text, &format, &error)))
    goto out;
  antenna_cli_set_verbose (options.verbose);

  if (count < 0 || timeout < 0)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--count and --timeout cannot be negative."));
      goto out;
    }
  /* --message TYPE alone means Protocol Buffers; --proto alone, auto (and
   * --then alone is refused by antenna_cli_decoding_new()). */
  if (decode_options.decode == NULL &&
      (antenna_cli_decode_options_has_schema (&decode_options) || decode_options.then != NULL))
    decode_options.decode = g_strdup (decode_options.message_type != NULL ? ANTENNA_DECODER_PROTOBUF : "auto");
  if (decode_options.decode != NULL && format == ANTENNA_CLI_FORMAT_RAW)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--decode is for --format text or json."));
      goto out;
    }
  if (no_newline && format != ANTENNA_CLI_FORMAT_RAW)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("-N is for --format raw."));
      goto out;
    }

  profile = antenna_cli_connection_make_profile (&options, &from_store, &error);
  if (profile == NULL)
    goto out;
  subscriptions = take_subscriptions (profile, filters, qos, &error);
  if (subscriptions == NULL)
    goto out;
  if (decode_options.decode != NULL)
    {
      decoding = antenna_cli_decoding_new (&decode_options, profile, &error);
      if (decoding == NULL)
        goto out;
    }

  if (!antenna_cli_password_get (&options, profile, from_store, &password, &error))
    goto out;

  /* A write a batch, not stdio's (nothing else writes to standard output). */
  output = antenna_cli_output_new (STDOUT_FILENO, format, decoding, !no_newline);

  sub.loop = g_main_loop_new (NULL, FALSE);
  sub.output = output;
  sub.count = count;
  sub.timeout = timeout;
  sub.exit_when_subscribed = exit_when_subscribed;

  /* Before connecting: a persistent session's queue comes with the CONNACK. */
  client = antenna_client_new (profile);
  sub.client = client;
  g_signal_connect (client, "messages-received", G_CALLBACK (on_messages_received_cb), &sub);
  g_signal_connect (client, "connection-lost", G_CALLBACK (on_connection_lost_cb), &sub);

  status = antenna_cli_connect (client, password);
  g_clear_pointer (&password, antenna_cli_password_free);
  if (status != ANTENNA_CLI_STATUS_OK)
    {
      g_signal_handlers_disconnect_by_data (client, &sub);
      g_main_loop_unref (sub.loop);
      antenna_cli_connection_options_clear (&options);
      antenna_cli_decode_options_clear (&decode_options);
      return status;
    }
  if (sub.done)
    goto done;

  signal_ids[0] = g_unix_signal_add (SIGINT, on_signal_cb, &sub);
  signal_ids[1] = g_unix_signal_add (SIGTERM, on_signal_cb, &sub);
  signal_ids[2] = g_unix_signal_add (SIGHUP, on_signal_cb, &sub);
  if (timeout > 0)
    sub.timeout_id = g_timeout_add ((guint) timeout * 1000, on_timeout_cb, &sub);

  for (guint i = 0; i < subscriptions->len; i++)
    {
      AntennaSubscription *subscription = g_ptr_array_index (subscriptions, i);

      antenna_cli_note (_("Subscribing to “%s” with QoS %d."),
                        antenna_subscription_get_filter (subscription),
                        antenna_subscription_get_qos (subscription));
      sub.n_pending++;
      antenna_client_subscribe_async (client, subscription, NULL, on_subscribed_cb, &sub);
    }

  g_main_loop_run (sub.loop);

done:
  g_signal_handlers_disconnect_by_data (client, &sub);
  g_clear_handle_id (&sub.timeout_id, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (signal_ids); i++)
    g_clear_handle_id (&signal_ids[i], g_source_remove);

  antenna_cli_output_flush (output);
  antenna_cli_disconnect (client);
  /* The subscriptions still pending hold &sub: the disconnect fails them. */
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (sub.n_pending > 0 && g_get_monotonic_time () < deadline)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    if (sub.n_pending > 0)
      _exit (sub.status);
  }
  g_main_loop_unref (sub.loop);

  antenna_cli_connection_options_clear (&options);
  antenna_cli_decode_options_clear (&decode_options);
  return sub.status;

out:
  antenna_cli_connection_options_clear (&options);
  antenna_cli_decode_options_clear (&decode_options);
  return antenna_cli_fail_error (error);
}
