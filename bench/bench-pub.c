/* bench-pub.c: the flooding publisher of the ingest benchmark
 *
 * Speaks MQTT 3.1.1 over a plain socket, writing PUBLISH packets in 256 KiB
 * batches, so that on a 2-core machine the publisher takes as little CPU as
 * possible from the broker and the subscriber being measured (a library
 * publisher makes one send() per message). At QoS 1 it keeps up to 65,535
 * messages in flight, matches every PUBACK to its packet id and exits only
 * when all are acknowledged; at QoS 0 it sends DISCONNECT after the last
 * message and waits for the broker to close the connection, which mosquitto
 * does after it has routed everything before it.
 *
 * Payload of message i: i as 10 ASCII digits, then 'x' up to the size.
 * Topic of message i: <prefix><i % topics>.
 *
 * Prints one line of key=value pairs; times are g_get_real_time() µs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-bench-pub"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#define OUT_CHUNK (256 * 1024)
#define MAX_PACKET_ID 65535

static char    *opt_host = NULL;
static int      opt_port = 1883;
static int      opt_qos = 0;
static gint64   opt_count = 200000;
static gint64   opt_size = 64;
static int      opt_topics = 1000;
static char    *opt_prefix = NULL;
static char    *opt_client_id = NULL;
static int      opt_window = MAX_PACKET_ID;
static int      opt_timeout = 120;
static gint64   opt_rate = 0;
static gint64   rate_start_us = 0;

static GOptionEntry entries[] = {
  { "host", 'H', 0, G_OPTION_ARG_STRING, &opt_host, "Broker host (127.0.0.1)", "HOST" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Broker port (1883)", "PORT" },
  { "qos", 'q', 0, G_OPTION_ARG_INT, &opt_qos, "QoS 0 or 1 (0)", "QOS" },
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count, "Messages to publish (200000)", "N" },
  { "size", 's', 0, G_OPTION_ARG_INT64, &opt_size, "Payload bytes (64)", "BYTES" },
  { "topics", 't', 0, G_OPTION_ARG_INT, &opt_topics, "Number of topics (1000)", "T" },
  { "prefix", 'P', 0, G_OPTION_ARG_STRING, &opt_prefix, "Topic prefix (bench/t/)", "PREFIX" },
  { "id", 'i', 0, G_OPTION_ARG_STRING, &opt_client_id, "Client id (bench-pub-<pid>)", "ID" },
  { "window", 'w', 0, G_OPTION_ARG_INT, &opt_window, "QoS 1 messages in flight (65535)", "N" },
  { "timeout", 'T', 0, G_OPTION_ARG_INT, &opt_timeout, "Give up after this many seconds (120)", "S" },
  { "rate", 'r', 0, G_OPTION_ARG_INT64, &opt_rate, "At most this many messages per second (0: as fast as possible)", "N" },
  { NULL }
};

typedef struct
{
  int      fd;

  /* Bytes to write: a growing buffer, then optionally a large payload
   * written straight from its own memory. */
  guint8  *out;
  gsize    out_len;
  gsize    out_off;
  gsize    out_cap;
  const guint8 *big;
  gsize    big_len;
  gsize    big_off;

  guint8   in[4096];
  gsize    in_len;

  guint8  *payload;
  gint64   next;
  gint64   acked;
  guint    inflight;
  guint16  next_id;
  guint8   used[MAX_PACKET_ID + 1];
} Pub;

static void
die (const char *what)
{
  fprintf (stderr, "bench-pub: %s: %s\n", what, g_strerror (errno));
  exit (2);
}

static void
out_reserve (Pub   *pub,
             gsize  extra)
{
  if (pub->out_len + extra <= pub->out_cap)
    return;
  while (pub->out_len + extra > pub->out_cap)
    pub->out_cap = MAX (pub->out_cap * 2, OUT_CHUNK);
  pub->out = g_realloc (pub->out, pub->out_cap);
}

static gsize
encode_length (guint8 *p,
               gsize   len)
{
  gsize n = 0;

  do
    {
      guint8 b = len % 128;
      len /= 128;
      if (len > 0)
        b |= 0x80;
      p[n++] = b;
    }
  while (len > 0);

  return n;
}

static void
append_u16 (guint8  *p,
            guint16  v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
write_all_blocking (int           fd,
                    const guint8 *data,
                    gsize         len)
{
  while (len > 0)
    {
      ssize_t w = write (fd, data, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        die ("write");
      data += w;
      len -= w;
    }
}

static void
read_exact_blocking (int     fd,
                     guint8 *data,
                     gsize   len)
{
  while (len > 0)
    {
      ssize_t r = read (fd, data, len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        die ("read");
      if (r == 0)
        {
          fprintf (stderr, "bench-pub: the broker closed the connection during CONNECT\n");
          exit (2);
        }
      data += r;
      len -= r;
    }
}

static int
connect_to (const char *host,
            int         port)
{
  struct addrinfo hints = { 0 }, *res = NULL, *ai;
  char port_str[16];
  int fd = -1, one = 1, rc;

  hints.ai_socktype = SOCK_STREAM;
  g_snprintf (port_str, sizeof port_str, "%d", port);
  rc = getaddrinfo (host, port_str, &hints, &res);
  if (rc != 0)
    {
      fprintf (stderr, "bench-pub: cannot resolve %s: %s\n", host, gai_strerror (rc));
      exit (2);
    }
  for (ai = res; ai != NULL; ai = ai->ai_next)
    {
      fd = socket (ai->ai_family, ai->ai_socktype, ai->ai_protocol);
      if (fd < 0)
        continue;
      if (connect (fd, ai->ai_addr, ai->ai_addrlen) == 0)
        break;
      close (fd);
      fd = -1;
    }
  freeaddrinfo (res);
  if (fd < 0)
    die ("connect");
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void
mqtt_connect (Pub        *pub,
              const char *client_id)
{
  gsize id_len = strlen (client_id);
  gsize rem = 10 + 2 + id_len;
  guint8 hdr[5];
  guint8 ack[4];
  g_autofree guint8 *pkt = g_malloc (rem + 5);
  gsize n = 0;

  pkt[n++] = 0x10;
  n += encode_length (pkt + n, rem);
  append_u16 (pkt + n, 4); n += 2;
  memcpy (pkt + n, "MQTT", 4); n += 4;
  pkt[n++] = 4;       /* protocol level: 3.1.1 */
  pkt[n++] = 0x02;    /* clean session */
  append_u16 (pkt + n, 0); n += 2;  /* keepalive: off, the broker never times us out */
  append_u16 (pkt + n, id_len); n += 2;
  memcpy (pkt + n, client_id, id_len); n += id_len;
  write_all_blocking (pub->fd, pkt, n);

  read_exact_blocking (pub->fd, hdr, 2);
  read_exact_blocking (pub->fd, ack, 2);
  if (hdr[0] != 0x20 || hdr[1] != 2 || ack[1] != 0)
    {
      fprintf (stderr, "bench-pub: CONNECT refused (return code %d)\n", ack[1]);
      exit (2);
    }
}

/* Queues messages while there is room in the output buffer and, at QoS 1,
 * in the window of packet ids. */
static void
fill (Pub   *pub,
      char **topics,
      gsize *topic_lens)
{
  gint64 limit = opt_count;

  if (pub->out_off == pub->out_len && pub->big == NULL)
    pub->out_off = pub->out_len = 0;

  /* --rate: no further than the schedule since the start allows. */
  if (opt_rate > 0)
    limit = MIN (opt_count, (g_get_real_time () - rate_start_us) * opt_rate / G_USEC_PER_SEC + 1);

  while (pub->next < limit && pub->big == NULL && pub->out_len - pub->out_off < OUT_CHUNK)
    {
      int t = pub->next % opt_topics;
      gsize small = opt_size <= 4096;
      gsize rem = 2 + topic_lens[t] + (opt_qos > 0 ? 2 : 0) + opt_size;
      guint8 *p;
      char digits[16];

      if (opt_qos > 0)
        {
          if (pub->inflight >= (guint) opt_window || pub->used[pub->next_id])
            break;
        }

      out_reserve (pub, 5 + 2 + topic_lens[t] + 2 + (small ? opt_size : 0));
      p = pub->out + pub->out_len;
      *p++ = 0x30 | (opt_qos << 1);
      p += encode_length (p, rem);
      append_u16 (p, topic_lens[t]); p += 2;
      memcpy (p, topics[t], topic_lens[t]); p += topic_lens[t];
      if (opt_qos > 0)
        {
          append_u16 (p, pub->next_id); p += 2;
          pub->used[pub->next_id] = 1;
          pub->inflight++;
          pub->next_id = pub->next_id == MAX_PACKET_ID ? 1 : pub->next_id + 1;
        }

      /* The sequence number goes into the first 10 bytes of the payload. */
      g_snprintf (digits, sizeof digits, "%010" G_GINT64_FORMAT, pub->next % 10000000000);
      memcpy (pub->payload, digits, MIN (opt_size, 10));

      if (small)
        {
          memcpy (p, pub->payload, opt_size);
          p += opt_size;
        }
      else
        {
          pub->big = pub->payload;
          pub->big_len = opt_size;
          pub->big_off = 0;
        }
      pub->out_len = p - pub->out;
      pub->next++;
    }
}

/* Handles the packets the broker sent: PUBACKs. */
static void
parse_input (Pub *pub)
{
  gsize pos = 0;

  while (pub->in_len - pos >= 2)
    {
      guint8 type = pub->in[pos];
      gsize rem = 0, mult = 1, i = pos + 1;
      gboolean complete = FALSE;

      while (i < pub->in_len)
        {
          guint8 b = pub->in[i++];
          rem += (b & 0x7f) * mult;
          mult *= 128;
          if (!(b & 0x80))
            {
              complete = TRUE;
              break;
            }
        }
      if (!complete || pub->in_len - i < rem)
        break;

      if ((type & 0xf0) == 0x40 && rem == 2)
        {
          guint16 id = (pub->in[i] << 8) | pub->in[i + 1];
          if (!pub->used[id])
            {
              fprintf (stderr, "bench-pub: PUBACK for packet id %u, which is not in flight\n", id);
              exit (2);
            }
          pub->used[id] = 0;
          pub->inflight--;
          pub->acked++;
        }
      else
        {
          fprintf (stderr, "bench-pub: unexpected packet type 0x%02x from the broker\n", type);
          exit (2);
        }
      pos = i + rem;
    }

  memmove (pub->in, pub->in + pos, pub->in_len - pos);
  pub->in_len -= pos;
}

static gboolean
has_output (Pub *pub)
{
  return pub->out_off < pub->out_len || pub->big != NULL;
}

static void
flush_some (Pub *pub)
{
  ssize_t w;

  if (pub->out_off < pub->out_len)
    {
      w = write (pub->fd, pub->out + pub->out_off, pub->out_len - pub->out_off);
      if (w < 0 && (errno == EAGAIN || errno == EINTR))
        return;
      if (w < 0)
        die ("write");
      pub->out_off += w;
      return;
    }
  if (pub->big != NULL)
    {
      w = write (pub->fd, pub->big + pub->big_off, pub->big_len - pub->big_off);
      if (w < 0 && (errno == EAGAIN || errno == EINTR))
        return;
      if (w < 0)
        die ("write");
      pub->big_off += w;
      if (pub->big_off == pub->big_len)
        pub->big = NULL;
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_auto(GStrv) topics = NULL;
  g_autofree gsize *topic_lens = NULL;
  Pub *pub;
  gint64 start_us, sent_us = 0, end_us, deadline;
  static const guint8 disconnect_pkt[2] = { 0xe0, 0x00 };

  context = g_option_context_new ("- flood an MQTT broker with numbered messages");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-pub: %s\n", error->message);
      return 2;
    }
  if (opt_qos < 0 || opt_qos > 1 || opt_count < 1 || opt_size < 0 ||
      opt_size > 268435455 - 64 || opt_topics < 1 || opt_window < 1 || opt_window > MAX_PACKET_ID)
    {
      fprintf (stderr, "bench-pub: qos must be 0 or 1, count ≥ 1, size ≤ 268435391, topics ≥ 1, window 1–65535\n");
      return 2;
    }

  client_id = opt_client_id ? g_strdup (opt_client_id) : g_strdup_printf ("bench-pub-%d", (int) getpid ());
  topics = g_new0 (char *, opt_topics + 1);
  topic_lens = g_new0 (gsize, opt_topics);
  for (int t = 0; t < opt_topics; t++)
    {
      topics[t] = g_strdup_printf ("%s%d", opt_prefix ? opt_prefix : "bench/t/", t);
      topic_lens[t] = strlen (topics[t]);
    }

  pub = g_new0 (Pub, 1);
  pub->next_id = 1;
  pub->payload = g_malloc (MAX (opt_size, 16));
  memset (pub->payload, 'x', opt_size);

  pub->fd = connect_to (opt_host ? opt_host : "127.0.0.1", opt_port);
  mqtt_connect (pub, client_id);
  if (fcntl (pub->fd, F_SETFL, O_NONBLOCK) < 0)
    die ("fcntl");

  start_us = rate_start_us = g_get_real_time ();
  deadline = start_us + (gint64) opt_timeout * G_USEC_PER_SEC;

  for (;;)
    {
      struct pollfd pfd = { pub->fd, POLLIN, 0 };

      fill (pub, topics, topic_lens);
      if (!has_output (pub) && pub->next == opt_count)
        {
          if (sent_us == 0)
            sent_us = g_get_real_time ();
          if (opt_qos == 0 || pub->acked == opt_count)
            break;
        }
      if (has_output (pub))
        pfd.events |= POLLOUT;

      if (poll (&pfd, 1, opt_rate > 0 && pub->next < opt_count ? 1 : 1000) < 0 && errno != EINTR)
        die ("poll");
      if (g_get_real_time () > deadline)
        {
          fprintf (stderr, "bench-pub: timed out: %" G_GINT64_FORMAT " sent, %" G_GINT64_FORMAT " acknowledged of %" G_GINT64_FORMAT "\n",
                   pub->next, pub->acked, opt_count);
          return 1;
        }
      if (pfd.revents & (POLLERR | POLLHUP))
        {
          fprintf (stderr, "bench-pub: the broker closed the connection after %" G_GINT64_FORMAT " messages\n", pub->next);
          return 1;
        }
      if (pfd.revents & POLLOUT)
        flush_some (pub);
      if (pfd.revents & POLLIN)
        {
          ssize_t r = read (pub->fd, pub->in + pub->in_len, sizeof pub->in - pub->in_len);
          if (r == 0)
            {
              fprintf (stderr, "bench-pub: the broker closed the connection after %" G_GINT64_FORMAT " messages\n", pub->next);
              return 1;
            }
          if (r < 0 && errno != EAGAIN && errno != EINTR)
            die ("read");
          if (r > 0)
            {
              pub->in_len += r;
              parse_input (pub);
            }
        }
    }
  end_us = g_get_real_time ();

  /* DISCONNECT, then wait for the broker to close: by then it has handled
   * every PUBLISH before it. */
  if (fcntl (pub->fd, F_SETFL, 0) < 0)
    die ("fcntl");
  write_all_blocking (pub->fd, disconnect_pkt, sizeof disconnect_pkt);
  for (;;)
    {
      guint8 buf[256];
      ssize_t r = read (pub->fd, buf, sizeof buf);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
    }
  close (pub->fd);

  printf ("pub qos=%d count=%" G_GINT64_FORMAT " size=%" G_GINT64_FORMAT " acked=%" G_GINT64_FORMAT
          " start_us=%" G_GINT64_FORMAT " sent_us=%" G_GINT64_FORMAT " end_us=%" G_GINT64_FORMAT
          " closed_us=%" G_GINT64_FORMAT " rate=%.0f\n",
          opt_qos, opt_count, opt_size, pub->acked, start_us, sent_us, end_us, g_get_real_time (),
          opt_count / ((end_us - start_us) / (double) G_USEC_PER_SEC));

  g_free (pub->out);
  g_free (pub->payload);
  g_free (pub);
  return 0;
}
