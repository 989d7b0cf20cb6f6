/* fuzz-protobuf.c: libFuzzer harness for the Protocol Buffers decoder
 *
 * Input: one byte for the budgets (fuzz-decoder.h), then the payload,
 * decoded as the wire format and as each message of a schema that has
 * every field type: scalars, enums, nested and recursive messages, maps,
 * packed and unpacked repeated fields, Timestamp.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-decoder.h"
#include "antenna-decoder-context.h"
#include "antenna-decoder-rule.h"

static const char schema_text[] =
  "syntax = \"proto3\";\n"
  "package f;\n"
  "import \"google/protobuf/timestamp.proto\";\n"
  "message All {\n"
  "  enum E { Z = 0; A = 1; B = -1; }\n"
  "  double d = 1; float f = 2; int64 i64 = 3; uint64 u64 = 4; int32 i32 = 5;\n"
  "  fixed64 f64 = 6; fixed32 f32 = 7; bool b = 8; string s = 9; bytes y = 10;\n"
  "  uint32 u32 = 11; sfixed32 sf32 = 12; sfixed64 sf64 = 13; sint32 si32 = 14; sint64 si64 = 15;\n"
  "  E e = 16; All child = 17; repeated All children = 18; repeated int32 packed = 19;\n"
  "  repeated double doubles = 20; map<string, All> by_name = 21; map<int64, E> by_number = 22;\n"
  "  google.protobuf.Timestamp t = 23; repeated string strings = 24;\n"
  "  oneof o { string os = 25; All om = 26; }\n"
  "}\n";

static AntennaDecoderContext *context;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(AntennaDecoderRule) rule = antenna_decoder_rule_new ("#", ANTENNA_DECODER_PROTOBUF);
  AntennaDecodeLimits limits;

  if (context == NULL)
    {
      g_autoptr(AntennaProtoSchema) schema = antenna_proto_schema_new_from_text ("fuzz.proto", schema_text, NULL);

      g_assert (schema != NULL);
      context = antenna_decoder_context_new (NULL);
      antenna_decoder_context_set_schema (context, schema);
    }

  if (size < 1)
    return 0;
  limits = fuzz_limits (data[0]);

  fuzz_decode (ANTENNA_DECODER_PROTOBUF, data + 1, size - 1, NULL, NULL, NULL, &limits);
  antenna_decoder_rule_set_message_type (rule, "f.All");
  fuzz_decode (ANTENNA_DECODER_PROTOBUF, data + 1, size - 1, NULL, rule, context, &limits);
  antenna_decoder_rule_set_message_type (rule, "google.protobuf.Timestamp");
  fuzz_decode (ANTENNA_DECODER_PROTOBUF, data + 1, size - 1, NULL, rule, context, &limits);
  return 0;
}
