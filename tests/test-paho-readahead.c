/* test-paho-readahead.c: Paho's socket reads served from a buffer
 *
 * src/core/antenna-paho-readahead.c interposes recv(), read() and close()
 * and reads ahead only on threads named as Paho names its own; poll() on the
 * receive thread reports what it buffered. The first tests name threads so
 * and use local sockets: a stream comes out whole and in order whichever way
 * it is read, and every other thread's calls are passed through. The last
 * ones are the real thing: thousands of messages, small and larger than the
 * buffer, through AntennaClient from a real broker over TCP, TLS and
 * WebSocket, each byte for byte and in order, with the read-ahead on and off.
 * The same for antenna-paho-coalesce.c, which holds the receive thread's
 * small writes (PUBACKs) back while the buffer has data: on sockets, where
 * and in which order they go out, and a failure reported; through a broker,
 * that it got every PUBACK of a flood.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-paho-coalesce-private.h"
#include "antenna-paho-readahead-private.h"
#include "antenna-paho-wakeup-private.h"
#include "antenna-profile.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-utils.h"

/* Long enough never to end on a loaded machine when the wrapper works, so
 * that a poll() that returns 0 can only mean it did not. */
#define LONG_POLL_MS 60000
#define WAIT_MS      60000

static void
make_pair (int fds[2])
{
  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds));
}

/* Byte @j of stream or message @i: different in every position that matters. */
static guint8
pattern_byte (guint i,
              gsize j)
{
  return (guint8) ((i * 131u + j * 7u + (j >> 8)) & 0xff);
}

static GBytes *
pattern_bytes (guint i,
               gsize size)
{
  guint8 *data = g_malloc (MAX (size, 1));

  for (gsize j = 0; j < size; j++)
    data[j] = pattern_byte (i, j);
  return g_bytes_new_take (data, size);
}

static void
write_all (int          fd,
           const guint8 *data,
           gsize         size)
{
  while (size > 0)
    {
      struct pollfd pfd = { fd, POLLOUT, 0 };
      ssize_t n = write (fd, data, size);

      if (n < 0)
        {
          g_assert_cmpint (errno, ==, EAGAIN);
          g_assert_cmpint (poll (&pfd, 1, LONG_POLL_MS), ==, 1);
          continue;
        }
      data += n;
      size -= (gsize) n;
    }
}

/* ---- Sockets, on threads named as Paho's -------------------------------- */

/* What a thread does with one end of a socket pair. */
typedef struct
{
  int      fd;
  gsize    size;        /* how many bytes the stream has */
  GBytes  *expected;
  gboolean peer_closes; /* the writer closes after the stream */
} Stream;

static gpointer
writer_thread_func (gpointer data)
{
  Stream *stream = data;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (stream->expected, &size);

  write_all (stream->fd, bytes, size);
  if (stream->peer_closes)
    close (stream->fd);
  return NULL;
}

/* Reads the stream as Paho does: a byte, then a length of 1 to 200 bytes or
 * one larger than the buffer, alternating recv() and read(), waiting in
 * poll() whenever a read found nothing; every byte must be the one written. */
static gpointer
paho_reader_thread_func (gpointer data)
{
  Stream *stream = data;
  const guint8 *expected = g_bytes_get_data (stream->expected, NULL);
  g_autofree guint8 *buffer = g_malloc (4 * ANTENNA_PAHO_READAHEAD_SIZE);
  gsize done = 0;
  guint turn = 0;

  while (done < stream->size)
    {
      gsize want = turn % 2 == 0 ? 1 : (turn % 7 == 3 ? 3 * ANTENNA_PAHO_READAHEAD_SIZE + 5
                                                         : 1 + turn % 200);
      struct pollfd pfd = { stream->fd, POLLIN, 0 };
      ssize_t n;

      want = MIN (want, stream->size - done);
      n = turn % 5 == 4 ? read (stream->fd, buffer, want) : recv (stream->fd, buffer, want, 0);
      turn++;
      if (n < 0)
        {
          g_assert_cmpint (errno, ==, EAGAIN);
          g_assert_cmpint (poll (&pfd, 1, LONG_POLL_MS), ==, 1);
          continue;
        }
      g_assert_cmpint (n, >, 0);
      g_assert_cmpuint ((gsize) n, <=, want);
      g_assert_cmpmem (buffer, n, expected + done, n);
      done += (gsize) n;
    }

  /* Then the end of the stream, when the writer closed it. */
  if (stream->peer_closes)
    {
      struct pollfd pfd = { stream->fd, POLLIN, 0 };

      g_assert_cmpint (poll (&pfd, 1, LONG_POLL_MS), ==, 1);
      g_assert_cmpint (recv (stream->fd, buffer, 10, 0), ==, 0);
    }
  return NULL;
}

/* The wrappers are what the process's calls bind to: the test program
 * exports them as the app does (tests/check-paho-wakeup.sh checks the app). */
static void
test_interposed (void)
{
  g_assert_true (_antenna_paho_readahead_is_interposed ());
  if (g_strcmp0 (g_getenv ("ANTENNA_PAHO_READAHEAD"), "0") == 0)
    g_assert_false (_antenna_paho_readahead_is_active ());
  else
    g_assert_true (_antenna_paho_readahead_is_active ());
}

/* A small read takes more from the socket; the receive thread's poll() says
 * so at once, other threads' poll() and recv() see the socket as it is. */
typedef struct
{
  int   fd;
  int   result;
  short revents;
  char  byte;
} SmallRead;

static gpointer
small_read_thread_func (gpointer data)
{
  SmallRead *call = data;
  struct pollfd pfd = { call->fd, POLLIN, 0 };

  g_assert_cmpint (recv (call->fd, &call->byte, 1, 0), ==, 1);
  /* Nothing left in the socket: only the buffer can make this return. */
  call->result = poll (&pfd, 1, LONG_POLL_MS);
  call->revents = pfd.revents;
  return NULL;
}

static void
test_small_read (void)
{
  g_autoptr(GBytes) expected = pattern_bytes (1, 1000);
  const guint8 *bytes = g_bytes_get_data (expected, NULL);
  SmallRead call = { 0 };
  struct pollfd pfd;
  char rest[1000];
  int fds[2];

  make_pair (fds);
  write_all (fds[1], bytes, 1000);

  call.fd = fds[0];
  g_thread_join (g_thread_new ("MQTTAsync_rcv", small_read_thread_func, &call));
  g_assert_cmpint (call.byte, ==, (char) bytes[0]);
  g_assert_cmpint (call.result, ==, 1);
  g_assert_cmpint (call.revents, ==, POLLIN);
  g_assert_cmpuint (_antenna_paho_readahead_get_buffered (fds[0]), ==, 999);

  /* The socket itself is empty: other threads are told the truth. */
  pfd = (struct pollfd) { fds[0], POLLIN, 0 };
  g_assert_cmpint (poll (&pfd, 1, 0), ==, 0);
  g_assert_cmpint (recv (fds[0], rest, sizeof rest, 0), ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);

  /* Closing the socket drops what was read ahead. */
  close (fds[0]);
  g_assert_cmpuint (_antenna_paho_readahead_get_buffered (fds[0]), ==, 0);
  close (fds[1]);
}

/* Fills @fd (non-blocking) until a write() fails with EAGAIN: on Paho's
 * send thread, a write left pending. */
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

typedef struct
{
  int   fd;
  int   timeout;
  int   result;
  short revents;
} PollCall;

static gpointer
poll_thread_func (gpointer data)
{
  PollCall *call = data;
  struct pollfd pfd = { call->fd, POLLIN, 0 };

  call->result = poll (&pfd, 1, call->timeout);
  call->revents = pfd.revents;
  return NULL;
}

/* Paho reads nothing of a socket while a write to it is pending: buffered
 * data does not make it readable early, the wake-up's wait for POLLOUT
 * stands (else Paho would sleep 100 ms at each turn). */
static void
test_pending_write (void)
{
  SmallRead call = { 0 };
  PollCall poll_call = { 0 };
  char buffer[65536];
  int fds[2];

  if (!_antenna_paho_wakeup_is_active ())
    {
      g_test_skip ("the wake-up is off: no write is tracked");
      return;
    }

  make_pair (fds);
  write_all (fds[1], (const guint8 *) "abc", 3);
  call.fd = fds[0];
  g_thread_join (g_thread_new ("MQTTAsync_rcv", small_read_thread_func, &call));
  g_assert_cmpuint (_antenna_paho_readahead_get_buffered (fds[0]), ==, 2);

  g_thread_join (g_thread_new ("MQTTAsync_send", fill_thread_func, GINT_TO_POINTER (fds[0])));
  poll_call = (PollCall) { fds[0], 50, -2, 0 };
  g_thread_join (g_thread_new ("MQTTAsync_rcv", poll_thread_func, &poll_call));
  g_assert_cmpint (poll_call.result, ==, 0);

  /* Writable again: the write can go on. */
  while (read (fds[1], buffer, sizeof buffer) > 0)
    ;
  poll_call = (PollCall) { fds[0], LONG_POLL_MS, -2, 0 };
  g_thread_join (g_thread_new ("MQTTAsync_rcv", poll_thread_func, &poll_call));
  g_assert_cmpint (poll_call.result, ==, 1);
  g_assert_cmpint (poll_call.revents & POLLOUT, ==, POLLOUT);

  /* Closed, the socket's number forgets the write: the next socket given it
   * is polled for what Paho asks. */
  g_assert_true (_antenna_paho_wakeup_is_write_pending (fds[0]));
  close (fds[0]);
  g_assert_false (_antenna_paho_wakeup_is_write_pending (fds[0]));
  close (fds[1]);
}

/* Another thread's reads are passed through. */
static gpointer
other_read_thread_func (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  char byte;

  g_assert_cmpint (recv (fd, &byte, 1, 0), ==, 1);
  return NULL;
}

static void
test_other_threads (void)
{
  int fds[2];

  make_pair (fds);
  write_all (fds[1], (const guint8 *) "abc", 3);
  g_thread_join (g_thread_new ("antenna-other", other_read_thread_func, GINT_TO_POINTER (fds[0])));
  g_assert_cmpuint (_antenna_paho_readahead_get_buffered (fds[0]), ==, 0);
  close (fds[0]);
  close (fds[1]);
}

/* A stream of 1 MiB, written as fast as the socket takes it while Paho's
 * receive thread reads it in small and large pieces: every byte, in order,
 * then the end of the stream. */
static void
test_stream (void)
{
  const gsize size = 1024 * 1024 + 17;
  g_autoptr(GBytes) expected = pattern_bytes (2, size);
  Stream writer = { 0, size, expected, TRUE };
  Stream reader = { 0, size, expected, TRUE };
  GThread *writer_thread;
  int fds[2];

  make_pair (fds);
  reader.fd = fds[0];
  writer.fd = fds[1];
  writer_thread = g_thread_new ("antenna-writer", writer_thread_func, &writer);
  g_thread_join (g_thread_new ("MQTTAsync_rcv", paho_reader_thread_func, &reader));
  g_thread_join (writer_thread);
  g_assert_cmpuint (_antenna_paho_readahead_get_buffered (fds[0]), ==, 0);
  close (fds[0]);
}

/* ANTENNA_PAHO_READAHEAD=0: inert on Paho's threads too (read once per
 * process, so in a subprocess of its own); the stream is still whole. */
static void
test_off (void)
{
  if (g_test_subprocess ())
    {
      SmallRead call = { 0 };
      int fds[2];

      g_assert_false (_antenna_paho_readahead_is_active ());
      make_pair (fds);
      write_all (fds[1], (const guint8 *) "abc", 3);
      call.fd = fds[0];
      g_thread_join (g_thread_new ("MQTTAsync_rcv", small_read_thread_func, &call));
      g_assert_cmpint (call.byte, ==, 'a');
      g_assert_cmpint (call.result, ==, 1);
      g_assert_cmpuint (_antenna_paho_readahead_get_buffered (fds[0]), ==, 0);
      close (fds[0]);
      close (fds[1]);
      test_stream ();
      return;
    }

  g_setenv ("ANTENNA_PAHO_READAHEAD", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("ANTENNA_PAHO_READAHEAD");
  g_test_trap_assert_passed ();
}

/* ---- Writes held back (antenna-paho-coalesce.c) ------------------------ */

/* Reads what @fd has now, on a thread that is not Paho's (so that nothing
 * is read ahead of the test). */
typedef struct
{
  int      fd;
  GString *data;
  gboolean eof;
} Drain;

static gpointer
drain_thread_func (gpointer user_data)
{
  Drain *drain = user_data;
  char buffer[65536];
  ssize_t n;

  while ((n = recv (drain->fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0)
    g_string_append_len (drain->data, buffer, n);
  drain->eof = n == 0;
  if (n < 0)
    g_assert_cmpint (errno, ==, EAGAIN);
  return NULL;
}

/* What the peer has received so far. */
static char *
peer_receive (int       fd,
              gboolean *eof)
{
  Drain drain = { fd, g_string_new (NULL), FALSE };

  g_thread_join (g_thread_new ("antenna-other", drain_thread_func, &drain));
  if (eof != NULL)
    *eof = drain.eof;
  return g_string_free (drain.data, FALSE);
}

static gpointer
send_thread_write_func (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  struct iovec iov[2] = { { (char *) "PUB", 3 }, { (char *) "LISH", 4 } };

  g_assert_cmpint (writev (fd, iov, 2), ==, 7);
  return NULL;
}

static gpointer
send_thread_write_again_func (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);

  /* The socket takes nothing before what was held back: Paho keeps this
   * write pending and goes on with it later. */
  g_assert_cmpint (write (fd, "PUB", 3), ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);
  return NULL;
}

/* Reads one byte of @fd, which must be @expected. */
static void
recv_byte (int  fd,
           char expected)
{
  char byte = 0;

  g_assert_cmpint (recv (fd, &byte, 1, 0), ==, 1);
  g_assert_cmpint (byte, ==, expected);
}

/* The receive thread writes while its read-ahead buffer has data: the writes
 * are held back, reported complete, and reach the peer in order, together,
 * at each point where they must. All on one thread named as Paho's receive
 * thread (which sockets it held writes back on is its own). */
static gpointer
held_writes_thread_func (gpointer data)
{
  int *fds = data;
  int fd = fds[0], peer = fds[1];
  struct iovec iov[2] = { { (char *) "ab", 2 }, { (char *) "cd", 2 } };
  struct pollfd pfd = { fd, POLLIN, 0 };
  guint64 n_held = _antenna_paho_coalesce_get_n_held ();
  char buffer[16];
  g_autofree char *got = NULL;

  /* Held while there is more to read from memory… */
  write_all (peer, (const guint8 *) "0123456789", 10);
  recv_byte (fd, '0');
  g_assert_cmpint (writev (fd, iov, 2), ==, 4);
  g_assert_cmpint (write (fd, "ef", 2), ==, 2);
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 6);
  g_assert_cmpuint (_antenna_paho_coalesce_get_n_held (), ==, n_held + 2);
  g_assert_cmpint (recv (fd, buffer, 9, 0), ==, 9);
  got = peer_receive (peer, NULL);
  g_assert_cmpstr (got, ==, "");
  g_clear_pointer (&got, g_free);

  /* …and written, in order, before a read goes to the socket. */
  g_assert_cmpint (recv (fd, buffer, 1, 0), ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 0);
  got = peer_receive (peer, NULL);
  g_assert_cmpstr (got, ==, "abcdef");
  g_clear_pointer (&got, g_free);

  /* A write with nothing more to read goes out at once. */
  g_assert_cmpint (write (fd, "g", 1), ==, 1);
  got = peer_receive (peer, NULL);
  g_assert_cmpstr (got, ==, "g");
  g_clear_pointer (&got, g_free);

  /* The send thread's next write goes after what was held back. */
  write_all (peer, (const guint8 *) "xyz", 3);
  recv_byte (fd, 'x');
  g_assert_cmpint (write (fd, "P1", 2), ==, 2);
  g_thread_join (g_thread_new ("MQTTAsync_send", send_thread_write_func, GINT_TO_POINTER (fd)));
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 0);
  got = peer_receive (peer, NULL);
  g_assert_cmpstr (got, ==, "P1PUBLISH");
  g_clear_pointer (&got, g_free);

  /* Written before the receive thread waits in poll(). */
  recv_byte (fd, 'y');
  g_assert_cmpint (write (fd, "P2", 2), ==, 2);
  recv_byte (fd, 'z');
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 2);
  g_assert_cmpint (poll (&pfd, 1, 50), ==, 0);
  got = peer_receive (peer, NULL);
  g_assert_cmpstr (got, ==, "P2");
  g_clear_pointer (&got, g_free);

  /* Larger writes are not held back. */
  write_all (peer, (const guint8 *) "12", 2);
  recv_byte (fd, '1');
  {
    g_autofree char *large = g_malloc (ANTENNA_PAHO_COALESCE_SMALL + 1);

    memset (large, 'L', ANTENNA_PAHO_COALESCE_SMALL + 1);
    g_assert_cmpint (write (fd, large, ANTENNA_PAHO_COALESCE_SMALL + 1), ==, ANTENNA_PAHO_COALESCE_SMALL + 1);
    g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 0);
    got = peer_receive (peer, NULL);
    g_assert_cmpuint (strlen (got), ==, ANTENNA_PAHO_COALESCE_SMALL + 1);
    g_clear_pointer (&got, g_free);
  }

  /* Written before the socket is closed. */
  g_assert_cmpint (write (fd, "BYE", 3), ==, 3);
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 3);
  close (fd);
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 0);
  {
    gboolean eof = FALSE;

    got = peer_receive (peer, &eof);
    g_assert_cmpstr (got, ==, "BYE");
    g_assert_true (eof);
  }
  close (peer);
  return NULL;
}

/* A held-writes test: @func on a thread named as Paho's receive thread,
 * given a connected socket pair. */
static void
run_held_test (GThreadFunc func)
{
  int fds[2];

  if (!_antenna_paho_coalesce_is_active ())
    {
      g_test_skip ("ANTENNA_PAHO_COALESCE=0 or ANTENNA_PAHO_READAHEAD=0");
      return;
    }

  make_pair (fds);
  g_thread_join (g_thread_new ("MQTTAsync_rcv", func, fds));
}

static void
test_held_writes (void)
{
  run_held_test (held_writes_thread_func);
}

/* What was held back and could not be written (the peer is gone) is the
 * error of the next call on the socket, where Paho sees the connection
 * lost, rather than the end of the stream a read would otherwise get. */
static gpointer
held_error_thread_func (gpointer data)
{
  int *fds = data;
  int fd = fds[0];
  struct pollfd pfd = { fd, POLLIN, 0 };
  char byte;

  write_all (fds[1], (const guint8 *) "mn", 2);
  recv_byte (fd, 'm');
  g_assert_cmpint (write (fd, "ACK", 3), ==, 3);
  recv_byte (fd, 'n');
  close (fds[1]);

  /* The peer hung up: poll() returns at once, after the write failed. */
  g_assert_cmpint (poll (&pfd, 1, LONG_POLL_MS), ==, 1);
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 0);
  g_assert_cmpint (recv (fd, &byte, 1, 0), ==, -1);
  g_assert_cmpint (errno, ==, EPIPE);
  /* Reported once: the socket itself says the rest. */
  g_assert_cmpint (recv (fd, &byte, 1, 0), ==, 0);
  close (fd);
  return NULL;
}

static void
test_held_error (void)
{
  run_held_test (held_error_thread_func);
}

/* Fills @fd (non-blocking) to the last byte, on a thread that is not
 * Paho's: the wrappers see no write pending. A socket that refuses a large
 * write may still take a small one: the last writes are of one byte. */
static gpointer
fill_to_last_byte_thread_func (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);

  fill_thread_func (data);
  while (write (fd, "f", 1) == 1)
    ;
  g_assert_cmpint (errno, ==, EAGAIN);
  return NULL;
}

static void
fill_untracked (int fd)
{
  g_thread_join (g_thread_new ("antenna-other", fill_to_last_byte_thread_func, GINT_TO_POINTER (fd)));
}

/* The socket takes only part of what was held back (its buffer is full):
 * the rest stays first in line, the socket counts as having a write pending
 * (Paho's receive thread waits for POLLOUT, reads nothing), and goes out
 * once the socket takes more. */
static gpointer
held_partial_thread_func (gpointer data)
{
  int *fds = data;
  int fd = fds[0], peer = fds[1];
  struct pollfd pfd = { fd, POLLIN, 0 };
  g_autofree char *got = NULL;

  write_all (peer, (const guint8 *) "qr", 2);
  recv_byte (fd, 'q');
  g_assert_cmpint (write (fd, "HELD", 4), ==, 4);
  fill_untracked (fd);
  recv_byte (fd, 'r');

  g_assert_cmpint (poll (&pfd, 1, 50), ==, 0);
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 4);
  g_assert_true (_antenna_paho_wakeup_is_write_pending (fd));
  g_thread_join (g_thread_new ("MQTTAsync_send", send_thread_write_again_func, GINT_TO_POINTER (fd)));

  got = peer_receive (peer, NULL);
  g_assert_false (g_str_has_suffix (got, "HELD"));
  g_clear_pointer (&got, g_free);

  /* Room again: written before the next wait, and the wait for POLLOUT ends. */
  g_assert_cmpint (poll (&pfd, 1, 50), ==, 0);
  g_assert_cmpuint (_antenna_paho_coalesce_get_held (fd), ==, 0);
  g_assert_false (_antenna_paho_wakeup_is_write_pending (fd));
  got = peer_receive (peer, NULL);
  g_assert_cmpstr (got, ==, "HELD");

  close (fd);
  close (peer);
  return NULL;
}

static void
test_held_partial (void)
{
  run_held_test (held_partial_thread_func);
}

/* ---- Through AntennaClient, from a real broker ----------------------------- */

typedef enum {
  VIA_TCP,
  VIA_TLS,
  VIA_WEBSOCKET,
} Via;

#define N_MESSAGES 3000

/* Mostly small messages, as in a flood; every 97th larger than the buffer,
 * so that packets straddle it in every way. */
static gsize
message_size (guint i)
{
  if (i % 97 == 5)
    return ANTENNA_PAHO_READAHEAD_SIZE - 40 + (i * 7919u) % (3 * ANTENNA_PAHO_READAHEAD_SIZE);
  return (i * 31u) % 200;
}

static void
on_publish_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  guint *n_done = user_data;
  g_autoptr(GError) error = NULL;

  antenna_client_publish_finish (ANTENNA_CLIENT (source), result, &error);
  g_assert_no_error (error);
  (*n_done)++;
}

static void
receive_many (Via via)
{
  g_autoptr(AntennaTestBroker) broker = NULL;
  g_autoptr(AntennaProfile) sub_profile = antenna_profile_new ();
  g_autoptr(AntennaProfile) pub_profile = antenna_profile_new ();
  g_autoptr(AntennaClient) subscriber = NULL;
  g_autoptr(AntennaClient) publisher = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_done = 0;

  broker = antenna_test_broker_new (via == VIA_TLS ? ANTENNA_TEST_BROKER_TLS :
                                    via == VIA_WEBSOCKET ? ANTENNA_TEST_BROKER_WEBSOCKET :
                                    ANTENNA_TEST_BROKER_PLAIN);

  antenna_profile_set_host (pub_profile, "127.0.0.1");
  antenna_profile_set_port (pub_profile, antenna_test_broker_get_mqtt_port (broker));
  antenna_profile_set_host (sub_profile, "127.0.0.1");
  switch (via)
    {
    case VIA_TCP:
      antenna_profile_set_port (sub_profile, antenna_test_broker_get_port (broker));
      break;
    case VIA_TLS:
      antenna_profile_set_transport (sub_profile, ANTENNA_TRANSPORT_TLS);
      antenna_profile_set_port (sub_profile, antenna_test_broker_get_tls_port (broker));
      antenna_profile_set_tls_ca_file (sub_profile, antenna_test_broker_get_ca_file (broker));
      break;
    case VIA_WEBSOCKET:
      /* The aedes broker speaks MQTT 3.1.1. */
      antenna_profile_set_mqtt_version (pub_profile, ANTENNA_MQTT_VERSION_3_1_1);
      antenna_profile_set_mqtt_version (sub_profile, ANTENNA_MQTT_VERSION_3_1_1);
      antenna_profile_set_transport (sub_profile, ANTENNA_TRANSPORT_WS);
      antenna_profile_set_port (sub_profile, antenna_test_broker_get_ws_port (broker));
      antenna_profile_set_ws_path (sub_profile, antenna_test_broker_get_ws_path (broker));
      break;
    default:
      g_assert_not_reached ();
    }

  subscriber = antenna_client_new (sub_profile);
  publisher = antenna_client_new (pub_profile);
  antenna_test_collect_messages (subscriber, messages);
  antenna_test_connect_ok (subscriber, NULL);
  antenna_test_connect_ok (publisher, NULL);
  antenna_test_subscribe_ok (subscriber, "many/#", 1);

  /* All at once: the broker forwards them as fast as they come, many
   * packets to a read of the subscriber's socket. */
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr(GBytes) payload = pattern_bytes (i, message_size (i));

      antenna_client_publish_async (publisher, "many/x", payload, 1, FALSE, NULL, NULL,
                                    on_publish_done, &n_done);
    }

  g_assert_cmpuint (antenna_test_wait_messages (messages, N_MESSAGES, WAIT_MS), ==, N_MESSAGES);
  while (n_done < N_MESSAGES)
    g_main_context_iteration (NULL, TRUE);
  antenna_test_iterate_for (200);
  g_assert_cmpuint (messages->len, ==, N_MESSAGES);

  /* One publisher, one topic, QoS 1: in the order published, each whole. */
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr(GBytes) expected = pattern_bytes (i, message_size (i));
      GBytes *payload = antenna_message_get_payload (g_ptr_array_index (messages, i));

      g_assert_cmpuint (g_bytes_get_size (payload), ==, g_bytes_get_size (expected));
      if (!g_bytes_equal (payload, expected))
        g_error ("message %u of %u differs from what was published", i, N_MESSAGES);
    }

  antenna_test_disconnect_ok (publisher);
  antenna_test_disconnect_ok (subscriber);
}

/* The same with the read-ahead off, in a subprocess (the switch is read once). */
static void
receive_many_both_ways (Via via)
{
  if (g_test_subprocess ())
    {
      g_assert_false (_antenna_paho_readahead_is_active ());
      receive_many (via);
      return;
    }

  receive_many (via);

  g_setenv ("ANTENNA_PAHO_READAHEAD", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("ANTENNA_PAHO_READAHEAD");
  g_test_trap_assert_passed ();
}

static void
test_client_tcp (void)
{
  receive_many_both_ways (VIA_TCP);
}

static void
test_client_tls (void)
{
  receive_many_both_ways (VIA_TLS);
}

static void
test_client_websocket (void)
{
  receive_many_both_ways (VIA_WEBSOCKET);
}

/* Every PUBACK of a flood reaches the broker, whether held back or not.
 * With a window of 10 messages in flight the broker sends no more QoS 1
 * messages until the last ones are acknowledged, so acknowledgements held
 * back for good would stall the flood (the test would end at its deadline,
 * long before a keepalive PINGREQ took them along). Every 7th message is at
 * QoS 0: a read that ends with one leaves no PUBACK to write. After a clean
 * disconnect, a message published to the session meanwhile is the first the
 * subscriber gets when it comes back: a message whose PUBACK was lost would
 * be sent again before it. (Whether a given write is held back depends on
 * how the broker's packets meet the reads; test_held_writes tests each point
 * where they go out.) */
#define N_ACKED 5000

static int
acked_qos (guint i)
{
  return i % 7 == 3 ? 0 : 1;
}

static void
receive_acked (void)
{
  g_autoptr(AntennaTestBroker) broker = NULL;
  g_autoptr(AntennaProfile) sub_profile = antenna_profile_new ();
  g_autoptr(AntennaProfile) pub_profile = antenna_profile_new ();
  g_autoptr(AntennaClient) subscriber = NULL;
  g_autoptr(AntennaClient) publisher = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = g_strdup_printf ("antenna-acks-%d", (int) getpid ());
  g_autofree gboolean *seen = NULL;
  guint64 n_held = _antenna_paho_coalesce_get_n_held ();
  guint n_done = 0;

  broker = antenna_test_broker_start_with_config (ANTENNA_TEST_BROKER_QUEUE_QOS0,
                                                  "max_inflight_messages 10", &error);
  g_assert_no_error (error);

  antenna_profile_set_host (pub_profile, "127.0.0.1");
  antenna_profile_set_port (pub_profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_host (sub_profile, "127.0.0.1");
  antenna_profile_set_port (sub_profile, antenna_test_broker_get_port (broker));
  antenna_profile_set_mqtt_version (sub_profile, ANTENNA_MQTT_VERSION_3_1_1);
  antenna_profile_set_client_id (sub_profile, client_id);
  antenna_profile_set_clean_start (sub_profile, FALSE);
  antenna_profile_set_keepalive (sub_profile, 3600);

  subscriber = antenna_client_new (sub_profile);
  publisher = antenna_client_new (pub_profile);
  antenna_test_collect_messages (subscriber, messages);
  antenna_test_connect_ok (subscriber, NULL);
  antenna_test_connect_ok (publisher, NULL);
  antenna_test_subscribe_ok (subscriber, "acks/#", 1);

  for (guint i = 0; i < N_ACKED; i++)
    {
      g_autoptr(GBytes) payload = pattern_bytes (i, (i * 31u) % 60);
      g_autofree char *topic = g_strdup_printf ("acks/%u", i);

      antenna_client_publish_async (publisher, topic, payload, acked_qos (i), FALSE, NULL, NULL,
                                    on_publish_done, &n_done);
    }

  g_assert_cmpuint (antenna_test_wait_messages (messages, N_ACKED, WAIT_MS), ==, N_ACKED);
  while (n_done < N_ACKED)
    g_main_context_iteration (NULL, TRUE);

  /* QoS 0 and 1 may be sent in another order: each once, whole. */
  seen = g_new0 (gboolean, N_ACKED);
  for (guint i = 0; i < N_ACKED; i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);
      guint64 n;
      g_autoptr(GBytes) expected = NULL;

      g_assert_true (g_ascii_string_to_unsigned (antenna_message_get_topic (message) + strlen ("acks/"),
                                                 10, 0, N_ACKED - 1, &n, NULL));
      g_assert_false (seen[n]);
      seen[n] = TRUE;
      expected = pattern_bytes ((guint) n, (n * 31u) % 60);
      if (!g_bytes_equal (antenna_message_get_payload (message), expected))
        g_error ("message %u of %u differs from what was published", (guint) n, N_ACKED);
    }
  antenna_test_disconnect_ok (subscriber);
  g_clear_object (&subscriber);

  /* Offline: the session keeps it. */
  {
    g_autoptr(GBytes) end = g_bytes_new_static ("end", 3);

    g_assert_true (antenna_test_publish (publisher, "acks/end", end, 1, FALSE, NULL, &error));
    g_assert_no_error (error);
  }

  subscriber = antenna_client_new (sub_profile);
  antenna_test_collect_messages (subscriber, after);
  antenna_test_connect_ok (subscriber, NULL);
  g_assert_cmpuint (antenna_test_wait_messages (after, 1, WAIT_MS), >=, 1);
  g_assert_cmpstr (antenna_message_get_topic (g_ptr_array_index (after, 0)), ==, "acks/end");

  /* How many were held back depends on how the broker's packets met the
   * subscriber's reads: told, not asserted (test_held_writes asserts it). */
  g_test_message ("%" G_GUINT64_FORMAT " writes held back",
                  _antenna_paho_coalesce_get_n_held () - n_held);

  antenna_test_disconnect_ok (subscriber);
  antenna_test_disconnect_ok (publisher);
}

static void
test_client_acks (void)
{
  if (g_test_subprocess ())
    {
      g_assert_false (_antenna_paho_coalesce_is_active ());
      receive_acked ();
      return;
    }

  receive_acked ();

  g_setenv ("ANTENNA_PAHO_COALESCE", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("ANTENNA_PAHO_COALESCE");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);
  _antenna_paho_wakeup_init ();

  g_test_add_func ("/antenna/paho-readahead/interposed", test_interposed);
  g_test_add_func ("/antenna/paho-readahead/small-read", test_small_read);
  g_test_add_func ("/antenna/paho-readahead/pending-write", test_pending_write);
  g_test_add_func ("/antenna/paho-readahead/other-threads", test_other_threads);
  g_test_add_func ("/antenna/paho-readahead/stream", test_stream);
  g_test_add_func ("/antenna/paho-readahead/off", test_off);
  g_test_add_func ("/antenna/paho-readahead/held-writes", test_held_writes);
  g_test_add_func ("/antenna/paho-readahead/held-error", test_held_error);
  g_test_add_func ("/antenna/paho-readahead/held-partial", test_held_partial);
  g_test_add_func ("/antenna/paho-readahead/client/tcp", test_client_tcp);
  g_test_add_func ("/antenna/paho-readahead/client/tls", test_client_tls);
  g_test_add_func ("/antenna/paho-readahead/client/websocket", test_client_websocket);
  g_test_add_func ("/antenna/paho-readahead/client/acks", test_client_acks);

  return antenna_test_run ();
}
