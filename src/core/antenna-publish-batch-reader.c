/* antenna-publish-batch-reader.c: a JSON Lines file of messages, read and checked in a thread
 *
 * A reader is one pass over the file. Its tasks run one at a time in GIO's
 * thread pool, read the file with blocking reads of READ_SIZE bytes, split
 * it into lines and parse each (JSON, the topic's rules, Base64, the
 * properties): the work that took a second of the main loop for a 64 MiB
 * line. The thread owns the stream and the buffers while its task runs; the
 * main thread reads the progress under the mutex, and the rest once the
 * task has returned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-batch"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-error.h"
#include "antenna-payload.h"
#include "antenna-properties.h"
#include "antenna-publish-batch-private.h"
#include "antenna-topic.h"

#define READ_SIZE (256 * 1024)
#define MAX_REASONS 1000

struct _AntennaBatchReader
{
  GFile        *file;

  /* The thread's, while a task runs */
  GInputStream *stream;
  GByteArray   *buffer;       /* read, not yet split */
  gsize         buffer_pos;
  GByteArray   *line;
  gboolean      eof;
  guint64       number;       /* of the last line taken */

  /* The check's results: the thread's until its task returns */
  guint64       total;
  GArray       *invalid;      /* guint64 line numbers */
  GPtrArray    *reasons;

  /* Progress: shared */
  GMutex        mutex;
  guint64       lines;
  guint64       bytes_read;
  guint64       size;
};

void
_antenna_batch_item_free (AntennaBatchItem *item)
{
  g_free (item->topic);
  g_clear_pointer (&item->payload, g_bytes_unref);
  g_clear_pointer (&item->properties, antenna_properties_unref);
  g_free (item);
}

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

static AntennaBatchItem *
parse_item (const char  *data,
            gsize        length,
            guint64      line,
            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(AntennaBatchItem) item = g_new0 (AntennaBatchItem, 1);
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

/* ---- reading lines (in the thread) ---- */

static gboolean
open_stream (AntennaBatchReader  *self,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (self->stream != NULL)
    return TRUE;

  stream = g_file_read (self->file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);

  g_mutex_lock (&self->mutex);
  self->size = info != NULL ? (guint64) g_file_info_get_size (info) : 0;
  g_mutex_unlock (&self->mutex);

  self->stream = G_INPUT_STREAM (g_steal_pointer (&stream));
  return TRUE;
}

/* The next line into self->line: TRUE; FALSE at the end of the file, or
 * with @error set. A last line without a newline counts. */
static gboolean
next_line (AntennaBatchReader  *self,
           GCancellable        *cancellable,
           GError             **error)
{
  /* a 64 MiB line is not kept for the next one */
  if (self->line->len > READ_SIZE)
    {
      g_byte_array_unref (self->line);
      self->line = g_byte_array_new ();
    }
  else
    g_byte_array_set_size (self->line, 0);

  if (!open_stream (self, cancellable, error))
    return FALSE;

  while (TRUE)
    {
      gsize available = self->buffer->len - self->buffer_pos;
      gssize n;

      if (available > 0)
        {
          const guint8 *start = self->buffer->data + self->buffer_pos;
          const guint8 *newline = memchr (start, '\n', available);

          if (newline != NULL)
            {
              g_byte_array_append (self->line, start, newline - start);
              self->buffer_pos += newline - start + 1;
              return TRUE;
            }
          g_byte_array_append (self->line, start, available);
          self->buffer_pos = self->buffer->len;
        }

      if (self->eof)
        return self->line->len > 0;

      g_byte_array_set_size (self->buffer, READ_SIZE);
      self->buffer_pos = 0;
      n = g_input_stream_read (self->stream, self->buffer->data, READ_SIZE, cancellable, error);
      if (n < 0)
        {
          g_byte_array_set_size (self->buffer, 0);
          return FALSE;
        }
      g_byte_array_set_size (self->buffer, n);
      if (n == 0)
        self->eof = TRUE;

      g_mutex_lock (&self->mutex);
      self->bytes_read += n;
      g_mutex_unlock (&self->mutex);
    }
}

/* The next line parsed: an item, NULL for a blank line (*@why NULL) or an
 * invalid one (*@why the reason). FALSE at the end or with @error set. */
static gboolean
next_item (AntennaBatchReader  *self,
           AntennaBatchItem   **item,
           char               **why,
           GCancellable        *cancellable,
           GError             **error)
{
  g_autoptr(GError) invalid = NULL;

  *item = NULL;
  *why = NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !next_line (self, cancellable, error))
    return FALSE;

  self->number++;
  if (!is_blank (self->line->data, self->line->len))
    {
      *item = parse_item ((const char *) self->line->data, self->line->len, self->number, &invalid);
      if (*item == NULL)
        *why = g_strdup (invalid->message);
    }

  g_mutex_lock (&self->mutex);
  self->lines = self->number;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AntennaBatchReader *self = task_data;
  g_autoptr(AntennaBatchItem) item = NULL;
  g_autofree char *why = NULL;
  GError *error = NULL;

  while (next_item (self, &item, &why, cancellable, &error))
    {
      if (item != NULL)
        self->total++;
      else if (why != NULL)
        {
          g_array_append_val (self->invalid, self->number);
          if (self->reasons->len < MAX_REASONS)
            g_ptr_array_add (self->reasons, g_steal_pointer (&why));
        }
      g_clear_pointer (&item, _antenna_batch_item_free);
      g_clear_pointer (&why, g_free);
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AntennaBatchReader *self = task_data;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) _antenna_batch_item_free);
  gsize bytes = 0;
  GError *error = NULL;

  while (items->len < ANTENNA_BATCH_CHUNK_ITEMS && bytes < ANTENNA_BATCH_CHUNK_BYTES)
    {
      AntennaBatchItem *item;
      g_autofree char *why = NULL;

      if (!next_item (self, &item, &why, cancellable, &error))
        break;
      /* invalid lines were counted by the check: skipped */
      if (item != NULL)
        {
          bytes += g_bytes_get_size (item->payload);
          g_ptr_array_add (items, item);
        }
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

/* ---- API ---- */

static void
reader_clear (gpointer data)
{
  AntennaBatchReader *self = data;

  g_clear_object (&self->file);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->buffer, g_byte_array_unref);
  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->invalid, g_array_unref);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);
}

AntennaBatchReader *
_antenna_batch_reader_new (GFile *file)
{
  AntennaBatchReader *self = g_atomic_rc_box_new0 (AntennaBatchReader);

  self->file = g_object_ref (file);
  self->buffer = g_byte_array_new ();
  self->line = g_byte_array_new ();
  self->invalid = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->reasons = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&self->mutex);
  return self;
}

AntennaBatchReader *
_antenna_batch_reader_ref (AntennaBatchReader *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
_antenna_batch_reader_unref (AntennaBatchReader *self)
{
  g_atomic_rc_box_release_full (self, reader_clear);
}

void
_antenna_batch_reader_get_progress (AntennaBatchReader *self,
                                    guint64            *lines,
                                    guint64            *bytes_read,
                                    guint64            *size)
{
  g_mutex_lock (&self->mutex);
  if (lines != NULL)
    *lines = self->lines;
  if (bytes_read != NULL)
    *bytes_read = self->bytes_read;
  if (size != NULL)
    *size = self->size;
  g_mutex_unlock (&self->mutex);
}

static void
run_in_thread (AntennaBatchReader  *self,
               gpointer             source_tag,
               GTaskThreadFunc      func,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* the thread holds the reader: a batch dropped meanwhile is safe */
  g_task_set_task_data (task, _antenna_batch_reader_ref (self), (GDestroyNotify) _antenna_batch_reader_unref);
  g_task_run_in_thread (task, func);
}

void
_antenna_batch_reader_check_async (AntennaBatchReader  *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  run_in_thread (self, _antenna_batch_reader_check_async, check_thread, cancellable, callback, user_data);
}

gboolean
_antenna_batch_reader_check_finish (AntennaBatchReader  *self,
                                    GAsyncResult        *result,
                                    guint64             *total,
                                    GArray             **invalid,
                                    GPtrArray          **reasons,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_task_data (G_TASK (result)) == self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  *total = self->total;
  *invalid = self->invalid;
  *reasons = self->reasons;
  return TRUE;
}

void
_antenna_batch_reader_read_async (AntennaBatchReader  *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  run_in_thread (self, _antenna_batch_reader_read_async, read_thread, cancellable, callback, user_data);
}

GPtrArray *
_antenna_batch_reader_read_finish (AntennaBatchReader  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_task_data (G_TASK (result)) == self, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
