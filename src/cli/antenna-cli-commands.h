/* antenna-cli-commands.h: the commands of antenna-cli
 *
 * Each takes the command line from its own name on (argv[0] is "pub",
 * "sub" or "profiles") and returns the exit status (antenna-cli-report.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int antenna_cli_pub      (int    argc,
                          char **argv);
int antenna_cli_sub      (int    argc,
                          char **argv);
int antenna_cli_profiles (int    argc,
                          char **argv);

G_END_DECLS
