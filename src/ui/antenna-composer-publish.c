/* antenna-composer-publish.c: publishing from the composer, and the queue while disconnected
 *
 * A message goes out at once when connected. When not, QoS 0 is refused
 * (it cannot wait), and for QoS 1 and 2 the composer asks whether to queue
 * it: queued messages wait in the composer (or in the client while it
 * reconnects) and go when the connection is back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-composer-private.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-topic.h"

typedef struct
{
  AntennaComposer *self;
  AntennaMessage  *message;
  guint            generation;
} PublishRequest;

static void
publish_request_free (PublishRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->message);
  g_free (request);
}

static void
show_result (AntennaComposer *self,
             AntennaMessage  *message,
             int              delivered_qos)
{
  int qos = antenna_message_get_qos (message);

  /* RabbitMQ answers a QoS 2 message with a PUBACK, and delivers it at QoS 1 */
  if (delivered_qos >= 0 && delivered_qos < qos)
    {
      g_autofree char *text = g_strdup_printf (_("The broker acknowledged this QoS %d message as QoS %d."),
                                               qos, delivered_qos);

      _antenna_composer_set_status (self, text, "warning");
    }
  else if (qos == 0)
    _antenna_composer_set_status (self, _("Sent"), "success");
  else
    _antenna_composer_set_status (self, _("Delivered"), "success");
}

/* @message as the broker took it: with the QoS it acknowledged. */
static AntennaMessage *
as_delivered (AntennaMessage *message,
              int             delivered_qos)
{
  if (delivered_qos < 0 || delivered_qos == antenna_message_get_qos (message))
    return g_object_ref (message);

  return antenna_message_new (antenna_message_get_topic (message),
                              antenna_message_get_payload (message),
                              delivered_qos,
                              antenna_message_get_retain (message),
                              antenna_message_get_dup (message),
                              antenna_message_get_direction (message),
                              antenna_message_get_timestamp (message),
                              antenna_message_get_properties (message));
}

static void
publish_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PublishRequest *request = user_data;
  AntennaComposer *self = request->self;
  g_autoptr(GError) error = NULL;
  int delivered_qos = -1;

  if (!antenna_client_publish_finish_full (ANTENNA_CLIENT (object), result, &delivered_qos, &error))
    {
      if (request->generation == self->generation)
        _antenna_composer_set_status (self, error->message, "error");
    }
  else
    {
      g_autoptr(AntennaMessage) delivered = as_delivered (request->message, delivered_qos);

      if (request->generation == self->generation)
        show_result (self, request->message, delivered_qos);
      _antenna_composer_emit_published (self, delivered);
    }

  publish_request_free (request);
}

static void
publish_message (AntennaComposer     *self,
                 AntennaMessage      *message,
                 AntennaPublishFlags  flags)
{
  PublishRequest *request;
  AntennaProperties *props = antenna_message_get_properties (message);

  request = g_new0 (PublishRequest, 1);
  request->self = g_object_ref (self);
  request->message = g_object_ref (message);
  request->generation = ++self->generation;

  if (flags & ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE &&
      antenna_client_get_state (self->client) != ANTENNA_CLIENT_STATE_CONNECTED)
    _antenna_composer_set_status (self, _("Queued: it will be sent when the connection is back."), "dim-label");
  else
    _antenna_composer_set_status (self, _("Sending…"), "dim-label");

  antenna_client_publish_full_async (self->client,
                                     antenna_message_get_topic (message),
                                     antenna_message_get_payload (message),
                                     antenna_message_get_qos (message),
                                     antenna_message_get_retain (message),
                                     antenna_properties_is_empty (props) ? NULL : props,
                                     flags, NULL, publish_cb, request);
}

static void
flush_pending (AntennaComposer *self)
{
  AntennaMessage *message;

  while ((message = g_queue_pop_head (&self->pending)) != NULL)
    {
      publish_message (self, message, ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE);
      g_object_unref (message);
    }
}

static void
on_client_state_cb (AntennaComposer *self)
{
  if (antenna_client_get_state (self->client) == ANTENNA_CLIENT_STATE_CONNECTED)
    flush_pending (self);
}

/* Sends @message, or asks (or refuses) when not connected. */
static void
send_or_offer (AntennaComposer *self,
               AntennaMessage  *message)
{
  AntennaClientState state = antenna_client_get_state (self->client);
  const char *name = antenna_profile_get_name (antenna_client_get_profile (self->client));
  g_autofree char *question = NULL;

  if (state == ANTENNA_CLIENT_STATE_CONNECTED)
    {
      publish_message (self, message, ANTENNA_PUBLISH_FLAGS_NONE);
      return;
    }

  if (antenna_message_get_qos (message) == 0)
    {
      _antenna_composer_set_status (self,
                  _("Not sent: not connected. A QoS 0 message cannot wait for the connection; "
                    "connect first, or choose QoS 1 or 2 to queue it."),
                  "error");
      return;
    }

  g_set_object (&self->offered, message);
  question = g_strdup_printf (_("“%s” is not connected. Queue the message until the connection is back?"),
                              name != NULL ? name : "");
  gtk_label_set_label (self->offline_label, question);
  gtk_revealer_set_reveal_child (self->offline_revealer, TRUE);
  _antenna_composer_set_status (self, NULL, NULL);
}

static AntennaMessage *
compose_message (AntennaComposer  *self,
                 GError          **error)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->topic_entry));
  int qos = gtk_drop_down_get_selected (self->qos_dropdown);
  gboolean retain = self->retain;
  g_autofree char *topic = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(AntennaProperties) props = NULL;

  if (typed[0] == '\0')
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                           _("Type the topic to publish to."));
      return NULL;
    }
  if (!_antenna_composer_validate_topic (self))
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC, self->topic_error);
      return NULL;
    }

  /* placeholders expanded: the counter moves on */
  if (!_antenna_composer_expand (self, &topic, &payload, error))
    return NULL;
  if (!antenna_topic_validate_name (topic, -1, error))
    return NULL;

  props = antenna_composer_dup_properties (self);

  return antenna_message_new (topic, payload, qos, retain, FALSE, ANTENNA_MESSAGE_SENT,
                              g_get_real_time (), props);
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);
  g_autoptr(AntennaMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;

  message = compose_message (self, &error);
  if (message == NULL)
    {
      _antenna_composer_set_status (self, error->message, "error");
      return;
    }

  send_or_offer (self, message);
}

static void
queue_pending_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);
  g_autoptr(AntennaMessage) message = g_steal_pointer (&self->offered);

  gtk_revealer_set_reveal_child (self->offline_revealer, FALSE);
  if (message == NULL)
    return;

  switch (antenna_client_get_state (self->client))
    {
    case ANTENNA_CLIENT_STATE_CONNECTED:
      publish_message (self, message, ANTENNA_PUBLISH_FLAGS_NONE);
      break;

    case ANTENNA_CLIENT_STATE_RECONNECTING:
      /* The client keeps it in order with the others it holds. */
      publish_message (self, message, ANTENNA_PUBLISH_FLAGS_QUEUE_OFFLINE);
      break;

    case ANTENNA_CLIENT_STATE_DISCONNECTED:
    case ANTENNA_CLIENT_STATE_CONNECTING:
    default:
      g_queue_push_tail (&self->pending, g_steal_pointer (&message));
      _antenna_composer_set_status (self, _("Queued: it will be sent when the connection is back."), "dim-label");
      break;
    }
}

static void
discard_pending_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);

  gtk_revealer_set_reveal_child (self->offline_revealer, FALSE);
  if (self->offered == NULL)
    return;

  g_clear_object (&self->offered);
  _antenna_composer_set_status (self, _("Not sent: not connected."), "error");
}

void
_antenna_composer_class_publish_init (AntennaComposerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "composer.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "composer.queue-pending", NULL, queue_pending_action);
  gtk_widget_class_install_action (widget_class, "composer.discard-pending", NULL, discard_pending_action);
}

void
_antenna_composer_publish_constructed (AntennaComposer *self)
{
  g_signal_connect_object (self->client, "notify::state", G_CALLBACK (on_client_state_cb),
                           self, G_CONNECT_SWAPPED);
}

void
antenna_composer_publish_again (AntennaComposer *self,
                                AntennaMessage  *message)
{
  g_autoptr(AntennaMessage) copy = NULL;

  g_return_if_fail (ANTENNA_IS_COMPOSER (self));
  g_return_if_fail (ANTENNA_IS_MESSAGE (message));

  copy = antenna_message_new (antenna_message_get_topic (message),
                              antenna_message_get_payload (message),
                              antenna_message_get_qos (message),
                              antenna_message_get_retain (message),
                              FALSE, ANTENNA_MESSAGE_SENT, g_get_real_time (),
                              antenna_message_get_properties (message));
  send_or_offer (self, copy);
}

gboolean
antenna_composer_get_offering_queue (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), FALSE);

  return self->offered != NULL;
}

guint
antenna_composer_get_n_pending (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), 0);

  return self->pending.length;
}
