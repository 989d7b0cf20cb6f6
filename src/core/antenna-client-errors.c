/* antenna-client-errors.c: what AntennaClient tells a person when something fails
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every failure of the client becomes a GError in the ANTENNA_ERROR domain
 * with a sentence that names the broker and says what to fix. The sentences
 * that more than one part of the client needs are here, with the table of
 * MQTT 5 reason codes, the reading of a refused CONNACK, and the second look
 * at a failed connection: Paho says only "TCP/TLS connect failure", so the
 * client connects again with GIO to tell a refused port from a wrong host
 * name, a certificate from an unknown authority from one that expired. A file
 * of its own, since none of it is on a message's path and all of it is words.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-profile.h"

/* ------------------------------------------------------------------------ */
/* Sentences                                                                 */

GError *
_antenna_client_not_connected_error (AntennaClient *self)
{
  g_autofree char *address = antenna_profile_dup_display_address (self->profile);

  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED,
                      _("Not connected to %s."), address);
}

GError *
_antenna_client_connection_lost_error (AntennaClient *self)
{
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                      _("The connection to %s was lost before the broker confirmed."),
                      self->address);
}

/* The broker did not answer within the profile's connect timeout. */
GError *
_antenna_client_connect_timeout_error (AntennaClient *self)
{
  guint timeout = antenna_profile_get_connect_timeout (self->profile);

  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TIMEOUT,
                      ngettext ("Could not connect to %s: the broker did not answer within %u second.",
                                "Could not connect to %s: the broker did not answer within %u seconds.",
                                timeout),
                      self->address, timeout);
}

/* ------------------------------------------------------------------------ */
/* Reason codes                                                              */

/* What an MQTT 5 reason code means, for a sentence. */
static const char *
reason_code_phrase (int reason)
{
  switch (reason)
    {
    case 0x80: return _("unspecified error");
    case 0x81: return _("malformed packet");
    case 0x82: return _("protocol error");
    case 0x83: return _("implementation specific error");
    case 0x84: return _("unsupported protocol version");
    case 0x85: return _("client identifier not valid");
    case 0x86: return _("bad user name or password");
    case 0x87: return _("not authorized");
    case 0x88: return _("server unavailable");
    case 0x89: return _("server busy");
    case 0x8A: return _("banned");
    case 0x8B: return _("the server is shutting down");
    case 0x8C: return _("bad authentication method");
    case 0x8D: return _("keep alive timeout");
    case 0x8E: return _("another client connected with the same client ID (session taken over)");
    case 0x8F: return _("topic filter invalid");
    case 0x90: return _("topic name invalid");
    case 0x91: return _("packet identifier in use");
    case 0x92: return _("packet identifier not found");
    case 0x93: return _("receive maximum exceeded");
    case 0x94: return _("topic alias invalid");
    case 0x95: return _("packet too large");
    case 0x96: return _("message rate too high");
    case 0x97: return _("quota exceeded");
    case 0x98: return _("administrative action");
    case 0x99: return _("payload format invalid");
    case 0x9A: return _("retain not supported");
    case 0x9B: return _("QoS not supported");
    case 0x9C: return _("use another server");
    case 0x9D: return _("server moved");
    case 0x9E: return _("shared subscriptions not supported");
    case 0x9F: return _("connection rate exceeded");
    case 0xA0: return _("maximum connect time");
    case 0xA1: return _("subscription identifiers not supported");
    case 0xA2: return _("wildcard subscriptions not supported");
    default:   return _("unknown reason");
    }
}

/* "reason (0x87)" or "reason (0x87; broker says: …)" */
char *
_antenna_client_format_reason (int         reason,
                               const char *reason_string)
{
  if (reason_string != NULL && *reason_string != '\0')
    return g_strdup_printf (_("%s (reason code 0x%02X; the broker says: “%s”)"),
                            reason_code_phrase (reason), reason, reason_string);
  return g_strdup_printf (_("%s (reason code 0x%02X)"), reason_code_phrase (reason), reason);
}

static int
error_code_for_reason (int reason)
{
  switch (reason)
    {
    case 0x86:
    case 0x8C:
      return ANTENNA_ERROR_BAD_CREDENTIALS;
    case 0x87:
    case 0x8A:
      return ANTENNA_ERROR_NOT_AUTHORIZED;
    default:
      return ANTENNA_ERROR_CONNECTION_REFUSED;
    }
}

static gboolean
sent_credentials (AntennaClient *self)
{
  const char *username = antenna_profile_get_username (self->profile);

  return (username != NULL && *username != '\0') || self->password != NULL;
}

/* The broker does not speak MQTT 5 (it said so, or closed the connection
 * without a word): the same words and code either way, on which the UI
 * offers to connect with MQTT 3.1.1. @why: "unacceptable protocol version",
 * or NULL for a broker that closed the connection. */
GError *
_antenna_client_protocol_version_error (AntennaClient *self,
                                        const char    *why)
{
  if (why != NULL)
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PROTOCOL_VERSION,
                        _("Connection refused by %s: the broker does not support MQTT 5 (%s). "
                          "Connect with MQTT 3.1.1 instead."),
                        self->address, why);
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PROTOCOL_VERSION,
                      _("Could not connect to %s: the broker closed the connection without answering the MQTT 5 CONNECT. "
                        "It may not support MQTT 5: connect with MQTT 3.1.1 instead."),
                      self->address);
}

/* Whether @event refuses the MQTT version we asked for. */
gboolean
_antenna_client_connack_refuses_version (AntennaClient      *self,
                                         const AntennaEvent *event)
{
  if (self->mqtt_version == MQTTVERSION_5)
    return event->reason == 0x84 || (event->reason < 0x80 && event->code == 1);
  return event->code == 1;
}

/* A refused CONNACK, or NULL when @event is no answer of the broker (a
 * failure below MQTT: see _antenna_client_diagnose_connect_failure()). */
GError *
_antenna_client_connack_error (AntennaClient      *self,
                               const AntennaEvent *event)
{
  gboolean v5 = self->mqtt_version == MQTTVERSION_5;

  if (v5 && _antenna_client_connack_refuses_version (self, event))
    return _antenna_client_protocol_version_error (self, reason_code_phrase (0x84));

  /* A wrong password is "bad user name or password" (CONNACK 4, 0x86) on
   * some brokers (RabbitMQ, aedes) and "not authorised" (5, 0x87) on others
   * (mosquitto, ActiveMQ): one cause, so one sentence and one code, on which
   * the window asks for the password again. */
  if ((v5 && (event->reason == 0x86 || event->reason == 0x87)) ||
      (!v5 && event->reason < 0x80 && (event->code == 4 || event->code == 5)))
    {
      g_autofree char *says = NULL;

      if (v5 && event->reason_string != NULL && *event->reason_string != '\0')
        says = g_strdup_printf (_(" The broker says: “%s”."), event->reason_string);

      if (sent_credentials (self))
        return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS,
                            _("Connection refused by %s: bad user name or password, or this user may not connect.%s"),
                            self->address, says ? says : "");
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_AUTHORIZED,
                          _("Connection refused by %s: not authorised. The broker may want a user name and password, "
                            "or not accept this client identifier.%s"),
                          self->address, says ? says : "");
    }

  if (v5 && event->reason >= 0x80)
    {
      g_autofree char *reason = _antenna_client_format_reason (event->reason, event->reason_string);

      return g_error_new (ANTENNA_ERROR, error_code_for_reason (event->reason),
                          _("Connection refused by %s: %s."), self->address, reason);
    }

  switch (event->code)
    {
    case 1:
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                          _("Connection refused by %s: the broker does not accept this MQTT version (unacceptable protocol version)."),
                          self->address);
    case 2:
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                          _("Connection refused by %s: client identifier rejected."), self->address);
    case 3:
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                          _("Connection refused by %s: server unavailable."), self->address);
    default:
      if (event->code > 0 && event->code < 256)
        return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                            _("Connection refused by %s (return code %d)."), self->address, event->code);
      return NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Why a connection failed below MQTT: a second look with GIO                */

typedef struct
{
  AntennaClient        *self;
  GTask                *task;          /* the connect task */
  char                 *openssl_text;
  gboolean              timed_out;
  GTlsCertificateFlags  tls_flags;
  gboolean              tls_seen;
  GSocketConnection    *connection;    /* the second look's */
  char                 *request;       /* its WebSocket handshake */
  char                 *ws_status;     /* the answer's status, "101 Switching Protocols" */
} Diagnosis;

static void
diagnosis_free (Diagnosis *diag)
{
  g_clear_object (&diag->self);
  g_clear_object (&diag->task);
  g_clear_object (&diag->connection);
  g_free (diag->openssl_text);
  g_free (diag->request);
  g_free (diag->ws_status);
  g_free (diag);
}

static const struct
{
  GTlsCertificateFlags  flag;
  const char           *phrase;
} tls_flag_phrases[] = {
  { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("the certificate is not signed by a trusted certificate authority (unknown CA)") },
  { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("the certificate is not valid for this host name (host name mismatch)") },
  { G_TLS_CERTIFICATE_EXPIRED, N_("the certificate has expired") },
  { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("the certificate is not valid yet") },
  { G_TLS_CERTIFICATE_REVOKED, N_("the certificate has been revoked") },
  { G_TLS_CERTIFICATE_INSECURE, N_("the certificate uses an insecure algorithm") },
};

static char *
tls_flags_phrase (GTlsCertificateFlags flags)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (tls_flag_phrases); i++)
    if (flags & tls_flag_phrases[i].flag)
      g_ptr_array_add (parts, (gpointer) _(tls_flag_phrases[i].phrase));
  if (parts->len == 0 && flags != 0)
    g_ptr_array_add (parts, (gpointer) _("the certificate could not be verified"));
  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("; ", (char **) parts->pdata);
}

static gboolean
on_diagnosis_accept_certificate (GTlsConnection       *conn,
                                 GTlsCertificate      *peer_cert,
                                 GTlsCertificateFlags  errors,
                                 Diagnosis            *diag)
{
  diag->tls_seen = TRUE;
  diag->tls_flags |= errors;
  return FALSE;
}

static void
on_diagnosis_tls_event (GSocketClient      *client,
                        GSocketClientEvent  event,
                        GSocketConnectable *connectable,
                        GIOStream          *connection,
                        Diagnosis          *diag)
{
  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING || !G_IS_TLS_CLIENT_CONNECTION (connection))
    return;

  {
    AntennaProfile *profile = diag->self->profile;
    const char *ca_file = antenna_profile_get_tls_ca_file (profile);

    if (ca_file != NULL && *ca_file != '\0')
      {
        g_autoptr(GTlsDatabase) db = g_tls_file_database_new (ca_file, NULL);

        if (db != NULL)
          g_tls_connection_set_database (G_TLS_CONNECTION (connection), db);
      }
    g_signal_connect (connection, "accept-certificate",
                      G_CALLBACK (on_diagnosis_accept_certificate), diag);
  }
}

static gboolean
uses_websocket (AntennaClient *self)
{
  AntennaTransport transport = antenna_profile_get_transport (self->profile);

  return transport == ANTENNA_TRANSPORT_WS || transport == ANTENNA_TRANSPORT_WSS;
}

/* The transport works (the port answers, TLS and the WebSocket handshake
 * succeed), and the broker closed the connection after the CONNECT without
 * a CONNACK. NULL: the connect goes on with MQTT 3.1.1 (the automatic
 * version). */
static GError *
closed_without_answer_error (AntennaClient *self,
                             gboolean       websocket_upgraded)
{
  if (self->mqtt_version == MQTTVERSION_5)
    {
      if (_antenna_client_fall_back_to_3_1_1 (self))
        return NULL;
      return _antenna_client_protocol_version_error (self, NULL);
    }

  /* Over a WebSocket the broker is known to speak MQTT: RabbitMQ's Web
   * MQTT answers a wrong password this way. */
  if (websocket_upgraded && sent_credentials (self))
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS,
                        _("Could not connect to %s: the broker closed the connection without answering. "
                          "The user name or password may be wrong, or the broker does not accept this client identifier."),
                        self->address);
  if (websocket_upgraded)
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                        _("Could not connect to %s: the broker closed the connection without answering. "
                          "It may want a user name and password, or not accept this client identifier."),
                        self->address);
  if (sent_credentials (self))
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                        _("Could not connect to %s: the connection was closed before the broker answered "
                          "(are the user name and password right, is it an MQTT broker, and does it expect TLS?)."),
                        self->address);
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                      _("Could not connect to %s: the connection was closed before the broker answered "
                        "(is it an MQTT broker, and does it expect TLS?)."),
                      self->address);
}

static void
diagnosis_complete (Diagnosis *diag,
                    GError    *connect_error)
{
  AntennaClient *self = diag->self;
  GError *error = NULL;

  if (self->connect_task != diag->task)
    {
      /* cancelled or disconnected meanwhile: already completed */
      diagnosis_free (diag);
      return;
    }

  /* Through a proxy that refused or could not be reached: say so first. */
  error = _antenna_client_proxy_error (self, connect_error);
  if (error != NULL)
    {
      _antenna_client_finish_connect_failure (self, diag->task, error);
      diagnosis_free (diag);
      return;
    }

  if (diag->tls_seen && diag->tls_flags != 0)
    {
      g_autofree char *why = tls_flags_phrase (diag->tls_flags);

      error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                           _("Could not establish a secure connection to %s: %s."),
                           self->address, why);
    }
  else if (connect_error != NULL && connect_error->domain == G_TLS_ERROR)
    /* Translators: the last %s is GnuTLS's own text */
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                         _("Could not establish a secure connection to %s: the TLS handshake failed. "
                           "Does the broker expect TLS on this port? (%s)"),
                         self->address, connect_error->message);
  else if (diag->openssl_text != NULL)
    /* Translators: the last %s is OpenSSL's own text, e.g. “certificate verify failed” */
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                         _("Could not establish a secure connection to %s: the TLS handshake failed (OpenSSL says: “%s”)."),
                         self->address, diag->openssl_text);
  else if (connect_error != NULL &&
           !g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
           !g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* "Could not connect to 127.0.0.1:1: connection refused." */
      g_autofree char *lower = NULL;
      const char *msg = connect_error->message;
      const char *colon = strrchr (msg, ':');

      /* GIO says "Could not connect to 127.0.0.1: Connection refused": keep the cause. */
      if (colon != NULL && colon[1] == ' ')
        msg = colon + 2;
      lower = g_strdup (msg);
      if (lower[0] != '\0' && g_ascii_isupper (lower[0]) && !g_ascii_isupper (lower[1]))
        lower[0] = g_ascii_tolower (lower[0]);
      if (g_str_has_suffix (lower, "."))
        lower[strlen (lower) - 1] = '\0';
      error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                           _("Could not connect to %s: %s."), self->address, lower);
    }
  else if (diag->timed_out || connect_error != NULL)
    error = _antenna_client_connect_timeout_error (self);
  else if (uses_websocket (self) && diag->ws_status != NULL &&
           !g_str_has_prefix (diag->ws_status, "101"))
    /* Translators: the second %s is the web server's answer, e.g. “404 Not Found”; the third the path */
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                         _("Could not connect to %s: the WebSocket handshake failed: the server answered “%s” "
                           "(is the path “%s” right, and is it an MQTT WebSocket endpoint?)."),
                         self->address, diag->ws_status, antenna_profile_get_ws_path (self->profile));
  else if (uses_websocket (self) && diag->ws_status == NULL)
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                         _("Could not connect to %s: the WebSocket handshake failed (is the path right, and is it an MQTT WebSocket endpoint?)."),
                         self->address);
  else
    error = closed_without_answer_error (self, uses_websocket (self));

  if (error != NULL)
    _antenna_client_finish_connect_failure (self, diag->task, error);
  diagnosis_free (diag);
}

/* The WebSocket handshake, as Paho makes it: the server's status line
 * ("101 Switching Protocols", "404 Not Found") tells a wrong path from a
 * broker that closed the connection after the CONNECT. */
static void
on_diagnosis_status_line_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  Diagnosis *diag = user_data;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);
  /* "HTTP/1.1 404 Not Found" → "404 Not Found" */
  if (line != NULL && g_str_has_prefix (line, "HTTP/") && strchr (line, ' ') != NULL)
    diag->ws_status = g_strstrip (g_strdup (strchr (line, ' ') + 1));
  g_io_stream_close (G_IO_STREAM (diag->connection), NULL, NULL);
  diagnosis_complete (diag, NULL);
}

static void
on_diagnosis_request_written_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  Diagnosis *diag = user_data;
  g_autoptr(GDataInputStream) input = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      g_io_stream_close (G_IO_STREAM (diag->connection), NULL, NULL);
      diagnosis_complete (diag, NULL);
      return;
    }

  input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (diag->connection)));
  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);
  g_data_input_stream_read_line_async (input, G_PRIORITY_DEFAULT, NULL, on_diagnosis_status_line_cb, diag);
}

static void
diagnose_websocket (Diagnosis *diag)
{
  AntennaProfile *profile = diag->self->profile;
  const char *path = antenna_profile_get_ws_path (profile);
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (diag->connection));

  diag->request = g_strdup_printf ("GET %s HTTP/1.1\r\n"
                                   "Host: %s:%u\r\n"
                                   "Upgrade: websocket\r\n"
                                   "Connection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: QW50ZW5uYSBkaWFnbm9zZQ==\r\n"
                                   "Sec-WebSocket-Version: 13\r\n"
                                   "Sec-WebSocket-Protocol: mqtt\r\n"
                                   "\r\n",
                                   (path != NULL && *path != '\0') ? path : "/",
                                   antenna_profile_get_host (profile), antenna_profile_get_port (profile));
  g_output_stream_write_all_async (output, diag->request, strlen (diag->request), G_PRIORITY_DEFAULT,
                                   NULL, on_diagnosis_request_written_cb, diag);
}

static void
on_diagnosis_connected_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  Diagnosis *diag = user_data;
  g_autoptr(GError) error = NULL;

  diag->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (diag->connection != NULL && uses_websocket (diag->self))
    {
      diagnose_websocket (diag);
      return;
    }
  if (diag->connection != NULL)
    g_io_stream_close (G_IO_STREAM (diag->connection), NULL, NULL);
  diagnosis_complete (diag, error);
}

/* A transport-level failure: Paho says only "TCP/TLS connect failure". Look
 * again with GIO to tell a person why: refused, no such host, certificate.
 * Completes the connect task through _antenna_client_finish_connect_failure(). */
void
_antenna_client_diagnose_connect_failure (AntennaClient *self,
                                          const char    *openssl_text)
{
  g_autoptr(GSocketClient) client = NULL;
  AntennaProfile *profile = self->profile;
  AntennaTransport transport = antenna_profile_get_transport (profile);
  guint timeout = antenna_profile_get_connect_timeout (profile);
  Diagnosis *diag;

  diag = g_new0 (Diagnosis, 1);
  diag->self = g_object_ref (self);
  diag->task = g_object_ref (self->connect_task);
  diag->timed_out = timeout > 0 &&
                    g_get_monotonic_time () - self->connect_started >= (gint64) timeout * G_USEC_PER_SEC - G_USEC_PER_SEC / 2;
  if (openssl_text != NULL && *openssl_text != '\0')
    {
      /* "error:0A000086:SSL routines::certificate verify failed" → the reason */
      const char *reason = openssl_text;
      g_auto(GStrv) lines = g_strsplit (openssl_text, "\n", -1);
      g_auto(GStrv) fields = g_strsplit (lines[0], ":", -1);

      if (g_strv_length (fields) >= 5 && *fields[4] != '\0')
        diag->openssl_text = g_strdup (fields[4]);
      else
        diag->openssl_text = g_strdup (reason);
    }

  if (diag->timed_out)
    {
      diagnosis_complete (diag, NULL);
      return;
    }

  client = g_socket_client_new ();
  _antenna_client_proxy_setup_diagnosis (self, client);
  g_socket_client_set_timeout (client, MIN (MAX (timeout, 1), 5));
  if (_antenna_client_transport_uses_tls (transport) && !antenna_profile_get_tls_allow_insecure (profile))
    {
      g_socket_client_set_tls (client, TRUE);
      g_signal_connect (client, "event", G_CALLBACK (on_diagnosis_tls_event), diag);
    }

  g_socket_client_connect_to_host_async (client,
                                         antenna_profile_get_host (profile),
                                         antenna_profile_get_port (profile),
                                         NULL,
                                         on_diagnosis_connected_cb,
                                         diag);
}
