/* antenna-client-private.h: AntennaClient's insides, shared by antenna-client*.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The struct and the _antenna_client_* helpers of the client's files:
 *   antenna-client.c             the GObject, its state machine, its public API
 *   antenna-client-bridge.c      Paho's threads → the main loop (antenna-client-bridge-private.h)
 *   antenna-client-sender.c      the main loop → Paho, on a worker (antenna-client-sender-private.h)
 *   antenna-client-ops.c         requests in flight: the publish queue, deadlines, cancelling
 *   antenna-client-subscriptions.c  :subscriptions, SUBSCRIBE and UNSUBSCRIBE
 *   antenna-client-prepare.c     before the first attempt: the proxy, the secrets beyond the password
 *   antenna-client-connect.c     the profile's checks, the handle, Paho's connect options
 *   antenna-client-reconnect.c   the back-off and the keep-alive watchdog
 *   antenna-client-errors.c      reason codes, refusals, the diagnosis of a failed connection
 *   antenna-client-log.c         the connection log's longer sentences (antenna-connection-log.h)
 *   antenna-client-properties.c  MQTT 5 properties (antenna-client-properties-private.h)
 * The bridge limits and antenna_client_get_max_queued() are for the tests too.
 */
#pragma once

#include <MQTTAsync.h>

#include "antenna-client.h"
#include "antenna-client-bridge-private.h"
#include "antenna-client-sender-private.h"
#include "antenna-connection-log.h"
#include "antenna-message.h"

G_BEGIN_DECLS

/* Backpressure: above this many received messages (or bytes of their topics
 * and payloads) waiting for the main thread, Paho's receive thread waits
 * before it reads more, so a backlog stays in the broker. The bound is soft
 * by a few messages: the receive thread does not wait while the main thread
 * is calling into Paho, and goes on a message at a time when the main loop
 * makes no room for half a second. */
#define ANTENNA_CLIENT_MAX_QUEUED_MESSAGES 50000
#define ANTENNA_CLIENT_MAX_QUEUED_BYTES    (G_GUINT64_CONSTANT (64) * 1024 * 1024)

/* The longest wait of the receive thread for each message while the queue is full. */
#define ANTENNA_CLIENT_FLOW_MAX_WAIT_USEC  (G_USEC_PER_SEC / 2)

/* The most messages one ::messages-received emission carries. */
#define ANTENNA_CLIENT_DISPATCH_MAX_MESSAGES 2000

/* How many publishes we hand to Paho at once; the rest wait in our queue. */
#define ANTENNA_CLIENT_PUBLISH_WINDOW         256
#define ANTENNA_CLIENT_MAX_BUFFERED_MESSAGES  (ANTENNA_CLIENT_PUBLISH_WINDOW * 4)
/* … and of messages in batches (antenna_client_publish_many_async()) at
 * QoS 1 and 2 with the Flatpak's Paho (_antenna_client_many_window()): a
 * load generator keeps several batches in flight. */
#define ANTENNA_CLIENT_PUBLISH_MANY_WINDOW    8192

/* A publish that the broker has not confirmed (QoS 1 and 2), or that Paho
 * has not written (QoS 0), this long after it was handed to Paho fails, and
 * the connection is ended (Paho would keep it, and resend it into a
 * persistent session): the base, plus the time to send it and everything
 * handed before it that is still in flight at the rate. 255 MiB: 9 min;
 * 64 MiB: 2 min 38 s; a small message: 30 s. */
#define ANTENNA_CLIENT_PUBLISH_DEADLINE_BASE_MS  30000
#define ANTENNA_CLIENT_PUBLISH_DEADLINE_RATE     (512 * 1024)   /* bytes per second */

/* A payload this large makes a publish "large": a lost connection is then
 * said to be perhaps the broker's size limit, and the watchdog gives no
 * verdict while one is written. */
#define ANTENNA_CLIENT_LARGE_PUBLISH             (64 * 1024)

guint antenna_client_get_max_queued      (AntennaClient *self);
/* For tests: the deadline's base and rate instead of the defaults above. */
void  antenna_client_set_publish_deadline (AntennaClient *self,
                                           guint          base_ms,
                                           guint          bytes_per_second);

/* A batch of publishes (antenna-client-publish-many.c): one operation. */
typedef struct
{
  guint             n;
  GStrv             topics;
  GBytes          **payloads;      /* n; dropped once handed to the sender */
  guint64           bytes;         /* of the payloads, for the window and the deadline */
  /* what Paho made of it, settled before the request goes */
  guint             handed;
  guint             acknowledged;
  guint             failed;
  AntennaManyError  first_error;
} AntennaPublishMany;

/* A request in flight, from the public call to its completion. */
typedef enum {
  ANTENNA_OP_PUBLISH,
  ANTENNA_OP_SUBSCRIBE,
  ANTENNA_OP_UNSUBSCRIBE,
  ANTENNA_OP_PROBE,
} AntennaOpKind;

typedef struct
{
  AntennaOpKind        kind;
  guint                id;            /* never 0; its key in self->ops once handed to the sender */
  GTask               *task;          /* NULL for our own re-subscribes and the probe */
  AntennaRequest      *request;       /* while the sender or Paho has it */
  /* publish */
  char                *topic;
  GBytes              *payload;
  AntennaProperties   *properties;
  int                  qos;
  int                  sent_qos;      /* what the PUBLISH carried: qos, or 1 for 2 (qos2_downgraded) */
  gboolean             retain;
  AntennaPublishFlags  flags;
  guint64              seq;           /* order of antenna_client_publish_full_async() calls */
  gint64               handed;        /* monotonic: when its deadline's clock started */
  gint64               deadline;      /* monotonic; 0: none (not in flight, or not connected) */
  GCancellable        *cancellable;
  gulong               cancelled_id;
  AntennaPublishMany  *many;          /* a batch (antenna_client_publish_many_async()); else NULL */
  /* subscribe */
  AntennaSubscription *subscription;
  /* unsubscribe */
  GStrv                filters;
} AntennaOp;

struct _AntennaClient
{
  GObject              parent_instance;

  /* Owned References */
  AntennaProfile      *profile;
  GListStore          *subscriptions;  /* :subscriptions */
  GMainContext        *context;
  char                *client_id;      /* :client-id */
  char                *address;        /* the profile's display address, for sentences */
  char                *password;       /* wiped when dropped */
  AntennaSecretStore  *secret_store;   /* :secret-store, may be NULL */
  AntennaConnectionLog *log;           /* what happened, for a person (antenna-client-log.c) */

  /* What antenna-client-prepare.c found before the first attempt, for
   * every attempt of this connection (the secrets are wiped when dropped). */
  GCancellable        *prepare_cancellable;
  char                *key_passphrase;
  char                *proxy;          /* Paho's httpProxy/httpsProxy, with credentials */
  char                *proxy_display;  /* "http://host:port", for sentences */
  gboolean             proxy_reached;  /* the diagnosis got through to the proxy */

  /* Properties */
  AntennaClientState   state;
  guint                maximum_packet_size;
  guint                n_queued;       /* :queued, as last notified */
  guint                n_attempts;     /* :reconnect-attempts */

  /* The current Paho handle and its bridge; NULL when there is none. */
  MQTTAsync            handle;
  AntennaBridge       *bridge;
  guint                max_queued;     /* the longest queue of the bridges dropped */
  int                  mqtt_version;   /* Paho's: MQTTVERSION_5 or MQTTVERSION_3_1_1 */
  gboolean             fell_back;      /* the automatic version went to 3.1.1 on this connect */
  AntennaMqttVersion   connected_version;  /* :mqtt-version, of the last CONNACK accepted */

  /* Connecting and disconnecting (the tasks are owned) */
  GTask               *connect_task;
  GCancellable        *connect_cancellable;
  gulong               connect_cancelled_id;
  gint64               connect_started;
  guint                connect_timeout_id;
  GTask               *disconnect_task;
  guint                disconnect_timeout_id;

  /* Reconnecting (antenna-client-reconnect.c) */
  guint                reconnect_id;
  guint                reconnect_attempt;

  /* Requests in flight (antenna-client-ops.c) */
  GHashTable          *ops;            /* op id → AntennaOp*, handed to the sender (and Paho) */
  GQueue               publish_queue;  /* publishes waiting for room in Paho's window */
  /* The broker acknowledged a QoS 2 publish with a PUBACK (RabbitMQ): Paho
   * still waits for a PUBREC for that one, and later QoS 2 publishes of this
   * connection are sent as QoS 1, which is what the broker makes of them. */
  gboolean             qos2_downgraded;
  guint                n_publishing;   /* publishes in ops */
  guint                n_publishing_acked; /* … of them at QoS 1 or 2 */
  /* The broker's receive maximum (MQTT 5 CONNACK; 0: none said, 65535).
   * Paho holds back QoS 1 and 2 PUBLISHes beyond it, but nothing wakes its
   * send thread when an acknowledgement frees a place: it waits for its
   * next command or its 1-second timeout, so a burst went at one message a
   * second. So no more than that many are handed to Paho: each one handed
   * after an acknowledgement is a new command, which Paho sends at once. */
  guint                server_receive_maximum;
  guint64              bytes_publishing; /* their payloads */
  guint                next_op_id;
  guint64              next_seq;
  guint                deadline_id;    /* the publish deadlines' timer */
  gint64               deadline_due;   /* when it fires */
  guint                deadline_base_ms;
  guint                deadline_rate;
  gsize                lost_large;     /* a large publish just failed as the connection went: its size */

  /* The watchdog (antenna-client-reconnect.c): Paho notices a silent broker
   * only after up to 2.6 times the keep-alive (measured), and shows us no
   * PINGRESP. So, when nothing came in for half the keep-alive, we ask
   * something of our own (an UNSUBSCRIBE of a filter nobody uses: any broker
   * answers it) and call the connection dead when the answer does not come
   * within another half. */
  guint                watchdog_id;
  gint64               last_inbound;
  gint64               probe_sent;     /* 0: no probe outstanding */

  /* Subscriptions across a lost connection (antenna-client-subscriptions.c) */
  GHashTable          *confirmed;      /* filter → granted QoS + 1, ACTIVE before the connection was lost */
};

/* antenna-client.c: the state machine and the properties */
void                 _antenna_client_set_state                (AntennaClient        *self,
                                                               AntennaClientState    state);
void                 _antenna_client_set_client_id            (AntennaClient        *self,
                                                               const char           *client_id);
void                 _antenna_client_set_reconnect_attempts   (AntennaClient        *self,
                                                               guint                 n);
void                 _antenna_client_update_queued            (AntennaClient        *self);
guint                _antenna_client_add_timeout              (AntennaClient        *self,
                                                               guint                 interval_ms,
                                                               GSourceFunc           function,
                                                               const char           *name);
void                 _antenna_client_handle_event             (AntennaClient        *self,
                                                               AntennaEvent         *event);
void                 _antenna_client_complete_op              (AntennaClient        *self,
                                                               AntennaEvent         *event);
void                 _antenna_client_emit_batch               (AntennaClient        *self,
                                                               GPtrArray            *batch);
void                 _antenna_client_handle_connection_lost   (AntennaClient        *self,
                                                               GError               *error);
void                 _antenna_client_finish_connect_failure   (AntennaClient        *self,
                                                               GTask                *task,
                                                               GError               *error);
gboolean             _antenna_client_fall_back_to_3_1_1       (AntennaClient        *self);

/* antenna-client-ops.c: requests in flight */
AntennaOp           *_antenna_client_op_new                   (AntennaClient        *self,
                                                               AntennaOpKind         kind,
                                                               GTask                *task);
void                 _antenna_client_op_free                  (AntennaOp            *op);
void                 _antenna_client_op_fail                  (AntennaOp            *op,
                                                               GError               *error);
void                 _antenna_client_hand_op                  (AntennaClient        *self,
                                                               AntennaOp            *op,
                                                               AntennaRequest       *request);
AntennaOp           *_antenna_client_take_answered_op         (AntennaClient        *self,
                                                               const AntennaEvent   *event);
void                 _antenna_client_requeue_publish          (AntennaClient        *self,
                                                               AntennaOp            *op);
void                 _antenna_client_fail_pending_ops         (AntennaClient        *self,
                                                               gboolean              all,
                                                               const GError         *error);
void                 _antenna_client_take_offline_ops         (AntennaClient        *self,
                                                               gboolean              resent,
                                                               GQueue               *kept);
void                 _antenna_client_pump_publishes           (AntennaClient        *self);
void                 _antenna_client_start_deadlines          (AntennaClient        *self);
void                 _antenna_client_stop_deadlines           (AntennaClient        *self);
void                 _antenna_client_watch_cancellable        (AntennaClient        *self,
                                                               AntennaOp            *op,
                                                               GCancellable         *cancellable);
gsize                _antenna_client_largest_publish          (AntennaClient        *self);
GError              *_antenna_client_publish_lost_error       (AntennaClient        *self,
                                                               const AntennaOp      *op);
GError              *_antenna_client_lost_while_sending_error (AntennaClient        *self);

/* antenna-client-publish-many.c: a batch of publishes as one operation */
void                 _antenna_publish_many_free               (AntennaPublishMany   *many);
guint                _antenna_client_many_window              (int                   qos);
AntennaRequest      *_antenna_client_hand_many                (AntennaClient        *self,
                                                               AntennaOp            *op);
void                 _antenna_client_settle_many              (AntennaOp            *op);
GError              *_antenna_client_many_error               (AntennaOp            *op,
                                                               GError               *error);
void                 _antenna_client_complete_many            (AntennaClient        *self,
                                                               AntennaOp            *op,
                                                               const AntennaEvent   *event);

/* antenna-client-subscriptions.c: :subscriptions, SUBSCRIBE and UNSUBSCRIBE */
AntennaSubscription *_antenna_client_find_subscription        (AntennaClient        *self,
                                                               const char           *filter,
                                                               guint                *position);
void                 _antenna_client_remove_subscription      (AntennaClient        *self,
                                                               const char           *filter);
void                 _antenna_client_subscriptions_down       (AntennaClient        *self);
void                 _antenna_client_subscriptions_inactive   (AntennaClient        *self);
void                 _antenna_client_send_subscribe           (AntennaClient        *self,
                                                               AntennaSubscription  *subscription,
                                                               GTask                *task);
void                 _antenna_client_send_unsubscribe         (AntennaClient        *self,
                                                               GStrv                 filters,
                                                               GTask                *task);
void                 _antenna_client_subscribe_saved          (AntennaClient        *self);
void                 _antenna_client_subscribe_inactive       (AntennaClient        *self);
void                 _antenna_client_subscriptions_retry_refused (AntennaClient     *self);
void                 _antenna_client_resubscribe              (AntennaClient        *self,
                                                               gboolean              session_present);
void                 _antenna_client_complete_subscribe       (AntennaClient        *self,
                                                               AntennaOp            *op,
                                                               const AntennaEvent   *event);
void                 _antenna_client_complete_unsubscribe     (AntennaClient        *self,
                                                               AntennaOp            *op,
                                                               const AntennaEvent   *event);

/* antenna-client-prepare.c: after the handle, before the first attempt
 * (which it starts, or fails the connect task); the proxy's part of a
 * failed connection's diagnosis (antenna-client-errors.c), and the client
 * key's (a wrong passphrase, a key of another certificate) */
void                 _antenna_client_prepare                  (AntennaClient        *self);
void                 _antenna_client_clear_prepared           (AntennaClient        *self);
void                 _antenna_client_proxy_setup_diagnosis    (AntennaClient        *self,
                                                               GSocketClient        *client);
GError              *_antenna_client_proxy_error              (AntennaClient        *self,
                                                               const GError         *connect_error);
GError              *_antenna_client_tls_key_error            (AntennaClient        *self,
                                                               const char           *openssl_text);

/* antenna-client-connect.c: before and at each connection attempt */
gboolean             _antenna_client_check_profile            (AntennaClient        *self,
                                                               GError              **error);
gboolean             _antenna_client_create_handle            (AntennaClient        *self,
                                                               GError              **error);
void                 _antenna_client_start_connect            (AntennaClient        *self);

/* Paho's connect options for one attempt, from the profile and what
 * _antenna_client_prepare() found: filled by
 * _antenna_client_connect_options_init() (NULL with @error when they cannot
 * be made, e.g. a device key that is not one), emptied (secrets wiped) by
 * _antenna_client_connect_options_clear(). Points into itself: never copied. */
typedef struct
{
  MQTTAsync_connectOptions  opts;
  MQTTAsync_willOptions     will;
  MQTTAsync_SSLOptions      ssl;
  MQTTProperties            connect_props;
  MQTTProperties            will_props;
  guint8                   *alpn;
  char                     *sas_token;
} AntennaConnectOptions;

gboolean             _antenna_client_connect_options_init     (AntennaClient         *self,
                                                               AntennaConnectOptions *co,
                                                               GError               **error);
void                 _antenna_client_connect_options_clear    (AntennaConnectOptions *co);

/* antenna-client.c: the connection ends on our side (antenna-client-ops.c):
 * like a lost connection, but Paho's handle (and its copy of the session)
 * is dropped, and the next attempt makes a new one. */
void                 _antenna_client_end_connection           (AntennaClient        *self,
                                                               GError               *error);

/* antenna-client-reconnect.c: the back-off and the watchdog */
void                 _antenna_client_schedule_reconnect       (AntennaClient        *self);
void                 _antenna_client_start_watchdog           (AntennaClient        *self);

/* antenna-client-errors.c: what a person reads */
GError              *_antenna_client_not_connected_error      (AntennaClient        *self);
/* Connected, not disconnecting, and with a handle. */
gboolean             _antenna_client_is_connected             (AntennaClient        *self);
GError              *_antenna_client_connection_lost_error    (AntennaClient        *self);
GError              *_antenna_client_connect_timeout_error    (AntennaClient        *self);
char                *_antenna_client_format_reason            (int                   reason,
                                                               const char           *reason_string);
GError              *_antenna_client_connack_error            (AntennaClient        *self,
                                                               const AntennaEvent   *event);
gboolean             _antenna_client_connack_refuses_version  (AntennaClient        *self,
                                                               const AntennaEvent   *event);
GError              *_antenna_client_protocol_version_error   (AntennaClient        *self,
                                                               const char           *why);
void                 _antenna_client_diagnose_connect_failure (AntennaClient        *self,
                                                               const char           *openssl_text);

/* antenna-client-log.c: the connection log. _antenna_client_log (self,
 * INFO|WARNING|ERROR, detail or NULL, format, ...) adds one entry. */
#define _antenna_client_log(self, level, detail, ...) \
  antenna_connection_log_add ((self)->log, ANTENNA_CONNECTION_LOG_LEVEL_##level, (detail), __VA_ARGS__)

void                 _antenna_client_log_attempt              (AntennaClient        *self);
void                 _antenna_client_log_connected            (AntennaClient        *self,
                                                               gboolean              session_present,
                                                               const char           *assigned_id);
void                 _antenna_client_log_connack_refusal      (AntennaClient        *self,
                                                               const AntennaEvent   *event);
void                 _antenna_client_log_granted              (AntennaClient        *self,
                                                               AntennaSubscription  *subscription,
                                                               int                   granted_qos);

static inline gboolean
_antenna_client_transport_uses_tls (AntennaTransport transport)
{
  return transport == ANTENNA_TRANSPORT_TLS || transport == ANTENNA_TRANSPORT_WSS;
}

G_END_DECLS
