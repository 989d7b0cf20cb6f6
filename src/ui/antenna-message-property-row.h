/* antenna-message-property-row.h: one MQTT 5 property of a message, in the inspector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ANTENNA_TYPE_MESSAGE_PROPERTY_ROW (antenna_message_property_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaMessagePropertyRow, antenna_message_property_row, ANTENNA, MESSAGE_PROPERTY_ROW, AdwActionRow)

/* Properties: title (the property's name, as plain text, not markup) and
 * value (shown selectable, so that it can be copied). */
GtkWidget  *antenna_message_property_row_new       (const char                *title,
                                                    const char                *value);
const char *antenna_message_property_row_get_value (AntennaMessagePropertyRow *self);
void        antenna_message_property_row_set_value (AntennaMessagePropertyRow *self,
                                                    const char                *value);

G_END_DECLS
