/* antenna-json-file.c: the way Antenna keeps its own files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-json-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "antenna-error.h"
#include "antenna-json-file.h"

char *
antenna_json_file_set_aside (const char  *path,
                             GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  g_return_val_if_fail (path != NULL, NULL);

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *target = NULL;

      if (n == 1)
        target = g_strdup_printf ("%s.bad-%s", path, stamp);
      else
        target = g_strdup_printf ("%s.bad-%s-%u", path, stamp, n);

      /* link() fails rather than replace an existing file. */
      if (link (path, target) == 0)
        {
          if (g_unlink (path) != 0)
            {
              int errsv = errno;

              g_unlink (target);
              g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                           _("Could not move “%s” aside: %s"), path, g_strerror (errsv));
              return NULL;
            }
          return g_steal_pointer (&target);
        }

      if (errno == EEXIST)
        continue;

      /* A file system without hard links: rename, having checked. */
      if (!g_file_test (target, G_FILE_TEST_EXISTS))
        {
          if (g_rename (path, target) == 0)
            return g_steal_pointer (&target);

          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                       _("Could not move “%s” aside: %s"), path, g_strerror (errno));
          return NULL;
        }
    }

  g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
               _("Could not move “%s” aside: too many files set aside already."), path);
  return NULL;
}

void
antenna_json_file_sync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return;

  if (fsync (fd) != 0)
    g_debug ("Could not sync %s: %s", dir, g_strerror (errno));
  g_close (fd, NULL);
}

gboolean
antenna_json_file_write (const char  *path,
                         const char  *data,
                         gssize       length,
                         GError     **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED,
                   _("the folder “%s” could not be made: %s"), dir, g_strerror (errsv));
      return FALSE;
    }
  /* Only the person's own programs can list it. */
  if (g_chmod (dir, 0700) != 0)
    g_debug ("Could not restrict %s: %s", dir, g_strerror (errno));

  /* A temporary file in the same folder, written, fsync'd, renamed over the
   * old one: a crash leaves either the old file or the new one. */
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_FAILED, local_error->message);
      return FALSE;
    }

  antenna_json_file_sync_dir (dir);

  return TRUE;
}

/* Reading saved settings */

void
antenna_json_file_set_wrong_type (GError     **error,
                                  const char  *key,
                                  const char  *expected)
{
  g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT,
               /* Translators: the first %s is a setting name like “port”, the
                * second what it must be, like “a whole number from 1 to 65535” */
               _("The saved setting “%s” is not valid: it must be %s."),
               key, expected);
}

JsonNode *
antenna_json_file_get_member (JsonObject *object,
                              const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

gboolean
antenna_json_file_read_string (JsonObject  *object,
                               const char  *key,
                               const char **value,
                               GError     **error)
{
  JsonNode *node = antenna_json_file_get_member (object, key);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      antenna_json_file_set_wrong_type (error, key, _("text"));
      return FALSE;
    }

  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
antenna_json_file_read_int (JsonObject  *object,
                            const char  *key,
                            gint64       min,
                            gint64       max,
                            gint64      *value,
                            GError     **error)
{
  JsonNode *node = antenna_json_file_get_member (object, key);
  gint64 v;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (v = json_node_get_int (node)) < min || v > max)
    {
      g_autofree char *min_text = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max);
      /* Translators: what a setting must be: %s are numbers */
      g_autofree char *expected = g_strdup_printf (_("a whole number from %s to %s"), min_text, max_text);

      antenna_json_file_set_wrong_type (error, key, expected);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

gboolean
antenna_json_file_read_bool (JsonObject  *object,
                             const char  *key,
                             gboolean    *value,
                             GError     **error)
{
  JsonNode *node = antenna_json_file_get_member (object, key);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      antenna_json_file_set_wrong_type (error, key, _("true or false"));
      return FALSE;
    }

  *value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
is_base64 (const char *s)
{
  gsize len = strlen (s);
  gsize pad = 0;

  if (len % 4 != 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = s[i];

      if (c == '=')
        {
          if (i < len - 2)
            return FALSE;
          pad++;
        }
      else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }

  return TRUE;
}

gboolean
antenna_json_file_read_base64 (JsonObject  *object,
                               const char  *key,
                               GBytes     **value,
                               GError     **error)
{
  const char *text = NULL;
  guchar *data;
  gsize size;

  if (!antenna_json_file_read_string (object, key, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  if (!is_base64 (text))
    {
      antenna_json_file_set_wrong_type (error, key, _("Base64 text"));
      return FALSE;
    }

  data = g_base64_decode (text, &size);
  *value = g_bytes_new_take (data, size);
  return TRUE;
}

gboolean
antenna_json_file_read_enum (JsonObject  *object,
                             const char  *key,
                             GType        type,
                             int         *value,
                             GError     **error)
{
  const char *nick = NULL;
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *ev;

  if (!antenna_json_file_read_string (object, key, &nick, error))
    return FALSE;
  if (nick == NULL)
    return TRUE;

  klass = g_type_class_ref (type);
  ev = g_enum_get_value_by_nick (klass, nick);
  if (ev == NULL)
    {
      g_autoptr(GString) values = g_string_new (NULL);
      g_autofree char *expected = NULL;

      for (guint i = 0; i < klass->n_values; i++)
        g_string_append_printf (values, "%s“%s”", i > 0 ? ", " : "", klass->values[i].value_nick);
      /* Translators: what a setting must be: %s is a list like “tcp”, “tls”, “ws” */
      expected = g_strdup_printf (_("one of %s"), values->str);
      antenna_json_file_set_wrong_type (error, key, expected);
      return FALSE;
    }

  *value = ev->value;
  return TRUE;
}
