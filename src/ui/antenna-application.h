/* antenna-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-settings.h"
#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_APPLICATION (antenna_application_get_type ())

G_DECLARE_FINAL_TYPE (AntennaApplication, antenna_application, ANTENNA, APPLICATION, AdwApplication)

AntennaApplication  *antenna_application_new                (void);
/* The saved profiles, loaded at startup and saved on every change. */
AntennaProfileStore *antenna_application_get_profile_store  (AntennaApplication *self);
AntennaSecretStore  *antenna_application_get_secret_store   (AntennaApplication *self);
AntennaSettings     *antenna_application_get_settings       (AntennaApplication *self);
void                 antenna_application_add_accels         (GtkApplication     *app);

G_END_DECLS
