/* test-publish-schedule.c: repeated publishing against a real mosquitto, read back with mosquitto_sub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-decoder.h"
#include "antenna-error.h"
#include "antenna-placeholders.h"
#include "antenna-profile.h"
#include "antenna-publish-schedule.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

#define WAIT_MS 120000

typedef struct
{
  AntennaTestBroker *broker;
  AntennaProfile    *profile;
  AntennaClient     *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  f->profile = antenna_profile_new ();
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_set_client_id (f->profile, "schedule-test");
  f->client = antenna_client_new (f->profile);

  antenna_test_connect_ok (f->client, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (antenna_client_get_state (f->client) != ANTENNA_CLIENT_STATE_DISCONNECTED)
    antenna_test_disconnect_ok (f->client);
  g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
}

static char *
payload_string (AntennaTestSub *sub,
                guint           i)
{
  GBytes *bytes = antenna_test_sub_get_payload (sub, i);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static gboolean
is_state (gpointer user_data)
{
  AntennaPublishSchedule *schedule = user_data;
  AntennaScheduleState want = GPOINTER_TO_INT (g_object_get_data (user_data, "want"));

  return antenna_publish_schedule_get_state (schedule) == want;
}

static void
wait_state (AntennaPublishSchedule *schedule,
            AntennaScheduleState    state)
{
  g_object_set_data (G_OBJECT (schedule), "want", GINT_TO_POINTER (state));
  g_assert_true (antenna_test_wait_until (is_state, schedule, WAIT_MS));
}

typedef struct
{
  AntennaPublishSchedule *schedule;
  guint64                 n;
} AtLeast;

static gboolean
has_sent (gpointer user_data)
{
  AtLeast *at_least = user_data;

  return antenna_publish_schedule_get_sent (at_least->schedule) +
         antenna_publish_schedule_get_failed (at_least->schedule) >= at_least->n;
}

static void
wait_sent (AntennaPublishSchedule *schedule,
           guint64                 n)
{
  AtLeast at_least = { schedule, n };

  g_assert_true (antenna_test_wait_until (has_sent, &at_least, WAIT_MS));
}

/* 1,000 messages at 10 ms arrive complete and in order, counting 1…1000. */
static void
test_repeat_counter (Fixture       *f,
                     gconstpointer  data)
{
  int qos = GPOINTER_TO_INT (data);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "sched/#", 1, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaPublishSchedule) schedule =
    antenna_publish_schedule_new (f->client, "sched/{{client_id}}", "{{counter}}", NULL,
                                  ANTENNA_PAYLOAD_FORMAT_TEXT, qos, FALSE, NULL,
                                  10, 1000, 0, &error);

  g_assert_no_error (error);
  antenna_publish_schedule_start (schedule);
  g_assert_cmpint (antenna_publish_schedule_get_state (schedule), ==, ANTENNA_SCHEDULE_STATE_RUNNING);
  wait_state (schedule, ANTENNA_SCHEDULE_STATE_FINISHED);

  g_assert_cmpuint (antenna_publish_schedule_get_sent (schedule), ==, 1000);
  g_assert_cmpuint (antenna_publish_schedule_get_failed (schedule), ==, 0);
  g_assert_null (antenna_publish_schedule_get_last_error (schedule));

  g_assert_cmpuint (antenna_test_sub_wait (sub, 1000, WAIT_MS), ==, 1000);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *want = g_strdup_printf ("%u", i + 1);
      g_autofree char *got = payload_string (sub, i);

      g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, "sched/schedule-test");
      g_assert_cmpstr (got, ==, want);
    }
  /* and no more */
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 1000);
}

/* Placeholders in JSON stay JSON at the subscriber; in hex they are bytes. */
static void
test_json_and_hex (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "gen/#", 1, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaPublishSchedule) json =
    antenna_publish_schedule_new (f->client, "gen/json",
                                  "{\"n\": {{counter}}, \"s\": \"{{choice:say \"hi\"|back\\slash}}\", "
                                  "\"id\": {{client_id}}}",
                                  NULL, ANTENNA_PAYLOAD_FORMAT_JSON, 1, FALSE, NULL, 5, 20, 0, &error);
  g_autoptr(AntennaPublishSchedule) hex = NULL;

  g_assert_no_error (error);
  antenna_publish_schedule_set_seed (json, 7);
  antenna_publish_schedule_start (json);
  wait_state (json, ANTENNA_SCHEDULE_STATE_FINISHED);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 20, WAIT_MS), ==, 20);

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = payload_string (sub, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      if (!json_parser_load_from_data (parser, text, -1, &error))
        g_error ("not JSON at the subscriber: %s (%s)", text, error->message);
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpint (json_object_get_int_member (object, "n"), ==, i + 1);
      g_assert_true (g_strv_contains ((const char *[]) { "say \"hi\"", "back\\slash", NULL },
                                      json_object_get_string_member (object, "s")));
      g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "schedule-test");
    }

  /* 00 ff, the counter's digits, ff 00 */
  hex = antenna_publish_schedule_new (f->client, "gen/hex", "00ff {{counter:9:1}} ff00", NULL,
                                      ANTENNA_PAYLOAD_FORMAT_HEX, 0, FALSE, NULL, 5, 2, 0, &error);
  g_assert_no_error (error);
  antenna_publish_schedule_start (hex);
  wait_state (hex, ANTENNA_SCHEDULE_STATE_FINISHED);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 22, WAIT_MS), ==, 22);
  g_assert_cmpmem (g_bytes_get_data (antenna_test_sub_get_payload (sub, 20), NULL),
                   g_bytes_get_size (antenna_test_sub_get_payload (sub, 20)),
                   "\x00\xff" "9" "\xff\x00", 5);
  g_assert_cmpmem (g_bytes_get_data (antenna_test_sub_get_payload (sub, 21), NULL),
                   g_bytes_get_size (antenna_test_sub_get_payload (sub, 21)),
                   "\x00\xff" "10" "\xff\x00", 6);
}

/* JSON sent as MessagePack or CBOR: each message is expanded, then
 * encoded, so the subscriber decodes the counter of that message (1…N), its
 * random values, its escaped strings; Python's msgpack or cbor2 decodes what
 * mosquitto_sub received and compares it with the JSON expanded by a twin
 * template with the same seed. */
static void
test_encoded (Fixture       *f,
              gconstpointer  data)
{
  const char *format = data;
  const char *text =
    "{\"n\": {{counter}}, \"big\": {{counter:4294967290:1}}, \"s\": \"{{choice:say \"hi\"|back\\slash|ü}}\", "
    "\"t\": {{float:-1.5:2.25}}, \"w\": [{{walk:20:15:30:0.5}}, {{int:-3:3}}], \"id\": \"{{client_id}}\", "
    "\"c\": {{choice:true|null|7}}}";
  const guint n = 40;
  g_autofree char *topic = g_strdup_printf ("enc/%s", format);
  g_autofree char *filter = g_strdup_printf ("enc/%s", format);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, filter, 1, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaPublishSchedule) schedule =
    antenna_publish_schedule_new (f->client, topic, text, NULL, ANTENNA_PAYLOAD_FORMAT_JSON, 1, FALSE, NULL,
                                  5, n, 0, &error);
  g_autoptr(AntennaPlaceholders) twin = antenna_placeholders_new (text, ANTENNA_PAYLOAD_FORMAT_JSON, &error);
  g_autoptr(GPtrArray) payloads = g_ptr_array_new ();
  g_autoptr(GPtrArray) expanded = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_assert_no_error (error);
  antenna_publish_schedule_set_encoder (schedule, antenna_decoder_find (format));
  antenna_publish_schedule_set_seed (schedule, 11);
  antenna_publish_schedule_start (schedule);
  wait_state (schedule, ANTENNA_SCHEDULE_STATE_FINISHED);
  g_assert_cmpuint (antenna_publish_schedule_get_failed (schedule), ==, 0);
  g_assert_cmpuint (antenna_test_sub_wait (sub, n, WAIT_MS), ==, n);

  antenna_placeholders_set_seed (twin, 11);
  antenna_placeholders_set_client_id (twin, "schedule-test");
  for (guint i = 0; i < n; i++)
    {
      GBytes *payload = antenna_test_sub_get_payload (sub, i);
      g_autoptr(GBytes) json = antenna_placeholders_expand (twin, 0, &error);

      g_assert_no_error (error);
      /* binary, not the JSON text */
      g_assert_false (g_bytes_equal (payload, json));
      g_ptr_array_add (payloads, payload);
      g_ptr_array_add (expanded, g_steal_pointer (&json));
    }
  antenna_test_assert_encoded_json (format, payloads, expanded);
}

/* After stop, nothing more is sent: the subscriber has what was
 * acknowledged, each once, in order. */
static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "stop/#", 1, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaPublishSchedule) schedule =
    antenna_publish_schedule_new (f->client, "stop/n", "{{counter}}", NULL,
                                  ANTENNA_PAYLOAD_FORMAT_TEXT, 1, FALSE, NULL, 10, 0, 3, &error);
  guint64 sent;

  g_assert_no_error (error);
  antenna_publish_schedule_start (schedule);
  wait_sent (schedule, 20);
  antenna_publish_schedule_pause (schedule);
  g_assert_cmpint (antenna_publish_schedule_get_state (schedule), ==, ANTENNA_SCHEDULE_STATE_PAUSED);
  antenna_publish_schedule_resume (schedule);
  wait_sent (schedule, 40);
  antenna_publish_schedule_stop (schedule);
  g_assert_cmpint (antenna_publish_schedule_get_state (schedule), ==, ANTENNA_SCHEDULE_STATE_STOPPED);

  /* what was with the client completes */
  antenna_test_iterate_for (1000);
  sent = antenna_publish_schedule_get_sent (schedule);
  g_assert_cmpuint (sent, >=, 40);
  g_assert_cmpuint (antenna_publish_schedule_get_failed (schedule), ==, 0);
  g_assert_cmpuint (antenna_test_sub_wait (sub, sent, WAIT_MS), ==, sent);

  antenna_test_iterate_for (500);
  g_assert_cmpuint (antenna_publish_schedule_get_sent (schedule), ==, sent);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, sent);
  for (guint i = 0; i < sent; i++)
    {
      g_autofree char *want = g_strdup_printf ("%u", i + 1);
      g_autofree char *got = payload_string (sub, i);

      g_assert_cmpstr (got, ==, want);
    }
}

/* A disconnect stops the schedule (the setting off), or it waits and goes
 * on once connected again (on). */
static void
test_disconnect (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "disc/#", 1, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaPublishSchedule) stopping =
    antenna_publish_schedule_new (f->client, "disc/stopping", "{{counter}}", NULL,
                                  ANTENNA_PAYLOAD_FORMAT_TEXT, 1, FALSE, NULL, 10, 0, 0, &error);
  g_autoptr(AntennaPublishSchedule) waiting =
    antenna_publish_schedule_new (f->client, "disc/waiting", "{{counter}}", NULL,
                                  ANTENNA_PAYLOAD_FORMAT_TEXT, 1, FALSE, NULL, 10, 0, 0, &error);
  guint64 total;
  guint64 before;
  guint n_arrived;

  g_assert_no_error (error);
  antenna_publish_schedule_set_resume_on_reconnect (stopping, FALSE);
  antenna_publish_schedule_start (stopping);
  antenna_publish_schedule_start (waiting);
  wait_sent (stopping, 10);
  wait_sent (waiting, 10);

  antenna_test_disconnect_ok (f->client);
  g_assert_cmpint (antenna_publish_schedule_get_state (stopping), ==, ANTENNA_SCHEDULE_STATE_STOPPED);
  g_assert_cmpint (antenna_publish_schedule_get_state (waiting), ==, ANTENNA_SCHEDULE_STATE_WAITING);

  antenna_test_iterate_for (500);
  total = antenna_publish_schedule_get_sent (stopping) + antenna_publish_schedule_get_sent (waiting);
  g_assert_cmpuint (antenna_test_sub_wait (sub, total, WAIT_MS), >=, total);
  n_arrived = antenna_test_sub_get_n_messages (sub);
  before = antenna_publish_schedule_get_sent (waiting) + antenna_publish_schedule_get_failed (waiting);
  antenna_test_iterate_for (500);
  /* nothing was sent while disconnected (a publish cut off by the
   * disconnect counts as failed, though the broker may have had it) */
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, n_arrived);
  g_assert_cmpuint (antenna_publish_schedule_get_sent (waiting) + antenna_publish_schedule_get_failed (waiting),
                    ==, before);

  antenna_test_connect_ok (f->client, NULL);
  g_assert_cmpint (antenna_publish_schedule_get_state (waiting), ==, ANTENNA_SCHEDULE_STATE_RUNNING);
  g_assert_cmpint (antenna_publish_schedule_get_state (stopping), ==, ANTENNA_SCHEDULE_STATE_STOPPED);
  wait_sent (waiting, before + 10);
  antenna_publish_schedule_stop (waiting);
  antenna_test_iterate_for (500);

  /* the waiting one went on with its counter; the stopped one sent no more */
  total = antenna_publish_schedule_get_sent (stopping) + antenna_publish_schedule_get_sent (waiting);
  g_assert_cmpuint (antenna_test_sub_wait (sub, total, WAIT_MS), >=, total);
  {
    guint64 last_waiting = 0;

    for (guint i = 0; i < antenna_test_sub_get_n_messages (sub); i++)
      if (g_str_equal (antenna_test_sub_get_topic (sub, i), "disc/waiting"))
        {
          g_autofree char *got = payload_string (sub, i);
          guint64 n = g_ascii_strtoull (got, NULL, 10);

          g_assert_cmpuint (n, >, last_waiting);
          last_waiting = n;
        }
    g_assert_cmpuint (last_waiting, >, before);
  }
}

static void
test_invalid (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaClient) client = antenna_client_new (profile);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaPublishSchedule) schedule =
    antenna_publish_schedule_new (client, "a/{{nope}}", "x", NULL, ANTENNA_PAYLOAD_FORMAT_TEXT,
                                  0, FALSE, NULL, 10, 0, 0, &error);

  g_assert_null (schedule);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "{{nope}}"));
  g_clear_error (&error);

  schedule = antenna_publish_schedule_new (client, "a", "x", NULL, ANTENNA_PAYLOAD_FORMAT_TEXT,
                                           0, FALSE, NULL, 0, 0, 0, &error);
  g_assert_null (schedule);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add ("/antenna/schedule/repeat-counter/qos1", Fixture, GINT_TO_POINTER (1),
              fixture_setup, test_repeat_counter, fixture_teardown);
  g_test_add ("/antenna/schedule/repeat-counter/qos0", Fixture, GINT_TO_POINTER (0),
              fixture_setup, test_repeat_counter, fixture_teardown);
  g_test_add ("/antenna/schedule/json-and-hex", Fixture, NULL,
              fixture_setup, test_json_and_hex, fixture_teardown);
  g_test_add ("/antenna/schedule/stop", Fixture, NULL,
              fixture_setup, test_stop, fixture_teardown);
  g_test_add ("/antenna/schedule/disconnect", Fixture, NULL,
              fixture_setup, test_disconnect, fixture_teardown);
  g_test_add ("/antenna/schedule/encoded/msgpack", Fixture, "msgpack",
              fixture_setup, test_encoded, fixture_teardown);
  g_test_add ("/antenna/schedule/encoded/cbor", Fixture, "cbor",
              fixture_setup, test_encoded, fixture_teardown);
  g_test_add_func ("/antenna/schedule/invalid", test_invalid);

  return g_test_run ();
}
