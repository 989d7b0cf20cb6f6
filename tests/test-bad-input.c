/* test-bad-input.c: bad input is answered with a sentence, nothing is lost
 *
 * The gaps left by the other tests (see docs/RELIABILITY.md, promise 6):
 * through AntennaClient against a real mosquitto, topics and filters that
 * are malformed UTF-8 or over 65,535 bytes, and a will topic with a
 * wildcard, are refused with the reason before anything is sent (a
 * mosquitto_sub on "#" sees only a marker sent afterwards); a payload over
 * the MQTT maximum (268,435,455 bytes) is refused before sending, from a
 * sparse file mapped into memory so that no 256 MiB are allocated; a
 * profile whose CA file was deleted fails to connect with a message that
 * names the file; a profile file that cannot be read (a directory, or mode
 * 000 when not root) is set aside with a message and its contents kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

#define WAIT_MS 20000
#define MQTT_MAX_PAYLOAD 268435455

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

/* At QoS 1, a filter that may be invalid. */
static int
subscribe_sync (AntennaClient  *client,
                const char     *filter,
                GError        **error)
{
  g_autoptr(AntennaSubscription) subscription = antenna_subscription_new (filter, 1);

  return antenna_test_subscribe (client, subscription, error);
}

/* A sentence a person can act on: valid UTF-8, ends with a full stop,
 * long enough to say something. */
static void
assert_sentence (const GError *error)
{
  gsize len;

  g_assert_nonnull (error);
  len = strlen (error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (len, >, 20);
  g_assert_cmpuint (len, <, 1000);
  g_assert_true (g_str_has_suffix (error->message, ".") || g_str_has_suffix (error->message, ".”"));
}

static AntennaProfile *
make_profile (AntennaTestBroker *broker)
{
  AntennaProfile *profile = antenna_profile_new ();

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  antenna_profile_set_connect_timeout (profile, 20);
  antenna_profile_set_auto_reconnect (profile, FALSE);
  return profile;
}

/* ------------------------------------------------------------------------ */
/* Topics and filters                                                        */

static void
test_topics (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = make_profile (broker);
  g_autoptr(AntennaClient) client = antenna_client_new (profile);
  g_autoptr(AntennaTestSub) peer = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *long_topic = g_malloc (65536 + 1);
  g_autofree char *long_filter = NULL;
  g_autofree char *max_topic = NULL;
  const char *bad_utf8[] = {
    "caf\xc3",              /* cut in the middle of a character */
    "a/\xff/b",             /* never valid */
    "a/\xc0\xaf",           /* overlong "/" */
    "\xed\xa0\x80/x",       /* a UTF-16 surrogate */
  };

  memset (long_topic, 'a', 65536);
  long_topic[65536] = '\0';
  long_filter = g_strconcat (long_topic + 2, "/#", NULL);   /* 65,536 bytes too */
  max_topic = g_strndup (long_topic, 65535);

  g_assert_true (antenna_test_connect (client, NULL, &error));
  g_assert_no_error (error);
  peer = antenna_test_sub_start (broker, "#", 1, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (bad_utf8); i++)
    {
      g_assert_false (antenna_test_publish (client, bad_utf8[i], payload, 1, FALSE, NULL, &error));
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
      assert_sentence (error);
      g_assert_nonnull (strstr (error->message, "UTF-8"));
      g_test_message ("publish, malformed UTF-8 %u: %s", i, error->message);
      g_clear_error (&error);

      g_assert_cmpint (subscribe_sync (client, bad_utf8[i], &error), <, 0);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
      assert_sentence (error);
      g_assert_nonnull (strstr (error->message, "UTF-8"));
      g_clear_error (&error);

      g_assert_false (antenna_test_unsubscribe (client, bad_utf8[i], &error));
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
      g_clear_error (&error);
    }

  /* 65,536 bytes: one over what the two-byte length can say. */
  g_assert_false (antenna_test_publish (client, long_topic, payload, 1, FALSE, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
  assert_sentence (error);
  g_assert_nonnull (strstr (error->message, "65"));
  g_test_message ("publish, 65,536 bytes: %s", error->message);
  g_clear_error (&error);

  g_assert_cmpint (subscribe_sync (client, long_filter, &error), <, 0);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
  assert_sentence (error);
  g_test_message ("subscribe, 65,536 bytes: %s", error->message);
  g_clear_error (&error);

  /* Nothing of this became a subscription. */
  g_assert_cmpuint (g_list_model_get_n_items (antenna_client_get_subscriptions (client)), ==, 0);

  /* The longest valid topic goes through: the limit is exact. */
  g_assert_true (antenna_test_publish (client, max_topic, payload, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (peer, 1, WAIT_MS), ==, 1);
  g_assert_cmpuint (strlen (antenna_test_sub_get_topic (peer, 0)), ==, 65535);

  /* A marker, then nothing else arrived. */
  g_assert_true (antenna_test_publish (client, "marker", payload, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (peer, 2, WAIT_MS), ==, 2);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (peer), ==, 2);
  g_assert_cmpstr (antenna_test_sub_get_topic (peer, 1), ==, "marker");
  g_assert_cmpint (antenna_client_get_state (client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  antenna_test_disconnect_ok (client);
}

/* A will topic with a wildcard would make the broker close the connection
 * without saying why; the client says it before connecting. */
static void
test_will_topic (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  const char *bad[] = { "status/#", "a/+/b", "caf\xc3" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(AntennaProfile) profile = make_profile (broker);
      g_autoptr(AntennaClient) client = NULL;
      g_autoptr(GError) error = NULL;

      antenna_profile_set_will_topic (profile, bad[i]);
      client = antenna_client_new (profile);
      g_assert_false (antenna_test_connect (client, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("will topic %u: %s", i, error->message);
      assert_sentence (error);
      g_assert_true (g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC) ||
                     g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT));
      g_assert_true (strstr (error->message, "will") != NULL || strstr (error->message, "Will") != NULL);
      g_assert_cmpint (antenna_client_get_state (client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
    }
}

/* ------------------------------------------------------------------------ */
/* A payload over the MQTT maximum                                           */

static void
test_payload_over_maximum (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = make_profile (broker);
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaTestSub) peer = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(GBytes) small = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("antenna-bad-input-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sparse", NULL);
  int fd;

  /* 268,435,456 bytes, all a hole: the mapping costs no memory until read. */
  fd = g_open (path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) MQTT_MAX_PAYLOAD + 1), ==, 0);
  close (fd);
  mapped = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  huge = g_mapped_file_get_bytes (mapped);
  g_assert_cmpuint (g_bytes_get_size (huge), ==, (gsize) MQTT_MAX_PAYLOAD + 1);

  /* v3.1.1: no maximum from the broker, only MQTT's own. */
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_3_1_1);
  client = antenna_client_new (profile);
  g_assert_true (antenna_test_connect (client, NULL, &error));
  g_assert_no_error (error);
  peer = antenna_test_sub_start (broker, "#", 1, FALSE);

  for (int qos = 0; qos <= 2; qos++)
    {
      gint64 start = g_get_monotonic_time ();

      g_assert_false (antenna_test_publish (client, "big", huge, qos, FALSE, NULL, &error));
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE);
      assert_sentence (error);
      g_assert_nonnull (strstr (error->message, "too large"));
      g_test_message ("QoS %d: %s (%" G_GINT64_FORMAT " ms)", qos, error->message,
                      (g_get_monotonic_time () - start) / 1000);
      g_clear_error (&error);
    }

  g_assert_true (antenna_test_publish (client, "marker", small, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_sub_wait (peer, 1, WAIT_MS), ==, 1);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (peer), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_topic (peer, 0), ==, "marker");
  g_assert_cmpint (antenna_client_get_state (client), ==, ANTENNA_CLIENT_STATE_CONNECTED);
  antenna_test_disconnect_ok (client);

  g_clear_pointer (&huge, g_bytes_unref);
  g_clear_pointer (&mapped, g_mapped_file_unref);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* TLS files that are gone                                                   */

static void
check_missing_file (AntennaTestBroker *broker,
                    const char        *which)
{
  g_autoptr(AntennaProfile) profile = make_profile (broker);
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("antenna-bad-input-XXXXXX", NULL);
  g_autofree char *gone = g_build_filename (dir, "deleted-ca.pem", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  /* Copy the real file, point the profile to the copy, delete the copy. */
  g_assert_true (g_file_get_contents (antenna_test_broker_get_ca_file (broker), &contents, &length, NULL));
  g_assert_true (g_file_set_contents (gone, contents, length, NULL));

  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (broker));
  antenna_profile_set_tls_ca_file (profile, antenna_test_broker_get_ca_file (broker));
  if (g_str_equal (which, "ca"))
    antenna_profile_set_tls_ca_file (profile, gone);
  else if (g_str_equal (which, "cert"))
    {
      antenna_profile_set_tls_cert_file (profile, gone);
      antenna_profile_set_tls_key_file (profile, antenna_test_broker_get_client_key_file (broker));
    }
  else
    {
      antenna_profile_set_tls_cert_file (profile, antenna_test_broker_get_client_cert_file (broker));
      antenna_profile_set_tls_key_file (profile, gone);
    }
  g_assert_cmpint (g_unlink (gone), ==, 0);

  client = antenna_client_new (profile);
  g_assert_false (antenna_test_connect (client, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s file deleted: %s", which, error->message);
  assert_sentence (error);
  if (strstr (error->message, gone) == NULL)
    g_error ("The message “%s” does not name the missing file %s", error->message, gone);
  g_assert_cmpint (antenna_client_get_state (client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_deleted_tls_files (void)
{
  g_autoptr(AntennaTestBroker) broker =
    antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_CLIENT_CERT);

  check_missing_file (broker, "ca");
  check_missing_file (broker, "cert");
  check_missing_file (broker, "key");
}

/* ------------------------------------------------------------------------ */
/* A profile file that cannot be read                                        */

static void
check_unreadable (const char *dir,
                  gboolean    as_directory)
{
  g_autofree char *path = g_build_filename (dir, "profiles.json", NULL);
  g_autofree char *inner = g_build_filename (path, "precious.txt", NULL);
  g_autoptr(AntennaProfileStore) store = NULL;
  g_autoptr(AntennaProfile) fresh = antenna_profile_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *inner_kept = NULL;
  const char *original = "{\"format\": \"antenna-profiles\", \"version\": 1, \"profiles\": []}";

  if (as_directory)
    {
      /* What a user gets by unpacking a backup in the wrong place: a
       * directory where the file should be. Works as root too. */
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      g_assert_true (g_file_set_contents (inner, "keep me", -1, NULL));
    }
  else
    {
      g_assert_true (g_file_set_contents (path, original, -1, NULL));
      g_assert_cmpint (g_chmod (path, 0000), ==, 0);
    }

  store = antenna_profile_store_new (path);
  g_assert_false (antenna_profile_store_load (store, &moved_to, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
  g_test_message ("%s: %s", as_directory ? "a directory" : "mode 000", error->message);
  assert_sentence (error);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  /* Set aside, contents untouched; the message says where. */
  g_assert_nonnull (moved_to);
  g_assert_nonnull (strstr (error->message, moved_to));
  g_clear_error (&error);
  if (as_directory)
    {
      inner_kept = g_build_filename (moved_to, "precious.txt", NULL);
      kept = antenna_test_read_file (inner_kept);
      g_assert_cmpstr (kept, ==, "keep me");
    }
  else
    {
      g_assert_cmpint (g_chmod (moved_to, 0600), ==, 0);
      kept = antenna_test_read_file (moved_to);
      g_assert_cmpstr (kept, ==, original);
    }

  /* A new profile is saved in a new file, and the set-aside one stays. */
  antenna_profile_set_name (fresh, "After");
  antenna_profile_store_add (store, fresh);
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (moved_to, as_directory ? G_FILE_TEST_IS_DIR : G_FILE_TEST_IS_REGULAR));

  g_assert_cmpint (g_unlink (path), ==, 0);
  if (as_directory)
    {
      g_assert_cmpint (g_unlink (inner_kept), ==, 0);
      g_assert_cmpint (g_rmdir (moved_to), ==, 0);
    }
  else
    g_assert_cmpint (g_unlink (moved_to), ==, 0);
}

static void
test_unreadable_profile_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("antenna-bad-input-XXXXXX", NULL);

  check_unreadable (dir, TRUE);
  /* root reads a file of mode 000: that case only means something for a user. */
  if (geteuid () != 0)
    check_unreadable (dir, FALSE);
  else
    g_test_message ("running as root: mode 000 does not stop root, only the directory case ran");
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/bad-input/topics", test_topics);
  g_test_add_func ("/antenna/bad-input/will-topic", test_will_topic);
  g_test_add_func ("/antenna/bad-input/payload-over-maximum", test_payload_over_maximum);
  g_test_add_func ("/antenna/bad-input/deleted-tls-files", test_deleted_tls_files);
  g_test_add_func ("/antenna/bad-input/unreadable-profile-file", test_unreadable_profile_file);

  return antenna_test_run ();
}
