/* antenna-template-private.h: what AntennaTemplateStore may do to a template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "antenna-template.h"

G_BEGIN_DECLS

/* Renames @self, notifying :name (the store checks that the name is unique). */
void _antenna_template_set_name (AntennaTemplate *self,
                                 const char      *name);

G_END_DECLS
