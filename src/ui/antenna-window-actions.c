/* antenna-window-actions.c: the window's actions
 *
 * GActions of the window's action map (not widget-class actions), so that
 * menus, shortcuts, the row menus and D-Bus (org.gtk.Actions on
 * /io/github/antennamqtt/Antenna/window/N) all take the same path. The
 * actions about one profile take its id as parameter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-connection-page.h"
#include "antenna-preset-dialog.h"
#include "antenna-profile.h"
#include "antenna-profile-editor.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-window-private.h"

static AntennaProfile *
lookup_profile (AntennaWindow *self,
                GVariant      *parameter,
                gboolean      *temporary)
{
  const char *id = g_variant_get_string (parameter, NULL);
  AntennaProfile *profile = _antenna_window_find_profile (self, id, temporary);

  if (profile == NULL)
    g_debug ("No connection with the id %s", id);

  return profile;
}

/* New and edit */

static void
on_editor_saved_cb (AntennaWindow        *self,
                    AntennaProfile       *profile,
                    AntennaProfileEditor *editor)
{
  const char *publish_topic = g_object_get_data (G_OBJECT (editor), "antenna-publish-topic");
  AntennaConnection *connection;

  _antenna_window_select_profile (self, antenna_profile_get_id (profile), FALSE);

  /* Where the cloud wants the device's messages, for the composer. */
  connection = _antenna_window_get_connection (self, antenna_profile_get_id (profile));
  if (publish_topic != NULL && connection != NULL)
    antenna_connection_page_suggest_publish_topic (ANTENNA_CONNECTION_PAGE (connection->page), publish_topic);
}

static AntennaProfileEditor *
open_editor (AntennaWindow  *self,
             AntennaProfile *profile)
{
  AntennaProfileEditor *editor;

  editor = antenna_profile_editor_new (GTK_WINDOW (self), self->store, self->secrets, profile);
  g_signal_connect_object (editor, "saved",
                           G_CALLBACK (on_editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));

  return editor;
}

/* The chooser's profile, not in the store yet, in the editor with the
 * secrets typed in the chooser: Save stores them under the saved profile's id. */
static void
on_preset_chosen_cb (AntennaProfile *profile,
                     const char     *password,
                     const char     *key_passphrase,
                     const char     *publish_topic,
                     gpointer        user_data)
{
  AntennaWindow *self = user_data;
  AntennaProfileEditor *editor = open_editor (self, profile);

  if (password != NULL)
    antenna_profile_editor_set_secret (editor, ANTENNA_SECRET_PASSWORD, password);
  if (key_passphrase != NULL)
    antenna_profile_editor_set_secret (editor, ANTENNA_SECRET_KEY_PASSPHRASE, key_passphrase);
  g_object_set_data_full (G_OBJECT (editor), "antenna-publish-topic", g_strdup (publish_topic), g_free);
}

static void
new_profile_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  AntennaWindow *self = user_data;

  antenna_preset_dialog_choose (GTK_WINDOW (self), on_preset_chosen_cb,
                                g_object_ref (self), g_object_unref);
}

static void
new_preset_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  AntennaWindow *self = user_data;
  const char *preset = g_variant_get_string (parameter, NULL);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();

  if (g_str_equal (preset, "public"))
    {
      antenna_profile_set_name (profile, _("Eclipse Mosquitto Test Broker"));
      antenna_profile_set_host (profile, "test.mosquitto.org");
    }
  else
    {
      antenna_profile_set_name (profile, _("Local Broker"));
      antenna_profile_set_host (profile, "localhost");
    }
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TCP);
  antenna_profile_set_port (profile, 1883);

  /* Not in the store: the editor adds it only on Save. */
  open_editor (self, profile);
}

static void
edit_profile_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  AntennaWindow *self = user_data;
  gboolean temporary;
  AntennaProfile *profile = lookup_profile (self, parameter, &temporary);

  if (profile != NULL && !temporary)
    open_editor (self, profile);
}

static void
edit_selected_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  AntennaWindow *self = user_data;
  AntennaProfile *profile = _antenna_window_get_selected (self);

  if (profile != NULL && antenna_profile_store_find (self->store, antenna_profile_get_id (profile)) == profile)
    open_editor (self, profile);
}

/* Connect and disconnect */

static void
connect_profile (AntennaWindow  *self,
                 AntennaProfile *profile,
                 gboolean        temporary)
{
  AntennaConnection *connection = _antenna_window_ensure_connection (self, profile, temporary);

  _antenna_window_select_profile (self, antenna_profile_get_id (profile), TRUE);
  _antenna_window_connect (self, connection);
}

static void
connect_profile_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  AntennaWindow *self = user_data;
  gboolean temporary;
  AntennaProfile *profile = lookup_profile (self, parameter, &temporary);

  if (profile != NULL)
    connect_profile (self, profile, temporary);
}

/* The button of a connection that the broker closed for MQTT 5: a saved
 * profile keeps 3.1.1 (the store saves it), a temporary one for this
 * connection. */
static void
connect_mqtt_3_1_1_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  AntennaWindow *self = user_data;
  gboolean temporary;
  AntennaProfile *profile = lookup_profile (self, parameter, &temporary);

  if (profile == NULL)
    return;

  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_3_1_1);
  connect_profile (self, profile, temporary);
}

static void
disconnect_profile_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  AntennaWindow *self = user_data;
  AntennaConnection *connection;

  connection = _antenna_window_get_connection (self, g_variant_get_string (parameter, NULL));
  if (connection != NULL)
    _antenna_window_disconnect (self, connection);
}

static void
toggle_connection_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  AntennaWindow *self = user_data;
  AntennaProfile *profile = _antenna_window_get_selected (self);
  AntennaConnection *connection;

  if (profile == NULL)
    return;

  connection = _antenna_window_get_connection (self, antenna_profile_get_id (profile));
  if (connection == NULL)
    return;

  if (antenna_client_get_state (connection->client) == ANTENNA_CLIENT_STATE_DISCONNECTED)
    _antenna_window_connect (self, connection);
  else
    _antenna_window_disconnect (self, connection);
}

static void
show_sidebar_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  AntennaWindow *self = user_data;

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* Duplicate, delete, save and close */

static void
on_secret_copied_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AntennaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_secret_store_copy_finish (ANTENNA_SECRET_STORE (object), result, &error))
    _antenna_window_add_toast (self, error->message, 10);
}

static void
on_secret_cleared_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AntennaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_secret_store_clear_finish (ANTENNA_SECRET_STORE (object), result, &error))
    _antenna_window_add_toast (self, error->message, 10);
}

static void
duplicate_profile_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  AntennaWindow *self = user_data;
  gboolean temporary;
  AntennaProfile *profile = lookup_profile (self, parameter, &temporary);
  AntennaProfile *copy;

  if (profile == NULL || temporary)
    return;

  copy = antenna_profile_store_duplicate (self->store, profile);
  if (antenna_profile_get_save_password (profile))
    antenna_secret_store_copy_async (self->secrets, profile, copy, NULL,
                                     on_secret_copied_cb, g_object_ref (self));
  _antenna_window_select_profile (self, antenna_profile_get_id (copy), FALSE);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       AntennaWindow    *self)
{
  AntennaProfile *profile = g_object_get_data (G_OBJECT (dialog), "antenna-profile");
  g_autoptr(AntennaProfile) hold = NULL;

  if (!g_str_equal (response, "delete"))
    return;

  hold = g_object_ref (profile);
  _antenna_window_remove_connection (self, antenna_profile_get_id (profile));
  antenna_settings_forget_profile (self->settings, antenna_profile_get_id (profile));
  antenna_profile_store_remove (self->store, profile);
  /* The password, the key's passphrase and the proxy password. */
  antenna_secret_store_clear_all_async (self->secrets, profile, NULL,
                                        on_secret_cleared_cb, g_object_ref (self));
}

static void
delete_profile_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  AntennaWindow *self = user_data;
  gboolean temporary;
  AntennaProfile *profile = lookup_profile (self, parameter, &temporary);
  AdwMessageDialog *dialog;
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;

  if (profile == NULL || temporary)
    return;

  name = antenna_profile_dup_display_name (profile);
  /* Translators: %s is the name of a connection. */
  heading = g_strdup_printf (_("Delete “%s”?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("Its settings and its saved password will be removed. This cannot be undone.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "antenna-profile",
                          g_object_ref (profile), g_object_unref);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_profile_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  AntennaWindow *self = user_data;
  gboolean temporary;
  AntennaProfile *profile = lookup_profile (self, parameter, &temporary);
  g_autoptr(AntennaProfile) hold = NULL;
  AntennaConnection *connection;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  guint position;

  if (profile == NULL || !temporary)
    return;

  hold = g_object_ref (profile);
  connection = _antenna_window_get_connection (self, antenna_profile_get_id (profile));
  if (connection != NULL)
    connection->temporary = FALSE;

  g_object_set_data (G_OBJECT (profile), "antenna-temporary", NULL);
  antenna_profile_store_add (self->store, profile);
  if (g_list_store_find (self->temporary, profile, &position))
    g_list_store_remove (self->temporary, position);

  _antenna_window_select_profile (self, antenna_profile_get_id (profile), FALSE);

  name = antenna_profile_dup_display_name (profile);
  /* Translators: %s is the name of a connection. */
  message = g_strdup_printf (_("“%s” is now a saved connection"), name);
  _antenna_window_add_toast (self, message, 5);
}

static void
close_profile_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  AntennaWindow *self = user_data;
  gboolean temporary;
  AntennaProfile *profile = lookup_profile (self, parameter, &temporary);
  g_autoptr(AntennaProfile) hold = NULL;
  guint position;

  if (profile == NULL || !temporary)
    return;

  hold = g_object_ref (profile);
  _antenna_window_remove_connection (self, antenna_profile_get_id (profile));
  if (g_list_store_find (self->temporary, profile, &position))
    g_list_store_remove (self->temporary, position);
}

/* Import and export */

static void
replace_file_chooser (AntennaWindow        *self,
                      GtkFileChooserNative *chooser)
{
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);

  gtk_file_filter_set_name (json, _("Antenna Connections (JSON)"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_pattern (json, "*.json");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->file_chooser = chooser;
}

static void
on_import_response_cb (AntennaWindow        *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  imported = antenna_profile_store_import_full (self->store, file, antenna_template_store_get_default (), &error);
  if (imported == NULL)
    {
      _antenna_window_add_toast (self, error->message, 0);
      return;
    }

  if (imported->len == 0)
    message = g_strdup (_("The file has no connections to import"));
  else
    message = g_strdup_printf (ngettext ("Imported %u connection",
                                         "Imported %u connections",
                                         imported->len),
                               imported->len);
  _antenna_window_add_toast (self, message, 5);

  if (imported->len > 0)
    _antenna_window_select_profile (self,
                                    antenna_profile_get_id (g_ptr_array_index (imported, 0)),
                                    FALSE);
}

static void
import_profiles_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  AntennaWindow *self = user_data;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import Connections"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  replace_file_chooser (self, chooser);
  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (on_import_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_response_cb (AntennaWindow        *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  GPtrArray *profiles = g_object_get_data (G_OBJECT (chooser), "antenna-profiles");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  guint n;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (!antenna_profile_store_export_full (self->store, profiles, antenna_template_store_get_default (), file, &error))
    {
      _antenna_window_add_toast (self, error->message, 0);
      return;
    }

  n = profiles != NULL ? profiles->len : g_list_model_get_n_items (G_LIST_MODEL (self->store));
  name = g_file_get_basename (file);
  /* Translators: %u connections were exported to the file %s. Passwords are never exported. */
  message = g_strdup_printf (ngettext ("Exported %u connection to “%s”, without its password",
                                       "Exported %u connections to “%s”, without their passwords",
                                       n),
                             n, name);
  _antenna_window_add_toast (self, message, 5);
}

static void
export (AntennaWindow  *self,
        AntennaProfile *profile)
{
  GtkFileChooserNative *chooser;
  g_autofree char *file_name = NULL;

  chooser = gtk_file_chooser_native_new (profile != NULL ? _("Export Connection") : _("Export Connections"),
                                         GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  replace_file_chooser (self, chooser);

  if (profile != NULL)
    {
      GPtrArray *profiles = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *name = antenna_profile_dup_display_name (profile);

      g_ptr_array_add (profiles, g_object_ref (profile));
      g_object_set_data_full (G_OBJECT (chooser), "antenna-profiles",
                              profiles, (GDestroyNotify) g_ptr_array_unref);
      file_name = g_strdup_printf ("%s.json", name);
      g_strdelimit (file_name, "/\\", '-');
    }
  else
    file_name = g_strdup (_("antenna-connections.json"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  g_signal_connect_object (chooser, "response",
                           G_CALLBACK (on_export_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_profiles_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  AntennaWindow *self = user_data;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    {
      _antenna_window_add_toast (self, _("There are no saved connections to export"), 5);
      return;
    }

  export (self, NULL);
}

static void
export_profile_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  AntennaWindow *self = user_data;
  gboolean temporary;
  AntennaProfile *profile = lookup_profile (self, parameter, &temporary);

  if (profile != NULL && !temporary)
    export (self, profile);
}

static const GActionEntry window_actions[] = {
  { "new-profile", new_profile_activated },
  { "new-preset", new_preset_activated, "s" },
  { "edit-profile", edit_profile_activated, "s" },
  { "edit-selected", edit_selected_activated },
  { "connect-profile", connect_profile_activated, "s" },
  { "connect-mqtt-3-1-1", connect_mqtt_3_1_1_activated, "s" },
  { "disconnect-profile", disconnect_profile_activated, "s" },
  { "toggle-connection", toggle_connection_activated },
  { "duplicate-profile", duplicate_profile_activated, "s" },
  { "delete-profile", delete_profile_activated, "s" },
  { "save-profile", save_profile_activated, "s" },
  { "close-profile", close_profile_activated, "s" },
  { "export-profile", export_profile_activated, "s" },
  { "import-profiles", import_profiles_activated },
  { "export-profiles", export_profiles_activated },
  { "show-sidebar", show_sidebar_activated },
};

void
_antenna_window_add_actions (AntennaWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   window_actions, G_N_ELEMENTS (window_actions),
                                   self);
}

static void
set_enabled (AntennaWindow *self,
             const char    *name,
             gboolean       enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_antenna_window_update_actions (AntennaWindow *self)
{
  AntennaProfile *selected = _antenna_window_get_selected (self);
  gboolean saved = selected != NULL &&
                   antenna_profile_store_find (self->store, antenna_profile_get_id (selected)) == selected;

  set_enabled (self, "toggle-connection", selected != NULL);
  set_enabled (self, "edit-selected", saved);
  set_enabled (self, "export-profiles", g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0);
}
