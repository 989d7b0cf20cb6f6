/* antenna-capture.h: recording the messages of a connection to a capture file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CAPTURE (antenna_capture_get_type ())

G_DECLARE_FINAL_TYPE (AntennaCapture, antenna_capture, ANTENNA, CAPTURE, GObject)

/* The file name suffix of a capture. */
#define ANTENNA_CAPTURE_SUFFIX ".antenna-capture"

/* Creates (or replaces) @path, a SQLite file of our schema, and starts its
 * writer thread. @max_size: bytes of messages kept, the oldest dropped past
 * it; 0 for no limit. Errors: G_IO_ERROR (the folder is read-only, the disk
 * full, …), with a message that names the file. */
AntennaCapture *antenna_capture_new              (const char      *path,
                                                  guint64          max_size,
                                                  GError         **error);
const char     *antenna_capture_get_path         (AntennaCapture  *self);
/* TRUE until stopped or failed: appending is then a no-op. */
gboolean        antenna_capture_get_recording    (AntennaCapture  *self);
/* The error that stopped the recording, or NULL. */
const GError   *antenna_capture_get_error        (AntennaCapture  *self);
/* The messages handed over, and those written and committed so far. */
guint64         antenna_capture_get_n_queued     (AntennaCapture  *self);
guint64         antenna_capture_get_n_written    (AntennaCapture  *self);

/* The topic filters a received message is matched against, to record the
 * subscription that brought it (the first that matches). */
void            antenna_capture_set_filters      (AntennaCapture  *self,
                                                  const char * const *filters);

/* Queue a message (a reference: its payload is never copied here); the
 * writer thread writes it. Main thread. */
void            antenna_capture_append           (AntennaCapture  *self,
                                                  AntennaMessage  *message);
/* @messages: a GPtrArray of AntennaMessage, as ::messages-received gives. */
void            antenna_capture_append_batch     (AntennaCapture  *self,
                                                  GPtrArray       *messages);

/* Records what @client receives (::messages-received) and sends
 * (::message-sent) from now until the capture stops, with its
 * subscriptions as the filters. Once per capture. */
void            antenna_capture_attach_client    (AntennaCapture  *self,
                                                  AntennaClient   *client);

/* Stop: what was queued is written and committed, the file closed. */
void            antenna_capture_stop_async       (AntennaCapture  *self,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
gboolean        antenna_capture_stop_finish      (AntennaCapture  *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);

/* A default file name in @dir for a capture of @name, made now (the folder
 * is created). */
char           *antenna_capture_make_path        (const char      *dir,
                                                  const char      *name);

G_END_DECLS
