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

#include "antenna-counts-interval.h"
#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-message-log-view.h"
#include "antenna-payload.h"
#include "antenna-subscription.h"
#include "antenna-topic.h"

#define PREVIEW_CHARS 120

/* One row of the log, drawn as a single widget: a flood replaces the rows
 * on screen every frame, and a widget per column made that cost several
 * times more (measured: ≈250 µs per row with nine widgets). */
#define ANTENNA_TYPE_LOG_ROW (antenna_log_row_get_type ())
G_DECLARE_FINAL_TYPE (AntennaLogRow, antenna_log_row, ANTENNA, LOG_ROW, GtkWidget)

struct _AntennaLogRow
{
  GtkWidget       parent_instance;

  AntennaMessage *message;
  char           *color_name;
  char           *preview_text;
  GdkRGBA         color;
  gboolean        has_color;
  gboolean        sent;
  gboolean        retain;
  gboolean        texts_valid;  /* the layouts have the message's texts */
  PangoLayout    *time;
  PangoLayout    *topic;
  PangoLayout    *qos;
  PangoLayout    *preview;
  PangoLayout    *size;
  int             text_height;  /* from the font's metrics; 0: not known yet */
  int             topic_width;  /* natural, unwrapped; -1: not known yet */
};

G_DEFINE_FINAL_TYPE (AntennaLogRow, antenna_log_row, GTK_TYPE_WIDGET)

#define ROW_PAD_X     12
#define ROW_PAD_Y     6
#define ROW_GAP       10
#define ROW_DOT       8
#define ROW_ICON      14

/* @monospace: in the monospace font, a little smaller than the text around
 * it, as GNOME's monospace font looks bigger at the same size. */
static PangoLayout *
row_layout (GtkWidget *widget,
            gboolean   monospace)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (monospace)
    {
      pango_attr_list_insert (attrs, pango_attr_family_new ("Monospace"));
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.9));
    }
  else
    pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

static int
layout_width (PangoLayout *layout)
{
  int width;

  pango_layout_set_width (layout, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);

  return width;
}

static void
antenna_log_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  AntennaLogRow *self = ANTENNA_LOG_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 200;
  else
    {
      /* From the font, not from the texts: the list view measures every
       * row it binds (some 200 around what it shows), and laying out their
       * texts here would shape them all. */
      if (self->text_height == 0)
        {
          PangoFontMetrics *metrics = pango_context_get_metrics (gtk_widget_get_pango_context (widget),
                                                                 NULL, NULL);

          self->text_height = MAX (1, PANGO_PIXELS_CEIL (pango_font_metrics_get_height (metrics)));
          pango_font_metrics_unref (metrics);
        }
      *minimum = *natural = self->text_height + 2 * ROW_PAD_Y;
    }
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             float          x,
             int            height,
             const GdkRGBA *color)
{
  int text_height;

  pango_layout_get_pixel_size (layout, NULL, &text_height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (height - text_height) / 2.f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static GtkIconPaintable *
lookup_icon (GtkWidget  *widget,
             const char *name)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));

  return gtk_icon_theme_lookup_icon (theme, name, NULL, ROW_ICON,
                                     gtk_widget_get_scale_factor (widget),
                                     gtk_widget_get_direction (widget), 0);
}

static void
draw_icon (GtkWidget     *widget,
           GtkSnapshot   *snapshot,
           const char    *name,
           float          x,
           int            height,
           const GdkRGBA *color)
{
  g_autoptr(GtkIconPaintable) icon = lookup_icon (widget, name);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (height - ROW_ICON) / 2.f));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            ROW_ICON, ROW_ICON, color, 1);
  gtk_snapshot_restore (snapshot);
}

static void antenna_log_row_update_texts (AntennaLogRow *self);

static void
antenna_log_row_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  AntennaLogRow *self = ANTENNA_LOG_ROW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg, dim;
  float x = ROW_PAD_X;
  float right = width - ROW_PAD_X;
  int topic_width, size_width, qos_width;

  if (self->message == NULL)
    return;
  if (!self->texts_valid)
    antenna_log_row_update_texts (self);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  dim = fg;
  dim.alpha *= 0.55f;

  /* The subscription's colour, or an arrow for a message sent from here. */
  if (self->sent)
    draw_icon (widget, snapshot, "go-up-symbolic", x - 3, height, &dim);
  else if (self->has_color)
    {
      GskRoundedRect dot;

      gsk_rounded_rect_init_from_rect (&dot,
                                       &GRAPHENE_RECT_INIT (x, (height - ROW_DOT) / 2.f, ROW_DOT, ROW_DOT),
                                       ROW_DOT / 2.f);
      gtk_snapshot_push_rounded_clip (snapshot, &dot);
      gtk_snapshot_append_color (snapshot, &self->color, &dot.bounds);
      gtk_snapshot_pop (snapshot);
    }
  x += ROW_DOT + ROW_GAP;

  draw_layout (snapshot, self->time, x, height, &dim);
  x += layout_width (self->time) + ROW_GAP + 2;

  /* Size, right-aligned. */
  size_width = layout_width (self->size);
  draw_layout (snapshot, self->size, right - size_width, height, &dim);
  right -= MAX (size_width, 56) + ROW_GAP;

  /* Topic: up to a third of the row. Its natural width is measured once
   * per text: measuring it sets the layout's width and lays it out again. */
  if (self->topic_width < 0)
    self->topic_width = layout_width (self->topic);
  topic_width = MIN (self->topic_width, MAX (80, (int) ((right - x) * 0.4)));
  pango_layout_set_width (self->topic, topic_width * PANGO_SCALE);
  draw_layout (snapshot, self->topic, x, height, &fg);
  x += topic_width + ROW_GAP;

  qos_width = layout_width (self->qos);
  draw_layout (snapshot, self->qos, x, height, &dim);
  x += qos_width + ROW_GAP / 2;

  if (self->retain)
    {
      draw_icon (widget, snapshot, "view-pin-symbolic", x, height, &dim);
      x += ROW_ICON + ROW_GAP / 2;
    }
  x += ROW_GAP / 2;

  if (right - x > 20)
    {
      pango_layout_set_width (self->preview, (int) (right - x) * PANGO_SCALE);
      draw_layout (snapshot, self->preview, x, height, &fg);
    }
}

static void
antenna_log_row_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  AntennaLogRow *self = ANTENNA_LOG_ROW (widget);

  GTK_WIDGET_CLASS (antenna_log_row_parent_class)->css_changed (widget, change);

  self->text_height = 0;
  self->topic_width = -1;

  pango_layout_context_changed (self->time);
  pango_layout_context_changed (self->topic);
  pango_layout_context_changed (self->qos);
  pango_layout_context_changed (self->preview);
  pango_layout_context_changed (self->size);
}

static void
antenna_log_row_finalize (GObject *object)
{
  AntennaLogRow *self = ANTENNA_LOG_ROW (object);

  g_clear_object (&self->time);
  g_clear_object (&self->topic);
  g_clear_object (&self->qos);
  g_clear_object (&self->preview);
  g_clear_object (&self->size);
  g_clear_object (&self->message);
  g_clear_pointer (&self->color_name, g_free);
  g_clear_pointer (&self->preview_text, g_free);

  G_OBJECT_CLASS (antenna_log_row_parent_class)->finalize (object);
}

static void
antenna_log_row_class_init (AntennaLogRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = antenna_log_row_finalize;
  widget_class->measure = antenna_log_row_measure;
  widget_class->snapshot = antenna_log_row_snapshot;
  widget_class->css_changed = antenna_log_row_css_changed;

  gtk_widget_class_set_css_name (widget_class, "logrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
antenna_log_row_init (AntennaLogRow *self)
{
  PangoAttrList *bold = pango_attr_list_new ();

  self->topic_width = -1;

  self->time = row_layout (GTK_WIDGET (self), FALSE);
  self->topic = row_layout (GTK_WIDGET (self), FALSE);
  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (self->topic, bold);
  pango_attr_list_unref (bold);
  pango_layout_set_ellipsize (self->topic, PANGO_ELLIPSIZE_MIDDLE);
  self->qos = row_layout (GTK_WIDGET (self), FALSE);
  self->preview = row_layout (GTK_WIDGET (self), TRUE);
  pango_layout_set_ellipsize (self->preview, PANGO_ELLIPSIZE_END);
  self->size = row_layout (GTK_WIDGET (self), FALSE);
}

/* "HH:MM:SS" of @usec, from a one-entry cache: rows bound in the same
 * second (all of them, in a flood) share the work of GDateTime. */
static const char *
format_clock (gint64 usec)
{
  static gint64 cached_second = G_MININT64;
  static char cached[32];
  gint64 second = usec / G_USEC_PER_SEC;

  if (second != cached_second)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (second);
      g_autofree char *text = g_date_time_format (time, "%H:%M:%S");

      g_strlcpy (cached, text, sizeof cached);
      cached_second = second;
    }

  return cached;
}

/* "QoS 1": translated once, not for every row bound. */
static const char *
format_qos (int qos)
{
  static char *labels[3];

  qos = CLAMP (qos, 0, 2);
  if (labels[qos] == NULL)
    labels[qos] = g_strdup_printf (_("QoS %d"), qos);

  return labels[qos];
}

/* "64 bytes", from a one-entry cache: a flood's messages mostly share a size. */
static const char *
format_size (guint64 size)
{
  static guint64 cached_size = G_MAXUINT64;
  static char *cached;

  if (size != cached_size || cached == NULL)
    {
      g_free (cached);
      cached = antenna_payload_format_size (size);
      cached_size = size;
    }

  return cached;
}

/* The texts of the row's layouts, set when it is first drawn: the list
 * view binds some 200 rows around the few it shows. */
static void
antenna_log_row_update_texts (AntennaLogRow *self)
{
  AntennaMessage *message = self->message;
  gint64 timestamp = antenna_message_get_timestamp (message);
  char time_text[48];

  g_snprintf (time_text, sizeof time_text, "%s.%03d", format_clock (timestamp),
              (int) (timestamp % G_USEC_PER_SEC / 1000));

  pango_layout_set_text (self->time, time_text, -1);
  pango_layout_set_text (self->topic, antenna_message_get_topic (message), -1);
  self->topic_width = -1;
  pango_layout_set_text (self->qos, format_qos (antenna_message_get_qos (message)), -1);
  pango_layout_set_text (self->preview, self->preview_text, -1);
  pango_layout_set_text (self->size, format_size (antenna_message_get_size (message)), -1);
  self->texts_valid = TRUE;
}

static void
antenna_log_row_set_message (AntennaLogRow  *self,
                             AntennaMessage *message,
                             const char     *color)
{
  /* GtkListView 4.8 binds every row again when their positions move (each
   * time the log drops its oldest messages): nothing to do for those. */
  if (message == self->message && g_strcmp0 (color, self->color_name) == 0)
    return;

  g_set_object (&self->message, message);
  g_free (self->color_name);
  self->color_name = g_strdup (color);
  g_free (self->preview_text);
  self->preview_text = antenna_payload_preview_line (antenna_message_get_payload (message), PREVIEW_CHARS);

  self->sent = antenna_message_get_direction (message) == ANTENNA_MESSAGE_SENT;
  self->retain = antenna_message_get_retain (message);
  self->has_color = color != NULL && gdk_rgba_parse (&self->color, color);
  self->texts_valid = FALSE;

  /* A screen reader reads the topic, then the payload. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, antenna_message_get_topic (message),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->preview_text,
                                  -1);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

struct _AntennaMessageLogView
{
  AdwBin              parent_instance;

  AntennaMessageLog  *log;
  GListModel         *subscriptions;
  GtkSingleSelection *selection;
  AntennaMessage     *selected_message;
  gboolean            follow;
  guint64             followed_total;
  guint64             shown_total;
  guint               shown_n_items;
  gboolean            shown_paused;
  gboolean            status_valid;
  gint64              status_time;

  GtkSearchEntry     *topic_entry;
  GtkSearchEntry     *text_entry;
  GtkToggleButton    *pause_button;
  GtkStack           *stack;
  GtkScrolledWindow  *scrolled_window;
  GtkListView        *list_view;
  GtkLabel           *status_label;
};

enum {
  PROP_0,
  PROP_LOG,
  PROP_SUBSCRIPTIONS,
  PROP_SELECTED_MESSAGE,
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
  gtk_list_item_set_child (item, g_object_new (ANTENNA_TYPE_LOG_ROW, NULL));
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

  received = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%" PRIu64 " message",
                                           "%" PRIu64 " messages",
                                           total > G_MAXULONG ? G_MAXULONG : (gulong) total),
                              total);
  shown = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shown", "%u shown", n_items), n_items);

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

static void
toggle_pause_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AntennaMessageLogView *self = ANTENNA_MESSAGE_LOG_VIEW (widget);
  gboolean paused = !antenna_message_log_get_paused (self->log);

  antenna_message_log_set_paused (self->log, paused);
  gtk_toggle_button_set_active (self->pause_button, paused);
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button),
                            paused ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button),
                               paused ? _("Resume the Log") : _("Pause the Log (Messages Are Still Counted)"));
  update_status (self);
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

static void
antenna_message_log_view_constructed (GObject *object)
{
  AntennaMessageLogView *self = ANTENNA_MESSAGE_LOG_VIEW (object);
  GtkListItemFactory *factory;
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

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (on_value_changed_cb), self,
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
    gtk_list_view_set_model (self->list_view, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_MESSAGE_LOG_VIEW);

  g_clear_object (&self->selection);
  g_clear_object (&self->selected_message);
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
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, list_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageLogView, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);

  gtk_widget_class_install_action (widget_class, "message-log.toggle-pause", NULL, toggle_pause_action);
  gtk_widget_class_install_action (widget_class, "message-log.clear", NULL, clear_action);
}

static void
antenna_message_log_view_init (AntennaMessageLogView *self)
{
  self->follow = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
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
    }

  return changed;
}
