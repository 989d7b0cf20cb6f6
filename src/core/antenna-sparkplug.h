/* antenna-sparkplug.h: Sparkplug B (Eclipse Sparkplug 3.0) topics and
 * payloads
 *
 * The decoder ("sparkplug", chosen by the spBv1.0/ namespace) shows a
 * payload as { "timestamp", "seq", "uuid", "body", "metrics": [ { "name",
 * "alias", "type", "value", "timestamp", "properties", "metadata", … } ] }:
 * each metric's value read by its datatype (Int8…UInt64 from their
 * two's-complement fields, DateTime as a timestamp, DataSet as rows,
 * Template, PropertySet(List), the arrays unpacked from their
 * little-endian bytes); a metric sent by alias gets the name its node's or
 * device's last birth gave that alias. STATE (JSON in 3.0, "ONLINE" /
 * "OFFLINE" in 2.x) is shown as it is.
 *
 * Antenna never publishes on spBv1.0/ by itself: the rebirth request below
 * is built for the UI's "Request Rebirth", which publishes it only when a
 * person asks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ANTENNA_SPARKPLUG_NAMESPACE "spBv1.0"

typedef enum {
  ANTENNA_SPARKPLUG_UNKNOWN,
  ANTENNA_SPARKPLUG_NBIRTH,
  ANTENNA_SPARKPLUG_NDEATH,
  ANTENNA_SPARKPLUG_DBIRTH,
  ANTENNA_SPARKPLUG_DDEATH,
  ANTENNA_SPARKPLUG_NDATA,
  ANTENNA_SPARKPLUG_DDATA,
  ANTENNA_SPARKPLUG_NCMD,
  ANTENNA_SPARKPLUG_DCMD,
  ANTENNA_SPARKPLUG_STATE,
} AntennaSparkplugMessageType;

/* Splits "spBv1.0/group/NDATA/edge[/device]" or "spBv1.0/STATE/host".
 * FALSE for a topic that is not one of those. For STATE, *@group and
 * *@device are NULL and *@edge_node is the host id. Out arguments nullable. */
gboolean     antenna_sparkplug_parse_topic            (const char                   *topic,
                                                       AntennaSparkplugMessageType  *type,
                                                       char                        **group,
                                                       char                        **edge_node,
                                                       char                        **device);
/* "NBIRTH"…; "" for UNKNOWN. */
const char  *antenna_sparkplug_message_type_to_string (AntennaSparkplugMessageType   type);
/* "Int8", "DoubleArray"…; NULL for a number the specification does not have. */
const char  *antenna_sparkplug_datatype_to_string     (guint32                       datatype);

/* The topic of a rebirth request to an edge node: spBv1.0/@group/NCMD/@edge_node. */
char        *antenna_sparkplug_build_rebirth_topic    (const char                   *group,
                                                       const char                   *edge_node);
/* The NCMD payload that asks an edge node to send its births again: one
 * Boolean metric "Node Control/Rebirth" = true, with @timestamp_ms (ms
 * since 1970) on the payload and the metric. */
GBytes      *antenna_sparkplug_build_rebirth          (gint64                        timestamp_ms);

/* The Sparkplug B schema Antenna decodes with (src/core/schemas/sparkplug_b.proto). */
const char  *antenna_sparkplug_get_schema_text        (void);

G_END_DECLS
