/* antenna-stall-probe.h: how long the main loop stops answering
 *
 * A high-priority 10 ms timer on the default main context that records how
 * late it fires: the longest lateness is the longest time the main loop was
 * busy elsewhere (a stall). Used by the slow tests and the benchmarks; the app
 * starts one when ANTENNA_STALL_PROBE=1 and prints the maximum on exit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AntennaStallProbe AntennaStallProbe;

/* Starts probing the default main context. */
AntennaStallProbe *antenna_stall_probe_new             (void);
/* The largest lateness seen so far, in microseconds. */
gint64             antenna_stall_probe_get_max_stall   (AntennaStallProbe *self);
/* How many times the timer fired. */
guint64            antenna_stall_probe_get_n_ticks     (AntennaStallProbe *self);
/* Forgets the maximum so far (e.g. after start-up). */
void               antenna_stall_probe_reset           (AntennaStallProbe *self);
void               antenna_stall_probe_free            (AntennaStallProbe *self);
/* Starts a probe when the environment has ANTENNA_STALL_PROBE=1, and prints
 * "antenna: main loop max stall N ms" on stderr when the process exits
 * normally. Returns whether it started one. */
gboolean           antenna_stall_probe_start_from_env  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaStallProbe, antenna_stall_probe_free)

G_END_DECLS
