/* antenna-test-bus.c: a D-Bus session bus of the test's own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test"

#include "config.h"

#include <signal.h>

#include <glib/gstdio.h>

#include "antenna-test-bus.h"
#include "antenna-test-private.h"

#define KEYRING_WAIT_MS 10000

struct _AntennaTestBus
{
  char        *dir;
  char        *address;
  GSubprocess *bus;
  GSubprocess *keyring;
};

/* A session bus with no service files and no limits on names. */
static const char bus_config[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <type>session</type>\n"
  "  <listen>unix:dir=%s</listen>\n"
  "  <auth>EXTERNAL</auth>\n"
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

static void
stop_process (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_send_signal (*process, SIGTERM);
  g_subprocess_wait (*process, NULL, NULL);
  _antenna_test_track_process (*process, FALSE);
  g_clear_object (process);
}

AntennaTestBus *
antenna_test_bus_new (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_arg = NULL;
  AntennaTestBus *self = g_new0 (AntennaTestBus, 1);

  self->dir = g_dir_make_tmp ("antenna-bus-XXXXXX", &error);
  g_assert_no_error (error);
  _antenna_test_track_dir (self->dir, TRUE);
  config_path = g_build_filename (self->dir, "bus.conf", NULL);
  config = g_strdup_printf (bus_config, self->dir);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);
  config_arg = g_strconcat ("--config-file=", config_path, NULL);

  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  self->bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", config_arg,
                                           "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  _antenna_test_track_process (self->bus, TRUE);
  /* Printed once it listens. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->bus));
  self->address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (self->address);
  g_test_message ("private bus at %s", self->address);

  return self;
}

const char *
antenna_test_bus_get_address (AntennaTestBus *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->address;
}

static gboolean
secret_service_is_owned (gpointer user_data)
{
  GDBusConnection *connection = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

void
antenna_test_bus_start_keyring (AntennaTestBus *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *data = NULL;
  g_autofree char *runtime = NULL;
  GOutputStream *in;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->keyring == NULL);

  home = g_build_filename (self->dir, "home", NULL);
  data = g_build_filename (self->dir, "data", NULL);
  runtime = g_build_filename (self->dir, "run", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (data, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);

  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", self->address, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GNOME_KEYRING_CONTROL");
  /* Its own warnings are not this test's failures. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  self->keyring = g_subprocess_launcher_spawn (launcher, &error,
                                               "gnome-keyring-daemon", "--unlock",
                                               "--components=secrets", "--foreground", NULL);
  g_assert_no_error (error);
  _antenna_test_track_process (self->keyring, TRUE);
  /* --unlock reads the password of the new login keyring from stdin. */
  in = g_subprocess_get_stdin_pipe (self->keyring);
  g_output_stream_write_all (in, "locked-test\n", 12, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (in, NULL, &error);
  g_assert_no_error (error);

  /* Ready when it owns the Secret Service name. */
  connection = g_dbus_connection_new_for_address_sync (self->address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until (secret_service_is_owned, connection, KEYRING_WAIT_MS));
  g_dbus_connection_close_sync (connection, NULL, NULL);
}

void
antenna_test_bus_free (AntennaTestBus *self)
{
  if (self == NULL)
    return;

  stop_process (&self->keyring);
  stop_process (&self->bus);
  _antenna_test_track_dir (self->dir, FALSE);
  antenna_test_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->address);
  g_free (self);
}
