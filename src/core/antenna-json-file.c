/* antenna-json-file.c: the way Antenna keeps its own files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-json-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
