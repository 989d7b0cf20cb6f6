/* test-profile-store.c: AntennaProfileStore against real files
 *
 * Each test runs with its own HOME and XDG dirs (G_TEST_OPTION_ISOLATE_DIRS),
 * so the store's default path is a fresh g_get_user_config_dir()/antenna.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-template-store.h"
#include "antenna-subscription.h"
#include "antenna-test-utils.h"

/* Every setting away from its default. */
static const char full_profile_json[] =
  "{"
  "\"id\":\"0b7b3a4e-6a8c-4a7e-9a43-2f1c7e1d0a11\","
  "\"name\":\"Planta — línea 2\","
  "\"host\":\"broker.example.org\","
  "\"port\":8443,"
  "\"transport\":\"wss\","
  "\"ws-path\":\"/ws/mqtt\","
  "\"mqtt-version\":\"3.1.1\","
  "\"client-id\":\"antenna-test-1\","
  "\"username\":\"alice\","
  "\"save-password\":false,"
  "\"keepalive\":15,"
  "\"clean-start\":false,"
  "\"session-expiry\":86400,"
  "\"connect-timeout\":33,"
  "\"auto-reconnect\":false,"
  "\"tls-ca-file\":\"/etc/ssl/ca.pem\","
  "\"tls-cert-file\":\"/home/a/cert.pem\","
  "\"tls-key-file\":\"/home/a/key.pem\","
  "\"tls-alpn\":\"mqtt\","
  "\"tls-verify-hostname\":false,"
  "\"tls-allow-insecure\":true,"
  "\"will-topic\":\"clients/antenna/status\","
  "\"will-payload\":\"Z29uZQD/AQ==\","
  "\"will-qos\":1,"
  "\"will-retain\":true,"
  "\"will-properties\":{\"content-type\":\"application/json\",\"payload-format\":1,"
  "  \"response-topic\":\"replies/antenna\",\"correlation-data\":\"AAEC\",\"message-expiry\":3600,"
  "  \"user-properties\":[[\"site\",\"north\"],[\"site\",\"south\"]]},"
  "\"subscriptions\":["
  "  {\"filter\":\"sensors/+/temp\",\"qos\":2,\"no-local\":true,\"retain-as-published\":true,"
  "   \"retain-handling\":\"send-if-new\",\"color\":\"#3584e4\",\"paused\":true},"
  "  {\"filter\":\"$SYS/#\",\"qos\":0}"
  "]"
  "}";

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_build_filename (g_get_user_config_dir (), APP_DIR_NAME, NULL);
  f->path = g_build_filename (f->dir, "profiles.json", NULL);
  /* Isolated per test: nothing there yet. */
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->dir);
  g_free (f->path);
}

static AntennaProfile *
full_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (full_profile_json, &error);
  AntennaProfile *profile;

  g_assert_no_error (error);
  profile = antenna_profile_new_from_json (node, &error);
  g_assert_no_error (error);

  return profile;
}

static AntennaProfile *
named_profile (const char *name)
{
  AntennaProfile *profile = antenna_profile_new ();

  antenna_profile_set_name (profile, name);
  antenna_profile_set_host (profile, "broker.example");
  return profile;
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

/* The whole store as JSON text, to compare before and after. */
static char *
dump_store (AntennaProfileStore *store)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(AntennaProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(JsonNode) node = antenna_profile_to_json (profile);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
      g_string_append_c (out, '\n');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint
count_files_with_prefix (const char *dir,
                         const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

/* Tests */

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;

  g_assert_cmpstr (antenna_profile_store_get_path (store), ==, f->path);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == ANTENNA_TYPE_PROFILE);

  g_assert_true (antenna_profile_store_load (store, &moved_to, &error));
  g_assert_no_error (error);
  g_assert_null (moved_to);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  /* Loading writes nothing. */
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfileStore) again = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) full = full_profile ();
  g_autoptr(AntennaProfile) plain = named_profile ("Plain");
  g_autoptr(AntennaProfile) loaded_full = NULL;
  g_autoptr(AntennaProfile) loaded_plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  antenna_profile_store_add (store, full);
  antenna_profile_store_add (store, plain);
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);

  contents = antenna_test_read_file (f->path);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  /* no profile needs more than version 1: an older Antenna reads it whole */
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "antenna-profiles");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "profiles")), ==, 2);

  g_assert_true (antenna_profile_store_load (again, &moved_to, &error));
  g_assert_no_error (error);
  g_assert_null (moved_to);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);

  loaded_full = g_list_model_get_item (G_LIST_MODEL (again), 0);
  loaded_plain = g_list_model_get_item (G_LIST_MODEL (again), 1);
  g_assert_true (antenna_profile_equal (loaded_full, full));
  g_assert_true (antenna_profile_equal (loaded_plain, plain));
  g_assert_cmpuint (antenna_profile_get_port (loaded_full), ==, 8443);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_subscriptions (loaded_full)), ==, 2);
  g_assert_true (antenna_profile_store_find (again, antenna_profile_get_id (full)) != NULL);
  g_assert_null (antenna_profile_store_find (again, "no-such-id"));

  /* Saving what was loaded gives the same file. */
  {
    g_autofree char *before = g_strdup (contents);
    g_autofree char *after = NULL;

    g_assert_true (antenna_profile_store_save (again, &error));
    after = antenna_test_read_file (f->path);
    g_assert_cmpstr (after, ==, before);
  }

  /* Remove, save, load. */
  antenna_profile_store_remove (again, loaded_full);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_assert_true (antenna_profile_store_save (again, &error));
  g_assert_true (antenna_profile_store_load (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
}

static void
test_file_modes (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = named_profile ("Home");
  g_autoptr(GError) error = NULL;
  mode_t old_umask;
  GStatBuf st;

  /* Even a permissive umask and an open folder end private. */
  old_umask = umask (0);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0777), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0777), ==, 0);

  antenna_profile_store_add (store, profile);
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);
  umask (old_umask);

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);

  /* An existing file that was readable by others is replaced by a private one. */
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  antenna_profile_set_port (profile, 1884);
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  /* A folder made by the store itself is 0700. */
  {
    g_autofree char *deep = g_build_filename (g_get_user_config_dir (), "elsewhere", "deeper", "p.json", NULL);
    g_autofree char *deep_dir = g_path_get_dirname (deep);
    g_autoptr(AntennaProfileStore) other = antenna_profile_store_new (deep);

    g_assert_true (antenna_profile_store_save (other, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_stat (deep_dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0700);
    g_assert_cmpint (g_stat (deep, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  }
}

static void
test_stale_temporary_file (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfileStore) again = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = full_profile ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *moved_to = NULL;

  antenna_profile_store_add (store, profile);
  g_assert_true (antenna_profile_store_save (store, &error));
  before = antenna_test_read_file (f->path);

  /* What a write cut short by a crash leaves: g_file_set_contents' temporary
   * name beside the file, half written. */
  stale = g_strconcat (f->path, ".K3ZQ1P", NULL);
  write_file (stale, before, strlen (before) / 2);

  g_assert_true (antenna_profile_store_load (again, &moved_to, &error));
  g_assert_no_error (error);
  g_assert_null (moved_to);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  after = antenna_test_read_file (f->path);
  g_assert_cmpstr (after, ==, before);

  /* And saving again still works, next to it. */
  antenna_profile_set_name (profile, "Renamed");
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_profile_store_load (again, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(AntennaProfile) loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
    g_assert_cmpstr (antenna_profile_get_name (loaded), ==, "Renamed");
  }
  /* No temporary file of ours left behind by the saves. */
  g_assert_cmpuint (count_files_with_prefix (f->dir, "profiles.json"), ==, 2);
}

static void
assert_set_aside (Fixture    *f,
                  const char *moved_to,
                  const char *original,
                  gsize       original_length)
{
  g_autofree char *basename = NULL;
  g_autofree char *dirname = NULL;
  g_autofree char *kept = NULL;
  gsize kept_length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (moved_to);
  basename = g_path_get_basename (moved_to);
  dirname = g_path_get_dirname (moved_to);
  g_assert_cmpstr (dirname, ==, f->dir);
  g_assert_true (g_str_has_prefix (basename, "profiles.json.bad-"));
  g_file_get_contents (moved_to, &kept, &kept_length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (kept, kept_length, original, original_length);
}

static void
test_corrupt_file (Fixture       *f,
                   gconstpointer  data)
{
  static const char garbage[] = "{\"version\": 1, \"profiles\": [ {\"name\": \"Ho";
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  g_autofree char *moved_again = NULL;
  g_autoptr(AntennaProfile) profile = named_profile ("After");

  write_file (f->path, garbage, -1);

  g_assert_false (antenna_profile_store_load (store, &moved_to, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, moved_to));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  assert_set_aside (f, moved_to, garbage, strlen (garbage));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  /* A new file is written; the one set aside is never touched. */
  antenna_profile_store_add (store, profile);
  g_assert_true (antenna_profile_store_save (store, NULL));
  assert_set_aside (f, moved_to, garbage, strlen (garbage));

  /* The same again within the same second: a second file, not over the first. */
  g_clear_error (&error);
  write_file (f->path, "\x89PNG\r\n\x1a\n\0\0\0binary", 17);
  g_assert_false (antenna_profile_store_load (store, &moved_again, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
  g_assert_cmpstr (moved_again, !=, moved_to);
  assert_set_aside (f, moved_again, "\x89PNG\r\n\x1a\n\0\0\0binary", 17);
  assert_set_aside (f, moved_to, garbage, strlen (garbage));
  g_assert_cmpuint (count_files_with_prefix (f->dir, "profiles.json.bad-"), ==, 2);
}

static void
test_partly_bad_file (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfileStore) again = antenna_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  g_autofree char *contents = NULL;

  contents = g_strdup_printf ("{\"version\":1,\"profiles\":["
                              "{\"id\":\"a\",\"name\":\"Good one\",\"host\":\"one.example\"},"
                              "{\"id\":\"b\",\"name\":\"Bad one\",\"port\":\"not a number\"},"
                              "%s,"
                              "{\"id\":\"c\",\"name\":\"Bad too\",\"transport\":\"carrier-pigeon\"}"
                              "]}",
                              full_profile_json);
  write_file (f->path, contents, -1);

  g_assert_false (antenna_profile_store_load (store, &moved_to, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
  g_test_message ("%s", error->message);
  /* It says how many, why, and where the file went. */
  g_assert_nonnull (strstr (error->message, "2 saved connections"));
  g_assert_nonnull (strstr (error->message, "“port”"));
  g_assert_nonnull (strstr (error->message, moved_to));
  assert_set_aside (f, moved_to, contents, strlen (contents));

  /* The good ones are kept, and saved at once into a new file. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_nonnull (antenna_profile_store_find (store, "a"));
  g_assert_nonnull (antenna_profile_store_find (store, "0b7b3a4e-6a8c-4a7e-9a43-2f1c7e1d0a11"));

  g_clear_error (&error);
  g_assert_true (antenna_profile_store_load (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
}

static void
test_newer_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  g_autofree char *contents = NULL;

  contents = g_strdup_printf ("{\"format\":\"antenna-profiles\",\"version\":%d,\"profiles\":["
                              "{\"id\":\"a\",\"name\":\"From the future\",\"teleport\":{\"x\":1}}"
                              "],\"groups\":[]}",
                              ANTENNA_PROFILE_STORE_VERSION + 1);
  write_file (f->path, contents, -1);

  g_assert_false (antenna_profile_store_load (store, &moved_to, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_NEWER_VERSION);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "newer version"));
  assert_set_aside (f, moved_to, contents, strlen (contents));

  /* What could be read is kept. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_nonnull (antenna_profile_store_find (store, "a"));
}

/* The automatic MQTT version (format version 2) and what it remembers; the
 * files of version 1 load as before, and stay version 1 until a profile
 * needs 2. */
static void
test_automatic_version (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfileStore) again = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *moved_to = NULL;
  JsonObject *object;
  JsonObject *first;

  /* as an older Antenna wrote it */
  write_file (f->path,
              "{\"format\":\"antenna-profiles\",\"version\":1,\"profiles\":["
              "{\"id\":\"a\",\"name\":\"Rabbit\",\"host\":\"rabbit.example\",\"mqtt-version\":\"3.1.1\"},"
              "{\"id\":\"b\",\"name\":\"Five\",\"mqtt-version\":\"5\"}]}", -1);
  g_assert_true (antenna_profile_store_load (store, &moved_to, &error));
  g_assert_no_error (error);
  g_assert_null (moved_to);
  g_assert_cmpint (antenna_profile_get_mqtt_version (antenna_profile_store_find (store, "a")), ==,
                   ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_cmpint (antenna_profile_get_detected_mqtt_version (antenna_profile_store_find (store, "a")), ==,
                   ANTENNA_MQTT_VERSION_AUTOMATIC);

  /* automatic, and what a connection found: version 2 */
  antenna_profile_set_mqtt_version (antenna_profile_store_find (store, "a"), ANTENNA_MQTT_VERSION_AUTOMATIC);
  antenna_profile_set_detected_mqtt_version (antenna_profile_store_find (store, "a"), ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);
  contents = antenna_test_read_file (f->path);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 2);
  first = json_array_get_object_element (json_object_get_array_member (object, "profiles"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "mqtt-version"), ==, "automatic");
  g_assert_cmpstr (json_object_get_string_member (first, "detected-mqtt-version"), ==, "3.1.1");

  g_assert_true (antenna_profile_store_load (again, &moved_to, &error));
  g_assert_no_error (error);
  g_assert_null (moved_to);
  loaded = g_object_ref (antenna_profile_store_find (again, "a"));
  g_assert_cmpint (antenna_profile_get_mqtt_version (loaded), ==, ANTENNA_MQTT_VERSION_AUTOMATIC);
  g_assert_cmpint (antenna_profile_get_detected_mqtt_version (loaded), ==, ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_true (antenna_profile_equal (loaded, antenna_profile_store_find (store, "a")));

  /* another broker: what worked for the old one is forgotten */
  antenna_profile_set_host (loaded, "other.example");
  g_assert_cmpint (antenna_profile_get_detected_mqtt_version (loaded), ==, ANTENNA_MQTT_VERSION_AUTOMATIC);

  /* no longer automatic: version 1 again */
  antenna_profile_set_mqtt_version (loaded, ANTENNA_MQTT_VERSION_5);
  g_assert_true (antenna_profile_store_save (again, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&root, json_node_unref);
  contents = antenna_test_read_file (f->path);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 1);
  g_assert_null (strstr (contents, "detected-mqtt-version"));
}

static void
test_wrong_shapes (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const files[] = {
    "",
    "[]",
    "{}",
    "{\"version\":\"1\",\"profiles\":[]}",
    "{\"version\":1}",
    "{\"version\":1,\"profiles\":{}}",
    "{\"format\":\"something-else\",\"version\":1,\"profiles\":[]}",
    "null",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *moved_to = NULL;

      g_test_message ("“%s”", files[i]);
      write_file (f->path, files[i], -1);
      g_assert_false (antenna_profile_store_load (store, &moved_to, &error));
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
      assert_set_aside (f, moved_to, files[i], strlen (files[i]));
    }

  g_assert_cmpuint (count_files_with_prefix (f->dir, "profiles.json.bad-"), ==, G_N_ELEMENTS (files));
}

static void
test_unique_names (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) a = named_profile ("Home");
  g_autoptr(AntennaProfile) b = named_profile ("Home");
  g_autoptr(AntennaProfile) c = named_profile ("Home");
  g_autoptr(AntennaProfile) d = named_profile ("");
  g_autoptr(AntennaProfile) e = named_profile ("");
  AntennaProfile *dup;
  g_autofree char *name = NULL;

  antenna_profile_store_add (store, a);
  antenna_profile_store_add (store, b);
  antenna_profile_store_add (store, c);
  g_assert_cmpstr (antenna_profile_get_name (a), ==, "Home");
  g_assert_cmpstr (antenna_profile_get_name (b), ==, "Home (2)");
  g_assert_cmpstr (antenna_profile_get_name (c), ==, "Home (3)");

  /* Unnamed profiles show their address: left alone. */
  antenna_profile_store_add (store, d);
  antenna_profile_store_add (store, e);
  g_assert_cmpstr (antenna_profile_get_name (e), ==, "");

  name = antenna_profile_store_make_unique_name (store, "Home (2)", NULL);
  g_assert_cmpstr (name, ==, "Home (4)");
  g_free (name);
  name = antenna_profile_store_make_unique_name (store, "Home (2)", b);
  g_assert_cmpstr (name, ==, "Home (2)");
  g_free (name);
  name = antenna_profile_store_make_unique_name (store, "Office", NULL);
  g_assert_cmpstr (name, ==, "Office");
  g_free (name);
  name = antenna_profile_store_make_unique_name (store, "Home (x)", NULL);
  g_assert_cmpstr (name, ==, "Home (x)");

  /* A duplicate: new id, unique name, the same settings, owned by the store. */
  dup = antenna_profile_store_duplicate (store, b);
  g_assert_nonnull (dup);
  g_assert_cmpstr (antenna_profile_get_name (dup), ==, "Home (4)");
  g_assert_cmpstr (antenna_profile_get_id (dup), !=, antenna_profile_get_id (b));
  g_assert_cmpstr (antenna_profile_get_host (dup), ==, "broker.example");
  g_assert_true (antenna_profile_store_find (store, antenna_profile_get_id (dup)) == dup);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 6);

  /* A profile with an id already in the store gets a new one. */
  {
    g_autoptr(AntennaProfile) same_id = antenna_profile_copy (a);

    antenna_profile_store_add (store, same_id);
    g_assert_cmpstr (antenna_profile_get_id (same_id), !=, antenna_profile_get_id (a));
    g_assert_cmpstr (antenna_profile_get_name (same_id), ==, "Home (5)");
  }
}

typedef struct {
  guint n;
  guint added;
  guint removed;
} ItemsChanged;

static void
on_items_changed_cb (GListModel   *model,
                     guint         position,
                     guint         removed,
                     guint         added,
                     ItemsChanged *ic)
{
  ic->n++;
  ic->added += added;
  ic->removed += removed;
}

static void
on_save_failed_cb (AntennaProfileStore *store,
                   GError              *error,
                   guint               *n_failed)
{
  g_test_message ("save-failed: %s", error->message);
  (*n_failed)++;
}

static void
test_autosave (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfileStore) reader = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = named_profile ("Home");
  g_autoptr(AntennaSubscription) sub = antenna_subscription_new ("a/#", 1);
  g_autoptr(GError) error = NULL;
  ItemsChanged ic = { 0 };
  guint n_failed = 0;
  GStatBuf st;
  ino_t inode;

  g_signal_connect (store, "items-changed", G_CALLBACK (on_items_changed_cb), &ic);
  g_signal_connect (store, "save-failed", G_CALLBACK (on_save_failed_cb), &n_failed);

  /* Off: nothing is written. */
  antenna_profile_store_add (store, profile);
  drain_main_context ();
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (ic.n, ==, 1);
  g_assert_cmpuint (ic.added, ==, 1);

  antenna_profile_store_set_autosave (store, TRUE);

  /* Many changes, one write, on the next main loop iteration. */
  antenna_profile_set_port (profile, 1884);
  antenna_profile_set_username (profile, "bob");
  antenna_profile_add_subscription (profile, sub);
  antenna_subscription_set_qos (sub, 2);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  inode = st.st_ino;
  /* Nothing else pending: no second write. */
  drain_main_context ();
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpuint (st.st_ino, ==, inode);

  g_assert_true (antenna_profile_store_load (reader, NULL, &error));
  {
    g_autoptr(AntennaProfile) loaded = g_list_model_get_item (G_LIST_MODEL (reader), 0);
    g_autoptr(AntennaSubscription) loaded_sub = NULL;

    g_assert_cmpuint (antenna_profile_get_port (loaded), ==, 1884);
    g_assert_cmpstr (antenna_profile_get_username (loaded), ==, "bob");
    loaded_sub = g_list_model_get_item (antenna_profile_get_subscriptions (loaded), 0);
    g_assert_cmpint (antenna_subscription_get_qos (loaded_sub), ==, 2);
  }

  /* Live state of a subscription is no change: no write. */
  _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_ACTIVE, 2, NULL);
  drain_main_context ();
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpuint (st.st_ino, ==, inode);

  /* Removing saves. */
  antenna_profile_store_remove (store, profile);
  g_assert_cmpuint (ic.removed, ==, 1);
  drain_main_context ();
  g_assert_true (antenna_profile_store_load (reader, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 0);

  /* A removed profile no longer saves the store. */
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  inode = st.st_ino;
  antenna_profile_set_port (profile, 1885);
  drain_main_context ();
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpuint (st.st_ino, ==, inode);

  /* A change still waiting when the store goes is written then. */
  {
    g_autoptr(AntennaProfile) late = named_profile ("Late");

    antenna_profile_store_add (store, late);
    g_clear_object (&store);
    g_assert_true (antenna_profile_store_load (reader, NULL, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 1);
  }

  g_assert_cmpuint (n_failed, ==, 0);
}

static void
test_autosave_failure (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (g_get_user_config_dir (), "not-a-dir", NULL);
  g_autofree char *path = g_build_filename (blocker, "profiles.json", NULL);
  g_autoptr(AntennaProfileStore) store = NULL;
  g_autoptr(AntennaProfile) profile = named_profile ("Home");
  guint n_failed = 0;

  /* The folder is a file: every save fails, and says so. */
  write_file (blocker, "x", -1);
  store = antenna_profile_store_new (path);
  g_signal_connect (store, "save-failed", G_CALLBACK (on_save_failed_cb), &n_failed);
  antenna_profile_store_set_autosave (store, TRUE);
  antenna_profile_store_add (store, profile);
  drain_main_context ();
  g_assert_cmpuint (n_failed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
}

static void
test_export_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autofree char *other_path = g_build_filename (g_get_user_data_dir (), "other", "profiles.json", NULL);
  g_autoptr(AntennaProfileStore) other = antenna_profile_store_new (other_path);
  g_autoptr(AntennaProfile) full = full_profile ();
  g_autoptr(AntennaProfile) from_url = NULL;
  g_autoptr(AntennaProfile) left_out = named_profile ("Not exported");
  g_autofree char *export_path = g_build_filename (g_get_home_dir (), "exported.json", NULL);
  g_autoptr(GFile) export_file = g_file_new_for_path (export_path);
  g_autoptr(GPtrArray) selection = g_ptr_array_new ();
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GPtrArray) imported_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *exported = NULL;
  GStatBuf st;

  from_url = antenna_profile_new_from_uri_with_password ("mqtts://carol:Tr0ub4dor-3x@broker.example:8884",
                                                         &password, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "Tr0ub4dor-3x");

  antenna_profile_store_add (store, full);
  antenna_profile_store_add (store, from_url);
  antenna_profile_store_add (store, left_out);

  g_ptr_array_add (selection, full);
  g_ptr_array_add (selection, from_url);
  antenna_profile_store_export (store, selection, export_file, &error);
  g_assert_no_error (error);

  /* No secret in it; a marker that says what it is; private. */
  exported = antenna_test_read_file (export_path);
  g_assert_null (strstr (exported, password));
  g_assert_null (strstr (exported, "Tr0ub4dor"));
  g_assert_null (strstr (exported, "\"password\""));
  g_assert_nonnull (strstr (exported, "\"antenna-profiles\""));
  g_assert_null (strstr (exported, "Not exported"));
  g_assert_cmpint (g_stat (export_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);

  /* Into an empty store: the same profiles, ids and all. */
  imported = antenna_profile_store_import (other, export_file, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);
  g_assert_cmpuint (imported->len, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 2);
  g_assert_true (antenna_profile_equal (g_ptr_array_index (imported, 0), full));
  g_assert_true (antenna_profile_equal (g_ptr_array_index (imported, 1), from_url));
  g_assert_cmpstr (antenna_profile_get_username (g_ptr_array_index (imported, 1)), ==, "carol");

  /* Into the store they came from: new ids, unique names. */
  imported_again = antenna_profile_store_import (store, export_file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported_again->len, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 5);
  g_assert_cmpstr (antenna_profile_get_id (g_ptr_array_index (imported_again, 0)), !=,
                   antenna_profile_get_id (full));
  g_assert_cmpstr (antenna_profile_get_name (g_ptr_array_index (imported_again, 0)), ==,
                   "Planta — línea 2 (2)");
  g_assert_cmpstr (antenna_profile_get_host (g_ptr_array_index (imported_again, 0)), ==,
                   "broker.example.org");

  /* Export everything (NULL), import: all of them. */
  {
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(AntennaProfileStore) third = antenna_profile_store_new (other_path);

    g_assert_true (antenna_profile_store_export (store, NULL, export_file, &error));
    all = antenna_profile_store_import (third, export_file, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 5);
  }

  /* The store's own file can be imported too (a file set aside, restored). */
  {
    g_autoptr(GFile) own = g_file_new_for_path (f->path);
    g_autoptr(GPtrArray) restored = NULL;
    g_autoptr(AntennaProfileStore) fourth = antenna_profile_store_new (other_path);

    g_assert_true (antenna_profile_store_save (store, &error));
    restored = antenna_profile_store_import (fourth, own, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (restored->len, ==, 5);
  }
}

/* Publish templates travel with the export, and follow their profile to the
 * id it gets in the importing store. */
static void
test_export_import_templates (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autofree char *other_path = g_build_filename (g_get_user_data_dir (), "other", "profiles.json", NULL);
  g_autofree char *templates_path = g_build_filename (g_get_user_data_dir (), "templates.json", NULL);
  g_autofree char *other_templates_path = g_build_filename (g_get_user_data_dir (), "other", "templates.json", NULL);
  g_autoptr(AntennaProfileStore) other = antenna_profile_store_new (other_path);
  g_autoptr(AntennaTemplateStore) templates = antenna_template_store_new (templates_path);
  g_autoptr(AntennaTemplateStore) other_templates = antenna_template_store_new (other_templates_path);
  g_autoptr(AntennaProfile) exported = named_profile ("Exported");
  g_autoptr(AntennaProfile) left_out = named_profile ("Left out");
  g_autoptr(AntennaTemplate) mine = NULL;
  g_autoptr(AntennaTemplate) not_mine = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"on\": true}", 12);
  g_autofree char *export_path = g_build_filename (g_get_home_dir (), "with-templates.json", NULL);
  g_autoptr(GFile) export_file = g_file_new_for_path (export_path);
  g_autoptr(GPtrArray) selection = g_ptr_array_new ();
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  AntennaProfile *first, *in_other;
  AntennaTemplate *found;

  antenna_profile_store_add (store, exported);
  antenna_profile_store_add (store, left_out);
  mine = antenna_template_new ("Lamp on", antenna_profile_get_id (exported), "lamp/set", 1, TRUE,
                               NULL, payload, ANTENNA_PAYLOAD_FORMAT_JSON);
  not_mine = antenna_template_new ("Other", antenna_profile_get_id (left_out), "x", 0, FALSE,
                                   NULL, NULL, ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_assert_true (antenna_template_store_add (templates, mine, NULL));
  g_assert_true (antenna_template_store_add (templates, not_mine, NULL));

  g_ptr_array_add (selection, exported);
  g_assert_true (antenna_profile_store_export_full (store, selection, templates, export_file, &error));
  g_assert_no_error (error);

  /* First import: the profile keeps its id, and its template comes along. */
  imported = antenna_profile_store_import_full (other, export_file, other_templates, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 1);
  first = g_ptr_array_index (imported, 0);
  g_assert_cmpstr (antenna_profile_get_id (first), ==, antenna_profile_get_id (exported));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other_templates)), ==, 1);
  found = antenna_template_store_find (other_templates, antenna_profile_get_id (first), "Lamp on");
  g_assert_nonnull (found);
  g_assert_cmpstr (antenna_template_get_topic (found), ==, "lamp/set");
  g_assert_true (antenna_template_get_retain (found));
  g_assert_true (g_bytes_equal (antenna_template_get_payload (found), payload));

  /* Again: that id is taken, the profile gets a new one, and the template follows it. */
  g_clear_pointer (&imported, g_ptr_array_unref);
  imported = antenna_profile_store_import_full (other, export_file, other_templates, &error);
  g_assert_no_error (error);
  in_other = g_ptr_array_index (imported, 0);
  g_assert_cmpstr (antenna_profile_get_id (in_other), !=, antenna_profile_get_id (exported));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other_templates)), ==, 2);
  g_assert_nonnull (antenna_template_store_find (other_templates, antenna_profile_get_id (in_other), "Lamp on"));

  /* A plain import of the same file ignores the templates. */
  g_clear_pointer (&imported, g_ptr_array_unref);
  imported = antenna_profile_store_import (other, export_file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other_templates)), ==, 2);
}

static void
test_import_refused (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    const char *contents;
    gssize      length;
  } files[] = {
    { "", 0 },
    { "{\"profiles\":[]}", -1 },                                     /* no marker */
    { "{\"version\":1,\"profiles\":[]}", -1 },                       /* no marker */
    { "{\"format\":\"mqttx\",\"version\":1,\"profiles\":[]}", -1 },  /* someone else's */
    { "{\"name\":\"x\",\"host\":\"y\"}", -1 },
    { "[{\"format\":\"antenna-profiles\"}]", -1 },
    { "{\"format\":\"antenna-profiles\",\"version\":1,\"profiles\":[{\"id\":\"q\",\"nam", -1 }, /* truncated */
    { "{\"format\":\"antenna-profiles\",\"version\":1,\"profiles\":[{\"name\":\"ok\"},{\"port\":true}]}", -1 },
    { "{\"format\":\"antenna-profiles\",\"version\":99,\"profiles\":[{\"name\":\"ok\"}]}", -1 },
    { "{\"format\":\"antenna-profiles\",\"version\":1}", -1 },
    { "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0", 20 },   /* binary */
    { "\xff\xfe{\0\"\0", 6 },                                        /* UTF-16 */
    { "# mosquitto.conf\nlistener 1883\n", -1 },
  };
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = full_profile ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *file_before = NULL;
  g_autofree char *path = g_build_filename (g_get_home_dir (), "import.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint n_failed = 0;

  antenna_profile_store_add (store, profile);
  g_assert_true (antenna_profile_store_save (store, &error));
  antenna_profile_store_set_autosave (store, TRUE);
  g_signal_connect (store, "save-failed", G_CALLBACK (on_save_failed_cb), &n_failed);
  before = dump_store (store);
  file_before = antenna_test_read_file (f->path);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GPtrArray) imported = NULL;
      g_autofree char *after = NULL;
      g_autofree char *file_after = NULL;

      g_clear_error (&error);
      write_file (path, files[i].contents, files[i].length);

      imported = antenna_profile_store_import (store, file, &error);
      g_assert_null (imported);
      g_assert_nonnull (error);
      g_assert_true (error->domain == ANTENNA_ERROR);
      g_assert_true (error->code == ANTENNA_ERROR_PROFILE_CORRUPT ||
                     error->code == ANTENNA_ERROR_NEWER_VERSION);
      g_test_message ("%u: %s", i, error->message);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      /* It names the file. */
      g_assert_nonnull (strstr (error->message, "import.json"));

      drain_main_context ();
      after = dump_store (store);
      g_assert_cmpstr (after, ==, before);
      file_after = antenna_test_read_file (f->path);
      g_assert_cmpstr (file_after, ==, file_before);
    }

  /* Nesting deep enough to overflow json-glib's recursive parser (found by
   * fuzz-profile): refused like any other file that is not ours. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"format\":\"antenna-profiles\",\"version\":1,\"profiles\":");
    g_autoptr(GPtrArray) imported = NULL;
    g_autofree char *after = NULL;

    for (guint i = 0; i < 200000; i++)
      g_string_append_c (deep, '[');
    write_file (path, deep->str, deep->len);

    g_clear_error (&error);
    imported = antenna_profile_store_import (store, file, &error);
    g_assert_null (imported);
    g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
    after = dump_store (store);
    g_assert_cmpstr (after, ==, before);
  }

  /* Neither a folder nor a file that is not there. */
  {
    g_autoptr(GFile) dir = g_file_new_for_path (g_get_home_dir ());
    g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/antenna/export.json");
    GPtrArray *imported;

    g_clear_error (&error);
    imported = antenna_profile_store_import (store, dir, &error);
    g_assert_null (imported);
    g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED);
    g_clear_error (&error);
    imported = antenna_profile_store_import (store, missing, &error);
    g_assert_null (imported);
    g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED);
    g_test_message ("%s", error->message);
  }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpuint (n_failed, ==, 0);
}

/* The MQTT 5 CONNECT settings through the file; a file written before they
 * existed loads with each at "not sent", and a profile that leaves them so
 * writes no member for them (an older Antenna reads the file as before). */
static void
test_mqtt5_connect_settings (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfileStore) again = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = named_profile ("Limits");
  g_autoptr(AntennaProfile) plain = named_profile ("Plain");
  g_autoptr(AntennaProfile) loaded = NULL;
  g_autoptr(AntennaProfile) old = NULL;
  g_autoptr(AntennaProperties) user = antenna_properties_new ();
  g_autoptr(AntennaProperties) will = antenna_properties_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  AntennaProperties *props;

  antenna_profile_set_receive_maximum (profile, 10);
  antenna_profile_set_maximum_packet_size (profile, 2048);
  antenna_profile_set_topic_alias_maximum (profile, 4);
  antenna_profile_set_request_response_information (profile, TRUE);
  antenna_profile_set_request_problem_information (profile, FALSE);
  antenna_properties_add_user_property (user, "site", "lab");
  antenna_properties_add_user_property (user, "site", "dock 2");
  user->content_type = g_strdup ("not kept: a CONNECT has none");
  antenna_profile_set_connect_properties (profile, user);
  antenna_profile_set_will_topic (profile, "antenna/will");
  antenna_profile_set_will_delay_interval (profile, 30);
  will->content_type = g_strdup ("text/plain");
  will->message_expiry = 600;
  antenna_properties_add_user_property (will, "why", "gone");
  antenna_profile_set_will_properties (profile, will);
  /* only the user properties are kept */
  props = antenna_profile_get_connect_properties (profile);
  g_assert_null (props->content_type);
  g_assert_cmpuint (props->user_properties->len, ==, 4);

  antenna_profile_store_add (store, profile);
  antenna_profile_store_add (store, plain);
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);

  contents = antenna_test_read_file (f->path);
  g_test_message ("%s", contents);
  g_assert_nonnull (strstr (contents, "\"receive-maximum\""));
  g_assert_nonnull (strstr (contents, "\"will-delay-interval\""));

  g_assert_true (antenna_profile_store_load (again, NULL, &error));
  g_assert_no_error (error);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_true (antenna_profile_equal (loaded, profile));
  g_assert_cmpuint (antenna_profile_get_receive_maximum (loaded), ==, 10);
  g_assert_cmpuint (antenna_profile_get_maximum_packet_size (loaded), ==, 2048);
  g_assert_cmpuint (antenna_profile_get_topic_alias_maximum (loaded), ==, 4);
  g_assert_true (antenna_profile_get_request_response_information (loaded));
  g_assert_false (antenna_profile_get_request_problem_information (loaded));
  g_assert_cmpuint (antenna_profile_get_will_delay_interval (loaded), ==, 30);
  props = antenna_profile_get_connect_properties (loaded);
  g_assert_cmpuint (props->user_properties->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (props->user_properties, 3), ==, "dock 2");
  props = antenna_profile_get_will_properties (loaded);
  g_assert_cmpstr (props->content_type, ==, "text/plain");
  g_assert_cmpint (props->message_expiry, ==, 600);

  /* The plain profile wrote none of them, and reads back at the defaults. */
  {
    g_autoptr(AntennaProfile) loaded_plain = g_list_model_get_item (G_LIST_MODEL (again), 1);
    g_autoptr(JsonNode) node = antenna_profile_to_json (plain);
    JsonObject *object = json_node_get_object (node);
    const char *keys[] = { "receive-maximum", "maximum-packet-size", "topic-alias-maximum",
                           "request-response-information", "request-problem-information",
                           "connect-properties", "will-delay-interval" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      g_assert_false (json_object_has_member (object, keys[i]));
    g_assert_true (antenna_profile_equal (loaded_plain, plain));
    g_assert_true (antenna_profile_get_request_problem_information (loaded_plain));
    g_assert_null (antenna_profile_get_connect_properties (loaded_plain));
  }

  /* A profile of a file from before these settings. */
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"id\":\"old\",\"host\":\"h\",\"mqtt-version\":\"5\","
                                                 "\"session-expiry\":60}", &error);

    g_assert_no_error (error);
    old = antenna_profile_new_from_json (node, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (antenna_profile_get_session_expiry (old), ==, 60);
    g_assert_cmpuint (antenna_profile_get_receive_maximum (old), ==, 0);
    g_assert_cmpuint (antenna_profile_get_maximum_packet_size (old), ==, 0);
    g_assert_cmpuint (antenna_profile_get_topic_alias_maximum (old), ==, 0);
    g_assert_false (antenna_profile_get_request_response_information (old));
    g_assert_true (antenna_profile_get_request_problem_information (old));
    g_assert_cmpuint (antenna_profile_get_will_delay_interval (old), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

#define ADD(path, func) \
  g_test_add ("/antenna/profile-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("missing-file", test_missing_file);
  ADD ("round-trip", test_round_trip);
  ADD ("file-modes", test_file_modes);
  ADD ("stale-temporary-file", test_stale_temporary_file);
  ADD ("corrupt-file", test_corrupt_file);
  ADD ("partly-bad-file", test_partly_bad_file);
  ADD ("newer-version", test_newer_version);
  ADD ("automatic-version", test_automatic_version);
  ADD ("mqtt5-connect-settings", test_mqtt5_connect_settings);
  ADD ("wrong-shapes", test_wrong_shapes);
  ADD ("unique-names", test_unique_names);
  ADD ("autosave", test_autosave);
  ADD ("autosave-failure", test_autosave_failure);
  ADD ("export-import", test_export_import);
  ADD ("export-import-templates", test_export_import_templates);
  ADD ("import-refused", test_import_refused);

#undef ADD

  return g_test_run ();
}
