/* antenna-accessible.h: what a screen reader hears, where GTK 4.8 gets it wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Once per process (the window's class_init calls it): every button and
 * check button mapped from then on is named without its mnemonic, and the
 * inner buttons of menu buttons and drop-downs take their outer widget's
 * name (see antenna-accessible.c). */
void  antenna_accessible_install_workarounds (void);
/* Names the list row that holds @child (a GtkListView's or GtkGridView's
 * row widget, which GTK 4.8 gives no name of its own): what a screen reader
 * reads for the row, built from its content. */
void  antenna_accessible_set_row_label       (GtkWidget  *child,
                                              const char *label);
/* @text without its mnemonic underscores ("_Save" → "Save", "__" → "_"). */
char *antenna_accessible_strip_mnemonic      (const char *text);

G_END_DECLS
