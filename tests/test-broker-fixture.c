/* test-broker-fixture.c: the test brokers themselves work
 *
 * Every other test trusts tests/antenna-test-broker.c to start a real broker
 * of the kind it asks for; this one checks each kind with independent peers
 * (mosquitto_pub/mosquitto_sub, a raw WebSocket handshake).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-broker-fixture"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "antenna-test-broker.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

static GBytes *
binary_payload (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 256);
  if (size > 3)
    {
      data[0] = 0;
      data[1] = '\n';
      data[2] = ' ';
    }
  return g_bytes_new_take (data, size);
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  gsize a_size, b_size;
  const guint8 *a_data = g_bytes_get_data (a, &a_size);
  const guint8 *b_data = g_bytes_get_data (b, &b_size);

  g_assert_cmpmem (a_data, a_size, b_data, b_size);
}

/* mosquitto_pub against the TLS listener, with more arguments. */
static gboolean
pub_tls (AntennaTestBroker   *broker,
         const char * const  *tls_args,
         GError             **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_tls_port (broker));

  g_strv_builder_add_many (builder, "-p", port, NULL);
  g_strv_builder_addv (builder, (const char **) tls_args);
  args = g_strv_builder_end (builder);
  return antenna_test_pub_full (broker, "tls/check", NULL, 1, FALSE,
                                (const char * const *) args, error);
}

static void
test_plain (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(GBytes) payload = binary_payload (100000);
  g_autoptr(GBytes) text = g_bytes_new_static ("21.5", 4);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_file = NULL;
  g_autofree char *dir = NULL;

  g_assert_cmpuint (antenna_test_broker_get_port (broker), >, 0);
  g_assert_cmpuint (antenna_test_broker_get_mqtt_port (broker), ==,
                    antenna_test_broker_get_port (broker));
  g_assert_cmpuint (antenna_test_broker_get_tls_port (broker), ==, 0);
  g_assert_null (antenna_test_broker_get_ca_file (broker));
  g_assert_null (antenna_test_broker_get_username (broker));

  config_file = g_build_filename (antenna_test_broker_get_dir (broker), "mosquitto.conf", NULL);
  g_assert_true (g_file_get_contents (config_file, &config, NULL, NULL));
  g_assert_nonnull (strstr (config, "max_queued_messages 1000000\n"));
  g_assert_nonnull (strstr (config, "max_packet_size 268435455\n"));
  g_assert_nonnull (strstr (config, "allow_anonymous true\n"));

  /* A retained message before the subscriber: delivered with retain set. */
  g_assert_true (antenna_test_pub (broker, "home/kitchen/temperature", text, 1, TRUE, &error));
  g_assert_no_error (error);

  sub = antenna_test_sub_start (broker, "home/#", 1, FALSE);
  g_assert_cmpint (antenna_test_sub_get_granted_qos (sub), ==, 1);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 5000), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 0), ==, "home/kitchen/temperature");
  g_assert_true (antenna_test_sub_get_retain (sub, 0));
  assert_bytes_equal (antenna_test_sub_get_payload (sub, 0), text);

  /* Binary bytes with NUL and newline, an empty payload, a topic with spaces. */
  g_assert_true (antenna_test_pub (broker, "home/living room/blob", payload, 2, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_pub (broker, "home/empty", NULL, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_pub (broker, "elsewhere/ignored", text, 0, FALSE, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (antenna_test_sub_wait (sub, 3, 5000), ==, 3);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 1), ==, "home/living room/blob");
  g_assert_false (antenna_test_sub_get_retain (sub, 1));
  assert_bytes_equal (antenna_test_sub_get_payload (sub, 1), payload);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 2), ==, "home/empty");
  g_assert_cmpuint (g_bytes_get_size (antenna_test_sub_get_payload (sub, 2)), ==, 0);
  g_assert_null (antenna_test_sub_get_properties (sub, 0));

  /* Nothing more arrives: the filter did not match elsewhere/ignored. */
  g_assert_cmpuint (antenna_test_sub_wait (sub, 4, 300), ==, 3);

  /* A stopped broker refuses publishers with a reason; its directory goes
   * with it. */
  antenna_test_broker_stop (broker);
  g_assert_false (antenna_test_pub (broker, "home/x", text, 0, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "efused"));

  dir = g_strdup (antenna_test_broker_get_dir (broker));
  g_clear_pointer (&sub, antenna_test_sub_free);
  g_clear_pointer (&broker, antenna_test_broker_free);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* A payload far over any default buffer, byte-exact both ways. */
static void
test_large_payload (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "big", 1, FALSE);
  g_autoptr(GBytes) payload = binary_payload (16 * 1024 * 1024 + 3);
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_test_pub (broker, "big", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 60000), ==, 1);
  assert_bytes_equal (antenna_test_sub_get_payload (sub, 0), payload);
}

static void
test_v5_properties (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "v5/#", 2, TRUE);
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"a\":1}", 7);
  g_autoptr(GError) error = NULL;
  const char *props[] = {
    "-V", "5",
    "-D", "publish", "content-type", "application/json",
    "-D", "publish", "user-property", "unit", "celsius",
    "-D", "publish", "user-property", "room", "kitchen",
    "-D", "publish", "response-topic", "v5/reply",
    "-D", "publish", "message-expiry-interval", "120",
    NULL
  };

  g_assert_cmpint (antenna_test_sub_get_granted_qos (sub), ==, 2);
  g_assert_true (antenna_test_pub_full (broker, "v5/props", payload, 1, FALSE, props, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_pub (broker, "v5/plain", payload, 0, FALSE, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (antenna_test_sub_wait (sub, 2, 5000), ==, 2);
  assert_bytes_equal (antenna_test_sub_get_payload (sub, 0), payload);
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "content-type"), ==, "application/json");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "user-property"), ==, "unit:celsius room:kitchen");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "response-topic"), ==, "v5/reply");
  g_assert_nonnull (antenna_test_sub_get_property (sub, 0, "message-expiry-interval"));
  g_assert_null (antenna_test_sub_get_property (sub, 0, "correlation-data"));
  g_assert_null (antenna_test_sub_get_property (sub, 1, "content-type"));
  g_assert_null (antenna_test_sub_get_property (sub, 1, "user-property"));
}

static void
test_auth (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(AntennaTestSub) forbidden = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("on", 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *passwd_file = NULL;
  g_autofree char *passwd = NULL;
  const char *anonymous[] = { "-u", "someone-else", "-P", "wrong", NULL };

  g_assert_cmpstr (antenna_test_broker_get_username (broker), ==, "antenna-test");
  g_assert_nonnull (antenna_test_broker_get_password (broker));

  /* The password file holds a hash, never the password. */
  passwd_file = g_build_filename (antenna_test_broker_get_dir (broker), "passwd", NULL);
  g_assert_true (g_file_get_contents (passwd_file, &passwd, NULL, NULL));
  g_assert_nonnull (strstr (passwd, "antenna-test:"));
  g_assert_null (strstr (passwd, antenna_test_broker_get_password (broker)));

  sub = antenna_test_sub_start (broker, "lights/#", 1, FALSE);
  g_assert_true (antenna_test_pub (broker, "lights/hall", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 5000), ==, 1);

  /* Wrong credentials (the later -u/-P win) are refused. */
  g_assert_false (antenna_test_pub_full (broker, "lights/hall", payload, 1, FALSE, anonymous, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "not authorised"));
  g_clear_error (&error);

  /* forbidden/# is closed by the ACL. mosquitto 2.0 grants every
   * subscription and applies the ACL when it delivers: nothing arrives. */
  forbidden = antenna_test_sub_start (broker, "forbidden/#", 1, FALSE);
  g_assert_cmpint (antenna_test_sub_get_granted_qos (forbidden), ==, 1);
  g_assert_true (antenna_test_pub (broker, "forbidden/x", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (forbidden, 1, 300), ==, 0);
}

static void
check_tls (AntennaTestBrokerFlags flags)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (flags);
  g_autoptr(GError) error = NULL;
  const char *ca = antenna_test_broker_get_ca_file (broker);
  const char *other_ca = antenna_test_broker_get_other_ca_file (broker);
  const char *cert = antenna_test_broker_get_client_cert_file (broker);
  const char *key = antenna_test_broker_get_client_key_file (broker);
  gboolean good_cert = !(flags & (ANTENNA_TEST_BROKER_TLS_WRONG_HOST | ANTENNA_TEST_BROKER_TLS_EXPIRED));
  gboolean need_client_cert = (flags & ANTENNA_TEST_BROKER_TLS_CLIENT_CERT) != 0;
  const char *with_ca[] = { "--cafile", ca, NULL };
  const char *with_ca_cert[] = { "--cafile", ca, "--cert", cert, "--key", key, NULL };
  const char *with_other_ca[] = { "--cafile", other_ca, "--cert", cert, "--key", key, NULL };
  const char *insecure[] = { "--cafile", ca, "--insecure", "--cert", cert, "--key", key, NULL };

  g_assert_cmpuint (antenna_test_broker_get_tls_port (broker), >, 0);
  g_assert_cmpuint (antenna_test_broker_get_tls_port (broker), !=, antenna_test_broker_get_port (broker));
  g_assert_true (g_file_test (ca, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other_ca, G_FILE_TEST_EXISTS));

  /* The plain listener still works. */
  g_assert_true (antenna_test_pub (broker, "plain/check", NULL, 1, FALSE, &error));
  g_assert_no_error (error);

  /* mosquitto_pub checks the host name (127.0.0.1) against the SAN. */
  g_assert_true (pub_tls (broker, with_ca_cert, &error) == good_cert);
  if (good_cert)
    g_assert_no_error (error);
  else
    g_clear_error (&error);

  if (need_client_cert)
    {
      g_assert_false (pub_tls (broker, with_ca, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  else if (good_cert)
    {
      g_assert_true (pub_tls (broker, with_ca, &error));
      g_assert_no_error (error);
    }

  /* A CA that did not sign the certificate is refused. */
  g_assert_false (pub_tls (broker, with_other_ca, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* --insecure skips only the host name check: the expired certificate is
   * still refused, the one for the wrong host accepted. */
  g_assert_true (pub_tls (broker, insecure, &error) ==
                 !(flags & ANTENNA_TEST_BROKER_TLS_EXPIRED));
  g_clear_error (&error);
}

static void
test_tls (void)
{
  check_tls (ANTENNA_TEST_BROKER_TLS);
}

static void
test_tls_wrong_host (void)
{
  check_tls (ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_WRONG_HOST);
}

static void
test_tls_expired (void)
{
  check_tls (ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_EXPIRED);
}

static void
test_tls_client_cert (void)
{
  check_tls (ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_CLIENT_CERT);
}

static void
test_persistence_restart (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PERSISTENCE |
                                                                 ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(GBytes) queued = g_bytes_new_static ("queued while away", 17);
  g_autoptr(GBytes) retained = g_bytes_new_static ("running", 7);
  g_autoptr(GError) error = NULL;
  const char *session[] = { "-i", "fixture-persistent", "-c", NULL };
  guint port;

  g_assert_true (antenna_test_pub (broker, "plant/line1/status", retained, 1, TRUE, &error));
  g_assert_no_error (error);

  /* A persistent session, then away. */
  sub = antenna_test_sub_start_full (broker, "plant/#", 1, FALSE, session);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 5000), ==, 1);
  g_clear_pointer (&sub, antenna_test_sub_free);

  g_assert_true (antenna_test_pub (broker, "plant/line1/event", queued, 1, FALSE, &error));
  g_assert_no_error (error);

  port = antenna_test_broker_get_port (broker);
  antenna_test_broker_restart (broker);
  g_assert_cmpuint (antenna_test_broker_get_port (broker), ==, port);

  /* Back: the session, its queued message and the retained one survived. */
  sub = antenna_test_sub_start_full (broker, "plant/#", 1, FALSE, session);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 2, 5000), ==, 2);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 3, 300), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      if (g_str_equal (antenna_test_sub_get_topic (sub, i), "plant/line1/event"))
        {
          assert_bytes_equal (antenna_test_sub_get_payload (sub, i), queued);
          g_assert_false (antenna_test_sub_get_retain (sub, i));
        }
      else
        {
          g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, "plant/line1/status");
          assert_bytes_equal (antenna_test_sub_get_payload (sub, i), retained);
          g_assert_true (antenna_test_sub_get_retain (sub, i));
        }
    }
  g_clear_pointer (&sub, antenna_test_sub_free);

  /* SIGKILL, then a restart. */
  antenna_test_broker_signal (broker, SIGKILL);
  g_assert_false (antenna_test_pub (broker, "plant/x", NULL, 0, FALSE, &error));
  g_clear_error (&error);
  antenna_test_broker_restart (broker);
  g_assert_true (antenna_test_pub (broker, "plant/x", NULL, 0, FALSE, &error));
  g_assert_no_error (error);
}

static void
test_restart_without_persistence (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(GBytes) retained = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_test_pub (broker, "r/t", retained, 1, TRUE, &error));
  g_assert_no_error (error);
  antenna_test_broker_restart (broker);
  sub = antenna_test_sub_start (broker, "r/#", 1, FALSE);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 300), ==, 0);
}

/* WebSocket ------------------------------------------------------------- */

static void
ws_send_frame (GOutputStream *out,
               const guint8  *data,
               gsize          size)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  guint8 header[2] = { 0x82, 0x80 | (guint8) size };
  guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (size, <, 126);
  g_byte_array_append (frame, header, 2);
  g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < size; i++)
    {
      guint8 b = data[i] ^ mask[i % 4];

      g_byte_array_append (frame, &b, 1);
    }
  g_assert_true (g_output_stream_write_all (out, frame->data, frame->len, NULL, NULL, &error));
  g_assert_no_error (error);
}

static GBytes *
ws_read_frame (GInputStream *in)
{
  guint8 header[2];
  guint8 data[125];
  gsize n = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_input_stream_read_all (in, header, 2, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmphex (header[0], ==, 0x82);    /* FIN, binary */
  g_assert_cmpuint (header[1] & 0x80, ==, 0); /* servers do not mask */
  g_assert_cmpuint (header[1], <, 126);
  g_assert_true (g_input_stream_read_all (in, data, header[1], &n, NULL, &error));
  g_assert_no_error (error);
  return g_bytes_new (data, n);
}

static gboolean
on_accept_certificate_cb (GTlsConnection       *connection,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  return FALSE;
}

/* A WebSocket handshake at /mqtt, then MQTT CONNECT/CONNACK and SUBSCRIBE in
 * binary frames; then a message from mosquitto_pub over the TCP listener. */
static void
check_websocket (AntennaTestBroker *broker,
                 guint              port,
                 gboolean           tls)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("over ws", 7);
  g_autofree char *request = NULL;
  GInputStream *in;
  GOutputStream *out;
  char response[1024];
  gsize n = 0;
  const guint8 connect_packet[] = {
    0x10, 21, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c,
    0x00, 9, 'w', 's', '-', 'f', 'i', 'x', 't', 'u', 'r'
  };
  const guint8 subscribe_packet[] = {
    0x82, 11, 0x00, 0x01, 0x00, 6, 'w', 's', '/', 'o', 'u', 't', 0x00
  };
  const guint8 connack[] = { 0x20, 0x02, 0x00, 0x00 };
  const guint8 suback[] = { 0x90, 0x03, 0x00, 0x01, 0x00 };
  const guint8 *data;
  gsize size;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 10);

  if (tls)
    {
      g_autoptr(GSocketConnectable) identity = g_network_address_new ("localhost", port);
      g_autoptr(GTlsDatabase) database = NULL;

      database = g_tls_file_database_new (antenna_test_broker_get_ca_file (broker), &error);
      g_assert_no_error (error);
      stream = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
      g_assert_no_error (error);
      g_tls_connection_set_database (G_TLS_CONNECTION (stream), database);
      g_signal_connect (stream, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), NULL);
      g_assert_true (g_tls_connection_handshake (G_TLS_CONNECTION (stream), NULL, &error));
      g_assert_no_error (error);
    }
  else
    stream = G_IO_STREAM (g_object_ref (connection));

  in = g_io_stream_get_input_stream (stream);
  out = g_io_stream_get_output_stream (stream);

  request = g_strdup_printf ("GET /mqtt HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Protocol: mqtt\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n", port);
  g_assert_true (g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);

  /* Read the response headers byte by byte up to the blank line. */
  while (n < sizeof response - 1)
    {
      gsize got = 0;

      g_assert_true (g_input_stream_read_all (in, response + n, 1, &got, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (got, ==, 1);
      n++;
      if (n >= 4 && memcmp (response + n - 4, "\r\n\r\n", 4) == 0)
        break;
    }
  response[n] = '\0';
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 101 Switching Protocols\r\n"));
  /* RFC 6455's sample key and its accept value. */
  g_assert_nonnull (strstr (response, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
  g_assert_nonnull (strstr (response, "Sec-WebSocket-Protocol: mqtt\r\n"));

  ws_send_frame (out, connect_packet, sizeof connect_packet);
  frame = ws_read_frame (in);
  data = g_bytes_get_data (frame, &size);
  g_assert_cmpmem (data, size, connack, sizeof connack);
  g_clear_pointer (&frame, g_bytes_unref);

  ws_send_frame (out, subscribe_packet, sizeof subscribe_packet);
  frame = ws_read_frame (in);
  data = g_bytes_get_data (frame, &size);
  g_assert_cmpmem (data, size, suback, sizeof suback);
  g_clear_pointer (&frame, g_bytes_unref);

  g_assert_true (antenna_test_pub (broker, "ws/out", payload, 0, FALSE, &error));
  g_assert_no_error (error);
  frame = ws_read_frame (in);
  data = g_bytes_get_data (frame, &size);
  /* PUBLISH QoS 0: 0x30, length, topic "ws/out", payload. */
  g_assert_cmpuint (size, ==, 2 + 2 + 6 + 7);
  g_assert_cmphex (data[0], ==, 0x30);
  g_assert_cmpmem (data + 2, 8, "\0\6ws/out", 8);
  g_assert_cmpmem (data + 10, 7, "over ws", 7);

  g_io_stream_close (stream, NULL, NULL);
}

static void
test_websocket (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_WEBSOCKET);
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(GBytes) payload = binary_payload (5000);
  g_autoptr(GError) error = NULL;
  guint port;

  g_assert_cmpuint (antenna_test_broker_get_port (broker), >, 0);
  g_assert_cmpuint (antenna_test_broker_get_mqtt_port (broker), >, 0);
  g_assert_cmpuint (antenna_test_broker_get_mqtt_port (broker), !=, antenna_test_broker_get_port (broker));
  g_assert_cmpuint (antenna_test_broker_get_tls_port (broker), ==, 0);

  check_websocket (broker, antenna_test_broker_get_port (broker), FALSE);

  /* mosquitto_pub/sub reach it over its TCP listener. */
  sub = antenna_test_sub_start (broker, "ws/#", 1, FALSE);
  g_assert_true (antenna_test_pub (broker, "ws/bin", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 5000), ==, 1);
  assert_bytes_equal (antenna_test_sub_get_payload (sub, 0), payload);
  g_clear_pointer (&sub, antenna_test_sub_free);

  port = antenna_test_broker_get_port (broker);
  antenna_test_broker_restart (broker);
  g_assert_cmpuint (antenna_test_broker_get_port (broker), ==, port);
  check_websocket (broker, port, FALSE);
}

static void
test_websocket_tls (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_WEBSOCKET |
                                                                 ANTENNA_TEST_BROKER_TLS);

  g_assert_cmpuint (antenna_test_broker_get_tls_port (broker), >, 0);
  g_assert_nonnull (antenna_test_broker_get_ca_file (broker));
  check_websocket (broker, antenna_test_broker_get_port (broker), FALSE);
  check_websocket (broker, antenna_test_broker_get_tls_port (broker), TRUE);
}

static void
test_websocket_auth (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_WEBSOCKET |
                                                                 ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "a/#", 0, FALSE);
  g_autoptr(AntennaTestSub) forbidden = antenna_test_sub_start (broker, "forbidden/#", 0, FALSE);
  g_autoptr(GError) error = NULL;
  const char *wrong[] = { "-P", "wrong", NULL };

  g_assert_cmpint (antenna_test_sub_get_granted_qos (sub), ==, 0);
  g_assert_cmpint (antenna_test_sub_get_granted_qos (forbidden), ==, 128);
  g_assert_true (antenna_test_pub (broker, "a/b", NULL, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 5000), ==, 1);
  g_assert_false (antenna_test_pub_full (broker, "a/b", NULL, 0, FALSE, wrong, &error));
  g_assert_nonnull (error);
}

static void
test_websocket_unsupported (void)
{
  g_autoptr(GError) error = NULL;
  AntennaTestBroker *broker;

  broker = antenna_test_broker_start (ANTENNA_TEST_BROKER_WEBSOCKET | ANTENNA_TEST_BROKER_PERSISTENCE,
                                      &error);
  g_assert_null (broker);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_signal_stop_cont (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "s/#", 0, FALSE);
  g_autoptr(GError) error = NULL;

  /* A stopped broker: nothing flows until it continues. */
  antenna_test_broker_signal (broker, SIGSTOP);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 200), ==, 0);
  antenna_test_broker_signal (broker, SIGCONT);
  g_assert_true (antenna_test_pub (broker, "s/t", NULL, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 5000), ==, 1);
}

static void
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_wait_for (void)
{
  gboolean flag = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (antenna_test_wait_for (&flag, 100));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 100 * 1000);

  /* A flag set by a source on the main context ends the wait early: before
   * a second source, due long before the wait's own end, sets another. */
  {
    gboolean late = FALSE;
    guint late_id;

    g_timeout_add_once (20, set_flag, &flag);
    late_id = g_timeout_add_once (30000, set_flag, &late);
    g_assert_true (antenna_test_wait_for (&flag, 60000));
    g_assert_false (late);
    g_source_remove (late_id);
  }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/test-broker/plain", test_plain);
  g_test_add_func ("/antenna/test-broker/large-payload", test_large_payload);
  g_test_add_func ("/antenna/test-broker/v5-properties", test_v5_properties);
  g_test_add_func ("/antenna/test-broker/auth", test_auth);
  g_test_add_func ("/antenna/test-broker/tls", test_tls);
  g_test_add_func ("/antenna/test-broker/tls-wrong-host", test_tls_wrong_host);
  g_test_add_func ("/antenna/test-broker/tls-expired", test_tls_expired);
  g_test_add_func ("/antenna/test-broker/tls-client-cert", test_tls_client_cert);
  g_test_add_func ("/antenna/test-broker/persistence-restart", test_persistence_restart);
  g_test_add_func ("/antenna/test-broker/restart-without-persistence", test_restart_without_persistence);
  g_test_add_func ("/antenna/test-broker/signal", test_signal_stop_cont);
  g_test_add_func ("/antenna/test-broker/websocket", test_websocket);
  g_test_add_func ("/antenna/test-broker/websocket-tls", test_websocket_tls);
  g_test_add_func ("/antenna/test-broker/websocket-auth", test_websocket_auth);
  g_test_add_func ("/antenna/test-broker/websocket-unsupported", test_websocket_unsupported);
  g_test_add_func ("/antenna/test-broker/wait-for", test_wait_for);

  return antenna_test_run ();
}
