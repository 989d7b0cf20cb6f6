/* antenna-test-keyring.c: AntennaSecretStore's operations run to their end,
 * and the search of the disk and of a process for a password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE /* memmem */
#define G_LOG_DOMAIN "antenna-test"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "antenna-test-keyring.h"
#include "antenna-test-utils.h"

/* Bounds of the search: deeper or larger trees hold nothing of Antenna's. */
#define MAX_DEPTH          12
#define MAX_FILES          200000
#define MAX_FILE_SIZE      (64 * 1024 * 1024)

gboolean
antenna_test_secret_store_secret (AntennaSecretStore  *store,
                                  AntennaProfile      *profile,
                                  AntennaSecretKind    kind,
                                  const char          *secret,
                                  GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_secret_store_store_secret_async (store, profile, kind, secret, NULL, antenna_test_store_result, &result);
  return antenna_secret_store_store_finish (store, antenna_test_wait_result (&result, ANTENNA_TEST_KEYRING_WAIT_MS), error);
}

void
antenna_test_secret_store_secret_ok (AntennaSecretStore *store,
                                     AntennaProfile     *profile,
                                     AntennaSecretKind   kind,
                                     const char         *secret)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = antenna_test_secret_store_secret (store, profile, kind, secret, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

gboolean
antenna_test_secret_store (AntennaSecretStore  *store,
                           AntennaProfile      *profile,
                           const char          *password,
                           GError             **error)
{
  return antenna_test_secret_store_secret (store, profile, ANTENNA_SECRET_PASSWORD, password, error);
}

void
antenna_test_secret_store_ok (AntennaSecretStore *store,
                              AntennaProfile     *profile,
                              const char         *password)
{
  antenna_test_secret_store_secret_ok (store, profile, ANTENNA_SECRET_PASSWORD, password);
}

char *
antenna_test_secret_lookup_secret (AntennaSecretStore  *store,
                                   AntennaProfile      *profile,
                                   AntennaSecretKind    kind,
                                   GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_secret_store_lookup_secret_async (store, profile, kind, NULL, antenna_test_store_result, &result);
  return antenna_secret_store_lookup_finish (store, antenna_test_wait_result (&result, ANTENNA_TEST_KEYRING_WAIT_MS), error);
}

void
antenna_test_assert_secret (AntennaSecretStore *store,
                            AntennaProfile     *profile,
                            AntennaSecretKind   kind,
                            const char         *expected)
{
  g_autoptr(GError) error = NULL;
  char *found = antenna_test_secret_lookup_secret (store, profile, kind, &error);

  g_assert_no_error (error);
  /* Not g_assert_cmpstr(): a secret is never printed. */
  g_assert_true (g_strcmp0 (found, expected) == 0);
  if (found != NULL)
    secret_password_free (found);
}

char *
antenna_test_secret_lookup (AntennaSecretStore  *store,
                            AntennaProfile      *profile,
                            GError             **error)
{
  return antenna_test_secret_lookup_secret (store, profile, ANTENNA_SECRET_PASSWORD, error);
}

char *
antenna_test_secret_lookup_ok (AntennaSecretStore *store,
                               AntennaProfile     *profile)
{
  g_autoptr(GError) error = NULL;
  char *password = antenna_test_secret_lookup (store, profile, &error);

  g_assert_no_error (error);
  return password;
}

gboolean
antenna_test_secret_clear (AntennaSecretStore  *store,
                           AntennaProfile      *profile,
                           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_secret_store_clear_async (store, profile, NULL, antenna_test_store_result, &result);
  return antenna_secret_store_clear_finish (store, antenna_test_wait_result (&result, ANTENNA_TEST_KEYRING_WAIT_MS), error);
}

void
antenna_test_secret_clear_ok (AntennaSecretStore *store,
                              AntennaProfile     *profile)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = antenna_test_secret_clear (store, profile, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

gboolean
antenna_test_secret_copy (AntennaSecretStore  *store,
                          AntennaProfile      *from,
                          AntennaProfile      *to,
                          GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  antenna_secret_store_copy_async (store, from, to, NULL, antenna_test_store_result, &result);
  return antenna_secret_store_copy_finish (store, antenna_test_wait_result (&result, ANTENNA_TEST_KEYRING_WAIT_MS), error);
}

/* The disk ----------------------------------------------------------------- */

typedef struct
{
  const char *needle;
  gsize       needle_len;
  gint64      since;
  guint       n_files;
  GPtrArray  *hits;
} Walk;

static void
walk_dir (Walk       *walk,
          const char *dir,
          guint       depth)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (depth > MAX_DEPTH || walk->n_files > MAX_FILES)
    return;

  d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          /* Big trees that no secret code writes into. */
          if (!g_str_equal (name, ".git") && !g_str_equal (name, "node_modules"))
            walk_dir (walk, path, depth + 1);
          continue;
        }
      /* Sockets, FIFOs, devices, links: nothing to read. */
      if (!S_ISREG (st.st_mode))
        continue;
      if (walk->since > 0 && (gint64) st.st_mtime < walk->since && (gint64) st.st_ctime < walk->since)
        continue;
      if (st.st_size > MAX_FILE_SIZE)
        continue;
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      walk->n_files++;
      if (memmem (contents, length, walk->needle, walk->needle_len) != NULL)
        g_ptr_array_add (walk->hits, g_steal_pointer (&path));
    }
}

guint
antenna_test_assert_in_no_file (const char *dir,
                                const char *needle,
                                gint64      since)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  Walk walk = { needle, strlen (needle), since, 0, hits };

  g_return_val_if_fail (dir != NULL, 0);
  g_return_val_if_fail (needle != NULL && *needle != '\0', 0);

  walk_dir (&walk, dir, 0);
  for (guint i = 0; i < hits->len; i++)
    g_test_message ("the password is in %s", (char *) g_ptr_array_index (hits, i));
  if (hits->len > 0)
    g_error ("The password is in %s%s", (char *) g_ptr_array_index (hits, 0),
             hits->len > 1 ? " and other files" : "");

  return walk.n_files;
}

/* A process ---------------------------------------------------------------- */

gboolean
antenna_test_assert_not_in_process (GPid        pid,
                                    const char *needle)
{
  static const char * const files[] = { "cmdline", "environ" };
  gboolean read_all = TRUE;

  g_return_val_if_fail (pid > 0, FALSE);
  g_return_val_if_fail (needle != NULL && *needle != '\0', FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, files[i]);
      g_autofree char *contents = NULL;
      gsize length = 0;

      /* NUL-separated: searched as bytes, to the end. */
      if (!g_file_get_contents (path, &contents, &length, NULL) || length == 0)
        {
          read_all = FALSE;
          continue;
        }
      if (memmem (contents, length, needle, strlen (needle)) != NULL)
        g_error ("The password is in %s", path);
    }

  return read_all;
}
