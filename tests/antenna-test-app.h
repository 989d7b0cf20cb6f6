/* antenna-test-app.h: the real antenna binary, driven over D-Bus
 *
 * For the tests that start the app itself (a new process, as a person
 * would) and act on it through its exported GActions, as
 * `gdbus call … org.gtk.Actions.Activate` does. Such tests own APP_ID on the
 * session bus while they run: tests/meson.build keeps them from overlapping.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AntennaTestApp AntennaTestApp;

/* The binary: $ANTENNA_BINARY, else src/antenna of this build, as an
 * absolute path (the app may run in another directory). */
char              *antenna_test_app_get_binary      (void);

/* Starts the app in @cwd (NULL: the test's) on this test's directories:
 * HOME and the XDG user directories as GLib gives them to the test (the
 * isolated ones under ANTENNA_TEST_INIT_ISOLATE_DIRS), the system's
 * XDG_DATA_DIRS and XDG_CONFIG_DIRS, G_MESSAGES_DEBUG=@messages_debug and
 * no G_DEBUG (its own warnings must not abort it: the test reads its
 * output). Asserts that no other instance owns APP_ID, and returns once
 * this one does. What it prints (stdout and stderr) is kept as it comes. */
AntennaTestApp    *antenna_test_app_start           (const char            *cwd,
                                                     const char            *messages_debug);
GSubprocess       *antenna_test_app_get_process     (AntennaTestApp        *app);
GPid               antenna_test_app_get_pid         (AntennaTestApp        *app);
/* What the app printed so far. */
const char        *antenna_test_app_get_output      (AntennaTestApp        *app);

/* Activates @action, "app.NAME" or "win.NAME" (of the first window), with
 * a string parameter or none. Retries while the window is not exported yet;
 * fails the test when it cannot. */
void               antenna_test_app_activate_action (AntennaTestApp        *app,
                                                     const char            *action,
                                                     const char            *parameter);
/* Waits until the app printed @text @n times in all; fails the test, with
 * what it printed, when it has not within @timeout_ms or ended before. */
void               antenna_test_app_wait_output     (AntennaTestApp        *app,
                                                     const char            *text,
                                                     guint                  n,
                                                     guint                  timeout_ms);
/* Waits until the app exited and its output ended; fails the test, with
 * what it printed, when it does not within @timeout_ms. */
void               antenna_test_app_wait_exit       (AntennaTestApp        *app,
                                                     guint                  timeout_ms);
/* Kills the app if it still runs. */
void               antenna_test_app_free            (AntennaTestApp        *app);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaTestApp, antenna_test_app_free)

G_END_DECLS
