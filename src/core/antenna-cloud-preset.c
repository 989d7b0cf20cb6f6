/* antenna-cloud-preset.c: a new profile for a cloud's MQTT service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What each cloud wants, from its documentation (no network here to try it):
 * - AWS IoT Core: mutual TLS with the thing's certificate and key on 8883,
 *   or on 443 with the ALPN protocol "x-amzn-mqtt-ca"; the client id is the
 *   thing name (policies usually require it); the server's certificate is
 *   signed by Amazon Root CA 1. MQTT 5 and 3.1.1.
 * - Azure IoT Hub: MQTT 3.1.1 over TLS on 8883, or over WebSocket on 443 at
 *   /$iothub/websocket; client id = device id; user name
 *   "{hub}.azure-devices.net/{device}/?api-version=2021-04-12"; password a
 *   SAS token signed with the device key (antenna-sas-token.c). A device
 *   subscribes to its cloud-to-device messages at
 *   devices/{device}/messages/devicebound/# and sends to
 *   devices/{device}/messages/events/ (IoT Hub is no general broker: it
 *   lets a device subscribe to its own documented topics only, so the
 *   device-to-cloud topic is where to publish, not a subscription).
 * - HiveMQ Cloud: TLS on 8883 (WebSocket on 8884 at /mqtt), user name and
 *   password, a certificate trusted by the system.
 * - EMQX Cloud: TLS on 8883 (WebSocket on 8084 at /mqtt), user name and
 *   password, a certificate trusted by the system.
 */

#define G_LOG_DOMAIN "antenna-cloud-preset"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "antenna-cloud-preset.h"
#include "antenna-enums.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-sas-token.h"
#include "antenna-subscription.h"

#define AZURE_API_VERSION  "2021-04-12"
#define AZURE_HOST_SUFFIX  ".azure-devices.net"
#define AZURE_WS_PATH      "/$iothub/websocket"
#define AWS_ALPN           "x-amzn-mqtt-ca"
#define FILE_PEEK_MAX      (1024 * 1024)

struct _AntennaCloudPreset
{
  GObject       parent_instance;

  AntennaCloud  cloud;
  char         *values[ANTENNA_CLOUD_N_FIELDS];  /* the properties; NULL for the secrets */
  gboolean      use_alternate;
};

G_DEFINE_FINAL_TYPE (AntennaCloudPreset, antenna_cloud_preset, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOUD,
  PROP_HOST,
  PROP_HUB_NAME,
  PROP_DEVICE_ID,
  PROP_CERT_FILE,
  PROP_KEY_FILE,
  PROP_CA_FILE,
  PROP_USERNAME,
  PROP_USE_ALTERNATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The string properties and their fields. */
static const struct
{
  guint             prop_id;
  AntennaCloudField field;
  const char       *name;
} string_props[] = {
  { PROP_HOST,      ANTENNA_CLOUD_FIELD_HOST,      "host" },
  { PROP_HUB_NAME,  ANTENNA_CLOUD_FIELD_HUB_NAME,  "hub-name" },
  { PROP_DEVICE_ID, ANTENNA_CLOUD_FIELD_DEVICE_ID, "device-id" },
  { PROP_CERT_FILE, ANTENNA_CLOUD_FIELD_CERT_FILE, "cert-file" },
  { PROP_KEY_FILE,  ANTENNA_CLOUD_FIELD_KEY_FILE,  "key-file" },
  { PROP_CA_FILE,   ANTENNA_CLOUD_FIELD_CA_FILE,   "ca-file" },
  { PROP_USERNAME,  ANTENNA_CLOUD_FIELD_USERNAME,  "username" },
};

#define FIELD_BIT(f) (1u << (f))

static const struct
{
  AntennaCloud  cloud;
  const char   *name;
  const char   *description;
  const char   *alternate_title;
  const char   *alternate_description;
  guint         needs;
  guint         requires;
} clouds[] = {
  {
    ANTENNA_CLOUD_AWS_IOT,
    N_("AWS IoT Core"),
    N_("Mutual TLS with the thing’s certificate. Have at hand the device data endpoint "
       "(AWS IoT console, Settings), the thing name, its certificate and private key, and "
       "Amazon Root CA 1."),
    N_("Port 443 with ALPN"),
    N_("For networks that let only HTTPS out: port 443, telling AWS by ALPN "
       "(x-amzn-mqtt-ca) that MQTT follows."),
    FIELD_BIT (ANTENNA_CLOUD_FIELD_HOST) | FIELD_BIT (ANTENNA_CLOUD_FIELD_DEVICE_ID) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_CERT_FILE) | FIELD_BIT (ANTENNA_CLOUD_FIELD_KEY_FILE) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE) | FIELD_BIT (ANTENNA_CLOUD_FIELD_CA_FILE),
    FIELD_BIT (ANTENNA_CLOUD_FIELD_HOST) | FIELD_BIT (ANTENNA_CLOUD_FIELD_DEVICE_ID) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_CERT_FILE) | FIELD_BIT (ANTENNA_CLOUD_FIELD_KEY_FILE),
  },
  {
    ANTENNA_CLOUD_AZURE_IOT_HUB,
    N_("Azure IoT Hub"),
    N_("A device with a symmetric key: Antenna signs a SAS token with the key at each "
       "connection. Have at hand the hub’s name, the device ID and the device’s primary key "
       "(Azure portal, IoT Hub, Devices)."),
    N_("WebSocket on port 443"),
    N_("For networks that let only HTTPS out: MQTT over a secure WebSocket on port 443."),
    FIELD_BIT (ANTENNA_CLOUD_FIELD_HUB_NAME) | FIELD_BIT (ANTENNA_CLOUD_FIELD_DEVICE_ID) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_DEVICE_KEY),
    FIELD_BIT (ANTENNA_CLOUD_FIELD_HUB_NAME) | FIELD_BIT (ANTENNA_CLOUD_FIELD_DEVICE_ID) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_DEVICE_KEY),
  },
  {
    ANTENNA_CLOUD_HIVEMQ,
    N_("HiveMQ Cloud"),
    N_("TLS with a user name and password. Have at hand the cluster URL (HiveMQ Cloud console, "
       "Overview) and credentials made under Access Management."),
    N_("WebSocket on port 8884"),
    N_("MQTT over a secure WebSocket on port 8884, for networks that block port 8883."),
    FIELD_BIT (ANTENNA_CLOUD_FIELD_HOST) | FIELD_BIT (ANTENNA_CLOUD_FIELD_DEVICE_ID) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_USERNAME) | FIELD_BIT (ANTENNA_CLOUD_FIELD_PASSWORD),
    FIELD_BIT (ANTENNA_CLOUD_FIELD_HOST) | FIELD_BIT (ANTENNA_CLOUD_FIELD_USERNAME) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_PASSWORD),
  },
  {
    ANTENNA_CLOUD_EMQX,
    N_("EMQX Cloud"),
    N_("TLS with a user name and password. Have at hand the deployment’s connection address "
       "(EMQX Cloud console, Overview) and credentials made under Access Control, "
       "Authentication."),
    N_("WebSocket on port 8084"),
    N_("MQTT over a secure WebSocket on port 8084, for networks that block port 8883."),
    FIELD_BIT (ANTENNA_CLOUD_FIELD_HOST) | FIELD_BIT (ANTENNA_CLOUD_FIELD_DEVICE_ID) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_USERNAME) | FIELD_BIT (ANTENNA_CLOUD_FIELD_PASSWORD),
    FIELD_BIT (ANTENNA_CLOUD_FIELD_HOST) | FIELD_BIT (ANTENNA_CLOUD_FIELD_USERNAME) |
    FIELD_BIT (ANTENNA_CLOUD_FIELD_PASSWORD),
  },
};

static guint
cloud_index (AntennaCloud cloud)
{
  for (guint i = 0; i < G_N_ELEMENTS (clouds); i++)
    if (clouds[i].cloud == cloud)
      return i;
  g_return_val_if_reached (0);
}

/* ------------------------------------------------------------------------ */
/* Checks                                                                    */

static void
set_invalid (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT, message);
}

/* A DNS name as the consoles show it: letters, digits, "-" and ".". */
static gboolean
check_host_name (const char  *host,
                 GError     **error)
{
  if (strstr (host, "://") != NULL)
    {
      set_invalid (error, _("Write the host name only, without “mqtts://” or “https://” before it."));
      return FALSE;
    }
  if (strchr (host, ':') != NULL)
    {
      set_invalid (error, _("Write the host name only, without a port: the preset chooses the port."));
      return FALSE;
    }
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      {
        set_invalid (error, _("A host name has letters, digits, “-” and “.” only."));
        return FALSE;
      }
  if (host[0] == '.' || host[0] == '-' || g_str_has_suffix (host, "."))
    {
      set_invalid (error, _("This host name is cut short: copy it whole from the console."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_hub_name (const char  *hub,
                GError     **error)
{
  gsize len = strlen (hub);

  /* A full host name (another Azure cloud: .azure-devices.cn, .us). */
  if (strchr (hub, '.') != NULL)
    return check_host_name (hub, error);

  if (len < 3 || len > 50)
    {
      set_invalid (error, _("An IoT hub’s name has 3 to 50 characters."));
      return FALSE;
    }
  for (const char *p = hub; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      {
        set_invalid (error, _("An IoT hub’s name has letters, digits and “-” only."));
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_device_id (AntennaCloud   cloud,
                 const char    *id,
                 GError       **error)
{
  /* AWS thing names: [a-zA-Z0-9:_-]+; Azure device ids: ASCII letters,
   * digits and -.%_*?!(),:=@$' — at most 128 characters both. */
  const char *extra = cloud == ANTENNA_CLOUD_AWS_IOT ? ":_-" : "-.%_*?!(),:=@$'";

  if (cloud != ANTENNA_CLOUD_AWS_IOT && cloud != ANTENNA_CLOUD_AZURE_IOT_HUB)
    {
      /* HiveMQ and EMQX: any client id (empty: one is made at connect). */
      if (!g_utf8_validate (id, -1, NULL) || strlen (id) > 65535)
        {
          set_invalid (error, _("A client ID is UTF-8 text of at most 65,535 bytes."));
          return FALSE;
        }
      return TRUE;
    }

  if (strlen (id) > 128)
    {
      set_invalid (error, cloud == ANTENNA_CLOUD_AWS_IOT
                          ? _("A thing name has at most 128 characters.")
                          : _("A device ID has at most 128 characters."));
      return FALSE;
    }
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      {
        if (cloud == ANTENNA_CLOUD_AWS_IOT)
          set_invalid (error, _("A thing name has letters, digits, “:”, “_” and “-” only."));
        else
          set_invalid (error, _("A device ID has ASCII letters, digits and - . % _ * ? ! ( ) , : = @ $ ' only."));
        return FALSE;
      }
  return TRUE;
}

/* A readable file that holds @marker (a PEM header), so that a key chosen
 * where the certificate goes is caught before connecting. */
static gboolean
check_pem_file (const char  *path,
                const char  *marker,
                const char  *wrong,
                GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      /* Translators: %s is why the file cannot be read */
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                   _("This file cannot be read: %s."), local_error->message);
      return FALSE;
    }
  if (g_mapped_file_get_length (mapped) > 0)
    contents = g_strndup (g_mapped_file_get_contents (mapped),
                          MIN (g_mapped_file_get_length (mapped), FILE_PEEK_MAX));
  if (contents == NULL || strstr (contents, marker) == NULL)
    {
      set_invalid (error, wrong);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
antenna_cloud_preset_finalize (GObject *object)
{
  AntennaCloudPreset *self = (AntennaCloudPreset *)object;

  for (guint i = 0; i < ANTENNA_CLOUD_N_FIELDS; i++)
    g_free (self->values[i]);

  G_OBJECT_CLASS (antenna_cloud_preset_parent_class)->finalize (object);
}

static void
antenna_cloud_preset_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AntennaCloudPreset *self = ANTENNA_CLOUD_PRESET (object);

  if (prop_id == PROP_CLOUD)
    {
      g_value_set_enum (value, self->cloud);
      return;
    }
  if (prop_id == PROP_USE_ALTERNATE)
    {
      g_value_set_boolean (value, self->use_alternate);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (string_props); i++)
    if (string_props[i].prop_id == prop_id)
      {
        g_value_set_string (value, self->values[string_props[i].field]);
        return;
      }
  G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
antenna_cloud_preset_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AntennaCloudPreset *self = ANTENNA_CLOUD_PRESET (object);

  if (prop_id == PROP_CLOUD)
    {
      self->cloud = g_value_get_enum (value);
      return;
    }
  if (prop_id == PROP_USE_ALTERNATE)
    {
      gboolean use = g_value_get_boolean (value);

      if (self->use_alternate != use)
        {
          self->use_alternate = use;
          g_object_notify_by_pspec (object, pspec);
        }
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (string_props); i++)
    if (string_props[i].prop_id == prop_id)
      {
        char **field = &self->values[string_props[i].field];
        g_autofree char *text = g_strstrip (g_strdup (g_value_get_string (value) ? g_value_get_string (value) : ""));

        if (g_strcmp0 (*field, text) != 0)
          {
            g_free (*field);
            *field = g_steal_pointer (&text);
            g_object_notify_by_pspec (object, pspec);
          }
        return;
      }
  G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
antenna_cloud_preset_class_init (AntennaCloudPresetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = antenna_cloud_preset_finalize;
  object_class->get_property = antenna_cloud_preset_get_property;
  object_class->set_property = antenna_cloud_preset_set_property;

  properties[PROP_CLOUD] =
    g_param_spec_enum ("cloud", NULL, NULL,
                       ANTENNA_TYPE_CLOUD, ANTENNA_CLOUD_AWS_IOT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  for (guint i = 0; i < G_N_ELEMENTS (string_props); i++)
    properties[string_props[i].prop_id] =
      g_param_spec_string (string_props[i].name, NULL, NULL, "",
                           (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_USE_ALTERNATE] =
    g_param_spec_boolean ("use-alternate", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
antenna_cloud_preset_init (AntennaCloudPreset *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (string_props); i++)
    self->values[string_props[i].field] = g_strdup ("");
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

const AntennaCloud *
antenna_cloud_list (guint *n_clouds)
{
  static const AntennaCloud list[] = {
    ANTENNA_CLOUD_AWS_IOT, ANTENNA_CLOUD_AZURE_IOT_HUB, ANTENNA_CLOUD_HIVEMQ, ANTENNA_CLOUD_EMQX,
  };

  g_return_val_if_fail (n_clouds != NULL, NULL);

  *n_clouds = G_N_ELEMENTS (list);
  return list;
}

const char *
antenna_cloud_get_name (AntennaCloud cloud)
{
  return _(clouds[cloud_index (cloud)].name);
}

const char *
antenna_cloud_get_description (AntennaCloud cloud)
{
  return _(clouds[cloud_index (cloud)].description);
}

const char *
antenna_cloud_get_alternate_title (AntennaCloud cloud)
{
  return _(clouds[cloud_index (cloud)].alternate_title);
}

const char *
antenna_cloud_get_alternate_description (AntennaCloud cloud)
{
  return _(clouds[cloud_index (cloud)].alternate_description);
}

AntennaCloudPreset *
antenna_cloud_preset_new (AntennaCloud cloud)
{
  g_return_val_if_fail (cloud <= ANTENNA_CLOUD_EMQX, NULL);

  return g_object_new (ANTENNA_TYPE_CLOUD_PRESET, "cloud", cloud, NULL);
}

AntennaCloud
antenna_cloud_preset_get_cloud (AntennaCloudPreset *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLOUD_PRESET (self), ANTENNA_CLOUD_AWS_IOT);

  return self->cloud;
}

gboolean
antenna_cloud_preset_needs (AntennaCloudPreset *self,
                            AntennaCloudField   field)
{
  g_return_val_if_fail (ANTENNA_IS_CLOUD_PRESET (self), FALSE);
  g_return_val_if_fail (field < ANTENNA_CLOUD_N_FIELDS, FALSE);

  return (clouds[cloud_index (self->cloud)].needs & FIELD_BIT (field)) != 0;
}

gboolean
antenna_cloud_preset_requires (AntennaCloudPreset *self,
                               AntennaCloudField   field)
{
  g_return_val_if_fail (ANTENNA_IS_CLOUD_PRESET (self), FALSE);
  g_return_val_if_fail (field < ANTENNA_CLOUD_N_FIELDS, FALSE);

  return (clouds[cloud_index (self->cloud)].requires & FIELD_BIT (field)) != 0;
}

const char *
antenna_cloud_preset_get_title (AntennaCloudPreset *self,
                                AntennaCloudField   field)
{
  g_return_val_if_fail (ANTENNA_IS_CLOUD_PRESET (self), NULL);

  switch (field)
    {
    case ANTENNA_CLOUD_FIELD_HOST:
      return self->cloud == ANTENNA_CLOUD_AWS_IOT ? _("Device Data Endpoint") : _("Host");
    case ANTENNA_CLOUD_FIELD_HUB_NAME:
      return _("IoT Hub Name");
    case ANTENNA_CLOUD_FIELD_DEVICE_ID:
      return self->cloud == ANTENNA_CLOUD_AWS_IOT ? _("Thing Name") :
             self->cloud == ANTENNA_CLOUD_AZURE_IOT_HUB ? _("Device ID") : _("Client ID");
    case ANTENNA_CLOUD_FIELD_DEVICE_KEY:
      return _("Device Key");
    case ANTENNA_CLOUD_FIELD_CERT_FILE:
      return _("Certificate");
    case ANTENNA_CLOUD_FIELD_KEY_FILE:
      return _("Private Key");
    case ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE:
      return _("Private Key Passphrase");
    case ANTENNA_CLOUD_FIELD_CA_FILE:
      return _("Amazon Root CA");
    case ANTENNA_CLOUD_FIELD_USERNAME:
      return _("User Name");
    case ANTENNA_CLOUD_FIELD_PASSWORD:
      return _("Password");
    case ANTENNA_CLOUD_N_FIELDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
antenna_cloud_preset_get_hint (AntennaCloudPreset *self,
                               AntennaCloudField   field)
{
  g_return_val_if_fail (ANTENNA_IS_CLOUD_PRESET (self), NULL);

  switch (field)
    {
    case ANTENNA_CLOUD_FIELD_HOST:
      switch (self->cloud)
        {
        case ANTENNA_CLOUD_AWS_IOT:
          return _("AWS IoT console, Settings: like abc123xyz-ats.iot.eu-west-1.amazonaws.com");
        case ANTENNA_CLOUD_HIVEMQ:
          return _("The cluster URL from the console, like 0123abcd.s1.eu.hivemq.cloud");
        case ANTENNA_CLOUD_EMQX:
        case ANTENNA_CLOUD_AZURE_IOT_HUB:
        default:
          return _("The deployment’s connection address, like a1b2c3.ala.us-east-1.emqxsl.com");
        }
    case ANTENNA_CLOUD_FIELD_HUB_NAME:
      return _("The name of the hub, like my-hub (for my-hub.azure-devices.net)");
    case ANTENNA_CLOUD_FIELD_DEVICE_ID:
      switch (self->cloud)
        {
        case ANTENNA_CLOUD_AWS_IOT:
          return _("Used as the client ID, as AWS IoT policies usually require");
        case ANTENNA_CLOUD_AZURE_IOT_HUB:
          return _("As registered in the hub; used as the client ID");
        case ANTENNA_CLOUD_HIVEMQ:
        case ANTENNA_CLOUD_EMQX:
        default:
          return _("Optional: leave empty for one made at each connection");
        }
    case ANTENNA_CLOUD_FIELD_DEVICE_KEY:
      return _("The device’s primary or secondary key; kept in the keyring, never in a file");
    case ANTENNA_CLOUD_FIELD_CERT_FILE:
      return _("The thing’s certificate (…-certificate.pem.crt)");
    case ANTENNA_CLOUD_FIELD_KEY_FILE:
      return _("The thing’s private key (…-private.pem.key)");
    case ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE:
      return _("Only if the key is encrypted; kept in the keyring");
    case ANTENNA_CLOUD_FIELD_CA_FILE:
      return _("AmazonRootCA1.pem, from the AWS IoT documentation; optional where the system trusts it");
    case ANTENNA_CLOUD_FIELD_USERNAME:
      return _("Credentials made in the console for this client");
    case ANTENNA_CLOUD_FIELD_PASSWORD:
      return _("Kept in the keyring, never in a file");
    case ANTENNA_CLOUD_N_FIELDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
antenna_cloud_preset_check (AntennaCloudPreset  *self,
                            AntennaCloudField    field,
                            const char          *value,
                            GError             **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (ANTENNA_IS_CLOUD_PRESET (self), FALSE);
  g_return_val_if_fail (field < ANTENNA_CLOUD_N_FIELDS, FALSE);

  if (value == NULL)
    value = self->values[field] != NULL ? self->values[field] : "";
  text = g_strstrip (g_strdup (value));

  if (!antenna_cloud_preset_needs (self, field))
    return TRUE;

  if (text[0] == '\0')
    {
      /* An encrypted key asks for its passphrase. */
      if (field == ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE &&
          self->values[ANTENNA_CLOUD_FIELD_KEY_FILE][0] != '\0')
        {
          g_autoptr(AntennaProfile) probe = antenna_profile_new ();

          antenna_profile_set_tls_key_file (probe, self->values[ANTENNA_CLOUD_FIELD_KEY_FILE]);
          if (antenna_profile_tls_key_needs_passphrase (probe))
            {
              set_invalid (error, _("This private key is encrypted: enter its passphrase."));
              return FALSE;
            }
        }
      if (!antenna_cloud_preset_requires (self, field))
        return TRUE;
      /* Translators: %s is the title of a field, like “Device Key” */
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                   _("%s is needed."), antenna_cloud_preset_get_title (self, field));
      return FALSE;
    }

  switch (field)
    {
    case ANTENNA_CLOUD_FIELD_HOST:
      return check_host_name (text, error);
    case ANTENNA_CLOUD_FIELD_HUB_NAME:
      return check_hub_name (text, error);
    case ANTENNA_CLOUD_FIELD_DEVICE_ID:
      return check_device_id (self->cloud, text, error);
    case ANTENNA_CLOUD_FIELD_DEVICE_KEY:
      return antenna_sas_token_check_key (text, error);
    case ANTENNA_CLOUD_FIELD_CERT_FILE:
      return check_pem_file (text, "-----BEGIN CERTIFICATE-----",
                             _("This is not a certificate in PEM form (“-----BEGIN CERTIFICATE-----”)."),
                             error);
    case ANTENNA_CLOUD_FIELD_CA_FILE:
      return check_pem_file (text, "-----BEGIN CERTIFICATE-----",
                             _("This is not a CA certificate in PEM form (“-----BEGIN CERTIFICATE-----”)."),
                             error);
    case ANTENNA_CLOUD_FIELD_KEY_FILE:
      return check_pem_file (text, "PRIVATE KEY-----",
                             _("This is not a private key in PEM form (“-----BEGIN … PRIVATE KEY-----”)."),
                             error);
    case ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE:
    case ANTENNA_CLOUD_FIELD_USERNAME:
    case ANTENNA_CLOUD_FIELD_PASSWORD:
      return TRUE;
    case ANTENNA_CLOUD_N_FIELDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

static char *
dup_azure_host (AntennaCloudPreset *self)
{
  const char *hub = self->values[ANTENNA_CLOUD_FIELD_HUB_NAME];

  if (strchr (hub, '.') != NULL)
    return g_ascii_strdown (hub, -1);
  return g_strconcat (hub, AZURE_HOST_SUFFIX, NULL);
}

AntennaProfile *
antenna_cloud_preset_create_profile (AntennaCloudPreset  *self,
                                     GError             **error)
{
  g_autoptr(AntennaProfile) profile = NULL;
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;
  const char *device;
  gboolean alternate;

  g_return_val_if_fail (ANTENNA_IS_CLOUD_PRESET (self), NULL);

  /* Every field that is a property; the secrets are the caller's. */
  for (guint i = 0; i < G_N_ELEMENTS (string_props); i++)
    if (!antenna_cloud_preset_check (self, string_props[i].field, NULL, error))
      return NULL;

  device = self->values[ANTENNA_CLOUD_FIELD_DEVICE_ID];
  alternate = self->use_alternate;
  profile = antenna_profile_new ();
  antenna_profile_set_keepalive (profile, 60);
  antenna_profile_set_clean_start (profile, TRUE);
  antenna_profile_set_auto_reconnect (profile, TRUE);
  antenna_profile_set_tls_verify_hostname (profile, TRUE);
  antenna_profile_set_tls_allow_insecure (profile, FALSE);
  antenna_profile_set_client_id (profile, device);

  switch (self->cloud)
    {
    case ANTENNA_CLOUD_AWS_IOT:
      host = g_ascii_strdown (self->values[ANTENNA_CLOUD_FIELD_HOST], -1);
      antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
      antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
      antenna_profile_set_port (profile, alternate ? 443 : 8883);
      antenna_profile_set_tls_alpn (profile, alternate ? AWS_ALPN : "");
      antenna_profile_set_tls_cert_file (profile, self->values[ANTENNA_CLOUD_FIELD_CERT_FILE]);
      antenna_profile_set_tls_key_file (profile, self->values[ANTENNA_CLOUD_FIELD_KEY_FILE]);
      antenna_profile_set_tls_ca_file (profile, self->values[ANTENNA_CLOUD_FIELD_CA_FILE]);
      antenna_profile_set_save_password (profile, FALSE);
      break;

    case ANTENNA_CLOUD_AZURE_IOT_HUB:
      {
        g_autofree char *username = NULL;
        g_autofree char *c2d = g_strdup_printf ("devices/%s/messages/devicebound/#", device);
        g_autoptr(AntennaSubscription) subscription = antenna_subscription_new (c2d, 1);

        host = dup_azure_host (self);
        username = g_strdup_printf ("%s/%s/?api-version=" AZURE_API_VERSION, host, device);
        /* IoT Hub speaks MQTT 3.1.1 (its MQTT 5 was a preview, withdrawn). */
        antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_3_1_1);
        if (alternate)
          {
            antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WSS);
            antenna_profile_set_port (profile, 443);
            antenna_profile_set_ws_path (profile, AZURE_WS_PATH);
          }
        else
          {
            antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
            antenna_profile_set_port (profile, 8883);
          }
        antenna_profile_set_username (profile, username);
        antenna_profile_set_auth_method (profile, ANTENNA_AUTH_METHOD_AZURE_SAS);
        antenna_profile_set_save_password (profile, TRUE);
        antenna_profile_add_subscription (profile, subscription);
        break;
      }

    case ANTENNA_CLOUD_HIVEMQ:
    case ANTENNA_CLOUD_EMQX:
    default:
      host = g_ascii_strdown (self->values[ANTENNA_CLOUD_FIELD_HOST], -1);
      antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_5);
      if (alternate)
        {
          antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WSS);
          antenna_profile_set_port (profile, self->cloud == ANTENNA_CLOUD_HIVEMQ ? 8884 : 8084);
          antenna_profile_set_ws_path (profile, "/mqtt");
        }
      else
        {
          antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
          antenna_profile_set_port (profile, 8883);
        }
      antenna_profile_set_username (profile, self->values[ANTENNA_CLOUD_FIELD_USERNAME]);
      antenna_profile_set_save_password (profile, TRUE);
      break;
    }

  antenna_profile_set_host (profile, host);
  /* Translators: a new connection's name: the cloud, then the device or host */
  name = g_strdup_printf (_("%s – %s"), antenna_cloud_get_name (self->cloud),
                          device[0] != '\0' ? device : host);
  antenna_profile_set_name (profile, name);

  return g_steal_pointer (&profile);
}

char *
antenna_cloud_preset_dup_publish_topic (AntennaCloudPreset *self)
{
  g_return_val_if_fail (ANTENNA_IS_CLOUD_PRESET (self), NULL);

  if (self->cloud != ANTENNA_CLOUD_AZURE_IOT_HUB || self->values[ANTENNA_CLOUD_FIELD_DEVICE_ID][0] == '\0')
    return NULL;
  return g_strdup_printf ("devices/%s/messages/events/", self->values[ANTENNA_CLOUD_FIELD_DEVICE_ID]);
}
