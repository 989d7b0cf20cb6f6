/* test-ui-connection-page.c: the connection page against a real mosquitto, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "antenna-client.h"
#include "antenna-connection-page-private.h"
#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-profile.h"
#include "antenna-publish-window.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-ui.h"
#include "antenna-topic-tree.h"
#include "antenna-value-chart.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker     *broker;
  AntennaProfile        *profile;
  AntennaClient         *client;
  GtkWidget             *window;
  AntennaConnectionPage *page;
  guint64                n_received;
} Fixture;

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         Fixture       *f)
{
  f->n_received += messages->len;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  AntennaTestBrokerFlags flags = data != NULL ? *(const AntennaTestBrokerFlags *) data : ANTENNA_TEST_BROKER_PLAIN;

  f->broker = antenna_test_broker_new (flags);
  f->profile = antenna_test_profile_new (f->broker, "Test Broker");
  if (flags & ANTENNA_TEST_BROKER_AUTH)
    antenna_profile_set_username (f->profile, antenna_test_broker_get_username (f->broker));
  if (flags & ANTENNA_TEST_BROKER_WEBSOCKET)
    {
      antenna_profile_set_transport (f->profile, ANTENNA_TRANSPORT_WS);
      antenna_profile_set_mqtt_version (f->profile, ANTENNA_MQTT_VERSION_3_1_1);
    }

  f->client = antenna_client_new (f->profile);
  g_signal_connect (f->client, "messages-received", G_CALLBACK (on_messages_received_cb), f);
  antenna_test_connect_ok (f->client, (flags & ANTENNA_TEST_BROKER_AUTH) ? antenna_test_broker_get_password (f->broker) : NULL);
  f->window = antenna_test_ui_show_page (f->client, 1280, 820, &f->page);
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

/* Helpers that act as a person would, through the page's widgets and actions. */

static void
subscribe (Fixture    *f,
           const char *filter)
{
  AntennaSubscriptionsPane *pane = _antenna_connection_page_get_subscriptions_pane (f->page);

  gtk_editable_set_text (antenna_subscriptions_pane_get_filter_entry (pane), filter);
  g_assert_null (antenna_subscriptions_pane_get_filter_error (pane));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.subscribe", NULL));
}

static AntennaSubscription *
find_subscription (Fixture    *f,
                   const char *filter)
{
  GListModel *subscriptions = antenna_client_get_subscriptions (f->client);

  for (guint i = 0; i < g_list_model_get_n_items (subscriptions); i++)
    {
      g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (subscriptions, i);

      if (g_strcmp0 (antenna_subscription_get_filter (subscription), filter) == 0)
        return subscription;   /* the model keeps it alive */
    }

  return NULL;
}

static const char *wanted_filter;

static gboolean
subscription_active (Fixture *f)
{
  AntennaSubscription *subscription = find_subscription (f, wanted_filter);

  return subscription != NULL &&
         antenna_subscription_get_state (subscription) == ANTENNA_SUBSCRIPTION_STATE_ACTIVE;
}

static void
subscribe_and_wait (Fixture    *f,
                    const char *filter)
{
  subscribe (f, filter);
  wanted_filter = filter;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) subscription_active, f, WAIT_MS));
}

static void
pub (Fixture    *f,
     const char *topic,
     const void *data,
     gsize       size,
     gboolean    retain)
{
  g_autoptr(GBytes) payload = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_test_pub (f->broker, topic, payload, 1, retain, &error));
  g_assert_no_error (error);
}

static guint64 wanted_count;

static gboolean
log_has_wanted_count (Fixture *f)
{
  AntennaMessageLog *log = _antenna_connection_page_get_message_log (f->page);

  /* Counted, flushed into the model, and shown. */
  return antenna_message_log_get_total_count (log) >= wanted_count &&
         g_list_model_get_n_items (G_LIST_MODEL (log)) >= MIN (wanted_count, antenna_message_log_get_limit (log));
}

static gboolean
log_counted_wanted (Fixture *f)
{
  return antenna_message_log_get_total_count (_antenna_connection_page_get_message_log (f->page)) >= wanted_count;
}

static gboolean
inspector_idle (Fixture *f)
{
  return !antenna_message_inspector_get_busy (_antenna_connection_page_get_inspector (f->page));
}

static char *
select_and_show (Fixture    *f,
                 const char *topic)
{
  AntennaTopicTreeView *tree_view = _antenna_connection_page_get_topic_tree_view (f->page);
  AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (f->page);

  g_assert_true (antenna_topic_tree_view_select_topic (tree_view, topic));
  g_assert_nonnull (antenna_topic_tree_view_get_selected_node (tree_view));
  g_assert_cmpstr (antenna_topic_node_get_topic (antenna_topic_tree_view_get_selected_node (tree_view)), ==, topic);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) inspector_idle, f, WAIT_MS));
  g_assert_cmpstr (antenna_message_get_topic (antenna_message_inspector_get_message (inspector)), ==, topic);

  return antenna_message_inspector_dup_payload_text (inspector);
}

/* Tests */

static gboolean
catch_all_gone (Fixture *f)
{
  return find_subscription (f, "#") == NULL;
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  AntennaSubscriptionsPane *pane = _antenna_connection_page_get_subscriptions_pane (f->page);
  AntennaTopicTreeView *tree_view = _antenna_connection_page_get_topic_tree_view (f->page);
  AntennaTopicTree *tree = _antenna_connection_page_get_topic_tree (f->page);
  AntennaMessageLog *log = _antenna_connection_page_get_message_log (f->page);
  AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (f->page);
  AntennaSubscription *everything;
  const guchar blob[] = { 0x00, 0x01, 0x02, 0xff, 0xfe };
  const char *json = "{\"open\":true,\"battery\":87}";
  g_autofree char *text = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *diff = NULL;
  guint64 count_before;

  /* The filter is validated as it is typed, with the reason. */
  gtk_editable_set_text (antenna_subscriptions_pane_get_filter_entry (pane), "home/#/temp");
  g_assert_nonnull (antenna_subscriptions_pane_get_filter_error (pane));
  gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.subscribe", NULL);
  antenna_test_iterate_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_client_get_subscriptions (f->client)), ==, 0);

  subscribe_and_wait (f, "#");
  everything = find_subscription (f, "#");
  g_assert_nonnull (antenna_subscription_get_color (everything));

  pub (f, "home/kitchen/temp", "21.5", 4, FALSE);
  pub (f, "home/kitchen/temp", "22", 2, FALSE);
  pub (f, "home/kitchen/temp", "22.5", 4, FALSE);
  pub (f, "home/kitchen/humidity", "40", 2, FALSE);
  pub (f, "home/garage/door", json, strlen (json), FALSE);
  pub (f, "bin/blob", blob, sizeof blob, FALSE);

  wanted_count = 6;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_wanted_count, f, WAIT_MS));
  antenna_test_iterate_for (100);

  /* The log and the tree count every message, once. */
  g_assert_cmpuint (antenna_message_log_get_total_count (log), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 6);
  g_assert_cmpuint (antenna_topic_tree_get_n_topics (tree), ==, 4);
  g_assert_cmpuint (antenna_topic_tree_get_total_count (tree), ==, 6);
  g_assert_cmpuint (antenna_topic_node_get_subtree_count (antenna_topic_tree_lookup (tree, "home")), ==, 5);
  g_assert_cmpuint (antenna_topic_node_get_message_count (antenna_topic_tree_lookup (tree, "home/kitchen/temp")), ==, 3);
  g_assert_cmpuint (antenna_subscription_get_message_count (everything), ==, 6);
  g_assert_cmpuint (_antenna_connection_page_get_n_flushes (f->page), >, 0);

  /* Two top-level rows; all eight levels once expanded. */
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_view_get_rows (tree_view)), ==, 2);
  antenna_topic_tree_view_expand_all (tree_view);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_view_get_rows (tree_view)), ==, 8);

  /* The search keeps the matching topics and their parents. */
  antenna_topic_tree_view_set_search_text (tree_view, "HUMID");
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_view_get_rows (tree_view)), ==, 3);
  antenna_topic_tree_view_set_search_text (tree_view, "");
  g_assert_cmpuint (g_list_model_get_n_items (antenna_topic_tree_view_get_rows (tree_view)), ==, 8);

  /* JSON, pretty-printed. */
  text = select_and_show (f, "home/garage/door");
  g_assert_cmpint (antenna_message_inspector_get_shown_format (inspector), ==, ANTENNA_PAYLOAD_FORMAT_JSON);
  g_assert_nonnull (strstr (text, "{\n  \"open\": true,\n  \"battery\": 87\n}"));
  g_clear_pointer (&text, g_free);

  /* The page fits the default window (1100 px) beside the connections sidebar,
   * with the inspector showing a message (its empty state is narrower). */
  {
    int minimum = 0;

    GtkWidget *parts[] = {
      GTK_WIDGET (_antenna_connection_page_get_topic_tree_view (f->page)),
      GTK_WIDGET (_antenna_connection_page_get_message_log_view (f->page)),
      GTK_WIDGET (_antenna_connection_page_get_subscriptions_pane (f->page)),
      GTK_WIDGET (_antenna_connection_page_get_inspector (f->page)),
      GTK_WIDGET (_antenna_connection_page_get_composer (f->page)),
    };
    int right = 0;

    for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
      {
        gtk_widget_measure (parts[i], GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
        g_test_message ("%s minimum width: %d px", G_OBJECT_TYPE_NAME (parts[i]), minimum);
        if (i > 0 && i < 4)
          right = MAX (right, minimum);
      }
    gtk_widget_measure (GTK_WIDGET (_antenna_connection_page_get_topic_tree_view (f->page)),
                        GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (MAX (minimum, 240) + right, <=, 800);
  }

  /* Binary, as hex. */
  text = select_and_show (f, "bin/blob");
  g_assert_cmpint (antenna_message_inspector_get_shown_format (inspector), ==, ANTENNA_PAYLOAD_FORMAT_HEX);
  lower = g_ascii_strdown (text, -1);
  g_assert_nonnull (strstr (lower, "00 01 02 ff fe"));
  g_clear_pointer (&text, g_free);

  /* The same message in Base64 when asked. */
  antenna_message_inspector_set_format (inspector, ANTENNA_PAYLOAD_FORMAT_BASE64);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) inspector_idle, f, WAIT_MS));
  text = antenna_message_inspector_dup_payload_text (inspector);
  g_assert_nonnull (strstr (text, "AAEC//4="));
  g_clear_pointer (&text, g_free);
  antenna_message_inspector_set_format (inspector, ANTENNA_PAYLOAD_FORMAT_AUTO);

  /* History, chart and the diff against the previous message of the topic. */
  text = select_and_show (f, "home/kitchen/temp");
  g_assert_cmpstr (text, ==, "22.5");
  g_assert_cmpuint (antenna_value_chart_get_n_points (ANTENNA_VALUE_CHART (antenna_message_inspector_get_chart (inspector))), ==, 3);
  diff = antenna_message_inspector_dup_diff_text (inspector);
  g_assert_cmpstr (diff, ==, "- 22\n+ 22.5\n");

  /* The log selection drives the inspector too. */
  antenna_message_log_view_select (_antenna_connection_page_get_message_log_view (f->page), 0);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) inspector_idle, f, WAIT_MS));
  g_clear_pointer (&text, g_free);
  text = antenna_message_inspector_dup_payload_text (inspector);
  g_assert_cmpstr (text, ==, "21.5");

  /* The log's filters: an MQTT filter on the topic, text in the payload. */
  antenna_message_log_view_set_filter (_antenna_connection_page_get_message_log_view (f->page), "home/+/temp", NULL);
  antenna_test_iterate_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 3);
  antenna_message_log_view_set_filter (_antenna_connection_page_get_message_log_view (f->page), NULL, "battery");
  antenna_test_iterate_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
  antenna_message_log_view_set_filter (_antenna_connection_page_get_message_log_view (f->page), NULL, NULL);
  antenna_test_iterate_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 6);

  /* Paused, the log keeps counting but shows nothing new. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_antenna_connection_page_get_message_log_view (f->page)),
                                             "message-log.toggle-pause", NULL));
  pub (f, "home/kitchen/temp", "23", 2, FALSE);
  wanted_count = 7;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_counted_wanted, f, WAIT_MS));
  antenna_test_iterate_for (100);
  g_assert_cmpuint (antenna_message_log_get_total_count (log), ==, 7);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 6);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_antenna_connection_page_get_message_log_view (f->page)),
                                             "message-log.toggle-pause", NULL));
  g_assert_false (antenna_message_log_get_paused (log));

  /* An intermediate level has no message of its own. */
  g_assert_true (antenna_topic_tree_view_select_topic (tree_view, "home"));
  g_assert_null (antenna_message_inspector_get_message (inspector));

  gtk_widget_activate_action (GTK_WIDGET (f->page), "page.show-messages", NULL);
  g_free (select_and_show (f, "home/garage/door"));
  antenna_test_screenshot ("connection-page.png");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "page.show-subscriptions", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "page.toggle-publish", NULL);
  antenna_test_screenshot ("connection-page-subscriptions.png");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "page.toggle-publish", NULL);
  g_free (select_and_show (f, "home/kitchen/temp"));
  antenna_message_inspector_show_view (inspector, "chart");
  antenna_test_screenshot ("connection-page-chart.png");
  antenna_message_inspector_show_view (inspector, "diff");
  antenna_test_screenshot ("connection-page-diff.png");
  antenna_message_inspector_show_view (inspector, "history");
  antenna_test_screenshot ("connection-page-history.png");

  /* Unsubscribing stops new rows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.unsubscribe", "s", "#"));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) catch_all_gone, f, WAIT_MS));
  count_before = f->n_received;
  pub (f, "home/kitchen/temp", "30", 2, FALSE);
  antenna_test_iterate_for (1000);
  g_assert_cmpuint (f->n_received, ==, count_before);
  g_assert_cmpuint (antenna_message_log_get_total_count (log), ==, 7);
}

static gboolean
other_not_retained (Fixture *f)
{
  AntennaTopicTree *tree = _antenna_connection_page_get_topic_tree (f->page);

  return !antenna_topic_node_get_retained (antenna_topic_tree_lookup (tree, "other"));
}

static gboolean
node_not_retained (Fixture *f)
{
  AntennaTopicTree *tree = _antenna_connection_page_get_topic_tree (f->page);

  return !antenna_topic_node_get_retained (antenna_topic_tree_lookup (tree, "keep/a")) &&
         !antenna_topic_node_get_retained (antenna_topic_tree_lookup (tree, "keep/b/c"));
}

static void
test_clear_retained (Fixture       *f,
                     gconstpointer  data)
{
  AntennaTopicTreeView *tree_view = _antenna_connection_page_get_topic_tree_view (f->page);
  AntennaTopicTree *tree = _antenna_connection_page_get_topic_tree (f->page);
  AdwMessageDialog *dialog;
  g_autoptr(AntennaTestSub) sub = NULL;

  pub (f, "keep/a", "1", 1, TRUE);
  pub (f, "keep/b/c", "2", 1, TRUE);
  pub (f, "other", "3", 1, TRUE);

  subscribe_and_wait (f, "#");
  wanted_count = 3;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_wanted_count, f, WAIT_MS));
  antenna_test_iterate_for (50);
  g_assert_true (antenna_topic_node_get_retained (antenna_topic_tree_lookup (tree, "keep/a")));
  g_assert_true (antenna_topic_node_get_retained (antenna_topic_tree_lookup (tree, "keep/b/c")));

  /* Cancelling the confirmation clears nothing. */
  g_assert_true (antenna_topic_tree_view_select_topic (tree_view, "keep"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.clear-retained-subtree", NULL));
  dialog = _antenna_connection_page_get_dialog (f->page);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  g_assert_null (_antenna_connection_page_get_dialog (f->page));
  antenna_test_iterate_for (300);
  g_assert_true (antenna_topic_node_get_retained (antenna_topic_tree_lookup (tree, "keep/a")));

  /* Confirming clears the subtree on the broker. */
  g_assert_true (antenna_topic_tree_view_select_topic (tree_view, "keep"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.clear-retained-subtree", NULL));
  dialog = _antenna_connection_page_get_dialog (f->page);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "clear");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) node_not_retained, f, WAIT_MS));

  /* A new subscriber gets only the retained message outside the subtree. */
  sub = antenna_test_sub_start (f->broker, "#", 0, FALSE);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 2, 1500), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 0), ==, "other");
  g_assert_true (antenna_topic_node_get_retained (antenna_topic_tree_lookup (tree, "other")));
  g_clear_pointer (&sub, antenna_test_sub_free);

  /* The single-topic action clears just the selected topic. */
  g_assert_true (antenna_topic_tree_view_select_topic (tree_view, "other"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.clear-retained", NULL));
  dialog = _antenna_connection_page_get_dialog (f->page);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "clear");
  antenna_test_wait_until ((AntennaTestCondition) other_not_retained, f, WAIT_MS);
  sub = antenna_test_sub_start (f->broker, "#", 0, FALSE);
  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, 1500), ==, 0);
}

static gboolean
log_has_two (Fixture *f)
{
  AntennaMessageLog *log = _antenna_connection_page_get_message_log (f->page);

  return f->n_received >= 2 && g_list_model_get_n_items (G_LIST_MODEL (log)) >= 1;
}

static gboolean
no_subscriptions (Fixture *f)
{
  return g_list_model_get_n_items (antenna_client_get_subscriptions (f->client)) == 0;
}

static void
test_pause_subscription (Fixture       *f,
                         gconstpointer  data)
{
  AntennaSubscriptionsPane *pane = _antenna_connection_page_get_subscriptions_pane (f->page);
  AntennaMessageLog *log = _antenna_connection_page_get_message_log (f->page);
  AntennaSubscription *a, *b;
  g_autoptr(AntennaMessage) shown = NULL;

  subscribe_and_wait (f, "a/#");
  subscribe_and_wait (f, "b/#");
  a = find_subscription (f, "a/#");
  b = find_subscription (f, "b/#");
  g_assert_cmpstr (antenna_subscription_get_color (a), !=, antenna_subscription_get_color (b));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.toggle-pause", "s", "a/#"));
  g_assert_true (antenna_subscription_get_paused (a));

  pub (f, "a/1", "hidden", 6, FALSE);
  pub (f, "b/1", "shown", 5, FALSE);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_two, f, WAIT_MS));
  antenna_test_iterate_for (200);

  /* Counted on its subscription, but not shown. */
  g_assert_cmpuint (antenna_subscription_get_message_count (a), ==, 1);
  g_assert_cmpuint (antenna_subscription_get_message_count (b), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
  shown = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_cmpstr (antenna_message_get_topic (shown), ==, "b/1");
  g_assert_null (antenna_topic_tree_lookup (_antenna_connection_page_get_topic_tree (f->page), "a/1"));

  /* Save to profile adds both, once. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.save-to-profile", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.save-to-profile", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_subscriptions (f->profile)), ==, 2);

  /* Unsubscribe from all. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "subscriptions.unsubscribe-all", NULL));
  antenna_test_wait_until ((AntennaTestCondition) no_subscriptions, f, WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_client_get_subscriptions (f->client)), ==, 0);
}

static void
test_large_payload (Fixture       *f,
                    gconstpointer  data)
{
  AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (f->page);
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *text = NULL;

  g_object_set (f->page, "preview-size", 1024, NULL);
  g_assert_cmpuint (antenna_message_inspector_get_preview_size (inspector), ==, 1024);

  for (guint i = 0; big->len < 200 * 1024; i++)
    g_string_append_printf (big, "line %u of a long text payload\n", i);

  subscribe_and_wait (f, "#");
  pub (f, "big/text", big->str, big->len, FALSE);
  wanted_count = 1;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_wanted_count, f, WAIT_MS));
  antenna_test_iterate_for (50);

  /* Only the preview is formatted and shown, and the page says so. */
  text = select_and_show (f, "big/text");
  g_assert_true (antenna_message_inspector_get_truncated (inspector));
  g_assert_cmpuint (strlen (text), <=, 1024);
  g_assert_cmpuint (strlen (text), >, 900);
  g_assert_true (g_str_has_prefix (big->str, text));

  /* Whole, the text goes into the view in slices (the view stays busy
   * until the last), complete and in order. */
  g_object_set (f->page, "preview-size", 1024 * 1024, NULL);
  g_assert_true (antenna_message_inspector_get_busy (inspector));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) inspector_idle, f, WAIT_MS));
  g_clear_pointer (&text, g_free);
  text = antenna_message_inspector_dup_payload_text (inspector);
  g_assert_false (antenna_message_inspector_get_truncated (inspector));
  g_assert_cmpuint (strlen (text), ==, big->len);
  g_assert_cmpstr (text, ==, big->str);
}

static GFile *saved_file;
static gsize saved_size;

static gboolean
saved_file_complete (Fixture *f)
{
  g_autoptr(GFileInfo) info = g_file_query_info (saved_file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  return info != NULL && (gsize) g_file_info_get_size (info) == saved_size;
}

/* "Save Payload…" writes the payload's own bytes, whatever the preview
 * showed: binary, with NUL bytes, larger than the preview. */
static void
test_save_payload (Fixture       *f,
                   gconstpointer  data)
{
  AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (f->page);
  g_autofree char *dir = g_dir_make_tmp ("antenna-save-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "payload.bin", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *text = NULL;
  g_autofree guchar *bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_object_set (f->page, "preview-size", 4096, NULL);
  saved_size = 3 * 1024 * 1024 + 17;
  bytes = g_malloc (saved_size);
  for (gsize i = 0; i < saved_size; i++)
    bytes[i] = (guchar) (i * 7 + i / 251);

  subscribe_and_wait (f, "#");
  pub (f, "files/blob", bytes, saved_size, FALSE);
  wanted_count = 1;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_wanted_count, f, WAIT_MS));

  text = select_and_show (f, "files/blob");
  g_assert_true (antenna_message_inspector_get_truncated (inspector));

  saved_file = g_file_new_for_path (path);
  antenna_message_inspector_save_payload_to (inspector, saved_file);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) saved_file_complete, f, WAIT_MS));

  g_assert_true (g_file_get_contents (path, &saved, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (saved, length, bytes, saved_size);

  g_unlink (path);
  g_rmdir (dir);
  g_clear_object (&saved_file);
}

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  AntennaMessageInspector *inspector = _antenna_connection_page_get_inspector (f->page);
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"on\":1}", 8);
  g_autoptr(GPtrArray) standard = NULL;
  g_autoptr(GPtrArray) user = NULL;
  g_autofree char *text = NULL;
  gboolean done = FALSE;

  subscribe_and_wait (f, "#");

  props->content_type = g_strdup ("application/json");
  props->response_topic = g_strdup ("reply/here");
  antenna_properties_add_user_property (props, "site", "north");
  antenna_properties_add_user_property (props, "unit", "°C");
  antenna_client_publish_async (f->client, "props/x", payload, 1, FALSE, props, NULL, on_published_cb, &done);
  g_assert_true (antenna_test_wait_for (&done, WAIT_MS));
  wanted_count = 1;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_wanted_count, f, WAIT_MS));
  antenna_test_iterate_for (50);

  text = select_and_show (f, "props/x");
  standard = antenna_message_inspector_dup_properties (inspector, FALSE);
  user = antenna_message_inspector_dup_properties (inspector, TRUE);

  g_assert_cmpuint (standard->len, >=, 4);
  g_assert_cmpstr (g_ptr_array_index (standard, 0), ==, "Content Type");
  g_assert_cmpstr (g_ptr_array_index (standard, 1), ==, "application/json");
  g_assert_cmpstr (g_ptr_array_index (standard, 2), ==, "Response Topic");
  g_assert_cmpstr (g_ptr_array_index (standard, 3), ==, "reply/here");
  g_assert_cmpuint (user->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (user, 0), ==, "site");
  g_assert_cmpstr (g_ptr_array_index (user, 1), ==, "north");
  g_assert_cmpstr (g_ptr_array_index (user, 2), ==, "unit");
  g_assert_cmpstr (g_ptr_array_index (user, 3), ==, "°C");
}

static gboolean
first_subscription_active (gpointer client)
{
  g_autoptr(AntennaSubscription) sub = g_list_model_get_item (antenna_client_get_subscriptions (client), 0);

  return sub != NULL && antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_ACTIVE;
}

static gboolean
page_log_has_one (gpointer page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (_antenna_connection_page_get_message_log (page))) >= 1;
}

static void
test_two_pages (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_copy (f->profile);
  AntennaClient *client;
  AntennaConnectionPage *second;
  GtkWidget *window;

  antenna_profile_regenerate_id (profile);
  client = antenna_client_new (profile);
  antenna_test_connect_ok (client, NULL);
  window = antenna_test_ui_show_page (client, 1000, 700, &second);

  /* Each page subscribes through its own client and shows only its own. */
  subscribe_and_wait (f, "a/#");
  gtk_editable_set_text (antenna_subscriptions_pane_get_filter_entry (_antenna_connection_page_get_subscriptions_pane (second)), "b/#");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (_antenna_connection_page_get_subscriptions_pane (second)),
                                             "subscriptions.subscribe", NULL));
  antenna_test_wait_until (first_subscription_active, client, WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (antenna_client_get_subscriptions (f->client)), ==, 1);

  pub (f, "a/1", "one", 3, FALSE);
  pub (f, "b/1", "two", 3, FALSE);
  wanted_count = 1;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) log_has_wanted_count, f, WAIT_MS));
  antenna_test_wait_until (page_log_has_one, second, WAIT_MS);
  antenna_test_iterate_for (300);

  g_assert_cmpuint (antenna_topic_tree_get_total_count (_antenna_connection_page_get_topic_tree (f->page)), ==, 1);
  g_assert_nonnull (antenna_topic_tree_lookup (_antenna_connection_page_get_topic_tree (f->page), "a/1"));
  g_assert_cmpuint (antenna_topic_tree_get_total_count (_antenna_connection_page_get_topic_tree (second)), ==, 1);
  g_assert_nonnull (antenna_topic_tree_lookup (_antenna_connection_page_get_topic_tree (second), "b/1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (_antenna_connection_page_get_message_log (second))), ==, 1);

  antenna_test_ui_close_page (window, second, client);
}

static gboolean
forbidden_settled (Fixture *f)
{
  AntennaSubscription *subscription = find_subscription (f, "forbidden/#");

  return subscription != NULL &&
         antenna_subscription_get_state (subscription) != ANTENNA_SUBSCRIPTION_STATE_PENDING;
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  AntennaSubscription *subscription;

  subscribe (f, "forbidden/#");
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) forbidden_settled, f, WAIT_MS));
  subscription = find_subscription (f, "forbidden/#");
  g_assert_cmpint (antenna_subscription_get_state (subscription), ==, ANTENNA_SUBSCRIPTION_STATE_REFUSED);
  g_assert_nonnull (antenna_subscription_get_error (subscription));
  g_test_message ("refused: %s", antenna_subscription_get_error (subscription));

  /* An allowed one next to it is active. */
  subscribe_and_wait (f, "allowed/#");
}

static gboolean
publish_done (Fixture *f)
{
  const char *status = antenna_composer_get_status (_antenna_connection_page_get_composer (f->page));

  return status != NULL && g_strcmp0 (status, "Sending…") != 0;
}

static void
test_publish (Fixture       *f,
              gconstpointer  data)
{
  AntennaComposer *pane = _antenna_connection_page_get_composer (f->page);
  g_autoptr(AntennaTestSub) sub = antenna_test_sub_start (f->broker, "out/#", 1, FALSE);
  g_autoptr(GBytes) payload = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.toggle-publish", NULL));

  /* A wildcard is refused as it is typed. */
  antenna_composer_set_topic (pane, "out/+");
  g_assert_nonnull (antenna_composer_get_topic_error (pane));
  /* Publish is off until the topic is right. */
  g_assert_false (gtk_widget_get_sensitive (antenna_test_ui_find_button (GTK_WIDGET (pane), "_Publish")));

  antenna_composer_set_topic (pane, "out/x");
  g_assert_null (antenna_composer_get_topic_error (pane));
  antenna_composer_set_payload_text (pane, "hello from the page");
  antenna_composer_set_qos (pane, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "composer.publish", NULL));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) publish_done, f, WAIT_MS));
  g_assert_cmpstr (antenna_composer_get_status (pane), ==, "Delivered");
  antenna_test_screenshot ("connection-page-composer.png");

  g_assert_cmpuint (antenna_test_sub_wait (sub, 1, WAIT_MS), ==, 1);
  g_assert_cmpstr (antenna_test_sub_get_topic (sub, 0), ==, "out/x");
  payload = g_bytes_new_static ("hello from the page", 19);
  g_assert_true (g_bytes_equal (antenna_test_sub_get_payload (sub, 0), payload));

  /* Detached: a window of its own on the same connection, holding what was typed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.detach-publish", NULL));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */
    AntennaPublishWindow *window = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && window == NULL; i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (ANTENNA_IS_PUBLISH_WINDOW (item))
          window = ANTENNA_PUBLISH_WINDOW (item);
      }
    g_assert_nonnull (window);
    g_assert_true (antenna_composer_get_client (antenna_publish_window_get_composer (window)) == f->client);
    g_assert_cmpstr (antenna_composer_get_topic (antenna_publish_window_get_composer (window)), ==, "out/x");
    gtk_window_destroy (GTK_WINDOW (window));
  }
}

/* Under the sanitizers (build-aux/test --sanitize) a fifth: still twice the
 * log's limit, so eviction and exact counts are exercised, in a fifth of
 * the time. */
static guint flood_n = 100000;

static gboolean
flood_shown (Fixture *f)
{
  AntennaMessageLog *log = _antenna_connection_page_get_message_log (f->page);

  /* Counted, and flushed into the models the views show. */
  return antenna_message_log_get_total_count (log) == flood_n &&
         antenna_topic_tree_get_total_count (_antenna_connection_page_get_topic_tree (f->page)) == flood_n &&
         g_list_model_get_n_items (G_LIST_MODEL (log)) == antenna_message_log_get_limit (log) &&
         g_list_model_get_n_items (antenna_topic_tree_get_root (_antenna_connection_page_get_topic_tree (f->page))) == 1;
}

typedef struct
{
  gint64 last;
  gint64 max_gap;
  guint  n_frames;
  guint  n_batches;
} FrameStats;

static void
batch_cb (AntennaClient *client,
          GPtrArray     *messages,
          FrameStats    *stats)
{
  stats->n_batches++;
}

static gboolean
frame_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  FrameStats *stats = user_data;
  gint64 now = g_get_monotonic_time ();

  if (stats->last != 0)
    stats->max_gap = MAX (stats->max_gap, now - stats->last);
  stats->last = now;
  stats->n_frames++;

  return G_SOURCE_CONTINUE;
}

static gint64
thread_cpu_usec (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);

  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static void
test_flood (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *publisher = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "bench", "bench-pub", NULL);
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (f->broker));
  g_autofree char *count = g_strdup_printf ("%u", flood_n);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  FrameStats stats = { 0 };
  guint64 flushes_before;
  gint64 start, end;
  double seconds;
  guint tick;
  gint64 thread_cpu_before, thread_cpu;

  if (!g_file_test (publisher, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("bench/bench-pub is not built");
      return;
    }

  subscribe_and_wait (f, "flood/#");
  antenna_topic_tree_view_expand_all (_antenna_connection_page_get_topic_tree_view (f->page));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (_antenna_connection_page_get_message_log_view (f->page)),
                                                                                  ADW_TYPE_VIEW_STACK)),
                                         "messages");
  antenna_test_iterate_for (200);
  flushes_before = _antenna_connection_page_get_n_flushes (f->page);
  tick = gtk_widget_add_tick_callback (f->window, frame_cb, &stats, NULL);
  g_signal_connect (f->client, "messages-received", G_CALLBACK (batch_cb), &stats);

  antenna_test_iterate_for (1000);
  g_test_message ("idle: %u frames in 1 s", stats.n_frames);
  stats.n_frames = 0;
  stats.max_gap = 0;

  thread_cpu_before = thread_cpu_usec ();
  start = g_get_monotonic_time ();
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              publisher, "-p", port, "-q", "0", "-n", count, "-s", "64",
                              "-t", "500", "-P", "flood/sensor/", NULL);
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) flood_shown, f, 120000));
  end = g_get_monotonic_time ();
  thread_cpu = thread_cpu_usec () - thread_cpu_before;
  stats.max_gap = MAX (stats.max_gap, end - stats.last);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  gtk_widget_remove_tick_callback (f->window, tick);
  g_signal_handlers_disconnect_by_data (f->client, &stats);
  g_test_message ("%u batches; main thread CPU %.0f ms (%.2f µs per message, client and page together)",
                  stats.n_batches, thread_cpu / 1000.0, thread_cpu / (double) flood_n);

  seconds = (end - start) / (double) G_USEC_PER_SEC;
  g_test_message ("%u messages shown in %.2f s (%.0f msg/s); %" G_GUINT64_FORMAT " flushes, "
                  "%u frames, longest gap between frames %.0f ms",
                  flood_n, seconds, flood_n / seconds,
                  _antenna_connection_page_get_n_flushes (f->page) - flushes_before,
                  stats.n_frames, stats.max_gap / 1000.0);

  /* One flush per frame at most, and the page keeps drawing frames. */
  g_assert_cmpuint (_antenna_connection_page_get_n_flushes (f->page) - flushes_before, <=, stats.n_frames + 1);
  g_assert_cmpuint (antenna_subscription_get_message_count (find_subscription (f, "flood/#")), ==, flood_n);
  g_assert_cmpuint (antenna_topic_tree_get_n_topics (_antenna_connection_page_get_topic_tree (f->page)), ==, 500);
  antenna_test_screenshot ("connection-page-flood.png");
}

/* aedes refuses a subscription its authorizer denies; mosquitto grants it
 * and silently delivers nothing. */
static void
test_value_extract (void)
{
  struct {
    const char *payload;
    const char *field;
    gboolean    found;
    double      value;
  } cases[] = {
    { "21.5", NULL, TRUE, 21.5 },
    { " -3e2\n", "", TRUE, -300 },
    { "true", NULL, TRUE, 1 },
    { "warm", NULL, FALSE, 0 },
    { "{\"sensor\":{\"temperature\":19.25}}", "sensor.temperature", TRUE, 19.25 },
    { "{\"values\":[1,2,3]}", "values.2", TRUE, 3 },
    { "{\"values\":[1,2,3]}", "values.3", FALSE, 0 },
    { "{\"t\":\"42\"}", "t", TRUE, 42 },
    { "{\"t\":null}", "t", FALSE, 0 },
    { "[1,", "0", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) payload = g_bytes_new_static (cases[i].payload, strlen (cases[i].payload));
      double value = 0;

      g_assert_cmpint (antenna_value_chart_extract (payload, cases[i].field, &value), ==, cases[i].found);
      if (cases[i].found)
        g_assert_cmpfloat_with_epsilon (value, cases[i].value, 1e-9);
    }
}

static const AntennaTestBrokerFlags auth = ANTENNA_TEST_BROKER_AUTH | ANTENNA_TEST_BROKER_WEBSOCKET;

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/ui/value-chart/extract", test_value_extract);
  g_test_add ("/antenna/ui/connection-page/live", Fixture, NULL, fixture_setup, test_live, fixture_teardown);
  g_test_add ("/antenna/ui/connection-page/clear-retained", Fixture, NULL, fixture_setup, test_clear_retained, fixture_teardown);
  g_test_add ("/antenna/ui/connection-page/pause-subscription", Fixture, NULL, fixture_setup, test_pause_subscription, fixture_teardown);
  if (g_strcmp0 (g_getenv ("ANTENNA_SANITIZE"), "1") == 0)
    flood_n = 20000;

  g_test_add ("/antenna/ui/connection-page/large-payload", Fixture, NULL, fixture_setup, test_large_payload, fixture_teardown);
  g_test_add ("/antenna/ui/connection-page/save-payload", Fixture, NULL, fixture_setup, test_save_payload, fixture_teardown);
  g_test_add ("/antenna/ui/connection-page/properties", Fixture, NULL, fixture_setup, test_properties, fixture_teardown);
  g_test_add ("/antenna/ui/connection-page/two-pages", Fixture, NULL, fixture_setup, test_two_pages, fixture_teardown);
  g_test_add ("/antenna/ui/connection-page/refused", Fixture, &auth, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/antenna/ui/connection-page/publish", Fixture, NULL, fixture_setup, test_publish, fixture_teardown);
  g_test_add ("/antenna/ui/connection-page/flood", Fixture, NULL, fixture_setup, test_flood, fixture_teardown);

  return antenna_test_run ();
}
