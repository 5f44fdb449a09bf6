/* gh-machine-private.h: what GhMachine's part files share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>

#include "gh-cleanup-journal.h"
#include "gh-machine-info-private.h"
#include "gh-machine.h"

G_BEGIN_DECLS

struct _GhMachine
{
  GObject parent_instance;

  /* Borrowed references */
  GWeakRef owner;               /* the object whose list holds this machine */

  /* Owned references */
  GhLink *link;                 /* the owner's: what workers borrow the daemon from */
  char *uuid;
  char *name;
  char *title;
  char *description;
  char *os_id;

  GhMachineState state;
  GhMachinePauseReason pause_reason;
  guint vcpus;
  guint64 memory;
  guint has_spice : 1;
  guint persistent : 1;
  guint installing : 1;
  guint install_done : 1;       /* the last reading: the guest stopped itself mid-install */
  guint reset_seen : 1;         /* QEMU said the guest reset itself: the installer's end */
  guint finishing_install : 1;  /* a worker is at it */
  guint busy;                   /* operations started through the API and not yet done */
  /* Why the last finish failed: not tried again on every event, but after a reconnection
   * or when asked. */
  GError *install_error;
};

/* What a worker needs to act on a machine, whatever the operation: the first member of
 * each operation's own task data (PerformData, RenameData, ...), so that the helpers
 * below take any of them. It holds the connection's virConnectPtr, not the GhConnection:
 * a GObject whose last reference a worker dropped would be disposed on that worker. The
 * worker releases @conn itself, since the last virConnectClose() may talk to the
 * daemon. */
typedef struct
{
  virConnectPtr  conn;
  char          *uuid;
  char          *display_name;
  char          *failure;       /* "Could not start “name”" */
  gboolean       next_boot;     /* set by _gh_machine_define_editor(): the new definition
                                 * waits for the machine to start again */
} MachineTask;

/* gh-machine.c: what the connection does to its machines (main thread). */
/* @owner: the object whose list holds the machine (see gh_connection_get_for_machine());
 * @link: where its workers borrow the daemon from. */
GhMachine    *_gh_machine_new                  (GObject             *owner,
                                                GhLink              *link,
                                                const GhMachineInfo *info);
/* Main thread: a new reference to the owner, or NULL once it is gone. */
GObject      *_gh_machine_dup_owner            (GhMachine           *self);
void          _gh_machine_update               (GhMachine           *self,
                                                const GhMachineInfo *info);
void          _gh_machine_set_state            (GhMachine           *self,
                                                GhMachineState       state);

/* gh-machine.c: the task plumbing, and what the machine asks of its connection. */
void          _gh_machine_task_clear           (MachineTask         *task_data);
void          _gh_machine_task_free            (MachineTask         *task_data);
/* Main thread: a task of @self whose data is @task_data, the first member of a struct
 * that @task_data_free frees. @failure (taken) starts every error message. */
GTask        *_gh_machine_task_new             (GhMachine           *self,
                                                gpointer             source_tag,
                                                char                *failure,
                                                MachineTask         *task_data,
                                                GDestroyNotify       task_data_free,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Main thread: counts @task, an operation a caller started (a lifecycle action, a delete,
 * an edit), in GhMachine:busy until its callback has run. */
void          _gh_machine_hold_busy            (GhMachine           *self,
                                                GTask               *task);
/* Main thread: gives @task's worker the connection's virConnectPtr, or returns an error
 * on @task when there is none. */
gboolean      _gh_machine_task_prepare         (GhMachine           *self,
                                                GTask               *task);
/* As above, and the machine's state must allow @action. */
gboolean      _gh_machine_task_prepare_action  (GhMachine           *self,
                                                GTask               *task,
                                                GhMachineAction      action);
/* Worker: the domain as it is now on the daemon. */
virDomainPtr  _gh_machine_lookup_domain        (MachineTask         *task_data,
                                                GError             **error);
/* Worker: the domain looked up and its persistent definition, secrets included, read for
 * an edit (_gh_machine_read_editor()); the domain goes to @domain when that is not NULL.
 * NULL, with @error starting with the task's failure, when either cannot be read. */
GhDomainEditor *_gh_machine_task_read_definition (MachineTask       *task_data,
                                                  virDomainPtr      *domain,
                                                  GError           **error);
/* Worker: releases the connection and returns @error (taken), or TRUE. */
void          _gh_machine_task_return_boolean  (MachineTask         *task_data,
                                                GTask               *task,
                                                GError              *error);
gboolean      _gh_machine_task_finish_boolean  (GhMachine           *self,
                                                GAsyncResult        *result,
                                                gpointer             source_tag,
                                                GError             **error);
/* Main thread: whether the link is a session one and a local one. */
void          _gh_machine_get_connection_kind  (GhMachine           *self,
                                                gboolean            *session,
                                                gboolean            *local);
/* Main thread: emits GhMachine::install-failed, which the connection passes on, when the
 * finish of an express install nobody waited for failed. */
void          _gh_machine_report_install_failed (GhMachine          *self,
                                                 const GError       *error);
void          _gh_machine_set_install_error    (GhMachine           *self,
                                                const GError        *error);
void          _gh_machine_set_finishing_install (GhMachine          *self,
                                                 gboolean            finishing);

/* gh-machine-edit.c: reading and defining the persistent definition. */
GhDomainEditor *_gh_machine_read_editor        (MachineTask         *data,
                                                virDomainPtr         domain,
                                                unsigned int         flags,
                                                GError             **error);
gboolean      _gh_machine_define_editor        (MachineTask         *data,
                                                GhDomainEditor      *editor,
                                                GError             **error);
/* The end of every task that defines the machine again: whether the change waits for
 * the next boot. */
gboolean      _gh_machine_edit_finish_common   (GhMachine           *self,
                                                GAsyncResult        *result,
                                                gpointer             source_tag,
                                                gboolean            *next_boot,
                                                GError             **error);

/* gh-machine-delete.c: which storage belongs to a machine alone, and the journal of
 * volumes about to be deleted. */
virStorageVolPtr _gh_machine_add_storage_keys  (virConnectPtr        conn,
                                                GHashTable          *keys,
                                                const char          *path,
                                                const char          *pool,
                                                const char          *volume);
gboolean      _gh_machine_volume_used_elsewhere (virConnectPtr       conn,
                                                 const char         *uuid,
                                                 GHashTable         *keys,
                                                 gboolean           *used,
                                                 GError            **error);
void          _gh_machine_record_volume        (GhCleanupJournal    *journal,
                                                GArray              *records,
                                                const char          *machine,
                                                const char          *path);
void          _gh_machine_forget_volumes       (GhCleanupJournal    *journal,
                                                GArray              *records,
                                                virConnectPtr        conn);

/* gh-machine-install.c: the end of an express install's install phase, and its files. */
/* Main thread, connected: when the installer of an express install has ended its
 * install phase (its reboot was seen, and the guest stopped), boots the installed system
 * (once; a worker does it). */
void          _gh_machine_check_install        (GhMachine           *self);
/* Main thread, after a reconnection: as above, and also tries again a finish that
 * failed. */
void          _gh_machine_retry_install        (GhMachine           *self);
/* Main thread: QEMU said the guest reset itself (its reboot, as opposed to a poweroff),
 * or (@reset FALSE) the guest started again, which also forgets a failed finish. */
void          _gh_machine_set_reset_seen       (GhMachine           *self,
                                                gboolean             reset);
gboolean      _gh_machine_delete_install_volume (virConnectPtr       conn,
                                                 const char         *path);
void          _gh_machine_read_install_files   (virDomainPtr         domain,
                                                char               **kernel,
                                                char               **initrd);

G_END_DECLS
