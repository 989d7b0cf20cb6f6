/* antenna-sparkplug-model.h: the live state of a Sparkplug B system
 *
 * Groups → edge nodes → devices, each online or offline by its births and
 * deaths, with its current metrics (value, datatype, units, timestamp);
 * the primary host applications by their STATE. Fed one message at a time,
 * in arrival order: by antenna_sparkplug_model_observe() on a client, or
 * by antenna_sparkplug_model_add_message() (e.g. replaying a log when a
 * Sparkplug view opens). Each spBv1.0/ message is decoded once here, and
 * what only order can tell — the aliases of the last birth, a seq that
 * skips (0–255, wrapping), an NDEATH whose bdSeq is not its NBIRTH's — is
 * left on the message for the decoder to show.
 *
 * Cost: a message outside spBv1.0/ costs one prefix compare (a few ns); a
 * Sparkplug message one decode (see bench/README.md, "Decoding"). Nothing
 * observes a client unless a view asks: ingest is untouched otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"
#include "antenna-enums.h"
#include "antenna-value.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SPARKPLUG_METRIC (antenna_sparkplug_metric_get_type ())
G_DECLARE_FINAL_TYPE (AntennaSparkplugMetric, antenna_sparkplug_metric, ANTENNA, SPARKPLUG_METRIC, GObject)

#define ANTENNA_TYPE_SPARKPLUG_NODE (antenna_sparkplug_node_get_type ())
G_DECLARE_FINAL_TYPE (AntennaSparkplugNode, antenna_sparkplug_node, ANTENNA, SPARKPLUG_NODE, GObject)

#define ANTENNA_TYPE_SPARKPLUG_MODEL (antenna_sparkplug_model_get_type ())
G_DECLARE_FINAL_TYPE (AntennaSparkplugModel, antenna_sparkplug_model, ANTENNA, SPARKPLUG_MODEL, GObject)

/* Metrics: properties "name", "alias", "datatype", "value", "timestamp",
 * "units", notified when they change. */
const char               *antenna_sparkplug_metric_get_name      (AntennaSparkplugMetric *self);
/* -1: none. */
gint64                    antenna_sparkplug_metric_get_alias     (AntennaSparkplugMetric *self);
/* "Float", "Int32Array"…; "" when never given. */
const char               *antenna_sparkplug_metric_get_datatype  (AntennaSparkplugMetric *self);
/* (transfer none) */
AntennaValue             *antenna_sparkplug_metric_get_value     (AntennaSparkplugMetric *self);
/* ms since 1970; 0: none. */
gint64                    antenna_sparkplug_metric_get_timestamp (AntennaSparkplugMetric *self);
/* The "engUnit" property of the metric's birth, "" when none. */
const char               *antenna_sparkplug_metric_get_units     (AntennaSparkplugMetric *self);

/* Nodes: properties "kind", "name", "online", "bdseq", "last-seen". */
AntennaSparkplugNodeKind  antenna_sparkplug_node_get_kind        (AntennaSparkplugNode   *self);
const char               *antenna_sparkplug_node_get_name        (AntennaSparkplugNode   *self);
gboolean                  antenna_sparkplug_node_get_online      (AntennaSparkplugNode   *self);
/* The NBIRTH's bdSeq, -1 when none was seen. */
gint64                    antenna_sparkplug_node_get_bdseq       (AntennaSparkplugNode   *self);
/* g_get_real_time() of the last message, 0 when none. */
gint64                    antenna_sparkplug_node_get_last_seen   (AntennaSparkplugNode   *self);
/* Edge nodes of a group, devices of an edge node. (transfer none) */
GListModel               *antenna_sparkplug_node_get_children    (AntennaSparkplugNode   *self);
/* AntennaSparkplugMetric, in birth order. (transfer none) */
GListModel               *antenna_sparkplug_node_get_metrics     (AntennaSparkplugNode   *self);
/* (transfer none) (nullable) */
AntennaSparkplugMetric   *antenna_sparkplug_node_find_metric     (AntennaSparkplugNode   *self,
                                                                  const char             *name);

AntennaSparkplugModel    *antenna_sparkplug_model_new            (void);
/* Groups (AntennaSparkplugNode, kind GROUP), by first appearance. (transfer none) */
GListModel               *antenna_sparkplug_model_get_groups     (AntennaSparkplugModel  *self);
/* Host applications (kind HOST). (transfer none) */
GListModel               *antenna_sparkplug_model_get_hosts      (AntennaSparkplugModel  *self);
/* The edge node (@device NULL) or device. (transfer none) (nullable) */
AntennaSparkplugNode     *antenna_sparkplug_model_find_node      (AntennaSparkplugModel  *self,
                                                                  const char             *group,
                                                                  const char             *edge_node,
                                                                  const char             *device);
/* Takes in one message; anything outside spBv1.0/ is ignored. Emits
 * ::changed when the state changed. */
void                      antenna_sparkplug_model_add_message    (AntennaSparkplugModel  *self,
                                                                  AntennaMessage         *message);
/* Follows @client's ::messages-received (one ::changed per batch) until
 * stopped, another client is observed, or the model goes. NULL: stop. */
void                      antenna_sparkplug_model_observe        (AntennaSparkplugModel  *self,
                                                                  AntennaClient          *client);

G_END_DECLS
