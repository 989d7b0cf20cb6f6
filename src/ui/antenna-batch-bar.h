/* antenna-batch-bar.h: a batch of messages from a JSON Lines file, under way in the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-publish-batch.h"
#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_BATCH_BAR (antenna_batch_bar_get_type ())

G_DECLARE_FINAL_TYPE (AntennaBatchBar, antenna_batch_bar, ANTENNA, BATCH_BAR, GtkBox)

/* Checks @file, then publishes its messages on @client
 * (antenna-publish-batch.h), at the rate of its Rate field (messages a
 * second, 0: as fast as the broker takes them; changed while it runs too),
 * with progress, pause and cancel; invalid lines
 * are listed by number and sent only when the person says so ("Send the
 * Valid Ones"). Hidden until started. Property: running. */
GtkWidget  *antenna_batch_bar_new        (void);
void        antenna_batch_bar_start      (AntennaBatchBar *self,
                                          AntennaClient   *client,
                                          GFile           *file);
gboolean    antenna_batch_bar_get_running (AntennaBatchBar *self);
/* The line shown: what it does, or how it ended. */
const char *antenna_batch_bar_get_text   (AntennaBatchBar *self);
/* (nullable) The batch of the last start (transfer none). */
AntennaPublishBatch *antenna_batch_bar_get_batch (AntennaBatchBar *self);

G_END_DECLS
