/* antenna-json-file.h: the way Antenna keeps its own files
 *
 * Shared by the profile store and the template store: written atomically
 * (temporary file, fsync, rename, folder synced), mode 0600 in a folder of
 * mode 0700; a file that cannot be read is set aside, never overwritten.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Renames @path to @path.bad-<timestamp>[-N], never over an existing file.
 * Returns the new path, or NULL with @error (ANTENNA_ERROR_FAILED). */
char     *antenna_json_file_set_aside     (const char  *path,
                                           GError     **error);
/* fsync()s the folder @dir, so that a rename in it survives a power cut. */
void      antenna_json_file_sync_dir      (const char  *dir);
/* Makes the folder of @path (0700), writes @data to @path atomically with
 * mode 0600 and syncs the folder. On failure @error says why, without the
 * path (the caller says what was being saved). */
gboolean  antenna_json_file_write         (const char  *path,
                                           const char  *data,
                                           gssize       length,
                                           GError     **error);

G_END_DECLS
