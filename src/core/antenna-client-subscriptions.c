/* antenna-client-subscriptions.c: AntennaClient's subscriptions through the life of a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * :subscriptions holds every subscription sent on this connection: PENDING
 * until the SUBACK, then ACTIVE, or REFUSED with an error sentence (a refused
 * subscription stays in the model so the UI can show why; it is never ACTIVE).
 * While the connection is down they are PENDING again; after a reconnect
 * without a session they are subscribed again. Disconnected, they stay
 * listed, INACTIVE, and the next connect subscribes them all again.
 *
 * This file keeps that model: the public subscribe, unsubscribe and
 * unsubscribe-all calls, SUBSCRIBE and UNSUBSCRIBE handed to Paho, their
 * answers, and what a lost, restored or closed connection does to the list.
 * The state machine that decides when is in antenna-client.c.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-topic.h"

/* ------------------------------------------------------------------------ */
/* The list                                                                  */

/* The subscription of :subscriptions with @filter, and its @position; NULL
 * when there is none. */
AntennaSubscription *
_antenna_client_find_subscription (AntennaClient *self,
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

/* Takes the subscription with @filter, if any, out of :subscriptions. */
void
_antenna_client_remove_subscription (AntennaClient *self,
                                     const char    *filter)
{
  guint position;

  if (_antenna_client_find_subscription (self, filter, &position) != NULL)
    g_list_store_remove (self->subscriptions, position);
}

/* Every subscription of the list back to PENDING while the connection is
 * down; the active ones are remembered with their granted QoS. */
void
_antenna_client_subscriptions_down (AntennaClient *self)
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

/* Disconnected: every subscription but the refused ones INACTIVE. */
void
_antenna_client_subscriptions_inactive (AntennaClient *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);

      if (antenna_subscription_get_state (sub) != ANTENNA_SUBSCRIPTION_STATE_REFUSED)
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_INACTIVE, 0, NULL);
    }
}

/* ------------------------------------------------------------------------ */
/* Subscribing and unsubscribing                                             */

/* Sends a SUBSCRIBE for @subscription (with @task, or none for our own
 * re-subscribes); :subscriptions lists it (or the copy with its filter),
 * pending. */
void
_antenna_client_send_subscribe (AntennaClient       *self,
                                AntennaSubscription *subscription,
                                GTask               *task)
{
  const char *filter = antenna_subscription_get_filter (subscription);
  AntennaSubscription *listed;
  AntennaOp *op;

  listed = _antenna_client_find_subscription (self, filter, NULL);
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

  op = _antenna_client_op_new (self, ANTENNA_OP_SUBSCRIBE, task);
  op->subscription = g_object_ref (listed);
  _antenna_client_hand_op (self, op,
                           _antenna_sender_subscribe (_antenna_bridge_get_sender (self->bridge), op->id, filter,
                                                      antenna_subscription_get_qos (listed),
                                                      antenna_subscription_get_no_local (listed),
                                                      antenna_subscription_get_retain_as_published (listed),
                                                      antenna_subscription_get_retain_handling (listed)));
}

/* One UNSUBSCRIBE with every filter of @filters, which it takes. */
void
_antenna_client_send_unsubscribe (AntennaClient *self,
                                  GStrv          filters,
                                  GTask         *task)
{
  AntennaOp *op = _antenna_client_op_new (self, ANTENNA_OP_UNSUBSCRIBE, task);

  op->filters = filters;
  _antenna_client_hand_op (self, op,
                           _antenna_sender_unsubscribe (_antenna_bridge_get_sender (self->bridge), op->id,
                                                        (const char * const *) filters));
}

/* Connected the first time: the subscriptions the profile saved. */
void
_antenna_client_subscribe_saved (AntennaClient *self)
{
  GListModel *saved = antenna_profile_get_subscriptions (self->profile);
  guint n = saved ? g_list_model_get_n_items (saved) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (saved, i);

      _antenna_client_send_subscribe (self, sub, NULL);
    }
}

/* Connected the first time: the subscriptions left listed, inactive, from
 * the connection before (the saved ones are pending already). */
void
_antenna_client_subscribe_inactive (AntennaClient *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);

      if (antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_INACTIVE)
        g_ptr_array_add (again, g_object_ref (sub));
    }

  for (guint i = 0; i < again->len; i++)
    _antenna_client_send_subscribe (self, g_ptr_array_index (again, i), NULL);
}

/* A new connection asks again for what the broker refused on the last one:
 * its rules may have changed. */
void
_antenna_client_subscriptions_retry_refused (AntennaClient *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->subscriptions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) sub = g_list_model_get_item (G_LIST_MODEL (self->subscriptions), i);

      if (antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_REFUSED)
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_INACTIVE, 0, NULL);
    }
}

/* Connected again: with @session_present the broker kept the subscriptions that
 * were ACTIVE; the others are sent again. */
void
_antenna_client_resubscribe (AntennaClient *self,
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
    _antenna_client_send_subscribe (self, g_ptr_array_index (again, i), NULL);
}

/* ------------------------------------------------------------------------ */
/* The broker's answers                                                      */

/* SUBACK, or the failure of a SUBSCRIBE. Frees @op. */
void
_antenna_client_complete_subscribe (AntennaClient      *self,
                                    AntennaOp          *op,
                                    const AntennaEvent *event)
{
  AntennaSubscription *sub = op->subscription;
  gboolean listed = _antenna_client_find_subscription (self, antenna_subscription_get_filter (sub), NULL) == sub;
  const char *filter = antenna_subscription_get_filter (sub);
  int reason = event->reason;

  /* 3.1.1: the granted QoS, where failure is 0x80, in onSuccess (or in
   * onFailure as the code). */
  if (self->mqtt_version != MQTTVERSION_5)
    {
      if (event->kind == ANTENNA_EVENT_SUCCESS)
        reason = event->granted;
      else if (event->code == 0x80)
        reason = 0x80;
    }

  if (event->kind == ANTENNA_EVENT_SUCCESS && reason >= 0 && reason <= 2)
    {
      _antenna_client_log_granted (self, sub, reason);
      if (listed)
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_ACTIVE, reason, NULL);
      if (op->task != NULL)
        g_task_return_int (op->task, reason);
    }
  else if (event->kind == ANTENNA_EVENT_NOT_TAKEN)
    {
      g_autofree char *message = g_strdup_printf (_("Could not subscribe to “%s” on %s: %s."),
                                                  filter, self->address, MQTTAsync_strerror (event->code));

      _antenna_client_log (self, ERROR, NULL, "%s", message);
      if (listed)
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_REFUSED, 0, message);
      if (op->task != NULL)
        g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_FAILED, "%s", message);
    }
  else if (reason >= 0x80)
    {
      g_autofree char *message = NULL;
      g_autofree char *detail = g_strdup_printf ("SUBACK 0x%02X", reason);

      if (self->mqtt_version == MQTTVERSION_5)
        {
          g_autofree char *why = _antenna_client_format_reason (reason, event->reason_string);

          message = g_strdup_printf (_("%s refused the subscription to “%s”: %s."),
                                     self->address, filter, why);
        }
      else
        message = g_strdup_printf (_("%s refused the subscription to “%s” (not authorised, or a filter it does not accept)."),
                                   self->address, filter);

      _antenna_client_log (self, ERROR, detail, "%s", message);
      if (listed)
        _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_REFUSED, 0, message);
      if (op->task != NULL)
        g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_SUBSCRIPTION_REFUSED, "%s", message);
    }
  else
    {
      /* the connection went away before the SUBACK */
      if (op->task != NULL)
        g_task_return_error (op->task, _antenna_client_connection_lost_error (self));
    }
  _antenna_client_op_free (op);
}

/* UNSUBACK, or the failure of an UNSUBSCRIBE. Frees @op. */
void
_antenna_client_complete_unsubscribe (AntennaClient      *self,
                                      AntennaOp          *op,
                                      const AntennaEvent *event)
{
  if (event->kind == ANTENNA_EVENT_SUCCESS && event->reason < 0x80)
    {
      for (guint i = 0; op->filters[i]; i++)
        {
          _antenna_client_log (self, INFO, NULL, _("Unsubscribed from “%s”."), op->filters[i]);
          _antenna_client_remove_subscription (self, op->filters[i]);
        }
      if (op->task != NULL)
        g_task_return_boolean (op->task, TRUE);
    }
  else if (event->kind == ANTENNA_EVENT_NOT_TAKEN)
    g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                             _("Could not unsubscribe on %s: %s."),
                             self->address, MQTTAsync_strerror (event->code));
  else if (event->reason >= 0x80)
    {
      g_autofree char *why = _antenna_client_format_reason (event->reason, event->reason_string);
      g_autofree char *message = g_strdup_printf (_("%s refused to unsubscribe: %s."), self->address, why);

      _antenna_client_log (self, ERROR, NULL, "%s", message);
      g_task_return_new_error (op->task, ANTENNA_ERROR, ANTENNA_ERROR_FAILED, "%s", message);
    }
  else
    g_task_return_error (op->task, _antenna_client_connection_lost_error (self));
  _antenna_client_op_free (op);
}

/* ------------------------------------------------------------------------ */
/* The public calls                                                          */

/* Like g_task_return_error_if_cancelled(): fails @task unless connected
 * (and not disconnecting). */
static gboolean
task_return_error_if_not_connected (AntennaClient *self,
                                    GTask         *task)
{
  if (_antenna_client_is_connected (self))
    return FALSE;

  g_task_return_error (task, _antenna_client_not_connected_error (self));
  return TRUE;
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

  if (task_return_error_if_not_connected (self, task))
    return;

  _antenna_client_send_subscribe (self, subscription, task);
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

  sub = _antenna_client_find_subscription (self, filter, NULL);
  if (sub != NULL &&
      (antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_REFUSED ||
       (self->state == ANTENNA_CLIENT_STATE_DISCONNECTED &&
        antenna_subscription_get_state (sub) == ANTENNA_SUBSCRIPTION_STATE_INACTIVE)))
    {
      /* never active on the broker, or kept for the next connect only: nothing to send */
      _antenna_client_remove_subscription (self, filter);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (task_return_error_if_not_connected (self, task))
    return;

  {
    GStrv filters = g_new0 (char *, 2);

    filters[0] = g_strdup (filter);
    _antenna_client_send_unsubscribe (self, filters, task);
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

  /* Disconnected, the list only says what the next connect subscribes to. */
  if (self->state == ANTENNA_CLIENT_STATE_DISCONNECTED && self->disconnect_task == NULL)
    {
      g_list_store_remove_all (self->subscriptions);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (task_return_error_if_not_connected (self, task))
    return;

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
  _antenna_client_send_unsubscribe (self, filters, task);
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
