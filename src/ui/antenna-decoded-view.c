/* antenna-decoded-view.c: a message's payload through a decoder, as a tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-decoded-view"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-accessible.h"
#include "antenna-decoded-view.h"
#include "antenna-decoder.h"
#include "antenna-decoder-context.h"
#include "antenna-decoder-rule.h"
#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-payload.h"
#include "antenna-profile.h"
#include "antenna-proto-schema.h"
#include "antenna-topic.h"
#include "antenna-value-item.h"

/* The raw bytes shown beside an error: the first 64 KiB, in hex. */
#define RAW_MAX_BYTES (64 * 1024)
/* A tree of at most this many values opens fully expanded. */
#define AUTOEXPAND_MAX_NODES 200

struct _AntennaDecodedView
{
  AdwBin                 parent_instance;

  /* Template Widgets */
  GtkDropDown           *decoder_dropdown;
  GtkStringList         *decoder_names;
  GtkDropDown           *type_dropdown;
  GtkStringList         *type_names;
  GtkLabel              *reason_label;
  GtkLabel              *notes_label;
  GtkStack              *content_stack;
  GtkListView           *list_view;
  GtkNoSelection        *selection;
  GtkLabel              *error_label;
  GtkTextView           *raw_view;
  GtkEditable           *filter_entry;
  GtkMenuButton         *filter_button;

  /* Owned References */
  AntennaMessage        *message;
  AntennaDecoderContext *context;
  GCancellable          *cancellable;
  AntennaDecoded        *decoded;
  char                  *decoder;       /* picked by a person, "" automatic */
  char                  *message_type;
  char                  *error;
  char                  *shown_decoder;
  char                  *shown_type;

  gboolean               busy;
  gboolean               stale;         /* the message changed while unmapped */
  gboolean               updating_type;
};

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_CONTEXT,
  PROP_DECODER,
  PROP_MESSAGE_TYPE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaDecodedView, antenna_decoded_view, ADW_TYPE_BIN)

/* The decoded tree's rows are built from antenna-value-row.ui; this names
 * each row for a screen reader as it binds ("temperature: 21.5"), since
 * GTK 4.8 gives a list row no name of its own. */
static char *
value_row_label (gpointer    unused,
                 GtkWidget  *child,
                 const char *key,
                 const char *display)
{
  g_autofree char *label = NULL;

  if (key == NULL || key[0] == '\0')
    label = g_strdup (display != NULL ? display : "");
  else
    /* TRANSLATORS: a node of a decoded payload, read by a screen reader: "temperature: 21.5" */
    label = g_strdup_printf (_("%s: %s"), key, display != NULL ? display : "");
  if (child != NULL)
    antenna_accessible_set_row_label (child, label);
  return g_steal_pointer (&label);
}

typedef struct
{
  const AntennaDecoder  *decoder;
  AntennaDecoderRule    *rule;
  AntennaDecoderContext *context;     /* a private one: the schema alone */
  AntennaMessage        *message;
  AntennaDecoded        *decoded;
} DecodeJob;

static void
decode_job_free (DecodeJob *job)
{
  g_clear_object (&job->rule);
  g_clear_object (&job->context);
  g_clear_object (&job->message);
  g_clear_pointer (&job->decoded, antenna_decoded_unref);
  g_free (job);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeJob *job = task_data;
  GError *error = NULL;

  job->decoded = antenna_decoder_decode (job->decoder, antenna_message_get_payload (job->message),
                                         antenna_message_get_topic (job->message), job->message,
                                         job->rule, job->context, NULL, &error);
  if (job->decoded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
set_busy (AntennaDecodedView *self,
          gboolean            busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static guint
count_nodes (AntennaValue *value,
             guint         budget)
{
  guint n = 1;
  guint children = antenna_value_get_n_children (value);

  for (guint i = 0; i < children && n <= budget; i++)
    n += count_nodes (antenna_value_get_child (value, i), budget - n);
  return n;
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  return antenna_value_item_dup_children (ANTENNA_VALUE_ITEM (item));
}

static void
set_reason (AntennaDecodedView   *self,
            const char           *what,
            AntennaDecoderReason  reason,
            AntennaDecoderRule   *rule)
{
  g_autofree char *why = antenna_decoder_describe_reason (reason, rule);
  /* Translators: "MessagePack · Rule “plant/+/state”": the decoder, then why */
  g_autofree char *text = g_strdup_printf (_("%s · %s"), what, why);

  gtk_label_set_label (self->reason_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reason_label), text);
}

static void
show_error (AntennaDecodedView *self,
            const char         *message)
{
  GBytes *payload = antenna_message_get_payload (self->message);
  gboolean truncated = FALSE;
  g_autofree char *hex = antenna_payload_format (payload, ANTENNA_PAYLOAD_FORMAT_HEX, RAW_MAX_BYTES, &truncated, NULL);

  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->raw_view), hex, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), truncated);
  if (truncated)
    gtk_label_set_label (self->notes_label, _("Only the first 64 KiB of the payload are shown."));
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  gtk_no_selection_set_model (self->selection, NULL);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
}

static void
show_decoded (AntennaDecodedView *self,
              AntennaDecoded     *decoded)
{
  AntennaValue *value = antenna_decoded_get_value (decoded);
  AntennaValueKind kind = antenna_value_get_kind (value);
  const char * const *notes = antenna_decoded_get_notes (decoded);
  g_autoptr(GListModel) root = NULL;
  GtkTreeListModel *tree;

  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->decoded, antenna_decoded_unref);
  self->decoded = antenna_decoded_ref (decoded);

  if ((kind == ANTENNA_VALUE_MAP || kind == ANTENNA_VALUE_ARRAY) && antenna_value_get_n_children (value) > 0)
    {
      g_autoptr(AntennaValueItem) top = antenna_value_item_new ("", value);

      root = antenna_value_item_dup_children (top);
    }
  else
    {
      g_autoptr(AntennaValueItem) item = antenna_value_item_new (_("Value"), value);
      GListStore *store = g_list_store_new (ANTENNA_TYPE_VALUE_ITEM);

      g_list_store_append (store, item);
      root = G_LIST_MODEL (store);
    }

  tree = gtk_tree_list_model_new (g_steal_pointer (&root), FALSE,
                                  count_nodes (value, AUTOEXPAND_MAX_NODES) <= AUTOEXPAND_MAX_NODES,
                                  create_children_cb, NULL, NULL);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (tree));
  g_object_unref (tree);

  if (notes != NULL && notes[0] != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", (char **) notes);

      gtk_label_set_label (self->notes_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->notes_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->notes_label), FALSE);

  gtk_stack_set_visible_child_name (self->content_stack, "tree");
}

static void
decode_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AntennaDecodedView *self = ANTENNA_DECODED_VIEW (object);
  DecodeJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error (self, error->message);
    }
  else
    show_decoded (self, job->decoded);

  set_busy (self, FALSE);
}

/* The rule a person's choice stands for: the decoder and its options. */
static AntennaDecoderRule *
chosen_rule (AntennaDecodedView *self,
             const char         *filter)
{
  AntennaDecoderRule *rule = antenna_decoder_rule_new (filter, self->decoder);

  if (g_str_equal (self->decoder, ANTENNA_DECODER_PROTOBUF))
    antenna_decoder_rule_set_message_type (rule, self->message_type);
  return rule;
}

/* The message types of the connection's .proto files in the second
 * drop-down, shown while Protocol Buffers is picked. */
static void
update_types (AntennaDecodedView *self)
{
  gboolean protobuf = g_strcmp0 (self->shown_decoder, ANTENNA_DECODER_PROTOBUF) == 0;
  g_auto(GStrv) types = NULL;
  guint selected = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->type_dropdown), protobuf);
  if (!protobuf || self->context == NULL)
    return;

  {
    AntennaProtoSchema *schema = antenna_decoder_context_get_schema (self->context, NULL);

    if (schema != NULL)
      types = antenna_proto_schema_list_messages (schema);
  }

  self->updating_type = TRUE;
  gtk_string_list_splice (self->type_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->type_names)),
                          (const char * const []) { _("Wire Format"), NULL });
  if (types != NULL)
    {
      gtk_string_list_splice (self->type_names, 1, 0, (const char * const *) types);
      for (guint i = 0; types[i] != NULL; i++)
        if (g_strcmp0 (types[i], self->shown_type) == 0)
          selected = i + 1;
    }
  gtk_drop_down_set_selected (self->type_dropdown, selected);
  self->updating_type = FALSE;
}

static void
set_shown (AntennaDecodedView   *self,
           const AntennaDecoder *decoder,
           AntennaDecoderRule   *rule)
{
  const char *type = rule != NULL ? antenna_decoder_rule_get_message_type (rule) : "";

  g_free (self->shown_decoder);
  self->shown_decoder = g_strdup (decoder != NULL ? antenna_decoder_get_id (decoder) : NULL);
  g_free (self->shown_type);
  self->shown_type = g_strdup (type);
  update_types (self);
}

static void
start_decode (AntennaDecodedView *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(AntennaDecoderRule) picked = NULL;
  g_autoptr(GError) schema_error = NULL;
  AntennaDecoderReason reason = ANTENNA_DECODER_REASON_CHOSEN;
  AntennaDecoderRule *rule = NULL;
  const AntennaDecoder *decoder = NULL;
  AntennaProtoSchema *schema = NULL;
  GBytes *payload;
  DecodeJob *job;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->stale = FALSE;

  if (self->message == NULL || self->context == NULL)
    {
      set_busy (self, FALSE);
      return;
    }

  payload = antenna_message_get_payload (self->message);
  if (self->decoder[0] != '\0')
    {
      decoder = antenna_decoder_find (self->decoder);
      picked = chosen_rule (self, antenna_message_get_topic (self->message));
      rule = picked;
    }
  if (decoder == NULL)
    decoder = antenna_decoder_choose (antenna_decoder_context_get_rules (self->context),
                                      antenna_message_get_topic (self->message), payload, &reason, &rule);

  set_shown (self, decoder, rule);
  set_reason (self, antenna_decoder_get_name (decoder), reason, reason == ANTENNA_DECODER_REASON_RULE ? rule : NULL);

  /* A schema is read here, once per change of the files: its errors
   * (a missing import, an unknown type) are the message's error. */
  if (g_str_equal (antenna_decoder_get_id (decoder), ANTENNA_DECODER_PROTOBUF) &&
      rule != NULL && antenna_decoder_rule_get_message_type (rule)[0] != '\0')
    {
      schema = antenna_decoder_context_get_schema (self->context, &schema_error);
      if (schema == NULL)
        {
          show_error (self, schema_error->message);
          set_busy (self, FALSE);
          return;
        }
    }

  /* Sparkplug needs the connection's model (the aliases of the births),
   * which lives on the main thread; its payloads are small. */
  if (g_str_equal (antenna_decoder_get_id (decoder), ANTENNA_DECODER_SPARKPLUG))
    {
      g_autoptr(AntennaDecoded) decoded = NULL;
      g_autoptr(GError) error = NULL;

      decoded = antenna_decoder_decode (decoder, payload, antenna_message_get_topic (self->message),
                                        self->message, rule, self->context, NULL, &error);
      if (decoded == NULL)
        show_error (self, error->message);
      else
        show_decoded (self, decoded);
      set_busy (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  job = g_new0 (DecodeJob, 1);
  job->decoder = decoder;
  job->rule = rule != NULL ? antenna_decoder_rule_copy (rule) : NULL;
  job->message = g_object_ref (self->message);
  job->context = antenna_decoder_context_new (NULL);
  if (schema != NULL)
    antenna_decoder_context_set_schema (job->context, schema);

  task = g_task_new (self, self->cancellable, decode_cb, NULL);
  g_task_set_source_tag (task, start_decode);
  g_task_set_task_data (task, job, (GDestroyNotify) decode_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, decode_thread);
  set_busy (self, TRUE);
}

/* Decodes now when shown, else when next mapped. */
static void
queue_decode (AntennaDecodedView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_decode (self);
  else
    {
      g_cancellable_cancel (self->cancellable);
      set_busy (self, FALSE);
      self->stale = TRUE;
    }
}

static void
on_decoder_selected_cb (AntennaDecodedView *self)
{
  guint selected = gtk_drop_down_get_selected (self->decoder_dropdown);
  const AntennaDecoder * const *list = antenna_decoder_list ();

  if (selected == GTK_INVALID_LIST_POSITION)
    return;
  antenna_decoded_view_set_decoder (self, selected == 0 ? "" : antenna_decoder_get_id (list[selected - 1]));
}

static void
on_type_selected_cb (AntennaDecodedView *self)
{
  guint selected = gtk_drop_down_get_selected (self->type_dropdown);

  if (self->updating_type || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (selected == 0)
    antenna_decoded_view_set_message_type (self, "");
  else
    antenna_decoded_view_set_message_type (self, gtk_string_list_get_string (self->type_names, selected));
  /* Choosing a type is choosing Protocol Buffers for this message. */
  if (self->decoder[0] == '\0')
    antenna_decoded_view_set_decoder (self, ANTENNA_DECODER_PROTOBUF);
}

static void
use_for_topic_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AntennaDecodedView *self = ANTENNA_DECODED_VIEW (widget);

  if (self->message != NULL)
    antenna_decoded_view_add_rule (self, antenna_message_get_topic (self->message));
}

static void
use_for_filter_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AntennaDecodedView *self = ANTENNA_DECODED_VIEW (widget);

  if (antenna_decoded_view_add_rule (self, gtk_editable_get_text (self->filter_entry)))
    gtk_menu_button_popdown (self->filter_button);
}

static void
on_filter_popover_show_cb (AntennaDecodedView *self)
{
  if (self->message != NULL && gtk_editable_get_text (self->filter_entry)[0] == '\0')
    gtk_editable_set_text (self->filter_entry, antenna_message_get_topic (self->message));
}

static void
antenna_decoded_view_map (GtkWidget *widget)
{
  AntennaDecodedView *self = ANTENNA_DECODED_VIEW (widget);

  GTK_WIDGET_CLASS (antenna_decoded_view_parent_class)->map (widget);

  if (self->stale)
    start_decode (self);
}

static void
antenna_decoded_view_dispose (GObject *object)
{
  AntennaDecodedView *self = ANTENNA_DECODED_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), ANTENNA_TYPE_DECODED_VIEW);
  g_clear_object (&self->message);
  g_clear_object (&self->context);
  g_clear_pointer (&self->decoded, antenna_decoded_unref);

  G_OBJECT_CLASS (antenna_decoded_view_parent_class)->dispose (object);
}

static void
antenna_decoded_view_finalize (GObject *object)
{
  AntennaDecodedView *self = ANTENNA_DECODED_VIEW (object);

  g_clear_pointer (&self->decoder, g_free);
  g_clear_pointer (&self->message_type, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->shown_decoder, g_free);
  g_clear_pointer (&self->shown_type, g_free);

  G_OBJECT_CLASS (antenna_decoded_view_parent_class)->finalize (object);
}

static void
antenna_decoded_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AntennaDecodedView *self = ANTENNA_DECODED_VIEW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;

    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_DECODER:
      g_value_set_string (value, self->decoder);
      break;

    case PROP_MESSAGE_TYPE:
      g_value_set_string (value, self->message_type);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_decoded_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AntennaDecodedView *self = ANTENNA_DECODED_VIEW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      antenna_decoded_view_set_message (self, g_value_get_object (value));
      break;

    case PROP_CONTEXT:
      antenna_decoded_view_set_context (self, g_value_get_object (value));
      break;

    case PROP_DECODER:
      antenna_decoded_view_set_decoder (self, g_value_get_string (value));
      break;

    case PROP_MESSAGE_TYPE:
      antenna_decoded_view_set_message_type (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_decoded_view_class_init (AntennaDecodedViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = antenna_decoded_view_dispose;
  object_class->finalize = antenna_decoded_view_finalize;
  object_class->get_property = antenna_decoded_view_get_property;
  object_class->set_property = antenna_decoded_view_set_property;
  widget_class->map = antenna_decoded_view_map;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, ANTENNA_TYPE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ANTENNA_TYPE_DECODER_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DECODER] =
    g_param_spec_string ("decoder", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE_TYPE] =
    g_param_spec_string ("message-type", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ANTENNA_TYPE_VALUE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/antennamqtt/Antenna/antenna-decoded-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, decoder_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, decoder_names);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, type_names);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, reason_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, notes_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, list_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, selection);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, error_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, raw_view);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, AntennaDecodedView, filter_button);
  gtk_widget_class_bind_template_callback (widget_class, on_decoder_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_type_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_popover_show_cb);

  gtk_widget_class_install_action (widget_class, "decoded.use-for-topic", NULL, use_for_topic_action);
  gtk_widget_class_install_action (widget_class, "decoded.use-for-filter", NULL, use_for_filter_action);
}

static void
antenna_decoded_view_init (AntennaDecodedView *self)
{
  const AntennaDecoder * const *list = antenna_decoder_list ();
  g_autoptr(GtkBuilderScope) scope = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;

  self->decoder = g_strdup ("");
  self->message_type = g_strdup ("");

  gtk_widget_init_template (GTK_WIDGET (self));

  scope = gtk_builder_cscope_new ();
  gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope), "value_row_label", G_CALLBACK (value_row_label));
  factory = gtk_builder_list_item_factory_new_from_resource (scope, RESOURCE_PREFIX "/antenna-value-row.ui");
  gtk_list_view_set_factory (self->list_view, factory);

  for (guint i = 0; list[i] != NULL; i++)
    gtk_string_list_append (self->decoder_names, antenna_decoder_get_name (list[i]));
}

GtkWidget *
antenna_decoded_view_new (void)
{
  return g_object_new (ANTENNA_TYPE_DECODED_VIEW, NULL);
}

void
antenna_decoded_view_set_message (AntennaDecodedView *self,
                                  AntennaMessage     *message)
{
  g_return_if_fail (ANTENNA_IS_DECODED_VIEW (self));
  g_return_if_fail (message == NULL || ANTENNA_IS_MESSAGE (message));

  if (!g_set_object (&self->message, message))
    return;
  queue_decode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
antenna_decoded_view_set_context (AntennaDecodedView    *self,
                                  AntennaDecoderContext *context)
{
  gboolean has_profile;

  g_return_if_fail (ANTENNA_IS_DECODED_VIEW (self));
  g_return_if_fail (context == NULL || ANTENNA_IS_DECODER_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;
  /* No profile (a capture's page): no rules to add a rule to. */
  has_profile = context != NULL && antenna_decoder_context_get_profile (context) != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decoded.use-for-topic", has_profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decoded.use-for-filter", has_profile);
  gtk_widget_set_sensitive (GTK_WIDGET (self->filter_button), has_profile);
  queue_decode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

void
antenna_decoded_view_set_decoder (AntennaDecodedView *self,
                                  const char         *decoder)
{
  const AntennaDecoder * const *list = antenna_decoder_list ();
  guint selected = 0;

  g_return_if_fail (ANTENNA_IS_DECODED_VIEW (self));

  if (decoder == NULL || antenna_decoder_find (decoder) == NULL)
    decoder = "";
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (antenna_decoder_get_id (list[i]), decoder))
      selected = i + 1;
  if (gtk_drop_down_get_selected (self->decoder_dropdown) != selected)
    gtk_drop_down_set_selected (self->decoder_dropdown, selected);

  if (g_str_equal (self->decoder, decoder))
    return;
  g_free (self->decoder);
  self->decoder = g_strdup (decoder);
  queue_decode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECODER]);
}

const char *
antenna_decoded_view_get_decoder (AntennaDecodedView *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), NULL);

  return self->decoder;
}

void
antenna_decoded_view_set_message_type (AntennaDecodedView *self,
                                       const char         *message_type)
{
  g_return_if_fail (ANTENNA_IS_DECODED_VIEW (self));

  if (message_type == NULL)
    message_type = "";
  if (g_str_equal (self->message_type, message_type))
    return;
  g_free (self->message_type);
  self->message_type = g_strdup (message_type);
  if (self->decoder[0] != '\0')
    queue_decode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE_TYPE]);
}

gboolean
antenna_decoded_view_get_busy (AntennaDecodedView *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), FALSE);

  return self->busy;
}

gboolean
antenna_decoded_view_add_rule (AntennaDecodedView *self,
                               const char         *filter)
{
  g_autoptr(AntennaDecoderRule) rule = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *toast = NULL;
  AntennaProfile *profile;
  GListModel *rules;
  guint n;

  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), FALSE);
  g_return_val_if_fail (filter != NULL, FALSE);

  profile = self->context != NULL ? antenna_decoder_context_get_profile (self->context) : NULL;
  if (profile == NULL || self->shown_decoder == NULL)
    return FALSE;

  if (!antenna_topic_validate_filter (filter, -1, &error))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "page.show-toast", "s", error->message);
      return FALSE;
    }

  rule = antenna_decoder_rule_new (filter, self->shown_decoder);
  if (g_str_equal (self->shown_decoder, ANTENNA_DECODER_PROTOBUF))
    antenna_decoder_rule_set_message_type (rule, self->shown_type);

  /* The same filter's rule gives way; a new one goes first, since the
   * first rule that matches wins and a person's latest word counts. */
  rules = antenna_profile_get_decoder_rules (profile);
  n = g_list_model_get_n_items (rules);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaDecoderRule) old = g_list_model_get_item (rules, i);

      if (g_str_equal (antenna_decoder_rule_get_filter (old), filter))
        {
          antenna_profile_remove_decoder_rule (profile, i);
          break;
        }
    }
  antenna_profile_insert_decoder_rule (profile, 0, rule);

  /* Translators: "Messages on “plant/#” are decoded as MessagePack" */
  toast = g_strdup_printf (_("Messages on “%s” are decoded as %s"), filter,
                           antenna_decoder_get_name (antenna_decoder_find (self->shown_decoder)));
  gtk_widget_activate_action (GTK_WIDGET (self), "page.show-toast", "s", toast);

  /* Shown by the rule from now on. */
  antenna_decoded_view_set_decoder (self, "");
  queue_decode (self);
  return TRUE;
}

const char *
antenna_decoded_view_get_shown_decoder (AntennaDecodedView *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), NULL);

  return self->shown_decoder;
}

char *
antenna_decoded_view_dup_json (AntennaDecodedView *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), NULL);

  if (self->error != NULL || self->decoded == NULL)
    return NULL;
  return antenna_value_to_json (antenna_decoded_get_value (self->decoded), FALSE);
}

const char *
antenna_decoded_view_get_error (AntennaDecodedView *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), NULL);

  return self->error;
}

char *
antenna_decoded_view_dup_raw_text (AntennaDecodedView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->raw_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GtkWidget *
antenna_decoded_view_get_list_view (AntennaDecodedView *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), NULL);

  return GTK_WIDGET (self->list_view);
}

GtkWidget *
antenna_decoded_view_get_reason_label (AntennaDecodedView *self)
{
  g_return_val_if_fail (ANTENNA_IS_DECODED_VIEW (self), NULL);

  return GTK_WIDGET (self->reason_label);
}
