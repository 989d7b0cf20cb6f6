/* antenna-rate-text.h: a message rate as a label shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n.h>

#include "antenna-rate.h"

/* "12/s", "0.4/s"; "" for no message in the last seconds. */
static inline void
antenna_rate_text (double rate,
                   char   text[32])
{
  if (rate <= 0)
    text[0] = '\0';
  else if (rate >= 9.95)
    /* TRANSLATORS: messages per second, as in "12/s" */
    g_snprintf (text, 32, C_("message rate", "%.0f/s"), rate);
  else
    /* TRANSLATORS: messages per second, as in "0.4/s" */
    g_snprintf (text, 32, C_("message rate", "%.1f/s"), rate);
}
