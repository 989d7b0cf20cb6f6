/* antenna-subscription.c: one topic filter with its options and live state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-subscription"

#include "config.h"

#include "antenna-rate.h"
#include "antenna-subscription.h"

struct _AntennaSubscription
{
  GObject                   parent_instance;

  char                     *filter;
  char                     *color;
  char                     *error;
  guint64                   message_count;
  AntennaRate               rate;
  int                       qos;
  int                       granted_qos;
  AntennaRetainHandling     retain_handling;
  AntennaSubscriptionState  state;
  guint                     no_local : 1;
  guint                     retain_as_published : 1;
  guint                     paused : 1;
};

enum {
  PROP_0,
  PROP_FILTER,
  PROP_QOS,
  PROP_NO_LOCAL,
  PROP_RETAIN_AS_PUBLISHED,
  PROP_RETAIN_HANDLING,
  PROP_COLOR,
  PROP_PAUSED,
  PROP_STATE,
  PROP_GRANTED_QOS,
  PROP_ERROR,
  PROP_MESSAGE_COUNT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (AntennaSubscription, antenna_subscription, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **str_pointer,
         const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

static void
antenna_subscription_finalize (GObject *object)
{
  AntennaSubscription *self = (AntennaSubscription *)object;

  g_clear_pointer (&self->filter, g_free);
  g_clear_pointer (&self->color, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (antenna_subscription_parent_class)->finalize (object);
}

static void
antenna_subscription_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AntennaSubscription *self = ANTENNA_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      g_value_set_string (value, self->filter);
      break;

    case PROP_QOS:
      g_value_set_int (value, self->qos);
      break;

    case PROP_NO_LOCAL:
      g_value_set_boolean (value, self->no_local);
      break;

    case PROP_RETAIN_AS_PUBLISHED:
      g_value_set_boolean (value, self->retain_as_published);
      break;

    case PROP_RETAIN_HANDLING:
      g_value_set_enum (value, self->retain_handling);
      break;

    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_GRANTED_QOS:
      g_value_set_int (value, self->granted_qos);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_MESSAGE_COUNT:
      g_value_set_uint64 (value, self->message_count);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_subscription_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AntennaSubscription *self = ANTENNA_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      g_assert (self->filter == NULL);
      self->filter = g_value_dup_string (value);
      if (self->filter == NULL)
        self->filter = g_strdup ("");
      break;

    case PROP_QOS:
      antenna_subscription_set_qos (self, g_value_get_int (value));
      break;

    case PROP_NO_LOCAL:
      antenna_subscription_set_no_local (self, g_value_get_boolean (value));
      break;

    case PROP_RETAIN_AS_PUBLISHED:
      antenna_subscription_set_retain_as_published (self, g_value_get_boolean (value));
      break;

    case PROP_RETAIN_HANDLING:
      antenna_subscription_set_retain_handling (self, g_value_get_enum (value));
      break;

    case PROP_COLOR:
      antenna_subscription_set_color (self, g_value_get_string (value));
      break;

    case PROP_PAUSED:
      antenna_subscription_set_paused (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_subscription_class_init (AntennaSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_subscription_finalize;
  object_class->get_property = antenna_subscription_get_property;
  object_class->set_property = antenna_subscription_set_property;

  properties[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_QOS] =
    g_param_spec_int ("qos", NULL, NULL, 0, 2, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NO_LOCAL] =
    g_param_spec_boolean ("no-local", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RETAIN_AS_PUBLISHED] =
    g_param_spec_boolean ("retain-as-published", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RETAIN_HANDLING] =
    g_param_spec_enum ("retain-handling", NULL, NULL,
                       ANTENNA_TYPE_RETAIN_HANDLING, ANTENNA_RETAIN_HANDLING_SEND,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       ANTENNA_TYPE_SUBSCRIPTION_STATE, ANTENNA_SUBSCRIPTION_STATE_INACTIVE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_GRANTED_QOS] =
    g_param_spec_int ("granted-qos", NULL, NULL, -1, 2, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MESSAGE_COUNT] =
    g_param_spec_uint64 ("message-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_subscription_init (AntennaSubscription *self)
{
  self->granted_qos = -1;
  self->retain_handling = ANTENNA_RETAIN_HANDLING_SEND;
  self->state = ANTENNA_SUBSCRIPTION_STATE_INACTIVE;
}

AntennaSubscription *
antenna_subscription_new (const char *filter,
                          int         qos)
{
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (qos >= 0 && qos <= 2, NULL);

  return g_object_new (ANTENNA_TYPE_SUBSCRIPTION,
                       "filter", filter,
                       "qos", qos,
                       NULL);
}

/* A copy of the saved settings (filter, QoS, options, colour, paused); the
 * live state of the copy starts anew (inactive, no messages). */
AntennaSubscription *
antenna_subscription_copy (AntennaSubscription *self)
{
  AntennaSubscription *copy;

  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), NULL);

  copy = antenna_subscription_new (self->filter, self->qos);
  copy->no_local = self->no_local;
  copy->retain_as_published = self->retain_as_published;
  copy->retain_handling = self->retain_handling;
  copy->color = g_strdup (self->color);
  copy->paused = self->paused;

  return copy;
}

const char *
antenna_subscription_get_filter (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), NULL);

  return self->filter;
}

int
antenna_subscription_get_qos (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), 0);

  return self->qos;
}

void
antenna_subscription_set_qos (AntennaSubscription *self,
                              int                  qos)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (self));
  g_return_if_fail (qos >= 0 && qos <= 2);

  if (self->qos == qos)
    return;

  self->qos = qos;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QOS]);
}

gboolean
antenna_subscription_get_no_local (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), FALSE);

  return self->no_local;
}

void
antenna_subscription_set_no_local (AntennaSubscription *self,
                                   gboolean             no_local)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (self));

  no_local = !!no_local;
  if (self->no_local == no_local)
    return;

  self->no_local = no_local;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_LOCAL]);
}

gboolean
antenna_subscription_get_retain_as_published (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), FALSE);

  return self->retain_as_published;
}

void
antenna_subscription_set_retain_as_published (AntennaSubscription *self,
                                              gboolean             retain_as_published)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (self));

  retain_as_published = !!retain_as_published;
  if (self->retain_as_published == retain_as_published)
    return;

  self->retain_as_published = retain_as_published;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETAIN_AS_PUBLISHED]);
}

AntennaRetainHandling
antenna_subscription_get_retain_handling (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), ANTENNA_RETAIN_HANDLING_SEND);

  return self->retain_handling;
}

void
antenna_subscription_set_retain_handling (AntennaSubscription   *self,
                                          AntennaRetainHandling  retain_handling)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (self));
  g_return_if_fail (retain_handling <= ANTENNA_RETAIN_HANDLING_DO_NOT_SEND);

  if (self->retain_handling == retain_handling)
    return;

  self->retain_handling = retain_handling;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETAIN_HANDLING]);
}

const char *
antenna_subscription_get_color (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), NULL);

  return self->color;
}

void
antenna_subscription_set_color (AntennaSubscription *self,
                                const char          *color)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (self));

  if (color != NULL && color[0] == '\0')
    color = NULL;

  if (set_str (&self->color, color))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

gboolean
antenna_subscription_get_paused (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), FALSE);

  return self->paused;
}

void
antenna_subscription_set_paused (AntennaSubscription *self,
                                 gboolean             paused)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

AntennaSubscriptionState
antenna_subscription_get_state (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), ANTENNA_SUBSCRIPTION_STATE_INACTIVE);

  return self->state;
}

/* -1 until the broker granted one. */
int
antenna_subscription_get_granted_qos (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), -1);

  return self->granted_qos;
}

const char *
antenna_subscription_get_error (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), NULL);

  return self->error;
}

guint64
antenna_subscription_get_message_count (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), 0);

  return self->message_count;
}

double
antenna_subscription_get_rate (AntennaSubscription *self)
{
  g_return_val_if_fail (ANTENNA_IS_SUBSCRIPTION (self), 0);

  return antenna_rate_get (&self->rate, antenna_rate_now ());
}

void
antenna_subscription_add_messages (AntennaSubscription *self,
                                   guint64              n)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (self));

  if (n == 0)
    return;

  self->message_count += n;
  antenna_rate_add (&self->rate, antenna_rate_now (), (guint32) MIN (n, G_MAXUINT32));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE_COUNT]);
}

void
_antenna_subscription_set_state (AntennaSubscription      *self,
                                 AntennaSubscriptionState  state,
                                 int                       granted_qos,
                                 const char               *error)
{
  g_return_if_fail (ANTENNA_IS_SUBSCRIPTION (self));
  g_return_if_fail (granted_qos >= -1 && granted_qos <= 2);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (self->granted_qos != granted_qos)
    {
      self->granted_qos = granted_qos;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTED_QOS]);
    }

  if (set_str (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);

  g_object_thaw_notify (G_OBJECT (self));
}
