/* test-proxy.c: connections through a real HTTP proxy (tinyproxy), or not
 *
 * The brokers and the proxy run on loopback; tinyproxy's log says which
 * CONNECT requests reached it. Every case leaves the process's proxy
 * variables as it found them (none: antenna_test_init() removes them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-proxy.h"
#include "antenna-secret-store.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-keyring.h"
#include "antenna-test-proxy.h"
#include "antenna-test-utils.h"

#define PROXY_USER     "antenna-proxy-user"

static const char * const proxy_variables[] = {
  "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY",
};

static void
clear_proxy_environment (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (proxy_variables); i++)
    g_unsetenv (proxy_variables[i]);
}

static AntennaProfile *
make_profile (AntennaTestBroker *broker,
              AntennaTransport   transport,
              AntennaProxyMode   mode,
              const char        *proxy_url)
{
  AntennaProfile *profile = antenna_profile_new ();

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_transport (profile, transport);
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_3_1_1);
  antenna_profile_set_auto_reconnect (profile, FALSE);
  antenna_profile_set_connect_timeout (profile, 15);
  switch (transport)
    {
    case ANTENNA_TRANSPORT_TLS:
    case ANTENNA_TRANSPORT_WSS:
      antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (broker));
      antenna_profile_set_tls_ca_file (profile, antenna_test_broker_get_ca_file (broker));
      break;
    case ANTENNA_TRANSPORT_TCP:
    case ANTENNA_TRANSPORT_WS:
    default:
      antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
      break;
    }
  antenna_profile_set_proxy_mode (profile, mode);
  antenna_profile_set_proxy_url (profile, proxy_url);
  return profile;
}

/* Connects and disconnects @profile; returns the error of a failed connect. */
static GError *
connect_once (AntennaProfile     *profile,
              AntennaSecretStore *secrets)
{
  g_autoptr(AntennaClient) client = antenna_client_new (profile);
  GError *error = NULL;

  antenna_client_set_secret_store (client, secrets);
  if (!antenna_test_connect (client, NULL, &error))
    return error;
  antenna_test_disconnect_ok (client);
  return NULL;
}

static void
assert_connects (AntennaProfile     *profile,
                 AntennaSecretStore *secrets)
{
  g_autoptr(GError) error = connect_once (profile, secrets);

  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* Addresses and the environment                                             */

static void
test_proxy_url (void)
{
  static const struct
  {
    const char *typed;
    const char *host;
    int         port;
    const char *user;
  } good[] = {
    { "proxy.example:3128", "proxy.example", 3128, NULL },
    { " http://proxy.example:8080/ ", "proxy.example", 8080, NULL },
    { "http://someone@[::1]:3128", "::1", 3128, "someone" },
  };
  static const struct
  {
    const char *typed;
    const char *says;
  } bad[] = {
    { "", "Enter the proxy" },
    { "proxy.example", "port" },
    { "https://proxy.example:3128", "plain HTTP" },
    { "socks5://proxy.example:1080", "“socks5”" },
    { "http://user:secret@proxy.example:3128", "own field" },
    { "http://proxy.example:3128/path", "host and a port only" },
    { "http://proxy.example:99999", "understands" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) uri = antenna_proxy_parse_url (good[i].typed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (g_uri_get_scheme (uri), ==, "http");
      g_assert_cmpstr (g_uri_get_host (uri), ==, good[i].host);
      g_assert_cmpint (g_uri_get_port (uri), ==, good[i].port);
      g_assert_cmpstr (g_uri_get_user (uri), ==, good[i].user);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) uri = antenna_proxy_parse_url (bad[i].typed, &error);

      g_assert_null (uri);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL);
      g_test_message ("“%s”: %s", bad[i].typed, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].says));
      /* Never the password back in a sentence. */
      g_assert_null (strstr (error->message, "secret"));
    }

  /* What Paho gets: credentials escaped, never a bare "@", ":" or "%". */
  {
    g_autoptr(GUri) uri = g_uri_build_with_user (G_URI_FLAGS_NONE, "http", "us@r:1", "p%ss@w:rd/", NULL,
                                                 "127.0.0.1", 3128, "", NULL, NULL);
    g_autoptr(GUri) v6 = g_uri_build (G_URI_FLAGS_NONE, "http", NULL, "::1", 8080, "", NULL, NULL);
    g_autofree char *paho = antenna_proxy_to_paho (uri);
    g_autofree char *display = antenna_proxy_dup_display (uri);
    g_autofree char *paho_v6 = antenna_proxy_to_paho (v6);

    g_assert_cmpstr (paho, ==, "us%40r%3A1:p%25ss%40w%3Ard%2F@127.0.0.1:3128");
    g_assert_cmpstr (display, ==, "http://127.0.0.1:3128");
    g_assert_cmpstr (paho_v6, ==, "[::1]:8080");
  }

  /* A password typed into the profile's proxy address is dropped. */
  {
    g_autoptr(AntennaProfile) profile = antenna_profile_new ();
    g_autoptr(JsonNode) json = NULL;
    g_autofree char *text = NULL;

    antenna_profile_set_proxy_url (profile, "http://someone:Pr0xy-Secret@proxy.example:3128");
    g_assert_cmpstr (antenna_profile_get_proxy_url (profile), ==, "http://someone@proxy.example:3128");
    antenna_profile_set_proxy_url (profile, "someone:Pr0xy-Secret@proxy.example:3128");
    g_assert_cmpstr (antenna_profile_get_proxy_url (profile), ==, "http://someone@proxy.example:3128");
    antenna_profile_set_proxy_url (profile, "proxy.example:3128");
    g_assert_cmpstr (antenna_profile_get_proxy_url (profile), ==, "proxy.example:3128");
    json = antenna_profile_to_json (profile);
    text = json_to_string (json, FALSE);
    g_assert_null (strstr (text, "Pr0xy-Secret"));
  }
}

/* http_proxy and https_proxy move out of Paho's sight, into the names GIO
 * also reads; the lower-case value wins. */
static void
test_proxy_environment (void)
{
  g_setenv ("http_proxy", "http://127.0.0.1:1", TRUE);
  g_setenv ("https_proxy", "http://127.0.0.1:2", TRUE);
  g_setenv ("HTTPS_PROXY", "http://127.0.0.1:3", TRUE);

  antenna_proxy_init_environment ();

  g_assert_null (g_getenv ("http_proxy"));
  g_assert_null (g_getenv ("https_proxy"));
  g_assert_cmpstr (g_getenv ("HTTP_PROXY"), ==, "http://127.0.0.1:1");
  g_assert_cmpstr (g_getenv ("HTTPS_PROXY"), ==, "http://127.0.0.1:2");

  clear_proxy_environment ();
}

/* ------------------------------------------------------------------------ */
/* Through the proxy                                                         */

typedef struct
{
  AntennaTestBrokerFlags flags;
  AntennaTransport       transport;
} Route;

static const Route route_tcp = { ANTENNA_TEST_BROKER_PLAIN, ANTENNA_TRANSPORT_TCP };
static const Route route_tls = { ANTENNA_TEST_BROKER_TLS, ANTENNA_TRANSPORT_TLS };
static const Route route_ws = { ANTENNA_TEST_BROKER_WEBSOCKET, ANTENNA_TRANSPORT_WS };
static const Route route_wss = { ANTENNA_TEST_BROKER_WEBSOCKET | ANTENNA_TEST_BROKER_TLS, ANTENNA_TRANSPORT_WSS };

/* The profile's own proxy: the broker sees the connection, the proxy
 * logged the CONNECT to the broker's port. */
static void
test_proxy_manual (gconstpointer data)
{
  const Route *route = data;
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (route->flags);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaTestProxy) proxy = NULL;
  g_autofree char *url = NULL;
  guint port;

  profile = make_profile (broker, route->transport, ANTENNA_PROXY_MODE_MANUAL, NULL);
  port = antenna_profile_get_port (profile);
  proxy = antenna_test_proxy_new ((guint[]) { port, 0 }, NULL, NULL);
  url = antenna_test_proxy_dup_url (proxy);
  antenna_profile_set_proxy_url (profile, url);

  assert_connects (profile, NULL);
  g_assert_cmpuint (antenna_test_proxy_count_connects (proxy, port), ==, 1);
}

/* A proxy that wants a user: the password comes from the keyring. Without
 * it, or with a wrong one, the error says what the proxy wanted. */
static void
test_proxy_auth (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaTestProxy) proxy = NULL;
  g_autofree char *url = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  /* tinyproxy takes [-a-z0-9._] only; the escaping of the others is
   * checked in /antenna/proxy/url. */
  g_autofree char *password = g_strdup_printf ("Pr0xy.%s", uuid);
  g_autoptr(GError) error = NULL;
  guint port = antenna_test_broker_get_port (broker);

  proxy = antenna_test_proxy_new ((guint[]) { port, 0 }, PROXY_USER, password);
  url = antenna_test_proxy_dup_url (proxy);
  profile = make_profile (broker, ANTENNA_TRANSPORT_TCP, ANTENNA_PROXY_MODE_MANUAL, url);
  antenna_profile_set_proxy_username (profile, PROXY_USER);

  /* No password saved. */
  error = connect_once (profile, secrets);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROXY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "asks for a user name and password"));
  g_clear_error (&error);

  /* A wrong one. */
  antenna_test_secret_store_secret_ok (secrets, profile, ANTENNA_SECRET_PROXY_PASSWORD, "wrong");
  error = connect_once (profile, secrets);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROXY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "did not accept the user name and password"));
  g_clear_error (&error);

  /* The right one. */
  antenna_test_secret_store_secret_ok (secrets, profile, ANTENNA_SECRET_PROXY_PASSWORD, password);
  assert_connects (profile, secrets);
  g_assert_null (strstr (antenna_profile_get_proxy_url (profile), uuid));
}

/* "No proxy" with http_proxy set, as a shell may leave it: Paho would use
 * it for plain TCP; the connection must not go through the proxy. */
static void
test_proxy_none_ignores_environment (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS);
  g_autoptr(AntennaProfile) tcp = NULL;
  g_autoptr(AntennaProfile) tls = NULL;
  g_autoptr(AntennaTestProxy) proxy = NULL;
  g_autofree char *url = NULL;
  guint port = antenna_test_broker_get_port (broker);
  guint tls_port = antenna_test_broker_get_tls_port (broker);

  proxy = antenna_test_proxy_new ((guint[]) { port, tls_port, 0 }, NULL, NULL);
  url = antenna_test_proxy_dup_url (proxy);
  g_setenv ("http_proxy", url, TRUE);
  g_setenv ("https_proxy", url, TRUE);

  tcp = make_profile (broker, ANTENNA_TRANSPORT_TCP, ANTENNA_PROXY_MODE_NONE, NULL);
  tls = make_profile (broker, ANTENNA_TRANSPORT_TLS, ANTENNA_PROXY_MODE_NONE, NULL);
  assert_connects (tcp, NULL);
  assert_connects (tls, NULL);
  g_assert_cmpuint (antenna_test_proxy_count_connects (proxy, port), ==, 0);
  g_assert_cmpuint (antenna_test_proxy_count_connects (proxy, tls_port), ==, 0);

  clear_proxy_environment ();
}

/* "The system's settings": GProxyResolver, whose source here is the
 * environment (GSETTINGS_BACKEND=memory leaves GNOME's settings empty).
 * Whatever it answers goes to Paho, for TLS too; it honours no_proxy, which
 * Paho alone does not. */
static void
test_proxy_system (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS);
  g_autoptr(AntennaProfile) tcp = NULL;
  g_autoptr(AntennaProfile) tls = NULL;
  g_autoptr(AntennaTestProxy) http_proxy = NULL;
  g_autoptr(AntennaTestProxy) https_proxy = NULL;
  g_autofree char *http_url = NULL;
  g_autofree char *https_url = NULL;
  guint port = antenna_test_broker_get_port (broker);
  guint tls_port = antenna_test_broker_get_tls_port (broker);

  http_proxy = antenna_test_proxy_new ((guint[]) { port, tls_port, 0 }, NULL, NULL);
  https_proxy = antenna_test_proxy_new ((guint[]) { port, tls_port, 0 }, NULL, NULL);
  http_url = antenna_test_proxy_dup_url (http_proxy);
  https_url = antenna_test_proxy_dup_url (https_proxy);
  tcp = make_profile (broker, ANTENNA_TRANSPORT_TCP, ANTENNA_PROXY_MODE_SYSTEM, NULL);
  tls = make_profile (broker, ANTENNA_TRANSPORT_TLS, ANTENNA_PROXY_MODE_SYSTEM, NULL);

  /* Nothing set: direct. */
  assert_connects (tcp, NULL);
  assert_connects (tls, NULL);
  g_assert_cmpuint (antenna_test_proxy_count_connects (http_proxy, port), ==, 0);
  g_assert_cmpuint (antenna_test_proxy_count_connects (http_proxy, tls_port), ==, 0);

  /* http_proxy: GIO (libproxy) sends https:// there too while https_proxy
   * is unset. */
  g_setenv ("http_proxy", http_url, TRUE);
  assert_connects (tcp, NULL);
  assert_connects (tls, NULL);
  g_assert_cmpuint (antenna_test_proxy_count_connects (http_proxy, port), ==, 1);
  g_assert_cmpuint (antenna_test_proxy_count_connects (http_proxy, tls_port), ==, 1);

  /* https_proxy: TLS goes there (Paho's httpsProxy), TCP stays. */
  g_setenv ("https_proxy", https_url, TRUE);
  assert_connects (tcp, NULL);
  assert_connects (tls, NULL);
  g_assert_cmpuint (antenna_test_proxy_count_connects (http_proxy, port), ==, 2);
  g_assert_cmpuint (antenna_test_proxy_count_connects (http_proxy, tls_port), ==, 1);
  g_assert_cmpuint (antenna_test_proxy_count_connects (https_proxy, tls_port), ==, 1);
  g_assert_cmpuint (antenna_test_proxy_count_connects (https_proxy, port), ==, 0);

  /* no_proxy: direct again. */
  g_setenv ("no_proxy", "127.0.0.1", TRUE);
  assert_connects (tcp, NULL);
  assert_connects (tls, NULL);
  g_assert_cmpuint (antenna_test_proxy_count_connects (http_proxy, port), ==, 2);
  g_assert_cmpuint (antenna_test_proxy_count_connects (https_proxy, tls_port), ==, 1);

  clear_proxy_environment ();
}

/* Without GNOME's proxy settings schema (GIO's GNOME resolver would abort
 * the process): the environment, with no_proxy. In a subprocess, whose
 * settings schemas are not found from the start. */
static void
test_proxy_system_without_gnome_schema (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(AntennaTestBroker) broker = NULL;
      g_autoptr(AntennaProfile) tcp = NULL;
      g_autoptr(AntennaTestProxy) proxy = NULL;
      g_autofree char *url = NULL;
      guint port;

      g_setenv ("XDG_DATA_DIRS", "/nonexistent", TRUE);
      g_unsetenv ("GSETTINGS_SCHEMA_DIR");
      broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
      port = antenna_test_broker_get_port (broker);
      proxy = antenna_test_proxy_new ((guint[]) { port, 0 }, NULL, NULL);
      url = antenna_test_proxy_dup_url (proxy);
      tcp = make_profile (broker, ANTENNA_TRANSPORT_TCP, ANTENNA_PROXY_MODE_SYSTEM, NULL);

      g_setenv ("http_proxy", url, TRUE);
      assert_connects (tcp, NULL);
      g_assert_cmpuint (antenna_test_proxy_count_connects (proxy, port), ==, 1);
      g_setenv ("no_proxy", "localhost, 127.0.0.1", TRUE);
      assert_connects (tcp, NULL);
      g_assert_cmpuint (antenna_test_proxy_count_connects (proxy, port), ==, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
}

/* A proxy kind Paho cannot speak, from the system's settings: said, not
 * silently ignored. */
static void
test_proxy_system_unusable (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = make_profile (broker, ANTENNA_TRANSPORT_TCP, ANTENNA_PROXY_MODE_SYSTEM, NULL);
  g_autoptr(GError) error = NULL;

  g_setenv ("http_proxy", "socks5://127.0.0.1:1080", TRUE);
  error = connect_once (profile, NULL);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROXY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "socks5"));

  clear_proxy_environment ();
}

/* The proxy refuses CONNECT to this port (403): the error says it was the
 * proxy, and names it; Paho's own words do not reach the person. */
static void
test_proxy_refused (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaTestProxy) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *proxy_address = NULL;
  guint port = antenna_test_broker_get_port (broker);

  /* Only a port nobody uses is allowed. */
  proxy = antenna_test_proxy_new ((guint[]) { 9, 0 }, NULL, NULL);
  url = antenna_test_proxy_dup_url (proxy);
  profile = make_profile (broker, ANTENNA_TRANSPORT_TCP, ANTENNA_PROXY_MODE_MANUAL, url);

  error = connect_once (profile, NULL);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROXY);
  g_test_message ("%s", error->message);
  proxy_address = g_strdup_printf ("The proxy %s refused the connection to 127.0.0.1:%u", url, port);
  g_assert_true (g_str_has_prefix (error->message, proxy_address));
  g_assert_cmpuint (antenna_test_proxy_count_connects (proxy, port), >=, 1);
}

/* Nothing listens where the proxy should be. */
static void
test_proxy_down (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;
  guint port;

  /* A port that was free a moment ago: the proxy is down. */
  {
    g_autoptr(AntennaTestProxy) proxy = antenna_test_proxy_new ((guint[]) { 9, 0 }, NULL, NULL);

    port = antenna_test_proxy_get_port (proxy);
  }
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  profile = make_profile (broker, ANTENNA_TRANSPORT_TCP, ANTENNA_PROXY_MODE_MANUAL, url);

  error = connect_once (profile, NULL);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROXY);
  g_test_message ("%s", error->message);
  expected = g_strdup_printf ("The proxy %s could not be reached (connection refused)", url);
  g_assert_true (g_str_has_prefix (error->message, expected));
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/proxy/url", test_proxy_url);
  g_test_add_func ("/antenna/proxy/environment", test_proxy_environment);
  g_test_add_data_func ("/antenna/proxy/manual/tcp", &route_tcp, test_proxy_manual);
  g_test_add_data_func ("/antenna/proxy/manual/tls", &route_tls, test_proxy_manual);
  g_test_add_data_func ("/antenna/proxy/manual/ws", &route_ws, test_proxy_manual);
  g_test_add_data_func ("/antenna/proxy/manual/wss", &route_wss, test_proxy_manual);
  g_test_add_func ("/antenna/proxy/auth", test_proxy_auth);
  g_test_add_func ("/antenna/proxy/none-ignores-environment", test_proxy_none_ignores_environment);
  g_test_add_func ("/antenna/proxy/system", test_proxy_system);
  g_test_add_func ("/antenna/proxy/system-unusable", test_proxy_system_unusable);
  g_test_add_func ("/antenna/proxy/system-without-gnome-schema", test_proxy_system_without_gnome_schema);
  g_test_add_func ("/antenna/proxy/refused", test_proxy_refused);
  g_test_add_func ("/antenna/proxy/down", test_proxy_down);

  return antenna_test_run ();
}
