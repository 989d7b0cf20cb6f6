/* antenna-topic-tree-view.c
 *
 * Rows (antenna-topic-row.c) follow their node's notify, which the tree
 * emits at most once per flush (once per frame), and only for the rows on
 * screen. Highlights and "time since" labels age in
 * antenna_topic_tree_view_tick(), driven by the page's single tick
 * callback: no timer per row or per message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-topic-tree-view"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-counts-interval.h"
#include "antenna-decoder-context.h"
#include "antenna-message.h"
#include "antenna-topic-row.h"
#include "antenna-topic-tree.h"
#include "antenna-topic-tree-view.h"

#define REFILTER_USEC      (500 * G_USEC_PER_SEC / 1000)
#define PAYLOAD_SEARCH_MAX (64 * 1024)

struct _AntennaTopicTreeView
{
  AdwBin               parent_instance;

  /* Template Widgets */
  GtkSearchEntry      *search_entry;
  GtkListView         *list_view;
  GtkStack            *stack;
  GtkLabel            *status_label;
  GMenuModel          *row_menu_model;

  /* Owned References */
  AntennaTopicTree    *tree;
  GtkTreeListModel    *tree_model;
  GtkFilterListModel  *filter_model;
  GtkCustomFilter     *filter;
  GtkSingleSelection  *selection;
  AntennaTopicNode    *selected_node;
  GtkWidget           *row_menu;     /* parented to the view */
  GHashTable          *bound_rows;   /* AntennaTopicRow* set (borrowed rows) */
  GHashTable          *match_cache;  /* AntennaTopicNode* → GINT_TO_POINTER (1 + match) */
  char                *search_text;  /* casefolded, NULL when empty */
  AntennaDecoderContext *decoder_context;  /* nullable */

  gboolean             live;
  gboolean             search_payloads;
  gint64               last_refilter;
  guint64              refiltered_count;
  gint64               last_second;
  gint64               status_time;
  guint64              shown_total;
  guint                shown_topics;
};

enum {
  PROP_0,
  PROP_TREE,
  PROP_SELECTED_NODE,
  PROP_SEARCH_TEXT,
  PROP_SEARCH_PAYLOADS,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaTopicTreeView, antenna_topic_tree_view, ADW_TYPE_BIN)

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  /* Every node has a children model (empty for a leaf): a NULL answer
   * would be remembered for good, and the leaf could never grow. */
  return g_object_ref (antenna_topic_node_get_children (ANTENNA_TOPIC_NODE (item)));
}

static void
on_row_right_click_cb (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       GtkListItem     *item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  AntennaTopicTreeView *self = ANTENNA_TOPIC_TREE_VIEW (gtk_widget_get_ancestor (widget, ANTENNA_TYPE_TOPIC_TREE_VIEW));
  double tx, ty;

  if (self == NULL)
    return;

  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));

  if (!gtk_widget_translate_coordinates (widget, GTK_WIDGET (self), x, y, &tx, &ty))
    return;

  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_menu),
                               &(GdkRectangle) { (int) tx, (int) ty, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->row_menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* The rows are set up and bound here, in C (the factory is declared in the
 * .ui): in a flood GtkListView 4.8 makes a row for each item entering its
 * range and binds rows again when their positions move, every frame; each
 * bound row is in bound_rows for the view's tick. */
static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              AntennaTopicTreeView     *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkGesture *gesture;

  GtkWidget *row = antenna_topic_row_new ();

  antenna_topic_row_set_decoder_context (ANTENNA_TOPIC_ROW (row), self->decoder_context);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), row);
  gtk_list_item_set_child (item, expander);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_row_right_click_cb), item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (gesture));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             AntennaTopicTreeView     *self)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (item));
  AntennaTopicRow *row = ANTENNA_TOPIC_ROW (gtk_tree_expander_get_child (expander));
  GtkTreeListRow *list_row = gtk_list_item_get_item (item);
  g_autoptr(AntennaTopicNode) node = gtk_tree_list_row_get_item (list_row);

  gtk_tree_expander_set_list_row (expander, list_row);
  /* Here, not at setup: rows made before the view's live changed are
   * bound again. */
  antenna_topic_row_set_recorded (row, !self->live);
  antenna_topic_row_bind (row, node);
  g_hash_table_add (self->bound_rows, row);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               AntennaTopicTreeView     *self)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (item));
  AntennaTopicRow *row = ANTENNA_TOPIC_ROW (gtk_tree_expander_get_child (expander));

  g_hash_table_remove (self->bound_rows, row);
  gtk_tree_expander_set_list_row (expander, NULL);
  antenna_topic_row_unbind (row);
}

/* Search */

static gboolean
text_contains (const char *haystack,
               gssize      length,
               const char *casefolded_needle)
{
  g_autofree char *folded = g_utf8_casefold (haystack, length);

  return strstr (folded, casefolded_needle) != NULL;
}

static gboolean
node_matches_itself (AntennaTopicTreeView *self,
                     AntennaTopicNode     *node)
{
  AntennaMessage *message;

  if (text_contains (antenna_topic_node_get_topic (node), -1, self->search_text))
    return TRUE;

  if (!self->search_payloads)
    return FALSE;

  message = antenna_topic_node_get_last_message (node);
  if (message != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (antenna_message_get_payload (message), &size);

      size = MIN (size, PAYLOAD_SEARCH_MAX);
      if (data != NULL && size > 0 && g_utf8_validate (data, size, NULL))
        return text_contains (data, size, self->search_text);
    }

  return FALSE;
}

static gboolean
node_matches (AntennaTopicTreeView *self,
              AntennaTopicNode     *node)
{
  gpointer cached;
  gboolean matches;

  if (g_hash_table_lookup_extended (self->match_cache, node, NULL, &cached))
    return GPOINTER_TO_INT (cached) - 1;

  matches = node_matches_itself (self, node);

  if (!matches)
    {
      GListModel *children = antenna_topic_node_get_children (node);
      guint n = g_list_model_get_n_items (children);

      for (guint i = 0; i < n && !matches; i++)
        {
          g_autoptr(AntennaTopicNode) child = g_list_model_get_item (children, i);

          matches = node_matches (self, child);
        }
    }

  g_hash_table_insert (self->match_cache, node, GINT_TO_POINTER (1 + matches));

  return matches;
}

static gboolean
filter_row_cb (gpointer item,
               gpointer user_data)
{
  AntennaTopicTreeView *self = user_data;
  g_autoptr(AntennaTopicNode) node = gtk_tree_list_row_get_item (GTK_TREE_LIST_ROW (item));

  if (self->search_text == NULL)
    return TRUE;

  return node_matches (self, node);
}

static void
refilter (AntennaTopicTreeView *self)
{
  g_hash_table_remove_all (self->match_cache);
  self->last_refilter = g_get_monotonic_time ();
  self->refiltered_count = antenna_topic_tree_get_total_count (self->tree);

  if (self->search_text == NULL)
    {
      gtk_filter_list_model_set_filter (self->filter_model, NULL);
      return;
    }

  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
apply_search (AntennaTopicTreeView *self,
              const char           *text)
{
  g_autofree char *folded = NULL;

  if (text != NULL && text[0] != '\0')
    folded = g_utf8_casefold (text, -1);

  if (g_strcmp0 (folded, self->search_text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_steal_pointer (&folded);

  gtk_tree_list_model_set_autoexpand (self->tree_model, self->search_text != NULL);
  if (self->search_text != NULL)
    antenna_topic_tree_view_expand_all (self);

  refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

static void
on_search_changed_cb (AntennaTopicTreeView *self)
{
  apply_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_stop_search_cb (AntennaTopicTreeView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
on_search_activate_cb (AntennaTopicTreeView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
    }
}

/* Selection and keyboard */

static void
on_selection_changed_cb (AntennaTopicTreeView *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr(AntennaTopicNode) node = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  if (g_set_object (&self->selected_node, node))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_NODE]);
}

static guint
find_position (AntennaTopicTreeView *self,
               AntennaTopicNode     *node)
{
  GListModel *rows = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(AntennaTopicNode) item = gtk_tree_list_row_get_item (row);

      if (item == node)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
select_position (AntennaTopicTreeView *self,
                 guint                 position)
{
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

static gboolean
on_key_pressed_cb (AntennaTopicTreeView  *self,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   GtkEventControllerKey *controller)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);
  guint position = gtk_single_selection_get_selected (self->selection);

  if (row == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      if (gtk_tree_list_row_get_expanded (row))
        gtk_tree_list_row_set_expanded (row, FALSE);
      else
        {
          g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);

          if (parent != NULL)
            {
              g_autoptr(AntennaTopicNode) node = gtk_tree_list_row_get_item (parent);

              select_position (self, find_position (self, node));
            }
        }
      return GDK_EVENT_STOP;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      if (!gtk_tree_list_row_get_expanded (row))
        gtk_tree_list_row_set_expanded (row, TRUE);
      else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > position + 1)
        select_position (self, position + 1);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }
}

/* Tree changes */

static void
update_status (AntennaTopicTreeView *self)
{
  guint n_topics = antenna_topic_tree_get_n_topics (self->tree);
  guint64 total = antenna_topic_tree_get_total_count (self->tree);
  g_autofree char *topics = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *text = NULL;

  if (n_topics == self->shown_topics && total == self->shown_total && self->last_second != 0)
    return;

  self->shown_topics = n_topics;
  self->shown_total = total;

  /* Counts with the locale's thousands grouping (the ' flag). */
  topics = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u topic", "%'u topics", n_topics), n_topics);
  /* A capture's tree counts what was sent from its connection too. */
  if (self->live)
    messages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%'" PRIu64 " message received",
                                             "%'" PRIu64 " messages received",
                                             total > G_MAXULONG ? G_MAXULONG : (gulong) total),
                                total);
  else
    messages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%'" PRIu64 " message",
                                             "%'" PRIu64 " messages",
                                             total > G_MAXULONG ? G_MAXULONG : (gulong) total),
                                total);
  /* Translators: "12 topics · 340 messages" */
  text = g_strdup_printf (_("%s · %s"), topics, messages);
  gtk_label_set_label (self->status_label, text);
}

static char *
empty_description (gpointer unused,
                   gboolean live)
{
  return g_strdup (live ? _("Topics appear here as messages arrive on your subscriptions.")
                        : _("The topics of the messages read from the capture show up here."));
}

static char *
status_tooltip (gpointer unused,
                gboolean live)
{
  return g_strdup (live ? _("The tree counts the messages received; the message log also counts those sent from here")
                        : _("The tree counts every message read from the capture, received or sent"));
}

static void
on_root_items_changed_cb (AntennaTopicTreeView *self,
                          guint                 position,
                          guint                 removed,
                          guint                 added,
                          GListModel           *root)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (root) > 0 ? "tree" : "empty");
}

/* Actions */

static void
expand_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  antenna_topic_tree_view_expand_all (ANTENNA_TOPIC_TREE_VIEW (widget));
}

static void
collapse_all_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  antenna_topic_tree_view_collapse_all (ANTENNA_TOPIC_TREE_VIEW (widget));
}

static void
copy_topic_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AntennaTopicTreeView *self = ANTENNA_TOPIC_TREE_VIEW (widget);

  if (self->selected_node != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                            antenna_topic_node_get_topic (self->selected_node));
}

/* GObject */

static void
antenna_topic_tree_view_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  AntennaTopicTreeView *self = ANTENNA_TOPIC_TREE_VIEW (widget);

  GTK_WIDGET_CLASS (antenna_topic_tree_view_parent_class)->size_allocate (widget, width, height, baseline);

  if (self->row_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->row_menu));
}

static void
antenna_topic_tree_view_constructed (GObject *object)
{
  AntennaTopicTreeView *self = ANTENNA_TOPIC_TREE_VIEW (object);
  GListModel *root;

  G_OBJECT_CLASS (antenna_topic_tree_view_parent_class)->constructed (object);

  g_assert (ANTENNA_IS_TOPIC_TREE (self->tree));

  root = antenna_topic_tree_get_root (self->tree);
  self->tree_model = gtk_tree_list_model_new (g_object_ref (root), FALSE, FALSE,
                                              create_children_cb, NULL, NULL);
  self->filter = gtk_custom_filter_new (filter_row_cb, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->tree_model)), NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (root, "items-changed",
                           G_CALLBACK (on_root_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_root_items_changed_cb (self, 0, 0, 0, root);
  update_status (self);
}

static void
antenna_topic_tree_view_dispose (GObject *object)
{
  AntennaTopicTreeView *self = ANTENNA_TOPIC_TREE_VIEW (object);

  g_clear_pointer (&self->row_menu, gtk_widget_unparent);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_TOPIC_TREE_VIEW);

  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->tree_model);
  g_clear_object (&self->selected_node);
  g_clear_object (&self->tree);
  if (self->decoder_context != NULL)
    g_signal_handlers_disconnect_by_data (self->decoder_context, self);
  g_clear_object (&self->decoder_context);

  G_OBJECT_CLASS (antenna_topic_tree_view_parent_class)->dispose (object);
}

static void
antenna_topic_tree_view_finalize (GObject *object)
{
  AntennaTopicTreeView *self = ANTENNA_TOPIC_TREE_VIEW (object);

  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->match_cache, g_hash_table_unref);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (antenna_topic_tree_view_parent_class)->finalize (object);
}

static void
antenna_topic_tree_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  AntennaTopicTreeView *self = ANTENNA_TOPIC_TREE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TREE:
      g_value_set_object (value, self->tree);
      break;

    case PROP_SELECTED_NODE:
      g_value_set_object (value, self->selected_node);
      break;

    case PROP_SEARCH_TEXT:
      g_value_set_string (value, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      break;

    case PROP_SEARCH_PAYLOADS:
      g_value_set_boolean (value, self->search_payloads);
      break;

    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_topic_tree_view_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  AntennaTopicTreeView *self = ANTENNA_TOPIC_TREE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TREE:
      self->tree = g_value_dup_object (value);
      break;

    case PROP_SEARCH_TEXT:
      antenna_topic_tree_view_set_search_text (self, g_value_get_string (value));
      break;

    case PROP_SEARCH_PAYLOADS:
      if (self->search_payloads != g_value_get_boolean (value))
        {
          self->search_payloads = g_value_get_boolean (value);
          refilter (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_LIVE:
      antenna_topic_tree_view_set_live (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_topic_tree_view_class_init (AntennaTopicTreeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = antenna_topic_tree_view_constructed;
  object_class->dispose = antenna_topic_tree_view_dispose;
  object_class->finalize = antenna_topic_tree_view_finalize;
  object_class->get_property = antenna_topic_tree_view_get_property;
  object_class->set_property = antenna_topic_tree_view_set_property;

  widget_class->size_allocate = antenna_topic_tree_view_size_allocate;

  properties[PROP_TREE] =
    g_param_spec_object ("tree", NULL, NULL,
                         ANTENNA_TYPE_TOPIC_TREE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SELECTED_NODE] =
    g_param_spec_object ("selected-node", NULL, NULL,
                         ANTENNA_TYPE_TOPIC_NODE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SEARCH_PAYLOADS] =
    g_param_spec_boolean ("search-payloads", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* FALSE: the topics of a capture, whose words mean no connection. */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-topic-tree-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaTopicTreeView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaTopicTreeView, list_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaTopicTreeView, stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaTopicTreeView, status_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaTopicTreeView, row_menu_model);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, unbind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, empty_description);
  gtk_widget_class_bind_template_callback (widget_class, status_tooltip);

  gtk_widget_class_install_action (widget_class, "topic-tree.expand-all", NULL, expand_all_action);
  gtk_widget_class_install_action (widget_class, "topic-tree.collapse-all", NULL, collapse_all_action);
  gtk_widget_class_install_action (widget_class, "topic-tree.copy-topic", NULL, copy_topic_action);
  gtk_widget_class_install_property_action (widget_class, "topic-tree.search-payloads", "search-payloads");
}

static void
antenna_topic_tree_view_init (AntennaTopicTreeView *self)
{
  GtkEventController *controller;

  self->live = TRUE;
  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->match_cache = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->row_menu = gtk_popover_menu_new_from_model (self->row_menu_model);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->row_menu), FALSE);
  gtk_widget_set_halign (self->row_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->row_menu, GTK_WIDGET (self));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), controller);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
}

GtkWidget *
antenna_topic_tree_view_new (AntennaTopicTree *tree)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE (tree), NULL);

  return g_object_new (ANTENNA_TYPE_TOPIC_TREE_VIEW, "tree", tree, NULL);
}

gboolean
antenna_topic_tree_view_get_live (AntennaTopicTreeView *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self), FALSE);

  return self->live;
}

void
antenna_topic_tree_view_set_live (AntennaTopicTreeView *self,
                                  gboolean              live)
{
  GHashTableIter iter;
  gpointer row;

  g_return_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self));

  live = !!live;
  if (self->live == live)
    return;

  self->live = live;
  /* Loading a capture adds messages to rows by the thousand: no highlight
   * of a message that just arrived (style.css). */
  if (live)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "recorded");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "recorded");
  /* The rows' times and the counts in the other words at once. */
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    antenna_topic_row_set_recorded (row, !live);
  self->last_second = 0;
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

AntennaTopicTree *
antenna_topic_tree_view_get_tree (AntennaTopicTreeView *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self), NULL);

  return self->tree;
}

AntennaTopicNode *
antenna_topic_tree_view_get_selected_node (AntennaTopicTreeView *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self), NULL);

  return self->selected_node;
}

gboolean
antenna_topic_tree_view_select_topic (AntennaTopicTreeView *self,
                                      const char           *topic)
{
  AntennaTopicNode *node;
  g_autoptr(GPtrArray) chain = NULL;
  GListModel *rows;
  guint position;

  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);

  node = antenna_topic_tree_lookup (self->tree, topic);
  if (node == NULL)
    return FALSE;

  /* Expand the ancestors, top-down. */
  chain = g_ptr_array_new ();
  for (AntennaTopicNode *parent = antenna_topic_node_get_parent (node);
       parent != NULL;
       parent = antenna_topic_node_get_parent (parent))
    g_ptr_array_insert (chain, 0, parent);

  rows = G_LIST_MODEL (self->tree_model);
  for (guint level = 0; level < chain->len; level++)
    {
      guint n = g_list_model_get_n_items (rows);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
          g_autoptr(AntennaTopicNode) item = gtk_tree_list_row_get_item (row);

          if (item == chain->pdata[level])
            {
              gtk_tree_list_row_set_expanded (row, TRUE);
              break;
            }
        }
    }

  position = find_position (self, node);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  select_position (self, position);

  return TRUE;
}

void
antenna_topic_tree_view_set_search_text (AntennaTopicTreeView *self,
                                         const char           *text)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Apply at once rather than after the entry's search delay. */
  apply_search (self, text);
}

void
antenna_topic_tree_view_focus_search (AntennaTopicTreeView *self)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
antenna_topic_tree_view_expand_all (AntennaTopicTreeView *self)
{
  GListModel *rows;

  g_return_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self));

  rows = G_LIST_MODEL (self->tree_model);

  /* Expanding a row inserts its children right after it, so the walk
   * reaches them too. */
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);

      gtk_tree_list_row_set_expanded (row, TRUE);
    }
}

void
antenna_topic_tree_view_collapse_all (AntennaTopicTreeView *self)
{
  GListModel *rows;

  g_return_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self));

  rows = G_LIST_MODEL (self->tree_model);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);

      gtk_tree_list_row_set_expanded (row, FALSE);
    }
}

gboolean
antenna_topic_tree_view_tick (AntennaTopicTreeView *self,
                              gint64                now)
{
  GHashTableIter iter;
  AntennaTopicRow *row;
  gint64 monotonic = g_get_monotonic_time ();
  gint64 second = now / G_USEC_PER_SEC;
  gboolean new_second;
  gboolean waiting = FALSE;

  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self), FALSE);

  new_second = second != self->last_second;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, (gpointer *) &row, NULL))
    waiting |= antenna_topic_row_tick (row, monotonic, now, new_second);

  if (monotonic - self->status_time >= ANTENNA_COUNTS_INTERVAL_USEC)
    {
      update_status (self);
      self->status_time = monotonic;
    }
  else
    waiting |= antenna_topic_tree_get_n_topics (self->tree) != self->shown_topics ||
               antenna_topic_tree_get_total_count (self->tree) != self->shown_total;
  if (new_second)
    self->last_second = second;

  /* Keep the search current as topics arrive, at most twice a second. */
  if (self->search_text != NULL &&
      antenna_topic_tree_get_total_count (self->tree) != self->refiltered_count &&
      monotonic - self->last_refilter >= REFILTER_USEC)
    refilter (self);

  return waiting ||
         (self->search_text != NULL &&
          antenna_topic_tree_get_total_count (self->tree) != self->refiltered_count);
}

GListModel *
antenna_topic_tree_view_get_rows (AntennaTopicTreeView *self)
{
  g_return_val_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

static void
on_decoder_context_changed_cb (AntennaTopicTreeView *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    antenna_topic_row_redecode (row);
}

void
antenna_topic_tree_view_set_decoder_context (AntennaTopicTreeView  *self,
                                             AntennaDecoderContext *context)
{
  g_return_if_fail (ANTENNA_IS_TOPIC_TREE_VIEW (self));

  /* Rows made from now on: the page sets it before any row is. */
  if (self->decoder_context != NULL)
    g_signal_handlers_disconnect_by_func (self->decoder_context, on_decoder_context_changed_cb, self);
  if (g_set_object (&self->decoder_context, context) && context != NULL)
    g_signal_connect_object (context, "changed", G_CALLBACK (on_decoder_context_changed_cb), self, G_CONNECT_SWAPPED);
}
