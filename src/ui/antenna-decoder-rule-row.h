/* antenna-decoder-rule-row.h: one decoder rule of a profile, in its editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_DECODER_RULE_ROW (antenna_decoder_rule_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaDecoderRuleRow, antenna_decoder_rule_row, ANTENNA, DECODER_RULE_ROW, AdwActionRow)

/* The rule's filter as the title, its decoder in a drop-down and, for
 * Protocol Buffers, the message type in an entry, for gzip and zlib the
 * decoder of the decompressed bytes ("Detect" first): all edit the rule. The
 * remove button activates decoders.remove-rule (s: the filter).
 * Properties: rule (construct-only), error (a sentence shown as the
 * subtitle, in the error style; "" for none). */
GtkWidget          *antenna_decoder_rule_row_new       (AntennaDecoderRule    *rule);
AntennaDecoderRule *antenna_decoder_rule_row_get_rule  (AntennaDecoderRuleRow *self);
void                antenna_decoder_rule_row_set_error (AntennaDecoderRuleRow *self,
                                                        const char            *error);
const char         *antenna_decoder_rule_row_get_error (AntennaDecoderRuleRow *self);

G_END_DECLS
