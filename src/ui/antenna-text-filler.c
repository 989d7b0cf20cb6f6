/* antenna-text-filler.c: a long text put into a text view a slice at a time
 *
 * A formatted preview of up to 1 MiB (more if the setting says so), and
 * its diff, go into the inspector's text views in slices: inserting them at
 * once held the main loop for a quarter of a second. The first slice shows
 * at once, the rest follow one per INSERT_INTERVAL_MS, with the view's own
 * layout work between them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-text-filler"

#include "config.h"

#include <string.h>

#include "antenna-text-filler.h"

#define INSERT_CHUNK       (32 * 1024)
#define INSERT_INTERVAL_MS 25

static void
set_source_text (GtkSourceView *view,
                 const char    *text,
                 const char    *language_id)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  GtkSourceLanguage *language = NULL;

  if (language_id != NULL)
    language = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (), language_id);

  gtk_source_buffer_set_language (buffer, language);
  gtk_source_buffer_set_highlight_syntax (buffer, language != NULL);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), text, -1);
}

/* The length of the next slice of @text: up to INSERT_CHUNK bytes, ending
 * after a newline if there is one in its last quarter, and never inside a
 * UTF-8 character. */
static gsize
next_chunk_length (const char *text,
                   gsize       length)
{
  gsize n;

  if (length <= INSERT_CHUNK)
    return length;

  n = INSERT_CHUNK;
  for (gsize i = n; i > n - INSERT_CHUNK / 4; i--)
    if (text[i - 1] == '\n')
      return i;

  while (n > 0 && ((guchar) text[n] & 0xc0) == 0x80)
    n--;

  return n;
}

static void
done (AntennaTextFiller *filler)
{
  antenna_text_filler_stop (filler);
  filler->done (filler->user_data);
}

static gboolean
insert_chunk_cb (gpointer user_data)
{
  AntennaTextFiller *filler = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (filler->view));
  const char *text = filler->text + filler->offset;
  gsize n = next_chunk_length (text, filler->length - filler->offset);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, n);
  filler->offset += n;

  if (filler->offset < filler->length)
    return G_SOURCE_CONTINUE;

  filler->source = 0;
  done (filler);

  return G_SOURCE_REMOVE;
}

void
antenna_text_filler_init (AntennaTextFiller     *filler,
                          GtkSourceView         *view,
                          AntennaTextFillerDone  done_func,
                          gpointer               user_data)
{
  g_return_if_fail (filler != NULL);
  g_return_if_fail (GTK_SOURCE_IS_VIEW (view));
  g_return_if_fail (done_func != NULL);

  *filler = (AntennaTextFiller) { .view = view, .done = done_func, .user_data = user_data };
}

void
antenna_text_filler_show (AntennaTextFiller *filler,
                          char              *text,
                          const char        *language_id)
{
  gsize length = text != NULL ? strlen (text) : 0;
  gsize first = next_chunk_length (text, length);
  char saved;

  g_return_if_fail (filler != NULL);

  antenna_text_filler_stop (filler);

  if (first == length)
    {
      set_source_text (filler->view, text != NULL ? text : "", language_id);
      g_free (text);
      done (filler);
      return;
    }

  filler->text = text;
  filler->length = length;
  filler->offset = first;
  saved = text[first];
  text[first] = '\0';
  set_source_text (filler->view, text, language_id);
  text[first] = saved;

  /* Paced by a timer, not an idle: GTK's own layout and frames, which the
   * text keeps busy, would starve a low-priority idle for good. */
  filler->source = g_timeout_add (INSERT_INTERVAL_MS, insert_chunk_cb, filler);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, filler->source),
                            "[antenna] insert text");
}

void
antenna_text_filler_stop (AntennaTextFiller *filler)
{
  g_return_if_fail (filler != NULL);

  g_clear_handle_id (&filler->source, g_source_remove);
  g_clear_pointer (&filler->text, g_free);
  filler->offset = filler->length = 0;
}

gboolean
antenna_text_filler_get_filling (AntennaTextFiller *filler)
{
  g_return_val_if_fail (filler != NULL, FALSE);

  return filler->source != 0;
}
