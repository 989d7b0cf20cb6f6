/* antenna-window.c
 *
 * The main window: the connections in a sidebar (saved profiles, then the
 * temporary ones opened from a URL), and the page of the selected one. Every
 * profile that was selected or connected has an AntennaConnection: its
 * client and its page, kept while other connections are shown, so that
 * they go on receiving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-accessible.h"
#include "antenna-application.h"
#include "antenna-capture-page.h"
#include "antenna-client.h"
#include "antenna-connection-page-private.h"
#include "antenna-error.h"
#include "antenna-password-dialog.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-profile-row.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-window-private.h"

G_DEFINE_FINAL_TYPE (AntennaWindow, antenna_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROFILE_STORE,
  PROP_SECRET_STORE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void on_connection_state_cb (AntennaConnection *connection,
                                    GParamSpec        *pspec,
                                    AntennaClient     *client);

/* AntennaConnection */

/* A password does not stay in memory longer than needed. */
static void
connection_forget_password (AntennaConnection *connection)
{
  if (connection->remember != NULL)
    memset (connection->remember, 0, strlen (connection->remember));
  g_clear_pointer (&connection->remember, g_free);
}

static void
connection_clear (AntennaConnection *connection)
{
  connection_forget_password (connection);
  g_clear_object (&connection->cancellable);
  g_clear_object (&connection->page);
  g_clear_object (&connection->client);
  g_clear_object (&connection->profile);
}

AntennaConnection *
_antenna_connection_ref (AntennaConnection *connection)
{
  return g_rc_box_acquire (connection);
}

void
_antenna_connection_unref (AntennaConnection *connection)
{
  g_rc_box_release_full (connection, (GDestroyNotify) connection_clear);
}

static const char *
state_to_string (AntennaClientState state)
{
  switch (state)
    {
    case ANTENNA_CLIENT_STATE_CONNECTING:
      return _("Connecting…");
    case ANTENNA_CLIENT_STATE_CONNECTED:
      return _("Connected");
    case ANTENNA_CLIENT_STATE_RECONNECTING:
      return _("Reconnecting…");
    case ANTENNA_CLIENT_STATE_DISCONNECTED:
    default:
      return _("Disconnected");
    }
}

/* Pages */

static GtkWidget *
create_connection_page (AntennaConnection *connection)
{
  AntennaSettings *settings = connection->window->settings;
  GtkWidget *page = antenna_connection_page_new (connection->client);

  g_object_bind_property (settings, "payload-preview-size", page, "preview-size", G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "message-log-limit", page, "message-log-limit", G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "topic-history-limit", page, "topic-history-limit", G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "topic-history-memory", page, "topic-history-memory", G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "record-all", _antenna_connection_page_get_record_bar (ANTENNA_CONNECTION_PAGE (page)),
                          "record-automatically", G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "capture-max-size", _antenna_connection_page_get_record_bar (ANTENNA_CONNECTION_PAGE (page)),
                          "max-size", G_BINDING_SYNC_CREATE);

  return page;
}

/* Header of the content */

static AntennaConnection *
get_selected_connection (AntennaWindow *self)
{
  AntennaProfile *profile = _antenna_window_get_selected (self);

  if (profile == NULL)
    return NULL;

  return _antenna_window_get_connection (self, antenna_profile_get_id (profile));
}

static void
update_content_header (AntennaWindow *self)
{
  AntennaConnection *connection = get_selected_connection (self);
  GtkWidget *button = GTK_WIDGET (self->connect_button);
  AntennaClientState state;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *subtitle = NULL;

  if (connection == NULL)
    {
      GtkWidget *capture = _antenna_window_get_selected_capture (self);
      g_autofree char *title = capture != NULL ? antenna_capture_page_dup_title (ANTENNA_CAPTURE_PAGE (capture)) : NULL;
      g_autofree char *about = capture != NULL ? antenna_capture_page_dup_subtitle (ANTENNA_CAPTURE_PAGE (capture)) : NULL;

      adw_window_title_set_title (self->content_title, title != NULL ? title : "");
      adw_window_title_set_subtitle (self->content_title, about != NULL ? about : "");
      gtk_widget_set_visible (button, FALSE);
      return;
    }

  state = antenna_client_get_state (connection->client);
  address = antenna_profile_dup_display_address (connection->profile);
  /* Translators: the subtitle of a connection: its address and its state. */
  subtitle = g_strdup_printf (_("%s · %s"), address, state_to_string (state));

  name = antenna_profile_dup_display_name (connection->profile);
  adw_window_title_set_title (self->content_title, name);
  adw_window_title_set_subtitle (self->content_title, subtitle);

  gtk_widget_set_visible (button, TRUE);
  gtk_widget_remove_css_class (button, "suggested-action");
  switch (state)
    {
    case ANTENNA_CLIENT_STATE_DISCONNECTED:
      gtk_button_set_label (self->connect_button, _("_Connect"));
      gtk_widget_add_css_class (button, "suggested-action");
      break;

    case ANTENNA_CLIENT_STATE_CONNECTING:
    case ANTENNA_CLIENT_STATE_RECONNECTING:
      gtk_button_set_label (self->connect_button, _("_Cancel"));
      break;

    case ANTENNA_CLIENT_STATE_CONNECTED:
    default:
      gtk_button_set_label (self->connect_button, _("_Disconnect"));
      break;
    }
  gtk_button_set_use_underline (self->connect_button, TRUE);
}

void
_antenna_window_update_visible_page (AntennaWindow *self)
{
  AntennaConnection *connection = get_selected_connection (self);
  GtkWidget *capture = _antenna_window_get_selected_capture (self);
  gboolean empty;

  empty = g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0 &&
          g_list_model_get_n_items (G_LIST_MODEL (self->temporary)) == 0 &&
          gtk_list_box_get_row_at_index (self->capture_list, 0) == NULL;
  gtk_stack_set_visible_child_name (self->main_stack, empty ? "empty" : "connections");
  gtk_widget_set_visible (self->temporary_label,
                          g_list_model_get_n_items (G_LIST_MODEL (self->temporary)) > 0);

  if (connection != NULL)
    gtk_stack_set_visible_child (self->content_stack, connection->page);
  else if (capture != NULL)
    gtk_stack_set_visible_child (self->content_stack, capture);
  else
    gtk_stack_set_visible_child_name (self->content_stack, "none");

  update_content_header (self);
  _antenna_window_update_actions (self);
}

/* Rows */

static AntennaProfileRow *
find_row (GtkListBox *list,
          const char *id)
{
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (row == NULL)
        return NULL;

      if (g_strcmp0 (antenna_profile_get_id (antenna_profile_row_get_profile (ANTENNA_PROFILE_ROW (row))), id) == 0)
        return ANTENNA_PROFILE_ROW (row);
    }
}

static AntennaProfileRow *
find_any_row (AntennaWindow *self,
              const char    *id)
{
  AntennaProfileRow *row = find_row (self->profile_list, id);

  if (row == NULL)
    row = find_row (self->temporary_list, id);

  return row;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  AntennaWindow *self = user_data;
  AntennaProfile *profile = item;
  gboolean temporary = g_object_get_data (G_OBJECT (profile), "antenna-temporary") != NULL;
  AntennaConnection *connection;
  GtkWidget *row;

  row = antenna_profile_row_new (profile, temporary);
  connection = _antenna_window_get_connection (self, antenna_profile_get_id (profile));
  if (connection != NULL)
    antenna_profile_row_set_client (ANTENNA_PROFILE_ROW (row), connection->client);

  return row;
}

/* Connections */

AntennaConnection *
_antenna_window_get_connection (AntennaWindow *self,
                                const char    *id)
{
  return g_hash_table_lookup (self->connections, id);
}

AntennaProfile *
_antenna_window_find_profile (AntennaWindow *self,
                              const char    *id,
                              gboolean      *temporary)
{
  AntennaProfile *profile;
  guint n;

  if (temporary != NULL)
    *temporary = FALSE;

  if (id == NULL)
    return NULL;

  profile = antenna_profile_store_find (self->store, id);
  if (profile != NULL)
    return profile;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->temporary));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaProfile) item = g_list_model_get_item (G_LIST_MODEL (self->temporary), i);

      if (g_strcmp0 (antenna_profile_get_id (item), id) == 0)
        {
          if (temporary != NULL)
            *temporary = TRUE;
          return item;
        }
    }

  return NULL;
}

/* A failed or lost connection keeps its reason on its page and its
 * sidebar row until the next attempt; a toast goes away. */
static void
show_failure (AntennaConnection *connection,
              const char        *message)
{
  AntennaProfileRow *row;

  if (connection->window == NULL)
    return;

  antenna_connection_page_show_failure (ANTENNA_CONNECTION_PAGE (connection->page), message);
  row = find_any_row (connection->window, antenna_profile_get_id (connection->profile));
  if (row != NULL)
    antenna_profile_row_set_failure (row, message);
}

static void
on_connection_lost_cb (AntennaConnection *connection,
                       const GError      *error,
                       AntennaClient     *client)
{
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;

  if (connection->window == NULL)
    return;

  name = antenna_profile_dup_display_name (connection->profile);
  if (antenna_profile_get_auto_reconnect (connection->profile))
    /* Translators: "“Connection name”: why it was lost". */
    message = g_strdup_printf (_("“%s” lost its connection, reconnecting: %s"),
                               name, error != NULL ? error->message : _("unknown reason"));
  else
    message = g_strdup_printf (_("“%s” lost its connection: %s"),
                               name, error != NULL ? error->message : _("unknown reason"));

  _antenna_window_add_toast (connection->window, message, 10);
  if (!antenna_profile_get_auto_reconnect (connection->profile))
    show_failure (connection, error != NULL ? error->message : _("unknown reason"));
}

static void
on_connection_state_cb (AntennaConnection *connection,
                        GParamSpec        *pspec,
                        AntennaClient     *client)
{
  AntennaClientState state = antenna_client_get_state (client);
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (ANTENNA_TYPE_CLIENT_STATE);
  GEnumValue *value = g_enum_get_value (enum_class, state);

  /* The state changes, for whoever watches with G_MESSAGES_DEBUG (the UI tests do). */
  g_debug ("Connection %s is %s",
           antenna_profile_get_id (connection->profile),
           value != NULL ? value->value_nick : "unknown");

  if (connection->window == NULL)
    return;

  update_content_header (connection->window);
  _antenna_window_update_actions (connection->window);
}

static void
on_connection_profile_notify_cb (AntennaConnection *connection,
                                 GParamSpec        *pspec,
                                 AntennaProfile    *profile)
{
  if (connection->window != NULL && get_selected_connection (connection->window) == connection)
    update_content_header (connection->window);
}

AntennaConnection *
_antenna_window_ensure_connection (AntennaWindow  *self,
                                   AntennaProfile *profile,
                                   gboolean        temporary)
{
  AntennaConnection *connection;
  AntennaProfileRow *row;
  const char *id = antenna_profile_get_id (profile);

  connection = _antenna_window_get_connection (self, id);
  if (connection != NULL)
    return connection;

  connection = g_rc_box_new0 (AntennaConnection);
  connection->window = self;
  connection->profile = g_object_ref (profile);
  connection->client = antenna_client_new (profile);
  /* The TLS key's passphrase and the proxy password come from the keyring. */
  antenna_client_set_secret_store (connection->client, self->secrets);
  connection->temporary = temporary;
  connection->page = g_object_ref_sink (create_connection_page (connection));

  g_signal_connect_swapped (connection->client, "notify::state",
                            G_CALLBACK (on_connection_state_cb), connection);
  g_signal_connect_swapped (connection->client, "connection-lost",
                            G_CALLBACK (on_connection_lost_cb), connection);
  g_signal_connect_swapped (connection->profile, "notify",
                            G_CALLBACK (on_connection_profile_notify_cb), connection);

  gtk_stack_add_named (self->content_stack, connection->page, id);
  g_hash_table_insert (self->connections, g_strdup (id), connection);

  row = find_any_row (self, id);
  if (row != NULL)
    antenna_profile_row_set_client (row, connection->client);

  return connection;
}

static void
on_disconnected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AntennaConnection) connection = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_client_disconnect_finish (ANTENNA_CLIENT (object), result, &error) &&
      connection->window != NULL &&
      !g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED))
    _antenna_window_add_toast (connection->window, error->message, 5);
}

void
_antenna_window_disconnect (AntennaWindow     *self,
                            AntennaConnection *connection)
{
  g_cancellable_cancel (connection->cancellable);
  g_clear_object (&connection->cancellable);

  if (antenna_client_get_state (connection->client) == ANTENNA_CLIENT_STATE_DISCONNECTED)
    return;

  antenna_client_disconnect_async (connection->client, NULL,
                                   on_disconnected_cb, _antenna_connection_ref (connection));
}

void
_antenna_window_remove_connection (AntennaWindow *self,
                                   const char    *id)
{
  AntennaConnection *connection = _antenna_window_get_connection (self, id);
  AntennaProfileRow *row;

  if (connection == NULL)
    return;

  _antenna_window_disconnect (self, connection);
  g_signal_handlers_disconnect_by_data (connection->client, connection);
  g_signal_handlers_disconnect_by_data (connection->profile, connection);

  row = find_any_row (self, id);
  if (row != NULL)
    antenna_profile_row_set_client (row, NULL);

  gtk_stack_remove (self->content_stack, connection->page);
  connection->window = NULL;
  g_hash_table_remove (self->connections, id);

  _antenna_window_update_visible_page (self);
}

/* The connect flow: password from the keyring or asked, the warning about
 * unencrypted transports, then CONNECT. */

static void ask_password (AntennaConnection *connection,
                          const char        *reason);

static void
on_password_stored_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(AntennaConnection) connection = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_secret_store_store_finish (ANTENNA_SECRET_STORE (object), result, &error) &&
      connection->window != NULL)
    {
      /* Translators: %s is the keyring's error. */
      g_autofree char *message = g_strdup_printf (_("The password could not be saved in the keyring: %s"),
                                                  error->message);
      _antenna_window_add_toast (connection->window, message, 10);
    }
}

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AntennaConnection) connection = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *remember = g_steal_pointer (&connection->remember);

  if (!antenna_client_connect_finish (ANTENNA_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || connection->window == NULL)
        goto out;

      show_failure (connection, error->message);

      if (g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS) &&
          antenna_profile_get_username (connection->profile) != NULL &&
          antenna_profile_get_username (connection->profile)[0] != '\0')
        ask_password (connection, error->message);
      else if (g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_PROTOCOL_VERSION))
        {
          /* The broker may speak 3.1.1: one click to try, until dismissed.
           * A short title: a toast has one line, and its button says the rest. */
          g_autofree char *name = antenna_profile_dup_display_name (connection->profile);
          /* Translators: %s is the name of a connection. */
          g_autofree char *title = g_strdup_printf (_("“%s” may not support MQTT 5"), name);
          AdwToast *toast = _antenna_window_new_toast (title, 0);

          g_debug ("%s", error->message);

          adw_toast_set_button_label (toast, _("Connect with MQTT 3.1.1"));
          adw_toast_set_action_name (toast, "win.connect-mqtt-3-1-1");
          adw_toast_set_action_target_value (toast, g_variant_new_string (antenna_profile_get_id (connection->profile)));
          adw_toast_overlay_add_toast (connection->window->toast_overlay, toast);
        }
      else
        _antenna_window_add_toast (connection->window, error->message, 10);

      goto out;
    }

  if (remember != NULL && connection->window != NULL && !connection->temporary)
    {
      AntennaWindow *self = connection->window;

      antenna_profile_set_save_password (connection->profile, TRUE);
      antenna_secret_store_store_async (self->secrets, connection->profile, remember, NULL,
                                        on_password_stored_cb, _antenna_connection_ref (connection));
    }

out:
  if (remember != NULL)
    memset (remember, 0, strlen (remember));
}

static void
do_connect (AntennaConnection *connection,
            const char        *password)
{
  if (connection->window == NULL ||
      antenna_client_get_state (connection->client) != ANTENNA_CLIENT_STATE_DISCONNECTED)
    return;

  antenna_client_connect_async (connection->client, password, connection->cancellable,
                                on_connected_cb, _antenna_connection_ref (connection));
}

typedef struct
{
  AntennaConnection *connection;
  char              *password;
} PendingPassword;

static void
pending_password_free (PendingPassword *pending)
{
  if (pending->password != NULL)
    memset (pending->password, 0, strlen (pending->password));
  g_free (pending->password);
  _antenna_connection_unref (pending->connection);
  g_free (pending);
}

static void
on_insecure_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         PendingPassword  *pending)
{
  AntennaConnection *connection = pending->connection;

  if (g_str_equal (response, "send") && connection->window != NULL &&
      !g_cancellable_is_cancelled (connection->cancellable))
    {
      antenna_settings_set_insecure_password_accepted (connection->window->settings,
                                                       connection->profile, TRUE);
      do_connect (connection, pending->password);
    }
  else
    connection_forget_password (connection);
}

/* Warns once per profile and host before a password goes out in clear text. */
static void
connect_with_password (AntennaConnection *connection,
                       const char        *password)
{
  AntennaWindow *self = connection->window;
  const char *host = antenna_profile_get_host (connection->profile);
  PendingPassword *pending;
  AdwMessageDialog *dialog;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  if (self == NULL)
    return;

  if (password == NULL || password[0] == '\0' ||
      !antenna_profile_sends_password_in_clear (connection->profile) ||
      antenna_settings_get_insecure_password_accepted (self->settings, connection->profile))
    {
      do_connect (connection, password);
      return;
    }

  name = antenna_profile_dup_display_name (connection->profile);
  /* Translators: %s is a connection's name, %s a host. */
  body = g_strdup_printf (_("“%s” does not use TLS: anyone on the network between this computer and %s can read the password. Use the TLS transport to protect it."),
                          name, host);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Send the Password Unencrypted?"),
                                                       body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  pending = g_new0 (PendingPassword, 1);
  pending->connection = _antenna_connection_ref (connection);
  pending->password = g_strdup (password);
  g_signal_connect_data (dialog, "response",
                         G_CALLBACK (on_insecure_response_cb), pending,
                         (GClosureNotify) pending_password_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_password_response_cb (AntennaPasswordDialog *dialog,
                         const char            *response,
                         AntennaConnection     *connection)
{
  const char *password;

  if (!g_str_equal (response, "connect") || connection->window == NULL ||
      g_cancellable_is_cancelled (connection->cancellable))
    return;

  password = antenna_password_dialog_get_password (dialog);

  connection_forget_password (connection);
  if (antenna_password_dialog_get_remember (dialog) && password[0] != '\0')
    connection->remember = g_strdup (password);

  connect_with_password (connection, password);
}

static void
ask_password (AntennaConnection *connection,
              const char        *reason)
{
  GtkWidget *dialog;

  if (connection->window == NULL)
    return;

  g_debug ("Asking for the password of %s", antenna_profile_get_id (connection->profile));
  dialog = antenna_password_dialog_new (GTK_WINDOW (connection->window),
                                        connection->profile,
                                        !connection->temporary,
                                        reason);
  g_signal_connect_data (dialog, "response",
                         G_CALLBACK (on_password_response_cb),
                         _antenna_connection_ref (connection),
                         (GClosureNotify) _antenna_connection_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_password_looked_up_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(AntennaConnection) connection = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = antenna_secret_store_lookup_finish (ANTENNA_SECRET_STORE (object), result, &error);
  g_debug ("Keyring answered for %s: %s", antenna_profile_get_id (connection->profile),
           error != NULL ? "an error" : password != NULL ? "a password" : "no password");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || connection->window == NULL)
    {
      g_free (password);
      return;
    }

  if (error != NULL)
    {
      /* The keyring's own sentence: absent, locked or refusing. */
      _antenna_window_add_toast (connection->window, error->message, 10);
      ask_password (connection, error->message);
    }
  else if (password == NULL)
    ask_password (connection, NULL);
  else
    connect_with_password (connection, password);

  if (password != NULL)
    memset (password, 0, strlen (password));
  g_free (password);
}

void
_antenna_window_connect (AntennaWindow     *self,
                         AntennaConnection *connection)
{
  const char *username;

  if (antenna_client_get_state (connection->client) != ANTENNA_CLIENT_STATE_DISCONNECTED)
    return;

  g_cancellable_cancel (connection->cancellable);
  g_clear_object (&connection->cancellable);
  connection->cancellable = g_cancellable_new ();

  g_debug ("Connecting %s", antenna_profile_get_id (connection->profile));

  username = antenna_profile_get_username (connection->profile);
  if (username == NULL || username[0] == '\0')
    do_connect (connection, NULL);
  else if (antenna_profile_get_save_password (connection->profile) && !connection->temporary)
    antenna_secret_store_lookup_async (self->secrets, connection->profile, connection->cancellable,
                                       on_password_looked_up_cb, _antenna_connection_ref (connection));
  else
    ask_password (connection, NULL);
}

/* Selection */

AntennaProfile *
_antenna_window_get_selected (AntennaWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->profile_list);

  if (row == NULL)
    row = gtk_list_box_get_selected_row (self->temporary_list);

  if (row == NULL)
    return NULL;

  return antenna_profile_row_get_profile (ANTENNA_PROFILE_ROW (row));
}

void
_antenna_window_select_profile (AntennaWindow *self,
                                const char    *id,
                                gboolean       show_content)
{
  AntennaProfileRow *row = find_any_row (self, id);

  if (row == NULL)
    return;

  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (GTK_WIDGET (row))),
                           GTK_LIST_BOX_ROW (row));
  if (show_content)
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
on_row_selected_cb (AntennaWindow *self,
                    GtkListBoxRow *row,
                    GtkListBox    *list)
{
  if (row != NULL)
    {
      AntennaProfileRow *profile_row = ANTENNA_PROFILE_ROW (row);
      GtkListBox *other = list == self->profile_list ? self->temporary_list : self->profile_list;

      gtk_list_box_unselect_all (other);
      gtk_list_box_unselect_all (self->capture_list);
      _antenna_window_ensure_connection (self,
                                         antenna_profile_row_get_profile (profile_row),
                                         antenna_profile_row_get_temporary (profile_row));
    }

  _antenna_window_update_visible_page (self);
}

static void
on_row_activated_cb (AntennaWindow *self,
                     GtkListBoxRow *row,
                     GtkListBox    *list)
{
  AntennaProfileRow *profile_row = ANTENNA_PROFILE_ROW (row);
  AntennaConnection *connection;

  connection = _antenna_window_ensure_connection (self,
                                                  antenna_profile_row_get_profile (profile_row),
                                                  antenna_profile_row_get_temporary (profile_row));
  if (gtk_list_box_get_selected_row (list) != row)
    gtk_list_box_select_row (list, row);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
  _antenna_window_connect (self, connection);
}

/* The store */

static void
on_store_items_changed_cb (AntennaWindow *self,
                           guint          position,
                           guint          removed,
                           guint          added,
                           GListModel    *model)
{
  if (removed > 0)
    {
      g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
      GHashTableIter iter;
      AntennaConnection *connection;
      const char *id;

      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &connection))
        if (_antenna_window_find_profile (self, id, NULL) == NULL)
          g_ptr_array_add (gone, g_strdup (id));

      for (guint i = 0; i < gone->len; i++)
        _antenna_window_remove_connection (self, g_ptr_array_index (gone, i));
    }

  _antenna_window_update_visible_page (self);
}

static void
on_store_save_failed_cb (AntennaWindow *self,
                         const GError  *error,
                         AntennaProfileStore *store)
{
  /* Translators: %s says why. */
  g_autofree char *message = g_strdup_printf (_("The connections could not be saved: %s"),
                                              error->message);

  _antenna_window_add_toast (self, message, 0);
}

/* Window */

static gboolean
antenna_window_close_request (GtkWindow *window)
{
  AntennaWindow *self = ANTENNA_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  antenna_settings_set_window_state (self->settings, width, height,
                                     gtk_window_is_maximized (window));

  antenna_window_disconnect_all (self);

  return GTK_WINDOW_CLASS (antenna_window_parent_class)->close_request (window);
}

static void
antenna_window_constructed (GObject *object)
{
  AntennaWindow *self = (AntennaWindow *)object;
  int width, height;
  gboolean maximized;

  G_OBJECT_CLASS (antenna_window_parent_class)->constructed (object);

  g_assert (ANTENNA_IS_PROFILE_STORE (self->store));
  g_assert (ANTENNA_IS_SECRET_STORE (self->secrets));
  g_assert (ANTENNA_IS_SETTINGS (self->settings));

  antenna_settings_get_window_state (self->settings, &width, &height, &maximized);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (maximized)
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_list_box_bind_model (self->profile_list, G_LIST_MODEL (self->store),
                           create_row, self, NULL);
  gtk_list_box_bind_model (self->temporary_list, G_LIST_MODEL (self->temporary),
                           create_row, self, NULL);

  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (on_store_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->temporary, "items-changed",
                           G_CALLBACK (on_store_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "save-failed",
                           G_CALLBACK (on_store_save_failed_cb), self,
                           G_CONNECT_SWAPPED);

  _antenna_window_add_actions (self);
  _antenna_window_add_capture_actions (self);
  _antenna_window_update_visible_page (self);
}

static void
antenna_window_dispose (GObject *object)
{
  AntennaWindow *self = (AntennaWindow *)object;

  /* Rows go away with the lists: no more selection changes to show. */
  if (self->profile_list != NULL)
    g_signal_handlers_disconnect_by_data (self->profile_list, self);
  if (self->temporary_list != NULL)
    g_signal_handlers_disconnect_by_data (self->temporary_list, self);
  if (self->capture_list != NULL)
    g_signal_handlers_disconnect_by_data (self->capture_list, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->temporary != NULL)
    g_signal_handlers_disconnect_by_data (self->temporary, self);

  if (self->connections != NULL)
    {
      GHashTableIter iter;
      AntennaConnection *connection;

      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
        {
          g_cancellable_cancel (connection->cancellable);
          g_signal_handlers_disconnect_by_data (connection->client, connection);
          g_signal_handlers_disconnect_by_data (connection->profile, connection);
          connection->window = NULL;
        }
      g_clear_pointer (&self->connections, g_hash_table_unref);
    }

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
      g_clear_object (&self->file_chooser);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_WINDOW);

  G_OBJECT_CLASS (antenna_window_parent_class)->dispose (object);
}

static void
antenna_window_finalize (GObject *object)
{
  AntennaWindow *self = (AntennaWindow *)object;

  g_clear_object (&self->temporary);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (antenna_window_parent_class)->finalize (object);
}

static void
antenna_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AntennaWindow *self = ANTENNA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROFILE_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SECRET_STORE:
      self->secrets = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_window_class_init (AntennaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  antenna_accessible_install_workarounds ();

  object_class->constructed = antenna_window_constructed;
  object_class->dispose = antenna_window_dispose;
  object_class->finalize = antenna_window_finalize;
  object_class->set_property = antenna_window_set_property;

  properties[PROP_PROFILE_STORE] =
    g_param_spec_object ("profile-store", NULL, NULL,
                         ANTENNA_TYPE_PROFILE_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL,
                         ANTENNA_TYPE_SECRET_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         ANTENNA_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  window_class->close_request = antenna_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, content);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, profile_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, temporary_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, temporary_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, capture_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, capture_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

/* Keyboard */

/* The page's shortcuts (Ctrl+P, Ctrl+F, Ctrl+L, Alt+1, Alt+2) are the page's key
 * bindings, which only see keys while the focus is inside the page: the
 * window forwards them from anywhere else (the sidebar, the header bar). */
static gboolean
forward_to_page (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  AntennaWindow *self = ANTENNA_WINDOW (widget);
  GtkWidget *page = gtk_stack_get_visible_child (self->content_stack);

  if (page == NULL || (!ANTENNA_IS_CONNECTION_PAGE (page) && !ANTENNA_IS_CAPTURE_PAGE (page)))
    return FALSE;

  return gtk_widget_activate_action (page, g_variant_get_string (args, NULL), NULL);
}

static void
add_page_shortcuts (AntennaWindow *self)
{
  static const struct {
    guint           key;
    GdkModifierType modifiers;
    const char     *action;
  } shortcuts[] = {
    { GDK_KEY_p, GDK_CONTROL_MASK, "page.toggle-publish" },
    { GDK_KEY_f, GDK_CONTROL_MASK, "page.search" },
    { GDK_KEY_l, GDK_CONTROL_MASK, "page.show-connection-log" },
    { GDK_KEY_1, GDK_ALT_MASK, "page.show-messages" },
    { GDK_KEY_2, GDK_ALT_MASK, "page.show-subscriptions" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* Bubbling: a page with the focus answers first, with its own bindings. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (shortcuts[i].key, shortcuts[i].modifiers),
                                                gtk_callback_action_new (forward_to_page, NULL, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_string (shortcuts[i].action));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* The arrows move the focus through the sidebar without selecting: a
 * connection is chosen by activating its row (Enter, Space, a click), not
 * by passing over it. GtkListBox selects on every cursor move unless told
 * the move only modifies (as with Ctrl held). */
static gboolean
on_sidebar_key_pressed_cb (GtkEventControllerKey *controller,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           gpointer               user_data)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkMovementStep step;
  int count;

  if ((state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Up: case GDK_KEY_KP_Up:
      step = GTK_MOVEMENT_DISPLAY_LINES; count = -1; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down:
      step = GTK_MOVEMENT_DISPLAY_LINES; count = 1; break;
    case GDK_KEY_Home: case GDK_KEY_KP_Home:
      step = GTK_MOVEMENT_BUFFER_ENDS; count = -1; break;
    case GDK_KEY_End: case GDK_KEY_KP_End:
      step = GTK_MOVEMENT_BUFFER_ENDS; count = 1; break;
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up:
      step = GTK_MOVEMENT_PAGES; count = -1; break;
    case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
      step = GTK_MOVEMENT_PAGES; count = 1; break;
    default:
      return FALSE;
    }

  g_signal_emit_by_name (list, "move-cursor", step, count, FALSE, TRUE);
  return TRUE;
}

static void
move_without_selecting (GtkListBox *list)
{
  GtkEventController *controller = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_sidebar_key_pressed_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (list), controller);
}

static void
antenna_window_init (AntennaWindow *self)
{
  self->temporary = g_list_store_new (ANTENNA_TYPE_PROFILE);
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) _antenna_connection_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  add_page_shortcuts (self);
  move_without_selecting (self->profile_list);
  move_without_selecting (self->temporary_list);
  move_without_selecting (self->capture_list);
}

AntennaWindow *
antenna_window_new (AdwApplication *application)
{
  AntennaApplication *app = ANTENNA_APPLICATION (application);

  g_return_val_if_fail (ANTENNA_IS_APPLICATION (application), NULL);

  return g_object_new (ANTENNA_TYPE_WINDOW,
                       "application", application,
                       "profile-store", antenna_application_get_profile_store (app),
                       "secret-store", antenna_application_get_secret_store (app),
                       "settings", antenna_application_get_settings (app),
                       NULL);
}

AdwToast *
_antenna_window_new_toast (const char *message,
                           guint       timeout)
{
  /* libadwaita 1.2 reads a toast's title as markup: a topic or a path may
   * hold '&' or '<'. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_debug ("Told: %s", message);
  adw_toast_set_timeout (toast, timeout);
  return toast;
}

void
_antenna_window_add_toast (AntennaWindow *self,
                           const char    *message,
                           guint          timeout)
{
  adw_toast_overlay_add_toast (self->toast_overlay, _antenna_window_new_toast (message, timeout));
}

void
antenna_window_add_toast (AntennaWindow *self,
                          const char    *message)
{
  g_return_if_fail (ANTENNA_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  _antenna_window_add_toast (self, message, 10);
}

void
antenna_window_open_temporary (AntennaWindow  *self,
                               AntennaProfile *profile)
{
  AntennaConnection *connection;

  g_return_if_fail (ANTENNA_IS_WINDOW (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));

  g_object_set_data (G_OBJECT (profile), "antenna-temporary", GINT_TO_POINTER (TRUE));

  /* A URL names no topics: like the other MQTT explorers, show everything
   * the broker has to offer until the user narrows it down. */
  if (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)) == 0)
    {
      /* ANTENNA_URL_SUBSCRIPTION_QOS (0–2) is for the GUI benchmark, which
       * counts every message at QoS 1. */
      const char *qos_env = g_getenv ("ANTENNA_URL_SUBSCRIPTION_QOS");
      int qos = qos_env != NULL ? (int) CLAMP (g_ascii_strtoll (qos_env, NULL, 10), 0, 2) : 0;
      g_autoptr(AntennaSubscription) everything = antenna_subscription_new ("#", qos);
      antenna_profile_add_subscription (profile, everything);
    }

  g_list_store_append (self->temporary, profile);

  connection = _antenna_window_ensure_connection (self, profile, TRUE);
  _antenna_window_select_profile (self, antenna_profile_get_id (profile), TRUE);
  _antenna_window_connect (self, connection);
}

void
antenna_window_report_profiles_set_aside (AntennaWindow *self,
                                          const char    *moved_to,
                                          const GError  *error)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  g_return_if_fail (ANTENNA_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* The store's sentence says why, and where the file went. */
  if (moved_to != NULL && strstr (error->message, moved_to) == NULL)
    /* Translators: the first %s says why the file could not be read, the second where it went. */
    body = g_strdup_printf (_("%s\n\nIt was kept as “%s”. Antenna started with the connections it could read, and will not overwrite that file."),
                            error->message, moved_to);
  else
    body = g_strdup_printf (_("%s\n\nAntenna started with the connections it could read, and will not overwrite that file."),
                            error->message);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Saved Connections Could Not Be Read"),
                                                       body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GApplication *app;
  guint         pending;
  guint         timeout_id;
} DisconnectAll;

static void
disconnect_all_release (DisconnectAll *data)
{
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_clear_pointer (&data->app, g_application_release);
}

static gboolean
on_disconnect_all_timeout_cb (gpointer user_data)
{
  DisconnectAll *data = user_data;

  /* The data stays for the callbacks still to come. */
  data->timeout_id = 0;
  disconnect_all_release (data);

  return G_SOURCE_REMOVE;
}

static void
on_disconnect_all_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  DisconnectAll *data = user_data;

  antenna_client_disconnect_finish (ANTENNA_CLIENT (object), result, NULL);

  if (--data->pending == 0)
    {
      disconnect_all_release (data);
      g_free (data);
    }
}

void
antenna_window_disconnect_all (AntennaWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  DisconnectAll *data;
  GHashTableIter iter;
  AntennaConnection *connection;

  g_return_if_fail (ANTENNA_IS_WINDOW (self));

  data = g_new0 (DisconnectAll, 1);

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
    {
      g_cancellable_cancel (connection->cancellable);
      if (antenna_client_get_state (connection->client) == ANTENNA_CLIENT_STATE_DISCONNECTED)
        continue;

      data->pending++;
      antenna_client_disconnect_async (connection->client, NULL, on_disconnect_all_cb, data);
    }

  if (data->pending == 0)
    {
      g_free (data);
      return;
    }

  /* A window of no application (a test's): the callbacks free it. */
  if (app == NULL)
    return;

  /* Keep the application alive until the brokers heard DISCONNECT, or 3 s. */
  data->app = app;
  g_application_hold (app);
  data->timeout_id = g_timeout_add_seconds (3, on_disconnect_all_timeout_cb, data);
}
