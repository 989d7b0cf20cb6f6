/* test-ui-repeat.c: placeholders and Repeat in the composer, the list of repeats, under Xvfb
 *
 * Against a real mosquitto, read back with mosquitto_sub.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <libsecret/secret.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "antenna-batch-bar.h"
#include "antenna-client.h"
#include "antenna-composer.h"
#include "antenna-load-test-window.h"
#include "antenna-preferences-window.h"
#include "antenna-profile.h"
#include "antenna-publish-schedule.h"
#include "antenna-schedules-pane.h"
#include "antenna-settings.h"
#include "antenna-template.h"
#include "antenna-template-store.h"
#include "antenna-secret-store.h"
#include "antenna-test-broker.h"
#include "antenna-test-bus.h"
#include "antenna-test-keyring.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-ui.h"
#include "antenna-test-utils.h"

#define WAIT_MS 60000

typedef struct
{
  AntennaTestBroker *broker;
  AntennaProfile    *profile;
  AntennaClient     *client;
  GtkWidget         *window;
  AntennaComposer   *composer;
} Fixture;

static gboolean
composer_mapped (Fixture *f)
{
  return gtk_widget_get_mapped (GTK_WIDGET (f->composer));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *box;

  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  f->profile = antenna_profile_new ();
  antenna_profile_set_name (f->profile, "Test Broker");
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker));
  antenna_profile_set_client_id (f->profile, "ui-repeat");
  f->client = antenna_client_new (f->profile);
  antenna_test_connect_ok (f->client, NULL);

  /* the composer above the connection's list of repeats, as on the page */
  f->window = g_object_ref (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 760, 640);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  f->composer = g_object_ref_sink (ANTENNA_COMPOSER (antenna_composer_new (f->client)));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->composer));
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_widget_set_vexpand (GTK_WIDGET (f->composer), FALSE);
  {
    GtkWidget *pane = antenna_schedules_pane_new (f->client);

    gtk_widget_set_vexpand (pane, TRUE);
    gtk_box_append (GTK_BOX (box), pane);
  }
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) composer_mapped, f, WAIT_MS));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  antenna_test_disconnect_ok (f->client);
  g_assert_finalize_object (g_steal_pointer (&f->window));
  g_assert_finalize_object (g_steal_pointer (&f->composer));
  /* the pane emptied the connection's list: nothing holds the client */
  g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  antenna_test_iterate_for (50);
}

static gboolean
status_is_final (Fixture *f)
{
  const char *status = antenna_composer_get_status (f->composer);

  return status != NULL && g_strcmp0 (status, "Sending…") != 0;
}

static const char *
publish (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) status_is_final, f, WAIT_MS));
  return antenna_composer_get_status (f->composer);
}

static char *
payload_string (AntennaTestSub *sub,
                guint           i)
{
  GBytes *bytes = antenna_test_sub_get_payload (sub, i);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The characters of the payload tagged @tag_name, as a string. */
static char *
tagged_text (Fixture    *f,
             const char *tag_name)
{
  GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f->composer), ANTENNA_TYPE_COMPOSER, "payload_view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GString *marked = g_string_new (NULL);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter); gtk_text_iter_forward_char (&iter))
    if (gtk_text_iter_has_tag (&iter, tag))
      g_string_append_unichar (marked, gtk_text_iter_get_char (&iter));

  return g_string_free (marked, FALSE);
}

/* The preview shows the next message; Publish sends it and the counter moves on. */
static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "gen/#", 1, FALSE);
  const char *preview;

  antenna_composer_set_topic (f->composer, "gen/{{client_id}}/{{counter}}");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_JSON);
  antenna_composer_set_qos (f->composer, 1);
  antenna_composer_set_payload_text (f->composer,
                                     "{\n  \"n\": {{counter:10:5}},\n  \"quote\": \"{{choice:say \"hi\"}}\",\n"
                                     "  \"t\": {{time:ms}},\n  \"temp\": {{walk:21:15:30:0.5}}\n}");
  g_assert_null (antenna_composer_get_payload_error (f->composer));
  /* the placeholders tinted, not underlined as JSON errors */
  {
    g_autofree char *tinted = tagged_text (f, "placeholder");
    GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f->composer), ANTENNA_TYPE_COMPOSER, "payload_view"));

    g_assert_cmpstr (tinted, ==, "{{counter:10:5}}{{choice:say \"hi\"}}{{time:ms}}{{walk:21:15:30:0.5}}");
    g_assert_null (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (view))));
  }
  preview = antenna_composer_get_preview (f->composer);
  g_test_message ("%s", preview);
  g_assert_nonnull (strstr (preview, "Next topic: gen/ui-repeat/1"));
  g_assert_nonnull (strstr (preview, "\"n\": 10"));
  g_assert_nonnull (strstr (preview, "\"quote\": \"say \\\"hi\\\"\""));
  antenna_test_screenshot ("composer-placeholders.png");

  g_assert_cmpstr (publish (f), ==, "Delivered");
  g_assert_nonnull (strstr (antenna_composer_get_preview (f->composer), "Next topic: gen/ui-repeat/2"));
  g_assert_nonnull (strstr (antenna_composer_get_preview (f->composer), "\"n\": 15"));
  g_assert_cmpstr (publish (f), ==, "Delivered");

  g_assert_cmpuint (antenna_test_sub_wait (sub, 2, WAIT_MS), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *topic = g_strdup_printf ("gen/ui-repeat/%u", i + 1);
      g_autofree char *text = payload_string (sub, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, topic);
      g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpint (json_object_get_int_member (object, "n"), ==, 10 + 5 * i);
      g_assert_cmpstr (json_object_get_string_member (object, "quote"), ==, "say \"hi\"");
    }
}

/* An unknown placeholder is shown where it is typed, and nothing goes out. */
static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "#", 0, FALSE);

  antenna_composer_set_topic (f->composer, "err/x");
  antenna_composer_set_payload_text (f->composer, "value {{nope:1}}");
  g_assert_nonnull (antenna_composer_get_payload_error (f->composer));
  g_assert_nonnull (strstr (antenna_composer_get_payload_error (f->composer), "“{{nope:1}}” at character 7"));
  g_assert_nonnull (strstr (antenna_composer_get_preview (f->composer), "{{nope:1}}"));
  /* marked in the editor, that placeholder alone */
  {
    g_autofree char *marked = tagged_text (f, "payload-error");

    g_assert_cmpstr (marked, ==, "{{nope:1}}");
  }
  antenna_test_screenshot ("composer-placeholder-error.png");

  /* Publish and Repeat are disabled */
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.start-repeat", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (antenna_publish_schedule_list_for_client (f->client))), ==, 0);

  /* in the topic too */
  antenna_composer_set_payload_text (f->composer, "ok");
  g_assert_null (antenna_composer_get_payload_error (f->composer));
  antenna_composer_set_topic (f->composer, "err/{{time:hours}}");
  g_assert_nonnull (strstr (antenna_composer_get_topic_error (f->composer), "{{time:hours}}"));
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL);

  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 0);
}

static gboolean
schedule_finished (gpointer user_data)
{
  return antenna_publish_schedule_get_state (user_data) == ANTENNA_SCHEDULE_STATE_FINISHED;
}

static gboolean
schedule_sent_some (gpointer user_data)
{
  return antenna_publish_schedule_get_sent (user_data) >= 5;
}

/* Repeat from the composer: listed, counted, stopped from its row. */
static void
test_repeat (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "rep/#", 1, FALSE);
  GListModel *list = G_LIST_MODEL (antenna_publish_schedule_list_for_client (f->client));
  g_autoptr(AntennaPublishSchedule) counted = NULL;
  g_autoptr(AntennaPublishSchedule) endless = NULL;
  guint64 sent;

  antenna_composer_set_topic (f->composer, "rep/counted");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_TEXT);
  antenna_composer_set_payload_text (f->composer, "{{counter}}");
  antenna_composer_set_qos (f->composer, 1);
  antenna_composer_set_repeat (f->composer, 10, 30, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.start-repeat", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  counted = g_list_model_get_item (list, 0);

  antenna_composer_set_topic (f->composer, "rep/endless");
  antenna_composer_set_payload_text (f->composer, "{{int:0:9}}");
  antenna_composer_set_repeat (f->composer, 50, 0, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.start-repeat", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  endless = g_list_model_get_item (list, 1);
  g_assert_cmpuint (antenna_publish_schedule_get_count (endless), ==, 0);
  g_assert_cmpuint (antenna_publish_schedule_get_jitter_ms (endless), ==, 10);

  g_assert_true (antenna_test_wait_until (schedule_finished, counted, WAIT_MS));
  g_assert_true (antenna_test_wait_until (schedule_sent_some, endless, WAIT_MS));
  antenna_test_iterate_for (300);
  antenna_test_screenshot ("repeats-list.png");

  /* stopped from its row's action, as the Stop button does */
  {
    GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (f->window));
    GtkWidget *found = NULL;

    /* the endless one's row in the pane's list */
    for (GtkWidget *w = first; w != NULL && found == NULL;)
      {
        if (G_TYPE_CHECK_INSTANCE_TYPE (w, g_type_from_name ("AntennaScheduleRow")))
          {
            GObject *schedule = NULL;

            g_object_get (w, "schedule", &schedule, NULL);
            if (schedule == G_OBJECT (endless))
              found = w;
            g_clear_object (&schedule);
          }
        /* depth first */
        if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            if (w != NULL)
              w = gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_nonnull (found);
    g_assert_true (gtk_widget_activate_action (found, "schedule.stop", NULL));
  }
  g_assert_cmpint (antenna_publish_schedule_get_state (endless), ==, ANTENNA_SCHEDULE_STATE_STOPPED);
  antenna_test_iterate_for (500);
  sent = antenna_publish_schedule_get_sent (endless);

  g_assert_cmpuint (antenna_test_sub_wait (sub, 30 + sent, WAIT_MS), ==, 30 + sent);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 30 + sent);
  {
    guint n = 0;

    for (guint i = 0; i < antenna_test_sub_get_n_messages (sub); i++)
      if (g_str_equal (antenna_test_sub_get_topic (sub, i), "rep/counted"))
        {
          g_autofree char *want = g_strdup_printf ("%u", ++n);
          g_autofree char *got = payload_string (sub, i);

          g_assert_cmpstr (got, ==, want);
        }
    g_assert_cmpuint (n, ==, 30);
  }
}

/* A template saved with its repeat survives a restart (a new store reading
 * the same file), placeholders as typed; applying it does not start it. */
static void
test_template (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "tpl/#", 1, FALSE);
  g_autofree char *dir = g_dir_make_tmp ("antenna-ui-repeat-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "templates.json", NULL);
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new (path);
  g_autoptr(AntennaTemplateStore) reread = antenna_template_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTemplate) saved = NULL;
  GListModel *list = G_LIST_MODEL (antenna_publish_schedule_list_for_client (f->client));
  AntennaTemplate *template;
  guint64 count = 0;
  guint jitter = 0;

  antenna_template_store_set_autosave (store, TRUE);
  antenna_composer_set_template_store (f->composer, store);
  antenna_composer_set_topic (f->composer, "tpl/{{counter}}");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_JSON);
  antenna_composer_set_qos (f->composer, 1);
  antenna_composer_set_payload_text (f->composer, "{\"n\": {{counter}}}");
  antenna_composer_set_repeat (f->composer, 20, 5, 2);
  antenna_composer_set_save_repeat (f->composer, TRUE);
  saved = antenna_composer_save_template (f->composer, "Sensor", &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);

  /* the next start of the app (the autosave is deferred: now) */
  g_assert_true (antenna_template_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_template_store_load (reread, NULL, &error));
  g_assert_no_error (error);
  template = antenna_template_store_find (reread, antenna_profile_get_id (f->profile), "Sensor");
  g_assert_nonnull (template);
  g_assert_cmpuint (antenna_template_get_repeat (template, &count, &jitter), ==, 20);
  g_assert_cmpuint (count, ==, 5);
  g_assert_cmpuint (jitter, ==, 2);

  antenna_composer_set_save_repeat (f->composer, FALSE);
  antenna_composer_set_repeat (f->composer, 1000, 10, 0);
  antenna_composer_set_payload_text (f->composer, "other");
  antenna_composer_apply_template (f->composer, template);
  g_assert_nonnull (strstr (antenna_composer_get_status (f->composer), "repeats every 20 ms"));
  /* not started by itself */
  antenna_test_iterate_for (200);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 0);

  /* started by the person: five messages, counter and JSON as typed */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.start-repeat", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 5, WAIT_MS), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *topic = g_strdup_printf ("tpl/%u", i + 1);
      g_autofree char *want = g_strdup_printf ("{\"n\": %u}", i + 1);
      g_autofree char *got = payload_string (sub, i);

      g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, topic);
      g_assert_cmpstr (got, ==, want);
    }

  antenna_test_remove_tree (dir);
}

static gboolean
list_finished (gpointer user_data)
{
  GListModel *list = user_data;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(AntennaPublishSchedule) schedule = g_list_model_get_item (list, i);

      if (antenna_publish_schedule_get_state (schedule) != ANTENNA_SCHEDULE_STATE_FINISHED)
        return FALSE;
    }
  return TRUE;
}

/* JSON sent as CBOR (or MessagePack) with placeholders, by every path of
 * the composer: Publish, Repeat, a template saved with its repeat and
 * applied again. Each message is expanded, then encoded; what mosquitto_sub
 * received is decoded by Python and compared with the JSON expected for
 * that message's counter. */
static void
test_encoded (Fixture       *f,
              gconstpointer  data)
{
  const char *format = data;
  g_autofree char *filter = g_strdup_printf ("enc/%s/#", format);
  g_autofree char *topic = g_strdup_printf ("enc/%s/{{counter}}", format);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, filter, 1, FALSE);
  g_autofree char *dir = g_dir_make_tmp ("antenna-ui-encoded-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "templates.json", NULL);
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new (path);
  g_autoptr(AntennaTemplateStore) reread = antenna_template_store_new (path);
  g_autoptr(GPtrArray) payloads = g_ptr_array_new ();
  g_autoptr(GPtrArray) expanded = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(AntennaTemplate) saved = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list = G_LIST_MODEL (antenna_publish_schedule_list_for_client (f->client));
  AntennaTemplate *template;
  const char *preview;
  const guint n = 2 + 4 + 3;

  antenna_composer_set_template_store (f->composer, store);
  antenna_composer_set_topic (f->composer, topic);
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_JSON);
  antenna_composer_set_send_as (f->composer, format);
  antenna_composer_set_qos (f->composer, 1);
  antenna_composer_set_payload_text (f->composer,
                                     "{\"n\": {{counter}}, \"id\": \"{{client_id}}\", \"q\": \"a \\\"b\\\"\"}");
  g_assert_null (antenna_composer_get_payload_error (f->composer));
  preview = antenna_composer_get_preview (f->composer);
  g_test_message ("%s", preview);
  /* the JSON a person reads, and what it goes out as */
  g_assert_nonnull (strstr (preview, g_str_equal (format, "cbor") ? "Next payload (CBOR, " : "Next payload (MessagePack, "));
  g_assert_nonnull (strstr (preview, "\"n\": 1,"));

  /* Publish, twice: counters 1, 2 */
  g_assert_cmpstr (publish (f), ==, "Delivered");
  g_assert_cmpstr (publish (f), ==, "Delivered");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 2, WAIT_MS), ==, 2);

  /* Repeat: four more, a new run from 1 */
  antenna_composer_set_repeat (f->composer, 10, 4, 0);
  antenna_composer_set_save_repeat (f->composer, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.start-repeat", NULL));
  g_assert_true (antenna_test_wait_until (list_finished, list, WAIT_MS));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 6, WAIT_MS), ==, 6);

  /* saved as a template with a repeat of three, read back as at the next
   * start, applied over JSON sent as typed: it goes out as before */
  antenna_composer_set_repeat (f->composer, 10, 3, 0);
  saved = antenna_composer_save_template (f->composer, "Encoded", &error);
  g_assert_no_error (error);
  g_assert_true (antenna_template_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_template_store_load (reread, NULL, &error));
  g_assert_no_error (error);
  template = antenna_template_store_find (reread, antenna_profile_get_id (f->profile), "Encoded");
  g_assert_nonnull (template);
  g_assert_cmpstr (antenna_template_get_send_as (template), ==, format);
  antenna_composer_set_send_as (f->composer, "json");
  antenna_composer_set_payload_text (f->composer, "{}");
  antenna_composer_apply_template (f->composer, template);
  g_assert_cmpstr (antenna_composer_get_send_as (f->composer), ==, format);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.start-repeat", NULL));
  g_assert_true (antenna_test_wait_until (list_finished, list, WAIT_MS));
  g_assert_cmpuint (antenna_test_sub_wait (sub, n, WAIT_MS), ==, n);
  antenna_test_iterate_for (200);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, n);

  for (guint i = 0; i < n; i++)
    {
      /* 1 2 | 1 2 3 4 | 1 2 3 */
      guint counter = i < 2 ? i + 1 : i < 6 ? i - 1 : i - 5;
      g_autofree char *want_topic = g_strdup_printf ("enc/%s/%u", format, counter);
      g_autofree char *json = g_strdup_printf ("{\"n\": %u, \"id\": \"ui-repeat\", \"q\": \"a \\\"b\\\"\"}", counter);

      g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, want_topic);
      g_ptr_array_add (payloads, antenna_test_sub_get_payload (sub, i));
      g_ptr_array_add (expanded, g_bytes_new (json, strlen (json)));
    }
  antenna_test_assert_encoded_json (format, payloads, expanded);

  antenna_test_remove_tree (dir);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
batch_done (gpointer user_data)
{
  return !antenna_batch_bar_get_running (user_data);
}

/* A file of messages from the composer: invalid lines said by number and
 * nothing sent; then the valid ones, when the person says so. */
static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "file/#", 1, FALSE);
  g_autofree char *dir = g_dir_make_tmp ("antenna-ui-batch-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "messages.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *text =
    "{\"topic\": \"file/1\", \"payload\": \"one\", \"qos\": 1}\n"
    "{\"topic\": \"file/2\", \"payload\": 2}\n"
    "{\"topic\": \"file/3\", \"payload_base64\": \"dGhyZWU=\", \"qos\": 1}\n"
    "not json\n"
    "{\"topic\": \"file/5\", \"payload\": \"five\", \"retain\": false}\n";
  AntennaBatchBar *bar;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  bar = ANTENNA_BATCH_BAR (find_widget (GTK_WIDGET (f->composer), ANTENNA_TYPE_BATCH_BAR));
  g_assert_nonnull (bar);

  antenna_composer_publish_batch (f->composer, file);
  g_assert_true (antenna_test_wait_until (batch_done, bar, WAIT_MS));
  g_test_message ("%s", antenna_composer_get_batch_status (f->composer));
  g_assert_nonnull (strstr (antenna_composer_get_batch_status (f->composer), "not messages: 2, 4 "));
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 0);
  antenna_test_screenshot ("composer-batch-invalid.png");

  /* at the rate typed in the bar, changed while it runs too */
  {
    GtkSpinButton *rate = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (bar), ANTENNA_TYPE_BATCH_BAR,
                                                                          "rate_spin"));
    double value = -1;

    gtk_spin_button_set_value (rate, 20);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "batch.send-valid", NULL));
    g_object_get (antenna_batch_bar_get_batch (bar), "rate", &value, NULL);
    g_assert_cmpfloat (value, ==, 20);
    gtk_spin_button_set_value (rate, 0);
    g_object_get (antenna_batch_bar_get_batch (bar), "rate", &value, NULL);
    g_assert_cmpfloat (value, ==, 0);
  }
  g_assert_true (antenna_test_wait_until (batch_done, bar, WAIT_MS));
  g_assert_cmpstr (antenna_composer_get_batch_status (f->composer), ==, "Sent 3 messages of “messages.jsonl”.");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 3, WAIT_MS), ==, 3);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 0), ==, "file/1");
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 1), ==, "file/3");
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 2), ==, "file/5");
  {
    g_autofree char *three = payload_string (sub, 1);

    g_assert_cmpstr (three, ==, "three");
  }

  antenna_test_remove_tree (dir);
}

static gboolean
load_done (gpointer user_data)
{
  return !antenna_load_test_window_get_running (user_data);
}

/* The load test window: two connections, every message acknowledged, at the
 * broker and back; the summary says so. With the composer's publish history
 * beside it, as on the page: that history once redrew its whole list at every
 * sent message, and 2,000 messages then took minutes. */
static void
test_load_window (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "antenna/load/#", 1, FALSE);
  GtkWidget *window = g_object_ref_sink (antenna_load_test_window_new (f->client, NULL));
  const char *summary;

  antenna_load_test_window_set_options (ANTENNA_LOAD_TEST_WINDOW (window), 2000, 5, 64, 1, 2, TRUE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (window, "load.start", NULL));
  if (!antenna_test_wait_until (load_done, window, WAIT_MS))
    g_error ("still running: %s", antenna_load_test_window_get_summary (ANTENNA_LOAD_TEST_WINDOW (window)));
  summary = antenna_load_test_window_get_summary (ANTENNA_LOAD_TEST_WINDOW (window));
  g_test_message ("%s", summary);
  g_assert_nonnull (strstr (summary, "2000 messages of 64 bytes, QoS 1, 5 topics (antenna/load/…), 2 connections"));
  g_assert_nonnull (strstr (summary, "acknowledged 2000, failed 0, came back 2000"));
  g_assert_nonnull (strstr (summary, "p50 "));
  antenna_test_iterate_for (300);
  antenna_test_screenshot ("load-test.png");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 2000, WAIT_MS), ==, 2000);

  gtk_window_destroy (GTK_WINDOW (window));
  antenna_test_iterate_for (200);
  g_assert_finalize_object (window);
}

/* The load test's extra connections, against a broker that wants a
 * password and a client certificate (its key encrypted): they read the
 * profile's password and the key's passphrase from the keyring as the
 * page's connection does, and all of them publish; with the keyring locked
 * the window says so in words and sends nothing. In a process of its own,
 * on a D-Bus session with a keyring of its own, which it locks. */
static void
run_load_keyring (void)
{
  AntennaTestBroker *broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_AUTH | ANTENNA_TEST_BROKER_TLS |
                                                       ANTENNA_TEST_BROKER_TLS_CLIENT_CERT);
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autofree char *dir = g_dir_make_tmp ("antenna-ui-load-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "client.key", NULL);
  g_autoptr(AntennaSecretStore) store = antenna_secret_store_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(AntennaTestSub) sub = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  GtkWidget *window;
  const char *summary;
  GList *collections;

  antenna_profile_set_name (profile, "Locked Broker");
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_client_id (profile, "load-keyring");
  antenna_profile_set_username (profile, antenna_test_broker_get_username (broker));
  antenna_profile_set_save_password (profile, TRUE);
  antenna_test_secret_store_ok (store, profile, antenna_test_broker_get_password (broker));
  /* and a client certificate whose key has a passphrase, in the keyring too */
  antenna_test_broker_write_encrypted_client_key (broker, "key passphrase", key);
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (broker));
  antenna_profile_set_tls_ca_file (profile, antenna_test_broker_get_ca_file (broker));
  antenna_profile_set_tls_cert_file (profile, antenna_test_broker_get_client_cert_file (broker));
  antenna_profile_set_tls_key_file (profile, key);
  antenna_test_secret_store_secret_ok (store, profile, ANTENNA_SECRET_KEY_PASSPHRASE, "key passphrase");

  /* the page's connection: its password from the keyring */
  client = antenna_client_new (profile);
  antenna_client_set_secret_store (client, store);
  password = antenna_test_secret_lookup_ok (store, profile);
  antenna_test_connect_ok (client, password);
  sub = antenna_test_sub_start (broker, "antenna/load/#", 1, FALSE);

  window = g_object_ref_sink (antenna_load_test_window_new (client, NULL));
  antenna_load_test_window_set_options (ANTENNA_LOAD_TEST_WINDOW (window), 300, 3, 64, 1, 3, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (window, "load.start", NULL));
  if (!antenna_test_wait_until (load_done, window, WAIT_MS))
    g_error ("still running: %s", antenna_load_test_window_get_summary (ANTENNA_LOAD_TEST_WINDOW (window)));
  summary = antenna_load_test_window_get_summary (ANTENNA_LOAD_TEST_WINDOW (window));
  /* stdout, which the parent checks */
  g_print ("%s\n", summary);
  g_assert_nonnull (strstr (summary, "3 connections"));
  g_assert_nonnull (strstr (summary, "acknowledged 300, failed 0"));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 300, WAIT_MS), ==, 300);

  /* locked, and no prompt can unlock it */
  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collections = secret_service_get_collections (service);
  g_assert_cmpint (secret_service_lock_sync (service, collections, NULL, NULL, &error), >, 0);
  g_list_free_full (collections, g_object_unref);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (window, "load.start", NULL));
  if (!antenna_test_wait_until (load_done, window, WAIT_MS))
    g_error ("still running: %s", antenna_load_test_window_get_summary (ANTENNA_LOAD_TEST_WINDOW (window)));
  summary = antenna_load_test_window_get_summary (ANTENNA_LOAD_TEST_WINDOW (window));
  /* stdout, which the parent checks */
  g_print ("%s\n", summary);
  g_assert_nonnull (strstr (summary, "The extra connections need the password of “Locked Broker” from the keyring: "
                                     "The keyring is locked."));
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 300);

  gtk_window_destroy (GTK_WINDOW (window));
  antenna_test_iterate_for (200);
  g_assert_finalize_object (window);
  antenna_test_disconnect_ok (client);
  g_assert_finalize_object (g_steal_pointer (&client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_clear_pointer (&sub, antenna_test_sub_free);
  antenna_test_broker_free (broker);
  antenna_test_remove_tree (dir);
}

static void
test_load_keyring (void)
{
  g_autoptr(AntennaTestBus) bus = NULL;
  g_autofree char *saved = NULL;

  if (g_test_subprocess ())
    {
      run_load_keyring ();
      return;
    }

  bus = antenna_test_bus_new ();
  antenna_test_bus_start_keyring (bus);
  saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", antenna_test_bus_get_address (bus), TRUE);
  /* that bus has no accessibility bus: GTK would warn */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("GTK_A11Y");
  if (saved != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
  g_test_trap_assert_passed ();
  /* it got as far as the locked keyring */
  g_test_trap_assert_stdout ("*acknowledged 300, failed 0*The keyring is locked.*");
}

/* With the setting on, a template saved with a repeat starts by itself once
 * its connection is connected; with it off (the default), not. */
static void
test_autostart (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "auto/#", 1, FALSE);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(AntennaTemplateStore) store = antenna_template_store_new ("/nonexistent/antenna-templates.json");
  g_autoptr(GBytes) payload = g_bytes_new_static ("{{counter}}", 11);
  g_autoptr(AntennaTemplate) template = antenna_template_new ("Auto", antenna_profile_get_id (f->profile), "auto/n",
                                                              1, FALSE, NULL, payload, ANTENNA_PAYLOAD_FORMAT_TEXT);
  GListModel *list = G_LIST_MODEL (antenna_publish_schedule_list_for_client (f->client));
  GtkWidget *pane;
  g_autoptr(AntennaPublishSchedule) schedule = NULL;

  antenna_template_set_repeat (template, 10, 3, 0);
  g_assert_true (antenna_template_store_add (store, template, NULL));

  /* off: nothing */
  pane = g_object_ref_sink (antenna_schedules_pane_new (f->client));
  antenna_schedules_pane_set_template_store (ANTENNA_SCHEDULES_PANE (pane), store);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_object_unref (pane);

  /* on, as a person turns it on in Preferences; and repeats that stop
   * when the connection is lost, which the started template follows */
  {
    g_autoptr(AntennaSettings) app_settings = antenna_settings_new ();
    GtkWidget *preferences = antenna_preferences_window_new (GTK_WINDOW (f->window), app_settings);
    GtkSwitch *autostart = GTK_SWITCH (gtk_widget_get_template_child (preferences, ANTENNA_TYPE_PREFERENCES_WINDOW,
                                                                      "repeat_autostart_switch"));
    GtkSwitch *resume = GTK_SWITCH (gtk_widget_get_template_child (preferences, ANTENNA_TYPE_PREFERENCES_WINDOW,
                                                                   "repeat_resume_switch"));

    g_assert_false (gtk_switch_get_active (autostart));
    g_assert_true (gtk_switch_get_active (resume));
    gtk_switch_set_active (autostart, TRUE);
    gtk_switch_set_active (resume, FALSE);
    g_assert_true (g_settings_get_boolean (settings, "repeat-templates-autostart"));
    g_assert_false (g_settings_get_boolean (settings, "repeat-resume-on-reconnect"));
    gtk_window_destroy (GTK_WINDOW (preferences));
  }
  pane = g_object_ref_sink (antenna_schedules_pane_new (f->client));
  antenna_schedules_pane_set_template_store (ANTENNA_SCHEDULES_PANE (pane), store);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  schedule = g_list_model_get_item (list, 0);
  g_assert_false (antenna_publish_schedule_get_resume_on_reconnect (schedule));
  g_assert_true (antenna_test_wait_until (schedule_finished, schedule, WAIT_MS));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 3, WAIT_MS), ==, 3);
  {
    g_autofree char *third = payload_string (sub, 2);

    g_assert_cmpstr (third, ==, "3");
  }
  g_settings_set_boolean (settings, "repeat-templates-autostart", FALSE);
  g_settings_reset (settings, "repeat-resume-on-reconnect");
  g_object_run_dispose (G_OBJECT (pane));
  g_object_unref (pane);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add ("/antenna/ui/repeat/preview", Fixture, NULL, fixture_setup, test_preview, fixture_teardown);
  g_test_add ("/antenna/ui/repeat/error", Fixture, NULL, fixture_setup, test_error, fixture_teardown);
  g_test_add ("/antenna/ui/repeat/repeat", Fixture, NULL, fixture_setup, test_repeat, fixture_teardown);
  g_test_add ("/antenna/ui/repeat/batch", Fixture, NULL, fixture_setup, test_batch, fixture_teardown);
  g_test_add ("/antenna/ui/repeat/load-test", Fixture, NULL, fixture_setup, test_load_window, fixture_teardown);
  g_test_add_func ("/antenna/ui/repeat/load-test-keyring", test_load_keyring);
  g_test_add ("/antenna/ui/repeat/autostart", Fixture, NULL, fixture_setup, test_autostart, fixture_teardown);
  g_test_add ("/antenna/ui/repeat/template", Fixture, NULL, fixture_setup, test_template, fixture_teardown);
  g_test_add ("/antenna/ui/repeat/encoded/cbor", Fixture, "cbor", fixture_setup, test_encoded, fixture_teardown);
  g_test_add ("/antenna/ui/repeat/encoded/msgpack", Fixture, "msgpack", fixture_setup, test_encoded, fixture_teardown);

  return g_test_run ();
}
