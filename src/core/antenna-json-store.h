/* antenna-json-store.h: what the profile store and the template store share
 *
 * Each is a GListModel of the objects saved in one JSON file of its own
 * (antenna-json-file.h). AntennaJsonStore, a plain struct the store embeds,
 * holds that list and that file: the items the model shows; the deferred
 * save after a change when autosave is on (one write per main loop
 * iteration, ::save-failed when it fails, a pending one done at dispose);
 * the load that keeps what could be read and sets a file it cannot fully
 * read aside, never to write over it when that fails. The store keeps its
 * file format and the messages that say what it keeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a store's read function made of its file (see
 * antenna_json_store_load()), and what the load did with it. */
typedef struct
{
  GPtrArray *items;        /* what could be read (owned); NULL: nothing */
  guint      n_bad;        /* entries that could not be read, left out */
  GError    *first_error;  /* why the first of them could not */
  gboolean   newer;        /* a newer format version, read as far as it could be */
  GError    *error;        /* why the file as a whole could not be read */
  /* Set by antenna_json_store_load() when it returns FALSE: */
  char      *aside;        /* where the file was set aside */
  GError    *aside_error;  /* or why it could not be (the store is blocked) */
} AntennaJsonStoreLoad;

typedef struct
{
  /* Reads the file's @contents into @load: items, n_bad and first_error,
   * newer, or error for a file that is not one of the store's. @contents is
   * NULL when the file is there but could not be read: set error. */
  void       (*read)             (gpointer               store,
                                  const char            *contents,
                                  gsize                  length,
                                  AntennaJsonStoreLoad  *load);
  /* Makes @items (of the item type) the store's items, emitting items-changed. */
  void       (*replace)          (gpointer               store,
                                  GPtrArray             *items);
  /* The store's own save(). */
  gboolean   (*save)             (gpointer               store,
                                  GError               **error);
  const char  *save_source_name;
} AntennaJsonStoreFuncs;

typedef struct
{
  /* Borrowed References */
  GObject                     *owner;   /* the store */
  const AntennaJsonStoreFuncs *funcs;

  /* Owned References */
  char                        *path;
  GPtrArray                   *items;   /* what the store's GListModel shows */

  guint                        save_failed_signal;
  guint                        save_source;
  guint                        autosave : 1;
  /* The file could neither be read nor set aside: never write over it. */
  guint                        blocked : 1;
} AntennaJsonStore;

/* @save_failed_signal: the owner's ::save-failed (GError *), emitted when an
 * autosave fails. */
void      antenna_json_store_init           (AntennaJsonStore            *self,
                                             GObject                     *owner,
                                             const AntennaJsonStoreFuncs *funcs,
                                             guint                        save_failed_signal);
void      antenna_json_store_clear          (AntennaJsonStore            *self);

/* GListModel.get_item() */
gpointer  antenna_json_store_get_item       (AntennaJsonStore            *self,
                                             guint                        position);

/* After a change: saves at the next idle when autosave is on. */
void      antenna_json_store_schedule_save  (AntennaJsonStore            *self);
/* A save now makes a pending autosave pointless. */
void      antenna_json_store_cancel_save    (AntennaJsonStore            *self);
/* For dispose: a change waiting for its autosave is not lost at exit. */
void      antenna_json_store_save_pending   (AntennaJsonStore            *self);
/* Turning it off drops a pending autosave. Returns whether it changed. */
gboolean  antenna_json_store_set_autosave   (AntennaJsonStore            *self,
                                             gboolean                     autosave);

/* Reads the file through funcs->read and puts what it read in the store
 * (a missing file is an empty store). Returns TRUE when all of it could be
 * read. Otherwise @load says why (error, or n_bad and first_error; error
 * is ANTENNA_ERROR_NEWER_VERSION for a newer format version), and where
 * the file was set aside (aside, also in *@moved_to) or why it could not be
 * (aside_error: the store is blocked, its saves fail). What could be read
 * is saved anew at once when the file was set aside. */
gboolean  antenna_json_store_load           (AntennaJsonStore            *self,
                                             char                       **moved_to,
                                             AntennaJsonStoreLoad        *load);
void      antenna_json_store_load_clear     (AntennaJsonStoreLoad        *load);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AntennaJsonStoreLoad, antenna_json_store_load_clear)

/* The document of a store's file, or of an export: {"format": @format,
 * "version": @version, @member: [@to_json (item), …]}; add members to its
 * object before antenna_json_store_dup_data(). */
JsonNode *antenna_json_store_new_document   (const char                  *format,
                                             gint64                       version,
                                             const char                  *member,
                                             GPtrArray                   *items,
                                             JsonNode                 *(*to_json) (gpointer item));
/* @root as the files are written: pretty-printed. */
char     *antenna_json_store_dup_data       (JsonNode                    *root);

G_END_DECLS
