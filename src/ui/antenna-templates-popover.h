/* antenna-templates-popover.h: the composer's saved templates
 *
 * A name entry and Save, which (like Enter in the entry) activate the
 * action composer.save-template of the composer the popover belongs to:
 * the composer reads :name, and sets :error when the template cannot be
 * saved. Below, a row per template of :templates (AntennaTemplateRow):
 * choosing one pops the popover down and emits template-activated; renaming
 * and deleting go to :store, a rename refused is said in :error.
 * Properties: store, templates (a GListModel of AntennaTemplate), name, error.
 * Signals: template-activated (AntennaTemplate).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "antenna-template-store.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_TEMPLATES_POPOVER (antenna_templates_popover_get_type ())

G_DECLARE_FINAL_TYPE (AntennaTemplatesPopover, antenna_templates_popover, ANTENNA, TEMPLATES_POPOVER, GtkPopover)

GtkWidget  *antenna_templates_popover_new       (void);
/* Lists @templates, kept in @store. */
void        antenna_templates_popover_set_store (AntennaTemplatesPopover *self,
                                                 AntennaTemplateStore    *store,
                                                 GListModel              *templates);
/* The name typed for a new template. */
const char *antenna_templates_popover_get_name  (AntennaTemplatesPopover *self);
void        antenna_templates_popover_set_name  (AntennaTemplatesPopover *self,
                                                 const char              *name);
/* Why the last save or rename failed; NULL: nothing to say. */
const char *antenna_templates_popover_get_error (AntennaTemplatesPopover *self);
void        antenna_templates_popover_set_error (AntennaTemplatesPopover *self,
                                                 const char              *error);

G_END_DECLS
