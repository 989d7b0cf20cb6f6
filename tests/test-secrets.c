/* test-secrets.c: a password never reaches a file, a log line or a command line
 *
 * The real antenna binary, under Xvfb with the real keyring of the test
 * session, run with G_MESSAGES_DEBUG=all and its output kept. A profile is
 * saved with a password (AntennaProfileStore + AntennaSecretStore, which is
 * what the editor does), the app connects it through win.connect-profile
 * over D-Bus to a mosquitto that demands the password; then the password is
 * changed (in the broker's password file, reloaded with SIGHUP, and in the
 * keyring) and the app connects again with the new one; the app quits; the
 * profile is deleted and its secret cleared. Neither password may then be in
 * any file under HOME, the XDG directories, the app's and the test's
 * current directory, or the files of the temporary directory changed since
 * the start; nor in the app's output, nor in its /proc/PID/cmdline or
 * environ. profiles.json is 0600.
 *
 * The warning before a password goes out unencrypted to a host that is not
 * loopback is tested in-process: an AntennaWindow connecting a profile whose
 * host is this machine's name (or "127.1"), which reaches the loopback
 * broker but is not a loopback address by name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <netdb.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-test-broker.h"
#include "antenna-application.h"
#include "antenna-window.h"

/* The system's directories, before G_TEST_OPTION_ISOLATE_DIRS replaces them:
 * the app needs the real MIME database and icon themes. */
static char *system_data_dirs;
static char *system_config_dirs;
static char *start_cwd;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

/* memmem(): binary files have NUL bytes, so no strstr. */
static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  gboolean  done;
  GError   *error;
  char     *password;
} Result;

static void
on_stored_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Result *r = user_data;

  antenna_secret_store_store_finish (ANTENNA_SECRET_STORE (object), result, &r->error);
  r->done = TRUE;
}

static void
on_lookup_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Result *r = user_data;

  r->password = antenna_secret_store_lookup_finish (ANTENNA_SECRET_STORE (object), result, &r->error);
  r->done = TRUE;
}

static void
on_cleared_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Result *r = user_data;

  antenna_secret_store_clear_finish (ANTENNA_SECRET_STORE (object), result, &r->error);
  r->done = TRUE;
}

static void
store_password (AntennaSecretStore *secrets,
                AntennaProfile     *profile,
                const char         *password)
{
  Result r = { 0 };

  antenna_secret_store_store_async (secrets, profile, password, NULL, on_stored_cb, &r);
  g_assert_true (antenna_test_wait_for (&r.done, 10000));
  g_assert_no_error (r.error);
}

static char *
lookup_password (AntennaSecretStore *secrets,
                 AntennaProfile     *profile)
{
  Result r = { 0 };

  antenna_secret_store_lookup_async (secrets, profile, NULL, on_lookup_cb, &r);
  g_assert_true (antenna_test_wait_for (&r.done, 10000));
  g_assert_no_error (r.error);
  return r.password;
}

static void
clear_password (AntennaSecretStore *secrets,
                AntennaProfile     *profile)
{
  Result r = { 0 };

  antenna_secret_store_clear_async (secrets, profile, NULL, on_cleared_cb, &r);
  g_assert_true (antenna_test_wait_for (&r.done, 10000));
  g_assert_no_error (r.error);
}

/* A password for this run: random, and with a non-ASCII letter. */
static char *
random_password (const char *prefix)
{
  return g_strdup_printf ("%s-%08x%08x-ü", prefix, g_random_int (), g_random_int ());
}

/* The ASCII part of @password, to catch an escaped or re-encoded copy too
 * ("\u00fc" in JSON, Latin-1…). */
static char *
password_core (const char *password)
{
  const char *end = strstr (password, "-ü");

  return g_strndup (password, end - password);
}

/* Fails when any file under @dir (symbolic links not followed) changed at
 * or after @since (0: any) holds @needle. Returns how many files it read. */
static guint
assert_in_no_file (const char *dir,
                   const char *needle,
                   gint64      since)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (d == NULL)
    return 0;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          n += assert_in_no_file (path, needle, since);
          continue;
        }
      /* Sockets, FIFOs, devices, links: nothing to read. */
      if (!S_ISREG (st.st_mode))
        continue;
      if (since != 0 && (gint64) st.st_mtime < since && (gint64) st.st_ctime < since)
        continue;
      if (st.st_size > 64 * 1024 * 1024)
        continue;
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      n++;
      if (contains_bytes (contents, length, needle))
        g_error ("The password is in %s", path);
    }
  return n;
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

/* org.gtk.Actions.Activate on the app (@object_path) or its first window. */
static void
activate_action (GDBusConnection *bus,
                 const char      *object_path,
                 const char      *name,
                 const char      *parameter)
{
  g_autoptr(GError) error = NULL;

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autoptr(GVariant) reply = NULL;
      GVariantBuilder params;

      g_clear_error (&error);
      g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
      if (parameter != NULL)
        g_variant_builder_add (&params, "v", g_variant_new_string (parameter));

      reply = g_dbus_connection_call_sync (bus, APP_ID, object_path,
                                           "org.gtk.Actions", "Activate",
                                           g_variant_new ("(sava{sv})", name, &params, NULL),
                                           NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
      if (reply != NULL)
        return;

      antenna_test_iterate_for (100);
    }

  g_error ("Could not activate %s in the app: %s", name, error->message);
}

typedef struct
{
  GString  *log;
  gboolean  eof;
} AppOutput;

static void
on_line_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AppOutput *output = user_data;
  g_autofree char *line = NULL;
  gsize length;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result, &length, NULL);
  if (line == NULL)
    {
      output->eof = TRUE;
      return;
    }
  g_string_append_len (output->log, line, length);
  g_string_append_c (output->log, '\n');

  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_DEFAULT, NULL,
                                       on_line_cb, output);
}

static guint
count_in (const char *haystack,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Waits until the app printed @line @n times. */
static void
wait_for_output (AppOutput  *output,
                 const char *line,
                 guint       n,
                 guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (count_in (output->log->str, line) < n && g_get_monotonic_time () < end && !output->eof)
    antenna_test_iterate_for (50);
  if (count_in (output->log->str, line) < n)
    g_error ("The app did not print “%s” (%u times); it printed:\n%s", line, n, output->log->str);
}

static void
assert_not_in_proc (GPid        pid,
                    const char *what,
                    const char *needle)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, what);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  if (contains_bytes (contents, length, needle))
    g_error ("The password is in %s", path);
}

static void
on_exited_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Sets the password of the broker's user anew (mosquitto_passwd) and makes
 * mosquitto read its password file again (SIGHUP). */
static void
change_broker_password (AntennaTestBroker *broker,
                        const char        *password)
{
  g_autofree char *passwd = g_build_filename (antenna_test_broker_get_dir (broker), "passwd", NULL);
  g_autoptr(GSubprocess) tool = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (passwd, G_FILE_TEST_IS_REGULAR));
  tool = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           "mosquitto_passwd", "-b", passwd,
                           antenna_test_broker_get_username (broker), password, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (tool, NULL, &error));
  g_assert_no_error (error);
  antenna_test_broker_signal (broker, SIGHUP);
  /* mosquitto reads the file again on its next loop. */
  antenna_test_iterate_for (500);
}

/* ------------------------------------------------------------------------ */
/* The whole app                                                             */

static void
test_app_run (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GDataInputStream) output_lines = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = random_password ("first");
  g_autofree char *second = random_password ("second");
  g_autofree char *app_path = NULL;
  g_autofree char *app_cwd = NULL;
  g_autofree char *connected = NULL;
  g_autofree char *looked_up = NULL;
  g_autofree char *id = NULL;
  const char *passwords[4];
  AppOutput output = { 0 };
  GStatBuf st;
  gint64 start = g_get_real_time () / G_USEC_PER_SEC - 1;
  GPid pid;

  passwords[0] = first;
  passwords[1] = second;
  passwords[2] = password_core (first);
  passwords[3] = password_core (second);

  /* 1. Saved as the editor saves it, with the broker's password, which is
   * the first one of this run. */
  g_test_message ("1. the profile and its password");
  change_broker_password (broker, first);
  antenna_profile_set_name (profile, "Secret Broker");
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_username (profile, antenna_test_broker_get_username (broker));
  antenna_profile_set_connect_timeout (profile, 20);
  id = g_strdup (antenna_profile_get_id (profile));
  antenna_profile_store_add (store, profile);
  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);
  store_password (secrets, profile, first);
  looked_up = lookup_password (secrets, profile);
  g_assert_cmpstr (looked_up, ==, first);

  /* 2. The real app, everything it says kept. */
  g_test_message ("2. the app");
  app_path = g_strdup (g_getenv ("ANTENNA_BINARY"));
  if (app_path == NULL)
    app_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "antenna", NULL);
  g_assert_true (g_file_test (app_path, G_FILE_TEST_IS_EXECUTABLE));
  /* The app runs in a directory of its own: the path must not depend on ours. */
  {
    char *absolute = g_canonicalize_filename (app_path, NULL);

    g_free (app_path);
    app_path = absolute;
  }
  app_cwd = g_build_filename (g_get_home_dir (), "cwd", NULL);
  g_assert_cmpint (g_mkdir_with_parents (app_cwd, 0700), ==, 0);

  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, app_cwd);
  /* The test's own directories (GLib gives them to this process only). */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_DIRS", system_config_dirs, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  /* The app's own warnings must not abort it: the test reads its output. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (name_has_owner (bus, APP_ID));

  app = g_subprocess_launcher_spawn (launcher, &error, app_path, NULL);
  g_assert_no_error (error);
  pid = atoi (g_subprocess_get_identifier (app));

  output.log = g_string_new (NULL);
  output_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app));
  g_data_input_stream_read_line_async (output_lines, G_PRIORITY_DEFAULT, NULL, on_line_cb, &output);

  for (guint i = 0; i < 200 && !name_has_owner (bus, APP_ID); i++)
    antenna_test_iterate_for (100);
  g_assert_true (name_has_owner (bus, APP_ID));

  /* 3. Connected with the password from the keyring. */
  g_test_message ("3. connect");
  connected = g_strdup_printf ("Connection %s is connected", id);
  activate_action (bus, "/io/github/antennamqtt/Antenna/window/1", "connect-profile", id);
  wait_for_output (&output, connected, 1, 20000);
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      assert_not_in_proc (pid, "cmdline", passwords[i]);
      assert_not_in_proc (pid, "environ", passwords[i]);
    }

  /* 4. The password changes: at the broker, then in the keyring; the app
   * disconnects and connects again with the new one. */
  g_test_message ("4. a new password");
  activate_action (bus, "/io/github/antennamqtt/Antenna/window/1", "disconnect-profile", id);
  {
    g_autofree char *disconnected = g_strdup_printf ("Connection %s is disconnected", id);

    wait_for_output (&output, disconnected, 1, 20000);
  }
  change_broker_password (broker, second);
  store_password (secrets, profile, second);
  activate_action (bus, "/io/github/antennamqtt/Antenna/window/1", "connect-profile", id);
  wait_for_output (&output, connected, 2, 20000);
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      assert_not_in_proc (pid, "cmdline", passwords[i]);
      assert_not_in_proc (pid, "environ", passwords[i]);
    }

  /* 5. The app quits, as Ctrl+Q does. */
  g_test_message ("5. quit");
  activate_action (bus, "/io/github/antennamqtt/Antenna", "quit", NULL);
  {
    gboolean exited = FALSE;

    g_subprocess_wait_async (app, NULL, on_exited_cb, &exited);
    if (!antenna_test_wait_for (&exited, 30000))
      {
        g_subprocess_force_exit (app);
        g_error ("The app did not quit; it printed:\n%s", output.log->str);
      }
  }
  for (guint i = 0; i < 50 && !output.eof; i++)
    antenna_test_iterate_for (100);
  g_assert_true (output.eof);
  g_test_message ("the app printed %" G_GSIZE_FORMAT " bytes with G_MESSAGES_DEBUG=all", output.log->len);
  g_assert_cmpuint (count_in (output.log->str, "antenna-client-DEBUG"), >, 0);

  /* profiles.json 0600, its directory 0700. */
  g_assert_cmpint (g_stat (antenna_profile_store_get_path (store), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_test_message ("6. delete");
  /* 6. Deleted, as the window deletes a profile: from the file, and its
   * secret from the keyring. */
  {
    g_autoptr(AntennaProfileStore) reloaded = antenna_profile_store_new (NULL);
    g_autofree char *gone = NULL;
    AntennaProfile *saved;

    g_assert_true (antenna_profile_store_load (reloaded, NULL, &error));
    g_assert_no_error (error);
    saved = antenna_profile_store_find (reloaded, id);
    g_assert_nonnull (saved);
    g_object_ref (saved);
    antenna_profile_store_remove (reloaded, saved);
    g_assert_true (antenna_profile_store_save (reloaded, &error));
    g_assert_no_error (error);
    clear_password (secrets, saved);
    gone = lookup_password (secrets, saved);
    g_assert_null (gone);
    g_object_unref (saved);
  }

  /* 7. Nowhere. */
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      guint n = 0;

      if (strstr (output.log->str, passwords[i]) != NULL)
        g_error ("The app printed the password:\n%s", output.log->str);

      n += assert_in_no_file (g_get_home_dir (), passwords[i], 0);
      n += assert_in_no_file (g_get_user_config_dir (), passwords[i], 0);
      n += assert_in_no_file (g_get_user_data_dir (), passwords[i], 0);
      n += assert_in_no_file (g_get_user_cache_dir (), passwords[i], 0);
      n += assert_in_no_file (g_get_user_state_dir (), passwords[i], 0);
      n += assert_in_no_file (g_get_user_runtime_dir (), passwords[i], 0);
      n += assert_in_no_file (app_cwd, passwords[i], 0);
      n += assert_in_no_file (start_cwd, passwords[i], start);
      n += assert_in_no_file (g_get_tmp_dir (), passwords[i], start);
      if (i == 0)
        g_test_message ("%u files read", n);
      g_assert_cmpuint (n, >, 0);
    }

  g_string_free (output.log, TRUE);
  g_free ((char *) passwords[2]);
  g_free ((char *) passwords[3]);
}

/* ------------------------------------------------------------------------ */
/* The warning before a password goes out unencrypted                        */

/* A host that is not loopback by its name but reaches 127.0.0.1: this
 * machine's name when it resolves there (as in most /etc/hosts), else
 * "127.1", which getaddrinfo() reads as 127.0.0.1 but is no address in
 * the form GInetAddress parses. */
static char *
non_loopback_name_for_loopback (void)
{
  const char *name = g_get_host_name ();
  struct addrinfo hints = { 0 }, *res = NULL;
  gboolean ok = FALSE;

  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  if (g_ascii_strcasecmp (name, "localhost") != 0 && getaddrinfo (name, NULL, &hints, &res) == 0)
    {
      ok = ((struct sockaddr_in *) res->ai_addr)->sin_addr.s_addr == htonl (INADDR_LOOPBACK);
      freeaddrinfo (res);
    }
  return g_strdup (ok ? name : "127.1");
}

static AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static AdwMessageDialog *
wait_for_dialog (const char *heading,
                 guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  AdwMessageDialog *dialog;

  while ((dialog = find_dialog (heading)) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  return dialog;
}

/* How many times the broker let the user in so far. */
static guint
count_logins (AntennaTestBroker *broker)
{
  g_autofree char *log = antenna_test_broker_get_log (broker);
  g_autofree char *user = g_strdup_printf ("u'%s'", antenna_test_broker_get_username (broker));

  return count_in (log, user);
}

/* What a click on the button does: the response, then the dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_autofree char *heading = g_strdup (adw_message_dialog_get_heading (dialog));

  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  antenna_test_iterate_for (100);
  g_assert_null (find_dialog (heading));
}

static gboolean
wait_logins (AntennaTestBroker *broker,
             guint              n,
             guint              timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (count_logins (broker) < n && g_get_monotonic_time () < end)
    antenna_test_iterate_for (50);
  return count_logins (broker) >= n;
}

static void
test_plaintext_warning (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaProfile) local = antenna_profile_new ();
  g_autoptr(AntennaApplication) app = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *host = non_loopback_name_for_loopback ();
  g_auto(GStrv) accepted = NULL;
  const char *password = antenna_test_broker_get_password (broker);
  const char *heading = "Send the Password Unencrypted?";
  AntennaWindow *window;
  AdwMessageDialog *dialog;

  g_test_message ("host %s", host);
  g_settings_reset (settings, "insecure-password-accepted");

  antenna_profile_set_name (profile, "By Name");
  antenna_profile_set_host (profile, host);
  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_username (profile, antenna_test_broker_get_username (broker));
  antenna_profile_set_connect_timeout (profile, 20);
  antenna_profile_store_add (store, profile);

  antenna_profile_set_name (local, "Loopback");
  antenna_profile_set_host (local, "127.0.0.1");
  antenna_profile_set_port (local, antenna_test_broker_get_port (broker));
  antenna_profile_set_username (local, antenna_test_broker_get_username (broker));
  antenna_profile_set_connect_timeout (local, 20);
  antenna_profile_store_add (store, local);

  g_assert_true (antenna_profile_store_save (store, &error));
  g_assert_no_error (error);
  store_password (secrets, profile, password);
  store_password (secrets, local, password);

  /* The app's own objects (its startup loads the profiles saved above). */
  app = antenna_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = antenna_window_new (ADW_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));

  /* Loopback by address: no question. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (local)));
  g_assert_true (wait_logins (broker, 1, 20000));
  g_assert_null (find_dialog (heading));

  /* By name: the question, and nothing is sent while it is open. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  dialog = wait_for_dialog (heading, 20000);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), host));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  antenna_test_iterate_for (1000);
  g_assert_cmpuint (count_logins (broker), ==, 1);

  /* Cancel: still nothing sent, nothing remembered. */
  respond (dialog, "cancel");
  antenna_test_iterate_for (1000);
  g_assert_cmpuint (count_logins (broker), ==, 1);
  accepted = g_settings_get_strv (settings, "insecure-password-accepted");
  g_assert_cmpuint (g_strv_length (accepted), ==, 0);
  g_clear_pointer (&accepted, g_strfreev);

  /* Asked again; accepted: connected, and remembered for this profile. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  dialog = wait_for_dialog (heading, 20000);
  g_assert_nonnull (dialog);
  respond (dialog, "send");
  g_assert_true (wait_logins (broker, 2, 20000));
  accepted = g_settings_get_strv (settings, "insecure-password-accepted");
  g_assert_cmpuint (g_strv_length (accepted), ==, 1);
  g_assert_nonnull (strstr (accepted[0], antenna_profile_get_id (profile)));

  /* Once per profile: the next connection asks nothing. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "disconnect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  antenna_test_iterate_for (500);
  g_action_group_activate_action (G_ACTION_GROUP (window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  g_assert_true (wait_logins (broker, 3, 20000));
  g_assert_null (find_dialog (heading));

  antenna_window_disconnect_all (window);
  antenna_test_iterate_for (500);
  gtk_window_destroy (GTK_WINDOW (window));
  antenna_test_iterate_for (200);
  clear_password (secrets, profile);
  clear_password (secrets, local);
  g_settings_reset (settings, "insecure-password-accepted");
}

int
main (int   argc,
      char *argv[])
{
  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS") ? g_getenv ("XDG_DATA_DIRS") : "/usr/local/share:/usr/share");
  system_config_dirs = g_strdup (g_getenv ("XDG_CONFIG_DIRS") ? g_getenv ("XDG_CONFIG_DIRS") : "/etc/xdg");
  start_cwd = g_get_current_dir ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  {
    /* The MIME database for the window's SVG icons (isolated dirs have none). */
    g_auto(GStrv) dirs = g_strsplit (system_data_dirs, ":", -1);
    g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; dirs[i] != NULL; i++)
      g_ptr_array_add (mime_dirs, g_build_filename (dirs[i], "mime", NULL));
    g_ptr_array_add (mime_dirs, NULL);
    g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
  }
  g_setenv ("TZ", "UTC", TRUE);
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");

  gtk_init ();
  adw_init ();

  g_test_add_func ("/antenna/secrets/app-run", test_app_run);
  g_test_add_func ("/antenna/secrets/plaintext-warning", test_plaintext_warning);

  return antenna_test_run ();
}
