/* antenna-topic.c: MQTT topic name and filter validation, and filter matching
 *
 * The rules are those of MQTT 5.0, section 4.7 (and 4.8.2 for shared
 * subscriptions); MQTT 3.1.1 has the same ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-topic"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "antenna-error.h"
#include "antenna-topic.h"

#define SHARE_PREFIX     "$share/"
#define SHARE_PREFIX_LEN (sizeof SHARE_PREFIX - 1)

/* "70,000": digits grouped by thousands with the locale's separator, or a
 * comma where the locale has none (the C locale), so that a long number
 * stays readable in an error message. */
static char *
format_count (guint64 value)
{
  const char *sep = localeconv ()->thousands_sep;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  GString *out = g_string_new (NULL);
  gsize n = strlen (digits);

  if (sep == NULL || *sep == '\0')
    sep = ",";

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

/* The end of the level that starts at @p: the next '/' or the NUL. */
static const char *
level_end (const char *p)
{
  while (*p != '\0' && *p != '/')
    p++;
  return p;
}

/* The 1-based character index of @p in the valid UTF-8 @str. */
static guint
char_position (const char *str,
               const char *p)
{
  return (guint) g_utf8_pointer_to_offset (str, p) + 1;
}

/* The checks names and filters share: not empty, not too long, UTF-8
 * without NUL. Sets *@length to the length in bytes. */
static gboolean
validate_common (const char  *topic,
                 gssize      *length,
                 GError     **error)
{
  const char *end = NULL;
  gsize len;

  len = *length < 0 ? strlen (topic) : (gsize) *length;
  *length = (gssize) len;

  if (len == 0)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                           _("The topic is empty."));
      return FALSE;
    }

  if (len > ANTENNA_TOPIC_MAX_LENGTH)
    {
      g_autofree char *actual = format_count (len);
      g_autofree char *limit = format_count (ANTENNA_TOPIC_MAX_LENGTH);

      /* Translators: the first %s is a number of bytes, e.g. "70,000",
       * the second the limit, "65,535". */
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                   _("The topic is %s bytes long; MQTT allows at most %s."),
                   actual, limit);
      return FALSE;
    }

  /* g_utf8_validate_len() rejects malformed and overlong sequences,
   * surrogates (U+D800..U+DFFF), code points past U+10FFFF, and NUL. */
  if (!g_utf8_validate_len (topic, len, &end))
    {
      guint byte = (guint) (end - topic) + 1;

      if (*end == '\0')
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                     _("The topic contains a NUL character (byte %u)."), byte);
      else
        g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                     _("The topic is not valid UTF-8 (byte %u)."), byte);
      return FALSE;
    }

  return TRUE;
}

gboolean
antenna_topic_validate_name (const char  *topic,
                             gssize       length,
                             GError     **error)
{
  const char *end;

  g_return_val_if_fail (topic != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (topic == NULL)
    topic = "";

  if (!validate_common (topic, &length, error))
    return FALSE;

  /* "$share/…" is how a filter asks for a shared subscription: a name
   * spelt that way could never be subscribed to. */
  if ((gsize) length >= SHARE_PREFIX_LEN &&
      memcmp (topic, SHARE_PREFIX, SHARE_PREFIX_LEN) == 0)
    {
      g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                           _("A topic name cannot start with “$share/”: that marks a shared subscription."));
      return FALSE;
    }

  end = topic + length;
  for (const char *p = topic; p < end; p++)
    {
      if (*p == '+' || *p == '#')
        {
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                       _("Wildcards (“+” and “#”) cannot appear in a topic name (position %u)."),
                       char_position (topic, p));
          return FALSE;
        }
    }

  return TRUE;
}

/* The wildcard rules of a filter, on [@start, @end) of @filter; positions
 * in messages count from the start of @filter. */
static gboolean
validate_filter_levels (const char  *filter,
                        const char  *start,
                        const char  *end,
                        GError     **error)
{
  for (const char *p = start; p < end; p++)
    {
      gboolean at_level_start = (p == start || p[-1] == '/');
      gboolean at_level_end = (p + 1 == end || p[1] == '/');

      if (*p == '+' && !(at_level_start && at_level_end))
        {
          g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                       _("“+” must occupy a whole level of a topic filter, between two “/” (position %u)."),
                       char_position (filter, p));
          return FALSE;
        }

      if (*p == '#')
        {
          if (!(at_level_start && at_level_end))
            {
              g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                           _("“#” must occupy a whole level of a topic filter, after a “/” (position %u)."),
                           char_position (filter, p));
              return FALSE;
            }
          if (p + 1 != end)
            {
              g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                           _("“#” must be the last level of a topic filter (position %u)."),
                           char_position (filter, p));
              return FALSE;
            }
        }
    }

  return TRUE;
}

gboolean
antenna_topic_validate_filter (const char  *filter,
                               gssize       length,
                               GError     **error)
{
  const char *start;
  const char *end;

  g_return_val_if_fail (filter != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (filter == NULL)
    filter = "";

  if (!validate_common (filter, &length, error))
    return FALSE;

  start = filter;
  end = filter + length;

  /* $share/{ShareName}/{filter}: the share name is one level without
   * wildcards, and what follows is an ordinary, non-empty filter. */
  if ((gsize) length >= SHARE_PREFIX_LEN &&
      memcmp (filter, SHARE_PREFIX, SHARE_PREFIX_LEN) == 0)
    {
      const char *group = filter + SHARE_PREFIX_LEN;
      const char *slash = memchr (group, '/', end - group);

      if (group == end || slash == group)
        {
          g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                               _("The group name of a shared subscription is empty: use “$share/group/filter”."));
          return FALSE;
        }

      for (const char *p = group; p < (slash ? slash : end); p++)
        {
          if (*p == '+' || *p == '#')
            {
              g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                           _("The group name of a shared subscription cannot contain wildcards (“+” and “#”) (position %u)."),
                           char_position (filter, p));
              return FALSE;
            }
        }

      if (slash == NULL || slash + 1 == end)
        {
          g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC,
                               _("A shared subscription needs a topic filter after its group name: use “$share/group/filter”."));
          return FALSE;
        }

      start = slash + 1;
    }

  return validate_filter_levels (filter, start, end, error);
}

gboolean
antenna_topic_matches (const char *filter,
                       const char *topic)
{
  const char *f;
  const char *t;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);

  f = filter;
  t = topic;

  if (strncmp (f, SHARE_PREFIX, SHARE_PREFIX_LEN) == 0)
    {
      f = strchr (f + SHARE_PREFIX_LEN, '/');
      if (f == NULL)
        return FALSE;
      f++;
    }

  if (*f == '\0' || *t == '\0')
    return FALSE;

  /* A wildcard at the first level never matches a topic that starts with
   * '$' ($SYS/…): such topics are the server's, not the application's. */
  if (*t == '$' && (*f == '+' || *f == '#'))
    return FALSE;

  for (;;)
    {
      const char *f_end = level_end (f);
      const char *t_end = level_end (t);
      gsize f_len = f_end - f;
      gsize t_len = t_end - t;

      /* '#' matches this level, every level below it, and the parent. */
      if (f_len == 1 && *f == '#')
        return TRUE;

      /* '+' matches exactly one level, even an empty one. */
      if (!(f_len == 1 && *f == '+') &&
          (f_len != t_len || memcmp (f, t, f_len) != 0))
        return FALSE;

      if (*f_end == '\0')
        return *t_end == '\0';

      if (*t_end == '\0')
        return strcmp (f_end + 1, "#") == 0;

      f = f_end + 1;
      t = t_end + 1;
    }
}
