/* test-ui-profiles.c: profiles created in the editor, kept across runs of the app
 *
 * Drives the real AntennaProfileEditor under Xvfb, then starts the real
 * antenna binary on the same configuration directory and D-Bus session (so
 * the same keyring), and connects the saved profile through the window's
 * GAction over D-Bus to a real mosquitto that demands the password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>

#include "antenna-password-dialog.h"
#include "antenna-profile.h"
#include "antenna-profile-editor.h"
#include "antenna-profile-store.h"
#include "antenna-properties-editor.h"
#include "antenna-secret-store.h"
#include "antenna-settings.h"
#include "antenna-subscription.h"
#include "antenna-test-app.h"
#include "antenna-test-broker.h"
#include "antenna-test-keyring.h"
#include "antenna-test-peer.h"
#include "antenna-test-proxy.h"
#include "antenna-test-ui.h"
#include "antenna-user-property-row.h"

typedef struct
{
  AntennaProfileStore  *store;
  AntennaSecretStore   *secrets;
  AntennaProfileEditor *editor;
  AntennaTestApp       *app;
  gboolean              saved;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->store = antenna_profile_store_new (NULL);
  fixture->secrets = antenna_secret_store_new ();
}

/* Closes the editor (it closes itself once saved) and sees it finalized. */
static void
finalize_editor (Fixture *fixture)
{
  if (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)))
    gtk_window_destroy (GTK_WINDOW (fixture->editor));
  g_assert_finalize_object (g_steal_pointer (&fixture->editor));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->editor != NULL)
    finalize_editor (fixture);

  g_clear_pointer (&fixture->app, antenna_test_app_free);

  /* Once the keyring answered what a closed editor had asked (cancelled). */
  antenna_test_wait_finalized (g_steal_pointer (&fixture->secrets), 10000);
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
}

/* A widget of the editor's template, or of the template of one of its
 * groups of settings. */
static GObject *
editor_object (Fixture    *fixture,
               const char *name)
{
  const char * const groups[] = {
    "general_group", "auth_group", "session_group", "mqtt5_group", "tls_group", "proxy_group",
    "will_group", "subscriptions_group",
  };
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->editor),
                                                  ANTENNA_TYPE_PROFILE_EDITOR, name);

  for (guint i = 0; i < G_N_ELEMENTS (groups) && child == NULL; i++)
    {
      GObject *group = gtk_widget_get_template_child (GTK_WIDGET (fixture->editor),
                                                      ANTENNA_TYPE_PROFILE_EDITOR, groups[i]);

      g_assert_nonnull (group);
      child = gtk_widget_get_template_child (GTK_WIDGET (group), G_OBJECT_TYPE (group), name);
    }

  g_assert_nonnull (child);
  return child;
}

static GtkWidget *
editor_child (Fixture    *fixture,
              const char *name)
{
  return GTK_WIDGET (editor_object (fixture, name));
}

static void
type_text (Fixture    *fixture,
           const char *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, row)), text);
}

static gboolean
save_is_possible (Fixture *fixture)
{
  return gtk_widget_get_sensitive (editor_child (fixture, "save_button"));
}

/* The editor of @profile (NULL: a new one). */
static void
open_editor_on (Fixture        *fixture,
                AntennaProfile *profile)
{
  fixture->editor = g_object_ref_sink (antenna_profile_editor_new (NULL, fixture->store,
                                                                   fixture->secrets, profile));
  gtk_window_present (GTK_WINDOW (fixture->editor));
}

static void
open_editor (Fixture *fixture)
{
  open_editor_on (fixture, NULL);
}

static void
assert_row_error (Fixture    *fixture,
                  const char *row_name,
                  const char *error_label,
                  const char *because)
{
  GtkWidget *row = editor_child (fixture, row_name);
  GtkWidget *label = editor_child (fixture, error_label);
  const char *tooltip = gtk_widget_get_tooltip_text (row);

  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, because));
  /* The reason is shown, not only on hover. */
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), because));
}

static void
assert_row_valid (Fixture    *fixture,
                  const char *row_name)
{
  GtkWidget *row = editor_child (fixture, row_name);

  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_null (gtk_widget_get_tooltip_text (row));
}

/* Whether the Authentication group warns, under its title, that the
 * password would cross the network unencrypted. */
static gboolean
auth_warns_in_clear (Fixture *fixture)
{
  const char *description = adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (editor_child (fixture, "auth_group")));

  return description != NULL && strstr (description, "not encrypted") != NULL;
}

static void
test_editor_invalid_values (Fixture       *fixture,
                            gconstpointer  data)
{
  open_editor (fixture);

  type_text (fixture, "name_row", "Broker");
  type_text (fixture, "host_row", "127.0.0.1");
  type_text (fixture, "port_row", "1883");
  g_assert_true (save_is_possible (fixture));
  assert_row_valid (fixture, "port_row");
  /* A broker on this computer: no warning over the password. */
  g_assert_false (auth_warns_in_clear (fixture));

  /* Out of range, zero, not a number: refused, with the reason on the row. */
  type_text (fixture, "port_row", "70000");
  assert_row_error (fixture, "port_row", "general_error", "1 to 65535");
  g_assert_false (save_is_possible (fixture));
  antenna_test_screenshot ("editor-invalid-port.png");

  type_text (fixture, "port_row", "0");
  assert_row_error (fixture, "port_row", "general_error", "1 to 65535");
  g_assert_false (save_is_possible (fixture));

  type_text (fixture, "port_row", "18x3");
  assert_row_error (fixture, "port_row", "general_error", "1 to 65535");
  g_assert_false (save_is_possible (fixture));

  /* A click on Save anyway (the signal, bypassing sensitivity) saves nothing. */
  g_signal_emit_by_name (editor_child (fixture, "save_button"), "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  g_assert_false (g_file_test (antenna_profile_store_get_path (fixture->store), G_FILE_TEST_EXISTS));

  type_text (fixture, "port_row", "8883");
  assert_row_valid (fixture, "port_row");
  g_assert_cmpuint (antenna_profile_get_port (antenna_profile_editor_get_profile (fixture->editor)), ==, 8883);
  g_assert_true (save_is_possible (fixture));

  /* An empty host. */
  type_text (fixture, "host_row", "  ");
  assert_row_error (fixture, "host_row", "general_error", "host");
  g_assert_false (save_is_possible (fixture));
  type_text (fixture, "host_row", "broker.example");
  assert_row_valid (fixture, "host_row");
  /* Another computer over TCP: the password would cross the network in clear. */
  g_assert_true (auth_warns_in_clear (fixture));

  /* A will topic with a wildcard. */
  type_text (fixture, "will_topic_row", "status/+/gone");
  assert_row_error (fixture, "will_topic_row", "will_error", "will topic");
  g_assert_false (save_is_possible (fixture));
  type_text (fixture, "will_topic_row", "status/antenna/gone");
  assert_row_valid (fixture, "will_topic_row");
  g_assert_true (save_is_possible (fixture));

  /* A subscription filter with '#' not last. */
  type_text (fixture, "add_filter_row", "sensors/#/temperature");
  assert_row_error (fixture, "add_filter_row", "subscriptions_error", "topic filter");
  g_assert_false (save_is_possible (fixture));
  gtk_widget_grab_focus (editor_child (fixture, "add_filter_row"));
  antenna_test_screenshot ("editor-invalid-filter.png");
  type_text (fixture, "add_filter_row", "");

  /* A CA file that cannot be read, with TLS. */
  antenna_profile_set_transport (antenna_profile_editor_get_profile (fixture->editor), ANTENNA_TRANSPORT_TLS);
  antenna_profile_set_tls_ca_file (antenna_profile_editor_get_profile (fixture->editor), "/nonexistent/ca.pem");
  assert_row_error (fixture, "ca_row", "tls_error", "/nonexistent/ca.pem");
  g_assert_false (save_is_possible (fixture));
  antenna_profile_set_tls_ca_file (antenna_profile_editor_get_profile (fixture->editor), NULL);
  assert_row_valid (fixture, "ca_row");
  g_assert_true (save_is_possible (fixture));
}

/* What the editor told in toasts (it traces each with g_debug). */
static char *last_told;

static void
on_editor_log_cb (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        user_data)
{
  if (g_str_has_prefix (message, "Told: "))
    {
      g_free (last_told);
      last_told = g_strdup (message + strlen ("Told: "));
    }
}

static gboolean
editor_told (gpointer user_data)
{
  return last_told != NULL;
}

/* Presses Test Connection and returns what the editor told. */
static char *
test_connection (Fixture *fixture)
{
  guint handler = g_log_set_handler ("antenna-profile-editor", G_LOG_LEVEL_DEBUG, on_editor_log_cb, NULL);

  g_clear_pointer (&last_told, g_free);
  g_assert_true (gtk_widget_get_sensitive (editor_child (fixture, "test_button")));
  g_signal_emit_by_name (editor_child (fixture, "test_button"), "clicked");
  g_assert_true (antenna_test_wait_until (editor_told, NULL, 20000));
  g_log_remove_handler ("antenna-profile-editor", handler);

  return g_steal_pointer (&last_told);
}

static void
on_saved_cb (AntennaProfileEditor *editor,
             AntennaProfile       *profile,
             Fixture              *fixture)
{
  fixture->saved = TRUE;
}

static void
test_create_then_connect_from_new_process (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH);
  g_autoptr(AntennaTestSub) will = NULL;
  g_autoptr(AntennaProfileStore) reloaded = NULL;
  g_autoptr(AntennaSecretStore) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *port = NULL;
  g_autofree char *looked_up = NULL;
  g_autofree char *connected = NULL;
  g_autofree char *id = NULL;
  AntennaProfile *profile;
  GStatBuf st;
  GBytes *payload;
  const char *password = antenna_test_broker_get_password (broker);

  /* 1. Through the editor, as a person would type it. */
  open_editor (fixture);
  g_signal_connect (fixture->editor, "saved", G_CALLBACK (on_saved_cb), fixture);

  port = g_strdup_printf ("%u", antenna_test_broker_get_port (broker));
  type_text (fixture, "name_row", "Test Broker");
  type_text (fixture, "host_row", "127.0.0.1");
  type_text (fixture, "port_row", port);
  type_text (fixture, "username_row", antenna_test_broker_get_username (broker));
  type_text (fixture, "password_row", password);
  gtk_switch_set_active (GTK_SWITCH (editor_child (fixture, "remember_switch")), TRUE);
  type_text (fixture, "will_topic_row", "antenna/test/will");
  type_text (fixture, "will_payload_row", "gone");
  /* Typed but not added: Save keeps it. */
  type_text (fixture, "add_filter_row", "antenna/test/#");

  /* Test Connection, with the values as typed: a wrong password, then the right one. */
  {
    g_autofree char *refused = NULL;
    g_autofree char *accepted = NULL;
    g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", antenna_test_broker_get_port (broker));

    type_text (fixture, "password_row", "not-the-password");
    refused = test_connection (fixture);
    g_test_message ("Wrong password: %s", refused);
    g_assert_nonnull (strstr (refused, "refused by"));
    g_assert_nonnull (strstr (refused, address));

    type_text (fixture, "password_row", password);
    accepted = test_connection (fixture);
    g_test_message ("Right password: %s", accepted);
    g_assert_nonnull (strstr (accepted, "Connected to"));
    g_assert_nonnull (strstr (accepted, address));
  }

  g_assert_true (save_is_possible (fixture));
  g_signal_emit_by_name (editor_child (fixture, "save_button"), "clicked");
  g_assert_true (antenna_test_wait_for (&fixture->saved, 10000));

  /* 2. The file has the profile, never the password; the keyring has it. */
  g_assert_true (g_file_get_contents (antenna_profile_store_get_path (fixture->store), &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Test Broker"));
  g_assert_nonnull (strstr (contents, antenna_test_broker_get_username (broker)));
  g_assert_nonnull (strstr (contents, "antenna/test/#"));
  g_assert_null (strstr (contents, password));
  g_assert_cmpint (g_stat (antenna_profile_store_get_path (fixture->store), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  reloaded = antenna_profile_store_new (NULL);
  g_assert_true (antenna_profile_store_load (reloaded, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  profile = g_list_model_get_item (G_LIST_MODEL (reloaded), 0);
  g_object_unref (profile); /* the store keeps it */
  id = g_strdup (antenna_profile_get_id (profile));
  g_assert_cmpstr (antenna_profile_get_name (profile), ==, "Test Broker");
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, antenna_test_broker_get_port (broker));
  g_assert_true (antenna_profile_get_save_password (profile));
  g_assert_cmpstr (antenna_profile_get_will_topic (profile), ==, "antenna/test/will");
  payload = antenna_profile_get_will_payload (profile);
  g_assert_nonnull (payload);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "gone", 4);
  /* A new connection starts with everything (#), and the filter typed. */
  g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)), ==, 2);

  secrets = antenna_secret_store_new ();
  looked_up = antenna_test_secret_lookup_ok (secrets, profile);
  g_assert_cmpstr (looked_up, ==, password);

  antenna_test_assert_in_no_file (g_get_user_config_dir (), password, 0);
  antenna_test_assert_in_no_file (g_get_user_data_dir (), password, 0);
  antenna_test_assert_in_no_file (g_get_user_state_dir (), password, 0);

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
  g_assert_finalize_object (g_steal_pointer (&fixture->editor));

  /* 3. A new process of the real app, on the same files and keyring. */
  will = antenna_test_sub_start (broker, "antenna/test/will", 1, FALSE);

  fixture->app = antenna_test_app_start (NULL, "antenna-window");

  /* The listed profile, by its id, through the same action as its row's menu;
   * generous: the app starts, reads the keyring and connects on a machine
   * that may be busy with other tests. */
  connected = g_strdup_printf ("Connection %s is connected", id);
  antenna_test_app_activate_action (fixture->app, "win.connect-profile", id);
  antenna_test_app_wait_output (fixture->app, connected, 1, 60000);

  /* 4. Duplicated from its row's menu action: a second profile in the file,
   * with a new id, and the password copied in the keyring. */
  antenna_test_app_activate_action (fixture->app, "win.duplicate-profile", id);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(AntennaProfileStore) after = antenna_profile_store_new (NULL);

      if (antenna_profile_store_load (after, NULL, NULL) &&
          g_list_model_get_n_items (G_LIST_MODEL (after)) == 2)
        {
          g_autoptr(AntennaProfile) copy = g_list_model_get_item (G_LIST_MODEL (after), 1);
          g_autofree char *copied = NULL;

          g_assert_cmpstr (antenna_profile_get_id (copy), !=, id);
          g_assert_cmpstr (antenna_profile_get_name (copy), ==, "Test Broker (2)");

          /* The copy of the secret may land just after the file. */
          for (guint j = 0; j < 50; j++)
            {
              copied = antenna_test_secret_lookup_ok (secrets, copy);
              if (copied != NULL)
                break;
              antenna_test_iterate_for (100);
            }
          g_assert_cmpstr (copied, ==, password);
          break;
        }

      g_assert_cmpuint (i, <, 99);
      antenna_test_iterate_for (100);
    }

  /* 5. The broker knows that client by its will: killed without a goodbye,
   * the app's connection makes the broker publish it. */
  g_subprocess_send_signal (antenna_test_app_get_process (fixture->app), SIGKILL);
  g_assert_cmpuint (antenna_test_sub_wait (will, 1, 10000), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_topic (will, 0), ==, "antenna/test/will");
  payload = antenna_test_sub_get_payload (will, 0);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "gone", 4);

  antenna_test_app_wait_exit (fixture->app, 10000);
  g_clear_pointer (&fixture->app, antenna_test_app_free);
}

/* Save, and the editor gone; returns the profile saved (in fixture->store). */
static AntennaProfile *
save (Fixture *fixture)
{
  AntennaProfile *saved;

  fixture->saved = FALSE;
  g_signal_connect (fixture->editor, "saved", G_CALLBACK (on_saved_cb), fixture);
  g_assert_true (save_is_possible (fixture));
  g_signal_emit_by_name (editor_child (fixture, "save_button"), "clicked");
  g_assert_true (antenna_test_wait_for (&fixture->saved, 10000));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->editor)));
  finalize_editor (fixture);

  saved = g_list_model_get_item (G_LIST_MODEL (fixture->store), g_list_model_get_n_items (G_LIST_MODEL (fixture->store)) - 1);
  g_object_unref (saved); /* the store keeps it */
  return saved;
}

/* The secret row that editor_row_has_text() waits for: one the editor
 * fills from the keyring. */
static const char *wanted_row;

static gboolean
editor_row_has_text (Fixture *fixture)
{
  return gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, wanted_row)))[0] != '\0';
}

/* The profile as a new process reads it from profiles.json. */
static AntennaProfile *
reload (const char *id)
{
  g_autoptr(AntennaProfileStore) reloaded = antenna_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  AntennaProfile *profile;

  g_assert_true (antenna_profile_store_load (reloaded, NULL, &error));
  g_assert_no_error (error);
  profile = antenna_profile_store_find (reloaded, id);
  g_assert_nonnull (profile);
  return g_object_ref (profile);
}

/* A secret of @profile is in the keyring, and in no file of the test's
 * (@secret NULL: there is none in the keyring). */
static void
assert_kept_in_keyring (Fixture           *fixture,
                        AntennaProfile    *profile,
                        AntennaSecretKind  kind,
                        const char        *secret)
{
  antenna_test_assert_secret (fixture->secrets, profile, kind, secret);
  if (secret == NULL)
    return;
  antenna_test_assert_in_no_file (g_get_user_config_dir (), secret, 0);
  antenna_test_assert_in_no_file (g_get_user_data_dir (), secret, 0);
  antenna_test_assert_in_no_file (g_get_user_state_dir (), secret, 0);
}

static char *
make_secret (const char *what)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s-%s", what, uuid);
}

/* The proxy group: its address checked as typed (the reason under the
 * group, Save waiting), Test Connection through a real proxy with the
 * password as typed, and that password in the keyring on Save, never in a
 * file, even when first written into the address. */
static void
test_editor_proxy (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  guint ports[] = { antenna_test_broker_get_port (broker), 0 };
  g_autofree char *password = make_secret ("Proxy-Pw");
  g_autoptr(AntennaTestProxy) proxy = antenna_test_proxy_new (ports, "antenna", password);
  g_autofree char *proxy_url = antenna_test_proxy_dup_url (proxy);
  g_autofree char *with_password = NULL;
  g_autofree char *port = g_strdup_printf ("%u", ports[0]);
  g_autofree char *told = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(AntennaProfile) reloaded = NULL;
  AntennaProfile *profile;
  GtkWidget *mode_row;

  open_editor (fixture);
  type_text (fixture, "name_row", "Behind a Proxy");
  type_text (fixture, "host_row", "127.0.0.1");
  type_text (fixture, "port_row", port);

  /* The system's settings by default: no address asked for. */
  mode_row = editor_child (fixture, "proxy_mode_row");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (mode_row)), ==, ANTENNA_PROXY_MODE_SYSTEM);
  g_assert_false (gtk_widget_get_visible (editor_child (fixture, "proxy_url_row")));
  g_assert_true (save_is_possible (fixture));

  adw_combo_row_set_selected (ADW_COMBO_ROW (mode_row), ANTENNA_PROXY_MODE_MANUAL);
  g_assert_cmpint (antenna_profile_get_proxy_mode (antenna_profile_editor_get_profile (fixture->editor)), ==,
                   ANTENNA_PROXY_MODE_MANUAL);
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "proxy_url_row")));
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "proxy_password_row")));
  assert_row_error (fixture, "proxy_url_row", "proxy_error", "Enter the proxy’s address");
  g_assert_false (save_is_possible (fixture));

  type_text (fixture, "proxy_url_row", "socks5://127.0.0.1:1080");
  assert_row_error (fixture, "proxy_url_row", "proxy_error", "only HTTP proxies");
  g_assert_false (save_is_possible (fixture));
  /* What cannot be used stays out of the profile. */
  g_assert_cmpstr (antenna_profile_get_proxy_url (antenna_profile_editor_get_profile (fixture->editor)), ==, "");

  type_text (fixture, "proxy_url_row", "127.0.0.1");
  assert_row_error (fixture, "proxy_url_row", "proxy_error", "port");

  /* A password written into the address: refused, and kept from the profile. */
  with_password = g_strdup_printf ("http://antenna:%s@127.0.0.1:%u", password, antenna_test_proxy_get_port (proxy));
  type_text (fixture, "proxy_url_row", with_password);
  assert_row_error (fixture, "proxy_url_row", "proxy_error", "in its own field");
  g_assert_false (save_is_possible (fixture));
  g_assert_null (strstr (antenna_profile_get_proxy_url (antenna_profile_editor_get_profile (fixture->editor)), password));
  antenna_test_ui_scroll_to (editor_child (fixture, "proxy_mode_row"));
  antenna_test_screenshot ("editor-proxy-invalid.png");

  type_text (fixture, "proxy_url_row", proxy_url);
  assert_row_valid (fixture, "proxy_url_row");
  g_assert_false (gtk_widget_get_visible (editor_child (fixture, "proxy_error")));
  g_assert_cmpstr (antenna_profile_get_proxy_url (antenna_profile_editor_get_profile (fixture->editor)), ==, proxy_url);
  type_text (fixture, "proxy_username_row", "antenna");
  type_text (fixture, "proxy_password_row", password);
  g_assert_true (save_is_possible (fixture));
  antenna_test_ui_scroll_to (editor_child (fixture, "proxy_mode_row"));
  antenna_test_screenshot ("editor-proxy.png");

  /* Through the proxy, with the password as typed (nothing saved yet). */
  told = test_connection (fixture);
  g_test_message ("Through the proxy: %s", told);
  g_assert_nonnull (strstr (told, "Connected to"));
  g_assert_cmpuint (antenna_test_proxy_count_connects (proxy, ports[0]), ==, 1);

  profile = save (fixture);
  assert_kept_in_keyring (fixture, profile, ANTENNA_SECRET_PROXY_PASSWORD, password);
  g_assert_true (g_file_get_contents (antenna_profile_store_get_path (fixture->store), &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, proxy_url));

  reloaded = reload (antenna_profile_get_id (profile));
  g_assert_cmpint (antenna_profile_get_proxy_mode (reloaded), ==, ANTENNA_PROXY_MODE_MANUAL);
  g_assert_cmpstr (antenna_profile_get_proxy_url (reloaded), ==, proxy_url);
  g_assert_cmpstr (antenna_profile_get_proxy_username (reloaded), ==, "antenna");

  /* Edited again: the password read back from the keyring; no proxy, and it goes. */
  open_editor_on (fixture, profile);
  wanted_row = "proxy_password_row";
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) editor_row_has_text, fixture, 10000));
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (fixture, "proxy_mode_row")), ANTENNA_PROXY_MODE_NONE);
  save (fixture);
  assert_kept_in_keyring (fixture, profile, ANTENNA_SECRET_PROXY_PASSWORD, NULL);
}

/* An encrypted client key: the passphrase row shows for it only, Test
 * Connection uses the passphrase as typed against a broker that demands
 * the certificate, Save keeps it in the keyring, and the editor reads it
 * back from there. */
static void
test_editor_key_passphrase (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_CLIENT_CERT);
  g_autofree char *passphrase = make_secret ("Key-Passphrase");
  g_autofree char *dir = g_dir_make_tmp ("antenna-ui-key-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "client.key", NULL);
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_tls_port (broker));
  g_autofree char *told = NULL;
  AntennaProfile *edited;
  AntennaProfile *profile;

  antenna_test_broker_write_encrypted_client_key (broker, passphrase, key);

  open_editor (fixture);
  edited = antenna_profile_editor_get_profile (fixture->editor);
  type_text (fixture, "name_row", "Client Certificate");
  type_text (fixture, "host_row", "127.0.0.1");
  antenna_profile_set_transport (edited, ANTENNA_TRANSPORT_TLS);
  type_text (fixture, "port_row", port);
  antenna_profile_set_tls_ca_file (edited, antenna_test_broker_get_ca_file (broker));
  antenna_profile_set_tls_cert_file (edited, antenna_test_broker_get_client_cert_file (broker));

  /* A key in clear needs none. */
  antenna_profile_set_tls_key_file (edited, antenna_test_broker_get_client_key_file (broker));
  g_assert_false (gtk_widget_get_visible (editor_child (fixture, "passphrase_row")));

  antenna_profile_set_tls_key_file (edited, key);
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "passphrase_row")));
  type_text (fixture, "passphrase_row", passphrase);
  antenna_test_ui_scroll_to (editor_child (fixture, "cert_row"));
  antenna_test_screenshot ("editor-key-passphrase.png");

  told = test_connection (fixture);
  g_test_message ("With the key's passphrase: %s", told);
  g_assert_nonnull (strstr (told, "Connected to"));

  profile = save (fixture);
  assert_kept_in_keyring (fixture, profile, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);

  open_editor_on (fixture, profile);
  wanted_row = "passphrase_row";
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) editor_row_has_text, fixture, 10000));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "passphrase_row"))), ==, passphrase);

  antenna_test_remove_tree (dir);
}

/* Azure IoT Hub's sign-in: the password row is the device key (checked as
 * typed), the SAS token's lifetime is a number and a unit, and the password
 * dialog asks for a device key. */
static void
test_editor_device_key (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *device_key = NULL;
  g_autoptr(AntennaProfile) reloaded = NULL;
  g_autoptr(GBytes) key_bytes = antenna_test_random_bytes (32);
  AntennaProfile *profile;
  GtkWidget *password_row;
  GtkWidget *dialog;

  device_key = g_base64_encode (g_bytes_get_data (key_bytes, NULL), g_bytes_get_size (key_bytes));

  open_editor (fixture);
  password_row = editor_child (fixture, "password_row");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (password_row)), ==, "Pass_word");
  g_assert_false (gtk_widget_get_visible (antenna_test_ui_find_row (GTK_WIDGET (fixture->editor), ADW_TYPE_ACTION_ROW, "SAS Token Lifetime")));

  type_text (fixture, "name_row", "IoT Hub");
  type_text (fixture, "host_row", "antenna-hub.azure-devices.net");
  type_text (fixture, "client_id_row", "sensor-7");
  type_text (fixture, "username_row", "antenna-hub.azure-devices.net/sensor-7/?api-version=2021-04-12");
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (fixture, "method_row")), ANTENNA_AUTH_METHOD_AZURE_SAS);
  g_assert_cmpint (antenna_profile_get_auth_method (antenna_profile_editor_get_profile (fixture->editor)), ==,
                   ANTENNA_AUTH_METHOD_AZURE_SAS);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (password_row)), ==, "Device _Key");
  g_assert_nonnull (antenna_test_ui_find_row (GTK_WIDGET (fixture->editor), ADW_TYPE_ACTION_ROW, "Remember Device Key"));
  g_assert_true (gtk_widget_get_visible (antenna_test_ui_find_row (GTK_WIDGET (fixture->editor), ADW_TYPE_ACTION_ROW, "SAS Token Lifetime")));

  /* A connection string where the key goes. */
  type_text (fixture, "password_row", "HostName=x;SharedAccessKey=y");
  assert_row_error (fixture, "password_row", "auth_error", "not a device key");
  g_assert_false (save_is_possible (fixture));
  type_text (fixture, "password_row", device_key);
  assert_row_valid (fixture, "password_row");

  /* One hour by default; two days. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (editor_child (fixture, "lifetime_unit"))), ==, 2);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (editor_child (fixture, "lifetime_spin"))), ==, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (editor_child (fixture, "lifetime_unit")), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_child (fixture, "lifetime_spin")), 2);
  g_assert_cmpuint (antenna_profile_get_sas_token_lifetime (antenna_profile_editor_get_profile (fixture->editor)), ==,
                    2 * 24 * 3600);
  /* Beyond 366 days: held at the most. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_child (fixture, "lifetime_spin")), 1000);
  g_assert_cmpuint (antenna_profile_get_sas_token_lifetime (antenna_profile_editor_get_profile (fixture->editor)), ==,
                    366 * 24 * 3600);
  /* In seconds: held at the least, and still in seconds. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (editor_child (fixture, "lifetime_unit")), 0);
  g_assert_cmpuint (antenna_profile_get_sas_token_lifetime (antenna_profile_editor_get_profile (fixture->editor)), ==, 366);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_child (fixture, "lifetime_spin")), 10);
  g_assert_cmpuint (antenna_profile_get_sas_token_lifetime (antenna_profile_editor_get_profile (fixture->editor)), ==, 60);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (editor_child (fixture, "lifetime_unit"))), ==, 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (editor_child (fixture, "lifetime_unit")), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor_child (fixture, "lifetime_spin")), 2);
  antenna_test_ui_scroll_to (editor_child (fixture, "method_row"));
  antenna_test_screenshot ("editor-device-key.png");

  profile = save (fixture);
  assert_kept_in_keyring (fixture, profile, ANTENNA_SECRET_PASSWORD, device_key);
  reloaded = reload (antenna_profile_get_id (profile));
  g_assert_cmpint (antenna_profile_get_auth_method (reloaded), ==, ANTENNA_AUTH_METHOD_AZURE_SAS);
  g_assert_cmpuint (antenna_profile_get_sas_token_lifetime (reloaded), ==, 2 * 24 * 3600);

  /* Asked for at connect, by its name. */
  dialog = antenna_password_dialog_new (NULL, profile, TRUE, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Device Key Required");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "device key of “sensor-7”"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_template_child (dialog, ANTENNA_TYPE_PASSWORD_DIALOG, "password_row"))),
                   ==, "Device Key");
  antenna_test_screenshot ("password-dialog-device-key.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  antenna_test_iterate_for (50);
}

static const char *
version_subtitle (Fixture *fixture)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (editor_child (fixture, "version_row")));
}

/* The automatic MQTT version, chosen, saved, read back, with what it found
 * last time as the row's subtitle. */
static void
test_editor_automatic_version (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(AntennaProfile) reloaded = NULL;
  GtkWidget *version_row;
  AntennaProfile *profile;

  open_editor (fixture);
  version_row = editor_child (fixture, "version_row");
  type_text (fixture, "host_row", "127.0.0.1");
  /* A new profile speaks MQTT 5. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (version_row)), ==, 1);
  g_assert_true (version_subtitle (fixture) == NULL || version_subtitle (fixture)[0] == '\0');

  adw_combo_row_set_selected (ADW_COMBO_ROW (version_row), 0);
  g_assert_cmpint (antenna_profile_get_mqtt_version (antenna_profile_editor_get_profile (fixture->editor)), ==,
                   ANTENNA_MQTT_VERSION_AUTOMATIC);
  g_assert_nonnull (strstr (version_subtitle (fixture), "MQTT 5 first"));
  profile = save (fixture);
  reloaded = reload (antenna_profile_get_id (profile));
  g_assert_cmpint (antenna_profile_get_mqtt_version (reloaded), ==, ANTENNA_MQTT_VERSION_AUTOMATIC);

  /* What a connection found (AntennaClient sets it), shown when edited. */
  antenna_profile_set_detected_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  open_editor_on (fixture, profile);
  version_row = editor_child (fixture, "version_row");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (version_row)), ==, 0);
  g_assert_cmpstr (version_subtitle (fixture), ==, "Automatic — the broker spoke MQTT 5 last time");
  antenna_test_screenshot ("editor-automatic-version.png");

  adw_combo_row_set_selected (ADW_COMBO_ROW (version_row), 2);
  save (fixture);
  g_clear_object (&reloaded);
  reloaded = reload (antenna_profile_get_id (profile));
  g_assert_cmpint (antenna_profile_get_mqtt_version (reloaded), ==, ANTENNA_MQTT_VERSION_3_1_1);
}

static GtkWidget *
properties_editor_child (Fixture    *fixture,
                         const char *name)
{
  GtkWidget *editor = editor_child (fixture, "will_properties_editor");

  return GTK_WIDGET (gtk_widget_get_template_child (editor, ANTENNA_TYPE_PROPERTIES_EDITOR, name));
}

/* The MQTT 5 connect settings and the will's delay and properties, as a
 * person sets them: into the profile, saved, read back into the rows; and
 * greyed out, with a note, for MQTT 3.1.1. */
static void
test_editor_mqtt5 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(AntennaProfile) reloaded = NULL;
  GtkWidget *group, *box, *row;
  AntennaProfile *profile;
  AntennaProperties *props;

  open_editor (fixture);
  type_text (fixture, "name_row", "Limits");
  type_text (fixture, "host_row", "127.0.0.1");
  group = editor_child (fixture, "mqtt5_group");
  g_assert_true (gtk_widget_get_sensitive (editor_child (fixture, "receive_maximum_row")));

  gtk_adjustment_set_value (GTK_ADJUSTMENT (editor_object (fixture, "receive_maximum_adjustment")), 10);
  gtk_adjustment_set_value (GTK_ADJUSTMENT (editor_object (fixture, "maximum_packet_size_adjustment")), 2048);
  gtk_adjustment_set_value (GTK_ADJUSTMENT (editor_object (fixture, "topic_alias_maximum_adjustment")), 4);
  gtk_switch_set_active (GTK_SWITCH (editor_child (fixture, "response_information_switch")), TRUE);
  gtk_switch_set_active (GTK_SWITCH (editor_child (fixture, "problem_information_switch")), FALSE);
  g_assert_true (gtk_widget_activate_action (group, "mqtt5-group.add-user-property", NULL));
  box = editor_child (fixture, "user_properties_box");
  row = gtk_widget_get_first_child (box);
  g_assert_true (ANTENNA_IS_USER_PROPERTY_ROW (row));
  g_object_set (row, "name", "site", "value", "lab", NULL);

  type_text (fixture, "will_topic_row", "limits/will");
  gtk_adjustment_set_value (GTK_ADJUSTMENT (editor_object (fixture, "will_delay_adjustment")), 5);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (editor_child (fixture, "will_properties_row")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (properties_editor_child (fixture, "content_type_entry")), "text/plain");
  antenna_test_ui_scroll_to (editor_child (fixture, "receive_maximum_row"));
  antenna_test_screenshot ("editor-mqtt5.png");

  profile = save (fixture);
  reloaded = reload (antenna_profile_get_id (profile));
  g_assert_cmpuint (antenna_profile_get_receive_maximum (reloaded), ==, 10);
  g_assert_cmpuint (antenna_profile_get_maximum_packet_size (reloaded), ==, 2048);
  g_assert_cmpuint (antenna_profile_get_topic_alias_maximum (reloaded), ==, 4);
  g_assert_true (antenna_profile_get_request_response_information (reloaded));
  g_assert_false (antenna_profile_get_request_problem_information (reloaded));
  props = antenna_profile_get_connect_properties (reloaded);
  g_assert_nonnull (props);
  g_assert_cmpuint (props->user_properties->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (props->user_properties, 1), ==, "lab");
  g_assert_cmpuint (antenna_profile_get_will_delay_interval (reloaded), ==, 5);
  props = antenna_profile_get_will_properties (reloaded);
  g_assert_nonnull (props);
  g_assert_cmpstr (props->content_type, ==, "text/plain");

  /* Edited again: the rows show what was saved. */
  open_editor_on (fixture, profile);
  g_assert_cmpfloat (gtk_adjustment_get_value (GTK_ADJUSTMENT (editor_object (fixture, "receive_maximum_adjustment"))), ==, 10);
  row = gtk_widget_get_first_child (editor_child (fixture, "user_properties_box"));
  g_assert_true (ANTENNA_IS_USER_PROPERTY_ROW (row));
  g_assert_cmpstr (antenna_user_property_row_get_name (ANTENNA_USER_PROPERTY_ROW (row)), ==, "site");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (properties_editor_child (fixture, "content_type_entry"))), ==,
                   "text/plain");

  /* Removing the user property removes it from the profile. */
  g_assert_true (gtk_widget_activate_action (row, "user-property-row.remove", NULL));
  g_assert_null (antenna_profile_get_connect_properties (antenna_profile_editor_get_profile (fixture->editor)));

  /* MQTT 3.1.1: none of them is sent, and the editor says so. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (fixture, "version_row")), 2);
  group = editor_child (fixture, "mqtt5_group");
  g_assert_false (gtk_widget_get_sensitive (editor_child (fixture, "receive_maximum_row")));
  g_assert_false (gtk_widget_get_sensitive (editor_child (fixture, "user_properties_row")));
  g_assert_false (gtk_widget_get_sensitive (editor_child (fixture, "will_delay_row")));
  g_assert_false (gtk_widget_get_sensitive (editor_child (fixture, "will_properties_row")));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), "MQTT 3.1.1"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (editor_child (fixture, "will_delay_row"))),
                            "MQTT 3.1.1"));
  antenna_test_ui_scroll_to (editor_child (fixture, "receive_maximum_row"));
  antenna_test_screenshot ("editor-mqtt5-3.1.1.png");
}

static void
test_settings (void)
{
  g_autoptr(AntennaSettings) settings = antenna_settings_new ();
  g_autoptr(GSettings) gsettings = g_settings_new (APP_ID);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  /* 2026-05-01 14:03:07.123 UTC */
  gint64 when = G_GINT64_CONSTANT (1777644187123000);
  g_autofree char *time = NULL;
  g_autofree char *time_ms = NULL;
  g_autofree char *date_time = NULL;
  g_autofree char *iso = NULL;
  int width, height;
  gboolean maximized;

  g_assert_cmpstr (antenna_settings_get_timestamp_format (settings), ==, "time-ms");
  time_ms = antenna_settings_format_timestamp (settings, when);
  g_assert_cmpstr (time_ms, ==, "14:03:07.123");

  /* Set in GSettings, seen by the object, and the other way round. */
  g_settings_set_string (gsettings, "timestamp-format", "time");
  g_assert_cmpstr (antenna_settings_get_timestamp_format (settings), ==, "time");
  time = antenna_settings_format_timestamp (settings, when);
  g_assert_cmpstr (time, ==, "14:03:07");

  g_object_set (settings, "timestamp-format", "date-time", NULL);
  g_assert_cmpint (g_settings_get_enum (gsettings, "timestamp-format"), ==, 2);
  date_time = antenna_settings_format_timestamp (settings, when);
  g_assert_cmpstr (date_time, ==, "2026-05-01 14:03:07");

  g_object_set (settings, "timestamp-format", "iso8601", NULL);
  iso = antenna_settings_format_timestamp (settings, when);
  g_assert_cmpstr (iso, ==, "2026-05-01T14:03:07.123+00:00");

  antenna_settings_set_color_scheme (settings, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_cmpint (g_settings_get_enum (gsettings, "color-scheme"), ==, ADW_COLOR_SCHEME_FORCE_DARK);

  /* A maximized window keeps the size to restore. */
  antenna_settings_set_window_state (settings, 900, 600, FALSE);
  antenna_settings_set_window_state (settings, 1920, 1080, TRUE);
  antenna_settings_get_window_state (settings, &width, &height, &maximized);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 600);
  g_assert_true (maximized);
  g_assert_cmpint (g_settings_get_int (gsettings, "window-width"), ==, 900);

  /* The unencrypted-password warning is remembered per profile and host. */
  antenna_profile_set_host (profile, "broker.example");
  g_assert_false (antenna_settings_get_insecure_password_accepted (settings, profile));
  antenna_settings_set_insecure_password_accepted (settings, profile, TRUE);
  g_assert_true (antenna_settings_get_insecure_password_accepted (settings, profile));
  antenna_profile_set_host (profile, "other.example");
  g_assert_false (antenna_settings_get_insecure_password_accepted (settings, profile));
  antenna_profile_set_host (profile, "broker.example");
  antenna_settings_forget_profile (settings, antenna_profile_get_id (profile));
  g_assert_false (antenna_settings_get_insecure_password_accepted (settings, profile));
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  g_test_add_func ("/antenna/ui/settings", test_settings);
  g_test_add ("/antenna/ui/profiles/editor/invalid-values", Fixture, NULL,
              fixture_setup, test_editor_invalid_values, fixture_teardown);
  g_test_add ("/antenna/ui/profiles/editor/saved-then-connected-from-new-process", Fixture, NULL,
              fixture_setup, test_create_then_connect_from_new_process, fixture_teardown);
  g_test_add ("/antenna/ui/profiles/editor/proxy", Fixture, NULL,
              fixture_setup, test_editor_proxy, fixture_teardown);
  g_test_add ("/antenna/ui/profiles/editor/key-passphrase", Fixture, NULL,
              fixture_setup, test_editor_key_passphrase, fixture_teardown);
  g_test_add ("/antenna/ui/profiles/editor/device-key", Fixture, NULL,
              fixture_setup, test_editor_device_key, fixture_teardown);
  g_test_add ("/antenna/ui/profiles/editor/mqtt5", Fixture, NULL,
              fixture_setup, test_editor_mqtt5, fixture_teardown);
  g_test_add ("/antenna/ui/profiles/editor/automatic-version", Fixture, NULL,
              fixture_setup, test_editor_automatic_version, fixture_teardown);

  return antenna_test_run ();
}
