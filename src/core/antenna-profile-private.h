/* antenna-profile-private.h: what the files of AntennaProfile share
 *
 * antenna-profile.c holds the object: its settings, copies, addresses;
 * antenna-profile-json.c its JSON form (antenna_profile_to_json() and
 * antenna_profile_new_from_json()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile.h"

G_BEGIN_DECLS

struct _AntennaProfile
{
  GObject             parent_instance;

  char               *id;
  char               *name;
  char               *host;
  char               *ws_path;
  char               *client_id;
  char               *username;
  char               *tls_ca_file;
  char               *tls_cert_file;
  char               *tls_key_file;
  char               *tls_alpn;
  char               *will_topic;
  GBytes             *will_payload;
  AntennaProperties  *will_properties;
  GListStore         *subscriptions;
  char               *proxy_url;
  char               *proxy_username;

  guint               port;
  guint               keepalive;
  guint               session_expiry;
  guint               connect_timeout;
  int                 will_qos;
  AntennaTransport    transport;
  AntennaMqttVersion  mqtt_version;
  AntennaProxyMode    proxy_mode;
  AntennaAuthMethod   auth_method;
  guint               sas_token_lifetime;
  AntennaMqttVersion  detected_mqtt_version;  /* AUTOMATIC: none yet */

  guint               save_password : 1;
  guint               clean_start : 1;
  guint               auto_reconnect : 1;
  guint               tls_verify_hostname : 1;
  guint               tls_allow_insecure : 1;
  guint               will_retain : 1;
};

/* The oldest version of the profiles file format that can hold @self:
 * 2 for the automatic MQTT version (version 1 knows only "3.1.1" and "5"),
 * else 1. */
gint64 _antenna_profile_get_format_version (AntennaProfile *self);

G_END_DECLS
