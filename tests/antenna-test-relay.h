/* antenna-test-relay.h: a TCP relay whose connections the test can cut
 *
 * Between a client and a real broker on loopback: cutting closes both sides
 * of every connection it relays, as a network that fails would, so the
 * broker sees no DISCONNECT (and publishes the client's will). It runs on
 * the thread-default main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AntennaTestRelay AntennaTestRelay;

/* Listens on a free loopback port and relays each connection to @target_port. */
AntennaTestRelay *antenna_test_relay_new      (guint              target_port);
guint             antenna_test_relay_get_port (AntennaTestRelay  *self);
/* Closes every connection relayed so far (new ones are still relayed). */
void              antenna_test_relay_cut      (AntennaTestRelay  *self);
void              antenna_test_relay_free     (AntennaTestRelay  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaTestRelay, antenna_test_relay_free)

G_END_DECLS
