/* antenna-capture-reader.h: reading a capture file, in pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CAPTURE_READER (antenna_capture_reader_get_type ())

G_DECLARE_FINAL_TYPE (AntennaCaptureReader, antenna_capture_reader, ANTENNA, CAPTURE_READER, GObject)

/* What a read selects. G_MININT64/G_MAXINT64 times and NULL strings select
 * everything. */
typedef struct
{
  gint64      time_from;     /* µs since the epoch, inclusive */
  gint64      time_to;       /* inclusive */
  const char *topic_filter;  /* an MQTT topic filter */
  const char *payload_text;  /* bytes the payload contains */
  const char *text;          /* bytes the topic or the payload contains */
} AntennaCaptureQuery;

void                  antenna_capture_query_init          (AntennaCaptureQuery   *query);

/* Where a page ends; start with antenna_capture_cursor_init(). */
typedef struct
{
  gint64 time;
  gint64 id;
} AntennaCaptureCursor;

void                  antenna_capture_cursor_init         (AntennaCaptureCursor  *cursor);

/* One recorded message, as antenna_capture_reader_foreach() gives it. */
typedef gboolean (*AntennaCaptureFunc) (gint64          id,
                                        AntennaMessage *message,
                                        const char     *subscription,
                                        gpointer        user_data);

/* Opens @path read-only: the file is never changed. A file that is not a
 * capture, of a newer schema, or damaged: G_IO_ERROR_INVALID_DATA (or
 * G_IO_ERROR_NOT_FOUND), with a message that says which. */
AntennaCaptureReader *antenna_capture_reader_open         (const char            *path,
                                                           GError               **error);
const char           *antenna_capture_reader_get_path     (AntennaCaptureReader  *self);
int                   antenna_capture_reader_get_schema_version (AntennaCaptureReader *self);
/* The messages @query selects (NULL: all); -1 on error. */
gint64                antenna_capture_reader_count        (AntennaCaptureReader  *self,
                                                           const AntennaCaptureQuery *query,
                                                           GError               **error);
/* The first and last message times; FALSE when the capture is empty. */
gboolean              antenna_capture_reader_get_time_range (AntennaCaptureReader *self,
                                                           gint64                *first,
                                                           gint64                *last,
                                                           GError               **error);
/* What a page's payloads may hold together: a page ends after the message
 * that reaches it (one message at least), however many @limit allows. */
#define ANTENNA_CAPTURE_PAGE_BYTES (16 * 1024 * 1024)

/* The next page of at most @limit messages after @cursor, in recording
 * order (the order of their times), and of about ANTENNA_CAPTURE_PAGE_BYTES
 * of payload at most; advances @cursor. An empty array at the end; NULL on
 * error. */
GPtrArray            *antenna_capture_reader_read_page    (AntennaCaptureReader  *self,
                                                           const AntennaCaptureQuery *query,
                                                           AntennaCaptureCursor  *cursor,
                                                           guint                  limit,
                                                           GError               **error);
/* Calls @func for every selected message in recording order, until it returns
 * FALSE or @cancellable is cancelled (then FALSE and G_IO_ERROR_CANCELLED). */
gboolean              antenna_capture_reader_foreach      (AntennaCaptureReader  *self,
                                                           const AntennaCaptureQuery *query,
                                                           AntennaCaptureFunc     func,
                                                           gpointer               user_data,
                                                           GCancellable          *cancellable,
                                                           GError               **error);

G_END_DECLS
