/* antenna-profile-general-group.c
 *
 * The rows are bound to the profile; the port is typed as text, so it goes
 * to the profile only when it is a port, and the group says "changed" for
 * the editor to validate again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-general-group"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-profile.h"
#include "antenna-profile-general-group.h"

struct _AntennaProfileGeneralGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  AdwEntryRow               *name_row;
  AdwEntryRow               *host_row;
  AdwEntryRow               *port_row;
  AdwComboRow               *transport_row;
  AdwEntryRow               *ws_path_row;
  AdwComboRow               *version_row;
  AdwEntryRow               *client_id_row;
  GtkLabel                  *general_error;
};

G_DEFINE_FINAL_TYPE (AntennaProfileGeneralGroup, antenna_profile_general_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

static AntennaProfile *
get_profile (AntennaProfileGeneralGroup *self)
{
  return antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

/* Parses the port as typed; 0 when it is not a port. */
static guint
parse_port (const char *text)
{
  guint64 port = 0;

  if (text == NULL || text[0] == '\0')
    return 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &port, NULL))
    return 0;

  return (guint) port;
}

static void
update_port_text (AntennaProfileGeneralGroup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  guint port = antenna_profile_get_port (get_profile (self));

  if (parse_port (text) != port)
    {
      g_autofree char *str = g_strdup_printf ("%u", port);
      gtk_editable_set_text (GTK_EDITABLE (self->port_row), str);
    }
}

/* Closures of the template */

static gboolean
transport_is_websocket (AntennaProfileGeneralGroup *self,
                        AntennaTransport            transport)
{
  return transport == ANTENNA_TRANSPORT_WS || transport == ANTENNA_TRANSPORT_WSS;
}

/* The rows of the version, in this order. */
static const AntennaMqttVersion versions[] = {
  ANTENNA_MQTT_VERSION_AUTOMATIC, ANTENNA_MQTT_VERSION_5, ANTENNA_MQTT_VERSION_3_1_1,
};

static guint
version_to_selected (AntennaProfileGeneralGroup *self,
                     AntennaMqttVersion          version)
{
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    if (versions[i] == version)
      return i;

  return 0;
}

/* What the automatic version found last time. */
static char *
describe_version (AntennaProfileGeneralGroup *self,
                  AntennaMqttVersion          version,
                  AntennaMqttVersion          detected)
{
  if (version != ANTENNA_MQTT_VERSION_AUTOMATIC)
    return NULL;

  switch (detected)
    {
    case ANTENNA_MQTT_VERSION_5:
      return g_strdup (_("Automatic — the broker spoke MQTT 5 last time"));
    case ANTENNA_MQTT_VERSION_3_1_1:
      return g_strdup (_("Automatic — the broker spoke MQTT 3.1.1 last time"));
    case ANTENNA_MQTT_VERSION_AUTOMATIC:
    default:
      return g_strdup (_("Automatic — MQTT 5 first, then 3.1.1 if the broker does not speak 5"));
    }
}

/* Signal callbacks */

static void
on_port_changed_cb (AntennaProfileGeneralGroup *self)
{
  AntennaProfile *profile = get_profile (self);
  guint port = parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row)));

  if (profile == NULL)
    return;

  if (port != 0)
    antenna_profile_set_port (profile, port);

  antenna_profile_editor_group_emit_changed (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

/* The other way is bound in the template. */
static void
on_transport_selected_cb (AntennaProfileGeneralGroup *self)
{
  guint selected = adw_combo_row_get_selected (self->transport_row);

  if (get_profile (self) != NULL && selected <= ANTENNA_TRANSPORT_WSS)
    antenna_profile_set_transport (get_profile (self), (AntennaTransport) selected);
}

static void
on_version_selected_cb (AntennaProfileGeneralGroup *self)
{
  guint selected = adw_combo_row_get_selected (self->version_row);

  if (get_profile (self) != NULL && selected < G_N_ELEMENTS (versions))
    antenna_profile_set_mqtt_version (get_profile (self), versions[selected]);
}

static void
on_generate_client_id_clicked_cb (AntennaProfileGeneralGroup *self)
{
  g_autofree char *client_id = g_strdup_printf ("antenna-%08x", g_random_int ());

  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);
}

/* Overrides */

static void
antenna_profile_general_group_bind (AntennaProfileEditorGroup *group,
                                    AntennaProfile            *profile)
{
  AntennaProfileGeneralGroup *self = ANTENNA_PROFILE_GENERAL_GROUP (group);

  antenna_profile_editor_group_bind_property (group, "name", self->name_row, "text");
  antenna_profile_editor_group_bind_property (group, "host", self->host_row, "text");
  antenna_profile_editor_group_bind_property (group, "ws-path", self->ws_path_row, "text");
  antenna_profile_editor_group_bind_property (group, "client-id", self->client_id_row, "text");

  /* A transport may move the port. */
  g_signal_connect_object (profile, "notify::port",
                           G_CALLBACK (update_port_text), self,
                           G_CONNECT_SWAPPED);
  update_port_text (self);
}

static gboolean
antenna_profile_general_group_validate (AntennaProfileEditorGroup *group)
{
  AntennaProfileGeneralGroup *self = ANTENNA_PROFILE_GENERAL_GROUP (group);
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autofree char *host = NULL;
  const char *ws_path;
  gboolean is_ws;

  is_ws = transport_is_websocket (self, antenna_profile_get_transport (get_profile (self)));

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  antenna_profile_editor_group_check_row (GTK_WIDGET (self->host_row),
                                          host[0] == '\0' ? _("Enter the host name or address of the broker.") : NULL,
                                          errors);

  antenna_profile_editor_group_check_row (GTK_WIDGET (self->port_row),
                                          parse_port (gtk_editable_get_text (GTK_EDITABLE (self->port_row))) == 0
                                            ? _("The port must be a number from 1 to 65535.") : NULL,
                                          errors);

  ws_path = gtk_editable_get_text (GTK_EDITABLE (self->ws_path_row));
  antenna_profile_editor_group_check_row (GTK_WIDGET (self->ws_path_row),
                                          is_ws && ws_path[0] != '\0' && ws_path[0] != '/'
                                            ? _("The WebSocket path must start with “/”.") : NULL,
                                          errors);

  return antenna_profile_editor_group_show_errors (self->general_error, errors);
}

static gboolean
antenna_profile_general_group_grab_focus (GtkWidget *widget)
{
  AntennaProfileGeneralGroup *self = ANTENNA_PROFILE_GENERAL_GROUP (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
antenna_profile_general_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_GENERAL_GROUP);

  G_OBJECT_CLASS (antenna_profile_general_group_parent_class)->dispose (object);
}

static void
antenna_profile_general_group_class_init (AntennaProfileGeneralGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_general_group_dispose;

  widget_class->grab_focus = antenna_profile_general_group_grab_focus;

  group_class->bind = antenna_profile_general_group_bind;
  group_class->validate = antenna_profile_general_group_validate;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-general-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileGeneralGroup, name_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileGeneralGroup, host_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileGeneralGroup, port_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileGeneralGroup, transport_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileGeneralGroup, ws_path_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileGeneralGroup, version_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileGeneralGroup, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileGeneralGroup, general_error);
  gtk_widget_class_bind_template_callback (widget_class, transport_is_websocket);
  gtk_widget_class_bind_template_callback (widget_class, version_to_selected);
  gtk_widget_class_bind_template_callback (widget_class, describe_version);
  gtk_widget_class_bind_template_callback (widget_class, on_port_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_transport_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_version_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_generate_client_id_clicked_cb);
}

static void
antenna_profile_general_group_init (AntennaProfileGeneralGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
