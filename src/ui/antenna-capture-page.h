/* antenna-capture-window.h: a capture file, read-only, in its own window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CAPTURE_WINDOW (antenna_capture_window_get_type ())

G_DECLARE_FINAL_TYPE (AntennaCaptureWindow, antenna_capture_window, ANTENNA, CAPTURE_WINDOW, AdwApplicationWindow)

/* Opens @path (errors as antenna_capture_reader_open(): a file that is not a
 * capture is refused and left as it is). */
GtkWidget           *antenna_capture_window_new           (GtkApplication       *application,
                                                           const char           *path,
                                                           GError              **error);
const char          *antenna_capture_window_get_path      (AntennaCaptureWindow *self);
/* Restricts the tree and the log to the messages between the two times
 * (µs since the epoch), and loads them again. */
void                 antenna_capture_window_set_range     (AntennaCaptureWindow *self,
                                                           gint64                from,
                                                           gint64                to);
/* The messages of the capture, and those of the range loaded so far. */
gint64               antenna_capture_window_get_n_total   (AntennaCaptureWindow *self);
guint64              antenna_capture_window_get_n_loaded  (AntennaCaptureWindow *self);
gboolean             antenna_capture_window_get_loading   (AntennaCaptureWindow *self);
AntennaTopicTree    *antenna_capture_window_get_topic_tree (AntennaCaptureWindow *self);
AntennaMessageLog   *antenna_capture_window_get_message_log (AntennaCaptureWindow *self);

/* Replay… offers the connections of @window that are connected (or of
 * @clients, a GListModel of AntennaClient, when set). */
void                 antenna_capture_window_set_main_window (AntennaCaptureWindow *self,
                                                           gpointer              window);
void                 antenna_capture_window_set_clients   (AntennaCaptureWindow *self,
                                                           GListModel           *clients);
/* The confirmation on screen (Replay…), or NULL; the replay running, or NULL. */
AdwMessageDialog    *antenna_capture_window_get_dialog    (AntennaCaptureWindow *self);
gpointer             antenna_capture_window_get_replay    (AntennaCaptureWindow *self);

/* Writes the messages of the range to @file, off the main thread, with the
 * progress and Cancel in the window's bar (Export… does this). */
void                 antenna_capture_window_export        (AntennaCaptureWindow *self,
                                                           GFile                *file,
                                                           int                   format);
/* Whether an export is running. */
gboolean             antenna_capture_window_get_exporting (AntennaCaptureWindow *self);

/* Whether @file looks like a capture to open (its name or its type). */
gboolean             antenna_capture_window_can_open      (GFile                *file);

G_END_DECLS
