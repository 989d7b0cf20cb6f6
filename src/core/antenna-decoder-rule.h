/* antenna-decoder-rule.h: one rule of a connection: topic filter → decoder
 *
 * Saved in the profile (antenna_profile_get_decoder_rules()). Options are
 * properties of their own, "" when not set:
 *   message-type  Protocol Buffers: the full name of the message
 *                 ("acme.sensors.Reading") in the connection's .proto files;
 *                 "" shows the wire format;
 *   then          gzip, zlib: the decoder for the decompressed bytes; ""
 *                 detects it (JSON, text, hex).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_DECODER_RULE (antenna_decoder_rule_get_type ())

G_DECLARE_FINAL_TYPE (AntennaDecoderRule, antenna_decoder_rule, ANTENNA, DECODER_RULE, GObject)

AntennaDecoderRule *antenna_decoder_rule_new              (const char         *filter,
                                                           const char         *decoder);
AntennaDecoderRule *antenna_decoder_rule_copy             (AntennaDecoderRule *self);
gboolean            antenna_decoder_rule_equal            (AntennaDecoderRule *a,
                                                           AntennaDecoderRule *b);
/* Whether the rule's filter matches @topic. */
gboolean            antenna_decoder_rule_matches          (AntennaDecoderRule *self,
                                                           const char         *topic);

const char         *antenna_decoder_rule_get_filter       (AntennaDecoderRule *self);
void                antenna_decoder_rule_set_filter       (AntennaDecoderRule *self,
                                                           const char         *filter);
const char         *antenna_decoder_rule_get_decoder      (AntennaDecoderRule *self);
void                antenna_decoder_rule_set_decoder      (AntennaDecoderRule *self,
                                                           const char         *decoder);
const char         *antenna_decoder_rule_get_message_type (AntennaDecoderRule *self);
void                antenna_decoder_rule_set_message_type (AntennaDecoderRule *self,
                                                           const char         *message_type);
const char         *antenna_decoder_rule_get_then         (AntennaDecoderRule *self);
void                antenna_decoder_rule_set_then         (AntennaDecoderRule *self,
                                                           const char         *then);

/* { "filter": …, "decoder": …, "message-type": …, "then": … } (empty
 * options left out). Reading checks the filter and that the decoders are
 * known: ANTENNA_ERROR_PROFILE_CORRUPT otherwise. */
JsonNode           *antenna_decoder_rule_to_json          (AntennaDecoderRule *self);
AntennaDecoderRule *antenna_decoder_rule_new_from_json    (JsonNode           *node,
                                                           GError            **error);

G_END_DECLS
