/* antenna-publish-batch.h: publish every message of a JSON Lines file
 *
 * One message a line, the format a capture export writes:
 *
 *   {"topic": "a/b", "payload": "text", "qos": 1, "retain": false,
 *    "properties": {…}, "delay_ms": 100}
 *
 * with "payload_base64" instead of "payload" for bytes ("payload" is UTF-8
 * text; neither: an empty payload). "qos" (0), "retain" (false),
 * "properties" (none; as in profiles and templates) and "delay_ms" (0: a
 * pause before this message) may be left out. Blank lines are skipped.
 *
 * The file is read twice, a line at a time, never whole, in a thread (a
 * 64 MiB line is parsed while the main loop goes on): first every line is
 * checked and nothing is sent; a file with invalid lines fails with
 * their numbers (antenna_publish_batch_get_invalid_lines()) unless
 * :skip-invalid is set, and then the valid ones are sent in order, at
 * :rate messages a second (0: as fast as the broker takes them, with at
 * most ANTENNA_PUBLISH_BATCH_WINDOW waiting for an acknowledgement). A
 * publish that fails is counted (:failed, :last-error) and not sent again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_PUBLISH_BATCH_WINDOW 64

#define ANTENNA_TYPE_PUBLISH_BATCH (antenna_publish_batch_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPublishBatch, antenna_publish_batch, ANTENNA, PUBLISH_BATCH, GObject)

/* Properties: rate, skip-invalid, paused (read-write); validating (the first
 * pass), total (valid messages, known after the first pass), sent, failed,
 * last-error, lines (checked so far in the current pass; in the send pass
 * the reading is ahead of the sending), bytes-read and size (of the file,
 * in the current pass; size 0 until known): notified at most a few times a
 * second. */
AntennaPublishBatch *antenna_publish_batch_new               (AntennaClient        *client,
                                                              GFile                *file);
void                 antenna_publish_batch_set_rate          (AntennaPublishBatch  *self,
                                                              double                per_second);
void                 antenna_publish_batch_set_skip_invalid  (AntennaPublishBatch  *self,
                                                              gboolean              skip);
void                 antenna_publish_batch_set_paused        (AntennaPublishBatch  *self,
                                                              gboolean              paused);
gboolean             antenna_publish_batch_get_paused        (AntennaPublishBatch  *self);
gboolean             antenna_publish_batch_get_validating    (AntennaPublishBatch  *self);
guint64              antenna_publish_batch_get_total         (AntennaPublishBatch  *self);
guint64              antenna_publish_batch_get_sent          (AntennaPublishBatch  *self);
guint64              antenna_publish_batch_get_failed        (AntennaPublishBatch  *self);
guint64              antenna_publish_batch_get_lines         (AntennaPublishBatch  *self);
guint64              antenna_publish_batch_get_bytes_read    (AntennaPublishBatch  *self);
guint64              antenna_publish_batch_get_size          (AntennaPublishBatch  *self);
const char          *antenna_publish_batch_get_last_error    (AntennaPublishBatch  *self);
/* The numbers of the invalid lines (guint64), in order, and why each
 * (antenna_publish_batch_get_invalid_reason()); the reasons of the first
 * 1,000 only. */
GArray              *antenna_publish_batch_get_invalid_lines (AntennaPublishBatch  *self);
const char          *antenna_publish_batch_get_invalid_reason (AntennaPublishBatch *self,
                                                              guint                 i);

/* Checks, then sends. Fails with ANTENNA_ERROR_INVALID_PAYLOAD naming the
 * invalid lines (nothing sent), with the file's error, or cancelled (what
 * was sent stays sent). Succeeds when every valid line was handed to the
 * client and completed, even if some failed (:failed). */
void                 antenna_publish_batch_run_async         (AntennaPublishBatch  *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean             antenna_publish_batch_run_finish        (AntennaPublishBatch  *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

G_END_DECLS
