/* fuzz-cbor.c: libFuzzer harness for the CBOR decoder
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
  fuzz_decode ("cbor", data + 1, size - 1, NULL, NULL, NULL, &limits);
  return 0;
}
