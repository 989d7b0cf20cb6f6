/* antenna-decoded-view.h: a message's payload through a decoder, as a tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_DECODED_VIEW (antenna_decoded_view_get_type ())

G_DECLARE_FINAL_TYPE (AntennaDecodedView, antenna_decoded_view, ANTENNA, DECODED_VIEW, AdwBin)

/* Shows :message decoded with the connection's rules (:context, an
 * AntennaDecoderContext), or with the decoder a person picks in its
 * drop-down ("Automatic" first), as an expandable tree; a payload that
 * does not decode shows the error (with its byte) and the raw bytes in hex.
 * "Use for This Topic" and "Use for Filter…" add a rule to the profile of
 * the context. Decoding runs in a thread, and only while the view is
 * mapped: nothing is decoded for a message nobody looks at.
 * Properties: message, context, decoder (the id picked, "" for automatic),
 * message-type (Protocol Buffers, "" for the wire format), busy. */
GtkWidget      *antenna_decoded_view_new                (void);
void            antenna_decoded_view_set_message        (AntennaDecodedView    *self,
                                                         AntennaMessage        *message);
void            antenna_decoded_view_set_context        (AntennaDecodedView    *self,
                                                         AntennaDecoderContext *context);
/* "" or NULL: automatic. */
void            antenna_decoded_view_set_decoder        (AntennaDecodedView    *self,
                                                         const char            *decoder);
const char     *antenna_decoded_view_get_decoder        (AntennaDecodedView    *self);
void            antenna_decoded_view_set_message_type   (AntennaDecodedView    *self,
                                                         const char            *message_type);
gboolean        antenna_decoded_view_get_busy           (AntennaDecodedView    *self);
/* Adds the rule "@filter → the decoder shown" to the profile (the same
 * filter's rule is replaced); what the two buttons do. FALSE with a
 * message in a toast when @filter is not a valid filter. */
gboolean        antenna_decoded_view_add_rule           (AntennaDecodedView    *self,
                                                         const char            *filter);
/* For tests: the id of the decoder that made what is shown (NULL while
 * nothing is), the decoded value as JSON (NULL on error), the error shown
 * (NULL when none) and the hex of the raw bytes shown beside it. */
const char     *antenna_decoded_view_get_shown_decoder  (AntennaDecodedView    *self);
char           *antenna_decoded_view_dup_json           (AntennaDecodedView    *self);
const char     *antenna_decoded_view_get_error          (AntennaDecodedView    *self);
char           *antenna_decoded_view_dup_raw_text       (AntennaDecodedView    *self);
/* (transfer none) The list view of the tree, and the label that says which
 * decoder was used and why. */
GtkWidget      *antenna_decoded_view_get_list_view      (AntennaDecodedView    *self);
GtkWidget      *antenna_decoded_view_get_reason_label   (AntennaDecodedView    *self);

G_END_DECLS
