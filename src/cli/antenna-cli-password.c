/* antenna-cli-password.c: where antenna-cli's password comes from
 *
 * Never from argv or the environment, which other users (ps, /proc) or
 * child processes can read: from the keyring through the saved connection,
 * from standard input, or typed at a prompt on the terminal with echo off.
 * The buffers that held one are wiped before they are freed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <gio/gio.h>

#include "antenna-cli-connection.h"
#include "antenna-cli-password.h"
#include "antenna-cli-report.h"
#include "antenna-profile.h"
#include "antenna-secret-store.h"

/* MQTT's password field holds at most 65,535 bytes. */
#define PASSWORD_MAX 65535

typedef enum {
  SOURCE_NONE,
  SOURCE_STDIN,
  SOURCE_KEYRING,
  SOURCE_PROMPT,
} Source;

void
antenna_cli_password_free (AntennaCliPassword *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

/* Reads @fd a byte at a time up to a newline (not kept, nor a CR before it),
 * so that whatever follows stays for the next reader. Returns the line, or
 * NULL at the end of the input before any byte, or with @error. */
static AntennaCliPassword *
read_line (int        fd,
           GError   **error)
{
  g_autoptr(AntennaCliPassword) line = g_malloc0 (PASSWORD_MAX + 1);
  gsize len = 0;

  for (;;)
    {
      char c;
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not read the password: %s."), g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        {
          if (len == 0)
            return NULL;
          break;
        }
      if (c == '\n')
        break;
      if (len >= PASSWORD_MAX)
        {
          explicit_bzero (&c, sizeof c);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The password is longer than MQTT allows (65535 bytes)."));
          return NULL;
        }
      line[len++] = c;
      explicit_bzero (&c, sizeof c);
    }

  if (len > 0 && line[len - 1] == '\r')
    line[--len] = '\0';

  return g_steal_pointer (&line);
}

/* The prompt on the terminal: echo off while the password is typed, and
 * back on even when the person gives up with Ctrl+C. */

static int tty_fd = -1;
static struct termios tty_saved;
static volatile sig_atomic_t tty_echo_off;

static void
restore_tty_and_raise (int signum)
{
  if (tty_echo_off)
    tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* The terminal, or -1 when there is none to ask on. */
static int
open_tty (void)
{
  return open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
}

/* Asks on @fd (open_tty()), and closes it. */
static AntennaCliPassword *
prompt (int              fd,
        AntennaProfile  *profile,
        GError         **error)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
  struct sigaction action = { 0 }, saved_actions[G_N_ELEMENTS (signals)];
  g_autofree char *address = antenna_profile_dup_display_address (profile);
  g_autofree char *text = NULL;
  AntennaCliPassword *password = NULL;
  struct termios quiet;
  GError *local_error = NULL;

  tty_fd = fd;

  action.sa_handler = restore_tty_and_raise;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &action, &saved_actions[i]);

  /* Echo off before the prompt shows, so that nothing typed after it is seen. */
  if (tcgetattr (tty_fd, &tty_saved) == 0)
    {
      quiet = tty_saved;
      quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHOE | ECHOK);
      quiet.c_lflag |= ECHONL;
      if (tcsetattr (tty_fd, TCSAFLUSH, &quiet) == 0)
        tty_echo_off = 1;
    }

  /* Translators: "Password for USER at HOST:PORT: ", asked on the terminal. */
  text = g_strdup_printf (_("Password for %s at %s: "), antenna_profile_get_username (profile), address);
  if (write (tty_fd, text, strlen (text)) < 0)
    g_debug ("Could not write the prompt: %s", g_strerror (errno));

  password = read_line (tty_fd, &local_error);

  /* ECHONL showed the newline: the next line starts below the prompt. */
  if (tty_echo_off)
    {
      tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
      tty_echo_off = 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &saved_actions[i], NULL);

  close (tty_fd);
  tty_fd = -1;

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return password;
}

static AntennaCliPassword *
lookup_keyring (AntennaProfile *profile)
{
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *found;

  antenna_secret_store_lookup_async (secrets, profile, NULL, antenna_cli_store_result, &result);
  found = antenna_secret_store_lookup_finish (secrets, antenna_cli_wait_result (&result), &error);
  if (error != NULL)
    {
      /* Said, then the prompt may still give one. */
      antenna_cli_warn ("%s", error->message);
      return NULL;
    }

  return found;
}

static gboolean
check_plaintext (AntennaCliConnectionOptions  *options,
                 AntennaProfile               *profile,
                 GError                      **error)
{
  g_autofree char *name = NULL;
  g_autofree char *why = NULL;

  if (!antenna_profile_sends_password_in_clear (profile))
    return TRUE;

  if (options->allow_plaintext)
    {
      antenna_cli_note (_("The password goes to %s unencrypted (--allow-plaintext)."),
                        antenna_profile_get_host (profile));
      return TRUE;
    }

  /* The app's words, then what to do here. */
  name = antenna_profile_dup_display_name (profile);
  /* Translators: %s is a connection's name, %s a host. */
  why = g_strdup_printf (_("“%s” does not use TLS: anyone on the network between this computer and %s can read the password. Use the TLS transport to protect it."),
                         name, antenna_profile_get_host (profile));
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s %s",
               why, _("To send it anyway, add --allow-plaintext."));
  return FALSE;
}

gboolean
antenna_cli_password_get (AntennaCliConnectionOptions  *options,
                          AntennaProfile               *profile,
                          gboolean                      from_store,
                          AntennaCliPassword          **out_password,
                          GError                      **error)
{
  g_autoptr(AntennaCliPassword) password = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean has_user = antenna_profile_get_username (profile)[0] != '\0';
  gboolean checked = FALSE;
  Source source = SOURCE_NONE;

  *out_password = NULL;

  if (options->password_stdin)
    {
      password = read_line (STDIN_FILENO, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (password == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("--password-stdin: standard input ended before the password."));
          return FALSE;
        }
      source = SOURCE_STDIN;
    }
  else if (from_store && has_user && antenna_profile_get_save_password (profile))
    {
      password = lookup_keyring (profile);
      if (password != NULL)
        source = SOURCE_KEYRING;
    }

  if (password == NULL && has_user)
    {
      int fd = open_tty ();

      if (fd >= 0)
        {
          /* Not asked for at all when it could not be sent. */
          checked = TRUE;
          if (!check_plaintext (options, profile, error))
            {
              close (fd);
              return FALSE;
            }

          password = prompt (fd, profile, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (password != NULL)
            source = SOURCE_PROMPT;
        }
    }

  /* An empty one is none, as in the app. */
  if (password != NULL && password[0] == '\0')
    g_clear_pointer (&password, antenna_cli_password_free);

  if (password == NULL)
    source = SOURCE_NONE;
  else if (!checked && !check_plaintext (options, profile, error))
    return FALSE;

  switch (source)
    {
    case SOURCE_STDIN:
      antenna_cli_note (_("Password: from standard input (--password-stdin)."));
      break;
    case SOURCE_KEYRING:
      antenna_cli_note (_("Password: from the keyring, saved with the connection."));
      break;
    case SOURCE_PROMPT:
      antenna_cli_note (_("Password: typed at the prompt."));
      break;
    case SOURCE_NONE:
    default:
      antenna_cli_note (_("Password: none."));
      break;
    }

  *out_password = g_steal_pointer (&password);
  return TRUE;
}
