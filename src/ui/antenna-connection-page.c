/* antenna-connection-page.c
 *
 * The page feeds the topic tree and the message log from the client's
 * messages-received batches (O(1) per message; one filter match per
 * subscription only while one is paused), and one tick callback flushes them
 * at most once per frame, so the cost of the UI does not grow with the
 * message rate. The tick callback
 * removes itself when nothing arrives and no highlight is fading; a
 * one-second timer wakes it for the "time since" labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-connection-page"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-connection-log-window.h"
#include "antenna-connection-page-private.h"
#include "antenna-failure-banner.h"
#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-decoder-context.h"
#include "antenna-sparkplug-model.h"
#include "antenna-sparkplug-window.h"
#include "antenna-profile.h"
#include "antenna-record-bar.h"
#include "antenna-schedules-pane.h"
#include "antenna-subscription.h"
#include "antenna-topic.h"
#include "antenna-topic-tree.h"

#define DEFAULT_PREVIEW_SIZE   (1024 * 1024)
#define DEFAULT_LOG_LIMIT      10000
#define ERROR_TOAST_TIMEOUT    8

struct _AntennaConnectionPage
{
  AdwBin                    parent_instance;

  /* Template Widgets */
  AdwBin                   *tree_bin;
  AdwBin                   *log_bin;
  AdwBin                   *subscriptions_bin;
  AdwBin                   *schedules_bin;
  AdwBin                   *publish_bin;
  AdwViewStack             *view_stack;
  AdwViewStackPage         *subscriptions_page;
  AdwBin                   *inspector_bin;
  AntennaRecordBar         *record_bar;
  AntennaFailureBanner     *failure_banner;

  /* Borrowed References */
  AdwToastOverlay          *toast_overlay;     /* the template's root */
  AntennaTopicTreeView     *tree_view;         /* children of the bins above */
  AntennaMessageLogView    *log_view;
  AntennaSubscriptionsPane *subscriptions_pane;
  AntennaMessageInspector  *inspector;         /* NULL until first wanted */
  AntennaComposer          *composer;          /* NULL until first wanted */
  AdwMessageDialog         *dialog;            /* on screen, or NULL */
  GtkWidget                *connection_log_window;  /* on screen, or NULL */
  GtkWidget                *focus_before_publish; /* weak */

  /* Owned References */
  AntennaClient            *client;
  AntennaTopicTree         *tree;
  AntennaMessageLog        *log;
  char                     *publish_topic;     /* for the composer, once made */
  AntennaDecoderContext    *decoder_context;   /* NULL until first wanted */

  guint                     tick_id;
  guint                     age_source;
  gboolean                  dirty;
  gboolean                  log_dirty;
  gint64                    log_flush_not_before;
  gint64                    log_flushed_at;
  guint64                   n_flushes;
  guint                     preview_size;
  gboolean                  publish_visible;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PREVIEW_SIZE,
  PROP_MESSAGE_LOG_LIMIT,
  PROP_TOPIC_HISTORY_LIMIT,
  PROP_TOPIC_HISTORY_MEMORY,
  PROP_PUBLISH_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaConnectionPage, antenna_connection_page, ADW_TYPE_BIN)

static gboolean tick_cb (GtkWidget     *widget,
                         GdkFrameClock *frame_clock,
                         gpointer       user_data);

static void
ensure_tick (AntennaConnectionPage *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

/* GtkListView 4.8 binds some 200 rows around what it shows, and in a flood
 * every log flush replaces them: it costs tens of milliseconds. So the log
 * is flushed less often, taking at most about a fifth of the main loop, and
 * not in a frame whose tree flush was costly already (unless it has waited
 * for long): the two costs fall in different frames instead of adding up. */
#define LOG_FLUSH_CHEAP_USEC 4000
#define TREE_FLUSH_CHEAP_USEC 8000
#define LOG_FLUSH_MAX_WAIT_USEC (G_USEC_PER_SEC / 4)

static void
flush (AntennaConnectionPage *self)
{
  gint64 start = g_get_monotonic_time ();
  gint64 tree_cost = 0;

  if (self->dirty)
    {
      self->dirty = FALSE;
      self->n_flushes++;
      antenna_topic_tree_flush (self->tree);
      tree_cost = g_get_monotonic_time () - start;
    }

  if (self->log_dirty)
    {
      gint64 log_start = start + tree_cost;
      gint64 cost;

      if (log_start < self->log_flush_not_before)
        return;
      if (tree_cost > TREE_FLUSH_CHEAP_USEC && log_start < self->log_flushed_at + LOG_FLUSH_MAX_WAIT_USEC)
        return;

      self->log_dirty = FALSE;
      antenna_message_log_flush (self->log);

      self->log_flushed_at = g_get_monotonic_time ();
      cost = self->log_flushed_at - log_start;
      self->log_flush_not_before = cost > LOG_FLUSH_CHEAP_USEC ? log_start + 4 * cost : 0;
    }
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (widget);
  gboolean had_data = self->dirty || self->log_dirty;
  gboolean waiting;

  flush (self);

  /* The views say whether a count or a highlight still waits for a frame. */
  waiting = antenna_topic_tree_view_tick (self->tree_view, g_get_real_time ());
  waiting |= antenna_message_log_view_tick (self->log_view);
  waiting |= antenna_subscriptions_pane_tick (self->subscriptions_pane);

  if (had_data || waiting || self->log_dirty)
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
age_cb (gpointer user_data)
{
  AntennaConnectionPage *self = user_data;

  /* The next frame refreshes the "time since" labels of the visible rows. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_tick (self);

  return G_SOURCE_CONTINUE;
}

static void
on_messages_received_cb (AntennaConnectionPage *self,
                         GPtrArray             *messages,
                         AntennaClient         *client)
{
  GListModel *subscriptions = antenna_client_get_subscriptions (client);
  guint n_subscriptions = g_list_model_get_n_items (subscriptions);
  g_autoptr(GPtrArray) subs = g_ptr_array_new_full (n_subscriptions, g_object_unref);
  g_autoptr(GPtrArray) shown = NULL;
  gboolean any_paused = FALSE;

  for (guint i = 0; i < n_subscriptions; i++)
    {
      AntennaSubscription *subscription = g_list_model_get_item (subscriptions, i);

      any_paused |= antenna_subscription_get_paused (subscription);
      g_ptr_array_add (subs, subscription);
    }

  /* The client counts the messages of each subscription; the page only
   * hides those of paused subscriptions. */
  if (!any_paused)
    {
      antenna_topic_tree_add_messages (self->tree, messages);
      antenna_message_log_add_messages (self->log, messages);
      self->dirty = self->log_dirty = TRUE;
      ensure_tick (self);
      return;
    }

  shown = g_ptr_array_new_full (messages->len, g_object_unref);

  for (guint m = 0; m < messages->len; m++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, m);
      const char *topic = antenna_message_get_topic (message);
      gboolean matched = FALSE;
      gboolean visible = FALSE;

      for (guint i = 0; i < subs->len; i++)
        {
          AntennaSubscription *subscription = g_ptr_array_index (subs, i);

          if (antenna_topic_matches (antenna_subscription_get_filter (subscription), topic))
            {
              matched = TRUE;
              visible |= !antenna_subscription_get_paused (subscription);
            }
        }

      /* A message no subscription claims (in flight after an unsubscribe,
       * or from the session) is shown rather than hidden. */
      if (visible || !matched)
        g_ptr_array_add (shown, g_object_ref (message));
    }

  if (shown->len > 0)
    {
      antenna_topic_tree_add_messages (self->tree, shown);
      antenna_message_log_add_messages (self->log, shown);
    }

  self->dirty = self->log_dirty = TRUE;
  ensure_tick (self);
}

static void
on_subscriptions_changed_cb (AntennaConnectionPage *self,
                             guint                  position,
                             guint                  removed,
                             guint                  added,
                             GListModel            *subscriptions)
{
  adw_view_stack_page_set_badge_number (self->subscriptions_page,
                                        g_list_model_get_n_items (subscriptions));
}

/* Like the composer, the inspector (two source views, lists, a chart) is
 * made when it is first wanted: until then a status page holds its place. */
static AntennaMessageInspector *
ensure_inspector (AntennaConnectionPage *self)
{
  if (self->inspector == NULL)
    {
      self->inspector = ANTENNA_MESSAGE_INSPECTOR (antenna_message_inspector_new ());
      antenna_message_inspector_set_preview_size (self->inspector, self->preview_size);
      antenna_message_inspector_set_decoder_context (self->inspector,
                                                     _antenna_connection_page_get_decoder_context (self));
      adw_bin_set_child (self->inspector_bin, GTK_WIDGET (self->inspector));
    }

  return self->inspector;
}

static void
on_tree_selection_cb (AntennaConnectionPage *self)
{
  AntennaTopicNode *node = antenna_topic_tree_view_get_selected_node (self->tree_view);

  if (node != NULL)
    antenna_message_inspector_show_node (ensure_inspector (self), node);
}

static void
on_log_selection_cb (AntennaConnectionPage *self)
{
  AntennaMessage *message = antenna_message_log_view_get_selected_message (self->log_view);

  if (message != NULL)
    antenna_message_inspector_show (ensure_inspector (self), message,
                                    antenna_topic_tree_lookup (self->tree, antenna_message_get_topic (message)));
}

static void
on_message_activated_cb (AntennaConnectionPage *self,
                         AntennaMessage        *message)
{
  g_autoptr(AntennaMessage) shown = g_object_ref (message);

  antenna_topic_tree_view_select_topic (self->tree_view, antenna_message_get_topic (message));
  /* Keep showing the message that was activated, not the topic's latest. */
  antenna_message_inspector_show (ensure_inspector (self), shown,
                                  antenna_topic_tree_lookup (self->tree, antenna_message_get_topic (shown)));
}

static void
on_published_cb (AntennaConnectionPage *self,
                 AntennaMessage        *message)
{
  antenna_message_log_add_message (self->log, message);
  self->dirty = self->log_dirty = TRUE;
  ensure_tick (self);
}

/* Clearing retained messages */

typedef struct
{
  AntennaConnectionPage *self;
  char                  *topic;
} ClearRequest;

static void
clear_request_free (ClearRequest *request)
{
  g_clear_object (&request->self);
  g_clear_pointer (&request->topic, g_free);
  g_free (request);
}

static void
clear_publish_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ClearRequest *request = user_data;
  AntennaConnectionPage *self = request->self;
  g_autoptr(GError) error = NULL;

  if (!antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not clear the retained message on “%s”: %s"),
                                                  request->topic, error->message);

      gtk_widget_activate_action (GTK_WIDGET (self), "page.show-error", "s", message);
    }
  else
    {
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
      g_autoptr(AntennaMessage) sent = antenna_message_new (request->topic, empty, 1, TRUE, FALSE,
                                                            ANTENNA_MESSAGE_SENT, g_get_real_time (), NULL);
      g_autoptr(GPtrArray) batch = g_ptr_array_new ();

      /* The broker forwards the clearing message to subscribers without the
       * retain flag: tell the tree ourselves that nothing is retained now. */
      g_ptr_array_add (batch, sent);
      antenna_topic_tree_add_messages (self->tree, batch);
      antenna_message_log_add_message (self->log, sent);
      self->dirty = self->log_dirty = TRUE;
      ensure_tick (self);
    }

  clear_request_free (request);
}

static void
collect_retained (AntennaTopicNode *node,
                  GPtrArray        *topics)
{
  GListModel *children = antenna_topic_node_get_children (node);
  guint n = g_list_model_get_n_items (children);

  if (antenna_topic_node_get_retained (node))
    g_ptr_array_add (topics, g_strdup (antenna_topic_node_get_topic (node)));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaTopicNode) child = g_list_model_get_item (children, i);

      collect_retained (child, topics);
    }
}

static void
on_clear_response_cb (AdwMessageDialog      *dialog,
                      const char            *response,
                      AntennaConnectionPage *self)
{
  GPtrArray *topics = g_object_get_data (G_OBJECT (dialog), "topics");

  if (self->dialog == dialog)
    self->dialog = NULL;

  if (g_strcmp0 (response, "clear") != 0)
    return;

  for (guint i = 0; i < topics->len; i++)
    {
      ClearRequest *request = g_new0 (ClearRequest, 1);

      request->self = g_object_ref (self);
      request->topic = g_strdup (g_ptr_array_index (topics, i));
      antenna_client_publish_async (self->client, request->topic, NULL, 1, TRUE, NULL, NULL,
                                    clear_publish_cb, request);
    }

  if (topics->len > 0)
    {
      g_autofree char *message = NULL;

      if (topics->len == 1)
        message = g_strdup_printf (_("Clearing the retained message on “%s”"),
                                   (const char *) g_ptr_array_index (topics, 0));
      else
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Clearing %u retained message",
                                                "Clearing %u retained messages", topics->len),
                                   topics->len);
      gtk_widget_activate_action (GTK_WIDGET (self), "page.show-toast", "s", message);
    }
}

static void
clear_retained_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (widget);
  AntennaTopicNode *node = antenna_topic_tree_view_get_selected_node (self->tree_view);
  gboolean subtree = g_str_equal (action_name, "page.clear-retained-subtree");
  g_autoptr(GPtrArray) topics = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkRoot *root;

  if (node == NULL)
    {
      gtk_widget_activate_action (widget, "page.show-toast", "s", _("Select a topic in the tree first"));
      return;
    }

  if (subtree)
    collect_retained (node, topics);
  else
    g_ptr_array_add (topics, g_strdup (antenna_topic_node_get_topic (node)));

  if (topics->len == 0)
    {
      g_autofree char *message = g_strdup_printf (_("No retained messages on or below “%s”"),
                                                  antenna_topic_node_get_topic (node));

      gtk_widget_activate_action (widget, "page.show-toast", "s", message);
      return;
    }

  if (subtree)
    {
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Clear %u Retained Message?",
                                              "Clear %u Retained Messages?", topics->len),
                                 topics->len);
      body = g_strdup_printf (_("The broker will forget the retained messages on “%s” and the topics below it. "
                                "New subscribers will no longer receive them."),
                              antenna_topic_node_get_topic (node));
    }
  else
    {
      heading = g_strdup (_("Clear Retained Message?"));
      body = g_strdup_printf (_("The broker will forget the retained message on “%s”. "
                                "New subscribers will no longer receive it."),
                              antenna_topic_node_get_topic (node));
    }

  root = gtk_widget_get_root (widget);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("C_lear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "topics", g_steal_pointer (&topics),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_clear_response_cb), self, 0);

  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Other actions */

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (widget);
  /* Toast titles are Pango markup in libadwaita 1.2. */
  g_autofree char *escaped = g_markup_escape_text (g_variant_get_string (param, NULL), -1);
  AdwToast *toast = adw_toast_new (escaped);

  if (g_str_equal (action_name, "page.show-error"))
    {
      adw_toast_set_timeout (toast, ERROR_TOAST_TIMEOUT);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Whether the keyboard focus is in @widget or below it. */
static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The composer is made the first time it is wanted: its source view, entries
 * and drop-downs would otherwise cost every connection page ~20 ms before
 * its first frame, for a pane that is hidden until Publish. */
static AntennaComposer *
ensure_composer (AntennaConnectionPage *self)
{
  if (self->composer == NULL)
    {
      self->composer = ANTENNA_COMPOSER (antenna_composer_new (self->client));
      antenna_composer_set_topic_tree (self->composer, self->tree);
      if (self->publish_topic != NULL)
        antenna_composer_set_topic (self->composer, self->publish_topic);
      adw_bin_set_child (self->publish_bin, GTK_WIDGET (self->composer));
      g_signal_connect_object (self->composer, "published",
                               G_CALLBACK (on_published_cb), self,
                               G_CONNECT_SWAPPED);
    }

  return self->composer;
}

/* :publish-visible, what page.toggle-publish toggles: the publish pane's
 * revealer and the Publish button follow it through the template. */
static void
set_publish_visible (AntennaConnectionPage *self,
                     gboolean               visible)
{
  visible = !!visible;
  if (self->publish_visible == visible)
    return;

  ensure_composer (self);

  /* Hidden, the pane gives the focus back where it was when it opened (GTK
   * would move it to the window's first widget, the sidebar's "+"). */
  if (visible)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      g_set_weak_pointer (&self->focus_before_publish, root != NULL ? gtk_root_get_focus (root) : NULL);
    }
  else if (has_focus_within (GTK_WIDGET (self->publish_bin)))
    {
      GtkWidget *back = self->focus_before_publish;

      if (back == NULL || gtk_widget_get_root (back) != gtk_widget_get_root (GTK_WIDGET (self)) ||
          gtk_widget_is_ancestor (back, GTK_WIDGET (self->publish_bin)) || !gtk_widget_grab_focus (back))
        gtk_widget_child_focus (GTK_WIDGET (self->tree_view), GTK_DIR_TAB_FORWARD);
    }

  self->publish_visible = visible;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISH_VISIBLE]);

  if (visible)
    gtk_widget_child_focus (GTK_WIDGET (self->composer), GTK_DIR_TAB_FORWARD);
}

/* The composer in a window of its own, bound to this connection; the pane closes. */
static void
detach_publish_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (widget);

  gtk_widget_activate_action (GTK_WIDGET (ensure_composer (self)), "composer.detach", NULL);
  set_publish_visible (self, FALSE);
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack,
                                         g_str_equal (action_name, "page.show-subscriptions")
                                         ? "subscriptions" : "messages");
}

/* The Sparkplug window. The model starts from what the log holds (in the
 * order it came), then follows the client. */
static void
show_sparkplug_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (widget);
  AntennaDecoderContext *context = _antenna_connection_page_get_decoder_context (self);
  AntennaSparkplugModel *model = antenna_decoder_context_peek_sparkplug (context);
  AntennaSparkplugWindow *window;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (model == NULL)
    {
      GListModel *log = G_LIST_MODEL (self->log);
      guint n = g_list_model_get_n_items (log);

      model = antenna_decoder_context_get_sparkplug (context);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AntennaMessage) message = g_list_model_get_item (log, i);

          antenna_sparkplug_model_add_message (model, message);
        }
      antenna_sparkplug_model_observe (model, self->client);
    }

  window = antenna_sparkplug_window_new (self->client, model);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
    }
  gtk_window_present (GTK_WINDOW (window));
}

/* Ctrl+F: the search of the view in front. The message log when the focus is
 * in it; the topic tree, always on screen, otherwise. */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (widget);
  gboolean messages_shown = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "messages") == 0;

  if (messages_shown && has_focus_within (GTK_WIDGET (self->log_view)))
    antenna_message_log_view_focus_filter (self->log_view);
  else
    antenna_topic_tree_view_focus_search (self->tree_view);
}

/* One log window per page: asked again, it comes to the front. */
static void
show_connection_log_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->connection_log_window == NULL)
    {
      AntennaProfile *profile = antenna_client_get_profile (self->client);
      g_autofree char *name = antenna_profile_dup_display_name (profile);

      self->connection_log_window = antenna_connection_log_window_new (antenna_client_get_log (self->client), name);
      g_object_add_weak_pointer (G_OBJECT (self->connection_log_window), (gpointer *) &self->connection_log_window);
      if (GTK_IS_WINDOW (root))
        gtk_window_set_transient_for (GTK_WINDOW (self->connection_log_window), GTK_WINDOW (root));
    }

  gtk_window_present (GTK_WINDOW (self->connection_log_window));
}

GtkWidget *
_antenna_connection_page_get_connection_log_window (AntennaConnectionPage *self)
{
  return self->connection_log_window;
}

/* GObject */

/* The reason of a failure stays until the next attempt. */
static void
on_client_state_cb (AntennaConnectionPage *self)
{
  AntennaClientState state = antenna_client_get_state (self->client);

  if (state == ANTENNA_CLIENT_STATE_CONNECTING || state == ANTENNA_CLIENT_STATE_CONNECTED)
    antenna_failure_banner_hide (self->failure_banner);
}

static void
antenna_connection_page_constructed (GObject *object)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (object);
  GListModel *subscriptions;

  G_OBJECT_CLASS (antenna_connection_page_parent_class)->constructed (object);

  g_assert (ANTENNA_IS_CLIENT (self->client));

  subscriptions = antenna_client_get_subscriptions (self->client);

  self->tree_view = ANTENNA_TOPIC_TREE_VIEW (antenna_topic_tree_view_new (self->tree));
  antenna_topic_tree_view_set_decoder_context (self->tree_view, _antenna_connection_page_get_decoder_context (self));
  adw_bin_set_child (self->tree_bin, GTK_WIDGET (self->tree_view));
  g_signal_connect_object (self->tree_view, "notify::selected-node",
                           G_CALLBACK (on_tree_selection_cb), self,
                           G_CONNECT_SWAPPED);

  self->log_view = ANTENNA_MESSAGE_LOG_VIEW (antenna_message_log_view_new (self->log, subscriptions));
  antenna_message_log_view_set_decoder_context (self->log_view, _antenna_connection_page_get_decoder_context (self));
  adw_bin_set_child (self->log_bin, GTK_WIDGET (self->log_view));
  g_signal_connect_object (self->log_view, "notify::selected-message",
                           G_CALLBACK (on_log_selection_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log_view, "message-activated",
                           G_CALLBACK (on_message_activated_cb), self,
                           G_CONNECT_SWAPPED);

  antenna_record_bar_set_client (self->record_bar, self->client);

  self->subscriptions_pane = ANTENNA_SUBSCRIPTIONS_PANE (antenna_subscriptions_pane_new (self->client));
  adw_bin_set_child (self->subscriptions_bin, GTK_WIDGET (self->subscriptions_pane));
  adw_bin_set_child (self->schedules_bin, antenna_schedules_pane_new (self->client));

  g_signal_connect_object (self->client, "messages-received",
                           G_CALLBACK (on_messages_received_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (subscriptions, "items-changed",
                           G_CALLBACK (on_subscriptions_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_subscriptions_changed_cb (self, 0, 0, 0, subscriptions);

  /* With no subscription yet, start where one is made. */
  if (g_list_model_get_n_items (subscriptions) == 0 &&
      g_list_model_get_n_items (antenna_profile_get_subscriptions (antenna_client_get_profile (self->client))) == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "subscriptions");

  self->age_source = g_timeout_add_seconds (1, age_cb, self);

  g_signal_connect_object (self->client, "notify::state",
                           G_CALLBACK (on_client_state_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
antenna_connection_page_dispose (GObject *object)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->age_source, g_source_remove);
  g_clear_weak_pointer (&self->focus_before_publish);

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = NULL;
  if (self->connection_log_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->connection_log_window));

  /* A task of the inspector (saving a payload) may keep it a while: not
   * the connection's profile with it. */
  if (self->inspector != NULL)
    antenna_message_inspector_set_decoder_context (self->inspector, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_CONNECTION_PAGE);
  /* Borrowed, and gone with the template: dispose may run again. */
  self->inspector = NULL;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);

  g_clear_object (&self->tree);
  g_clear_object (&self->log);
  g_clear_object (&self->decoder_context);
  g_clear_object (&self->client);
  g_clear_pointer (&self->publish_topic, g_free);

  G_OBJECT_CLASS (antenna_connection_page_parent_class)->dispose (object);
}

static void
antenna_connection_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_PREVIEW_SIZE:
      g_value_set_uint (value, self->preview_size);
      break;

    case PROP_MESSAGE_LOG_LIMIT:
      g_value_set_uint (value, antenna_message_log_get_limit (self->log));
      break;

    case PROP_TOPIC_HISTORY_LIMIT:
      g_value_set_uint (value, antenna_topic_tree_get_history_limit (self->tree));
      break;

    case PROP_TOPIC_HISTORY_MEMORY:
      g_value_set_uint (value, antenna_topic_tree_get_history_budget (self->tree) / (1024 * 1024));
      break;

    case PROP_PUBLISH_VISIBLE:
      g_value_set_boolean (value, self->publish_visible);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_page_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  AntennaConnectionPage *self = ANTENNA_CONNECTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_PREVIEW_SIZE:
      antenna_connection_page_set_preview_size (self, g_value_get_uint (value));
      break;

    case PROP_MESSAGE_LOG_LIMIT:
      if (antenna_message_log_get_limit (self->log) != g_value_get_uint (value))
        {
          antenna_message_log_set_limit (self->log, g_value_get_uint (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_TOPIC_HISTORY_LIMIT:
      if (antenna_topic_tree_get_history_limit (self->tree) != g_value_get_uint (value))
        {
          antenna_topic_tree_set_history_limit (self->tree, g_value_get_uint (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_TOPIC_HISTORY_MEMORY:
      {
        guint64 budget = (guint64) g_value_get_uint (value) * 1024 * 1024;

        if (antenna_topic_tree_get_history_budget (self->tree) != budget)
          {
            antenna_topic_tree_set_history_budget (self->tree, budget);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;

    case PROP_PUBLISH_VISIBLE:
      set_publish_visible (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_page_class_init (AntennaConnectionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_connection_page_constructed;
  object_class->dispose = antenna_connection_page_dispose;
  object_class->get_property = antenna_connection_page_get_property;
  object_class->set_property = antenna_connection_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ANTENNA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PREVIEW_SIZE] =
    g_param_spec_uint ("preview-size", NULL, NULL,
                       1024, G_MAXUINT, DEFAULT_PREVIEW_SIZE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MESSAGE_LOG_LIMIT] =
    g_param_spec_uint ("message-log-limit", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_LOG_LIMIT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOPIC_HISTORY_LIMIT] =
    g_param_spec_uint ("topic-history-limit", NULL, NULL,
                       0, G_MAXUINT, ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* MiB for the histories of all topics together (the tree's history-budget). */
  properties[PROP_TOPIC_HISTORY_MEMORY] =
    g_param_spec_uint ("topic-history-memory", NULL, NULL,
                       0, G_MAXUINT / 1024, ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_BUDGET / (1024 * 1024),
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Whether the publish pane shows (made the first time it does). */
  properties[PROP_PUBLISH_VISIBLE] =
    g_param_spec_boolean ("publish-visible", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ANTENNA_TYPE_FAILURE_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-connection-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, failure_banner);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, tree_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, log_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, subscriptions_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, schedules_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, publish_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, subscriptions_page);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, inspector_bin);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionPage, record_bar);

  gtk_widget_class_install_action (widget_class, "page.show-toast", "s", show_toast_action);
  gtk_widget_class_install_action (widget_class, "page.show-error", "s", show_toast_action);
  gtk_widget_class_install_action (widget_class, "page.clear-retained", NULL, clear_retained_action);
  gtk_widget_class_install_action (widget_class, "page.clear-retained-subtree", NULL, clear_retained_action);
  gtk_widget_class_install_property_action (widget_class, "page.toggle-publish", "publish-visible");
  gtk_widget_class_install_action (widget_class, "page.detach-publish", NULL, detach_publish_action);
  gtk_widget_class_install_action (widget_class, "page.show-subscriptions", NULL, show_view_action);
  gtk_widget_class_install_action (widget_class, "page.show-messages", NULL, show_view_action);
  gtk_widget_class_install_action (widget_class, "page.show-sparkplug", NULL, show_sparkplug_action);

  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "page.show-connection-log", NULL, show_connection_log_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "page.show-connection-log", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "page.toggle-publish", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "page.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "page.show-messages", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "page.show-subscriptions", NULL);
}

static void
antenna_connection_page_init (AntennaConnectionPage *self)
{
  self->preview_size = DEFAULT_PREVIEW_SIZE;
  g_type_ensure (ANTENNA_TYPE_RECORD_BAR);
  self->tree = antenna_topic_tree_new (ANTENNA_TOPIC_TREE_DEFAULT_HISTORY_LIMIT);
  self->log = antenna_message_log_new (DEFAULT_LOG_LIMIT);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Not a bound template child: gtk_widget_dispose_template() would unparent
   * it behind AdwBin's back. */
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));
}

GtkWidget *
antenna_connection_page_new (AntennaClient *client)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  return g_object_new (ANTENNA_TYPE_CONNECTION_PAGE, "client", client, NULL);
}

AntennaClient *
antenna_connection_page_get_client (AntennaConnectionPage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_PAGE (self), NULL);

  return self->client;
}

guint
antenna_connection_page_get_preview_size (AntennaConnectionPage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_PAGE (self), 0);

  return self->preview_size;
}

void
antenna_connection_page_set_preview_size (AntennaConnectionPage *self,
                                          guint                  preview_size)
{
  g_return_if_fail (ANTENNA_IS_CONNECTION_PAGE (self));

  if (self->preview_size == preview_size)
    return;

  self->preview_size = preview_size;
  if (self->inspector != NULL)
    antenna_message_inspector_set_preview_size (self->inspector, preview_size);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW_SIZE]);
}

AntennaTopicTree *
_antenna_connection_page_get_topic_tree (AntennaConnectionPage *self)
{
  return self->tree;
}

AntennaMessageLog *
_antenna_connection_page_get_message_log (AntennaConnectionPage *self)
{
  return self->log;
}

AntennaTopicTreeView *
_antenna_connection_page_get_topic_tree_view (AntennaConnectionPage *self)
{
  return self->tree_view;
}

AntennaMessageLogView *
_antenna_connection_page_get_message_log_view (AntennaConnectionPage *self)
{
  return self->log_view;
}

AntennaSubscriptionsPane *
_antenna_connection_page_get_subscriptions_pane (AntennaConnectionPage *self)
{
  return self->subscriptions_pane;
}

AntennaMessageInspector *
_antenna_connection_page_get_inspector (AntennaConnectionPage *self)
{
  return ensure_inspector (self);
}

AntennaComposer *
_antenna_connection_page_get_composer (AntennaConnectionPage *self)
{
  return ensure_composer (self);
}

AdwMessageDialog *
_antenna_connection_page_get_dialog (AntennaConnectionPage *self)
{
  return self->dialog;
}

AntennaRecordBar *
_antenna_connection_page_get_record_bar (AntennaConnectionPage *self)
{
  return self->record_bar;
}

guint64
_antenna_connection_page_get_n_flushes (AntennaConnectionPage *self)
{
  return self->n_flushes;
}

void
antenna_connection_page_suggest_publish_topic (AntennaConnectionPage *self,
                                               const char            *topic)
{
  g_return_if_fail (ANTENNA_IS_CONNECTION_PAGE (self));

  g_free (self->publish_topic);
  self->publish_topic = g_strdup (topic);

  if (self->composer != NULL && antenna_composer_get_topic (self->composer)[0] == '\0')
    antenna_composer_set_topic (self->composer, topic);
}

/* Keeps @message in view, with Edit Connection and Retry, until the next
 * connection attempt. */
void
antenna_connection_page_show_failure (AntennaConnectionPage *self,
                                      const char            *message)
{
  AntennaProfile *profile;

  g_return_if_fail (ANTENNA_IS_CONNECTION_PAGE (self));
  g_return_if_fail (message != NULL);

  profile = antenna_client_get_profile (self->client);
  antenna_failure_banner_show (self->failure_banner, message, antenna_profile_get_id (profile),
                               g_object_get_data (G_OBJECT (profile), "antenna-temporary") == NULL);
}

const char *
antenna_connection_page_get_failure (AntennaConnectionPage *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_PAGE (self), NULL);

  return antenna_failure_banner_get_message (self->failure_banner);
}

AntennaDecoderContext *
_antenna_connection_page_get_decoder_context (AntennaConnectionPage *self)
{
  if (self->decoder_context == NULL)
    self->decoder_context = antenna_decoder_context_new (antenna_client_get_profile (self->client));
  return self->decoder_context;
}
