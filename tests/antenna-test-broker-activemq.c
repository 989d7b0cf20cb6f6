/* antenna-test-broker-activemq.c: Debian's ActiveMQ Classic as a private test broker
 *
 * An instance of its own under the broker's temporary directory (conf/,
 * data/, lib/, tmp/): one MQTT transport connector on a free loopback port,
 * no JMX, no persistence, and a simpleAuthenticationPlugin with the test's
 * user beside anonymous access. Debian's package does not pull in the MQTT
 * codec its transport needs (org.fusesource.mqtt, libmqtt-client-java):
 * without that jar in the instance's lib/ the port accepts connections and
 * never answers a CONNECT. Debian ships no WebSocket transport for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-broker"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "antenna-test-private.h"

#define ACTIVEMQ_HOME     "/usr/share/activemq"
#define ACTIVEMQ_JAR      ACTIVEMQ_HOME "/bin/activemq.jar"
#define MQTT_CODEC_JAR    "/usr/share/java/mqtt-client.jar"
#define ACTIVEMQ_START_TIMEOUT_S  90
/* The log line of the MQTT connector, once it listens. */
#define ACTIVEMQ_READY    "Connector mqtt started"

static gboolean
write_activemq_config (AntennaTestBroker  *self,
                       GError            **error)
{
  g_autofree char *activemq_xml = g_build_filename (self->dir, "conf", "activemq.xml", NULL);
  g_autofree char *log4j = g_build_filename (self->dir, "conf", "log4j.properties", NULL);
  g_autofree char *username = g_markup_escape_text (self->username, -1);
  g_autofree char *password = g_markup_escape_text (self->password, -1);
  g_autofree char *xml = NULL;
  g_autofree char *properties = NULL;

  xml = g_strdup_printf ("<!-- Written by tests/antenna-test-broker-activemq.c -->\n"
                         "<beans xmlns=\"http://www.springframework.org/schema/beans\"\n"
                         "  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                         "  xsi:schemaLocation=\"http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd\n"
                         "  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd\">\n"
                         "  <broker xmlns=\"http://activemq.apache.org/schema/core\" brokerName=\"antenna-test\"\n"
                         "          dataDirectory=\"%s/data\" useJmx=\"false\" persistent=\"false\" advisorySupport=\"false\">\n"
                         "    <plugins>\n"
                         "      <simpleAuthenticationPlugin anonymousAccessAllowed=\"true\">\n"
                         "        <users>\n"
                         "          <authenticationUser username=\"%s\" password=\"%s\" groups=\"users\"/>\n"
                         "        </users>\n"
                         "      </simpleAuthenticationPlugin>\n"
                         "    </plugins>\n"
                         "    <transportConnectors>\n"
                         "      <transportConnector name=\"mqtt\" uri=\"mqtt://127.0.0.1:%u?transport.maxFrameSize=268435456\"/>\n"
                         "    </transportConnectors>\n"
                         "  </broker>\n"
                         "</beans>\n",
                         self->dir, username, password, self->port);
  /* Debian's build logs through log4j 1.2. */
  properties = g_strdup_printf ("log4j.rootLogger=INFO, logfile\n"
                                "log4j.appender.logfile=org.apache.log4j.FileAppender\n"
                                "log4j.appender.logfile.file=%s\n"
                                "log4j.appender.logfile.layout=org.apache.log4j.PatternLayout\n"
                                "log4j.appender.logfile.layout.ConversionPattern=%%d | %%-5p | %%m | %%c | %%t%%n\n",
                                self->log_file);

  return g_file_set_contents (activemq_xml, xml, -1, error) &&
         g_file_set_contents (log4j, properties, -1, error);
}

static gboolean
make_instance (AntennaTestBroker  *self,
               GError            **error)
{
  const char *subdirs[] = { "conf", "data", "lib", "tmp" };
  g_autofree char *codec = g_build_filename (self->dir, "lib", "mqtt-client.jar", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (self->dir, subdirs[i], NULL);

      if (g_mkdir_with_parents (path, 0700) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot make %s", path);
          return FALSE;
        }
    }

  if (!g_file_test (codec, G_FILE_TEST_EXISTS) && symlink (MQTT_CODEC_JAR, codec) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot link %s into %s", MQTT_CODEC_JAR, codec);
      return FALSE;
    }
  return TRUE;
}

static gboolean
spawn_activemq (AntennaTestBroker  *self,
                gboolean           *address_in_use,
                GError            **error)
{
  g_autofree char *java = NULL;
  g_autofree char *output_file = g_build_filename (self->dir, "activemq.stdout", NULL);
  g_autofree char *tmpdir = g_strdup_printf ("-Djava.io.tmpdir=%s/tmp", self->dir);
  g_autofree char *base = g_strdup_printf ("-Dactivemq.base=%s", self->dir);
  g_autofree char *conf = g_strdup_printf ("-Dactivemq.conf=%s/conf", self->dir);
  g_autofree char *data = g_strdup_printf ("-Dactivemq.data=%s/data", self->dir);
  g_autofree char *log4j = g_strdup_printf ("-Dlog4j.configuration=file:%s/conf/log4j.properties", self->dir);
  g_autofree char *xbean = g_strdup_printf ("xbean:file:%s/conf/activemq.xml", self->dir);

  *address_in_use = FALSE;

  java = _antenna_test_find_tool ("java", "default-jre-headless", error);
  if (java == NULL)
    return FALSE;

  {
    const char *argv[] = {
      java, "-Xmx1g", tmpdir, "-Dactivemq.home=" ACTIVEMQ_HOME, base, conf, data, log4j,
      "-jar", ACTIVEMQ_JAR, "start", xbean, NULL
    };

    self->process = _antenna_test_spawn (self, output_file, NULL, argv, error);
  }
  return self->process != NULL &&
         _antenna_test_wait_ready (self, &self->process, "ActiveMQ", ACTIVEMQ_READY, &self->port, 1,
                                   ACTIVEMQ_START_TIMEOUT_S, output_file, "Address already in use",
                                   address_in_use, error);
}

/* Starts the instance and waits until its MQTT connector listens. */
gboolean
_antenna_test_start_activemq (AntennaTestBroker  *self,
                              GError            **error)
{
  if (!g_file_test (ACTIVEMQ_JAR, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "ActiveMQ is not installed: install the Debian package activemq "
                   "(build-aux/deps --test does it)");
      return FALSE;
    }
  if (!g_file_test (MQTT_CODEC_JAR, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "ActiveMQ's MQTT transport needs %s: install the Debian package "
                   "libmqtt-client-java (build-aux/deps --test does it)", MQTT_CODEC_JAR);
      return FALSE;
    }

  g_free (self->log_file);
  self->log_file = g_build_filename (self->dir, "data", "activemq.log", NULL);
  if (!make_instance (self, error))
    return FALSE;

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean address_in_use = FALSE;

      if (!_antenna_test_pick_free_ports (&self->port, 1, error) ||
          !write_activemq_config (self, error))
        return FALSE;
      self->mqtt_port = self->port;

      if (spawn_activemq (self, &address_in_use, &local_error))
        return TRUE;
      if (!address_in_use || attempt + 1 >= 3)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}
