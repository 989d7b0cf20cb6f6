/* antenna-test-proxy.h: a real HTTP proxy for the tests
 *
 * Debian's tinyproxy, started by the test on a free loopback port from a
 * config written into a temporary directory (removed with it): it allows
 * CONNECT to the ports it is given only (403 "Access violation" to any
 * other), with Basic authentication when a user is given, and logs every
 * request, so that a test sees whether a connection went through it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AntennaTestProxy AntennaTestProxy;

/* @connect_ports: the ports CONNECT may reach, 0-terminated. @username and
 * @password: both NULL, or the only credentials it accepts. Fails the test
 * when tinyproxy cannot start (naming the package to install). */
AntennaTestProxy *antenna_test_proxy_new             (const guint        *connect_ports,
                                                      const char         *username,
                                                      const char         *password);
void              antenna_test_proxy_free            (AntennaTestProxy   *self);
guint             antenna_test_proxy_get_port        (AntennaTestProxy   *self);
/* "http://127.0.0.1:PORT" */
char             *antenna_test_proxy_dup_url         (AntennaTestProxy   *self);
/* Its log so far; free with g_free. */
char             *antenna_test_proxy_get_log         (AntennaTestProxy   *self);
/* How many CONNECT requests to 127.0.0.1:@port it logged (granted or not). */
guint             antenna_test_proxy_count_connects  (AntennaTestProxy   *self,
                                                      guint               port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaTestProxy, antenna_test_proxy_free)

G_END_DECLS
