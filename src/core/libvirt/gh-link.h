/* gh-link.h: what a worker may hold of a libvirt connection
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* A GhConnection's daemon link, as plain reference-counted data: the URI and what it
 * says (remote, session, system), and the open virConnectPtr while there is one. Any
 * thread may hold and read it; only its GhConnection changes it. Machines and the host
 * inventory borrow it instead of the connection, so a worker never reads an object the
 * main thread changes, and nothing below the model layer knows GhConnection. */
typedef struct _GhLink GhLink;

GhLink         *gh_link_ref                (GhLink      *self);
void            gh_link_unref              (GhLink      *self);

const char     *gh_link_get_uri            (GhLink      *self);
/* The daemon is on another host (the URI names one): no local file descriptors for the
 * display, no SPICE GL, no sysfs. */
gboolean        gh_link_is_remote          (GhLink      *self);
/* The URI's path is /session or /system. */
gboolean        gh_link_is_session         (GhLink      *self);
gboolean        gh_link_is_system          (GhLink      *self);
/* This machine's own QEMU daemon: only then do sysfs, /dev/dri and the virgl probe
 * describe the host the guests run on. */
gboolean        gh_link_is_this_machine    (GhLink      *self);

/* A new reference to the open virConnectPtr (virConnectRef() asks no daemon), or NULL
 * with GH_ERROR_NOT_CONNECTED. Release it with virConnectClose() in a worker: the last
 * close may talk to the daemon. */
virConnectPtr   gh_link_dup_virconnect     (GhLink      *self,
                                            GError     **error);

/* Whether @text looks like a libvirt URI; sets @error with a sentence for the user if not.
 * Only the syntax is checked: whether libvirt can open it is found out by connecting. */
gboolean        gh_link_check_uri          (const char  *text,
                                            GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhLink, gh_link_unref)

G_END_DECLS
