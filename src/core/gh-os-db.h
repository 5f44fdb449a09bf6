/* gh-os-db.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

#define GH_TYPE_OS_DB (gh_os_db_get_type ())

/* The libosinfo database. Loading it takes a while, so it loads in a worker thread;
 * :loaded turns TRUE on the main thread once lookups can answer. */
G_DECLARE_FINAL_TYPE (GhOsDb, gh_os_db, GH, OS_DB, GObject)

GhOsDb     *gh_os_db_get_default   (void);
gboolean    gh_os_db_get_loaded    (GhOsDb      *self);
void        gh_os_db_load_async    (GhOsDb              *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean    gh_os_db_load_finish   (GhOsDb        *self,
                                    GAsyncResult  *result,
                                    GError       **error);
/* Returns the OS's name ("Fedora 37") for a libosinfo id, or NULL if it is unknown
 * or the database is not loaded yet. */
const char *gh_os_db_get_os_name   (GhOsDb      *self,
                                    const char  *os_id);
/* The OS with this libosinfo id or short id ("http://microsoft.com/win/11", "win11"), or
 * NULL if it is unknown or the database is not loaded yet. */
OsinfoOs   *gh_os_db_lookup_os     (GhOsDb      *self,
                                    const char  *id);

G_END_DECLS
