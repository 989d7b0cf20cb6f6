/* antenna-test-shadow.h: a copy of a GListModel kept only from its items-changed
 *
 * Each emission is applied to a plain array; inside the handler the model must
 * already have exactly as many items as the shadow after the change, and the
 * added items are read from the model at that moment. Comparing the shadow
 * with the model afterwards proves that the emissions described every change
 * (what GtkListView and GtkTreeListModel rely on).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AntennaTestShadow AntennaTestShadow;

/* Called for each item the shadow takes in (also the initial ones). */
typedef void (*AntennaTestShadowAddedFunc) (AntennaTestShadow *shadow,
                                            gpointer           item,
                                            gpointer           user_data);

AntennaTestShadow *antenna_test_shadow_new             (GListModel                 *model,
                                                        AntennaTestShadowAddedFunc  added_func,
                                                        gpointer                    user_data);
void               antenna_test_shadow_free            (AntennaTestShadow          *shadow);
GListModel        *antenna_test_shadow_get_model       (AntennaTestShadow          *shadow);
/* Items as the emissions said (owned by the shadow). */
GPtrArray         *antenna_test_shadow_get_items       (AntennaTestShadow          *shadow);
guint              antenna_test_shadow_get_n_emissions (AntennaTestShadow          *shadow);
/* Asserts that the model holds the same items, in the same order. */
void               antenna_test_shadow_assert_equal    (AntennaTestShadow          *shadow);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AntennaTestShadow, antenna_test_shadow_free)

G_END_DECLS
