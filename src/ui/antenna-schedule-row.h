/* antenna-schedule-row.h: one repeating publish in the connection's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-publish-schedule.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SCHEDULE_ROW (antenna_schedule_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaScheduleRow, antenna_schedule_row, ANTENNA, SCHEDULE_ROW, AdwActionRow)

/* Property: schedule. The row shows the topic, the interval, the count
 * sent, the rate, the failures and the last error, with pause/resume, stop
 * and remove (actions schedule.toggle-pause, schedule.stop, schedule.remove
 * of the row itself). */
GtkWidget              *antenna_schedule_row_new          (AntennaPublishSchedule *schedule);
AntennaPublishSchedule *antenna_schedule_row_get_schedule (AntennaScheduleRow     *self);

G_END_DECLS
