/* antenna-test-broker-rabbitmq.c: Debian's RabbitMQ as a private test broker
 *
 * A node of its own under the broker's temporary directory: its HOME (the
 * Erlang cookie), database, logs, configuration and enabled plugins
 * (rabbitmq_mqtt, rabbitmq_web_mqtt) all there, listeners and Erlang
 * distribution on free loopback ports, and an epmd of its own on another
 * (epmd outlives the nodes it serves: ours is a child we stop). The scripts of
 * /usr/lib/rabbitmq/bin run directly: those of /usr/sbin su to the rabbitmq
 * user. With RABBITMQ_ALLOW_INPUT the script execs the Erlang VM, so the VM
 * is the process we started and dies with the test (PR_SET_PDEATHSIG);
 * -noinput keeps it from reading its standard input all the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-broker"

#include "config.h"

#include <string.h>

#include "antenna-test-private.h"

#define RABBITMQ_SERVER   "/usr/lib/rabbitmq/bin/rabbitmq-server"
/* The first start of a node makes its database: ~5-12 s here, more on a
 * loaded machine. */
#define RABBITMQ_START_TIMEOUT_S  120
#define EPMD_START_TIMEOUT_S      10
/* The log line that says every listener (MQTT, Web MQTT) is up. */
#define RABBITMQ_READY    "Server startup complete"

enum { EPMD, DIST, MQTT, WS, AMQP, N_PORTS };

static gboolean
write_rabbitmq_config (AntennaTestBroker  *self,
                       const guint        *ports,
                       GError            **error)
{
  g_autofree char *config_file = g_build_filename (self->dir, "rabbitmq.conf", NULL);
  g_autofree char *plugins_file = g_build_filename (self->dir, "enabled_plugins", NULL);
  g_autoptr(GString) config = g_string_new ("# Written by tests/antenna-test-broker-rabbitmq.c\n");

  g_string_append_printf (config, "listeners.tcp.1 = 127.0.0.1:%u\n", ports[AMQP]);
  g_string_append_printf (config, "mqtt.listeners.tcp.1 = 127.0.0.1:%u\n", ports[MQTT]);
  g_string_append_printf (config, "web_mqtt.tcp.ip = 127.0.0.1\nweb_mqtt.tcp.port = %u\n", ports[WS]);
  /* The user (made at the first start), which anonymous MQTT clients are too. */
  g_string_append_printf (config, "default_user = %s\ndefault_pass = %s\n", self->username, self->password);
  g_string_append (config, "mqtt.allow_anonymous = true\n");
  g_string_append_printf (config, "mqtt.default_user = %s\nmqtt.default_pass = %s\n",
                          self->username, self->password);
  g_string_append (config, "loopback_users = none\n");
  /* A test machine's disk may be nearly full: never block publishers for it. */
  g_string_append (config, "disk_free_limit.absolute = 1\n");
  g_string_append (config, "log.console = false\nlog.file.level = info\n");

  return g_file_set_contents (config_file, config->str, config->len, error) &&
         g_file_set_contents (plugins_file, "[rabbitmq_mqtt,rabbitmq_web_mqtt].\n", -1, error);
}

/* Our own epmd, in the foreground, so that it is a child we can stop. */
static gboolean
spawn_epmd (AntennaTestBroker  *self,
            guint               port,
            GError            **error)
{
  g_autofree char *epmd = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *output_file = g_build_filename (self->dir, "epmd.log", NULL);

  epmd = _antenna_test_find_tool ("epmd", "erlang-base", error);
  if (epmd == NULL)
    return FALSE;

  {
    const char *argv[] = { epmd, "-address", "127.0.0.1", "-port", port_text, NULL };

    self->helper = _antenna_test_spawn (self, output_file, NULL, argv, error);
  }
  return self->helper != NULL &&
         _antenna_test_wait_ready (self, &self->helper, "RabbitMQ's epmd", NULL, &port, 1,
                                   EPMD_START_TIMEOUT_S, output_file, "eaddrinuse", NULL, error);
}

static gboolean
spawn_rabbitmq (AntennaTestBroker  *self,
                const guint        *ports,
                gboolean           *address_in_use,
                GError            **error)
{
  g_autofree char *node = g_strdup_printf ("antenna_%u@localhost", ports[MQTT]);
  g_autofree char *output_file = g_build_filename (self->dir, "rabbitmq.stdout", NULL);
  g_autofree char *config = g_build_filename (self->dir, "rabbitmq.conf", NULL);
  g_autofree char *plugins = g_build_filename (self->dir, "enabled_plugins", NULL);
  g_autofree char *advanced = g_build_filename (self->dir, "advanced.config", NULL);
  g_autofree char *conf_env = g_build_filename (self->dir, "rabbitmq-env.conf", NULL);
  g_autofree char *home = g_build_filename (self->dir, "home", NULL);
  g_autofree char *mnesia = g_build_filename (self->dir, "mnesia", NULL);
  g_autofree char *logs = g_build_filename (self->dir, "log", NULL);
  g_autofree char *epmd_port = g_strdup_printf ("%u", ports[EPMD]);
  g_autofree char *dist_port = g_strdup_printf ("%u", ports[DIST]);
  const char *envp[] = {
    "RABBITMQ_CONFIG_FILE", config,
    "RABBITMQ_ENABLED_PLUGINS_FILE", plugins,
    /* neither exists: nothing of /etc/rabbitmq is read */
    "RABBITMQ_ADVANCED_CONFIG_FILE", advanced,
    "RABBITMQ_CONF_ENV_FILE", conf_env,
    "HOME", home,  /* the Erlang cookie */
    /* Erlang looks in XDG_CONFIG_HOME/erlang first, and fails on the
     * /dev/null that GLib's isolated tests give it. */
    "XDG_CONFIG_HOME", home,
    "RABBITMQ_MNESIA_BASE", mnesia,
    "RABBITMQ_LOG_BASE", logs,
    "RABBITMQ_NODENAME", node,
    "ERL_EPMD_PORT", epmd_port,
    "RABBITMQ_DIST_PORT", dist_port,
    /* the script execs the VM, which is then the process we started */
    "RABBITMQ_ALLOW_INPUT", "1",
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-noinput -start_epmd false",
    NULL
  };
  const char *argv[] = { RABBITMQ_SERVER, NULL };
  const char *dirs[] = { home, mnesia, logs };
  guint listeners[] = { ports[MQTT], ports[WS] };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (g_mkdir_with_parents (dirs[i], 0700) != 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot make %s", dirs[i]);
        return FALSE;
      }

  g_free (self->log_file);
  self->log_file = g_strdup_printf ("%s/%s.log", logs, node);

  self->process = _antenna_test_spawn (self, output_file, envp, argv, error);
  return self->process != NULL &&
         _antenna_test_wait_ready (self, &self->process, "RabbitMQ", RABBITMQ_READY, listeners, 2,
                                   RABBITMQ_START_TIMEOUT_S, output_file, "eaddrinuse", address_in_use, error);
}

/* Starts the node and waits until its MQTT and Web MQTT listeners are up.
 * The ports it picks may be taken meanwhile: then it tries new ones. */
gboolean
_antenna_test_start_rabbitmq (AntennaTestBroker  *self,
                              GError            **error)
{
  if (!g_file_test (RABBITMQ_SERVER, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "RabbitMQ is not installed: install the Debian package rabbitmq-server "
                   "(build-aux/deps --test does it)");
      return FALSE;
    }

  /* rabbitmq.conf is read as Latin-1: a password with "ü" there never
   * matches the UTF-8 one a client sends. */
  g_free (self->password);
  self->password = g_strdelimit (g_uuid_string_random (), "-", 'x');

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean address_in_use = FALSE;
      guint ports[N_PORTS];

      if (!_antenna_test_pick_free_ports (ports, N_PORTS, error) ||
          !write_rabbitmq_config (self, ports, error))
        return FALSE;

      if (spawn_epmd (self, ports[EPMD], &local_error) &&
          spawn_rabbitmq (self, ports, &address_in_use, &local_error))
        {
          self->port = self->mqtt_port = ports[MQTT];
          self->ws_port = ports[WS];
          return TRUE;
        }

      if (self->helper != NULL)
        {
          _antenna_test_stop_process (self->helper, 0);
          g_clear_object (&self->helper);
        }
      if (!address_in_use || attempt + 1 >= 3)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}
