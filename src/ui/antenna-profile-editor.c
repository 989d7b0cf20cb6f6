/* antenna-profile-editor.c
 *
 * The editor works on a copy of the profile: every row is bound to a property
 * of the copy, and Save writes the copy back (or adds it to the store when it
 * is new). An AdwWindow with its own header bar rather than an
 * AdwPreferencesWindow: libadwaita 1.2 gives the latter no place for Cancel
 * and Save, which an editor needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-editor"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "antenna-client.h"
#include "antenna-profile.h"
#include "antenna-profile-editor.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-subscription.h"
#include "antenna-subscription-row.h"
#include "antenna-topic.h"

struct _AntennaProfileEditor
{
  AdwWindow             parent_instance;

  AntennaProfileStore  *store;
  AntennaSecretStore   *secrets;
  /* The profile in the store (NULL until a new one is saved) and the copy edited. */
  AntennaProfile       *original;
  AntennaProfile       *copy;
  /* The password as read from the keyring, to store it again only when changed. */
  char                 *loaded_password;
  GCancellable         *cancellable;
  AntennaClient        *test_client;
  GtkFileChooserNative *file_chooser;
  gboolean              busy;

  AdwToastOverlay      *toast_overlay;
  GtkButton            *save_button;
  GtkButton            *test_button;
  GtkSpinner           *test_spinner;

  AdwPreferencesGroup  *auth_group;
  AdwPreferencesGroup  *tls_group;

  AdwEntryRow          *name_row;
  AdwEntryRow          *host_row;
  AdwEntryRow          *port_row;
  AdwComboRow          *transport_row;
  AdwEntryRow          *ws_path_row;
  AdwComboRow          *version_row;
  AdwEntryRow          *client_id_row;
  GtkLabel             *general_error;

  AdwEntryRow          *username_row;
  AdwEntryRow          *password_row;
  GtkSwitch            *remember_switch;

  GtkAdjustment        *keepalive_adjustment;
  GtkSwitch            *clean_start_switch;
  AdwActionRow         *session_expiry_row;
  GtkAdjustment        *session_expiry_adjustment;
  GtkAdjustment        *connect_timeout_adjustment;
  GtkSwitch            *auto_reconnect_switch;

  AdwActionRow         *ca_row;
  GtkButton            *ca_clear_button;
  AdwActionRow         *cert_row;
  GtkButton            *cert_clear_button;
  AdwActionRow         *key_row;
  GtkButton            *key_clear_button;
  GtkSwitch            *verify_switch;
  AdwActionRow         *insecure_row;
  GtkSwitch            *insecure_switch;
  AdwEntryRow          *alpn_row;
  GtkLabel             *tls_error;

  AdwEntryRow          *will_topic_row;
  AdwEntryRow          *will_payload_row;
  AdwComboRow          *will_qos_row;
  GtkSwitch            *will_retain_switch;
  GtkLabel             *will_error;

  GtkListBox           *subscriptions_list;
  AdwEntryRow          *add_filter_row;
  GtkDropDown          *add_qos_dropdown;
  GtkButton            *add_subscription_button;
  GtkLabel             *subscriptions_error;
};

G_DEFINE_FINAL_TYPE (AntennaProfileEditor, antenna_profile_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void validate (AntennaProfileEditor *self);

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || host[0] == '\0')
    return TRUE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

static char *
dup_stripped (const char *str)
{
  return g_strstrip (g_strdup (str != NULL ? str : ""));
}

static gboolean
transport_uses_tls (AntennaTransport transport)
{
  return transport == ANTENNA_TRANSPORT_TLS || transport == ANTENNA_TRANSPORT_WSS;
}

static void
show_toast (AntennaProfileEditor *self,
            const char           *message,
            guint                 timeout)
{
  /* libadwaita 1.2 reads a toast's title as markup: a topic or a path may
   * hold '&' or '<'. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_debug ("Told: %s", message);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Marks @row invalid with @message (NULL: valid). */
static void
set_row_error (GtkWidget  *row,
               const char *message)
{
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");

  gtk_widget_set_tooltip_text (row, message);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
set_group_errors (GtkLabel *label,
                  GString  *errors)
{
  if (errors->len > 0 && errors->str[errors->len - 1] == '\n')
    g_string_truncate (errors, errors->len - 1);

  gtk_label_set_label (label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (label), errors->len > 0);
}

static void
add_error (GString    *errors,
           GtkWidget  *row,
           const char *message)
{
  set_row_error (row, message);
  if (message != NULL)
    g_string_append_printf (errors, "%s\n", message);
}

/* Parses the port as typed; 0 when it is not a port. */
static guint
parse_port (const char *text)
{
  guint64 port = 0;

  if (text == NULL || text[0] == '\0')
    return 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &port, NULL))
    return 0;

  return (guint) port;
}

static char *
check_file (const char *path,
            const char *what)
{
  int saved_errno;

  if (path == NULL || path[0] == '\0')
    return NULL;

  if (g_access (path, R_OK) == 0 && !g_file_test (path, G_FILE_TEST_IS_DIR))
    return NULL;

  saved_errno = g_file_test (path, G_FILE_TEST_IS_DIR) ? EISDIR : errno;

  /* Translators: "The CA certificate “/path” cannot be read: Permission denied." */
  return g_strdup_printf (_("%s “%s” cannot be read: %s."), what, path, g_strerror (saved_errno));
}

static void
validate (AntennaProfileEditor *self)
{
  g_autoptr(GString) general = g_string_new (NULL);
  g_autoptr(GString) tls = g_string_new (NULL);
  g_autoptr(GString) will = g_string_new (NULL);
  g_autoptr(GString) subscriptions = g_string_new (NULL);
  g_autofree char *host = NULL;
  g_autofree char *ca_error = NULL;
  g_autofree char *cert_error = NULL;
  g_autofree char *key_error = NULL;
  const char *ws_path;
  const char *will_topic;
  const char *filter;
  AntennaTransport transport;
  gboolean is_ws;
  gboolean valid;

  transport = antenna_profile_get_transport (self->copy);
  is_ws = transport == ANTENNA_TRANSPORT_WS || transport == ANTENNA_TRANSPORT_WSS;

  host = dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->host_row)));
  add_error (general, GTK_WIDGET (self->host_row),
             host[0] == '\0' ? _("Enter the host name or address of the broker.") : NULL);

  add_error (general, GTK_WIDGET (self->port_row),
             parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row))) == 0
               ? _("The port must be a number from 1 to 65535.") : NULL);

  ws_path = gtk_editable_get_text (GTK_EDITABLE (self->ws_path_row));
  add_error (general, GTK_WIDGET (self->ws_path_row),
             is_ws && ws_path[0] != '\0' && ws_path[0] != '/'
               ? _("The WebSocket path must start with “/”.") : NULL);
  set_group_errors (self->general_error, general);

  if (transport_uses_tls (transport))
    {
      ca_error = check_file (antenna_profile_get_tls_ca_file (self->copy), _("The CA certificate"));
      cert_error = check_file (antenna_profile_get_tls_cert_file (self->copy), _("The client certificate"));
      key_error = check_file (antenna_profile_get_tls_key_file (self->copy), _("The client key"));
    }
  add_error (tls, GTK_WIDGET (self->ca_row), ca_error);
  add_error (tls, GTK_WIDGET (self->cert_row), cert_error);
  add_error (tls, GTK_WIDGET (self->key_row), key_error);
  set_group_errors (self->tls_error, tls);

  will_topic = gtk_editable_get_text (GTK_EDITABLE (self->will_topic_row));
  if (will_topic[0] != '\0')
    {
      g_autoptr(GError) error = NULL;

      if (!antenna_topic_validate_name (will_topic, -1, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The will topic is not valid: %s"), error->message);
          add_error (will, GTK_WIDGET (self->will_topic_row), message);
        }
      else
        add_error (will, GTK_WIDGET (self->will_topic_row), NULL);
    }
  else
    add_error (will, GTK_WIDGET (self->will_topic_row), NULL);
  set_group_errors (self->will_error, will);

  filter = gtk_editable_get_text (GTK_EDITABLE (self->add_filter_row));
  if (filter[0] != '\0')
    {
      g_autoptr(GError) error = NULL;

      if (!antenna_topic_validate_filter (filter, -1, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The topic filter is not valid: %s"), error->message);
          add_error (subscriptions, GTK_WIDGET (self->add_filter_row), message);
        }
      else
        add_error (subscriptions, GTK_WIDGET (self->add_filter_row), NULL);
    }
  else
    add_error (subscriptions, GTK_WIDGET (self->add_filter_row), NULL);
  set_group_errors (self->subscriptions_error, subscriptions);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_subscription_button),
                            filter[0] != '\0' && subscriptions->len == 0);

  valid = general->len == 0 && tls->len == 0 && will->len == 0 && subscriptions->len == 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), valid && !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button),
                            valid && !self->busy && self->test_client == NULL);
}

static void
update_transport (AntennaProfileEditor *self)
{
  AntennaTransport transport = antenna_profile_get_transport (self->copy);
  gboolean is_ws = transport == ANTENNA_TRANSPORT_WS || transport == ANTENNA_TRANSPORT_WSS;
  gboolean tls = transport_uses_tls (transport);
  const char *host = antenna_profile_get_host (self->copy);

  gtk_widget_set_visible (GTK_WIDGET (self->ws_path_row), is_ws);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tls_group), tls);

  /* A password is worth protecting even from a test broker on the LAN. */
  if (!tls && !host_is_loopback (host))
    adw_preferences_group_set_description (self->auth_group,
                                           _("This transport is not encrypted: the password can be read by anyone on the network. Use TLS for a broker on another machine."));
  else
    adw_preferences_group_set_description (self->auth_group, NULL);
}

static void
update_file_row (AdwActionRow *row,
                 GtkWidget    *clear_button,
                 const char   *path,
                 const char   *none)
{
  gboolean set = path != NULL && path[0] != '\0';

  adw_action_row_set_subtitle (row, set ? path : none);
  gtk_widget_set_visible (clear_button, set);
}

static void
update_files (AntennaProfileEditor *self)
{
  update_file_row (self->ca_row, GTK_WIDGET (self->ca_clear_button),
                   antenna_profile_get_tls_ca_file (self->copy), _("The system’s certificates"));
  update_file_row (self->cert_row, GTK_WIDGET (self->cert_clear_button),
                   antenna_profile_get_tls_cert_file (self->copy), _("None"));
  update_file_row (self->key_row, GTK_WIDGET (self->key_clear_button),
                   antenna_profile_get_tls_key_file (self->copy), _("None"));
}

static void
update_insecure (AntennaProfileEditor *self)
{
  if (antenna_profile_get_tls_allow_insecure (self->copy))
    {
      adw_action_row_set_subtitle (self->insecure_row,
                                   _("The broker’s certificate is not checked: anyone on the way can pose as the broker and read everything, passwords included."));
      gtk_widget_add_css_class (GTK_WIDGET (self->insecure_row), "warning");
    }
  else
    {
      adw_action_row_set_subtitle (self->insecure_row,
                                   _("Accept certificates that are expired or signed by an unknown authority"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->insecure_row), "warning");
    }
}

static void
update_port_text (AntennaProfileEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  guint port = antenna_profile_get_port (self->copy);

  if (parse_port (text) != port)
    {
      g_autofree char *str = g_strdup_printf ("%u", port);
      gtk_editable_set_text (GTK_EDITABLE (self->port_row), str);
    }
}

static void
on_copy_notify_cb (AntennaProfileEditor *self,
                   GParamSpec           *pspec,
                   AntennaProfile       *profile)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "port"))
    update_port_text (self);
  else if (g_str_equal (name, "transport") || g_str_equal (name, "host"))
    update_transport (self);
  else if (g_str_has_prefix (name, "tls-") && g_str_has_suffix (name, "-file"))
    update_files (self);
  else if (g_str_equal (name, "tls-allow-insecure"))
    update_insecure (self);
  else if (g_str_equal (name, "mqtt-version"))
    gtk_widget_set_sensitive (GTK_WIDGET (self->session_expiry_row),
                              antenna_profile_get_mqtt_version (profile) == ANTENNA_MQTT_VERSION_5);

  validate (self);
}

static void
on_field_changed_cb (AntennaProfileEditor *self)
{
  validate (self);
}

static void
on_port_changed_cb (AntennaProfileEditor *self)
{
  guint port = parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)));

  if (port != 0)
    antenna_profile_set_port (self->copy, port);

  validate (self);
}

static void
on_will_payload_changed_cb (AntennaProfileEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->will_payload_row));
  g_autoptr(GBytes) payload = NULL;

  if (text[0] != '\0')
    payload = g_bytes_new (text, strlen (text));

  antenna_profile_set_will_payload (self->copy, payload);
}

static void
on_generate_client_id_clicked_cb (AntennaProfileEditor *self)
{
  g_autofree char *client_id = g_strdup_printf ("antenna-%08x", g_random_int ());

  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);
}

static void
on_file_chooser_response_cb (AntennaProfileEditor *self,
                             int                   response,
                             GtkFileChooserNative *chooser)
{
  const char *property = g_object_get_data (G_OBJECT (chooser), "antenna-property");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_object_set (self->copy, property, path, NULL);
      else
        show_toast (self, _("Only local files can be used as certificates."), 5);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  if (self->file_chooser == chooser)
    g_clear_object (&self->file_chooser);
}

static void
choose_file (AntennaProfileEditor *self,
             const char           *title,
             const char           *property,
             gboolean              key)
{
  g_autoptr(GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *current = NULL;

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
      g_clear_object (&self->file_chooser);
    }

  self->file_chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);

  gtk_file_filter_set_name (pem, key ? _("Keys (PEM)") : _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (pem, "*.pem");
  gtk_file_filter_add_pattern (pem, key ? "*.key" : "*.crt");
  gtk_file_filter_add_pattern (pem, "*.cer");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), pem);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), all);

  g_object_get (self->copy, property, &current, NULL);
  if (current != NULL && current[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);
      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->file_chooser), file, NULL);
    }

  g_object_set_data (G_OBJECT (self->file_chooser), "antenna-property", (gpointer) property);
  g_signal_connect_object (self->file_chooser, "response",
                           G_CALLBACK (on_file_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
on_ca_choose_clicked_cb (AntennaProfileEditor *self)
{
  choose_file (self, _("Choose a CA Certificate"), "tls-ca-file", FALSE);
}

static void
on_ca_clear_clicked_cb (AntennaProfileEditor *self)
{
  antenna_profile_set_tls_ca_file (self->copy, NULL);
}

static void
on_cert_choose_clicked_cb (AntennaProfileEditor *self)
{
  choose_file (self, _("Choose a Client Certificate"), "tls-cert-file", FALSE);
}

static void
on_cert_clear_clicked_cb (AntennaProfileEditor *self)
{
  antenna_profile_set_tls_cert_file (self->copy, NULL);
}

static void
on_key_choose_clicked_cb (AntennaProfileEditor *self)
{
  choose_file (self, _("Choose a Client Key"), "tls-key-file", TRUE);
}

static void
on_key_clear_clicked_cb (AntennaProfileEditor *self)
{
  antenna_profile_set_tls_key_file (self->copy, NULL);
}

/* Subscriptions */

static gboolean
qos_to_selected (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_set_uint (to, (guint) CLAMP (g_value_get_int (from), 0, 2));
  return TRUE;
}

static gboolean
selected_to_qos (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected > 2)
    return FALSE;

  g_value_set_int (to, (int) selected);
  return TRUE;
}

static void
unsubscribe_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AntennaProfileEditor *self = ANTENNA_PROFILE_EDITOR (widget);
  const char *filter = g_variant_get_string (param, NULL);
  GListModel *model = antenna_profile_get_subscriptions (self->copy);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (antenna_subscription_get_filter (item), filter) == 0)
        {
          antenna_profile_remove_subscription (self->copy, i);
          break;
        }
    }
}

static GtkWidget *
create_subscription_row (gpointer item,
                         gpointer user_data)
{
  return antenna_subscription_row_new (item, FALSE);
}

static void
on_subscriptions_changed_cb (AntennaProfileEditor *self,
                             guint                 position,
                             guint                 removed,
                             guint                 added,
                             GListModel           *model)
{
  gtk_widget_set_visible (GTK_WIDGET (self->subscriptions_list),
                          g_list_model_get_n_items (model) > 0);
}

static gboolean
has_subscription (AntennaProfile *profile,
                  const char     *filter)
{
  GListModel *model = antenna_profile_get_subscriptions (profile);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (antenna_subscription_get_filter (item), filter) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Adds the filter typed in the add row, if valid. Returns FALSE when there is
 * one and it cannot be added. */
static gboolean
add_pending_subscription (AntennaProfileEditor *self)
{
  g_autoptr(AntennaSubscription) subscription = NULL;
  g_autofree char *filter = NULL;
  guint qos;

  filter = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_filter_row)));
  if (filter[0] == '\0')
    return TRUE;

  if (!antenna_topic_validate_filter (filter, -1, NULL))
    return FALSE;

  if (!has_subscription (self->copy, filter))
    {
      qos = gtk_drop_down_get_selected (self->add_qos_dropdown);
      subscription = antenna_subscription_new (filter, (int) MIN (qos, 2));
      antenna_profile_add_subscription (self->copy, subscription);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->add_filter_row), "");
  return TRUE;
}

static void
on_add_subscription_cb (AntennaProfileEditor *self)
{
  if (add_pending_subscription (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->add_filter_row));
}

/* Test connection */

static void
on_test_disconnected_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  antenna_client_disconnect_finish (ANTENNA_CLIENT (object), result, NULL);
}

static void
on_test_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = user_data;
  g_autoptr(AntennaClient) client = ANTENNA_CLIENT (g_object_ref (object));
  g_autoptr(GError) error = NULL;

  if (!antenna_client_connect_finish (client, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      show_toast (self, error->message, 10);
    }
  else
    {
      g_autofree char *address = antenna_profile_dup_display_address (antenna_client_get_profile (client));
      /* Translators: the test connection succeeded; %s is the broker's address. */
      g_autofree char *message = g_strdup_printf (_("Connected to %s: these settings work."), address);

      show_toast (self, message, 5);
      antenna_client_disconnect_async (client, NULL, on_test_disconnected_cb, NULL);
    }

  if (self->test_client == client)
    g_clear_object (&self->test_client);
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  validate (self);
}

static void
on_test_clicked_cb (AntennaProfileEditor *self)
{
  g_autoptr(AntennaProfile) profile = NULL;
  g_autofree char *host = NULL;
  const char *password;

  if (self->test_client != NULL)
    return;

  profile = antenna_profile_copy (self->copy);
  host = dup_stripped (antenna_profile_get_host (profile));
  antenna_profile_set_host (profile, host);
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (antenna_profile_get_username (profile) == NULL ||
      antenna_profile_get_username (profile)[0] == '\0' ||
      password[0] == '\0')
    password = NULL;

  self->test_client = antenna_client_new (profile);
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  validate (self);

  antenna_client_connect_async (self->test_client, password, self->cancellable,
                                on_test_connected_cb, g_object_ref (self));
}

/* Save */

static void
set_busy (AntennaProfileEditor *self,
          gboolean              busy)
{
  self->busy = busy;
  /* Focus out of the field first: a focused text made insensitive misses its
   * focus-out (GTK #5845). */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->toast_overlay), !busy);
  validate (self);
}

static void
finish_save (AntennaProfileEditor *self)
{
  g_signal_emit (self, signals[SAVED], 0, self->original);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_secret_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_secret_store_store_finish (ANTENNA_SECRET_STORE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      /* Translators: %s is the keyring's error. */
      message = g_strdup_printf (_("The password could not be saved in the keyring: %s"), error->message);
      show_toast (self, message, 0);
      return;
    }

  finish_save (self);
}

static void
on_secret_cleared_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_secret_store_clear_finish (ANTENNA_SECRET_STORE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      message = g_strdup_printf (_("The password could not be removed from the keyring: %s"), error->message);
      show_toast (self, message, 0);
      return;
    }

  finish_save (self);
}

/* Copies every setting of @from into @to, which keeps its id. */
static void
write_back (AntennaProfile *from,
            AntennaProfile *to)
{
  g_autofree GParamSpec **pspecs = NULL;
  GListModel *subscriptions;
  guint n_pspecs;
  guint n;

  if (from == to)
    return;

  g_object_freeze_notify (G_OBJECT (to));

  /* The transport first: setting it may move the port. */
  antenna_profile_set_transport (to, antenna_profile_get_transport (from));

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (from), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE ||
          (pspec->flags & G_PARAM_CONSTRUCT_ONLY) != 0 ||
          g_str_equal (pspec->name, "id") ||
          g_str_equal (pspec->name, "transport") ||
          g_type_is_a (pspec->value_type, G_TYPE_LIST_MODEL))
        continue;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (from), pspec->name, &value);
      g_object_set_property (G_OBJECT (to), pspec->name, &value);
    }

  subscriptions = antenna_profile_get_subscriptions (to);
  while (g_list_model_get_n_items (subscriptions) > 0)
    antenna_profile_remove_subscription (to, 0);

  subscriptions = antenna_profile_get_subscriptions (from);
  n = g_list_model_get_n_items (subscriptions);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) item = g_list_model_get_item (subscriptions, i);
      g_autoptr(AntennaSubscription) copy = antenna_subscription_copy (item);

      antenna_profile_add_subscription (to, copy);
    }

  g_object_thaw_notify (G_OBJECT (to));
}

static void
on_save_clicked_cb (AntennaProfileEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;
  const char *password;
  const char *username;

  if (!add_pending_subscription (self))
    return;

  validate (self);
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;

  host = dup_stripped (antenna_profile_get_host (self->copy));
  antenna_profile_set_host (self->copy, host);
  name = dup_stripped (antenna_profile_get_name (self->copy));
  antenna_profile_set_name (self->copy, name[0] != '\0' ? name : host);

  if (self->original == NULL)
    {
      antenna_profile_store_add (self->store, self->copy);
      self->original = g_object_ref (self->copy);
    }
  else
    write_back (self->copy, self->original);

  if (!antenna_profile_store_save (self->store, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The connection could not be saved: %s"), error->message);
      show_toast (self, message, 0);
      return;
    }

  username = antenna_profile_get_username (self->original);
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (!antenna_profile_get_save_password (self->original))
    {
      /* Nothing of a password not to remember may stay in the keyring. */
      set_busy (self, TRUE);
      antenna_secret_store_clear_async (self->secrets, self->original, self->cancellable,
                                        on_secret_cleared_cb, g_object_ref (self));
    }
  else if (username != NULL && username[0] != '\0' && password[0] != '\0' &&
           g_strcmp0 (password, self->loaded_password) != 0)
    {
      set_busy (self, TRUE);
      antenna_secret_store_store_async (self->secrets, self->original, password, self->cancellable,
                                        on_secret_stored_cb, g_object_ref (self));
    }
  else
    finish_save (self);
}

static void
on_password_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = antenna_secret_store_lookup_finish (ANTENNA_SECRET_STORE (object), result, &error);
  if (password == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, 10);
      return;
    }

  /* Only when nothing was typed meanwhile. */
  if (gtk_editable_get_text (GTK_EDITABLE (self->password_row))[0] == '\0')
    {
      self->loaded_password = g_strdup (password);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
    }

  memset (password, 0, strlen (password));
  g_free (password);
}

/* Bindings */

static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;

  g_value_set_enum (to, (int) selected);
  return TRUE;
}

static gboolean
version_to_selected (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  g_value_set_uint (to, g_value_get_enum (from) == ANTENNA_MQTT_VERSION_5 ? 0 : 1);
  return TRUE;
}

static gboolean
selected_to_version (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;

  g_value_set_enum (to, selected == 0 ? ANTENNA_MQTT_VERSION_5 : ANTENNA_MQTT_VERSION_3_1_1);
  return TRUE;
}

static gboolean
null_to_empty (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  const char *str = g_value_get_string (from);

  g_value_set_string (to, str != NULL ? str : "");
  return TRUE;
}

static void
bind_text (AntennaProfileEditor *self,
           const char           *property,
           AdwEntryRow          *row)
{
  g_object_bind_property_full (self->copy, property, row, "text",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               null_to_empty, NULL, NULL, NULL);
}

static void
bind_value (AntennaProfileEditor *self,
            const char           *property,
            gpointer              target,
            const char           *target_property)
{
  g_object_bind_property (self->copy, property, target, target_property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

static void
bind_profile (AntennaProfileEditor *self)
{
  GBytes *payload;

  bind_text (self, "name", self->name_row);
  bind_text (self, "host", self->host_row);
  bind_text (self, "ws-path", self->ws_path_row);
  bind_text (self, "client-id", self->client_id_row);
  bind_text (self, "username", self->username_row);
  bind_text (self, "tls-alpn", self->alpn_row);
  bind_text (self, "will-topic", self->will_topic_row);

  g_object_bind_property_full (self->copy, "transport", self->transport_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               enum_to_selected, selected_to_enum, NULL, NULL);
  g_object_bind_property_full (self->copy, "mqtt-version", self->version_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               version_to_selected, selected_to_version, NULL, NULL);
  g_object_bind_property_full (self->copy, "will-qos", self->will_qos_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               qos_to_selected, selected_to_qos, NULL, NULL);

  bind_value (self, "save-password", self->remember_switch, "active");
  bind_value (self, "clean-start", self->clean_start_switch, "active");
  bind_value (self, "auto-reconnect", self->auto_reconnect_switch, "active");
  bind_value (self, "tls-verify-hostname", self->verify_switch, "active");
  bind_value (self, "tls-allow-insecure", self->insecure_switch, "active");
  bind_value (self, "will-retain", self->will_retain_switch, "active");
  bind_value (self, "keepalive", self->keepalive_adjustment, "value");
  bind_value (self, "session-expiry", self->session_expiry_adjustment, "value");
  bind_value (self, "connect-timeout", self->connect_timeout_adjustment, "value");

  payload = antenna_profile_get_will_payload (self->copy);
  if (payload != NULL && g_bytes_get_size (payload) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (payload, &size);

      if (g_utf8_validate (data, size, NULL) && memchr (data, '\0', size) == NULL)
        {
          g_autofree char *text = g_strndup (data, size);
          gtk_editable_set_text (GTK_EDITABLE (self->will_payload_row), text);
        }
    }

  gtk_list_box_bind_model (self->subscriptions_list,
                           antenna_profile_get_subscriptions (self->copy),
                           create_subscription_row, self, NULL);
  g_signal_connect_object (antenna_profile_get_subscriptions (self->copy), "items-changed",
                           G_CALLBACK (on_subscriptions_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_subscriptions_changed_cb (self, 0, 0, 0, antenna_profile_get_subscriptions (self->copy));

  g_signal_connect_object (self->copy, "notify",
                           G_CALLBACK (on_copy_notify_cb), self,
                           G_CONNECT_SWAPPED);

  update_port_text (self);
  update_transport (self);
  update_files (self);
  update_insecure (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->session_expiry_row),
                            antenna_profile_get_mqtt_version (self->copy) == ANTENNA_MQTT_VERSION_5);
  validate (self);
}

static gboolean
antenna_profile_editor_close_request (GtkWindow *window)
{
  AntennaProfileEditor *self = ANTENNA_PROFILE_EDITOR (window);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (antenna_profile_editor_parent_class)->close_request (window);
}

static void
antenna_profile_editor_dispose (GObject *object)
{
  AntennaProfileEditor *self = (AntennaProfileEditor *)object;

  g_cancellable_cancel (self->cancellable);

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
      g_clear_object (&self->file_chooser);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_PROFILE_EDITOR);

  G_OBJECT_CLASS (antenna_profile_editor_parent_class)->dispose (object);
}

static void
antenna_profile_editor_finalize (GObject *object)
{
  AntennaProfileEditor *self = (AntennaProfileEditor *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->original);
  g_clear_object (&self->copy);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_client);
  if (self->loaded_password != NULL)
    memset (self->loaded_password, 0, strlen (self->loaded_password));
  g_clear_pointer (&self->loaded_password, g_free);

  G_OBJECT_CLASS (antenna_profile_editor_parent_class)->finalize (object);
}

static void
antenna_profile_editor_class_init (AntennaProfileEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = antenna_profile_editor_dispose;
  object_class->finalize = antenna_profile_editor_finalize;

  window_class->close_request = antenna_profile_editor_close_request;

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_PROFILE);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  /* The remove buttons of the subscription rows. */
  gtk_widget_class_install_action (widget_class, "subscriptions.unsubscribe", "s", unsubscribe_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/antennamqtt/Antenna/antenna-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, auth_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, tls_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, host_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, port_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, transport_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, ws_path_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, version_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, username_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, keepalive_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, clean_start_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, session_expiry_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, session_expiry_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, connect_timeout_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, auto_reconnect_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, ca_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, cert_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, cert_clear_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, key_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, key_clear_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, verify_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, insecure_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, alpn_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, tls_error);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, will_topic_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, will_payload_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, will_qos_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, will_retain_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, will_error);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, subscriptions_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, add_filter_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, add_qos_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, add_subscription_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, subscriptions_error);

  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_port_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_will_payload_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_generate_client_id_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cert_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cert_clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_subscription_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
}

static void
antenna_profile_editor_init (AntennaProfileEditor *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

AntennaProfileEditor *
antenna_profile_editor_new (GtkWindow           *parent,
                            AntennaProfileStore *store,
                            AntennaSecretStore  *secrets,
                            AntennaProfile      *profile)
{
  AntennaProfileEditor *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (ANTENNA_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (!profile || ANTENNA_IS_PROFILE (profile), NULL);

  self = g_object_new (ANTENNA_TYPE_PROFILE_EDITOR,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);

  if (profile != NULL &&
      antenna_profile_store_find (store, antenna_profile_get_id (profile)) == profile)
    {
      self->original = g_object_ref (profile);
      self->copy = antenna_profile_copy (profile);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Connection"));
    }
  else
    {
      self->copy = profile != NULL ? antenna_profile_copy (profile) : antenna_profile_new ();
      if (profile != NULL)
        antenna_profile_regenerate_id (self->copy);
      gtk_window_set_title (GTK_WINDOW (self), _("New Connection"));
    }

  bind_profile (self);

  if (self->original != NULL &&
      antenna_profile_get_save_password (self->original) &&
      antenna_profile_get_username (self->original) != NULL &&
      antenna_profile_get_username (self->original)[0] != '\0')
    antenna_secret_store_lookup_async (self->secrets, self->original, self->cancellable,
                                       on_password_loaded_cb, g_object_ref (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));

  return self;
}

AntennaProfile *
antenna_profile_editor_get_profile (AntennaProfileEditor *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_EDITOR (self), NULL);

  return self->copy;
}

gboolean
antenna_profile_editor_is_valid (AntennaProfileEditor *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_EDITOR (self), FALSE);

  validate (self);

  return gtk_widget_get_sensitive (GTK_WIDGET (self->save_button));
}
