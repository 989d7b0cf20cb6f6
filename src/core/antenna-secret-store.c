/* antenna-secret-store.c: profile passwords in the Secret Service (libsecret)
 *
 * One item per profile and secret in the default collection: the password
 * (or Azure device key) under the schema SECRET_SCHEMA_NAME, found by the
 * attribute "profile-id" alone, as since the first release; the other
 * secrets (the TLS key's passphrase, the proxy password) under
 * SECRET_OTHER_SCHEMA_NAME with "profile-id" and "kind". Two schemas, since
 * libsecret finds every item whose attributes include those asked for: a
 * second "kind" under the first schema would be found by a password lookup.
 * libsecret talks to the Secret Service over D-Bus (inside
 * Flatpak it goes through the secret portal by itself); nothing here ever
 * writes a file, and a password never goes into a log line or an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-secret-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-secret-store.h"

struct _AntennaSecretStore
{
  GObject     parent_instance;

  /* "kind:profile-id" → a secret held in memory (hold_secret()), which
   * lookups answer instead of the keyring. */
  GHashTable *held;
};

G_DEFINE_FINAL_TYPE (AntennaSecretStore, antenna_secret_store, G_TYPE_OBJECT)

static const SecretSchema password_schema = {
  SECRET_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "profile-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static const SecretSchema other_schema = {
  SECRET_OTHER_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "profile-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* Every kind of secret, in the order a copy goes through them. */
static const AntennaSecretKind all_kinds[] = {
  ANTENNA_SECRET_PASSWORD,
  ANTENNA_SECRET_KEY_PASSPHRASE,
  ANTENNA_SECRET_PROXY_PASSWORD,
};

/* A step of an operation: one kind, or every kind but the password. */
#define OTHER_KINDS ((AntennaSecretKind) -1)

static const SecretSchema *
schema_for (AntennaSecretKind kind)
{
  return kind == ANTENNA_SECRET_PASSWORD ? &password_schema : &other_schema;
}

static GHashTable *
attributes_for (AntennaSecretKind  kind,
                const char        *profile_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  /* Static strings and the id, which outlives the table. */
  g_hash_table_insert (attributes, (gpointer) "profile-id", (gpointer) profile_id);
  if (kind == ANTENNA_SECRET_KEY_PASSPHRASE)
    g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) "key-passphrase");
  else if (kind == ANTENNA_SECRET_PROXY_PASSWORD)
    g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) "proxy-password");
  return attributes;
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
dup_label (AntennaProfile    *profile,
           AntennaSecretKind  kind)
{
  g_autofree char *name = antenna_profile_dup_display_name (profile);

  switch (kind)
    {
    case ANTENNA_SECRET_KEY_PASSPHRASE:
      /* Translators: the label of a keyring item, shown in Passwords and Keys;
       * %s is the name of the connection */
      return g_strdup_printf (_("Antenna private key passphrase for %s"), name);
    case ANTENNA_SECRET_PROXY_PASSWORD:
      /* Translators: the label of a keyring item, shown in Passwords and Keys;
       * %s is the name of the connection */
      return g_strdup_printf (_("Antenna proxy password for %s"), name);
    case ANTENNA_SECRET_PASSWORD:
    default:
      if (antenna_profile_get_auth_method (profile) == ANTENNA_AUTH_METHOD_AZURE_SAS)
        /* Translators: the label of a keyring item, shown in Passwords and Keys;
         * %s is the name of the connection */
        return g_strdup_printf (_("Antenna device key for %s"), name);
      /* Translators: the label of the keyring item, shown in Passwords and Keys;
       * %s is the name of the connection */
      return g_strdup_printf (_("Antenna password for %s"), name);
    }
}

/* What an operation needs after its first step. */
typedef enum {
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
  OP_COPY,
} OpKind;

typedef struct {
  OpKind             kind;
  char              *id;      /* the profile looked up or cleared */
  AntennaProfile    *to;      /* OP_COPY */
  AntennaSecretKind  steps[G_N_ELEMENTS (all_kinds)];
  guint              n_steps;
  guint              step;    /* the current one */
} Op;

static void
op_free (gpointer data)
{
  Op *op = data;

  g_free (op->id);
  g_clear_object (&op->to);
  g_free (op);
}

static AntennaSecretKind
op_secret_kind (Op *op)
{
  return op->steps[op->step];
}

/* @to: the profile a copy goes to, else NULL. @steps: the kinds of secret,
 * one after the other (OTHER_KINDS for all but the password at once). */
static GTask *
new_task (AntennaSecretStore      *self,
          OpKind                   kind,
          AntennaProfile          *profile,
          AntennaProfile          *to,
          const AntennaSecretKind *steps,
          guint                    n_steps,
          GCancellable            *cancellable,
          GAsyncReadyCallback      callback,
          gpointer                 user_data,
          gpointer                 source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_assert (n_steps >= 1 && n_steps <= G_N_ELEMENTS (op->steps));

  op->kind = kind;
  op->id = g_strdup (antenna_profile_get_id (profile));
  op->to = to != NULL ? g_object_ref (to) : NULL;
  memcpy (op->steps, steps, n_steps * sizeof steps[0]);
  op->n_steps = n_steps;
  g_task_set_task_data (task, op, op_free);
  g_task_set_source_tag (task, source_tag);

  return task;
}

static void run_step (GTask *task);

/* The current step is done: the next one, or the end of the operation. */
static void
next_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (++op->step < op->n_steps)
    {
      run_step (task);
      return;
    }

  if (op->kind == OP_LOOKUP)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
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
  GTask *task = user_data;
  GError *error = NULL;
  GList *items;

  items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_error (error));
      g_object_unref (task);
      return;
    }

  if (items != NULL)
    {
      g_list_free_full (items, g_object_unref);
      g_task_return_error (task, map_error (g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                                                 "item in a locked collection")));
      g_object_unref (task);
      return;
    }

  /* Truly nothing: on to the next step. */
  next_step (task);
}

static void
finish_unless_locked (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  AntennaSecretKind kind = op_secret_kind (op);
  g_autoptr(GHashTable) attributes = attributes_for (kind, op->id);

  secret_service_search (NULL, schema_for (kind), attributes, SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task),
                         locked_search_cb, task);
}

static void
wipe_free (gpointer data)
{
  char *secret = data;

  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static char *
held_key (AntennaProfile    *profile,
          AntennaSecretKind  kind)
{
  return g_strdup_printf ("%d:%s", (int) kind, antenna_profile_get_id (profile));
}

static void
antenna_secret_store_finalize (GObject *object)
{
  AntennaSecretStore *self = ANTENNA_SECRET_STORE (object);

  g_clear_pointer (&self->held, g_hash_table_unref);

  G_OBJECT_CLASS (antenna_secret_store_parent_class)->finalize (object);
}

static void
antenna_secret_store_class_init (AntennaSecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = antenna_secret_store_finalize;
}

static void
antenna_secret_store_init (AntennaSecretStore *self)
{
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
}

AntennaSecretStore *
antenna_secret_store_new (void)
{
  return g_object_new (ANTENNA_TYPE_SECRET_STORE, NULL);
}

/* The steps */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, map_error (error));
      g_object_unref (task);
    }
  else
    next_step (task);
}

static void
store_secret (GTask             *task,
              AntennaProfile    *profile,
              AntennaSecretKind  kind,
              const char        *secret)
{
  g_autofree char *label = dup_label (profile, kind);
  g_autoptr(GHashTable) attributes = attributes_for (kind, antenna_profile_get_id (profile));

  secret_password_storev (schema_for (kind), attributes,
                          SECRET_COLLECTION_DEFAULT,
                          label,
                          secret,
                          g_task_get_cancellable (task),
                          store_cb,
                          task);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_error (error));
      g_object_unref (task);
    }
  else if (secret == NULL)
    /* Nothing saved (unless locked); for a copy, nothing to copy. */
    finish_unless_locked (task);
  else if (op->kind == OP_COPY)
    {
      store_secret (task, op->to, op_secret_kind (op), secret);
      secret_password_free (secret);
    }
  else
    {
      g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
      g_object_unref (task);
    }
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  /* FALSE without an error: nothing was cleared. Fine when there was
   * nothing, not when the item is locked away. */
  if (secret_password_clear_finish (result, &error))
    next_step (task);
  else if (error != NULL)
    {
      g_task_return_error (task, map_error (error));
      g_object_unref (task);
    }
  else
    finish_unless_locked (task);
}

/* A lookup, a lookup and a store (copy) or a clear of the current kind;
 * a store begins in antenna_secret_store_store_secret_async(). */
static void
run_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  AntennaSecretKind kind = op_secret_kind (op);
  g_autoptr(GHashTable) attributes = attributes_for (kind, op->id);

  switch (op->kind)
    {
    case OP_LOOKUP:
    case OP_COPY:
      secret_password_lookupv (schema_for (kind), attributes,
                               g_task_get_cancellable (task),
                               lookup_cb, task);
      break;
    case OP_CLEAR:
      secret_password_clearv (schema_for (kind), attributes,
                              g_task_get_cancellable (task),
                              clear_cb, task);
      break;
    case OP_STORE:
    default:
      g_assert_not_reached ();
    }
}

/* Store */

/**
 * antenna_secret_store_store_secret_async:
 *
 * Saves @secret as the @kind secret of @profile, replacing the one saved
 * before. Finish with antenna_secret_store_store_finish().
 */
void
antenna_secret_store_store_secret_async (AntennaSecretStore  *self,
                                         AntennaProfile      *profile,
                                         AntennaSecretKind    kind,
                                         const char          *secret,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (kind <= ANTENNA_SECRET_PROXY_PASSWORD);
  g_return_if_fail (secret != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, OP_STORE, profile, NULL, &kind, 1, cancellable, callback, user_data,
                   antenna_secret_store_store_secret_async);

  store_secret (task, profile, kind, secret);
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
  antenna_secret_store_store_secret_async (self, profile, ANTENNA_SECRET_PASSWORD, password,
                                           cancellable, callback, user_data);
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

/* Lookup */

void
antenna_secret_store_lookup_secret_async (AntennaSecretStore  *self,
                                          AntennaProfile      *profile,
                                          AntennaSecretKind    kind,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (kind <= ANTENNA_SECRET_PROXY_PASSWORD);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, OP_LOOKUP, profile, NULL, &kind, 1, cancellable, callback, user_data,
                   antenna_secret_store_lookup_secret_async);

  {
    g_autofree char *key = held_key (profile, kind);
    const char *held = g_hash_table_lookup (self->held, key);

    if (held != NULL)
      {
        g_task_return_pointer (task, g_strdup (held), wipe_free);
        g_object_unref (task);
        return;
      }
  }

  run_step (task);
}

void
antenna_secret_store_lookup_async (AntennaSecretStore  *self,
                                   AntennaProfile      *profile,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  antenna_secret_store_lookup_secret_async (self, profile, ANTENNA_SECRET_PASSWORD,
                                            cancellable, callback, user_data);
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

/**
 * antenna_secret_store_clear_secret_async:
 *
 * Removes the @kind secret of @profile from the keyring; succeeds when there
 * was none. Finish with antenna_secret_store_clear_finish().
 */
void
antenna_secret_store_clear_secret_async (AntennaSecretStore  *self,
                                         AntennaProfile      *profile,
                                         AntennaSecretKind    kind,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (kind <= ANTENNA_SECRET_PROXY_PASSWORD);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, OP_CLEAR, profile, NULL, &kind, 1, cancellable, callback, user_data,
                   antenna_secret_store_clear_secret_async);
  run_step (task);
}

/**
 * antenna_secret_store_clear_async:
 *
 * Removes the password of @profile from the keyring; succeeds when there was
 * none. Its other secrets stay: see antenna_secret_store_clear_all_async().
 */
void
antenna_secret_store_clear_async (AntennaSecretStore  *self,
                                  AntennaProfile      *profile,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  antenna_secret_store_clear_secret_async (self, profile, ANTENNA_SECRET_PASSWORD,
                                           cancellable, callback, user_data);
}

/**
 * antenna_secret_store_clear_all_async:
 *
 * Removes every secret of @profile (a deleted connection). Finish with
 * antenna_secret_store_clear_finish().
 */
void
antenna_secret_store_clear_all_async (AntennaSecretStore  *self,
                                      AntennaProfile      *profile,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  static const AntennaSecretKind steps[] = { ANTENNA_SECRET_PASSWORD, OTHER_KINDS };
  GTask *task;

  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, OP_CLEAR, profile, NULL, steps, G_N_ELEMENTS (steps), cancellable,
                   callback, user_data, antenna_secret_store_clear_all_async);
  run_step (task);
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

/* Copy: for each kind, look it up for @from (lookup_cb), then store it for @to. */

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

  task = new_task (self, OP_COPY, from, to, all_kinds, G_N_ELEMENTS (all_kinds), cancellable,
                   callback, user_data, antenna_secret_store_copy_async);
  run_step (task);
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

/* Held in memory */

/**
 * antenna_secret_store_hold_secret:
 *
 * Holds @secret in this store's memory as the @kind secret of @profile:
 * lookups answer it without asking the keyring, until it is held anew,
 * dropped (@secret NULL) or the store finalized. Stores and clears still go
 * to the keyring.
 */
void
antenna_secret_store_hold_secret (AntennaSecretStore *self,
                                  AntennaProfile     *profile,
                                  AntennaSecretKind   kind,
                                  const char         *secret)
{
  g_return_if_fail (ANTENNA_IS_SECRET_STORE (self));
  g_return_if_fail (ANTENNA_IS_PROFILE (profile));
  g_return_if_fail (kind <= ANTENNA_SECRET_PROXY_PASSWORD);

  if (secret != NULL)
    g_hash_table_replace (self->held, held_key (profile, kind), g_strdup (secret));
  else
    {
      g_autofree char *key = held_key (profile, kind);

      g_hash_table_remove (self->held, key);
    }
}
