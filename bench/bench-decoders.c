/* bench-decoders.c: how fast each payload decoder is, beside its library
 *
 * For each format, a 64-byte-class payload (one sensor record) and a 1 MiB
 * one (records in a list; for Sparkplug, metrics in one NDATA), decoded to
 * an AntennaValue whole (budgets raised past the payload: what a view that
 * shows everything pays), many times over. Beside them, in the same run,
 * what the library alone takes to parse the same bytes into its own tree:
 * msgpack_unpack_next(), cbor_load(), json-glib's parser. Then the cost the
 * Sparkplug model adds per message it follows, and per message it ignores.
 *
 * Reports MB/s (of the bytes decoded: a gzip payload's inflated JSON) and
 * messages/s, the median of --runs runs (CPU time of this thread, so that
 * other processes on a shared machine count less).
 *
 *   bench-decoders [--runs 5] [--seconds 0.3]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-bench-decoders"

#include "config.h"

#include <cbor.h>
#include <json-glib/json-glib.h>
#include <msgpack.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "antenna-decoder.h"
#include "antenna-decoder-context.h"
#include "antenna-decoder-protobuf-private.h"
#include "antenna-decoder-rule.h"
#include "antenna-message.h"
#include "antenna-proto-schema.h"
#include "antenna-sparkplug-model.h"

#define MiB (1024 * 1024)

static int n_runs = 5;
static double min_seconds = 0.3;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

typedef void (*Work) (gpointer data);

/* Messages per second of @work, the median of the runs. */
static double
measure (Work     work,
         gpointer data)
{
  g_autofree double *rates = g_new (double, n_runs);
  guint64 batch = 1;

  /* Reading the thread's CPU clock costs about as much as a small decode:
   * it is read once per batch of about a millisecond. */
  for (;;)
    {
      gint64 start = now_ns ();

      for (guint64 i = 0; i < batch; i++)
        work (data);
      if (now_ns () - start > 1000000 || batch > (G_GUINT64_CONSTANT (1) << 40))
        break;
      batch *= 2;
    }

  for (int run = 0; run < n_runs; run++)
    {
      gint64 start = now_ns ();
      gint64 elapsed;
      guint64 n = 0;

      do
        {
          for (guint64 i = 0; i < batch; i++)
            work (data);
          n += batch;
          elapsed = now_ns () - start;
        }
      while (elapsed < (gint64) (min_seconds * 1e9));
      rates[run] = n / (elapsed / 1e9);
    }

  qsort (rates, n_runs, sizeof (double), compare_doubles);
  return rates[n_runs / 2];
}

/* Payloads */

static const char record[] =
  "{\"device\":\"s7\",\"temp\":21.5,\"hum\":48,\"ok\":true,\"ts\":1700000000}";

static char *
json_records (gsize at_least)
{
  GString *out = g_string_new ("[");

  while (out->len < at_least)
    {
      if (out->len > 1)
        g_string_append_c (out, ',');
      g_string_append (out, record);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static void
put_len (GByteArray   *out,
         guint         field,
         const guint8 *data,
         gsize         len)
{
  _antenna_protobuf_put_tag (out, field, 2);
  _antenna_protobuf_put_varint (out, len);
  g_byte_array_append (out, data, len);
}

static void
put_double (GByteArray *out,
            guint       field,
            double      d)
{
  _antenna_protobuf_put_tag (out, field, 1);
  g_byte_array_append (out, (const guint8 *) &d, 8);
}

static void
put_varint_field (GByteArray *out,
                  guint       field,
                  guint64     v)
{
  _antenna_protobuf_put_tag (out, field, 0);
  _antenna_protobuf_put_varint (out, v);
}

static const char proto_schema[] =
  "syntax = \"proto3\"; package bench;\n"
  "message R { string device = 1; double temp = 2; int32 hum = 3; bool ok = 4; int64 ts = 5; }\n"
  "message Batch { repeated R records = 1; }\n";

static GByteArray *
proto_record (void)
{
  GByteArray *r = g_byte_array_new ();

  put_len (r, 1, (const guint8 *) "s7", 2);
  put_double (r, 2, 21.5);
  put_varint_field (r, 3, 48);
  put_varint_field (r, 4, 1);
  put_varint_field (r, 5, 1700000000);
  return r;
}

static GBytes *
proto_batch (gsize at_least)
{
  g_autoptr(GByteArray) r = proto_record ();
  GByteArray *out = g_byte_array_new ();

  while (out->len < at_least)
    put_len (out, 1, r->data, r->len);
  return g_byte_array_free_to_bytes (out);
}

/* NDATA: @n metrics by alias, Float. */
static GBytes *
sparkplug_ndata (guint n)
{
  GByteArray *out = g_byte_array_new ();

  put_varint_field (out, 1, G_GUINT64_CONSTANT (1700000000000));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GByteArray) m = g_byte_array_new ();
      float f = 21.5f + i;

      put_varint_field (m, 2, i % 64);
      put_varint_field (m, 3, G_GUINT64_CONSTANT (1700000000000));
      _antenna_protobuf_put_tag (m, 12, 5);
      g_byte_array_append (m, (const guint8 *) &f, 4);
      put_len (out, 2, m->data, m->len);
    }
  put_varint_field (out, 3, 1);
  return g_byte_array_free_to_bytes (out);
}

static GBytes *
gzip_bytes (GBytes *data)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  gsize size;
  const void *bytes = g_bytes_get_data (data, &size);

  g_output_stream_write_all (out, bytes, size, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* Work */

typedef struct {
  const AntennaDecoder  *decoder;
  GBytes                *payload;
  const char            *topic;
  AntennaDecoderRule    *rule;
  AntennaDecoderContext *context;
  AntennaDecodeLimits    limits;
} DecodeWork;

static void
decode_work (gpointer data)
{
  DecodeWork *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaDecoded) decoded = antenna_decoder_decode (w->decoder, w->payload, w->topic, NULL, w->rule,
                                                              w->context, &w->limits, &error);

  if (decoded == NULL)
    g_error ("%s: %s", antenna_decoder_get_id (w->decoder), error->message);
  if (antenna_decoded_get_flags (decoded) & ANTENNA_DECODED_STOPPED)
    g_error ("%s stopped: %s", antenna_decoder_get_id (w->decoder), antenna_decoded_get_notes (decoded)[0]);
}

static void
msgpack_work (gpointer data)
{
  GBytes *payload = data;
  msgpack_unpacked unpacked;
  size_t off = 0;
  gsize size;
  const char *bytes = g_bytes_get_data (payload, &size);

  msgpack_unpacked_init (&unpacked);
  if (msgpack_unpack_next (&unpacked, bytes, size, &off) != MSGPACK_UNPACK_SUCCESS)
    g_error ("msgpack_unpack_next failed");
  msgpack_unpacked_destroy (&unpacked);
}

static void
cbor_work (gpointer data)
{
  GBytes *payload = data;
  struct cbor_load_result result;
  gsize size;
  const guchar *bytes = g_bytes_get_data (payload, &size);
  cbor_item_t *item = cbor_load (bytes, size, &result);

  if (item == NULL)
    g_error ("cbor_load failed");
  cbor_decref (&item);
}

static void
json_work (gpointer data)
{
  GBytes *payload = data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size;
  const char *bytes = g_bytes_get_data (payload, &size);

  if (!json_parser_load_from_data (parser, bytes, (gssize) size, NULL))
    g_error ("json-glib failed");
}

typedef struct {
  AntennaSparkplugModel *model;
  AntennaMessage        *message;
} ModelWork;

static void
model_work (gpointer data)
{
  ModelWork *w = data;

  antenna_sparkplug_model_add_message (w->model, w->message);
}

static void
report (const char *format,
        const char *what,
        gsize       size,
        gsize       decoded_size,
        double      rate)
{
  printf ("%-22s %-30s %10" G_GSIZE_FORMAT " %12.0f %10.1f\n", format, what, size, rate, rate * decoded_size / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— the payload decoders' speed");
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs per case (the median is shown)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &min_seconds, "CPU seconds per run", "S" },
    { NULL }
  };
  g_autoptr(AntennaProtoSchema) schema = antenna_proto_schema_new_from_text ("bench.proto", proto_schema, NULL);
  g_autoptr(AntennaDecoderContext) context = antenna_decoder_context_new (NULL);
  g_autoptr(AntennaDecoderRule) batch_rule = antenna_decoder_rule_new ("#", ANTENNA_DECODER_PROTOBUF);
  g_autoptr(AntennaDecoderRule) record_rule = antenna_decoder_rule_new ("#", ANTENNA_DECODER_PROTOBUF);
  AntennaDecodeLimits full = { .max_bytes = 64 * MiB, .max_nodes = 100000000, .max_depth = 64,
                               .max_time_us = G_GINT64_CONSTANT (60000000) };
  const gsize sizes[] = { 0, MiB };
  const char *size_names[] = { "small", "1 MiB" };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_runs = MAX (n_runs, 1);

  antenna_decoder_context_set_schema (context, schema);
  antenna_decoder_rule_set_message_type (batch_rule, "bench.Batch");
  antenna_decoder_rule_set_message_type (record_rule, "bench.R");

  printf ("runs %d (median shown), %.2f CPU s each\n", n_runs, min_seconds);
  printf ("%-22s %-30s %10s %12s %10s\n", "format", "what", "bytes", "messages/s", "MB/s");

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *json_text = sizes[s] == 0 ? g_strdup (record) : json_records (sizes[s]);
      g_autoptr(GBytes) json = g_bytes_new (json_text, strlen (json_text));
      g_autoptr(GBytes) mp = antenna_decoder_encode_json (antenna_decoder_find (ANTENNA_DECODER_MSGPACK), json_text, -1, NULL);
      g_autoptr(GBytes) cb = antenna_decoder_encode_json (antenna_decoder_find (ANTENNA_DECODER_CBOR), json_text, -1, NULL);
      g_autoptr(GByteArray) one_record = proto_record ();
      g_autoptr(GBytes) pb = sizes[s] == 0 ? g_bytes_new (one_record->data, one_record->len) : proto_batch (sizes[s]);
      g_autoptr(GBytes) sp = sparkplug_ndata (sizes[s] == 0 ? 2 : (guint) (sizes[s] / 24));
      g_autoptr(GBytes) gz = gzip_bytes (json);
      struct {
        const char     *format;
        const char     *what;
        const char     *decoder;
        GBytes         *payload;
        AntennaDecoderRule *rule;
        const char     *topic;
        Work            library;
      } cases[] = {
        { "JSON", "Antenna (json decoder)", ANTENNA_DECODER_JSON, json, NULL, NULL, NULL },
        { "JSON", "json-glib parser alone", NULL, json, NULL, NULL, json_work },
        { "MessagePack", "Antenna (msgpack decoder)", ANTENNA_DECODER_MSGPACK, mp, NULL, NULL, NULL },
        { "MessagePack", "msgpack_unpack_next alone", NULL, mp, NULL, NULL, msgpack_work },
        { "CBOR", "Antenna (cbor decoder)", ANTENNA_DECODER_CBOR, cb, NULL, NULL, NULL },
        { "CBOR", "cbor_load alone", NULL, cb, NULL, NULL, cbor_work },
        { "Protocol Buffers", "Antenna, wire format", ANTENNA_DECODER_PROTOBUF, pb, NULL, NULL, NULL },
        { "Protocol Buffers", "Antenna, with a schema", ANTENNA_DECODER_PROTOBUF, pb,
          sizes[s] == 0 ? record_rule : batch_rule, NULL, NULL },
        { "Sparkplug B", "Antenna (NDATA)", ANTENNA_DECODER_SPARKPLUG, sp, NULL, "spBv1.0/g/NDATA/e", NULL },
        { "gzip + JSON", "Antenna (gzip, detection)", ANTENNA_DECODER_GZIP, gz, NULL, NULL, NULL },
      };

      printf ("-- %s payloads\n", size_names[s]);
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          double rate;

          if (cases[i].library != NULL)
            rate = measure (cases[i].library, cases[i].payload);
          else
            {
              DecodeWork w = { antenna_decoder_find (cases[i].decoder), cases[i].payload, cases[i].topic,
                               cases[i].rule, context, full };

              rate = measure (decode_work, &w);
            }
          /* MB/s of what was decoded: the JSON a gzip payload inflates to. */
          report (cases[i].format, cases[i].what, g_bytes_get_size (cases[i].payload),
                  g_bytes_get_size (cases[i].payload == gz ? json : cases[i].payload), rate);
        }
    }

  /* What the Sparkplug model costs per message it follows (an NDATA of
   * two metrics after a birth), and per message outside spBv1.0/. */
  {
    g_autoptr(AntennaSparkplugModel) model = antenna_sparkplug_model_new ();
    g_autoptr(GBytes) ndata = sparkplug_ndata (2);
    g_autoptr(GBytes) plain = g_bytes_new_static ("21.5", 4);
    g_autoptr(AntennaMessage) data = antenna_message_new ("spBv1.0/g/NDATA/e", ndata, 0, FALSE, FALSE,
                                                          ANTENNA_MESSAGE_RECEIVED, 0, NULL);
    g_autoptr(AntennaMessage) other = antenna_message_new ("plant/line1/temperature", plain, 0, FALSE, FALSE,
                                                           ANTENNA_MESSAGE_RECEIVED, 0, NULL);
    ModelWork sparkplug = { model, data };
    ModelWork ignored = { model, other };
    double rate;

    printf ("-- the Sparkplug model, per message\n");
    rate = measure (model_work, &sparkplug);
    printf ("%-22s %-30s %10" G_GSIZE_FORMAT " %12.0f %10s (%.0f ns/message)\n", "Sparkplug model",
            "an NDATA it follows", g_bytes_get_size (ndata), rate, "", 1e9 / rate);
    rate = measure (model_work, &ignored);
    printf ("%-22s %-30s %10d %12.0f %10s (%.0f ns/message)\n", "Sparkplug model",
            "a message outside spBv1.0/", 4, rate, "", 1e9 / rate);
  }

  return 0;
}
