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
  antenna_test_init (argc, argv, flags);

  gtk_disable_setlocale ();
  gtk_init ();
  adw_init ();
}
