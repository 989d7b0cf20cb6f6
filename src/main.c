/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "antenna-application.h"
#include "antenna-frame-probe.h"
#include "antenna-proxy.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AntennaApplication) app = NULL;

  antenna_frame_probe_mark_main_start ();
  /* Before any thread: Paho must not see http_proxy/https_proxy. */
  antenna_proxy_init_environment ();

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = antenna_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
