/* test-paho-wakeup.c: the wrappers that wake Paho's receive thread
 *
 * src/core/antenna-paho-wakeup.c interposes poll(), usleep(), connect(),
 * write() and writev() and acts only on threads named as Paho names its
 * own. These tests name threads so and use local sockets: what the
 * receive thread's poll() waits for, that its poll() for POLLOUT alone is
 * answered without the kernel while none of Paho's writes is pending, and
 * that every other thread's calls are passed through untouched. That Paho
 * itself then connects and publishes at full speed is for bench/run-publish
 * to show; that every client of a process connects and works, for
 * test-client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "antenna-paho-wakeup-private.h"
#include "antenna-test-utils.h"

/* Long enough never to end on a loaded machine when the wrapper works, so
 * that a poll() that returns 0 can only mean it did not. */
#define LONG_POLL_MS 60000

typedef struct
{
  int   fd;
  short events;
  int   timeout;
  int   result;
  short revents;
} PollCall;

static gpointer
poll_thread_func (gpointer data)
{
  PollCall *call = data;
  struct pollfd pfd = { call->fd, call->events, 0 };

  call->result = poll (&pfd, 1, call->timeout);
  call->revents = pfd.revents;
  return NULL;
}

/* poll() on @fd for @events, on a thread named @thread_name (NULL: this one). */
static int
poll_on (const char *thread_name,
         int         fd,
         short       events,
         int         timeout,
         short      *revents)
{
  PollCall call = { fd, events, timeout, -2, 0 };

  if (thread_name == NULL)
    poll_thread_func (&call);
  else
    g_thread_join (g_thread_new (thread_name, poll_thread_func, &call));

  *revents = call.revents;
  return call.result;
}

/* Fills @fd (non-blocking) until a write() fails with EAGAIN. */
static gpointer
fill_thread_func (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  static char buffer[65536];

  while (write (fd, buffer, sizeof buffer) > 0)
    ;
  g_assert_cmpint (errno, ==, EAGAIN);
  return NULL;
}

static gpointer
write_one_thread_func (gpointer data)
{
  g_assert_cmpint (write (GPOINTER_TO_INT (data), "x", 1), ==, 1);
  return NULL;
}

static void
drain (int fd)
{
  char buffer[65536];

  while (read (fd, buffer, sizeof buffer) > 0)
    ;
}

static void
make_pair (int fds[2])
{
  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds));
}

/* The wrappers are what the process's calls bind to: the test program
 * exports them as the app does (tests/check-paho-wakeup.sh checks the app). */
static void
test_interposed (void)
{
  if (g_strcmp0 (g_getenv ("ANTENNA_PAHO_WAKEUP"), "0") == 0)
    {
      g_test_skip ("ANTENNA_PAHO_WAKEUP=0");
      return;
    }
  g_assert_true (_antenna_paho_wakeup_is_interposed ());
  g_assert_true (_antenna_paho_wakeup_is_active ());
  g_assert_false (_antenna_paho_wakeup_paho_is_patched ());
}

/* A socket whose write Paho's send thread left unfinished: the receive
 * thread's poll() for POLLIN returns once it is writable again (the write can
 * go on), while the same poll() on any other thread is left as it was. */
static void
test_pending_write (void)
{
  int fds[2];
  short revents;

  make_pair (fds);
  g_thread_join (g_thread_new ("MQTTAsync_send", fill_thread_func, GINT_TO_POINTER (fds[0])));

  /* Full: nothing to read, nothing to write, on any thread. */
  g_assert_cmpint (poll_on (NULL, fds[0], POLLIN, 0, &revents), ==, 0);
  g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLIN, 0, &revents), ==, 0);

  drain (fds[1]);

  /* Writable again. Other threads asked for POLLIN and get no POLLOUT. */
  g_assert_cmpint (poll_on (NULL, fds[0], POLLIN, 50, &revents), ==, 0);
  g_assert_cmpint (revents, ==, 0);
  g_assert_cmpint (poll_on ("antenna-other", fds[0], POLLIN, 50, &revents), ==, 0);
  g_assert_cmpint (revents, ==, 0);
  g_assert_cmpint (poll_on ("MQTTAsync_send", fds[0], POLLIN, 50, &revents), ==, 0);

  /* Paho's receive thread is told: its write can go on. */
  g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLIN, LONG_POLL_MS, &revents), ==, 1);
  g_assert_cmpint (revents & POLLOUT, ==, POLLOUT);

  /* A write that completes ends it: POLLIN only again. */
  g_thread_join (g_thread_new ("MQTTAsync_rcv", write_one_thread_func, GINT_TO_POINTER (fds[0])));
  g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLIN, 50, &revents), ==, 0);

  close (fds[0]);
  close (fds[1]);
}

typedef struct
{
  int                    fd;
  struct sockaddr_in     address;
} ConnectCall;

static gpointer
connect_thread_func (gpointer data)
{
  ConnectCall *call = data;

  if (connect (call->fd, (struct sockaddr *) &call->address, sizeof call->address) != 0)
    g_assert_cmpint (errno, ==, EINPROGRESS);
  return NULL;
}

/* connect() from @thread_name on a new non-blocking socket to @listener;
 * returns the socket. */
static int
connect_from (const char *thread_name,
              int         listener)
{
  ConnectCall call = { 0 };
  socklen_t len = sizeof call.address;

  g_assert_no_errno (getsockname (listener, (struct sockaddr *) &call.address, &len));
  call.fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  g_assert_cmpint (call.fd, >=, 0);
  g_thread_join (g_thread_new (thread_name, connect_thread_func, &call));

  return call.fd;
}

static int
listen_on_loopback (void)
{
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &address, sizeof address));
  g_assert_no_errno (listen (fd, 4));
  return fd;
}

/* A socket Paho's send thread is connecting: the receive thread's poll()
 * returns when the connection is made (Paho would otherwise see it up to
 * 2.1 s later); on other threads a connect() leaves poll() as it was. */
static void
test_connecting (void)
{
  int listener = listen_on_loopback ();
  int paho_fd = connect_from ("MQTTAsync_send", listener);
  int other_fd = connect_from ("antenna-other", listener);
  short revents;

  g_assert_cmpint (poll_on ("MQTTAsync_rcv", paho_fd, POLLIN, LONG_POLL_MS, &revents), ==, 1);
  g_assert_cmpint (revents & POLLOUT, ==, POLLOUT);

  g_assert_cmpint (poll_on ("MQTTAsync_rcv", other_fd, POLLIN, 50, &revents), ==, 0);
  g_assert_cmpint (poll_on (NULL, paho_fd, POLLIN, 50, &revents), ==, 0);

  close (paho_fd);
  close (other_fd);
  close (listener);
}

/* Fills @fd to the last byte from a thread that is not Paho's: no write of
 * Paho's is pending there. A socket that refuses a large write may still
 * take a small one, hence the last writes of one byte. */
static gpointer
fill_untracked_thread_func (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);

  fill_thread_func (data);
  while (write (fd, "f", 1) == 1)
    ;
  g_assert_cmpint (errno, ==, EAGAIN);
  return NULL;
}

/* The receive thread's poll() for POLLOUT alone with no timeout (once a turn
 * of Paho's) is answered from what the wrappers know, without asking the
 * kernel: a socket with no write of Paho's pending is writable. Shown on a
 * full socket, which the kernel would call not writable; once Paho's own
 * write is left pending there, the kernel is asked again. Any other poll()
 * is the kernel's. */
static void
test_pollout (void)
{
  int fds[2];
  short revents;

  if (!_antenna_paho_wakeup_answers_pollout ())
    {
      g_test_skip ("ANTENNA_PAHO_POLLOUT=0");
      return;
    }

  make_pair (fds);
  g_thread_join (g_thread_new ("antenna-other", fill_untracked_thread_func, GINT_TO_POINTER (fds[0])));
  g_assert_true (_antenna_paho_wakeup_is_settled (fds[0]));

  g_assert_cmpint (poll_on (NULL, fds[0], POLLOUT, 0, &revents), ==, 0);
  g_assert_cmpint (poll_on ("MQTTAsync_send", fds[0], POLLOUT, 0, &revents), ==, 0);
  g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLOUT | POLLIN, 0, &revents), ==, 0);
  g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLOUT, 0, &revents), ==, 1);
  g_assert_cmpint (revents, ==, POLLOUT);

  /* Paho's write left pending: the kernel says. */
  g_thread_join (g_thread_new ("MQTTAsync_send", fill_thread_func, GINT_TO_POINTER (fds[0])));
  g_assert_true (_antenna_paho_wakeup_is_write_pending (fds[0]));
  g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLOUT, 0, &revents), ==, 0);
  drain (fds[1]);
  g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLOUT, 0, &revents), ==, 1);
  g_assert_cmpint (revents & POLLOUT, ==, POLLOUT);

  close (fds[0]);
  close (fds[1]);
}

/* ANTENNA_PAHO_POLLOUT=0: the kernel answers every poll() (a subprocess:
 * the switch is read once). */
static void
test_pollout_off (void)
{
  if (g_test_subprocess ())
    {
      int fds[2];
      short revents;

      g_assert_false (_antenna_paho_wakeup_answers_pollout ());
      make_pair (fds);
      g_thread_join (g_thread_new ("antenna-other", fill_untracked_thread_func, GINT_TO_POINTER (fds[0])));
      g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLOUT, 0, &revents), ==, 0);
      close (fds[0]);
      close (fds[1]);
      return;
    }

  g_setenv ("ANTENNA_PAHO_POLLOUT", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("ANTENNA_PAHO_POLLOUT");
  g_test_trap_assert_passed ();
}

/* ANTENNA_PAHO_WAKEUP=0: inert on Paho's threads too (read once per process,
 * so in a subprocess of its own). */
static void
test_off (void)
{
  if (g_test_subprocess ())
    {
      int fds[2];
      short revents;

      g_assert_false (_antenna_paho_wakeup_is_active ());
      make_pair (fds);
      g_thread_join (g_thread_new ("MQTTAsync_send", fill_thread_func, GINT_TO_POINTER (fds[0])));
      drain (fds[1]);
      g_assert_cmpint (poll_on ("MQTTAsync_rcv", fds[0], POLLIN, 50, &revents), ==, 0);
      g_assert_cmpint (revents, ==, 0);
      return;
    }

  g_setenv ("ANTENNA_PAHO_WAKEUP", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("ANTENNA_PAHO_WAKEUP");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);
  _antenna_paho_wakeup_init ();

  g_test_add_func ("/antenna/paho-wakeup/interposed", test_interposed);
  g_test_add_func ("/antenna/paho-wakeup/pending-write", test_pending_write);
  g_test_add_func ("/antenna/paho-wakeup/connecting", test_connecting);
  g_test_add_func ("/antenna/paho-wakeup/off", test_off);
  g_test_add_func ("/antenna/paho-wakeup/pollout", test_pollout);
  g_test_add_func ("/antenna/paho-wakeup/pollout-off", test_pollout_off);

  return g_test_run ();
}
