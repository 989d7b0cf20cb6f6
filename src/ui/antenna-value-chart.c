/* antenna-value-chart.c
 *
 * The chart keeps one entry per message of the model (NaN when the message
 * holds no number) and follows the model's items-changed incrementally, so a
 * topic flooding messages costs a parse of each new message only, never a
 * pass over the whole history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-value-chart"

#include "config.h"

#include <json-glib/json-glib.h>

#include "antenna-decoder.h"
#include "antenna-decoder-context.h"
#include <math.h>
#include <string.h>

#include "antenna-message.h"
#include "antenna-value-chart.h"

/* Payloads bigger than this are not parsed for a number. */
#define MAX_PARSE_BYTES (64 * 1024)
#define MARGIN_LEFT   56.f
#define MARGIN_RIGHT  12.f
#define MARGIN_TOP    12.f
#define MARGIN_BOTTOM 24.f

typedef struct
{
  gint64 time;
  double value;
} Point;

struct _AntennaValueChart
{
  GtkWidget   parent_instance;

  /* Owned References */
  GListModel *messages;
  char       *field;
  AntennaDecoderContext *decoder_context;  /* nullable */
  GArray     *points;    /* of Point, one per message; NaN: no number */

  guint       n_points;  /* points that are numbers */
};

enum {
  PROP_0,
  PROP_MESSAGES,
  PROP_FIELD,
  PROP_N_POINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaValueChart, antenna_value_chart, GTK_TYPE_WIDGET)

static gboolean
parse_number (const char *text,
              double     *value)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double v;

  if (copy[0] == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (copy, "true") == 0 || g_ascii_strcasecmp (copy, "on") == 0)
    {
      *value = 1;
      return TRUE;
    }
  if (g_ascii_strcasecmp (copy, "false") == 0 || g_ascii_strcasecmp (copy, "off") == 0)
    {
      *value = 0;
      return TRUE;
    }

  v = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (v))
    return FALSE;

  *value = v;
  return TRUE;
}

gboolean
antenna_value_chart_extract (GBytes     *payload,
                             const char *field,
                             double     *value)
{
  g_autoptr(JsonParser) parser = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *text = NULL;
  const char *data;
  JsonNode *node;
  gsize size;

  g_return_val_if_fail (value != NULL, FALSE);

  if (payload == NULL)
    return FALSE;

  data = g_bytes_get_data (payload, &size);
  if (size == 0 || size > MAX_PARSE_BYTES || !g_utf8_validate (data, size, NULL))
    return FALSE;

  if (field == NULL || field[0] == '\0')
    {
      text = g_strndup (data, size);
      return parse_number (text, value);
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, NULL))
    return FALSE;

  node = json_parser_get_root (parser);
  parts = g_strsplit (field, ".", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);

          node = json_object_has_member (object, parts[i])
                 ? json_object_get_member (object, parts[i]) : NULL;
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index;

          if (!g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT, &index, NULL) ||
              index >= json_array_get_length (array))
            node = NULL;
          else
            node = json_array_get_element (array, index);
        }
      else
        node = NULL;
    }

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return TRUE;

    case G_TYPE_BOOLEAN:
      *value = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;

    case G_TYPE_STRING:
      return parse_number (json_node_get_string (node), value);

    default:
      return FALSE;
    }
}

/* "values.0" (the JSON field syntax) as antenna_value_lookup_path() reads
 * it: "values[0]". */
static char *
value_path (const char *field)
{
  g_auto(GStrv) parts = g_strsplit (field, ".", -1);
  GString *path = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean digits = parts[i][0] != '\0';

      for (const char *p = parts[i]; *p != '\0'; p++)
        digits &= g_ascii_isdigit (*p);
      if (digits)
        g_string_append_printf (path, "[%s]", parts[i]);
      else
        g_string_append_printf (path, "%s%s", path->len > 0 ? "." : "", parts[i]);
    }
  return g_string_free (path, FALSE);
}

/* The number at @field of a decoded value (the whole value when empty). */
static gboolean
extract_from_value (AntennaValue *value,
                    const char   *field,
                    double       *number)
{
  AntennaValue *node = value;

  if (field != NULL && field[0] != '\0')
    {
      node = antenna_value_lookup_path (value, field);
      if (node == NULL)
        {
          g_autofree char *path = value_path (field);

          node = antenna_value_lookup_path (value, path);
        }
    }
  if (node == NULL)
    return FALSE;

  switch (antenna_value_get_kind (node))
    {
    case ANTENNA_VALUE_BOOL:
      *number = antenna_value_get_bool (node) ? 1 : 0;
      return TRUE;
    case ANTENNA_VALUE_INT:
    case ANTENNA_VALUE_UINT:
    case ANTENNA_VALUE_DOUBLE:
      return antenna_value_get_number (node, number) && isfinite (*number);
    case ANTENNA_VALUE_STRING:
      return parse_number (antenna_value_get_string (node, NULL), number);
    case ANTENNA_VALUE_NULL:
    case ANTENNA_VALUE_BYTES:
    case ANTENNA_VALUE_TIMESTAMP:
    case ANTENNA_VALUE_ARRAY:
    case ANTENNA_VALUE_MAP:
    default:
      return FALSE;
    }
}

/* A message a rule or Sparkplug decodes is read from its decoded value,
 * any other as its payload's text or JSON. */
static gboolean
extract_from_message (AntennaValueChart *self,
                      AntennaMessage    *message,
                      double            *number)
{
  if (self->decoder_context != NULL &&
      antenna_decoder_context_claim (self->decoder_context, antenna_message_get_topic (message), NULL) != NULL)
    {
      g_autoptr(AntennaDecoded) decoded = antenna_decoder_context_decode_for_view (self->decoder_context, message, NULL);

      return decoded != NULL && extract_from_value (antenna_decoded_get_value (decoded), self->field, number);
    }

  return antenna_value_chart_extract (antenna_message_get_payload (message), self->field, number);
}

static void
read_points (AntennaValueChart *self,
             guint              position,
             guint              removed,
             guint              added)
{
  guint old_n_points = self->n_points;

  for (guint i = position; i < position + removed && i < self->points->len; i++)
    if (!isnan (g_array_index (self->points, Point, i).value))
      self->n_points--;

  if (removed > 0)
    g_array_remove_range (self->points, position, MIN (removed, self->points->len - position));

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(AntennaMessage) message = g_list_model_get_item (self->messages, position + i);
      Point point = { antenna_message_get_timestamp (message), NAN };

      if (extract_from_message (self, message, &point.value))
        self->n_points++;
      else
        point.value = NAN;

      g_array_insert_val (self->points, position + i, point);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (old_n_points != self->n_points)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
}

static void
reload (AntennaValueChart *self)
{
  guint n = self->messages != NULL ? g_list_model_get_n_items (self->messages) : 0;

  read_points (self, 0, self->points->len, n);
}

static void
on_messages_items_changed_cb (AntennaValueChart *self,
                              guint              position,
                              guint              removed,
                              guint              added,
                              GListModel        *model)
{
  read_points (self, position, removed, added);
}

static char *
format_value (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (fabs (value) >= 1e6 || (value != 0 && fabs (value) < 1e-3))
    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.3g", value));

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.6g", value));
}

static void
append_label (GtkWidget   *widget,
              GtkSnapshot *snapshot,
              const char  *text,
              float        x,
              float        y,
              gboolean     align_right,
              const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (align_right ? x - width : x - width / 2.f,
                                                y - height / 2.f));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
antenna_value_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  AntennaValueChart *self = ANTENNA_VALUE_CHART (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float plot_w = width - MARGIN_LEFT - MARGIN_RIGHT;
  float plot_h = height - MARGIN_TOP - MARGIN_BOTTOM;
  GdkRGBA fg, grid, accent;
  double min_v, max_v;
  gint64 min_t, max_t;
  cairo_t *cr;

  const Point *first_point = NULL;
  guint drawn = 0;

  if (self->n_points == 0 || plot_w < 20 || plot_h < 20)
    return;

  gtk_style_context_get_color (style, &fg);
  grid = fg;
  grid.alpha = 0.12f;
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");

  for (guint i = 0; i < self->points->len && first_point == NULL; i++)
    if (!isnan (g_array_index (self->points, Point, i).value))
      first_point = &g_array_index (self->points, Point, i);

  min_v = max_v = first_point->value;
  min_t = max_t = first_point->time;
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (isnan (p->value))
        continue;

      min_v = MIN (min_v, p->value);
      max_v = MAX (max_v, p->value);
      min_t = MIN (min_t, p->time);
      max_t = MAX (max_t, p->time);
    }
  if (max_v - min_v < 1e-12)
    {
      double pad = fabs (max_v) > 0 ? fabs (max_v) * 0.1 : 1;

      min_v -= pad;
      max_v += pad;
    }
  if (max_t == min_t)
    max_t = min_t + 1;

  /* Grid: 4 horizontal lines with their values. */
  for (guint i = 0; i <= 4; i++)
    {
      float y = MARGIN_TOP + plot_h * i / 4.f;
      g_autofree char *label = format_value (max_v - (max_v - min_v) * i / 4.0);
      GdkRGBA dim = fg;

      dim.alpha = 0.6f;
      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (MARGIN_LEFT, y, plot_w, 1));
      append_label (widget, snapshot, label, MARGIN_LEFT - 6, y, TRUE, &dim);
    }

  /* Time labels at both ends. */
  {
    g_autoptr(GDateTime) first = g_date_time_new_from_unix_local ((min_t) / G_USEC_PER_SEC);
    g_autoptr(GDateTime) last = g_date_time_new_from_unix_local ((max_t) / G_USEC_PER_SEC);
    g_autofree char *first_text = g_date_time_format (first, "%X");
    g_autofree char *last_text = g_date_time_format (last, "%X");
    GdkRGBA dim = fg;

    dim.alpha = 0.6f;
    append_label (widget, snapshot, first_text, MARGIN_LEFT + 30, height - MARGIN_BOTTOM / 2.f, FALSE, &dim);
    append_label (widget, snapshot, last_text, width - MARGIN_RIGHT - 30, height - MARGIN_BOTTOM / 2.f, FALSE, &dim);
  }

  /* The line and its points. */
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (MARGIN_LEFT - 4, MARGIN_TOP - 4,
                                                       plot_w + 8, plot_h + 8));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, 2);
  gdk_cairo_set_source_rgba (cr, &accent);

  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);
      double x = MARGIN_LEFT + plot_w * (double) (p->time - min_t) / (double) (max_t - min_t);
      double y = MARGIN_TOP + plot_h * (1 - (p->value - min_v) / (max_v - min_v));

      if (isnan (p->value))
        continue;

      if (self->n_points == 1)
        x = MARGIN_LEFT + plot_w / 2;

      if (drawn++ == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);

  if (self->n_points <= 200)
    {
      for (guint i = 0; i < self->points->len; i++)
        {
          const Point *p = &g_array_index (self->points, Point, i);
          double x = MARGIN_LEFT + plot_w * (double) (p->time - min_t) / (double) (max_t - min_t);
          double y = MARGIN_TOP + plot_h * (1 - (p->value - min_v) / (max_v - min_v));

          if (isnan (p->value))
            continue;

          if (self->n_points == 1)
            x = MARGIN_LEFT + plot_w / 2;

          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, 3, 0, 2 * G_PI);
        }
      cairo_fill (cr);
    }

  cairo_destroy (cr);
}

static void
antenna_value_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 100;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 400 : 200;
}

static void
antenna_value_chart_dispose (GObject *object)
{
  AntennaValueChart *self = ANTENNA_VALUE_CHART (object);

  if (self->messages != NULL)
    g_signal_handlers_disconnect_by_func (self->messages, on_messages_items_changed_cb, self);
  g_clear_object (&self->messages);

  G_OBJECT_CLASS (antenna_value_chart_parent_class)->dispose (object);
}

static void
antenna_value_chart_finalize (GObject *object)
{
  AntennaValueChart *self = ANTENNA_VALUE_CHART (object);

  g_clear_pointer (&self->field, g_free);
  if (self->decoder_context != NULL)
    g_signal_handlers_disconnect_by_data (self->decoder_context, self);
  g_clear_object (&self->decoder_context);
  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (antenna_value_chart_parent_class)->finalize (object);
}

static void
antenna_value_chart_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AntennaValueChart *self = ANTENNA_VALUE_CHART (object);

  switch (prop_id)
    {
    case PROP_MESSAGES:
      g_value_set_object (value, self->messages);
      break;

    case PROP_FIELD:
      g_value_set_string (value, self->field);
      break;

    case PROP_N_POINTS:
      g_value_set_uint (value, antenna_value_chart_get_n_points (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_value_chart_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AntennaValueChart *self = ANTENNA_VALUE_CHART (object);

  switch (prop_id)
    {
    case PROP_MESSAGES:
      antenna_value_chart_set_messages (self, g_value_get_object (value));
      break;

    case PROP_FIELD:
      antenna_value_chart_set_field (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_value_chart_class_init (AntennaValueChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_value_chart_dispose;
  object_class->finalize = antenna_value_chart_finalize;
  object_class->get_property = antenna_value_chart_get_property;
  object_class->set_property = antenna_value_chart_set_property;

  widget_class->snapshot = antenna_value_chart_snapshot;
  widget_class->measure = antenna_value_chart_measure;

  properties[PROP_MESSAGES] =
    g_param_spec_object ("messages", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FIELD] =
    g_param_spec_string ("field", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "valuechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
antenna_value_chart_init (AntennaValueChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  self->field = g_strdup ("");
}

GtkWidget *
antenna_value_chart_new (void)
{
  return g_object_new (ANTENNA_TYPE_VALUE_CHART, NULL);
}

GListModel *
antenna_value_chart_get_messages (AntennaValueChart *self)
{
  g_return_val_if_fail (ANTENNA_IS_VALUE_CHART (self), NULL);

  return self->messages;
}

void
antenna_value_chart_set_messages (AntennaValueChart *self,
                                  GListModel        *messages)
{
  g_return_if_fail (ANTENNA_IS_VALUE_CHART (self));
  g_return_if_fail (messages == NULL || G_IS_LIST_MODEL (messages));

  if (self->messages == messages)
    return;

  if (self->messages != NULL)
    g_signal_handlers_disconnect_by_func (self->messages, on_messages_items_changed_cb, self);

  g_set_object (&self->messages, messages);

  if (messages != NULL)
    g_signal_connect_object (messages, "items-changed",
                             G_CALLBACK (on_messages_items_changed_cb), self,
                             G_CONNECT_SWAPPED);

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES]);
}

const char *
antenna_value_chart_get_field (AntennaValueChart *self)
{
  g_return_val_if_fail (ANTENNA_IS_VALUE_CHART (self), NULL);

  return self->field;
}

void
antenna_value_chart_set_field (AntennaValueChart *self,
                               const char        *field)
{
  g_return_if_fail (ANTENNA_IS_VALUE_CHART (self));

  if (field == NULL)
    field = "";

  if (g_strcmp0 (self->field, field) == 0)
    return;

  g_free (self->field);
  self->field = g_strdup (field);

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIELD]);
}

guint
antenna_value_chart_get_n_points (AntennaValueChart *self)
{
  g_return_val_if_fail (ANTENNA_IS_VALUE_CHART (self), 0);

  return self->n_points;
}

void
antenna_value_chart_set_decoder_context (AntennaValueChart     *self,
                                         AntennaDecoderContext *context)
{
  g_return_if_fail (ANTENNA_IS_VALUE_CHART (self));

  if (self->decoder_context != NULL)
    g_signal_handlers_disconnect_by_func (self->decoder_context, reload, self);
  if (!g_set_object (&self->decoder_context, context))
    return;
  if (context != NULL)
    g_signal_connect_object (context, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  reload (self);
}
