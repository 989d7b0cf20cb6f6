/* antenna-test-broker.c: real brokers for the tests
 *
 * mosquitto, or aedes under node for WebSockets, on free loopback ports,
 * from a config written into a temporary directory. The TLS files come from
 * antenna-test-certificates.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-broker"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "antenna-test-private.h"

#define START_TIMEOUT_S    30  /* a loaded 2-core machine is slow to start it */
#define START_TIMEOUT_US   (START_TIMEOUT_S * G_USEC_PER_SEC)
#define NODE_TIMEOUT_MS    45000
#define STOP_TIMEOUT_MS    5000
#define START_ATTEMPTS     8
#define TEST_USERNAME      "antenna-test"

/* Ports and logs --------------------------------------------------------- */

guint
_antenna_test_pick_free_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return 0;
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!g_socket_bind (socket, address, FALSE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* @n distinct free ports, each picked by binding port 0. */
gboolean
_antenna_test_pick_free_ports (guint   *ports,
                               guint    n,
                               GError **error)
{
  for (guint i = 0; i < n; i++)
    {
      gboolean again;

      do
        {
          ports[i] = _antenna_test_pick_free_port (error);
          if (ports[i] == 0)
            return FALSE;
          again = FALSE;
          for (guint j = 0; j < i; j++)
            again = again || ports[j] == ports[i];
        }
      while (again);
    }
  return TRUE;
}

gboolean
_antenna_test_port_accepts (guint port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, NULL);
  if (socket == NULL)
    return FALSE;
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!g_socket_connect (socket, address, NULL, NULL))
    return FALSE;
  g_socket_close (socket, NULL);
  return TRUE;
}

char *
_antenna_test_read_tail (const char *path,
                         gsize       max)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup ("(no log)");
  if (length > max)
    return g_strdup (contents + length - max);
  return g_steal_pointer (&contents);
}

/* Starting a broker's process ---------------------------------------- */

GSubprocess *
_antenna_test_spawn (AntennaTestBroker   *self,
                     const char          *output_file,
                     const char * const  *envp,
                     const char * const  *argv,
                     GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  GSubprocess *process;

  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_set_stdout_file_path (launcher, output_file);
  g_subprocess_launcher_set_stderr_file_path (launcher, output_file);
  /* no sanitized program of ours */
  g_subprocess_launcher_unsetenv (launcher, "LD_PRELOAD");
  for (guint i = 0; envp != NULL && envp[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, envp[i], envp[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process != NULL)
    _antenna_test_track_process (process, TRUE);
  return process;
}

gboolean
_antenna_test_wait_ready (AntennaTestBroker  *self,
                          GSubprocess       **process,
                          const char         *name,
                          const char         *ready,
                          const guint        *ports,
                          guint               n_ports,
                          guint               timeout_s,
                          const char         *output_file,
                          const char         *in_use,
                          gboolean           *address_in_use,
                          GError            **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  if (address_in_use != NULL)
    *address_in_use = FALSE;

  while (g_get_monotonic_time () < deadline && _antenna_test_process_running (*process))
    {
      g_autofree char *log = NULL;
      gboolean up = ready == NULL ||
                    (g_file_get_contents (self->log_file, &log, NULL, NULL) && strstr (log, ready) != NULL);

      for (guint i = 0; up && i < n_ports; i++)
        up = _antenna_test_port_accepts (ports[i]);
      if (up)
        return TRUE;
      g_usleep (ready != NULL ? 20000 : 5000);
    }

  {
    g_autofree char *log = _antenna_test_read_tail (self->log_file, 3000);
    g_autofree char *out = _antenna_test_read_tail (output_file, 2000);
    gboolean running = _antenna_test_process_running (*process);

    if (address_in_use != NULL)
      *address_in_use = strstr (log, in_use) != NULL || strstr (out, in_use) != NULL;
    _antenna_test_stop_process (*process, 0);
    g_clear_object (process);
    if (running)
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s did not start within %u seconds (port %u). Its log:\n%s\n%s",
                   name, timeout_s, ports[0], log, out);
    else
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s exited at start (port %u). Its log:\n%s\n%s", name, ports[0], log, out);
  }
  return FALSE;
}

/* mosquitto ------------------------------------------------------------ */

static gboolean
write_auth_files (AntennaTestBroker  *self,
                  GError            **error)
{
  g_autofree char *mosquitto_passwd = NULL;
  g_autofree char *passwd_file = g_build_filename (self->dir, "passwd", NULL);
  g_autofree char *acl_file = g_build_filename (self->dir, "acl", NULL);
  g_autofree char *acl = NULL;

  mosquitto_passwd = _antenna_test_find_tool ("mosquitto_passwd", "mosquitto", error);
  if (mosquitto_passwd == NULL)
    return FALSE;

  {
    const char *argv[] = {
      mosquitto_passwd, "-b", "-c", passwd_file, self->username, self->password, NULL
    };

    if (!_antenna_test_run_tool (argv, self->dir, error))
      return FALSE;
  }

  acl = g_strdup_printf ("user %s\n"
                         "topic deny forbidden\n"
                         "topic deny forbidden/#\n"
                         "topic readwrite #\n"
                         "topic read $SYS/#\n",
                         self->username);
  return g_file_set_contents (acl_file, acl, -1, error);
}

static gboolean
write_mosquitto_config (AntennaTestBroker  *self,
                        GError            **error)
{
  g_autoptr(GString) config = g_string_new ("# Written by tests/antenna-test-broker.c\n");
  gboolean tls = (self->flags & (ANTENNA_TEST_BROKER_TLS |
                                 ANTENNA_TEST_BROKER_TLS_WRONG_HOST |
                                 ANTENNA_TEST_BROKER_TLS_EXPIRED |
                                 ANTENNA_TEST_BROKER_TLS_CLIENT_CERT)) != 0;

  /* Without it mosquitto, started as root, drops to the user "mosquitto",
   * which cannot read the test's directory. */
  g_string_append_printf (config, "user %s\n", g_get_user_name ());
  g_string_append (config, "per_listener_settings false\n");
  g_string_append_printf (config, "log_dest file %s\n", self->log_file);
  g_string_append (config, "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
  g_string_append (config, "connection_messages true\n");
  /* Never drop a message of a flood, and take the largest packets MQTT has. */
  g_string_append (config, "max_queued_messages 1000000\n");
  g_string_append (config, "max_queued_bytes 0\n");
  g_string_append (config, "max_inflight_messages 0\n");
  g_string_append (config, "max_inflight_bytes 0\n");
  g_string_append (config, "max_packet_size 268435455\n");
  g_string_append (config, "set_tcp_nodelay true\n");

  if (self->flags & ANTENNA_TEST_BROKER_QUEUE_QOS0)
    g_string_append (config, "queue_qos0_messages true\n");

  if (self->flags & ANTENNA_TEST_BROKER_AUTH)
    {
      g_string_append (config, "allow_anonymous false\n");
      g_string_append_printf (config, "password_file %s/passwd\n", self->dir);
      g_string_append_printf (config, "acl_file %s/acl\n", self->dir);
    }
  else
    g_string_append (config, "allow_anonymous true\n");

  if (self->flags & ANTENNA_TEST_BROKER_PERSISTENCE)
    {
      g_string_append (config, "persistence true\n");
      g_string_append_printf (config, "persistence_location %s/\n", self->dir);
      g_string_append (config, "persistence_file mosquitto.db\n");
      g_string_append (config, "autosave_interval 1\n");
    }
  else
    g_string_append (config, "persistence false\n");

  if (self->extra_config != NULL)
    g_string_append_printf (config, "%s\n", self->extra_config);

  g_string_append_printf (config, "\nlistener %u 127.0.0.1\n", self->port);

  if (tls)
    {
      g_string_append_printf (config, "\nlistener %u 127.0.0.1\n", self->tls_port);
      g_string_append_printf (config, "cafile %s\n", self->ca_file);
      g_string_append_printf (config, "certfile %s\n", self->cert_file);
      g_string_append_printf (config, "keyfile %s\n", self->key_file);
      if (self->flags & ANTENNA_TEST_BROKER_TLS_CLIENT_CERT)
        g_string_append (config, "require_certificate true\n");
    }

  return g_file_set_contents (self->config_file, config->str, config->len, error);
}

static gboolean
spawn_mosquitto (AntennaTestBroker  *self,
                 gboolean           *address_in_use,
                 GError            **error)
{
  g_autofree char *mosquitto = NULL;
  g_autofree char *stderr_file = g_build_filename (self->dir, "mosquitto.stderr", NULL);
  guint ports[] = { self->port, self->tls_port };

  *address_in_use = FALSE;

  mosquitto = _antenna_test_find_tool ("mosquitto", "mosquitto", error);
  if (mosquitto == NULL)
    return FALSE;

  {
    const char *argv[] = { mosquitto, "-c", self->config_file, NULL };

    self->process = _antenna_test_spawn (self, stderr_file, NULL, argv, error);
  }
  return self->process != NULL &&
         _antenna_test_wait_ready (self, &self->process, "mosquitto", NULL, ports, self->tls_port != 0 ? 2 : 1,
                                   START_TIMEOUT_S, stderr_file, "Address already in use", address_in_use, error);
}

static gboolean
start_mosquitto (AntennaTestBroker  *self,
                 gboolean            same_ports,
                 GError            **error)
{
  gboolean tls = self->ca_file != NULL;
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_US;

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean address_in_use = FALSE;

      if (!same_ports)
        {
          self->port = _antenna_test_pick_free_port (error);
          if (self->port == 0)
            return FALSE;
          self->tls_port = 0;
          if (tls)
            {
              do
                self->tls_port = _antenna_test_pick_free_port (error);
              while (self->tls_port == self->port);
              if (self->tls_port == 0)
                return FALSE;
            }
          self->mqtt_port = self->port;
          if (!write_mosquitto_config (self, error))
            return FALSE;
        }

      if (spawn_mosquitto (self, &address_in_use, &local_error))
        return TRUE;

      /* Another process took the free port between our check and the
       * broker's bind: take new ones. On restart, wait for the old ones. */
      if (!address_in_use ||
          (same_ports && g_get_monotonic_time () > deadline) ||
          (!same_ports && attempt + 1 >= START_ATTEMPTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_usleep (same_ports ? 100000 : 1000);
    }
}

/* aedes under node ------------------------------------------------------ */

typedef struct
{
  gboolean  done;
  char     *line;
  GError   *error;
} LineRead;

static void
on_line_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                         result, NULL, &read->error);
  read->done = TRUE;
}

static gboolean
parse_ports (AntennaTestBroker  *self,
             const char         *line,
             GError            **error)
{
  g_autoptr(GRegex) regex = g_regex_new ("\"(mqtt|ws|wss)\":([0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  gboolean want_wss = self->ca_file != NULL;

  self->port = self->tls_port = self->mqtt_port = 0;
  g_regex_match (regex, line, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_autofree char *value = g_match_info_fetch (match, 2);
      guint port = (guint) g_ascii_strtoull (value, NULL, 10);

      if (g_str_equal (name, "mqtt"))
        self->mqtt_port = port;
      else if (g_str_equal (name, "ws"))
        self->port = port;
      else
        self->tls_port = port;
      g_match_info_next (match, NULL);
    }

  if (self->port == 0 || self->mqtt_port == 0 || (want_wss && self->tls_port == 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The WebSocket broker printed no ports but “%s”", line);
      return FALSE;
    }
  return TRUE;
}

static gboolean
spawn_node_broker (AntennaTestBroker  *self,
                   gboolean            same_ports,
                   GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autofree char *node = NULL;
  g_autofree char *script = NULL;
  g_autofree char *modules = NULL;
  g_autofree char *aedes = NULL;
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  LineRead read = { FALSE, NULL, NULL };
  gboolean timed_out = FALSE;
  gboolean ok;

  node = _antenna_test_find_tool ("node", "nodejs", error);
  if (node == NULL)
    return FALSE;
  if (srcdir == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "G_TEST_SRCDIR is not set: run the test with meson test, "
                   "which tells it where tests/ws-broker.js is");
      return FALSE;
    }
  script = g_build_filename (srcdir, "ws-broker.js", NULL);
  if (g_getenv ("ANTENNA_NODE_MODULES") != NULL)
    modules = g_strdup (g_getenv ("ANTENNA_NODE_MODULES"));
  else
    modules = g_build_filename (srcdir, "..", "build-aux", "node", "node_modules", NULL);
  aedes = g_build_filename (modules, "aedes", "package.json", NULL);
  if (!g_file_test (aedes, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The WebSocket test broker needs the npm packages of build-aux/node "
                   "in %s: run build-aux/deps --test", modules);
      return FALSE;
    }

  g_ptr_array_add (argv, g_strdup (node));
  g_ptr_array_add (argv, g_strdup (script));
  if (same_ports)
    {
      g_ptr_array_add (argv, g_strdup ("--mqtt-port"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", self->mqtt_port));
      g_ptr_array_add (argv, g_strdup ("--ws-port"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", self->port));
      if (self->tls_port != 0)
        {
          g_ptr_array_add (argv, g_strdup ("--wss-port"));
          g_ptr_array_add (argv, g_strdup_printf ("%u", self->tls_port));
        }
    }
  if (self->ca_file != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--tls"));
      g_ptr_array_add (argv, g_strdup ("--cert"));
      g_ptr_array_add (argv, g_strdup (self->cert_file));
      g_ptr_array_add (argv, g_strdup ("--key"));
      g_ptr_array_add (argv, g_strdup (self->key_file));
    }
  if (self->flags & ANTENNA_TEST_BROKER_AUTH)
    {
      g_ptr_array_add (argv, g_strdup ("--username"));
      g_ptr_array_add (argv, g_strdup (self->username));
      g_ptr_array_add (argv, g_strdup ("--password"));
      g_ptr_array_add (argv, g_strdup (self->password));
    }
  g_ptr_array_add (argv, NULL);

  /* stdin is a pipe the broker watches: it exits when we do. */
  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", modules, TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, self->log_file);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (self->process == NULL)
    return FALSE;
  _antenna_test_track_process (self->process, TRUE);

  /* Read the line with the ports on a private context, so that the test's
   * own sources do not run while the broker starts. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (output, G_PRIORITY_DEFAULT, NULL, on_line_read_cb, &read);
  timed_out = !_antenna_test_wait_on (context, _antenna_test_flag_is_set, &read.done, NODE_TIMEOUT_MS);
  if (timed_out)
    {
      /* Cancel nothing: kill the broker, which ends the read with EOF. */
      g_subprocess_force_exit (self->process);
      _antenna_test_wait_on (context, _antenna_test_flag_is_set, &read.done, G_MAXUINT);
    }
  g_main_context_pop_thread_default (context);

  ok = read.line != NULL && parse_ports (self, read.line, error);
  if (!ok)
    {
      g_autofree char *log = NULL;

      g_subprocess_force_exit (self->process);
      g_subprocess_wait (self->process, NULL, NULL);
      log = _antenna_test_read_tail (self->log_file, 2000);
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "The WebSocket broker (node %s) %s. Its log:\n%s", script,
                     timed_out ? "printed no ports within 45 seconds" : "exited at start",
                     log);
      _antenna_test_track_process (self->process, FALSE);
      g_clear_object (&self->process);
    }
  g_clear_error (&read.error);
  g_free (read.line);
  return ok;
}

static gboolean
start_node_broker (AntennaTestBroker  *self,
                   gboolean            same_ports,
                   GError            **error)
{
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_US;

  /* node binds its own free ports; on restart the old ports may take a
   * moment to be free again. */
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      if (spawn_node_broker (self, same_ports, &local_error))
        return TRUE;
      if (!same_ports || g_get_monotonic_time () > deadline ||
          strstr (local_error->message, "EADDRINUSE") == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_usleep (100000);
    }
}

/* Public API ------------------------------------------------------------ */

/* A test that aborts leaves its broker directories behind: the next test
 * program removes those whose process is gone. */
static void
remove_stale_dirs (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GDir) tmp = g_dir_open (g_get_tmp_dir (), 0, NULL);
      const char *name;

      while (tmp != NULL && (name = g_dir_read_name (tmp)) != NULL)
        {
          g_autofree char *proc = NULL;
          g_autofree char *path = NULL;
          char *end = NULL;
          gint64 pid;

          if (!g_str_has_prefix (name, "antenna-broker-"))
            continue;
          pid = g_ascii_strtoll (name + strlen ("antenna-broker-"), &end, 10);
          if (pid <= 0 || end == NULL || *end != '-')
            continue;
          proc = g_strdup_printf ("/proc/%" G_GINT64_FORMAT, pid);
          if (g_file_test (proc, G_FILE_TEST_EXISTS))
            continue;
          path = g_build_filename (g_get_tmp_dir (), name, NULL);
          if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
            antenna_test_remove_tree (path);
        }
      g_once_init_leave (&done, 1);
    }
}

AntennaTestBroker *
antenna_test_broker_start (AntennaTestBrokerFlags   flags,
                           GError                 **error)
{
  return antenna_test_broker_start_with_config (flags, NULL, error);
}

AntennaTestBroker *
antenna_test_broker_start_with_config (AntennaTestBrokerFlags   flags,
                                       const char              *extra_config,
                                       GError                 **error)
{
  g_autoptr(AntennaTestBroker) self = g_new0 (AntennaTestBroker, 1);
  g_autoptr(GError) local_error = NULL;
  gboolean websocket = (flags & ANTENNA_TEST_BROKER_WEBSOCKET) != 0;
  gboolean server = (flags & (ANTENNA_TEST_BROKER_RABBITMQ | ANTENNA_TEST_BROKER_ACTIVEMQ)) != 0;

  self->extra_config = g_strdup (extra_config);

  if (websocket && (flags & (ANTENNA_TEST_BROKER_PERSISTENCE |
                             ANTENNA_TEST_BROKER_TLS_CLIENT_CERT |
                             ANTENNA_TEST_BROKER_QUEUE_QOS0)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "The WebSocket test broker (aedes) keeps no persistence, "
                           "asks for no client certificate and has no QoS 0 queueing option");
      return NULL;
    }
  if (server && (flags & ~(ANTENNA_TEST_BROKER_RABBITMQ | ANTENNA_TEST_BROKER_ACTIVEMQ |
                           ANTENNA_TEST_BROKER_AUTH)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "The RabbitMQ and ActiveMQ test brokers take no other flag");
      return NULL;
    }

  remove_stale_dirs ();

  self->flags = flags;
  {
    g_autofree char *template = g_strdup_printf ("antenna-broker-%d-XXXXXX", (int) getpid ());

    self->dir = g_dir_make_tmp (template, error);
  }
  if (self->dir == NULL)
    return NULL;
  self->config_file = g_build_filename (self->dir, "mosquitto.conf", NULL);
  self->log_file = g_build_filename (self->dir, websocket ? "ws-broker.log" : "mosquitto.log", NULL);

  {
    g_autofree char *random = g_uuid_string_random ();

    /* A new password for every broker, so a test can look for it in files. */
    self->username = g_strdup (TEST_USERNAME);
    self->password = g_strdup_printf ("pw-%.8s-ü", random);
  }

  if (flags & (ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_WRONG_HOST |
               ANTENNA_TEST_BROKER_TLS_EXPIRED | ANTENNA_TEST_BROKER_TLS_CLIENT_CERT))
    {
      if (!_antenna_test_make_certificates (self, error))
        return NULL;
    }

  if (flags & ANTENNA_TEST_BROKER_RABBITMQ)
    {
      if (!_antenna_test_start_rabbitmq (self, error))
        return NULL;
    }
  else if (flags & ANTENNA_TEST_BROKER_ACTIVEMQ)
    {
      if (!_antenna_test_start_activemq (self, error))
        return NULL;
    }
  else if (websocket)
    {
      if (!start_node_broker (self, FALSE, error))
        return NULL;
    }
  else
    {
      if ((flags & ANTENNA_TEST_BROKER_AUTH) && !write_auth_files (self, error))
        return NULL;
      if (!start_mosquitto (self, FALSE, error))
        return NULL;
    }

  _antenna_test_track_dir (self->dir, TRUE);

  g_debug ("Broker up in %s: port %u, TLS port %u, MQTT port %u",
           self->dir, self->port, self->tls_port, self->mqtt_port);
  return g_steal_pointer (&self);
}

/* Brokers shared by the tests of a program: flags → SharedBroker. */
typedef struct
{
  AntennaTestBroker *broker;
  GError            *error;   /* why it did not start */
} SharedBroker;

static GHashTable *shared_brokers;

static void
shared_broker_free (SharedBroker *shared)
{
  g_clear_pointer (&shared->broker, antenna_test_broker_free);
  g_clear_error (&shared->error);
  g_free (shared);
}

AntennaTestBroker *
antenna_test_broker_get_shared (AntennaTestBrokerFlags flags)
{
  SharedBroker *shared;

  if (shared_brokers == NULL)
    shared_brokers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) shared_broker_free);

  shared = g_hash_table_lookup (shared_brokers, GUINT_TO_POINTER (flags));
  if (shared == NULL)
    {
      gint64 start = g_get_monotonic_time ();

      shared = g_new0 (SharedBroker, 1);
      shared->broker = antenna_test_broker_start (flags, &shared->error);
      g_hash_table_insert (shared_brokers, GUINT_TO_POINTER (flags), shared);
      if (shared->broker != NULL)
        g_test_message ("shared broker (flags 0x%x) started in %.1f s", flags,
                        (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
    }

  if (shared->broker != NULL)
    return shared->broker;

  if (g_error_matches (shared->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
      g_strcmp0 (g_getenv ("ANTENNA_TEST_REQUIRE_BROKERS"), "1") != 0)
    g_test_skip (shared->error->message);
  else
    g_test_fail_printf ("Cannot start the test broker: %s", shared->error->message);
  return NULL;
}

void
_antenna_test_free_shared_brokers (void)
{
  g_clear_pointer (&shared_brokers, g_hash_table_unref);
}

AntennaTestBroker *
antenna_test_broker_new (AntennaTestBrokerFlags flags)
{
  g_autoptr(GError) error = NULL;
  AntennaTestBroker *self = antenna_test_broker_start (flags, &error);

  if (self == NULL)
    g_error ("Cannot start the test broker: %s", error->message);
  return self;
}

void
_antenna_test_stop_process (GSubprocess *process,
                            guint        timeout_ms)
{
  gint64 deadline;

  if (_antenna_test_process_running (process))
    {
      g_subprocess_send_signal (process, timeout_ms > 0 ? SIGTERM : SIGKILL);
      /* A stopped process gets the SIGTERM once it continues. */
      g_subprocess_send_signal (process, SIGCONT);
      deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
      while (_antenna_test_process_running (process) && g_get_monotonic_time () < deadline)
        g_usleep (2000);
      if (_antenna_test_process_running (process))
        g_subprocess_force_exit (process);
    }
  g_subprocess_wait (process, NULL, NULL);
  _antenna_test_track_process (process, FALSE);
}

/* The broker, then its helper. RabbitMQ and ActiveMQ are killed: their
 * orderly shutdown takes seconds, for data that is thrown away. */
static void
stop_processes (AntennaTestBroker *self)
{
  guint timeout_ms = (self->flags & (ANTENNA_TEST_BROKER_RABBITMQ | ANTENNA_TEST_BROKER_ACTIVEMQ)) ?
                     0 : STOP_TIMEOUT_MS;

  if (self->process != NULL)
    {
      _antenna_test_stop_process (self->process, timeout_ms);
      g_clear_object (&self->process);
    }
  if (self->helper != NULL)
    {
      _antenna_test_stop_process (self->helper, 0);
      g_clear_object (&self->helper);
    }
}

void
antenna_test_broker_free (AntennaTestBroker *self)
{
  if (self == NULL)
    return;

  stop_processes (self);

  if (self->dir != NULL)
    {
      _antenna_test_track_dir (self->dir, FALSE);
      if (g_getenv ("ANTENNA_TEST_KEEP_BROKER_DIR") == NULL)
        antenna_test_remove_tree (self->dir);
    }

  g_free (self->dir);
  g_free (self->config_file);
  g_free (self->log_file);
  g_free (self->ca_file);
  g_free (self->other_ca_file);
  g_free (self->cert_file);
  g_free (self->key_file);
  g_free (self->client_cert_file);
  g_free (self->client_key_file);
  g_free (self->username);
  g_free (self->password);
  g_free (self->extra_config);
  g_free (self);
}

guint
antenna_test_broker_get_port (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

guint
antenna_test_broker_get_tls_port (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tls_port;
}

guint
antenna_test_broker_get_mqtt_port (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->mqtt_port;
}

const char *
antenna_test_broker_get_ca_file (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ca_file;
}

const char *
antenna_test_broker_get_other_ca_file (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->other_ca_file;
}

const char *
antenna_test_broker_get_client_cert_file (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->client_cert_file;
}

const char *
antenna_test_broker_get_client_key_file (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->client_key_file;
}

void
antenna_test_broker_write_encrypted_client_key (AntennaTestBroker *self,
                                                const char        *passphrase,
                                                const char        *path)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_return_if_fail (self != NULL && self->client_key_file != NULL);

  /* The passphrase goes to openssl through its environment, not its arguments. */
  g_subprocess_launcher_setenv (launcher, "ANTENNA_TEST_PASSPHRASE", passphrase, TRUE);
  openssl = g_subprocess_launcher_spawn (launcher, &error, "openssl", "pkey",
                                         "-in", self->client_key_file, "-out", path,
                                         "-aes256", "-passout", "env:ANTENNA_TEST_PASSPHRASE", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (openssl, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (openssl))
    g_error ("openssl pkey failed: %s", out);
}

static gboolean
has_user (AntennaTestBroker *self)
{
  return (self->flags & (ANTENNA_TEST_BROKER_AUTH | ANTENNA_TEST_BROKER_RABBITMQ |
                         ANTENNA_TEST_BROKER_ACTIVEMQ)) != 0;
}

const char *
antenna_test_broker_get_username (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return has_user (self) ? self->username : NULL;
}

const char *
antenna_test_broker_get_password (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return has_user (self) ? self->password : NULL;
}

guint
antenna_test_broker_get_ws_port (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, 0);
  if (self->flags & ANTENNA_TEST_BROKER_WEBSOCKET)
    return self->port;
  return self->ws_port;
}

const char *
antenna_test_broker_get_ws_path (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (self->flags & ANTENNA_TEST_BROKER_WEBSOCKET)
    return "/mqtt";
  if (self->flags & ANTENNA_TEST_BROKER_RABBITMQ)
    return "/ws";
  return NULL;
}

const char *
antenna_test_broker_get_dir (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dir;
}

char *
antenna_test_broker_get_log (AntennaTestBroker *self)
{
  char *contents = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  if (!g_file_get_contents (self->log_file, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

void
antenna_test_broker_stop (AntennaTestBroker *self)
{
  g_return_if_fail (self != NULL);

  stop_processes (self);
}

/* The state letter of /proc/PID/stat ("T": stopped by a signal). */
static char
process_state (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return '?';
  /* After the command's name, which may hold spaces and parentheses. */
  end = strrchr (stat, ')');
  return end != NULL && end[1] == ' ' ? end[2] : '?';
}

static void
wait_stopped (GSubprocess *process)
{
  for (guint i = 0; i < 5000 && process_state (process) != 'T'; i++)
    g_usleep (1000);
  g_assert_cmpint (process_state (process), ==, 'T');
}

void
antenna_test_broker_signal (AntennaTestBroker *self,
                            int                signum)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->process != NULL);

  g_subprocess_send_signal (self->process, signum);
  /* kill() returns before a stop takes effect: on a busy machine the
   * broker could still answer for a few milliseconds. A test that stops it
   * means stopped now. */
  if (signum == SIGSTOP)
    wait_stopped (self->process);
  if (signum == SIGKILL)
    {
      g_subprocess_wait (self->process, NULL, NULL);
      _antenna_test_track_process (self->process, FALSE);
      g_clear_object (&self->process);
    }
}

void
antenna_test_broker_restart (AntennaTestBroker *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!(self->flags & (ANTENNA_TEST_BROKER_RABBITMQ | ANTENNA_TEST_BROKER_ACTIVEMQ)));

  antenna_test_broker_stop (self);
  if (self->flags & ANTENNA_TEST_BROKER_WEBSOCKET)
    ok = start_node_broker (self, TRUE, &error);
  else
    ok = start_mosquitto (self, TRUE, &error);
  if (!ok)
    g_error ("Cannot restart the test broker: %s", error->message);
}

/* Where no broker answers ----------------------------------------------- */

guint
antenna_test_closed_port (void)
{
  g_autoptr(GError) error = NULL;
  /* _antenna_test_pick_free_port() closes its socket: nobody listens there. */
  guint port = _antenna_test_pick_free_port (&error);

  g_assert_no_error (error);
  return port;
}

GSocket *
antenna_test_silent_listener_new (guint *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (port != NULL, NULL);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  /* Listens, so that the kernel completes the TCP handshake; never accepts. */
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return g_steal_pointer (&socket);
}
