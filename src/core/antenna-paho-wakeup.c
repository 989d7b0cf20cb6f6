/* antenna-paho-wakeup.c: Paho's receive thread woken when it has writing to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why. Eclipse Paho MQTT C 1.3.x (MQTTAsync, the poll() build Debian ships)
 * writes a large PUBLISH one socket buffer at a time: the send thread writes
 * what the socket takes and leaves the rest as a pending write, which the
 * receive thread continues. But that thread waits in poll() for POLLIN only,
 * up to 1 s, on a snapshot of its sockets, and then sleeps 100 ms whenever no
 * socket was readable. So the rest of a pending write goes out one buffer
 * (4–8 MB on loopback) per 1.1 s: a 255 MiB QoS 1 publish took ~55 s where
 * mosquitto_pub takes 1–3 s. Every client after the first in a process took
 * 2.1 s to connect for the same reason: nothing wakes the receive thread when
 * the send thread starts connecting a socket, and its POLLOUT is not waited
 * for. (Measured with strace, and fixed the same way in Paho itself by the
 * patch the Flatpak applies: flatpak/paho-mqtt-c-fast-partial-writes-and-connects.patch.)
 *
 * How, for Debian's unmodified library. This file defines poll(), usleep(),
 * connect(), write() and writev(); linked into the executable, they are what
 * libpaho-mqtt3as's calls to libc bind to. They call the next definition
 * (libc's, or AddressSanitizer's interceptor which calls libc's) and, on
 * Paho's two threads only (named "MQTTAsync_send" and "MQTTAsync_rcv"):
 *   - connect() and the writes note which of Paho's sockets is connecting or
 *     has a write pending, and wake the receive thread through an eventfd when
 *     the send thread starts either;
 *   - the receive thread's blocking poll() also waits for that eventfd, for
 *     POLLOUT on a connecting socket, and for POLLOUT alone on a socket with a
 *     pending write (Paho reads none of it before the write ends, so POLLIN
 *     there would only spin);
 *   - the 100 ms usleep() after such a poll() returns at once, and any
 *     other usleep() of that thread waits for the eventfd too (with no
 *     socket at all, Paho sleeps without polling: the first connection).
 * A pending write then goes on as soon as the socket takes more, and a new
 * connection is noticed at once: 255 MiB in 0.5–1.8 s, later connects in
 * under a millisecond (bench/README.md, "Large publishes").
 *
 * And, with either library, the receive thread's poll() for POLLOUT alone,
 * with no timeout, that Paho makes at every turn (it reads a socket only
 * when it could write to it) is answered without a system call when none of
 * its sockets has a write pending or a connect under way: one system call a
 * message less in a flood (bench/README.md, "Paho's acknowledgements, a batch
 * at a time"; ANTENNA_PAHO_POLLOUT=0 turns it off). The writes go through
 * antenna-paho-coalesce.c first, which may hold a PUBACK back; the receive
 * thread's poll() and usleep() that may wait write what it held back first.
 *
 * Where it stays out of the way.
 *   - Every other thread pays one cached thread-local check per call (the
 *     thread's kind is read from its name once: antenna-paho-interpose.c),
 *     and is otherwise untouched.
 *   - ANTENNA_PAHO_WAKEUP=0 in the environment turns the wake-up off, for
 *     A/B runs; the writes are still noted (for the POLLOUT answer and the
 *     read-ahead).
 *   - A Paho with Antenna's patch says so in MQTTAsync_getVersionInfo(); the
 *     wake-up is then off (it would be harmless) and the rest stays on.
 *   - Nothing here may log, allocate through GLib or take a GLib lock while
 *     resolving: the wrappers run under every write() of the process, GLib's
 *     own included.
 * The linker keeps this file wherever AntennaClient is used (its class_init
 * calls _antenna_paho_wakeup_init()); ld exports the wrappers from the
 * executable because libpaho-mqtt3as references them. tests/test-paho-wakeup.c
 * tests the mechanism, tests/check-paho-wakeup.sh that the app exports it.
 */

#define G_LOG_DOMAIN "antenna-paho-wakeup"
/* RTLD_NEXT */
#define _GNU_SOURCE

#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <MQTTAsync.h>

#include "antenna-paho-coalesce-private.h"
#include "antenna-paho-interpose-private.h"
#include "antenna-paho-readahead-private.h"
#include "antenna-paho-websocket-private.h"
#include "antenna-paho-wakeup-private.h"

/* glibc declares connect() with a transparent union under _GNU_SOURCE. */
#ifndef __CONST_SOCKADDR_ARG
# define __CONST_SOCKADDR_ARG const struct sockaddr *
#endif

/* What MQTTAsync_getVersionInfo() lists in a Paho built with the patch. */
#define PATCH_INFO_NAME  "Antenna patches"
#define PATCH_INFO_VALUE "fast-partial-writes-and-connects"

/* What Paho's threads did with a socket, per file descriptor. */
enum {
  FD_WRITE_PENDING = 1 << 0,
  FD_CONNECTING    = 1 << 1,
};

/* poll() arrays up to this size (and the eventfd) stay on the stack. */
#define STACK_FDS       32

/* Receive thread: its last poll() returned for a write or a wake-up. */
static __thread gboolean   skip_next_sleep;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static gboolean       initialized;   /* atomic: the wrappers' fast path */
static gboolean       active;
static gboolean       answers_pollout;
static gboolean       paho_patched;
static int            wake_fd = -1;
static guint8         fd_state[ANTENNA_PAHO_MAX_TRACKED_FD];   /* atomic */

static int     (*next_poll)    (struct pollfd *, nfds_t, int);
static int     (*next_usleep)  (useconds_t);
static int     (*next_connect) (int, __CONST_SOCKADDR_ARG, socklen_t);
static ssize_t (*next_write)   (int, const void *, size_t);
static ssize_t (*next_writev)  (int, const struct iovec *, int);

/* ---- Set-up ------------------------------------------------------------ */

/* The functions in libc for when dlsym() has no next definition (a static
 * link): the system calls themselves. */
static int
syscall_poll (struct pollfd *fds,
              nfds_t         n_fds,
              int            timeout)
{
  struct timespec ts = { timeout / 1000, (timeout % 1000) * 1000000L };

  return (int) syscall (SYS_ppoll, fds, n_fds, timeout < 0 ? NULL : &ts, NULL, 0);
}

static int
syscall_usleep (useconds_t usec)
{
  struct timespec ts = { usec / 1000000, (long) (usec % 1000000) * 1000 };

  return nanosleep (&ts, NULL);
}

static int
syscall_connect (int                  fd,
                 __CONST_SOCKADDR_ARG addr,
                 socklen_t            len)
{
  return (int) syscall (SYS_connect, fd, addr, len);
}

static ssize_t
syscall_write (int         fd,
               const void *buf,
               size_t      count)
{
  return syscall (SYS_write, fd, buf, count);
}

static ssize_t
syscall_writev (int                 fd,
                const struct iovec *iov,
                int                 n_iov)
{
  return syscall (SYS_writev, fd, iov, n_iov);
}

static gboolean
find_paho_patch (void)
{
  MQTTAsync_nameValue *info = MQTTAsync_getVersionInfo ();

  for (; info != NULL && info->name != NULL; info++)
    if (strcmp (info->name, PATCH_INFO_NAME) == 0 && info->value != NULL &&
        strstr (info->value, PATCH_INFO_VALUE) != NULL)
      return TRUE;
  return FALSE;
}

static void
init_once_func (void)
{
  const char *wakeup_env = getenv ("ANTENNA_PAHO_WAKEUP");
  const char *pollout_env = getenv ("ANTENNA_PAHO_POLLOUT");

  ANTENNA_PAHO_RESOLVE (poll);
  ANTENNA_PAHO_RESOLVE (usleep);
  ANTENNA_PAHO_RESOLVE (connect);
  ANTENNA_PAHO_RESOLVE (write);
  ANTENNA_PAHO_RESOLVE (writev);

  /* Paho's patch changes nothing in its poll() for POLLOUT. */
  answers_pollout = pollout_env == NULL || strcmp (pollout_env, "0") != 0;

  paho_patched = find_paho_patch ();
  if (!paho_patched && (wakeup_env == NULL || strcmp (wakeup_env, "0") != 0))
    {
      wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
      active = wake_fd >= 0;
    }
  __atomic_store_n (&initialized, TRUE, __ATOMIC_RELEASE);
}

/* The fast path of every wrapper: which thread calls, once set up. */
static inline AntennaPahoThread
get_thread (void)
{
  if G_UNLIKELY (!__atomic_load_n (&initialized, __ATOMIC_ACQUIRE))
    pthread_once (&init_once, init_once_func);
  return _antenna_paho_get_thread ();
}

/* ---- Paho's sockets ---------------------------------------------------- */

static void
wake_receive_thread (void)
{
  uint64_t one = 1;

  if (!active)
    return;

  /* It fails only when the counter is full: a wake-up is pending already. */
  (void) next_write (wake_fd, &one, sizeof one);
}

static guint8
fd_get (int fd)
{
  if (fd < 0 || fd >= ANTENNA_PAHO_MAX_TRACKED_FD)
    return 0;
  return __atomic_load_n (&fd_state[fd], __ATOMIC_ACQUIRE);
}

static void
fd_update (int    fd,
           guint8 set,
           guint8 clear)
{
  if (fd < 0 || fd >= ANTENNA_PAHO_MAX_TRACKED_FD)
    return;
  if (clear != 0)
    __atomic_fetch_and (&fd_state[fd], (guint8) ~clear, __ATOMIC_ACQ_REL);
  if (set != 0)
    __atomic_fetch_or (&fd_state[fd], set, __ATOMIC_ACQ_REL);
}

/* After a write by one of Paho's threads of @total bytes to @fd that returned
 * @rc (errno @err): a write left unfinished is pending until one finishes. */
static void
note_write (int     fd,
            ssize_t rc,
            size_t  total,
            int     err)
{
  guint8 before = fd_get (fd);

  /* The common case, every PUBACK of a QoS 1 flood: one load. */
  if (rc >= 0 && (size_t) rc == total)
    {
      if (before != 0)
        fd_update (fd, 0, FD_WRITE_PENDING | FD_CONNECTING);
    }
  else if (rc >= 0 || err == EAGAIN || err == EWOULDBLOCK)
    {
      fd_update (fd, FD_WRITE_PENDING, FD_CONNECTING);
      /* The send thread began a write that the receive thread goes on with. */
      if (!(before & FD_WRITE_PENDING) && _antenna_paho_get_thread () != ANTENNA_PAHO_THREAD_RECEIVE)
        wake_receive_thread ();
    }
  else
    fd_update (fd, 0, FD_WRITE_PENDING | FD_CONNECTING);
}

/* The receive thread's blocking poll(): see the head of the file. */
static int
poll_paho_receive (struct pollfd *fds,
                   nfds_t         n_fds,
                   int            timeout)
{
  struct pollfd stack_fds[STACK_FDS];
  struct pollfd *wait_fds = stack_fds;
  gboolean waits_for_writes = FALSE;
  gboolean woken = FALSE;
  int n_ready = 0;
  int rc, err;

  if (n_fds + 1 > STACK_FDS && (wait_fds = malloc ((n_fds + 1) * sizeof *wait_fds)) == NULL)
    return next_poll (fds, n_fds, timeout);

  for (nfds_t i = 0; i < n_fds; i++)
    {
      guint8 state = fd_get (fds[i].fd);

      wait_fds[i] = fds[i];
      if (state & FD_WRITE_PENDING)
        wait_fds[i].events = POLLOUT;
      else if (state & FD_CONNECTING)
        wait_fds[i].events |= POLLOUT;
      waits_for_writes |= (state & (FD_WRITE_PENDING | FD_CONNECTING)) != 0;
    }
  wait_fds[n_fds].fd = wake_fd;
  wait_fds[n_fds].events = POLLIN;
  wait_fds[n_fds].revents = 0;

  rc = next_poll (wait_fds, n_fds + 1, timeout);
  err = errno;

  for (nfds_t i = 0; i < n_fds; i++)
    {
      fds[i].revents = rc > 0 ? wait_fds[i].revents : 0;
      if (fds[i].revents != 0)
        n_ready++;
      if ((wait_fds[i].events & POLLOUT) && (fds[i].revents & POLLOUT))
        woken = TRUE;
    }
  if (rc > 0 && (wait_fds[n_fds].revents & POLLIN))
    {
      uint64_t count;
      ssize_t n = read (wake_fd, &count, sizeof count);

      (void) n;  /* nothing to read: a later poll() took it */
      woken = TRUE;
    }

  if (wait_fds != stack_fds)
    free (wait_fds);

  skip_next_sleep = woken || (waits_for_writes && n_ready > 0);
  errno = err;
  return rc < 0 ? rc : n_ready;
}

/* The receive thread's poll() with no timeout for POLLOUT alone, once a
 * turn (Paho's flow control: it reads a socket only when it could write to
 * it): answered without a system call when no socket of @fds has a write
 * pending or a connect under way. Such a socket is writable as far as Paho
 * can tell: had its last write not been taken whole, it would be pending.
 * Should the socket's buffer have filled since, Paho reads one more packet
 * and its answer is left pending, as when the buffer fills between its
 * poll() and its write. */
static gboolean
answer_pollout (struct pollfd *fds,
                nfds_t         n_fds)
{
  if (!answers_pollout || n_fds == 0)
    return FALSE;

  for (nfds_t i = 0; i < n_fds; i++)
    if (fds[i].events != POLLOUT || fd_get (fds[i].fd) != 0)
      return FALSE;

  for (nfds_t i = 0; i < n_fds; i++)
    fds[i].revents = POLLOUT;
  return TRUE;
}

/* ---- The wrappers ------------------------------------------------------ */

int
poll (struct pollfd *fds,
      nfds_t         n_fds,
      int            timeout)
{
  int n_ready;

  /* What Paho's receive thread read ahead is readable now, without a wait
   * (antenna-paho-readahead.c). */
  if G_UNLIKELY (_antenna_paho_readahead_poll (fds, n_fds, &n_ready))
    return n_ready;
  /* Nor may Paho wait while its WebSocket frame buffer may hold packets
   * (antenna-paho-websocket.c). */
  if G_UNLIKELY (_antenna_paho_websocket_poll (fds, n_fds, &n_ready))
    return n_ready;

  if G_LIKELY (get_thread () != ANTENNA_PAHO_THREAD_RECEIVE)
    return next_poll (fds, n_fds, timeout);

  if (timeout == 0)
    return answer_pollout (fds, n_fds) ? (int) n_fds : next_poll (fds, n_fds, 0);

  /* This poll() may wait: what the thread held back goes out first. */
  _antenna_paho_coalesce_flush_all ();
  if (!active)
    return next_poll (fds, n_fds, timeout);
  return poll_paho_receive (fds, n_fds, timeout);
}

/* The receive thread's sleep when it had nothing to wait on: until a
 * wake-up instead (the first connection of the process has no socket to
 * poll yet). */
static int
usleep_paho_receive (useconds_t usec)
{
  struct pollfd pfd = { wake_fd, POLLIN, 0 };

  if (skip_next_sleep)
    {
      skip_next_sleep = FALSE;
      return 0;
    }

  if (next_poll (&pfd, 1, (int) ((usec + 999) / 1000)) > 0)
    {
      uint64_t count;
      ssize_t n = read (wake_fd, &count, sizeof count);

      (void) n;
    }
  return 0;
}

int
usleep (useconds_t usec)
{
  if G_LIKELY (get_thread () != ANTENNA_PAHO_THREAD_RECEIVE)
    return next_usleep (usec);

  _antenna_paho_coalesce_flush_all ();
  if (!active)
    return next_usleep (usec);
  return usleep_paho_receive (usec);
}

int
connect (int                  fd,
         __CONST_SOCKADDR_ARG addr,
         socklen_t            len)
{
  int rc, err;

  if G_LIKELY (get_thread () == ANTENNA_PAHO_THREAD_OTHER)
    return next_connect (fd, addr, len);

  rc = next_connect (fd, addr, len);
  err = errno;
  /* A new socket: forget what an earlier one with this number did. */
  fd_update (fd, 0, FD_WRITE_PENDING | FD_CONNECTING);
  _antenna_paho_websocket_forget_fd (fd);
  if (rc == 0 || err == EINPROGRESS)
    {
      fd_update (fd, FD_CONNECTING, 0);
      if (_antenna_paho_get_thread () != ANTENNA_PAHO_THREAD_RECEIVE)
        wake_receive_thread ();
    }
  errno = err;
  return rc;
}

ssize_t
write (int         fd,
       const void *buf,
       size_t      count)
{
  struct iovec iov = { (void *) buf, count };
  ssize_t rc;
  int err;

  if G_LIKELY (get_thread () == ANTENNA_PAHO_THREAD_OTHER || fd == wake_fd)
    return next_write (fd, buf, count);

  /* TLS: OpenSSL writes its records with write(). */
  _antenna_paho_websocket_note_write (fd, &iov, 1);
  if (!_antenna_paho_coalesce_write (fd, &iov, 1, count, &rc))
    rc = next_write (fd, buf, count);
  err = errno;
  note_write (fd, rc, count, err);
  errno = err;
  return rc;
}

ssize_t
writev (int                 fd,
        const struct iovec *iov,
        int                 n_iov)
{
  ssize_t rc;
  size_t total = 0;
  int err;

  if G_LIKELY (get_thread () == ANTENNA_PAHO_THREAD_OTHER)
    return next_writev (fd, iov, n_iov);

  for (int i = 0; i < n_iov; i++)
    total += iov[i].iov_len;
  /* A PUBACK may be held back, to go out with the next ones
   * (antenna-paho-coalesce.c). */
  _antenna_paho_websocket_note_write (fd, iov, n_iov);
  if (!_antenna_paho_coalesce_write (fd, iov, n_iov, total, &rc))
    rc = next_writev (fd, iov, n_iov);
  err = errno;
  note_write (fd, rc, total, err);
  errno = err;
  return rc;
}

/* ---- Private API ------------------------------------------------------- */

void
_antenna_paho_wakeup_init (void)
{
  static gsize logged;

  pthread_once (&init_once, init_once_func);

  if (g_once_init_enter (&logged))
    {
      if (paho_patched)
        g_debug ("Paho has Antenna's patch: the wake-up stays off, its write tracking on");
      else if (!active)
        g_debug ("Paho wake-up off (ANTENNA_PAHO_WAKEUP=0, or no eventfd)");
      else if (!_antenna_paho_wakeup_is_interposed ())
        g_debug ("Paho wake-up on, but the executable does not export its wrappers");
      else
        g_debug ("Paho wake-up on");
      g_once_init_leave (&logged, 1);
    }
}

gboolean
_antenna_paho_wakeup_is_active (void)
{
  pthread_once (&init_once, init_once_func);
  return active;
}

gboolean
_antenna_paho_wakeup_paho_is_patched (void)
{
  pthread_once (&init_once, init_once_func);
  return paho_patched;
}

gboolean
_antenna_paho_wakeup_is_write_pending (int fd)
{
  return (fd_get (fd) & FD_WRITE_PENDING) != 0;
}

gboolean
_antenna_paho_wakeup_is_settled (int fd)
{
  return fd_get (fd) == 0;
}

void
_antenna_paho_wakeup_set_write_pending (int      fd,
                                        gboolean pending)
{
  if (pending)
    fd_update (fd, FD_WRITE_PENDING, 0);
  else
    fd_update (fd, 0, FD_WRITE_PENDING);
}

gboolean
_antenna_paho_wakeup_answers_pollout (void)
{
  pthread_once (&init_once, init_once_func);
  return answers_pollout;
}

void
_antenna_paho_wakeup_forget_fd (int fd)
{
  fd_update (fd, 0, FD_WRITE_PENDING | FD_CONNECTING);
}

gboolean
_antenna_paho_wakeup_is_interposed (void)
{
  return dlsym (RTLD_DEFAULT, "poll") == (void *) poll &&
         dlsym (RTLD_DEFAULT, "usleep") == (void *) usleep &&
         dlsym (RTLD_DEFAULT, "connect") == (void *) connect &&
         dlsym (RTLD_DEFAULT, "write") == (void *) write &&
         dlsym (RTLD_DEFAULT, "writev") == (void *) writev;
}
