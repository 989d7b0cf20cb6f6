/* antenna-cli-connection.c: from the command line to a connected AntennaClient
 *
 * Where to connect comes from one of three places: a connection saved in
 * the app (--profile, by the name the app shows, or its id), a URL (the
 * same ones the app opens), or mosquitto's -h/-p. The mosquitto-style
 * options then override the copy's settings; a saved connection keeps its
 * broker and user name, since its password in the keyring is theirs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "antenna-cli-connection.h"
#include "antenna-cli-store.h"
#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"

static gboolean
transport_uses_tls (AntennaTransport transport)
{
  return transport == ANTENNA_TRANSPORT_TLS || transport == ANTENNA_TRANSPORT_WSS;
}

static AntennaProfile *
profile_from_store (AntennaCliConnectionOptions  *options,
                    GError                      **error)
{
  g_autoptr(AntennaProfileStore) store = NULL;
  AntennaProfile *found;

  if (options->host != NULL || options->port != 0 || options->username != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("A saved connection keeps its broker and user name, whose password "
                             "the keyring holds: -h, -p and -u cannot change them. To connect "
                             "elsewhere, give a URL or -h instead of --profile."));
      return NULL;
    }

  store = antenna_cli_store_open (error);
  if (store == NULL)
    return NULL;

  found = antenna_cli_store_find (store, options->profile, error);
  if (found == NULL)
    return NULL;

  /* A copy: the same id (the keyring's key), and nothing goes back to the file. */
  return antenna_profile_copy (found);
}

static AntennaProfile *
profile_from_url (AntennaCliConnectionOptions  *options,
                  const char                   *url,
                  GError                      **error)
{
  g_autoptr(AntennaProfile) profile = NULL;
  char *password = NULL;
  const char *username;

  if (options->host != NULL || options->port != 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The URL names the broker already: leave out -h and -p."));
      return NULL;
    }

  profile = antenna_profile_new_from_uri_with_password (url, &password, error);
  if (profile == NULL)
    return NULL;

  if (password != NULL)
    {
      explicit_bzero (password, strlen (password));
      g_free (password);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The URL holds a password, and antenna-cli will not use it: on a "
                             "command line every user of this computer can read it, and it stays "
                             "in the shell’s history. Leave it out of the URL and use "
                             "--password-stdin or the prompt, or save the connection in Antenna "
                             "with its password in the keyring."));
      return NULL;
    }

  username = antenna_profile_get_username (profile);
  if (options->username != NULL)
    {
      if (username[0] != '\0' && !g_str_equal (username, options->username))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("The URL names the user “%s” already: leave out -u, or the user in the URL."),
                       username);
          return NULL;
        }
      antenna_profile_set_username (profile, options->username);
    }

  return g_steal_pointer (&profile);
}

static AntennaProfile *
profile_from_host (AntennaCliConnectionOptions  *options,
                   GError                      **error)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  /* Like mosquitto: a CA or a client certificate means TLS. */
  gboolean tls = options->ca_file != NULL || options->cert_file != NULL || options->tls_use_os_certs;
  AntennaTransport transport = tls ? ANTENNA_TRANSPORT_TLS : ANTENNA_TRANSPORT_TCP;

  if (options->port < 0 || options->port > 65535)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The port of the address must be a number from 1 to 65535."));
      return NULL;
    }

  antenna_profile_set_transport (profile, transport);
  antenna_profile_set_host (profile, options->host != NULL ? options->host : "localhost");
  antenna_profile_set_port (profile, options->port != 0 ? (guint) options->port
                                                        : antenna_transport_default_port (transport));
  if (options->username != NULL)
    antenna_profile_set_username (profile, options->username);

  return g_steal_pointer (&profile);
}

static gboolean
apply_overrides (AntennaCliConnectionOptions  *options,
                 AntennaProfile               *profile,
                 GError                      **error)
{
  if (options->mqtt_version != NULL)
    {
      AntennaMqttVersion version;

      if (!antenna_cli_parse_mqtt_version (options->mqtt_version, &version, error))
        return FALSE;
      antenna_profile_set_mqtt_version (profile, version);
    }

  if (options->client_id != NULL)
    antenna_profile_set_client_id (profile, options->client_id);

  if (options->keepalive != -1)
    {
      if (options->keepalive < 0 || options->keepalive > 65535)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("The keep-alive interval is from 0 to 65535 seconds, not %d."),
                       options->keepalive);
          return FALSE;
        }
      antenna_profile_set_keepalive (profile, options->keepalive);
    }

  if (options->persistent)
    {
      antenna_profile_set_clean_start (profile, FALSE);
      /* mosquitto: with -c and no -x, the session never expires. */
      if (options->session_expiry == G_MININT64)
        antenna_profile_set_session_expiry (profile, G_MAXUINT32);
    }

  if (options->session_expiry != G_MININT64)
    {
      if (options->session_expiry < -1 || options->session_expiry > G_MAXUINT32)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("The session expiry interval is from 0 to 4294967295 seconds, or -1 for a session that never expires, not %lld."),
                       (long long) options->session_expiry);
          return FALSE;
        }
      antenna_profile_set_session_expiry (profile, options->session_expiry == -1 ? G_MAXUINT32
                                                                                 : (guint) options->session_expiry);
    }

  if (options->connect_timeout != -1)
    {
      if (options->connect_timeout < 1 || options->connect_timeout > 3600)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("The connect timeout is from 1 to 3600 seconds, not %d."),
                       options->connect_timeout);
          return FALSE;
        }
      antenna_profile_set_connect_timeout (profile, options->connect_timeout);
    }

  if (options->ca_file != NULL || options->cert_file != NULL || options->key_file != NULL ||
      options->tls_use_os_certs)
    {
      if (!transport_uses_tls (antenna_profile_get_transport (profile)))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--cafile, --cert, --key and --tls-use-os-certs are for a TLS "
                                 "connection: an mqtts:// or wss:// URL, -h with --cafile, or a saved "
                                 "connection that uses TLS."));
          return FALSE;
        }
      if (options->ca_file != NULL && options->tls_use_os_certs)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("Give either --cafile or --tls-use-os-certs, not both."));
          return FALSE;
        }
      if (options->ca_file != NULL)
        antenna_profile_set_tls_ca_file (profile, options->ca_file);
      if (options->tls_use_os_certs)
        antenna_profile_set_tls_ca_file (profile, "");
      if (options->cert_file != NULL)
        antenna_profile_set_tls_cert_file (profile, options->cert_file);
      if (options->key_file != NULL)
        antenna_profile_set_tls_key_file (profile, options->key_file);
    }

  if (options->insecure)
    antenna_profile_set_tls_verify_hostname (profile, FALSE);

  return TRUE;
}

AntennaProfile *
antenna_cli_connection_make_profile (AntennaCliConnectionOptions  *options,
                                     gboolean                     *from_store,
                                     GError                      **error)
{
  g_autoptr(AntennaProfile) profile = NULL;
  const char *url;

  *from_store = FALSE;

  if (!antenna_cli_connection_options_get_url (options, &url, error))
    return NULL;

  if (options->profile != NULL && url != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give either --profile or a URL, not both."));
      return NULL;
    }

  if (options->profile != NULL)
    profile = profile_from_store (options, error);
  else if (url != NULL)
    profile = profile_from_url (options, url, error);
  else
    profile = profile_from_host (options, error);

  if (profile == NULL || !apply_overrides (options, profile, error))
    return NULL;

  *from_store = options->profile != NULL;
  return g_steal_pointer (&profile);
}

void
antenna_cli_store_result (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
antenna_cli_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

AntennaCliStatus
antenna_cli_connect (AntennaClient *client,
                     const char    *password)
{
  AntennaProfile *profile = antenna_client_get_profile (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = antenna_profile_dup_display_address (profile);

  antenna_cli_note (_("Connecting to %s with MQTT %s…"), address,
                    antenna_profile_get_mqtt_version (profile) == ANTENNA_MQTT_VERSION_5 ? "5" : "3.1.1");

  antenna_client_connect_async (client, password, NULL, antenna_cli_store_result, &result);
  if (!antenna_client_connect_finish (client, antenna_cli_wait_result (&result), &error))
    {
      /* A broker that did not answer within the connect timeout is
       * ANTENNA_ERROR_TIMEOUT (status 5); one that could not be reached,
       * ANTENNA_ERROR_UNREACHABLE (status 7). */
      AntennaCliStatus status = antenna_cli_status_for_error (error);

      antenna_client_wait_for_destroyed (2000);
      return antenna_cli_fail (status, error);
    }

  antenna_cli_note (_("Connected to %s as “%s”."), address, antenna_client_get_client_id (client));
  return ANTENNA_CLI_STATUS_OK;
}

void
antenna_cli_disconnect (AntennaClient *client)
{
  if (antenna_client_get_state (client) != ANTENNA_CLIENT_STATE_DISCONNECTED)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      antenna_client_disconnect_async (client, NULL, antenna_cli_store_result, &result);
      if (!antenna_client_disconnect_finish (client, antenna_cli_wait_result (&result), &error))
        antenna_cli_note ("%s", error->message);
    }

  antenna_client_wait_for_destroyed (5000);
}
