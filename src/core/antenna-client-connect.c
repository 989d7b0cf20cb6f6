/* antenna-client-connect.c: what AntennaClient checks and hands to Paho to connect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Before a connection: the profile's checks that would otherwise end in a
 * broker closing the connection without a word or a handshake failing for a
 * file that is not there (the will topic, the TLS files), and the Paho handle
 * with its bridge. Each attempt (the first and every reconnection): Paho's
 * connect options from the profile (MQTT version, session, credentials, last
 * will, TLS and ALPN). The state machine that drives the attempts is in
 * antenna-client.c; this file is the translation of a profile into Paho's
 * terms, long and flat, read when a setting does not reach the broker.
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

  self->mqtt_version = antenna_profile_get_mqtt_version (self->profile) == ANTENNA_MQTT_VERSION_5 ?
                       MQTTVERSION_5 : MQTTVERSION_3_1_1;
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

/* One attempt to connect the current handle, the first or a reconnection:
 * its outcome comes back through the bridge (ANTENNA_EVENT_CONNECTED or
 * ANTENNA_EVENT_CONNECT_FAILED), even when Paho refuses it at once. */
void
_antenna_client_start_connect (AntennaClient *self)
{
  AntennaProfile *profile = self->profile;
  AntennaTransport transport = antenna_profile_get_transport (profile);
  MQTTAsync_connectOptions opts = MQTTAsync_connectOptions_initializer;
  MQTTAsync_connectOptions opts5 = MQTTAsync_connectOptions_initializer5;
  MQTTAsync_willOptions will = MQTTAsync_willOptions_initializer;
  MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
  MQTTProperties connect_props = MQTTProperties_initializer;
  MQTTProperties will_props = MQTTProperties_initializer;
  g_autofree guint8 *alpn = NULL;
  const char *username = antenna_profile_get_username (profile);
  const char *will_topic = antenna_profile_get_will_topic (profile);
  const char *ca_file = antenna_profile_get_tls_ca_file (profile);
  const char *cert_file = antenna_profile_get_tls_cert_file (profile);
  const char *key_file = antenna_profile_get_tls_key_file (profile);
  const char *alpn_names = antenna_profile_get_tls_alpn (profile);
  MQTTAsync_connectOptions *o;
  int rc;

  if (self->mqtt_version == MQTTVERSION_5)
    {
      o = &opts5;
      o->cleanstart = antenna_profile_get_clean_start (profile);
      o->cleansession = 0;
      if (antenna_profile_get_session_expiry (profile) > 0)
        {
          _antenna_client_paho_add_int (&connect_props, MQTTPROPERTY_CODE_SESSION_EXPIRY_INTERVAL,
                                        antenna_profile_get_session_expiry (profile));
          o->connectProperties = &connect_props;
        }
    }
  else
    {
      o = &opts;
      o->MQTTVersion = MQTTVERSION_3_1_1;
      o->cleansession = antenna_profile_get_clean_start (profile);
    }

  _antenna_bridge_init_connect_options (self->bridge, o);
  o->keepAliveInterval = (int) antenna_profile_get_keepalive (profile);
  o->connectTimeout = (int) MAX (antenna_profile_get_connect_timeout (profile), 1);
  o->retryInterval = 0;
  o->automaticReconnect = 0;
  o->maxInflight = 65535;
  if (username != NULL && *username != '\0')
    o->username = username;
  if (self->password != NULL)
    {
      o->password = NULL;
      o->binarypwd.data = self->password;
      o->binarypwd.len = (int) strlen (self->password);
    }

  if (will_topic != NULL && *will_topic != '\0')
    {
      GBytes *payload = antenna_profile_get_will_payload (profile);
      gsize len = 0;
      const void *data = payload ? g_bytes_get_data (payload, &len) : NULL;

      will.topicName = will_topic;
      will.message = NULL;
      will.payload.data = data ? data : "";
      will.payload.len = (int) len;
      will.qos = antenna_profile_get_will_qos (profile);
      will.retained = antenna_profile_get_will_retain (profile);
      o->will = &will;

      if (self->mqtt_version == MQTTVERSION_5)
        {
          _antenna_client_properties_to_paho (antenna_profile_get_will_properties (profile), &will_props);
          if (will_props.count > 0)
            o->willProperties = &will_props;
        }
    }

  if (_antenna_client_transport_uses_tls (transport))
    {
      gboolean insecure = antenna_profile_get_tls_allow_insecure (profile);

      ssl.trustStore = (ca_file && *ca_file) ? ca_file : NULL;
      ssl.CApath = NULL;
      ssl.keyStore = (cert_file && *cert_file) ? cert_file : NULL;
      ssl.privateKey = (key_file && *key_file) ? key_file : NULL;
      ssl.enableServerCertAuth = !insecure;
      ssl.verify = !insecure && antenna_profile_get_tls_verify_hostname (profile);
      ssl.sslVersion = MQTT_SSL_VERSION_DEFAULT;
      _antenna_bridge_init_ssl_options (self->bridge, &ssl);
      if (alpn_names != NULL && *alpn_names != '\0')
        {
          guint len;

          alpn = alpn_wire_format (alpn_names, &len);
          if (len > 0)
            {
              ssl.protos = alpn;
              ssl.protos_len = len;
            }
        }
      o->ssl = &ssl;
    }

  _antenna_bridge_clear_tls_errors (self->bridge);

  self->connect_started = g_get_monotonic_time ();
  _antenna_bridge_paho_call_begin ();
  rc = MQTTAsync_connect (self->handle, o);
  _antenna_bridge_paho_call_end ();

  /* Paho copied what it keeps. */
  MQTTProperties_free (&connect_props);
  MQTTProperties_free (&will_props);

  /* Same path as an asynchronous failure. */
  if (rc != MQTTASYNC_SUCCESS)
    _antenna_bridge_push_connect_failed (self->bridge, rc);
}
