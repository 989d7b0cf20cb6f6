/* antenna-publish-history-row.c: one entry of a connection's publish history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-publish-history-row"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-payload.h"
#include "antenna-publish-history-row.h"

struct _AntennaPublishHistoryRow
{
  GtkListBoxRow   parent_instance;

  /* Owned References */
  AntennaMessage *message;
};

enum {
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

enum {
  PUBLISH_AGAIN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaPublishHistoryRow, antenna_publish_history_row, GTK_TYPE_LIST_BOX_ROW)

/* The line under the topic. */
static char *
dup_details (AntennaPublishHistoryRow *self,
             AntennaMessage           *message)
{
  g_autofree char *size = NULL;
  g_autofree char *preview = NULL;

  if (message == NULL)
    return NULL;

  size = antenna_payload_format_size (antenna_message_get_size (message));
  preview = antenna_payload_preview_line (antenna_message_get_payload (message), 48);

  if (antenna_message_get_retain (message))
    /* Translators: QoS, size and the start of the payload of a published message */
    return g_strdup_printf (_("QoS %d · retained · %s · %s"), antenna_message_get_qos (message), size, preview);
  else
    return g_strdup_printf (_("QoS %d · %s · %s"), antenna_message_get_qos (message), size, preview);
}

static void
publish_again_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  g_signal_emit (widget, signals[PUBLISH_AGAIN], 0);
}

static void
antenna_publish_history_row_dispose (GObject *object)
{
  AntennaPublishHistoryRow *self = ANTENNA_PUBLISH_HISTORY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_PUBLISH_HISTORY_ROW);
  g_clear_object (&self->message);

  G_OBJECT_CLASS (antenna_publish_history_row_parent_class)->dispose (object);
}

static void
antenna_publish_history_row_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  AntennaPublishHistoryRow *self = ANTENNA_PUBLISH_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_history_row_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  AntennaPublishHistoryRow *self = ANTENNA_PUBLISH_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      if (g_set_object (&self->message, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_history_row_class_init (AntennaPublishHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_publish_history_row_dispose;
  object_class->get_property = antenna_publish_history_row_get_property;
  object_class->set_property = antenna_publish_history_row_set_property;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL,
                         ANTENNA_TYPE_MESSAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PUBLISH_AGAIN] =
    g_signal_new ("publish-again",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (ANTENNA_TYPE_MESSAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-publish-history-row.ui");
  gtk_widget_class_bind_template_callback (widget_class, dup_details);

  gtk_widget_class_install_action (widget_class, "history-row.publish-again", NULL, publish_again_action);
}

static void
antenna_publish_history_row_init (AntennaPublishHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_publish_history_row_new (AntennaMessage *message)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE (message), NULL);

  return g_object_new (ANTENNA_TYPE_PUBLISH_HISTORY_ROW, "message", message, NULL);
}

AntennaMessage *
antenna_publish_history_row_get_message (AntennaPublishHistoryRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_HISTORY_ROW (self), NULL);

  return self->message;
}
