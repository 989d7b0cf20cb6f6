/* antenna-topic.h: MQTT topic name and filter validation, and filter matching
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ANTENNA_TOPIC_MAX_LENGTH 65535

/* A topic name to publish to: non-empty, valid UTF-8, no NUL, at most 65,535
 * bytes, no '+' or '#', not starting with "$share/" (a valid name is always
 * a valid filter that matches it). On failure sets ANTENNA_ERROR_INVALID_TOPIC with a
 * sentence that says why and where ("'+' is a wildcard and cannot appear in a
 * topic name (position 5)"). @length may be -1 for a NUL-terminated string. */
gboolean  antenna_topic_validate_name   (const char  *topic,
                                         gssize       length,
                                         GError     **error);
/* A topic filter: the rules of a name, but '+' and '#' allowed as whole levels,
 * '#' only last. */
gboolean  antenna_topic_validate_filter (const char  *filter,
                                         gssize       length,
                                         GError     **error);
/* Whether a valid @topic matches a valid @filter, with the '$' rule: a
 * wildcard at the first level never matches a topic starting with '$'.
 * Handles "$share/group/filter" by matching the filter part. */
gboolean  antenna_topic_matches         (const char  *filter,
                                         const char  *topic);

G_END_DECLS
