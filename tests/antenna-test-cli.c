/* antenna-test-cli.c: running antenna-cli as a person or a script runs it
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

#include "antenna-profile-store.h"
#include "antenna-test-cli.h"
#include "antenna-test-keyring.h"
#include "antenna-test-utils.h"

char *cli_path;
char *helper_path;
char *python_path;

void
cli_test_init (void)
{
  cli_path = g_strdup (g_getenv ("ANTENNA_CLI"));
  if (cli_path == NULL)
    cli_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "antenna-cli", NULL);
  helper_path = g_test_build_filename (G_TEST_DIST, "cli-helper.py", NULL);
  python_path = g_find_program_in_path ("python3");
  g_assert_true (g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE));
  g_assert_nonnull (python_path);
}

void
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
Cli *
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

Cli *
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

void
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


int
cli_pid (Cli *cli)
{
  return atoi (g_subprocess_get_identifier (cli->process));
}

void
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
void
cli_wait_for_err (Cli        *cli,
                  const char *needle)
{
  ErrWait wait = { cli, needle };

  antenna_test_wait_until (cli_said_or_ended, &wait, WAIT_MS);
  if (strstr (cli->err->str, needle) == NULL)
    g_error ("antenna-cli did not say “%s” (it said: %s)", needle, cli->err->str);
}

/* The exit status, once it has exited and said everything. */
int
cli_wait (Cli *cli)
{
  if (!antenna_test_wait_until (cli_is_done, cli, EXIT_WAIT_MS))
    g_error ("antenna-cli did not exit within %u s (it said: %s)", EXIT_WAIT_MS / 1000, cli->err->str);
  g_test_message ("antenna-cli exited with %d", cli->status);
  return cli->status;
}

GBytes *
cli_get_output (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (cli->out_path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

char *
cli_get_output_text (Cli *cli)
{
  g_autoptr(GBytes) out = cli_get_output (cli);

  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

/* Runs antenna-cli to its end: the exit status; its standard output and
 * error in *@out and *@err (either may be NULL). */
int
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

int
cli_run (const char * const  *args,
         char               **err)
{
  return cli_run_full (args, NULL, NULL, err);
}

/* ------------------------------------------------------------------------ */
/* Profiles, passwords, brokers                                             */

/* A profile for @broker saved as the app saves one (its store, its file),
 * with @password in the keyring (@secrets) when not NULL. */
AntennaProfile *
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

char *
broker_url (AntennaTestBroker *broker,
            gboolean           with_user)
{
  return g_strdup_printf ("mqtt://%s%s127.0.0.1:%u",
                          with_user ? antenna_test_broker_get_username (broker) : "",
                          with_user ? "@" : "",
                          antenna_test_broker_get_port (broker));
}

char *
port_text (AntennaTestBroker *broker)
{
  return g_strdup_printf ("%u", antenna_test_broker_get_port (broker));
}

GBytes *
binary_payload (gsize size)
{
  guint8 *data = g_malloc (size);
  GRand *rand = g_rand_new_with_seed (size);

  for (gsize i = 0; i < size; i++)
    data[i] = i < 256 ? (guint8) i : (guint8) g_rand_int (rand);
  g_rand_free (rand);
  return g_bytes_new_take (data, size);
}

char *
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

void
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
