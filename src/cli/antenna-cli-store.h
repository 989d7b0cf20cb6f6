/* antenna-cli-store.h: the app's saved connections, for antenna-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "antenna-types.h"
#include "antenna-template-store.h"

G_BEGIN_DECLS

/* The app's profile store (profiles.json under the user config dir),
 * loaded. A file the store had to set aside is reported on standard error,
 * as the app reports it, and what could be read is used. */
AntennaProfileStore *antenna_cli_store_open (GError              **error);
/* The app's publish templates (templates.json), loaded the same way: they
 * go with the connections they belong to in an export. */
AntennaTemplateStore *antenna_cli_store_open_templates (void);
/* (transfer none): the profile whose name, as the app shows it, is
 * @name_or_id, else the one with that id. ANTENNA_ERROR_INVALID_ARGUMENT
 * when none is, or when the name belongs to several. */
AntennaProfile      *antenna_cli_store_find (AntennaProfileStore  *store,
                                             const char           *name_or_id,
                                             GError              **error);

G_END_DECLS
