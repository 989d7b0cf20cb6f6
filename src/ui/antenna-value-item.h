/* antenna-value-item.h: one node of a decoded payload, for a tree list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-value.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_VALUE_ITEM (antenna_value_item_get_type ())

G_DECLARE_FINAL_TYPE (AntennaValueItem, antenna_value_item, ANTENNA, VALUE_ITEM, GObject)

/* Properties (read-only): key ("temperature", "[2]", "" for the root),
 * display (antenna_value_dup_display(): "21.5", a timestamp as a date,
 * "3 items"), kind ("number", "map"… translated), annotation ("" or the
 * decoder's note: "tag 42", "not valid UTF-8 at byte 7"), expandable. */
AntennaValueItem *antenna_value_item_new            (const char       *key,
                                                     AntennaValue     *value);
const char       *antenna_value_item_get_key        (AntennaValueItem *self);
const char       *antenna_value_item_get_display    (AntennaValueItem *self);
/* (transfer none) */
AntennaValue     *antenna_value_item_get_value      (AntennaValueItem *self);
/* The items of an array or the entries of a map, made when asked (a row
 * expanded): a new GListModel of AntennaValueItem, NULL for a scalar. */
GListModel       *antenna_value_item_dup_children   (AntennaValueItem *self);

G_END_DECLS
