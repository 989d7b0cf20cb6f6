/* antenna-test-relay.c: a TCP relay whose connections the test can cut
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-relay"

#include "config.h"

#include "antenna-test-relay.h"

struct _AntennaTestRelay
{
  GSocketService *service;
  guint           port;
  guint           target;
  GPtrArray      *streams;   /* of GIOStream: both sides of each connection */
};

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *incoming,
             GObject           *source,
             AntennaTestRelay  *self)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) outgoing = NULL;
  g_autoptr(GError) error = NULL;

  outgoing = g_socket_client_connect_to_host (client, "127.0.0.1", self->target, NULL, &error);
  if (outgoing == NULL)
    {
      g_debug ("Relay to port %u: %s", self->target, error->message);
      return FALSE;
    }
  g_ptr_array_add (self->streams, g_object_ref (incoming));
  g_ptr_array_add (self->streams, g_object_ref (outgoing));
  g_io_stream_splice_async (G_IO_STREAM (incoming), G_IO_STREAM (outgoing), G_IO_STREAM_SPLICE_NONE,
                            G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  return TRUE;
}

AntennaTestRelay *
antenna_test_relay_new (guint target_port)
{
  AntennaTestRelay *self = g_new0 (AntennaTestRelay, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  self->target = target_port;
  self->streams = g_ptr_array_new_with_free_func (g_object_unref);
  self->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);
  return self;
}

guint
antenna_test_relay_get_port (AntennaTestRelay *self)
{
  return self->port;
}

void
antenna_test_relay_cut (AntennaTestRelay *self)
{
  for (guint i = 0; i < self->streams->len; i++)
    g_io_stream_close (g_ptr_array_index (self->streams, i), NULL, NULL);
}

void
antenna_test_relay_free (AntennaTestRelay *self)
{
  antenna_test_relay_cut (self);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  g_ptr_array_unref (self->streams);
  g_free (self);
}
