/* antenna-client-prepare.c: what a connection needs before its first attempt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between antenna_client_connect_async() and Paho's first CONNECT, three
 * things that may take a while, each skipped when the profile does not need
 * it: the passphrase of an encrypted TLS client key and the proxy password,
 * from the keyring (AntennaClient:secret-store); and the proxy, from the
 * profile or from GIO's GProxyResolver. What they give holds for every
 * attempt of the connection, reconnections included (the Azure SAS token,
 * which expires, is made at each attempt: antenna-client-connect.c).
 *
 * Also here: the proxy's part of the diagnosis of a failed connection
 * (antenna-client-errors.c looks again with GIO, through the same proxy).
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-proxy.h"
#include "antenna-sas-token.h"
#include "antenna-secret-store.h"

typedef struct
{
  AntennaClient *self;
  GTask         *task;      /* the connect task this is for */
  char          *proxy_password;
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  g_clear_object (&prepare->self);
  g_clear_object (&prepare->task);
  if (prepare->proxy_password != NULL)
    memset (prepare->proxy_password, 0, strlen (prepare->proxy_password));
  g_free (prepare->proxy_password);
  g_free (prepare);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepare, prepare_free)

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

void
_antenna_client_clear_prepared (AntennaClient *self)
{
  g_cancellable_cancel (self->prepare_cancellable);
  g_clear_object (&self->prepare_cancellable);
  wipe (&self->key_passphrase);
  wipe (&self->proxy);
  g_clear_pointer (&self->proxy_display, g_free);
}

/* Whether the connect task is still waiting for this preparation (not
 * cancelled, timed out or disconnected meanwhile). */
static gboolean
prepare_is_current (Prepare *prepare)
{
  AntennaClient *self = prepare->self;

  return self->connect_task == prepare->task && self->state == ANTENNA_CLIENT_STATE_CONNECTING;
}

static void
prepare_fail (Prepare *prepare,
              GError  *error)
{
  if (!prepare_is_current (prepare))
    {
      g_error_free (error);
      return;
    }
  _antenna_client_finish_connect_failure (prepare->self, prepare->task, error);
}

/* ---- the proxy --------------------------------------------------------- */

static void
on_proxy_resolved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Prepare) prepare = user_data;
  AntennaClient *self = prepare->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) proxy = NULL;

  proxy = antenna_proxy_resolve_finish (result, &error);
  if (error != NULL)
    {
      prepare_fail (prepare, g_steal_pointer (&error));
      return;
    }
  if (!prepare_is_current (prepare))
    return;

  if (proxy != NULL)
    {
      self->proxy = antenna_proxy_to_paho (proxy);
      self->proxy_display = antenna_proxy_dup_display (proxy);
      g_debug ("%s: through the proxy %s", self->address, self->proxy_display);
    }

  _antenna_client_start_connect (self);
}

static void
resolve_proxy (Prepare *prepare)
{
  AntennaClient *self = prepare->self;

  antenna_proxy_resolve_async (self->profile, prepare->proxy_password, self->prepare_cancellable,
                               on_proxy_resolved_cb, prepare);
}

static void
on_proxy_password_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Prepare *prepare = user_data;
  g_autoptr(GError) error = NULL;

  prepare->proxy_password = antenna_secret_store_lookup_finish (ANTENNA_SECRET_STORE (object), result, &error);
  if (error != NULL)
    {
      prepare_fail (prepare, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PROXY,
                                          _("The proxy password could not be read: %s"), error->message));
      prepare_free (prepare);
      return;
    }
  if (!prepare_is_current (prepare))
    {
      prepare_free (prepare);
      return;
    }

  /* None saved: the proxy will say whether it wants one. */
  resolve_proxy (prepare);
}

static void
find_proxy (Prepare *prepare)
{
  AntennaClient *self = prepare->self;
  AntennaProfile *profile = self->profile;

  if (antenna_profile_get_proxy_mode (profile) == ANTENNA_PROXY_MODE_MANUAL &&
      antenna_profile_get_proxy_username (profile)[0] != '\0' &&
      self->secret_store != NULL)
    {
      antenna_secret_store_lookup_secret_async (self->secret_store, profile, ANTENNA_SECRET_PROXY_PASSWORD,
                                                self->prepare_cancellable, on_proxy_password_cb, prepare);
      return;
    }

  resolve_proxy (prepare);
}

/* ---- the key passphrase ------------------------------------------------- */

static GError *
passphrase_needed_error (AntennaClient *self)
{
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                      _("The private key “%s” is protected by a passphrase. Enter it in the "
                        "connection’s settings; Antenna keeps it in the keyring."),
                      antenna_profile_get_tls_key_file (self->profile));
}

static void
on_key_passphrase_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Prepare *prepare = user_data;
  AntennaClient *self = prepare->self;
  g_autoptr(GError) error = NULL;
  char *passphrase;

  passphrase = antenna_secret_store_lookup_finish (ANTENNA_SECRET_STORE (object), result, &error);
  if (error != NULL || passphrase == NULL || !prepare_is_current (prepare))
    {
      if (error != NULL)
        prepare_fail (prepare, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                                            _("The passphrase of the private key could not be read: %s"),
                                            error->message));
      else if (passphrase == NULL)
        prepare_fail (prepare, passphrase_needed_error (self));
      wipe (&passphrase);
      prepare_free (prepare);
      return;
    }

  self->key_passphrase = passphrase;
  find_proxy (prepare);
}

/* ---- the start ------------------------------------------------------------ */

/* The first step after the handle: completes with
 * _antenna_client_start_connect() or _antenna_client_finish_connect_failure(). */
void
_antenna_client_prepare (AntennaClient *self)
{
  AntennaProfile *profile = self->profile;
  Prepare *prepare;

  g_assert (self->connect_task != NULL);

  _antenna_client_clear_prepared (self);
  self->prepare_cancellable = g_cancellable_new ();

  prepare = g_new0 (Prepare, 1);
  prepare->self = g_object_ref (self);
  prepare->task = g_object_ref (self->connect_task);

  if (antenna_profile_get_auth_method (profile) == ANTENNA_AUTH_METHOD_AZURE_SAS)
    {
      g_autoptr(GError) error = NULL;

      if (self->password == NULL || self->password[0] == '\0')
        {
          prepare_fail (prepare, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS,
                                              _("Connecting to %s needs the device key, from which "
                                                "Antenna makes the SAS token."),
                                              self->address));
          prepare_free (prepare);
          return;
        }
      if (!antenna_sas_token_check_key (self->password, &error))
        {
          prepare_fail (prepare, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS,
                                              _("Cannot connect to %s: %s"), self->address, error->message));
          prepare_free (prepare);
          return;
        }
    }

  if (_antenna_client_transport_uses_tls (antenna_profile_get_transport (profile)) &&
      antenna_profile_tls_key_needs_passphrase (profile))
    {
      if (self->secret_store == NULL)
        {
          prepare_fail (prepare, passphrase_needed_error (self));
          prepare_free (prepare);
          return;
        }
      antenna_secret_store_lookup_secret_async (self->secret_store, profile, ANTENNA_SECRET_KEY_PASSPHRASE,
                                                self->prepare_cancellable, on_key_passphrase_cb, prepare);
      return;
    }

  find_proxy (prepare);
}

/* ---- the diagnosis ---------------------------------------------------------- */

static void
on_diagnosis_event_cb (GSocketClient      *client,
                       GSocketClientEvent  event,
                       GSocketConnectable *connectable,
                       GIOStream          *connection,
                       AntennaClient      *self)
{
  /* Connected to the proxy: what fails from here is its answer. */
  if (event == G_SOCKET_CLIENT_PROXY_NEGOTIATING)
    self->proxy_reached = TRUE;
}

/* The GIO client that looks again at a failed connection goes the way Paho
 * went: through the same proxy, or none (never GIO's own settings). */
void
_antenna_client_proxy_setup_diagnosis (AntennaClient *self,
                                       GSocketClient *client)
{
  g_autoptr(GProxyResolver) resolver = NULL;
  g_autofree char *uri = NULL;

  self->proxy_reached = FALSE;
  if (self->proxy == NULL)
    {
      g_socket_client_set_enable_proxy (client, FALSE);
      return;
    }

  uri = g_strconcat ("http://", self->proxy, NULL);
  resolver = g_simple_proxy_resolver_new (uri, NULL);
  g_socket_client_set_proxy_resolver (client, resolver);
  g_socket_client_set_enable_proxy (client, TRUE);
  g_signal_connect_object (client, "event", G_CALLBACK (on_diagnosis_event_cb), self, 0);
}

/* GIO's sentence without its "Could not connect to …: " and final period,
 * starting lower-case. */
static char *
cause_of (const GError *error)
{
  const char *msg = error->message;
  const char *colon = strrchr (msg, ':');
  char *cause;
  gsize len;

  if (colon != NULL && colon[1] == ' ')
    msg = colon + 2;
  cause = g_strdup (msg);
  len = strlen (cause);
  if (len > 0 && cause[len - 1] == '.')
    cause[len - 1] = '\0';
  if (g_ascii_isupper (cause[0]) && !g_ascii_isupper (cause[1]))
    cause[0] = g_ascii_tolower (cause[0]);
  return cause;
}

/* The HTTP status in GIO's "HTTP proxy connection failed: 403 Forbidden",
 * or 0. */
static int
proxy_status (const GError *error)
{
  const char *colon = strrchr (error->message, ':');

  return colon != NULL ? atoi (colon + 1) : 0;
}

/* What the proxy did, when it was the proxy: NULL otherwise (no proxy, or
 * the proxy got through and the broker's side failed). */
GError *
_antenna_client_proxy_error (AntennaClient *self,
                             const GError  *connect_error)
{
  g_autofree char *cause = NULL;
  gboolean has_credentials;
  int status;

  if (self->proxy == NULL || connect_error == NULL || connect_error->domain != G_IO_ERROR)
    return NULL;

  /* antenna_proxy_to_paho() wrote "user:password@host:port" with both
   * escaped: ":@" is an empty password, no "@" no user. */
  has_credentials = strchr (self->proxy, '@') != NULL && strstr (self->proxy, ":@") == NULL;
  status = connect_error->code == G_IO_ERROR_PROXY_FAILED ? proxy_status (connect_error) : 0;

  /* 407, and the 401 some proxies (tinyproxy) answer instead. */
  if (connect_error->code == G_IO_ERROR_PROXY_NEED_AUTH ||
      connect_error->code == G_IO_ERROR_PROXY_AUTH_FAILED ||
      status == 401 || status == 407)
    {
      if (!has_credentials)
        return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PROXY,
                            _("The proxy %s refused the connection to %s: it asks for a user name and "
                              "password. Enter them in the connection’s proxy settings."),
                            self->proxy_display, self->address);
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PROXY,
                          _("The proxy %s refused the connection to %s: it did not accept the user "
                            "name and password. Check them in the connection’s proxy settings."),
                          self->proxy_display, self->address);
    }

  switch (connect_error->code)
    {
    case G_IO_ERROR_PROXY_NOT_ALLOWED:
    case G_IO_ERROR_PROXY_FAILED:
      cause = cause_of (connect_error);
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PROXY,
                          _("The proxy %s refused the connection to %s (%s). It may not allow "
                            "connections to this port, or could not reach the broker."),
                          self->proxy_display, self->address, cause);
    case G_IO_ERROR_CANCELLED:
      return NULL;
    default:
      if (self->proxy_reached)
        return NULL;
      cause = cause_of (connect_error);
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PROXY,
                          _("The proxy %s could not be reached (%s), so Antenna could not connect "
                            "to %s through it. Check the proxy settings of the connection."),
                          self->proxy_display, cause, self->address);
    }
}

/* OpenSSL's words when Paho could not load the client key: a wrong
 * passphrase, or a key that is not the certificate's. NULL for anything
 * else (the diagnosis looks further). */
GError *
_antenna_client_tls_key_error (AntennaClient *self,
                               const char    *openssl_text)
{
  const char *key_file = antenna_profile_get_tls_key_file (self->profile);

  if (openssl_text == NULL || key_file[0] == '\0')
    return NULL;

  if (strstr (openssl_text, "bad decrypt") != NULL || strstr (openssl_text, "maybe wrong password") != NULL)
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                        _("The passphrase of the private key “%s” is wrong. Enter it again in the "
                          "connection’s settings."),
                        key_file);
  if (strstr (openssl_text, "key values mismatch") != NULL)
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                        _("The private key “%s” does not belong to the client certificate “%s”. "
                          "Choose the key that was made with it."),
                        key_file, antenna_profile_get_tls_cert_file (self->profile));
  return NULL;
}
