/* antenna-secret-store.c: profile passwords in the Secret Service (libsecret)
 *
 * One item per profile in the default collection, found by the attribute
 * "profile-id". libsecret talks to the Secret Service over D-Bus (inside
 * Flatpak it goes through the secret portal by itself); nothing here ever
 * writes a file, and a password never goes into a log line or an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-secret-store"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-secret-store.h"

struct _AntennaSecretStore
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (AntennaSecretStore, antenna_secret_store, G_TYPE_OBJECT)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    SECRET_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
      { "profile-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* libsecret's and D-Bus's errors, as a sentence a person can act on. A
 * cancellation stays G_IO_ERROR_CANCELLED. */
static GError *
map_error (GError *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_debug ("Secret Service error: %s (%s, %d)",
           error->message, g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      mapped = g_error_new_literal (ANTENNA_ERROR, ANTENNA_ERROR_SECRET_SERVICE,
                                    _("The keyring is locked. Unlock it (for example in "
                                      "Passwords and Keys, or by logging in again) and try again."));
    }
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
    {
      /* gnome-keyring without a login keyring: "Object does not exist at
       * path …/collection/login". */
      mapped = g_error_new_literal (ANTENNA_ERROR, ANTENNA_ERROR_SECRET_SERVICE,
                                    _("The system keyring has no default keyring to keep passwords in, "
                                      "or it could not be unlocked. Create or unlock one in "
                                      "Passwords and Keys and try again."));
    }
  else if (error->domain == G_IO_ERROR ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_FILE_NOT_FOUND) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT) ||
           (error->domain == G_DBUS_ERROR &&
            error->code >= G_DBUS_ERROR_SPAWN_EXEC_FAILED &&
            error->code <= G_DBUS_ERROR_SPAWN_FAILED))
    {
      /* No session bus, or nothing on it that owns org.freedesktop.secrets. */
      mapped = g_error_new_literal (ANTENNA_ERROR, ANTENNA_ERROR_SECRET_SERVICE,
                                    _("The system keyring is not available (no Secret Service on the "
                                      "session bus), so passwords cannot be saved or read. Start "
                                      "GNOME Keyring or another Secret Service, or type the password "
                                      "each time you connect."));
    }
  else
    {
      mapped = g_error_new (ANTENNA_ERROR, ANTENNA_ERROR_SECRET_SERVICE,
                            _("The system keyring refused the request: %s"),
                            error->message);
    }

  g_error_free (error);
  return mapped;
}

static char *
dup_label (AntennaProfile *profile)
{
  g_autofree char *name = antenna_profile_dup_display_name (profile);

  /* Translators: the label of the keyring item, shown in Passwords and Keys;
   * %s is the name of the connection */
  return g_strdup_printf (_("Antenna password for %s"), name);
}

/* What an operation needs after its first step. */
typedef enum {
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
  OP_COPY,
} OpKind;

typedef struct {
  OpKind          kind;
  char           *id;   /* the profile looked up or cleared */
  AntennaProfile *to;   /* OP_COPY */
} Op;

static void
op_free (gpointer data)
{
  Op *op = data;

  g_free (op->id);
  g_clear_object (&op->to);
  g_free (op);
}

/* @to: the profile a copy goes to, else NULL. */
static GTask *
new_task (AntennaSecretStore  *self,
          OpKind               kind,
          AntennaProfile      *profile,
          AntennaProfile      *to,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->id = g_strdup (antenna_profile_get_id (profile));
  op->to = to != NULL ? g_object_ref (to) : NULL;
  g_task_set_task_data (task, op, op_free);
  g_task_set_source_tag (task, source_tag);

  return task;
}

/* libsecret answers "nothing" when the item is there but in a locked
 * collection that it could not unlock (no prompt could be shown): a lookup
 * gives NULL, a clear FALSE, both without an error. Look for the item without
 * unlocking to tell "none" from "locked". */
static void
locked_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items;

  items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_error (error));
      return;
    }

  if (items != NULL)
    {
      g_list_free_full (items, g_object_unref);
      g_task_return_error (task, map_error (g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                                                 "item in a locked collection")));
      return;
    }

  /* Truly nothing. */
  if (op->kind == OP_LOOKUP)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_boolean (task, TRUE);
}

static void
finish_unless_locked (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  attributes = secret_attributes_build (get_schema (), "profile-id", op->id, NULL);
  secret_service_search (NULL, get_schema (), attributes, SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task),
                         locked_search_cb, task);
}

static void
antenna_secret_store_class_init (AntennaSecretStoreClass *klass)
{
}

static void
antenna_secret_store_init (AntennaSecretStore *self)
{
}

AntennaSecretStore *
antenna_secret_store_new (void)
{
  return g_object_new (ANTENNA_TYPE_SECRET_STORE, NULL);
}

/* Store */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, map_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_password (GTask          *task,
                AntennaProfile *profile,
                const char     *password)
{
  g_autofree char *label = dup_label (profile);

  secret_password_store (get_schema (),
                         SECRET_COLLECTION_DEFAULT,
                         label,
                         password,
                         g_task_get_cancellable (task),
                         store_cb,
                         task,
                         "profile-id", antenna_profile_get_id (profile),
                         NULL);
}

/**
 * antenna_secret_store_store_async:
 *
 * Saves @password for @profile, replacing the one saved before.
 */
void
antenna_secret_store_store_async (AntennaSecretStore  *self,
                                  AntennaProfile      *profile,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, OP_STORE, profile, NULL, cancellable, callback, user_data,
                   antenna_secret_store_store_async);

  store_password (task, profile, password);
}

gboolean
antenna_secret_store_store_finish (AntennaSecretStore  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (ANTENNA_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup, and the first step of a copy */

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, map_error (error));
  else if (password == NULL)
    /* Nothing saved (unless locked); for a copy, nothing to copy. */
    finish_unless_locked (g_steal_pointer (&task));
  else if (op->kind == OP_COPY)
    {
      store_password (g_steal_pointer (&task), op->to, password);
      secret_password_free (password);
    }
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

static void
lookup_password (GTask          *task,
                 AntennaProfile *profile)
{
  secret_password_lookup (get_schema (),
                          g_task_get_cancellable (task),
                          lookup_cb,
                          task,
                          "profile-id", antenna_profile_get_id (profile),
                          NULL);
}

void
antenna_secret_store_lookup_async (AntennaSecretStore  *self,
                                   AntennaProfile      *profile,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, OP_LOOKUP, profile, NULL, cancellable, callback, user_data,
                   antenna_secret_store_lookup_async);

  lookup_password (task, profile);
}

char *
antenna_secret_store_lookup_finish (AntennaSecretStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (ANTENNA_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Clear */

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: nothing was cleared. Fine when there was
   * nothing, not when the item is locked away. */
  if (secret_password_clear_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, map_error (error));
  else
    finish_unless_locked (g_steal_pointer (&task));
}

/**
 * antenna_secret_store_clear_async:
 *
 * Removes the password of @profile from the keyring; succeeds when there was
 * none.
 */
void
antenna_secret_store_clear_async (AntennaSecretStore  *self,
                                  AntennaProfile      *profile,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, OP_CLEAR, profile, NULL, cancellable, callback, user_data,
                   antenna_secret_store_clear_async);

  secret_password_clear (get_schema (),
                         cancellable,
                         clear_cb,
                         task,
                         "profile-id", antenna_profile_get_id (profile),
                         NULL);
}

gboolean
antenna_secret_store_clear_finish (AntennaSecretStore  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (ANTENNA_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Copy: lookup @from (lookup_cb), then store for @to. */

void
antenna_secret_store_copy_async (AntennaSecretStore  *self,
                                 AntennaProfile      *from,
                                 AntennaProfile      *to,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (from));
  g_return_if_fail (ANTENNA_IS_PROFILE (to));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, OP_COPY, from, to, cancellable, callback, user_data,
                   antenna_secret_store_copy_async);

  lookup_password (task, from);
}

gboolean
antenna_secret_store_copy_finish (AntennaSecretStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (ANTENNA_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
