/* antenna-profile-json.c: a profile as JSON, in the saved file and exports
 *
 * Every saved setting but the password, under the name of its property;
 * see antenna-profile-store.c for the file around the profiles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-error.h"
#include "antenna-json-file.h"
#include "antenna-profile-private.h"
#include "antenna-properties.h"
#include "antenna-subscription.h"

static const char *
mqtt_version_to_string (AntennaMqttVersion version)
{
  switch (version)
    {
    case ANTENNA_MQTT_VERSION_3_1_1:  return "3.1.1";
    case ANTENNA_MQTT_VERSION_AUTOMATIC: return "automatic";
    case ANTENNA_MQTT_VERSION_5:
    default:                          return "5";
    }
}

/* "3.1.1", "5", and (with @automatic) "automatic"; FALSE for anything else. */
static gboolean
mqtt_version_from_string (const char         *text,
                          gboolean            automatic,
                          AntennaMqttVersion *version)
{
  if (g_str_equal (text, "3.1.1"))
    *version = ANTENNA_MQTT_VERSION_3_1_1;
  else if (g_str_equal (text, "5"))
    *version = ANTENNA_MQTT_VERSION_5;
  else if (automatic && g_str_equal (text, "automatic"))
    *version = ANTENNA_MQTT_VERSION_AUTOMATIC;
  else
    return FALSE;
  return TRUE;
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev ? ev->value_nick : NULL;
}

JsonNode *
antenna_profile_to_json (AntennaProfile *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  guint n;

  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);

#define ADD_STRING(key, value) G_STMT_START { \
    json_builder_set_member_name (builder, key); \
    json_builder_add_string_value (builder, value); \
  } G_STMT_END
#define ADD_INT(key, value) G_STMT_START { \
    json_builder_set_member_name (builder, key); \
    json_builder_add_int_value (builder, value); \
  } G_STMT_END
#define ADD_BOOL(key, value) G_STMT_START { \
    json_builder_set_member_name (builder, key); \
    json_builder_add_boolean_value (builder, value); \
  } G_STMT_END

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  ADD_STRING ("id", self->id);
  ADD_STRING ("name", self->name);
  ADD_STRING ("host", self->host);
  ADD_INT ("port", self->port);
  ADD_STRING ("transport", enum_nick (ANTENNA_TYPE_TRANSPORT, self->transport));
  ADD_STRING ("ws-path", self->ws_path);
  ADD_STRING ("mqtt-version", mqtt_version_to_string (self->mqtt_version));
  if (self->detected_mqtt_version != ANTENNA_MQTT_VERSION_AUTOMATIC)
    ADD_STRING ("detected-mqtt-version", mqtt_version_to_string (self->detected_mqtt_version));
  ADD_STRING ("client-id", self->client_id);
  ADD_STRING ("username", self->username);
  ADD_BOOL ("save-password", self->save_password);
  ADD_INT ("keepalive", self->keepalive);
  ADD_BOOL ("clean-start", self->clean_start);
  ADD_INT ("session-expiry", self->session_expiry);
  ADD_INT ("connect-timeout", self->connect_timeout);
  ADD_BOOL ("auto-reconnect", self->auto_reconnect);
  ADD_STRING ("tls-ca-file", self->tls_ca_file);
  ADD_STRING ("tls-cert-file", self->tls_cert_file);
  ADD_STRING ("tls-key-file", self->tls_key_file);
  ADD_STRING ("tls-alpn", self->tls_alpn);
  ADD_BOOL ("tls-verify-hostname", self->tls_verify_hostname);
  ADD_BOOL ("tls-allow-insecure", self->tls_allow_insecure);
  ADD_STRING ("will-topic", self->will_topic);
  if (self->will_payload != NULL)
    {
      gsize size;
      const guchar *data = g_bytes_get_data (self->will_payload, &size);
      g_autofree char *b64 = g_base64_encode (data, size);

      ADD_STRING ("will-payload", b64);
    }
  ADD_INT ("will-qos", self->will_qos);
  ADD_BOOL ("will-retain", self->will_retain);
  if (self->will_properties != NULL)
    {
      json_builder_set_member_name (builder, "will-properties");
      json_builder_add_value (builder, antenna_properties_to_json (self->will_properties));
    }

  ADD_STRING ("proxy-mode", enum_nick (ANTENNA_TYPE_PROXY_MODE, self->proxy_mode));
  ADD_STRING ("proxy-url", self->proxy_url);
  ADD_STRING ("proxy-username", self->proxy_username);
  ADD_STRING ("auth-method", enum_nick (ANTENNA_TYPE_AUTH_METHOD, self->auth_method));
  ADD_INT ("sas-token-lifetime", self->sas_token_lifetime);

  json_builder_set_member_name (builder, "subscriptions");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);

      json_builder_begin_object (builder);
      ADD_STRING ("filter", antenna_subscription_get_filter (sub));
      ADD_INT ("qos", antenna_subscription_get_qos (sub));
      ADD_BOOL ("no-local", antenna_subscription_get_no_local (sub));
      ADD_BOOL ("retain-as-published", antenna_subscription_get_retain_as_published (sub));
      ADD_STRING ("retain-handling",
                  enum_nick (ANTENNA_TYPE_RETAIN_HANDLING, antenna_subscription_get_retain_handling (sub)));
      if (antenna_subscription_get_color (sub) != NULL)
        ADD_STRING ("color", antenna_subscription_get_color (sub));
      ADD_BOOL ("paused", antenna_subscription_get_paused (sub));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

#undef ADD_STRING
#undef ADD_INT
#undef ADD_BOOL

  {
    JsonNode *root = json_builder_get_root (builder);

    _antenna_profile_decoders_to_json (self, json_node_get_object (root));
    _antenna_profile_mqtt5_to_json (self, json_node_get_object (root));
    return root;
  }
}

/* Reading JSON: see antenna_json_file_read_string() and the others. */

static AntennaSubscription *
subscription_from_json (JsonNode  *node,
                        GError   **error)
{
  g_autoptr(AntennaSubscription) sub = NULL;
  JsonObject *object;
  const char *filter = NULL;
  const char *color = NULL;
  gint64 qos = 0;
  gboolean no_local = FALSE;
  gboolean rap = FALSE;
  gboolean paused = FALSE;
  int rh = ANTENNA_RETAIN_HANDLING_SEND;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      antenna_json_file_set_wrong_type (error, "subscriptions", _("a list of objects"));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!antenna_json_file_read_string (object, "filter", &filter, error) ||
      !antenna_json_file_read_int (object, "qos", 0, 2, &qos, error) ||
      !antenna_json_file_read_bool (object, "no-local", &no_local, error) ||
      !antenna_json_file_read_bool (object, "retain-as-published", &rap, error) ||
      !antenna_json_file_read_enum (object, "retain-handling", ANTENNA_TYPE_RETAIN_HANDLING, &rh, error) ||
      !antenna_json_file_read_string (object, "color", &color, error) ||
      !antenna_json_file_read_bool (object, "paused", &paused, error))
    return NULL;

  if (filter == NULL || filter[0] == '\0')
    {
      antenna_json_file_set_wrong_type (error, "filter", _("a topic filter that is not empty"));
      return NULL;
    }

  sub = antenna_subscription_new (filter, qos);
  antenna_subscription_set_no_local (sub, no_local);
  antenna_subscription_set_retain_as_published (sub, rap);
  antenna_subscription_set_retain_handling (sub, rh);
  antenna_subscription_set_color (sub, color);
  antenna_subscription_set_paused (sub, paused);

  return g_steal_pointer (&sub);
}

/**
 * antenna_profile_new_from_json:
 * @node: an object as written by antenna_profile_to_json()
 * @error: ANTENNA_ERROR_PROFILE_CORRUPT for a setting of the wrong type
 *
 * Missing settings take their defaults (a missing id a new one); unknown
 * members are ignored, so that a file from a newer Antenna of the same format
 * version still loads.
 */
AntennaProfile *
antenna_profile_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(AntennaProfile) self = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *text;
  gint64 v;
  gboolean b;
  int e;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
                           _("A saved connection is not a JSON object."));
      return NULL;
    }

  object = json_node_get_object (node);
  self = antenna_profile_new ();

#define STRING(key, setter) G_STMT_START { \
    text = NULL; \
    if (!antenna_json_file_read_string (object, key, &text, error)) \
      return NULL; \
    if (text != NULL) \
      setter (self, text); \
  } G_STMT_END
#define INT(key, min, max, setter) G_STMT_START { \
    if (antenna_json_file_get_member (object, key) != NULL) \
      { \
        if (!antenna_json_file_read_int (object, key, min, max, &v, error)) \
          return NULL; \
        setter (self, v); \
      } \
  } G_STMT_END
#define BOOL(key, setter) G_STMT_START { \
    if (antenna_json_file_get_member (object, key) != NULL) \
      { \
        if (!antenna_json_file_read_bool (object, key, &b, error)) \
          return NULL; \
        setter (self, b); \
      } \
  } G_STMT_END

  text = NULL;
  if (!antenna_json_file_read_string (object, "id", &text, error))
    return NULL;
  if (text != NULL && text[0] != '\0')
    {
      g_free (self->id);
      self->id = g_strdup (text);
    }

  STRING ("name", antenna_profile_set_name);
  STRING ("host", antenna_profile_set_host);

  /* The transport before the port, which it would move. */
  e = self->transport;
  if (!antenna_json_file_read_enum (object, "transport", ANTENNA_TYPE_TRANSPORT, &e, error))
    return NULL;
  antenna_profile_set_transport (self, e);

  INT ("port", 1, 65535, antenna_profile_set_port);
  STRING ("ws-path", antenna_profile_set_ws_path);

  text = NULL;
  if (!antenna_json_file_read_string (object, "mqtt-version", &text, error))
    return NULL;
  if (text != NULL)
    {
      AntennaMqttVersion version;

      if (!mqtt_version_from_string (text, TRUE, &version))
        {
          antenna_json_file_set_wrong_type (error, "mqtt-version", _("“3.1.1”, “5” or “automatic”"));
          return NULL;
        }
      antenna_profile_set_mqtt_version (self, version);
    }

  /* What the client learned, not a setting: a value it cannot have written
   * is forgotten rather than refused. After the broker's address and the
   * version, which would forget it. */
  text = NULL;
  if (!antenna_json_file_read_string (object, "detected-mqtt-version", &text, error))
    return NULL;
  if (text != NULL)
    {
      AntennaMqttVersion version;

      if (mqtt_version_from_string (text, FALSE, &version))
        antenna_profile_set_detected_mqtt_version (self, version);
    }

  STRING ("client-id", antenna_profile_set_client_id);
  STRING ("username", antenna_profile_set_username);
  BOOL ("save-password", antenna_profile_set_save_password);
  INT ("keepalive", 0, 65535, antenna_profile_set_keepalive);
  BOOL ("clean-start", antenna_profile_set_clean_start);
  INT ("session-expiry", 0, G_MAXUINT32, antenna_profile_set_session_expiry);
  INT ("connect-timeout", 1, 3600, antenna_profile_set_connect_timeout);
  BOOL ("auto-reconnect", antenna_profile_set_auto_reconnect);
  STRING ("tls-ca-file", antenna_profile_set_tls_ca_file);
  STRING ("tls-cert-file", antenna_profile_set_tls_cert_file);
  STRING ("tls-key-file", antenna_profile_set_tls_key_file);
  STRING ("tls-alpn", antenna_profile_set_tls_alpn);
  BOOL ("tls-verify-hostname", antenna_profile_set_tls_verify_hostname);
  BOOL ("tls-allow-insecure", antenna_profile_set_tls_allow_insecure);
  STRING ("will-topic", antenna_profile_set_will_topic);

  {
    g_autoptr(GBytes) payload = NULL;

    if (!antenna_json_file_read_base64 (object, "will-payload", &payload, error))
      return NULL;
    antenna_profile_set_will_payload (self, payload);
  }

  INT ("will-qos", 0, 2, antenna_profile_set_will_qos);
  BOOL ("will-retain", antenna_profile_set_will_retain);

  member = antenna_json_file_get_member (object, "will-properties");
  if (member != NULL)
    {
      g_autoptr(AntennaProperties) props = NULL;

      /* (Not the member name antenna_properties_new_from_json() would give.) */
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          antenna_json_file_set_wrong_type (error, "will-properties", _("an object"));
          return NULL;
        }
      props = antenna_properties_new_from_json (member, error);
      if (props == NULL)
        return NULL;
      antenna_profile_set_will_properties (self, props);
    }

  e = self->proxy_mode;
  if (!antenna_json_file_read_enum (object, "proxy-mode", ANTENNA_TYPE_PROXY_MODE, &e, error))
    return NULL;
  antenna_profile_set_proxy_mode (self, e);
  STRING ("proxy-url", antenna_profile_set_proxy_url);
  STRING ("proxy-username", antenna_profile_set_proxy_username);
  e = self->auth_method;
  if (!antenna_json_file_read_enum (object, "auth-method", ANTENNA_TYPE_AUTH_METHOD, &e, error))
    return NULL;
  antenna_profile_set_auth_method (self, e);
  INT ("sas-token-lifetime", ANTENNA_PROFILE_SAS_LIFETIME_MIN, ANTENNA_PROFILE_SAS_LIFETIME_MAX,
       antenna_profile_set_sas_token_lifetime);

  member = antenna_json_file_get_member (object, "subscriptions");
  if (member != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          antenna_json_file_set_wrong_type (error, "subscriptions", _("a list of objects"));
          return NULL;
        }

      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(AntennaSubscription) sub =
            subscription_from_json (json_array_get_element (array, i), error);

          if (sub == NULL)
            return NULL;
          antenna_profile_add_subscription (self, sub);
        }
    }

#undef STRING
#undef INT
#undef BOOL

  if (!_antenna_profile_decoders_from_json (self, object, error) ||
      !_antenna_profile_mqtt5_from_json (self, object, error))
    return NULL;

  return g_steal_pointer (&self);
}
