/* antenna-profile.c: one saved connection (never its password)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "antenna-error.h"
#include "antenna-profile-private.h"
#include "antenna-properties.h"
#include "antenna-proxy.h"
#include "antenna-subscription.h"

#define DEFAULT_HOST            "localhost"
#define DEFAULT_WS_PATH         "/mqtt"
#define DEFAULT_KEEPALIVE       60
#define DEFAULT_CONNECT_TIMEOUT 10
#define DEFAULT_SAS_LIFETIME    3600

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_HOST,
  PROP_PORT,
  PROP_TRANSPORT,
  PROP_WS_PATH,
  PROP_MQTT_VERSION,
  PROP_DETECTED_MQTT_VERSION,
  PROP_CLIENT_ID,
  PROP_USERNAME,
  PROP_SAVE_PASSWORD,
  PROP_KEEPALIVE,
  PROP_CLEAN_START,
  PROP_SESSION_EXPIRY,
  PROP_CONNECT_TIMEOUT,
  PROP_AUTO_RECONNECT,
  PROP_TLS_CA_FILE,
  PROP_TLS_CERT_FILE,
  PROP_TLS_KEY_FILE,
  PROP_TLS_ALPN,
  PROP_TLS_VERIFY_HOSTNAME,
  PROP_TLS_ALLOW_INSECURE,
  PROP_WILL_TOPIC,
  PROP_WILL_PAYLOAD,
  PROP_WILL_QOS,
  PROP_WILL_RETAIN,
  PROP_WILL_PROPERTIES,
  PROP_SUBSCRIPTIONS,
  PROP_DECODER_RULES,
  PROP_PROTO_FILES,
  PROP_PROTO_IMPORT_PATHS,
  PROP_PROXY_MODE,
  PROP_PROXY_URL,
  PROP_PROXY_USERNAME,
  PROP_AUTH_METHOD,
  PROP_SAS_TOKEN_LIFETIME,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (AntennaProfile, antenna_profile, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The settings of a subscription that a profile saves (the others are the
 * live state a client sets). */
static const char * const saved_subscription_settings[] = {
  "qos", "no-local", "retain-as-published", "retain-handling", "color", "paused", NULL
};

static void
emit_changed (AntennaProfile *self,
              guint           prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);

  /* What worked for one broker is no guess for another. */
  if ((prop_id == PROP_HOST || prop_id == PROP_PORT || prop_id == PROP_TRANSPORT ||
       prop_id == PROP_WS_PATH || prop_id == PROP_MQTT_VERSION) &&
      self->detected_mqtt_version != ANTENNA_MQTT_VERSION_AUTOMATIC)
    {
      self->detected_mqtt_version = ANTENNA_MQTT_VERSION_AUTOMATIC;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETECTED_MQTT_VERSION]);
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

void
_antenna_profile_emit_changed (AntennaProfile *self,
                               GParamSpec     *pspec)
{
  if (pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Strings are never NULL: an unset setting is "". */
static void
set_string (AntennaProfile  *self,
            char           **field,
            const char      *value,
            guint            prop_id)
{
  char *copy;

  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return;

  copy = g_strdup (value);
  g_free (*field);
  *field = copy;

  emit_changed (self, prop_id);
}

static gboolean
bytes_equal0 (GBytes *a,
              GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

static gboolean
subscription_settings_equal (AntennaSubscription *a,
                             AntennaSubscription *b)
{
  return g_strcmp0 (antenna_subscription_get_filter (a), antenna_subscription_get_filter (b)) == 0 &&
         antenna_subscription_get_qos (a) == antenna_subscription_get_qos (b) &&
         antenna_subscription_get_no_local (a) == antenna_subscription_get_no_local (b) &&
         antenna_subscription_get_retain_as_published (a) == antenna_subscription_get_retain_as_published (b) &&
         antenna_subscription_get_retain_handling (a) == antenna_subscription_get_retain_handling (b) &&
         g_strcmp0 (antenna_subscription_get_color (a), antenna_subscription_get_color (b)) == 0 &&
         antenna_subscription_get_paused (a) == antenna_subscription_get_paused (b);
}

static void
on_subscription_notify_cb (AntennaProfile      *self,
                           GParamSpec          *pspec,
                           AntennaSubscription *subscription)
{
  g_assert (ANTENNA_IS_PROFILE (self));

  if (g_strv_contains (saved_subscription_settings, pspec->name))
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
watch_subscription (AntennaProfile      *self,
                    AntennaSubscription *subscription)
{
  g_signal_connect_object (subscription, "notify",
                           G_CALLBACK (on_subscription_notify_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
unwatch_subscription (AntennaProfile      *self,
                      AntennaSubscription *subscription)
{
  g_signal_handlers_disconnect_by_func (subscription, on_subscription_notify_cb, self);
}

static void
on_subscriptions_items_changed_cb (AntennaProfile *self,
                                   guint           position,
                                   guint           removed,
                                   guint           added,
                                   GListModel     *model)
{
  if (removed > 0 || added > 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
antenna_profile_dispose (GObject *object)
{
  AntennaProfile *self = (AntennaProfile *)object;

  if (self->subscriptions != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);
          unwatch_subscription (self, sub);
        }
      g_signal_handlers_disconnect_by_func (self->subscriptions, on_subscriptions_items_changed_cb, self);
    }
  _antenna_profile_dispose_decoders (self);

  G_OBJECT_CLASS (antenna_profile_parent_class)->dispose (object);
}

static void
antenna_profile_finalize (GObject *object)
{
  AntennaProfile *self = (AntennaProfile *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->ws_path, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->tls_ca_file, g_free);
  g_clear_pointer (&self->tls_cert_file, g_free);
  g_clear_pointer (&self->tls_key_file, g_free);
  g_clear_pointer (&self->tls_alpn, g_free);
  g_clear_pointer (&self->will_topic, g_free);
  g_clear_pointer (&self->will_payload, g_bytes_unref);
  g_clear_pointer (&self->will_properties, antenna_properties_unref);
  g_clear_object (&self->subscriptions);
  _antenna_profile_finalize_decoders (self);
  _antenna_profile_finalize_mqtt5 (self);
  g_clear_pointer (&self->proxy_url, g_free);
  g_clear_pointer (&self->proxy_username, g_free);

  G_OBJECT_CLASS (antenna_profile_parent_class)->finalize (object);
}

static void
antenna_profile_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AntennaProfile *self = ANTENNA_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:                  g_value_set_string (value, self->id); break;
    case PROP_NAME:                g_value_set_string (value, self->name); break;
    case PROP_HOST:                g_value_set_string (value, self->host); break;
    case PROP_PORT:                g_value_set_uint (value, self->port); break;
    case PROP_TRANSPORT:           g_value_set_enum (value, self->transport); break;
    case PROP_WS_PATH:             g_value_set_string (value, self->ws_path); break;
    case PROP_MQTT_VERSION:        g_value_set_enum (value, self->mqtt_version); break;
    case PROP_DETECTED_MQTT_VERSION: g_value_set_enum (value, self->detected_mqtt_version); break;
    case PROP_CLIENT_ID:           g_value_set_string (value, self->client_id); break;
    case PROP_USERNAME:            g_value_set_string (value, self->username); break;
    case PROP_SAVE_PASSWORD:       g_value_set_boolean (value, self->save_password); break;
    case PROP_KEEPALIVE:           g_value_set_uint (value, self->keepalive); break;
    case PROP_CLEAN_START:         g_value_set_boolean (value, self->clean_start); break;
    case PROP_SESSION_EXPIRY:      g_value_set_uint (value, self->session_expiry); break;
    case PROP_CONNECT_TIMEOUT:     g_value_set_uint (value, self->connect_timeout); break;
    case PROP_AUTO_RECONNECT:      g_value_set_boolean (value, self->auto_reconnect); break;
    case PROP_TLS_CA_FILE:         g_value_set_string (value, self->tls_ca_file); break;
    case PROP_TLS_CERT_FILE:       g_value_set_string (value, self->tls_cert_file); break;
    case PROP_TLS_KEY_FILE:        g_value_set_string (value, self->tls_key_file); break;
    case PROP_TLS_ALPN:            g_value_set_string (value, self->tls_alpn); break;
    case PROP_TLS_VERIFY_HOSTNAME: g_value_set_boolean (value, self->tls_verify_hostname); break;
    case PROP_TLS_ALLOW_INSECURE:  g_value_set_boolean (value, self->tls_allow_insecure); break;
    case PROP_WILL_TOPIC:          g_value_set_string (value, self->will_topic); break;
    case PROP_WILL_PAYLOAD:        g_value_set_boxed (value, self->will_payload); break;
    case PROP_WILL_QOS:            g_value_set_int (value, self->will_qos); break;
    case PROP_WILL_RETAIN:         g_value_set_boolean (value, self->will_retain); break;
    case PROP_WILL_PROPERTIES:     g_value_set_boxed (value, self->will_properties); break;
    case PROP_SUBSCRIPTIONS:       g_value_set_object (value, self->subscriptions); break;
    case PROP_DECODER_RULES:       g_value_set_object (value, self->decoder_rules); break;
    /* NULL for none, the GParamSpec's default. */
    case PROP_PROTO_FILES:         g_value_set_boxed (value, self->proto_files[0] ? self->proto_files : NULL); break;
    case PROP_PROTO_IMPORT_PATHS:  g_value_set_boxed (value, self->proto_import_paths[0] ? self->proto_import_paths : NULL); break;
    case PROP_PROXY_MODE:          g_value_set_enum (value, self->proxy_mode); break;
    case PROP_PROXY_URL:           g_value_set_string (value, self->proxy_url); break;
    case PROP_PROXY_USERNAME:      g_value_set_string (value, self->proxy_username); break;
    case PROP_AUTH_METHOD:         g_value_set_enum (value, self->auth_method); break;
    case PROP_SAS_TOKEN_LIFETIME:  g_value_set_uint (value, self->sas_token_lifetime); break;
    default:
      if (_antenna_profile_mqtt5_get_property (self, prop_id, value))
        break;
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_profile_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AntennaProfile *self = ANTENNA_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:                antenna_profile_set_name (self, g_value_get_string (value)); break;
    case PROP_HOST:                antenna_profile_set_host (self, g_value_get_string (value)); break;
    case PROP_PORT:                antenna_profile_set_port (self, g_value_get_uint (value)); break;
    case PROP_TRANSPORT:           antenna_profile_set_transport (self, g_value_get_enum (value)); break;
    case PROP_WS_PATH:             antenna_profile_set_ws_path (self, g_value_get_string (value)); break;
    case PROP_MQTT_VERSION:        antenna_profile_set_mqtt_version (self, g_value_get_enum (value)); break;
    case PROP_DETECTED_MQTT_VERSION: antenna_profile_set_detected_mqtt_version (self, g_value_get_enum (value)); break;
    case PROP_CLIENT_ID:           antenna_profile_set_client_id (self, g_value_get_string (value)); break;
    case PROP_USERNAME:            antenna_profile_set_username (self, g_value_get_string (value)); break;
    case PROP_SAVE_PASSWORD:       antenna_profile_set_save_password (self, g_value_get_boolean (value)); break;
    case PROP_KEEPALIVE:           antenna_profile_set_keepalive (self, g_value_get_uint (value)); break;
    case PROP_CLEAN_START:         antenna_profile_set_clean_start (self, g_value_get_boolean (value)); break;
    case PROP_SESSION_EXPIRY:      antenna_profile_set_session_expiry (self, g_value_get_uint (value)); break;
    case PROP_CONNECT_TIMEOUT:     antenna_profile_set_connect_timeout (self, g_value_get_uint (value)); break;
    case PROP_AUTO_RECONNECT:      antenna_profile_set_auto_reconnect (self, g_value_get_boolean (value)); break;
    case PROP_TLS_CA_FILE:         antenna_profile_set_tls_ca_file (self, g_value_get_string (value)); break;
    case PROP_TLS_CERT_FILE:       antenna_profile_set_tls_cert_file (self, g_value_get_string (value)); break;
    case PROP_TLS_KEY_FILE:        antenna_profile_set_tls_key_file (self, g_value_get_string (value)); break;
    case PROP_TLS_ALPN:            antenna_profile_set_tls_alpn (self, g_value_get_string (value)); break;
    case PROP_TLS_VERIFY_HOSTNAME: antenna_profile_set_tls_verify_hostname (self, g_value_get_boolean (value)); break;
    case PROP_TLS_ALLOW_INSECURE:  antenna_profile_set_tls_allow_insecure (self, g_value_get_boolean (value)); break;
    case PROP_WILL_TOPIC:          antenna_profile_set_will_topic (self, g_value_get_string (value)); break;
    case PROP_WILL_PAYLOAD:        antenna_profile_set_will_payload (self, g_value_get_boxed (value)); break;
    case PROP_WILL_QOS:            antenna_profile_set_will_qos (self, g_value_get_int (value)); break;
    case PROP_WILL_RETAIN:         antenna_profile_set_will_retain (self, g_value_get_boolean (value)); break;
    case PROP_WILL_PROPERTIES:     antenna_profile_set_will_properties (self, g_value_get_boxed (value)); break;
    case PROP_PROTO_FILES:         antenna_profile_set_proto_files (self, g_value_get_boxed (value)); break;
    case PROP_PROTO_IMPORT_PATHS:  antenna_profile_set_proto_import_paths (self, g_value_get_boxed (value)); break;
    case PROP_PROXY_MODE:          antenna_profile_set_proxy_mode (self, g_value_get_enum (value)); break;
    case PROP_PROXY_URL:           antenna_profile_set_proxy_url (self, g_value_get_string (value)); break;
    case PROP_PROXY_USERNAME:      antenna_profile_set_proxy_username (self, g_value_get_string (value)); break;
    case PROP_AUTH_METHOD:         antenna_profile_set_auth_method (self, g_value_get_enum (value)); break;
    case PROP_SAS_TOKEN_LIFETIME:  antenna_profile_set_sas_token_lifetime (self, g_value_get_uint (value)); break;
    default:
      if (_antenna_profile_mqtt5_set_property (self, prop_id, value))
        break;
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RW_FLAGS (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
antenna_profile_class_init (AntennaProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = antenna_profile_dispose;
  object_class->finalize = antenna_profile_finalize;
  object_class->get_property = antenna_profile_get_property;
  object_class->set_property = antenna_profile_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", RW_FLAGS);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, DEFAULT_HOST, RW_FLAGS);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535, 1883, RW_FLAGS);
  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL,
                       ANTENNA_TYPE_TRANSPORT, ANTENNA_TRANSPORT_TCP, RW_FLAGS);
  properties[PROP_WS_PATH] = g_param_spec_string ("ws-path", NULL, NULL, DEFAULT_WS_PATH, RW_FLAGS);
  properties[PROP_MQTT_VERSION] =
    g_param_spec_enum ("mqtt-version", NULL, NULL,
                       ANTENNA_TYPE_MQTT_VERSION, ANTENNA_MQTT_VERSION_5, RW_FLAGS);
  properties[PROP_DETECTED_MQTT_VERSION] =
    g_param_spec_enum ("detected-mqtt-version", NULL, NULL,
                       ANTENNA_TYPE_MQTT_VERSION, ANTENNA_MQTT_VERSION_AUTOMATIC, RW_FLAGS);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, "", RW_FLAGS);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, "", RW_FLAGS);
  properties[PROP_SAVE_PASSWORD] = g_param_spec_boolean ("save-password", NULL, NULL, TRUE, RW_FLAGS);
  properties[PROP_KEEPALIVE] = g_param_spec_uint ("keepalive", NULL, NULL, 0, 65535, DEFAULT_KEEPALIVE, RW_FLAGS);
  properties[PROP_CLEAN_START] = g_param_spec_boolean ("clean-start", NULL, NULL, TRUE, RW_FLAGS);
  properties[PROP_SESSION_EXPIRY] = g_param_spec_uint ("session-expiry", NULL, NULL, 0, G_MAXUINT32, 0, RW_FLAGS);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 1, 3600, DEFAULT_CONNECT_TIMEOUT, RW_FLAGS);
  properties[PROP_AUTO_RECONNECT] = g_param_spec_boolean ("auto-reconnect", NULL, NULL, TRUE, RW_FLAGS);
  properties[PROP_TLS_CA_FILE] = g_param_spec_string ("tls-ca-file", NULL, NULL, "", RW_FLAGS);
  properties[PROP_TLS_CERT_FILE] = g_param_spec_string ("tls-cert-file", NULL, NULL, "", RW_FLAGS);
  properties[PROP_TLS_KEY_FILE] = g_param_spec_string ("tls-key-file", NULL, NULL, "", RW_FLAGS);
  properties[PROP_TLS_ALPN] = g_param_spec_string ("tls-alpn", NULL, NULL, "", RW_FLAGS);
  properties[PROP_TLS_VERIFY_HOSTNAME] =
    g_param_spec_boolean ("tls-verify-hostname", NULL, NULL, TRUE, RW_FLAGS);
  properties[PROP_TLS_ALLOW_INSECURE] =
    g_param_spec_boolean ("tls-allow-insecure", NULL, NULL, FALSE, RW_FLAGS);
  properties[PROP_WILL_TOPIC] = g_param_spec_string ("will-topic", NULL, NULL, "", RW_FLAGS);
  properties[PROP_WILL_PAYLOAD] = g_param_spec_boxed ("will-payload", NULL, NULL, G_TYPE_BYTES, RW_FLAGS);
  properties[PROP_WILL_QOS] = g_param_spec_int ("will-qos", NULL, NULL, 0, 2, 0, RW_FLAGS);
  properties[PROP_WILL_RETAIN] = g_param_spec_boolean ("will-retain", NULL, NULL, FALSE, RW_FLAGS);
  properties[PROP_WILL_PROPERTIES] =
    g_param_spec_boxed ("will-properties", NULL, NULL, ANTENNA_TYPE_PROPERTIES, RW_FLAGS);
  properties[PROP_SUBSCRIPTIONS] =
    g_param_spec_object ("subscriptions", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DECODER_RULES] =
    g_param_spec_object ("decoder-rules", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROTO_FILES] = g_param_spec_boxed ("proto-files", NULL, NULL, G_TYPE_STRV, RW_FLAGS);
  properties[PROP_PROTO_IMPORT_PATHS] =
    g_param_spec_boxed ("proto-import-paths", NULL, NULL, G_TYPE_STRV, RW_FLAGS);
  properties[PROP_PROXY_MODE] =
    g_param_spec_enum ("proxy-mode", NULL, NULL,
                       ANTENNA_TYPE_PROXY_MODE, ANTENNA_PROXY_MODE_SYSTEM, RW_FLAGS);
  properties[PROP_PROXY_URL] = g_param_spec_string ("proxy-url", NULL, NULL, "", RW_FLAGS);
  properties[PROP_PROXY_USERNAME] = g_param_spec_string ("proxy-username", NULL, NULL, "", RW_FLAGS);
  properties[PROP_AUTH_METHOD] =
    g_param_spec_enum ("auth-method", NULL, NULL,
                       ANTENNA_TYPE_AUTH_METHOD, ANTENNA_AUTH_METHOD_USERNAME_PASSWORD, RW_FLAGS);
  properties[PROP_SAS_TOKEN_LIFETIME] =
    g_param_spec_uint ("sas-token-lifetime", NULL, NULL,
                       ANTENNA_PROFILE_SAS_LIFETIME_MIN, ANTENNA_PROFILE_SAS_LIFETIME_MAX,
                       DEFAULT_SAS_LIFETIME, RW_FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  _antenna_profile_mqtt5_class_init (object_class, N_PROPS);

  /**
   * AntennaProfile::changed:
   *
   * Emitted whenever a saved setting changes, including the list of
   * subscriptions and the saved settings of one of them.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
antenna_profile_init (AntennaProfile *self)
{
  self->id = g_uuid_string_random ();
  self->name = g_strdup ("");
  self->host = g_strdup (DEFAULT_HOST);
  self->ws_path = g_strdup (DEFAULT_WS_PATH);
  self->client_id = g_strdup ("");
  self->username = g_strdup ("");
  self->tls_ca_file = g_strdup ("");
  self->tls_cert_file = g_strdup ("");
  self->tls_key_file = g_strdup ("");
  self->tls_alpn = g_strdup ("");
  self->will_topic = g_strdup ("");
  self->proxy_url = g_strdup ("");
  self->proxy_username = g_strdup ("");

  self->transport = ANTENNA_TRANSPORT_TCP;
  self->port = antenna_transport_default_port (ANTENNA_TRANSPORT_TCP);
  self->mqtt_version = ANTENNA_MQTT_VERSION_5;
  self->detected_mqtt_version = ANTENNA_MQTT_VERSION_AUTOMATIC;
  self->save_password = TRUE;
  self->keepalive = DEFAULT_KEEPALIVE;
  self->clean_start = TRUE;
  self->session_expiry = 0;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->auto_reconnect = TRUE;
  self->tls_verify_hostname = TRUE;
  self->tls_allow_insecure = FALSE;
  self->will_qos = 0;
  self->will_retain = FALSE;
  self->proxy_mode = ANTENNA_PROXY_MODE_SYSTEM;
  self->auth_method = ANTENNA_AUTH_METHOD_USERNAME_PASSWORD;
  self->sas_token_lifetime = DEFAULT_SAS_LIFETIME;

  self->subscriptions = g_list_store_new (ANTENNA_TYPE_SUBSCRIPTION);
  g_signal_connect_object (self->subscriptions, "items-changed",
                           G_CALLBACK (on_subscriptions_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  _antenna_profile_init_decoders (self);
  _antenna_profile_init_mqtt5 (self);
}

AntennaProfile *
antenna_profile_new (void)
{
  return g_object_new (ANTENNA_TYPE_PROFILE, NULL);
}

guint
antenna_transport_default_port (AntennaTransport transport)
{
  switch (transport)
    {
    case ANTENNA_TRANSPORT_TCP: return 1883;
    case ANTENNA_TRANSPORT_TLS: return 8883;
    case ANTENNA_TRANSPORT_WS:  return 80;
    case ANTENNA_TRANSPORT_WSS: return 443;
    default:
      g_return_val_if_reached (1883);
    }
}

/* URLs */

static gboolean
transport_from_scheme (const char       *scheme,
                       AntennaTransport *transport)
{
  static const struct {
    const char       *scheme;
    AntennaTransport  transport;
  } schemes[] = {
    { "mqtt",  ANTENNA_TRANSPORT_TCP },
    { "mqtts", ANTENNA_TRANSPORT_TLS },
    { "ws",    ANTENNA_TRANSPORT_WS },
    { "wss",   ANTENNA_TRANSPORT_WSS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (g_ascii_strcasecmp (scheme, schemes[i].scheme) == 0)
        {
          *transport = schemes[i].transport;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
transport_is_websocket (AntennaTransport transport)
{
  return transport == ANTENNA_TRANSPORT_WS || transport == ANTENNA_TRANSPORT_WSS;
}

static void
set_invalid_url (GError **error)
{
  /* Never repeats the URL: it may hold a password. */
  g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL,
                       _("This is not a broker address Antenna understands. "
                         "Write it like mqtt://broker.example:1883, mqtts://broker.example, "
                         "ws://broker.example/mqtt or wss://broker.example/mqtt."));
}

/**
 * antenna_profile_new_from_uri_with_password:
 * @uri: "mqtt://[user[:password]@]host[:port][/]", "mqtts://…",
 *   "ws://…[/path]" or "wss://…[/path]"
 * @password: (out) (optional): the password of the URL, or %NULL when it has
 *   none; free it with g_free(). It is never kept in the profile.
 * @error: ANTENNA_ERROR_INVALID_URL for anything else
 *
 * Returns: (transfer full): a temporary profile named after the URL without
 *   its user info.
 */
AntennaProfile *
antenna_profile_new_from_uri_with_password (const char  *uri,
                                            char       **password,
                                            GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(AntennaProfile) self = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *name = NULL;
  g_autofree char *ws_path = NULL;
  AntennaTransport transport;
  const char *scheme;
  const char *host;
  const char *path;
  const char *query;
  int port;

  g_return_val_if_fail (uri != NULL, NULL);

  if (password != NULL)
    *password = NULL;

  stripped = g_strstrip (g_strdup (uri));

  if (strstr (stripped, "://") == NULL)
    {
      set_invalid_url (error);
      return NULL;
    }

  scheme = g_uri_peek_scheme (stripped);
  if (scheme != NULL && !transport_from_scheme (scheme, &transport))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL,
                   _("Antenna does not connect to “%s:” addresses. "
                     "Use mqtt://, mqtts://, ws:// or wss://."),
                   scheme);
      return NULL;
    }

  parsed = g_uri_parse (stripped, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (parsed == NULL || scheme == NULL)
    {
      set_invalid_url (error);
      return NULL;
    }

  host = g_uri_get_host (parsed);
  if (host == NULL || host[0] == '\0')
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL,
                           _("The address has no host name. "
                             "Write it like mqtt://broker.example:1883."));
      return NULL;
    }

  port = g_uri_get_port (parsed);
  if (port == 0 || port > 65535)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL,
                           _("The port of the address must be a number from 1 to 65535."));
      return NULL;
    }

  if (g_uri_get_fragment (parsed) != NULL)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL,
                           _("The address ends with a “#” part that Antenna does not understand."));
      return NULL;
    }

  path = g_uri_get_path (parsed);
  query = g_uri_get_query (parsed);

  if (!transport_is_websocket (transport))
    {
      if ((path[0] != '\0' && g_strcmp0 (path, "/") != 0) || query != NULL)
        {
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL,
                       _("An %s:// address has no path. "
                         "For a WebSocket path, use ws:// or wss://."),
                       transport == ANTENNA_TRANSPORT_TLS ? "mqtts" : "mqtt");
          return NULL;
        }
    }
  else
    {
      /* The path as written, percent-encoding and query kept, since it goes
       * back into a URL. */
      g_autoptr(GUri) raw = g_uri_parse (stripped, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
      const char *raw_path = raw ? g_uri_get_path (raw) : path;
      const char *raw_query = raw ? g_uri_get_query (raw) : query;

      if (raw_path[0] == '\0')
        ws_path = g_strdup (DEFAULT_WS_PATH);
      else if (raw_query != NULL)
        ws_path = g_strdup_printf ("%s?%s", raw_path, raw_query);
      else
        ws_path = g_strdup (raw_path);
    }

  self = antenna_profile_new ();
  antenna_profile_set_transport (self, transport);
  antenna_profile_set_host (self, host);
  if (port > 0)
    antenna_profile_set_port (self, port);
  if (ws_path != NULL)
    antenna_profile_set_ws_path (self, ws_path);
  if (g_uri_get_user (parsed) != NULL)
    antenna_profile_set_username (self, g_uri_get_user (parsed));

  name = g_uri_join (G_URI_FLAGS_NONE,
                     g_uri_get_scheme (parsed),
                     NULL,
                     host,
                     port,
                     transport_is_websocket (transport) ? path : "",
                     transport_is_websocket (transport) ? query : NULL,
                     NULL);
  antenna_profile_set_name (self, name);

  if (password != NULL)
    *password = g_strdup (g_uri_get_password (parsed));

  return g_steal_pointer (&self);
}

AntennaProfile *
antenna_profile_new_from_uri (const char  *uri,
                              GError     **error)
{
  return antenna_profile_new_from_uri_with_password (uri, NULL, error);
}

static char *
dup_bracketed_host (AntennaProfile *self)
{
  /* An IPv6 address literal goes in brackets in a URL and before ":port". */
  if (strchr (self->host, ':') != NULL && self->host[0] != '[')
    return g_strdup_printf ("[%s]", self->host);
  return g_strdup (self->host);
}

static const char *
ws_path_for_url (AntennaProfile *self,
                 char          **to_free)
{
  if (self->ws_path[0] == '/')
    return self->ws_path;
  *to_free = g_strconcat ("/", self->ws_path, NULL);
  return *to_free;
}

char *
antenna_profile_dup_display_address (AntennaProfile *self)
{
  g_autofree char *host = NULL;
  g_autofree char *path_copy = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);

  host = dup_bracketed_host (self);

  switch (self->transport)
    {
    case ANTENNA_TRANSPORT_WS:
    case ANTENNA_TRANSPORT_WSS:
      return g_strdup_printf ("%s://%s:%u%s",
                              self->transport == ANTENNA_TRANSPORT_WS ? "ws" : "wss",
                              host, self->port, ws_path_for_url (self, &path_copy));

    case ANTENNA_TRANSPORT_TCP:
    case ANTENNA_TRANSPORT_TLS:
    default:
      return g_strdup_printf ("%s:%u", host, self->port);
    }
}

char *
antenna_profile_dup_server_uri (AntennaProfile *self)
{
  g_autofree char *host = NULL;
  g_autofree char *path_copy = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);

  host = dup_bracketed_host (self);

  switch (self->transport)
    {
    case ANTENNA_TRANSPORT_TLS:
      return g_strdup_printf ("ssl://%s:%u", host, self->port);

    case ANTENNA_TRANSPORT_WS:
    case ANTENNA_TRANSPORT_WSS:
      return g_strdup_printf ("%s://%s:%u%s",
                              self->transport == ANTENNA_TRANSPORT_WS ? "ws" : "wss",
                              host, self->port, ws_path_for_url (self, &path_copy));

    case ANTENNA_TRANSPORT_TCP:
    default:
      return g_strdup_printf ("tcp://%s:%u", host, self->port);
    }
}

/**
 * antenna_profile_dup_display_name:
 *
 * Returns: the name, or the display address when the name is empty.
 */
char *
antenna_profile_dup_display_name (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);

  if (self->name[0] != '\0')
    return g_strdup (self->name);
  return antenna_profile_dup_display_address (self);
}

/**
 * antenna_profile_sends_password_in_clear:
 *
 * The rule behind the app's "Send the Password Unencrypted?" question: a
 * transport without TLS (tcp, ws) to a host that is not this computer
 * ("localhost", a loopback address, or no host, which means localhost).
 *
 * Returns: whether a password given to this profile's connection would cross
 *   the network unencrypted.
 */
gboolean
antenna_profile_sends_password_in_clear (AntennaProfile *self)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), TRUE);

  if (self->transport == ANTENNA_TRANSPORT_TLS || self->transport == ANTENNA_TRANSPORT_WSS)
    return FALSE;

  if (self->host[0] == '\0' || g_ascii_strcasecmp (self->host, "localhost") == 0)
    return FALSE;

  address = g_inet_address_new_from_string (self->host);

  return address == NULL || !g_inet_address_get_is_loopback (address);
}

/* Copies */

static void
replace_subscriptions (AntennaProfile *self,
                       GListModel     *from)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));
  guint n_new = g_list_model_get_n_items (from);
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean same = n_old == n_new;

  for (guint i = 0; same && i < n_old; i++)
    {
      g_autoptr(AntennaSubscription) a = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);
      g_autoptr(AntennaSubscription) b = g_list_model_get_item (from, i);

      same = subscription_settings_equal (a, b);
    }

  if (same)
    return;

  for (guint i = 0; i < n_old; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);
      unwatch_subscription (self, sub);
    }

  for (guint i = 0; i < n_new; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (from, i);
      AntennaSubscription *copy = antenna_subscription_copy (sub);

      watch_subscription (self, copy);
      g_ptr_array_add (copies, copy);
    }

  /* One items-changed, so one ::changed. */
  g_list_store_splice (self->subscriptions, 0, n_old, copies->pdata, copies->len);
}

/**
 * antenna_profile_update_from:
 * @self: a profile
 * @other: the profile to take the settings from
 *
 * Sets every saved setting of @self but its id to those of @other (the
 * subscriptions are copied), notifying only what changes. For an editor that
 * works on a copy and applies it when the person saves.
 */
void
antenna_profile_update_from (AntennaProfile *self,
                             AntennaProfile *other)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (other));

  if (self == other)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  antenna_profile_set_name (self, other->name);
  antenna_profile_set_host (self, other->host);
  /* The transport before the port: setting it may move the port. */
  antenna_profile_set_transport (self, other->transport);
  antenna_profile_set_port (self, other->port);
  antenna_profile_set_ws_path (self, other->ws_path);
  antenna_profile_set_mqtt_version (self, other->mqtt_version);
  antenna_profile_set_detected_mqtt_version (self, other->detected_mqtt_version);
  antenna_profile_set_client_id (self, other->client_id);
  antenna_profile_set_username (self, other->username);
  antenna_profile_set_save_password (self, other->save_password);
  antenna_profile_set_keepalive (self, other->keepalive);
  antenna_profile_set_clean_start (self, other->clean_start);
  antenna_profile_set_session_expiry (self, other->session_expiry);
  antenna_profile_set_connect_timeout (self, other->connect_timeout);
  antenna_profile_set_auto_reconnect (self, other->auto_reconnect);
  antenna_profile_set_tls_ca_file (self, other->tls_ca_file);
  antenna_profile_set_tls_cert_file (self, other->tls_cert_file);
  antenna_profile_set_tls_key_file (self, other->tls_key_file);
  antenna_profile_set_tls_alpn (self, other->tls_alpn);
  antenna_profile_set_tls_verify_hostname (self, other->tls_verify_hostname);
  antenna_profile_set_tls_allow_insecure (self, other->tls_allow_insecure);
  antenna_profile_set_will_topic (self, other->will_topic);
  antenna_profile_set_will_payload (self, other->will_payload);
  antenna_profile_set_will_qos (self, other->will_qos);
  antenna_profile_set_will_retain (self, other->will_retain);
  antenna_profile_set_will_properties (self, other->will_properties);
  antenna_profile_set_proxy_mode (self, other->proxy_mode);
  antenna_profile_set_proxy_url (self, other->proxy_url);
  antenna_profile_set_proxy_username (self, other->proxy_username);
  antenna_profile_set_auth_method (self, other->auth_method);
  antenna_profile_set_sas_token_lifetime (self, other->sas_token_lifetime);
  replace_subscriptions (self, G_LIST_MODEL (other->subscriptions));
  _antenna_profile_update_decoders_from (self, other);
  _antenna_profile_update_mqtt5_from (self, other);

  g_object_thaw_notify (G_OBJECT (self));
}

AntennaProfile *
antenna_profile_copy (AntennaProfile *self)
{
  AntennaProfile *copy;

  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);

  copy = antenna_profile_new ();
  g_free (copy->id);
  copy->id = g_strdup (self->id);
  antenna_profile_update_from (copy, self);

  return copy;
}

void
antenna_profile_regenerate_id (AntennaProfile *self)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  g_free (self->id);
  self->id = g_uuid_string_random ();
  emit_changed (self, PROP_ID);
}

/**
 * antenna_profile_equal:
 *
 * Returns: whether @a and @b have the same id and saved settings.
 */
gboolean
antenna_profile_equal (AntennaProfile *a,
                       AntennaProfile *b)
{
  g_autoptr(JsonNode) ja = NULL;
  g_autoptr(JsonNode) jb = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE (a), FALSE);
  g_return_val_if_fail (ANTENNA_IS_PROFILE (b), FALSE);

  if (a == b)
    return TRUE;

  ja = antenna_profile_to_json (a);
  jb = antenna_profile_to_json (b);

  return json_node_equal (ja, jb);
}

/* Getters and setters */

const char *
antenna_profile_get_id (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->id;
}

const char *
antenna_profile_get_name (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->name;
}

void
antenna_profile_set_name (AntennaProfile *self,
                          const char     *name)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  set_string (self, &self->name, name, PROP_NAME);
}

const char *
antenna_profile_get_host (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->host;
}

void
antenna_profile_set_host (AntennaProfile *self,
                          const char     *host)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  set_string (self, &self->host, host, PROP_HOST);
}

guint
antenna_profile_get_port (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), 0);
  return self->port;
}

void
antenna_profile_set_port (AntennaProfile *self,
                          guint           port)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (port >= 1 && port <= 65535);

  if (self->port == port)
    return;

  self->port = port;
  emit_changed (self, PROP_PORT);
}

AntennaTransport
antenna_profile_get_transport (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), ANTENNA_TRANSPORT_TCP);
  return self->transport;
}

void
antenna_profile_set_transport (AntennaProfile   *self,
                               AntennaTransport  transport)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (transport <= ANTENNA_TRANSPORT_WSS);

  if (self->transport == transport)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->port == antenna_transport_default_port (self->transport))
    antenna_profile_set_port (self, antenna_transport_default_port (transport));

  self->transport = transport;
  emit_changed (self, PROP_TRANSPORT);

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
antenna_profile_get_ws_path (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->ws_path;
}

void
antenna_profile_set_ws_path (AntennaProfile *self,
                             const char     *ws_path)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  set_string (self, &self->ws_path, ws_path, PROP_WS_PATH);
}

AntennaMqttVersion
antenna_profile_get_mqtt_version (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), ANTENNA_MQTT_VERSION_5);
  return self->mqtt_version;
}

void
antenna_profile_set_mqtt_version (AntennaProfile     *self,
                                  AntennaMqttVersion  version)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (version == ANTENNA_MQTT_VERSION_3_1_1 || version == ANTENNA_MQTT_VERSION_5 ||
                    version == ANTENNA_MQTT_VERSION_AUTOMATIC);

  if (self->mqtt_version == version)
    return;

  self->mqtt_version = version;
  emit_changed (self, PROP_MQTT_VERSION);
}

AntennaMqttVersion
antenna_profile_get_detected_mqtt_version (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), ANTENNA_MQTT_VERSION_AUTOMATIC);
  return self->detected_mqtt_version;
}

void
antenna_profile_set_detected_mqtt_version (AntennaProfile     *self,
                                           AntennaMqttVersion  version)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (version == ANTENNA_MQTT_VERSION_3_1_1 || version == ANTENNA_MQTT_VERSION_5 ||
                    version == ANTENNA_MQTT_VERSION_AUTOMATIC);

  if (self->detected_mqtt_version == version)
    return;

  self->detected_mqtt_version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETECTED_MQTT_VERSION]);
  g_signal_emit (self, signals[CHANGED], 0);
}

AntennaMqttVersion
antenna_profile_resolve_mqtt_version (AntennaProfile     *self,
                                      AntennaMqttVersion  spoken)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), ANTENNA_MQTT_VERSION_5);

  if (self->mqtt_version != ANTENNA_MQTT_VERSION_AUTOMATIC)
    return self->mqtt_version;
  if (spoken != ANTENNA_MQTT_VERSION_AUTOMATIC)
    return spoken;
  if (self->detected_mqtt_version != ANTENNA_MQTT_VERSION_AUTOMATIC)
    return self->detected_mqtt_version;

  /* What an automatic connection tries first. */
  return ANTENNA_MQTT_VERSION_5;
}

gint64
_antenna_profile_get_format_version (AntennaProfile *self)
{
  if (_antenna_profile_has_decoders (self))
    return 3;
  return self->mqtt_version == ANTENNA_MQTT_VERSION_AUTOMATIC ? 2 : 1;
}

const char *
antenna_profile_get_client_id (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->client_id;
}

void
antenna_profile_set_client_id (AntennaProfile *self,
                               const char     *client_id)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  set_string (self, &self->client_id, client_id, PROP_CLIENT_ID);
}

const char *
antenna_profile_get_username (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->username;
}

void
antenna_profile_set_username (AntennaProfile *self,
                              const char     *username)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  set_string (self, &self->username, username, PROP_USERNAME);
}

#define STRING_ACCESSORS(field, PROP) \
const char * \
antenna_profile_get_##field (AntennaProfile *self) \
{ \
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL); \
  return self->field; \
} \
\
void \
antenna_profile_set_##field (AntennaProfile *self, \
                             const char     *value) \
{ \
  g_return_if_fail (ANTENNA_IS_PROFILE (self)); \
  set_string (self, &self->field, value, PROP); \
}

BOOLEAN_ACCESSORS (save_password, PROP_SAVE_PASSWORD)
UINT_ACCESSORS (keepalive, PROP_KEEPALIVE, value <= 65535)
BOOLEAN_ACCESSORS (clean_start, PROP_CLEAN_START)
UINT_ACCESSORS (session_expiry, PROP_SESSION_EXPIRY, TRUE)
UINT_ACCESSORS (connect_timeout, PROP_CONNECT_TIMEOUT, value >= 1 && value <= 3600)
BOOLEAN_ACCESSORS (auto_reconnect, PROP_AUTO_RECONNECT)
STRING_ACCESSORS (tls_ca_file, PROP_TLS_CA_FILE)
STRING_ACCESSORS (tls_cert_file, PROP_TLS_CERT_FILE)
STRING_ACCESSORS (tls_key_file, PROP_TLS_KEY_FILE)
STRING_ACCESSORS (tls_alpn, PROP_TLS_ALPN)
BOOLEAN_ACCESSORS (tls_verify_hostname, PROP_TLS_VERIFY_HOSTNAME)
BOOLEAN_ACCESSORS (tls_allow_insecure, PROP_TLS_ALLOW_INSECURE)
STRING_ACCESSORS (will_topic, PROP_WILL_TOPIC)
BOOLEAN_ACCESSORS (will_retain, PROP_WILL_RETAIN)
STRING_ACCESSORS (proxy_username, PROP_PROXY_USERNAME)
UINT_ACCESSORS (sas_token_lifetime, PROP_SAS_TOKEN_LIFETIME,
                value >= ANTENNA_PROFILE_SAS_LIFETIME_MIN && value <= ANTENNA_PROFILE_SAS_LIFETIME_MAX)

/* How much of a key file is read to see whether it is encrypted. */
#define KEY_FILE_MAX (1024 * 1024)

/**
 * antenna_profile_tls_key_needs_passphrase:
 *
 * Returns: whether the TLS client key is a PEM key that OpenSSL asks a
 *   passphrase for: PKCS#8 "ENCRYPTED PRIVATE KEY", or the older
 *   "Proc-Type: 4,ENCRYPTED". FALSE when there is none or it cannot be read.
 */
gboolean
antenna_profile_tls_key_needs_passphrase (AntennaProfile *self)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autofree char *contents = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), FALSE);

  if (self->tls_key_file[0] == '\0')
    return FALSE;
  mapped = g_mapped_file_new (self->tls_key_file, FALSE, NULL);
  if (mapped == NULL)
    return FALSE;
  if (g_mapped_file_get_length (mapped) == 0)
    return FALSE;
  contents = g_strndup (g_mapped_file_get_contents (mapped),
                        MIN (g_mapped_file_get_length (mapped), KEY_FILE_MAX));

  return strstr (contents, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL ||
         strstr (contents, "Proc-Type: 4,ENCRYPTED") != NULL;
}

AntennaProxyMode
antenna_profile_get_proxy_mode (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), ANTENNA_PROXY_MODE_SYSTEM);
  return self->proxy_mode;
}

void
antenna_profile_set_proxy_mode (AntennaProfile   *self,
                                AntennaProxyMode  mode)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (mode <= ANTENNA_PROXY_MODE_MANUAL);

  if (self->proxy_mode == mode)
    return;

  self->proxy_mode = mode;
  emit_changed (self, PROP_PROXY_MODE);
}

const char *
antenna_profile_get_proxy_url (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->proxy_url;
}

/* A password written into the URL never reaches the saved file: it is cut
 * out (the proxy password has its place in the keyring). */
void
antenna_profile_set_proxy_url (AntennaProfile *self,
                               const char     *url)
{
  g_autofree char *without_password = NULL;

  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  without_password = antenna_proxy_strip_password (url);
  set_string (self, &self->proxy_url, without_password, PROP_PROXY_URL);
}

AntennaAuthMethod
antenna_profile_get_auth_method (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), ANTENNA_AUTH_METHOD_USERNAME_PASSWORD);
  return self->auth_method;
}

void
antenna_profile_set_auth_method (AntennaProfile    *self,
                                 AntennaAuthMethod  method)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (method <= ANTENNA_AUTH_METHOD_AZURE_SAS);

  if (self->auth_method == method)
    return;

  self->auth_method = method;
  emit_changed (self, PROP_AUTH_METHOD);
}

GBytes *
antenna_profile_get_will_payload (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->will_payload;
}

/* An empty payload is stored as NULL. */
void
antenna_profile_set_will_payload (AntennaProfile *self,
                                  GBytes         *payload)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  if (payload != NULL && g_bytes_get_size (payload) == 0)
    payload = NULL;

  if (bytes_equal0 (self->will_payload, payload))
    return;

  if (payload != NULL)
    g_bytes_ref (payload);
  g_clear_pointer (&self->will_payload, g_bytes_unref);
  self->will_payload = payload;
  emit_changed (self, PROP_WILL_PAYLOAD);
}

int
antenna_profile_get_will_qos (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), 0);
  return self->will_qos;
}

void
antenna_profile_set_will_qos (AntennaProfile *self,
                              int             qos)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (qos >= 0 && qos <= 2);

  if (self->will_qos == qos)
    return;

  self->will_qos = qos;
  emit_changed (self, PROP_WILL_QOS);
}

AntennaProperties *
antenna_profile_get_will_properties (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->will_properties;
}

/* Keeps a copy: the profile's properties never change behind its back. Empty
 * properties are stored as NULL. The received-only subscription identifiers
 * are not kept. */
void
antenna_profile_set_will_properties (AntennaProfile    *self,
                                     AntennaProperties *props)
{
  AntennaProperties *copy = NULL;

  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  if (props != NULL)
    {
      copy = antenna_properties_copy (props);
      g_array_set_size (copy->subscription_ids, 0);
      if (antenna_properties_is_empty (copy))
        g_clear_pointer (&copy, antenna_properties_unref);
    }

  if (antenna_properties_equal (self->will_properties, copy))
    {
      g_clear_pointer (&copy, antenna_properties_unref);
      return;
    }

  g_clear_pointer (&self->will_properties, antenna_properties_unref);
  self->will_properties = copy;
  emit_changed (self, PROP_WILL_PROPERTIES);
}

GListModel *
antenna_profile_get_subscriptions (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return G_LIST_MODEL (self->subscriptions);
}

/* The profile keeps @subscription itself (not a copy): changes to its saved
 * settings emit ::changed. */
void
antenna_profile_add_subscription (AntennaProfile      *self,
                                  AntennaSubscription *subscription)
{
  g_return_if_fail (ANTENNA_IS_PROFILE (self));
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (subscription));
  g_return_if_fail (!g_list_store_find (self->subscriptions, subscription, NULL));

  watch_subscription (self, subscription);
  g_list_store_append (self->subscriptions, subscription);
}

void
antenna_profile_remove_subscription (AntennaProfile *self,
                                     guint           position)
{
  g_autoptr(AntennaSubscription) sub = NULL;

  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), position);
  g_return_if_fail (sub != NULL);

  unwatch_subscription (self, sub);
  g_list_store_remove (self->subscriptions, position);
}
