/* antenna-test-cli.h: running antenna-cli as a person or a script runs it
 *
 * For test-cli and test-cli-sub: the built binary with its standard error
 * read line by line as it comes, its output in a file; profiles saved as
 * the app saves them; the exit statuses it documents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-profile.h"
#include "antenna-secret-store.h"
#include "antenna-test-broker.h"

G_BEGIN_DECLS


#define WAIT_MS  30000
/* How long antenna-cli may take to end on its own. */
#define EXIT_WAIT_MS 120000

/* A string literal and its length, NULs included. */
#define LITERAL(s) s, sizeof (s) - 1

/* The exit statuses antenna-cli documents. */
enum {
  EXIT_OK               = 0,
  EXIT_FAILED           = 1,
  EXIT_USAGE            = 2,
  EXIT_REFUSED          = 3,
  EXIT_TLS              = 4,
  EXIT_TIMEOUT          = 5,
  EXIT_NOT_ACKNOWLEDGED = 6,
  EXIT_UNREACHABLE      = 7,
};


/* Set by cli_test_init(), after antenna_test_init(): antenna-cli
 * (ANTENNA_CLI, else the build's), tests/cli-helper.py, python3. */
extern char *cli_path;
extern char *helper_path;
extern char *python_path;

void cli_test_init (void);

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *err_lines;
  GString          *err;        /* standard error so far */
  gboolean          err_done;
  gboolean          exited;
  int               status;     /* the exit status, or 128 + the signal */
  char             *out_path;   /* where its standard output goes */
} Cli;

void
cli_launcher_set_env (GSubprocessLauncher *launcher,
                      const char          *config_dir);

/* Starts antenna-cli with @args (NULL-terminated, without the program);
 * its standard output goes to a file, its standard input is a pipe when
 * @stdin_pipe (else /dev/null). @config_dir: XDG_CONFIG_HOME (NULL: the
 * test's); @bus: DBUS_SESSION_BUS_ADDRESS (NULL: the session's). */
Cli *
cli_spawn_full (const char * const *args,
                gboolean            stdin_pipe,
                const char         *config_dir,
                const char         *bus);

Cli *
cli_spawn (const char * const *args);

void
cli_free (Cli *cli);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cli, cli_free)

int
cli_pid (Cli *cli);

void
cli_write_stdin (Cli        *cli,
                 const char *data,
                 gssize      length,
                 gboolean    close);

/* Iterates until standard error holds @needle; fails the test if it exited first. */
void
cli_wait_for_err (Cli        *cli,
                  const char *needle);

/* The exit status, once it has exited and said everything. */
int
cli_wait (Cli *cli);

GBytes *
cli_get_output (Cli *cli);

char *
cli_get_output_text (Cli *cli);

/* Runs antenna-cli to its end: the exit status; its standard output and
 * error in *@out and *@err (either may be NULL). */
int
cli_run_full (const char * const  *args,
              const char          *input,
              char               **out,
              char               **err);

int
cli_run (const char * const  *args,
         char               **err);

/* A profile for @broker saved as the app saves one (its store, its file),
 * with @password in the keyring (@secrets) when not NULL. */
AntennaProfile *
save_profile (AntennaSecretStore *secrets,
              AntennaTestBroker  *broker,
              const char         *name,
              const char         *password);

char *
broker_url (AntennaTestBroker *broker,
            gboolean           with_user);

char *
port_text (AntennaTestBroker *broker);

GBytes *
binary_payload (gsize size);

char *
write_temp_file (const char *name,
                 GBytes     *contents);

void
assert_bytes_equal (GBytes *got,
                    GBytes *want);

G_END_DECLS
