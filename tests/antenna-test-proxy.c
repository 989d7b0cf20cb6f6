/* antenna-test-proxy.c: tinyproxy for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-proxy"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "antenna-test-private.h"
#include "antenna-test-proxy.h"

#define START_TIMEOUT_US   (30 * G_USEC_PER_SEC)
#define START_ATTEMPTS     8
#define STOP_TIMEOUT_MS    5000

struct _AntennaTestProxy
{
  char        *dir;
  char        *config_file;
  char        *log_file;
  GSubprocess *process;
  guint        port;
};

static gboolean
write_config (AntennaTestProxy  *self,
              const guint       *connect_ports,
              const char        *username,
              const char        *password,
              GError           **error)
{
  g_autoptr(GString) config = g_string_new ("# Written by tests/antenna-test-proxy.c\n");

  g_string_append_printf (config,
                          "Port %u\n"
                          "Listen 127.0.0.1\n"
                          "Timeout 60\n"
                          "LogFile \"%s\"\n"
                          "LogLevel Info\n"
                          "MaxClients 100\n"
                          "Allow 127.0.0.1\n",
                          self->port, self->log_file);
  for (guint i = 0; connect_ports != NULL && connect_ports[i] != 0; i++)
    g_string_append_printf (config, "ConnectPort %u\n", connect_ports[i]);
  if (username != NULL)
    g_string_append_printf (config, "BasicAuth %s %s\n", username, password);

  return g_file_set_contents (self->config_file, config->str, config->len, error);
}

/* TRUE once it accepts connections; FALSE with @address_in_use when another
 * process took the port first. */
static gboolean
spawn (AntennaTestProxy  *self,
       gboolean          *address_in_use,
       GError           **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *tinyproxy = NULL;
  g_autofree char *stderr_file = g_build_filename (self->dir, "tinyproxy.stderr", NULL);
  gint64 deadline;

  *address_in_use = FALSE;

  tinyproxy = _antenna_test_find_tool ("tinyproxy", "tinyproxy", error);
  if (tinyproxy == NULL)
    return FALSE;

  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_set_stdout_file_path (launcher, stderr_file);
  g_subprocess_launcher_set_stderr_file_path (launcher, stderr_file);
  /* -d: in the foreground, so that it is ours to stop. */
  self->process = g_subprocess_launcher_spawn (launcher, error, tinyproxy, "-d", "-c", self->config_file, NULL);
  if (self->process == NULL)
    return FALSE;
  _antenna_test_track_process (self->process, TRUE);

  deadline = g_get_monotonic_time () + START_TIMEOUT_US;
  while (g_get_monotonic_time () < deadline && _antenna_test_process_running (self->process))
    {
      if (_antenna_test_port_accepts (self->port))
        return TRUE;
      g_usleep (5000);
    }

  {
    g_autofree char *log = NULL;
    g_autofree char *err = NULL;
    g_autofree char *config = NULL;

    g_file_get_contents (self->log_file, &log, NULL, NULL);
    g_file_get_contents (stderr_file, &err, NULL, NULL);
    *address_in_use = (log != NULL && strstr (log, "in use") != NULL) ||
                      (err != NULL && strstr (err, "in use") != NULL);
    g_subprocess_force_exit (self->process);
    g_subprocess_wait (self->process, NULL, NULL);
    _antenna_test_track_process (self->process, FALSE);
    g_clear_object (&self->process);

    g_file_get_contents (self->config_file, &config, NULL, NULL);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "tinyproxy did not accept connections on 127.0.0.1:%u. Its log:\n%s\n%s\nIts config:\n%s",
                 self->port, log != NULL ? log : "", err != NULL ? err : "", config != NULL ? config : "");
  }
  return FALSE;
}

AntennaTestProxy *
antenna_test_proxy_new (const guint *connect_ports,
                        const char  *username,
                        const char  *password)
{
  AntennaTestProxy *self = g_new0 (AntennaTestProxy, 1);
  g_autoptr(GError) error = NULL;

  g_assert ((username == NULL) == (password == NULL));

  self->dir = g_dir_make_tmp ("antenna-test-proxy-XXXXXX", &error);
  g_assert_no_error (error);
  _antenna_test_track_dir (self->dir, TRUE);
  self->config_file = g_build_filename (self->dir, "tinyproxy.conf", NULL);
  self->log_file = g_build_filename (self->dir, "tinyproxy.log", NULL);

  for (guint attempt = 0; ; attempt++)
    {
      gboolean address_in_use = FALSE;

      g_clear_error (&error);
      self->port = _antenna_test_pick_free_port (&error);
      g_assert_no_error (error);
      if (!write_config (self, connect_ports, username, password, &error))
        g_error ("Cannot write the proxy's config: %s", error->message);
      if (spawn (self, &address_in_use, &error))
        break;
      if (!address_in_use || attempt + 1 >= START_ATTEMPTS)
        g_error ("Cannot start the test proxy: %s", error->message);
    }

  return self;
}

static void
on_proxy_exited_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *exited = TRUE;
}

void
antenna_test_proxy_free (AntennaTestProxy *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      gboolean exited = FALSE;

      /* tinyproxy sometimes misses a SIGTERM that comes as it starts (the
       * sanitized suite once waited for it for ever): then SIGKILL. */
      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait_async (self->process, NULL, on_proxy_exited_cb, &exited);
      if (!antenna_test_wait_for (&exited, STOP_TIMEOUT_MS))
        {
          g_subprocess_force_exit (self->process);
          antenna_test_wait_for (&exited, G_MAXINT);
        }
      _antenna_test_track_process (self->process, FALSE);
      g_clear_object (&self->process);
    }
  _antenna_test_track_dir (self->dir, FALSE);
  antenna_test_remove_tree (self->dir);

  g_free (self->dir);
  g_free (self->config_file);
  g_free (self->log_file);
  g_free (self);
}

guint
antenna_test_proxy_get_port (AntennaTestProxy *self)
{
  return self->port;
}

char *
antenna_test_proxy_dup_url (AntennaTestProxy *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

char *
antenna_test_proxy_get_log (AntennaTestProxy *self)
{
  char *log = NULL;

  if (!g_file_get_contents (self->log_file, &log, NULL, NULL))
    return g_strdup ("");
  return log;
}

guint
antenna_test_proxy_count_connects (AntennaTestProxy *self,
                                   guint             port)
{
  g_autofree char *log = antenna_test_proxy_get_log (self);
  g_autofree char *request = g_strdup_printf ("CONNECT 127.0.0.1:%u ", port);

  return antenna_test_count_in (log, request);
}
