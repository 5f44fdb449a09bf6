/* gh-window-private.h: what GhWindow's part files share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-window.h"

G_BEGIN_DECLS

struct _GhWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *connections_button;
  GtkListBox           *connections_list;
  GtkStack             *main_stack;
  /* A one-column GtkGridView, not a GtkListView: before GTK 4.12 a list view builds and
   * lays out up to 200 rows whatever it shows (GTK_LIST_VIEW_MAX_LIST_ITEMS), which took
   * more than half a second at start-up with a thousand machines on a small machine; a
   * grid view keeps about 30 rows per column (GTK_GRID_VIEW_MAX_VISIBLE_ROWS). Both build
   * their rows through the same factory and move the focus with the arrow keys. */
  GtkGridView          *machines_view;

  /* Owned references */
  GListModel           *connections;
  /* What machines_view shows, flattened: for each connection a GListModel of the
   * connection itself (its GhConnectionView heads its part), present only while the view
   * has something to show, and then its GhMachineList. Nothing follows the last one: the
   * view keeps an item in place as items are added before it, and an item at the end
   * would keep the end in sight as the first machines arrive. */
  GListStore           *sections;
  GPtrArray            *views;  /* of GhConnectionView, in the order of connections: kept
                                 * while the connection is shown, so that what it shows
                                 * (a banner about to slide in) outlives scrolling */

  /* GREENHOUSE_REPORT_READY, see gh_window_check_ready () */
  gulong                ready_paint_handler;
  guint                 ready_reported : 1;
  /* Set once the connections the window opened with are listed: a connection added later
   * is scrolled into sight. */
  guint                 set_up : 1;
};

/* gh-window-ready.c: with GREENHOUSE_REPORT_READY set, prints "greenhouse-ready
 * machines=N" once the window shows its connections' machines. Called whenever that may
 * have become true: mapped, a connection settled, rows built. */
void            _gh_window_check_ready (GhWindow *self);

G_END_DECLS
