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
#include "antenna-topic.h"

struct _AntennaProfileWillGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  AdwEntryRow               *will_topic_row;
  AdwEntryRow               *will_payload_row;
  AdwComboRow               *will_qos_row;
  GtkSwitch                 *will_retain_switch;
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

  if (topic[0] != '\0' && !antenna_topic_validate_name (topic, -1, &error))
    message = g_strdup_printf (_("The will topic is not valid: %s"), error->message);
  antenna_profile_editor_group_check_row (GTK_WIDGET (self->will_topic_row), message, errors);

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
  gtk_widget_class_bind_template_callback (widget_class, on_will_payload_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_qos_selected_cb);
}

static void
antenna_profile_will_group_init (AntennaProfileWillGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
