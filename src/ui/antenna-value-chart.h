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

/* The connection's decoding settings: a message a rule or the Sparkplug
 * namespace claims gives the number at :field of its decoded value
 * ("metrics[1].value", "values.0"), whatever its format. */
void        antenna_value_chart_set_decoder_context (AntennaValueChart     *self,
                                                     AntennaDecoderContext *context);

G_END_DECLS
