/* antenna-cli-profiles.c: antenna-cli profiles list|show|export|import
 *
 * The connections the app shows, from the same store and file. Nothing here
 * reads the keyring: a profile holds no password, and neither does what is
 * printed or exported (the export is the app's own, without secrets).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "antenna-cli-commands.h"
#include "antenna-cli-options.h"
#include "antenna-cli-report.h"
#include "antenna-cli-store.h"
#include "antenna-error.h"
#include "antenna-payload.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-subscription.h"
#include "antenna-template-store.h"

/* "mqtt://host:1883", "wss://host:443/mqtt": what to give antenna or antenna-cli. */
static char *
dup_url (AntennaProfile *profile)
{
  g_autofree char *address = antenna_profile_dup_display_address (profile);

  switch (antenna_profile_get_transport (profile))
    {
    case ANTENNA_TRANSPORT_TLS:
      return g_strconcat ("mqtts://", address, NULL);
    case ANTENNA_TRANSPORT_WS:
    case ANTENNA_TRANSPORT_WSS:
      return g_steal_pointer (&address);
    case ANTENNA_TRANSPORT_TCP:
    default:
      return g_strconcat ("mqtt://", address, NULL);
    }
}

static gboolean
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  return fputs (text, stdout) != EOF && putc ('\n', stdout) != EOF && fflush (stdout) == 0;
}

static int
parse (GOptionContext  *context,
       int             *argc,
       char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!antenna_cli_option_context_parse (context, argc, argv, &error))
    return antenna_cli_fail_error (error);
  return ANTENNA_CLI_STATUS_OK;
}

/* list */

static void
pad (const char *text,
     guint       width)
{
  fputs (text, stdout);
  for (glong i = g_utf8_strlen (text, -1); i < (glong) width; i++)
    putc (' ', stdout);
}

static int
profiles_list (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  gboolean names = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every setting as JSON"), NULL },
    /* For the bash completion: the names, one a line. */
    { "names", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &names, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AntennaProfileStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *headers[4] = { _("NAME"), _("ADDRESS"), _("USER"), _("ID") };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint widths[4] = { 0, };
  GListModel *model;
  int status;

  context = antenna_cli_option_context_new (NULL,
                                            _("Lists the connections saved in Antenna: name, address, "
                                              "user name and id. --profile takes the name or the id."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = parse (context, &argc, &argv)) != ANTENNA_CLI_STATUS_OK)
    return status;
  if (argc > 1)
    return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_USAGE, _("“list” takes no argument."));

  store = antenna_cli_store_open (&error);
  model = G_LIST_MODEL (store);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(AntennaProfile) profile = g_list_model_get_item (model, i);

          json_array_add_element (array, antenna_profile_to_json (profile));
        }
      json_node_take_array (node, array);
      return print_json (node) ? ANTENNA_CLI_STATUS_OK : ANTENNA_CLI_STATUS_FAILED;
    }

  if (names)
    {
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(AntennaProfile) profile = g_list_model_get_item (model, i);
          g_autofree char *name = antenna_profile_dup_display_name (profile);

          printf ("%s\n", name);
        }
      return fflush (stdout) == 0 ? ANTENNA_CLI_STATUS_OK : ANTENNA_CLI_STATUS_FAILED;
    }

  if (g_list_model_get_n_items (model) == 0)
    {
      antenna_cli_warn (_("No connections are saved in Antenna yet."));
      return ANTENNA_CLI_STATUS_OK;
    }

  g_ptr_array_add (rows, g_strdupv ((char **) (const char *[]) { headers[0], headers[1], headers[2], headers[3], NULL }));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AntennaProfile) profile = g_list_model_get_item (model, i);
      char **row = g_new0 (char *, 5);

      row[0] = antenna_profile_dup_display_name (profile);
      row[1] = dup_url (profile);
      row[2] = g_strdup (antenna_profile_get_username (profile));
      row[3] = g_strdup (antenna_profile_get_id (profile));
      g_ptr_array_add (rows, row);
    }

  for (guint r = 0; r < rows->len; r++)
    for (guint c = 0; c < 4; c++)
      widths[c] = MAX (widths[c], (guint) g_utf8_strlen (((char **) rows->pdata[r])[c], -1));

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = rows->pdata[r];

      for (guint c = 0; c < 3; c++)
        {
          pad (row[c], widths[c]);
          fputs ("  ", stdout);
        }
      fputs (row[3], stdout);
      putc ('\n', stdout);
    }

  return fflush (stdout) == 0 ? ANTENNA_CLI_STATUS_OK : ANTENNA_CLI_STATUS_FAILED;
}

/* show */

static void
show_line (const char *label,
           const char *value)
{
  pad (label, 20);
  printf (" %s\n", value);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("yes") : _("no");
}

static void
show_text (AntennaProfile *profile)
{
  g_autofree char *name = antenna_profile_dup_display_name (profile);
  g_autofree char *url = dup_url (profile);
  g_autofree char *keepalive = g_strdup_printf ("%u s", antenna_profile_get_keepalive (profile));
  g_autofree char *expiry = g_strdup_printf ("%u s", antenna_profile_get_session_expiry (profile));
  g_autofree char *connect_timeout = g_strdup_printf ("%u s", antenna_profile_get_connect_timeout (profile));
  AntennaTransport transport = antenna_profile_get_transport (profile);
  const char *username = antenna_profile_get_username (profile);
  const char *client_id = antenna_profile_get_client_id (profile);
  const char *will_topic = antenna_profile_get_will_topic (profile);
  GListModel *subscriptions = antenna_profile_get_subscriptions (profile);

  show_line (_("Name:"), name);
  show_line (_("Id:"), antenna_profile_get_id (profile));
  show_line (_("Address:"), url);
  show_line (_("MQTT version:"),
             antenna_profile_get_mqtt_version (profile) == ANTENNA_MQTT_VERSION_5 ? "5" : "3.1.1");
  show_line (_("User name:"), username[0] != '\0' ? username : _("(none)"));
  if (username[0] != '\0')
    show_line (_("Password:"), antenna_profile_get_save_password (profile)
                               ? _("kept in the keyring") : _("asked at each connection"));
  show_line (_("Client id:"), client_id[0] != '\0' ? client_id : _("(generated)"));
  show_line (_("Keep-alive:"), keepalive);
  show_line (_("Clean start:"), yes_no (antenna_profile_get_clean_start (profile)));
  show_line (_("Session expiry:"), expiry);
  show_line (_("Connect timeout:"), connect_timeout);
  show_line (_("Auto-reconnect:"), yes_no (antenna_profile_get_auto_reconnect (profile)));

  if (transport == ANTENNA_TRANSPORT_TLS || transport == ANTENNA_TRANSPORT_WSS)
    {
      const char *ca_file = antenna_profile_get_tls_ca_file (profile);
      const char *cert_file = antenna_profile_get_tls_cert_file (profile);

      show_line (_("CA certificates:"), ca_file[0] != '\0' ? ca_file : _("the system’s"));
      if (cert_file[0] != '\0')
        show_line (_("Client certificate:"), cert_file);
      show_line (_("Check host name:"), yes_no (antenna_profile_get_tls_verify_hostname (profile)));
    }

  if (will_topic[0] != '\0')
    {
      g_autofree char *will = g_strdup_printf ("%s (QoS %d%s)", will_topic,
                                               antenna_profile_get_will_qos (profile),
                                               antenna_profile_get_will_retain (profile) ? _(", retained") : "");

      show_line (_("Last will:"), will);
    }

  for (guint i = 0; i < g_list_model_get_n_items (subscriptions); i++)
    {
      g_autoptr(AntennaSubscription) subscription = g_list_model_get_item (subscriptions, i);
      g_autofree char *text = g_strdup_printf ("%s (QoS %d)",
                                               antenna_subscription_get_filter (subscription),
                                               antenna_subscription_get_qos (subscription));

      show_line (i == 0 ? _("Subscriptions:") : "", text);
    }
}

static int
profiles_show (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every setting as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AntennaProfileStore) store = NULL;
  g_autoptr(GError) error = NULL;
  AntennaProfile *profile;
  int status;

  context = antenna_cli_option_context_new (_("NAME"),
                                            _("Shows the settings of a saved connection (by the name "
                                              "Antenna shows, or its id). Never a password: the "
                                              "keyring keeps it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = parse (context, &argc, &argv)) != ANTENNA_CLI_STATUS_OK)
    return status;
  if (argc != 2)
    return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_USAGE, _("“show” takes the name of one connection."));

  store = antenna_cli_store_open (&error);
  profile = antenna_cli_store_find (store, argv[1], &error);
  if (profile == NULL)
    return antenna_cli_fail_error (error);

  if (json)
    {
      g_autoptr(JsonNode) node = antenna_profile_to_json (profile);

      return print_json (node) ? ANTENNA_CLI_STATUS_OK : ANTENNA_CLI_STATUS_FAILED;
    }

  show_text (profile);
  return fflush (stdout) == 0 ? ANTENNA_CLI_STATUS_OK : ANTENNA_CLI_STATUS_FAILED;
}

/* export */

static int
profiles_export (int    argc,
                 char **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to this file instead of standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AntennaProfileStore) store = NULL;
  g_autoptr(AntennaTemplateStore) templates = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *name = NULL;
  guint n;
  int status;

  context = antenna_cli_option_context_new (_("[NAME…]"),
                                            _("Exports saved connections (all of them, or those "
                                              "named) in the file format of Antenna’s Export, "
                                              "without their passwords, with their publish templates."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = parse (context, &argc, &argv)) != ANTENNA_CLI_STATUS_OK)
    return status;

  store = antenna_cli_store_open (&error);
  if (argc > 1)
    {
      profiles = g_ptr_array_new_with_free_func (g_object_unref);
      for (int i = 1; i < argc; i++)
        {
          AntennaProfile *profile = antenna_cli_store_find (store, argv[i], &error);

          if (profile == NULL)
            return antenna_cli_fail_error (error);
          g_ptr_array_add (profiles, g_object_ref (profile));
        }
    }
  templates = antenna_cli_store_open_templates ();

  if (output != NULL)
    file = g_file_new_for_commandline_arg (output);
  else
    {
      /* The store writes a file (atomically): a private one, then to stdout. */
      int fd = g_file_open_tmp ("antenna-cli-export-XXXXXX.json", &tmp_path, &error);

      if (fd < 0)
        return antenna_cli_fail_error (error);
      g_close (fd, NULL);
      file = g_file_new_for_path (tmp_path);
    }

  if (!antenna_profile_store_export_full (store, profiles, templates, file, &error))
    {
      if (tmp_path != NULL)
        g_unlink (tmp_path);
      return antenna_cli_fail_error (error);
    }

  n = profiles != NULL ? profiles->len : g_list_model_get_n_items (G_LIST_MODEL (store));
  if (tmp_path != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;
      gboolean ok = g_file_get_contents (tmp_path, &contents, &length, &error);

      g_unlink (tmp_path);
      if (!ok)
        return antenna_cli_fail_error (error);
      if (fwrite (contents, 1, length, stdout) != length || fflush (stdout) != 0)
        return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_FAILED, _("Could not write the export: %s."),
                                        g_strerror (errno));
      return ANTENNA_CLI_STATUS_OK;
    }

  name = g_file_get_basename (file);
  /* The app's words (a toast there). */
  antenna_cli_warn (ngettext ("Exported %u connection to “%s”, without its password",
                              "Exported %u connections to “%s”, without their passwords",
                              n),
                    n, name);
  return ANTENNA_CLI_STATUS_OK;
}

/* import */

/* The app saves its own list over the file whenever a connection changes:
 * what is imported behind its back would be lost. */
static gboolean
app_is_running (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static int
profiles_import (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AntennaProfileStore) store = NULL;
  g_autoptr(AntennaTemplateStore) templates = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  int status;

  context = antenna_cli_option_context_new (_("FILE"),
                                            _("Imports the connections of a file exported by Antenna "
                                              "or antenna-cli into Antenna’s saved connections (new "
                                              "names and ids where they clash). Their passwords are "
                                              "not in the file: Antenna asks for them."));
  if ((status = parse (context, &argc, &argv)) != ANTENNA_CLI_STATUS_OK)
    return status;
  if (argc != 2)
    return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_USAGE, _("“import” takes one file."));

  if (app_is_running ())
    return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_FAILED,
                                    _("Antenna is running, and would save its own list of connections "
                                      "over the imported ones. Import in Antenna (Import Connections in "
                                      "its menu), or quit it first."));

  store = antenna_cli_store_open (&error);
  templates = antenna_cli_store_open_templates ();
  file = g_file_new_for_commandline_arg (argv[1]);
  imported = antenna_profile_store_import_full (store, file, templates, &error);
  if (imported == NULL)
    return antenna_cli_fail_error (error);

  if (imported->len == 0)
    {
      antenna_cli_warn (_("The file has no connections to import"));
      return ANTENNA_CLI_STATUS_OK;
    }

  if (!antenna_profile_store_save (store, &error) || !antenna_template_store_save (templates, &error))
    return antenna_cli_fail_error (error);

  printf (ngettext ("Imported %u connection", "Imported %u connections", imported->len), imported->len);
  putc ('\n', stdout);
  for (guint i = 0; i < imported->len; i++)
    {
      g_autofree char *name = antenna_profile_dup_display_name (g_ptr_array_index (imported, i));

      printf ("  %s\n", name);
    }
  return fflush (stdout) == 0 ? ANTENNA_CLI_STATUS_OK : ANTENNA_CLI_STATUS_FAILED;
}

/* profiles */

static const AntennaCliCommand commands[] = {
  { "list", profiles_list, N_("The saved connections: name, address, user name, id") },
  { "show", profiles_show, N_("The settings of one of them") },
  { "export", profiles_export, N_("Some or all to a file, without passwords") },
  { "import", profiles_import, N_("Connections from an exported file") },
};

int
antenna_cli_profiles (int    argc,
                      char **argv)
{
  int status;

  if (argc < 2 || argv[1][0] == '-')
    {
      gboolean help = argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-?"));

      antenna_cli_commands_help (help ? stdout : stderr, "antenna-cli profiles",
                                 _("The connections saved in Antenna, from the file the app uses. Their "
                                   "passwords stay in the keyring: nothing here prints or exports one."),
                                 commands, G_N_ELEMENTS (commands),
                                 _("“antenna-cli profiles COMMAND --help” shows a command’s options."));
      return help ? ANTENNA_CLI_STATUS_OK : ANTENNA_CLI_STATUS_USAGE;
    }

  status = antenna_cli_commands_run ("antenna-cli profiles", commands, G_N_ELEMENTS (commands),
                                     argc - 1, argv + 1);
  if (status >= 0)
    return status;

  return antenna_cli_fail_printf (ANTENNA_CLI_STATUS_USAGE,
                                  _("“%s” is not a profiles command: list, show, export or import."),
                                  argv[1]);
}
