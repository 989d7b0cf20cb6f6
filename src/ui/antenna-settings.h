/* antenna-settings.h: the application's settings as properties, bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SETTINGS (antenna_settings_get_type ())

G_DECLARE_FINAL_TYPE (AntennaSettings, antenna_settings, ANTENNA, SETTINGS, GObject)

/* Properties (each bound to the key of the same name in io.github.antennamqtt.Antenna):
 *   color-scheme (AdwColorScheme: default, force-light or force-dark),
 *   message-log-limit, topic-history-limit, topic-history-memory (MiB),
 *   payload-preview-size (guint),
 *   timestamp-format ("time", "time-ms", "date-time", "iso8601"),
 *   window-width, window-height (int), window-maximized (gboolean). */

AntennaSettings *antenna_settings_new                        (void);
AdwColorScheme   antenna_settings_get_color_scheme           (AntennaSettings *self);
void             antenna_settings_set_color_scheme           (AntennaSettings *self,
                                                              AdwColorScheme   scheme);
guint            antenna_settings_get_message_log_limit      (AntennaSettings *self);
guint            antenna_settings_get_topic_history_limit    (AntennaSettings *self);
guint            antenna_settings_get_payload_preview_size   (AntennaSettings *self);
const char      *antenna_settings_get_timestamp_format       (AntennaSettings *self);
/* @unix_usec (g_get_real_time() time) in the chosen format, in local time. */
char            *antenna_settings_format_timestamp           (AntennaSettings *self,
                                                              gint64           unix_usec);
void             antenna_settings_get_window_state           (AntennaSettings *self,
                                                              int             *width,
                                                              int             *height,
                                                              gboolean        *maximized);
void             antenna_settings_set_window_state           (AntennaSettings *self,
                                                              int              width,
                                                              int              height,
                                                              gboolean         maximized);
/* Whether the user accepted to send the password of @profile unencrypted to
 * its current host (asked once per profile and host). */
gboolean         antenna_settings_get_insecure_password_accepted (AntennaSettings *self,
                                                                  AntennaProfile  *profile);
void             antenna_settings_set_insecure_password_accepted (AntennaSettings *self,
                                                                  AntennaProfile  *profile,
                                                                  gboolean         accepted);
/* For the preferences: an action whose state is the value of @key (radio menu
 * items with a target set it). */
GAction         *antenna_settings_create_action              (AntennaSettings *self,
                                                              const char      *key);
/* Drops what is remembered about the profile @profile_id (when it is deleted). */
void             antenna_settings_forget_profile             (AntennaSettings *self,
                                                              const char      *profile_id);

G_END_DECLS
