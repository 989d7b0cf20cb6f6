/* antenna-capture-page.h: a capture file, read-only, as a page of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-message-inspector.h"
#include "antenna-message-log-view.h"
#include "antenna-topic-tree-view.h"
#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CAPTURE_PAGE (antenna_capture_page_get_type ())

G_DECLARE_FINAL_TYPE (AntennaCapturePage, antenna_capture_page, ANTENNA, CAPTURE_PAGE, AdwBin)

/* Opens @path (errors as antenna_capture_reader_open(): a file that is not a
 * capture is refused and left as it is).
 * Actions: capture.export, capture.replay, page.search (Ctrl+F). */
GtkWidget               *antenna_capture_page_new             (const char          *path,
                                                               GError             **error);
const char              *antenna_capture_page_get_path        (AntennaCapturePage  *self);
/* What the main window's header says of the page: the file's name, and
 * "Capture, read-only: N messages". */
char                    *antenna_capture_page_dup_title       (AntennaCapturePage  *self);
char                    *antenna_capture_page_dup_subtitle    (AntennaCapturePage  *self);
/* Restricts the tree and the log to the messages between the two times
 * (µs since the epoch), and loads them again. */
void                     antenna_capture_page_set_range       (AntennaCapturePage  *self,
                                                               gint64               from,
                                                               gint64               to);
/* Restricts them to the messages whose topic or payload holds @text (NULL
 * or "": all), searched in the whole capture, and loads them again. */
void                     antenna_capture_page_set_search      (AntennaCapturePage  *self,
                                                               const char          *text);
const char              *antenna_capture_page_get_search      (AntennaCapturePage  *self);
/* The messages of the capture, and those of the range loaded so far. */
gint64                   antenna_capture_page_get_n_total     (AntennaCapturePage  *self);
guint64                  antenna_capture_page_get_n_loaded    (AntennaCapturePage  *self);
gboolean                 antenna_capture_page_get_loading     (AntennaCapturePage  *self);
AntennaTopicTree        *antenna_capture_page_get_topic_tree  (AntennaCapturePage  *self);
AntennaMessageLog       *antenna_capture_page_get_message_log (AntennaCapturePage  *self);
AntennaTopicTreeView    *antenna_capture_page_get_tree_view   (AntennaCapturePage  *self);
AntennaMessageLogView   *antenna_capture_page_get_log_view    (AntennaCapturePage  *self);
/* The inspector, made when first wanted. */
AntennaMessageInspector *antenna_capture_page_get_inspector   (AntennaCapturePage  *self);

/* Replay… offers the connections of the main window that are connected
 * (or of @clients, a GListModel of AntennaClient, when set). */
void                     antenna_capture_page_set_clients     (AntennaCapturePage  *self,
                                                               GListModel          *clients);
/* The confirmation on screen (Replay…), or NULL; the replay running, or NULL. */
AdwMessageDialog        *antenna_capture_page_get_dialog      (AntennaCapturePage  *self);
gpointer                 antenna_capture_page_get_replay      (AntennaCapturePage  *self);

/* Writes the messages shown (range and search) to @file, off the main
 * thread, with the progress and Cancel in the page's bar (Export… does this). */
void                     antenna_capture_page_export          (AntennaCapturePage  *self,
                                                               GFile               *file,
                                                               int                  format);
/* Whether an export is running. */
gboolean                 antenna_capture_page_get_exporting   (AntennaCapturePage  *self);

G_END_DECLS
