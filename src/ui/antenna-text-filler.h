/* antenna-text-filler.h: a long text put into a text view a slice at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

typedef void (*AntennaTextFillerDone) (gpointer user_data);

/* Embedded in its owner (the inspector has one for the payload and one for
 * the diff); the view is borrowed. */
typedef struct
{
  GtkSourceView         *view;
  AntennaTextFillerDone  done;        /* when the last slice is in */
  gpointer               user_data;

  char                  *text;        /* what is left to insert */
  gsize                  offset;
  gsize                  length;
  guint                  source;
} AntennaTextFiller;

void      antenna_text_filler_init        (AntennaTextFiller     *filler,
                                           GtkSourceView         *view,
                                           AntennaTextFillerDone  done,
                                           gpointer               user_data);
/* Takes @text (NULL: empty), highlighted as @language_id (NULL: none). */
void      antenna_text_filler_show        (AntennaTextFiller     *filler,
                                           char                  *text,
                                           const char            *language_id);
/* Drops what is not in the view yet; does not call done. */
void      antenna_text_filler_stop        (AntennaTextFiller     *filler);
gboolean  antenna_text_filler_get_filling (AntennaTextFiller     *filler);

G_END_DECLS
