/* antenna-capture-reader.c: reading a capture file, in pages
 *
 * The file is opened read-only (SQLITE_OPEN_READONLY): a reader never
 * changes it, whether it is ours, damaged or someone else's. Before anything
 * is read it is checked to be ours (PRAGMA application_id) and of a schema
 * this version knows. Messages come in recording order, which is the order
 * of their times (antenna-capture-private.h), a page at a time from a
 * cursor (keyset paging on the rowid), so that a capture of millions of
 * messages is never loaded whole. Topic
 * filters are matched by Antenna's own MQTT matching, registered as an SQL
 * function.
 *
 * A reader is used from one thread at a time (the export opens its own).
 * Readers of the same file run side by side (a page's search starting while
 * the last one still reads, an export, a recording's checkpoint): a lock
 * another connection holds for a moment is waited for (READER_BUSY_MS), not
 * reported as "database is locked".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-capture"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "antenna-capture-private.h"
#include "antenna-capture-reader.h"
#include "antenna-message.h"
#include "antenna-properties.h"
#include "antenna-topic.h"

#define READER_BUSY_MS 10000

#define MESSAGE_COLUMNS "id, time, direction, topic, payload, qos, retain, dup, properties, subscription"

struct _AntennaCaptureReader
{
  GObject   parent_instance;

  char     *path;
  sqlite3  *db;
  int       schema_version;
};

G_DEFINE_FINAL_TYPE (AntennaCaptureReader, antenna_capture_reader, G_TYPE_OBJECT)

static void
topic_matches_sql (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  const char *filter = (const char *) sqlite3_value_text (argv[0]);
  const char *topic = (const char *) sqlite3_value_text (argv[1]);

  sqlite3_result_int (context, filter != NULL && topic != NULL && antenna_topic_matches (filter, topic));
}

static void
set_not_ours (GError     **error,
              const char  *path,
              const char  *why)
{
  g_autofree char *name = g_filename_display_name (path);

  /* TRANSLATORS: "“file” is not a capture of Antenna: it is not a SQLite database" */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("“%s” is not a capture of Antenna: %s"), name, why);
}

static gboolean
check_ours (AntennaCaptureReader  *self,
            GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 application_id = 0;
  g_autofree char *version = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA application_id", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    application_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if ((rc & 0xff) == SQLITE_NOTADB)
    {
      set_not_ours (error, self->path, _("it is not a SQLite database, or it is damaged"));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _antenna_capture_set_error (error, self->db, rc, self->path, ANTENNA_CAPTURE_READ);
      return FALSE;
    }
  if (application_id != ANTENNA_CAPTURE_APPLICATION_ID)
    {
      set_not_ours (error, self->path, _("it is a database of another application"));
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (self->db, "SELECT value FROM capture_info WHERE key = 'schema-version'",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW || version == NULL ||
      !g_ascii_string_to_signed (version, 10, 1, G_MAXINT, NULL, NULL))
    {
      if (rc == SQLITE_ROW || rc == SQLITE_DONE || (rc & 0xff) == SQLITE_ERROR)
        set_not_ours (error, self->path, _("its version table is missing or damaged"));
      else
        _antenna_capture_set_error (error, self->db, rc, self->path, ANTENNA_CAPTURE_READ);
      return FALSE;
    }

  self->schema_version = atoi (version);
  if (self->schema_version > ANTENNA_CAPTURE_SCHEMA_VERSION)
    {
      g_autofree char *name = g_filename_display_name (self->path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” was recorded by a newer version of Antenna (capture format %d): update Antenna to open it"),
                   name, self->schema_version);
      return FALSE;
    }

  return TRUE;
}

static void
antenna_capture_reader_finalize (GObject *object)
{
  AntennaCaptureReader *self = ANTENNA_CAPTURE_READER (object);

  sqlite3_close (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (antenna_capture_reader_parent_class)->finalize (object);
}

static void
antenna_capture_reader_class_init (AntennaCaptureReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_capture_reader_finalize;
}

static void
antenna_capture_reader_init (AntennaCaptureReader *self)
{
}

void
antenna_capture_query_init (AntennaCaptureQuery *query)
{
  g_return_if_fail (query != NULL);

  memset (query, 0, sizeof *query);
  query->time_from = G_MININT64;
  query->time_to = G_MAXINT64;
}

void
antenna_capture_cursor_init (AntennaCaptureCursor *cursor)
{
  g_return_if_fail (cursor != NULL);

  cursor->time = G_MININT64;
  cursor->id = G_MININT64;
}

AntennaCaptureReader *
antenna_capture_reader_open (const char  *path,
                             GError     **error)
{
  g_autoptr(AntennaCaptureReader) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Could not read the capture “%s”: there is no such file"), name);
      return NULL;
    }

  self = g_object_new (ANTENNA_TYPE_CAPTURE_READER, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _antenna_capture_set_error (error, self->db, rc, path, ANTENNA_CAPTURE_READ);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, READER_BUSY_MS);
  sqlite3_create_function (self->db, "antenna_topic_matches", 2,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, topic_matches_sql, NULL, NULL);

  if (!check_ours (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
antenna_capture_reader_get_path (AntennaCaptureReader *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_READER (self), NULL);

  return self->path;
}

int
antenna_capture_reader_get_schema_version (AntennaCaptureReader *self)
{
  g_return_val_if_fail (ANTENNA_IS_CAPTURE_READER (self), 0);

  return self->schema_version;
}

/* SQL for @query's conditions (the parameters are bound by bind_query). */
static void
append_where (GString                   *sql,
              const AntennaCaptureQuery *query)
{
  g_string_append (sql, " WHERE id > ?2 AND time >= ?3 AND time <= ?4");
  if (query->topic_filter != NULL)
    g_string_append (sql, " AND antenna_topic_matches (?5, topic)");
  if (query->payload_text != NULL && query->payload_text[0] != '\0')
    g_string_append (sql, " AND instr (payload, ?6) > 0");
  /* A scan, without an index: measured in bench/README.md (Search). */
  if (query->text != NULL && query->text[0] != '\0')
    g_string_append (sql, " AND (instr (topic, ?7) > 0 OR instr (payload, ?8) > 0)");
}

static void
bind_query (sqlite3_stmt              *stmt,
            const AntennaCaptureQuery *query,
            const AntennaCaptureCursor *cursor)
{
  sqlite3_bind_int64 (stmt, 2, cursor->id);
  sqlite3_bind_int64 (stmt, 3, query->time_from);
  sqlite3_bind_int64 (stmt, 4, query->time_to);
  if (query->topic_filter != NULL)
    sqlite3_bind_text (stmt, 5, query->topic_filter, -1, SQLITE_STATIC);
  if (query->payload_text != NULL && query->payload_text[0] != '\0')
    sqlite3_bind_blob (stmt, 6, query->payload_text, strlen (query->payload_text), SQLITE_STATIC);
  if (query->text != NULL && query->text[0] != '\0')
    {
      sqlite3_bind_text (stmt, 7, query->text, -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 8, query->text, strlen (query->text), SQLITE_STATIC);
    }
}

/* A statement on the messages table, which a capture damaged or not ours
 * may lack. */
static sqlite3_stmt *
prepare_messages (AntennaCaptureReader  *self,
                  const char            *sql,
                  GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_ERROR)
        set_not_ours (error, self->path, _("its messages table is missing or damaged"));
      else
        _antenna_capture_set_error (error, self->db, rc, self->path, ANTENNA_CAPTURE_READ);
      return NULL;
    }
  return stmt;
}

static sqlite3_stmt *
prepare_select (AntennaCaptureReader        *self,
                const char                  *columns,
                const AntennaCaptureQuery   *query,
                const AntennaCaptureCursor  *cursor,
                const char                  *tail,
                GError                     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  sqlite3_stmt *stmt;

  g_string_append_printf (sql, "%s FROM messages", columns);
  append_where (sql, query);
  g_string_append (sql, tail);

  stmt = prepare_messages (self, sql->str, error);
  if (stmt != NULL)
    bind_query (stmt, query, cursor);
  return stmt;
}

gint64
antenna_capture_reader_count (AntennaCaptureReader       *self,
                              const AntennaCaptureQuery  *query,
                              GError                    **error)
{
  AntennaCaptureCursor start;
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (ANTENNA_IS_CAPTURE_READER (self), -1);

  antenna_capture_cursor_init (&start);
  /* Everything: the ids are contiguous, two lookups in the rowid's b-tree
   * instead of a scan. Each needs a query of its own: SQLite finds a min ()
   * or a max () by a lookup only when it is the query's one aggregate and
   * there is no WHERE, else it reads the whole table (0.13-0.3 s for a
   * capture of 1,000,000 messages in the page cache, the whole file from
   * the disk when not: most of the time before a capture page showed). */
  if (query == NULL || (query->time_from == G_MININT64 && query->time_to == G_MAXINT64 &&
                        query->topic_filter == NULL && (query->payload_text == NULL || query->payload_text[0] == '\0') &&
                        (query->text == NULL || query->text[0] == '\0')))
    stmt = prepare_messages (self, "SELECT coalesce ((SELECT max (id) FROM messages) -"
                                   " (SELECT min (id) FROM messages) + 1, 0)", error);
  else
    stmt = prepare_select (self, "count(*)", query, &start, "", error);
  if (stmt == NULL)
    return -1;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    _antenna_capture_set_error (error, self->db, rc, self->path, ANTENNA_CAPTURE_READ);
  sqlite3_finalize (stmt);
  return n;
}

gboolean
antenna_capture_reader_get_time_range (AntennaCaptureReader  *self,
                                       gint64                *first,
                                       gint64                *last,
                                       GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (ANTENNA_IS_CAPTURE_READER (self), FALSE);

  /* The first and the last row: their times are the first and the last. */
  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT (SELECT time FROM messages ORDER BY id LIMIT 1),"
                           " (SELECT time FROM messages ORDER BY id DESC LIMIT 1),"
                           " EXISTS (SELECT 1 FROM messages)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 2))
    {
      found = TRUE;
      if (first != NULL)
        *first = sqlite3_column_int64 (stmt, 0);
      if (last != NULL)
        *last = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_ROW)
    _antenna_capture_set_error (error, self->db, rc, self->path, ANTENNA_CAPTURE_READ);
  sqlite3_finalize (stmt);
  return found;
}

/* The message of the current row (columns MESSAGE_COLUMNS). */
static AntennaMessage *
message_from_row (AntennaCaptureReader  *self,
                  sqlite3_stmt          *stmt,
                  GError               **error)
{
  g_autoptr(AntennaProperties) props = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *topic = (const char *) sqlite3_column_text (stmt, 3);
  const void *data = sqlite3_column_blob (stmt, 4);
  int size = sqlite3_column_bytes (stmt, 4);
  int qos = sqlite3_column_int (stmt, 5);
  const char *props_text = (const char *) sqlite3_column_text (stmt, 8);

  /* Most messages were recorded without properties (NULL): then none, as
   * a message received live has, rather than an empty set of its own (three
   * allocations, and 256 bytes of the topic tree's history budget, which
   * then kept fewer messages of a capture than of a live connection). */
  if (props_text != NULL)
    props = _antenna_capture_properties_from_text (props_text, &local_error);
  if ((props_text != NULL && props == NULL) || topic == NULL || qos < 0 || qos > 2)
    {
      g_autofree char *name = g_filename_display_name (self->path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The capture “%s” is damaged: message %lld cannot be read"),
                   name, (long long) sqlite3_column_int64 (stmt, 0));
      return NULL;
    }

  payload = g_bytes_new (data, size);
  return antenna_message_new (topic, payload, qos,
                              sqlite3_column_int (stmt, 6) != 0,
                              sqlite3_column_int (stmt, 7) != 0,
                              sqlite3_column_int (stmt, 2) == 0 ? ANTENNA_MESSAGE_RECEIVED : ANTENNA_MESSAGE_SENT,
                              sqlite3_column_int64 (stmt, 1),
                              props);
}

GPtrArray *
antenna_capture_reader_read_page (AntennaCaptureReader       *self,
                                  const AntennaCaptureQuery  *query,
                                  AntennaCaptureCursor       *cursor,
                                  guint                       limit,
                                  GError                    **error)
{
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *tail = NULL;
  AntennaCaptureQuery all;
  sqlite3_stmt *stmt;
  gsize bytes = 0;
  int rc;

  g_return_val_if_fail (ANTENNA_IS_CAPTURE_READER (self), NULL);
  g_return_val_if_fail (cursor != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  antenna_capture_query_init (&all);
  tail = g_strdup_printf (" ORDER BY id LIMIT %u", limit);
  stmt = prepare_select (self, MESSAGE_COLUMNS, query != NULL ? query : &all, cursor, tail, error);
  if (stmt == NULL)
    return NULL;

  page = g_ptr_array_new_with_free_func (g_object_unref);
  /* Payloads up to 256 MB are recorded: a page of a count alone could hold
   * gigabytes (and the capture page reads its first one on the main thread). */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AntennaMessage *message = message_from_row (self, stmt, error);
      GBytes *payload;

      if (message == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (page, message);
      cursor->time = sqlite3_column_int64 (stmt, 1);
      cursor->id = sqlite3_column_int64 (stmt, 0);
      payload = antenna_message_get_payload (message);
      bytes += payload != NULL ? g_bytes_get_size (payload) : 0;
      if (bytes >= ANTENNA_CAPTURE_PAGE_BYTES)
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  if (rc != SQLITE_DONE)
    {
      _antenna_capture_set_error (error, self->db, rc, self->path, ANTENNA_CAPTURE_READ);
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return g_steal_pointer (&page);
}

gboolean
antenna_capture_reader_foreach (AntennaCaptureReader       *self,
                                const AntennaCaptureQuery  *query,
                                AntennaCaptureFunc          func,
                                gpointer                    user_data,
                                GCancellable               *cancellable,
                                GError                    **error)
{
  AntennaCaptureQuery all;
  AntennaCaptureCursor start;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (ANTENNA_IS_CAPTURE_READER (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  antenna_capture_query_init (&all);
  antenna_capture_cursor_init (&start);
  stmt = prepare_select (self, MESSAGE_COLUMNS, query != NULL ? query : &all, &start,
                         " ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(AntennaMessage) message = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      message = message_from_row (self, stmt, error);
      if (message == NULL)
        {
          ok = FALSE;
          break;
        }
      if (!func (sqlite3_column_int64 (stmt, 0), message,
                 (const char *) sqlite3_column_text (stmt, 9), user_data))
        break;
    }
  if (ok && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _antenna_capture_set_error (error, self->db, rc, self->path, ANTENNA_CAPTURE_READ);
      ok = FALSE;
    }

  sqlite3_finalize (stmt);
  return ok;
}
