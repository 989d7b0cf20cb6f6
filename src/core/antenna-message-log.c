/* antenna-message-log.c: a bounded GListModel of AntennaMessage in arrival order
 *
 * Two rings of message references with absolute positions:
 * - the window: the newest :limit messages, whatever the filter;
 * - the view: the messages of the window that pass the filter, in order.
 * The model shows the view positions [shown_low, shown_low + shown_n), which
 * change only on flush; view_current is the first view position still in
 * the window. Messages evicted from the window since the last flush stay in
 * the view until the flush announces their removal, so get_item() always
 * matches what items-changed said. Messages that arrive after a flush and
 * leave the window before the next one are dropped unseen (only counted),
 * so the memory held stays bounded even when nobody calls flush (a hidden
 * page), and the log never emits items-changed outside a flush.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-message-log"

#include "config.h"

#include <string.h>

#include "antenna-decoder-context.h"
#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-message-ring.h"
#include "antenna-topic.h"

struct _AntennaMessageLog
{
  GObject             parent_instance;

  AntennaMessageRing  window;
  AntennaMessageRing  view;
  guint64             view_current;
  guint64             shown_low;
  guint               shown_n;

  guint64             total_count;
  guint64             total_count_notified;
  guint               n_items_notified;
  guint               limit;

  char               *topic_filter;        /* NULL: none */
  char               *text;                /* ASCII-lowercased; NULL: none */
  char               *text_original;       /* as given */
  gsize               text_len;
  AntennaDecoderContext *decoder_context;  /* nullable */
  guint               topic_filter_is_mqtt : 1;
  guint               paused : 1;
};

enum {
  PROP_0,
  PROP_LIMIT,
  PROP_PAUSED,
  PROP_TOTAL_COUNT,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void antenna_message_log_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AntennaMessageLog, antenna_message_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, antenna_message_log_model_init))

/* Whether @haystack contains @needle, ignoring ASCII case. */
static gboolean
contains_ignoring_ascii_case (const char *haystack,
                              gsize       haystack_len,
                              const char *needle,
                              gsize       needle_len)
{
  guchar first_lower, first_upper;
  const char *last;

  if (needle_len == 0)
    return TRUE;
  if (haystack_len < needle_len)
    return FALSE;

  first_lower = g_ascii_tolower (needle[0]);
  first_upper = g_ascii_toupper (needle[0]);
  last = haystack + haystack_len - needle_len;

  for (const char *p = haystack; p <= last; p++)
    {
      if ((guchar) *p != first_lower && (guchar) *p != first_upper)
        continue;
      if (g_ascii_strncasecmp (p, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
log_payload_contains (AntennaMessageLog *self,
                      AntennaMessage    *message)
{
  GBytes *payload = antenna_message_get_payload (message);
  const char *data;
  const char *valid_end;
  gsize size = 0;
  gsize n;

  if (payload == NULL)
    return FALSE;

  /* A payload the connection decodes (a rule, Sparkplug) is searched in
   * its decoded value, as the person sees it. */
  if (self->decoder_context != NULL &&
      antenna_decoder_context_claim (self->decoder_context, antenna_message_get_topic (message), NULL) != NULL)
    {
      g_autofree char *text = antenna_decoder_context_dup_search_text (self->decoder_context, message);

      if (text != NULL)
        return contains_ignoring_ascii_case (text, strlen (text), self->text, self->text_len);
    }

  data = g_bytes_get_data (payload, &size);
  if (size < self->text_len)
    return FALSE;

  /* A bounded search: a 256 MB payload costs no more than 64 KiB. */
  n = MIN (size, ANTENNA_MESSAGE_LOG_TEXT_SEARCH_LIMIT);
  if (!g_utf8_validate_len (data, n, &valid_end))
    {
      /* Text cut at the bound may end inside a character; anything else
       * invalid is not text. */
      if (n == size || (gsize) ((data + n) - valid_end) >= 4)
        return FALSE;
      n = valid_end - data;
    }

  return contains_ignoring_ascii_case (data, n, self->text, self->text_len);
}

static gboolean
log_matches (AntennaMessageLog *self,
             AntennaMessage    *message)
{
  if (self->topic_filter != NULL)
    {
      const char *topic = antenna_message_get_topic (message);

      if (self->topic_filter_is_mqtt)
        {
          if (!antenna_topic_matches (self->topic_filter, topic))
            return FALSE;
        }
      else if (!contains_ignoring_ascii_case (topic, strlen (topic),
                                              self->topic_filter,
                                              strlen (self->topic_filter)))
        return FALSE;
    }

  if (self->text != NULL && !log_payload_contains (self, message))
    return FALSE;

  return TRUE;
}

/* Drops the view's messages that are neither shown nor in the window. */
static void
log_trim_view (AntennaMessageLog *self)
{
  guint64 keep = MIN (self->shown_low, self->view_current);

  while (self->view.low < keep)
    g_object_unref (antenna_message_ring_pop (&self->view));
}

/* Removes the oldest message of the window (and from the view's current part). */
static void
log_evict (AntennaMessageLog *self)
{
  g_autoptr(AntennaMessage) evicted = antenna_message_ring_pop (&self->window);

  /* The view is a subsequence of the window: the window's oldest message is
   * either the view's oldest current one or filtered out. */
  if (self->view_current < self->view.high &&
      antenna_message_ring_get (&self->view, self->view_current) == evicted)
    {
      self->view_current++;
      log_trim_view (self);
    }
}

/* Drops the view's messages between those shown and the window's: they
 * arrived after the last flush and were evicted before the next. The shown
 * messages move up to just below the window's, keeping their order, so the
 * model's positions still give the same messages. Called once the gap holds
 * :limit messages, this is O(1) per message amortised, and the view holds
 * at most three times :limit messages whether or not anyone flushes. */
static void
log_drop_unshown (AntennaMessageLog *self)
{
  guint64 shown_high = self->shown_low + self->shown_n;
  guint64 new_low = self->view_current - self->shown_n;
  AntennaMessageRing *view = &self->view;

  g_assert (self->view_current >= shown_high);

  for (guint64 pos = shown_high; pos < self->view_current; pos++)
    {
      g_object_unref (view->buf[pos & view->mask]);
      view->buf[pos & view->mask] = NULL;
    }

  /* Downwards: the destination is above the source. */
  for (guint i = self->shown_n; i > 0; i--)
    {
      guint64 from = self->shown_low + i - 1;
      guint64 to = new_low + i - 1;

      view->buf[to & view->mask] = view->buf[from & view->mask];
      if (from < new_low)
        view->buf[from & view->mask] = NULL;
    }

  for (guint64 pos = view->low; pos < MIN (self->shown_low, new_low); pos++)
    g_clear_object (&view->buf[pos & view->mask]);

  view->low = new_low;
  self->shown_low = new_low;
}

static void
log_notify_counts (AntennaMessageLog *self)
{
  if (self->total_count != self->total_count_notified)
    {
      self->total_count_notified = self->total_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_COUNT]);
    }

  if (self->shown_n != self->n_items_notified)
    {
      self->n_items_notified = self->shown_n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void
log_add (AntennaMessageLog *self,
         AntennaMessage    *message)
{
  self->total_count++;

  if (self->paused)
    return;

  antenna_message_ring_push (&self->window, message);
  if (antenna_message_ring_length (&self->window) > self->limit)
    log_evict (self);

  if (log_matches (self, message))
    {
      antenna_message_ring_push (&self->view, message);

      /* Without a flush for a while (a hidden page, a flood faster than the
       * view), messages that arrived since the last flush and already left
       * the window pile up: they will never be shown, so forget them. */
      if (self->view_current >= self->shown_low + self->shown_n + self->limit)
        log_drop_unshown (self);
    }
}

/* GListModel */

static GType
antenna_message_log_get_item_type (GListModel *model)
{
  return ANTENNA_TYPE_MESSAGE;
}

static guint
antenna_message_log_get_n_items (GListModel *model)
{
  return ANTENNA_MESSAGE_LOG (model)->shown_n;
}

static gpointer
antenna_message_log_get_item (GListModel *model,
                              guint       position)
{
  AntennaMessageLog *self = ANTENNA_MESSAGE_LOG (model);

  if (position >= self->shown_n)
    return NULL;

  return g_object_ref (antenna_message_ring_get (&self->view, self->shown_low + position));
}

static void
antenna_message_log_model_init (GListModelInterface *iface)
{
  iface->get_item_type = antenna_message_log_get_item_type;
  iface->get_n_items = antenna_message_log_get_n_items;
  iface->get_item = antenna_message_log_get_item;
}

/* GObject */

static void
antenna_message_log_finalize (GObject *object)
{
  AntennaMessageLog *self = ANTENNA_MESSAGE_LOG (object);

  antenna_message_ring_clear (&self->window);
  antenna_message_ring_clear (&self->view);
  g_clear_pointer (&self->topic_filter, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->text_original, g_free);
  g_clear_object (&self->decoder_context);

  G_OBJECT_CLASS (antenna_message_log_parent_class)->finalize (object);
}

static void
antenna_message_log_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AntennaMessageLog *self = ANTENNA_MESSAGE_LOG (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    case PROP_TOTAL_COUNT:
      g_value_set_uint64 (value, self->total_count);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->shown_n);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_log_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AntennaMessageLog *self = ANTENNA_MESSAGE_LOG (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      antenna_message_log_set_limit (self, g_value_get_uint (value));
      break;

    case PROP_PAUSED:
      antenna_message_log_set_paused (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_message_log_class_init (AntennaMessageLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_message_log_finalize;
  object_class->get_property = antenna_message_log_get_property;
  object_class->set_property = antenna_message_log_set_property;

  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL,
                       1, ANTENNA_MESSAGE_LOG_MAX_LIMIT, ANTENNA_MESSAGE_LOG_DEFAULT_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL_COUNT] =
    g_param_spec_uint64 ("total-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_message_log_init (AntennaMessageLog *self)
{
  self->limit = ANTENNA_MESSAGE_LOG_DEFAULT_LIMIT;
}

/* Public API */

AntennaMessageLog *
antenna_message_log_new (guint limit)
{
  g_return_val_if_fail (limit > 0 && limit <= ANTENNA_MESSAGE_LOG_MAX_LIMIT, NULL);

  return g_object_new (ANTENNA_TYPE_MESSAGE_LOG,
                       "limit", limit,
                       NULL);
}

guint
antenna_message_log_get_limit (AntennaMessageLog *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG (self), 0);

  return self->limit;
}

void
antenna_message_log_set_limit (AntennaMessageLog *self,
                               guint              limit)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG (self));
  g_return_if_fail (limit > 0 && limit <= ANTENNA_MESSAGE_LOG_MAX_LIMIT);

  if (self->limit == limit)
    return;

  self->limit = limit;

  if (antenna_message_ring_length (&self->window) > limit)
    {
      while (antenna_message_ring_length (&self->window) > limit)
        log_evict (self);
      antenna_message_log_flush (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
}

void
antenna_message_log_add_messages (AntennaMessageLog *self,
                                  GPtrArray         *messages)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG (self));
  g_return_if_fail (messages != NULL);

  for (guint i = 0; i < messages->len; i++)
    log_add (self, g_ptr_array_index (messages, i));
}

void
antenna_message_log_add_message (AntennaMessageLog *self,
                                 AntennaMessage    *message)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG (self));
  g_return_if_fail (ANTENNA_IS_MESSAGE (message));

  log_add (self, message);
}

guint64
antenna_message_log_get_total_count (AntennaMessageLog *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG (self), 0);

  return self->total_count;
}

gboolean
antenna_message_log_get_paused (AntennaMessageLog *self)
{
  g_return_val_if_fail (ANTENNA_IS_MESSAGE_LOG (self), FALSE);

  return self->paused;
}

void
antenna_message_log_set_paused (AntennaMessageLog *self,
                                gboolean           paused)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

void
antenna_message_log_set_filter (AntennaMessageLog *self,
                                const char        *topic_filter,
                                const char        *text)
{
  AntennaMessageRing view = { NULL, 0, 0, 0 };
  guint n_old;
  guint n_new;

  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG (self));

  if (topic_filter != NULL && topic_filter[0] == '\0')
    topic_filter = NULL;
  if (text != NULL && text[0] == '\0')
    text = NULL;

  /* The same filter again (a search entry repeating itself): nothing to
   * redo, and no reset that would lose the list's scroll position. */
  if (g_strcmp0 (topic_filter, self->topic_filter) == 0 &&
      g_strcmp0 (text, self->text_original) == 0)
    return;

  g_clear_pointer (&self->topic_filter, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->text_original, g_free);

  self->topic_filter = g_strdup (topic_filter);
  self->text_original = g_strdup (text);
  self->topic_filter_is_mqtt = topic_filter != NULL &&
                               strpbrk (topic_filter, "+#") != NULL &&
                               antenna_topic_validate_filter (topic_filter, -1, NULL);
  if (text != NULL)
    {
      self->text = g_ascii_strdown (text, -1);
      self->text_len = strlen (self->text);
    }
  else
    self->text_len = 0;

  /* Filter the window anew; the view changes at once, like a
   * GtkFilterListModel's, and so does the model. */
  for (guint64 pos = self->window.low; pos < self->window.high; pos++)
    {
      AntennaMessage *message = antenna_message_ring_get (&self->window, pos);

      if (log_matches (self, message))
        antenna_message_ring_push (&view, message);
    }

  antenna_message_ring_clear (&self->view);
  self->view = view;
  self->view_current = view.low;
  self->shown_low = view.low;
  n_old = self->shown_n;
  n_new = antenna_message_ring_length (&view);
  self->shown_n = n_new;

  if (n_old > 0 || n_new > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, n_new);
  log_notify_counts (self);
}

void
antenna_message_log_clear (AntennaMessageLog *self)
{
  guint n_old;

  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG (self));

  antenna_message_ring_clear (&self->window);
  antenna_message_ring_clear (&self->view);
  self->view_current = self->view.high;
  self->shown_low = self->view.high;
  n_old = self->shown_n;
  self->shown_n = 0;
  self->total_count = 0;

  if (n_old > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, 0);
  log_notify_counts (self);
}

void
antenna_message_log_flush (AntennaMessageLog *self)
{
  guint64 shown_high;

  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG (self));

  shown_high = self->shown_low + self->shown_n;

  if (self->view_current >= shown_high)
    {
      /* Everything shown left the window: one replacement. */
      guint removed = self->shown_n;
      guint added = self->view.high - self->view_current;

      self->shown_low = self->view_current;
      self->shown_n = added;
      log_trim_view (self);
      if (removed > 0 || added > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);
    }
  else
    {
      guint removed = self->view_current - self->shown_low;
      guint added;

      if (removed > 0)
        {
          self->shown_low = self->view_current;
          self->shown_n -= removed;
          log_trim_view (self);
          g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
        }

      added = self->view.high - (self->shown_low + self->shown_n);
      if (added > 0)
        {
          guint position = self->shown_n;

          self->shown_n += added;
          g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
        }
    }

  log_notify_counts (self);
}

void
antenna_message_log_set_decoder_context (AntennaMessageLog     *self,
                                         AntennaDecoderContext *context)
{
  g_return_if_fail (ANTENNA_IS_MESSAGE_LOG (self));
  g_return_if_fail (context == NULL || ANTENNA_IS_DECODER_CONTEXT (context));

  g_set_object (&self->decoder_context, context);
}
