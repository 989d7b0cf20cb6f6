/* test-composer-core.c: what the composer stands on, against real files and a real mosquitto
 *
 * Typed input decoded to the bytes that go out (hex, Base64, JSON) and
 * published byte-exact to mosquitto_sub at every QoS; payload files read
 * asynchronously with progress, refused when too large before a byte is
 * read; the publish history; the stall probe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-payload.h"
#include "antenna-payload-file.h"
#include "antenna-profile.h"
#include "antenna-publish-history.h"
#include "antenna-stall-probe.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker *broker;
  AntennaProfile    *profile;
  AntennaClient     *client;
  char              *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AntennaMqttVersion version = GPOINTER_TO_INT (data) ? GPOINTER_TO_INT (data) : ANTENNA_MQTT_VERSION_3_1_1;

  f->dir = g_dir_make_tmp ("antenna-composer-XXXXXX", &error);
  g_assert_no_error (error);

  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  f->profile = antenna_profile_new ();
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_set_mqtt_version (f->profile, version);
  f->client = antenna_client_new (f->profile);

  antenna_test_connect_ok (f->client, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) disconnected = NULL;

  antenna_client_disconnect_async (f->client, NULL, antenna_test_store_result, &disconnected);
  antenna_client_disconnect_finish (f->client, antenna_test_wait_result (&disconnected, WAIT_MS), NULL);
  g_clear_object (&disconnected);   /* the task holds the client */
  g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_clear_pointer (&f->broker, antenna_test_broker_free);

  antenna_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
publish (Fixture           *f,
         const char        *topic,
         GBytes            *payload,
         int                qos,
         gboolean           retain,
         AntennaProperties *props)
{
  g_autoptr(GAsyncResult) published = NULL;
  g_autoptr(GError) error = NULL;

  antenna_client_publish_async (f->client, topic, payload, qos, retain, props, NULL, antenna_test_store_result, &published);
  g_assert_true (antenna_client_publish_finish (f->client, antenna_test_wait_result (&published, WAIT_MS), &error));
  g_assert_no_error (error);
}

/* Typed input to bytes at a mosquitto_sub */

static void
test_decoded_qos (Fixture       *f,
                  gconstpointer  data)
{
  static const struct {
    const char           *typed;
    AntennaPayloadFormat  format;
    const char           *bytes;
    gsize                 size;   /* 0: strlen */
  } cases[] = {
    { "00 01 02 ff 0A\n7f", ANTENNA_PAYLOAD_FORMAT_HEX, "\x00\x01\x02\xff\x0a\x7f", 6 },
    { "AAEC/w==", ANTENNA_PAYLOAD_FORMAT_BASE64, "\x00\x01\x02\xff", 4 },
    { "{\"t\": 21.5,\n \"ok\": true}", ANTENNA_PAYLOAD_FORMAT_JSON, "{\"t\": 21.5,\n \"ok\": true}", 0 },
    { "héllo\r\nworld", ANTENNA_PAYLOAD_FORMAT_TEXT, "héllo\r\nworld", 0 },
  };
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "typed/#", 2, FALSE);
  guint n = 0;

  for (int qos = 0; qos <= 2; qos++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) payload = antenna_payload_decode (cases[i].typed, -1, cases[i].format, &error);
        g_autofree char *topic = g_strdup_printf ("typed/%d/%u", qos, i);

        g_assert_no_error (error);
        publish (f, topic, payload, qos, FALSE, NULL);
        n++;
      }

  g_assert_cmpuint (antenna_test_sub_wait (sub, n, WAIT_MS), ==, n);
  for (guint k = 0; k < n; k++)
    {
      guint i = k % G_N_ELEMENTS (cases);
      g_autofree char *topic = g_strdup_printf ("typed/%u/%u", k / (guint) G_N_ELEMENTS (cases), i);
      g_autoptr(GBytes) expected = g_bytes_new_static (cases[i].bytes, cases[i].size ? cases[i].size : strlen (cases[i].bytes));

      g_assert_cmpstr (antenna_test_sub_get_topic (sub, k), ==, topic);
      g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, k), expected));
      g_assert_false (antenna_test_sub_get_retain (sub, k));
    }
}

static void
test_retained (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) payload = antenna_payload_decode ("de ad be ef", -1, ANTENNA_PAYLOAD_FORMAT_HEX, NULL);
  g_autoptr(AntennaTestSub) late = NULL;

  publish (f, "kept/one", payload, 1, TRUE, NULL);

  /* A subscriber that comes after gets it, flagged retained. */
  late = antenna_test_sub_start (f->broker, "kept/#", 1, FALSE);
  g_assert_cmpuint (antenna_test_sub_wait (late, 1, WAIT_MS), ==, 1);
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (late, 0), payload));
  g_assert_true (antenna_test_sub_get_retain (late, 0));
}

static void
test_invalid_input (void)
{
  static const struct {
    const char           *typed;
    AntennaPayloadFormat  format;
    const char           *where;
  } cases[] = {
    { "00 0g", ANTENNA_PAYLOAD_FORMAT_HEX, "position" },
    { "001", ANTENNA_PAYLOAD_FORMAT_HEX, NULL },
    { "AAE*/w==", ANTENNA_PAYLOAD_FORMAT_BASE64, "position" },
    { "AAEC/w=", ANTENNA_PAYLOAD_FORMAT_BASE64, NULL },
    { "{\"a\": 1,\n \"b\": }", ANTENNA_PAYLOAD_FORMAT_JSON, "line 2" },
    { "{\"a\": 1} x", ANTENNA_PAYLOAD_FORMAT_JSON, "line 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = antenna_payload_decode (cases[i].typed, -1, cases[i].format, &error);

      g_assert_null (bytes);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD);
      g_test_message ("%s → %s", cases[i].typed, error->message);
      if (cases[i].where != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].where));
    }
}

static void
test_properties_v5 (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "props/#", 1, TRUE);
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"on\":true}", 11);

  props->content_type = g_strdup ("application/json");
  props->payload_format = 1;
  props->response_topic = g_strdup ("props/reply");
  props->correlation_data = g_bytes_new_static ("req-42", 6);
  props->message_expiry = 120;
  antenna_properties_add_user_property (props, "origin", "antenna");
  antenna_properties_add_user_property (props, "unit", "°C");

  publish (f, "props/x", payload, 1, FALSE, props);

  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  g_test_message ("%s", antenna_test_sub_get_properties (sub, 0));
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 0), payload));
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "content-type"), ==, "application/json");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "response-topic"), ==, "props/reply");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "correlation-data"), ==, "req-42");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "payload-format-indicator"), ==, "1");
  g_assert_nonnull (antenna_test_sub_get_property (sub, 0, "message-expiry-interval"));
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "user-property"), ==, "origin:antenna unit:°C");
}

/* A broker that announces a maximum packet size: a larger payload is refused
 * before it is sent, saying so. */
static void
test_too_large_for_broker (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_start_with_config (ANTENNA_TEST_BROKER_PLAIN,
                                                                                "max_packet_size 1000\n", &error);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(GAsyncResult) published = NULL;
  g_autoptr(GAsyncResult) disconnected = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_take (g_malloc0 (2000), 2000);

  g_assert_no_error (error);
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  client = antenna_client_new (profile);
  antenna_test_connect_ok (client, NULL);
  g_assert_cmpuint (antenna_client_get_maximum_packet_size (client), ==, 1000);

  antenna_client_publish_async (client, "big/one", payload, 1, FALSE, NULL, NULL, antenna_test_store_result, &published);
  g_assert_false (antenna_client_publish_finish (client, antenna_test_wait_result (&published, WAIT_MS), &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE);
  g_test_message ("%s", error->message);

  antenna_client_disconnect_async (client, NULL, antenna_test_store_result, &disconnected);
  antenna_client_disconnect_finish (client, antenna_test_wait_result (&disconnected, WAIT_MS), NULL);
  g_clear_object (&client);
  g_assert_true (antenna_client_wait_for_destroyed (10000));
}

/* The publish history */

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  AntennaPublishHistory *history = antenna_publish_history_get_for_client (f->client);
  g_autoptr(GBytes) one = g_bytes_new_static ("one", 3);
  g_autoptr(GBytes) two = g_bytes_new_static ("two!", 4);
  g_autoptr(AntennaMessage) first = NULL;
  g_autoptr(AntennaMessage) second = NULL;
  g_autoptr(AntennaPublishHistory) small = antenna_publish_history_new (2, 1000);

  g_assert_true (antenna_publish_history_get_for_client (f->client) == history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  publish (f, "hist/a", one, 0, FALSE, NULL);
  publish (f, "hist/b", two, 2, TRUE, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (history), 0);
  second = g_list_model_get_item (G_LIST_MODEL (history), 1);
  /* Newest first. */
  g_assert_cmpstr (antenna_message_get_topic (first), ==, "hist/b");
  g_assert_cmpint (antenna_message_get_qos (first), ==, 2);
  g_assert_true (antenna_message_get_retain (first));
  g_assert_true (g_bytes_equal (antenna_message_get_payload (first), two));
  g_assert_cmpstr (antenna_message_get_topic (second), ==, "hist/a");
  g_assert_cmpuint (antenna_publish_history_get_n_bytes (history), ==, 7);

  /* Bounded by count and by bytes; the newest always stays. */
  for (guint i = 0; i < 5; i++)
    antenna_publish_history_add (small, first);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (small)), ==, 2);
  {
    g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (5000), 5000);
    g_autoptr(AntennaMessage) huge = antenna_message_new ("h", big, 0, FALSE, FALSE, ANTENNA_MESSAGE_SENT, 0, NULL);

    antenna_publish_history_add (small, huge);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (small)), ==, 1);
    g_assert_cmpuint (antenna_publish_history_get_n_bytes (small), ==, 5000);
  }
}

/* Payload files */

typedef struct
{
  goffset last;
  goffset total;
  guint   calls;
} Progress;

static void
on_progress (goffset  current,
             goffset  total,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpint (current, >=, p->last);
  p->last = current;
  p->total = total;
  p->calls++;
}

static void
test_file_load (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "payload.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "file/#", 1, FALSE);
  /* Three chunks and a bit. */
  gsize size = 3 * ANTENNA_PAYLOAD_FILE_CHUNK_SIZE + 12345;
  guint8 *data_bytes = g_malloc (size);
  Progress progress = { 0 };

  for (gsize i = 0; i < size; i++)
    data_bytes[i] = (guint8) (i * 2654435761u >> 11);
  expected = g_bytes_new_take (data_bytes, size);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (expected, NULL), size, NULL));

  antenna_payload_file_load_async (file, on_progress, &progress, NULL, antenna_test_store_result, &loaded);
  bytes = antenna_payload_file_load_finish (file, antenna_test_wait_result (&loaded, WAIT_MS), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, expected));
  g_assert_cmpint (progress.total, ==, size);
  g_assert_cmpint (progress.last, ==, size);
  /* 0, then once per chunk. */
  g_assert_cmpuint (progress.calls, ==, 5);

  publish (f, "file/one", bytes, 1, FALSE, NULL);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 0), expected));
}

static GError *
load_error (GFile *file)
{
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  Progress progress = { 0 };

  antenna_payload_file_load_async (file, on_progress, &progress, NULL, antenna_test_store_result, &loaded);
  bytes = antenna_payload_file_load_finish (file, antenna_test_wait_result (&loaded, WAIT_MS), &error);
  g_assert_null (bytes);
  g_assert_nonnull (error);
  /* Refused before reading. */
  g_assert_cmpuint (progress.calls, ==, 0);
  g_test_message ("%s", error->message);

  return error;
}

static void
test_file_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *big_path = g_build_filename (f->dir, "too-big.bin", NULL);
  g_autofree char *max_path = g_build_filename (f->dir, "largest.bin", NULL);
  g_autofree char *missing_path = g_build_filename (f->dir, "missing.bin", NULL);
  g_autoptr(GFile) big = g_file_new_for_path (big_path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) dir = g_file_new_for_path (f->dir);
  g_autoptr(GError) error = NULL;
  int fd;

  /* Sparse: one byte over the MQTT maximum, without writing 256 MB. */
  fd = g_open (big_path, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) ANTENNA_MQTT_MAX_PAYLOAD + 1), ==, 0);
  g_close (fd, NULL);

  error = load_error (big);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "too-big.bin"));
  g_clear_error (&error);

  error = load_error (missing);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no such file"));
  g_clear_error (&error);

  error = load_error (dir);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "folder"));
  g_clear_error (&error);

  /* Exactly the maximum is not refused for its size. */
  fd = g_open (max_path, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) ANTENNA_MQTT_MAX_PAYLOAD), ==, 0);
  g_close (fd, NULL);
  {
    g_autoptr(GFile) largest = g_file_new_for_path (max_path);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) loaded = NULL;
    g_autoptr(GBytes) bytes = NULL;
    Progress progress = { 0 };

    /* Cancelled after the first chunk: reading had begun. */
    antenna_payload_file_load_async (largest, on_progress, &progress, cancellable, antenna_test_store_result, &loaded);
    while (progress.calls < 2 && loaded == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_cancellable_cancel (cancellable);
    bytes = antenna_payload_file_load_finish (largest, antenna_test_wait_result (&loaded, WAIT_MS), &error);
    g_assert_null (bytes);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (progress.total, ==, ANTENNA_MQTT_MAX_PAYLOAD);
  }
}

/* The stall probe */

static gboolean
block_cb (gpointer data)
{
  g_usleep (300 * 1000);
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef struct
{
  AntennaStallProbe *probe;
  guint64            n_ticks;   /* wait for more than this */
} ProbeWait;

static gboolean
probe_ticked (gpointer data)
{
  ProbeWait *wait = data;

  return antenna_stall_probe_get_n_ticks (wait->probe) > wait->n_ticks;
}

/* What the probe reports: how late its ticks came (a main loop blocked for
 * 300 ms makes one at least 250 ms late), and nothing after a reset. How
 * small the stalls of a busy machine are is for the benchmarks, not here. */
static void
test_stall_probe (void)
{
  g_autoptr(AntennaStallProbe) probe = antenna_stall_probe_new ();
  ProbeWait wait = { probe, 2 };
  gboolean blocked = FALSE;

  g_assert_true (antenna_test_wait_until (probe_ticked, &wait, 10000));

  g_idle_add (block_cb, &blocked);
  antenna_test_wait_for (&blocked, 5000);
  /* The tick that comes after the block measures it. */
  wait.n_ticks = antenna_stall_probe_get_n_ticks (probe);
  g_assert_true (antenna_test_wait_until (probe_ticked, &wait, 10000));
  g_assert_cmpint (antenna_stall_probe_get_max_stall (probe), >=, 250 * 1000);

  antenna_stall_probe_reset (probe);
  g_assert_cmpint (antenna_stall_probe_get_max_stall (probe), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add ("/antenna/composer-core/publish/decoded", Fixture, NULL, fixture_setup, test_decoded_qos, fixture_teardown);
  g_test_add ("/antenna/composer-core/publish/retained", Fixture, NULL, fixture_setup, test_retained, fixture_teardown);
  g_test_add_func ("/antenna/composer-core/input/invalid", test_invalid_input);
  g_test_add ("/antenna/composer-core/publish/properties-v5", Fixture, GINT_TO_POINTER (ANTENNA_MQTT_VERSION_5),
              fixture_setup, test_properties_v5, fixture_teardown);
  g_test_add_func ("/antenna/composer-core/publish/too-large-for-broker", test_too_large_for_broker);
  g_test_add ("/antenna/composer-core/history", Fixture, NULL, fixture_setup, test_history, fixture_teardown);
  g_test_add ("/antenna/composer-core/file/load", Fixture, NULL, fixture_setup, test_file_load, fixture_teardown);
  g_test_add ("/antenna/composer-core/file/refused", Fixture, NULL, fixture_setup, test_file_refused, fixture_teardown);
  g_test_add_func ("/antenna/composer-core/stall-probe", test_stall_probe);

  return antenna_test_run ();
}
