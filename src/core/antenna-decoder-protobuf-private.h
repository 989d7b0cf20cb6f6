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

/* Writing the wire format: a varint; a field's tag (number and wire type:
 * 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
void          _antenna_protobuf_put_varint (GByteArray          *out,
                                            guint64              v);
void          _antenna_protobuf_put_tag    (GByteArray          *out,
                                            guint32              number,
                                            guint                wire_type);

G_END_DECLS
