/* antenna-proxy.h: the HTTP proxy a connection goes through
 *
 * Paho speaks HTTP CONNECT to a proxy, for every transport (TCP, TLS and
 * WebSocket), through one proxy for plain connections (its httpProxy) and
 * one for TLS ones (httpsProxy); the proxy itself is always reached in
 * clear text. Left alone, Paho takes both from the environment's
 * http_proxy and https_proxy, ignoring no_proxy: Antenna decides per
 * connection instead (AntennaProfile:proxy-mode) and hides those two
 * variables from Paho (antenna_proxy_init_environment()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

/* Moves http_proxy and https_proxy to HTTP_PROXY and HTTPS_PROXY, which
 * GIO's proxy resolver (libproxy) reads as well and Paho does not, so that
 * a connection with "no proxy" is never proxied by the environment, while
 * "the system's settings" still see them. Call it at the start of main(),
 * before any thread runs: it changes the environment. AntennaClient calls it
 * again before each connection, for what was set since. */
void      antenna_proxy_init_environment (void);

/* A proxy address as a person writes it: "proxy.example:3128",
 * "http://proxy.example:3128/", "http://user@[::1]:3128". Returns an
 * http:// URI with a host and a port (and the user, if written), or fails
 * with ANTENNA_ERROR_INVALID_URL and a sentence that says what to change
 * (no port, https:// or socks:// proxies, a password written in it). */
GUri     *antenna_proxy_parse_url        (const char          *url,
                                          GError             **error);
/* @url with any password written in it cut out (NULL stays NULL). */
char     *antenna_proxy_strip_password   (const char          *url);
/* "http://host:port", never with credentials: for sentences. */
char     *antenna_proxy_dup_display      (GUri                *proxy);
/* "[user:password@]host:port", user and password %-escaped: what Paho's
 * httpProxy/httpsProxy take. */
char     *antenna_proxy_to_paho          (GUri                *proxy);

/* The proxy for a connection to @profile's broker: NULL (no error) for a
 * direct connection. MANUAL: proxy-url with proxy-username and @password;
 * SYSTEM: GProxyResolver's answer for http://host:port (TCP, WebSocket) or
 * https://host:port (TLS, secure WebSocket). Fails with
 * ANTENNA_ERROR_PROXY when the settings name a proxy Antenna cannot use. */
void      antenna_proxy_resolve_async    (AntennaProfile      *profile,
                                          const char          *password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GUri     *antenna_proxy_resolve_finish   (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
