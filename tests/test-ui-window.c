/* test-ui-window.c: the main window's ways into a connection, under Xvfb
 *
 * The real AntennaWindow in this process, on a profile store in the test's
 * configuration folder and the session's keyring: a new connection through
 * the cloud chooser and the editor, with its secrets in the keyring and in
 * no file, and gone with the connection; a broker that refuses MQTT 5
 * (RabbitMQ), the button that connects with 3.1.1 instead, and what the
 * broker granted on a subscription. With ANTENNA_SCREENSHOT_DIR set it saves
 * what it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-connection-page-private.h"
#include "antenna-preset-dialog.h"
#include "antenna-profile.h"
#include "antenna-profile-editor.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-settings.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-keyring.h"
#include "antenna-test-ui.h"
#include "antenna-window-private.h"

#define WAIT_MS 20000

#define MQTT_3_1_1_BUTTON "Connect with MQTT 3.1.1"

typedef struct
{
  AntennaProfileStore *store;
  AntennaSecretStore  *secrets;
  AntennaSettings     *settings;
  AntennaWindow       *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->store = antenna_profile_store_new (NULL);
  antenna_profile_store_set_autosave (f->store, TRUE);
  f->secrets = antenna_secret_store_new ();
  f->settings = antenna_settings_new ();
  f->window = antenna_test_ui_window_new (f->store, f->secrets, f->settings);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  antenna_test_ui_window_close (g_steal_pointer (&f->window), g_steal_pointer (&f->secrets));
  g_clear_object (&f->settings);
  g_assert_finalize_object (g_steal_pointer (&f->store));
}

static void
type_into (GtkWidget  *row,
           const char *text)
{
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static GtkWidget *
editor_child (AntennaProfileEditor *editor,
              const char           *group,
              const char           *name)
{
  GObject *parent = gtk_widget_get_template_child (GTK_WIDGET (editor), ANTENNA_TYPE_PROFILE_EDITOR, group);
  GObject *child;

  g_assert_nonnull (parent);
  child = gtk_widget_get_template_child (GTK_WIDGET (parent), G_OBJECT_TYPE (parent), name);
  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
editor_closed (gpointer user_data)
{
  return antenna_test_ui_wait_window (ANTENNA_TYPE_PROFILE_EDITOR, 0) == NULL;
}

static AntennaProfile *
first_profile (Fixture *f)
{
  AntennaProfile *profile = g_list_model_get_item (G_LIST_MODEL (f->store), 0);

  g_object_unref (profile);  /* the store keeps it */
  return profile;
}

static AntennaConnection *
connection_of (Fixture        *f,
               AntennaProfile *profile)
{
  AntennaConnection *connection = _antenna_window_get_connection (f->window, antenna_profile_get_id (profile));

  g_assert_nonnull (connection);
  return connection;
}

static void
assert_no_file_holds (const char *secret)
{
  antenna_test_assert_in_no_file (g_get_user_config_dir (), secret, 0);
  antenna_test_assert_in_no_file (g_get_user_data_dir (), secret, 0);
  antenna_test_assert_in_no_file (g_get_user_state_dir (), secret, 0);
}

typedef struct
{
  Fixture           *f;
  AntennaProfile    *profile;
} Gone;

static gboolean
secrets_gone (Gone *gone)
{
  for (AntennaSecretKind kind = ANTENNA_SECRET_PASSWORD; kind <= ANTENNA_SECRET_PROXY_PASSWORD; kind++)
    {
      g_autofree char *found = antenna_test_secret_lookup_secret (gone->f->secrets, gone->profile, kind, NULL);

      if (found != NULL)
        return FALSE;
    }
  return TRUE;
}

/* New Connection (the header's +, the empty state's button, Ctrl+N, the
 * app's new-connection action): the chooser, a cloud's fields, the editor
 * with the device key typed in the chooser, Save. The key is in the keyring
 * under the saved profile's id and in no file; the cloud's publishing topic
 * is in the connection's composer. Deleted, the connection takes all its
 * secrets out of the keyring. */
static void
test_new_connection_from_chooser (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GBytes) key_bytes = antenna_test_random_bytes (32);
  g_autofree char *device_key = g_base64_encode (g_bytes_get_data (key_bytes, NULL), g_bytes_get_size (key_bytes));
  g_autofree char *passphrase = NULL;
  g_autofree char *proxy_password = NULL;
  g_autofree char *contents = NULL;
  AntennaPresetDialog *chooser;
  AntennaProfileEditor *editor;
  AntennaProfile *profile;
  AntennaComposer *composer;
  AdwMessageDialog *confirm;
  GtkWidget *root;
  Gone gone;

  g_assert_null (antenna_test_ui_wait_window (ANTENNA_TYPE_PRESET_DIALOG, 0));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "new-profile"));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "new-profile", NULL);
  chooser = ANTENNA_PRESET_DIALOG (antenna_test_ui_wait_window (ANTENNA_TYPE_PRESET_DIALOG, WAIT_MS));
  g_assert_nonnull (chooser);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (chooser)) == GTK_WINDOW (f->window));
  antenna_test_screenshot ("window-chooser.png");

  root = GTK_WIDGET (chooser);
  gtk_widget_activate_action (root, "preset.choose", "s", "azure-iot-hub");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "IoT Hub Name"), "antenna-hub");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Device ID"), "sensor-7");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_PASSWORD_ENTRY_ROW, "Device Key"), device_key);
  gtk_widget_activate_action (root, "preset.create", NULL);

  /* The editor, on a profile that is not saved yet, with the key typed. */
  editor = ANTENNA_PROFILE_EDITOR (antenna_test_ui_wait_window (ANTENNA_TYPE_PROFILE_EDITOR, WAIT_MS));
  g_assert_nonnull (editor);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_cmpstr (antenna_profile_get_host (antenna_profile_editor_get_profile (editor)), ==, "antenna-hub.azure-devices.net");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "auth_group", "password_row"))), ==, device_key);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (editor_child (editor, "auth_group", "password_row"))), ==,
                   "Device _Key");
  antenna_test_ui_scroll_to (editor_child (editor, "auth_group", "method_row"));
  antenna_test_screenshot ("window-editor-from-chooser.png");

  g_assert_true (antenna_profile_editor_is_valid (editor));
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (editor), ANTENNA_TYPE_PROFILE_EDITOR, "save_button"), "clicked");
  /* Closed once saved, the secrets stored. */
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) editor_closed, NULL, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);

  /* The key under the saved profile's id, in no file; the rest in profiles.json. */
  profile = first_profile (f);
  g_assert_cmpint (antenna_profile_get_auth_method (profile), ==, ANTENNA_AUTH_METHOD_AZURE_SAS);
  antenna_test_assert_secret (f->secrets, profile, ANTENNA_SECRET_PASSWORD, device_key);
  g_assert_true (antenna_profile_store_save (f->store, NULL));
  g_assert_true (g_file_get_contents (antenna_profile_store_get_path (f->store), &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "antenna-hub.azure-devices.net"));
  assert_no_file_holds (device_key);

  /* Selected, with the device-to-cloud topic in its composer. */
  g_assert_true (_antenna_window_get_selected (f->window) == profile);
  composer = _antenna_connection_page_get_composer (ANTENNA_CONNECTION_PAGE (connection_of (f, profile)->page));
  g_assert_cmpstr (antenna_composer_get_topic (composer), ==, "devices/sensor-7/messages/events/");

  /* Its other secrets too (as the editor would keep them), then deleted. */
  passphrase = g_strdup_printf ("Passphrase-%s", antenna_profile_get_id (profile));
  proxy_password = g_strdup_printf ("Proxy-%s", antenna_profile_get_id (profile));
  antenna_test_secret_store_secret_ok (f->secrets, profile, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);
  antenna_test_secret_store_secret_ok (f->secrets, profile, ANTENNA_SECRET_PROXY_PASSWORD, proxy_password);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "delete-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  confirm = ADW_MESSAGE_DIALOG (antenna_test_ui_wait_window (ADW_TYPE_MESSAGE_DIALOG, WAIT_MS));
  g_assert_nonnull (confirm);
  gone.f = f;
  gone.profile = g_object_ref (profile);
  adw_message_dialog_response (confirm, "delete");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) secrets_gone, &gone, WAIT_MS));
  g_object_unref (gone.profile);
}

static GtkWidget *found_button;

static gboolean
mqtt_3_1_1_offered (GtkWidget *root)
{
  found_button = antenna_test_ui_find_button (root, MQTT_3_1_1_BUTTON);
  return found_button != NULL && gtk_widget_get_mapped (found_button);
}

/* Clicks the toast's button as a person does: once the toast is in view.
 * libadwaita before 1.3 frees a toast dismissed before its show animation
 * has ended (up to 500 ms when it replaces another) and then reads it when
 * that animation ends (fixed upstream by 1674ebc9, "toast-overlay: Prevent
 * show_done from firing after hide_done"); a click at the first frame made
 * this test crash now and then on a loaded machine. */
static void
click_toast_button (GtkWidget *button)
{
  antenna_test_iterate_for (800);
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_connected (AntennaClient *client)
{
  return antenna_client_get_state (client) == ANTENNA_CLIENT_STATE_CONNECTED;
}

static const char *wanted_subtitle;

static gboolean
row_says (GtkWidget *row)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  return g_strcmp0 (subtitle, wanted_subtitle) == 0;
}

static gboolean
saved_as_3_1_1 (const char *id)
{
  g_autoptr(AntennaProfileStore) reloaded = antenna_profile_store_new (NULL);
  AntennaProfile *profile;

  if (!antenna_profile_store_load (reloaded, NULL, NULL))
    return FALSE;
  profile = antenna_profile_store_find (reloaded, id);
  return profile != NULL && antenna_profile_get_mqtt_version (profile) == ANTENNA_MQTT_VERSION_3_1_1;
}

static GtkWidget *
options_button (AntennaConnection *connection)
{
  AntennaSubscriptionsPane *pane = _antenna_connection_page_get_subscriptions_pane (ANTENNA_CONNECTION_PAGE (connection->page));

  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (pane), ANTENNA_TYPE_SUBSCRIPTIONS_PANE, "options_button"));
}

/* RabbitMQ closes an MQTT 5 CONNECT unanswered: the window says so with a
 * button, and the button switches the saved profile to 3.1.1 (saved so) and
 * connects. Subscribed at QoS 2 there, the row says the broker granted 1. */
static void
test_mqtt_3_1_1_button (Fixture       *f,
                        gconstpointer  data)
{
  AntennaTestBroker *rabbitmq = antenna_test_broker_get_shared (ANTENNA_TEST_BROKER_RABBITMQ);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaSubscription) subscription = NULL;
  AntennaConnection *connection;
  AntennaSubscriptionsPane *pane;
  GtkWidget *row;

  if (rabbitmq == NULL)
    return;  /* skipped or failed, with why */

  profile = antenna_profile_new ();
  antenna_profile_set_name (profile, "RabbitMQ");
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (rabbitmq));
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  antenna_profile_set_connect_timeout (profile, 20);
  antenna_profile_store_add (f->store, profile);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) mqtt_3_1_1_offered, f->window, WAIT_MS));
  connection = connection_of (f, profile);
  g_assert_cmpint (antenna_client_get_state (connection->client), ==, ANTENNA_CLIENT_STATE_DISCONNECTED);
  antenna_test_screenshot ("window-mqtt-3-1-1-button.png");

  /* Clicked as a person would. */
  click_toast_button (found_button);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, connection->client, WAIT_MS));
  g_assert_cmpint (antenna_profile_get_mqtt_version (profile), ==, ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_cmpint (antenna_client_get_mqtt_version (connection->client), ==, ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) saved_as_3_1_1,
                                          (gpointer) antenna_profile_get_id (profile), WAIT_MS));

  /* No MQTT 5 subscription options on a 3.1.1 connection. */
  g_assert_false (gtk_widget_get_visible (options_button (connection)));
  pane = _antenna_connection_page_get_subscriptions_pane (ANTENNA_CONNECTION_PAGE (connection->page));

  /* QoS 2 asked, 1 granted: the row says both. */
  subscription = antenna_subscription_new ("antenna/ui/window/#", 2);
  antenna_subscriptions_pane_subscribe (pane, subscription);
  row = antenna_test_ui_find_row (GTK_WIDGET (pane), ADW_TYPE_ACTION_ROW, "antenna/ui/window/#");
  g_assert_nonnull (row);
  wanted_subtitle = "Active · granted QoS 1 (asked for 2)";
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) row_says, row, WAIT_MS));
  antenna_test_screenshot ("window-granted-qos.png");
}

/* A connection opened from a URL (not saved) gets the same button; 3.1.1
 * then holds for this connection only. */
static void
test_mqtt_3_1_1_button_temporary (Fixture       *f,
                                  gconstpointer  data)
{
  AntennaTestBroker *rabbitmq = antenna_test_broker_get_shared (ANTENNA_TEST_BROKER_RABBITMQ);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autofree char *uri = NULL;
  AntennaConnection *connection;

  if (rabbitmq == NULL)
    return;

  uri = g_strdup_printf ("mqtt://127.0.0.1:%u", antenna_test_broker_get_port (rabbitmq));
  profile = antenna_profile_new_from_uri (uri, NULL);
  g_assert_nonnull (profile);
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  antenna_window_open_temporary (f->window, profile);

  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) mqtt_3_1_1_offered, f->window, WAIT_MS));
  click_toast_button (found_button);
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, connection->client, WAIT_MS));
  g_assert_cmpint (antenna_profile_get_mqtt_version (profile), ==, ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
}

/* A saved connection whose TLS client key is encrypted: the window's
 * client reads the passphrase from the keyring and connects to a broker
 * that demands the certificate. */
static void
test_connect_with_key_passphrase (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_CLIENT_CERT);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autofree char *dir = g_dir_make_tmp ("antenna-ui-window-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "client.key", NULL);
  g_autofree char *passphrase = g_strdup_printf ("Passphrase-%s", antenna_profile_get_id (profile));
  AntennaConnection *connection;

  antenna_test_broker_write_encrypted_client_key (broker, passphrase, key);
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (broker));
  antenna_profile_set_tls_ca_file (profile, antenna_test_broker_get_ca_file (broker));
  antenna_profile_set_tls_cert_file (profile, antenna_test_broker_get_client_cert_file (broker));
  antenna_profile_set_tls_key_file (profile, key);
  antenna_profile_store_add (f->store, profile);
  antenna_test_secret_store_secret_ok (f->secrets, profile, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "connect-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, connection->client, WAIT_MS));

  antenna_test_remove_tree (dir);
}

/* The automatic version against a broker that speaks MQTT 5: the MQTT 5
 * subscription options are there, as for a profile that asked for 5. */
static void
test_automatic_version_options (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autofree char *uri = g_strdup_printf ("mqtt://127.0.0.1:%u", antenna_test_broker_get_port (broker));
  AntennaConnection *connection;

  profile = antenna_profile_new_from_uri (uri, NULL);
  g_assert_nonnull (profile);
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_AUTOMATIC);
  antenna_window_open_temporary (f->window, profile);
  connection = connection_of (f, profile);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_connected, connection->client, WAIT_MS));

  g_assert_cmpint (antenna_client_get_mqtt_version (connection->client), ==, ANTENNA_MQTT_VERSION_5);
  g_assert_cmpint (antenna_profile_get_detected_mqtt_version (profile), ==, ANTENNA_MQTT_VERSION_5);
  g_assert_true (gtk_widget_get_visible (options_button (connection)));
}

static gboolean
is_connected_toast (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), "Connected to ");
}

/* The editor's toast that the settings work, as a person reads it. */
static gboolean
told_connected (GtkWidget *editor)
{
  return antenna_test_ui_find_widget (editor, is_connected_toast, NULL) != NULL;
}

/* The editor's Test Connection to RabbitMQ with MQTT 5 offers the same
 * button; pressed, the test goes again with 3.1.1 and works. */
static void
test_editor_mqtt_3_1_1_button (Fixture       *f,
                               gconstpointer  data)
{
  AntennaTestBroker *rabbitmq = antenna_test_broker_get_shared (ANTENNA_TEST_BROKER_RABBITMQ);
  g_autoptr(AntennaProfile) profile = NULL;
  AntennaProfileEditor *editor;

  if (rabbitmq == NULL)
    return;

  profile = antenna_profile_new ();
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_port (rabbitmq));
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
  antenna_profile_store_add (f->store, profile);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "edit-profile",
                                  g_variant_new_string (antenna_profile_get_id (profile)));
  editor = ANTENNA_PROFILE_EDITOR (antenna_test_ui_wait_window (ANTENNA_TYPE_PROFILE_EDITOR, WAIT_MS));
  g_assert_nonnull (editor);

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (editor), ANTENNA_TYPE_PROFILE_EDITOR, "test_button"), "clicked");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) mqtt_3_1_1_offered, editor, WAIT_MS));
  antenna_test_screenshot ("editor-mqtt-3-1-1-button.png");
  click_toast_button (found_button);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) told_connected, editor, WAIT_MS));

  /* The editor's copy, not the saved profile, until Save. */
  g_assert_cmpint (antenna_profile_get_mqtt_version (antenna_profile_editor_get_profile (editor)), ==, ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_cmpint (antenna_profile_get_mqtt_version (profile), ==, ANTENNA_MQTT_VERSION_5);
  gtk_window_destroy (GTK_WINDOW (editor));
  antenna_test_iterate_for (100);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

#define ADD(path, func) \
  g_test_add ("/antenna/ui/window/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("new-connection-from-chooser", test_new_connection_from_chooser);
  ADD ("connect-with-key-passphrase", test_connect_with_key_passphrase);
  ADD ("mqtt-3-1-1-button", test_mqtt_3_1_1_button);
  ADD ("mqtt-3-1-1-button-temporary", test_mqtt_3_1_1_button_temporary);
  ADD ("editor-mqtt-3-1-1-button", test_editor_mqtt_3_1_1_button);
  ADD ("automatic-version-options", test_automatic_version_options);

#undef ADD

  return antenna_test_run ();
}
