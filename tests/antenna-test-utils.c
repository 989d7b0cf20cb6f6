/* antenna-test-utils.c: what every test program shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "antenna-test-private.h"

/* How often a wait wakes up to check its condition again. */
#define WAKE_MS            5
/* How long a screenshot lets the windows settle (animations, a late frame). */
#define SCREENSHOT_SETTLE_MS 1500

static char *system_data_dirs;
static char *system_config_dirs;

/* ------------------------------------------------------------------------ */
/* Processes and directories that must not outlive the test program         */

/* Everything started and not yet freed, so that it can be killed when the
 * test program exits without freeing it. An abort is covered by
 * PR_SET_PDEATHSIG in the children. */
G_LOCK_DEFINE_STATIC (live);
static GList *live_processes;
static GList *live_dirs;
static gboolean atexit_registered;

static void
kill_live_at_exit (void)
{
  G_LOCK (live);
  for (GList *l = live_processes; l != NULL; l = l->next)
    {
      g_subprocess_force_exit (l->data);
      g_subprocess_wait (l->data, NULL, NULL);
    }
  for (GList *l = live_dirs; l != NULL; l = l->next)
    if (g_getenv ("ANTENNA_TEST_KEEP_BROKER_DIR") == NULL)
      antenna_test_remove_tree (l->data);
  G_UNLOCK (live);
}

static void
register_atexit_locked (void)
{
  if (!atexit_registered)
    {
      atexit (kill_live_at_exit);
      atexit_registered = TRUE;
    }
}

void
_antenna_test_track_process (GSubprocess *process,
                             gboolean     add)
{
  G_LOCK (live);
  register_atexit_locked ();
  if (add)
    live_processes = g_list_prepend (live_processes, g_object_ref (process));
  else
    {
      GList *link = g_list_find (live_processes, process);

      if (link != NULL)
        {
          g_object_unref (link->data);
          live_processes = g_list_delete_link (live_processes, link);
        }
    }
  G_UNLOCK (live);
}

/* The list holds the caller's string, which stays alive until removed. */
void
_antenna_test_track_dir (const char *dir,
                         gboolean    add)
{
  G_LOCK (live);
  register_atexit_locked ();
  if (add)
    live_dirs = g_list_prepend (live_dirs, (gpointer) dir);
  else
    live_dirs = g_list_remove (live_dirs, dir);
  G_UNLOCK (live);
}

gboolean
_antenna_test_process_running (GSubprocess *process)
{
  /* GSubprocess reaps its child on GLib's worker thread: the identifier
   * turns NULL once the process has ended, with no main loop needed. */
  return process != NULL && g_subprocess_get_identifier (process) != NULL;
}

static void
child_setup (gpointer user_data)
{
  /* Dies with the test, even when the test aborts. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* The test may have died between fork and prctl. */
  if (getppid () != (pid_t) GPOINTER_TO_INT (user_data))
    _exit (1);
}

GSubprocessLauncher *
antenna_test_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup,
                                         GINT_TO_POINTER ((int) getpid ()), NULL);
  /* Paho and libmosquitto both honour proxies; tests talk to loopback only. */
  g_subprocess_launcher_unsetenv (launcher, "http_proxy");
  g_subprocess_launcher_unsetenv (launcher, "https_proxy");
  g_subprocess_launcher_unsetenv (launcher, "all_proxy");
  return launcher;
}

char *
_antenna_test_find_tool (const char  *name,
                         const char  *package,
                         GError     **error)
{
  char *path = g_find_program_in_path (name);

  if (path == NULL)
    {
      /* mosquitto lives in /usr/sbin, which a normal user's PATH lacks. */
      g_autofree char *sbin = g_build_filename ("/usr/sbin", name, NULL);

      if (g_file_test (sbin, G_FILE_TEST_IS_EXECUTABLE))
        path = g_steal_pointer (&sbin);
    }
  if (path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "%s is not installed: install the Debian package %s "
                 "(build-aux/deps --test does it)", name, package);
  return path;
}

gboolean
_antenna_test_run_tool (const char * const  *argv,
                        const char          *cwd,
                        GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = NULL;

  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s failed: %s", argv[0], output != NULL ? output : "");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The preamble and the end of main()                                       */

const char *
_antenna_test_get_system_data_dirs (void)
{
  return system_data_dirs;
}

const char *
_antenna_test_get_system_config_dirs (void)
{
  return system_config_dirs;
}

/* Isolated directories have no MIME database: the window's SVG icons need
 * the system's. */
static void
use_system_mime_database (void)
{
  g_auto(GStrv) dirs = g_strsplit (system_data_dirs, ":", -1);
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
}

void
antenna_test_init (int                    *argc,
                   char                 ***argv,
                   AntennaTestInitFlags    flags)
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  const char *config_dirs = g_getenv ("XDG_CONFIG_DIRS");

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("TZ", "UTC", TRUE);
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("all_proxy");

  /* As the session has them: isolated tests see others through GLib. */
  system_data_dirs = g_strdup (data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share");
  system_config_dirs = g_strdup (config_dirs != NULL ? config_dirs : "/etc/xdg");

  if (flags & ANTENNA_TEST_INIT_ISOLATE_DIRS)
    {
      g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
      use_system_mime_database ();
    }
  else
    g_test_init (argc, argv, NULL);
}

static int
count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  int n = 0;

  if (dir == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

int
antenna_test_run (void)
{
  int result;
  gint64 deadline;
  int previous;
  int steady = 0;

  result = g_test_run ();
  _antenna_test_free_shared_brokers ();
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  previous = count_threads ();

  /* The same number of threads for 200 ms in a row. */
  while (steady < 4 && g_get_monotonic_time () < deadline)
    {
      int n;

      g_usleep (50 * 1000);
      n = count_threads ();
      steady = n == previous ? steady + 1 : 0;
      previous = n;
    }

  return result;
}

/* ------------------------------------------------------------------------ */
/* Waiting                                                                  */

static gboolean
on_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

gboolean
_antenna_test_flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static gboolean
result_is_set (gpointer result)
{
  return *(GAsyncResult **) result != NULL;
}

gboolean
_antenna_test_wait_on (GMainContext         *context,
                       AntennaTestCondition  condition,
                       gpointer              user_data,
                       guint                 timeout_ms)
{
  g_autoptr(GSource) wake = g_timeout_source_new (WAKE_MS);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean reached;

  g_source_set_callback (wake, on_wake_cb, NULL, NULL);
  g_source_attach (wake, context);
  while (!(reached = condition (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (wake);

  return reached;
}

gboolean
antenna_test_wait_until (AntennaTestCondition condition,
                         gpointer             user_data,
                         guint                timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_return_val_if_fail (condition != NULL, FALSE);

  return _antenna_test_wait_on (context, condition, user_data, timeout_ms);
}

gboolean
antenna_test_wait_for (gboolean *flag,
                       guint     timeout_ms)
{
  g_return_val_if_fail (flag != NULL, FALSE);

  return antenna_test_wait_until (_antenna_test_flag_is_set, flag, timeout_ms);
}

void
antenna_test_iterate_for (guint ms)
{
  antenna_test_wait_until (never, NULL, ms);
}

void
antenna_test_store_result (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
antenna_test_wait_result (GAsyncResult **result,
                          guint          timeout_ms)
{
  g_return_val_if_fail (result != NULL, NULL);

  antenna_test_wait_until (result_is_set, result, timeout_ms);
  g_assert_nonnull (*result);

  return *result;
}

static gboolean
pointer_is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

void
antenna_test_wait_finalized (gpointer object,
                             guint    timeout_ms)
{
  g_return_if_fail (G_IS_OBJECT (object));

  g_object_add_weak_pointer (object, &object);
  g_object_unref (object);
  if (!antenna_test_wait_until (pointer_is_null, &object, timeout_ms))
    g_error ("A %s is still referenced %u ms after its last reference was dropped",
             G_OBJECT_TYPE_NAME (object), timeout_ms);
}

/* ------------------------------------------------------------------------ */
/* Text, files and the screen                                               */

guint64
antenna_test_unread_at_port (guint port)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 total = 0;

  g_assert_true (g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      unsigned int local_port, state;
      unsigned long tx, rx;

      if (sscanf (lines[i], " %*d: %*8x:%4x %*8x:%*4x %2x %8lx:%8lx", &local_port, &state, &tx, &rx) == 4 &&
          local_port == port && state == 0x01 /* ESTABLISHED */)
        total += rx;
    }
  return total;
}

guint
antenna_test_count_in (const char *haystack,
                       const char *needle)
{
  guint n = 0;

  g_return_val_if_fail (haystack != NULL, 0);
  g_return_val_if_fail (needle != NULL && *needle != '\0', 0);

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

GBytes *
antenna_test_random_bytes (gsize size)
{
  guint8 *data = g_malloc (MAX (size, 1));
  guint32 x = 2463534242u;

  for (gsize i = 0; i < size; i++)
    {
      /* xorshift: fast, and every byte value */
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i] = (guint8) x;
    }
  return g_bytes_new_take (data, size);
}

char *
antenna_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

void
antenna_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            antenna_test_remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
antenna_test_assert_encoded_json (const char *format,
                                  GPtrArray  *payloads,
                                  GPtrArray  *expanded)
{
  g_autofree char *helper = g_test_build_filename (G_TEST_DIST, "generated-helper.py", NULL);
  const char *python = g_getenv ("ANTENNA_TEST_PYTHON");
  g_autoptr(GString) pairs = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int fd, status = -1;

  g_assert_cmpuint (payloads->len, ==, expanded->len);
  for (guint i = 0; i < payloads->len; i++)
    {
      GBytes *payload = g_ptr_array_index (payloads, i);
      GBytes *json = g_ptr_array_index (expanded, i);
      g_autofree char *b64 = g_base64_encode (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
      g_autofree char *text = g_strndup (g_bytes_get_data (json, NULL), g_bytes_get_size (json));
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autofree char *quoted = NULL;

      json_node_set_string (node, text);
      quoted = json_to_string (node, FALSE);
      g_string_append_printf (pairs, "{\"payload_base64\": \"%s\", \"expanded\": %s}\n", b64, quoted);
    }

  fd = g_file_open_tmp ("antenna-encoded-XXXXXX.jsonl", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, pairs->str, pairs->len, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { python != NULL ? python : "/usr/bin/python3", helper, "check", format, path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  }
  g_assert_no_error (error);
  g_unlink (path);
  g_test_message ("generated-helper.py: %s", out);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("what the subscriber decoded as %s differs from the expanded JSON:\n%s", format, out);
}

void
antenna_test_screenshot (const char *name)
{
  const char *dir = g_getenv ("ANTENNA_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (dir == NULL)
    return;

  antenna_test_iterate_for (SCREENSHOT_SETTLE_MS);
  path = g_build_filename (dir, name, NULL);
  {
    const char *argv[] = { "import", "-window", "root", path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}
