/* test-profile.c: AntennaProfile, AntennaProperties, AntennaSubscription, AntennaMessage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "antenna-error.h"
#include "antenna-message.h"
#include "antenna-profile.h"
#include "antenna-subscription.h"
#include "antenna-test-utils.h"

/* Counts the notifications of each property and ::changed. */
typedef struct {
  GHashTable *notified; /* name → count */
  guint       changed;
} Counter;

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              Counter    *counter)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counter->notified, pspec->name));

  g_hash_table_insert (counter->notified, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
on_changed_cb (AntennaProfile *profile,
               Counter        *counter)
{
  counter->changed++;
}

static void
counter_watch (Counter  *counter,
               gpointer  object)
{
  counter->notified = g_hash_table_new (g_str_hash, g_str_equal);
  counter->changed = 0;
  g_signal_connect (object, "notify", G_CALLBACK (on_notify_cb), counter);
  if (ANTENNA_IS_PROFILE (object))
    g_signal_connect (object, "changed", G_CALLBACK (on_changed_cb), counter);
}

static void
counter_reset (Counter *counter)
{
  g_hash_table_remove_all (counter->notified);
  counter->changed = 0;
}

static guint
counter_get (Counter    *counter,
             const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counter->notified, name));
}

static void
counter_unwatch (Counter  *counter,
                 gpointer  object)
{
  g_signal_handlers_disconnect_by_data (object, counter);
  g_clear_pointer (&counter->notified, g_hash_table_unref);
}

/* Profile defaults */

static void
test_profile_defaults (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaProfile) other = antenna_profile_new ();

  g_assert_true (g_uuid_string_is_valid (antenna_profile_get_id (profile)));
  g_assert_cmpstr (antenna_profile_get_id (profile), !=, antenna_profile_get_id (other));
  g_assert_cmpstr (antenna_profile_get_name (profile), ==, "");
  g_assert_cmpstr (antenna_profile_get_host (profile), ==, "localhost");
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 1883);
  g_assert_cmpint (antenna_profile_get_transport (profile), ==, ANTENNA_TRANSPORT_TCP);
  g_assert_cmpstr (antenna_profile_get_ws_path (profile), ==, "/mqtt");
  g_assert_cmpint (antenna_profile_get_mqtt_version (profile), ==, ANTENNA_MQTT_VERSION_5);
  g_assert_cmpstr (antenna_profile_get_client_id (profile), ==, "");
  g_assert_cmpstr (antenna_profile_get_username (profile), ==, "");
  g_assert_true (antenna_profile_get_save_password (profile));
  g_assert_cmpuint (antenna_profile_get_keepalive (profile), ==, 60);
  g_assert_true (antenna_profile_get_clean_start (profile));
  g_assert_cmpuint (antenna_profile_get_session_expiry (profile), ==, 0);
  g_assert_cmpuint (antenna_profile_get_connect_timeout (profile), ==, 10);
  g_assert_true (antenna_profile_get_auto_reconnect (profile));
  g_assert_cmpstr (antenna_profile_get_tls_ca_file (profile), ==, "");
  g_assert_cmpstr (antenna_profile_get_tls_cert_file (profile), ==, "");
  g_assert_cmpstr (antenna_profile_get_tls_key_file (profile), ==, "");
  g_assert_cmpstr (antenna_profile_get_tls_alpn (profile), ==, "");
  g_assert_true (antenna_profile_get_tls_verify_hostname (profile));
  g_assert_false (antenna_profile_get_tls_allow_insecure (profile));
  g_assert_cmpstr (antenna_profile_get_will_topic (profile), ==, "");
  g_assert_null (antenna_profile_get_will_payload (profile));
  g_assert_cmpint (antenna_profile_get_will_qos (profile), ==, 0);
  g_assert_false (antenna_profile_get_will_retain (profile));
  g_assert_null (antenna_profile_get_will_properties (profile));
  g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)), ==, 0);
  g_assert_true (g_list_model_get_item_type (antenna_profile_get_subscriptions (profile)) == ANTENNA_TYPE_SUBSCRIPTION);

  /* Every property's default in its GParamSpec is what the object has. */
  {
    guint n_pspecs;
    g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (profile), &n_pspecs);

    for (guint i = 0; i < n_pspecs; i++)
      {
        g_auto(GValue) value = G_VALUE_INIT;

        if (!(pspecs[i]->flags & G_PARAM_WRITABLE))
          continue;
        g_value_init (&value, pspecs[i]->value_type);
        g_object_get_property (G_OBJECT (profile), pspecs[i]->name, &value);
        if (!g_param_value_defaults (pspecs[i], &value))
          g_error ("%s is not at its GParamSpec default", pspecs[i]->name);
      }
  }

  g_assert_cmpuint (antenna_transport_default_port (ANTENNA_TRANSPORT_TCP), ==, 1883);
  g_assert_cmpuint (antenna_transport_default_port (ANTENNA_TRANSPORT_TLS), ==, 8883);
  g_assert_cmpuint (antenna_transport_default_port (ANTENNA_TRANSPORT_WS), ==, 80);
  g_assert_cmpuint (antenna_transport_default_port (ANTENNA_TRANSPORT_WSS), ==, 443);
}

static void
test_profile_transport_port (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  Counter counter;

  counter_watch (&counter, profile);

  /* The port follows the transport while it is the default. */
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 8883);
  g_assert_cmpuint (counter_get (&counter, "transport"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "port"), ==, 1);

  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WS);
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 80);
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WSS);
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 443);
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TCP);
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 1883);

  /* A port the person chose stays. */
  antenna_profile_set_port (profile, 11883);
  counter_reset (&counter);
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 11883);
  g_assert_cmpuint (counter_get (&counter, "transport"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "port"), ==, 0);

  /* The same transport again: nothing moves, nothing notified. */
  antenna_profile_set_port (profile, 8883);
  counter_reset (&counter);
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 8883);
  g_assert_cmpuint (g_hash_table_size (counter.notified), ==, 0);
  g_assert_cmpuint (counter.changed, ==, 0);

  /* Through the property too. */
  g_object_set (profile, "transport", ANTENNA_TRANSPORT_WSS, NULL);
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 443);

  counter_unwatch (&counter, profile);
}

/* Sets @pspec on @object to a value different from the current one. */
static void
set_other_value (GObject    *object,
                 GParamSpec *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);

  if (G_IS_PARAM_SPEC_STRING (pspec))
    {
      g_autofree char *s = g_strconcat (g_value_get_string (&value) ?: "", "x", NULL);
      g_value_set_string (&value, s);
    }
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    g_value_set_boolean (&value, !g_value_get_boolean (&value));
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    {
      guint v = g_value_get_uint (&value);
      g_value_set_uint (&value, v < G_PARAM_SPEC_UINT (pspec)->maximum ? v + 1 : v - 1);
    }
  else if (G_IS_PARAM_SPEC_INT (pspec))
    {
      int v = g_value_get_int (&value);
      g_value_set_int (&value, v < G_PARAM_SPEC_INT (pspec)->maximum ? v + 1 : v - 1);
    }
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
      int v = g_value_get_enum (&value);

      for (guint i = 0; i < klass->n_values; i++)
        if (klass->values[i].value != v)
          {
            g_value_set_enum (&value, klass->values[i].value);
            break;
          }
    }
  else if (pspec->value_type == G_TYPE_BYTES)
    {
      g_autoptr(GBytes) bytes = g_bytes_new ("\0\xff payload", 10);
      g_value_set_boxed (&value, bytes);
    }
  else if (pspec->value_type == ANTENNA_TYPE_PROPERTIES)
    {
      g_autoptr(AntennaProperties) props = antenna_properties_new ();
      props->content_type = g_strdup ("text/plain");
      /* connect-properties keeps user properties only */
      antenna_properties_add_user_property (props, "name", "value");
      g_value_set_boxed (&value, props);
    }
  else if (pspec->value_type == G_TYPE_STRV)
    {
      const char * const *old = g_value_get_boxed (&value);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      if (old != NULL)
        g_strv_builder_addv (builder, (const char **) old);
      g_strv_builder_add (builder, "/a path/x");
      strv = g_strv_builder_end (builder);
      g_value_set_boxed (&value, strv);
    }
  else
    g_error ("no test value for %s", pspec->name);

  g_object_set_property (object, pspec->name, &value);
}

/* Sets @pspec to its current value again. */
static void
set_same_value (GObject    *object,
                GParamSpec *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);
  g_object_set_property (object, pspec->name, &value);
}

static void
test_profile_notify_only_on_change (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  guint n_tested = 0;
  Counter counter;

  counter_watch (&counter, profile);
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (profile), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];

      if (!(pspec->flags & G_PARAM_WRITABLE))
        continue;

      g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);

      g_test_message ("property %s", pspec->name);

      counter_reset (&counter);
      set_same_value (G_OBJECT (profile), pspec);
      g_assert_cmpuint (g_hash_table_size (counter.notified), ==, 0);
      g_assert_cmpuint (counter.changed, ==, 0);

      counter_reset (&counter);
      set_other_value (G_OBJECT (profile), pspec);
      g_assert_cmpuint (counter_get (&counter, pspec->name), ==, 1);
      g_assert_cmpuint (counter.changed, >=, 1);

      counter_reset (&counter);
      set_same_value (G_OBJECT (profile), pspec);
      g_assert_cmpuint (g_hash_table_size (counter.notified), ==, 0);
      g_assert_cmpuint (counter.changed, ==, 0);

      n_tested++;
    }

  /* Every setting of the header. */
  g_assert_cmpuint (n_tested, ==, 40);

  /* An empty payload is no payload; equal bytes are no change. */
  {
    g_autoptr(GBytes) empty = g_bytes_new ("", 0);
    g_autoptr(GBytes) a = g_bytes_new ("abc", 3);
    g_autoptr(GBytes) b = g_bytes_new ("abc", 3);

    antenna_profile_set_will_payload (profile, a);
    counter_reset (&counter);
    antenna_profile_set_will_payload (profile, b);
    g_assert_cmpuint (counter_get (&counter, "will-payload"), ==, 0);
    antenna_profile_set_will_payload (profile, empty);
    g_assert_cmpuint (counter_get (&counter, "will-payload"), ==, 1);
    g_assert_null (antenna_profile_get_will_payload (profile));
    antenna_profile_set_will_payload (profile, NULL);
    g_assert_cmpuint (counter_get (&counter, "will-payload"), ==, 1);
  }

  /* NULL strings are "". */
  antenna_profile_set_tls_ca_file (profile, NULL);
  g_assert_cmpstr (antenna_profile_get_tls_ca_file (profile), ==, "");

  /* regenerate_id notifies id. */
  counter_reset (&counter);
  antenna_profile_regenerate_id (profile);
  g_assert_cmpuint (counter_get (&counter, "id"), ==, 1);
  g_assert_cmpuint (counter.changed, ==, 1);

  counter_unwatch (&counter, profile);
}

static void
test_profile_subscriptions_changed (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaSubscription) a = antenna_subscription_new ("sensors/#", 1);
  g_autoptr(AntennaSubscription) b = antenna_subscription_new ("$SYS/#", 0);
  GListModel *list = antenna_profile_get_subscriptions (profile);
  Counter counter;

  counter_watch (&counter, profile);

  antenna_profile_add_subscription (profile, a);
  g_assert_cmpuint (counter.changed, ==, 1);
  antenna_profile_add_subscription (profile, b);
  g_assert_cmpuint (counter.changed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);

  /* A saved setting of a subscription is a change of the profile… */
  counter_reset (&counter);
  antenna_subscription_set_qos (a, 2);
  g_assert_cmpuint (counter.changed, ==, 1);
  antenna_subscription_set_color (a, "#ff0000");
  antenna_subscription_set_paused (a, TRUE);
  antenna_subscription_set_no_local (a, TRUE);
  antenna_subscription_set_retain_as_published (a, TRUE);
  antenna_subscription_set_retain_handling (a, ANTENNA_RETAIN_HANDLING_DO_NOT_SEND);
  g_assert_cmpuint (counter.changed, ==, 6);

  /* …its live state is not. */
  counter_reset (&counter);
  _antenna_subscription_set_state (a, ANTENNA_SUBSCRIPTION_STATE_ACTIVE, 1, NULL);
  antenna_subscription_add_messages (a, 10);
  g_assert_cmpuint (counter.changed, ==, 0);

  /* Removing one is a change; the removed one no longer counts. */
  antenna_profile_remove_subscription (profile, 0);
  g_assert_cmpuint (counter.changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  antenna_subscription_set_qos (a, 0);
  g_assert_cmpuint (counter.changed, ==, 1);

  /* The profile keeps the subscription object given. */
  {
    g_autoptr(AntennaSubscription) first = g_list_model_get_item (list, 0);
    g_assert_true (first == b);
  }

  counter_unwatch (&counter, profile);
}

/* URLs */

static void
test_profile_uri_good (void)
{
  static const struct {
    const char       *uri;
    AntennaTransport  transport;
    const char       *host;
    guint             port;
    const char       *ws_path;
    const char       *username;
    const char       *password;
    const char       *name;
    const char       *server_uri;
  } cases[] = {
    { "mqtt://broker.example", ANTENNA_TRANSPORT_TCP, "broker.example", 1883, "/mqtt", "", NULL,
      "mqtt://broker.example", "tcp://broker.example:1883" },
    { "mqtt://broker.example:1884/", ANTENNA_TRANSPORT_TCP, "broker.example", 1884, "/mqtt", "", NULL,
      "mqtt://broker.example:1884", "tcp://broker.example:1884" },
    { "  MQTTS://alice@broker.example  ", ANTENNA_TRANSPORT_TLS, "broker.example", 8883, "/mqtt", "alice", NULL,
      "mqtts://broker.example", "ssl://broker.example:8883" },
    { "mqtts://alice:s3cr%40t@broker.example:18883", ANTENNA_TRANSPORT_TLS, "broker.example", 18883, "/mqtt",
      "alice", "s3cr@t", "mqtts://broker.example:18883", "ssl://broker.example:18883" },
    { "mqtt://[::1]:1884", ANTENNA_TRANSPORT_TCP, "::1", 1884, "/mqtt", "", NULL,
      "mqtt://[::1]:1884", "tcp://[::1]:1884" },
    { "mqtt://bob:@[::1]", ANTENNA_TRANSPORT_TCP, "::1", 1883, "/mqtt", "bob", "",
      "mqtt://[::1]", "tcp://[::1]:1883" },
    { "ws://broker.example", ANTENNA_TRANSPORT_WS, "broker.example", 80, "/mqtt", "", NULL,
      "ws://broker.example", "ws://broker.example:80/mqtt" },
    { "ws://127.0.0.1:9001/", ANTENNA_TRANSPORT_WS, "127.0.0.1", 9001, "/", "", NULL,
      "ws://127.0.0.1:9001/", "ws://127.0.0.1:9001/" },
    { "wss://u:pw9xq@broker.example/ws/mqtt?token=a%20b", ANTENNA_TRANSPORT_WSS, "broker.example", 443,
      "/ws/mqtt?token=a%20b", "u", "pw9xq", "wss://broker.example/ws/mqtt?token=a%20b",
      "wss://broker.example:443/ws/mqtt?token=a%20b" },
    { "wss://[::1]:8443/mqtt", ANTENNA_TRANSPORT_WSS, "::1", 8443, "/mqtt", "", NULL,
      "wss://[::1]:8443/mqtt", "wss://[::1]:8443/mqtt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AntennaProfile) profile = NULL;
      g_autoptr(AntennaProfile) without = NULL;
      g_autoptr(JsonNode) json = NULL;
      g_autofree char *password = NULL;
      g_autofree char *server_uri = NULL;
      g_autofree char *json_text = NULL;

      g_test_message ("%s", cases[i].uri);

      profile = antenna_profile_new_from_uri_with_password (cases[i].uri, &password, &error);
      g_assert_no_error (error);
      g_assert_nonnull (profile);

      g_assert_cmpint (antenna_profile_get_transport (profile), ==, cases[i].transport);
      g_assert_cmpstr (antenna_profile_get_host (profile), ==, cases[i].host);
      g_assert_cmpuint (antenna_profile_get_port (profile), ==, cases[i].port);
      g_assert_cmpstr (antenna_profile_get_ws_path (profile), ==, cases[i].ws_path);
      g_assert_cmpstr (antenna_profile_get_username (profile), ==, cases[i].username);
      g_assert_cmpstr (password, ==, cases[i].password);
      g_assert_cmpstr (antenna_profile_get_name (profile), ==, cases[i].name);
      server_uri = antenna_profile_dup_server_uri (profile);
      g_assert_cmpstr (server_uri, ==, cases[i].server_uri);

      /* The password is nowhere in the profile. */
      json = antenna_profile_to_json (profile);
      json_text = json_to_string (json, FALSE);
      if (cases[i].password != NULL && cases[i].password[0] != '\0')
        {
          g_assert_null (strstr (json_text, cases[i].password));
          g_assert_null (strstr (json_text, "@"));
        }

      /* Without the out parameter: the same profile. */
      without = antenna_profile_new_from_uri (cases[i].uri, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (antenna_profile_get_name (without), ==, cases[i].name);
      g_assert_cmpstr (antenna_profile_get_username (without), ==, cases[i].username);
    }
}

static void
test_profile_uri_bad (void)
{
  static const struct {
    const char *uri;
    const char *says;
  } cases[] = {
    { "", "mqtt://" },
    { "broker.example:1883", "mqtt://" },
    { "http://broker.example", "“http:”" },
    { "tcp://broker.example:1883", "“tcp:”" },
    { "file:///etc/passwd", "“file:”" },
    { "mqtt://", "no host" },
    { "mqtt://user:hunter2@", "no host" },
    { "mqtt://broker.example:0", "65535" },
    { "mqtt://user:hunter2@broker.example:99999", NULL },
    { "mqtt://broker.example:port", NULL },
    { "mqtt://broker.example/some/topic", "ws://" },
    { "mqtts://broker.example/?a=b", "ws://" },
    { "mqtt://broker.example#x", "#" },
    { "mqtt://[::1", NULL },
    { "mqtt://user:hunter2@[::1", NULL },
    { "\xff\xfe://x", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AntennaProfile) profile = NULL;
      char *password = (char *) "untouched";
      g_autofree char *printable = g_strescape (cases[i].uri, NULL);

      /* escaped: TAP output must stay valid UTF-8 */
      g_test_message ("%s", printable);

      profile = antenna_profile_new_from_uri_with_password (cases[i].uri, &password, &error);
      g_assert_null (profile);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_URL);
      g_assert_null (password);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (strlen (error->message), >, 20);
      /* An error message never repeats a password. */
      g_assert_null (strstr (error->message, "hunter2"));
      if (cases[i].says != NULL && strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s” gave “%s”, which does not say “%s”", cases[i].uri, error->message, cases[i].says);
    }
}

static void
test_profile_addresses (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  char *s;

  antenna_profile_set_host (profile, "broker.example");
  s = antenna_profile_dup_display_address (profile);
  g_assert_cmpstr (s, ==, "broker.example:1883");
  g_free (s);
  s = antenna_profile_dup_display_name (profile);
  g_assert_cmpstr (s, ==, "broker.example:1883");
  g_free (s);

  antenna_profile_set_name (profile, "Home");
  s = antenna_profile_dup_display_name (profile);
  g_assert_cmpstr (s, ==, "Home");
  g_free (s);

  antenna_profile_set_host (profile, "fe80::1");
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_TLS);
  s = antenna_profile_dup_display_address (profile);
  g_assert_cmpstr (s, ==, "[fe80::1]:8883");
  g_free (s);
  s = antenna_profile_dup_server_uri (profile);
  g_assert_cmpstr (s, ==, "ssl://[fe80::1]:8883");
  g_free (s);

  antenna_profile_set_host (profile, "broker.example");
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WS);
  antenna_profile_set_ws_path (profile, "ws");
  s = antenna_profile_dup_display_address (profile);
  g_assert_cmpstr (s, ==, "ws://broker.example:80/ws");
  g_free (s);
  s = antenna_profile_dup_server_uri (profile);
  g_assert_cmpstr (s, ==, "ws://broker.example:80/ws");
  g_free (s);
}

/* The name a person sees for a connection, in the window, the sidebar and
 * the keyring: the name, else the address (not the bare host). */
static void
test_profile_display_name (void)
{
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autofree char *named = NULL;
  g_autofree char *tcp = NULL;
  g_autofree char *ipv6 = NULL;
  g_autofree char *wss = NULL;

  antenna_profile_set_name (profile, "Lab broker");
  antenna_profile_set_host (profile, "broker.example");
  named = antenna_profile_dup_display_name (profile);
  g_assert_cmpstr (named, ==, "Lab broker");

  antenna_profile_set_name (profile, "");
  tcp = antenna_profile_dup_display_name (profile);
  g_assert_cmpstr (tcp, ==, "broker.example:1883");

  antenna_profile_set_host (profile, "fe80::1");
  ipv6 = antenna_profile_dup_display_name (profile);
  g_assert_cmpstr (ipv6, ==, "[fe80::1]:1883");

  antenna_profile_set_name (profile, NULL);
  antenna_profile_set_host (profile, "broker.example");
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WSS);
  wss = antenna_profile_dup_display_name (profile);
  g_assert_cmpstr (wss, ==, "wss://broker.example:443/mqtt");
}

/* JSON */

static AntennaProfile *
make_full_profile (void)
{
  AntennaProfile *profile = antenna_profile_new ();
  g_autoptr(AntennaSubscription) a = antenna_subscription_new ("sensors/+/temp", 2);
  g_autoptr(AntennaSubscription) b = antenna_subscription_new ("$SYS/#", 0);
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  g_autoptr(GBytes) payload = g_bytes_new ("gone\0\xff\x01", 7);

  antenna_profile_set_name (profile, "Planta — línea 2 \"quoted\"");
  antenna_profile_set_host (profile, "broker.example.org");
  antenna_profile_set_transport (profile, ANTENNA_TRANSPORT_WSS);
  antenna_profile_set_port (profile, 8443);
  antenna_profile_set_ws_path (profile, "/ws/mqtt");
  antenna_profile_set_mqtt_version (profile, ANTENNA_MQTT_VERSION_3_1_1);
  antenna_profile_set_client_id (profile, "antenna-test-1");
  antenna_profile_set_username (profile, "alice");
  antenna_profile_set_save_password (profile, FALSE);
  antenna_profile_set_keepalive (profile, 15);
  antenna_profile_set_clean_start (profile, FALSE);
  antenna_profile_set_session_expiry (profile, 4294967295u);
  antenna_profile_set_connect_timeout (profile, 33);
  antenna_profile_set_auto_reconnect (profile, FALSE);
  antenna_profile_set_tls_ca_file (profile, "/etc/ssl/ca.pem");
  antenna_profile_set_tls_cert_file (profile, "/home/a/cert.pem");
  antenna_profile_set_tls_key_file (profile, "/home/a/key.pem");
  antenna_profile_set_tls_alpn (profile, "mqtt,x-amzn-mqtt-ca");
  antenna_profile_set_tls_verify_hostname (profile, FALSE);
  antenna_profile_set_tls_allow_insecure (profile, TRUE);
  antenna_profile_set_will_topic (profile, "clients/antenna/status");
  antenna_profile_set_will_payload (profile, payload);
  antenna_profile_set_will_qos (profile, 1);
  antenna_profile_set_will_retain (profile, TRUE);

  props->content_type = g_strdup ("application/json");
  props->payload_format = 1;
  props->response_topic = g_strdup ("replies/antenna");
  props->correlation_data = g_bytes_new ("\x00\x01\x02", 3);
  props->message_expiry = 3600;
  antenna_properties_add_user_property (props, "site", "north");
  antenna_properties_add_user_property (props, "site", "south");
  antenna_profile_set_will_properties (profile, props);

  antenna_subscription_set_no_local (a, TRUE);
  antenna_subscription_set_retain_as_published (a, TRUE);
  antenna_subscription_set_retain_handling (a, ANTENNA_RETAIN_HANDLING_SEND_IF_NEW);
  antenna_subscription_set_color (a, "#3584e4");
  antenna_subscription_set_paused (a, TRUE);
  antenna_profile_add_subscription (profile, a);
  antenna_profile_add_subscription (profile, b);

  return profile;
}

static void
assert_full_profile (AntennaProfile *profile,
                     AntennaProfile *original)
{
  g_autoptr(AntennaSubscription) a = NULL;
  g_autoptr(AntennaSubscription) b = NULL;
  AntennaProperties *props;
  GBytes *payload;

  g_assert_cmpstr (antenna_profile_get_id (profile), ==, antenna_profile_get_id (original));
  g_assert_cmpstr (antenna_profile_get_name (profile), ==, "Planta — línea 2 \"quoted\"");
  g_assert_cmpstr (antenna_profile_get_host (profile), ==, "broker.example.org");
  g_assert_cmpint (antenna_profile_get_transport (profile), ==, ANTENNA_TRANSPORT_WSS);
  g_assert_cmpuint (antenna_profile_get_port (profile), ==, 8443);
  g_assert_cmpstr (antenna_profile_get_ws_path (profile), ==, "/ws/mqtt");
  g_assert_cmpint (antenna_profile_get_mqtt_version (profile), ==, ANTENNA_MQTT_VERSION_3_1_1);
  g_assert_cmpstr (antenna_profile_get_client_id (profile), ==, "antenna-test-1");
  g_assert_cmpstr (antenna_profile_get_username (profile), ==, "alice");
  g_assert_false (antenna_profile_get_save_password (profile));
  g_assert_cmpuint (antenna_profile_get_keepalive (profile), ==, 15);
  g_assert_false (antenna_profile_get_clean_start (profile));
  g_assert_cmpuint (antenna_profile_get_session_expiry (profile), ==, 4294967295u);
  g_assert_cmpuint (antenna_profile_get_connect_timeout (profile), ==, 33);
  g_assert_false (antenna_profile_get_auto_reconnect (profile));
  g_assert_cmpstr (antenna_profile_get_tls_ca_file (profile), ==, "/etc/ssl/ca.pem");
  g_assert_cmpstr (antenna_profile_get_tls_cert_file (profile), ==, "/home/a/cert.pem");
  g_assert_cmpstr (antenna_profile_get_tls_key_file (profile), ==, "/home/a/key.pem");
  g_assert_cmpstr (antenna_profile_get_tls_alpn (profile), ==, "mqtt,x-amzn-mqtt-ca");
  g_assert_false (antenna_profile_get_tls_verify_hostname (profile));
  g_assert_true (antenna_profile_get_tls_allow_insecure (profile));
  g_assert_cmpstr (antenna_profile_get_will_topic (profile), ==, "clients/antenna/status");
  payload = antenna_profile_get_will_payload (profile);
  g_assert_nonnull (payload);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "gone\0\xff\x01", 7);
  g_assert_cmpint (antenna_profile_get_will_qos (profile), ==, 1);
  g_assert_true (antenna_profile_get_will_retain (profile));

  props = antenna_profile_get_will_properties (profile);
  g_assert_nonnull (props);
  g_assert_cmpstr (props->content_type, ==, "application/json");
  g_assert_cmpint (props->payload_format, ==, 1);
  g_assert_cmpstr (props->response_topic, ==, "replies/antenna");
  g_assert_cmpmem (g_bytes_get_data (props->correlation_data, NULL),
                   g_bytes_get_size (props->correlation_data), "\x00\x01\x02", 3);
  g_assert_cmpint (props->message_expiry, ==, 3600);
  g_assert_cmpuint (props->user_properties->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (props->user_properties, 0), ==, "site");
  g_assert_cmpstr (g_ptr_array_index (props->user_properties, 1), ==, "north");
  g_assert_cmpstr (g_ptr_array_index (props->user_properties, 3), ==, "south");

  g_assert_cmpuint (g_list_model_get_n_items (antenna_profile_get_subscriptions (profile)), ==, 2);
  a = g_list_model_get_item (antenna_profile_get_subscriptions (profile), 0);
  b = g_list_model_get_item (antenna_profile_get_subscriptions (profile), 1);
  g_assert_cmpstr (antenna_subscription_get_filter (a), ==, "sensors/+/temp");
  g_assert_cmpint (antenna_subscription_get_qos (a), ==, 2);
  g_assert_true (antenna_subscription_get_no_local (a));
  g_assert_true (antenna_subscription_get_retain_as_published (a));
  g_assert_cmpint (antenna_subscription_get_retain_handling (a), ==, ANTENNA_RETAIN_HANDLING_SEND_IF_NEW);
  g_assert_cmpstr (antenna_subscription_get_color (a), ==, "#3584e4");
  g_assert_true (antenna_subscription_get_paused (a));
  g_assert_cmpstr (antenna_subscription_get_filter (b), ==, "$SYS/#");
  g_assert_cmpint (antenna_subscription_get_qos (b), ==, 0);
  g_assert_false (antenna_subscription_get_no_local (b));
  g_assert_null (antenna_subscription_get_color (b));
  g_assert_false (antenna_subscription_get_paused (b));

  g_assert_true (antenna_profile_equal (profile, original));
}

static void
test_profile_json_round_trip (void)
{
  g_autoptr(AntennaProfile) profile = make_full_profile ();
  g_autoptr(AntennaProfile) loaded = NULL;
  g_autoptr(AntennaProfile) copy = NULL;
  g_autoptr(AntennaProfile) edited = antenna_profile_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Counter counter;

  node = antenna_profile_to_json (profile);
  text = json_to_string (node, TRUE);
  g_test_message ("%s", text);

  /* Through text, as in the file. */
  parsed = json_from_string (text, &error);
  g_assert_no_error (error);
  loaded = antenna_profile_new_from_json (parsed, &error);
  g_assert_no_error (error);
  assert_full_profile (loaded, profile);

  /* The same again. */
  {
    g_autoptr(JsonNode) again = antenna_profile_to_json (loaded);
    g_autofree char *again_text = json_to_string (again, TRUE);
    g_assert_cmpstr (again_text, ==, text);
  }

  /* A copy has everything, and subscriptions of its own. */
  copy = antenna_profile_copy (profile);
  assert_full_profile (copy, profile);
  {
    g_autoptr(AntennaSubscription) sa = g_list_model_get_item (antenna_profile_get_subscriptions (copy), 0);
    g_autoptr(AntennaSubscription) sb = g_list_model_get_item (antenna_profile_get_subscriptions (profile), 0);
    g_assert_true (sa != sb);
  }
  antenna_profile_regenerate_id (copy);
  g_assert_cmpstr (antenna_profile_get_id (copy), !=, antenna_profile_get_id (profile));
  g_assert_false (antenna_profile_equal (copy, profile));

  /* update_from: all but the id; again: nothing notified. */
  antenna_profile_update_from (edited, profile);
  g_assert_cmpstr (antenna_profile_get_id (edited), !=, antenna_profile_get_id (profile));
  g_assert_cmpstr (antenna_profile_get_name (edited), ==, antenna_profile_get_name (profile));
  g_assert_cmpuint (antenna_profile_get_port (edited), ==, 8443);
  counter_watch (&counter, edited);
  antenna_profile_update_from (edited, profile);
  g_assert_cmpuint (g_hash_table_size (counter.notified), ==, 0);
  g_assert_cmpuint (counter.changed, ==, 0);
  counter_unwatch (&counter, edited);
}

static void
test_profile_json_missing_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{}", &error);
  g_autoptr(AntennaProfile) profile = NULL;
  g_autoptr(AntennaProfile) defaults = antenna_profile_new ();
  g_autoptr(JsonNode) partial = NULL;
  g_autoptr(AntennaProfile) tls = NULL;

  g_assert_no_error (error);
  profile = antenna_profile_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (antenna_profile_get_id (profile)));
  /* Everything else at its default. */
  antenna_profile_update_from (defaults, defaults);
  {
    g_autoptr(AntennaProfile) same_id = antenna_profile_copy (defaults);
    g_autoptr(JsonNode) a = NULL;
    g_autoptr(JsonNode) b = NULL;

    a = antenna_profile_to_json (profile);
    json_object_remove_member (json_node_get_object (a), "id");
    b = antenna_profile_to_json (same_id);
    json_object_remove_member (json_node_get_object (b), "id");
    g_assert_true (json_node_equal (a, b));
  }

  /* A TLS profile without a port gets TLS's; null is as missing. */
  partial = json_from_string ("{\"id\":\"x\",\"transport\":\"tls\",\"name\":null,\"unknown\":[1,2]}", &error);
  g_assert_no_error (error);
  tls = antenna_profile_new_from_json (partial, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (antenna_profile_get_id (tls), ==, "x");
  g_assert_cmpuint (antenna_profile_get_port (tls), ==, 8883);
  g_assert_cmpstr (antenna_profile_get_name (tls), ==, "");
}

static void
test_profile_json_wrong_types (void)
{
  static const struct {
    const char *json;
    const char *names;
  } cases[] = {
    { "[]", NULL },
    { "\"profile\"", NULL },
    { "{\"port\":\"1883\"}", "port" },
    { "{\"port\":70000}", "port" },
    { "{\"port\":0}", "port" },
    { "{\"port\":1883.5}", "port" },
    { "{\"name\":42}", "name" },
    { "{\"host\":{}}", "host" },
    { "{\"transport\":\"udp\"}", "transport" },
    { "{\"transport\":1}", "transport" },
    { "{\"mqtt-version\":\"4\"}", "mqtt-version" },
    { "{\"save-password\":\"yes\"}", "save-password" },
    { "{\"clean-start\":1}", "clean-start" },
    { "{\"keepalive\":-1}", "keepalive" },
    { "{\"connect-timeout\":0}", "connect-timeout" },
    { "{\"will-qos\":3}", "will-qos" },
    { "{\"will-payload\":\"not base64!\"}", "will-payload" },
    { "{\"will-payload\":[1,2]}", "will-payload" },
    { "{\"will-properties\":[]}", "will-properties" },
    { "{\"will-properties\":{\"user-properties\":[[\"a\"]]}}", "user-properties" },
    { "{\"will-properties\":{\"payload-format\":2}}", "payload-format" },
    { "{\"receive-maximum\":70000}", "receive-maximum" },
    { "{\"maximum-packet-size\":-1}", "maximum-packet-size" },
    { "{\"topic-alias-maximum\":\"2\"}", "topic-alias-maximum" },
    { "{\"request-problem-information\":0}", "request-problem-information" },
    { "{\"will-delay-interval\":1.5}", "will-delay-interval" },
    { "{\"connect-properties\":[]}", "connect-properties" },
    { "{\"connect-properties\":{\"user-properties\":[[\"a\"]]}}", "user-properties" },
    { "{\"subscriptions\":{}}", "subscriptions" },
    { "{\"subscriptions\":[1]}", "subscriptions" },
    { "{\"subscriptions\":[{\"qos\":1}]}", "filter" },
    { "{\"subscriptions\":[{\"filter\":\"a\",\"qos\":\"1\"}]}", "qos" },
    { "{\"subscriptions\":[{\"filter\":\"a\",\"retain-handling\":\"never\"}]}", "retain-handling" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, &error);
      g_autoptr(AntennaProfile) profile = NULL;

      g_test_message ("%s", cases[i].json);
      g_assert_no_error (error);

      profile = antenna_profile_new_from_json (node, &error);
      g_assert_null (profile);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
      if (cases[i].names != NULL)
        {
          g_autofree char *quoted = g_strdup_printf ("“%s”", cases[i].names);

          if (strstr (error->message, quoted) == NULL)
            g_error ("%s gave “%s”, which does not name %s", cases[i].json, error->message, quoted);
        }
    }
}

/* Properties */

static void
test_properties_json (void)
{
  static const struct {
    const char *json;
    const char *names;
  } bad[] = {
    { "[]", "properties" },
    { "\"text/plain\"", "properties" },
    { "{\"content-type\":1}", "content-type" },
    { "{\"payload-format\":\"1\"}", "payload-format" },
    { "{\"payload-format\":2}", "payload-format" },
    { "{\"response-topic\":[]}", "response-topic" },
    { "{\"correlation-data\":\"not base64!\"}", "correlation-data" },
    /* Strict: white space is not Base64 either. */
    { "{\"correlation-data\":\"AA EC\"}", "correlation-data" },
    { "{\"correlation-data\":\"AAE\"}", "correlation-data" },
    { "{\"message-expiry\":-1}", "message-expiry" },
    { "{\"message-expiry\":4294967296}", "message-expiry" },
    { "{\"message-expiry\":1.5}", "message-expiry" },
    { "{\"user-properties\":{}}", "user-properties" },
    { "{\"user-properties\":[[\"a\"]]}", "user-properties" },
    { "{\"user-properties\":[[\"a\",1]]}", "user-properties" },
    { "{\"user-properties\":[\"a\",\"b\"]}", "user-properties" },
  };
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  g_autoptr(AntennaProperties) read = NULL;
  g_autoptr(AntennaProperties) empty = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) nulls = NULL;
  g_autoptr(GError) error = NULL;

  props->content_type = g_strdup ("application/json");
  props->payload_format = 1;
  props->response_topic = g_strdup ("replies/antenna");
  props->correlation_data = g_bytes_new ("\x00\x01\x02", 3);
  props->message_expiry = G_MAXUINT32;
  antenna_properties_add_user_property (props, "site", "north");
  antenna_properties_add_user_property (props, "site", "south");

  node = antenna_properties_to_json (props);
  read = antenna_properties_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (antenna_properties_equal (read, props));

  /* Missing and null members are unset; unknown ones are ignored. */
  nulls = json_from_string ("{\"content-type\":null,\"payload-format\":null,\"correlation-data\":null,"
                            "\"user-properties\":null,\"newer\":{\"a\":1}}", &error);
  g_assert_no_error (error);
  empty = antenna_properties_new_from_json (nulls, &error);
  g_assert_no_error (error);
  g_assert_true (antenna_properties_is_empty (empty));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) bad_node = json_from_string (bad[i].json, &error);
      g_autoptr(AntennaProperties) none = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i].names);

      g_test_message ("%s", bad[i].json);
      g_assert_no_error (error);
      none = antenna_properties_new_from_json (bad_node, &error);
      g_assert_null (none);
      g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_PROFILE_CORRUPT);
      if (strstr (error->message, quoted) == NULL)
        g_error ("%s gave “%s”, which does not name %s", bad[i].json, error->message, quoted);
      g_clear_error (&error);
    }
}

/* Subscription */

static void
test_subscription_notify (void)
{
  g_autoptr(AntennaSubscription) sub = antenna_subscription_new ("a/+/c", 1);
  g_autoptr(AntennaSubscription) copy = NULL;
  Counter counter;

  g_assert_cmpstr (antenna_subscription_get_filter (sub), ==, "a/+/c");
  g_assert_cmpint (antenna_subscription_get_qos (sub), ==, 1);
  g_assert_cmpint (antenna_subscription_get_state (sub), ==, ANTENNA_SUBSCRIPTION_STATE_INACTIVE);
  g_assert_cmpint (antenna_subscription_get_granted_qos (sub), ==, -1);
  g_assert_null (antenna_subscription_get_error (sub));
  g_assert_null (antenna_subscription_get_color (sub));

  counter_watch (&counter, sub);

  antenna_subscription_set_qos (sub, 1);
  antenna_subscription_set_no_local (sub, FALSE);
  antenna_subscription_set_retain_as_published (sub, FALSE);
  antenna_subscription_set_retain_handling (sub, ANTENNA_RETAIN_HANDLING_SEND);
  antenna_subscription_set_color (sub, NULL);
  antenna_subscription_set_color (sub, "");
  antenna_subscription_set_paused (sub, FALSE);
  antenna_subscription_add_messages (sub, 0);
  _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_INACTIVE, -1, NULL);
  g_assert_cmpuint (g_hash_table_size (counter.notified), ==, 0);

  antenna_subscription_set_qos (sub, 2);
  antenna_subscription_set_no_local (sub, TRUE);
  antenna_subscription_set_retain_as_published (sub, TRUE);
  antenna_subscription_set_retain_handling (sub, ANTENNA_RETAIN_HANDLING_DO_NOT_SEND);
  antenna_subscription_set_color (sub, "#ffffff");
  antenna_subscription_set_color (sub, "#ffffff");
  antenna_subscription_set_paused (sub, TRUE);
  antenna_subscription_add_messages (sub, 5);
  antenna_subscription_add_messages (sub, 2);
  _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_REFUSED, -1, "Not authorised to subscribe.");
  _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_REFUSED, -1, "Not authorised to subscribe.");

  g_assert_cmpuint (counter_get (&counter, "qos"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "no-local"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "retain-as-published"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "retain-handling"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "color"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "paused"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "message-count"), ==, 2);
  g_assert_cmpuint (counter_get (&counter, "state"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "granted-qos"), ==, 0);
  g_assert_cmpuint (counter_get (&counter, "error"), ==, 1);
  g_assert_cmpuint (antenna_subscription_get_message_count (sub), ==, 7);
  g_assert_cmpstr (antenna_subscription_get_error (sub), ==, "Not authorised to subscribe.");

  counter_reset (&counter);
  _antenna_subscription_set_state (sub, ANTENNA_SUBSCRIPTION_STATE_ACTIVE, 1, NULL);
  g_assert_cmpuint (counter_get (&counter, "state"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "granted-qos"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "error"), ==, 1);
  g_assert_null (antenna_subscription_get_error (sub));

  /* Through the properties. */
  counter_reset (&counter);
  g_object_set (sub, "qos", 0, "paused", FALSE, NULL);
  g_object_set (sub, "qos", 0, "paused", FALSE, NULL);
  g_assert_cmpuint (counter_get (&counter, "qos"), ==, 1);
  g_assert_cmpuint (counter_get (&counter, "paused"), ==, 1);

  /* A copy takes the settings, not the live state. */
  copy = antenna_subscription_copy (sub);
  g_assert_cmpstr (antenna_subscription_get_filter (copy), ==, "a/+/c");
  g_assert_cmpint (antenna_subscription_get_qos (copy), ==, 0);
  g_assert_true (antenna_subscription_get_no_local (copy));
  g_assert_true (antenna_subscription_get_retain_as_published (copy));
  g_assert_cmpint (antenna_subscription_get_retain_handling (copy), ==, ANTENNA_RETAIN_HANDLING_DO_NOT_SEND);
  g_assert_cmpstr (antenna_subscription_get_color (copy), ==, "#ffffff");
  g_assert_cmpint (antenna_subscription_get_state (copy), ==, ANTENNA_SUBSCRIPTION_STATE_INACTIVE);
  g_assert_cmpuint (antenna_subscription_get_message_count (copy), ==, 0);

  counter_unwatch (&counter, sub);
}

/* Message */

static void
test_message_basics (void)
{
  g_autoptr(GBytes) payload = g_bytes_new ("hello\0world", 11);
  g_autoptr(AntennaProperties) props = antenna_properties_new ();
  g_autoptr(AntennaProperties) copy = NULL;
  g_autoptr(AntennaMessage) message = NULL;
  g_autoptr(AntennaMessage) bare = NULL;
  g_autofree char *topic = NULL;
  guint64 size;

  g_assert_true (antenna_properties_is_empty (props));
  g_assert_cmpint (props->payload_format, ==, -1);
  g_assert_cmpint (props->message_expiry, ==, -1);
  g_assert_nonnull (props->user_properties);
  g_assert_nonnull (props->subscription_ids);

  props->content_type = g_strdup ("text/plain");
  props->correlation_data = g_bytes_new ("id", 2);
  antenna_properties_add_user_property (props, "k", "v");
  {
    guint32 id = 7;
    g_array_append_val (props->subscription_ids, id);
  }
  g_assert_false (antenna_properties_is_empty (props));

  copy = antenna_properties_copy (props);
  g_assert_true (copy != props);
  g_assert_true (antenna_properties_equal (props, copy));
  antenna_properties_add_user_property (copy, "k2", NULL);
  g_assert_false (antenna_properties_equal (props, copy));
  g_assert_cmpstr (g_ptr_array_index (copy->user_properties, 3), ==, "");
  g_assert_false (antenna_properties_equal (props, NULL));
  g_assert_true (antenna_properties_equal (NULL, NULL));

  message = antenna_message_new ("a/b", payload, 2, TRUE, FALSE, ANTENNA_MESSAGE_SENT, 1234, props);
  g_assert_cmpstr (antenna_message_get_topic (message), ==, "a/b");
  g_assert_true (antenna_message_get_payload (message) == payload);
  g_assert_cmpuint (antenna_message_get_size (message), ==, 11);
  g_assert_cmpint (antenna_message_get_qos (message), ==, 2);
  g_assert_true (antenna_message_get_retain (message));
  g_assert_false (antenna_message_get_dup (message));
  g_assert_cmpint (antenna_message_get_direction (message), ==, ANTENNA_MESSAGE_SENT);
  g_assert_cmpint (antenna_message_get_timestamp (message), ==, 1234);
  g_assert_true (antenna_message_get_properties (message) == props);

  g_object_get (message, "topic", &topic, "size", &size, NULL);
  g_assert_cmpstr (topic, ==, "a/b");
  g_assert_cmpuint (size, ==, 11);

  bare = antenna_message_new ("x", NULL, 0, FALSE, TRUE, ANTENNA_MESSAGE_RECEIVED, 0, NULL);
  g_assert_cmpuint (antenna_message_get_size (bare), ==, 0);
  g_assert_nonnull (antenna_message_get_payload (bare));
  g_assert_true (antenna_message_get_dup (bare));
  g_assert_nonnull (antenna_message_get_properties (bare));
  g_assert_true (antenna_properties_is_empty (antenna_message_get_properties (bare)));

  /* The boxed type refs and unrefs. */
  {
    GValue value = G_VALUE_INIT;
    g_value_init (&value, ANTENNA_TYPE_PROPERTIES);
    g_value_set_boxed (&value, props);
    g_assert_true (g_value_get_boxed (&value) == props);
    g_value_unset (&value);
  }
}

/* Whether a password would go out unencrypted: the rule the app's warning
 * and antenna-cli's --allow-plaintext share. */
static void
test_profile_password_in_clear (void)
{
  static const struct {
    const char       *host;
    AntennaTransport  transport;
    gboolean          in_clear;
  } cases[] = {
    { "localhost", ANTENNA_TRANSPORT_TCP, FALSE },
    { "LocalHost", ANTENNA_TRANSPORT_WS, FALSE },
    { "", ANTENNA_TRANSPORT_TCP, FALSE },
    { "127.0.0.1", ANTENNA_TRANSPORT_TCP, FALSE },
    { "127.8.9.10", ANTENNA_TRANSPORT_TCP, FALSE },
    { "::1", ANTENNA_TRANSPORT_TCP, FALSE },
    { "broker.example", ANTENNA_TRANSPORT_TCP, TRUE },
    { "broker.example", ANTENNA_TRANSPORT_WS, TRUE },
    { "192.0.2.1", ANTENNA_TRANSPORT_TCP, TRUE },
    { "2001:db8::1", ANTENNA_TRANSPORT_WS, TRUE },
    { "localhost.example", ANTENNA_TRANSPORT_TCP, TRUE },
    { "broker.example", ANTENNA_TRANSPORT_TLS, FALSE },
    { "192.0.2.1", ANTENNA_TRANSPORT_WSS, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AntennaProfile) profile = antenna_profile_new ();

      antenna_profile_set_host (profile, cases[i].host);
      antenna_profile_set_transport (profile, cases[i].transport);
      g_assert_cmpint (antenna_profile_sends_password_in_clear (profile), ==, cases[i].in_clear);
    }
}

int
main (int   argc,
      char *argv[])
{
  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

  g_test_add_func ("/antenna/profile/defaults", test_profile_defaults);
  g_test_add_func ("/antenna/profile/transport-port", test_profile_transport_port);
  g_test_add_func ("/antenna/profile/notify-only-on-change", test_profile_notify_only_on_change);
  g_test_add_func ("/antenna/profile/subscriptions-changed", test_profile_subscriptions_changed);
  g_test_add_func ("/antenna/profile/uri/good", test_profile_uri_good);
  g_test_add_func ("/antenna/profile/uri/bad", test_profile_uri_bad);
  g_test_add_func ("/antenna/profile/addresses", test_profile_addresses);
  g_test_add_func ("/antenna/profile/display-name", test_profile_display_name);
  g_test_add_func ("/antenna/profile/password-in-clear", test_profile_password_in_clear);
  g_test_add_func ("/antenna/profile/json/round-trip", test_profile_json_round_trip);
  g_test_add_func ("/antenna/profile/json/missing-fields", test_profile_json_missing_fields);
  g_test_add_func ("/antenna/profile/json/wrong-types", test_profile_json_wrong_types);
  g_test_add_func ("/antenna/properties/json", test_properties_json);
  g_test_add_func ("/antenna/subscription/notify", test_subscription_notify);
  g_test_add_func ("/antenna/message/basics", test_message_basics);

  return g_test_run ();
}
