/* antenna-connection-log-window.c: a connection's log, to read, filter and copy
 *
 * The window shows the client's AntennaConnectionLog through a filter (the
 * search text, and all entries or only warnings and errors); it changes as
 * the client adds entries, and follows the newest while it is scrolled to
 * the end. Copy puts the shown entries on the clipboard, a line each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-connection-log"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-connection-log-row.h"
#include "antenna-connection-log-window.h"

struct _AntennaConnectionLogWindow
{
  AdwWindow             parent_instance;

  /* Template Widgets */
  AdwToastOverlay      *toast_overlay;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *level_dropdown;
  GtkStack             *stack;
  GtkScrolledWindow    *scrolled;
  GtkFilterListModel   *filter_model;
  GtkCustomFilter      *filter;
  AdwStatusPage        *empty_page;

  /* Owned References */
  AntennaConnectionLog *log;
  char                 *connection_name;
  char                 *needle;

  gboolean              follow;   /* scrolled to the end: stay there as entries come */
  guint                 follow_id;
};

enum {
  PROP_0,
  PROP_LOG,
  PROP_CONNECTION_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaConnectionLogWindow, antenna_connection_log_window, ADW_TYPE_WINDOW)

static gboolean
filter_entry (gpointer item,
              gpointer user_data)
{
  AntennaConnectionLogWindow *self = user_data;
  AntennaConnectionLogEntry *entry = item;

  if (gtk_drop_down_get_selected (self->level_dropdown) == 1 &&
      antenna_connection_log_entry_get_level (entry) == ANTENNA_CONNECTION_LOG_LEVEL_INFO)
    return FALSE;

  return antenna_connection_log_entry_matches (entry, self->needle);
}

static void
update_empty (AntennaConnectionLogWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0;
  gboolean filtered = self->needle != NULL || gtk_drop_down_get_selected (self->level_dropdown) != 0;

  adw_status_page_set_description (self->empty_page,
                                   filtered ? _("No entry matches the search and the level.")
                                            : _("What happens on this connection appears here."));
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "entries");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.copy", !empty);
}

static gboolean
scroll_to_end_cb (gpointer user_data)
{
  AntennaConnectionLogWindow *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);

  self->follow_id = 0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  return G_SOURCE_REMOVE;
}

static void
on_items_changed_cb (AntennaConnectionLogWindow *self,
                     guint                       position,
                     guint                       removed,
                     guint                       added,
                     GListModel                 *model)
{
  update_empty (self);

  /* the list lays out the new rows in the next frame: scroll after it */
  if (added > 0 && self->follow && self->follow_id == 0)
    self->follow_id = g_timeout_add (50, scroll_to_end_cb, self);
}

static void
on_adjustment_changed_cb (AntennaConnectionLogWindow *self,
                          GtkAdjustment              *adjustment)
{
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* only where the user left it: a change of size keeps following */
  if (self->follow_id == 0)
    self->follow = gtk_adjustment_get_value (adjustment) >= end - 1;
}

static void
on_filter_changed_cb (AntennaConnectionLogWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->needle, g_free);
  if (text != NULL && *text != '\0')
    self->needle = g_strdup (text);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AntennaConnectionLogWindow *self = ANTENNA_CONNECTION_LOG_WINDOW (widget);
  GListModel *shown = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (shown);
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  if (n == 0)
    return;

  text = antenna_connection_log_format (shown);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);

  message = g_strdup_printf (ngettext ("Copied %u entry", "Copied %u entries", n), n);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (ANTENNA_CONNECTION_LOG_WINDOW (widget)->search_entry));
}

static void
antenna_connection_log_window_constructed (GObject *object)
{
  AntennaConnectionLogWindow *self = ANTENNA_CONNECTION_LOG_WINDOW (object);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);

  G_OBJECT_CLASS (antenna_connection_log_window_parent_class)->constructed (object);

  g_assert (ANTENNA_IS_CONNECTION_LOG (self->log));

  /* typing anywhere in the window searches */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_custom_filter_set_filter_func (self->filter, filter_entry, self, NULL);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (self->log));
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (on_adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  self->follow = TRUE;
  self->follow_id = g_timeout_add (50, scroll_to_end_cb, self);
  update_empty (self);
}

static void
antenna_connection_log_window_dispose (GObject *object)
{
  AntennaConnectionLogWindow *self = ANTENNA_CONNECTION_LOG_WINDOW (object);

  g_clear_handle_id (&self->follow_id, g_source_remove);
  /* the filter calls back into us while the template goes */
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_CONNECTION_LOG_WINDOW);

  G_OBJECT_CLASS (antenna_connection_log_window_parent_class)->dispose (object);
}

static void
antenna_connection_log_window_finalize (GObject *object)
{
  AntennaConnectionLogWindow *self = ANTENNA_CONNECTION_LOG_WINDOW (object);

  g_clear_object (&self->log);
  g_clear_pointer (&self->connection_name, g_free);
  g_clear_pointer (&self->needle, g_free);

  G_OBJECT_CLASS (antenna_connection_log_window_parent_class)->finalize (object);
}

static void
antenna_connection_log_window_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  AntennaConnectionLogWindow *self = ANTENNA_CONNECTION_LOG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_CONNECTION_NAME:
      g_value_set_string (value, self->connection_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_log_window_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  AntennaConnectionLogWindow *self = ANTENNA_CONNECTION_LOG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      self->log = g_value_dup_object (value);
      break;
    case PROP_CONNECTION_NAME:
      g_free (self->connection_name);
      self->connection_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_log_window_class_init (AntennaConnectionLogWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_connection_log_window_constructed;
  object_class->dispose = antenna_connection_log_window_dispose;
  object_class->finalize = antenna_connection_log_window_finalize;
  object_class->get_property = antenna_connection_log_window_get_property;
  object_class->set_property = antenna_connection_log_window_set_property;

  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, ANTENNA_TYPE_CONNECTION_LOG,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CONNECTION_NAME] =
    g_param_spec_string ("connection-name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ANTENNA_TYPE_CONNECTION_LOG_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/antennamqtt/Antenna/antenna-connection-log-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionLogWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionLogWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionLogWindow, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionLogWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionLogWindow, scrolled);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionLogWindow, filter_model);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionLogWindow, filter);
  gtk_widget_class_bind_template_child (widget_class, AntennaConnectionLogWindow, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);

  gtk_widget_class_install_action (widget_class, "log.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "log.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "log.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "log.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
antenna_connection_log_window_init (AntennaConnectionLogWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
antenna_connection_log_window_new (AntennaConnectionLog *log,
                                   const char           *connection_name)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG (log), NULL);

  return g_object_new (ANTENNA_TYPE_CONNECTION_LOG_WINDOW,
                       "log", log,
                       "connection-name", connection_name,
                       NULL);
}

GListModel *
antenna_connection_log_window_get_shown (AntennaConnectionLogWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_WINDOW (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}
