/* antenna-publish-schedule.c: a message published again and again on one connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-schedule"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-placeholders.h"
#include "antenna-properties.h"
#include "antenna-publish-schedule.h"

/* How often the counters and the rate are notified while running. */
#define NOTIFY_INTERVAL_MS 250

struct _AntennaPublishSchedule
{
  GObject                parent_instance;

  /* Owned References */
  AntennaClient         *client;
  AntennaPlaceholders   *topic;
  AntennaPlaceholders   *payload;   /* NULL: payload_bytes */
  GBytes                *payload_bytes;
  AntennaProperties     *properties;
  GRand                 *jitter_rand;
  char                  *topic_text;
  char                  *last_error;

  int                    qos;
  gboolean               retain;
  guint                  interval_ms;
  guint64                count;
  guint                  jitter_ms;
  gboolean               resume_on_reconnect;

  AntennaScheduleState   state;
  /* Messages made (handed to the client), acknowledged, failed. */
  guint64                made;
  guint64                sent;
  guint64                failed;
  guint                  in_flight;
  /* A tick found the window full: the next completion sends. */
  gboolean               blocked;
  /* Bumped by stop and start, so that a completion of an earlier run still
   * counts but does not send the next message of this one. */
  guint                  run;

  gint64                 next_due_us;
  guint                  tick_id;
  guint                  notify_id;

  /* rate: acknowledged messages over the last notify periods */
  double                 rate;
  guint64                rate_sent;
  gint64                 rate_time_us;
  guint64                notified_sent;
  guint64                notified_failed;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_TOPIC,
  PROP_QOS,
  PROP_INTERVAL_MS,
  PROP_COUNT,
  PROP_JITTER_MS,
  PROP_STATE,
  PROP_SENT,
  PROP_FAILED,
  PROP_LAST_ERROR,
  PROP_RATE,
  PROP_RESUME_ON_RECONNECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaPublishSchedule, antenna_publish_schedule, G_TYPE_OBJECT)

static void schedule_tick (AntennaPublishSchedule *self);

typedef struct
{
  AntennaPublishSchedule *self;
  guint                   run;
} Publish;

static void
set_state (AntennaPublishSchedule *self,
           AntennaScheduleState    state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
notify_counts (AntennaPublishSchedule *self)
{
  gint64 now = g_get_monotonic_time ();
  double rate = self->rate;

  if (self->state == ANTENNA_SCHEDULE_STATE_RUNNING && now > self->rate_time_us)
    {
      rate = (self->sent - self->rate_sent) * (double) G_USEC_PER_SEC / (now - self->rate_time_us);
      /* a window of about a second */
      if (now - self->rate_time_us >= G_USEC_PER_SEC)
        {
          self->rate_sent = self->sent;
          self->rate_time_us = now;
        }
    }
  else if (self->state != ANTENNA_SCHEDULE_STATE_RUNNING)
    rate = 0;

  if (self->sent != self->notified_sent)
    {
      self->notified_sent = self->sent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
    }
  if (self->failed != self->notified_failed)
    {
      self->notified_failed = self->failed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
    }
  if (rate != self->rate)
    {
      self->rate = rate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
    }
}

static gboolean
notify_cb (gpointer user_data)
{
  notify_counts (user_data);
  return G_SOURCE_CONTINUE;
}

static void
start_notifying (AntennaPublishSchedule *self)
{
  self->rate_sent = self->sent;
  self->rate_time_us = g_get_monotonic_time ();
  if (self->notify_id == 0)
    self->notify_id = g_timeout_add (NOTIFY_INTERVAL_MS, notify_cb, self);
}

static void
halt (AntennaPublishSchedule *self,
      AntennaScheduleState    state)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->blocked = FALSE;
  set_state (self, state);
  if (state != ANTENNA_SCHEDULE_STATE_RUNNING)
    {
      g_clear_handle_id (&self->notify_id, g_source_remove);
      notify_counts (self);
    }
}

static void
maybe_finish (AntennaPublishSchedule *self)
{
  if (self->state == ANTENNA_SCHEDULE_STATE_RUNNING && self->count > 0 &&
      self->made >= self->count && self->in_flight == 0)
    halt (self, ANTENNA_SCHEDULE_STATE_FINISHED);
}

static void
set_last_error (AntennaPublishSchedule *self,
                const char             *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
publish_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Publish *publish = user_data;
  AntennaPublishSchedule *self = publish->self;
  g_autoptr(GError) error = NULL;

  if (antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error))
    self->sent++;
  else
    {
      /* counted and shown, never sent again */
      self->failed++;
      set_last_error (self, error->message);
    }

  self->in_flight--;
  if (publish->run == self->run)
    {
      if (self->blocked && self->state == ANTENNA_SCHEDULE_STATE_RUNNING)
        {
          self->blocked = FALSE;
          schedule_tick (self);
        }
      maybe_finish (self);
    }

  g_object_unref (publish->self);
  g_free (publish);
}

static void
send_one (AntennaPublishSchedule *self)
{
  gint64 now = g_get_real_time ();
  g_autofree char *topic = antenna_placeholders_expand_string (self->topic, now);
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  Publish *publish;

  if (self->payload != NULL)
    payload = antenna_placeholders_expand (self->payload, now, &error);
  else
    payload = g_bytes_ref (self->payload_bytes);

  self->made++;
  if (payload == NULL)
    {
      self->failed++;
      set_last_error (self, error->message);
      return;
    }

  publish = g_new0 (Publish, 1);
  publish->self = g_object_ref (self);
  publish->run = self->run;
  self->in_flight++;
  antenna_client_publish_async (self->client, topic, payload, self->qos, self->retain,
                                self->properties, NULL, publish_cb, publish);
}

static gboolean
tick_cb (gpointer user_data)
{
  AntennaPublishSchedule *self = user_data;

  self->tick_id = 0;
  schedule_tick (self);
  return G_SOURCE_REMOVE;
}

/* Sends what is due (or waits for room), and arms the timer for the next. */
static void
schedule_tick (AntennaPublishSchedule *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 delay_ms;

  g_assert (self->state == ANTENNA_SCHEDULE_STATE_RUNNING);

  if (now >= self->next_due_us)
    {
      if (self->count > 0 && self->made >= self->count)
        {
          maybe_finish (self);
          return;
        }
      if (self->in_flight >= ANTENNA_PUBLISH_SCHEDULE_WINDOW)
        {
          self->blocked = TRUE;
          return;
        }

      send_one (self);

      /* the next one an interval after this one was due, so the rate holds
       * over time; after a stall no burst to catch up */
      self->next_due_us = MAX (self->next_due_us + (gint64) self->interval_ms * 1000, now);
      if (self->jitter_ms > 0)
        self->next_due_us += g_rand_int_range (self->jitter_rand, -(gint32) self->jitter_ms,
                                               (gint32) self->jitter_ms + 1) * 1000;

      if (self->count > 0 && self->made >= self->count)
        {
          maybe_finish (self);
          return;
        }
    }

  delay_ms = MAX (0, (self->next_due_us - g_get_monotonic_time () + 999) / 1000);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) delay_ms, tick_cb, self, NULL);
}

static void
run (AntennaPublishSchedule *self)
{
  self->next_due_us = g_get_monotonic_time ();
  if (antenna_client_get_state (self->client) != ANTENNA_CLIENT_STATE_CONNECTED)
    {
      halt (self, self->resume_on_reconnect ? ANTENNA_SCHEDULE_STATE_WAITING
                                            : ANTENNA_SCHEDULE_STATE_STOPPED);
      if (self->state == ANTENNA_SCHEDULE_STATE_STOPPED)
        set_last_error (self, _("Not connected."));
      return;
    }

  /* the one in use: a generated id is known once connected */
  antenna_placeholders_set_client_id (self->topic, antenna_client_get_client_id (self->client));
  if (self->payload != NULL)
    antenna_placeholders_set_client_id (self->payload, antenna_client_get_client_id (self->client));

  set_state (self, ANTENNA_SCHEDULE_STATE_RUNNING);
  start_notifying (self);
  schedule_tick (self);
}

static void
on_client_state_cb (AntennaPublishSchedule *self)
{
  AntennaClientState state = antenna_client_get_state (self->client);

  if (state == ANTENNA_CLIENT_STATE_CONNECTED && self->state == ANTENNA_SCHEDULE_STATE_WAITING)
    run (self);
  else if (state != ANTENNA_CLIENT_STATE_CONNECTED && self->state == ANTENNA_SCHEDULE_STATE_RUNNING)
    {
      if (self->resume_on_reconnect)
        halt (self, ANTENNA_SCHEDULE_STATE_WAITING);
      else
        {
          self->run++;
          halt (self, ANTENNA_SCHEDULE_STATE_STOPPED);
        }
    }
}

static void
antenna_publish_schedule_dispose (GObject *object)
{
  AntennaPublishSchedule *self = ANTENNA_PUBLISH_SCHEDULE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->notify_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (antenna_publish_schedule_parent_class)->dispose (object);
}

static void
antenna_publish_schedule_finalize (GObject *object)
{
  AntennaPublishSchedule *self = ANTENNA_PUBLISH_SCHEDULE (object);

  g_clear_object (&self->topic);
  g_clear_object (&self->payload);
  g_clear_pointer (&self->payload_bytes, g_bytes_unref);
  g_clear_pointer (&self->properties, antenna_properties_unref);
  g_clear_pointer (&self->jitter_rand, g_rand_free);
  g_clear_pointer (&self->topic_text, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (antenna_publish_schedule_parent_class)->finalize (object);
}

static void
antenna_publish_schedule_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  AntennaPublishSchedule *self = ANTENNA_PUBLISH_SCHEDULE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TOPIC:
      g_value_set_string (value, self->topic_text);
      break;
    case PROP_QOS:
      g_value_set_int (value, self->qos);
      break;
    case PROP_INTERVAL_MS:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_COUNT:
      g_value_set_uint64 (value, self->count);
      break;
    case PROP_JITTER_MS:
      g_value_set_uint (value, self->jitter_ms);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SENT:
      g_value_set_uint64 (value, self->sent);
      break;
    case PROP_FAILED:
      g_value_set_uint64 (value, self->failed);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_RESUME_ON_RECONNECT:
      g_value_set_boolean (value, self->resume_on_reconnect);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_schedule_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  AntennaPublishSchedule *self = ANTENNA_PUBLISH_SCHEDULE (object);

  switch (prop_id)
    {
    case PROP_RESUME_ON_RECONNECT:
      antenna_publish_schedule_set_resume_on_reconnect (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_schedule_class_init (AntennaPublishScheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = antenna_publish_schedule_dispose;
  object_class->finalize = antenna_publish_schedule_finalize;
  object_class->get_property = antenna_publish_schedule_get_property;
  object_class->set_property = antenna_publish_schedule_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, ANTENNA_TYPE_CLIENT, ro);
  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL, ro);
  properties[PROP_QOS] =
    g_param_spec_int ("qos", NULL, NULL, 0, 2, 0, ro);
  properties[PROP_INTERVAL_MS] =
    g_param_spec_uint ("interval-ms", NULL, NULL, 1, G_MAXUINT, 1000, ro);
  properties[PROP_COUNT] =
    g_param_spec_uint64 ("count", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_JITTER_MS] =
    g_param_spec_uint ("jitter-ms", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ANTENNA_TYPE_SCHEDULE_STATE,
                       ANTENNA_SCHEDULE_STATE_STOPPED, ro);
  properties[PROP_SENT] =
    g_param_spec_uint64 ("sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_FAILED] =
    g_param_spec_uint64 ("failed", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_RESUME_ON_RECONNECT] =
    g_param_spec_boolean ("resume-on-reconnect", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_publish_schedule_init (AntennaPublishSchedule *self)
{
  self->resume_on_reconnect = TRUE;
  self->interval_ms = 1000;
  self->jitter_rand = g_rand_new ();
}

AntennaPublishSchedule *
antenna_publish_schedule_new (AntennaClient          *client,
                              const char             *topic,
                              const char             *payload_text,
                              GBytes                 *payload,
                              AntennaPayloadFormat    format,
                              int                     qos,
                              gboolean                retain,
                              AntennaProperties      *props,
                              guint                   interval_ms,
                              guint64                 count,
                              guint                   jitter_ms,
                              GError                **error)
{
  g_autoptr(AntennaPublishSchedule) self = NULL;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (payload_text != NULL || payload != NULL, NULL);
  g_return_val_if_fail (qos >= 0 && qos <= 2, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (interval_ms == 0)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                           _("The interval must be at least one millisecond."));
      return NULL;
    }

  self = g_object_new (ANTENNA_TYPE_PUBLISH_SCHEDULE, NULL);
  self->client = g_object_ref (client);
  self->topic_text = g_strdup (topic);
  self->topic = antenna_placeholders_new (topic, ANTENNA_PAYLOAD_FORMAT_TEXT, error);
  if (self->topic == NULL)
    return NULL;
  if (payload_text != NULL)
    {
      self->payload = antenna_placeholders_new (payload_text, format, error);
      if (self->payload == NULL)
        return NULL;
    }
  else
    self->payload_bytes = g_bytes_ref (payload);

  self->qos = qos;
  self->retain = retain;
  if (props != NULL && !antenna_properties_is_empty (props))
    self->properties = antenna_properties_ref (props);
  self->interval_ms = interval_ms;
  self->count = count;
  self->jitter_ms = MIN (jitter_ms, G_MAXINT32 / 2);

  g_signal_connect_object (client, "notify::state", G_CALLBACK (on_client_state_cb),
                           self, G_CONNECT_SWAPPED);

  return g_steal_pointer (&self);
}

AntennaClient *
antenna_publish_schedule_get_client (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), NULL);
  return self->client;
}

const char *
antenna_publish_schedule_get_topic (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), NULL);
  return self->topic_text;
}

int
antenna_publish_schedule_get_qos (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), 0);
  return self->qos;
}

guint
antenna_publish_schedule_get_interval_ms (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), 0);
  return self->interval_ms;
}

guint64
antenna_publish_schedule_get_count (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), 0);
  return self->count;
}

guint
antenna_publish_schedule_get_jitter_ms (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), 0);
  return self->jitter_ms;
}

AntennaScheduleState
antenna_publish_schedule_get_state (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), ANTENNA_SCHEDULE_STATE_STOPPED);
  return self->state;
}

guint64
antenna_publish_schedule_get_sent (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), 0);
  return self->sent;
}

guint64
antenna_publish_schedule_get_failed (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), 0);
  return self->failed;
}

const char *
antenna_publish_schedule_get_last_error (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), NULL);
  return self->last_error;
}

double
antenna_publish_schedule_get_rate (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), 0);
  return self->rate;
}

gboolean
antenna_publish_schedule_get_resume_on_reconnect (AntennaPublishSchedule *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self), FALSE);
  return self->resume_on_reconnect;
}

void
antenna_publish_schedule_set_resume_on_reconnect (AntennaPublishSchedule *self,
                                                  gboolean                resume)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self));

  resume = !!resume;
  if (self->resume_on_reconnect == resume)
    return;

  self->resume_on_reconnect = resume;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESUME_ON_RECONNECT]);
}

void
antenna_publish_schedule_set_encoder (AntennaPublishSchedule *self,
                                      const AntennaDecoder   *encoder)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self));

  /* bytes from a file go as they are */
  if (self->payload != NULL)
    antenna_placeholders_set_encoder (self->payload, encoder);
}

void
antenna_publish_schedule_set_seed (AntennaPublishSchedule *self,
                                   guint32                 seed)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self));

  antenna_placeholders_set_seed (self->topic, seed);
  if (self->payload != NULL)
    antenna_placeholders_set_seed (self->payload, seed);
  g_rand_set_seed (self->jitter_rand, seed);
}

void
antenna_publish_schedule_start (AntennaPublishSchedule *self)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self));

  if (self->state == ANTENNA_SCHEDULE_STATE_PAUSED)
    {
      antenna_publish_schedule_resume (self);
      return;
    }
  if (self->state == ANTENNA_SCHEDULE_STATE_RUNNING || self->state == ANTENNA_SCHEDULE_STATE_WAITING)
    return;

  /* a new run: from the first message */
  self->run++;
  self->made = 0;
  self->sent = 0;
  self->failed = 0;
  antenna_placeholders_set_index (self->topic, 0);
  if (self->payload != NULL)
    antenna_placeholders_set_index (self->payload, 0);
  set_last_error (self, NULL);
  run (self);
  notify_counts (self);
}

void
antenna_publish_schedule_pause (AntennaPublishSchedule *self)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self));

  if (self->state == ANTENNA_SCHEDULE_STATE_RUNNING || self->state == ANTENNA_SCHEDULE_STATE_WAITING)
    halt (self, ANTENNA_SCHEDULE_STATE_PAUSED);
}

void
antenna_publish_schedule_resume (AntennaPublishSchedule *self)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self));

  if (self->state == ANTENNA_SCHEDULE_STATE_PAUSED)
    run (self);
}

void
antenna_publish_schedule_stop (AntennaPublishSchedule *self)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_SCHEDULE (self));

  if (self->state == ANTENNA_SCHEDULE_STATE_STOPPED || self->state == ANTENNA_SCHEDULE_STATE_FINISHED)
    return;

  self->run++;
  halt (self, ANTENNA_SCHEDULE_STATE_STOPPED);
}

GListStore *
antenna_publish_schedule_list_for_client (AntennaClient *client)
{
  GListStore *list;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  /* kept on the client so that the core's AntennaClient need not know
   * schedules; a schedule refers to its client, so the list is emptied when
   * the page lets the client go (see antenna-schedules-pane.c) */
  list = g_object_get_data (G_OBJECT (client), "antenna-publish-schedules");
  if (list == NULL)
    {
      list = g_list_store_new (ANTENNA_TYPE_PUBLISH_SCHEDULE);
      g_object_set_data_full (G_OBJECT (client), "antenna-publish-schedules", list, g_object_unref);
    }

  return list;
}
