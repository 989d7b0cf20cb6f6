/* antenna-color-dot.h: the small coloured dot that marks a subscription
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ANTENNA_TYPE_COLOR_DOT (antenna_color_dot_get_type ())

G_DECLARE_FINAL_TYPE (AntennaColorDot, antenna_color_dot, ANTENNA, COLOR_DOT, GtkWidget)

GtkWidget  *antenna_color_dot_new       (void);
/* "#rrggbb" or NULL (nothing drawn). */
void        antenna_color_dot_set_color (AntennaColorDot *self,
                                         const char      *color);
const char *antenna_color_dot_get_color (AntennaColorDot *self);

/* The colour a subscription gets when it has none: the first colour of the
 * palette that none of @used has (or the @n_used-th one, cycling). */
const char *antenna_color_dot_pick_palette_color (const char * const *used,
                                                  guint               n_used);

G_END_DECLS
