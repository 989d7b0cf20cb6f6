/* antenna-window-private.h: what antenna-window.c and antenna-window-actions.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-settings.h"
#include "antenna-window.h"

G_BEGIN_DECLS

/* One profile with a connection object: its client and its page. Reference
 * counted, since callbacks of a connect in progress may outlive its removal. */
typedef struct
{
  AntennaWindow  *window;          /* unowned; NULL once removed */
  AntennaProfile *profile;
  AntennaClient  *client;
  GtkWidget      *page;
  GCancellable   *cancellable;     /* the connect in progress: keyring, dialogs, CONNECT */
  char           *remember;        /* a password to keep in the keyring once accepted */
  gboolean        temporary;
} AntennaConnection;

struct _AntennaWindow
{
  AdwApplicationWindow  parent_instance;

  AntennaProfileStore  *store;
  AntennaSecretStore   *secrets;
  AntennaSettings      *settings;
  GListStore           *temporary;     /* AntennaProfile opened from a URL */
  GHashTable           *connections;   /* profile id → AntennaConnection */
  GtkFileChooserNative *file_chooser;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  AdwWindowTitle       *content_title;
  GtkButton            *connect_button;
  GtkStack             *content_stack;
  GtkListBox           *profile_list;
  GtkListBox           *temporary_list;
  GtkWidget            *temporary_label;
  GtkListBox           *capture_list;
  GtkWidget            *capture_label;
};

AntennaConnection *_antenna_connection_ref            (AntennaConnection *connection);
void               _antenna_connection_unref          (AntennaConnection *connection);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaConnection, _antenna_connection_unref)

/* File › Open Capture…, captures dropped on the window, and their pages and
 * sidebar rows (antenna-window-captures.c). */
void               _antenna_window_add_capture_actions (AntennaWindow    *self);
/* The capture page of the selected sidebar row, or NULL. */
GtkWidget         *_antenna_window_get_selected_capture (AntennaWindow   *self);
void               _antenna_window_add_toast          (AntennaWindow     *self,
                                                       const char        *message,
                                                       guint              timeout);
/* A toast of @message (told in the debug log), to give a button before adding it. */
AdwToast          *_antenna_window_new_toast          (const char        *message,
                                                       guint              timeout);
/* The saved or temporary profile with this id, or NULL. */
AntennaProfile    *_antenna_window_find_profile       (AntennaWindow     *self,
                                                       const char        *id,
                                                       gboolean          *temporary);
/* The connection of @profile, created (disconnected) when it has none. */
AntennaConnection *_antenna_window_ensure_connection  (AntennaWindow     *self,
                                                       AntennaProfile    *profile,
                                                       gboolean           temporary);
AntennaConnection *_antenna_window_get_connection     (AntennaWindow     *self,
                                                       const char        *id);
/* Disconnects and forgets the connection of the profile @id, if any. */
void               _antenna_window_remove_connection  (AntennaWindow     *self,
                                                       const char        *id);
void               _antenna_window_select_profile     (AntennaWindow     *self,
                                                       const char        *id,
                                                       gboolean           show_content);
/* The profile of the selected row, or NULL. */
AntennaProfile    *_antenna_window_get_selected       (AntennaWindow     *self);
void               _antenna_window_connect            (AntennaWindow     *self,
                                                       AntennaConnection *connection);
void               _antenna_window_disconnect         (AntennaWindow     *self,
                                                       AntennaConnection *connection);
void               _antenna_window_update_visible_page (AntennaWindow    *self);

/* antenna-window-actions.c */
void               _antenna_window_add_actions        (AntennaWindow     *self);
void               _antenna_window_update_actions     (AntennaWindow     *self);

G_END_DECLS
