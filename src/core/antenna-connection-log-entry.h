/* antenna-connection-log-entry.h: one line of a connection's log
 *
 * What happened on a connection, when, and how much it matters: a sentence
 * a person reads, and optionally the protocol's own words for it (a reason
 * code). Immutable once made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  ANTENNA_CONNECTION_LOG_LEVEL_INFO,
  ANTENNA_CONNECTION_LOG_LEVEL_WARNING,
  ANTENNA_CONNECTION_LOG_LEVEL_ERROR,
} AntennaConnectionLogLevel;

#define ANTENNA_TYPE_CONNECTION_LOG_ENTRY (antenna_connection_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (AntennaConnectionLogEntry, antenna_connection_log_entry, ANTENNA, CONNECTION_LOG_ENTRY, GObject)

/* Properties (construct-only): time (gint64, µs since the epoch), level,
 * text, detail (may be NULL). */
AntennaConnectionLogEntry *antenna_connection_log_entry_new        (gint64                      time,
                                                                    AntennaConnectionLogLevel   level,
                                                                    const char                 *text,
                                                                    const char                 *detail);
gint64                     antenna_connection_log_entry_get_time   (AntennaConnectionLogEntry  *self);
/* The time as a local GDateTime. */
GDateTime                 *antenna_connection_log_entry_dup_date_time (AntennaConnectionLogEntry *self);
AntennaConnectionLogLevel  antenna_connection_log_entry_get_level  (AntennaConnectionLogEntry  *self);
/* "Info", "Warning", "Error", translated. */
const char                *antenna_connection_log_entry_get_level_name (AntennaConnectionLogEntry *self);
const char                *antenna_connection_log_entry_get_text   (AntennaConnectionLogEntry  *self);
const char                *antenna_connection_log_entry_get_detail (AntennaConnectionLogEntry  *self);
/* "HH:MM:SS.mmm", local time. */
char                      *antenna_connection_log_entry_format_time (AntennaConnectionLogEntry *self);
/* One line of text: "2026-12-06 04:01:02.345  Error  The sentence. [detail]". */
char                      *antenna_connection_log_entry_to_string  (AntennaConnectionLogEntry  *self);
/* Whether the text or the detail contains @needle (case-insensitive; an
 * empty or NULL needle matches everything). */
gboolean                   antenna_connection_log_entry_matches    (AntennaConnectionLogEntry  *self,
                                                                    const char                 *needle);

G_END_DECLS
