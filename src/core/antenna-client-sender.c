/* antenna-client-sender.c: AntennaClient's requests handed to Paho off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bridge's other direction. MQTTAsync_sendMessage() copies the payload
 * (malloc and memcpy) on the calling thread: 0.17–0.5 s of the main thread
 * for 255 MiB, a frozen window. And with TLS, Paho's send thread copies the
 * whole packet again while it holds Paho's global mutex, so that any call
 * into Paho meanwhile (the next publish, a subscribe, the watchdog's probe,
 * a disconnect) waits 0.2–0.4 s. So no request of a connection is made on
 * the main thread: the client queues each one here, in order, and a worker
 * hands them to Paho one after another. The main thread calls Paho only to
 * create a handle, set its callbacks and connect it (antenna-client-connect.c),
 * once per connection attempt.
 *
 * - One queue per bridge (per Paho handle), worked through by one thread
 *   at a time from a shared GThreadPool: the requests of a connection reach
 *   Paho in the order they were made, and an idle connection holds no thread.
 * - A request is Paho's callback context, so its answer names the operation
 *   it belongs to (AntennaEvent.op_id) even when it comes before
 *   MQTTAsync_sendMessage() has returned a token, as it can. The sender keeps
 *   every request Paho may still answer until the main thread handled the
 *   answer (_antenna_sender_forget()) or the handle is destroyed, after
 *   which Paho calls nothing more: the bridge frees its sender only then.
 * - A request not yet handed to Paho can be withdrawn (a cancelled publish);
 *   once handed, only the end of the handle takes it back from Paho.
 * - Dropping a handle (_antenna_sender_destroy_handle()) makes the worker
 *   skip what is still queued and destroy the handle last, in the same
 *   queue, so that no call can reach a destroyed handle.
 * - The worker does not take part in the backpressure's bracket
 *   (antenna-client-bridge.c): a call of the worker may wait while Paho's
 *   receive thread waits for the main thread to make room, since the main
 *   thread never waits for the worker. Bracketing it would lift the
 *   backpressure whenever something is published.
 * - A Paho that cannot take more at once (its buffer or its message ids are
 *   full) is tried again every few milliseconds by the worker, so that the
 *   order holds.
 * - A batch of publishes (antenna-client-publish-many.c) is one request: the
 *   worker hands its messages one after another, all with the request as
 *   their context; their answers are only counted, and the last one makes
 *   the batch's one event. Withdrawn while being handed, it stops at the
 *   next message.
 * Paho's callbacks for these requests are here too; like the bridge's, they
 * copy what they need into an event, push it and return.
 *
 * One answer needs a question to Paho first. A broker may acknowledge a QoS 2
 * PUBLISH with a PUBACK (RabbitMQ makes QoS 2 QoS 1): Paho calls the same
 * onSuccess as for a PUBCOMP, but keeps the message, waiting for a PUBREC
 * that never comes; MQTTAsync_isComplete() on its token tells the two apart.
 * The callback cannot ask (it holds Paho's mutex, which is not recursive: the
 * call's unlock would release it under Paho's feet), and the main thread does
 * not call Paho; so the worker asks, and puts what the broker did in the
 * answer (AntennaEvent.delivered_qos). Until it has, the events behind that
 * answer (other answers, a lost connection, the end of a disconnect) are
 * held back in the sender, so that the main thread sees them in Paho's order.
 * Received messages do not wait: they never depend on an answer.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include "antenna-client-private.h"
#include "antenna-client-properties-private.h"
#include "antenna-client-sender-private.h"

#include <string.h>

/* How long the worker waits before it offers Paho a request again when Paho
 * has no room for it. */
#define RETRY_USEC (10 * 1000)

typedef enum {
  REQUEST_PUBLISH,
  REQUEST_PUBLISH_MANY,
  REQUEST_SUBSCRIBE,
  REQUEST_UNSUBSCRIBE,
  REQUEST_DISCONNECT,
  REQUEST_DESTROY,
} RequestKind;

/* AntennaRequest.state */
enum {
  REQUEST_QUEUED,
  REQUEST_HANDED,
  REQUEST_WITHDRAWN,
};

struct _AntennaRequest
{
  gatomicrefcount    ref_count;
  RequestKind        kind;
  int                state;          /* atomic */
  AntennaSender     *sender;         /* not a reference: used by the worker and Paho only while it lives */
  guint              op_id;
  char              *topic;          /* publish: the topic; subscribe: the filter */
  GStrv              filters;        /* unsubscribe */
  GBytes            *payload;        /* publish, until handed */
  AntennaProperties *properties;
  int                qos;
  gboolean           retain;
  gboolean           no_local;
  gboolean           retain_as_published;
  int                retain_handling;
  int                token;          /* publish: Paho's token (its message id), from its answer */
  int                timeout_ms;     /* disconnect */
  gboolean           notify;         /* disconnect */
  gboolean           send_disconnect; /* destroy */

  /* publish many: the messages go to Paho one after another from one wake-up
   * of the worker, all with this request as their context, and their
   * answers are counted here: only the last one makes an event. */
  guint              n;
  char             **topics;         /* n pointers into topics_block */
  char              *topics_block;
  GBytes           **payloads;       /* n; each dropped once Paho has its copy */
  guint              limit;          /* the broker's receive maximum (QoS 1, 2), 0: none */
  int                stop;           /* atomic: hand no more (cancelled, or the operation dropped) */
  int                pending;        /* atomic: answers to come, + 1 while the worker hands */
  guint              n_handed;       /* atomic: how many Paho took */
  guint              n_acked;        /* atomic */
  guint              n_failed;       /* atomic: answered with a failure */
  GMutex             many_mutex;     /* the first failure; the worker's wait for the limit */
  GCond              many_cond;
  AntennaManyError   first_error;    /* under many_mutex; code 0 and reason 0: none */
};

struct _AntennaSender
{
  AntennaBridge *bridge;        /* owns the sender */
  MQTTAsync      handle;        /* the worker's; destroyed by it last */
  int            mqtt_version;

  GMutex         mutex;
  GQueue         queue;         /* of AntennaRequest (a reference each); under mutex */
  GQueue         held;          /* of AntennaEvent: answers and events waiting for a check; under mutex */
  guint          n_checks;      /* the QoS 2 answers in held the worker has to look at; under mutex */
  gboolean       running;       /* a worker is on the queues; under mutex */

  GHashTable    *outstanding;   /* main thread: AntennaRequest → its reference, until answered */
};

/* Handles being destroyed, for antenna_client_wait_for_destroyed(). */
static GMutex destroy_mutex;
static GCond  destroy_cond;
static guint  n_destroying;

/* ---- Requests ---------------------------------------------------------- */

static AntennaRequest *
request_new (AntennaSender *sender,
             RequestKind    kind,
             guint          op_id)
{
  AntennaRequest *request = g_new0 (AntennaRequest, 1);

  g_atomic_ref_count_init (&request->ref_count);
  request->kind = kind;
  request->state = REQUEST_QUEUED;
  request->sender = sender;
  request->op_id = op_id;
  return request;
}

static AntennaRequest *
request_ref (AntennaRequest *request)
{
  g_atomic_ref_count_inc (&request->ref_count);
  return request;
}

/* Any thread. */
void
_antenna_request_unref (AntennaRequest *request)
{
  if (!g_atomic_ref_count_dec (&request->ref_count))
    return;

  g_free (request->topic);
  g_strfreev (request->filters);
  g_clear_pointer (&request->payload, g_bytes_unref);
  g_clear_pointer (&request->properties, antenna_properties_unref);
  if (request->kind == REQUEST_PUBLISH_MANY)
    {
      for (guint i = 0; i < request->n; i++)
        g_clear_pointer (&request->payloads[i], g_bytes_unref);
      g_free (request->payloads);
      g_free (request->topics);
      g_free (request->topics_block);
      g_free (request->first_error.text);
      g_mutex_clear (&request->many_mutex);
      g_cond_clear (&request->many_cond);
    }
  g_free (request);
}

gboolean
_antenna_request_withdraw (AntennaRequest *request)
{
  if (!g_atomic_int_compare_and_exchange (&request->state, REQUEST_QUEUED, REQUEST_WITHDRAWN))
    {
      /* A batch being handed stops at its next message; what Paho took is
       * answered as usual. */
      if (request->kind == REQUEST_PUBLISH_MANY)
        g_atomic_int_set (&request->stop, TRUE);
      return FALSE;
    }

  /* The worker will not look at it again: the payload goes now, though the
   * sender may keep the request itself until its handle is destroyed. (The
   * caller holds a reference, so the worker's unref cannot free it meanwhile.) */
  g_clear_pointer (&request->payload, g_bytes_unref);
  g_clear_pointer (&request->properties, antenna_properties_unref);
  return TRUE;
}

/* ---- Paho's answers: Paho's threads ------------------------------------ */

static void start_worker_locked (AntennaSender *sender);

/* AntennaEvent.delivered_qos of a QoS 2 publish's answer until the worker
 * has asked Paho what the broker did. */
#define DELIVERED_QOS_UNCHECKED (-1)

/* Any thread: @event goes to the bridge now, or after the answers held back
 * (and into them when it needs a check). */
void
_antenna_sender_push_event (AntennaSender *sender,
                            AntennaEvent  *event)
{
  gboolean check = event->delivered_qos == DELIVERED_QOS_UNCHECKED;

  /* Pushed under the mutex, so that nothing overtakes what the worker
   * releases. */
  g_mutex_lock (&sender->mutex);
  if (check || !g_queue_is_empty (&sender->held))
    {
      g_queue_push_tail (&sender->held, event);
      if (check)
        {
          sender->n_checks++;
          start_worker_locked (sender);
        }
    }
  else
    _antenna_bridge_push_event (sender->bridge, event);
  g_mutex_unlock (&sender->mutex);
}

static void
push_answer (AntennaRequest *request,
             AntennaEvent   *event)
{
  event->op_id = request->op_id;
  event->request = request;
  _antenna_sender_push_event (request->sender, event);
}

/* A publish's success: the QoS it was acknowledged at, when Paho's answer
 * says it (@token: the answer's). */
static void
set_delivered_qos (AntennaRequest *request,
                   AntennaEvent   *event,
                   int             token)
{
  if (request->kind != REQUEST_PUBLISH)
    return;
  /* PUBCOMP or PUBACK: the worker asks Paho (see the top of the file) */
  request->token = token;
  event->delivered_qos = request->qos == 2 ? DELIVERED_QOS_UNCHECKED : request->qos;
}

static void
on_paho_success (void                  *context,
                 MQTTAsync_successData *response)
{
  AntennaEvent *event = _antenna_event_new (ANTENNA_EVENT_SUCCESS);

  /* For a single subscribe, alt.qos is the granted QoS, or 0x80 (3.1.1
   * failure). For a publish the union holds the message: ignore it. */
  event->granted = response->alt.qos;
  set_delivered_qos (context, event, response->token);
  push_answer (context, event);
}

static void
on_paho_success5 (void                   *context,
                  MQTTAsync_successData5 *response)
{
  AntennaEvent *event = _antenna_event_new (ANTENNA_EVENT_SUCCESS);

  event->reason = response->reasonCode;
  /* Several reason codes (unsubscribe many, subscribe many): keep the worst. */
  if (response->alt.unsub.reasonCodeCount > 1 && response->alt.unsub.reasonCodes != NULL)
    for (int i = 0; i < response->alt.unsub.reasonCodeCount; i++)
      event->reason = MAX (event->reason, (int) response->alt.unsub.reasonCodes[i]);
  event->reason_string = _antenna_client_paho_dup_string (&response->properties, MQTTPROPERTY_CODE_REASON_STRING);
  set_delivered_qos (context, event, response->token);
  push_answer (context, event);
}

static void
on_paho_failure (void                  *context,
                 MQTTAsync_failureData *response)
{
  AntennaEvent *event = _antenna_event_new (ANTENNA_EVENT_FAILURE);

  event->code = response->code;
  event->text = g_strdup (response->message);
  push_answer (context, event);
}

static void
on_paho_failure5 (void                   *context,
                  MQTTAsync_failureData5 *response)
{
  AntennaEvent *event = _antenna_event_new (ANTENNA_EVENT_FAILURE);

  event->code = response->code;
  event->reason = response->reasonCode;
  event->packet_type = response->packet_type;
  event->text = g_strdup (response->message);
  event->reason_string = _antenna_client_paho_dup_string (&response->properties, MQTTPROPERTY_CODE_REASON_STRING);
  push_answer (context, event);
}

/* A batch's answers: counted; the last one (or the worker's end, if it
 * comes after them) makes the batch's only event. Paho's threads. */
static void
many_release (AntennaRequest *request)
{
  gboolean last;

  /* The worker waiting for room sees the new count when it wakes. (It
   * holds a share of pending meanwhile: this cannot be the last.) */
  if (request->limit > 0)
    {
      g_mutex_lock (&request->many_mutex);
      last = g_atomic_int_dec_and_test (&request->pending);
      g_cond_signal (&request->many_cond);
      g_mutex_unlock (&request->many_mutex);
    }
  else
    last = g_atomic_int_dec_and_test (&request->pending);

  if (last)
    {
      AntennaEvent *event = _antenna_event_new (ANTENNA_EVENT_SUCCESS);

      /* no PUBACK-for-QoS-2 check for a batch (see the header) */
      event->delivered_qos = request->qos;
      push_answer (request, event);
    }
}

static void
many_failed (AntennaRequest *request,
             int             code,
             int             reason,
             const char     *text,
             gboolean        not_taken)
{
  g_mutex_lock (&request->many_mutex);
  if (request->first_error.code == 0 && request->first_error.reason == 0)
    {
      request->first_error.code = code;
      request->first_error.reason = reason;
      request->first_error.text = g_strdup (text);
      request->first_error.not_taken = not_taken;
    }
  g_mutex_unlock (&request->many_mutex);
}

static void
on_many_success (void                  *context,
                 MQTTAsync_successData *response)
{
  AntennaRequest *request = context;

  g_atomic_int_inc (&request->n_acked);
  many_release (request);
}

static void
on_many_success5 (void                   *context,
                  MQTTAsync_successData5 *response)
{
  AntennaRequest *request = context;

  if (response->reasonCode >= 0x80)
    {
      g_autofree char *reason_string =
        _antenna_client_paho_dup_string (&response->properties, MQTTPROPERTY_CODE_REASON_STRING);

      many_failed (request, MQTTASYNC_SUCCESS, response->reasonCode, reason_string, FALSE);
      g_atomic_int_inc (&request->n_failed);
    }
  else
    g_atomic_int_inc (&request->n_acked);
  many_release (request);
}

static void
on_many_failure (void                  *context,
                 MQTTAsync_failureData *response)
{
  AntennaRequest *request = context;

  many_failed (request, response->code, 0, response->message, FALSE);
  g_atomic_int_inc (&request->n_failed);
  many_release (request);
}

static void
on_many_failure5 (void                   *context,
                  MQTTAsync_failureData5 *response)
{
  AntennaRequest *request = context;

  many_failed (request, response->code, response->reasonCode, response->message, FALSE);
  g_atomic_int_inc (&request->n_failed);
  many_release (request);
}

/* ---- The worker -------------------------------------------------------- */

static void
init_response (AntennaRequest            *request,
               MQTTAsync_responseOptions *response)
{
  if (request->sender->mqtt_version == MQTTVERSION_5)
    {
      response->onSuccess5 = on_paho_success5;
      response->onFailure5 = on_paho_failure5;
    }
  else
    {
      response->onSuccess = on_paho_success;
      response->onFailure = on_paho_failure;
    }
  response->context = request;
}

static gboolean
paho_has_no_room (int rc)
{
  return rc == MQTTASYNC_MAX_BUFFERED_MESSAGES || rc == MQTTASYNC_MAX_MESSAGES_INFLIGHT ||
         rc == MQTTASYNC_NO_MORE_MSGIDS;
}

/* One try to hand @request to Paho (which copies the payload here, on this
 * thread). */
static int
offer (AntennaSender             *sender,
       AntennaRequest            *request,
       MQTTAsync_message         *msg,
       MQTTAsync_responseOptions *response)
{
  switch (request->kind)
    {
    case REQUEST_PUBLISH:
      return MQTTAsync_sendMessage (sender->handle, request->topic, msg, response);
    case REQUEST_SUBSCRIBE:
      return MQTTAsync_subscribe (sender->handle, request->topic, request->qos, response);
    case REQUEST_UNSUBSCRIBE:
      return MQTTAsync_unsubscribeMany (sender->handle, (int) g_strv_length (request->filters),
                                        request->filters, response);
    case REQUEST_PUBLISH_MANY:
    case REQUEST_DISCONNECT:
    case REQUEST_DESTROY:
    default:
      g_assert_not_reached ();
    }
}

static void
hand_disconnect (AntennaSender  *sender,
                 AntennaRequest *request)
{
  MQTTAsync_disconnectOptions opts = MQTTAsync_disconnectOptions_initializer;

  if (request->notify)
    _antenna_bridge_init_disconnect_options (sender->bridge, &opts);
  else if (sender->mqtt_version == MQTTVERSION_5)
    opts.struct_version = 1;
  opts.timeout = request->timeout_ms;

  if (MQTTAsync_disconnect (sender->handle, &opts) != MQTTASYNC_SUCCESS && request->notify)
    _antenna_sender_push_event (sender, _antenna_event_new (ANTENNA_EVENT_DISCONNECT_DONE));
}

static void
destroy_handle (AntennaSender  *sender,
                AntennaRequest *request)
{
  if (request->send_disconnect && MQTTAsync_isConnected (sender->handle))
    {
      MQTTAsync_disconnectOptions opts = MQTTAsync_disconnectOptions_initializer;

      if (sender->mqtt_version == MQTTVERSION_5)
        opts.struct_version = 1;
      opts.timeout = 500;
      if (MQTTAsync_disconnect (sender->handle, &opts) == MQTTASYNC_SUCCESS)
        for (guint i = 0; i < 100 && MQTTAsync_isConnected (sender->handle); i++)
          g_usleep (10 * 1000);
    }

  /* Paho answers what it still held (on this thread), then never again. */
  MQTTAsync_destroy (&sender->handle);

  g_mutex_lock (&destroy_mutex);
  n_destroying--;
  g_cond_broadcast (&destroy_cond);
  g_mutex_unlock (&destroy_mutex);
}

/* The worker: the answers held back go to the bridge, each QoS 2 publish's
 * with what the broker did, until none is left. Never under the sender's
 * mutex while it calls Paho: Paho's callbacks take that mutex holding Paho's. */
static void
release_held (AntennaSender *sender)
{
  for (;;)
    {
      AntennaEvent *event;
      AntennaRequest *request;
      int delivered_qos = 2;

      /* Up to the first answer to check; only the worker takes from held. */
      g_mutex_lock (&sender->mutex);
      while ((event = g_queue_peek_head (&sender->held)) != NULL &&
             event->delivered_qos != DELIVERED_QOS_UNCHECKED)
        _antenna_bridge_push_event (sender->bridge, g_queue_pop_head (&sender->held));
      g_mutex_unlock (&sender->mutex);

      if (event == NULL)
        return;

      /* Still in Paho's hands after the broker's answer: that was a PUBACK,
       * and Paho waits for a PUBREC. (A dropped handle answers nothing more
       * that anyone reads, and may be gone.) */
      request = event->request;
      if (!_antenna_bridge_is_dead (sender->bridge) && sender->handle != NULL &&
          MQTTAsync_isComplete (sender->handle, request->token) != MQTTASYNC_TRUE)
        delivered_qos = 1;

      g_mutex_lock (&sender->mutex);
      event->delivered_qos = delivered_qos;
      sender->n_checks--;
      _antenna_bridge_push_event (sender->bridge, g_queue_pop_head (&sender->held));
      g_mutex_unlock (&sender->mutex);
    }
}

/* The worker: whether it should hand no more of the batch @request. */
static gboolean
many_stopped (AntennaSender  *sender,
              AntennaRequest *request)
{
  return g_atomic_int_get (&request->stop) || _antenna_bridge_is_dead (sender->bridge);
}

/* The worker: a batch, message after message from this one wake-up, in its
 * order, each retried while Paho has no room; at QoS 1 and 2 no more than
 * the broker's receive maximum unanswered (Paho would hold the rest back
 * until its next command, or a second). Stops early when the batch is
 * stopped or Paho refuses a message; the rest is never handed. */
static void
hand_many (AntennaSender  *sender,
           AntennaRequest *request)
{
  MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
  guint i;

  if (sender->mqtt_version == MQTTVERSION_5)
    {
      response.onSuccess5 = on_many_success5;
      response.onFailure5 = on_many_failure5;
    }
  else
    {
      response.onSuccess = on_many_success;
      response.onFailure = on_many_failure;
    }
  response.context = request;

  for (i = 0; i < request->n && !many_stopped (sender, request); i++)
    {
      MQTTAsync_message msg = MQTTAsync_message_initializer;
      gsize len = 0;
      int rc;

      if (request->limit > 0 && request->qos > 0)
        {
          gboolean room;

          /* pending counts the worker's own hold too */
          g_mutex_lock (&request->many_mutex);
          while (!(room = (guint) g_atomic_int_get (&request->pending) - 1 < request->limit) &&
                 !many_stopped (sender, request))
            g_cond_wait_until (&request->many_cond, &request->many_mutex,
                               g_get_monotonic_time () + RETRY_USEC);
          g_mutex_unlock (&request->many_mutex);
          if (!room)
            break;
        }

      msg.payload = (void *) g_bytes_get_data (request->payloads[i], &len);
      msg.payloadlen = (int) len;
      msg.qos = request->qos;
      msg.retained = request->retain;

      g_atomic_int_inc (&request->pending);
      while (paho_has_no_room (rc = MQTTAsync_sendMessage (sender->handle, request->topics[i], &msg, &response)) &&
             !many_stopped (sender, request))
        {
          g_usleep (RETRY_USEC);
          release_held (sender);
        }
      if (rc != MQTTASYNC_SUCCESS)
        {
          /* not Paho's: never answered (the worker's hold keeps pending above 0) */
          g_atomic_int_dec_and_test (&request->pending);
          if (!paho_has_no_room (rc))
            many_failed (request, rc, 0, NULL, TRUE);
          break;
        }
      /* Paho has its copy */
      g_clear_pointer (&request->payloads[i], g_bytes_unref);
    }

  g_atomic_int_set (&request->n_handed, i);
  many_release (request);
}

/* The worker: one request. */
static void
hand_request (AntennaSender  *sender,
              AntennaRequest *request)
{
  MQTTAsync_message msg = MQTTAsync_message_initializer;
  MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
  int rc;

  if (request->kind == REQUEST_DESTROY)
    {
      destroy_handle (sender, request);
      return;
    }

  /* Withdrawn, or the handle was dropped: the main thread let it go. */
  if (_antenna_bridge_is_dead (sender->bridge) ||
      !g_atomic_int_compare_and_exchange (&request->state, REQUEST_QUEUED, REQUEST_HANDED))
    return;

  if (request->kind == REQUEST_DISCONNECT)
    {
      hand_disconnect (sender, request);
      return;
    }
  if (request->kind == REQUEST_PUBLISH_MANY)
    {
      hand_many (sender, request);
      return;
    }

  init_response (request, &response);
  if (request->kind == REQUEST_PUBLISH)
    {
      gsize len = 0;

      msg.payload = (void *) g_bytes_get_data (request->payload, &len);
      msg.payloadlen = (int) len;
      msg.qos = request->qos;
      msg.retained = request->retain;
      if (sender->mqtt_version == MQTTVERSION_5)
        _antenna_client_properties_to_paho (request->properties, &msg.properties);
    }
  else if (request->kind == REQUEST_SUBSCRIBE && sender->mqtt_version == MQTTVERSION_5)
    {
      response.subscribeOptions.noLocal = request->no_local;
      response.subscribeOptions.retainAsPublished = request->retain_as_published;
      response.subscribeOptions.retainHandling = request->retain_handling;
    }

  /* (The answers Paho gives meanwhile go on to the main thread.) */
  while (paho_has_no_room (rc = offer (sender, request, &msg, &response)) &&
         !_antenna_bridge_is_dead (sender->bridge))
    {
      g_usleep (RETRY_USEC);
      release_held (sender);
    }

  MQTTProperties_free (&msg.properties);
  /* Paho has its copy; the operation keeps the caller's. */
  g_clear_pointer (&request->payload, g_bytes_unref);

  if (rc != MQTTASYNC_SUCCESS)
    {
      AntennaEvent *event = _antenna_event_new (ANTENNA_EVENT_NOT_TAKEN);

      event->code = rc;
      push_answer (request, event);
    }
}

/* A pool thread: the sender's queue until it is empty. The worker holds a
 * reference to the bridge, which owns the sender. */
static void
sender_run (gpointer data,
            gpointer user_data)
{
  AntennaSender *sender = data;
  AntennaBridge *bridge = sender->bridge;

  for (;;)
    {
      AntennaRequest *request;
      gboolean done;

      release_held (sender);

      g_mutex_lock (&sender->mutex);
      request = g_queue_pop_head (&sender->queue);
      done = request == NULL && g_queue_is_empty (&sender->held);
      if (done)
        sender->running = FALSE;
      g_mutex_unlock (&sender->mutex);

      if (done)
        break;
      if (request == NULL)
        continue;

      hand_request (sender, request);
      _antenna_request_unref (request);
    }

  _antenna_bridge_unref (bridge);
}

static GThreadPool *
get_pool (void)
{
  static gsize pool;

  if (g_once_init_enter (&pool))
    {
      g_autoptr(GError) error = NULL;
      GThreadPool *new_pool = g_thread_pool_new (sender_run, NULL, -1, FALSE, &error);

      g_assert_no_error (error);
      g_once_init_leave (&pool, (gsize) new_pool);
    }
  return (GThreadPool *) pool;
}

/* Any thread, under the sender's mutex: a worker is on the queues. */
static void
start_worker_locked (AntennaSender *sender)
{
  if (sender->running)
    return;

  sender->running = TRUE;
  _antenna_bridge_ref (sender->bridge);
  g_thread_pool_push (get_pool (), sender, NULL);
}

/* Main thread: appends @request (taking the reference) to the queue, with a
 * worker on it. */
static void
enqueue (AntennaSender  *sender,
         AntennaRequest *request)
{
  g_mutex_lock (&sender->mutex);
  g_queue_push_tail (&sender->queue, request);
  start_worker_locked (sender);
  g_mutex_unlock (&sender->mutex);
}

/* Main thread: queues a request Paho will answer through its context, and
 * keeps it until then. Returns the caller's reference. */
static AntennaRequest *
enqueue_answered (AntennaSender  *sender,
                  AntennaRequest *request)
{
  g_hash_table_add (sender->outstanding, request_ref (request));
  enqueue (sender, request_ref (request));
  return request;
}

/* ---- The bridge's half ------------------------------------------------- */

AntennaSender *
_antenna_sender_new (AntennaBridge *bridge,
                     MQTTAsync      handle,
                     int            mqtt_version)
{
  AntennaSender *sender = g_new0 (AntennaSender, 1);

  sender->bridge = bridge;
  sender->handle = handle;
  sender->mqtt_version = mqtt_version;
  g_mutex_init (&sender->mutex);
  g_queue_init (&sender->queue);
  g_queue_init (&sender->held);
  sender->outstanding = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) _antenna_request_unref, NULL);
  return sender;
}

void
_antenna_sender_destroy_handle (AntennaSender *sender,
                                gboolean       send_disconnect)
{
  AntennaRequest *request = request_new (sender, REQUEST_DESTROY, 0);

  request->send_disconnect = send_disconnect;

  g_mutex_lock (&destroy_mutex);
  n_destroying++;
  g_mutex_unlock (&destroy_mutex);

  enqueue (sender, request);
}

void
_antenna_sender_free (AntennaSender *sender)
{
  /* A worker holds the bridge, and so the sender, until the queues are empty. */
  g_assert (g_queue_is_empty (&sender->queue));
  g_assert (g_queue_is_empty (&sender->held));

  g_hash_table_unref (sender->outstanding);
  g_mutex_clear (&sender->mutex);
  g_free (sender);
}

/* ---- The main thread's half -------------------------------------------- */

AntennaRequest *
_antenna_sender_publish (AntennaSender     *sender,
                         guint              op_id,
                         const char        *topic,
                         GBytes            *payload,
                         int                qos,
                         gboolean           retain,
                         AntennaProperties *properties)
{
  AntennaRequest *request = request_new (sender, REQUEST_PUBLISH, op_id);

  request->topic = g_strdup (topic);
  request->payload = g_bytes_ref (payload);
  /* read on the worker: properties do not change once shared */
  request->properties = properties ? antenna_properties_ref (properties) : NULL;
  request->qos = qos;
  request->retain = retain;
  return enqueue_answered (sender, request);
}

AntennaRequest *
_antenna_sender_publish_many (AntennaSender      *sender,
                              guint               op_id,
                              guint               n,
                              const char * const *topics,
                              GBytes * const     *payloads,
                              int                 qos,
                              gboolean            retain,
                              guint               limit)
{
  AntennaRequest *request = request_new (sender, REQUEST_PUBLISH_MANY, op_id);
  gsize block_size = 0;
  char *p;

  /* the topics in one block: one allocation for the batch, not one each */
  for (guint i = 0; i < n; i++)
    block_size += strlen (topics[i]) + 1;
  request->topics_block = p = g_malloc (MAX (block_size, 1));
  request->topics = g_new (char *, n);
  request->payloads = g_new (GBytes *, n);
  for (guint i = 0; i < n; i++)
    {
      gsize len = strlen (topics[i]) + 1;

      memcpy (p, topics[i], len);
      request->topics[i] = p;
      p += len;
      request->payloads[i] = g_bytes_ref (payloads[i]);
    }
  request->n = n;
  request->qos = qos;
  request->retain = retain;
  request->limit = limit;
  request->pending = 1;   /* the worker's hold */
  g_mutex_init (&request->many_mutex);
  g_cond_init (&request->many_cond);
  return enqueue_answered (sender, request);
}

void
_antenna_request_get_many (AntennaRequest   *request,
                           guint            *n_handed,
                           guint            *n_acked,
                           guint            *n_failed,
                           AntennaManyError *first_error)
{
  g_return_if_fail (request->kind == REQUEST_PUBLISH_MANY);

  *n_handed = g_atomic_int_get (&request->n_handed);
  *n_acked = g_atomic_int_get (&request->n_acked);
  *n_failed = g_atomic_int_get (&request->n_failed);
  if (first_error != NULL)
    {
      g_mutex_lock (&request->many_mutex);
      *first_error = request->first_error;
      first_error->text = g_strdup (request->first_error.text);
      g_mutex_unlock (&request->many_mutex);
    }
}

AntennaRequest *
_antenna_sender_subscribe (AntennaSender *sender,
                           guint          op_id,
                           const char    *filter,
                           int            qos,
                           gboolean       no_local,
                           gboolean       retain_as_published,
                           int            retain_handling)
{
  AntennaRequest *request = request_new (sender, REQUEST_SUBSCRIBE, op_id);

  request->topic = g_strdup (filter);
  request->qos = qos;
  request->no_local = no_local;
  request->retain_as_published = retain_as_published;
  request->retain_handling = retain_handling;
  return enqueue_answered (sender, request);
}

AntennaRequest *
_antenna_sender_unsubscribe (AntennaSender      *sender,
                             guint               op_id,
                             const char * const *filters)
{
  AntennaRequest *request = request_new (sender, REQUEST_UNSUBSCRIBE, op_id);

  request->filters = g_strdupv ((GStrv) filters);
  return enqueue_answered (sender, request);
}

void
_antenna_sender_disconnect (AntennaSender *sender,
                            int            timeout_ms,
                            gboolean       notify)
{
  AntennaRequest *request = request_new (sender, REQUEST_DISCONNECT, 0);

  request->timeout_ms = timeout_ms;
  request->notify = notify;
  enqueue (sender, request);
}

void
_antenna_sender_forget (AntennaSender  *sender,
                        AntennaRequest *request)
{
  if (sender != NULL && request != NULL && request->sender == sender)
    g_hash_table_remove (sender->outstanding, request);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

/**
 * antenna_client_wait_for_destroyed:
 * @timeout_ms: how long to wait at most
 *
 * Waits until every Paho handle dropped by a disconnect or a finalized client
 * has been destroyed (its DISCONNECT sent). For the end of the application
 * and of tests. Returns whether all were.
 */
gboolean
antenna_client_wait_for_destroyed (guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean done;

  /* the workers destroying them call into Paho: no receive thread may wait for us */
  _antenna_bridge_paho_call_begin ();
  g_mutex_lock (&destroy_mutex);
  while (n_destroying > 0)
    if (!g_cond_wait_until (&destroy_cond, &destroy_mutex, end))
      break;
  done = n_destroying == 0;
  g_mutex_unlock (&destroy_mutex);
  _antenna_bridge_paho_call_end ();

  return done;
}
