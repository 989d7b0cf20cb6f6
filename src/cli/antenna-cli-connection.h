/* antenna-cli-connection.h: from the command line to a connected AntennaClient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-cli-options.h"
#include "antenna-cli-report.h"
#include "antenna-types.h"

G_BEGIN_DECLS

/* The profile to connect with: a copy of the saved one (--profile, then
 * *@from_store is TRUE), or a temporary one from the URL or -h/-p, with the
 * options' overrides applied. A URL that holds a password is refused. Errors
 * in G_OPTION_ERROR or ANTENNA_ERROR. */
AntennaProfile   *antenna_cli_connection_make_profile (AntennaCliConnectionOptions  *options,
                                                       gboolean                     *from_store,
                                                       GError                      **error);

/* Connects @client (made by the caller, who connects to its signals first:
 * messages can arrive with the CONNACK), on the default main context; on
 * failure prints the core's error and returns its status (a connect
 * timeout: ANTENNA_CLI_STATUS_TIMEOUT). */
AntennaCliStatus  antenna_cli_connect                 (AntennaClient                *client,
                                                       const char                   *password);
/* Disconnects (when connected) and waits until Paho has sent DISCONNECT. */
void              antenna_cli_disconnect              (AntennaClient                *client);

/* A GAsyncReadyCallback storing a reference to the result in *@user_data,
 * and the wait for it (iterating the default main context). */
void              antenna_cli_store_result            (GObject                      *object,
                                                       GAsyncResult                 *result,
                                                       gpointer                      user_data);
GAsyncResult     *antenna_cli_wait_result             (GAsyncResult                **result);

G_END_DECLS
