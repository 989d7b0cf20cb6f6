/* antenna-decoder-text.c: text, JSON, hex and Base64 as decoders
 *
 * The formats Antenna always had (antenna-payload.c), in the decoder layer:
 * text is a string (bad UTF-8 as U+FFFD, annotated), JSON its tree, hex
 * the bytes (a view lays them out with antenna_payload_format()), Base64
 * the text a person would copy. Each looks at no more than max_bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-decoder-private.h"
#include "antenna-payload.h"

/* The first bytes of @payload that the budget lets a decoder look at;
 * records the stop when that is not all of them. */
static const char *
bounded_data (AntennaDecodeJob *job,
              GBytes           *payload,
              gsize            *len)
{
  gsize size;
  const char *data = g_bytes_get_data (payload, &size);

  *len = MIN (size, job->limits.max_bytes);
  if (*len < size)
    _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_BYTES, *len, size);
  return data != NULL ? data : "";
}

static AntennaValue *
decode_text (const AntennaDecoder  *self,
             AntennaDecodeJob      *job,
             GBytes                *payload,
             GError               **error)
{
  gsize len;
  const char *data = bounded_data (job, payload, &len);

  /* A character cut in two by the limit is not an error of the payload. */
  if (len < g_bytes_get_size (payload))
    {
      const char *end = NULL;

      if (!g_utf8_validate_len (data, len, &end) && len - (gsize) (end - data) < 4)
        len = end - data;
    }

  return antenna_value_new_text (data, len, 0);
}

static AntennaValue *
value_from_json (AntennaDecodeJob *job,
                 JsonNode         *node,
                 guint             depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        AntennaValue *map = antenna_value_new_map ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (depth >= job->limits.max_depth)
          {
            _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_DEPTH, G_MAXSIZE, 0);
            antenna_value_set_incomplete (map, TRUE);
            return map;
          }

        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!_antenna_decode_job_take_node (job, G_MAXSIZE, 0))
              {
                antenna_value_set_incomplete (map, TRUE);
                break;
              }
            antenna_value_map_insert (map, name, value_from_json (job, member, depth + 1));
            if (job->stopped)
              {
                antenna_value_set_incomplete (map, TRUE);
                break;
              }
          }
        return map;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        AntennaValue *list = antenna_value_new_array ();
        guint n = json_array_get_length (array);

        if (depth >= job->limits.max_depth)
          {
            _antenna_decode_job_stop (job, ANTENNA_DECODE_STOP_DEPTH, G_MAXSIZE, 0);
            antenna_value_set_incomplete (list, TRUE);
            return list;
          }

        for (guint i = 0; i < n; i++)
          {
            if (!_antenna_decode_job_take_node (job, G_MAXSIZE, 0))
              {
                antenna_value_set_incomplete (list, TRUE);
                break;
              }
            antenna_value_array_append (list, value_from_json (job, json_array_get_element (array, i), depth + 1));
            if (job->stopped)
              {
                antenna_value_set_incomplete (list, TRUE);
                break;
              }
          }
        return list;
      }

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          return antenna_value_new_int (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return antenna_value_new_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return antenna_value_new_bool (json_node_get_boolean (node));
        case G_TYPE_STRING:
        default:
          return antenna_value_new_string (json_node_get_string (node), -1);
        }

    case JSON_NODE_NULL:
    default:
      return antenna_value_new_null ();
    }
}

static AntennaValue *
decode_json (const AntennaDecoder  *self,
             AntennaDecodeJob      *job,
             GBytes                *payload,
             GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  gsize size;
  const char *data = g_bytes_get_data (payload, &size);

  /* JSON cannot be parsed in part: past the limit, its start as text. */
  if (size > job->limits.max_bytes)
    {
      g_autofree char *size_text = g_format_size (size);
      g_autofree char *limit_text = g_format_size (job->limits.max_bytes);

      _antenna_decode_job_add_note (job, ANTENNA_DECODED_STOPPED,
                                    g_strdup_printf (_("The payload is too large to be shown as JSON (%s, more than %s); its start is shown as text."),
                                                     size_text, limit_text));
      return decode_text (&_antenna_decoder_text, job, payload, error);
    }

  root = antenna_payload_parse_json (data, size, error);
  if (root == NULL)
    return NULL;

  return value_from_json (job, root, 0);
}

static AntennaValue *
decode_hex (const AntennaDecoder  *self,
            AntennaDecodeJob      *job,
            GBytes                *payload,
            GError               **error)
{
  gsize len;

  bounded_data (job, payload, &len);
  if (len < g_bytes_get_size (payload))
    {
      g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (payload, 0, len);

      return antenna_value_new_bytes (prefix);
    }
  return antenna_value_new_bytes (payload);
}

static AntennaValue *
decode_base64 (const AntennaDecoder  *self,
               AntennaDecodeJob      *job,
               GBytes                *payload,
               GError               **error)
{
  gsize len;
  const char *data = bounded_data (job, payload, &len);
  g_autofree char *text = NULL;

  /* Whole 3-byte groups when cut, so that the text decodes. */
  if (len < g_bytes_get_size (payload))
    len -= len % 3;
  text = g_base64_encode ((const guchar *) data, len);
  return antenna_value_new_string (text, -1);
}

const AntennaDecoder _antenna_decoder_text = {
  .id = ANTENNA_DECODER_TEXT,
  .name = N_("Text"),
  .decode = decode_text,
};

const AntennaDecoder _antenna_decoder_json = {
  .id = ANTENNA_DECODER_JSON,
  .name = N_("JSON"),
  .decode = decode_json,
};

const AntennaDecoder _antenna_decoder_hex = {
  .id = ANTENNA_DECODER_HEX,
  .name = N_("Hex"),
  .decode = decode_hex,
};

const AntennaDecoder _antenna_decoder_base64 = {
  .id = ANTENNA_DECODER_BASE64,
  .name = N_("Base64"),
  .decode = decode_base64,
};
