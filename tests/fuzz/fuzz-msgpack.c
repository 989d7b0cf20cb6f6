/* fuzz-msgpack.c: libFuzzer harness for the MessagePack decoder
 *
 * Input: one byte for the budgets (fuzz-decoder.h), then the payload.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-decoder.h"

FUZZ_DECODER_HARNESS (ANTENNA_DECODER_MSGPACK)
