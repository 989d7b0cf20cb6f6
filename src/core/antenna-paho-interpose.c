/* antenna-paho-interpose.c: which thread is Paho's, for the wrappers of its libc calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See antenna-paho-interpose-private.h.
 */

#define G_LOG_DOMAIN "antenna-paho-interpose"

#include "config.h"

#include <string.h>
#include <sys/prctl.h>

#include "antenna-paho-interpose-private.h"
#include "antenna-paho-wakeup-private.h"

__thread AntennaPahoThread _antenna_paho_thread;

/* Looked at once per thread. A Paho thread that calls a wrapper before it
 * names itself (only Paho's own trace at MQTT_C_CLIENT_TRACE_LEVEL=MAXIMUM
 * does) is taken for another thread. */
AntennaPahoThread
_antenna_paho_thread_classify (void)
{
  char name[17] = { 0 };

  if (prctl (PR_GET_NAME, name, 0, 0, 0) != 0)
    _antenna_paho_thread = ANTENNA_PAHO_THREAD_OTHER;
  else if (strcmp (name, "MQTTAsync_rcv") == 0)
    _antenna_paho_thread = ANTENNA_PAHO_THREAD_RECEIVE;
  else if (strcmp (name, "MQTTAsync_send") == 0)
    _antenna_paho_thread = ANTENNA_PAHO_THREAD_SEND;
  else
    _antenna_paho_thread = ANTENNA_PAHO_THREAD_OTHER;

  return _antenna_paho_thread;
}

gboolean
_antenna_paho_answer_poll (struct pollfd *fds,
                           nfds_t         n_fds,
                           gboolean     (*has_data) (int fd),
                           int           *n_ready)
{
  int ready = 0;

  for (nfds_t i = 0; i < n_fds; i++)
    {
      fds[i].revents = 0;
      if ((fds[i].events & POLLIN) && has_data (fds[i].fd) &&
          !_antenna_paho_wakeup_is_write_pending (fds[i].fd))
        {
          fds[i].revents = POLLIN;
          ready++;
        }
    }
  if (ready == 0)
    return FALSE;

  *n_ready = ready;
  return TRUE;
}
