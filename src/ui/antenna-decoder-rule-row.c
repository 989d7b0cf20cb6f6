/* antenna-decoder-rule-row.c: one decoder rule of a profile, in its editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoder-rule-row"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-decoder.h"
#include "antenna-decoder-rule.h"
#include "antenna-decoder-rule-row.h"

struct _AntennaDecoderRuleRow
{
  AdwActionRow        parent_instance;

  /* Template Widgets */
  GtkDropDown        *decoder_dropdown;
  GtkStringList      *decoder_names;
  GtkEditable        *type_entry;
  GtkDropDown        *then_dropdown;
  GtkStringList      *then_names;
  GtkButton          *remove_button;

  /* Owned References */
  AntennaDecoderRule *rule;
  char               *error;
  gboolean            filling;   /* the drop-down's list, at construction */
};

enum {
  PROP_0,
  PROP_RULE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaDecoderRuleRow, antenna_decoder_rule_row, ADW_TYPE_ACTION_ROW)

static gboolean
is_protobuf (AntennaDecoderRuleRow *self,
             const char            *decoder)
{
  return g_strcmp0 (decoder, ANTENNA_DECODER_PROTOBUF) == 0;
}

static gboolean
is_compressed (AntennaDecoderRuleRow *self,
               const char            *decoder)
{
  const AntennaDecoder *found = antenna_decoder_find (decoder);

  return found != NULL && antenna_decoder_is_compressed (found);
}

/* The decoders the decompressed bytes may go to, "" (detection) first. */
static const char *
then_id (guint position)
{
  const AntennaDecoder * const *list = antenna_decoder_list ();
  guint n = 0;

  if (position == 0)
    return "";
  for (guint i = 0; list[i] != NULL; i++)
    if (!antenna_decoder_is_compressed (list[i]) && ++n == position)
      return antenna_decoder_get_id (list[i]);
  return "";
}

static void
on_then_selected_cb (AntennaDecoderRuleRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->then_dropdown);

  if (self->filling || self->rule == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (!g_str_equal (antenna_decoder_rule_get_then (self->rule), then_id (selected)))
    antenna_decoder_rule_set_then (self->rule, then_id (selected));
}

static void
on_decoder_selected_cb (AntennaDecoderRuleRow *self)
{
  const AntennaDecoder * const *list = antenna_decoder_list ();
  guint selected = gtk_drop_down_get_selected (self->decoder_dropdown);

  if (self->filling || self->rule == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  for (guint i = 0; list[i] != NULL; i++)
    if (i == selected && !g_str_equal (antenna_decoder_rule_get_decoder (self->rule), antenna_decoder_get_id (list[i])))
      antenna_decoder_rule_set_decoder (self->rule, antenna_decoder_get_id (list[i]));
}

static void
antenna_decoder_rule_row_constructed (GObject *object)
{
  AntennaDecoderRuleRow *self = ANTENNA_DECODER_RULE_ROW (object);
  const AntennaDecoder * const *list = antenna_decoder_list ();
  g_autofree char *remove_label = NULL;

  G_OBJECT_CLASS (antenna_decoder_rule_row_parent_class)->constructed (object);

  g_assert (self->rule != NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), antenna_decoder_rule_get_filter (self->rule));
  /* The drop-down selects its first item as the list fills: not a choice. */
  self->filling = TRUE;
  for (guint i = 0; list[i] != NULL; i++)
    gtk_string_list_append (self->decoder_names, antenna_decoder_get_name (list[i]));
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (antenna_decoder_get_id (list[i]), antenna_decoder_rule_get_decoder (self->rule)))
      gtk_drop_down_set_selected (self->decoder_dropdown, i);
  gtk_string_list_append (self->then_names, _("Detect"));
  for (guint i = 0; list[i] != NULL; i++)
    if (!antenna_decoder_is_compressed (list[i]))
      gtk_string_list_append (self->then_names, antenna_decoder_get_name (list[i]));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->then_names)); i++)
    if (g_str_equal (then_id (i), antenna_decoder_rule_get_then (self->rule)))
      gtk_drop_down_set_selected (self->then_dropdown, i);
  self->filling = FALSE;

  g_object_bind_property (self->rule, "message-type", self->type_entry, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "s",
                                    antenna_decoder_rule_get_filter (self->rule));
  /* Translators: an accessible name: "Remove the Rule for plant/#" */
  remove_label = g_strdup_printf (_("Remove the Rule for %s"), antenna_decoder_rule_get_filter (self->rule));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
}

static void
antenna_decoder_rule_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_DECODER_RULE_ROW);

  G_OBJECT_CLASS (antenna_decoder_rule_row_parent_class)->dispose (object);
}

static void
antenna_decoder_rule_row_finalize (GObject *object)
{
  AntennaDecoderRuleRow *self = ANTENNA_DECODER_RULE_ROW (object);

  g_clear_object (&self->rule);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (antenna_decoder_rule_row_parent_class)->finalize (object);
}

static void
antenna_decoder_rule_row_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  AntennaDecoderRuleRow *self = ANTENNA_DECODER_RULE_ROW (object);

  switch (prop_id)
    {
    case PROP_RULE:
      g_value_set_object (value, self->rule);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_decoder_rule_row_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  AntennaDecoderRuleRow *self = ANTENNA_DECODER_RULE_ROW (object);

  switch (prop_id)
    {
    case PROP_RULE:
      self->rule = g_value_dup_object (value);
      break;

    case PROP_ERROR:
      antenna_decoder_rule_row_set_error (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_decoder_rule_row_class_init (AntennaDecoderRuleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_decoder_rule_row_constructed;
  object_class->dispose = antenna_decoder_rule_row_dispose;
  object_class->finalize = antenna_decoder_rule_row_finalize;
  object_class->get_property = antenna_decoder_rule_row_get_property;
  object_class->set_property = antenna_decoder_rule_row_set_property;

  properties[PROP_RULE] =
    g_param_spec_object ("rule", NULL, NULL, ANTENNA_TYPE_DECODER_RULE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-decoder-rule-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaDecoderRuleRow, decoder_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecoderRuleRow, decoder_names);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecoderRuleRow, type_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecoderRuleRow, then_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecoderRuleRow, then_names);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecoderRuleRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_decoder_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_protobuf);
  gtk_widget_class_bind_template_callback (widget_class, is_compressed);
  gtk_widget_class_bind_template_callback (widget_class, on_then_selected_cb);
}

static void
antenna_decoder_rule_row_init (AntennaDecoderRuleRow *self)
{
  self->error = g_strdup ("");
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_decoder_rule_row_new (AntennaDecoderRule *rule)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE (rule), NULL);

  return g_object_new (ANTENNA_TYPE_DECODER_RULE_ROW, "rule", rule, NULL);
}

AntennaDecoderRule *
antenna_decoder_rule_row_get_rule (AntennaDecoderRuleRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE_ROW (self), NULL);

  return self->rule;
}

void
antenna_decoder_rule_row_set_error (AntennaDecoderRuleRow *self,
                                    const char            *error)
{
  g_return_if_fail (ANTENNA_IS_DECODER_RULE_ROW (self));

  if (error == NULL)
    error = "";
  if (g_str_equal (self->error, error))
    return;

  g_free (self->error);
  self->error = g_strdup (error);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), error);
  if (error[0] != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

const char *
antenna_decoder_rule_row_get_error (AntennaDecoderRuleRow *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODER_RULE_ROW (self), NULL);

  return self->error;
}
