/* antenna-cli-options.h: the command line of antenna-cli's commands
 *
 * Every command parses its options with GOption. The options that say where
 * to connect and how (shared by pub and sub) are in
 * AntennaCliConnectionOptions; the MQTT 5 properties of a PUBLISH, which take
 * two or three words each, are taken out of argv first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "antenna-types.h"

G_BEGIN_DECLS

typedef struct
{
  /* Where: a saved connection, a URL (the one positional argument), or -h/-p */
  char      *profile;
  char      *host;
  int        port;             /* 0: unset */
  char     **arguments;        /* what is left after the options */

  /* Overrides of the connection's settings */
  char      *username;
  char      *mqtt_version;
  char      *client_id;
  int        keepalive;        /* -1: unset */
  gboolean   persistent;       /* -c: clean start off */
  gint64     session_expiry;   /* -x; G_MININT64: unset, -1: never expires */
  int        connect_timeout;  /* -1: unset */
  char      *ca_file;
  char      *cert_file;
  char      *key_file;
  gboolean   tls_use_os_certs;
  gboolean   insecure;

  /* The password and what is said */
  gboolean   password_stdin;
  gboolean   allow_plaintext;
  gboolean   verbose;
} AntennaCliConnectionOptions;

void            antenna_cli_connection_options_init  (AntennaCliConnectionOptions  *self);
void            antenna_cli_connection_options_clear (AntennaCliConnectionOptions  *self);
/* Adds the options to @context's main group, after those already there. */
void            antenna_cli_connection_options_add   (AntennaCliConnectionOptions  *self,
                                                      GOptionContext               *context);
/* The URL among the positional arguments (NULL: none); more than one is a
 * usage error. */
gboolean        antenna_cli_connection_options_get_url (AntennaCliConnectionOptions *self,
                                                      const char                  **url,
                                                      GError                      **error);

/* A context for a command: "Usage: PRGNAME [OPTION…] @parameter_string"
 * (main() names the program "antenna-cli COMMAND"), @summary, and the exit
 * statuses after the options. */
GOptionContext *antenna_cli_option_context_new       (const char                   *parameter_string,
                                                      const char                   *summary);
/* g_option_context_parse(), after refusing a password on the command line
 * (mosquitto's -P/--pw): errors are G_OPTION_ERROR, a usage error. */
gboolean        antenna_cli_option_context_parse     (GOptionContext               *context,
                                                      int                          *argc,
                                                      char                       ***argv,
                                                      GError                      **error);

/* Takes the MQTT 5 properties of a PUBLISH out of @argv (before "--"):
 *   --property NAME VALUE, --property user-property KEY VALUE
 *   -D publish NAME VALUE, -D publish user-property KEY VALUE (mosquitto_pub)
 * NAME: content-type, payload-format-indicator (0 or 1),
 * message-expiry-interval (seconds), response-topic, correlation-data (the
 * bytes of VALUE), user-property (repeatable). Sets *@properties to NULL
 * when there were none. */
gboolean        antenna_cli_take_properties          (int                          *argc,
                                                      char                        **argv,
                                                      AntennaProperties           **properties,
                                                      GError                      **error);

/* -q: 0, 1 or 2. */
gboolean        antenna_cli_check_qos                (int                           qos,
                                                      GError                      **error);
/* -V: mqttv5 or 5, mqttv311 or 311 (mosquitto's names). */
gboolean        antenna_cli_parse_mqtt_version       (const char                   *text,
                                                      AntennaMqttVersion           *version,
                                                      GError                      **error);

G_END_DECLS
