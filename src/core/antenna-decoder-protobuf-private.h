/* antenna-decoder-protobuf-private.h: protobuf decoding for other decoders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-decoder-private.h"
#include "antenna-proto-schema.h"

G_BEGIN_DECLS

/* @payload as @message_type of @schema, or the wire view when
 * @message_type is NULL or "". Within @job's budgets. */
AntennaValue *_antenna_protobuf_decode (AntennaDecodeJob    *job,
                                        AntennaProtoSchema  *schema,
                                        const char          *message_type,
                                        GBytes              *payload,
                                        GError             **error);

G_END_DECLS
