/* antenna-test-ui.c: the preamble of the widget tests, and finding widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test"

#include "config.h"

#include <adwaita.h>

#include "antenna-test-client.h"
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

static gboolean
is_mapped (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget);
}

GtkWidget *
antenna_test_ui_show_page (AntennaClient          *client,
                           int                     width,
                           int                     height,
                           AntennaConnectionPage **page)
{
  GtkWidget *window = g_object_ref (gtk_window_new ());

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  *page = g_object_ref_sink (ANTENNA_CONNECTION_PAGE (antenna_connection_page_new (client)));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (*page));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) is_mapped, *page, ANTENNA_TEST_CLIENT_WAIT_MS));

  return window;
}

void
antenna_test_ui_close_page (GtkWidget             *window,
                            AntennaConnectionPage *page,
                            AntennaClient         *client)
{
  gtk_window_destroy (GTK_WINDOW (window));
  if (antenna_client_get_state (client) != ANTENNA_CLIENT_STATE_DISCONNECTED)
    antenna_test_disconnect_ok (client);
  g_assert_finalize_object (window);
  g_assert_finalize_object (page);
  g_assert_finalize_object (client);
}

AntennaWindow *
antenna_test_ui_window_new (AntennaProfileStore *store,
                            AntennaSecretStore  *secrets,
                            AntennaSettings     *settings)
{
  AntennaWindow *window = g_object_ref (g_object_new (ANTENNA_TYPE_WINDOW,
                                                      "profile-store", store,
                                                      "secret-store", secrets,
                                                      "settings", settings,
                                                      NULL));

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 820);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
antenna_test_ui_window_close (AntennaWindow      *window,
                              AntennaSecretStore *secrets)
{
  antenna_window_disconnect_all (window);
  gtk_window_destroy (GTK_WINDOW (window));
  antenna_test_wait_finalized (window, ANTENNA_TEST_CLIENT_WAIT_MS);
  antenna_test_wait_finalized (secrets, ANTENNA_TEST_CLIENT_WAIT_MS);
  antenna_client_wait_for_destroyed (5000);
}

GtkWidget *
antenna_test_ui_find_widget (GtkWidget              *root,
                             AntennaTestWidgetMatch  match,
                             gconstpointer           data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child, data))
        return child;
      found = antenna_test_ui_find_widget (child, match, data);
      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  GType       type;
  const char *title;
} RowQuery;

static gboolean
is_row (GtkWidget     *widget,
        gconstpointer  data)
{
  const RowQuery *query = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, query->type) && ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), query->title) == 0;
}

GtkWidget *
antenna_test_ui_find_row (GtkWidget  *root,
                          GType       type,
                          const char *title)
{
  RowQuery query = { type, title };

  return antenna_test_ui_find_widget (root, is_row, &query);
}

static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

GtkWidget *
antenna_test_ui_find_button (GtkWidget  *root,
                             const char *label)
{
  return antenna_test_ui_find_widget (root, is_button, label);
}

void
antenna_test_ui_scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  double x, y;

  g_return_if_fail (scrolled != NULL);

  /* Laid out first, so that its place is known. */
  antenna_test_iterate_for (50);
  if (!gtk_widget_translate_coordinates (widget, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                         0, 0, &x, &y))
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, y - 64);
}

typedef struct
{
  GType      type;
  GtkWindow *found;
} WindowQuery;

static gboolean
window_found (gpointer user_data)
{
  WindowQuery *query = user_data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && query->found == NULL; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, query->type))
        query->found = window;
    }

  return query->found != NULL;
}

GtkWindow *
antenna_test_ui_wait_window (GType type,
                             guint timeout_ms)
{
  WindowQuery query = { type, NULL };

  antenna_test_wait_until (window_found, &query, timeout_ms);
  return query.found;
}
