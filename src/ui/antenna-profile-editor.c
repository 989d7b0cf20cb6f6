/* antenna-profile-editor.c
 *
 * The editor works on a copy of the profile: every row is bound to a property
 * of the copy, and Save writes the copy back (or adds it to the store when it
 * is new). An AdwWindow with its own header bar rather than an
 * AdwPreferencesWindow: libadwaita 1.2 gives the latter no place for Cancel
 * and Save, which an editor needs.
 *
 * Each group of settings is its own template (antenna-profile-*-group.c),
 * bound to the copy through the editor's profile property; the editor
 * validates them all, tests the connection and saves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-profile.h"
#include "antenna-profile-auth-group.h"
#include "antenna-profile-editor.h"
#include "antenna-profile-general-group.h"
#include "antenna-profile-session-group.h"
#include "antenna-profile-store.h"
#include "antenna-profile-subscriptions-group.h"
#include "antenna-profile-tls-group.h"
#include "antenna-profile-will-group.h"
#include "antenna-secret-store.h"
#include "antenna-subscription.h"

struct _AntennaProfileEditor
{
  AdwWindow                         parent_instance;

  /* Template Widgets */
  AdwToastOverlay                  *toast_overlay;
  GtkButton                        *save_button;
  GtkButton                        *test_button;
  GtkSpinner                       *test_spinner;
  AntennaProfileGeneralGroup       *general_group;
  AntennaProfileAuthGroup          *auth_group;
  AntennaProfileSessionGroup       *session_group;
  AntennaProfileTlsGroup           *tls_group;
  AntennaProfileWillGroup          *will_group;
  AntennaProfileSubscriptionsGroup *subscriptions_group;

  /* Owned References */
  AntennaProfileStore              *store;
  AntennaSecretStore               *secrets;
  /* The profile in the store (NULL until a new one is saved) and the copy edited. */
  AntennaProfile                   *original;
  AntennaProfile                   *copy;
  /* The password as read from the keyring, to store it again only when changed. */
  char                             *loaded_password;
  GCancellable                     *cancellable;
  AntennaClient                    *test_client;

  gboolean                          busy;
};

G_DEFINE_FINAL_TYPE (AntennaProfileEditor, antenna_profile_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_stripped (const char *str)
{
  return g_strstrip (g_strdup (str != NULL ? str : ""));
}

static void
show_toast (AntennaProfileEditor *self,
            const char           *message,
            guint                 timeout)
{
  /* libadwaita 1.2 reads a toast's title as markup: a topic or a path may
   * hold '&' or '<'. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_debug ("Told: %s", message);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
validate (AntennaProfileEditor *self)
{
  AntennaProfileEditorGroup *groups[] = {
    ANTENNA_PROFILE_EDITOR_GROUP (self->general_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->auth_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->session_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->tls_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->will_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->subscriptions_group),
  };
  gboolean valid = TRUE;

  /* Every group, so that each shows its errors. */
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (!antenna_profile_editor_group_validate (groups[i]))
      valid = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), valid && !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button),
                            valid && !self->busy && self->test_client == NULL);
}

static void
on_copy_notify_cb (AntennaProfileEditor *self)
{
  validate (self);
}

static void
on_group_changed_cb (AntennaProfileEditor *self)
{
  validate (self);
}

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  show_toast (ANTENNA_PROFILE_EDITOR (widget), g_variant_get_string (param, NULL), 5);
}

/* Test connection */

static void
on_test_disconnected_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  antenna_client_disconnect_finish (ANTENNA_CLIENT (object), result, NULL);
}

static void
on_test_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = user_data;
  g_autoptr(AntennaClient) client = ANTENNA_CLIENT (g_object_ref (object));
  g_autoptr(GError) error = NULL;

  if (!antenna_client_connect_finish (client, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      show_toast (self, error->message, 10);
    }
  else
    {
      g_autofree char *address = antenna_profile_dup_display_address (antenna_client_get_profile (client));
      /* Translators: the test connection succeeded; %s is the broker's address. */
      g_autofree char *message = g_strdup_printf (_("Connected to %s: these settings work."), address);

      show_toast (self, message, 5);
      antenna_client_disconnect_async (client, NULL, on_test_disconnected_cb, NULL);
    }

  if (self->test_client == client)
    g_clear_object (&self->test_client);
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  validate (self);
}

static void
on_test_clicked_cb (AntennaProfileEditor *self)
{
  g_autoptr(AntennaProfile) profile = NULL;
  g_autofree char *host = NULL;
  const char *password;

  if (self->test_client != NULL)
    return;

  profile = antenna_profile_copy (self->copy);
  host = dup_stripped (antenna_profile_get_host (profile));
  antenna_profile_set_host (profile, host);
  password = antenna_profile_auth_group_get_password (self->auth_group);
  if (antenna_profile_get_username (profile) == NULL ||
      antenna_profile_get_username (profile)[0] == '\0' ||
      password[0] == '\0')
    password = NULL;

  self->test_client = antenna_client_new (profile);
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  validate (self);

  antenna_client_connect_async (self->test_client, password, self->cancellable,
                                on_test_connected_cb, g_object_ref (self));
}

/* Save */

static void
set_busy (AntennaProfileEditor *self,
          gboolean              busy)
{
  self->busy = busy;
  /* Focus out of the field first: a focused text made insensitive misses its
   * focus-out (GTK #5845). */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->toast_overlay), !busy);
  validate (self);
}

static void
finish_save (AntennaProfileEditor *self)
{
  g_signal_emit (self, signals[SAVED], 0, self->original);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_secret_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_secret_store_store_finish (ANTENNA_SECRET_STORE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      /* Translators: %s is the keyring's error. */
      message = g_strdup_printf (_("The password could not be saved in the keyring: %s"), error->message);
      show_toast (self, message, 0);
      return;
    }

  finish_save (self);
}

static void
on_secret_cleared_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!antenna_secret_store_clear_finish (ANTENNA_SECRET_STORE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      message = g_strdup_printf (_("The password could not be removed from the keyring: %s"), error->message);
      show_toast (self, message, 0);
      return;
    }

  finish_save (self);
}

/* Copies every setting of @from into @to, which keeps its id. */
static void
write_back (AntennaProfile *from,
            AntennaProfile *to)
{
  g_autofree GParamSpec **pspecs = NULL;
  GListModel *subscriptions;
  guint n_pspecs;
  guint n;

  if (from == to)
    return;

  g_object_freeze_notify (G_OBJECT (to));

  /* The transport first: setting it may move the port. */
  antenna_profile_set_transport (to, antenna_profile_get_transport (from));

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (from), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE ||
          (pspec->flags & G_PARAM_CONSTRUCT_ONLY) != 0 ||
          g_str_equal (pspec->name, "id") ||
          g_str_equal (pspec->name, "transport") ||
          g_type_is_a (pspec->value_type, G_TYPE_LIST_MODEL))
        continue;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (from), pspec->name, &value);
      g_object_set_property (G_OBJECT (to), pspec->name, &value);
    }

  subscriptions = antenna_profile_get_subscriptions (to);
  while (g_list_model_get_n_items (subscriptions) > 0)
    antenna_profile_remove_subscription (to, 0);

  subscriptions = antenna_profile_get_subscriptions (from);
  n = g_list_model_get_n_items (subscriptions);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AntennaSubscription) item = g_list_model_get_item (subscriptions, i);
      g_autoptr(AntennaSubscription) copy = antenna_subscription_copy (item);

      antenna_profile_add_subscription (to, copy);
    }

  g_object_thaw_notify (G_OBJECT (to));
}

static void
on_save_clicked_cb (AntennaProfileEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;
  const char *password;
  const char *username;

  if (!antenna_profile_subscriptions_group_add_pending (self->subscriptions_group))
    return;

  validate (self);
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;

  host = dup_stripped (antenna_profile_get_host (self->copy));
  antenna_profile_set_host (self->copy, host);
  name = dup_stripped (antenna_profile_get_name (self->copy));
  antenna_profile_set_name (self->copy, name[0] != '\0' ? name : host);

  if (self->original == NULL)
    {
      antenna_profile_store_add (self->store, self->copy);
      self->original = g_object_ref (self->copy);
    }
  else
    write_back (self->copy, self->original);

  if (!antenna_profile_store_save (self->store, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The connection could not be saved: %s"), error->message);
      show_toast (self, message, 0);
      return;
    }

  username = antenna_profile_get_username (self->original);
  password = antenna_profile_auth_group_get_password (self->auth_group);

  if (!antenna_profile_get_save_password (self->original))
    {
      /* Nothing of a password not to remember may stay in the keyring. */
      set_busy (self, TRUE);
      antenna_secret_store_clear_async (self->secrets, self->original, self->cancellable,
                                        on_secret_cleared_cb, g_object_ref (self));
    }
  else if (username != NULL && username[0] != '\0' && password[0] != '\0' &&
           g_strcmp0 (password, self->loaded_password) != 0)
    {
      set_busy (self, TRUE);
      antenna_secret_store_store_async (self->secrets, self->original, password, self->cancellable,
                                        on_secret_stored_cb, g_object_ref (self));
    }
  else
    finish_save (self);
}

static void
on_password_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = antenna_secret_store_lookup_finish (ANTENNA_SECRET_STORE (object), result, &error);
  if (password == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, 10);
      return;
    }

  /* Only when nothing was typed meanwhile. */
  if (antenna_profile_auth_group_get_password (self->auth_group)[0] == '\0')
    {
      self->loaded_password = g_strdup (password);
      antenna_profile_auth_group_set_password (self->auth_group, password);
    }

  memset (password, 0, strlen (password));
  g_free (password);
}

static gboolean
antenna_profile_editor_close_request (GtkWindow *window)
{
  AntennaProfileEditor *self = ANTENNA_PROFILE_EDITOR (window);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (antenna_profile_editor_parent_class)->close_request (window);
}

static void
antenna_profile_editor_dispose (GObject *object)
{
  AntennaProfileEditor *self = (AntennaProfileEditor *)object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), ANTENNA_TYPE_PROFILE_EDITOR);

  G_OBJECT_CLASS (antenna_profile_editor_parent_class)->dispose (object);
}

static void
antenna_profile_editor_finalize (GObject *object)
{
  AntennaProfileEditor *self = (AntennaProfileEditor *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->original);
  g_clear_object (&self->copy);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_client);
  if (self->loaded_password != NULL)
    memset (self->loaded_password, 0, strlen (self->loaded_password));
  g_clear_pointer (&self->loaded_password, g_free);

  G_OBJECT_CLASS (antenna_profile_editor_parent_class)->finalize (object);
}

static void
antenna_profile_editor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AntennaProfileEditor *self = ANTENNA_PROFILE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->copy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
antenna_profile_editor_class_init (AntennaProfileEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = antenna_profile_editor_dispose;
  object_class->finalize = antenna_profile_editor_finalize;
  object_class->get_property = antenna_profile_editor_get_property;

  window_class->close_request = antenna_profile_editor_close_request;

  /* The copy edited, to which the groups bind. */
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         ANTENNA_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, ANTENNA_TYPE_PROFILE);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  /* What a group has to tell, such as a file that cannot be used. */
  gtk_widget_class_install_action (widget_class, "editor.show-toast", "s", show_toast_action);

  g_type_ensure (ANTENNA_TYPE_PROFILE_GENERAL_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_AUTH_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_SESSION_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_TLS_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_WILL_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_SUBSCRIPTIONS_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, general_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, auth_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, session_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, tls_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, will_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, subscriptions_group);
  gtk_widget_class_bind_template_callback (widget_class, on_group_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
}

static void
antenna_profile_editor_init (AntennaProfileEditor *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

AntennaProfileEditor *
antenna_profile_editor_new (GtkWindow           *parent,
                            AntennaProfileStore *store,
                            AntennaSecretStore  *secrets,
                            AntennaProfile      *profile)
{
  AntennaProfileEditor *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ANTENNA_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (ANTENNA_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (!profile || ANTENNA_IS_PROFILE (profile), NULL);

  self = g_object_new (ANTENNA_TYPE_PROFILE_EDITOR,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);

  if (profile != NULL &&
      antenna_profile_store_find (store, antenna_profile_get_id (profile)) == profile)
    {
      self->original = g_object_ref (profile);
      self->copy = antenna_profile_copy (profile);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Connection"));
    }
  else
    {
      self->copy = profile != NULL ? antenna_profile_copy (profile) : antenna_profile_new ();
      if (profile != NULL)
        antenna_profile_regenerate_id (self->copy);
      gtk_window_set_title (GTK_WINDOW (self), _("New Connection"));
    }

  /* The groups bind to it. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  g_signal_connect_object (self->copy, "notify",
                           G_CALLBACK (on_copy_notify_cb), self,
                           G_CONNECT_SWAPPED);
  validate (self);

  if (self->original != NULL &&
      antenna_profile_get_save_password (self->original) &&
      antenna_profile_get_username (self->original) != NULL &&
      antenna_profile_get_username (self->original)[0] != '\0')
    antenna_secret_store_lookup_async (self->secrets, self->original, self->cancellable,
                                       on_password_loaded_cb, g_object_ref (self));

  /* Its first row, the name. */
  gtk_widget_grab_focus (GTK_WIDGET (self->general_group));

  return self;
}

AntennaProfile *
antenna_profile_editor_get_profile (AntennaProfileEditor *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_EDITOR (self), NULL);

  return self->copy;
}

gboolean
antenna_profile_editor_is_valid (AntennaProfileEditor *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_EDITOR (self), FALSE);

  validate (self);

  return gtk_widget_get_sensitive (GTK_WIDGET (self->save_button));
}
