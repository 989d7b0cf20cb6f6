/* fuzz-profile.c: libFuzzer harness for reading saved and imported profiles
 *
 * The input is parsed as JSON and read as one profile, then written to a
 * file and imported into a store, as a file a person picks would be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* json-glib 1.6 parses recursively; nesting this deep is refused by
 * antenna-payload.c but not by json-glib itself, which this harness also
 * calls directly: those calls keep below it. */
#define MAX_NESTING 256

static char *scratch_dir;

static void
remove_scratch (void)
{
  g_autoptr(GDir) dir = g_dir_open (scratch_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (scratch_dir);
}

static gboolean
too_deep (const uint8_t *data,
          size_t         size)
{
  int depth = 0;

  for (size_t i = 0; i < size; i++)
    {
      if (data[i] == '[' || data[i] == '{')
        {
          if (++depth > MAX_NESTING)
            return TRUE;
        }
      else if ((data[i] == ']' || data[i] == '}') && depth > 0)
        {
          depth--;
        }
    }
  return FALSE;
}

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
check_profile_json (const uint8_t *data,
                    size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaProfile) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *copy_text = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL)
    return;

  profile = antenna_profile_new_from_json (root, &error);
  g_assert ((profile == NULL) != (error == NULL));
  if (profile == NULL)
    {
      g_assert (error->domain == ANTENNA_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  /* What was read writes and reads back the same. */
  node = antenna_profile_to_json (profile);
  text = to_text (node);
  copy = antenna_profile_new_from_json (node, &error);
  g_assert_no_error (error);
  copy_node = antenna_profile_to_json (copy);
  copy_text = to_text (copy_node);
  g_assert_cmpstr (text, ==, copy_text);

  g_free (antenna_profile_dup_display_address (profile));
  g_free (antenna_profile_dup_server_uri (profile));
}

static void
check_import (const uint8_t *data,
              size_t         size)
{
  g_autofree char *import_path = g_build_filename (scratch_dir, "import.json", NULL);
  g_autofree char *store_path = g_build_filename (scratch_dir, "profiles.json", NULL);
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (store_path);
  g_autoptr(GFile) file = g_file_new_for_path (import_path);
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (g_file_set_contents (import_path, (const char *) data, (gssize) size, NULL));

  imported = antenna_profile_store_import (store, file, &error);
  g_assert ((imported == NULL) != (error == NULL));
  if (imported == NULL)
    {
      g_assert (error->domain == ANTENNA_ERROR || error->domain == G_IO_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      /* The store is untouched. */
      g_assert (g_list_model_get_n_items (G_LIST_MODEL (store)) == 0);
      return;
    }

  g_assert (g_list_model_get_n_items (G_LIST_MODEL (store)) == imported->len);
  for (guint i = 0; i < imported->len; i++)
    {
      AntennaProfile *profile = g_ptr_array_index (imported, i);

      /* Added under its own id, findable. */
      g_assert (antenna_profile_store_find (store, antenna_profile_get_id (profile)) == profile);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (scratch_dir == NULL)
    {
      scratch_dir = g_dir_make_tmp ("antenna-fuzz-profile-XXXXXX", NULL);
      g_assert (scratch_dir != NULL);
      atexit (remove_scratch);
    }

  /* The importer must refuse any nesting by itself; the harness's own
   * json-glib parse in check_profile_json() must not see it. */
  check_import (data, size);
  if (!too_deep (data, size))
    check_profile_json (data, size);

  return 0;
}
