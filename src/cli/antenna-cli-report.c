/* antenna-cli-report.c: what antenna-cli tells: exit statuses, errors, notes
 *
 * Errors are the core's own sentences (the app shows the same), after the
 * program's name, one a line on standard error. Nothing here ever sees a
 * password: callers pass sentences that have none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <gio/gio.h>

#include "antenna-cli-report.h"
#include "antenna-error.h"

static gboolean verbose;

static AntennaCliStatus
status_for_antenna_error (AntennaError code)
{
  switch (code)
    {
    case ANTENNA_ERROR_INVALID_ARGUMENT:
    case ANTENNA_ERROR_INVALID_TOPIC:
    case ANTENNA_ERROR_INVALID_PAYLOAD:
    case ANTENNA_ERROR_INVALID_URL:
    case ANTENNA_ERROR_PAYLOAD_TOO_LARGE:
      return ANTENNA_CLI_STATUS_USAGE;

    case ANTENNA_ERROR_CONNECTION_REFUSED:
    case ANTENNA_ERROR_PROTOCOL_VERSION:
    case ANTENNA_ERROR_BAD_CREDENTIALS:
    case ANTENNA_ERROR_NOT_AUTHORIZED:
    case ANTENNA_ERROR_SUBSCRIPTION_REFUSED:
      return ANTENNA_CLI_STATUS_REFUSED;

    case ANTENNA_ERROR_TLS:
      return ANTENNA_CLI_STATUS_TLS;

    case ANTENNA_ERROR_TIMEOUT:
      return ANTENNA_CLI_STATUS_TIMEOUT;

    case ANTENNA_ERROR_PUBLISH_REFUSED:
      return ANTENNA_CLI_STATUS_NOT_ACKNOWLEDGED;

    case ANTENNA_ERROR_NOT_CONNECTED:
    case ANTENNA_ERROR_UNREACHABLE:
    case ANTENNA_ERROR_CONNECTION_LOST:
    case ANTENNA_ERROR_SERVER_DISCONNECTED:
    case ANTENNA_ERROR_PROXY:
      return ANTENNA_CLI_STATUS_UNREACHABLE;

    case ANTENNA_ERROR_FAILED:
    case ANTENNA_ERROR_PROFILE_CORRUPT:
    case ANTENNA_ERROR_NEWER_VERSION:
    case ANTENNA_ERROR_SECRET_SERVICE:
    default:
      return ANTENNA_CLI_STATUS_FAILED;
    }
}

AntennaCliStatus
antenna_cli_status_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, ANTENNA_CLI_STATUS_FAILED);

  if (error->domain == ANTENNA_ERROR)
    return status_for_antenna_error ((AntennaError) error->code);
  if (error->domain == G_OPTION_ERROR)
    return ANTENNA_CLI_STATUS_USAGE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return ANTENNA_CLI_STATUS_TIMEOUT;
  return ANTENNA_CLI_STATUS_FAILED;
}

const char *
antenna_cli_status_help (void)
{
  return _("Exit status:\n"
           "  0  success\n"
           "  1  another error: a file, the keyring, the saved connections\n"
           "  2  usage: a wrong option or argument, or a request refused for safety\n"
           "  3  the broker refused the connection (with its reason) or a subscription\n"
           "  4  no secure connection (TLS): certificate, CA or host name\n"
           "  5  timeout: the broker did not answer in time, or --timeout passed first\n"
           "  6  a message was not acknowledged: the broker refused it, or the\n"
           "     connection ended before it confirmed\n"
           "  7  the broker could not be reached, or the connection was lost\n"
           "  8  decode: the payload is not in the format it was decoded as");
}

static void
print_line (const char *message)
{
  g_autofree char *line = g_strdup_printf ("%s: %s\n", g_get_prgname (), message);

  /* One write, so that lines from a subscriber and its errors do not mix. */
  fflush (stdout);
  fputs (line, stderr);
  fflush (stderr);
}

AntennaCliStatus
antenna_cli_fail (AntennaCliStatus  status,
                  const GError     *error)
{
  g_return_val_if_fail (error != NULL, status);

  print_line (error->message);
  return status;
}

AntennaCliStatus
antenna_cli_fail_error (const GError *error)
{
  return antenna_cli_fail (antenna_cli_status_for_error (error), error);
}

static void G_GNUC_PRINTF (1, 0)
print_valist (const char *format,
              va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  print_line (message);
}

AntennaCliStatus
antenna_cli_fail_printf (AntennaCliStatus  status,
                         const char       *format,
                         ...)
{
  va_list args;

  va_start (args, format);
  print_valist (format, args);
  va_end (args);

  return status;
}

void
antenna_cli_warn (const char *format,
                  ...)
{
  va_list args;

  va_start (args, format);
  print_valist (format, args);
  va_end (args);
}

void
antenna_cli_set_verbose (gboolean value)
{
  verbose = !!value;
}

gboolean
antenna_cli_get_verbose (void)
{
  return verbose;
}

void
antenna_cli_note (const char *format,
                  ...)
{
  va_list args;

  if (!verbose)
    return;

  va_start (args, format);
  print_valist (format, args);
  va_end (args);
}
