/* antenna-cli.c: antenna-cli, Antenna's command line
 *
 * "antenna-cli COMMAND [OPTION…]": the command is found here and runs with
 * the rest of the line; its options, its --help and its exit status are
 * its own (antenna-cli-commands.h). The decoders, captures and replay of
 * later issues add their commands to the table below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "antenna-cli-commands.h"
#include "antenna-cli-report.h"
#include "antenna-proxy.h"

static const AntennaCliCommand commands[] = {
  { "pub", antenna_cli_pub, N_("Publish a message, a file, or each line of standard input") },
  { "sub", antenna_cli_sub, N_("Print the messages published on topics") },
  { "decode", antenna_cli_decode, N_("Decode one payload from a file or standard input, as the app would show it") },
  { "profiles", antenna_cli_profiles, N_("List, show, export and import the connections saved in Antenna") },
};

static void
print_help (FILE *stream)
{
  g_autofree char *footer = g_strdup_printf ("%s\n  --help     %s\n  --version  %s\n\n%s",
                                             _("Options:"), _("Show this help"), _("Show the version"),
                                             _("“antenna-cli COMMAND --help” shows a command’s options; “man antenna-cli” says more."));

  antenna_cli_commands_help (stream, "antenna-cli",
                             _("Publish and subscribe from the command line with the connections saved in Antenna, "
                               "their passwords coming from the keyring, never from the command line."),
                             commands, G_N_ELEMENTS (commands), footer);
}

int
main (int   argc,
      char *argv[])
{
  const char *name;
  int status;

  /* Before any thread: Paho must not see http_proxy/https_proxy. */
  antenna_proxy_init_environment ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("antenna-cli");

  if (argc < 2)
    {
      print_help (stderr);
      return ANTENNA_CLI_STATUS_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "--version"))
    {
      printf ("antenna-cli %s\n", PACKAGE_VERSION);
      return ANTENNA_CLI_STATUS_OK;
    }
  if (g_str_equal (name, "--help") || g_str_equal (name, "-?") ||
      (g_str_equal (name, "help") && argc == 2))
    {
      print_help (stdout);
      return ANTENNA_CLI_STATUS_OK;
    }

  /* "antenna-cli help COMMAND" is "antenna-cli COMMAND --help". */
  if (g_str_equal (name, "help"))
    {
      char *help_argv[] = { argv[2], (char *) "--help", NULL };

      name = argv[2];
      status = antenna_cli_commands_run ("antenna-cli", commands, G_N_ELEMENTS (commands), 2, help_argv);
    }
  else
    status = antenna_cli_commands_run ("antenna-cli", commands, G_N_ELEMENTS (commands), argc - 1, argv + 1);
  if (status >= 0)
    return status;

  return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_USAGE,
                                  _("“%s” is not an antenna-cli command: pub, sub, decode or profiles (antenna-cli --help)."),
                                  name);
}
