/* antenna-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-settings"

#include "config.h"

#include "antenna-profile.h"
#include "antenna-settings.h"

struct _AntennaSettings
{
  GObject         parent_instance;

  /* Owned References */
  GSettings      *settings;
  char           *timestamp_format;

  AdwColorScheme  color_scheme;
  guint           message_log_limit;
  guint           topic_history_limit;
  guint           topic_history_memory;
  guint           payload_preview_size;
  int             window_width;
  int             window_height;
  gboolean        window_maximized;
  gboolean        record_all;
  guint           capture_max_size;
  gboolean        repeat_resume_on_reconnect;
  gboolean        repeat_templates_autostart;
};

G_DEFINE_FINAL_TYPE (AntennaSettings, antenna_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COLOR_SCHEME,
  PROP_MESSAGE_LOG_LIMIT,
  PROP_TOPIC_HISTORY_LIMIT,
  PROP_TOPIC_HISTORY_MEMORY,
  PROP_PAYLOAD_PREVIEW_SIZE,
  PROP_TIMESTAMP_FORMAT,
  PROP_WINDOW_WIDTH,
  PROP_WINDOW_HEIGHT,
  PROP_WINDOW_MAXIMIZED,
  PROP_RECORD_ALL,
  PROP_CAPTURE_MAX_SIZE,
  PROP_REPEAT_RESUME_ON_RECONNECT,
  PROP_REPEAT_TEMPLATES_AUTOSTART,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_uint (AntennaSettings *self,
          guint           *field,
          guint            value,
          int              prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int (AntennaSettings *self,
         int             *field,
         int              value,
         int              prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static char *
make_insecure_entry (AntennaProfile *profile)
{
  return g_strdup_printf ("%s %s",
                          antenna_profile_get_id (profile),
                          antenna_profile_get_host (profile));
}

static void
antenna_settings_finalize (GObject *object)
{
  AntennaSettings *self = (AntennaSettings *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->timestamp_format, g_free);

  G_OBJECT_CLASS (antenna_settings_parent_class)->finalize (object);
}

static void
antenna_settings_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AntennaSettings *self = ANTENNA_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_COLOR_SCHEME:
      g_value_set_enum (value, self->color_scheme);
      break;

    case PROP_MESSAGE_LOG_LIMIT:
      g_value_set_uint (value, self->message_log_limit);
      break;

    case PROP_TOPIC_HISTORY_LIMIT:
      g_value_set_uint (value, self->topic_history_limit);
      break;

    case PROP_TOPIC_HISTORY_MEMORY:
      g_value_set_uint (value, self->topic_history_memory);
      break;

    case PROP_PAYLOAD_PREVIEW_SIZE:
      g_value_set_uint (value, self->payload_preview_size);
      break;

    case PROP_TIMESTAMP_FORMAT:
      g_value_set_string (value, self->timestamp_format);
      break;

    case PROP_WINDOW_WIDTH:
      g_value_set_int (value, self->window_width);
      break;

    case PROP_WINDOW_HEIGHT:
      g_value_set_int (value, self->window_height);
      break;

    case PROP_WINDOW_MAXIMIZED:
      g_value_set_boolean (value, self->window_maximized);
      break;

    case PROP_RECORD_ALL:
      g_value_set_boolean (value, self->record_all);
      break;

    case PROP_CAPTURE_MAX_SIZE:
      g_value_set_uint (value, self->capture_max_size);
      break;

    case PROP_REPEAT_RESUME_ON_RECONNECT:
      g_value_set_boolean (value, self->repeat_resume_on_reconnect);
      break;

    case PROP_REPEAT_TEMPLATES_AUTOSTART:
      g_value_set_boolean (value, self->repeat_templates_autostart);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_settings_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AntennaSettings *self = ANTENNA_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_COLOR_SCHEME:
      antenna_settings_set_color_scheme (self, g_value_get_enum (value));
      break;

    case PROP_MESSAGE_LOG_LIMIT:
      set_uint (self, &self->message_log_limit, g_value_get_uint (value), prop_id);
      break;

    case PROP_TOPIC_HISTORY_LIMIT:
      set_uint (self, &self->topic_history_limit, g_value_get_uint (value), prop_id);
      break;

    case PROP_TOPIC_HISTORY_MEMORY:
      set_uint (self, &self->topic_history_memory, g_value_get_uint (value), prop_id);
      break;

    case PROP_PAYLOAD_PREVIEW_SIZE:
      set_uint (self, &self->payload_preview_size, g_value_get_uint (value), prop_id);
      break;

    case PROP_TIMESTAMP_FORMAT:
      if (g_strcmp0 (self->timestamp_format, g_value_get_string (value)) != 0)
        {
          g_free (self->timestamp_format);
          self->timestamp_format = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_WINDOW_WIDTH:
      set_int (self, &self->window_width, g_value_get_int (value), prop_id);
      break;

    case PROP_WINDOW_HEIGHT:
      set_int (self, &self->window_height, g_value_get_int (value), prop_id);
      break;

    case PROP_WINDOW_MAXIMIZED:
      if (self->window_maximized != g_value_get_boolean (value))
        {
          self->window_maximized = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_RECORD_ALL:
      if (self->record_all != g_value_get_boolean (value))
        {
          self->record_all = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_CAPTURE_MAX_SIZE:
      set_uint (self, &self->capture_max_size, g_value_get_uint (value), prop_id);
      break;

    case PROP_REPEAT_RESUME_ON_RECONNECT:
      if (self->repeat_resume_on_reconnect != g_value_get_boolean (value))
        {
          self->repeat_resume_on_reconnect = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_REPEAT_TEMPLATES_AUTOSTART:
      if (self->repeat_templates_autostart != g_value_get_boolean (value))
        {
          self->repeat_templates_autostart = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_settings_class_init (AntennaSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_settings_finalize;
  object_class->get_property = antenna_settings_get_property;
  object_class->set_property = antenna_settings_set_property;

  properties[PROP_COLOR_SCHEME] =
    g_param_spec_enum ("color-scheme", NULL, NULL,
                       ADW_TYPE_COLOR_SCHEME, ADW_COLOR_SCHEME_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE_LOG_LIMIT] =
    g_param_spec_uint ("message-log-limit", NULL, NULL,
                       100, 10000000, 10000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOPIC_HISTORY_LIMIT] =
    g_param_spec_uint ("topic-history-limit", NULL, NULL,
                       1, 100000, 100,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOPIC_HISTORY_MEMORY] =
    g_param_spec_uint ("topic-history-memory", NULL, NULL,
                       1, 65536, 32,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAYLOAD_PREVIEW_SIZE] =
    g_param_spec_uint ("payload-preview-size", NULL, NULL,
                       1024, 268435455, 1048576,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMESTAMP_FORMAT] =
    g_param_spec_string ("timestamp-format", NULL, NULL,
                         "time-ms",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_WIDTH] =
    g_param_spec_int ("window-width", NULL, NULL,
                      -1, G_MAXINT, 1280,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_HEIGHT] =
    g_param_spec_int ("window-height", NULL, NULL,
                      -1, G_MAXINT, 800,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_MAXIMIZED] =
    g_param_spec_boolean ("window-maximized", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_RECORD_ALL] =
    g_param_spec_boolean ("record-all", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPTURE_MAX_SIZE] =
    g_param_spec_uint ("capture-max-size", NULL, NULL,
                       0, 1048576, 1024,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPEAT_RESUME_ON_RECONNECT] =
    g_param_spec_boolean ("repeat-resume-on-reconnect", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPEAT_TEMPLATES_AUTOSTART] =
    g_param_spec_boolean ("repeat-templates-autostart", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_settings_init (AntennaSettings *self)
{
  static const char * const keys[] = {
    "color-scheme", "message-log-limit", "topic-history-limit", "topic-history-memory",
    "payload-preview-size",
    "timestamp-format", "window-width", "window-height", "window-maximized",
    "record-all", "capture-max-size",
    "repeat-resume-on-reconnect", "repeat-templates-autostart",
  };

  self->color_scheme = ADW_COLOR_SCHEME_DEFAULT;
  self->message_log_limit = 10000;
  self->topic_history_limit = 100;
  self->topic_history_memory = 32;
  self->payload_preview_size = 1048576;
  self->timestamp_format = g_strdup ("time-ms");
  self->window_width = 1280;
  self->window_height = 800;
  self->capture_max_size = 1024;
  self->repeat_resume_on_reconnect = TRUE;

  self->settings = g_settings_new (APP_ID);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_bind (self->settings, keys[i], self, keys[i], G_SETTINGS_BIND_DEFAULT);
}

AntennaSettings *
antenna_settings_new (void)
{
  return g_object_new (ANTENNA_TYPE_SETTINGS, NULL);
}

AdwColorScheme
antenna_settings_get_color_scheme (AntennaSettings *self)
{
  g_return_val_if_fail (ANTENNA_IS_SETTINGS (self), ADW_COLOR_SCHEME_DEFAULT);

  return self->color_scheme;
}

void
antenna_settings_set_color_scheme (AntennaSettings *self,
                                   AdwColorScheme   scheme)
{
  g_return_if_fail (ANTENNA_IS_SETTINGS (self));

  /* Only the three the preferences offer: the schema's enum has no other. */
  if (scheme != ADW_COLOR_SCHEME_FORCE_LIGHT && scheme != ADW_COLOR_SCHEME_FORCE_DARK)
    scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (self->color_scheme == scheme)
    return;

  self->color_scheme = scheme;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_SCHEME]);
}

guint
antenna_settings_get_message_log_limit (AntennaSettings *self)
{
  g_return_val_if_fail (ANTENNA_IS_SETTINGS (self), 0);

  return self->message_log_limit;
}

guint
antenna_settings_get_topic_history_limit (AntennaSettings *self)
{
  g_return_val_if_fail (ANTENNA_IS_SETTINGS (self), 0);

  return self->topic_history_limit;
}

guint
antenna_settings_get_payload_preview_size (AntennaSettings *self)
{
  g_return_val_if_fail (ANTENNA_IS_SETTINGS (self), 0);

  return self->payload_preview_size;
}

const char *
antenna_settings_get_timestamp_format (AntennaSettings *self)
{
  g_return_val_if_fail (ANTENNA_IS_SETTINGS (self), NULL);

  return self->timestamp_format;
}

char *
antenna_settings_format_timestamp (AntennaSettings *self,
                                   gint64           unix_usec)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *base = NULL;
  int ms;

  g_return_val_if_fail (ANTENNA_IS_SETTINGS (self), NULL);

  local = g_date_time_new_from_unix_local (unix_usec / G_USEC_PER_SEC);
  if (local == NULL)
    return g_strdup ("");

  ms = (int) ((unix_usec % G_USEC_PER_SEC) / 1000);

  if (g_strcmp0 (self->timestamp_format, "time") == 0)
    return g_date_time_format (local, "%H:%M:%S");

  if (g_strcmp0 (self->timestamp_format, "date-time") == 0)
    return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

  if (g_strcmp0 (self->timestamp_format, "iso8601") == 0)
    {
      g_autofree char *offset = g_date_time_format (local, "%:z");

      base = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
      return g_strdup_printf ("%s.%03d%s", base, ms, offset);
    }

  base = g_date_time_format (local, "%H:%M:%S");
  return g_strdup_printf ("%s.%03d", base, ms);
}

void
antenna_settings_get_window_state (AntennaSettings *self,
                                   int             *width,
                                   int             *height,
                                   gboolean        *maximized)
{
  g_return_if_fail (ANTENNA_IS_SETTINGS (self));

  if (width != NULL)
    *width = self->window_width;
  if (height != NULL)
    *height = self->window_height;
  if (maximized != NULL)
    *maximized = self->window_maximized;
}

void
antenna_settings_set_window_state (AntennaSettings *self,
                                   int              width,
                                   int              height,
                                   gboolean         maximized)
{
  g_return_if_fail (ANTENNA_IS_SETTINGS (self));

  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "window-maximized", maximized, NULL);
  /* The size of a maximized window is not the one to restore. */
  if (!maximized && width > 0 && height > 0)
    g_object_set (self, "window-width", width, "window-height", height, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
antenna_settings_get_insecure_password_accepted (AntennaSettings *self,
                                                 AntennaProfile  *profile)
{
  g_auto(GStrv) accepted = NULL;
  g_autofree char *entry = NULL;

  g_return_val_if_fail (ANTENNA_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (ANTENNA_IS_PROFILE (profile), FALSE);

  accepted = g_settings_get_strv (self->settings, "insecure-password-accepted");
  entry = make_insecure_entry (profile);

  return g_strv_contains ((const char * const *)accepted, entry);
}

void
antenna_settings_set_insecure_password_accepted (AntennaSettings *self,
                                                 AntennaProfile  *profile,
                                                 gboolean         accepted)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) old = NULL;
  g_auto(GStrv) result = NULL;
  g_autofree char *prefix = NULL;

  g_return_if_fail (ANTENNA_IS_SETTINGS (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));

  old = g_settings_get_strv (self->settings, "insecure-password-accepted");
  prefix = g_strconcat (antenna_profile_get_id (profile), " ", NULL);
  builder = g_strv_builder_new ();

  /* One entry per profile: a new host replaces the old one. */
  for (guint i = 0; old[i] != NULL; i++)
    if (!g_str_has_prefix (old[i], prefix))
      g_strv_builder_add (builder, old[i]);

  if (accepted)
    {
      g_autofree char *entry = make_insecure_entry (profile);
      g_strv_builder_add (builder, entry);
    }

  result = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "insecure-password-accepted", (const char * const *)result);
}

void
antenna_settings_forget_profile (AntennaSettings *self,
                                 const char      *profile_id)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) old = NULL;
  g_auto(GStrv) result = NULL;
  g_autofree char *prefix = NULL;

  g_return_if_fail (ANTENNA_IS_SETTINGS (self));
  g_return_if_fail (profile_id != NULL);

  old = g_settings_get_strv (self->settings, "insecure-password-accepted");
  prefix = g_strconcat (profile_id, " ", NULL);
  builder = g_strv_builder_new ();

  for (guint i = 0; old[i] != NULL; i++)
    if (!g_str_has_prefix (old[i], prefix))
      g_strv_builder_add (builder, old[i]);

  result = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "insecure-password-accepted", (const char * const *)result);
}

GAction *
antenna_settings_create_action (AntennaSettings *self,
                                const char      *key)
{
  g_return_val_if_fail (ANTENNA_IS_SETTINGS (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_settings_create_action (self->settings, key);
}
