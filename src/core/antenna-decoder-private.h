/* antenna-decoder-private.h: what the decoders share
 *
 * A decoder is a table entry (struct _AntennaDecoder) with a decode
 * function that works within an AntennaDecodeJob: the budgets, the
 * options, the connection's context, and the result being filled (flags,
 * notes). antenna-decoder.c holds the registry, the choice and the job;
 * each format lives in a file of its own (antenna-decoder-<format>.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "antenna-decoder.h"
#include "antenna-error.h"

G_BEGIN_DECLS

typedef struct _AntennaDecodeJob AntennaDecodeJob;

struct _AntennaDecoder
{
  const char   *id;
  const char   *name;        /* marked with N_, translated when read */
  gboolean      compressed;
  /* A new value, or NULL with @error set. Within @job's budgets: where one
   * runs out, call _antenna_decode_job_stop() and return what was made. */
  AntennaValue *(*decode) (const AntennaDecoder  *self,
                           AntennaDecodeJob      *job,
                           GBytes                *payload,
                           GError               **error);
  /* For the composer, NULL when the format has none: JSON (checked by
   * antenna_payload_parse_json()) → the format's bytes. */
  GBytes       *(*encode_json) (JsonNode             *root,
                                GError              **error);
};

/* Why a decode stopped early. */
typedef enum {
  ANTENNA_DECODE_STOP_BYTES,
  ANTENNA_DECODE_STOP_NODES,
  ANTENNA_DECODE_STOP_DEPTH,
  ANTENNA_DECODE_STOP_TIME,
  ANTENNA_DECODE_STOP_DECOMPRESSED,
} AntennaDecodeStop;

struct _AntennaDecodeJob
{
  AntennaDecodeLimits     limits;      /* no zero fields */
  gint64                  deadline;    /* monotonic µs */
  guint                   nodes;
  gboolean                stopped;
  const char             *topic;       /* nullable */
  AntennaMessage         *message;     /* nullable */
  AntennaDecoderRule     *rule;        /* nullable */
  AntennaDecoderContext  *context;     /* nullable */
  AntennaDecoded         *result;
  guint                   hops;        /* decompressions so far */
  gboolean                cut;         /* the bytes are the start of more
                                        * (a decompression that stopped) */
};

/* A result to fill, and a job with @limits (NULL: the defaults; zero
 * fields take theirs) that fills it. */
AntennaDecoded *_antenna_decoded_new          (void);
void          _antenna_decode_job_init        (AntennaDecodeJob          *job,
                                               const AntennaDecodeLimits *limits,
                                               AntennaDecoded            *result);

/* Counts one value made. FALSE when the value or time budget is spent
 * (after calling _antenna_decode_job_stop() at @offset of @size). */
gboolean      _antenna_decode_job_take_node   (AntennaDecodeJob     *job,
                                               gsize                 offset,
                                               gsize                 size);
/* Records that decoding stopped at byte @offset of @size (the first stop
 * wins) and why; marks the result. */
void          _antenna_decode_job_stop        (AntennaDecodeJob     *job,
                                               AntennaDecodeStop     why,
                                               gsize                 offset,
                                               gsize                 size);
void          _antenna_decode_job_add_note    (AntennaDecodeJob     *job,
                                               AntennaDecodedFlags   flag,
                                               char                 *note);
/* Runs @decoder within @job (decompressors call this for the next one). */
AntennaValue *_antenna_decode_job_run         (AntennaDecodeJob     *job,
                                               const AntennaDecoder *decoder,
                                               GBytes               *payload,
                                               GError              **error);

/* Sets ANTENNA_ERROR_INVALID_PAYLOAD: "@format, byte @offset: @reason." */
void          _antenna_decode_set_error       (GError              **error,
                                               const char           *format_name,
                                               gsize                 offset,
                                               const char           *reason,
                                               ...) G_GNUC_PRINTF (4, 5);

/* What an encoder writes for each JSON value; maps get their keys as
 * strings, each followed by its value. */
typedef struct {
  void (*begin_map)   (gpointer out, guint n_members);
  void (*begin_array) (gpointer out, guint n_items);
  void (*string)      (gpointer out, const char *str, gsize length);
  void (*integer)     (gpointer out, gint64 v);
  void (*number)      (gpointer out, double v);
  void (*boolean)     (gpointer out, gboolean v);
  void (*null)        (gpointer out);
} AntennaJsonWriter;

/* Walks @node in document order (members in the order they were written)
 * and calls @writer for each value. */
void          _antenna_json_write             (JsonNode                  *node,
                                               const AntennaJsonWriter   *writer,
                                               gpointer                   out);

/* The decoders, each in its own file. */
extern const AntennaDecoder _antenna_decoder_text;
extern const AntennaDecoder _antenna_decoder_json;
extern const AntennaDecoder _antenna_decoder_hex;
extern const AntennaDecoder _antenna_decoder_base64;
extern const AntennaDecoder _antenna_decoder_msgpack;
extern const AntennaDecoder _antenna_decoder_cbor;
extern const AntennaDecoder _antenna_decoder_gzip;
extern const AntennaDecoder _antenna_decoder_zlib;
extern const AntennaDecoder _antenna_decoder_protobuf;
extern const AntennaDecoder _antenna_decoder_sparkplug;

G_END_DECLS
