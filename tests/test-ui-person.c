/* test-ui-person.c: the window as a person meets it, under Xvfb
 *
 * The real AntennaWindow on a profile store in the test's configuration
 * folder, against a real mosquitto: subscriptions typed by hand survive a
 * Disconnect and Connect (the header's button, Ctrl+K's action, the
 * sidebar's) and a restart of the window from the same folder. With
 * ANTENNA_SCREENSHOT_DIR set it saves what it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <locale.h>
#include <string.h>

#include "antenna-application.h"
#include "antenna-client.h"
#include "antenna-connection-page-private.h"
#include "antenna-counts-interval.h"
#include "antenna-composer.h"
#include "antenna-failure-banner.h"
#include "antenna-message.h"
#include "antenna-message-inspector.h"
#include "antenna-message-log-view.h"
#include "antenna-password-dialog.h"
#include "antenna-profile.h"
#include "antenna-profile-editor.h"
#include "antenna-profile-row.h"
#include "antenna-preset-dialog.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-settings.h"
#include "antenna-subscription.h"
#include "antenna-subscriptions-pane.h"
#include "antenna-topic-tree.h"
#include "antenna-topic-node.h"
#include "antenna-value-chart.h"
#include "antenna-topic-tree-view.h"
#include "antenna-test-broker.h"
#include "antenna-test-keyring.h"
#include "antenna-test-peer.h"
#include "antenna-test-ui.h"
#include "antenna-window-private.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker   *broker;
  AntennaProfileStore *store;
  AntennaSecretStore  *secrets;
  AntennaSettings     *settings;
  AntennaWindow       *window;
  guint                n_received;
} Fixture;

/* The window as the application makes it, on the profiles saved in the
 * configuration folder. */
static void
open_window (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = antenna_profile_store_new (NULL);
  g_assert_true (antenna_profile_store_load (f->store, NULL, &error));
  g_assert_no_error (error);
  antenna_profile_store_set_autosave (f->store, TRUE);
  f->secrets = antenna_secret_store_new ();
  f->settings = antenna_settings_new ();
  f->window = antenna_test_ui_window_new (f->store, f->secrets, f->settings);
}

/* As quitting does: every connection closed, the window gone, the
 * profiles written. */
static void
close_window (Fixture *f)
{
  antenna_test_ui_window_close (g_steal_pointer (&f->window), g_steal_pointer (&f->secrets));
  g_clear_object (&f->settings);
  g_assert_finalize_object (g_steal_pointer (&f->store));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  open_window (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  close_window (f);
  g_clear_pointer (&f->broker, antenna_test_broker_free);
}

/* A saved connection to the test's broker, selected in the sidebar. */
static AntennaProfile *
add_profile (Fixture    *f,
             const char *name)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();

  antenna_profile_set_name (profile, name);
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_store_add (f->store, profile);
  return profile;  /* the store keeps it */
}

static AntennaProfile *
first_profile (Fixture *f)
{
  g_autoptr(AntennaProfile) profile = g_list_model_get_item (G_LIST_MODEL (f->store), 0);

  return profile;  /* the store keeps it */
}

static AntennaConnection *
connection_of (Fixture        *f,
               AntennaProfile *profile)
{
  AntennaConnection *connection = _antenna_window_get_connection (f->window, antenna_profile_get_id (profile));

  g_assert_nonnull (connection);
  return connection;
}

static AntennaSubscriptionsPane *
pane_of (AntennaConnection *connection)
{
  return _antenna_connection_page_get_subscriptions_pane (ANTENNA_CONNECTION_PAGE (connection->page));
}

static gboolean
is_connected (AntennaClient *client)
{
  return antenna_client_get_state (client) == ANTENNA_CLIENT_STATE_CONNECTED;
}

static gboolean
is_disconnected (AntennaClient *client)
{
  return antenna_client_get_state (client) == ANTENNA_CLIENT_STATE_DISCONNECTED;
}

static AntennaSubscription *
listed (AntennaClient *client,
        const char    *filter)
{
  GListModel *subs = antenna_client_get_subscriptions (client);

  for (guint i = 0; i < g_list_model_get_n_items (subs); i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (subs, i);

      if (g_strcmp0 (antenna_subscription_get_filter (sub), filter) == 0)
        return sub;  /* the list keeps it */
    }
  return NULL;
}

typedef struct
{
  AntennaClient *client;
  const char    *filter;
} Watch;

static gboolean
is_active (Watch *watch)
{
  AntennaSubscription *sub = listed (watch->client, watch->filter);

  return sub != NULL && antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_ACTIVE;
}

static gboolean
is_unlisted (Watch *watch)
{
  return listed (watch->client, watch->filter) == NULL;
}

/* Typed into the filter entry and Enter pressed. */
static void
type_subscription (AntennaSubscriptionsPane *pane,
                   const char               *filter)
{
  GtkEditable *entry = antenna_subscriptions_pane_get_filter_entry (pane);

  gtk_editable_set_text (entry, filter);
  g_assert_null (antenna_subscriptions_pane_get_filter_error (pane));
  /* Enter in the entry */
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (listed (antenna_subscriptions_pane_get_client (pane), filter));
}

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         Fixture       *f)
{
  f->n_received += messages->len;
}

static gboolean
received_one (Fixture *f)
{
  return f->n_received > 0;
}

/* mosquitto_pub on @topic; the window's client gets it. */
static void
assert_arrives (Fixture           *f,
                AntennaConnection *connection,
                const char        *topic)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("here", 4);
  g_autoptr(GError) error = NULL;
  gulong handler;

  f->n_received = 0;
  handler = g_signal_connect (connection->client, "messages-received", G_CALLBACK (on_messages_received_cb), f);
  g_assert_true (antenna_test_pub (f->broker, topic, payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) received_one, f, WAIT_MS));
  g_signal_handler_disconnect (connection->client, handler);
}

static gboolean
is_subtitle (GtkWidget     *widget,
             gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), data) == 0;
}

static gboolean
is_description (GtkWidget     *widget,
                gconstpointer  data)
{
  return ADW_IS_PREFERENCES_GROUP (widget) &&
         g_strcmp0 (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)), data) == 0;
}

/* Disconnect and Connect with each of the ways a person has: the
 * subscription typed by hand stays listed, inactive, and comes back. */
static void
test_reconnect_keeps_subscriptions (Fixture       *f,
                                    gconstpointer  data)
{
  AntennaProfile *profile = add_profile (f, "Reconnect");
  const char *id = antenna_profile_get_id (profile);
  AntennaConnection *connection;
  AntennaSubscriptionsPane *pane;
  Watch watch;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile", g_variant_new_string (id));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, connection->client, WAIT_MS));
  pane = pane_of (connection);
  gtk_widget_activate_action (connection->page, "page.show-subscriptions", NULL);

  type_subscription (pane, "person/typed/#");
  watch = (Watch) { connection->client, "person/typed/#" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_active, &watch, WAIT_MS));
  g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (pane), is_description,
                                                 "Saved with this connection and subscribed again on every connect"));

  for (guint way = 0; way < 3; way++)
    {
      /* 0: the header's button both ways; 1: Ctrl+K's action; 2: the sidebar row's menu */
      switch (way)
        {
        case 0:
          g_signal_emit_by_name (f->window->connect_button, "clicked");
          break;
        case 1:
          g_action_group_activate_action (G_ACTION_GROUP (f->window), "toggle-connection", NULL);
          break;
        default:
          g_action_group_activate_action (G_ACTION_GROUP (f->window), "disconnect-profile", g_variant_new_string (id));
        }
      g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_disconnected, connection->client, WAIT_MS));

      /* Listed, inactive, saying it comes back. */
      g_assert_nonnull (listed (connection->client, "person/typed/#"));
      g_assert_cmpint (antenna_subscription_get_state (listed (connection->client, "person/typed/#")), ==,
                       ANTENNA_SUBSCRIPTION_STATE_INACTIVE);
      g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (pane), is_subtitle,
                                                     "Inactive · subscribed again on connect"));
      if (way == 0)
        antenna_test_screenshot ("person-subscriptions-disconnected.png");

      switch (way)
        {
        case 0:
          g_signal_emit_by_name (f->window->connect_button, "clicked");
          break;
        case 1:
          g_action_group_activate_action (G_ACTION_GROUP (f->window), "toggle-connection", NULL);
          break;
        default:
          g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile", g_variant_new_string (id));
        }
      g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, connection->client, WAIT_MS));
      g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_active, &watch, WAIT_MS));
      assert_arrives (f, connection, "person/typed/a");
    }
  antenna_test_screenshot ("person-subscriptions-again.png");

  /* Unsubscribed, it is no longer saved either. */
  gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.unsubscribe", "s", "person/typed/#");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_unlisted, &watch, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)), ==, 0);
}

/* A saved connection remembers what was subscribed on it: the window
 * closed and opened again from the same folder, it subscribes again. */
static void
test_subscriptions_survive_restart (Fixture       *f,
                                    gconstpointer  data)
{
  AntennaProfile *profile = add_profile (f, "Restart");
  AntennaConnection *connection;
  Watch watch;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, connection->client, WAIT_MS));
  type_subscription (pane_of (connection), "person/restart/+");
  watch = (Watch) { connection->client, "person/restart/+" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_active, &watch, WAIT_MS));

  close_window (f);
  open_window (f);

  profile = first_profile (f);
  g_assert_cmpstr (antenna_profile_get_name (profile), ==, "Restart");
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, connection->client, WAIT_MS));
  watch = (Watch) { connection->client, "person/restart/+" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_active, &watch, WAIT_MS));
  assert_arrives (f, connection, "person/restart/x");
  gtk_widget_activate_action (connection->page, "page.show-subscriptions", NULL);
  antenna_test_iterate_for (200);
  antenna_test_screenshot ("person-subscriptions-after-restart.png");
}

/* A temporary connection (from a URL) says it does not remember. */
static void
test_temporary_says_not_saved (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *uri = g_strdup_printf ("mqtt://127.0.0.1:%u", antenna_test_broker_get_port (f->broker));
  g_autoptr(AntennaProfile) profile = antenna_profile_new_from_uri (uri, NULL);
  AntennaConnection *connection;

  antenna_window_open_temporary (f->window, profile);
  connection = connection_of (f, profile);
  g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (pane_of (connection)), is_description,
                                                 "Not saved: this temporary connection forgets its subscriptions when it closes"));
}


/* ------------------------------------------------------------------------ */
/* Errors stay in view                                                       */

static AntennaProfileRow *
row_of (Fixture        *f,
        AntennaProfile *profile)
{
  GtkListBox *list = f->window->profile_list;

  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    {
      AntennaProfileRow *row = ANTENNA_PROFILE_ROW (gtk_list_box_get_row_at_index (list, i));

      if (antenna_profile_row_get_profile (row) == profile)
        return row;
    }
  g_assert_not_reached ();
}

static gboolean
page_failed (AntennaConnection *connection)
{
  return antenna_connection_page_get_failure (ANTENNA_CONNECTION_PAGE (connection->page)) != NULL;
}

static gboolean
is_banner_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         gtk_widget_get_ancestor (widget, ANTENNA_TYPE_FAILURE_BANNER) != NULL &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* The page's banner and the row say why, long after a toast went away,
 * until the next attempt; Retry tries again, Edit Connection opens the
 * editor. */
static void
assert_failure_stays (Fixture           *f,
                      AntennaProfile    *profile,
                      AntennaConnection *connection,
                      const char        *words,
                      const char        *shot)
{
  const char *failure;
  GtkWidget *retry;

  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) page_failed, connection, WAIT_MS));
  /* Longer than any toast stays. */
  antenna_test_iterate_for (200);
  failure = antenna_connection_page_get_failure (ANTENNA_CONNECTION_PAGE (connection->page));
  g_test_message ("Failure: %s", failure);
  g_assert_nonnull (strstr (failure, words));
  g_assert_cmpstr (antenna_profile_row_get_failure (row_of (f, profile)), ==, failure);
  g_assert_cmpint (antenna_client_get_state (connection->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
  antenna_test_screenshot (shot);

  /* Retry: gone while it tries, back when it fails again. */
  retry = antenna_test_ui_find_widget (connection->page, is_banner_button, "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) gtk_widget_is_drawable, retry, WAIT_MS));
  g_signal_emit_by_name (retry, "clicked");
  g_assert_null (antenna_connection_page_get_failure (ANTENNA_CONNECTION_PAGE (connection->page)));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) page_failed, connection, WAIT_MS));
  g_assert_nonnull (antenna_profile_row_get_failure (row_of (f, profile)));
}

static gboolean
password_asked (gpointer unused)
{
  return antenna_test_ui_wait_window (ANTENNA_TYPE_PASSWORD_DIALOG, 0) != NULL;
}

static gboolean
password_gone (gpointer unused)
{
  return antenna_test_ui_wait_window (ANTENNA_TYPE_PASSWORD_DIALOG, 0) == NULL;
}

static void
close_password_dialog (void)
{
  GtkWindow *dialog;

  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) password_asked, NULL, WAIT_MS));
  dialog = antenna_test_ui_wait_window (ANTENNA_TYPE_PASSWORD_DIALOG, 0);
  /* Closed as Escape does: its close response is Cancel. */
  gtk_window_close (dialog);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) password_gone, NULL, WAIT_MS));
}

/* A wrong password in the keyring: refused, said on the page and the row. */
static void
test_wrong_password_stays (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  AntennaProfile *profile = add_profile (f, "Wrong Password");
  AntennaConnection *connection;

  antenna_profile_set_port (profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_username (profile, antenna_test_broker_get_username (broker));
  antenna_profile_set_save_password (profile, TRUE);
  antenna_test_secret_store_ok (f->secrets, profile, "not-the-password");

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) page_failed, connection, WAIT_MS));
  /* The password is asked again; cancelled, the reason stays. */
  close_password_dialog ();
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) page_failed, connection, WAIT_MS));
  g_test_message ("Failure: %s", antenna_connection_page_get_failure (ANTENNA_CONNECTION_PAGE (connection->page)));
  g_assert_nonnull (strstr (antenna_connection_page_get_failure (ANTENNA_CONNECTION_PAGE (connection->page)),
                            "password"));
  g_assert_nonnull (antenna_profile_row_get_failure (row_of (f, profile)));
  antenna_test_screenshot ("person-failure-password.png");
}

static gboolean
editor_open (gpointer unused)
{
  return antenna_test_ui_wait_window (ANTENNA_TYPE_PROFILE_EDITOR, 0) != NULL;
}

static gboolean
test_result_shown (AntennaProfileEditor *editor)
{
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (editor), ANTENNA_TYPE_PROFILE_EDITOR,
                                                                       "test_result_revealer"));

  return gtk_revealer_get_child_revealed (revealer);
}

/* A closed port: refused, in view; Edit Connection opens the editor, whose
 * Test Connection result, in a narrow window, is read whole. */
static void
test_closed_port_stays (Fixture       *f,
                        gconstpointer  data)
{
  AntennaProfile *profile = add_profile (f, "Closed Port");
  AntennaConnection *connection;
  AntennaProfileEditor *editor;
  GtkLabel *result;
  GtkWidget *edit;

  antenna_profile_set_port (profile, antenna_test_closed_port ());
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  assert_failure_stays (f, profile, connection, "127.0.0.1", "person-failure-closed-port.png");

  edit = antenna_test_ui_find_widget (connection->page, is_banner_button, "_Edit Connection");
  g_assert_nonnull (edit);
  g_signal_emit_by_name (edit, "clicked");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) editor_open, NULL, WAIT_MS));
  editor = ANTENNA_PROFILE_EDITOR (antenna_test_ui_wait_window (ANTENNA_TYPE_PROFILE_EDITOR, 0));
  gtk_window_set_default_size (GTK_WINDOW (editor), 360, 640);
  antenna_test_iterate_for (200);

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (editor), ANTENNA_TYPE_PROFILE_EDITOR, "test_button"),
                         "clicked");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) test_result_shown, editor, WAIT_MS));
  antenna_test_iterate_for (300);
  result = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (editor), ANTENNA_TYPE_PROFILE_EDITOR, "test_result_label"));
  g_test_message ("Test Connection: %s", gtk_label_get_label (result));
  antenna_test_screenshot ("person-editor-narrow-test-result.png");
  g_test_message ("Editor %d×%d, result %d×%d", gtk_widget_get_width (GTK_WIDGET (editor)), gtk_widget_get_height (GTK_WIDGET (editor)),
                  gtk_widget_get_width (GTK_WIDGET (result)), gtk_widget_get_height (GTK_WIDGET (result)));
  g_assert_nonnull (strstr (gtk_label_get_label (result), "127.0.0.1"));
  /* Whole: within the narrow window, wrapped onto as many lines as it needs
   * (the toast's one line ends in "…" here), never ellipsized. */
  g_assert_true (gtk_label_get_wrap (result));
  g_assert_cmpint (gtk_label_get_ellipsize (result), ==, PANGO_ELLIPSIZE_NONE);
  {
    graphene_rect_t bounds;
    int needed;

    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (result), GTK_WIDGET (editor), &bounds));
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (editor)));
    gtk_widget_measure (GTK_WIDGET (result), GTK_ORIENTATION_VERTICAL, (int) bounds.size.width, &needed, NULL, NULL, NULL);
    g_assert_cmpfloat (bounds.size.height, >=, needed);
  }
  gtk_window_destroy (GTK_WINDOW (editor));
}


/* ------------------------------------------------------------------------ */
/* The keyboard works from anywhere                                          */

/* Real key presses, through the X server (XTEST, as a keyboard): the test
 * runs alone on the display (tests/meson.build), so the focus stays here. */
static void
xdotool (const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_strv_builder_add (builder, "xdotool");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* Time for GTK to take the event in: more under the sanitizers. */
  antenna_test_iterate_for (g_strcmp0 (g_getenv ("ANTENNA_SANITIZE"), "1") == 0 ? 400 : 120);
}

static void
press (const char *keys)
{
  const char *args[] = { "key", "--clearmodifiers", keys, NULL };

  g_test_message ("press %s", keys);
  xdotool (args);
}

static void
type_keys (const char *text)
{
  const char *args[] = { "type", "--delay", "20", text, NULL };

  xdotool (args);
}

static void
focus_window (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  {
    const char *args[] = { "windowfocus", "--sync", xid, NULL };

    xdotool (args);
  }
}

static GtkWidget *
focus_of (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return root != NULL ? gtk_root_get_focus (root) : NULL;
}

static gboolean
focus_within (GtkWidget *widget)
{
  GtkWidget *focus = focus_of (widget);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Presses @key (Tab, shift+Tab, Down…) until the focus is in @target. */
static void
move_focus_to (GtkWidget  *target,
               const char *key)
{
  for (guint i = 0; i < 100 && !focus_within (target); i++)
    {
      GtkWidget *focus;

      press (key);
      focus = focus_of (target);
      g_test_message ("focus: %s", focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "none");
    }
  g_assert_true (focus_within (target));
}

static GtkWidget *
child_of (GtkWidget  *widget,
          GType       type,
          const char *name)
{
  GObject *child = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
is_connected_page (AntennaConnection *connection)
{
  return is_connected (connection->client);
}

static const char *
visible_view (AntennaConnection *connection)
{
  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (child_of (connection->page, ANTENNA_TYPE_CONNECTION_PAGE,
                                                                          "view_stack")));
}

typedef struct
{
  AntennaClient *client;
  const char    *topic;
  const char    *payload;
  gboolean       seen;
} Arrival;

static void
on_arrival_cb (AntennaClient *client,
               GPtrArray     *messages,
               Arrival       *arrival)
{
  for (guint i = 0; i < messages->len; i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);
      GBytes *payload = antenna_message_get_payload (message);

      if (g_strcmp0 (antenna_message_get_topic (message), arrival->topic) == 0 &&
          payload != NULL && g_bytes_get_size (payload) == strlen (arrival->payload) &&
          memcmp (g_bytes_get_data (payload, NULL), arrival->payload, strlen (arrival->payload)) == 0)
        arrival->seen = TRUE;
    }
}

typedef struct
{
  AntennaConnection *connection;
  const char        *view;
} ViewWatch;

static gboolean
view_is (ViewWatch *watch)
{
  return g_strcmp0 (visible_view (watch->connection), watch->view) == 0;
}

/* Keys go through the X server: what they do comes a little later (much
 * later under the sanitizers). */
static void
wait_view (AntennaConnection *connection,
           const char        *view)
{
  ViewWatch watch = { connection, view };

  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) view_is, &watch, WAIT_MS));
}

static gboolean
publish_hidden (AntennaConnection *connection);

static gboolean
has_connection_log_window (GtkWidget *page)
{
  return _antenna_connection_page_get_connection_log_window (ANTENNA_CONNECTION_PAGE (page)) != NULL;
}

static gboolean
publish_visible (AntennaConnection *connection)
{
  gboolean visible;

  g_object_get (connection->page, "publish-visible", &visible, NULL);
  return visible;
}

static gboolean
publish_hidden (AntennaConnection *connection)
{
  return !publish_visible (connection);
}

static gboolean
chooser_open (gpointer unused)
{
  return antenna_test_ui_wait_window (ANTENNA_TYPE_PRESET_DIALOG, 0) != NULL;
}

static gboolean
editor_closed (gpointer unused)
{
  return antenna_test_ui_wait_window (ANTENNA_TYPE_PROFILE_EDITOR, 0) == NULL;
}

static gboolean
log_selected (AntennaMessageLogView *view)
{
  AntennaMessage *message = antenna_message_log_view_get_selected_message (view);

  return message != NULL && g_strcmp0 (antenna_message_get_topic (message), "kbd/in") == 0;
}

/* From an empty window to a disconnect, with key presses only: a new
 * connection, connect, subscribe, select a message, publish, the page's
 * shortcuts from the sidebar, disconnect. */
static void
test_keyboard_only (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (f->broker));
  g_autoptr(GBytes) payload = g_bytes_new_static ("in", 2);
  g_autoptr(GError) error = NULL;
  AntennaProfileEditor *editor;
  AntennaProfile *profile;
  AntennaConnection *connection;
  AntennaSubscriptionsPane *pane;
  AntennaMessageLogView *log_view;
  GtkWidget *chooser;
  GtkWidget *back;
  GtkListBoxRow *selected;
  Arrival arrival = { NULL, "kbd/out", "hello", FALSE };
  g_autoptr(GtkApplication) app = NULL;
  Watch watch;
  gulong handler;

  /* The application's shortcuts (Ctrl+N, Ctrl+K), as the app sets them. */
  app = gtk_application_new ("io.github.antennamqtt.Antenna.KeyboardTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  antenna_application_add_accels (app);
  gtk_window_set_application (GTK_WINDOW (f->window), app);
  focus_window (GTK_WINDOW (f->window));

  /* 1. Ctrl+N, Another Broker, the editor's fields, Save. */
  press ("ctrl+n");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) chooser_open, NULL, WAIT_MS));
  chooser = GTK_WIDGET (antenna_test_ui_wait_window (ANTENNA_TYPE_PRESET_DIALOG, 0));
  move_focus_to (antenna_test_ui_find_row (chooser, ADW_TYPE_ACTION_ROW, "Another Broker"), "Tab");
  press ("Return");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) editor_open, NULL, WAIT_MS));
  editor = ANTENNA_PROFILE_EDITOR (antenna_test_ui_wait_window (ANTENNA_TYPE_PROFILE_EDITOR, 0));
  {
    GtkWidget *general = child_of (GTK_WIDGET (editor), ANTENNA_TYPE_PROFILE_EDITOR, "general_group");

    move_focus_to (child_of (general, G_OBJECT_TYPE (general), "name_row"), "Tab");
    press ("ctrl+a");
    type_keys ("Keyboard");
    move_focus_to (child_of (general, G_OBJECT_TYPE (general), "host_row"), "Tab");
    press ("ctrl+a");
    type_keys ("127.0.0.1");
    move_focus_to (child_of (general, G_OBJECT_TYPE (general), "port_row"), "Tab");
    press ("ctrl+a");
    type_keys (port);
  }
  antenna_test_screenshot ("person-keyboard-editor.png");
  move_focus_to (child_of (GTK_WIDGET (editor), ANTENNA_TYPE_PROFILE_EDITOR, "save_button"), "Tab");
  press ("Return");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) editor_closed, NULL, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  profile = first_profile (f);
  g_assert_cmpstr (antenna_profile_get_name (profile), ==, "Keyboard");
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, antenna_test_broker_get_port (f->broker));
  focus_window (GTK_WINDOW (f->window));

  /* 2. Its row, Enter: connects. */
  move_focus_to (GTK_WIDGET (f->window->profile_list), "Tab");
  press ("Return");
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected_page, connection, WAIT_MS));

  /* 3. Alt+2, the filter, Enter. */
  press ("alt+2");
  wait_view (connection, "subscriptions");
  pane = pane_of (connection);
  move_focus_to (GTK_WIDGET (antenna_subscriptions_pane_get_filter_entry (pane)), "Tab");
  type_keys ("kbd/#");
  press ("Return");
  watch = (Watch) { connection->client, "kbd/#" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_active, &watch, WAIT_MS));

  /* 4. A message comes; Alt+1, into the log, select it. */
  g_assert_true (antenna_test_pub (f->broker, "kbd/in", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  press ("alt+1");
  wait_view (connection, "messages");
  log_view = _antenna_connection_page_get_message_log_view (ANTENNA_CONNECTION_PAGE (connection->page));
  move_focus_to (child_of (GTK_WIDGET (log_view), ANTENNA_TYPE_MESSAGE_LOG_VIEW, "list_view"), "Tab");
  for (guint i = 0; i < 5 && !log_selected (log_view); i++)
    press (i % 2 == 0 ? "Home" : "space");
  g_assert_true (log_selected (log_view));
  back = focus_of (GTK_WIDGET (log_view));

  /* 5. Ctrl+P, topic, payload, Ctrl+Enter; Ctrl+P again: the focus is back. */
  arrival.client = connection->client;
  handler = g_signal_connect (connection->client, "messages-received", G_CALLBACK (on_arrival_cb), &arrival);
  press ("ctrl+p");
  {
    AntennaComposer *composer = _antenna_connection_page_get_composer (ANTENNA_CONNECTION_PAGE (connection->page));

    move_focus_to (child_of (GTK_WIDGET (composer), ANTENNA_TYPE_COMPOSER, "topic_entry"), "Tab");
    press ("ctrl+a");
    type_keys ("kbd/out");
    move_focus_to (child_of (GTK_WIDGET (composer), ANTENNA_TYPE_COMPOSER, "payload_view"), "Tab");
    type_keys ("hello");
    antenna_test_screenshot ("person-keyboard-composer.png");
    press ("ctrl+Return");
  }
  g_assert_true (antenna_test_wait_for (&arrival.seen, WAIT_MS));
  g_signal_handler_disconnect (connection->client, handler);
  press ("ctrl+p");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) publish_hidden, connection, WAIT_MS));
  g_assert_true (focus_of (GTK_WIDGET (log_view)) == back);

  /* 6. The sidebar: arrows move without choosing; the page's shortcuts work there. */
  {
    g_autoptr(AntennaProfile) other = antenna_profile_new ();

    antenna_profile_set_name (other, "Other");
    antenna_profile_set_host (other, "127.0.0.1");
    antenna_profile_store_add (f->store, other);
  }
  antenna_test_iterate_for (100);
  selected = gtk_list_box_get_selected_row (f->window->profile_list);
  g_assert_nonnull (selected);
  move_focus_to (GTK_WIDGET (f->window->profile_list), "Tab");
  press ("Down");
  press ("Up");
  press ("Down");
  g_assert_true (focus_within (GTK_WIDGET (f->window->profile_list)));
  g_assert_true (gtk_list_box_get_selected_row (f->window->profile_list) == selected);
  g_assert_true (gtk_stack_get_visible_child (f->window->content_stack) == connection->page);
  press ("alt+2");
  wait_view (connection, "subscriptions");
  press ("alt+1");
  wait_view (connection, "messages");
  press ("ctrl+p");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) publish_visible, connection, WAIT_MS));
  antenna_test_screenshot ("person-keyboard-sidebar.png");
  press ("ctrl+p");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) publish_hidden, connection, WAIT_MS));
  move_focus_to (GTK_WIDGET (f->window->profile_list), "Tab");
  press ("ctrl+f");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) focus_within,
                                          _antenna_connection_page_get_topic_tree_view (ANTENNA_CONNECTION_PAGE (connection->page)), WAIT_MS));
  /* In the log, Ctrl+F is its filter. */
  move_focus_to (child_of (GTK_WIDGET (log_view), ANTENNA_TYPE_MESSAGE_LOG_VIEW, "list_view"), "Tab");
  press ("ctrl+f");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) focus_within,
                                          child_of (GTK_WIDGET (log_view), ANTENNA_TYPE_MESSAGE_LOG_VIEW, "topic_entry"), WAIT_MS));

  /* 7. Ctrl+K: disconnected. */
  press ("ctrl+k");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_disconnected, connection->client, WAIT_MS));

  /* 8. Ctrl+L from the sidebar: the page's connection log. */
  move_focus_to (GTK_WIDGET (f->window->profile_list), "Tab");
  press ("ctrl+l");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) has_connection_log_window, connection->page, WAIT_MS));
  gtk_window_destroy (GTK_WINDOW (_antenna_connection_page_get_connection_log_window (ANTENNA_CONNECTION_PAGE (connection->page))));
  gtk_window_set_application (GTK_WINDOW (f->window), NULL);
}


/* ------------------------------------------------------------------------ */
/* Small things                                                              */

static gboolean
is_paned (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_PANED (widget);
}

/* The outer pane: tree | (view, inspector). */
static int
paned_height (AntennaConnection *connection)
{
  GtkWidget *paned = antenna_test_ui_find_widget (connection->page, is_paned, NULL);

  g_assert_nonnull (paned);
  return gtk_widget_get_height (paned);
}

/* Shown and hidden, the publish pane leaves no band behind: the panes take
 * the whole page again. */
static void
test_publish_pane_leaves_no_band (Fixture       *f,
                                  gconstpointer  data)
{
  AntennaProfile *profile = add_profile (f, "Band");
  AntennaConnection *connection;
  int before;
  int shown;
  int after;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected_page, connection, WAIT_MS));
  antenna_test_iterate_for (500);
  before = paned_height (connection);

  gtk_widget_activate_action (connection->page, "page.toggle-publish", NULL);
  antenna_test_iterate_for (1000);
  shown = paned_height (connection);
  gtk_widget_activate_action (connection->page, "page.toggle-publish", NULL);
  antenna_test_iterate_for (1000);
  after = paned_height (connection);
  g_test_message ("page %d, panes %d, with the publish pane %d, after %d",
                  gtk_widget_get_height (connection->page), before, shown, after);
  antenna_test_screenshot ("person-publish-hidden.png");

  g_assert_cmpint (shown, <, before);
  g_assert_cmpint (after, ==, before);
  g_assert_cmpint (after, ==, gtk_widget_get_height (connection->page));
}


static gboolean
log_has_all (AntennaConnection *connection)
{
  AntennaMessageLog *log = _antenna_connection_page_get_message_log (ANTENNA_CONNECTION_PAGE (connection->page));

  return g_list_model_get_n_items (G_LIST_MODEL (log)) >= 300;
}

/* Messages that came while the Subscriptions tab was in front: the log
 * opens on the newest, at the very bottom. */
static void
test_log_opens_on_newest (Fixture       *f,
                          gconstpointer  data)
{
  const char *repeat[] = { "--repeat", "300", NULL };
  g_autoptr(GBytes) payload = g_bytes_new_static ("n", 1);
  g_autoptr(GError) error = NULL;
  AntennaProfile *profile = add_profile (f, "Newest");
  AntennaConnection *connection;
  AntennaMessageLogView *log_view;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  Watch watch;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected_page, connection, WAIT_MS));
  gtk_widget_activate_action (connection->page, "page.show-subscriptions", NULL);
  type_subscription (pane_of (connection), "flood/#");
  watch = (Watch) { connection->client, "flood/#" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_active, &watch, WAIT_MS));

  g_assert_true (antenna_test_pub_full (f->broker, "flood/a", payload, 1, FALSE, repeat, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_all, connection, WAIT_MS));
  antenna_test_iterate_for (300);

  gtk_widget_activate_action (connection->page, "page.show-messages", NULL);
  antenna_test_iterate_for (1000);
  log_view = _antenna_connection_page_get_message_log_view (ANTENNA_CONNECTION_PAGE (connection->page));
  scrolled = GTK_SCROLLED_WINDOW (child_of (GTK_WIDGET (log_view), ANTENNA_TYPE_MESSAGE_LOG_VIEW, "scrolled_window"));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  g_test_message ("value %.0f, upper %.0f, page %.0f", gtk_adjustment_get_value (adjustment),
                  gtk_adjustment_get_upper (adjustment), gtk_adjustment_get_page_size (adjustment));
  antenna_test_screenshot ("person-log-newest.png");
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adjustment),
                                  gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment), 1.0);
}


/* @locale (es_ES, en_US) compiled from Debian's locale sources into @dir,
 * which LOCPATH then names: the machine needs no locales installed. */
static gboolean
make_locale (const char *dir,
             const char *locale)
{
  g_autofree char *out = g_strdup_printf ("%s/%s.UTF-8", dir, locale);
  const char *argv[] = { "localedef", "-i", locale, "-f", "UTF-8", out, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error))
    return FALSE;
  /* localedef warns (exit 1) about things that do not stop it. */
  return g_file_test (out, G_FILE_TEST_IS_DIR);
}

static void
add_one (AntennaTopicTree *tree)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (one, antenna_message_new ("a/b", NULL, 0, FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED, g_get_real_time (), NULL));
  antenna_topic_tree_add_messages (tree, one);
}

static const char *
tree_status (AntennaTopicTreeView *view)
{
  /* Counts are written a few times a second: past that interval. */
  antenna_test_iterate_for (ANTENNA_COUNTS_INTERVAL_USEC / 1000 + 50);
  antenna_topic_tree_view_tick (view, g_get_real_time ());
  return gtk_label_get_label (GTK_LABEL (child_of (GTK_WIDGET (view), ANTENNA_TYPE_TOPIC_TREE_VIEW, "status_label")));
}

/* Counts with the locale's thousands grouping, and a word on what they count. */
static void
test_counts_grouped (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("antenna-locales-XXXXXX", NULL);
  g_autoptr(AntennaTopicTree) tree = antenna_topic_tree_new (10);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  AntennaTopicTreeView *view;
  GtkWidget *window;
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));

  if (!make_locale (dir, "es_ES") || !make_locale (dir, "en_US"))
    {
      antenna_test_remove_tree (dir);
      g_test_skip ("localedef cannot make es_ES and en_US here");
      return;
    }

  for (guint i = 0; i < 12345; i++)
    g_ptr_array_add (messages, antenna_message_new (i % 2 ? "a/b" : "a/c", NULL, 0, FALSE, FALSE,
                                                    ANTENNA_MESSAGE_RECEIVED, g_get_real_time (), NULL));
  antenna_topic_tree_add_messages (tree, messages);
  view = ANTENNA_TOPIC_TREE_VIEW (antenna_topic_tree_view_new (tree));
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  antenna_test_iterate_for (100);

  g_setenv ("LOCPATH", dir, TRUE);
  g_assert_nonnull (setlocale (LC_NUMERIC, "es_ES.UTF-8"));
  g_test_message ("es_ES: %s", tree_status (view));
  g_assert_nonnull (strstr (tree_status (view), "12.345 messages received"));
  /* One more each time: the view writes its counts again when they change. */
  add_one (tree);
  g_assert_nonnull (setlocale (LC_NUMERIC, "en_US.UTF-8"));
  g_test_message ("en_US: %s", tree_status (view));
  g_assert_nonnull (strstr (tree_status (view), "12,346 messages received"));
  add_one (tree);
  setlocale (LC_NUMERIC, saved);
  g_unsetenv ("LOCPATH");
  g_assert_nonnull (strstr (tree_status (view), "12347 messages received"));

  /* What it counts, said where the count is. */
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (child_of (GTK_WIDGET (view), ANTENNA_TYPE_TOPIC_TREE_VIEW, "status_label")),
                            "sent"));
  gtk_window_destroy (GTK_WINDOW (window));
  antenna_test_remove_tree (dir);
}


static gboolean
empty_said (AntennaConnection *connection)
{
  AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (ANTENNA_CONNECTION_PAGE (connection->page));

  return inspector != NULL &&
         gtk_widget_get_visible (child_of (GTK_WIDGET (inspector), ANTENNA_TYPE_MESSAGE_INSPECTOR, "empty_payload_label"));
}

static gboolean
log_has_one (AntennaConnection *connection)
{
  return g_list_model_get_n_items (G_LIST_MODEL (_antenna_connection_page_get_message_log (ANTENNA_CONNECTION_PAGE (connection->page)))) >= 1;
}

/* A message with no payload: the inspector says so instead of a blank. */
static void
test_empty_payload_said (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AntennaProfile *profile = add_profile (f, "Empty");
  AntennaConnection *connection;
  GtkLabel *label;
  Watch watch;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected_page, connection, WAIT_MS));
  type_subscription (pane_of (connection), "empty/#");
  watch = (Watch) { connection->client, "empty/#" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_active, &watch, WAIT_MS));
  g_assert_true (antenna_test_pub (f->broker, "empty/x", NULL, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_one, connection, WAIT_MS));
  gtk_widget_activate_action (connection->page, "page.show-messages", NULL);
  antenna_message_log_view_select (_antenna_connection_page_get_message_log_view (ANTENNA_CONNECTION_PAGE (connection->page)), 0);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) empty_said, connection, WAIT_MS));
  label = GTK_LABEL (child_of (GTK_WIDGET (_antenna_connection_page_get_inspector (ANTENNA_CONNECTION_PAGE (connection->page))),
                               ANTENNA_TYPE_MESSAGE_INSPECTOR, "empty_payload_label"));
  g_assert_cmpstr (gtk_label_get_label (label), ==, "Empty payload");
  antenna_test_screenshot ("person-empty-payload.png");
}


/* ------------------------------------------------------------------------ */
/* Chart                                                                     */

typedef struct
{
  AntennaConnection *connection;
  const char        *topic;
} TopicWatch;

static gboolean
topic_arrived (TopicWatch *watch)
{
  AntennaTopicTree *tree = _antenna_connection_page_get_topic_tree (ANTENNA_CONNECTION_PAGE (watch->connection->page));

  return antenna_topic_tree_lookup (tree, watch->topic) != NULL;
}

static AntennaMessageInspector *
inspect (AntennaConnection *connection,
         const char        *topic)
{
  AntennaTopicTree *tree = _antenna_connection_page_get_topic_tree (ANTENNA_CONNECTION_PAGE (connection->page));
  AntennaMessageInspector *inspector;

  antenna_topic_tree_view_select_topic (_antenna_connection_page_get_topic_tree_view (ANTENNA_CONNECTION_PAGE (connection->page)), topic);
  antenna_test_iterate_for (200);
  inspector = _antenna_connection_page_get_inspector (ANTENNA_CONNECTION_PAGE (connection->page));
  g_assert_nonnull (inspector);
  antenna_message_inspector_show_node (inspector, antenna_topic_tree_lookup (tree, topic));
  antenna_test_iterate_for (200);
  return inspector;
}

static const char *
chart_field (AntennaMessageInspector *inspector)
{
  return gtk_editable_get_text (GTK_EDITABLE (child_of (GTK_WIDGET (inspector), ANTENNA_TYPE_MESSAGE_INSPECTOR, "field_entry")));
}

/* A real click (xdotool) on @text in the inspector's payload. */
static void
click_text (Fixture                 *f,
            AntennaMessageInspector *inspector,
            const char              *text)
{
  GtkTextView *view = GTK_TEXT_VIEW (child_of (GTK_WIDGET (inspector), ANTENNA_TYPE_MESSAGE_INSPECTOR, "payload_view"));
  GtkTextIter start, match, end;
  GdkRectangle location;
  graphene_point_t point;
  double sx, sy;
  int wx, wy;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autofree char *xid = NULL;

  gtk_text_buffer_get_start_iter (gtk_text_view_get_buffer (view), &start);
  g_assert_true (gtk_text_iter_forward_search (&start, text, 0, &match, &end, NULL));
  gtk_text_iter_forward_char (&match);
  gtk_text_view_get_iter_location (view, &match, &location);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET, location.x, location.y + location.height / 2, &wx, &wy);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (view), GTK_WIDGET (f->window), &GRAPHENE_POINT_INIT (wx, wy), &point));
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
  x = g_strdup_printf ("%d", (int) (point.x + sx));
  y = g_strdup_printf ("%d", (int) (point.y + sy));
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (f->window))));
  {
    const char *args[] = { "mousemove", "--window", xid, x, y, "click", "1", NULL };

    g_test_message ("click at %s,%s", x, y);
    xdotool (args);
  }
  antenna_test_iterate_for (300);
}

/* The field is the topic's; the numbers of a JSON message are offered;
 * the axes are on round values. */
static void
test_chart_fields (Fixture       *f,
                   gconstpointer  data)
{
  static const char json_text[] = "{\"t\": 21.5, \"h\": {\"v\": 3, \"name\": \"x\"}, \"list\": [1, 2]}";
  g_autoptr(GBytes) json = g_bytes_new_static (json_text, strlen (json_text));
  g_autoptr(GBytes) plain = g_bytes_new_static ("42", 2);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = antenna_value_chart_list_fields (json);
  AntennaProfile *profile = add_profile (f, "Chart");
  AntennaConnection *connection;
  AntennaMessageInspector *inspector;
  GMenuModel *menu;
  TopicWatch topic_watch;
  Watch watch;

  /* A number in the JSON as shown: its path; anything else: none. */
  {
    static const char shown[] = "{\n  \"t\": 21.5,\n  \"h\": {\"v\": 3, \"name\": \"x9\"},\n  \"list\": [1, -2e3]\n}";
    static const struct { const char *at; const char *path; } cases[] = {
      { "21.5", "t" }, { "3,", "h.v" }, { "1,", "list.0" }, { "-2e3", "list.1" }, { "2e3", "list.1" },
      { "\"t\"", NULL }, { "x9", NULL }, { "{", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const char *at = strstr (shown, cases[i].at);
        g_autofree char *path = antenna_value_chart_path_at (shown, g_utf8_pointer_to_offset (shown, at));

        g_assert_cmpstr (path, ==, cases[i].path);
      }
  }

  /* What is offered: the numbers, by the path the field takes. */
  g_assert_cmpstrv (fields, ((const char *[]) { "t", "h.v", "list.0", "list.1", NULL }));
  /* Round ticks and times. */
  g_assert_cmpfloat (antenna_value_chart_nice_step (97, 4), ==, 25);
  g_assert_cmpfloat (antenna_value_chart_nice_step (0.7, 4), ==, 0.2);
  g_assert_cmpfloat (antenna_value_chart_nice_step (3000, 4), ==, 1000);
  g_assert_cmpint (antenna_value_chart_time_step (120 * G_USEC_PER_SEC, 4), ==, 30 * G_USEC_PER_SEC);
  g_assert_cmpint (antenna_value_chart_time_step ((gint64) 3 * 3600 * G_USEC_PER_SEC, 4), ==, (gint64) 3600 * G_USEC_PER_SEC);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected_page, connection, WAIT_MS));
  type_subscription (pane_of (connection), "chart/#");
  watch = (Watch) { connection->client, "chart/#" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_active, &watch, WAIT_MS));
  g_assert_true (antenna_test_pub (f->broker, "chart/json", json, 1, FALSE, &error));
  g_assert_true (antenna_test_pub (f->broker, "chart/plain", plain, 1, FALSE, &error));
  g_assert_no_error (error);
  topic_watch = (TopicWatch) { connection, "chart/plain" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) topic_arrived, &topic_watch, WAIT_MS));
  topic_watch = (TopicWatch) { connection, "chart/json" };
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) topic_arrived, &topic_watch, WAIT_MS));

  /* The JSON topic: its numbers in the menu; one chosen, it is charted. */
  inspector = inspect (connection, "chart/json");
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (child_of (GTK_WIDGET (inspector), ANTENNA_TYPE_MESSAGE_INSPECTOR, "fields_button")));
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 4);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (inspector), "inspector.chart-field", "s", "h.v"));
  g_assert_cmpstr (chart_field (inspector), ==, "h.v");
  g_assert_cmpuint (antenna_value_chart_get_n_points (ANTENNA_VALUE_CHART (antenna_message_inspector_get_chart (inspector))), ==, 1);
  antenna_test_screenshot ("person-chart-field.png");

  /* The plain topic: no field, its number charted. */
  inspector = inspect (connection, "chart/plain");
  g_assert_cmpstr (chart_field (inspector), ==, "");
  g_assert_cmpuint (antenna_value_chart_get_n_points (ANTENNA_VALUE_CHART (antenna_message_inspector_get_chart (inspector))), ==, 1);

  /* Back: the JSON topic's field again. */
  inspector = inspect (connection, "chart/json");
  g_assert_cmpstr (chart_field (inspector), ==, "h.v");

  /* A click on 21.5 in the payload as shown (pretty JSON): "t" is charted. */
  antenna_message_inspector_show_view (inspector, "payload");
  antenna_test_iterate_for (500);
  click_text (f, inspector, "21.5");
  g_assert_cmpstr (chart_field (inspector), ==, "t");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child_of (GTK_WIDGET (inspector), ANTENNA_TYPE_MESSAGE_INSPECTOR, "view_stack"))), ==, "chart");

  /* Several series: fields separated by commas, each charted. */
  {
    AntennaValueChart *chart = ANTENNA_VALUE_CHART (antenna_message_inspector_get_chart (inspector));

    gtk_editable_set_text (GTK_EDITABLE (child_of (GTK_WIDGET (inspector), ANTENNA_TYPE_MESSAGE_INSPECTOR, "field_entry")), "t, h.v, list.1");
    g_assert_cmpstr (antenna_value_chart_get_field (chart), ==, "t, h.v, list.1");
    g_assert_cmpuint (antenna_value_chart_get_n_series (chart), ==, 3);
    g_assert_cmpuint (antenna_value_chart_get_n_points (chart), ==, 1);
    gtk_editable_set_text (GTK_EDITABLE (child_of (GTK_WIDGET (inspector), ANTENNA_TYPE_MESSAGE_INSPECTOR, "field_entry")), "nothing, h.name");
    g_assert_cmpuint (antenna_value_chart_get_n_points (chart), ==, 0);
    gtk_editable_set_text (GTK_EDITABLE (child_of (GTK_WIDGET (inspector), ANTENNA_TYPE_MESSAGE_INSPECTOR, "field_entry")), "t, h.v, list.1");
    antenna_test_screenshot ("person-chart-series.png");
  }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

#define ADD(path, func) \
  g_test_add ("/antenna/ui/person/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("subscriptions/reconnect", test_reconnect_keeps_subscriptions);
  ADD ("subscriptions/restart", test_subscriptions_survive_restart);
  ADD ("subscriptions/temporary", test_temporary_says_not_saved);
  ADD ("failure/wrong-password", test_wrong_password_stays);
  ADD ("failure/closed-port", test_closed_port_stays);
  ADD ("keyboard/only", test_keyboard_only);
  ADD ("small/publish-pane-band", test_publish_pane_leaves_no_band);
  ADD ("small/log-opens-on-newest", test_log_opens_on_newest);
  ADD ("small/counts-grouped", test_counts_grouped);
  ADD ("small/empty-payload", test_empty_payload_said);
  ADD ("chart/fields", test_chart_fields);

#undef ADD

  return antenna_test_run ();
}
