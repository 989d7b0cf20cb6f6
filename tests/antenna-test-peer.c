/* antenna-test-peer.c: mosquitto_pub and mosquitto_sub as independent peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-test-peer"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "antenna-test-peer.h"
#include "antenna-test-private.h"

#define SUB_TIMEOUT_MS     10000
#define PUB_TIMEOUT_MS     120000

typedef struct
{
  char       *topic;
  GBytes     *payload;
  gboolean    retain;
  char       *properties;
  GHashTable *property_table;
} SubMessage;

struct _AntennaTestSub
{
  GSubprocess      *process;
  GDataInputStream *output;
  GCancellable     *cancellable;
  GMainContext     *context;
  GPtrArray        *messages;
  char             *pending_properties;
  SubMessage       *pending;
  guint64           pending_length;
  struct _PayloadRead *payload_read;
  GString          *other_output;
  int               granted_qos;
  gboolean          subscribed;
  gboolean          eof;
};

/* mosquitto_pub ---------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  char     *output;
  GError   *error;
} Communicate;

static void
on_communicate_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &c->output, NULL, &c->error);
  c->done = TRUE;
}

static void
add_common_client_args (AntennaTestBroker *self,
                        GPtrArray         *argv)
{
  g_ptr_array_add (argv, g_strdup ("-h"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", self->mqtt_port));
  if (self->flags & ANTENNA_TEST_BROKER_AUTH)
    {
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup (self->username));
      g_ptr_array_add (argv, g_strdup ("-P"));
      g_ptr_array_add (argv, g_strdup (self->password));
    }
}

gboolean
antenna_test_pub_full (AntennaTestBroker   *self,
                       const char          *topic,
                       GBytes              *payload,
                       int                  qos,
                       gboolean             retain,
                       const char * const  *extra_args,
                       GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autofree char *tool = NULL;
  g_autofree char *payload_file = NULL;
  Communicate c = { FALSE, NULL, NULL };
  gboolean timed_out = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  g_return_val_if_fail (qos >= 0 && qos <= 2, FALSE);

  tool = _antenna_test_find_tool ("mosquitto_pub", "mosquitto-clients", error);
  if (tool == NULL)
    return FALSE;

  g_ptr_array_add (argv, g_strdup (tool));
  add_common_client_args (self, argv);
  g_ptr_array_add (argv, g_strdup ("-t"));
  g_ptr_array_add (argv, g_strdup (topic));
  g_ptr_array_add (argv, g_strdup ("-q"));
  g_ptr_array_add (argv, g_strdup_printf ("%d", qos));
  if (retain)
    g_ptr_array_add (argv, g_strdup ("-r"));

  if (payload == NULL || g_bytes_get_size (payload) == 0)
    g_ptr_array_add (argv, g_strdup ("-n"));
  else
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (payload, &size);

      payload_file = g_strdup_printf ("%s/payload-%u.bin", self->dir, self->n_payload_files++);
      if (!g_file_set_contents (payload_file, data, size, error))
        return FALSE;
      g_ptr_array_add (argv, g_strdup ("-f"));
      g_ptr_array_add (argv, g_strdup (payload_file));
    }

  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (process == NULL)
    goto out;
  _antenna_test_track_process (process, TRUE);

  /* Wait on a private context: the test's sources do not run meanwhile, and
   * a broker that was stopped with SIGSTOP cannot hang the test forever. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicate_cb, &c);
  timed_out = !_antenna_test_wait_on (context, _antenna_test_flag_is_set, &c.done, PUB_TIMEOUT_MS);
  if (timed_out)
    {
      g_subprocess_force_exit (process);
      _antenna_test_wait_on (context, _antenna_test_flag_is_set, &c.done, G_MAXUINT);
    }
  g_main_context_pop_thread_default (context);
  g_subprocess_wait (process, NULL, NULL);
  _antenna_test_track_process (process, FALSE);

  if (timed_out)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 "mosquitto_pub on “%s” did not finish within %d seconds",
                 topic, PUB_TIMEOUT_MS / 1000);
  else if (c.error != NULL)
    g_propagate_error (error, g_steal_pointer (&c.error));
  else if (!g_subprocess_get_successful (process))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "mosquitto_pub on “%s” failed: %s", topic,
                 c.output != NULL ? g_strstrip (c.output) : "");
  else
    ok = TRUE;

out:
  if (payload_file != NULL)
    g_unlink (payload_file);
  g_clear_error (&c.error);
  g_free (c.output);
  return ok;
}

gboolean
antenna_test_pub (AntennaTestBroker  *self,
                  const char         *topic,
                  GBytes             *payload,
                  int                 qos,
                  gboolean            retain,
                  GError            **error)
{
  return antenna_test_pub_full (self, topic, payload, qos, retain, NULL, error);
}

/* mosquitto_sub ---------------------------------------------------------- */

/* A header line per message (retain flag, payload length, topic last as it
 * may hold spaces), then the payload's raw bytes and a newline: %x (hex)
 * would be byte-exact too, but mosquitto_sub prints it at about 3 MB/s. With
 * -V 5 a line of properties comes first. */
#define SUB_FORMAT     "ANTENNA-MSG %r %l %t\\n%p"
#define SUB_FORMAT_V5  "ANTENNA-PROPS content-type=%C\\tmessage-expiry-interval=%E" \
                       "\\tresponse-topic=%R\\tcorrelation-data=%D\\tuser-property=%P" \
                       "\\tsubscription-identifier=%S\\tpayload-format-indicator=%F\\n" SUB_FORMAT

static void
sub_message_free (gpointer data)
{
  SubMessage *message = data;

  g_free (message->topic);
  g_bytes_unref (message->payload);
  g_free (message->properties);
  g_clear_pointer (&message->property_table, g_hash_table_unref);
  g_free (message);
}

static void
sub_handle_line (AntennaTestSub *sub,
                 char           *line)
{
  if (g_str_has_prefix (line, "ANTENNA-MSG "))
    {
      /* "ANTENNA-MSG <retain> <length> <topic>"; the payload follows. */
      char *p = line + strlen ("ANTENNA-MSG ");
      char *end = NULL;
      guint64 length;

      g_assert (p[0] == '0' || p[0] == '1');
      g_assert (p[1] == ' ');
      length = g_ascii_strtoull (p + 2, &end, 10);
      g_assert (end != NULL && *end == ' ');

      sub->pending = g_new0 (SubMessage, 1);
      sub->pending->retain = p[0] == '1';
      sub->pending->topic = g_strdup (end + 1);
      sub->pending->properties = g_steal_pointer (&sub->pending_properties);
      sub->pending_length = length;
    }
  else if (g_str_has_prefix (line, "ANTENNA-PROPS "))
    {
      g_free (sub->pending_properties);
      sub->pending_properties = g_strdup (line + strlen ("ANTENNA-PROPS "));
    }
  else if (g_str_has_prefix (line, "Subscribed (mid: "))
    {
      /* "Subscribed (mid: 1): 0" */
      const char *colon = strstr (line, "): ");

      if (colon != NULL)
        sub->granted_qos = (int) g_ascii_strtoll (colon + 3, NULL, 10);
      sub->subscribed = TRUE;
    }
  else if (!g_str_has_prefix (line, "Client "))
    {
      /* An error, e.g. "Connection error: Connection Refused: not authorised." */
      if (sub->other_output->len < 4096)
        g_string_append_printf (sub->other_output, "%s\n", line);
    }
}

/* The payload and its newline are in @data (pending_length + 1 bytes). */
static void
sub_take_payload (AntennaTestSub *sub,
                  guint8         *data)
{
  SubMessage *message = g_steal_pointer (&sub->pending);

  g_assert (data[sub->pending_length] == '\n');
  message->payload = g_bytes_new_take (data, sub->pending_length);
  g_ptr_array_add (sub->messages, message);
}

static void sub_read_next (AntennaTestSub *sub);

/* A payload read in flight owns its buffer: a read that GIO runs on a thread
 * may still write into it after the subscriber is freed. */
typedef struct _PayloadRead
{
  AntennaTestSub *sub;
  guint8         *buffer;
} PayloadRead;

static void
on_sub_payload_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PayloadRead *read = user_data;
  AntennaTestSub *sub = read->sub;
  gsize n_read = 0;

  g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n_read, &error);
  if (sub == NULL)
    {
      /* Freed meanwhile. */
      g_free (read->buffer);
      g_free (read);
      return;
    }

  sub->payload_read = NULL;
  if (error != NULL || n_read != sub->pending_length + 1)
    {
      g_free (read->buffer);
      g_free (read);
      sub->eof = TRUE;
      return;
    }
  sub_take_payload (sub, g_steal_pointer (&read->buffer));
  g_free (read);
  sub_read_next (sub);
}

static void
on_sub_line_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  AntennaTestSub *sub;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  sub = user_data;
  if (line == NULL)
    {
      sub->eof = TRUE;
      return;
    }
  sub_handle_line (sub, line);
  sub_read_next (sub);
}

static void
sub_read_next (AntennaTestSub *sub)
{
  GBufferedInputStream *buffered = G_BUFFERED_INPUT_STREAM (sub->output);

  /* Take what is already buffered without a trip through the main loop for
   * each line: a flood of messages would otherwise crawl. */
  for (;;)
    {
      gsize available = 0;
      const guint8 *data = g_buffered_input_stream_peek_buffer (buffered, &available);

      if (sub->pending != NULL)
        {
          guint8 *payload;

          if (available < sub->pending_length + 1)
            {
              sub->payload_read = g_new0 (PayloadRead, 1);
              sub->payload_read->sub = sub;
              sub->payload_read->buffer = g_malloc (sub->pending_length + 1);
              g_input_stream_read_all_async (G_INPUT_STREAM (sub->output),
                                             sub->payload_read->buffer,
                                             sub->pending_length + 1, G_PRIORITY_DEFAULT,
                                             sub->cancellable, on_sub_payload_cb,
                                             sub->payload_read);
              return;
            }
          payload = g_malloc (sub->pending_length + 1);
          memcpy (payload, data, sub->pending_length + 1);
          g_input_stream_skip (G_INPUT_STREAM (sub->output), sub->pending_length + 1, NULL, NULL);
          sub_take_payload (sub, payload);
        }
      else
        {
          g_autofree char *line = NULL;

          if (available == 0 || memchr (data, '\n', available) == NULL)
            break;
          line = g_data_input_stream_read_line (sub->output, NULL, NULL, NULL);
          if (line == NULL)
            break;
          sub_handle_line (sub, line);
        }
    }

  g_data_input_stream_read_line_async (sub->output, G_PRIORITY_DEFAULT, sub->cancellable,
                                       on_sub_line_cb, sub);
}

static gboolean
sub_subscribed_or_ended (gpointer user_data)
{
  AntennaTestSub *sub = user_data;

  return sub->subscribed || sub->eof;
}

typedef struct
{
  AntennaTestSub *sub;
  guint           n;
} SubWait;

static gboolean
sub_received_or_ended (gpointer user_data)
{
  SubWait *wait = user_data;

  return wait->sub->messages->len >= wait->n || wait->sub->eof;
}

AntennaTestSub *
antenna_test_sub_start_full (AntennaTestBroker   *self,
                             const char          *filter,
                             int                  qos,
                             gboolean             v5,
                             const char * const  *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tool = NULL;
  g_autofree char *stdbuf = NULL;
  AntennaTestSub *sub;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (qos >= 0 && qos <= 2, NULL);

  tool = _antenna_test_find_tool ("mosquitto_sub", "mosquitto-clients", &error);
  if (tool == NULL)
    g_error ("%s", error->message);
  stdbuf = _antenna_test_find_tool ("stdbuf", "coreutils", &error);
  if (stdbuf == NULL)
    g_error ("%s", error->message);

  /* stdbuf: mosquitto_sub flushes the messages it prints, but not the
   * "Subscribed" line of -d that tells us the subscription is in place. */
  g_ptr_array_add (argv, g_strdup (stdbuf));
  g_ptr_array_add (argv, g_strdup ("-oL"));
  g_ptr_array_add (argv, g_strdup (tool));
  add_common_client_args (self, argv);
  g_ptr_array_add (argv, g_strdup ("-t"));
  g_ptr_array_add (argv, g_strdup (filter));
  g_ptr_array_add (argv, g_strdup ("-q"));
  g_ptr_array_add (argv, g_strdup_printf ("%d", qos));
  g_ptr_array_add (argv, g_strdup ("-V"));
  g_ptr_array_add (argv, g_strdup (v5 ? "5" : "311"));
  g_ptr_array_add (argv, g_strdup ("-d"));
  g_ptr_array_add (argv, g_strdup ("-F"));
  g_ptr_array_add (argv, g_strdup (v5 ? SUB_FORMAT_V5 : SUB_FORMAT));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  sub = g_new0 (AntennaTestSub, 1);
  sub->messages = g_ptr_array_new_with_free_func (sub_message_free);
  sub->other_output = g_string_new (NULL);
  sub->cancellable = g_cancellable_new ();
  sub->context = g_main_context_ref_thread_default ();
  sub->granted_qos = -1;

  launcher = antenna_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  sub->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (sub->process == NULL)
    g_error ("Cannot start mosquitto_sub: %s", error->message);
  _antenna_test_track_process (sub->process, TRUE);

  sub->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sub->process));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (sub->output), 256 * 1024);
  sub_read_next (sub);

  _antenna_test_wait_on (sub->context, sub_subscribed_or_ended, sub, SUB_TIMEOUT_MS);
  if (!sub->subscribed)
    g_error ("mosquitto_sub on “%s” (port %u) %s: %s", filter, self->mqtt_port,
             sub->eof ? "exited before it subscribed" : "did not subscribe within 10 seconds",
             sub->other_output->str);
  return sub;
}

AntennaTestSub *
antenna_test_sub_start (AntennaTestBroker *self,
                        const char        *filter,
                        int                qos,
                        gboolean           v5)
{
  return antenna_test_sub_start_full (self, filter, qos, v5, NULL);
}

int
antenna_test_sub_get_granted_qos (AntennaTestSub *sub)
{
  g_return_val_if_fail (sub != NULL, -1);
  return sub->granted_qos;
}

guint
antenna_test_sub_wait (AntennaTestSub *sub,
                       guint           n,
                       guint           timeout_ms)
{
  SubWait wait = { sub, n };

  g_return_val_if_fail (sub != NULL, 0);

  _antenna_test_wait_on (sub->context, sub_received_or_ended, &wait, timeout_ms);
  return sub->messages->len;
}

guint
antenna_test_sub_get_n_messages (AntennaTestSub *sub)
{
  g_return_val_if_fail (sub != NULL, 0);
  return sub->messages->len;
}

static SubMessage *
sub_get_message (AntennaTestSub *sub,
                 guint           i)
{
  g_assert (sub != NULL);
  g_assert_cmpuint (i, <, sub->messages->len);
  return g_ptr_array_index (sub->messages, i);
}

const char *
antenna_test_sub_get_topic (AntennaTestSub *sub,
                            guint           i)
{
  return sub_get_message (sub, i)->topic;
}

GBytes *
antenna_test_sub_get_payload (AntennaTestSub *sub,
                              guint           i)
{
  return sub_get_message (sub, i)->payload;
}

gboolean
antenna_test_sub_get_retain (AntennaTestSub *sub,
                             guint           i)
{
  return sub_get_message (sub, i)->retain;
}

const char *
antenna_test_sub_get_properties (AntennaTestSub *sub,
                                 guint           i)
{
  return sub_get_message (sub, i)->properties;
}

const char *
antenna_test_sub_get_property (AntennaTestSub *sub,
                               guint           i,
                               const char     *name)
{
  SubMessage *message = sub_get_message (sub, i);
  const char *value;

  if (message->properties == NULL)
    return NULL;

  if (message->property_table == NULL)
    {
      g_auto(GStrv) fields = g_strsplit (message->properties, "\t", -1);

      message->property_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint f = 0; fields[f] != NULL; f++)
        {
          char *eq = strchr (fields[f], '=');

          if (eq != NULL)
            g_hash_table_insert (message->property_table,
                                 g_strndup (fields[f], eq - fields[f]),
                                 g_strdup (eq + 1));
        }
    }

  value = g_hash_table_lookup (message->property_table, name);
  return (value != NULL && *value != '\0') ? value : NULL;
}

void
antenna_test_sub_free (AntennaTestSub *sub)
{
  if (sub == NULL)
    return;

  if (sub->payload_read != NULL)
    sub->payload_read->sub = NULL;
  g_cancellable_cancel (sub->cancellable);
  if (sub->process != NULL)
    {
      g_subprocess_force_exit (sub->process);
      g_subprocess_wait (sub->process, NULL, NULL);
      _antenna_test_track_process (sub->process, FALSE);
    }
  g_clear_object (&sub->process);
  g_clear_object (&sub->output);
  g_clear_object (&sub->cancellable);
  g_clear_pointer (&sub->context, g_main_context_unref);
  g_ptr_array_unref (sub->messages);
  g_string_free (sub->other_output, TRUE);
  g_free (sub->pending_properties);
  g_clear_pointer (&sub->pending, sub_message_free);
  g_free (sub);
}
