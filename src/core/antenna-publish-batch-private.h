/* antenna-publish-batch-private.h: the reading side of AntennaPublishBatch
 *
 * antenna-publish-batch.c sends; antenna-publish-batch-reader.c reads the
 * file and checks its lines, in a GTask thread, so that a 64 MiB line
 * (JSON parsing, Base64 decoding) never holds the main loop. A reader is one
 * pass over the file: the check of every line, or the valid messages a
 * chunk at a time. Its threads touch nothing but the reader: what they make
 * reaches the main loop as the result of their task, and the progress
 * through a mutex.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

/* A chunk of messages read ahead of the sending: at most this many, or
 * this many payload bytes (a single larger message makes a chunk alone). */
#define ANTENNA_BATCH_CHUNK_ITEMS 256
#define ANTENNA_BATCH_CHUNK_BYTES (4 * 1024 * 1024)

typedef struct
{
  guint64            line;
  char              *topic;
  GBytes            *payload;
  int                qos;
  gboolean           retain;
  AntennaProperties *properties;
  guint              delay_ms;
} AntennaBatchItem;

void                _antenna_batch_item_free          (AntennaBatchItem    *item);

typedef struct _AntennaBatchReader AntennaBatchReader;

AntennaBatchReader *_antenna_batch_reader_new         (GFile               *file);
AntennaBatchReader *_antenna_batch_reader_ref         (AntennaBatchReader  *self);
void                _antenna_batch_reader_unref       (AntennaBatchReader  *self);
/* From the main thread while a task runs: the lines checked so far, the
 * bytes of the file read so far, and its size (0 until known). */
void                _antenna_batch_reader_get_progress (AntennaBatchReader *self,
                                                       guint64             *lines,
                                                       guint64             *bytes_read,
                                                       guint64             *size);

/* Checks every line. Finish: the number of valid messages; the numbers of
 * the invalid lines (guint64) and the reasons of the first 1,000
 * (transfer none: the reader's, for after the task). */
void                _antenna_batch_reader_check_async  (AntennaBatchReader  *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            _antenna_batch_reader_check_finish (AntennaBatchReader  *self,
                                                        GAsyncResult        *result,
                                                        guint64             *total,
                                                        GArray             **invalid,
                                                        GPtrArray          **reasons,
                                                        GError             **error);
/* The next valid messages, in order (a chunk): a GPtrArray of
 * AntennaBatchItem, empty at the end of the file. One at a time. */
void                _antenna_batch_reader_read_async   (AntennaBatchReader  *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray          *_antenna_batch_reader_read_finish  (AntennaBatchReader  *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaBatchItem, _antenna_batch_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaBatchReader, _antenna_batch_reader_unref)

G_END_DECLS
