/* test-secret-store.c: AntennaSecretStore against a real gnome-keyring
 *
 * Runs inside the D-Bus session of build-aux/test (an unlocked, throwaway
 * gnome-keyring). The cases without a Secret Service run in subprocesses, on
 * a bus address that leads nowhere and on a private bus with no keyring:
 * libsecret keeps one SecretService per process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "antenna-cloud-preset.h"
#include "antenna-error.h"
#include "antenna-profile.h"
#include "antenna-profile-store.h"
#include "antenna-secret-store.h"
#include "antenna-test-bus.h"
#include "antenna-test-keyring.h"
#include "antenna-test-utils.h"

/* The user dirs of the session (where gnome-keyring keeps its files), from
 * before G_TEST_OPTION_ISOLATE_DIRS replaced them for this process. */
static const char * const session_dir_vars[] = {
  "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
};
static char *session_dirs[G_N_ELEMENTS (session_dir_vars)];
static gint64 start_time;

/* The same schema as the store's, declared here again: what another program
 * (Passwords and Keys, secret-tool) would see. */
static const SecretSchema test_schema = {
  SECRET_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "profile-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* The other secrets' schema, as another program would declare it. */
static const SecretSchema test_other_schema = {
  SECRET_OTHER_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "profile-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static char *
make_password (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  /* Unlike anything else on the disk; never printed. */
  return g_strdup_printf ("Antenna-Pw-%s-\xc3\xb1", uuid);
}

/* Every file under the session's and this test's home and XDG dirs, and every
 * file in the temporary folder written since the test began. */
static void
assert_no_file_contains (const char *password)
{
  const char *test_dirs[] = {
    g_get_home_dir (), g_get_user_config_dir (), g_get_user_data_dir (),
    g_get_user_cache_dir (), g_get_user_state_dir (), g_get_user_runtime_dir (),
  };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (session_dirs); i++)
    if (session_dirs[i] != NULL)
      n += antenna_test_assert_in_no_file (session_dirs[i], password, 0);
  for (guint i = 0; i < G_N_ELEMENTS (test_dirs); i++)
    n += antenna_test_assert_in_no_file (test_dirs[i], password, 0);
  n += antenna_test_assert_in_no_file (g_get_tmp_dir (), password, start_time - 1);

  g_test_message ("looked through %u files", n);
  g_assert_cmpuint (n, >, 0);
}

/* With the keyring */

typedef struct {
  AntennaSecretStore *store;
  AntennaProfile     *profile;
  char               *password;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_error ("This test needs a D-Bus session with an unlocked gnome-keyring: run it with build-aux/test.");

  f->store = antenna_secret_store_new ();
  f->profile = antenna_profile_new ();
  antenna_profile_set_name (f->profile, "Keyring test");
  f->password = make_password ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  antenna_test_secret_clear (f->store, f->profile, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&f->profile));
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_free (f->password);
}

static GList *
search_items (AntennaProfile *profile)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  attributes = secret_attributes_build (&test_schema, "profile-id", antenna_profile_get_id (profile), NULL);
  items = secret_service_search_sync (NULL, &test_schema, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                      NULL, &error);
  g_assert_no_error (error);
  return items;
}

static void
test_store_lookup_clear (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_password = make_password ();
  g_autoptr(AntennaProfile) stranger = antenna_profile_new ();
  char *found;
  GList *items;

  /* Nothing yet: NULL without an error. */
  found = antenna_test_secret_lookup (f->store, f->profile, &error);
  g_assert_no_error (error);
  g_assert_null (found);

  g_assert_true (antenna_test_secret_store (f->store, f->profile, f->password, &error));
  g_assert_no_error (error);

  found = antenna_test_secret_lookup (f->store, f->profile, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (found, f->password) == 0);
  secret_password_free (found);

  /* Another program finds it under the schema and attribute, with a label
   * a person understands. */
  found = secret_password_lookup_sync (&test_schema, NULL, &error,
                                       "profile-id", antenna_profile_get_id (f->profile),
                                       NULL);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (found, f->password) == 0);
  secret_password_free (found);

  items = search_items (f->profile);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *label = secret_item_get_label (items->data);
    g_assert_cmpstr (label, ==, "Antenna password for Keyring test");
  }
  g_list_free_full (items, g_object_unref);

  /* Storing again replaces it: still one item. */
  g_assert_true (antenna_test_secret_store (f->store, f->profile, other_password, &error));
  g_assert_no_error (error);
  found = antenna_test_secret_lookup (f->store, f->profile, &error);
  g_assert_true (g_strcmp0 (found, other_password) == 0);
  secret_password_free (found);
  items = search_items (f->profile);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  /* Another profile's password is its own. */
  found = antenna_test_secret_lookup (f->store, stranger, &error);
  g_assert_no_error (error);
  g_assert_null (found);

  /* Clear, and clear again: both fine. */
  g_assert_true (antenna_test_secret_clear (f->store, f->profile, &error));
  g_assert_no_error (error);
  found = antenna_test_secret_lookup (f->store, f->profile, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  items = search_items (f->profile);
  g_assert_null (items);
  g_assert_true (antenna_test_secret_clear (f->store, f->profile, &error));
  g_assert_no_error (error);
}

static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AntennaProfile) copy = antenna_profile_copy (f->profile);
  g_autoptr(AntennaProfile) empty = antenna_profile_new ();
  g_autoptr(AntennaProfile) empty_copy = antenna_profile_new ();
  g_autoptr(GError) error = NULL;
  char *found;

  antenna_profile_regenerate_id (copy);
  antenna_profile_set_name (copy, "Keyring test (2)");

  g_assert_true (antenna_test_secret_store (f->store, f->profile, f->password, &error));
  g_assert_no_error (error);
  g_assert_true (antenna_test_secret_copy (f->store, f->profile, copy, &error));
  g_assert_no_error (error);

  found = antenna_test_secret_lookup (f->store, copy, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (found, f->password) == 0);
  secret_password_free (found);

  /* The original keeps its own. */
  found = antenna_test_secret_lookup (f->store, f->profile, &error);
  g_assert_true (g_strcmp0 (found, f->password) == 0);
  secret_password_free (found);

  /* Each is its own item, labelled with its own name. */
  {
    GList *items = search_items (copy);

    g_autofree char *label = NULL;

    g_assert_cmpuint (g_list_length (items), ==, 1);
    label = secret_item_get_label (items->data);
    g_assert_cmpstr (label, ==, "Antenna password for Keyring test (2)");
    g_list_free_full (items, g_object_unref);
  }

  /* Clearing one leaves the other. */
  g_assert_true (antenna_test_secret_clear (f->store, copy, &error));
  found = antenna_test_secret_lookup (f->store, copy, &error);
  g_assert_null (found);
  found = antenna_test_secret_lookup (f->store, f->profile, &error);
  g_assert_true (g_strcmp0 (found, f->password) == 0);
  secret_password_free (found);

  /* Copying from a profile without a password: fine, and nothing stored. */
  g_assert_true (antenna_test_secret_copy (f->store, empty, empty_copy, &error));
  g_assert_no_error (error);
  found = antenna_test_secret_lookup (f->store, empty_copy, &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *found;

  g_cancellable_cancel (cancellable);
  antenna_secret_store_store_async (f->store, f->profile, f->password, cancellable, antenna_test_store_result, &result);
  g_assert_false (antenna_secret_store_store_finish (f->store, antenna_test_wait_result (&result, ANTENNA_TEST_KEYRING_WAIT_MS), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_error (&error);
  found = antenna_test_secret_lookup (f->store, f->profile, &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_no_file_has_password (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(AntennaProfile) copy = antenna_profile_copy (f->profile);
  g_autoptr(GError) error = NULL;
  char *found;

  antenna_profile_regenerate_id (copy);

  /* A whole scenario, the password left in the keyring. */
  g_assert_true (antenna_test_secret_store (f->store, f->profile, f->password, &error));
  g_assert_no_error (error);
  found = antenna_test_secret_lookup (f->store, f->profile, &error);
  g_assert_true (g_strcmp0 (found, f->password) == 0);
  secret_password_free (found);
  g_assert_true (antenna_test_secret_copy (f->store, f->profile, copy, &error));
  g_assert_no_error (error);

  assert_no_file_contains (f->password);

  g_assert_true (antenna_test_secret_clear (f->store, copy, &error));
  g_assert_no_error (error);
}

static void
clear_all_ok (AntennaSecretStore *store,
              AntennaProfile     *profile)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  antenna_secret_store_clear_all_async (store, profile, NULL, antenna_test_store_result, &result);
  g_assert_true (antenna_secret_store_clear_finish (store, antenna_test_wait_result (&result, ANTENNA_TEST_KEYRING_WAIT_MS), &error));
  g_assert_no_error (error);
}

/* The password, the key passphrase and the proxy password of one profile
 * are three items that never stand in for one another: a password lookup
 * (the attribute profile-id alone, since the first release) finds the
 * password only. Clearing the password leaves the others; a copy takes them
 * all; clear_all removes them all. */
static void
test_kinds (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AntennaProfile) copy = antenna_profile_copy (f->profile);
  g_autofree char *passphrase = make_password ();
  g_autofree char *proxy_password = make_password ();
  GList *items;

  antenna_profile_regenerate_id (copy);

  /* The others first: a password lookup must not find them. */
  antenna_test_secret_store_secret_ok (f->store, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);
  antenna_test_secret_store_secret_ok (f->store, f->profile, ANTENNA_SECRET_PROXY_PASSWORD, proxy_password);
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_PASSWORD, NULL);
  items = search_items (f->profile);
  g_assert_null (items);

  antenna_test_secret_store_ok (f->store, f->profile, f->password);
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_PASSWORD, f->password);
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_PROXY_PASSWORD, proxy_password);

  /* Another program sees them under the second schema, labelled. */
  {
    g_autoptr(GError) error = NULL;
    char *secret = secret_password_lookup_sync (&test_other_schema, NULL, &error,
                                                "profile-id", antenna_profile_get_id (f->profile),
                                                "kind", "key-passphrase",
                                                NULL);

    g_assert_no_error (error);
    g_assert_true (g_strcmp0 (secret, passphrase) == 0);
    secret_password_free (secret);
  }

  /* The password cleared: the others stay. */
  antenna_test_secret_clear_ok (f->store, f->profile);
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_PASSWORD, NULL);
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);

  /* A copy takes every one there is. */
  g_assert_true (antenna_test_secret_copy (f->store, f->profile, copy, NULL));
  antenna_test_assert_secret (f->store, copy, ANTENNA_SECRET_PASSWORD, NULL);
  antenna_test_assert_secret (f->store, copy, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);
  antenna_test_assert_secret (f->store, copy, ANTENNA_SECRET_PROXY_PASSWORD, proxy_password);

  /* One kind cleared alone. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    antenna_secret_store_clear_secret_async (f->store, copy, ANTENNA_SECRET_PROXY_PASSWORD, NULL,
                                             antenna_test_store_result, &result);
    g_assert_true (antenna_secret_store_clear_finish (f->store, antenna_test_wait_result (&result, ANTENNA_TEST_KEYRING_WAIT_MS), &error));
    g_assert_no_error (error);
    antenna_test_assert_secret (f->store, copy, ANTENNA_SECRET_PROXY_PASSWORD, NULL);
    antenna_test_assert_secret (f->store, copy, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);
  }

  /* A deleted connection leaves nothing. */
  antenna_test_secret_store_ok (f->store, copy, f->password);
  clear_all_ok (f->store, copy);
  clear_all_ok (f->store, f->profile);
  for (guint kind = ANTENNA_SECRET_PASSWORD; kind <= ANTENNA_SECRET_PROXY_PASSWORD; kind++)
    {
      antenna_test_assert_secret (f->store, copy, kind, NULL);
      antenna_test_assert_secret (f->store, f->profile, kind, NULL);
    }
}

/* A secret held in a store's memory (what the editor's Test Connection
 * does with what was typed): that store's lookups answer it, the keyring
 * and another store never see it, and dropping it brings the keyring's back. */
static void
test_held (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AntennaSecretStore) other = antenna_secret_store_new ();
  g_autofree char *held = make_password ();

  antenna_test_secret_store_secret_ok (f->store, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, f->password);
  antenna_secret_store_hold_secret (f->store, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, held);
  antenna_secret_store_hold_secret (f->store, f->profile, ANTENNA_SECRET_PROXY_PASSWORD, held);

  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, held);
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_PROXY_PASSWORD, held);
  /* Only the kinds held. */
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_PASSWORD, NULL);
  antenna_test_assert_secret (other, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, f->password);
  antenna_test_assert_secret (other, f->profile, ANTENNA_SECRET_PROXY_PASSWORD, NULL);
  assert_no_file_contains (held);

  antenna_secret_store_hold_secret (f->store, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, NULL);
  antenna_test_assert_secret (f->store, f->profile, ANTENNA_SECRET_KEY_PASSPHRASE, f->password);

  clear_all_ok (f->store, f->profile);
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* What a cloud preset asks for that is secret (the Azure device key, the
 * passphrase of an AWS key) goes to the keyring, labelled for a person, and
 * into no file, though the profiles around it are saved. */
static void
test_cloud_secrets (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AntennaCloudPreset) azure = antenna_cloud_preset_new (ANTENNA_CLOUD_AZURE_IOT_HUB);
  g_autoptr(AntennaCloudPreset) aws = antenna_cloud_preset_new (ANTENNA_CLOUD_AWS_IOT);
  g_autoptr(AntennaProfile) azure_profile = NULL;
  g_autoptr(AntennaProfile) aws_profile = NULL;
  g_autoptr(AntennaProfileStore) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "antenna", NULL);
  g_autofree char *path = g_build_filename (dir, "profiles.json", NULL);
  g_autofree char *cert = g_build_filename (dir, "thing.pem.crt", NULL);
  g_autofree char *key = g_build_filename (dir, "thing.pem.key", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *passphrase = make_password ();
  g_autofree char *device_key = NULL;
  guint8 key_bytes[32];

  /* A device key of its own: Base64 of 32 random bytes. */
  for (guint i = 0; i < sizeof key_bytes; i++)
    key_bytes[i] = (guint8) g_random_int_range (0, 256);
  device_key = g_base64_encode (key_bytes, sizeof key_bytes);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (cert, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", -1, NULL));
  g_assert_true (g_file_set_contents (key, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n-----END ENCRYPTED PRIVATE KEY-----\n", -1, NULL));

  g_object_set (azure, "hub-name", "antenna-hub", "device-id", "sensor-7", NULL);
  g_assert_true (antenna_cloud_preset_check (azure, ANTENNA_CLOUD_FIELD_DEVICE_KEY, device_key, NULL));
  azure_profile = antenna_cloud_preset_create_profile (azure, &error);
  g_assert_no_error (error);
  g_object_set (aws, "host", "abc-ats.iot.eu-west-1.amazonaws.com", "device-id", "thing",
                "cert-file", cert, "key-file", key, NULL);
  g_assert_false (antenna_cloud_preset_check (aws, ANTENNA_CLOUD_FIELD_KEY_PASSPHRASE, "", NULL));
  aws_profile = antenna_cloud_preset_create_profile (aws, &error);
  g_assert_no_error (error);

  antenna_test_secret_store_ok (f->store, azure_profile, device_key);
  antenna_test_secret_store_secret_ok (f->store, aws_profile, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);

  profiles = antenna_profile_store_new (path);
  antenna_profile_store_add (profiles, azure_profile);
  antenna_profile_store_add (profiles, aws_profile);
  g_assert_true (antenna_profile_store_save (profiles, &error));
  g_assert_no_error (error);
  saved = antenna_test_read_file (path);
  g_assert_nonnull (strstr (saved, "antenna-hub.azure-devices.net/sensor-7/?api-version=2021-04-12"));
  g_assert_nonnull (strstr (saved, "\"azure-sas\""));

  /* In the keyring, labelled for a person. */
  antenna_test_assert_secret (f->store, azure_profile, ANTENNA_SECRET_PASSWORD, device_key);
  antenna_test_assert_secret (f->store, aws_profile, ANTENNA_SECRET_KEY_PASSPHRASE, passphrase);
  {
    GList *items = search_items (azure_profile);
    g_autofree char *label = NULL;

    g_assert_cmpuint (g_list_length (items), ==, 1);
    label = secret_item_get_label (items->data);
    g_assert_cmpstr (label, ==, "Antenna device key for Azure IoT Hub – sensor-7");
    g_list_free_full (items, g_object_unref);
  }

  /* In no file. */
  assert_no_file_contains (device_key);
  assert_no_file_contains (passphrase);

  clear_all_ok (f->store, azure_profile);
  clear_all_ok (f->store, aws_profile);
}

/* Without a Secret Service */

static void
assert_keyring_absent (GError *error)
{
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_SECRET_SERVICE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The system keyring is not available (no Secret Service on the session bus)"));
}

static void
run_without_service (void)
{
  g_autoptr(AntennaSecretStore) store = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaProfile) copy = antenna_profile_new ();
  g_autofree char *password = make_password ();
  g_autoptr(GError) error = NULL;
  char *found;

  g_assert_false (antenna_test_secret_store (store, profile, password, &error));
  assert_keyring_absent (error);
  g_clear_error (&error);

  found = antenna_test_secret_lookup (store, profile, &error);
  g_assert_null (found);
  assert_keyring_absent (error);
  g_clear_error (&error);

  g_assert_false (antenna_test_secret_clear (store, profile, &error));
  assert_keyring_absent (error);
  g_clear_error (&error);

  g_assert_false (antenna_test_secret_copy (store, profile, copy, &error));
  assert_keyring_absent (error);

  /* And no fallback to a file. */
  assert_no_file_contains (password);
}

/* Runs this test again in a subprocess whose session bus is @address
 * (libsecret keeps one SecretService per process). */
static void
trap_subprocess_on_bus (const char *address)
{
  g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (saved != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
}

static void
test_no_service_bogus_address (void)
{
  if (g_test_subprocess ())
    {
      run_without_service ();
      return;
    }

  trap_subprocess_on_bus ("unix:path=/nonexistent/antenna-test/bus");
  g_test_trap_assert_passed ();
}

/* A session bus of our own with nothing on it: no Secret Service, and
 * nothing that would start one on demand. */
static void
test_no_service_empty_bus (void)
{
  g_autoptr(AntennaTestBus) bus = NULL;

  if (g_test_subprocess ())
    {
      run_without_service ();
      return;
    }

  bus = antenna_test_bus_new ();
  trap_subprocess_on_bus (antenna_test_bus_get_address (bus));
  g_test_trap_assert_passed ();
}

/* A locked keyring that cannot be unlocked (no prompt can be shown): every
 * operation says so, none pretends there is nothing. */

static void
assert_keyring_locked (GError *error)
{
  g_assert_error (error, ANTENNA_ERROR, ANTENNA_ERROR_SECRET_SERVICE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The keyring is locked."));
}

static void
run_locked (void)
{
  g_autoptr(AntennaSecretStore) store = antenna_secret_store_new ();
  g_autoptr(AntennaProfile) profile = antenna_profile_new ();
  g_autoptr(AntennaProfile) other = antenna_profile_new ();
  g_autofree char *password = make_password ();
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  GList *collections;
  char *found;
  int n_locked;

  g_assert_true (antenna_test_secret_store (store, profile, password, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collections = secret_service_get_collections (service);
  n_locked = secret_service_lock_sync (service, collections, NULL, NULL, &error);
  g_list_free_full (collections, g_object_unref);
  g_assert_no_error (error);
  g_assert_cmpint (n_locked, >, 0);

  found = antenna_test_secret_lookup (store, profile, &error);
  g_assert_null (found);
  assert_keyring_locked (error);
  g_clear_error (&error);

  g_assert_false (antenna_test_secret_clear (store, profile, &error));
  assert_keyring_locked (error);
  g_clear_error (&error);

  g_assert_false (antenna_test_secret_store (store, other, password, &error));
  assert_keyring_locked (error);
  g_clear_error (&error);

  g_assert_false (antenna_test_secret_copy (store, profile, other, &error));
  assert_keyring_locked (error);
  g_clear_error (&error);

  /* A profile that never had a password is still just "none". */
  found = antenna_test_secret_lookup (store, other, &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_locked (void)
{
  g_autoptr(AntennaTestBus) bus = NULL;

  if (g_test_subprocess ())
    {
      run_locked ();
      return;
    }

  bus = antenna_test_bus_new ();
  antenna_test_bus_start_keyring (bus);
  trap_subprocess_on_bus (antenna_test_bus_get_address (bus));
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  for (guint i = 0; i < G_N_ELEMENTS (session_dir_vars); i++)
    session_dirs[i] = g_strdup (g_getenv (session_dir_vars[i]));
  start_time = g_get_real_time () / G_USEC_PER_SEC;

  antenna_test_init (&argc, &argv, ANTENNA_TEST_INIT_ISOLATE_DIRS);

#define ADD(path, func) \
  g_test_add ("/antenna/secret-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("store-lookup-clear", test_store_lookup_clear);
  ADD ("copy", test_copy);
  ADD ("cancelled", test_cancelled);
  ADD ("no-file-has-password", test_no_file_has_password);
  ADD ("kinds", test_kinds);
  ADD ("cloud-secrets", test_cloud_secrets);
  ADD ("held", test_held);

#undef ADD

  g_test_add_func ("/antenna/secret-store/no-service/bogus-address", test_no_service_bogus_address);
  g_test_add_func ("/antenna/secret-store/no-service/empty-bus", test_no_service_empty_bus);
  g_test_add_func ("/antenna/secret-store/locked", test_locked);

  return g_test_run ();
}
