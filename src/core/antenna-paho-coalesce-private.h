/* antenna-paho-coalesce-private.h: Paho's acknowledgements written a batch at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See antenna-paho-coalesce.c for why and how. The wrappers of
 * antenna-paho-wakeup.c (poll, usleep, write, writev) and
 * antenna-paho-readahead.c (recv, close) call into it; the rest is for tests
 * and benchmarks.
 */
#pragma once

#include <sys/uio.h>

#include <glib.h>

G_BEGIN_DECLS

/* What a socket may hold back: a write that would not fit goes out with it. */
#define ANTENNA_PAHO_COALESCE_SIZE  4096
/* The largest write held back (a PUBACK is 4 bytes, 10 in a WebSocket frame;
 * an MQTT 5 one with a reason string more). */
#define ANTENNA_PAHO_COALESCE_SMALL 256

/* For a write of @total bytes (@iov) to @fd by one of Paho's threads, before
 * it reaches the socket: returns TRUE when it was dealt with here, with what
 * the write returns in @result (and errno set): held back, or written after
 * what @fd held back, or an error of an earlier write held back. FALSE: the
 * caller writes as it would have. */
gboolean _antenna_paho_coalesce_write         (int                 fd,
                                               const struct iovec *iov,
                                               int                 n_iov,
                                               gsize               total,
                                               ssize_t            *result);

/* Writes what @fd holds back, before a read of @fd goes to the socket (on
 * Paho's threads; one atomic load when nothing is). Returns 0, or the errno
 * of a write held back that failed (the caller reports it). */
int      _antenna_paho_coalesce_flush         (int                 fd);

/* Writes what every socket holds back, before Paho's receive thread waits
 * (poll(), usleep(), the bridge's backpressure). One thread-local load when
 * nothing is; nothing on another thread. */
void     _antenna_paho_coalesce_flush_all     (void);

/* @fd is being closed: Paho's threads write what it holds back first, any
 * other thread (a child process after fork() included) drops it. */
void     _antenna_paho_coalesce_close         (int                 fd);

/* Whether Paho's receive thread holds writes back in this process: not when
 * ANTENNA_PAHO_COALESCE=0 (nor when nothing is read ahead). */
gboolean _antenna_paho_coalesce_is_active     (void);

/* How many bytes written to @fd are held back. */
gsize    _antenna_paho_coalesce_get_held      (int                 fd);

/* How many writes were held back in this process, all sockets together. */
guint64  _antenna_paho_coalesce_get_n_held    (void);

G_END_DECLS
