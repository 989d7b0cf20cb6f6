/* antenna-failure-banner.c: the reason a connection failed, kept in view
 *
 * libadwaita 1.2 has no AdwBanner: a revealer with the reason, wrapped so
 * that a long one is read whole, and the two things a person does next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-failure-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-failure-banner.h"

struct _AntennaFailureBanner
{
  AdwBin       parent_instance;

  /* Template Widgets */
  GtkRevealer *revealer;
  GtkLabel    *message_label;
  GtkButton   *edit_button;
  GtkButton   *retry_button;

  /* Owned References */
  char        *message;
};

G_DEFINE_FINAL_TYPE (AntennaFailureBanner, antenna_failure_banner, ADW_TYPE_BIN)

/* No dispose: the revealer is the bin's child, which AdwBin unparents. */
static void
antenna_failure_banner_finalize (GObject *object)
{
  AntennaFailureBanner *self = ANTENNA_FAILURE_BANNER (object);

  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (antenna_failure_banner_parent_class)->finalize (object);
}

static void
antenna_failure_banner_class_init (AntennaFailureBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = antenna_failure_banner_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-failure-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaFailureBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, AntennaFailureBanner, message_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaFailureBanner, edit_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaFailureBanner, retry_button);
}

static void
antenna_failure_banner_init (AntennaFailureBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
antenna_failure_banner_show (AntennaFailureBanner *self,
                             const char           *message,
                             const char           *profile_id,
                             gboolean              editable)
{
  g_return_if_fail (ANTENNA_IS_FAILURE_BANNER (self));
  g_return_if_fail (message != NULL);
  g_return_if_fail (profile_id != NULL);

  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_label (self->message_label, message);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->edit_button), "s", profile_id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_button), "s", profile_id);
  gtk_widget_set_visible (GTK_WIDGET (self->edit_button), editable);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

void
antenna_failure_banner_hide (AntennaFailureBanner *self)
{
  g_return_if_fail (ANTENNA_IS_FAILURE_BANNER (self));

  g_clear_pointer (&self->message, g_free);
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  /* Hidden outright: a revealer without a transition keeps its room. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

const char *
antenna_failure_banner_get_message (AntennaFailureBanner *self)
{
  g_return_val_if_fail (ANTENNA_IS_FAILURE_BANNER (self), NULL);

  return self->message;
}
