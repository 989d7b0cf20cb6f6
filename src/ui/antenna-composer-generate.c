/* antenna-composer-generate.c: placeholders in the composer, their preview, and Repeat
 *
 * The topic and a typed payload may hold placeholders (antenna-placeholders.h).
 * They are parsed at each change: an error shows under the payload, where it
 * is typed, and Publish is disabled; else the line under the payload shows
 * the next message as it would go out. Publish expands them (the counter
 * moves on); Repeat starts an AntennaPublishSchedule with the same fields,
 * listed on the connection page.
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
#include "antenna-payload.h"
#include "antenna-properties.h"
#include "antenna-publish-schedule.h"
#include "antenna-template.h"

/* The preview is a line or three, not the payload. */
#define PREVIEW_MAX_BYTES 512

static gboolean
has_error (AntennaComposer *self)
{
  return self->placeholder_error != NULL;
}

static void
set_enabled (AntennaComposer *self)
{
  gboolean ok = !self->loading && !has_error (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.publish", ok);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.start-repeat", ok);
}

/* The payload as a person reads it in the composer's format. */
static char *
preview_payload (AntennaComposer *self,
                 GBytes          *payload)
{
  g_autoptr(GBytes) head = NULL;
  g_autofree char *text = NULL;
  gsize size = g_bytes_get_size (payload);

  head = g_bytes_new_from_bytes (payload, 0, MIN (size, PREVIEW_MAX_BYTES));
  if (self->format == ANTENNA_PAYLOAD_FORMAT_HEX || self->format == ANTENNA_PAYLOAD_FORMAT_BASE64)
    text = antenna_payload_encode (head, self->format, NULL);
  if (text == NULL)
    text = antenna_payload_preview_line (head, PREVIEW_MAX_BYTES);
  if (size > PREVIEW_MAX_BYTES)
    {
      char *longer = g_strconcat (text, "…", NULL);

      g_free (text);
      text = longer;
    }
  return g_steal_pointer (&text);
}

static void
show_preview (AntennaComposer *self)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (self->topic_placeholders != NULL)
    {
      g_autofree char *topic = antenna_placeholders_peek_string (self->topic_placeholders, now);

      /* TRANSLATORS: the next message's topic, its placeholders expanded */
      g_string_append_printf (text, _("Next topic: %s"), topic);
    }
  if (self->payload_placeholders != NULL)
    {
      g_autoptr(GBytes) expanded = NULL;
      g_autoptr(GBytes) payload = antenna_placeholders_peek_expanded (self->payload_placeholders, now,
                                                                      &expanded, &error);
      const AntennaDecoder *send_as = antenna_decoder_find (antenna_composer_get_send_as (self));

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (payload == NULL)
        {
          /* JSON that does not parse once expanded */
          g_string_append_printf (text, _("The next payload: %s"), error->message);
          gtk_widget_add_css_class (GTK_WIDGET (self->preview_label), "error");
        }
      else if (self->format == ANTENNA_PAYLOAD_FORMAT_JSON && send_as != NULL &&
               !g_str_equal (antenna_decoder_get_id (send_as), ANTENNA_DECODER_JSON))
        {
          /* the JSON a person can read, and what it becomes */
          g_autofree char *shown = preview_payload (self, expanded);
          g_autofree char *size = antenna_payload_format_size (g_bytes_get_size (payload));

          /* TRANSLATORS: "Next payload (MessagePack, 23 bytes): {"n": 1}" */
          g_string_append_printf (text, _("Next payload (%s, %s): %s"),
                                  antenna_decoder_get_name (send_as), size, shown);
          gtk_widget_remove_css_class (GTK_WIDGET (self->preview_label), "error");
        }
      else
        {
          g_autofree char *shown = preview_payload (self, payload);

          /* TRANSLATORS: the next message's payload, its placeholders expanded */
          g_string_append_printf (text, _("Next payload: %s"), shown);
          gtk_widget_remove_css_class (GTK_WIDGET (self->preview_label), "error");
        }
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->preview_label), "error");

  gtk_label_set_label (self->preview_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), text->len > 0);
}

/* Placeholders of @text, NULL when it has none; the error in placeholder_error. */
static AntennaPlaceholders *
parse (AntennaComposer      *self,
       const char           *text,
       AntennaPayloadFormat  format,
       const char           *where,
       gboolean              in_editor)
{
  g_autoptr(GError) error = NULL;
  AntennaPayloadSpan span;
  AntennaPlaceholders *placeholders;

  if (!antenna_placeholders_text_has_any (text))
    return NULL;

  placeholders = antenna_placeholders_new_span (text, format, &span, &error);
  if (placeholders == NULL)
    {
      if (self->placeholder_error == NULL)
        /* TRANSLATORS: "Topic: Placeholder “{{x}}” at character 3: unknown placeholder" */
        self->placeholder_error = g_strdup_printf ("%s: %s", where, error->message);
      /* and in the editor, where it was typed */
      if (in_editor)
        _antenna_composer_mark_payload_error (self, &span);
      return NULL;
    }

  if (self->client != NULL)
    antenna_placeholders_set_client_id (placeholders, antenna_client_get_client_id (self->client));
  /* JSON sent as MessagePack or CBOR: encoded after each expansion */
  antenna_placeholders_set_encoder (placeholders, antenna_decoder_find (antenna_composer_get_send_as (self)));
  return placeholders;
}

/* A new template keeps the counter where the old one was. */
static void
replace (AntennaPlaceholders **slot,
         AntennaPlaceholders  *placeholders)
{
  if (*slot != NULL && placeholders != NULL)
    antenna_placeholders_set_index (placeholders, antenna_placeholders_get_index (*slot));
  g_clear_object (slot);
  *slot = placeholders;
}

/* Tints each "{{…}}" of the editor: what will be replaced per message. */
static void
tint_placeholders (AntennaComposer *self,
                   const char      *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view));
  GtkTextIter start, end;
  const char *p = text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "placeholder", &start, &end);
  if (text == NULL)
    return;

  while ((p = strstr (p, "{{")) != NULL)
    {
      const char *close = strstr (p + 2, "}}");

      if (close == NULL)
        break;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) g_utf8_pointer_to_offset (text, p));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) g_utf8_pointer_to_offset (text, close + 2));
      gtk_text_buffer_apply_tag_by_name (buffer, "placeholder", &start, &end);
      p = close + 2;
    }
}

void
_antenna_composer_update_placeholders (AntennaComposer *self)
{
  const char *topic = gtk_editable_get_text (GTK_EDITABLE (self->topic_entry));
  g_autofree char *payload = NULL;

  g_clear_pointer (&self->placeholder_error, g_free);

  replace (&self->topic_placeholders, parse (self, topic, ANTENNA_PAYLOAD_FORMAT_TEXT, _("Topic"), FALSE));
  if (self->file_payload == NULL && !self->loading)
    {
      payload = antenna_composer_dup_payload_text (self);
      replace (&self->payload_placeholders, parse (self, payload, self->format, _("Payload"), TRUE));
    }
  else
    g_clear_object (&self->payload_placeholders);
  tint_placeholders (self, payload);
  _antenna_composer_update_language (self);

  if (self->placeholder_error != NULL)
    {
      gtk_label_set_label (self->preview_label, self->placeholder_error);
      gtk_widget_add_css_class (GTK_WIDGET (self->preview_label), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->preview_label), TRUE);
    }
  else
    show_preview (self);

  set_enabled (self);
}

char *
_antenna_composer_dup_topic_to_check (AntennaComposer *self)
{
  const char *topic = gtk_editable_get_text (GTK_EDITABLE (self->topic_entry));

  if (!antenna_placeholders_text_has_any (topic))
    return g_strdup (topic);

  _antenna_composer_update_placeholders (self);
  if (self->topic_placeholders == NULL)
    return NULL;

  return antenna_placeholders_peek_string (self->topic_placeholders, g_get_real_time ());
}

gboolean
_antenna_composer_expand (AntennaComposer  *self,
                          char            **topic,
                          GBytes          **payload,
                          GError          **error)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GBytes) bytes = NULL;

  if (self->placeholder_error != NULL)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT, self->placeholder_error);
      return FALSE;
    }

  if (self->payload_placeholders != NULL)
    {
      bytes = antenna_placeholders_expand (self->payload_placeholders, now, error);
      if (bytes == NULL)
        return FALSE;
    }
  else
    {
      bytes = antenna_composer_dup_payload (self, error);
      if (bytes == NULL)
        return FALSE;
    }

  if (self->topic_placeholders != NULL)
    *topic = antenna_placeholders_expand_string (self->topic_placeholders, now);
  else
    *topic = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->topic_entry)));
  *payload = g_steal_pointer (&bytes);

  show_preview (self);
  return TRUE;
}

static gboolean
resume_on_reconnect (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  return g_settings_get_boolean (settings, "repeat-resume-on-reconnect");
}

static void
start_repeat_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AntennaComposer *self = ANTENNA_COMPOSER (widget);
  const char *topic = gtk_editable_get_text (GTK_EDITABLE (self->topic_entry));
  g_autofree char *text = NULL;
  g_autofree char *checked = NULL;
  g_autoptr(AntennaProperties) props = NULL;
  g_autoptr(AntennaPublishSchedule) schedule = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  guint interval = gtk_spin_button_get_value_as_int (self->repeat_interval_spin);
  guint64 count = (guint64) gtk_spin_button_get_value (self->repeat_count_spin);
  guint jitter = gtk_spin_button_get_value_as_int (self->repeat_jitter_spin);

  if (self->loading)
    return;

  if (topic[0] == '\0')
    {
      _antenna_composer_set_status (self, _("Type the topic to publish to."), "error");
      return;
    }
  checked = _antenna_composer_dup_topic_to_check (self);
  if (checked == NULL || !_antenna_composer_validate_topic (self))
    {
      if (self->placeholder_error != NULL)
        _antenna_composer_set_status (self, self->placeholder_error, "error");
      return;
    }

  if (self->file_payload == NULL)
    text = antenna_composer_dup_payload_text (self);
  props = antenna_composer_dup_properties (self);
  schedule = antenna_publish_schedule_new (self->client, topic, text, self->file_payload, self->format,
                                           gtk_drop_down_get_selected (self->qos_dropdown), self->retain,
                                           props, interval, count, jitter, &error);
  if (schedule == NULL)
    {
      _antenna_composer_set_status (self, error->message, "error");
      return;
    }

  if (self->format == ANTENNA_PAYLOAD_FORMAT_JSON && text != NULL)
    antenna_publish_schedule_set_encoder (schedule, antenna_decoder_find (antenna_composer_get_send_as (self)));
  antenna_publish_schedule_set_resume_on_reconnect (schedule, resume_on_reconnect ());
  g_list_store_append (antenna_publish_schedule_list_for_client (self->client), schedule);
  antenna_publish_schedule_start (schedule);

  if (count > 0)
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Repeating %u time every %u ms: see Repeats.",
                                           "Repeating %u times every %u ms: see Repeats.", (gulong) count),
                              (guint) count, interval);
  else
    status = g_strdup_printf (_("Repeating every %u ms until stopped: see Repeats."), interval);
  _antenna_composer_set_status (self, status, "success");
}

static void
on_batch_file_chosen_cb (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  g_autoptr(AntennaComposer) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      antenna_composer_publish_batch (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
publish_batch_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Publish a File of Messages"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Publish"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("JSON Lines"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_filter_add_pattern (filter, "*.ndjson");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_batch_file_chosen_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
antenna_composer_publish_batch (AntennaComposer *self,
                                GFile           *file)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));
  g_return_if_fail (G_IS_FILE (file));

  antenna_batch_bar_start (self->batch_bar, self->client, file);
}

const char *
antenna_composer_get_batch_status (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  return antenna_batch_bar_get_text (self->batch_bar);
}

void
_antenna_composer_generate_finalize (AntennaComposer *self)
{
  g_clear_object (&self->topic_placeholders);
  g_clear_object (&self->payload_placeholders);
  g_clear_pointer (&self->placeholder_error, g_free);
}

void
_antenna_composer_class_generate_init (AntennaComposerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, preview_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, repeat_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, repeat_count_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, repeat_jitter_spin);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, repeat_save_check);
  gtk_widget_class_bind_template_child (widget_class, AntennaComposer, batch_bar);
  gtk_widget_class_install_action (widget_class, "composer.start-repeat", NULL, start_repeat_action);
  gtk_widget_class_install_action (widget_class, "composer.publish-batch", NULL, publish_batch_action);
}

const char *
antenna_composer_get_preview (AntennaComposer *self)
{
  g_return_val_if_fail (ANTENNA_IS_COMPOSER (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->preview_label)))
    return NULL;
  return gtk_label_get_label (self->preview_label);
}

void
antenna_composer_set_repeat (AntennaComposer *self,
                             guint            interval_ms,
                             guint64          count,
                             guint            jitter_ms)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  gtk_spin_button_set_value (self->repeat_interval_spin, interval_ms);
  gtk_spin_button_set_value (self->repeat_count_spin, (double) count);
  gtk_spin_button_set_value (self->repeat_jitter_spin, jitter_ms);
}

GBytes *
_antenna_composer_dup_template_payload (AntennaComposer  *self,
                                        GError          **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) checked = NULL;

  /* typed text or JSON with placeholders: kept as typed, expanded when sent */
  if (self->payload_placeholders != NULL &&
      (self->format == ANTENNA_PAYLOAD_FORMAT_TEXT || self->format == ANTENNA_PAYLOAD_FORMAT_JSON))
    {
      text = antenna_composer_dup_payload_text (self);
      return g_bytes_new (text, strlen (text));
    }

  checked = antenna_composer_dup_payload (self, error);
  if (checked == NULL)
    return NULL;

  /* JSON sent as MessagePack or CBOR: kept as typed, encoded when sent (the
   * template keeps which: antenna_template_set_send_as()) */
  if (self->file_payload == NULL && self->format == ANTENNA_PAYLOAD_FORMAT_JSON)
    {
      text = antenna_composer_dup_payload_text (self);
      return g_bytes_new (text, strlen (text));
    }

  return g_steal_pointer (&checked);
}

void
_antenna_composer_save_repeat (AntennaComposer *self,
                               AntennaTemplate *template)
{
  if (!gtk_check_button_get_active (self->repeat_save_check))
    return;

  antenna_template_set_repeat (template,
                               gtk_spin_button_get_value_as_int (self->repeat_interval_spin),
                               (guint64) gtk_spin_button_get_value (self->repeat_count_spin),
                               gtk_spin_button_get_value_as_int (self->repeat_jitter_spin));
}

void
_antenna_composer_apply_repeat (AntennaComposer *self,
                                AntennaTemplate *template)
{
  guint64 count = 0;
  guint jitter = 0;
  guint interval = antenna_template_get_repeat (template, &count, &jitter);
  g_autofree char *status = NULL;

  gtk_check_button_set_active (self->repeat_save_check, interval > 0);
  if (interval == 0)
    return;

  antenna_composer_set_repeat (self, interval, count, jitter);
  /* started by the person, never by itself */
  status = g_strdup_printf (_("This template repeats every %u ms: Repeat → Start Repeating sends it."), interval);
  _antenna_composer_set_status (self, status, "dim-label");
}

void
antenna_composer_set_save_repeat (AntennaComposer *self,
                                  gboolean         save)
{
  g_return_if_fail (ANTENNA_IS_COMPOSER (self));

  gtk_check_button_set_active (self->repeat_save_check, save);
}
