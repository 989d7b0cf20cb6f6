/* antenna-cli-password.h: where antenna-cli's password comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "antenna-cli-options.h"
#include "antenna-types.h"

G_BEGIN_DECLS

/* A password: wiped before it is freed. */
typedef char AntennaCliPassword;

void      antenna_cli_password_free (AntennaCliPassword           *password);

/* The password for @profile, from (in this order) the first line of
 * standard input (--password-stdin), the keyring (a saved connection:
 * @from_store), or a prompt on the terminal (when the profile has a user
 * name and there is a terminal); NULL without an error when there is none.
 * Refuses one that would cross the network unencrypted, unless
 * --allow-plaintext (a usage error, G_OPTION_ERROR). --verbose says which
 * was used. */
gboolean  antenna_cli_password_get  (AntennaCliConnectionOptions  *options,
                                     AntennaProfile               *profile,
                                     gboolean                      from_store,
                                     AntennaCliPassword          **password,
                                     GError                      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaCliPassword, antenna_cli_password_free)

G_END_DECLS
