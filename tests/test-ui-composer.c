/* test-ui-composer.c: the composer against a real mosquitto, under Xvfb
 *
 * What a person does in the composer, through its widgets and actions:
 * compose, publish, find the message at a mosquitto_sub started here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "antenna-client.h"
#include "antenna-composer.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-publish-window.h"
#include "antenna-template-store.h"
#include "antenna-test-broker.h"
#include "antenna-test-peer.h"
#include "antenna-test-ui.h"
#include "antenna-topic-tree.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker    *broker;
  AntennaTestBroker    *shared_broker;  /* not ours to free */
  AntennaProfile       *profile;
  AntennaClient        *client;
  AntennaTemplateStore *templates;
  GtkWidget            *window;
  AntennaComposer      *composer;
  char                 *dir;
  GPtrArray            *published;
} Fixture;

static void
on_bool_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  if (ANTENNA_IS_CLIENT (object))
    {
      g_autoptr(GError) error = NULL;

      /* connect or disconnect, whichever it was */
      if (g_task_get_source_tag (G_TASK (result)) == antenna_client_connect_async)
        {
          antenna_client_connect_finish (ANTENNA_CLIENT (object), result, &error);
          g_assert_no_error (error);
        }
      else
        antenna_client_disconnect_finish (ANTENNA_CLIENT (object), result, NULL);
    }
  *done = TRUE;
}

static void
on_published_cb (AntennaComposer *composer,
                 AntennaMessage  *message,
                 Fixture         *f)
{
  g_ptr_array_add (f->published, g_object_ref (message));
}

static void
connect_client (Fixture *f)
{
  gboolean connected = FALSE;

  antenna_client_connect_async (f->client,
                                antenna_profile_get_username (f->profile) != NULL &&
                                antenna_profile_get_username (f->profile)[0] != '\0'
                                  ? antenna_test_broker_get_password (f->broker) : NULL,
                                NULL, on_bool_cb, &connected);
  g_assert_true (antenna_test_wait_for (&connected, WAIT_MS));
}

static void
disconnect_client (Fixture *f)
{
  gboolean disconnected = FALSE;

  antenna_client_disconnect_async (f->client, NULL, on_bool_cb, &disconnected);
  g_assert_true (antenna_test_wait_for (&disconnected, WAIT_MS));
}

static gboolean
composer_mapped (Fixture *f)
{
  return gtk_widget_get_mapped (GTK_WIDGET (f->composer));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  /* @data: the MQTT version (default 5), plus 0x100 for a broker with users
   * and an ACL, or 0x200 for the program's RabbitMQ (shared: slow to start),
   * or 0x400 for the automatic version and no connection yet. */
  int spec = GPOINTER_TO_INT (data);
  gboolean automatic = (spec & 0x400) != 0;
  AntennaMqttVersion version = automatic ? ANTENNA_MQTT_VERSION_AUTOMATIC
                                         : (spec & 0xff) ? (spec & 0xff) : ANTENNA_MQTT_VERSION_5;
  gboolean auth = (spec & 0x100) != 0;
  gboolean rabbitmq = (spec & 0x200) != 0;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (rabbitmq && antenna_test_broker_get_shared (ANTENNA_TEST_BROKER_RABBITMQ) == NULL)
    return;  /* skipped or failed, with why */

  f->dir = g_dir_make_tmp ("antenna-ui-composer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "templates.json", NULL);
  f->templates = antenna_template_store_new (path);
  antenna_template_store_set_autosave (f->templates, TRUE);
  f->published = g_ptr_array_new_with_free_func (g_object_unref);

  if (rabbitmq)
    f->shared_broker = antenna_test_broker_get_shared (ANTENNA_TEST_BROKER_RABBITMQ);
  else
    f->broker = antenna_test_broker_new (auth ? ANTENNA_TEST_BROKER_AUTH : ANTENNA_TEST_BROKER_PLAIN);
  f->profile = antenna_profile_new ();
  if (auth)
    antenna_profile_set_username (f->profile, antenna_test_broker_get_username (f->broker));
  antenna_profile_set_name (f->profile, "Test Broker");
  antenna_profile_set_host (f->profile, "127.0.0.1");
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (f->broker ? f->broker : f->shared_broker));
  antenna_profile_set_mqtt_version (f->profile, version);
  antenna_profile_set_connect_timeout (f->profile, 20);
  f->client = antenna_client_new (f->profile);
  if (!automatic)
    connect_client (f);

  /* Our own references, to see both finalized at the end. */
  f->window = g_object_ref (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 760, 560);
  f->composer = g_object_ref_sink (ANTENNA_COMPOSER (antenna_composer_new (f->client)));
  antenna_composer_set_template_store (f->composer, f->templates);
  g_signal_connect (f->composer, "published", G_CALLBACK (on_published_cb), f);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->composer));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) composer_mapped, f, WAIT_MS));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window == NULL)
    return;  /* its broker did not start */

  gtk_window_destroy (GTK_WINDOW (f->window));
  disconnect_client (f);
  g_assert_finalize_object (g_steal_pointer (&f->window));
  g_assert_finalize_object (g_steal_pointer (&f->composer));
  g_assert_finalize_object (g_steal_pointer (&f->client));
  g_assert_true (antenna_client_wait_for_destroyed (10000));
  g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_assert_finalize_object (g_steal_pointer (&f->templates));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  g_clear_pointer (&f->published, g_ptr_array_unref);
  antenna_test_iterate_for (50);

  antenna_test_remove_tree (f->dir);
  g_free (f->dir);
}

static guint wanted_published;

static gboolean
published_enough (Fixture *f)
{
  return f->published->len >= wanted_published;
}

static gboolean
status_is_final (Fixture *f)
{
  const char *status = antenna_composer_get_status (f->composer);

  return status != NULL && g_strcmp0 (status, "Sending…") != 0 &&
         !g_str_has_prefix (status, "Queued");
}

/* Publishes what is in the composer and waits for the result line. */
static const char *
publish (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) status_is_final, f, WAIT_MS));
  return antenna_composer_get_status (f->composer);
}

static GtkWidget *find_first (GtkWidget *widget, GType type);

/* Tests */

static void
test_publish_qos (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "ui/#", 2, FALSE);
  g_autoptr(AntennaTestSub) late = NULL;
  g_autoptr(GBytes) hex_bytes = g_bytes_new_static ("\x00\xff\x10 A", 5);
  g_autoptr(GBytes) b64_bytes = g_bytes_new_static ("\x01\x02\x03", 3);
  g_autoptr(GBytes) text_bytes = g_bytes_new_static ("plain ✓", strlen ("plain ✓"));

  antenna_composer_set_topic (f->composer, "ui/hex");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_HEX);
  antenna_composer_set_payload_text (f->composer, "00 ff 10 20 41");
  antenna_composer_set_qos (f->composer, 0);
  g_assert_cmpstr (publish (f), ==, "Sent");

  antenna_composer_set_topic (f->composer, "ui/b64");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_BASE64);
  antenna_composer_set_payload_text (f->composer, "AQID");
  antenna_composer_set_qos (f->composer, 1);
  g_assert_cmpstr (publish (f), ==, "Delivered");

  antenna_composer_set_topic (f->composer, "ui/text");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_TEXT);
  antenna_composer_set_payload_text (f->composer, "plain ✓");
  antenna_composer_set_qos (f->composer, 2);
  antenna_composer_set_retain (f->composer, TRUE);
  g_assert_cmpstr (publish (f), ==, "Delivered");

  g_assert_cmpuint (antenna_test_sub_wait (sub, 3, WAIT_MS), ==, 3);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 0), ==, "ui/hex");
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 0), hex_bytes));
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 1), b64_bytes));
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 2), text_bytes));

  /* Retained: a later subscriber gets it, flagged. */
  late = antenna_test_sub_start (f->broker, "ui/text", 1, FALSE);
  g_assert_cmpuint (antenna_test_sub_wait (late, 1, WAIT_MS), ==, 1);
  g_assert_true (antenna_test_sub_get_retain (late, 0));
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (late, 0), text_bytes));

  /* Each one went to the page's log too (as ::published) and into the history. */
  g_assert_cmpuint (f->published->len, ==, 3);
  g_assert_cmpint (antenna_message_get_direction (g_ptr_array_index (f->published, 0)), ==, ANTENNA_MESSAGE_SENT);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_composer_get_history (f->composer)), ==, 3);
}

/* Publish is not offered: the button is off, and the action does nothing. */
static void
assert_publish_off (Fixture *f)
{
  guint published = f->published->len;

  g_assert_false (gtk_widget_get_sensitive (antenna_test_ui_find_button (GTK_WIDGET (f->composer), "_Publish")));
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL);
  antenna_test_iterate_for (50);
  g_assert_cmpuint (f->published->len, ==, published);
}

static void
test_refused_input (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "#", 0, FALSE);

  /* A wildcard in the topic: said as typed, and refused. */
  antenna_composer_set_topic (f->composer, "bad/+/topic");
  g_assert_nonnull (antenna_composer_get_topic_error (f->composer));
  g_assert_nonnull (strstr (antenna_composer_get_topic_error (f->composer), "position 5"));
  /* Publish is not offered. */
  assert_publish_off (f);

  /* Empty topic. */
  antenna_composer_set_topic (f->composer, "");
  g_assert_null (antenna_composer_get_topic_error (f->composer));
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL);
  g_assert_cmpstr (antenna_composer_get_status (f->composer), ==, "Type the topic to publish to.");

  /* Invalid hex, Base64 and JSON: the position is shown as typed, and nothing goes out. */
  antenna_composer_set_topic (f->composer, "good/topic");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_HEX);
  antenna_composer_set_payload_text (f->composer, "01 02 zz");
  g_assert_nonnull (strstr (antenna_composer_get_payload_error (f->composer), "position 7"));
  assert_publish_off (f);

  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_BASE64);
  antenna_composer_set_payload_text (f->composer, "AQ!D");
  g_assert_nonnull (strstr (antenna_composer_get_payload_error (f->composer), "position 3"));

  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_JSON);
  antenna_composer_set_payload_text (f->composer, "{\"a\": [1, 2,]}");
  g_assert_nonnull (strstr (antenna_composer_get_payload_error (f->composer), "line 1"));
  assert_publish_off (f);

  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 0);
  g_assert_cmpuint (f->published->len, ==, 0);
}


/* The marked characters of the payload, as a string (empty: none). */
static char *
marked_text (Fixture *f)
{
  GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f->composer), ANTENNA_TYPE_COMPOSER, "payload_view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "payload-error");
  GString *marked = g_string_new (NULL);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter); gtk_text_iter_forward_char (&iter))
    if (gtk_text_iter_has_tag (&iter, tag))
      g_string_append_unichar (marked, gtk_text_iter_get_char (&iter));

  return g_string_free (marked, FALSE);
}

typedef struct
{
  graphene_rect_t topic;
  graphene_rect_t payload;
} Layout;

static void
measure_layout (Fixture *f,
                Layout  *layout)
{
  GtkWidget *composer = GTK_WIDGET (f->composer);

  antenna_test_iterate_for (200);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (gtk_widget_get_template_child (composer, ANTENNA_TYPE_COMPOSER, "topic_entry")),
                                            composer, &layout->topic));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (gtk_widget_get_template_child (composer, ANTENNA_TYPE_COMPOSER, "payload_view")),
                                            composer, &layout->payload));
}

static void
assert_same_layout (const Layout *a,
                    const Layout *b)
{
  g_assert_true (graphene_rect_equal (&a->topic, &b->topic));
  g_assert_true (graphene_rect_equal (&a->payload, &b->payload));
}

/* The composer checks as it is typed in: a wildcard in the topic says so
 * under the field and Publish is not offered; bad hex, Base64 or JSON says
 * why beside the payload and marks the characters at fault; all of it goes
 * as soon as the text is right, and nothing on screen moves meanwhile. */
static void
test_checks_as_typed (Fixture       *f,
                      gconstpointer  data)
{
  GtkLabel *topic_error = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (f->composer), ANTENNA_TYPE_COMPOSER, "topic_error_label"));
  GtkLabel *size = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (f->composer), ANTENNA_TYPE_COMPOSER, "size_label"));
  g_autofree char *marked = NULL;
  Layout clean;
  Layout wrong;

  antenna_composer_set_topic (f->composer, "a/b");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_HEX);
  antenna_composer_set_payload_text (f->composer, "01 02");
  measure_layout (f, &clean);
  g_assert_cmpstr (gtk_label_get_label (topic_error), ==, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (topic_error)));
  g_assert_true (gtk_widget_get_sensitive (antenna_test_ui_find_button (GTK_WIDGET (f->composer), "_Publish")));

  /* a/+: under the field, Publish off. */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (f->composer), ANTENNA_TYPE_COMPOSER, "topic_entry")), "a/+");
  g_assert_nonnull (strstr (gtk_label_get_label (topic_error), "position 3"));
  assert_publish_off (f);
  measure_layout (f, &wrong);
  assert_same_layout (&clean, &wrong);
  antenna_test_screenshot ("composer-topic-error.png");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (f->composer), ANTENNA_TYPE_COMPOSER, "topic_entry")), "a/b");
  g_assert_cmpstr (gtk_label_get_label (topic_error), ==, "");
  g_assert_true (gtk_widget_get_sensitive (antenna_test_ui_find_button (GTK_WIDGET (f->composer), "_Publish")));

  /* Hex: the bad digit marked, the reason beside the payload. */
  antenna_composer_set_payload_text (f->composer, "01 0g 03");
  marked = marked_text (f);
  g_assert_cmpstr (marked, ==, "g");
  g_clear_pointer (&marked, g_free);
  g_assert_nonnull (strstr (gtk_label_get_label (size), "position 5"));
  assert_publish_off (f);
  measure_layout (f, &wrong);
  assert_same_layout (&clean, &wrong);
  antenna_test_screenshot ("composer-hex-error.png");
  antenna_composer_set_payload_text (f->composer, "01 0f 03");
  marked = marked_text (f);
  g_assert_cmpstr (marked, ==, "");
  g_clear_pointer (&marked, g_free);
  g_assert_null (antenna_composer_get_payload_error (f->composer));
  g_assert_true (gtk_widget_get_sensitive (antenna_test_ui_find_button (GTK_WIDGET (f->composer), "_Publish")));

  /* Odd digit count: the digit left alone. */
  antenna_composer_set_payload_text (f->composer, "01 0");
  marked = marked_text (f);
  g_assert_cmpstr (marked, ==, "0");
  g_clear_pointer (&marked, g_free);

  /* Base64: the character that is not Base64. */
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_BASE64);
  antenna_composer_set_payload_text (f->composer, "AQ!D");
  marked = marked_text (f);
  g_assert_cmpstr (marked, ==, "!");
  g_clear_pointer (&marked, g_free);
  antenna_composer_set_payload_text (f->composer, "AQID");
  marked = marked_text (f);
  g_assert_cmpstr (marked, ==, "");
  g_clear_pointer (&marked, g_free);

  /* JSON: where the parser stopped, on the second line. */
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_JSON);
  antenna_composer_set_payload_text (f->composer, "{\"a\": 1,\n \"b\": @}");
  marked = marked_text (f);
  g_assert_cmpstr (marked, ==, "@");
  g_clear_pointer (&marked, g_free);
  g_assert_nonnull (strstr (antenna_composer_get_payload_error (f->composer), "line 2"));
  measure_layout (f, &wrong);
  assert_same_layout (&clean, &wrong);
  antenna_test_screenshot ("composer-json-error.png");
  antenna_composer_set_payload_text (f->composer, "{\"a\": 1,\n \"b\": 2}");
  marked = marked_text (f);
  g_assert_cmpstr (marked, ==, "");
  g_assert_null (antenna_composer_get_payload_error (f->composer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL));
}

static void
test_json_and_formats (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "json/#", 1, FALSE);
  g_autofree char *pretty = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *back = NULL;
  g_autoptr(GBytes) sent = NULL;

  antenna_composer_set_topic (f->composer, "json/state");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_JSON);
  antenna_composer_set_payload_text (f->composer, "{\"temperature\":21.5,\"unit\":\"°C\",\"ok\":true,\"tags\":[\"a\",\"b\"]}");
  g_assert_null (antenna_composer_get_payload_error (f->composer));

  /* Format pretty-prints. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.format-json", NULL));
  pretty = antenna_composer_dup_payload_text (f->composer);
  g_test_message ("%s", pretty);
  g_assert_true (g_str_has_prefix (pretty, "{\n  \"temperature\""));
  g_assert_nonnull (strstr (pretty, "21.5,\n  \"unit\""));
  antenna_test_screenshot ("composer-json.png");

  antenna_composer_set_qos (f->composer, 1);
  g_assert_cmpstr (publish (f), ==, "Delivered");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  sent = g_bytes_new (pretty, strlen (pretty));
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 0), sent));

  /* Switching the format writes the same bytes the new way, and back. */
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_TEXT);
  antenna_composer_set_payload_text (f->composer, "Hi!");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_HEX);
  hex = antenna_composer_dup_payload_text (f->composer);
  g_assert_cmpstr (hex, ==, "48 69 21");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_BASE64);
  back = antenna_composer_dup_payload_text (f->composer);
  g_assert_cmpstr (back, ==, "SGkh");
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "props/#", 1, TRUE);
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  g_autoptr(AntennaProperties) read = NULL;

  props->content_type = g_strdup ("application/json");
  props->payload_format = 1;
  props->response_topic = g_strdup ("props/reply");
  props->correlation_data = g_bytes_new_static ("req-7", 5);
  props->message_expiry = 300;
  antenna_properties_add_user_property (props, "origin", "antenna");
  antenna_properties_add_user_property (props, "room", "lab");

  antenna_composer_set_topic (f->composer, "props/cmd");
  antenna_composer_set_payload_text (f->composer, "{}");
  antenna_composer_set_properties (f->composer, props);
  read = antenna_composer_dup_properties (f->composer);
  g_assert_true (antenna_properties_equal (read, props));
  antenna_composer_set_qos (f->composer, 1);
  antenna_test_screenshot ("composer-properties.png");
  g_assert_cmpstr (publish (f), ==, "Delivered");

  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "content-type"), ==, "application/json");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "response-topic"), ==, "props/reply");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "correlation-data"), ==, "req-7");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "payload-format-indicator"), ==, "1");
  g_assert_cmpstr (antenna_test_sub_get_property (sub, 0, "user-property"), ==, "origin:antenna room:lab");
  g_assert_nonnull (antenna_test_sub_get_property (sub, 0, "message-expiry-interval"));

  /* The history keeps the properties; refilling brings them back. */
  {
    g_autoptr(AntennaMessage) last = g_list_model_get_item (antenna_composer_get_history (f->composer), 0);
    g_autoptr(AntennaProperties) again = NULL;

    antenna_composer_set_properties (f->composer, NULL);
    g_assert_null (antenna_composer_dup_properties (f->composer));
    antenna_composer_apply_message (f->composer, last);
    again = antenna_composer_dup_properties (f->composer);
    g_assert_true (antenna_properties_equal (again, props));
  }
}

static void
test_properties_hidden_v311 (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  GtkWidget *child;
  gboolean found_visible_expander = FALSE;

  props->content_type = g_strdup ("text/plain");
  antenna_composer_set_properties (f->composer, props);
  /* Not an MQTT 5 connection: no properties go out, and none are shown. */
  g_assert_null (antenna_composer_dup_properties (f->composer));

  for (child = gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (f->composer)));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_EXPANDER (child) && gtk_widget_get_visible (child))
      found_visible_expander = TRUE;
  g_assert_false (found_visible_expander);
}

static gboolean
no_pending (Fixture *f)
{
  return antenna_composer_get_n_pending (f->composer) == 0 && status_is_final (f);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "off/#", 1, FALSE);
  g_autoptr(GBytes) expected = g_bytes_new_static ("later", 5);

  disconnect_client (f);

  /* QoS 0 cannot wait: refused, clearly. */
  antenna_composer_set_topic (f->composer, "off/line");
  antenna_composer_set_payload_text (f->composer, "later");
  antenna_composer_set_qos (f->composer, 0);
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL);
  g_assert_nonnull (strstr (antenna_composer_get_status (f->composer), "not connected"));
  g_assert_false (antenna_composer_get_offering_queue (f->composer));

  /* QoS 1: offered to queue; declined, it is not sent, and says so. */
  antenna_composer_set_qos (f->composer, 1);
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL);
  g_assert_true (antenna_composer_get_offering_queue (f->composer));
  antenna_test_screenshot ("composer-offline.png");
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.discard-pending", NULL);
  g_assert_false (antenna_composer_get_offering_queue (f->composer));
  g_assert_cmpstr (antenna_composer_get_status (f->composer), ==, "Not sent: not connected.");
  g_assert_cmpuint (antenna_composer_get_n_pending (f->composer), ==, 0);

  /* Accepted: queued, and sent once connected again. */
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.publish", NULL);
  g_assert_true (antenna_composer_get_offering_queue (f->composer));
  gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.queue-pending", NULL);
  g_assert_cmpuint (antenna_composer_get_n_pending (f->composer), ==, 1);
  g_assert_true (g_str_has_prefix (antenna_composer_get_status (f->composer), "Queued"));

  antenna_test_iterate_for (200);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 0);

  connect_client (f);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) no_pending, f, WAIT_MS));
  g_assert_cmpstr (antenna_composer_get_status (f->composer), ==, "Delivered");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 0), expected));
  antenna_test_iterate_for (200);
  /* Once, not twice. */
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 1);
}

static void
test_history_again (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "again/#", 1, FALSE);
  g_autoptr(AntennaMessage) first = NULL;
  g_autofree char *text = NULL;

  antenna_composer_set_topic (f->composer, "again/one");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_HEX);
  antenna_composer_set_payload_text (f->composer, "ca fe");
  antenna_composer_set_qos (f->composer, 2);
  g_assert_cmpstr (publish (f), ==, "Delivered");

  antenna_composer_set_topic (f->composer, "again/two");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_TEXT);
  antenna_composer_set_payload_text (f->composer, "second");
  antenna_composer_set_qos (f->composer, 0);
  g_assert_cmpstr (publish (f), ==, "Sent");

  g_assert_cmpuint (g_list_model_get_n_items (antenna_composer_get_history (f->composer)), ==, 2);
  first = g_list_model_get_item (antenna_composer_get_history (f->composer), 1);
  g_assert_cmpstr (antenna_message_get_topic (first), ==, "again/one");

  /* Selecting refills the composer… */
  antenna_composer_apply_message (f->composer, first);
  g_assert_cmpstr (antenna_composer_get_topic (f->composer), ==, "again/one");
  g_assert_cmpint (antenna_composer_get_format (f->composer), ==, ANTENNA_PAYLOAD_FORMAT_HEX);
  text = antenna_composer_dup_payload_text (f->composer);
  g_assert_cmpstr (text, ==, "ca fe");

  /* …and "publish again" is one action. */
  antenna_composer_publish_again (f->composer, first);
  wanted_published = 3;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) published_enough, f, WAIT_MS));
  g_assert_cmpuint (antenna_test_sub_wait (sub, 3, WAIT_MS), ==, 3);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 2), ==, "again/one");
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 2), antenna_test_sub_get_payload (sub, 0)));
  g_assert_cmpuint (g_list_model_get_n_items (antenna_composer_get_history (f->composer)), ==, 3);

  if (g_getenv ("ANTENNA_SCREENSHOT_DIR") != NULL)
    {
      GtkMenuButton *history = GTK_MENU_BUTTON (find_first (GTK_WIDGET (f->composer), GTK_TYPE_MENU_BUTTON));

      gtk_menu_button_popup (history);
      antenna_test_screenshot ("composer-history.png");
      gtk_menu_button_popdown (history);
    }
}

/* The autosave (an idle) wrote the renamed template to the file. */
static gboolean
templates_file_has_renamed (Fixture *f)
{
  g_autofree char *saved = NULL;

  return g_file_get_contents (antenna_template_store_get_path (f->templates), &saved, NULL, NULL) &&
         strstr (saved, "Lamp: on") != NULL;
}

static void
test_templates (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AntennaTemplate) template = NULL;
  g_autoptr(AntennaTemplateStore) restarted = NULL;
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "tpl/#", 1, FALSE);
  g_autoptr(GBytes) expected = g_bytes_new_static ("\x10\x20", 2);
  AntennaTemplate *found;
  g_autofree char *text = NULL;

  antenna_composer_set_topic (f->composer, "tpl/lamp");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_HEX);
  antenna_composer_set_payload_text (f->composer, "10 20");
  antenna_composer_set_qos (f->composer, 1);
  antenna_composer_set_retain (f->composer, TRUE);

  template = antenna_composer_save_template (f->composer, "Lamp on", &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
  g_assert_null (antenna_composer_save_template (f->composer, "Lamp on", &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  listed = antenna_composer_list_templates (f->composer);
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 1);
  g_assert_true (antenna_template_store_rename (f->templates, template, "Lamp: on", &error));
  g_assert_no_error (error);
  /* The autosave (an idle): until the file has the new name. */
  antenna_test_wait_until ((AntennaTestCondition) templates_file_has_renamed, f, WAIT_MS);

  /* A restart: a new store from the same file has it. */
  restarted = antenna_template_store_new (antenna_template_store_get_path (f->templates));
  g_assert_true (antenna_template_store_load (restarted, NULL, &error));
  g_assert_no_error (error);
  found = antenna_template_store_find (restarted, antenna_profile_get_id (f->profile), "Lamp: on");
  g_assert_nonnull (found);

  /* Applied to an empty composer, and published. */
  antenna_composer_set_topic (f->composer, "");
  antenna_composer_set_format (f->composer, ANTENNA_PAYLOAD_FORMAT_TEXT);
  antenna_composer_set_payload_text (f->composer, "");
  antenna_composer_set_retain (f->composer, FALSE);
  antenna_composer_apply_template (f->composer, found);
  g_assert_cmpstr (antenna_composer_get_topic (f->composer), ==, "tpl/lamp");
  g_assert_cmpint (antenna_composer_get_format (f->composer), ==, ANTENNA_PAYLOAD_FORMAT_HEX);
  text = antenna_composer_dup_payload_text (f->composer);
  g_assert_cmpstr (text, ==, "10 20");
  g_assert_cmpstr (publish (f), ==, "Delivered");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 0), expected));

  /* Deleted from the list. */
  antenna_template_store_remove (f->templates, template);
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 0);
}

static gboolean
not_loading (Fixture *f)
{
  return !antenna_composer_get_loading (f->composer);
}

static void
test_file (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "file/#", 1, FALSE);
  g_autofree char *path = g_build_filename (f->dir, "blob.bin", NULL);
  g_autofree char *too_big_path = g_build_filename (f->dir, "too-big.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) too_big = g_file_new_for_path (too_big_path);
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *preview = NULL;
  gsize size = 9 * 1024 * 1024 + 3;
  guint8 *bytes = g_malloc (size);
  FILE *fp;

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) (i * 7 + (i >> 9));
  expected = g_bytes_new_take (bytes, size);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (expected, NULL), size, NULL));

  antenna_composer_set_topic (f->composer, "file/blob");
  antenna_composer_load_file (f->composer, file);
  g_assert_true (antenna_composer_get_loading (f->composer));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) not_loading, f, WAIT_MS));
  g_assert_null (antenna_composer_get_status (f->composer));

  /* The editor shows a preview, not 9 MB. */
  preview = antenna_composer_dup_payload_text (f->composer);
  g_assert_cmpuint (strlen (preview), <, 64 * 1024);
  payload = antenna_composer_dup_payload (f->composer, NULL);
  g_assert_true (g_bytes_equal (payload, expected));

  antenna_composer_set_qos (f->composer, 1);
  g_assert_cmpstr (publish (f), ==, "Delivered");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 0), expected));

  /* Too large: refused before reading, and said next to the composer. */
  fp = fopen (too_big_path, "w");
  g_assert_nonnull (fp);
  g_assert_cmpint (ftruncate (fileno (fp), (off_t) ANTENNA_MQTT_MAX_PAYLOAD + 1), ==, 0);
  fclose (fp);
  antenna_composer_load_file (f->composer, too_big);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) not_loading, f, WAIT_MS));
  g_assert_nonnull (strstr (antenna_composer_get_status (f->composer), "too large"));

  /* Back to typing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.clear-file", NULL));
  antenna_composer_set_payload_text (f->composer, "typed");
  g_clear_pointer (&payload, g_bytes_unref);
  payload = antenna_composer_dup_payload (f->composer, NULL);
  g_assert_cmpuint (g_bytes_get_size (payload), ==, 5);
}

static AntennaPublishWindow *
find_publish_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ANTENNA_IS_PUBLISH_WINDOW (window))
        return ANTENNA_PUBLISH_WINDOW (window);
    }

  return NULL;
}

static void
test_detach (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "detached/#", 1, FALSE);
  AntennaPublishWindow *window;
  AntennaComposer *other;

  antenna_composer_set_topic (f->composer, "detached/x");
  antenna_composer_set_payload_text (f->composer, "from the window");
  antenna_composer_set_qos (f->composer, 1);

  g_assert_null (find_publish_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.detach", NULL));
  window = find_publish_window ();
  g_assert_nonnull (window);
  other = antenna_publish_window_get_composer (window);
  g_assert_true (antenna_composer_get_client (other) == f->client);
  g_assert_cmpstr (antenna_composer_get_topic (other), ==, "detached/x");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (other), "composer.publish", NULL));
  wanted_published = 1;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) published_enough, f, WAIT_MS));
  g_assert_cmpstr (antenna_composer_get_status (other), ==, "Delivered");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);

  /* Same connection, same history. */
  g_assert_true (antenna_composer_get_history (other) == antenna_composer_get_history (f->composer));
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_first (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_first (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
model_has (GtkTreeModel *model,
           const char   *text)
{
  GtkTreeIter iter;
  gboolean valid;

  for (valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *value = NULL;

      gtk_tree_model_get (model, &iter, 0, &value, -1);
      if (g_strcmp0 (value, text) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Completion offers the topics seen on the connection, one level at a time. */
static void
test_completion (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AntennaTopicTree) tree = antenna_topic_tree_new (10);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  const char *topics[] = { "home/kitchen/temp", "home/hall/light", "office/door" };
  GtkEntry *entry = GTK_ENTRY (find_first (GTK_WIDGET (f->composer), GTK_TYPE_ENTRY));
  GtkTreeModel *model = gtk_entry_completion_get_model (gtk_entry_get_completion (entry));

  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    g_ptr_array_add (messages, antenna_message_new (topics[i], NULL, 0, FALSE, FALSE,
                                                    ANTENNA_MESSAGE_RECEIVED, g_get_real_time (), NULL));
  antenna_topic_tree_add_messages (tree, messages);
  antenna_topic_tree_flush (tree);
  antenna_composer_set_topic_tree (f->composer, tree);

  gtk_editable_set_text (GTK_EDITABLE (entry), "ho");
  g_assert_true (model_has (model, "home"));
  g_assert_true (model_has (model, "office"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "home/k");
  g_assert_true (model_has (model, "home/kitchen"));
  g_assert_true (model_has (model, "home/hall"));
  g_assert_false (model_has (model, "office"));
}

/* RabbitMQ answers a QoS 2 message with a PUBACK and delivers it at QoS 1:
 * the composer says so, and the log gets the message as the broker took it. */
static void
test_qos2_acknowledged_as_qos1 (Fixture       *f,
                                gconstpointer  data)
{
  if (f->window == NULL)
    return;

  antenna_composer_set_topic (f->composer, "ui/qos2");
  antenna_composer_set_payload_text (f->composer, "exactly once?");
  antenna_composer_set_qos (f->composer, 2);
  g_assert_cmpstr (publish (f), ==, "The broker acknowledged this QoS 2 message as QoS 1.");
  g_assert_cmpuint (f->published->len, ==, 1);
  g_assert_cmpint (antenna_message_get_qos (g_ptr_array_index (f->published, 0)), ==, 1);
  antenna_test_screenshot ("composer-qos2-as-qos1.png");

  /* QoS 1 is just delivered */
  antenna_composer_set_qos (f->composer, 1);
  g_assert_cmpstr (publish (f), ==, "Delivered");
}

static gboolean
properties_shown (Fixture *f)
{
  GtkWidget *expander = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->composer), ANTENNA_TYPE_COMPOSER,
                                                                   "properties_expander"));
  g_autoptr(AntennaProperties) props = antenna_composer_dup_properties (f->composer);

  /* What is shown is what goes out. */
  g_assert_true (gtk_widget_get_visible (expander) == (props != NULL));
  return gtk_widget_get_visible (expander);
}

/* An automatic profile: the MQTT 5 properties are there while MQTT 5 is
 * what the connection tries first, gone once RabbitMQ accepted 3.1.1 only,
 * and back once a broker that speaks 5 (mosquitto) accepted it. */
static void
test_properties_follow_version (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  AntennaTestBroker *mosquitto;

  if (f->window == NULL)
    return;

  props->content_type = g_strdup ("text/plain");
  antenna_composer_set_properties (f->composer, props);
  g_assert_true (properties_shown (f));

  connect_client (f);
  g_assert_cmpint (antenna_client_get_mqtt_version (f->client), ==, ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_false (properties_shown (f));
  antenna_test_screenshot ("composer-automatic-3-1-1.png");

  disconnect_client (f);
  f->broker = mosquitto = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  antenna_profile_set_port (f->profile, antenna_test_broker_get_port (mosquitto));
  connect_client (f);
  g_assert_cmpint (antenna_client_get_mqtt_version (f->client), ==, ANTENNA_MQTT_VERSION_5);
  g_assert_true (properties_shown (f));
}

/* The broker's refusal, with its MQTT 5 reason, shows next to the composer. */
static void
test_refused_by_broker (Fixture       *f,
                        gconstpointer  data)
{
  const char *status;

  antenna_composer_set_topic (f->composer, "forbidden/x");
  antenna_composer_set_payload_text (f->composer, "no");
  antenna_composer_set_qos (f->composer, 1);
  status = publish (f);
  g_test_message ("%s", status);
  g_assert_cmpstr (status, !=, "Delivered");
  g_assert_nonnull (strstr (status, "not authorized (reason code 0x87)"));
  g_assert_cmpuint (f->published->len, ==, 0);

  /* Allowed topics still go. */
  antenna_composer_set_topic (f->composer, "allowed/x");
  g_assert_cmpstr (publish (f), ==, "Delivered");
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add ("/antenna/ui/composer/publish-qos", Fixture, NULL, fixture_setup, test_publish_qos, fixture_teardown);
  g_test_add ("/antenna/ui/composer/refused-input", Fixture, NULL, fixture_setup, test_refused_input, fixture_teardown);
  g_test_add ("/antenna/ui/composer/checks-as-typed", Fixture, NULL, fixture_setup, test_checks_as_typed, fixture_teardown);
  g_test_add ("/antenna/ui/composer/json-and-formats", Fixture, NULL, fixture_setup, test_json_and_formats, fixture_teardown);
  g_test_add ("/antenna/ui/composer/properties", Fixture, NULL, fixture_setup, test_properties, fixture_teardown);
  g_test_add ("/antenna/ui/composer/properties-hidden-v311", Fixture, GINT_TO_POINTER (ANTENNA_MQTT_VERSION_3_1_1),
              fixture_setup, test_properties_hidden_v311, fixture_teardown);
  g_test_add ("/antenna/ui/composer/offline", Fixture, NULL, fixture_setup, test_offline, fixture_teardown);
  g_test_add ("/antenna/ui/composer/history", Fixture, NULL, fixture_setup, test_history_again, fixture_teardown);
  g_test_add ("/antenna/ui/composer/templates", Fixture, NULL, fixture_setup, test_templates, fixture_teardown);
  g_test_add ("/antenna/ui/composer/file", Fixture, NULL, fixture_setup, test_file, fixture_teardown);
  g_test_add ("/antenna/ui/composer/completion", Fixture, NULL, fixture_setup, test_completion, fixture_teardown);
  g_test_add ("/antenna/ui/composer/refused-by-broker", Fixture, GINT_TO_POINTER (0x100 | ANTENNA_MQTT_VERSION_5),
              fixture_setup, test_refused_by_broker, fixture_teardown);
  g_test_add ("/antenna/ui/composer/detach", Fixture, NULL, fixture_setup, test_detach, fixture_teardown);
  g_test_add ("/antenna/ui/composer/qos2-acknowledged-as-qos1", Fixture,
              GINT_TO_POINTER (0x200 | ANTENNA_MQTT_VERSION_3_1_1),
              fixture_setup, test_qos2_acknowledged_as_qos1, fixture_teardown);
  g_test_add ("/antenna/ui/composer/properties-follow-version", Fixture, GINT_TO_POINTER (0x200 | 0x400),
              fixture_setup, test_properties_follow_version, fixture_teardown);

  return antenna_test_run ();
}
