/* gh-ui-toast.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libadwaita 1.2 (Debian 12 has 1.2.2; fixed in 1.3.0) has a use-after-free in
 * AdwToastOverlay: when the hide animation of a toast is done, the overlay frees its
 * record of the toast, but the "done" handler of the toast's show animation stays
 * connected to that record. When the show ends after the hide, or in the same frame (GTK
 * runs the newest tick callback first, so the hide goes first), that handler writes to the
 * freed record and unrefs the pointer it finds there: a crash, or a corrupt heap. A toast
 * dismissed while it still slides in can get there: its button clicked at once, a second
 * Escape while the next toast slides in (500 ms), a timeout that fires while the window
 * gets no frames (a compositor may stop sending them to a window out of sight). GTK's
 * cairo renderer makes it likely, as it changes when frames come.
 *
 * So no dismissal reaches an overlay while one of its toasts may still slide in. It is
 * stopped in a class handler of AdwToast::dismissed, which runs before the toast's own
 * handler (that one forgets the overlay) and the overlay's (that one starts the hide), and
 * it is let through again from a tick of the overlay's frame clock at a frame time past
 * the longest show: the show animations end in that frame, and a hide started from the
 * tick runs its first tick in the next one. An unmapped overlay runs no animation
 * (libadwaita skips them on unmap), so its dismissals go through at once. */

#include "gh-ui-toast.h"

/* The longest show animation of AdwToastOverlay 1.2 (a toast that replaces another:
 * 500 ms), and frames to spare for the frame time it starts at. */
#define SHOW_GUARD_USEC (600 * G_TIME_SPAN_MILLISECOND)

#define GUARD_KEY   "gh-toast-guard"
#define OVERLAY_KEY "gh-toast-overlay"

typedef struct
{
  /* Borrowed references */
  AdwToastOverlay *overlay;  /* the guard is its data */

  /* Owned references */
  GPtrArray       *held;     /* AdwToast: dismissals that wait, oldest first */

  gint64           quiet_at; /* frame time (µs) from which no toast slides in */
  guint            tick_id;
  gboolean         settled;
} ToastGuard;

static gboolean
toast_guard_is_needed (void)
{
  return adw_get_major_version () == 1 && adw_get_minor_version () < 3;
}

static void
toast_guard_free (gpointer data)
{
  ToastGuard *guard = data;

  g_clear_pointer (&guard->held, g_ptr_array_unref);
  g_free (guard);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Lets the held dismissals through, oldest first; one that brings in the next toast holds
 * the others again. */
static void
toast_guard_release (ToastGuard *guard)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&guard->held);

  guard->settled = TRUE;
  guard->held = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < held->len; i++)
    adw_toast_dismiss (g_ptr_array_index (held, i));
}

static gboolean
toast_guard_tick (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  ToastGuard *guard = user_data;

  if (gdk_frame_clock_get_frame_time (frame_clock) < guard->quiet_at)
    return G_SOURCE_CONTINUE;

  /* Cleared first: a released dismissal may start a new tick. */
  guard->tick_id = 0;
  toast_guard_release (guard);

  return G_SOURCE_REMOVE;
}

/* A toast of the overlay may start to slide in now. */
static void
toast_guard_unsettle (ToastGuard *guard)
{
  GtkWidget *widget = GTK_WIDGET (guard->overlay);
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);

  if (!gtk_widget_get_mapped (widget) || frame_clock == NULL)
    return;

  guard->settled = FALSE;
  guard->quiet_at = gdk_frame_clock_get_frame_time (frame_clock) + SHOW_GUARD_USEC;
  if (guard->tick_id == 0)
    guard->tick_id = gtk_widget_add_tick_callback (widget, toast_guard_tick, guard, NULL);
}

/* Connected after libadwaita's own handlers, which skip the animations: once they have
 * run, nothing slides in, and a hide started now is skipped at once. */
static void
on_overlay_unmap (GtkWidget *widget,
                  gpointer   user_data)
{
  ToastGuard *guard = user_data;

  if (guard->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, guard->tick_id);
      guard->tick_id = 0;
    }
  toast_guard_release (guard);
}

static void
on_toast_dismissed (AdwToast *toast)
{
  GWeakRef *overlay_ref = g_object_get_data (G_OBJECT (toast), OVERLAY_KEY);
  g_autoptr(AdwToastOverlay) overlay = overlay_ref != NULL ? g_weak_ref_get (overlay_ref)
                                                           : NULL;
  ToastGuard *guard = overlay != NULL ? g_object_get_data (G_OBJECT (overlay), GUARD_KEY)
                                      : NULL;

  /* A toast that did not come in through gh_ui_add_toast(). */
  if (guard == NULL)
    return;

  if (!guard->settled && gtk_widget_get_mapped (GTK_WIDGET (overlay)))
    {
      g_signal_stop_emission_by_name (toast, "dismissed");
      if (!g_ptr_array_find (guard->held, toast, NULL))
        g_ptr_array_add (guard->held, g_object_ref (toast));
      return;
    }

  /* Dismissing the toast on screen brings in the next one. */
  toast_guard_unsettle (guard);
}

void
gh_ui_add_toast (AdwToastOverlay *overlay,
                 AdwToast        *toast)
{
  static gsize class_handler_set = 0;
  ToastGuard *guard;
  GWeakRef *overlay_ref;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  if (!toast_guard_is_needed ())
    {
      adw_toast_overlay_add_toast (overlay, toast);
      return;
    }

  /* Once per process, and only now that AdwToast's class, and so its signal, exists. */
  if (g_once_init_enter (&class_handler_set))
    {
      g_signal_override_class_handler ("dismissed", ADW_TYPE_TOAST,
                                       G_CALLBACK (on_toast_dismissed));
      g_once_init_leave (&class_handler_set, 1);
    }

  guard = g_object_get_data (G_OBJECT (overlay), GUARD_KEY);
  if (guard == NULL)
    {
      guard = g_new0 (ToastGuard, 1);
      guard->overlay = overlay;
      guard->held = g_ptr_array_new_with_free_func (g_object_unref);
      guard->settled = TRUE;
      g_object_set_data_full (G_OBJECT (overlay), GUARD_KEY, guard, toast_guard_free);
      g_signal_connect_after (overlay, "unmap", G_CALLBACK (on_overlay_unmap), guard);
    }

  /* Weak: a toast may outlive its overlay, held by a widget on its way out. */
  overlay_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (overlay_ref, overlay);
  g_object_set_data_full (G_OBJECT (toast), OVERLAY_KEY, overlay_ref, weak_ref_free);

  adw_toast_overlay_add_toast (overlay, toast);
  /* It slides in now, or after the toast on screen, whose dismissal unsettles again. */
  toast_guard_unsettle (guard);
}

/* The first AdwToastOverlay below @widget, depth first. */
static AdwToastOverlay *
find_toast_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *overlay = find_toast_overlay (child);

      if (overlay != NULL)
        return overlay;
    }

  return NULL;
}

void
gh_ui_add_window_toast (AdwPreferencesWindow *window,
                        AdwToast             *toast)
{
  AdwToastOverlay *overlay;

  g_return_if_fail (ADW_IS_PREFERENCES_WINDOW (window));
  g_return_if_fail (ADW_IS_TOAST (toast));

  /* libadwaita 1.2's AdwPreferencesWindow keeps its overlay in its template, with no
   * getter; adw_preferences_window_add_toast() adds to it as gh_ui_add_toast() does. */
  overlay = toast_guard_is_needed () ? find_toast_overlay (GTK_WIDGET (window)) : NULL;
  if (overlay != NULL)
    gh_ui_add_toast (overlay, toast);
  else
    adw_preferences_window_add_toast (window, toast);
}
