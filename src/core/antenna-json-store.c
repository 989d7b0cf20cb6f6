/* antenna-json-store.c: what the profile store and the template store share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-json-store"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-error.h"
#include "antenna-json-file.h"
#include "antenna-json-store.h"

void
antenna_json_store_init (AntennaJsonStore            *self,
                         GObject                     *owner,
                         const AntennaJsonStoreFuncs *funcs,
                         guint                        save_failed_signal)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (funcs != NULL);

  *self = (AntennaJsonStore) {
    .owner = owner,
    .funcs = funcs,
    .items = g_ptr_array_new_with_free_func (g_object_unref),
    .save_failed_signal = save_failed_signal,
  };
}

void
antenna_json_store_clear (AntennaJsonStore *self)
{
  g_return_if_fail (self != NULL);

  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
}

gpointer
antenna_json_store_get_item (AntennaJsonStore *self,
                             guint             position)
{
  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

/* Saving */

static gboolean
save_idle_cb (gpointer data)
{
  AntennaJsonStore *self = data;
  g_autoptr(GError) error = NULL;

  self->save_source = 0;

  if (!self->funcs->save (self->owner, &error))
    g_signal_emit (self->owner, self->save_failed_signal, 0, error);

  return G_SOURCE_REMOVE;
}

void
antenna_json_store_schedule_save (AntennaJsonStore *self)
{
  if (!self->autosave || self->save_source != 0)
    return;

  self->save_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, save_idle_cb, self, NULL);
  g_source_set_name_by_id (self->save_source, self->funcs->save_source_name);
}

void
antenna_json_store_cancel_save (AntennaJsonStore *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
}

void
antenna_json_store_save_pending (AntennaJsonStore *self)
{
  g_autoptr(GError) error = NULL;

  if (self->save_source == 0)
    return;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!self->funcs->save (self->owner, &error))
    g_debug ("Last autosave of %s failed: %s", self->path, error->message);
}

gboolean
antenna_json_store_set_autosave (AntennaJsonStore *self,
                                 gboolean          autosave)
{
  autosave = !!autosave;
  if (self->autosave == (guint) autosave)
    return FALSE;

  self->autosave = autosave;
  if (!autosave)
    g_clear_handle_id (&self->save_source, g_source_remove);

  return TRUE;
}

/* Loading */

void
antenna_json_store_load_clear (AntennaJsonStoreLoad *load)
{
  g_clear_pointer (&load->items, g_ptr_array_unref);
  g_clear_error (&load->first_error);
  g_clear_error (&load->error);
  g_clear_pointer (&load->aside, g_free);
  g_clear_error (&load->aside_error);
}

gboolean
antenna_json_store_load (AntennaJsonStore      *self,
                         char                 **moved_to,
                         AntennaJsonStoreLoad  *load)
{
  g_autoptr(GError) file_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (load != NULL, FALSE);

  if (moved_to != NULL)
    *moved_to = NULL;
  self->blocked = FALSE;

  if (!g_file_get_contents (self->path, &contents, &length, &file_error))
    {
      if (g_error_matches (file_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_autoptr(GPtrArray) none = g_ptr_array_new ();

          self->funcs->replace (self->owner, none);
          return TRUE;
        }

      g_debug ("Could not read %s: %s", self->path, file_error->message);
    }

  self->funcs->read (self->owner, contents, length, load);
  if (load->items == NULL)
    load->items = g_ptr_array_new_with_free_func (g_object_unref);
  if (load->error == NULL && load->newer)
    g_set_error (&load->error, ANTENNA_ERROR, ANTENNA_ERROR_NEWER_VERSION,
                 _("“%s” was written by a newer version of Antenna, which this version cannot fully read."),
                 self->path);

  /* Keep what could be read. */
  self->funcs->replace (self->owner, load->items);

  if (load->error == NULL && load->n_bad == 0)
    return TRUE;

  /* Set the file aside, so that the caller can say so. */
  load->aside = antenna_json_file_set_aside (self->path, &load->aside_error);
  if (load->aside == NULL)
    {
      /* It stays where it is, and nothing is written over it. */
      self->blocked = TRUE;
      return FALSE;
    }

  if (moved_to != NULL)
    *moved_to = g_strdup (load->aside);

  /* What could be read goes into a new file at once, so that the next
   * start still has it. */
  if (self->items->len > 0)
    {
      g_autoptr(GError) save_error = NULL;

      if (!self->funcs->save (self->owner, &save_error))
        g_debug ("Could not save what was read of %s: %s", self->path, save_error->message);
    }

  return FALSE;
}

/* Writing */

JsonNode *
antenna_json_store_new_document (const char  *format,
                                 gint64       version,
                                 const char  *member,
                                 GPtrArray   *items,
                                 JsonNode  *(*to_json) (gpointer item))
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, format);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    json_builder_add_value (builder, to_json (g_ptr_array_index (items, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
antenna_json_store_dup_data (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}
