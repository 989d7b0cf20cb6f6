/* antenna-properties.c: the MQTT 5 properties of a message or a last will
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-properties"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-json-file.h"
#include "antenna-properties.h"

G_DEFINE_BOXED_TYPE (AntennaProperties, antenna_properties,
                     antenna_properties_ref, antenna_properties_unref)

static void
antenna_properties_clear (gpointer data)
{
  AntennaProperties *self = data;

  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->response_topic, g_free);
  g_clear_pointer (&self->correlation_data, g_bytes_unref);
  g_clear_pointer (&self->user_properties, g_ptr_array_unref);
  g_clear_pointer (&self->subscription_ids, g_array_unref);
}

AntennaProperties *
antenna_properties_new (void)
{
  AntennaProperties *self = g_atomic_rc_box_new0 (AntennaProperties);

  self->payload_format = -1;
  self->message_expiry = -1;
  self->user_properties = g_ptr_array_new_with_free_func (g_free);
  self->subscription_ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  return self;
}

AntennaProperties *
antenna_properties_ref (AntennaProperties *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
antenna_properties_unref (AntennaProperties *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, antenna_properties_clear);
}

AntennaProperties *
antenna_properties_copy (const AntennaProperties *self)
{
  AntennaProperties *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = antenna_properties_new ();
  copy->content_type = g_strdup (self->content_type);
  copy->payload_format = self->payload_format;
  copy->response_topic = g_strdup (self->response_topic);
  copy->correlation_data = self->correlation_data ? g_bytes_ref (self->correlation_data) : NULL;
  copy->message_expiry = self->message_expiry;
  for (guint i = 0; i < self->user_properties->len; i++)
    g_ptr_array_add (copy->user_properties, g_strdup (g_ptr_array_index (self->user_properties, i)));
  if (self->subscription_ids->len > 0)
    g_array_append_vals (copy->subscription_ids,
                         self->subscription_ids->data,
                         self->subscription_ids->len);

  return copy;
}

gboolean
antenna_properties_is_empty (const AntennaProperties *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->content_type == NULL &&
         self->payload_format < 0 &&
         self->response_topic == NULL &&
         self->correlation_data == NULL &&
         self->message_expiry < 0 &&
         self->user_properties->len == 0 &&
         self->subscription_ids->len == 0;
}

void
antenna_properties_add_user_property (AntennaProperties *self,
                                      const char        *name,
                                      const char        *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  g_ptr_array_add (self->user_properties, g_strdup (name));
  g_ptr_array_add (self->user_properties, g_strdup (value ? value : ""));
}

static gboolean
bytes_equal0 (GBytes *a,
              GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

gboolean
antenna_properties_equal (const AntennaProperties *a,
                          const AntennaProperties *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  if (g_strcmp0 (a->content_type, b->content_type) != 0 ||
      a->payload_format != b->payload_format ||
      g_strcmp0 (a->response_topic, b->response_topic) != 0 ||
      !bytes_equal0 (a->correlation_data, b->correlation_data) ||
      a->message_expiry != b->message_expiry ||
      a->user_properties->len != b->user_properties->len ||
      a->subscription_ids->len != b->subscription_ids->len)
    return FALSE;

  for (guint i = 0; i < a->user_properties->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a->user_properties, i),
                   g_ptr_array_index (b->user_properties, i)) != 0)
      return FALSE;

  for (guint i = 0; i < a->subscription_ids->len; i++)
    if (g_array_index (a->subscription_ids, guint32, i) !=
        g_array_index (b->subscription_ids, guint32, i))
      return FALSE;

  return TRUE;
}

/* The properties as saved in profiles and templates: only the set ones, the
 * correlation data in Base64, user properties as [name, value] pairs. */
JsonNode *
antenna_properties_to_json (const AntennaProperties *props)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (props != NULL, NULL);

  builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (props->content_type != NULL)
    {
      json_builder_set_member_name (builder, "content-type");
      json_builder_add_string_value (builder, props->content_type);
    }
  if (props->payload_format >= 0)
    {
      json_builder_set_member_name (builder, "payload-format");
      json_builder_add_int_value (builder, props->payload_format);
    }
  if (props->response_topic != NULL)
    {
      json_builder_set_member_name (builder, "response-topic");
      json_builder_add_string_value (builder, props->response_topic);
    }
  if (props->correlation_data != NULL)
    {
      gsize size;
      const guchar *data = g_bytes_get_data (props->correlation_data, &size);
      g_autofree char *b64 = g_base64_encode (data, size);

      json_builder_set_member_name (builder, "correlation-data");
      json_builder_add_string_value (builder, b64);
    }
  if (props->message_expiry >= 0)
    {
      json_builder_set_member_name (builder, "message-expiry");
      json_builder_add_int_value (builder, props->message_expiry);
    }
  if (props->user_properties->len > 0)
    {
      json_builder_set_member_name (builder, "user-properties");
      json_builder_begin_array (builder);
      for (guint i = 0; i + 1 < props->user_properties->len; i += 2)
        {
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, g_ptr_array_index (props->user_properties, i));
          json_builder_add_string_value (builder, g_ptr_array_index (props->user_properties, i + 1));
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * antenna_properties_new_from_json:
 * @node: an object as written by antenna_properties_to_json()
 * @error: ANTENNA_ERROR_PROFILE_CORRUPT for a member of the wrong type
 *
 * Missing (or null) members are unset; unknown members are ignored.
 */
AntennaProperties *
antenna_properties_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  JsonObject *object;
  JsonNode *user;
  const char *text;
  gint64 v;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      antenna_json_file_set_wrong_type (error, "properties", _("an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  text = NULL;
  if (!antenna_json_file_read_string (object, "content-type", &text, error))
    return NULL;
  props->content_type = g_strdup (text);

  v = -1;
  if (!antenna_json_file_read_int (object, "payload-format", 0, 1, &v, error))
    return NULL;
  props->payload_format = v;

  text = NULL;
  if (!antenna_json_file_read_string (object, "response-topic", &text, error))
    return NULL;
  props->response_topic = g_strdup (text);

  if (!antenna_json_file_read_base64 (object, "correlation-data", &props->correlation_data, error))
    return NULL;

  v = -1;
  if (!antenna_json_file_read_int (object, "message-expiry", 0, G_MAXUINT32, &v, error))
    return NULL;
  props->message_expiry = v;

  user = antenna_json_file_get_member (object, "user-properties");
  if (user != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (user))
        goto bad_user;

      array = json_node_get_array (user);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *pair = json_array_get_element (array, i);
          JsonArray *pa;
          JsonNode *name, *value;

          if (!JSON_NODE_HOLDS_ARRAY (pair))
            goto bad_user;
          pa = json_node_get_array (pair);
          if (json_array_get_length (pa) != 2)
            goto bad_user;
          name = json_array_get_element (pa, 0);
          value = json_array_get_element (pa, 1);
          if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING ||
              !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            goto bad_user;

          antenna_properties_add_user_property (props,
                                                json_node_get_string (name),
                                                json_node_get_string (value));
        }
    }

  return g_steal_pointer (&props);

bad_user:
  antenna_json_file_set_wrong_type (error, "user-properties", _("a list of name and value pairs"));
  return NULL;
}
