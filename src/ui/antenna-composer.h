/* antenna-composer.h: the composer, to publish messages on one connection
 *
 * Topic (validated as typed, completed from the topics seen), QoS, retain,
 * a payload typed as text, JSON, hex or Base64 or loaded from a file of up
 * to 256 MB, MQTT 5 properties (for MQTT 5 connections), the connection's
 * publish history and the profile's saved templates. The result of a publish
 * shows under it: "Sent", "Delivered", or why not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"
#include "antenna-enums.h"
#include "antenna-template-store.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_COMPOSER (antenna_composer_get_type ())

G_DECLARE_FINAL_TYPE (AntennaComposer, antenna_composer, ANTENNA, COMPOSER, AdwBin)

/* Signals: published (AntennaMessage): the message went out (QoS 0) or was
 * acknowledged (QoS 1 and 2), also when published from a window detached
 * from this composer.
 * Actions: composer.publish (Ctrl+Return), composer.retain (the switch;
 * stateful), composer.format-json, composer.load-file, composer.clear-file,
 * composer.queue-pending, composer.discard-pending, composer.save-template,
 * composer.detach, composer.add-user-property.
 * Properties: client, detachable, loading, retain, status (the line under
 * the composer). */
GtkWidget            *antenna_composer_new                (AntennaClient        *client);
AntennaClient        *antenna_composer_get_client         (AntennaComposer      *self);
/* Topics for completion; may be NULL. */
void                  antenna_composer_set_topic_tree     (AntennaComposer      *self,
                                                           AntennaTopicTree     *tree);
/* Where templates are kept; NULL: antenna_template_store_get_default(). */
void                  antenna_composer_set_template_store (AntennaComposer      *self,
                                                           AntennaTemplateStore *store);

void                  antenna_composer_set_topic          (AntennaComposer      *self,
                                                           const char           *topic);
const char           *antenna_composer_get_topic          (AntennaComposer      *self);
void                  antenna_composer_set_qos            (AntennaComposer      *self,
                                                           int                   qos);
void                  antenna_composer_set_retain         (AntennaComposer      *self,
                                                           gboolean              retain);
void                  antenna_composer_set_format         (AntennaComposer      *self,
                                                           AntennaPayloadFormat  format);
AntennaPayloadFormat  antenna_composer_get_format         (AntennaComposer      *self);
/* What JSON typed is sent as: "json" (as typed), "msgpack" or "cbor"
 * (antenna-decoder.h ids). Only while the format is JSON. */
void                  antenna_composer_set_send_as        (AntennaComposer      *self,
                                                           const char           *decoder);
const char           *antenna_composer_get_send_as        (AntennaComposer      *self);
/* The text in the editor, in the current format (replaces a loaded file). */
void                  antenna_composer_set_payload_text   (AntennaComposer      *self,
                                                           const char           *text);
char                 *antenna_composer_dup_payload_text   (AntennaComposer      *self);
/* The bytes that would go out, or NULL with why (hex, Base64 or JSON
 * that does not decode, with the position). */
GBytes               *antenna_composer_dup_payload        (AntennaComposer      *self,
                                                           GError              **error);
/* The MQTT 5 properties in the composer; NULL when none (or not MQTT 5). */
AntennaProperties    *antenna_composer_dup_properties     (AntennaComposer      *self);
void                  antenna_composer_set_properties     (AntennaComposer      *self,
                                                           AntennaProperties    *properties);
/* Reads @file as the payload, asynchronously; :loading while it does. */
void                  antenna_composer_load_file          (AntennaComposer      *self,
                                                           GFile                *file);
gboolean              antenna_composer_get_loading        (AntennaComposer      *self);
/* Puts the topic, QoS, retain, properties and payload of @message in the
 * composer (a history entry). */
void                  antenna_composer_apply_message      (AntennaComposer      *self,
                                                           AntennaMessage       *message);
void                  antenna_composer_apply_template     (AntennaComposer      *self,
                                                           AntennaTemplate      *template);
/* Saves the composer as the template @name of the connection's profile. */
AntennaTemplate      *antenna_composer_save_template      (AntennaComposer      *self,
                                                           const char           *name,
                                                           GError              **error);
/* Publishes @message again as it was. */
void                  antenna_composer_publish_again      (AntennaComposer      *self,
                                                           AntennaMessage       *message);
/* (transfer none) the connection's publish history. */
GListModel           *antenna_composer_get_history        (AntennaComposer      *self);
/* (transfer full) the profile's templates. */
GListModel           *antenna_composer_list_templates     (AntennaComposer      *self);
/* The line under the composer ("Sent", "Delivered" or why not); NULL: none. */
const char           *antenna_composer_get_status         (AntennaComposer      *self);
/* Why the topic cannot be published to, or NULL. */
const char           *antenna_composer_get_topic_error    (AntennaComposer      *self);
/* Why the typed payload does not decode, or NULL. */
const char           *antenna_composer_get_payload_error  (AntennaComposer      *self);
/* Whether the composer is asking whether to queue a message for later. */
gboolean              antenna_composer_get_offering_queue (AntennaComposer      *self);
/* Messages waiting in this composer for the connection. */
guint                 antenna_composer_get_n_pending      (AntennaComposer      *self);
/* A copy of the composer's contents in @other (for a detached window). */
void                  antenna_composer_copy_to            (AntennaComposer      *self,
                                                           AntennaComposer      *other);

/* The line under the payload: the next message with its placeholders
 * expanded, or why they do not parse; NULL when there are none. */
const char           *antenna_composer_get_preview        (AntennaComposer      *self);
/* The Repeat popover's fields: what composer.start-repeat uses. */
void                  antenna_composer_set_repeat         (AntennaComposer      *self,
                                                           guint                 interval_ms,
                                                           guint64               count,
                                                           guint                 jitter_ms);
/* Checks @file, a JSON Lines file of messages, and publishes them, with
 * progress, pause and cancel under the composer (composer.publish-batch
 * asks for the file). */
void                  antenna_composer_publish_batch      (AntennaComposer      *self,
                                                           GFile                *file);
/* The line of that batch: what it does, or how it ended. */
const char           *antenna_composer_get_batch_status   (AntennaComposer      *self);
/* Whether a template saved now carries the Repeat fields. */
void                  antenna_composer_set_save_repeat    (AntennaComposer      *self,
                                                           gboolean              save);

G_END_DECLS
