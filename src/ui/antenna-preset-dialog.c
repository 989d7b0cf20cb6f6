/* antenna-preset-dialog.c: the first step of a new connection: which cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two pages: the clouds (and "another broker"), then the fields of the one
 * chosen. The rows of every field are in the template; a cloud shows those
 * it needs (antenna_cloud_preset_needs()), titled and explained by the core.
 * Each change checks every field; "Continue" is sensitive once all pass,
 * and the sentence of the field being typed in, if it is wrong, shows below.
 */

#define G_LOG_DOMAIN "antenna-preset-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "antenna-cloud-preset.h"
#include "antenna-enums.h"
#include "antenna-preset-dialog.h"
#include "antenna-profile.h"

struct _AntennaPresetDialog
{
  AdwWindow           parent_instance;

  /* Template Widgets */
  GtkStack           *stack;
  AdwActionRow       *aws_row;
  AdwActionRow       *azure_row;
  AdwActionRow       *hivemq_row;
  AdwActionRow       *emqx_row;
  AdwWindowTitle     *details_title;
  AdwPreferencesGroup *fields_group;
  GtkWidget          *host_row;
  GtkWidget          *hub_row;
  GtkWidget          *device_row;
  GtkWidget          *device_key_row;
  GtkWidget          *cert_row;
  GtkWidget          *key_row;
  GtkWidget          *passphrase_row;
  GtkWidget          *ca_row;
  GtkWidget          *username_row;
  GtkWidget          *password_row;
  AdwActionRow       *alternate_row;
  GtkSwitch          *alternate_switch;
  GtkLabel           *problem_label;

  /* Owned References */
  AntennaCloudPreset *preset;        /* the cloud chosen, NULL on the first page */
  GBinding           *alternate_binding;
  GtkNativeDialog    *file_chooser;
  char               *password;      /* during ::done only */
  char               *key_passphrase;
  char               *publish_topic;

  /* Borrowed References */
  GtkWidget          *rows[ANTENNA_CLOUD_N_FIELDS];
  GtkWidget          *last_edited;
};

G_DEFINE_FINAL_TYPE (AntennaPresetDialog, antenna_preset_dialog, ADW_TYPE_WINDOW)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The fields that are preset properties; the others are secrets. */
static const struct
{
  AntennaCloudField  field;
  const char        *property;
  const char        *file_target;   /* "preset.choose-file" target, for files */
} property_fields[] = {
  { ANTENNA_CLOUD_FIELD_HOST,      "host",      NULL },
  { ANTENNA_CLOUD_FIELD_HUB_NAME,  "hub-name",  NULL },
  { ANTENNA_CLOUD_FIELD_DEVICE_ID, "device-id", NULL },
  { ANTENNA_CLOUD_FIELD_CERT_FILE, "cert-file", "cert" },
  { ANTENNA_CLOUD_FIELD_KEY_FILE,  "key-file",  "key" },
  { ANTENNA_CLOUD_FIELD_CA_FILE,   "ca-file",   "ca" },
  { ANTENNA_CLOUD_FIELD_USERNAME,  "username",  NULL },
};

static const char *
field_property (AntennaCloudField field)
{
  for (guint i = 0; i < G_N_ELEMENTS (property_fields); i++)
    if (property_fields[i].field == field)
      return property_fields[i].property;
  return NULL;
}

static gboolean
field_is_file (AntennaCloudField field)
{
  return field == ANTENNA_CLOUD_FIELD_CERT_FILE || field == ANTENNA_CLOUD_FIELD_KEY_FILE ||
         field == ANTENNA_CLOUD_FIELD_CA_FILE;
}

/* What the field holds: the entry's text, or the chosen file's path. */
static char *
dup_field_value (AntennaPresetDialog *self,
                 AntennaCloudField    field)
{
  g_autofree char *value = NULL;

  if (field_is_file (field))
    g_object_get (self->preset, field_property (field), &value, NULL);
  else
    value = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->rows[field])));
  return g_steal_pointer (&value);
}

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* ---- checking ------------------------------------------------------------ */

/* Checks every field the cloud needs: marks the wrong ones that hold
 * something, shows the sentence of the one being edited (else the first
 * wrong one), and makes "Continue" sensitive when all pass. */
static void
check_fields (AntennaPresetDialog *self)
{
  g_autoptr(GError) shown = NULL;
  gboolean all_ok = TRUE;

  for (guint field = 0; field < ANTENNA_CLOUD_N_FIELDS; field++)
    {
      g_autofree char *value = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok;
      gboolean say;

      if (!antenna_cloud_preset_needs (self->preset, field))
        continue;

      value = dup_field_value (self, field);
      ok = antenna_cloud_preset_check (self->preset, field, value, &error);
      all_ok &= ok;
      /* An empty field is only unfinished, but an encrypted key's passphrase
       * is worth a word. */
      say = !ok && (value[0] != '\0' || field == ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE);
      if (say)
        gtk_widget_add_css_class (self->rows[field], "error");
      else
        gtk_widget_remove_css_class (self->rows[field], "error");

      if (say && (shown == NULL || self->rows[field] == self->last_edited))
        {
          g_clear_error (&shown);
          shown = g_steal_pointer (&error);
        }
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preset.create", all_ok);
  gtk_label_set_label (self->problem_label, shown != NULL ? shown->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), shown != NULL);
}

static void
on_field_changed_cb (AntennaPresetDialog *self,
                     GtkEditable         *editable)
{
  for (guint field = 0; field < ANTENNA_CLOUD_N_FIELDS; field++)
    {
      const char *property;

      if (self->rows[field] != GTK_WIDGET (editable))
        continue;
      property = field_property (field);
      if (property != NULL && self->preset != NULL)
        g_object_set (self->preset, property, gtk_editable_get_text (editable), NULL);
    }

  self->last_edited = GTK_WIDGET (editable);
  if (self->preset != NULL)
    check_fields (self);
}

/* ---- the pages ---------------------------------------------------------- */

static void
clear_entries (AntennaPresetDialog *self)
{
  for (guint field = 0; field < ANTENNA_CLOUD_N_FIELDS; field++)
    if (!field_is_file (field))
      gtk_editable_set_text (GTK_EDITABLE (self->rows[field]), "");
}

/* A file row: the file's name, its path in the tooltip; the hint until one
 * is chosen. */
static void
show_file (AntennaPresetDialog *self,
           AntennaCloudField    field)
{
  g_autofree char *path = dup_field_value (self, field);
  g_autofree char *name = path[0] != '\0' ? g_path_get_basename (path) : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->rows[field]),
                               name != NULL ? name : antenna_cloud_preset_get_hint (self->preset, field));
  gtk_widget_set_tooltip_text (self->rows[field], path[0] != '\0' ? path : NULL);
}

static void
show_cloud (AntennaPresetDialog *self,
            AntennaCloud         cloud)
{
  g_clear_pointer (&self->alternate_binding, g_binding_unbind);
  g_clear_object (&self->preset);
  self->preset = antenna_cloud_preset_new (cloud);
  self->last_edited = NULL;

  adw_window_title_set_title (self->details_title, antenna_cloud_get_name (cloud));
  adw_preferences_group_set_description (self->fields_group, antenna_cloud_get_description (cloud));

  /* Emptied before the rows are set up: changes go to the new preset. */
  clear_entries (self);
  for (guint field = 0; field < ANTENNA_CLOUD_N_FIELDS; field++)
    {
      GtkWidget *row = self->rows[field];
      gboolean needed = antenna_cloud_preset_needs (self->preset, field);

      gtk_widget_set_visible (row, needed);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), antenna_cloud_preset_get_title (self->preset, field));
      if (!needed)
        continue;
      if (field_is_file (field))
        show_file (self, field);
      else
        gtk_widget_set_tooltip_text (row, antenna_cloud_preset_get_hint (self->preset, field));
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->alternate_row), antenna_cloud_get_alternate_title (cloud));
  adw_action_row_set_subtitle (self->alternate_row, antenna_cloud_get_alternate_description (cloud));
  gtk_switch_set_active (self->alternate_switch, FALSE);
  self->alternate_binding = g_object_bind_property (self->alternate_switch, "active",
                                                    self->preset, "use-alternate",
                                                    G_BINDING_SYNC_CREATE);

  check_fields (self);
  gtk_stack_set_visible_child_name (self->stack, "details");
  gtk_widget_grab_focus (self->rows[antenna_cloud_preset_needs (self->preset, ANTENNA_CLOUD_FIELD_HUB_NAME)
                                    ? ANTENNA_CLOUD_FIELD_HUB_NAME : ANTENNA_CLOUD_FIELD_HOST]);
}

static void
finish (AntennaPresetDialog *self,
        AntennaProfile      *profile)
{
  g_object_ref (self);
  g_signal_emit (self, signals[DONE], 0, profile);
  wipe (&self->password);
  wipe (&self->key_passphrase);
  g_clear_pointer (&self->publish_topic, g_free);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

/* ---- actions ------------------------------------------------------------ */

static void
choose_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AntennaPresetDialog *self = ANTENNA_PRESET_DIALOG (widget);
  g_autoptr(GEnumClass) klass = g_type_class_ref (ANTENNA_TYPE_CLOUD);
  GEnumValue *value = g_enum_get_value_by_nick (klass, g_variant_get_string (parameter, NULL));

  g_return_if_fail (value != NULL);
  show_cloud (self, value->value);
}

static void
other_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();

  finish (ANTENNA_PRESET_DIALOG (widget), profile);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AntennaPresetDialog *self = ANTENNA_PRESET_DIALOG (widget);

  gtk_stack_set_visible_child_name (self->stack, "clouds");
}

static void
create_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AntennaPresetDialog *self = ANTENNA_PRESET_DIALOG (widget);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  AntennaCloudField secret_field;

  profile = antenna_cloud_preset_create_profile (self->preset, &error);
  if (profile == NULL)
    {
      /* check_fields() keeps the action off until the fields pass. */
      gtk_label_set_label (self->problem_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }

  secret_field = antenna_cloud_preset_needs (self->preset, ANTENNA_CLOUD_FIELD_DEVICE_KEY)
                 ? ANTENNA_CLOUD_FIELD_DEVICE_KEY : ANTENNA_CLOUD_FIELD_PASSWORD;
  if (antenna_cloud_preset_needs (self->preset, secret_field))
    self->password = g_strstrip (dup_field_value (self, secret_field));
  if (antenna_cloud_preset_needs (self->preset, ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE))
    self->key_passphrase = dup_field_value (self, ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE);
  if (self->password != NULL && self->password[0] == '\0')
    wipe (&self->password);
  if (self->key_passphrase != NULL && self->key_passphrase[0] == '\0')
    wipe (&self->key_passphrase);
  self->publish_topic = antenna_cloud_preset_dup_publish_topic (self->preset);

  finish (self, profile);
}

typedef struct
{
  AntennaPresetDialog *self;
  AntennaCloudField    field;
} FileChoice;

static void
on_file_chosen_cb (GtkNativeDialog *chooser,
                   int              response,
                   FileChoice      *choice)
{
  AntennaPresetDialog *self = choice->self;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->preset != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    {
      g_object_set (self->preset, field_property (choice->field), path, NULL);
      show_file (self, choice->field);
      self->last_edited = self->rows[choice->field];
      check_fields (self);
    }

  g_clear_object (&self->file_chooser);
}

static void
choose_file_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AntennaPresetDialog *self = ANTENNA_PRESET_DIALOG (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  FileChoice *choice;

  choice = g_new0 (FileChoice, 1);
  choice->self = self;
  for (guint i = 0; i < G_N_ELEMENTS (property_fields); i++)
    if (g_strcmp0 (property_fields[i].file_target, target) == 0)
      choice->field = property_fields[i].field;
  g_return_if_fail (field_is_file (choice->field));

  gtk_file_filter_set_name (filter, _("PEM Files"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.key");
  gtk_file_filter_add_pattern (filter, "*.cer");

  g_clear_object (&self->file_chooser);
  self->file_chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (antenna_cloud_preset_get_title (self->preset, choice->field),
                                                                       GTK_WINDOW (self),
                                                                       GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                       _("_Choose"), _("_Cancel")));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), filter);
  g_signal_connect_data (self->file_chooser, "response", G_CALLBACK (on_file_chosen_cb),
                         choice, (GClosureNotify) g_free, 0);
  gtk_native_dialog_show (self->file_chooser);
}

/* ---- GObject ------------------------------------------------------------ */

static void
antenna_preset_dialog_dispose (GObject *object)
{
  AntennaPresetDialog *self = (AntennaPresetDialog *)object;

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  g_clear_pointer (&self->alternate_binding, g_binding_unbind);
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PRESET_DIALOG);
  g_clear_object (&self->preset);
  wipe (&self->password);
  wipe (&self->key_passphrase);
  g_clear_pointer (&self->publish_topic, g_free);

  G_OBJECT_CLASS (antenna_preset_dialog_parent_class)->dispose (object);
}

static void
antenna_preset_dialog_class_init (AntennaPresetDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_preset_dialog_dispose;

  /**
   * AntennaPresetDialog::done:
   * @profile: the new profile, in no store
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_PROFILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-preset-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, aws_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, azure_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, hivemq_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, emqx_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, details_title);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, fields_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, hub_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, device_key_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, cert_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, ca_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, username_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, alternate_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, alternate_switch);
  gtk_widget_class_bind_template_child (widget_class, AntennaPresetDialog, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);

  gtk_widget_class_install_action (widget_class, "preset.choose", "s", choose_activated);
  gtk_widget_class_install_action (widget_class, "preset.other", NULL, other_activated);
  gtk_widget_class_install_action (widget_class, "preset.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "preset.create", NULL, create_activated);
  gtk_widget_class_install_action (widget_class, "preset.choose-file", "s", choose_file_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
antenna_preset_dialog_init (AntennaPresetDialog *self)
{
  static const AntennaCloud clouds[] = {
    ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_AZURE_IOT_HUB, ANTENNA_CLOUD_HIVEMQ, ANTENNA_CLOUD_EMQX,
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The rows' words come from the core, with the clouds. */
  {
    AdwActionRow *cloud_rows[] = { self->aws_row, self->azure_row, self->hivemq_row, self->emqx_row };

    G_STATIC_ASSERT (G_N_ELEMENTS (cloud_rows) == G_N_ELEMENTS (clouds));
    for (guint i = 0; i < G_N_ELEMENTS (clouds); i++)
      {
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (cloud_rows[i]), antenna_cloud_get_name (clouds[i]));
        adw_action_row_set_subtitle (cloud_rows[i], antenna_cloud_get_description (clouds[i]));
      }
  }

  self->rows[ANTENNA_CLOUD_FIELD_HOST] = self->host_row;
  self->rows[ANTENNA_CLOUD_FIELD_HUB_NAME] = self->hub_row;
  self->rows[ANTENNA_CLOUD_FIELD_DEVICE_ID] = self->device_row;
  self->rows[ANTENNA_CLOUD_FIELD_DEVICE_KEY] = self->device_key_row;
  self->rows[ANTENNA_CLOUD_FIELD_CERT_FILE] = self->cert_row;
  self->rows[ANTENNA_CLOUD_FIELD_KEY_FILE] = self->key_row;
  self->rows[ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE] = self->passphrase_row;
  self->rows[ANTENNA_CLOUD_FIELD_CA_FILE] = self->ca_row;
  self->rows[ANTENNA_CLOUD_FIELD_USERNAME] = self->username_row;
  self->rows[ANTENNA_CLOUD_FIELD_PASSWORD] = self->password_row;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preset.create", FALSE);
}

/* ---- public API --------------------------------------------------------- */

AntennaPresetDialog *
antenna_preset_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (ANTENNA_TYPE_PRESET_DIALOG,
                       "transient-for", parent,
                       NULL);
}

const char *
antenna_preset_dialog_get_password (AntennaPresetDialog *self)
{
  g_return_val_if_fail (ANTENNA_IS_PRESET_DIALOG (self), NULL);

  return self->password;
}

const char *
antenna_preset_dialog_get_key_passphrase (AntennaPresetDialog *self)
{
  g_return_val_if_fail (ANTENNA_IS_PRESET_DIALOG (self), NULL);

  return self->key_passphrase;
}

const char *
antenna_preset_dialog_get_publish_topic (AntennaPresetDialog *self)
{
  g_return_val_if_fail (ANTENNA_IS_PRESET_DIALOG (self), NULL);

  return self->publish_topic;
}

typedef struct
{
  AntennaPresetDialogCallback callback;
  gpointer                    user_data;
  GDestroyNotify              destroy;
} Choice;

static void
choice_free (Choice *choice)
{
  if (choice->destroy != NULL)
    choice->destroy (choice->user_data);
  g_free (choice);
}

static void
on_done_cb (AntennaPresetDialog *self,
            AntennaProfile      *profile,
            Choice              *choice)
{
  choice->callback (profile, self->password, self->key_passphrase, self->publish_topic, choice->user_data);
}

AntennaPresetDialog *
antenna_preset_dialog_choose (GtkWindow                   *parent,
                              AntennaPresetDialogCallback  callback,
                              gpointer                     user_data,
                              GDestroyNotify               destroy)
{
  AntennaPresetDialog *self;
  Choice *choice;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (callback != NULL, NULL);

  self = antenna_preset_dialog_new (parent);
  choice = g_new0 (Choice, 1);
  choice->callback = callback;
  choice->user_data = user_data;
  choice->destroy = destroy;
  g_signal_connect_data (self, "done", G_CALLBACK (on_done_cb), choice,
                         (GClosureNotify) choice_free, 0);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}
