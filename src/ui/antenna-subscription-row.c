/* antenna-subscription-row.c
 *
 * The same row serves the live subscriptions of a connection and the saved
 * ones of a profile. Its children are bound to the subscription in the
 * template. Set here: the message count (a few times a second, by the pane),
 * the accessible name of the remove button, and the row's own title,
 * subtitle and style: GTK 4.8 cannot bind a template's own properties (the
 * binding warns when the row is finalized).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-subscription-row"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-color-dot.h"
#include "antenna-rate-text.h"
#include "antenna-subscription.h"
#include "antenna-subscription-row.h"

struct _AntennaSubscriptionRow
{
  AdwActionRow         parent_instance;

  /* Template Widgets */
  AntennaColorDot     *dot;
  GtkDropDown         *qos_dropdown;
  GtkLabel            *count_label;
  GtkLabel            *rate_label;
  GtkButton           *pause_button;
  GtkButton           *remove_button;

  /* Owned References */
  AntennaSubscription *subscription;

  gboolean             live;
};

G_DEFINE_FINAL_TYPE (AntennaSubscriptionRow, antenna_subscription_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_SUBSCRIPTION,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Writes the count and the rate to show in @text and @rate; FALSE when
 * they are the ones shown. */
static gboolean
format_count (AntennaSubscriptionRow *self,
              char                    text[32],
              char                    rate[32])
{
  if (self->subscription == NULL || !self->live)
    return FALSE;

  /* With the locale's thousands grouping: 12,345 (en_US), 12.345 (es_ES). */
  g_snprintf (text, 32, "%'" G_GUINT64_FORMAT, antenna_subscription_get_message_count (self->subscription));
  antenna_rate_text (antenna_subscription_get_rate (self->subscription), rate);

  return g_strcmp0 (gtk_label_get_label (self->count_label), text) != 0 ||
         g_strcmp0 (gtk_label_get_label (self->rate_label), rate) != 0;
}

static char *
describe_state (AntennaSubscription *subscription)
{
  int granted_qos = antenna_subscription_get_granted_qos (subscription);
  const char *error = antenna_subscription_get_error (subscription);

  switch (antenna_subscription_get_state (subscription))
    {
    case ANTENNA_SUBSCRIPTION_STATE_INACTIVE:
      return g_strdup (_("Inactive · subscribed again on connect"));

    case ANTENNA_SUBSCRIPTION_STATE_PENDING:
      return g_strdup (_("Subscribing…"));

    case ANTENNA_SUBSCRIPTION_STATE_ACTIVE:
      /* A broker may grant less than asked (RabbitMQ: QoS 1 for 2): say so. */
      if (granted_qos != antenna_subscription_get_qos (subscription))
        return g_strdup_printf (antenna_subscription_get_paused (subscription) ?
                                _("Paused · granted QoS %d (asked for %d)") :
                                _("Active · granted QoS %d (asked for %d)"),
                                granted_qos, antenna_subscription_get_qos (subscription));
      if (antenna_subscription_get_paused (subscription))
        return g_strdup_printf (_("Paused · granted QoS %d"), granted_qos);
      return g_strdup_printf (_("Active · granted QoS %d"), granted_qos);

    case ANTENNA_SUBSCRIPTION_STATE_REFUSED:
      if (error != NULL)
        return g_strdup_printf (_("Refused: %s"), error);
      return g_strdup (_("Refused by the broker"));

    default:
      g_assert_not_reached ();
    }
}

/* The state, in a live row only. */
static void
update_state (AntennaSubscriptionRow *self)
{
  g_autofree char *state = NULL;
  gboolean refused = FALSE;

  if (self->live && self->subscription != NULL)
    {
      state = describe_state (self->subscription);
      refused = antenna_subscription_get_state (self->subscription) == ANTENNA_SUBSCRIPTION_STATE_REFUSED;
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), state);
  /* What a screen reader says after the filter: the state and QoS. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, state != NULL ? state : "",
                                  -1);
  if (self->subscription != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    antenna_subscription_get_paused (self->subscription)
                                    ? _("Show Its Messages Again") : _("Pause (Hide Its Messages)"),
                                    -1);
  if (refused)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
}

/* Accessible names cannot be bound in a template. */
static void
update_remove_label (AntennaSubscriptionRow *self)
{
  g_autofree char *label = NULL;

  if (self->subscription == NULL)
    return;

  if (self->live)
    label = g_strdup (_("Unsubscribe"));
  else
    /* Translators: the accessible name of a button that removes a topic filter. */
    label = g_strdup_printf (_("Remove “%s”"), antenna_subscription_get_filter (self->subscription));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->remove_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* Closures of the template */

static double
paused_opacity (AntennaSubscriptionRow *self,
                gboolean                paused)
{
  return paused ? 0.35 : 1.0;
}

static char *
pause_icon_name (AntennaSubscriptionRow *self,
                 gboolean                paused)
{
  return g_strdup (paused ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
}

static char *
pause_tooltip (AntennaSubscriptionRow *self,
               gboolean                paused)
{
  return g_strdup (paused ? _("Show Its Messages Again") : _("Pause (Hide Its Messages)"));
}

static gboolean
invert_boolean (AntennaSubscriptionRow *self,
                gboolean                value)
{
  return !value;
}

/* Signal callbacks */

static void
on_qos_selected_cb (AntennaSubscriptionRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->qos_dropdown);

  /* The other way is bound in the template. */
  if (self->subscription != NULL && selected <= 2)
    antenna_subscription_set_qos (self->subscription, (int) selected);
}

static void
on_state_changed_cb (AntennaSubscriptionRow *self)
{
  update_state (self);
  antenna_subscription_row_show_count (self);
}

/* Overrides */

static void
antenna_subscription_row_dispose (GObject *object)
{
  AntennaSubscriptionRow *self = ANTENNA_SUBSCRIPTION_ROW (object);

  if (self->subscription != NULL)
    g_signal_handlers_disconnect_by_data (self->subscription, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_SUBSCRIPTION_ROW);

  g_clear_object (&self->subscription);

  G_OBJECT_CLASS (antenna_subscription_row_parent_class)->dispose (object);
}

static void
antenna_subscription_row_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  AntennaSubscriptionRow *self = ANTENNA_SUBSCRIPTION_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBSCRIPTION:
      g_value_set_object (value, self->subscription);
      break;

    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_subscription_row_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  AntennaSubscriptionRow *self = ANTENNA_SUBSCRIPTION_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBSCRIPTION:
      antenna_subscription_row_set_subscription (self, g_value_get_object (value));
      break;

    case PROP_LIVE:
      antenna_subscription_row_set_live (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_subscription_row_class_init (AntennaSubscriptionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_subscription_row_dispose;
  object_class->get_property = antenna_subscription_row_get_property;
  object_class->set_property = antenna_subscription_row_set_property;

  properties[PROP_SUBSCRIPTION] =
    g_param_spec_object ("subscription", NULL, NULL,
                         ANTENNA_TYPE_SUBSCRIPTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ANTENNA_TYPE_COLOR_DOT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-subscription-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionRow, dot);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionRow, qos_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionRow, count_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionRow, rate_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionRow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaSubscriptionRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, paused_opacity);
  gtk_widget_class_bind_template_callback (widget_class, pause_icon_name);
  gtk_widget_class_bind_template_callback (widget_class, pause_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, invert_boolean);
  gtk_widget_class_bind_template_callback (widget_class, on_qos_selected_cb);
}

static void
antenna_subscription_row_init (AntennaSubscriptionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Saved rows have no colour dot: hide its box too, or its spacing would
   * shift the title. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->dot)), self->live);
}

/* Public API */

GtkWidget *
antenna_subscription_row_new (AntennaSubscription *subscription,
                              gboolean             live)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (subscription), NULL);

  return g_object_new (ANTENNA_TYPE_SUBSCRIPTION_ROW,
                       "live", live,
                       "subscription", subscription,
                       NULL);
}

AntennaSubscription *
antenna_subscription_row_get_subscription (AntennaSubscriptionRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION_ROW (self), NULL);

  return self->subscription;
}

void
antenna_subscription_row_set_subscription (AntennaSubscriptionRow *self,
                                           AntennaSubscription    *subscription)
{
  const char *filter;

  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION_ROW (self));
  g_return_if_fail (!subscription || ANTENNA_IS_SUBSCRIPTION (subscription));

  if (self->subscription == subscription)
    return;

  if (self->subscription != NULL)
    g_signal_handlers_disconnect_by_data (self->subscription, self);
  g_set_object (&self->subscription, subscription);

  if (subscription != NULL)
    {
      static const char * const state_properties[] = {
        "notify::state", "notify::paused", "notify::granted-qos", "notify::error",
      };

      /* A subscription's filter never changes. */
      filter = antenna_subscription_get_filter (subscription);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), filter);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->pause_button), "s", filter);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "s", filter);

      for (guint i = 0; i < G_N_ELEMENTS (state_properties); i++)
        g_signal_connect_object (subscription, state_properties[i],
                                 G_CALLBACK (on_state_changed_cb), self,
                                 G_CONNECT_SWAPPED);
      update_remove_label (self);
      antenna_subscription_row_show_count (self);
    }
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIPTION]);
}

gboolean
antenna_subscription_row_get_live (AntennaSubscriptionRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION_ROW (self), FALSE);

  return self->live;
}

void
antenna_subscription_row_set_live (AntennaSubscriptionRow *self,
                                   gboolean                live)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION_ROW (self));

  live = !!live;
  if (self->live == live)
    return;

  self->live = live;
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->dot)), live);
  update_remove_label (self);
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

gboolean
antenna_subscription_row_count_is_stale (AntennaSubscriptionRow *self)
{
  char text[32];
  char rate[32];

  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION_ROW (self), FALSE);

  return format_count (self, text, rate);
}

gboolean
antenna_subscription_row_show_count (AntennaSubscriptionRow *self)
{
  char text[32];
  char rate[32];

  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION_ROW (self), FALSE);

  if (!format_count (self, text, rate))
    return FALSE;

  gtk_label_set_label (self->count_label, text);
  gtk_label_set_label (self->rate_label, rate);
  gtk_widget_set_visible (GTK_WIDGET (self->rate_label), rate[0] != '\0');

  return TRUE;
}
