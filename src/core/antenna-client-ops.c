/* antenna-client-ops.c: AntennaClient's requests to the broker while they are in flight
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A publish, a subscribe or an unsubscribe is an AntennaOp from the public
 * call to its completion. This file keeps their books: the publish queue,
 * pumped through Paho's window of PUBLISH_WINDOW sends; the table of Paho
 * tokens the completions come back with; and what becomes of the operations
 * when the connection goes (failed, or kept to be sent again). SUBSCRIBE and
 * UNSUBSCRIBE are sent from antenna-client-subscriptions.c; the completions
 * are events of the state machine (antenna-client.c).
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client-private.h"
#include "antenna-client-properties-private.h"
#include "antenna-error.h"

/* How many publishes we hand to Paho at once; the rest wait in our queue. */
#define PUBLISH_WINDOW ANTENNA_CLIENT_PUBLISH_WINDOW

/* ------------------------------------------------------------------------ */
/* Operations                                                                */

void
_antenna_client_op_free (AntennaOp *op)
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
void
_antenna_client_op_fail (AntennaOp *op,
                         GError    *error)
{
  if (op->task != NULL)
    g_task_return_error (op->task, error);
  else
    g_clear_error (&error);
  _antenna_client_op_free (op);
}

/* Paho hands out a packet identifier again only after 65,535 others, long
 * after its completion was handled here; should one still be pending, it can
 * no longer be told apart: fail it rather than leak it. */
void
_antenna_client_register_op (AntennaClient *self,
                             AntennaOp     *op)
{
  AntennaOp *stale = g_hash_table_lookup (self->ops, GINT_TO_POINTER (op->token));

  if (stale != NULL)
    {
      g_hash_table_steal (self->ops, GINT_TO_POINTER (op->token));
      if (stale->kind == ANTENNA_OP_PUBLISH)
        self->n_publishing--;
      _antenna_client_op_fail (stale, _antenna_client_connection_lost_error (self));
    }
  g_hash_table_insert (self->ops, GINT_TO_POINTER (op->token), op);
}

/* Fails the publishes that cannot complete any more: those still in our
 * queue, the QoS 0 ones, and (@all) those of QoS 1 and 2 that Paho would only
 * resend into a persistent session. Subscribes and unsubscribes always. */
void
_antenna_client_fail_pending_ops (AntennaClient *self,
                                  gboolean       all,
                                  const GError  *error)
{
  GHashTableIter iter;
  gpointer value;
  AntennaOp *op;

  while ((op = g_queue_pop_head (&self->publish_queue)))
    _antenna_client_op_fail (op, g_error_copy (error));

  while ((op = g_queue_pop_head (&self->qos0_ops)))
    {
      self->n_publishing--;
      _antenna_client_op_fail (op, g_error_copy (error));
    }

  g_hash_table_iter_init (&iter, self->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      op = value;
      if (op->kind == ANTENNA_OP_PUBLISH && !all)
        continue;
      g_hash_table_iter_steal (&iter);
      if (op->kind == ANTENNA_OP_PUBLISH)
        self->n_publishing--;
      _antenna_client_op_fail (op, g_error_copy (error));
    }

  g_clear_handle_id (&self->pump_retry_id, g_source_remove);
  _antenna_client_update_queued (self);
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
          if (op->kind != ANTENNA_OP_PUBLISH || !(op->flags & ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE))
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

/* ------------------------------------------------------------------------ */
/* Publishing                                                                */

static gboolean
on_pump_retry (gpointer user_data)
{
  AntennaClient *self = user_data;

  self->pump_retry_id = 0;
  _antenna_client_pump_publishes (self);
  _antenna_client_update_queued (self);
  return G_SOURCE_REMOVE;
}

/* Hands the queued publishes to Paho while its window has room (connected
 * only): QoS 0 ones complete in order, the others by token. */
void
_antenna_client_pump_publishes (AntennaClient *self)
{
  AntennaOp *op;

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
          _antenna_client_op_free (op);
          continue;
        }

      data = op->payload ? g_bytes_get_data (op->payload, &len) : NULL;
      msg.payload = (void *) data;
      msg.payloadlen = (int) len;
      /* The broker made a QoS 2 message of this connection QoS 1 already:
       * send them as QoS 1, rather than leave Paho another PUBREC to wait for. */
      op->sent_qos = (op->qos == 2 && self->qos2_downgraded) ? 1 : op->qos;
      msg.qos = op->sent_qos;
      msg.retained = op->retain;
      if (self->mqtt_version == MQTTVERSION_5)
        _antenna_client_properties_to_paho (op->properties, &msg.properties);
      _antenna_client_init_response (self, &response);

      _antenna_bridge_paho_call_begin ();
      rc = MQTTAsync_sendMessage (self->handle, op->topic, &msg, &response);
      _antenna_bridge_paho_call_end ();
      MQTTProperties_free (&msg.properties);

      if (rc == MQTTASYNC_MAX_BUFFERED_MESSAGES || rc == MQTTASYNC_MAX_MESSAGES_INFLIGHT ||
          rc == MQTTASYNC_NO_MORE_MSGIDS)
        {
          /* Paho's window is full: wait for a completion (or a moment). */
          g_queue_push_head (&self->publish_queue, op);
          if (self->n_publishing == 0 && self->pump_retry_id == 0)
            self->pump_retry_id = _antenna_client_add_timeout (self, 10, on_pump_retry, NULL);
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
          _antenna_client_op_fail (op, _antenna_client_not_connected_error (self));
          continue;
        }

      if (rc != MQTTASYNC_SUCCESS)
        {
          _antenna_client_op_fail (op, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                                                    _("The message could not be sent to %s: %s."),
                                                    self->address, MQTTAsync_strerror (rc)));
          continue;
        }

      op->token = response.token;
      self->n_publishing++;
      if (op->qos == 0)
        g_queue_push_tail (&self->qos0_ops, op);
      else
        _antenna_client_register_op (self, op);
    }
}
