/* antenna-decoder.h: payload decoders, one layer for every format
 *
 * THE INTERFACE
 * A decoder (AntennaDecoder, a static table entry, never freed) has an id
 * ("msgpack", saved in profiles) and a translated display name
 * ("MessagePack"), and turns a payload (GBytes) into an AntennaValue tree
 * (antenna-value.h: JSON's values plus bytes, timestamps, non-string map
 * keys, NaN/Infinity, annotations) or fails with a GError that says what
 * was wrong and at which byte: ANTENNA_ERROR_INVALID_PAYLOAD, "MessagePack,
 * byte 17: a string of 4,294,967,295 bytes, but 12 bytes remain.".
 * Text, JSON, hex and Base64 are decoders too, so views have one path.
 *
 * BOUNDED
 * Every decode runs within AntennaDecodeLimits: input bytes looked at (and
 * bytes a decompressor may produce), values made, nesting depth, and time.
 * Where a limit is reached the decoder stops, keeps what it made (the open
 * containers marked incomplete) and the result says where and why:
 * ANTENNA_DECODED_STOPPED, antenna_decoded_get_stopped_at() (the byte), and
 * a note a person reads ("Stopped at byte 1,048,576 of 3.2 MB: …"). A
 * length prefix is checked against the bytes that remain before anything
 * is allocated for it, so a 5-byte payload claiming 4 billion items costs
 * nothing. A decompression bomb stops at max_bytes of output, with a note.
 *
 * LAZY
 * Nothing here runs at ingest: AntennaClient, the log and the topic tree
 * never call a decoder. Views call antenna_decoder_context_decode_message()
 * for the rows on screen, the inspector, a filter or a chart. The only
 * per-message observer is the Sparkplug model (antenna-sparkplug.h), which
 * a Sparkplug view attaches, and which looks at nothing but spBv1.0/ topics.
 *
 * WHICH DECODER A MESSAGE GETS (antenna_decoder_choose)
 * 1. the connection's rules (AntennaDecoderRule: topic filter → decoder and
 *    its options, e.g. a protobuf message type), first match wins;
 * 2. Sparkplug B when the topic is in the spBv1.0/ namespace;
 * 3. detection that never guesses a binary format: JSON (an object or array
 *    that parses), else UTF-8 text, else hex.
 * MessagePack, CBOR, compressed and Protocol Buffers payloads are only ever
 * decoded as such because a rule or a person said so: binary formats have
 * no reliable signature, and a tool that sniffs them shows ordinary
 * payloads as garbage.
 *
 * Compressed decoders (gzip, zlib) decompress, then hand the bytes to the
 * rule's "then" decoder, or to detection when it has none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"
#include "antenna-enums.h"
#include "antenna-value.h"

G_BEGIN_DECLS

typedef struct _AntennaDecoder AntennaDecoder;
typedef struct _AntennaDecoded AntennaDecoded;

/* The budgets of one decode. 0 in a field: its preview default. */
typedef struct {
  gsize   max_bytes;    /* input bytes looked at; decompressed bytes made */
  guint   max_nodes;    /* values made */
  guint   max_depth;    /* containers inside containers */
  gint64  max_time_us;  /* monotonic time */
} AntennaDecodeLimits;

/* The defaults for what a view shows: 16 MiB, 200,000 values, depth 64,
 * 250 ms. */
#define ANTENNA_DECODE_DEFAULT_MAX_BYTES   (16 * 1024 * 1024)
#define ANTENNA_DECODE_DEFAULT_MAX_NODES   200000
#define ANTENNA_DECODE_DEFAULT_MAX_DEPTH   64
#define ANTENNA_DECODE_DEFAULT_MAX_TIME_US (250 * 1000)

/* Decoder ids. */
#define ANTENNA_DECODER_TEXT      "text"
#define ANTENNA_DECODER_JSON      "json"
#define ANTENNA_DECODER_HEX       "hex"
#define ANTENNA_DECODER_BASE64    "base64"
#define ANTENNA_DECODER_MSGPACK   "msgpack"
#define ANTENNA_DECODER_CBOR      "cbor"
#define ANTENNA_DECODER_GZIP      "gzip"
#define ANTENNA_DECODER_ZLIB      "zlib"
#define ANTENNA_DECODER_PROTOBUF  "protobuf"
#define ANTENNA_DECODER_SPARKPLUG "sparkplug"

/* Every decoder, in the order a menu shows them; NULL-terminated. */
const AntennaDecoder * const *antenna_decoder_list          (void);
/* (nullable) NULL for an unknown id. */
const AntennaDecoder *antenna_decoder_find                  (const char                *id);
const char           *antenna_decoder_get_id                (const AntennaDecoder      *decoder);
/* Translated: "MessagePack", "Protocol Buffers". */
const char           *antenna_decoder_get_name              (const AntennaDecoder      *decoder);
/* Whether the decoder decompresses and hands the bytes on (gzip, zlib). */
gboolean              antenna_decoder_is_compressed         (const AntennaDecoder      *decoder);

/* For the composer: whether the format can be written from JSON
 * (MessagePack, CBOR; JSON and text as typed). */
gboolean              antenna_decoder_can_encode            (const AntennaDecoder      *decoder);
/* JSON text → the format's bytes. Integers stay integers, numbers with a
 * fraction or exponent become doubles, strings UTF-8 strings (a date in a
 * string stays a string). ANTENNA_ERROR_INVALID_PAYLOAD naming line and
 * column for JSON that does not parse. */
GBytes               *antenna_decoder_encode_json           (const AntennaDecoder      *decoder,
                                                             const char                *json,
                                                             gssize                     length,
                                                             GError                   **error);

/* Which decoder @payload on @topic gets under @rules (a GListModel of
 * AntennaDecoderRule, nullable), and why; *@rule (nullable) is the rule
 * that matched (transfer none), NULL unless the reason is RULE. */
const AntennaDecoder *antenna_decoder_choose                (GListModel                *rules,
                                                             const char                *topic,
                                                             GBytes                    *payload,
                                                             AntennaDecoderReason      *reason,
                                                             AntennaDecoderRule       **rule);
/* The detection step alone (JSON, text, hex), on at most @max_bytes. */
const AntennaDecoder *antenna_decoder_detect                (GBytes                    *payload,
                                                             gsize                      max_bytes);
/* "Rule “plant/+/state”", "Sparkplug B topic", "Detected": why a message
 * is shown as it is, for the inspector. Translated. */
char                 *antenna_decoder_describe_reason       (AntennaDecoderReason       reason,
                                                             AntennaDecoderRule        *rule);

/* Decodes @payload with @decoder. @topic (nullable) and @message (nullable)
 * are for decoders that need them (Sparkplug); @rule (nullable) gives the
 * options; @context (nullable) the connection's schemas and Sparkplug state;
 * @limits (nullable) the budgets (NULL: defaults). NULL with
 * ANTENNA_ERROR_INVALID_PAYLOAD (the payload) or ANTENNA_SCHEMA_ERROR (a
 * schema that cannot be loaded) on failure. */
AntennaDecoded       *antenna_decoder_decode                (const AntennaDecoder      *decoder,
                                                             GBytes                    *payload,
                                                             const char                *topic,
                                                             AntennaMessage            *message,
                                                             AntennaDecoderRule        *rule,
                                                             AntennaDecoderContext     *context,
                                                             const AntennaDecodeLimits *limits,
                                                             GError                   **error);

/* The result of a decode. */
#define ANTENNA_TYPE_DECODED (antenna_decoded_get_type ())
GType                 antenna_decoded_get_type              (void) G_GNUC_CONST;
AntennaDecoded       *antenna_decoded_ref                   (AntennaDecoded            *decoded);
void                  antenna_decoded_unref                 (AntennaDecoded            *decoded);
/* (transfer none) The tree. */
AntennaValue         *antenna_decoded_get_value             (AntennaDecoded            *decoded);
/* The decoder that made the value (after decompression: the next one). */
const AntennaDecoder *antenna_decoded_get_decoder           (AntennaDecoded            *decoded);
/* "gzip → MessagePack", or the decoder's name alone. Translated. */
const char           *antenna_decoded_get_description       (AntennaDecoded            *decoded);
AntennaDecodedFlags   antenna_decoded_get_flags             (AntennaDecoded            *decoded);
/* The byte where a budget stopped decoding, G_MAXSIZE when none did. In the
 * bytes the last decoder saw (decompressed ones, after gzip). */
gsize                 antenna_decoded_get_stopped_at        (AntennaDecoded            *decoded);
/* Sentences for a person, in order: where decoding stopped, a Sparkplug seq
 * gap, a bdSeq mismatch, an alias without a birth. (transfer none) */
const char * const   *antenna_decoded_get_notes             (AntennaDecoded            *decoded);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaDecoded, antenna_decoded_unref)

G_END_DECLS
