/* antenna-profile-decoders.c: a profile's decoding settings
 *
 * The decoder rules (topic filter → decoder and options) and the .proto
 * files with their import folders, and their JSON form:
 *   "decoder-rules": [ { "filter": …, "decoder": …, "message-type": … } ],
 *   "proto-files": [ "/path/a.proto" ], "proto-import-paths": [ "/path" ]
 * A profile that has any of these is written in format version 3 of
 * profiles.json (antenna-profile-store.c), so that an older Antenna sets
 * the file aside instead of saving it again without them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-decoder-rule.h"
#include "antenna-json-file.h"
#include "antenna-profile-private.h"

static void
notify_property (AntennaProfile *self,
                 const char     *name)
{
  _antenna_profile_emit_changed (self, g_object_class_find_property (G_OBJECT_GET_CLASS (self), name));
}

static void
on_rule_notify_cb (AntennaProfile     *self,
                   GParamSpec         *pspec,
                   AntennaDecoderRule *rule)
{
  _antenna_profile_emit_changed (self, NULL);
}

static void
on_rules_items_changed_cb (AntennaProfile *self,
                           guint           position,
                           guint           removed,
                           guint           added,
                           GListModel     *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AntennaDecoderRule) rule = g_list_model_get_item (model, i);

      /* Connected once per rule: a rule is in one profile once. */
      g_signal_handlers_disconnect_by_func (rule, on_rule_notify_cb, self);
      g_signal_connect_object (rule, "notify", G_CALLBACK (on_rule_notify_cb), self, G_CONNECT_SWAPPED);
    }
  if (removed > 0 || added > 0)
    _antenna_profile_emit_changed (self, NULL);
}

void
_antenna_profile_init_decoders (AntennaProfile *self)
{
  self->decoder_rules = g_list_store_new (ANTENNA_TYPE_DECODER_RULE);
  self->proto_files = g_new0 (char *, 1);
  self->proto_import_paths = g_new0 (char *, 1);
  g_signal_connect_object (self->decoder_rules, "items-changed",
                           G_CALLBACK (on_rules_items_changed_cb), self, G_CONNECT_SWAPPED);
}

void
_antenna_profile_dispose_decoders (AntennaProfile *self)
{
  guint n;

  if (self->decoder_rules == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->decoder_rules));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaDecoderRule) rule = g_list_model_get_item (G_LIST_MODEL (self->decoder_rules), i);

      g_signal_handlers_disconnect_by_func (rule, on_rule_notify_cb, self);
    }
  g_signal_handlers_disconnect_by_func (self->decoder_rules, on_rules_items_changed_cb, self);
}

void
_antenna_profile_finalize_decoders (AntennaProfile *self)
{
  g_clear_object (&self->decoder_rules);
  g_clear_pointer (&self->proto_files, g_strfreev);
  g_clear_pointer (&self->proto_import_paths, g_strfreev);
}

static gboolean
rules_equal (GListModel *a,
             GListModel *b)
{
  guint n = g_list_model_get_n_items (a);

  if (n != g_list_model_get_n_items (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaDecoderRule) ra = g_list_model_get_item (a, i);
      g_autoptr(AntennaDecoderRule) rb = g_list_model_get_item (b, i);

      if (!antenna_decoder_rule_equal (ra, rb))
        return FALSE;
    }
  return TRUE;
}

void
_antenna_profile_update_decoders_from (AntennaProfile *self,
                                       AntennaProfile *other)
{
  GListModel *from = G_LIST_MODEL (other->decoder_rules);

  antenna_profile_set_proto_files (self, (const char * const *) other->proto_files);
  antenna_profile_set_proto_import_paths (self, (const char * const *) other->proto_import_paths);

  if (!rules_equal (G_LIST_MODEL (self->decoder_rules), from))
    {
      g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_object_unref);
      guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->decoder_rules));

      for (guint i = 0; i < n_old; i++)
        {
          g_autoptr(AntennaDecoderRule) rule = g_list_model_get_item (G_LIST_MODEL (self->decoder_rules), i);

          g_signal_handlers_disconnect_by_func (rule, on_rule_notify_cb, self);
        }
      for (guint i = 0; i < g_list_model_get_n_items (from); i++)
        {
          g_autoptr(AntennaDecoderRule) rule = g_list_model_get_item (from, i);

          g_ptr_array_add (copies, antenna_decoder_rule_copy (rule));
        }
      /* One items-changed, so one ::changed. */
      g_list_store_splice (self->decoder_rules, 0, n_old, copies->pdata, copies->len);
    }
}

gboolean
_antenna_profile_has_decoders (AntennaProfile *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->decoder_rules)) > 0 ||
         self->proto_files[0] != NULL || self->proto_import_paths[0] != NULL;
}

static JsonNode *
strv_to_json (char **strv)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  json_node_take_array (node, array);
  return node;
}

void
_antenna_profile_decoders_to_json (AntennaProfile *self,
                                   JsonObject     *object)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->decoder_rules));

  /* Only what is set: a profile without them reads as version 1 wrote it. */
  if (n > 0)
    {
      JsonArray *array = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AntennaDecoderRule) rule = g_list_model_get_item (G_LIST_MODEL (self->decoder_rules), i);

          json_array_add_element (array, antenna_decoder_rule_to_json (rule));
        }
      json_node_take_array (node, array);
      json_object_set_member (object, "decoder-rules", node);
    }
  if (self->proto_files[0] != NULL)
    json_object_set_member (object, "proto-files", strv_to_json (self->proto_files));
  if (self->proto_import_paths[0] != NULL)
    json_object_set_member (object, "proto-import-paths", strv_to_json (self->proto_import_paths));
}

/* A list of strings, NULL-terminated; FALSE with the setting named when
 * it is something else. */
static gboolean
read_strv (JsonObject   *object,
           const char   *key,
           char       ***strv,
           GError      **error)
{
  JsonNode *member = antenna_json_file_get_member (object, key);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  *strv = NULL;
  if (member == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      antenna_json_file_set_wrong_type (error, key, _("a list of file paths"));
      return FALSE;
    }

  builder = g_strv_builder_new ();
  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          antenna_json_file_set_wrong_type (error, key, _("a list of file paths"));
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  *strv = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
_antenna_profile_decoders_from_json (AntennaProfile  *self,
                                     JsonObject      *object,
                                     GError         **error)
{
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) paths = NULL;
  JsonNode *member;

  if (!read_strv (object, "proto-files", &files, error) ||
      !read_strv (object, "proto-import-paths", &paths, error))
    return FALSE;
  if (files != NULL)
    antenna_profile_set_proto_files (self, (const char * const *) files);
  if (paths != NULL)
    antenna_profile_set_proto_import_paths (self, (const char * const *) paths);

  member = antenna_json_file_get_member (object, "decoder-rules");
  if (member != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          antenna_json_file_set_wrong_type (error, "decoder-rules", _("a list of objects"));
          return FALSE;
        }
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(AntennaDecoderRule) rule =
            antenna_decoder_rule_new_from_json (json_array_get_element (array, i), error);

          if (rule == NULL)
            return FALSE;
          antenna_profile_add_decoder_rule (self, rule);
        }
    }

  return TRUE;
}

GListModel *
antenna_profile_get_decoder_rules (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);

  return G_LIST_MODEL (self->decoder_rules);
}

void
antenna_profile_add_decoder_rule (AntennaProfile     *self,
                                  AntennaDecoderRule *rule)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  antenna_profile_insert_decoder_rule (self, g_list_model_get_n_items (G_LIST_MODEL (self->decoder_rules)), rule);
}

void
antenna_profile_insert_decoder_rule (AntennaProfile     *self,
                                     guint               position,
                                     AntennaDecoderRule *rule)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (ANTENNA_IS_DECODER_RULE (rule));
  g_return_if_fail (!g_list_store_find (self->decoder_rules, rule, NULL));

  g_list_store_insert (self->decoder_rules,
                       MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->decoder_rules))), rule);
}

void
antenna_profile_remove_decoder_rule (AntennaProfile *self,
                                     guint           position)
{
  g_autoptr(AntennaDecoderRule) rule = NULL;

  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->decoder_rules)));

  rule = g_list_model_get_item (G_LIST_MODEL (self->decoder_rules), position);
  g_signal_handlers_disconnect_by_func (rule, on_rule_notify_cb, self);
  g_list_store_remove (self->decoder_rules, position);
}

static void
set_strv (AntennaProfile      *self,
          char              ***field,
          const char * const  *value,
          const char          *property)
{
  static const char * const empty[] = { NULL };

  if (value == NULL)
    value = empty;
  if (g_strv_equal ((const char * const *) *field, value))
    return;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  notify_property (self, property);
}

const char * const *
antenna_profile_get_proto_files (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);

  return (const char * const *) self->proto_files;
}

void
antenna_profile_set_proto_files (AntennaProfile     *self,
                                 const char * const *files)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  set_strv (self, &self->proto_files, files, "proto-files");
}

const char * const *
antenna_profile_get_proto_import_paths (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);

  return (const char * const *) self->proto_import_paths;
}

void
antenna_profile_set_proto_import_paths (AntennaProfile     *self,
                                        const char * const *paths)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  set_strv (self, &self->proto_import_paths, paths, "proto-import-paths");
}
