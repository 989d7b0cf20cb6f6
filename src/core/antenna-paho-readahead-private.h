/* antenna-paho-readahead-private.h: Paho's socket reads served from a buffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See antenna-paho-readahead.c for why and how. The poll() wrapper of
 * antenna-paho-wakeup.c asks _antenna_paho_readahead_poll() first, which
 * also keeps this file in every program that uses the client; the rest is
 * for tests and benchmarks.
 */
#pragma once

#include <poll.h>

#include <glib.h>

G_BEGIN_DECLS

/* The size of a socket's read-ahead buffer: reads of at least this much go
 * to the socket directly. */
#define ANTENNA_PAHO_READAHEAD_SIZE (64 * 1024)

/* For poll() on Paho's receive thread: when a socket of @fds that waits for
 * POLLIN has read-ahead data, sets the revents of @fds as poll() would and
 * the number of ready entries into @n_ready, without waiting, and returns
 * TRUE. Returns FALSE when poll() should go on as it would have. */
gboolean _antenna_paho_readahead_poll           (struct pollfd *fds,
                                                 nfds_t         n_fds,
                                                 int           *n_ready);

/* Whether Paho's threads read ahead in this process: not when
 * ANTENNA_PAHO_READAHEAD=0. */
gboolean _antenna_paho_readahead_is_active      (void);

/* Whether the process's recv(), read() and close() are these wrappers. */
gboolean _antenna_paho_readahead_is_interposed  (void);

/* How many bytes of @fd's stream were read ahead and not taken yet. */
gsize    _antenna_paho_readahead_get_buffered   (int            fd);

G_END_DECLS
