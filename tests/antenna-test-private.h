/* antenna-test-private.h: what the files of the test support share
 *
 * Not for the test programs: they use antenna-test-utils.h,
 * antenna-test-broker.h, antenna-test-peer.h and the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-test-broker.h"
#include "antenna-test-utils.h"

G_BEGIN_DECLS

/* The broker: antenna-test-broker.c starts it, antenna-test-certificates.c
 * makes its TLS files, antenna-test-peer.c points mosquitto_pub/sub at it. */
struct _AntennaTestBroker
{
  AntennaTestBrokerFlags  flags;
  char                   *dir;
  char                   *config_file;
  char                   *log_file;
  GSubprocess            *process;
  guint                   port;
  guint                   tls_port;
  guint                   mqtt_port;
  char                   *ca_file;
  char                   *other_ca_file;
  char                   *cert_file;
  char                   *key_file;
  char                   *client_cert_file;
  char                   *client_key_file;
  char                   *username;
  char                   *password;
  guint                   n_payload_files;
  char                   *extra_config;
  guint                   ws_port;   /* RabbitMQ's Web MQTT listener (aedes: port) */
  GSubprocess            *helper;    /* RabbitMQ's own epmd, stopped after the broker */
};

/* antenna-test-broker.c: what the brokers' files share. */
/* @n distinct free loopback ports into @ports. */
gboolean     _antenna_test_pick_free_ports   (guint                   *ports,
                                              guint                    n,
                                              GError                 **error);
/* The last @max bytes of the file at @path, or "(no log)". */
char        *_antenna_test_read_tail         (const char              *path,
                                              gsize                    max);
/* A process of the broker, in self->dir, its output (stdout and stderr)
 * into @output_file, @envp (NULL, or name, value, …, NULL) set, killed with
 * the test and tracked (_antenna_test_track_process). */
GSubprocess *_antenna_test_spawn             (AntennaTestBroker       *self,
                                              const char              *output_file,
                                              const char * const      *envp,
                                              const char * const      *argv,
                                              GError                 **error);
/* Waits at most @timeout_s until *@process runs, @ready (unless NULL)
 * stands in self->log_file and each of the @n_ports @ports accepts. Else
 * kills and clears *@process and fails naming @name, with the log and
 * @output_file; *@address_in_use (may be NULL) says whether @in_use stands
 * in either. */
gboolean     _antenna_test_wait_ready        (AntennaTestBroker       *self,
                                              GSubprocess            **process,
                                              const char              *name,
                                              const char              *ready,
                                              const guint             *ports,
                                              guint                    n_ports,
                                              guint                    timeout_s,
                                              const char              *output_file,
                                              const char              *in_use,
                                              gboolean                *address_in_use,
                                              GError                 **error);
/* SIGTERM, then SIGKILL after @timeout_ms (at once with 0); waits, and
 * forgets the process (_antenna_test_track_process). */
void         _antenna_test_stop_process      (GSubprocess             *process,
                                              guint                    timeout_ms);

/* antenna-test-broker-rabbitmq.c and -activemq.c: start the broker of
 * self->flags in self->dir, on free ports (self->port, mqtt_port, ws_port),
 * with self->username/password and anonymous clients allowed. */
gboolean     _antenna_test_start_rabbitmq    (AntennaTestBroker       *self,
                                              GError                 **error);
gboolean     _antenna_test_start_activemq    (AntennaTestBroker       *self,
                                              GError                 **error);
/* Stops the brokers of antenna_test_broker_get_shared() (antenna_test_run()). */
void         _antenna_test_free_shared_brokers (void);

/* antenna-test-certificates.c: a CA, another CA, a server certificate (as
 * the flags ask: wrong host, expired) and a client certificate, under
 * self->dir/tls; sets the *_file fields. */
gboolean     _antenna_test_make_certificates (AntennaTestBroker       *self,
                                              GError                 **error);

/* antenna-test-broker.c: ports on 127.0.0.1. A port free at the time of the
 * call (another process may take it before it is used: retry on "address
 * in use"); whether something accepts connections on @port. */
guint        _antenna_test_pick_free_port    (GError                 **error);
gboolean     _antenna_test_port_accepts      (guint                    port);

/* antenna-test-utils.c: processes. */
/* The path of the tool @name (PATH, then /usr/sbin), or an error naming
 * the Debian @package to install. */
char        *_antenna_test_find_tool         (const char              *name,
                                              const char              *package,
                                              GError                 **error);
/* Runs a tool to its end in @cwd; on failure the error carries its output. */
gboolean     _antenna_test_run_tool          (const char * const      *argv,
                                              const char              *cwd,
                                              GError                 **error);
/* Adds @process to (or removes it from) those killed when the test program
 * exits without freeing them. */
void         _antenna_test_track_process     (GSubprocess             *process,
                                              gboolean                 add);
/* Adds @dir to (or removes it from) those removed at exit. */
void         _antenna_test_track_dir         (const char              *dir,
                                              gboolean                 add);
/* Whether @process still runs (GLib's worker thread reaps it: no main loop needed). */
gboolean     _antenna_test_process_running   (GSubprocess             *process);

/* antenna-test-utils.c: XDG_DATA_DIRS and XDG_CONFIG_DIRS as the session
 * had them (their defaults when unset), for an app the test starts. */
const char  *_antenna_test_get_system_data_dirs   (void);
const char  *_antenna_test_get_system_config_dirs (void);

/* antenna_test_wait_until() on @context rather than the thread-default one. */
gboolean     _antenna_test_wait_on           (GMainContext            *context,
                                              AntennaTestCondition     condition,
                                              gpointer                 user_data,
                                              guint                    timeout_ms);
/* An AntennaTestCondition: whether the gboolean @flag points to is TRUE. */
gboolean     _antenna_test_flag_is_set       (gpointer                 flag);

G_END_DECLS
