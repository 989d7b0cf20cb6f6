/* antenna-capture-row.h: an open capture in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-capture-page.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_CAPTURE_ROW (antenna_capture_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaCaptureRow, antenna_capture_row, ANTENNA, CAPTURE_ROW, GtkListBoxRow)

/* The capture icon, the file's name, and a Close button (win.close-capture
 * with the file's path). */
GtkWidget          *antenna_capture_row_new      (AntennaCapturePage *page);
AntennaCapturePage *antenna_capture_row_get_page (AntennaCaptureRow  *self);

G_END_DECLS
