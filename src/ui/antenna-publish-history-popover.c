/* antenna-publish-history-popover.c: the composer's list of what was published
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-publish-history-popover"

#include "config.h"

#include "antenna-message.h"
#include "antenna-publish-history-popover.h"
#include "antenna-publish-history-row.h"

struct _AntennaPublishHistoryPopover
{
  GtkPopover  parent_instance;

  /* Template Widgets */
  GtkStack   *stack;
  GtkListBox *list;

  /* Owned References */
  GListModel *history;
};

enum {
  PROP_0,
  PROP_HISTORY,
  N_PROPS
};

enum {
  MESSAGE_ACTIVATED,
  PUBLISH_AGAIN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaPublishHistoryPopover, antenna_publish_history_popover, GTK_TYPE_POPOVER)

static void
on_history_items_changed_cb (AntennaPublishHistoryPopover *self)
{
  gboolean empty = self->history == NULL || g_list_model_get_n_items (self->history) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static void
on_row_activated_cb (AntennaPublishHistoryPopover *self,
                     GtkListBoxRow                *row)
{
  AntennaMessage *message = antenna_publish_history_row_get_message (ANTENNA_PUBLISH_HISTORY_ROW (row));

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[MESSAGE_ACTIVATED], 0, message);
}

static void
on_row_publish_again_cb (AntennaPublishHistoryPopover *self,
                         AntennaPublishHistoryRow     *row)
{
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[PUBLISH_AGAIN], 0, antenna_publish_history_row_get_message (row));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *row = antenna_publish_history_row_new (item);

  g_signal_connect_object (row, "publish-again", G_CALLBACK (on_row_publish_again_cb), user_data, G_CONNECT_SWAPPED);

  return row;
}

static void
antenna_publish_history_popover_dispose (GObject *object)
{
  AntennaPublishHistoryPopover *self = ANTENNA_PUBLISH_HISTORY_POPOVER (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_PUBLISH_HISTORY_POPOVER);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (antenna_publish_history_popover_parent_class)->dispose (object);
}

static void
antenna_publish_history_popover_get_property (GObject    *object,
                                              guint       prop_id,
                                              GValue     *value,
                                              GParamSpec *pspec)
{
  AntennaPublishHistoryPopover *self = ANTENNA_PUBLISH_HISTORY_POPOVER (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_history_popover_set_property (GObject      *object,
                                              guint         prop_id,
                                              const GValue *value,
                                              GParamSpec   *pspec)
{
  AntennaPublishHistoryPopover *self = ANTENNA_PUBLISH_HISTORY_POPOVER (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      antenna_publish_history_popover_set_history (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_history_popover_class_init (AntennaPublishHistoryPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_publish_history_popover_dispose;
  object_class->get_property = antenna_publish_history_popover_get_property;
  object_class->set_property = antenna_publish_history_popover_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MESSAGE_ACTIVATED] =
    g_signal_new ("message-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_MESSAGE);
  signals[PUBLISH_AGAIN] =
    g_signal_new ("publish-again",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_MESSAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-publish-history-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaPublishHistoryPopover, stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaPublishHistoryPopover, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static void
antenna_publish_history_popover_init (AntennaPublishHistoryPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_publish_history_popover_new (void)
{
  return g_object_new (ANTENNA_TYPE_PUBLISH_HISTORY_POPOVER, NULL);
}

GListModel *
antenna_publish_history_popover_get_history (AntennaPublishHistoryPopover *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_HISTORY_POPOVER (self), NULL);

  return self->history;
}

void
antenna_publish_history_popover_set_history (AntennaPublishHistoryPopover *self,
                                             GListModel                   *history)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_HISTORY_POPOVER (self));
  g_return_if_fail (history == NULL || G_IS_LIST_MODEL (history));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, on_history_items_changed_cb, self);
  g_set_object (&self->history, history);

  gtk_list_box_bind_model (self->list, history, history != NULL ? create_row : NULL, self, NULL);
  if (history != NULL)
    g_signal_connect_object (history, "items-changed", G_CALLBACK (on_history_items_changed_cb),
                             self, G_CONNECT_SWAPPED);
  on_history_items_changed_cb (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}
