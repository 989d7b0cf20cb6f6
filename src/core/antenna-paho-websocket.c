/* antenna-paho-websocket.c: every MQTT packet of a WebSocket frame read by Paho
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why. A WebSocket frame may carry several MQTT packets (MQTT 3.1.1 and 5,
 * section 6: "the receiver MUST NOT assume that MQTT Control Packets are
 * aligned on WebSocket frame boundaries"), and brokers that write their
 * packets in batches send them so: aedes behind the ws module does whenever
 * its socket is busy, e.g. the PUBACKs of a QoS 1 flood (9 of them in one
 * 38-byte frame, seen with strace), as EMQX does. Paho MQTT C 1.3.x
 * (Debian's 1.3.12, the Flatpak's 1.3.13) keeps the frame it read in a
 * buffer of its own (WebSocket.c, in_frames) and takes one MQTT packet from
 * it per turn of its receive thread; but it takes a turn only when poll()
 * says the socket is readable, and the rest of the frame is not in the
 * socket any more. So those packets wait for the next bytes the broker
 * sends: after a flood nothing comes, and the acknowledgements in the
 * buffer are never read. The load test's 500 QoS 1 messages over ws://
 * lost 8 to 484 of them this way (AntennaClient ended the connection after
 * 31 s of waiting), depending on how the broker happened to batch them.
 *
 * How. The receive thread's recv() of a WebSocket (marked when Paho writes
 * the HTTP upgrade request, "GET …", on it: an MQTT packet never starts
 * with 'G'), or read() under TLS, notes whether it returned data. While the
 * last one did, Paho may hold packets in its frame buffer, and the thread's
 * poll() for POLLIN reports the socket readable at once, as
 * antenna-paho-readahead.c does for what it read ahead. Paho then takes the
 * next packet from its buffer; when the buffer is empty it calls recv(),
 * which returns nothing (EAGAIN) and clears the mark, and the next poll()
 * waits in the kernel again. That costs one turn and one recv() more each
 * time the socket runs dry, on WebSockets only: plain TCP and TLS sockets
 * are never marked. Over TLS (wss) the upgrade request is seen in
 * SSL_write(), which this file wraps too (Paho calls libssl's, so it binds
 * to this one as its libc calls bind to the wrappers); Paho asks OpenSSL
 * first whether a record it decrypted is pending (SSL_pending()), so the
 * mark matters only once none is.
 *
 * Not covered: Paho's frame buffer being one for all connections of the
 * process (in_frames is a global). Packets left in it are read sooner
 * here, which only narrows that window.
 *
 * ANTENNA_PAHO_WEBSOCKET=0 turns it off (nothing is marked), for A/B runs:
 * tests/test-load-test.c's WebSocket floods then lose acknowledgements again.
 *
 * Like the other wrappers (antenna-paho-wakeup.c), nothing here may log,
 * allocate through GLib or take a GLib lock: it runs under Paho's recv(),
 * read(), poll() and writes. tests/test-load-test.c's
 * /antenna/load-test/websocket and websocket-tls are the floods that lost
 * messages; tests/check-paho-wakeup.sh checks that SSL_write is exported.
 */

#define G_LOG_DOMAIN "antenna-paho-websocket"
/* RTLD_NEXT */
#define _GNU_SOURCE

#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "antenna-paho-interpose-private.h"
#include "antenna-paho-websocket-private.h"

enum {
  FD_WEBSOCKET = 1 << 0,   /* Paho wrote an HTTP upgrade request on it */
  FD_READ_DATA = 1 << 1,   /* the last recv() of Paho on it returned data */
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static gboolean       active;
static guint8         fd_state[ANTENNA_PAHO_MAX_TRACKED_FD];   /* atomic */
/* How many sockets have FD_READ_DATA (atomic): poll()'s fast path. */
static int            n_read_data;

/* libssl's, found when first called: this file does not link libssl (the
 * SSL is opaque here). NULL when no libssl is loaded, when nobody can call
 * SSL_write() either. */
static pthread_once_t ssl_once = PTHREAD_ONCE_INIT;
static int (*next_ssl_write)  (void *, const void *, int);
static int (*next_ssl_get_fd) (const void *);

/* Paho's calls into libssl bind to this (see the head of the file). */
int SSL_write (void       *ssl,
               const void *buf,
               int         num);

static inline guint8
fd_get (int fd)
{
  if (fd < 0 || fd >= ANTENNA_PAHO_MAX_TRACKED_FD)
    return 0;
  return __atomic_load_n (&fd_state[fd], __ATOMIC_ACQUIRE);
}

/* Sets @fd's state to @state, keeping n_read_data in step. Only Paho's
 * receive thread reads its WebSockets; close() may race with nothing here,
 * as nobody reads a socket while it is closed. */
static void
fd_put (int    fd,
        guint8 state)
{
  guint8 before;

  if (fd < 0 || fd >= ANTENNA_PAHO_MAX_TRACKED_FD)
    return;
  before = __atomic_exchange_n (&fd_state[fd], state, __ATOMIC_ACQ_REL);
  if (!(before & FD_READ_DATA) && (state & FD_READ_DATA))
    __atomic_fetch_add (&n_read_data, 1, __ATOMIC_RELAXED);
  else if ((before & FD_READ_DATA) && !(state & FD_READ_DATA))
    __atomic_fetch_sub (&n_read_data, 1, __ATOMIC_RELAXED);
}

static void
init_once_func (void)
{
  const char *env = getenv ("ANTENNA_PAHO_WEBSOCKET");

  active = env == NULL || strcmp (env, "0") != 0;
}

/* Paho writes the upgrade request in one buffer, as the socket's first
 * write; the common case (a PUBLISH, a PUBACK) costs one comparison. Only
 * then is the environment read: a socket never marked costs nothing more. */
static gboolean
is_upgrade_request (const void *buf,
                    size_t      len)
{
  if G_LIKELY (len < 4 || memcmp (buf, "GET ", 4) != 0)
    return FALSE;
  pthread_once (&init_once, init_once_func);
  return active;
}

static void
ssl_init_once_func (void)
{
  next_ssl_write = dlsym (RTLD_NEXT, "SSL_write");
  next_ssl_get_fd = dlsym (RTLD_DEFAULT, "SSL_get_fd");
}

int
SSL_write (void       *ssl,
           const void *buf,
           int         num)
{
  pthread_once (&ssl_once, ssl_init_once_func);
  if G_UNLIKELY (next_ssl_write == NULL)
    return -1;

  if G_UNLIKELY (_antenna_paho_get_thread () != ANTENNA_PAHO_THREAD_OTHER &&
                 num > 0 && is_upgrade_request (buf, (size_t) num) && next_ssl_get_fd != NULL)
    fd_put (next_ssl_get_fd (ssl), FD_WEBSOCKET);
  return next_ssl_write (ssl, buf, num);
}

/* ---- Private API ------------------------------------------------------- */

void
_antenna_paho_websocket_note_write (int                 fd,
                                    const struct iovec *iov,
                                    int                 n_iov)
{
  if (n_iov < 1 || !is_upgrade_request (iov[0].iov_base, iov[0].iov_len))
    return;
  fd_put (fd, FD_WEBSOCKET);
}

void
_antenna_paho_websocket_note_recv (int     fd,
                                   ssize_t rc)
{
  guint8 state = fd_get (fd);

  if G_LIKELY (!(state & FD_WEBSOCKET))
    return;
  if (rc > 0 && !(state & FD_READ_DATA))
    fd_put (fd, state | FD_READ_DATA);
  else if (rc <= 0 && (state & FD_READ_DATA))
    fd_put (fd, state & ~FD_READ_DATA);
}

void
_antenna_paho_websocket_forget_fd (int fd)
{
  if G_UNLIKELY (fd_get (fd) != 0)
    fd_put (fd, 0);
}

static gboolean
may_hold_packets (int fd)
{
  return (fd_get (fd) & FD_READ_DATA) != 0;
}

gboolean
_antenna_paho_websocket_poll (struct pollfd *fds,
                              nfds_t         n_fds,
                              int           *n_ready)
{
  if G_LIKELY (__atomic_load_n (&n_read_data, __ATOMIC_RELAXED) == 0 ||
               _antenna_paho_get_thread () != ANTENNA_PAHO_THREAD_RECEIVE)
    return FALSE;

  /* A socket with a write pending is reported once that write is done. */
  return _antenna_paho_answer_poll (fds, n_fds, may_hold_packets, n_ready);
}
