/* antenna-client-connect.c: what AntennaClient checks and hands to Paho to connect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Before a connection: the profile's checks that would otherwise end in a
 * broker closing the connection without a word or a handshake failing for a
 * file that is not there (the will topic, the TLS files), and the Paho handle
 * with its bridge. Each attempt (the first and every reconnection): Paho's
 * connect options from the profile (MQTT version, session, credentials or
 * the Azure SAS token made anew, last will, TLS and ALPN, the proxy). The
 * state machine that drives the attempts is in antenna-client.c; this file
 * is the translation of a profile into Paho's terms, long and flat, read
 * when a setting does not reach the broker.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "antenna-client-private.h"
#include "antenna-client-properties-private.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-proxy.h"
#include "antenna-sas-token.h"
#include "antenna-topic.h"

/* "mqtt, x-amzn-mqtt-ca" → ALPN's wire format: each name after its length. */
static guint8 *
alpn_wire_format (const char *alpn,
                  guint      *len)
{
  g_auto(GStrv) names = g_strsplit (alpn, ",", -1);
  GByteArray *bytes = g_byte_array_new ();

  for (guint i = 0; names[i]; i++)
    {
      char *name = g_strstrip (names[i]);
      gsize n = strlen (name);
      guint8 n8;

      if (n == 0 || n > 255)
        continue;
      n8 = (guint8) n;
      g_byte_array_append (bytes, &n8, 1);
      g_byte_array_append (bytes, (const guint8 *) name, n);
    }

  *len = bytes->len;
  /* Paho 1.3.12 copies the list with strdup(): it must end with a NUL, not
   * counted in @len (no length byte is 0: the names are not empty). */
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return g_byte_array_free (bytes, FALSE);
}

static char *
generate_client_id (void)
{
  return g_strdup_printf ("antenna-%08x%04x", g_random_int (), g_random_int () & 0xffff);
}

/* A file the profile names for TLS that is gone or unreadable would
 * otherwise show up as a handshake failure ("unknown CA"): say which file.
 * Returns 0 when @path is unset or a readable file, else an errno. */
static int
check_tls_file (const char *path)
{
  int fd, saved_errno;

  if (path == NULL || *path == '\0')
    return 0;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  saved_errno = errno;
  if (fd < 0)
    return saved_errno;
  close (fd);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? 0 : EISDIR;
}

/* What the broker would answer by closing the connection without a word,
 * and the TLS files Paho would fail to read. */
gboolean
_antenna_client_check_profile (AntennaClient  *self,
                               GError        **error)
{
  AntennaProfile *profile = self->profile;
  const char *will_topic = antenna_profile_get_will_topic (profile);
  const struct
  {
    const char *path;
    const char *message;  /* a sentence: a file name, then why it cannot be read */
  } tls_files[] = {
    { antenna_profile_get_tls_ca_file (profile),
      /* Translators: the first %s is a file name, the second why it cannot be read */
      N_("The CA certificate file “%s” cannot be read: %s. "
         "Choose it again in the connection’s settings.") },
    { antenna_profile_get_tls_cert_file (profile),
      /* Translators: the first %s is a file name, the second why it cannot be read */
      N_("The client certificate file “%s” cannot be read: %s. "
         "Choose it again in the connection’s settings.") },
    { antenna_profile_get_tls_key_file (profile),
      /* Translators: the first %s is a file name, the second why it cannot be read */
      N_("The private key file “%s” cannot be read: %s. "
         "Choose it again in the connection’s settings.") },
  };
  g_autoptr(GError) topic_error = NULL;

  if (will_topic != NULL && *will_topic != '\0' &&
      !antenna_topic_validate_name (will_topic, -1, &topic_error))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                   _("Could not connect to %s: the last will cannot be sent there. %s "
                     "Change the will topic in the connection’s settings."),
                   self->address, topic_error->message);
      return FALSE;
    }

  if (!_antenna_client_transport_uses_tls (antenna_profile_get_transport (profile)))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (tls_files); i++)
    {
      int err = check_tls_file (tls_files[i].path);

      if (err == 0)
        continue;
      /* The sentence is one of the literals above, each with two %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                   _(tls_files[i].message), tls_files[i].path, g_strerror (err));
#pragma GCC diagnostic pop
      return FALSE;
    }
  return TRUE;
}

/* A new Paho handle for the profile (self->handle), with its bridge. */
gboolean
_antenna_client_create_handle (AntennaClient  *self,
                               GError        **error)
{
  MQTTAsync_createOptions create_opts = MQTTAsync_createOptions_initializer;
  g_autofree char *uri = antenna_profile_dup_server_uri (self->profile);
  const char *profile_id = antenna_profile_get_client_id (self->profile);
  g_autofree char *client_id = NULL;
  int rc;

  /* A handle made anew to reconnect (antenna-client-reconnect.c) keeps the
   * client id, so that the broker finds the session again. */
  if (profile_id != NULL && *profile_id != '\0')
    client_id = g_strdup (profile_id);
  else if (self->state == ANTENNA_CLIENT_STATE_RECONNECTING && self->client_id != NULL)
    client_id = g_strdup (self->client_id);
  else
    client_id = generate_client_id ();
  _antenna_client_set_client_id (self, client_id);

  switch (antenna_profile_get_mqtt_version (self->profile))
    {
    case ANTENNA_MQTT_VERSION_AUTOMATIC:
      /* MQTT 5, unless it failed on this connect or before with this broker */
      if (self->fell_back ||
          antenna_profile_get_detected_mqtt_version (self->profile) == ANTENNA_MQTT_VERSION_3_1_1)
        self->mqtt_version = MQTTVERSION_3_1_1;
      else
        self->mqtt_version = MQTTVERSION_5;
      break;
    case ANTENNA_MQTT_VERSION_3_1_1:
      self->mqtt_version = MQTTVERSION_3_1_1;
      break;
    case ANTENNA_MQTT_VERSION_5:
    default:
      self->mqtt_version = MQTTVERSION_5;
      break;
    }
  create_opts.MQTTVersion = self->mqtt_version;
  create_opts.sendWhileDisconnected = 0;
  create_opts.maxBufferedMessages = ANTENNA_CLIENT_MAX_BUFFERED_MESSAGES;

  _antenna_bridge_paho_call_begin ();
  rc = MQTTAsync_createWithOptions (&self->handle, uri, client_id,
                                    MQTTCLIENT_PERSISTENCE_NONE, NULL, &create_opts);
  _antenna_bridge_paho_call_end ();
  if (rc != MQTTASYNC_SUCCESS)
    {
      self->handle = NULL;
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                   _("Cannot connect to %s: %s."), self->address,
                   rc == MQTTASYNC_BAD_PROTOCOL ? _("this kind of connection is not supported")
                                                : MQTTAsync_strerror (rc));
      return FALSE;
    }

  _antenna_bridge_attach (self);

  return TRUE;
}

/* The MQTT 5 CONNECT properties of @profile, each only when it is not the
 * protocol's default (antenna-profile-mqtt5.c). */
static void
add_connect_properties (AntennaProfile *profile,
                        MQTTProperties *props)
{
  guint session_expiry = antenna_profile_get_session_expiry (profile);
  guint receive_maximum = antenna_profile_get_receive_maximum (profile);
  guint maximum_packet_size = antenna_profile_get_maximum_packet_size (profile);
  guint topic_alias_maximum = antenna_profile_get_topic_alias_maximum (profile);

  if (session_expiry > 0)
    _antenna_client_paho_add_int (props, MQTTPROPERTY_CODE_SESSION_EXPIRY_INTERVAL, session_expiry);
  if (receive_maximum > 0)
    _antenna_client_paho_add_int (props, MQTTPROPERTY_CODE_RECEIVE_MAXIMUM, receive_maximum);
  if (maximum_packet_size > 0)
    _antenna_client_paho_add_int (props, MQTTPROPERTY_CODE_MAXIMUM_PACKET_SIZE, maximum_packet_size);
  if (topic_alias_maximum > 0)
    _antenna_client_paho_add_int (props, MQTTPROPERTY_CODE_TOPIC_ALIAS_MAXIMUM, topic_alias_maximum);
  if (antenna_profile_get_request_response_information (profile))
    _antenna_client_paho_add_int (props, MQTTPROPERTY_CODE_REQUEST_RESPONSE_INFORMATION, 1);
  if (!antenna_profile_get_request_problem_information (profile))
    _antenna_client_paho_add_int (props, MQTTPROPERTY_CODE_REQUEST_PROBLEM_INFORMATION, 0);
  _antenna_client_properties_to_paho (antenna_profile_get_connect_properties (profile), props);
}

static gboolean
has_mqtt5_connect_settings (AntennaProfile *profile)
{
  return antenna_profile_get_session_expiry (profile) > 0 ||
         antenna_profile_get_receive_maximum (profile) > 0 ||
         antenna_profile_get_maximum_packet_size (profile) > 0 ||
         antenna_profile_get_topic_alias_maximum (profile) > 0 ||
         antenna_profile_get_request_response_information (profile) ||
         !antenna_profile_get_request_problem_information (profile) ||
         antenna_profile_get_connect_properties (profile) != NULL ||
         antenna_profile_get_will_delay_interval (profile) > 0 ||
         antenna_profile_get_will_properties (profile) != NULL;
}

/* The password Paho sends: the profile's password, or the Azure SAS token
 * made from it (the device key) for this attempt, valid from now on. */
static gboolean
connect_password (AntennaClient          *self,
                  AntennaConnectOptions  *co,
                  const char            **password,
                  GError                **error)
{
  AntennaProfile *profile = self->profile;
  g_autofree char *resource = NULL;
  gint64 expiry;

  *password = self->password;
  if (antenna_profile_get_auth_method (profile) != ANTENNA_AUTH_METHOD_AZURE_SAS || self->password == NULL)
    return TRUE;

  resource = antenna_sas_token_resource_uri (antenna_profile_get_host (profile), self->client_id);
  expiry = g_get_real_time () / G_USEC_PER_SEC + antenna_profile_get_sas_token_lifetime (profile);
  co->sas_token = antenna_sas_token_new (resource, self->password, expiry, error);
  *password = co->sas_token;
  return co->sas_token != NULL;
}

gboolean
_antenna_client_connect_options_init (AntennaClient          *self,
                                      AntennaConnectOptions  *co,
                                      GError                **error)
{
  static const MQTTAsync_connectOptions opts3_init = MQTTAsync_connectOptions_initializer;
  static const MQTTAsync_connectOptions opts5_init = MQTTAsync_connectOptions_initializer5;
  static const MQTTAsync_willOptions will_init = MQTTAsync_willOptions_initializer;
  static const MQTTAsync_SSLOptions ssl_init = MQTTAsync_SSLOptions_initializer;
  static const MQTTProperties props_init = MQTTProperties_initializer;
  AntennaProfile *profile = self->profile;
  AntennaTransport transport = antenna_profile_get_transport (profile);
  const char *username = antenna_profile_get_username (profile);
  const char *will_topic = antenna_profile_get_will_topic (profile);
  const char *ca_file = antenna_profile_get_tls_ca_file (profile);
  const char *cert_file = antenna_profile_get_tls_cert_file (profile);
  const char *key_file = antenna_profile_get_tls_key_file (profile);
  const char *alpn_names = antenna_profile_get_tls_alpn (profile);
  const char *password;
  MQTTAsync_connectOptions *o = &co->opts;

  co->opts = self->mqtt_version == MQTTVERSION_5 ? opts5_init : opts3_init;
  co->will = will_init;
  co->ssl = ssl_init;
  co->connect_props = props_init;
  co->will_props = props_init;
  co->alpn = NULL;
  co->sas_token = NULL;

  if (!connect_password (self, co, &password, error))
    return FALSE;

  if (self->mqtt_version == MQTTVERSION_5)
    {
      o->cleanstart = antenna_profile_get_clean_start (profile);
      o->cleansession = 0;
      add_connect_properties (profile, &co->connect_props);
      if (co->connect_props.count > 0)
        o->connectProperties = &co->connect_props;
    }
  else
    {
      o->MQTTVersion = MQTTVERSION_3_1_1;
      o->cleansession = antenna_profile_get_clean_start (profile);
      if (has_mqtt5_connect_settings (profile))
        g_debug ("%s: MQTT 3.1.1: the profile's MQTT 5 connect settings are not sent", self->address);
    }

  if (self->bridge != NULL)
    {
      _antenna_bridge_init_connect_options (self->bridge, o);
      _antenna_bridge_set_topic_alias_maximum (self->bridge,
                                               self->mqtt_version == MQTTVERSION_5 ?
                                               antenna_profile_get_topic_alias_maximum (profile) : 0);
    }
  o->keepAliveInterval = (int) antenna_profile_get_keepalive (profile);
  o->connectTimeout = (int) MAX (antenna_profile_get_connect_timeout (profile), 1);
  o->retryInterval = 0;
  o->automaticReconnect = 0;
  o->maxInflight = 65535;
  if (username != NULL && *username != '\0')
    o->username = username;
  if (password != NULL)
    {
      o->password = NULL;
      o->binarypwd.data = password;
      o->binarypwd.len = (int) strlen (password);
    }

  if (will_topic != NULL && *will_topic != '\0')
    {
      GBytes *payload = antenna_profile_get_will_payload (profile);
      gsize len = 0;
      const void *data = payload ? g_bytes_get_data (payload, &len) : NULL;

      co->will.topicName = will_topic;
      co->will.message = NULL;
      co->will.payload.data = data ? data : "";
      co->will.payload.len = (int) len;
      co->will.qos = antenna_profile_get_will_qos (profile);
      co->will.retained = antenna_profile_get_will_retain (profile);
      o->will = &co->will;

      if (self->mqtt_version == MQTTVERSION_5)
        {
          if (antenna_profile_get_will_delay_interval (profile) > 0)
            _antenna_client_paho_add_int (&co->will_props, MQTTPROPERTY_CODE_WILL_DELAY_INTERVAL,
                                          antenna_profile_get_will_delay_interval (profile));
          _antenna_client_properties_to_paho (antenna_profile_get_will_properties (profile), &co->will_props);
          if (co->will_props.count > 0)
            o->willProperties = &co->will_props;
        }
    }

  if (_antenna_client_transport_uses_tls (transport))
    {
      MQTTAsync_SSLOptions *ssl = &co->ssl;
      gboolean insecure = antenna_profile_get_tls_allow_insecure (profile);

      ssl->trustStore = (ca_file && *ca_file) ? ca_file : NULL;
      ssl->CApath = NULL;
      ssl->keyStore = (cert_file && *cert_file) ? cert_file : NULL;
      ssl->privateKey = (key_file && *key_file) ? key_file : NULL;
      /* Only for a key that asks for one (antenna-client-prepare.c): given
       * none, OpenSSL would prompt on the terminal, if there is one. */
      ssl->privateKeyPassword = ssl->privateKey != NULL ? self->key_passphrase : NULL;
      ssl->enableServerCertAuth = !insecure;
      ssl->verify = !insecure && antenna_profile_get_tls_verify_hostname (profile);
      ssl->sslVersion = MQTT_SSL_VERSION_DEFAULT;
      if (self->bridge != NULL)
        _antenna_bridge_init_ssl_options (self->bridge, ssl);
      if (alpn_names != NULL && *alpn_names != '\0')
        {
          guint len;

          co->alpn = alpn_wire_format (alpn_names, &len);
          if (len > 0)
            {
              ssl->protos = co->alpn;
              ssl->protos_len = len;
            }
        }
      o->ssl = ssl;
    }

  /* Paho's proxy for plain connections (TCP, ws://) or for TLS ones. NULL
   * leaves Paho to the environment, which antenna_proxy_init_environment()
   * emptied of what Paho reads. */
  if (self->proxy != NULL)
    {
      if (_antenna_client_transport_uses_tls (transport))
        o->httpsProxy = self->proxy;
      else
        o->httpProxy = self->proxy;
    }

  return TRUE;
}

void
_antenna_client_connect_options_clear (AntennaConnectOptions *co)
{
  /* Paho copied what it keeps. */
  MQTTProperties_free (&co->connect_props);
  MQTTProperties_free (&co->will_props);
  g_clear_pointer (&co->alpn, g_free);
  if (co->sas_token != NULL)
    {
      memset (co->sas_token, 0, strlen (co->sas_token));
      g_clear_pointer (&co->sas_token, g_free);
    }
}

/* One attempt to connect the current handle, the first or a reconnection:
 * its outcome comes back through the bridge (ANTENNA_EVENT_CONNECTED or
 * ANTENNA_EVENT_CONNECT_FAILED), even when Paho refuses it at once. */
void
_antenna_client_start_connect (AntennaClient *self)
{
  AntennaConnectOptions co;
  g_autoptr(GError) error = NULL;
  int rc;

  if (!_antenna_client_connect_options_init (self, &co, &error))
    {
      /* _antenna_client_prepare() checked what could fail here. */
      g_debug ("%s: no connect options: %s", self->address, error->message);
      _antenna_client_connect_options_clear (&co);
      _antenna_bridge_push_connect_failed (self->bridge, MQTTASYNC_FAILURE);
      return;
    }

  _antenna_client_log_attempt (self);
  _antenna_bridge_clear_tls_errors (self->bridge);
  /* A proxy variable set since the last look would reach Paho. */
  antenna_proxy_init_environment ();

  self->connect_started = g_get_monotonic_time ();
  _antenna_bridge_paho_call_begin ();
  rc = MQTTAsync_connect (self->handle, &co.opts);
  _antenna_bridge_paho_call_end ();

  _antenna_client_connect_options_clear (&co);

  /* Same path as an asynchronous failure. */
  if (rc != MQTTASYNC_SUCCESS)
    _antenna_bridge_push_connect_failed (self->bridge, rc);
}
