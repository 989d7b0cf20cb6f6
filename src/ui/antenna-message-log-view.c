/* antenna-message-log-view.c
 *
 * A virtualised list: only the rows on screen exist, and messages are
 * immutable, so a row is filled once when bound. The log emits its changes
 * once per frame (the page flushes it from its tick callback).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-message-log-view"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "antenna-capture-export.h"
#include "antenna-counts-interval.h"
#include "antenna-decoder-context.h"
#include "antenna-export-bar.h"
#include "antenna-log-row.h"
#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-message-log-view.h"
#include "antenna-subscription.h"
#include "antenna-topic.h"

struct _AntennaMessageLogView
{
  AdwBin              parent_instance;

  /* Template Widgets */
  GtkSearchEntry     *topic_entry;
  GtkSearchEntry     *text_entry;
  GtkStack           *stack;
  GtkScrolledWindow  *scrolled_window;
  GtkListView        *list_view;
  GtkLabel           *status_label;
  AntennaExportBar   *export_bar;

  /* Owned References */
  AntennaMessageLog  *log;
  GListModel         *subscriptions;
  GtkSingleSelection *selection;
  AntennaMessage     *selected_message;
  AntennaDecoderContext *decoder_context;  /* nullable */

  gboolean            live;
  gboolean            follow;
  guint               pin_id;            /* a tick that scrolls to the bottom */
  guint               pin_frames;
  guint64             followed_total;
  guint64             shown_total;
  guint               shown_n_items;
  gboolean            shown_paused;
  gboolean            status_valid;
  gint64              status_time;
};

enum {
  PROP_0,
  PROP_LOG,
  PROP_SUBSCRIPTIONS,
  PROP_SELECTED_MESSAGE,
  PROP_PAUSED,
  PROP_LIVE,
  N_PROPS
};

enum {
  MESSAGE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaMessageLogView, antenna_message_log_view, ADW_TYPE_BIN)

static const char *
color_for_topic (AntennaMessageLogView *self,
                 const char            *topic)
{
  guint n;

  if (self->subscriptions == NULL)
    return NULL;

  n = g_list_model_get_n_items (self->subscriptions);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (self->subscriptions, i);

      if (antenna_topic_matches (antenna_subscription_get_filter (subscription), topic))
        return antenna_subscription_get_color (subscription);
    }

  return NULL;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              AntennaMessageLogView    *self)
{
  GtkWidget *row = antenna_log_row_new ();

  antenna_log_row_set_decoder_context (ANTENNA_LOG_ROW (row), self->decoder_context);
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             AntennaMessageLogView    *self)
{
  AntennaMessage *message = gtk_list_item_get_item (item);

  antenna_log_row_set_message (ANTENNA_LOG_ROW (gtk_list_item_get_child (item)), message,
                               color_for_topic (self, antenna_message_get_topic (message)));
}

static void
update_status (AntennaMessageLogView *self)
{
  guint64 total = antenna_message_log_get_total_count (self->log);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  gboolean paused = antenna_message_log_get_paused (self->log);
  g_autofree char *received = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;

  if (self->status_valid &&
      total == self->shown_total && n_items == self->shown_n_items && paused == self->shown_paused)
    return;

  self->status_valid = TRUE;
  self->shown_total = total;
  self->shown_n_items = n_items;
  self->shown_paused = paused;

  /* Counts with the locale's thousands grouping (the ' flag); the log has
   * the messages sent from here too. */
  received = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%'" PRIu64 " message",
                                           "%'" PRIu64 " messages",
                                           total > G_MAXULONG ? G_MAXULONG : (gulong) total),
                              total);
  shown = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u shown", "%'u shown", n_items), n_items);

  if (paused)
    /* Translators: "1200 messages · 100 shown · paused" */
    text = g_strdup_printf (_("%s · %s · paused"), received, shown);
  else
    text = g_strdup_printf (_("%s · %s"), received, shown);

  gtk_label_set_label (self->status_label, text);
  gtk_stack_set_visible_child_name (self->stack, total > 0 || n_items > 0 ? "log" : "empty");
}

static void
on_filter_changed_cb (AntennaMessageLogView *self)
{
  antenna_message_log_set_filter (self->log,
                                  gtk_editable_get_text (GTK_EDITABLE (self->topic_entry)),
                                  gtk_editable_get_text (GTK_EDITABLE (self->text_entry)));
}

static void
on_list_activate_cb (AntennaMessageLogView *self,
                     guint                  position)
{
  g_autoptr(AntennaMessage) message = g_list_model_get_item (G_LIST_MODEL (self->log), position);

  if (message != NULL)
    g_signal_emit (self, signals[MESSAGE_ACTIVATED], 0, message);
}

static void
on_selection_changed_cb (AntennaMessageLogView *self)
{
  AntennaMessage *message = gtk_single_selection_get_selected_item (self->selection);

  if (g_set_object (&self->selected_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_MESSAGE]);
}

/* Following the newest messages: on until the person scrolls up (wheel,
 * touchpad or scrollbar) or selects a row, on again once they are back at
 * the bottom. The scrolling itself happens in the tick, after a flush:
 * a value set while the list lays itself out is overridden by it. */
static void
on_value_changed_cb (AntennaMessageLogView *self,
                     GtkAdjustment         *adjustment)
{
  if (gtk_adjustment_get_value (adjustment) >=
      gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 2)
    self->follow = TRUE;
}

/* Following, the list ends at its newest row: scroll-to-item alone is not
 * enough, since it does nothing while the list is not on screen (another tab
 * in front: the log then opened on its oldest rows) and stops where the
 * rows' estimated heights put the item (one row short of the newest). The
 * bottom is set on the next frame, after the list measured its rows. */
static gboolean
pin_to_bottom_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  AntennaMessageLogView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->log));

  /* The list's own way there (setting the adjustment skips its anchor and
   * can leave it blank), again each frame until it is at the bottom. */
  if (!self->follow || n_items == 0 || gtk_adjustment_get_value (adjustment) >= bottom - 1 || ++self->pin_frames > 10)
    {
      self->pin_id = 0;
      return G_SOURCE_REMOVE;
    }

  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n_items - 1);
  return G_SOURCE_CONTINUE;
}

static void
pin_to_bottom (AntennaMessageLogView *self)
{
  if (self->follow && self->pin_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self->list_view)))
    {
      self->pin_frames = 0;
      self->pin_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view), pin_to_bottom_cb, self, NULL);
    }
}

static void
on_list_mapped_cb (AntennaMessageLogView *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->log));

  if (self->follow && n_items > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n_items - 1);
  pin_to_bottom (self);
}

static gboolean
on_scroll_cb (AntennaMessageLogView    *self,
              double                    dx,
              double                    dy,
              GtkEventControllerScroll *controller)
{
  if (dy < 0)
    self->follow = FALSE;

  return GDK_EVENT_PROPAGATE;
}

static void
on_scrollbar_pressed_cb (AntennaMessageLogView *self)
{
  self->follow = FALSE;
}

/* The log's :paused, shown by the pause button through the template's
 * bindings; the counts line says "paused" at once. */
static void
on_log_paused_cb (AntennaMessageLogView *self)
{
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

static char *
pause_icon_name (gpointer unused,
                 gboolean paused)
{
  return g_strdup (paused ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
}

static char *
pause_tooltip (gpointer unused,
               gboolean paused)
{
  return g_strdup (paused ? _("Resume the Log") : _("Pause the Log (Messages Are Still Counted)"));
}

/* A capture's messages arrive from no subscription, and none is sent from
 * its page. */
static char *
empty_description (gpointer unused,
                   gboolean live)
{
  return g_strdup (live ? _("Messages on your subscriptions show up here as they arrive.")
                        : _("Messages read from the capture show up here."));
}

static char *
status_tooltip (gpointer unused,
                gboolean live)
{
  return g_strdup (live ? _("The log counts the messages received and those sent from here; the topic tree counts only those received")
                        : _("The messages read from the capture, and those of them the log keeps and shows"));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  AntennaMessageLogView *self = ANTENNA_MESSAGE_LOG_VIEW (widget);

  antenna_message_log_clear (self->log);
  self->follow = TRUE;
  self->followed_total = 0;
  self->status_valid = FALSE;
  update_status (self);
}

/* Export: the selected message, or when none is selected every message the
 * filter shows, through the capture exporter on a thread.
 *
 * Live only. A capture's page has its own Export…, which reads the capture
 * file for every message of the time range and the search; the log there
 * keeps only the last of them (10,000), so a second entry beside it that
 * nearly does the same would write a file cut short without saying so. */

static void
update_export_enabled (AntennaMessageLogView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message-log.export",
                                 self->live && !antenna_export_bar_get_exporting (self->export_bar));
}

static void
on_export_bar_exporting_cb (AntennaMessageLogView *self)
{
  update_export_enabled (self);
}

static void
on_export_file_chosen_cb (AntennaMessageLogView *self,
                          GFile                 *file,
                          int                    format)
{
  antenna_message_log_view_export (self, file, format);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AntennaMessageLogView *self = ANTENNA_MESSAGE_LOG_VIEW (widget);

  /* TRANSLATORS: the suggested name of an export of the message log */
  antenna_export_bar_choose_file (self->export_bar, _("messages.csv"));
}

static void
antenna_message_log_view_constructed (GObject *object)
{
  AntennaMessageLogView *self = ANTENNA_MESSAGE_LOG_VIEW (object);
  GtkAdjustment *adjustment;
  GtkEventController *controller;

  G_OBJECT_CLASS (antenna_message_log_view_parent_class)->constructed (object);

  g_assert (ANTENNA_IS_MESSAGE_LOG (self->log));

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->log)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "notify::paused",
                           G_CALLBACK (on_log_paused_cb), self,
                           G_CONNECT_SWAPPED);
  /* The template's bindings read :paused before the log was set. */
  if (antenna_message_log_get_paused (self->log))
    g_object_notify_by_pspec (object, properties[PROP_PAUSED]);

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (on_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* The list grew or its rows were measured. */
  g_signal_connect_object (adjustment, "changed",
                           G_CALLBACK (pin_to_bottom), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_view, "map",
                           G_CALLBACK (on_list_mapped_cb), self,
                           G_CONNECT_SWAPPED);
  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (on_scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled_window), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "pressed", G_CALLBACK (on_scrollbar_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->scrolled_window), controller);

  update_status (self);
}

static void
antenna_message_log_view_dispose (GObject *object)
{
  AntennaMessageLogView *self = ANTENNA_MESSAGE_LOG_VIEW (object);

  if (self->list_view != NULL)
    {
      if (self->pin_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self->list_view), self->pin_id);
      self->pin_id = 0;
      gtk_list_view_set_model (self->list_view, NULL);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_MESSAGE_LOG_VIEW);

  g_clear_object (&self->selection);
  g_clear_object (&self->selected_message);
  if (self->decoder_context != NULL)
    g_signal_handlers_disconnect_by_data (self->decoder_context, self);
  g_clear_object (&self->decoder_context);
  g_clear_object (&self->subscriptions);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (antenna_message_log_view_parent_class)->dispose (object);
}

static void
antenna_message_log_view_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  AntennaMessageLogView *self = ANTENNA_MESSAGE_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;

    case PROP_SUBSCRIPTIONS:
      g_value_set_object (value, self->subscriptions);
      break;

    case PROP_SELECTED_MESSAGE:
      g_value_set_object (value, self->selected_message);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->log != NULL && antenna_message_log_get_paused (self->log));
      break;

    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_log_view_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  AntennaMessageLogView *self = ANTENNA_MESSAGE_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      self->log = g_value_dup_object (value);
      break;

    case PROP_SUBSCRIPTIONS:
      self->subscriptions = g_value_dup_object (value);
      break;

    case PROP_PAUSED:
      if (self->log != NULL)
        antenna_message_log_set_paused (self->log, g_value_get_boolean (value));
      break;

    case PROP_LIVE:
      antenna_message_log_view_set_live (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_log_view_class_init (AntennaMessageLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_message_log_view_constructed;
  object_class->dispose = antenna_message_log_view_dispose;
  object_class->get_property = antenna_message_log_view_get_property;
  object_class->set_property = antenna_message_log_view_set_property;

  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL,
                         ANTENNA_TYPE_MESSAGE_LOG,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUBSCRIPTIONS] =
    g_param_spec_object ("subscriptions", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SELECTED_MESSAGE] =
    g_param_spec_object ("selected-message", NULL, NULL,
                         ANTENNA_TYPE_MESSAGE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The log's :paused: messages are counted but not listed. */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* FALSE: the messages of a capture, nothing live to pause or clear. */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MESSAGE_ACTIVATED] =
    g_signal_new ("message-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_MESSAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-message-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, topic_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, text_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, list_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, status_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, export_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_icon_name);
  gtk_widget_class_bind_template_callback (widget_class, pause_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, empty_description);
  gtk_widget_class_bind_template_callback (widget_class, status_tooltip);

  gtk_widget_class_install_property_action (widget_class, "message-log.toggle-pause", "paused");
  gtk_widget_class_install_action (widget_class, "message-log.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "message-log.export", NULL, export_action);
}

static void
antenna_message_log_view_init (AntennaMessageLogView *self)
{
  self->live = TRUE;
  self->follow = TRUE;

  g_type_ensure (ANTENNA_TYPE_EXPORT_BAR);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->export_bar, "notify::exporting", G_CALLBACK (on_export_bar_exporting_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->export_bar, "file-chosen", G_CALLBACK (on_export_file_chosen_cb),
                           self, G_CONNECT_SWAPPED);
}

GtkWidget *
antenna_message_log_view_new (AntennaMessageLog *log,
                              GListModel        *subscriptions)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG (log), NULL);
  g_return_val_if_fail (subscriptions == NULL || G_IS_LIST_MODEL (subscriptions), NULL);

  return g_object_new (ANTENNA_TYPE_MESSAGE_LOG_VIEW,
                       "log", log,
                       "subscriptions", subscriptions,
                       NULL);
}

AntennaMessageLog *
antenna_message_log_view_get_log (AntennaMessageLogView *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self), NULL);

  return self->log;
}

AntennaMessage *
antenna_message_log_view_get_selected_message (AntennaMessageLogView *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self), NULL);

  return self->selected_message;
}

void
antenna_message_log_view_select (AntennaMessageLogView *self,
                                 guint                  position)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self));

  self->follow = FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

gboolean
antenna_message_log_view_get_live (AntennaMessageLogView *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self), FALSE);

  return self->live;
}

void
antenna_message_log_view_set_live (AntennaMessageLogView *self,
                                   gboolean               live)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self));

  live = !!live;
  if (self->live == live)
    return;

  self->live = live;
  /* Their buttons hide through the template's bindings; a shortcut finds
   * the actions off too. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message-log.toggle-pause", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message-log.clear", live);
  update_export_enabled (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

void
antenna_message_log_view_focus_filter (AntennaMessageLogView *self)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->topic_entry));
}

void
antenna_message_log_view_set_filter (AntennaMessageLogView *self,
                                     const char            *topic,
                                     const char            *text)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->topic_entry), topic != NULL ? topic : "");
  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), text != NULL ? text : "");
  on_filter_changed_cb (self);
}

gboolean
antenna_message_log_view_tick (AntennaMessageLogView *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean changed;
  guint n_items;

  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self), FALSE);

  /* A label that changes size makes the whole window lay itself out again:
   * in a flood, the counts are shown a few times a second, not every frame. */
  changed = antenna_message_log_get_total_count (self->log) != self->shown_total ||
            g_list_model_get_n_items (G_LIST_MODEL (self->log)) != self->shown_n_items;
  if (changed && now - self->status_time >= ANTENNA_COUNTS_INTERVAL_USEC)
    {
      update_status (self);
      self->status_time = now;
      changed = FALSE;
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  if (self->follow && n_items > 0 &&
      self->followed_total != antenna_message_log_get_total_count (self->log))
    {
      self->followed_total = antenna_message_log_get_total_count (self->log);
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n_items - 1);
      pin_to_bottom (self);
    }

  return changed;
}

void
antenna_message_log_view_export (AntennaMessageLogView *self,
                                 GFile                 *file,
                                 int                    format)
{
  g_autoptr(GPtrArray) messages = NULL;

  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (antenna_export_bar_get_exporting (self->export_bar))
    return;

  /* References only: the thread reads the immutable messages. */
  if (self->selected_message != NULL)
    {
      messages = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (messages, g_object_ref (self->selected_message));
    }
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->log));

      messages = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (messages, g_list_model_get_item (G_LIST_MODEL (self->log), i));
    }

  antenna_export_bar_export_messages (self->export_bar, messages, format, file);
}

gboolean
antenna_message_log_view_get_exporting (AntennaMessageLogView *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self), FALSE);

  return antenna_export_bar_get_exporting (self->export_bar);
}

const char *
antenna_message_log_view_get_export_status (AntennaMessageLogView *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self), NULL);

  return antenna_export_bar_get_status (self->export_bar);
}

static void
redraw_rows (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (ANTENNA_IS_LOG_ROW (child))
        gtk_widget_queue_draw (child);
      else
        redraw_rows (child);
    }
}

static void
on_decoder_context_changed_cb (AntennaMessageLogView *self)
{
  /* A row redrawn checks the context's generation and decodes again. */
  redraw_rows (GTK_WIDGET (self->list_view));
}

void
antenna_message_log_view_set_decoder_context (AntennaMessageLogView *self,
                                              AntennaDecoderContext *context)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG_VIEW (self));

  if (self->decoder_context != NULL)
    g_signal_handlers_disconnect_by_func (self->decoder_context, on_decoder_context_changed_cb, self);
  if (!g_set_object (&self->decoder_context, context))
    return;
  if (context != NULL)
    g_signal_connect_object (context, "changed", G_CALLBACK (on_decoder_context_changed_cb), self, G_CONNECT_SWAPPED);
  antenna_message_log_set_decoder_context (self->log, context);
}
