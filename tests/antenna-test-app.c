/* antenna-test-app.c: the real antenna binary, driven over D-Bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-app"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "antenna-test-app.h"
#include "antenna-test-private.h"

/* The app owns its name within this: it starts on a machine that may be
 * busy with other tests. */
#define NAME_TIMEOUT_MS    20000
#define ACTION_ATTEMPTS    100
#define ACTION_RETRY_MS    100
#define OUTPUT_END_MS      5000

struct _AntennaTestApp
{
  GDBusConnection  *bus;
  GSubprocess      *process;
  GDataInputStream *output_lines;
  GCancellable     *cancellable;
  GString          *output;
  char             *object_path;
  gboolean          eof;
};

char *
antenna_test_app_get_binary (void)
{
  g_autofree char *path = g_strdup (g_getenv ("ANTENNA_BINARY"));
  char *absolute;

  if (path == NULL)
    path = g_test_build_filename (G_TEST_BUILT, "..", "src", "antenna", NULL);
  absolute = g_canonicalize_filename (path, NULL);
  g_assert_true (g_file_test (absolute, G_FILE_TEST_IS_EXECUTABLE));

  return absolute;
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static gboolean
app_owns_name (gpointer user_data)
{
  AntennaTestApp *app = user_data;

  return name_has_owner (app->bus, APP_ID);
}

/* The object path GApplication exports APP_ID at. */
static char *
object_path_for_app_id (void)
{
  g_autofree char *path = g_strconcat ("/", APP_ID, NULL);

  g_strdelimit (path, ".", '/');
  g_strdelimit (path, "-", '_');
  return g_steal_pointer (&path);
}

static void
on_line_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  AntennaTestApp *app;
  gsize length;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result, &length, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  app = user_data;
  if (line == NULL)
    {
      app->eof = TRUE;
      return;
    }
  g_string_append_len (app->output, line, length);
  g_string_append_c (app->output, '\n');

  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_DEFAULT,
                                       app->cancellable, on_line_cb, app);
}

static gboolean
app_exited (gpointer user_data)
{
  AntennaTestApp *app = user_data;

  return !_antenna_test_process_running (app->process);
}

AntennaTestApp *
antenna_test_app_start (const char *cwd,
                        const char *messages_debug)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = antenna_test_app_get_binary ();
  AntennaTestApp *app = g_new0 (AntennaTestApp, 1);

  app->output = g_string_new (NULL);
  app->cancellable = g_cancellable_new ();
  app->object_path = object_path_for_app_id ();

  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  /* The test's own directories (GLib gives them to this process only). */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  /* The real MIME database and icon themes. */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", _antenna_test_get_system_data_dirs (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_DIRS", _antenna_test_get_system_config_dirs (), TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", messages_debug, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");

  app->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (name_has_owner (app->bus, APP_ID));

  app->process = g_subprocess_launcher_spawn (launcher, &error, binary, NULL);
  g_assert_no_error (error);

  app->output_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app->process));
  g_data_input_stream_read_line_async (app->output_lines, G_PRIORITY_DEFAULT, app->cancellable,
                                       on_line_cb, app);

  if (!antenna_test_wait_until (app_owns_name, app, NAME_TIMEOUT_MS))
    g_error ("The app did not take its name %s on the bus; it printed:\n%s", APP_ID, app->output->str);

  return app;
}

GSubprocess *
antenna_test_app_get_process (AntennaTestApp *app)
{
  g_return_val_if_fail (app != NULL, NULL);

  return app->process;
}

GPid
antenna_test_app_get_pid (AntennaTestApp *app)
{
  const char *identifier;

  g_return_val_if_fail (app != NULL, 0);

  identifier = g_subprocess_get_identifier (app->process);
  g_assert_nonnull (identifier);
  return (GPid) atoi (identifier);
}

const char *
antenna_test_app_get_output (AntennaTestApp *app)
{
  g_return_val_if_fail (app != NULL, NULL);

  return app->output->str;
}

void
antenna_test_app_activate_action (AntennaTestApp *app,
                                  const char     *action,
                                  const char     *parameter)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *window_path = NULL;
  const char *object_path;
  const char *name;

  g_return_if_fail (app != NULL);

  if (g_str_has_prefix (action, "app."))
    object_path = app->object_path;
  else if (g_str_has_prefix (action, "win."))
    object_path = window_path = g_strconcat (app->object_path, "/window/1", NULL);
  else
    g_error ("No such action group: %s (app. or win.)", action);
  name = strchr (action, '.') + 1;

  for (guint attempt = 0; attempt < ACTION_ATTEMPTS; attempt++)
    {
      g_autoptr(GVariant) reply = NULL;
      GVariantBuilder params;

      g_clear_error (&error);
      g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
      if (parameter != NULL)
        g_variant_builder_add (&params, "v", g_variant_new_string (parameter));

      reply = g_dbus_connection_call_sync (app->bus, APP_ID, object_path,
                                           "org.gtk.Actions", "Activate",
                                           g_variant_new ("(sava{sv})", name, &params, NULL),
                                           NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
      if (reply != NULL)
        return;

      antenna_test_iterate_for (ACTION_RETRY_MS);
    }

  g_error ("Could not activate %s in the app: %s", action, error->message);
}

typedef struct
{
  AntennaTestApp *app;
  const char     *text;
  guint           n;
} OutputWait;

static gboolean
output_has_text_or_ended (gpointer user_data)
{
  OutputWait *wait = user_data;

  return antenna_test_count_in (wait->app->output->str, wait->text) >= wait->n || wait->app->eof;
}

void
antenna_test_app_wait_output (AntennaTestApp *app,
                              const char     *text,
                              guint           n,
                              guint           timeout_ms)
{
  OutputWait wait = { app, text, n };

  g_return_if_fail (app != NULL);

  antenna_test_wait_until (output_has_text_or_ended, &wait, timeout_ms);
  if (antenna_test_count_in (app->output->str, text) < n)
    g_error ("The app did not print “%s” (%u times); it printed:\n%s", text, n, app->output->str);
}

void
antenna_test_app_wait_exit (AntennaTestApp *app,
                            guint           timeout_ms)
{
  g_return_if_fail (app != NULL);

  if (!antenna_test_wait_until (app_exited, app, timeout_ms))
    {
      g_subprocess_force_exit (app->process);
      g_error ("The app did not exit; it printed:\n%s", app->output->str);
    }
  /* The last lines may still be in the pipe. */
  if (!antenna_test_wait_for (&app->eof, OUTPUT_END_MS))
    g_error ("The app exited but its output did not end; it printed:\n%s", app->output->str);
}

void
antenna_test_app_free (AntennaTestApp *app)
{
  if (app == NULL)
    return;

  if (_antenna_test_process_running (app->process))
    {
      g_subprocess_force_exit (app->process);
      g_subprocess_wait (app->process, NULL, NULL);
    }
  /* The pipe closes with the process: let the last read end, so that none
   * is left to call back into freed memory (and cancel it if it does not). */
  antenna_test_wait_for (&app->eof, OUTPUT_END_MS);
  g_cancellable_cancel (app->cancellable);
  g_clear_object (&app->output_lines);
  g_clear_object (&app->process);
  g_clear_object (&app->cancellable);
  g_clear_object (&app->bus);
  g_string_free (app->output, TRUE);
  g_free (app->object_path);
  g_free (app);
}
