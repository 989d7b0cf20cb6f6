/* test-ui-accessibility.c: what a screen reader hears, under Xvfb
 *
 * The real AntennaWindow in this process, connected to a real mosquitto,
 * a capture opened as its page, and each of its dialogs and windows in turn; tests/atspi-walk.py walks
 * the accessibility tree of what is on screen over the AT-SPI bus, as Orca
 * would, and lists every control whose name is empty, a GTK class name or a
 * mnemonic read aloud ("_Subscribe Subscribe"). Each test fails when it
 * lists one, or when this process is not on the AT-SPI bus (build-aux/test
 * starts it); without a display they skip. With ANTENNA_SCREENSHOT_DIR set
 * it saves what it walked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <unistd.h>

#include "antenna-capture.h"
#include "antenna-capture-page.h"
#include "antenna-client.h"
#include "antenna-connection-page-private.h"
#include "antenna-message.h"
#include "antenna-message-inspector.h"
#include "antenna-message-log.h"
#include "antenna-message-log-view.h"
#include "antenna-password-dialog.h"
#include "antenna-preferences-window.h"
#include "antenna-preset-dialog.h"
#include "antenna-profile.h"
#include "antenna-profile-editor.h"
#include "antenna-profile-store.h"
#include "antenna-publish-window.h"
#include "antenna-secret-store.h"
#include "antenna-settings.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-peer.h"
#include "antenna-test-ui.h"
#include "antenna-topic-tree-view.h"
#include "antenna-window-private.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker   *broker;
  AntennaProfileStore *store;
  AntennaSecretStore  *secrets;
  AntennaSettings     *settings;
  AntennaWindow       *window;
  AntennaProfile      *profile;
  AntennaConnection   *connection;
} Fixture;

static gboolean
is_connected (AntennaClient *client)
{
  return antenna_client_get_state (client) == ANTENNA_CLIENT_STATE_CONNECTED;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  f->store = antenna_profile_store_new (NULL);
  f->secrets = antenna_secret_store_new ();
  f->settings = antenna_settings_new ();
  f->window = antenna_test_ui_window_new (f->store, f->secrets, f->settings);

  /* A saved connection: its row in the sidebar. */
  f->profile = antenna_profile_new ();
  antenna_profile_set_name (f->profile, "Test Broker");
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_store_add (f->store, f->profile);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  antenna_test_ui_window_close (g_steal_pointer (&f->window), g_steal_pointer (&f->secrets));
  g_clear_object (&f->settings);
  g_clear_object (&f->profile);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
}

/* The walker, in its own process: this one must go on answering its
 * questions meanwhile. */

typedef struct
{
  gboolean  done;
  char     *output;
  int       status;
} Walk;

static void
on_walked_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Walk *walk = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &walk->output, NULL, &error);
  g_assert_no_error (error);
  walk->status = g_subprocess_get_if_exited (G_SUBPROCESS (object))
                 ? g_subprocess_get_exit_status (G_SUBPROCESS (object)) : -1;
  walk->done = TRUE;
}

/* Walks the windows shown (or only @title's) and fails on any control
 * without a usable name, with the walker's list in the message. */
static void
assert_all_named (const char *what,
                  const char *title)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "atspi-walk.py", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = g_strdup_printf ("accessibility-%s.png", what);
  const char *python;
  Walk walk = { 0 };

  /* Let the windows settle: their accessibility tree follows their widgets. */
  antenna_test_iterate_for (300);
  antenna_test_screenshot (shot);
  /* Debian's python3, with python3-gi and gir1.2-atspi-2.0 (build-aux/deps),
   * without the tests' G_DEBUG=fatal-warnings: libatspi warns when it asks
   * GTK 4.8 for a cache GTK does not offer ("GetItems … /org/a11y/atspi/
   * cache"), and would die of it. Should it die on a signal all the same,
   * the walk is done again (its exit status is its verdict only when it
   * exited). */
  python = g_getenv ("ANTENNA_TEST_PYTHON") != NULL ? g_getenv ("ANTENNA_TEST_PYTHON") : "python3";
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  for (int attempt = 0; attempt < 3 && (attempt == 0 || walk.status == -1); attempt++)
    {
      g_autoptr(GSubprocess) walker = NULL;

      g_clear_pointer (&walk.output, g_free);
      walk.done = FALSE;
      walker = g_subprocess_launcher_spawn (launcher, &error, python, script, pid, title, NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8_async (walker, NULL, NULL, on_walked_cb, &walk);
      g_assert_true (antenna_test_wait_for (&walk.done, 120000));
    }
  g_assert_cmpint (walk.status, !=, -1);

  g_test_message ("%s:\n%s", what, walk.output);
  /* 2: this process is not on the accessibility bus (build-aux/test-session
   * starts one): a failure, or the test would pass having walked nothing. */
  if (walk.status != 0)
    g_test_fail_printf ("%s: controls a screen reader cannot name:\n%s", what, walk.output);
  g_free (walk.output);
}

static gboolean
have_accessibility_bus (void)
{
  /* build-aux/test-session starts it; GTK finds it on the session bus. */
  if (g_getenv ("DISPLAY") == NULL)
    return FALSE;
  return TRUE;
}

static gboolean
subscribed_all (AntennaClient *client)
{
  GListModel *subscriptions = antenna_client_get_subscriptions (client);

  for (guint i = 0; i < g_list_model_get_n_items (subscriptions); i++)
    {
      g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (subscriptions, i);

      if (antenna_subscription_get_state (subscription) != ANTENNA_SUBSCRIPTION_STATE_ACTIVE)
        return FALSE;
    }
  return g_list_model_get_n_items (subscriptions) > 0;
}

static gboolean
log_has_three (AntennaConnectionPage *page)
{
  return antenna_message_log_get_total_count (_antenna_connection_page_get_message_log (page)) >= 3 &&
         g_list_model_get_n_items (G_LIST_MODEL (_antenna_connection_page_get_message_log (page))) >= 3;
}

static gboolean
inspector_idle (AntennaConnectionPage *page)
{
  AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (page);

  return inspector != NULL && !antenna_message_inspector_get_busy (inspector);
}

/* Connected, subscribed, with a few messages: the topic tree, the log, the
 * inspector on a JSON message and the composer; then the subscriptions. */
static AntennaConnectionPage *
connect_and_fill (Fixture *f)
{
  AntennaConnectionPage *page;
  AntennaSubscriptionsPane *pane;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = g_bytes_new_static ("{\"temp\": 21.5, \"ok\": true}", 26);
  g_autoptr(GBytes) number = g_bytes_new_static ("42", 2);
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x00\x01\xfe\xff", 4);
  g_autoptr(AntennaSubscription) sensors = antenna_subscription_new ("sensors/#", 1);
  g_autoptr(AntennaSubscription) devices = antenna_subscription_new ("devices/+/state", 0);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (f->profile)));
  f->connection = _antenna_window_get_connection (f->window, antenna_profile_get_id (f->profile));
  g_assert_nonnull (f->connection);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, f->connection->client, WAIT_MS));
  page = ANTENNA_CONNECTION_PAGE (f->connection->page);

  pane = _antenna_connection_page_get_subscriptions_pane (page);
  antenna_subscriptions_pane_subscribe (pane, sensors);
  antenna_subscriptions_pane_subscribe (pane, devices);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) subscribed_all, f->connection->client, WAIT_MS));

  g_assert_true (antenna_test_pub (f->broker, "sensors/kitchen/temp", json, 1, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_pub (f->broker, "sensors/kitchen/count", number, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_pub (f->broker, "devices/d1/state", binary, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_three, page, WAIT_MS));

  g_assert_true (antenna_topic_tree_view_select_topic (_antenna_connection_page_get_topic_tree_view (page),
                                                       "sensors/kitchen/temp"));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) inspector_idle, page, WAIT_MS));
  gtk_widget_activate_action (GTK_WIDGET (page), "page.toggle-publish", NULL);
  return page;
}

static void
test_connected_page (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const views[] = { "properties", "history", "chart", "diff" };
  AntennaConnectionPage *page;

  if (!have_accessibility_bus ())
    {
      g_test_skip ("no display");
      return;
    }
  page = connect_and_fill (f);
  gtk_widget_activate_action (GTK_WIDGET (page), "page.show-messages", NULL);
  assert_all_named ("messages", NULL);

  gtk_widget_activate_action (GTK_WIDGET (page), "page.show-subscriptions", NULL);
  assert_all_named ("subscriptions", NULL);

  /* The inspector's other views: the message's history, its chart. */
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *what = g_strdup_printf ("inspector-%s", views[i]);

      g_object_set (_antenna_connection_page_get_inspector (page), "view", views[i], NULL);
      assert_all_named (what, NULL);
    }
}

static gboolean
capture_loaded (AntennaCapturePage *page)
{
  return !antenna_capture_page_get_loading (page) &&
         g_list_model_get_n_items (G_LIST_MODEL (antenna_capture_page_get_message_log (page))) ==
         antenna_capture_page_get_n_loaded (page);
}

static gboolean
capture_inspector_idle (AntennaCapturePage *page)
{
  return !antenna_message_inspector_get_busy (antenna_capture_page_get_inspector (page));
}

/* A capture's page: its sidebar row and Close button, the search, the time
 * range, Export… and Replay…, and the inspector's views. */
static void
test_capture_page (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const views[] = { "payload", "decoded", "history", "chart", "diff" };
  g_autofree char *dir = g_dir_make_tmp ("antenna-a11y-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kitchen" ANTENNA_CAPTURE_SUFFIX, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  AntennaCapturePage *page;

  if (!have_accessibility_bus ())
    {
      g_test_skip ("no display");
      return;
    }

  {
    g_autoptr(AntennaCapture) capture = antenna_capture_new (path, 0, &error);
    g_autoptr(GAsyncResult) result = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *text = g_strdup_printf ("{\"temp\": %u.5}", 20 + i);
        g_autoptr(GBytes) payload = g_bytes_new (text, strlen (text));
        g_autoptr(AntennaMessage) m = antenna_message_new ("sensors/kitchen/temp", payload, 0, FALSE, FALSE,
                                                           ANTENNA_MESSAGE_RECEIVED,
                                                           1796000000000000 + i * G_USEC_PER_SEC, NULL);

        antenna_capture_append (capture, m);
      }
    antenna_capture_stop_async (capture, NULL, antenna_test_store_result, &result);
    antenna_test_wait_result (&result, WAIT_MS);
    g_assert_true (antenna_capture_stop_finish (capture, result, &error));
  }

  page = ANTENNA_CAPTURE_PAGE (antenna_window_open_capture (f->window, file));
  g_assert_nonnull (page);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) capture_loaded, page, WAIT_MS));
  g_assert_true (antenna_topic_tree_view_select_topic (antenna_capture_page_get_tree_view (page),
                                                       "sensors/kitchen/temp"));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) capture_inspector_idle, page, WAIT_MS));
  assert_all_named ("capture-page", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *what = g_strdup_printf ("capture-inspector-%s", views[i]);

      antenna_message_inspector_show_view (antenna_capture_page_get_inspector (page), views[i]);
      assert_all_named (what, NULL);
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.close-capture", "s", path));
  antenna_test_remove_tree (dir);
}

static void
test_publish_window (Fixture       *f,
                     gconstpointer  data)
{
  AntennaConnectionPage *page;
  GtkWindow *publish;

  if (!have_accessibility_bus ())
    {
      g_test_skip ("no display");
      return;
    }
  page = connect_and_fill (f);
  gtk_widget_activate_action (GTK_WIDGET (page), "page.detach-publish", NULL);
  publish = antenna_test_ui_wait_window (ANTENNA_TYPE_PUBLISH_WINDOW, WAIT_MS);
  g_assert_nonnull (publish);
  assert_all_named ("publish-window", gtk_window_get_title (publish));
  gtk_window_destroy (publish);
}

static void
test_editor (Fixture       *f,
             gconstpointer  data)
{
  GtkWindow *editor;

  if (!have_accessibility_bus ())
    {
      g_test_skip ("no display");
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "edit-profile",
                                  g_variant_new_string (antenna_profile_get_id (f->profile)));
  editor = antenna_test_ui_wait_window (ANTENNA_TYPE_PROFILE_EDITOR, WAIT_MS);
  g_assert_nonnull (editor);
  assert_all_named ("editor", gtk_window_get_title (editor));
  gtk_window_destroy (editor);
}

static void
test_preset_dialog (Fixture       *f,
                    gconstpointer  data)
{
  GtkWindow *dialog;

  if (!have_accessibility_bus ())
    {
      g_test_skip ("no display");
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "new-profile", NULL);
  dialog = antenna_test_ui_wait_window (ANTENNA_TYPE_PRESET_DIALOG, WAIT_MS);
  g_assert_nonnull (dialog);
  assert_all_named ("new-connection", gtk_window_get_title (dialog));
  gtk_window_destroy (dialog);
}

static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *preferences;

  if (!have_accessibility_bus ())
    {
      g_test_skip ("no display");
      return;
    }
  preferences = antenna_preferences_window_new (GTK_WINDOW (f->window), f->settings);
  gtk_window_present (GTK_WINDOW (preferences));
  assert_all_named ("preferences", gtk_window_get_title (GTK_WINDOW (preferences)));
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_shortcuts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  if (!have_accessibility_bus ())
    {
      g_test_skip ("no display");
      return;
    }
  builder = gtk_builder_new_from_resource ("/io/github/antennamqtt/Antenna/gtk/help-overlay.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (f->window));
  gtk_window_present (shortcuts);
  assert_all_named ("shortcuts", gtk_window_get_title (shortcuts));
  gtk_window_destroy (shortcuts);
}

/* The password dialog, as a connection with a user name and no saved
 * password opens it. */
static void
test_password_dialog (Fixture       *f,
                      gconstpointer  data)
{
  GtkWindow *dialog;

  if (!have_accessibility_bus ())
    {
      g_test_skip ("no display");
      return;
    }
  antenna_profile_set_username (f->profile, "reader");
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (f->profile)));
  dialog = antenna_test_ui_wait_window (ANTENNA_TYPE_PASSWORD_DIALOG, WAIT_MS);
  g_assert_nonnull (dialog);
  assert_all_named ("password", gtk_window_get_title (dialog));
  /* libadwaita 1.2's AdwEntryRow keeps a handler on its window's focus
   * that outlives it: with the focus left in the row, destroying the
   * window after the dialog warns (an invalid cast to GtkEditable). */
  gtk_window_set_focus (dialog, NULL);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  antenna_test_iterate_for (100);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK talks to the accessibility bus only when asked nothing else. */
  g_unsetenv ("NO_AT_BRIDGE");
  g_unsetenv ("GTK_A11Y");
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

#define ADD(path, func) \
  g_test_add ("/antenna/ui/accessibility/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("connected-page", test_connected_page);
  ADD ("publish-window", test_publish_window);
  ADD ("capture-page", test_capture_page);
  ADD ("editor", test_editor);
  ADD ("new-connection", test_preset_dialog);
  ADD ("preferences", test_preferences);
  ADD ("shortcuts", test_shortcuts);
  ADD ("password-dialog", test_password_dialog);

#undef ADD

  return antenna_test_run ();
}
