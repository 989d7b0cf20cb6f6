/* antenna-record-bar.h: recording a connection to a capture, and the bar
 * that says so
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_RECORD_BAR (antenna_record_bar_get_type ())

G_DECLARE_FINAL_TYPE (AntennaRecordBar, antenna_record_bar, ANTENNA, RECORD_BAR, AdwBin)

void         antenna_record_bar_set_client     (AntennaRecordBar *self,
                                                AntennaClient    *client);
gboolean     antenna_record_bar_get_recording  (AntennaRecordBar *self);
void         antenna_record_bar_set_recording  (AntennaRecordBar *self,
                                                gboolean          recording);
/* The capture being written (or the last one), or NULL. */
const char  *antenna_record_bar_get_path       (AntennaRecordBar *self);
/* Why the recording stopped, or NULL. */
const char  *antenna_record_bar_get_error      (AntennaRecordBar *self);
/* The default folder of captures: $XDG_DATA_HOME/antenna/captures. */
char        *antenna_record_bar_default_folder (void);

G_END_DECLS
