/* test-ui-record.c: the Record toggle of the connection page, against a real
 * mosquitto, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "antenna-capture.h"
#include "antenna-capture-export.h"
#include "antenna-capture-reader.h"
#include "antenna-message-log.h"
#include "antenna-topic-tree.h"
#include "antenna-client.h"
#include "antenna-connection-page-private.h"
#include "antenna-message.h"
#include "antenna-message-log-view.h"
#include "antenna-profile.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-ui.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker     *broker;
  AntennaProfile        *profile;
  AntennaClient         *client;
  GtkWidget             *window;
  AntennaConnectionPage *page;
  AntennaRecordBar      *bar;
  GtkToggleButton       *toggle;
  guint64                n_received;
} Fixture;

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         Fixture       *f)
{
  f->n_received += messages->len;
}

static gboolean
is_record_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) && gtk_widget_has_css_class (widget, "record-button");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  f->profile = antenna_test_profile_new (f->broker, "Plant Floor");

  f->client = antenna_client_new (f->profile);
  g_signal_connect (f->client, "messages-received", G_CALLBACK (on_messages_received_cb), f);
  antenna_test_connect_ok (f->client, NULL);
  antenna_test_subscribe_ok (f->client, "plant/#", 1);

  f->window = antenna_test_ui_show_page (f->client, 1100, 700, &f->page);

  f->bar = _antenna_connection_page_get_record_bar (f->page);
  f->toggle = GTK_TOGGLE_BUTTON (antenna_test_ui_find_widget (GTK_WIDGET (f->page), is_record_button, NULL));
  g_assert_nonnull (f->toggle);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  antenna_test_ui_close_page (g_steal_pointer (&f->window), g_steal_pointer (&f->page), g_steal_pointer (&f->client));
  g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  antenna_test_iterate_for (50);
}

static void
mosquitto_pub (Fixture    *f,
               const char *topic,
               const char *text)
{
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (f->broker));
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", topic, "-q", "1",
                         "-m", text, NULL };

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
}

static void
wait_received (Fixture *f,
               guint64  n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (f->n_received < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->n_received, >=, n);
}

typedef struct
{
  const char *path;
  gint64      expected;
} CountCheck;

/* The capture holds @expected messages (once its writer has committed). */
static gboolean
capture_holds (CountCheck *check)
{
  g_autoptr(AntennaCaptureReader) reader = antenna_capture_reader_open (check->path, NULL);

  return reader != NULL && antenna_capture_reader_count (reader, NULL, NULL) == check->expected;
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_LABEL (widget);
}

static const char *
bar_text (Fixture *f)
{
  GtkWidget *label = antenna_test_ui_find_widget (GTK_WIDGET (f->bar), is_label, NULL);

  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
toggle_changed (Fixture *f)
{
  /* Or it went on and straight back off, saying why. */
  return gtk_toggle_button_get_active (f->toggle) != GPOINTER_TO_INT (g_object_get_data (G_OBJECT (f->toggle), "was")) ||
         antenna_record_bar_get_error (f->bar) != NULL;
}

/* A click on Record (GtkButton's activate emits ::clicked after a moment). */
static void
click_record (Fixture *f)
{
  g_object_set_data (G_OBJECT (f->toggle), "was", GINT_TO_POINTER (gtk_toggle_button_get_active (f->toggle)));
  gtk_widget_activate (GTK_WIDGET (f->toggle));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) toggle_changed, f, WAIT_MS));
}

static void
test_record (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), APP_DIR_NAME, "captures", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("set 42", 6);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaCaptureReader) reader = NULL;
  g_autoptr(GPtrArray) page = NULL;
  AntennaCaptureCursor cursor;
  CountCheck check;

  g_assert_false (gtk_toggle_button_get_active (f->toggle));
  /* As a person does: the toggle. */
  click_record (f);
  g_assert_null (antenna_record_bar_get_error (f->bar));
  g_assert_true (antenna_record_bar_get_recording (f->bar));
  path = g_strdup (antenna_record_bar_get_path (f->bar));
  g_assert_true (g_str_has_prefix (path, folder));
  g_assert_nonnull (strstr (path, "Plant Floor"));
  g_assert_nonnull (strstr (bar_text (f), "Recording to"));

  mosquitto_pub (f, "plant/a", "one");
  mosquitto_pub (f, "plant/b", "two");
  wait_received (f, 2);
  g_assert_true (antenna_test_publish (f->client, "plant/set", payload, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
  wait_received (f, 3);   /* our own, back through plant/# */
  antenna_test_iterate_for (1200);   /* the count in the bar */
  antenna_test_screenshot ("record-bar.png");

  click_record (f);
  g_assert_false (antenna_record_bar_get_recording (f->bar));
  g_assert_false (gtk_toggle_button_get_active (f->toggle));

  /* 3 received, 1 sent. */
  check.path = path;
  check.expected = 4;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) capture_holds, &check, WAIT_MS));
  reader = antenna_capture_reader_open (path, &error);
  g_assert_no_error (error);
  antenna_capture_cursor_init (&cursor);
  page = antenna_capture_reader_read_page (reader, NULL, &cursor, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (antenna_message_get_topic (g_ptr_array_index (page, 0)), ==, "plant/a");
  {
    guint sent = 0;

    for (guint i = 0; i < page->len; i++)
      if (antenna_message_get_direction (g_ptr_array_index (page, i)) == ANTENNA_MESSAGE_SENT)
        {
          sent++;
          g_assert_cmpstr (antenna_message_get_topic (g_ptr_array_index (page, i)), ==, "plant/set");
        }
    g_assert_cmpuint (sent, ==, 1);
  }
}

static gboolean
toggle_is_off (Fixture *f)
{
  return !gtk_toggle_button_get_active (f->toggle);
}

static gboolean
error_dismissed (Fixture *f)
{
  return antenna_record_bar_get_error (f->bar) == NULL;
}

static void
test_cannot_record (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("antenna-record-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "not-a-folder", NULL);
  guint64 before;

  /* A captures folder that cannot be made: a file of that name. */
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  g_object_set (f->bar, "folder", file, NULL);

  click_record (f);
  g_assert_false (antenna_record_bar_get_recording (f->bar));
  g_assert_nonnull (antenna_record_bar_get_error (f->bar));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) toggle_is_off, f, WAIT_MS));
  g_assert_nonnull (strstr (bar_text (f), "Could not start recording"));
  g_assert_nonnull (strstr (bar_text (f), "not-a-folder"));
  antenna_test_screenshot ("record-bar-error.png");

  /* The live connection goes on. */
  before = f->n_received;
  mosquitto_pub (f, "plant/after", "still here");
  wait_received (f, before + 1);
  g_assert_cmpint (antenna_client_get_state (f->client), ==, ANTENNA_CLIENT_STATE_CONNECTED);

  /* Dismissed. */
  g_signal_emit_by_name (antenna_test_ui_find_button (GTK_WIDGET (f->bar), "_Dismiss"), "clicked");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) error_dismissed, f, WAIT_MS));

  antenna_test_remove_tree (dir);
}

static void
test_record_automatically (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = NULL;
  CountCheck check;

  /* The preference, turned on while connected: recording starts. */
  g_object_set (f->bar, "record-automatically", TRUE, NULL);
  g_assert_true (antenna_record_bar_get_recording (f->bar));
  g_assert_true (gtk_toggle_button_get_active (f->toggle));
  path = g_strdup (antenna_record_bar_get_path (f->bar));

  mosquitto_pub (f, "plant/auto", "recorded");
  wait_received (f, 1);

  /* The connection ends: so does its capture. */
  antenna_test_disconnect_ok (f->client);
  g_assert_false (antenna_record_bar_get_recording (f->bar));
  check.path = path;
  check.expected = 1;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) capture_holds, &check, WAIT_MS));
}

/* ---- Export Messages… from the live log ---- */

static void
mosquitto_pub_bytes (Fixture    *f,
                     const char *dir,
                     const char *topic,
                     const char *data,
                     gsize       size)
{
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (f->broker));
  g_autofree char *file = g_build_filename (dir, "payload", NULL);
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", topic, "-q", "1",
                         "-f", file, NULL };

  g_assert_true (g_file_set_contents (file, data, size, NULL));
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
}

typedef struct
{
  AntennaMessageLogView *view;
  guint                  n;
} LogCheck;

static gboolean
log_shows (LogCheck *check)
{
  return g_list_model_get_n_items (G_LIST_MODEL (antenna_message_log_view_get_log (check->view))) == check->n;
}

static gboolean
log_export_done (AntennaMessageLogView *view)
{
  return !antenna_message_log_view_get_exporting (view);
}

/* Exports what the log view selects to NAME.csv and NAME.jsonl and has
 * Python's csv and json read them back against @expected (JSON Lines, see
 * tests/capture-helper.py). */
static void
export_and_check (AntennaMessageLogView *view,
                  const char            *dir,
                  const char            *name,
                  const char            *expected)
{
  g_autofree char *expected_path = g_strconcat (dir, "/", name, "-expected.jsonl", NULL);
  g_autofree char *csv = g_strconcat (dir, "/", name, ".csv", NULL);
  g_autofree char *jsonl = g_strconcat (dir, "/", name, ".jsonl", NULL);
  g_autofree char *helper = g_test_build_filename (G_TEST_DIST, "capture-helper.py", NULL);
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_true (g_file_set_contents (expected_path, expected, -1, NULL));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (i == 0 ? csv : jsonl);

      antenna_message_log_view_export (view, file, i == 0 ? ANTENNA_CAPTURE_FORMAT_CSV
                                                          : ANTENNA_CAPTURE_FORMAT_JSON_LINES);
      g_assert_true (antenna_message_log_view_get_exporting (view));
      g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_export_done, view, WAIT_MS));
      g_assert_nonnull (strstr (antenna_message_log_view_get_export_status (view), "Exported to"));
    }

  g_assert_nonnull (python);
  {
    /* "" : a live message names no subscription. */
    const char *argv[] = { python, helper, "check", expected_path, csv, jsonl, "", NULL };

    process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  /* What differs, if anything, first. */
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static char *
expected_line (const char *topic,
               const char *data,
               gsize       size)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) data, size);

  return g_strdup_printf ("{\"topic\": \"%s\", \"payload\": \"%s\", \"qos\": 1, \"retain\": false}\n", topic, b64);
}

/* Export Messages… of the live log: the selected message, then with nothing
 * selected what the topic filter shows; text with quotes, commas and line
 * breaks, UTF-8, and bytes that are not text, read back byte for byte. */
static void
test_export_log (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("antenna-log-export-XXXXXX", NULL);
  AntennaMessageLogView *view = _antenna_connection_page_get_message_log_view (f->page);
  static const char quoted[] = "say \"hi\", then\r\nbye";
  static const char utf8[] = "température 21 °C";
  static const char binary[] = { 0x00, (char) 0xff, 0x10, '"', ',', '\n', (char) 0x80 };
  static const char plain[] = "two";
  g_autofree char *quoted_line = expected_line ("plant/a/1", quoted, strlen (quoted));
  g_autofree char *utf8_line = expected_line ("plant/b", utf8, strlen (utf8));
  g_autofree char *binary_line = expected_line ("plant/a/2", binary, sizeof binary);
  g_autofree char *plain_line = expected_line ("plant/a/3", plain, strlen (plain));
  g_autofree char *filtered = NULL;
  LogCheck check = { view, 4 };
  GtkWidget *close;
  GtkWidget *revealer;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "message-log.clear", NULL));
  mosquitto_pub_bytes (f, dir, "plant/a/1", quoted, strlen (quoted));
  mosquitto_pub_bytes (f, dir, "plant/b", utf8, strlen (utf8));
  mosquitto_pub_bytes (f, dir, "plant/a/2", binary, sizeof binary);
  mosquitto_pub_bytes (f, dir, "plant/a/3", plain, strlen (plain));
  wait_received (f, 4);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_shows, &check, WAIT_MS));

  /* The selected row only. */
  antenna_message_log_view_select (view, 1);
  g_assert_cmpstr (antenna_message_get_topic (antenna_message_log_view_get_selected_message (view)), ==, "plant/b");
  export_and_check (view, dir, "selected", utf8_line);
  antenna_test_screenshot ("log-export.png");

  /* Nothing selected: what the filter shows, in the log's order. */
  antenna_message_log_view_select (view, GTK_INVALID_LIST_POSITION);
  g_assert_null (antenna_message_log_view_get_selected_message (view));
  antenna_message_log_view_set_filter (view, "plant/a/#", "");
  check.n = 3;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_shows, &check, WAIT_MS));
  filtered = g_strconcat (quoted_line, binary_line, plain_line, NULL);
  export_and_check (view, dir, "filtered", filtered);

  /* The export's bar says Close once it ended, and Close hides it. */
  close = antenna_test_ui_find_button (GTK_WIDGET (view), "_Close");
  g_assert_nonnull (close);
  revealer = gtk_widget_get_ancestor (close, GTK_TYPE_REVEALER);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_signal_emit_by_name (close, "clicked");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  antenna_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  g_test_add ("/antenna/ui/record/toggle", Fixture, NULL, fixture_setup, test_record, fixture_teardown);
  g_test_add ("/antenna/ui/record/cannot-record", Fixture, NULL, fixture_setup, test_cannot_record, fixture_teardown);
  g_test_add ("/antenna/ui/record/automatically", Fixture, NULL, fixture_setup, test_record_automatically, fixture_teardown);
  g_test_add ("/antenna/ui/message-log/export", Fixture, NULL, fixture_setup, test_export_log, fixture_teardown);

  return antenna_test_run ();
}
