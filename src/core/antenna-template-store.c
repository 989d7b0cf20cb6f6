/* antenna-template-store.c: saved publish templates, per connection profile
 *
 * The file reads:
 *   { "format": "antenna-templates", "version": 1, "templates": [
 *       { "name": …, … (see antenna-template.c) }, … ] }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-template-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "antenna-error.h"
#include "antenna-json-file.h"
#include "antenna-json-store.h"
#include "antenna-payload.h"
#include "antenna-template-private.h"
#include "antenna-template-store.h"

#define FORMAT_NAME "antenna-templates"
/* A templates file larger than this is not ours. */
#define MAX_FILE_SIZE (256 * 1024 * 1024)

struct _AntennaTemplateStore
{
  GObject          parent_instance;

  /* Owned References */
  AntennaJsonStore store;   /* items: of AntennaTemplate */
};

enum {
  SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaTemplateStore, antenna_template_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
antenna_template_store_get_item_type (GListModel *model)
{
  return ANTENNA_TYPE_TEMPLATE;
}

static guint
antenna_template_store_get_n_items (GListModel *model)
{
  return ANTENNA_TEMPLATE_STORE (model)->store.items->len;
}

static gpointer
antenna_template_store_get_item (GListModel *model,
                                 guint       position)
{
  return antenna_json_store_get_item (&ANTENNA_TEMPLATE_STORE (model)->store, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = antenna_template_store_get_item_type;
  iface->get_n_items = antenna_template_store_get_n_items;
  iface->get_item = antenna_template_store_get_item;
}

/* The file, through AntennaJsonStore */

static void read_file_cb    (gpointer               data,
                             const char            *contents,
                             gsize                  length,
                             AntennaJsonStoreLoad  *load);
static void replace_all_cb  (gpointer               data,
                             GPtrArray             *templates);

static const AntennaJsonStoreFuncs store_funcs = {
  .read = read_file_cb,
  .replace = replace_all_cb,
  .save = (gboolean (*) (gpointer, GError **)) antenna_template_store_save,
  .save_source_name = "[antenna] save templates",
};

static void
antenna_template_store_dispose (GObject *object)
{
  AntennaTemplateStore *self = ANTENNA_TEMPLATE_STORE (object);

  antenna_json_store_save_pending (&self->store);

  G_OBJECT_CLASS (antenna_template_store_parent_class)->dispose (object);
}

static void
antenna_template_store_finalize (GObject *object)
{
  AntennaTemplateStore *self = ANTENNA_TEMPLATE_STORE (object);

  antenna_json_store_clear (&self->store);

  G_OBJECT_CLASS (antenna_template_store_parent_class)->finalize (object);
}

static void
antenna_template_store_class_init (AntennaTemplateStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = antenna_template_store_dispose;
  object_class->finalize = antenna_template_store_finalize;

  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
antenna_template_store_init (AntennaTemplateStore *self)
{
  antenna_json_store_init (&self->store, G_OBJECT (self), &store_funcs, signals[SAVE_FAILED]);
}

AntennaTemplateStore *
antenna_template_store_new (const char *path)
{
  AntennaTemplateStore *self = g_object_new (ANTENNA_TYPE_TEMPLATE_STORE, NULL);

  if (path != NULL)
    self->store.path = g_strdup (path);
  else
    self->store.path = g_build_filename (g_get_user_config_dir (), APP_DIR_NAME, "templates.json", NULL);

  return self;
}

AntennaTemplateStore *
antenna_template_store_get_default (void)
{
  static AntennaTemplateStore *store;

  if (store == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *moved_to = NULL;

      store = antenna_template_store_new (NULL);
      if (!antenna_template_store_load (store, &moved_to, &error))
        g_debug ("%s", error->message);
      antenna_template_store_set_autosave (store, TRUE);
    }

  return store;
}

const char *
antenna_template_store_get_path (AntennaTemplateStore *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), NULL);

  return self->store.path;
}

/* Reads @array into @out; returns the number that could not be read (the
 * first error in @first_error). */
static guint
read_array (JsonArray  *array,
            GPtrArray  *out,
            GError    **first_error)
{
  guint n_bad = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) error = NULL;
      AntennaTemplate *template = antenna_template_new_from_json (json_array_get_element (array, i), &error);

      if (template == NULL)
        {
          if (n_bad++ == 0 && first_error != NULL)
            *first_error = g_steal_pointer (&error);
          continue;
        }
      g_ptr_array_add (out, template);
    }

  return n_bad;
}

static void
replace_all_cb (gpointer   data,
                GPtrArray *templates)
{
  AntennaTemplateStore *self = data;
  guint removed = self->store.items->len;

  g_ptr_array_set_size (self->store.items, 0);
  for (guint i = 0; i < templates->len; i++)
    g_ptr_array_add (self->store.items, g_object_ref (g_ptr_array_index (templates, i)));

  if (removed > 0 || templates->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, templates->len);
}

static void
read_file_cb (gpointer              data,
              const char           *contents,
              gsize                 length,
              AntennaJsonStoreLoad *load)
{
  AntennaTemplateStore *self = data;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  JsonNode *member;
  const char *format = NULL;
  gint64 version = 0;

  if (contents == NULL)
    {
      g_set_error (&load->error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("The saved templates in “%s” could not be read."), self->store.path);
      return;
    }

  if (length > MAX_FILE_SIZE || !antenna_payload_validate_json (contents, length, NULL))
    {
      g_set_error (&load->error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("The saved templates in “%s” could not be read: it is not JSON."), self->store.path);
      return;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, contents, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !antenna_json_file_read_string (root = json_node_get_object (json_parser_get_root (parser)),
                                      "format", &format, NULL) ||
      g_strcmp0 (format, FORMAT_NAME) != 0 ||
      !antenna_json_file_read_int (root, "version", 1, G_MAXINT64, &version, NULL) || version < 1 ||
      (member = json_object_get_member (root, "templates")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (&load->error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("The saved templates in “%s” could not be read: it is not a file of Antenna templates."),
                   self->store.path);
      return;
    }

  load->newer = version > ANTENNA_TEMPLATE_STORE_VERSION;
  load->items = g_ptr_array_new_with_free_func (g_object_unref);
  load->n_bad = read_array (json_node_get_array (member), load->items, &load->first_error);
}

gboolean
antenna_template_store_load (AntennaTemplateStore  *self,
                             char                 **moved_to,
                             GError               **error)
{
  g_auto(AntennaJsonStoreLoad) load = { 0 };

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), FALSE);

  if (antenna_json_store_load (&self->store, moved_to, &load))
    return TRUE;

  if (load.aside == NULL)
    {
      const GError *why = load.error != NULL ? load.error : load.first_error;

      g_set_error (error, ANTENNA_ERROR, why->code,
                   _("%s %s Antenna will not save templates until it is moved."),
                   why->message, load.aside_error->message);
      return FALSE;
    }

  if (load.error == NULL)
    g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u saved template could not be read and was left out; "
                              "the file was kept as “%s”. %s",
                              "%u saved templates could not be read and were left out; "
                              "the file was kept as “%s”. %s",
                              load.n_bad),
                 load.n_bad, load.aside, load.first_error->message);
  else
    g_set_error (error, ANTENNA_ERROR, load.error->code,
                 _("%s It was kept as “%s”."), load.error->message, load.aside);

  return FALSE;
}

gboolean
antenna_template_store_save (AntennaTemplateStore  *self,
                             GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), FALSE);

  antenna_json_store_cancel_save (&self->store);

  if (self->store.blocked)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                   _("The templates were not saved: “%s” could not be read nor moved aside, "
                     "and Antenna does not write over it."),
                   self->store.path);
      return FALSE;
    }

  root = antenna_json_store_new_document (FORMAT_NAME, ANTENNA_TEMPLATE_STORE_VERSION, "templates",
                                          self->store.items,
                                          (JsonNode *(*) (gpointer)) antenna_template_to_json);
  data = antenna_json_store_dup_data (root);
  if (!antenna_json_file_write (self->store.path, data, -1, &local_error))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                   _("Could not save the templates to “%s”: %s"),
                   self->store.path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

void
antenna_template_store_set_autosave (AntennaTemplateStore *self,
                                     gboolean              autosave)
{
  g_return_if_fail (ANTENNA_IS_TEMPLATE_STORE (self));

  antenna_json_store_set_autosave (&self->store, autosave);
}

static gboolean
check_name (AntennaTemplateStore  *self,
            const char            *profile_id,
            const char            *name,
            AntennaTemplate       *except,
            GError               **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));
  AntennaTemplate *other;

  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                           _("A template needs a name."));
      return FALSE;
    }

  other = antenna_template_store_find (self, profile_id, name);
  if (other != NULL && other != except)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                   _("There is already a template named “%s” for this connection."), name);
      return FALSE;
    }

  return TRUE;
}

gboolean
antenna_template_store_add (AntennaTemplateStore  *self,
                            AntennaTemplate       *template,
                            GError               **error)
{
  gsize payload_size;

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), FALSE);
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (template), FALSE);

  payload_size = g_bytes_get_size (antenna_template_get_payload (template));
  if (payload_size > ANTENNA_TEMPLATE_MAX_PAYLOAD)
    {
      g_autofree char *size = antenna_payload_format_size (payload_size);
      g_autofree char *max = antenna_payload_format_size (ANTENNA_TEMPLATE_MAX_PAYLOAD);

      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                   _("The payload is too large for a template: %s, and a template keeps at most %s."),
                   size, max);
      return FALSE;
    }

  if (!check_name (self, antenna_template_get_profile_id (template),
                   antenna_template_get_name (template), NULL, error))
    return FALSE;

  g_ptr_array_add (self->store.items, g_object_ref (template));
  g_list_model_items_changed (G_LIST_MODEL (self), self->store.items->len - 1, 0, 1);
  antenna_json_store_schedule_save (&self->store);

  return TRUE;
}

void
antenna_template_store_remove (AntennaTemplateStore *self,
                               AntennaTemplate      *template)
{
  guint position;

  g_return_if_fail (ANTENNA_IS_TEMPLATE_STORE (self));
  g_return_if_fail (ANTENNA_IS_TEMPLATE (template));

  if (!g_ptr_array_find (self->store.items, template, &position))
    return;

  g_ptr_array_remove_index (self->store.items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  antenna_json_store_schedule_save (&self->store);
}

gboolean
antenna_template_store_rename (AntennaTemplateStore  *self,
                               AntennaTemplate       *template,
                               const char            *name,
                               GError               **error)
{
  guint position;

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), FALSE);
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (template), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_strcmp0 (antenna_template_get_name (template), name) == 0)
    return TRUE;

  if (!check_name (self, antenna_template_get_profile_id (template), name, template, error))
    return FALSE;

  _antenna_template_set_name (template, name);

  /* Lists sorted or filtered by name see it as a change. */
  if (g_ptr_array_find (self->store.items, template, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  antenna_json_store_schedule_save (&self->store);

  return TRUE;
}

AntennaTemplate *
antenna_template_store_find (AntennaTemplateStore *self,
                             const char           *profile_id,
                             const char           *name)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), NULL);

  for (guint i = 0; i < self->store.items->len; i++)
    {
      AntennaTemplate *template = g_ptr_array_index (self->store.items, i);

      if (g_strcmp0 (antenna_template_get_profile_id (template), profile_id) == 0 &&
          g_strcmp0 (antenna_template_get_name (template), name) == 0)
        return template;
    }

  return NULL;
}

static gboolean
list_item_is (GListStore *list,
              guint       position,
              gpointer    item)
{
  g_autoptr(GObject) at = g_list_model_get_item (G_LIST_MODEL (list), position);

  return at == item;
}

static void
refill_profile_list (AntennaTemplateStore *self,
                     GListStore           *list)
{
  const char *profile_id = g_object_get_data (G_OBJECT (list), "antenna-profile-id");
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  guint n_old, start = 0, end = 0;

  for (guint i = 0; i < self->store.items->len; i++)
    {
      AntennaTemplate *template = g_ptr_array_index (self->store.items, i);

      if (g_strcmp0 (antenna_template_get_profile_id (template), profile_id) == 0)
        g_ptr_array_add (mine, template);
    }

  /* Only the run that differs is replaced. A rename changes no item (the
   * rows follow the template's :name), and replacing every item would
   * destroy the row being renamed while its GtkEditableLabel still has
   * focus: GTK 4.8 then runs the label's focus-out timer on a freed widget. */
  n_old = g_list_model_get_n_items (G_LIST_MODEL (list));
  while (start < n_old && start < mine->len && list_item_is (list, start, mine->pdata[start]))
    start++;
  while (end < n_old - start && end < mine->len - start &&
         list_item_is (list, n_old - 1 - end, mine->pdata[mine->len - 1 - end]))
    end++;

  if (start + end < n_old || start + end < mine->len)
    g_list_store_splice (list, start, n_old - start - end,
                         mine->pdata + start, mine->len - start - end);
}

static void
on_store_items_changed_cb (AntennaTemplateStore *self,
                           guint                 position,
                           guint                 removed,
                           guint                 added,
                           GListStore           *list)
{
  refill_profile_list (self, list);
}

GListModel *
antenna_template_store_list_for_profile (AntennaTemplateStore *self,
                                         const char           *profile_id)
{
  GListStore *list;

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);

  list = g_list_store_new (ANTENNA_TYPE_TEMPLATE);
  g_object_set_data_full (G_OBJECT (list), "antenna-profile-id", g_strdup (profile_id), g_free);
  refill_profile_list (self, list);
  g_signal_connect_object (self, "items-changed", G_CALLBACK (on_store_items_changed_cb), list, 0);

  return G_LIST_MODEL (list);
}

JsonNode *
antenna_template_store_to_json (AntennaTemplateStore *self,
                                GHashTable           *profile_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->store.items->len; i++)
    {
      AntennaTemplate *template = g_ptr_array_index (self->store.items, i);

      if (profile_ids == NULL ||
          g_hash_table_contains (profile_ids, antenna_template_get_profile_id (template)))
        json_builder_add_value (builder, antenna_template_to_json (template));
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

int
antenna_template_store_import_json (AntennaTemplateStore  *self,
                                    JsonNode              *array,
                                    GHashTable            *id_map,
                                    GError               **error)
{
  g_autoptr(GPtrArray) read = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) first_error = NULL;
  int n_added = 0;

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), -1);
  g_return_val_if_fail (array != NULL, -1);
  g_return_val_if_fail (id_map != NULL, -1);

  if (!JSON_NODE_HOLDS_ARRAY (array))
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                           _("The templates in the file are not a list."));
      return -1;
    }

  if (read_array (json_node_get_array (array), read, &first_error) > 0)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return -1;
    }

  for (guint i = 0; i < read->len; i++)
    {
      AntennaTemplate *template = g_ptr_array_index (read, i);
      const char *profile_id = g_hash_table_lookup (id_map, antenna_template_get_profile_id (template));
      g_autoptr(AntennaTemplate) copy = NULL;
      g_autofree char *name = NULL;

      if (profile_id == NULL)
        continue;

      name = g_strdup (antenna_template_get_name (template));
      for (guint n = 2; antenna_template_store_find (self, profile_id, name) != NULL; n++)
        {
          g_free (name);
          name = g_strdup_printf ("%s (%u)", antenna_template_get_name (template), n);
        }

      copy = antenna_template_new (name, profile_id,
                                   antenna_template_get_topic (template),
                                   antenna_template_get_qos (template),
                                   antenna_template_get_retain (template),
                                   antenna_template_get_properties (template),
                                   antenna_template_get_payload (template),
                                   antenna_template_get_payload_format (template));
      {
        guint64 count = 0;
        guint jitter = 0;
        guint interval = antenna_template_get_repeat (template, &count, &jitter);

        antenna_template_set_repeat (copy, interval, count, jitter);
      }
      antenna_template_set_send_as (copy, antenna_template_get_send_as (template));
      if (antenna_template_store_add (self, copy, NULL))
        n_added++;
    }

  return n_added;
}
