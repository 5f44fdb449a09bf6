/* gh-machine-disks.c: adding a new disk to a machine, and taking one away
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>

#include "gh-domain-disks.h"
#include "gh-domain-editor.h"
#include "gh-error-private.h"
#include "gh-machine-private.h"
#include "gh-storage.h"

typedef struct
{
  MachineTask  base;
  guint64      capacity;  /* bytes */
  gboolean     session;   /* of the connection: where a new pool would go */
  gboolean     local;
} AddDiskData;

static void
add_disk_data_free (AddDiskData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data);
}

typedef struct
{
  MachineTask  base;
  char        *target;         /* "vdb" */
  gboolean     delete_volume;
} RemoveDiskData;

static void
remove_disk_data_free (RemoveDiskData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data->target);
  g_free (data);
}

/* Runs in a worker: a volume name in @pool that is not taken, "name-2.qcow2" and on. */
static char *
free_volume_name (virStoragePoolPtr  pool,
                  const char        *machine)
{
  for (guint n = 2; n < 1000; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u.qcow2", machine, n);
      virStorageVolPtr taken = virStorageVolLookupByName (pool, name);

      virResetLastError ();
      if (taken == NULL)
        return g_steal_pointer (&name);
      virStorageVolFree (taken);
    }

  return g_uuid_string_random ();
}

/* Runs in a worker: the pool of the machine's first disk that is a pool's volume. */
static virStoragePoolPtr
pool_of_first_volume (virConnectPtr   conn,
                      GhDomainEditor *editor)
{
  g_autoptr(GPtrArray) disks = gh_domain_editor_dup_disks (editor);
  virStoragePoolPtr pool = NULL;

  for (guint i = 0; i < disks->len && pool == NULL; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);
      virStorageVolPtr vol;

      if (g_strcmp0 (disk->device, "disk") != 0)
        continue;
      vol = _gh_domain_disk_lookup_volume (disk, conn);
      if (vol != NULL)
        {
          pool = virStoragePoolLookupByVolume (vol);
          virStorageVolFree (vol);
        }
    }
  virResetLastError ();

  return pool;
}

static void
add_disk_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AddDiskData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autofree char *volume_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  GhStoragePlace place = { 0 };
  GhStorageUndo undo = { 0 };
  GError *error = NULL;
  virStoragePoolPtr pool = NULL;
  virStorageVolPtr vol = NULL;

  editor = _gh_machine_task_read_definition (&data->base, NULL, &error);
  if (editor == NULL)
    goto out;

  /* Beside the machine's other disks, else where new machines' disks go. */
  pool = pool_of_first_volume (data->base.conn, editor);
  if (pool != NULL)
    goto have_pool;
  if (!_gh_storage_find_place (data->base.conn, data->session, data->local, &place, &error))
    {
      g_prefix_error (&error, "%s: ", data->base.failure);
      goto out;
    }
  pool = _gh_storage_ensure_pool (data->base.conn, &place, data->local, &undo, &error);
  if (pool == NULL)
    {
      g_prefix_error (&error, "%s: ", data->base.failure);
      goto out;
    }

have_pool:
  volume_name = free_volume_name (pool, gh_domain_editor_get_name (editor));
  vol = _gh_storage_create_volume (pool, volume_name, "qcow2", data->capacity, &error);
  if (vol == NULL)
    {
      g_prefix_error (&error, "%s: ", data->base.failure);
      goto out;
    }
  path = virStorageVolGetPath (vol);
  if (path == NULL)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_STORAGE, data->base.failure);
      goto out;
    }

  target = gh_domain_editor_add_disk (editor, path, "qcow2", TRUE, &error);
  if (target == NULL)
    g_prefix_error (&error, "%s: ", data->base.failure);
  else
    _gh_machine_define_editor (&data->base, editor, &error);

out:
  /* A disk no machine got is not left behind. */
  if (error != NULL && vol != NULL)
    virStorageVolDelete (vol, 0);
  if (error != NULL && pool != NULL)
    _gh_storage_undo_pool (pool, &undo);
  g_clear_pointer (&vol, virStorageVolFree);
  g_clear_pointer (&pool, virStoragePoolFree);
  _gh_storage_undo_clear (&undo);
  _gh_storage_place_clear (&place);
  _gh_machine_task_return_boolean (&data->base, task, error);
}

/**
 * gh_machine_add_disk_async:
 * @capacity: bytes; the qcow2 volume grows up to it as the guest writes
 *
 * Makes a new, empty volume in the pool new machines' disks go to and gives it to the
 * machine as a virtio disk. If the machine cannot have it, the volume is deleted again.
 */
void
gh_machine_add_disk_async (GhMachine           *self,
                           guint64              capacity,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AddDiskData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (capacity > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (AddDiskData, 1);
  data->capacity = capacity;
  _gh_machine_get_connection_kind (self, &data->session, &data->local);
  task = _gh_machine_task_new (self, gh_machine_add_disk_async,
                               /* Translators: %s is a machine's name */
                               g_strdup_printf (_("Could not add a disk to “%s”"),
                                                gh_machine_get_display_name (self)),
                               &data->base, (GDestroyNotify) add_disk_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, add_disk_thread);
}

gboolean
gh_machine_add_disk_finish (GhMachine     *self,
                            GAsyncResult  *result,
                            gboolean      *next_boot,
                            GError       **error)
{
  return _gh_machine_edit_finish_common (self, result, gh_machine_add_disk_async,
                                        next_boot, error);
}

static void
remove_disk_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  RemoveDiskData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) disks = NULL;
  GError *error = NULL;
  virStorageVolPtr vol = NULL;

  editor = _gh_machine_task_read_definition (&data->base, NULL, &error);
  if (editor == NULL)
    goto out;

  /* Which volume goes is decided before anything changes: if that cannot be decided,
   * the disk stays too. */
  disks = gh_domain_editor_dup_disks (editor);
  for (guint i = 0; data->delete_volume && i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);
      gboolean used = FALSE;

      if (g_strcmp0 (disk->target, data->target) != 0)
        continue;

      vol = _gh_machine_add_storage_keys (data->base.conn, keys,
                                          disk->path, disk->pool, disk->volume);
      if (vol == NULL)
        {
          _gh_error_set (&error, GH_ERROR_STORAGE, data->base.failure,
                         _("its image is not a volume of a storage pool, so Greenhouse "
                           "does not delete it"));
          goto out;
        }
      if (!_gh_machine_volume_used_elsewhere (data->base.conn, data->base.uuid, keys, &used,
                                              &error))
        {
          g_prefix_error (&error, "%s: ", data->base.failure);
          goto out;
        }
      if (used)
        {
          _gh_error_set (&error, GH_ERROR_STORAGE, data->base.failure,
                         _("another machine or disk image uses its volume"));
          goto out;
        }
    }

  if (!gh_domain_editor_remove_disk (editor, data->target, &error))
    {
      g_prefix_error (&error, "%s: ", data->base.failure);
      goto out;
    }
  if (!_gh_machine_define_editor (&data->base, editor, &error))
    goto out;

  if (vol != NULL && virStorageVolDelete (vol, 0) < 0)
    {
      g_autofree char *what = NULL;

      /* Translators: %s is a disk's target, like "vdb" */
      what = g_strdup_printf (_("The disk “%s” was removed, but its volume could not be deleted"),
                              data->target);
      _gh_error_set_from_libvirt (&error, GH_ERROR_STORAGE, what);
    }

out:
  g_clear_pointer (&vol, virStorageVolFree);
  _gh_machine_task_return_boolean (&data->base, task, error);
}

/**
 * gh_machine_remove_disk_async:
 * @target: the disk's target, "vdb"
 * @delete_volume: delete its storage volume too
 *
 * Takes a disk out of the machine's definition. With @delete_volume its volume is deleted
 * afterwards, unless it is no pool's volume or another machine (or volume) uses it: then
 * nothing changes and the error says why.
 */
void
gh_machine_remove_disk_async (GhMachine           *self,
                              const char          *target,
                              gboolean             delete_volume,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RemoveDiskData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (target != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (RemoveDiskData, 1);
  data->target = g_strdup (target);
  data->delete_volume = !!delete_volume;
  task = _gh_machine_task_new (self, gh_machine_remove_disk_async,
                               /* Translators: %s is a disk's target, like "vdb" */
                               g_strdup_printf (_("Could not remove the disk “%s”"), target),
                               &data->base, (GDestroyNotify) remove_disk_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, remove_disk_thread);
}

gboolean
gh_machine_remove_disk_finish (GhMachine     *self,
                               GAsyncResult  *result,
                               gboolean      *next_boot,
                               GError       **error)
{
  return _gh_machine_edit_finish_common (self, result, gh_machine_remove_disk_async,
                                        next_boot, error);
}
