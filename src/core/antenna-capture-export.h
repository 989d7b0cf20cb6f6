/* antenna-capture-export.h: a capture as CSV or JSON Lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-capture-reader.h"

G_BEGIN_DECLS

typedef enum {
  ANTENNA_CAPTURE_FORMAT_CSV,
  ANTENNA_CAPTURE_FORMAT_JSON_LINES,
} AntennaCaptureFormat;

/* @done of @total messages written; called at most ten times a second (and
 * at the end), on the thread that runs the export (the main thread for
 * antenna_capture_export_async()). */
typedef void (*AntennaCaptureProgress) (guint64  done,
                                        guint64  total,
                                        gpointer user_data);

/* "csv", "jsonl" (or "json-lines"); FALSE for anything else. */
gboolean  antenna_capture_format_parse   (const char                *text,
                                          AntennaCaptureFormat      *format);

/* Writes what @query selects (NULL: all) to @out, on the caller's thread.
 * CSV (RFC 4180, CRLF): time (ISO 8601 UTC, µs), topic, qos, retain,
 * direction, encoding (text or base64), payload. JSON Lines: one object a
 * line with the same and dup, properties and subscription. */
gboolean  antenna_capture_export         (AntennaCaptureReader      *reader,
                                          const AntennaCaptureQuery *query,
                                          AntennaCaptureFormat       format,
                                          GOutputStream             *out,
                                          AntennaCaptureProgress     progress,
                                          gpointer                   progress_data,
                                          GCancellable              *cancellable,
                                          GError                   **error);

/* The same for @messages (AntennaMessage; no subscription member), as the
 * live log shows them. */
gboolean  antenna_capture_export_messages (GPtrArray                *messages,
                                           AntennaCaptureFormat      format,
                                           GOutputStream            *out,
                                           AntennaCaptureProgress    progress,
                                           gpointer                  progress_data,
                                           GCancellable             *cancellable,
                                           GError                  **error);

/* The same off the main thread, from the capture at @capture_path into
 * @destination (replaced only once the export is whole). */
void      antenna_capture_export_async   (const char                *capture_path,
                                          const AntennaCaptureQuery *query,
                                          AntennaCaptureFormat       format,
                                          GFile                     *destination,
                                          AntennaCaptureProgress     progress,
                                          gpointer                   progress_data,
                                          GCancellable              *cancellable,
                                          GAsyncReadyCallback        callback,
                                          gpointer                   user_data);
/* The same off the main thread for @messages (held until the end); finish
 * with antenna_capture_export_finish(). */
void      antenna_capture_export_messages_async (GPtrArray               *messages,
                                                 AntennaCaptureFormat     format,
                                                 GFile                   *destination,
                                                 AntennaCaptureProgress   progress,
                                                 gpointer                 progress_data,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
gboolean  antenna_capture_export_finish  (GAsyncResult              *result,
                                          GError                   **error);

/* JSON Lines for a file named .jsonl or .json, CSV for any other. */
AntennaCaptureFormat antenna_capture_format_for_file      (GFile        *destination);
/* What a progress line says: "Exporting to “NAME”: DONE of TOTAL". */
char                *antenna_capture_export_progress_text (GFile        *destination,
                                                           guint64       done,
                                                           guint64       total);
/* What became of an export to @destination, from the error
 * antenna_capture_export_finish() gave (NULL: it worked). */
char                *antenna_capture_export_result_text   (GFile        *destination,
                                                           const GError *error);

G_END_DECLS
