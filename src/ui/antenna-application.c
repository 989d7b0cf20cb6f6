/* antenna-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-application"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-application.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-window.h"

struct _AntennaApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (AntennaApplication, antenna_application, ADW_TYPE_APPLICATION)

static AntennaWindow *
get_main_window (AntennaApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (antenna_window_new (ADW_APPLICATION (self)));

  return ANTENNA_WINDOW (window);
}

static void
antenna_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_main_window (ANTENNA_APPLICATION (app))));
}

static void
antenna_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  AntennaApplication *self = ANTENNA_APPLICATION (app);
  AntennaWindow *window = get_main_window (self);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr(AntennaProfile) profile = NULL;
      g_autoptr(GError) error = NULL;

      profile = antenna_profile_new_from_uri (uri, &error);
      if (profile == NULL)
        {
          AdwToast *toast = adw_toast_new (error->message);
          g_printerr ("%s\n", error->message);
          (void) toast;
          continue;
        }

      antenna_window_open_temporary (window, profile);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  AntennaApplication *self = user_data;
  const char *developers[] = { "The Antenna developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Antenna"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/antennamqtt/antenna",
                         "comments", _("A fast, safe MQTT client"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
};

static void
antenna_application_startup (GApplication *app)
{
  const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (antenna_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
antenna_application_class_init (AntennaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = antenna_application_activate;
  app_class->open = antenna_application_open;
  app_class->startup = antenna_application_startup;
}

static void
antenna_application_init (AntennaApplication *self)
{
}

AntennaApplication *
antenna_application_new (void)
{
  return g_object_new (ANTENNA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/antennamqtt/Antenna",
                       NULL);
}
