/* test-message-log.c: AntennaMessageLog
 *
 * A shadow list that learns only from items-changed must equal the model
 * after every flush (what GtkListView relies on), and the model must hold
 * exactly the newest messages that pass the filter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "antenna-message.h"
#include "antenna-message-log.h"
#include "antenna-test-shadow.h"
#include "antenna-test-utils.h"

typedef struct
{
  AntennaMessageLog *log;
  AntennaTestShadow *shadow;
  GPtrArray         *appended;  /* every message appended while not paused */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->log = antenna_message_log_new (GPOINTER_TO_UINT (data));
  f->shadow = antenna_test_shadow_new (G_LIST_MODEL (f->log), NULL, NULL);
  f->appended = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->shadow, antenna_test_shadow_free);
  g_clear_pointer (&f->appended, g_ptr_array_unref);
  g_assert_finalize_object (f->log);
}

static AntennaMessage *
make_message_bytes (const char *topic,
                    const char *payload,
                    gsize       size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (payload, size);

  return antenna_message_new (topic, bytes, 1, FALSE, FALSE,
                              ANTENNA_MESSAGE_RECEIVED, g_get_real_time (), NULL);
}

static AntennaMessage *
make_message (const char *topic,
              const char *payload)
{
  return make_message_bytes (topic, payload, strlen (payload));
}

/* Adds one message and remembers it. */
static AntennaMessage *
add (Fixture    *f,
     const char *topic,
     const char *payload)
{
  AntennaMessage *message = make_message (topic, payload);

  antenna_message_log_add_message (f->log, message);
  if (!antenna_message_log_get_paused (f->log))
    g_ptr_array_add (f->appended, message);
  else
    g_object_unref (message);

  return message;
}

typedef gboolean (*Predicate) (AntennaMessage *message);

/* The model (and the shadow) hold the newest :limit appended messages that
 * pass @predicate, oldest first. */
static void
assert_shows (Fixture   *f,
              Predicate  predicate)
{
  GListModel *model = G_LIST_MODEL (f->log);
  guint limit = antenna_message_log_get_limit (f->log);
  guint start = f->appended->len > limit ? f->appended->len - limit : 0;
  guint position = 0;

  antenna_test_shadow_assert_equal (f->shadow);

  for (guint i = start; i < f->appended->len; i++)
    {
      AntennaMessage *message = g_ptr_array_index (f->appended, i);
      g_autoptr(AntennaMessage) shown = NULL;

      if (predicate != NULL && !predicate (message))
        continue;

      shown = g_list_model_get_item (model, position++);
      g_assert_true (shown == message);
    }

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, position);
}

static void
test_ring_eviction (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint64 sent = 0;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->log)) == ANTENNA_TYPE_MESSAGE);
  g_assert_cmpuint (antenna_message_log_get_limit (f->log), ==, 100);

  while (sent < 5000)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_rand_int_range (rand, 1, 60);
      guint n_before = g_list_model_get_n_items (G_LIST_MODEL (f->log));
      guint emissions_before = antenna_test_shadow_get_n_emissions (f->shadow);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *topic = g_strdup_printf ("t/%u", g_rand_int_range (rand, 0, 20));
          AntennaMessage *message = make_message (topic, "payload");

          g_ptr_array_add (batch, message);
          g_ptr_array_add (f->appended, g_object_ref (message));
        }
      antenna_message_log_add_messages (f->log, batch);
      sent += n;

      /* Nothing changes before the flush. */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, n_before);
      g_assert_cmpuint (antenna_test_shadow_get_n_emissions (f->shadow), ==, emissions_before);
      g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, sent);

      antenna_message_log_flush (f->log);
      /* At most: removed at the front, appended at the end. */
      g_assert_cmpuint (antenna_test_shadow_get_n_emissions (f->shadow) - emissions_before, <=, 2);
      assert_shows (f, NULL);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 100);
  g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, sent);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->log), 100));
}

/* Flushes now and then, with gaps longer than :limit: what the model shows
 * between flushes stays what it was, and every flush shows the newest. */
static void
test_rare_flush (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint round = 0; round < 400; round++)
    {
      guint n = g_rand_int_range (rand, 1, 250);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *topic = g_strdup_printf ("t/%u", g_rand_int_range (rand, 0, 20));

          add (f, topic, "payload");
        }

      antenna_test_shadow_assert_equal (f->shadow);
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          antenna_message_log_flush (f->log);
          assert_shows (f, NULL);
        }
    }
}

static void
count_finalized (gpointer  data,
                 GObject  *where_the_object_was)
{
  (*(guint *) data)++;
}

/* Nobody flushes for a while (a hidden page, a flood faster than the
 * view): the model keeps showing what it showed and emits nothing, and the
 * messages that left the window meanwhile are dropped unseen, so the log
 * holds a bounded number of them. */
static void
test_without_flush (Fixture       *f,
                    gconstpointer  data)
{
  /* Static: the messages still held are finalized with the fixture, after
   * this function has returned. */
  static guint finalized;
  guint emissions;
  g_autoptr(GPtrArray) shown_before = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 10; i++)
    add (f, "shown", "x");
  antenna_message_log_flush (f->log);
  assert_shows (f, NULL);
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (shown_before, g_list_model_get_item (G_LIST_MODEL (f->log), i));
  emissions = antenna_test_shadow_get_n_emissions (f->shadow);

  finalized = 0;
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *topic = g_strdup_printf ("t/%u", i);
      g_autoptr(AntennaMessage) message = make_message (topic, "x");

      g_object_weak_ref (G_OBJECT (message), count_finalized, &finalized);
      antenna_message_log_add_message (f->log, message);
      if (i >= 1000 - 50)
        g_ptr_array_add (f->appended, g_object_ref (message));
    }

  /* Still the same ten, nothing emitted. */
  g_assert_cmpuint (antenna_test_shadow_get_n_emissions (f->shadow), ==, emissions);
  antenna_test_shadow_assert_equal (f->shadow);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(AntennaMessage) item = g_list_model_get_item (G_LIST_MODEL (f->log), i);

      g_assert_true (item == g_ptr_array_index (shown_before, i));
    }

  /* Held: the window (50), the unflushed part of the view still in it
   * (≤ 50) and fewer than :limit dropped-to-be. */
  g_assert_cmpuint (1000 - finalized, <, 3 * 50);
  g_assert_cmpuint (finalized, >=, 1000 - 3 * 50);

  antenna_message_log_flush (f->log);
  assert_shows (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 50);
  g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, 1010);
}

static void
test_pause (Fixture       *f,
            gconstpointer  data)
{
  for (guint i = 0; i < 5; i++)
    add (f, "a", "x");
  antenna_message_log_flush (f->log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 5);

  antenna_message_log_set_paused (f->log, TRUE);
  g_assert_true (antenna_message_log_get_paused (f->log));
  for (guint i = 0; i < 500; i++)
    add (f, "a", "paused");
  antenna_message_log_flush (f->log);
  g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, 505);
  assert_shows (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 5);

  antenna_message_log_set_paused (f->log, FALSE);
  add (f, "a", "live");
  antenna_message_log_flush (f->log);
  g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, 506);
  assert_shows (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 6);
}

static const char *topic_filter_wanted;

static gboolean
topic_is_wanted (AntennaMessage *message)
{
  g_auto(GStrv) wanted = g_strsplit (topic_filter_wanted, "|", -1);

  return g_strv_contains ((const char * const *) wanted, antenna_message_get_topic (message));
}

static void
test_topic_filter (Fixture       *f,
                   gconstpointer  data)
{
  const char *topics[] = {
    "home/kitchen/temp", "home/garage/temp", "home/kitchen/humidity",
    "office/temp", "$SYS/broker/load", "Home/Temp", "home/temp", "a+b/x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    add (f, topics[i], "1");
  antenna_message_log_flush (f->log);
  assert_shows (f, NULL);

  /* A filter with a wildcard is an MQTT filter. */
  antenna_message_log_set_filter (f->log, "home/+/temp", NULL);
  topic_filter_wanted = "home/kitchen/temp|home/garage/temp";
  assert_shows (f, topic_is_wanted);

  /* New messages are filtered as they come, shown on flush. */
  add (f, "home/cellar/temp", "1");
  add (f, "home/cellar/humidity", "1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 2);
  antenna_message_log_flush (f->log);
  topic_filter_wanted = "home/kitchen/temp|home/garage/temp|home/cellar/temp";
  assert_shows (f, topic_is_wanted);

  /* '#' matches everything but the '$' topics. */
  antenna_message_log_set_filter (f->log, "#", "");
  topic_filter_wanted = "home/kitchen/temp|home/garage/temp|home/kitchen/humidity|office/temp|"
                        "Home/Temp|home/temp|a+b/x|home/cellar/temp|home/cellar/humidity";
  assert_shows (f, topic_is_wanted);

  antenna_message_log_set_filter (f->log, "home/#", NULL);
  topic_filter_wanted = "home/kitchen/temp|home/garage/temp|home/kitchen/humidity|home/temp|"
                        "home/cellar/temp|home/cellar/humidity";
  assert_shows (f, topic_is_wanted);

  /* Without a wildcard: a substring, ignoring case. */
  antenna_message_log_set_filter (f->log, "TEMP", NULL);
  topic_filter_wanted = "home/kitchen/temp|home/garage/temp|office/temp|Home/Temp|home/temp|home/cellar/temp";
  assert_shows (f, topic_is_wanted);

  /* The same filter again changes nothing ("" is no filter, like NULL). */
  {
    guint before = antenna_test_shadow_get_n_emissions (f->shadow);

    antenna_message_log_set_filter (f->log, "TEMP", "");
    g_assert_cmpuint (antenna_test_shadow_get_n_emissions (f->shadow), ==, before);
    assert_shows (f, topic_is_wanted);
  }

  antenna_message_log_set_filter (f->log, "home/temp", NULL);
  topic_filter_wanted = "Home/Temp|home/temp";
  assert_shows (f, topic_is_wanted);

  /* Not a valid filter ('+' inside a level): a substring too. */
  antenna_message_log_set_filter (f->log, "a+b", NULL);
  topic_filter_wanted = "a+b/x";
  assert_shows (f, topic_is_wanted);

  antenna_message_log_set_filter (f->log, "nothing/+", NULL);
  topic_filter_wanted = "";
  assert_shows (f, topic_is_wanted);

  /* No filter: everything again. */
  antenna_message_log_set_filter (f->log, NULL, NULL);
  assert_shows (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, G_N_ELEMENTS (topics) + 2);
}

static GPtrArray *text_wanted;

static gboolean
message_is_wanted (AntennaMessage *message)
{
  return g_ptr_array_find (text_wanted, message, NULL);
}

static void
test_text_filter (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new ();
  g_autofree char *big = g_malloc (100 * 1024);
  g_autofree char *cut = g_malloc (ANTENNA_MESSAGE_LOG_TEXT_SEARCH_LIMIT + 16);
  AntennaMessage *hello, *json, *invalid, *empty, *needle_early, *needle_late, *cut_message, *other_topic;
  const char euro[] = "\xe2\x82\xac";   /* € */

  hello = add (f, "a", "Hello World");
  json = add (f, "a", "{\"temp\": 21, \"place\": \"Café\"}");
  invalid = make_message_bytes ("a", "\xff\xfeHello", 7);
  antenna_message_log_add_message (f->log, invalid);
  g_ptr_array_add (f->appended, invalid);
  empty = add (f, "a", "");

  /* 100 KiB of text: a word near the start is found, one past 64 KiB not. */
  memset (big, 'x', 100 * 1024);
  memcpy (big + 100, "needle", 6);
  needle_early = make_message_bytes ("a", big, 100 * 1024);
  memcpy (big + 100, "xxxxxx", 6);
  memcpy (big + 70 * 1024, "needle", 6);
  needle_late = make_message_bytes ("a", big, 100 * 1024);
  antenna_message_log_add_message (f->log, needle_early);
  g_ptr_array_add (f->appended, needle_early);
  antenna_message_log_add_message (f->log, needle_late);
  g_ptr_array_add (f->appended, needle_late);

  /* The 64 KiB bound falls inside a character: still text. */
  memset (cut, 'y', ANTENNA_MESSAGE_LOG_TEXT_SEARCH_LIMIT + 16);
  memcpy (cut, "NEEDLE", 6);
  memcpy (cut + ANTENNA_MESSAGE_LOG_TEXT_SEARCH_LIMIT - 1, euro, 3);
  cut_message = make_message_bytes ("a", cut, ANTENNA_MESSAGE_LOG_TEXT_SEARCH_LIMIT + 16);
  antenna_message_log_add_message (f->log, cut_message);
  g_ptr_array_add (f->appended, cut_message);

  other_topic = add (f, "b/c", "hello there");
  antenna_message_log_flush (f->log);

  antenna_message_log_set_filter (f->log, NULL, "hello");
  text_wanted = messages;
  g_ptr_array_set_size (messages, 0);
  g_ptr_array_add (messages, hello);
  g_ptr_array_add (messages, other_topic);
  assert_shows (f, message_is_wanted);  /* not the invalid UTF-8 one */

  /* Only ASCII letters ignore case. */
  antenna_message_log_set_filter (f->log, "", "CAFÉ");
  g_ptr_array_set_size (messages, 0);
  assert_shows (f, message_is_wanted);
  antenna_message_log_set_filter (f->log, "", "CAFé");
  g_ptr_array_add (messages, json);
  assert_shows (f, message_is_wanted);

  antenna_message_log_set_filter (f->log, NULL, "needle");
  g_ptr_array_set_size (messages, 0);
  g_ptr_array_add (messages, needle_early);
  g_ptr_array_add (messages, cut_message);
  assert_shows (f, message_is_wanted);

  /* Both filters: both must match. */
  antenna_message_log_set_filter (f->log, "b/#", "HELLO");
  g_ptr_array_set_size (messages, 0);
  g_ptr_array_add (messages, other_topic);
  assert_shows (f, message_is_wanted);

  antenna_message_log_set_filter (f->log, NULL, "\"temp\"");
  g_ptr_array_set_size (messages, 0);
  g_ptr_array_add (messages, json);
  assert_shows (f, message_is_wanted);

  antenna_message_log_set_filter (f->log, NULL, NULL);
  assert_shows (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 8);
  (void) empty;
}

static gboolean
topic_is_keep (AntennaMessage *message)
{
  return g_str_has_prefix (antenna_message_get_topic (message), "keep/");
}

/* With a filter, eviction from the window removes the right messages. */
static void
test_filter_eviction (Fixture       *f,
                      gconstpointer  data)
{
  antenna_message_log_set_filter (f->log, "keep/#", NULL);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *topic = g_strdup_printf ("%s/%u", i % 3 == 0 ? "keep" : "drop", i);

      add (f, topic, "x");
      if (i % 4 == 3)
        {
          antenna_message_log_flush (f->log);
          assert_shows (f, topic_is_keep);
        }
    }

  /* Many more than the limit between two flushes. */
  for (guint i = 300; i < 700; i++)
    {
      g_autofree char *topic = g_strdup_printf ("%s/%u", i % 3 == 0 ? "keep" : "drop", i);
      add (f, topic, "x");
    }
  antenna_test_shadow_assert_equal (f->shadow);
  antenna_message_log_flush (f->log);
  assert_shows (f, topic_is_keep);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 4);
  g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, 700);

  /* Rebuilt from the window: the newest 10 of any topic. */
  antenna_message_log_set_filter (f->log, NULL, NULL);
  assert_shows (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 10);
}

static void
test_clear (Fixture       *f,
            gconstpointer  data)
{
  for (guint i = 0; i < 20; i++)
    add (f, "a", "x");
  antenna_message_log_flush (f->log);
  add (f, "a", "pending");

  antenna_message_log_clear (f->log);
  g_ptr_array_set_size (f->appended, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 0);
  g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, 0);
  antenna_test_shadow_assert_equal (f->shadow);

  antenna_message_log_flush (f->log);
  assert_shows (f, NULL);

  add (f, "a", "after");
  antenna_message_log_flush (f->log);
  assert_shows (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 1);
  g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, 1);
}

static void
test_set_limit (Fixture       *f,
                gconstpointer  data)
{
  for (guint i = 0; i < 100; i++)
    add (f, "a", "x");
  antenna_message_log_flush (f->log);
  assert_shows (f, NULL);

  antenna_message_log_set_limit (f->log, 10);
  g_assert_cmpuint (antenna_message_log_get_limit (f->log), ==, 10);
  assert_shows (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 10);

  antenna_message_log_set_limit (f->log, 1000);
  for (guint i = 0; i < 100; i++)
    add (f, "a", "y");
  antenna_message_log_flush (f->log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 110);
  antenna_test_shadow_assert_equal (f->shadow);
  g_assert_cmpuint (antenna_message_log_get_total_count (f->log), ==, 200);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              GHashTable *counts)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_replace (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
test_notify_on_flush (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

  g_signal_connect (f->log, "notify", G_CALLBACK (on_notify_cb), counts);

  for (guint i = 0; i < 10; i++)
    add (f, "a", "x");
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  antenna_message_log_flush (f->log);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "total-count")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "n-items")), ==, 1);

  antenna_message_log_flush (f->log);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "total-count")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "n-items")), ==, 1);

  /* More than the limit between two flushes: still nothing until the flush. */
  for (guint i = 0; i < 350; i++)
    add (f, "a", "x");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "total-count")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "n-items")), ==, 1);
  antenna_message_log_flush (f->log);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "total-count")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "n-items")), ==, 2);

  /* Full: the count grows, the number of items does not. */
  add (f, "a", "x");
  antenna_message_log_flush (f->log);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "total-count")), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "n-items")), ==, 2);

  antenna_message_log_set_paused (f->log, TRUE);
  antenna_message_log_set_paused (f->log, TRUE);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "paused")), ==, 1);

  g_signal_handlers_disconnect_by_data (f->log, counts);
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

#define ADD(path, func, limit) \
  g_test_add ("/antenna/message-log/" path, Fixture, GUINT_TO_POINTER (limit), \
              fixture_set_up, func, fixture_tear_down)
  ADD ("ring-eviction", test_ring_eviction, 100);
  ADD ("without-flush", test_without_flush, 50);
  ADD ("rare-flush", test_rare_flush, 100);
  ADD ("pause", test_pause, 100);
  ADD ("topic-filter", test_topic_filter, 100);
  ADD ("text-filter", test_text_filter, 100);
  ADD ("filter-eviction", test_filter_eviction, 10);
  ADD ("clear", test_clear, 100);
  ADD ("set-limit", test_set_limit, 100);
  ADD ("notify-on-flush", test_notify_on_flush, 100);
#undef ADD

  return g_test_run ();
}
