/* test-ui-decoders.c: payloads from encoders Antenna did not write, read
 * back in the inspector's decoded view, against a real mosquitto, under Xvfb
 *
 * The payloads are made at test time by python3-msgpack, python3-cbor2,
 * protoc --encode and the npm sparkplug-payload encoder, and published with
 * mosquitto_pub -f; the test reads what the widgets show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-connection-page-private.h"
#include "antenna-decoded-view.h"
#include "antenna-decoder-rule.h"
#include "antenna-message.h"
#include "antenna-message-inspector.h"
#include "antenna-message-log.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-subscription.h"
#include "antenna-subscriptions-pane.h"
#include "antenna-decoder.h"
#include "antenna-log-row.h"
#include "antenna-sparkplug-model.h"
#include "antenna-sparkplug-window.h"
#include "antenna-decoder-context.h"
#include "antenna-composer.h"
#include "antenna-decoder-rule-row.h"
#include "antenna-profile-decoders-group.h"
#include "antenna-message-log-view.h"
#include "antenna-topic-tree.h"
#include "antenna-topic-tree-view.h"
#include "antenna-value-chart.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-decoders.h"
#include "antenna-test-peer.h"
#include "antenna-test-ui.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker     *broker;
  AntennaProfileStore   *store;
  AntennaProfile        *profile;
  AntennaClient         *client;
  GtkWidget             *window;
  AntennaConnectionPage *page;
  char                  *dir;
  char                  *store_path;
} Fixture;

/* Runs @argv with @input on stdin; its stdout as bytes, asserting success. */
static GBytes *
run_encoder (const char * const *argv,
             const char         *input)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) in = g_bytes_new (input != NULL ? input : "", input != NULL ? strlen (input) : 0);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("ANTENNA_NODE_MODULES") != NULL)
    g_subprocess_launcher_setenv (launcher, "NODE_PATH", g_getenv ("ANTENNA_NODE_MODULES"), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed: %.*s", argv[0], (int) g_bytes_get_size (err), (const char *) g_bytes_get_data (err, NULL));
  return g_steal_pointer (&out);
}

static GBytes *
python_encode (const char *code)
{
  return run_encoder ((const char *[]) { python (), "-c", code, NULL }, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("antenna-ui-decoders-XXXXXX", &error);
  g_assert_no_error (error);
  f->store_path = g_build_filename (f->dir, "profiles.json", NULL);
  f->store = antenna_profile_store_new (f->store_path);
  antenna_profile_store_set_autosave (f->store, TRUE);

  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  f->profile = antenna_test_profile_new (f->broker, "Decoders");
  antenna_profile_store_add (f->store, f->profile);

  f->client = antenna_client_new (f->profile);
  antenna_test_connect_ok (f->client, NULL);
  f->window = antenna_test_ui_show_page (f->client, 1280, 820, &f->page);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  antenna_test_ui_close_page (g_steal_pointer (&f->window), g_steal_pointer (&f->page), g_steal_pointer (&f->client));
  g_clear_object (&f->profile);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_clear_pointer (&f->broker, antenna_test_broker_free);
  antenna_test_remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->store_path, g_free);
  antenna_test_iterate_for (50);
}

/* Helpers */

static const char *wanted_filter;

static gboolean
subscription_active (Fixture *f)
{
  GListModel *subscriptions = antenna_client_get_subscriptions (f->client);

  for (guint i = 0; i < g_list_model_get_n_items (subscriptions); i++)
    {
      g_autoptr(AntennaSubscription) s = g_list_model_get_item (subscriptions, i);

      if (g_str_equal (antenna_subscription_get_filter (s), wanted_filter) &&
          antenna_subscription_get_state (s) == ANTENNA_SUBSCRIPTION_STATE_ACTIVE)
        return TRUE;
    }
  return FALSE;
}

static void
subscribe_all (Fixture *f)
{
  AntennaSubscriptionsPane *pane = _antenna_connection_page_get_subscriptions_pane (f->page);

  gtk_editable_set_text (antenna_subscriptions_pane_get_filter_entry (pane), "#");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.subscribe", NULL));
  wanted_filter = "#";
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) subscription_active, f, WAIT_MS));
}

static const char *wanted_topic;
static guint wanted_nth;

/* The @wanted_nth-th (from 1) message of the log on @wanted_topic. */
static AntennaMessage *
find_logged (Fixture *f)
{
  GListModel *log = G_LIST_MODEL (_antenna_connection_page_get_message_log (f->page));
  guint seen = 0;

  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(AntennaMessage) m = g_list_model_get_item (log, i);

      if (g_str_equal (antenna_message_get_topic (m), wanted_topic) && ++seen == wanted_nth)
        return m;   /* the log keeps it */
    }
  return NULL;
}

static gboolean
logged (Fixture *f)
{
  return find_logged (f) != NULL;
}

/* Publishes @payload with mosquitto_pub -f, waits for it in the log, and
 * shows it in the inspector's decoded view. */
static AntennaMessage *
publish_and_show (Fixture    *f,
                  const char *topic,
                  GBytes     *payload,
                  guint       nth)
{
  AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (f->page);
  g_autoptr(GError) error = NULL;
  AntennaMessage *message;

  g_assert_true (antenna_test_pub (f->broker, topic, payload, 1, FALSE, &error));
  g_assert_no_error (error);
  wanted_topic = topic;
  wanted_nth = nth;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) logged, f, WAIT_MS));
  message = find_logged (f);
  g_assert_true (g_bytes_equal (antenna_message_get_payload (message), payload));

  antenna_message_inspector_show (inspector, message, NULL);
  antenna_message_inspector_show_view (inspector, "decoded");
  return message;
}

static AntennaDecodedView *
decoded_view (Fixture *f)
{
  return ANTENNA_DECODED_VIEW (antenna_message_inspector_get_decoded_view (_antenna_connection_page_get_inspector (f->page)));
}

static gboolean
decoded_idle (Fixture *f)
{
  AntennaDecodedView *view = decoded_view (f);

  return !antenna_decoded_view_get_busy (view) && antenna_decoded_view_get_shown_decoder (view) != NULL;
}

static void
wait_decoded (Fixture *f)
{
  antenna_test_iterate_for (20);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) decoded_idle, f, WAIT_MS));
  /* The list view lays out its rows. */
  antenna_test_iterate_for (100);
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, out);
}

/* What the tree's rows on screen say, one label a line. */
static char *
shown_rows (Fixture *f)
{
  GString *out = g_string_new (NULL);

  collect_labels (antenna_decoded_view_get_list_view (decoded_view (f)), out);
  return g_string_free (out, FALSE);
}

static void
assert_row (const char *rows,
            const char *key,
            const char *value)
{
  g_autofree char *pair = g_strdup_printf ("%s\n%s\n", key, value);

  if (strstr (rows, pair) == NULL)
    g_error ("no row “%s: %s” in:\n%s", key, value, rows);
}

/* Picks @id in the view's drop-down, as a person does. */
static void
pick_decoder (Fixture    *f,
              const char *id)
{
  GtkWidget *dropdown = antenna_test_ui_find_widget (GTK_WIDGET (decoded_view (f)),
                                                     (AntennaTestWidgetMatch) GTK_IS_DROP_DOWN, NULL);
  GListModel *names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  const AntennaDecoder * const *list = antenna_decoder_list ();

  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (antenna_decoder_get_id (list[i]), id))
      {
        g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i + 1), ==,
                         antenna_decoder_get_name (list[i]));
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i + 1);
        wait_decoded (f);
        return;
      }
  g_assert_not_reached ();
}

static gboolean
store_file_has (Fixture *f)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (f->store_path, &contents, NULL, NULL))
    return FALSE;
  return strstr (contents, "\"decoder-rules\"") != NULL && strstr (contents, wanted_filter) != NULL;
}

static void
collect_log_previews (GtkWidget *widget,
                      GString   *out)
{
  if (ANTENNA_IS_LOG_ROW (widget) && antenna_log_row_get_preview (ANTENNA_LOG_ROW (widget)) != NULL)
    g_string_append_printf (out, "%s\n", antenna_log_row_get_preview (ANTENNA_LOG_ROW (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_log_previews (c, out);
}

static const char *wanted_preview;

static gboolean
log_preview_shown (Fixture *f)
{
  g_autoptr(GString) out = g_string_new (NULL);

  collect_log_previews (GTK_WIDGET (_antenna_connection_page_get_message_log_view (f->page)), out);
  return strstr (out->str, wanted_preview) != NULL;
}

/* The previews of the log's rows, once drawn, when one has @wanted. */
static char *
log_previews (Fixture    *f,
              const char *wanted)
{
  GString *out = g_string_new (NULL);

  gtk_widget_activate_action (GTK_WIDGET (f->page), "page.show-messages", NULL);
  wanted_preview = wanted;
  antenna_test_wait_until ((AntennaTestCondition) log_preview_shown, f, WAIT_MS);
  collect_log_previews (GTK_WIDGET (_antenna_connection_page_get_message_log_view (f->page)), out);
  return g_string_free (out, FALSE);
}

static gboolean
is_field_entry (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_ENTRY (widget) &&
         g_str_has_prefix (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)) ?: "", "JSON field");
}

static const char *wanted_label;
static GtkWidget *wanted_root;

static gboolean
is_wanted_label (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), wanted_label) == 0;
}

static gboolean
label_shown (gpointer unused)
{
  return antenna_test_ui_find_widget (wanted_root, is_wanted_label, NULL) != NULL;
}

/* Tests */

#define MSGPACK_CODE \
  "import msgpack, sys\n" \
  "sys.stdout.buffer.write(msgpack.packb({'temperature': 21.5, 'unit': 'degC', 'count': 7, " \
  "'raw': b'\\x01\\xff', 'when': msgpack.Timestamp(1700000000, 500000000), 7: 'seven'}))\n"

static void
test_msgpack_rule (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) packed = python_encode (MSGPACK_CODE);
  g_autoptr(GBytes) packed2 = python_encode ("import msgpack, sys\n"
                                             "sys.stdout.buffer.write(msgpack.packb([1, -2, 3.25, None, True]))\n");
  /* A string of 0xffffffff bytes, then four: cut short. */
  static const guint8 broken[] = { 0x81, 0xa1, 'a', 0xdb, 0xff, 0xff, 0xff, 0xff, 'a', 'b', 'c', 'd' };
  g_autoptr(GBytes) broken_bytes = g_bytes_new_static (broken, sizeof broken);
  AntennaDecodedView *view;
  GListModel *rules = antenna_profile_get_decoder_rules (f->profile);
  g_autoptr(AntennaDecoderRule) rule = NULL;
  g_autofree char *json = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *raw = NULL;
  const char *label;

  subscribe_all (f);
  publish_and_show (f, "plant/boiler/state", packed, 1);
  view = decoded_view (f);
  wait_decoded (f);

  /* Binary and no rule: never guessed, shown as hex. */
  g_assert_cmpstr (antenna_decoded_view_get_shown_decoder (view), ==, "hex");
  label = gtk_label_get_label (GTK_LABEL (antenna_decoded_view_get_reason_label (view)));
  g_assert_nonnull (strstr (label, "Hex"));

  /* Picked by hand. */
  pick_decoder (f, "msgpack");
  g_assert_cmpstr (antenna_decoded_view_get_shown_decoder (view), ==, "msgpack");
  json = antenna_decoded_view_dup_json (view);
  g_assert_cmpstr (json, ==, "{\"temperature\":21.5,\"unit\":\"degC\",\"count\":7,\"raw\":\"Af8=\","
                             "\"when\":\"2023-11-14T22:13:20.5Z\",\"7\":\"seven\"}");
  rows = shown_rows (f);
  assert_row (rows, "temperature", "21.5");
  assert_row (rows, "unit", "degC");
  assert_row (rows, "count", "7");
  assert_row (rows, "when", "2023-11-14T22:13:20.5Z");
  assert_row (rows, "7", "seven");
  antenna_test_screenshot ("inspector-decoded-msgpack.png");

  /* "Use for Topic": a rule in the profile, saved in the file. */
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "decoded.use-for-topic", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 1);
  rule = g_list_model_get_item (rules, 0);
  g_assert_cmpstr (antenna_decoder_rule_get_filter (rule), ==, "plant/boiler/state");
  g_assert_cmpstr (antenna_decoder_rule_get_decoder (rule), ==, "msgpack");
  wanted_filter = "plant/boiler/state";
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) store_file_has, f, WAIT_MS));
  /* Back to Automatic: the rule decides now. */
  g_assert_cmpstr (antenna_decoded_view_get_decoder (view), ==, "");
  wait_decoded (f);
  g_assert_cmpstr (antenna_decoded_view_get_shown_decoder (view), ==, "msgpack");
  label = gtk_label_get_label (GTK_LABEL (antenna_decoded_view_get_reason_label (view)));
  g_assert_nonnull (strstr (label, "plant/boiler/state"));

  /* The next message on the topic goes by the rule. */
  publish_and_show (f, "plant/boiler/state", packed2, 2);
  wait_decoded (f);
  g_assert_cmpstr (antenna_decoded_view_get_shown_decoder (view), ==, "msgpack");
  g_clear_pointer (&json, g_free);
  json = antenna_decoded_view_dup_json (view);
  g_assert_cmpstr (json, ==, "[1,-2,3.25,null,true]");

  /* The log's preview, its payload filter and the chart read the decoded
   * value: "21.5" is nowhere in the MessagePack bytes. */
  {
    g_autofree char *previews = log_previews (f, "21.5");
    AntennaMessageLogView *log_view = _antenna_connection_page_get_message_log_view (f->page);
    AntennaMessageLog *log = _antenna_connection_page_get_message_log (f->page);
    AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (f->page);
    AntennaTopicNode *node = antenna_topic_tree_lookup (_antenna_connection_page_get_topic_tree (f->page),
                                                        "plant/boiler/state");
    GtkWidget *chart = antenna_message_inspector_get_chart (inspector);
    GtkWidget *field = antenna_test_ui_find_widget (GTK_WIDGET (inspector), is_field_entry, NULL);

    if (strstr (previews, "temperature") == NULL || strstr (previews, "21.5") == NULL)
      g_error ("no decoded preview in the log:\n%s", previews);
    g_assert_nonnull (strstr (previews, "[1, -2, 3.25, null, true]"));

    /* The topic tree's row of the topic previews its last message's value. */
    {
      GtkWidget *tree_view = GTK_WIDGET (_antenna_connection_page_get_topic_tree_view (f->page));

      g_assert_true (gtk_widget_activate_action (tree_view, "topic-tree.expand-all", NULL));
      wanted_label = "[1, -2, 3.25, null, true]";
      wanted_root = tree_view;
      if (!antenna_test_wait_until ((AntennaTestCondition) label_shown, NULL, WAIT_MS))
        {
          GString *out = g_string_new (NULL);

          collect_labels (tree_view, out);
          g_error ("no decoded preview in the tree:\n%s", out->str);
        }
    }

    antenna_message_log_view_set_filter (log_view, NULL, "21.5");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
    antenna_message_log_view_set_filter (log_view, NULL, "3.25");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
    antenna_message_log_view_set_filter (log_view, NULL, NULL);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);

    g_assert_nonnull (node);
    antenna_message_inspector_show (inspector, find_logged (f), node);
    antenna_message_inspector_show_view (inspector, "chart");
    g_assert_true (GTK_IS_ENTRY (field));
    gtk_editable_set_text (GTK_EDITABLE (field), "temperature");
    antenna_test_iterate_for (50);
    g_assert_cmpuint (antenna_value_chart_get_n_points (ANTENNA_VALUE_CHART (chart)), ==, 1);
    gtk_editable_set_text (GTK_EDITABLE (field), "2");
    antenna_test_iterate_for (50);
    /* [1, -2, 3.25…][2] of the second message. */
    g_assert_cmpuint (antenna_value_chart_get_n_points (ANTENNA_VALUE_CHART (chart)), ==, 1);
    antenna_message_inspector_show_view (inspector, "decoded");
    wait_decoded (f);
  }

  /* "Use for Filter…" with a filter that is not one: refused. */
  g_assert_false (antenna_decoded_view_add_rule (view, "plant/#/x"));
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 1);
  /* With one: a second rule, first in the list. */
  g_assert_true (antenna_decoded_view_add_rule (view, "plant/#"));
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 2);
  g_clear_object (&rule);
  rule = g_list_model_get_item (rules, 0);
  g_assert_cmpstr (antenna_decoder_rule_get_filter (rule), ==, "plant/#");
  wanted_filter = "plant/#";
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) store_file_has, f, WAIT_MS));

  /* A broken payload: the error in words with its byte, the raw bytes,
   * and the message stays in the log. */
  publish_and_show (f, "plant/boiler/state", broken_bytes, 3);
  wait_decoded (f);
  g_assert_nonnull (antenna_decoded_view_get_error (view));
  g_assert_nonnull (strstr (antenna_decoded_view_get_error (view), "byte"));
  g_assert_null (antenna_decoded_view_dup_json (view));
  raw = antenna_decoded_view_dup_raw_text (view);
  g_assert_nonnull (strstr (raw, "81 a1 61 db ff ff ff ff"));
  antenna_test_screenshot ("inspector-decoded-error.png");
  wanted_nth = 1;
  g_assert_nonnull (find_logged (f));
  wanted_nth = 3;
  g_assert_nonnull (find_logged (f));
}

static void
test_cbor_protobuf_sparkplug (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GBytes) cbor = python_encode ("import cbor2, sys, datetime\n"
                                          "sys.stdout.buffer.write(cbor2.dumps({1: 'one', 'at': "
                                          "datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc), "
                                          "'nan': float('nan'), 'b': b'\\x00\\x01'}))\n");
  g_autofree char *proto_dir = source_path ("proto");
  g_autofree char *reading = source_path ("proto/reading.proto");
  g_autoptr(GBytes) proto = run_encoder ((const char *[]) { "protoc", "-I", proto_dir, "-I", "/usr/include",
                                                            "--encode=acme.sensors.Reading", "reading.proto", NULL },
                                         "device: \"boiler-7\" temperature: 21.5 status: DEGRADED "
                                         "samples: [1, 2, 3] location { latitude: 48.5 longitude: 2.25 }");
  g_autofree char *sparkplug_js = g_strdup (
    "const sp = require('sparkplug-payload').get('spBv1.0');\n"
    "process.stdout.write(sp.encodePayload({ timestamp: 1700000000000, seq: 0, metrics: [\n"
    "  { name: 'bdSeq', type: 'Int64', value: 1, timestamp: 1700000000000 },\n"
    "  { name: 'Temperature', alias: 1, type: 'Float', value: 21.5, timestamp: 1700000000000 } ] }));\n");
  g_autoptr(GBytes) nbirth = run_encoder ((const char *[]) { "node", "-e", sparkplug_js, NULL }, NULL);
  AntennaDecodedView *view;
  g_autofree char *json = NULL;
  g_autofree char *rows = NULL;

  subscribe_all (f);

  /* CBOR, picked by hand: a date from tag 0, an integer key, NaN, bytes. */
  publish_and_show (f, "lab/cbor", cbor, 1);
  view = decoded_view (f);
  wait_decoded (f);
  g_assert_cmpstr (antenna_decoded_view_get_shown_decoder (view), ==, "hex");
  pick_decoder (f, "cbor");
  json = antenna_decoded_view_dup_json (view);
  g_assert_cmpstr (json, ==, "{\"1\":\"one\",\"at\":\"2024-05-01T12:00:00Z\",\"nan\":\"NaN\",\"b\":\"AAE=\"}");
  rows = shown_rows (f);
  assert_row (rows, "at", "2024-05-01T12:00:00Z");
  assert_row (rows, "nan", "NaN");

  /* Protocol Buffers without a schema: the wire format. */
  publish_and_show (f, "lab/proto", proto, 1);
  pick_decoder (f, "protobuf");
  g_assert_cmpstr (antenna_decoded_view_get_shown_decoder (view), ==, "protobuf");
  g_assert_null (antenna_decoded_view_get_error (view));

  /* With the connection's .proto and a message type. */
  antenna_profile_set_proto_files (f->profile, (const char *[]) { reading, NULL });
  antenna_profile_set_proto_import_paths (f->profile, (const char *[]) { proto_dir, "/usr/include", NULL });
  g_object_set (view, "message-type", "acme.sensors.Reading", NULL);
  wait_decoded (f);
  g_assert_null (antenna_decoded_view_get_error (view));
  g_clear_pointer (&json, g_free);
  json = antenna_decoded_view_dup_json (view);
  g_assert_nonnull (strstr (json, "\"device\":\"boiler-7\""));
  g_assert_nonnull (strstr (json, "\"temperature\":21.5"));
  g_assert_nonnull (strstr (json, "\"status\":\"DEGRADED\""));
  g_clear_pointer (&rows, g_free);
  rows = shown_rows (f);
  assert_row (rows, "device", "boiler-7");

  /* An unknown type: the schema's error in words, and the raw bytes. */
  g_object_set (view, "message-type", "acme.sensors.Nope", NULL);
  wait_decoded (f);
  g_assert_nonnull (antenna_decoded_view_get_error (view));
  g_assert_nonnull (strstr (antenna_decoded_view_get_error (view), "acme.sensors.Nope"));

  /* Sparkplug B by its namespace, from the npm encoder. */
  antenna_decoded_view_set_decoder (view, NULL);
  publish_and_show (f, "spBv1.0/plant/NBIRTH/edge-1", nbirth, 1);
  wait_decoded (f);
  g_assert_cmpstr (antenna_decoded_view_get_shown_decoder (view), ==, "sparkplug");
  g_clear_pointer (&json, g_free);
  json = antenna_decoded_view_dup_json (view);
  g_assert_nonnull (strstr (json, "Temperature"));
  g_assert_nonnull (strstr (json, "21.5"));
  antenna_test_screenshot ("inspector-decoded-sparkplug.png");
}


static gboolean
is_rule_row (GtkWidget     *widget,
             gconstpointer  data)
{
  return ANTENNA_IS_DECODER_RULE_ROW (widget);
}

static gboolean
is_entry_in_rule_row (GtkWidget     *widget,
                      gconstpointer  data)
{
  return GTK_IS_ENTRY (widget);
}

static gboolean
is_then_dropdown (GtkWidget     *widget,
                  gconstpointer  data)
{
  GListModel *model = GTK_IS_DROP_DOWN (widget) ? gtk_drop_down_get_model (GTK_DROP_DOWN (widget)) : NULL;

  return GTK_IS_STRING_LIST (model) && g_list_model_get_n_items (model) > 0 &&
         g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), "Detect") == 0;
}

static gboolean
is_schema_label (GtkWidget     *widget,
                 gconstpointer  data)
{
  const char *text = GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget)) : NULL;

  return text != NULL && gtk_widget_get_visible (widget) && g_strstr_len (text, -1, data) != NULL;
}

/* The profile editor's Decoders group: rules added, edited and removed;
 * the .proto files with their import folders, and their errors where
 * they belong. */
static void
test_profile_group (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autofree char *proto_dir = source_path ("proto");
  g_autofree char *dir = g_dir_make_tmp ("antenna-proto-XXXXXX", NULL);
  g_autofree char *reading = g_build_filename (dir, "lab.proto", NULL);
  GListModel *rules = antenna_profile_get_decoder_rules (profile);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = g_object_new (ANTENNA_TYPE_PROFILE_DECODERS_GROUP, "profile", profile, NULL);
  GtkWidget *filter_row, *file_row, *import_row, *row, *type_entry, *dropdown;
  g_autoptr(AntennaDecoderRule) rule = NULL;
  const AntennaDecoder * const *list = antenna_decoder_list ();

  /* A vendor's file whose import is in another folder. */
  g_assert_true (g_file_set_contents (reading, "syntax = \"proto3\";\npackage lab;\nimport \"units/units.proto\";\n"
                                      "message Reading { acme.units.Unit unit = 1; double value = 2; }\n", -1, NULL));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 820);
  gtk_window_present (GTK_WINDOW (window));
  antenna_test_iterate_for (200);

  filter_row = antenna_test_ui_find_row (group, ADW_TYPE_ENTRY_ROW, "Add a Rule for a _Topic Filter");
  file_row = antenna_test_ui_find_row (group, ADW_TYPE_ENTRY_ROW, "Add a ._proto File");
  import_row = antenna_test_ui_find_row (group, ADW_TYPE_ENTRY_ROW, "Add an _Import Folder");
  g_assert_nonnull (filter_row);
  g_assert_nonnull (file_row);
  g_assert_nonnull (import_row);

  /* Not a filter: refused, in words. */
  gtk_editable_set_text (GTK_EDITABLE (filter_row), "lab/#/x");
  g_assert_false (antenna_profile_editor_group_validate (ANTENNA_PROFILE_EDITOR_GROUP (group)));
  g_assert_true (antenna_test_ui_find_widget (group, is_schema_label, "The topic filter is not valid") != NULL);

  /* A Protocol Buffers rule. */
  gtk_editable_set_text (GTK_EDITABLE (filter_row), "lab/+/reading");
  g_assert_true (antenna_profile_editor_group_validate (ANTENNA_PROFILE_EDITOR_GROUP (group)));
  dropdown = antenna_test_ui_find_widget (filter_row, (AntennaTestWidgetMatch) GTK_IS_DROP_DOWN, NULL);
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (antenna_decoder_get_id (list[i]), ANTENNA_DECODER_PROTOBUF))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
  g_assert_true (gtk_widget_activate_action (group, "decoders.add-rule", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 1);
  rule = g_list_model_get_item (rules, 0);
  g_assert_cmpstr (antenna_decoder_rule_get_filter (rule), ==, "lab/+/reading");
  g_assert_cmpstr (antenna_decoder_rule_get_decoder (rule), ==, "protobuf");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (filter_row)), ==, "");

  /* Its message type, typed in its row, goes into the rule; with no
   * .proto file the row says what to do. */
  antenna_test_iterate_for (50);
  row = antenna_test_ui_find_widget (group, is_rule_row, NULL);
  g_assert_nonnull (row);
  type_entry = antenna_test_ui_find_widget (row, is_entry_in_rule_row, NULL);
  g_assert_true (gtk_widget_get_visible (type_entry));
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "lab.Reading");
  g_assert_cmpstr (antenna_decoder_rule_get_message_type (rule), ==, "lab.Reading");
  g_assert_nonnull (strstr (antenna_decoder_rule_row_get_error (ANTENNA_DECODER_RULE_ROW (row)), "Add the .proto file"));

  /* The file without its import folders: a missing import, in words. */
  gtk_editable_set_text (GTK_EDITABLE (file_row), reading);
  g_assert_true (gtk_widget_activate_action (group, "decoders.add-proto-file", NULL));
  g_assert_cmpstr (antenna_profile_get_proto_files (profile)[0], ==, reading);
  g_assert_nonnull (antenna_profile_decoders_group_get_schema_error (ANTENNA_PROFILE_DECODERS_GROUP (group)));
  g_assert_nonnull (strstr (antenna_profile_decoders_group_get_schema_error (ANTENNA_PROFILE_DECODERS_GROUP (group)),
                            "units/units.proto"));
  g_assert_nonnull (antenna_test_ui_find_widget (group, is_schema_label, "units/units.proto"));
  g_assert_nonnull (strstr (antenna_decoder_rule_row_get_error (ANTENNA_DECODER_RULE_ROW (row)), "cannot be read"));

  /* With them: it loads, and the rule is fine. */
  gtk_editable_set_text (GTK_EDITABLE (import_row), proto_dir);
  g_assert_true (gtk_widget_activate_action (group, "decoders.add-import-path", NULL));
  gtk_editable_set_text (GTK_EDITABLE (import_row), dir);
  g_assert_true (gtk_widget_activate_action (group, "decoders.add-import-path", NULL));
  g_assert_cmpuint (g_strv_length ((char **) antenna_profile_get_proto_import_paths (profile)), ==, 2);
  g_assert_null (antenna_profile_decoders_group_get_schema_error (ANTENNA_PROFILE_DECODERS_GROUP (group)));
  g_assert_nonnull (antenna_test_ui_find_widget (group, is_schema_label, "1 message type"));
  g_assert_cmpstr (antenna_decoder_rule_row_get_error (ANTENNA_DECODER_RULE_ROW (row)), ==, "");

  /* A type that is in none of them: said on the rule. */
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "lab.Nope");
  g_assert_nonnull (strstr (antenna_decoder_rule_row_get_error (ANTENNA_DECODER_RULE_ROW (row)), "lab.Nope"));
  antenna_test_ui_scroll_to (row);
  antenna_test_screenshot ("profile-decoders-group.png");
  gtk_editable_set_text (GTK_EDITABLE (type_entry), "lab.Reading");

  /* A gzip rule: what the decompressed bytes are, picked on its row. */
  gtk_editable_set_text (GTK_EDITABLE (filter_row), "lab/gz");
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (antenna_decoder_get_id (list[i]), ANTENNA_DECODER_GZIP))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
  g_assert_true (gtk_widget_activate_action (group, "decoders.add-rule", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 2);
  antenna_test_iterate_for (50);
  {
    g_autoptr(AntennaDecoderRule) gz = g_list_model_get_item (rules, 1);
    GtkWidget *gz_row = gtk_widget_get_next_sibling (row);
    GtkWidget *then = antenna_test_ui_find_widget (gz_row, is_then_dropdown, NULL);
    GListModel *names = gtk_drop_down_get_model (GTK_DROP_DOWN (then));

    g_assert_true (ANTENNA_IS_DECODER_RULE_ROW (gz_row));
    g_assert_true (gtk_widget_get_visible (then));
    g_assert_false (gtk_widget_get_visible (antenna_test_ui_find_widget (gz_row, is_entry_in_rule_row, NULL)));
    g_assert_cmpstr (antenna_decoder_rule_get_then (gz), ==, "");
    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "MessagePack"))
        gtk_drop_down_set_selected (GTK_DROP_DOWN (then), i);
    g_assert_cmpstr (antenna_decoder_rule_get_then (gz), ==, "msgpack");
    g_assert_true (gtk_widget_activate_action (group, "decoders.remove-rule", "s", "lab/gz"));
  }

  /* Removed: the folder, then the rule. */
  g_assert_true (gtk_widget_activate_action (group, "decoders.remove-import-path", "s", dir));
  g_assert_cmpuint (g_strv_length ((char **) antenna_profile_get_proto_import_paths (profile)), ==, 1);
  g_assert_true (gtk_widget_activate_action (group, "decoders.remove-rule", "s", "lab/+/reading"));
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  antenna_test_iterate_for (50);
  antenna_test_remove_tree (dir);
}

static gboolean
is_send_as (GtkWidget     *widget,
            gconstpointer  data)
{
  GListModel *model = GTK_IS_DROP_DOWN (widget) ? gtk_drop_down_get_model (GTK_DROP_DOWN (widget)) : NULL;

  return GTK_IS_STRING_LIST (model) &&
         g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), "Send as JSON") == 0;
}

static AntennaComposer *the_composer;

static gboolean
composer_done (gpointer unused)
{
  const char *status = antenna_composer_get_status (the_composer);

  return status != NULL && g_strcmp0 (status, "Sending…") != 0 && !g_str_has_prefix (status, "Queued");
}

/* The composer: JSON typed, sent as MessagePack and CBOR, read back by
 * python3-msgpack and python3-cbor2 from what mosquitto_sub received. */
static void
test_composer_send_as (Fixture       *f,
                       gconstpointer  data)
{
  static const struct {
    const char *id;
    const char *script;
  } cases[] = {
    { "msgpack", "import json, msgpack, sys; print(json.dumps(msgpack.unpackb(sys.stdin.buffer.read()), sort_keys=True))" },
    { "cbor", "import json, cbor2, sys; print(json.dumps(cbor2.loads(sys.stdin.buffer.read()), sort_keys=True))" },
  };
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "out/#", 1, FALSE);
  AntennaComposer *composer = _antenna_connection_page_get_composer (f->page);
  GtkWidget *send_as = NULL;

  the_composer = composer;
  antenna_composer_set_format (composer, ANTENNA_PAYLOAD_FORMAT_JSON);
  antenna_composer_set_payload_text (composer, "{\"t\": 21.5, \"n\": -3, \"ok\": true, \"l\": [1, \"two\", null]}");
  antenna_composer_set_qos (composer, 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *topic = g_strdup_printf ("out/%s", cases[i].id);
      g_autoptr(GBytes) empty = NULL;
      g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                           G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      antenna_composer_set_send_as (composer, cases[i].id);
      g_assert_cmpstr (antenna_composer_get_send_as (composer), ==, cases[i].id);
      antenna_composer_set_topic (composer, topic);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.publish", NULL));
      g_assert_true (antenna_test_wait_until ((AntennaTestCondition) composer_done, NULL, WAIT_MS));
      g_assert_cmpuint (antenna_test_sub_wait (sub, i + 1, WAIT_MS), ==, i + 1);
      g_assert_cmpstr (antenna_test_sub_get_topic (sub, i), ==, topic);

      process = g_subprocess_launcher_spawnv (launcher, (const char *[]) { python (), "-c", cases[i].script, NULL }, &error);
      g_assert_no_error (error);
      g_subprocess_communicate (process, antenna_test_sub_get_payload (sub, i), NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (process));
      text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
      g_assert_cmpstr (g_strstrip (text), ==, "{\"l\": [1, \"two\", null], \"n\": -3, \"ok\": true, \"t\": 21.5}");
    }

  /* The choice shows only for JSON. */
  send_as = antenna_test_ui_find_widget (GTK_WIDGET (composer), is_send_as, NULL);
  g_assert_nonnull (send_as);
  g_assert_true (gtk_widget_get_visible (send_as));
  antenna_composer_set_format (composer, ANTENNA_PAYLOAD_FORMAT_TEXT);
  g_assert_false (gtk_widget_get_visible (send_as));
}


#define SPARKPLUG_JS \
  "const sp = require('sparkplug-payload').get('spBv1.0');\n" \
  "const t = 1700000000000;\n" \
  "const which = process.argv[1];\n" \
  "const birth = { timestamp: t, seq: 0, metrics: [\n" \
  "  { name: 'bdSeq', type: 'Int64', value: 4, timestamp: t },\n" \
  "  { name: 'Temperature', alias: 1, type: 'Float', value: 21.5, timestamp: t,\n" \
  "    properties: { engUnit: { type: 'String', value: 'degC' } } },\n" \
  "  { name: 'Running', alias: 2, type: 'Boolean', value: true, timestamp: t } ] };\n" \
  "const death = { timestamp: t + 1000, metrics: [ { name: 'bdSeq', type: 'Int64', value: 4, timestamp: t + 1000 } ] };\n" \
  "if (which === 'decode') {\n" \
  "  const p = sp.decodePayload(require('fs').readFileSync(0));\n" \
  "  console.log(JSON.stringify(p.metrics.map(m => [m.name, m.type, m.value])));\n" \
  "} else process.stdout.write(sp.encodePayload(which === 'birth' ? birth : death));\n"

static AntennaSparkplugModel *the_model;

static gboolean
edge_online (gpointer unused)
{
  AntennaSparkplugNode *node = antenna_sparkplug_model_find_node (the_model, "plant", "edge-1", NULL);

  return node != NULL && antenna_sparkplug_node_get_online (node);
}

static gboolean
edge_offline (gpointer unused)
{
  AntennaSparkplugNode *node = antenna_sparkplug_model_find_node (the_model, "plant", "edge-1", NULL);

  return node != NULL && !antenna_sparkplug_node_get_online (node);
}

static gboolean
host_online (gpointer unused)
{
  GListModel *hosts = antenna_sparkplug_model_get_hosts (the_model);
  g_autoptr(AntennaSparkplugNode) host = g_list_model_get_n_items (hosts) > 0 ? g_list_model_get_item (hosts, 0) : NULL;

  return host != NULL && antenna_sparkplug_node_get_online (host);
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static AntennaSparkplugWindow *the_window;

static gboolean
rebirth_sent (gpointer unused)
{
  return antenna_sparkplug_window_get_status (the_window) != NULL;
}

/* The Sparkplug window: an edge node of the npm encoder online after its
 * NBIRTH with its metrics, units and times, offline after its NDEATH; a
 * rebirth request only on a person's word, which the npm decoder reads. */
static void
test_sparkplug_window (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) birth = run_encoder ((const char *[]) { "node", "-e", SPARKPLUG_JS, "birth", NULL }, NULL);
  g_autoptr(GBytes) death = run_encoder ((const char *[]) { "node", "-e", SPARKPLUG_JS, "death", NULL }, NULL);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "spBv1.0/#", 1, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *decoded = NULL;
  AntennaSparkplugWindow *window;
  AdwMessageDialog *dialog;

  subscribe_all (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.show-sparkplug", NULL));
  window = ANTENNA_SPARKPLUG_WINDOW (antenna_test_ui_wait_window (ANTENNA_TYPE_SPARKPLUG_WINDOW, WAIT_MS));
  g_assert_nonnull (window);
  the_window = window;
  the_model = antenna_decoder_context_get_sparkplug (_antenna_connection_page_get_decoder_context (f->page));

  /* Born. */
  g_assert_true (antenna_test_pub (f->broker, "spBv1.0/plant/NBIRTH/edge-1", birth, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) edge_online, NULL, WAIT_MS));
  g_assert_true (antenna_sparkplug_window_select (window, "plant", "edge-1", NULL));
  antenna_test_iterate_for (300);
  g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (window), is_label_with, "Online"));
  g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (window), is_label_with, "Temperature"));
  g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (window), is_label_with, "21.5 degC"));
  g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (window), is_label_with, "Float"));
  g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (window), is_label_with, "Running"));

  /* A primary host application by its STATE (Sparkplug 3.0: JSON). */
  {
    g_autoptr(GBytes) state = g_bytes_new_static ("{\"online\":true,\"timestamp\":1700000000000}", 41);

    g_assert_true (antenna_test_pub (f->broker, "spBv1.0/STATE/host-1", state, 1, FALSE, &error));
    g_assert_no_error (error);
    g_assert_true (antenna_test_wait_until ((AntennaTestCondition) host_online, NULL, WAIT_MS));
    antenna_test_iterate_for (200);
    g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (window), is_label_with, "host-1"));
  }
  antenna_test_screenshot ("sparkplug-window.png");

  /* Nothing but what the test published, so far. */
  g_assert_cmpuint (antenna_test_sub_wait (sub, 2, WAIT_MS), ==, 2);
  antenna_test_iterate_for (200);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 2);

  /* Request Rebirth: asked, naming the node; sent on "Request Rebirth". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "sparkplug.request-rebirth", NULL));
  dialog = antenna_sparkplug_window_get_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "edge-1"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "spBv1.0/plant/NCMD/edge-1"));
  antenna_test_screenshot ("sparkplug-rebirth-dialog.png");
  adw_message_dialog_response (dialog, "rebirth");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) rebirth_sent, NULL, WAIT_MS));
  g_assert_cmpstr (antenna_sparkplug_window_get_status (window), ==, "Rebirth requested from edge-1");
  g_assert_cmpuint (antenna_test_sub_wait (sub, 3, WAIT_MS), ==, 3);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 2), ==, "spBv1.0/plant/NCMD/edge-1");
  {
    g_autoptr(GBytes) out = NULL;
    g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr(GSubprocess) process = NULL;

    if (g_getenv ("ANTENNA_NODE_MODULES") != NULL)
      g_subprocess_launcher_setenv (launcher, "NODE_PATH", g_getenv ("ANTENNA_NODE_MODULES"), TRUE);
    process = g_subprocess_launcher_spawnv (launcher, (const char *[]) { "node", "-e", SPARKPLUG_JS, "decode", NULL }, &error);
    g_assert_no_error (error);
    g_subprocess_communicate (process, antenna_test_sub_get_payload (sub, 2), NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_successful (process));
    decoded = g_strstrip (g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out)));
    g_assert_cmpstr (decoded, ==, "[[\"Node Control/Rebirth\",\"Boolean\",true]]");
  }

  /* Dead. */
  g_assert_true (antenna_test_pub (f->broker, "spBv1.0/plant/NDEATH/edge-1", death, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) edge_offline, NULL, WAIT_MS));
  antenna_test_iterate_for (200);
  g_assert_nonnull (antenna_test_ui_find_widget (GTK_WIDGET (window), is_label_with, "Offline"));

  /* Four on spBv1.0/: three from the test, one rebirth a person asked for. */
  g_assert_cmpuint (antenna_test_sub_wait (sub, 4, WAIT_MS), ==, 4);
  antenna_test_iterate_for (300);
  g_assert_cmpuint (antenna_test_sub_get_n_messages (sub), ==, 4);

  gtk_window_destroy (GTK_WINDOW (window));
  antenna_test_iterate_for (50);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add ("/antenna/ui/decoders/msgpack-rule", Fixture, NULL,
              fixture_setup, test_msgpack_rule, fixture_teardown);
  g_test_add ("/antenna/ui/decoders/cbor-protobuf-sparkplug", Fixture, NULL,
              fixture_setup, test_cbor_protobuf_sparkplug, fixture_teardown);

  g_test_add_func ("/antenna/ui/decoders/profile-group", test_profile_group);
  g_test_add ("/antenna/ui/decoders/sparkplug-window", Fixture, NULL,
              fixture_setup, test_sparkplug_window, fixture_teardown);
  g_test_add ("/antenna/ui/decoders/composer-send-as", Fixture, NULL,
              fixture_setup, test_composer_send_as, fixture_teardown);

  return antenna_test_run ();
}
