/* antenna-proxy.c: the HTTP proxy a connection goes through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Paho 1.3.12 does with a proxy (MQTTProtocolOut.c, Proxy.c): at each
 * connect it takes the connect options' httpProxy (plain TCP and ws://) or
 * httpsProxy (TLS and wss://), and when that is NULL getenv ("http_proxy")
 * or getenv ("https_proxy"), on its own thread. Any non-NULL value means a
 * proxy (an empty string is a proxy named "" that cannot be reached), so
 * "no proxy" can only be said by the environment having neither variable:
 * antenna_proxy_init_environment(). The value is "[http://][user:pass@]host
 * [:port]": Paho skips a leading "http://" (or "https://" for httpsProxy,
 * found anywhere in the string by strstr()), takes everything before the
 * first "@" as the credentials (decoding %XX, and looping forever on a "%"
 * not followed by two hex digits), and sends "CONNECT host:port" with Basic
 * authentication. So Antenna always hands it "user:pass@host:port" with
 * every reserved character of the credentials escaped.
 */

#define G_LOG_DOMAIN "antenna-proxy"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-proxy.h"

/* ------------------------------------------------------------------------ */
/* The environment                                                           */

static void
move_variable (const char *from,
               const char *to)
{
  const char *value = g_getenv (from);

  if (value == NULL)
    return;

  /* The lower-case name wins where both are set, as in curl and libproxy. */
  if (g_strcmp0 (g_getenv (to), value) != 0)
    g_setenv (to, value, TRUE);
  g_unsetenv (from);
  g_debug ("Moved %s to %s, out of Paho's sight", from, to);
}

void
antenna_proxy_init_environment (void)
{
  move_variable ("http_proxy", "HTTP_PROXY");
  move_variable ("https_proxy", "HTTPS_PROXY");
}

/* ------------------------------------------------------------------------ */
/* Addresses                                                                 */

static void
set_url_error (GError     **error,
               const char  *message)
{
  g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL, message);
}

/* "host:port" without a scheme reads as http://host:port. */
static char *
with_scheme (const char *url)
{
  g_autofree char *stripped = g_strstrip (g_strdup (url));

  if (strstr (stripped, "://") != NULL)
    return g_steal_pointer (&stripped);
  return g_strconcat ("http://", stripped, NULL);
}

GUri *
antenna_proxy_parse_url (const char  *url,
                         GError     **error)
{
  g_autofree char *full = NULL;
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *path;
  int port;

  g_return_val_if_fail (url != NULL, NULL);

  full = with_scheme (url);
  if (g_str_equal (full, "http://"))
    {
      set_url_error (error, _("Enter the proxy’s address, like proxy.example:3128."));
      return NULL;
    }

  parsed = g_uri_parse (full, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || g_uri_get_host (parsed)[0] == '\0')
    {
      set_url_error (error, _("This is not a proxy address Antenna understands. "
                              "Write it like proxy.example:3128 or http://proxy.example:3128."));
      return NULL;
    }

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    {
      set_url_error (error, _("Antenna reaches a proxy over plain HTTP only (the connection through "
                              "it is still encrypted when the broker uses TLS). "
                              "Write the proxy’s address with http://."));
      return NULL;
    }
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL,
                   _("Antenna cannot use “%s” proxies, only HTTP proxies (http://)."), scheme);
      return NULL;
    }

  if (g_uri_get_password (parsed) != NULL)
    {
      set_url_error (error, _("Write the proxy’s password in its own field, not in the address: "
                              "the address is saved in a file, the password in the keyring."));
      return NULL;
    }

  port = g_uri_get_port (parsed);
  if (port <= 0 || port > 65535)
    {
      set_url_error (error, _("Add the proxy’s port to its address, like proxy.example:3128."));
      return NULL;
    }

  path = g_uri_get_path (parsed);
  if ((path[0] != '\0' && !g_str_equal (path, "/")) ||
      g_uri_get_query (parsed) != NULL || g_uri_get_fragment (parsed) != NULL)
    {
      set_url_error (error, _("A proxy address has a host and a port only, like proxy.example:3128."));
      return NULL;
    }

  return g_uri_build_with_user (G_URI_FLAGS_NONE, "http",
                                g_uri_get_user (parsed), NULL, NULL,
                                g_uri_get_host (parsed), port, "", NULL, NULL);
}

char *
antenna_proxy_strip_password (const char *url)
{
  g_autofree char *full = NULL;
  g_autoptr(GUri) parsed = NULL;
  const char *at;

  if (url == NULL || (at = strrchr (url, '@')) == NULL)
    return g_strdup (url);

  full = with_scheme (url);
  parsed = g_uri_parse (full, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    {
      /* Not a URL: whatever stands before the last "@" may hold a password. */
      const char *scheme_end = strstr (url, "://");

      if (scheme_end != NULL && scheme_end < at)
        return g_strdup_printf ("%.*s%s", (int) (scheme_end + 3 - url), url, at + 1);
      return g_strdup (at + 1);
    }

  if (g_uri_get_password (parsed) == NULL)
    return g_strdup (url);

  return g_uri_join_with_user (G_URI_FLAGS_ENCODED,
                               g_uri_get_scheme (parsed),
                               g_uri_get_user (parsed), NULL, NULL,
                               g_uri_get_host (parsed), g_uri_get_port (parsed),
                               g_uri_get_path (parsed), g_uri_get_query (parsed),
                               g_uri_get_fragment (parsed));
}

static char *
dup_host_port (GUri *proxy)
{
  const char *host = g_uri_get_host (proxy);
  int port = g_uri_get_port (proxy);

  if (port <= 0)
    port = 80;
  /* An IPv6 address goes in brackets before ":port". */
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, port);
  return g_strdup_printf ("%s:%d", host, port);
}

char *
antenna_proxy_dup_display (GUri *proxy)
{
  g_autofree char *host_port = NULL;

  g_return_val_if_fail (proxy != NULL, NULL);

  host_port = dup_host_port (proxy);
  return g_strconcat ("http://", host_port, NULL);
}

char *
antenna_proxy_to_paho (GUri *proxy)
{
  g_autofree char *host_port = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  const char *u, *p;
  char *paho;

  g_return_val_if_fail (proxy != NULL, NULL);

  host_port = dup_host_port (proxy);
  u = g_uri_get_user (proxy);
  p = g_uri_get_password (proxy);
  if ((u == NULL || u[0] == '\0') && (p == NULL || p[0] == '\0'))
    return g_steal_pointer (&host_port);

  /* Every reserved character escaped: no "@", ":", "/" or bare "%" left
   * for Paho to trip on. */
  user = g_uri_escape_string (u != NULL ? u : "", NULL, FALSE);
  password = g_uri_escape_string (p != NULL ? p : "", NULL, FALSE);
  paho = g_strdup_printf ("%s:%s@%s", user, password, host_port);
  memset (password, 0, strlen (password));
  return paho;
}

/* ------------------------------------------------------------------------ */
/* Resolution                                                                */

/* The environment's proxies as a resolver: the proxy of https_proxy for
 * https://, of http_proxy for the rest (https:// too when https_proxy is
 * unset, as libproxy does), none for the hosts of no_proxy. */
static GProxyResolver *
environment_resolver (void)
{
  const char *http = g_getenv ("HTTP_PROXY");
  const char *https = g_getenv ("HTTPS_PROXY");
  const char *no_proxy = g_getenv ("no_proxy") != NULL ? g_getenv ("no_proxy") : g_getenv ("NO_PROXY");
  g_auto(GStrv) ignore = NULL;
  GProxyResolver *resolver;

  if (no_proxy != NULL)
    {
      ignore = g_strsplit (no_proxy, ",", -1);
      for (guint i = 0; ignore[i] != NULL; i++)
        g_strstrip (ignore[i]);
    }
  resolver = g_simple_proxy_resolver_new (http, ignore);
  if (https != NULL)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "https", https);
  return resolver;
}

/* GIO's resolver, which follows GNOME's settings (else libproxy and the
 * environment). GLib 2.74 makes every resolver it has a module for while
 * choosing one, and GNOME's aborts the process when its settings schema
 * (org.gnome.system.proxy, from gsettings-desktop-schemas) is not installed
 * or not visible: then the environment alone. */
static GProxyResolver *
dup_system_resolver (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.gnome.system.proxy", TRUE);
  if (schema == NULL)
    {
      g_debug ("No GNOME proxy settings schema: the system proxy is the environment's");
      return environment_resolver ();
    }
  return g_object_ref (g_proxy_resolver_get_default ());
}

typedef struct
{
  char             *target;    /* what GProxyResolver was asked about */
} Resolve;

static void
resolve_free (Resolve *resolve)
{
  g_free (resolve->target);
  g_free (resolve);
}

/* GProxyResolver's answers, in order: the first we can use wins. */
static void
on_lookup_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = NULL;
  const char *unusable = NULL;

  proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);
  if (proxies == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_PROXY,
                                 _("The system’s proxy settings could not be read: %s. "
                                   "Choose “No proxy” or a proxy of your own in the connection’s settings."),
                                 error->message);
      return;
    }

  for (guint i = 0; proxies[i] != NULL; i++)
    {
      const char *scheme = g_uri_peek_scheme (proxies[i]);
      g_autoptr(GUri) uri = NULL;

      if (g_strcmp0 (scheme, "direct") == 0)
        {
          g_debug ("System proxy for %s: none", resolve->target);
          g_task_return_pointer (task, NULL, NULL);
          return;
        }
      if (g_strcmp0 (scheme, "http") == 0 &&
          (uri = g_uri_parse (proxies[i], G_URI_FLAGS_HAS_PASSWORD, NULL)) != NULL &&
          g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0')
        {
          g_debug ("System proxy for %s: %s:%d", resolve->target, g_uri_get_host (uri), g_uri_get_port (uri));
          g_task_return_pointer (task, g_steal_pointer (&uri), (GDestroyNotify) g_uri_unref);
          return;
        }
      if (unusable == NULL)
        unusable = scheme != NULL ? scheme : proxies[i];
    }

  g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_PROXY,
                           _("The system’s proxy settings send this connection through a “%s” proxy, "
                             "which Antenna cannot use: it works with HTTP proxies. Choose “No proxy” "
                             "or an HTTP proxy in the connection’s settings."),
                           unusable != NULL ? unusable : "?");
}

void
antenna_proxy_resolve_async (AntennaProfile      *profile,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AntennaTransport transport;
  const char *host;
  Resolve *resolve;

  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_proxy_resolve_async);

  switch (antenna_profile_get_proxy_mode (profile))
    {
    case ANTENNA_PROXY_MODE_NONE:
      g_task_return_pointer (task, NULL, NULL);
      return;

    case ANTENNA_PROXY_MODE_MANUAL:
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GUri) parsed = antenna_proxy_parse_url (antenna_profile_get_proxy_url (profile), &error);
        const char *user = antenna_profile_get_proxy_username (profile);

        if (parsed == NULL)
          {
            g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_PROXY,
                                     _("The connection’s proxy cannot be used: %s"), error->message);
            return;
          }
        if (user[0] == '\0' && g_uri_get_user (parsed) != NULL)
          user = g_uri_get_user (parsed);
        g_task_return_pointer (task,
                               g_uri_build_with_user (G_URI_FLAGS_NONE, "http",
                                                      user[0] != '\0' ? user : NULL,
                                                      user[0] != '\0' ? password : NULL,
                                                      NULL,
                                                      g_uri_get_host (parsed), g_uri_get_port (parsed),
                                                      "", NULL, NULL),
                               (GDestroyNotify) g_uri_unref);
        return;
      }

    case ANTENNA_PROXY_MODE_SYSTEM:
    default:
      break;
    }

  /* The environment as GIO should see it, with whatever was set since. */
  antenna_proxy_init_environment ();

  transport = antenna_profile_get_transport (profile);
  host = antenna_profile_get_host (profile);
  resolve = g_new0 (Resolve, 1);
  resolve->target = g_strdup_printf ("%s://%s%s%s:%u",
                                     transport == ANTENNA_TRANSPORT_TLS || transport == ANTENNA_TRANSPORT_WSS
                                     ? "https" : "http",
                                     strchr (host, ':') != NULL ? "[" : "",
                                     host,
                                     strchr (host, ':') != NULL ? "]" : "",
                                     antenna_profile_get_port (profile));
  g_task_set_task_data (task, resolve, (GDestroyNotify) resolve_free);

  {
    g_autoptr(GProxyResolver) resolver = dup_system_resolver ();

    g_proxy_resolver_lookup_async (resolver, resolve->target, cancellable,
                                   on_lookup_cb, g_steal_pointer (&task));
  }
}

GUri *
antenna_proxy_resolve_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == antenna_proxy_resolve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
