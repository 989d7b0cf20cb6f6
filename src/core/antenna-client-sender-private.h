/* antenna-client-sender-private.h: AntennaClient's requests handed to Paho off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the client's files (antenna-client*.c); see
 * antenna-client-sender.c for why. Each bridge has a sender: the main
 * thread queues requests on it, a worker hands them to Paho in that order,
 * and Paho's answers come back through the bridge's queue as events that
 * carry the request's operation id (AntennaEvent.op_id) and the request.
 */
#pragma once

#include "antenna-client-bridge-private.h"
#include "antenna-message.h"

G_BEGIN_DECLS

/* One request to Paho: refcounted, shared by the main thread (the operation
 * holds one reference), the worker and Paho (the callbacks' context, kept
 * alive by the sender until the answer was handled or the handle destroyed). */
typedef struct _AntennaRequest AntennaRequest;

typedef struct _AntennaSender AntennaSender;

/* The first failure of a batch of publishes. */
typedef struct
{
  int       code;        /* Paho's code (MQTTASYNC_SUCCESS with a reason) */
  int       reason;      /* MQTT 5 reason code, or 0 */
  char     *text;        /* Paho's message or the reason string; may be NULL */
  gboolean  not_taken;   /* Paho refused a message at once (the rest were not handed) */
} AntennaManyError;

/* The bridge's half (antenna-client-bridge.c). */
AntennaSender  *_antenna_sender_new              (AntennaBridge       *bridge,
                                                  MQTTAsync            handle,
                                                  int                  mqtt_version);
/* The handle is dropped: what is still queued is not handed to Paho, and the
 * handle is destroyed after the request being handed, if any (sending
 * DISCONNECT first if @send_disconnect and still connected). */
void            _antenna_sender_destroy_handle   (AntennaSender       *sender,
                                                  gboolean             send_disconnect);
/* Any thread, with the bridge's last reference: after the handle was destroyed. */
void            _antenna_sender_free             (AntennaSender       *sender);
/* Any thread: every event but a received message goes to the bridge's
 * queue through this, so that none overtakes an answer the worker holds
 * back to ask Paho about it (a QoS 2 publish's: AntennaEvent.delivered_qos). */
void            _antenna_sender_push_event       (AntennaSender       *sender,
                                                  AntennaEvent        *event);

/* Main thread: requests of the operation @op_id, in the order of the calls.
 * Each returns the request, a reference for the operation; NULL when there
 * is no handle. Paho's answer is an ANTENNA_EVENT_SUCCESS or _FAILURE, or
 * ANTENNA_EVENT_NOT_TAKEN with Paho's code when it refused the request at
 * once (a disconnected handle, a bad argument). */
AntennaRequest *_antenna_sender_publish          (AntennaSender       *sender,
                                                  guint                op_id,
                                                  const char          *topic,
                                                  GBytes              *payload,
                                                  int                  qos,
                                                  gboolean             retain,
                                                  AntennaProperties   *properties);
/* Many publishes as one request: handed to Paho in their order from one
 * wake-up of the worker, answered by one ANTENNA_EVENT_SUCCESS once Paho
 * answered every message it took (whether they succeeded or not: see
 * _antenna_request_get_many()). At QoS 1 and 2, no more than @limit (the
 * broker's receive maximum; 0: none) unanswered at once. Withdrawn while
 * being handed, it stops at the next message. No check of what the broker
 * made of a QoS 2 message (AntennaEvent.delivered_qos is the QoS sent). */
AntennaRequest *_antenna_sender_publish_many     (AntennaSender       *sender,
                                                  guint                op_id,
                                                  guint                n,
                                                  const char * const  *topics,
                                                  GBytes * const      *payloads,
                                                  int                  qos,
                                                  gboolean             retain,
                                                  guint                limit);
AntennaRequest *_antenna_sender_subscribe        (AntennaSender       *sender,
                                                  guint                op_id,
                                                  const char          *filter,
                                                  int                  qos,
                                                  gboolean             no_local,
                                                  gboolean             retain_as_published,
                                                  int                  retain_handling);
AntennaRequest *_antenna_sender_unsubscribe      (AntennaSender       *sender,
                                                  guint                op_id,
                                                  const char * const  *filters);
/* MQTTAsync_disconnect (@timeout_ms for in-flight messages): with @notify, its
 * end (or Paho's refusal) comes back as ANTENNA_EVENT_DISCONNECT_DONE. */
void            _antenna_sender_disconnect       (AntennaSender       *sender,
                                                  int                  timeout_ms,
                                                  gboolean             notify);

/* Main thread: the answer to @request was handled (or @request never reached
 * Paho): the sender lets it go. Harmless for a request it does not hold. */
void            _antenna_sender_forget           (AntennaSender       *sender,
                                                  AntennaRequest      *request);

/* Main thread: takes @request back if the worker has not handed it to Paho
 * yet; returns whether it did (then Paho never sees it). A batch the worker
 * is handing stops at its next message. */
gboolean        _antenna_request_withdraw        (AntennaRequest      *request);
void            _antenna_request_unref           (AntennaRequest      *request);
/* A batch's counts so far (final once its event came): how many messages
 * Paho took, acknowledged (written at QoS 0) and failed, and the first
 * failure (@first_error's text is a copy: g_free() it). Any thread. */
void            _antenna_request_get_many        (AntennaRequest      *request,
                                                  guint               *n_handed,
                                                  guint               *n_acked,
                                                  guint               *n_failed,
                                                  AntennaManyError    *first_error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaRequest, _antenna_request_unref)

G_END_DECLS
