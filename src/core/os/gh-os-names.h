/* gh-os-names.h: the names of libosinfo's OSes, without loading libosinfo
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_TYPE_OS_NAMES (gh_os_names_get_type ())

/* What the machine list needs of libosinfo, its OSes' names ("Ubuntu 22.04 LTS"), kept in a
 * small cache in the user's cache folder. The whole database costs ~50 MiB to hold; this
 * costs well under one. A worker checks the cache against the database's files and, where
 * they changed (or there is no cache yet), loads the database once to build it again;
 * ::changed tells when new names arrived. The wizard, the settings and the host report
 * still load the whole database (GhOsDb). */
G_DECLARE_FINAL_TYPE (GhOsNames, gh_os_names, GH, OS_NAMES, GObject)

GhOsNames  *gh_os_names_get_default (void);
/* The OS's name ("Fedora 37") for a libosinfo id, or NULL when the cache does not know
 * it (yet: ::changed says when to ask again). */
const char *gh_os_names_lookup      (GhOsNames   *self,
                                     const char  *os_id);
/* Blocks until the cache a worker is checking or building is on disk, and returns at once
 * when none is: a process that ends right after its first start still leaves the cache
 * for the next one. */
void        gh_os_names_wait        (GhOsNames   *self);

G_END_DECLS
