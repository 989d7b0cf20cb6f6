/* antenna-test-decoders.h: what the decoder tests share
 *
 * The payloads of encoders Antenna did not write, made once per program
 * (tests/decoders/make-fixtures.py, make-sparkplug.js), and assertions on
 * what a decoder made of them: for test-decoders and
 * test-decoders-protobuf (test-ui-decoders takes python() and
 * source_path()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "antenna-decoder.h"
#include "antenna-decoder-context.h"
#include "antenna-decoder-rule.h"
#include "antenna-value.h"

G_BEGIN_DECLS

/* Debian's python3 (ANTENNA_TEST_PYTHON), which has python3-msgpack and the others. */
const char     *python                  (void);
/* tests/decoders/@name. */
char           *source_path             (const char                *name);
char           *sparkplug_proto_path    (void);
/* Runs @argv; its stdout, asserting that it succeeded. */
char           *run_ok                  (const char * const        *argv,
                                         const char                *input);

/* antenna_test_init(), then the fixtures made in a temporary folder;
 * decoders_test_run() runs the tests and removes them. */
void            decoders_test_init      (int                       *argc,
                                         char                    ***argv);
int             decoders_test_run       (void);
const char     *fixtures_get_dir        (void);
JsonNode       *fixtures_get_manifest   (void);
/* The bytes of fixture @name, and what its encoder was given. */
GBytes         *fixture                 (const char                *name);
JsonObject     *manifest_entry          (const char                *name);

GBytes         *bytes_of                (const void                *data,
                                         gsize                      len);
/* A 5-byte list header (MessagePack or CBOR, 32-bit count) and @n items
 * of the value 1, which is the byte 0x01 in both. */
GBytes         *list_of_ones            (const char                *header,
                                         gsize                      n);

/* Decodes with the decoder @id; asserts success. */
AntennaDecoded *decode_ok               (const char                *id,
                                         GBytes                    *payload,
                                         AntennaDecoderRule        *rule,
                                         AntennaDecoderContext     *context,
                                         const AntennaDecodeLimits *limits);
/* Decodes with @id; asserts failure and returns the message. */
char           *decode_error            (const char                *id,
                                         GBytes                    *payload,
                                         AntennaDecoderRule        *rule,
                                         AntennaDecoderContext     *context,
                                         const AntennaDecodeLimits *limits);
/* Asserts that @data (@length bytes) does not decode with @id, and why. */
void            assert_decode_error     (const char                *id,
                                         const char                *data,
                                         gsize                      length,
                                         const char                *expected);
/* Field by field: @expected (from the encoder's side) and @actual (our
 * JSON rendering), naming the path of the first difference. */
void            assert_json_matches     (JsonNode                  *expected,
                                         JsonNode                  *actual,
                                         const char                *path);
void            assert_value_matches    (JsonNode                  *expected,
                                         AntennaValue              *value);
void            assert_note_contains    (AntennaDecoded            *decoded,
                                         const char                *needle);
/* Every cut of @payload fails cleanly with @decoder (an error naming a byte) or decodes. */
void            assert_every_prefix_fails_cleanly (const char      *decoder,
                                                   GBytes          *payload);

G_END_DECLS
