/* antenna-test-shadow.c: a copy of a GListModel kept only from its items-changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "antenna-test-shadow.h"

struct _AntennaTestShadow
{
  GListModel                 *model;
  GPtrArray                  *items;
  AntennaTestShadowAddedFunc  added_func;
  gpointer                    user_data;
  gulong                      handler_id;
  guint                       n_emissions;
};

static void
on_model_items_changed_cb (GListModel        *model,
                           guint              position,
                           guint              removed,
                           guint              added,
                           AntennaTestShadow *shadow)
{
  shadow->n_emissions++;

  /* An emission that says nothing is a wasted redraw. */
  g_assert_true (removed > 0 || added > 0);
  g_assert_cmpuint (position + removed, <=, shadow->items->len);

  g_ptr_array_remove_range (shadow->items, position, removed);

  /* The model must already be in the state this emission describes. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, shadow->items->len + added);

  for (guint i = 0; i < added; i++)
    {
      gpointer item = g_list_model_get_item (model, position + i);

      g_assert_nonnull (item);
      g_ptr_array_insert (shadow->items, position + i, item);
    }

  if (shadow->added_func != NULL)
    for (guint i = 0; i < added; i++)
      shadow->added_func (shadow, g_ptr_array_index (shadow->items, position + i), shadow->user_data);
}

AntennaTestShadow *
antenna_test_shadow_new (GListModel                 *model,
                         AntennaTestShadowAddedFunc  added_func,
                         gpointer                    user_data)
{
  AntennaTestShadow *shadow = g_new0 (AntennaTestShadow, 1);
  guint n = g_list_model_get_n_items (model);

  shadow->model = g_object_ref (model);
  shadow->items = g_ptr_array_new_with_free_func (g_object_unref);
  shadow->added_func = added_func;
  shadow->user_data = user_data;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (shadow->items, g_list_model_get_item (model, i));

  shadow->handler_id = g_signal_connect (model, "items-changed",
                                         G_CALLBACK (on_model_items_changed_cb), shadow);

  if (added_func != NULL)
    for (guint i = 0; i < n; i++)
      added_func (shadow, g_ptr_array_index (shadow->items, i), user_data);

  return shadow;
}

void
antenna_test_shadow_free (AntennaTestShadow *shadow)
{
  g_clear_signal_handler (&shadow->handler_id, shadow->model);
  g_clear_object (&shadow->model);
  g_clear_pointer (&shadow->items, g_ptr_array_unref);
  g_free (shadow);
}

GListModel *
antenna_test_shadow_get_model (AntennaTestShadow *shadow)
{
  return shadow->model;
}

GPtrArray *
antenna_test_shadow_get_items (AntennaTestShadow *shadow)
{
  return shadow->items;
}

guint
antenna_test_shadow_get_n_emissions (AntennaTestShadow *shadow)
{
  return shadow->n_emissions;
}

void
antenna_test_shadow_assert_equal (AntennaTestShadow *shadow)
{
  guint n = g_list_model_get_n_items (shadow->model);

  g_assert_cmpuint (n, ==, shadow->items->len);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (shadow->model, i);

      g_assert_true (item == g_ptr_array_index (shadow->items, i));
    }

  g_assert_null (g_list_model_get_item (shadow->model, n));
}
