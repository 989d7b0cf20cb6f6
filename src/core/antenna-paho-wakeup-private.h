/* antenna-paho-wakeup-private.h: Paho's receive thread woken when it has writing to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See antenna-paho-wakeup.c for why and how. AntennaClient's class_init
 * calls _antenna_paho_wakeup_init(), which also keeps the file in every
 * program that uses the client; the rest is for tests and benchmarks.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Resolves the wrapped libc functions and decides, once per process, whether
 * the wake-up is on: not when ANTENNA_PAHO_WAKEUP=0, nor when the Paho in
 * use has Antenna's patch (which fixes the same inside Paho). */
void     _antenna_paho_wakeup_init            (void);

/* Whether the wrappers act on Paho's threads in this process. */
gboolean _antenna_paho_wakeup_is_active       (void);

/* Whether the process's poll(), usleep(), connect(), write() and writev() are
 * these wrappers, i.e. what libpaho-mqtt3as's calls bind to: the executable
 * must export them (ld does when a shared library it links references them). */
gboolean _antenna_paho_wakeup_is_interposed   (void);

/* Whether a write of one of Paho's threads to @fd is unfinished (tracked
 * whether the wake-up is on or not): Paho reads no more of that socket until
 * it ends. */
gboolean _antenna_paho_wakeup_is_write_pending (int fd);

/* Whether @fd has neither a write pending nor a connect under way. */
gboolean _antenna_paho_wakeup_is_settled      (int fd);

/* Marks @fd's write pending, or no longer: for the writes that
 * antenna-paho-coalesce.c held back and the socket took only in part. */
void     _antenna_paho_wakeup_set_write_pending (int      fd,
                                                 gboolean pending);

/* Whether the receive thread's poll() for POLLOUT alone is answered without
 * a system call when no write is pending: not when ANTENNA_PAHO_POLLOUT=0. */
gboolean _antenna_paho_wakeup_answers_pollout (void);

/* @fd is being closed: what was noted about it (a write pending, a connect
 * under way) does not carry over to the next socket given its number. Any
 * thread; lock-free. */
void     _antenna_paho_wakeup_forget_fd       (int fd);

/* Whether the Paho library in use says it has Antenna's patch. */
gboolean _antenna_paho_wakeup_paho_is_patched (void);

G_END_DECLS
