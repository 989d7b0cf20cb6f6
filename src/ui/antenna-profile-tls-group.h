/* antenna-profile-tls-group.h: the profile editor's certificates and TLS checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-profile-editor-group.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_TLS_GROUP (antenna_profile_tls_group_get_type ())

/* Actions: tls.choose-file (s: the profile property of the file, such as
 * "tls-ca-file"), tls.clear-file (s: the same). A file that is not local is
 * refused with a toast through the "editor.show-toast" action (s) of an
 * ancestor. */
G_DECLARE_FINAL_TYPE (AntennaProfileTlsGroup, antenna_profile_tls_group, ANTENNA, PROFILE_TLS_GROUP, AntennaProfileEditorGroup)

/* The passphrase of an encrypted client key (its row shows only then) is
 * not in the profile: the editor reads it from the keyring and stores it
 * there (ANTENNA_SECRET_KEY_PASSPHRASE). */
const char *antenna_profile_tls_group_get_key_passphrase (AntennaProfileTlsGroup *self);
void        antenna_profile_tls_group_set_key_passphrase (AntennaProfileTlsGroup *self,
                                                          const char             *passphrase);

G_END_DECLS
