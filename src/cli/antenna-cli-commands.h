/* antenna-cli-commands.h: the commands of antenna-cli
 *
 * Each takes the command line from its own name on (argv[0] is "pub",
 * "sub", "decode" or "profiles") and returns the exit status (antenna-cli-report.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

typedef int (*AntennaCliRun) (int    argc,
                              char **argv);

/* A command of a table: "antenna-cli NAME" or "antenna-cli profiles NAME". */
typedef struct
{
  const char    *name;
  AntennaCliRun  run;
  const char    *summary;  /* marked with N_ for translation */
} AntennaCliCommand;

int   antenna_cli_pub            (int                       argc,
                                  char                    **argv);
int   antenna_cli_sub            (int                       argc,
                                  char                    **argv);
int   antenna_cli_profiles       (int                       argc,
                                  char                    **argv);
int   antenna_cli_decode         (int                       argc,
                                  char                    **argv);

/* A payload: all of standard input, or a file (as -f reads it), up to
 * MQTT's 268,435,455 bytes (antenna-cli-pub.c). */
GBytes *antenna_cli_read_stdin   (GError                  **error);
GBytes *antenna_cli_load_file    (const char               *path,
                                  GError                  **error);

/* "Usage: @program COMMAND [OPTION…]", @description, the commands with
 * their summaries, @footer and the exit statuses, on @stream. */
void  antenna_cli_commands_help  (FILE                     *stream,
                                  const char               *program,
                                  const char               *description,
                                  const AntennaCliCommand  *commands,
                                  guint                     n_commands,
                                  const char               *footer);
/* Runs the command of @commands named argv[0], as "@program NAME" (its
 * name in errors and --help), with the rest of the line; -1 when there is
 * none of that name. */
int   antenna_cli_commands_run   (const char               *program,
                                  const AntennaCliCommand  *commands,
                                  guint                     n_commands,
                                  int                       argc,
                                  char                    **argv);

G_END_DECLS
