/* antenna-capture-export.c: a capture as CSV or JSON Lines
 *
 * Streams the messages from the reader (never the whole capture in memory)
 * into a buffered output stream. A payload that is valid UTF-8 without NUL
 * goes out as text, any other in Base64, and a column (member) says which,
 * so that what is read back is byte for byte what was recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-capture"

#include "config.h"

#include <string.h>
#include <time.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "antenna-capture-export.h"
#include "antenna-capture-private.h"
#include "antenna-message.h"
#include "antenna-properties.h"

#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 10)

typedef struct
{
  AntennaCaptureFormat    format;
  GOutputStream          *out;
  GString                *line;
  GCancellable           *cancellable;
  GError                 *error;
  AntennaCaptureProgress  progress;
  gpointer                progress_data;
  guint64                 done;
  guint64                 total;
  gint64                  last_progress;
} Export;

gboolean
antenna_capture_format_parse (const char           *text,
                              AntennaCaptureFormat *format)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  if (g_ascii_strcasecmp (text, "csv") == 0)
    *format = ANTENNA_CAPTURE_FORMAT_CSV;
  else if (g_ascii_strcasecmp (text, "jsonl") == 0 || g_ascii_strcasecmp (text, "json-lines") == 0)
    *format = ANTENNA_CAPTURE_FORMAT_JSON_LINES;
  else
    return FALSE;
  return TRUE;
}

static void
append_time (GString *line,
             gint64   usec)
{
  time_t seconds = (time_t) (usec >= 0 ? usec / G_USEC_PER_SEC : (usec - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC);
  gint64 fraction = usec - (gint64) seconds * G_USEC_PER_SEC;
  struct tm tm;

  gmtime_r (&seconds, &tm);
  g_string_append_printf (line, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fraction);
}

static gboolean
is_text (const char *data,
         gsize       size)
{
  return memchr (data, '\0', size) == NULL && g_utf8_validate (data, size, NULL);
}

/* RFC 4180: a field in double quotes, quotes doubled. */
static void
append_csv_field (GString    *line,
                  const char *text,
                  gssize      length)
{
  const char *end;

  if (length < 0)
    length = strlen (text);
  end = text + length;

  g_string_append_c (line, '"');
  for (const char *p = text; p < end; )
    {
      const char *quote = memchr (p, '"', end - p);

      if (quote == NULL)
        {
          g_string_append_len (line, p, end - p);
          break;
        }
      g_string_append_len (line, p, quote - p + 1);
      g_string_append_c (line, '"');
      p = quote + 1;
    }
  g_string_append_c (line, '"');
}

static void
append_csv (Export         *export,
            AntennaMessage *message)
{
  GString *line = export->line;
  gsize size;
  const char *data = g_bytes_get_data (antenna_message_get_payload (message), &size);
  gboolean text = data == NULL || is_text (data, size);

  append_time (line, antenna_message_get_timestamp (message));
  g_string_append_c (line, ',');
  append_csv_field (line, antenna_message_get_topic (message), -1);
  g_string_append_printf (line, ",%d,%d,%s,%s,",
                          antenna_message_get_qos (message),
                          antenna_message_get_retain (message),
                          antenna_message_get_direction (message) == ANTENNA_MESSAGE_SENT ? "sent" : "received",
                          text ? "text" : "base64");
  if (text)
    append_csv_field (line, data != NULL ? data : "", size);
  else
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) data, size);

      g_string_append (line, b64);
    }
  g_string_append (line, "\r\n");
}

static void
append_json (Export         *export,
             AntennaMessage *message,
             const char     *subscription)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) time_text = g_string_new (NULL);
  AntennaProperties *props = antenna_message_get_properties (message);
  gsize size;
  const char *data = g_bytes_get_data (antenna_message_get_payload (message), &size);
  gboolean text = data == NULL || is_text (data, size);

  append_time (time_text, antenna_message_get_timestamp (message));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time_text->str);
  json_builder_set_member_name (builder, "time_us");
  json_builder_add_int_value (builder, antenna_message_get_timestamp (message));
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, antenna_message_get_topic (message));
  json_builder_set_member_name (builder, "qos");
  json_builder_add_int_value (builder, antenna_message_get_qos (message));
  json_builder_set_member_name (builder, "retain");
  json_builder_add_boolean_value (builder, antenna_message_get_retain (message));
  json_builder_set_member_name (builder, "dup");
  json_builder_add_boolean_value (builder, antenna_message_get_dup (message));
  json_builder_set_member_name (builder, "direction");
  json_builder_add_string_value (builder, antenna_message_get_direction (message) == ANTENNA_MESSAGE_SENT
                                          ? "sent" : "received");
  json_builder_set_member_name (builder, "encoding");
  json_builder_add_string_value (builder, text ? "text" : "base64");
  json_builder_set_member_name (builder, "payload");
  if (text)
    {
      g_autofree char *copy = g_strndup (data != NULL ? data : "", size);

      json_builder_add_string_value (builder, copy);
    }
  else
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) data, size);

      json_builder_add_string_value (builder, b64);
    }
  if (!antenna_properties_is_empty (props))
    {
      g_autofree char *props_text = _antenna_capture_properties_to_text (props);

      json_builder_set_member_name (builder, "properties");
      json_builder_add_value (builder, json_from_string (props_text, NULL));
    }
  if (subscription != NULL)
    {
      json_builder_set_member_name (builder, "subscription");
      json_builder_add_string_value (builder, subscription);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  {
    g_autofree char *json = json_generator_to_data (generator, NULL);

    g_string_append (export->line, json);
  }
  g_string_append_c (export->line, '\n');
}

static gboolean
write_line (Export *export)
{
  gboolean ok = g_output_stream_write_all (export->out, export->line->str, export->line->len, NULL,
                                           export->cancellable, &export->error);

  g_string_truncate (export->line, 0);
  return ok;
}

static void
report_progress (Export   *export,
                 gboolean  force)
{
  gint64 now;

  if (export->progress == NULL)
    return;

  now = g_get_monotonic_time ();
  if (!force && now - export->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  export->last_progress = now;
  export->progress (export->done, export->total, export->progress_data);
}

static gboolean
export_message_cb (gint64          id,
                   AntennaMessage *message,
                   const char     *subscription,
                   gpointer        user_data)
{
  Export *export = user_data;

  if (export->format == ANTENNA_CAPTURE_FORMAT_CSV)
    append_csv (export, message);
  else
    append_json (export, message, subscription);

  /* Lines gather to 64 KiB before a write. */
  if (export->line->len >= 64 * 1024 && !write_line (export))
    return FALSE;

  export->done++;
  report_progress (export, FALSE);
  return TRUE;
}

static void
export_init (Export                 *export,
             AntennaCaptureFormat    format,
             GOutputStream          *out,
             AntennaCaptureProgress  progress,
             gpointer                progress_data,
             GCancellable           *cancellable)
{
  export->format = format;
  export->out = out;
  export->line = g_string_sized_new (128 * 1024);
  export->cancellable = cancellable;
  export->progress = progress;
  export->progress_data = progress_data;

  if (format == ANTENNA_CAPTURE_FORMAT_CSV)
    g_string_append (export->line, "time,topic,qos,retain,direction,encoding,payload\r\n");
}

/* Writes what is left and frees @export; @ok says whether the messages went
 * through. */
static gboolean
export_finish (Export   *export,
               gboolean  ok,
               GError  **error)
{
  if (ok && export->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&export->error));
      ok = FALSE;
    }
  if (ok)
    ok = write_line (export) && g_output_stream_flush (export->out, export->cancellable, &export->error);
  if (!ok && export->error != NULL)
    g_propagate_error (error, g_steal_pointer (&export->error));
  if (ok)
    report_progress (export, TRUE);

  g_clear_error (&export->error);
  g_string_free (export->line, TRUE);
  return ok;
}

gboolean
antenna_capture_export (AntennaCaptureReader       *reader,
                        const AntennaCaptureQuery  *query,
                        AntennaCaptureFormat        format,
                        GOutputStream              *out,
                        AntennaCaptureProgress      progress,
                        gpointer                    progress_data,
                        GCancellable               *cancellable,
                        GError                    **error)
{
  Export export = { 0, };
  gboolean ok;

  g_return_val_if_fail (ANTENNA_IS_CAPTURE_READER (reader), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  if (progress != NULL)
    {
      gint64 total = antenna_capture_reader_count (reader, query, error);

      if (total < 0)
        return FALSE;
      export.total = total;
    }

  export_init (&export, format, out, progress, progress_data, cancellable);
  ok = antenna_capture_reader_foreach (reader, query, export_message_cb, &export, cancellable, error);
  return export_finish (&export, ok, error);
}

gboolean
antenna_capture_export_messages (GPtrArray                *messages,
                                 AntennaCaptureFormat      format,
                                 GOutputStream            *out,
                                 AntennaCaptureProgress    progress,
                                 gpointer                  progress_data,
                                 GCancellable             *cancellable,
                                 GError                  **error)
{
  Export export = { 0, };
  gboolean ok = TRUE;

  g_return_val_if_fail (messages != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  export_init (&export, format, out, progress, progress_data, cancellable);
  export.total = messages->len;
  for (guint i = 0; ok && i < messages->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      else
        ok = export_message_cb (0, g_ptr_array_index (messages, i), NULL, &export);
    }
  return export_finish (&export, ok, error);
}

/* ---- off the main thread ---- */

typedef struct
{
  char                   *capture_path;   /* or messages */
  GPtrArray              *messages;
  char                   *topic_filter;
  char                   *payload_text;
  char                   *text;
  AntennaCaptureQuery     query;
  AntennaCaptureFormat    format;
  GFile                  *destination;
  AntennaCaptureProgress  progress;
  gpointer                progress_data;
  GMainContext           *context;
} ExportJob;

typedef struct
{
  GTask     *task;
  ExportJob *job;
  guint64    done;
  guint64    total;
} ProgressReport;

static void
export_job_free (ExportJob *job)
{
  g_free (job->capture_path);
  g_clear_pointer (&job->messages, g_ptr_array_unref);
  g_free (job->topic_filter);
  g_free (job->payload_text);
  g_free (job->text);
  g_clear_object (&job->destination);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

static gboolean
on_progress_idle_cb (gpointer user_data)
{
  ProgressReport *report = user_data;

  report->job->progress (report->done, report->total, report->job->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (ProgressReport *report)
{
  g_object_unref (report->task);
  g_free (report);
}

static void
progress_in_thread (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  ProgressReport *report = g_new (ProgressReport, 1);
  g_autoptr(GSource) source = g_idle_source_new ();

  report->task = g_object_ref (task);
  report->job = job;
  report->done = done;
  report->total = total;
  g_source_set_callback (source, on_progress_idle_cb, report, (GDestroyNotify) progress_report_free);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_attach (source, job->context);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(AntennaCaptureReader) reader = NULL;
  g_autoptr(GFileOutputStream) file_out = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  if (job->capture_path != NULL)
    {
      reader = antenna_capture_reader_open (job->capture_path, &error);
      if (reader == NULL)
        goto fail;
    }

  file_out = g_file_replace (job->destination, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, &error);
  if (file_out == NULL)
    goto fail;
  out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (file_out), 256 * 1024);

  if (reader != NULL
      ? !antenna_capture_export (reader, &job->query, job->format, out,
                                 job->progress != NULL ? progress_in_thread : NULL, task,
                                 cancellable, &error)
      : !antenna_capture_export_messages (job->messages, job->format, out,
                                          job->progress != NULL ? progress_in_thread : NULL, task,
                                          cancellable, &error))
    {
      /* A replace that is cancelled leaves the old file as it was. */
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      g_output_stream_close (out, abort, NULL);
      goto fail;
    }
  if (!g_output_stream_close (out, cancellable, &error))
    goto fail;

  g_task_return_boolean (task, TRUE);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
}

static ExportJob *
export_job_new (AntennaCaptureFormat    format,
                GFile                  *destination,
                AntennaCaptureProgress  progress,
                gpointer                progress_data)
{
  ExportJob *job = g_new0 (ExportJob, 1);

  antenna_capture_query_init (&job->query);
  job->format = format;
  job->destination = g_object_ref (destination);
  job->progress = progress;
  job->progress_data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  return job;
}

static void
export_job_run (ExportJob           *job,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, antenna_capture_export_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

void
antenna_capture_export_async (const char                *capture_path,
                              const AntennaCaptureQuery *query,
                              AntennaCaptureFormat       format,
                              GFile                     *destination,
                              AntennaCaptureProgress     progress,
                              gpointer                   progress_data,
                              GCancellable              *cancellable,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  ExportJob *job;

  g_return_if_fail (capture_path != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  job = export_job_new (format, destination, progress, progress_data);
  job->capture_path = g_strdup (capture_path);
  if (query != NULL)
    {
      job->query = *query;
      job->topic_filter = g_strdup (query->topic_filter);
      job->payload_text = g_strdup (query->payload_text);
      job->text = g_strdup (query->text);
      job->query.topic_filter = job->topic_filter;
      job->query.payload_text = job->payload_text;
      job->query.text = job->text;
    }
  export_job_run (job, cancellable, callback, user_data);
}

/* Messages are immutable: the thread reads the ones @messages holds. */
void
antenna_capture_export_messages_async (GPtrArray               *messages,
                                       AntennaCaptureFormat     format,
                                       GFile                   *destination,
                                       AntennaCaptureProgress   progress,
                                       gpointer                 progress_data,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data)
{
  ExportJob *job;

  g_return_if_fail (messages != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  job = export_job_new (format, destination, progress, progress_data);
  job->messages = g_ptr_array_ref (messages);
  export_job_run (job, cancellable, callback, user_data);
}

gboolean
antenna_capture_export_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

AntennaCaptureFormat
antenna_capture_format_for_file (GFile *destination)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (destination), ANTENNA_CAPTURE_FORMAT_CSV);

  name = g_file_get_basename (destination);
  if (g_str_has_suffix (name, ".jsonl") || g_str_has_suffix (name, ".json"))
    return ANTENNA_CAPTURE_FORMAT_JSON_LINES;
  return ANTENNA_CAPTURE_FORMAT_CSV;
}

char *
antenna_capture_export_progress_text (GFile   *destination,
                                      guint64  done,
                                      guint64  total)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  name = g_file_get_basename (destination);
  return g_strdup_printf (_("Exporting to “%s”: %llu of %llu"), name,
                          (unsigned long long) done, (unsigned long long) total);
}

char *
antenna_capture_export_result_text (GFile        *destination,
                                    const GError *error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  name = g_file_get_basename (destination);
  if (error == NULL)
    return g_strdup_printf (_("Exported to “%s”."), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup_printf (_("Export to “%s” cancelled."), name);
  return g_strdup_printf (_("Could not export: %s"), error->message);
}
