/* antenna-sparkplug-window.c: the Sparkplug B systems a connection sees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-sparkplug-window"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-profile.h"
#include "antenna-sparkplug.h"
#include "antenna-sparkplug-model.h"
#include "antenna-sparkplug-window.h"
#include "antenna-value.h"

struct _AntennaSparkplugWindow
{
  AdwWindow              parent_instance;

  /* Template Widgets */
  AdwToastOverlay       *toast_overlay;
  AdwWindowTitle        *window_title;
  GtkStack              *nodes_stack;
  GtkListView           *nodes_view;
  GtkLabel              *node_title;
  GtkLabel              *node_state;
  GtkStack              *metrics_stack;
  GtkListView           *metrics_view;

  /* Owned References */
  AntennaClient         *client;
  AntennaSparkplugModel *model;
  GtkTreeListModel      *tree;
  GtkSingleSelection    *selection;
  GtkNoSelection        *metrics;
  AntennaSparkplugNode  *selected;
  char                  *group;         /* of the selected node */
  char                  *edge_node;     /* the selected edge node, or a device's */
  char                  *status;

  /* Borrowed References */
  AdwMessageDialog      *dialog;
};

G_DEFINE_FINAL_TYPE (AntennaSparkplugWindow, antenna_sparkplug_window, ADW_TYPE_WINDOW)

/* Closures of the row templates */

static char *
node_icon (gpointer                 unused,
           AntennaSparkplugNodeKind kind)
{
  switch (kind)
    {
    case ANTENNA_SPARKPLUG_NODE_GROUP:
      return g_strdup ("network-workgroup-symbolic");
    case ANTENNA_SPARKPLUG_NODE_EDGE_NODE:
      return g_strdup ("network-server-symbolic");
    case ANTENNA_SPARKPLUG_NODE_HOST:
      return g_strdup ("computer-symbolic");
    case ANTENNA_SPARKPLUG_NODE_DEVICE:
    default:
      return g_strdup ("application-x-firmware-symbolic");
    }
}

static char *
node_state (gpointer                 unused,
            AntennaSparkplugNodeKind kind,
            gboolean                 online)
{
  if (kind == ANTENNA_SPARKPLUG_NODE_GROUP)
    return g_strdup ("");
  return g_strdup (online ? _("Online") : _("Offline"));
}

static GStrv
node_state_classes (gpointer unused,
                    gboolean online)
{
  const char *classes[] = { "caption", online ? "success" : "dim-label", NULL };

  return g_strdupv ((char **) classes);
}

static char *
metric_value (gpointer      unused,
              AntennaValue *value,
              const char   *units)
{
  g_autofree char *text = value != NULL ? antenna_value_dup_display (value) : g_strdup ("—");

  if (units == NULL || units[0] == '\0')
    return g_steal_pointer (&text);
  /* Translators: a value and its units: "21.5 degC" */
  return g_strdup_printf (_("%s %s"), text, units);
}

static char *
metric_time (gpointer unused,
             gint64   timestamp_ms)
{
  g_autoptr(GDateTime) time = NULL;

  if (timestamp_ms <= 0)
    return g_strdup ("");
  time = g_date_time_new_from_unix_local (timestamp_ms / 1000);
  if (time == NULL)
    return g_strdup ("");
  return g_date_time_format (time, "%x %H:%M:%S");
}

static GtkListItemFactory *
row_factory (const char *resource)
{
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();

  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "node_icon", G_CALLBACK (node_icon),
                                           "node_state", G_CALLBACK (node_state),
                                           "node_state_classes", G_CALLBACK (node_state_classes),
                                           "metric_value", G_CALLBACK (metric_value),
                                           "metric_time", G_CALLBACK (metric_time),
                                           NULL);
  return gtk_builder_list_item_factory_new_from_resource (scope, resource);
}

/* The tree */

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  AntennaSparkplugNode *node = item;

  /* Edge nodes and devices are born later: a group's or edge node's list
   * is given even while empty, and fills. */
  if (antenna_sparkplug_node_get_kind (node) == ANTENNA_SPARKPLUG_NODE_DEVICE ||
      antenna_sparkplug_node_get_kind (node) == ANTENNA_SPARKPLUG_NODE_HOST)
    return NULL;
  return g_object_ref (antenna_sparkplug_node_get_children (node));
}

static void
update_state_label (AntennaSparkplugWindow *self)
{
  gboolean online = self->selected != NULL && antenna_sparkplug_node_get_online (self->selected);
  g_autofree char *state = NULL;

  if (self->selected == NULL || antenna_sparkplug_node_get_kind (self->selected) == ANTENNA_SPARKPLUG_NODE_GROUP)
    {
      gtk_label_set_label (self->node_state, "");
      return;
    }
  state = node_state (NULL, antenna_sparkplug_node_get_kind (self->selected), online);
  gtk_label_set_label (self->node_state, state);
  gtk_widget_set_css_classes (GTK_WIDGET (self->node_state),
                              (const char *[]) { "caption", online ? "success" : "dim-label", NULL });
}

static void
update_nodes_page (AntennaSparkplugWindow *self)
{
  gtk_stack_set_visible_child_name (self->nodes_stack,
                                    g_list_model_get_n_items (antenna_sparkplug_model_get_groups (self->model)) > 0 ||
                                    g_list_model_get_n_items (antenna_sparkplug_model_get_hosts (self->model)) > 0
                                    ? "nodes" : "empty");
}

static void
on_selection_changed_cb (AntennaSparkplugWindow *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);
  AntennaSparkplugNode *node = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
  AntennaSparkplugNodeKind kind = node != NULL ? antenna_sparkplug_node_get_kind (node) : ANTENNA_SPARKPLUG_NODE_GROUP;

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, update_state_label, self);
  g_clear_object (&self->selected);
  g_clear_pointer (&self->group, g_free);
  g_clear_pointer (&self->edge_node, g_free);
  self->selected = node;   /* gtk_tree_list_row_get_item() gave a reference */

  if (node != NULL)
    {
      g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);
      g_autoptr(GtkTreeListRow) grandparent = parent != NULL ? gtk_tree_list_row_get_parent (parent) : NULL;
      g_autoptr(AntennaSparkplugNode) up = parent != NULL ? gtk_tree_list_row_get_item (parent) : NULL;
      g_autoptr(AntennaSparkplugNode) top = grandparent != NULL ? gtk_tree_list_row_get_item (grandparent) : NULL;

      if (kind == ANTENNA_SPARKPLUG_NODE_EDGE_NODE && up != NULL)
        {
          self->group = g_strdup (antenna_sparkplug_node_get_name (up));
          self->edge_node = g_strdup (antenna_sparkplug_node_get_name (node));
        }
      else if (kind == ANTENNA_SPARKPLUG_NODE_DEVICE && up != NULL && top != NULL)
        {
          self->group = g_strdup (antenna_sparkplug_node_get_name (top));
          self->edge_node = g_strdup (antenna_sparkplug_node_get_name (up));
        }
      g_signal_connect_object (node, "notify::online", G_CALLBACK (update_state_label), self, G_CONNECT_SWAPPED);
    }

  gtk_label_set_label (self->node_title, node != NULL ? antenna_sparkplug_node_get_name (node) : "");
  update_state_label (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sparkplug.request-rebirth", self->edge_node != NULL);

  if (node != NULL && kind != ANTENNA_SPARKPLUG_NODE_GROUP && kind != ANTENNA_SPARKPLUG_NODE_HOST)
    {
      gtk_no_selection_set_model (self->metrics, antenna_sparkplug_node_get_metrics (node));
      gtk_stack_set_visible_child_name (self->metrics_stack, "metrics");
    }
  else
    {
      gtk_no_selection_set_model (self->metrics, NULL);
      gtk_stack_set_visible_child_name (self->metrics_stack, "empty");
    }
}

/* Request Rebirth */

static void
set_status (AntennaSparkplugWindow *self,
            const char             *status)
{
  g_free (self->status);
  self->status = g_strdup (status);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (status));
}

typedef struct
{
  AntennaSparkplugWindow *self;
  char                   *edge_node;
} Rebirth;

static void
on_rebirth_published_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Rebirth *rebirth = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!antenna_client_publish_finish (ANTENNA_CLIENT (object), result, &error))
    /* Translators: "The rebirth request to edge-1 was not sent: not connected" */
    text = g_strdup_printf (_("The rebirth request to %s was not sent: %s"), rebirth->edge_node, error->message);
  else
    /* Translators: "Rebirth requested from edge-1" */
    text = g_strdup_printf (_("Rebirth requested from %s"), rebirth->edge_node);
  set_status (rebirth->self, text);

  g_object_unref (rebirth->self);
  g_free (rebirth->edge_node);
  g_free (rebirth);
}

static void
publish_rebirth (AntennaSparkplugWindow *self,
                 const char             *group,
                 const char             *edge_node)
{
  g_autofree char *topic = antenna_sparkplug_build_rebirth_topic (group, edge_node);
  g_autoptr(GBytes) payload = antenna_sparkplug_build_rebirth (g_get_real_time () / 1000);
  Rebirth *rebirth = g_new0 (Rebirth, 1);

  rebirth->self = g_object_ref (self);
  rebirth->edge_node = g_strdup (edge_node);
  g_debug ("Rebirth request to %s, asked for by a person", topic);
  /* NCMD at QoS 0 and not retained, as the specification has it. */
  antenna_client_publish_async (self->client, topic, payload, 0, FALSE, NULL, NULL,
                                on_rebirth_published_cb, rebirth);
}

static void
on_dialog_response_cb (AdwMessageDialog       *dialog,
                       const char             *response,
                       AntennaSparkplugWindow *self)
{
  const char *group = g_object_get_data (G_OBJECT (dialog), "group");
  const char *edge_node = g_object_get_data (G_OBJECT (dialog), "edge-node");

  if (g_str_equal (response, "rebirth"))
    publish_rebirth (self, group, edge_node);
  if (self->dialog == dialog)
    self->dialog = NULL;
}

static void
request_rebirth_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  AntennaSparkplugWindow *self = ANTENNA_SPARKPLUG_WINDOW (widget);
  g_autofree char *topic = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->edge_node == NULL || self->dialog != NULL)
    return;

  topic = antenna_sparkplug_build_rebirth_topic (self->group, self->edge_node);
  /* Translators: "Request a Rebirth from edge-1?" */
  heading = g_strdup_printf (_("Request a Rebirth from %s?"), self->edge_node);
  /* Translators: %s is a topic: "spBv1.0/plant/NCMD/edge-1" */
  body = g_strdup_printf (_("Antenna will publish the command “Node Control/Rebirth” = true on %s. "
                            "The edge node then sends its births and those of its devices again."), topic);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rebirth", _("Request _Rebirth"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rebirth", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "group", g_strdup (self->group), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "edge-node", g_strdup (self->edge_node), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_dialog_response_cb), self, 0);
  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Overrides */

static void
antenna_sparkplug_window_dispose (GObject *object)
{
  AntennaSparkplugWindow *self = ANTENNA_SPARKPLUG_WINDOW (object);

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, update_state_label, self);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_SPARKPLUG_WINDOW);
  g_clear_object (&self->selected);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->metrics);
  g_clear_object (&self->model);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (antenna_sparkplug_window_parent_class)->dispose (object);
}

static void
antenna_sparkplug_window_finalize (GObject *object)
{
  AntennaSparkplugWindow *self = ANTENNA_SPARKPLUG_WINDOW (object);

  g_clear_pointer (&self->group, g_free);
  g_clear_pointer (&self->edge_node, g_free);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (antenna_sparkplug_window_parent_class)->finalize (object);
}

static void
antenna_sparkplug_window_class_init (AntennaSparkplugWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_sparkplug_window_dispose;
  object_class->finalize = antenna_sparkplug_window_finalize;

  gtk_widget_class_install_action (widget_class, "sparkplug.request-rebirth", NULL, request_rebirth_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (ANTENNA_TYPE_SPARKPLUG_NODE);
  g_type_ensure (ANTENNA_TYPE_SPARKPLUG_METRIC);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-sparkplug-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaSparkplugWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AntennaSparkplugWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AntennaSparkplugWindow, nodes_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaSparkplugWindow, nodes_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaSparkplugWindow, node_title);
  gtk_widget_class_bind_template_child (widget_class, AntennaSparkplugWindow, node_state);
  gtk_widget_class_bind_template_child (widget_class, AntennaSparkplugWindow, metrics_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaSparkplugWindow, metrics_view);
}

static void
antenna_sparkplug_window_init (AntennaSparkplugWindow *self)
{
  g_autoptr(GtkListItemFactory) node_factory = row_factory (RESOURCE_PREFIX "/antenna-sparkplug-node-row.ui");
  g_autoptr(GtkListItemFactory) metric_factory = row_factory (RESOURCE_PREFIX "/antenna-sparkplug-metric-row.ui");

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_view_set_factory (self->nodes_view, node_factory);
  gtk_list_view_set_factory (self->metrics_view, metric_factory);
  self->metrics = gtk_no_selection_new (NULL);
  gtk_list_view_set_model (self->metrics_view, GTK_SELECTION_MODEL (self->metrics));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sparkplug.request-rebirth", FALSE);
}

AntennaSparkplugWindow *
antenna_sparkplug_window_new (AntennaClient         *client,
                              AntennaSparkplugModel *model)
{
  AntennaSparkplugWindow *self;
  GListStore *roots;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_MODEL (model), NULL);

  self = g_object_new (ANTENNA_TYPE_SPARKPLUG_WINDOW, NULL);
  self->client = g_object_ref (client);
  self->model = g_object_ref (model);
  adw_window_title_set_subtitle (self->window_title,
                                 antenna_profile_get_name (antenna_client_get_profile (client)));

  /* The groups, then the primary host applications by their STATE. */
  roots = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (roots, antenna_sparkplug_model_get_groups (model));
  g_list_store_append (roots, antenna_sparkplug_model_get_hosts (model));
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (roots))),
                                        FALSE, TRUE, create_children_cb, NULL, NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->tree)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->nodes_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (antenna_sparkplug_model_get_groups (model), "items-changed",
                           G_CALLBACK (update_nodes_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (antenna_sparkplug_model_get_hosts (model), "items-changed",
                           G_CALLBACK (update_nodes_page), self, G_CONNECT_SWAPPED);
  update_nodes_page (self);
  on_selection_changed_cb (self);

  return self;
}

gboolean
antenna_sparkplug_window_select (AntennaSparkplugWindow *self,
                                 const char             *group,
                                 const char             *edge_node,
                                 const char             *device)
{
  AntennaSparkplugNode *wanted;
  guint n;

  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_WINDOW (self), FALSE);

  wanted = antenna_sparkplug_model_find_node (self->model, group, edge_node, device);
  if (wanted == NULL)
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), i);
      g_autoptr(AntennaSparkplugNode) node = gtk_tree_list_row_get_item (row);

      if (node == wanted)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

AntennaSparkplugNode *
antenna_sparkplug_window_get_selected (AntennaSparkplugWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_WINDOW (self), NULL);

  return self->selected;
}

AdwMessageDialog *
antenna_sparkplug_window_get_dialog (AntennaSparkplugWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_WINDOW (self), NULL);

  return self->dialog;
}

const char *
antenna_sparkplug_window_get_status (AntennaSparkplugWindow *self)
{
  g_return_val_if_fail (ANTENNA_IS_SPARKPLUG_WINDOW (self), NULL);

  return self->status;
}
