/* antenna-publish-batch.c: publish every message of a JSON Lines file
 *
 * Everything runs on the main loop: the file is read with asynchronous reads
 * of READ_SIZE bytes (GIO does the reading in its own threads), split into
 * lines here, and a line is read only when its message can be sent, so the
 * memory held is one line plus what waits for the broker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-batch"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-payload.h"
#include "antenna-properties.h"
#include "antenna-publish-batch.h"
#include "antenna-topic.h"

#define READ_SIZE (256 * 1024)
#define MAX_REASONS 1000
#define NOTIFY_INTERVAL_MS 250

typedef struct
{
  guint64            line;
  char              *topic;
  GBytes            *payload;
  int                qos;
  gboolean           retain;
  AntennaProperties *properties;
  guint              delay_ms;
} Item;

struct _AntennaPublishBatch
{
  GObject             parent_instance;

  /* Owned References */
  AntennaClient      *client;
  GFile              *file;
  GTask              *task;
  GInputStream       *stream;
  GByteArray         *line;       /* the line being read */
  GByteArray         *buffer;     /* read, not yet split */
  gsize               buffer_pos;
  Item               *pending;    /* parsed, waiting for its turn */
  GArray             *invalid;    /* guint64 line numbers */
  GPtrArray          *reasons;
  char               *last_error;

  double              rate;
  gboolean            skip_invalid;
  gboolean            paused;

  gboolean            validating;
  gboolean            reading;    /* a read is under way */
  gboolean            eof;
  gboolean            delay_done; /* the pending item's delay_ms has passed */
  guint64             lines;
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
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaPublishBatch, antenna_publish_batch, G_TYPE_OBJECT)

static void pump (AntennaPublishBatch *self);

static void
item_free (Item *item)
{
  g_free (item->topic);
  g_clear_pointer (&item->payload, g_bytes_unref);
  g_clear_pointer (&item->properties, antenna_properties_unref);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Item, item_free)

/* ---- one line ---- */

static gboolean
is_blank (const guint8 *data,
          gsize         length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

static Item *
parse_item (const char  *data,
            gsize        length,
            guint64      line,
            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(Item) item = g_new0 (Item, 1);
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *node;

  item->line = line;
  root = antenna_payload_parse_json (data, length, &local_error);
  if (root == NULL)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD, "%s", local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                           _("not a JSON object."));
      return NULL;
    }
  object = json_node_get_object (root);

  node = json_object_get_member (object, "topic");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                           _("“topic” is missing or not a string."));
      return NULL;
    }
  item->topic = g_strdup (json_node_get_string (node));
  if (!antenna_topic_validate_name (item->topic, -1, &local_error))
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD, "%s", local_error->message);
      return NULL;
    }

  if (json_object_has_member (object, "payload") && json_object_has_member (object, "payload_base64"))
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                           _("both “payload” and “payload_base64”: keep one."));
      return NULL;
    }
  node = json_object_get_member (object, "payload");
  if (node != NULL)
    {
      const char *text;

      if (json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                               _("“payload” is not a string (use “payload_base64” for bytes)."));
          return NULL;
        }
      text = json_node_get_string (node);
      item->payload = g_bytes_new (text, strlen (text));
    }
  node = json_object_get_member (object, "payload_base64");
  if (node != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                               _("“payload_base64” is not a string."));
          return NULL;
        }
      item->payload = antenna_payload_decode (json_node_get_string (node), -1,
                                              ANTENNA_PAYLOAD_FORMAT_BASE64, &local_error);
      if (item->payload == NULL)
        {
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                       "“payload_base64”: %s", local_error->message);
          return NULL;
        }
    }
  if (item->payload == NULL)
    item->payload = g_bytes_new (NULL, 0);
  if (g_bytes_get_size (item->payload) > ANTENNA_MQTT_MAX_PAYLOAD)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                           _("the payload is larger than MQTT allows (256 MB)."));
      return NULL;
    }

  node = json_object_get_member (object, "qos");
  if (node != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0 || json_node_get_int (node) > 2)
        {
          g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                               _("“qos” must be 0, 1 or 2."));
          return NULL;
        }
      item->qos = json_node_get_int (node);
    }
  node = json_object_get_member (object, "retain");
  if (node != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                               _("“retain” must be true or false."));
          return NULL;
        }
      item->retain = json_node_get_boolean (node);
    }
  node = json_object_get_member (object, "delay_ms");
  if (node != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXINT32)
        {
          g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                               _("“delay_ms” must be a whole number of milliseconds."));
          return NULL;
        }
      item->delay_ms = json_node_get_int (node);
    }
  node = json_object_get_member (object, "properties");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      item->properties = antenna_properties_new_from_json (node, &local_error);
      if (item->properties == NULL)
        {
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                       "“properties”: %s", local_error->message);
          return NULL;
        }
      if (antenna_properties_is_empty (item->properties))
        g_clear_pointer (&item->properties, antenna_properties_unref);
    }

  return g_steal_pointer (&item);
}

/* ---- reading lines ---- */

/* The next whole line into self->line from what was read; FALSE when more
 * must be read first (or at the end: a last line without a newline counts). */
static gboolean
take_line (AntennaPublishBatch *self)
{
  const guint8 *start = self->buffer->data + self->buffer_pos;
  gsize available = self->buffer->len - self->buffer_pos;
  /* nothing read yet: the buffer's data may be NULL */
  const guint8 *newline = available > 0 ? memchr (start, '\n', available) : NULL;

  if (available == 0)
    return self->eof && self->line->len > 0;

  if (newline != NULL)
    {
      g_byte_array_append (self->line, start, newline - start);
      self->buffer_pos += newline - start + 1;
      return TRUE;
    }

  g_byte_array_append (self->line, start, available);
  g_byte_array_set_size (self->buffer, 0);
  self->buffer_pos = 0;

  return self->eof && self->line->len > 0;
}

static void
complete (AntennaPublishBatch *self,
          GError              *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->notify_id, g_source_remove);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->pending, item_free);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINES]);
  g_object_thaw_notify (G_OBJECT (self));

  if (task == NULL)
    return;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AntennaPublishBatch) self = user_data;
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  self->reading = FALSE;
  if (self->task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (n < 0)
    {
      complete (self, error);
      return;
    }

  g_byte_array_set_size (self->buffer, n);
  self->buffer_pos = 0;
  if (n == 0)
    self->eof = TRUE;

  pump (self);
}

static void
read_more (AntennaPublishBatch *self)
{
  self->reading = TRUE;
  g_byte_array_set_size (self->buffer, READ_SIZE);
  g_input_stream_read_async (self->stream, self->buffer->data, READ_SIZE, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (self->task), on_read_cb, g_object_ref (self));
}

/* ---- the two passes ---- */

static void
note_invalid (AntennaPublishBatch *self,
              guint64              line,
              const char          *why)
{
  g_array_append_val (self->invalid, line);
  if (self->reasons->len < MAX_REASONS)
    g_ptr_array_add (self->reasons, g_strdup (why));
}

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

static void
on_opened_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AntennaPublishBatch) self = user_data;
  GError *error = NULL;
  GFileInputStream *stream = g_file_read_finish (G_FILE (object), result, &error);

  self->reading = FALSE;
  if (self->task == NULL)
    {
      g_clear_error (&error);
      g_clear_object (&stream);
      return;
    }
  if (stream == NULL)
    {
      complete (self, error);
      return;
    }

  self->stream = G_INPUT_STREAM (stream);
  pump (self);
}

static void
open_file (AntennaPublishBatch *self)
{
  g_clear_object (&self->stream);
  g_byte_array_set_size (self->buffer, 0);
  g_byte_array_set_size (self->line, 0);
  self->buffer_pos = 0;
  self->eof = FALSE;
  self->lines = 0;
  self->reading = TRUE;
  g_file_read_async (self->file, G_PRIORITY_DEFAULT, g_task_get_cancellable (self->task),
                     on_opened_cb, g_object_ref (self));
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
  Item *item = self->pending;

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
  g_clear_pointer (&self->pending, item_free);
  return TRUE;
}

static void
end_of_pass (AntennaPublishBatch *self)
{
  if (self->validating)
    {
      if (self->invalid->len > 0 && !self->skip_invalid)
        {
          complete (self, invalid_lines_error (self));
          return;
        }
      self->validating = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATING]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
      self->start_us = g_get_monotonic_time ();
      open_file (self);
      return;
    }

  if (self->in_flight == 0)
    complete (self, NULL);
}

/* Moves on as far as it can without waiting. */
static void
pump (AntennaPublishBatch *self)
{
  g_autoptr(GError) error = NULL;

  if (self->task == NULL || self->reading || self->timer_id != 0)
    return;
  if (g_task_return_error_if_cancelled (self->task))
    {
      g_clear_object (&self->task);
      complete (self, NULL);
      return;
    }

  while (TRUE)
    {
      if (self->pending != NULL)
        {
          if (self->paused || !try_send (self))
            return;
          continue;
        }
      if (self->stream == NULL)
        return;   /* opening */
      if (self->eof && self->buffer_pos >= self->buffer->len && self->line->len == 0)
        {
          end_of_pass (self);
          return;
        }
      if (!take_line (self))
        {
          if (self->eof)
            continue;
          read_more (self);
          return;
        }

      self->lines++;
      if (!is_blank (self->line->data, self->line->len))
        {
          g_autoptr(Item) item = parse_item ((const char *) self->line->data, self->line->len,
                                             self->lines, &error);

          if (item == NULL)
            {
              if (self->validating)
                note_invalid (self, self->lines, error->message);
              g_clear_error (&error);
            }
          else if (self->validating)
            self->total++;
          else
            self->pending = g_steal_pointer (&item);
        }
      /* a 64 MiB line is not kept for the next one */
      if (self->line->len > READ_SIZE)
        {
          g_byte_array_unref (self->line);
          self->line = g_byte_array_new ();
        }
      else
        g_byte_array_set_size (self->line, 0);
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
  AntennaPublishBatch *self = user_data;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINES]);
  g_object_thaw_notify (G_OBJECT (self));
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
  g_clear_object (&self->stream);
  g_clear_object (&self->client);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (antenna_publish_batch_parent_class)->dispose (object);
}

static void
antenna_publish_batch_finalize (GObject *object)
{
  AntennaPublishBatch *self = ANTENNA_PUBLISH_BATCH (object);

  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->buffer, g_byte_array_unref);
  g_clear_pointer (&self->pending, item_free);
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
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_publish_batch_init (AntennaPublishBatch *self)
{
  self->line = g_byte_array_new ();
  self->buffer = g_byte_array_new ();
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
  return self->lines;
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
  self->validating = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATING]);
  self->notify_id = g_timeout_add (NOTIFY_INTERVAL_MS, notify_cb, self);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (on_cancelled_cb), self, 0);
  open_file (self);
}

gboolean
antenna_publish_batch_run_finish (AntennaPublishBatch  *self,
                                  GAsyncResult         *result,
                                  GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
