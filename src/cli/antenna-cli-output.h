/* antenna-cli-output.h: received messages on standard output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>
#include <glib.h>

#include "antenna-cli-decoding.h"
#include "antenna-types.h"

G_BEGIN_DECLS

typedef enum {
  ANTENNA_CLI_FORMAT_TEXT,   /* "TOPIC PAYLOAD", like mosquitto_sub -v */
  ANTENNA_CLI_FORMAT_JSON,   /* JSON Lines */
  ANTENNA_CLI_FORMAT_RAW,    /* the payload's bytes, like mosquitto_sub */
} AntennaCliFormat;

typedef struct _AntennaCliOutput AntennaCliOutput;

/* --format: text, json or raw. */
gboolean          antenna_cli_format_parse      (const char        *text,
                                                 AntennaCliFormat  *format,
                                                 GError           **error);

/* @decoding (nullable, borrowed): --decode, for TEXT and JSON; without it
 * TEXT shows UTF-8 text as it is and anything else in hex. @newline: RAW
 * ends each payload with "\n". */
AntennaCliOutput *antenna_cli_output_new        (int                 fd,
                                                 AntennaCliFormat    format,
                                                 AntennaCliDecoding *decoding,
                                                 gboolean            newline);
void              antenna_cli_output_free       (AntennaCliOutput  *self);
/* Buffered until antenna_cli_output_flush(), which writes the lines in one
 * write(2) (several past 1 MiB); FALSE with errno set when writing fails. */
gboolean          antenna_cli_output_write      (AntennaCliOutput  *self,
                                                 AntennaMessage    *message);
gboolean          antenna_cli_output_flush      (AntennaCliOutput  *self);

/* "2026-01-02T03:04:05.123456Z" for g_get_real_time() microseconds. */
char             *antenna_cli_format_time       (gint64             time_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaCliOutput, antenna_cli_output_free)

G_END_DECLS
