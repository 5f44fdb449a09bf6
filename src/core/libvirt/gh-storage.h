/* gh-storage.h: the pool new disks go to, and the volumes Greenhouse makes in it
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to src/core. Every function here calls libvirt: worker threads only.
 */

#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* Where new disks go on one connection. */
typedef struct
{
  char     *name;
  char     *path;       /* its directory, whether it exists yet or not */
  gboolean  exists;     /* libvirt knows the pool */
  guint64   available;  /* bytes free there; G_MAXUINT64 when it cannot be known yet */
} GhStoragePlace;

void                _gh_storage_place_clear      (GhStoragePlace  *place);

/* The pool new disks go to: on a session connection "greenhouse" in
 * $XDG_DATA_HOME/greenhouse/images; elsewhere "default" when it exists, else
 * "greenhouse" in libvirt's images directory. @local: the daemon runs on this computer,
 * so the file system it sees is ours too. */
gboolean            _gh_storage_find_place       (virConnectPtr    conn,
                                                  gboolean         session,
                                                  gboolean         local,
                                                  GhStoragePlace  *place,
                                                  GError         **error);

/* What _gh_storage_ensure_pool() made, so that exactly that can be taken back. */
typedef struct
{
  gboolean  defined;       /* the pool was defined by us */
  gboolean  started;       /* it was inactive and we started it */
  char     *first_dir;     /* the outermost directory we created (local only), or NULL */
} GhStorageUndo;

void                _gh_storage_undo_clear       (GhStorageUndo   *undo);

/* The pool of @place, defined, built, started and set to autostart if missing. On
 * failure, what it did is already undone. */
virStoragePoolPtr   _gh_storage_ensure_pool      (virConnectPtr    conn,
                                                  const GhStoragePlace *place,
                                                  gboolean         local,
                                                  GhStorageUndo   *undo,
                                                  GError         **error);
/* Takes back what @undo says was made; @pool may be NULL when only directories were.
 * FALSE: a pool we defined is still defined (the daemon refused, or went away). */
gboolean            _gh_storage_undo_pool        (virStoragePoolPtr pool,
                                                  GhStorageUndo   *undo);
/* The outermost directory of @path that does not exist yet (on this computer), or NULL:
 * what making @path would make, so that exactly that can be taken back. */
char               *_gh_storage_dup_first_missing_dir (const char *path);
/* Removes the empty directories from @path up to @first (made by us), as far as they
 * go; nothing when @first is NULL. */
void                _gh_storage_remove_made_dirs (const char      *path,
                                                  const char      *first);

/* Bytes free in @pool, read again now. */
gboolean            _gh_storage_pool_available   (virStoragePoolPtr pool,
                                                  guint64         *available,
                                                  GError         **error);

/* A new, empty (sparse) volume @name of @capacity bytes in @format ("qcow2", "raw"). */
virStorageVolPtr    _gh_storage_create_volume    (virStoragePoolPtr pool,
                                                  const char      *name,
                                                  const char      *format,
                                                  guint64          capacity,
                                                  GError         **error);

/* Writes the local file @path into @volume through libvirt (virStorageVolUpload), so the
 * daemon owns what it writes and it works on any connection. Stops when @cancellable is
 * cancelled. */
gboolean            _gh_storage_upload           (virConnectPtr    conn,
                                                  virStorageVolPtr volume,
                                                  const char      *path,
                                                  GCancellable    *cancellable,
                                                  GError         **error);
/* The same from @fd, read from where it stands to its end; @fd stays open. For a file
 * that exists nowhere but in this process (an install's answers). */
gboolean            _gh_storage_upload_fd        (virConnectPtr    conn,
                                                  virStorageVolPtr volume,
                                                  int              fd,
                                                  GCancellable    *cancellable,
                                                  GError         **error);

/* After an upload into @volume of @pool: libvirt, reading the file again, sees a
 * @format image that names no other file (no <backingStore> in the volume's
 * definition). The image was inspected before; this catches one that changed since. */
gboolean            _gh_storage_volume_stands_alone (virStoragePoolPtr pool,
                                                     virStorageVolPtr  volume,
                                                     const char       *format,
                                                     GError          **error);

G_END_DECLS
