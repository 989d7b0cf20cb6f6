/* antenna-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_WINDOW (antenna_window_get_type ())

G_DECLARE_FINAL_TYPE (AntennaWindow, antenna_window, ANTENNA, WINDOW, AdwApplicationWindow)

/* @application: an AntennaApplication (its profile store, keyring and settings). */
AntennaWindow *antenna_window_new                  (AdwApplication *application);
/* Opens a connection that is not saved (from a URL on the command line). */
void           antenna_window_open_temporary       (AntennaWindow  *self,
                                                    AntennaProfile *profile);
/* A new list of the clients of this window that are connected now. */
GListModel    *antenna_window_dup_connected_clients (AntennaWindow *self);
/* Opens the capture @file read-only as a page of the window (or selects its
 * page when it is open already); a toast says why when it cannot. Returns
 * that page (an AntennaCapturePage), or NULL. */
GtkWidget     *antenna_window_open_capture         (AntennaWindow  *self,
                                                    GFile          *file);
void           antenna_window_add_toast            (AntennaWindow  *self,
                                                    const char     *message);
/* Tells that profiles.json could not be read and was set aside to @moved_to. */
void           antenna_window_report_profiles_set_aside (AntennaWindow *self,
                                                    const char     *moved_to,
                                                    const GError   *error);
/* Disconnects every connection cleanly (DISCONNECT, so that no will is sent);
 * the application is held until they are done. */
void           antenna_window_disconnect_all       (AntennaWindow  *self);

G_END_DECLS
