/* antenna-cli-commands.c: tables of commands, their help and their dispatch
 *
 * antenna-cli and its "profiles" command both take a command first: one
 * help and one dispatch serve them (and the commands that later issues add).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-cli-commands.h"
#include "antenna-cli-report.h"

void
antenna_cli_commands_help (FILE                    *stream,
                           const char              *program,
                           const char              *description,
                           const AntennaCliCommand *commands,
                           guint                    n_commands,
                           const char              *footer)
{
  fprintf (stream, "%s\n  %s %s\n\n%s\n\n%s\n", _("Usage:"), program, _("COMMAND [OPTION…]"),
           description, _("Commands:"));
  for (guint i = 0; i < n_commands; i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n\n%s\n", footer, antenna_cli_status_help ());
}

int
antenna_cli_commands_run (const char              *program,
                          const AntennaCliCommand *commands,
                          guint                    n_commands,
                          int                      argc,
                          char                   **argv)
{
  for (guint i = 0; i < n_commands; i++)
    if (g_str_equal (argv[0], commands[i].name))
      {
        g_autofree char *prgname = g_strconcat (program, " ", commands[i].name, NULL);

        /* Its errors and its --help say "antenna-cli pub: …". */
        g_set_prgname (prgname);
        return commands[i].run (argc, argv);
      }

  return -1;
}
