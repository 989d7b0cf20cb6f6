/* fuzz-msgpack.c: libFuzzer harness for the MessagePack decoder
 *
 * Input: one byte for the budgets (fuzz-decoder.h), then the payload.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-decoder.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  AntennaDecodeLimits limits;

  if (size < 1)
    return 0;
  limits = fuzz_limits (data[0]);
  fuzz_decode ("msgpack", data + 1, size - 1, NULL, NULL, NULL, &limits);
  return 0;
}
