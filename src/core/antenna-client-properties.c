/* antenna-client-properties.c: MQTT 5 properties between AntennaProperties and Paho
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client speaks AntennaProperties; Paho speaks MQTTProperties, a list of
 * identifier/value pairs. This file holds the conversions and the small
 * helpers that read and build Paho's lists (a reason string, the session
 * expiry of a CONNECT), so that the bridge and the requests do not each
 * know Paho's property codes. The conversion of received properties, which
 * runs on Paho's receive thread for every message carrying some, is inline
 * in antenna-client-properties-private.h.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <string.h>

#include "antenna-client-properties-private.h"

char *
_antenna_client_paho_dup_string (MQTTProperties         *props,
                                 enum MQTTPropertyCodes  code)
{
  for (int i = 0; i < props->count; i++)
    if (props->array[i].identifier == code)
      return _antenna_client_lenstring_dup (&props->array[i].value.data);
  return NULL;
}

void
_antenna_client_paho_add_int (MQTTProperties         *props,
                              enum MQTTPropertyCodes  code,
                              guint32                 value)
{
  MQTTProperty p = { 0 };

  p.identifier = code;
  switch (MQTTProperty_getType (code))
    {
    case MQTTPROPERTY_TYPE_BYTE:
      p.value.byte = (unsigned char) value;
      break;
    case MQTTPROPERTY_TYPE_TWO_BYTE_INTEGER:
      p.value.integer2 = (unsigned short) value;
      break;
    default:
      p.value.integer4 = value;
      break;
    }
  MQTTProperties_add (props, &p);
}

static void
paho_add_data (MQTTProperties         *props,
               enum MQTTPropertyCodes  code,
               const void             *data,
               gsize                   len,
               const char             *value)
{
  MQTTProperty p = { 0 };

  p.identifier = code;
  p.value.data.data = (char *) data;
  p.value.data.len = (int) len;
  if (value != NULL)
    {
      p.value.value.data = (char *) value;
      p.value.value.len = (int) strlen (value);
    }
  MQTTProperties_add (props, &p);
}

void
_antenna_client_properties_to_paho (const AntennaProperties *props,
                                    MQTTProperties          *out)
{
  if (props == NULL)
    return;

  if (props->payload_format >= 0)
    _antenna_client_paho_add_int (out, MQTTPROPERTY_CODE_PAYLOAD_FORMAT_INDICATOR, props->payload_format);
  if (props->message_expiry >= 0)
    _antenna_client_paho_add_int (out, MQTTPROPERTY_CODE_MESSAGE_EXPIRY_INTERVAL, (guint32) MIN (props->message_expiry, G_MAXUINT32));
  if (props->content_type != NULL)
    paho_add_data (out, MQTTPROPERTY_CODE_CONTENT_TYPE, props->content_type, strlen (props->content_type), NULL);
  if (props->response_topic != NULL)
    paho_add_data (out, MQTTPROPERTY_CODE_RESPONSE_TOPIC, props->response_topic, strlen (props->response_topic), NULL);
  if (props->correlation_data != NULL)
    {
      gsize len;
      const void *data = g_bytes_get_data (props->correlation_data, &len);

      paho_add_data (out, MQTTPROPERTY_CODE_CORRELATION_DATA, data, len, NULL);
    }
  if (props->user_properties != NULL)
    for (guint i = 0; i + 1 < props->user_properties->len; i += 2)
      {
        const char *name = g_ptr_array_index (props->user_properties, i);
        const char *value = g_ptr_array_index (props->user_properties, i + 1);

        paho_add_data (out, MQTTPROPERTY_CODE_USER_PROPERTY, name, strlen (name), value);
      }
}
