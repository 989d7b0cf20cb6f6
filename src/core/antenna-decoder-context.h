/* antenna-decoder-context.h: what decoding needs to know about a connection
 *
 * One per connection page (or CLI run): the profile's decoder rules and
 * .proto files (the schema is read on first use and again after the files
 * change), and the Sparkplug model, made when a view first asks for it.
 * antenna_decoder_context_decode_message() is what views call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-decoder.h"
#include "antenna-proto-schema.h"
#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_DECODER_CONTEXT (antenna_decoder_context_get_type ())

G_DECLARE_FINAL_TYPE (AntennaDecoderContext, antenna_decoder_context, ANTENNA, DECODER_CONTEXT, GObject)

/* @profile (nullable): no rules and no .proto files without one. */
AntennaDecoderContext *antenna_decoder_context_new            (AntennaProfile        *profile);
/* (transfer none) (nullable) */
AntennaProfile        *antenna_decoder_context_get_profile    (AntennaDecoderContext *self);
/* The profile's rules (GListModel of AntennaDecoderRule); an empty list
 * without a profile. (transfer none) */
GListModel            *antenna_decoder_context_get_rules      (AntennaDecoderContext *self);
/* The schema of the profile's .proto files (transfer none), or NULL with
 * the error that reading them gave (ANTENNA_SCHEMA_ERROR), the same until
 * the files change. */
AntennaProtoSchema    *antenna_decoder_context_get_schema     (AntennaDecoderContext *self,
                                                               GError               **error);
/* Uses @schema instead of the profile's files (the CLI, tests). */
void                   antenna_decoder_context_set_schema     (AntennaDecoderContext *self,
                                                               AntennaProtoSchema    *schema);
/* The connection's Sparkplug model, made on first call. (transfer none) */
AntennaSparkplugModel *antenna_decoder_context_get_sparkplug  (AntennaDecoderContext *self);
/* The same, NULL when no view asked for it. (transfer none) */
AntennaSparkplugModel *antenna_decoder_context_peek_sparkplug (AntennaDecoderContext *self);
/* Decodes @message: with @decoder and @rule's options when a person chose
 * them (both nullable), else with the rules and detection. *@reason
 * (nullable) says why. @limits NULL: the preview defaults. */
AntennaDecoded        *antenna_decoder_context_decode_message (AntennaDecoderContext *self,
                                                               AntennaMessage        *message,
                                                               const AntennaDecoder  *decoder,
                                                               AntennaDecoderRule    *rule,
                                                               const AntennaDecodeLimits *limits,
                                                               AntennaDecoderReason  *reason,
                                                               GError               **error);

/* For lists, filters and charts, which decode nothing unless the
 * connection says how (detection is theirs: antenna-payload.h).
 * The decoder a rule or the spBv1.0/ namespace gives @topic, NULL when
 * neither does; *@rule (nullable, transfer none) the rule. */
const AntennaDecoder  *antenna_decoder_context_claim          (AntennaDecoderContext  *self,
                                                               const char             *topic,
                                                               AntennaDecoderRule    **rule);
/* Bumped (and ::changed emitted) whenever the profile's settings change. */
guint                  antenna_decoder_context_get_generation (AntennaDecoderContext  *self);
/* @message decoded as claimed, within a row's budgets (64 KiB, 20 ms);
 * NULL when nothing claims it (no error) or when it does not decode. */
AntennaDecoded        *antenna_decoder_context_decode_for_view (AntennaDecoderContext *self,
                                                               AntennaMessage         *message,
                                                               GError                **error);
/* The one-line preview of a claimed message's value (antenna_value_dup_preview),
 * "⚠ " and the raw preview when it does not decode, the raw preview when
 * nothing claims it. Kept on the message until the settings change: a row
 * scrolled back into view costs nothing. */
char                  *antenna_decoder_context_dup_preview    (AntennaDecoderContext  *self,
                                                               AntennaMessage         *message,
                                                               guint                   max_chars);
/* What a payload text filter searches: the claimed message's value as
 * JSON; NULL when nothing claims it or it does not decode. */
char                  *antenna_decoder_context_dup_search_text (AntennaDecoderContext *self,
                                                               AntennaMessage         *message);

G_END_DECLS
