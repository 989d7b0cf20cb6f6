/* antenna-properties-editor.h: the MQTT 5 properties of a message to publish
 *
 * Content type, payload format indicator, response topic, message expiry,
 * correlation data (typed as text, sent as its UTF-8 bytes) and user
 * properties (AntennaUserPropertyRow). The response topic is checked as
 * typed: the entry is marked and :response-topic-error says why.
 * Properties: response-topic (notified at every change), response-topic-error.
 * Signals: changed (any property edited, or all of them set).
 * Actions: properties-editor.add-user-property.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-message.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROPERTIES_EDITOR (antenna_properties_editor_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPropertiesEditor, antenna_properties_editor, ANTENNA, PROPERTIES_EDITOR, GtkGrid)

GtkWidget         *antenna_properties_editor_new                      (void);
/* What the editor holds; NULL when nothing is set. */
AntennaProperties *antenna_properties_editor_dup_properties           (AntennaPropertiesEditor *self);
/* Shows @properties (NULL: clears the editor). */
void               antenna_properties_editor_set_properties           (AntennaPropertiesEditor *self,
                                                                       AntennaProperties       *properties);
/* A row for a user property; with @name NULL, an empty row that takes the focus. */
void               antenna_properties_editor_add_user_property        (AntennaPropertiesEditor *self,
                                                                       const char              *name,
                                                                       const char              *value);
const char        *antenna_properties_editor_get_response_topic       (AntennaPropertiesEditor *self);
/* Why the typed response topic cannot be used, or NULL. */
const char        *antenna_properties_editor_get_response_topic_error (AntennaPropertiesEditor *self);

G_END_DECLS
