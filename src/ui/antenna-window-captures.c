/* antenna-window-captures.c: captures as pages of the main window
 *
 * File › Open Capture… (Ctrl+O), a file dropped on the window, and
 * antenna FILE (antenna-application.c) open a capture read-only as a page of
 * the window (antenna-capture-page.c), beside the connections: a row of its
 * own in the sidebar's Captures section, with a Close button. The same file
 * opened again selects its page. A file that is not a capture is refused
 * with a toast that says why, and left as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-capture.h"
#include "antenna-capture-page.h"
#include "antenna-capture-row.h"
#include "antenna-client.h"
#include "antenna-window-private.h"

static void
on_open_response_cb (AntennaWindow        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    antenna_window_open_capture (self, file);
}

static void
open_capture_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  AntennaWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) captures = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), APP_DIR_NAME, "captures", NULL);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);

  chooser = gtk_file_chooser_native_new (_("Open Capture"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (captures, _("Antenna Captures"));
  gtk_file_filter_add_mime_type (captures, "application/x-antenna-capture");
  gtk_file_filter_add_pattern (captures, "*" ANTENNA_CAPTURE_SUFFIX);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), captures);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  if (g_file_query_exists (folder_file, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder_file, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->file_chooser = chooser;

  g_signal_connect_object (chooser, "response", G_CALLBACK (on_open_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            AntennaWindow *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    antenna_window_open_capture (self, l->data);
  return files != NULL;
}

static AntennaCaptureRow *
find_capture_row (AntennaWindow *self,
                  GFile         *file)
{
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->capture_list, i);
      g_autoptr(GFile) row_file = NULL;

      if (row == NULL)
        return NULL;

      row_file = g_file_new_for_path (antenna_capture_page_get_path (antenna_capture_row_get_page (ANTENNA_CAPTURE_ROW (row))));
      if (g_file_equal (row_file, file))
        return ANTENNA_CAPTURE_ROW (row);
    }
}

static void
show_capture_row (AntennaWindow     *self,
                  AntennaCaptureRow *row)
{
  gtk_list_box_select_row (self->capture_list, GTK_LIST_BOX_ROW (row));
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
close_capture_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  AntennaWindow *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));
  AntennaCaptureRow *row = find_capture_row (self, file);

  if (row == NULL)
    return;

  /* The page stops loading, exporting and replaying as it goes. */
  gtk_stack_remove (self->content_stack, GTK_WIDGET (antenna_capture_row_get_page (row)));
  gtk_list_box_remove (self->capture_list, GTK_WIDGET (row));
  gtk_widget_set_visible (self->capture_label, gtk_list_box_get_row_at_index (self->capture_list, 0) != NULL);
  _antenna_window_update_visible_page (self);
}

static void
on_capture_selected_cb (AntennaWindow *self,
                        GtkListBoxRow *row)
{
  if (row != NULL)
    {
      gtk_list_box_unselect_all (self->profile_list);
      gtk_list_box_unselect_all (self->temporary_list);
    }
  _antenna_window_update_visible_page (self);
}

static void
on_capture_activated_cb (AntennaWindow *self,
                         GtkListBoxRow *row)
{
  show_capture_row (self, ANTENNA_CAPTURE_ROW (row));
}

static const GActionEntry capture_actions[] = {
  { "open-capture", open_capture_activated },
  { "close-capture", close_capture_activated, "s" },
};

void
_antenna_window_add_capture_actions (AntennaWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_action_map_add_action_entries (G_ACTION_MAP (self), capture_actions, G_N_ELEMENTS (capture_actions), self);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (self->capture_list, "row-selected", G_CALLBACK (on_capture_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->capture_list, "row-activated", G_CALLBACK (on_capture_activated_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
_antenna_window_get_selected_capture (AntennaWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->capture_list);

  return row != NULL ? GTK_WIDGET (antenna_capture_row_get_page (ANTENNA_CAPTURE_ROW (row))) : NULL;
}

GListModel *
antenna_window_dup_connected_clients (AntennaWindow *self)
{
  GListStore *clients = g_list_store_new (ANTENNA_TYPE_CLIENT);
  GHashTableIter iter;
  AntennaConnection *connection;

  g_return_val_if_fail (ANTENNA_IS_WINDOW (self), NULL);

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
    if (connection->client != NULL &&
        antenna_client_get_state (connection->client) == ANTENNA_CLIENT_STATE_CONNECTED)
      g_list_store_append (clients, connection->client);

  return G_LIST_MODEL (clients);
}

GtkWidget *
antenna_window_open_capture (AntennaWindow *self,
                             GFile         *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  AntennaCaptureRow *row;
  GtkWidget *page;

  g_return_val_if_fail (ANTENNA_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file"), uri);
      _antenna_window_add_toast (self, error->message, 0);
      return NULL;
    }

  /* Opened already: its page, as it was (range, search, selection). */
  row = find_capture_row (self, file);
  if (row != NULL)
    {
      show_capture_row (self, row);
      return GTK_WIDGET (antenna_capture_row_get_page (row));
    }

  page = antenna_capture_page_new (path, &error);
  if (page == NULL)
    {
      _antenna_window_add_toast (self, error->message, 0);
      return NULL;
    }

  gtk_stack_add_child (self->content_stack, page);
  row = ANTENNA_CAPTURE_ROW (antenna_capture_row_new (ANTENNA_CAPTURE_PAGE (page)));
  gtk_list_box_append (self->capture_list, GTK_WIDGET (row));
  gtk_widget_set_visible (self->capture_label, TRUE);
  show_capture_row (self, row);
  return page;
}
