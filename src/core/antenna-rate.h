/* antenna-rate.h: messages per second over the last few seconds, O(1) a message
 *
 * A ring of per-second counts: adding is an increment (and, once a second,
 * clearing the seconds that passed); the rate is the mean of the last
 * ANTENNA_RATE_SECONDS whole seconds, so a steady flow reads steady and a
 * stopped one reads 0 after that many seconds. The caller passes the
 * monotonic second (g_get_monotonic_time () / G_USEC_PER_SEC), read once per
 * batch on the ingest path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <glib.h>

G_BEGIN_DECLS

#define ANTENNA_RATE_SECONDS 5

typedef struct
{
  guint32 counts[ANTENNA_RATE_SECONDS + 1];  /* the seconds being counted and the current one */
  gint64  second;                             /* the newest second counted */
} AntennaRate;

static inline gint64
antenna_rate_now (void)
{
  return g_get_monotonic_time () / G_USEC_PER_SEC;
}

/* Clears the seconds between the newest counted and @second. */
static inline void
antenna_rate_advance (AntennaRate *rate,
                      gint64       second)
{
  gint64 gap = second - rate->second;

  if (gap <= 0)
    return;
  if (gap > ANTENNA_RATE_SECONDS)
    memset (rate->counts, 0, sizeof rate->counts);
  else
    for (gint64 s = rate->second + 1; s <= second; s++)
      rate->counts[s % (ANTENNA_RATE_SECONDS + 1)] = 0;
  rate->second = second;
}

static inline void
antenna_rate_add (AntennaRate *rate,
                  gint64       second,
                  guint32      n)
{
  if G_UNLIKELY (second != rate->second)
    antenna_rate_advance (rate, second);
  rate->counts[second % (ANTENNA_RATE_SECONDS + 1)] += n;
}

/* Messages per second over the ANTENNA_RATE_SECONDS whole seconds before @second. */
static inline double
antenna_rate_get (const AntennaRate *rate,
                  gint64             second)
{
  guint64 sum = 0;

  for (gint64 s = second - ANTENNA_RATE_SECONDS; s < second; s++)
    if (s <= rate->second && s > rate->second - (ANTENNA_RATE_SECONDS + 1))
      sum += rate->counts[s % (ANTENNA_RATE_SECONDS + 1)];

  return (double) sum / ANTENNA_RATE_SECONDS;
}

G_END_DECLS
