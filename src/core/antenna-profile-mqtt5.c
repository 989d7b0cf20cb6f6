/* antenna-profile-mqtt5.c: the MQTT 5 settings of a profile's CONNECT
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an MQTT 5 CONNECT can say beyond the session: the limits the client
 * sets on what the broker sends it (receive maximum, maximum packet size,
 * topic alias maximum), whether it asks for response and problem
 * information, its user properties, and the will's delay. Every default is
 * "not sent" (the broker then assumes the protocol's defaults), so a profile
 * saved before these settings existed connects as it did, and its JSON only
 * gains a member for a setting that is not at its default. An MQTT 3.1.1
 * connection sends none of them (antenna-client-connect.c).
 */

#define G_LOG_DOMAIN "antenna-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-json-file.h"
#include "antenna-profile-private.h"
#include "antenna-properties.h"

enum {
  PROP_RECEIVE_MAXIMUM,
  PROP_MAXIMUM_PACKET_SIZE,
  PROP_TOPIC_ALIAS_MAXIMUM,
  PROP_REQUEST_RESPONSE_INFORMATION,
  PROP_REQUEST_PROBLEM_INFORMATION,
  PROP_CONNECT_PROPERTIES,
  PROP_WILL_DELAY_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint first_prop_id;

static const char * const json_keys[N_PROPS] = {
  "receive-maximum",
  "maximum-packet-size",
  "topic-alias-maximum",
  "request-response-information",
  "request-problem-information",
  "connect-properties",
  "will-delay-interval",
};

static void
emit_changed (AntennaProfile *self,
              guint           prop)
{
  _antenna_profile_emit_changed (self, properties[prop]);
}

#define RW_FLAGS (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

void
_antenna_profile_mqtt5_class_init (GObjectClass *object_class,
                                   guint         first_id)
{
  first_prop_id = first_id;
  properties[PROP_RECEIVE_MAXIMUM] =
    g_param_spec_uint ("receive-maximum", NULL, NULL, 0, 65535, 0, RW_FLAGS);
  properties[PROP_MAXIMUM_PACKET_SIZE] =
    g_param_spec_uint ("maximum-packet-size", NULL, NULL, 0, G_MAXUINT32, 0, RW_FLAGS);
  properties[PROP_TOPIC_ALIAS_MAXIMUM] =
    g_param_spec_uint ("topic-alias-maximum", NULL, NULL, 0, 65535, 0, RW_FLAGS);
  properties[PROP_REQUEST_RESPONSE_INFORMATION] =
    g_param_spec_boolean ("request-response-information", NULL, NULL, FALSE, RW_FLAGS);
  properties[PROP_REQUEST_PROBLEM_INFORMATION] =
    g_param_spec_boolean ("request-problem-information", NULL, NULL, TRUE, RW_FLAGS);
  properties[PROP_CONNECT_PROPERTIES] =
    g_param_spec_boxed ("connect-properties", NULL, NULL, ANTENNA_TYPE_PROPERTIES, RW_FLAGS);
  properties[PROP_WILL_DELAY_INTERVAL] =
    g_param_spec_uint ("will-delay-interval", NULL, NULL, 0, G_MAXUINT32, 0, RW_FLAGS);

  for (guint i = 0; i < N_PROPS; i++)
    g_object_class_install_property (object_class, first_id + i, properties[i]);
}

void
_antenna_profile_init_mqtt5 (AntennaProfile *self)
{
  self->request_problem_information = TRUE;
}

void
_antenna_profile_finalize_mqtt5 (AntennaProfile *self)
{
  g_clear_pointer (&self->connect_properties, antenna_properties_unref);
}

gboolean
_antenna_profile_mqtt5_get_property (AntennaProfile *self,
                                     guint           prop_id,
                                     GValue         *value)
{
  switch (prop_id - first_prop_id)
    {
    case PROP_RECEIVE_MAXIMUM:              g_value_set_uint (value, self->receive_maximum); break;
    case PROP_MAXIMUM_PACKET_SIZE:          g_value_set_uint (value, self->maximum_packet_size); break;
    case PROP_TOPIC_ALIAS_MAXIMUM:          g_value_set_uint (value, self->topic_alias_maximum); break;
    case PROP_REQUEST_RESPONSE_INFORMATION: g_value_set_boolean (value, self->request_response_information); break;
    case PROP_REQUEST_PROBLEM_INFORMATION:  g_value_set_boolean (value, self->request_problem_information); break;
    case PROP_CONNECT_PROPERTIES:           g_value_set_boxed (value, self->connect_properties); break;
    case PROP_WILL_DELAY_INTERVAL:          g_value_set_uint (value, self->will_delay_interval); break;
    default:
      return FALSE;
    }
  return TRUE;
}

gboolean
_antenna_profile_mqtt5_set_property (AntennaProfile *self,
                                     guint           prop_id,
                                     const GValue   *value)
{
  switch (prop_id - first_prop_id)
    {
    case PROP_RECEIVE_MAXIMUM:              antenna_profile_set_receive_maximum (self, g_value_get_uint (value)); break;
    case PROP_MAXIMUM_PACKET_SIZE:          antenna_profile_set_maximum_packet_size (self, g_value_get_uint (value)); break;
    case PROP_TOPIC_ALIAS_MAXIMUM:          antenna_profile_set_topic_alias_maximum (self, g_value_get_uint (value)); break;
    case PROP_REQUEST_RESPONSE_INFORMATION: antenna_profile_set_request_response_information (self, g_value_get_boolean (value)); break;
    case PROP_REQUEST_PROBLEM_INFORMATION:  antenna_profile_set_request_problem_information (self, g_value_get_boolean (value)); break;
    case PROP_CONNECT_PROPERTIES:           antenna_profile_set_connect_properties (self, g_value_get_boxed (value)); break;
    case PROP_WILL_DELAY_INTERVAL:          antenna_profile_set_will_delay_interval (self, g_value_get_uint (value)); break;
    default:
      return FALSE;
    }
  return TRUE;
}

void
_antenna_profile_update_mqtt5_from (AntennaProfile *self,
                                    AntennaProfile *other)
{
  antenna_profile_set_receive_maximum (self, other->receive_maximum);
  antenna_profile_set_maximum_packet_size (self, other->maximum_packet_size);
  antenna_profile_set_topic_alias_maximum (self, other->topic_alias_maximum);
  antenna_profile_set_request_response_information (self, other->request_response_information);
  antenna_profile_set_request_problem_information (self, other->request_problem_information);
  antenna_profile_set_connect_properties (self, other->connect_properties);
  antenna_profile_set_will_delay_interval (self, other->will_delay_interval);
}

/* ------------------------------------------------------------------------ */
/* JSON: a member only for a setting that is not at its default.             */

void
_antenna_profile_mqtt5_to_json (AntennaProfile *self,
                                JsonObject     *object)
{
  const guint ints[][2] = {
    { PROP_RECEIVE_MAXIMUM, self->receive_maximum },
    { PROP_MAXIMUM_PACKET_SIZE, self->maximum_packet_size },
    { PROP_TOPIC_ALIAS_MAXIMUM, self->topic_alias_maximum },
    { PROP_WILL_DELAY_INTERVAL, self->will_delay_interval },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    if (ints[i][1] != 0)
      json_object_set_int_member (object, json_keys[ints[i][0]], ints[i][1]);
  if (self->request_response_information)
    json_object_set_boolean_member (object, json_keys[PROP_REQUEST_RESPONSE_INFORMATION], TRUE);
  if (!self->request_problem_information)
    json_object_set_boolean_member (object, json_keys[PROP_REQUEST_PROBLEM_INFORMATION], FALSE);
  if (self->connect_properties != NULL)
    json_object_set_member (object, json_keys[PROP_CONNECT_PROPERTIES],
                            antenna_properties_to_json (self->connect_properties));
}

static gboolean
read_uint (AntennaProfile  *self,
           JsonObject      *object,
           guint            prop,
           guint            max,
           GError         **error)
{
  gint64 v;

  if (antenna_json_file_get_member (object, json_keys[prop]) == NULL)
    return TRUE;
  if (!antenna_json_file_read_int (object, json_keys[prop], 0, max, &v, error))
    return FALSE;
  g_object_set (self, json_keys[prop], (guint) v, NULL);
  return TRUE;
}

static gboolean
read_bool (AntennaProfile  *self,
           JsonObject      *object,
           guint            prop,
           GError         **error)
{
  gboolean b;

  if (antenna_json_file_get_member (object, json_keys[prop]) == NULL)
    return TRUE;
  if (!antenna_json_file_read_bool (object, json_keys[prop], &b, error))
    return FALSE;
  g_object_set (self, json_keys[prop], b, NULL);
  return TRUE;
}

gboolean
_antenna_profile_mqtt5_from_json (AntennaProfile  *self,
                                  JsonObject      *object,
                                  GError         **error)
{
  JsonNode *member;

  if (!read_uint (self, object, PROP_RECEIVE_MAXIMUM, 65535, error) ||
      !read_uint (self, object, PROP_MAXIMUM_PACKET_SIZE, G_MAXUINT32, error) ||
      !read_uint (self, object, PROP_TOPIC_ALIAS_MAXIMUM, 65535, error) ||
      !read_uint (self, object, PROP_WILL_DELAY_INTERVAL, G_MAXUINT32, error) ||
      !read_bool (self, object, PROP_REQUEST_RESPONSE_INFORMATION, error) ||
      !read_bool (self, object, PROP_REQUEST_PROBLEM_INFORMATION, error))
    return FALSE;

  member = antenna_json_file_get_member (object, json_keys[PROP_CONNECT_PROPERTIES]);
  if (member != NULL)
    {
      g_autoptr(AntennaProperties) props = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          antenna_json_file_set_wrong_type (error, json_keys[PROP_CONNECT_PROPERTIES], _("an object"));
          return FALSE;
        }
      props = antenna_properties_new_from_json (member, error);
      if (props == NULL)
        return FALSE;
      antenna_profile_set_connect_properties (self, props);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                 */

UINT_ACCESSORS (receive_maximum, PROP_RECEIVE_MAXIMUM, value <= 65535)
UINT_ACCESSORS (maximum_packet_size, PROP_MAXIMUM_PACKET_SIZE, TRUE)
UINT_ACCESSORS (topic_alias_maximum, PROP_TOPIC_ALIAS_MAXIMUM, value <= 65535)
UINT_ACCESSORS (will_delay_interval, PROP_WILL_DELAY_INTERVAL, TRUE)
BOOLEAN_ACCESSORS (request_response_information, PROP_REQUEST_RESPONSE_INFORMATION)
BOOLEAN_ACCESSORS (request_problem_information, PROP_REQUEST_PROBLEM_INFORMATION)

AntennaProperties *
antenna_profile_get_connect_properties (AntennaProfile *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), NULL);
  return self->connect_properties;
}

/* Keeps a copy of the user properties alone (a CONNECT has no other of
 * these); none is stored as NULL. */
void
antenna_profile_set_connect_properties (AntennaProfile    *self,
                                        AntennaProperties *props)
{
  AntennaProperties *copy = NULL;

  g_return_if_fail (ANTENNA_IS_PROFILE (self));

  if (props != NULL && props->user_properties->len > 0)
    {
      copy = antenna_properties_new ();
      for (guint i = 0; i + 1 < props->user_properties->len; i += 2)
        antenna_properties_add_user_property (copy,
                                              g_ptr_array_index (props->user_properties, i),
                                              g_ptr_array_index (props->user_properties, i + 1));
    }

  if (antenna_properties_equal (self->connect_properties, copy))
    {
      g_clear_pointer (&copy, antenna_properties_unref);
      return;
    }

  g_clear_pointer (&self->connect_properties, antenna_properties_unref);
  self->connect_properties = copy;
  emit_changed (self, PROP_CONNECT_PROPERTIES);
}
