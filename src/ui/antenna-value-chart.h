/* antenna-value-chart.h: numeric values of a topic's messages over time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_VALUE_CHART (antenna_value_chart_get_type ())

G_DECLARE_FINAL_TYPE (AntennaValueChart, antenna_value_chart, ANTENNA, VALUE_CHART, GtkWidget)

/* Properties: messages (GListModel of AntennaMessage, oldest first), field (a
 * JSON member path such as "sensor.temperature" or "values.0"; empty: the
 * payload itself is the number), n-points (read-only). */
GtkWidget  *antenna_value_chart_new          (void);
GListModel *antenna_value_chart_get_messages (AntennaValueChart *self);
void        antenna_value_chart_set_messages (AntennaValueChart *self,
                                              GListModel        *messages);
const char *antenna_value_chart_get_field    (AntennaValueChart *self);
void        antenna_value_chart_set_field    (AntennaValueChart *self,
                                              const char        *field);
guint       antenna_value_chart_get_n_points (AntennaValueChart *self);

/* The number in @payload (a plain number, or the value at @field of a JSON
 * document); FALSE when there is none. */
gboolean    antenna_value_chart_extract      (GBytes            *payload,
                                              const char        *field,
                                              double            *value);

/* The paths (such as sensor.temperature or values.0) of the numbers in a
 * JSON payload, as the field takes them; at most 64. Never NULL. */
GStrv       antenna_value_chart_list_fields  (GBytes            *payload);
/* A round step (1, 2, 2.5 or 5 times a power of ten) for about @n_ticks
 * ticks over @range. */
double      antenna_value_chart_nice_step    (double             range,
                                              guint              n_ticks);
/* A round step of time (1, 2, 5, 10, 15, 30 s, 1 min … 1 day) for about
 * @n_ticks ticks over @range_usec; microseconds. */
gint64      antenna_value_chart_time_step    (gint64             range_usec,
                                              guint              n_ticks);

/* The field path of the number at character @offset of @json (the text as
 * shown), or NULL when there is no number there. */
char       *antenna_value_chart_path_at      (const char        *json,
                                              gsize              offset);

/* The series charted: the fields of :field, separated by commas (at most 6). */
guint       antenna_value_chart_get_n_series (AntennaValueChart *self);
/* The connection's decoding settings: a message a rule or the Sparkplug
 * namespace claims gives the number at :field of its decoded value
 * ("metrics[1].value", "values.0"), whatever its format. */
void        antenna_value_chart_set_decoder_context (AntennaValueChart     *self,
                                                     AntennaDecoderContext *context);

G_END_DECLS
