/* antenna-test-keyring.h: AntennaSecretStore's operations run to their end,
 * and the search of the disk and of a process for a password
 *
 * The tests run inside the D-Bus session of build-aux/test, with an
 * unlocked, throwaway gnome-keyring. Each call iterates the default main
 * context until the operation ends, at most ANTENNA_TEST_KEYRING_WAIT_MS;
 * the _ok forms assert that it succeeded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile.h"
#include "antenna-secret-store.h"

G_BEGIN_DECLS

#define ANTENNA_TEST_KEYRING_WAIT_MS 60000

gboolean   antenna_test_secret_store       (AntennaSecretStore   *store,
                                            AntennaProfile       *profile,
                                            const char           *password,
                                            GError              **error);
void       antenna_test_secret_store_ok    (AntennaSecretStore   *store,
                                            AntennaProfile       *profile,
                                            const char           *password);
/* The password, or NULL (none stored, or @error set). */
char      *antenna_test_secret_lookup      (AntennaSecretStore   *store,
                                            AntennaProfile       *profile,
                                            GError              **error);
char      *antenna_test_secret_lookup_ok   (AntennaSecretStore   *store,
                                            AntennaProfile       *profile);
gboolean   antenna_test_secret_clear       (AntennaSecretStore   *store,
                                            AntennaProfile       *profile,
                                            GError              **error);
void       antenna_test_secret_clear_ok    (AntennaSecretStore   *store,
                                            AntennaProfile       *profile);
gboolean   antenna_test_secret_copy        (AntennaSecretStore   *store,
                                            AntennaProfile       *from,
                                            AntennaProfile       *to,
                                            GError              **error);
/* The same for any kind of secret. */
gboolean   antenna_test_secret_store_secret    (AntennaSecretStore   *store,
                                                AntennaProfile       *profile,
                                                AntennaSecretKind     kind,
                                                const char           *secret,
                                                GError              **error);
void       antenna_test_secret_store_secret_ok (AntennaSecretStore   *store,
                                                AntennaProfile       *profile,
                                                AntennaSecretKind     kind,
                                                const char           *secret);
char      *antenna_test_secret_lookup_secret   (AntennaSecretStore   *store,
                                                AntennaProfile       *profile,
                                                AntennaSecretKind     kind,
                                                GError              **error);

/* Asserts that the @kind secret of @profile in the keyring is @expected
 * (NULL: none). */
void       antenna_test_assert_secret          (AntennaSecretStore   *store,
                                                AntennaProfile       *profile,
                                                AntennaSecretKind     kind,
                                                const char           *expected);

/* Reads every regular file under @dir (symbolic links not followed; files
 * over 64 MB, .git and node_modules passed over), with @since > 0 only
 * those changed at or after @since (seconds since the epoch), and fails the
 * test naming each file that holds @needle (any bytes). Returns how many
 * files it read. */
guint      antenna_test_assert_in_no_file  (const char           *dir,
                                            const char           *needle,
                                            gint64                since);

/* Fails the test when @needle (any bytes) is in the command line or the
 * environment of process @pid (/proc/PID/cmdline and environ). Returns
 * whether there was something to read: FALSE once the process has ended
 * (its files gone, or an empty command line while it is a zombie). */
gboolean   antenna_test_assert_not_in_process (GPid        pid,
                                               const char *needle);

G_END_DECLS
