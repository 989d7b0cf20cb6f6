/* antenna-capture-replay.c: publishing a capture again into a connection
 *
 * Pages of the capture are read on a worker thread (one read at a time, so
 * the reader is never used by two threads at once), and published from the
 * main thread through AntennaClient in recorded order: at most
 * MAX_IN_FLIGHT publishes wait for their acknowledgement at a time, so
 * that the memory held stays bounded and the client's send queue keeps the
 * order (per topic, as MQTT orders it). At a recorded pace each message is
 * due at its offset from the first one, divided by the speed; a pause
 * shifts every later due time by its length.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-capture"

#include "config.h"

#include <string.h>

#include "antenna-capture-replay.h"
#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-properties.h"

#define MAX_IN_FLIGHT 64
#define PAGE_SIZE 500

struct _AntennaCaptureReplay
{
  GObject               parent_instance;

  /* Owned References */
  AntennaClient        *client;
  AntennaCaptureReader *reader;
  GTask                *task;        /* the run */
  GPtrArray            *page;        /* of AntennaMessage */
  GError               *error;

  AntennaCaptureQuery   query;
  char                 *topic_filter;
  char                 *payload_text;
  char                 *text;
  AntennaCaptureCursor  cursor;
  double                speed;
  char                 *rewrite_from;
  char                 *rewrite_to;
  gboolean              clear_retain;

  guint                 index;
  gboolean              fetching;
  gboolean              exhausted;
  guint                 in_flight;
  guint64               n_done;
  gboolean              started;
  gint64                first_time;
  gint64                start_mono;
  gboolean              paused;
  gint64                paused_at;
  guint                 timeout_id;
  gulong                cancelled_id;
};

enum {
  PROP_0,
  PROP_N_DONE,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaCaptureReplay, antenna_capture_replay, G_TYPE_OBJECT)

static void pump (AntennaCaptureReplay *self);

static void
complete (AntennaCaptureReplay *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
      self->cancelled_id = 0;
    }
  if (self->error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Stop publishing with @error (the first one wins); complete once the
 * publishes in flight have come back. */
static void
fail (AntennaCaptureReplay *self,
      GError               *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  pump (self);
}

static void
read_page_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AntennaCaptureReplay *self = source_object;
  AntennaCaptureCursor *cursor = task_data;
  GError *error = NULL;
  GPtrArray *page = antenna_capture_reader_read_page (self->reader, &self->query, cursor, PAGE_SIZE, &error);

  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_page_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AntennaCaptureReplay *self = ANTENNA_CAPTURE_REPLAY (object);
  AntennaCaptureCursor *cursor = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  GPtrArray *page = g_task_propagate_pointer (G_TASK (result), &error);

  self->fetching = FALSE;
  if (page == NULL)
    {
      fail (self, error);
      return;
    }

  self->cursor = *cursor;
  g_clear_pointer (&self->page, g_ptr_array_unref);
  self->page = page;
  self->index = 0;
  if (page->len == 0)
    self->exhausted = TRUE;
  else if (!self->started)
    {
      self->started = TRUE;
      self->first_time = antenna_message_get_timestamp (g_ptr_array_index (page, 0));
      self->start_mono = g_get_monotonic_time ();
    }
  pump (self);
}

static void
fetch_page (AntennaCaptureReplay *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_page_read_cb, NULL);

  self->fetching = TRUE;
  g_task_set_source_tag (task, fetch_page);
  g_task_set_task_data (task, g_memdup2 (&self->cursor, sizeof self->cursor), g_free);
  g_task_run_in_thread (task, read_page_thread);
}

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AntennaCaptureReplay) self = user_data;
  GError *error = NULL;

  self->in_flight--;
  if (!antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error))
    {
      fail (self, error);
      return;
    }

  self->n_done++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
  pump (self);
}

static gboolean
on_due_cb (gpointer user_data)
{
  AntennaCaptureReplay *self = user_data;

  self->timeout_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
publish (AntennaCaptureReplay *self,
         AntennaMessage       *message)
{
  AntennaProperties *recorded = antenna_message_get_properties (message);
  g_autoptr(AntennaProperties) props = NULL;
  g_autofree char *topic = antenna_capture_replay_rewrite_topic (self, antenna_message_get_topic (message));

  /* Subscription identifiers are the receiver's: a publisher never sends them. */
  if (!antenna_properties_is_empty (recorded))
    {
      props = antenna_properties_copy (recorded);
      g_array_set_size (props->subscription_ids, 0);
    }

  self->in_flight++;
  antenna_client_publish_async (self->client, topic, antenna_message_get_payload (message),
                                antenna_message_get_qos (message),
                                self->clear_retain ? FALSE : antenna_message_get_retain (message),
                                props, NULL, on_published_cb, g_object_ref (self));
}

static void
pump (AntennaCaptureReplay *self)
{
  if (self->task == NULL)
    return;

  if (self->error == NULL && g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    g_cancellable_set_error_if_cancelled (g_task_get_cancellable (self->task), &self->error);

  if (self->error != NULL)
    {
      if (self->in_flight == 0 && !self->fetching)
        complete (self);
      return;
    }

  while (!self->paused && self->in_flight < MAX_IN_FLIGHT)
    {
      AntennaMessage *message;

      if (self->page == NULL || self->index >= self->page->len)
        {
          if (self->exhausted)
            {
              if (self->in_flight == 0)
                complete (self);
            }
          else if (!self->fetching)
            fetch_page (self);
          return;
        }

      message = g_ptr_array_index (self->page, self->index);
      if (self->speed > 0)
        {
          gint64 offset = (gint64) ((antenna_message_get_timestamp (message) - self->first_time) / self->speed);
          gint64 wait = self->start_mono + MAX (offset, 0) - g_get_monotonic_time ();

          if (wait > 0)
            {
              if (self->timeout_id == 0)
                self->timeout_id = g_timeout_add (MAX (1, (guint) (wait / 1000)), on_due_cb, self);
              return;
            }
        }

      publish (self, message);
      self->index++;
    }
}

static gboolean
on_cancel_idle_cb (gpointer user_data)
{
  pump (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled_cb (GCancellable         *cancellable,
                 AntennaCaptureReplay *self)
{
  /* Back on the main context: cancel may be called from anywhere. */
  g_idle_add_full (G_PRIORITY_DEFAULT, on_cancel_idle_cb, g_object_ref (self), g_object_unref);
}

static void
antenna_capture_replay_finalize (GObject *object)
{
  AntennaCaptureReplay *self = ANTENNA_CAPTURE_REPLAY (object);

  g_assert (self->task == NULL);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->page, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_free (self->topic_filter);
  g_free (self->payload_text);
  g_free (self->text);
  g_free (self->rewrite_from);
  g_free (self->rewrite_to);

  G_OBJECT_CLASS (antenna_capture_replay_parent_class)->finalize (object);
}

static void
antenna_capture_replay_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AntennaCaptureReplay *self = ANTENNA_CAPTURE_REPLAY (object);

  switch (prop_id)
    {
    case PROP_N_DONE:
      g_value_set_uint64 (value, self->n_done);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_capture_replay_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AntennaCaptureReplay *self = ANTENNA_CAPTURE_REPLAY (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      antenna_capture_replay_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_N_DONE:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_capture_replay_class_init (AntennaCaptureReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_capture_replay_finalize;
  object_class->get_property = antenna_capture_replay_get_property;
  object_class->set_property = antenna_capture_replay_set_property;

  properties[PROP_N_DONE] =
    g_param_spec_uint64 ("n-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_capture_replay_init (AntennaCaptureReplay *self)
{
  self->speed = 1.0;
  antenna_capture_query_init (&self->query);
  antenna_capture_cursor_init (&self->cursor);
}

AntennaCaptureReplay *
antenna_capture_replay_new (const char     *capture_path,
                            AntennaClient  *client,
                            GError        **error)
{
  g_autoptr(AntennaCaptureReplay) self = NULL;

  g_return_val_if_fail (capture_path != NULL, NULL);
  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  self = g_object_new (ANTENNA_TYPE_CAPTURE_REPLAY, NULL);
  self->client = g_object_ref (client);
  self->reader = antenna_capture_reader_open (capture_path, error);
  if (self->reader == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

void
antenna_capture_replay_set_query (AntennaCaptureReplay      *self,
                                  const AntennaCaptureQuery *query)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self));
  g_return_if_fail (self->task == NULL);

  g_clear_pointer (&self->topic_filter, g_free);
  g_clear_pointer (&self->payload_text, g_free);
  g_clear_pointer (&self->text, g_free);
  antenna_capture_query_init (&self->query);
  if (query == NULL)
    return;

  self->query = *query;
  self->topic_filter = g_strdup (query->topic_filter);
  self->payload_text = g_strdup (query->payload_text);
  self->text = g_strdup (query->text);
  self->query.topic_filter = self->topic_filter;
  self->query.payload_text = self->payload_text;
  self->query.text = self->text;
}

void
antenna_capture_replay_set_speed (AntennaCaptureReplay *self,
                                  double                speed)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self));
  g_return_if_fail (speed >= 0);

  self->speed = speed;
}

void
antenna_capture_replay_set_rewrite (AntennaCaptureReplay *self,
                                    const char           *from,
                                    const char           *to)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self));

  g_free (self->rewrite_from);
  g_free (self->rewrite_to);
  self->rewrite_from = g_strdup (from);
  self->rewrite_to = g_strdup (to != NULL ? to : "");
}

void
antenna_capture_replay_set_clear_retain (AntennaCaptureReplay *self,
                                         gboolean              clear_retain)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self));

  self->clear_retain = !!clear_retain;
}

void
antenna_capture_replay_set_paused (AntennaCaptureReplay *self,
                                   gboolean              paused)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  if (paused)
    {
      self->paused_at = g_get_monotonic_time ();
      g_clear_handle_id (&self->timeout_id, g_source_remove);
    }
  else
    {
      /* The pace goes on from where it stopped. */
      if (self->started)
        self->start_mono += g_get_monotonic_time () - self->paused_at;
      pump (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
antenna_capture_replay_get_paused (AntennaCaptureReplay *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self), FALSE);

  return self->paused;
}

gint64
antenna_capture_replay_get_n_total (AntennaCaptureReplay  *self,
                                    GError               **error)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self), -1);
  /* The reader is the worker's while a page is read. */
  g_return_val_if_fail (!self->fetching, -1);

  return antenna_capture_reader_count (self->reader, &self->query, error);
}

guint64
antenna_capture_replay_get_n_done (AntennaCaptureReplay *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self), 0);

  return self->n_done;
}

char *
antenna_capture_replay_rewrite_topic (AntennaCaptureReplay *self,
                                      const char           *topic)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self), NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  if (self->rewrite_from != NULL && g_str_has_prefix (topic, self->rewrite_from))
    return g_strconcat (self->rewrite_to, topic + strlen (self->rewrite_from), NULL);
  return g_strdup (topic);
}

void
antenna_capture_replay_run_async (AntennaCaptureReplay *self,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE_REPLAY (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, antenna_capture_replay_run_async);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb), self, NULL);
  pump (self);
}

gboolean
antenna_capture_replay_run_finish (AntennaCaptureReplay  *self,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
