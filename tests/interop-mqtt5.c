/* interop-mqtt5.c: a whole MQTT 5 session of AntennaClient against a broker of small limits
 *
 * Not part of the suite: run by hand against the Eclipse Paho test broker
 * (paho.mqtt.testing, whose defaults are receive maximum 2, maximum packet
 * size 256, topic alias maximum 2), whose log then says whether Antenna broke
 * a rule of the protocol; docs/RELIABILITY.md has the command and what it
 * showed. It works against any MQTT 5 broker on 127.0.0.1:
 *
 *   interop-mqtt5 PORT
 *
 * What it does, through the core as the application does: connect with
 * every MQTT 5 CONNECT setting (receive maximum 5, maximum packet size 4096,
 * topic alias maximum 2, response and problem information, user
 * properties, a will with a delay and properties), subscribe, publish
 * bursts of 20 at QoS 0, 1 and 2 on three topics (more in flight than the
 * broker's receive maximum, and more topics than aliases), receive them
 * (the broker's topic aliases resolved), refuse a message larger than the
 * broker's maximum packet size before sending it, unsubscribe, then lose the
 * connection without DISCONNECT (through a relay it cuts) so that a second
 * client receives the will, and disconnect that one. It prints what it saw
 * and exits 0 when everything came as expected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-test-client.h"
#include "antenna-test-relay.h"
#include "antenna-test-utils.h"

#define PER_QOS  20
#define N_TOPICS 3
#define WAIT_MS  30000

static int failures = 0;

static void
check (gboolean    ok,
       const char *what)
{
  printf ("%s %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok)
    failures++;
}

static AntennaProfile *
make_profile (guint port)
{
  AntennaProfile *profile = antenna_profile_new ();
  g_autoptr(AntennaProperties) user = antenna_properties_new ();
  g_autoptr(AntennaProperties) will = antenna_properties_new ();
  g_autoptr(GBytes) will_payload = g_bytes_new_static ("antenna is gone", 15);

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, port);
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  antenna_profile_set_auto_reconnect (profile, FALSE);
  antenna_profile_set_session_expiry (profile, 30);
  antenna_profile_set_receive_maximum (profile, 5);
  antenna_profile_set_maximum_packet_size (profile, 4096);
  antenna_profile_set_topic_alias_maximum (profile, 2);
  antenna_profile_set_request_response_information (profile, TRUE);
  antenna_profile_set_request_problem_information (profile, TRUE);
  antenna_properties_add_user_property (user, "client", "antenna");
  antenna_profile_set_connect_properties (profile, user);

  antenna_profile_set_will_topic (profile, "interop/will");
  antenna_profile_set_will_payload (profile, will_payload);
  antenna_profile_set_will_qos (profile, 1);
  antenna_profile_set_will_delay_interval (profile, 2);
  will->content_type = g_strdup ("text/plain");
  will->payload_format = 1;
  will->message_expiry = 300;
  antenna_properties_add_user_property (will, "reason", "cut");
  antenna_profile_set_will_properties (profile, will);
  return profile;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaProfile) watcher_profile = NULL;
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaClient) watcher = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) wills = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) too_big = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[3] = { 0, 0, 0 };
  guint wrong_topics = 0;
  g_autoptr(AntennaTestRelay) relay = NULL;
  guint port;

  if (argc != 2 || (port = (guint) atoi (argv[1])) == 0)
    {
      fprintf (stderr, "Usage: %s PORT (an MQTT 5 broker on 127.0.0.1)\n", argv[0]);
      return 2;
    }
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");

  relay = antenna_test_relay_new (port);
  profile = make_profile (antenna_test_relay_get_port (relay));
  client = antenna_client_new (profile);
  antenna_test_collect_messages (client, messages);

  antenna_test_connect_ok (client, NULL);
  printf ("connected: the broker's maximum packet size %u\n", antenna_client_get_maximum_packet_size (client));
  antenna_test_subscribe_ok (client, "interop/data/#", 2);

  /* Bursts beyond the broker's receive maximum, on more topics than aliases. */
  for (int qos = 0; qos <= 2; qos++)
    {
      GAsyncResult *results[PER_QOS] = { NULL, };
      guint ok = 0;

      for (guint i = 0; i < PER_QOS; i++)
        {
          g_autofree char *topic = g_strdup_printf ("interop/data/q%d/t%u", qos, i % N_TOPICS);
          g_autofree char *text = g_strdup_printf ("qos %d message %u", qos, i);
          g_autoptr(GBytes) payload = g_bytes_new (text, strlen (text));

          antenna_client_publish_full_async (client, topic, payload, qos, FALSE, NULL,
                                             ANTENNA_PUBLISH_FLAGS_NONE, NULL,
                                             antenna_test_store_result, &results[i]);
        }
      for (guint i = 0; i < PER_QOS; i++)
        {
          g_autoptr(GError) publish_error = NULL;

          if (antenna_client_publish_finish (client, antenna_test_wait_result (&results[i], WAIT_MS), &publish_error))
            ok++;
          else
            printf ("     publish failed: %s\n", publish_error->message);
          g_clear_object (&results[i]);
        }
      {
        g_autofree char *what = g_strdup_printf ("QoS %d: %u of %u publishes completed", qos, ok, PER_QOS);
        check (ok == PER_QOS, what);
      }
    }

  /* The broker drops QoS 0 messages to a client whose window is full
   * (its dropQoS0): all of QoS 1 and 2 must come, some of QoS 0. */
  antenna_test_wait_messages (messages, 2 * PER_QOS + 1, WAIT_MS);
  g_usleep (G_USEC_PER_SEC / 2);
  antenna_test_wait_messages (messages, 3 * PER_QOS, 1000);
  for (guint i = 0; i < messages->len; i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);
      const char *topic = antenna_message_get_topic (message);
      int qos;
      guint t;

      if (sscanf (topic, "interop/data/q%d/t%u", &qos, &t) != 2 || qos < 0 || qos > 2 || t >= N_TOPICS)
        {
          printf ("     unexpected topic “%s”\n", topic);
          wrong_topics++;
          continue;
        }
      counts[qos]++;
    }
  printf ("received: QoS 0 %u, QoS 1 %u, QoS 2 %u, topics unresolved or wrong %u\n",
          counts[0], counts[1], counts[2], wrong_topics);
  check (counts[1] == PER_QOS && counts[2] == PER_QOS, "every QoS 1 and 2 message came back");
  check (counts[0] > 0, "QoS 0 messages came back");
  check (wrong_topics == 0, "every topic resolved (the broker's topic aliases)");

  /* Larger than the broker's 256 bytes: refused here, never sent. */
  {
    char *data = g_malloc (400);

    memset (data, 'x', 400);
    too_big = g_bytes_new_take (data, 400);
  }
  check (!antenna_test_publish (client, "interop/data/big", too_big, 1, FALSE, NULL, &error),
         "a 400-byte message is refused before it is sent");
  if (error != NULL)
    printf ("     %s\n", error->message);
  g_clear_error (&error);

  check (antenna_test_unsubscribe (client, "interop/data/#", &error), "unsubscribe");
  g_clear_error (&error);

  /* Another client waits for the will; the network fails under the first. */
  watcher_profile = antenna_profile_new ();
  antenna_profile_set_host (watcher_profile, "127.0.0.1");
  antenna_profile_set_port (watcher_profile, port);
  antenna_profile_set_mqtt_version (watcher_profile, ANTENNA_MQTT_VERSION_5);
  antenna_profile_set_auto_reconnect (watcher_profile, FALSE);
  watcher = antenna_client_new (watcher_profile);
  antenna_test_collect_messages (watcher, wills);
  antenna_test_connect_ok (watcher, NULL);
  antenna_test_subscribe_ok (watcher, "interop/will", 1);

  antenna_test_relay_cut (relay);
  check (antenna_test_wait_state (client, ANTENNA_CLIENT_STATE_DISCONNECTED, WAIT_MS),
         "the first client saw its connection lost");
  check (antenna_test_wait_messages (wills, 1, WAIT_MS) == 1, "the will arrived at the second client");
  if (wills->len > 0)
    {
      AntennaMessage *will = g_ptr_array_index (wills, 0);
      AntennaProperties *props = antenna_message_get_properties (will);

      check (props != NULL && g_strcmp0 (props->content_type, "text/plain") == 0 &&
             props->payload_format == 1 && props->user_properties->len == 2,
             "with its properties (content type, payload format, user property)");
    }
  antenna_test_disconnect_ok (watcher);

  printf ("%s\n", failures == 0 ? "PASS" : "FAILED");
  return failures == 0 ? 0 : 1;
}
