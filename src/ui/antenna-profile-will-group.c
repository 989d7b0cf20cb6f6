/* antenna-profile-will-group.c
 *
 * The will's payload is bytes in the profile and text in the row: a payload
 * that is not text is kept as it is until a text is typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-will-group"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-profile.h"
#include "antenna-profile-will-group.h"
#include "antenna-properties-editor.h"
#include "antenna-topic.h"

struct _AntennaProfileWillGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  AdwEntryRow               *will_topic_row;
  AdwEntryRow               *will_payload_row;
  AdwComboRow               *will_qos_row;
  GtkSwitch                 *will_retain_switch;
  GtkAdjustment             *will_delay_adjustment;
  AntennaPropertiesEditor   *will_properties_editor;

  /* The editor is being filled from the profile: its changes are not edits. */
  gboolean                   loading;
  GtkLabel                  *will_error;
};

G_DEFINE_FINAL_TYPE (AntennaProfileWillGroup, antenna_profile_will_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

static void
on_will_payload_changed_cb (AntennaProfileWillGroup *self)
{
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->will_payload_row));
  g_autoptr(GBytes) payload = NULL;

  if (profile == NULL)
    return;

  if (text[0] != '\0')
    payload = g_bytes_new (text, strlen (text));

  antenna_profile_set_will_payload (profile, payload);
}

/* The will's delay and properties are MQTT 5's (the automatic version tries 5 first). */
static gboolean
is_mqtt_5 (AntennaProfileWillGroup *self,
           AntennaMqttVersion       version)
{
  return version != ANTENNA_MQTT_VERSION_3_1_1;
}

static char *
will_delay_subtitle (AntennaProfileWillGroup *self,
                     AntennaMqttVersion       version)
{
  if (version == ANTENNA_MQTT_VERSION_3_1_1)
    return g_strdup (_("Not sent: this connection uses MQTT 3.1.1"));
  return g_strdup (_("Seconds the broker waits before it publishes the will; a reconnection in time cancels it"));
}

static char *
will_properties_subtitle (AntennaProfileWillGroup *self,
                          AntennaMqttVersion       version)
{
  if (version == ANTENNA_MQTT_VERSION_3_1_1)
    return g_strdup (_("Not sent: this connection uses MQTT 3.1.1"));
  return g_strdup (_("Content type, payload format, expiry, response topic, correlation data, user properties"));
}

static void
on_will_properties_changed_cb (AntennaProfileWillGroup *self)
{
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
  g_autoptr(AntennaProperties) props = NULL;

  if (profile == NULL || self->loading)
    return;
  props = antenna_properties_editor_dup_properties (self->will_properties_editor);
  antenna_profile_set_will_properties (profile, props);
  antenna_profile_editor_group_emit_changed (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

/* The other way is bound in the template. */
static void
on_qos_selected_cb (AntennaProfileWillGroup *self)
{
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
  guint selected = adw_combo_row_get_selected (self->will_qos_row);

  if (profile != NULL && selected <= 2)
    antenna_profile_set_will_qos (profile, (int) selected);
}

static void
antenna_profile_will_group_bind (AntennaProfileEditorGroup *group,
                                 AntennaProfile            *profile)
{
  AntennaProfileWillGroup *self = ANTENNA_PROFILE_WILL_GROUP (group);
  GBytes *payload;

  antenna_profile_editor_group_bind_property (group, "will-topic", self->will_topic_row, "text");
  antenna_profile_editor_group_bind_property (group, "will-retain", self->will_retain_switch, "active");
  antenna_profile_editor_group_bind_property (group, "will-delay-interval", self->will_delay_adjustment, "value");
  self->loading = TRUE;
  antenna_properties_editor_set_properties (self->will_properties_editor,
                                            antenna_profile_get_will_properties (profile));
  self->loading = FALSE;

  payload = antenna_profile_get_will_payload (profile);
  if (payload != NULL && g_bytes_get_size (payload) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (payload, &size);

      if (g_utf8_validate (data, size, NULL) && memchr (data, '\0', size) == NULL)
        {
          g_autofree char *text = g_strndup (data, size);
          gtk_editable_set_text (GTK_EDITABLE (self->will_payload_row), text);
        }
    }
}

static gboolean
antenna_profile_will_group_validate (AntennaProfileEditorGroup *group)
{
  AntennaProfileWillGroup *self = ANTENNA_PROFILE_WILL_GROUP (group);
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *topic = gtk_editable_get_text (GTK_EDITABLE (self->will_topic_row));

  const char *response_error = antenna_properties_editor_get_response_topic_error (self->will_properties_editor);

  if (topic[0] != '\0' && !antenna_topic_validate_name (topic, -1, &error))
    message = g_strdup_printf (_("The will topic is not valid: %s"), error->message);
  antenna_profile_editor_group_check_row (GTK_WIDGET (self->will_topic_row), message, errors);
  if (response_error != NULL)
    {
      if (errors->len > 0)
        g_string_append_c (errors, '\n');
      g_string_append_printf (errors, _("The will’s response topic is not valid: %s"), response_error);
    }

  return antenna_profile_editor_group_show_errors (self->will_error, errors);
}

static void
antenna_profile_will_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_WILL_GROUP);

  G_OBJECT_CLASS (antenna_profile_will_group_parent_class)->dispose (object);
}

static void
antenna_profile_will_group_class_init (AntennaProfileWillGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_will_group_dispose;

  group_class->bind = antenna_profile_will_group_bind;
  group_class->validate = antenna_profile_will_group_validate;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-will-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileWillGroup, will_topic_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileWillGroup, will_payload_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileWillGroup, will_qos_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileWillGroup, will_retain_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileWillGroup, will_error);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileWillGroup, will_delay_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileWillGroup, will_properties_editor);
  gtk_widget_class_bind_template_child_full (widget_class, "will_delay_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "will_properties_row", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, is_mqtt_5);
  gtk_widget_class_bind_template_callback (widget_class, will_delay_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, will_properties_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, on_will_properties_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_will_payload_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_qos_selected_cb);
}

static void
antenna_profile_will_group_init (AntennaProfileWillGroup *self)
{
  g_type_ensure (ANTENNA_TYPE_PROPERTIES_EDITOR);
  GtkWidget *row;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* AdwExpanderRow puts the editor in a GtkListBoxRow of its own, which
   * GTK 4.8 leaves without a name for a screen reader. */
  row = gtk_widget_get_parent (GTK_WIDGET (self->will_properties_editor));
  if (GTK_IS_LIST_BOX_ROW (row))
    gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Will Properties"),
                                    -1);
}
