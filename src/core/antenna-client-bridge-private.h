/* antenna-client-bridge-private.h: AntennaClient's bridge from Paho's threads to the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the client's files (antenna-client*.c). The bridge itself,
 * antenna-client-bridge.c, and its sender, antenna-client-sender.c, are the
 * only code that runs off the main thread; what the rest of the client sees
 * of them is here and in antenna-client-sender-private.h: the events Paho's
 * callbacks queue (everything but a received message, which never leaves
 * the bridge), and the brackets around every call into Paho from the main
 * thread (see the backpressure there).
 */
#pragma once

#include <MQTTAsync.h>

#include "antenna-client.h"

G_BEGIN_DECLS

/* One per Paho handle, refcounted, shared with Paho's threads. Opaque
 * outside antenna-client-bridge.c. */
typedef struct _AntennaBridge AntennaBridge;
typedef struct _AntennaSender AntennaSender;

typedef enum {
  ANTENNA_EVENT_MESSAGE,
  ANTENNA_EVENT_CONNECTED,
  ANTENNA_EVENT_CONNECT_FAILED,
  ANTENNA_EVENT_SUCCESS,
  ANTENNA_EVENT_FAILURE,
  ANTENNA_EVENT_CONNECTION_LOST,
  ANTENNA_EVENT_SERVER_DISCONNECT,
  ANTENNA_EVENT_DISCONNECT_DONE,
  ANTENNA_EVENT_NOT_TAKEN,       /* Paho refused a request at once: code */
} AntennaEventKind;

/* Everything but a message. The queue holds AntennaEvent and message event
 * pointers; both start with their kind. */
typedef struct
{
  AntennaEventKind   kind;
  guint              op_id;          /* SUCCESS, FAILURE, NOT_TAKEN: the operation */
  gpointer           request;        /* … and its AntennaRequest (not a reference) */
  int                code;           /* Paho error code, or 3.1.1 CONNACK/SUBACK code */
  int                reason;         /* MQTT 5 reason code */
  int                granted;        /* 3.1.1 SUBACK: granted QoS or 0x80; garbage for other acks */
  int                delivered_qos;  /* a publish's SUCCESS: the QoS the broker acknowledged it at */
  int                session_present;
  int                packet_type;
  guint32            maximum_packet_size;
  guint32            receive_maximum;  /* MQTT 5 CONNACK: 0 when absent (65535) */
  char              *text;           /* Paho's message, or the lost cause */
  char              *reason_string;  /* MQTT 5 reason string property */
  char              *assigned_id;    /* MQTT 5 assigned client identifier */
} AntennaEvent;

/* A handle's bridge: self->handle gets a new one (self->bridge) with its
 * source on the client's context, and Paho's callbacks point at it; detach
 * drops it (no more events) and destroys the handle in a thread. */
void     _antenna_bridge_attach                  (AntennaClient               *self);
void     _antenna_bridge_detach                  (AntennaClient               *self,
                                                  gboolean                     send_disconnect);

/* A connect that Paho refused at once takes the path of an asynchronous failure. */
void     _antenna_bridge_push_connect_failed     (AntennaBridge               *bridge,
                                                  int                          code);

/* OpenSSL's error text of the last connection attempt: take (NULL when
 * there is none) or forget it. */
char    *_antenna_bridge_take_tls_errors         (AntennaBridge               *bridge);
void     _antenna_bridge_clear_tls_errors        (AntennaBridge               *bridge);

/* Point the callbacks of these Paho options at @bridge, for its MQTT version. */
void     _antenna_bridge_init_connect_options    (AntennaBridge               *bridge,
                                                  MQTTAsync_connectOptions    *options);
void     _antenna_bridge_init_ssl_options        (AntennaBridge               *bridge,
                                                  MQTTAsync_SSLOptions        *ssl);
void     _antenna_bridge_init_disconnect_options (AntennaBridge               *bridge,
                                                  MQTTAsync_disconnectOptions *options);

/* The requests of @bridge's handle (antenna-client-sender-private.h). */
/* Main thread: the MQTT 5 topic alias maximum of the next attempt's
 * CONNECT (the bridge resolves the broker's aliases up to it). */
void     _antenna_bridge_set_topic_alias_maximum (AntennaBridge               *bridge,
                                                  guint                        maximum);
AntennaSender *_antenna_bridge_get_sender        (AntennaBridge               *bridge);

/* For the sender: its bridge lives while a worker uses it, and the events
 * go into the bridge's queue (any thread; a dropped bridge frees them)
 * through the sender, in order (_antenna_sender_push_event()). */
AntennaBridge *_antenna_bridge_ref               (AntennaBridge               *bridge);
void     _antenna_bridge_unref                   (AntennaBridge               *bridge);
gboolean _antenna_bridge_is_dead                 (AntennaBridge               *bridge);
AntennaEvent *_antenna_event_new                 (AntennaEventKind             kind);
void     _antenna_bridge_push_event              (AntennaBridge               *bridge,
                                                  AntennaEvent                *event);

/* Every call into Paho from the main thread (and every wait of the main
 * thread for a thread that calls Paho) is bracketed by these: while one is
 * in progress Paho's receive thread does not wait for room in a queue,
 * since it would hold Paho's mutex that the call needs. (The sender's worker
 * calls Paho unbracketed: the main thread never waits for it, so it may
 * wait for the main thread to make room.) */
extern int _antenna_bridge_paho_calls;  /* atomic: the calls in progress */

void     _antenna_bridge_paho_call_begin         (void);

static inline void
_antenna_bridge_paho_call_end (void)
{
  g_atomic_int_dec_and_test (&_antenna_bridge_paho_calls);
}

G_END_DECLS
