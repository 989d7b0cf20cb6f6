/* test-cli.c: antenna-cli, the built binary, as a person or a script runs it
 *
 * Against real mosquitto brokers (antenna-test-broker.h) and the keyring of
 * build-aux/test's session, with profiles made by the app's own store in this
 * test's directories (G_TEST_OPTION_ISOLATE_DIRS, handed to the child). What
 * antenna-cli sends is read back by mosquitto_sub; what it prints is parsed
 * by Python's json module (tests/cli-helper.py), and compared with what
 * mosquitto_pub sent. Its password prompt runs on a pseudo-terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-bus.h"
#include "antenna-test-keyring.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

#define WAIT_MS  30000
/* How long antenna-cli may take to end on its own. */
#define EXIT_WAIT_MS 120000

/* A string literal and its length, NULs included. */
#define LITERAL(s) s, sizeof (s) - 1

/* The exit statuses antenna-cli documents. */
enum {
  EXIT_OK               = 0,
  EXIT_FAILED           = 1,
  EXIT_USAGE            = 2,
  EXIT_REFUSED          = 3,
  EXIT_TLS              = 4,
  EXIT_TIMEOUT          = 5,
  EXIT_NOT_ACKNOWLEDGED = 6,
  EXIT_UNREACHABLE      = 7,
};

static char *cli_path;
static char *helper_path;
static char *python_path;

/* ------------------------------------------------------------------------ */
/* Running antenna-cli                                                       */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *err_lines;
  GString          *err;        /* standard error so far */
  gboolean          err_done;
  gboolean          exited;
  int               status;     /* the exit status, or 128 + the signal */
  char             *out_path;   /* where its standard output goes */
} Cli;

static void
cli_launcher_set_env (GSubprocessLauncher *launcher,
                      const char          *config_dir)
{
  /* This test's own directories (GLib gives them to this process only):
   * the profiles the test saved. The keyring is the session's, on D-Bus. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME",
                                config_dir != NULL ? config_dir : g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  /* Its words in English, to compare them. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
}

static void
on_err_line_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result, &length, &error);
  if (line == NULL)
    {
      cli->err_done = TRUE;
      return;
    }
  g_test_message ("antenna-cli: %s", line);
  g_string_append_len (cli->err, line, length);
  g_string_append_c (cli->err, '\n');
  g_data_input_stream_read_line_async (cli->err_lines, G_PRIORITY_DEFAULT, NULL, on_err_line_cb, cli);
}

static void
on_exited_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cli *cli = user_data;
  GSubprocess *process = G_SUBPROCESS (object);

  g_subprocess_wait_finish (process, result, NULL);
  cli->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                     : 128 + g_subprocess_get_term_sig (process);
  cli->exited = TRUE;
}

/* Starts antenna-cli with @args (NULL-terminated, without the program);
 * its standard output goes to a file, its standard input is a pipe when
 * @stdin_pipe (else /dev/null). @config_dir: XDG_CONFIG_HOME (NULL: the
 * test's); @bus: DBUS_SESSION_BUS_ADDRESS (NULL: the session's). */
static Cli *
cli_spawn_full (const char * const *args,
                gboolean            stdin_pipe,
                const char         *config_dir,
                const char         *bus)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  static guint n;
  Cli *cli = g_new0 (Cli, 1);

  cli->out_path = g_strdup_printf ("%s/cli-out-%u", g_get_user_cache_dir (), n++);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        (stdin_pipe ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0));
  g_subprocess_launcher_set_stdout_file_path (launcher, cli->out_path);
  cli_launcher_set_env (launcher, config_dir);
  if (bus != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", bus, TRUE);

  g_ptr_array_add (argv, cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  {
    g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata);

    g_test_message ("$ %s", line);
  }

  cli->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  cli->err = g_string_new (NULL);
  cli->err_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (cli->process));
  g_data_input_stream_read_line_async (cli->err_lines, G_PRIORITY_DEFAULT, NULL, on_err_line_cb, cli);
  g_subprocess_wait_async (cli->process, NULL, on_exited_cb, cli);

  return cli;
}

static Cli *
cli_spawn (const char * const *args)
{
  return cli_spawn_full (args, FALSE, NULL, NULL);
}

/* An AntennaTestCondition: it has exited and its standard error ended. */
static gboolean
cli_is_done (gpointer user_data)
{
  Cli *cli = user_data;

  return cli->exited && cli->err_done;
}

static void
cli_free (Cli *cli)
{
  if (!cli->exited)
    g_subprocess_force_exit (cli->process);
  g_assert_true (antenna_test_wait_until (cli_is_done, cli, WAIT_MS));
  g_unlink (cli->out_path);
  g_free (cli->out_path);
  g_string_free (cli->err, TRUE);
  g_clear_object (&cli->err_lines);
  g_clear_object (&cli->process);
  g_free (cli);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cli, cli_free)

static int
cli_pid (Cli *cli)
{
  return atoi (g_subprocess_get_identifier (cli->process));
}

static void
cli_write_stdin (Cli        *cli,
                 const char *data,
                 gssize      length,
                 gboolean    close)
{
  GOutputStream *in = g_subprocess_get_stdin_pipe (cli->process);
  g_autoptr(GError) error = NULL;

  if (length < 0)
    length = strlen (data);
  g_output_stream_write_all (in, data, length, NULL, NULL, &error);
  g_assert_no_error (error);
  if (close)
    {
      g_output_stream_close (in, NULL, &error);
      g_assert_no_error (error);
    }
}

typedef struct
{
  Cli        *cli;
  const char *needle;
} ErrWait;

static gboolean
cli_said_or_ended (gpointer user_data)
{
  ErrWait *wait = user_data;

  return strstr (wait->cli->err->str, wait->needle) != NULL || wait->cli->err_done;
}

/* Iterates until standard error holds @needle; fails the test if it exited first. */
static void
cli_wait_for_err (Cli        *cli,
                  const char *needle)
{
  ErrWait wait = { cli, needle };

  antenna_test_wait_until (cli_said_or_ended, &wait, WAIT_MS);
  if (strstr (cli->err->str, needle) == NULL)
    g_error ("antenna-cli did not say “%s” (it said: %s)", needle, cli->err->str);
}

/* The exit status, once it has exited and said everything. */
static int
cli_wait (Cli *cli)
{
  if (!antenna_test_wait_until (cli_is_done, cli, EXIT_WAIT_MS))
    g_error ("antenna-cli did not exit within %u s (it said: %s)", EXIT_WAIT_MS / 1000, cli->err->str);
  g_test_message ("antenna-cli exited with %d", cli->status);
  return cli->status;
}

static GBytes *
cli_get_output (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (cli->out_path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static char *
cli_get_output_text (Cli *cli)
{
  g_autoptr(GBytes) out = cli_get_output (cli);

  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

/* Runs antenna-cli to its end: the exit status; its standard output and
 * error in *@out and *@err (either may be NULL). */
static int
cli_run_full (const char * const  *args,
              const char          *input,
              char               **out,
              char               **err)
{
  g_autoptr(Cli) cli = cli_spawn_full (args, input != NULL, NULL, NULL);
  int status;

  if (input != NULL)
    cli_write_stdin (cli, input, -1, TRUE);
  status = cli_wait (cli);
  if (out != NULL)
    *out = cli_get_output_text (cli);
  if (err != NULL)
    *err = g_strdup (cli->err->str);
  return status;
}

static int
cli_run (const char * const  *args,
         char               **err)
{
  return cli_run_full (args, NULL, NULL, err);
}

/* ------------------------------------------------------------------------ */
/* Profiles, passwords, brokers                                             */

/* A profile for @broker saved as the app saves one (its store, its file),
 * with @password in the keyring (@secrets) when not NULL. */
static AntennaProfile *
save_profile (AntennaSecretStore *secrets,
              AntennaTestBroker  *broker,
              const char         *name,
              const char         *password)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(GError) error = NULL;

  antenna_profile_store_load (store, NULL, &error);
  g_assert_no_error (error);
  antenna_profile_set_name (profile, name);
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_username (profile, antenna_test_broker_get_username (broker));
  antenna_profile_store_add (store, profile);
  antenna_profile_store_save (store, &error);
  g_assert_no_error (error);

  if (password != NULL)
    antenna_test_secret_store_ok (secrets, profile, password);

  return g_steal_pointer (&profile);
}

static char *
broker_url (AntennaTestBroker *broker,
            gboolean           with_user)
{
  return g_strdup_printf ("mqtt://%s%s127.0.0.1:%u",
                          with_user ? antenna_test_broker_get_username (broker) : "",
                          with_user ? "@" : "",
                          antenna_test_broker_get_port (broker));
}

static char *
port_text (AntennaTestBroker *broker)
{
  return g_strdup_printf ("%u", antenna_test_broker_get_port (broker));
}

static GBytes *
binary_payload (gsize size)
{
  guint8 *data = g_malloc (size);
  GRand *rand = g_rand_new_with_seed (size);

  for (gsize i = 0; i < size; i++)
    data[i] = i < 256 ? (guint8) i : (guint8) g_rand_int (rand);
  g_rand_free (rand);
  return g_bytes_new_take (data, size);
}

static char *
write_temp_file (const char *name,
                 GBytes     *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_bytes_equal (GBytes *got,
                    GBytes *want)
{
  gsize got_size, want_size;
  const guint8 *a = g_bytes_get_data (got, &got_size);
  const guint8 *b = g_bytes_get_data (want, &want_size);

  g_assert_cmpuint (got_size, ==, want_size);
  for (gsize i = 0; i < got_size; i++)
    if (a[i] != b[i])
      g_error ("byte %" G_GSIZE_FORMAT " is 0x%02x, not 0x%02x", i, a[i], b[i]);
}

/* ------------------------------------------------------------------------ */
/* The command line                                                          */

static void
test_help (void)
{
  static const char * const commands[][3] = {
    { "--help", NULL }, { "sub", "--help", NULL }, { "pub", "--help", NULL },
    { "profiles", "--help", NULL }, { "profiles", "list", "--help" }, { "help", "pub", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[4] = { commands[i][0], commands[i][1], commands[i][2], NULL };
      g_autofree char *out = NULL;

      g_assert_cmpint (cli_run_full (args, NULL, &out, NULL), ==, EXIT_OK);
      /* Every help documents the exit statuses. */
      g_assert_nonnull (strstr (out, "Exit status:"));
      g_assert_nonnull (strstr (out, "6  a message was not acknowledged"));
    }

  {
    g_autofree char *out = NULL;
    const char *args[] = { "pub", "--help", NULL };

    cli_run_full (args, NULL, &out, NULL);
    g_assert_nonnull (strstr (out, "--property"));
    g_assert_nonnull (strstr (out, "--password-stdin"));
    g_assert_null (strstr (out, "-P,"));
  }

  {
    g_autofree char *err = NULL;
    const char *args[] = { NULL };

    g_assert_cmpint (cli_run (args, &err), ==, EXIT_USAGE);
    g_assert_nonnull (strstr (err, "Commands:"));
  }
}

static void
test_usage (void)
{
  static const struct {
    const char *args[12];
    const char *says;
  } cases[] = {
    { { "frobnicate", NULL }, "not an antenna-cli command" },
    { { "pub", "-m", "x", NULL }, "Give one topic" },
    { { "pub", "-t", "a", "-t", "b", "-m", "x", NULL }, "Give one topic" },
    { { "pub", "-t", "a/+", "-m", "x", NULL }, "cannot appear in a topic name" },
    { { "pub", "-t", "a", NULL }, "Say what to publish" },
    { { "pub", "-t", "a", "-m", "x", "-n", NULL }, "only one of" },
    { { "pub", "-t", "a", "-m", "x", "-q", "3", NULL }, "The QoS is 0, 1 or 2" },
    { { "pub", "-t", "a", "-m", "x", "-V", "mqttv31", NULL }, "mqttv311" },
    { { "pub", "-t", "a", "-m", "x", "-V", "311", "--property", "content-type", "x", NULL }, "need MQTT 5" },
    { { "pub", "-t", "a", "-m", "x", "--property", "colour", "red", NULL }, "Unknown MQTT 5 property" },
    { { "pub", "-t", "a", "-m", "x", "--property", "user-property", "k", NULL }, "needs a property name" },
    { { "pub", "-t", "a", "-m", "x", "-D", "connect", "session-expiry-interval", "1", NULL }, "PUBLISH packet only" },
    { { "pub", "-t", "a", "-m", "x", "--property", "payload-format-indicator", "2", NULL }, "payload-format-indicator" },
    { { "pub", "-t", "a", "-f", "/nonexistent/antenna-cli-test", NULL }, "there is no such file" },
    { { "pub", "-t", "a", "-m", "x", "--profile", "No Such Connection", NULL }, "No saved connection" },
    { { "pub", "-t", "a", "-m", "x", "mqtt://127.0.0.1:1883", "-p", "1884", NULL }, "URL names the broker" },
    { { "pub", "-t", "a", "-m", "x", "mqtt://a", "mqtt://b", NULL }, "one URL at most" },
    { { "pub", "-t", "a", "-m", "x", "http://127.0.0.1", NULL }, "does not connect to" },
    { { "pub", "-t", "a", "-m", "x", "-p", "1883", "--insecure", "--key", "k.pem", NULL }, "for a TLS" },
    { { "sub", NULL }, "Give a topic filter" },
    { { "sub", "-t", "a/#/b", NULL }, "“#”" },
    { { "sub", "-t", "a", "--format", "xml", NULL }, "text, json or raw" },
    { { "sub", "-t", "a", "--format", "raw", "--decode", "auto", NULL }, "--decode is for --format text or json" },
    { { "sub", "-t", "a", "--decode", "yaml", NULL }, "is not a decoder" },
    { { "sub", "-t", "a", "-C", "-1", NULL }, "cannot be negative" },
    { { "profiles", "frob", NULL }, "not a profiles command" },
    { { "profiles", "show", NULL }, "takes the name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      int status = cli_run (cases[i].args, &err);

      if (status != EXIT_USAGE || strstr (err, cases[i].says) == NULL)
        g_error ("case %u (%s …): exit %d, said “%s”, expected %d and “%s”",
                 i, cases[i].args[0], status, err, EXIT_USAGE, cases[i].says);
    }

  /* -f: one byte more than an MQTT message holds (a sparse file), refused
   * before anything is read or connected. */
  {
    g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "too-large.bin", NULL);
    const char *args[] = { "pub", "-t", "a", "-f", path, "-p", "1", NULL };
    g_autofree char *err = NULL;
    int fd;

    g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
    fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, 268435456), ==, 0);
    g_close (fd, NULL);

    g_assert_cmpint (cli_run (args, &err), ==, EXIT_USAGE);
    g_assert_nonnull (strstr (err, "too large to publish"));
    g_unlink (path);
  }
}

/* No password from argv: mosquitto's -P, or one in a URL, is refused and
 * never repeated. */
static void
test_password_in_argv (void)
{
  static const char * const cases[][8] = {
    { "pub", "-t", "a", "-m", "x", "-P", "Hunter2-argv", NULL },
    { "pub", "-t", "a", "-m", "x", "--pw=Hunter2-argv", NULL },
    { "sub", "-t", "a", "-u", "bob", "-P", "Hunter2-argv", NULL },
    { "pub", "-t", "a", "-m", "x", "mqtt://bob:Hunter2-argv@127.0.0.1:1", NULL },
    { "sub", "-t", "a", "mqtts://bob:Hunter2-argv@127.0.0.1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (cli_run (cases[i], &err), ==, EXIT_USAGE);
      g_assert_null (strstr (err, "Hunter2"));
      g_assert_true (strstr (err, "no password on its command line") != NULL ||
                     strstr (err, "The URL holds a password") != NULL);
    }
}

/* A password without TLS to another computer: refused without
 * --allow-plaintext, before any connection is tried. */
static void
test_plaintext (void)
{
  const char *args[] = { "pub", "-h", "192.0.2.1", "-u", "bob", "--password-stdin",
                         "-t", "a", "-m", "x", "--connect-timeout", "1", NULL };
  const char *allowed[] = { "pub", "-h", "192.0.2.1", "-u", "bob", "--password-stdin",
                            "-t", "a", "-m", "x", "--connect-timeout", "1", "--allow-plaintext", NULL };
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  int status;

  g_assert_cmpint (cli_run_full (args, "Plain-Pw\n", NULL, &err), ==, EXIT_USAGE);
  g_assert_nonnull (strstr (err, "does not use TLS"));
  g_assert_nonnull (strstr (err, "--allow-plaintext"));
  g_assert_null (strstr (err, "Plain-Pw"));

  /* Allowed, it tries: an address that leads nowhere. */
  status = cli_run_full (allowed, "Plain-Pw\n", NULL, &err2);
  g_assert_true (status == EXIT_TIMEOUT || status == EXIT_UNREACHABLE);
  g_assert_null (strstr (err2, "Plain-Pw"));
}

/* ------------------------------------------------------------------------ */
/* pub                                                                       */

/* A profile made in the app's store, its password in the keyring: pub
 * --profile NAME gets to an AUTH broker, and mosquitto_sub reads the bytes. */
static void
test_pub_profile_keyring (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  const char *password = antenna_test_broker_get_password (broker);
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = save_profile (secrets, broker, "Keyring Broker", password);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "cli/#", 2, FALSE);
  g_autoptr(GBytes) payload = binary_payload (70000);
  g_autofree char *file = write_temp_file ("payload.bin", payload);
  const char *by_name[] = { "pub", "--profile", "Keyring Broker", "-t", "cli/binary", "-f", file,
                            "-q", "1", "--verbose", NULL };
  const char *by_id[] = { "pub", "--profile", antenna_profile_get_id (profile), "-t", "cli/text",
                          "-m", "caf\xc3\xa9 \xe2\x98\x95", "-q", "2", "-r", "--verbose", NULL };
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static (LITERAL ("caf\xc3\xa9 \xe2\x98\x95"));

  g_assert_cmpint (cli_run (by_name, &err), ==, EXIT_OK);
  g_assert_nonnull (strstr (err, "Password: from the keyring"));
  g_assert_nonnull (strstr (err, "acknowledged 1 message"));
  g_assert_null (strstr (err, password));

  g_assert_cmpint (cli_run (by_id, &err2), ==, EXIT_OK);
  g_assert_nonnull (strstr (err2, "Password: from the keyring"));

  g_assert_cmpuint (antenna_test_sub_wait (sub, 2, WAIT_MS), ==, 2);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 0), ==, "cli/binary");
  assert_bytes_equal (antenna_test_sub_get_payload (sub, 0), payload);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 1), ==, "cli/text");
  assert_bytes_equal (antenna_test_sub_get_payload (sub, 1), text);

  /* Retained, as asked: a new subscriber gets it. */
  {
    g_autoptr(AntennaTestSub) later = antenna_test_sub_start (broker, "cli/text", 0, FALSE);

    g_assert_cmpuint (antenna_test_sub_wait (later, 1, WAIT_MS), ==, 1);
    g_assert_true (antenna_test_sub_get_retain (later, 0));
  }

  /* Nothing of it on disk: the profiles file, nor any other file under
   * this test's home and XDG directories, holds the password. */
  {
    g_autofree char *path = g_build_filename (g_get_user_config_dir (), "antenna", "profiles.json", NULL);
    const char *dirs[] = { g_get_home_dir (), g_get_user_config_dir (), g_get_user_data_dir (),
                           g_get_user_cache_dir (), g_get_user_state_dir () };
    guint n_files = 0;

    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
      n_files += antenna_test_assert_in_no_file (dirs[i], password, 0);
    g_assert_cmpuint (n_files, >, 0);
  }

  antenna_test_secret_clear_ok (secrets, profile);
}

/* The broker says no to a wrong password: status 3 and its reason. */
static void
test_pub_refused (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = save_profile (secrets, broker, "Wrong Password", "Not-The-Password");
  const char *args[] = { "pub", "--profile", "Wrong Password", "-t", "cli/x", "-m", "x", "-q", "1", NULL };
  const char *v311[] = { "pub", "--profile", "Wrong Password", "-V", "mqttv311", "-t", "cli/x", "-m", "x", NULL };
  g_autofree char *err = NULL;
  g_autofree char *err311 = NULL;

  g_assert_cmpint (cli_run (args, &err), ==, EXIT_REFUSED);
  /* The core's sentence, as the app shows it: the same for a wrong password
   * whatever the broker's code for it (mosquitto: not authorised). */
  g_assert_nonnull (strstr (err, "Connection refused by 127.0.0.1:"));
  g_assert_nonnull (strstr (err, "bad user name or password"));
  g_assert_null (strstr (err, "Not-The-Password"));

  /* The same words whichever version the broker answered in. */
  g_assert_cmpint (cli_run (v311, &err311), ==, EXIT_REFUSED);
  g_assert_nonnull (strstr (err311, "Connection refused by 127.0.0.1:"));
  g_assert_nonnull (strstr (err311, "bad user name or password"));

  antenna_test_secret_clear_ok (secrets, profile);
}

/* --password-stdin: the first line; with -l the lines after it are the
 * messages. Each line exactly: an empty one is an empty message, a CR stays,
 * the last needs no newline. */
static void
test_pub_password_stdin_lines (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "cli/lines", 1, FALSE);
  g_autofree char *url = broker_url (broker, TRUE);
  g_autofree char *input = g_strdup_printf ("%s\none\n\nthree\r\n\xff\xfe bytes\nlast", antenna_test_broker_get_password (broker));
  const char *args[] = { "pub", url, "--password-stdin", "-t", "cli/lines", "-l", "-q", "1", "--verbose", NULL };
  const char *want[] = { "one", "", "three\r", "\xff\xfe bytes", "last" };
  g_autofree char *err = NULL;

  g_assert_cmpint (cli_run_full (args, input, NULL, &err), ==, EXIT_OK);
  g_assert_nonnull (strstr (err, "Password: from standard input"));
  g_assert_nonnull (strstr (err, "acknowledged 5 messages"));
  g_assert_null (strstr (err, antenna_test_broker_get_password (broker)));

  g_assert_cmpuint (antenna_test_sub_wait (sub, G_N_ELEMENTS (want), WAIT_MS), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autoptr(GBytes) expected = g_bytes_new_static (want[i], strlen (want[i]));

      assert_bytes_equal (antenna_test_sub_get_payload (sub, i), expected);
    }
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, G_N_ELEMENTS (want));

  /* --stdin: all of what follows the password, one message. */
  {
    g_autofree char *whole = g_strdup_printf ("%s\nline 1\nline 2\n", antenna_test_broker_get_password (broker));
    const char *args2[] = { "pub", url, "--password-stdin", "-t", "cli/lines", "--stdin", "-q", "1", NULL };
    g_autoptr(GBytes) expected = g_bytes_new_static (LITERAL ("line 1\nline 2\n"));

    g_assert_cmpint (cli_run_full (args2, whole, NULL, NULL), ==, EXIT_OK);
    g_assert_cmpuint (antenna_test_sub_wait (sub, G_N_ELEMENTS (want) + 1, WAIT_MS), ==, G_N_ELEMENTS (want) + 1);
    assert_bytes_equal (antenna_test_sub_get_payload (sub, G_N_ELEMENTS (want)), expected);
  }
}

typedef struct
{
  Cli        *cli;
  GPid        pid;       /* read once: the identifier goes when it exits */
  const char *password;
  const char *until;     /* what it says when it stops, or NULL: until it exits */
  guint       n_reads;
} ProcWatch;

/* An AntennaTestCondition that reads /proc/PID each time it is asked. */
static gboolean
proc_checked_until (gpointer user_data)
{
  ProcWatch *watch = user_data;

  if (antenna_test_assert_not_in_process (watch->pid, watch->password))
    watch->n_reads++;
  if (watch->until != NULL && strstr (watch->cli->err->str, watch->until) != NULL)
    return TRUE;
  return watch->cli->exited;
}

/* While it runs (and while it connects), /proc/PID/cmdline and environ
 * never hold the password: from the keyring, and from standard input. */
static void
test_pub_password_not_in_proc (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  const char *password = antenna_test_broker_get_password (broker);
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = save_profile (secrets, broker, "Proc Broker", password);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "cli/proc", 1, FALSE);
  g_autofree char *url = broker_url (broker, TRUE);
  const char *keyring[] = { "pub", "--profile", "Proc Broker", "-t", "cli/proc", "-l", "-q", "1", "--verbose", NULL };
  const char *from_stdin[] = { "pub", url, "--password-stdin", "-t", "cli/proc", "-l", "-q", "1", "--verbose", NULL };
  const char * const *runs[] = { keyring, from_stdin };

  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_autoptr(Cli) cli = cli_spawn_full (runs[r], TRUE, NULL, NULL);
      ProcWatch watch = { cli, cli_pid (cli), password, "Connected to", 0 };

      if (runs[r] == from_stdin)
        {
          g_autofree char *line = g_strdup_printf ("%s\n", password);

          cli_write_stdin (cli, line, -1, FALSE);
        }

      /* Read it from the start until it is connected and waiting for lines. */
      g_assert_true (antenna_test_wait_until (proc_checked_until, &watch, WAIT_MS));
      g_assert_false (cli->exited);
      g_assert_true (antenna_test_assert_not_in_process (watch.pid, password));

      /* Then until it has sent the line and exited. */
      cli_write_stdin (cli, "a message\n", -1, TRUE);
      watch.until = NULL;
      g_assert_true (antenna_test_wait_until (proc_checked_until, &watch, EXIT_WAIT_MS));
      g_test_message ("read /proc/%d %u times", (int) watch.pid, watch.n_reads);
      g_assert_cmpuint (watch.n_reads, >, 0);
      g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
      g_assert_null (strstr (cli->err->str, password));
    }

  g_assert_cmpuint (antenna_test_sub_wait (sub, 2, WAIT_MS), ==, 2);
  antenna_test_secret_clear_ok (secrets, profile);
}

/* The prompt on a terminal: echo off, the password not shown, echo back
 * on after, even when the person gives up with Ctrl+C. */
static void
test_pub_prompt (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "cli/prompt", 1, FALSE);
  g_autofree char *port = port_text (broker);
  g_autofree char *input = g_strdup_printf ("%s\n", antenna_test_broker_get_password (broker));

  for (guint interrupt = 0; interrupt < 2; interrupt++)
    {
      const char *cli_args[] = { cli_path, "pub", "-h", "127.0.0.1", "-p", port,
                                 "-u", antenna_test_broker_get_username (broker),
                                 "-t", "cli/prompt", "-m", "typed", "-q", "1", "--verbose", NULL };
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) helper = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *out = NULL;
      JsonObject *result;

      g_ptr_array_add (argv, python_path);
      g_ptr_array_add (argv, helper_path);
      g_ptr_array_add (argv, (char *) "pty");
      if (interrupt)
        g_ptr_array_add (argv, (char *) "--interrupt");
      g_ptr_array_add (argv, (char *) "--");
      for (guint i = 0; cli_args[i] != NULL; i++)
        g_ptr_array_add (argv, (char *) cli_args[i]);
      g_ptr_array_add (argv, NULL);

      launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      cli_launcher_set_env (launcher, NULL);
      helper = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (helper, input, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (helper));
      g_test_message ("pty: %s", out);

      json_parser_load_from_data (parser, out, -1, &error);
      g_assert_no_error (error);
      result = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_get_boolean_member (result, "prompted"));
      g_assert_true (json_object_get_boolean_member (result, "echo_off"));
      g_assert_false (json_object_get_boolean_member (result, "password_shown"));
      g_assert_true (json_object_get_boolean_member (result, "echo_on_after"));
      if (interrupt)
        g_assert_cmpint (json_object_get_int_member (result, "status"), ==, 128 + SIGINT);
      else
        {
          g_assert_cmpint (json_object_get_int_member (result, "status"), ==, EXIT_OK);
          g_assert_nonnull (strstr (json_object_get_string_member (result, "output"),
                                    "Password: typed at the prompt"));
        }
    }

  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 1);
}

/* ------------------------------------------------------------------------ */
/* Exit statuses against real brokers                                        */

static void
test_exit_timeout (void)
{
  guint port;
  g_autoptr(GSocket) listener = antenna_test_silent_listener_new (&port);
  g_autofree char *port_str = g_strdup_printf ("%u", port);
  const char *args[] = { "pub", "-p", port_str, "-t", "a", "-m", "x", "--connect-timeout", "1", NULL };
  const char *sub_args[] = { "sub", "-p", port_str, "-t", "a", "--connect-timeout", "1", NULL };
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  /* The status comes from the core's error code (ANTENNA_ERROR_TIMEOUT),
   * the words are the app's. */
  g_assert_cmpint (cli_run (args, &err), ==, EXIT_TIMEOUT);
  g_assert_nonnull (strstr (err, "did not answer within 1 second"));

  g_assert_cmpint (cli_run (sub_args, &err2), ==, EXIT_TIMEOUT);
  g_assert_nonnull (strstr (err2, "did not answer within 1 second"));
}

static void
test_exit_unreachable (void)
{
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_closed_port ());
  const char *args[] = { "pub", "-p", port, "-t", "a", "-m", "x", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (cli_run (args, &err), ==, EXIT_UNREACHABLE);
  g_assert_nonnull (strstr (err, "Could not connect to localhost:"));
  g_assert_nonnull (strstr (err, "refused"));
}

/* TLS with a CA that did not sign the broker's certificate: status 4 and
 * why; with the right one, through. */
static void
test_exit_tls (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS);
  g_autofree char *url = g_strdup_printf ("mqtts://127.0.0.1:%u", antenna_test_broker_get_tls_port (broker));
  const char *wrong[] = { "pub", url, "--cafile", antenna_test_broker_get_other_ca_file (broker),
                          "-t", "cli/tls", "-m", "x", NULL };
  const char *right[] = { "pub", url, "--cafile", antenna_test_broker_get_ca_file (broker),
                          "-t", "cli/tls", "-m", "x", "-q", "1", NULL };
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_tls_port (broker));
  /* mosquitto's way: -h with --cafile is TLS. */
  const char *host[] = { "pub", "-h", "127.0.0.1", "-p", port, "--cafile", antenna_test_broker_get_ca_file (broker),
                         "-t", "cli/tls", "-m", "x", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (cli_run (wrong, &err), ==, EXIT_TLS);
  g_assert_nonnull (strstr (err, "Could not establish a secure connection to 127.0.0.1:"));
  g_assert_nonnull (strstr (err, "unknown CA"));

  g_assert_cmpint (cli_run (right, NULL), ==, EXIT_OK);
  g_assert_cmpint (cli_run (host, NULL), ==, EXIT_OK);
}

/* MQTT 5, QoS 1, a topic the broker's ACL forbids: mosquitto answers
 * PUBACK 0x87, and the message was not taken. */
static void
test_exit_not_acknowledged (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  g_autofree char *url = broker_url (broker, TRUE);
  g_autofree char *input = g_strdup_printf ("%s\n", antenna_test_broker_get_password (broker));
  const char *args[] = { "pub", url, "--password-stdin", "-t", "forbidden/x", "-m", "x", "-q", "1", NULL };
  const char *lines[] = { "pub", url, "--password-stdin", "-t", "forbidden/x", "-l", "-q", "2", NULL };
  g_autofree char *line_input = g_strdup_printf ("%s\n1\n2\n3\n", antenna_test_broker_get_password (broker));
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  g_assert_cmpint (cli_run_full (args, input, NULL, &err), ==, EXIT_NOT_ACKNOWLEDGED);
  g_assert_nonnull (strstr (err, "refused the message on “forbidden/x”"));
  g_assert_nonnull (strstr (err, "0x87"));

  g_assert_cmpint (cli_run_full (lines, line_input, NULL, &err2), ==, EXIT_NOT_ACKNOWLEDGED);
}

/* MQTT over WebSocket (the aedes broker): a ws:// URL both ways; and the
 * subscription its ACL refuses (SUBACK 0x80), status 3. */
static void
test_websocket (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_WEBSOCKET |
                                                                 ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (broker, "cli/ws", 1, FALSE);
  g_autofree char *url = g_strdup_printf ("ws://%s@127.0.0.1:%u/mqtt", antenna_test_broker_get_username (broker),
                                          antenna_test_broker_get_port (broker));
  g_autofree char *input = g_strdup_printf ("%s\n", antenna_test_broker_get_password (broker));
  const char *pub_args[] = { "pub", url, "--password-stdin", "-V", "311", "-t", "cli/ws", "-m", "over ws",
                             "-q", "1", NULL };
  const char *sub_args[] = { "sub", url, "--password-stdin", "-V", "311", "-t", "cli/ws", "-q", "1",
                             "-C", "1", "-W", "60", "--format", "raw", "--verbose", NULL };
  const char *refused_args[] = { "sub", url, "--password-stdin", "-V", "311", "-t", "forbidden/#", "-W", "30", NULL };
  g_autoptr(GBytes) want = g_bytes_new_static (LITERAL ("over ws"));
  g_autoptr(Cli) cli = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (cli_run_full (pub_args, input, NULL, NULL), ==, EXIT_OK);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  assert_bytes_equal (antenna_test_sub_get_payload (sub, 0), want);

  cli = cli_spawn_full (sub_args, TRUE, NULL, NULL);
  cli_write_stdin (cli, input, -1, TRUE);
  cli_wait_for_err (cli, "Subscribed");
  {
    g_autoptr(GError) error = NULL;

    antenna_test_pub (broker, "cli/ws", want, 1, FALSE, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  out = cli_get_output_text (cli);
  g_assert_cmpstr (out, ==, "over ws\n");

  g_assert_cmpint (cli_run_full (refused_args, input, NULL, &err), ==, EXIT_REFUSED);
  g_assert_nonnull (strstr (err, "refused the subscription to “forbidden/#”"));
}

/* pub --timeout: a broker that stops answering (SIGSTOP) after the
 * connection: status 5 once the time is up, the message counted unconfirmed. */
static void
test_pub_timeout (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  const char *args[] = { "pub", "-p", port, "-t", "cli/stopped", "-l", "-q", "1", "--timeout", "1",
                         "--verbose", NULL };
  g_autoptr(Cli) cli = cli_spawn_full (args, TRUE, NULL, NULL);
  gint64 sent;

  cli_wait_for_err (cli, "Connected to");
  antenna_test_broker_signal (broker, SIGSTOP);
  cli_write_stdin (cli, "never confirmed\n", -1, TRUE);
  sent = g_get_monotonic_time ();
  g_assert_cmpint (cli_wait (cli), ==, EXIT_TIMEOUT);
  antenna_test_broker_signal (broker, SIGCONT);
  g_assert_cmpint (g_get_monotonic_time () - sent, >=, G_USEC_PER_SEC);
  g_assert_nonnull (strstr (cli->err->str, "Timed out after 1 s, with 1 message not yet acknowledged by localhost:"));
}

/* ------------------------------------------------------------------------ */
/* sub                                                                       */

typedef struct
{
  const char *topic;
  GBytes     *payload;
  int         qos;         /* as published */
  gboolean    retain;
  const char *properties;  /* as antenna-cli prints them (JSON), NULL: {} */
  const char * const *extra;  /* mosquitto_pub arguments */
} Sent;

static void
append_expected (GString    *expected,
                 const Sent *sent,
                 int         sub_qos,
                 const char *payload_file)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, sent->topic);
  if (payload_file != NULL)
    {
      json_builder_set_member_name (builder, "payload-file");
      json_builder_add_string_value (builder, payload_file);
    }
  else
    {
      g_autofree char *b64 = g_base64_encode (g_bytes_get_data (sent->payload, NULL),
                                              g_bytes_get_size (sent->payload));

      json_builder_set_member_name (builder, "payload");
      json_builder_add_string_value (builder, b64);
    }
  json_builder_set_member_name (builder, "qos");
  json_builder_add_int_value (builder, MIN (sent->qos, sub_qos));
  json_builder_set_member_name (builder, "retain");
  json_builder_add_boolean_value (builder, sent->retain);
  json_builder_set_member_name (builder, "properties");
  json_builder_add_value (builder, json_from_string (sent->properties ? sent->properties : "{}", NULL));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  g_string_append (expected, line);
  g_string_append_c (expected, '\n');
}

/* tests/cli-helper.py check-json, Python's json module on the output. */
static void
check_json_output (const char *expected,
                   const char *output_path)
{
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_path = g_build_filename (g_get_user_cache_dir (), "expected.jsonl", NULL);
  g_autofree char *out = NULL;

  g_file_set_contents (expected_path, expected, -1, &error);
  g_assert_no_error (error);
  helper = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                             python_path, helper_path, "check-json", expected_path, output_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (helper, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("check-json: %s", out);
  if (!g_subprocess_get_successful (helper))
    g_error ("antenna-cli's JSON is not what mosquitto_pub sent: %s", out);
  g_unlink (expected_path);
}

static void
publish (AntennaTestBroker *broker,
         const Sent        *sent)
{
  g_autoptr(GError) error = NULL;

  antenna_test_pub_full (broker, sent->topic, sent->payload, sent->qos, sent->retain, sent->extra, &error);
  g_assert_no_error (error);
}

/* sub --format json, parsed by Python: text and binary payloads, an empty
 * one, QoS, a retained message, MQTT 5 properties. */
static void
test_sub_json (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  g_autoptr(GBytes) text = g_bytes_new_static (LITERAL ("hello, \xe2\x98\x83 \"quoted\" \\ tab\tnewline\n"));
  g_autoptr(GBytes) binary = binary_payload (1000);
  g_autoptr(GBytes) nul = g_bytes_new_static (LITERAL ("a\0b"));
  g_autoptr(GBytes) bad_utf8 = g_bytes_new_static (LITERAL ("caf\xe9"));
  g_autoptr(GBytes) empty = g_bytes_new_static (LITERAL (""));
  g_autoptr(GBytes) json_payload = g_bytes_new_static (LITERAL ("{\"a\": [1, 2.5, null]}"));
  static const char * const v5[] = { "-V", "5", NULL };
  static const char * const props[] = {
    "-V", "5",
    "-D", "publish", "content-type", "application/x-test",
    "-D", "publish", "payload-format-indicator", "1",
    "-D", "publish", "response-topic", "cli/reply",
    "-D", "publish", "correlation-data", "corr-123",
    "-D", "publish", "message-expiry-interval", "3600",
    "-D", "publish", "user-property", "k1", "v1",
    "-D", "publish", "user-property", "k2", "v 2",
    NULL };
  const Sent retained = { "cli/json/retained", text, 1, TRUE, NULL, v5 };
  const Sent sent[] = {
    { "cli/json/text", text, 0, FALSE, NULL, v5 },
    { "cli/json/binary", binary, 1, FALSE, NULL, v5 },
    { "cli/json/nul", nul, 2, FALSE, NULL, v5 },
    { "cli/json/latin1", bad_utf8, 1, FALSE, NULL, v5 },
    { "cli/json/empty", empty, 1, FALSE, NULL, v5 },
    { "cli/json/json", json_payload, 2, FALSE, NULL, v5 },
    { "cli/json/properties", text, 1, FALSE,
      "{\"content-type\": \"application/x-test\", \"payload-format\": 1, "
      "\"response-topic\": \"cli/reply\", \"correlation-data\": \"Y29yci0xMjM=\", "
      "\"message-expiry\": 3600, \"user-properties\": [[\"k1\", \"v1\"], [\"k2\", \"v 2\"]]}",
      props },
  };
  g_autofree char *count = g_strdup_printf ("%u", (guint) G_N_ELEMENTS (sent) + 1);
  const char *args[] = { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/json/#", "-q", "2",
                         "--format", "json", "-C", count, "-W", "60", "--verbose", NULL };
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(Cli) cli = NULL;

  publish (broker, &retained);
  append_expected (expected, &retained, 2, NULL);

  cli = cli_spawn (args);
  cli_wait_for_err (cli, "Subscribed");
  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      publish (broker, &sent[i]);
      append_expected (expected, &sent[i], 2, NULL);
    }

  g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  check_json_output (expected->str, cli->out_path);

  /* The check fails on a difference: the same output against one byte changed. */
  {
    g_autoptr(GString) wrong = g_string_new (NULL);
    g_autoptr(GBytes) changed = g_bytes_new_static (LITERAL ("hello, \xe2\x98\x83 \"quoted\" \\ tab\tnewline!"));
    Sent other = retained;
    g_autoptr(GSubprocess) helper = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "wrong.jsonl", NULL);

    other.payload = changed;
    append_expected (wrong, &other, 2, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
      append_expected (wrong, &sent[i], 2, NULL);
    g_file_set_contents (path, wrong->str, -1, &error);
    g_assert_no_error (error);
    helper = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                               python_path, helper_path, "check-json", path, cli->out_path, NULL);
    g_assert_no_error (error);
    g_subprocess_wait (helper, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (g_subprocess_get_successful (helper));
  }
}

/* One 64 MiB binary payload through --format json (Base64), byte for byte. */
static void
test_sub_json_large (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  g_autoptr(GBytes) large = binary_payload (64 * 1024 * 1024);
  g_autofree char *file = write_temp_file ("large.bin", large);
  const char *args[] = { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/large", "-q", "1",
                         "--format", "json", "-C", "1", "-W", "120", "--verbose", NULL };
  static const char * const v5[] = { "-V", "5", NULL };
  const Sent sent = { "cli/large", large, 1, FALSE, NULL, v5 };
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(Cli) cli = cli_spawn (args);

  cli_wait_for_err (cli, "Subscribed");
  publish (broker, &sent);
  append_expected (expected, &sent, 1, file);
  g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  check_json_output (expected->str, cli->out_path);
  g_unlink (file);
}

/* raw: the bytes and a newline, as mosquitto_sub; text: TOPIC PAYLOAD, hex
 * for what is not text; --decode auto pretty-prints JSON. */
static void
test_sub_raw_text (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  g_autoptr(GBytes) abc = g_bytes_new_static (LITERAL ("abc"));
  g_autoptr(GBytes) binary = g_bytes_new_static (LITERAL ("\x00\x01\xff"));
  g_autoptr(GBytes) json_payload = g_bytes_new_static (LITERAL ("{\"a\":[1,2]}"));
  const Sent sent[] = {
    { "cli/fmt/a", abc, 0, FALSE, NULL, NULL },
    { "cli/fmt/b", binary, 0, FALSE, NULL, NULL },
    { "cli/fmt/j", json_payload, 0, FALSE, NULL, NULL },
  };
  static const struct {
    const char *format[4];
    const char *want;
    gsize       want_len;
  } cases[] = {
    { { "--format", "raw", NULL }, LITERAL ("abc\n\x00\x01\xff\n{\"a\":[1,2]}\n") },
    { { "--format", "raw", "-N", NULL }, LITERAL ("abc\x00\x01\xff{\"a\":[1,2]}") },
    { { "--format", "text", NULL }, LITERAL ("cli/fmt/a abc\ncli/fmt/b [3 bytes] 00 01 ff\ncli/fmt/j {\"a\":[1,2]}\n") },
    { { "--decode", "auto", NULL }, LITERAL ("cli/fmt/a abc\ncli/fmt/b 00000000  00 01 ff") },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *args[16] = { "sub", "-h", "127.0.0.1", "-p", port, "-t", "cli/fmt/#", "-C", "3",
                               "-W", "60", "--verbose", NULL };
      g_autoptr(Cli) cli = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GBytes) want = g_bytes_new_static (cases[c].want, cases[c].want_len);
      guint n = 12;

      for (guint i = 0; cases[c].format[i] != NULL; i++)
        args[n++] = cases[c].format[i];
      cli = cli_spawn (args);
      cli_wait_for_err (cli, "Subscribed");
      for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
        publish (broker, &sent[i]);
      g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
      out = cli_get_output (cli);

      if (c < 3)
        assert_bytes_equal (out, want);
      else
        {
          /* The app's formats: a hex dump with offsets, JSON indented. */
          g_autofree char *text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));

          g_assert_true (g_str_has_prefix (text, cases[c].want));
          g_assert_nonnull (strstr (text, "cli/fmt/j {\n  \"a\""));
        }
    }
}

/* --count and --timeout: stop after N; stop after S seconds, status 5 when
 * fewer than --count came. */
static void
test_sub_count_timeout (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  g_autoptr(GBytes) payload = g_bytes_new_static (LITERAL ("m"));
  const Sent sent = { "cli/count", payload, 1, FALSE, NULL, NULL };

  /* -C 2 of 3: two lines, status 0. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/count", "-q", "1", "--format", "raw",
                           "-C", "2", "-W", "60", "--verbose", NULL };
    g_autoptr(Cli) cli = cli_spawn (args);
    g_autofree char *out = NULL;

    cli_wait_for_err (cli, "Subscribed");
    for (guint i = 0; i < 3; i++)
      publish (broker, &sent);
    g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
    out = cli_get_output_text (cli);
    g_assert_cmpstr (out, ==, "m\nm\n");
  }

  /* -W 1 alone: nothing comes, status 0 after about a second. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/nothing", "-W", "1", NULL };
    gint64 started = g_get_monotonic_time ();

    g_assert_cmpint (cli_run (args, NULL), ==, EXIT_OK);
    g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);
  }

  /* -W 1 -C 3 with one message: status 5, the one printed. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/count", "--format", "raw", "-C", "3",
                           "-W", "2", "--verbose", NULL };
    g_autoptr(Cli) cli = cli_spawn (args);
    g_autofree char *out = NULL;

    cli_wait_for_err (cli, "Subscribed");
    publish (broker, &sent);
    g_assert_cmpint (cli_wait (cli), ==, EXIT_TIMEOUT);
    g_assert_nonnull (strstr (cli->err->str, "Timed out after 2 s: 1 of 3 messages arrived."));
    out = cli_get_output_text (cli);
    g_assert_cmpstr (out, ==, "m\n");
  }

  /* -E: out once subscribed. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/e", "-E", NULL };

    g_assert_cmpint (cli_run (args, NULL), ==, EXIT_OK);
  }

  /* SIGTERM: a clean end, status 0. */
  {
    const char *args[] = { "sub", "-p", port, "-t", "cli/term", "--verbose", NULL };
    g_autoptr(Cli) cli = cli_spawn (args);

    cli_wait_for_err (cli, "Subscribed");
    g_subprocess_send_signal (cli->process, SIGTERM);
    g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  }
}

/* A persistent session (-c -i): what was queued while away comes right
 * with the CONNACK, and every message of it is printed, in order. */
static void
test_sub_persistent_session (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autofree char *port = port_text (broker);
  const char *setup[] = { "sub", "-p", port, "-t", "cli/queue", "-q", "1", "-c", "-i", "cli-persistent",
                          "-E", NULL };
  const char *fill[] = { "pub", "-p", port, "-t", "cli/queue", "-q", "1", "-l", NULL };
  const char *drain[] = { "sub", "-p", port, "-t", "cli/queue", "-q", "1", "-c", "-i", "cli-persistent",
                          "--format", "raw", "-C", "5000", "-W", "60", NULL };
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *out = NULL;

  g_assert_cmpint (cli_run (setup, NULL), ==, EXIT_OK);
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (lines, "%u\n", i);
  g_assert_cmpint (cli_run_full (fill, lines->str, NULL, NULL), ==, EXIT_OK);
  g_assert_cmpint (cli_run_full (drain, NULL, &out, NULL), ==, EXIT_OK);
  g_assert_cmpstr (out, ==, lines->str);
}

/* A saved connection's subscriptions, when no -t is given. */
static void
test_sub_profile_subscriptions (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaSubscription) saved = antenna_subscription_new ("cli/saved/#", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static (LITERAL ("saved"));
  const Sent sent = { "cli/saved/1", payload, 1, FALSE, NULL, NULL };
  const Sent other = { "cli/other", payload, 1, FALSE, NULL, NULL };
  const char *args[] = { "sub", "--profile", "Saved Subs", "--format", "text", "-C", "1", "-W", "60",
                         "--verbose", NULL };
  g_autoptr(Cli) cli = NULL;
  g_autofree char *out = NULL;

  antenna_profile_set_name (profile, "Saved Subs");
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_add_subscription (profile, saved);
  antenna_profile_store_add (store, profile);
  antenna_profile_store_save (store, &error);
  g_assert_no_error (error);

  cli = cli_spawn (args);
  cli_wait_for_err (cli, "Subscribed");
  publish (broker, &other);
  publish (broker, &sent);
  g_assert_cmpint (cli_wait (cli), ==, EXIT_OK);
  g_assert_nonnull (strstr (cli->err->str, "Password: none."));
  out = cli_get_output_text (cli);
  g_assert_cmpstr (out, ==, "cli/saved/1 saved\n");
}

/* ------------------------------------------------------------------------ */
/* profiles                                                                  */

/* A method of the bus itself on a name (RequestName, ReleaseName): its answer. */
static guint
call_bus (GDBusConnection *connection,
          const char      *method,
          GVariant        *parameters)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint answer;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", method, parameters, G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &answer);
  return answer;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_profiles (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  const char *password = antenna_test_broker_get_password (broker);
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = save_profile (secrets, broker, "Export Me", password);
  g_autoptr(AntennaProfile) second = save_profile (secrets, broker, "Not Me", NULL);
  g_autofree char *export_path = g_build_filename (g_get_user_cache_dir (), "export.json", NULL);
  g_autofree char *other_config = g_build_filename (g_get_user_cache_dir (), "other-config", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* list: both, with name and id. */
  {
    const char *args[] = { "profiles", "list", NULL };

    g_assert_cmpint (cli_run_full (args, NULL, &out, NULL), ==, EXIT_OK);
    g_assert_nonnull (strstr (out, "Export Me"));
    g_assert_nonnull (strstr (out, "Not Me"));
    g_assert_nonnull (strstr (out, antenna_profile_get_id (profile)));
    g_assert_nonnull (strstr (out, "mqtt://127.0.0.1:"));
    g_assert_null (strstr (out, password));
    g_clear_pointer (&out, g_free);
  }

  /* show: its settings, never its password. */
  {
    const char *args[] = { "profiles", "show", "Export Me", NULL };
    const char *json[] = { "profiles", "show", "--json", antenna_profile_get_id (profile), NULL };

    g_assert_cmpint (cli_run_full (args, NULL, &out, NULL), ==, EXIT_OK);
    g_assert_nonnull (strstr (out, antenna_test_broker_get_username (broker)));
    g_assert_nonnull (strstr (out, "kept in the keyring"));
    g_assert_null (strstr (out, password));
    g_clear_pointer (&out, g_free);

    g_assert_cmpint (cli_run_full (json, NULL, &out, NULL), ==, EXIT_OK);
    node = parse_json (out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "name"), ==, "Export Me");
    g_assert_null (strstr (out, password));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&node, json_node_unref);
  }

  /* export to standard output: all, in the app's format, no password. */
  {
    const char *args[] = { "profiles", "export", NULL };
    JsonArray *profiles;

    g_assert_cmpint (cli_run_full (args, NULL, &out, NULL), ==, EXIT_OK);
    g_assert_null (strstr (out, password));
    node = parse_json (out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "format"), ==, "antenna-profiles");
    profiles = json_object_get_array_member (json_node_get_object (node), "profiles");
    g_assert_cmpuint (json_array_get_length (profiles), ==, 2);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&node, json_node_unref);
  }

  /* export one to a file. */
  {
    const char *args[] = { "profiles", "export", "-o", export_path, "Export Me", NULL };
    g_autofree char *exported = NULL;

    g_assert_cmpint (cli_run (args, &err), ==, EXIT_OK);
    g_assert_nonnull (strstr (err, "Exported 1 connection"));
    exported = antenna_test_read_file (export_path);
    g_assert_nonnull (strstr (exported, "Export Me"));
    g_assert_null (strstr (exported, "Not Me"));
    g_assert_null (strstr (exported, password));
    g_clear_pointer (&err, g_free);
  }

  /* import into another configuration, with the app running (it owns its
   * name on a bus of this test's own): refused; then without it. */
  {
    g_autoptr(AntennaTestBus) bus = antenna_test_bus_new ();
    const char *bus_address = antenna_test_bus_get_address (bus);
    g_autoptr(GDBusConnection) connection = NULL;
    g_autoptr(GError) error = NULL;
    const char *import[] = { "profiles", "import", export_path, NULL };
    const char *list[] = { "profiles", "list", NULL };
    g_autoptr(Cli) refused = NULL;
    g_autoptr(Cli) imported = NULL;
    g_autoptr(Cli) listed = NULL;
    g_autofree char *other_profiles = g_build_filename (other_config, "antenna", "profiles.json", NULL);

    connection = g_dbus_connection_new_for_address_sync (bus_address,
                                                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                         NULL, NULL, &error);
    g_assert_no_error (error);
    /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
    g_assert_cmpuint (call_bus (connection, "RequestName", g_variant_new ("(su)", APP_ID, 0)), ==, 1);

    refused = cli_spawn_full (import, FALSE, other_config, bus_address);
    g_assert_cmpint (cli_wait (refused), ==, EXIT_FAILED);
    g_assert_nonnull (strstr (refused->err->str, "Antenna is running"));
    g_assert_false (g_file_test (other_profiles, G_FILE_TEST_EXISTS));

    /* Gone once the bus has answered: no wait for the disconnection.
     * DBUS_RELEASE_NAME_REPLY_RELEASED */
    g_assert_cmpuint (call_bus (connection, "ReleaseName", g_variant_new ("(s)", APP_ID)), ==, 1);
    g_dbus_connection_close_sync (connection, NULL, NULL);

    imported = cli_spawn_full (import, FALSE, other_config, bus_address);
    g_assert_cmpint (cli_wait (imported), ==, EXIT_OK);
    listed = cli_spawn_full (list, FALSE, other_config, bus_address);
    g_assert_cmpint (cli_wait (listed), ==, EXIT_OK);
    out = cli_get_output_text (listed);
    g_assert_nonnull (strstr (out, "Export Me"));
    g_assert_null (strstr (out, "Not Me"));
    g_assert_true (g_file_test (other_profiles, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpuint (antenna_test_assert_in_no_file (other_config, password, 0), >, 0);
  }

  antenna_test_secret_clear_ok (secrets, profile);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  cli_path = g_strdup (g_getenv ("ANTENNA_CLI"));
  if (cli_path == NULL)
    cli_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "antenna-cli", NULL);
  helper_path = g_test_build_filename (G_TEST_DIST, "cli-helper.py", NULL);
  python_path = g_find_program_in_path ("python3");
  g_assert_true (g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE));
  g_assert_nonnull (python_path);

  g_test_add_func ("/antenna/cli/help", test_help);
  g_test_add_func ("/antenna/cli/usage", test_usage);
  g_test_add_func ("/antenna/cli/password/not-in-argv", test_password_in_argv);
  g_test_add_func ("/antenna/cli/password/plaintext", test_plaintext);
  g_test_add_func ("/antenna/cli/pub/profile-keyring", test_pub_profile_keyring);
  g_test_add_func ("/antenna/cli/pub/refused", test_pub_refused);
  g_test_add_func ("/antenna/cli/pub/password-stdin-lines", test_pub_password_stdin_lines);
  g_test_add_func ("/antenna/cli/pub/password-not-in-proc", test_pub_password_not_in_proc);
  g_test_add_func ("/antenna/cli/pub/prompt", test_pub_prompt);
  g_test_add_func ("/antenna/cli/exit/timeout", test_exit_timeout);
  g_test_add_func ("/antenna/cli/exit/pub-timeout", test_pub_timeout);
  g_test_add_func ("/antenna/cli/exit/unreachable", test_exit_unreachable);
  g_test_add_func ("/antenna/cli/exit/tls", test_exit_tls);
  g_test_add_func ("/antenna/cli/exit/not-acknowledged", test_exit_not_acknowledged);
  g_test_add_func ("/antenna/cli/websocket", test_websocket);
  g_test_add_func ("/antenna/cli/sub/json", test_sub_json);
  g_test_add_func ("/antenna/cli/sub/json-64mib", test_sub_json_large);
  g_test_add_func ("/antenna/cli/sub/raw-text", test_sub_raw_text);
  g_test_add_func ("/antenna/cli/sub/count-timeout", test_sub_count_timeout);
  g_test_add_func ("/antenna/cli/sub/persistent-session", test_sub_persistent_session);
  g_test_add_func ("/antenna/cli/sub/profile-subscriptions", test_sub_profile_subscriptions);
  g_test_add_func ("/antenna/cli/profiles", test_profiles);

  return antenna_test_run ();
}
