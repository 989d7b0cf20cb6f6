/* antenna-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ANTENNA_ERROR (antenna_error_quark ())

typedef enum {
  ANTENNA_ERROR_FAILED,
  ANTENNA_ERROR_INVALID_ARGUMENT,     /* a setting or argument that cannot work */
  ANTENNA_ERROR_INVALID_TOPIC,        /* topic name or filter breaks the MQTT rules */
  ANTENNA_ERROR_INVALID_PAYLOAD,      /* hex/Base64/JSON input that does not decode */
  ANTENNA_ERROR_PAYLOAD_TOO_LARGE,    /* over the broker's or MQTT's maximum */
  ANTENNA_ERROR_NOT_CONNECTED,
  ANTENNA_ERROR_UNREACHABLE,          /* DNS, TCP refused, closed before CONNACK */
  ANTENNA_ERROR_TIMEOUT,              /* no CONNACK within the connect timeout */
  ANTENNA_ERROR_TLS,                  /* handshake, CA, host name, expired certificate */
  ANTENNA_ERROR_CONNECTION_REFUSED,   /* CONNACK with a failure code */
  ANTENNA_ERROR_BAD_CREDENTIALS,      /* CONNACK: bad user name or password */
  ANTENNA_ERROR_NOT_AUTHORIZED,       /* CONNACK / SUBACK / PUBACK: not authorised */
  ANTENNA_ERROR_SUBSCRIPTION_REFUSED, /* SUBACK failure */
  ANTENNA_ERROR_PUBLISH_REFUSED,      /* PUBACK/PUBREC with a failure reason code */
  ANTENNA_ERROR_CONNECTION_LOST,      /* the network connection broke */
  ANTENNA_ERROR_SERVER_DISCONNECTED,  /* the broker sent DISCONNECT (MQTT 5) */
  ANTENNA_ERROR_PROFILE_CORRUPT,      /* a profile file that cannot be read */
  ANTENNA_ERROR_NEWER_VERSION,        /* a profile file written by a newer Antenna */
  ANTENNA_ERROR_SECRET_SERVICE,       /* keyring absent, locked or refusing */
  ANTENNA_ERROR_INVALID_URL,
  ANTENNA_ERROR_PROXY,                /* the proxy refused, could not be reached, or cannot be used */
  ANTENNA_ERROR_PROTOCOL_VERSION,     /* closed without answering an MQTT 5 CONNECT: 3.1.1 may work */
} AntennaError;

GQuark antenna_error_quark (void);

G_END_DECLS
