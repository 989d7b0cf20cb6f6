/* antenna-client-properties-private.h: MQTT 5 properties between AntennaProperties and Paho
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the client's files (antenna-client*.c); the conversions are in
 * antenna-client-properties.c, but for the one that runs for every received
 * message that carries properties, on Paho's receive thread: it stays inline
 * here, so that the bridge's callback calls nothing more than before.
 */
#pragma once

#include <MQTTAsync.h>

#include "antenna-message.h"

G_BEGIN_DECLS

static inline char *
_antenna_client_lenstring_dup (const MQTTLenString *s)
{
  return g_strndup (s->data, s->len);
}

/* Any thread: plain data, no GObject. NULL when @props holds none of the
 * properties of a PUBLISH. */
static inline AntennaProperties *
_antenna_client_properties_from_paho (const MQTTProperties *props)
{
  AntennaProperties *result = NULL;

  for (int i = 0; i < props->count; i++)
    {
      const MQTTProperty *p = &props->array[i];

      switch ((int) p->identifier)
        {
        case MQTTPROPERTY_CODE_PAYLOAD_FORMAT_INDICATOR:
        case MQTTPROPERTY_CODE_MESSAGE_EXPIRY_INTERVAL:
        case MQTTPROPERTY_CODE_CONTENT_TYPE:
        case MQTTPROPERTY_CODE_RESPONSE_TOPIC:
        case MQTTPROPERTY_CODE_CORRELATION_DATA:
        case MQTTPROPERTY_CODE_USER_PROPERTY:
        case MQTTPROPERTY_CODE_SUBSCRIPTION_IDENTIFIER:
          if (result == NULL)
            result = antenna_properties_new ();
          break;
        default:
          continue;
        }

      switch ((int) p->identifier)
        {
        case MQTTPROPERTY_CODE_PAYLOAD_FORMAT_INDICATOR:
          result->payload_format = p->value.byte;
          break;
        case MQTTPROPERTY_CODE_MESSAGE_EXPIRY_INTERVAL:
          result->message_expiry = p->value.integer4;
          break;
        case MQTTPROPERTY_CODE_CONTENT_TYPE:
          g_free (result->content_type);
          result->content_type = _antenna_client_lenstring_dup (&p->value.data);
          break;
        case MQTTPROPERTY_CODE_RESPONSE_TOPIC:
          g_free (result->response_topic);
          result->response_topic = _antenna_client_lenstring_dup (&p->value.data);
          break;
        case MQTTPROPERTY_CODE_CORRELATION_DATA:
          g_clear_pointer (&result->correlation_data, g_bytes_unref);
          result->correlation_data = g_bytes_new (p->value.data.data, p->value.data.len);
          break;
        case MQTTPROPERTY_CODE_USER_PROPERTY:
          {
            g_autofree char *name = _antenna_client_lenstring_dup (&p->value.data);
            g_autofree char *value = _antenna_client_lenstring_dup (&p->value.value);

            antenna_properties_add_user_property (result, name, value);
          }
          break;
        case MQTTPROPERTY_CODE_SUBSCRIPTION_IDENTIFIER:
          {
            guint32 id = p->value.integer4;

            g_array_append_val (result->subscription_ids, id);
          }
          break;
        default:
          break;
        }
    }

  return result;
}

/* Main thread. Adds @props to @out (nothing when @props is NULL); Paho
 * copies the data (MQTTProperties_add): free with MQTTProperties_free(). */
void  _antenna_client_properties_to_paho (const AntennaProperties *props,
                                          MQTTProperties          *out);

/* The value of the string property @code (a reason string, an assigned
 * client identifier), or NULL. */
char *_antenna_client_paho_dup_string    (MQTTProperties          *props,
                                          enum MQTTPropertyCodes   code);

/* Adds the integer property @code, as wide as its type (a byte, two or four). */
void  _antenna_client_paho_add_int       (MQTTProperties          *props,
                                          enum MQTTPropertyCodes   code,
                                          guint32                  value);

G_END_DECLS
