/* antenna-test-certificates.c: the TLS files of a test broker
 *
 * A CA, an unrelated CA, a server certificate (for 127.0.0.1 and localhost,
 * or for the wrong host, or expired, as the broker's flags ask) and a client
 * certificate, made with openssl when the broker starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-broker"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "antenna-test-private.h"

static gboolean
make_ca (const char  *openssl,
         const char  *dir,
         const char  *name,
         const char  *common_name,
         GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = g_strconcat (name, ".crt", NULL);
  g_autofree char *subject = g_strconcat ("/CN=", common_name, NULL);
  const char *argv[] = {
    openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", cert, "-days", "3650", "-subj", subject,
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    NULL
  };

  return _antenna_test_run_tool (argv, dir, error);
}

static gboolean
make_signed (const char  *openssl,
             const char  *dir,
             const char  *name,
             const char  *common_name,
             const char  *extensions,
             gboolean     expired,
             GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *cert = g_strconcat (name, ".crt", NULL);
  g_autofree char *subject = g_strconcat ("/CN=", common_name, NULL);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *req_argv[] = {
    openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", csr, "-subj", subject, NULL
  };
  const char *ca_argv[20];
  int i = 0;

  if (!_antenna_test_run_tool (req_argv, dir, error))
    return FALSE;

  if (expired)
    {
      g_autoptr(GDateTime) before = g_date_time_add_days (now, -30);
      g_autoptr(GDateTime) after = g_date_time_add_days (now, -1);

      start = g_date_time_format (before, "%Y%m%d%H%M%SZ");
      end = g_date_time_format (after, "%Y%m%d%H%M%SZ");
    }
  else
    {
      /* A day back, so that a clock a little behind still accepts it. */
      g_autoptr(GDateTime) before = g_date_time_add_days (now, -1);
      g_autoptr(GDateTime) after = g_date_time_add_days (now, 3650);

      start = g_date_time_format (before, "%Y%m%d%H%M%SZ");
      end = g_date_time_format (after, "%Y%m%d%H%M%SZ");
    }

  /* openssl x509 -req cannot date a certificate in the past (OpenSSL 3.0):
   * openssl ca can, with a minimal configuration in ca.cnf. */
  ca_argv[i++] = openssl;
  ca_argv[i++] = "ca";
  ca_argv[i++] = "-batch";
  ca_argv[i++] = "-notext";
  ca_argv[i++] = "-config";
  ca_argv[i++] = "ca.cnf";
  ca_argv[i++] = "-extensions";
  ca_argv[i++] = extensions;
  ca_argv[i++] = "-startdate";
  ca_argv[i++] = start;
  ca_argv[i++] = "-enddate";
  ca_argv[i++] = end;
  ca_argv[i++] = "-in";
  ca_argv[i++] = csr;
  ca_argv[i++] = "-out";
  ca_argv[i++] = cert;
  ca_argv[i++] = NULL;
  g_assert (i <= (int) G_N_ELEMENTS (ca_argv));

  return _antenna_test_run_tool (ca_argv, dir, error);
}

gboolean
_antenna_test_make_certificates (AntennaTestBroker  *self,
                                 GError            **error)
{
  g_autofree char *openssl = NULL;
  g_autofree char *ca_dir = NULL;
  g_autofree char *cnf = NULL;
  g_autofree char *newcerts = NULL;
  const char *server_san;

  openssl = _antenna_test_find_tool ("openssl", "openssl", error);
  if (openssl == NULL)
    return FALSE;

  ca_dir = g_build_filename (self->dir, "tls", NULL);
  newcerts = g_build_filename (ca_dir, "newcerts", NULL);
  if (g_mkdir_with_parents (newcerts, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Cannot create %s: %s", newcerts, g_strerror (errno));
      return FALSE;
    }

  if (self->flags & ANTENNA_TEST_BROKER_TLS_WRONG_HOST)
    server_san = "DNS:wrong.example";
  else
    server_san = "IP:127.0.0.1,DNS:localhost";

  cnf = g_strdup_printf ("[ ca ]\n"
                         "default_ca = test_ca\n"
                         "[ test_ca ]\n"
                         "dir = .\n"
                         "certificate = ca.crt\n"
                         "private_key = ca.key\n"
                         "database = index.txt\n"
                         "new_certs_dir = newcerts\n"
                         "serial = serial\n"
                         "default_md = sha256\n"
                         "policy = policy_any\n"
                         "unique_subject = no\n"
                         "email_in_dn = no\n"
                         "[ policy_any ]\n"
                         "commonName = supplied\n"
                         "[ server_ext ]\n"
                         "basicConstraints = critical, CA:FALSE\n"
                         "keyUsage = critical, digitalSignature, keyEncipherment\n"
                         "extendedKeyUsage = serverAuth\n"
                         "subjectAltName = %s\n"
                         "[ client_ext ]\n"
                         "basicConstraints = critical, CA:FALSE\n"
                         "keyUsage = critical, digitalSignature, keyEncipherment\n"
                         "extendedKeyUsage = clientAuth\n",
                         server_san);

  {
    g_autofree char *cnf_path = g_build_filename (ca_dir, "ca.cnf", NULL);
    g_autofree char *index_path = g_build_filename (ca_dir, "index.txt", NULL);
    g_autofree char *serial_path = g_build_filename (ca_dir, "serial", NULL);

    if (!g_file_set_contents (cnf_path, cnf, -1, error) ||
        !g_file_set_contents (index_path, "", 0, error) ||
        !g_file_set_contents (serial_path, "1000\n", -1, error))
      return FALSE;
  }

  if (!make_ca (openssl, ca_dir, "ca", "Antenna Test CA", error) ||
      !make_ca (openssl, ca_dir, "other-ca", "Antenna Unrelated Test CA", error))
    return FALSE;

  if (!make_signed (openssl, ca_dir, "server",
                    (self->flags & ANTENNA_TEST_BROKER_TLS_WRONG_HOST) ? "wrong.example" : "localhost",
                    "server_ext",
                    (self->flags & ANTENNA_TEST_BROKER_TLS_EXPIRED) != 0,
                    error))
    return FALSE;

  if (!make_signed (openssl, ca_dir, "client", "antenna-test-client",
                    "client_ext", FALSE, error))
    return FALSE;

  self->ca_file = g_build_filename (ca_dir, "ca.crt", NULL);
  self->other_ca_file = g_build_filename (ca_dir, "other-ca.crt", NULL);
  self->cert_file = g_build_filename (ca_dir, "server.crt", NULL);
  self->key_file = g_build_filename (ca_dir, "server.key", NULL);
  self->client_cert_file = g_build_filename (ca_dir, "client.crt", NULL);
  self->client_key_file = g_build_filename (ca_dir, "client.key", NULL);
  return TRUE;
}
