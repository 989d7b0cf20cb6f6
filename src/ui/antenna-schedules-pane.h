/* antenna-schedules-pane.h: the repeating publishes of a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SCHEDULES_PANE (antenna_schedules_pane_get_type ())

G_DECLARE_FINAL_TYPE (AntennaSchedulesPane, antenna_schedules_pane, ANTENNA, SCHEDULES_PANE, AdwBin)

/* Shows antenna_publish_schedule_list_for_client (@client); when the pane
 * goes (the connection page closes) it stops them and empties the list. */
GtkWidget *antenna_schedules_pane_new                (AntennaClient        *client);
/* Where the templates come from for the setting repeat-templates-autostart
 * (default: antenna_template_store_get_default(), read once connected):
 * with the setting on, the templates of this connection saved with a repeat
 * start when it is connected, once per pane. */
void       antenna_schedules_pane_set_template_store (AntennaSchedulesPane *self,
                                                      AntennaTemplateStore *store);

G_END_DECLS
