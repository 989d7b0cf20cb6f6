/* fuzz-proto-schema.c: libFuzzer harness for Antenna's .proto reader
 *
 * Input: the text of a .proto file. What reads is listed, and a fixed
 * payload decoded as each of its messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-decoder.h"
#include "antenna-decoder-context.h"
#include "antenna-decoder-rule.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaProtoSchema) schema = antenna_proto_schema_new_from_text ("fuzz.proto", text, &error);
  g_autoptr(AntennaDecoderContext) context = NULL;
  g_auto(GStrv) names = NULL;
  static const uint8_t payload[] = {
    0x08, 0x96, 0x01, 0x12, 0x07, 0x0a, 0x05, 'h', 'e', 'l', 'l', 'o', 0x1d, 0x00, 0x00, 0xc0, 0x3f,
    0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x2a, 0x03, 0x01, 0x02, 0x03,
  };

  g_assert ((schema == NULL) != (error == NULL));
  if (error != NULL)
    {
      g_assert (error->domain == ANTENNA_SCHEMA_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  context = antenna_decoder_context_new (NULL);
  antenna_decoder_context_set_schema (context, schema);
  names = antenna_proto_schema_list_messages (schema);
  for (guint i = 0; names[i] != NULL && i < 16; i++)
    {
      g_autoptr(AntennaDecoderRule) rule = antenna_decoder_rule_new ("#", ANTENNA_DECODER_PROTOBUF);

      g_assert (antenna_proto_schema_has_message (schema, names[i]));
      antenna_decoder_rule_set_message_type (rule, names[i]);
      fuzz_decode (ANTENNA_DECODER_PROTOBUF, payload, sizeof payload, NULL, rule, context, NULL);
    }
  return 0;
}
