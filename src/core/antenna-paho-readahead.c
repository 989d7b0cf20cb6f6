/* antenna-paho-readahead.c: Paho's socket reads served from a buffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why. Eclipse Paho MQTT C 1.3.x (MQTTAsync, poll() builds: Debian's and the
 * Flatpak's) reads one packet per turn of its receive thread, and each packet
 * with system calls of its own: recv() of the fixed header's first byte, one
 * recv() per byte of the remaining length, one recv() of the rest, and a
 * poll() for POLLIN before the next turn (plus a poll() for POLLOUT with no
 * timeout, which Paho's flow control needs). Under a flood of small
 * messages that is five system calls a message, and the receive thread is
 * what limits a subscriber (bench/README.md, "Where the time goes" and
 * "antenna-cli sub: output and Paho").
 *
 * How. This file defines recv(), read() and close(); linked into the
 * executable, they are what libpaho-mqtt3as's calls to libc bind to (as the
 * wrappers of antenna-paho-wakeup.c are). On Paho's two threads only (named
 * "MQTTAsync_rcv" and "MQTTAsync_send"):
 *   - recv() of less than ANTENNA_PAHO_READAHEAD_SIZE on a socket takes up to
 *     that much from the socket into a buffer of its own, and serves this
 *     and the following reads from it: hundreds of small packets a recv();
 *     a larger read goes to the socket directly, after what is buffered;
 *   - the receive thread's poll() (antenna-paho-wakeup.c calls
 *     _antenna_paho_readahead_poll() first) reports the sockets with
 *     buffered data as readable at once, without a system call, so Paho
 *     takes the next packet as if the kernel had it; the other sockets are
 *     polled again when those buffers run dry;
 *   - read() of a socket with buffered data takes the buffered data first,
 *     so a stream stays in order whichever call reads it. TLS reads with
 *     read() (OpenSSL's socket BIO), which is not read ahead: TLS records
 *     already carry many packets, and Paho asks OpenSSL, not poll(), whether
 *     one is pending. WebSockets over TCP read with recv() and are read ahead;
 *   - close() drops what a socket's buffer holds, so a later socket with the
 *     same number starts empty;
 *   - a read that goes to the socket itself first writes what the receive
 *     thread held back of its writes to it (antenna-paho-coalesce.c holds a
 *     PUBACK back while this buffer has data): the broker may be waiting for
 *     those before it sends more.
 * A socket with a pending write (antenna-paho-wakeup.c tracks them) is not
 * reported readable early: Paho reads nothing there before the write ends,
 * and the wake-up's poll() waits for POLLOUT instead.
 *
 * Where it stays out of the way.
 *   - Every other thread pays one cached thread-local check per recv(),
 *     read() and close() (antenna-paho-interpose.c), and poll() one relaxed
 *     load of a counter while no buffer holds data.
 *   - ANTENNA_PAHO_READAHEAD=0 in the environment turns it off, for A/B runs.
 *     Unlike the wake-up it is on for a Paho with Antenna's patch too: the
 *     patch changes nothing in how Paho reads.
 *   - Nothing here may log, allocate through GLib or take a GLib lock: the
 *     wrappers run under every read() and close() of the process.
 * tests/test-paho-readahead.c tests the mechanism on sockets, and thousands
 * of messages through AntennaClient over TCP, TLS and WebSocket;
 * tests/check-paho-wakeup.sh that the app exports the wrappers.
 */

#define G_LOG_DOMAIN "antenna-paho-readahead"
/* RTLD_NEXT */
#define _GNU_SOURCE

#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "antenna-paho-coalesce-private.h"
#include "antenna-paho-interpose-private.h"
#include "antenna-paho-readahead-private.h"
#include "antenna-paho-websocket-private.h"
#include "antenna-paho-wakeup-private.h"

/* One socket's data read ahead: data[start, start + available). Paho's
 * threads take turns under Paho's own mutex; the lock keeps them apart
 * should they not, and costs nothing uncontended. */
typedef struct
{
  pthread_mutex_t lock;
  gsize           start;
  gsize           available;   /* atomic: poll() reads it without the lock */
  char            data[ANTENNA_PAHO_READAHEAD_SIZE];
} ReadAhead;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static gboolean       initialized;   /* atomic: the wrappers' fast path */
static gboolean       active;
/* Created on a socket's first read ahead, kept for the process's life (a
 * socket number is reused): atomic pointers. */
static ReadAhead     *buffers[ANTENNA_PAHO_MAX_TRACKED_FD];
/* How many buffers hold data (atomic): poll()'s fast path. */
static int            n_buffered;

static ssize_t (*next_recv)  (int, void *, size_t, int);
static ssize_t (*next_read)  (int, void *, size_t);
static int     (*next_close) (int);

/* ---- Set-up ------------------------------------------------------------ */

/* For when dlsym() has no next definition (a static link). */
static ssize_t
syscall_recv (int     fd,
              void   *buf,
              size_t  len,
              int     flags)
{
  return syscall (SYS_recvfrom, fd, buf, len, flags, NULL, NULL);
}

static ssize_t
syscall_read (int     fd,
              void   *buf,
              size_t  count)
{
  return syscall (SYS_read, fd, buf, count);
}

static int
syscall_close (int fd)
{
  return (int) syscall (SYS_close, fd);
}

static void
init_once_func (void)
{
  const char *env = getenv ("ANTENNA_PAHO_READAHEAD");

  ANTENNA_PAHO_RESOLVE (recv);
  ANTENNA_PAHO_RESOLVE (read);
  ANTENNA_PAHO_RESOLVE (close);

  active = env == NULL || strcmp (env, "0") != 0;
  __atomic_store_n (&initialized, TRUE, __ATOMIC_RELEASE);
}

static inline void
ensure_init (void)
{
  if G_UNLIKELY (!__atomic_load_n (&initialized, __ATOMIC_ACQUIRE))
    pthread_once (&init_once, init_once_func);
}

/* Whether this call reads ahead: on Paho's threads, when it is on. */
static inline gboolean
reads_ahead (void)
{
  ensure_init ();
  return active && _antenna_paho_get_thread () != ANTENNA_PAHO_THREAD_OTHER;
}

/* ---- Buffers ----------------------------------------------------------- */

static ReadAhead *
lookup_buffer (int fd)
{
  if (fd < 0 || fd >= ANTENNA_PAHO_MAX_TRACKED_FD)
    return NULL;
  return __atomic_load_n (&buffers[fd], __ATOMIC_ACQUIRE);
}

/* NULL when @fd is out of range or memory is short: then it is not read ahead. */
static ReadAhead *
ensure_buffer (int fd)
{
  ReadAhead *ra = lookup_buffer (fd);
  ReadAhead *expected = NULL;

  if (ra != NULL || fd < 0 || fd >= ANTENNA_PAHO_MAX_TRACKED_FD)
    return ra;

  /* Not g_malloc: see the head of the file. */
  if ((ra = malloc (sizeof *ra)) == NULL)
    return NULL;
  pthread_mutex_init (&ra->lock, NULL);
  ra->start = 0;
  ra->available = 0;

  if (!__atomic_compare_exchange_n (&buffers[fd], &expected, ra, FALSE,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    {
      /* Another thread made it first. */
      pthread_mutex_destroy (&ra->lock);
      free (ra);
      ra = expected;
    }
  return ra;
}

static inline gsize
get_available (ReadAhead *ra)
{
  return __atomic_load_n (&ra->available, __ATOMIC_ACQUIRE);
}

/* Under ra->lock. */
static void
set_available (ReadAhead *ra,
               gsize      available)
{
  gsize before = ra->available;

  __atomic_store_n (&ra->available, available, __ATOMIC_RELEASE);
  if (before == 0 && available > 0)
    __atomic_fetch_add (&n_buffered, 1, __ATOMIC_RELAXED);
  else if (before > 0 && available == 0)
    __atomic_fetch_sub (&n_buffered, 1, __ATOMIC_RELAXED);
}

/* Copies up to @len buffered bytes to @buf; under ra->lock. */
static gsize
take (ReadAhead *ra,
      void      *buf,
      gsize      len,
      gboolean   peek)
{
  gsize n = MIN (len, ra->available);

  memcpy (buf, ra->data + ra->start, n);
  if (!peek)
    {
      ra->start = n == ra->available ? 0 : ra->start + n;
      set_available (ra, ra->available - n);
    }
  return n;
}

/* A read from the socket itself: what the receive thread held back of its
 * writes goes out first (antenna-paho-coalesce.c), as this read may be the
 * last before Paho waits for the broker, and the broker may wait for those
 * acknowledgements. A held-back write that failed is this read's error. */
static ssize_t
recv_socket (int     fd,
             void   *buf,
             size_t  len,
             int     flags)
{
  int err = _antenna_paho_coalesce_flush (fd);

  if (err != 0)
    {
      errno = err;
      return -1;
    }
  return next_recv (fd, buf, len, flags);
}

/* Reads what the socket has, up to a buffer, into @ra (empty); under ra->lock. */
static ssize_t
fill (ReadAhead *ra,
      int        fd,
      int        flags)
{
  ssize_t n = recv_socket (fd, ra->data, sizeof ra->data, flags);

  if (n > 0)
    {
      ra->start = 0;
      set_available (ra, (gsize) n);
    }
  return n;
}

/* recv() on one of Paho's threads. */
static ssize_t
recv_paho (int     fd,
           void   *buf,
           size_t  len,
           int     flags)
{
  gboolean peek = (flags & MSG_PEEK) != 0;
  ReadAhead *ra = lookup_buffer (fd);
  int saved_errno = errno;
  ssize_t n;
  gsize done;

  /* Paho's recv (fd, NULL, 0, 0) before a close, and a large read with
   * nothing buffered: nothing to gain. */
  if (len == 0)
    return next_recv (fd, buf, len, flags);
  if (len >= ANTENNA_PAHO_READAHEAD_SIZE && (ra == NULL || get_available (ra) == 0))
    return recv_socket (fd, buf, len, flags);

  if (ra == NULL && (ra = ensure_buffer (fd)) == NULL)
    return recv_socket (fd, buf, len, flags);

  pthread_mutex_lock (&ra->lock);

  if (ra->available == 0 && (n = fill (ra, fd, flags & ~MSG_PEEK)) <= 0)
    {
      int err = errno;

      pthread_mutex_unlock (&ra->lock);
      errno = err;
      return n;
    }

  done = take (ra, buf, len, peek);

  /* The rest of a read larger than what was buffered: what the socket has
   * now, without waiting (an error or the end of the stream shows again at
   * the next read). */
  if (done < len && !peek)
    {
      if (len - done >= ANTENNA_PAHO_READAHEAD_SIZE)
        {
          n = recv_socket (fd, (char *) buf + done, len - done, MSG_DONTWAIT);
          if (n > 0)
            done += (gsize) n;
        }
      else if (fill (ra, fd, MSG_DONTWAIT) > 0)
        {
          done += take (ra, (char *) buf + done, len - done, FALSE);
        }
    }

  pthread_mutex_unlock (&ra->lock);
  errno = saved_errno;
  return (ssize_t) done;
}

/* ---- The wrappers ------------------------------------------------------ */

ssize_t
recv (int     fd,
      void   *buf,
      size_t  len,
      int     flags)
{
  ssize_t rc;
  int err;

  ensure_init ();
  if G_LIKELY (_antenna_paho_get_thread () == ANTENNA_PAHO_THREAD_OTHER)
    return next_recv (fd, buf, len, flags);

  rc = active ? recv_paho (fd, buf, len, flags) : next_recv (fd, buf, len, flags);
  err = errno;
  /* Whether Paho may hold packets of a WebSocket frame now
   * (antenna-paho-websocket.c): with read-ahead or without. */
  _antenna_paho_websocket_note_recv (fd, rc);
  errno = err;
  return rc;
}

ssize_t
read (int     fd,
      void   *buf,
      size_t  count)
{
  ReadAhead *ra;
  gsize done;

  if G_LIKELY (!reads_ahead () ||
               (ra = lookup_buffer (fd)) == NULL ||
               get_available (ra) == 0)
    {
      ssize_t rc = next_read (fd, buf, count);
      int err = errno;

      /* OpenSSL's reads of a WebSocket over TLS (antenna-paho-websocket.c). */
      if (_antenna_paho_get_thread () != ANTENNA_PAHO_THREAD_OTHER)
        _antenna_paho_websocket_note_recv (fd, rc);
      errno = err;
      return rc;
    }

  pthread_mutex_lock (&ra->lock);
  done = take (ra, buf, count, FALSE);
  pthread_mutex_unlock (&ra->lock);

  /* Data read ahead came from this socket; the caller's read would have
   * returned at least this much. */
  return (ssize_t) done;
}

int
close (int fd)
{
  ReadAhead *ra;

  /* Any thread: a socket number outlives its socket, and neither what was
   * read ahead, nor what was held back of the writes, nor a write the wake-up
   * saw pending may carry over to the next socket given the number (that one
   * would be polled for POLLOUT instead of POLLIN). No lock here: nobody
   * reads a socket while it is closed, and a child process closing
   * descriptors after fork() must not wait for a lock some thread of its
   * parent held (antenna-paho-coalesce.c locks on Paho's threads only). */
  ensure_init ();
  _antenna_paho_coalesce_close (fd);
  _antenna_paho_wakeup_forget_fd (fd);
  _antenna_paho_websocket_forget_fd (fd);
  if G_UNLIKELY ((ra = lookup_buffer (fd)) != NULL &&
                 __atomic_exchange_n (&ra->available, 0, __ATOMIC_ACQ_REL) > 0)
    __atomic_fetch_sub (&n_buffered, 1, __ATOMIC_RELAXED);
  return next_close (fd);
}

/* ---- Private API ------------------------------------------------------- */

static gboolean
has_read_ahead (int fd)
{
  ReadAhead *ra = lookup_buffer (fd);

  return ra != NULL && get_available (ra) > 0;
}

gboolean
_antenna_paho_readahead_poll (struct pollfd *fds,
                              nfds_t         n_fds,
                              int           *n_ready)
{
  if G_LIKELY (__atomic_load_n (&n_buffered, __ATOMIC_RELAXED) == 0 ||
               _antenna_paho_get_thread () != ANTENNA_PAHO_THREAD_RECEIVE)
    return FALSE;

  /* Only the sockets with data read ahead, and no system call: the others
   * (and the wake-up pipe of a patched Paho) are polled as soon as these
   * buffers run dry, after at most a buffer's worth of packets. */
  return _antenna_paho_answer_poll (fds, n_fds, has_read_ahead, n_ready);
}

gboolean
_antenna_paho_readahead_is_active (void)
{
  ensure_init ();
  return active;
}

gboolean
_antenna_paho_readahead_is_interposed (void)
{
  return dlsym (RTLD_DEFAULT, "recv") == (void *) recv &&
         dlsym (RTLD_DEFAULT, "read") == (void *) read &&
         dlsym (RTLD_DEFAULT, "close") == (void *) close;
}

gsize
_antenna_paho_readahead_get_buffered (int fd)
{
  ReadAhead *ra = lookup_buffer (fd);

  return ra != NULL ? get_available (ra) : 0;
}
