/* antenna-mqtt-codec-private.h: the bytes of MQTT packets, for AntennaLoadLink
 *
 * Writers return the byte after what they wrote (the caller has reserved
 * room); readers advance an AntennaMqttReader and return FALSE when the
 * packet ends before what they read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} AntennaMqttReader;

/* MQTT 5 properties: those the link needs, the others skipped. */
typedef struct
{
  int      receive_maximum;   /* -1: not given */
  int      maximum_qos;
  gint64   maximum_packet_size;
  int      server_keepalive;
  char    *reason_string;
} AntennaMqttProperties;

guint8  *_antenna_mqtt_put_varint      (guint8                *p,
                                        guint32                n);
/* The bytes of @n as a variable byte integer: 1 to 4. */
guint    _antenna_mqtt_varint_size     (guint32                n);
guint8  *_antenna_mqtt_put_u16         (guint8                *p,
                                        guint16                n);
/* A two-byte length, then @len bytes of @s. */
guint8  *_antenna_mqtt_put_string      (guint8                *p,
                                        const char            *s,
                                        gsize                  len);

gboolean _antenna_mqtt_read_u16        (AntennaMqttReader     *r,
                                        guint16               *n);
gboolean _antenna_mqtt_read_varint     (AntennaMqttReader     *r,
                                        guint32               *n);
/* An MQTT 5 properties block (none at all, at the end of a packet, is
 * allowed): those of AntennaMqttProperties read, the others skipped;
 * FALSE on an unknown property or a block cut short. */
gboolean _antenna_mqtt_read_properties (AntennaMqttReader     *r,
                                        AntennaMqttProperties *props);
void     _antenna_mqtt_properties_clear (AntennaMqttProperties *props);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AntennaMqttProperties, _antenna_mqtt_properties_clear)

/* nothing given */
#define ANTENNA_MQTT_PROPERTIES_INIT { -1, -1, -1, -1, NULL }

G_END_DECLS
