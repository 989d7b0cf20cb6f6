/* test-load-link.c: the load test's own connections (AntennaLoadLink) against a real mosquitto
 *
 * Which connections the test makes itself and which go through the
 * client, what the broker sees of them, and the parts of MQTT the link
 * speaks beyond a plain flood: MQTT 5 reason codes, keepalive, packets
 * larger than a read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-load-link.h"
#include "antenna-load-test.h"
#include "antenna-profile.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

#define WAIT_MS 120000

static AntennaProfile *
tcp_profile (AntennaTestBroker  *broker,
             const char         *client_id,
             AntennaMqttVersion  version)
{
  AntennaProfile *profile = antenna_profile_new ();

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_client_id (profile, client_id);
  antenna_profile_set_mqtt_version (profile, version);
  return profile;
}

static AntennaLoadTest *
run_load (AntennaClient                *client,
          const AntennaLoadTestOptions *options,
          AntennaLoadTestResult        *result,
          char                        **summary)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new ();
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(GError) error = NULL;
  AntennaLoadTest *load;

  g_ptr_array_add (clients, client);
  load = antenna_load_test_new (clients, options);
  antenna_load_test_run_async (load, NULL, antenna_test_store_result, &async);
  g_assert_true (antenna_load_test_run_finish (load, antenna_test_wait_result (&async, WAIT_MS), &error));
  g_assert_no_error (error);
  antenna_load_test_get_result (load, result);
  *summary = antenna_load_test_dup_summary (load);
  g_test_message ("%s", *summary);
  return load;
}

/* Three connections of the test's own from one client, speaking MQTT 5 as
 * the client does, each under its own client id; every message at the
 * broker and back. Fails when the test goes through the client (direct 0,
 * no such ids in the broker's log) or speaks 3.1.1 ("p4"). */
static void
test_direct (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "direct/#", 1, FALSE);
  g_autoptr(AntennaProfile) profile = tcp_profile (broker, "lt", ANTENNA_MQTT_VERSION_5);
  g_autoptr(AntennaClient) client = antenna_client_new (profile);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *log = NULL;
  AntennaLoadTestOptions options = {
    .count = 3000, .topics = 7, .prefix = (char *) "direct/", .payload_size = 40, .qos = 1,
    .measure_latency = TRUE, .connections = 3,
  };
  AntennaLoadTestResult result;

  antenna_test_connect_ok (client, NULL);
  load = run_load (client, &options, &result, &summary);

  g_assert_cmpuint (result.direct, ==, 3);
  g_assert_cmpuint (result.completed, ==, 3000);
  g_assert_cmpuint (result.failed, ==, 0);
  g_assert_cmpuint (result.received, ==, 3000);
  g_assert_nonnull (strstr (summary, "3 connections"));
  g_assert_null (strstr (summary, "own client"));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 3000, WAIT_MS), ==, 3000);

  log = antenna_test_broker_get_log (broker);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *as = g_strdup_printf (" as lt-load-%u (p5,", i);

      g_assert_nonnull (strstr (log, as));
    }

  antenna_test_disconnect_ok (client);
}

typedef enum
{
  TLS_CLIENT_CERT,   /* the broker wants a client certificate: the profile's */
  TLS_WRONG_HOST,    /* the certificate names another host: verify-hostname off */
  TLS_INSECURE,      /* a CA that did not sign it: allow-insecure on */
} TlsCase;

/* Over TLS the test's own connections are set up as the client's are
 * (CA file, client certificate, host name check, insecure): all direct,
 * every message at the broker and back. */
static void
test_tls (gconstpointer data)
{
  TlsCase tls_case = GPOINTER_TO_INT (data);
  AntennaTestBrokerFlags flags = ANTENNA_TEST_BROKER_TLS |
                                 (tls_case == TLS_CLIENT_CERT ? ANTENNA_TEST_BROKER_TLS_CLIENT_CERT : 0) |
                                 (tls_case == TLS_WRONG_HOST ? ANTENNA_TEST_BROKER_TLS_WRONG_HOST : 0);
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (flags);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "tls/#", 1, FALSE);
  g_autoptr(AntennaProfile) profile = tcp_profile (broker, "tls", ANTENNA_MQTT_VERSION_5);
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autofree char *summary = NULL;
  AntennaLoadTestOptions options = {
    .count = 2000, .topics = 4, .prefix = (char *) "tls/", .payload_size = 30, .qos = 1,
    .measure_latency = TRUE, .connections = 2,
  };
  AntennaLoadTestResult result;

  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (broker));
  antenna_profile_set_tls_ca_file (profile, tls_case == TLS_INSECURE ? antenna_test_broker_get_other_ca_file (broker)
                                                                     : antenna_test_broker_get_ca_file (broker));
  if (tls_case == TLS_CLIENT_CERT)
    {
      antenna_profile_set_tls_cert_file (profile, antenna_test_broker_get_client_cert_file (broker));
      antenna_profile_set_tls_key_file (profile, antenna_test_broker_get_client_key_file (broker));
    }
  antenna_profile_set_tls_verify_hostname (profile, tls_case != TLS_WRONG_HOST);
  antenna_profile_set_tls_allow_insecure (profile, tls_case == TLS_INSECURE);
  client = antenna_client_new (profile);
  antenna_test_connect_ok (client, NULL);

  load = run_load (client, &options, &result, &summary);
  g_assert_cmpuint (result.direct, ==, 2);
  g_assert_cmpuint (result.completed, ==, 2000);
  g_assert_cmpuint (result.failed, ==, 0);
  g_assert_cmpuint (result.received, ==, 2000);
  g_assert_null (strstr (summary, "own client"));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 2000, WAIT_MS), ==, 2000);

  antenna_test_disconnect_ok (client);
}

/* No check is skipped that the profile asks for: with the host name check
 * on (turned on after the client connected with it off), the link's
 * handshake fails on a certificate for another host, and the test
 * publishes through the client, saying why. */
static void
test_tls_checked (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS |
                                                                 ANTENNA_TEST_BROKER_TLS_WRONG_HOST);
  g_autoptr(AntennaProfile) profile = tcp_profile (broker, "checked", ANTENNA_MQTT_VERSION_3_1_1);
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autofree char *summary = NULL;
  AntennaLoadTestOptions options = {
    .count = 300, .topics = 2, .prefix = (char *) "checked/", .payload_size = 20, .qos = 1,
  };
  AntennaLoadTestResult result;

  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (broker));
  antenna_profile_set_tls_ca_file (profile, antenna_test_broker_get_ca_file (broker));
  antenna_profile_set_tls_verify_hostname (profile, FALSE);
  client = antenna_client_new (profile);
  antenna_test_connect_ok (client, NULL);
  /* the profile changes after the client connected: the link reads it anew */
  antenna_profile_set_tls_verify_hostname (profile, TRUE);

  load = run_load (client, &options, &result, &summary);
  g_assert_cmpuint (result.direct, ==, 0);
  g_assert_cmpuint (result.completed, ==, 300);
  g_assert_nonnull (strstr (summary, "Published through the connection’s own client, which is slower: "
                                     "its own connection could not be opened: "));

  antenna_test_disconnect_ok (client);
}

/* A listener that takes one connection: the client's. The test's own is
 * refused, and the messages go through the client, all of them. */
static void
test_fallback_refused (void)
{
  guint port = antenna_test_closed_port ();
  g_autofree char *config = g_strdup_printf ("listener %u 127.0.0.1\nmax_connections 1", port);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_start_with_config (ANTENNA_TEST_BROKER_PLAIN,
                                                                               config, &error);
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autofree char *summary = NULL;
  AntennaLoadTestOptions options = {
    .count = 400, .topics = 2, .prefix = (char *) "one/", .payload_size = 20, .qos = 1,
  };
  AntennaLoadTestResult result;

  g_assert_no_error (error);
  sub = antenna_test_sub_start (broker, "one/#", 1, FALSE);
  profile = tcp_profile (broker, "only", ANTENNA_MQTT_VERSION_3_1_1);
  antenna_profile_set_port (profile, port);
  client = antenna_client_new (profile);
  antenna_test_connect_ok (client, NULL);

  load = run_load (client, &options, &result, &summary);
  g_assert_cmpuint (result.direct, ==, 0);
  g_assert_cmpuint (result.completed, ==, 400);
  g_assert_cmpuint (result.failed, ==, 0);
  g_assert_nonnull (strstr (summary, "Published through the connection’s own client, which is slower: "));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 400, WAIT_MS), ==, 400);

  antenna_test_disconnect_ok (client);
}

/* MQTT 5: the broker refuses the messages one by one (PUBACK "not
 * authorized"): each counts as failed, the error says why, the connection
 * stays. Fails when a PUBACK's reason code is not read. */
static void
test_refused_messages (void)
{
  g_autofree char *dir = g_dir_make_tmp ("antenna-load-link-XXXXXX", NULL);
  g_autofree char *acl = g_build_filename (dir, "acl", NULL);
  g_autofree char *config = g_strdup_printf ("acl_file %s", acl);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTestBroker) broker = NULL;
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autofree char *summary = NULL;
  AntennaLoadTestOptions options = {
    .count = 200, .topics = 2, .prefix = (char *) "denied/", .payload_size = 20, .qos = 1,
  };
  AntennaLoadTestResult result;

  g_assert_true (g_file_set_contents (acl, "topic readwrite allowed/#\n", -1, &error));
  broker = antenna_test_broker_start_with_config (ANTENNA_TEST_BROKER_PLAIN, config, &error);
  g_assert_no_error (error);
  profile = tcp_profile (broker, "denied", ANTENNA_MQTT_VERSION_5);
  client = antenna_client_new (profile);
  antenna_test_connect_ok (client, NULL);

  load = run_load (client, &options, &result, &summary);
  g_assert_cmpuint (result.direct, ==, 1);
  g_assert_cmpuint (result.completed, ==, 0);
  g_assert_cmpuint (result.failed, ==, 200);
  g_assert_nonnull (strstr (antenna_load_test_get_last_error (load), "refused a message: not authorized (reason code 0x87)"));

  /* and the link goes on: allowed messages complete */
  g_clear_object (&load);
  g_clear_pointer (&summary, g_free);
  options.prefix = (char *) "allowed/";
  load = run_load (client, &options, &result, &summary);
  g_assert_cmpuint (result.completed, ==, 200);
  g_assert_cmpuint (result.failed, ==, 0);

  antenna_test_disconnect_ok (client);
  antenna_test_remove_tree (dir);
}

/* Idle for longer than 1.5 keepalives (when mosquitto drops a silent
 * client): the link's pings keep it, and it still publishes. */
static void
test_keepalive (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = tcp_profile (broker, "ka", ANTENNA_MQTT_VERSION_3_1_1);
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaLoadLink) link = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("ping", 4);
  const char *topics[] = { "ka/a", "ka/b" };
  GBytes *payloads[] = { payload, payload };
  guint completed = 0, failed = 0;

  antenna_profile_set_keepalive (profile, 1);
  client = antenna_client_new (profile);
  antenna_test_connect_ok (client, NULL);

  link = antenna_load_link_new_like (client, "ka-link", NULL);
  g_assert_nonnull (link);
  antenna_load_link_connect_async (link, NULL, antenna_test_store_result, &result);
  g_assert_true (antenna_load_link_connect_finish (link, antenna_test_wait_result (&result, WAIT_MS), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  antenna_test_iterate_for (4000);

  antenna_load_link_publish_many_async (link, 2, topics, payloads, 1, antenna_test_store_result, &result);
  g_assert_true (antenna_load_link_publish_many_finish (link, antenna_test_wait_result (&result, WAIT_MS),
                                                        &completed, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (completed, ==, 2);
  g_assert_cmpuint (failed, ==, 0);

  antenna_load_link_close (link);
  antenna_test_disconnect_ok (client);
}

/* Payloads of several reads and writes each (3 MiB, the link reads and
 * encodes 256 KiB at a time), at QoS 2, back on the subscription whole. */
static void
test_large (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "big/#", 2, FALSE);
  g_autoptr(AntennaProfile) profile = tcp_profile (broker, "big", ANTENNA_MQTT_VERSION_5);
  g_autoptr(AntennaClient) client = antenna_client_new (profile);
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autofree char *summary = NULL;
  AntennaLoadTestOptions options = {
    .count = 12, .topics = 3, .prefix = (char *) "big/", .payload_size = 3 * 1024 * 1024, .qos = 2,
    .measure_latency = TRUE,
  };
  AntennaLoadTestResult result;

  antenna_test_connect_ok (client, NULL);
  load = run_load (client, &options, &result, &summary);
  g_assert_cmpuint (result.direct, ==, 1);
  g_assert_cmpuint (result.completed, ==, 12);
  g_assert_cmpuint (result.received, ==, 12);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 12, WAIT_MS), ==, 12);
  for (guint i = 0; i < 12; i++)
    {
      GBytes *got = antenna_test_sub_get_payload (sub, i);
      const guint8 *data = g_bytes_get_data (got, NULL);

      g_assert_cmpuint (g_bytes_get_size (got), ==, 3 * 1024 * 1024);
      g_assert_cmpint (data[g_bytes_get_size (got) - 1], ==, 'x');
    }

  antenna_test_disconnect_ok (client);
}

/* The broker is gone mid-run: the run ends there (within WAIT_MS, not
 * after its hour), every message handed counted as completed or failed,
 * and the error says the connection went. */
static void
test_lost (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = tcp_profile (broker, "lost", ANTENNA_MQTT_VERSION_3_1_1);
  g_autoptr(AntennaClient) client = antenna_client_new (profile);
  g_autoptr(GPtrArray) clients = g_ptr_array_new ();
  g_autoptr(AntennaLoadTest) load = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  AntennaLoadTestOptions options = {
    .duration_s = 3600, .rate = 200, .topics = 2, .prefix = (char *) "lost/", .payload_size = 20, .qos = 1,
  };
  AntennaLoadTestResult result;

  antenna_profile_set_auto_reconnect (profile, FALSE);
  antenna_test_connect_ok (client, NULL);
  g_ptr_array_add (clients, client);
  load = antenna_load_test_new (clients, &options);
  antenna_load_test_run_async (load, NULL, antenna_test_store_result, &async);
  for (guint i = 0; i < WAIT_MS / 50; i++)
    {
      antenna_test_iterate_for (50);
      antenna_load_test_get_result (load, &result);
      if (result.completed >= 100)
        break;
    }
  g_assert_cmpuint (result.completed, >=, 100);
  antenna_test_broker_signal (broker, SIGKILL);

  antenna_load_test_run_finish (load, antenna_test_wait_result (&async, WAIT_MS), NULL);
  antenna_load_test_get_result (load, &result);
  g_assert_cmpuint (result.direct, ==, 1);
  /* at this rate none is likely in flight at the kill: nothing fails, and
   * the reason is said all the same */
  g_assert_cmpuint (result.completed + result.failed, ==, result.handed);
  g_assert_nonnull (antenna_load_test_get_last_error (load));
  g_assert_true (strstr (antenna_load_test_get_last_error (load), "closed the connection") != NULL ||
                 strstr (antenna_load_test_get_last_error (load), "was lost") != NULL);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/load-link/direct", test_direct);
  g_test_add_data_func ("/antenna/load-link/tls/client-cert", GINT_TO_POINTER (TLS_CLIENT_CERT), test_tls);
  g_test_add_data_func ("/antenna/load-link/tls/wrong-host", GINT_TO_POINTER (TLS_WRONG_HOST), test_tls);
  g_test_add_data_func ("/antenna/load-link/tls/insecure", GINT_TO_POINTER (TLS_INSECURE), test_tls);
  g_test_add_func ("/antenna/load-link/tls/checked", test_tls_checked);
  g_test_add_func ("/antenna/load-link/fallback/refused", test_fallback_refused);
  g_test_add_func ("/antenna/load-link/refused-messages", test_refused_messages);
  g_test_add_func ("/antenna/load-link/keepalive", test_keepalive);
  g_test_add_func ("/antenna/load-link/large", test_large);
  g_test_add_func ("/antenna/load-link/lost", test_lost);

  return g_test_run ();
}
