/* antenna-properties-editor.c: the MQTT 5 properties of a message to publish
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-properties-editor"

#include "config.h"

#include <string.h>

#include "antenna-properties-editor.h"
#include "antenna-topic.h"
#include "antenna-user-property-row.h"

struct _AntennaPropertiesEditor
{
  GtkGrid        parent_instance;

  /* Template Widgets */
  GtkEntry      *content_type_entry;
  GtkDropDown   *payload_format_dropdown;
  GtkEntry      *response_topic_entry;
  GtkSpinButton *expiry_spin;
  GtkEntry      *correlation_entry;
  GtkBox        *user_properties_box;

  /* Owned References */
  char          *response_topic_error;
};

enum {
  PROP_0,
  PROP_RESPONSE_TOPIC,
  PROP_RESPONSE_TOPIC_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaPropertiesEditor, antenna_properties_editor, GTK_TYPE_GRID)

static void
on_response_topic_changed_cb (AntennaPropertiesEditor *self)
{
  const char *topic = gtk_editable_get_text (GTK_EDITABLE (self->response_topic_entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  if (topic[0] != '\0' && !antenna_topic_validate_name (topic, -1, &error))
    why = g_strdup (error->message);

  if (why != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->response_topic_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->response_topic_entry), "error");

  if (g_strcmp0 (why, self->response_topic_error) != 0)
    {
      g_free (self->response_topic_error);
      self->response_topic_error = g_steal_pointer (&why);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONSE_TOPIC_ERROR]);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONSE_TOPIC]);
}

static void
emit_changed (AntennaPropertiesEditor *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_user_property_remove_cb (AntennaPropertiesEditor *self,
                            GtkWidget               *row)
{
  gtk_box_remove (self->user_properties_box, row);
  emit_changed (self);
}

static void
clear_user_properties (AntennaPropertiesEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->user_properties_box))) != NULL)
    gtk_box_remove (self->user_properties_box, child);
}

static void
add_user_property_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  antenna_properties_editor_add_user_property (ANTENNA_PROPERTIES_EDITOR (widget), NULL, NULL);
}

static void
antenna_properties_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROPERTIES_EDITOR);

  G_OBJECT_CLASS (antenna_properties_editor_parent_class)->dispose (object);
}

static void
antenna_properties_editor_finalize (GObject *object)
{
  AntennaPropertiesEditor *self = ANTENNA_PROPERTIES_EDITOR (object);

  g_clear_pointer (&self->response_topic_error, g_free);

  G_OBJECT_CLASS (antenna_properties_editor_parent_class)->finalize (object);
}

static void
antenna_properties_editor_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AntennaPropertiesEditor *self = ANTENNA_PROPERTIES_EDITOR (object);

  switch (prop_id)
    {
    case PROP_RESPONSE_TOPIC:
      g_value_set_string (value, antenna_properties_editor_get_response_topic (self));
      break;

    case PROP_RESPONSE_TOPIC_ERROR:
      g_value_set_string (value, self->response_topic_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_properties_editor_class_init (AntennaPropertiesEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_properties_editor_dispose;
  object_class->finalize = antenna_properties_editor_finalize;
  object_class->get_property = antenna_properties_editor_get_property;

  properties[PROP_RESPONSE_TOPIC] =
    g_param_spec_string ("response-topic", NULL, NULL, "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RESPONSE_TOPIC_ERROR] =
    g_param_spec_string ("response-topic-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-properties-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaPropertiesEditor, content_type_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaPropertiesEditor, payload_format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaPropertiesEditor, response_topic_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaPropertiesEditor, expiry_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaPropertiesEditor, correlation_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaPropertiesEditor, user_properties_box);
  gtk_widget_class_bind_template_callback (widget_class, on_response_topic_changed_cb);

  gtk_widget_class_install_action (widget_class, "properties-editor.add-user-property", NULL, add_user_property_action);

  /**
   * AntennaPropertiesEditor::changed:
   *
   * Any property was edited (a row added or removed too), or set_properties() was called.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
antenna_properties_editor_init (AntennaPropertiesEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->content_type_entry, "changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->response_topic_entry, "changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->correlation_entry, "changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->payload_format_dropdown, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->expiry_spin, "value-changed", G_CALLBACK (emit_changed), self);
}

GtkWidget *
antenna_properties_editor_new (void)
{
  return g_object_new (ANTENNA_TYPE_PROPERTIES_EDITOR, NULL);
}

AntennaProperties *
antenna_properties_editor_dup_properties (AntennaPropertiesEditor *self)
{
  g_autoptr(AntennaProperties) props = NULL;
  const char *text;
  guint format;
  double expiry;

  g_return_val_if_fail (ANTENNA_IS_PROPERTIES_EDITOR (self), NULL);

  props = antenna_properties_new ();

  text = gtk_editable_get_text (GTK_EDITABLE (self->content_type_entry));
  if (text[0] != '\0')
    props->content_type = g_strdup (text);

  format = gtk_drop_down_get_selected (self->payload_format_dropdown);
  if (format == 1 || format == 2)
    props->payload_format = format - 1;

  text = gtk_editable_get_text (GTK_EDITABLE (self->response_topic_entry));
  if (text[0] != '\0')
    props->response_topic = g_strdup (text);

  text = gtk_editable_get_text (GTK_EDITABLE (self->correlation_entry));
  if (text[0] != '\0')
    props->correlation_data = g_bytes_new (text, strlen (text));

  expiry = gtk_spin_button_get_value (self->expiry_spin);
  if (expiry > 0)
    props->message_expiry = (gint64) expiry;

  /* The box holds only rows, in the order they were added. */
  antenna_user_property_rows_collect (GTK_WIDGET (self->user_properties_box), props);

  if (antenna_properties_is_empty (props))
    return NULL;

  return g_steal_pointer (&props);
}

void
antenna_properties_editor_set_properties (AntennaPropertiesEditor *self,
                                          AntennaProperties       *props)
{
  g_return_if_fail (ANTENNA_IS_PROPERTIES_EDITOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->content_type_entry),
                         props && props->content_type ? props->content_type : "");
  gtk_drop_down_set_selected (self->payload_format_dropdown,
                              props && props->payload_format >= 0 ? props->payload_format + 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->response_topic_entry),
                         props && props->response_topic ? props->response_topic : "");
  gtk_spin_button_set_value (self->expiry_spin,
                             props && props->message_expiry > 0 ? props->message_expiry : 0);

  if (props && props->correlation_data != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (props->correlation_data, &size);
      g_autofree char *text = g_utf8_make_valid (data != NULL ? data : "", size);

      gtk_editable_set_text (GTK_EDITABLE (self->correlation_entry), text);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->correlation_entry), "");

  clear_user_properties (self);
  if (props != NULL)
    for (guint i = 0; i + 1 < props->user_properties->len; i += 2)
      antenna_properties_editor_add_user_property (self,
                                                   g_ptr_array_index (props->user_properties, i),
                                                   g_ptr_array_index (props->user_properties, i + 1));
}

void
antenna_properties_editor_add_user_property (AntennaPropertiesEditor *self,
                                             const char              *name,
                                             const char              *value)
{
  GtkWidget *row;

  g_return_if_fail (ANTENNA_IS_PROPERTIES_EDITOR (self));

  row = antenna_user_property_row_new (name, value);
  g_signal_connect_object (row, "remove", G_CALLBACK (on_user_property_remove_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "notify::name", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "notify::value", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->user_properties_box, row);
  emit_changed (self);

  if (name == NULL)
    gtk_widget_grab_focus (row);
}

const char *
antenna_properties_editor_get_response_topic (AntennaPropertiesEditor *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROPERTIES_EDITOR (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->response_topic_entry));
}

const char *
antenna_properties_editor_get_response_topic_error (AntennaPropertiesEditor *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROPERTIES_EDITOR (self), NULL);

  return self->response_topic_error;
}
