/* antenna-profile-subscriptions-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-subscriptions-group"

#include "config.h"

#include "antenna-profile.h"
#include "antenna-profile-subscriptions-group.h"
#include "antenna-subscription.h"
#include "antenna-subscription-row.h"
#include "antenna-topic.h"

struct _AntennaProfileSubscriptionsGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  GtkListBox                *subscriptions_list;
  AdwEntryRow               *add_filter_row;
  GtkDropDown               *add_qos_dropdown;
  GtkButton                 *add_subscription_button;
  GtkLabel                  *subscriptions_error;
};

G_DEFINE_FINAL_TYPE (AntennaProfileSubscriptionsGroup, antenna_profile_subscriptions_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

static AntennaProfile *
get_profile (AntennaProfileSubscriptionsGroup *self)
{
  return antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

/* The position of @filter in the profile's subscriptions, or -1. */
static int
find_subscription (AntennaProfileSubscriptionsGroup *self,
                   const char                       *filter)
{
  GListModel *model = antenna_profile_get_subscriptions (get_profile (self));
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (antenna_subscription_get_filter (item), filter) == 0)
        return (int) i;
    }

  return -1;
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  return antenna_subscription_row_new (item, FALSE);
}

static gboolean
has_items (AntennaProfileSubscriptionsGroup *self,
           guint                             n_items)
{
  return n_items > 0;
}

static void
on_add_subscription_cb (AntennaProfileSubscriptionsGroup *self)
{
  if (antenna_profile_subscriptions_group_add_pending (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->add_filter_row));
}

static void
unsubscribe_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AntennaProfileSubscriptionsGroup *self = ANTENNA_PROFILE_SUBSCRIPTIONS_GROUP (widget);
  int position = find_subscription (self, g_variant_get_string (param, NULL));

  if (position >= 0)
    antenna_profile_remove_subscription (get_profile (self), (guint) position);
}

static void
antenna_profile_subscriptions_group_bind (AntennaProfileEditorGroup *group,
                                          AntennaProfile            *profile)
{
  AntennaProfileSubscriptionsGroup *self = ANTENNA_PROFILE_SUBSCRIPTIONS_GROUP (group);

  gtk_list_box_bind_model (self->subscriptions_list,
                           antenna_profile_get_subscriptions (profile),
                           create_row_cb, NULL, NULL);
}

static gboolean
antenna_profile_subscriptions_group_validate (AntennaProfileEditorGroup *group)
{
  AntennaProfileSubscriptionsGroup *self = ANTENNA_PROFILE_SUBSCRIPTIONS_GROUP (group);

  return antenna_profile_editor_group_check_filter_row (self->add_filter_row, self->subscriptions_error,
                                                        GTK_WIDGET (self->add_subscription_button));
}

static void
antenna_profile_subscriptions_group_dispose (GObject *object)
{
  AntennaProfileSubscriptionsGroup *self = ANTENNA_PROFILE_SUBSCRIPTIONS_GROUP (object);

  if (self->subscriptions_list != NULL)
    gtk_list_box_bind_model (self->subscriptions_list, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_SUBSCRIPTIONS_GROUP);

  G_OBJECT_CLASS (antenna_profile_subscriptions_group_parent_class)->dispose (object);
}

static void
antenna_profile_subscriptions_group_class_init (AntennaProfileSubscriptionsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_subscriptions_group_dispose;

  group_class->bind = antenna_profile_subscriptions_group_bind;
  group_class->validate = antenna_profile_subscriptions_group_validate;

  /* The remove buttons of the rows. */
  gtk_widget_class_install_action (widget_class, "subscriptions.unsubscribe", "s", unsubscribe_action);

  /* The type of a lookup in the template. */
  g_type_ensure (G_TYPE_LIST_STORE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-subscriptions-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSubscriptionsGroup, subscriptions_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSubscriptionsGroup, add_filter_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSubscriptionsGroup, add_qos_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSubscriptionsGroup, add_subscription_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileSubscriptionsGroup, subscriptions_error);
  gtk_widget_class_bind_template_callback (widget_class, has_items);
  gtk_widget_class_bind_template_callback (widget_class, on_add_subscription_cb);
  gtk_widget_class_bind_template_callback (widget_class, antenna_profile_editor_group_emit_changed);
}

static void
antenna_profile_subscriptions_group_init (AntennaProfileSubscriptionsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

gboolean
antenna_profile_subscriptions_group_add_pending (AntennaProfileSubscriptionsGroup *self)
{
  g_autofree char *filter = NULL;

  g_return_val_if_fail (ANTENNA_IS_PROFILE_SUBSCRIPTIONS_GROUP (self), FALSE);

  filter = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_filter_row)));
  if (filter[0] == '\0')
    return TRUE;

  if (!antenna_topic_validate_filter (filter, -1, NULL))
    return FALSE;

  if (find_subscription (self, filter) < 0)
    {
      guint qos = gtk_drop_down_get_selected (self->add_qos_dropdown);
      g_autoptr(AntennaSubscription) subscription = antenna_subscription_new (filter, (int) MIN (qos, 2));

      antenna_profile_add_subscription (get_profile (self), subscription);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->add_filter_row), "");
  return TRUE;
}
