/* antenna-profile-store.c: the saved profiles, as a GListModel of AntennaProfile
 *
 * The file (and an export) reads:
 *   { "format": "antenna-profiles", "version": 1, "profiles": [ {…}, … ] }
 * Version 2 added the "automatic" MQTT version; a file is written with
 * version 1 while no profile uses it, so that an older Antenna reads it.
 * Profiles never hold a password (see antenna-secret-store.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "antenna-error.h"
#include "antenna-json-file.h"
#include "antenna-json-store.h"
#include "antenna-template-store.h"
#include "antenna-profile-private.h"
#include "antenna-payload.h"
#include "antenna-profile-store.h"

#define FORMAT_NAME "antenna-profiles"
/* An import larger than this is not an export of ours. */
#define MAX_IMPORT_SIZE (64 * 1024 * 1024)

struct _AntennaProfileStore
{
  GObject          parent_instance;

  /* Owned References */
  AntennaJsonStore store;   /* items: of AntennaProfile */
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_AUTOSAVE,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  SAVE_FAILED,
  N_SIGNALS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaProfileStore, antenna_profile_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* GListModel */

static GType
antenna_profile_store_get_item_type (GListModel *model)
{
  return ANTENNA_TYPE_PROFILE;
}

static guint
antenna_profile_store_get_n_items (GListModel *model)
{
  return ANTENNA_PROFILE_STORE (model)->store.items->len;
}

static gpointer
antenna_profile_store_get_item (GListModel *model,
                                guint       position)
{
  return antenna_json_store_get_item (&ANTENNA_PROFILE_STORE (model)->store, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = antenna_profile_store_get_item_type;
  iface->get_n_items = antenna_profile_store_get_n_items;
  iface->get_item = antenna_profile_store_get_item;
}

/* The list */

static void
on_profile_changed_cb (AntennaProfileStore *self,
                       AntennaProfile      *profile)
{
  antenna_json_store_schedule_save (&self->store);
}

static void
items_changed (AntennaProfileStore *self,
               guint                position,
               guint                removed,
               guint                added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
take_profile (AntennaProfileStore *self,
              AntennaProfile      *profile)
{
  g_signal_connect_object (profile, "changed",
                           G_CALLBACK (on_profile_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_ptr_array_add (self->store.items, profile);
}

static void
release_profile (gpointer data,
                 gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (data, on_profile_changed_cb, user_data);
}

static gboolean
has_id (AntennaProfileStore *self,
        const char          *id)
{
  return antenna_profile_store_find (self, id) != NULL;
}

/* The file, through AntennaJsonStore */

static void read_file_cb    (gpointer               data,
                             const char            *contents,
                             gsize                  length,
                             AntennaJsonStoreLoad  *load);
static void replace_all_cb  (gpointer               data,
                             GPtrArray             *profiles);

static const AntennaJsonStoreFuncs store_funcs = {
  .read = read_file_cb,
  .replace = replace_all_cb,
  .save = (gboolean (*) (gpointer, GError **)) antenna_profile_store_save,
  .save_source_name = "[antenna] save connections",
};

/* GObject */

static void
antenna_profile_store_dispose (GObject *object)
{
  AntennaProfileStore *self = (AntennaProfileStore *)object;

  antenna_json_store_save_pending (&self->store);

  if (self->store.items != NULL)
    g_ptr_array_foreach (self->store.items, release_profile, self);
  g_clear_pointer (&self->store.items, g_ptr_array_unref);

  G_OBJECT_CLASS (antenna_profile_store_parent_class)->dispose (object);
}

static void
antenna_profile_store_finalize (GObject *object)
{
  AntennaProfileStore *self = (AntennaProfileStore *)object;

  antenna_json_store_clear (&self->store);

  G_OBJECT_CLASS (antenna_profile_store_parent_class)->finalize (object);
}

static void
antenna_profile_store_constructed (GObject *object)
{
  AntennaProfileStore *self = (AntennaProfileStore *)object;

  G_OBJECT_CLASS (antenna_profile_store_parent_class)->constructed (object);

  if (self->store.path == NULL)
    self->store.path = g_build_filename (g_get_user_config_dir (), APP_DIR_NAME, "profiles.json", NULL);
}

static void
antenna_profile_store_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AntennaProfileStore *self = ANTENNA_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->store.path);
      break;

    case PROP_AUTOSAVE:
      g_value_set_boolean (value, self->store.autosave);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->store.items->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_profile_store_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AntennaProfileStore *self = ANTENNA_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->store.path = g_value_dup_string (value);
      break;

    case PROP_AUTOSAVE:
      antenna_profile_store_set_autosave (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_profile_store_class_init (AntennaProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = antenna_profile_store_dispose;
  object_class->finalize = antenna_profile_store_finalize;
  object_class->constructed = antenna_profile_store_constructed;
  object_class->get_property = antenna_profile_store_get_property;
  object_class->set_property = antenna_profile_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_AUTOSAVE] =
    g_param_spec_boolean ("autosave", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AntennaProfileStore::save-failed:
   * @error: a #GError that says why, for a person
   *
   * An autosave failed. The profiles are still in memory; the next change
   * tries again.
   */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
antenna_profile_store_init (AntennaProfileStore *self)
{
  antenna_json_store_init (&self->store, G_OBJECT (self), &store_funcs, signals[SAVE_FAILED]);
}

AntennaProfileStore *
antenna_profile_store_new (const char *path)
{
  return g_object_new (ANTENNA_TYPE_PROFILE_STORE,
                       "path", path,
                       NULL);
}

const char *
antenna_profile_store_get_path (AntennaProfileStore *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (self), NULL);

  return self->store.path;
}

/* Reading the file format */

/* Reads the document into @result (items, n_bad, first_error, newer);
 * FALSE (and no profile in @result) when it is not one of ours at all.
 * Entries that cannot be read are counted in @result and skipped; a newer
 * format version is read as far as it can be, and flagged. An export's
 * "templates" member goes to @templates (for the template store). */
static gboolean
read_document (const char            *contents,
               gsize                  length,
               const char            *display_name,
               gboolean               require_format,
               AntennaJsonStoreLoad  *result,
               JsonNode             **templates,
               GError               **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root;
  JsonNode *node;
  JsonArray *array;
  gint64 version;

  result->items = g_ptr_array_new_with_free_func (g_object_unref);

  if (memchr (contents, '\0', length) != NULL ||
      !g_utf8_validate (contents, length, NULL) ||
      /* json-glib parses recursively: deep nesting would overflow the stack */
      !antenna_payload_validate_json (contents, length, NULL) ||
      !json_parser_load_from_data (parser, contents, length, &parse_error) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("“%s” is not a file of Antenna connections: it is not readable JSON."),
                   display_name);
      return FALSE;
    }

  root = json_node_get_object (json_parser_get_root (parser));

  node = json_object_get_member (root, "format");
  if ((node == NULL && require_format) ||
      (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) ||
                        json_node_get_value_type (node) != G_TYPE_STRING ||
                        g_strcmp0 (json_node_get_string (node), FORMAT_NAME) != 0)))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("“%s” is not a file of Antenna connections."),
                   display_name);
      return FALSE;
    }

  node = json_object_get_member (root, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      (version = json_node_get_int (node)) < 1)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("“%s” is not a file of Antenna connections: it has no valid format version."),
                   display_name);
      return FALSE;
    }

  result->newer = version > ANTENNA_PROFILE_STORE_VERSION;

  node = json_object_get_member (root, "profiles");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("“%s” is not a file of Antenna connections: it has no list of connections."),
                   display_name);
      return FALSE;
    }

  /* Publish templates, in an export: read by the template store. */
  if (templates != NULL && json_object_get_member (root, "templates") != NULL)
    *templates = json_node_copy (json_object_get_member (root, "templates"));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) entry_error = NULL;
      AntennaProfile *profile;

      profile = antenna_profile_new_from_json (json_array_get_element (array, i), &entry_error);
      if (profile == NULL)
        {
          g_debug ("Connection %u of %s left out: %s", i + 1, display_name, entry_error->message);
          if (result->first_error == NULL)
            result->first_error = g_steal_pointer (&entry_error);
          result->n_bad++;
          continue;
        }

      /* Two entries with one id (a file edited by hand): the later gets a new one. */
      for (guint j = 0; j < result->items->len; j++)
        {
          if (g_strcmp0 (antenna_profile_get_id (g_ptr_array_index (result->items, j)),
                         antenna_profile_get_id (profile)) == 0)
            {
              antenna_profile_regenerate_id (profile);
              break;
            }
        }

      g_ptr_array_add (result->items, profile);
    }

  return TRUE;
}

static void
set_newer_version (GError     **error,
                   const char  *display_name)
{
  g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_NEWER_VERSION,
               _("“%s” was written by a newer version of Antenna, which this version cannot fully read."),
               display_name);
}

static char *
dup_document (GPtrArray *profiles,
              JsonNode  *templates)
{
  g_autoptr(JsonNode) root = NULL;
  gint64 version = 1;

  /* The oldest version that holds every profile: an older Antenna reads
   * the file whole unless a profile needs what it does not know. */
  for (guint i = 0; i < profiles->len; i++)
    version = MAX (version, _antenna_profile_get_format_version (g_ptr_array_index (profiles, i)));

  root = antenna_json_store_new_document (FORMAT_NAME, version, "profiles", profiles,
                                          (JsonNode *(*) (gpointer)) antenna_profile_to_json);
  if (templates != NULL)
    json_object_set_member (json_node_get_object (root), "templates", json_node_ref (templates));

  return antenna_json_store_dup_data (root);
}

static void
replace_all_cb (gpointer   data,
                GPtrArray *profiles)
{
  AntennaProfileStore *self = data;
  guint removed = self->store.items->len;

  g_ptr_array_foreach (self->store.items, release_profile, self);
  g_ptr_array_set_size (self->store.items, 0);

  for (guint i = 0; i < profiles->len; i++)
    take_profile (self, g_object_ref (g_ptr_array_index (profiles, i)));

  if (removed > 0 || profiles->len > 0)
    items_changed (self, 0, removed, profiles->len);
}

static void
read_file_cb (gpointer              data,
              const char           *contents,
              gsize                 length,
              AntennaJsonStoreLoad *load)
{
  AntennaProfileStore *self = data;

  if (contents == NULL)
    g_set_error (&load->error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                 _("The saved connections in “%s” could not be read."), self->store.path);
  else
    read_document (contents, length, self->store.path, FALSE, load, NULL, &load->error);
}

gboolean
antenna_profile_store_load (AntennaProfileStore  *self,
                            char                **moved_to,
                            GError              **error)
{
  g_auto(AntennaJsonStoreLoad) load = { 0 };

  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (self), FALSE);

  if (antenna_json_store_load (&self->store, moved_to, &load))
    return TRUE;

  if (load.aside == NULL)
    {
      g_set_error (error, ANTENNA_ERROR,
                   load.error ? load.error->code : ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("%s %s Antenna will not save connections until it is moved."),
                   load.error ? load.error->message
                              : _("Some saved connections could not be read."),
                   load.aside_error->message);
      return FALSE;
    }

  if (load.error != NULL)
    {
      g_set_error (error, ANTENNA_ERROR, load.error->code,
                   _("%s It was kept as “%s”."),
                   load.error->message, load.aside);
    }
  else
    {
      /* Translators: the first %s is where the file went, the second why
       * the first connection that could not be read could not be read */
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u saved connection could not be read and was left out; "
                                "the file was kept as “%s”. %s",
                                "%u saved connections could not be read and were left out; "
                                "the file was kept as “%s”. %s",
                                load.n_bad),
                   load.n_bad, load.aside, load.first_error->message);
    }

  return FALSE;
}

gboolean
antenna_profile_store_save (AntennaProfileStore  *self,
                            GError              **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (self), FALSE);

  antenna_json_store_cancel_save (&self->store);

  if (self->store.blocked)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                   _("The connections were not saved: “%s” could not be read nor moved aside, "
                     "and Antenna does not write over it."),
                   self->store.path);
      return FALSE;
    }

  data = dup_document (self->store.items, NULL);
  if (!antenna_json_file_write (self->store.path, data, -1, &local_error))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                   _("Could not save the connections to “%s”: %s"),
                   self->store.path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

void
antenna_profile_store_set_autosave (AntennaProfileStore *self,
                                    gboolean             autosave)
{
  g_return_if_fail (ANTENNA_IS_PROFILE_STORE (self));

  if (antenna_json_store_set_autosave (&self->store, autosave))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOSAVE]);
}

/* Names */

static gboolean
name_taken (AntennaProfileStore *self,
            const char          *name,
            AntennaProfile      *except)
{
  for (guint i = 0; i < self->store.items->len; i++)
    {
      AntennaProfile *profile = g_ptr_array_index (self->store.items, i);

      if (profile != except && g_strcmp0 (antenna_profile_get_name (profile), name) == 0)
        return TRUE;
    }
  return FALSE;
}

char *
antenna_profile_store_make_unique_name (AntennaProfileStore *self,
                                        const char          *name,
                                        AntennaProfile      *except)
{
  g_autofree char *base = NULL;
  const char *open;
  gsize len;

  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (self), NULL);

  if (name == NULL)
    name = "";

  /* A connection without a name shows its address: nothing to make unique. */
  if (name[0] == '\0' || !name_taken (self, name, except))
    return g_strdup (name);

  /* "Home (2)" taken: "Home (3)", not "Home (2) (2)". */
  len = strlen (name);
  base = g_strdup (name);
  open = g_strrstr (name, " (");
  if (open != NULL && len > 0 && name[len - 1] == ')')
    {
      const char *digits = open + 2;
      const char *p = digits;

      while (g_ascii_isdigit (*p))
        p++;
      if (p > digits && p == name + len - 1)
        base[open - name] = '\0';
    }

  for (guint n = 2; ; n++)
    {
      char *candidate = g_strdup_printf ("%s (%u)", base, n);

      if (!name_taken (self, candidate, except))
        return candidate;
      g_free (candidate);
    }
}

/* The list */

static void
add_profile (AntennaProfileStore *self,
             AntennaProfile      *profile)
{
  g_autofree char *name = NULL;

  if (has_id (self, antenna_profile_get_id (profile)))
    antenna_profile_regenerate_id (profile);

  name = antenna_profile_store_make_unique_name (self, antenna_profile_get_name (profile), profile);
  antenna_profile_set_name (profile, name);

  take_profile (self, g_object_ref (profile));
}

void
antenna_profile_store_add (AntennaProfileStore *self,
                           AntennaProfile      *profile)
{
  guint position;

  g_return_if_fail (ANTENNA_IS_PROFILE_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (!g_ptr_array_find (self->store.items, profile, NULL));

  position = self->store.items->len;
  add_profile (self, profile);
  items_changed (self, position, 0, 1);
  antenna_json_store_schedule_save (&self->store);
}

void
antenna_profile_store_remove (AntennaProfileStore *self,
                              AntennaProfile      *profile)
{
  guint position;

  g_return_if_fail (ANTENNA_IS_PROFILE_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));

  if (!g_ptr_array_find (self->store.items, profile, &position))
    return;

  release_profile (profile, self);
  g_ptr_array_remove_index (self->store.items, position);
  items_changed (self, position, 1, 0);
  antenna_json_store_schedule_save (&self->store);
}

/* Returns: (transfer none) (nullable): the profile with @id. */
AntennaProfile *
antenna_profile_store_find (AntennaProfileStore *self,
                            const char          *id)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (self), NULL);

  if (id == NULL)
    return NULL;

  for (guint i = 0; i < self->store.items->len; i++)
    {
      AntennaProfile *profile = g_ptr_array_index (self->store.items, i);

      if (g_strcmp0 (antenna_profile_get_id (profile), id) == 0)
        return profile;
    }

  return NULL;
}

/* Returns: (transfer none): the copy, owned by the store. Its password is not
 * copied: see antenna_secret_store_copy_async(). */
AntennaProfile *
antenna_profile_store_duplicate (AntennaProfileStore *self,
                                 AntennaProfile      *profile)
{
  g_autoptr(AntennaProfile) copy = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (ANTENNA_IS_PROFILE (profile), NULL);

  copy = antenna_profile_copy (profile);
  antenna_profile_regenerate_id (copy);
  antenna_profile_store_add (self, copy);

  return copy;
}

/* Export and import */

gboolean
antenna_profile_store_export (AntennaProfileStore  *self,
                              GPtrArray            *profiles,
                              GFile                *file,
                              GError              **error)
{
  return antenna_profile_store_export_full (self, profiles, NULL, file, error);
}

gboolean
antenna_profile_store_export_full (AntennaProfileStore   *self,
                                   GPtrArray             *profiles,
                                   AntennaTemplateStore  *templates,
                                   GFile                 *file,
                                   GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) templates_node = NULL;
  g_autofree char *data = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (!templates || ANTENNA_IS_TEMPLATE_STORE (templates), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (profiles == NULL)
    profiles = self->store.items;

  if (templates != NULL)
    {
      g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < profiles->len; i++)
        g_hash_table_add (ids, (gpointer) antenna_profile_get_id (g_ptr_array_index (profiles, i)));
      templates_node = antenna_template_store_to_json (templates, ids);
    }

  data = dup_document (profiles, templates_node);

  if (!g_file_replace_contents (file, data, strlen (data), NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                   _("Could not export the connections to “%s”: %s"),
                   name, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Returns: (transfer container): the imported profiles, now in the store. */
GPtrArray *
antenna_profile_store_import (AntennaProfileStore  *self,
                              GFile                *file,
                              GError              **error)
{
  return antenna_profile_store_import_full (self, file, NULL, error);
}

GPtrArray *
antenna_profile_store_import_full (AntennaProfileStore   *self,
                                   GFile                 *file,
                                   AntennaTemplateStore  *templates,
                                   GError               **error)
{
  g_autoptr(GHashTable) id_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(AntennaJsonStoreLoad) result = { 0 };
  g_autoptr(JsonNode) templates_node = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  gsize length = 0;
  guint position;

  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (!templates || ANTENNA_IS_TEMPLATE_STORE (templates), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL ||
      !g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                     _("Could not import “%s”: there is no such file."), name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                     _("Could not import “%s”: it is a folder, not a file."), name);
      else
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                     _("Could not import “%s”: %s"), name, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      g_file_info_get_size (info) > MAX_IMPORT_SIZE || length > MAX_IMPORT_SIZE)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("“%s” is not a file of Antenna connections."), name);
      return NULL;
    }

  if (!read_document (contents, length, name, TRUE, &result, &templates_node, error))
    return NULL;

  if (result.newer)
    {
      set_newer_version (error, name);
      return NULL;
    }

  if (result.n_bad > 0)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("Nothing was imported: a connection in “%s” could not be read. %s"),
                   name, result.first_error->message);
      return NULL;
    }

  imported = g_ptr_array_new_with_free_func (g_object_unref);
  position = self->store.items->len;

  for (guint i = 0; i < result.items->len; i++)
    {
      AntennaProfile *profile = g_ptr_array_index (result.items, i);
      char *old_id = g_strdup (antenna_profile_get_id (profile));

      add_profile (self, profile);
      g_ptr_array_add (imported, g_object_ref (profile));
      /* Templates follow their profile to its id in this store. */
      if (!g_hash_table_contains (id_map, old_id))
        g_hash_table_insert (id_map, old_id, g_strdup (antenna_profile_get_id (profile)));
      else
        g_free (old_id);
    }

  if (templates != NULL && templates_node != NULL)
    {
      g_autoptr(GError) templates_error = NULL;

      /* The connections are in; templates that cannot be read are left out. */
      if (antenna_template_store_import_json (templates, templates_node, id_map, &templates_error) < 0)
        g_debug ("Templates in %s left out: %s", name, templates_error->message);
    }

  if (imported->len > 0)
    {
      items_changed (self, position, 0, imported->len);
      antenna_json_store_schedule_save (&self->store);
    }

  return g_steal_pointer (&imported);
}
