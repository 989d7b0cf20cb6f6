/* antenna-types.h: forward declarations and the enums of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _AntennaClient        AntennaClient;
typedef struct _AntennaConnectionLog AntennaConnectionLog;
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

/* AUTOMATIC: MQTT 5, or 3.1.1 when the broker closes the connection
 * without answering an MQTT 5 CONNECT (see
 * antenna_profile_get_detected_mqtt_version()). */
typedef enum {
  ANTENNA_MQTT_VERSION_AUTOMATIC = 0,
  ANTENNA_MQTT_VERSION_3_1_1     = 4,
  ANTENNA_MQTT_VERSION_5         = 5,
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
/* Which HTTP proxy a connection goes through (HTTP CONNECT: what Paho
 * speaks). SYSTEM: GIO's GProxyResolver (GNOME's settings, else the
 * environment's http_proxy/https_proxy/no_proxy); MANUAL: the profile's. */
typedef enum {
  ANTENNA_PROXY_MODE_NONE,
  ANTENNA_PROXY_MODE_SYSTEM,
  ANTENNA_PROXY_MODE_MANUAL,
} AntennaProxyMode;

/* What the profile's password is. AZURE_SAS: an Azure IoT Hub device key
 * (Base64); the broker gets a SAS token made from it at each attempt. */
typedef enum {
  ANTENNA_AUTH_METHOD_USERNAME_PASSWORD,
  ANTENNA_AUTH_METHOD_AZURE_SAS,
} AntennaAuthMethod;

/* The secrets of a profile that AntennaSecretStore keeps: the broker
 * password (or Azure device key), the passphrase of the TLS client key, the
 * password for the proxy. */
typedef enum {
  ANTENNA_SECRET_PASSWORD,
  ANTENNA_SECRET_KEY_PASSPHRASE,
  ANTENNA_SECRET_PROXY_PASSWORD,
} AntennaSecretKind;

/* The clouds antenna-cloud-preset.h fills a profile for. */
typedef enum {
  ANTENNA_CLOUD_AWS_IOT,
  ANTENNA_CLOUD_AZURE_IOT_HUB,
  ANTENNA_CLOUD_HIVEMQ,
  ANTENNA_CLOUD_EMQX,
} AntennaCloud;

/* Where an AntennaPublishSchedule stands. WAITING: the connection is down
 * and the schedule goes on once it is back. */
typedef enum {
  ANTENNA_SCHEDULE_STATE_STOPPED,
  ANTENNA_SCHEDULE_STATE_RUNNING,
  ANTENNA_SCHEDULE_STATE_PAUSED,
  ANTENNA_SCHEDULE_STATE_WAITING,
  ANTENNA_SCHEDULE_STATE_FINISHED,
} AntennaScheduleState;

G_END_DECLS
