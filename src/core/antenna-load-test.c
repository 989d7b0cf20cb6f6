/* antenna-load-test.c: a load generator on one or more connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-load-test"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-load-link.h"
#include "antenna-load-test.h"
#include "antenna-message.h"
#include "antenna-subscription.h"

#define PROGRESS_INTERVAL_MS 250
/* The most messages in one antenna_client_publish_many_async(): large
 * enough that the per-batch costs (a task, a wake-up of the client's
 * sender, an event back) vanish, small enough that several batches fit in
 * ANTENNA_LOAD_TEST_IN_FLIGHT, so that the sender always has the next one
 * while Paho answers the last. */
#define BATCH 250
/* And of large payloads: at most this much in one batch's block, and this
 * much awaiting completion per connection (a 100 MB payload goes one at a
 * time, not 250 in a 25 GB block). */
#define BATCH_BYTES (16 * 1024 * 1024)
#define IN_FLIGHT_BYTES (64 * 1024 * 1024)
#define RATE_TICK_MS 5
/* How long to wait for the last messages to come back once all completed. */
#define ECHO_GRACE_US (3 * G_USEC_PER_SEC)

/* A connection of the test: its own link to the broker when the client's
 * transport allows one (antenna-load-link.h), else the client itself. */
typedef struct
{
  AntennaLoadTest *self;
  AntennaClient   *client;
  AntennaLoadLink *link;
  guint            in_flight;
  gulong           received_id;
} Connection;

struct _AntennaLoadTest
{
  GObject                 parent_instance;

  /* Owned References */
  GPtrArray              *connections;  /* Connection */
  GTask                  *task;
  char                  **topics;
  guint8                 *filler;
  GArray                 *latencies;    /* gint64 µs */
  GArray                 *rates;        /* double */
  char                   *last_error;
  char                   *fallback;     /* why a connection went through its client */

  AntennaLoadTestOptions  options;
  guint64                 target;       /* messages; G_MAXUINT64 while by duration */
  guint64                 handed;
  guint64                 completed;
  guint64                 failed;
  guint64                 received;
  guint64                 progress_completed;
  gint64                  progress_us;  /* when the last rate was taken */
  guint                   next_connection;
  guint                   linking;      /* links still connecting */
  gint64                  start_us;
  gint64                  last_completed_us;
  gint64                  done_sending_us;
  guint                   send_id;
  guint                   progress_id;
  gboolean                stopping;
};

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaLoadTest, antenna_load_test, G_TYPE_OBJECT)

static void schedule_send (AntennaLoadTest *self);

static void
connection_free (Connection *connection)
{
  g_clear_signal_handler (&connection->received_id, connection->client);
  g_clear_object (&connection->client);
  if (connection->link != NULL)
    antenna_load_link_close (connection->link);
  g_clear_object (&connection->link);
  g_free (connection);
}

static guint
total_in_flight (AntennaLoadTest *self)
{
  guint n = 0;

  for (guint i = 0; i < self->connections->len; i++)
    n += ((Connection *) g_ptr_array_index (self->connections, i))->in_flight;
  return n;
}

static gboolean
sending_done (AntennaLoadTest *self)
{
  if (self->stopping || self->handed >= self->target)
    return TRUE;
  if (self->options.count == 0 &&
      g_get_monotonic_time () - self->start_us >= (gint64) self->options.duration_s * G_USEC_PER_SEC)
    return TRUE;
  return FALSE;
}

static void
finish (AntennaLoadTest *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->send_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  /* the rate of the last, shorter interval: a test that ends within the
   * first one (thousands of messages on a fast broker) has a chart too */
  if (self->completed > self->progress_completed && self->last_completed_us > self->progress_us)
    {
      double rate = (self->completed - self->progress_completed) * (double) G_USEC_PER_SEC /
                    (self->last_completed_us - MAX (self->progress_us, self->start_us));

      self->progress_completed = self->completed;
      g_array_append_val (self->rates, rate);
    }
  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = g_ptr_array_index (self->connections, i);

      g_clear_signal_handler (&connection->received_id, connection->client);
      /* everything handed is answered: DISCONNECT now, not when freed */
      if (connection->link != NULL)
        antenna_load_link_close (connection->link);
    }
  g_signal_emit (self, signals[PROGRESS], 0);

  if (task == NULL)
    return;
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

/* All sent and completed: done, once the echoes are in (or late). */
static gboolean
maybe_finish (AntennaLoadTest *self)
{
  if (!sending_done (self) || total_in_flight (self) > 0)
    return FALSE;

  if (self->done_sending_us == 0)
    self->done_sending_us = g_get_monotonic_time ();

  if (self->options.measure_latency && !self->stopping && self->received < self->completed &&
      g_get_monotonic_time () - self->done_sending_us < ECHO_GRACE_US)
    return FALSE;   /* the progress timer looks again */

  finish (self);
  return TRUE;
}

/* A batch's end: its messages completed, failed or (cancelled) not sent. */
typedef struct
{
  Connection *connection;
  guint       n;
} Batch;

static void
publish_many_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree Batch *batch = user_data;
  Connection *connection = batch->connection;
  AntennaLoadTest *self = connection->self;
  g_autoptr(GError) error = NULL;
  guint completed = 0;
  guint failed = 0;

  gboolean ok;

  if (ANTENNA_IS_LOAD_LINK (object))
    ok = antenna_load_link_publish_many_finish (ANTENNA_LOAD_LINK (object), result, &completed, &failed, &error);
  else
    ok = antenna_client_publish_many_finish (ANTENNA_CLIENT (object), result, &completed, &failed, &error);
  if (!ok && g_strcmp0 (self->last_error, error->message) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
    }
  self->completed += completed;
  self->failed += failed;
  if (completed > 0)
    self->last_completed_us = g_get_monotonic_time ();
  connection->in_flight -= batch->n;

  if (self->task == NULL)
    return;
  if (!maybe_finish (self))
    schedule_send (self);
}

/* @n messages on @connection as one batch: the payloads share one block. */
static void
publish_batch (AntennaLoadTest *self,
               Connection      *connection,
               guint            n)
{
  gsize size = self->options.payload_size;
  g_autoptr(GBytes) block = NULL;
  g_autofree const char **topics = g_new (const char *, n);
  g_autofree GBytes **payloads = g_new (GBytes *, n);
  guint8 *data = g_malloc (size * n);
  gint64 now = g_get_monotonic_time ();
  Batch *batch = g_new0 (Batch, 1);

  for (guint i = 0; i < n; i++)
    {
      guint64 seq = self->handed + i;
      guint8 *p = data + i * size;

      memcpy (p, &seq, 8);
      memcpy (p + 8, &now, 8);
      memcpy (p + 16, self->filler, size - 16);
      topics[i] = self->topics[seq % self->options.topics];
    }
  block = g_bytes_new_take (data, size * n);
  for (guint i = 0; i < n; i++)
    payloads[i] = g_bytes_new_from_bytes (block, i * size, size);

  batch->connection = connection;
  batch->n = n;
  connection->in_flight += n;
  self->handed += n;
  /* Not cancelled with the run: what was handed completes (a batch is a
   * fraction of a second), as the counts say "sent". */
  if (connection->link != NULL)
    antenna_load_link_publish_many_async (connection->link, n, topics, payloads, self->options.qos,
                                          publish_many_cb, batch);
  else
    antenna_client_publish_many_async (connection->client, n, topics, payloads, self->options.qos, FALSE,
                                       NULL, publish_many_cb, batch);
  for (guint i = 0; i < n; i++)
    g_bytes_unref (payloads[i]);
}

/* A lost link is gone for good, and so is a client that does not reconnect;
 * a test whose connections are all gone stops instead of failing the rest
 * of its count one batch at a time. */
static gboolean
connection_gone (Connection *connection)
{
  if (connection->link != NULL)
    return !antenna_load_link_is_open (connection->link);
  return antenna_client_get_state (connection->client) == ANTENNA_CLIENT_STATE_DISCONNECTED;
}

/* The most messages a connection may have awaiting completion. */
static guint
window (AntennaLoadTest *self)
{
  return CLAMP (IN_FLIGHT_BYTES / self->options.payload_size, 1, ANTENNA_LOAD_TEST_IN_FLIGHT);
}

/* Up to a slice of messages: those due at the rate, with room in the window. */
static gboolean
send_cb (gpointer user_data)
{
  AntennaLoadTest *self = user_data;
  guint64 due = G_MAXUINT64;
  guint sent = 0;

  if (self->task != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    self->stopping = TRUE;

  if (self->options.rate > 0)
    due = (guint64) ((g_get_monotonic_time () - self->start_us) * self->options.rate / G_USEC_PER_SEC) + 1;

  while (sent < ANTENNA_LOAD_TEST_SLICE && !sending_done (self) && self->handed < due)
    {
      Connection *connection = NULL;
      guint64 n;

      guint gone = 0;

      /* round robin over the connections with room */
      for (guint i = 0; i < self->connections->len && connection == NULL; i++)
        {
          Connection *candidate = g_ptr_array_index (self->connections,
                                                     (self->next_connection + i) % self->connections->len);

          if (connection_gone (candidate))
            gone++;
          else if (candidate->in_flight < window (self))
            connection = candidate;
        }
      if (gone == self->connections->len)
        {
          Connection *first = g_ptr_array_index (self->connections, 0);

          /* why it stopped, when no message in flight said it */
          if (self->last_error == NULL)
            self->last_error = first->link != NULL
                               ? g_strdup (antenna_load_link_get_error (first->link)->message)
                               : g_strdup (_("The connection was closed: the load test stopped."));
          self->stopping = TRUE;
          break;
        }
      if (connection == NULL)
        {
          /* completions call schedule_send() */
          self->send_id = 0;
          return G_SOURCE_REMOVE;
        }
      self->next_connection = (self->next_connection + 1) % self->connections->len;

      /* a batch: what is due, within the slice, the window and the target */
      n = MIN (BATCH, ANTENNA_LOAD_TEST_SLICE - sent);
      n = MIN (n, MAX (BATCH_BYTES / self->options.payload_size, 1));
      n = MIN (n, window (self) - connection->in_flight);
      n = MIN (n, self->target - self->handed);
      if (due != G_MAXUINT64)
        n = MIN (n, due - self->handed);
      publish_batch (self, connection, (guint) n);
      sent += n;
    }

  if (sending_done (self))
    {
      self->send_id = 0;
      maybe_finish (self);
      return G_SOURCE_REMOVE;
    }

  /* at a rate: the next tick; flat out: again at once, after other sources */
  return G_SOURCE_CONTINUE;
}

static void
schedule_send (AntennaLoadTest *self)
{
  if (self->send_id != 0 || sending_done (self))
    return;

  if (self->options.rate > 0)
    self->send_id = g_timeout_add (RATE_TICK_MS, send_cb, self);
  else
    self->send_id = g_idle_add_full (G_PRIORITY_DEFAULT, send_cb, self, NULL);
}

static gboolean
progress_cb (gpointer user_data)
{
  AntennaLoadTest *self = user_data;
  double rate = (self->completed - self->progress_completed) * 1000.0 / PROGRESS_INTERVAL_MS;

  self->progress_completed = self->completed;
  self->progress_us = g_get_monotonic_time ();
  g_array_append_val (self->rates, rate);
  g_signal_emit (self, signals[PROGRESS], 0);

  if (self->task != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    self->stopping = TRUE;
  maybe_finish (self);
  return self->progress_id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* A message on the subscription: a latency sample when it is one of ours. */
static void
note_echo (AntennaLoadTest *self,
           const char      *topic,
           gsize            topic_len,
           const guint8    *payload,
           gsize            payload_len,
           gint64           now)
{
  gsize prefix_len = strlen (self->options.prefix);
  gint64 sent_us;

  if (topic_len < prefix_len || memcmp (topic, self->options.prefix, prefix_len) != 0 || payload_len < 16)
    return;

  memcpy (&sent_us, payload + 8, 8);
  if (sent_us < self->start_us || sent_us > now)
    return;   /* not ours */

  sent_us = now - sent_us;
  g_array_append_val (self->latencies, sent_us);
  self->received++;
}

static void
on_messages_received_cb (AntennaClient *client,
                         GPtrArray     *messages,
                         gpointer       user_data)
{
  AntennaLoadTest *self = user_data;
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < messages->len; i++)
    {
      AntennaMessage *message = g_ptr_array_index (messages, i);
      GBytes *payload = antenna_message_get_payload (message);
      const char *topic = antenna_message_get_topic (message);
      gsize size = 0;
      const guint8 *data = payload != NULL ? g_bytes_get_data (payload, &size) : NULL;

      note_echo (self, topic, strlen (topic), data, size, now);
    }
}

static void
on_link_received (const char   *topic,
                  gsize         topic_len,
                  const guint8 *payload,
                  gsize         payload_len,
                  gpointer      user_data)
{
  AntennaLoadTest *self = user_data;

  if (self->task != NULL)
    note_echo (self, topic, topic_len, payload, payload_len, g_get_monotonic_time ());
}

static void
start_sending (AntennaLoadTest *self)
{
  self->start_us = g_get_monotonic_time ();
  self->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, self);
  schedule_send (self);
}

static void on_subscribed_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

/* The connections are ready: the latency subscription, then the messages. */
static void
start (AntennaLoadTest *self)
{
  Connection *first = g_ptr_array_index (self->connections, 0);
  g_autofree char *filter = NULL;

  if (g_task_return_error_if_cancelled (self->task))
    {
      g_clear_object (&self->task);
      return;
    }
  if (!self->options.measure_latency)
    {
      start_sending (self);
      return;
    }

  filter = g_strconcat (self->options.prefix, "#", NULL);
  if (first->link != NULL)
    {
      antenna_load_link_subscribe_async (first->link, filter, self->options.qos, on_link_received, self,
                                         on_subscribed_cb, g_object_ref (self));
    }
  else
    {
      g_autoptr(AntennaSubscription) subscription = antenna_subscription_new (filter, self->options.qos);

      first->received_id = g_signal_connect (first->client, "messages-received",
                                             G_CALLBACK (on_messages_received_cb), self);
      antenna_client_subscribe_async (first->client, subscription, NULL, on_subscribed_cb, g_object_ref (self));
    }
}

typedef struct
{
  AntennaLoadTest *self;
  Connection      *connection;
} Linking;

/* A link that cannot connect leaves its connection to its client: the test
 * runs (slower), and the summary says why. */
static void
note_fallback (AntennaLoadTest *self,
               const char      *reason)
{
  if (self->fallback == NULL)
    self->fallback = g_strdup (reason);
}

static void
on_link_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autofree Linking *linking = user_data;
  g_autoptr(AntennaLoadTest) self = linking->self;
  g_autoptr(GError) error = NULL;

  if (!antenna_load_link_connect_finish (ANTENNA_LOAD_LINK (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* TRANSLATORS: %s is why, e.g. "127.0.0.1:1883 closed the connection." */
          g_autofree char *reason = g_strdup_printf (_("its own connection could not be opened: %s"),
                                                     error->message);

          note_fallback (self, reason);
        }
      g_clear_object (&linking->connection->link);
    }
  if (--self->linking == 0 && self->task != NULL)
    start (self);
}

/* Each connection's own link (antenna-load-link.h), side by side. */
static void
open_links (AntennaLoadTest *self)
{
  Connection *first = g_ptr_array_index (self->connections, 0);

  self->linking = 1;   /* until all are started */
  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = g_ptr_array_index (self->connections, i);
      const char *client_id = antenna_client_get_client_id (connection->client);
      /* the n-th link like the same client */
      guint n = connection->client == first->client ? i : 0;
      g_autofree char *id = NULL;
      g_autofree char *reason = NULL;
      Linking *linking;

      if (client_id != NULL && client_id[0] != '\0')
        id = g_strdup_printf ("%s-load-%u", client_id, n);
      else
        id = g_strdup_printf ("antenna-load-%08x", g_random_int ());
      connection->link = antenna_load_link_new_like (connection->client, id, &reason);
      if (connection->link == NULL)
        {
          note_fallback (self, reason);
          continue;
        }

      linking = g_new0 (Linking, 1);
      linking->self = g_object_ref (self);
      linking->connection = connection;
      self->linking++;
      antenna_load_link_connect_async (connection->link, g_task_get_cancellable (self->task),
                                       on_link_connected_cb, linking);
    }
  if (--self->linking == 0)
    start (self);
}

static void
on_subscribed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AntennaLoadTest) self = user_data;
  GError *error = NULL;
  gboolean ok;

  if (ANTENNA_IS_LOAD_LINK (object))
    ok = antenna_load_link_subscribe_finish (ANTENNA_LOAD_LINK (object), result, &error);
  else
    ok = antenna_client_subscribe_finish (ANTENNA_CLIENT (object), result, &error) >= 0;
  if (!ok)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_error (task, error);
      return;
    }
  if (self->task != NULL)
    start_sending (self);
}

/* ---- GObject ---- */

static void
antenna_load_test_finalize (GObject *object)
{
  AntennaLoadTest *self = ANTENNA_LOAD_TEST (object);

  g_clear_handle_id (&self->send_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_object (&self->task);
  g_clear_pointer (&self->topics, g_strfreev);
  g_clear_pointer (&self->filler, g_free);
  g_clear_pointer (&self->latencies, g_array_unref);
  g_clear_pointer (&self->rates, g_array_unref);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->fallback, g_free);
  g_clear_pointer (&self->options.prefix, g_free);

  G_OBJECT_CLASS (antenna_load_test_parent_class)->finalize (object);
}

static void
antenna_load_test_class_init (AntennaLoadTestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = antenna_load_test_finalize;

  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
antenna_load_test_init (AntennaLoadTest *self)
{
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
  self->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rates = g_array_new (FALSE, FALSE, sizeof (double));
}

/* ---- public API ---- */

AntennaLoadTest *
antenna_load_test_new (GPtrArray                    *clients,
                       const AntennaLoadTestOptions *options)
{
  AntennaLoadTest *self;

  g_return_val_if_fail (clients != NULL && clients->len > 0, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->qos >= 0 && options->qos <= 2, NULL);

  self = g_object_new (ANTENNA_TYPE_LOAD_TEST, NULL);
  self->options = *options;
  self->options.prefix = g_strdup (options->prefix != NULL ? options->prefix : "antenna/load/");
  self->options.topics = MAX (options->topics, 1);
  self->options.payload_size = MAX (options->payload_size, ANTENNA_LOAD_TEST_MIN_SIZE);
  self->target = options->count > 0 ? options->count : G_MAXUINT64;
  if (options->count == 0 && options->duration_s == 0)
    self->target = 0;

  self->topics = g_new0 (char *, self->options.topics + 1);
  for (guint i = 0; i < self->options.topics; i++)
    self->topics[i] = g_strdup_printf ("%s%u", self->options.prefix, i);
  self->filler = g_malloc (self->options.payload_size);
  memset (self->filler, 'x', self->options.payload_size);

  for (guint i = 0; i < MAX (clients->len, options->connections); i++)
    {
      Connection *connection = g_new0 (Connection, 1);

      connection->self = self;
      /* the extra ones stand for the first client */
      connection->client = g_object_ref (g_ptr_array_index (clients, i < clients->len ? i : 0));
      g_ptr_array_add (self->connections, connection);
    }

  return self;
}

void
antenna_load_test_run_async (AntennaLoadTest     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (ANTENNA_IS_LOAD_TEST (self));
  g_return_if_fail (self->task == NULL && self->start_us == 0);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, antenna_load_test_run_async);

  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = g_ptr_array_index (self->connections, i);

      if (antenna_client_get_state (connection->client) != ANTENNA_CLIENT_STATE_CONNECTED)
        {
          g_autoptr(GTask) task = g_steal_pointer (&self->task);

          g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED,
                                   _("Connect first: a load test runs on connected clients."));
          return;
        }
    }

  open_links (self);
}

gboolean
antenna_load_test_run_finish (AntennaLoadTest  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
percentile (GArray *sorted,
            double  p)
{
  guint i;

  if (sorted->len == 0)
    return -1;
  i = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, gint64, MIN (i, sorted->len - 1));
}

void
antenna_load_test_get_result (AntennaLoadTest       *self,
                              AntennaLoadTestResult *result)
{
  g_autoptr(GArray) sorted = NULL;

  g_return_if_fail (ANTENNA_IS_LOAD_TEST (self));
  g_return_if_fail (result != NULL);

  result->direct = 0;
  for (guint i = 0; i < self->connections->len; i++)
    if (((Connection *) g_ptr_array_index (self->connections, i))->link != NULL)
      result->direct++;
  result->handed = self->handed;
  result->completed = self->completed;
  result->failed = self->failed;
  result->received = self->received;
  result->elapsed_s = self->last_completed_us > self->start_us
                      ? (self->last_completed_us - self->start_us) / (double) G_USEC_PER_SEC : 0;
  result->rate = result->elapsed_s > 0 ? self->completed / result->elapsed_s : 0;

  sorted = g_array_copy (self->latencies);
  g_array_sort (sorted, compare_gint64);
  result->latency_p50 = percentile (sorted, 0.50);
  result->latency_p90 = percentile (sorted, 0.90);
  result->latency_p99 = percentile (sorted, 0.99);
  result->latency_max = percentile (sorted, 1.0);
}

GArray *
antenna_load_test_get_rates (AntennaLoadTest *self)
{
  g_return_val_if_fail (ANTENNA_IS_LOAD_TEST (self), NULL);

  return self->rates;
}

const char *
antenna_load_test_get_last_error (AntennaLoadTest *self)
{
  g_return_val_if_fail (ANTENNA_IS_LOAD_TEST (self), NULL);

  return self->last_error;
}

static void
append_latency (GString    *text,
                const char *name,
                gint64      us)
{
  if (us < 0)
    g_string_append_printf (text, "%s —", name);
  else
    g_string_append_printf (text, "%s %.2f ms", name, us / 1000.0);
}

char *
antenna_load_test_dup_summary (AntennaLoadTest *self)
{
  AntennaLoadTestResult result;
  GString *text = g_string_new (NULL);
  g_autofree char *target = NULL;

  g_return_val_if_fail (ANTENNA_IS_LOAD_TEST (self), NULL);

  antenna_load_test_get_result (self, &result);
  if (self->options.count > 0)
    target = g_strdup_printf ("%" G_GUINT64_FORMAT, self->options.count);
  else
    target = g_strdup_printf (_("%u s of"), self->options.duration_s);

  /* TRANSLATORS: "Load test: 100000 messages of 64 bytes, QoS 1, 10 topics (load/…), 2 connections" */
  g_string_append_printf (text, _("Load test: %s messages of %u bytes, QoS %d, %u topics (%s…), %u connections"),
                          target, (guint) self->options.payload_size, self->options.qos, self->options.topics,
                          self->options.prefix, self->connections->len);
  g_string_append_c (text, '\n');
  if (self->options.rate > 0)
    g_string_append_printf (text, _("Target rate: %.0f messages/s"), self->options.rate);
  else
    g_string_append (text, _("Target rate: as fast as the broker takes them"));
  g_string_append_c (text, '\n');
  {
    g_autofree char *handed = g_strdup_printf ("%" G_GUINT64_FORMAT, result.handed);
    g_autofree char *completed = g_strdup_printf ("%" G_GUINT64_FORMAT, result.completed);
    g_autofree char *failed = g_strdup_printf ("%" G_GUINT64_FORMAT, result.failed);
    g_autofree char *received = g_strdup_printf ("%" G_GUINT64_FORMAT, result.received);

    g_string_append_printf (text, _("Achieved: %.0f messages/s (%s completed in %.2f s)"),
                            result.rate, completed, result.elapsed_s);
    g_string_append_c (text, '\n');
    g_string_append_printf (text, _("Sent %s, acknowledged %s, failed %s, came back %s"),
                            handed, completed, failed, received);
    g_string_append_c (text, '\n');
  }
  g_string_append (text, _("Latency:"));
  g_string_append_c (text, ' ');
  append_latency (text, "p50", result.latency_p50);
  g_string_append (text, ", ");
  append_latency (text, "p90", result.latency_p90);
  g_string_append (text, ", ");
  append_latency (text, "p99", result.latency_p99);
  g_string_append (text, ", ");
  append_latency (text, "max", result.latency_max);
  if (self->fallback != NULL && self->start_us != 0)
    {
      g_string_append_c (text, '\n');
      /* TRANSLATORS: %s says why, e.g. "the load test’s own connections do not speak MQTT over WebSockets" */
      g_string_append_printf (text, _("Published through the connection’s own client, which is slower: %s"),
                              self->fallback);
    }
  if (self->last_error != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Last error: %s"), self->last_error);
    }

  return g_string_free (text, FALSE);
}
