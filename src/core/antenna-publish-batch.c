/* antenna-publish-batch.c: publish every message of a JSON Lines file
 *
 * The file is read and its lines checked in a thread
 * (antenna-publish-batch-reader.c): the main loop only sends. The check
 * pass reads the whole file and reports its invalid lines; the send pass
 * reads the valid messages a chunk at a time, one chunk ahead of the
 * sending, so the memory held is about two chunks plus what waits for the
 * broker, and a 64 MiB line is parsed while the main loop goes on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-batch"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-properties.h"
#include "antenna-publish-batch.h"
#include "antenna-publish-batch-private.h"

#define NOTIFY_INTERVAL_MS 250

struct _AntennaPublishBatch
{
  GObject             parent_instance;

  /* Owned References */
  AntennaClient      *client;
  GFile              *file;
  GTask              *task;
  AntennaBatchReader *reader;     /* this pass's */
  GQueue              items;      /* AntennaBatchItem, read ahead */
  gsize               queued_bytes;
  AntennaBatchItem   *pending;    /* waiting for its turn */
  GArray             *invalid;    /* guint64 line numbers */
  GPtrArray          *reasons;
  char               *last_error;

  double              rate;
  gboolean            skip_invalid;
  gboolean            paused;

  gboolean            validating;
  gboolean            reading;    /* a task of the reader runs */
  gboolean            eof;        /* the reader gave everything */
  gboolean            delay_done; /* the pending item's delay_ms has passed */
  guint64             lines;
  guint64             bytes_read;
  guint64             size;
  guint64             total;
  guint64             handed;
  guint64             sent;
  guint64             failed;
  guint               in_flight;
  gint64              start_us;
  guint               timer_id;
  guint               notify_id;
};

enum {
  PROP_0,
  PROP_RATE,
  PROP_SKIP_INVALID,
  PROP_PAUSED,
  PROP_VALIDATING,
  PROP_TOTAL,
  PROP_SENT,
  PROP_FAILED,
  PROP_LINES,
  PROP_BYTES_READ,
  PROP_SIZE,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaPublishBatch, antenna_publish_batch, G_TYPE_OBJECT)

static void pump (AntennaPublishBatch *self);

static void
clear_items (AntennaPublishBatch *self)
{
  g_queue_clear_full (&self->items, (GDestroyNotify) _antenna_batch_item_free);
  self->queued_bytes = 0;
  g_clear_pointer (&self->pending, _antenna_batch_item_free);
}

/* The reader's progress as it is now (its thread moves it on). */
static void
refresh_progress (AntennaPublishBatch *self)
{
  if (self->reader != NULL)
    _antenna_batch_reader_get_progress (self->reader, &self->lines, &self->bytes_read, &self->size);
}

/* The progress into the properties, notified together. */
static void
notify_progress (AntennaPublishBatch *self)
{
  refresh_progress (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_READ]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
complete (AntennaPublishBatch *self,
          GError              *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->notify_id, g_source_remove);
  clear_items (self);
  notify_progress (self);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* ---- the two passes ---- */

static GError *
invalid_lines_error (AntennaPublishBatch *self)
{
  g_autoptr(GString) numbers = g_string_new (NULL);
  g_autofree char *first = NULL;
  guint shown = MIN (self->invalid->len, 10);

  for (guint i = 0; i < shown; i++)
    g_string_append_printf (numbers, "%s%" G_GUINT64_FORMAT, i > 0 ? ", " : "",
                            g_array_index (self->invalid, guint64, i));
  if (self->invalid->len > shown)
    g_string_append (numbers, ", …");

  first = g_strdup_printf ("%" G_GUINT64_FORMAT, g_array_index (self->invalid, guint64, 0));

  /* TRANSLATORS: Lines of “file.jsonl” that are not messages: 3, 7 (line 3: “qos” must be 0, 1 or 2.). Nothing was sent. */
  return g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                      _("Lines of “%s” that are not messages: %s (line %s: %s). Nothing was sent."),
                      g_file_peek_path (self->file), numbers->str, first,
                      (const char *) g_ptr_array_index (self->reasons, 0));
}

static void start_sending (AntennaPublishBatch *self);

static void
on_checked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AntennaPublishBatch) self = user_data;
  g_autoptr(AntennaBatchReader) reader = _antenna_batch_reader_ref (g_task_get_task_data (G_TASK (result)));
  GError *error = NULL;
  GArray *invalid = NULL;
  GPtrArray *reasons = NULL;
  guint64 total = 0;

  if (reader != self->reader || self->task == NULL)
    return;   /* an earlier run's, or cancelled */

  self->reading = FALSE;
  if (!_antenna_batch_reader_check_finish (reader, result, &total, &invalid, &reasons, &error))
    {
      complete (self, error);
      return;
    }

  g_array_append_vals (self->invalid, invalid->data, invalid->len);
  for (guint i = 0; i < reasons->len; i++)
    g_ptr_array_add (self->reasons, g_strdup (g_ptr_array_index (reasons, i)));
  self->total = total;
  notify_progress (self);

  if (self->invalid->len > 0 && !self->skip_invalid)
    {
      complete (self, invalid_lines_error (self));
      return;
    }

  self->validating = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  start_sending (self);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AntennaPublishBatch) self = user_data;
  g_autoptr(AntennaBatchReader) reader = _antenna_batch_reader_ref (g_task_get_task_data (G_TASK (result)));
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;

  if (reader != self->reader || self->task == NULL)
    return;

  self->reading = FALSE;
  items = _antenna_batch_reader_read_finish (reader, result, &error);
  if (items == NULL)
    {
      complete (self, error);
      return;
    }

  if (items->len == 0)
    self->eof = TRUE;
  /* the queue takes them */
  g_ptr_array_set_free_func (items, NULL);
  for (guint i = 0; i < items->len; i++)
    {
      AntennaBatchItem *item = g_ptr_array_index (items, i);

      self->queued_bytes += g_bytes_get_size (item->payload);
      g_queue_push_tail (&self->items, item);
    }
  pump (self);
}

/* Reads the next chunk unless one is read or enough waits. */
static void
read_ahead (AntennaPublishBatch *self)
{
  if (self->reading || self->eof ||
      self->items.length >= ANTENNA_BATCH_CHUNK_ITEMS || self->queued_bytes >= ANTENNA_BATCH_CHUNK_BYTES)
    return;

  self->reading = TRUE;
  _antenna_batch_reader_read_async (self->reader, g_task_get_cancellable (self->task),
                                    on_read_cb, g_object_ref (self));
}

static void
start_sending (AntennaPublishBatch *self)
{
  g_clear_pointer (&self->reader, _antenna_batch_reader_unref);
  self->reader = _antenna_batch_reader_new (self->file);
  self->eof = FALSE;
  self->start_us = g_get_monotonic_time ();
  read_ahead (self);
}

static void
publish_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AntennaPublishBatch) self = user_data;
  g_autoptr(GError) error = NULL;

  if (antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error))
    self->sent++;
  else
    {
      self->failed++;
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  self->in_flight--;

  if (self->task != NULL)
    pump (self);
}

static gboolean
timer_cb (gpointer user_data)
{
  AntennaPublishBatch *self = user_data;

  self->timer_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
arm_timer (AntennaPublishBatch *self,
           gint64               delay_us)
{
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MAX (0, (delay_us + 999) / 1000),
                                       timer_cb, self, NULL);
}

/* Sends the pending item when its turn has come; FALSE when it must wait. */
static gboolean
try_send (AntennaPublishBatch *self)
{
  AntennaBatchItem *item = self->pending;

  if (self->in_flight >= ANTENNA_PUBLISH_BATCH_WINDOW)
    return FALSE;

  if (item->delay_ms > 0 && !self->delay_done)
    {
      self->delay_done = TRUE;
      arm_timer (self, (gint64) item->delay_ms * 1000);
      return FALSE;
    }

  if (self->rate > 0)
    {
      gint64 due = self->start_us + (gint64) (self->handed * G_USEC_PER_SEC / self->rate);
      gint64 now = g_get_monotonic_time ();

      if (now < due)
        {
          arm_timer (self, due - now);
          return FALSE;
        }
    }

  self->in_flight++;
  self->handed++;
  self->delay_done = FALSE;
  antenna_client_publish_async (self->client, item->topic, item->payload, item->qos, item->retain,
                                item->properties, NULL, publish_cb, g_object_ref (self));
  g_clear_pointer (&self->pending, _antenna_batch_item_free);
  return TRUE;
}

/* Moves on as far as it can without waiting. */
static void
pump (AntennaPublishBatch *self)
{
  if (self->task == NULL || self->timer_id != 0)
    return;
  if (g_task_return_error_if_cancelled (self->task))
    {
      g_clear_object (&self->task);
      complete (self, NULL);
      return;
    }
  if (self->validating)
    return;   /* the check runs */

  while (TRUE)
    {
      if (self->pending == NULL)
        {
          self->pending = g_queue_pop_head (&self->items);
          if (self->pending == NULL)
            {
              if (self->eof && self->in_flight == 0)
                complete (self, NULL);
              else
                read_ahead (self);
              return;
            }
          self->queued_bytes -= g_bytes_get_size (self->pending->payload);
          read_ahead (self);
        }
      if (self->paused || !try_send (self))
        return;
    }
}

static gboolean
pump_idle_cb (gpointer user_data)
{
  pump (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  AntennaPublishBatch *self = user_data;

  /* even while paused or waiting for a timer */
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->paused = FALSE;
  g_idle_add_full (G_PRIORITY_DEFAULT, pump_idle_cb, g_object_ref (self), g_object_unref);
}

static gboolean
notify_cb (gpointer user_data)
{
  notify_progress (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---- GObject ---- */

static void
antenna_publish_batch_dispose (GObject *object)
{
  AntennaPublishBatch *self = ANTENNA_PUBLISH_BATCH (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->notify_id, g_source_remove);
  g_clear_object (&self->task);
  g_clear_pointer (&self->reader, _antenna_batch_reader_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (antenna_publish_batch_parent_class)->dispose (object);
}

static void
antenna_publish_batch_finalize (GObject *object)
{
  AntennaPublishBatch *self = ANTENNA_PUBLISH_BATCH (object);

  clear_items (self);
  g_clear_pointer (&self->invalid, g_array_unref);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (antenna_publish_batch_parent_class)->finalize (object);
}

static void
antenna_publish_batch_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AntennaPublishBatch *self = ANTENNA_PUBLISH_BATCH (object);

  switch (prop_id)
    {
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_SKIP_INVALID:
      g_value_set_boolean (value, self->skip_invalid);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_VALIDATING:
      g_value_set_boolean (value, self->validating);
      break;
    case PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;
    case PROP_SENT:
      g_value_set_uint64 (value, self->sent);
      break;
    case PROP_FAILED:
      g_value_set_uint64 (value, self->failed);
      break;
    case PROP_LINES:
      g_value_set_uint64 (value, self->lines);
      break;
    case PROP_BYTES_READ:
      g_value_set_uint64 (value, self->bytes_read);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_batch_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AntennaPublishBatch *self = ANTENNA_PUBLISH_BATCH (object);

  switch (prop_id)
    {
    case PROP_RATE:
      antenna_publish_batch_set_rate (self, g_value_get_double (value));
      break;
    case PROP_SKIP_INVALID:
      antenna_publish_batch_set_skip_invalid (self, g_value_get_boolean (value));
      break;
    case PROP_PAUSED:
      antenna_publish_batch_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_batch_class_init (AntennaPublishBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = antenna_publish_batch_dispose;
  object_class->finalize = antenna_publish_batch_finalize;
  object_class->get_property = antenna_publish_batch_get_property;
  object_class->set_property = antenna_publish_batch_set_property;

  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, rw);
  properties[PROP_SKIP_INVALID] = g_param_spec_boolean ("skip-invalid", NULL, NULL, FALSE, rw);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, rw);
  properties[PROP_VALIDATING] = g_param_spec_boolean ("validating", NULL, NULL, FALSE, ro);
  properties[PROP_TOTAL] = g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_SENT] = g_param_spec_uint64 ("sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_FAILED] = g_param_spec_uint64 ("failed", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_LINES] = g_param_spec_uint64 ("lines", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_READ] = g_param_spec_uint64 ("bytes-read", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_publish_batch_init (AntennaPublishBatch *self)
{
  g_queue_init (&self->items);
  self->invalid = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->reasons = g_ptr_array_new_with_free_func (g_free);
}

/* ---- public API ---- */

AntennaPublishBatch *
antenna_publish_batch_new (AntennaClient *client,
                           GFile         *file)
{
  AntennaPublishBatch *self;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (ANTENNA_TYPE_PUBLISH_BATCH, NULL);
  self->client = g_object_ref (client);
  self->file = g_object_ref (file);
  return self;
}

void
antenna_publish_batch_set_rate (AntennaPublishBatch *self,
                                double               per_second)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_BATCH (self));

  per_second = MAX (per_second, 0);
  if (self->rate == per_second)
    return;

  self->rate = per_second;
  /* the new rate from here */
  self->start_us = g_get_monotonic_time () - (self->rate > 0 ? (gint64) (self->handed * G_USEC_PER_SEC / self->rate) : 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

void
antenna_publish_batch_set_skip_invalid (AntennaPublishBatch *self,
                                        gboolean             skip)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_BATCH (self));

  skip = !!skip;
  if (self->skip_invalid == skip)
    return;

  self->skip_invalid = skip;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_INVALID]);
}

void
antenna_publish_batch_set_paused (AntennaPublishBatch *self,
                                  gboolean             paused)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_BATCH (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  if (!paused)
    {
      if (self->rate > 0)
        self->start_us = g_get_monotonic_time () - (gint64) (self->handed * G_USEC_PER_SEC / self->rate);
      pump (self);
    }
}

gboolean
antenna_publish_batch_get_paused (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), FALSE);
  return self->paused;
}

gboolean
antenna_publish_batch_get_validating (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), FALSE);
  return self->validating;
}

guint64
antenna_publish_batch_get_total (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), 0);
  return self->total;
}

guint64
antenna_publish_batch_get_sent (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), 0);
  return self->sent;
}

guint64
antenna_publish_batch_get_failed (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), 0);
  return self->failed;
}

guint64
antenna_publish_batch_get_lines (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), 0);
  refresh_progress (self);
  return self->lines;
}

guint64
antenna_publish_batch_get_bytes_read (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), 0);
  refresh_progress (self);
  return self->bytes_read;
}

guint64
antenna_publish_batch_get_size (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), 0);
  refresh_progress (self);
  return self->size;
}

const char *
antenna_publish_batch_get_last_error (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), NULL);
  return self->last_error;
}

GArray *
antenna_publish_batch_get_invalid_lines (AntennaPublishBatch *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), NULL);
  return self->invalid;
}

const char *
antenna_publish_batch_get_invalid_reason (AntennaPublishBatch *self,
                                          guint                i)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_BATCH (self), NULL);
  return i < self->reasons->len ? g_ptr_array_index (self->reasons, i) : NULL;
}

void
antenna_publish_batch_run_async (AntennaPublishBatch *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (ANTENNA_IS_PUBLISH_BATCH (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, antenna_publish_batch_run_async);

  g_array_set_size (self->invalid, 0);
  g_ptr_array_set_size (self->reasons, 0);
  self->total = self->handed = self->sent = self->failed = 0;
  self->lines = self->bytes_read = self->size = 0;
  self->validating = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATING]);
  self->notify_id = g_timeout_add (NOTIFY_INTERVAL_MS, notify_cb, self);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (on_cancelled_cb), self, 0);

  /* the check in a thread: a new reader, so that an earlier run's thread,
   * cancelled but not ended yet, is never answered as this one */
  g_clear_pointer (&self->reader, _antenna_batch_reader_unref);
  self->reader = _antenna_batch_reader_new (self->file);
  self->reading = TRUE;
  _antenna_batch_reader_check_async (self->reader, cancellable, on_checked_cb, g_object_ref (self));
}

gboolean
antenna_publish_batch_run_finish (AntennaPublishBatch  *self,
                                  GAsyncResult         *result,
                                  GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
