/* antenna-types.h: forward declarations and the enums of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _AntennaClient        AntennaClient;
typedef struct _AntennaDecoderContext AntennaDecoderContext;
typedef struct _AntennaDecoderRule   AntennaDecoderRule;
typedef struct _AntennaMessage       AntennaMessage;
typedef struct _AntennaMessageLog    AntennaMessageLog;
typedef struct _AntennaProfile       AntennaProfile;
typedef struct _AntennaProfileStore  AntennaProfileStore;
typedef struct _AntennaProperties    AntennaProperties;
typedef struct _AntennaSecretStore   AntennaSecretStore;
typedef struct _AntennaSparkplugMetric AntennaSparkplugMetric;
typedef struct _AntennaSparkplugModel AntennaSparkplugModel;
typedef struct _AntennaSparkplugNode AntennaSparkplugNode;
typedef struct _AntennaSubscription  AntennaSubscription;
typedef struct _AntennaTopicNode     AntennaTopicNode;
typedef struct _AntennaTopicTree     AntennaTopicTree;

/* The maximum MQTT packet payload: the largest "Remaining Length". */
#define ANTENNA_MQTT_MAX_PAYLOAD 268435455

typedef enum {
  ANTENNA_TRANSPORT_TCP,
  ANTENNA_TRANSPORT_TLS,
  ANTENNA_TRANSPORT_WS,
  ANTENNA_TRANSPORT_WSS,
} AntennaTransport;

typedef enum {
  ANTENNA_MQTT_VERSION_3_1_1 = 4,
  ANTENNA_MQTT_VERSION_5     = 5,
} AntennaMqttVersion;

typedef enum {
  ANTENNA_CLIENT_STATE_DISCONNECTED,
  ANTENNA_CLIENT_STATE_CONNECTING,
  ANTENNA_CLIENT_STATE_CONNECTED,
  ANTENNA_CLIENT_STATE_RECONNECTING,
} AntennaClientState;

typedef enum {
  ANTENNA_SUBSCRIPTION_STATE_INACTIVE,
  ANTENNA_SUBSCRIPTION_STATE_PENDING,
  ANTENNA_SUBSCRIPTION_STATE_ACTIVE,
  ANTENNA_SUBSCRIPTION_STATE_REFUSED,
} AntennaSubscriptionState;

/* MQTT 5 retain handling subscription option. */
typedef enum {
  ANTENNA_RETAIN_HANDLING_SEND            = 0,
  ANTENNA_RETAIN_HANDLING_SEND_IF_NEW     = 1,
  ANTENNA_RETAIN_HANDLING_DO_NOT_SEND     = 2,
} AntennaRetainHandling;

typedef enum {
  ANTENNA_MESSAGE_RECEIVED,
  ANTENNA_MESSAGE_SENT,
} AntennaMessageDirection;

/* How antenna_client_publish_full_async() treats a message. QUEUE_OFFLINE: a
 * QoS 1 or 2 message published while the connection is being re-established
 * is kept, in order, and sent after the reconnection. */
typedef enum { /*< flags >*/
  ANTENNA_PUBLISH_FLAGS_NONE          = 0,
  ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE = 1 << 0,
} AntennaPublishFlags;

typedef enum {
  ANTENNA_PAYLOAD_FORMAT_AUTO,
  ANTENNA_PAYLOAD_FORMAT_TEXT,
  ANTENNA_PAYLOAD_FORMAT_JSON,
  ANTENNA_PAYLOAD_FORMAT_HEX,
  ANTENNA_PAYLOAD_FORMAT_BASE64,
} AntennaPayloadFormat;

/* What a node of the Sparkplug model is. */
typedef enum {
  ANTENNA_SPARKPLUG_NODE_GROUP,
  ANTENNA_SPARKPLUG_NODE_EDGE_NODE,
  ANTENNA_SPARKPLUG_NODE_DEVICE,
  ANTENNA_SPARKPLUG_NODE_HOST,        /* a primary host application (STATE) */
} AntennaSparkplugNodeKind;

/* Why a message is decoded as it is (antenna_decoder_choose()). */
typedef enum {
  ANTENNA_DECODER_REASON_RULE,       /* a rule of the connection */
  ANTENNA_DECODER_REASON_NAMESPACE,  /* the spBv1.0/ topic namespace */
  ANTENNA_DECODER_REASON_DETECTED,   /* JSON, text or hex, by looking */
  ANTENNA_DECODER_REASON_CHOSEN,     /* a person picked it for this message */
} AntennaDecoderReason;

typedef enum { /*< flags >*/
  ANTENNA_DECODED_NONE             = 0,
  ANTENNA_DECODED_STOPPED          = 1 << 0,  /* a budget stopped it: partial */
  ANTENNA_DECODED_SEQ_GAP          = 1 << 1,  /* Sparkplug: seq does not follow */
  ANTENNA_DECODED_BDSEQ_MISMATCH   = 1 << 2,  /* Sparkplug: NDEATH bdSeq ≠ NBIRTH's */
  ANTENNA_DECODED_UNRESOLVED_ALIAS = 1 << 3,  /* Sparkplug: an alias with no birth */
} AntennaDecodedFlags;

G_END_DECLS
