/* antenna-test-ui.h: the preamble of the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-test-utils.h"

G_BEGIN_DECLS

/* antenna_test_init(), then GTK and libadwaita in the same C.UTF-8 locale
 * (GTK would take the session's), and Antenna's stylesheet on the display as
 * the application loads it: the widgets a test makes look as in the app. */
void               antenna_test_ui_init             (int                   *argc,
                                                     char                ***argv,
                                                     AntennaTestInitFlags   flags);

G_END_DECLS
