/* antenna-value.h: a decoded payload, as a small tagged tree
 *
 * What every decoder produces (see antenna-decoder.h). JSON values alone
 * cannot hold what MessagePack, CBOR and Protocol Buffers carry, so the tree
 * has, besides null, booleans, numbers, strings, arrays and maps:
 *   - integers as signed (INT) or, past G_MAXINT64, unsigned (UINT) 64 bits;
 *   - doubles including NaN and ±Infinity;
 *   - BYTES (binary strings);
 *   - TIMESTAMP (seconds and nanoseconds since 1970, UTC): MessagePack's
 *     extension -1, CBOR tags 0 and 1, google.protobuf.Timestamp,
 *     Sparkplug's DateTime;
 *   - maps whose keys are any value (CBOR and MessagePack allow integer,
 *     binary, even map keys), in the order they came, duplicates kept.
 * Every node may carry an annotation: a short text a person reads beside it
 * ("tag 42", "extension type 5", "varint · zigzag −3", "not valid UTF-8 at
 * byte 7"), and containers an "incomplete" mark when a decoding budget
 * stopped before their end.
 *
 * Rendering follows the Protocol Buffers JSON mapping, so that what it
 * writes is always valid JSON that jq and the CLI's users can read: bytes as
 * Base64 strings, NaN and ±Infinity as the strings "NaN", "Infinity",
 * "-Infinity", timestamps as RFC 3339 strings ("2024-05-01T12:00:00.5Z"),
 * non-string map keys as their JSON text in a string ("1", "true"; a map
 * or list used as a key cut at 256 bytes).
 * Annotations and the incomplete mark are not part of the JSON; the
 * one-line preview ends an incomplete container with "…".
 *
 * Values are immutable once a decoder has built them, and reference
 * counted (atomically: a view may hand one to a thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _AntennaValue AntennaValue;

typedef enum {
  ANTENNA_VALUE_NULL,
  ANTENNA_VALUE_BOOL,
  ANTENNA_VALUE_INT,
  ANTENNA_VALUE_UINT,
  ANTENNA_VALUE_DOUBLE,
  ANTENNA_VALUE_STRING,
  ANTENNA_VALUE_BYTES,
  ANTENNA_VALUE_TIMESTAMP,
  ANTENNA_VALUE_ARRAY,
  ANTENNA_VALUE_MAP,
} AntennaValueKind;

#define ANTENNA_TYPE_VALUE (antenna_value_get_type ())
GType             antenna_value_get_type          (void) G_GNUC_CONST;

AntennaValue     *antenna_value_ref               (AntennaValue       *value);
void              antenna_value_unref             (AntennaValue       *value);

/* Building (decoders). Strings must be valid UTF-8 (may hold NUL: @length). */
AntennaValue     *antenna_value_new_null          (void);
AntennaValue     *antenna_value_new_bool          (gboolean            v);
AntennaValue     *antenna_value_new_int           (gint64              v);
/* An INT when @v fits in one, else UINT. */
AntennaValue     *antenna_value_new_uint          (guint64             v);
AntennaValue     *antenna_value_new_double        (double              v);
AntennaValue     *antenna_value_new_string        (const char         *str,
                                                   gssize              length);
/* Bytes that should be a string: valid UTF-8 as is, else a STRING with
 * U+FFFD for each bad sequence and an annotation naming the first bad byte
 * (@offset: where @data starts in the payload). */
AntennaValue     *antenna_value_new_text          (const char         *data,
                                                   gsize               length,
                                                   gsize               offset);
AntennaValue     *antenna_value_new_bytes         (GBytes             *bytes);
AntennaValue     *antenna_value_new_bytes_copy    (gconstpointer       data,
                                                   gsize               length);
AntennaValue     *antenna_value_new_timestamp     (gint64              seconds,
                                                   guint32             nanoseconds);
AntennaValue     *antenna_value_new_array         (void);
AntennaValue     *antenna_value_new_map           (void);
/* Take ownership of @item, @key and @v. */
void              antenna_value_array_append      (AntennaValue       *array,
                                                   AntennaValue       *item);
void              antenna_value_map_append        (AntennaValue       *map,
                                                   AntennaValue       *key,
                                                   AntennaValue       *v);
/* Shorthand for a string key. */
void              antenna_value_map_insert        (AntennaValue       *map,
                                                   const char         *key,
                                                   AntennaValue       *v);
void              antenna_value_set_annotation    (AntennaValue       *value,
                                                   const char         *annotation);
void              antenna_value_take_annotation   (AntennaValue       *value,
                                                   char               *annotation);
void              antenna_value_set_incomplete    (AntennaValue       *value,
                                                   gboolean            incomplete);

/* Reading. */
AntennaValueKind  antenna_value_get_kind          (const AntennaValue *value);
/* (nullable) */
const char       *antenna_value_get_annotation    (const AntennaValue *value);
gboolean          antenna_value_is_incomplete     (const AntennaValue *value);
gboolean          antenna_value_get_bool          (const AntennaValue *value);
gint64            antenna_value_get_int           (const AntennaValue *value);
guint64           antenna_value_get_uint          (const AntennaValue *value);
/* Any number (INT, UINT, DOUBLE) as a double; FALSE for other kinds. */
gboolean          antenna_value_get_number        (const AntennaValue *value,
                                                   double             *number);
double            antenna_value_get_double        (const AntennaValue *value);
const char       *antenna_value_get_string        (const AntennaValue *value,
                                                   gsize              *length);
GBytes           *antenna_value_get_bytes         (const AntennaValue *value);
void              antenna_value_get_timestamp     (const AntennaValue *value,
                                                   gint64             *seconds,
                                                   guint32            *nanoseconds);
/* Items of an array, pairs of a map; 0 for scalars. */
guint             antenna_value_get_n_children    (const AntennaValue *value);
/* The @index-th item of an array, or value of a map. (transfer none) */
AntennaValue     *antenna_value_get_child         (const AntennaValue *value,
                                                   guint               index);
/* The @index-th key of a map. (transfer none) */
AntennaValue     *antenna_value_get_key           (const AntennaValue *value,
                                                   guint               index);
/* The first value under the string @key of a map, NULL when none. */
AntennaValue     *antenna_value_lookup            (const AntennaValue *value,
                                                   const char         *key);
/* Follows a path of map keys and array indexes: "metrics[2].value",
 * "a.b", "[0]". NULL when any step is missing. */
AntennaValue     *antenna_value_lookup_path       (const AntennaValue *value,
                                                   const char         *path);

gboolean          antenna_value_equal             (const AntennaValue *a,
                                                   const AntennaValue *b);

/* JSON text (see the top of this file); @pretty: two-space indent. */
char             *antenna_value_to_json           (const AntennaValue *value,
                                                   gboolean            pretty);
/* One line for lists: compact JSON-like text of at most @max_chars
 * characters, "…" where it is cut or a container is incomplete; strings
 * unquoted at the top level ("21.5", "hello", "2024-05-01T12:00:00Z"),
 * bytes as hex ("0x01ff"). Stops rendering once the line is full, so it
 * costs the same on a huge tree as on a small one. */
char             *antenna_value_dup_preview       (const AntennaValue *value,
                                                   guint               max_chars);
/* A scalar as a tree cell shows it: strings as they are, bytes as
 * "01 ff …" (at most 64 bytes shown), timestamps in RFC 3339, numbers
 * as JSON writes them, NaN and ±Infinity as "NaN", "Infinity",
 * "-Infinity"; containers as "3 items" / "2 entries". */
char             *antenna_value_dup_display       (const AntennaValue *value);
/* "string", "bytes", "map"…: the kind, translated, for a tree's type column. */
const char       *antenna_value_kind_to_string    (AntennaValueKind    kind);

/* Calls @func for every number (INT, UINT, DOUBLE, BOOL as 0/1) in
 * document order with its path ("a.b[2]"), as for a chart. Stops when
 * @func returns FALSE. */
typedef gboolean (*AntennaValueNumberFunc) (const char *path,
                                            double      number,
                                            gpointer    user_data);
void              antenna_value_foreach_number    (const AntennaValue *value,
                                                   AntennaValueNumberFunc func,
                                                   gpointer            user_data);

/* RFC 3339 in UTC with as many fractional digits as needed:
 * "2024-05-01T12:00:00Z", "…:00.25Z". Years outside 0001–9999 as
 * seconds ("@-62135596801"). */
char             *antenna_value_format_timestamp  (gint64              seconds,
                                                   guint32             nanoseconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaValue, antenna_value_unref)

G_END_DECLS
