/* antenna-template-row.h: one saved publish template in the templates popover
 *
 * The template's name (renamed in place: double-click or Enter) and its
 * topic, and a button to delete it.
 * Properties: template (the AntennaTemplate it shows).
 * Signals: delete (action template-row.delete, the button on the row);
 * rename (const char *name) → gboolean: the person typed a name; a handler
 * returns whether the template took it, else the row shows the old name again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-template-store.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TEMPLATE_ROW (antenna_template_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaTemplateRow, antenna_template_row, ANTENNA, TEMPLATE_ROW, GtkListBoxRow)

GtkWidget       *antenna_template_row_new          (AntennaTemplate    *template);
AntennaTemplate *antenna_template_row_get_template (AntennaTemplateRow *self);

G_END_DECLS
