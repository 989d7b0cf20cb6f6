/* antenna-message-ring.h: a growable FIFO of AntennaMessage references
 *
 * Private to the core, shared by AntennaTopicTree (a topic's history) and
 * AntennaMessageLog. Positions are absolute: the n-th message ever pushed is
 * at position n, the ring holds positions [low, high). Pushing and popping
 * are O(1) amortised; the capacity is a power of two that doubles on demand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-message.h"

G_BEGIN_DECLS

typedef struct
{
  AntennaMessage **buf;
  gsize            mask;   /* capacity - 1; 0 while buf is NULL */
  guint64          low;
  guint64          high;
} AntennaMessageRing;

static inline guint64
antenna_message_ring_length (const AntennaMessageRing *ring)
{
  return ring->high - ring->low;
}

/* Borrowed: valid while @pos is in [low, high). */
static inline AntennaMessage *
antenna_message_ring_get (const AntennaMessageRing *ring,
                          guint64                   pos)
{
  g_assert (pos >= ring->low && pos < ring->high);
  return ring->buf[pos & ring->mask];
}

static inline void
antenna_message_ring_grow (AntennaMessageRing *ring)
{
  gsize old_capacity = ring->buf != NULL ? ring->mask + 1 : 0;
  gsize capacity = old_capacity != 0 ? old_capacity * 2 : 4;
  AntennaMessage **buf = g_new (AntennaMessage *, capacity);

  for (guint64 pos = ring->low; pos < ring->high; pos++)
    buf[pos & (capacity - 1)] = ring->buf[pos & ring->mask];

  g_free (ring->buf);
  ring->buf = buf;
  ring->mask = capacity - 1;
}

/* Adds a reference to @message at the end. */
static inline void
antenna_message_ring_push (AntennaMessageRing *ring,
                           AntennaMessage     *message)
{
  if (ring->buf == NULL || ring->high - ring->low > ring->mask)
    antenna_message_ring_grow (ring);

  ring->buf[ring->high & ring->mask] = g_object_ref (message);
  ring->high++;
}

/* Removes the oldest message and returns its reference (full transfer). */
static inline AntennaMessage *
antenna_message_ring_pop (AntennaMessageRing *ring)
{
  AntennaMessage *message;

  g_assert (ring->low < ring->high);
  message = ring->buf[ring->low & ring->mask];
  ring->buf[ring->low & ring->mask] = NULL;
  ring->low++;

  return message;
}

/* Drops every message; the next push continues at @ring->high. */
static inline void
antenna_message_ring_clear (AntennaMessageRing *ring)
{
  while (ring->low < ring->high)
    g_object_unref (antenna_message_ring_pop (ring));

  g_clear_pointer (&ring->buf, g_free);
  ring->mask = 0;
}

G_END_DECLS
