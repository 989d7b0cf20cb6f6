/* test-cloud-preset.c: the cloud presets, the Azure SAS token, and what
 * reaches the wire
 *
 * No cloud is reachable from here: the SAS token is checked against an
 * independent implementation (Python's hmac, hashlib, base64 and
 * urllib.parse, as in Microsoft's documentation), the ALPN against a local
 * TLS server (openssl s_server), an encrypted AWS key against mosquitto
 * asking for client certificates, and the connect options each preset makes
 * as Paho gets them (a white-box look through antenna-client-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "antenna-client.h"
#include "antenna-client-private.h"
#include "antenna-cloud-preset.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-sas-token.h"
#include "antenna-secret-store.h"
#include "antenna-subscription.h"
#include "antenna-test-broker.h"
#include "antenna-test-client.h"
#include "antenna-test-keyring.h"
#include "antenna-test-peer.h"
#include "antenna-test-proxy.h"
#include "antenna-test-server.h"
#include "antenna-test-utils.h"

#define WAIT_MS 20000

/* A device key as the Azure portal shows one: Base64 of 32 bytes. */
#define DEVICE_KEY "q7wN0Xh9mZ3f2Yp6Lk1sVb8Rt4Ue5Gc0Aa/Bb+Cc9Dd="

/* Microsoft's algorithm, in Python: the reference the tokens must match
 * byte for byte. */
static const char python_sas[] =
  "import sys, hmac, hashlib, base64\n"
  "from urllib.parse import quote_plus, urlencode\n"
  "uri, key, expiry = sys.argv[1], sys.argv[2], sys.argv[3]\n"
  "to_sign = '%s\\n%s' % (quote_plus(uri), expiry)\n"
  "sig = base64.b64encode(hmac.HMAC(base64.b64decode(key), to_sign.encode('utf-8'), hashlib.sha256).digest())\n"
  "sys.stdout.write('SharedAccessSignature ' + urlencode({'sr': uri, 'sig': sig, 'se': expiry}))\n";

static char *
python_token (const char *resource,
              const char *key,
              gint64      expiry)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) python = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expiry_text = g_strdup_printf ("%" G_GINT64_FORMAT, expiry);
  char *out = NULL;
  char *err = NULL;

  python = g_subprocess_launcher_spawn (launcher, &error, "python3", "-c", python_sas,
                                        resource, key, expiry_text, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (python, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (python))
    g_error ("python3 failed: %s", err);
  g_free (err);
  return out;
}

/* The "se=" of a token. */
static gint64
token_expiry (const char *token)
{
  const char *se = strstr (token, "&se=");

  g_assert_nonnull (se);
  return g_ascii_strtoll (se + 4, NULL, 10);
}

static void
test_sas_token_python (void)
{
  static const struct
  {
    const char *resource;
    const char *key;
    gint64      expiry;
  } cases[] = {
    { "myhub.azure-devices.net/devices/device1", DEVICE_KEY, 1700000000 },
    { "MyHub.azure-devices.net/devices/Dev_1-a.b", "AAECAwQFBgcICQoLDA0ODw==", 1 },
    /* Every character a device id may have that URL encoding touches. */
    { "hub.azure-devices.cn/devices/d%*?!(),:=@$'~ x", "/////////////////////w==", 4102444800 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *ours = antenna_sas_token_new (cases[i].resource, cases[i].key, cases[i].expiry, &error);
      g_autofree char *theirs = python_token (cases[i].resource, cases[i].key, cases[i].expiry);

      g_assert_no_error (error);
      g_test_message ("%s", ours);
      g_assert_cmpstr (ours, ==, theirs);
    }

  {
    g_autofree char *resource = antenna_sas_token_resource_uri ("hub.azure-devices.net", "dev");

    g_assert_cmpstr (resource, ==, "hub.azure-devices.net/devices/dev");
  }
}

static void
test_sas_token_bad_key (void)
{
  static const char * const bad[] = {
    "",
    "HostName=hub.azure-devices.net;DeviceId=d;SharedAccessKey=" DEVICE_KEY,
    "SharedAccessSignature sr=hub.azure-devices.net%2Fdevices%2Fd&sig=abc&se=1",
    "c2hvcnQ=",                      /* Base64, but 5 bytes */
    "q7wN0Xh9mZ3f2Yp6Lk1sVb8Rt4Ue5Gc0Aa/Bb+Cc9Dd",  /* padding missing */
    "q7wN0Xh9mZ3f2Yp6Lk1sVb8Rt4Ue5Gc0Aa/Bb+Cc9D=d",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = antenna_sas_token_new ("hub/devices/d", bad[i], 1, &error);

      g_assert_null (token);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "primary or secondary key"));
    }
}

/* ------------------------------------------------------------------------ */
/* Files a preset points at                                                  */

typedef struct
{
  AntennaTestBroker *broker;       /* TLS with client certificates */
  char              *dir;
  char              *encrypted_key;
  char              *passphrase;
} Files;

static Files *
files_new (void)
{
  Files *files = g_new0 (Files, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  files->broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS | ANTENNA_TEST_BROKER_TLS_CLIENT_CERT);
  files->dir = g_dir_make_tmp ("antenna-test-cloud-XXXXXX", &error);
  g_assert_no_error (error);
  files->passphrase = g_strdup_printf ("Key-Passphrase-%s", uuid);
  files->encrypted_key = g_build_filename (files->dir, "thing-private.pem.key", NULL);

  /* The client key, encrypted as AWS users often keep theirs. */
  antenna_test_broker_write_encrypted_client_key (files->broker, files->passphrase, files->encrypted_key);
  return files;
}

static void
files_free (Files *files)
{
  antenna_test_broker_free (files->broker);
  antenna_test_remove_tree (files->dir);
  g_free (files->dir);
  g_free (files->encrypted_key);
  g_free (files->passphrase);
  g_free (files);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Files, files_free)

static AntennaProfile *
aws_profile (Files    *files,
             gboolean  port_443,
             gboolean  encrypted)
{
  g_autoptr(AntennaCloudPreset) preset = antenna_cloud_preset_new (ANTENNA_CLOUD_AWS_IOT);
  g_autoptr(GError) error = NULL;
  AntennaProfile *profile;

  g_object_set (preset,
                "host", "abc123xyz-ats.iot.eu-west-1.amazonaws.com",
                "device-id", "antenna-thing",
                "cert-file", antenna_test_broker_get_client_cert_file (files->broker),
                "key-file", encrypted ? files->encrypted_key : antenna_test_broker_get_client_key_file (files->broker),
                "ca-file", antenna_test_broker_get_ca_file (files->broker),
                "use-alternate", port_443,
                NULL);
  profile = antenna_cloud_preset_create_profile (preset, &error);
  g_assert_no_error (error);
  return profile;
}

/* ------------------------------------------------------------------------ */
/* Connect options, as Paho gets them                                        */

/* A client for @profile with a Paho handle (no connection), @password as
 * connect would have it, and what the preparation found. */
static AntennaClient *
client_with_handle (AntennaProfile *profile,
                    const char     *password)
{
  AntennaClient *client = antenna_client_new (profile);
  g_autoptr(GError) error = NULL;

  g_assert_true (_antenna_client_create_handle (client, &error));
  g_assert_no_error (error);
  client->password = g_strdup (password);
  return client;
}

static void
test_preset_aws (void)
{
  g_autoptr(Files) files = files_new ();

  for (guint port_443 = 0; port_443 <= 1; port_443++)
    {
      g_autoptr(AntennaProfile) profile = aws_profile (files, port_443, FALSE);
      g_autoptr(AntennaClient) client = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = antenna_profile_dup_server_uri (profile);
      AntennaConnectOptions co;
      MQTTAsync_SSLOptions *ssl;

      g_assert_cmpstr (antenna_profile_get_name (profile), ==, "AWS IoT Core – antenna-thing");
      g_assert_cmpstr (uri, ==, port_443 ? "ssl://abc123xyz-ats.iot.eu-west-1.amazonaws.com:443"
                                         : "ssl://abc123xyz-ats.iot.eu-west-1.amazonaws.com:8883");
      g_assert_cmpint (antenna_profile_get_transport (profile), ==, ANTENNA_TRANSPORT_TLS);
      g_assert_cmpstr (antenna_profile_get_tls_alpn (profile), ==, port_443 ? "x-amzn-mqtt-ca" : "");
      g_assert_cmpstr (antenna_profile_get_username (profile), ==, "");
      g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)), ==, 0);

      client = client_with_handle (profile, NULL);
      g_assert_cmpstr (antenna_client_get_client_id (client), ==, "antenna-thing");
      g_assert_true (_antenna_client_connect_options_init (client, &co, &error));
      g_assert_no_error (error);

      g_assert_cmpint (co.opts.MQTTVersion, ==, MQTTVERSION_5);
      g_assert_cmpint (co.opts.cleanstart, ==, 1);
      g_assert_cmpint (co.opts.cleansession, ==, 0);
      g_assert_cmpint (co.opts.keepAliveInterval, ==, 60);
      g_assert_null (co.opts.username);
      g_assert_cmpint (co.opts.binarypwd.len, ==, 0);
      g_assert_null (co.opts.will);
      g_assert_null (co.opts.httpProxy);
      g_assert_null (co.opts.httpsProxy);

      ssl = co.opts.ssl;
      g_assert_nonnull (ssl);
      g_assert_cmpstr (ssl->trustStore, ==, antenna_test_broker_get_ca_file (files->broker));
      g_assert_cmpstr (ssl->keyStore, ==, antenna_test_broker_get_client_cert_file (files->broker));
      g_assert_cmpstr (ssl->privateKey, ==, antenna_test_broker_get_client_key_file (files->broker));
      g_assert_null (ssl->privateKeyPassword);
      g_assert_cmpint (ssl->enableServerCertAuth, ==, 1);
      g_assert_cmpint (ssl->verify, ==, 1);
      if (port_443)
        {
          /* ALPN's wire format: the name after its length. */
          g_assert_cmpuint (ssl->protos_len, ==, 15);
          g_assert_cmpmem (ssl->protos, ssl->protos_len, "\x0ex-amzn-mqtt-ca", 15);
        }
      else
        g_assert_null (ssl->protos);

      _antenna_client_connect_options_clear (&co);
    }
}

static AntennaProfile *
azure_profile (gboolean websocket)
{
  g_autoptr(AntennaCloudPreset) preset = antenna_cloud_preset_new (ANTENNA_CLOUD_AZURE_IOT_HUB);
  g_autoptr(GError) error = NULL;
  AntennaProfile *profile;

  g_object_set (preset, "hub-name", "antenna-hub", "device-id", "sensor-7", "use-alternate", websocket, NULL);
  profile = antenna_cloud_preset_create_profile (preset, &error);
  g_assert_no_error (error);
  return profile;
}

/* Builds the connect options of @client and returns the password Paho got. */
static char *
connect_password (AntennaClient *client)
{
  g_autoptr(GError) error = NULL;
  AntennaConnectOptions co;
  char *password;

  g_assert_true (_antenna_client_connect_options_init (client, &co, &error));
  g_assert_no_error (error);
  g_assert_null (co.opts.password);
  password = g_strndup (co.opts.binarypwd.data, co.opts.binarypwd.len);
  _antenna_client_connect_options_clear (&co);
  return password;
}

static void
test_preset_azure (void)
{
  for (guint websocket = 0; websocket <= 1; websocket++)
    {
      g_autoptr(AntennaProfile) profile = azure_profile (websocket);
      g_autoptr(AntennaClient) client = NULL;
      g_autoptr(AntennaSubscription) c2d = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = antenna_profile_dup_server_uri (profile);
      g_autofree char *token = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *renewed = NULL;
      g_autofree char *expected_renewed = NULL;
      AntennaConnectOptions co;
      gint64 before, after, expiry;

      g_assert_cmpstr (antenna_profile_get_name (profile), ==, "Azure IoT Hub – sensor-7");
      g_assert_cmpstr (uri, ==, websocket ? "wss://antenna-hub.azure-devices.net:443/$iothub/websocket"
                                          : "ssl://antenna-hub.azure-devices.net:8883");
      g_assert_cmpint (antenna_profile_get_mqtt_version (profile), ==, ANTENNA_MQTT_VERSION_3_1_1);
      g_assert_cmpstr (antenna_profile_get_client_id (profile), ==, "sensor-7");
      g_assert_cmpstr (antenna_profile_get_username (profile), ==,
                       "antenna-hub.azure-devices.net/sensor-7/?api-version=2021-04-12");
      g_assert_cmpint (antenna_profile_get_auth_method (profile), ==, ANTENNA_AUTH_METHOD_AZURE_SAS);
      g_assert_cmpstr (antenna_profile_get_tls_ca_file (profile), ==, "");
      g_assert_true (antenna_profile_get_tls_verify_hostname (profile));
      g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)), ==, 1);
      c2d = g_list_model_get_item (antenna_profile_get_subscriptions (profile), 0);
      g_assert_cmpstr (antenna_subscription_get_filter (c2d), ==, "devices/sensor-7/messages/devicebound/#");
      g_assert_cmpint (antenna_subscription_get_qos (c2d), ==, 1);

      /* Paho's options: 3.1.1, clean session, the user name, and as the
       * password a SAS token from the device key, valid for an hour from now. */
      client = client_with_handle (profile, DEVICE_KEY);
      g_assert_true (_antenna_client_connect_options_init (client, &co, &error));
      g_assert_no_error (error);
      g_assert_cmpint (co.opts.MQTTVersion, ==, MQTTVERSION_3_1_1);
      g_assert_cmpint (co.opts.cleansession, ==, 1);
      g_assert_cmpstr (co.opts.username, ==, "antenna-hub.azure-devices.net/sensor-7/?api-version=2021-04-12");
      g_assert_nonnull (co.opts.ssl);
      g_assert_null (co.opts.ssl->trustStore);
      g_assert_null (co.opts.ssl->protos);
      g_assert_null (co.opts.will);
      _antenna_client_connect_options_clear (&co);

      before = g_get_real_time () / G_USEC_PER_SEC;
      token = connect_password (client);
      after = g_get_real_time () / G_USEC_PER_SEC;
      expiry = token_expiry (token);
      g_assert_cmpint (expiry, >=, before + 3600);
      g_assert_cmpint (expiry, <=, after + 3600);
      expected = python_token ("antenna-hub.azure-devices.net/devices/sensor-7", DEVICE_KEY, expiry);
      g_assert_cmpstr (token, ==, expected);

      /* Each attempt (a reconnection too) signs a new one: once the clock
       * has moved on a second, the token is another, valid longer. */
      while (g_get_real_time () / G_USEC_PER_SEC <= expiry - 3600)
        g_usleep (50000);
      renewed = connect_password (client);
      g_assert_cmpint (token_expiry (renewed), >, expiry);
      expected_renewed = python_token ("antenna-hub.azure-devices.net/devices/sensor-7", DEVICE_KEY,
                                       token_expiry (renewed));
      g_assert_cmpstr (renewed, ==, expected_renewed);
    }

  /* Where the device sends. */
  {
    g_autoptr(AntennaCloudPreset) preset = antenna_cloud_preset_new (ANTENNA_CLOUD_AZURE_IOT_HUB);
    g_autofree char *topic = NULL;

    g_object_set (preset, "hub-name", "Other.Azure-Devices.CN", "device-id", "d1", NULL);
    topic = antenna_cloud_preset_dup_publish_topic (preset);
    g_assert_cmpstr (topic, ==, "devices/d1/messages/events/");
    {
      g_autoptr(AntennaProfile) profile = antenna_cloud_preset_create_profile (preset, NULL);

      g_assert_cmpstr (antenna_profile_get_host (profile), ==, "other.azure-devices.cn");
    }
  }
}

static void
test_preset_user_password (gconstpointer data)
{
  AntennaCloud cloud = GPOINTER_TO_INT (data);

  for (guint websocket = 0; websocket <= 1; websocket++)
    {
      g_autoptr(AntennaCloudPreset) preset = antenna_cloud_preset_new (cloud);
      g_autoptr(AntennaProfile) profile = NULL;
      g_autoptr(AntennaClient) client = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = NULL;
      g_autofree char *password = NULL;
      const char *host = cloud == ANTENNA_CLOUD_HIVEMQ ? "0123abcd.s1.eu.hivemq.cloud" : "a1b2c3.ala.us-east-1.emqxsl.com";
      const char *ws_port = cloud == ANTENNA_CLOUD_HIVEMQ ? "8884" : "8084";

      g_assert_true (antenna_cloud_preset_needs (preset, ANTENNA_CLOUD_FIELD_PASSWORD));
      g_assert_false (antenna_cloud_preset_needs (preset, ANTENNA_CLOUD_FIELD_CERT_FILE));
      g_assert_false (antenna_cloud_preset_requires (preset, ANTENNA_CLOUD_FIELD_DEVICE_ID));

      g_object_set (preset, "host", host, "username", "antenna-user", "use-alternate", websocket, NULL);
      profile = antenna_cloud_preset_create_profile (preset, &error);
      g_assert_no_error (error);
      uri = antenna_profile_dup_server_uri (profile);
      if (websocket)
        {
          g_autofree char *expected = g_strdup_printf ("wss://%s:%s/mqtt", host, ws_port);
          g_assert_cmpstr (uri, ==, expected);
        }
      else
        {
          g_autofree char *expected = g_strdup_printf ("ssl://%s:8883", host);
          g_assert_cmpstr (uri, ==, expected);
        }
      g_assert_cmpint (antenna_profile_get_mqtt_version (profile), ==, ANTENNA_MQTT_VERSION_5);
      g_assert_cmpstr (antenna_profile_get_username (profile), ==, "antenna-user");
      g_assert_cmpstr (antenna_profile_get_client_id (profile), ==, "");
      g_assert_cmpint (antenna_profile_get_auth_method (profile), ==, ANTENNA_AUTH_METHOD_USERNAME_PASSWORD);
      g_assert_cmpstr (antenna_profile_get_tls_ca_file (profile), ==, "");

      /* The password goes as it is. */
      client = client_with_handle (profile, "pass word");
      password = connect_password (client);
      g_assert_cmpstr (password, ==, "pass word");
    }
}

/* What a person typing into the chooser is told. */
static void
test_preset_checks (void)
{
  g_autoptr(Files) files = files_new ();
  g_autoptr(AntennaCloudPreset) aws = antenna_cloud_preset_new (ANTENNA_CLOUD_AWS_IOT);
  g_autoptr(AntennaCloudPreset) azure = antenna_cloud_preset_new (ANTENNA_CLOUD_AZURE_IOT_HUB);
  g_autoptr(AntennaProfile) none = NULL;
  g_autoptr(GError) error = NULL;
  static const struct
  {
    AntennaCloud       cloud;
    AntennaCloudField  field;
    const char        *value;
    const char        *says;      /* NULL: accepted */
  } cases[] = {
    { ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_FIELD_HOST, "https://abc-ats.iot.eu-west-1.amazonaws.com", "without “mqtts://”" },
    { ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_FIELD_HOST, "abc-ats.iot.eu-west-1.amazonaws.com:8883", "without a port" },
    { ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_FIELD_HOST, "", "Device Data Endpoint is needed" },
    { ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_FIELD_DEVICE_ID, "my thing", "thing name has" },
    { ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_FIELD_DEVICE_ID, "my:thing_1-2", NULL },
    { ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_FIELD_CA_FILE, "", NULL },
    { ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_FIELD_CERT_FILE, "/nonexistent/cert.pem", "cannot be read" },
    { ANTENNA_CLOUD_AZURE_IOT_HUB, ANTENNA_CLOUD_FIELD_HUB_NAME, "my_hub", "letters, digits and “-”" },
    { ANTENNA_CLOUD_AZURE_IOT_HUB, ANTENNA_CLOUD_FIELD_HUB_NAME, "my-hub", NULL },
    { ANTENNA_CLOUD_AZURE_IOT_HUB, ANTENNA_CLOUD_FIELD_HUB_NAME, "my-hub.azure-devices.net", NULL },
    { ANTENNA_CLOUD_AZURE_IOT_HUB, ANTENNA_CLOUD_FIELD_DEVICE_ID, "dev#1", "device ID has" },
    { ANTENNA_CLOUD_AZURE_IOT_HUB, ANTENNA_CLOUD_FIELD_DEVICE_KEY, "HostName=x;SharedAccessKey=y", "not a device key" },
    { ANTENNA_CLOUD_AZURE_IOT_HUB, ANTENNA_CLOUD_FIELD_DEVICE_KEY, DEVICE_KEY, NULL },
    { ANTENNA_CLOUD_HIVEMQ, ANTENNA_CLOUD_FIELD_PASSWORD, "", "Password is needed" },
    { ANTENNA_CLOUD_EMQX, ANTENNA_CLOUD_FIELD_DEVICE_ID, "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AntennaCloudPreset) preset = antenna_cloud_preset_new (cases[i].cloud);
      g_autoptr(GError) check_error = NULL;
      gboolean ok = antenna_cloud_preset_check (preset, cases[i].field, cases[i].value, &check_error);

      if (cases[i].says == NULL)
        {
          g_assert_no_error (check_error);
          g_assert_true (ok);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (check_error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", check_error->message);
      g_assert_nonnull (strstr (check_error->message, cases[i].says));
    }

  /* A certificate chosen where the key goes, and the other way round. */
  g_assert_false (antenna_cloud_preset_check (aws, ANTENNA_CLOUD_FIELD_KEY_FILE,
                                              antenna_test_broker_get_client_cert_file (files->broker), &error));
  g_assert_nonnull (strstr (error->message, "not a private key"));
  g_clear_error (&error);
  g_assert_false (antenna_cloud_preset_check (aws, ANTENNA_CLOUD_FIELD_CERT_FILE,
                                              antenna_test_broker_get_client_key_file (files->broker), &error));
  g_assert_nonnull (strstr (error->message, "not a certificate"));
  g_clear_error (&error);

  /* An encrypted key asks for its passphrase; a plain one does not. */
  g_object_set (aws, "key-file", files->encrypted_key, NULL);
  g_assert_false (antenna_cloud_preset_check (aws, ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE, "", &error));
  g_assert_nonnull (strstr (error->message, "encrypted"));
  g_clear_error (&error);
  g_assert_true (antenna_cloud_preset_check (aws, ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE, "anything", NULL));
  g_object_set (aws, "key-file", antenna_test_broker_get_client_key_file (files->broker), NULL);
  g_assert_true (antenna_cloud_preset_check (aws, ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE, "", NULL));

  /* No profile until the fields are right. */
  none = antenna_cloud_preset_create_profile (azure, &error);
  g_assert_null (none);
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "IoT Hub Name is needed"));
}

/* ------------------------------------------------------------------------ */
/* On the wire                                                               */

typedef struct
{
  GSubprocess *process;
  char        *output;   /* the file its stdout and stderr go to */
  guint        port;
} TlsServer;

static gboolean
server_has_port (TlsServer *server)
{
  g_autofree char *text = NULL;
  const char *accept;

  if (!g_file_get_contents (server->output, &text, NULL, NULL) ||
      (accept = strstr (text, "ACCEPT 127.0.0.1:")) == NULL)
    return FALSE;
  server->port = (guint) atoi (accept + strlen ("ACCEPT 127.0.0.1:"));
  return server->port != 0;
}

/* openssl s_server with the test broker's server certificate, offering
 * the ALPN protocol AWS wants; it prints the protocols a client advertises. */
static void
tls_server_start (TlsServer  *server,
                  Files      *files,
                  const char *name)
{
  g_autoptr(GSubprocessLauncher) launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autofree char *cert = g_build_filename (antenna_test_broker_get_dir (files->broker), "tls", "server.crt", NULL);
  g_autofree char *key = g_build_filename (antenna_test_broker_get_dir (files->broker), "tls", "server.key", NULL);
  g_autoptr(GError) error = NULL;

  server->output = g_build_filename (files->dir, name, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, server->output);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->output);
  /* stdin stays open (a pipe): s_server stops at its end. */
  server->process = g_subprocess_launcher_spawn (launcher, &error, "openssl", "s_server",
                                                 "-accept", "127.0.0.1:0", "-cert", cert, "-key", key,
                                                 "-alpn", "x-amzn-mqtt-ca", NULL);
  g_assert_no_error (error);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) server_has_port, server, WAIT_MS));
}

static void
tls_server_stop (TlsServer *server)
{
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_clear_pointer (&server->output, g_free);
}

static gboolean
server_saw_hello (TlsServer *server)
{
  g_autofree char *text = NULL;

  /* s_server prints the ciphers it shares once the handshake is done. */
  return g_file_get_contents (server->output, &text, NULL, NULL) && strstr (text, "CIPHER is") != NULL;
}

/* The AWS preset on 443 says "x-amzn-mqtt-ca" in its TLS ClientHello; on
 * 8883 it says nothing. */
static void
test_alpn_on_the_wire (void)
{
  g_autoptr(Files) files = files_new ();

  for (guint port_443 = 0; port_443 <= 1; port_443++)
    {
      g_autoptr(AntennaProfile) profile = aws_profile (files, port_443, FALSE);
      g_autoptr(AntennaClient) client = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *output = NULL;
      TlsServer server = { 0 };

      tls_server_start (&server, files, port_443 ? "s_server-443.out" : "s_server-8883.out");
      /* The endpoint is 127.0.0.1 here, on s_server's port. */
      antenna_profile_set_host (profile, "127.0.0.1");
      antenna_profile_set_port (profile, server.port);
      antenna_profile_set_connect_timeout (profile, 3);
      antenna_profile_set_auto_reconnect (profile, FALSE);

      client = antenna_client_new (profile);
      /* s_server is no MQTT broker: the connection cannot succeed. */
      g_assert_false (antenna_test_connect (client, NULL, &error));
      g_assert_true (antenna_test_wait_until ((AntennaTestCondition) server_saw_hello, &server, WAIT_MS));

      output = antenna_test_read_file (server.output);
      g_test_message ("%s", output);
      if (port_443)
        g_assert_nonnull (strstr (output, "ALPN protocols advertised by the client: x-amzn-mqtt-ca\n"));
      else
        g_assert_null (strstr (output, "ALPN protocols advertised"));
      tls_server_stop (&server);
    }
}

/* AWS with its key encrypted: the passphrase comes from the keyring, and
 * without it the error says so at once (OpenSSL would otherwise ask on the
 * terminal). Against mosquitto, which wants the client certificate. */
static void
test_aws_encrypted_key (void)
{
  g_autoptr(Files) files = files_new ();
  g_autoptr(AntennaProfile) profile = aws_profile (files, FALSE, TRUE);
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(GError) error = NULL;

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (files->broker));
  antenna_profile_set_auto_reconnect (profile, FALSE);
  g_assert_true (antenna_profile_tls_key_needs_passphrase (profile));

  /* No keyring to ask, then nothing in it. */
  client = antenna_client_new (profile);
  g_assert_false (antenna_test_connect (client, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "protected by a passphrase"));
  g_clear_error (&error);

  antenna_client_set_secret_store (client, secrets);
  g_assert_false (antenna_test_connect (client, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "protected by a passphrase"));
  g_clear_error (&error);

  /* A wrong one. */
  antenna_test_secret_store_secret_ok (secrets, profile, ANTENNA_SECRET_KEY_PASSPHRASE, "not the passphrase");
  g_assert_false (antenna_test_connect (client, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "passphrase"));
  g_clear_error (&error);

  /* The right one: connected, as the thing. */
  antenna_test_secret_store_secret_ok (secrets, profile, ANTENNA_SECRET_KEY_PASSPHRASE, files->passphrase);
  antenna_test_connect_ok (client, NULL);
  g_assert_cmpstr (antenna_client_get_client_id (client), ==, "antenna-thing");
  antenna_test_disconnect_ok (client);

  {
    g_autoptr(GAsyncResult) result = NULL;

    antenna_secret_store_clear_all_async (secrets, profile, NULL, antenna_test_store_result, &result);
    g_assert_true (antenna_secret_store_clear_finish (secrets, antenna_test_wait_result (&result, WAIT_MS), &error));
    g_assert_no_error (error);
  }
}

static gboolean
first_subscription_active (AntennaClient *client)
{
  g_autoptr(AntennaSubscription) first = g_list_model_get_item (antenna_client_get_subscriptions (client), 0);

  return first != NULL && antenna_subscription_get_state (first) == ANTENNA_SUBSCRIPTION_STATE_ACTIVE;
}

/* The Azure profile against a local broker (standing in for the hub, which
 * does check the token): it connects with a token made from the device key,
 * subscribes to its cloud-to-device messages, and gets one; a key that is
 * not one stops it before any connection. */
static void
test_azure_local_broker (void)
{
  g_autoptr(AntennaTestBroker) broker = antenna_test_broker_new (ANTENNA_TEST_BROKER_TLS);
  g_autoptr(AntennaProfile) profile = azure_profile (FALSE);
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"led\":\"on\"}", 12);

  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, antenna_test_broker_get_tls_port (broker));
  antenna_profile_set_tls_ca_file (profile, antenna_test_broker_get_ca_file (broker));
  antenna_profile_set_auto_reconnect (profile, FALSE);
  client = antenna_client_new (profile);

  g_assert_false (antenna_test_connect (client, "HostName=x;DeviceId=y;SharedAccessKey=z", &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not a device key"));
  g_clear_error (&error);
  g_assert_false (antenna_test_connect (client, NULL, &error));
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_BAD_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "needs the device key"));
  g_clear_error (&error);

  antenna_test_collect_messages (client, messages);
  antenna_test_connect_ok (client, DEVICE_KEY);
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) first_subscription_active, client, WAIT_MS));
  g_assert_true (antenna_test_pub (broker, "devices/sensor-7/messages/devicebound/%24.to=x", payload, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (antenna_test_wait_messages (messages, 1, WAIT_MS), ==, 1);
  antenna_test_disconnect_ok (client);
}

typedef struct
{
  AntennaTestServer *server;
  guint64            bytes;
} ServerBytes;

static gboolean
server_read (ServerBytes *wanted)
{
  return antenna_test_server_get_n_bytes (wanted->server) >= wanted->bytes;
}

static gboolean
server_reconnected (ServerBytes *wanted)
{
  return antenna_test_server_get_n_connections (wanted->server) >= 2;
}

/* A reconnection after a publish cancelled once Paho had it: the connection
 * was ended to take the message back, and the attempt after it is made on
 * a new Paho handle. It still signs a new SAS token, and still goes through
 * the proxy with the password read from the keyring before the first
 * attempt. A server that answers CONNECT and nothing else stands in for the
 * hub (it never confirms the message), behind a real proxy. */
static void
test_azure_reconnect_after_cancel (void)
{
  g_autoptr(AntennaTestServer) server = antenna_test_server_new_silent ();
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = azure_profile (FALSE);
  g_autoptr(AntennaTestProxy) proxy = NULL;
  g_autoptr(AntennaClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  /* tinyproxy takes [-a-z0-9._] only */
  g_autofree char *proxy_password = g_strdup_printf ("Pr0xy.%s", uuid);
  g_autofree char *url = NULL;
  const char *c2d = "devices/sensor-7/messages/devicebound/#";
  const char *topic = "devices/sensor-7/messages/events/";
  static const char payload_text[] = "{\"t\":21.5}";
  g_autoptr(GBytes) payload = g_bytes_new_static (payload_text, strlen (payload_text));
  guint port = antenna_test_server_get_port (server);
  /* what the server reads: the cloud-to-device SUBSCRIBE and the PUBLISH (QoS 1) */
  ServerBytes written = { server, (2 + 2 + 2 + strlen (c2d) + 1) + (2 + 2 + strlen (topic) + 2 + strlen (payload_text)) };
  gint64 expiry[2];

  proxy = antenna_test_proxy_new ((guint[]) { port, 0 }, "antenna-proxy-user", proxy_password);
  url = antenna_test_proxy_dup_url (proxy);
  antenna_profile_set_host (profile, "127.0.0.1");
  antenna_profile_set_port (profile, port);
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TCP);
  antenna_profile_set_proxy_mode (profile, ANTENNA_PROXY_MODE_MANUAL);
  antenna_profile_set_proxy_url (profile, url);
  antenna_profile_set_proxy_username (profile, "antenna-proxy-user");
  antenna_profile_set_auto_reconnect (profile, TRUE);
  antenna_test_secret_store_secret_ok (secrets, profile, ANTENNA_SECRET_PROXY_PASSWORD, proxy_password);
  client = antenna_client_new (profile);
  antenna_client_set_secret_store (client, secrets);

  antenna_test_connect_ok (client, DEVICE_KEY);
  antenna_client_publish_async (client, topic, payload, 1, FALSE, NULL, cancellable,
                                antenna_test_store_result, &result);
  /* written whole: only the end of the connection takes it back now */
  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) server_read, &written, WAIT_MS));
  g_cancellable_cancel (cancellable);
  g_assert_false (antenna_client_publish_finish (client, antenna_test_wait_result (&result, WAIT_MS), &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (strstr (error->message, "ended"));
  g_clear_error (&error);

  g_assert_true (antenna_test_wait_until ((AntennaTestCondition) server_reconnected, &written, WAIT_MS));
  g_assert_true (antenna_test_wait_state (client, ANTENNA_CLIENT_STATE_CONNECTED, WAIT_MS));
  g_assert_cmpuint (antenna_test_server_get_n_connections (server), ==, 2);
  g_assert_cmpstr (antenna_client_get_client_id (client), ==, "sensor-7");

  /* Each CONNECT had a token of its own, made from the device key at its
   * attempt (the back-off is at least a second): the hub takes both. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *token = antenna_test_server_dup_password (server, i);
      g_autofree char *expected = NULL;

      g_assert_nonnull (token);
      expiry[i] = token_expiry (token);
      expected = python_token ("127.0.0.1/devices/sensor-7", DEVICE_KEY, expiry[i]);
      g_assert_cmpstr (token, ==, expected);
    }
  g_assert_cmpint (expiry[1], >, expiry[0]);
  /* both through the proxy, which wants its password: the first attempt's
   * lookup holds for the new handle too */
  g_assert_cmpuint (antenna_test_proxy_count_connects (proxy, port), ==, 2);

  antenna_test_disconnect_ok (client);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&client));
  g_assert_true (antenna_client_wait_for_destroyed (WAIT_MS));
  {
    g_autoptr(GAsyncResult) cleared = NULL;

    antenna_secret_store_clear_all_async (secrets, profile, NULL, antenna_test_store_result, &cleared);
    g_assert_true (antenna_secret_store_clear_finish (secrets, antenna_test_wait_result (&cleared, WAIT_MS), &error));
    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_DEFAULT);

  g_test_add_func ("/antenna/cloud/sas-token/python", test_sas_token_python);
  g_test_add_func ("/antenna/cloud/sas-token/bad-key", test_sas_token_bad_key);
  g_test_add_func ("/antenna/cloud/preset/aws", test_preset_aws);
  g_test_add_func ("/antenna/cloud/preset/azure", test_preset_azure);
  g_test_add_data_func ("/antenna/cloud/preset/hivemq", GINT_TO_POINTER (ANTENNA_CLOUD_HIVEMQ),
                        test_preset_user_password);
  g_test_add_data_func ("/antenna/cloud/preset/emqx", GINT_TO_POINTER (ANTENNA_CLOUD_EMQX),
                        test_preset_user_password);
  g_test_add_func ("/antenna/cloud/preset/checks", test_preset_checks);
  g_test_add_func ("/antenna/cloud/wire/alpn", test_alpn_on_the_wire);
  g_test_add_func ("/antenna/cloud/wire/aws-encrypted-key", test_aws_encrypted_key);
  g_test_add_func ("/antenna/cloud/wire/azure-local-broker", test_azure_local_broker);
  g_test_add_func ("/antenna/cloud/wire/azure-reconnect-after-cancel", test_azure_reconnect_after_cancel);

  return antenna_test_run ();
}
