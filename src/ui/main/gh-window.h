/* gh-window.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"

G_BEGIN_DECLS

#define GH_TYPE_WINDOW (gh_window_get_type ())

G_DECLARE_FINAL_TYPE (GhWindow, gh_window, GH, WINDOW, AdwApplicationWindow)

/* @connections: GhConnection*, the ones the window lists. */
GhWindow *gh_window_new                (GtkApplication *application,
                                        GListModel     *connections);
/* Scrolls @connection's part of the list into sight. */
void      gh_window_reveal_connection (GhWindow      *self,
                                      GhConnection  *connection);
/* Shows @message (a sentence for the user) as a toast over the window's content. */
void      gh_window_add_toast         (GhWindow      *self,
                                      const char    *message);
/* Shows @what failed ("Could not start “Fedora”") as a toast whose Details button shows
 * @reason, which is often too long for a toast. */
void      gh_window_add_error         (GhWindow      *self,
                                      const char    *what,
                                      const char    *reason);

G_END_DECLS
