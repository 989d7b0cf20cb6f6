/* antenna-client-bridge.c: AntennaClient's bridge from Paho's threads to the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Paho runs its callbacks on its own threads, holding its global mutex. Each
 * callback copies what it needs into an event, frees the Paho memory right
 * there (Debian's Paho has a tracked heap: freeing it on the main thread
 * would make the two threads fight over its lock), appends the event to the
 * queue of a small refcounted AntennaBridge under a GMutex, arms the bridge's
 * GSource about a millisecond ahead when the queue was empty, and returns.
 * The GSource's dispatch, on the main context, swaps out the whole queue and
 * handles it in order: messages become one ::messages-received emission per
 * run of consecutive messages; everything else completes GTasks and moves the
 * state machine (antenna-client.c). The callbacks see only the bridge, never
 * the GObject, and a bridge lives as long as its Paho handle: each handle (one
 * per antenna_client_connect_async()) has its own bridge, so events of a
 * handle that was dropped (disconnect, cancel, finalize) can never reach the
 * next one. Requests go the other way through the bridge's sender
 * (antenna-client-sender.c), which also destroys the handle off the main
 * thread, since MQTTAsync_destroy() can block.
 *
 * This is the one place where threads meet, and the hot path of every
 * received message: a file of its own, so that what runs on Paho's threads
 * (the callbacks, the block pool, the wait for room, the receive thread's
 * nice value) and the main-thread half that drains the queue can be read,
 * and measured, together. A received message goes from the callback to its
 * AntennaMessage without leaving this file.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/resource.h>
# include <sys/syscall.h>
#endif

#include "antenna-client-bridge-private.h"
#include "antenna-client-private.h"
#include "antenna-client-properties-private.h"
#include "antenna-client-sender-private.h"
#include "antenna-message-private.h"
#include "antenna-paho-coalesce-private.h"

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
  AntennaEventKind     kind;         /* ANTENNA_EVENT_MESSAGE */
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

struct _AntennaBridge
{
  /* Shared with Paho's threads */
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GPtrArray       *events;      /* of AntennaEvent* / MessageEvent*; under mutex */
  gboolean         alive;       /* under mutex */
  GString         *tls_errors;  /* OpenSSL's error text; under mutex */
  GSource         *source;      /* constant */
  AntennaSender   *sender;      /* constant; freed with the bridge */
  GMainContext    *context;     /* constant; woken when the queue fills */
  int              pending;     /* atomic: the queue is not empty */
  int              dead;        /* atomic: alive is FALSE */
  int              mqtt_version;

  /* MQTT 5 topic aliases the broker set on this connection (Paho 1.3.12
   * leaves them to us: a PUBLISH with an alias and no topic reaches the
   * callback with an empty topic). Paho's receive thread only; emptied at
   * each CONNACK. The most we accept is atomic: the main thread sets it for
   * each attempt. */
  GHashTable      *topic_aliases;      /* alias → topic */
  int              topic_alias_maximum;

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
};

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
  GSource        source;
  AntennaBridge *bridge;     /* owns this source, and is freed only after it was destroyed */
  gint64         deadline;   /* main thread: when the gathering batch is due; 0: none */
  gboolean       yield;      /* main thread: let one main-loop iteration pass first */
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
  event->kind = ANTENNA_EVENT_MESSAGE;
  g_atomic_ref_count_init (&event->block.ref_count);
  event->block.release = message_event_release;
  event->next = NULL;
  event->properties = NULL;
  event->paho_payload = NULL;

  return event;
}

static void
event_free (AntennaEvent *event)
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
  if (*(AntennaEventKind *) item == ANTENNA_EVENT_MESSAGE)
    {
      MessageEvent *event = item;

      g_clear_pointer (&event->properties, antenna_properties_unref);
      antenna_message_block_unref (&event->block);
    }
  else
    event_free (item);
}

static AntennaEvent *
event_new (AntennaEventKind kind)
{
  AntennaEvent *event = g_new0 (AntennaEvent, 1);

  event->kind = kind;
  return event;
}

/* ---- Backpressure ------------------------------------------------------ */

/* One mutex and condition for all bridges: Paho has one receive thread for
 * all its handles, and it waits for one bridge at a time. */
static GMutex flow_mutex;
static GCond  flow_cond;
static int    flow_waiting;     /* atomic: the receive thread is waiting */

/* atomic: main-thread calls into Paho in progress */
int _antenna_bridge_paho_calls;

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
void
_antenna_bridge_paho_call_begin (void)
{
  g_atomic_int_inc (&_antenna_bridge_paho_calls);
  flow_wake ();
}

/* _antenna_bridge_paho_call_end() is inline in antenna-client-bridge-private.h:
 * it runs for every publish. */

static gboolean
bridge_is_full_locked (AntennaBridge *bridge)
{
  return bridge->queued >= ANTENNA_CLIENT_MAX_QUEUED_MESSAGES ||
         bridge->queued_bytes >= ANTENNA_CLIENT_MAX_QUEUED_BYTES;
}

/* Paho's receive thread, before it queues a message when the last one filled
 * the queue: waits until the main thread has made room, the bridge is dropped,
 * the main thread calls into Paho, or FLOW_MAX_WAIT_USEC have passed. */
static void
bridge_wait_for_room (AntennaBridge *bridge)
{
  gint64 end = g_get_monotonic_time () + FLOW_MAX_WAIT_USEC;

  /* The PUBACKs of the messages taken so far go out before this wait, as
   * they would have without antenna-paho-coalesce.c holding them back. */
  _antenna_paho_coalesce_flush_all ();

  g_mutex_lock (&flow_mutex);
  g_atomic_int_inc (&flow_waiting);
  for (;;)
    {
      gboolean full;

      g_mutex_lock (&bridge->mutex);
      full = bridge_is_full_locked (bridge);
      g_mutex_unlock (&bridge->mutex);

      if (!full || g_atomic_int_get (&bridge->dead) || g_atomic_int_get (&_antenna_bridge_paho_calls) > 0)
        break;
      if (!g_cond_wait_until (&flow_cond, &flow_mutex, end))
        break;
    }
  g_atomic_int_dec_and_test (&flow_waiting);
  g_mutex_unlock (&flow_mutex);
}

static AntennaBridge *
bridge_ref (AntennaBridge *bridge)
{
  g_atomic_ref_count_inc (&bridge->ref_count);
  return bridge;
}

/* Any thread. The last reference goes after the handle was destroyed: Paho
 * calls nothing more, and the sender can let its requests go. */
static void
bridge_unref (AntennaBridge *bridge)
{
  if (!g_atomic_ref_count_dec (&bridge->ref_count))
    return;

  g_clear_pointer (&bridge->sender, _antenna_sender_free);
  for (guint i = bridge->inbox_pos; i < bridge->inbox->len; i++)
    queue_item_free (g_ptr_array_index (bridge->inbox, i));
  g_ptr_array_unref (bridge->inbox);
  g_ptr_array_foreach (bridge->events, (GFunc) queue_item_free, NULL);
  g_ptr_array_unref (bridge->events);
  g_string_free (bridge->tls_errors, TRUE);
  g_hash_table_unref (bridge->topic_aliases);
  g_source_unref (bridge->source);
  g_main_context_unref (bridge->context);
  g_mutex_clear (&bridge->mutex);
  g_free (bridge);
}

/* Any thread. Takes @item (an AntennaEvent, or a MessageEvent of @bytes
 * topic and payload bytes). Returns whether the queue is full now. */
static gboolean
bridge_push (AntennaBridge *bridge,
             gpointer       item,
             gsize          bytes)
{
  gboolean wake = FALSE;
  gboolean full = FALSE;

  g_mutex_lock (&bridge->mutex);
  if (bridge->alive)
    {
      g_ptr_array_add (bridge->events, item);
      if (*(AntennaEventKind *) item == ANTENNA_EVENT_MESSAGE)
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

/* Any thread: an event that is not a message goes through the sender, so
 * that it does not overtake an answer the sender holds back (see
 * antenna-client-sender.c). */
static void
bridge_push_event (AntennaBridge *bridge,
                   AntennaEvent  *event)
{
  _antenna_sender_push_event (bridge->sender, event);
}

/* ---- The source -------------------------------------------------------- */

/* Main thread. */
static gboolean
bridge_source_ready (BridgeSource *self,
                     int          *timeout)
{
  AntennaBridge *bridge = self->bridge;
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

/* Paho's receive thread. The topic of a message that has a Topic Alias
 * property: a topic it sets for the alias, or the one it stands for. NULL
 * for an alias we did not allow or that the broker never set (a protocol
 * error of the broker: logged, and the message dropped, since it has no
 * topic), and for a message with neither a topic nor an alias. */
static const char *
resolve_topic_alias (AntennaBridge     *bridge,
                     const char        *topic,
                     gsize             *len,
                     MQTTAsync_message *message)
{
  int maximum = g_atomic_int_get (&bridge->topic_alias_maximum);
  int alias;
  const char *known;

  if (message->struct_version < 1 || message->properties.count == 0 ||
      !MQTTProperties_hasProperty (&message->properties, MQTTPROPERTY_CODE_TOPIC_ALIAS))
    {
      if (*len > 0)
        return topic;
      g_message ("The broker sent a message with neither a topic nor a topic alias: message dropped");
      return NULL;
    }

  alias = MQTTProperties_getNumericValue (&message->properties, MQTTPROPERTY_CODE_TOPIC_ALIAS);
  if (alias < 1 || alias > maximum)
    {
      g_message ("The broker sent topic alias %d, which this client does not allow (its maximum is %d)%s",
                 alias, maximum, *len > 0 ? "" : ": message dropped");
      return *len > 0 ? topic : NULL;
    }
  if (*len > 0)
    {
      g_hash_table_insert (bridge->topic_aliases, GINT_TO_POINTER (alias), g_strndup (topic, *len));
      return topic;
    }

  known = g_hash_table_lookup (bridge->topic_aliases, GINT_TO_POINTER (alias));
  if (known == NULL)
    {
      g_message ("The broker sent topic alias %d, which it never set on this connection: message dropped", alias);
      return NULL;
    }
  *len = strlen (known);
  return known;
}

static int
on_paho_message_arrived (void              *context,
                         char              *topic_name,
                         int                topic_len,
                         MQTTAsync_message *message)
{
  AntennaBridge *bridge = context;
  gsize len = topic_len > 0 ? (gsize) topic_len : strlen (topic_name);
  gsize payload_len = (gsize) message->payloadlen;
  MessageEvent *event;
  const char *topic;

  apply_receive_niceness ();

  topic = resolve_topic_alias (bridge, topic_name, &len, message);
  if (topic == NULL)
    {
      MQTTAsync_freeMessage (&message);
      MQTTAsync_free (topic_name);
      return 1;
    }

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
  memcpy (event->data, topic, len);
  event->data[len] = '\0';
  event->block.topic = event->data;
  event->topic_len = len;
  event->block.payload_len = payload_len;
  event->qos = message->qos;
  event->retained = message->retained != 0;
  event->dup = message->dup != 0;
  event->timestamp = g_get_real_time ();
  if (message->struct_version >= 1 && message->properties.count > 0)
    event->properties = _antenna_client_properties_from_paho (&message->properties);

  MQTTAsync_freeMessage (&message);
  MQTTAsync_free (topic_name);

  bridge->full = bridge_push (bridge, event, len + payload_len);
  return 1;
}

static void
on_paho_connection_lost (void *context,
                         char *cause)
{
  AntennaEvent *event = event_new (ANTENNA_EVENT_CONNECTION_LOST);

  event->text = g_strdup (cause);
  bridge_push_event (context, event);
}

static void
on_paho_disconnected (void                 *context,
                      MQTTProperties       *properties,
                      enum MQTTReasonCodes  reason)
{
  AntennaEvent *event = event_new (ANTENNA_EVENT_SERVER_DISCONNECT);

  event->reason = reason;
  if (properties != NULL)
    event->reason_string = _antenna_client_paho_dup_string (properties, MQTTPROPERTY_CODE_REASON_STRING);
  bridge_push_event (context, event);
}

static int
on_paho_ssl_error (const char *str,
                   size_t      len,
                   void       *context)
{
  AntennaBridge *bridge = context;

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
  AntennaEvent *event = event_new (ANTENNA_EVENT_CONNECTED);

  event->session_present = response->alt.connect.sessionPresent;
  bridge_push_event (context, event);
}

static void
on_paho_connect_success5 (void                   *context,
                          MQTTAsync_successData5 *response)
{
  AntennaBridge *bridge = context;
  AntennaEvent *event = event_new (ANTENNA_EVENT_CONNECTED);

  /* A new connection: the broker's aliases of the last one are gone. */
  g_hash_table_remove_all (bridge->topic_aliases);

  event->session_present = response->alt.connect.sessionPresent;
  if (MQTTProperties_hasProperty (&response->properties, MQTTPROPERTY_CODE_MAXIMUM_PACKET_SIZE))
    event->maximum_packet_size = (guint32) MQTTProperties_getNumericValue (&response->properties,
                                                                           MQTTPROPERTY_CODE_MAXIMUM_PACKET_SIZE);
  if (MQTTProperties_hasProperty (&response->properties, MQTTPROPERTY_CODE_RECEIVE_MAXIMUM))
    event->receive_maximum = (guint32) MQTTProperties_getNumericValue (&response->properties,
                                                                       MQTTPROPERTY_CODE_RECEIVE_MAXIMUM);
  event->assigned_id = _antenna_client_paho_dup_string (&response->properties,
                                                        MQTTPROPERTY_CODE_ASSIGNED_CLIENT_IDENTIFER);
  bridge_push_event (context, event);
}

static void
on_paho_connect_failure (void                  *context,
                         MQTTAsync_failureData *response)
{
  AntennaEvent *event = event_new (ANTENNA_EVENT_CONNECT_FAILED);

  event->code = response ? response->code : MQTTASYNC_FAILURE;
  event->text = g_strdup (response ? response->message : NULL);
  bridge_push_event (context, event);
}

static void
on_paho_connect_failure5 (void                   *context,
                          MQTTAsync_failureData5 *response)
{
  AntennaEvent *event = event_new (ANTENNA_EVENT_CONNECT_FAILED);

  if (response != NULL)
    {
      event->code = response->code;
      event->reason = response->reasonCode;
      /* Paho 1.3 puts the CONNACK reason code in code */
      if (event->reason == 0 && event->code >= 0x80 && event->code <= 0xFF)
        event->reason = event->code;
      event->text = g_strdup (response->message);
      event->reason_string = _antenna_client_paho_dup_string (&response->properties, MQTTPROPERTY_CODE_REASON_STRING);
    }
  else
    event->code = MQTTASYNC_FAILURE;
  bridge_push_event (context, event);
}

static void
on_paho_disconnect_done (void                  *context,
                         MQTTAsync_successData *response)
{
  bridge_push_event (context, event_new (ANTENNA_EVENT_DISCONNECT_DONE));
}

static void
on_paho_disconnect_done5 (void                   *context,
                          MQTTAsync_successData5 *response)
{
  bridge_push_event (context, event_new (ANTENNA_EVENT_DISCONNECT_DONE));
}

static void
on_paho_disconnect_failed (void                  *context,
                           MQTTAsync_failureData *response)
{
  bridge_push_event (context, event_new (ANTENNA_EVENT_DISCONNECT_DONE));
}

static void
on_paho_disconnect_failed5 (void                   *context,
                            MQTTAsync_failureData5 *response)
{
  bridge_push_event (context, event_new (ANTENNA_EVENT_DISCONNECT_DONE));
}

/* Main thread: the callbacks of the options a request hands to Paho. */
void
_antenna_bridge_init_connect_options (AntennaBridge            *bridge,
                                      MQTTAsync_connectOptions *options)
{
  if (bridge->mqtt_version == MQTTVERSION_5)
    {
      options->onSuccess5 = on_paho_connect_success5;
      options->onFailure5 = on_paho_connect_failure5;
    }
  else
    {
      options->onSuccess = on_paho_connect_success;
      options->onFailure = on_paho_connect_failure;
    }
  options->context = bridge;
}

void
_antenna_bridge_init_ssl_options (AntennaBridge        *bridge,
                                  MQTTAsync_SSLOptions *ssl)
{
  ssl->ssl_error_cb = on_paho_ssl_error;
  ssl->ssl_error_context = bridge;
}

void
_antenna_bridge_init_disconnect_options (AntennaBridge               *bridge,
                                         MQTTAsync_disconnectOptions *options)
{
  if (bridge->mqtt_version == MQTTVERSION_5)
    {
      options->struct_version = 1;
      options->onSuccess5 = on_paho_disconnect_done5;
      options->onFailure5 = on_paho_disconnect_failed5;
    }
  else
    {
      options->onSuccess = on_paho_disconnect_done;
      options->onFailure = on_paho_disconnect_failed;
    }
  options->context = bridge;
}

/* ------------------------------------------------------------------------ */
/* The main thread's half                                                    */

/* The source's callback, on the main thread: the client's events in order,
 * at most DISPATCH_MAX_MESSAGES messages or DISPATCH_MAX_USEC a time. */
static gboolean
bridge_dispatch (gpointer user_data)
{
  AntennaClient *self = user_data;
  AntennaBridge *bridge = bridge_ref (self->bridge);
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
      AntennaEvent *event;

      if (*(AntennaEventKind *) item == ANTENNA_EVENT_MESSAGE)
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

      if (event->kind == ANTENNA_EVENT_SUCCESS || event->kind == ANTENNA_EVENT_FAILURE ||
          event->kind == ANTENNA_EVENT_NOT_TAKEN)
        {
          /* A publish completing does not interrupt a batch. */
          if (self->bridge == bridge)
            _antenna_client_complete_op (self, event);
        }
      else
        {
          /* Anything else (state, subscriptions) is handled after the
           * messages before it. */
          if (batch != NULL)
            {
              g_autoptr(GPtrArray) done = g_steal_pointer (&batch);

              _antenna_client_emit_batch (self, done);
            }

          if (self->bridge == bridge)
            _antenna_client_handle_event (self, event);
        }
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
    _antenna_client_emit_batch (self, batch);

  /* A backlog left: the source stays ready, after one main-loop iteration
   * in which sources of a lower priority (redraws) get their turn. The rest
   * of the inbox of a dropped bridge is freed with the bridge. */
  if (bridge->inbox_pos < inbox->len && self->bridge == bridge)
    ((BridgeSource *) bridge->source)->yield = TRUE;

  bridge_unref (bridge);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

/* Gives the client's new handle (self->handle) its bridge, self->bridge:
 * the queue, the source on the client's context, and Paho's callbacks
 * pointed at it. */
void
_antenna_bridge_attach (AntennaClient *self)
{
  AntennaBridge *bridge;

  bridge = g_new0 (AntennaBridge, 1);
  g_atomic_ref_count_init (&bridge->ref_count);
  g_mutex_init (&bridge->mutex);
  bridge->events = g_ptr_array_new ();
  bridge->inbox = g_ptr_array_new ();
  bridge->tls_errors = g_string_new (NULL);
  bridge->alive = TRUE;
  bridge->mqtt_version = self->mqtt_version;
  bridge->topic_aliases = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  bridge->context = g_main_context_ref (self->context);
  bridge->source = g_source_new (&bridge_source_funcs, sizeof (BridgeSource));
  ((BridgeSource *) bridge->source)->bridge = bridge;
  g_source_set_callback (bridge->source, bridge_dispatch, self, NULL);
  g_source_set_static_name (bridge->source, "[antenna] client bridge");
  /* The default priority, above GTK's redraw: below it, a frame clock that is
   * always due (a slow machine, a spinner) starved the bridge until connects
   * timed out. Redraws are not starved in turn: after each dispatch the source
   * waits BATCH_GATHER_USEC, and whatever is due runs in that gap. */
  g_source_set_priority (bridge->source, G_PRIORITY_DEFAULT);
  g_source_attach (bridge->source, self->context);
  bridge->sender = _antenna_sender_new (bridge, self->handle, self->mqtt_version);
  self->bridge = bridge;

  _antenna_bridge_paho_call_begin ();
  MQTTAsync_setCallbacks (self->handle, bridge, on_paho_connection_lost, on_paho_message_arrived, NULL);
  if (self->mqtt_version == MQTTVERSION_5)
    MQTTAsync_setDisconnected (self->handle, bridge, on_paho_disconnected);
  _antenna_bridge_paho_call_end ();
}

/* Main thread, before each connection attempt: the topic alias maximum its
 * CONNECT announces (0: none). */
void
_antenna_bridge_set_topic_alias_maximum (AntennaBridge *bridge,
                                         guint          maximum)
{
  g_atomic_int_set (&bridge->topic_alias_maximum, (int) maximum);
}

/* Drops the current handle's bridge, if any: it goes dead (no more events),
 * its source is destroyed, and its sender destroys the handle after the
 * request it may be handing to Paho (sending DISCONNECT first if
 * @send_disconnect and still connected). */
void
_antenna_bridge_detach (AntennaClient *self,
                        gboolean       send_disconnect)
{
  AntennaBridge *bridge = g_steal_pointer (&self->bridge);

  if (bridge == NULL)
    return;

  g_mutex_lock (&bridge->mutex);
  bridge->alive = FALSE;
  self->max_queued = MAX (self->max_queued, bridge->max_queued);
  g_mutex_unlock (&bridge->mutex);
  /* a receive thread waiting for room in this queue goes on (and drops) */
  g_atomic_int_set (&bridge->dead, 1);
  flow_wake ();
  g_source_destroy (bridge->source);

  if (self->handle != NULL)
    _antenna_sender_destroy_handle (bridge->sender, send_disconnect);
  self->handle = NULL;
  bridge_unref (bridge);
}

/* For the sender (antenna-client-sender.c). */
AntennaSender *
_antenna_bridge_get_sender (AntennaBridge *bridge)
{
  return bridge->sender;
}

AntennaBridge *
_antenna_bridge_ref (AntennaBridge *bridge)
{
  return bridge_ref (bridge);
}

void
_antenna_bridge_unref (AntennaBridge *bridge)
{
  bridge_unref (bridge);
}

AntennaEvent *
_antenna_event_new (AntennaEventKind kind)
{
  return event_new (kind);
}

gboolean
_antenna_bridge_is_dead (AntennaBridge *bridge)
{
  return g_atomic_int_get (&bridge->dead);
}

/* Any thread: an event the sender let through (antenna-client-sender.c). */
void
_antenna_bridge_push_event (AntennaBridge *bridge,
                            AntennaEvent  *event)
{
  bridge_push (bridge, event, 0);
}

/* Main thread: MQTTAsync_connect() failed at once with @code. */
void
_antenna_bridge_push_connect_failed (AntennaBridge *bridge,
                                     int            code)
{
  AntennaEvent *event = event_new (ANTENNA_EVENT_CONNECT_FAILED);

  event->code = code;
  event->text = g_strdup (MQTTAsync_strerror (code));
  bridge_push_event (bridge, event);
}

/* Main thread: what OpenSSL said during the last connection attempt. */
char *
_antenna_bridge_take_tls_errors (AntennaBridge *bridge)
{
  char *text = NULL;

  g_mutex_lock (&bridge->mutex);
  if (bridge->tls_errors->len > 0)
    text = g_strdup (bridge->tls_errors->str);
  g_string_truncate (bridge->tls_errors, 0);
  g_mutex_unlock (&bridge->mutex);

  return text;
}

void
_antenna_bridge_clear_tls_errors (AntennaBridge *bridge)
{
  g_mutex_lock (&bridge->mutex);
  g_string_truncate (bridge->tls_errors, 0);
  g_mutex_unlock (&bridge->mutex);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

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
