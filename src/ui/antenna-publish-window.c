/* antenna-publish-window.c: a composer in a window of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-publish-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-profile.h"
#include "antenna-publish-window.h"

struct _AntennaPublishWindow
{
  AdwWindow        parent_instance;

  /* Template Widgets */
  AdwBin          *composer_bin;

  /* Borrowed References */
  AntennaComposer *composer;

  /* Owned References */
  AntennaClient   *client;
};

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaPublishWindow, antenna_publish_window, ADW_TYPE_WINDOW)

/* The window's own title, for the window list. Not bound in the .ui: a
 * binding whose target is the template object itself trips GTK 4.8's
 * expression watches when the window goes ("couldn't find weak ref"). The
 * header's subtitle is bound. */
static void
update_title (AntennaPublishWindow *self)
{
  AntennaProfile *profile = antenna_client_get_profile (self->client);
  g_autofree char *title = NULL;

  /* Translators: the title of the detached composer; %s is the connection's name */
  title = g_strdup_printf (_("Publish on %s"), antenna_profile_get_name (profile));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
antenna_publish_window_constructed (GObject *object)
{
  AntennaPublishWindow *self = ANTENNA_PUBLISH_WINDOW (object);

  G_OBJECT_CLASS (antenna_publish_window_parent_class)->constructed (object);

  self->composer = g_object_new (ANTENNA_TYPE_COMPOSER,
                                 "client", self->client,
                                 "detachable", FALSE,
                                 NULL);
  adw_bin_set_child (self->composer_bin, GTK_WIDGET (self->composer));

  g_signal_connect_object (antenna_client_get_profile (self->client), "notify::name",
                           G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  update_title (self);
}

static void
antenna_publish_window_dispose (GObject *object)
{
  AntennaPublishWindow *self = ANTENNA_PUBLISH_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_PUBLISH_WINDOW);
  self->composer = NULL;
  g_clear_object (&self->client);

  G_OBJECT_CLASS (antenna_publish_window_parent_class)->dispose (object);
}

static void
antenna_publish_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AntennaPublishWindow *self = ANTENNA_PUBLISH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AntennaPublishWindow *self = ANTENNA_PUBLISH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_publish_window_class_init (AntennaPublishWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_publish_window_constructed;
  object_class->dispose = antenna_publish_window_dispose;
  object_class->get_property = antenna_publish_window_get_property;
  object_class->set_property = antenna_publish_window_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ANTENNA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ANTENNA_TYPE_PROFILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-publish-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaPublishWindow, composer_bin);
}

static void
antenna_publish_window_init (AntennaPublishWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AntennaPublishWindow *
antenna_publish_window_new (AntennaClient        *client,
                            AntennaTopicTree     *tree,
                            AntennaTemplateStore *store)
{
  AntennaPublishWindow *self;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  self = g_object_new (ANTENNA_TYPE_PUBLISH_WINDOW, "client", client, NULL);
  antenna_composer_set_topic_tree (self->composer, tree);
  antenna_composer_set_template_store (self->composer, store);

  return self;
}

AntennaComposer *
antenna_publish_window_get_composer (AntennaPublishWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_PUBLISH_WINDOW (self), NULL);

  return self->composer;
}
