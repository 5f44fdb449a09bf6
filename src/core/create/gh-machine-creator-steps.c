/* gh-machine-creator-steps.c: the create worker: its steps, and taking back what they made
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "gh-cleanup-journal.h"
#include "gh-express-install-private.h"
#include "gh-machine-creator-private.h"
#include "gh-storage.h"
#include "gh-test-point-private.h"

typedef struct
{
  GhMachineCreator *self;
  GhCreateStep      step;
} StepUpdate;

static gboolean
apply_step (gpointer user_data)
{
  StepUpdate *update = user_data;

  _gh_machine_creator_set_step (update->self, update->step);
  return G_SOURCE_REMOVE;
}

static void
step_update_free (gpointer user_data)
{
  StepUpdate *update = user_data;

  g_object_unref (update->self);
  g_free (update);
}

/* Worker: tells the main thread where we are. The task's own result is dispatched the
 * same way, at the same priority, so it always comes after the last step. */
static void
notify_step (GTask        *task,
             GhCreateStep  step)
{
  StepUpdate *update = g_new0 (StepUpdate, 1);

  update->self = g_object_ref (g_task_get_source_object (task));
  update->step = step;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                              apply_step, update, step_update_free);
}

/* What one create has made so far, newest last, and the journal's records of it (0: none):
 * a record may name what a step was making when it failed. */
typedef struct
{
  GhCleanupJournal *journal;
  virStoragePoolPtr pool;
  GhStorageUndo     pool_undo;
  virStorageVolPtr  volume;
  virStorageVolPtr  kernel;     /* an express install's */
  virStorageVolPtr  initrd;
  virDomainPtr      domain;
  guint64           pool_record;
  guint64           volume_record;
  guint64           kernel_record;
  guint64           initrd_record;
  guint64           domain_record;
} Made;

/* Forgets @record once what it names is surely gone: taken back (@undone), or never made
 * because libvirt refused the step; a daemon that went away might have made it. */
static void
settle_record (Made          *made,
               virConnectPtr  conn,
               guint64       *record,
               gboolean       made_it,
               gboolean       undone)
{
  if (made_it ? undone : virConnectIsAlive (conn) == 1)
    _gh_cleanup_journal_remove (made->journal, *record);
  *record = 0;
}

static gboolean
delete_new_volume (virStorageVolPtr *volume)
{
  gboolean done = TRUE;

  if (*volume == NULL)
    return TRUE;

  if (virStorageVolDelete (*volume, 0) < 0)
    {
      g_debug ("Could not delete the new volume: %s", virGetLastErrorMessage ());
      done = FALSE;
    }
  g_clear_pointer (volume, virStorageVolFree);
  return done;
}

static gboolean
undefine_new_domain (virDomainPtr domain)
{
  if (_gh_cleanup_undefine_domain (domain))
    return TRUE;

  g_debug ("Could not undefine the new domain: %s", virGetLastErrorMessage ());
  return FALSE;
}

/* Takes back everything in @made, newest first. The step that failed already holds
 * the user's error; what fails here stays in the journal for the next connection. */
static void
rollback (Made          *made,
          virConnectPtr  conn)
{
  gboolean undone;

  undone = TRUE;
  if (made->domain != NULL)
    {
      if (virDomainIsActive (made->domain) == 1)
        virDomainDestroy (made->domain);
      undone = undefine_new_domain (made->domain);
    }
  settle_record (made, conn, &made->domain_record, made->domain != NULL, undone);
  g_clear_pointer (&made->domain, virDomainFree);

  settle_record (made, conn, &made->initrd_record, made->initrd != NULL,
                 delete_new_volume (&made->initrd));
  settle_record (made, conn, &made->kernel_record, made->kernel != NULL,
                 delete_new_volume (&made->kernel));
  settle_record (made, conn, &made->volume_record, made->volume != NULL,
                 delete_new_volume (&made->volume));

  undone = TRUE;
  if (made->pool != NULL)
    undone = _gh_storage_undo_pool (made->pool, &made->pool_undo);
  settle_record (made, conn, &made->pool_record, made->pool != NULL, undone);
  g_clear_pointer (&made->pool, virStoragePoolFree);

  virResetLastError ();
}

/* The machine is complete: what it is made of is its own now. */
static void
made_keep (Made *made)
{
  guint64 *records[] = {
    &made->domain_record, &made->initrd_record, &made->kernel_record,
    &made->volume_record, &made->pool_record,
  };

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      _gh_cleanup_journal_remove (made->journal, *records[i]);
      *records[i] = 0;
    }
}

static void
made_release (Made *made)
{
  g_clear_pointer (&made->domain, virDomainFree);
  g_clear_pointer (&made->initrd, virStorageVolFree);
  g_clear_pointer (&made->kernel, virStorageVolFree);
  g_clear_pointer (&made->volume, virStorageVolFree);
  g_clear_pointer (&made->pool, virStoragePoolFree);
  _gh_storage_undo_clear (&made->pool_undo);
}

static gboolean
make_volume (TaskData      *data,
             Made          *made,
             GCancellable  *cancellable,
             GError       **error)
{
  const char *what = _("Could not create the disk");
  g_autofree char *volume_name = NULL;
  const char *format = "qcow2";
  guint64 size = data->disk_size;
  guint64 available;

  if (data->import_path != NULL)
    {
      format = data->import.format;
      size = data->import.file_size;
    }
  else if (size == 0)
    {
      /* No disk: a live system, or one that boots from the network. */
      g_clear_pointer (&data->spec->disk_path, g_free);
      return TRUE;
    }

  /* A sparse qcow2 would be made whatever its size, and the guest would find the disk
   * full halfway through installing. */
  if (!_gh_storage_pool_available (made->pool, &available, error))
    {
      g_prefix_error (error, "%s: ", what);
      return FALSE;
    }
  if (size > available)
    {
      g_autofree char *needed = g_format_size (size);
      g_autofree char *free_text = g_format_size (available);
      g_autofree char *detail =
        g_strdup_printf (_("it needs %s, but only %s are free for disks"), needed, free_text);

      _gh_error_set (error, GH_ERROR_STORAGE, what, detail);
      return FALSE;
    }

  volume_name = g_strconcat (data->spec->name, g_str_equal (format, "qcow2") ? ".qcow2" : ".img",
                             NULL);
  made->volume_record = _gh_cleanup_journal_add_volume (made->journal, data->spec->name,
                                                        virStoragePoolGetName (made->pool),
                                                        volume_name, NULL);
  made->volume = _gh_storage_create_volume (made->pool, volume_name, format, size, error);
  if (made->volume == NULL)
    return FALSE;
  _gh_test_point ("create-volume-made");

  if (data->import_path != NULL
      && (!_gh_storage_upload (data->conn, made->volume, data->import_path, cancellable, error)
          || !_gh_storage_volume_stands_alone (made->pool, made->volume, format, error)))
    return FALSE;

  g_free (data->spec->disk_path);
  data->spec->disk_path = virStorageVolGetPath (made->volume);
  g_free (data->spec->disk_format);
  data->spec->disk_format = g_strdup (format);
  if (data->spec->disk_path == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
      return FALSE;
    }

  return TRUE;
}

/* Sets @error to "@what: the detail of @cause", for a storage helper's error that names
 * the disk where the install's files are meant. */
static void
rephrase_error (GError     **error,
                const char  *what,
                GError      *cause)
{
  _gh_error_set (error, cause->code, what, gh_error_get_detail (cause));
}

/* One file of the install phase (@fd, which has no name) as a new raw volume @name in
 * @volume, uploaded through libvirt; a volume made before a failure is in @volume too,
 * for the rollback, and in the journal as @record. @point: where a test may hold the
 * worker once the volume exists. */
static gboolean
upload_install_file (TaskData          *data,
                     Made              *made,
                     const char        *name,
                     int                fd,
                     virStorageVolPtr  *volume,
                     guint64           *record,
                     const char        *point,
                     GCancellable      *cancellable,
                     GError           **error)
{
  const char *what = _("Could not prepare the automatic installation");
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  if (fstat (fd, &st) != 0)
    {
      _gh_error_set (error, GH_ERROR_STORAGE, what, g_strerror (errno));
      return FALSE;
    }

  *record = _gh_cleanup_journal_add_volume (made->journal, data->spec->name,
                                            virStoragePoolGetName (made->pool), name, NULL);
  *volume = _gh_storage_create_volume (made->pool, name, "raw", (guint64) st.st_size,
                                       &local_error);
  if (*volume == NULL)
    {
      rephrase_error (error, what, local_error);
      return FALSE;
    }
  _gh_test_point (point);

  if (!_gh_storage_upload_fd (data->conn, *volume, fd, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        rephrase_error (error, what, local_error);
      return FALSE;
    }

  return TRUE;
}

/* The express step: the installer's kernel and its initrd with the answers, as two
 * volumes of the pool (so it works on every connection that can read the media). */
static gboolean
make_install_volumes (TaskData      *data,
                      Made          *made,
                      GCancellable  *cancellable,
                      GError       **error)
{
  const char *what = _("Could not prepare the automatic installation");
  GhDomainSpec *spec = data->spec;
  g_auto(GhExpressScript) script = { NULL };
  int kernel_fd = -1;
  int initrd_fd = -1;
  gboolean ok = FALSE;
  g_autofree char *kernel_name = NULL;
  g_autofree char *initrd_name = NULL;

  if (spec->install_media == NULL || spec->cdrom_path == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what,
                     _("Greenhouse does not know what the install media is"));
      return FALSE;
    }
  /* The installer is read out of the image here, on this computer. */
  if (!data->local)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what,
                     _("the install media must be on this computer"));
      return FALSE;
    }

  if (!_gh_express_generate (spec->install_media, spec->express, spec->name,
                             _gh_express_target_disk (spec->os), &script, error))
    return FALSE;

  if (!_gh_express_write_boot_files (spec->cdrom_path, spec->install_media, &script,
                                     &kernel_fd, &initrd_fd, cancellable, error))
    return FALSE;

  kernel_name = _gh_express_dup_kernel_volume (spec->name);
  initrd_name = _gh_express_dup_initrd_volume (spec->name);
  if (!upload_install_file (data, made, kernel_name, kernel_fd, &made->kernel,
                            &made->kernel_record, "create-upload-kernel", cancellable, error)
      || !upload_install_file (data, made, initrd_name, initrd_fd, &made->initrd,
                               &made->initrd_record, "create-upload-initrd", cancellable, error))
    goto out;

  g_free (spec->kernel_path);
  spec->kernel_path = virStorageVolGetPath (made->kernel);
  g_free (spec->initrd_path);
  spec->initrd_path = virStorageVolGetPath (made->initrd);
  if (spec->kernel_path == NULL || spec->initrd_path == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
      goto out;
    }
  g_free (spec->cmdline);
  spec->cmdline = g_steal_pointer (&script.cmdline);
  ok = TRUE;

out:
  /* The files have no name: closing them frees the last copy of the password. */
  close (kernel_fd);
  close (initrd_fd);
  return ok;
}

static gboolean
run_steps (GTask         *task,
           TaskData      *data,
           Made          *made,
           char         **uuid,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *xml = NULL;
  GhStoragePlace place;
  char uuid_string[VIR_UUID_STRING_BUFLEN];

  /* An image that is not what it seems, or that reaches other files, is refused before
   * anything is made. */
  if (data->import_path != NULL && !gh_image_inspect (data->import_path, &data->import, error))
    return FALSE;

  notify_step (task, GH_CREATE_STEP_POOL);
  if (!_gh_storage_find_place (data->conn, data->session, data->local, &place, error))
    return FALSE;
  if (!place.exists)
    {
      g_autofree char *first_dir = NULL;

      if (data->local)
        first_dir = _gh_storage_dup_first_missing_dir (place.path);
      made->pool_record = _gh_cleanup_journal_add_pool (made->journal, place.name, place.path,
                                                        first_dir);
    }
  made->pool = _gh_storage_ensure_pool (data->conn, &place, data->local, &made->pool_undo,
                                        error);
  _gh_storage_place_clear (&place);
  /* It was there after all: not ours to take back. */
  if (made->pool != NULL && !made->pool_undo.defined)
    {
      _gh_cleanup_journal_remove (made->journal, made->pool_record);
      made->pool_record = 0;
    }
  if (made->pool == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  notify_step (task, GH_CREATE_STEP_VOLUME);
  if (!make_volume (data, made, cancellable, error)
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (data->spec->express != NULL)
    {
      notify_step (task, GH_CREATE_STEP_EXPRESS);
      if (!make_install_volumes (data, made, cancellable, error)
          || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  notify_step (task, GH_CREATE_STEP_DEFINE);
  g_free (data->spec->uuid);
  data->spec->uuid = g_uuid_string_random ();
  xml = gh_domain_builder_build (data->spec, data->caps, error);
  if (xml == NULL)
    return FALSE;
  made->domain_record = _gh_cleanup_journal_add_domain (made->journal, data->spec->name,
                                                        data->spec->uuid);
  /* Validation against libvirt's schema gives a reason for a wrong device, where a
   * plain define could silently drop what it does not know. */
  made->domain = virDomainDefineXMLFlags (data->conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (made->domain == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, _("Could not create the machine"));
      return FALSE;
    }
  _gh_test_point ("create-defined");
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (data->start)
    {
      notify_step (task, GH_CREATE_STEP_START);
      if (virDomainCreate (made->domain) < 0)
        {
          _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, _("Could not start the machine"));
          return FALSE;
        }
    }

  if (virDomainGetUUIDString (made->domain, uuid_string) < 0)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, _("Could not create the machine"));
      return FALSE;
    }

  /* The last look: a cancellation that comes after this is too late, and the machine
   * stays, which the caller learns from the UUID it gets. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  *uuid = g_strdup (uuid_string);
  return TRUE;
}

void
_gh_machine_creator_create_thread (GTask        *task,
                                   gpointer      source_object,
                                   gpointer      task_data,
                                   GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  Made made = { 0 };

  made.journal = _gh_cleanup_journal_dup_for_conn (data->conn);
  _gh_cleanup_journal_begin (made.journal);

  if (run_steps (task, data, &made, &uuid, cancellable, &error))
    {
      made_keep (&made);
      notify_step (task, GH_CREATE_STEP_DONE);
    }
  else
    {
      rollback (&made, data->conn);
    }

  _gh_cleanup_journal_end (made.journal);
  g_clear_pointer (&made.journal, _gh_cleanup_journal_unref);
  made_release (&made);
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&uuid), g_free);
}
