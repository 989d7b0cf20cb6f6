/* antenna-color-dot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-color-dot"

#include "config.h"

#include "antenna-color-dot.h"

#define DOT_SIZE 10

struct _AntennaColorDot
{
  GtkWidget  parent_instance;

  char      *color;
  GdkRGBA    rgba;
  gboolean   has_color;
};

enum {
  PROP_0,
  PROP_COLOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaColorDot, antenna_color_dot, GTK_TYPE_WIDGET)

/* The GNOME palette (the 3 shades of the HIG's colours that read on light and dark). */
static const char * const palette[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24",
  "#9141ac", "#986a44", "#2190a4", "#c061cb", "#1c71d8",
  "#2ec27e", "#e66100",
};

static void
antenna_color_dot_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = *natural = DOT_SIZE;
}

static void
antenna_color_dot_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  AntennaColorDot *self = ANTENNA_COLOR_DOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRoundedRect rect;
  float size = MIN (MIN (width, height), DOT_SIZE);

  if (!self->has_color)
    return;

  gsk_rounded_rect_init_from_rect (&rect,
                                   &GRAPHENE_RECT_INIT ((width - size) / 2.f,
                                                        (height - size) / 2.f,
                                                        size, size),
                                   size / 2.f);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, &self->rgba, &rect.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
antenna_color_dot_finalize (GObject *object)
{
  AntennaColorDot *self = ANTENNA_COLOR_DOT (object);

  g_clear_pointer (&self->color, g_free);

  G_OBJECT_CLASS (antenna_color_dot_parent_class)->finalize (object);
}

static void
antenna_color_dot_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AntennaColorDot *self = ANTENNA_COLOR_DOT (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_color_dot_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AntennaColorDot *self = ANTENNA_COLOR_DOT (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      antenna_color_dot_set_color (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_color_dot_class_init (AntennaColorDotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = antenna_color_dot_finalize;
  object_class->get_property = antenna_color_dot_get_property;
  object_class->set_property = antenna_color_dot_set_property;

  widget_class->measure = antenna_color_dot_measure;
  widget_class->snapshot = antenna_color_dot_snapshot;

  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "colordot");
}

static void
antenna_color_dot_init (AntennaColorDot *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
antenna_color_dot_new (void)
{
  return g_object_new (ANTENNA_TYPE_COLOR_DOT, NULL);
}

const char *
antenna_color_dot_get_color (AntennaColorDot *self)
{
  g_return_val_if_fail (ANTENNA_IS_COLOR_DOT (self), NULL);

  return self->color;
}

void
antenna_color_dot_set_color (AntennaColorDot *self,
                             const char      *color)
{
  g_return_if_fail (ANTENNA_IS_COLOR_DOT (self));

  if (g_strcmp0 (self->color, color) == 0)
    return;

  g_free (self->color);
  self->color = g_strdup (color);
  self->has_color = color != NULL && gdk_rgba_parse (&self->rgba, color);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

const char *
antenna_color_dot_pick_palette_color (const char * const *used,
                                      guint               n_used)
{
  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    {
      gboolean taken = FALSE;

      for (guint j = 0; j < n_used && !taken; j++)
        taken = used[j] != NULL && g_ascii_strcasecmp (used[j], palette[i]) == 0;

      if (!taken)
        return palette[i];
    }

  return palette[n_used % G_N_ELEMENTS (palette)];
}
