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
 * The secrets (the password or device key, the TLS key's passphrase, the
 * proxy password) are typed in rows of the groups but never go into the
 * profile: the editor reads them from the keyring when it opens, and on
 * Save stores in the keyring (or removes) each one that changed, one after
 * the other. Test Connection uses them as typed, held in the memory of a
 * secret store of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "antenna-profile-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "antenna-client.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-profile-auth-group.h"
#include "antenna-profile-editor.h"
#include "antenna-profile-general-group.h"
#include "antenna-profile-proxy-group.h"
#include "antenna-profile-session-group.h"
#include "antenna-profile-mqtt5-group.h"
#include "antenna-profile-store.h"
#include "antenna-profile-subscriptions-group.h"
#include "antenna-profile-decoders-group.h"
#include "antenna-profile-tls-group.h"
#include "antenna-profile-will-group.h"
#include "antenna-secret-store.h"
#include "antenna-subscription.h"

#define N_SECRET_KINDS (ANTENNA_SECRET_PROXY_PASSWORD + 1)

struct _AntennaProfileEditor
{
  AdwWindow                         parent_instance;

  /* Template Widgets */
  AdwToastOverlay                  *toast_overlay;
  GtkButton                        *save_button;
  GtkButton                        *test_button;
  GtkSpinner                       *test_spinner;
  GtkRevealer                      *test_result_revealer;
  GtkLabel                         *test_result_label;
  AntennaProfileGeneralGroup       *general_group;
  AntennaProfileAuthGroup          *auth_group;
  AntennaProfileSessionGroup       *session_group;
  AntennaProfileMqtt5Group         *mqtt5_group;
  AntennaProfileTlsGroup           *tls_group;
  AntennaProfileProxyGroup         *proxy_group;
  AntennaProfileWillGroup          *will_group;
  AntennaProfileSubscriptionsGroup *subscriptions_group;
  AntennaProfileDecodersGroup *decoders_group;

  /* Owned References */
  AntennaProfileStore              *store;
  AntennaSecretStore               *secrets;
  /* The profile in the store (NULL until a new one is saved) and the copy edited. */
  AntennaProfile                   *original;
  AntennaProfile                   *copy;
  /* The secrets as read from the keyring, by AntennaSecretKind, to store
   * them again only when changed. */
  char                             *loaded[N_SECRET_KINDS];
  GCancellable                     *cancellable;
  AntennaClient                    *test_client;

  /* The kind of secret being read from the keyring, or stored (Save). */
  guint                             loading;
  guint                             saving;
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

/* What Save tells when the keyring refused to store (or remove) the @kind
 * secret, for the reason @why. */
static char *
dup_secret_error (AntennaSecretKind  kind,
                  gboolean           cleared,
                  const char        *why)
{
  /* Translators: in the next six, %s is the keyring's error. */
  switch (kind)
    {
    case ANTENNA_SECRET_KEY_PASSPHRASE:
      return cleared ? g_strdup_printf (_("The private key’s passphrase could not be removed from the keyring: %s"), why)
                     : g_strdup_printf (_("The private key’s passphrase could not be saved in the keyring: %s"), why);
    case ANTENNA_SECRET_PROXY_PASSWORD:
      return cleared ? g_strdup_printf (_("The proxy password could not be removed from the keyring: %s"), why)
                     : g_strdup_printf (_("The proxy password could not be saved in the keyring: %s"), why);
    case ANTENNA_SECRET_PASSWORD:
    default:
      return cleared ? g_strdup_printf (_("The password could not be removed from the keyring: %s"), why)
                     : g_strdup_printf (_("The password could not be saved in the keyring: %s"), why);
    }
}

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static char *
dup_stripped (const char *str)
{
  return g_strstrip (g_strdup (str != NULL ? str : ""));
}

/* @button_label and @action_name: a button on the toast, or NULL. */
static void
show_toast_full (AntennaProfileEditor *self,
                 const char           *message,
                 guint                 timeout,
                 const char           *button_label,
                 const char           *action_name)
{
  /* libadwaita 1.2 reads a toast's title as markup: a topic or a path may
   * hold '&' or '<'. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_debug ("Told: %s", message);
  adw_toast_set_timeout (toast, timeout);
  if (button_label != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action_name);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_toast (AntennaProfileEditor *self,
            const char           *message,
            guint                 timeout)
{
  show_toast_full (self, message, timeout, NULL, NULL);
}

/* The editor for an async call: a weak reference. An editor destroyed with
 * its parent window must not outlive it (GTK 4.8 would then unset the
 * transient parent it still points at); closing it cancels the call. */
static gpointer
weak_self (AntennaProfileEditor *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

/* The editor (a new reference), or NULL once it is gone; frees the weak_self(). */
static AntennaProfileEditor *
take_self (gpointer user_data)
{
  GWeakRef *ref = user_data;
  AntennaProfileEditor *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

/* The secrets' rows */

static const char *
get_secret (AntennaProfileEditor *self,
            AntennaSecretKind     kind)
{
  switch (kind)
    {
    case ANTENNA_SECRET_KEY_PASSPHRASE:
      return antenna_profile_tls_group_get_key_passphrase (self->tls_group);
    case ANTENNA_SECRET_PROXY_PASSWORD:
      return antenna_profile_proxy_group_get_password (self->proxy_group);
    case ANTENNA_SECRET_PASSWORD:
    default:
      return antenna_profile_auth_group_get_password (self->auth_group);
    }
}

static void
set_secret (AntennaProfileEditor *self,
            AntennaSecretKind     kind,
            const char           *secret)
{
  switch (kind)
    {
    case ANTENNA_SECRET_KEY_PASSPHRASE:
      antenna_profile_tls_group_set_key_passphrase (self->tls_group, secret);
      break;
    case ANTENNA_SECRET_PROXY_PASSWORD:
      antenna_profile_proxy_group_set_password (self->proxy_group, secret);
      break;
    case ANTENNA_SECRET_PASSWORD:
    default:
      antenna_profile_auth_group_set_password (self->auth_group, secret);
      break;
    }
}

/* Whether a connection with @profile would use its @kind secret. */
static gboolean
uses_secret (AntennaProfile    *profile,
             AntennaSecretKind  kind)
{
  switch (kind)
    {
    case ANTENNA_SECRET_KEY_PASSPHRASE:
      return antenna_profile_tls_key_needs_passphrase (profile);
    case ANTENNA_SECRET_PROXY_PASSWORD:
      return antenna_profile_get_proxy_mode (profile) == ANTENNA_PROXY_MODE_MANUAL;
    case ANTENNA_SECRET_PASSWORD:
    default:
      return antenna_profile_get_save_password (profile) &&
             antenna_profile_get_username (profile)[0] != '\0';
    }
}

static void
validate (AntennaProfileEditor *self)
{
  AntennaProfileEditorGroup *groups[] = {
    ANTENNA_PROFILE_EDITOR_GROUP (self->general_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->auth_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->session_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->mqtt5_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->tls_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->proxy_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->will_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->subscriptions_group),
    ANTENNA_PROFILE_EDITOR_GROUP (self->decoders_group),
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

/* The result of Test Connection under the header bar, whole, until the next
 * test (a toast is one line and goes away). */
static void
show_test_result (AntennaProfileEditor *self,
                  const char           *message,
                  gboolean              worked)
{
  GtkWidget *label = GTK_WIDGET (self->test_result_label);

  gtk_label_set_label (self->test_result_label, message);
  if (worked)
    {
      gtk_widget_remove_css_class (label, "failed");
      gtk_widget_add_css_class (label, "worked");
    }
  else
    {
      gtk_widget_remove_css_class (label, "worked");
      gtk_widget_add_css_class (label, "failed");
    }
  gtk_revealer_set_reveal_child (self->test_result_revealer, TRUE);
}

static void
on_test_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = take_self (user_data);
  g_autoptr(AntennaClient) client = ANTENNA_CLIENT (g_object_ref (object));
  g_autoptr(GError) error = NULL;
  gboolean connected = antenna_client_connect_finish (client, result, &error);

  if (self == NULL)
    {
      if (connected)
        antenna_client_disconnect_async (client, NULL, on_test_disconnected_cb, NULL);
      return;
    }

  if (!connected)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* A broker that does not speak MQTT 5 may speak 3.1.1. */
      if (g_error_matches (error, ANTENNA_ERROR, ANTENNA_ERROR_PROTOCOL_VERSION))
        {
          /* A short title: a toast has one line, and its button says the rest. */
          g_debug ("%s", error->message);
          show_toast_full (self, _("The broker may not support MQTT 5"), 0,
                           _("Connect with MQTT 3.1.1"), "editor.use-mqtt-3-1-1");
        }
      else
        {
          show_toast (self, error->message, 10);
          show_test_result (self, error->message, FALSE);
        }
    }
  else
    {
      g_autofree char *address = antenna_profile_dup_display_address (antenna_client_get_profile (client));
      /* Translators: the test connection succeeded; %s is the broker's address. */
      g_autofree char *message = g_strdup_printf (_("Connected to %s: these settings work."), address);

      show_toast (self, message, 5);
      show_test_result (self, message, TRUE);
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
  g_autoptr(AntennaSecretStore) secrets = antenna_secret_store_new ();
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

  /* The other secrets as typed too; those not typed come from the keyring. */
  for (AntennaSecretKind kind = ANTENNA_SECRET_KEY_PASSPHRASE; kind < N_SECRET_KINDS; kind++)
    if (get_secret (self, kind)[0] != '\0')
      antenna_secret_store_hold_secret (secrets, profile, kind, get_secret (self, kind));

  self->test_client = antenna_client_new (profile);
  antenna_client_set_secret_store (self->test_client, secrets);
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  gtk_revealer_set_reveal_child (self->test_result_revealer, FALSE);
  validate (self);

  antenna_client_connect_async (self->test_client, password, self->cancellable,
                                on_test_connected_cb, weak_self (self));
}

/* The broker did not answer MQTT 5: the same test with 3.1.1, which Save keeps. */
static void
use_mqtt_3_1_1_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AntennaProfileEditor *self = ANTENNA_PROFILE_EDITOR (widget);

  antenna_profile_set_mqtt_version (self->copy, ANTENNA_MQTT_VERSION_3_1_1);
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->test_button)))
    on_test_clicked_cb (self);
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

typedef enum {
  SECRET_KEEP,
  SECRET_STORE,
  SECRET_CLEAR,
} SecretChange;

/* What Save does with the @kind secret: store what was typed when it
 * changed, remove it when emptied or no longer used. */
static SecretChange
secret_change (AntennaProfileEditor *self,
               AntennaSecretKind     kind)
{
  const char *typed = get_secret (self, kind);
  const char *loaded = self->loaded[kind];

  /* Nothing of a password not to remember may stay in the keyring. */
  if (kind == ANTENNA_SECRET_PASSWORD && !antenna_profile_get_save_password (self->original))
    return SECRET_CLEAR;

  if (!uses_secret (self->original, kind) || typed[0] == '\0')
    return loaded != NULL ? SECRET_CLEAR : SECRET_KEEP;

  return g_strcmp0 (typed, loaded) != 0 ? SECRET_STORE : SECRET_KEEP;
}

static void save_next_secret (AntennaProfileEditor *self);

static void
on_secret_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = take_self (user_data);
  g_autoptr(GError) error = NULL;
  AntennaSecretStore *secrets = ANTENNA_SECRET_STORE (object);
  gboolean cleared = g_async_result_is_tagged (result, antenna_secret_store_clear_secret_async);
  AntennaSecretKind kind;
  gboolean done;

  if (cleared)
    done = antenna_secret_store_clear_finish (secrets, result, &error);
  else
    done = antenna_secret_store_store_finish (secrets, result, &error);

  if (self == NULL)
    return;

  kind = self->saving;

  if (!done)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      message = dup_secret_error (kind, cleared, error->message);
      show_toast (self, message, 0);
      return;
    }

  /* A second Save, after a failure, does not do it again. */
  wipe (&self->loaded[kind]);
  if (!cleared)
    self->loaded[kind] = g_strdup (get_secret (self, kind));

  self->saving++;
  save_next_secret (self);
}

/* Each secret that changed, one after the other, then the end of Save. */
static void
save_next_secret (AntennaProfileEditor *self)
{
  for (; self->saving < N_SECRET_KINDS; self->saving++)
    {
      AntennaSecretKind kind = self->saving;

      switch (secret_change (self, kind))
        {
        case SECRET_STORE:
          antenna_secret_store_store_secret_async (self->secrets, self->original, kind, get_secret (self, kind),
                                                   self->cancellable, on_secret_saved_cb, weak_self (self));
          return;

        case SECRET_CLEAR:
          antenna_secret_store_clear_secret_async (self->secrets, self->original, kind,
                                                   self->cancellable, on_secret_saved_cb, weak_self (self));
          return;

        case SECRET_KEEP:
        default:
          break;
        }
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

  set_busy (self, TRUE);
  self->saving = 0;
  save_next_secret (self);
}

static void load_next_secret (AntennaProfileEditor *self);

static void
on_secret_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AntennaProfileEditor) self = take_self (user_data);
  g_autoptr(GError) error = NULL;
  AntennaSecretKind kind;
  char *secret;

  secret = antenna_secret_store_lookup_finish (ANTENNA_SECRET_STORE (object), result, &error);
  if (self == NULL)
    {
      wipe (&secret);
      return;
    }

  kind = self->loading;
  if (error != NULL)
    {
      /* The keyring's sentence once: the others would fail alike. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, 10);
      return;
    }

  /* Only when nothing was typed meanwhile. */
  if (secret != NULL && get_secret (self, kind)[0] == '\0')
    {
      self->loaded[kind] = g_strdup (secret);
      set_secret (self, kind, secret);
    }
  wipe (&secret);

  self->loading++;
  load_next_secret (self);
}

/* The secrets of the saved profile, one after the other. */
static void
load_next_secret (AntennaProfileEditor *self)
{
  for (; self->loading < N_SECRET_KINDS; self->loading++)
    {
      /* A password only where one is remembered (as the connect does). */
      if (self->loading == ANTENNA_SECRET_PASSWORD && !uses_secret (self->original, ANTENNA_SECRET_PASSWORD))
        continue;

      antenna_secret_store_lookup_secret_async (self->secrets, self->original, self->loading, self->cancellable,
                                                on_secret_loaded_cb, weak_self (self));
      return;
    }
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
  for (guint i = 0; i < N_SECRET_KINDS; i++)
    wipe (&self->loaded[i]);

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
  gtk_widget_class_install_action (widget_class, "editor.use-mqtt-3-1-1", NULL, use_mqtt_3_1_1_action);

  g_type_ensure (ANTENNA_TYPE_PROFILE_GENERAL_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_AUTH_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_SESSION_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_MQTT5_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_TLS_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_PROXY_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_WILL_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_SUBSCRIPTIONS_GROUP);
  g_type_ensure (ANTENNA_TYPE_PROFILE_DECODERS_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/antenna-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, test_result_revealer);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, test_result_label);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, general_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, auth_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, session_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, mqtt5_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, tls_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, proxy_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, will_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, subscriptions_group);
  gtk_widget_class_bind_template_child (widget_class, AntennaProfileEditor, decoders_group);
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
      /* A new connection shows everything its broker has until the person
       * narrows it down; it remembers what they subscribe to from then on. */
      if (g_list_model_get_n_items (antenna_profile_get_subscriptions (self->copy)) == 0)
        {
          g_autoptr(AntennaSubscription) everything = antenna_subscription_new ("#", 0);

          antenna_profile_add_subscription (self->copy, everything);
        }
      gtk_window_set_title (GTK_WINDOW (self), _("New Connection"));
    }

  /* The groups bind to it. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  g_signal_connect_object (self->copy, "notify",
                           G_CALLBACK (on_copy_notify_cb), self,
                           G_CONNECT_SWAPPED);
  validate (self);

  if (self->original != NULL)
    load_next_secret (self);

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

void
antenna_profile_editor_set_secret (AntennaProfileEditor *self,
                                   AntennaSecretKind     kind,
                                   const char           *secret)
{
  g_return_if_fail (ANTENNA_IS_PROFILE_EDITOR (self));
  g_return_if_fail (kind < N_SECRET_KINDS);

  set_secret (self, kind, secret);
}

gboolean
antenna_profile_editor_is_valid (AntennaProfileEditor *self)
{
  g_return_val_if_fail (ANTENNA_IS_PROFILE_EDITOR (self), FALSE);

  validate (self);

  return gtk_widget_get_sensitive (GTK_WIDGET (self->save_button));
}
