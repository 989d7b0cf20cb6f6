/* test-ui-preset-dialog.c: the chooser of a new connection, as a person uses it
 *
 * The dialog under Xvfb: the clouds listed with the core's words, a cloud's
 * fields shown and checked as they are typed, the profile and the secrets
 * handed over. With ANTENNA_SCREENSHOT_DIR set it saves what it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "antenna-cloud-preset.h"
#include "antenna-preset-dialog.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-test-ui.h"

#define WAIT_MS 10000

typedef struct
{
  AntennaPresetDialog *dialog;
  AntennaProfile      *profile;
  char                *password;
  char                *key_passphrase;
  char                *publish_topic;
  guint                n_done;
  gboolean             destroyed;
} Fixture;

static void
on_done_cb (AntennaProfile *profile,
            const char     *password,
            const char     *key_passphrase,
            const char     *publish_topic,
            gpointer        user_data)
{
  Fixture *f = user_data;

  f->n_done++;
  g_set_object (&f->profile, profile);
  f->password = g_strdup (password);
  f->key_passphrase = g_strdup (key_passphrase);
  f->publish_topic = g_strdup (publish_topic);
}

static void
on_destroy_cb (GtkWidget *widget,
               Fixture   *f)
{
  f->destroyed = TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dialog = antenna_preset_dialog_choose (NULL, on_done_cb, f, NULL);
  g_signal_connect (f->dialog, "destroy", G_CALLBACK (on_destroy_cb), f);
  antenna_test_iterate_for (100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!f->destroyed)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  g_assert_true (antenna_test_wait_for (&f->destroyed, WAIT_MS));
  g_clear_object (&f->profile);
  g_free (f->password);
  g_free (f->key_passphrase);
  g_free (f->publish_topic);
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error");
}

/* Whether "Continue" can be pressed. */
static gboolean
can_continue (Fixture *f)
{
  GtkWidget *button = antenna_test_ui_find_button (GTK_WIDGET (f->dialog), "_Continue");

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static const char *
problem (Fixture *f)
{
  GtkWidget *label = antenna_test_ui_find_widget (GTK_WIDGET (f->dialog), is_error_label, NULL);

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

static void
type_into (GtkWidget  *row,
           const char *text)
{
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  antenna_test_iterate_for (20);
}

static void
test_clouds_listed (Fixture       *f,
                    gconstpointer  data)
{
  guint n;
  const AntennaCloud *clouds = antenna_cloud_list (&n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = antenna_test_ui_find_row (GTK_WIDGET (f->dialog), ADW_TYPE_ACTION_ROW, antenna_cloud_get_name (clouds[i]));

      g_assert_nonnull (row);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, antenna_cloud_get_description (clouds[i]));
    }
  antenna_test_screenshot ("preset-clouds.png");

  /* "Another broker": a profile with the defaults, no secret. */
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "preset.other", NULL);
  g_assert_true (antenna_test_wait_for (&f->destroyed, WAIT_MS));
  g_assert_cmpuint (f->n_done, ==, 1);
  g_assert_cmpstr (antenna_profile_get_host (f->profile), ==, "localhost");
  g_assert_null (f->password);
}

static void
test_azure (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (f->dialog);
  g_autoptr(AntennaSubscription) c2d = NULL;

  gtk_widget_activate_action (root, "preset.choose", "s", "azure-iot-hub");
  antenna_test_iterate_for (50);

  /* Azure's fields only, and no way on while they are empty. */
  g_assert_nonnull (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "IoT Hub Name"));
  g_assert_nonnull (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Device ID"));
  g_assert_true (gtk_widget_get_visible (antenna_test_ui_find_row (root, ADW_TYPE_PASSWORD_ENTRY_ROW, "Device Key")));
  g_assert_false (gtk_widget_get_visible (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Host")));
  g_assert_false (gtk_widget_get_visible (antenna_test_ui_find_row (root, ADW_TYPE_ACTION_ROW, "Certificate")));
  g_assert_nonnull (antenna_test_ui_find_row (root, ADW_TYPE_ACTION_ROW, "WebSocket on port 443"));
  g_assert_null (problem (f));
  g_assert_false (can_continue (f));

  /* A wrong hub name: marked, and said. */
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "IoT Hub Name"), "my_hub");
  g_assert_true (gtk_widget_has_css_class (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "IoT Hub Name"), "error"));
  g_assert_cmpstr (problem (f), ==, "An IoT hub’s name has letters, digits and “-” only.");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "IoT Hub Name"), "antenna-hub");
  g_assert_false (gtk_widget_has_css_class (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "IoT Hub Name"), "error"));
  g_assert_null (problem (f));

  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Device ID"), "sensor-7");
  /* A connection string where the key goes. */
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_PASSWORD_ENTRY_ROW, "Device Key"), "HostName=x;SharedAccessKey=y");
  g_assert_nonnull (problem (f));
  g_assert_nonnull (strstr (problem (f), "not a device key"));
  g_assert_false (can_continue (f));
  antenna_test_screenshot ("preset-azure-problem.png");
  gtk_widget_activate_action (root, "preset.create", NULL);
  antenna_test_iterate_for (50);
  g_assert_cmpuint (f->n_done, ==, 0);

  type_into (antenna_test_ui_find_row (root, ADW_TYPE_PASSWORD_ENTRY_ROW, "Device Key"), "q7wN0Xh9mZ3f2Yp6Lk1sVb8Rt4Ue5Gc0Aa/Bb+Cc9Dd=");
  g_assert_null (problem (f));
  g_assert_true (can_continue (f));
  gtk_switch_set_active (GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (antenna_test_ui_find_row (root, ADW_TYPE_ACTION_ROW, "WebSocket on port 443")))), TRUE);
  antenna_test_screenshot ("preset-azure.png");

  gtk_widget_activate_action (root, "preset.create", NULL);
  g_assert_true (antenna_test_wait_for (&f->destroyed, WAIT_MS));
  g_assert_cmpuint (f->n_done, ==, 1);
  g_assert_cmpstr (antenna_profile_get_host (f->profile), ==, "antenna-hub.azure-devices.net");
  g_assert_cmpint (antenna_profile_get_transport (f->profile), ==, ANTENNA_TRANSPORT_WSS);
  g_assert_cmpstr (antenna_profile_get_ws_path (f->profile), ==, "/$iothub/websocket");
  g_assert_cmpint (antenna_profile_get_auth_method (f->profile), ==, ANTENNA_AUTH_METHOD_AZURE_SAS);
  g_assert_cmpstr (f->password, ==, "q7wN0Xh9mZ3f2Yp6Lk1sVb8Rt4Ue5Gc0Aa/Bb+Cc9Dd=");
  g_assert_null (f->key_passphrase);
  g_assert_cmpstr (f->publish_topic, ==, "devices/sensor-7/messages/events/");
  c2d = g_list_model_get_item (antenna_profile_get_subscriptions (f->profile), 0);
  g_assert_cmpstr (antenna_subscription_get_filter (c2d), ==, "devices/sensor-7/messages/devicebound/#");
}

/* Back to the list and another cloud: its own fields, nothing of the first. */
static void
test_back (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (f->dialog);

  gtk_widget_activate_action (root, "preset.choose", "s", "azure-iot-hub");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Device ID"), "sensor-7");
  gtk_widget_activate_action (root, "preset.back", NULL);
  gtk_widget_activate_action (root, "preset.choose", "s", "hivemq");
  antenna_test_iterate_for (50);

  g_assert_false (gtk_widget_get_visible (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "IoT Hub Name")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Client ID"))), ==, "");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Host"), "0123abcd.s1.eu.hivemq.cloud");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "User Name"), "antenna");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_PASSWORD_ENTRY_ROW, "Password"), "secret");
  antenna_test_screenshot ("preset-hivemq.png");

  gtk_widget_activate_action (root, "preset.create", NULL);
  g_assert_true (antenna_test_wait_for (&f->destroyed, WAIT_MS));
  g_assert_cmpstr (antenna_profile_get_host (f->profile), ==, "0123abcd.s1.eu.hivemq.cloud");
  g_assert_cmpuint (antenna_profile_get_port (f->profile), ==, 8883);
  g_assert_cmpstr (antenna_profile_get_username (f->profile), ==, "antenna");
  g_assert_cmpstr (f->password, ==, "secret");
  g_assert_null (f->publish_topic);
}

/* AWS: the files as rows that say which file goes there, the passphrase
 * and the port 443 switch. */
static void
test_aws_fields (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (f->dialog);
  GtkWidget *cert;

  gtk_widget_activate_action (root, "preset.choose", "s", "aws-iot");
  antenna_test_iterate_for (50);

  cert = antenna_test_ui_find_row (root, ADW_TYPE_ACTION_ROW, "Certificate");
  g_assert_true (gtk_widget_get_visible (cert));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cert)), "certificate.pem.crt"));
  g_assert_true (gtk_widget_get_visible (antenna_test_ui_find_row (root, ADW_TYPE_ACTION_ROW, "Private Key")));
  g_assert_true (gtk_widget_get_visible (antenna_test_ui_find_row (root, ADW_TYPE_ACTION_ROW, "Amazon Root CA")));
  g_assert_true (gtk_widget_get_visible (antenna_test_ui_find_row (root, ADW_TYPE_PASSWORD_ENTRY_ROW, "Private Key Passphrase")));
  g_assert_nonnull (antenna_test_ui_find_row (root, ADW_TYPE_ACTION_ROW, "Port 443 with ALPN"));
  g_assert_false (gtk_widget_get_visible (antenna_test_ui_find_row (root, ADW_TYPE_PASSWORD_ENTRY_ROW, "Password")));

  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Device Data Endpoint"), "abc123xyz-ats.iot.eu-west-1.amazonaws.com:8883");
  g_assert_nonnull (strstr (problem (f), "without a port"));
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Device Data Endpoint"), "abc123xyz-ats.iot.eu-west-1.amazonaws.com");
  type_into (antenna_test_ui_find_row (root, ADW_TYPE_ENTRY_ROW, "Thing Name"), "antenna-thing");
  g_assert_null (problem (f));
  /* No certificate yet. */
  g_assert_false (can_continue (f));
  antenna_test_screenshot ("preset-aws.png");
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

#define ADD(path, func) \
  g_test_add ("/antenna/ui/preset-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("clouds", test_clouds_listed);
  ADD ("azure", test_azure);
  ADD ("back", test_back);
  ADD ("aws-fields", test_aws_fields);

#undef ADD

  return g_test_run ();
}
