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
#include "antenna-test-app.h"
#include "antenna-test-broker.h"
#include "antenna-test-keyring.h"
#include "antenna-test-ui.h"
#include "antenna-application.h"
#include "antenna-window.h"

/* The test's own directory, which the app must not write a password into either. */
static char *start_cwd;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

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

/* None of @passwords in its command line or its environment, while it runs. */
static void
assert_not_in_proc (GPid                pid,
                    const char * const *passwords,
                    guint               n_passwords)
{
  for (guint i = 0; i < n_passwords; i++)
    g_assert_true (antenna_test_assert_not_in_process (pid, passwords[i]));
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
  g_autoptr(AntennaTestApp) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = random_password ("first");
  g_autofree char *second = random_password ("second");
  g_autofree char *app_cwd = NULL;
  g_autofree char *connected = NULL;
  g_autofree char *looked_up = NULL;
  g_autofree char *id = NULL;
  const char *passwords[4];
  const char *output;
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
  antenna_test_secret_store_ok (secrets, profile, first);
  looked_up = antenna_test_secret_lookup_ok (secrets, profile);
  g_assert_cmpstr (looked_up, ==, first);

  /* 2. The real app, everything it says kept. */
  g_test_message ("2. the app");
  /* The app runs in a directory of its own: the path must not depend on ours. */
  app_cwd = g_build_filename (g_get_home_dir (), "cwd", NULL);
  g_assert_cmpint (g_mkdir_with_parents (app_cwd, 0700), ==, 0);
  app = antenna_test_app_start (app_cwd, "all");
  pid = antenna_test_app_get_pid (app);

  /* 3. Connected with the password from the keyring. */
  g_test_message ("3. connect");
  connected = g_strdup_printf ("Connection %s is connected", id);
  antenna_test_app_activate_action (app, "win.connect-profile", id);
  antenna_test_app_wait_output (app, connected, 1, 20000);
  assert_not_in_proc (pid, passwords, G_N_ELEMENTS (passwords));

  /* 4. The password changes: at the broker, then in the keyring; the app
   * disconnects and connects again with the new one. */
  g_test_message ("4. a new password");
  antenna_test_app_activate_action (app, "win.disconnect-profile", id);
  {
    g_autofree char *disconnected = g_strdup_printf ("Connection %s is disconnected", id);

    antenna_test_app_wait_output (app, disconnected, 1, 20000);
  }
  change_broker_password (broker, second);
  antenna_test_secret_store_ok (secrets, profile, second);
  antenna_test_app_activate_action (app, "win.connect-profile", id);
  antenna_test_app_wait_output (app, connected, 2, 20000);
  assert_not_in_proc (pid, passwords, G_N_ELEMENTS (passwords));

  /* 5. The app quits, as Ctrl+Q does. */
  g_test_message ("5. quit");
  antenna_test_app_activate_action (app, "app.quit", NULL);
  antenna_test_app_wait_exit (app, 30000);
  output = antenna_test_app_get_output (app);
  g_test_message ("the app printed %" G_GSIZE_FORMAT " bytes with G_MESSAGES_DEBUG=all", strlen (output));
  g_assert_cmpuint (antenna_test_count_in (output, "antenna-client-DEBUG"), >, 0);

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
    antenna_test_secret_clear_ok (secrets, saved);
    gone = antenna_test_secret_lookup_ok (secrets, saved);
    g_assert_null (gone);
    g_object_unref (saved);
  }

  /* 7. Nowhere. */
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      guint n = 0;

      if (strstr (output, passwords[i]) != NULL)
        g_error ("The app printed the password:\n%s", output);

      n += antenna_test_assert_in_no_file (g_get_home_dir (), passwords[i], 0);
      n += antenna_test_assert_in_no_file (g_get_user_config_dir (), passwords[i], 0);
      n += antenna_test_assert_in_no_file (g_get_user_data_dir (), passwords[i], 0);
      n += antenna_test_assert_in_no_file (g_get_user_cache_dir (), passwords[i], 0);
      n += antenna_test_assert_in_no_file (g_get_user_state_dir (), passwords[i], 0);
      n += antenna_test_assert_in_no_file (g_get_user_runtime_dir (), passwords[i], 0);
      n += antenna_test_assert_in_no_file (app_cwd, passwords[i], 0);
      n += antenna_test_assert_in_no_file (start_cwd, passwords[i], start);
      n += antenna_test_assert_in_no_file (g_get_tmp_dir (), passwords[i], start);
      if (i == 0)
        g_test_message ("%u files read", n);
      g_assert_cmpuint (n, >, 0);
    }

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

static gboolean
dialog_shown (gpointer heading)
{
  return find_dialog (heading) != NULL;
}

static AdwMessageDialog *
wait_for_dialog (const char *heading,
                 guint       timeout_ms)
{
  antenna_test_wait_until (dialog_shown, (gpointer) heading, timeout_ms);
  return find_dialog (heading);
}

/* How many times the broker let the user in so far. */
static guint
count_logins (AntennaTestBroker *broker)
{
  g_autofree char *log = antenna_test_broker_get_log (broker);
  g_autofree char *user = g_strdup_printf ("u'%s'", antenna_test_broker_get_username (broker));

  return antenna_test_count_in (log, user);
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

typedef struct
{
  AntennaTestBroker *broker;
  guint              n;
} LoginsWait;

static gboolean
logged_in (gpointer user_data)
{
  LoginsWait *wait = user_data;

  return count_logins (wait->broker) >= wait->n;
}

static gboolean
wait_logins (AntennaTestBroker *broker,
             guint              n,
             guint              timeout_ms)
{
  LoginsWait wait = { broker, n };

  return antenna_test_wait_until (logged_in, &wait, timeout_ms);
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
  antenna_test_secret_store_ok (secrets, profile, password);
  antenna_test_secret_store_ok (secrets, local, password);

  /* The app's own objects (its startup loads the profiles saved above). */
  app = antenna_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* Our own reference, to see it finalized at the end. */
  window = g_object_ref (antenna_window_new (ADW_APPLICATION (app)));
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
  g_assert_finalize_object (window);
  antenna_test_secret_clear_ok (secrets, profile);
  antenna_test_secret_clear_ok (secrets, local);
  g_settings_reset (settings, "insecure-password-accepted");
}

int
main (int   argc,
      char *argv[])
{
  start_cwd = g_get_current_dir ();
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  g_test_add_func ("/antenna/secrets/app-run", test_app_run);
  g_test_add_func ("/antenna/secrets/plaintext-warning", test_plaintext_warning);

  return antenna_test_run ();
}
