/* gh-machine.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gh-domain-editor.h"
#include "gh-link.h"
#include "gh-machine-state.h"

G_BEGIN_DECLS

typedef enum
{
  GH_MACHINE_ACTION_START,
  GH_MACHINE_ACTION_SHUT_DOWN,  /* ACPI power button */
  GH_MACHINE_ACTION_FORCE_OFF,
  GH_MACHINE_ACTION_REBOOT,
  GH_MACHINE_ACTION_PAUSE,
  GH_MACHINE_ACTION_RESUME,
} GhMachineAction;

#define GH_TYPE_MACHINE (gh_machine_get_type ())

G_DECLARE_FINAL_TYPE (GhMachine, gh_machine, GH, MACHINE, GObject)


/* Changes @editor; runs in a worker thread, so it may touch nothing but @editor and
 * @user_data. Returns FALSE with @error set to leave the machine as it was. */
typedef gboolean (*GhDomainEditFunc) (GhDomainEditor  *editor,
                                      gpointer         user_data,
                                      GError         **error);

GhLink         *gh_machine_get_link         (GhMachine       *self);
const char     *gh_machine_get_uuid         (GhMachine       *self);
const char     *gh_machine_get_name         (GhMachine       *self);
const char     *gh_machine_get_title        (GhMachine       *self);
const char     *gh_machine_get_display_name (GhMachine       *self);
const char     *gh_machine_get_description  (GhMachine       *self);
GhMachineState  gh_machine_get_state        (GhMachine       *self);
GhMachinePauseReason gh_machine_get_pause_reason (GhMachine  *self);
/* "Paused: the host's disk is full", or the state's label when there is no more to say. */
const char     *gh_machine_get_state_text   (GhMachine       *self);
guint           gh_machine_get_vcpus        (GhMachine       *self);
guint64         gh_machine_get_memory       (GhMachine       *self);
const char     *gh_machine_get_os_id        (GhMachine       *self);
gboolean        gh_machine_get_has_spice    (GhMachine       *self);
gboolean        gh_machine_get_persistent   (GhMachine       *self);
/* In the install phase of an express install: Greenhouse boots the installed system
 * by itself when the installer is done. */
gboolean        gh_machine_get_installing   (GhMachine       *self);
const GError   *gh_machine_get_install_error (GhMachine      *self);
/* While an operation started through the machine (a lifecycle action, finishing an install,
 * a delete, an edit) is in flight: what rows and consoles keep their actions off for. */
gboolean        gh_machine_get_busy         (GhMachine       *self);

gboolean        gh_machine_can_perform      (GhMachine       *self,
                                             GhMachineAction  action);
void            gh_machine_perform_async    (GhMachine           *self,
                                             GhMachineAction      action,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean        gh_machine_perform_finish   (GhMachine       *self,
                                             GAsyncResult    *result,
                                             GError         **error);

void            gh_machine_finish_install_async  (GhMachine           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gh_machine_finish_install_finish (GhMachine       *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);

void            gh_machine_delete_async     (GhMachine           *self,
                                             gboolean             delete_storage,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean        gh_machine_delete_finish    (GhMachine       *self,
                                             GAsyncResult    *result,
                                             GError         **error);

void            gh_machine_open_graphics_fd_async  (GhMachine           *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
int             gh_machine_open_graphics_fd_finish (GhMachine           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void            gh_machine_edit_async       (GhMachine           *self,
                                             const char          *part,
                                             const char          *seen,
                                             GhDomainEditFunc     func,
                                             gpointer             func_data,
                                             GDestroyNotify       func_data_destroy,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean        gh_machine_edit_finish      (GhMachine       *self,
                                             GAsyncResult    *result,
                                             gboolean        *next_boot,
                                             GError         **error);

/* What a settings window needs beyond the XML edits of gh_machine_edit_async(). */
void            gh_machine_dup_editor_async      (GhMachine           *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GhDomainEditor *gh_machine_dup_editor_finish     (GhMachine           *self,
                                                  GAsyncResult        *result,
                                                  gboolean            *autostart,
                                                  GHashTable         **capacities,
                                                  GError             **error);
void            gh_machine_rename_async          (GhMachine           *self,
                                                  const char          *name,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gh_machine_rename_finish         (GhMachine           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void            gh_machine_set_autostart_async   (GhMachine           *self,
                                                  gboolean             autostart,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gh_machine_set_autostart_finish  (GhMachine           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void            gh_machine_add_disk_async        (GhMachine           *self,
                                                  guint64              capacity,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gh_machine_add_disk_finish       (GhMachine           *self,
                                                  GAsyncResult        *result,
                                                  gboolean            *next_boot,
                                                  GError             **error);
void            gh_machine_remove_disk_async     (GhMachine           *self,
                                                  const char          *target,
                                                  gboolean             delete_volume,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gh_machine_remove_disk_finish    (GhMachine           *self,
                                                  GAsyncResult        *result,
                                                  gboolean            *next_boot,
                                                  GError             **error);
void            gh_machine_attach_new_mdev_async (GhMachine           *self,
                                                  const char          *parent,
                                                  const char          *type_id,
                                                  gboolean             display,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gh_machine_attach_new_mdev_finish (GhMachine          *self,
                                                   GAsyncResult       *result,
                                                   gboolean           *next_boot,
                                                   GError            **error);
void            gh_machine_detach_mdev_async     (GhMachine           *self,
                                                  const char          *uuid,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gh_machine_detach_mdev_finish    (GhMachine           *self,
                                                  GAsyncResult        *result,
                                                  gboolean            *next_boot,
                                                  GError             **error);

char           *gh_machine_action_dup_failure  (GhMachineAction action,
                                                const char     *name);
const char     *gh_machine_state_get_label     (GhMachineState  state);
const char     *gh_machine_state_get_icon_name (GhMachineState  state);
const char     *gh_machine_pause_reason_get_text (GhMachinePauseReason reason);
gboolean        gh_machine_state_can_perform   (GhMachineState  state,
                                                GhMachineAction action);

/* Whether Start on @machine must ask first: it is in the install phase of an express
 * install, shut off, and Greenhouse did not see its installer finish. */
gboolean           gh_machine_start_needs_asking (GhMachine          *machine);

G_END_DECLS
