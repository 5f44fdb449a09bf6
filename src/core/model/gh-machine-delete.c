/* gh-machine-delete.c: deleting a machine, and which storage belongs to it alone
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>

#include "gh-cleanup-journal.h"
#include "gh-domain-disks.h"
#include "gh-error-private.h"
#include "gh-machine-private.h"
#include "gh-test-point-private.h"

typedef struct
{
  MachineTask  base;
  gboolean     delete_storage;  /* the volumes that belong to this machine alone go too */
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data);
}

/* Storage can be named in several ways: a path, written as anyone likes ("/p//x",
 * "/p/./x"), or a pool and a volume. Whatever names a volume adds every key of it to
 * @keys, so that two names of the same volume always share a key. */
static void
add_volume_keys (virStorageVolPtr  vol,
                 GHashTable       *keys)
{
  virStoragePoolPtr pool;
  char *path;

  path = virStorageVolGetPath (vol);
  if (path != NULL)
    g_hash_table_add (keys, g_canonicalize_filename (path, "/"));
  free (path);

  pool = virStoragePoolLookupByVolume (vol);
  if (pool != NULL)
    {
      g_hash_table_add (keys, _gh_domain_volume_dup_key (virStoragePoolGetName (pool),
                                                         virStorageVolGetName (vol)));
      virStoragePoolFree (pool);
    }

  virResetLastError ();
}

/* Runs in a worker: adds the keys of the storage a disk names to @keys, and returns its
 * volume when it is one. */
virStorageVolPtr
_gh_machine_add_storage_keys (virConnectPtr  conn,
                              GHashTable    *keys,
                              const char    *path,
                              const char    *pool,
                              const char    *volume)
{
  GhDomainDisk disk = { .pool = (char *) pool, .volume = (char *) volume };
  g_autofree char *canonical = NULL;
  virStorageVolPtr vol;

  if (path != NULL)
    {
      /* Paths are on the daemon's host: tidy them as text, never through our file system. */
      canonical = g_canonicalize_filename (path, "/");
      g_hash_table_add (keys, g_strdup (canonical));
      disk.path = canonical;
    }
  else if (pool != NULL && volume != NULL)
    {
      g_hash_table_add (keys, _gh_domain_volume_dup_key (pool, volume));
    }
  else
    {
      return NULL;
    }

  vol = _gh_domain_disk_lookup_volume (&disk, conn);
  if (vol != NULL)
    add_volume_keys (vol, keys);
  virResetLastError ();

  return vol;
}

static void
note_storage (virConnectPtr  conn,
              GHashTable    *keys,
              const char    *path,
              const char    *pool,
              const char    *volume)
{
  virStorageVolPtr vol = _gh_machine_add_storage_keys (conn, keys, path, pool, volume);

  if (vol != NULL)
    virStorageVolFree (vol);
}

static gboolean
keys_intersect (GHashTable *a,
                GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (b, key))
      return TRUE;

  return FALSE;
}

static void
cannot_check_usage (GError **error)
{
  _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE,
                              _("Could not check which machines use its disks"));
}

/* Runs in a worker: adds to @used the keys of all storage that the domains other than
 * @uuid use, in their live and their persistent definitions, with the images their disks
 * are built on. Fails, rather than guess, when a definition cannot be read. */
static gboolean
collect_used_by_others (virConnectPtr   conn,
                        const char     *uuid,
                        GHashTable     *used,
                        GError        **error)
{
  const unsigned int flags[] = { 0, VIR_DOMAIN_XML_INACTIVE };
  virDomainPtr *all = NULL;
  gboolean ok = TRUE;
  int n_all;

  n_all = virConnectListAllDomains (conn, &all, 0);
  if (n_all < 0)
    {
      cannot_check_usage (error);
      return FALSE;
    }

  for (int i = 0; i < n_all && ok; i++)
    {
      char other_uuid[VIR_UUID_STRING_BUFLEN];

      if (virDomainGetUUIDString (all[i], other_uuid) < 0 || strcmp (other_uuid, uuid) == 0)
        continue;

      for (guint f = 0; f < G_N_ELEMENTS (flags) && ok; f++)
        {
          g_autoptr(GPtrArray) disks = NULL;
          char *xml = virDomainGetXMLDesc (all[i], flags[f]);

          if (xml == NULL)
            {
              /* A domain that went away meanwhile uses nothing. */
              if (virGetLastErrorCode () == VIR_ERR_NO_DOMAIN)
                {
                  virResetLastError ();
                  break;
                }
              cannot_check_usage (error);
              ok = FALSE;
              break;
            }

          disks = _gh_domain_disks_from_xml (xml, error);
          free (xml);
          if (disks == NULL)
            {
              g_prefix_error (error, "%s: ", _("Could not check which machines use its disks"));
              ok = FALSE;
              break;
            }

          for (guint d = 0; d < disks->len; d++)
            {
              GhDomainDisk *disk = g_ptr_array_index (disks, d);

              note_storage (conn, used, disk->path, disk->pool, disk->volume);
              for (guint b = 0; b < disk->backing->len; b++)
                note_storage (conn, used, g_ptr_array_index (disk->backing, b), NULL, NULL);
            }
        }
    }

  for (int i = 0; i < n_all; i++)
    virDomainFree (all[i]);
  free (all);

  return ok;
}

/* Runs in a worker: adds to @used the images that volumes other than @mine are built on;
 * a linked clone's base image may appear in no domain's definition at all. */
static gboolean
collect_backing_stores (virConnectPtr   conn,
                        GHashTable     *mine,
                        GHashTable     *used,
                        GError        **error)
{
  virStoragePoolPtr *pools = NULL;
  gboolean ok = TRUE;
  int n_pools;

  n_pools = virConnectListAllStoragePools (conn, &pools, 0);
  if (n_pools < 0)
    {
      cannot_check_usage (error);
      return FALSE;
    }

  for (int i = 0; i < n_pools && ok; i++)
    {
      virStorageVolPtr *vols = NULL;
      int n_vols;

      if (virStoragePoolIsActive (pools[i]) != 1)
        continue;

      n_vols = virStoragePoolListAllVolumes (pools[i], &vols, 0);
      if (n_vols < 0)
        {
          cannot_check_usage (error);
          ok = FALSE;
          break;
        }

      for (int v = 0; v < n_vols && ok; v++)
        {
          g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_autofree char *backing = NULL;
          char *xml;

          add_volume_keys (vols[v], keys);
          if (keys_intersect (keys, mine))
            continue;

          xml = virStorageVolGetXMLDesc (vols[v], 0);
          if (xml == NULL)
            {
              cannot_check_usage (error);
              ok = FALSE;
              break;
            }
          backing = _gh_volume_dup_backing_path (xml);
          free (xml);

          if (backing != NULL)
            note_storage (conn, used, backing, NULL, NULL);
        }

      for (int v = 0; v < n_vols; v++)
        virStorageVolFree (vols[v]);
      free (vols);
    }

  for (int i = 0; i < n_pools; i++)
    virStoragePoolFree (pools[i]);
  free (pools);

  return ok;
}

/* Runs in a worker: the storage volumes that belong to @domain alone. Disks that are
 * CD-ROMs, read-only or shareable, or no volume of a pool, are never returned; nor is a
 * volume that any other domain names, in any way, or that another volume is built on. */
static GPtrArray *
collect_owned_volumes (virConnectPtr   conn,
                       virDomainPtr    domain,
                       const char     *uuid,
                       GError        **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) virStorageVolFree);
  g_autoptr(GPtrArray) candidate_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) volumes = g_ptr_array_new_with_free_func ((GDestroyNotify) virStorageVolFree);
  g_autoptr(GHashTable) mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) disks = NULL;
  char *xml;

  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  if (xml == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, _("Could not read the machine’s disks"));
      return NULL;
    }
  disks = _gh_domain_disks_from_xml (xml, error);
  free (xml);
  if (disks == NULL)
    return NULL;

  for (guint i = 0; i < disks->len; i++)
    {
      GhDomainDisk *disk = g_ptr_array_index (disks, i);
      g_autoptr(GHashTable) keys = NULL;
      virStorageVolPtr vol;
      GHashTableIter iter;
      gpointer key;

      if (!_gh_domain_disk_is_deletable (disk))
        continue;

      keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      vol = _gh_machine_add_storage_keys (conn, keys, disk->path, disk->pool, disk->volume);
      /* A file outside any pool is not ours to delete. */
      if (vol == NULL)
        continue;

      g_hash_table_iter_init (&iter, keys);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (mine, g_strdup (key));

      g_ptr_array_add (candidates, vol);
      g_ptr_array_add (candidate_keys, g_steal_pointer (&keys));
    }

  if (candidates->len == 0)
    return g_steal_pointer (&volumes);

  if (!collect_used_by_others (conn, uuid, used, error)
      || !collect_backing_stores (conn, mine, used, error))
    return NULL;

  for (guint i = 0; i < candidates->len; i++)
    if (!keys_intersect (g_ptr_array_index (candidate_keys, i), used))
      g_ptr_array_add (volumes, g_steal_pointer (&g_ptr_array_index (candidates, i)));

  return g_steal_pointer (&volumes);
}

/* Runs in a worker: whether the volume whose keys are @keys is named by any machine
 * other than @uuid, or is the base image of another volume. */
gboolean
_gh_machine_volume_used_elsewhere (virConnectPtr   conn,
                                   const char     *uuid,
                                   GHashTable     *keys,
                                   gboolean       *used,
                                   GError        **error)
{
  g_autoptr(GHashTable) others = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!collect_used_by_others (conn, uuid, others, error)
      || !collect_backing_stores (conn, keys, others, error))
    return FALSE;

  *used = keys_intersect (keys, others);
  return TRUE;
}

/* Runs in a worker: writes down the volume at @path, which this worker is about to take
 * from its machine, in @journal and in @records, so that a daemon that dies before the
 * volume is deleted does not leave it for good (the next connection deletes it). */
void
_gh_machine_record_volume (GhCleanupJournal *journal,
                           GArray           *records,
                           const char       *machine,
                           const char       *path)
{
  guint64 id = 0;

  if (path != NULL && path[0] != '\0')
    id = _gh_cleanup_journal_add_volume (journal, machine, NULL, NULL, path);
  g_array_append_val (records, id);
}

/* Runs in a worker: forgets every record of @records: the machine kept its volumes (it
 * is still defined) and the daemon is there to say so. */
void
_gh_machine_forget_volumes (GhCleanupJournal *journal,
                            GArray           *records,
                            virConnectPtr     conn)
{
  if (journal == NULL || virConnectIsAlive (conn) != 1)
    return;

  for (guint i = 0; i < records->len; i++)
    _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, i));
}

static int
undefine_domain (virDomainPtr domain)
{
  const unsigned int all_flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                                 | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                                 | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA
                                 | VIR_DOMAIN_UNDEFINE_NVRAM;
  /* A UEFI guest cannot be undefined without its NVRAM, so that flag is dropped last. */
  const unsigned int fallbacks[] = {
    all_flags,
    all_flags & ~VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
    0,
  };

  /* Drivers that do not know a flag reject the call; only then try fewer. */
  for (guint i = 0; i < G_N_ELEMENTS (fallbacks); i++)
    {
      virErrorPtr err;

      if (virDomainUndefineFlags (domain, fallbacks[i]) == 0)
        return 0;

      err = virGetLastError ();
      if (err == NULL
          || (err->code != VIR_ERR_INVALID_ARG && err->code != VIR_ERR_NO_SUPPORT))
        return -1;
    }

  return -1;
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DeleteData *data = task_data;
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *install_kernel = NULL;
  g_autofree char *install_initrd = NULL;
  g_autoptr(GhCleanupJournal) journal = NULL;
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean undefined = FALSE;
  const char *failure = data->base.failure;
  virDomainPtr domain;
  int persistent;

  domain = _gh_machine_lookup_domain (&data->base, &error);
  if (domain == NULL)
    goto out;

  /* The files of an unfinished express install are Greenhouse's, not the user's data:
   * they go with the machine, whether its disks stay or not. */
  _gh_machine_read_install_files (domain, &install_kernel, &install_initrd);

  /* Decide which volumes go before the domain is gone and its XML with it; if that
   * cannot be decided, nothing is deleted, the machine included. */
  if (data->delete_storage)
    {
      volumes = collect_owned_volumes (data->base.conn, domain, data->base.uuid, &error);
      if (volumes == NULL)
        {
          g_prefix_error (&error, "%s: ", failure);
          goto out;
        }
    }

  /* Once the domain is gone, only this worker knows which volumes go with it. */
  journal = _gh_cleanup_journal_dup_for_conn (data->base.conn);
  _gh_cleanup_journal_begin (journal);
  _gh_machine_record_volume (journal, records, data->base.display_name, install_kernel);
  _gh_machine_record_volume (journal, records, data->base.display_name, install_initrd);
  for (guint i = 0; volumes != NULL && i < volumes->len; i++)
    {
      char *path = virStorageVolGetPath (g_ptr_array_index (volumes, i));

      _gh_machine_record_volume (journal, records, data->base.display_name, path);
      free (path);
    }
  virResetLastError ();

  if (virDomainIsActive (domain) == 1 && virDomainDestroy (domain) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, failure);
      goto out;
    }

  persistent = virDomainIsPersistent (domain);
  if (persistent == 1 && undefine_domain (domain) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, failure);
      goto out;
    }
  undefined = TRUE;
  _gh_test_point ("delete-undefined");

  if (_gh_machine_delete_install_volume (data->base.conn, install_kernel))
    _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 0));
  if (_gh_machine_delete_install_volume (data->base.conn, install_initrd))
    _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 1));

  for (guint i = 0; volumes != NULL && i < volumes->len; i++)
    {
      virStorageVolPtr vol = g_ptr_array_index (volumes, i);
      /* Asked first: every libvirt call forgets the last error, this one too. */
      const char *vol_name = virStorageVolGetName (vol);

      if (virStorageVolDelete (vol, 0) == 0)
        {
          _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 2 + i));
        }
      else if (error == NULL)
        {
          g_autofree char *what = NULL;

          what = g_strdup_printf (_("“%s” was deleted, but its disk “%s” could not be removed"),
                                  data->base.display_name, vol_name);
          _gh_error_set_from_libvirt (&error, GH_ERROR_STORAGE, what);
        }
    }

out:
  if (journal != NULL)
    {
      if (!undefined)
        _gh_machine_forget_volumes (journal, records, data->base.conn);
      _gh_cleanup_journal_end (journal);
    }
  g_clear_pointer (&domain, virDomainFree);
  g_clear_pointer (&volumes, g_ptr_array_unref);
  _gh_machine_task_return_boolean (&data->base, task, g_steal_pointer (&error));
}

/**
 * gh_machine_delete_async:
 * @delete_storage: also delete the volumes that belong to this machine alone
 *
 * Forces the machine off if it runs, then removes it with its NVRAM, managed save and
 * snapshot metadata. With @delete_storage, its own disk volumes go too; CD-ROM images,
 * files outside storage pools and volumes that another machine uses always stay.
 */
void
gh_machine_delete_async (GhMachine           *self,
                         gboolean             delete_storage,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DeleteData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (DeleteData, 1);
  data->delete_storage = !!delete_storage;
  task = _gh_machine_task_new (self, gh_machine_delete_async,
                               g_strdup_printf (_("Could not delete “%s”"),
                                                gh_machine_get_display_name (self)),
                               &data->base, (GDestroyNotify) delete_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, delete_thread);
}

gboolean
gh_machine_delete_finish (GhMachine     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_machine_delete_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
