/* antenna-cli-decoding.h: payloads through the core's decoders
 *
 * What --decode, --proto, --message, -I and --then say, for "sub" and "decode":
 * auto (the connection's decoder rules, then the spBv1.0/ namespace, then
 * detection, as the app chooses) or one decoder by its id (msgpack, cbor,
 * protobuf, sparkplug, gzip…), with the .proto files to read Protocol
 * Buffers by.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "antenna-decoder.h"
#include "antenna-types.h"

G_BEGIN_DECLS

typedef struct
{
  char      *decode;         /* --decode: "auto" or a decoder id; NULL: unset */
  char     **proto_files;    /* --proto FILE… */
  char     **import_paths;   /* -I DIR… */
  char      *message_type;   /* --message TYPE */
  char      *then;           /* --then DECODER, after gzip or zlib */
} AntennaCliDecodeOptions;

typedef struct _AntennaCliDecoding AntennaCliDecoding;

void                antenna_cli_decode_options_clear (AntennaCliDecodeOptions  *self);
/* Adds --proto, --message, -I and --then (not --decode, whose help differs by
 * command) to @context's main group. */
void                antenna_cli_decode_options_add   (AntennaCliDecodeOptions  *self,
                                                      GOptionContext           *context);
/* Whether any of --proto, --message or -I was given (--then is not: it
 * needs --decode gzip or zlib). */
gboolean            antenna_cli_decode_options_has_schema (AntennaCliDecodeOptions *self);

/* @profile (nullable): its rules and .proto files for auto. Reads the
 * --proto files now: their errors (file, line, column) are the core's.
 * G_OPTION_ERROR for an unknown decoder or --message without protobuf. */
AntennaCliDecoding *antenna_cli_decoding_new         (AntennaCliDecodeOptions  *options,
                                                      AntennaProfile           *profile,
                                                      GError                  **error);
void                antenna_cli_decoding_free        (AntennaCliDecoding       *self);
/* Whether it chooses by rules and detection (auto). */
gboolean            antenna_cli_decoding_is_auto     (AntennaCliDecoding       *self);
/* The decoder @payload on @topic (nullable) gets: the chosen one, or under
 * auto the rules' and detection's. */
const AntennaDecoder *antenna_cli_decoding_choose    (AntennaCliDecoding       *self,
                                                      const char               *topic,
                                                      GBytes                   *payload);
/* Decodes @payload (@message nullable: Sparkplug's sequence checks want
 * it), within the command line's budgets (far above a view's). NULL with
 * the core's error (ANTENNA_ERROR_INVALID_PAYLOAD, ANTENNA_SCHEMA_ERROR). */
AntennaDecoded     *antenna_cli_decoding_decode      (AntennaCliDecoding       *self,
                                                      const char               *topic,
                                                      GBytes                   *payload,
                                                      AntennaMessage           *message,
                                                      GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaCliDecoding, antenna_cli_decoding_free)

G_END_DECLS
