/* antenna-test-ui.h: the preamble of the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-client.h"
#include "antenna-connection-page.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-settings.h"
#include "antenna-window.h"
#include "antenna-test-utils.h"

G_BEGIN_DECLS

/* antenna_test_init(), then GTK and libadwaita in the same C.UTF-8 locale
 * (GTK would take the session's), and Antenna's stylesheet on the display as
 * the application loads it: the widgets a test makes look as in the app. */
void               antenna_test_ui_init             (int                   *argc,
                                                     char                ***argv,
                                                     AntennaTestInitFlags   flags);

/* A connection page on @client in a window of its own of @width × @height,
 * presented and mapped. @page: the page; it and the window returned are
 * references of the test's, to see them finalized by
 * antenna_test_ui_close_page(). */
GtkWidget         *antenna_test_ui_show_page        (AntennaClient          *client,
                                                     int                     width,
                                                     int                     height,
                                                     AntennaConnectionPage **page);
/* The window destroyed, @client disconnected (unless it is), and the
 * window, the page and the client finalized: the references are taken. */
void               antenna_test_ui_close_page       (GtkWidget              *window,
                                                     AntennaConnectionPage  *page,
                                                     AntennaClient          *client);

/* The main window as the application makes it, without the application:
 * on @store, @secrets and @settings, 1280 × 820, presented. A reference of
 * the test's. */
AntennaWindow     *antenna_test_ui_window_new       (AntennaProfileStore    *store,
                                                     AntennaSecretStore     *secrets,
                                                     AntennaSettings        *settings);
/* As quitting does: every connection closed, the window gone; waits for
 * @window and then @secrets to be finalized (the clients keep the secret
 * store until their DISCONNECT went out) and for Paho's handles to go.
 * Both references are taken. */
void               antenna_test_ui_window_close     (AntennaWindow          *window,
                                                     AntennaSecretStore     *secrets);

/* Finding widgets as a person finds them: by what they say. */
typedef gboolean (*AntennaTestWidgetMatch) (GtkWidget     *widget,
                                            gconstpointer  data);

/* Depth-first: the first widget below @root that @match accepts, or NULL. */
GtkWidget         *antenna_test_ui_find_widget      (GtkWidget             *root,
                                                     AntennaTestWidgetMatch match,
                                                     gconstpointer          data);
/* The AdwPreferencesRow of @type (an AdwActionRow, AdwEntryRow…) below
 * @root whose title is @title (as written, with its mnemonic), or NULL. */
GtkWidget         *antenna_test_ui_find_row         (GtkWidget             *root,
                                                     GType                  type,
                                                     const char            *title);
/* The GtkButton below @root labelled @label (as written), or NULL. */
GtkWidget         *antenna_test_ui_find_button      (GtkWidget             *root,
                                                     const char            *label);
/* Scrolls the scrolled window that holds @widget to show it: for a
 * screenshot of a row far down a page. */
void               antenna_test_ui_scroll_to        (GtkWidget             *widget);
/* The first toplevel window of @type (a dialog a window opened), waiting up
 * to @timeout_ms for it; NULL when none came. */
GtkWindow         *antenna_test_ui_wait_window      (GType                  type,
                                                     guint                  timeout_ms);

G_END_DECLS
