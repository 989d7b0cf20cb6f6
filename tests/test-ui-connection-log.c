/* test-ui-connection-log.c: the connection log window, and the message rates
 * of the topic tree and the subscriptions, against a real mosquitto, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <signal.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-connection-log-window.h"
#include "antenna-connection-page-private.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-peer.h"
#include "antenna-test-ui.h"
#include "antenna-topic-node.h"
#include "antenna-topic-tree.h"

#define WAIT_MS 20000

typedef struct
{
  AntennaTestBroker     *broker;
  AntennaProfile        *profile;
  AntennaClient         *client;
  GtkWidget             *window;
  AntennaConnectionPage *page;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_PLAIN);
  f->profile = antenna_test_profile_new (f->broker, "Log Broker");
  f->client = antenna_client_new (f->profile);
  antenna_test_connect_ok (f->client, NULL);
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

/* ------------------------------------------------------------------------ */
/* The log window                                                            */

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Shown;

static gboolean
is_shown (Shown *shown)
{
  return antenna_test_ui_find_widget (shown->root, label_contains, shown->text) != NULL;
}

/* Waits until a row on screen says @text. */
static gboolean
wait_shown (GtkWidget  *root,
            const char *text)
{
  Shown shown = { root, text };

  return antenna_test_wait_until ((AntennaTestCondition) is_shown, &shown, WAIT_MS);
}

static gboolean
is_search_entry (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

static gboolean
is_drop_down (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_DROP_DOWN (widget);
}

static gboolean
is_copy_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "log.copy") == 0;
}

static gboolean
is_status_page (GtkWidget     *widget,
                gconstpointer  data)
{
  return ADW_IS_STATUS_PAGE (widget) && gtk_widget_get_mapped (widget);
}

static void
on_text_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
text_was_read (char **text)
{
  return *text != NULL;
}

static char *
read_clipboard (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_text_read_cb, &text);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) text_was_read, &text, WAIT_MS));
  return text;
}

static gboolean
only_problems (GListModel *shown)
{
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(AntennaConnectionLogEntry) entry = g_list_model_get_item (shown, i);

      if (antenna_connection_log_entry_get_level (entry) == ANTENNA_CONNECTION_LOG_LEVEL_INFO)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GListModel *model;
  guint       n;
} Count;

static gboolean
count_is (Count *count)
{
  return g_list_model_get_n_items (count->model) == count->n;
}

/* GtkSearchEntry says what was typed after a moment. */
static gboolean
wait_n_items (GListModel *model,
              guint       n)
{
  Count count = { model, n };

  return antenna_test_wait_until ((AntennaTestCondition) count_is, &count, WAIT_MS);
}

static gboolean
window_is_mapped (GtkWidget *window)
{
  return gtk_widget_get_mapped (window);
}

static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AntennaSubscription) sub = antenna_subscription_new ("log/#", 1);
  GtkWidget *window, *search, *dropdown, *empty, *copy;
  GListModel *shown;
  guint n_all;
  g_autofree char *expected = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(GError) error = NULL;

  /* opened from the page's menu action (Ctrl+L), once */
  g_assert_null (_antenna_connection_page_get_connection_log_window (f->page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.show-connection-log", NULL));
  window = _antenna_connection_page_get_connection_log_window (f->page);
  g_assert_true (ANTENNA_IS_CONNECTION_LOG_WINDOW (window));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) window_is_mapped, window, WAIT_MS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.show-connection-log", NULL));
  g_assert_true (_antenna_connection_page_get_connection_log_window (f->page) == window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Connection Log");
  shown = antenna_connection_log_window_get_shown (ANTENNA_CONNECTION_LOG_WINDOW (window));

  /* what happened before it opened, on screen */
  g_assert_true (wait_shown (window, "Connecting to tcp://127.0.0.1:"));
  g_assert_true (wait_shown (window, "Connected to 127.0.0.1:"));
  g_assert_true (wait_shown (window, "CONNACK 0x00"));

  /* and what happens while it is open */
  g_assert_cmpint (antenna_test_subscribe (f->client, sub, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (wait_shown (window, "Subscribed to “log/#” at QoS 1."));

  /* the search narrows the list */
  search = antenna_test_ui_find_widget (window, is_search_entry, NULL);
  g_assert_nonnull (search);
  n_all = g_list_model_get_n_items (shown);
  g_assert_cmpuint (n_all, >=, 3);
  gtk_editable_set_text (GTK_EDITABLE (search), "subscribed TO");
  g_assert_true (wait_n_items (shown, 1));
  g_assert_null (antenna_test_ui_find_widget (window, label_contains, "Connected to 127.0.0.1:"));
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (wait_n_items (shown, n_all));

  /* warnings and errors only: none yet, then the lost connection */
  dropdown = antenna_test_ui_find_widget (window, is_drop_down, NULL);
  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  empty = antenna_test_ui_find_widget (window, is_status_page, NULL);
  g_assert_nonnull (empty);
  /* nothing to copy: the button says so */
  copy = antenna_test_ui_find_widget (window, is_copy_button, NULL);
  g_assert_nonnull (copy);
  g_assert_false (gtk_widget_get_sensitive (copy));

  antenna_test_broker_signal (f->broker, SIGKILL);
  g_assert_true (wait_shown (window, "The connection to 127.0.0.1:"));
  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 1);
  g_assert_true (only_problems (shown));
  g_assert_true (gtk_widget_get_sensitive (copy));

  /* Copy: the shown entries, a line each, on the clipboard */
  expected = antenna_connection_log_format (shown);
  g_assert_true (gtk_widget_activate_action (window, "log.copy", NULL));
  copied = read_clipboard (window);
  g_test_message ("copied:\n%s", copied);
  g_assert_cmpstr (copied, ==, expected);
  g_assert_nonnull (strstr (copied, "  Error  The connection to 127.0.0.1:"));
  g_assert_null (strstr (copied, "Subscribed to"));

  /* all again: the copy has every entry, the subscription too */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
  g_clear_pointer (&copied, g_free);
  g_assert_true (gtk_widget_activate_action (window, "log.copy", NULL));
  copied = read_clipboard (window);
  g_assert_nonnull (strstr (copied, "Info  Subscribed to “log/#” at QoS 1. [SUBACK 1]"));
  g_assert_nonnull (strstr (copied, "Info  Connected to 127.0.0.1:"));

  /* the page closes it with itself (teardown) */
}

/* ------------------------------------------------------------------------ */
/* Message rates                                                             */

static gboolean
is_rate_label (GtkWidget     *widget,
               gconstpointer  data)
{
  const char *text;

  if (!GTK_IS_LABEL (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;
  text = gtk_label_get_label (GTK_LABEL (widget));
  return g_str_has_suffix (text, "/s") && g_ascii_isdigit (text[0]);
}

typedef struct
{
  Fixture             *f;
  AntennaSubscription *subscription;
  gboolean             quiet;    /* wait for rates of 0, not above */
} Rates;

static gboolean
rates_are (Rates *r)
{
  AntennaTopicNode *top = antenna_topic_tree_lookup (_antenna_connection_page_get_topic_tree (r->f->page), "rate");
  GtkWidget *tree = GTK_WIDGET (_antenna_connection_page_get_topic_tree_view (r->f->page));
  GtkWidget *pane = GTK_WIDGET (_antenna_connection_page_get_subscriptions_pane (r->f->page));
  gboolean labels;

  if (top == NULL)
    return FALSE;
  labels = antenna_test_ui_find_widget (tree, is_rate_label, NULL) != NULL &&
           antenna_test_ui_find_widget (pane, is_rate_label, NULL) != NULL;

  if (r->quiet)
    return antenna_topic_node_get_rate (top) == 0 && antenna_subscription_get_rate (r->subscription) == 0 &&
           antenna_test_ui_find_widget (tree, is_rate_label, NULL) == NULL &&
           antenna_test_ui_find_widget (pane, is_rate_label, NULL) == NULL;
  return antenna_topic_node_get_rate (top) > 0 && antenna_subscription_get_rate (r->subscription) > 0 && labels;
}

/* mosquitto_pub sends 40 messages, one every 0.1 s: while they come, the
 * topic's row and the subscription's row show a rate; a few seconds after
 * the last one, none. */
static void
test_rates (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AntennaSubscription) wanted = antenna_subscription_new ("rate/#", 0);
  g_autoptr(GSubprocess) pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", antenna_test_broker_get_port (f->broker));
  GListModel *subscriptions = antenna_client_get_subscriptions (f->client);
  g_autoptr(AntennaSubscription) subscription = NULL;
  AntennaTopicNode *leaf;
  Rates r = { f, NULL, FALSE };

  g_assert_cmpint (antenna_test_subscribe (f->client, wanted, &error), ==, 0);
  g_assert_no_error (error);
  subscription = g_list_model_get_item (subscriptions, 0);
  r.subscription = subscription;
  g_assert_cmpfloat (antenna_subscription_get_rate (subscription), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.show-subscriptions", NULL));

  pub = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "mosquitto_pub", "-h", "127.0.0.1", "-p", port,
                          "-t", "rate/a/b", "-m", "x", "--repeat", "40", "--repeat-delay", "0.1", NULL);
  g_assert_no_error (error);

  /* while the messages come */
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) rates_are, &r, WAIT_MS));
  leaf = antenna_topic_tree_lookup (_antenna_connection_page_get_topic_tree (f->page), "rate/a/b");
  g_assert_nonnull (leaf);
  g_test_message ("rates: topic %.1f/s, subscription %.1f/s",
                  antenna_topic_node_get_rate (leaf), antenna_subscription_get_rate (subscription));

  g_assert_true (g_subprocess_wait_check (pub, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_subscription_get_message_count (subscription), >, 0);

  /* after the last */
  r.quiet = TRUE;
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) rates_are, &r, 30000));
  g_assert_cmpfloat (antenna_topic_node_get_rate (leaf), ==, 0);
  g_assert_cmpuint (antenna_subscription_get_message_count (subscription), ==, 40);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  antenna_test_ui_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  ADD ("/antenna/ui/connection-log/window", test_window);
  ADD ("/antenna/ui/rates", test_rates);

  return antenna_test_run ();
}
