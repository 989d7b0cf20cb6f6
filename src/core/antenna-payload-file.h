/* antenna-payload-file.h: read a payload from a file, without blocking
 *
 * The composer's "load from file": any file up to the MQTT maximum
 * (ANTENNA_MQTT_MAX_PAYLOAD, 268,435,455 bytes), read asynchronously in 4 MiB
 * chunks into one buffer of the file's size, with progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_PAYLOAD_FILE_CHUNK_SIZE (4 * 1024 * 1024)

/* Called on the main context after each chunk: bytes read so far, of @total. */
typedef void (*AntennaPayloadFileProgress) (goffset  current,
                                            goffset  total,
                                            gpointer user_data);

/* Reads @file whole. A file larger than ANTENNA_MQTT_MAX_PAYLOAD, or not a
 * regular file, fails with ANTENNA_ERROR_PAYLOAD_TOO_LARGE /
 * ANTENNA_ERROR_INVALID_ARGUMENT before anything is read. @progress (may be
 * NULL) is called with @progress_data, which must live until the callback. */
void     antenna_payload_file_load_async  (GFile                       *file,
                                           AntennaPayloadFileProgress   progress,
                                           gpointer                     progress_data,
                                           GCancellable                *cancellable,
                                           GAsyncReadyCallback          callback,
                                           gpointer                     user_data);
/* (transfer full): the bytes of the file. */
GBytes  *antenna_payload_file_load_finish (GFile                       *file,
                                           GAsyncResult                *result,
                                           GError                     **error);

G_END_DECLS
