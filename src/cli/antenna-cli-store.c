/* antenna-cli-store.c: the app's saved connections, for antenna-cli
 *
 * The same AntennaProfileStore and file as the app: the CLI reads it, and
 * writes it only for "profiles import".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "antenna-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-cli-report.h"
#include "antenna-cli-store.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"

AntennaProfileStore *
antenna_cli_store_open (GError **error)
{
  g_autoptr(AntennaProfileStore) store = antenna_profile_store_new (NULL);
  g_autofree char *moved_to = NULL;
  g_autoptr(GError) load_error = NULL;

  if (!antenna_profile_store_load (store, &moved_to, &load_error))
    {
      /* The file was set aside (its message says where); the connections
       * that could be read are there. */
      antenna_cli_warn ("%s", load_error->message);
    }

  return g_steal_pointer (&store);
}

AntennaTemplateStore *
antenna_cli_store_open_templates (void)
{
  g_autoptr(AntennaTemplateStore) templates = antenna_template_store_new (NULL);
  g_autofree char *moved_to = NULL;
  g_autoptr(GError) error = NULL;

  if (!antenna_template_store_load (templates, &moved_to, &error))
    antenna_cli_warn ("%s", error->message);

  return g_steal_pointer (&templates);
}

AntennaProfile *
antenna_cli_store_find (AntennaProfileStore  *store,
                        const char           *name_or_id,
                        GError              **error)
{
  GListModel *model = G_LIST_MODEL (store);
  AntennaProfile *found = NULL;
  guint n_named = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AntennaProfile) profile = g_list_model_get_item (model, i);
      g_autofree char *name = antenna_profile_dup_display_name (profile);

      if (g_str_equal (name, name_or_id))
        {
          found = profile;
          n_named++;
        }
    }

  if (n_named > 1)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                   ngettext ("%u saved connection is called “%s”: give its id instead "
                             "(“antenna-cli profiles list” shows it).",
                             "%u saved connections are called “%s”: give the id of one instead "
                             "(“antenna-cli profiles list” shows them).",
                             n_named),
                   n_named, name_or_id);
      return NULL;
    }

  if (found == NULL)
    found = antenna_profile_store_find (store, name_or_id);

  if (found == NULL)
    {
      g_set_error (error, ANTENNA_ERROR, ANTENNA_ERROR_INVALID_ARGUMENT,
                   _("No saved connection is called “%s” (“antenna-cli profiles list” shows them)."),
                   name_or_id);
      return NULL;
    }

  return found;
}
