/* antenna-test-server.c: an MQTT server that plays a broker's failure on demand
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
};

typedef struct
{
  AntennaTestServer *server;
  GSocketConnection *connection;
  GCancellable      *cancellable;
  gboolean           connected;  /* CONNACK sent */
  GByteArray        *connect;    /* the CONNECT packet, as read until it is whole */
  guint8            *buffer;
} Connection;

static void
connection_free (Connection *connection)
{
  g_cancellable_cancel (connection->cancellable);
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
      connection->server->n_bytes += connect->len - whole;
      g_byte_array_set_size (connect, (guint) whole);

      v5 = connect_level (connect->data, connect->len) == 5;
      g_output_stream_write_all (out, v5 ? connack5 : connack311, v5 ? sizeof connack5 : sizeof connack311,
                                 NULL, NULL, NULL);
      connection->connected = TRUE;
    }
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
