/* antenna-schedule-row.c: one repeating publish in the connection's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-schedule-row"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-schedule-row.h"

struct _AntennaScheduleRow
{
  AdwActionRow            parent_instance;

  /* Owned References */
  AntennaPublishSchedule *schedule;
};

enum {
  PROP_0,
  PROP_SCHEDULE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaScheduleRow, antenna_schedule_row, ADW_TYPE_ACTION_ROW)

/* Closures of the .ui */

static char *
describe (AntennaScheduleRow   *self,
          AntennaScheduleState  state,
          guint64               sent,
          guint64               failed,
          double                rate,
          const char           *last_error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *what = NULL;
  guint interval;
  guint64 count;
  g_autofree char *sent_text = NULL;
  g_autofree char *count_text = NULL;
  g_autofree char *failed_text = NULL;

  if (self->schedule == NULL)
    return g_strdup ("");

  interval = antenna_publish_schedule_get_interval_ms (self->schedule);
  count = antenna_publish_schedule_get_count (self->schedule);

  switch (state)
    {
    case ANTENNA_SCHEDULE_STATE_RUNNING:
      what = NULL;
      break;
    case ANTENNA_SCHEDULE_STATE_PAUSED:
      what = _("Paused");
      break;
    case ANTENNA_SCHEDULE_STATE_WAITING:
      what = _("Waiting for the connection");
      break;
    case ANTENNA_SCHEDULE_STATE_FINISHED:
      what = _("Finished");
      break;
    case ANTENNA_SCHEDULE_STATE_STOPPED:
    default:
      what = _("Stopped");
      break;
    }
  if (what != NULL)
    g_string_append_printf (text, "%s · ", what);

  /* TRANSLATORS: "every 10 ms" */
  g_string_append_printf (text, _("every %u ms"), interval);
  g_string_append (text, " · ");
  sent_text = g_strdup_printf ("%" G_GUINT64_FORMAT, sent);
  count_text = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  failed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, failed);
  if (count > 0)
    /* TRANSLATORS: messages acknowledged of the messages to send */
    g_string_append_printf (text, _("%s of %s sent"), sent_text, count_text);
  else
    g_string_append_printf (text, _("%s sent"), sent_text);
  if (state == ANTENNA_SCHEDULE_STATE_RUNNING)
    {
      g_string_append (text, " · ");
      /* TRANSLATORS: messages a second */
      g_string_append_printf (text, _("%.1f/s"), rate);
    }
  if (failed > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, _("%s failed"), failed_text);
    }
  if (last_error != NULL)
    {
      g_string_append_c (text, '\n');
      /* TRANSLATORS: the last error of a repeating publish */
      g_string_append_printf (text, _("Last error: %s"), last_error);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_text (AntennaScheduleRow *self)
{
  g_autofree char *subtitle = describe (self,
                                        antenna_publish_schedule_get_state (self->schedule),
                                        antenna_publish_schedule_get_sent (self->schedule),
                                        antenna_publish_schedule_get_failed (self->schedule),
                                        antenna_publish_schedule_get_rate (self->schedule),
                                        antenna_publish_schedule_get_last_error (self->schedule));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
}

static gboolean
is_halted (AntennaScheduleState state)
{
  return state == ANTENNA_SCHEDULE_STATE_PAUSED || state == ANTENNA_SCHEDULE_STATE_STOPPED ||
         state == ANTENNA_SCHEDULE_STATE_FINISHED;
}

static char *
pause_icon (AntennaScheduleRow   *self,
            AntennaScheduleState  state)
{
  return g_strdup (is_halted (state) ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
}

static char *
pause_tooltip (AntennaScheduleRow   *self,
               AntennaScheduleState  state)
{
  if (state == ANTENNA_SCHEDULE_STATE_PAUSED)
    return g_strdup (_("Resume"));
  if (is_halted (state))
    return g_strdup (_("Start Again"));
  return g_strdup (_("Pause"));
}

/* Actions */

static void
toggle_pause_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AntennaScheduleRow *self = ANTENNA_SCHEDULE_ROW (widget);
  AntennaScheduleState state = antenna_publish_schedule_get_state (self->schedule);

  if (state == ANTENNA_SCHEDULE_STATE_RUNNING || state == ANTENNA_SCHEDULE_STATE_WAITING)
    antenna_publish_schedule_pause (self->schedule);
  else
    antenna_publish_schedule_start (self->schedule);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  antenna_publish_schedule_stop (ANTENNA_SCHEDULE_ROW (widget)->schedule);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AntennaScheduleRow *self = ANTENNA_SCHEDULE_ROW (widget);
  g_autoptr(AntennaPublishSchedule) schedule = g_object_ref (self->schedule);
  GListStore *list = antenna_publish_schedule_list_for_client (antenna_publish_schedule_get_client (schedule));
  guint position;

  antenna_publish_schedule_stop (schedule);
  if (g_list_store_find (list, schedule, &position))
    g_list_store_remove (list, position);
}

static void
antenna_schedule_row_dispose (GObject *object)
{
  AntennaScheduleRow *self = ANTENNA_SCHEDULE_ROW (object);

  if (self->schedule != NULL)
    g_signal_handlers_disconnect_by_data (self->schedule, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_SCHEDULE_ROW);
  g_clear_object (&self->schedule);

  G_OBJECT_CLASS (antenna_schedule_row_parent_class)->dispose (object);
}

static void
antenna_schedule_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AntennaScheduleRow *self = ANTENNA_SCHEDULE_ROW (object);

  switch (prop_id)
    {
    case PROP_SCHEDULE:
      g_value_set_object (value, self->schedule);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_schedule_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AntennaScheduleRow *self = ANTENNA_SCHEDULE_ROW (object);

  switch (prop_id)
    {
    case PROP_SCHEDULE:
      self->schedule = g_value_dup_object (value);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                     antenna_publish_schedule_get_topic (self->schedule));
      g_signal_connect_object (self->schedule, "notify", G_CALLBACK (update_text),
                               self, G_CONNECT_SWAPPED);
      update_text (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_schedule_row_class_init (AntennaScheduleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_schedule_row_dispose;
  object_class->get_property = antenna_schedule_row_get_property;
  object_class->set_property = antenna_schedule_row_set_property;

  properties[PROP_SCHEDULE] =
    g_param_spec_object ("schedule", NULL, NULL, ANTENNA_TYPE_PUBLISH_SCHEDULE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-schedule-row.ui");
  gtk_widget_class_bind_template_callback (widget_class, pause_icon);
  gtk_widget_class_bind_template_callback (widget_class, pause_tooltip);

  gtk_widget_class_install_action (widget_class, "schedule.toggle-pause", NULL, toggle_pause_action);
  gtk_widget_class_install_action (widget_class, "schedule.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "schedule.remove", NULL, remove_action);
}

static void
antenna_schedule_row_init (AntennaScheduleRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_schedule_row_new (AntennaPublishSchedule *schedule)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (schedule), NULL);

  return g_object_new (ANTENNA_TYPE_SCHEDULE_ROW, "schedule", schedule, NULL);
}

AntennaPublishSchedule *
antenna_schedule_row_get_schedule (AntennaScheduleRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_SCHEDULE_ROW (self), NULL);

  return self->schedule;
}
