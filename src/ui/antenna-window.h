/* antenna-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_WINDOW (antenna_window_get_type ())

G_DECLARE_FINAL_TYPE (AntennaWindow, antenna_window, ANTENNA, WINDOW, AdwApplicationWindow)

AntennaWindow *antenna_window_new                 (AdwApplication *application);
/* Opens a connection that is not saved (from a URL on the command line). */
void           antenna_window_open_temporary      (AntennaWindow  *self,
                                                   AntennaProfile *profile);

G_END_DECLS
