/* gtk3-frame-counter.c: what a GTK3 SPICE client (remote-viewer) paints, seen from inside.
 *
 *   GH_BENCH_EVENTS=/tmp/events LD_PRELOAD=.../gtk3-frame-counter.so remote-viewer URI
 *
 * Preloaded into the client, it writes the same event log as console-fps's other clients
 * (bench-events.h) by standing in for three GTK3 functions. All three are called across
 * a library boundary (libgtk-3 to libgdk-3, libspice-client-gtk to libgtk-3), so through
 * the PLT, where a preloaded definition wins:
 *
 * - gdk_window_begin_draw_frame() and gdk_window_end_draw_frame(): gtk_widget_render()
 *   brackets every paint of a top-level window with them, once per frame-clock tick in
 *   which something was invalidated. An end is one frame sent to the X server.
 * - gtk_widget_queue_draw_area() and gtk_widget_queue_draw() on a widget of type
 *   SpiceDisplay: spice-gtk's widget calls the first for every display-invalidate, with
 *   the rectangle in widget pixels (the guest's, offset, when it is shown 1:1), and the
 *   second when the primary surface changes, so these are the display's updates.
 *
 * No GTK headers are needed: the functions are declared here by their ABI, and the type
 * name comes from GObject's g_type_name_from_instance(), looked up at run time. Only the
 * process that loads the library first records: helpers it starts do not inherit it.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "bench-events.h"

#define EVENTS_ENV  "GH_BENCH_EVENTS"
#define MAX_WINDOWS 64

/* Public for the dynamic linker only; declared to satisfy -Wmissing-prototypes. */
void *gdk_window_begin_draw_frame (void *window, const void *region);
void gdk_window_end_draw_frame (void *window, void *context);
void gtk_widget_queue_draw_area (void *widget, int x, int y, int width, int height);
void gtk_widget_queue_draw (void *widget);

static BenchEvents events;
static void *windows[MAX_WINDOWS];

__attribute__((constructor))
static void
frame_counter_init (void)
{
  const char *path = getenv (EVENTS_ENV);

  unsetenv ("LD_PRELOAD");
  if (path == NULL)
    return;
  bench_events_open (&events, path);
  unsetenv (EVENTS_ENV);
}

static void *
next_symbol (const char *name)
{
  void *symbol = dlsym (RTLD_NEXT, name);

  if (symbol == NULL)
    abort ();
  return symbol;
}

static unsigned int
window_index (void *window)
{
  unsigned int i;

  for (i = 0; i < MAX_WINDOWS; i++)
    {
      if (windows[i] == window || windows[i] == NULL)
        {
          windows[i] = window;
          return i;
        }
    }
  return MAX_WINDOWS;
}

static int
is_spice_display (void *widget)
{
  static const char *(*type_name) (void *);
  const char *name;

  if (type_name == NULL)
    type_name = (const char *(*) (void *)) dlsym (RTLD_DEFAULT, "g_type_name_from_instance");
  if (type_name == NULL || widget == NULL)
    return 0;
  name = type_name (widget);
  return name != NULL && strcmp (name, "SpiceDisplay") == 0;
}

void *
gdk_window_begin_draw_frame (void       *window,
                             const void *region)
{
  static void *(*real) (void *, const void *);

  if (real == NULL)
    real = (void *(*) (void *, const void *)) next_symbol ("gdk_window_begin_draw_frame");
  bench_events_add (&events, BENCH_EVENT_PAINT_BEGIN, window_index (window));
  return real (window, region);
}

void
gdk_window_end_draw_frame (void *window,
                           void *context)
{
  static void (*real) (void *, void *);

  if (real == NULL)
    real = (void (*) (void *, void *)) next_symbol ("gdk_window_end_draw_frame");
  real (window, context);
  bench_events_add (&events, BENCH_EVENT_PAINT_END, window_index (window));
}

void
gtk_widget_queue_draw_area (void *widget,
                            int   x,
                            int   y,
                            int   width,
                            int   height)
{
  static void (*real) (void *, int, int, int, int);

  if (real == NULL)
    real = (void (*) (void *, int, int, int, int)) next_symbol ("gtk_widget_queue_draw_area");
  if (events.header != NULL && is_spice_display (widget))
    bench_events_add_rect (&events, BENCH_EVENT_UPDATE, 0, x, y, width, height);
  real (widget, x, y, width, height);
}

void
gtk_widget_queue_draw (void *widget)
{
  static void (*real) (void *);

  if (real == NULL)
    real = (void (*) (void *)) next_symbol ("gtk_widget_queue_draw");
  if (events.header != NULL && is_spice_display (widget))
    bench_events_add (&events, BENCH_EVENT_UPDATE, 0);
  real (widget);
}
