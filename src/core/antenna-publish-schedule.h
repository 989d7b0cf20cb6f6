/* antenna-publish-schedule.h: a message published again and again on one connection
 *
 * Every interval (plus or minus a random jitter) the schedule expands its
 * topic and payload (antenna-placeholders.h) and hands one message to
 * antenna_client_publish_async(), which keeps the broker's receive maximum
 * and the client's queue limits. At most ANTENNA_PUBLISH_SCHEDULE_WINDOW of
 * its messages wait for an acknowledgement at once: when the broker is slower
 * than the interval the schedule slows down with it, it does not pile up. A
 * publish that fails is counted (:failed, :last-error) and never sent again.
 *
 * While the connection is down the schedule waits (WAITING) and goes on
 * when it is back, or stops (STOPPED) when :resume-on-reconnect is off.
 *
 * Properties (notified at most about four times a second while running):
 * state, sent (acknowledged), failed, last-error, rate (acknowledged
 * messages a second, over the last second or so), and the settings given at
 * construction: topic, qos, interval-ms, count (0: until stopped), jitter-ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"
#include "antenna-decoder.h"
#include "antenna-enums.h"

G_BEGIN_DECLS

#define ANTENNA_PUBLISH_SCHEDULE_WINDOW 64

#define ANTENNA_TYPE_PUBLISH_SCHEDULE (antenna_publish_schedule_get_type ())

G_DECLARE_FINAL_TYPE (AntennaPublishSchedule, antenna_publish_schedule, ANTENNA, PUBLISH_SCHEDULE, GObject)

/* @payload_text is parsed in @format for placeholders; or @payload (bytes
 * as they are, e.g. from a file) when @payload_text is NULL. A placeholder
 * that does not parse, or an interval of 0: NULL and the error. */
AntennaPublishSchedule *antenna_publish_schedule_new                (AntennaClient          *client,
                                                                     const char             *topic,
                                                                     const char             *payload_text,
                                                                     GBytes                 *payload,
                                                                     AntennaPayloadFormat    format,
                                                                     int                     qos,
                                                                     gboolean                retain,
                                                                     AntennaProperties      *properties,
                                                                     guint                   interval_ms,
                                                                     guint64                 count,
                                                                     guint                   jitter_ms,
                                                                     GError                **error);
AntennaClient          *antenna_publish_schedule_get_client         (AntennaPublishSchedule *self);
const char             *antenna_publish_schedule_get_topic          (AntennaPublishSchedule *self);
int                     antenna_publish_schedule_get_qos            (AntennaPublishSchedule *self);
guint                   antenna_publish_schedule_get_interval_ms    (AntennaPublishSchedule *self);
guint64                 antenna_publish_schedule_get_count          (AntennaPublishSchedule *self);
guint                   antenna_publish_schedule_get_jitter_ms      (AntennaPublishSchedule *self);
AntennaScheduleState    antenna_publish_schedule_get_state          (AntennaPublishSchedule *self);
guint64                 antenna_publish_schedule_get_sent           (AntennaPublishSchedule *self);
guint64                 antenna_publish_schedule_get_failed         (AntennaPublishSchedule *self);
/* (nullable): the message of the last failure. */
const char             *antenna_publish_schedule_get_last_error     (AntennaPublishSchedule *self);
double                  antenna_publish_schedule_get_rate           (AntennaPublishSchedule *self);
gboolean                antenna_publish_schedule_get_resume_on_reconnect (AntennaPublishSchedule *self);
void                    antenna_publish_schedule_set_resume_on_reconnect (AntennaPublishSchedule *self,
                                                                     gboolean                resume);
/* A JSON payload goes out as @encoder's format (MessagePack, CBOR),
 * encoded after each expansion (antenna_placeholders_set_encoder()); NULL:
 * as typed. Before the schedule starts. */
void                    antenna_publish_schedule_set_encoder        (AntennaPublishSchedule *self,
                                                                     const AntennaDecoder   *encoder);
/* The random values of the placeholders from @seed (tests). */
void                    antenna_publish_schedule_set_seed           (AntennaPublishSchedule *self,
                                                                     guint32                 seed);

/* From STOPPED (again from the first message), PAUSED or FINISHED (again). */
void                    antenna_publish_schedule_start              (AntennaPublishSchedule *self);
void                    antenna_publish_schedule_pause              (AntennaPublishSchedule *self);
void                    antenna_publish_schedule_resume             (AntennaPublishSchedule *self);
/* Sends no more; what is already with the client completes and is counted. */
void                    antenna_publish_schedule_stop               (AntennaPublishSchedule *self);

/* The schedules of a connection, whichever window started them: a
 * GListStore of AntennaPublishSchedule kept with @client (transfer none).
 * Whoever starts a schedule appends it; the list of the connection page
 * shows them and removes the ones a person closes. */
GListStore             *antenna_publish_schedule_list_for_client    (AntennaClient          *client);

G_END_DECLS
