/* antenna-test-utils.h: what every test program shares
 *
 * The preamble of main() (antenna_test_init), the end of it
 * (antenna_test_run), waiting on the main context, files, processes and
 * screenshots. GLib only: the widget tests add antenna-test-ui.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  ANTENNA_TEST_INIT_DEFAULT      = 0,
  /* G_TEST_OPTION_ISOLATE_DIRS: each test its own HOME and XDG user and
   * system directories (GLib's, for this process; the environment keeps the
   * session's). The MIME database stays the system's, and the system
   * directories are remembered for the app a test starts
   * (antenna_test_app_start()). */
  ANTENNA_TEST_INIT_ISOLATE_DIRS = 1 << 0,
} AntennaTestInitFlags;

/* The preamble of every test program's main(), before its g_test_add()s:
 * the C.UTF-8 locale (numbers and messages as the tests expect them), TZ=UTC,
 * no proxy variables (Paho applies them to plain TCP; tests talk to
 * loopback only), then g_test_init(). */
void               antenna_test_init                (int                   *argc,
                                                     char                ***argv,
                                                     AntennaTestInitFlags   flags);

/* g_test_run() for the tests that start clients, then a wait (up to 10 s)
 * until the number of threads has held still for 200 ms, so that none of
 * Paho's threads is tearing itself down while LeakSanitizer's check at exit
 * stops them all. (It did not stop that check's tracer from crashing in
 * test-client, "Tracer caught signal 11", which therefore runs without it:
 * tests/meson.build.) */
int                antenna_test_run                 (void);

/* Waiting. Each iterates the thread-default main context as an
 * application's main loop does: blocking, so that lower-priority sources
 * such as GTK's frame clock get their turn, with a wake-up every few
 * milliseconds so that a condition is checked again even while no source
 * fires (a file another process writes, a dialog GTK maps). */
typedef gboolean (*AntennaTestCondition) (gpointer user_data);

/* Until @condition (@user_data) holds or @timeout_ms passed; returns
 * whether it holds. A condition on a fixture is cast:
 * antenna_test_wait_until ((AntennaTestCondition) page_is_mapped, f, WAIT_MS). */
gboolean           antenna_test_wait_until          (AntennaTestCondition   condition,
                                                     gpointer               user_data,
                                                     guint                  timeout_ms);
/* Until *@flag is TRUE (set by a callback) or @timeout_ms passed; returns *@flag. */
gboolean           antenna_test_wait_for            (gboolean              *flag,
                                                     guint                  timeout_ms);
/* For @ms, e.g. to see that nothing more arrives, or to let a window draw. */
void               antenna_test_iterate_for         (guint                  ms);

/* A GAsyncReadyCallback for tests that run an async call to its end: stores
 * a reference to the result in the GAsyncResult * that @user_data points to. */
void               antenna_test_store_result        (GObject               *object,
                                                     GAsyncResult          *result,
                                                     gpointer               user_data);
/* Until *@result is set (by antenna_test_store_result()) or @timeout_ms
 * passed; asserts that it was set and returns it (the caller keeps owning it). */
GAsyncResult      *antenna_test_wait_result         (GAsyncResult         **result,
                                                     guint                  timeout_ms);
/* Drops the caller's reference to @object and waits until it is finalized,
 * once the callbacks of what it started (a keyring lookup, a disconnect)
 * dropped theirs; fails the test when it is not within @timeout_ms. The
 * g_assert_finalize_object() of objects that end asynchronously. */
void               antenna_test_wait_finalized      (gpointer               object,
                                                     guint                  timeout_ms);

/* A launcher for any process a test starts (the app itself, a helper): the
 * child is killed when the test process dies, even by an assertion, so that
 * nothing it started outlives it (a leftover app would own the bus name of
 * the next test's). Proxy variables are unset. */
GSubprocessLauncher *antenna_test_launcher_new      (GSubprocessFlags       flags);

/* How many times @needle stands in @haystack (overlapping ones too), e.g.
 * a line in a log. */
guint              antenna_test_count_in            (const char            *haystack,
                                                     const char            *needle);

/* @size bytes of a fixed pseudo-random sequence: every byte value, NUL and
 * invalid UTF-8 too. For payloads that must come back byte-exact. */
GBytes            *antenna_test_random_bytes        (gsize                  size);

/* Sockets. Bytes the broker's end of its connections on @port has received and not
 * read yet (the kernel's receive queues, /proc/net/tcp): more than 0 while
 * the broker is stopped means a write reached it. */
guint64            antenna_test_unread_at_port      (guint                  port);

/* Files. The contents of @path; fails the test when it cannot be read. */
char              *antenna_test_read_file           (const char            *path);
/* Removes @path and everything below it (symbolic links are not followed). */
void               antenna_test_remove_tree         (const char            *path);

/* Decodes each of @payloads (GBytes, as a subscriber received them) with
 * Python's msgpack or cbor2 (@format "msgpack" or "cbor";
 * tests/generated-helper.py) and fails the test unless each equals the JSON
 * text of the same index in @expanded (GBytes), value for value. */
void               antenna_test_assert_encoded_json (const char            *format,
                                                     GPtrArray             *payloads,
                                                     GPtrArray             *expanded);

/* With ANTENNA_SCREENSHOT_DIR=DIR set, lets the windows settle, then saves
 * the screen (ImageMagick's import) as DIR/@name, e.g. "composer.png";
 * without it, does nothing. */
void               antenna_test_screenshot          (const char            *name);

G_END_DECLS
