/* antenna-profile-row.h: a connection in the sidebar, with its live state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_ROW (antenna_profile_row_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfileRow, antenna_profile_row, ANTENNA, PROFILE_ROW, GtkListBoxRow)

/* @temporary: a connection opened from a URL, not saved: its menu offers Save. */
GtkWidget          *antenna_profile_row_new            (AntennaProfile    *profile,
                                                        gboolean           temporary);
AntennaProfile     *antenna_profile_row_get_profile    (AntennaProfileRow *self);
gboolean            antenna_profile_row_get_temporary  (AntennaProfileRow *self);
/* The live connection of the profile, or NULL while it has none. */
AntennaClient      *antenna_profile_row_get_client     (AntennaProfileRow *self);
void                antenna_profile_row_set_client     (AntennaProfileRow *self,
                                                        AntennaClient     *client);
AntennaClientState  antenna_profile_row_get_state      (AntennaProfileRow *self);

void                antenna_profile_row_set_failure   (AntennaProfileRow *self,
                                                       const char        *message);
const char         *antenna_profile_row_get_failure   (AntennaProfileRow *self);

G_END_DECLS
