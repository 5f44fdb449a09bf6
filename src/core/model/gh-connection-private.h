/* gh-connection-private.h: what GhConnection's part files share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-connection.h"
#include "gh-error-private.h"
#include "gh-link-private.h"
#include "gh-machine-info-private.h"
#include "gh-machine-list-private.h"
#include "gh-machine-private.h"
#include "gh-model-enums.h"

G_BEGIN_DECLS

typedef struct _CallbackData CallbackData;

/* An open virConnectPtr with what we registered on it, closed together. */
typedef struct
{
  virConnectPtr  conn;
  GArray        *event_ids;   /* int, from virConnectDomainEventRegisterAny */
  int            node_device_event_id;  /* -1 when the driver has no such events */
  int            shutdown_event_id;     /* QEMU's own SHUTDOWN event; -1 without it */
  /* Ours, not libvirt's: drivers without close callbacks (test:///) accept the
   * registration but never call its free function. */
  CallbackData  *close_data;
} Opened;

struct _GhConnection
{
  GObject parent_instance;

  /* Owned references */
  char          *uri;
  GhMachineList *machines;
  GError        *error;
  GHashTable    *pending;        /* UUIDs whose domains must be read again */
  GMainContext  *main_context;   /* where events and results are applied */
  GError        *cleanup_error;  /* what the last cleanup could not take back */

  GhLink        *link;         /* what machines, the inventory and workers borrow */
  Opened        *opened;       /* what is registered on link's virConnectPtr */
  GhHostInventory *inventory;  /* made when first asked for */

  GhConnectionState state;
  guint          generation;
  guint          n_full_lists;
  guint          n_cleanups;
  GSource       *reconnect_source;
  guint          reconnect_delay;
  guint          refreshing : 1;
  int            lost_while_opening;  /* a close reason, or -1 */
};

/* What each libvirt callback gets as its opaque pointer. libvirt frees it whenever it
 * likes (on deregistration, or never, for drivers without close callbacks), while an
 * event it reported may still wait for the main loop: so it is reference counted, and
 * every deferred event holds its own reference. */
struct _CallbackData
{
  GWeakRef      self;
  GMainContext *main_context;
  guint         generation;
};

/* Something a libvirt callback saw, to be applied on the main thread. */
typedef struct
{
  CallbackData *callback_data;
  char         *uuid;     /* domain events */
  int           reason;   /* close events */
} Deferred;

/* A domain event the connection registers for, and its callback. */
typedef struct
{
  int                                  id;
  virConnectDomainEventGenericCallback callback;
} DomainEvent;

/* gh-connection.c: the object, and how a callback reaches the main thread. */
CallbackData *_gh_connection_callback_data_new         (GhConnection      *self,
                                                        guint              generation);
void          _gh_connection_callback_data_release     (void              *user_data);
/* Takes @deferred; runs @func with it on @callback_data's main context. */
void          _gh_connection_defer_to_main             (CallbackData      *callback_data,
                                                        GSourceFunc        func,
                                                        Deferred          *deferred);
GhConnection *_gh_connection_deferred_dup_connection   (Deferred          *deferred);
/* Takes @error. */
void          _gh_connection_set_state                 (GhConnection      *self,
                                                        GhConnectionState  state,
                                                        GError            *error);

/* gh-connection-open.c: opening, losing the daemon, reconnecting. */
void          _gh_connection_start_open                (GhConnection      *self,
                                                        GTask             *user_task);
void          _gh_connection_retire_opened             (GhConnection      *self);

/* gh-connection-events.c: what each event does, and reading domains again. */
/* Sized here, for OpenData's callback data: its definition must have exactly as many
 * entries (a missing one would be zeros, an extra one only a warning). */
extern const DomainEvent _gh_connection_domain_events[4];
void          _gh_connection_on_qemu_shutdown          (virConnectPtr      conn,
                                                        virDomainPtr       domain,
                                                        const char        *event,
                                                        long long          seconds,
                                                        unsigned int       micros,
                                                        const char        *details,
                                                        void              *opaque);
void          _gh_connection_on_node_device_event      (virConnectPtr      conn,
                                                        virNodeDevicePtr   device,
                                                        int                event,
                                                        int                detail,
                                                        void              *opaque);
/* Main thread: reads the pending domains again, unless a read runs already. */
void          _gh_connection_start_refresh             (GhConnection      *self);

/* gh-connection-cleanup.c: main thread, connected; takes back what the journal lists. */
void          _gh_connection_start_cleanup             (GhConnection      *self);

/* Main thread: a machine of this connection, made from @info, whose failed install
 * finishes the connection passes on as its own GhConnection::install-failed. */
GhMachine    *_gh_connection_new_machine               (GhConnection      *self,
                                                        const GhMachineInfo *info);

/* For the rest of core and its tests. */
/* Any thread: a new reference to the open virConnectPtr, or NULL with an error. */
virConnectPtr   _gh_connection_dup_virconnect    (GhConnection         *self,
                                                  GError              **error);
/* Any thread: whether the details of QEMU's SHUTDOWN event say the guest reset itself. */
gboolean        _gh_connection_shutdown_is_reset (const char           *details);
/* How many times the whole list was read from libvirt (once per (re)connection):
 * lets tests prove that changes arrive through events, not through reloads. */
guint           _gh_connection_get_n_full_lists  (GhConnection         *self);

/* How many cleanups of unfinished work ran to their end since the connection was made
 * (one after every (re)connection): lets tests wait for the one after a reconnection. */
guint           _gh_connection_get_n_cleanups    (GhConnection         *self);
/* Main thread: what the last cleanup could not take back (NULL: all of it). */
void            _gh_connection_set_cleanup_error (GhConnection         *self,
                                                  const GError         *error);

G_END_DECLS
