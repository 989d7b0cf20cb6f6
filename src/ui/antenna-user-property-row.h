/* antenna-user-property-row.h: one MQTT 5 user property, a name and a value
 *
 * A row of the properties editor: two entries and a button to remove it.
 * Properties: name, value (what the entries hold). Signals: remove (the
 * person asked to remove the row, action user-property-row.remove; the
 * editor it is in removes it). Focusing the row focuses the name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-properties.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_USER_PROPERTY_ROW (antenna_user_property_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaUserPropertyRow, antenna_user_property_row, ANTENNA, USER_PROPERTY_ROW, GtkBox)

/* @name and @value may be NULL (empty). */
GtkWidget  *antenna_user_property_row_new       (const char             *name,
                                                 const char             *value);
const char *antenna_user_property_row_get_name  (AntennaUserPropertyRow *self);
const char *antenna_user_property_row_get_value (AntennaUserPropertyRow *self);
/* Adds the name and value of each row in @box (a box of these rows only), in
 * order, to @props; a row with both empty is left out. */
void        antenna_user_property_rows_collect  (GtkWidget              *box,
                                                 AntennaProperties      *props);

G_END_DECLS
