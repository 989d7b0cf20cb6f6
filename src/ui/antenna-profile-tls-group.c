/* antenna-profile-tls-group.c
 *
 * The file rows show the profile's paths, bound in the template; a file is
 * chosen with a GtkFileChooserNative (GTK 4.8 has no GtkFileDialog) and
 * checked for reading each time the editor validates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-tls-group"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "antenna-profile.h"
#include "antenna-profile-tls-group.h"

struct _AntennaProfileTlsGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  AdwActionRow              *ca_row;
  AdwActionRow              *cert_row;
  AdwActionRow              *key_row;
  AdwEntryRow               *passphrase_row;
  AdwActionRow              *insecure_row;
  GtkSwitch                 *verify_switch;
  GtkSwitch                 *insecure_switch;
  AdwEntryRow               *alpn_row;
  GtkLabel                  *tls_error;

  /* Owned References */
  GtkFileChooserNative      *file_chooser;

  /* The profile property the open chooser sets: one of files[].property. */
  const char                *chooser_property;
};

G_DEFINE_FINAL_TYPE (AntennaProfileTlsGroup, antenna_profile_tls_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

/* The files of the group, by profile property. */
static const struct {
  const char *property;
  const char *title;     /* of the chooser */
  const char *what;      /* for an error: "… cannot be read" */
  gboolean    key;
} files[] = {
  { "tls-ca-file", N_("Choose a CA Certificate"), N_("The CA certificate"), FALSE },
  { "tls-cert-file", N_("Choose a Client Certificate"), N_("The client certificate"), FALSE },
  { "tls-key-file", N_("Choose a Client Key"), N_("The client key"), TRUE },
};

static int
find_file (const char *property)
{
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    if (g_str_equal (files[i].property, property))
      return (int) i;

  return -1;
}

static char *
check_file (const char *path,
            const char *what)
{
  int saved_errno;

  if (path == NULL || path[0] == '\0')
    return NULL;

  if (g_access (path, R_OK) == 0 && !g_file_test (path, G_FILE_TEST_IS_DIR))
    return NULL;

  saved_errno = g_file_test (path, G_FILE_TEST_IS_DIR) ? EISDIR : errno;

  /* Translators: "The CA certificate “/path” cannot be read: Permission denied." */
  return g_strdup_printf (_("%s “%s” cannot be read: %s."), what, path, g_strerror (saved_errno));
}

static void
close_file_chooser (AntennaProfileTlsGroup *self)
{
  if (self->file_chooser == NULL)
    return;

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);
  self->chooser_property = NULL;
}

/* GTK 4.8 cannot bind the group's own sensitivity in its template. */
static void
update_sensitive (AntennaProfileTlsGroup *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self),
                            antenna_profile_editor_group_uses_tls (ANTENNA_PROFILE_EDITOR_GROUP (self)));
}

/* A style class cannot be bound: the row has others, set by GTK. */
static void
update_insecure (AntennaProfileTlsGroup *self)
{
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));

  if (antenna_profile_get_tls_allow_insecure (profile))
    gtk_widget_add_css_class (GTK_WIDGET (self->insecure_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->insecure_row), "warning");
}

/* The key file is read: only an encrypted key has a passphrase. */
static void
update_passphrase (AntennaProfileTlsGroup *self)
{
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));

  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row),
                          antenna_profile_tls_key_needs_passphrase (profile));
}

/* Closures of the template */

static gboolean
is_set (AntennaProfileTlsGroup *self,
        const char             *path)
{
  return path != NULL && path[0] != '\0';
}

static char *
file_or_system (AntennaProfileTlsGroup *self,
                const char             *path)
{
  return g_strdup (is_set (self, path) ? path : _("The system’s certificates"));
}

static char *
file_or_none (AntennaProfileTlsGroup *self,
              const char             *path)
{
  return g_strdup (is_set (self, path) ? path : _("None"));
}

static char *
describe_insecure (AntennaProfileTlsGroup *self,
                   gboolean                allow_insecure)
{
  if (allow_insecure)
    return g_strdup (_("The broker’s certificate is not checked: anyone on the way can pose as the broker and read everything, passwords included."));

  return g_strdup (_("Accept certificates that are expired or signed by an unknown authority"));
}

/* Actions */

static void
on_file_chooser_response_cb (AntennaProfileTlsGroup *self,
                             int                     response,
                             GtkFileChooserNative   *chooser)
{
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));

  if (chooser != self->file_chooser)
    return;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_object_set (profile, self->chooser_property, path, NULL);
      else if (!gtk_widget_activate_action (GTK_WIDGET (self), "editor.show-toast", "s",
                                            _("Only local files can be used as certificates.")))
        g_debug ("No editor to show a toast in");
    }

  close_file_chooser (self);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AntennaProfileTlsGroup *self = ANTENNA_PROFILE_TLS_GROUP (widget);
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
  g_autoptr(GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *current = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  int i = find_file (g_variant_get_string (param, NULL));

  g_return_if_fail (i >= 0);

  close_file_chooser (self);

  self->chooser_property = files[i].property;
  self->file_chooser = gtk_file_chooser_native_new (_(files[i].title),
                                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                    GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);

  gtk_file_filter_set_name (pem, files[i].key ? _("Keys (PEM)") : _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (pem, "*.pem");
  gtk_file_filter_add_pattern (pem, files[i].key ? "*.key" : "*.crt");
  gtk_file_filter_add_pattern (pem, "*.cer");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), pem);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), all);

  g_object_get (profile, files[i].property, &current, NULL);
  if (current != NULL && current[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);
      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->file_chooser), file, NULL);
    }

  g_signal_connect_object (self->file_chooser, "response",
                           G_CALLBACK (on_file_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
clear_file_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AntennaProfileTlsGroup *self = ANTENNA_PROFILE_TLS_GROUP (widget);
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
  int i = find_file (g_variant_get_string (param, NULL));

  g_return_if_fail (i >= 0);

  g_object_set (profile, files[i].property, NULL, NULL);
}

/* Overrides */

static void
antenna_profile_tls_group_bind (AntennaProfileEditorGroup *group,
                                AntennaProfile            *profile)
{
  AntennaProfileTlsGroup *self = ANTENNA_PROFILE_TLS_GROUP (group);

  antenna_profile_editor_group_bind_property (group, "tls-verify-hostname", self->verify_switch, "active");
  antenna_profile_editor_group_bind_property (group, "tls-allow-insecure", self->insecure_switch, "active");
  antenna_profile_editor_group_bind_property (group, "tls-alpn", self->alpn_row, "text");

  g_signal_connect_object (profile, "notify::transport",
                           G_CALLBACK (update_sensitive), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (profile, "notify::tls-allow-insecure",
                           G_CALLBACK (update_insecure), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (profile, "notify::tls-key-file",
                           G_CALLBACK (update_passphrase), self,
                           G_CONNECT_SWAPPED);
  update_sensitive (self);
  update_insecure (self);
  update_passphrase (self);
}

static gboolean
antenna_profile_tls_group_validate (AntennaProfileEditorGroup *group)
{
  AntennaProfileTlsGroup *self = ANTENNA_PROFILE_TLS_GROUP (group);
  AntennaProfile *profile = antenna_profile_editor_group_get_profile (group);
  g_autoptr(GString) errors = g_string_new (NULL);
  AdwActionRow *rows[] = { self->ca_row, self->cert_row, self->key_row };
  gboolean uses_tls = antenna_profile_editor_group_uses_tls (group);

  G_STATIC_ASSERT (G_N_ELEMENTS (rows) == G_N_ELEMENTS (files));

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *error = NULL;

      if (uses_tls)
        {
          g_object_get (profile, files[i].property, &path, NULL);
          error = check_file (path, _(files[i].what));
        }
      antenna_profile_editor_group_check_row (GTK_WIDGET (rows[i]), error, errors);
    }

  return antenna_profile_editor_group_show_errors (self->tls_error, errors);
}

static void
antenna_profile_tls_group_dispose (GObject *object)
{
  AntennaProfileTlsGroup *self = ANTENNA_PROFILE_TLS_GROUP (object);

  close_file_chooser (self);

  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_TLS_GROUP);

  G_OBJECT_CLASS (antenna_profile_tls_group_parent_class)->dispose (object);
}

static void
antenna_profile_tls_group_class_init (AntennaProfileTlsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_tls_group_dispose;

  group_class->bind = antenna_profile_tls_group_bind;
  group_class->validate = antenna_profile_tls_group_validate;

  gtk_widget_class_install_action (widget_class, "tls.choose-file", "s", choose_file_action);
  gtk_widget_class_install_action (widget_class, "tls.clear-file", "s", clear_file_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-tls-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, ca_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, cert_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, key_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, insecure_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, verify_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, alpn_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileTlsGroup, tls_error);
  gtk_widget_class_bind_template_callback (widget_class, is_set);
  gtk_widget_class_bind_template_callback (widget_class, file_or_system);
  gtk_widget_class_bind_template_callback (widget_class, file_or_none);
  gtk_widget_class_bind_template_callback (widget_class, describe_insecure);
}

static void
antenna_profile_tls_group_init (AntennaProfileTlsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
antenna_profile_tls_group_get_key_passphrase (AntennaProfileTlsGroup *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_TLS_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
}

void
antenna_profile_tls_group_set_key_passphrase (AntennaProfileTlsGroup *self,
                                              const char             *passphrase)
{
  g_return_if_fail (ANTENNA_IS_PROFILE_TLS_GROUP (self));

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), passphrase != NULL ? passphrase : "");
}
