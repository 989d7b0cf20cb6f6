/* antenna-failure-banner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ANTENNA_TYPE_FAILURE_BANNER (antenna_failure_banner_get_type ())

G_DECLARE_FINAL_TYPE (AntennaFailureBanner, antenna_failure_banner, ANTENNA, FAILURE_BANNER, AdwBin)

/* Why the last connection attempt failed, kept in view until the next one,
 * with Edit Connection (a saved profile only) and Retry on @profile_id. */
void        antenna_failure_banner_show        (AntennaFailureBanner *self,
                                                const char           *message,
                                                const char           *profile_id,
                                                gboolean              editable);
void        antenna_failure_banner_hide        (AntennaFailureBanner *self);
/* The message shown, or NULL. */
const char *antenna_failure_banner_get_message (AntennaFailureBanner *self);

G_END_DECLS
