/* antenna-message-inspector.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-message-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "antenna-decoded-view.h"
#include "antenna-line-diff.h"
#include "antenna-message.h"
#include "antenna-message-inspector.h"
#include "antenna-message-property-row.h"
#include "antenna-payload.h"
#include "antenna-text-filler.h"
#include "antenna-topic-history-row.h"
#include "antenna-topic-tree.h"
#include "antenna-value-chart.h"

#define DEFAULT_PREVIEW_SIZE (1024 * 1024)
/* A followed topic is re-shown at most this often. */
#define FOLLOW_INTERVAL_MS   250

struct _AntennaMessageInspector
{
  AdwBin                parent_instance;

  /* Template Widgets */
  GtkStack             *view_stack;
  AntennaDecodedView   *decoded_view;
  GtkDropDown          *format_dropdown;
  GtkLabel             *format_label;
  GtkRevealer          *truncated_revealer;
  GtkLabel             *truncated_label;
  GtkSourceView        *payload_view;
  GtkLabel             *empty_payload_label;
  GtkLabel             *no_properties_label;
  GtkListBox           *properties_list;
  GtkWidget            *user_properties_title;
  GtkListBox           *user_properties_list;
  GtkListView          *history_view;
  GtkNoSelection       *history_selection;
  AntennaValueChart    *chart;
  GtkEntry             *field_entry;
  GtkMenuButton        *fields_button;
  GtkStack             *diff_stack;
  GtkSourceView        *diff_view;

  /* Owned References */
  GHashTable           *chart_fields;      /* topic → the chart's JSON field */
  AntennaMessage       *message;
  AntennaTopicNode     *node;
  GCancellable         *cancellable;

  gboolean              follow_node;
  gboolean              setting_field;   /* the field entry set for another topic */
  gulong                node_notify_id;
  guint                 follow_source;
  AntennaPayloadFormat  format;
  AntennaPayloadFormat  shown_format;
  gboolean              truncated;
  guint                 preview_size;
  gboolean              busy;
  AntennaTextFiller     payload_filler;
  AntennaTextFiller     diff_filler;
  gboolean              showing;         /* in format_cb(), filling both views */
};

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_NODE,
  PROP_FORMAT,
  PROP_PREVIEW_SIZE,
  PROP_BUSY,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaMessageInspector, antenna_message_inspector, ADW_TYPE_BIN)

typedef struct
{
  GBytes               *payload;
  GBytes               *previous;
  AntennaPayloadFormat  format;
  gsize                 preview_size;

  char                 *text;
  gboolean              truncated;
  AntennaPayloadFormat  shown_format;
  char                 *json_error;
  char                 *diff;
} FormatJob;

static void
format_job_free (FormatJob *job)
{
  g_clear_pointer (&job->payload, g_bytes_unref);
  g_clear_pointer (&job->previous, g_bytes_unref);
  g_clear_pointer (&job->text, g_free);
  g_clear_pointer (&job->json_error, g_free);
  g_clear_pointer (&job->diff, g_free);
  g_free (job);
}

/* Formatting in a thread */

/* GtkTextView lays out a paragraph as a whole, and wrapping one without
 * spaces costs more the longer it is: one line of a megabyte kept the main
 * thread busy for seconds, and 4 KiB pieces of a 1 MiB preview still took
 * seconds of layout. Longer lines are shown in pieces of 512 bytes, a few
 * wrapped lines each (the view is a preview; "Save Payload…" writes the
 * bytes as they came). */
#define DISPLAY_LINE_MAX 512

static char *
split_long_lines (char *text)
{
  GString *out;
  const char *p;
  gsize run = 0;
  gboolean any = FALSE;

  for (p = text; *p != '\0'; p++)
    {
      run = *p == '\n' ? 0 : run + 1;
      if (run > DISPLAY_LINE_MAX)
        {
          any = TRUE;
          break;
        }
    }
  if (!any)
    return text;

  out = g_string_sized_new (strlen (text) + strlen (text) / DISPLAY_LINE_MAX + 1);
  run = 0;
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);

      if (*p == '\n')
        run = 0;
      else if (++run > DISPLAY_LINE_MAX)
        {
          g_string_append_c (out, '\n');
          run = 1;
        }
      g_string_append_len (out, p, next - p);
    }

  g_free (text);
  return g_string_free (out, FALSE);
}

static void
format_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FormatJob *job = task_data;
  g_autoptr(GError) json_error = NULL;

  job->shown_format = job->format;
  if (job->shown_format == ANTENNA_PAYLOAD_FORMAT_AUTO)
    job->shown_format = antenna_payload_detect (job->payload, job->preview_size);

  job->text = antenna_payload_format (job->payload, job->shown_format, job->preview_size,
                                      &job->truncated, &json_error);
  job->text = split_long_lines (job->text);
  if (json_error != NULL)
    {
      job->json_error = g_strdup (json_error->message);
      job->shown_format = ANTENNA_PAYLOAD_FORMAT_TEXT;
    }

  if (job->previous != NULL && !g_cancellable_is_cancelled (cancellable))
    job->diff = antenna_line_diff_payloads (job->previous, job->payload);

  g_task_return_boolean (task, TRUE);
}

static void
set_busy (AntennaMessageInspector *self,
          gboolean                 busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static const char *
format_name (AntennaPayloadFormat format)
{
  switch (format)
    {
    case ANTENNA_PAYLOAD_FORMAT_AUTO:
      return _("Automatic");
    case ANTENNA_PAYLOAD_FORMAT_TEXT:
      return _("Text");
    case ANTENNA_PAYLOAD_FORMAT_JSON:
      return _("JSON");
    case ANTENNA_PAYLOAD_FORMAT_HEX:
      return _("Hex");
    case ANTENNA_PAYLOAD_FORMAT_BASE64:
      return _("Base64");
    default:
      g_assert_not_reached ();
    }
}

/* Busy until both views have all their text. */
static void
update_busy_after_fill (AntennaMessageInspector *self)
{
  if (!antenna_text_filler_get_filling (&self->payload_filler) &&
      !antenna_text_filler_get_filling (&self->diff_filler) && !self->showing)
    set_busy (self, FALSE);
}

static void
format_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AntennaMessageInspector *self = ANTENNA_MESSAGE_INSPECTOR (object);
  FormatJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *info = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return;

  /* A newer job replaced this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  self->shown_format = job->shown_format;
  self->truncated = job->truncated;
  self->showing = TRUE;
  antenna_text_filler_show (&self->payload_filler, g_steal_pointer (&job->text),
             job->shown_format == ANTENNA_PAYLOAD_FORMAT_JSON ? "json" : NULL);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->payload_view),
                               job->shown_format == ANTENNA_PAYLOAD_FORMAT_HEX ? GTK_WRAP_NONE : GTK_WRAP_WORD_CHAR);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_payload_label), g_bytes_get_size (job->payload) == 0);

  size = antenna_payload_format_size (g_bytes_get_size (job->payload));
  if (job->json_error != NULL)
    /* Translators: "Not valid JSON (…) · 12 bytes" */
    info = g_strdup_printf (_("Not valid JSON (%s) · %s"), job->json_error, size);
  else
    info = g_strdup_printf ("%s · %s", format_name (job->shown_format), size);
  gtk_label_set_label (self->format_label, info);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->format_label), info);

  if (job->truncated)
    {
      g_autofree char *preview = antenna_payload_format_size (job->preview_size);
      g_autofree char *text = g_strdup_printf (_("The payload is %s: only its first %s are shown. Save it to see all of it."),
                                               size, preview);

      gtk_label_set_label (self->truncated_label, text);
    }
  gtk_revealer_set_reveal_child (self->truncated_revealer, job->truncated);

  if (job->diff != NULL)
    {
      antenna_text_filler_show (&self->diff_filler, g_steal_pointer (&job->diff), "diff");
      gtk_stack_set_visible_child_name (self->diff_stack, "diff");
    }
  else
    {
      antenna_text_filler_show (&self->diff_filler, NULL, NULL);
      gtk_stack_set_visible_child_name (self->diff_stack, "empty");
    }

  self->showing = FALSE;
  update_busy_after_fill (self);
}

static GBytes *
find_previous_payload (AntennaMessageInspector *self)
{
  GListModel *history;
  guint n;

  if (self->node == NULL || self->message == NULL)
    return NULL;

  history = antenna_topic_node_get_history (self->node);
  n = g_list_model_get_n_items (history);

  for (guint i = n; i-- > 1;)
    {
      g_autoptr(AntennaMessage) item = g_list_model_get_item (history, i);

      if (item == self->message)
        {
          g_autoptr(AntennaMessage) previous = g_list_model_get_item (history, i - 1);

          return g_bytes_ref (antenna_message_get_payload (previous));
        }
    }

  return NULL;
}

static void
start_format (AntennaMessageInspector *self)
{
  g_autoptr(GTask) task = NULL;
  FormatJob *job;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  antenna_text_filler_stop (&self->payload_filler);
  antenna_text_filler_stop (&self->diff_filler);

  if (self->message == NULL)
    {
      set_busy (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();

  job = g_new0 (FormatJob, 1);
  job->payload = g_bytes_ref (antenna_message_get_payload (self->message));
  job->previous = find_previous_payload (self);
  job->format = self->format;
  job->preview_size = self->preview_size;

  task = g_task_new (self, self->cancellable, format_cb, NULL);
  g_task_set_source_tag (task, start_format);
  g_task_set_task_data (task, job, (GDestroyNotify) format_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, format_thread);

  set_busy (self, TRUE);
}

/* MQTT 5 properties */

static void
clear_list_box (GtkListBox *list_box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list_box))) != NULL)
    gtk_list_box_remove (list_box, child);
}

static void
add_property_row (GtkListBox *list_box,
                  const char *title,
                  const char *value)
{
  gtk_list_box_append (list_box, antenna_message_property_row_new (title, value));
}

static void
update_properties (AntennaMessageInspector *self)
{
  AntennaProperties *props = antenna_message_get_properties (self->message);
  guint n_user = props->user_properties->len / 2;
  gboolean any = FALSE;

  clear_list_box (self->properties_list);
  clear_list_box (self->user_properties_list);

  if (props->content_type != NULL)
    add_property_row (self->properties_list, _("Content Type"), props->content_type), any = TRUE;

  if (props->payload_format >= 0)
    add_property_row (self->properties_list, _("Payload Format"),
                      props->payload_format == 1 ? _("UTF-8 text") : _("Bytes")), any = TRUE;

  if (props->response_topic != NULL)
    add_property_row (self->properties_list, _("Response Topic"), props->response_topic), any = TRUE;

  if (props->correlation_data != NULL)
    {
      g_autofree char *text = antenna_payload_preview_line (props->correlation_data, 200);

      add_property_row (self->properties_list, _("Correlation Data"), text);
      any = TRUE;
    }

  if (props->message_expiry >= 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds",
                                                            (gulong) props->message_expiry),
                                               (guint) props->message_expiry);

      add_property_row (self->properties_list, _("Message Expiry"), text);
      any = TRUE;
    }

  if (props->subscription_ids->len > 0)
    {
      GString *ids = g_string_new (NULL);

      for (guint i = 0; i < props->subscription_ids->len; i++)
        g_string_append_printf (ids, "%s%u", i > 0 ? ", " : "",
                                g_array_index (props->subscription_ids, guint32, i));
      add_property_row (self->properties_list, _("Subscription Identifiers"), ids->str);
      g_string_free (ids, TRUE);
      any = TRUE;
    }

  for (guint i = 0; i < n_user; i++)
    add_property_row (self->user_properties_list,
                      g_ptr_array_index (props->user_properties, 2 * i),
                      g_ptr_array_index (props->user_properties, 2 * i + 1));

  gtk_widget_set_visible (GTK_WIDGET (self->properties_list), any);
  gtk_widget_set_visible (self->user_properties_title, n_user > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->user_properties_list), n_user > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_properties_label), !any && n_user == 0);
}

static void update_chart_field (AntennaMessageInspector *self,
                                gboolean                 topic_changed);

/* The empty page, the header, the history and the chart follow :message
 * and :node through the template's bindings. */
static void
set_message (AntennaMessageInspector *self,
             AntennaMessage          *message,
             AntennaTopicNode        *node)
{
  gboolean message_changed = g_set_object (&self->message, message);
  gboolean node_changed = g_set_object (&self->node, node);

  if (message != NULL && message_changed)
    update_properties (self);

  if (message_changed || node_changed)
    {
      start_format (self);
      update_chart_field (self, node_changed);
    }

  if (message_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  if (node_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
}

/* The chart: its field is remembered per topic (a plain-number topic no
 * longer shows "No numeric values" because of another topic's field), and
 * the numbers of the message shown are offered as fields. */
static void
update_chart_field (AntennaMessageInspector *self,
                    gboolean                 topic_changed)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_auto(GStrv) fields = NULL;

  if (topic_changed)
    {
      const char *field = self->node != NULL
                          ? g_hash_table_lookup (self->chart_fields, antenna_topic_node_get_topic (self->node))
                          : NULL;

      self->setting_field = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->field_entry), field != NULL ? field : "");
      self->setting_field = FALSE;
    }

  fields = antenna_value_chart_list_fields (self->message != NULL ? antenna_message_get_payload (self->message) : NULL);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (fields[i], NULL);

      g_menu_item_set_action_and_target_value (item, "inspector.chart-field", g_variant_new_string (fields[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->fields_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->fields_button), fields[0] != NULL);
}

static void
on_field_changed_cb (AntennaMessageInspector *self)
{
  const char *field = gtk_editable_get_text (GTK_EDITABLE (self->field_entry));

  if (self->setting_field || self->node == NULL)
    return;

  if (field[0] == '\0')
    g_hash_table_remove (self->chart_fields, antenna_topic_node_get_topic (self->node));
  else
    g_hash_table_insert (self->chart_fields, g_strdup (antenna_topic_node_get_topic (self->node)), g_strdup (field));
}

static void
chart_field_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AntennaMessageInspector *self = ANTENNA_MESSAGE_INSPECTOR (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->field_entry), g_variant_get_string (param, NULL));
  gtk_stack_set_visible_child_name (self->view_stack, "chart");
}

static char *dup_buffer_text (GtkSourceView *view);

/* A click on a number of the JSON shown charts that number. */
static void
on_payload_released_cb (GtkGestureClick         *gesture,
                        int                      n_press,
                        double                   x,
                        double                   y,
                        AntennaMessageInspector *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->payload_view);
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  GtkTextIter iter;
  int bx, by;

  if (n_press != 1 || self->shown_format != ANTENNA_PAYLOAD_FORMAT_JSON ||
      gtk_text_buffer_get_has_selection (gtk_text_view_get_buffer (view)))
    return;

  gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by))
    return;

  text = dup_buffer_text (self->payload_view);
  path = antenna_value_chart_path_at (text, gtk_text_iter_get_offset (&iter));
  if (path != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "inspector.chart-field", "s", path);
}

static void
stop_following (AntennaMessageInspector *self)
{
  self->follow_node = FALSE;
  g_clear_handle_id (&self->follow_source, g_source_remove);
  if (self->node != NULL)
    g_clear_signal_handler (&self->node_notify_id, self->node);
}

static gboolean
follow_timeout_cb (gpointer user_data)
{
  AntennaMessageInspector *self = user_data;

  self->follow_source = 0;

  if (self->follow_node && self->node != NULL)
    set_message (self, antenna_topic_node_get_last_message (self->node), self->node);

  return G_SOURCE_REMOVE;
}

static void
on_node_last_message_cb (AntennaMessageInspector *self)
{
  if (self->follow_source == 0)
    self->follow_source = g_timeout_add (FOLLOW_INTERVAL_MS, follow_timeout_cb, self);
}

/* Template closures: what the bindings of the .ui show. A closure returns
 * a new string or reference (the expression takes it). */

static char *
main_page_name (gpointer        unused,
                AntennaMessage *message)
{
  return g_strdup (message != NULL ? "message" : "empty");
}

static char *
empty_title (gpointer          unused,
             AntennaMessage   *message,
             AntennaTopicNode *node)
{
  if (message == NULL && node != NULL)
    return g_strdup (_("No Message on This Topic"));

  return g_strdup (_("No Message Selected"));
}

static char *
empty_description (gpointer          unused,
                   AntennaMessage   *message,
                   AntennaTopicNode *node)
{
  if (message == NULL && node != NULL)
    return g_strdup_printf (_("Nothing was published on “%s” itself. Select a topic below it."),
                            antenna_topic_node_get_topic (node));

  return g_strdup (_("Select a topic or a message to see its payload, properties and history."));
}

static char *
direction_text (gpointer                unused,
                AntennaMessageDirection direction)
{
  return g_strdup (direction == ANTENNA_MESSAGE_SENT ? _("Published") : _("Received"));
}

static char *
qos_text (gpointer unused,
          int      qos)
{
  return g_strdup_printf (_("QoS %d"), qos);
}

static char *
size_text (gpointer unused,
           guint64  size)
{
  return antenna_payload_format_size (size);
}

/* "date HH:MM:SS.mmm", in local time. */
static char *
time_text (gpointer unused,
           gint64   timestamp)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (timestamp / G_USEC_PER_SEC);
  g_autofree char *date = g_date_time_format (time, "%x %H:%M:%S");

  return g_strdup_printf ("%s.%03d", date, (int) (timestamp % G_USEC_PER_SEC / 1000));
}

static GListModel *
node_history (gpointer          unused,
              AntennaTopicNode *node)
{
  return node != NULL ? g_object_ref (antenna_topic_node_get_history (node)) : NULL;
}

static char *
history_page_name (gpointer unused,
                   guint    n_items)
{
  return g_strdup (n_items > 0 ? "list" : "empty");
}

static char *
chart_page_name (gpointer unused,
                 guint    n_points)
{
  return g_strdup (n_points > 0 ? "chart" : "empty");
}

/* Callbacks */

static void
on_format_selected_cb (AntennaMessageInspector *self)
{
  antenna_message_inspector_set_format (self, gtk_drop_down_get_selected (self->format_dropdown));
}

static void
on_history_activate_cb (AntennaMessageInspector *self,
                        guint                    position)
{
  g_autoptr(AntennaMessage) message = NULL;
  g_autoptr(AntennaTopicNode) node = NULL;

  message = g_list_model_get_item (G_LIST_MODEL (self->history_selection), position);
  if (message == NULL)
    return;

  node = self->node != NULL ? g_object_ref (self->node) : NULL;
  antenna_message_inspector_show (self, message, node);
  gtk_stack_set_visible_child_name (self->view_stack, "payload");
}

static void
on_view_changed_cb (AntennaMessageInspector *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
on_history_row_setup_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         AntennaMessageInspector  *self)
{
  gtk_list_item_set_child (item, antenna_topic_history_row_new ());
}

static void
on_history_row_bind_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        AntennaMessageInspector  *self)
{
  antenna_topic_history_row_set_message (ANTENNA_TOPIC_HISTORY_ROW (gtk_list_item_get_child (item)),
                                         gtk_list_item_get_item (item));
}

/* Actions */

static void
copy_topic_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AntennaMessageInspector *self = ANTENNA_MESSAGE_INSPECTOR (widget);

  if (self->message == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), antenna_message_get_topic (self->message));
  gtk_widget_activate_action (widget, "page.show-toast", "s", _("Topic copied"));
}

typedef struct
{
  AntennaMessageInspector *self;
  GBytes                  *payload;
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_clear_object (&request->self);
  g_clear_pointer (&request->payload, g_bytes_unref);
  g_free (request);
}

static void
replace_contents_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SaveRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (G_FILE (object));
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      message = g_strdup_printf (_("Could not save the payload to “%s”: %s"), name, error->message);
      gtk_widget_activate_action (GTK_WIDGET (request->self), "page.show-error", "s", message);
    }
  else
    {
      message = g_strdup_printf (_("Payload saved to “%s”"), name);
      gtk_widget_activate_action (GTK_WIDGET (request->self), "page.show-toast", "s", message);
    }

  save_request_free (request);
}

/* The payload's own bytes (no copy), written off the main thread. */
static void
save_request_write (SaveRequest *request,
                    GFile       *file)
{
  g_file_replace_contents_bytes_async (file, request->payload, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       replace_contents_cb, request);
}

static SaveRequest *
save_request_new (AntennaMessageInspector *self)
{
  SaveRequest *request = g_new0 (SaveRequest, 1);

  request->self = g_object_ref (self);
  request->payload = g_bytes_ref (antenna_message_get_payload (self->message));

  return request;
}

static void
on_save_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     SaveRequest     *request)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      save_request_write (request, file);
    }
  else
    save_request_free (request);

  g_object_unref (dialog);
}

static void
save_payload_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AntennaMessageInspector *self = ANTENNA_MESSAGE_INSPECTOR (widget);
  GtkFileChooserNative *dialog;
  SaveRequest *request;
  g_autofree char *name = NULL;
  const char *topic;
  const char *segment;
  const char *extension;

  if (self->message == NULL)
    return;

  topic = antenna_message_get_topic (self->message);
  segment = strrchr (topic, '/');
  segment = segment != NULL && segment[1] != '\0' ? segment + 1 : topic;

  switch (antenna_payload_detect (antenna_message_get_payload (self->message), 64 * 1024))
    {
    case ANTENNA_PAYLOAD_FORMAT_JSON:
      extension = ".json";
      break;
    case ANTENNA_PAYLOAD_FORMAT_TEXT:
      extension = ".txt";
      break;
    case ANTENNA_PAYLOAD_FORMAT_AUTO:
    case ANTENNA_PAYLOAD_FORMAT_HEX:
    case ANTENNA_PAYLOAD_FORMAT_BASE64:
    default:
      extension = ".bin";
      break;
    }
  name = g_strconcat (segment, extension, NULL);
  g_strdelimit (name, "/\\:", '_');

  dialog = gtk_file_chooser_native_new (_("Save Payload"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  request = save_request_new (self);

  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
update_style_scheme (AntennaMessageInspector *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes,
                                                       adw_style_manager_get_dark (manager)
                                                       ? "Adwaita-dark" : "Adwaita");
  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view))), scheme);
  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->diff_view))), scheme);
}

/* GObject */

static void
antenna_message_inspector_dispose (GObject *object)
{
  AntennaMessageInspector *self = ANTENNA_MESSAGE_INSPECTOR (object);

  stop_following (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  antenna_text_filler_stop (&self->payload_filler);
  antenna_text_filler_stop (&self->diff_filler);

  if (self->history_view != NULL)
    gtk_list_view_set_model (self->history_view, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_MESSAGE_INSPECTOR);

  g_clear_object (&self->message);
  g_clear_object (&self->node);
  g_clear_pointer (&self->chart_fields, g_hash_table_unref);

  G_OBJECT_CLASS (antenna_message_inspector_parent_class)->dispose (object);
}

static void
antenna_message_inspector_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AntennaMessageInspector *self = ANTENNA_MESSAGE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;

    case PROP_NODE:
      g_value_set_object (value, self->node);
      break;

    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;

    case PROP_PREVIEW_SIZE:
      g_value_set_uint (value, self->preview_size);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_VIEW:
      g_value_set_string (value, gtk_stack_get_visible_child_name (self->view_stack));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_inspector_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  AntennaMessageInspector *self = ANTENNA_MESSAGE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      antenna_message_inspector_show (self, g_value_get_object (value), NULL);
      break;

    case PROP_NODE:
      antenna_message_inspector_show_node (self, g_value_get_object (value));
      break;

    case PROP_FORMAT:
      antenna_message_inspector_set_format (self, g_value_get_enum (value));
      break;

    case PROP_PREVIEW_SIZE:
      antenna_message_inspector_set_preview_size (self, g_value_get_uint (value));
      break;

    case PROP_VIEW:
      antenna_message_inspector_show_view (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_inspector_class_init (AntennaMessageInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_message_inspector_dispose;
  object_class->get_property = antenna_message_inspector_get_property;
  object_class->set_property = antenna_message_inspector_set_property;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL,
                         ANTENNA_TYPE_MESSAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL,
                         ANTENNA_TYPE_TOPIC_NODE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL,
                       ANTENNA_TYPE_PAYLOAD_FORMAT, ANTENNA_PAYLOAD_FORMAT_AUTO,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PREVIEW_SIZE] =
    g_param_spec_uint ("preview-size", NULL, NULL,
                       1024, G_MAXUINT, DEFAULT_PREVIEW_SIZE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The tab shown: "payload", "properties", "history", "chart" or "diff". */
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL,
                         "payload",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (ANTENNA_TYPE_MESSAGE);
  g_type_ensure (ANTENNA_TYPE_TOPIC_NODE);
  g_type_ensure (ANTENNA_TYPE_VALUE_CHART);
  g_type_ensure (ANTENNA_TYPE_DECODED_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-message-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, decoded_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, format_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, truncated_revealer);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, truncated_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, payload_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, empty_payload_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, no_properties_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, properties_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, user_properties_title);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, user_properties_list);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, history_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, history_selection);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, chart);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, field_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, fields_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, diff_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaMessageInspector, diff_view);
  gtk_widget_class_bind_template_callback (widget_class, main_page_name);
  gtk_widget_class_bind_template_callback (widget_class, empty_title);
  gtk_widget_class_bind_template_callback (widget_class, empty_description);
  gtk_widget_class_bind_template_callback (widget_class, direction_text);
  gtk_widget_class_bind_template_callback (widget_class, qos_text);
  gtk_widget_class_bind_template_callback (widget_class, size_text);
  gtk_widget_class_bind_template_callback (widget_class, time_text);
  gtk_widget_class_bind_template_callback (widget_class, node_history);
  gtk_widget_class_bind_template_callback (widget_class, history_page_name);
  gtk_widget_class_bind_template_callback (widget_class, chart_page_name);
  gtk_widget_class_bind_template_callback (widget_class, on_format_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_history_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_history_row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_history_row_bind_cb);

  gtk_widget_class_install_property_action (widget_class, "inspector.view", "view");
  gtk_widget_class_install_action (widget_class, "inspector.copy-topic", NULL, copy_topic_action);
  gtk_widget_class_install_action (widget_class, "inspector.chart-field", "s", chart_field_action);
  gtk_widget_class_install_action (widget_class, "inspector.save-payload", NULL, save_payload_action);
}

static void
antenna_message_inspector_init (AntennaMessageInspector *self)
{
  self->preview_size = DEFAULT_PREVIEW_SIZE;
  self->format = ANTENNA_PAYLOAD_FORMAT_AUTO;
  self->chart_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  antenna_text_filler_init (&self->payload_filler, self->payload_view,
                            (AntennaTextFillerDone) update_busy_after_fill, self);

  {
    GtkGesture *click = gtk_gesture_click_new ();

    g_signal_connect_object (click, "released", G_CALLBACK (on_payload_released_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self->payload_view), GTK_EVENT_CONTROLLER (click));
  }
  antenna_text_filler_init (&self->diff_filler, self->diff_view,
                            (AntennaTextFillerDone) update_busy_after_fill, self);


  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self,
                           G_CONNECT_SWAPPED);
  update_style_scheme (self);
}

GtkWidget *
antenna_message_inspector_new (void)
{
  return g_object_new (ANTENNA_TYPE_MESSAGE_INSPECTOR, NULL);
}

AntennaMessage *
antenna_message_inspector_get_message (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), NULL);

  return self->message;
}

AntennaTopicNode *
antenna_message_inspector_get_node (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), NULL);

  return self->node;
}

void
antenna_message_inspector_show (AntennaMessageInspector *self,
                                AntennaMessage          *message,
                                AntennaTopicNode        *node)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self));
  g_return_if_fail (message == NULL || ANTENNA_IS_MESSAGE (message));
  g_return_if_fail (node == NULL || ANTENNA_IS_TOPIC_NODE (node));

  stop_following (self);
  set_message (self, message, node);
}

void
antenna_message_inspector_show_node (AntennaMessageInspector *self,
                                     AntennaTopicNode        *node)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self));
  g_return_if_fail (node == NULL || ANTENNA_IS_TOPIC_NODE (node));

  stop_following (self);
  set_message (self, node != NULL ? antenna_topic_node_get_last_message (node) : NULL, node);

  if (node != NULL)
    {
      self->follow_node = TRUE;
      self->node_notify_id = g_signal_connect_swapped (node, "notify::last-message",
                                                       G_CALLBACK (on_node_last_message_cb), self);
    }
}

AntennaPayloadFormat
antenna_message_inspector_get_format (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), ANTENNA_PAYLOAD_FORMAT_AUTO);

  return self->format;
}

void
antenna_message_inspector_set_format (AntennaMessageInspector *self,
                                      AntennaPayloadFormat     format)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self));
  g_return_if_fail (format <= ANTENNA_PAYLOAD_FORMAT_BASE64);

  if (self->format == format)
    return;

  self->format = format;
  start_format (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT]);
}

guint
antenna_message_inspector_get_preview_size (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), 0);

  return self->preview_size;
}

void
antenna_message_inspector_set_preview_size (AntennaMessageInspector *self,
                                            guint                    preview_size)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self));

  preview_size = MAX (preview_size, 1024);
  if (self->preview_size == preview_size)
    return;

  self->preview_size = preview_size;
  start_format (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW_SIZE]);
}

gboolean
antenna_message_inspector_get_busy (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), FALSE);

  return self->busy;
}

static char *
dup_buffer_text (GtkSourceView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
antenna_message_inspector_save_payload_to (AntennaMessageInspector *self,
                                           GFile                   *file)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->message == NULL)
    return;

  save_request_write (save_request_new (self), file);
}

char *
antenna_message_inspector_dup_payload_text (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), NULL);

  return dup_buffer_text (self->payload_view);
}

AntennaPayloadFormat
antenna_message_inspector_get_shown_format (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), ANTENNA_PAYLOAD_FORMAT_AUTO);

  return self->shown_format;
}

char *
antenna_message_inspector_dup_diff_text (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), NULL);

  return dup_buffer_text (self->diff_view);
}

GtkWidget *
antenna_message_inspector_get_chart (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), NULL);

  return GTK_WIDGET (self->chart);
}

void
antenna_message_inspector_show_view (AntennaMessageInspector *self,
                                     const char              *name)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self));
  g_return_if_fail (name != NULL);

  gtk_stack_set_visible_child_name (self->view_stack, name);
}

gboolean
antenna_message_inspector_get_truncated (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), FALSE);

  return self->truncated;
}

GPtrArray *
antenna_message_inspector_dup_properties (AntennaMessageInspector *self,
                                          gboolean                 user)
{
  GPtrArray *pairs;
  GtkWidget *list;

  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), NULL);

  pairs = g_ptr_array_new_with_free_func (g_free);
  list = GTK_WIDGET (user ? self->user_properties_list : self->properties_list);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (!ANTENNA_IS_MESSAGE_PROPERTY_ROW (row))
        continue;

      g_ptr_array_add (pairs, g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))));
      g_ptr_array_add (pairs, g_strdup (antenna_message_property_row_get_value (ANTENNA_MESSAGE_PROPERTY_ROW (row))));
    }

  return pairs;
}

void
antenna_message_inspector_set_decoder_context (AntennaMessageInspector *self,
                                               AntennaDecoderContext   *context)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self));

  antenna_decoded_view_set_context (self->decoded_view, context);
  antenna_value_chart_set_decoder_context (self->chart, context);
}

GtkWidget *
antenna_message_inspector_get_decoded_view (AntennaMessageInspector *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_INSPECTOR (self), NULL);

  return GTK_WIDGET (self->decoded_view);
}
