/* antenna-accessible.c: what a screen reader hears, where GTK 4.8 gets it wrong
 *
 * GTK 4.8's AT-SPI names fall short in ways no .ui file can mend, since the
 * widgets at fault are GTK's and libadwaita's own:
 * - a GtkButton or GtkCheckButton with a mnemonic ("_Subscribe") sets its
 *   accessible label to the text with its underscore, and the name then
 *   reads "_Subscribe Subscribe". AdwMessageDialog's responses and
 *   AdwPasswordEntryRow's buttons are made this way inside libadwaita.
 * - a GtkMenuButton and a GtkDropDown each hold a toggle button that is a
 *   second control to AT-SPI, named after its class ("GtkMenuButton",
 *   "GtkToggleButton") whatever the outer widget is called.
 * - AdwPasswordEntryRow's show-text button, GtkShortcutsWindow's search
 *   button and the row in which AdwComboRow shows its choice have none.
 * - the row widgets of GtkListView have no name (gtk_list_item_set_
 *   accessible_label() is GTK 4.12).
 * The first two are mended here for every widget as it is mapped (an
 * emission hook on GtkWidget::map: a type check per map, nothing per frame);
 * the rows name themselves with antenna_accessible_set_row_label().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-accessible"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "antenna-accessible.h"

#define LABEL_HANDLER_KEY "antenna-accessible-label-handler"

char *
antenna_accessible_strip_mnemonic (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;
  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            {
              g_string_append_c (out, '_');
              p++;
            }
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static const char *
mnemonic_label_of (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)))
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget)))
    return gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  return NULL;
}

/* A GtkButton's name is its label property followed by the text of the
 * GtkLabel it is labelled by: without the label property it is the
 * label's text alone, as shown. A GtkCheckButton has no such relation: its
 * label property becomes the text without the underscore. */
static void
update_mnemonic_label (GtkWidget *widget)
{
  const char *label = mnemonic_label_of (widget);
  g_autofree char *plain = NULL;

  if (label == NULL || strchr (label, '_') == NULL)
    return;
  if (GTK_IS_BUTTON (widget))
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }
  plain = antenna_accessible_strip_mnemonic (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, plain,
                                  -1);
}

static void
on_label_changed_cb (GtkWidget  *widget,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  update_mnemonic_label (widget);
}

/* GtkMenuButton: the inner button is labelled by the outer one, but
 * takes its label property only, not what names it (a row's title), and a
 * label property of its own is said before it ("Templates Templates"): it
 * gets the name alone, from the outer button's tooltip, the title of the
 * row it sits in or its label. GtkDropDown: the inner toggle has no
 * relation to it, and takes its tooltip. */
static void
name_inner_toggle (GtkWidget *outer)
{
  GtkWidget *inner = gtk_widget_get_first_child (outer);
  const char *name = gtk_widget_get_tooltip_text (outer);
  g_autofree char *plain = NULL;

  if (inner == NULL || !GTK_IS_BUTTON (inner))
    return;
  if (GTK_IS_MENU_BUTTON (outer))
    {
      GtkWidget *row = gtk_widget_get_ancestor (outer, ADW_TYPE_PREFERENCES_ROW);

      if (name == NULL && row != NULL)
        name = plain = antenna_accessible_strip_mnemonic (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      if (name == NULL)
        name = plain = antenna_accessible_strip_mnemonic (gtk_menu_button_get_label (GTK_MENU_BUTTON (outer)));
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }
  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (inner),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}

/* AdwPasswordEntryRow's button that shows the text: an icon, no name. */
static void
name_password_peek (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) || GTK_IS_TOGGLE_BUTTON (widget))
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show Password"),
                                      -1);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_password_peek (child);
}

/* AdwComboRow shows its choice in a GtkListView of one row, unnamed:
 * the row takes the choice's text. Not the rows of its popover's list,
 * which are the choices. */
static void
name_combo_choice (GtkWidget *widget,
                   const char *text)
{
  if (GTK_IS_POPOVER (widget))
    return;
  if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                      -1);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_combo_choice (child, text);
}

static void
on_combo_selected_cb (AdwComboRow *row,
                      GParamSpec  *pspec,
                      gpointer     user_data)
{
  gpointer item = adw_combo_row_get_selected_item (row);
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_auto(GValue) value = G_VALUE_INIT;
  const char *text = NULL;

  if (item == NULL)
    return;
  if (expression != NULL && gtk_expression_evaluate (expression, item, &value) &&
      G_VALUE_HOLDS_STRING (&value))
    text = g_value_get_string (&value);
  else if (GTK_IS_STRING_OBJECT (item))
    text = gtk_string_object_get_string (item);
  if (text != NULL)
    name_combo_choice (GTK_WIDGET (row), text);
}

/* GtkShortcutsWindow's search button: an icon, no name. */
static void
name_shortcuts_search (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "edit-find-symbolic") == 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search Shortcuts"),
                                    -1);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_shortcuts_search (child);
}

static void
mend (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget))
    {
      if (g_object_get_data (G_OBJECT (widget), LABEL_HANDLER_KEY) == NULL)
        {
          g_object_set_data (G_OBJECT (widget), LABEL_HANDLER_KEY, GINT_TO_POINTER (1));
          g_signal_connect_after (widget, "notify::label", G_CALLBACK (on_label_changed_cb), NULL);
          g_signal_connect_after (widget, "notify::use-underline", G_CALLBACK (on_label_changed_cb), NULL);
        }
      update_mnemonic_label (widget);
    }
  if (GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget))
    name_inner_toggle (widget);
  if (ADW_IS_PASSWORD_ENTRY_ROW (widget))
    name_password_peek (widget);
  if (ADW_IS_COMBO_ROW (widget))
    {
      if (g_object_get_data (G_OBJECT (widget), LABEL_HANDLER_KEY) == NULL)
        {
          g_object_set_data (G_OBJECT (widget), LABEL_HANDLER_KEY, GINT_TO_POINTER (1));
          g_signal_connect_after (widget, "notify::selected-item", G_CALLBACK (on_combo_selected_cb), NULL);
        }
      on_combo_selected_cb (ADW_COMBO_ROW (widget), NULL, NULL);
    }
  if (GTK_IS_SHORTCUTS_WINDOW (widget))
    name_shortcuts_search (widget);
}

static void
mend_tree (GtkWidget *widget)
{
  mend (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    mend_tree (child);
}

/* Each widget as it is mapped; the whole tree of a window or of one of
 * our composite widgets when it is mapped, which takes in what they hold
 * unmapped (AdwMessageDialog keeps its responses twice, in a row and in a
 * column, one of them unmapped; the composer's banner is hidden). */
static gboolean
on_widget_mapped_hook (GSignalInvocationHint *hint,
                       guint                  n_param_values,
                       const GValue          *param_values,
                       gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&param_values[0]);

  if (GTK_IS_WINDOW (widget) || g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Antenna"))
    mend_tree (widget);
  else
    mend (widget);
  return TRUE;
}

void
antenna_accessible_install_workarounds (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      guint map_signal = g_signal_lookup ("map", GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (map_signal, 0, on_widget_mapped_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

void
antenna_accessible_set_row_label (GtkWidget  *child,
                                  const char *label)
{
  GtkWidget *row = gtk_widget_get_parent (child);

  g_return_if_fail (GTK_IS_WIDGET (child));

  /* GtkListView's row widget (GtkListItemWidget) is the child's parent, or
   * its grandparent through a GtkTreeExpander. */
  while (row != NULL && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row)) != GTK_ACCESSIBLE_ROLE_LIST_ITEM)
    row = gtk_widget_get_parent (row);
  if (row == NULL)
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label != NULL ? label : "",
                                  -1);
}
