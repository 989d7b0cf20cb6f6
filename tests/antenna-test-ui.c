/* antenna-test-ui.c: the preamble of the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test"

#include "config.h"

#include <adwaita.h>

#include "antenna-test-ui.h"

void
antenna_test_ui_init (int                    *argc,
                      char                 ***argv,
                      AntennaTestInitFlags    flags)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  antenna_test_init (argc, argv, flags);

  gtk_disable_setlocale ();
  gtk_init ();
  adw_init ();

  /* What AdwApplication loads from the resource base path. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
