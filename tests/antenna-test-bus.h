/* antenna-test-bus.h: a D-Bus session bus of the test's own
 *
 * For what the session of build-aux/test cannot show: a bus without the
 * Secret Service (or with a keyring of its own, which the test may lock),
 * or a bus where the test itself owns the app's name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AntennaTestBus AntennaTestBus;

/* Starts a dbus-daemon with nothing on it: no service files, so nothing is
 * started on demand (the system's session.conf would start gnome-keyring);
 * anyone may own any name. Its directory is temporary, and it is stopped
 * when the test program ends without freeing it. */
AntennaTestBus    *antenna_test_bus_new              (void);
/* For DBUS_SESSION_BUS_ADDRESS. */
const char        *antenna_test_bus_get_address      (AntennaTestBus       *bus);
/* Starts a gnome-keyring-daemon of its own on @bus (Secret Service only,
 * its own files, unlocked with a throwaway password) and returns once it
 * owns org.freedesktop.secrets. */
void               antenna_test_bus_start_keyring    (AntennaTestBus       *bus);
/* Stops the keyring and the bus, and removes their directory. */
void               antenna_test_bus_free             (AntennaTestBus       *bus);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaTestBus, antenna_test_bus_free)

G_END_DECLS
