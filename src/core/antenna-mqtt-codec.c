/* antenna-mqtt-codec.c: the bytes of MQTT packets, for AntennaLoadLink
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "antenna-mqtt-codec-private.h"

guint8 *
_antenna_mqtt_put_varint (guint8  *p,
                          guint32  n)
{
  do
    {
      guint8 byte = n % 128;

      n /= 128;
      *p++ = byte | (n > 0 ? 0x80 : 0);
    }
  while (n > 0);
  return p;
}

guint
_antenna_mqtt_varint_size (guint32 n)
{
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
}

guint8 *
_antenna_mqtt_put_u16 (guint8  *p,
                       guint16  n)
{
  *p++ = n >> 8;
  *p++ = n & 0xff;
  return p;
}

guint8 *
_antenna_mqtt_put_string (guint8     *p,
                          const char *s,
                          gsize       len)
{
  p = _antenna_mqtt_put_u16 (p, len);
  memcpy (p, s, len);
  return p + len;
}

gboolean
_antenna_mqtt_read_u16 (AntennaMqttReader *r,
                        guint16           *n)
{
  if (r->end - r->p < 2)
    return FALSE;
  *n = (r->p[0] << 8) | r->p[1];
  r->p += 2;
  return TRUE;
}

gboolean
_antenna_mqtt_read_varint (AntennaMqttReader *r,
                           guint32           *n)
{
  guint32 value = 0;

  for (guint i = 0; i < 4; i++)
    {
      if (r->p >= r->end)
        return FALSE;
      value |= (guint32) (*r->p & 0x7f) << (7 * i);
      if ((*r->p++ & 0x80) == 0)
        {
          *n = value;
          return TRUE;
        }
    }
  return FALSE;
}

void
_antenna_mqtt_properties_clear (AntennaMqttProperties *props)
{
  g_clear_pointer (&props->reason_string, g_free);
}

gboolean
_antenna_mqtt_read_properties (AntennaMqttReader     *r,
                               AntennaMqttProperties *props)
{
  AntennaMqttReader in;
  guint32 len;

  if (r->p == r->end)
    return TRUE;   /* none: allowed at the end of acknowledgements */
  if (!_antenna_mqtt_read_varint (r, &len) || (guint32) (r->end - r->p) < len)
    return FALSE;
  in.p = r->p;
  in.end = r->p + len;
  r->p += len;

  while (in.p < in.end)
    {
      guint32 id;
      guint16 n;

      if (!_antenna_mqtt_read_varint (&in, &id))
        return FALSE;
      switch (id)
        {
        case 0x01: case 0x17: case 0x19: case 0x24: case 0x25: case 0x28: case 0x29: case 0x2A:
          if (in.p >= in.end)
            return FALSE;
          if (id == 0x24)
            props->maximum_qos = *in.p;
          in.p++;
          break;
        case 0x13: case 0x21: case 0x22: case 0x23:
          if (!_antenna_mqtt_read_u16 (&in, &n))
            return FALSE;
          if (id == 0x21)
            props->receive_maximum = n;
          else if (id == 0x13)
            props->server_keepalive = n;
          break;
        case 0x02: case 0x11: case 0x18: case 0x27:
          if (in.end - in.p < 4)
            return FALSE;
          if (id == 0x27)
            props->maximum_packet_size = ((guint32) in.p[0] << 24) | (in.p[1] << 16) | (in.p[2] << 8) | in.p[3];
          in.p += 4;
          break;
        case 0x0B:
          if (!_antenna_mqtt_read_varint (&in, &len))
            return FALSE;
          break;
        case 0x26:   /* user property: two strings */
          if (!_antenna_mqtt_read_u16 (&in, &n) || in.end - in.p < n)
            return FALSE;
          in.p += n;
          G_GNUC_FALLTHROUGH;
        case 0x03: case 0x08: case 0x09: case 0x12: case 0x15: case 0x16: case 0x1A: case 0x1C: case 0x1F:
          if (!_antenna_mqtt_read_u16 (&in, &n) || in.end - in.p < n)
            return FALSE;
          if (id == 0x1F)
            {
              g_free (props->reason_string);
              props->reason_string = g_utf8_make_valid ((const char *) in.p, n);
            }
          in.p += n;
          break;
        default:
          return FALSE;
        }
    }
  return TRUE;
}
