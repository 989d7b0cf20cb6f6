/* antenna-subscriptions-pane.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-subscriptions-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-color-dot.h"
#include "antenna-counts-interval.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-subscription-row.h"
#include "antenna-subscriptions-pane.h"
#include "antenna-topic.h"

struct _AntennaSubscriptionsPane
{
  AdwBin         parent_instance;

  /* Template Widgets */
  GtkEntry      *filter_entry;
  GtkDropDown   *qos_dropdown;
  GtkWidget     *options_button;
  GtkSwitch     *no_local_switch;
  GtkSwitch     *rap_switch;
  GtkDropDown   *retain_handling_dropdown;
  GtkRevealer   *filter_error_revealer;
  GtkLabel      *filter_error_label;
  GtkListBox    *list_box;
  AdwPreferencesGroup *list_group;
  GtkWidget     *save_button;

  /* Owned References */
  AntennaClient *client;
  char          *filter_error;

  gint64         counts_time;
};

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaSubscriptionsPane, antenna_subscriptions_pane, ADW_TYPE_BIN)

typedef struct
{
  AntennaSubscriptionsPane *self;
  char                     *filter;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_pointer (&request->filter, g_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
request_new (AntennaSubscriptionsPane *self,
             const char               *filter)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->filter = g_strdup (filter);

  return request;
}

static void
show_error (AntennaSubscriptionsPane *self,
            const char               *message)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "page.show-error", "s", message))
    g_debug ("No page to show an error on");
}

static AntennaSubscription *
find_subscription (AntennaSubscriptionsPane *self,
                   const char               *filter)
{
  GListModel *subscriptions = antenna_client_get_subscriptions (self->client);
  guint n = g_list_model_get_n_items (subscriptions);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (subscriptions, i);

      if (g_strcmp0 (antenna_subscription_get_filter (subscription), filter) == 0)
        return g_steal_pointer (&subscription);
    }

  return NULL;
}

/* A saved connection remembers what is subscribed on it (a temporary one,
 * opened from a URL, does not: it has nowhere to keep it). */
static gboolean
remembers (AntennaSubscriptionsPane *self)
{
  AntennaProfile *profile = antenna_client_get_profile (self->client);

  return g_object_get_data (G_OBJECT (profile), "antenna-temporary") == NULL;
}

static void
update_note (AntennaSubscriptionsPane *self)
{
  gboolean saved = remembers (self);

  adw_preferences_group_set_description (self->list_group,
                                         saved ? _("Saved with this connection and subscribed again on every connect")
                                               : _("Not saved: this temporary connection forgets its subscriptions when it closes"));
  gtk_widget_set_visible (self->save_button, !saved);
}

/* @profile keeps a copy of @subscription, in place of one with its filter. */
static void
save_in_profile (AntennaProfile      *profile,
                 AntennaSubscription *subscription)
{
  GListModel *saved = antenna_profile_get_subscriptions (profile);
  const char *filter = antenna_subscription_get_filter (subscription);
  g_autoptr(AntennaSubscription) copy = antenna_subscription_copy (subscription);
  guint n_existing = g_list_model_get_n_items (saved);

  /* Replace a saved subscription with the same filter: the options may differ. */
  for (guint j = n_existing; j > 0; j--)
    {
      g_autoptr(AntennaSubscription) existing = g_list_model_get_item (saved, j - 1);

      if (g_strcmp0 (antenna_subscription_get_filter (existing), filter) == 0)
        antenna_profile_remove_subscription (profile, j - 1);
    }

  antenna_subscription_set_paused (copy, FALSE);
  antenna_profile_add_subscription (profile, copy);
}

static void
forget_in_profile (AntennaSubscriptionsPane *self,
                   const char               *filter)
{
  AntennaProfile *profile;
  GListModel *saved;

  /* The page went away before the broker answered. */
  if (self->client == NULL || !remembers (self))
    return;

  profile = antenna_client_get_profile (self->client);
  saved = antenna_profile_get_subscriptions (profile);

  for (guint j = g_list_model_get_n_items (saved); j > 0; j--)
    {
      g_autoptr(AntennaSubscription) existing = g_list_model_get_item (saved, j - 1);

      if (filter == NULL || g_strcmp0 (antenna_subscription_get_filter (existing), filter) == 0)
        antenna_profile_remove_subscription (profile, j - 1);
    }
}

static void
ensure_color (AntennaSubscriptionsPane *self,
              AntennaSubscription      *subscription)
{
  GListModel *subscriptions;
  g_autoptr(GPtrArray) used = NULL;
  guint n;

  if (antenna_subscription_get_color (subscription) != NULL)
    return;

  subscriptions = antenna_client_get_subscriptions (self->client);
  n = g_list_model_get_n_items (subscriptions);
  used = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) other = g_list_model_get_item (subscriptions, i);

      if (other != subscription)
        g_ptr_array_add (used, g_strdup (antenna_subscription_get_color (other)));
    }

  antenna_subscription_set_color (subscription,
                                  antenna_color_dot_pick_palette_color ((const char * const *) used->pdata,
                                                                        used->len));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  return antenna_subscription_row_new (item, TRUE);
}

static void
on_subscriptions_items_changed_cb (AntennaSubscriptionsPane *self,
                                   guint                     position,
                                   guint                     removed,
                                   guint                     added,
                                   GListModel               *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (model, i);

      ensure_color (self, subscription);
    }
}

static void
validate_filter (AntennaSubscriptionsPane *self)
{
  const char *filter = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autoptr(GError) error = NULL;
  gboolean valid;

  g_clear_pointer (&self->filter_error, g_free);

  valid = antenna_topic_validate_filter (filter, -1, &error);
  if (!valid && filter[0] != '\0')
    self->filter_error = g_strdup (error->message);

  if (self->filter_error != NULL)
    gtk_label_set_label (self->filter_error_label, self->filter_error);
  gtk_revealer_set_reveal_child (self->filter_error_revealer, self->filter_error != NULL);

  if (self->filter_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_entry), "error");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "subscriptions.subscribe", valid);
}

static void
on_filter_changed_cb (AntennaSubscriptionsPane *self)
{
  validate_filter (self);
}

static void
on_filter_activated_cb (AntennaSubscriptionsPane *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "subscriptions.subscribe", NULL);
}

/* MQTT 5 options for an MQTT 5 connection; with the automatic version,
 * what the connection speaks. */
static void
update_version (AntennaSubscriptionsPane *self)
{
  AntennaProfile *profile = antenna_client_get_profile (self->client);

  gtk_widget_set_visible (self->options_button,
                          antenna_profile_resolve_mqtt_version (profile, antenna_client_get_mqtt_version (self->client))
                          == ANTENNA_MQTT_VERSION_5);
}

static void
subscribe_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;

  if (antenna_client_subscribe_finish (ANTENNA_CLIENT (object), result, &error) < 0)
    {
      g_autofree char *message = g_strdup_printf (_("Could not subscribe to “%s”: %s"), request->filter,
                                                  error != NULL ? error->message : _("unknown error"));

      show_error (request->self, message);
      return;
    }

  /* Granted: a saved connection subscribes to it again next time. */
  if (request->self->client != NULL && remembers (request->self))
    {
      g_autoptr(AntennaSubscription) listed = find_subscription (request->self, request->filter);

      if (listed != NULL)
        save_in_profile (antenna_client_get_profile (request->self->client), listed);
    }
}

static void
unsubscribe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_client_unsubscribe_finish (ANTENNA_CLIENT (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not unsubscribe from “%s”: %s"),
                                                  request->filter, error->message);
      show_error (request->self, message);
      return;
    }
  forget_in_profile (request->self, request->filter);
}

static void
unsubscribe_all_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_client_unsubscribe_all_finish (ANTENNA_CLIENT (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not unsubscribe: %s"), error->message);
      show_error (request->self, message);
      return;
    }
  forget_in_profile (request->self, NULL);
}

static void
subscribe_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (widget);
  const char *filter = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autoptr(AntennaSubscription) subscription = NULL;

  if (!antenna_topic_validate_filter (filter, -1, NULL))
    return;

  subscription = antenna_subscription_new (filter, gtk_drop_down_get_selected (self->qos_dropdown));

  if (gtk_widget_get_visible (self->options_button))
    {
      antenna_subscription_set_no_local (subscription, gtk_switch_get_active (self->no_local_switch));
      antenna_subscription_set_retain_as_published (subscription, gtk_switch_get_active (self->rap_switch));
      antenna_subscription_set_retain_handling (subscription,
                                                (AntennaRetainHandling) gtk_drop_down_get_selected (self->retain_handling_dropdown));
    }

  antenna_subscriptions_pane_subscribe (self, subscription);
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
}

static void
unsubscribe_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (widget);
  const char *filter = g_variant_get_string (param, NULL);

  antenna_client_unsubscribe_async (self->client, filter, NULL,
                                    unsubscribe_cb, request_new (self, filter));
}

static void
toggle_pause_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (widget);
  g_autoptr(AntennaSubscription) subscription = NULL;

  subscription = find_subscription (self, g_variant_get_string (param, NULL));
  if (subscription != NULL)
    antenna_subscription_set_paused (subscription, !antenna_subscription_get_paused (subscription));
}

static void
unsubscribe_all_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (widget);

  antenna_client_unsubscribe_all_async (self->client, NULL,
                                        unsubscribe_all_cb, request_new (self, NULL));
}

static void
use_filter_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), g_variant_get_string (param, NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
  gtk_editable_set_position (GTK_EDITABLE (self->filter_entry), -1);
}

static void
save_to_profile_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (widget);
  AntennaProfile *profile = antenna_client_get_profile (self->client);
  GListModel *subscriptions = antenna_client_get_subscriptions (self->client);
  g_autofree char *message = NULL;
  guint n = g_list_model_get_n_items (subscriptions);
  guint n_saved = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (subscriptions, i);

      if (antenna_subscription_get_state (subscription) == ANTENNA_SUBSCRIPTION_STATE_REFUSED)
        continue;

      save_in_profile (profile, subscription);
      n_saved++;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Saved %u subscription to “%s”",
                                          "Saved %u subscriptions to “%s”", n_saved),
                             n_saved, antenna_profile_get_name (profile));
  if (!gtk_widget_activate_action (widget, "page.show-toast", "s", message))
    g_debug ("No page to show a toast on");
}

static void
antenna_subscriptions_pane_constructed (GObject *object)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (object);
  GListModel *subscriptions;

  G_OBJECT_CLASS (antenna_subscriptions_pane_parent_class)->constructed (object);

  g_assert (ANTENNA_IS_CLIENT (self->client));

  subscriptions = antenna_client_get_subscriptions (self->client);
  g_signal_connect_object (subscriptions, "items-changed",
                           G_CALLBACK (on_subscriptions_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_subscriptions_items_changed_cb (self, 0, 0, g_list_model_get_n_items (subscriptions), subscriptions);
  gtk_list_box_bind_model (self->list_box, subscriptions, create_row_cb, self, NULL);

  g_signal_connect_object (antenna_client_get_profile (self->client), "notify::mqtt-version",
                           G_CALLBACK (update_version), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (antenna_client_get_profile (self->client), "notify::detected-mqtt-version",
                           G_CALLBACK (update_version), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::mqtt-version",
                           G_CALLBACK (update_version), self,
                           G_CONNECT_SWAPPED);
  update_version (self);
  validate_filter (self);

  /* A temporary connection saved meanwhile: said the next time it connects. */
  g_signal_connect_object (self->client, "notify::state",
                           G_CALLBACK (update_note), self,
                           G_CONNECT_SWAPPED);
  update_note (self);
}

static void
antenna_subscriptions_pane_dispose (GObject *object)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (object);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_SUBSCRIPTIONS_PANE);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (antenna_subscriptions_pane_parent_class)->dispose (object);
}

static void
antenna_subscriptions_pane_finalize (GObject *object)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (object);

  g_clear_pointer (&self->filter_error, g_free);

  G_OBJECT_CLASS (antenna_subscriptions_pane_parent_class)->finalize (object);
}

static void
antenna_subscriptions_pane_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (object);

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
antenna_subscriptions_pane_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  AntennaSubscriptionsPane *self = ANTENNA_SUBSCRIPTIONS_PANE (object);

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
antenna_subscriptions_pane_class_init (AntennaSubscriptionsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_subscriptions_pane_constructed;
  object_class->dispose = antenna_subscriptions_pane_dispose;
  object_class->finalize = antenna_subscriptions_pane_finalize;
  object_class->get_property = antenna_subscriptions_pane_get_property;
  object_class->set_property = antenna_subscriptions_pane_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ANTENNA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-subscriptions-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, qos_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, options_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, no_local_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, rap_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, retain_handling_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, filter_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, filter_error_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, list_box);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, list_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionsPane, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_activated_cb);

  gtk_widget_class_install_action (widget_class, "subscriptions.subscribe", NULL, subscribe_action);
  gtk_widget_class_install_action (widget_class, "subscriptions.unsubscribe", "s", unsubscribe_action);
  gtk_widget_class_install_action (widget_class, "subscriptions.toggle-pause", "s", toggle_pause_action);
  gtk_widget_class_install_action (widget_class, "subscriptions.unsubscribe-all", NULL, unsubscribe_all_action);
  gtk_widget_class_install_action (widget_class, "subscriptions.save-to-profile", NULL, save_to_profile_action);
  gtk_widget_class_install_action (widget_class, "subscriptions.use-filter", "s", use_filter_action);
}

static void
antenna_subscriptions_pane_init (AntennaSubscriptionsPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_subscriptions_pane_new (AntennaClient *client)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  return g_object_new (ANTENNA_TYPE_SUBSCRIPTIONS_PANE, "client", client, NULL);
}

AntennaClient *
antenna_subscriptions_pane_get_client (AntennaSubscriptionsPane *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTIONS_PANE (self), NULL);

  return self->client;
}

void
antenna_subscriptions_pane_subscribe (AntennaSubscriptionsPane *self,
                                      AntennaSubscription      *subscription)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTIONS_PANE (self));
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (subscription));

  ensure_color (self, subscription);
  antenna_client_subscribe_async (self->client, subscription, NULL, subscribe_cb,
                                  request_new (self, antenna_subscription_get_filter (subscription)));
}

GtkEditable *
antenna_subscriptions_pane_get_filter_entry (AntennaSubscriptionsPane *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTIONS_PANE (self), NULL);

  return GTK_EDITABLE (self->filter_entry);
}

const char *
antenna_subscriptions_pane_get_filter_error (AntennaSubscriptionsPane *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTIONS_PANE (self), NULL);

  return self->filter_error;
}

gboolean
antenna_subscriptions_pane_tick (AntennaSubscriptionsPane *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean now_due;
  gboolean pending = FALSE;

  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTIONS_PANE (self), FALSE);

  /* A few times a second in a flood: a count that changes size makes the
   * window lay itself out again. */
  now_due = now - self->counts_time >= ANTENNA_COUNTS_INTERVAL_USEC;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AntennaSubscriptionRow *row;

      /* The placeholder is a child too. */
      if (!ANTENNA_IS_SUBSCRIPTION_ROW (child))
        continue;

      row = ANTENNA_SUBSCRIPTION_ROW (child);
      if (now_due)
        {
          if (antenna_subscription_row_show_count (row))
            self->counts_time = now;
        }
      else
        pending |= antenna_subscription_row_count_is_stale (row);
    }

  return pending;
}
