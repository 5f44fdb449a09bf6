/* gh-os-names-private.h: what tests may ask of the OS names cache
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-os-names.h"

G_BEGIN_DECLS

/* Names read from the cache file at @path (nothing when it is missing or not a cache),
 * not checked: _gh_os_names_update_async() checks them. */
GhOsNames *_gh_os_names_new              (const char           *path);
/* Checks the cache against the database's files in a worker and, where they changed,
 * loads the database there, writes the cache again and emits ::changed. */
void       _gh_os_names_update_async     (GhOsNames            *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
/* TRUE when the cache was built again, FALSE when it was current (or on failure). */
gboolean   _gh_os_names_update_finish    (GhOsNames            *self,
                                          GAsyncResult         *result,
                                          GError              **error);
/* What the cache is checked against: the database's folders, as libosinfo finds them, and
 * the languages its names are in. Reads those folders: not for the main thread. */
char      *_gh_os_names_dup_current_tag  (const char * const   *languages);
/* What the names in memory were built from, or NULL when there are none. */
const char *_gh_os_names_get_tag         (GhOsNames            *self);
guint      _gh_os_names_get_n_names      (GhOsNames            *self);
/* The next gh_os_names_get_default() reads the cache file again, as a new process would;
 * what holds the old one keeps it. */
void       _gh_os_names_forget_default   (void);

G_END_DECLS
