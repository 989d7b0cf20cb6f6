/* antenna-profile-editor-group.h: a group of settings in the profile editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "antenna-types.h"

G_BEGIN_DECLS

#define ANTENNA_TYPE_PROFILE_EDITOR_GROUP (antenna_profile_editor_group_get_type ())

G_DECLARE_DERIVABLE_TYPE (AntennaProfileEditorGroup, antenna_profile_editor_group, ANTENNA, PROFILE_EDITOR_GROUP, AdwPreferencesGroup)

struct _AntennaProfileEditorGroupClass
{
  AdwPreferencesGroupClass parent_class;

  /* Binds the rows to @profile, when it is set. */
  void     (*bind)     (AntennaProfileEditorGroup *self,
                        AntennaProfile            *profile);
  /* Marks the rows whose value cannot be saved and says why under the
   * group; FALSE when there is one. */
  gboolean (*validate) (AntennaProfileEditorGroup *self);
};

/* Properties: profile (the AntennaProfile edited, set once).
 * Signals: changed (a value that is not in the profile changed, such as a
 * port that is not a number: the editor validates again). */
AntennaProfile *antenna_profile_editor_group_get_profile   (AntennaProfileEditorGroup *self);
void            antenna_profile_editor_group_set_profile   (AntennaProfileEditorGroup *self,
                                                            AntennaProfile            *profile);
gboolean        antenna_profile_editor_group_validate      (AntennaProfileEditorGroup *self);

/* For the groups: */
/* Binds @property of the profile both ways to @target_property of @target. */
void            antenna_profile_editor_group_bind_property (AntennaProfileEditorGroup *self,
                                                            const char                *property,
                                                            gpointer                   target,
                                                            const char                *target_property);
void            antenna_profile_editor_group_emit_changed  (AntennaProfileEditorGroup *self);
/* Whether the profile's transport is TLS or Secure WebSocket. */
gboolean        antenna_profile_editor_group_uses_tls      (AntennaProfileEditorGroup *self);
/* Marks @row invalid with @message (NULL: valid) and adds @message to @errors. */
void            antenna_profile_editor_group_check_row     (GtkWidget                 *row,
                                                            const char                *message,
                                                            GString                   *errors);
/* Shows @errors in @label (hidden when there is none); TRUE when there is none. */
gboolean        antenna_profile_editor_group_show_errors   (GtkLabel                  *label,
                                                            GString                   *errors);
/* The row where a topic filter is typed to be added (a subscription, a
 * decoder rule): marks it when the filter is not valid and says why in
 * @label; @add_button is sensitive for a valid filter only. Empty is
 * valid (nothing to add). TRUE when valid. */
gboolean        antenna_profile_editor_group_check_filter_row (AdwEntryRow            *row,
                                                               GtkLabel               *label,
                                                               GtkWidget              *add_button);

G_END_DECLS
