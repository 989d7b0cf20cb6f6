/* antenna-client-ops.c: AntennaClient's requests to the broker while they are in flight
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A publish, a subscribe or an unsubscribe is an AntennaOp from the public
 * call to its completion. This file keeps their books: the publish queue,
 * pumped through Paho's window of PUBLISH_WINDOW sends; the table of the
 * operations handed to the sender (antenna-client-sender.c), whose answers
 * come back with the operation's id; and what becomes of the operations when
 * the connection goes (failed, or kept to be sent again). SUBSCRIBE and
 * UNSUBSCRIBE are sent from antenna-client-subscriptions.c; the completions
 * are events of the state machine (antenna-client.c).
 *
 * A publish also has a deadline and can be cancelled, at any point:
 * - waiting in our queue, or queued on the sender: it is taken back, and
 *   Paho never sees it;
 * - once Paho has it (being written, or waiting for PUBACK, PUBREC or
 *   PUBCOMP), Paho offers no way to take one message back: only the end of
 *   its handle does (with a clean session MQTTAsync_disconnect() would fail
 *   it too, with a persistent one only MQTTAsync_destroy()). So the
 *   connection is ended (_antenna_client_end_connection()) and made anew if
 *   the profile reconnects; the error says so, and that the broker may
 *   publish the last will (a socket closed without DISCONNECT, as when a
 *   write is pending). The other publishes in flight are then failed, or
 *   sent again after the reconnection when queued offline
 *   (ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE), as after a lost connection.
 * - The deadline: a publish not confirmed (QoS 1, 2) or not written (QoS 0)
 *   in ANTENNA_CLIENT_PUBLISH_DEADLINE_BASE_MS plus its bytes, and those
 *   handed before it, at ANTENNA_CLIENT_PUBLISH_DEADLINE_RATE fails the same
 *   way, saying that the broker may have dropped it for its size: RabbitMQ
 *   drops a message above its max_message_size (128 MiB by default) and never
 *   answers. The clock runs while connected, from the hand-over.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client-private.h"
#include "antenna-client-properties-private.h"
#include "antenna-error.h"
#include "antenna-profile.h"

/* How many publishes we hand to Paho at once; the rest wait in our queue. */
#define PUBLISH_WINDOW ANTENNA_CLIENT_PUBLISH_WINDOW

static gsize
op_size (const AntennaOp *op)
{
  if (op->many != NULL)
    return op->many->bytes;
  return op->payload != NULL ? g_bytes_get_size (op->payload) : 0;
}

/* How many messages @op publishes. */
static guint
op_messages (const AntennaOp *op)
{
  return op->many != NULL ? op->many->n : 1;
}

/* ------------------------------------------------------------------------ */
/* Sentences                                                                 */

static char *
format_duration (gint64 usec)
{
  guint seconds = (guint) ((usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

  if (seconds < 120)
    return g_strdup_printf (ngettext ("%u second", "%u seconds", seconds), seconds);
  return g_strdup_printf (ngettext ("%u minute", "%u minutes", (seconds + 59) / 60), (seconds + 59) / 60);
}

/* What ending the connection may do to the profile's last will, if it has
 * one: while a write is pending Paho closes the socket without DISCONNECT
 * (it cannot go in the middle of a packet), and the broker publishes the
 * will; otherwise Paho sends DISCONNECT, but a broker that still has to
 * answer what came before it may take the closed socket first (mosquitto
 * 2.0 does, at times) and publish the will all the same. */
static const char *
will_sentence (AntennaClient *self)
{
  const char *will_topic = antenna_profile_get_will_topic (self->profile);

  if (will_topic == NULL || *will_topic == '\0')
    return "";
  return _(" The broker may publish this connection’s last will.");
}

/* The connection went while @op was in flight; a large one may be why (and
 * is remembered for the connection-lost sentence). */
GError *
_antenna_client_publish_lost_error (AntennaClient   *self,
                                    const AntennaOp *op)
{
  gsize size = op_size (op);
  g_autofree char *size_text = NULL;

  if (size < ANTENNA_CLIENT_LARGE_PUBLISH)
    return _antenna_client_connection_lost_error (self);

  self->lost_large = MAX (self->lost_large, size);
  size_text = g_format_size (size);
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                      _("The connection to %s was lost before the broker confirmed the message on “%s” (%s). "
                        "The broker may not take messages that large."),
                      self->address, op->topic, size_text);
}

/* The connection was lost: in the middle of a large publish, the broker's
 * size limit is the likely reason (brokers close the connection on a packet
 * above their limit: mosquitto's max_packet_size, a WebSocket server's
 * payload limit). */
GError *
_antenna_client_lost_while_sending_error (AntennaClient *self)
{
  gsize size = MAX (self->lost_large, _antenna_client_largest_publish (self));
  g_autofree char *size_text = NULL;

  self->lost_large = 0;
  if (size < ANTENNA_CLIENT_LARGE_PUBLISH)
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                        _("The connection to %s was lost."), self->address);

  size_text = g_format_size (size);
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                      _("The connection to %s was lost while a message of %s was being sent. "
                        "The broker may limit the size of the messages it takes, and close the connection "
                        "on a larger one: send a smaller message, or raise the broker’s limit."),
                      self->address, size_text);
}

static GError *
cancelled_error (const AntennaOp *op)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                      _("Sending the message on “%s” was cancelled."), op->topic);
}

static GError *
cancelled_ending_error (AntennaClient   *self,
                        const AntennaOp *op)
{
  g_autofree char *size = g_format_size (op_size (op));

  return g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                      _("Sending the message on “%s” (%s) was cancelled. It was already on its way, so "
                        "the connection to %s was ended to stop it; the broker may still have received it.%s"),
                      op->topic, size, self->address, will_sentence (self));
}

static GError *
deadline_error (AntennaClient   *self,
                const AntennaOp *op)
{
  g_autofree char *size = g_format_size (op_size (op));
  g_autofree char *duration = format_duration (op->deadline - op->handed);

  if (op->qos == 0)
    return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TIMEOUT,
                        _("The message on “%s” (%s) could not be sent to %s within %s: the broker stopped "
                          "taking data. The connection was ended.%s"),
                        op->topic, size, self->address, duration, will_sentence (self));

  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_TIMEOUT,
                      _("%s did not confirm the message on “%s” (%s) within %s. It may be larger than "
                        "the broker takes: some brokers drop such a message without a word (RabbitMQ "
                        "above its max_message_size, 128 MiB by default). The connection was ended to "
                        "stop waiting.%s"),
                      self->address, op->topic, size, duration, will_sentence (self));
}

/* ------------------------------------------------------------------------ */
/* Operations                                                                */

AntennaOp *
_antenna_client_op_new (AntennaClient *self,
                        AntennaOpKind  kind,
                        GTask         *task)
{
  AntennaOp *op = g_new0 (AntennaOp, 1);

  op->kind = kind;
  op->task = task ? g_object_ref (task) : NULL;
  if (++self->next_op_id == 0)
    self->next_op_id = 1;
  op->id = self->next_op_id;
  return op;
}

/* The sender forgets @op's request; one it has not handed to Paho yet is
 * never handed. */
static void
release_request (AntennaOp *op)
{
  if (op->request == NULL)
    return;
  _antenna_client_settle_many (op);
  _antenna_request_withdraw (op->request);
  g_clear_pointer (&op->request, _antenna_request_unref);
}

void
_antenna_client_op_free (AntennaOp *op)
{
  if (op->cancelled_id != 0)
    g_cancellable_disconnect (op->cancellable, op->cancelled_id);
  g_clear_object (&op->cancellable);
  release_request (op);
  g_clear_object (&op->task);
  g_free (op->topic);
  g_clear_pointer (&op->payload, g_bytes_unref);
  g_clear_pointer (&op->properties, antenna_properties_unref);
  g_clear_object (&op->subscription);
  g_strfreev (op->filters);
  g_clear_pointer (&op->many, _antenna_publish_many_free);
  g_free (op);
}

/* Completes @op's task (if any) with @error, and frees @op. Takes @error. */
void
_antenna_client_op_fail (AntennaOp *op,
                         GError    *error)
{
  if (op->task != NULL && op->many != NULL)
    g_task_return_error (op->task, _antenna_client_many_error (op, error));
  else if (op->task != NULL)
    g_task_return_error (op->task, error);
  else
    g_clear_error (&error);
  _antenna_client_op_free (op);
}

/* @op was handed to the sender as @request (taken): it is in flight. */
void
_antenna_client_hand_op (AntennaClient  *self,
                         AntennaOp      *op,
                         AntennaRequest *request)
{
  op->request = request;
  if (op->kind == ANTENNA_OP_PUBLISH)
    {
      self->n_publishing += op_messages (op);
      self->bytes_publishing += op_size (op);
      if (op->sent_qos > 0)
        self->n_publishing_acked += op_messages (op);
    }
  g_hash_table_insert (self->ops, GUINT_TO_POINTER (op->id), op);
}

/* @op leaves the books of what is in flight (the caller takes it out of
 * self->ops). */
static void
unbook (AntennaClient *self,
        AntennaOp     *op)
{
  if (op->kind == ANTENNA_OP_PUBLISH)
    {
      self->n_publishing -= op_messages (op);
      self->bytes_publishing -= op_size (op);
      if (op->sent_qos > 0)
        self->n_publishing_acked -= op_messages (op);
    }
  op->deadline = 0;
}

static void
take_op (AntennaClient *self,
         AntennaOp     *op)
{
  g_hash_table_steal (self->ops, GUINT_TO_POINTER (op->id));
  unbook (self, op);
}

/* The operation @event (an answer from the sender or Paho) is about, taken
 * out of self->ops; NULL when it is no longer in flight (failed or cancelled
 * meanwhile, or sent again since with another request). */
AntennaOp *
_antenna_client_take_answered_op (AntennaClient      *self,
                                  const AntennaEvent *event)
{
  AntennaOp *op = g_hash_table_lookup (self->ops, GUINT_TO_POINTER (event->op_id));

  _antenna_sender_forget (_antenna_bridge_get_sender (self->bridge), event->request);
  if (op == NULL || op->request != event->request)
    return NULL;

  take_op (self, op);
  _antenna_client_settle_many (op);
  g_clear_pointer (&op->request, _antenna_request_unref);
  return op;
}

static int
compare_op_seq (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const AntennaOp *op_a = a;
  const AntennaOp *op_b = b;

  return op_a->seq < op_b->seq ? -1 : op_a->seq > op_b->seq;
}

/* compare_op_seq() for a GPtrArray of operations */
static int
compare_op_ptr_seq (gconstpointer a,
                    gconstpointer b)
{
  return compare_op_seq (*(AntennaOp * const *) a, *(AntennaOp * const *) b, NULL);
}

/* @op (taken out of self->ops) goes back into the publish queue, in its
 * original order, to be sent again once connected. */
void
_antenna_client_requeue_publish (AntennaClient *self,
                                 AntennaOp     *op)
{
  release_request (op);
  g_queue_insert_sorted (&self->publish_queue, op, compare_op_seq, NULL);
}

/* Fails the publishes that cannot complete any more: those still in our
 * queue, the QoS 0 ones, and (@all) those of QoS 1 and 2 that Paho would only
 * resend into a persistent session. Subscribes and unsubscribes always. */
void
_antenna_client_fail_pending_ops (AntennaClient *self,
                                  gboolean       all,
                                  const GError  *error)
{
  g_autoptr(GPtrArray) failed = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  AntennaOp *op;

  /* Out of the books first, then failed: a task's callback may publish or
   * subscribe again. */
  while ((op = g_queue_pop_head (&self->publish_queue)))
    g_ptr_array_add (failed, op);

  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      op = value;
      if (op->kind == ANTENNA_OP_PUBLISH && !all && op->qos > 0)
        continue;
      g_hash_table_iter_steal (&iter);
      unbook (self, op);
      g_ptr_array_add (failed, op);
    }
  _antenna_client_update_queued (self);

  for (guint i = 0; i < failed->len; i++)
    {
      op = g_ptr_array_index (failed, i);
      if (op->kind == ANTENNA_OP_PUBLISH && op->request != NULL && error->domain == ANTENNA_ERROR &&
          error->code == ANTENNA_ERROR_CONNECTION_LOST)
        _antenna_client_op_fail (op, _antenna_client_publish_lost_error (self, op));
      else
        _antenna_client_op_fail (op, g_error_copy (error));
    }
}

/* The connection was lost and will be re-established: takes the publishes
 * the user asked to keep (ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE) out of the
 * way of _antenna_client_fail_pending_ops(), in their original order. Those
 * Paho has in flight stay with Paho when it resends them into the session
 * (@resent); otherwise they are sent again after the reconnection. */
void
_antenna_client_take_offline_ops (AntennaClient *self,
                                  gboolean       resent,
                                  GQueue        *kept)
{
  GQueue rest = G_QUEUE_INIT;
  GHashTableIter iter;
  gpointer value;
  AntennaOp *op;

  if (!resent)
    {
      g_hash_table_iter_init (&iter, self->ops);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          op = value;
          if (op->kind != ANTENNA_OP_PUBLISH || op->qos == 0 ||
              !(op->flags & ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE))
            continue;
          g_hash_table_iter_steal (&iter);
          unbook (self, op);
          release_request (op);
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

/* The largest payload in flight (0: none). */
gsize
_antenna_client_largest_publish (AntennaClient *self)
{
  GHashTableIter iter;
  gpointer value;
  gsize largest = 0;

  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((AntennaOp *) value)->kind == ANTENNA_OP_PUBLISH)
      largest = MAX (largest, op_size (value));
  return largest;
}

/* ------------------------------------------------------------------------ */
/* Deadlines                                                                 */

static gboolean on_deadline (gpointer user_data);

/* The timer fires at @deadline, or earlier for an earlier one. */
static void
arm_deadline (AntennaClient *self,
              gint64         deadline)
{
  gint64 now = g_get_monotonic_time ();
  GSource *source;

  if (self->deadline_id != 0 && self->deadline_due <= deadline)
    return;

  g_clear_handle_id (&self->deadline_id, g_source_remove);
  self->deadline_due = deadline;
  source = g_timeout_source_new ((guint) CLAMP ((deadline - now + 999) / 1000, 0, G_MAXUINT));
  /* Below the bridge: an answer already queued is handled first. */
  g_source_set_priority (source, G_PRIORITY_LOW);
  g_source_set_callback (source, on_deadline, self, NULL);
  g_source_set_static_name (source, "[antenna] publish deadline");
  self->deadline_id = g_source_attach (source, self->context);
  g_source_unref (source);
}

/* @op is in flight from now, behind @bytes_ahead bytes of other publishes. */
static void
set_deadline (AntennaClient *self,
              AntennaOp     *op,
              guint64        bytes_ahead)
{
  guint base_ms = self->deadline_base_ms ? self->deadline_base_ms : ANTENNA_CLIENT_PUBLISH_DEADLINE_BASE_MS;
  guint rate = self->deadline_rate ? self->deadline_rate : ANTENNA_CLIENT_PUBLISH_DEADLINE_RATE;
  guint64 bytes = bytes_ahead + op_size (op);

  op->handed = g_get_monotonic_time ();
  op->deadline = op->handed + (gint64) base_ms * 1000 + (gint64) (bytes * G_USEC_PER_SEC / rate);
  arm_deadline (self, op->deadline);
}

/* Connected: the publishes Paho kept in flight across a reconnection start
 * their clocks again, in their order. */
void
_antenna_client_start_deadlines (AntennaClient *self)
{
  g_autoptr(GPtrArray) publishes = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  guint64 ahead = 0;

  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((AntennaOp *) value)->kind == ANTENNA_OP_PUBLISH)
      g_ptr_array_add (publishes, value);
  g_ptr_array_sort (publishes, compare_op_ptr_seq);

  for (guint i = 0; i < publishes->len; i++)
    {
      AntennaOp *op = g_ptr_array_index (publishes, i);

      set_deadline (self, op, ahead);
      ahead += op_size (op);
    }
}

/* Not connected: no clock runs. */
void
_antenna_client_stop_deadlines (AntennaClient *self)
{
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&self->deadline_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((AntennaOp *) value)->deadline = 0;
}

static gboolean
on_deadline (gpointer user_data)
{
  AntennaClient *self = user_data;
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();
  g_autoptr(GError) lost = NULL;
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_monotonic_time ();
  gint64 next = G_MAXINT64;

  self->deadline_id = 0;

  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AntennaOp *op = value;

      if (op->deadline == 0)
        continue;
      if (op->deadline <= now)
        g_ptr_array_add (expired, op);
      else
        next = MIN (next, op->deadline);
    }

  if (expired->len == 0)
    {
      if (next != G_MAXINT64)
        arm_deadline (self, next);
      return G_SOURCE_REMOVE;
    }

  /* Out of the books first: ending the connection fails or keeps the rest,
   * then these fail with their own sentence. */
  g_ptr_array_sort (expired, compare_op_ptr_seq);
  g_ptr_array_set_size (errors, expired->len);
  for (guint i = 0; i < expired->len; i++)
    {
      AntennaOp *op = g_ptr_array_index (expired, i);

      g_debug ("%s: no answer to the publish on %s in time", self->address, op->topic);
      g_ptr_array_index (errors, i) = deadline_error (self, op);
      /* The first one's sentence is logged as the connection's end. */
      if (i > 0)
        _antenna_client_log (self, ERROR, NULL, "%s", ((GError *) g_ptr_array_index (errors, i))->message);
      take_op (self, op);
      release_request (op);
    }

  /* The first one's sentence for ::connection-lost. */
  lost = g_error_new_literal (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                              ((GError *) g_ptr_array_index (errors, 0))->message);
  _antenna_client_end_connection (self, lost);

  for (guint i = 0; i < expired->len; i++)
    _antenna_client_op_fail (g_ptr_array_index (expired, i), g_steal_pointer (&g_ptr_array_index (errors, i)));
  return G_SOURCE_REMOVE;
}

/**
 * antenna_client_set_publish_deadline: (skip)
 * @base_ms: the deadline of a publish with no payload
 * @bytes_per_second: the rate at which the rest of the deadline is counted
 *
 * For tests: a publish fails when the broker has not confirmed it @base_ms
 * plus its bytes (and those handed before it) at @bytes_per_second after it
 * was handed over. 0 for either restores its default.
 */
void
antenna_client_set_publish_deadline (AntennaClient *self,
                                     guint          base_ms,
                                     guint          bytes_per_second)
{
  g_return_if_fail (ANTENNA_IS_CLIENT (self));

  self->deadline_base_ms = base_ms;
  self->deadline_rate = bytes_per_second;
}

/* ------------------------------------------------------------------------ */
/* Cancelling                                                                */

typedef struct
{
  AntennaClient *self;   /* the op's task holds it while the handler can run */
  guint          op_id;
} CancelData;

static gboolean
on_cancelled_idle (gpointer user_data)
{
  CancelData *data = user_data;
  AntennaClient *self = data->self;
  AntennaOp *op;
  GError *error;

  /* Still in our queue: Paho never saw it. */
  for (GList *l = self->publish_queue.head; l != NULL; l = l->next)
    if (((AntennaOp *) l->data)->id == data->op_id)
      {
        op = l->data;
        g_queue_delete_link (&self->publish_queue, l);
        _antenna_client_op_fail (op, cancelled_error (op));
        _antenna_client_update_queued (self);
        return G_SOURCE_REMOVE;
      }

  op = g_hash_table_lookup (self->ops, GUINT_TO_POINTER (data->op_id));
  if (op == NULL)
    return G_SOURCE_REMOVE;   /* completed meanwhile */

  /* A batch being handed stops at its next message, and completes once
   * Paho answered those it took (antenna-client-publish-many.c). */
  if (op->many != NULL && !_antenna_request_withdraw (op->request))
    return G_SOURCE_REMOVE;
  if (op->many != NULL)
    {
      take_op (self, op);
      _antenna_sender_forget (_antenna_bridge_get_sender (self->bridge), op->request);
      _antenna_client_op_fail (op, cancelled_error (op));
      _antenna_client_pump_publishes (self);
      _antenna_client_update_queued (self);
      return G_SOURCE_REMOVE;
    }
  take_op (self, op);

  if (_antenna_request_withdraw (op->request))
    {
      /* Queued on the sender: Paho never saw it either. */
      _antenna_sender_forget (_antenna_bridge_get_sender (self->bridge), op->request);
      _antenna_client_op_fail (op, cancelled_error (op));
      _antenna_client_pump_publishes (self);
      _antenna_client_update_queued (self);
      return G_SOURCE_REMOVE;
    }

  release_request (op);
  if (self->disconnect_task != NULL)
    {
      /* Paho has it, and its handle goes anyway. */
      _antenna_client_op_fail (op, cancelled_error (op));
      _antenna_client_update_queued (self);
      return G_SOURCE_REMOVE;
    }

  /* Paho has it, being written or waiting for the broker's answer (or kept
   * for a persistent session across a reconnection): only the end of its
   * handle takes it back. */
  g_debug ("%s: ending the connection to cancel the publish on %s", self->address, op->topic);
  if (self->state == ANTENNA_CLIENT_STATE_CONNECTED)
    {
      g_autoptr(GError) lost = NULL;

      error = cancelled_ending_error (self, op);
      lost = g_error_new_literal (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST, error->message);
      _antenna_client_end_connection (self, lost);
    }
  else
    {
      error = cancelled_error (op);
      _antenna_client_end_connection (self, NULL);
    }
  _antenna_client_op_fail (op, error);
  return G_SOURCE_REMOVE;
}

static void
cancel_data_free (gpointer user_data)
{
  CancelData *data = user_data;

  g_object_unref (data->self);
  g_free (data);
}

/* Any thread. */
static void
on_cancelled (GCancellable *cancellable,
              CancelData   *data)
{
  CancelData *copy = g_new0 (CancelData, 1);
  GSource *source = g_idle_source_new ();

  copy->self = g_object_ref (data->self);
  copy->op_id = data->op_id;
  g_source_set_callback (source, on_cancelled_idle, copy, cancel_data_free);
  g_source_set_static_name (source, "[antenna] publish cancelled");
  g_source_attach (source, data->self->context);
  g_source_unref (source);
}

/* @op can be cancelled through @cancellable (may be NULL) until it is freed. */
void
_antenna_client_watch_cancellable (AntennaClient *self,
                                   AntennaOp     *op,
                                   GCancellable  *cancellable)
{
  CancelData *data;

  if (cancellable == NULL)
    return;

  data = g_new0 (CancelData, 1);
  data->self = self;
  data->op_id = op->id;
  op->cancellable = g_object_ref (cancellable);
  op->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), data, g_free);
}

/* ------------------------------------------------------------------------ */
/* Publishing                                                                */

/* Hands the queued publishes to the sender while Paho's window has room,
 * and the broker's receive maximum for QoS 1 and 2 (connected only). The
 * queue's order holds: a QoS 0 publish behind a QoS 1 one that waits, waits. */
void
_antenna_client_pump_publishes (AntennaClient *self)
{
  AntennaSender *sender;
  AntennaOp *op;

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTED || self->bridge == NULL)
    return;

  sender = _antenna_bridge_get_sender (self->bridge);
  while ((op = g_queue_peek_head (&self->publish_queue)))
    {
      guint64 ahead = self->bytes_publishing;
      gboolean cancelled = op->cancellable != NULL && g_cancellable_is_cancelled (op->cancellable);

      if (self->n_publishing >= (op->many != NULL ? _antenna_client_many_window (op->qos) : PUBLISH_WINDOW))
        break;
      /* a batch keeps the receive maximum itself, when it is alone */
      if (op->qos > 0 && self->server_receive_maximum > 0 && !cancelled &&
          self->n_publishing_acked >= (op->many != NULL ? 1 : self->server_receive_maximum))
        break;
      g_queue_pop_head (&self->publish_queue);

      if (op->cancellable != NULL && g_cancellable_is_cancelled (op->cancellable))
        {
          _antenna_client_op_fail (op, cancelled_error (op));
          continue;
        }

      /* The broker made a QoS 2 message of this connection QoS 1 already:
       * send them as QoS 1, rather than leave Paho another PUBREC to wait for. */
      op->sent_qos = (op->qos == 2 && self->qos2_downgraded) ? 1 : op->qos;
      if (op->many != NULL)
        _antenna_client_hand_op (self, op, _antenna_client_hand_many (self, op));
      else
        _antenna_client_hand_op (self, op,
                                 _antenna_sender_publish (sender, op->id, op->topic, op->payload,
                                                          op->sent_qos, op->retain, op->properties));
      set_deadline (self, op, ahead);
    }
}
