/* antenna-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-profile.h"
#include "antenna-window.h"

struct _AntennaWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwStatusPage   *empty_page;
};

G_DEFINE_FINAL_TYPE (AntennaWindow, antenna_window, ADW_TYPE_APPLICATION_WINDOW)

static void
antenna_window_class_init (AntennaWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/antennamqtt/Antenna/antenna-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AntennaWindow, empty_page);
}

static void
antenna_window_init (AntennaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AntennaWindow *
antenna_window_new (AdwApplication *application)
{
  return g_object_new (ANTENNA_TYPE_WINDOW, "application", application, NULL);
}

void
antenna_window_open_temporary (AntennaWindow  *self,
                               AntennaProfile *profile)
{
  g_autofree char *address = NULL;

  g_return_if_fail (ANTENNA_IS_WINDOW (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));

  address = antenna_profile_dup_display_address (profile);
  adw_status_page_set_description (self->empty_page, address);
}
