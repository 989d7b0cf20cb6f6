/* antenna-preferences-window.h: the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-settings.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PREFERENCES_WINDOW (antenna_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPreferencesWindow, antenna_preferences_window, ANTENNA, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *antenna_preferences_window_new (GtkWindow       *parent,
                                           AntennaSettings *settings);

G_END_DECLS
