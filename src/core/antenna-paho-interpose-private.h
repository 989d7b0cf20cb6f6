/* antenna-paho-interpose-private.h: what the wrappers of Paho's libc calls share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * antenna-paho-wakeup.c, antenna-paho-readahead.c and
 * antenna-paho-coalesce.c define libc functions that libpaho-mqtt3as's calls
 * bind to, and act on Paho's two threads only. This is how they tell those
 * threads apart and find the libc function they stand in front of.
 */
#pragma once

#include <glib.h>
#include <poll.h>

G_BEGIN_DECLS

typedef enum {
  ANTENNA_PAHO_THREAD_UNKNOWN = 0,   /* not looked at yet: the zero of thread-local storage */
  ANTENNA_PAHO_THREAD_OTHER,
  ANTENNA_PAHO_THREAD_SEND,          /* "MQTTAsync_send" */
  ANTENNA_PAHO_THREAD_RECEIVE,       /* "MQTTAsync_rcv" */
} AntennaPahoThread;

/* The wrappers' file descriptor tables cover these numbers; larger ones are
 * passed through untouched. */
#define ANTENNA_PAHO_MAX_TRACKED_FD 65536

extern __thread AntennaPahoThread _antenna_paho_thread;

AntennaPahoThread _antenna_paho_thread_classify (void);

/* The fast path of every wrapper: one thread-local load once the thread was
 * looked at (Paho names its threads first thing). Nothing here allocates,
 * logs or locks: the wrappers run under every read() and write() of the
 * process, GLib's own included. */
static inline AntennaPahoThread
_antenna_paho_get_thread (void)
{
  if G_LIKELY (_antenna_paho_thread != ANTENNA_PAHO_THREAD_UNKNOWN)
    return _antenna_paho_thread;
  return _antenna_paho_thread_classify ();
}

/* next_NAME = the next definition of NAME (libc's, or a sanitizer's
 * interceptor that calls libc's), or syscall_NAME when there is none (a
 * static link). Needs <dlfcn.h> and _GNU_SOURCE for RTLD_NEXT. */
#define ANTENNA_PAHO_RESOLVE(name) \
  G_STMT_START { \
    next_##name = dlsym (RTLD_NEXT, #name); \
    if (next_##name == NULL) \
      next_##name = syscall_##name; \
  } G_STMT_END

/* A poll() of Paho's receive thread answered without a system call: the
 * sockets asked for POLLIN that @has_data says hold data for Paho, and
 * have no write pending (Paho reads none of a socket before its write ends:
 * antenna-paho-wakeup.c waits for that POLLOUT), are reported readable,
 * every other revents cleared. FALSE when there is none: the caller makes
 * the real poll(). Shared by the read-ahead and the WebSocket frames. */
gboolean _antenna_paho_answer_poll (struct pollfd *fds,
                                    nfds_t         n_fds,
                                    gboolean     (*has_data) (int fd),
                                    int           *n_ready);

G_END_DECLS
