/* antenna-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-application"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-application.h"
#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-frame-probe.h"
#include "antenna-preferences-window.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-renderer.h"
#include "antenna-secret-store.h"
#include "antenna-window.h"

/* Nice levels between the main thread and Paho's receive thread. */
#define RECEIVE_NICENESS 5

struct _AntennaApplication
{
  AdwApplication        parent_instance;

  AntennaProfileStore  *store;
  AntennaSecretStore   *secrets;
  AntennaSettings      *settings;

  /* Why profiles.json was set aside at startup, until a window tells it. */
  GError               *load_error;
  char                 *load_moved_to;
  gboolean              new_connection_on_activate;
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

/* Once the window is on screen, so that the dialog comes above it. */
static void
present_main_window (AntennaApplication *self,
                     AntennaWindow      *window)
{
  gtk_window_present (GTK_WINDOW (window));

  if (self->load_error != NULL)
    {
      antenna_window_report_profiles_set_aside (window, self->load_moved_to, self->load_error);
      g_clear_error (&self->load_error);
      g_clear_pointer (&self->load_moved_to, g_free);
    }
}

static void
antenna_application_activate (GApplication *app)
{
  AntennaApplication *self = ANTENNA_APPLICATION (app);
  AntennaWindow *window = get_main_window (self);

  present_main_window (self, window);

  if (self->new_connection_on_activate)
    {
      self->new_connection_on_activate = FALSE;
      g_action_group_activate_action (G_ACTION_GROUP (window), "new-profile", NULL);
    }
}

static void
antenna_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  AntennaApplication *self = ANTENNA_APPLICATION (app);
  AntennaWindow *window = get_main_window (self);

  present_main_window (self, window);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr(AntennaProfile) profile = NULL;
      g_autoptr(GError) error = NULL;

      /* A file (antenna FILE, Files' double click): a capture. */
      if (g_file_is_native (files[i]) && !g_file_has_uri_scheme (files[i], "mqtt") &&
          !g_file_has_uri_scheme (files[i], "mqtts"))
        {
          antenna_window_open_capture (window, files[i]);
          continue;
        }

      profile = antenna_profile_new_from_uri (uri, &error);
      if (profile == NULL)
        {
          /* Translators: %s is the URL given on the command line, then why it cannot be used. */
          g_autofree char *message = g_strdup_printf (_("Cannot open “%s”: %s"), uri, error->message);

          g_printerr ("%s\n", message);
          antenna_window_add_toast (window, message);
          continue;
        }

      antenna_window_open_temporary (window, profile);
    }
}

static int
antenna_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", g_get_application_name (), PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "new-connection"))
    {
      /* In the running instance, if there is one. */
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      if (g_application_get_is_remote (app))
        {
          g_action_group_activate_action (G_ACTION_GROUP (app), "new-connection", NULL);
          return 0;
        }

      ANTENNA_APPLICATION (app)->new_connection_on_activate = TRUE;
    }

  return -1;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AntennaApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing the windows disconnects cleanly, so no broker sends a will; the
   * application ends once the last connection is closed. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
new_connection_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  AntennaApplication *self = ANTENNA_APPLICATION (user_data);
  AntennaWindow *window = get_main_window (self);

  present_main_window (self, window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "new-profile", NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  AntennaApplication *self = user_data;
  GtkWidget *preferences;

  preferences = antenna_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                                self->settings);
  gtk_window_present (GTK_WINDOW (preferences));
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
                         "issue-url", "https://github.com/antennamqtt/antenna/issues",
                         "comments", _("A fast, safe MQTT client: passwords stay in the system keyring, and floods of messages do not freeze it."),
                         /* Translators: your names, one a line, with an e-mail address if you like. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "new-connection", new_connection_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

/* The application's shortcuts: GTK gives them to every window of @app,
 * wherever the focus is in it. */
void
antenna_application_add_accels (GtkApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.new-profile", { "<Control>n", NULL } },
    { "win.open-capture", { "<Control>o", NULL } },
    { "win.edit-selected", { "<Control>e", NULL } },
    { "win.toggle-connection", { "<Control>k", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);
}

static void
antenna_application_startup (GApplication *app)
{
  AntennaApplication *self = ANTENNA_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;

  G_APPLICATION_CLASS (antenna_application_parent_class)->startup (app);

  /* Before any window: cairo where GL would be drawn on the CPU. */
  if (antenna_renderer_choose (gdk_display_get_default ()))
    g_debug ("OpenGL is a software rasterizer: drawing with cairo");

  /* GTK loads the icon theme in a thread the first time it is asked for,
   * and the first icon drawn waits for that thread: asked now, it loads
   * while the window is built (~20 ms sooner to the first frame). */
  gtk_icon_theme_get_for_display (gdk_display_get_default ());

  /* Only for the GUI benchmark: off unless ANTENNA_PROBE is set. */
  antenna_frame_probe_start_from_env (GTK_APPLICATION (app));

  /* Under a flood on a busy machine, the frames that show the messages
   * come before receiving more of them (the client's backpressure holds
   * the rest at the broker). */
  antenna_client_set_receive_niceness (RECEIVE_NICENESS);

  g_set_application_name (_("Antenna"));
  gtk_window_set_default_icon_name (APP_ID);

  self->settings = antenna_settings_new ();
  g_object_bind_property (self->settings, "color-scheme",
                          adw_style_manager_get_default (), "color-scheme",
                          G_BINDING_SYNC_CREATE);

  self->secrets = antenna_secret_store_new ();
  self->store = antenna_profile_store_new (NULL);
  if (!antenna_profile_store_load (self->store, &moved_to, &error))
    {
      g_printerr ("%s\n", error->message);
      self->load_error = g_steal_pointer (&error);
      self->load_moved_to = g_steal_pointer (&moved_to);
    }
  antenna_profile_store_set_autosave (self->store, TRUE);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  antenna_application_add_accels (GTK_APPLICATION (app));
}

static void
antenna_application_shutdown (GApplication *app)
{
  /* Let the DISCONNECTs of the connections closed last go out. */
  antenna_client_wait_for_destroyed (2000);

  G_APPLICATION_CLASS (antenna_application_parent_class)->shutdown (app);
}

/* A development build (-Dprofile=development) shows it: libadwaita stripes
 * the header bars of windows with the devel style class. */
static void
antenna_application_window_added (GtkApplication *app,
                                  GtkWindow      *window)
{
#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (window), "devel");
#endif

  GTK_APPLICATION_CLASS (antenna_application_parent_class)->window_added (app, window);
}

static void
antenna_application_finalize (GObject *object)
{
  AntennaApplication *self = (AntennaApplication *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->settings);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->load_moved_to, g_free);

  G_OBJECT_CLASS (antenna_application_parent_class)->finalize (object);
}

static void
antenna_application_class_init (AntennaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = antenna_application_finalize;

  app_class->activate = antenna_application_activate;
  app_class->open = antenna_application_open;
  app_class->startup = antenna_application_startup;
  app_class->shutdown = antenna_application_shutdown;
  app_class->handle_local_options = antenna_application_handle_local_options;

  gtk_app_class->window_added = antenna_application_window_added;
}

static void
antenna_application_init (AntennaApplication *self)
{
  static const GOptionEntry options[] = {
    { "new-connection", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the editor for a new connection"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[mqtt://HOST[:PORT]…]"));
}

AntennaApplication *
antenna_application_new (void)
{
  return g_object_new (ANTENNA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

AntennaProfileStore *
antenna_application_get_profile_store (AntennaApplication *self)
{
  g_return_val_if_fail (ANTENNA_IS_APPLICATION (self), NULL);

  return self->store;
}

AntennaSecretStore *
antenna_application_get_secret_store (AntennaApplication *self)
{
  g_return_val_if_fail (ANTENNA_IS_APPLICATION (self), NULL);

  return self->secrets;
}

AntennaSettings *
antenna_application_get_settings (AntennaApplication *self)
{
  g_return_val_if_fail (ANTENNA_IS_APPLICATION (self), NULL);

  return self->settings;
}
