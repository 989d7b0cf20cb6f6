/* antenna-preferences-window.c
 *
 * The two choices are GSettings actions, chosen with the radio items of a
 * menu; the button shows the label of the item whose target is the key's
 * value, so no code maps a value to a position or a name. The numbers are
 * bound to the settings' properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-preferences-window.h"

struct _AntennaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template Widgets */
  GtkMenuButton        *color_scheme_button;
  GtkMenuButton        *timestamp_format_button;
  GtkAdjustment        *message_log_adjustment;
  GtkAdjustment        *topic_history_adjustment;
  GtkAdjustment        *topic_memory_adjustment;
  GtkAdjustment        *payload_preview_adjustment;
  GtkSwitch            *record_all_switch;
  GtkSwitch            *repeat_resume_switch;
  GtkSwitch            *repeat_autostart_switch;
  GtkAdjustment        *capture_size_adjustment;

  /* Owned References */
  AntennaSettings      *settings;
};

G_DEFINE_FINAL_TYPE (AntennaPreferencesWindow, antenna_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The label of the item of @menu (or of its sections) with @target, or NULL. */
static char *
find_label (GMenuModel *menu,
            GVariant   *target)
{
  int n = g_menu_model_get_n_items (menu);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GVariant) item_target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      char *label = NULL;

      if (item_target != NULL && g_variant_equal (item_target, target))
        g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      else if (section != NULL)
        label = find_label (section, target);

      if (label != NULL)
        return label;
    }

  return NULL;
}

/* Shows in @button the choice of its menu that is the state of @action. */
static void
show_choice (GtkMenuButton *button,
             GParamSpec    *pspec,
             GAction       *action)
{
  g_autoptr(GVariant) state = g_action_get_state (action);
  g_autofree char *label = find_label (gtk_menu_button_get_menu_model (button), state);

  gtk_label_set_label (GTK_LABEL (gtk_menu_button_get_child (button)), label != NULL ? label : "");
}

/* @key as an action of @actions, chosen in the menu of @button. */
static void
add_choice (AntennaPreferencesWindow *self,
            GActionMap               *actions,
            const char               *key,
            GtkMenuButton            *button)
{
  g_autoptr(GAction) action = antenna_settings_create_action (self->settings, key);

  g_action_map_add_action (actions, action);
  g_signal_connect_object (action, "notify::state",
                           G_CALLBACK (show_choice), button,
                           G_CONNECT_SWAPPED);
  show_choice (button, NULL, action);
}

static gboolean
bytes_to_kib (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_value_set_double (to, g_value_get_uint (from) / 1024);
  return TRUE;
}

static gboolean
kib_to_bytes (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_double (from) * 1024);
  return TRUE;
}

static void
antenna_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (antenna_preferences_window_parent_class)->dispose (object);
}

static void
antenna_preferences_window_finalize (GObject *object)
{
  AntennaPreferencesWindow *self = (AntennaPreferencesWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (antenna_preferences_window_parent_class)->finalize (object);
}

static void
antenna_preferences_window_class_init (AntennaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_preferences_window_dispose;
  object_class->finalize = antenna_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, color_scheme_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, timestamp_format_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, message_log_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, topic_history_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, topic_memory_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, payload_preview_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, record_all_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, repeat_resume_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, repeat_autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaPreferencesWindow, capture_size_adjustment);
}

static void
antenna_preferences_window_init (AntennaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_preferences_window_new (GtkWindow       *parent,
                                AntennaSettings *settings)
{
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();
  AntennaPreferencesWindow *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ANTENNA_IS_SETTINGS (settings), NULL);

  self = g_object_new (ANTENNA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->settings = g_object_ref (settings);

  add_choice (self, G_ACTION_MAP (actions), "color-scheme", self->color_scheme_button);
  add_choice (self, G_ACTION_MAP (actions), "timestamp-format", self->timestamp_format_button);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "settings", G_ACTION_GROUP (actions));

  g_object_bind_property (settings, "message-log-limit", self->message_log_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "topic-history-limit", self->topic_history_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "topic-history-memory", self->topic_memory_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (settings, "payload-preview-size", self->payload_preview_adjustment, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               bytes_to_kib, kib_to_bytes, NULL, NULL);
  g_object_bind_property (settings, "record-all", self->record_all_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "capture-max-size", self->capture_size_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "repeat-resume-on-reconnect", self->repeat_resume_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "repeat-templates-autostart", self->repeat_autostart_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  return GTK_WIDGET (self);
}
