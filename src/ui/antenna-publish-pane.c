/* antenna-publish-pane.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-publish-pane"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-publish-pane.h"
#include "antenna-topic.h"

struct _AntennaPublishPane
{
  AdwBin         parent_instance;

  AntennaClient *client;
  char          *status;
  char          *topic_error;
  guint          generation;

  GtkEntry      *topic_entry;
  GtkDropDown   *qos_dropdown;
  GtkSwitch     *retain_switch;
  GtkTextView   *payload_view;
  GtkLabel      *status_label;
};

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

enum {
  PUBLISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaPublishPane, antenna_publish_pane, ADW_TYPE_BIN)

typedef struct
{
  AntennaPublishPane *self;
  AntennaMessage     *message;
  guint               generation;
} PublishRequest;

static void
publish_request_free (PublishRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->message);
  g_free (request);
}

static void
set_status (AntennaPublishPane *self,
            const char         *status,
            const char         *css_class)
{
  g_free (self->status);
  self->status = g_strdup (status);

  gtk_label_set_label (self->status_label, status);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css_class);
}

static gboolean
validate_topic (AntennaPublishPane *self)
{
  const char *topic = gtk_editable_get_text (GTK_EDITABLE (self->topic_entry));
  g_autoptr(GError) error = NULL;
  gboolean valid = antenna_topic_validate_name (topic, -1, &error);

  g_clear_pointer (&self->topic_error, g_free);
  if (!valid && topic[0] != '\0')
    self->topic_error = g_strdup (error->message);

  if (self->topic_error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->topic_entry), "error");
      set_status (self, self->topic_error, "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->topic_entry), "error");
      if (self->status != NULL && gtk_widget_has_css_class (GTK_WIDGET (self->status_label), "error"))
        set_status (self, NULL, NULL);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.publish", valid);

  return valid;
}

static void
on_topic_changed_cb (AntennaPublishPane *self)
{
  validate_topic (self);
}

static void
publish_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PublishRequest *request = user_data;
  AntennaPublishPane *self = request->self;
  g_autoptr(GError) error = NULL;

  if (!antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error))
    {
      if (request->generation == self->generation)
        set_status (self, error->message, "error");
    }
  else
    {
      if (request->generation == self->generation)
        set_status (self,
                    antenna_message_get_qos (request->message) == 0 ? _("Sent") : _("Delivered"),
                    "success");
      g_signal_emit (self, signals[PUBLISHED], 0, request->message);
    }

  publish_request_free (request);
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AntennaPublishPane *self = ANTENNA_PUBLISH_PANE (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->payload_view);
  const char *topic = gtk_editable_get_text (GTK_EDITABLE (self->topic_entry));
  int qos = gtk_drop_down_get_selected (self->qos_dropdown);
  gboolean retain = gtk_switch_get_active (self->retain_switch);
  g_autoptr(GBytes) payload = NULL;
  PublishRequest *request;
  GtkTextIter start, end;
  char *text;

  if (!validate_topic (self))
    {
      if (topic[0] == '\0')
        set_status (self, _("Type the topic to publish to."), "error");
      return;
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  payload = g_bytes_new_take (text, strlen (text));

  request = g_new0 (PublishRequest, 1);
  request->self = g_object_ref (self);
  request->generation = ++self->generation;
  request->message = antenna_message_new (topic, payload, qos, retain, FALSE,
                                          ANTENNA_MESSAGE_SENT, g_get_real_time (), NULL);

  set_status (self, _("Sending…"), "dim-label");
  antenna_client_publish_async (self->client, topic, payload, qos, retain, NULL, NULL,
                                publish_cb, request);
}

static void
antenna_publish_pane_dispose (GObject *object)
{
  AntennaPublishPane *self = ANTENNA_PUBLISH_PANE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_PUBLISH_PANE);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (antenna_publish_pane_parent_class)->dispose (object);
}

static void
antenna_publish_pane_finalize (GObject *object)
{
  AntennaPublishPane *self = ANTENNA_PUBLISH_PANE (object);

  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->topic_error, g_free);

  G_OBJECT_CLASS (antenna_publish_pane_parent_class)->finalize (object);
}

static void
antenna_publish_pane_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AntennaPublishPane *self = ANTENNA_PUBLISH_PANE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_pane_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AntennaPublishPane *self = ANTENNA_PUBLISH_PANE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_pane_class_init (AntennaPublishPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_publish_pane_dispose;
  object_class->finalize = antenna_publish_pane_finalize;
  object_class->get_property = antenna_publish_pane_get_property;
  object_class->set_property = antenna_publish_pane_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ANTENNA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PUBLISHED] =
    g_signal_new ("published",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_MESSAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-publish-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaPublishPane, topic_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaPublishPane, qos_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaPublishPane, retain_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaPublishPane, payload_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaPublishPane, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_topic_changed_cb);

  gtk_widget_class_install_action (widget_class, "publish.publish", NULL, publish_action);
}

static void
antenna_publish_pane_init (AntennaPublishPane *self)
{
  GtkEventController *controller;
  GtkShortcut *shortcut;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the capture phase, so the payload view does not take Ctrl+Return as a new line. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  shortcut = gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                            gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                               gtk_named_action_new ("publish.publish"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  validate_topic (self);
}

GtkWidget *
antenna_publish_pane_new (AntennaClient *client)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  return g_object_new (ANTENNA_TYPE_PUBLISH_PANE, "client", client, NULL);
}

void
antenna_publish_pane_set_topic (AntennaPublishPane *self,
                                const char         *topic)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_PANE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->topic_entry), topic != NULL ? topic : "");
}

void
antenna_publish_pane_set_payload (AntennaPublishPane *self,
                                  const char         *payload)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_PANE (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->payload_view), payload != NULL ? payload : "", -1);
}

void
antenna_publish_pane_set_qos (AntennaPublishPane *self,
                              int                 qos)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_PANE (self));
  g_return_if_fail (qos >= 0 && qos <= 2);

  gtk_drop_down_set_selected (self->qos_dropdown, qos);
}

void
antenna_publish_pane_set_retain (AntennaPublishPane *self,
                                 gboolean            retain)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_PANE (self));

  gtk_switch_set_active (self->retain_switch, retain);
}

const char *
antenna_publish_pane_get_status (AntennaPublishPane *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_PANE (self), NULL);

  return self->status;
}

const char *
antenna_publish_pane_get_topic_error (AntennaPublishPane *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_PANE (self), NULL);

  return self->topic_error;
}
