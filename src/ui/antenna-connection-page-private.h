/* antenna-connection-page-private.h: the parts of the page the tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-connection-page.h"
#include "antenna-message-inspector.h"
#include "antenna-message-log-view.h"
#include "antenna-composer.h"
#include "antenna-record-bar.h"
#include "antenna-subscriptions-pane.h"
#include "antenna-topic-tree-view.h"

G_BEGIN_DECLS

AntennaTopicTree         *_antenna_connection_page_get_topic_tree         (AntennaConnectionPage *self);
AntennaMessageLog        *_antenna_connection_page_get_message_log        (AntennaConnectionPage *self);
AntennaTopicTreeView     *_antenna_connection_page_get_topic_tree_view    (AntennaConnectionPage *self);
AntennaMessageLogView    *_antenna_connection_page_get_message_log_view   (AntennaConnectionPage *self);
AntennaSubscriptionsPane *_antenna_connection_page_get_subscriptions_pane (AntennaConnectionPage *self);
AntennaMessageInspector  *_antenna_connection_page_get_inspector          (AntennaConnectionPage *self);
AntennaComposer          *_antenna_connection_page_get_composer           (AntennaConnectionPage *self);
/* The connection's decoding settings (rules, .proto files, Sparkplug). */
AntennaDecoderContext    *_antenna_connection_page_get_decoder_context    (AntennaConnectionPage *self);
/* The confirmation dialog on screen (clearing retained messages), or NULL. */
AdwMessageDialog         *_antenna_connection_page_get_dialog             (AntennaConnectionPage *self);
/* The recording of this connection (the Record toggle binds to it). */
AntennaRecordBar         *_antenna_connection_page_get_record_bar         (AntennaConnectionPage *self);
/* The connection log window (page.show-connection-log), or NULL. */
GtkWidget                *_antenna_connection_page_get_connection_log_window (AntennaConnectionPage *self);
/* Frames (tick callbacks) that flushed the models, for tests. */
guint64                   _antenna_connection_page_get_n_flushes          (AntennaConnectionPage *self);

G_END_DECLS
