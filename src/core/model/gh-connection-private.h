/* gh-connection-private.h: what core and its tests ask of a GhConnection beyond its API
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>

#include "gh-connection.h"

G_BEGIN_DECLS

/* Any thread: a new reference to the open virConnectPtr, or NULL with an error. */
virConnectPtr   _gh_connection_dup_virconnect    (GhConnection         *self,
                                                  GError              **error);
/* Any thread: whether the details of QEMU's SHUTDOWN event say the guest reset itself. */
gboolean        _gh_connection_shutdown_is_reset (const char           *details);
void            _gh_connection_emit_install_failed (GhConnection       *self,
                                                    GhMachine          *machine,
                                                    const GError       *error);
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
