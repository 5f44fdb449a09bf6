/* gh-machine-install.c: the end of an express install: booting the installed system
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <libvirt/virterror.h>

#include "gh-cleanup-journal.h"
#include "gh-domain-editor.h"
#include "gh-error-private.h"
#include "gh-machine-private.h"
#include "gh-test-point-private.h"

typedef struct
{
  MachineTask  base;
  gboolean     by_user;  /* Retry, or "Start Installed System": any stop will do */
} FinishInstallData;

static void
finish_install_data_free (FinishInstallData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data);
}

/* Runs in a worker: deletes the volume at @path, if there is one; whether it is gone. A
 * left-over file is no reason to fail what the user asked for: its journal record stays,
 * and the next connection deletes it or says why not. */
gboolean
_gh_machine_delete_install_volume (virConnectPtr  conn,
                                   const char    *path)
{
  virStorageVolPtr vol;
  gboolean gone = TRUE;

  if (path == NULL || path[0] == '\0')
    return TRUE;

  vol = virStorageVolLookupByPath (conn, path);
  if ((vol == NULL && virGetLastErrorCode () != VIR_ERR_NO_STORAGE_VOL)
      || (vol != NULL && virStorageVolDelete (vol, 0) < 0))
    {
      g_debug ("Could not delete the install file %s: %s", path, virGetLastErrorMessage ());
      gone = FALSE;
    }
  g_clear_pointer (&vol, virStorageVolFree);
  virResetLastError ();
  return gone;
}

/* Runs in a worker: the install phase's two files of @domain's persistent definition. */
void
_gh_machine_read_install_files (virDomainPtr   domain,
                                char         **kernel,
                                char         **initrd)
{
  g_autoptr(GhDomainEditor) editor = NULL;
  char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);

  if (xml == NULL)
    {
      virResetLastError ();
      return;
    }
  editor = gh_domain_editor_new (xml, NULL);
  free (xml);
  if (editor != NULL)
    gh_domain_editor_get_express_install (editor, kernel, initrd);
}

/* Runs in a worker: ends the install phase of a machine whose installer is done and
 * boots the installed system. data->by_user: the user said so (Retry, or "Start Installed
 * System"), so any stop will do; otherwise only the guest's own (the installer's reboot,
 * which the main thread saw). What an earlier try already did is not done again. */
static void
finish_install_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  FinishInstallData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autoptr(GhCleanupJournal) journal = NULL;
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean defined = FALSE;
  virDomainPtr domain;
  int state = VIR_DOMAIN_NOSTATE;
  int reason = 0;

  domain = _gh_machine_lookup_domain (&data->base, &error);
  if (domain == NULL)
    goto out;

  /* Read again here: the user may have started it meanwhile. */
  if (virDomainGetState (domain, &state, &reason, 0) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->base.failure);
      goto out;
    }
  if (state != VIR_DOMAIN_SHUTOFF || (!data->by_user && reason != VIR_DOMAIN_SHUTOFF_SHUTDOWN))
    goto out;

  editor = _gh_machine_read_editor (&data->base, domain, VIR_DOMAIN_XML_SECURE, &error);
  if (editor == NULL)
    goto out;
  if (gh_domain_editor_get_express_install (editor, &kernel, &initrd))
    {
      if (!gh_domain_editor_end_express_install (editor, &error))
        {
          g_prefix_error (&error, "%s: ", data->base.failure);
          goto out;
        }
      /* Defined without them, nothing else names the two files. */
      journal = _gh_cleanup_journal_dup_for_conn (data->base.conn);
      _gh_cleanup_journal_begin (journal);
      _gh_machine_record_volume (journal, records, data->base.display_name, kernel);
      _gh_machine_record_volume (journal, records, data->base.display_name, initrd);
      if (!_gh_machine_define_editor (&data->base, editor, &error))
        goto out;
      defined = TRUE;
      _gh_test_point ("finish-defined");

      /* The installed system no longer needs them; the answers in the initrd hold the
       * password, so they go at once. */
      if (_gh_machine_delete_install_volume (data->base.conn, kernel))
        _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 0));
      if (_gh_machine_delete_install_volume (data->base.conn, initrd))
        _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 1));
    }

  if (virDomainCreate (domain) < 0)
    _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->base.failure);

out:
  if (journal != NULL)
    {
      if (!defined)
        _gh_machine_forget_volumes (journal, records, data->base.conn);
      _gh_cleanup_journal_end (journal);
    }
  g_clear_pointer (&domain, virDomainFree);
  g_clear_pointer (&editor, g_object_unref);
  g_clear_pointer (&data->base.conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
finish_install_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GhMachine *self = GH_MACHINE (object);
  g_autoptr(GTask) user_task = user_data;
  g_autoptr(GError) error = NULL;

  _gh_machine_set_finishing_install (self, FALSE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->reset_seen = FALSE;
      _gh_machine_set_install_error (self, NULL);
      if (user_task != NULL)
        g_task_return_boolean (user_task, TRUE);
      return;
    }

  /* The machine stays in its install phase, shut off, and says why: the row shows it, the
   * window offers Retry, and a reconnection tries again. */
  _gh_machine_set_install_error (self, error);
  if (user_task != NULL)
    g_task_return_error (user_task, g_steal_pointer (&error));
  else
    _gh_machine_report_install_failed (self, error);
}

/* Main thread: starts the finish; @user_task (nullable) gets its result. FALSE when it
 * could not start (the error is then on @user_task, or on the machine). */
static void
start_finish_install (GhMachine *self,
                      gboolean   by_user,
                      GTask     *user_task)
{
  g_autoptr(GTask) task = NULL;
  FinishInstallData *data;

  data = g_new0 (FinishInstallData, 1);
  data->by_user = by_user;
  task = _gh_machine_task_new (self, start_finish_install,
                               /* Translators: %s is a machine's name */
                               g_strdup_printf (_("Could not finish installing “%s”"),
                                                gh_machine_get_display_name (self)),
                               &data->base, (GDestroyNotify) finish_install_data_free,
                               NULL, finish_install_cb,
                               user_task != NULL ? g_object_ref (user_task) : NULL);

  if (!_gh_machine_task_prepare (self, task))
    return;

  _gh_machine_set_finishing_install (self, TRUE);
  g_task_run_in_thread (task, finish_install_thread);
}

void
_gh_machine_check_install (GhMachine *self)
{
  g_return_if_fail (GH_IS_MACHINE (self));

  /* Only the installer's own end: a reboot (which on_reboot=destroy turns into a stop),
   * never a poweroff, whether the guest's, virsh's or Shut Down's. */
  if (!self->installing || !self->install_done || !self->reset_seen
      || self->finishing_install || self->install_error != NULL)
    return;

  start_finish_install (self, FALSE, NULL);
}

void
_gh_machine_retry_install (GhMachine *self)
{
  g_return_if_fail (GH_IS_MACHINE (self));

  if (self->install_error != NULL && !self->finishing_install
      && self->state == GH_MACHINE_STATE_SHUT_OFF)
    {
      start_finish_install (self, TRUE, NULL);
      return;
    }

  _gh_machine_check_install (self);
}

void
_gh_machine_set_reset_seen (GhMachine *self,
                            gboolean   reset)
{
  g_return_if_fail (GH_IS_MACHINE (self));

  self->reset_seen = !!reset;
  if (reset)
    g_debug ("%s reset itself", gh_machine_get_display_name (self));
  else
    /* Started, by whoever: a finish that failed before is no longer pending. */
    _gh_machine_set_install_error (self, NULL);
  /* The stop that follows the reset may have been read first. */
  _gh_machine_check_install (self);
}

/**
 * gh_machine_finish_install_async:
 * @self: a shut-off #GhMachine in its install phase, or whose last finish failed
 *
 * Ends the install phase and boots the installed system, as Greenhouse does by itself
 * when the installer reboots: for Retry after a failure, and for a user who knows that
 * the installer was done when Greenhouse did not see it end.
 */
void
gh_machine_finish_install_async (GhMachine           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_MACHINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_machine_finish_install_async);
  _gh_machine_hold_busy (self, task);

  if (self->finishing_install)
    {
      g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_STATE,
                               _("The installation of “%s” is already being finished"),
                               gh_machine_get_display_name (self));
      return;
    }

  start_finish_install (self, TRUE, task);
}

gboolean
gh_machine_finish_install_finish (GhMachine     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gh_machine_start_needs_asking (GhMachine *machine)
{
  g_return_val_if_fail (GH_IS_MACHINE (machine), FALSE);

  return gh_machine_get_installing (machine) &&
         gh_machine_get_state (machine) == GH_MACHINE_STATE_SHUT_OFF;
}
