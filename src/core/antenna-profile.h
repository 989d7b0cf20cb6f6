/* antenna-profile.h: one saved connection (never its password)
 *
 * Every setting is a GObject property of the same name (dashes for
 * underscores: "tls-ca-file"), notified only when it changes. String getters
 * never return NULL: a setting that is not set is "" (setting NULL stores "").
 * Other defaults: name "", ws-path "/mqtt", save-password TRUE, session
 * expiry 0, will QoS 0, will payload and will properties NULL (none).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "antenna-types.h"
#include "antenna-enums.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE (antenna_profile_get_type ())

G_DECLARE_FINAL_TYPE (AntennaProfile, antenna_profile, ANTENNA, PROFILE, GObject)

/* A new profile with a fresh UUID and the defaults a person expects:
 * localhost, TCP, port 1883, MQTT 5, keepalive 60 s, clean start, auto-reconnect,
 * host name verification on, connect timeout 10 s. */
AntennaProfile     *antenna_profile_new                    (void);
/* A temporary profile from "mqtt://[user@]host[:port][/]", "mqtts://", "ws://host[:port]/path",
 * "wss://…". The name is the URL without user info. */
AntennaProfile     *antenna_profile_new_from_uri           (const char        *uri,
                                                            GError           **error);
/* The same, and "user:password@" in the URL gives *@password (NULL when the
 * URL has none; g_free() it). The password is never kept in the profile:
 * pass it to antenna_client_connect_async(). */
AntennaProfile     *antenna_profile_new_from_uri_with_password (const char    *uri,
                                                            char             **password,
                                                            GError           **error);
/* A deep copy with the same id (use antenna_profile_regenerate_id() for a duplicate). */
AntennaProfile     *antenna_profile_copy                   (AntennaProfile    *self);
void                antenna_profile_regenerate_id          (AntennaProfile    *self);
/* Sets every saved setting but the id to those of @other (subscriptions
 * copied), notifying only what changes: for an editor working on a copy. */
void                antenna_profile_update_from            (AntennaProfile    *self,
                                                            AntennaProfile    *other);
/* Same id and the same saved settings. */
gboolean            antenna_profile_equal                  (AntennaProfile    *a,
                                                            AntennaProfile    *b);

/* JSON (de)serialisation of every field but the password. */
JsonNode           *antenna_profile_to_json                (AntennaProfile    *self);
AntennaProfile     *antenna_profile_new_from_json          (JsonNode          *node,
                                                            GError           **error);

/* The port a transport uses when none is given: 1883, 8883, 80, 443. */
guint               antenna_transport_default_port         (AntennaTransport   transport);
/* "host:port" or the WebSocket URL, for messages a person reads. */
char               *antenna_profile_dup_display_address    (AntennaProfile    *self);
/* The server URI in Paho's form: tcp://, ssl://, ws://, wss://. */
char               *antenna_profile_dup_server_uri         (AntennaProfile    *self);
/* The name, or the display address when the name is empty: the one rule for
 * the name a person sees (window, sidebar, dialogs, the keyring's label). */
char               *antenna_profile_dup_display_name       (AntennaProfile    *self);
/* Whether a password would cross the network unencrypted: no TLS, and a
 * host that is not this computer (localhost, a loopback address). The
 * app asks before sending one; antenna-cli wants --allow-plaintext. */
gboolean            antenna_profile_sends_password_in_clear (AntennaProfile  *self);

const char         *antenna_profile_get_id                 (AntennaProfile    *self);
const char         *antenna_profile_get_name               (AntennaProfile    *self);
void                antenna_profile_set_name               (AntennaProfile    *self,
                                                            const char        *name);
const char         *antenna_profile_get_host               (AntennaProfile    *self);
void                antenna_profile_set_host               (AntennaProfile    *self,
                                                            const char        *host);
guint               antenna_profile_get_port               (AntennaProfile    *self);
void                antenna_profile_set_port               (AntennaProfile    *self,
                                                            guint              port);
AntennaTransport    antenna_profile_get_transport          (AntennaProfile    *self);
/* Also moves the port to the new transport's default when it was the old one's. */
void                antenna_profile_set_transport          (AntennaProfile    *self,
                                                            AntennaTransport   transport);
const char         *antenna_profile_get_ws_path            (AntennaProfile    *self);
void                antenna_profile_set_ws_path            (AntennaProfile    *self,
                                                            const char        *ws_path);
AntennaMqttVersion  antenna_profile_get_mqtt_version       (AntennaProfile    *self);
void                antenna_profile_set_mqtt_version       (AntennaProfile    *self,
                                                            AntennaMqttVersion version);
/* With the automatic MQTT version: the version the last connection to this
 * broker used (3.1.1 after a broker closed an MQTT 5 attempt), which the next
 * connection starts with; AUTOMATIC when none is known. AntennaClient sets
 * it; profiles.json keeps it; a change of host, port, transport, WebSocket
 * path or MQTT version forgets it. */
AntennaMqttVersion  antenna_profile_get_detected_mqtt_version (AntennaProfile *self);
void                antenna_profile_set_detected_mqtt_version (AntennaProfile *self,
                                                            AntennaMqttVersion version);
/* The version a connection with this profile speaks: the one chosen; with
 * the automatic version, @spoken (antenna_client_get_mqtt_version(): what
 * the broker accepted) when known, else the one detected last time, else
 * MQTT 5, which an automatic connection tries first. For the views that
 * show MQTT 5 options only to an MQTT 5 connection. */
AntennaMqttVersion  antenna_profile_resolve_mqtt_version   (AntennaProfile    *self,
                                                            AntennaMqttVersion spoken);
/* Empty: a client id is generated at connect. */
const char         *antenna_profile_get_client_id          (AntennaProfile    *self);
void                antenna_profile_set_client_id          (AntennaProfile    *self,
                                                            const char        *client_id);
const char         *antenna_profile_get_username           (AntennaProfile    *self);
void                antenna_profile_set_username           (AntennaProfile    *self,
                                                            const char        *username);
gboolean            antenna_profile_get_save_password      (AntennaProfile    *self);
void                antenna_profile_set_save_password      (AntennaProfile    *self,
                                                            gboolean           save_password);
guint               antenna_profile_get_keepalive          (AntennaProfile    *self);
void                antenna_profile_set_keepalive          (AntennaProfile    *self,
                                                            guint              seconds);
gboolean            antenna_profile_get_clean_start        (AntennaProfile    *self);
void                antenna_profile_set_clean_start        (AntennaProfile    *self,
                                                            gboolean           clean_start);
/* MQTT 5 session expiry interval in seconds; 0: the session ends with the connection. */
guint               antenna_profile_get_session_expiry     (AntennaProfile    *self);
void                antenna_profile_set_session_expiry     (AntennaProfile    *self,
                                                            guint              seconds);
guint               antenna_profile_get_connect_timeout    (AntennaProfile    *self);
void                antenna_profile_set_connect_timeout    (AntennaProfile    *self,
                                                            guint              seconds);
gboolean            antenna_profile_get_auto_reconnect     (AntennaProfile    *self);
void                antenna_profile_set_auto_reconnect     (AntennaProfile    *self,
                                                            gboolean           auto_reconnect);
const char         *antenna_profile_get_tls_ca_file        (AntennaProfile    *self);
void                antenna_profile_set_tls_ca_file        (AntennaProfile    *self,
                                                            const char        *path);
const char         *antenna_profile_get_tls_cert_file      (AntennaProfile    *self);
void                antenna_profile_set_tls_cert_file      (AntennaProfile    *self,
                                                            const char        *path);
const char         *antenna_profile_get_tls_key_file       (AntennaProfile    *self);
void                antenna_profile_set_tls_key_file       (AntennaProfile    *self,
                                                            const char        *path);
/* Comma-separated protocol names, e.g. "mqtt". */
const char         *antenna_profile_get_tls_alpn           (AntennaProfile    *self);
void                antenna_profile_set_tls_alpn           (AntennaProfile    *self,
                                                            const char        *alpn);
/* Whether tls-key-file is a PEM key protected by a passphrase (which the
 * keyring then keeps: ANTENNA_SECRET_KEY_PASSPHRASE). Reads the file. */
gboolean            antenna_profile_tls_key_needs_passphrase (AntennaProfile *self);
gboolean            antenna_profile_get_tls_verify_hostname (AntennaProfile   *self);
void                antenna_profile_set_tls_verify_hostname (AntennaProfile   *self,
                                                            gboolean           verify);
gboolean            antenna_profile_get_tls_allow_insecure (AntennaProfile    *self);
void                antenna_profile_set_tls_allow_insecure (AntennaProfile    *self,
                                                            gboolean           allow_insecure);
/* Last will: no will when the topic is empty. */
const char         *antenna_profile_get_will_topic         (AntennaProfile    *self);
void                antenna_profile_set_will_topic         (AntennaProfile    *self,
                                                            const char        *topic);
GBytes             *antenna_profile_get_will_payload       (AntennaProfile    *self);
void                antenna_profile_set_will_payload       (AntennaProfile    *self,
                                                            GBytes            *payload);
int                 antenna_profile_get_will_qos           (AntennaProfile    *self);
void                antenna_profile_set_will_qos           (AntennaProfile    *self,
                                                            int                qos);
gboolean            antenna_profile_get_will_retain        (AntennaProfile    *self);
void                antenna_profile_set_will_retain        (AntennaProfile    *self,
                                                            gboolean           retain);
/* MQTT 5 will properties; NULL: none. */
AntennaProperties  *antenna_profile_get_will_properties    (AntennaProfile    *self);
void                antenna_profile_set_will_properties    (AntennaProfile    *self,
                                                            AntennaProperties *properties);
/* A GListModel of AntennaSubscription, restored on connect. Owned by the
 * profile; add_subscription() keeps the object itself (not a copy). */
GListModel         *antenna_profile_get_subscriptions      (AntennaProfile    *self);
void                antenna_profile_add_subscription       (AntennaProfile    *self,
                                                            AntennaSubscription *subscription);
void                antenna_profile_remove_subscription    (AntennaProfile    *self,
                                                            guint              position);
/* Decoding (antenna-decoder.h). A GListModel of AntennaDecoderRule, in the
 * order they are tried; the rules themselves are kept (not copied), and a
 * change to one is a change of the profile. */
GListModel         *antenna_profile_get_decoder_rules      (AntennaProfile    *self);
void                antenna_profile_add_decoder_rule       (AntennaProfile    *self,
                                                            AntennaDecoderRule *rule);
void                antenna_profile_insert_decoder_rule    (AntennaProfile    *self,
                                                            guint              position,
                                                            AntennaDecoderRule *rule);
void                antenna_profile_remove_decoder_rule    (AntennaProfile    *self,
                                                            guint              position);
/* .proto files (paths) and the folders their imports are looked for in;
 * never NULL (empty). As properties ("proto-files", "proto-import-paths"):
 * NULL when empty. */
const char * const *antenna_profile_get_proto_files        (AntennaProfile    *self);
void                antenna_profile_set_proto_files        (AntennaProfile    *self,
                                                            const char * const *files);
const char * const *antenna_profile_get_proto_import_paths (AntennaProfile    *self);
void                antenna_profile_set_proto_import_paths (AntennaProfile    *self,
                                                            const char * const *paths);

/* The HTTP proxy: none, the system's (GProxyResolver), or the one at
 * proxy-url ("http://host:port"; a password written into it is dropped, the
 * proxy password is kept in the keyring) with proxy-username. Default SYSTEM. */
AntennaProxyMode    antenna_profile_get_proxy_mode         (AntennaProfile    *self);
void                antenna_profile_set_proxy_mode         (AntennaProfile    *self,
                                                            AntennaProxyMode   mode);
const char         *antenna_profile_get_proxy_url          (AntennaProfile    *self);
void                antenna_profile_set_proxy_url          (AntennaProfile    *self,
                                                            const char        *url);
const char         *antenna_profile_get_proxy_username     (AntennaProfile    *self);
void                antenna_profile_set_proxy_username     (AntennaProfile    *self,
                                                            const char        *username);
/* USERNAME_PASSWORD (default), or AZURE_SAS: the password is an Azure IoT Hub device
 * key, and each connection attempt sends a SAS token made from it for the
 * resource "{host}/devices/{client id}", valid sas-token-lifetime seconds
 * (default 3600). */
AntennaAuthMethod   antenna_profile_get_auth_method        (AntennaProfile    *self);
void                antenna_profile_set_auth_method        (AntennaProfile    *self,
                                                            AntennaAuthMethod  method);
#define ANTENNA_PROFILE_SAS_LIFETIME_MIN 60
#define ANTENNA_PROFILE_SAS_LIFETIME_MAX (366 * 24 * 3600)
guint               antenna_profile_get_sas_token_lifetime (AntennaProfile    *self);
void                antenna_profile_set_sas_token_lifetime (AntennaProfile    *self,
                                                            guint              seconds);
/* MQTT 5 CONNECT (an MQTT 3.1.1 connection sends none of these). Each
 * default is "not sent", the broker then assuming the protocol's default:
 * receive maximum (QoS 1 and 2 messages the broker may have in flight to
 * us) 0: not sent (65535); maximum packet size (the largest packet we
 * accept) 0: not sent (no limit); topic alias maximum (aliases we accept
 * from the broker) 0: none; request response information FALSE; request
 * problem information TRUE; connect properties (only their user properties
 * are kept and sent) NULL: none; will delay interval (seconds the broker
 * waits before it publishes the will) 0. */
guint               antenna_profile_get_receive_maximum    (AntennaProfile    *self);
void                antenna_profile_set_receive_maximum    (AntennaProfile    *self,
                                                            guint              maximum);
guint               antenna_profile_get_maximum_packet_size (AntennaProfile   *self);
void                antenna_profile_set_maximum_packet_size (AntennaProfile   *self,
                                                            guint              size);
guint               antenna_profile_get_topic_alias_maximum (AntennaProfile   *self);
void                antenna_profile_set_topic_alias_maximum (AntennaProfile   *self,
                                                            guint              maximum);
gboolean            antenna_profile_get_request_response_information (AntennaProfile *self);
void                antenna_profile_set_request_response_information (AntennaProfile *self,
                                                            gboolean           request);
gboolean            antenna_profile_get_request_problem_information (AntennaProfile *self);
void                antenna_profile_set_request_problem_information (AntennaProfile *self,
                                                            gboolean           request);
AntennaProperties  *antenna_profile_get_connect_properties (AntennaProfile    *self);
void                antenna_profile_set_connect_properties (AntennaProfile    *self,
                                                            AntennaProperties *properties);
guint               antenna_profile_get_will_delay_interval (AntennaProfile   *self);
void                antenna_profile_set_will_delay_interval (AntennaProfile   *self,
                                                            guint              seconds);
/* Emitted as ::changed whenever any saved setting changes (for autosave). */

G_END_DECLS
