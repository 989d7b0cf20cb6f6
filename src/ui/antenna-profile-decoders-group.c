/* antenna-profile-decoders-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-decoders-group"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-decoder.h"
#include "antenna-decoder-rule.h"
#include "antenna-decoder-rule-row.h"
#include "antenna-profile.h"
#include "antenna-profile-decoders-group.h"
#include "antenna-proto-path-row.h"
#include "antenna-proto-schema.h"
#include "antenna-topic.h"

struct _AntennaProfileDecodersGroup
{
  AntennaProfileEditorGroup  parent_instance;

  /* Template Widgets */
  GtkListBox                *rules_list;
  AdwEntryRow               *add_filter_row;
  GtkDropDown               *add_decoder_dropdown;
  GtkStringList             *add_decoder_names;
  GtkButton                 *add_rule_button;
  GtkLabel                  *rules_error;
  GtkListBox                *files_list;
  AdwEntryRow               *add_file_row;
  GtkListBox                *imports_list;
  AdwEntryRow               *add_import_row;
  GtkLabel                  *schema_label;

  /* Owned References */
  GtkStringList             *files;
  GtkStringList             *imports;
  AntennaProtoSchema        *schema;
  char                      *schema_error;
  GtkFileChooserNative      *file_chooser;
};

G_DEFINE_FINAL_TYPE (AntennaProfileDecodersGroup, antenna_profile_decoders_group, ANTENNA_TYPE_PROFILE_EDITOR_GROUP)

static AntennaProfile *
get_profile (AntennaProfileDecodersGroup *self)
{
  return antenna_profile_editor_group_get_profile (ANTENNA_PROFILE_EDITOR_GROUP (self));
}

static int
find_rule (AntennaProfileDecodersGroup *self,
           const char                  *filter)
{
  GListModel *rules = antenna_profile_get_decoder_rules (get_profile (self));
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaDecoderRule) rule = g_list_model_get_item (rules, i);

      if (g_str_equal (antenna_decoder_rule_get_filter (rule), filter))
        return (int) i;
    }
  return -1;
}

/* A rule whose message type the files do not define says so on its row. */
static void
update_rule_errors (AntennaProfileDecodersGroup *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->rules_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      AntennaDecoderRule *rule;
      const char *type;
      g_autofree char *error = NULL;

      if (!ANTENNA_IS_DECODER_RULE_ROW (child))
        continue;
      rule = antenna_decoder_rule_row_get_rule (ANTENNA_DECODER_RULE_ROW (child));
      type = antenna_decoder_rule_get_message_type (rule);

      if (g_str_equal (antenna_decoder_rule_get_decoder (rule), ANTENNA_DECODER_PROTOBUF) && type[0] != '\0')
        {
          if (g_list_model_get_n_items (G_LIST_MODEL (self->files)) == 0)
            error = g_strdup_printf (_("Add the .proto file that defines “%s” below."), type);
          else if (self->schema == NULL)
            error = g_strdup (_("The .proto files cannot be read: see below."));
          else if (!antenna_proto_schema_has_message (self->schema, type))
            error = g_strdup_printf (_("No message type “%s” in the .proto files."), type);
        }
      antenna_decoder_rule_row_set_error (ANTENNA_DECODER_RULE_ROW (child), error);
    }
}

static void
load_schema (AntennaProfileDecodersGroup *self)
{
  AntennaProfile *profile = get_profile (self);
  const char * const *files = antenna_profile_get_proto_files (profile);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->schema, antenna_proto_schema_unref);
  g_clear_pointer (&self->schema_error, g_free);

  if (files[0] == NULL)
    gtk_label_set_label (self->schema_label, "");
  else
    {
      self->schema = antenna_proto_schema_load (files, antenna_profile_get_proto_import_paths (profile), &error);
      if (self->schema == NULL)
        {
          self->schema_error = g_strdup (error->message);
          gtk_label_set_label (self->schema_label, error->message);
        }
      else
        {
          g_auto(GStrv) types = antenna_proto_schema_list_messages (self->schema);
          guint n = g_strv_length (types);
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message type", "%u message types", n), n);

          gtk_label_set_label (self->schema_label, text);
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->schema_label), files[0] != NULL);
  if (self->schema_error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->schema_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->schema_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->schema_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->schema_label), "dim-label");
    }
  update_rule_errors (self);
}

static void
fill_list (GtkStringList      *list,
           const char * const *paths)
{
  gtk_string_list_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)), paths);
}

static void
on_proto_paths_changed_cb (AntennaProfileDecodersGroup *self)
{
  AntennaProfile *profile = get_profile (self);

  fill_list (self->files, antenna_profile_get_proto_files (profile));
  fill_list (self->imports, antenna_profile_get_proto_import_paths (profile));
  gtk_widget_set_visible (GTK_WIDGET (self->files_list), g_list_model_get_n_items (G_LIST_MODEL (self->files)) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->imports_list), g_list_model_get_n_items (G_LIST_MODEL (self->imports)) > 0);
  load_schema (self);
}

/* @path added to (@add) or removed from the profile's strv @property. */
static void
edit_paths (AntennaProfileDecodersGroup *self,
            const char                  *property,
            const char                  *path,
            gboolean                     add)
{
  g_auto(GStrv) paths = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  gboolean present = FALSE;

  g_object_get (get_profile (self), property, &paths, NULL);
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      if (g_str_equal (paths[i], path))
        {
          present = TRUE;
          if (!add)
            continue;
        }
      g_strv_builder_add (builder, paths[i]);
    }
  if (add && !present)
    g_strv_builder_add (builder, path);

  result = g_strv_builder_end (builder);
  g_object_set (get_profile (self), property, result, NULL);
}

static GtkWidget *
create_rule_row_cb (gpointer item,
                    gpointer user_data)
{
  return antenna_decoder_rule_row_new (item);
}

static GtkWidget *
create_file_row_cb (gpointer item,
                    gpointer user_data)
{
  return antenna_proto_path_row_new (gtk_string_object_get_string (item), "decoders.remove-proto-file");
}

static GtkWidget *
create_import_row_cb (gpointer item,
                      gpointer user_data)
{
  return antenna_proto_path_row_new (gtk_string_object_get_string (item), "decoders.remove-import-path");
}

static gboolean
has_items (AntennaProfileDecodersGroup *self,
           guint                        n_items)
{
  return n_items > 0;
}

/* Actions */

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AntennaProfileDecodersGroup *self = ANTENNA_PROFILE_DECODERS_GROUP (widget);
  const AntennaDecoder * const *list = antenna_decoder_list ();
  g_autofree char *filter = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_filter_row)));
  guint selected = gtk_drop_down_get_selected (self->add_decoder_dropdown);
  g_autoptr(AntennaDecoderRule) rule = NULL;
  int old;

  if (filter[0] == '\0' || !antenna_topic_validate_filter (filter, -1, NULL) ||
      selected >= g_list_model_get_n_items (G_LIST_MODEL (self->add_decoder_names)))
    return;

  /* The same filter's rule gives way to the new one. */
  old = find_rule (self, filter);
  if (old >= 0)
    antenna_profile_remove_decoder_rule (get_profile (self), (guint) old);
  rule = antenna_decoder_rule_new (filter, antenna_decoder_get_id (list[selected]));
  antenna_profile_add_decoder_rule (get_profile (self), rule);
  gtk_editable_set_text (GTK_EDITABLE (self->add_filter_row), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->add_filter_row));
}

static void
remove_rule_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AntennaProfileDecodersGroup *self = ANTENNA_PROFILE_DECODERS_GROUP (widget);
  int position = find_rule (self, g_variant_get_string (param, NULL));

  if (position >= 0)
    antenna_profile_remove_decoder_rule (get_profile (self), (guint) position);
}

static void
add_path_from_row (AntennaProfileDecodersGroup *self,
                   AdwEntryRow                 *row,
                   const char                  *property)
{
  g_autofree char *path = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (path[0] == '\0')
    return;
  edit_paths (self, property, path, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
add_proto_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AntennaProfileDecodersGroup *self = ANTENNA_PROFILE_DECODERS_GROUP (widget);

  add_path_from_row (self, self->add_file_row, "proto-files");
}

static void
add_import_path_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  AntennaProfileDecodersGroup *self = ANTENNA_PROFILE_DECODERS_GROUP (widget);

  add_path_from_row (self, self->add_import_row, "proto-import-paths");
}

static void
remove_proto_file_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  edit_paths (ANTENNA_PROFILE_DECODERS_GROUP (widget), "proto-files", g_variant_get_string (param, NULL), FALSE);
}

static void
remove_import_path_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  edit_paths (ANTENNA_PROFILE_DECODERS_GROUP (widget), "proto-import-paths", g_variant_get_string (param, NULL), FALSE);
}

static void
close_file_chooser (AntennaProfileDecodersGroup *self)
{
  if (self->file_chooser == NULL)
    return;
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);
}

static void
on_file_chosen_cb (AntennaProfileDecodersGroup *self,
                   int                          response,
                   GtkFileChooserNative        *chooser)
{
  const char *property = g_object_get_data (G_OBJECT (chooser), "property");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        edit_paths (self, property, path, TRUE);
    }
  close_file_chooser (self);
}

static void
choose (AntennaProfileDecodersGroup *self,
        gboolean                     folder)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  close_file_chooser (self);
  self->file_chooser = gtk_file_chooser_native_new (folder ? _("Choose an Import Folder") : _("Choose a .proto File"),
                                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                    folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                           : GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Add"), _("_Cancel"));
  if (!folder)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Protocol Buffers Schemas"));
      gtk_file_filter_add_pattern (filter, "*.proto");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), filter);
    }
  g_object_set_data (G_OBJECT (self->file_chooser), "property",
                     (gpointer) (folder ? "proto-import-paths" : "proto-files"));
  g_signal_connect_swapped (self->file_chooser, "response", G_CALLBACK (on_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
choose_proto_file_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  choose (ANTENNA_PROFILE_DECODERS_GROUP (widget), FALSE);
}

static void
choose_import_path_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  choose (ANTENNA_PROFILE_DECODERS_GROUP (widget), TRUE);
}

static void
on_entry_activated_cb (AntennaProfileDecodersGroup *self,
                       AdwEntryRow                 *row)
{
  if (row == self->add_filter_row)
    gtk_widget_activate_action (GTK_WIDGET (self), "decoders.add-rule", NULL);
  else if (row == self->add_file_row)
    gtk_widget_activate_action (GTK_WIDGET (self), "decoders.add-proto-file", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "decoders.add-import-path", NULL);
}

/* Overrides */

static void
antenna_profile_decoders_group_bind (AntennaProfileEditorGroup *group,
                                     AntennaProfile            *profile)
{
  AntennaProfileDecodersGroup *self = ANTENNA_PROFILE_DECODERS_GROUP (group);

  gtk_list_box_bind_model (self->rules_list, antenna_profile_get_decoder_rules (profile),
                           create_rule_row_cb, NULL, NULL);
  g_signal_connect_object (profile, "notify::proto-files", G_CALLBACK (on_proto_paths_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (profile, "notify::proto-import-paths", G_CALLBACK (on_proto_paths_changed_cb), self, G_CONNECT_SWAPPED);
  /* A rule added, removed, or its type edited. */
  g_signal_connect_object (profile, "changed", G_CALLBACK (update_rule_errors), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  on_proto_paths_changed_cb (self);
}

static gboolean
antenna_profile_decoders_group_validate (AntennaProfileEditorGroup *group)
{
  AntennaProfileDecodersGroup *self = ANTENNA_PROFILE_DECODERS_GROUP (group);

  /* A rule or a file that does not load never blocks saving: the files
   * may be fixed later, and the messages say what is wrong. */
  return antenna_profile_editor_group_check_filter_row (self->add_filter_row, self->rules_error,
                                                        GTK_WIDGET (self->add_rule_button));
}

static void
antenna_profile_decoders_group_dispose (GObject *object)
{
  AntennaProfileDecodersGroup *self = ANTENNA_PROFILE_DECODERS_GROUP (object);

  close_file_chooser (self);
  if (self->rules_list != NULL)
    {
      gtk_list_box_bind_model (self->rules_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->files_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->imports_list, NULL, NULL, NULL, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_PROFILE_DECODERS_GROUP);
  g_clear_object (&self->files);
  g_clear_object (&self->imports);
  g_clear_pointer (&self->schema, antenna_proto_schema_unref);
  g_clear_pointer (&self->schema_error, g_free);

  G_OBJECT_CLASS (antenna_profile_decoders_group_parent_class)->dispose (object);
}

static void
antenna_profile_decoders_group_class_init (AntennaProfileDecodersGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AntennaProfileEditorGroupClass *group_class = ANTENNA_PROFILE_EDITOR_GROUP_CLASS (klass);

  object_class->dispose = antenna_profile_decoders_group_dispose;

  group_class->bind = antenna_profile_decoders_group_bind;
  group_class->validate = antenna_profile_decoders_group_validate;

  gtk_widget_class_install_action (widget_class, "decoders.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "decoders.remove-rule", "s", remove_rule_action);
  gtk_widget_class_install_action (widget_class, "decoders.add-proto-file", NULL, add_proto_file_action);
  gtk_widget_class_install_action (widget_class, "decoders.remove-proto-file", "s", remove_proto_file_action);
  gtk_widget_class_install_action (widget_class, "decoders.choose-proto-file", NULL, choose_proto_file_action);
  gtk_widget_class_install_action (widget_class, "decoders.add-import-path", NULL, add_import_path_action);
  gtk_widget_class_install_action (widget_class, "decoders.remove-import-path", "s", remove_import_path_action);
  gtk_widget_class_install_action (widget_class, "decoders.choose-import-path", NULL, choose_import_path_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-decoders-group.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, rules_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, add_filter_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, add_decoder_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, add_decoder_names);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, add_rule_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, rules_error);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, files_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, add_file_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, imports_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, add_import_row);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileDecodersGroup, schema_label);
  gtk_widget_class_bind_template_callback (widget_class, has_items);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, antenna_profile_editor_group_emit_changed);
}

static void
antenna_profile_decoders_group_init (AntennaProfileDecodersGroup *self)
{
  const AntennaDecoder * const *list = antenna_decoder_list ();

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; list[i] != NULL; i++)
    {
      gtk_string_list_append (self->add_decoder_names, antenna_decoder_get_name (list[i]));
      /* What a rule is most often for. */
      if (g_str_equal (antenna_decoder_get_id (list[i]), ANTENNA_DECODER_MSGPACK))
        gtk_drop_down_set_selected (self->add_decoder_dropdown, i);
    }

  self->files = gtk_string_list_new (NULL);
  self->imports = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->files_list, G_LIST_MODEL (self->files), create_file_row_cb, NULL, NULL);
  gtk_list_box_bind_model (self->imports_list, G_LIST_MODEL (self->imports), create_import_row_cb, NULL, NULL);
}

const char *
antenna_profile_decoders_group_get_schema_error (AntennaProfileDecodersGroup *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_DECODERS_GROUP (self), NULL);

  return self->schema_error;
}
