/* antenna-message-private.h: received messages made without copying
 *
 * Private to the core: AntennaClient's bridge keeps a received message's
 * topic and payload in one block, and the AntennaMessage refers to that
 * block instead of copying the topic or wrapping the payload in a GBytes
 * up front.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-message.h"

G_BEGIN_DECLS

typedef struct _AntennaMessageBlock AntennaMessageBlock;

/* The storage of a received message's topic (NUL-terminated) and payload.
 * Reference-counted: the message holds one reference, and so does the
 * GBytes that antenna_message_get_payload() makes on first use; @release
 * runs when the last goes, on whichever thread drops it. */
struct _AntennaMessageBlock
{
  gatomicrefcount  ref_count;
  void           (*release) (AntennaMessageBlock *block);
  const char      *topic;
  const guint8    *payload;
  gsize            payload_len;
  gsize            footprint;   /* bytes allocated for the block and the payload */
};

static inline void
antenna_message_block_unref (AntennaMessageBlock *block)
{
  if (g_atomic_ref_count_dec (&block->ref_count))
    block->release (block);
}

/* Takes @block's reference and @properties (nullable). A received message. */
AntennaMessage *antenna_message_new_from_block (AntennaMessageBlock *block,
                                                int                  qos,
                                                gboolean             retain,
                                                gboolean             dup,
                                                gint64               timestamp,
                                                AntennaProperties   *properties);

/* About how many bytes of memory @message holds: its object, topic,
 * payload and properties, with the allocator's overhead. What the topic
 * tree's history budget counts. */
gsize           antenna_message_get_footprint  (AntennaMessage      *message);

G_END_DECLS
