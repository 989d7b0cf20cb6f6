/* antenna-client-log.c: the sentences of AntennaClient's connection log
 *
 * The entries that take more than a line to write: a connection attempt
 * (where, which MQTT, which transport, through which proxy), what a CONNACK
 * said, a subscription's grant. The client's files add the one-line
 * entries themselves with _antenna_client_log(). All on the main thread,
 * from what the client already knows: nothing here asks Paho.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client-private.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"

static const char *
transport_name (AntennaTransport transport)
{
  switch (transport)
    {
    case ANTENNA_TRANSPORT_TLS:
      return _("TLS");
    case ANTENNA_TRANSPORT_WS:
      return _("WebSocket");
    case ANTENNA_TRANSPORT_WSS:
      return _("WebSocket over TLS");
    case ANTENNA_TRANSPORT_TCP:
    default:
      return _("TCP");
    }
}

static const char *
version_name (int paho_version)
{
  return paho_version == MQTTVERSION_5 ? "5" : "3.1.1";
}

void
_antenna_client_log_attempt (AntennaClient *self)
{
  g_autofree char *uri = antenna_profile_dup_server_uri (self->profile);
  g_autofree char *attempt = NULL;
  g_autofree char *proxy = NULL;
  const char *transport = transport_name (antenna_profile_get_transport (self->profile));

  if (self->n_attempts > 0)
    attempt = g_strdup_printf (_(" (reconnection attempt %u)"), self->n_attempts);
  if (self->proxy_display != NULL)
    proxy = g_strdup_printf (_(" through the proxy %s"), self->proxy_display);

  /* TRANSLATORS: "Connecting to tcp://host:1883 with MQTT 5 over TCP through the proxy http://p:3128 (reconnection attempt 2)." */
  _antenna_client_log (self, INFO, NULL, _("Connecting to %s with MQTT %s over %s%s%s."),
                       uri, version_name (self->mqtt_version), transport,
                       proxy ? proxy : "", attempt ? attempt : "");
}

void
_antenna_client_log_connected (AntennaClient *self,
                               gboolean       session_present,
                               const char    *assigned_id)
{
  const char *version = version_name (self->mqtt_version);

  if (session_present)
    _antenna_client_log (self, INFO, "CONNACK 0x00",
                         _("Connected to %s with MQTT %s; the broker kept the session."), self->address, version);
  else
    _antenna_client_log (self, INFO, "CONNACK 0x00",
                         _("Connected to %s with MQTT %s; a new session."), self->address, version);

  if (assigned_id != NULL)
    _antenna_client_log (self, INFO, NULL, _("The broker assigned the client identifier “%s”."), assigned_id);
}

void
_antenna_client_log_connack_refusal (AntennaClient      *self,
                                     const AntennaEvent *event)
{
  g_autofree char *detail = NULL;

  if (self->mqtt_version == MQTTVERSION_5 && event->reason >= 0x80)
    {
      g_autofree char *why = _antenna_client_format_reason (event->reason, event->reason_string);

      detail = g_strdup_printf ("CONNACK 0x%02X", event->reason);
      _antenna_client_log (self, ERROR, detail, _("%s refused the connection: %s."), self->address, why);
    }
  else if (self->mqtt_version != MQTTVERSION_5 && event->code >= 1 && event->code <= 5)
    {
      detail = g_strdup_printf ("CONNACK %d", event->code);
      _antenna_client_log (self, ERROR, detail, _("%s refused the connection (CONNACK return code %d)."),
                           self->address, event->code);
    }
}

void
_antenna_client_log_granted (AntennaClient       *self,
                             AntennaSubscription *subscription,
                             int                  granted_qos)
{
  const char *filter = antenna_subscription_get_filter (subscription);
  int qos = antenna_subscription_get_qos (subscription);
  g_autofree char *detail = g_strdup_printf ("SUBACK %d", granted_qos);

  if (granted_qos < qos)
    _antenna_client_log (self, WARNING, detail,
                         _("Subscribed to “%s” at QoS %d: the broker granted less than the QoS %d asked for."),
                         filter, granted_qos, qos);
  else
    _antenna_client_log (self, INFO, detail, _("Subscribed to “%s” at QoS %d."), filter, granted_qos);
}
