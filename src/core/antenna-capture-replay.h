/* antenna-capture-replay.h: publishing a capture again into a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-capture-reader.h"
#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CAPTURE_REPLAY (antenna_capture_replay_get_type ())

G_DECLARE_FINAL_TYPE (AntennaCaptureReplay, antenna_capture_replay, ANTENNA, CAPTURE_REPLAY, GObject)

/* Opens the capture at @capture_path (errors as antenna_capture_reader_open())
 * to be published through @client, which must be connected when the replay
 * runs. Nothing is published before antenna_capture_replay_run_async(). */
AntennaCaptureReplay *antenna_capture_replay_new          (const char                *capture_path,
                                                           AntennaClient             *client,
                                                           GError                   **error);
/* Which messages (NULL: all); before run. */
void                  antenna_capture_replay_set_query    (AntennaCaptureReplay      *self,
                                                           const AntennaCaptureQuery *query);
/* 1.0: at the recorded pace; 10.0: ten times faster; 0: as fast as the
 * broker takes them. */
void                  antenna_capture_replay_set_speed    (AntennaCaptureReplay      *self,
                                                           double                     speed);
/* Topics that start with @from start with @to instead (NULL: as recorded). */
void                  antenna_capture_replay_set_rewrite  (AntennaCaptureReplay      *self,
                                                           const char                *from,
                                                           const char                *to);
/* Publish with the retain flag cleared (else as recorded). */
void                  antenna_capture_replay_set_clear_retain (AntennaCaptureReplay  *self,
                                                           gboolean                   clear_retain);
void                  antenna_capture_replay_set_paused   (AntennaCaptureReplay      *self,
                                                           gboolean                   paused);
gboolean              antenna_capture_replay_get_paused   (AntennaCaptureReplay      *self);
/* The messages the query selects, and those published so far. */
gint64                antenna_capture_replay_get_n_total  (AntennaCaptureReplay      *self,
                                                           GError                   **error);
guint64               antenna_capture_replay_get_n_done   (AntennaCaptureReplay      *self);
/* The topic a recorded @topic is published on. */
char                 *antenna_capture_replay_rewrite_topic (AntennaCaptureReplay     *self,
                                                           const char                *topic);

/* Publishes the messages in recorded order with their QoS, payload and
 * properties; completes when the last is acknowledged (QoS 1, 2) or
 * written (QoS 0), on the first refused publish, or when cancelled. */
void                  antenna_capture_replay_run_async    (AntennaCaptureReplay      *self,
                                                           GCancellable              *cancellable,
                                                           GAsyncReadyCallback        callback,
                                                           gpointer                   user_data);
gboolean              antenna_capture_replay_run_finish   (AntennaCaptureReplay      *self,
                                                           GAsyncResult              *result,
                                                           GError                   **error);

G_END_DECLS
