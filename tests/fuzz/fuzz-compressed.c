/* fuzz-compressed.c: libFuzzer harness for the gzip and zlib decoders
 *
 * Input: one byte for the budgets (fuzz-decoder.h; its low bit picks gzip
 * or zlib), then the compressed payload, decoded and handed to detection
 * or, for one input in four, to MessagePack.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-decoder.h"
#include "antenna-decoder-rule.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(AntennaDecoderRule) rule = NULL;
  AntennaDecodeLimits limits;
  const char *id;

  if (size < 1)
    return 0;
  limits = fuzz_limits (data[0]);
  id = (data[0] & 1) ? ANTENNA_DECODER_GZIP : ANTENNA_DECODER_ZLIB;
  rule = antenna_decoder_rule_new ("#", id);
  if ((data[0] & 6) == 6)
    antenna_decoder_rule_set_then (rule, ANTENNA_DECODER_MSGPACK);
  fuzz_decode (id, data + 1, size - 1, NULL, rule, NULL, &limits);
  return 0;
}
