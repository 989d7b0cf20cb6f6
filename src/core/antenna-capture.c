/* antenna-capture.c: recording the messages of a connection to a capture file
 *
 * The main thread only queues references to AntennaMessage (so a payload of
 * 256 MB is never copied, nor held twice); one writer thread per capture
 * takes the whole queue at a time and writes it in a transaction that it
 * commits at least twice a second, so that a process killed while
 * recording leaves a file that holds everything up to the last commit
 * (WAL: a commit is a write(2) into the -wal file, which the next opener
 * recovers). The payload is bound with SQLITE_STATIC straight from the
 * GBytes. An error (a full disk, a read-only folder, an I/O error) stops
 * the writer: what was committed stays, the queue is dropped, and ::failed
 * reaches the main thread with the GError.
 *
 * The writer and the object share a reference-counted state, so that a
 * capture dropped while the writer still writes is safe: the writer ends
 * by itself once the queue is written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-capture"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "antenna-capture.h"
#include "antenna-capture-private.h"
#include "antenna-client.h"
#include "antenna-message.h"
#include "antenna-subscription.h"
#include "antenna-properties.h"
#include "antenna-topic.h"

/* The writer commits at least this often while messages come. */
#define COMMIT_INTERVAL_USEC (G_USEC_PER_SEC / 2)
/* What a row costs beyond its payload, topic and properties (a guess at
 * SQLite's record and index overhead, for the size cap). */
#define ROW_OVERHEAD 48

typedef struct
{
  gatomicrefcount  ref_count;
  char            *path;
  GMainContext    *context;     /* the owner's main context */
  GWeakRef         owner;

  GMutex           lock;
  GCond            cond;
  /* Under lock */
  GPtrArray       *queue;       /* of AntennaMessage */
  char           **filters;
  guint            filters_serial;
  gboolean         stopping;

  /* The writer's own */
  sqlite3         *db;
  sqlite3_stmt    *insert;
  guint64          max_size;
  guint64          total_size;

  /* Written by the writer, read anywhere */
  gint             failed;      /* atomic */
  guint64          n_written;   /* under lock */
  GError          *error;       /* set once, before failed */
} CaptureState;

struct _AntennaCapture
{
  GObject       parent_instance;

  CaptureState *state;
  guint64       n_queued;
  gboolean      recording;
  gboolean      finished;       /* the writer ended and said so */
  GError       *error;
  GSList       *stop_tasks;     /* of GTask */
  GWeakRef      client;         /* attached, or empty */
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_RECORDING,
  N_PROPS
};

enum {
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaCapture, antenna_capture, G_TYPE_OBJECT)

/* ---- the state shared with the writer ---- */

static CaptureState *
capture_state_ref (CaptureState *state)
{
  g_atomic_ref_count_inc (&state->ref_count);
  return state;
}

static void
capture_state_unref (CaptureState *state)
{
  if (!g_atomic_ref_count_dec (&state->ref_count))
    return;

  g_assert (state->db == NULL);
  g_clear_pointer (&state->queue, g_ptr_array_unref);
  g_clear_pointer (&state->filters, g_strfreev);
  g_clear_pointer (&state->context, g_main_context_unref);
  g_clear_error (&state->error);
  g_weak_ref_clear (&state->owner);
  g_mutex_clear (&state->lock);
  g_cond_clear (&state->cond);
  g_free (state->path);
  g_free (state);
}

/* ---- the file format, shared with the reader ---- */

char *
_antenna_capture_properties_to_text (AntennaProperties *props)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  if (props == NULL || antenna_properties_is_empty (props))
    return NULL;

  node = antenna_properties_to_json (props);
  if (props->subscription_ids->len > 0)
    {
      JsonArray *ids = json_array_sized_new (props->subscription_ids->len);

      for (guint i = 0; i < props->subscription_ids->len; i++)
        json_array_add_int_element (ids, g_array_index (props->subscription_ids, guint32, i));
      json_object_set_array_member (json_node_get_object (node), "subscription-identifiers", ids);
    }

  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

AntennaProperties *
_antenna_capture_properties_from_text (const char  *text,
                                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(AntennaProperties) props = NULL;
  JsonNode *root;
  JsonNode *ids;

  g_assert (text != NULL);

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  props = antenna_properties_new_from_json (root, error);
  if (props == NULL)
    return NULL;

  ids = json_object_get_member (json_node_get_object (root), "subscription-identifiers");
  if (ids != NULL && JSON_NODE_HOLDS_ARRAY (ids))
    {
      JsonArray *array = json_node_get_array (ids);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          guint32 id = (guint32) json_array_get_int_element (array, i);

          g_array_append_val (props->subscription_ids, id);
        }
    }

  return g_steal_pointer (&props);
}

void
_antenna_capture_set_error (GError     **error,
                            sqlite3     *db,
                            int          rc,
                            const char  *path,
                            AntennaCaptureDoing doing)
{
  g_autofree char *name = g_filename_display_name (path);
  int sys_errno = db != NULL ? sqlite3_system_errno (db) : 0;
  const char *why = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  GIOErrorEnum code;

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      code = G_IO_ERROR_NO_SPACE;
      why = g_strerror (ENOSPC);
      break;
    case SQLITE_READONLY:
      code = G_IO_ERROR_READ_ONLY;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = G_IO_ERROR_INVALID_DATA;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_IOERR:
      code = sys_errno != 0 ? g_io_error_from_errno (sys_errno) : G_IO_ERROR_FAILED;
      if (sys_errno != 0)
        why = g_strerror (sys_errno);
      break;
    default:
      code = G_IO_ERROR_FAILED;
      break;
    }

  switch (doing)
    {
    case ANTENNA_CAPTURE_CREATE:
      g_set_error (error, G_IO_ERROR, code, _("Could not create the capture “%s”: %s"), name, why);
      break;
    case ANTENNA_CAPTURE_WRITE:
      g_set_error (error, G_IO_ERROR, code, _("Could not write the capture “%s”: %s"), name, why);
      break;
    case ANTENNA_CAPTURE_READ:
    default:
      g_set_error (error, G_IO_ERROR, code, _("Could not read the capture “%s”: %s"), name, why);
      break;
    }
}

/* ---- the writer thread ---- */

static gboolean
exec_sql (CaptureState  *state,
          const char    *sql,
          GError       **error)
{
  int rc = sqlite3_exec (state->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _antenna_capture_set_error (error, state->db, rc, state->path, ANTENNA_CAPTURE_WRITE);
      return FALSE;
    }
  return TRUE;
}

static const char *
match_subscription (char       **filters,
                    const char  *topic)
{
  for (guint i = 0; filters != NULL && filters[i] != NULL; i++)
    if (antenna_topic_matches (filters[i], topic))
      return filters[i];
  return NULL;
}

static gboolean
insert_message (CaptureState    *state,
                AntennaMessage  *message,
                char           **filters,
                GError         **error)
{
  sqlite3_stmt *stmt = state->insert;
  GBytes *payload = antenna_message_get_payload (message);
  const char *topic = antenna_message_get_topic (message);
  gboolean received = antenna_message_get_direction (message) == ANTENNA_MESSAGE_RECEIVED;
  g_autofree char *props = _antenna_capture_properties_to_text (antenna_message_get_properties (message));
  const char *subscription = received ? match_subscription (filters, topic) : NULL;
  gsize payload_size = 0;
  const void *data = payload != NULL ? g_bytes_get_data (payload, &payload_size) : NULL;
  size_t topic_length = strlen (topic);
  guint64 size = payload_size + topic_length + (props != NULL ? strlen (props) : 0) + ROW_OVERHEAD;
  int rc;

  sqlite3_bind_int64 (stmt, 1, antenna_message_get_timestamp (message));
  sqlite3_bind_int (stmt, 2, received ? 0 : 1);
  sqlite3_bind_text (stmt, 3, topic, (int) topic_length, SQLITE_STATIC);
  /* Straight from the GBytes, which the message keeps alive: no copy. */
  sqlite3_bind_blob64 (stmt, 4, data != NULL ? data : "", payload_size, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, antenna_message_get_qos (message));
  sqlite3_bind_int (stmt, 6, antenna_message_get_retain (message));
  sqlite3_bind_int (stmt, 7, antenna_message_get_dup (message));
  if (props != NULL)
    sqlite3_bind_text (stmt, 8, props, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 8);
  if (subscription != NULL)
    sqlite3_bind_text (stmt, 9, subscription, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_int64 (stmt, 10, (sqlite3_int64) size);

  /* Every parameter is bound again for the next row (NULLs included): no
   * sqlite3_clear_bindings(), which walks them all once more per message. */
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _antenna_capture_set_error (error, state->db, rc, state->path, ANTENNA_CAPTURE_WRITE);
      return FALSE;
    }

  state->total_size += size;
  return TRUE;
}

/* Past the cap, the oldest messages go, down to nine tenths of it (so that
 * trimming is not paid for every batch). SQLite reuses the freed pages. */
static gboolean
trim (CaptureState  *state,
      GError       **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 target = state->max_size / 10 * 9;
  guint64 freed = 0;
  gint64 last_id = -1;
  int rc;

  if (state->max_size == 0 || state->total_size <= state->max_size)
    return TRUE;

  rc = sqlite3_prepare_v2 (state->db, "SELECT id, size FROM messages ORDER BY id", -1, &stmt, NULL);
  while (rc == SQLITE_OK && state->total_size - freed > target && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      last_id = sqlite3_column_int64 (stmt, 0);
      freed += sqlite3_column_int64 (stmt, 1);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    {
      _antenna_capture_set_error (error, state->db, rc, state->path, ANTENNA_CAPTURE_WRITE);
      return FALSE;
    }
  if (last_id < 0)
    return TRUE;

  sql = g_strdup_printf ("DELETE FROM messages WHERE id <= %" G_GINT64_FORMAT, last_id);
  if (!exec_sql (state, sql, error))
    return FALSE;

  state->total_size -= MIN (freed, state->total_size);
  g_debug ("Dropped the oldest messages of %s up to id %" G_GINT64_FORMAT, state->path, last_id);
  return TRUE;
}

static void antenna_capture_writer_ended (AntennaCapture *self,
                                          CaptureState   *state);

static gboolean
on_writer_ended_cb (gpointer user_data)
{
  CaptureState *state = user_data;
  g_autoptr(AntennaCapture) self = g_weak_ref_get (&state->owner);

  if (self != NULL)
    antenna_capture_writer_ended (self, state);

  return G_SOURCE_REMOVE;
}

static void
tell_owner (CaptureState *state)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_callback (source, on_writer_ended_cb, capture_state_ref (state),
                         (GDestroyNotify) capture_state_unref);
  g_source_set_static_name (source, "[antenna] capture writer ended");
  g_source_attach (source, state->context);
}

static gboolean
write_transaction (CaptureState  *state,
                   GPtrArray     *batch,
                   char        ***filters,
                   guint         *filters_serial,
                   GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + COMMIT_INTERVAL_USEC;
  guint n = 0;

  if (!exec_sql (state, "BEGIN", error))
    return FALSE;

  for (;;)
    {
      gboolean stopping;

      g_mutex_lock (&state->lock);
      while (state->queue->len == 0 && !state->stopping && g_get_monotonic_time () < deadline)
        g_cond_wait_until (&state->cond, &state->lock, deadline);
      /* Swap the queue for the empty batch: the lock is held for no work. */
      {
        GPtrArray *queue = state->queue;

        state->queue = batch;
        batch = queue;
      }
      if (*filters_serial != state->filters_serial)
        {
          g_strfreev (*filters);
          *filters = g_strdupv (state->filters);
          *filters_serial = state->filters_serial;
        }
      stopping = state->stopping;
      g_mutex_unlock (&state->lock);

      for (guint i = 0; i < batch->len; i++)
        /* Trimmed as it goes: the file never holds much over the cap. */
        if (!insert_message (state, g_ptr_array_index (batch, i), *filters, error) ||
            !trim (state, error))
          {
            g_ptr_array_unref (batch);
            /* An error may have rolled the transaction back already. */
            if (!sqlite3_get_autocommit (state->db))
              sqlite3_exec (state->db, "ROLLBACK", NULL, NULL, NULL);
            return FALSE;
          }
      n += batch->len;
      /* The messages (and payloads) are let go here, on this thread. */
      g_ptr_array_set_size (batch, 0);

      if (stopping || g_get_monotonic_time () >= deadline)
        break;
    }

  /* batch is the one array not in state->queue (they swap). */
  g_ptr_array_unref (batch);

  if (!exec_sql (state, "COMMIT", error))
    return FALSE;

  g_mutex_lock (&state->lock);
  state->n_written += n;
  g_mutex_unlock (&state->lock);
  return TRUE;
}

static gpointer
writer_thread (gpointer user_data)
{
  CaptureState *state = user_data;
  g_auto(GStrv) filters = NULL;
  guint filters_serial = 0;
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      GPtrArray *batch;

      g_mutex_lock (&state->lock);
      while (state->queue->len == 0 && !state->stopping)
        g_cond_wait (&state->cond, &state->lock);
      if (state->queue->len == 0 && state->stopping)
        {
          g_mutex_unlock (&state->lock);
          break;
        }
      g_mutex_unlock (&state->lock);

      batch = g_ptr_array_new_with_free_func (g_object_unref);
      if (!write_transaction (state, batch, &filters, &filters_serial, &error))
        break;
    }

  g_clear_pointer (&state->insert, sqlite3_finalize);
  /* The last connection closing checkpoints the WAL into the file. */
  sqlite3_close (state->db);
  state->db = NULL;

  if (error != NULL)
    {
      g_mutex_lock (&state->lock);
      g_ptr_array_set_size (state->queue, 0);
      state->error = g_steal_pointer (&error);
      g_mutex_unlock (&state->lock);
      g_atomic_int_set (&state->failed, TRUE);
    }

  tell_owner (state);
  capture_state_unref (state);
  return NULL;
}

/* ---- a client attached ---- */

static void
on_client_messages_received_cb (AntennaClient  *client,
                                GPtrArray      *messages,
                                AntennaCapture *self)
{
  antenna_capture_append_batch (self, messages);
}

static void
on_client_message_sent_cb (AntennaClient  *client,
                           AntennaMessage *message,
                           AntennaCapture *self)
{
  antenna_capture_append (self, message);
}

static void
on_subscriptions_changed_cb (GListModel     *subscriptions,
                             guint           position,
                             guint           removed,
                             guint           added,
                             AntennaCapture *self)
{
  guint n = g_list_model_get_n_items (subscriptions);
  g_autoptr(GPtrArray) filters = g_ptr_array_new_full (n + 1, g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (subscriptions, i);

      g_ptr_array_add (filters, g_strdup (antenna_subscription_get_filter (subscription)));
    }
  g_ptr_array_add (filters, NULL);
  antenna_capture_set_filters (self, (const char * const *) filters->pdata);
}

static void
detach_client (AntennaCapture *self)
{
  g_autoptr(AntennaClient) client = g_weak_ref_get (&self->client);

  if (client == NULL)
    return;

  g_signal_handlers_disconnect_by_data (client, self);
  g_signal_handlers_disconnect_by_data (antenna_client_get_subscriptions (client), self);
  g_weak_ref_set (&self->client, NULL);
}

/* ---- the object ---- */

static void
antenna_capture_writer_ended (AntennaCapture *self,
                              CaptureState   *state)
{
  GSList *tasks;

  if (state != self->state || self->finished)
    return;

  self->finished = TRUE;
  detach_client (self);
  g_mutex_lock (&state->lock);
  if (state->error != NULL)
    self->error = g_error_copy (state->error);
  g_mutex_unlock (&state->lock);

  g_object_ref (self);
  if (self->recording)
    {
      self->recording = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
    }
  if (self->error != NULL)
    g_signal_emit (self, signals[FAILED], 0, self->error);

  tasks = g_slist_reverse (g_steal_pointer (&self->stop_tasks));
  for (GSList *l = tasks; l != NULL; l = l->next)
    {
      GTask *task = l->data;

      /* A stop asked for after the failure still says why it stopped. */
      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_slist_free_full (tasks, g_object_unref);
  g_object_unref (self);
}

static void
antenna_capture_stop_writer (AntennaCapture *self)
{
  if (self->state == NULL)
    return;

  g_mutex_lock (&self->state->lock);
  self->state->stopping = TRUE;
  g_cond_signal (&self->state->cond);
  g_mutex_unlock (&self->state->lock);
}

static void
antenna_capture_finalize (GObject *object)
{
  AntennaCapture *self = ANTENNA_CAPTURE (object);

  /* The writer writes what was queued and ends by itself. */
  detach_client (self);
  g_weak_ref_clear (&self->client);
  antenna_capture_stop_writer (self);
  g_assert (self->stop_tasks == NULL);
  g_clear_pointer (&self->state, capture_state_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (antenna_capture_parent_class)->finalize (object);
}

static void
antenna_capture_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AntennaCapture *self = ANTENNA_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, antenna_capture_get_path (self));
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, self->recording);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_capture_class_init (AntennaCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_capture_finalize;
  object_class->get_property = antenna_capture_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The recording stopped on an error (the GError says why); what was
   * committed before stays in the file. */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
antenna_capture_init (AntennaCapture *self)
{
  g_weak_ref_init (&self->client, NULL);
}

/* Makes the file and its schema. Small and quick: the caller's thread. */
static gboolean
create_file (CaptureState  *state,
             GError       **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *created = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int rc;

  if (g_file_test (state->path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *name = g_filename_display_name (state->path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("Could not create the capture “%s”: a file of that name exists"), name);
      return FALSE;
    }

  rc = sqlite3_open_v2 (state->path, &state->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _antenna_capture_set_error (error, state->db, rc, state->path, ANTENNA_CAPTURE_CREATE);
      goto fail;
    }
  sqlite3_extended_result_codes (state->db, TRUE);
  /* A reader of the same file (a capture page, an export) may hold a lock
   * for a moment: waited for on this thread, not a failed recording. */
  sqlite3_busy_timeout (state->db, 10000);

  created = g_date_time_format_iso8601 (now);
  sql = g_strdup_printf ("PRAGMA application_id = %d;"
                         "PRAGMA journal_mode = WAL;"
                         "PRAGMA synchronous = NORMAL;"
                         "BEGIN;"
                         ANTENNA_CAPTURE_SCHEMA
                         "INSERT INTO capture_info VALUES ('schema-version', '%d');"
                         "INSERT INTO capture_info VALUES ('created', '%s');"
                         "INSERT INTO capture_info VALUES ('application', 'Antenna " PACKAGE_VERSION "');"
                         "COMMIT;",
                         ANTENNA_CAPTURE_APPLICATION_ID, ANTENNA_CAPTURE_SCHEMA_VERSION, created);
  rc = sqlite3_exec (state->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _antenna_capture_set_error (error, state->db, rc, state->path, ANTENNA_CAPTURE_CREATE);
      goto fail;
    }

  rc = sqlite3_prepare_v3 (state->db,
                           "INSERT INTO messages (time, direction, topic, payload, qos, retain, dup,"
                           " properties, subscription, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &state->insert, NULL);
  if (rc != SQLITE_OK)
    {
      _antenna_capture_set_error (error, state->db, rc, state->path, ANTENNA_CAPTURE_CREATE);
      goto fail;
    }

  return TRUE;

fail:
  sqlite3_close (state->db);
  state->db = NULL;
  /* Only what this call made goes. */
  g_unlink (state->path);
  {
    g_autofree char *wal = g_strconcat (state->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (state->path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  return FALSE;
}

AntennaCapture *
antenna_capture_new (const char  *path,
                     guint64      max_size,
                     GError     **error)
{
  g_autoptr(AntennaCapture) self = NULL;
  CaptureState *state;
  GThread *thread;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  state = g_new0 (CaptureState, 1);
  g_atomic_ref_count_init (&state->ref_count);
  state->path = g_strdup (path);
  state->context = g_main_context_ref_thread_default ();
  state->queue = g_ptr_array_new_with_free_func (g_object_unref);
  state->max_size = max_size;
  g_mutex_init (&state->lock);
  g_cond_init (&state->cond);

  self = g_object_new (ANTENNA_TYPE_CAPTURE, NULL);
  g_weak_ref_init (&state->owner, self);
  self->state = state;

  if (!create_file (state, error))
    return NULL;

  thread = g_thread_try_new ("antenna-capture", writer_thread, capture_state_ref (state), error);
  if (thread == NULL)
    {
      capture_state_unref (state);
      g_clear_pointer (&state->insert, sqlite3_finalize);
      sqlite3_close (state->db);
      state->db = NULL;
      return NULL;
    }
  g_thread_unref (thread);

  self->recording = TRUE;
  return g_steal_pointer (&self);
}

const char *
antenna_capture_get_path (AntennaCapture *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE (self), NULL);

  return self->state->path;
}

gboolean
antenna_capture_get_recording (AntennaCapture *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE (self), FALSE);

  return self->recording;
}

const GError *
antenna_capture_get_error (AntennaCapture *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE (self), NULL);

  return self->error;
}

guint64
antenna_capture_get_n_queued (AntennaCapture *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE (self), 0);

  return self->n_queued;
}

guint64
antenna_capture_get_n_written (AntennaCapture *self)
{
  guint64 n;

  g_return_val_if_fail (ANTENNA_IS_CAPTURE (self), 0);

  g_mutex_lock (&self->state->lock);
  n = self->state->n_written;
  g_mutex_unlock (&self->state->lock);
  return n;
}

void
antenna_capture_set_filters (AntennaCapture     *self,
                             const char * const *filters)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE (self));

  g_mutex_lock (&self->state->lock);
  g_strfreev (self->state->filters);
  self->state->filters = g_strdupv ((char **) filters);
  self->state->filters_serial++;
  g_mutex_unlock (&self->state->lock);
}

static gboolean
can_append (AntennaCapture *self)
{
  return self->recording && !g_atomic_int_get (&self->state->failed);
}

void
antenna_capture_append (AntennaCapture *self,
                        AntennaMessage *message)
{
  g_return_if_fail (ANTENNA_IS_CAPTURE (self));
  g_return_if_fail (ANTENNA_IS_MESSAGE (message));

  if (!can_append (self))
    return;

  g_mutex_lock (&self->state->lock);
  g_ptr_array_add (self->state->queue, g_object_ref (message));
  if (self->state->queue->len == 1)
    g_cond_signal (&self->state->cond);
  g_mutex_unlock (&self->state->lock);
  self->n_queued++;
}

void
antenna_capture_append_batch (AntennaCapture *self,
                              GPtrArray      *messages)
{
  GPtrArray *queue;

  g_return_if_fail (ANTENNA_IS_CAPTURE (self));
  g_return_if_fail (messages != NULL);

  if (!can_append (self) || messages->len == 0)
    return;

  g_mutex_lock (&self->state->lock);
  queue = self->state->queue;
  for (guint i = 0; i < messages->len; i++)
    g_ptr_array_add (queue, g_object_ref (g_ptr_array_index (messages, i)));
  if (queue->len == messages->len)
    g_cond_signal (&self->state->cond);
  g_mutex_unlock (&self->state->lock);
  self->n_queued += messages->len;
}

void
antenna_capture_stop_async (AntennaCapture      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ANTENNA_IS_CAPTURE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, antenna_capture_stop_async);

  if (self->finished)
    {
      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  self->stop_tasks = g_slist_prepend (self->stop_tasks, g_steal_pointer (&task));
  detach_client (self);
  antenna_capture_stop_writer (self);
  if (self->recording)
    {
      self->recording = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
    }
}

gboolean
antenna_capture_stop_finish (AntennaCapture  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
antenna_capture_attach_client (AntennaCapture *self,
                               AntennaClient  *client)
{
  GListModel *subscriptions;

  g_return_if_fail (ANTENNA_IS_CAPTURE (self));
  g_return_if_fail (ANTENNA_IS_CLIENT (client));

  detach_client (self);
  if (!self->recording)
    return;

  g_weak_ref_set (&self->client, client);
  subscriptions = antenna_client_get_subscriptions (client);
  g_signal_connect_object (client, "messages-received", G_CALLBACK (on_client_messages_received_cb), self, 0);
  g_signal_connect_object (client, "message-sent", G_CALLBACK (on_client_message_sent_cb), self, 0);
  g_signal_connect_object (subscriptions, "items-changed", G_CALLBACK (on_subscriptions_changed_cb), self, 0);
  on_subscriptions_changed_cb (subscriptions, 0, 0, 0, self);
}

char *
antenna_capture_make_path (const char *dir,
                           const char *name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H.%M.%S");
  g_autoptr(GString) clean = g_string_new (NULL);

  g_return_val_if_fail (dir != NULL, NULL);

  /* A file name from a connection name: no separators, no leading dot. */
  for (const char *p = name != NULL ? name : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || c < 0x20 || (clean->len == 0 && c == '.'))
        g_string_append_c (clean, '_');
      else
        g_string_append_unichar (clean, c);
    }
  if (clean->len == 0)
    g_string_append (clean, "capture");

  g_mkdir_with_parents (dir, 0700);
  for (guint i = 0; ; i++)
    {
      g_autofree char *base = i == 0
        ? g_strdup_printf ("%s %s%s", clean->str, stamp, ANTENNA_CAPTURE_SUFFIX)
        : g_strdup_printf ("%s %s (%u)%s", clean->str, stamp, i + 1, ANTENNA_CAPTURE_SUFFIX);
      char *path = g_build_filename (dir, base, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
}
