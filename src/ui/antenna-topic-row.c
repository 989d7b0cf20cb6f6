/* antenna-topic-row.c
 *
 * A row follows its node's notify, which the tree emits at most once per
 * flush (once per frame), and only for the rows on screen. Its highlight
 * and "time since" label age in antenna_topic_row_tick(), driven by the
 * page's single tick callback through the view: no timer per row or per
 * message. A recorded row (a capture's) shows instead the clock time of its
 * topic's last message, as the log's rows do: counted from now, a capture
 * recorded yesterday would say "1 d" on every row, and keep ticking.
 *
 * No template: GtkListView 4.8 makes a new row (setup, then teardown when
 * it leaves) for every item that enters the range it shows, so a flood of
 * new topics in an expanded level makes rows every frame, and instantiating
 * the same widgets from a template measured about a quarter slower than
 * building them here (≈100 µs against ≈80 µs per row).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-topic-row"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-accessible.h"
#include "antenna-decoder-context.h"
#include "antenna-message.h"
#include "antenna-payload.h"
#include "antenna-rate-text.h"
#include "antenna-topic-row.h"
#include "antenna-topic-tree.h"

#define HIGHLIGHT_USEC     (700 * G_USEC_PER_SEC / 1000)
#define PREVIEW_CHARS      80

/* A row's labels changing size make the whole window lay itself out again:
 * in a flood, a busy row is refreshed a few times a second, not every
 * frame; the view's tick refreshes it when its turn comes. */
#define ROW_INTERVAL_USEC  (G_USEC_PER_SEC / 8)

struct _AntennaTopicRow
{
  GtkBox            parent_instance;

  /* Borrowed References (children) */
  GtkLabel         *segment;
  GtkWidget        *retained;
  GtkLabel         *preview;
  GtkLabel         *time;
  GtkLabel         *rate;
  GtkLabel         *count;

  /* Owned References */
  AntennaTopicNode *node;
  AntennaDecoderContext *context;

  gulong            notify_id;
  gint64            highlight_until;
  gint64            last_time;
  gint64            updated_at;  /* monotonic, of the last update the tree notified */
  gboolean          changed;     /* notified since, waiting for its turn */
  gboolean          recorded;    /* a capture's: the time of day, which never ages */
};

G_DEFINE_FINAL_TYPE (AntennaTopicRow, antenna_topic_row, GTK_TYPE_BOX)

static gint64
node_get_last_time (AntennaTopicNode *node)
{
  gint64 last_time = 0;

  g_object_get (node, "last-time", &last_time, NULL);

  return last_time;
}

static char *
format_age (gint64 now,
            gint64 then)
{
  gint64 seconds;

  if (then <= 0)
    return g_strdup ("");

  seconds = MAX (0, (now - then) / G_USEC_PER_SEC);

  if (seconds < 1)
    return g_strdup (_("now"));
  if (seconds < 60)
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min"), (int) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (_("%d h"), (int) (seconds / 3600));
  return g_strdup_printf (_("%d d"), (int) (seconds / 86400));
}

/* "HH:MM:SS", local, as the log's rows show a message's time: a person
 * finds the topic's last message in the log by it. */
static char *
format_clock (gint64 then)
{
  g_autoptr(GDateTime) time = NULL;

  if (then <= 0)
    return g_strdup ("");

  time = g_date_time_new_from_unix_local (then / G_USEC_PER_SEC);
  return time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("");
}

/* Recorded, the date too: a capture may span days, and the label has the
 * clock time only, as the log's rows. */
static void
update_time_tooltip (AntennaTopicRow *self)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *date = NULL;
  g_autofree char *tooltip = NULL;

  if (!self->recorded)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->time), _("Time since the last message on this topic"));
      return;
    }

  if (self->last_time > 0)
    time = g_date_time_new_from_unix_local (self->last_time / G_USEC_PER_SEC);
  if (time != NULL)
    {
      date = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
      /* Translators: %s is a date and a time, such as 2026-12-06 12:43:51. */
      tooltip = g_strdup_printf (_("The last message on this topic was recorded at %s"), date);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->time), tooltip);
}

/* The rate ages like the time: both change every second. */
static void
update_time (AntennaTopicRow *self,
             gint64           now)
{
  g_autofree char *time = self->recorded ? format_clock (self->last_time)
                                         : format_age (now, self->last_time);
  char rate[32];

  if (g_strcmp0 (gtk_label_get_label (self->time), time) != 0)
    {
      gtk_label_set_label (self->time, time);
      if (self->recorded)
        update_time_tooltip (self);
    }

  antenna_rate_text (self->node ? antenna_topic_node_get_rate (self->node) : 0, rate);
  if (g_strcmp0 (gtk_label_get_label (self->rate), rate) != 0)
    gtk_label_set_label (self->rate, rate);
  gtk_widget_set_visible (GTK_WIDGET (self->rate), rate[0] != '\0');
}

static void
update (AntennaTopicRow *self,
        gboolean         changed)
{
  AntennaTopicNode *node = self->node;
  AntennaMessage *message = antenna_topic_node_get_last_message (node);
  GtkWidget *expander = gtk_widget_get_parent (GTK_WIDGET (self));
  char count[32];
  gint64 now = g_get_real_time ();
  guint64 n_messages = antenna_topic_node_get_subtree_count (node);
  g_autofree char *preview = NULL;
  g_autofree char *accessible_label = NULL;

  gtk_label_set_label (self->segment, antenna_topic_node_get_segment (node));

  /* With the locale's thousands grouping: 12,345 (en_US), 12.345 (es_ES). */
  g_snprintf (count, sizeof count, "%'" G_GUINT64_FORMAT, n_messages);
  gtk_label_set_label (self->count, count);

  gtk_widget_set_visible (self->retained, antenna_topic_node_get_retained (node));

  if (antenna_topic_node_get_has_children (node))
    gtk_widget_remove_css_class (expander, "leaf");
  else
    gtk_widget_add_css_class (expander, "leaf");

  if (message != NULL && antenna_topic_node_get_message_count (node) > 0)
    {
      /* A payload the connection decodes (a rule, Sparkplug) previews its
       * value; the message keeps the line. */
      if (self->context != NULL &&
          antenna_decoder_context_claim (self->context, antenna_message_get_topic (message), NULL) != NULL)
        preview = antenna_decoder_context_dup_preview (self->context, message, PREVIEW_CHARS);
      else
        preview = antenna_payload_preview_line (antenna_message_get_payload (message), PREVIEW_CHARS);
    }
  gtk_label_set_label (self->preview, preview != NULL ? preview : "");

  /* What a screen reader says for the row: topic, value, count. */
  if (preview != NULL)
    accessible_label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     /* Translators: a topic, its last payload, its count of messages. */
                                                     "%s, %s, %s message", "%s, %s, %s messages",
                                                     n_messages),
                                        antenna_topic_node_get_topic (node), preview, count);
  else
    accessible_label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     /* Translators: a topic (with no message of its own), the count of messages below it. */
                                                     "%s, %s message", "%s, %s messages",
                                                     n_messages),
                                        antenna_topic_node_get_topic (node), count);
  antenna_accessible_set_row_label (GTK_WIDGET (self), accessible_label);

  self->last_time = node_get_last_time (node);
  update_time (self, now);

  /* Only a change the tree notified (in a flush, inside the page's tick,
   * which then keeps ticking until the highlight is gone); a row bound
   * later in the frame would have nobody to clear it. */
  if (changed)
    {
      self->highlight_until = g_get_monotonic_time () + HIGHLIGHT_USEC;
      gtk_widget_add_css_class (GTK_WIDGET (self), "recent");
    }
}

static gboolean
refresh (AntennaTopicRow *self,
         gint64           monotonic)
{
  if (monotonic - self->updated_at < ROW_INTERVAL_USEC)
    return FALSE;

  self->changed = FALSE;
  self->updated_at = monotonic;
  update (self, TRUE);

  return TRUE;
}

static void
on_node_notify_cb (AntennaTopicRow *self,
                   GParamSpec      *pspec,
                   GObject         *node)
{
  gint64 monotonic = g_get_monotonic_time ();

  /* The tree notifies several properties of a node in one flush; the first
   * one refreshes the whole row (or marks it for later), the others find it
   * just refreshed. */
  if (self->changed || monotonic - self->updated_at < 1000)
    return;

  self->changed = TRUE;
  refresh (self, monotonic);
}

static void
antenna_topic_row_dispose (GObject *object)
{
  AntennaTopicRow *self = ANTENNA_TOPIC_ROW (object);

  antenna_topic_row_unbind (self);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (antenna_topic_row_parent_class)->dispose (object);
}

static void
antenna_topic_row_class_init (AntennaTopicRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = antenna_topic_row_dispose;
}

static void
antenna_topic_row_init (AntennaTopicRow *self)
{
  GtkBox *box = GTK_BOX (self);
  GtkWidget *widget;

  gtk_box_set_spacing (box, 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "topic-row");

  widget = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (widget), 0);
  gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (widget), 28);
  gtk_widget_add_css_class (widget, "topic-segment");
  gtk_box_append (box, widget);
  self->segment = GTK_LABEL (widget);

  widget = gtk_image_new_from_icon_name ("view-pin-symbolic");
  gtk_widget_set_tooltip_text (widget, _("The broker holds a retained message on this topic"));
  gtk_widget_add_css_class (widget, "dim-label");
  gtk_box_append (box, widget);
  self->retained = widget;

  widget = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (widget), 0);
  gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (widget), TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_add_css_class (widget, "dim-label");
  gtk_widget_add_css_class (widget, "monospace");
  gtk_widget_add_css_class (widget, "caption");
  gtk_box_append (box, widget);
  self->preview = GTK_LABEL (widget);

  widget = gtk_label_new (NULL);
  gtk_widget_add_css_class (widget, "dim-label");
  gtk_widget_add_css_class (widget, "caption");
  gtk_widget_add_css_class (widget, "numeric");
  gtk_box_append (box, widget);
  self->time = GTK_LABEL (widget);
  update_time_tooltip (self);

  widget = gtk_label_new (NULL);
  gtk_widget_set_tooltip_text (widget, _("Messages per second on this topic and below, over the last 5 seconds"));
  gtk_widget_set_visible (widget, FALSE);
  gtk_widget_add_css_class (widget, "dim-label");
  gtk_widget_add_css_class (widget, "caption");
  gtk_widget_add_css_class (widget, "numeric");
  gtk_widget_add_css_class (widget, "topic-rate");
  gtk_box_append (box, widget);
  self->rate = GTK_LABEL (widget);

  widget = gtk_label_new (NULL);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (widget, "count-badge");
  gtk_widget_add_css_class (widget, "numeric");
  gtk_box_append (box, widget);
  self->count = GTK_LABEL (widget);
}

GtkWidget *
antenna_topic_row_new (void)
{
  return g_object_new (ANTENNA_TYPE_TOPIC_ROW, NULL);
}

void
antenna_topic_row_bind (AntennaTopicRow  *self,
                        AntennaTopicNode *node)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_ROW (self));
  g_return_if_fail (ANTENNA_IS_TOPIC_NODE (node));
  g_return_if_fail (GTK_IS_WIDGET (gtk_widget_get_parent (GTK_WIDGET (self))));

  antenna_topic_row_unbind (self);

  self->node = g_object_ref (node);
  self->notify_id = g_signal_connect_swapped (node, "notify",
                                              G_CALLBACK (on_node_notify_cb), self);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "recent");
  self->highlight_until = 0;
  self->changed = FALSE;
  self->updated_at = 0;

  update (self, FALSE);
}

void
antenna_topic_row_unbind (AntennaTopicRow *self)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_ROW (self));

  if (self->node != NULL)
    g_clear_signal_handler (&self->notify_id, self->node);
  g_clear_object (&self->node);
}

gboolean
antenna_topic_row_tick (AntennaTopicRow *self,
                        gint64           monotonic,
                        gint64           now,
                        gboolean         new_second)
{
  gboolean pending = FALSE;

  g_return_val_if_fail (ANTENNA_IS_TOPIC_ROW (self), FALSE);

  if (self->changed && !refresh (self, monotonic))
    pending = TRUE;

  if (self->highlight_until != 0 && monotonic >= self->highlight_until)
    {
      self->highlight_until = 0;
      gtk_widget_remove_css_class (GTK_WIDGET (self), "recent");
    }

  /* A recorded time never ages. */
  if (new_second && !self->recorded)
    update_time (self, now);

  return pending || self->highlight_until != 0;
}

void
antenna_topic_row_set_decoder_context (AntennaTopicRow       *self,
                                       AntennaDecoderContext *context)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_ROW (self));

  g_set_object (&self->context, context);
}

void
antenna_topic_row_set_recorded (AntennaTopicRow *self,
                                gboolean         recorded)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_ROW (self));

  recorded = !!recorded;
  if (self->recorded == recorded)
    return;

  self->recorded = recorded;
  update_time (self, g_get_real_time ());
  update_time_tooltip (self);
}

const char *
antenna_topic_row_get_time_text (AntennaTopicRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_ROW (self), NULL);

  return gtk_label_get_label (self->time);
}

void
antenna_topic_row_redecode (AntennaTopicRow *self)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_ROW (self));

  if (self->node != NULL)
    update (self, FALSE);
}
