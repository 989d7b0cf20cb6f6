/* antenna-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ANTENNA_TYPE_APPLICATION (antenna_application_get_type ())

G_DECLARE_FINAL_TYPE (AntennaApplication, antenna_application, ANTENNA, APPLICATION, AdwApplication)

AntennaApplication *antenna_application_new (void);

G_END_DECLS
