/* antenna-json-file.h: the way Antenna keeps its own files
 *
 * Shared by the profile store and the template store: written atomically
 * (temporary file, fsync, rename, folder synced), mode 0600 in a folder of
 * mode 0700; a file that cannot be read is set aside, never overwritten.
 * Their settings are read with antenna_json_file_read_*(): a missing member
 * (or null) leaves *@value alone, that is the default; a member of the wrong
 * type is ANTENNA_ERROR_PROFILE_CORRUPT with a message that names it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Renames @path to @path.bad-<timestamp>[-N], never over an existing file.
 * Returns the new path, or NULL with @error (ANTENNA_ERROR_FAILED). */
char     *antenna_json_file_set_aside      (const char  *path,
                                            GError     **error);
/* fsync()s the folder @dir, so that a rename in it survives a power cut. */
void      antenna_json_file_sync_dir       (const char  *dir);
/* Makes the folder of @path (0700), writes @data to @path atomically with
 * mode 0600 and syncs the folder. On failure @error says why, without the
 * path (the caller says what was being saved). */
gboolean  antenna_json_file_write          (const char  *path,
                                            const char  *data,
                                            gssize       length,
                                            GError     **error);

/* The member @key of @object, or NULL when it is missing or null. */
JsonNode *antenna_json_file_get_member     (JsonObject  *object,
                                            const char  *key);
/* "The saved setting “@key” is not valid: it must be @expected." */
void      antenna_json_file_set_wrong_type (GError     **error,
                                            const char  *key,
                                            const char  *expected);
/* A string, borrowed from @object. */
gboolean  antenna_json_file_read_string    (JsonObject  *object,
                                            const char  *key,
                                            const char **value,
                                            GError     **error);
/* A whole number from @min to @max. */
gboolean  antenna_json_file_read_int       (JsonObject  *object,
                                            const char  *key,
                                            gint64       min,
                                            gint64       max,
                                            gint64      *value,
                                            GError     **error);
gboolean  antenna_json_file_read_bool      (JsonObject  *object,
                                            const char  *key,
                                            gboolean    *value,
                                            GError     **error);
/* Strict Base64: no white space, "=" padding to a multiple of four. */
gboolean  antenna_json_file_read_base64    (JsonObject  *object,
                                            const char  *key,
                                            GBytes     **value,
                                            GError     **error);
/* The nick of a value of the enum @type. */
gboolean  antenna_json_file_read_enum      (JsonObject  *object,
                                            const char  *key,
                                            GType        type,
                                            int         *value,
                                            GError     **error);

G_END_DECLS
