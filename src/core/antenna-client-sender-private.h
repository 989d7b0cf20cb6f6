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
 * yet; returns whether it did (then Paho never sees it). */
gboolean        _antenna_request_withdraw        (AntennaRequest      *request);
void            _antenna_request_unref           (AntennaRequest      *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaRequest, _antenna_request_unref)

G_END_DECLS
