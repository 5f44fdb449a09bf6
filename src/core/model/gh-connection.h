/* gh-connection.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gh-graphics-planner.h"
#include "gh-host-inventory.h"
#include "gh-link.h"
#include "gh-machine.h"
#include "gh-machine-list.h"

G_BEGIN_DECLS

typedef enum
{
  GH_CONNECTION_STATE_DISCONNECTED, /* never opened, or closed on purpose */
  GH_CONNECTION_STATE_CONNECTING,
  GH_CONNECTION_STATE_CONNECTED,
  GH_CONNECTION_STATE_FAILED,       /* opening failed: see :error; retry by hand */
  GH_CONNECTION_STATE_LOST,         /* the daemon went away: see :error; reconnects by itself */
} GhConnectionState;

#define GH_TYPE_CONNECTION (gh_connection_get_type ())

G_DECLARE_FINAL_TYPE (GhConnection, gh_connection, GH, CONNECTION, GObject)

GhConnection      *gh_connection_new           (const char          *uri);
const char        *gh_connection_get_uri       (GhConnection        *self);
GhConnectionState  gh_connection_get_state     (GhConnection        *self);
const GError      *gh_connection_get_error     (GhConnection        *self);
GhMachineList     *gh_connection_get_machines  (GhConnection        *self);
const GError      *gh_connection_get_cleanup_error (GhConnection    *self);
gboolean           gh_connection_is_remote     (GhConnection        *self);
/* How this connection counts for the planner: system, remote, or neither. */
GhGraphicsConnectionFlags gh_connection_get_graphics_flags (GhConnection *self);
gboolean           gh_connection_is_session    (GhConnection        *self);
GhLink            *gh_connection_get_link      (GhConnection        *self);
GhHostInventory   *gh_connection_get_host_inventory (GhConnection   *self);
/* The connection whose list holds @machine; NULL once it is gone. (transfer none) */
GhConnection      *gh_connection_get_for_machine (GhMachine        *machine);

/* Opens the URI in a worker thread and lists its machines once; from then on only
 * libvirt events change the list. Also used to retry a failed connection. */
void               gh_connection_open_async    (GhConnection        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean           gh_connection_open_finish   (GhConnection        *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Closes the connection (in a worker thread) and empties its list. */
void               gh_connection_close         (GhConnection        *self);

/* A name a person recognises: "User session", "System", "user@host", "Test driver: x.xml",
 * else the URI. */
char              *gh_connection_dup_display_name (GhConnection      *connection);
const char        *gh_connection_state_get_label  (GhConnectionState  state);

G_END_DECLS
