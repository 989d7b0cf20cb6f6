/* antenna-frame-probe.h: what the GUI benchmark reads from inside the app
 *
 * Off unless the environment has ANTENNA_PROBE=<path>. Then the application
 * writes a small JSON report to <path> every 250 ms and on exit, with:
 * the time from main() to the main window's first painted frame, the frame
 * intervals (after-paint of the first window's frame clock: count, p50, p99,
 * max, over the period messages were arriving, since GTK paints only when
 * something changes),
 * the longest main-loop stall (AntennaStallProbe: a high-priority timer's
 * lateness), peak RSS (VmHWM), and per connection its state, whether its
 * subscriptions are all active, how many messages its client delivered
 * (::messages-received) with the real (wall-clock) time of the first and the last,
 * and what its page counted (topic tree and message log).
 *
 * Signals, for a script driving the app:
 *   SIGUSR1 starts a new measuring window: the stall maximum and the frame
 *           intervals are forgotten (the whole-run figures are kept apart);
 *   SIGUSR2 selects the newest message of the log of each connection page,
 *           which shows it in the inspector (as a click on it would);
 *   SIGHUP  saves the inspected payload to ANTENNA_PROBE_SAVE=<path>, as
 *           "Save Payload…" does once its file chooser has answered; the
 *           report says when (save_us) and when the file was complete
 *           (saved_us).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Call first thing in main(): the origin of the first-frame time. */
void     antenna_frame_probe_mark_main_start (void);
/* Starts the probe on @app when ANTENNA_PROBE is set. Returns whether it did. */
gboolean antenna_frame_probe_start_from_env  (GtkApplication *app);

G_END_DECLS
