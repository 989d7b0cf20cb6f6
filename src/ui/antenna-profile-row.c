/* antenna-profile-row.c
 *
 * The state's dot, spinner and tooltip are bound to the row's state in the
 * template, and so is the menu, through the row's actions (each enabled
 * where its item belongs). Set here: the accessible names, which a template
 * cannot bind, and the labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-row"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-profile.h"
#include "antenna-profile-row.h"

struct _AntennaProfileRow
{
  GtkListBoxRow    parent_instance;

  /* Template Widgets */
  GtkStack        *state_stack;
  GtkImage        *state_dot;
  GtkSpinner      *state_spinner;
  GtkLabel        *name_label;
  GtkLabel        *address_label;
  GtkLabel        *failure_label;
  GtkMenuButton   *menu_button;

  /* Owned References */
  AntennaProfile  *profile;
  AntennaClient   *client;

  gulong           state_handler;
  gboolean         temporary;
};

G_DEFINE_FINAL_TYPE (AntennaProfileRow, antenna_profile_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_TEMPORARY,
  PROP_CLIENT,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
state_to_label (AntennaClientState state)
{
  switch (state)
    {
    case ANTENNA_CLIENT_STATE_CONNECTING:
      return _("Connecting");
    case ANTENNA_CLIENT_STATE_CONNECTED:
      return _("Connected");
    case ANTENNA_CLIENT_STATE_RECONNECTING:
      return _("Reconnecting");
    case ANTENNA_CLIENT_STATE_DISCONNECTED:
    default:
      return _("Disconnected");
    }
}

static gboolean
is_busy (AntennaClientState state)
{
  return state == ANTENNA_CLIENT_STATE_CONNECTING || state == ANTENNA_CLIENT_STATE_RECONNECTING;
}

/* What a template cannot bind: accessible names, and whether Connect or
 * Disconnect is in the menu. */
static void
update_state (AntennaProfileRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  AntennaClientState state = antenna_profile_row_get_state (self);
  const char *label = state_to_label (state);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_dot),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                  -1);

  gtk_widget_action_set_enabled (widget, "profile-row.connect", state == ANTENNA_CLIENT_STATE_DISCONNECTED);
  gtk_widget_action_set_enabled (widget, "profile-row.disconnect", state != ANTENNA_CLIENT_STATE_DISCONNECTED);
}

static void
update_labels (AntennaProfileRow *self)
{
  g_autofree char *address = antenna_profile_dup_display_address (self->profile);
  g_autofree char *name = antenna_profile_dup_display_name (self->profile);
  g_autofree char *menu_label = NULL;

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->address_label, address);

  /* Translators: the accessible name of the menu button of a connection row. */
  menu_label = g_strdup_printf (_("Menu of “%s”"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), menu_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

/* Closures of the template */

static char *
state_page (AntennaProfileRow  *self,
            AntennaClientState  state)
{
  return g_strdup (is_busy (state) ? "spinner" : "dot");
}

static char *
state_label (AntennaProfileRow  *self,
             AntennaClientState  state)
{
  return g_strdup (state_to_label (state));
}

static gboolean
state_is_busy (AntennaProfileRow  *self,
               AntennaClientState  state)
{
  return is_busy (state);
}

static GStrv
state_classes (AntennaProfileRow  *self,
               AntennaClientState  state)
{
  const char *classes[] = {
    "connection-state",
    state == ANTENNA_CLIENT_STATE_CONNECTED ? "connected" : "disconnected",
    NULL
  };

  return g_strdupv ((char **) classes);
}

/* The menu's actions: profile-row.X activates win.X-profile on the profile. */
static void
profile_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AntennaProfileRow *self = ANTENNA_PROFILE_ROW (widget);
  g_autofree char *window_action = NULL;

  g_assert (g_str_has_prefix (action_name, "profile-row."));

  window_action = g_strdup_printf ("win.%s-profile", action_name + strlen ("profile-row."));
  gtk_widget_activate_action (widget, window_action, "s", antenna_profile_get_id (self->profile));
}

static void
on_profile_notify_cb (AntennaProfileRow *self,
                      GParamSpec        *pspec,
                      AntennaProfile    *profile)
{
  update_labels (self);
}

static void
on_client_state_cb (AntennaProfileRow *self,
                    GParamSpec        *pspec,
                    AntennaClient     *client)
{
  AntennaClientState state = antenna_client_get_state (client);

  /* The last failure stays until the next attempt. */
  if (state == ANTENNA_CLIENT_STATE_CONNECTING || state == ANTENNA_CLIENT_STATE_CONNECTED)
    antenna_profile_row_set_failure (self, NULL);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
on_secondary_click_pressed_cb (AntennaProfileRow *self,
                               int                n_press,
                               double             x,
                               double             y,
                               GtkGestureClick   *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_menu_button_popup (self->menu_button);
}

static gboolean
show_menu (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  gtk_menu_button_popup (ANTENNA_PROFILE_ROW (widget)->menu_button);
  return TRUE;
}

static gboolean
delete_profile (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  AntennaProfileRow *self = ANTENNA_PROFILE_ROW (widget);

  gtk_widget_activate_action (widget, self->temporary ? "profile-row.close" : "profile-row.delete", NULL);
  return TRUE;
}

static void
antenna_profile_row_constructed (GObject *object)
{
  AntennaProfileRow *self = (AntennaProfileRow *)object;

  G_OBJECT_CLASS (antenna_profile_row_parent_class)->constructed (object);

  g_assert (ANTENNA_IS_PROFILE (self->profile));

  /* A connection opened from a URL can be saved or closed, a saved one
   * edited, duplicated, exported or deleted. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile-row.save", self->temporary);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile-row.close", self->temporary);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile-row.edit", !self->temporary);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile-row.duplicate", !self->temporary);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile-row.export", !self->temporary);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "profile-row.delete", !self->temporary);

  g_signal_connect_object (self->profile, "notify",
                           G_CALLBACK (on_profile_notify_cb), self,
                           G_CONNECT_SWAPPED);
  update_labels (self);
  update_state (self);
}

static void
antenna_profile_row_dispose (GObject *object)
{
  AntennaProfileRow *self = (AntennaProfileRow *)object;

  if (self->client != NULL)
    g_clear_signal_handler (&self->state_handler, self->client);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_PROFILE_ROW);

  G_OBJECT_CLASS (antenna_profile_row_parent_class)->dispose (object);
}

static void
antenna_profile_row_finalize (GObject *object)
{
  AntennaProfileRow *self = (AntennaProfileRow *)object;

  g_clear_object (&self->profile);

  G_OBJECT_CLASS (antenna_profile_row_parent_class)->finalize (object);
}

static void
antenna_profile_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AntennaProfileRow *self = ANTENNA_PROFILE_ROW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    case PROP_TEMPORARY:
      g_value_set_boolean (value, self->temporary);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_STATE:
      g_value_set_enum (value, antenna_profile_row_get_state (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_profile_row_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AntennaProfileRow *self = ANTENNA_PROFILE_ROW (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;

    case PROP_TEMPORARY:
      self->temporary = g_value_get_boolean (value);
      break;

    case PROP_CLIENT:
      antenna_profile_row_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_profile_row_class_init (AntennaProfileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_profile_row_constructed;
  object_class->dispose = antenna_profile_row_dispose;
  object_class->finalize = antenna_profile_row_finalize;
  object_class->get_property = antenna_profile_row_get_property;
  object_class->set_property = antenna_profile_row_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         ANTENNA_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPORARY] =
    g_param_spec_boolean ("temporary", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ANTENNA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       ANTENNA_TYPE_CLIENT_STATE, ANTENNA_CLIENT_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "profile-row.connect", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "profile-row.disconnect", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "profile-row.save", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "profile-row.edit", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "profile-row.duplicate", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "profile-row.export", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "profile-row.close", NULL, profile_action);
  gtk_widget_class_install_action (widget_class, "profile-row.delete", NULL, profile_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileRow, state_dot);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileRow, state_spinner);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileRow, address_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileRow, failure_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, state_page);
  gtk_widget_class_bind_template_callback (widget_class, state_label);
  gtk_widget_class_bind_template_callback (widget_class, state_is_busy);
  gtk_widget_class_bind_template_callback (widget_class, state_classes);
  gtk_widget_class_bind_template_callback (widget_class, on_secondary_click_pressed_cb);

  /* The menu from the keyboard, as in every GNOME list; Delete asks first. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, show_menu, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, show_menu, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0, delete_profile, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Delete, 0, delete_profile, NULL);
}

static void
antenna_profile_row_init (AntennaProfileRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_profile_row_new (AntennaProfile *profile,
                         gboolean        temporary)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (profile), NULL);

  return g_object_new (ANTENNA_TYPE_PROFILE_ROW,
                       "profile", profile,
                       "temporary", temporary,
                       NULL);
}

AntennaProfile *
antenna_profile_row_get_profile (AntennaProfileRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_ROW (self), NULL);

  return self->profile;
}

gboolean
antenna_profile_row_get_temporary (AntennaProfileRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_ROW (self), FALSE);

  return self->temporary;
}

AntennaClient *
antenna_profile_row_get_client (AntennaProfileRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_ROW (self), NULL);

  return self->client;
}

void
antenna_profile_row_set_client (AntennaProfileRow *self,
                                AntennaClient     *client)
{
  g_return_if_fail (ANTENNA_IS_PROFILE_ROW (self));
  g_return_if_fail (!client || ANTENNA_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (self->client != NULL)
    g_clear_signal_handler (&self->state_handler, self->client);
  g_set_object (&self->client, client);

  if (client != NULL)
    self->state_handler = g_signal_connect_object (client, "notify::state",
                                                   G_CALLBACK (on_client_state_cb), self,
                                                   G_CONNECT_SWAPPED);

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

AntennaClientState
antenna_profile_row_get_state (AntennaProfileRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_ROW (self), ANTENNA_CLIENT_STATE_DISCONNECTED);

  if (self->client == NULL)
    return ANTENNA_CLIENT_STATE_DISCONNECTED;

  return antenna_client_get_state (self->client);
}

/* Why the last attempt failed (NULL: it did not), under the address until
 * the next attempt; the whole sentence in its tooltip. */
void
antenna_profile_row_set_failure (AntennaProfileRow *self,
                                 const char        *message)
{
  g_autofree char *label = NULL;

  g_return_if_fail (ANTENNA_IS_PROFILE_ROW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->failure_label), message != NULL);
  if (message == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      update_state (self);
      return;
    }

  /* Translators: under a connection in the sidebar; %s says why. */
  label = g_strdup_printf (_("Failed: %s"), message);
  gtk_label_set_label (self->failure_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->failure_label), message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                  -1);
}

const char *
antenna_profile_row_get_failure (AntennaProfileRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->failure_label)))
    return NULL;
  return gtk_widget_get_tooltip_text (GTK_WIDGET (self->failure_label));
}
