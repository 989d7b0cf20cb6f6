/* antenna-template-store.c: saved publish templates, per connection profile
 *
 * The file reads:
 *   { "format": "antenna-templates", "version": 1, "templates": [
 *       { "name": …, "profile-id": …, "topic": …, "qos": 0, "retain": false,
 *         "payload-format": "json", "payload": "<Base64>",
 *         "properties": { "content-type": …, … } }, … ] }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-template-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "antenna-error.h"
#include "antenna-json-file.h"
#include "antenna-message.h"
#include "antenna-payload.h"
#include "antenna-template-store.h"

#define FORMAT_NAME "antenna-templates"
/* A templates file larger than this is not ours. */
#define MAX_FILE_SIZE (256 * 1024 * 1024)

/* AntennaTemplate */

struct _AntennaTemplate
{
  GObject               parent_instance;

  char                 *name;
  char                 *profile_id;
  char                 *topic;
  int                   qos;
  gboolean              retain;
  AntennaProperties    *properties;
  GBytes               *payload;
  AntennaPayloadFormat  payload_format;
};

enum {
  TEMPLATE_PROP_0,
  TEMPLATE_PROP_NAME,
  TEMPLATE_PROP_PROFILE_ID,
  TEMPLATE_PROP_TOPIC,
  TEMPLATE_PROP_QOS,
  TEMPLATE_PROP_RETAIN,
  TEMPLATE_N_PROPS
};

static GParamSpec *template_properties[TEMPLATE_N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaTemplate, antenna_template, G_TYPE_OBJECT)

static void
antenna_template_finalize (GObject *object)
{
  AntennaTemplate *self = ANTENNA_TEMPLATE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->topic, g_free);
  g_clear_pointer (&self->properties, antenna_properties_unref);
  g_clear_pointer (&self->payload, g_bytes_unref);

  G_OBJECT_CLASS (antenna_template_parent_class)->finalize (object);
}

static void
antenna_template_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AntennaTemplate *self = ANTENNA_TEMPLATE (object);

  switch (prop_id)
    {
    case TEMPLATE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case TEMPLATE_PROP_PROFILE_ID:
      g_value_set_string (value, self->profile_id);
      break;
    case TEMPLATE_PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;
    case TEMPLATE_PROP_QOS:
      g_value_set_int (value, self->qos);
      break;
    case TEMPLATE_PROP_RETAIN:
      g_value_set_boolean (value, self->retain);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_template_class_init (AntennaTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_template_finalize;
  object_class->get_property = antenna_template_get_property;

  template_properties[TEMPLATE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  template_properties[TEMPLATE_PROP_PROFILE_ID] =
    g_param_spec_string ("profile-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  template_properties[TEMPLATE_PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  template_properties[TEMPLATE_PROP_QOS] =
    g_param_spec_int ("qos", NULL, NULL, 0, 2, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  template_properties[TEMPLATE_PROP_RETAIN] =
    g_param_spec_boolean ("retain", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, TEMPLATE_N_PROPS, template_properties);
}

static void
antenna_template_init (AntennaTemplate *self)
{
}

AntennaTemplate *
antenna_template_new (const char           *name,
                      const char           *profile_id,
                      const char           *topic,
                      int                   qos,
                      gboolean              retain,
                      AntennaProperties    *properties,
                      GBytes               *payload,
                      AntennaPayloadFormat  payload_format)
{
  AntennaTemplate *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (qos >= 0 && qos <= 2, NULL);

  self = g_object_new (ANTENNA_TYPE_TEMPLATE, NULL);
  self->name = g_strdup (name);
  self->profile_id = g_strdup (profile_id);
  self->topic = g_strdup (topic);
  self->qos = qos;
  self->retain = !!retain;
  if (properties != NULL && !antenna_properties_is_empty (properties))
    self->properties = antenna_properties_copy (properties);
  self->payload = payload != NULL ? g_bytes_ref (payload) : g_bytes_new (NULL, 0);
  self->payload_format = payload_format;

  return self;
}

const char *
antenna_template_get_name (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->name;
}

const char *
antenna_template_get_profile_id (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->profile_id;
}

const char *
antenna_template_get_topic (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->topic;
}

int
antenna_template_get_qos (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), 0);
  return self->qos;
}

gboolean
antenna_template_get_retain (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), FALSE);
  return self->retain;
}

AntennaProperties *
antenna_template_get_properties (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->properties;
}

GBytes *
antenna_template_get_payload (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), NULL);
  return self->payload;
}

AntennaPayloadFormat
antenna_template_get_payload_format (AntennaTemplate *self)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (self), ANTENNA_PAYLOAD_FORMAT_TEXT);
  return self->payload_format;
}

/* JSON */

static const char * const format_names[] = {
  [ANTENNA_PAYLOAD_FORMAT_AUTO] = "auto",
  [ANTENNA_PAYLOAD_FORMAT_TEXT] = "text",
  [ANTENNA_PAYLOAD_FORMAT_JSON] = "json",
  [ANTENNA_PAYLOAD_FORMAT_HEX] = "hex",
  [ANTENNA_PAYLOAD_FORMAT_BASE64] = "base64",
};

static JsonNode *
template_to_json (AntennaTemplate *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gsize size;
  const guchar *data = g_bytes_get_data (self->payload, &size);
  g_autofree char *b64 = g_base64_encode (data, size);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "profile-id");
  json_builder_add_string_value (builder, self->profile_id);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, self->topic);
  json_builder_set_member_name (builder, "qos");
  json_builder_add_int_value (builder, self->qos);
  json_builder_set_member_name (builder, "retain");
  json_builder_add_boolean_value (builder, self->retain);
  json_builder_set_member_name (builder, "payload-format");
  json_builder_add_string_value (builder, format_names[self->payload_format]);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_string_value (builder, b64);
  if (self->properties != NULL)
    {
      json_builder_set_member_name (builder, "properties");
      json_builder_add_value (builder, antenna_properties_to_json (self->properties));
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
bad (GError     **error,
     const char  *what)
{
  g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
               _("A saved template could not be read: %s."), what);
  return FALSE;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

static AntennaProperties *
properties_from_json (JsonNode  *node,
                      GError   **error)
{
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  JsonObject *object;
  JsonNode *member;
  const char *s;
  gint64 n;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, _("its properties are not an object")), NULL;
  object = json_node_get_object (node);

  if ((s = get_string (object, "content-type")) != NULL)
    props->content_type = g_strdup (s);
  if (get_int (object, "payload-format", &n))
    {
      if (n < 0 || n > 1)
        return bad (error, _("its payload format indicator is not 0 or 1")), NULL;
      props->payload_format = n;
    }
  if ((s = get_string (object, "response-topic")) != NULL)
    props->response_topic = g_strdup (s);
  if ((s = get_string (object, "correlation-data")) != NULL)
    {
      /* strictly: g_base64_decode() skips what is not Base64 */
      props->correlation_data = antenna_payload_decode (s, -1, ANTENNA_PAYLOAD_FORMAT_BASE64, NULL);
      if (props->correlation_data == NULL)
        return bad (error, _("its correlation data is not Base64")), NULL;
    }
  if (get_int (object, "message-expiry", &n))
    {
      if (n < 0 || n > G_MAXUINT32)
        return bad (error, _("its message expiry interval is out of range")), NULL;
      props->message_expiry = n;
    }
  member = json_object_get_member (object, "user-properties");
  if (member != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        return bad (error, _("its user properties are not a list")), NULL;
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *pair = json_array_get_element (array, i);
          JsonArray *pa;

          if (!JSON_NODE_HOLDS_ARRAY (pair) || json_array_get_length (pa = json_node_get_array (pair)) != 2 ||
              json_node_get_value_type (json_array_get_element (pa, 0)) != G_TYPE_STRING ||
              json_node_get_value_type (json_array_get_element (pa, 1)) != G_TYPE_STRING)
            return bad (error, _("a user property is not a pair of strings")), NULL;
          antenna_properties_add_user_property (props,
                                                json_array_get_string_element (pa, 0),
                                                json_array_get_string_element (pa, 1));
        }
    }

  return g_steal_pointer (&props);
}

static AntennaTemplate *
template_from_json (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(AntennaProperties) props = NULL;
  g_autoptr(GBytes) payload = NULL;
  AntennaPayloadFormat format = ANTENNA_PAYLOAD_FORMAT_TEXT;
  JsonObject *object;
  JsonNode *member;
  const char *name, *profile_id, *topic, *b64, *format_name;
  gint64 qos = 0;
  gboolean retain = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, _("it is not an object")), NULL;
  object = json_node_get_object (node);

  name = get_string (object, "name");
  profile_id = get_string (object, "profile-id");
  topic = get_string (object, "topic");
  if (name == NULL || name[0] == '\0')
    return bad (error, _("it has no name")), NULL;
  if (profile_id == NULL)
    return bad (error, _("it belongs to no connection")), NULL;
  if (topic == NULL)
    return bad (error, _("it has no topic")), NULL;
  if (json_object_has_member (object, "qos") && (!get_int (object, "qos", &qos) || qos < 0 || qos > 2))
    return bad (error, _("its QoS is not 0, 1 or 2")), NULL;
  member = json_object_get_member (object, "retain");
  if (member != NULL)
    {
      if (json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return bad (error, _("its retain flag is not true or false")), NULL;
      retain = json_node_get_boolean (member);
    }
  format_name = get_string (object, "payload-format");
  if (format_name != NULL)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (format_names); i++)
        if (g_str_equal (format_names[i], format_name))
          break;
      /* A format a newer version added: the bytes are still right as hex. */
      format = i < G_N_ELEMENTS (format_names) ? (AntennaPayloadFormat) i : ANTENNA_PAYLOAD_FORMAT_HEX;
    }
  b64 = get_string (object, "payload");
  if (b64 != NULL)
    {
      gsize len = 0;
      guchar *data = g_base64_decode (b64, &len);

      if (len > ANTENNA_TEMPLATE_MAX_PAYLOAD)
        {
          g_free (data);
          return bad (error, _("its payload is too large")), NULL;
        }
      payload = g_bytes_new_take (data, len);
    }
  member = json_object_get_member (object, "properties");
  if (member != NULL)
    {
      props = properties_from_json (member, error);
      if (props == NULL)
        return NULL;
    }

  return antenna_template_new (name, profile_id, topic, qos, retain, props, payload, format);
}

/* AntennaTemplateStore */

struct _AntennaTemplateStore
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *templates;     /* of AntennaTemplate */
  guint      save_source;
  guint      autosave : 1;
  guint      blocked : 1;
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
  return ANTENNA_TEMPLATE_STORE (model)->templates->len;
}

static gpointer
antenna_template_store_get_item (GListModel *model,
                                 guint       position)
{
  AntennaTemplateStore *self = ANTENNA_TEMPLATE_STORE (model);

  if (position >= self->templates->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->templates, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = antenna_template_store_get_item_type;
  iface->get_n_items = antenna_template_store_get_n_items;
  iface->get_item = antenna_template_store_get_item;
}

static gboolean
save_idle_cb (gpointer data)
{
  AntennaTemplateStore *self = data;
  g_autoptr(GError) error = NULL;

  self->save_source = 0;
  if (!antenna_template_store_save (self, &error))
    g_signal_emit (self, signals[SAVE_FAILED], 0, error);

  return G_SOURCE_REMOVE;
}

static void
changed (AntennaTemplateStore *self)
{
  if (self->autosave && self->save_source == 0)
    {
      self->save_source = g_idle_add (save_idle_cb, self);
      g_source_set_name_by_id (self->save_source, "[antenna] save templates");
    }
}

static void
antenna_template_store_dispose (GObject *object)
{
  AntennaTemplateStore *self = ANTENNA_TEMPLATE_STORE (object);

  if (self->save_source != 0)
    {
      g_autoptr(GError) error = NULL;

      if (!antenna_template_store_save (self, &error))
        g_debug ("Could not save the templates: %s", error->message);
    }

  G_OBJECT_CLASS (antenna_template_store_parent_class)->dispose (object);
}

static void
antenna_template_store_finalize (GObject *object)
{
  AntennaTemplateStore *self = ANTENNA_TEMPLATE_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->templates, g_ptr_array_unref);

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
  self->templates = g_ptr_array_new_with_free_func (g_object_unref);
}

AntennaTemplateStore *
antenna_template_store_new (const char *path)
{
  AntennaTemplateStore *self = g_object_new (ANTENNA_TYPE_TEMPLATE_STORE, NULL);

  if (path != NULL)
    self->path = g_strdup (path);
  else
    self->path = g_build_filename (g_get_user_config_dir (), APP_DIR_NAME, "templates.json", NULL);

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

  return self->path;
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
      AntennaTemplate *template = template_from_json (json_array_get_element (array, i), &error);

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

static char *
dup_document (GPtrArray *templates)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, ANTENNA_TEMPLATE_STORE_VERSION);
  json_builder_set_member_name (builder, "templates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < templates->len; i++)
    json_builder_add_value (builder, template_to_json (g_ptr_array_index (templates, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

static void
replace_all (AntennaTemplateStore *self,
             GPtrArray            *templates)
{
  guint removed = self->templates->len;

  g_ptr_array_set_size (self->templates, 0);
  for (guint i = 0; i < templates->len; i++)
    g_ptr_array_add (self->templates, g_object_ref (g_ptr_array_index (templates, i)));

  if (removed > 0 || templates->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, templates->len);
}

gboolean
antenna_template_store_load (AntennaTemplateStore  *self,
                             char                 **moved_to,
                             GError               **error)
{
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GError) aside_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  gsize length = 0;
  guint n_bad = 0;
  gboolean newer = FALSE;

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), FALSE);

  if (moved_to != NULL)
    *moved_to = NULL;
  self->blocked = FALSE;

  if (!g_file_get_contents (self->path, &contents, &length, &read_error))
    {
      if (g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          replace_all (self, templates);
          return TRUE;
        }
      g_debug ("Could not read %s: %s", self->path, read_error->message);
      g_clear_error (&read_error);
      g_set_error (&read_error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("The saved templates in “%s” could not be read."), self->path);
    }
  else if (length > MAX_FILE_SIZE || !antenna_payload_validate_json (contents, length, NULL))
    {
      g_set_error (&read_error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                   _("The saved templates in “%s” could not be read: it is not JSON."), self->path);
    }
  else
    {
      JsonObject *root;
      JsonNode *member;
      gint64 version = 0;

      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, contents, length, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
          g_strcmp0 (get_string (root = json_node_get_object (json_parser_get_root (parser)), "format"), FORMAT_NAME) != 0 ||
          !get_int (root, "version", &version) || version < 1 ||
          (member = json_object_get_member (root, "templates")) == NULL ||
          !JSON_NODE_HOLDS_ARRAY (member))
        {
          g_set_error (&read_error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                       _("The saved templates in “%s” could not be read: it is not a file of Antenna templates."),
                       self->path);
        }
      else
        {
          newer = version > ANTENNA_TEMPLATE_STORE_VERSION;
          n_bad = read_array (json_node_get_array (member), templates, &read_error);
          if (newer)
            {
              g_clear_error (&read_error);
              g_set_error (&read_error, ANTENNA_ERROR, ANTENNA_ERROR_NEWER_VERSION,
                           _("“%s” was written by a newer version of Antenna, which this version cannot fully read."),
                           self->path);
            }
          else if (n_bad == 0)
            {
              replace_all (self, templates);
              return TRUE;
            }
        }
    }

  /* Keep what could be read, set the file aside, say so. */
  replace_all (self, templates);

  aside = antenna_json_file_set_aside (self->path, &aside_error);
  if (aside == NULL)
    {
      self->blocked = TRUE;
      g_set_error (error, ANTENNA_ERROR, read_error->code,
                   _("%s %s Antenna will not save templates until it is moved."),
                   read_error->message, aside_error->message);
      return FALSE;
    }

  if (moved_to != NULL)
    *moved_to = g_strdup (aside);

  if (n_bad > 0 && !newer)
    g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u saved template could not be read and was left out; "
                              "the file was kept as “%s”. %s",
                              "%u saved templates could not be read and were left out; "
                              "the file was kept as “%s”. %s",
                              n_bad),
                 n_bad, aside, read_error->message);
  else
    g_set_error (error, ANTENNA_ERROR, read_error->code,
                 _("%s It was kept as “%s”."), read_error->message, aside);

  if (self->templates->len > 0)
    {
      g_autoptr(GError) save_error = NULL;

      if (!antenna_template_store_save (self, &save_error))
        g_debug ("Could not save the templates read: %s", save_error->message);
    }

  return FALSE;
}

gboolean
antenna_template_store_save (AntennaTemplateStore  *self,
                             GError               **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (self->blocked)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                   _("The templates were not saved: “%s” could not be read nor moved aside, "
                     "and Antenna does not write over it."),
                   self->path);
      return FALSE;
    }

  data = dup_document (self->templates);
  if (!antenna_json_file_write (self->path, data, -1, &local_error))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                   _("Could not save the templates to “%s”: %s"),
                   self->path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

void
antenna_template_store_set_autosave (AntennaTemplateStore *self,
                                     gboolean              autosave)
{
  g_return_if_fail (ANTENNA_IS_TEMPLATE_STORE (self));

  self->autosave = !!autosave;
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
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), FALSE);
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE (template), FALSE);

  if (g_bytes_get_size (template->payload) > ANTENNA_TEMPLATE_MAX_PAYLOAD)
    {
      g_autofree char *size = antenna_payload_format_size (g_bytes_get_size (template->payload));
      g_autofree char *max = antenna_payload_format_size (ANTENNA_TEMPLATE_MAX_PAYLOAD);

      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                   _("The payload is too large for a template: %s, and a template keeps at most %s."),
                   size, max);
      return FALSE;
    }

  if (!check_name (self, template->profile_id, template->name, NULL, error))
    return FALSE;

  g_ptr_array_add (self->templates, g_object_ref (template));
  g_list_model_items_changed (G_LIST_MODEL (self), self->templates->len - 1, 0, 1);
  changed (self);

  return TRUE;
}

void
antenna_template_store_remove (AntennaTemplateStore *self,
                               AntennaTemplate      *template)
{
  guint position;

  g_return_if_fail (ANTENNA_IS_TEMPLATE_STORE (self));
  g_return_if_fail (ANTENNA_IS_TEMPLATE (template));

  if (!g_ptr_array_find (self->templates, template, &position))
    return;

  g_ptr_array_remove_index (self->templates, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  changed (self);
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

  if (g_strcmp0 (template->name, name) == 0)
    return TRUE;

  if (!check_name (self, template->profile_id, name, template, error))
    return FALSE;

  g_free (template->name);
  template->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (template), template_properties[TEMPLATE_PROP_NAME]);

  /* Lists sorted or filtered by name see it as a change. */
  if (g_ptr_array_find (self->templates, template, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  changed (self);

  return TRUE;
}

AntennaTemplate *
antenna_template_store_find (AntennaTemplateStore *self,
                             const char           *profile_id,
                             const char           *name)
{
  g_return_val_if_fail (ANTENNA_IS_TEMPLATE_STORE (self), NULL);

  for (guint i = 0; i < self->templates->len; i++)
    {
      AntennaTemplate *template = g_ptr_array_index (self->templates, i);

      if (g_strcmp0 (template->profile_id, profile_id) == 0 &&
          g_strcmp0 (template->name, name) == 0)
        return template;
    }

  return NULL;
}

static void
refill_profile_list (AntennaTemplateStore *self,
                     GListStore           *list)
{
  const char *profile_id = g_object_get_data (G_OBJECT (list), "antenna-profile-id");
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();

  for (guint i = 0; i < self->templates->len; i++)
    {
      AntennaTemplate *template = g_ptr_array_index (self->templates, i);

      if (g_strcmp0 (template->profile_id, profile_id) == 0)
        g_ptr_array_add (mine, template);
    }

  g_list_store_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)),
                       mine->pdata, mine->len);
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
  for (guint i = 0; i < self->templates->len; i++)
    {
      AntennaTemplate *template = g_ptr_array_index (self->templates, i);

      if (profile_ids == NULL || g_hash_table_contains (profile_ids, template->profile_id))
        json_builder_add_value (builder, template_to_json (template));
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
      const char *profile_id = g_hash_table_lookup (id_map, template->profile_id);
      g_autoptr(AntennaTemplate) copy = NULL;
      g_autofree char *name = NULL;

      if (profile_id == NULL)
        continue;

      name = g_strdup (template->name);
      for (guint n = 2; antenna_template_store_find (self, profile_id, name) != NULL; n++)
        {
          g_free (name);
          name = g_strdup_printf ("%s (%u)", template->name, n);
        }

      copy = antenna_template_new (name, profile_id, template->topic, template->qos,
                                   template->retain, template->properties, template->payload,
                                   template->payload_format);
      if (antenna_template_store_add (self, copy, NULL))
        n_added++;
    }

  return n_added;
}
