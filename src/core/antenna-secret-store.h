/* antenna-secret-store.h: profile passwords in the Secret Service (libsecret)
 *
 * The password (or Azure device key): schema
 * "io.github.antennamqtt.Antenna.Password" (SECRET_SCHEMA_NAME: the
 * development profile's is "….Antenna.Devel.Password"), attribute
 * "profile-id". The other secrets of a profile (AntennaSecretKind): schema
 * "io.github.antennamqtt.Antenna.Secret" (SECRET_OTHER_SCHEMA_NAME),
 * attributes "profile-id" and "kind" ("key-passphrase", "proxy-password").
 * Errors are ANTENNA_ERROR_SECRET_SERVICE with a sentence that says whether
 * the keyring is absent, locked or refused. Nothing is ever written to a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_SECRET_STORE (antenna_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (AntennaSecretStore, antenna_secret_store, ANTENNA, SECRET_STORE, GObject)

AntennaSecretStore *antenna_secret_store_new             (void);

void                antenna_secret_store_store_async     (AntennaSecretStore   *self,
                                                          AntennaProfile       *profile,
                                                          const char           *password,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean            antenna_secret_store_store_finish    (AntennaSecretStore   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
/* Returns the password (free with secret_password_free / g_free), or NULL
 * without an error when none is stored. */
void                antenna_secret_store_lookup_async    (AntennaSecretStore   *self,
                                                          AntennaProfile       *profile,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
char               *antenna_secret_store_lookup_finish   (AntennaSecretStore   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                antenna_secret_store_clear_async     (AntennaSecretStore   *self,
                                                          AntennaProfile       *profile,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean            antenna_secret_store_clear_finish    (AntennaSecretStore   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
/* Copies every secret of @from (those it has) to @to. */
void                antenna_secret_store_copy_async      (AntennaSecretStore   *self,
                                                          AntennaProfile       *from,
                                                          AntennaProfile       *to,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean            antenna_secret_store_copy_finish     (AntennaSecretStore   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);


/* The same for any kind of secret; finish with the functions above. The
 * password is ANTENNA_SECRET_PASSWORD. */
void                antenna_secret_store_store_secret_async  (AntennaSecretStore   *self,
                                                              AntennaProfile       *profile,
                                                              AntennaSecretKind     kind,
                                                              const char           *secret,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                antenna_secret_store_lookup_secret_async (AntennaSecretStore   *self,
                                                              AntennaProfile       *profile,
                                                              AntennaSecretKind     kind,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                antenna_secret_store_clear_secret_async  (AntennaSecretStore   *self,
                                                              AntennaProfile       *profile,
                                                              AntennaSecretKind     kind,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
/* Every secret of @profile, for a connection deleted
 * (antenna_secret_store_clear_async() removes the password only). */
void                antenna_secret_store_clear_all_async     (AntennaSecretStore   *self,
                                                              AntennaProfile       *profile,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);

/* Holds @secret in this store's memory as the @kind secret of @profile
 * (NULL: drops it): lookups answer it instead of the keyring's, until the
 * store is finalized; nothing is written. For a connection tested with what
 * a person typed before saving it (the profile editor's Test Connection). */
void                antenna_secret_store_hold_secret         (AntennaSecretStore   *self,
                                                              AntennaProfile       *profile,
                                                              AntennaSecretKind     kind,
                                                              const char           *secret);

G_END_DECLS
