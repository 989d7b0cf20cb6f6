/* fuzz-decoder.h: what every decoder harness checks
 *
 * Each harness takes its first byte for the budgets (so that small value,
 * depth and byte limits are reached and stops are exercised), decodes the
 * rest, and checks the contract of antenna-decoder.h: a value or an error,
 * never both; errors in UTF-8 and in Antenna's domains; the JSON rendering
 * parses; the preview is one line of at most its width; a stop is inside
 * the payload and says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

#include "antenna-decoder.h"
#include "antenna-error.h"
#include "antenna-proto-schema.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static inline AntennaDecodeLimits
fuzz_limits (uint8_t b)
{
  AntennaDecodeLimits limits = { 0 };

  /* Half the inputs with the defaults, half with tight budgets. */
  if (b & 0x80)
    {
      limits.max_nodes = 1 + (b & 0x1f) * 8;
      limits.max_depth = 1 + ((b >> 5) & 0x3) * 4;
      limits.max_bytes = 16 + (b & 0x0f) * 64;
    }
  return limits;
}

static inline void
fuzz_check_value (AntennaValue *value)
{
  g_autofree char *json = antenna_value_to_json (value, FALSE);
  g_autofree char *pretty = antenna_value_to_json (value, TRUE);
  g_autofree char *preview = antenna_value_dup_preview (value, 60);
  g_autofree char *display = antenna_value_dup_display (value);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert (g_utf8_validate (json, -1, NULL));
  g_assert (json_parser_load_from_data (parser, json, -1, NULL));
  g_assert (json_parser_load_from_data (parser, pretty, -1, NULL));
  g_assert (g_utf8_validate (preview, -1, NULL));
  g_assert (g_utf8_strlen (preview, -1) <= 60);
  g_assert (strchr (preview, '\n') == NULL);
  g_assert (g_utf8_validate (display, -1, NULL));
}

static inline void
fuzz_check (AntennaDecoded *decoded,
            GError         *error,
            gsize           size)
{
  g_assert ((decoded == NULL) != (error == NULL));

  if (error != NULL)
    {
      g_assert (error->domain == ANTENNA_ERROR || error->domain == ANTENNA_SCHEMA_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  fuzz_check_value (antenna_decoded_get_value (decoded));
  if (antenna_decoded_get_flags (decoded) & ANTENNA_DECODED_STOPPED)
    g_assert (antenna_decoded_get_notes (decoded)[0] != NULL);
  for (const char * const *note = antenna_decoded_get_notes (decoded); *note != NULL; note++)
    g_assert (g_utf8_validate (*note, -1, NULL));
}

/* Decodes @data with the decoder @id within @limits, and checks. */
static inline void
fuzz_decode (const char                *id,
             const uint8_t             *data,
             size_t                     size,
             const char                *topic,
             AntennaDecoderRule        *rule,
             AntennaDecoderContext     *context,
             const AntennaDecodeLimits *limits)
{
  g_autoptr(GBytes) payload = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaDecoded) decoded = antenna_decoder_decode (antenna_decoder_find (id), payload, topic, NULL,
                                                              rule, context, limits, &error);

  fuzz_check (decoded, error, size);
}

/* A harness that decodes all but the budget byte with the decoder @id. */
#define FUZZ_DECODER_HARNESS(id) \
  int \
  LLVMFuzzerTestOneInput (const uint8_t *data, \
                          size_t         size) \
  { \
    AntennaDecodeLimits limits; \
    \
    if (size < 1) \
      return 0; \
    limits = fuzz_limits (data[0]); \
    fuzz_decode ((id), data + 1, size - 1, NULL, NULL, NULL, &limits); \
    return 0; \
  }
