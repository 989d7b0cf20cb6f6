/* antenna-client-publish-many.c: many small publishes as one operation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A load generator publishing through antenna_client_publish_async() pays,
 * for every message, a GTask, an operation in the books, a request handed to
 * the sender's worker, and an answer event back through the bridge to the
 * main loop: it reached 0.16–0.22× of a raw-socket publisher (bench/README.md,
 * "Load generator benchmark"). Here a batch of messages is one operation and
 * one request: the worker hands them all to Paho from one wake-up, Paho's
 * answers are counted on its threads, and the main thread gets one event
 * for the whole batch, when Paho has answered every message it took.
 *
 * What the single path guarantees still holds:
 * - order: the batch waits in the same publish queue as single publishes,
 *   and its messages go to Paho in their order;
 * - the broker's receive maximum: a batch at QoS 1 or 2 is handed only when
 *   no other acknowledged publish is in flight, and the worker keeps no more
 *   than the receive maximum unanswered;
 * - Paho's limits: a message Paho has no room for is offered again;
 * - a disconnect, a lost connection or the client's end fail the batch like
 *   any publish in flight, with the counts of what was acknowledged;
 * - the deadline runs on the batch's bytes.
 * It differs in three ways, on purpose: cancelling a batch never ends the
 * connection (the messages not yet handed to Paho are dropped, those Paho
 * has complete as usual, and then the batch fails as cancelled), a batch
 * is not emitted as ::message-sent (a flood is not the user's history), and
 * there is no check of a QoS 2 message acknowledged with a PUBACK.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-paho-wakeup-private.h"
#include "antenna-topic.h"

/* The results of a batch, the task's data: read by the finish function. */
typedef struct
{
  guint n;
  guint completed;
  guint failed;
} ManyResult;

static ManyResult *
many_result (GTask *task)
{
  return g_task_get_task_data (task);
}

void
_antenna_publish_many_free (AntennaPublishMany *many)
{
  if (many == NULL)
    return;

  g_strfreev (many->topics);
  for (guint i = 0; i < many->n && many->payloads != NULL; i++)
    g_clear_pointer (&many->payloads[i], g_bytes_unref);
  g_free (many->payloads);
  g_free (many->first_error.text);
  g_free (many);
}

/* How many messages of batches at @qos Paho may hold before the next batch
 * waits. Debian's Paho searches lists for every new message id (the ids in
 * use, the messages awaiting PUBACK), so each message costs it in proportion
 * to those in flight, and it traces every function call under a global
 * mutex on top; the Flatpak's finds free ids from an index
 * (flatpak/paho-mqtt-c-inflight-index.patch), where the number in flight
 * made no difference measured (bench/README.md, "Paho's message ids from an
 * index"). Measured on a quiet machine before that patch (bench/README.md,
 * "Load generator benchmark"): 256 was the faster at QoS 0 with both builds
 * (the Flatpak's: 200,000 msg/s against 98,000 with 2,000), and at QoS 1
 * with Debian's (20,000 against 16,000); only the Flatpak's build (high
 * performance, Antenna's patch) at QoS 1 and 2 went faster with the load
 * generator's 2,000 (33,000–37,000 against 13,000–16,000). */
guint
_antenna_client_many_window (int qos)
{
  return qos > 0 && _antenna_paho_wakeup_paho_is_patched () ? ANTENNA_CLIENT_PUBLISH_MANY_WINDOW
                                                            : ANTENNA_CLIENT_PUBLISH_WINDOW;
}

/* The batch is handed to the sender: its copies are the sender's now. */
AntennaRequest *
_antenna_client_hand_many (AntennaClient *self,
                           AntennaOp     *op)
{
  AntennaPublishMany *many = op->many;
  AntennaRequest *request;
  /* No other bound on what Paho holds of the batch: measured, bounding it
   * below the load test's window (a few hundred messages) only slowed Paho,
   * whose answers come back in bursts. */
  guint limit = op->sent_qos > 0 ? self->server_receive_maximum : 0;

  request = _antenna_sender_publish_many (_antenna_bridge_get_sender (self->bridge), op->id, many->n,
                                          (const char * const *) many->topics, many->payloads,
                                          op->sent_qos, op->retain, limit);
  for (guint i = 0; i < many->n; i++)
    g_clear_pointer (&many->payloads[i], g_bytes_unref);
  return request;
}

/* Before @op lets its request go: what Paho made of the batch so far. */
void
_antenna_client_settle_many (AntennaOp *op)
{
  AntennaPublishMany *many = op->many;

  if (many == NULL || op->request == NULL)
    return;

  g_clear_pointer (&many->first_error.text, g_free);
  _antenna_request_get_many (op->request, &many->handed, &many->acknowledged, &many->failed,
                             &many->first_error);
}

/* @op fails with @error (taken): the batch's results go to its task, and
 * the sentence says how many of its messages did not go through. */
GError *
_antenna_client_many_error (AntennaOp *op,
                            GError    *error)
{
  AntennaPublishMany *many = op->many;
  ManyResult *result = many_result (op->task);
  GError *many_error;
  g_autofree char *count = NULL;

  _antenna_client_settle_many (op);
  result->completed = many->acknowledged;
  result->failed = many->n - many->acknowledged;

  /* TRANSLATORS: "3 of 500 messages were not sent or not confirmed." */
  count = g_strdup_printf (ngettext ("%u of %u message was not sent or not confirmed.",
                                     "%u of %u messages were not sent or not confirmed.", many->n),
                           result->failed, many->n);
  many_error = g_error_new (error->domain, error->code, "%s %s", count, error->message);
  g_error_free (error);
  return many_error;
}

/* The batch's event: Paho answered every message it took. */
void
_antenna_client_complete_many (AntennaClient      *self,
                               AntennaOp          *op,
                               const AntennaEvent *event)
{
  AntennaPublishMany *many = op->many;
  ManyResult *result = many_result (op->task);
  const AntennaManyError *first = &many->first_error;
  GError *error;

  /* (_antenna_client_take_answered_op() settled the counts) */
  result->completed = many->acknowledged;
  result->failed = many->n - many->acknowledged;

  if (many->acknowledged == many->n)
    {
      g_task_return_boolean (op->task, TRUE);
      goto done;
    }

  if (many->handed < many->n && op->cancellable != NULL && g_cancellable_is_cancelled (op->cancellable))
    {
      /* the sentence has the counts already */
      g_task_return_new_error (op->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               ngettext ("Sending %u message was cancelled: %u of them went out before.",
                                         "Sending %u messages was cancelled: %u of them went out before.",
                                         many->n),
                               many->n, many->acknowledged);
      goto done;
    }

  if (first->not_taken && first->code == MQTTASYNC_DISCONNECTED)
    error = _antenna_client_not_connected_error (self);
  else if (first->reason >= 0x80)
    {
      g_autofree char *reason = _antenna_client_format_reason (first->reason, first->text);

      error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PUBLISH_REFUSED,
                           _("%s refused a message: %s."), self->address, reason);
    }
  else if (first->code == MQTTASYNC_DISCONNECTED || first->code == MQTTASYNC_OPERATION_INCOMPLETE ||
           first->code == MQTTASYNC_FAILURE)
    error = _antenna_client_connection_lost_error (self);
  else
    error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_FAILED, _("The messages could not be sent to %s: %s."),
                         self->address, first->text ? first->text : MQTTAsync_strerror (first->code));

  g_task_return_error (op->task, _antenna_client_many_error (op, error));

done:
  _antenna_client_op_free (op);
  _antenna_client_pump_publishes (self);
  _antenna_client_update_queued (self);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

/* Why @topic cannot carry a message of @payload_len bytes; NULL when it can. */
static GError *
check_message (AntennaClient *self,
               const char    *topic,
               gsize          payload_len,
               int            qos)
{
  GError *error = NULL;
  gsize remaining;

  if (!antenna_topic_validate_name (topic, -1, &error))
    return error;

  /* PUBLISH without properties: topic (2 + length), packet id (QoS > 0),
   * payload; the fixed header (at most 5 bytes) for the packet's limit. */
  remaining = 2 + strlen (topic) + (qos > 0 ? 2 : 0) + payload_len + (self->mqtt_version == MQTTVERSION_5 ? 1 : 0);
  if (remaining > ANTENNA_MQTT_MAX_PAYLOAD ||
      (self->maximum_packet_size > 0 && remaining + 5 > self->maximum_packet_size))
    {
      g_autofree char *size = g_format_size_full (payload_len, G_FORMAT_SIZE_LONG_FORMAT);

      return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                          _("The message on “%s” is too large for %s: its payload is %s."),
                          topic, self->address, size);
    }
  return NULL;
}

/**
 * antenna_client_publish_many_async:
 * @self: a connected #AntennaClient
 * @n: how many messages, at least 1
 * @topics: (array length=n): the topic of each message
 * @payloads: (array length=n): the payload of each message
 * @qos: the QoS of them all
 * @retain: the retain flag of them all
 * @cancellable: (nullable): stops the batch: what Paho has not taken yet is
 *   not sent, and the connection stays
 * @callback: called once Paho has answered every message of the batch
 * @user_data: for @callback
 *
 * Publishes many small messages as one operation, in their order and in
 * order with the other publishes of @self, for a load generator: one
 * completion for the batch instead of one per message. No properties, no
 * ::message-sent; a batch is not queued while reconnecting. See the top of
 * antenna-client-publish-many.c for what else differs from
 * antenna_client_publish_async().
 */
void
antenna_client_publish_many_async (AntennaClient       *self,
                                   guint                n,
                                   const char * const  *topics,
                                   GBytes * const      *payloads,
                                   int                  qos,
                                   gboolean             retain,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ManyResult *result;
  AntennaPublishMany *many;
  AntennaOp *op;

  g_return_if_fail (ANTENNA_IS_CLIENT (self));
  g_return_if_fail (n > 0 && topics != NULL && payloads != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_client_publish_many_async);
  /* until a message was handed, all failed */
  result = g_new0 (ManyResult, 1);
  result->n = n;
  result->failed = n;
  g_task_set_task_data (task, result, g_free);
  /* a cancelled batch says how much of it went out */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (qos < 0 || qos > 2)
    {
      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                               _("QoS %d does not exist: MQTT knows QoS 0, 1 and 2."), qos);
      return;
    }

  if (!_antenna_client_is_connected (self))
    {
      g_task_return_error (task, _antenna_client_not_connected_error (self));
      return;
    }

  /* all or nothing: a batch with one message that cannot go sends none */
  many = g_new0 (AntennaPublishMany, 1);
  many->n = n;
  many->topics = g_new (char *, n + 1);
  many->payloads = g_new (GBytes *, n);
  for (guint i = 0; i < n; i++)
    {
      gsize size = payloads[i] != NULL ? g_bytes_get_size (payloads[i]) : 0;
      GError *error;

      many->topics[i] = g_strdup (topics[i]);
      many->topics[i + 1] = NULL;
      many->payloads[i] = payloads[i] != NULL ? g_bytes_ref (payloads[i]) : g_bytes_new (NULL, 0);
      many->bytes += size;
      if ((error = check_message (self, topics[i], size, qos)) != NULL)
        {
          many->n = i + 1;
          _antenna_publish_many_free (many);
          g_task_return_error (task, error);
          return;
        }
    }

  op = _antenna_client_op_new (self, ANTENNA_OP_PUBLISH, task);
  op->many = many;
  /* for the sentences the single path has (a lost connection, a deadline) */
  op->topic = g_strdup (topics[0]);
  op->qos = qos;
  op->retain = retain;
  op->seq = self->next_seq++;
  _antenna_client_watch_cancellable (self, op, cancellable);
  g_queue_push_tail (&self->publish_queue, op);

  _antenna_client_pump_publishes (self);
  _antenna_client_update_queued (self);
}

/**
 * antenna_client_publish_many_finish:
 * @self: an #AntennaClient
 * @result: the result given to the callback
 * @n_completed: (out) (optional): the messages written (QoS 0) or
 *   acknowledged (QoS 1, 2)
 * @n_failed: (out) (optional): the others: failed, or never sent
 * @error: the first failure, its sentence saying how many did not go through
 *
 * Returns: whether every message of the batch completed.
 */
gboolean
antenna_client_publish_many_finish (AntennaClient  *self,
                                    GAsyncResult   *result,
                                    guint          *n_completed,
                                    guint          *n_failed,
                                    GError        **error)
{
  ManyResult *counts;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  counts = many_result (G_TASK (result));
  if (n_completed != NULL)
    *n_completed = counts->completed;
  if (n_failed != NULL)
    *n_failed = counts->failed;
  return g_task_propagate_boolean (G_TASK (result), error);
}
