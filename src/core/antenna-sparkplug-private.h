/* antenna-sparkplug-private.h: what the Sparkplug decoder and model share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-decoder-private.h"
#include "antenna-message.h"
#include "antenna-proto-schema.h"
#include "antenna-sparkplug.h"

G_BEGIN_DECLS

#define SPARKPLUG_PAYLOAD_TYPE "org.eclipse.tahu.protobuf.Payload"

/* A node's or device's aliases as its last birth gave them: immutable,
 * shared by every message decoded under that birth. */
typedef struct _SparkplugAliases SparkplugAliases;

SparkplugAliases   *_antenna_sparkplug_aliases_new_from_view (AntennaValue     *view);
SparkplugAliases   *_antenna_sparkplug_aliases_ref           (SparkplugAliases *aliases);
void                _antenna_sparkplug_aliases_unref         (SparkplugAliases *aliases);

/* What the model found about one message in the order it came: attached
 * to the AntennaMessage (qdata), read by the decoder. */
typedef struct {
  AntennaDecodedFlags  flags;
  GPtrArray           *notes;     /* of char * */
  SparkplugAliases    *aliases;   /* nullable */
} SparkplugMessageInfo;

SparkplugMessageInfo *_antenna_sparkplug_message_get_info    (AntennaMessage   *message);
void                  _antenna_sparkplug_message_set_info    (AntennaMessage   *message,
                                                              SparkplugMessageInfo *info);

AntennaProtoSchema *_antenna_sparkplug_get_schema            (void);
/* The protobuf tree of a Payload → the view described in antenna-sparkplug.h,
 * names given to aliases from @aliases (nullable); *@n_unresolved counts
 * aliases without a name. */
AntennaValue       *_antenna_sparkplug_view                  (AntennaValue     *raw,
                                                              SparkplugAliases *aliases,
                                                              guint            *n_unresolved);
/* Decodes a Payload (not STATE) within @job into its view. */
AntennaValue       *_antenna_sparkplug_decode_payload        (AntennaDecodeJob *job,
                                                              GBytes           *payload,
                                                              SparkplugAliases *aliases,
                                                              guint            *n_unresolved,
                                                              GError          **error);

/* The aliases of the last birth of that node or device (transfer none,
 * nullable). */
SparkplugAliases   *_antenna_sparkplug_model_get_aliases     (AntennaSparkplugModel *model,
                                                              const char       *group,
                                                              const char       *edge_node,
                                                              const char       *device);

/* Nodes and metrics, as the model changes them. */
AntennaSparkplugNode *_antenna_sparkplug_node_new            (AntennaSparkplugNodeKind kind,
                                                              const char       *name);
/* (transfer none) A child of that name, made when missing. */
AntennaSparkplugNode *_antenna_sparkplug_node_ensure_child   (AntennaSparkplugNode *self,
                                                              AntennaSparkplugNodeKind kind,
                                                              const char       *name);
void                _antenna_sparkplug_node_set_online       (AntennaSparkplugNode *self,
                                                              gboolean          online);
void                _antenna_sparkplug_node_set_bdseq        (AntennaSparkplugNode *self,
                                                              gint64            bdseq);
gint                _antenna_sparkplug_node_get_seq          (AntennaSparkplugNode *self);
void                _antenna_sparkplug_node_set_seq          (AntennaSparkplugNode *self,
                                                              gint              seq);
void                _antenna_sparkplug_node_set_last_seen    (AntennaSparkplugNode *self,
                                                              gint64            time_us);
SparkplugAliases   *_antenna_sparkplug_node_get_aliases      (AntennaSparkplugNode *self);
/* Takes @aliases. */
void                _antenna_sparkplug_node_set_aliases      (AntennaSparkplugNode *self,
                                                              SparkplugAliases *aliases);
/* A birth: the metrics become those of @metrics (views), in order. */
void                _antenna_sparkplug_node_replace_metrics  (AntennaSparkplugNode *self,
                                                              AntennaValue     *metrics);
/* Data: the metrics of @metrics (views) take their new values; a name the
 * birth did not have is added. */
void                _antenna_sparkplug_node_update_metrics   (AntennaSparkplugNode *self,
                                                              AntennaValue     *metrics);

G_END_DECLS
