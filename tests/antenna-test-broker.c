/* antenna-test-broker.c: real brokers and reference clients for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-broker"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "antenna-test-broker.h"

#define START_TIMEOUT_US   (30 * G_USEC_PER_SEC)  /* a loaded 2-core machine is slow to start it */
#define NODE_TIMEOUT_MS    45000
#define SUB_TIMEOUT_MS     10000
#define PUB_TIMEOUT_MS     120000
#define STOP_TIMEOUT_US    (5 * G_USEC_PER_SEC)
#define START_ATTEMPTS     8
#define TEST_USERNAME      "antenna-test"

struct _AntennaTestBroker
{
  AntennaTestBrokerFlags  flags;
  char                   *dir;
  char                   *config_file;
  char                   *log_file;
  GSubprocess            *process;
  guint                   port;
  guint                   tls_port;
  guint                   mqtt_port;
  char                   *ca_file;
  char                   *other_ca_file;
  char                   *cert_file;
  char                   *key_file;
  char                   *client_cert_file;
  char                   *client_key_file;
  char                   *username;
  char                   *password;
  guint                   n_payload_files;
  char                   *extra_config;
};

typedef struct
{
  char       *topic;
  GBytes     *payload;
  gboolean    retain;
  char       *properties;
  GHashTable *property_table;
} SubMessage;

struct _AntennaTestSub
{
  GSubprocess      *process;
  GDataInputStream *output;
  GCancellable     *cancellable;
  GMainContext     *context;
  GPtrArray        *messages;
  char             *pending_properties;
  SubMessage       *pending;
  guint64           pending_length;
  struct _PayloadRead *payload_read;
  GString          *other_output;
  int               granted_qos;
  gboolean          subscribed;
  gboolean          eof;
};

/* Everything started and not yet freed, so that it can be killed when the
 * test program exits without freeing it. An abort is covered by
 * PR_SET_PDEATHSIG in the children. */
G_LOCK_DEFINE_STATIC (live);
static GList *live_processes;
static GList *live_dirs;
static gboolean atexit_registered;

static void remove_tree (const char *path);

static void
kill_live_at_exit (void)
{
  G_LOCK (live);
  for (GList *l = live_processes; l != NULL; l = l->next)
    {
      g_subprocess_force_exit (l->data);
      g_subprocess_wait (l->data, NULL, NULL);
    }
  for (GList *l = live_dirs; l != NULL; l = l->next)
    if (g_getenv ("ANTENNA_TEST_KEEP_BROKER_DIR") == NULL)
      remove_tree (l->data);
  G_UNLOCK (live);
}

static void
track_process (GSubprocess *process,
               gboolean     add)
{
  G_LOCK (live);
  if (!atexit_registered)
    {
      atexit (kill_live_at_exit);
      atexit_registered = TRUE;
    }
  if (add)
    live_processes = g_list_prepend (live_processes, g_object_ref (process));
  else
    {
      GList *link = g_list_find (live_processes, process);

      if (link != NULL)
        {
          g_object_unref (link->data);
          live_processes = g_list_delete_link (live_processes, link);
        }
    }
  G_UNLOCK (live);
}

static void
child_setup (gpointer user_data)
{
  /* Dies with the test, even when the test aborts. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* The test may have died between fork and prctl. */
  if (getppid () != (pid_t) GPOINTER_TO_INT (user_data))
    _exit (1);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup,
                                         GINT_TO_POINTER ((int) getpid ()), NULL);
  /* Paho and libmosquitto both honour proxies; tests talk to loopback only. */
  g_subprocess_launcher_unsetenv (launcher, "http_proxy");
  g_subprocess_launcher_unsetenv (launcher, "https_proxy");
  g_subprocess_launcher_unsetenv (launcher, "all_proxy");
  return launcher;
}

GSubprocessLauncher *
antenna_test_launcher_new (GSubprocessFlags flags)
{
  return new_launcher (flags);
}

static char *
find_tool (const char  *name,
           const char  *package,
           GError     **error)
{
  char *path = g_find_program_in_path (name);

  if (path == NULL)
    {
      /* mosquitto lives in /usr/sbin, which a normal user's PATH lacks. */
      g_autofree char *sbin = g_build_filename ("/usr/sbin", name, NULL);

      if (g_file_test (sbin, G_FILE_TEST_IS_EXECUTABLE))
        path = g_steal_pointer (&sbin);
    }
  if (path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "%s is not installed: install the Debian package %s "
                 "(build-aux/deps --test does it)", name, package);
  return path;
}

/* Runs a tool to its end; on failure the error carries its output. */
static gboolean
run_tool (const char * const  *argv,
          const char          *cwd,
          GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = NULL;

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s failed: %s", argv[0], output != NULL ? output : "");
      return FALSE;
    }
  return TRUE;
}

static guint
pick_free_port (GError **error)
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

static gboolean
port_accepts (guint port)
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

static char *
read_tail (const char *path,
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

static gboolean
process_running (GSubprocess *process)
{
  /* GSubprocess reaps its child on GLib's worker thread: the identifier
   * turns NULL once the process has ended, with no main loop needed. */
  return process != NULL && g_subprocess_get_identifier (process) != NULL;
}

/* Certificates --------------------------------------------------------- */

static gboolean
make_ca (const char  *openssl,
         const char  *dir,
         const char  *name,
         const char  *common_name,
         GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = g_strconcat (name, ".crt", NULL);
  g_autofree char *subject = g_strconcat ("/CN=", common_name, NULL);
  const char *argv[] = {
    openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", cert, "-days", "3650", "-subj", subject,
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    NULL
  };

  return run_tool (argv, dir, error);
}

static gboolean
make_signed (const char  *openssl,
             const char  *dir,
             const char  *name,
             const char  *common_name,
             const char  *extensions,
             gboolean     expired,
             GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *cert = g_strconcat (name, ".crt", NULL);
  g_autofree char *subject = g_strconcat ("/CN=", common_name, NULL);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *req_argv[] = {
    openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", csr, "-subj", subject, NULL
  };
  const char *ca_argv[20];
  int i = 0;

  if (!run_tool (req_argv, dir, error))
    return FALSE;

  if (expired)
    {
      g_autoptr(GDateTime) before = g_date_time_add_days (now, -30);
      g_autoptr(GDateTime) after = g_date_time_add_days (now, -1);

      start = g_date_time_format (before, "%Y%m%d%H%M%SZ");
      end = g_date_time_format (after, "%Y%m%d%H%M%SZ");
    }
  else
    {
      /* A day back, so that a clock a little behind still accepts it. */
      g_autoptr(GDateTime) before = g_date_time_add_days (now, -1);
      g_autoptr(GDateTime) after = g_date_time_add_days (now, 3650);

      start = g_date_time_format (before, "%Y%m%d%H%M%SZ");
      end = g_date_time_format (after, "%Y%m%d%H%M%SZ");
    }

  /* openssl x509 -req cannot date a certificate in the past (OpenSSL 3.0):
   * openssl ca can, with a minimal configuration in ca.cnf. */
  ca_argv[i++] = openssl;
  ca_argv[i++] = "ca";
  ca_argv[i++] = "-batch";
  ca_argv[i++] = "-notext";
  ca_argv[i++] = "-config";
  ca_argv[i++] = "ca.cnf";
  ca_argv[i++] = "-extensions";
  ca_argv[i++] = extensions;
  ca_argv[i++] = "-startdate";
  ca_argv[i++] = start;
  ca_argv[i++] = "-enddate";
  ca_argv[i++] = end;
  ca_argv[i++] = "-in";
  ca_argv[i++] = csr;
  ca_argv[i++] = "-out";
  ca_argv[i++] = cert;
  ca_argv[i++] = NULL;
  g_assert (i <= (int) G_N_ELEMENTS (ca_argv));

  return run_tool (ca_argv, dir, error);
}

static gboolean
make_certificates (AntennaTestBroker  *self,
                   GError            **error)
{
  g_autofree char *openssl = NULL;
  g_autofree char *ca_dir = NULL;
  g_autofree char *cnf = NULL;
  g_autofree char *newcerts = NULL;
  const char *server_san;

  openssl = find_tool ("openssl", "openssl", error);
  if (openssl == NULL)
    return FALSE;

  ca_dir = g_build_filename (self->dir, "tls", NULL);
  newcerts = g_build_filename (ca_dir, "newcerts", NULL);
  if (g_mkdir_with_parents (newcerts, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Cannot create %s: %s", newcerts, g_strerror (errno));
      return FALSE;
    }

  if (self->flags & ANTENNA_TEST_BROKER_TLS_WRONG_HOST)
    server_san = "DNS:wrong.example";
  else
    server_san = "IP:127.0.0.1,DNS:localhost";

  cnf = g_strdup_printf ("[ ca ]\n"
                         "default_ca = test_ca\n"
                         "[ test_ca ]\n"
                         "dir = .\n"
                         "certificate = ca.crt\n"
                         "private_key = ca.key\n"
                         "database = index.txt\n"
                         "new_certs_dir = newcerts\n"
                         "serial = serial\n"
                         "default_md = sha256\n"
                         "policy = policy_any\n"
                         "unique_subject = no\n"
                         "email_in_dn = no\n"
                         "[ policy_any ]\n"
                         "commonName = supplied\n"
                         "[ server_ext ]\n"
                         "basicConstraints = critical, CA:FALSE\n"
                         "keyUsage = critical, digitalSignature, keyEncipherment\n"
                         "extendedKeyUsage = serverAuth\n"
                         "subjectAltName = %s\n"
                         "[ client_ext ]\n"
                         "basicConstraints = critical, CA:FALSE\n"
                         "keyUsage = critical, digitalSignature, keyEncipherment\n"
                         "extendedKeyUsage = clientAuth\n",
                         server_san);

  {
    g_autofree char *cnf_path = g_build_filename (ca_dir, "ca.cnf", NULL);
    g_autofree char *index_path = g_build_filename (ca_dir, "index.txt", NULL);
    g_autofree char *serial_path = g_build_filename (ca_dir, "serial", NULL);

    if (!g_file_set_contents (cnf_path, cnf, -1, error) ||
        !g_file_set_contents (index_path, "", 0, error) ||
        !g_file_set_contents (serial_path, "1000\n", -1, error))
      return FALSE;
  }

  if (!make_ca (openssl, ca_dir, "ca", "Antenna Test CA", error) ||
      !make_ca (openssl, ca_dir, "other-ca", "Antenna Unrelated Test CA", error))
    return FALSE;

  if (!make_signed (openssl, ca_dir, "server",
                    (self->flags & ANTENNA_TEST_BROKER_TLS_WRONG_HOST) ? "wrong.example" : "localhost",
                    "server_ext",
                    (self->flags & ANTENNA_TEST_BROKER_TLS_EXPIRED) != 0,
                    error))
    return FALSE;

  if (!make_signed (openssl, ca_dir, "client", "antenna-test-client",
                    "client_ext", FALSE, error))
    return FALSE;

  self->ca_file = g_build_filename (ca_dir, "ca.crt", NULL);
  self->other_ca_file = g_build_filename (ca_dir, "other-ca.crt", NULL);
  self->cert_file = g_build_filename (ca_dir, "server.crt", NULL);
  self->key_file = g_build_filename (ca_dir, "server.key", NULL);
  self->client_cert_file = g_build_filename (ca_dir, "client.crt", NULL);
  self->client_key_file = g_build_filename (ca_dir, "client.key", NULL);
  return TRUE;
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

  mosquitto_passwd = find_tool ("mosquitto_passwd", "mosquitto", error);
  if (mosquitto_passwd == NULL)
    return FALSE;

  {
    const char *argv[] = {
      mosquitto_passwd, "-b", "-c", passwd_file, self->username, self->password, NULL
    };

    if (!run_tool (argv, self->dir, error))
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
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *mosquitto = NULL;
  g_autofree char *stderr_file = g_build_filename (self->dir, "mosquitto.stderr", NULL);
  gboolean tls = self->tls_port != 0;
  gint64 deadline;

  *address_in_use = FALSE;

  mosquitto = find_tool ("mosquitto", "mosquitto", error);
  if (mosquitto == NULL)
    return FALSE;

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_set_stdout_file_path (launcher, stderr_file);
  g_subprocess_launcher_set_stderr_file_path (launcher, stderr_file);
  self->process = g_subprocess_launcher_spawn (launcher, error, mosquitto, "-c",
                                               self->config_file, NULL);
  if (self->process == NULL)
    return FALSE;
  track_process (self->process, TRUE);

  deadline = g_get_monotonic_time () + START_TIMEOUT_US;
  while (g_get_monotonic_time () < deadline)
    {
      if (!process_running (self->process))
        break;
      if (port_accepts (self->port) && (!tls || port_accepts (self->tls_port)))
        return TRUE;
      g_usleep (5000);
    }

  {
    g_autofree char *log = read_tail (self->log_file, 2000);
    g_autofree char *err = read_tail (stderr_file, 2000);
    gboolean running = process_running (self->process);

    *address_in_use = strstr (log, "Address already in use") != NULL ||
                      strstr (err, "Address already in use") != NULL;
    g_subprocess_force_exit (self->process);
    g_subprocess_wait (self->process, NULL, NULL);
    track_process (self->process, FALSE);
    g_clear_object (&self->process);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "mosquitto %s on 127.0.0.1:%u. Its log:\n%s\n%s",
                 running ? "did not accept connections within 30 seconds"
                         : "exited at start",
                 self->port, log, err);
  }
  return FALSE;
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
          self->port = pick_free_port (error);
          if (self->port == 0)
            return FALSE;
          self->tls_port = 0;
          if (tls)
            {
              do
                self->tls_port = pick_free_port (error);
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
on_flag_timeout_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
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
  g_autoptr(GSource) timeout = NULL;
  g_autofree char *node = NULL;
  g_autofree char *script = NULL;
  g_autofree char *modules = NULL;
  g_autofree char *aedes = NULL;
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  LineRead read = { FALSE, NULL, NULL };
  gboolean timed_out = FALSE;
  gboolean ok;

  node = find_tool ("node", "nodejs", error);
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
  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", modules, TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, self->log_file);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (self->process == NULL)
    return FALSE;
  track_process (self->process, TRUE);

  /* Read the line with the ports on a private context, so that the test's
   * own sources do not run while the broker starts. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (output, G_PRIORITY_DEFAULT, NULL, on_line_read_cb, &read);
  timeout = g_timeout_source_new (NODE_TIMEOUT_MS);
  g_source_set_callback (timeout, on_flag_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!read.done && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (!read.done)
    {
      /* Cancel nothing: kill the broker, which ends the read with EOF. */
      g_subprocess_force_exit (self->process);
      while (!read.done)
        g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);

  ok = read.line != NULL && parse_ports (self, read.line, error);
  if (!ok)
    {
      g_autofree char *log = NULL;

      g_subprocess_force_exit (self->process);
      g_subprocess_wait (self->process, NULL, NULL);
      log = read_tail (self->log_file, 2000);
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "The WebSocket broker (node %s) %s. Its log:\n%s", script,
                     timed_out ? "printed no ports within 45 seconds" : "exited at start",
                     log);
      track_process (self->process, FALSE);
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

/* Public API: brokers --------------------------------------------------- */

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
            remove_tree (path);
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
      if (!make_certificates (self, error))
        return NULL;
    }

  if (websocket)
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

  G_LOCK (live);
  live_dirs = g_list_prepend (live_dirs, self->dir);
  G_UNLOCK (live);

  g_debug ("Broker up in %s: port %u, TLS port %u, MQTT port %u",
           self->dir, self->port, self->tls_port, self->mqtt_port);
  return g_steal_pointer (&self);
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

static void
stop_process (GSubprocess *process)
{
  gint64 deadline;

  if (process_running (process))
    {
      g_subprocess_send_signal (process, SIGTERM);
      /* A stopped process gets the SIGTERM once it continues. */
      g_subprocess_send_signal (process, SIGCONT);
      deadline = g_get_monotonic_time () + STOP_TIMEOUT_US;
      while (process_running (process) && g_get_monotonic_time () < deadline)
        g_usleep (2000);
      if (process_running (process))
        g_subprocess_force_exit (process);
    }
  g_subprocess_wait (process, NULL, NULL);
  track_process (process, FALSE);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
antenna_test_broker_free (AntennaTestBroker *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      stop_process (self->process);
      g_clear_object (&self->process);
    }

  if (self->dir != NULL)
    {
      G_LOCK (live);
      live_dirs = g_list_remove (live_dirs, self->dir);
      G_UNLOCK (live);
      if (g_getenv ("ANTENNA_TEST_KEEP_BROKER_DIR") == NULL)
        remove_tree (self->dir);
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

const char *
antenna_test_broker_get_username (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (self->flags & ANTENNA_TEST_BROKER_AUTH) ? self->username : NULL;
}

const char *
antenna_test_broker_get_password (AntennaTestBroker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (self->flags & ANTENNA_TEST_BROKER_AUTH) ? self->password : NULL;
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

  if (self->process != NULL)
    {
      stop_process (self->process);
      g_clear_object (&self->process);
    }
}

void
antenna_test_broker_signal (AntennaTestBroker *self,
                            int                signum)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->process != NULL);

  g_subprocess_send_signal (self->process, signum);
  if (signum == SIGKILL)
    {
      g_subprocess_wait (self->process, NULL, NULL);
      track_process (self->process, FALSE);
      g_clear_object (&self->process);
    }
}

void
antenna_test_broker_restart (AntennaTestBroker *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_if_fail (self != NULL);

  antenna_test_broker_stop (self);
  if (self->flags & ANTENNA_TEST_BROKER_WEBSOCKET)
    ok = start_node_broker (self, TRUE, &error);
  else
    ok = start_mosquitto (self, TRUE, &error);
  if (!ok)
    g_error ("Cannot restart the test broker: %s", error->message);
}

/* Public API: mosquitto_pub --------------------------------------------- */

typedef struct
{
  gboolean  done;
  char     *output;
  GError   *error;
} Communicate;

static void
on_communicate_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &c->output, NULL, &c->error);
  c->done = TRUE;
}

static void
add_common_client_args (AntennaTestBroker *self,
                        GPtrArray         *argv)
{
  g_ptr_array_add (argv, g_strdup ("-h"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", self->mqtt_port));
  if (self->flags & ANTENNA_TEST_BROKER_AUTH)
    {
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup (self->username));
      g_ptr_array_add (argv, g_strdup ("-P"));
      g_ptr_array_add (argv, g_strdup (self->password));
    }
}

gboolean
antenna_test_pub_full (AntennaTestBroker   *self,
                       const char          *topic,
                       GBytes              *payload,
                       int                  qos,
                       gboolean             retain,
                       const char * const  *extra_args,
                       GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autofree char *tool = NULL;
  g_autofree char *payload_file = NULL;
  Communicate c = { FALSE, NULL, NULL };
  gboolean timed_out = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  g_return_val_if_fail (qos >= 0 && qos <= 2, FALSE);

  tool = find_tool ("mosquitto_pub", "mosquitto-clients", error);
  if (tool == NULL)
    return FALSE;

  g_ptr_array_add (argv, g_strdup (tool));
  add_common_client_args (self, argv);
  g_ptr_array_add (argv, g_strdup ("-t"));
  g_ptr_array_add (argv, g_strdup (topic));
  g_ptr_array_add (argv, g_strdup ("-q"));
  g_ptr_array_add (argv, g_strdup_printf ("%d", qos));
  if (retain)
    g_ptr_array_add (argv, g_strdup ("-r"));

  if (payload == NULL || g_bytes_get_size (payload) == 0)
    g_ptr_array_add (argv, g_strdup ("-n"));
  else
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (payload, &size);

      payload_file = g_strdup_printf ("%s/payload-%u.bin", self->dir, self->n_payload_files++);
      if (!g_file_set_contents (payload_file, data, size, error))
        return FALSE;
      g_ptr_array_add (argv, g_strdup ("-f"));
      g_ptr_array_add (argv, g_strdup (payload_file));
    }

  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (process == NULL)
    goto out;
  track_process (process, TRUE);

  /* Wait on a private context: the test's sources do not run meanwhile, and
   * a broker that was stopped with SIGSTOP cannot hang the test forever. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicate_cb, &c);
  timeout = g_timeout_source_new (PUB_TIMEOUT_MS);
  g_source_set_callback (timeout, on_flag_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!c.done && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (!c.done)
    {
      g_subprocess_force_exit (process);
      while (!c.done)
        g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);
  g_subprocess_wait (process, NULL, NULL);
  track_process (process, FALSE);

  if (timed_out)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 "mosquitto_pub on “%s” did not finish within %d seconds",
                 topic, PUB_TIMEOUT_MS / 1000);
  else if (c.error != NULL)
    g_propagate_error (error, g_steal_pointer (&c.error));
  else if (!g_subprocess_get_successful (process))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "mosquitto_pub on “%s” failed: %s", topic,
                 c.output != NULL ? g_strstrip (c.output) : "");
  else
    ok = TRUE;

out:
  if (payload_file != NULL)
    g_unlink (payload_file);
  g_clear_error (&c.error);
  g_free (c.output);
  return ok;
}

gboolean
antenna_test_pub (AntennaTestBroker  *self,
                  const char         *topic,
                  GBytes             *payload,
                  int                 qos,
                  gboolean            retain,
                  GError            **error)
{
  return antenna_test_pub_full (self, topic, payload, qos, retain, NULL, error);
}

/* Public API: mosquitto_sub --------------------------------------------- */

/* A header line per message (retain flag, payload length, topic last as it
 * may hold spaces), then the payload's raw bytes and a newline: %x (hex)
 * would be byte-exact too, but mosquitto_sub prints it at about 3 MB/s. With
 * -V 5 a line of properties comes first. */
#define SUB_FORMAT     "ANTENNA-MSG %r %l %t\\n%p"
#define SUB_FORMAT_V5  "ANTENNA-PROPS content-type=%C\\tmessage-expiry-interval=%E" \
                       "\\tresponse-topic=%R\\tcorrelation-data=%D\\tuser-property=%P" \
                       "\\tsubscription-identifier=%S\\tpayload-format-indicator=%F\\n" SUB_FORMAT

static void
sub_message_free (gpointer data)
{
  SubMessage *message = data;

  g_free (message->topic);
  g_bytes_unref (message->payload);
  g_free (message->properties);
  g_clear_pointer (&message->property_table, g_hash_table_unref);
  g_free (message);
}

static void
sub_handle_line (AntennaTestSub *sub,
                 char           *line)
{
  if (g_str_has_prefix (line, "ANTENNA-MSG "))
    {
      /* "ANTENNA-MSG <retain> <length> <topic>"; the payload follows. */
      char *p = line + strlen ("ANTENNA-MSG ");
      char *end = NULL;
      guint64 length;

      g_assert (p[0] == '0' || p[0] == '1');
      g_assert (p[1] == ' ');
      length = g_ascii_strtoull (p + 2, &end, 10);
      g_assert (end != NULL && *end == ' ');

      sub->pending = g_new0 (SubMessage, 1);
      sub->pending->retain = p[0] == '1';
      sub->pending->topic = g_strdup (end + 1);
      sub->pending->properties = g_steal_pointer (&sub->pending_properties);
      sub->pending_length = length;
    }
  else if (g_str_has_prefix (line, "ANTENNA-PROPS "))
    {
      g_free (sub->pending_properties);
      sub->pending_properties = g_strdup (line + strlen ("ANTENNA-PROPS "));
    }
  else if (g_str_has_prefix (line, "Subscribed (mid: "))
    {
      /* "Subscribed (mid: 1): 0" */
      const char *colon = strstr (line, "): ");

      if (colon != NULL)
        sub->granted_qos = (int) g_ascii_strtoll (colon + 3, NULL, 10);
      sub->subscribed = TRUE;
    }
  else if (!g_str_has_prefix (line, "Client "))
    {
      /* An error, e.g. "Connection error: Connection Refused: not authorised." */
      if (sub->other_output->len < 4096)
        g_string_append_printf (sub->other_output, "%s\n", line);
    }
}

/* The payload and its newline are in @data (pending_length + 1 bytes). */
static void
sub_take_payload (AntennaTestSub *sub,
                  guint8         *data)
{
  SubMessage *message = g_steal_pointer (&sub->pending);

  g_assert (data[sub->pending_length] == '\n');
  message->payload = g_bytes_new_take (data, sub->pending_length);
  g_ptr_array_add (sub->messages, message);
}

static void sub_read_next (AntennaTestSub *sub);

/* A payload read in flight owns its buffer: a read that GIO runs on a thread
 * may still write into it after the subscriber is freed. */
typedef struct _PayloadRead
{
  AntennaTestSub *sub;
  guint8         *buffer;
} PayloadRead;

static void
on_sub_payload_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PayloadRead *read = user_data;
  AntennaTestSub *sub = read->sub;
  gsize n_read = 0;

  g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n_read, &error);
  if (sub == NULL)
    {
      /* Freed meanwhile. */
      g_free (read->buffer);
      g_free (read);
      return;
    }

  sub->payload_read = NULL;
  if (error != NULL || n_read != sub->pending_length + 1)
    {
      g_free (read->buffer);
      g_free (read);
      sub->eof = TRUE;
      return;
    }
  sub_take_payload (sub, g_steal_pointer (&read->buffer));
  g_free (read);
  sub_read_next (sub);
}

static void
on_sub_line_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  AntennaTestSub *sub;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  sub = user_data;
  if (line == NULL)
    {
      sub->eof = TRUE;
      return;
    }
  sub_handle_line (sub, line);
  sub_read_next (sub);
}

static void
sub_read_next (AntennaTestSub *sub)
{
  GBufferedInputStream *buffered = G_BUFFERED_INPUT_STREAM (sub->output);

  /* Take what is already buffered without a trip through the main loop for
   * each line: a flood of messages would otherwise crawl. */
  for (;;)
    {
      gsize available = 0;
      const guint8 *data = g_buffered_input_stream_peek_buffer (buffered, &available);

      if (sub->pending != NULL)
        {
          guint8 *payload;

          if (available < sub->pending_length + 1)
            {
              sub->payload_read = g_new0 (PayloadRead, 1);
              sub->payload_read->sub = sub;
              sub->payload_read->buffer = g_malloc (sub->pending_length + 1);
              g_input_stream_read_all_async (G_INPUT_STREAM (sub->output),
                                             sub->payload_read->buffer,
                                             sub->pending_length + 1, G_PRIORITY_DEFAULT,
                                             sub->cancellable, on_sub_payload_cb,
                                             sub->payload_read);
              return;
            }
          payload = g_malloc (sub->pending_length + 1);
          memcpy (payload, data, sub->pending_length + 1);
          g_input_stream_skip (G_INPUT_STREAM (sub->output), sub->pending_length + 1, NULL, NULL);
          sub_take_payload (sub, payload);
        }
      else
        {
          g_autofree char *line = NULL;

          if (available == 0 || memchr (data, '\n', available) == NULL)
            break;
          line = g_data_input_stream_read_line (sub->output, NULL, NULL, NULL);
          if (line == NULL)
            break;
          sub_handle_line (sub, line);
        }
    }

  g_data_input_stream_read_line_async (sub->output, G_PRIORITY_DEFAULT, sub->cancellable,
                                       on_sub_line_cb, sub);
}

AntennaTestSub *
antenna_test_sub_start_full (AntennaTestBroker   *self,
                             const char          *filter,
                             int                  qos,
                             gboolean             v5,
                             const char * const  *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autofree char *tool = NULL;
  g_autofree char *stdbuf = NULL;
  AntennaTestSub *sub;
  gboolean timed_out = FALSE;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (qos >= 0 && qos <= 2, NULL);

  tool = find_tool ("mosquitto_sub", "mosquitto-clients", &error);
  if (tool == NULL)
    g_error ("%s", error->message);
  stdbuf = find_tool ("stdbuf", "coreutils", &error);
  if (stdbuf == NULL)
    g_error ("%s", error->message);

  /* stdbuf: mosquitto_sub flushes the messages it prints, but not the
   * "Subscribed" line of -d that tells us the subscription is in place. */
  g_ptr_array_add (argv, g_strdup (stdbuf));
  g_ptr_array_add (argv, g_strdup ("-oL"));
  g_ptr_array_add (argv, g_strdup (tool));
  add_common_client_args (self, argv);
  g_ptr_array_add (argv, g_strdup ("-t"));
  g_ptr_array_add (argv, g_strdup (filter));
  g_ptr_array_add (argv, g_strdup ("-q"));
  g_ptr_array_add (argv, g_strdup_printf ("%d", qos));
  g_ptr_array_add (argv, g_strdup ("-V"));
  g_ptr_array_add (argv, g_strdup (v5 ? "5" : "311"));
  g_ptr_array_add (argv, g_strdup ("-d"));
  g_ptr_array_add (argv, g_strdup ("-F"));
  g_ptr_array_add (argv, g_strdup (v5 ? SUB_FORMAT_V5 : SUB_FORMAT));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  sub = g_new0 (AntennaTestSub, 1);
  sub->messages = g_ptr_array_new_with_free_func (sub_message_free);
  sub->other_output = g_string_new (NULL);
  sub->cancellable = g_cancellable_new ();
  sub->context = g_main_context_ref_thread_default ();
  sub->granted_qos = -1;

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  sub->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (sub->process == NULL)
    g_error ("Cannot start mosquitto_sub: %s", error->message);
  track_process (sub->process, TRUE);

  sub->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sub->process));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (sub->output), 256 * 1024);
  sub_read_next (sub);

  timeout = g_timeout_source_new (SUB_TIMEOUT_MS);
  g_source_set_callback (timeout, on_flag_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, sub->context);
  while (!sub->subscribed && !sub->eof && !timed_out)
    g_main_context_iteration (sub->context, TRUE);
  g_source_destroy (timeout);

  if (!sub->subscribed)
    g_error ("mosquitto_sub on “%s” (port %u) %s: %s", filter, self->mqtt_port,
             sub->eof ? "exited before it subscribed" : "did not subscribe within 10 seconds",
             sub->other_output->str);
  return sub;
}

AntennaTestSub *
antenna_test_sub_start (AntennaTestBroker *self,
                        const char        *filter,
                        int                qos,
                        gboolean           v5)
{
  return antenna_test_sub_start_full (self, filter, qos, v5, NULL);
}

int
antenna_test_sub_get_granted_qos (AntennaTestSub *sub)
{
  g_return_val_if_fail (sub != NULL, -1);
  return sub->granted_qos;
}

guint
antenna_test_sub_wait (AntennaTestSub *sub,
                       guint           n,
                       guint           timeout_ms)
{
  g_autoptr(GSource) timeout = NULL;
  gboolean timed_out = FALSE;

  g_return_val_if_fail (sub != NULL, 0);

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, on_flag_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, sub->context);
  while (sub->messages->len < n && !sub->eof && !timed_out)
    g_main_context_iteration (sub->context, TRUE);
  g_source_destroy (timeout);
  return sub->messages->len;
}

guint
antenna_test_sub_get_n_messages (AntennaTestSub *sub)
{
  g_return_val_if_fail (sub != NULL, 0);
  return sub->messages->len;
}

static SubMessage *
sub_get_message (AntennaTestSub *sub,
                 guint           i)
{
  g_assert (sub != NULL);
  g_assert_cmpuint (i, <, sub->messages->len);
  return g_ptr_array_index (sub->messages, i);
}

const char *
antenna_test_sub_get_topic (AntennaTestSub *sub,
                            guint           i)
{
  return sub_get_message (sub, i)->topic;
}

GBytes *
antenna_test_sub_get_payload (AntennaTestSub *sub,
                              guint           i)
{
  return sub_get_message (sub, i)->payload;
}

gboolean
antenna_test_sub_get_retain (AntennaTestSub *sub,
                             guint           i)
{
  return sub_get_message (sub, i)->retain;
}

const char *
antenna_test_sub_get_properties (AntennaTestSub *sub,
                                 guint           i)
{
  return sub_get_message (sub, i)->properties;
}

const char *
antenna_test_sub_get_property (AntennaTestSub *sub,
                               guint           i,
                               const char     *name)
{
  SubMessage *message = sub_get_message (sub, i);
  const char *value;

  if (message->properties == NULL)
    return NULL;

  if (message->property_table == NULL)
    {
      g_auto(GStrv) fields = g_strsplit (message->properties, "\t", -1);

      message->property_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint f = 0; fields[f] != NULL; f++)
        {
          char *eq = strchr (fields[f], '=');

          if (eq != NULL)
            g_hash_table_insert (message->property_table,
                                 g_strndup (fields[f], eq - fields[f]),
                                 g_strdup (eq + 1));
        }
    }

  value = g_hash_table_lookup (message->property_table, name);
  return (value != NULL && *value != '\0') ? value : NULL;
}

void
antenna_test_sub_free (AntennaTestSub *sub)
{
  if (sub == NULL)
    return;

  if (sub->payload_read != NULL)
    sub->payload_read->sub = NULL;
  g_cancellable_cancel (sub->cancellable);
  if (sub->process != NULL)
    {
      g_subprocess_force_exit (sub->process);
      g_subprocess_wait (sub->process, NULL, NULL);
      track_process (sub->process, FALSE);
    }
  g_clear_object (&sub->process);
  g_clear_object (&sub->output);
  g_clear_object (&sub->cancellable);
  g_clear_pointer (&sub->context, g_main_context_unref);
  g_ptr_array_unref (sub->messages);
  g_string_free (sub->other_output, TRUE);
  g_free (sub->pending_properties);
  g_clear_pointer (&sub->pending, sub_message_free);
  g_free (sub);
}

/* Public API: waiting ---------------------------------------------------- */

static int
count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  int n = 0;

  if (dir == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

int
antenna_test_run (void)
{
  int result;
  gint64 deadline;
  int previous;
  int steady = 0;

  result = g_test_run ();
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  previous = count_threads ();

  /* The same number of threads for 200 ms in a row. */
  while (steady < 4 && g_get_monotonic_time () < deadline)
    {
      int n;

      g_usleep (50 * 1000);
      n = count_threads ();
      steady = n == previous ? steady + 1 : 0;
      previous = n;
    }

  return result;
}

void
antenna_test_store_result (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
antenna_test_wait_result (GAsyncResult **result,
                          guint          timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (*result == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);

  return *result;
}

gboolean
antenna_test_wait_for (gboolean *flag,
                       guint     timeout_ms)
{
  g_autoptr(GSource) timeout = NULL;
  gboolean timed_out = FALSE;
  GMainContext *context = g_main_context_get_thread_default ();

  g_return_val_if_fail (flag != NULL, FALSE);

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, on_flag_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!*flag && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  return *flag;
}

void
antenna_test_iterate_for (guint ms)
{
  gboolean never = FALSE;

  antenna_test_wait_for (&never, ms);
}
