/* antenna-payload-file.c: read a payload from a file, without blocking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-payload-file"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-error.h"
#include "antenna-payload.h"
#include "antenna-payload-file.h"

typedef struct
{
  GFile                      *file;
  GInputStream               *stream;
  GByteArray                 *buffer;
  goffset                     size;
  goffset                     done;
  AntennaPayloadFileProgress  progress;
  gpointer                    progress_data;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data);
}

static void read_next (GTask *task);

static char *
dup_name (GFile *file)
{
  return g_file_get_parse_name (file);
}

static void
propagate_io_error (GTask  *task,
                    GError *error)
{
  LoadData *data = g_task_get_task_data (task);
  g_autofree char *name = dup_name (data->file);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                           _("Could not read “%s”: %s"), name, error->message);
  g_error_free (error);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      propagate_io_error (task, error);
      return;
    }

  if (n == 0)
    {
      /* The file got shorter while we read it: send what it holds now. */
      g_byte_array_set_size (data->buffer, data->done);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  data->done += n;
  if (data->progress != NULL)
    data->progress (data->done, data->size, data->progress_data);

  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);
  gsize want = MIN ((goffset) ANTENNA_PAYLOAD_FILE_CHUNK_SIZE, data->size - data->done);

  if (want == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }

  g_input_stream_read_async (data->stream, data->buffer->data + data->done, want,
                             g_task_get_priority (task), g_task_get_cancellable (task),
                             on_read_cb, task);
}

static void
on_read_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = dup_name (data->file);
  GError *error = NULL;

  stream = g_file_read_finish (G_FILE (object), result, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                                   _("Could not read “%s”: there is no such file."), name);
          return;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        {
          g_clear_error (&error);
          g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                                   _("Could not read “%s”: it is a folder, not a file."), name);
          return;
        }
      propagate_io_error (task, error);
      return;
    }

  /* The size of what was opened, not of what the name pointed to before. */
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         g_task_get_cancellable (task), &error);
  if (info == NULL)
    {
      propagate_io_error (task, error);
      return;
    }

  data->size = g_file_info_get_size (info);
  if (data->size > ANTENNA_MQTT_MAX_PAYLOAD)
    {
      g_autofree char *size = g_format_size_full (data->size, G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *max = g_format_size_full (ANTENNA_MQTT_MAX_PAYLOAD, G_FORMAT_SIZE_LONG_FORMAT);

      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                               _("“%s” is too large to publish: %s, and an MQTT message holds at most %s."),
                               name, size, max);
      return;
    }

  data->stream = G_INPUT_STREAM (g_steal_pointer (&stream));
  data->buffer = g_byte_array_sized_new (data->size);
  g_byte_array_set_size (data->buffer, data->size);

  if (data->progress != NULL)
    data->progress (0, data->size, data->progress_data);

  read_next (g_steal_pointer (&task));
}

static void
on_info_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = dup_name (data->file);
  GError *error = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                                   _("Could not read “%s”: there is no such file."), name);
          return;
        }
      propagate_io_error (task, error);
      return;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                               _("Could not read “%s”: it is a folder, not a file."), name);
      return;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR &&
      g_file_info_get_size (info) > ANTENNA_MQTT_MAX_PAYLOAD)
    {
      g_autofree char *size = g_format_size_full (g_file_info_get_size (info), G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *max = g_format_size_full (ANTENNA_MQTT_MAX_PAYLOAD, G_FORMAT_SIZE_LONG_FORMAT);

      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                               _("“%s” is too large to publish: %s, and an MQTT message holds at most %s."),
                               name, size, max);
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                               _("Could not read “%s”: only a regular file can be a payload."), name);
      return;
    }

  /* (Arguments are evaluated in any order: no g_steal_pointer beside a use.) */
  g_file_read_async (data->file, G_PRIORITY_DEFAULT_IDLE, g_task_get_cancellable (task),
                     on_read_opened_cb, task);
  task = NULL;
}

void
antenna_payload_file_load_async (GFile                      *file,
                                 AntennaPayloadFileProgress  progress,
                                 gpointer                    progress_data,
                                 GCancellable               *cancellable,
                                 GAsyncReadyCallback         callback,
                                 gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_payload_file_load_async);
  g_task_set_priority (task, G_PRIORITY_DEFAULT_IDLE);

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  /* Refuse a file too large before reading a byte of it. */
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT_IDLE, cancellable,
                           on_info_cb, task);
  task = NULL;
}

GBytes *
antenna_payload_file_load_finish (GFile         *file,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, file), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
