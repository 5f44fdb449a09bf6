/* gh-console-window-size.c: the console window at its guest's size
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "gh-console-window-private.h"

#ifdef GDK_WINDOWING_X11
# include <gdk/x11/gdkx.h>
#endif

/* The window gives the display the guest's size, so that each frame is drawn 1:1 in device
 * pixels: a frame scaled by even a few pixels costs the renderer far more, and blurs. It
 * does so when it opens and whenever the guest changes resolution, until the user (or the
 * window manager) gives the window another size: from then on it keeps that size, and the
 * display scales the guest to fit. A guest larger than the screen is fitted to it, scaled,
 * keeping its aspect ratio.
 *
 * GTK 4.8 has no gtk_window_resize (): the window sets its default size, which resizes a
 * mapped window unless it is maximized, fullscreen or tiled. GTK also sets the default
 * size to each size the window manager gives the window, except while maximized,
 * fullscreen or tiled: a default size that is not the one the window set itself is
 * someone else's choice. The window looks only when it would resize, in its normal state:
 * going fullscreen, the window manager's new size may come before its new state. It does
 * not fit itself again when it leaves those states: the window manager gives it back the
 * size it had, and a guest whose agent followed the larger size follows it back. */

/* The guest size the window opens for, before the guest has one: what most installers and
 * firmware show. */
#define GUEST_WIDTH  800
#define GUEST_HEIGHT 600

/* Of a monitor whose work area GDK cannot tell, what the window leaves for panels. */
#define MONITOR_MARGIN 64

/* The states in which the window manager sizes the window. */
#define MANAGED_STATES (GDK_TOPLEVEL_STATE_MAXIMIZED | GDK_TOPLEVEL_STATE_FULLSCREEN | \
                        GDK_TOPLEVEL_STATE_TILED)

static gboolean
is_managed (GhConsoleWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));

  return surface == NULL ||
         (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & MANAGED_STATES) != 0;
}

/* The most the window's default size may be on its monitor: the work area where GDK knows
 * it (X11), else the monitor less a margin. */
static void
get_room (GhConsoleWindow *self,
          int             *width,
          int             *height)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  GdkMonitor *monitor = NULL;
  GdkRectangle area;

  if (surface != NULL)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  surface);
  if (monitor == NULL)
    {
      /* GTK keeps the window within the screen anyway. */
      *width = *height = G_MAXINT / 4;
      return;
    }

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_MONITOR (monitor))
    {
      gdk_x11_monitor_get_workarea (monitor, &area);
      *width = area.width;
      *height = area.height;
      return;
    }
#endif

  gdk_monitor_get_geometry (monitor, &area);
  *width = area.width - MONITOR_MARGIN;
  *height = area.height - MONITOR_MARGIN;
}

static void
set_size (GhConsoleWindow *self,
          int              width,
          int              height)
{
  if (width == self->fit_width && height == self->fit_height)
    return;

  g_debug ("Console: %d×%d for the guest", width, height);
  self->fit_width = width;
  self->fit_height = height;
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

static void
fit_guest (GhConsoleWindow *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self->display));
  int guest_width, guest_height;
  int frame_width, frame_height;
  int room_width, room_height;
  int width, height;
  int minimum;

  if (self->user_sized || !self->frame_known || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      is_managed (self))
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width != self->fit_width || height != self->fit_height)
    {
      g_debug ("Console: resized to %d×%d, no longer to the guest's size", width, height);
      self->user_sized = TRUE;
      return;
    }

  gh_spice_display_get_guest_size (self->display, &guest_width, &guest_height);
  if (guest_width > 0 && guest_height > 0)
    {
      /* The display draws the guest 1:1 in device pixels. */
      width = (guest_width + scale - 1) / scale;
      height = (guest_height + scale - 1) / scale;
    }
  else
    {
      width = GUEST_WIDTH;
      height = GUEST_HEIGHT;
    }

  frame_width = self->frame_width;
  frame_height = self->frame_height;
  get_room (self, &room_width, &room_height);
  if (width + frame_width > room_width || height + frame_height > room_height)
    {
      double factor = MIN ((double) (room_width - frame_width) / width,
                           (double) (room_height - frame_height) / height);

      width = MAX (1, (int) floor (width * factor));
      height = MAX (1, (int) floor (height * factor));
    }

  /* A guest smaller than the header bar: GTK would raise the default size to the window's
   * minimum itself, and that would look like someone else's choice. */
  width += frame_width;
  height += frame_height;
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  width = MAX (width, minimum);
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_VERTICAL, width,
                      &minimum, NULL, NULL, NULL);
  height = MAX (height, minimum);

  set_size (self, width, height);
}

static gboolean
fit_guest_cb (gpointer user_data)
{
  GhConsoleWindow *self = user_data;

  self->fit_id = 0;
  fit_guest (self);

  return G_SOURCE_REMOVE;
}

/* From an idle: it may be asked from within an allocation, where a new size would have to
 * wait anyway, and the guest's width and height change one after the other. */
static void
queue_fit (GhConsoleWindow *self)
{
  if (self->fit_id == 0)
    self->fit_id = g_idle_add (fit_guest_cb, self);
}

static void
on_guest_size_changed (GhConsoleWindow *self)
{
  int width, height;

  /* A new 2D resolution comes after a 0×0 one: the window waits for it. */
  gh_spice_display_get_guest_size (self->display, &width, &height);
  if (width > 0 && height > 0)
    queue_fit (self);
}

void
_gh_console_window_size_allocated (GhConsoleWindow *self)
{
  int display_width = gtk_widget_get_width (GTK_WIDGET (self->display));
  int display_height = gtk_widget_get_height (GTK_WIDGET (self->display));
  int width, height;

  if (self->frame_known || display_width <= 0 || display_height <= 0 || is_managed (self))
    return;

  /* The first allocation is of the default size the window was shown with (which GTK may
   * have made to fit the screen), and nothing in it moves yet. What is not the display is
   * the header bar and the decorations' border, which depends on the window manager (a
   * border is inside the default size where there is no compositor): measured once, here,
   * since later allocations may come while the header bar slides back in after fullscreen
   * or while a new size is on its way. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  self->frame_width = MAX (0, width - display_width);
  self->frame_height = MAX (0, height - display_height);
  self->frame_known = TRUE;
  self->fit_width = width;
  self->fit_height = height;

  /* The size guessed before the window was shown is corrected now, before any frame. */
  queue_fit (self);
}

void
_gh_console_window_size_init (GhConsoleWindow *self)
{
  int header_height = 0;

  /* A first guess, made before the window has styles or decorations: an 800×600 guest
   * under the header bar. _gh_console_window_size_allocated () corrects it. */
  gtk_widget_measure (GTK_WIDGET (self->header_bar), GTK_ORIENTATION_VERTICAL, GUEST_WIDTH,
                      NULL, &header_height, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (self), GUEST_WIDTH, GUEST_HEIGHT + header_height);

  g_signal_connect_swapped (self->display, "notify::guest-width",
                            G_CALLBACK (on_guest_size_changed), self);
  g_signal_connect_swapped (self->display, "notify::guest-height",
                            G_CALLBACK (on_guest_size_changed), self);
}
