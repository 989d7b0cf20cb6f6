/* antenna-paho-coalesce.c: Paho's acknowledgements written a batch at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why. Paho MQTT C 1.3.x answers each QoS 1 PUBLISH it reads with a PUBACK,
 * written at once by its receive thread: one writev() of 4 bytes a message.
 * With the reads served from a buffer (antenna-paho-readahead.c), that
 * writev() was most of what a QoS 1 flood still cost in system calls
 * (bench/README.md, "Paho's reads, read ahead"), and the broker reads each
 * PUBACK on its own too.
 *
 * How. The write() and writev() wrappers of antenna-paho-wakeup.c ask
 * _antenna_paho_coalesce_write() first. A small write (a PUBACK, a PUBREC, a
 * PINGREQ: at most ANTENNA_PAHO_COALESCE_SMALL bytes) of the receive thread
 * to a socket whose read-ahead buffer still holds data is appended to a
 * buffer of that socket and reported complete: Paho is about to read the next
 * packet from memory, not to wait for the broker, so nothing waits for those
 * bytes yet. They go out, as one write, in the order written:
 *   - with the next write to the socket from either of Paho's threads
 *     (prepended to it in one writev(): a PUBLISH of the send thread never
 *     overtakes an acknowledgement);
 *   - before a read of the socket goes to the kernel (the read-ahead buffer is
 *     empty), and before the receive thread waits in poll(), usleep() or
 *     AntennaClient's backpressure (antenna-client-bridge.c): so before
 *     anything could wait for the broker, which may itself be waiting for
 *     these acknowledgements (its in-flight window);
 *   - when the next would not fit (ANTENNA_PAHO_COALESCE_SIZE);
 *   - before Paho closes the socket.
 * A batch the socket takes only in part (its send buffer is full) keeps the
 * rest and marks the socket's write pending for antenna-paho-wakeup.c: the
 * receive thread then waits for POLLOUT as for a write of Paho's own and
 * writes the rest before its next poll(); a write of Paho to that socket
 * meanwhile returns EAGAIN, which Paho keeps as its own pending write and
 * continues later, after the rest. A batch that fails (the connection is
 * gone) is reported by the next call Paho makes on that socket (a write, or
 * a read that goes to the kernel): Paho sees the connection lost there, as it
 * would have at the PUBACK.
 *
 * What it is not for. TLS sockets are not read ahead (OpenSSL reads with
 * read()), so their writes are never held back. WebSockets over TCP are:
 * their frames are written as the packets are. A connection that drops with
 * acknowledgements held back loses them as it would lose those in its socket
 * buffer: the broker sends those messages again (QoS 1 and 2 sessions).
 *
 * ANTENNA_PAHO_COALESCE=0 turns it off (as ANTENNA_PAHO_READAHEAD=0 does).
 * Nothing here may log, allocate through GLib or take a GLib lock: it runs
 * under Paho's writes, reads and close(). tests/test-paho-readahead.c tests
 * it on sockets and with QoS 1 floods through a real broker.
 */

#define G_LOG_DOMAIN "antenna-paho-coalesce"
/* IOV_MAX */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "antenna-paho-coalesce-private.h"
#include "antenna-paho-interpose-private.h"
#include "antenna-paho-readahead-private.h"
#include "antenna-paho-wakeup-private.h"

/* The sockets the receive thread may hold writes back on at once (Paho's
 * connections of a process); a write to one more goes out as it comes. */
#define MAX_HELD_SOCKETS 16
/* writev() arrays up to this size (and the held-back bytes) stay on the stack. */
#define STACK_IOV        16

/* One socket's held-back writes: data[0, len). */
typedef struct
{
  pthread_mutex_t lock;
  gsize           len;     /* atomic: the fast paths read it without the lock */
  int             error;   /* atomic: the errno of a batch that failed */
  char            data[ANTENNA_PAHO_COALESCE_SIZE];
} Held;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static gboolean       initialized;   /* atomic: the fast path */
static gboolean       active;
/* Created on a socket's first held-back write, kept for the process's life
 * (a socket number is reused): atomic pointers. */
static Held          *held[ANTENNA_PAHO_MAX_TRACKED_FD];
/* How many writes were held back (atomic): for tests. */
static guint64        n_held_writes;

/* The receive thread's list of sockets it held writes back on (some may have
 * been written since, by the send thread or close()): what it flushes before
 * it waits. Only that thread holds writes back, so only it touches this. */
static __thread int   held_fds[MAX_HELD_SOCKETS];
static __thread int   n_held_fds;

/* ---- Set-up ------------------------------------------------------------ */

static void
init_once_func (void)
{
  const char *env = getenv ("ANTENNA_PAHO_COALESCE");

  active = (env == NULL || strcmp (env, "0") != 0) && _antenna_paho_readahead_is_active ();
  __atomic_store_n (&initialized, TRUE, __ATOMIC_RELEASE);
}

static inline gboolean
is_active (void)
{
  if G_UNLIKELY (!__atomic_load_n (&initialized, __ATOMIC_ACQUIRE))
    pthread_once (&init_once, init_once_func);
  return active;
}

/* sendmsg(), not writev(): a batch written after the broker closed the
 * connection must not raise SIGPIPE in a process that did not ignore it (Paho
 * does; a test on a socket pair may not). Only sockets are held back. */
static ssize_t
send_iov (int           fd,
          struct iovec *iov,
          int           n_iov)
{
  struct msghdr msg = { 0 };

  msg.msg_iov = iov;
  msg.msg_iovlen = n_iov;
  return sendmsg (fd, &msg, MSG_NOSIGNAL);
}

/* ---- Sockets ----------------------------------------------------------- */

static Held *
lookup_held (int fd)
{
  if (fd < 0 || fd >= ANTENNA_PAHO_MAX_TRACKED_FD)
    return NULL;
  return __atomic_load_n (&held[fd], __ATOMIC_ACQUIRE);
}

/* NULL when @fd is out of range or memory is short: then nothing is held back. */
static Held *
ensure_held (int fd)
{
  Held *h = lookup_held (fd);
  Held *expected = NULL;

  if (h != NULL || fd < 0 || fd >= ANTENNA_PAHO_MAX_TRACKED_FD)
    return h;

  /* Not g_malloc: see the head of the file. */
  if ((h = malloc (sizeof *h)) == NULL)
    return NULL;
  pthread_mutex_init (&h->lock, NULL);
  h->len = 0;
  h->error = 0;

  if (!__atomic_compare_exchange_n (&held[fd], &expected, h, FALSE,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    {
      pthread_mutex_destroy (&h->lock);
      free (h);
      h = expected;
    }
  return h;
}

/* Nothing held back, no error to report: the fast paths' test. */
static inline gboolean
is_idle (Held *h)
{
  return h == NULL ||
         (__atomic_load_n (&h->len, __ATOMIC_ACQUIRE) == 0 &&
          __atomic_load_n (&h->error, __ATOMIC_ACQUIRE) == 0);
}

static void
set_len (Held  *h,
         gsize  len)
{
  __atomic_store_n (&h->len, len, __ATOMIC_RELEASE);
}

/* The receive thread remembers @fd for _antenna_paho_coalesce_flush_all();
 * FALSE when it has too many sockets already. */
static gboolean
remember_fd (int fd)
{
  for (int i = 0; i < n_held_fds; i++)
    if (held_fds[i] == fd)
      return TRUE;
  if (n_held_fds == MAX_HELD_SOCKETS)
    return FALSE;
  held_fds[n_held_fds++] = fd;
  return TRUE;
}

/* After a writev() of the held-back bytes (first) and maybe more returned
 * @rc (errno @err): keeps what the socket did not take, and returns how much
 * of what came after the held-back bytes went out (-1: none, errno set).
 * Under h->lock. */
static ssize_t
after_write (Held    *h,
             int      fd,
             ssize_t  rc,
             int      err)
{
  gsize len = h->len;

  if (rc < 0 && err != EAGAIN && err != EWOULDBLOCK)
    {
      /* The connection is gone: what was held back is lost with it, as what
       * sat in the socket's buffer is. */
      set_len (h, 0);
      errno = err;
      return -1;
    }

  if (rc >= 0 && (gsize) rc >= len)
    {
      set_len (h, 0);
      /* The batch is out: a wait for POLLOUT on its account ends. A write of
       * Paho's own left pending meanwhile is noted again when it goes on. */
      _antenna_paho_wakeup_set_write_pending (fd, FALSE);
      return rc - (ssize_t) len;
    }

  /* The socket's buffer is full: the rest goes first, when it takes more. */
  if (rc > 0)
    {
      memmove (h->data, h->data + rc, len - (gsize) rc);
      set_len (h, len - (gsize) rc);
    }
  _antenna_paho_wakeup_set_write_pending (fd, TRUE);
  errno = EAGAIN;
  return -1;
}

/* Writes what @h holds back; under h->lock. Returns 0 or the errno of a
 * failure, which is also kept for the next call on the socket. */
static int
flush_locked (Held *h,
              int   fd)
{
  struct iovec iov = { h->data, h->len };
  ssize_t rc;

  if (h->len == 0)
    return 0;

  rc = send_iov (fd, &iov, 1);
  if (after_write (h, fd, rc, errno) < 0 && errno != EAGAIN)
    {
      __atomic_store_n (&h->error, errno, __ATOMIC_RELEASE);
      return errno;
    }
  return 0;
}

/* The errno of a batch that failed, once; under h->lock. */
static int
take_error (Held *h)
{
  return __atomic_exchange_n (&h->error, 0, __ATOMIC_ACQ_REL);
}

/* ---- Private API ------------------------------------------------------- */

gboolean
_antenna_paho_coalesce_write (int                 fd,
                              const struct iovec *iov,
                              int                 n_iov,
                              gsize               total,
                              ssize_t            *result)
{
  struct iovec stack_iov[STACK_IOV];
  struct iovec *all_iov = stack_iov;
  Held *h = lookup_held (fd);
  gboolean hold;
  int saved_errno = errno;
  ssize_t rc;
  int err;

  /* Held back only while the receive thread has more to read from memory,
   * and not behind a write or a connect under way. */
  hold = is_active () && total > 0 && total <= ANTENNA_PAHO_COALESCE_SMALL &&
         _antenna_paho_get_thread () == ANTENNA_PAHO_THREAD_RECEIVE &&
         _antenna_paho_readahead_get_buffered (fd) > 0 &&
         _antenna_paho_wakeup_is_settled (fd);

  if G_LIKELY (!hold && is_idle (h))
    return FALSE;
  if (h == NULL && (h = ensure_held (fd)) == NULL)
    return FALSE;

  pthread_mutex_lock (&h->lock);

  if ((err = take_error (h)) != 0)
    {
      pthread_mutex_unlock (&h->lock);
      *result = -1;
      errno = err;
      return TRUE;
    }

  if (hold && h->len + total <= sizeof h->data && remember_fd (fd))
    {
      for (int i = 0; i < n_iov; i++)
        {
          memcpy (h->data + h->len, iov[i].iov_base, iov[i].iov_len);
          h->len += iov[i].iov_len;
        }
      set_len (h, h->len);
      pthread_mutex_unlock (&h->lock);
      __atomic_fetch_add (&n_held_writes, 1, __ATOMIC_RELAXED);
      *result = (ssize_t) total;
      errno = saved_errno;
      return TRUE;
    }

  if (h->len == 0)
    {
      pthread_mutex_unlock (&h->lock);
      return FALSE;
    }

  /* What was held back, then this write, in one writev(). */
  if (n_iov + 1 > STACK_IOV &&
      (n_iov + 1 > IOV_MAX || (all_iov = malloc ((n_iov + 1) * sizeof *all_iov)) == NULL))
    {
      /* Too many pieces to prepend to: the held-back bytes alone first. */
      if ((err = flush_locked (h, fd)) != 0 || h->len > 0)
        {
          take_error (h);
          pthread_mutex_unlock (&h->lock);
          *result = -1;
          errno = err != 0 ? err : EAGAIN;
          return TRUE;
        }
      pthread_mutex_unlock (&h->lock);
      return FALSE;
    }
  all_iov[0].iov_base = h->data;
  all_iov[0].iov_len = h->len;
  memcpy (all_iov + 1, iov, n_iov * sizeof *iov);
  rc = send_iov (fd, all_iov, n_iov + 1);
  *result = after_write (h, fd, rc, errno);
  err = errno;
  if (all_iov != stack_iov)
    free (all_iov);
  pthread_mutex_unlock (&h->lock);
  errno = *result < 0 ? err : saved_errno;
  return TRUE;
}

int
_antenna_paho_coalesce_flush (int fd)
{
  Held *h = lookup_held (fd);
  int err;

  if G_LIKELY (is_idle (h))
    return 0;

  pthread_mutex_lock (&h->lock);
  flush_locked (h, fd);
  err = take_error (h);
  pthread_mutex_unlock (&h->lock);
  return err;
}

void
_antenna_paho_coalesce_flush_all (void)
{
  int kept = 0;

  if G_LIKELY (n_held_fds == 0)
    return;

  for (int i = 0; i < n_held_fds; i++)
    {
      Held *h = lookup_held (held_fds[i]);

      if (__atomic_load_n (&h->len, __ATOMIC_ACQUIRE) == 0)
        continue;

      /* A failure is kept for the next call on the socket. */
      pthread_mutex_lock (&h->lock);
      flush_locked (h, held_fds[i]);
      pthread_mutex_unlock (&h->lock);

      /* Still held back (the socket is full): tried again before the next wait. */
      if (__atomic_load_n (&h->len, __ATOMIC_ACQUIRE) > 0)
        held_fds[kept++] = held_fds[i];
    }
  n_held_fds = kept;
}

void
_antenna_paho_coalesce_close (int fd)
{
  Held *h = lookup_held (fd);

  if G_LIKELY (is_idle (h))
    return;

  /* Paho closes a socket it is done with on its own threads, after its
   * DISCONNECT (which took what was held back with it) or once the
   * connection is lost. Elsewhere, no lock: a child process closing
   * descriptors after fork() must neither wait for a lock some thread of its
   * parent held nor write its parent's acknowledgements. */
  if (_antenna_paho_get_thread () != ANTENNA_PAHO_THREAD_OTHER)
    {
      pthread_mutex_lock (&h->lock);
      flush_locked (h, fd);
      pthread_mutex_unlock (&h->lock);
    }
  set_len (h, 0);
  __atomic_store_n (&h->error, 0, __ATOMIC_RELEASE);
}

gboolean
_antenna_paho_coalesce_is_active (void)
{
  return is_active ();
}

gsize
_antenna_paho_coalesce_get_held (int fd)
{
  Held *h = lookup_held (fd);

  return h != NULL ? __atomic_load_n (&h->len, __ATOMIC_ACQUIRE) : 0;
}

guint64
_antenna_paho_coalesce_get_n_held (void)
{
  return __atomic_load_n (&n_held_writes, __ATOMIC_RELAXED);
}
