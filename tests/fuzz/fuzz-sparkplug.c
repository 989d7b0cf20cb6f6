/* fuzz-sparkplug.c: libFuzzer harness for the Sparkplug B decoder and model
 *
 * Input: one byte for the budgets (fuzz-decoder.h), one choosing the topic
 * (message type, node or device), then the payload. Each input is fed to
 * one model that lives across inputs, as messages of a connection are, and
 * decoded as that message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-decoder.h"
#include "antenna-decoder-context.h"
#include "antenna-message.h"
#include "antenna-sparkplug-model.h"

static const char * const topics[] = {
  "spBv1.0/g/NBIRTH/e", "spBv1.0/g/NDATA/e", "spBv1.0/g/NDEATH/e", "spBv1.0/g/NCMD/e",
  "spBv1.0/g/DBIRTH/e/d", "spBv1.0/g/DDATA/e/d", "spBv1.0/g/DDEATH/e/d", "spBv1.0/g/DCMD/e/d",
  "spBv1.0/STATE/host", "spBv1.0/g/NDATA/e2", "spBv1.0/bad", "other/topic",
};

static AntennaDecoderContext *context;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(AntennaMessage) message = NULL;
  g_autoptr(AntennaDecoded) decoded = NULL;
  g_autoptr(GError) error = NULL;
  AntennaDecodeLimits limits;
  const char *topic;

  if (context == NULL)
    context = antenna_decoder_context_new (NULL);

  if (size < 2)
    return 0;
  limits = fuzz_limits (data[0]);
  topic = topics[data[1] % G_N_ELEMENTS (topics)];
  payload = g_bytes_new (data + 2, size - 2);
  message = antenna_message_new (topic, payload, 0, FALSE, FALSE, ANTENNA_MESSAGE_RECEIVED, 0, NULL);

  antenna_sparkplug_model_add_message (antenna_decoder_context_get_sparkplug (context), message);
  decoded = antenna_decoder_context_decode_message (context, message, NULL, NULL, &limits, NULL, &error);
  fuzz_check (decoded, error, size - 2);
  return 0;
}
