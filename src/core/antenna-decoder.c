/* antenna-decoder.c: the decoder registry, the choice of a decoder, and a
 * decode's budgets and result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-decoder-private.h"
#include "antenna-decoder-rule.h"
#include "antenna-payload.h"

/* gzip inside zlib inside gzip…: a payload is decompressed this many
 * times at most. */
#define MAX_HOPS 4

#define SPARKPLUG_NAMESPACE "spBv1.0/"

struct _AntennaDecoded
{
  gatomicrefcount        ref_count;
  AntennaValue          *value;
  const AntennaDecoder  *decoder;
  GPtrArray             *chain;       /* of const AntennaDecoder * */
  char                  *description;
  AntennaDecodedFlags    flags;
  gsize                  stopped_at;
  GPtrArray             *notes;       /* of char *, NULL-terminated */
};

G_DEFINE_BOXED_TYPE (AntennaDecoded, antenna_decoded, antenna_decoded_ref, antenna_decoded_unref)

static const AntennaDecoder * const decoders[] = {
  &_antenna_decoder_text,
  &_antenna_decoder_json,
  &_antenna_decoder_hex,
  &_antenna_decoder_base64,
  &_antenna_decoder_msgpack,
  &_antenna_decoder_cbor,
  &_antenna_decoder_protobuf,
  &_antenna_decoder_sparkplug,
  &_antenna_decoder_gzip,
  &_antenna_decoder_zlib,
  NULL
};

const AntennaDecoder * const *
antenna_decoder_list (void)
{
  return decoders;
}

const AntennaDecoder *
antenna_decoder_find (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; decoders[i] != NULL; i++)
    if (g_str_equal (decoders[i]->id, id))
      return decoders[i];
  return NULL;
}

const char *
antenna_decoder_get_id (const AntennaDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, NULL);

  return decoder->id;
}

const char *
antenna_decoder_get_name (const AntennaDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, NULL);

  return g_dgettext (GETTEXT_PACKAGE, decoder->name);
}

gboolean
antenna_decoder_is_compressed (const AntennaDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, FALSE);

  return decoder->compressed;
}

gboolean
antenna_decoder_can_encode (const AntennaDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, FALSE);

  return decoder->encode_json != NULL || decoder == &_antenna_decoder_json || decoder == &_antenna_decoder_text;
}

GBytes *
antenna_decoder_encode_json (const AntennaDecoder  *decoder,
                             const char            *json,
                             gssize                 length,
                             GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  gsize len;

  g_return_val_if_fail (decoder != NULL, NULL);
  g_return_val_if_fail (json != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (json == NULL)
    json = "";
  len = length < 0 ? strlen (json) : (gsize) length;

  if (decoder->encode_json == NULL)
    {
      if (decoder == &_antenna_decoder_json || decoder == &_antenna_decoder_text)
        return antenna_payload_decode (json, (gssize) len, decoder == &_antenna_decoder_json
                                       ? ANTENNA_PAYLOAD_FORMAT_JSON : ANTENNA_PAYLOAD_FORMAT_TEXT, error);
      /* Translators: %s is a format, "Protocol Buffers" */
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                   _("Antenna cannot write %s from JSON."), antenna_decoder_get_name (decoder));
      return NULL;
    }

  root = antenna_payload_parse_json (json, len, error);
  if (root == NULL)
    return NULL;
  return decoder->encode_json (root, error);
}

const AntennaDecoder *
antenna_decoder_detect (GBytes *payload,
                        gsize   max_bytes)
{
  g_return_val_if_fail (payload != NULL, &_antenna_decoder_hex);

  switch (antenna_payload_detect (payload, max_bytes))
    {
    case ANTENNA_PAYLOAD_FORMAT_JSON:
      return &_antenna_decoder_json;
    case ANTENNA_PAYLOAD_FORMAT_TEXT:
      return &_antenna_decoder_text;
    case ANTENNA_PAYLOAD_FORMAT_AUTO:
    case ANTENNA_PAYLOAD_FORMAT_HEX:
    case ANTENNA_PAYLOAD_FORMAT_BASE64:
    default:
      return &_antenna_decoder_hex;
    }
}

const AntennaDecoder *
antenna_decoder_choose (GListModel            *rules,
                        const char            *topic,
                        GBytes                *payload,
                        AntennaDecoderReason  *reason,
                        AntennaDecoderRule   **rule)
{
  AntennaDecoderReason dummy_reason;

  g_return_val_if_fail (rules == NULL || G_IS_LIST_MODEL (rules), NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  if (reason == NULL)
    reason = &dummy_reason;
  if (rule != NULL)
    *rule = NULL;

  if (rules != NULL && topic != NULL)
    {
      guint n = g_list_model_get_n_items (rules);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AntennaDecoderRule) r = g_list_model_get_item (rules, i);
          const AntennaDecoder *decoder;

          if (!antenna_decoder_rule_matches (r, topic))
            continue;
          /* A decoder of a newer Antenna: as if the rule were not there. */
          decoder = antenna_decoder_find (antenna_decoder_rule_get_decoder (r));
          if (decoder == NULL)
            continue;

          *reason = ANTENNA_DECODER_REASON_RULE;
          if (rule != NULL)
            *rule = r;
          return decoder;
        }
    }

  if (topic != NULL && g_str_has_prefix (topic, SPARKPLUG_NAMESPACE))
    {
      *reason = ANTENNA_DECODER_REASON_NAMESPACE;
      return &_antenna_decoder_sparkplug;
    }

  *reason = ANTENNA_DECODER_REASON_DETECTED;
  return antenna_decoder_detect (payload, ANTENNA_DECODE_DEFAULT_MAX_BYTES);
}

char *
antenna_decoder_describe_reason (AntennaDecoderReason  reason,
                                 AntennaDecoderRule   *rule)
{
  switch (reason)
    {
    case ANTENNA_DECODER_REASON_RULE:
      if (rule != NULL)
        /* Translators: %s is a topic filter, e.g. plant/+/state */
        return g_strdup_printf (_("Rule for “%s”"), antenna_decoder_rule_get_filter (rule));
      return g_strdup (_("Rule"));
    case ANTENNA_DECODER_REASON_NAMESPACE:
      return g_strdup (_("Sparkplug B topic"));
    case ANTENNA_DECODER_REASON_CHOSEN:
      return g_strdup (_("Chosen"));
    case ANTENNA_DECODER_REASON_DETECTED:
    default:
      return g_strdup (_("Detected"));
    }
}

/* Jobs and their budgets */

gboolean
_antenna_decode_job_take_node (AntennaDecodeJob *job,
                               gsize             offset,
                               gsize             size)
{
  if (job->stopped)
    return FALSE;

  if (++job->nodes > job->limits.max_nodes)
    {
      _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_NODES, offset, size);
      return FALSE;
    }

  /* The clock costs more than a value: look at it now and then. */
  if ((job->nodes & 1023) == 0 && g_get_monotonic_time () > job->deadline)
    {
      _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_TIME, offset, size);
      return FALSE;
    }

  return TRUE;
}

void
_antenna_decode_job_add_note (AntennaDecodeJob    *job,
                              AntennaDecodedFlags  flag,
                              char                *note)
{
  AntennaDecoded *result = job->result;

  result->flags |= flag;
  /* Before the NULL that ends the array. */
  g_ptr_array_insert (result->notes, (int) result->notes->len - 1, note);
}

void
_antenna_decode_job_stop (AntennaDecodeJob  *job,
                          AntennaDecodeStop  why,
                          gsize              offset,
                          gsize              size)
{
  g_autofree char *size_text = g_format_size (size);
  char *note;

  if (job->stopped)
    return;

  job->stopped = TRUE;
  job->result->stopped_at = offset;

  switch (why)
    {
    case ANTENNA_DECODE_STOP_BYTES:
      /* Translators: "Shown up to byte 16777216 of 300 MB: …" */
      note = g_strdup_printf (_("Shown up to byte %zu of %s: the rest is past the preview limit."),
                              offset, size_text);
      break;
    case ANTENNA_DECODE_STOP_NODES:
      if (offset == G_MAXSIZE)
        note = g_strdup_printf (_("Stopped after %u values, the preview limit."), job->limits.max_nodes);
      else
        note = g_strdup_printf (_("Stopped at byte %zu of %s: more than %u values, the preview limit."),
                                offset, size_text, job->limits.max_nodes);
      break;
    case ANTENNA_DECODE_STOP_DEPTH:
      if (offset == G_MAXSIZE)
        note = g_strdup_printf (_("Stopped where the values nest deeper than %u levels."), job->limits.max_depth);
      else
        note = g_strdup_printf (_("Stopped at byte %zu of %s: nested deeper than %u levels."),
                                offset, size_text, job->limits.max_depth);
      break;
    case ANTENNA_DECODE_STOP_TIME:
      if (offset == G_MAXSIZE)
        note = g_strdup_printf (_("Stopped: decoding took longer than %u ms."),
                                (guint) (job->limits.max_time_us / 1000));
      else
        note = g_strdup_printf (_("Stopped at byte %zu of %s: decoding took longer than %u ms."),
                                offset, size_text, (guint) (job->limits.max_time_us / 1000));
      break;
    case ANTENNA_DECODE_STOP_DECOMPRESSED:
    default:
      {
        g_autofree char *limit_text = g_format_size (job->limits.max_bytes);

        /* Translators: %s is a size, "16.8 MB" */
        note = g_strdup_printf (_("Decompressed the first %s and stopped there, the preview limit: the payload expands further."),
                                limit_text);
      }
      break;
    }

  _antenna_decode_job_add_note (job, ANTENNA_DECODED_STOPPED, note);
}

AntennaValue *
_antenna_decode_job_run (AntennaDecodeJob      *job,
                         const AntennaDecoder  *decoder,
                         GBytes                *payload,
                         GError               **error)
{
  if (decoder->compressed && job->hops++ >= MAX_HOPS)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                   _("The payload is compressed more than %u times over."), MAX_HOPS);
      return NULL;
    }

  g_ptr_array_add (job->result->chain, (gpointer) decoder);
  job->result->decoder = decoder;
  return decoder->decode (decoder, job, payload, error);
}

void
_antenna_decode_set_error (GError     **error,
                           const char  *format_name,
                           gsize        offset,
                           const char  *reason,
                           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, reason);
  text = g_strdup_vprintf (reason, args);
  va_end (args);

  /* Translators: "MessagePack, byte 17: a string of 4294967295 bytes, but 12 bytes remain." */
  g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
               _("%s, byte %zu: %s."), format_name, offset, text);
}

/* Encoders */

void
_antenna_json_write (JsonNode                *node,
                     const AntennaJsonWriter *writer,
                     gpointer                 out)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        writer->begin_map (out, json_object_get_size (object));
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            writer->string (out, name, strlen (name));
            _antenna_json_write (member, writer, out);
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        writer->begin_array (out, n);
        for (guint i = 0; i < n; i++)
          _antenna_json_write (json_array_get_element (array, i), writer, out);
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          writer->integer (out, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          writer->number (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          writer->boolean (out, json_node_get_boolean (node));
          break;
        case G_TYPE_STRING:
        default:
          writer->string (out, json_node_get_string (node), strlen (json_node_get_string (node)));
          break;
        }
      break;
    case JSON_NODE_NULL:
    default:
      writer->null (out);
      break;
    }
}

/* Results */

AntennaDecoded *
antenna_decoded_ref (AntennaDecoded *decoded)
{
  g_return_val_if_fail (decoded != NULL, NULL);

  g_atomic_ref_count_inc (&decoded->ref_count);
  return decoded;
}

void
antenna_decoded_unref (AntennaDecoded *decoded)
{
  g_return_if_fail (decoded != NULL);

  if (!g_atomic_ref_count_dec (&decoded->ref_count))
    return;

  g_clear_pointer (&decoded->value, antenna_value_unref);
  g_ptr_array_unref (decoded->chain);
  g_ptr_array_unref (decoded->notes);
  g_free (decoded->description);
  g_free (decoded);
}

AntennaValue *
antenna_decoded_get_value (AntennaDecoded *decoded)
{
  g_return_val_if_fail (decoded != NULL, NULL);

  return decoded->value;
}

const AntennaDecoder *
antenna_decoded_get_decoder (AntennaDecoded *decoded)
{
  g_return_val_if_fail (decoded != NULL, NULL);

  return decoded->decoder;
}

const char *
antenna_decoded_get_description (AntennaDecoded *decoded)
{
  g_return_val_if_fail (decoded != NULL, NULL);

  return decoded->description;
}

AntennaDecodedFlags
antenna_decoded_get_flags (AntennaDecoded *decoded)
{
  g_return_val_if_fail (decoded != NULL, ANTENNA_DECODED_NONE);

  return decoded->flags;
}

gsize
antenna_decoded_get_stopped_at (AntennaDecoded *decoded)
{
  g_return_val_if_fail (decoded != NULL, G_MAXSIZE);

  return decoded->stopped_at;
}

const char * const *
antenna_decoded_get_notes (AntennaDecoded *decoded)
{
  g_return_val_if_fail (decoded != NULL, NULL);

  return (const char * const *) decoded->notes->pdata;
}

AntennaDecoded *
_antenna_decoded_new (void)
{
  AntennaDecoded *result = g_new0 (AntennaDecoded, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->chain = g_ptr_array_new ();
  result->notes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (result->notes, NULL);
  result->stopped_at = G_MAXSIZE;
  return result;
}

void
_antenna_decode_job_init (AntennaDecodeJob          *job,
                          const AntennaDecodeLimits *limits,
                          AntennaDecoded            *result)
{
  memset (job, 0, sizeof *job);
  if (limits != NULL)
    job->limits = *limits;
  if (job->limits.max_bytes == 0)
    job->limits.max_bytes = ANTENNA_DECODE_DEFAULT_MAX_BYTES;
  if (job->limits.max_nodes == 0)
    job->limits.max_nodes = ANTENNA_DECODE_DEFAULT_MAX_NODES;
  if (job->limits.max_depth == 0)
    job->limits.max_depth = ANTENNA_DECODE_DEFAULT_MAX_DEPTH;
  if (job->limits.max_time_us == 0)
    job->limits.max_time_us = ANTENNA_DECODE_DEFAULT_MAX_TIME_US;
  job->deadline = g_get_monotonic_time () + job->limits.max_time_us;
  job->result = result;
}

AntennaDecoded *
antenna_decoder_decode (const AntennaDecoder       *decoder,
                        GBytes                     *payload,
                        const char                 *topic,
                        AntennaMessage             *message,
                        AntennaDecoderRule         *rule,
                        AntennaDecoderContext      *context,
                        const AntennaDecodeLimits  *limits,
                        GError                    **error)
{
  g_autoptr(AntennaDecoded) result = NULL;
  AntennaDecodeJob job;
  GString *description;

  g_return_val_if_fail (decoder != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result = _antenna_decoded_new ();
  _antenna_decode_job_init (&job, limits, result);
  job.topic = topic;
  job.message = message;
  job.rule = rule;
  job.context = context;

  result->value = _antenna_decode_job_run (&job, decoder, payload, error);
  if (result->value == NULL)
    return NULL;

  description = g_string_new (NULL);
  for (guint i = 0; i < result->chain->len; i++)
    {
      if (i > 0)
        g_string_append (description, " → ");
      g_string_append (description, antenna_decoder_get_name (g_ptr_array_index (result->chain, i)));
    }
  result->description = g_string_free (description, FALSE);

  return g_steal_pointer (&result);
}
