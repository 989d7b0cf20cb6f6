/* test-connection-log.c: AntennaConnectionLog, and what AntennaClient writes
 * into it against a real mosquitto
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <gio/gio.h>

#include "antenna-client.h"
#include "antenna-connection-log.h"
#include "antenna-profile.h"
#include "antenna-rate.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-utils.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker *broker;
  AntennaProfile    *profile;
  AntennaClient     *client;
} Fixture;

typedef struct
{
  AntennaTestBrokerFlags flags;
  AntennaMqttVersion     version;
} Params;

static const Params plain5 = { ANTENNA_TEST_BROKER_PLAIN, ANTENNA_MQTT_VERSION_5 };
static const Params plain311 = { ANTENNA_TEST_BROKER_PLAIN, ANTENNA_MQTT_VERSION_3_1_1 };
static const Params auth5 = { ANTENNA_TEST_BROKER_AUTH, ANTENNA_MQTT_VERSION_5 };
static const Params auth311 = { ANTENNA_TEST_BROKER_AUTH, ANTENNA_MQTT_VERSION_3_1_1 };

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Params *params = data;

  if (params == NULL)
    return;

  f->broker = antenna_test_broker_new (params->flags);
  f->profile = antenna_profile_new ();
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_set_mqtt_version (f->profile, params->version);
  antenna_profile_set_connect_timeout (f->profile, 20);
  f->client = antenna_client_new (f->profile);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->client != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  if (f->profile != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
}

/* The position of the first entry at or after @from with @level (or any,
 * -1) whose text contains @text and, if given, whose detail is @detail; -1
 * when there is none. */
static int
find_entry (GListModel *log,
            guint       from,
            int         level,
            const char *text,
            const char *detail)
{
  guint n = g_list_model_get_n_items (log);

  for (guint i = from; i < n; i++)
    {
      g_autoptr(AntennaConnectionLogEntry) entry = g_list_model_get_item (log, i);

      if (level >= 0 && (int) antenna_connection_log_entry_get_level (entry) != level)
        continue;
      if (strstr (antenna_connection_log_entry_get_text (entry), text) == NULL)
        continue;
      if (detail != NULL && g_strcmp0 (antenna_connection_log_entry_get_detail (entry), detail) != 0)
        continue;
      return (int) i;
    }

  return -1;
}

typedef struct
{
  GListModel *log;
  guint       from;
  int         level;
  const char *text;
} Wanted;

static gboolean
wanted_is_there (Wanted *wanted)
{
  return find_entry (wanted->log, wanted->from, wanted->level, wanted->text, NULL) >= 0;
}

/* Waits for the entry, and returns its position. */
static int
wait_entry (GListModel *log,
            guint       from,
            int         level,
            const char *text,
            guint       timeout_ms)
{
  Wanted wanted = { log, from, level, text };

  antenna_test_wait_until ((AntennaTestCondition) wanted_is_there, &wanted, timeout_ms);
  return find_entry (log, from, level, text, NULL);
}

static void
dump (GListModel *log)
{
  g_autofree char *text = antenna_connection_log_format (log);

  g_test_message ("the log:\n%s", text);
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  guint position, removed, added;
  guint n_calls;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->position = position;
  changes->removed += removed;
  changes->added += added;
  changes->n_calls++;
}

static void
test_bounded (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AntennaConnectionLog) log = antenna_connection_log_new (5);
  g_autoptr(AntennaConnectionLogEntry) first = NULL;
  g_autoptr(AntennaConnectionLogEntry) last = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  Changes changes = { 0 };

  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (log)) == ANTENNA_TYPE_CONNECTION_LOG_ENTRY);

  for (int i = 0; i < 12; i++)
    antenna_connection_log_add (log, i % 3, i == 11 ? "0x87" : NULL, "entry %d", i);

  /* the newest five, oldest first */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 5);
  g_assert_cmpuint (changes.added, ==, 12);
  g_assert_cmpuint (changes.removed, ==, 7);
  g_assert_cmpuint (changes.position, ==, 4);
  first = g_list_model_get_item (G_LIST_MODEL (log), 0);
  last = g_list_model_get_item (G_LIST_MODEL (log), 4);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 5));
  g_assert_cmpstr (antenna_connection_log_entry_get_text (first), ==, "entry 7");
  g_assert_cmpstr (antenna_connection_log_entry_get_text (last), ==, "entry 11");
  g_assert_cmpint (antenna_connection_log_entry_get_level (last), ==, ANTENNA_CONNECTION_LOG_LEVEL_ERROR);
  g_assert_cmpstr (antenna_connection_log_entry_get_detail (last), ==, "0x87");
  g_assert_cmpint (antenna_connection_log_entry_get_time (first), <=, antenna_connection_log_entry_get_time (last));
  g_assert_cmpint (antenna_connection_log_entry_get_time (last), <=, g_get_real_time ());

  g_assert_true (antenna_connection_log_entry_matches (last, "ENTRY 1"));
  g_assert_true (antenna_connection_log_entry_matches (last, "x87"));
  g_assert_true (antenna_connection_log_entry_matches (last, ""));
  g_assert_false (antenna_connection_log_entry_matches (last, "entry 7"));

  /* the text for the clipboard: a line each, with the level and the detail */
  text = antenna_connection_log_format (G_LIST_MODEL (log));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[5], ==, "");
  g_assert_true (g_str_has_suffix (lines[0], "Warning  entry 7"));
  g_assert_true (g_str_has_suffix (lines[4], "Error  entry 11 [0x87]"));

  /* the default limit bounds a client's log */
  antenna_connection_log_clear (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  {
    g_autoptr(AntennaConnectionLog) big = antenna_connection_log_new (ANTENNA_CONNECTION_LOG_DEFAULT_LIMIT);

    for (guint i = 0; i < ANTENNA_CONNECTION_LOG_DEFAULT_LIMIT + 500; i++)
      antenna_connection_log_add (big, ANTENNA_CONNECTION_LOG_LEVEL_INFO, NULL, "line %u", i);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (big)), ==, ANTENNA_CONNECTION_LOG_DEFAULT_LIMIT);
  }
}

/* A good connect: the attempt and the CONNACK; a subscription's grant; an
 * unsubscribe; the disconnect. */
static void
test_connect (Fixture       *f,
              gconstpointer  data)
{
  const Params *params = data;
  GListModel *log = G_LIST_MODEL (antenna_client_get_log (f->client));
  g_autofree char *attempt = g_strdup_printf ("Connecting to tcp://127.0.0.1:%u with MQTT %s over TCP.",
                                              antenna_test_broker_get_port (f->broker),
                                              params->version == ANTENNA_MQTT_VERSION_5 ? "5" : "3.1.1");
  g_autoptr(GError) error = NULL;
  int at;

  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 0);
  antenna_test_connect_ok (f->client, NULL);
  dump (log);

  at = find_entry (log, 0, ANTENNA_CONNECTION_LOG_LEVEL_INFO, attempt, NULL);
  g_assert_cmpint (at, ==, 0);
  at = find_entry (log, at, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Connected to 127.0.0.1", "CONNACK 0x00");
  g_assert_cmpint (at, >, 0);
  g_assert_cmpint (find_entry (log, at, -1, "a new session", NULL), ==, at);

  antenna_test_subscribe_ok (f->client, "log/#", 1);
  at = find_entry (log, at, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Subscribed to “log/#” at QoS 1.", "SUBACK 1");
  g_assert_cmpint (at, >, 0);

  g_assert_true (antenna_test_unsubscribe (f->client, "log/#", &error));
  g_assert_no_error (error);
  at = find_entry (log, at, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Unsubscribed from “log/#”.", NULL);
  g_assert_cmpint (at, >, 0);

  antenna_test_disconnect_ok (f->client);
  at = find_entry (log, at, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Disconnecting from 127.0.0.1", NULL);
  g_assert_cmpint (at, >, 0);
  g_assert_cmpint (find_entry (log, at, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Disconnected from 127.0.0.1", NULL), >, at);
  /* nothing went wrong */
  g_assert_cmpint (find_entry (log, 0, ANTENNA_CONNECTION_LOG_LEVEL_ERROR, "", NULL), ==, -1);
  g_assert_cmpint (find_entry (log, 0, ANTENNA_CONNECTION_LOG_LEVEL_WARNING, "", NULL), ==, -1);
  dump (log);
}

/* A wrong password: the CONNACK's refusal with its code, and the sentence
 * the connect failed with. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  const Params *params = data;
  GListModel *log = G_LIST_MODEL (antenna_client_get_log (f->client));
  g_autoptr(GError) error = NULL;
  const char *code = params->version == ANTENNA_MQTT_VERSION_5 ? "CONNACK 0x87" : "CONNACK 5";
  int at;

  antenna_profile_set_username (f->profile, antenna_test_broker_get_username (f->broker));
  g_assert_false (antenna_test_connect (f->client, "not the password", &error));
  g_assert_nonnull (error);
  dump (log);

  at = find_entry (log, 0, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Connecting to tcp://127.0.0.1", NULL);
  g_assert_cmpint (at, ==, 0);
  at = find_entry (log, at, ANTENNA_CONNECTION_LOG_LEVEL_ERROR, "refused the connection", code);
  g_assert_cmpint (at, >, 0);
  /* the sentence the connect failed with, as the window shows it */
  g_assert_cmpint (find_entry (log, at, ANTENNA_CONNECTION_LOG_LEVEL_ERROR, error->message, NULL), >, at);
  g_assert_cmpint (find_entry (log, 0, -1, "Connected to", NULL), ==, -1);
}

/* The broker goes away: the lost connection, the reconnection attempts
 * with their delays, then the reconnection when it is back. */
static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  GListModel *log = G_LIST_MODEL (antenna_client_get_log (f->client));
  int lost, scheduled, attempt, failed, back;

  antenna_profile_set_auto_reconnect (f->profile, TRUE);
  antenna_test_connect_ok (f->client, NULL);

  antenna_test_broker_signal (f->broker, SIGKILL);
  lost = wait_entry (log, 0, ANTENNA_CONNECTION_LOG_LEVEL_ERROR, "The connection to 127.0.0.1", WAIT_MS);
  g_assert_cmpint (lost, >, 0);
  scheduled = wait_entry (log, lost, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Reconnecting to 127.0.0.1:", WAIT_MS);
  g_assert_cmpint (scheduled, >, lost);
  attempt = wait_entry (log, scheduled, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "(reconnection attempt 1)", WAIT_MS);
  g_assert_cmpint (attempt, >, scheduled);
  failed = wait_entry (log, attempt, ANTENNA_CONNECTION_LOG_LEVEL_WARNING,
                       "The attempt to reconnect to 127.0.0.1:", WAIT_MS);
  g_assert_cmpint (failed, >, attempt);
  g_assert_cmpint (wait_entry (log, failed, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Reconnecting to 127.0.0.1:", WAIT_MS),
                   >, failed);

  antenna_test_broker_restart (f->broker);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_CONNECTED, 40000));
  back = find_entry (log, failed, ANTENNA_CONNECTION_LOG_LEVEL_INFO, "Connected to 127.0.0.1", "CONNACK 0x00");
  g_assert_cmpint (back, >, failed);
  dump (log);
  antenna_test_disconnect_ok (f->client);
}

/* The per-second ring under the rates of topics and subscriptions. */
static void
test_rate (Fixture       *f,
           gconstpointer  data)
{
  AntennaRate rate = { 0 };
  gint64 t = 1000;

  g_assert_cmpfloat (antenna_rate_get (&rate, t), ==, 0);

  /* 10 a second for 7 seconds: the mean of the whole seconds before now */
  for (int s = 0; s < 7; s++)
    antenna_rate_add (&rate, t + s, 10);
  g_assert_cmpfloat (antenna_rate_get (&rate, t + 7), ==, 10.0);
  /* the current second does not count yet */
  antenna_rate_add (&rate, t + 7, 1000);
  g_assert_cmpfloat (antenna_rate_get (&rate, t + 7), ==, 10.0);
  g_assert_cmpfloat (antenna_rate_get (&rate, t + 8), ==, (40.0 + 1000) / ANTENNA_RATE_SECONDS);

  /* quiet: down to 0 after ANTENNA_RATE_SECONDS */
  g_assert_cmpfloat (antenna_rate_get (&rate, t + 8 + ANTENNA_RATE_SECONDS - 1), ==, 1000.0 / ANTENNA_RATE_SECONDS);
  g_assert_cmpfloat (antenna_rate_get (&rate, t + 8 + ANTENNA_RATE_SECONDS), ==, 0);

  /* a gap longer than the ring clears it */
  antenna_rate_add (&rate, t + 100, 5);
  g_assert_cmpfloat (antenna_rate_get (&rate, t + 101), ==, 1.0);
  /* a gap shorter clears only the seconds between */
  antenna_rate_add (&rate, t + 103, 5);
  g_assert_cmpfloat (antenna_rate_get (&rate, t + 104), ==, 2.0);
}

/* Another client takes the session over: mosquitto sends the first one an
 * MQTT 5 DISCONNECT with reason code 0x8E (or, when the socket's end comes
 * first, the connection is lost): either way the log says it. */
static void
test_taken_over (Fixture       *f,
                 gconstpointer  data)
{
  GListModel *log = G_LIST_MODEL (antenna_client_get_log (f->client));
  g_autoptr(AntennaProfile) other_profile = antenna_profile_new ();
  g_autoptr(AntennaClient) other = NULL;
  int by_broker, lost;

  antenna_profile_set_client_id (f->profile, "antenna-log-same-id");
  antenna_profile_set_auto_reconnect (f->profile, FALSE);
  antenna_profile_set_auto_reconnect (other_profile, FALSE);
  antenna_profile_set_host (other_profile, "127.0.0.1");
  antenna_profile_set_port (other_profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_set_mqtt_version (other_profile, ANTENNA_MQTT_VERSION_5);
  antenna_profile_set_client_id (other_profile, "antenna-log-same-id");

  antenna_test_connect_ok (f->client, NULL);
  other = antenna_client_new (other_profile);
  antenna_test_connect_ok (other, NULL);
  g_assert_true (antenna_test_wait_state (f->client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS));
  dump (log);

  by_broker = find_entry (log, 0, ANTENNA_CONNECTION_LOG_LEVEL_ERROR, "closed the connection: ", "DISCONNECT 0x8E");
  lost = find_entry (log, 0, ANTENNA_CONNECTION_LOG_LEVEL_ERROR, "The connection to 127.0.0.1:", NULL);
  g_test_message ("DISCONNECT entry at %d, lost connection entry at %d", by_broker, lost);
  g_assert_true (by_broker > 0 || lost > 0);
  if (by_broker > 0)
    g_assert_cmpint (find_entry (log, 0, -1, "session taken over", "DISCONNECT 0x8E"), ==, by_broker);

  antenna_test_disconnect_ok (other);
}

#define ADD(path, params, func) \
  g_test_add (path, Fixture, params, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  ADD ("/antenna/connection-log/bounded", NULL, test_bounded);
  ADD ("/antenna/rate/ring", NULL, test_rate);
  ADD ("/antenna/connection-log/connect/v5", &plain5, test_connect);
  ADD ("/antenna/connection-log/connect/v311", &plain311, test_connect);
  ADD ("/antenna/connection-log/refused/v5", &auth5, test_refused);
  ADD ("/antenna/connection-log/refused/v311", &auth311, test_refused);
  ADD ("/antenna/connection-log/reconnect", &plain311, test_reconnect);
  ADD ("/antenna/connection-log/taken-over", &plain5, test_taken_over);

  return antenna_test_run ();
}
