/* antenna-cli-report.h: what antenna-cli tells: exit statuses, errors, notes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The exit statuses, documented in --help, antenna-cli(1) and the README. */
typedef enum {
  ANTENNA_CLI_STATUS_OK               = 0,
  ANTENNA_CLI_STATUS_FAILED           = 1,  /* another error: a file, the keyring, the profiles */
  ANTENNA_CLI_STATUS_USAGE            = 2,  /* the command line, or a refusal for safety */
  ANTENNA_CLI_STATUS_REFUSED          = 3,  /* the broker refused the connection or a subscription */
  ANTENNA_CLI_STATUS_TLS              = 4,  /* no secure connection: certificate, CA, host name */
  ANTENNA_CLI_STATUS_TIMEOUT          = 5,  /* the broker did not answer in time; --timeout */
  ANTENNA_CLI_STATUS_NOT_ACKNOWLEDGED = 6,  /* a message the broker refused or did not confirm */
  ANTENNA_CLI_STATUS_UNREACHABLE      = 7,  /* no connection to the broker, or it was lost */
  ANTENNA_CLI_STATUS_UNDECODABLE      = 8,  /* antenna-cli decode: the payload is not in its format */
} AntennaCliStatus;

/* The status for an error of the core (ANTENNA_ERROR) or of GLib. */
AntennaCliStatus  antenna_cli_status_for_error   (const GError      *error);
/* The "Exit status" paragraph of every --help. */
const char       *antenna_cli_status_help        (void);

/* "antenna-cli: MESSAGE" on standard error; returns @status. */
AntennaCliStatus  antenna_cli_fail               (AntennaCliStatus   status,
                                                  const GError      *error);
AntennaCliStatus  antenna_cli_fail_printf        (AntennaCliStatus   status,
                                                  const char        *format,
                                                  ...) G_GNUC_PRINTF (2, 3);
/* The same, with the status that goes with @error. */
AntennaCliStatus  antenna_cli_fail_error         (const GError      *error);
/* "antenna-cli: MESSAGE" on standard error, for what goes on anyway. */
void              antenna_cli_warn               (const char        *format,
                                                  ...) G_GNUC_PRINTF (1, 2);

/* --verbose: notes on standard error. */
void              antenna_cli_set_verbose        (gboolean           verbose);
gboolean          antenna_cli_get_verbose        (void);
void              antenna_cli_note               (const char        *format,
                                                  ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
