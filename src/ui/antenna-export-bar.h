/* antenna-export-bar.h: an export of messages under way: progress, Cancel, how it ended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-capture-export.h"
#include "antenna-capture-reader.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_EXPORT_BAR (antenna_export_bar_get_type ())

G_DECLARE_FINAL_TYPE (AntennaExportBar, antenna_export_bar, ANTENNA, EXPORT_BAR, GtkWidget)

/* Hidden until an export starts; then shows its progress and a Cancel
 * button, and at the end what was written or why not, with Close. One
 * export at a time: a start while one runs does nothing and returns FALSE.
 * Property: exporting. Signal: file-chosen (GFile *file, int format), after
 * antenna_export_bar_choose_file(): the owner starts the export. */
void        antenna_export_bar_choose_file     (AntennaExportBar          *self,
                                                const char                *suggested_name);
gboolean    antenna_export_bar_export_capture  (AntennaExportBar          *self,
                                                const char                *capture_path,
                                                const AntennaCaptureQuery *query,
                                                AntennaCaptureFormat       format,
                                                GFile                     *file);
gboolean    antenna_export_bar_export_messages (AntennaExportBar          *self,
                                                GPtrArray                 *messages,
                                                AntennaCaptureFormat       format,
                                                GFile                     *file);
gboolean    antenna_export_bar_get_exporting   (AntennaExportBar          *self);
/* The line shown: the progress, or how the last export ended. */
const char *antenna_export_bar_get_status      (AntennaExportBar          *self);
/* Hides a bar whose export has ended. */
void        antenna_export_bar_dismiss         (AntennaExportBar          *self);

G_END_DECLS
