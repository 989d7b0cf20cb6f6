/* antenna-load-link.c: the load generator's own connection to a broker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything runs on the main loop that made the link, each dispatch
 * bounded: one read of at most READ_CHUNK bytes and the packets in it, or
 * encoding and writing at most WRITE_ROUNDS × WRITE_CHUNK bytes. Messages
 * wait in their batches until the broker's Receive Maximum lets them go;
 * a QoS 1 or 2 message is then remembered by its packet id until its
 * PUBACK (or PUBREC, PUBREL, PUBCOMP), a QoS 0 message until the write
 * that holds its last byte has gone. A batch completes when all its
 * messages have.
 */
#define G_LOG_DOMAIN "antenna-load-link"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <glib/gi18n.h>

#include "antenna-client-private.h"
#include "antenna-error.h"
#include "antenna-load-link.h"
#include "antenna-mqtt-codec-private.h"
#include "antenna-profile.h"

/* Encoded before a write: large writes, few system calls, and the broker
 * reads many packets at once. */
#define WRITE_CHUNK (256 * 1024)
#define WRITE_ROUNDS 4
#define READ_CHUNK (256 * 1024)
#define N_PACKET_IDS 65536
/* MQTT's largest packet: a remaining length of 268,435,455 bytes. */
#define MAX_REMAINING 268435455u

enum {
  CONNACK = 2, PUBLISH = 3, PUBACK = 4, PUBREC = 5, PUBREL = 6, PUBCOMP = 7,
  SUBSCRIBE = 8, SUBACK = 9, PINGREQ = 12, PINGRESP = 13, DISCONNECT = 14,
};

typedef struct
{
  GTask   *task;
  guint    n;
  guint    next;       /* the first message not encoded yet */
  guint    open;       /* neither completed nor failed */
  guint    completed;
  guint    failed;
  GError  *error;      /* the first failure's */
  int      qos;
  char   **topics;
  GBytes **payloads;   /* dropped once encoded */
} Batch;

/* QoS 0: @n messages of @batch are done once @end bytes have been written. */
typedef struct
{
  guint64  end;
  Batch   *batch;
  guint    n;
} Mark;

struct _AntennaLoadLink
{
  GObject                     parent_instance;

  /* Owned References */
  char                       *host;
  char                       *address;       /* "host:port", for sentences */
  char                       *client_id;
  char                       *username;
  char                       *password;      /* wiped when dropped */
  GSocketConnection          *connection;   /* NULL: not (or no longer) connected */
  GTlsDatabase               *database;     /* the profile's CA file, or NULL */
  GTlsCertificate            *certificate;  /* the profile's client certificate, or NULL */
  char                      **alpn;
  GSource                    *read_source;
  GSource                    *write_source;
  GTask                      *connect_task;
  GTask                      *subscribe_task;
  GByteArray                 *in;
  GByteArray                 *out;
  GQueue                      batches;       /* Batch, with messages to encode */
  GQueue                      marks;         /* Mark */
  Batch                     **ids;           /* packet id → its batch */
  GError                     *lost;

  /* Unowned References */
  GSocket                    *socket;        /* the connection's */
  GPollableInputStream       *input;         /* the connection's, through TLS when used */
  GPollableOutputStream      *output;
  AntennaLoadLinkReceiveFunc  receive_func;
  gpointer                    receive_data;

  guint                       port;
  int                         version;       /* 4: MQTT 3.1.1, 5 */
  guint                       keepalive;     /* s */
  guint                       connect_timeout;
  gsize                       in_start;
  gsize                       out_start;
  guint64                     out_written;   /* bytes, since connected */
  guint64                     out_encoded;
  guint                       in_flight;
  guint                       receive_maximum;
  guint                       maximum_qos;
  guint32                     maximum_packet_size;
  guint16                     next_id;
  guint16                     subscribe_id;
  gint64                      last_sent_us;
  gint64                      ping_sent_us;
  guint                       keepalive_id;
  guint                       timeout_id;
  gboolean                    connected;
  gboolean                    tls;
  gboolean                    verify_hostname;
  gboolean                    allow_insecure;
};

G_DEFINE_FINAL_TYPE (AntennaLoadLink, antenna_load_link, G_TYPE_OBJECT)

/* In the id table while the SUBSCRIBE waits for its SUBACK. */
static Batch subscribing;

static void pump (AntennaLoadLink *self);

/* ---- batches ---- */

static void
batch_free (Batch *batch)
{
  for (guint i = batch->next; i < batch->n; i++)
    g_clear_pointer (&batch->payloads[i], g_bytes_unref);
  g_free (batch->payloads);
  g_strfreev (batch->topics);
  g_clear_error (&batch->error);
  g_clear_object (&batch->task);
  g_free (batch);
}

/* All its messages completed or failed: the batch's task returns. */
static void
batch_settle (Batch *batch)
{
  GTask *task;
  guint *counts;

  if (batch->open > 0)
    return;
  task = g_steal_pointer (&batch->task);
  counts = g_new (guint, 2);
  counts[0] = batch->completed;
  counts[1] = batch->failed;
  g_task_set_task_data (task, counts, g_free);
  if (batch->error != NULL)
    g_task_return_error (task, g_steal_pointer (&batch->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  batch_free (batch);
}

static void
batch_done (Batch  *batch,
            guint   completed,
            guint   failed,
            GError *error)
{
  batch->completed += completed;
  batch->failed += failed;
  batch->open -= completed + failed;
  if (error != NULL && batch->error == NULL)
    batch->error = error;
  else if (error != NULL)
    g_error_free (error);
}

/* ---- the end of the connection ---- */

static void
stop_sources (AntennaLoadLink *self)
{
  if (self->read_source != NULL)
    g_source_destroy (self->read_source);
  g_clear_pointer (&self->read_source, g_source_unref);
  if (self->write_source != NULL)
    g_source_destroy (self->write_source);
  g_clear_pointer (&self->write_source, g_source_unref);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

/* Every message not completed fails with @error (taken), and so does what
 * is handed from now on. */
static void
lose (AntennaLoadLink *self,
      GError          *error)
{
  GQueue settle = G_QUEUE_INIT;
  Batch *batch;
  Mark *mark;

  if (self->lost != NULL)
    {
      g_error_free (error);
      return;
    }
  /* the tasks' callbacks may drop the last other reference */
  g_object_ref (self);
  self->lost = error;
  self->connected = FALSE;
  stop_sources (self);
  g_byte_array_set_size (self->in, 0);
  g_byte_array_set_size (self->out, 0);
  self->in_start = self->out_start = 0;
  /* the socket itself: a TLS close would wait for the broker to read */
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->connection);
  self->socket = NULL;
  self->input = NULL;
  self->output = NULL;

  if (self->connect_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

      g_task_return_error (task, g_error_copy (error));
    }
  if (self->subscribe_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->subscribe_task);

      g_task_return_error (task, g_error_copy (error));
    }

  for (guint id = 1; id < N_PACKET_IDS; id++)
    if (self->ids[id] == &subscribing)
      self->ids[id] = NULL;
    else if (self->ids[id] != NULL)
      {
        batch = g_steal_pointer (&self->ids[id]);
        batch_done (batch, 0, 1, g_error_copy (error));
        if (g_queue_find (&settle, batch) == NULL)
          g_queue_push_tail (&settle, batch);
      }
  self->in_flight = 0;
  while ((mark = g_queue_pop_head (&self->marks)) != NULL)
    {
      batch_done (mark->batch, 0, mark->n, g_error_copy (error));
      if (g_queue_find (&settle, mark->batch) == NULL)
        g_queue_push_tail (&settle, mark->batch);
      g_free (mark);
    }
  while ((batch = g_queue_pop_head (&self->batches)) != NULL)
    {
      batch_done (batch, 0, batch->n - batch->next, g_error_copy (error));
      for (; batch->next < batch->n; batch->next++)
        g_clear_pointer (&batch->payloads[batch->next], g_bytes_unref);
      if (g_queue_find (&settle, batch) == NULL)
        g_queue_push_tail (&settle, batch);
    }
  while ((batch = g_queue_pop_head (&settle)) != NULL)
    batch_settle (batch);
  g_object_unref (self);
}

static void
lose_with (AntennaLoadLink *self,
           int              code,
           const char      *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
lose_with (AntennaLoadLink *self,
           int              code,
           const char      *format,
           ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  lose (self, g_error_new_literal (ANTENNA_ERROR, code, text));
}

static void
lose_protocol (AntennaLoadLink *self)
{
  lose_with (self, ANTENNA_ERROR_CONNECTION_LOST,
             _("The connection to %s was closed: the broker sent a packet the load test does not understand."),
             self->address);
}

/* ---- writing ---- */

static guint8 *
out_reserve (AntennaLoadLink *self,
             gsize            len)
{
  gsize at = self->out->len;

  g_byte_array_set_size (self->out, at + len);
  return self->out->data + at;
}

/* A packet of a packet id only (PUBACK, PUBREC, PUBREL, PUBCOMP). */
static void
queue_ack (AntennaLoadLink *self,
           guint8           header,
           guint16          id)
{
  guint8 *p = out_reserve (self, 4);

  *p++ = header;
  *p++ = 2;
  _antenna_mqtt_put_u16 (p, id);
}

static void
queue_connect (AntennaLoadLink *self)
{
  gsize id_len = strlen (self->client_id);
  gsize user_len = self->username != NULL ? strlen (self->username) : 0;
  gsize pass_len = self->password != NULL ? strlen (self->password) : 0;
  guint8 flags = 0x02;   /* clean start: a load test keeps no session */
  guint32 remaining = 10 + (self->version == 5 ? 1 : 0) + 2 + id_len;
  guint8 *p;

  if (user_len > 0)
    {
      flags |= 0x80;
      remaining += 2 + user_len;
      if (self->password != NULL)
        {
          flags |= 0x40;
          remaining += 2 + pass_len;
        }
    }

  p = out_reserve (self, 1 + _antenna_mqtt_varint_size (remaining) + remaining);
  *p++ = 0x10;
  p = _antenna_mqtt_put_varint (p, remaining);
  p = _antenna_mqtt_put_string (p, "MQTT", 4);
  *p++ = self->version;
  *p++ = flags;
  p = _antenna_mqtt_put_u16 (p, self->keepalive);
  if (self->version == 5)
    *p++ = 0;   /* no properties */
  p = _antenna_mqtt_put_string (p, self->client_id, id_len);
  if (flags & 0x80)
    p = _antenna_mqtt_put_string (p, self->username, user_len);
  if (flags & 0x40)
    _antenna_mqtt_put_string (p, self->password, pass_len);
}

static guint16
take_packet_id (AntennaLoadLink *self,
                Batch           *batch)
{
  /* in_flight < receive_maximum ≤ 65535: a free id is there */
  do
    self->next_id = self->next_id == N_PACKET_IDS - 1 ? 1 : self->next_id + 1;
  while (self->ids[self->next_id] != NULL);
  self->ids[self->next_id] = batch;
  self->in_flight++;
  return self->next_id;
}

static gboolean
window_open (AntennaLoadLink *self,
             int              qos)
{
  return qos == 0 || self->in_flight < self->receive_maximum;
}

/* Encodes messages of the first batches into the output, up to
 * WRITE_CHUNK bytes and the broker's Receive Maximum. */
static void
encode (AntennaLoadLink *self)
{
  Batch *batch;

  while (self->out->len - self->out_start < WRITE_CHUNK &&
         (batch = g_queue_peek_head (&self->batches)) != NULL &&
         window_open (self, batch->qos))
    {
      const char *topic = batch->topics[batch->next];
      GBytes *payload = batch->payloads[batch->next];
      gsize topic_len = strlen (topic);
      gsize size = g_bytes_get_size (payload);
      guint64 remaining = 2 + topic_len + (batch->qos > 0 ? 2 : 0) + (self->version == 5 ? 1 : 0) + size;
      guint8 *p;

      if (remaining > MAX_REMAINING ||
          (self->maximum_packet_size > 0 && 1 + _antenna_mqtt_varint_size (remaining) + remaining > self->maximum_packet_size))
        {
          g_autofree char *formatted = g_format_size (size);

          batch_done (batch, 0, 1, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PAYLOAD_TOO_LARGE,
                                                _("A message of %s is larger than %s takes."),
                                                formatted, self->address));
        }
      else
        {
          p = out_reserve (self, 1 + _antenna_mqtt_varint_size (remaining) + remaining);
          *p++ = 0x30 | (batch->qos << 1);
          p = _antenna_mqtt_put_varint (p, remaining);
          p = _antenna_mqtt_put_string (p, topic, topic_len);
          if (batch->qos > 0)
            p = _antenna_mqtt_put_u16 (p, take_packet_id (self, batch));
          if (self->version == 5)
            *p++ = 0;
          memcpy (p, g_bytes_get_data (payload, NULL), size);
          self->out_encoded = self->out_written + (self->out->len - self->out_start);

          if (batch->qos == 0)
            {
              Mark *mark = g_queue_peek_tail (&self->marks);

              if (mark == NULL || mark->batch != batch)
                {
                  mark = g_new0 (Mark, 1);
                  mark->batch = batch;
                  g_queue_push_tail (&self->marks, mark);
                }
              mark->end = self->out_encoded;
              mark->n++;
            }
        }
      g_clear_pointer (&batch->payloads[batch->next], g_bytes_unref);

      if (++batch->next == batch->n)
        {
          g_queue_pop_head (&self->batches);
          batch_settle (batch);   /* when all of it failed here */
        }
    }
}

/* QoS 0 messages whose bytes are all written are done. */
static void
settle_marks (AntennaLoadLink *self)
{
  Mark *mark;

  while ((mark = g_queue_peek_head (&self->marks)) != NULL && mark->end <= self->out_written)
    {
      g_queue_pop_head (&self->marks);
      batch_done (mark->batch, mark->n, 0, NULL);
      batch_settle (mark->batch);
      g_free (mark);
    }
}

static gboolean
on_writable_cb (GObject  *stream,
                gpointer  user_data)
{
  g_autoptr(AntennaLoadLink) self = g_object_ref (user_data);

  g_clear_pointer (&self->write_source, g_source_unref);
  pump (self);
  return G_SOURCE_REMOVE;
}

/* Writes what is encoded; FALSE when the socket takes no more now (or the
 * connection is lost). */
static gboolean
flush (AntennaLoadLink *self)
{
  while (self->out_start < self->out->len)
    {
      g_autoptr(GError) error = NULL;
      gssize sent = g_pollable_output_stream_write_nonblocking (self->output, self->out->data + self->out_start,
                                                                self->out->len - self->out_start, NULL, &error);

      if (sent < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return FALSE;
      if (sent < 0)
        {
          lose_with (self, ANTENNA_ERROR_CONNECTION_LOST, _("The connection to %s was lost: %s"),
                     self->address, error->message);
          return FALSE;
        }
      self->out_start += sent;
      self->out_written += sent;
      self->last_sent_us = g_get_monotonic_time ();
    }
  g_byte_array_set_size (self->out, 0);
  self->out_start = 0;
  return TRUE;
}

/* Encode and write, a bounded amount; what is left waits for the socket. */
static void
pump (AntennaLoadLink *self)
{
  gboolean drained = TRUE;

  if (self->connection == NULL)
    return;

  for (guint round = 0; round < WRITE_ROUNDS && drained; round++)
    {
      if (self->connected)
        encode (self);
      if (self->out->len == self->out_start)
        break;
      drained = flush (self);
      if (self->connection != NULL)
        settle_marks (self);
      if (self->connection == NULL)
        return;   /* lost, or closed by a batch's callback */
    }

  if (self->write_source == NULL &&
      (!drained || (self->connected && g_queue_peek_head (&self->batches) != NULL &&
                    window_open (self, ((Batch *) g_queue_peek_head (&self->batches))->qos))))
    {
      /* the socket is full, or there is more to encode: when it is writable */
      self->write_source = g_pollable_output_stream_create_source (self->output, NULL);
      g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_writable_cb), self, NULL);
      g_source_set_static_name (self->write_source, "[antenna] load link write");
      g_source_attach (self->write_source, NULL);
    }
}

/* ---- reading ---- */

static void
on_keepalive_cb (gpointer user_data);

static void
on_connack (AntennaLoadLink   *self,
            AntennaMqttReader *r)
{
  g_autoptr(GTask) task = NULL;
  g_auto(AntennaMqttProperties) props = ANTENNA_MQTT_PROPERTIES_INIT;
  guint8 code;

  if (self->connect_task == NULL || r->end - r->p < 2)
    {
      lose_protocol (self);
      return;
    }
  code = r->p[1];
  r->p += 2;
  if (self->version == 5 && !_antenna_mqtt_read_properties (r, &props))
    {
      lose_protocol (self);
      return;
    }
  if (code != 0)
    {
      g_autofree char *reason = NULL;

      if (self->version == 5)
        reason = _antenna_client_format_reason (code, props.reason_string);
      else
        /* TRANSLATORS: an MQTT 3.1.1 CONNACK return code */
        reason = g_strdup_printf (_("return code %u"), code);
      lose_with (self, ANTENNA_ERROR_CONNECTION_REFUSED, _("Connection refused by %s: %s."),
                 self->address, reason);
      return;
    }

  self->connected = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (props.receive_maximum > 0)
    self->receive_maximum = props.receive_maximum;
  if (props.maximum_qos >= 0)
    self->maximum_qos = props.maximum_qos;
  if (props.maximum_packet_size > 0)
    self->maximum_packet_size = props.maximum_packet_size;
  if (props.server_keepalive >= 0)
    self->keepalive = props.server_keepalive;
  if (self->keepalive > 0)
    self->keepalive_id = g_timeout_add_once (1000, on_keepalive_cb, self);
  task = g_steal_pointer (&self->connect_task);
  g_task_return_boolean (task, TRUE);
}

/* PUBACK, PUBREC, PUBCOMP: an answer to one of ours. */
static void
on_answer (AntennaLoadLink   *self,
           int                type,
           AntennaMqttReader *r)
{
  g_auto(AntennaMqttProperties) props = ANTENNA_MQTT_PROPERTIES_INIT;
  guint8 reason = 0;
  guint16 id;
  Batch *batch;

  if (!_antenna_mqtt_read_u16 (r, &id) || id == 0 || (batch = self->ids[id]) == NULL || batch == &subscribing)
    {
      lose_protocol (self);
      return;
    }
  if (r->p < r->end)
    {
      reason = *r->p++;
      if (!_antenna_mqtt_read_properties (r, &props))
        {
          lose_protocol (self);
          return;
        }
    }

  if (type == PUBREC && reason < 0x80)
    {
      queue_ack (self, 0x62, id);   /* PUBREL; the id stays taken until PUBCOMP */
      return;
    }

  self->ids[id] = NULL;
  self->in_flight--;
  if (reason >= 0x80)
    {
      g_autofree char *text = _antenna_client_format_reason (reason, props.reason_string);

      batch_done (batch, 0, 1, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_PUBLISH_REFUSED,
                                            _("%s refused a message: %s."), self->address, text));
    }
  else
    batch_done (batch, 1, 0, NULL);
  batch_settle (batch);
}

static void
on_publish (AntennaLoadLink   *self,
            guint8             flags,
            AntennaMqttReader *r)
{
  int qos = (flags >> 1) & 3;
  guint16 topic_len;
  guint16 id = 0;
  const char *topic;
  AntennaMqttProperties props = ANTENNA_MQTT_PROPERTIES_INIT;

  if (!_antenna_mqtt_read_u16 (r, &topic_len) || r->end - r->p < topic_len || qos == 3)
    {
      lose_protocol (self);
      return;
    }
  topic = (const char *) r->p;
  r->p += topic_len;
  if (qos > 0 && !_antenna_mqtt_read_u16 (r, &id))
    {
      lose_protocol (self);
      return;
    }
  if (self->version == 5)
    {
      /* an empty properties block is not optional in PUBLISH */
      if (r->p == r->end || !_antenna_mqtt_read_properties (r, &props))
        {
          _antenna_mqtt_properties_clear (&props);
          lose_protocol (self);
          return;
        }
      _antenna_mqtt_properties_clear (&props);
    }

  if (self->receive_func != NULL)
    self->receive_func (topic, topic_len, r->p, r->end - r->p, self->receive_data);
  if (qos == 1)
    queue_ack (self, 0x40, id);        /* PUBACK */
  else if (qos == 2)
    queue_ack (self, 0x50, id);        /* PUBREC */
}

static void
on_suback (AntennaLoadLink   *self,
           AntennaMqttReader *r)
{
  g_autoptr(GTask) task = NULL;
  g_auto(AntennaMqttProperties) props = ANTENNA_MQTT_PROPERTIES_INIT;
  guint16 id;

  if (!_antenna_mqtt_read_u16 (r, &id) || id != self->subscribe_id || self->subscribe_task == NULL ||
                               (self->version == 5 && !_antenna_mqtt_read_properties (r, &props)) || r->p >= r->end)
    {
      lose_protocol (self);
      return;
    }
  self->ids[id] = NULL;
  task = g_steal_pointer (&self->subscribe_task);
  if (*r->p >= 0x80)
    {
      g_autofree char *reason = self->version == 5 ? _antenna_client_format_reason (*r->p, props.reason_string)
                                                   : g_strdup_printf (_("return code 0x%02X"), *r->p);

      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_SUBSCRIPTION_REFUSED,
                               _("%s refused the subscription: %s."), self->address, reason);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_disconnect (AntennaLoadLink   *self,
               AntennaMqttReader *r)
{
  g_auto(AntennaMqttProperties) props = ANTENNA_MQTT_PROPERTIES_INIT;
  guint8 reason = r->p < r->end ? *r->p++ : 0;
  g_autofree char *text = NULL;

  _antenna_mqtt_read_properties (r, &props);
  text = _antenna_client_format_reason (reason, props.reason_string);
  lose_with (self, ANTENNA_ERROR_SERVER_DISCONNECTED, _("%s closed the connection: %s."), self->address, text);
}

static void
on_packet (AntennaLoadLink   *self,
           guint8             header,
           AntennaMqttReader *r)
{
  guint16 id;

  switch (header >> 4)
    {
    case CONNACK:    on_connack (self, r); break;
    case PUBLISH:    on_publish (self, header & 0x0f, r); break;
    case PUBACK:
    case PUBREC:
    case PUBCOMP:    on_answer (self, header >> 4, r); break;
    case PUBREL:
      if (!_antenna_mqtt_read_u16 (r, &id))
        lose_protocol (self);
      else
        queue_ack (self, 0x70, id);  /* PUBCOMP */
      break;
    case SUBACK:     on_suback (self, r); break;
    case PINGRESP:   self->ping_sent_us = 0; break;
    case DISCONNECT: on_disconnect (self, r); break;
    default:         lose_protocol (self); break;
    }
}

/* The whole packets in the input; FALSE when the connection is lost. */
static gboolean
parse (AntennaLoadLink *self)
{
  while (self->connection != NULL)
    {
      AntennaMqttReader r = { self->in->data + self->in_start, self->in->data + self->in->len };
      guint32 remaining;
      guint8 header;

      if (r.p == r.end)
        break;
      header = *r.p++;
      if (!_antenna_mqtt_read_varint (&r, &remaining))
        {
          if (r.end - r.p >= 4)
            lose_protocol (self);
          break;
        }
      if ((gsize) (r.end - r.p) < remaining)
        break;   /* the rest of it comes with the next reads */
      r.end = r.p + remaining;
      self->in_start = r.end - self->in->data;
      on_packet (self, header, &r);
    }

  if (self->connection == NULL)
    return FALSE;
  /* keep what is left of a packet at the start */
  if (self->in_start > 0)
    {
      memmove (self->in->data, self->in->data + self->in_start, self->in->len - self->in_start);
      g_byte_array_set_size (self->in, self->in->len - self->in_start);
      self->in_start = 0;
    }
  return TRUE;
}

/* Up to READ_CHUNK bytes (TLS gives a record a read), then the packets. */
static gboolean
on_readable_cb (GObject  *stream,
                gpointer  user_data)
{
  g_autoptr(AntennaLoadLink) self = g_object_ref (user_data);
  g_autoptr(GError) error = NULL;
  gsize total = 0;
  gssize got = 0;

  while (total < READ_CHUNK)
    {
      gsize at = self->in->len;

      g_byte_array_set_size (self->in, at + READ_CHUNK - total);
      got = g_pollable_input_stream_read_nonblocking (self->input, self->in->data + at, READ_CHUNK - total,
                                                      NULL, &error);
      g_byte_array_set_size (self->in, at + MAX (got, 0));
      if (got <= 0)
        break;
      total += got;
    }

  if (got == 0 || (got < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
    {
      if (got == 0)
        lose_with (self, ANTENNA_ERROR_CONNECTION_LOST, _("%s closed the connection."), self->address);
      else
        lose_with (self, ANTENNA_ERROR_CONNECTION_LOST, _("The connection to %s was lost: %s"),
                   self->address, error->message);
      return G_SOURCE_REMOVE;
    }

  if (total > 0 && parse (self))
    pump (self);   /* the answers, and what the freed window lets go */
  return self->read_source != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* ---- keepalive ---- */

static void
on_keepalive_cb (gpointer user_data)
{
  AntennaLoadLink *self = user_data;
  gint64 now = g_get_monotonic_time ();

  self->keepalive_id = 0;
  if (self->ping_sent_us > 0 && now - self->ping_sent_us > (gint64) self->keepalive * G_USEC_PER_SEC)
    {
      lose_with (self, ANTENNA_ERROR_CONNECTION_LOST,
                 _("%s did not answer within the keepalive (%u s)."), self->address, self->keepalive);
      return;
    }
  /* a ping when nothing went out for half the keepalive */
  if (self->ping_sent_us == 0 && now - self->last_sent_us >= (gint64) self->keepalive * G_USEC_PER_SEC / 2)
    {
      guint8 *p = out_reserve (self, 2);

      p[0] = PINGREQ << 4;
      p[1] = 0;
      self->ping_sent_us = now;
      pump (self);
    }
  self->keepalive_id = g_timeout_add_once (1000, on_keepalive_cb, self);
}

/* ---- connecting ---- */

static void
on_connect_timeout_cb (gpointer user_data)
{
  AntennaLoadLink *self = user_data;

  self->timeout_id = 0;
  lose_with (self, ANTENNA_ERROR_TIMEOUT, _("%s did not answer within %u s."), self->address,
             self->connect_timeout);
}

/* As Paho is told (antenna-client-connect.c): no check at all when
 * insecure, the chain without the host name when that is off. */
static gboolean
on_accept_certificate_cb (GTlsConnection       *connection,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          AntennaLoadLink      *self)
{
  if (self->allow_insecure)
    return TRUE;
  return !self->verify_hostname && (errors & ~G_TLS_CERTIFICATE_BAD_IDENTITY) == 0;
}

static void
on_client_event_cb (GSocketClient      *client,
                    GSocketClientEvent  event,
                    GSocketConnectable *connectable,
                    GIOStream          *connection,
                    AntennaLoadLink    *self)
{
  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING)
    return;

  if (self->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), self->database);
  if (self->certificate != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (connection), self->certificate);
  if (self->alpn != NULL)
    g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (connection), (const char * const *) self->alpn);
  g_signal_connect_object (connection, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), self, 0);
}

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AntennaLoadLink) self = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (self->connect_task == NULL)
    {
      g_clear_object (&connection);
      return;   /* timed out or closed meanwhile */
    }
  if (connection == NULL)
    {
      lose_with (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? ANTENNA_ERROR_FAILED
                                                                                : ANTENNA_ERROR_UNREACHABLE,
                 _("Could not reach %s: %s"), self->address, error->message);
      return;
    }

  self->connection = connection;
  self->socket = g_socket_connection_get_socket (connection);
  self->input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  self->output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (G_IO_STREAM (connection)));
  /* the link gathers its packets itself: nothing to gain from Nagle */
  g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  self->read_source = g_pollable_input_stream_create_source (self->input, NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_readable_cb), self, NULL);
  g_source_set_static_name (self->read_source, "[antenna] load link read");
  g_source_attach (self->read_source, NULL);

  queue_connect (self);
  pump (self);
}

/* ---- GObject ---- */

static void
antenna_load_link_dispose (GObject *object)
{
  antenna_load_link_close (ANTENNA_LOAD_LINK (object));

  G_OBJECT_CLASS (antenna_load_link_parent_class)->dispose (object);
}

static void
antenna_load_link_finalize (GObject *object)
{
  AntennaLoadLink *self = ANTENNA_LOAD_LINK (object);

  g_free (self->host);
  g_free (self->address);
  g_free (self->client_id);
  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_clear_error (&self->lost);
  g_clear_object (&self->database);
  g_clear_object (&self->certificate);
  g_strfreev (self->alpn);
  g_byte_array_unref (self->in);
  g_byte_array_unref (self->out);
  g_free (self->ids);

  G_OBJECT_CLASS (antenna_load_link_parent_class)->finalize (object);
}

static void
antenna_load_link_class_init (AntennaLoadLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = antenna_load_link_dispose;
  object_class->finalize = antenna_load_link_finalize;
}

static void
antenna_load_link_init (AntennaLoadLink *self)
{
  self->in = g_byte_array_sized_new (READ_CHUNK);
  self->out = g_byte_array_sized_new (WRITE_CHUNK + 4096);
  self->ids = g_new0 (Batch *, N_PACKET_IDS);
  self->receive_maximum = 65535;
  self->maximum_qos = 2;
}

/* ---- public API ---- */

gboolean
antenna_load_link_can_stand_for (AntennaClient  *client,
                                 char          **reason)
{
  AntennaProfile *profile;
  AntennaTransport transport;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), FALSE);

  profile = antenna_client_get_profile (client);

  /* for A/B measurements (bench/run-loadgen) */
  if (g_strcmp0 (g_getenv ("ANTENNA_LOAD_LINK"), "0") == 0)
    {
      if (reason != NULL)
        *reason = g_strdup ("ANTENNA_LOAD_LINK=0");
      return FALSE;
    }
  transport = antenna_profile_get_transport (profile);
  if (transport != ANTENNA_TRANSPORT_TCP && transport != ANTENNA_TRANSPORT_TLS)
    {
      if (reason != NULL)
        *reason = g_strdup (_("the load test’s own connections do not speak MQTT over WebSockets"));
      return FALSE;
    }
  if (antenna_profile_get_auth_method (profile) == ANTENNA_AUTH_METHOD_AZURE_SAS)
    {
      if (reason != NULL)
        *reason = g_strdup (_("an Azure SAS token is made for the connection’s own client id"));
      return FALSE;
    }
  if (transport == ANTENNA_TRANSPORT_TLS && antenna_profile_tls_key_needs_passphrase (profile))
    {
      if (reason != NULL)
        *reason = g_strdup (_("the load test’s own connections cannot use a client key protected by a passphrase"));
      return FALSE;
    }
  if (client->proxy != NULL)
    {
      if (reason != NULL)
        *reason = g_strdup (_("the load test’s own connections do not go through a proxy"));
      return FALSE;
    }
  if (!_antenna_client_is_connected (client))
    {
      if (reason != NULL)
        *reason = g_strdup (_("it is not connected"));
      return FALSE;
    }
  return TRUE;
}

/* The profile's TLS files, read now: what GIO cannot read (where Paho,
 * through OpenSSL, could) leaves the test to the client. */
static gboolean
prepare_tls (AntennaLoadLink  *self,
             AntennaProfile   *profile,
             char            **reason)
{
  const char *ca_file = antenna_profile_get_tls_ca_file (profile);
  const char *cert_file = antenna_profile_get_tls_cert_file (profile);
  const char *key_file = antenna_profile_get_tls_key_file (profile);
  const char *alpn = antenna_profile_get_tls_alpn (profile);
  g_autoptr(GError) error = NULL;

  self->tls = TRUE;
  self->verify_hostname = antenna_profile_get_tls_verify_hostname (profile);
  self->allow_insecure = antenna_profile_get_tls_allow_insecure (profile);
  if (ca_file != NULL && *ca_file != '\0' &&
      (self->database = g_tls_file_database_new (ca_file, &error)) == NULL)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("its own connections cannot read the CA file: %s"), error->message);
      return FALSE;
    }
  if (cert_file != NULL && *cert_file != '\0' &&
      (self->certificate = g_tls_certificate_new_from_files (cert_file, key_file != NULL && *key_file != '\0'
                                                                       ? key_file : cert_file,
                                                             &error)) == NULL)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("its own connections cannot read the client certificate: %s"),
                                   error->message);
      return FALSE;
    }
  if (alpn != NULL && *alpn != '\0')
    {
      self->alpn = g_strsplit (alpn, ",", -1);
      for (guint i = 0; self->alpn[i] != NULL; i++)
        g_strstrip (self->alpn[i]);
    }
  return TRUE;
}

AntennaLoadLink *
antenna_load_link_new_like (AntennaClient  *client,
                            const char     *client_id,
                            char          **reason)
{
  AntennaProfile *profile;
  AntennaLoadLink *self;

  g_return_val_if_fail (ANTENNA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  if (!antenna_load_link_can_stand_for (client, reason))
    return NULL;

  profile = antenna_client_get_profile (client);
  self = g_object_new (ANTENNA_TYPE_LOAD_LINK, NULL);
  if (antenna_profile_get_transport (profile) == ANTENNA_TRANSPORT_TLS && !prepare_tls (self, profile, reason))
    {
      g_object_unref (self);
      return NULL;
    }
  self->host = g_strdup (antenna_profile_get_host (profile));
  self->port = antenna_profile_get_port (profile);
  self->address = g_strdup_printf ("%s:%u", self->host, self->port);
  self->client_id = g_strdup (client_id);
  self->username = g_strdup (antenna_profile_get_username (profile));
  self->password = g_strdup (client->password);
  self->version = antenna_client_get_mqtt_version (client) == ANTENNA_MQTT_VERSION_5 ? 5 : 4;
  self->keepalive = MIN (antenna_profile_get_keepalive (profile), G_MAXUINT16);
  self->connect_timeout = MAX (antenna_profile_get_connect_timeout (profile), 1);
  return self;
}

void
antenna_load_link_connect_async (AntennaLoadLink     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = NULL;

  g_return_if_fail (ANTENNA_IS_LOAD_LINK (self));
  g_return_if_fail (self->connect_task == NULL && self->connection == NULL && self->lost == NULL);

  self->connect_task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->connect_task, antenna_load_link_connect_async);
  /* as the connection it stands for: direct (antenna_load_link_new_like()) */
  g_socket_client_set_enable_proxy (client, FALSE);
  if (self->tls)
    {
      g_socket_client_set_tls (client, TRUE);
      g_signal_connect_object (client, "event", G_CALLBACK (on_client_event_cb), self, 0);
    }
  self->timeout_id = g_timeout_add_once (self->connect_timeout * 1000, on_connect_timeout_cb, self);
  address = g_network_address_new (self->host, self->port);
  g_socket_client_connect_async (client, address, cancellable, on_connected_cb, g_object_ref (self));
}

gboolean
antenna_load_link_connect_finish (AntennaLoadLink  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
antenna_load_link_publish_many_async (AntennaLoadLink     *self,
                                      guint                n,
                                      const char * const  *topics,
                                      GBytes * const      *payloads,
                                      int                  qos,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Batch *batch;

  g_return_if_fail (ANTENNA_IS_LOAD_LINK (self));
  g_return_if_fail (n > 0 && topics != NULL && payloads != NULL);
  g_return_if_fail (qos >= 0 && qos <= 2);

  batch = g_new0 (Batch, 1);
  batch->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (batch->task, antenna_load_link_publish_many_async);
  batch->n = batch->open = n;
  batch->qos = qos;
  batch->topics = g_new (char *, n + 1);
  batch->payloads = g_new (GBytes *, n);
  for (guint i = 0; i < n; i++)
    {
      batch->topics[i] = g_strdup (topics[i]);
      batch->payloads[i] = g_bytes_ref (payloads[i]);
    }
  batch->topics[n] = NULL;

  if (!self->connected || (guint) qos > self->maximum_qos)
    {
      GError *error = self->lost != NULL
                      ? g_error_copy (self->lost)
                      : !self->connected
                      ? g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED,
                                     _("The load test’s connection to %s is not open."), self->address)
                      : g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                                     _("%s takes messages at QoS %u at most."), self->address,
                                     self->maximum_qos);

      batch_done (batch, 0, n, error);
      batch->next = n;
      for (guint i = 0; i < n; i++)
        g_clear_pointer (&batch->payloads[i], g_bytes_unref);
      batch_settle (batch);
      return;
    }

  g_queue_push_tail (&self->batches, batch);
  pump (self);
}

gboolean
antenna_load_link_publish_many_finish (AntennaLoadLink  *self,
                                       GAsyncResult     *result,
                                       guint            *completed,
                                       guint            *failed,
                                       GError          **error)
{
  const guint *counts;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* batch_settle() left the batch's counts with its task */
  counts = g_task_get_task_data (G_TASK (result));

  if (completed != NULL)
    *completed = counts[0];
  if (failed != NULL)
    *failed = counts[1];
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
antenna_load_link_subscribe_async (AntennaLoadLink            *self,
                                   const char                 *filter,
                                   int                         qos,
                                   AntennaLoadLinkReceiveFunc  func,
                                   gpointer                    user_data,
                                   GAsyncReadyCallback         callback,
                                   gpointer                    callback_data)
{
  gsize len;
  guint32 remaining;
  guint8 *p;

  g_return_if_fail (ANTENNA_IS_LOAD_LINK (self));
  g_return_if_fail (filter != NULL && qos >= 0 && qos <= 2);
  g_return_if_fail (self->subscribe_task == NULL);

  self->subscribe_task = g_task_new (self, NULL, callback, callback_data);
  g_task_set_source_tag (self->subscribe_task, antenna_load_link_subscribe_async);
  if (!self->connected)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->subscribe_task);

      g_task_return_new_error (task, ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED,
                               _("The load test’s connection to %s is not open."), self->address);
      return;
    }

  self->receive_func = func;
  self->receive_data = user_data;
  do
    self->next_id = self->next_id == N_PACKET_IDS - 1 ? 1 : self->next_id + 1;
  while (self->ids[self->next_id] != NULL);
  self->subscribe_id = self->next_id;
  self->ids[self->subscribe_id] = &subscribing;

  len = strlen (filter);
  remaining = 2 + (self->version == 5 ? 1 : 0) + 2 + len + 1;
  p = out_reserve (self, 1 + _antenna_mqtt_varint_size (remaining) + remaining);
  *p++ = (SUBSCRIBE << 4) | 0x02;
  p = _antenna_mqtt_put_varint (p, remaining);
  p = _antenna_mqtt_put_u16 (p, self->subscribe_id);
  if (self->version == 5)
    *p++ = 0;
  p = _antenna_mqtt_put_string (p, filter, len);
  *p = qos;   /* MQTT 5: no-local off — the load test wants its own messages */
  pump (self);
}

gboolean
antenna_load_link_subscribe_finish (AntennaLoadLink  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const GError *
antenna_load_link_get_error (AntennaLoadLink *self)
{
  g_return_val_if_fail (ANTENNA_IS_LOAD_LINK (self), NULL);

  return self->lost;
}

gboolean
antenna_load_link_is_open (AntennaLoadLink *self)
{
  g_return_val_if_fail (ANTENNA_IS_LOAD_LINK (self), FALSE);

  return self->lost == NULL;
}

void
antenna_load_link_close (AntennaLoadLink *self)
{
  g_return_if_fail (ANTENNA_IS_LOAD_LINK (self));

  if (self->lost != NULL)
    return;
  if (self->connected)
    {
      guint8 *p = out_reserve (self, 2);

      /* best effort: what the socket takes now, DISCONNECT last */
      p[0] = DISCONNECT << 4;
      p[1] = 0;
      flush (self);
    }
  if (self->lost == NULL)
    lose (self, g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_NOT_CONNECTED,
                             _("The load test’s connection to %s was closed."), self->address));
}
