/* antenna-capture-private.h: the capture file format, shared by the writer
 * (antenna-capture.c) and the reader (antenna-capture-reader.c)
 *
 * A capture is a SQLite database: PRAGMA application_id says it is ours,
 * the table capture_info its schema version (and when and what it
 * recorded), the table messages one row per message in recording order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>
#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

/* 'AnTC' */
#define ANTENNA_CAPTURE_APPLICATION_ID 0x416e5443
#define ANTENNA_CAPTURE_SCHEMA_VERSION 1

/* Written in one transaction when a capture is made. */
#define ANTENNA_CAPTURE_SCHEMA \
  "CREATE TABLE capture_info (key TEXT PRIMARY KEY NOT NULL, value TEXT);" \
  "CREATE TABLE messages (" \
  "  id INTEGER PRIMARY KEY," \
  "  time INTEGER NOT NULL," \
  "  direction INTEGER NOT NULL," \
  "  topic TEXT NOT NULL," \
  "  payload BLOB NOT NULL," \
  "  qos INTEGER NOT NULL," \
  "  retain INTEGER NOT NULL," \
  "  dup INTEGER NOT NULL," \
  "  properties TEXT," \
  "  subscription TEXT," \
  "  size INTEGER NOT NULL);"
/* No index: each one would double the work of the writer thread per
 * message. Rows are in recording order, which is arrival order (a message
 * is written when it arrives, or when its publish completes), so the rowid
 * is the order of time; the oldest go first (the size cap deletes a prefix
 * of ids), so the ids stay contiguous and max - min + 1 is the count. */

typedef enum {
  ANTENNA_CAPTURE_CREATE,
  ANTENNA_CAPTURE_WRITE,
  ANTENNA_CAPTURE_READ,
} AntennaCaptureDoing;

/* The properties as a JSON object (antenna_properties_to_json() plus the
 * subscription identifiers), or NULL when there are none; and back from a
 * text that is not NULL (a message recorded without properties has none). */
char              *_antenna_capture_properties_to_text   (AntennaProperties  *properties);
AntennaProperties *_antenna_capture_properties_from_text (const char         *text,
                                                          GError            **error);

/* A GError for what SQLite said about @path: G_IO_ERROR_NO_SPACE for a full
 * disk, G_IO_ERROR_READ_ONLY, G_IO_ERROR_INVALID_DATA for a damaged file or
 * one that is not a database, else G_IO_ERROR_FAILED. */
void               _antenna_capture_set_error            (GError            **error,
                                                          sqlite3            *db,
                                                          int                 rc,
                                                          const char         *path,
                                                          AntennaCaptureDoing doing);

G_END_DECLS
