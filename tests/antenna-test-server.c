/* antenna-test-server.c: an MQTT server that plays a broker's failure, or its limits, on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-server"

#include "config.h"

#include "antenna-test-server.h"

#define READ_SIZE (256 * 1024)

struct _AntennaTestServer
{
  GSocketService *service;
  guint           port;
  GPtrArray      *connections;   /* of Connection */
  guint64         n_bytes;

  /* A small MQTT 5 broker (antenna_test_server_new_v5()) instead of a silent one */
  gboolean        answers;
  guint           receive_maximum;
  guint           topic_alias_maximum;
  guint           ack_delay_ms;
  guint           in_flight;     /* QoS 1 and 2 PUBLISHes not acknowledged yet */
  guint           max_in_flight;
  guint           n_publishes;   /* QoS 1 and 2 PUBLISHes received */
};

typedef struct
{
  AntennaTestServer *server;
  GSocketConnection *connection;
  GCancellable      *cancellable;
  gboolean           connected;  /* CONNACK sent */
  GByteArray        *connect;    /* the CONNECT packet, as read until it is whole */
  guint8            *buffer;
  /* answering (new_v5): what was read after CONNECT and is not a whole
   * packet yet; the packet ids of QoS 1 and 2 PUBLISHes to acknowledge */
  GByteArray        *in;
  GQueue             to_ack;
  guint              ack_id;
} Connection;

static void
connection_free (Connection *connection)
{
  g_cancellable_cancel (connection->cancellable);
  g_clear_handle_id (&connection->ack_id, g_source_remove);
  g_queue_clear (&connection->to_ack);
  g_byte_array_unref (connection->in);
  g_io_stream_close (G_IO_STREAM (connection->connection), NULL, NULL);
  g_clear_object (&connection->cancellable);
  g_clear_object (&connection->connection);
  g_byte_array_unref (connection->connect);
  g_free (connection->buffer);
  g_free (connection);
}

/* An MQTT variable byte integer at @data[*i]; FALSE when @len ends first. */
static gboolean
read_varint (const guint8 *data,
             gsize         len,
             gsize        *i,
             gsize        *value)
{
  *value = 0;
  for (guint shift = 0; shift < 28; shift += 7)
    {
      if (*i >= len)
        return FALSE;
      *value |= (gsize) (data[*i] & 0x7f) << shift;
      if (!(data[(*i)++] & 0x80))
        return TRUE;
    }
  return FALSE;
}

/* The length of the packet at the start of @data once it is all there, or 0. */
static gsize
whole_packet (const guint8 *data,
              gsize         len)
{
  gsize i = 1;
  gsize remaining;

  if (!read_varint (data, len, &i, &remaining) || len < i + remaining)
    return 0;
  return i + remaining;
}

/* A field with two bytes of length at @data[*i]: its start and length. */
static gboolean
read_field (const guint8  *data,
            gsize          len,
            gsize         *i,
            const guint8 **field,
            gsize         *field_len)
{
  if (*i + 2 > len)
    return FALSE;
  *field_len = (gsize) data[*i] << 8 | data[*i + 1];
  *field = data + *i + 2;
  *i += 2 + *field_len;
  return *i <= len;
}

/* The protocol level of a whole CONNECT: fixed header, remaining length,
 * protocol name, level. */
static int
connect_level (const guint8 *data,
               gsize         len)
{
  gsize i = 1;
  gsize remaining;

  if (len < 2 || data[0] != 0x10 || !read_varint (data, len, &i, &remaining))
    return -1;
  /* the protocol name: 2 bytes of length, "MQTT" */
  i += 2 + 4;
  return i < len ? data[i] : -1;
}

/* The password of a whole CONNECT (3.1.1 or 5), or NULL. */
static char *
connect_password (const guint8 *data,
                  gsize         len)
{
  int level = connect_level (data, len);
  const guint8 *field;
  gsize field_len;
  gsize i = 1;
  gsize skip;
  guint8 flags;

  if (level < 0 || !read_varint (data, len, &i, &skip))
    return NULL;
  i += 2 + 4 + 1;                 /* protocol name, level */
  if (i + 3 > len)
    return NULL;
  flags = data[i];
  i += 1 + 2;                     /* flags, keep alive */
  if (level == 5 && (!read_varint (data, len, &i, &skip) || (i += skip) > len))
    return NULL;                  /* properties */
  if (!read_field (data, len, &i, &field, &field_len))
    return NULL;                  /* client id */
  if (flags & 0x04)
    {
      if (level == 5 && (!read_varint (data, len, &i, &skip) || (i += skip) > len))
        return NULL;              /* will properties */
      if (!read_field (data, len, &i, &field, &field_len) || !read_field (data, len, &i, &field, &field_len))
        return NULL;              /* will topic and payload */
    }
  if ((flags & 0x80) && !read_field (data, len, &i, &field, &field_len))
    return NULL;                  /* user name */
  if (!(flags & 0x40) || !read_field (data, len, &i, &field, &field_len))
    return NULL;
  return g_strndup ((const char *) field, field_len);
}


/* ------------------------------------------------------------------------ */
/* Answering as an MQTT 5 broker (new_v5)                                    */

static void
send_bytes (Connection   *connection,
            const guint8 *data,
            gsize         len)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection->connection));

  g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
}

/* A packet of @type (the first byte) with @body. */
static void
send_packet (Connection   *connection,
             guint8        type,
             const guint8 *body,
             gsize         len)
{
  g_autoptr(GByteArray) packet = g_byte_array_new ();
  gsize remaining = len;

  g_byte_array_append (packet, &type, 1);
  do
    {
      guint8 b = remaining & 0x7f;

      remaining >>= 7;
      if (remaining > 0)
        b |= 0x80;
      g_byte_array_append (packet, &b, 1);
    }
  while (remaining > 0);
  g_byte_array_append (packet, body, (guint) len);
  send_bytes (connection, packet->data, packet->len);
}

static void
send_ack (Connection *connection,
          guint8      type,
          guint       packet_id)
{
  const guint8 body[] = { packet_id >> 8, packet_id & 0xff };

  send_packet (connection, type, body, sizeof body);
}

static void
send_connack5 (Connection *connection)
{
  AntennaTestServer *self = connection->server;
  guint8 body[16] = { 0x00, 0x00 };
  gsize n = 3;

  if (self->receive_maximum > 0)
    {
      body[n++] = 0x21;
      body[n++] = self->receive_maximum >> 8;
      body[n++] = self->receive_maximum & 0xff;
    }
  if (self->topic_alias_maximum > 0)
    {
      body[n++] = 0x22;
      body[n++] = self->topic_alias_maximum >> 8;
      body[n++] = self->topic_alias_maximum & 0xff;
    }
  body[2] = (guint8) (n - 3);
  send_packet (connection, 0x20, body, n);
}

/* One acknowledgement per ack_delay_ms: a client that waits for them
 * (receive maximum) keeps a few in flight; one that does not piles them up. */
static gboolean
on_ack_due (gpointer user_data)
{
  Connection *connection = user_data;
  gpointer head = g_queue_pop_head (&connection->to_ack);
  guint id = GPOINTER_TO_UINT (head) & 0xffff;
  gboolean qos2 = (GPOINTER_TO_UINT (head) >> 16) == 2;

  if (qos2)
    send_ack (connection, 0x50, id);      /* PUBREC: in flight until PUBREL */
  else
    {
      send_ack (connection, 0x40, id);    /* PUBACK */
      connection->server->in_flight--;
    }
  if (g_queue_is_empty (&connection->to_ack))
    {
      connection->ack_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
handle_packet (Connection   *connection,
               const guint8 *data,
               gsize         len)
{
  AntennaTestServer *self = connection->server;
  gsize i = 1;
  gsize remaining;
  guint8 type = data[0] & 0xf0;

  read_varint (data, len, &i, &remaining);
  switch (type)
    {
    case 0x30:   /* PUBLISH */
      {
        int qos = (data[0] >> 1) & 3;
        const guint8 *topic;
        gsize topic_len;
        guint id;

        if (qos == 0 || !read_field (data, len, &i, &topic, &topic_len) || i + 2 > len)
          break;
        id = (guint) data[i] << 8 | data[i + 1];
        self->n_publishes++;
        self->in_flight++;
        self->max_in_flight = MAX (self->max_in_flight, self->in_flight);
        g_queue_push_tail (&connection->to_ack, GUINT_TO_POINTER (id | (guint) qos << 16));
        if (connection->ack_id == 0)
          connection->ack_id = g_timeout_add (self->ack_delay_ms, on_ack_due, connection);
      }
      break;
    case 0x60:   /* PUBREL */
      if (i + 2 <= len)
        {
          send_ack (connection, 0x70, (guint) data[i] << 8 | data[i + 1]);
          self->in_flight--;
        }
      break;
    case 0x80:   /* SUBSCRIBE: granted as asked */
    case 0xa0:   /* UNSUBSCRIBE: done */
      {
        g_autoptr(GByteArray) body = g_byte_array_new ();
        const guint8 zero = 0;
        gsize props;

        if (i + 2 > len)
          break;
        g_byte_array_append (body, data + i, 2);
        g_byte_array_append (body, &zero, 1);
        i += 2;
        if (!read_varint (data, len, &i, &props))
          break;
        i += props;
        while (i < len)
          {
            const guint8 *filter;
            gsize filter_len;

            if (!read_field (data, len, &i, &filter, &filter_len))
              break;
            if (type == 0x80)
              {
                guint8 granted = data[i++] & 3;

                g_byte_array_append (body, &granted, 1);
              }
            else
              g_byte_array_append (body, &zero, 1);
          }
        send_packet (connection, type == 0x80 ? 0x90 : 0xb0, body->data, body->len);
      }
      break;
    case 0xc0:   /* PINGREQ */
      send_packet (connection, 0xd0, NULL, 0);
      break;
    default:
      break;
    }
}

static void
handle_input (Connection   *connection,
              const guint8 *data,
              gsize         len)
{
  GByteArray *in = connection->in;
  gsize whole;

  g_byte_array_append (in, data, (guint) len);
  while ((whole = whole_packet (in->data, in->len)) > 0)
    {
      handle_packet (connection, in->data, whole);
      g_byte_array_remove_range (in, 0, (guint) whole);
    }
}

static void read_more (Connection *connection);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Connection *connection = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n <= 0)
    return;   /* closed, or freed */

  if (!connection->connected)
    {
      static const guint8 connack311[] = { 0x20, 0x02, 0x00, 0x00 };
      static const guint8 connack5[] = { 0x20, 0x03, 0x00, 0x00, 0x00 };
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection->connection));
      GByteArray *connect = connection->connect;
      g_autoptr(GByteArray) excess = NULL;
      gsize whole;
      gboolean v5;

      /* Paho writes its CONNECT in one go, but a proxy may pass it on in pieces. */
      g_byte_array_append (connect, connection->buffer, (guint) n);
      whole = whole_packet (connect->data, connect->len);
      if (whole == 0)
        {
          read_more (connection);
          return;
        }
      /* what came after the CONNECT in the same read */
      excess = g_byte_array_new ();
      g_byte_array_append (excess, connect->data + whole, (guint) (connect->len - whole));
      if (!connection->server->answers)
        connection->server->n_bytes += connect->len - whole;
      g_byte_array_set_size (connect, (guint) whole);

      v5 = connect_level (connect->data, connect->len) == 5;
      if (v5 && connection->server->answers)
        send_connack5 (connection);
      else
        g_output_stream_write_all (out, v5 ? connack5 : connack311, v5 ? sizeof connack5 : sizeof connack311,
                                   NULL, NULL, NULL);
      connection->connected = TRUE;
      if (connection->server->answers && excess->len > 0)
        handle_input (connection, excess->data, excess->len);
    }
  else if (connection->server->answers)
    handle_input (connection, connection->buffer, (gsize) n);
  else
    connection->server->n_bytes += (guint64) n;

  read_more (connection);
}

static void
read_more (Connection *connection)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection->connection)),
                             connection->buffer, READ_SIZE, G_PRIORITY_DEFAULT,
                             connection->cancellable, on_read, connection);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *socket_connection,
             GObject           *source_object,
             AntennaTestServer *self)
{
  Connection *connection = g_new0 (Connection, 1);

  connection->server = self;
  connection->connection = g_object_ref (socket_connection);
  connection->cancellable = g_cancellable_new ();
  connection->connect = g_byte_array_new ();
  connection->in = g_byte_array_new ();
  connection->buffer = g_malloc (READ_SIZE);
  g_ptr_array_add (self->connections, connection);
  read_more (connection);
  return TRUE;
}

AntennaTestServer *
antenna_test_server_new_silent (void)
{
  AntennaTestServer *self = g_new0 (AntennaTestServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
  self->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);

  return self;
}

AntennaTestServer *
antenna_test_server_new_v5 (guint receive_maximum,
                            guint topic_alias_maximum,
                            guint ack_delay_ms)
{
  AntennaTestServer *self = antenna_test_server_new_silent ();

  self->answers = TRUE;
  self->receive_maximum = receive_maximum;
  self->topic_alias_maximum = topic_alias_maximum;
  self->ack_delay_ms = MAX (ack_delay_ms, 1);
  return self;
}

guint
antenna_test_server_get_max_in_flight (AntennaTestServer *self)
{
  return self->max_in_flight;
}

guint
antenna_test_server_get_n_publishes (AntennaTestServer *self)
{
  return self->n_publishes;
}

/* The properties at @data[*i] (a variable byte integer of length, then
 * identifier/value pairs) as text. */
static gboolean
append_properties (GString      *text,
                   const guint8 *data,
                   gsize         len,
                   gsize        *i)
{
  gsize props_len, end;

  if (!read_varint (data, len, i, &props_len) || *i + props_len > len)
    return FALSE;
  end = *i + props_len;
  while (*i < end)
    {
      guint8 code = data[(*i)++];
      const guint8 *field, *field2;
      gsize field_len, field2_len;
      guint64 value = 0;
      int width = 0;

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "0x%02x=", code);
      switch (code)
        {
        case 0x01: case 0x17: case 0x19:
          width = 1;
          break;
        case 0x21: case 0x22:
          width = 2;
          break;
        case 0x02: case 0x11: case 0x18: case 0x27:
          width = 4;
          break;
        case 0x26:   /* user property */
          if (!read_field (data, end, i, &field, &field_len) || !read_field (data, end, i, &field2, &field2_len))
            return FALSE;
          g_string_append_printf (text, "%.*s:%.*s", (int) field_len, field, (int) field2_len, field2);
          continue;
        default:     /* strings and binary data */
          if (!read_field (data, end, i, &field, &field_len))
            return FALSE;
          g_string_append_len (text, (const char *) field, (gssize) field_len);
          continue;
        }
      if (*i + width > end)
        return FALSE;
      for (int k = 0; k < width; k++)
        value = value << 8 | data[(*i)++];
      g_string_append_printf (text, "%" G_GUINT64_FORMAT, value);
    }
  return TRUE;
}

char *
antenna_test_server_dup_connect_properties (AntennaTestServer *self,
                                            guint              i,
                                            gboolean           will)
{
  g_autoptr(GString) text = g_string_new (NULL);
  Connection *connection;
  const guint8 *data, *field;
  gsize len, field_len, skip;
  gsize pos = 1;
  guint8 flags;

  g_assert_cmpuint (i, <, self->connections->len);
  connection = g_ptr_array_index (self->connections, i);
  data = connection->connect->data;
  len = connection->connect->len;
  if (!connection->connected || connect_level (data, len) != 5 || !read_varint (data, len, &pos, &skip))
    return NULL;
  pos += 2 + 4 + 1;                 /* protocol name, level */
  flags = data[pos];
  pos += 1 + 2;                     /* flags, keep alive */
  if (!will)
    return append_properties (text, data, len, &pos) ? g_strdup (text->str) : NULL;

  if (!(flags & 0x04) || !read_varint (data, len, &pos, &skip))
    return NULL;
  pos += skip;
  if (!read_field (data, len, &pos, &field, &field_len))
    return NULL;                    /* client id */
  return append_properties (text, data, len, &pos) ? g_strdup (text->str) : NULL;
}

void
antenna_test_server_send_publish (AntennaTestServer *self,
                                  guint              i,
                                  const char        *topic,
                                  guint              alias,
                                  const char        *payload)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  Connection *connection;
  gsize topic_len = strlen (topic);
  const guint8 topic_len_bytes[] = { topic_len >> 8, topic_len & 0xff };

  g_assert_cmpuint (i, <, self->connections->len);
  connection = g_ptr_array_index (self->connections, i);
  g_byte_array_append (body, topic_len_bytes, 2);
  g_byte_array_append (body, (const guint8 *) topic, (guint) topic_len);
  if (alias > 0)
    {
      const guint8 props[] = { 3, 0x23, alias >> 8, alias & 0xff };

      g_byte_array_append (body, props, sizeof props);
    }
  else
    {
      const guint8 none = 0;

      g_byte_array_append (body, &none, 1);
    }
  g_byte_array_append (body, (const guint8 *) payload, (guint) strlen (payload));
  send_packet (connection, 0x30, body->data, body->len);
}

guint
antenna_test_server_get_port (AntennaTestServer *self)
{
  return self->port;
}

guint
antenna_test_server_get_n_connections (AntennaTestServer *self)
{
  return self->connections->len;
}

guint64
antenna_test_server_get_n_bytes (AntennaTestServer *self)
{
  return self->n_bytes;
}

char *
antenna_test_server_dup_password (AntennaTestServer *self,
                                  guint              i)
{
  Connection *connection;

  g_assert_cmpuint (i, <, self->connections->len);
  connection = g_ptr_array_index (self->connections, i);
  if (!connection->connected)
    return NULL;
  return connect_password (connection->connect->data, connection->connect->len);
}

void
antenna_test_server_free (AntennaTestServer *self)
{
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  g_ptr_array_unref (self->connections);
  g_free (self);
}
