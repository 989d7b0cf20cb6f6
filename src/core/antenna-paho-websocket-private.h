/* antenna-paho-websocket-private.h: every MQTT packet of a WebSocket frame read by Paho
 *
 * The wrappers of antenna-paho-wakeup.c and antenna-paho-readahead.c tell
 * this what Paho writes and reads on its sockets; poll() asks it which of
 * Paho's WebSockets may still hold packets in Paho's frame buffer. See
 * antenna-paho-websocket.c for why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <poll.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <glib.h>

G_BEGIN_DECLS

/* After a write of one of Paho's threads to @fd: the HTTP upgrade request
 * marks @fd a WebSocket. */
void     _antenna_paho_websocket_note_write (int                 fd,
                                             const struct iovec *iov,
                                             int                 n_iov);
/* After a recv() of one of Paho's threads on @fd that returned @rc. */
void     _antenna_paho_websocket_note_recv  (int                 fd,
                                             ssize_t             rc);
/* @fd was closed or connected anew: it is no WebSocket until marked again. */
void     _antenna_paho_websocket_forget_fd  (int                 fd);
/* For poll() on Paho's receive thread: when a WebSocket of @fds that waits
 * for POLLIN had data at its last recv(), sets the revents of @fds (POLLIN
 * on those, 0 on the others), *@n_ready, and returns TRUE: Paho may hold
 * packets of it in its frame buffer. FALSE otherwise (@fds untouched). */
gboolean _antenna_paho_websocket_poll       (struct pollfd      *fds,
                                             nfds_t              n_fds,
                                             int                *n_ready);

G_END_DECLS
