/* antenna-sparkplug-window.h: the Sparkplug B systems a connection sees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SPARKPLUG_WINDOW (antenna_sparkplug_window_get_type ())

G_DECLARE_FINAL_TYPE (AntennaSparkplugWindow, antenna_sparkplug_window, ANTENNA, SPARKPLUG_WINDOW, AdwWindow)

/* Groups → edge nodes → devices of @model (AntennaSparkplugModel), online
 * or offline, and the current metrics of the one selected, with units and
 * timestamps. "Request Rebirth" (sparkplug.request-rebirth) asks, naming the
 * edge node, then publishes its NCMD "Node Control/Rebirth" = true through
 * @client: the only thing Antenna ever publishes on spBv1.0/, and only on a
 * person's word. */
AntennaSparkplugWindow *antenna_sparkplug_window_new            (AntennaClient          *client,
                                                                 AntennaSparkplugModel  *model);
/* Selects the edge node (@device NULL) or device; FALSE when the model
 * has none such. */
gboolean                antenna_sparkplug_window_select         (AntennaSparkplugWindow *self,
                                                                 const char             *group,
                                                                 const char             *edge_node,
                                                                 const char             *device);
/* (transfer none) (nullable) */
AntennaSparkplugNode   *antenna_sparkplug_window_get_selected   (AntennaSparkplugWindow *self);
/* The rebirth request's confirmation on screen, NULL when none. (transfer none) */
AdwMessageDialog       *antenna_sparkplug_window_get_dialog     (AntennaSparkplugWindow *self);
/* The last rebirth's outcome, for a person: "Rebirth requested from …" or
 * the error; NULL before any. */
const char             *antenna_sparkplug_window_get_status     (AntennaSparkplugWindow *self);

G_END_DECLS
