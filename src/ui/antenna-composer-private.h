/* antenna-composer-private.h: what the composer's files share
 *
 * antenna-composer.c: the widget, its template, the payload, topic and
 * templates, and most of the public API; antenna-composer-publish.c:
 * publishing, and the queue while disconnected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "antenna-batch-bar.h"
#include "antenna-composer.h"
#include "antenna-placeholders.h"
#include "antenna-properties-editor.h"
#include "antenna-publish-history-popover.h"
#include "antenna-templates-popover.h"

G_BEGIN_DECLS

struct _AntennaComposer
{
  AdwBin                        parent_instance;

  /* Template Widgets */
  GtkEntry                     *topic_entry;
  GtkLabel                     *topic_error_label;
  GtkDropDown                  *qos_dropdown;
  AntennaPublishHistoryPopover *history_popover;
  AntennaTemplatesPopover      *templates_popover;
  GtkDropDown                  *format_dropdown;
  GtkDropDown                  *send_as_dropdown;   /* JSON as typed, MessagePack, CBOR */
  GtkLabel                     *size_label;
  GtkRevealer                  *file_revealer;
  GtkLabel                     *file_label;
  GtkProgressBar               *file_progress;
  GtkSourceView                *payload_view;
  GtkExpander                  *properties_expander;
  AntennaPropertiesEditor      *properties_editor;
  GtkRevealer                  *offline_revealer;
  GtkLabel                     *offline_label;
  GtkLabel                     *status_label;
  GtkLabel                     *preview_label;
  GtkSpinButton                *repeat_interval_spin;
  GtkSpinButton                *repeat_count_spin;
  GtkSpinButton                *repeat_jitter_spin;
  GtkCheckButton               *repeat_save_check;
  AntennaBatchBar              *batch_bar;

  /* Owned References */
  AntennaClient                *client;
  AntennaTopicTree             *topic_tree;
  AntennaTemplateStore         *template_store;
  GListModel                   *templates;
  /* A payload from a file (or a large history entry): sent instead of the editor's text. */
  GBytes                       *file_payload;
  char                         *file_name;
  GCancellable                 *load_cancellable;
  /* Held until the connection is back (the person chose to queue them). */
  GQueue                        pending;
  /* The message the composer asks about: queue it, or not? */
  AntennaMessage               *offered;
  GtkEntryCompletion           *completion;
  GtkListStore                 *completion_store;
  char                         *completion_prefix;
  char                         *status;
  char                         *topic_error;
  char                         *payload_error;
  /* The topic's and the editor's placeholders (NULL: none, or an error in
   * placeholder_error); the preview shows their next expansion. */
  AntennaPlaceholders          *topic_placeholders;
  AntennaPlaceholders          *payload_placeholders;
  char                         *placeholder_error;

  AntennaPayloadFormat          format;
  guint                         generation;
  guint                         detachable : 1;
  guint                         loading : 1;
  guint                         retain : 1;
  guint                         switching_format : 1;
};

/* antenna-composer.c */
/* The line under the composer: @status (NULL: none) in @css_class. */
void     _antenna_composer_set_status          (AntennaComposer      *self,
                                                const char           *status,
                                                const char           *css_class);
/* Whether the topic (and the MQTT 5 response topic) can be published to;
 * if not, :status says why. */
gboolean _antenna_composer_validate_topic      (AntennaComposer      *self);
/* Marks the characters of @span (NULL: none) in the editor as wrong. */
void     _antenna_composer_mark_payload_error  (AntennaComposer          *self,
                                                const AntennaPayloadSpan *span);
/* JSON highlighting for a JSON payload without placeholders, none else. */
void     _antenna_composer_update_language     (AntennaComposer      *self);
void     _antenna_composer_emit_published      (AntennaComposer      *self,
                                                AntennaMessage       *message);

/* antenna-composer-publish.c */
/* Installs composer.publish, composer.queue-pending and composer.discard-pending. */
void     _antenna_composer_class_publish_init  (AntennaComposerClass *klass);
/* Sends what was queued once the client is connected. */
void     _antenna_composer_publish_constructed (AntennaComposer      *self);

/* antenna-composer-generate.c */
/* Installs composer.start-repeat. */
void     _antenna_composer_class_generate_init (AntennaComposerClass *klass);
/* Parses the topic's and the editor's placeholders again, shows the next
 * expansion under the payload or the error, and enables composer.publish
 * and composer.start-repeat only without an error. */
void     _antenna_composer_update_placeholders (AntennaComposer      *self);
/* The topic to check against MQTT's rules: the next expansion when it has
 * placeholders. NULL when they do not parse (placeholder_error says why). */
char    *_antenna_composer_dup_topic_to_check  (AntennaComposer      *self);
/* The topic and payload of the next message, placeholders expanded (and
 * moved on to the one after). */
gboolean _antenna_composer_expand              (AntennaComposer      *self,
                                                char                **topic,
                                                GBytes              **payload,
                                                GError              **error);
void     _antenna_composer_generate_finalize   (AntennaComposer      *self);
/* Templates: the payload to save (the typed text when it has
 * placeholders), the repeat to save with it (when asked), the repeat of a
 * template applied. */
GBytes  *_antenna_composer_dup_template_payload (AntennaComposer     *self,
                                                GError             **error);
void     _antenna_composer_save_repeat          (AntennaComposer     *self,
                                                AntennaTemplate     *template);
void     _antenna_composer_apply_repeat         (AntennaComposer     *self,
                                                AntennaTemplate     *template);

G_END_DECLS
