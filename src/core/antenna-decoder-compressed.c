/* antenna-decoder-compressed.c: gzip and zlib, then the next decoder
 *
 * GIO's GZlibDecompressor inflates at most max_bytes (the preview limit):
 * a decompression bomb stops there, with a note, and what came out is
 * handed on — to the rule's "then" decoder, or to detection (JSON, text,
 * hex) — marked as the start of more, so that the next decoder stops
 * where it ends instead of calling the payload truncated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-decoder-private.h"
#include "antenna-decoder-rule.h"

#define CHUNK (64 * 1024)

static AntennaValue *
decompress (const AntennaDecoder     *self,
            AntennaDecodeJob         *job,
            GBytes                   *payload,
            GZlibCompressorFormat     format,
            GError                  **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (format);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GBytes) inflated = NULL;
  const AntennaDecoder *next = NULL;
  gsize size;
  const guchar *in = g_bytes_get_data (payload, &size);
  gsize in_pos = 0;
  gboolean finished = FALSE;
  gboolean cut = FALSE;

  if (in == NULL)
    in = (const guchar *) "";

  while (!finished)
    {
      g_autoptr(GError) local_error = NULL;
      gsize room = MIN ((gsize) CHUNK, job->limits.max_bytes - out->len);
      gsize old_len = out->len;
      gsize read = 0, written = 0;
      GConverterResult res;

      if (room == 0)
        {
          cut = TRUE;
          break;
        }

      g_byte_array_set_size (out, old_len + room);
      res = g_converter_convert (G_CONVERTER (decompressor), in + in_pos, size - in_pos,
                                 out->data + old_len, room,
                                 G_CONVERTER_INPUT_AT_END, &read, &written, &local_error);
      g_byte_array_set_size (out, old_len + written);

      if (res == G_CONVERTER_ERROR)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            _antenna_decode_set_error (error, antenna_decoder_get_name (self), size,
                                       _("the compressed data ends early"));
          else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              /* Less room left than zlib needs to go on: the limit. */
              cut = TRUE;
              break;
            }
          else
            _antenna_decode_set_error (error, antenna_decoder_get_name (self), in_pos,
                                       _("the compressed data is corrupt (%s)"), local_error->message);
          return NULL;
        }

      in_pos += read;
      finished = res == G_CONVERTER_FINISHED;

      if (!finished && read == 0 && written == 0)
        {
          _antenna_decode_set_error (error, antenna_decoder_get_name (self), size,
                                     _("the compressed data ends early"));
          return NULL;
        }

      if (g_get_monotonic_time () > job->deadline)
        {
          _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_TIME, in_pos, size);
          cut = TRUE;
          break;
        }
    }

  if (cut && !job->stopped)
    _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_DECOMPRESSED, out->len, size);

  inflated = g_byte_array_free_to_bytes (g_steal_pointer (&out));

  if (job->rule != NULL && antenna_decoder_rule_get_then (job->rule)[0] != '\0')
    next = antenna_decoder_find (antenna_decoder_rule_get_then (job->rule));
  if (next == NULL)
    next = antenna_decoder_detect (inflated, job->limits.max_bytes);

  /* The next decoder has its own budgets of values and time, not of
   * bytes: those were spent here. */
  job->cut = cut;
  job->stopped = FALSE;
  {
    AntennaValue *value = _antenna_decode_job_run (job, next, inflated, error);

    job->stopped = job->stopped || cut;
    return value;
  }
}

static AntennaValue *
decode_gzip (const AntennaDecoder  *self,
             AntennaDecodeJob      *job,
             GBytes                *payload,
             GError               **error)
{
  return decompress (self, job, payload, G_ZLIB_COMPRESSOR_FORMAT_GZIP, error);
}

static AntennaValue *
decode_zlib (const AntennaDecoder  *self,
             AntennaDecodeJob      *job,
             GBytes                *payload,
             GError               **error)
{
  return decompress (self, job, payload, G_ZLIB_COMPRESSOR_FORMAT_ZLIB, error);
}

const AntennaDecoder _antenna_decoder_gzip = {
  .id = ANTENNA_DECODER_GZIP,
  .name = N_("gzip"),
  .compressed = TRUE,
  .decode = decode_gzip,
};

const AntennaDecoder _antenna_decoder_zlib = {
  .id = ANTENNA_DECODER_ZLIB,
  .name = N_("zlib"),
  .compressed = TRUE,
  .decode = decode_zlib,
};
