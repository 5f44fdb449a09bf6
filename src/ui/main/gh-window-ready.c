/* gh-window-ready.c: the window says when it is ready, for benchmarks and tests
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>

#include "gh-machine-row.h"
#include "gh-window-private.h"

/* Benchmark and test hook. When GREENHOUSE_REPORT_READY is set, the window prints
 *
 *   greenhouse-ready machines=N
 *
 * once, on stdout, after the first frame painted with the window mapped, every connection
 * past CONNECTING, and the grid view's rows built for what is in sight (N counts the
 * machines of all connections, most of which have no row: the grid view builds rows only
 * for what it shows). With the value "quit" the application quits right after; with "stay"
 * (or any other value) it goes on as a user's would, and the hook does nothing more.
 * tests/bench/list-startup times launches and their peak RSS with "quit", and measures the
 * CPU the window takes while idle, from outside, with "stay"; without the variable none of
 * this runs. */
static gboolean
gh_window_all_settled (GhWindow *self)
{
  guint n = g_list_model_get_n_items (self->connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (self->connections, i);
      GhConnectionState state = gh_connection_get_state (connection);

      if (state == GH_CONNECTION_STATE_CONNECTING || state == GH_CONNECTION_STATE_DISCONNECTED)
        return FALSE;
    }

  return TRUE;
}

static guint
gh_window_count_machines (GhWindow *self)
{
  guint n = g_list_model_get_n_items (self->connections);
  guint n_machines = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (self->connections, i);
      GListModel *machines = G_LIST_MODEL (gh_connection_get_machines (connection));

      n_machines += g_list_model_get_n_items (machines);
    }

  return n_machines;
}

/* The machine rows the grid view has built, bound and shows. */
static guint
gh_window_count_shown_rows (GhWindow *self)
{
  guint n_rows = 0;

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->machines_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (GH_IS_MACHINE_ROW (child) &&
          gh_machine_row_get_machine (GH_MACHINE_ROW (child)) != NULL &&
          gtk_widget_get_mapped (child))
        n_rows++;
    }

  return n_rows;
}

static void
on_ready_after_paint (GhWindow      *self,
                      GdkFrameClock *frame_clock)
{
  guint n_machines;

  g_clear_signal_handler (&self->ready_paint_handler, frame_clock);

  /* A connection may have started over since: its own state change asks again. */
  if (!gh_window_all_settled (self))
    return;

  /* The grid view builds its rows while it lays out; a frame whose layout came before
   * the machines did has none yet. */
  n_machines = gh_window_count_machines (self);
  if (n_machines > 0 && gh_window_count_shown_rows (self) == 0)
    {
      _gh_window_check_ready (self);
      return;
    }

  self->ready_reported = TRUE;

  printf ("greenhouse-ready machines=%u\n", n_machines);
  fflush (stdout);

  if (g_strcmp0 (g_getenv ("GREENHOUSE_REPORT_READY"), "quit") == 0 &&
      gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

void
_gh_window_check_ready (GhWindow *self)
{
  GdkFrameClock *frame_clock;

  if (self->ready_reported || self->ready_paint_handler != 0 ||
      g_getenv ("GREENHOUSE_REPORT_READY") == NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      !gh_window_all_settled (self))
    return;

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  self->ready_paint_handler = g_signal_connect_object (frame_clock, "after-paint",
                                                       G_CALLBACK (on_ready_after_paint),
                                                       self, G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
