/* fuzz-topic.c: libFuzzer harness for topic validation and matching
 *
 * The input is validated whole (with any NUL in it) as a name and as a
 * filter, then split at its first NUL into a filter and a topic that are
 * matched, and checked against a plain reference matcher.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "antenna-error.h"
#include "antenna-topic.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
is_shared (const char *filter)
{
  return g_str_has_prefix (filter, "$share/");
}

/* The matching rules spelled out on split levels, independently of
 * antenna_topic_matches(). For valid input only. */
static gboolean
reference_matches (const char *filter,
                   const char *topic)
{
  g_auto(GStrv) f = NULL;
  g_auto(GStrv) t = NULL;
  guint n_t;
  guint i;

  if (is_shared (filter))
    filter = strchr (filter + strlen ("$share/"), '/') + 1;

  if (topic[0] == '$' && (filter[0] == '+' || filter[0] == '#'))
    return FALSE;

  f = g_strsplit (filter, "/", -1);
  t = g_strsplit (topic, "/", -1);
  n_t = g_strv_length (t);

  for (i = 0; f[i] != NULL; i++)
    {
      if (strcmp (f[i], "#") == 0)
        return TRUE;
      if (i >= n_t)
        return FALSE;
      if (strcmp (f[i], "+") != 0 && strcmp (f[i], t[i]) != 0)
        return FALSE;
    }

  return i == n_t;
}

static gboolean
check (gboolean     (*validate) (const char *, gssize, GError **),
       const char    *text,
       gssize         length)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = validate (text, length, &error);

  /* Exactly one of a result and an error, and the error is a sentence. */
  g_assert (ok == (error == NULL));
  if (error != NULL)
    {
      g_assert (g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_TOPIC));
      g_assert (g_utf8_validate (error->message, -1, NULL));
      g_assert (g_str_has_suffix (error->message, "."));
    }
  g_assert (validate (text, length, NULL) == ok);

  return ok;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autofree char *copy = g_strndup (text, size);
  gboolean has_nul = memchr (data, '\0', size) != NULL;
  gboolean name_ok;
  gboolean filter_ok;

  if (size > 2 * ANTENNA_TOPIC_MAX_LENGTH)
    return 0;

  name_ok = check (antenna_topic_validate_name, text, (gssize) size);
  filter_ok = check (antenna_topic_validate_filter, text, (gssize) size);

  /* A valid name is a valid filter. */
  if (name_ok)
    g_assert (filter_ok);

  /* A filter without wildcards that is not shared is a valid name. */
  if (filter_ok && !is_shared (copy) && strpbrk (copy, "+#") == NULL)
    g_assert (name_ok);

  /* Without NUL, the length given or -1 is the same. */
  if (!has_nul)
    {
      g_assert (check (antenna_topic_validate_name, copy, -1) == name_ok);
      g_assert (check (antenna_topic_validate_filter, copy, -1) == filter_ok);
    }

  /* A valid name matches itself as a filter. */
  if (name_ok)
    g_assert (antenna_topic_matches (copy, copy));

  /* Filter and topic, split at the first NUL. Matching must not crash on
   * anything; on valid input it must agree with the reference. */
  if (has_nul)
    {
      gsize topic_len = size - strlen (copy) - 1;
      g_autofree char *topic_copy = g_strndup ((const char *) data + strlen (copy) + 1, topic_len);
      gboolean matches = antenna_topic_matches (copy, topic_copy);

      if (antenna_topic_validate_filter (copy, -1, NULL) &&
          antenna_topic_validate_name (topic_copy, -1, NULL))
        {
          g_assert (matches == reference_matches (copy, topic_copy));

          /* Without wildcards, a filter matches only itself. */
          if (!is_shared (copy) && strpbrk (copy, "+#") == NULL)
            g_assert (matches == (strcmp (copy, topic_copy) == 0));
          /* "#" matches every topic but the '$' ones. */
          if (matches == FALSE && strcmp (copy, "#") == 0)
            g_assert (topic_copy[0] == '$');
        }
    }

  return 0;
}
