/* antenna-message-inspector.h: everything about one message, and its topic's history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"
#include "antenna-enums.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_MESSAGE_INSPECTOR (antenna_message_inspector_get_type ())

G_DECLARE_FINAL_TYPE (AntennaMessageInspector, antenna_message_inspector, ANTENNA, MESSAGE_INSPECTOR, AdwBin)

/* Properties: message (AntennaMessage or NULL), node (the AntennaTopicNode of
 * the message's topic, for its history, chart and diff; may be NULL),
 * format (AntennaPayloadFormat), preview-size (bytes shown at most; default
 * 1 MiB), busy (formatting in a thread).
 * Formatting runs in a GTask thread, so a huge payload never blocks the
 * main loop. Actions: inspector.copy-topic, inspector.save-payload. */
GtkWidget            *antenna_message_inspector_new              (void);
AntennaMessage       *antenna_message_inspector_get_message      (AntennaMessageInspector *self);
/* Shows @message; @node, when given, is its topic's node. */
void                  antenna_message_inspector_show             (AntennaMessageInspector *self,
                                                                  AntennaMessage          *message,
                                                                  AntennaTopicNode        *node);
/* Shows the last message of @node and follows it as new ones arrive. */
void                  antenna_message_inspector_show_node        (AntennaMessageInspector *self,
                                                                  AntennaTopicNode        *node);
AntennaTopicNode     *antenna_message_inspector_get_node         (AntennaMessageInspector *self);
AntennaPayloadFormat  antenna_message_inspector_get_format       (AntennaMessageInspector *self);
void                  antenna_message_inspector_set_format       (AntennaMessageInspector *self,
                                                                  AntennaPayloadFormat     format);
guint                 antenna_message_inspector_get_preview_size (AntennaMessageInspector *self);
void                  antenna_message_inspector_set_preview_size (AntennaMessageInspector *self,
                                                                  guint                    preview_size);
gboolean              antenna_message_inspector_get_busy         (AntennaMessageInspector *self);
/* Shows the tab @name: "payload", "decoded", "properties",
 * "history", "chart" or "diff". */
void                  antenna_message_inspector_show_view        (AntennaMessageInspector *self,
                                                                  const char              *name);
/* Writes the whole payload of the message shown to @file, off the main
 * thread, then says so in a toast (or shows the error): what
 * inspector.save-payload does once the file chooser has answered. */
void                  antenna_message_inspector_save_payload_to  (AntennaMessageInspector *self,
                                                                  GFile                   *file);
/* What is shown, for tests: the payload text, the format it was shown in
 * (AUTO resolved), the diff against the previous message. */
char                 *antenna_message_inspector_dup_payload_text (AntennaMessageInspector *self);
AntennaPayloadFormat  antenna_message_inspector_get_shown_format (AntennaMessageInspector *self);
char                 *antenna_message_inspector_dup_diff_text    (AntennaMessageInspector *self);
/* The MQTT 5 properties shown, as "name", "value" pairs: @user FALSE for
 * the standard ones, TRUE for the user properties. For tests. */
GPtrArray            *antenna_message_inspector_dup_properties   (AntennaMessageInspector *self,
                                                                  gboolean                 user);
/* Whether the payload shown is only the first preview-size bytes. */
gboolean              antenna_message_inspector_get_truncated    (AntennaMessageInspector *self);
GtkWidget            *antenna_message_inspector_get_chart        (AntennaMessageInspector *self);
/* The connection's decoding settings, for the "decoded" view (an
 * AntennaDecodedView, antenna-decoded-view.h). */
void                  antenna_message_inspector_set_decoder_context (AntennaMessageInspector *self,
                                                                  AntennaDecoderContext   *context);
GtkWidget            *antenna_message_inspector_get_decoded_view (AntennaMessageInspector *self);

G_END_DECLS
