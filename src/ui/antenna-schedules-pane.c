/* antenna-schedules-pane.c: the repeating publishes of a connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-schedules-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-decoder.h"
#include "antenna-load-test-window.h"
#include "antenna-profile.h"
#include "antenna-publish-schedule.h"
#include "antenna-template.h"
#include "antenna-template-store.h"
#include "antenna-schedule-row.h"
#include "antenna-schedules-pane.h"

struct _AntennaSchedulesPane
{
  AdwBin         parent_instance;

  /* Template Widgets */
  GtkStack      *stack;
  GtkListBox    *list_box;

  /* Owned References */
  AntennaClient *client;
  GListStore    *schedules;
  AntennaTemplateStore *template_store;

  gboolean       autostarted;
};

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaSchedulesPane, antenna_schedules_pane, ADW_TYPE_BIN)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return antenna_schedule_row_new (item);
}

static void
update_page (AntennaSchedulesPane *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->schedules)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static void
start_template (AntennaSchedulesPane *self,
                AntennaTemplate      *template)
{
  guint64 count = 0;
  guint jitter = 0;
  guint interval = antenna_template_get_repeat (template, &count, &jitter);
  AntennaPayloadFormat format = antenna_template_get_payload_format (template);
  GBytes *payload = antenna_template_get_payload (template);
  g_autofree char *text = NULL;
  g_autoptr(AntennaPublishSchedule) schedule = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  if (interval == 0)
    return;
  /* typed text keeps its placeholders; hex and Base64 are bytes already */
  if (format == ANTENNA_PAYLOAD_FORMAT_TEXT || format == ANTENNA_PAYLOAD_FORMAT_JSON)
    text = g_strndup (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  schedule = antenna_publish_schedule_new (self->client, antenna_template_get_topic (template), text,
                                           payload, format, antenna_template_get_qos (template),
                                           antenna_template_get_retain (template),
                                           antenna_template_get_properties (template),
                                           interval, count, jitter, &error);
  if (schedule == NULL)
    {
      g_debug ("Template “%s” not started: %s", antenna_template_get_name (template), error->message);
      return;
    }
  antenna_publish_schedule_set_encoder (schedule, antenna_decoder_find (antenna_template_get_send_as (template)));
  /* the setting holds for every repeat, as for the composer's */
  settings = g_settings_new (APP_ID);
  antenna_publish_schedule_set_resume_on_reconnect (schedule,
                                                    g_settings_get_boolean (settings, "repeat-resume-on-reconnect"));
  g_list_store_append (self->schedules, schedule);
  antenna_publish_schedule_start (schedule);
}

/* The setting repeat-templates-autostart: once connected, once per pane. */
static void
maybe_autostart (AntennaSchedulesPane *self)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GListModel) templates = NULL;
  AntennaTemplateStore *store;

  if (self->autostarted || self->client == NULL ||
      antenna_client_get_state (self->client) != ANTENNA_CLIENT_STATE_CONNECTED)
    return;
  settings = g_settings_new (APP_ID);
  if (!g_settings_get_boolean (settings, "repeat-templates-autostart"))
    return;

  self->autostarted = TRUE;
  store = self->template_store != NULL ? self->template_store : antenna_template_store_get_default ();
  templates = antenna_template_store_list_for_profile (store, antenna_profile_get_id (antenna_client_get_profile (self->client)));
  for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(AntennaTemplate) template = g_list_model_get_item (templates, i);

      start_template (self, template);
    }
}

static void
load_test_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AntennaSchedulesPane *self = ANTENNA_SCHEDULES_PANE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *window = antenna_load_test_window_new (self->client, NULL);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

static void
antenna_schedules_pane_constructed (GObject *object)
{
  AntennaSchedulesPane *self = ANTENNA_SCHEDULES_PANE (object);

  G_OBJECT_CLASS (antenna_schedules_pane_parent_class)->constructed (object);

  self->schedules = g_object_ref (antenna_publish_schedule_list_for_client (self->client));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->schedules), create_row, self, NULL);
  g_signal_connect_object (self->schedules, "items-changed", G_CALLBACK (update_page),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::state", G_CALLBACK (maybe_autostart),
                           self, G_CONNECT_SWAPPED);
  update_page (self);
  maybe_autostart (self);
}

static void
antenna_schedules_pane_dispose (GObject *object)
{
  AntennaSchedulesPane *self = ANTENNA_SCHEDULES_PANE (object);

  /* The schedules refer to the client, which keeps the list: end the cycle. */
  if (self->schedules != NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->schedules)); i++)
        {
          g_autoptr(AntennaPublishSchedule) schedule = g_list_model_get_item (G_LIST_MODEL (self->schedules), i);

          antenna_publish_schedule_stop (schedule);
        }
      g_signal_handlers_disconnect_by_data (self->schedules, self);
      if (self->list_box != NULL)
        gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
      g_list_store_remove_all (self->schedules);
    }

  /* the box is AdwBin's child: AdwBin lets it go, not the template */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_SCHEDULES_PANE);
  g_clear_object (&self->schedules);
  g_clear_object (&self->template_store);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (antenna_schedules_pane_parent_class)->dispose (object);
}

static void
antenna_schedules_pane_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AntennaSchedulesPane *self = ANTENNA_SCHEDULES_PANE (object);

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
antenna_schedules_pane_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AntennaSchedulesPane *self = ANTENNA_SCHEDULES_PANE (object);

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
antenna_schedules_pane_class_init (AntennaSchedulesPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_schedules_pane_constructed;
  object_class->dispose = antenna_schedules_pane_dispose;
  object_class->get_property = antenna_schedules_pane_get_property;
  object_class->set_property = antenna_schedules_pane_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, ANTENNA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-schedules-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaSchedulesPane, stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaSchedulesPane, list_box);
  gtk_widget_class_install_action (widget_class, "schedules.load-test", NULL, load_test_action);
}

static void
antenna_schedules_pane_init (AntennaSchedulesPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_schedules_pane_new (AntennaClient *client)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  return g_object_new (ANTENNA_TYPE_SCHEDULES_PANE, "client", client, NULL);
}

void
antenna_schedules_pane_set_template_store (AntennaSchedulesPane *self,
                                           AntennaTemplateStore *store)
{
  g_return_if_fail (ANTENNA_IS_SCHEDULES_PANE (self));

  /* a new store: its templates are looked at (the app sets none) */
  if (g_set_object (&self->template_store, store))
    self->autostarted = FALSE;
  maybe_autostart (self);
}
