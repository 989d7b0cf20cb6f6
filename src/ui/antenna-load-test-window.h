/* antenna-load-test-window.h: the load test of a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_LOAD_TEST_WINDOW (antenna_load_test_window_get_type ())

G_DECLARE_FINAL_TYPE (AntennaLoadTestWindow, antenna_load_test_window, ANTENNA, LOAD_TEST_WINDOW, AdwWindow)

/* Runs AntennaLoadTest (antenna-load-test.h) on @client, plus extra
 * connections of the same profile when asked (each with its own client id,
 * connected with the password given or none), and shows the achieved rate
 * as a chart and a summary that can be copied. */
GtkWidget  *antenna_load_test_window_new         (AntennaClient         *client,
                                                  const char            *password);
/* For tests: set the fields, start, read the summary. */
void        antenna_load_test_window_set_options (AntennaLoadTestWindow *self,
                                                  guint64                count,
                                                  guint                  topics,
                                                  guint                  payload_size,
                                                  int                    qos,
                                                  guint                  connections,
                                                  gboolean               measure_latency);
const char *antenna_load_test_window_get_summary (AntennaLoadTestWindow *self);
gboolean    antenna_load_test_window_get_running (AntennaLoadTestWindow *self);

G_END_DECLS
