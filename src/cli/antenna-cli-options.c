/* antenna-cli-options.c: the command line of antenna-cli's commands
 *
 * The flags are mosquitto_pub/mosquitto_sub's where they mean the same
 * (-h -p -t -m -q -r -u -V -i -k -c -x -C -W -l -s -n -N), so that a
 * script moves over by changing the program's name; but never -P: a
 * password on the command line can be read by every user of the computer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "antenna-cli-options.h"
#include "antenna-cli-report.h"
#include "antenna-error.h"
#include "antenna-properties.h"
#include "antenna-topic.h"

void
antenna_cli_connection_options_init (AntennaCliConnectionOptions *self)
{
  memset (self, 0, sizeof *self);
  self->keepalive = -1;
  self->session_expiry = G_MININT64;
  self->connect_timeout = -1;
}

void
antenna_cli_connection_options_clear (AntennaCliConnectionOptions *self)
{
  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->arguments, g_strfreev);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->mqtt_version, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->cert_file, g_free);
  g_clear_pointer (&self->key_file, g_free);
}

void
antenna_cli_connection_options_add (AntennaCliConnectionOptions *self,
                                    GOptionContext              *context)
{
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING, &self->profile,
      N_("A connection saved in Antenna, by its name or id"), N_("NAME") },
    { "host", 'h', 0, G_OPTION_ARG_STRING, &self->host,
      N_("The broker’s host, without --profile or a URL (localhost)"), N_("HOST") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &self->port,
      N_("The broker’s port (1883; 8883 with TLS)"), N_("PORT") },
    { "username", 'u', 0, G_OPTION_ARG_STRING, &self->username,
      N_("The user name"), N_("USER") },
    { "protocol-version", 'V', 0, G_OPTION_ARG_STRING, &self->mqtt_version,
      N_("The MQTT version: mqttv5 (5) or mqttv311 (311)"), N_("VERSION") },
    { "id", 'i', 0, G_OPTION_ARG_STRING, &self->client_id,
      N_("The client identifier (generated when not given)"), N_("ID") },
    { "keepalive", 'k', 0, G_OPTION_ARG_INT, &self->keepalive,
      N_("The keep-alive interval in seconds"), N_("SECONDS") },
    { "disable-clean-session", 'c', 0, G_OPTION_ARG_NONE, &self->persistent,
      N_("Keep the session on the broker after disconnecting (clean start off)"), NULL },
    { "session-expiry-interval", 'x', 0, G_OPTION_ARG_INT64, &self->session_expiry,
      N_("MQTT 5: how long the broker keeps the session, in seconds (-1: always)"), N_("SECONDS") },
    { "connect-timeout", 0, 0, G_OPTION_ARG_INT, &self->connect_timeout,
      N_("How long to wait for the broker to accept the connection, in seconds"), N_("SECONDS") },
    { "cafile", 0, 0, G_OPTION_ARG_FILENAME, &self->ca_file,
      N_("Trust the certificate authorities in this PEM file (TLS)"), N_("FILE") },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &self->cert_file,
      N_("The client certificate, a PEM file (TLS)"), N_("FILE") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &self->key_file,
      N_("The client certificate’s private key, a PEM file (TLS)"), N_("FILE") },
    { "tls-use-os-certs", 0, 0, G_OPTION_ARG_NONE, &self->tls_use_os_certs,
      N_("Use TLS, trusting the system’s certificate authorities"), NULL },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &self->insecure,
      N_("Do not check that the broker’s certificate is for its host name"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &self->password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    { "allow-plaintext", 0, 0, G_OPTION_ARG_NONE, &self->allow_plaintext,
      N_("Send a password without TLS to a broker on another computer"), NULL },
    { "verbose", 0, 0, G_OPTION_ARG_NONE, &self->verbose,
      N_("Say on standard error where the password came from and what happens"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &self->arguments, NULL, NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

gboolean
antenna_cli_connection_options_get_url (AntennaCliConnectionOptions  *self,
                                        const char                  **url,
                                        GError                      **error)
{
  *url = NULL;

  if (self->arguments == NULL || self->arguments[0] == NULL)
    return TRUE;

  if (self->arguments[1] != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give one URL at most; “%s” is one too many."), self->arguments[1]);
      return FALSE;
    }

  *url = self->arguments[0];
  return TRUE;
}

GOptionContext *
antenna_cli_option_context_new (const char *parameter_string,
                                const char *summary)
{
  GOptionContext *context;

  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, antenna_cli_status_help ());

  return context;
}

static gboolean
is_password_option (const char *arg)
{
  return g_str_has_prefix (arg, "-P") ||
         g_str_equal (arg, "--pw") || g_str_has_prefix (arg, "--pw=") ||
         g_str_equal (arg, "--password") || g_str_has_prefix (arg, "--password=");
}

gboolean
antenna_cli_option_context_parse (GOptionContext   *context,
                                  int              *argc,
                                  char           ***argv,
                                  GError          **error)
{
  g_autofree char **original = g_memdup2 (*argv, sizeof (char *) * (*argc + 1));
  int original_argc = *argc;
  g_autoptr(GError) local_error = NULL;

  if (g_option_context_parse (context, argc, argv, &local_error))
    return TRUE;

  /* mosquitto's -P VALUE: an unknown option here, and one to explain. */
  if (g_error_matches (local_error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
    for (int i = 1; i < original_argc && !g_str_equal (original[i], "--"); i++)
      if (is_password_option (original[i]))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("antenna-cli takes no password on its command line, where every "
                                 "user of this computer can read it. Use --password-stdin, type it "
                                 "at the prompt, or save the connection in Antenna with its "
                                 "password in the keyring and use --profile."));
          return FALSE;
        }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Properties */

static const char * const property_names[] = {
  "content-type", "payload-format-indicator", "message-expiry-interval",
  "response-topic", "correlation-data", "user-property",
};

static gboolean
set_property (AntennaProperties  *props,
              const char         *name,
              const char         *value,
              GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  guint64 number;

  if (g_str_equal (name, "content-type"))
    {
      if (props->content_type != NULL)
        goto twice;
      props->content_type = g_strdup (value);
    }
  else if (g_str_equal (name, "payload-format-indicator") || g_str_equal (name, "payload-format"))
    {
      if (props->payload_format >= 0)
        goto twice;
      if (!g_ascii_string_to_unsigned (value, 10, 0, 1, &number, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("payload-format-indicator is 0 (bytes) or 1 (UTF-8 text), not “%s”."),
                       value);
          return FALSE;
        }
      props->payload_format = (int) number;
    }
  else if (g_str_equal (name, "message-expiry-interval") || g_str_equal (name, "message-expiry"))
    {
      if (props->message_expiry >= 0)
        goto twice;
      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &number, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("message-expiry-interval is a number of seconds from 0 to 4294967295, not “%s”."),
                       value);
          return FALSE;
        }
      props->message_expiry = (gint64) number;
    }
  else if (g_str_equal (name, "response-topic"))
    {
      if (props->response_topic != NULL)
        goto twice;
      if (!antenna_topic_validate_name (value, -1, &local_error))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               local_error->message);
          return FALSE;
        }
      props->response_topic = g_strdup (value);
    }
  else if (g_str_equal (name, "correlation-data"))
    {
      if (props->correlation_data != NULL)
        goto twice;
      props->correlation_data = g_bytes_new (value, strlen (value));
    }
  else
    {
      g_autofree char *known = g_strjoinv (", ", (char **) property_names);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown MQTT 5 property “%s”. These can be set: %s."), name, known);
      return FALSE;
    }

  return TRUE;

twice:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("The property %s is given twice."), name);
  return FALSE;
}

gboolean
antenna_cli_take_properties (int                 *argc,
                             char               **argv,
                             AntennaProperties  **properties,
                             GError             **error)
{
  g_autoptr(AntennaProperties) props = NULL;
  int out = 1;
  int i = 1;

  *properties = NULL;

  while (i < *argc)
    {
      const char *arg = argv[i];
      gboolean mosquitto = g_str_equal (arg, "-D");
      int first;
      int needed;

      if (g_str_equal (arg, "--"))
        {
          while (i < *argc)
            argv[out++] = argv[i++];
          break;
        }

      if (!mosquitto && !g_str_equal (arg, "--property"))
        {
          argv[out++] = argv[i++];
          continue;
        }

      /* -D COMMAND NAME VALUE, --property NAME VALUE; user-property has two values. */
      first = i + 1;
      if (mosquitto)
        {
          if (first >= *argc)
            goto missing;
          if (g_ascii_strcasecmp (argv[first], "publish") != 0)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("-D sets the properties of the PUBLISH packet only, not of %s."),
                           argv[first]);
              return FALSE;
            }
          first++;
        }
      if (first >= *argc)
        goto missing;
      needed = g_str_equal (argv[first], "user-property") ? 3 : 2;
      if (first + needed > *argc)
        goto missing;

      if (props == NULL)
        props = antenna_properties_new ();
      if (needed == 3)
        antenna_properties_add_user_property (props, argv[first + 1], argv[first + 2]);
      else if (!set_property (props, argv[first], argv[first + 1], error))
        return FALSE;

      i = first + needed;
      continue;

missing:
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s needs a property name and a value, as in “%s content-type text/plain” or “%s user-property NAME VALUE”."),
                   arg, mosquitto ? "-D publish" : "--property", mosquitto ? "-D publish" : "--property");
      return FALSE;
    }

  argv[out] = NULL;
  *argc = out;
  *properties = g_steal_pointer (&props);
  return TRUE;
}

gboolean
antenna_cli_check_qos (int      qos,
                       GError **error)
{
  if (qos >= 0 && qos <= 2)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("The QoS is 0, 1 or 2, not %d."), qos);
  return FALSE;
}

gboolean
antenna_cli_parse_mqtt_version (const char          *text,
                                AntennaMqttVersion  *version,
                                GError             **error)
{
  if (g_ascii_strcasecmp (text, "mqttv5") == 0 || g_str_equal (text, "5"))
    {
      *version = ANTENNA_MQTT_VERSION_5;
      return TRUE;
    }
  if (g_ascii_strcasecmp (text, "mqttv311") == 0 || g_str_equal (text, "311") ||
      g_str_equal (text, "3.1.1"))
    {
      *version = ANTENNA_MQTT_VERSION_3_1_1;
      return TRUE;
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("antenna-cli does not speak MQTT version “%s”: use mqttv5 (or 5) or mqttv311 (or 311)."),
               text);
  return FALSE;
}
