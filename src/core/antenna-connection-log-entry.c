/* antenna-connection-log-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-connection-log"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "antenna-connection-log-entry.h"
#include "antenna-enums.h"

struct _AntennaConnectionLogEntry
{
  GObject                    parent_instance;

  gint64                     time;
  AntennaConnectionLogLevel  level;
  char                      *text;
  char                      *detail;
  char                      *folded;  /* text and detail, case-folded: made at the first search */
};

enum {
  PROP_0,
  PROP_TIME,
  PROP_LEVEL,
  PROP_TEXT,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AntennaConnectionLogEntry, antenna_connection_log_entry, G_TYPE_OBJECT)

static const char *
level_name (AntennaConnectionLogLevel level)
{
  switch (level)
    {
    case ANTENNA_CONNECTION_LOG_LEVEL_WARNING:
      return C_("connection log level", "Warning");
    case ANTENNA_CONNECTION_LOG_LEVEL_ERROR:
      return C_("connection log level", "Error");
    case ANTENNA_CONNECTION_LOG_LEVEL_INFO:
    default:
      return C_("connection log level", "Info");
    }
}

/* @format (g_date_time_format()'s) and the milliseconds, local time. */
static char *
format_time (AntennaConnectionLogEntry *self,
             const char                *format)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_local (self->time / G_USEC_PER_SEC);
  g_autofree char *text = g_date_time_format (seconds, format);

  return g_strdup_printf ("%s.%03d", text, (int) (self->time % G_USEC_PER_SEC / 1000));
}

static void
antenna_connection_log_entry_finalize (GObject *object)
{
  AntennaConnectionLogEntry *self = ANTENNA_CONNECTION_LOG_ENTRY (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->folded, g_free);

  G_OBJECT_CLASS (antenna_connection_log_entry_parent_class)->finalize (object);
}

static void
antenna_connection_log_entry_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  AntennaConnectionLogEntry *self = ANTENNA_CONNECTION_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, self->level);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_log_entry_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  AntennaConnectionLogEntry *self = ANTENNA_CONNECTION_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_TIME:
      self->time = g_value_get_int64 (value);
      break;
    case PROP_LEVEL:
      self->level = g_value_get_enum (value);
      break;
    case PROP_TEXT:
      self->text = g_value_dup_string (value);
      break;
    case PROP_DETAIL:
      self->detail = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_connection_log_entry_class_init (AntennaConnectionLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_connection_log_entry_finalize;
  object_class->get_property = antenna_connection_log_entry_get_property;
  object_class->set_property = antenna_connection_log_entry_set_property;

  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LEVEL] =
    g_param_spec_enum ("level", NULL, NULL,
                       ANTENNA_TYPE_CONNECTION_LOG_LEVEL, ANTENNA_CONNECTION_LOG_LEVEL_INFO,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_connection_log_entry_init (AntennaConnectionLogEntry *self)
{
}

AntennaConnectionLogEntry *
antenna_connection_log_entry_new (gint64                     time,
                                  AntennaConnectionLogLevel  level,
                                  const char                *text,
                                  const char                *detail)
{
  g_return_val_if_fail (text != NULL, NULL);

  return g_object_new (ANTENNA_TYPE_CONNECTION_LOG_ENTRY,
                       "time", time,
                       "level", level,
                       "text", text,
                       "detail", detail,
                       NULL);
}

const char *
antenna_connection_log_entry_get_level_name (AntennaConnectionLogEntry *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), NULL);

  return level_name (self->level);
}

gint64
antenna_connection_log_entry_get_time (AntennaConnectionLogEntry *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), 0);

  return self->time;
}

GDateTime *
antenna_connection_log_entry_dup_date_time (AntennaConnectionLogEntry *self)
{
  g_autoptr(GDateTime) seconds = NULL;

  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), NULL);

  /* GLib 2.74: no _usec constructor yet */
  seconds = g_date_time_new_from_unix_local (self->time / G_USEC_PER_SEC);
  return g_date_time_add (seconds, self->time % G_USEC_PER_SEC);
}

AntennaConnectionLogLevel
antenna_connection_log_entry_get_level (AntennaConnectionLogEntry *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), ANTENNA_CONNECTION_LOG_LEVEL_INFO);

  return self->level;
}

const char *
antenna_connection_log_entry_get_text (AntennaConnectionLogEntry *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), NULL);

  return self->text;
}

const char *
antenna_connection_log_entry_get_detail (AntennaConnectionLogEntry *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), NULL);

  return self->detail;
}

char *
antenna_connection_log_entry_format_time (AntennaConnectionLogEntry *self)
{
  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), NULL);

  return format_time (self, "%H:%M:%S");
}

char *
antenna_connection_log_entry_to_string (AntennaConnectionLogEntry *self)
{
  g_autofree char *time = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), NULL);

  time = format_time (self, "%Y-%m-%d %H:%M:%S");
  if (self->detail != NULL && *self->detail != '\0')
    detail = g_strdup_printf (" [%s]", self->detail);

  return g_strdup_printf ("%s  %s  %s%s", time, level_name (self->level), self->text, detail ? detail : "");
}

gboolean
antenna_connection_log_entry_matches (AntennaConnectionLogEntry *self,
                                      const char                *needle)
{
  g_autofree char *folded_needle = NULL;

  g_return_val_if_fail (ANTENNA_IS_CONNECTION_LOG_ENTRY (self), FALSE);

  if (needle == NULL || *needle == '\0')
    return TRUE;

  if (self->folded == NULL)
    {
      g_autofree char *both = g_strconcat (self->text, "\n", self->detail ? self->detail : "", NULL);

      self->folded = g_utf8_casefold (both, -1);
    }

  folded_needle = g_utf8_casefold (needle, -1);
  return strstr (self->folded, folded_needle) != NULL;
}
