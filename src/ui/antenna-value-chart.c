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

/* Series: the fields of :field, separated by commas ("t, h.v"). */
#define MAX_SERIES 6

typedef struct
{
  gint64 time;
  double value[MAX_SERIES];  /* NaN: no number for that series */
} Point;

struct _AntennaValueChart
{
  GtkWidget   parent_instance;

  /* Owned References */
  GListModel *messages;
  char       *field;
  GStrv       fields;    /* :field split, stripped; one empty: the payload */
  guint       n_series;
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
static void
extract_from_message (AntennaValueChart *self,
                      AntennaMessage    *message,
                      double            *values)
{
  g_autoptr(AntennaDecoded) decoded = NULL;
  gboolean claimed = self->decoder_context != NULL &&
                     antenna_decoder_context_claim (self->decoder_context, antenna_message_get_topic (message), NULL) != NULL;

  /* Decoded once for all the series. */
  if (claimed)
    decoded = antenna_decoder_context_decode_for_view (self->decoder_context, message, NULL);

  for (guint s = 0; s < MAX_SERIES; s++)
    {
      gboolean found = FALSE;

      if (s < self->n_series && claimed)
        found = decoded != NULL && extract_from_value (antenna_decoded_get_value (decoded), self->fields[s], &values[s]);
      else if (s < self->n_series)
        found = antenna_value_chart_extract (antenna_message_get_payload (message), self->fields[s], &values[s]);
      if (!found)
        values[s] = NAN;
    }
}

static void
collect_fields (JsonNode   *node,
                const char *path,
                GPtrArray  *fields)
{
  if (fields->len >= 64)
    return;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child = path[0] != '\0' ? g_strconcat (path, ".", l->data, NULL) : g_strdup (l->data);

          /* A member with a dot in its name cannot be named by a path. */
          if (strchr (l->data, '.') == NULL)
            collect_fields (json_object_get_member (object, l->data), child, fields);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < 16; i++)
        {
          g_autofree char *child = path[0] != '\0' ? g_strdup_printf ("%s.%u", path, i) : g_strdup_printf ("%u", i);

          collect_fields (json_array_get_element (array, i), child, fields);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && path[0] != '\0' &&
           (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE))
    g_ptr_array_add (fields, g_strdup (path));
}

GStrv
antenna_value_chart_list_fields (GBytes *payload)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  const char *data;
  gsize size;

  if (payload != NULL)
    {
      data = g_bytes_get_data (payload, &size);
      parser = json_parser_new_immutable ();
      if (size > 0 && size <= MAX_PARSE_BYTES && g_utf8_validate (data, size, NULL) &&
          json_parser_load_from_data (parser, data, size, NULL) && json_parser_get_root (parser) != NULL)
        collect_fields (json_parser_get_root (parser), "", fields);
    }

  g_ptr_array_add (fields, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
}

typedef struct
{
  gboolean  object;
  char     *key;       /* object: the member being read */
  guint     index;     /* array: the element being read */
  gboolean  want_key;  /* object: the next string is a key */
} Level;

static void
level_clear (gpointer data)
{
  g_free (((Level *) data)->key);
}

static char *
path_of (GArray *stack)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < stack->len; i++)
    {
      Level *level = &g_array_index (stack, Level, i);

      if (i > 0)
        g_string_append_c (path, '.');
      if (level->object)
        g_string_append (path, level->key != NULL ? level->key : "");
      else
        g_string_append_printf (path, "%u", level->index);
    }
  return g_string_free (path, FALSE);
}

char *
antenna_value_chart_path_at (const char *json,
                             gsize       offset)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, TRUE, sizeof (Level));
  const char *p = json;
  const char *target;

  g_return_val_if_fail (json != NULL, NULL);

  g_array_set_clear_func (stack, level_clear);
  target = g_utf8_offset_to_pointer (json, (glong) MIN (offset, (gsize) g_utf8_strlen (json, -1)));

  while (*p != '\0' && p <= target)
    {
      Level *top = stack->len > 0 ? &g_array_index (stack, Level, stack->len - 1) : NULL;

      if (*p == '"')
        {
          const char *start = ++p;

          while (*p != '\0' && *p != '"')
            p += (*p == '\\' && p[1] != '\0') ? 2 : 1;
          if (top != NULL && top->object && top->want_key)
            {
              g_free (top->key);
              top->key = g_strndup (start, p - start);
              top->want_key = FALSE;
            }
          if (*p == '"')
            p++;
          continue;
        }

      if (*p == '{' || *p == '[')
        {
          Level level = { *p == '{', NULL, 0, *p == '{' };

          g_array_append_val (stack, level);
        }
      else if ((*p == '}' || *p == ']') && stack->len > 0)
        g_array_set_size (stack, stack->len - 1);
      else if (*p == ',' && top != NULL)
        {
          if (top->object)
            top->want_key = TRUE;
          else
            top->index++;
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          const char *start = p;

          while (*p != '\0' && (g_ascii_isdigit (*p) || strchr ("+-.eE", *p) != NULL))
            p++;
          /* The number under @offset, inside a container: its path. */
          if (target >= start && target < p)
            return stack->len > 0 ? path_of (stack) : NULL;
          continue;
        }
      p++;
    }

  return NULL;
}

double
antenna_value_chart_nice_step (double range,
                               guint  n_ticks)
{
  double raw, magnitude, fraction;

  if (!(range > 0) || n_ticks == 0)
    return 1;

  raw = range / n_ticks;
  magnitude = pow (10, floor (log10 (raw)));
  fraction = raw / magnitude;

  if (fraction <= 1)
    return magnitude;
  if (fraction <= 2)
    return 2 * magnitude;
  if (fraction <= 2.5)
    return 2.5 * magnitude;
  if (fraction <= 5)
    return 5 * magnitude;
  return 10 * magnitude;
}

gint64
antenna_value_chart_time_step (gint64 range_usec,
                               guint  n_ticks)
{
  static const gint64 steps[] = {
    1, 2, 5, 10, 15, 30,
    60, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60,
    3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600,
  };
  gint64 wanted = n_ticks > 0 ? range_usec / n_ticks : range_usec;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * G_USEC_PER_SEC >= wanted)
      return steps[i] * G_USEC_PER_SEC;

  return 24 * 3600 * (gint64) G_USEC_PER_SEC * (1 + wanted / (24 * 3600 * (gint64) G_USEC_PER_SEC));
}

static void
split_fields (AntennaValueChart *self)
{
  g_auto(GStrv) parts = g_strsplit (self->field, ",", MAX_SERIES);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);

      /* "a," is one series; "" (no field) is the payload itself. */
      if (part[0] != '\0' || i == 0)
        g_strv_builder_add (builder, part);
    }
  g_clear_pointer (&self->fields, g_strfreev);
  self->fields = g_strv_builder_end (builder);
  self->n_series = MAX (1, g_strv_length (self->fields));
}

static gboolean
has_number (AntennaValueChart *self,
            const Point       *point)
{
  for (guint s = 0; s < self->n_series; s++)
    if (!isnan (point->value[s]))
      return TRUE;
  return FALSE;
}

static void
read_points (AntennaValueChart *self,
             guint              position,
             guint              removed,
             guint              added)
{
  guint old_n_points = self->n_points;

  for (guint i = position; i < position + removed && i < self->points->len; i++)
    if (has_number (self, &g_array_index (self->points, Point, i)))
      self->n_points--;

  if (removed > 0)
    g_array_remove_range (self->points, position, MIN (removed, self->points->len - position));

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(AntennaMessage) message = g_list_model_get_item (self->messages, position + i);
      Point point = { antenna_message_get_timestamp (message), { 0 } };

      extract_from_message (self, message, point.value);
      if (has_number (self, &point))
        self->n_points++;

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

  if (self->n_points == 0 || plot_w < 20 || plot_h < 20)
    return;

  gtk_style_context_get_color (style, &fg);
  grid = fg;
  grid.alpha = 0.12f;
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");

  for (guint i = 0; i < self->points->len && first_point == NULL; i++)
    if (has_number (self, &g_array_index (self->points, Point, i)))
      first_point = &g_array_index (self->points, Point, i);

  min_v = INFINITY;
  max_v = -INFINITY;
  min_t = max_t = first_point->time;
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if (!has_number (self, p))
        continue;

      for (guint s = 0; s < self->n_series; s++)
        if (!isnan (p->value[s]))
          {
            min_v = MIN (min_v, p->value[s]);
            max_v = MAX (max_v, p->value[s]);
          }
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

  /* The value axis on round numbers (1, 2, 2.5 or 5 times a power of ten),
   * widened to the ticks around the values. */
  {
    double step = antenna_value_chart_nice_step (max_v - min_v, 4);
    GdkRGBA dim = fg;

    min_v = floor (min_v / step) * step;
    max_v = ceil (max_v / step) * step;
    dim.alpha = 0.6f;
    for (double v = min_v; v <= max_v + step / 2; v += step)
      {
        float y = MARGIN_TOP + plot_h * (1 - (v - min_v) / (max_v - min_v));
        g_autofree char *label = format_value (fabs (v) < step / 1e6 ? 0 : v);

        gtk_snapshot_append_color (snapshot, &grid,
                                   &GRAPHENE_RECT_INIT (MARGIN_LEFT, y, plot_w, 1));
        append_label (widget, snapshot, label, MARGIN_LEFT - 6, y, TRUE, &dim);
      }
  }

  /* The time axis: ticks on round times (every 1, 2, 5, 10, 15, 30 s, min,
   * …), as many as fit. */
  {
    guint n_ticks = MAX (1, (guint) (plot_w / 90));
    gint64 step = antenna_value_chart_time_step (max_t - min_t, n_ticks);
    gint64 offset;
    GdkRGBA dim = fg;

    /* Round in local time: a tick on the hour is on the local hour. */
    {
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (min_t / G_USEC_PER_SEC);

      offset = g_date_time_get_utc_offset (local);
    }
    dim.alpha = 0.6f;
    for (gint64 t = ((min_t + offset) / step + 1) * step - offset; t <= max_t; t += step)
      {
        float x = MARGIN_LEFT + plot_w * (double) (t - min_t) / (double) (max_t - min_t);
        g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);
        g_autofree char *text = g_date_time_format (time, step >= 60 * G_USEC_PER_SEC ? "%H:%M" : "%H:%M:%S");

        gtk_snapshot_append_color (snapshot, &grid,
                                   &GRAPHENE_RECT_INIT (x, MARGIN_TOP, 1, plot_h));
        append_label (widget, snapshot, text, x, height - MARGIN_BOTTOM / 2.f, FALSE, &dim);
      }
  }

  /* Each series: its line and points, in its colour (the first in the
   * accent colour), and a legend when there are several. */
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (MARGIN_LEFT - 4, MARGIN_TOP - 4,
                                                       plot_w + 8, plot_h + 8));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, 2);

  for (guint s = 0; s < self->n_series; s++)
    {
      static const char * const palette[] = { NULL, "#e66100", "#2ec27e", "#9141ac", "#c01c28", "#865e3c" };
      GdkRGBA color = accent;
      guint drawn = 0;

      if (palette[s] != NULL)
        gdk_rgba_parse (&color, palette[s]);
      gdk_cairo_set_source_rgba (cr, &color);

      for (guint i = 0; i < self->points->len; i++)
        {
          const Point *p = &g_array_index (self->points, Point, i);
          double x = MARGIN_LEFT + plot_w * (double) (p->time - min_t) / (double) (max_t - min_t);
          double y = MARGIN_TOP + plot_h * (1 - (p->value[s] - min_v) / (max_v - min_v));

          if (isnan (p->value[s]))
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
              double y = MARGIN_TOP + plot_h * (1 - (p->value[s] - min_v) / (max_v - min_v));

              if (isnan (p->value[s]))
                continue;

              if (self->n_points == 1)
                x = MARGIN_LEFT + plot_w / 2;

              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, 3, 0, 2 * G_PI);
            }
          cairo_fill (cr);
        }

      if (self->n_series > 1)
        {
          /* At the top right: the field, then its colour. */
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (width - MARGIN_RIGHT - 10, MARGIN_TOP + 4 + 16 * s, 10, 10));
          append_label (widget, snapshot, self->fields[s], width - MARGIN_RIGHT - 16, MARGIN_TOP + 9 + 16 * s, TRUE, &fg);
        }
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
  g_clear_pointer (&self->fields, g_strfreev);
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
  split_fields (self);
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
  split_fields (self);

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIELD]);
}

guint
antenna_value_chart_get_n_points (AntennaValueChart *self)
{
  g_return_val_if_fail (ANTENNA_IS_VALUE_CHART (self), 0);

  return self->n_points;
}

guint
antenna_value_chart_get_n_series (AntennaValueChart *self)
{
  g_return_val_if_fail (ANTENNA_IS_VALUE_CHART (self), 0);

  return self->n_series;
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
