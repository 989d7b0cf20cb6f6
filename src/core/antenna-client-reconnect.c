/* antenna-client-reconnect.c: AntennaClient's reconnection and keep-alive watchdog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reconnection is ours, not Paho's automaticReconnect, so that :state is true
 * at every moment and the back-off has jitter: 1 s, 2 s, 4 s … 30 s, ±20 %,
 * never less than a second. A reconnect reuses the same handle (Paho keeps
 * the in-flight QoS 1/2 messages of a persistent session and resends them),
 * unless it was dropped to take a message back (antenna-client-ops.c): then
 * the attempt makes a new one, for the same client id.
 *
 * The watchdog notices a broker that went silent long before Paho does. Both
 * are timers on the client's context that the state machine (antenna-client.c)
 * starts and stops; they live together here because they are the client's
 * two answers to time passing, and neither is on a message's path.
 */

#define G_LOG_DOMAIN "antenna-client"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-profile.h"

#define RECONNECT_MAX_SECONDS  30

/* ------------------------------------------------------------------------ */
/* Reconnecting                                                              */

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  AntennaClient *self = user_data;

  self->reconnect_id = 0;
  if (self->state != ANTENNA_CLIENT_STATE_RECONNECTING)
    return G_SOURCE_REMOVE;

  if (self->handle == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!_antenna_client_create_handle (self, &error))
        {
          g_debug ("%s: no new handle: %s", self->address, error->message);
          _antenna_client_schedule_reconnect (self);
          return G_SOURCE_REMOVE;
        }
    }

  g_debug ("%s: reconnecting (attempt %u)", self->address, self->reconnect_attempt);
  _antenna_client_set_reconnect_attempts (self, self->n_attempts + 1);
  _antenna_client_start_connect (self);
  return G_SOURCE_REMOVE;
}

/* The connection is down: the next attempt after the back-off. */
void
_antenna_client_schedule_reconnect (AntennaClient *self)
{
  guint exponent = MIN (self->reconnect_attempt, 5);
  double seconds = MIN ((double) (1u << exponent), RECONNECT_MAX_SECONDS);
  guint delay_ms;

  /* ±20 % jitter, and never faster than once a second. */
  seconds *= g_random_double_range (0.8, 1.2);
  delay_ms = (guint) MAX (seconds * 1000, 1000);
  self->reconnect_attempt++;

  g_debug ("%s: next connection attempt in %u ms", self->address, delay_ms);
  _antenna_client_log (self, INFO, NULL, _("Reconnecting to %s in %.1f s."), self->address, delay_ms / 1000.0);

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  self->reconnect_id = _antenna_client_add_timeout (self, delay_ms, on_reconnect_timeout,
                                                    "[antenna] reconnect");
}

/* ------------------------------------------------------------------------ */
/* The keep-alive watchdog                                                   */

static void
send_probe (AntennaClient *self)
{
  static const char * const probe[] = { "$antenna/keepalive-probe", NULL };
  AntennaOp *op = _antenna_client_op_new (self, ANTENNA_OP_PROBE, NULL);

  _antenna_client_hand_op (self, op, _antenna_sender_unsubscribe (_antenna_bridge_get_sender (self->bridge),
                                                                  op->id, probe));
  self->probe_sent = g_get_monotonic_time ();
}

static gboolean
on_watchdog (gpointer user_data)
{
  AntennaClient *self = user_data;
  gint64 half = (gint64) antenna_profile_get_keepalive (self->profile) * G_USEC_PER_SEC / 2;
  gint64 now = g_get_monotonic_time ();

  if (self->state != ANTENNA_CLIENT_STATE_CONNECTED || self->disconnect_task != NULL ||
      self->handle == NULL)
    return G_SOURCE_CONTINUE;

  if (self->probe_sent != 0 && now - self->probe_sent >= half &&
      self->last_inbound < self->probe_sent)
    {
      g_autoptr(GError) error = NULL;
      guint keepalive = antenna_profile_get_keepalive (self->profile);

      /* A probe waits behind a large PUBLISH being written: no verdict then
       * (Paho's own keep-alive and the publish's deadline still watch). */
      if (_antenna_client_largest_publish (self) >= ANTENNA_CLIENT_LARGE_PUBLISH)
        return G_SOURCE_CONTINUE;

      g_debug ("%s: no answer for %.1f s: the connection is dead", self->address,
               (now - self->last_inbound) / 1e6);
      _antenna_client_log (self, WARNING, NULL,
                           _("%s did not answer the keep-alive probe for %.1f s: the connection is taken as dead."),
                           self->address, (now - self->last_inbound) / 1e6);
      self->probe_sent = 0;
      /* Close the socket; the handle (and what Paho keeps of the session)
       * stays for the reconnection. */
      _antenna_client_stop_deadlines (self);
      _antenna_sender_disconnect (_antenna_bridge_get_sender (self->bridge), 0, FALSE);

      error = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_CONNECTION_LOST,
                           ngettext ("The connection to %s was lost: the broker stopped answering (keep alive timeout, %u second).",
                                     "The connection to %s was lost: the broker stopped answering (keep alive timeout, %u seconds).",
                                     keepalive),
                           self->address, keepalive);
      _antenna_client_handle_connection_lost (self, error);
      return G_SOURCE_CONTINUE;
    }

  if (self->probe_sent == 0 && now - self->last_inbound >= half)
    send_probe (self);

  return G_SOURCE_CONTINUE;
}

/* Connected: watch for a silent broker (when the profile has a keep-alive). */
void
_antenna_client_start_watchdog (AntennaClient *self)
{
  guint keepalive = antenna_profile_get_keepalive (self->profile);

  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->last_inbound = g_get_monotonic_time ();
  self->probe_sent = 0;
  if (keepalive == 0)
    return;

  self->watchdog_id = _antenna_client_add_timeout (self, MAX (keepalive * 1000 / 8, 100), on_watchdog,
                                                   "[antenna] keep-alive watchdog");
}
