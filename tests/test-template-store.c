/* test-template-store.c: saved publish templates, on real files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-template-store.h"
#include "antenna-test-utils.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("antenna-templates-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "antenna", "templates.json", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  antenna_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static AntennaTemplate *
make_template (const char *name,
               const char *profile_id)
{
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  g_autoptr(GBytes) payload = g_bytes_new_static ("\x00\x01\xff{\"a\":1}", 10);

  props->content_type = g_strdup ("application/json");
  props->payload_format = 1;
  props->response_topic = g_strdup ("reply/here");
  props->correlation_data = g_bytes_new_static ("corr\x00id", 7);
  props->message_expiry = 3600;
  antenna_properties_add_user_property (props, "k", "v");
  antenna_properties_add_user_property (props, "k", "v2");

  return antenna_template_new (name, profile_id, "sensors/1/set", 2, TRUE, props, payload,
                               ANTENNA_PAYLOAD_FORMAT_HEX);
}

static void
test_roundtrip (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new (f->path);
  g_autoptr(AntennaTemplateStore) again = antenna_template_store_new (f->path);
  g_autoptr(AntennaTemplate) template = make_template ("Set point", "profile-a");
  g_autoptr(AntennaTemplate) read = NULL;
  g_autoptr(AntennaTemplate) expected = make_template ("x", "y");
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  GStatBuf st;

  /* No file yet: an empty store. */
  g_assert_true (antenna_template_store_load (store, &moved_to, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  g_assert_true (antenna_template_store_add (store, template, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_template_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Another store (another start of the app) reads the same template. */
  g_assert_true (antenna_template_store_load (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  read = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (antenna_template_get_name (read), ==, "Set point");
  g_assert_cmpstr (antenna_template_get_profile_id (read), ==, "profile-a");
  g_assert_cmpstr (antenna_template_get_topic (read), ==, "sensors/1/set");
  g_assert_cmpint (antenna_template_get_qos (read), ==, 2);
  g_assert_true (antenna_template_get_retain (read));
  g_assert_cmpint (antenna_template_get_payload_format (read), ==, ANTENNA_PAYLOAD_FORMAT_HEX);
  g_assert_true (g_bytes_equal (antenna_template_get_payload (read), antenna_template_get_payload (expected)));
  g_assert_true (antenna_properties_equal (antenna_template_get_properties (read),
                                           antenna_template_get_properties (expected)));
}

static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new (f->path);
  g_autoptr(AntennaTemplateStore) again = antenna_template_store_new (f->path);
  g_autoptr(AntennaTemplate) a = make_template ("A", "p1");
  g_autoptr(AntennaTemplate) a_again = make_template ("A", "p1");
  g_autoptr(AntennaTemplate) a_other = make_template ("A", "p2");
  g_autoptr(AntennaTemplate) b = make_template ("B", "p1");
  g_autoptr(AntennaTemplate) blank = make_template ("  ", "p1");
  g_autoptr(GListModel) p1 = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_template_store_add (store, a, &error));
  g_assert_false (antenna_template_store_add (store, a_again, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“A”"));
  g_clear_error (&error);
  g_assert_false (antenna_template_store_add (store, blank, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* The same name for another connection is fine. */
  g_assert_true (antenna_template_store_add (store, a_other, &error));
  g_assert_true (antenna_template_store_add (store, b, &error));
  g_assert_no_error (error);

  p1 = antenna_template_store_list_for_profile (store, "p1");
  g_assert_cmpuint (g_list_model_get_n_items (p1), ==, 2);

  /* Rename: not onto another's name; then to a free one. */
  g_assert_false (antenna_template_store_rename (store, b, "A", &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (antenna_template_store_rename (store, b, "Renamed", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (antenna_template_get_name (b), ==, "Renamed");
  g_assert_true (antenna_template_store_find (store, "p1", "Renamed") == b);

  antenna_template_store_remove (store, a);
  g_assert_cmpuint (g_list_model_get_n_items (p1), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  g_assert_true (antenna_template_store_save (store, &error));
  g_assert_true (antenna_template_store_load (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (antenna_template_store_find (again, "p1", "Renamed"));
  g_assert_null (antenna_template_store_find (again, "p1", "A"));
  g_assert_nonnull (antenna_template_store_find (again, "p2", "A"));
}

typedef struct
{
  guint changes;
  guint position, removed, added;
} ListChanges;

static void
on_list_items_changed_cb (GListModel  *list,
                          guint        position,
                          guint        removed,
                          guint        added,
                          ListChanges *changes)
{
  changes->changes++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

/* The list of one connection's templates changes only where the store did:
 * a rename leaves its items alone (a row being renamed in place must not be
 * destroyed under its focused label), another connection's template does not
 * touch it, and an addition or removal is one change at its place. */
static void
test_profile_list (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new (f->path);
  g_autoptr(AntennaTemplate) a = make_template ("A", "p1");
  g_autoptr(AntennaTemplate) b = make_template ("B", "p1");
  g_autoptr(AntennaTemplate) c = make_template ("C", "p1");
  g_autoptr(AntennaTemplate) other = make_template ("X", "p2");
  g_autoptr(GListModel) p1 = NULL;
  g_autoptr(GError) error = NULL;
  ListChanges changes = { 0 };

  g_assert_true (antenna_template_store_add (store, a, &error));
  g_assert_true (antenna_template_store_add (store, b, &error));
  g_assert_no_error (error);

  p1 = antenna_template_store_list_for_profile (store, "p1");
  g_signal_connect (p1, "items-changed", G_CALLBACK (on_list_items_changed_cb), &changes);

  g_assert_true (antenna_template_store_rename (store, a, "A renamed", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes.changes, ==, 0);

  g_assert_true (antenna_template_store_add (store, other, &error));
  g_assert_cmpuint (changes.changes, ==, 0);

  g_assert_true (antenna_template_store_add (store, c, &error));
  g_assert_cmpuint (changes.changes, ==, 1);
  g_assert_cmpuint (changes.position, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);

  antenna_template_store_remove (store, a);
  g_assert_cmpuint (changes.changes, ==, 2);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 0);

  g_assert_cmpuint (g_list_model_get_n_items (p1), ==, 2);
  {
    g_autoptr(AntennaTemplate) first = g_list_model_get_item (p1, 0);
    g_autoptr(AntennaTemplate) second = g_list_model_get_item (p1, 1);

    g_assert_true (first == b);
    g_assert_true (second == c);
  }
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new (f->path);
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (ANTENNA_TEMPLATE_MAX_PAYLOAD + 1),
                                            ANTENNA_TEMPLATE_MAX_PAYLOAD + 1);
  g_autoptr(GBytes) fits = g_bytes_new_take (g_malloc0 (ANTENNA_TEMPLATE_MAX_PAYLOAD),
                                             ANTENNA_TEMPLATE_MAX_PAYLOAD);
  g_autoptr(AntennaTemplate) too_big = antenna_template_new ("big", "p", "t", 0, FALSE, NULL, big,
                                                             ANTENNA_PAYLOAD_FORMAT_HEX);
  g_autoptr(AntennaTemplate) ok = antenna_template_new ("ok", "p", "t", 0, FALSE, NULL, fits,
                                                        ANTENNA_PAYLOAD_FORMAT_HEX);
  g_autoptr(GError) error = NULL;

  g_assert_false (antenna_template_store_add (store, too_big, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE);
  g_clear_error (&error);
  g_assert_true (antenna_template_store_add (store, ok, &error));
  g_assert_no_error (error);
}

static guint
count_aside (Fixture *f)
{
  g_autofree char *dir_path = g_path_get_dirname (f->path);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "templates.json.bad-"))
      n++;
  return n;
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new (f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *moved_to = NULL;
  g_autofree char *kept = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, "{\"format\": \"antenna-templates\", \"version\": 1, \"templ", -1, NULL));

  g_assert_false (antenna_template_store_load (store, &moved_to, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
  g_assert_nonnull (moved_to);
  g_assert_nonnull (strstr (error->message, moved_to));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (moved_to, &kept, NULL, NULL));
  g_assert_true (g_str_has_suffix (kept, "\"templ"));
  g_assert_cmpuint (count_aside (f), ==, 1);
  g_clear_error (&error);
  g_clear_pointer (&moved_to, g_free);

  /* One good, one bad template: the good one is kept and saved anew. */
  g_assert_true (g_file_set_contents (f->path,
                                      "{\"format\": \"antenna-templates\", \"version\": 1, \"templates\": ["
                                      "{\"name\": \"good\", \"profile-id\": \"p\", \"topic\": \"a/b\", \"qos\": 1},"
                                      "{\"name\": \"bad\", \"profile-id\": \"p\", \"topic\": \"a/b\", \"qos\": 7}]}",
                                      -1, NULL));
  g_assert_false (antenna_template_store_load (store, &moved_to, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpuint (count_aside (f), ==, 2);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_clear_pointer (&moved_to, g_free);

  /* A newer version: set aside too, never overwritten. */
  g_assert_true (g_file_set_contents (f->path,
                                      "{\"format\": \"antenna-templates\", \"version\": 2, \"templates\": []}",
                                      -1, NULL));
  g_assert_false (antenna_template_store_load (store, &moved_to, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_NEWER_VERSION);
  g_assert_cmpuint (count_aside (f), ==, 3);
}

static void
test_json_export (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new (f->path);
  g_autoptr(AntennaTemplateStore) other = antenna_template_store_new (NULL);
  g_autoptr(AntennaTemplate) a = make_template ("A", "p1");
  g_autoptr(AntennaTemplate) b = make_template ("B", "p2");
  g_autoptr(AntennaTemplate) clash = make_template ("A", "new-p1");
  g_autoptr(GHashTable) only_p1 = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) id_map = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  AntennaTemplate *imported;

  g_assert_true (antenna_template_store_add (store, a, NULL));
  g_assert_true (antenna_template_store_add (store, b, NULL));
  g_hash_table_add (only_p1, (gpointer) "p1");
  node = antenna_template_store_to_json (store, only_p1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);

  /* Imported for the profile id the import gave p1, under a unique name. */
  g_assert_true (antenna_template_store_add (other, clash, NULL));
  g_hash_table_insert (id_map, (gpointer) "p1", (gpointer) "new-p1");
  g_assert_cmpint (antenna_template_store_import_json (other, node, id_map, &error), ==, 1);
  g_assert_no_error (error);
  imported = antenna_template_store_find (other, "new-p1", "A (2)");
  g_assert_nonnull (imported);
  g_assert_true (g_bytes_equal (antenna_template_get_payload (imported), antenna_template_get_payload (a)));
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add ("/antenna/template-store/roundtrip", Fixture, NULL, fixture_setup, test_roundtrip, fixture_teardown);
  g_test_add ("/antenna/template-store/names", Fixture, NULL, fixture_setup, test_names, fixture_teardown);
  g_test_add ("/antenna/template-store/profile-list", Fixture, NULL, fixture_setup, test_profile_list, fixture_teardown);
  g_test_add ("/antenna/template-store/too-large", Fixture, NULL, fixture_setup, test_too_large, fixture_teardown);
  g_test_add ("/antenna/template-store/corrupt", Fixture, NULL, fixture_setup, test_corrupt, fixture_teardown);
  g_test_add ("/antenna/template-store/json-export", Fixture, NULL, fixture_setup, test_json_export, fixture_teardown);

  return g_test_run ();
}
