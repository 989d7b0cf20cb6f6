/* antenna-client.c: one live MQTT connection over a Paho MQTTAsync handle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GObject, its state machine and its public API. The machine moves
 * between DISCONNECTED, CONNECTING, CONNECTED and RECONNECTING on the events
 * the bridge brings from Paho's threads (antenna-client-bridge.c): a CONNACK,
 * a refusal, a lost connection, the broker's DISCONNECT, the completion of a
 * request. The rest of the client is in the files antenna-client-private.h
 * lists: what runs on Paho's threads, the requests in flight, the connect
 * options, the back-off and the watchdog, the error sentences, the MQTT 5
 * properties.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-client-private.h"
#include "antenna-client-properties-private.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-paho-wakeup-private.h"
#include "antenna-profile.h"
#include "antenna-proxy.h"
#include "antenna-secret-store.h"
#include "antenna-subscription.h"
#include "antenna-topic.h"

#define DISCONNECT_TIMEOUT_MS  2000

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
  PROP_SECRET_STORE,
  PROP_MQTT_VERSION,
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

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

void
_antenna_client_set_state (AntennaClient      *self,
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

void
_antenna_client_set_client_id (AntennaClient *self,
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

/* update_queued() for the other files of the client: it stays static here,
 * where it runs for every publish and every completion. */
void
_antenna_client_update_queued (AntennaClient *self)
{
  update_queued (self);
}

void
_antenna_client_set_reconnect_attempts (AntennaClient *self,
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

/* A timeout on the client's context (@name: for debugging; may be NULL). */
guint
_antenna_client_add_timeout (AntennaClient *self,
                             guint          interval_ms,
                             GSourceFunc    function,
                             const char    *name)
{
  GSource *source = g_timeout_source_new (interval_ms);
  guint id;

  g_source_set_callback (source, function, self, NULL);
  if (name != NULL)
    g_source_set_static_name (source, name);
  id = g_source_attach (source, self->context);
  g_source_unref (source);

  return id;
}

static void
clear_connect_cancellable (AntennaClient *self)
{
  if (self->connect_cancelled_id != 0)
    g_cancellable_disconnect (self->connect_cancellable, self->connect_cancelled_id);
  self->connect_cancelled_id = 0;
  g_clear_object (&self->connect_cancellable);
}

/* Drops the current Paho handle: its bridge goes dead (no more events), its
 * source is destroyed, and the handle is destroyed in a thread. */
static void
abandon_connection (AntennaClient *self,
                    gboolean       send_disconnect)
{
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_handle_id (&self->disconnect_timeout_id, g_source_remove);
  g_clear_handle_id (&self->deadline_id, g_source_remove);
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);

  _antenna_bridge_detach (self, send_disconnect);

  clear_connect_cancellable (self);
  _antenna_client_clear_prepared (self);
  g_hash_table_remove_all (self->confirmed);
  self->reconnect_attempt = 0;
  _antenna_client_set_reconnect_attempts (self, 0);
}

/* Connection failed: fail the connect task (if it is still ours) with @error,
 * move to DISCONNECTED and drop the handle. Takes @error. */
void
_antenna_client_finish_connect_failure (AntennaClient *self,
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
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _antenna_client_log (self, ERROR, NULL, "%s", error->message);
  abandon_connection (self, FALSE);
  _antenna_client_set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean on_connect_timeout (gpointer user_data);

/* The connection failed because the broker does not speak MQTT 5: with the
 * automatic version, the same connect goes on, on a new handle with MQTT
 * 3.1.1 (and the connect timeout starts again). FALSE when the profile
 * asked for a version, or this connect fell back already. */
gboolean
_antenna_client_fall_back_to_3_1_1 (AntennaClient *self)
{
  g_autoptr(GError) error = NULL;
  guint timeout;

  if (antenna_profile_get_mqtt_version (self->profile) != ANTENNA_MQTT_VERSION_AUTOMATIC ||
      self->fell_back || self->state != ANTENNA_CLIENT_STATE_CONNECTING || self->connect_task == NULL)
    return FALSE;

  g_debug ("%s: the broker does not answer MQTT 5: trying MQTT 3.1.1", self->address);
  _antenna_client_log (self, WARNING, NULL, _("%s did not answer the MQTT 5 connection: trying MQTT 3.1.1."),
                       self->address);
  self->fell_back = TRUE;
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  _antenna_bridge_detach (self, FALSE);

  if (!_antenna_client_create_handle (self, &error))
    {
      _antenna_client_finish_connect_failure (self, self->connect_task, g_steal_pointer (&error));
      return TRUE;
    }

  timeout = MAX (antenna_profile_get_connect_timeout (self->profile), 1);
  self->connect_timeout_id = _antenna_client_add_timeout (self, timeout * 1000 + 250, on_connect_timeout,
                                                          "[antenna] connect timeout");
  _antenna_client_start_connect (self);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Handling events on the main thread                                        */

/* The QoS the broker acknowledged a completed publish at: a QoS 2 message
 * answered with a PUBACK, not PUBREC…PUBCOMP, as the sender found out (Paho
 * completes it all the same, and waits for a PUBREC that never comes). */
static int
delivered_qos (AntennaClient      *self,
               AntennaOp          *op,
               const AntennaEvent *event)
{
  if (op->sent_qos == 2 && event->delivered_qos == 1)
    {
      g_debug ("%s: the broker acknowledged a QoS 2 message with a PUBACK", self->address);
      if (!self->qos2_downgraded)
        _antenna_client_log (self, WARNING, "PUBACK",
                             _("%s acknowledged a QoS 2 message as QoS 1: the next QoS 2 messages of this connection go as QoS 1."),
                             self->address);
      self->qos2_downgraded = TRUE;
      return 1;
    }
  return op->sent_qos;
}

static void
complete_publish (AntennaClient      *self,
                  AntennaOp          *op,
                  const AntennaEvent *event)
{
  if (event->kind == ANTENNA_EVENT_SUCCESS && event->reason < 0x80)
    {
      int qos = delivered_qos (self, op, event);

      if (g_signal_has_handler_pending (self, signals[MESSAGE_SENT], 0, FALSE))
        {
          g_autoptr(AntennaMessage) message = NULL;

          message = antenna_message_new (op->topic, op->payload, qos, op->retain, FALSE,
                                         ANTENNA_MESSAGE_SENT, g_get_real_time (), op->properties);
          g_signal_emit (self, signals[MESSAGE_SENT], 0, message);
        }
      if (op->task != NULL)
        {
          g_task_set_task_data (op->task, GINT_TO_POINTER (qos + 1), NULL);
          g_task_return_boolean (op->task, TRUE);
        }
    }
  else if (event->kind == ANTENNA_EVENT_NOT_TAKEN && event->code == MQTTASYNC_DISCONNECTED &&
           op->qos > 0 && (op->flags & ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE))
    {
      /* Paho saw the loss before we did: it waits for the reconnection. */
      _antenna_client_requeue_publish (self, op);
      update_queued (self);
      return;
    }
  else if (event->kind == ANTENNA_EVENT_NOT_TAKEN && event->code == MQTTASYNC_DISCONNECTED)
    g_task_return_error (op->task, _antenna_client_not_connected_error (self));
  else if (event->reason >= 0x80)
    {
      g_autofree char *reason = _antenna_client_format_reason (event->reason, event->reason_string);

      g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_PUBLISH_REFUSED,
                               _("%s refused the message on “%s”: %s."),
                               self->address, op->topic, reason);
    }
  else if (event->kind == ANTENNA_EVENT_FAILURE &&
           (event->code == MQTTASYNC_DISCONNECTED || event->code == MQTTASYNC_OPERATION_INCOMPLETE ||
            event->code == MQTTASYNC_FAILURE))
    g_task_return_error (op->task, _antenna_client_publish_lost_error (self, op));
  else
    g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                             _("The message could not be sent to %s: %s."),
                             self->address, event->text ? event->text : MQTTAsync_strerror (event->code));
  _antenna_client_op_free (op);
  _antenna_client_pump_publishes (self);
  update_queued (self);
}

/* The completion of a request: the bridge hands these over without
 * interrupting a batch of messages. */
void
_antenna_client_complete_op (AntennaClient *self,
                             AntennaEvent  *event)
{
  AntennaOp *op = _antenna_client_take_answered_op (self, event);

  if (op == NULL)
    {
      g_debug ("%s: no operation %u in flight", self->address, event->op_id);
      return;
    }

  switch (op->kind)
    {
    case ANTENNA_OP_PUBLISH:
      if (op->many != NULL)
        _antenna_client_complete_many (self, op, event);
      else
        complete_publish (self, op, event);
      break;
    case ANTENNA_OP_SUBSCRIBE:
      _antenna_client_complete_subscribe (self, op, event);
      break;
    case ANTENNA_OP_UNSUBSCRIBE:
      _antenna_client_complete_unsubscribe (self, op, event);
      break;
    case ANTENNA_OP_PROBE:
      /* the watchdog's question (antenna-client-reconnect.c) was answered,
       * or could not be asked */
      self->probe_sent = 0;
      _antenna_client_op_free (op);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
handle_connected (AntennaClient *self,
                  AntennaEvent  *event)
{
  gboolean first = self->state == ANTENNA_CLIENT_STATE_CONNECTING;
  g_autoptr(GTask) task = NULL;

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTING &&
      self->state != ANTENNA_CLIENT_STATE_RECONNECTING)
    return;

  g_debug ("%s: connected, session present %d", self->address, event->session_present);

  self->reconnect_attempt = 0;
  _antenna_client_set_reconnect_attempts (self, 0);
  self->lost_large = 0;
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);

  if (event->assigned_id != NULL)
    _antenna_client_set_client_id (self, event->assigned_id);
  set_maximum_packet_size (self, event->maximum_packet_size);
  self->server_receive_maximum = event->receive_maximum;

  if (first)
    {
      task = g_steal_pointer (&self->connect_task);
      clear_connect_cancellable (self);
    }

  {
    AntennaMqttVersion version = self->mqtt_version == MQTTVERSION_5 ? ANTENNA_MQTT_VERSION_5
                                                                     : ANTENNA_MQTT_VERSION_3_1_1;

    /* The automatic version: the next connection starts with what worked. */
    if (antenna_profile_get_mqtt_version (self->profile) == ANTENNA_MQTT_VERSION_AUTOMATIC)
      antenna_profile_set_detected_mqtt_version (self->profile, version);
    if (self->connected_version != version)
      {
        self->connected_version = version;
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MQTT_VERSION]);
      }
  }

  _antenna_client_log_connected (self, event->session_present, event->assigned_id);
  _antenna_client_set_state (self, ANTENNA_CLIENT_STATE_CONNECTED);
  _antenna_client_start_watchdog (self);

  if (first)
    {
      _antenna_client_subscribe_saved (self);
      _antenna_client_subscribe_inactive (self);
    }
  else
    _antenna_client_resubscribe (self, event->session_present);

  _antenna_client_start_deadlines (self);
  _antenna_client_pump_publishes (self);
  update_queued (self);

  g_signal_emit (self, signals[CONNECTED], 0, (gboolean) event->session_present);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
handle_connect_failed (AntennaClient *self,
                       AntennaEvent  *event)
{
  g_autofree char *tls_text = _antenna_bridge_take_tls_errors (self->bridge);
  GError *error;

  g_debug ("%s: connect failed: code %d reason 0x%02X %s / %s", self->address,
           event->code, event->reason, event->text ? event->text : "", tls_text ? tls_text : "");

  if (self->state == ANTENNA_CLIENT_STATE_CONNECTING || self->state == ANTENNA_CLIENT_STATE_RECONNECTING)
    _antenna_client_log_connack_refusal (self, event);

  if (self->state == ANTENNA_CLIENT_STATE_RECONNECTING)
    {
      _antenna_client_log (self, WARNING, event->text, _("The attempt to reconnect to %s failed."), self->address);
      _antenna_client_schedule_reconnect (self);
      return;
    }

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTING || self->connect_task == NULL)
    return;

  /* A broker that said it does not speak MQTT 5: the automatic version
   * tries 3.1.1. */
  if (self->mqtt_version == MQTTVERSION_5 && _antenna_client_connack_refuses_version (self, event) &&
      _antenna_client_fall_back_to_3_1_1 (self))
    return;

  error = _antenna_client_connack_error (self, event);
  if (error == NULL)
    error = _antenna_client_tls_key_error (self, tls_text);
  if (error != NULL)
    _antenna_client_finish_connect_failure (self, self->connect_task, error);
  else
    _antenna_client_diagnose_connect_failure (self, tls_text);
}

/* The publishes @kept for after the reconnection (taken) wait in the
 * queue, before what a failed task's callback may have published meanwhile. */
static void
requeue_kept (AntennaClient *self,
              GQueue        *kept)
{
  GQueue meanwhile = self->publish_queue;
  AntennaOp *op;

  self->publish_queue = *kept;
  while ((op = g_queue_pop_head (&meanwhile)))
    _antenna_client_requeue_publish (self, op);
  update_queued (self);
}

/* The connection broke (@error says how): reconnect, or give up. Paho keeps
 * the in-flight messages of a persistent session in its handle, and resends
 * them once connected again; a handle already dropped
 * (_antenna_client_end_connection()) keeps none. */
void
_antenna_client_handle_connection_lost (AntennaClient *self,
                                        GError        *error)
{
  gboolean reconnect = antenna_profile_get_auto_reconnect (self->profile);
  gboolean session_kept = self->handle != NULL && !antenna_profile_get_clean_start (self->profile);
  g_autoptr(GError) pending_error = _antenna_client_connection_lost_error (self);

  g_debug ("%s: connection lost: %s", self->address, error->message);
  /* the broker's DISCONNECT is logged with its reason code where it came */
  if (!g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_SERVER_DISCONNECTED))
    _antenna_client_log (self, ERROR, NULL, "%s", error->message);

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  _antenna_client_stop_deadlines (self);
  if (reconnect)
    {
      GQueue kept = G_QUEUE_INIT;

      _antenna_client_take_offline_ops (self, session_kept, &kept);
      _antenna_client_fail_pending_ops (self, !session_kept, pending_error);
      requeue_kept (self, &kept);
    }
  else
    _antenna_client_fail_pending_ops (self, TRUE, pending_error);

  if (reconnect)
    {
      _antenna_client_subscriptions_down (self);
      _antenna_client_set_state (self, ANTENNA_CLIENT_STATE_RECONNECTING);
      _antenna_client_schedule_reconnect (self);
    }
  else
    {
      _antenna_client_subscriptions_inactive (self);
      abandon_connection (self, FALSE);
      _antenna_client_set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
    }

  g_signal_emit (self, signals[CONNECTION_LOST], 0, error);
}

/* We end the connection (to take back a message Paho has: see
 * antenna-client-ops.c): Paho's handle is destroyed, and with it Paho's copy
 * of the session. (Paho sends DISCONNECT first only when no write is
 * pending, so the broker may publish the last will.) Connected, it is a lost
 * connection (@error for ::connection-lost); reconnecting, the next attempt
 * makes a new handle. */
void
_antenna_client_end_connection (AntennaClient *self,
                                GError        *error)
{
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  _antenna_bridge_detach (self, FALSE);

  if (self->state == ANTENNA_CLIENT_STATE_CONNECTED && self->disconnect_task == NULL)
    {
      _antenna_client_handle_connection_lost (self, error);
      return;
    }

  if (self->state == ANTENNA_CLIENT_STATE_RECONNECTING)
    {
      GQueue kept = G_QUEUE_INIT;
      g_autoptr(GError) pending_error = _antenna_client_connection_lost_error (self);

      _antenna_client_take_offline_ops (self, FALSE, &kept);
      _antenna_client_fail_pending_ops (self, TRUE, pending_error);
      requeue_kept (self, &kept);
      /* the attempt under way went with the handle */
      if (self->reconnect_id == 0)
        _antenna_client_schedule_reconnect (self);
    }
}

/* Asked to disconnect: what is pending fails, the subscriptions go
 * inactive, the handle is dropped. */
static void
drop_connection (AntennaClient *self)
{
  g_autoptr(GError) error = _antenna_client_not_connected_error (self);

  _antenna_client_fail_pending_ops (self, TRUE, error);
  _antenna_client_subscriptions_inactive (self);
  abandon_connection (self, FALSE);
  _antenna_client_set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
  _antenna_client_log (self, INFO, NULL, _("Disconnected from %s."), self->address);
}

static void
finish_disconnect (AntennaClient *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->disconnect_task);

  drop_connection (self);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

/* While connecting: the connect task fails as cancelled, the handle is
 * dropped. */
static void
cancel_connect (AntennaClient *self)
{
  g_autoptr(GTask) connect_task = g_steal_pointer (&self->connect_task);

  abandon_connection (self, FALSE);
  _antenna_client_set_state (self, ANTENNA_CLIENT_STATE_DISCONNECTED);
  _antenna_client_log (self, INFO, NULL, _("Connecting to %s was cancelled."), self->address);
  if (connect_task != NULL)
    g_task_return_new_error (connect_task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("Connecting to %s was cancelled."), self->address);
}

/* Everything the bridge brings but messages and completions. */
void
_antenna_client_handle_event (AntennaClient *self,
                              AntennaEvent  *event)
{
  switch (event->kind)
    {
    case ANTENNA_EVENT_CONNECTED:
      handle_connected (self, event);
      break;

    case ANTENNA_EVENT_CONNECT_FAILED:
      handle_connect_failed (self, event);
      break;

    case ANTENNA_EVENT_SERVER_DISCONNECT:
      g_debug ("%s: the broker sent DISCONNECT, reason 0x%02X", self->address, event->reason);
      /* MQTT 5: the broker said why before closing. Paho also reports the
       * closed socket as a lost connection; whichever comes first counts. */
      if (self->disconnect_task != NULL)
        {
          _antenna_client_log (self, INFO, NULL, _("%s closed the connection as asked."), self->address);
          finish_disconnect (self);
        }
      else if (self->state == ANTENNA_CLIENT_STATE_CONNECTED)
        {
          g_autofree char *why = _antenna_client_format_reason (event->reason, event->reason_string);
          g_autofree char *detail = g_strdup_printf ("DISCONNECT 0x%02X", event->reason);
          g_autoptr(GError) error = NULL;

          error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_SERVER_DISCONNECTED,
                               _("%s closed the connection: %s."), self->address, why);
          _antenna_client_log (self, ERROR, detail, "%s", error->message);
          _antenna_client_handle_connection_lost (self, error);
        }
      break;

    case ANTENNA_EVENT_CONNECTION_LOST:
      if (self->disconnect_task != NULL)
        finish_disconnect (self);
      else if (self->state == ANTENNA_CLIENT_STATE_CONNECTED)
        {
          g_autoptr(GError) error = _antenna_client_lost_while_sending_error (self);

          _antenna_client_handle_connection_lost (self, error);
        }
      break;

    case ANTENNA_EVENT_DISCONNECT_DONE:
      if (self->disconnect_task != NULL)
        finish_disconnect (self);
      break;

    case ANTENNA_EVENT_MESSAGE:    /* the bridge makes messages into batches */
    case ANTENNA_EVENT_SUCCESS:    /* and hands completions to _antenna_client_complete_op() */
    case ANTENNA_EVENT_FAILURE:
    case ANTENNA_EVENT_NOT_TAKEN:
    default:
      g_assert_not_reached ();
    }
}

/* ::messages-received, with the counts of the subscriptions. */
void
_antenna_client_emit_batch (AntennaClient *self,
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
on_connect_timeout (gpointer user_data)
{
  AntennaClient *self = user_data;

  self->connect_timeout_id = 0;
  if (self->state == ANTENNA_CLIENT_STATE_CONNECTING && self->connect_task != NULL)
    _antenna_client_finish_connect_failure (self, self->connect_task, _antenna_client_connect_timeout_error (self));
  return G_SOURCE_REMOVE;
}

static gboolean
on_disconnect_timeout (gpointer user_data)
{
  AntennaClient *self = user_data;

  self->disconnect_timeout_id = 0;
  if (self->disconnect_task != NULL)
    {
      g_debug ("%s: Paho did not confirm the disconnect within %u ms", self->address, DISCONNECT_TIMEOUT_MS);
      finish_disconnect (self);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  AntennaClient *self = g_task_get_source_object (task);

  if (self->connect_task == task && self->state == ANTENNA_CLIENT_STATE_CONNECTING)
    cancel_connect (self);
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
  _antenna_client_fail_pending_ops (self, TRUE, error);
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
  g_clear_object (&self->secret_store);
  g_clear_object (&self->subscriptions);
  g_clear_object (&self->log);
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
    case PROP_SECRET_STORE:
      g_value_set_object (value, self->secret_store);
      break;
    case PROP_MQTT_VERSION:
      g_value_set_enum (value, antenna_client_get_mqtt_version (self));
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
    case PROP_SECRET_STORE:
      antenna_client_set_secret_store (self, g_value_get_object (value));
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

  /* Large writes and new connections at full speed on Debian's Paho; this
   * call also keeps the wrappers in every program that uses the client. */
  _antenna_paho_wakeup_init ();

  /* Before Paho's threads look at the environment (main() should have done it). */
  antenna_proxy_init_environment ();

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

  /**
   * AntennaClient:secret-store:
   *
   * Where the secrets beyond the password come from at connect: the
   * passphrase of an encrypted TLS client key and the proxy password. Without
   * it a connection that needs a passphrase fails saying so, and a proxy
   * gets no password.
   */
  properties[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL,
                         ANTENNA_TYPE_SECRET_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MQTT_VERSION] =
    g_param_spec_enum ("mqtt-version", NULL, NULL,
                       ANTENNA_TYPE_MQTT_VERSION, ANTENNA_MQTT_VERSION_AUTOMATIC,
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
  self->log = antenna_connection_log_new (ANTENNA_CONNECTION_LOG_DEFAULT_LIMIT);
  self->ops = g_hash_table_new (NULL, NULL);
  self->confirmed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->context = g_main_context_ref_thread_default ();
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

AntennaSecretStore *
antenna_client_get_secret_store (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), NULL);

  return self->secret_store;
}

void
antenna_client_set_secret_store (AntennaClient      *self,
                                 AntennaSecretStore *secret_store)
{
  g_return_if_fail (ANTENNA_IS_CLIENT (self));
  g_return_if_fail (!secret_store || ANTENNA_IS_SECRET_STORE (secret_store));

  if (g_set_object (&self->secret_store, secret_store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRET_STORE]);
}

AntennaMqttVersion
antenna_client_get_mqtt_version (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), ANTENNA_MQTT_VERSION_AUTOMATIC);

  return self->connected_version;
}

AntennaConnectionLog *
antenna_client_get_log (AntennaClient *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), NULL);

  return self->log;
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
  guint timeout;

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
  /* The subscriptions stay listed, inactive, and are sent again once
   * connected: a person who disconnects and connects expects them back. */
  _antenna_client_subscriptions_inactive (self);
  _antenna_client_subscriptions_retry_refused (self);
  g_hash_table_remove_all (self->confirmed);
  set_maximum_packet_size (self, 0);
  self->server_receive_maximum = 0;

  clear_password (self);
  self->password = g_strdup (password);
  self->fell_back = FALSE;
  self->qos2_downgraded = FALSE;

  if (!_antenna_client_check_profile (self, &error) || !_antenna_client_create_handle (self, &error))
    {
      _antenna_client_log (self, ERROR, NULL, "%s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->connect_task = g_object_ref (task);
  _antenna_client_set_state (self, ANTENNA_CLIENT_STATE_CONNECTING);

  if (cancellable != NULL)
    {
      self->connect_cancellable = g_object_ref (cancellable);
      self->connect_cancelled_id = g_cancellable_connect (cancellable,
                                                          G_CALLBACK (on_connect_cancelled),
                                                          task, NULL);
    }

  timeout = MAX (antenna_profile_get_connect_timeout (self->profile), 1);
  self->connect_timeout_id = _antenna_client_add_timeout (self, timeout * 1000 + 250, on_connect_timeout,
                                                          "[antenna] connect timeout");

  /* The secrets and the proxy, then the first attempt. */
  _antenna_client_prepare (self);
}

void
antenna_client_connect_like_async (AntennaClient       *self,
                                   AntennaClient       *model,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (ANTENNA_IS_CLIENT (self));
  g_return_if_fail (ANTENNA_IS_CLIENT (model));

  antenna_client_connect_async (self, model->password, cancellable, callback, user_data);
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

/* The length of MQTT's variable byte integer for @n. */
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

/* Connected, not disconnecting, and with a handle (which a connection that
 * we end drops just before it is lost). */
gboolean
_antenna_client_is_connected (AntennaClient *self)
{
  return self->state == ANTENNA_CLIENT_STATE_CONNECTED && self->disconnect_task == NULL &&
         self->bridge != NULL;
}

/* Why a publish cannot go out now; NULL when it can (or can wait). */
static GError *
publish_not_connected_error (AntennaClient       *self,
                             int                  qos,
                             AntennaPublishFlags  flags)
{
  g_autofree char *address = NULL;

  if (_antenna_client_is_connected (self))
    return NULL;

  if (self->state != ANTENNA_CLIENT_STATE_RECONNECTING || self->disconnect_task != NULL)
    return _antenna_client_not_connected_error (self);

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
  AntennaOp *op;

  g_return_if_fail (ANTENNA_IS_CLIENT (self));
  g_return_if_fail (topic != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_client_publish_full_async);
  /* the QoS acknowledged, for antenna_client_publish_finish_full(): as
   * asked, unless the broker says otherwise (complete_publish()) */
  g_task_set_task_data (task, GINT_TO_POINTER (qos + 1), NULL);
  /* A publish cancelled once on its way says how it was stopped (the
   * connection may have been ended), and one that completed first says so. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

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

      _antenna_client_properties_to_paho (props, &paho_props);
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

  op = _antenna_client_op_new (self, ANTENNA_OP_PUBLISH, task);
  op->topic = g_strdup (topic);
  op->payload = payload ? g_bytes_ref (payload) : g_bytes_new (NULL, 0);
  op->properties = props ? antenna_properties_ref (props) : NULL;
  op->qos = qos;
  op->retain = retain;
  op->flags = flags;
  op->seq = self->next_seq++;
  _antenna_client_watch_cancellable (self, op, cancellable);
  g_queue_push_tail (&self->publish_queue, op);

  _antenna_client_pump_publishes (self);
  update_queued (self);
}

gboolean
antenna_client_publish_finish (AntennaClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return antenna_client_publish_finish_full (self, result, NULL, error);
}

gboolean
antenna_client_publish_finish_full (AntennaClient  *self,
                                    GAsyncResult   *result,
                                    int            *delivered_qos,
                                    GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ok = g_task_propagate_boolean (G_TASK (result), error);
  if (delivered_qos != NULL)
    *delivered_qos = ok ? GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result))) - 1 : -1;
  return ok;
}

void
antenna_client_disconnect_async (AntennaClient       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

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
      cancel_connect (self);
      g_task_return_boolean (task, TRUE);
      return;

    case ANTENNA_CLIENT_STATE_RECONNECTING:
      drop_connection (self);
      g_task_return_boolean (task, TRUE);
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
  _antenna_client_log (self, INFO, NULL, _("Disconnecting from %s."), self->address);

  /* Let in-flight messages complete for a moment, after the requests made
   * before (Paho's refusal comes back as ANTENNA_EVENT_DISCONNECT_DONE);
   * with none of ours in flight, Paho would only wait for the PUBRECs of
   * QoS 2 messages that a broker acknowledged with a PUBACK (RabbitMQ):
   * they never come. */
  _antenna_sender_disconnect (_antenna_bridge_get_sender (self->bridge),
                              self->n_publishing > 0 ? 1000 : 0, TRUE);

  self->disconnect_timeout_id = _antenna_client_add_timeout (self, DISCONNECT_TIMEOUT_MS,
                                                             on_disconnect_timeout, NULL);
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
