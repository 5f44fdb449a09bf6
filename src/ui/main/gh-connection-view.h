/* gh-connection-view.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gh-core.h"

G_BEGIN_DECLS

#define GH_TYPE_CONNECTION_VIEW (gh_connection_view_get_type ())

/* Heads one connection's part of the window's list of machines: which connection it is
 * (when the window shows several), whether it is connecting, why it failed, or that it has
 * no machines. The machines' rows follow it in the same list. */
G_DECLARE_FINAL_TYPE (GhConnectionView, gh_connection_view, GH, CONNECTION_VIEW, GtkWidget)

GtkWidget    *gh_connection_view_new             (GhConnection     *connection);
GhConnection *gh_connection_view_get_connection  (GhConnectionView *self);
gboolean      gh_connection_view_get_has_content (GhConnectionView *self);
gboolean      gh_connection_view_get_show_header (GhConnectionView *self);
void          gh_connection_view_set_show_header (GhConnectionView *self,
                                                  gboolean          show_header);

G_END_DECLS
