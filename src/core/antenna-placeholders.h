/* antenna-placeholders.h: generated values in a topic or payload, expanded per message
 *
 * A template is parsed once into parts; each expansion is one message:
 *
 *   {{counter}}                  1, 2, 3, …        {{counter:START:STEP}}
 *   {{time}}                     Unix seconds      {{time:ms}} milliseconds,
 *                                                  {{time:iso}} ISO 8601 (UTC)
 *   {{uuid}}                     a random UUID (version 4)
 *   {{int:MIN:MAX}}              a random integer, both bounds included
 *   {{float:MIN:MAX}}            a random number, as many decimals as the
 *                                most precise bound (at least 2)
 *   {{choice:A|B|C}}             one of the choices
 *   {{walk:START:MIN:MAX:STEP}}  a random walk: moves by at most STEP each
 *                                message, kept between MIN and MAX
 *   {{client_id}}                the connection's client id
 *   {{brace}}                    a literal "{{"
 *
 * In a JSON payload a value inside a string is escaped as a JSON string; a
 * value outside one is bare when it is a number and a quoted string
 * otherwise, so the result stays JSON. In a hex or Base64 payload the
 * literal parts are hex or Base64 and each value adds the bytes of its text
 * (UTF-8): the payload is encoded after expansion. A JSON payload may go
 * out as MessagePack or CBOR (antenna_placeholders_set_encoder()): each
 * message is expanded as JSON, checked, then encoded, so every message
 * carries its own counter and values in the binary format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "antenna-types.h"
#include "antenna-decoder.h"
#include "antenna-enums.h"
#include "antenna-payload.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PLACEHOLDERS (antenna_placeholders_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPlaceholders, antenna_placeholders, ANTENNA, PLACEHOLDERS, GObject)

/* Parses @text (a payload in @format, or a topic with TEXT). An unknown or
 * malformed placeholder, or a literal part that does not decode in @format:
 * NULL and ANTENNA_ERROR_INVALID_ARGUMENT naming it and its offset
 * (in characters, counting from 1). */
AntennaPlaceholders *antenna_placeholders_new            (const char           *text,
                                                          AntennaPayloadFormat  format,
                                                          GError              **error);
/* antenna_placeholders_new(), and on failure the characters the error is
 * about (@span, nullable: the placeholder, or the literal part that does
 * not decode), for the composer to mark where it was typed. */
AntennaPlaceholders *antenna_placeholders_new_span       (const char           *text,
                                                          AntennaPayloadFormat  format,
                                                          AntennaPayloadSpan   *span,
                                                          GError              **error);
/* Whether @text has "{{" at all: without, it is sent as it is. */
gboolean             antenna_placeholders_text_has_any   (const char           *text);
/* Whether the template has a placeholder (a "{{brace}}" counts). */
gboolean             antenna_placeholders_has_any        (AntennaPlaceholders  *self);
/* The same random values again from the same seed (for tests and repeats). */
void                 antenna_placeholders_set_seed       (AntennaPlaceholders  *self,
                                                          guint32               seed);
void                 antenna_placeholders_set_client_id  (AntennaPlaceholders  *self,
                                                          const char           *client_id);
/* A JSON template's messages go out in @encoder's format (one that
 * antenna_decoder_can_encode(): MessagePack, CBOR), encoded after each
 * expansion; NULL, JSON or text: as expanded. Ignored for other formats. */
void                 antenna_placeholders_set_encoder    (AntennaPlaceholders  *self,
                                                          const AntennaDecoder *encoder);
/* The message index the counter starts from (0: the first message). */
void                 antenna_placeholders_set_index      (AntennaPlaceholders  *self,
                                                          guint64               index);
guint64              antenna_placeholders_get_index      (AntennaPlaceholders  *self);
/* The next message: its bytes in the payload's format's meaning (JSON
 * validated, then encoded when there is an encoder), and the state moves
 * on (counter, walks, random numbers). NULL with
 * ANTENNA_ERROR_INVALID_PAYLOAD when the result is not JSON. */
GBytes              *antenna_placeholders_expand         (AntennaPlaceholders  *self,
                                                          gint64                now_us,
                                                          GError              **error);
/* What antenna_placeholders_expand() would give next, without moving on:
 * for a preview. */
GBytes              *antenna_placeholders_peek           (AntennaPlaceholders  *self,
                                                          gint64                now_us,
                                                          GError              **error);
/* antenna_placeholders_expand() as a string, for a topic (TEXT). */
/* The next message as antenna_placeholders_peek() gives it, and in
 * *@expanded the text before encoding (the same bytes without an encoder):
 * what a preview shows a person. */
GBytes              *antenna_placeholders_peek_expanded  (AntennaPlaceholders  *self,
                                                          gint64                now_us,
                                                          GBytes              **expanded,
                                                          GError              **error);
char                *antenna_placeholders_expand_string  (AntennaPlaceholders  *self,
                                                          gint64                now_us);
char                *antenna_placeholders_peek_string    (AntennaPlaceholders  *self,
                                                          gint64                now_us);

G_END_DECLS
