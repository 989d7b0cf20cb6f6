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
  /* Decoding (antenna-profile-decoders.c) */
  GListStore         *decoder_rules;
  char              **proto_files;
  char              **proto_import_paths;
  char               *proxy_url;
  char               *proxy_username;
  /* MQTT 5 CONNECT (antenna-profile-mqtt5.c) */
  AntennaProperties  *connect_properties;
  guint               receive_maximum;
  guint               maximum_packet_size;
  guint               topic_alias_maximum;
  guint               will_delay_interval;

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
  guint               request_response_information : 1;
  guint               request_problem_information : 1;
};

/* The getter and setter of a boolean or unsigned setting: the setter
 * notifies only a change, and returns early unless @valid (an expression of
 * value) holds. The file that uses them defines
 * static void emit_changed (AntennaProfile *self, guint prop), which
 * notifies its property @prop and emits ::changed. */
#define BOOLEAN_ACCESSORS(field, PROP) \
gboolean \
antenna_profile_get_##field (AntennaProfile *self) \
{ \
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), FALSE); \
  return self->field; \
} \
\
void \
antenna_profile_set_##field (AntennaProfile *self, \
                             gboolean        value) \
{ \
  g_return_if_fail (ANTENNA_IS_PROFILE (self)); \
  value = !!value; \
  if (self->field == (guint) value) \
    return; \
  self->field = value; \
  emit_changed (self, PROP); \
}

#define UINT_ACCESSORS(field, PROP, valid) \
guint \
antenna_profile_get_##field (AntennaProfile *self) \
{ \
  g_return_val_if_fail (ANTENNA_IS_PROFILE (self), 0); \
  return self->field; \
} \
\
void \
antenna_profile_set_##field (AntennaProfile *self, \
                             guint           value) \
{ \
  g_return_if_fail (ANTENNA_IS_PROFILE (self)); \
  g_return_if_fail (valid); \
  if (self->field == value) \
    return; \
  self->field = value; \
  emit_changed (self, PROP); \
}

/* antenna-profile-decoders.c: the decoder rules and .proto files. */
void      _antenna_profile_init_decoders          (AntennaProfile *self);
void      _antenna_profile_dispose_decoders       (AntennaProfile *self);
void      _antenna_profile_finalize_decoders      (AntennaProfile *self);
void      _antenna_profile_update_decoders_from   (AntennaProfile *self,
                                                   AntennaProfile *other);
/* Whether any decoding setting is set: such a profile needs format
 * version 3 of profiles.json. */
gboolean  _antenna_profile_has_decoders           (AntennaProfile *self);
void      _antenna_profile_decoders_to_json       (AntennaProfile *self,
                                                   JsonObject     *object);
gboolean  _antenna_profile_decoders_from_json     (AntennaProfile *self,
                                                   JsonObject     *object,
                                                   GError        **error);
/* antenna-profile-mqtt5.c: the MQTT 5 CONNECT settings, properties from
 * @first_id on. */
void      _antenna_profile_mqtt5_class_init       (GObjectClass   *object_class,
                                                   guint           first_id);
void      _antenna_profile_init_mqtt5             (AntennaProfile *self);
void      _antenna_profile_finalize_mqtt5         (AntennaProfile *self);
gboolean  _antenna_profile_mqtt5_get_property     (AntennaProfile *self,
                                                   guint           prop_id,
                                                   GValue         *value);
gboolean  _antenna_profile_mqtt5_set_property     (AntennaProfile *self,
                                                   guint           prop_id,
                                                   const GValue   *value);
void      _antenna_profile_update_mqtt5_from      (AntennaProfile *self,
                                                   AntennaProfile *other);
void      _antenna_profile_mqtt5_to_json          (AntennaProfile *self,
                                                   JsonObject     *object);
gboolean  _antenna_profile_mqtt5_from_json        (AntennaProfile *self,
                                                   JsonObject     *object,
                                                   GError        **error);
/* Notifies @prop_id ("proto-files"…) and emits ::changed. */
void      _antenna_profile_emit_changed           (AntennaProfile *self,
                                                   GParamSpec     *pspec);
/* The oldest version of the profiles file format that can hold @self:
 * 3 for decoding settings, 2 for the automatic MQTT version (version 1
 * knows only "3.1.1" and "5"), else 1. */
gint64 _antenna_profile_get_format_version (AntennaProfile *self);

G_END_DECLS
