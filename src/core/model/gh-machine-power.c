/* gh-machine-power.c: starting, stopping and pausing a machine, and opening its display
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "gh-error-private.h"
#include "gh-machine-info-private.h"
#include "gh-machine-private.h"

typedef struct
{
  MachineTask      base;
  GhMachineAction  action;
  GhMachineState   state;    /* when it was asked: Resume wakes a suspended guest */
} PerformData;

static void
perform_data_free (PerformData *data)
{
  _gh_machine_task_clear (&data->base);
  g_free (data);
}

/* How long a guest resumed after an I/O error has to fail again: QEMU retries the failed
 * request the moment it runs, so a disk still full pauses it at once. */
#define IO_ERROR_RECHECK_MS 2000

static gboolean
paused_for_io_error (virDomainPtr domain)
{
  int state = VIR_DOMAIN_NOSTATE;
  int reason = 0;

  return virDomainGetState (domain, &state, &reason, 0) == 0 &&
         state == VIR_DOMAIN_PAUSED && reason == VIR_DOMAIN_PAUSED_IOERROR;
}

/* Resumes a guest that an I/O error paused. Resuming only to see it pause again would
 * look like a Resume that did nothing: if it pauses again, say why and what to do. */
static int
resume_after_io_error (MachineTask   *data,
                       virDomainPtr   domain,
                       GError       **error)
{
  g_autofree char *path = NULL;
  gint64 deadline;
  gboolean disk_full;

  if (virDomainResume (domain) < 0)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, data->failure);
      return -1;
    }

  deadline = g_get_monotonic_time () + IO_ERROR_RECHECK_MS * G_TIME_SPAN_MILLISECOND;
  while (!paused_for_io_error (domain))
    {
      if (g_get_monotonic_time () > deadline)
        return 0;
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }

  disk_full = _gh_machine_read_disk_errors (domain, &path);
  if (disk_full && path != NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is the path of a disk image on the host */
      detail = g_strdup_printf (_("it paused again because the host’s disk is still full. "
                                  "Free some space on the disk that holds “%s”, then "
                                  "resume it."), path);
      _gh_error_set (error, GH_ERROR_INVALID_STATE, data->failure, detail);
    }
  else if (disk_full)
    _gh_error_set (error, GH_ERROR_INVALID_STATE, data->failure,
                   _("it paused again because the host’s disk is still full. Free some "
                     "space on the disk that holds its storage, then resume it."));
  else if (path != NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is the path of a disk image on the host */
      detail = g_strdup_printf (_("it paused again because “%s” still cannot be read or "
                                  "written. Check the host’s storage, then resume it."), path);
      _gh_error_set (error, GH_ERROR_INVALID_STATE, data->failure, detail);
    }
  else
    _gh_error_set (error, GH_ERROR_INVALID_STATE, data->failure,
                   _("it paused again because a disk still cannot be read or written. "
                     "Check the host’s storage, then resume it."));
  return -1;
}

static void
perform_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PerformData *data = task_data;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;
  int ret = -1;

  domain = _gh_machine_lookup_domain (&data->base, &error);
  if (domain == NULL)
    {
      g_clear_pointer (&data->base.conn, virConnectClose);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (data->action)
    {
    case GH_MACHINE_ACTION_START:
      ret = virDomainCreate (domain);
      break;

    case GH_MACHINE_ACTION_SHUT_DOWN:
      ret = virDomainShutdown (domain);
      break;

    case GH_MACHINE_ACTION_FORCE_OFF:
      ret = virDomainDestroy (domain);
      break;

    case GH_MACHINE_ACTION_REBOOT:
      ret = virDomainReboot (domain, 0);
      break;

    case GH_MACHINE_ACTION_PAUSE:
      ret = virDomainSuspend (domain);
      break;

    case GH_MACHINE_ACTION_RESUME:
      /* A guest that suspended itself wakes up; one we paused resumes. */
      if (data->state == GH_MACHINE_STATE_SUSPENDED)
        ret = virDomainPMWakeup (domain, 0);
      else if (paused_for_io_error (domain))
        ret = resume_after_io_error (&data->base, domain, &error);
      else
        ret = virDomainResume (domain);
      break;

    default:
      g_assert_not_reached ();
    }

  if (ret < 0 && error == NULL)
    _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->base.failure);

  virDomainFree (domain);
  g_clear_pointer (&data->base.conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * gh_machine_perform_async:
 *
 * Asks libvirt to do @action to the machine, in a worker thread. The new state is not
 * set here: it arrives as a libvirt event, as it would for a change made elsewhere.
 */
void
gh_machine_perform_async (GhMachine           *self,
                          GhMachineAction      action,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PerformData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (action <= GH_MACHINE_ACTION_RESUME);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (PerformData, 1);
  data->action = action;
  data->state = self->state;
  task = _gh_machine_task_new (self, gh_machine_perform_async,
                               gh_machine_action_dup_failure (action,
                                                              gh_machine_get_display_name (self)),
                               &data->base, (GDestroyNotify) perform_data_free,
                               cancellable, callback, user_data);
  _gh_machine_hold_busy (self, task);

  if (!_gh_machine_task_prepare_action (self, task, action))
    return;

  /* Starting a machine in its install phase runs the installer again (the window asked
   * first): only its next reboot ends the phase. */
  if (self->installing && action == GH_MACHINE_ACTION_START)
    self->reset_seen = FALSE;

  g_task_run_in_thread (task, perform_thread);
}

gboolean
gh_machine_perform_finish (GhMachine     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_machine_perform_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The result of open_graphics_fd_thread(): a result nobody takes (its task was
 * cancelled, or its callback returned early) closes the socket with the task. */
static void
graphics_fd_free (gpointer data)
{
  int *fd = data;

  if (*fd >= 0)
    close (*fd);
  g_free (fd);
}

static void
open_graphics_fd_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  MachineTask *data = task_data;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;
  int fd = -1;

  domain = _gh_machine_lookup_domain (data, &error);
  if (domain != NULL)
    {
      char *xml = virDomainGetXMLDesc (domain, 0);
      int index = -1;

      /* The live definition: its <graphics> are the ones QEMU was started with, and
       * virDomainOpenGraphicsFD() counts them all, VNC ones too. */
      if (xml == NULL)
        _gh_error_set_from_libvirt (&error, GH_ERROR_NOT_FOUND, data->failure);
      else if ((index = _gh_domain_xml_spice_graphics_index (xml)) < 0)
        _gh_error_set (&error, GH_ERROR_NOT_SUPPORTED, data->failure,
                       _("This machine has no SPICE display"));
      free (xml);

      /* SKIPAUTH: the fd is handed to us by the daemon we are already authenticated
       * with, so the display needs no ticket and no TCP port. */
      if (error == NULL)
        {
          fd = virDomainOpenGraphicsFD (domain, index, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
          if (fd < 0)
            _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);
        }
      virDomainFree (domain);
    }
  g_clear_pointer (&data->conn, virConnectClose);

  /* Even when cancelled meanwhile: GTask then drops the result, which closes it. */
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&fd, sizeof fd), graphics_fd_free);
}

/**
 * gh_machine_open_graphics_fd_async:
 *
 * Asks the daemon, in a worker thread, for a new socket connected to the machine's
 * SPICE display (one per SPICE channel), whatever other displays come before it. Only
 * works on a local connection: the fd travels over the daemon's UNIX socket. A machine
 * without SPICE fails with %GH_ERROR_NOT_SUPPORTED.
 */
void
gh_machine_open_graphics_fd_async (GhMachine           *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _gh_machine_task_new (self, gh_machine_open_graphics_fd_async,
                               /* Translators: %s is a machine's name */
                               g_strdup_printf (_("Could not connect to the display of “%s”"),
                                                gh_machine_get_display_name (self)),
                               g_new0 (MachineTask, 1), (GDestroyNotify) _gh_machine_task_free,
                               cancellable, callback, user_data);
  /* The daemon cannot be interrupted mid-call: the worker always returns what it
   * opened, and a cancelled task closes it when it goes. */
  g_task_set_return_on_cancel (task, FALSE);

  if (_gh_machine_task_prepare (self, task))
    g_task_run_in_thread (task, open_graphics_fd_thread);
}

/**
 * gh_machine_open_graphics_fd_finish:
 *
 * Returns: a file descriptor the caller owns, or -1 with @error set (cancelled when the
 *   task's cancellable was: then the socket, if one was opened, is already closed).
 */
int
gh_machine_open_graphics_fd_finish (GhMachine     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  int *fd;
  int ret;

  g_return_val_if_fail (GH_IS_MACHINE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gh_machine_open_graphics_fd_async, -1);

  fd = g_task_propagate_pointer (G_TASK (result), error);
  if (fd == NULL)
    return -1;

  ret = *fd;
  g_free (fd);
  return ret;
}
