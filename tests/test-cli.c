/* test-cli.c: antenna-cli, the built binary, as a person or a script runs it
 *
 * Against real mosquitto brokers (antenna-test-broker.h) and the keyring of
 * build-aux/test's session, with profiles made by the app's own store in this
 * test's directories (G_TEST_OPTION_ISOLATE_DIRS, handed to the child). What
 * antenna-cli sends is read back by mosquitto_sub; what it prints is parsed
 * by Python's json module (tests/cli-helper.py), and compared with what
 * mosquitto_pub sent. Its password prompt runs on a pseudo-terminal.
 * antenna-cli sub: test-cli-sub.c; running antenna-cli: antenna-test-cli.c.
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
#include "antenna-test-cli.h"
#include "antenna-test-bus.h"
#include "antenna-test-keyring.h"
#include "antenna-test-peer.h"
#include "antenna-test-utils.h"

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
  /* Before the write: antenna-cli may read the line, see the end of its
   * input and start its timer before cli_write_stdin() returns. */
  sent = g_get_monotonic_time ();
  cli_write_stdin (cli, "never confirmed\n", -1, TRUE);
  g_assert_cmpint (cli_wait (cli), ==, EXIT_TIMEOUT);
  antenna_test_broker_signal (broker, SIGCONT);
  g_assert_cmpint (g_get_monotonic_time () - sent, >=, G_USEC_PER_SEC);
  g_assert_nonnull (strstr (cli->err->str, "Timed out after 1 s, with 1 message not yet acknowledged by localhost:"));
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

  cli_test_init ();

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
  g_test_add_func ("/antenna/cli/profiles", test_profiles);

  return antenna_test_run ();
}
