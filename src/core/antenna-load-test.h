/* antenna-load-test.h: a load generator on one or more connections
 *
 * Publishes N messages (or for N seconds) at a target rate (0: as fast as
 * the broker takes them) over K topics <prefix>0 … <prefix>K-1, with
 * payloads of a given size (at least 16 bytes: the message's sequence
 * number and the time it was handed to the client, then 'x's), at QoS 0, 1
 * or 2, spread over the connections (all connected). With
 * :measure-latency the first connection subscribes to <prefix># first, and
 * each message that comes back gives a latency sample (handed to the
 * connection → received on the main loop).
 *
 * The connections are the test's own (AntennaLoadLink: a plain writer,
 * several times cheaper per message than Paho), one like each client
 * given, and as many more like the first as options.connections asks, as
 * "<client id>-load-<n>". Where a client's connection cannot be made that
 * way (TLS, WebSockets, a proxy) or the broker refuses it, the test
 * publishes through the client itself, and the summary says so.
 *
 * It publishes a slice at a time from the main loop (never more than
 * ANTENNA_LOAD_TEST_SLICE in one dispatch), in batches
 * (antenna_client_publish_many_async()), and keeps at most
 * ANTENNA_LOAD_TEST_IN_FLIGHT messages per connection waiting for completion,
 * so the main loop stays responsive and memory bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_LOAD_TEST_IN_FLIGHT 2000
#define ANTENNA_LOAD_TEST_SLICE  500
#define ANTENNA_LOAD_TEST_MIN_SIZE 16

#define ANTENNA_TYPE_LOAD_TEST (antenna_load_test_get_type ())

G_DECLARE_FINAL_TYPE (AntennaLoadTest, antenna_load_test, ANTENNA, LOAD_TEST, GObject)

typedef struct
{
  guint64 count;          /* messages; 0: duration_s */
  guint   duration_s;
  double  rate;           /* messages a second; 0: as fast as possible */
  guint   topics;         /* at least 1 */
  char   *prefix;         /* e.g. "load/" */
  gsize   payload_size;   /* at least ANTENNA_LOAD_TEST_MIN_SIZE */
  int     qos;
  gboolean measure_latency;
  guint   connections;    /* in all; 0: one per client given */
} AntennaLoadTestOptions;

/* The results so far (at the end: final). Latencies in microseconds, -1
 * without samples. */
typedef struct
{
  guint   direct;         /* connections with their own link (antenna-load-link.h) */
  guint64 handed;
  guint64 completed;      /* acknowledged (QoS 1, 2) or written (QoS 0) */
  guint64 failed;
  guint64 received;       /* came back on the subscription */
  double  elapsed_s;      /* first message handed → last completed */
  double  rate;           /* completed / elapsed_s */
  gint64  latency_p50;
  gint64  latency_p90;
  gint64  latency_p99;
  gint64  latency_max;
} AntennaLoadTestResult;

/* @clients: AntennaClient, connected. Properties: running; notified
 * ::progress about four times a second (with the messages completed in the
 * last period, for a chart). */
AntennaLoadTest *antenna_load_test_new            (GPtrArray                    *clients,
                                                   const AntennaLoadTestOptions *options);
void             antenna_load_test_run_async      (AntennaLoadTest              *self,
                                                   GCancellable                 *cancellable,
                                                   GAsyncReadyCallback           callback,
                                                   gpointer                      user_data);
gboolean         antenna_load_test_run_finish     (AntennaLoadTest              *self,
                                                   GAsyncResult                 *result,
                                                   GError                      **error);
void             antenna_load_test_get_result     (AntennaLoadTest              *self,
                                                   AntennaLoadTestResult        *result);
/* The per-period completion rates so far (double, messages a second). */
GArray          *antenna_load_test_get_rates      (AntennaLoadTest              *self);
/* The result as text a person can copy: options, rate, acknowledgements,
 * latency percentiles, errors. */
char            *antenna_load_test_dup_summary    (AntennaLoadTest              *self);
/* (nullable) the message of the last failed publish. */
const char      *antenna_load_test_get_last_error (AntennaLoadTest              *self);

G_END_DECLS
