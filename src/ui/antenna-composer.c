/* antenna-composer.c: the composer, to publish messages on one connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-composer"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "antenna-client.h"
#include "antenna-composer-private.h"
#include "antenna-decoder.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-payload.h"
#include "antenna-payload-file.h"
#include "antenna-profile.h"
#include "antenna-publish-history.h"
#include "antenna-publish-window.h"
#include "antenna-template-store.h"
#include "antenna-topic.h"
#include "antenna-topic-tree.h"

/* What the editor shows of a loaded file. */
#define FILE_PREVIEW_BYTES 4096
/* A history entry larger than this comes back as a payload held aside, not as text. */
#define EDITOR_MAX_BYTES (1024 * 1024)
/* Completion offers at most this many topics of one level. */
#define MAX_COMPLETIONS 200

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_DETACHABLE,
  PROP_LOADING,
  PROP_RETAIN,
  PROP_STATUS,
  N_PROPS
};

enum {
  PUBLISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AntennaComposer, antenna_composer, ADW_TYPE_BIN)

/* The format dropdown lists these, in this order. */
static const AntennaPayloadFormat dropdown_formats[] = {
  ANTENNA_PAYLOAD_FORMAT_TEXT,
  ANTENNA_PAYLOAD_FORMAT_JSON,
  ANTENNA_PAYLOAD_FORMAT_HEX,
  ANTENNA_PAYLOAD_FORMAT_BASE64,
};

/* Status */

/* The label shows :status (bound in the .ui); its colour is set here. */
void
_antenna_composer_set_status (AntennaComposer *self,
                              const char      *status,
                              const char      *css_class)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);

  if (g_strcmp0 (self->status, status) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (status);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "dim-label");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
}

/* With the automatic version, what the connection speaks. */
static gboolean
is_mqtt5 (AntennaComposer *self)
{
  return antenna_profile_resolve_mqtt_version (antenna_client_get_profile (self->client),
                                               antenna_client_get_mqtt_version (self->client))
         == ANTENNA_MQTT_VERSION_5;
}

/* Closures of the .ui */

static gboolean
is_set (AntennaComposer *self,
        const char      *text)
{
  return text != NULL;
}

/* The versions are there to be watched: the rule is is_mqtt5()'s. */
static gboolean
speaks_mqtt5 (AntennaComposer    *self,
              AntennaMqttVersion  chosen,
              AntennaMqttVersion  detected,
              AntennaMqttVersion  spoken)
{
  return self->client != NULL && is_mqtt5 (self);
}

/* The editor */

static char *
dup_editor_text (AntennaComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_editor_text (AntennaComposer *self,
                 const char      *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view)),
                            text != NULL ? text : "", -1);
}

static void update_payload_state_full (AntennaComposer *self);

/* Publish is offered only for what can go out: no topic or payload error
 * shown, no file being read. */
static void
update_publish_enabled (AntennaComposer *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.publish",
                                 !self->loading && self->topic_error == NULL && self->payload_error == NULL);
}

/* The characters the payload's error is about, marked in the editor. */
void
_antenna_composer_mark_payload_error (AntennaComposer          *self,
                                      const AntennaPayloadSpan *span)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "payload-error", &start, &end);
  if (span == NULL || span->start == G_MAXUINT)
    return;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) span->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) MAX (span->end, span->start + 1));
  gtk_text_buffer_apply_tag_by_name (buffer, "payload-error", &start, &end);
}

static void
update_payload_state (AntennaComposer *self)
{
  update_payload_state_full (self);
  update_publish_enabled (self);
}

static void
update_payload_state_full (AntennaComposer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *size = NULL;

  g_clear_pointer (&self->payload_error, g_free);
  _antenna_composer_mark_payload_error (self, NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->size_label), NULL);

  _antenna_composer_update_placeholders (self);

  if (self->file_payload != NULL)
    {
      size = antenna_payload_format_size (g_bytes_get_size (self->file_payload));
      gtk_label_set_label (self->size_label, size);
      gtk_widget_remove_css_class (GTK_WIDGET (self->size_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->size_label), "dim-label");
      return;
    }

  if (self->loading)
    {
      gtk_label_set_label (self->size_label, "");
      return;
    }

  /* With placeholders: the error or the next payload shows under the editor. */
  if (self->payload_placeholders != NULL)
    payload = antenna_placeholders_peek (self->payload_placeholders, g_get_real_time (), NULL);
  else if (self->placeholder_error != NULL)
    {
      self->payload_error = g_strdup (self->placeholder_error);
      gtk_label_set_label (self->size_label, "");
      return;
    }
  else
    {
      g_autofree char *text = dup_editor_text (self);
      AntennaPayloadSpan span;

      payload = antenna_payload_decode_span (text, -1, self->format, &span, &error);
      if (payload == NULL)
        _antenna_composer_mark_payload_error (self, &span);
      else if (self->format == ANTENNA_PAYLOAD_FORMAT_JSON &&
               !g_str_equal (antenna_composer_get_send_as (self), ANTENNA_DECODER_JSON))
        {
          /* the size of what goes out: MessagePack or CBOR when chosen */
          g_bytes_unref (payload);
          payload = antenna_composer_dup_payload (self, &error);
        }
    }

  if (payload == NULL && error == NULL)
    {
      gtk_label_set_label (self->size_label, "");
      return;
    }
  if (payload == NULL)
    {
      self->payload_error = g_strdup (error->message);
      gtk_label_set_label (self->size_label, error->message);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->size_label), error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->size_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->size_label), "dim-label");
      return;
    }

  size = antenna_payload_format_size (g_bytes_get_size (payload));
  gtk_label_set_label (self->size_label, size);
  gtk_widget_remove_css_class (GTK_WIDGET (self->size_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->size_label), "dim-label");
}

static void
on_buffer_changed_cb (AntennaComposer *self)
{
  if (!self->switching_format)
    update_payload_state (self);
}

void
_antenna_composer_update_language (AntennaComposer *self)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view)));
  GtkSourceLanguage *language = NULL;
  g_autofree char *text = dup_editor_text (self);

  /* JSON's highlighting would underline every placeholder as an error:
   * while there are some, they are tinted instead (antenna-composer-generate.c) */
  if (self->format == ANTENNA_PAYLOAD_FORMAT_JSON && self->file_payload == NULL &&
      !antenna_placeholders_text_has_any (text))
    language = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (), "json");

  if (gtk_source_buffer_get_language (buffer) != language)
    gtk_source_buffer_set_language (buffer, language);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.format-json",
                                 self->format == ANTENNA_PAYLOAD_FORMAT_JSON && self->file_payload == NULL);
  /* JSON typed may go out as MessagePack or CBOR. */
  gtk_widget_set_visible (GTK_WIDGET (self->send_as_dropdown),
                          self->format == ANTENNA_PAYLOAD_FORMAT_JSON && self->file_payload == NULL);
}

static void
on_send_as_selected_cb (AntennaComposer *self)
{
  update_payload_state (self);
}

static void
on_style_changed_cb (AntennaComposer *self)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view)));
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita"));
}

static guint
format_to_index (AntennaPayloadFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (dropdown_formats); i++)
    if (dropdown_formats[i] == format)
      return i;
  return 0;
}

static void
on_format_selected_cb (AntennaComposer *self)
{
  guint selected = gtk_drop_down_get_selected (self->format_dropdown);
  AntennaPayloadFormat format;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (selected >= G_N_ELEMENTS (dropdown_formats))
    return;

  format = dropdown_formats[selected];
  if (format == self->format)
    return;

  /* The same bytes, written the new way, when the old text decodes and the
   * bytes can be written so (binary cannot be text). Otherwise the text
   * stays and is read the new way. */
  if (self->file_payload == NULL)
    {
      text = dup_editor_text (self);
      bytes = antenna_payload_decode (text, -1, self->format, NULL);
      if (bytes != NULL && g_bytes_get_size (bytes) > 0)
        {
          g_autofree char *converted = antenna_payload_encode (bytes, format, &error);

          if (converted != NULL)
            {
              self->switching_format = TRUE;
              set_editor_text (self, converted);
              self->switching_format = FALSE;
            }
        }
    }

  self->format = format;
  _antenna_composer_update_language (self);
  update_payload_state (self);
}

/* Topic validation and completion */

static void
refill_completion (AntennaComposer *self,
                   const char      *topic)
{
  const char *slash = strrchr (topic, '/');
  g_autofree char *prefix = slash != NULL ? g_strndup (topic, slash - topic) : g_strdup ("");
  GListModel *children = NULL;
  guint n;

  /* Refilled at every change (at most MAX_COMPLETIONS rows), so that topics
   * seen since show up too. */
  if (self->topic_tree == NULL)
    return;

  g_free (self->completion_prefix);
  self->completion_prefix = g_strdup (prefix);
  gtk_list_store_clear (self->completion_store);

  if (slash == NULL)
    children = antenna_topic_tree_get_root (self->topic_tree);
  else
    {
      AntennaTopicNode *node = antenna_topic_tree_lookup (self->topic_tree, prefix);

      if (node != NULL)
        children = antenna_topic_node_get_children (node);
    }

  if (children == NULL)
    return;

  n = MIN (g_list_model_get_n_items (children), MAX_COMPLETIONS);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaTopicNode) child = g_list_model_get_item (children, i);

      gtk_list_store_insert_with_values (self->completion_store, NULL, -1,
                                         0, antenna_topic_node_get_topic (child), -1);
    }
}

gboolean
_antenna_composer_validate_topic (AntennaComposer *self)
{
  /* with placeholders, their next expansion */
  g_autofree char *topic = _antenna_composer_dup_topic_to_check (self);
  const char *response_error = antenna_properties_editor_get_response_topic_error (self->properties_editor);
  g_autoptr(GError) error = NULL;
  gboolean valid = topic != NULL && antenna_topic_validate_name (topic, -1, &error);

  g_clear_pointer (&self->topic_error, g_free);
  if (topic == NULL)
    self->topic_error = g_strdup (self->placeholder_error);
  else if (!valid && topic[0] != '\0')
    self->topic_error = g_strdup (error->message);

  if (self->topic_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->topic_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->topic_entry), "error");

  /* The editor marks its entry; the line under the composer says why. */
  if (response_error != NULL && self->topic_error == NULL && is_mqtt5 (self))
    self->topic_error = g_strdup_printf (_("Response topic: %s"), response_error);

  /* Under the field, in a line kept for it: nothing moves when it comes or goes. */
  gtk_label_set_label (self->topic_error_label, self->topic_error != NULL ? self->topic_error : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->topic_error_label), self->topic_error);
  update_publish_enabled (self);

  return valid && self->topic_error == NULL;
}

static void
on_topic_changed_cb (AntennaComposer *self)
{
  _antenna_composer_validate_topic (self);
  refill_completion (self, gtk_editable_get_text (GTK_EDITABLE (self->topic_entry)));
}

static void
on_response_topic_changed_cb (AntennaComposer *self)
{
  _antenna_composer_validate_topic (self);
}

/* File loading */

static void
set_file_payload (AntennaComposer *self,
                  GBytes          *payload,
                  const char      *name)
{
  g_clear_pointer (&self->file_payload, g_bytes_unref);
  g_clear_pointer (&self->file_name, g_free);

  if (payload != NULL)
    {
      g_autofree char *size = antenna_payload_format_size (g_bytes_get_size (payload));
      g_autofree char *label = NULL;
      g_autofree char *preview = NULL;
      gboolean truncated = FALSE;

      self->file_payload = g_bytes_ref (payload);
      self->file_name = g_strdup (name);
      /* Translators: a file name and its size, e.g. “data.bin — 256 MB” */
      label = g_strdup_printf (_("%s — %s"), name, size);
      gtk_label_set_label (self->file_label, label);
      gtk_widget_set_visible (GTK_WIDGET (self->file_progress), FALSE);
      gtk_revealer_set_reveal_child (self->file_revealer, TRUE);

      /* A preview, not the whole file: the editor would never cope with 256 MB. */
      preview = antenna_payload_format (payload, ANTENNA_PAYLOAD_FORMAT_AUTO, FILE_PREVIEW_BYTES, &truncated, NULL);
      if (truncated)
        {
          g_autofree char *more = g_strconcat (preview, "\n…", NULL);
          set_editor_text (self, more);
        }
      else
        set_editor_text (self, preview);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (self->payload_view), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->format_dropdown), FALSE);
    }
  else
    {
      gtk_revealer_set_reveal_child (self->file_revealer, FALSE);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (self->payload_view), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->format_dropdown), TRUE);
    }

  _antenna_composer_update_language (self);
  update_payload_state (self);
}

static void
set_loading (AntennaComposer *self,
             gboolean         loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  _antenna_composer_update_placeholders (self);
  update_publish_enabled (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_load_progress_cb (goffset  current,
                     goffset  total,
                     gpointer user_data)
{
  AntennaComposer *self = user_data;
  g_autofree char *done = antenna_payload_format_size (current);
  g_autofree char *all = antenna_payload_format_size (total);
  g_autofree char *text = NULL;

  /* Translators: bytes read so far of a file, e.g. “12 MB of 256 MB” */
  text = g_strdup_printf (_("%s of %s"), done, all);
  gtk_progress_bar_set_fraction (self->file_progress, total > 0 ? (double) current / total : 1.0);
  gtk_progress_bar_set_text (self->file_progress, text);
  gtk_progress_bar_set_show_text (self->file_progress, TRUE);
}

static void
on_file_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AntennaComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *name = NULL;

  payload = antenna_payload_file_load_finish (G_FILE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->load_cancellable);
  set_loading (self, FALSE);

  if (payload == NULL)
    {
      set_file_payload (self, NULL, NULL);
      _antenna_composer_set_status (self, error->message, "error");
      return;
    }

  name = g_file_get_basename (G_FILE (object));
  set_file_payload (self, payload, name);
  _antenna_composer_set_status (self, NULL, NULL);
}

static void
on_file_chosen_cb (GtkNativeDialog *dialog,
                   int              response,
                   AntennaComposer *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        antenna_composer_load_file (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

/* History */

static AntennaPublishHistory *
dup_history_for_client (AntennaComposer *self,
                        AntennaClient   *client)
{
  return client != NULL ? g_object_ref (antenna_publish_history_get_for_client (client)) : NULL;
}

static void
on_history_message_activated_cb (AntennaComposer *self,
                                 AntennaMessage  *message)
{
  antenna_composer_apply_message (self, message);
}

static void
on_history_publish_again_cb (AntennaComposer *self,
                             AntennaMessage  *message)
{
  antenna_composer_publish_again (self, message);
}

/* Templates */

static void
on_template_activated_cb (AntennaComposer *self,
                          AntennaTemplate *template)
{
  antenna_composer_apply_template (self, template);
}

static void
bind_templates (AntennaComposer *self)
{
  const char *profile_id = antenna_profile_get_id (antenna_client_get_profile (self->client));

  g_clear_object (&self->templates);
  if (self->template_store == NULL)
    self->template_store = g_object_ref (antenna_template_store_get_default ());
  self->templates = antenna_template_store_list_for_profile (self->template_store, profile_id);
  antenna_templates_popover_set_store (self->templates_popover, self->template_store, self->templates);
}

static void
on_templates_popover_show_cb (AntennaComposer *self)
{
  /* The default store is read the first time templates are looked at. */
  if (self->templates == NULL)
    bind_templates (self);
}

static void
save_template_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(AntennaTemplate) template = NULL;

  template = antenna_composer_save_template (self, antenna_templates_popover_get_name (self->templates_popover), &error);
  if (template == NULL)
    {
      antenna_templates_popover_set_error (self->templates_popover, error->message);
      return;
    }

  antenna_templates_popover_set_error (self->templates_popover, NULL);
  antenna_templates_popover_set_name (self->templates_popover, "");
}

/* Actions */

static void
format_json_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);
  g_autofree char *text = dup_editor_text (self);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pretty = NULL;
  gboolean truncated = FALSE;

  if (!antenna_payload_validate_json (text, -1, &error))
    {
      _antenna_composer_set_status (self, error->message, "error");
      return;
    }

  bytes = g_bytes_new (text, strlen (text));
  pretty = antenna_payload_format (bytes, ANTENNA_PAYLOAD_FORMAT_JSON, G_MAXSIZE, &truncated, NULL);
  set_editor_text (self, pretty);
}

static void
load_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Publish a File"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
clear_file_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);

  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
      set_loading (self, FALSE);
    }

  set_file_payload (self, NULL, NULL);
  set_editor_text (self, "");
}

static void
add_user_property_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);

  antenna_properties_editor_add_user_property (self->properties_editor, NULL, NULL);
}

void
_antenna_composer_emit_published (AntennaComposer *self,
                                  AntennaMessage  *message)
{
  g_signal_emit (self, signals[PUBLISHED], 0, message);
}

static void
detach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AntennaPublishWindow *window;
  AntennaComposer *other;

  window = antenna_publish_window_new (self->client, self->topic_tree, self->template_store);
  other = antenna_publish_window_get_composer (window);
  antenna_composer_copy_to (self, other);
  g_signal_connect_object (other, "published", G_CALLBACK (_antenna_composer_emit_published), self, G_CONNECT_SWAPPED);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (root)));
  gtk_window_present (GTK_WINDOW (window));
}

/* GObject */

static void
antenna_composer_dispose (GObject *object)
{
  AntennaComposer *self = ANTENNA_COMPOSER (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->topic_entry != NULL)
    gtk_entry_set_completion (self->topic_entry, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_COMPOSER);

  g_queue_clear_full (&self->pending, g_object_unref);
  g_clear_object (&self->offered);
  g_clear_object (&self->completion);
  g_clear_object (&self->completion_store);
  g_clear_object (&self->templates);
  g_clear_object (&self->template_store);
  g_clear_object (&self->topic_tree);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (antenna_composer_parent_class)->dispose (object);
}

static void
antenna_composer_finalize (GObject *object)
{
  AntennaComposer *self = ANTENNA_COMPOSER (object);

  g_clear_pointer (&self->file_payload, g_bytes_unref);
  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->topic_error, g_free);
  g_clear_pointer (&self->payload_error, g_free);
  g_clear_pointer (&self->completion_prefix, g_free);
  _antenna_composer_generate_finalize (self);

  G_OBJECT_CLASS (antenna_composer_parent_class)->finalize (object);
}

static void
antenna_composer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AntennaComposer *self = ANTENNA_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_DETACHABLE:
      g_value_set_boolean (value, self->detachable);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_RETAIN:
      g_value_set_boolean (value, self->retain);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_composer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AntennaComposer *self = ANTENNA_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_DETACHABLE:
      if (self->detachable != g_value_get_boolean (value))
        {
          self->detachable = g_value_get_boolean (value);
          gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.detach", self->detachable);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_RETAIN:
      antenna_composer_set_retain (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_composer_constructed (GObject *object)
{
  AntennaComposer *self = ANTENNA_COMPOSER (object);

  G_OBJECT_CLASS (antenna_composer_parent_class)->constructed (object);

  g_assert (ANTENNA_IS_CLIENT (self->client));

  _antenna_composer_publish_constructed (self);
}

static void
antenna_composer_class_init (AntennaComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_composer_dispose;
  object_class->finalize = antenna_composer_finalize;
  object_class->constructed = antenna_composer_constructed;
  object_class->get_property = antenna_composer_get_property;
  object_class->set_property = antenna_composer_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ANTENNA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DETACHABLE] =
    g_param_spec_boolean ("detachable", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RETAIN] =
    g_param_spec_boolean ("retain", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PUBLISHED] =
    g_signal_new ("published",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_MESSAGE);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (ANTENNA_TYPE_CLIENT);
  g_type_ensure (ANTENNA_TYPE_PROFILE);
  g_type_ensure (ANTENNA_TYPE_PUBLISH_HISTORY);
  g_type_ensure (ANTENNA_TYPE_PUBLISH_HISTORY_POPOVER);
  g_type_ensure (ANTENNA_TYPE_TEMPLATES_POPOVER);
  g_type_ensure (ANTENNA_TYPE_PROPERTIES_EDITOR);
  g_type_ensure (ANTENNA_TYPE_BATCH_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, topic_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, qos_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, history_popover);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, templates_popover);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, send_as_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, size_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, file_revealer);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, file_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, file_progress);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, payload_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, properties_expander);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, properties_editor);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, offline_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, status_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, topic_error_label);
  gtk_widget_class_bind_template_callback (widget_class, is_set);
  gtk_widget_class_bind_template_callback (widget_class, speaks_mqtt5);
  gtk_widget_class_bind_template_callback (widget_class, on_topic_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_response_topic_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_format_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_send_as_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, dup_history_for_client);
  gtk_widget_class_bind_template_callback (widget_class, on_history_message_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_history_publish_again_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_templates_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_template_activated_cb);

  _antenna_composer_class_publish_init (klass);
  _antenna_composer_class_generate_init (klass);
  gtk_widget_class_install_property_action (widget_class, "composer.retain", "retain");
  gtk_widget_class_install_action (widget_class, "composer.format-json", NULL, format_json_action);
  gtk_widget_class_install_action (widget_class, "composer.load-file", NULL, load_file_action);
  gtk_widget_class_install_action (widget_class, "composer.clear-file", NULL, clear_file_action);
  gtk_widget_class_install_action (widget_class, "composer.save-template", NULL, save_template_action);
  gtk_widget_class_install_action (widget_class, "composer.detach", NULL, detach_action);
  gtk_widget_class_install_action (widget_class, "composer.add-user-property", NULL, add_user_property_action);
}

static void
antenna_composer_init (AntennaComposer *self)
{
  GtkTextBuffer *buffer;

  self->format = ANTENNA_PAYLOAD_FORMAT_TEXT;
  self->detachable = TRUE;
  g_queue_init (&self->pending);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Ctrl+Enter publishes, as the button's tooltip says, from any field: in
   * the capture phase, before the payload's text view takes Enter. */
  {
    GtkEventController *controller = gtk_shortcut_controller_new ();
    GtkShortcutTrigger *trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                               gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK));

    gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (trigger, gtk_named_action_new ("composer.publish")));
    gtk_widget_add_controller (GTK_WIDGET (self), controller);
  }

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view));
  /* What a hex, Base64 or JSON error is about: underlined and tinted. */
  gtk_text_buffer_create_tag (buffer, "payload-error",
                              "underline", PANGO_UNDERLINE_ERROR,
                              "background", "rgba(224,27,36,0.25)",
                              NULL);
  /* A placeholder, replaced when the message is sent: tinted blue, under
   * the error's red when it is the one that is wrong. */
  gtk_text_tag_set_priority (gtk_text_buffer_create_tag (buffer, "placeholder",
                                                         "background", "rgba(53,132,228,0.18)",
                                                         NULL), 0);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_style_changed_cb), self, G_CONNECT_SWAPPED);
  on_style_changed_cb (self);

  /* Completion from the topics seen on this connection, one level at a time. */
  self->completion_store = gtk_list_store_new (1, G_TYPE_STRING);
  self->completion = gtk_entry_completion_new ();
  gtk_entry_completion_set_model (self->completion, GTK_TREE_MODEL (self->completion_store));
  gtk_entry_completion_set_text_column (self->completion, 0);
  gtk_entry_completion_set_inline_completion (self->completion, FALSE);
  gtk_entry_completion_set_popup_single_match (self->completion, FALSE);
  gtk_entry_set_completion (self->topic_entry, self->completion);

  _antenna_composer_update_language (self);
  update_payload_state (self);
}

/* Public API */

GtkWidget *
antenna_composer_new (AntennaClient *client)
{
  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);

  return g_object_new (ANTENNA_TYPE_COMPOSER, "client", client, NULL);
}

AntennaClient *
antenna_composer_get_client (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  return self->client;
}

void
antenna_composer_set_topic_tree (AntennaComposer  *self,
                                 AntennaTopicTree *tree)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  if (g_set_object (&self->topic_tree, tree))
    g_clear_pointer (&self->completion_prefix, g_free);
}

void
antenna_composer_set_template_store (AntennaComposer      *self,
                                     AntennaTemplateStore *store)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  g_clear_object (&self->template_store);
  if (store != NULL)
    self->template_store = g_object_ref (store);
  bind_templates (self);
}

void
antenna_composer_set_topic (AntennaComposer *self,
                            const char      *topic)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->topic_entry), topic != NULL ? topic : "");
}

const char *
antenna_composer_get_topic (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->topic_entry));
}

void
antenna_composer_set_qos (AntennaComposer *self,
                          int              qos)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));
  g_return_if_fail (qos >= 0 && qos <= 2);

  gtk_drop_down_set_selected (self->qos_dropdown, qos);
}

void
antenna_composer_set_retain (AntennaComposer *self,
                             gboolean         retain)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  retain = !!retain;
  if (self->retain == retain)
    return;

  self->retain = retain;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETAIN]);
}

void
antenna_composer_set_format (AntennaComposer      *self,
                             AntennaPayloadFormat  format)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  if (format == ANTENNA_PAYLOAD_FORMAT_AUTO)
    format = ANTENNA_PAYLOAD_FORMAT_TEXT;
  gtk_drop_down_set_selected (self->format_dropdown, format_to_index (format));
}

AntennaPayloadFormat
antenna_composer_get_format (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), ANTENNA_PAYLOAD_FORMAT_TEXT);

  return self->format;
}

void
antenna_composer_set_payload_text (AntennaComposer *self,
                                   const char      *text)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  if (self->file_payload != NULL)
    set_file_payload (self, NULL, NULL);
  set_editor_text (self, text);
}

char *
antenna_composer_dup_payload_text (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  return dup_editor_text (self);
}

GBytes *
antenna_composer_dup_payload (AntennaComposer  *self,
                              GError          **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  if (self->file_payload != NULL)
    return g_bytes_ref (self->file_payload);

  if (self->loading)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_PAYLOAD,
                           _("The file is still being read."));
      return NULL;
    }

  text = dup_editor_text (self);
  if (self->format == ANTENNA_PAYLOAD_FORMAT_JSON)
    {
      const char *send_as = antenna_composer_get_send_as (self);

      if (!g_str_equal (send_as, ANTENNA_DECODER_JSON))
        return antenna_decoder_encode_json (antenna_decoder_find (send_as), text, -1, error);
    }
  return antenna_payload_decode (text, -1, self->format, error);
}

static const char * const send_as_ids[] = { ANTENNA_DECODER_JSON, ANTENNA_DECODER_MSGPACK, ANTENNA_DECODER_CBOR };

void
antenna_composer_set_send_as (AntennaComposer *self,
                              const char      *decoder)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  for (guint i = 0; i < G_N_ELEMENTS (send_as_ids); i++)
    if (g_strcmp0 (decoder, send_as_ids[i]) == 0)
      gtk_drop_down_set_selected (self->send_as_dropdown, i);
}

const char *
antenna_composer_get_send_as (AntennaComposer *self)
{
  guint selected;

  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  selected = gtk_drop_down_get_selected (self->send_as_dropdown);
  return selected < G_N_ELEMENTS (send_as_ids) ? send_as_ids[selected] : ANTENNA_DECODER_JSON;
}

AntennaProperties *
antenna_composer_dup_properties (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  if (!is_mqtt5 (self))
    return NULL;

  return antenna_properties_editor_dup_properties (self->properties_editor);
}

void
antenna_composer_set_properties (AntennaComposer   *self,
                                 AntennaProperties *props)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  antenna_properties_editor_set_properties (self->properties_editor, props);
  if (props != NULL && !antenna_properties_is_empty (props))
    gtk_expander_set_expanded (self->properties_expander, TRUE);
}

void
antenna_composer_load_file (AntennaComposer *self,
                            GFile           *file)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (ANTENNA_IS_COMPOSER (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  set_file_payload (self, NULL, NULL);
  set_loading (self, TRUE);

  name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  label = g_strdup_printf (_("Reading “%s”…"), name);
  gtk_label_set_label (self->file_label, label);
  gtk_progress_bar_set_fraction (self->file_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->file_progress), TRUE);
  gtk_revealer_set_reveal_child (self->file_revealer, TRUE);
  set_editor_text (self, "");
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->payload_view), FALSE);
  _antenna_composer_set_status (self, NULL, NULL);

  antenna_payload_file_load_async (file, on_load_progress_cb, self, self->load_cancellable,
                                   on_file_loaded_cb, g_object_ref (self));
}

gboolean
antenna_composer_get_loading (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), FALSE);

  return self->loading;
}

/* Puts @payload in the editor in the best format, or aside when too large. */
static void
apply_payload (AntennaComposer      *self,
               GBytes               *payload,
               AntennaPayloadFormat  preferred)
{
  AntennaPayloadFormat format = preferred;
  g_autofree char *text = NULL;

  if (g_bytes_get_size (payload) > EDITOR_MAX_BYTES)
    {
      set_editor_text (self, "");
      set_file_payload (self, payload, _("Earlier payload"));
      return;
    }

  if (self->file_payload != NULL)
    set_file_payload (self, NULL, NULL);

  if (format == ANTENNA_PAYLOAD_FORMAT_AUTO)
    format = antenna_payload_detect (payload, EDITOR_MAX_BYTES);

  text = antenna_payload_encode (payload, format, NULL);
  if (text == NULL)
    {
      format = ANTENNA_PAYLOAD_FORMAT_HEX;
      text = antenna_payload_encode (payload, format, NULL);
    }

  /* Set the format first, then the text in it, so nothing is converted. */
  self->switching_format = TRUE;
  set_editor_text (self, "");
  antenna_composer_set_format (self, format);
  self->switching_format = FALSE;
  set_editor_text (self, text);
}

void
antenna_composer_apply_message (AntennaComposer *self,
                                AntennaMessage  *message)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));
  g_return_if_fail (ANTENNA_IS_MESSAGE (message));

  antenna_composer_set_topic (self, antenna_message_get_topic (message));
  antenna_composer_set_qos (self, antenna_message_get_qos (message));
  antenna_composer_set_retain (self, antenna_message_get_retain (message));
  antenna_composer_set_properties (self, antenna_message_get_properties (message));
  apply_payload (self, antenna_message_get_payload (message), ANTENNA_PAYLOAD_FORMAT_AUTO);
  _antenna_composer_set_status (self, NULL, NULL);
}

void
antenna_composer_apply_template (AntennaComposer *self,
                                 AntennaTemplate *template)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));
  g_return_if_fail (ANTENNA_IS_TEMPLATE (template));

  antenna_composer_set_topic (self, antenna_template_get_topic (template));
  antenna_composer_set_qos (self, antenna_template_get_qos (template));
  antenna_composer_set_retain (self, antenna_template_get_retain (template));
  antenna_composer_set_properties (self, antenna_template_get_properties (template));
  apply_payload (self, antenna_template_get_payload (template), antenna_template_get_payload_format (template));
  antenna_composer_set_send_as (self, antenna_template_get_send_as (template));
  _antenna_composer_set_status (self, NULL, NULL);
  _antenna_composer_apply_repeat (self, template);
}

AntennaTemplate *
antenna_composer_save_template (AntennaComposer  *self,
                                const char       *name,
                                GError          **error)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(AntennaProperties) props = NULL;
  g_autoptr(AntennaTemplate) template = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->template_store == NULL)
    bind_templates (self);

  payload = _antenna_composer_dup_template_payload (self, error);
  if (payload == NULL)
    return NULL;

  props = antenna_composer_dup_properties (self);
  stripped = g_strstrip (g_strdup (name));
  template = antenna_template_new (stripped,
                                   antenna_profile_get_id (antenna_client_get_profile (self->client)),
                                   antenna_composer_get_topic (self),
                                   gtk_drop_down_get_selected (self->qos_dropdown),
                                   self->retain,
                                   props, payload,
                                   self->file_payload != NULL ? ANTENNA_PAYLOAD_FORMAT_AUTO : self->format);
  _antenna_composer_save_repeat (self, template);
  if (self->file_payload == NULL && self->format == ANTENNA_PAYLOAD_FORMAT_JSON)
    antenna_template_set_send_as (template, antenna_composer_get_send_as (self));

  if (!antenna_template_store_add (self->template_store, template, error))
    return NULL;

  return g_steal_pointer (&template);
}

GListModel *
antenna_composer_get_history (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  return G_LIST_MODEL (antenna_publish_history_get_for_client (self->client));
}

GListModel *
antenna_composer_list_templates (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  if (self->templates == NULL)
    bind_templates (self);

  return g_object_ref (self->templates);
}

const char *
antenna_composer_get_status (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  return self->status;
}

const char *
antenna_composer_get_topic_error (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  return self->topic_error;
}

const char *
antenna_composer_get_payload_error (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  return self->payload_error;
}

void
antenna_composer_copy_to (AntennaComposer *self,
                          AntennaComposer *other)
{
  g_autoptr(AntennaProperties) props = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (ANTENNA_IS_COMPOSER (self));
  g_return_if_fail (ANTENNA_IS_COMPOSER (other));

  antenna_composer_set_topic (other, antenna_composer_get_topic (self));
  antenna_composer_set_qos (other, gtk_drop_down_get_selected (self->qos_dropdown));
  antenna_composer_set_retain (other, self->retain);
  props = antenna_composer_dup_properties (self);
  antenna_composer_set_properties (other, props);

  if (self->file_payload != NULL)
    set_file_payload (other, self->file_payload, self->file_name);
  else
    {
      other->switching_format = TRUE;
      antenna_composer_set_format (other, self->format);
      other->switching_format = FALSE;
      text = dup_editor_text (self);
      antenna_composer_set_payload_text (other, text);
    }
}
