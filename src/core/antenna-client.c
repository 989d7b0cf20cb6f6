/* antenna-client.c: one live MQTT connection over a Paho MQTTAsync handle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bridge. Paho runs its callbacks on its own threads, holding its global
 * mutex. Each callback copies what it needs into an Event, frees the Paho
 * memory right there (Debian's Paho has a tracked heap: freeing it on the main
 * thread would make the two threads fight over its lock), appends the event
 * to the queue of a small refcounted Bridge under a GMutex, arms the Bridge's
 * GSource about a millisecond ahead when the queue was empty, and returns.
 * The GSource's dispatch, on the main context, swaps out the whole queue and
 * handles it in order: messages become one ::messages-received emission per
 * run of consecutive messages; everything else completes GTasks and moves the
 * state machine. The callbacks see only the Bridge, never the GObject, and a
 * Bridge lives as long as its Paho handle: each handle (one per
 * antenna_client_connect_async()) has its own Bridge, so events of a handle
 * that was dropped (disconnect, cancel, finalize) can never reach the next one.
 * MQTTAsync_destroy() runs in a thread of its own, since it can block.
 *
 * Reconnection is ours, not Paho's automaticReconnect, so that :state is true
 * at every moment and the back-off has jitter: 1 s, 2 s, 4 s … 30 s, ±20 %,
 * never less than a second. A reconnect reuses the same handle (Paho keeps
 * the in-flight QoS 1/2 messages of a persistent session and resends them).
 *
 * :subscriptions holds every subscription sent on this connection: PENDING
 * until the SUBACK, then ACTIVE, or REFUSED with an error sentence (a refused
 * subscription stays in the model so the UI can show why; it is never ACTIVE).
 * While the connection is down they are PENDING again; after a reconnect
 * without a session they are subscribed again.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/resource.h>
# include <sys/syscall.h>
#endif

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <MQTTAsync.h>

#include "antenna-client.h"
#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-message-private.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-topic.h"

/* How many publishes we hand to Paho at once; the rest wait in our queue. */
#define PUBLISH_WINDOW         256
#define MAX_BUFFERED_MESSAGES  (PUBLISH_WINDOW * 4)
#define RECONNECT_MAX_SECONDS  30
#define DISCONNECT_TIMEOUT_MS  2000

/* ------------------------------------------------------------------------ */
/* Events and the bridge                                                     */

typedef enum {
  EVENT_MESSAGE,
  EVENT_CONNECTED,
  EVENT_CONNECT_FAILED,
  EVENT_SUCCESS,
  EVENT_FAILURE,
  EVENT_CONNECTION_LOST,
  EVENT_SERVER_DISCONNECT,
  EVENT_DISCONNECT_DONE,
} EventKind;

/* Everything but a message. The queue holds Event and MessageEvent
 * pointers; both start with their kind. */
typedef struct
{
  EventKind          kind;
  int                token;
  int                code;           /* Paho error code, or 3.1.1 CONNACK/SUBACK code */
  int                reason;         /* MQTT 5 reason code */
  int                granted;        /* 3.1.1 SUBACK: granted QoS or 0x80; garbage for other acks */
  int                session_present;
  int                packet_type;
  guint32            maximum_packet_size;
  char              *text;           /* Paho's message, or the lost cause */
  char              *reason_string;  /* MQTT 5 reason string property */
  char              *assigned_id;    /* MQTT 5 assigned client identifier */
} Event;

/* A received message: the event, its topic and (up to LARGE_PAYLOAD) its
 * payload in one block, which becomes the AntennaMessage's storage
 * (AntennaMessageBlock) without a copy. Blocks of up to POOL_BLOCK_SIZE come
 * from a pool and go back to it when the last message or GBytes using them is
 * gone: they are allocated on Paho's thread and dropped on the main thread,
 * and malloc/free across the two threads made them fight over glibc's arena
 * lock (bench/README.md, "Where the time goes"). */
typedef struct _MessageEvent MessageEvent;

struct _MessageEvent
{
  EventKind            kind;         /* EVENT_MESSAGE */
  guint8               qos;
  guint8               retained;
  guint8               dup;
  guint8               pooled;
  AntennaMessageBlock  block;
  MessageEvent        *next;         /* in a free list */
  AntennaProperties   *properties;
  gpointer             paho_payload; /* a large payload, in Paho's buffer */
  gsize                topic_len;
  gint64               timestamp;
  char                 data[];       /* topic, NUL, payload */
};

#define POOL_BLOCK_SIZE      512
#define POOL_BLOCK_DATA      (POOL_BLOCK_SIZE - sizeof (MessageEvent))
/* Free blocks kept for reuse at most (2 MiB); beyond, they are freed. */
#define POOL_MAX_BLOCKS      4096

typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GPtrArray       *events;      /* of Event* / MessageEvent*; under mutex */
  gboolean         alive;       /* under mutex */
  GString         *tls_errors;  /* OpenSSL's error text; under mutex */
  GSource         *source;      /* constant */
  GMainContext    *context;     /* constant; woken when the queue fills */
  int              pending;     /* atomic: the queue is not empty */
  int              dead;        /* atomic: alive is FALSE */
  int              mqtt_version;

  /* What waits to be dispatched, for the backpressure: the messages in
   * events and in inbox, and their topic and payload bytes. Under mutex. */
  guint            queued;
  guint64          queued_bytes;
  guint            max_queued;  /* the most there ever were */
  gboolean         full;        /* Paho's receive thread: the last push filled the queue */

  /* Main thread: the events taken from the queue and not handled yet (one
   * dispatch handles at most DISPATCH_MAX_MESSAGES). */
  GPtrArray       *inbox;
  guint            inbox_pos;
} Bridge;

/* The bridge's GSource: ready about a millisecond after the main thread first
 * sees the queue non-empty, so that a batch gathers hundreds of messages.
 * Paho's threads only set bridge->pending and wake the context (a write to
 * its eventfd, no lock); the deadline is kept on the main thread, so Paho's
 * threads never take the GMainContext lock as g_source_set_ready_time does. */
#define BATCH_GATHER_USEC 1000

/* One dispatch handles at most this many messages or this long (checked
 * every DISPATCH_CHECK_EVERY messages): a main loop that fell behind gets
 * batches of a bounded size, with a main-loop iteration between them in which
 * sources of a lower priority (GTK's frames) run. */
#define DISPATCH_MAX_MESSAGES ANTENNA_CLIENT_DISPATCH_MAX_MESSAGES
#define DISPATCH_MAX_USEC     4000
#define DISPATCH_CHECK_EVERY  256

/* Backpressure: when this many messages, or this many bytes of topics and
 * payloads, wait for the main thread, Paho's receive thread waits in its
 * callback before queueing the next one: it stops reading the socket, and the
 * backlog stays in the broker (and in TCP buffers), not in the application.
 * It waits at most FLOW_MAX_WAIT_USEC for each message, so that a main loop
 * blocked for long still lets Paho go round its loop (keep-alive, PUBACKs) a
 * couple of times a second, a message at a time. */
#define FLOW_MAX_WAIT_USEC    ANTENNA_CLIENT_FLOW_MAX_WAIT_USEC

/* Payloads above this stay in Paho's buffer instead of being copied. */
#define LARGE_PAYLOAD (64 * 1024)

typedef struct
{
  GSource  source;
  Bridge  *bridge;     /* owns this source, and is freed only after it was destroyed */
  gint64   deadline;   /* main thread: when the gathering batch is due; 0: none */
  gboolean yield;      /* main thread: let one main-loop iteration pass first */
} BridgeSource;

/* ---- The block pool ---------------------------------------------------- */

/* Blocks given back, from any thread; under pool_mutex. Paho's receive
 * thread takes the whole list at once into a list of its own (per thread),
 * so it locks the pool once per POOL_MAX_BLOCKS messages at most. */
static GMutex        pool_mutex;
static MessageEvent *pool_free;
static guint         pool_n_free;

typedef struct
{
  MessageEvent *head;
} PoolCache;

static void
pool_cache_free (gpointer data)
{
  PoolCache *cache = data;

  while (cache->head != NULL)
    {
      MessageEvent *next = cache->head->next;

      g_free (cache->head);
      cache->head = next;
    }
  g_free (cache);
}

static GPrivate pool_cache_key = G_PRIVATE_INIT (pool_cache_free);

static MessageEvent *
pool_take (void)
{
  PoolCache *cache = g_private_get (&pool_cache_key);
  MessageEvent *event;

  if G_UNLIKELY (cache == NULL)
    {
      cache = g_new0 (PoolCache, 1);
      g_private_set (&pool_cache_key, cache);
    }

  if (cache->head == NULL && g_atomic_pointer_get (&pool_free) != NULL)
    {
      g_mutex_lock (&pool_mutex);
      cache->head = pool_free;
      pool_free = NULL;
      pool_n_free = 0;
      g_mutex_unlock (&pool_mutex);
    }

  if (cache->head == NULL)
    return g_malloc (POOL_BLOCK_SIZE);

  event = cache->head;
  cache->head = event->next;
  return event;
}

/* Any thread. */
static void
pool_give (MessageEvent *event)
{
  g_mutex_lock (&pool_mutex);
  if (pool_n_free < POOL_MAX_BLOCKS)
    {
      event->next = pool_free;
      pool_free = event;
      pool_n_free++;
      event = NULL;
    }
  g_mutex_unlock (&pool_mutex);

  g_free (event);
}

/* AntennaMessageBlock.release: the last message or GBytes using the block is
 * gone, on any thread. */
static void
message_event_release (AntennaMessageBlock *block)
{
  MessageEvent *event = (MessageEvent *) ((char *) block - G_STRUCT_OFFSET (MessageEvent, block));

  if (event->paho_payload != NULL)
    MQTTAsync_free (event->paho_payload);
  if (event->pooled)
    pool_give (event);
  else
    g_free (event);
}

/* Paho's receive thread: a block with room for @data_size bytes of topic and payload. */
static MessageEvent *
message_event_new (gsize data_size)
{
  MessageEvent *event;

  if (data_size <= POOL_BLOCK_DATA)
    {
      event = pool_take ();
      event->pooled = TRUE;
      event->block.footprint = POOL_BLOCK_SIZE;
    }
  else
    {
      event = g_malloc (sizeof (MessageEvent) + data_size);
      event->pooled = FALSE;
      event->block.footprint = sizeof (MessageEvent) + data_size;
    }
  event->kind = EVENT_MESSAGE;
  g_atomic_ref_count_init (&event->block.ref_count);
  event->block.release = message_event_release;
  event->next = NULL;
  event->properties = NULL;
  event->paho_payload = NULL;

  return event;
}

static void
event_free (Event *event)
{
  g_free (event->text);
  g_free (event->reason_string);
  g_free (event->assigned_id);
  g_free (event);
}

/* Any thread: an event or a message event that will not be handled. */
static void
queue_item_free (gpointer item)
{
  if (*(EventKind *) item == EVENT_MESSAGE)
    {
      MessageEvent *event = item;

      g_clear_pointer (&event->properties, antenna_properties_unref);
      antenna_message_block_unref (&event->block);
    }
  else
    event_free (item);
}

static Event *
event_new (EventKind kind)
{
  Event *event = g_new0 (Event, 1);

  event->kind = kind;
  return event;
}

/* ---- Backpressure ------------------------------------------------------ */

/* One mutex and condition for all bridges: Paho has one receive thread for
 * all its handles, and it waits for one bridge at a time. */
static GMutex flow_mutex;
static GCond  flow_cond;
static int    flow_waiting;     /* atomic: the receive thread is waiting */
static int    flow_paho_calls;  /* atomic: main-thread calls into Paho in progress */

/* Any thread: a waiting receive thread should look again. */
static void
flow_wake (void)
{
  if (g_atomic_int_get (&flow_waiting) == 0)
    return;

  g_mutex_lock (&flow_mutex);
  g_cond_broadcast (&flow_cond);
  g_mutex_unlock (&flow_mutex);
}

/* Paho calls its callbacks holding its global mutex, which every MQTTAsync
 * function takes too. So while the receive thread waits for room in a queue,
 * a call into Paho from the main thread would block until the wait ends, and
 * the main thread is what makes room: each such call (and each wait of the
 * main thread for a thread that calls Paho) is bracketed by these, which stop
 * the receive thread from waiting meanwhile (it queues past the bound). */
static void
paho_call_begin (void)
{
  g_atomic_int_inc (&flow_paho_calls);
  flow_wake ();
}

static void
paho_call_end (void)
{
  g_atomic_int_dec_and_test (&flow_paho_calls);
}

static gboolean
bridge_is_full_locked (Bridge *bridge)
{
  return bridge->queued >= ANTENNA_CLIENT_MAX_QUEUED_MESSAGES ||
         bridge->queued_bytes >= ANTENNA_CLIENT_MAX_QUEUED_BYTES;
}

/* Paho's receive thread, before it queues a message when the last one filled
 * the queue: waits until the main thread has made room, the bridge is dropped,
 * the main thread calls into Paho, or FLOW_MAX_WAIT_USEC have passed. */
static void
bridge_wait_for_room (Bridge *bridge)
{
  gint64 end = g_get_monotonic_time () + FLOW_MAX_WAIT_USEC;

  g_mutex_lock (&flow_mutex);
  g_atomic_int_inc (&flow_waiting);
  for (;;)
    {
      gboolean full;

      g_mutex_lock (&bridge->mutex);
      full = bridge_is_full_locked (bridge);
      g_mutex_unlock (&bridge->mutex);

      if (!full || g_atomic_int_get (&bridge->dead) || g_atomic_int_get (&flow_paho_calls) > 0)
        break;
      if (!g_cond_wait_until (&flow_cond, &flow_mutex, end))
        break;
    }
  g_atomic_int_dec_and_test (&flow_waiting);
  g_mutex_unlock (&flow_mutex);
}

static Bridge *
bridge_ref (Bridge *bridge)
{
  g_atomic_ref_count_inc (&bridge->ref_count);
  return bridge;
}

static void
bridge_unref (Bridge *bridge)
{
  if (!g_atomic_ref_count_dec (&bridge->ref_count))
    return;

  for (guint i = bridge->inbox_pos; i < bridge->inbox->len; i++)
    queue_item_free (g_ptr_array_index (bridge->inbox, i));
  g_ptr_array_unref (bridge->inbox);
  g_ptr_array_foreach (bridge->events, (GFunc) queue_item_free, NULL);
  g_ptr_array_unref (bridge->events);
  g_string_free (bridge->tls_errors, TRUE);
  g_source_unref (bridge->source);
  g_main_context_unref (bridge->context);
  g_mutex_clear (&bridge->mutex);
  g_free (bridge);
}

/* Any thread. Takes @item (an Event, or a MessageEvent of @bytes topic and
 * payload bytes). Returns whether the queue is full now. */
static gboolean
bridge_push (Bridge   *bridge,
             gpointer  item,
             gsize     bytes)
{
  gboolean wake = FALSE;
  gboolean full = FALSE;

  g_mutex_lock (&bridge->mutex);
  if (bridge->alive)
    {
      g_ptr_array_add (bridge->events, item);
      if (*(EventKind *) item == EVENT_MESSAGE)
        {
          bridge->queued++;
          bridge->queued_bytes += bytes;
          if (bridge->queued > bridge->max_queued)
            bridge->max_queued = bridge->queued;
          full = bridge_is_full_locked (bridge);
        }
      item = NULL;
      /* Empty → non-empty: tell the main thread, which starts the batch's
       * millisecond; the dispatch clears the flag under this mutex when it
       * swaps the queue out. */
      if (bridge->events->len == 1)
        {
          g_atomic_int_set (&bridge->pending, 1);
          wake = TRUE;
        }
    }
  g_mutex_unlock (&bridge->mutex);

  if (wake)
    g_main_context_wakeup (bridge->context);

  if (item != NULL)
    queue_item_free (item);

  return full;
}

/* Main thread. */
static gboolean
bridge_source_ready (BridgeSource *self,
                     int          *timeout)
{
  Bridge *bridge = self->bridge;
  gint64 now;

  if (bridge->inbox_pos < bridge->inbox->len)
    {
      /* The rest of a backlog: due at once, after one iteration for others. */
      if (timeout != NULL)
        *timeout = 0;
      if (self->yield)
        {
          if (timeout == NULL)
            self->yield = FALSE;   /* check(): the iteration has passed */
          return FALSE;
        }
      return TRUE;
    }

  if (!g_atomic_int_get (&bridge->pending))
    {
      self->deadline = 0;
      if (timeout != NULL)
        *timeout = -1;
      return FALSE;
    }

  now = g_source_get_time ((GSource *) self);
  if (self->deadline == 0)
    self->deadline = now + BATCH_GATHER_USEC;

  if (now >= self->deadline)
    {
      if (timeout != NULL)
        *timeout = 0;
      return TRUE;
    }

  if (timeout != NULL)
    *timeout = (int) ((self->deadline - now + 999) / 1000);
  return FALSE;
}

static gboolean
bridge_source_prepare (GSource *source,
                       int     *timeout)
{
  return bridge_source_ready ((BridgeSource *) source, timeout);
}

static gboolean
bridge_source_check (GSource *source)
{
  return bridge_source_ready ((BridgeSource *) source, NULL);
}

static gboolean
bridge_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  ((BridgeSource *) source)->deadline = 0;
  return callback (user_data);
}

static GSourceFuncs bridge_source_funcs = {
  bridge_source_prepare, bridge_source_check, bridge_source_dispatch, NULL, NULL, NULL,
};

/* ------------------------------------------------------------------------ */
/* Paho → AntennaProperties and back                                         */

static char *
lenstring_dup (const MQTTLenString *s)
{
  return g_strndup (s->data, s->len);
}

/* Any thread: plain data, no GObject. */
static AntennaProperties *
properties_from_paho (const MQTTProperties *props)
{
  AntennaProperties *result = NULL;

  for (int i = 0; i < props->count; i++)
    {
      const MQTTProperty *p = &props->array[i];

      switch ((int) p->identifier)
        {
        case MQTTPROPERTY_CODE_PAYLOAD_FORMAT_INDICATOR:
        case MQTTPROPERTY_CODE_MESSAGE_EXPIRY_INTERVAL:
        case MQTTPROPERTY_CODE_CONTENT_TYPE:
        case MQTTPROPERTY_CODE_RESPONSE_TOPIC:
        case MQTTPROPERTY_CODE_CORRELATION_DATA:
        case MQTTPROPERTY_CODE_USER_PROPERTY:
        case MQTTPROPERTY_CODE_SUBSCRIPTION_IDENTIFIER:
          if (result == NULL)
            result = antenna_properties_new ();
          break;
        default:
          continue;
        }

      switch ((int) p->identifier)
        {
        case MQTTPROPERTY_CODE_PAYLOAD_FORMAT_INDICATOR:
          result->payload_format = p->value.byte;
          break;
        case MQTTPROPERTY_CODE_MESSAGE_EXPIRY_INTERVAL:
          result->message_expiry = p->value.integer4;
          break;
        case MQTTPROPERTY_CODE_CONTENT_TYPE:
          g_free (result->content_type);
          result->content_type = lenstring_dup (&p->value.data);
          break;
        case MQTTPROPERTY_CODE_RESPONSE_TOPIC:
          g_free (result->response_topic);
          result->response_topic = lenstring_dup (&p->value.data);
          break;
        case MQTTPROPERTY_CODE_CORRELATION_DATA:
          g_clear_pointer (&result->correlation_data, g_bytes_unref);
          result->correlation_data = g_bytes_new (p->value.data.data, p->value.data.len);
          break;
        case MQTTPROPERTY_CODE_USER_PROPERTY:
          {
            g_autofree char *name = lenstring_dup (&p->value.data);
            g_autofree char *value = lenstring_dup (&p->value.value);

            antenna_properties_add_user_property (result, name, value);
          }
          break;
        case MQTTPROPERTY_CODE_SUBSCRIPTION_IDENTIFIER:
          {
            guint32 id = p->value.integer4;

            g_array_append_val (result->subscription_ids, id);
          }
          break;
        default:
          break;
        }
    }

  return result;
}

static char *
paho_dup_string_property (MQTTProperties          *props,
                          enum MQTTPropertyCodes   code)
{
  for (int i = 0; i < props->count; i++)
    if (props->array[i].identifier == code)
      return lenstring_dup (&props->array[i].value.data);
  return NULL;
}

static void
paho_add_int (MQTTProperties         *props,
              enum MQTTPropertyCodes  code,
              guint32                 value)
{
  MQTTProperty p = { 0 };

  p.identifier = code;
  if (code == MQTTPROPERTY_CODE_PAYLOAD_FORMAT_INDICATOR)
    p.value.byte = (unsigned char) value;
  else
    p.value.integer4 = value;
  MQTTProperties_add (props, &p);
}

static void
paho_add_data (MQTTProperties         *props,
               enum MQTTPropertyCodes  code,
               const void             *data,
               gsize                   len,
               const char             *value)
{
  MQTTProperty p = { 0 };

  p.identifier = code;
  p.value.data.data = (char *) data;
  p.value.data.len = (int) len;
  if (value != NULL)
    {
      p.value.value.data = (char *) value;
      p.value.value.len = (int) strlen (value);
    }
  MQTTProperties_add (props, &p);
}

/* Main thread. Paho copies the data (MQTTProperties_add); free with
 * MQTTProperties_free(). */
static void
properties_to_paho (const AntennaProperties *props,
                    MQTTProperties          *out)
{
  if (props == NULL)
    return;

  if (props->payload_format >= 0)
    paho_add_int (out, MQTTPROPERTY_CODE_PAYLOAD_FORMAT_INDICATOR, props->payload_format);
  if (props->message_expiry >= 0)
    paho_add_int (out, MQTTPROPERTY_CODE_MESSAGE_EXPIRY_INTERVAL, (guint32) MIN (props->message_expiry, G_MAXUINT32));
  if (props->content_type != NULL)
    paho_add_data (out, MQTTPROPERTY_CODE_CONTENT_TYPE, props->content_type, strlen (props->content_type), NULL);
  if (props->response_topic != NULL)
    paho_add_data (out, MQTTPROPERTY_CODE_RESPONSE_TOPIC, props->response_topic, strlen (props->response_topic), NULL);
  if (props->correlation_data != NULL)
    {
      gsize len;
      const void *data = g_bytes_get_data (props->correlation_data, &len);

      paho_add_data (out, MQTTPROPERTY_CODE_CORRELATION_DATA, data, len, NULL);
    }
  if (props->user_properties != NULL)
    for (guint i = 0; i + 1 < props->user_properties->len; i += 2)
      {
        const char *name = g_ptr_array_index (props->user_properties, i);
        const char *value = g_ptr_array_index (props->user_properties, i + 1);

        paho_add_data (out, MQTTPROPERTY_CODE_USER_PROPERTY, name, strlen (name), value);
      }
}

/* ------------------------------------------------------------------------ */
/* Paho callbacks: Paho's threads. Copy, free Paho's memory, push, return.   */

/* Paho's receive thread (one for every client of the process) may run a
 * little below the main thread: see antenna_client_set_receive_niceness().
 * When every core is busy (the broker, a publisher, the display server) the
 * scheduler would otherwise share the CPU equally between the two, and each
 * frame of a UI would wait behind the ingest it is there to show. The
 * receive thread waits instead: the bridge's backpressure bounds how far
 * ahead it can get. Linux keeps a nice value per thread; the receive thread
 * applies the wanted one itself, at its next message. */
static int receive_nice_wanted = G_MININT;  /* absolute; G_MININT: never set */
static GPrivate receive_nice_applied_key = G_PRIVATE_INIT (NULL);

static void
apply_receive_niceness (void)
{
#ifdef __linux__
  int wanted = g_atomic_int_get (&receive_nice_wanted);
  /* Stored + 100 so that no value is NULL. */
  int applied = GPOINTER_TO_INT (g_private_get (&receive_nice_applied_key)) - 100;

  if G_LIKELY (wanted == G_MININT || wanted == applied)
    return;
  g_private_set (&receive_nice_applied_key, GINT_TO_POINTER (wanted + 100));

  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), wanted) != 0)
    g_debug ("Could not set the nice value of Paho's receive thread to %d: %s",
             wanted, g_strerror (errno));
#endif
}

static int
on_paho_message_arrived (void              *context,
                         char              *topic_name,
                         int                topic_len,
                         MQTTAsync_message *message)
{
  Bridge *bridge = context;
  gsize len = topic_len > 0 ? (gsize) topic_len : strlen (topic_name);
  gsize payload_len = (gsize) message->payloadlen;
  MessageEvent *event;

  apply_receive_niceness ();

  /* Only this thread pushes messages, so only it can have filled the queue. */
  if (bridge->full)
    bridge_wait_for_room (bridge);

  if (payload_len > LARGE_PAYLOAD)
    {
      /* A large payload is not copied again: the block keeps Paho's buffer,
       * which only Paho's allocator may free. */
      event = message_event_new (len + 1);
      event->paho_payload = message->payload;
      event->block.payload = message->payload;
      event->block.footprint += payload_len;
      message->payload = NULL;
    }
  else
    {
      event = message_event_new (len + 1 + payload_len);
      if (payload_len > 0)
        memcpy (event->data + len + 1, message->payload, payload_len);
      event->block.payload = (const guint8 *) event->data + len + 1;
    }
  memcpy (event->data, topic_name, len);
  event->data[len] = '\0';
  event->block.topic = event->data;
  event->topic_len = len;
  event->block.payload_len = payload_len;
  event->qos = message->qos;
  event->retained = message->retained != 0;
  event->dup = message->dup != 0;
  event->timestamp = g_get_real_time ();
  if (message->struct_version >= 1 && message->properties.count > 0)
    event->properties = properties_from_paho (&message->properties);

  MQTTAsync_freeMessage (&message);
  MQTTAsync_free (topic_name);

  bridge->full = bridge_push (bridge, event, len + payload_len);
  return 1;
}

static void
on_paho_connection_lost (void *context,
                         char *cause)
{
  Event *event = event_new (EVENT_CONNECTION_LOST);

  event->text = g_strdup (cause);
  bridge_push (context, event, 0);
}

static void
on_paho_disconnected (void                 *context,
                      MQTTProperties       *properties,
                      enum MQTTReasonCodes  reason)
{
  Event *event = event_new (EVENT_SERVER_DISCONNECT);

  event->reason = reason;
  if (properties != NULL)
    event->reason_string = paho_dup_string_property (properties, MQTTPROPERTY_CODE_REASON_STRING);
  bridge_push (context, event, 0);
}

static int
on_paho_ssl_error (const char *str,
                   size_t      len,
                   void       *context)
{
  Bridge *bridge = context;

  g_mutex_lock (&bridge->mutex);
  if (bridge->tls_errors->len < 4096)
    {
      if (bridge->tls_errors->len > 0)
        g_string_append_c (bridge->tls_errors, '\n');
      g_string_append_len (bridge->tls_errors, str, len);
    }
  g_mutex_unlock (&bridge->mutex);
  return 1;
}

static void
on_paho_connect_success (void                  *context,
                         MQTTAsync_successData *response)
{
  Event *event = event_new (EVENT_CONNECTED);

  event->session_present = response->alt.connect.sessionPresent;
  bridge_push (context, event, 0);
}

static void
on_paho_connect_success5 (void                   *context,
                          MQTTAsync_successData5 *response)
{
  Event *event = event_new (EVENT_CONNECTED);

  event->session_present = response->alt.connect.sessionPresent;
  if (MQTTProperties_hasProperty (&response->properties, MQTTPROPERTY_CODE_MAXIMUM_PACKET_SIZE))
    event->maximum_packet_size = (guint32) MQTTProperties_getNumericValue (&response->properties,
                                                                           MQTTPROPERTY_CODE_MAXIMUM_PACKET_SIZE);
  event->assigned_id = paho_dup_string_property (&response->properties,
                                                 MQTTPROPERTY_CODE_ASSIGNED_CLIENT_IDENTIFER);
  bridge_push (context, event, 0);
}

static void
on_paho_connect_failure (void                  *context,
                         MQTTAsync_failureData *response)
{
  Event *event = event_new (EVENT_CONNECT_FAILED);

  event->code = response ? response->code : MQTTASYNC_FAILURE;
  event->text = g_strdup (response ? response->message : NULL);
  bridge_push (context, event, 0);
}

static void
on_paho_connect_failure5 (void                   *context,
                          MQTTAsync_failureData5 *response)
{
  Event *event = event_new (EVENT_CONNECT_FAILED);

  if (response != NULL)
    {
      event->code = response->code;
      event->reason = response->reasonCode;
      /* Paho 1.3 puts the CONNACK reason code in code */
      if (event->reason == 0 && event->code >= 0x80 && event->code <= 0xFF)
        event->reason = event->code;
      event->text = g_strdup (response->message);
      event->reason_string = paho_dup_string_property (&response->properties, MQTTPROPERTY_CODE_REASON_STRING);
    }
  else
    event->code = MQTTASYNC_FAILURE;
  bridge_push (context, event, 0);
}

static void
on_paho_success (void                  *context,
                 MQTTAsync_successData *response)
{
  Event *event = event_new (EVENT_SUCCESS);

  /* For a single subscribe, alt.qos is the granted QoS, or 0x80 (3.1.1
   * failure). For a publish the union holds the message: ignore it. */
  event->token = response->token;
  event->granted = response->alt.qos;
  bridge_push (context, event, 0);
}

static void
on_paho_success5 (void                   *context,
                  MQTTAsync_successData5 *response)
{
  Event *event = event_new (EVENT_SUCCESS);

  event->token = response->token;
  event->reason = response->reasonCode;
  /* Several reason codes (unsubscribe many, subscribe many): keep the worst. */
  if (response->alt.unsub.reasonCodeCount > 1 && response->alt.unsub.reasonCodes != NULL)
    for (int i = 0; i < response->alt.unsub.reasonCodeCount; i++)
      event->reason = MAX (event->reason, (int) response->alt.unsub.reasonCodes[i]);
  event->reason_string = paho_dup_string_property (&response->properties, MQTTPROPERTY_CODE_REASON_STRING);
  bridge_push (context, event, 0);
}

static void
on_paho_failure (void                  *context,
                 MQTTAsync_failureData *response)
{
  Event *event = event_new (EVENT_FAILURE);

  event->token = response->token;
  event->code = response->code;
  event->text = g_strdup (response->message);
  bridge_push (context, event, 0);
}

static void
on_paho_failure5 (void                   *context,
                  MQTTAsync_failureData5 *response)
{
  Event *event = event_new (EVENT_FAILURE);

  event->token = response->token;
  event->code = response->code;
  event->reason = response->reasonCode;
  event->packet_type = response->packet_type;
  event->text = g_strdup (response->message);
  event->reason_string = paho_dup_string_property (&response->properties, MQTTPROPERTY_CODE_REASON_STRING);
  bridge_push (context, event, 0);
}

static void
on_paho_disconnect_done (void                  *context,
                         MQTTAsync_successData *response)
{
  bridge_push (context, event_new (EVENT_DISCONNECT_DONE), 0);
}

static void
on_paho_disconnect_done5 (void                   *context,
                          MQTTAsync_successData5 *response)
{
  bridge_push (context, event_new (EVENT_DISCONNECT_DONE), 0);
}

static void
on_paho_disconnect_failed (void                  *context,
                           MQTTAsync_failureData *response)
{
  bridge_push (context, event_new (EVENT_DISCONNECT_DONE), 0);
}

static void
on_paho_disconnect_failed5 (void                   *context,
                            MQTTAsync_failureData5 *response)
{
  bridge_push (context, event_new (EVENT_DISCONNECT_DONE), 0);
}

/* ------------------------------------------------------------------------ */
/* Destroying handles off the main thread                                    */

static GMutex destroy_mutex;
static GCond destroy_cond;
static guint n_destroying;

typedef struct
{
  MQTTAsync  handle;
  Bridge    *bridge;
  int        mqtt_version;
  gboolean   send_disconnect;
} DestroyData;

static gpointer
destroy_thread_func (gpointer user_data)
{
  DestroyData *data = user_data;

  if (data->send_disconnect && MQTTAsync_isConnected (data->handle))
    {
      MQTTAsync_disconnectOptions opts = MQTTAsync_disconnectOptions_initializer;

      if (data->mqtt_version == MQTTVERSION_5)
        opts.struct_version = 1;
      opts.timeout = 500;
      if (MQTTAsync_disconnect (data->handle, &opts) == MQTTASYNC_SUCCESS)
        for (guint i = 0; i < 100 && MQTTAsync_isConnected (data->handle); i++)
          g_usleep (10 * 1000);
    }

  MQTTAsync_destroy (&data->handle);
  bridge_unref (data->bridge);
  g_free (data);

  g_mutex_lock (&destroy_mutex);
  n_destroying--;
  g_cond_broadcast (&destroy_cond);
  g_mutex_unlock (&destroy_mutex);

  return NULL;
}

static void
destroy_handle_in_thread (MQTTAsync  handle,
                          Bridge    *bridge,
                          int        mqtt_version,
                          gboolean   send_disconnect)
{
  DestroyData *data = g_new0 (DestroyData, 1);

  data->handle = handle;
  data->bridge = bridge;
  data->mqtt_version = mqtt_version;
  data->send_disconnect = send_disconnect;

  g_mutex_lock (&destroy_mutex);
  n_destroying++;
  g_mutex_unlock (&destroy_mutex);

  g_thread_unref (g_thread_new ("antenna-paho-destroy", destroy_thread_func, data));
}

/**
 * antenna_client_set_receive_niceness:
 * @niceness: nice levels below the calling thread, 0 or more
 *
 * Sets how many nice levels below the calling thread (the main thread)
 * Paho's receive thread runs: one thread for every client of the process,
 * which applies the value at its next message. Until this is called, the
 * thread is left as Paho made it; 0 puts it back level with the caller,
 * which can need privileges. Linux only.
 */
void
antenna_client_set_receive_niceness (int niceness)
{
#ifdef __linux__
  int base;

  g_return_if_fail (niceness >= 0);

  errno = 0;
  base = getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
  if (errno != 0)
    return;
  g_atomic_int_set (&receive_nice_wanted, MIN (base + niceness, 19));
#endif
}

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

  /* the destroying threads call into Paho: no receive thread may wait for us */
  paho_call_begin ();
  g_mutex_lock (&destroy_mutex);
  while (n_destroying > 0)
    if (!g_cond_wait_until (&destroy_cond, &destroy_mutex, end))
      break;
  done = n_destroying == 0;
  g_mutex_unlock (&destroy_mutex);
  paho_call_end ();

  return done;
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

typedef enum {
  OP_PUBLISH,
  OP_SUBSCRIBE,
  OP_UNSUBSCRIBE,
  OP_PROBE,
} OpKind;

typedef struct
{
  OpKind               kind;
  GTask               *task;          /* NULL for our own re-subscribes */
  int                  token;
  /* publish */
  char                *topic;
  GBytes              *payload;
  AntennaProperties   *properties;
  int                  qos;
  gboolean             retain;
  AntennaPublishFlags  flags;
  guint64              seq;           /* order of antenna_client_publish_full_async() calls */
  /* subscribe */
  AntennaSubscription *subscription;
  /* unsubscribe */
  GStrv                filters;
} Op;

struct _AntennaClient
{
  GObject              parent_instance;

  AntennaProfile      *profile;
  AntennaClientState   state;
  GListStore          *subscriptions;
  char                *client_id;
  guint                maximum_packet_size;

  GMainContext        *context;

  /* The current Paho handle and its bridge; NULL when there is none. */
  MQTTAsync            handle;
  Bridge              *bridge;
  guint                max_queued;     /* the longest queue of the bridges dropped */
  int                  mqtt_version;
  char                *address;
  char                *password;

  GTask               *connect_task;
  GCancellable        *connect_cancellable;
  gulong               connect_cancelled_id;
  gint64               connect_started;
  guint                connect_timeout_id;

  GTask               *disconnect_task;
  guint                disconnect_timeout_id;

  guint                reconnect_id;
  guint                reconnect_attempt;
  guint                n_attempts;     /* :reconnect-attempts */

  GHashTable          *ops;            /* Paho token → Op*, for QoS > 0 publishes and (un)subscribes */
  GQueue               qos0_ops;       /* QoS 0 publishes handed to Paho: all have token 0, complete in order */
  GQueue               publish_queue;  /* publishes waiting for room in Paho's window */
  guint                n_publishing;   /* publishes handed to Paho */
  guint                pump_retry_id;
  gboolean             ignore_token0;  /* between a lost connection and the next CONNACK */
  guint64              next_seq;
  guint                n_queued;       /* :queued, as last notified */

  /* The watchdog: Paho notices a silent broker only after up to 2.6 times
   * the keep-alive (measured), and shows us no PINGRESP. So, when nothing
   * came in for half the keep-alive, we ask something of our own (an
   * UNSUBSCRIBE of a filter nobody uses: any broker answers it) and call
   * the connection dead when the answer does not come within another half. */
  guint                watchdog_id;
  gint64               last_inbound;
  gint64               probe_sent;     /* 0: no probe outstanding */

  GHashTable          *confirmed;      /* filter → granted QoS + 1, ACTIVE before the connection was lost */
};

G_DEFINE_FINAL_TYPE (AntennaClient, antenna_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_STATE,
  PROP_SUBSCRIPTIONS,
  PROP_CLIENT_ID,
  PROP_MAXIMUM_PACKET_SIZE,
  PROP_QUEUED,
  PROP_RECONNECT_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MESSAGES_RECEIVED,
  MESSAGE_SENT,
  CONNECTION_LOST,
  CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_paho_connect        (AntennaClient *self);
static void handle_connection_lost    (AntennaClient *self,
                                       GError        *error);
static void schedule_reconnect        (AntennaClient *self);
static void pump_publishes            (AntennaClient *self);
static void send_subscribe            (AntennaClient *self,
                                       AntennaSubscription *subscription,
                                       GTask         *task);

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static void
op_free (Op *op)
{
  g_clear_object (&op->task);
  g_free (op->topic);
  g_clear_pointer (&op->payload, g_bytes_unref);
  g_clear_pointer (&op->properties, antenna_properties_unref);
  g_clear_object (&op->subscription);
  g_strfreev (op->filters);
  g_free (op);
}

/* Completes @op's task (if any) with @error, and frees @op. Takes @error. */
static void
op_fail (Op     *op,
         GError *error)
{
  if (op->task != NULL)
    g_task_return_error (op->task, error);
  else
    g_clear_error (&error);
  op_free (op);
}

static void
set_state (AntennaClient      *self,
           AntennaClientState  state)
{
  if (self->state == state)
    return;

  g_debug ("%s: state %d -> %d", self->address ? self->address : "?", self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_maximum_packet_size (AntennaClient *self,
                         guint          size)
{
  if (self->maximum_packet_size == size)
    return;

  self->maximum_packet_size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAXIMUM_PACKET_SIZE]);
}

static void
set_client_id (AntennaClient *self,
               const char    *client_id)
{
  if (g_strcmp0 (self->client_id, client_id) == 0)
    return;

  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
}

/* :queued follows the publishes not yet completed. */
static void
update_queued (AntennaClient *self)
{
  guint n = g_queue_get_length (&self->publish_queue) + self->n_publishing;

  if (self->n_queued == n)
    return;

  self->n_queued = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUED]);
}

static void
set_reconnect_attempts (AntennaClient *self,
                        guint          n)
{
  if (self->n_attempts == n)
    return;

  self->n_attempts = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT_ATTEMPTS]);
}

static void
clear_password (AntennaClient *self)
{
  if (self->password != NULL)
    {
      memset (self->password, 0, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
}

static char *
dup_server_uri (AntennaClient *self)
{
  return antenna_profile_dup_server_uri (self->profile);
}

static GError *
not_connected_error (AntennaClient *self)
{
  g_autofree char *address = antenna_profile_dup_display_address (self->profile);

  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED,
                      _("Not connected to %s."), address);
}

/* What an MQTT 5 reason code means, for a sentence. */
static const char *
reason_code_phrase (int reason)
{
  switch (reason)
    {
    case 0x80: return _("unspecified error");
    case 0x81: return _("malformed packet");
    case 0x82: return _("protocol error");
    case 0x83: return _("implementation specific error");
    case 0x84: return _("unsupported protocol version");
    case 0x85: return _("client identifier not valid");
    case 0x86: return _("bad user name or password");
    case 0x87: return _("not authorized");
    case 0x88: return _("server unavailable");
    case 0x89: return _("server busy");
    case 0x8A: return _("banned");
    case 0x8B: return _("the server is shutting down");
    case 0x8C: return _("bad authentication method");
    case 0x8D: return _("keep alive timeout");
    case 0x8E: return _("another client connected with the same client ID (session taken over)");
    case 0x8F: return _("topic filter invalid");
    case 0x90: return _("topic name invalid");
    case 0x91: return _("packet identifier in use");
    case 0x92: return _("packet identifier not found");
    case 0x93: return _("receive maximum exceeded");
    case 0x94: return _("topic alias invalid");
    case 0x95: return _("packet too large");
    case 0x96: return _("message rate too high");
    case 0x97: return _("quota exceeded");
    case 0x98: return _("administrative action");
    case 0x99: return _("payload format invalid");
    case 0x9A: return _("retain not supported");
    case 0x9B: return _("QoS not supported");
    case 0x9C: return _("use another server");
    case 0x9D: return _("server moved");
    case 0x9E: return _("shared subscriptions not supported");
    case 0x9F: return _("connection rate exceeded");
    case 0xA0: return _("maximum connect time");
    case 0xA1: return _("subscription identifiers not supported");
    case 0xA2: return _("wildcard subscriptions not supported");
    default:   return _("unknown reason");
    }
}

/* "reason (0x87)" or "reason (0x87; broker says: …)" */
static char *
format_reason (int         reason,
               const char *reason_string)
{
  if (reason_string != NULL && *reason_string != '\0')
    return g_strdup_printf (_("%s (reason code 0x%02X; the broker says: “%s”)"),
                            reason_code_phrase (reason), reason, reason_string);
  return g_strdup_printf (_("%s (reason code 0x%02X)"), reason_code_phrase (reason), reason);
}

static int
error_code_for_reason (int reason)
{
  switch (reason)
    {
    case 0x86:
    case 0x8C:
      return ANTENNA_ERROR_BAD_CREDENTIALS;
    case 0x87:
    case 0x8A:
      return ANTENNA_ERROR_NOT_AUTHORIZED;
    default:
      return ANTENNA_ERROR_CONNECTION_REFUSED;
    }
}

static GError *
connack_error (AntennaClient *self,
               const Event   *event)
{
  const char *username = antenna_profile_get_username (self->profile);
  gboolean credentials = (username != NULL && *username != '\0') || self->password != NULL;

  /* Brokers such as mosquitto 2 answer a wrong password with "not
   * authorised": say what the person most likely has to fix. */
  if (credentials &&
      ((self->mqtt_version == MQTTVERSION_5 && event->reason == 0x87) ||
       (self->mqtt_version != MQTTVERSION_5 && event->code == 5)))
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_AUTHORIZED,
                        _("Connection refused by %s: not authorised (bad user name or password, or this user may not connect)."),
                        self->address);

  if (self->mqtt_version == MQTTVERSION_5 && event->reason >= 0x80)
    {
      g_autofree char *reason = format_reason (event->reason, event->reason_string);

      return g_error_new (ANTENNA_ERROR, error_code_for_reason (event->reason),
                          _("Connection refused by %s: %s."), self->address, reason);
    }

  switch (event->code)
    {
    case 1:
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                          _("Connection refused by %s: the broker does not accept this MQTT version (unacceptable protocol version)."),
                          self->address);
    case 2:
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                          _("Connection refused by %s: client identifier rejected."), self->address);
    case 3:
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                          _("Connection refused by %s: server unavailable."), self->address);
    case 4:
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS,
                          _("Connection refused by %s: bad user name or password."), self->address);
    case 5:
      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_AUTHORIZED,
                          _("Connection refused by %s: not authorised (the broker may want a user name and password, or not accept this client identifier)."),
                          self->address);
    default:
      if (event->code > 0 && event->code < 256)
        return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_REFUSED,
                            _("Connection refused by %s (return code %d)."), self->address, event->code);
      return NULL;
    }
}

static gboolean
transport_uses_tls (AntennaTransport transport)
{
  return transport == ANTENNA_TRANSPORT_TLS || transport == ANTENNA_TRANSPORT_WSS;
}

/* ------------------------------------------------------------------------ */
/* Why a connection failed below MQTT: a second look with GIO                */

typedef struct
{
  AntennaClient        *self;
  GTask                *task;          /* the connect task */
  char                 *openssl_text;
  gboolean              timed_out;
  GTlsCertificateFlags  tls_flags;
  gboolean              tls_seen;
} Diagnosis;

static void
diagnosis_free (Diagnosis *diag)
{
  g_clear_object (&diag->self);
  g_clear_object (&diag->task);
  g_free (diag->openssl_text);
  g_free (diag);
}

static char *
tls_flags_phrase (GTlsCertificateFlags flags)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (parts, (gpointer) _("the certificate is not signed by a trusted certificate authority (unknown CA)"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (parts, (gpointer) _("the certificate is not valid for this host name (host name mismatch)"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (parts, (gpointer) _("the certificate has expired"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (parts, (gpointer) _("the certificate is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (parts, (gpointer) _("the certificate has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (parts, (gpointer) _("the certificate uses an insecure algorithm"));
  if (parts->len == 0 && flags != 0)
    g_ptr_array_add (parts, (gpointer) _("the certificate could not be verified"));
  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("; ", (char **) parts->pdata);
}

/* Connection failed: fail the connect task (if it is still ours) with @error,
 * move to DISCONNECTED and drop the handle. Takes @error. */
static void abandon_connection (AntennaClient *self,
                                gboolean       send_disconnect);

static void
finish_connect_failure (AntennaClient *self,
                        GTask         *task,
                        GError        *error)
{
  if (self->connect_task != task)
    {
      /* cancelled or disconnected meanwhile: already completed */
      g_clear_error (&error);
      return;
    }

  g_debug ("%s: connect failed: %s", self->address, error->message);
  abandon_connection (self, FALSE);
  set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
on_diagnosis_tls_event (GSocketClient      *client,
                        GSocketClientEvent  event,
                        GSocketConnectable *connectable,
                        GIOStream          *connection,
                        Diagnosis          *diag);

static gboolean
on_diagnosis_accept_certificate (GTlsConnection       *conn,
                                 GTlsCertificate      *peer_cert,
                                 GTlsCertificateFlags  errors,
                                 Diagnosis            *diag)
{
  diag->tls_seen = TRUE;
  diag->tls_flags |= errors;
  return FALSE;
}

static void
on_diagnosis_tls_event (GSocketClient      *client,
                        GSocketClientEvent  event,
                        GSocketConnectable *connectable,
                        GIOStream          *connection,
                        Diagnosis          *diag)
{
  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING || !G_IS_TLS_CLIENT_CONNECTION (connection))
    return;

  {
    AntennaProfile *profile = diag->self->profile;
    const char *ca_file = antenna_profile_get_tls_ca_file (profile);

    if (ca_file != NULL && *ca_file != '\0')
      {
        g_autoptr(GTlsDatabase) db = g_tls_file_database_new (ca_file, NULL);

        if (db != NULL)
          g_tls_connection_set_database (G_TLS_CONNECTION (connection), db);
      }
    g_signal_connect (connection, "accept-certificate",
                      G_CALLBACK (on_diagnosis_accept_certificate), diag);
  }
}

static void
diagnosis_complete (Diagnosis *diag,
                    GError    *connect_error)
{
  AntennaClient *self = diag->self;
  GError *error = NULL;
  guint timeout = antenna_profile_get_connect_timeout (self->profile);

  if (diag->tls_seen && diag->tls_flags != 0)
    {
      g_autofree char *why = tls_flags_phrase (diag->tls_flags);

      error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                           _("Could not establish a secure connection to %s: %s."),
                           self->address, why);
    }
  else if (connect_error != NULL && connect_error->domain == G_TLS_ERROR)
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                         _("Could not establish a secure connection to %s: %s (does the broker expect TLS on this port?)."),
                         self->address, connect_error->message);
  else if (diag->openssl_text != NULL)
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                         _("Could not establish a secure connection to %s: %s."),
                         self->address, diag->openssl_text);
  else if (connect_error != NULL &&
           !g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
           !g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !(connect_error->domain == G_TLS_ERROR))
    {
      /* "Could not connect to 127.0.0.1:1: connection refused." */
      g_autofree char *lower = NULL;
      const char *msg = connect_error->message;
      const char *colon = strrchr (msg, ':');

      /* GIO says "Could not connect to 127.0.0.1: Connection refused": keep the cause. */
      if (colon != NULL && colon[1] == ' ')
        msg = colon + 2;
      lower = g_strdup (msg);
      if (lower[0] != '\0' && g_ascii_isupper (lower[0]) && !g_ascii_isupper (lower[1]))
        lower[0] = g_ascii_tolower (lower[0]);
      if (g_str_has_suffix (lower, "."))
        lower[strlen (lower) - 1] = '\0';
      error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                           _("Could not connect to %s: %s."), self->address, lower);
    }
  else if (diag->timed_out || connect_error != NULL)
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                         ngettext ("Could not connect to %s: the broker did not answer within %u second.",
                                   "Could not connect to %s: the broker did not answer within %u seconds.",
                                   timeout),
                         self->address, timeout);
  else if (antenna_profile_get_transport (self->profile) == ANTENNA_TRANSPORT_WS ||
           antenna_profile_get_transport (self->profile) == ANTENNA_TRANSPORT_WSS)
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                         _("Could not connect to %s: the WebSocket handshake failed (is the path right, and is it an MQTT WebSocket endpoint?)."),
                         self->address);
  else
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                         _("Could not connect to %s: the connection was closed before the broker answered (is it an MQTT broker, and does it expect TLS?)."),
                         self->address);

  finish_connect_failure (self, diag->task, error);
  diagnosis_free (diag);
}

static void
on_diagnosis_connected_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) conn = NULL;

  conn = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (conn != NULL)
    g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  diagnosis_complete (user_data, error);
}

/* A transport-level failure: Paho says only "TCP/TLS connect failure". Look
 * again with GIO to tell a person why: refused, no such host, certificate. */
static void
diagnose_connect_failure (AntennaClient *self,
                          const Event   *event,
                          const char    *openssl_text)
{
  g_autoptr(GSocketClient) client = NULL;
  AntennaProfile *profile = self->profile;
  AntennaTransport transport = antenna_profile_get_transport (profile);
  guint timeout = antenna_profile_get_connect_timeout (profile);
  Diagnosis *diag;

  diag = g_new0 (Diagnosis, 1);
  diag->self = g_object_ref (self);
  diag->task = g_object_ref (self->connect_task);
  diag->timed_out = timeout > 0 &&
                    g_get_monotonic_time () - self->connect_started >= (gint64) timeout * G_USEC_PER_SEC - G_USEC_PER_SEC / 2;
  if (openssl_text != NULL && *openssl_text != '\0')
    {
      /* "error:0A000086:SSL routines::certificate verify failed" → the reason */
      const char *reason = openssl_text;
      g_auto(GStrv) lines = g_strsplit (openssl_text, "\n", -1);
      g_auto(GStrv) fields = g_strsplit (lines[0], ":", -1);

      if (g_strv_length (fields) >= 5 && *fields[4] != '\0')
        diag->openssl_text = g_strdup (fields[4]);
      else
        diag->openssl_text = g_strdup (reason);
    }

  if (diag->timed_out)
    {
      diagnosis_complete (diag, NULL);
      return;
    }

  client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, MIN (MAX (timeout, 1), 5));
  if (transport_uses_tls (transport) && !antenna_profile_get_tls_allow_insecure (profile))
    {
      g_socket_client_set_tls (client, TRUE);
      g_signal_connect (client, "event", G_CALLBACK (on_diagnosis_tls_event), diag);
    }

  g_socket_client_connect_to_host_async (client,
                                         antenna_profile_get_host (profile),
                                         antenna_profile_get_port (profile),
                                         NULL,
                                         on_diagnosis_connected_cb,
                                         diag);
}

/* ------------------------------------------------------------------------ */
/* Operations in flight                                                      */

static GError *
connection_lost_error (AntennaClient *self)
{
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                      _("The connection to %s was lost before the broker confirmed."),
                      self->address);
}

/* Fails the publishes that cannot complete any more: those still in our
 * queue, the QoS 0 ones, and (@all) those of QoS 1 and 2 that Paho would only
 * resend into a persistent session. Subscribes and unsubscribes always. */
static void
fail_pending_ops (AntennaClient *self,
                  gboolean       all,
                  const GError  *error)
{
  GHashTableIter iter;
  gpointer value;
  Op *op;

  while ((op = g_queue_pop_head (&self->publish_queue)))
    op_fail (op, g_error_copy (error));

  while ((op = g_queue_pop_head (&self->qos0_ops)))
    {
      self->n_publishing--;
      op_fail (op, g_error_copy (error));
    }

  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      op = value;
      if (op->kind == OP_PUBLISH && !all)
        continue;
      g_hash_table_iter_steal (&iter);
      if (op->kind == OP_PUBLISH)
        self->n_publishing--;
      op_fail (op, g_error_copy (error));
    }

  g_clear_handle_id (&self->pump_retry_id, g_source_remove);
  update_queued (self);
}

static int
compare_op_seq (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const Op *op_a = a;
  const Op *op_b = b;

  return op_a->seq < op_b->seq ? -1 : op_a->seq > op_b->seq;
}

/* The connection was lost and will be re-established: takes the publishes
 * the user asked to keep (ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE) out of the
 * way of fail_pending_ops(), in their original order. Those Paho has in
 * flight stay with Paho when it resends them into the session (@resent);
 * otherwise they are sent again after the reconnection. */
static void
take_offline_ops (AntennaClient *self,
                  gboolean       resent,
                  GQueue        *kept)
{
  GQueue rest = G_QUEUE_INIT;
  GHashTableIter iter;
  gpointer value;
  Op *op;

  if (!resent)
    {
      g_hash_table_iter_init (&iter, self->ops);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          op = value;
          if (op->kind != OP_PUBLISH || !(op->flags & ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE))
            continue;
          g_hash_table_iter_steal (&iter);
          self->n_publishing--;
          op->token = 0;
          g_queue_push_tail (kept, op);
        }
    }

  while ((op = g_queue_pop_head (&self->publish_queue)))
    {
      if (op->flags & ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE)
        g_queue_push_tail (kept, op);
      else
        g_queue_push_tail (&rest, op);
    }
  self->publish_queue = rest;

  g_queue_sort (kept, compare_op_seq, NULL);
}

/* Drops the current Paho handle: its bridge goes dead (no more events), its
 * source is destroyed, and the handle is destroyed in a thread. */
static void
abandon_connection (AntennaClient *self,
                    gboolean       send_disconnect)
{
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->disconnect_timeout_id, g_source_remove);
  g_clear_handle_id (&self->pump_retry_id, g_source_remove);
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);

  if (self->bridge != NULL)
    {
      Bridge *bridge = g_steal_pointer (&self->bridge);

      g_mutex_lock (&bridge->mutex);
      bridge->alive = FALSE;
      self->max_queued = MAX (self->max_queued, bridge->max_queued);
      g_mutex_unlock (&bridge->mutex);
      /* a receive thread waiting for room in this queue goes on (and drops) */
      g_atomic_int_set (&bridge->dead, 1);
      flow_wake ();
      g_source_destroy (bridge->source);

      if (self->handle != NULL)
        destroy_handle_in_thread (g_steal_pointer (&self->handle), bridge,
                                  self->mqtt_version, send_disconnect);
      else
        bridge_unref (bridge);
    }

  if (self->connect_cancelled_id != 0)
    g_cancellable_disconnect (self->connect_cancellable, self->connect_cancelled_id);
  self->connect_cancelled_id = 0;
  g_clear_object (&self->connect_cancellable);
  g_hash_table_remove_all (self->confirmed);
  self->reconnect_attempt = 0;
  set_reconnect_attempts (self, 0);
}

/* Every subscription of the list back to PENDING while the connection is
 * down; the active ones are remembered with their granted QoS. */
static void
subscriptions_connection_down (AntennaClient *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);

      if (antenna_subscription_get_state (sub) != ANTENNA_SUBSCRIPTION_STATE_ACTIVE)
        continue;
      g_hash_table_insert (self->confirmed,
                           g_strdup (antenna_subscription_get_filter (sub)),
                           GINT_TO_POINTER (antenna_subscription_get_granted_qos (sub) + 1));
      _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_PENDING,
                                       antenna_subscription_get_granted_qos (sub), NULL);
    }
}

static void
subscriptions_all_inactive (AntennaClient *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);

      if (antenna_subscription_get_state (sub) != ANTENNA_SUBSCRIPTION_STATE_REFUSED)
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_INACTIVE, 0, NULL);
    }
}

static AntennaSubscription *
find_subscription (AntennaClient *self,
                   const char    *filter,
                   guint         *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);

      if (g_strcmp0 (antenna_subscription_get_filter (sub), filter) == 0)
        {
          if (position)
            *position = i;
          return sub;  /* the list keeps it alive */
        }
    }
  return NULL;
}

static void
remove_subscription (AntennaClient *self,
                     const char    *filter)
{
  guint position;

  if (find_subscription (self, filter, &position) != NULL)
    g_list_store_remove (self->subscriptions, position);
}

/* Paho hands out a packet identifier again only after 65,535 others, long
 * after its completion was handled here; should one still be pending, it can
 * no longer be told apart: fail it rather than leak it. */
static void
register_op (AntennaClient *self,
             Op            *op)
{
  Op *stale = g_hash_table_lookup (self->ops, GINT_TO_POINTER (op->token));

  if (stale != NULL)
    {
      g_hash_table_steal (self->ops, GINT_TO_POINTER (op->token));
      if (stale->kind == OP_PUBLISH)
        self->n_publishing--;
      op_fail (stale, connection_lost_error (self));
    }
  g_hash_table_insert (self->ops, GINT_TO_POINTER (op->token), op);
}

/* ------------------------------------------------------------------------ */
/* Handling events on the main thread                                        */

static void
complete_publish (AntennaClient *self,
                  Op            *op,
                  const Event   *event)
{
  self->n_publishing--;

  if (event->kind == EVENT_SUCCESS && event->reason < 0x80)
    {
      if (g_signal_has_handler_pending (self, signals[MESSAGE_SENT], 0, FALSE))
        {
          g_autoptr(AntennaMessage) message = NULL;

          message = antenna_message_new (op->topic, op->payload, op->qos, op->retain, FALSE,
                                         ANTENNA_MESSAGE_SENT, g_get_real_time (), op->properties);
          g_signal_emit (self, signals[MESSAGE_SENT], 0, message);
        }
      if (op->task != NULL)
        g_task_return_boolean (op->task, TRUE);
    }
  else if (event->reason >= 0x80)
    {
      g_autofree char *reason = format_reason (event->reason, event->reason_string);

      g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_PUBLISH_REFUSED,
                               _("%s refused the message on “%s”: %s."),
                               self->address, op->topic, reason);
    }
  else if (event->code == MQTTASYNC_DISCONNECTED || event->code == MQTTASYNC_OPERATION_INCOMPLETE ||
           event->code == MQTTASYNC_FAILURE)
    g_task_return_error (op->task, connection_lost_error (self));
  else
    g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                             _("The message could not be sent to %s: %s."),
                             self->address, event->text ? event->text : MQTTAsync_strerror (event->code));
  op_free (op);
  pump_publishes (self);
  update_queued (self);
}

static void
complete_subscribe (AntennaClient *self,
                    Op            *op,
                    const Event   *event)
{
  AntennaSubscription *sub = op->subscription;
  gboolean listed = find_subscription (self, antenna_subscription_get_filter (sub), NULL) == sub;
  const char *filter = antenna_subscription_get_filter (sub);
  int reason = event->reason;

  /* 3.1.1: the granted QoS, where failure is 0x80, in onSuccess (or in
   * onFailure as the code). */
  if (self->mqtt_version != MQTTVERSION_5)
    {
      if (event->kind == EVENT_SUCCESS)
        reason = event->granted;
      else if (event->code == 0x80)
        reason = 0x80;
    }

  if (event->kind == EVENT_SUCCESS && reason >= 0 && reason <= 2)
    {
      if (listed)
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_ACTIVE, reason, NULL);
      if (op->task != NULL)
        g_task_return_int (op->task, reason);
    }
  else if (reason >= 0x80)
    {
      g_autofree char *message = NULL;

      if (self->mqtt_version == MQTTVERSION_5)
        {
          g_autofree char *why = format_reason (reason, event->reason_string);

          message = g_strdup_printf (_("%s refused the subscription to “%s”: %s."),
                                     self->address, filter, why);
        }
      else
        message = g_strdup_printf (_("%s refused the subscription to “%s” (not authorised, or a filter it does not accept)."),
                                   self->address, filter);

      if (listed)
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_REFUSED, 0, message);
      if (op->task != NULL)
        g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_SUBSCRIPTION_REFUSED, "%s", message);
    }
  else
    {
      /* the connection went away before the SUBACK */
      if (op->task != NULL)
        g_task_return_error (op->task, connection_lost_error (self));
    }
  op_free (op);
}

static void
complete_unsubscribe (AntennaClient *self,
                      Op            *op,
                      const Event   *event)
{
  if (event->kind == EVENT_SUCCESS && event->reason < 0x80)
    {
      for (guint i = 0; op->filters[i]; i++)
        remove_subscription (self, op->filters[i]);
      if (op->task != NULL)
        g_task_return_boolean (op->task, TRUE);
    }
  else if (event->reason >= 0x80)
    {
      g_autofree char *why = format_reason (event->reason, event->reason_string);

      g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                               _("%s refused to unsubscribe: %s."), self->address, why);
    }
  else
    g_task_return_error (op->task, connection_lost_error (self));
  op_free (op);
}

static void
handle_op_event (AntennaClient *self,
                 Event         *event)
{
  Op *op = NULL;

  if (event->token != 0)
    {
      gpointer key, value;

      if (g_hash_table_steal_extended (self->ops, GINT_TO_POINTER (event->token), &key, &value))
        op = value;
    }
  else if (!self->ignore_token0)
    op = g_queue_pop_head (&self->qos0_ops);

  if (op == NULL)
    {
      g_debug ("%s: no operation for token %d", self->address, event->token);
      return;
    }

  switch (op->kind)
    {
    case OP_PUBLISH:
      complete_publish (self, op, event);
      break;
    case OP_SUBSCRIBE:
      complete_subscribe (self, op, event);
      break;
    case OP_UNSUBSCRIBE:
      complete_unsubscribe (self, op, event);
      break;
    case OP_PROBE:
      self->probe_sent = 0;
      op_free (op);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
subscribe_profile_subscriptions (AntennaClient *self)
{
  GListModel *saved = antenna_profile_get_subscriptions (self->profile);
  guint n = saved ? g_list_model_get_n_items (saved) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (saved, i);

      send_subscribe (self, sub, NULL);
    }
}

static void
resubscribe (AntennaClient *self,
             gboolean       session_present)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);
      gpointer granted;

      if (antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_REFUSED)
        continue;

      if (session_present &&
          g_hash_table_lookup_extended (self->confirmed, antenna_subscription_get_filter (sub), NULL, &granted))
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_ACTIVE,
                                         GPOINTER_TO_INT (granted) - 1, NULL);
      else
        g_ptr_array_add (again, g_object_ref (sub));
    }
  g_hash_table_remove_all (self->confirmed);

  for (guint i = 0; i < again->len; i++)
    send_subscribe (self, g_ptr_array_index (again, i), NULL);
}

static gboolean
large_send_in_flight (AntennaClient *self)
{
  GHashTableIter iter;
  gpointer value;

  /* A probe waits behind a large PUBLISH being written: no verdict then
   * (Paho's own keep-alive still watches). */
  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Op *op = value;

      if (op->kind == OP_PUBLISH && op->payload != NULL && g_bytes_get_size (op->payload) > 64 * 1024)
        return TRUE;
    }
  for (GList *l = self->qos0_ops.head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->payload != NULL && g_bytes_get_size (op->payload) > 64 * 1024)
        return TRUE;
    }
  return FALSE;
}

static void
send_probe (AntennaClient *self)
{
  MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
  Op *op;
  int rc;

  if (self->mqtt_version == MQTTVERSION_5)
    {
      response.onSuccess5 = on_paho_success5;
      response.onFailure5 = on_paho_failure5;
    }
  else
    {
      response.onSuccess = on_paho_success;
      response.onFailure = on_paho_failure;
    }
  response.context = self->bridge;

  paho_call_begin ();
  rc = MQTTAsync_unsubscribe (self->handle, "$antenna/keepalive-probe", &response);
  paho_call_end ();
  if (rc != MQTTASYNC_SUCCESS)
    return;

  op = g_new0 (Op, 1);
  op->kind = OP_PROBE;
  op->token = response.token;
  register_op (self, op);
  self->probe_sent = g_get_monotonic_time ();
}

static gboolean
on_watchdog (gpointer user_data)
{
  AntennaClient *self = user_data;
  gint64 half = (gint64) antenna_profile_get_keepalive (self->profile) * G_USEC_PER_SEC / 2;
  gint64 now = g_get_monotonic_time ();

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTED || self->disconnect_task != NULL ||
      self->handle == NULL)
    return G_SOURCE_CONTINUE;

  if (self->probe_sent != 0 && now - self->probe_sent >= half &&
      self->last_inbound < self->probe_sent)
    {
      MQTTAsync_disconnectOptions opts = MQTTAsync_disconnectOptions_initializer;
      g_autoptr(GError) error = NULL;
      guint keepalive = antenna_profile_get_keepalive (self->profile);

      if (large_send_in_flight (self))
        return G_SOURCE_CONTINUE;

      g_debug ("%s: no answer for %.1f s: the connection is dead", self->address,
               (now - self->last_inbound) / 1e6);
      self->probe_sent = 0;
      /* Close the socket; the handle (and what Paho keeps of the session)
       * stays for the reconnection. */
      if (self->mqtt_version == MQTTVERSION_5)
        opts.struct_version = 1;
      opts.timeout = 0;
      paho_call_begin ();
      MQTTAsync_disconnect (self->handle, &opts);
      paho_call_end ();

      error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                           ngettext ("The connection to %s was lost: the broker stopped answering (keep alive timeout, %u second).",
                                     "The connection to %s was lost: the broker stopped answering (keep alive timeout, %u seconds).",
                                     keepalive),
                           self->address, keepalive);
      handle_connection_lost (self, error);
      return G_SOURCE_CONTINUE;
    }

  if (self->probe_sent == 0 && now - self->last_inbound >= half)
    send_probe (self);

  return G_SOURCE_CONTINUE;
}

static void
start_watchdog (AntennaClient *self)
{
  guint keepalive = antenna_profile_get_keepalive (self->profile);
  GSource *source;

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->last_inbound = g_get_monotonic_time ();
  self->probe_sent = 0;
  if (keepalive == 0)
    return;

  source = g_timeout_source_new (MAX (keepalive * 1000 / 8, 100));
  g_source_set_callback (source, on_watchdog, self, NULL);
  g_source_set_static_name (source, "[antenna] keep-alive watchdog");
  self->watchdog_id = g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
handle_connected (AntennaClient *self,
                  Event         *event)
{
  gboolean first = self->state == ANTENNA_CLIENT_STATE_CONNECTING;
  g_autoptr(GTask) task = NULL;

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTING &&
      self->state != ANTENNA_CLIENT_STATE_RECONNECTING)
    return;

  g_debug ("%s: connected, session present %d", self->address, event->session_present);

  self->reconnect_attempt = 0;
  set_reconnect_attempts (self, 0);
  self->ignore_token0 = FALSE;
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);

  if (event->assigned_id != NULL)
    set_client_id (self, event->assigned_id);
  set_maximum_packet_size (self, event->maximum_packet_size);

  if (first)
    {
      task = g_steal_pointer (&self->connect_task);
      if (self->connect_cancelled_id != 0)
        g_cancellable_disconnect (self->connect_cancellable, self->connect_cancelled_id);
      self->connect_cancelled_id = 0;
      g_clear_object (&self->connect_cancellable);
    }

  set_state (self, ANTENNA_CLIENT_STATE_CONNECTED);
  start_watchdog (self);

  if (first)
    subscribe_profile_subscriptions (self);
  else
    resubscribe (self, event->session_present);

  pump_publishes (self);
  update_queued (self);

  g_signal_emit (self, signals[CONNECTED], 0, (gboolean) event->session_present);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
handle_connect_failed (AntennaClient *self,
                       Event         *event)
{
  g_autofree char *tls_text = NULL;
  GError *error;

  g_mutex_lock (&self->bridge->mutex);
  if (self->bridge->tls_errors->len > 0)
    tls_text = g_strdup (self->bridge->tls_errors->str);
  g_string_truncate (self->bridge->tls_errors, 0);
  g_mutex_unlock (&self->bridge->mutex);

  g_debug ("%s: connect failed: code %d reason 0x%02X %s / %s", self->address,
           event->code, event->reason, event->text ? event->text : "", tls_text ? tls_text : "");

  if (self->state == ANTENNA_CLIENT_STATE_RECONNECTING)
    {
      schedule_reconnect (self);
      return;
    }

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTING || self->connect_task == NULL)
    return;

  error = connack_error (self, event);
  if (error != NULL)
    finish_connect_failure (self, self->connect_task, error);
  else
    diagnose_connect_failure (self, event, tls_text);
}

static void
handle_connection_lost (AntennaClient *self,
                        GError        *error)
{
  gboolean reconnect = antenna_profile_get_auto_reconnect (self->profile);
  gboolean clean = antenna_profile_get_clean_start (self->profile);
  g_autoptr(GError) pending_error = connection_lost_error (self);

  g_debug ("%s: connection lost: %s", self->address, error->message);

  self->ignore_token0 = TRUE;
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  if (reconnect)
    {
      GQueue kept = G_QUEUE_INIT;

      take_offline_ops (self, !clean, &kept);
      fail_pending_ops (self, clean, pending_error);
      g_assert (g_queue_is_empty (&self->publish_queue));
      self->publish_queue = kept;
      update_queued (self);
    }
  else
    fail_pending_ops (self, TRUE, pending_error);

  if (reconnect)
    {
      subscriptions_connection_down (self);
      set_state (self, ANTENNA_CLIENT_STATE_RECONNECTING);
      schedule_reconnect (self);
    }
  else
    {
      subscriptions_all_inactive (self);
      abandon_connection (self, FALSE);
      set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
    }

  g_signal_emit (self, signals[CONNECTION_LOST], 0, error);
}

static void
finish_disconnect (AntennaClient *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->disconnect_task);
  g_autoptr(GError) error = not_connected_error (self);

  fail_pending_ops (self, TRUE, error);
  subscriptions_all_inactive (self);
  abandon_connection (self, FALSE);
  set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
handle_event (AntennaClient *self,
              Event         *event)
{
  switch (event->kind)
    {
    case EVENT_CONNECTED:
      handle_connected (self, event);
      break;

    case EVENT_CONNECT_FAILED:
      handle_connect_failed (self, event);
      break;

    case EVENT_SUCCESS:
    case EVENT_FAILURE:
      handle_op_event (self, event);
      break;

    case EVENT_SERVER_DISCONNECT:
      g_debug ("%s: the broker sent DISCONNECT, reason 0x%02X", self->address, event->reason);
      /* MQTT 5: the broker said why before closing. Paho also reports the
       * closed socket as a lost connection; whichever comes first counts. */
      if (self->disconnect_task != NULL)
        finish_disconnect (self);
      else if (self->state == ANTENNA_CLIENT_STATE_CONNECTED)
        {
          g_autofree char *why = format_reason (event->reason, event->reason_string);
          g_autoptr(GError) error = NULL;

          error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_SERVER_DISCONNECTED,
                               _("%s closed the connection: %s."), self->address, why);
          handle_connection_lost (self, error);
        }
      break;

    case EVENT_CONNECTION_LOST:
      if (self->disconnect_task != NULL)
        finish_disconnect (self);
      else if (self->state == ANTENNA_CLIENT_STATE_CONNECTED)
        {
          g_autoptr(GError) error = NULL;

          error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                               _("The connection to %s was lost."), self->address);
          handle_connection_lost (self, error);
        }
      break;

    case EVENT_DISCONNECT_DONE:
      if (self->disconnect_task != NULL)
        finish_disconnect (self);
      break;

    case EVENT_MESSAGE:
    default:
      g_assert_not_reached ();
    }
}

static void
emit_batch (AntennaClient *self,
            GPtrArray     *batch)
{
  guint n_subs = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));

  /* Count per subscription, once per batch. */
  for (guint s = 0; s < n_subs; s++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), s);
      const char *filter = antenna_subscription_get_filter (sub);
      guint64 count = 0;

      if (antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_REFUSED)
        continue;
      for (guint i = 0; i < batch->len; i++)
        if (antenna_topic_matches (filter, antenna_message_get_topic (g_ptr_array_index (batch, i))))
          count++;
      if (count > 0)
        antenna_subscription_add_messages (sub, count);
    }

  g_signal_emit (self, signals[MESSAGES_RECEIVED], 0, batch);
}

static gboolean
antenna_client_dispatch (gpointer user_data)
{
  AntennaClient *self = user_data;
  Bridge *bridge = bridge_ref (self->bridge);
  GPtrArray *inbox;
  g_autoptr(GPtrArray) batch = NULL;
  guint n_messages = 0;
  guint64 bytes = 0;
  gint64 deadline;

  g_object_ref (self);

  /* Take the queue when what was taken before is done with: the two arrays
   * trade places. */
  if (bridge->inbox_pos >= bridge->inbox->len)
    {
      GPtrArray *taken;

      g_ptr_array_set_size (bridge->inbox, 0);
      bridge->inbox_pos = 0;

      g_mutex_lock (&bridge->mutex);
      taken = bridge->events;
      bridge->events = bridge->inbox;
      g_atomic_int_set (&bridge->pending, 0);
      g_mutex_unlock (&bridge->mutex);

      bridge->inbox = taken;
    }
  inbox = bridge->inbox;

  if (bridge->inbox_pos < inbox->len)
    self->last_inbound = g_get_monotonic_time ();
  deadline = g_get_monotonic_time () + DISPATCH_MAX_USEC;

  while (bridge->inbox_pos < inbox->len && self->bridge == bridge)
    {
      gpointer item = g_ptr_array_index (inbox, bridge->inbox_pos);
      Event *event;

      if (*(EventKind *) item == EVENT_MESSAGE)
        {
          MessageEvent *mevent = item;

          if (n_messages >= DISPATCH_MAX_MESSAGES ||
              (n_messages > 0 && n_messages % DISPATCH_CHECK_EVERY == 0 &&
               g_get_monotonic_time () >= deadline))
            break;

          bridge->inbox_pos++;
          if (batch == NULL)
            batch = g_ptr_array_new_full (MIN (inbox->len - bridge->inbox_pos + 1, DISPATCH_MAX_MESSAGES),
                                          g_object_unref);
          /* the message takes the block's reference and the properties */
          g_ptr_array_add (batch,
                           antenna_message_new_from_block (&mevent->block, mevent->qos,
                                                           mevent->retained, mevent->dup,
                                                           mevent->timestamp,
                                                           g_steal_pointer (&mevent->properties)));
          n_messages++;
          bytes += mevent->topic_len + mevent->block.payload_len;
          continue;
        }

      bridge->inbox_pos++;
      event = item;

      /* A publish completing does not interrupt a batch; anything else
       * (state, subscriptions) is handled after the messages before it. */
      if (batch != NULL && event->kind != EVENT_SUCCESS && event->kind != EVENT_FAILURE)
        {
          g_autoptr(GPtrArray) done = g_steal_pointer (&batch);

          emit_batch (self, done);
        }

      if (self->bridge == bridge)
        handle_event (self, event);
      event_free (event);
    }

  /* Room made: tell a receive thread waiting for it. */
  if (n_messages > 0)
    {
      g_mutex_lock (&bridge->mutex);
      bridge->queued -= n_messages;
      bridge->queued_bytes -= bytes;
      g_mutex_unlock (&bridge->mutex);
      flow_wake ();
    }

  if (batch != NULL && self->bridge == bridge)
    emit_batch (self, batch);

  /* A backlog left: the source stays ready, after one main-loop iteration
   * in which sources of a lower priority (redraws) get their turn. The rest
   * of the inbox of a dropped bridge is freed with the bridge. */
  if (bridge->inbox_pos < inbox->len && self->bridge == bridge)
    ((BridgeSource *) bridge->source)->yield = TRUE;

  bridge_unref (bridge);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

/**
 * antenna_client_get_max_queued: (skip)
 *
 * The most messages that ever waited in this client's bridges for the main
 * thread (for the backpressure test).
 */
guint
antenna_client_get_max_queued (AntennaClient *self)
{
  guint max;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), 0);

  max = self->max_queued;
  if (self->bridge != NULL)
    {
      g_mutex_lock (&self->bridge->mutex);
      max = MAX (max, self->bridge->max_queued);
      g_mutex_unlock (&self->bridge->mutex);
    }
  return max;
}

/* ------------------------------------------------------------------------ */
/* Connecting                                                                */

static guint8 *
alpn_wire_format (const char *alpn,
                  guint      *len)
{
  g_auto(GStrv) names = g_strsplit (alpn, ",", -1);
  GByteArray *bytes = g_byte_array_new ();

  for (guint i = 0; names[i]; i++)
    {
      char *name = g_strstrip (names[i]);
      gsize n = strlen (name);
      guint8 n8;

      if (n == 0 || n > 255)
        continue;
      n8 = (guint8) n;
      g_byte_array_append (bytes, &n8, 1);
      g_byte_array_append (bytes, (const guint8 *) name, n);
    }

  *len = bytes->len;
  return g_byte_array_free (bytes, FALSE);
}

static void
start_paho_connect (AntennaClient *self)
{
  AntennaProfile *profile = self->profile;
  AntennaTransport transport = antenna_profile_get_transport (profile);
  MQTTAsync_connectOptions opts = MQTTAsync_connectOptions_initializer;
  MQTTAsync_connectOptions opts5 = MQTTAsync_connectOptions_initializer5;
  MQTTAsync_willOptions will = MQTTAsync_willOptions_initializer;
  MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
  MQTTProperties connect_props = MQTTProperties_initializer;
  MQTTProperties will_props = MQTTProperties_initializer;
  g_autofree guint8 *alpn = NULL;
  const char *username = antenna_profile_get_username (profile);
  const char *will_topic = antenna_profile_get_will_topic (profile);
  const char *ca_file = antenna_profile_get_tls_ca_file (profile);
  const char *cert_file = antenna_profile_get_tls_cert_file (profile);
  const char *key_file = antenna_profile_get_tls_key_file (profile);
  const char *alpn_names = antenna_profile_get_tls_alpn (profile);
  MQTTAsync_connectOptions *o;
  int rc;

  if (self->mqtt_version == MQTTVERSION_5)
    {
      o = &opts5;
      o->cleanstart = antenna_profile_get_clean_start (profile);
      o->cleansession = 0;
      o->onSuccess5 = on_paho_connect_success5;
      o->onFailure5 = on_paho_connect_failure5;
      if (antenna_profile_get_session_expiry (profile) > 0)
        {
          paho_add_int (&connect_props, MQTTPROPERTY_CODE_SESSION_EXPIRY_INTERVAL,
                        antenna_profile_get_session_expiry (profile));
          o->connectProperties = &connect_props;
        }
    }
  else
    {
      o = &opts;
      o->MQTTVersion = MQTTVERSION_3_1_1;
      o->cleansession = antenna_profile_get_clean_start (profile);
      o->onSuccess = on_paho_connect_success;
      o->onFailure = on_paho_connect_failure;
    }

  o->context = self->bridge;
  o->keepAliveInterval = (int) antenna_profile_get_keepalive (profile);
  o->connectTimeout = (int) MAX (antenna_profile_get_connect_timeout (profile), 1);
  o->retryInterval = 0;
  o->automaticReconnect = 0;
  o->maxInflight = 65535;
  if (username != NULL && *username != '\0')
    o->username = username;
  if (self->password != NULL)
    {
      o->password = NULL;
      o->binarypwd.data = self->password;
      o->binarypwd.len = (int) strlen (self->password);
    }

  if (will_topic != NULL && *will_topic != '\0')
    {
      GBytes *payload = antenna_profile_get_will_payload (profile);
      gsize len = 0;
      const void *data = payload ? g_bytes_get_data (payload, &len) : NULL;

      will.topicName = will_topic;
      will.message = NULL;
      will.payload.data = data ? data : "";
      will.payload.len = (int) len;
      will.qos = antenna_profile_get_will_qos (profile);
      will.retained = antenna_profile_get_will_retain (profile);
      o->will = &will;

      if (self->mqtt_version == MQTTVERSION_5)
        {
          properties_to_paho (antenna_profile_get_will_properties (profile), &will_props);
          if (will_props.count > 0)
            o->willProperties = &will_props;
        }
    }

  if (transport_uses_tls (transport))
    {
      gboolean insecure = antenna_profile_get_tls_allow_insecure (profile);

      ssl.trustStore = (ca_file && *ca_file) ? ca_file : NULL;
      ssl.CApath = NULL;
      ssl.keyStore = (cert_file && *cert_file) ? cert_file : NULL;
      ssl.privateKey = (key_file && *key_file) ? key_file : NULL;
      ssl.enableServerCertAuth = !insecure;
      ssl.verify = !insecure && antenna_profile_get_tls_verify_hostname (profile);
      ssl.sslVersion = MQTT_SSL_VERSION_DEFAULT;
      ssl.ssl_error_cb = on_paho_ssl_error;
      ssl.ssl_error_context = self->bridge;
      if (alpn_names != NULL && *alpn_names != '\0')
        {
          guint len;

          alpn = alpn_wire_format (alpn_names, &len);
          if (len > 0)
            {
              ssl.protos = alpn;
              ssl.protos_len = len;
            }
        }
      o->ssl = &ssl;
    }

  g_mutex_lock (&self->bridge->mutex);
  g_string_truncate (self->bridge->tls_errors, 0);
  g_mutex_unlock (&self->bridge->mutex);

  self->connect_started = g_get_monotonic_time ();
  paho_call_begin ();
  rc = MQTTAsync_connect (self->handle, o);
  paho_call_end ();

  /* Paho copied what it keeps. */
  MQTTProperties_free (&connect_props);
  MQTTProperties_free (&will_props);

  if (rc != MQTTASYNC_SUCCESS)
    {
      /* Same path as an asynchronous failure. */
      Event *event = event_new (EVENT_CONNECT_FAILED);

      event->code = rc;
      event->text = g_strdup (MQTTAsync_strerror (rc));
      bridge_push (self->bridge, event, 0);
    }
}

/* Paho checks its connect timeout only now and then (up to two seconds
 * late): keep the promise of the profile's timeout ourselves. */
static gboolean
on_connect_timeout (gpointer user_data)
{
  AntennaClient *self = user_data;
  guint timeout = antenna_profile_get_connect_timeout (self->profile);

  self->connect_timeout_id = 0;
  if (self->state == ANTENNA_CLIENT_STATE_CONNECTING && self->connect_task != NULL)
    finish_connect_failure (self, self->connect_task,
                            g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_UNREACHABLE,
                                         ngettext ("Could not connect to %s: the broker did not answer within %u second.",
                                                   "Could not connect to %s: the broker did not answer within %u seconds.",
                                                   timeout),
                                         self->address, timeout));
  return G_SOURCE_REMOVE;
}

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  AntennaClient *self = user_data;

  self->reconnect_id = 0;
  if (self->state == ANTENNA_CLIENT_STATE_RECONNECTING && self->handle != NULL)
    {
      g_debug ("%s: reconnecting (attempt %u)", self->address, self->reconnect_attempt);
      set_reconnect_attempts (self, self->n_attempts + 1);
      start_paho_connect (self);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (AntennaClient *self)
{
  guint exponent = MIN (self->reconnect_attempt, 5);
  double seconds = MIN ((double) (1u << exponent), RECONNECT_MAX_SECONDS);
  guint delay_ms;

  /* ±20 % jitter, and never faster than once a second. */
  seconds *= g_random_double_range (0.8, 1.2);
  delay_ms = (guint) MAX (seconds * 1000, 1000);
  self->reconnect_attempt++;

  g_debug ("%s: next connection attempt in %u ms", self->address, delay_ms);

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  {
    GSource *source = g_timeout_source_new (delay_ms);

    g_source_set_callback (source, on_reconnect_timeout, self, NULL);
    g_source_set_static_name (source, "[antenna] reconnect");
    self->reconnect_id = g_source_attach (source, self->context);
    g_source_unref (source);
  }
}

static gboolean
on_connect_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  AntennaClient *self = g_task_get_source_object (task);

  if (self->connect_task == task && self->state == ANTENNA_CLIENT_STATE_CONNECTING)
    {
      g_autoptr(GTask) owned = g_steal_pointer (&self->connect_task);

      abandon_connection (self, FALSE);
      set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
      g_task_return_new_error (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Connecting to %s was cancelled."), self->address);
    }
  return G_SOURCE_REMOVE;
}

static void
on_connect_cancelled (GCancellable *cancellable,
                      GTask        *task)
{
  /* Any thread: act on the client's context. */
  AntennaClient *self = g_task_get_source_object (task);
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, on_connect_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[antenna] connect cancelled");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static char *
generate_client_id (void)
{
  return g_strdup_printf ("antenna-%08x%04x", g_random_int (), g_random_int () & 0xffff);
}

/* A file the profile names for TLS that is gone or unreadable would
 * otherwise show up as a handshake failure ("unknown CA"): say which file.
 * Returns 0 when @path is unset or a readable file, else an errno. */
static int
check_tls_file (const char *path)
{
  int fd, saved_errno;

  if (path == NULL || *path == '\0')
    return 0;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  saved_errno = errno;
  if (fd < 0)
    return saved_errno;
  close (fd);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? 0 : EISDIR;
}

/* What the broker would answer by closing the connection without a word. */
static gboolean
check_profile (AntennaClient  *self,
               GError        **error)
{
  AntennaProfile *profile = self->profile;
  const char *will_topic = antenna_profile_get_will_topic (profile);
  const char *ca_file = antenna_profile_get_tls_ca_file (profile);
  const char *cert_file = antenna_profile_get_tls_cert_file (profile);
  const char *key_file = antenna_profile_get_tls_key_file (profile);
  g_autoptr(GError) topic_error = NULL;
  int err;

  if (will_topic != NULL && *will_topic != '\0' &&
      !antenna_topic_validate_name (will_topic, -1, &topic_error))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                   _("Could not connect to %s: the last will cannot be sent there. %s "
                     "Change the will topic in the connection’s settings."),
                   self->address, topic_error->message);
      return FALSE;
    }

  if (!transport_uses_tls (antenna_profile_get_transport (profile)))
    return TRUE;

  if ((err = check_tls_file (ca_file)) != 0)
    {
      /* Translators: the first %s is a file name, the second why it cannot be read */
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                   _("The CA certificate file “%s” cannot be read: %s. "
                     "Choose it again in the connection’s settings."),
                   ca_file, g_strerror (err));
      return FALSE;
    }
  if ((err = check_tls_file (cert_file)) != 0)
    {
      /* Translators: the first %s is a file name, the second why it cannot be read */
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                   _("The client certificate file “%s” cannot be read: %s. "
                     "Choose it again in the connection’s settings."),
                   cert_file, g_strerror (err));
      return FALSE;
    }
  if ((err = check_tls_file (key_file)) != 0)
    {
      /* Translators: the first %s is a file name, the second why it cannot be read */
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TLS,
                   _("The private key file “%s” cannot be read: %s. "
                     "Choose it again in the connection’s settings."),
                   key_file, g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_handle (AntennaClient  *self,
               GError        **error)
{
  MQTTAsync_createOptions create_opts = MQTTAsync_createOptions_initializer;
  g_autofree char *uri = dup_server_uri (self);
  const char *profile_id = antenna_profile_get_client_id (self->profile);
  g_autofree char *client_id = NULL;
  Bridge *bridge;
  int rc;

  client_id = (profile_id && *profile_id) ? g_strdup (profile_id) : generate_client_id ();
  set_client_id (self, client_id);

  self->mqtt_version = antenna_profile_get_mqtt_version (self->profile) == ANTENNA_MQTT_VERSION_5 ?
                       MQTTVERSION_5 : MQTTVERSION_3_1_1;
  create_opts.MQTTVersion = self->mqtt_version;
  create_opts.sendWhileDisconnected = 0;
  create_opts.maxBufferedMessages = MAX_BUFFERED_MESSAGES;

  paho_call_begin ();
  rc = MQTTAsync_createWithOptions (&self->handle, uri, client_id,
                                    MQTTCLIENT_PERSISTENCE_NONE, NULL, &create_opts);
  paho_call_end ();
  if (rc != MQTTASYNC_SUCCESS)
    {
      self->handle = NULL;
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                   _("Cannot connect to %s: %s."), self->address,
                   rc == MQTTASYNC_BAD_PROTOCOL ? _("this kind of connection is not supported")
                                                : MQTTAsync_strerror (rc));
      return FALSE;
    }

  bridge = g_new0 (Bridge, 1);
  g_atomic_ref_count_init (&bridge->ref_count);
  g_mutex_init (&bridge->mutex);
  bridge->events = g_ptr_array_new ();
  bridge->inbox = g_ptr_array_new ();
  bridge->tls_errors = g_string_new (NULL);
  bridge->alive = TRUE;
  bridge->mqtt_version = self->mqtt_version;
  bridge->context = g_main_context_ref (self->context);
  bridge->source = g_source_new (&bridge_source_funcs, sizeof (BridgeSource));
  ((BridgeSource *) bridge->source)->bridge = bridge;
  g_source_set_callback (bridge->source, antenna_client_dispatch, self, NULL);
  g_source_set_static_name (bridge->source, "[antenna] client bridge");
  /* The default priority, above GTK's redraw: below it, a frame clock that is
   * always due (a slow machine, a spinner) starved the bridge until connects
   * timed out. Redraws are not starved in turn: after each dispatch the source
   * waits BATCH_GATHER_USEC, and whatever is due runs in that gap. */
  g_source_set_priority (bridge->source, G_PRIORITY_DEFAULT);
  g_source_attach (bridge->source, self->context);
  self->bridge = bridge;

  paho_call_begin ();
  MQTTAsync_setCallbacks (self->handle, bridge, on_paho_connection_lost, on_paho_message_arrived, NULL);
  if (self->mqtt_version == MQTTVERSION_5)
    MQTTAsync_setDisconnected (self->handle, bridge, on_paho_disconnected);
  paho_call_end ();

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Publishing                                                                */

static guint
vbi_length (gsize n)
{
  if (n < 128)
    return 1;
  if (n < 16384)
    return 2;
  if (n < 2097152)
    return 3;
  return 4;
}

static gboolean
on_pump_retry (gpointer user_data)
{
  AntennaClient *self = user_data;

  self->pump_retry_id = 0;
  pump_publishes (self);
  update_queued (self);
  return G_SOURCE_REMOVE;
}

static void
pump_publishes (AntennaClient *self)
{
  Op *op;

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTED || self->handle == NULL)
    return;

  while (self->n_publishing < PUBLISH_WINDOW && (op = g_queue_pop_head (&self->publish_queue)))
    {
      MQTTAsync_message msg = MQTTAsync_message_initializer;
      MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
      gsize len = 0;
      const void *data;
      int rc;

      if (op->task != NULL && g_task_return_error_if_cancelled (op->task))
        {
          op_free (op);
          continue;
        }

      data = op->payload ? g_bytes_get_data (op->payload, &len) : NULL;
      msg.payload = (void *) data;
      msg.payloadlen = (int) len;
      msg.qos = op->qos;
      msg.retained = op->retain;
      if (self->mqtt_version == MQTTVERSION_5)
        {
          properties_to_paho (op->properties, &msg.properties);
          response.onSuccess5 = on_paho_success5;
          response.onFailure5 = on_paho_failure5;
        }
      else
        {
          response.onSuccess = on_paho_success;
          response.onFailure = on_paho_failure;
        }
      response.context = self->bridge;

      paho_call_begin ();
      rc = MQTTAsync_sendMessage (self->handle, op->topic, &msg, &response);
      paho_call_end ();
      MQTTProperties_free (&msg.properties);

      if (rc == MQTTASYNC_MAX_BUFFERED_MESSAGES || rc == MQTTASYNC_MAX_MESSAGES_INFLIGHT ||
          rc == MQTTASYNC_NO_MORE_MSGIDS)
        {
          /* Paho's window is full: wait for a completion (or a moment). */
          g_queue_push_head (&self->publish_queue, op);
          if (self->n_publishing == 0 && self->pump_retry_id == 0)
            {
              GSource *source = g_timeout_source_new (10);

              g_source_set_callback (source, on_pump_retry, self, NULL);
              self->pump_retry_id = g_source_attach (source, self->context);
              g_source_unref (source);
            }
          return;
        }

      if (rc == MQTTASYNC_DISCONNECTED && op->qos > 0 &&
          (op->flags & ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE))
        {
          /* Paho saw the loss before we did: it waits for the reconnection. */
          g_queue_push_head (&self->publish_queue, op);
          return;
        }

      if (rc == MQTTASYNC_DISCONNECTED)
        {
          op_fail (op, not_connected_error (self));
          continue;
        }

      if (rc != MQTTASYNC_SUCCESS)
        {
          op_fail (op, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                                    _("The message could not be sent to %s: %s."),
                                    self->address, MQTTAsync_strerror (rc)));
          continue;
        }

      op->token = response.token;
      self->n_publishing++;
      if (op->qos == 0)
        g_queue_push_tail (&self->qos0_ops, op);
      else
        register_op (self, op);
    }
}

/* ------------------------------------------------------------------------ */
/* Subscribing                                                               */

static void
send_subscribe (AntennaClient       *self,
                AntennaSubscription *subscription,
                GTask               *task)
{
  MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
  const char *filter = antenna_subscription_get_filter (subscription);
  AntennaSubscription *listed;
  Op *op;
  int rc;

  listed = find_subscription (self, filter, NULL);
  if (listed == NULL)
    {
      g_autoptr(AntennaSubscription) copy = antenna_subscription_copy (subscription);

      g_list_store_append (self->subscriptions, copy);
      listed = copy;
    }
  else if (listed != subscription)
    {
      antenna_subscription_set_qos (listed, antenna_subscription_get_qos (subscription));
      antenna_subscription_set_no_local (listed, antenna_subscription_get_no_local (subscription));
      antenna_subscription_set_retain_as_published (listed, antenna_subscription_get_retain_as_published (subscription));
      antenna_subscription_set_retain_handling (listed, antenna_subscription_get_retain_handling (subscription));
    }
  _antenna_subscription_set_state (listed, ANTENNA_SUBSCRIPTION_STATE_PENDING, 0, NULL);

  if (self->mqtt_version == MQTTVERSION_5)
    {
      response.onSuccess5 = on_paho_success5;
      response.onFailure5 = on_paho_failure5;
      response.subscribeOptions.noLocal = antenna_subscription_get_no_local (listed);
      response.subscribeOptions.retainAsPublished = antenna_subscription_get_retain_as_published (listed);
      response.subscribeOptions.retainHandling = antenna_subscription_get_retain_handling (listed);
    }
  else
    {
      response.onSuccess = on_paho_success;
      response.onFailure = on_paho_failure;
    }
  response.context = self->bridge;

  op = g_new0 (Op, 1);
  op->kind = OP_SUBSCRIBE;
  op->task = task ? g_object_ref (task) : NULL;
  op->subscription = g_object_ref (listed);

  paho_call_begin ();
  rc = MQTTAsync_subscribe (self->handle, filter, antenna_subscription_get_qos (listed), &response);
  paho_call_end ();
  if (rc != MQTTASYNC_SUCCESS)
    {
      g_autofree char *message = g_strdup_printf (_("Could not subscribe to “%s” on %s: %s."),
                                                  filter, self->address, MQTTAsync_strerror (rc));

      _antenna_subscription_set_state (listed, ANTENNA_SUBSCRIPTION_STATE_REFUSED, 0, message);
      op_fail (op, g_error_new_literal (ANTENNA_ERROR, ANTENNA_ERROR_FAILED, message));
      return;
    }

  op->token = response.token;
  register_op (self, op);
}

static void
send_unsubscribe (AntennaClient *self,
                  GStrv          filters,
                  GTask         *task)
{
  MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
  Op *op;
  int rc;

  if (self->mqtt_version == MQTTVERSION_5)
    {
      response.onSuccess5 = on_paho_success5;
      response.onFailure5 = on_paho_failure5;
    }
  else
    {
      response.onSuccess = on_paho_success;
      response.onFailure = on_paho_failure;
    }
  response.context = self->bridge;

  op = g_new0 (Op, 1);
  op->kind = OP_UNSUBSCRIBE;
  op->task = g_object_ref (task);
  op->filters = filters;

  paho_call_begin ();
  rc = MQTTAsync_unsubscribeMany (self->handle, (int) g_strv_length (filters), filters, &response);
  paho_call_end ();
  if (rc != MQTTASYNC_SUCCESS)
    {
      op_fail (op, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                                _("Could not unsubscribe on %s: %s."),
                                self->address, MQTTAsync_strerror (rc)));
      return;
    }

  op->token = response.token;
  register_op (self, op);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
antenna_client_dispose (GObject *object)
{
  AntennaClient *self = (AntennaClient *)object;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("The connection was closed."));

  /* Tasks hold a reference on us, so none is pending here; ops without a
   * task (re-subscribes) may be. */
  fail_pending_ops (self, TRUE, error);
  /* Still connected: send DISCONNECT (in the destroy thread) so that the
   * broker does not publish the last will. */
  abandon_connection (self, self->state == ANTENNA_CLIENT_STATE_CONNECTED);
  clear_password (self);

  G_OBJECT_CLASS (antenna_client_parent_class)->dispose (object);
}

static void
antenna_client_constructed (GObject *object)
{
  AntennaClient *self = (AntennaClient *)object;

  G_OBJECT_CLASS (antenna_client_parent_class)->constructed (object);

  g_assert (self->profile != NULL);
  self->address = antenna_profile_dup_display_address (self->profile);
}

static void
antenna_client_finalize (GObject *object)
{
  AntennaClient *self = (AntennaClient *)object;

  g_clear_object (&self->profile);
  g_clear_object (&self->subscriptions);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->ops, g_hash_table_unref);
  g_clear_pointer (&self->confirmed, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (antenna_client_parent_class)->finalize (object);
}

static void
antenna_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AntennaClient *self = ANTENNA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SUBSCRIPTIONS:
      g_value_set_object (value, self->subscriptions);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_MAXIMUM_PACKET_SIZE:
      g_value_set_uint (value, self->maximum_packet_size);
      break;
    case PROP_QUEUED:
      g_value_set_uint (value, self->n_queued);
      break;
    case PROP_RECONNECT_ATTEMPTS:
      g_value_set_uint (value, self->n_attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AntennaClient *self = ANTENNA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_client_class_init (AntennaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* At its default level Paho records every call in an in-memory trace:
   * about 40% of its work per message (bench/README.md). Errors are enough,
   * unless someone asks Paho for a trace. */
  if (g_getenv ("MQTT_C_CLIENT_TRACE") == NULL)
    MQTTAsync_setTraceLevel (MQTTASYNC_TRACE_ERROR);

  object_class->constructed = antenna_client_constructed;
  object_class->dispose = antenna_client_dispose;
  object_class->finalize = antenna_client_finalize;
  object_class->get_property = antenna_client_get_property;
  object_class->set_property = antenna_client_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         ANTENNA_TYPE_PROFILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       ANTENNA_TYPE_CLIENT_STATE,
                       ANTENNA_CLIENT_STATE_DISCONNECTED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUBSCRIPTIONS] =
    g_param_spec_object ("subscriptions", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAXIMUM_PACKET_SIZE] =
    g_param_spec_uint ("maximum-packet-size", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_QUEUED] =
    g_param_spec_uint ("queued", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RECONNECT_ATTEMPTS] =
    g_param_spec_uint ("reconnect-attempts", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MESSAGES_RECEIVED] =
    g_signal_new ("messages-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals[MESSAGE_SENT] =
    g_signal_new ("message-sent",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_MESSAGE);

  signals[CONNECTION_LOST] =
    g_signal_new ("connection-lost",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals[CONNECTED] =
    g_signal_new ("connected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
antenna_client_init (AntennaClient *self)
{
  self->state = ANTENNA_CLIENT_STATE_DISCONNECTED;
  self->subscriptions = g_list_store_new (ANTENNA_TYPE_SUBSCRIPTION);
  self->ops = g_hash_table_new (NULL, NULL);
  self->confirmed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->context = g_main_context_ref_thread_default ();
  g_queue_init (&self->qos0_ops);
  g_queue_init (&self->publish_queue);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

AntennaClient *
antenna_client_new (AntennaProfile *profile)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (profile), NULL);

  return g_object_new (ANTENNA_TYPE_CLIENT,
                       "profile", profile,
                       NULL);
}

AntennaProfile *
antenna_client_get_profile (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), NULL);

  return self->profile;
}

AntennaClientState
antenna_client_get_state (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), ANTENNA_CLIENT_STATE_DISCONNECTED);

  return self->state;
}

GListModel *
antenna_client_get_subscriptions (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), NULL);

  return G_LIST_MODEL (self->subscriptions);
}

const char *
antenna_client_get_client_id (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), NULL);

  return self->client_id;
}

guint
antenna_client_get_maximum_packet_size (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), 0);

  return self->maximum_packet_size;
}

guint
antenna_client_get_n_queued (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), 0);

  return self->n_queued;
}

guint
antenna_client_get_reconnect_attempts (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), 0);

  return self->n_attempts;
}

void
antenna_client_connect_async (AntennaClient       *self,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ANTENNA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_client_connect_async);

  g_free (self->address);
  self->address = antenna_profile_dup_display_address (self->profile);

  if (self->state != ANTENNA_CLIENT_STATE_DISCONNECTED || self->disconnect_task != NULL)
    {
      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                               _("Already connected or connecting to %s."), self->address);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  /* A handle left from a connection that lost and gave up. */
  abandon_connection (self, FALSE);
  g_list_store_remove_all (self->subscriptions);
  set_maximum_packet_size (self, 0);

  clear_password (self);
  self->password = g_strdup (password);

  if (!check_profile (self, &error) || !create_handle (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->connect_task = g_object_ref (task);
  self->ignore_token0 = FALSE;
  set_state (self, ANTENNA_CLIENT_STATE_CONNECTING);

  if (cancellable != NULL)
    {
      self->connect_cancellable = g_object_ref (cancellable);
      self->connect_cancelled_id = g_cancellable_connect (cancellable,
                                                          G_CALLBACK (on_connect_cancelled),
                                                          task, NULL);
    }

  {
    guint timeout = MAX (antenna_profile_get_connect_timeout (self->profile), 1);
    GSource *source = g_timeout_source_new (timeout * 1000 + 250);

    g_source_set_callback (source, on_connect_timeout, self, NULL);
    g_source_set_static_name (source, "[antenna] connect timeout");
    self->connect_timeout_id = g_source_attach (source, self->context);
    g_source_unref (source);
  }

  start_paho_connect (self);
}

gboolean
antenna_client_connect_finish (AntennaClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
antenna_client_publish_async (AntennaClient       *self,
                              const char          *topic,
                              GBytes              *payload,
                              int                  qos,
                              gboolean             retain,
                              AntennaProperties   *props,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  antenna_client_publish_full_async (self, topic, payload, qos, retain, props,
                                     ANTENNA_PUBLISH_FLAGS_NONE,
                                     cancellable, callback, user_data);
}

/* Why a publish cannot go out now; NULL when it can (or can wait). */
static GError *
publish_not_connected_error (AntennaClient       *self,
                             int                  qos,
                             AntennaPublishFlags  flags)
{
  g_autofree char *address = NULL;

  if (self->state == ANTENNA_CLIENT_STATE_CONNECTED && self->disconnect_task == NULL)
    return NULL;

  if (self->state != ANTENNA_CLIENT_STATE_RECONNECTING || self->disconnect_task != NULL)
    return not_connected_error (self);

  if (qos > 0 && (flags & ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE))
    return NULL;

  address = antenna_profile_dup_display_address (self->profile);
  if (qos == 0)
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED,
                        _("Not connected to %s. Messages with QoS 0 cannot be queued; send it again once reconnected, or use QoS 1 or 2 to have it sent after the reconnection."),
                        address);
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED,
                      _("Not connected to %s. The message was not sent; it can be queued to go out after the reconnection."),
                      address);
}

void
antenna_client_publish_full_async (AntennaClient       *self,
                                   const char          *topic,
                                   GBytes              *payload,
                                   int                  qos,
                                   gboolean             retain,
                                   AntennaProperties   *props,
                                   AntennaPublishFlags  flags,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gsize payload_len = payload ? g_bytes_get_size (payload) : 0;
  gsize remaining;
  gsize packet;
  Op *op;

  g_return_if_fail (ANTENNA_IS_CLIENT (self));
  g_return_if_fail (topic != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_client_publish_full_async);

  if (!antenna_topic_validate_name (topic, -1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (qos < 0 || qos > 2)
    {
      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                               _("QoS %d does not exist: MQTT knows QoS 0, 1 and 2."), qos);
      return;
    }

  if ((error = publish_not_connected_error (self, qos, flags)) != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* PUBLISH: fixed header (1 + remaining length), topic (2 + length),
   * packet id (QoS > 0), properties (MQTT 5), payload. */
  remaining = 2 + strlen (topic) + (qos > 0 ? 2 : 0) + payload_len;
  if (self->mqtt_version == MQTTVERSION_5)
    {
      MQTTProperties paho_props = MQTTProperties_initializer;

      properties_to_paho (props, &paho_props);
      remaining += vbi_length (paho_props.length) + paho_props.length;
      MQTTProperties_free (&paho_props);
    }
  packet = 1 + vbi_length (remaining) + remaining;

  if (remaining > ANTENNA_MQTT_MAX_PAYLOAD)
    {
      g_autofree char *size = g_format_size_full (payload_len, G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *max = g_format_size_full (payload_len - (remaining - ANTENNA_MQTT_MAX_PAYLOAD),
                                                 G_FORMAT_SIZE_LONG_FORMAT);

      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                               _("The message is too large: its payload is %s, but with this topic an MQTT message can carry at most %s."),
                               size, max);
      return;
    }

  if (self->maximum_packet_size > 0 && packet > self->maximum_packet_size)
    {
      g_autofree char *size = g_format_size_full (payload_len, G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *limit = g_format_size_full (self->maximum_packet_size, G_FORMAT_SIZE_LONG_FORMAT);
      gsize overhead = packet - payload_len;
      g_autofree char *max = g_format_size_full (self->maximum_packet_size > overhead ?
                                                 self->maximum_packet_size - overhead : 0,
                                                 G_FORMAT_SIZE_LONG_FORMAT);

      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                               _("The message is too large for %s: its payload is %s, but the broker accepts packets of at most %s, which leaves %s for the payload with this topic."),
                               self->address, size, limit, max);
      return;
    }

  op = g_new0 (Op, 1);
  op->kind = OP_PUBLISH;
  op->task = g_steal_pointer (&task);
  op->topic = g_strdup (topic);
  op->payload = payload ? g_bytes_ref (payload) : g_bytes_new (NULL, 0);
  op->properties = props ? antenna_properties_ref (props) : NULL;
  op->qos = qos;
  op->retain = retain;
  op->flags = flags;
  op->seq = self->next_seq++;
  g_queue_push_tail (&self->publish_queue, op);

  pump_publishes (self);
  update_queued (self);
}

gboolean
antenna_client_publish_finish (AntennaClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
antenna_client_subscribe_async (AntennaClient       *self,
                                AntennaSubscription *subscription,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  const char *filter;

  g_return_if_fail (ANTENNA_IS_CLIENT (self));
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (subscription));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_client_subscribe_async);

  filter = antenna_subscription_get_filter (subscription);
  if (!antenna_topic_validate_filter (filter, -1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (antenna_subscription_get_qos (subscription) < 0 || antenna_subscription_get_qos (subscription) > 2)
    {
      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                               _("QoS %d does not exist: MQTT knows QoS 0, 1 and 2."),
                               antenna_subscription_get_qos (subscription));
      return;
    }

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTED || self->disconnect_task != NULL)
    {
      g_task_return_error (task, not_connected_error (self));
      return;
    }

  send_subscribe (self, subscription, task);
}

int
antenna_client_subscribe_finish (AntennaClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}

void
antenna_client_unsubscribe_async (AntennaClient       *self,
                                  const char          *filter,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  AntennaSubscription *sub;

  g_return_if_fail (ANTENNA_IS_CLIENT (self));
  g_return_if_fail (filter != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_client_unsubscribe_async);

  if (!antenna_topic_validate_filter (filter, -1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sub = find_subscription (self, filter, NULL);
  if (sub != NULL && antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_REFUSED)
    {
      /* never active on the broker: nothing to send */
      remove_subscription (self, filter);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTED || self->disconnect_task != NULL)
    {
      g_task_return_error (task, not_connected_error (self));
      return;
    }

  {
    GStrv filters = g_new0 (char *, 2);

    filters[0] = g_strdup (filter);
    send_unsubscribe (self, filters, task);
  }
}

gboolean
antenna_client_unsubscribe_finish (AntennaClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
antenna_client_unsubscribe_all_async (AntennaClient       *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  GStrv filters;
  guint n;

  g_return_if_fail (ANTENNA_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_client_unsubscribe_all_async);

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTED || self->disconnect_task != NULL)
    {
      g_task_return_error (task, not_connected_error (self));
      return;
    }

  builder = g_strv_builder_new ();
  n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i - 1);

      if (antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_REFUSED)
        g_list_store_remove (self->subscriptions, i - 1);
      else
        g_strv_builder_add (builder, antenna_subscription_get_filter (sub));
    }
  filters = g_strv_builder_end (builder);

  if (filters[0] == NULL)
    {
      g_strfreev (filters);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* One UNSUBSCRIBE with every filter. */
  send_unsubscribe (self, filters, task);
}

gboolean
antenna_client_unsubscribe_all_finish (AntennaClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
on_disconnect_timeout (gpointer user_data)
{
  AntennaClient *self = user_data;

  self->disconnect_timeout_id = 0;
  if (self->disconnect_task != NULL)
    finish_disconnect (self);
  return G_SOURCE_REMOVE;
}

void
antenna_client_disconnect_async (AntennaClient       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MQTTAsync_disconnectOptions opts = MQTTAsync_disconnectOptions_initializer;
  int rc;

  g_return_if_fail (ANTENNA_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_client_disconnect_async);

  switch (self->state)
    {
    case ANTENNA_CLIENT_STATE_DISCONNECTED:
      abandon_connection (self, FALSE);
      g_task_return_boolean (task, TRUE);
      return;

    case ANTENNA_CLIENT_STATE_CONNECTING:
      {
        g_autoptr(GTask) connect_task = g_steal_pointer (&self->connect_task);

        abandon_connection (self, FALSE);
        set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
        if (connect_task != NULL)
          g_task_return_new_error (connect_task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("Connecting to %s was cancelled."), self->address);
        g_task_return_boolean (task, TRUE);
      }
      return;

    case ANTENNA_CLIENT_STATE_RECONNECTING:
      {
        g_autoptr(GError) error = not_connected_error (self);

        fail_pending_ops (self, TRUE, error);
        subscriptions_all_inactive (self);
        abandon_connection (self, FALSE);
        set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
        g_task_return_boolean (task, TRUE);
      }
      return;

    case ANTENNA_CLIENT_STATE_CONNECTED:
    default:
      break;
    }

  if (self->disconnect_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Already disconnecting from %s."), self->address);
      return;
    }

  self->disconnect_task = g_object_ref (task);

  if (self->mqtt_version == MQTTVERSION_5)
    {
      opts.struct_version = 1;
      opts.onSuccess5 = on_paho_disconnect_done5;
      opts.onFailure5 = on_paho_disconnect_failed5;
    }
  else
    {
      opts.onSuccess = on_paho_disconnect_done;
      opts.onFailure = on_paho_disconnect_failed;
    }
  opts.context = self->bridge;
  /* Let in-flight messages complete for a moment. */
  opts.timeout = 1000;

  paho_call_begin ();
  rc = MQTTAsync_disconnect (self->handle, &opts);
  paho_call_end ();
  if (rc != MQTTASYNC_SUCCESS)
    {
      finish_disconnect (self);
      return;
    }

  {
    GSource *source = g_timeout_source_new (DISCONNECT_TIMEOUT_MS);

    g_source_set_callback (source, on_disconnect_timeout, self, NULL);
    self->disconnect_timeout_id = g_source_attach (source, self->context);
    g_source_unref (source);
  }
}

gboolean
antenna_client_disconnect_finish (AntennaClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
