/* antenna-payload.h: payload detection, formatting and input decoding
 *
 * Formatting works on a bounded preview, so it never blocks on a huge payload.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "antenna-types.h"
#include "antenna-enums.h"

G_BEGIN_DECLS

/* What AUTO resolves to for @payload: JSON when the bytes parse as a JSON
 * object or array, TEXT when valid UTF-8 without control characters other
 * than tab/newline/CR, HEX otherwise. Looks at no more than @max_bytes. */
AntennaPayloadFormat  antenna_payload_detect        (GBytes               *payload,
                                                     gsize                 max_bytes);
/* The text shown for @payload in @format (AUTO: detected), from at most the
 * first @max_bytes bytes; sets *@truncated when the preview is shorter than
 * the payload. JSON is pretty-printed (falls back to TEXT, with *@json_error
 * set when not NULL, when it does not parse); HEX is "00 01 …" in rows of 16
 * with offsets; invalid UTF-8 in TEXT shows U+FFFD. Never NULL. */
char                 *antenna_payload_format        (GBytes               *payload,
                                                     AntennaPayloadFormat  format,
                                                     gsize                 max_bytes,
                                                     gboolean             *truncated,
                                                     GError              **json_error);
/* One line for lists: at most @max_chars characters, control characters and
 * newlines shown as spaces, "…" when cut; binary as hex. Never NULL. */
char                 *antenna_payload_preview_line  (GBytes               *payload,
                                                     guint                 max_chars);
/* Decode what a person typed in the composer into the bytes that go out.
 * TEXT: as is. JSON: validated (error names line and column), sent as typed.
 * HEX: pairs of hex digits, white space and an optional "0x" ignored.
 * BASE64: standard alphabet, white space ignored, strict padding.
 * On failure ANTENNA_ERROR_INVALID_PAYLOAD saying what and at which position. */
GBytes               *antenna_payload_decode        (const char           *input,
                                                     gssize                length,
                                                     AntennaPayloadFormat  format,
                                                     GError              **error);
/* Characters [start, end) of a composer's input that are wrong; G_MAXUINT
 * when no place can be named. */
typedef struct
{
  guint start;
  guint end;
} AntennaPayloadSpan;
/* antenna_payload_decode(), and on failure where in @input (@span). */
GBytes               *antenna_payload_decode_span   (const char           *input,
                                                     gssize                length,
                                                     AntennaPayloadFormat  format,
                                                     AntennaPayloadSpan   *span,
                                                     GError              **error);
/* The inverse of antenna_payload_decode(): the text a person would type in
 * the composer for @payload, e.g. when switching the composer's format.
 * HEX: "48 65 6c", pairs separated by spaces. BASE64: standard, padded, one
 * line. TEXT, JSON (AUTO: TEXT): the bytes, which must be UTF-8 without NUL,
 * else NULL with ANTENNA_ERROR_INVALID_PAYLOAD. Works on the whole payload:
 * meant for what fits in a composer. */
char                 *antenna_payload_encode        (GBytes               *payload,
                                                     AntennaPayloadFormat  format,
                                                     GError              **error);
/* Whether @data is JSON that is safe to hand to json-glib: UTF-8, standard
 * syntax (no comments, no single quotes, nothing after the value), some
 * value, nesting at most ANTENNA_PAYLOAD_JSON_MAX_DEPTH deep. json-glib 1.6
 * parses recursively, so 200 KB of '[' overflow the stack: check anything
 * read from outside (a payload, an imported file) with this first.
 * ANTENNA_ERROR_INVALID_PAYLOAD naming line and column otherwise. */
#define ANTENNA_PAYLOAD_JSON_MAX_DEPTH 512
gboolean              antenna_payload_validate_json (const char           *data,
                                                     gssize                length,
                                                     GError              **error);
/* The same checks, and the parsed value: NULL with the same error when
 * @data is not JSON or is blank. For the JSON decoder. */
JsonNode             *antenna_payload_parse_json    (const char           *data,
                                                     gsize                 length,
                                                     GError              **error);
/* "12 bytes", "1.5 MB": g_format_size with exact bytes under 1 kB. */
char                 *antenna_payload_format_size   (guint64               size);

G_END_DECLS
