/* test-topic.c: MQTT topic name and filter rules, and filter matching
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "antenna-error.h"
#include "antenna-topic.h"
#include "antenna-test-utils.h"

typedef struct {
  const char *topic;
  gssize      length;   /* -1: NUL-terminated */
  const char *message;  /* NULL: valid */
} TopicCase;

/* Valid as topic names, and so as filters. */
static const TopicCase valid_names[] = {
  { "a", -1, NULL },
  { "a/b/c", -1, NULL },
  { "sport/tennis/player1", -1, NULL },
  { "/", -1, NULL },
  { "//", -1, NULL },
  { "/finance", -1, NULL },
  { "finance/", -1, NULL },
  { " ", -1, NULL },
  { "with space/and\ttab", -1, NULL },
  { "$SYS/broker/uptime", -1, NULL },
  { "$share", -1, NULL },
  { "caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x98\x80", -1, NULL }, /* café/日本/😀 */
  /* Control characters and non-characters SHOULD NOT be used, but are legal. */
  { "ctl\x01/\x1f", -1, NULL },
  { "del\x7f", -1, NULL },
  { "c1\xc2\x80\xc2\x9f", -1, NULL },                  /* U+0080, U+009F */
  { "nonchar\xef\xbf\xbf\xef\xb7\x90", -1, NULL },     /* U+FFFF, U+FDD0 */
  { "max\xf4\x8f\xbf\xbf", -1, NULL },                 /* U+10FFFF */
  { "bom\xef\xbb\xbf", -1, NULL },                     /* U+FEFF */
  /* A length shorter than the string: the rest is not looked at. */
  { "a/b+", 3, NULL },
  { "ab\0cd", 2, NULL },
};

static const TopicCase invalid_names[] = {
  { "", -1, "The topic is empty." },
  { "abc", 0, "The topic is empty." },
  { "+", -1, "Wildcards (“+” and “#”) cannot appear in a topic name (position 1)." },
  { "#", -1, "Wildcards (“+” and “#”) cannot appear in a topic name (position 1)." },
  { "a/+", -1, "Wildcards (“+” and “#”) cannot appear in a topic name (position 3)." },
  { "a/b/#", -1, "Wildcards (“+” and “#”) cannot appear in a topic name (position 5)." },
  { "a+b", -1, "Wildcards (“+” and “#”) cannot appear in a topic name (position 2)." },
  /* Positions count characters, not bytes: "é" is one character. */
  { "\xc3\xa9/\xc3\xa9/#", -1, "Wildcards (“+” and “#”) cannot appear in a topic name (position 5)." },
  { "a\0b", 3, "The topic contains a NUL character (byte 2)." },
  { "\0", 1, "The topic contains a NUL character (byte 1)." },
  { "abc\0", 4, "The topic contains a NUL character (byte 4)." },
  { "\xff", -1, "The topic is not valid UTF-8 (byte 1)." },
  { "abc\xfe", -1, "The topic is not valid UTF-8 (byte 4)." },
  { "a\x80", -1, "The topic is not valid UTF-8 (byte 2)." },             /* lone continuation */
  { "ab\xc3", -1, "The topic is not valid UTF-8 (byte 3)." },            /* cut sequence */
  { "a\xe2\x82/", -1, "The topic is not valid UTF-8 (byte 2)." },        /* cut before '/' */
  { "\xc0\xaf", -1, "The topic is not valid UTF-8 (byte 1)." },          /* overlong '/' */
  { "\xc1\xbf", -1, "The topic is not valid UTF-8 (byte 1)." },          /* overlong */
  { "x\xe0\x80\xaf", -1, "The topic is not valid UTF-8 (byte 2)." },     /* overlong, 3 bytes */
  { "\xf0\x80\x80\xaf", -1, "The topic is not valid UTF-8 (byte 1)." },  /* overlong, 4 bytes */
  { "\xc0\x80", -1, "The topic is not valid UTF-8 (byte 1)." },          /* overlong NUL */
  { "\xed\xa0\x80", -1, "The topic is not valid UTF-8 (byte 1)." },      /* U+D800 */
  { "ab\xed\xbf\xbf", -1, "The topic is not valid UTF-8 (byte 3)." },    /* U+DFFF */
  { "\xed\xa0\xbd\xed\xb8\x80", -1, "The topic is not valid UTF-8 (byte 1)." }, /* CESU-8 pair */
  { "\xf4\x90\x80\x80", -1, "The topic is not valid UTF-8 (byte 1)." },  /* U+110000 */
  { "\xf8\x88\x80\x80\x80", -1, "The topic is not valid UTF-8 (byte 1)." }, /* 5 bytes */
  /* "$share/" starts a shared subscription, so no name. Found by fuzz-topic:
   * the name was valid but not the filter. */
  { "$share/gro/", -1, "A topic name cannot start with “$share/”: that marks a shared subscription." },
  { "$share/g/a", -1, "A topic name cannot start with “$share/”: that marks a shared subscription." },
  { "$share/", -1, "A topic name cannot start with “$share/”: that marks a shared subscription." },
  /* The first fault wins: UTF-8 is checked before wildcards. */
  { "+\xff", -1, "The topic is not valid UTF-8 (byte 2)." },
};

static const TopicCase valid_filters[] = {
  { "#", -1, NULL },
  { "+", -1, NULL },
  { "+/+", -1, NULL },
  { "/+", -1, NULL },
  { "+/", -1, NULL },
  { "/#", -1, NULL },
  { "+/#", -1, NULL },
  { "a/+/b", -1, NULL },
  { "a/#", -1, NULL },
  { "a//#", -1, NULL },
  { "sport/tennis/+", -1, NULL },
  { "$SYS/#", -1, NULL },
  { "$SYS/+/clients", -1, NULL },
  { "$share/group/#", -1, NULL },
  { "$share/group/a/+/b", -1, NULL },
  { "$share/group/$SYS/#", -1, NULL },
  { "$share/g/+", -1, NULL },
  { "$share/\xc3\xa9quipe/a", -1, NULL },
  { "$share", -1, NULL },          /* not shared: a plain filter */
  { "$sharex/+/#", -1, NULL },     /* not shared either */
  { "$SHARE/+", -1, NULL },        /* the prefix is case-sensitive */
  { "\xc3\xa9/+/#", -1, NULL },
};

static const TopicCase invalid_filters[] = {
  { "", -1, "The topic is empty." },
  { "a\0/#", 4, "The topic contains a NUL character (byte 2)." },
  { "a/\xff/#", -1, "The topic is not valid UTF-8 (byte 3)." },
  { "#\xed\xa0\x80", -1, "The topic is not valid UTF-8 (byte 2)." },
  { "a#", -1, "“#” must occupy a whole level of a topic filter, after a “/” (position 2)." },
  { "a/b#", -1, "“#” must occupy a whole level of a topic filter, after a “/” (position 4)." },
  { "##", -1, "“#” must occupy a whole level of a topic filter, after a “/” (position 1)." },
  { "a/#b", -1, "“#” must occupy a whole level of a topic filter, after a “/” (position 3)." },
  { "#/", -1, "“#” must be the last level of a topic filter (position 1)." },
  { "a/#/b", -1, "“#” must be the last level of a topic filter (position 3)." },
  { "a/b/#/c", -1, "“#” must be the last level of a topic filter (position 5)." },
  { "#/#", -1, "“#” must be the last level of a topic filter (position 1)." },
  { "a+", -1, "“+” must occupy a whole level of a topic filter, between two “/” (position 2)." },
  { "+a", -1, "“+” must occupy a whole level of a topic filter, between two “/” (position 1)." },
  { "++", -1, "“+” must occupy a whole level of a topic filter, between two “/” (position 1)." },
  { "a/+b/c", -1, "“+” must occupy a whole level of a topic filter, between two “/” (position 3)." },
  { "sport/tennis+", -1, "“+” must occupy a whole level of a topic filter, between two “/” (position 13)." },
  { "\xc3\xa9\xc3\xa9/a+", -1, "“+” must occupy a whole level of a topic filter, between two “/” (position 5)." },
  { "$share/", -1, "The group name of a shared subscription is empty: use “$share/group/filter”." },
  { "$share//a", -1, "The group name of a shared subscription is empty: use “$share/group/filter”." },
  { "$share/g", -1, "A shared subscription needs a topic filter after its group name: use “$share/group/filter”." },
  { "$share/g/", -1, "A shared subscription needs a topic filter after its group name: use “$share/group/filter”." },
  { "$share/#", -1, "The group name of a shared subscription cannot contain wildcards (“+” and “#”) (position 8)." },
  { "$share/+/a", -1, "The group name of a shared subscription cannot contain wildcards (“+” and “#”) (position 8)." },
  { "$share/gr+up/a", -1, "The group name of a shared subscription cannot contain wildcards (“+” and “#”) (position 10)." },
  /* Positions inside the shared filter count from the start of the whole string. */
  { "$share/g/a#", -1, "“#” must occupy a whole level of a topic filter, after a “/” (position 11)." },
  { "$share/g/#/a", -1, "“#” must be the last level of a topic filter (position 10)." },
  { "$share/gro/", -1, "A shared subscription needs a topic filter after its group name: use “$share/group/filter”." },
  { "$share/g/+x", -1, "“+” must occupy a whole level of a topic filter, between two “/” (position 10)." },
};

static void
check_case (const TopicCase *c,
            gboolean         filter)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (filter)
    ok = antenna_topic_validate_filter (c->topic, c->length, &error);
  else
    ok = antenna_topic_validate_name (c->topic, c->length, &error);

  if (c->message == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
      g_assert_cmpstr (error->message, ==, c->message);
    }

  /* The result does not depend on being asked for an error. */
  if (filter)
    g_assert_cmpint (antenna_topic_validate_filter (c->topic, c->length, NULL), ==, ok);
  else
    g_assert_cmpint (antenna_topic_validate_name (c->topic, c->length, NULL), ==, ok);
}

static void
test_name_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_names); i++)
    {
      const TopicCase *c = &valid_names[i];

      check_case (c, FALSE);
      /* Every valid name is a valid filter… */
      check_case (c, TRUE);
      /* …that matches that name. */
      if (c->length < 0)
        g_assert_true (antenna_topic_matches (c->topic, c->topic));
    }
}

static void
test_name_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid_names); i++)
    check_case (&invalid_names[i], FALSE);
}

static void
test_filter_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_filters); i++)
    check_case (&valid_filters[i], TRUE);
}

static void
test_filter_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid_filters); i++)
    check_case (&invalid_filters[i], TRUE);

  /* What is wrong with any text as a name is wrong with it as a filter,
   * apart from the wildcards. */
  for (guint i = 0; i < G_N_ELEMENTS (invalid_names); i++)
    {
      const TopicCase *c = &invalid_names[i];
      g_autoptr(GError) error = NULL;

      if (strstr (c->message, "Wildcards") != NULL || strstr (c->message, "$share/") != NULL)
        continue;
      g_assert_false (antenna_topic_validate_filter (c->topic, c->length, &error));
      g_assert_cmpstr (error->message, ==, c->message);
    }
}

static char *
make_topic (gsize       length,
            const char *tail)
{
  gsize tail_len = strlen (tail);
  char *topic = g_malloc (length + 1);

  g_assert_cmpuint (length, >=, tail_len);
  memset (topic, 'a', length - tail_len);
  memcpy (topic + length - tail_len, tail, tail_len);
  topic[length] = '\0';

  return topic;
}

static void
test_length (void)
{
  g_autofree char *max = make_topic (ANTENNA_TOPIC_MAX_LENGTH, "");
  g_autofree char *max_filter = make_topic (ANTENNA_TOPIC_MAX_LENGTH, "/#");
  /* 65,535 bytes that end in a 4-byte character: bytes, not characters, count. */
  g_autofree char *max_multibyte = make_topic (ANTENNA_TOPIC_MAX_LENGTH, "\xf0\x9f\x98\x80");
  g_autofree char *over = make_topic (ANTENNA_TOPIC_MAX_LENGTH + 1, "");
  g_autofree char *over_filter = make_topic (ANTENNA_TOPIC_MAX_LENGTH + 1, "/#");
  g_autofree char *big = make_topic (70000, "");
  g_autofree char *wildcard_at_end = make_topic (ANTENNA_TOPIC_MAX_LENGTH, "/+x");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (ANTENNA_TOPIC_MAX_LENGTH, ==, 65535);

  g_assert_true (antenna_topic_validate_name (max, -1, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_topic_validate_name (max, ANTENNA_TOPIC_MAX_LENGTH, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_topic_validate_filter (max_filter, -1, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_topic_validate_name (max_multibyte, -1, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_topic_matches (max, max));
  g_assert_false (antenna_topic_matches (max_filter, max));
  max[ANTENNA_TOPIC_MAX_LENGTH - 2] = '\0';
  g_assert_true (antenna_topic_matches (max_filter, max));
  max[ANTENNA_TOPIC_MAX_LENGTH - 2] = '/';
  g_assert_true (antenna_topic_matches (max_filter, max));

  g_assert_false (antenna_topic_validate_name (over, -1, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC);
  g_assert_cmpstr (error->message, ==, "The topic is 65,536 bytes long; MQTT allows at most 65,535.");
  g_clear_error (&error);

  g_assert_false (antenna_topic_validate_filter (over_filter, -1, &error));
  g_assert_cmpstr (error->message, ==, "The topic is 65,536 bytes long; MQTT allows at most 65,535.");
  g_clear_error (&error);

  g_assert_false (antenna_topic_validate_name (big, -1, &error));
  g_assert_cmpstr (error->message, ==, "The topic is 70,000 bytes long; MQTT allows at most 65,535.");
  g_clear_error (&error);

  /* A character index deep in a long filter. */
  g_assert_false (antenna_topic_validate_filter (wildcard_at_end, -1, &error));
  g_assert_cmpstr (error->message, ==,
                   "“+” must occupy a whole level of a topic filter, between two “/” (position 65534).");
}

typedef struct {
  const char *filter;
  const char *topic;
  gboolean    matches;
} MatchCase;

static const MatchCase match_cases[] = {
  { "a/b", "a/b", TRUE },
  { "a/b", "a/c", FALSE },
  { "a/b", "a/b/c", FALSE },
  { "a/b/c", "a/b", FALSE },
  { "a/b", "a/b/", FALSE },
  { "a/b/", "a/b/", TRUE },
  { "A", "a", FALSE },                           /* case-sensitive */
  { "caf\xc3\xa9/+", "caf\xc3\xa9/th\xc3\xa9", TRUE },
  /* '+' matches exactly one level, an empty one too. */
  { "a/+", "a/b", TRUE },
  { "a/+", "a/b/c", FALSE },
  { "a/+", "a", FALSE },
  { "a/+", "a/", TRUE },
  { "sport/tennis/+", "sport/tennis/player1", TRUE },
  { "sport/tennis/+", "sport/tennis/player1/ranking", FALSE },
  { "sport/+", "sport", FALSE },
  { "sport/+", "sport/", TRUE },
  { "+/+", "/finance", TRUE },
  { "/+", "/finance", TRUE },
  { "+", "/finance", FALSE },
  { "+/+", "/", TRUE },
  { "+", "a", TRUE },
  { "+/b/+", "a/b/c", TRUE },
  { "+/b/+", "a/x/c", FALSE },
  /* '#' matches any number of levels, and the parent level. */
  { "#", "a", TRUE },
  { "#", "a/b/c", TRUE },
  { "#", "/", TRUE },
  { "a/#", "a", TRUE },
  { "a/#", "a/", TRUE },
  { "a/#", "a/b/c", TRUE },
  { "a/#", "ab", FALSE },
  { "a/#", "b/a", FALSE },
  { "sport/#", "sport", TRUE },
  { "sport/tennis/player1/#", "sport/tennis/player1", TRUE },
  { "sport/tennis/player1/#", "sport/tennis/player1/ranking", TRUE },
  { "sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", TRUE },
  { "sport/tennis/player1/#", "sport/tennis", FALSE },
  { "+/#", "a", TRUE },
  { "+/#", "a/b/c", TRUE },
  { "a/+/#", "a/b", TRUE },
  { "a/+/#", "a", FALSE },
  { "/#", "/", TRUE },
  { "/#", "a", FALSE },
  /* A wildcard at the first level never matches a topic starting with '$'. */
  { "#", "$SYS/broker/uptime", FALSE },
  { "#", "$SYS", FALSE },
  { "+/monitor/Clients", "$SYS/monitor/Clients", FALSE },
  { "+/#", "$SYS/x", FALSE },
  { "$SYS/#", "$SYS/broker/uptime", TRUE },
  { "$SYS/#", "$SYS", TRUE },
  { "$SYS/monitor/+", "$SYS/monitor/Clients", TRUE },
  { "$SYS/+/uptime", "$SYS/broker/uptime", TRUE },
  { "a/#", "a/$b", TRUE },                       /* '$' only counts first */
  { "+/+", "a/$b", TRUE },
  /* Shared subscriptions match with the filter after the group. */
  { "$share/group/a/+", "a/b", TRUE },
  { "$share/group/#", "a/b", TRUE },
  { "$share/group/#", "$SYS/x", FALSE },
  { "$share/group/$SYS/#", "$SYS/x", TRUE },
  { "$share/group/a/b", "a/c", FALSE },
  { "$share/g/+", "a", TRUE },
  /* "$share" alone is an ordinary filter. */
  { "$share", "$share", TRUE },
  { "$sharex/#", "$sharex/y", TRUE },
};

static void
test_matches (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (match_cases); i++)
    {
      const MatchCase *c = &match_cases[i];

      g_test_message ("%s ~ %s", c->filter, c->topic);
      g_assert_true (antenna_topic_validate_filter (c->filter, -1, NULL));
      g_assert_true (antenna_topic_validate_name (c->topic, -1, NULL));
      g_assert_cmpint (antenna_topic_matches (c->filter, c->topic), ==, c->matches);
    }
}

/* Not valid input, but it must not crash or read past the end. */
static void
test_matches_invalid_input (void)
{
  static const MatchCase cases[] = {
    { "", "", FALSE },
    { "", "a", FALSE },
    { "a", "", FALSE },
    { "#", "", FALSE },
    { "$share/", "a", FALSE },
    { "$share/g", "a", FALSE },
    { "$share/g/", "a", FALSE },
    { "a/#/b", "a/x/b", TRUE },  /* an invalid filter: the first '#' wins */
    { "$share/group/a/b", "$share/group/a/b", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (antenna_topic_matches (cases[i].filter, cases[i].topic), ==, cases[i].matches);
}

int
main (int   argc,
      char *argv[])
{
  /* Numbers in messages are grouped with the locale's separator: the
   * preamble pins C.UTF-8. */
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/topic/name/valid", test_name_valid);
  g_test_add_func ("/antenna/topic/name/invalid", test_name_invalid);
  g_test_add_func ("/antenna/topic/filter/valid", test_filter_valid);
  g_test_add_func ("/antenna/topic/filter/invalid", test_filter_invalid);
  g_test_add_func ("/antenna/topic/length", test_length);
  g_test_add_func ("/antenna/topic/matches", test_matches);
  g_test_add_func ("/antenna/topic/matches/invalid-input", test_matches_invalid_input);

  return g_test_run ();
}
