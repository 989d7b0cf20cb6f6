/* antenna-stall-probe.c: how long the main loop stops answering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-stall-probe"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "antenna-stall-probe.h"

#define INTERVAL_MS 10

struct _AntennaStallProbe
{
  guint   source_id;
  gint64  expected;     /* monotonic time the next tick is due */
  gint64  max_stall;
  guint64 n_ticks;
};

static AntennaStallProbe *env_probe;

static gboolean
on_tick_cb (gpointer data)
{
  AntennaStallProbe *self = data;
  gint64 now = g_get_monotonic_time ();

  if (now - self->expected > self->max_stall)
    self->max_stall = now - self->expected;

  self->n_ticks++;
  self->expected = now + INTERVAL_MS * 1000;

  return G_SOURCE_CONTINUE;
}

AntennaStallProbe *
antenna_stall_probe_new (void)
{
  AntennaStallProbe *self = g_new0 (AntennaStallProbe, 1);

  self->expected = g_get_monotonic_time () + INTERVAL_MS * 1000;
  self->source_id = g_timeout_add_full (G_PRIORITY_HIGH, INTERVAL_MS, on_tick_cb, self, NULL);
  g_source_set_name_by_id (self->source_id, "[antenna] stall probe");

  return self;
}

gint64
antenna_stall_probe_get_max_stall (AntennaStallProbe *self)
{
  g_return_val_if_fail (self != NULL, 0);

  /* A stall still going on counts too. */
  return MAX (self->max_stall, g_get_monotonic_time () - self->expected);
}

guint64
antenna_stall_probe_get_n_ticks (AntennaStallProbe *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_ticks;
}

void
antenna_stall_probe_reset (AntennaStallProbe *self)
{
  g_return_if_fail (self != NULL);

  self->max_stall = 0;
  self->expected = g_get_monotonic_time () + INTERVAL_MS * 1000;
}

void
antenna_stall_probe_free (AntennaStallProbe *self)
{
  if (self == NULL)
    return;

  g_clear_handle_id (&self->source_id, g_source_remove);
  g_free (self);
}

static void
print_env_probe (void)
{
  if (env_probe == NULL)
    return;

  fprintf (stderr, "antenna: main loop max stall %" G_GINT64_FORMAT " ms over %" G_GUINT64_FORMAT " ticks\n",
           env_probe->max_stall / 1000, env_probe->n_ticks);
}

gboolean
antenna_stall_probe_start_from_env (void)
{
  if (env_probe != NULL || g_strcmp0 (g_getenv ("ANTENNA_STALL_PROBE"), "1") != 0)
    return env_probe != NULL;

  env_probe = antenna_stall_probe_new ();
  atexit (print_env_probe);

  return TRUE;
}
