/* antenna-log-row.c
 *
 * One row of the message log, drawn as a single widget: a flood replaces the
 * rows on screen every frame, and a widget per column made that cost several
 * times more (measured: ≈250 µs per row with nine widgets).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-log-row"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-accessible.h"
#include "antenna-log-row.h"
#include "antenna-message.h"
#include "antenna-decoder-context.h"
#include "antenna-payload.h"

#define PREVIEW_CHARS 120

#define ROW_PAD_X     12
#define ROW_PAD_Y     6
#define ROW_GAP       10
#define ROW_DOT       8
#define ROW_ICON      14

struct _AntennaLogRow
{
  GtkWidget       parent_instance;

  /* Owned References */
  AntennaMessage *message;
  AntennaDecoderContext *context;
  char           *color_name;
  char           *preview_text;
  char           *decoded_text; /* the decoded value's preview, when claimed */
  PangoLayout    *time;
  PangoLayout    *topic;
  PangoLayout    *qos;
  PangoLayout    *preview;
  PangoLayout    *size;

  GdkRGBA         color;
  gboolean        has_color;
  gboolean        sent;
  gboolean        retain;
  gboolean        texts_valid;  /* the layouts have the message's texts */
  gboolean        claimed;      /* a rule or Sparkplug decodes the preview */
  guint           generation;   /* of the context, for the decoded preview */
  int             text_height;  /* from the font's metrics; 0: not known yet */
  int             topic_width;  /* natural, unwrapped; -1: not known yet */
};

G_DEFINE_FINAL_TYPE (AntennaLogRow, antenna_log_row, GTK_TYPE_WIDGET)

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
  /* A payload the connection decodes (a rule, Sparkplug) previews its
   * value; only rows drawn decode, and the message keeps the line. */
  g_clear_pointer (&self->decoded_text, g_free);
  if (self->claimed)
    self->decoded_text = antenna_decoder_context_dup_preview (self->context, message, PREVIEW_CHARS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, antenna_log_row_get_preview (self),
                                  -1);
  pango_layout_set_text (self->preview, antenna_log_row_get_preview (self), -1);
  pango_layout_set_text (self->size, format_size (antenna_message_get_size (message)), -1);
  self->texts_valid = TRUE;
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
  /* The connection's rules changed since: claimed or not anew. */
  if (self->context != NULL && self->generation != antenna_decoder_context_get_generation (self->context))
    {
      self->generation = antenna_decoder_context_get_generation (self->context);
      self->claimed = antenna_decoder_context_claim (self->context, antenna_message_get_topic (self->message), NULL) != NULL;
      self->texts_valid = FALSE;
    }
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
  g_clear_object (&self->context);
  g_clear_pointer (&self->color_name, g_free);
  g_clear_pointer (&self->preview_text, g_free);
  g_clear_pointer (&self->decoded_text, g_free);

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

GtkWidget *
antenna_log_row_new (void)
{
  return g_object_new (ANTENNA_TYPE_LOG_ROW, NULL);
}

void
antenna_log_row_set_message (AntennaLogRow  *self,
                             AntennaMessage *message,
                             const char     *color)
{
  g_return_if_fail (ANTENNA_IS_LOG_ROW (self));
  g_return_if_fail (ANTENNA_IS_MESSAGE (message));

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
  self->claimed = self->context != NULL &&
                  antenna_decoder_context_claim (self->context, antenna_message_get_topic (message), NULL) != NULL;
  if (self->context != NULL)
    self->generation = antenna_decoder_context_get_generation (self->context);

  /* A screen reader reads the topic, then the payload; on the list's row
   * (GTK 4.8 reads the row, not its child), the time, topic and payload. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, antenna_message_get_topic (message),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->preview_text,
                                  -1);
  {
    gint64 timestamp = antenna_message_get_timestamp (message);
    g_autofree char *row_label = g_strdup_printf ("%s, %s, %s", format_clock (timestamp),
                                                  antenna_message_get_topic (message),
                                                  self->preview_text);

    antenna_accessible_set_row_label (GTK_WIDGET (self), row_label);
  }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
antenna_log_row_set_decoder_context (AntennaLogRow         *self,
                                     AntennaDecoderContext *context)
{
  g_return_if_fail (ANTENNA_IS_LOG_ROW (self));

  if (g_set_object (&self->context, context))
    {
      self->texts_valid = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

const char *
antenna_log_row_get_preview (AntennaLogRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_LOG_ROW (self), NULL);

  return self->decoded_text != NULL ? self->decoded_text : self->preview_text;
}
