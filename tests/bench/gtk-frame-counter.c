/* gtk-frame-counter.c: what a SPICE client shows, seen from inside, the same way for
 * GTK 3 (remote-viewer) and GTK 4 (Greenhouse, gtk-floor).
 *
 *   GH_BENCH_EVENTS=/tmp/events LD_PRELOAD=.../gtk-frame-counter.so CLIENT ARGS...
 *
 * Preloaded into the client, it writes the event log console-fps reads (bench-events.h):
 *
 * - Updates, in every client: an emission hook on spice-client-glib's "display-invalidate"
 *   and "display-primary-create" signals of the display channel 0, with the rectangle in
 *   guest pixels. Whatever widget shows the display connects to one of them; a hook sees
 *   every emission whoever listens, and runs on the main thread, in order with the paints.
 * - Paints, GTK 4: libgtk-4 is linked -Bsymbolic, so its own calls cannot be stood in for.
 *   GdkSurface's "render" signal is emitted exactly when a top-level surface is drawn (an
 *   emission hook there is the paint's begin), and the surface's frame clock emits
 *   "after-paint" once the frame went to the display server (its end). The renderer is
 *   the GskRenderer of the surface's GtkNative; with GL, GL_RENDERER is read from the
 *   context GSK left current.
 * - Paints, GTK 3: gtk_widget_render() brackets every paint of a top-level window with
 *   gdk_window_begin_draw_frame() and gdk_window_end_draw_frame(), called from libgtk-3 into
 *   libgdk-3 through the PLT, where a preloaded definition wins. GTK 3 draws with cairo.
 *
 * The hooks are added from the first main-loop iteration (an idle at G_PRIORITY_HIGH
 * added by the constructor), when the toolkit and spice-client-glib are loaded and
 * initialized; no window is drawn and no channel is open before that. No GTK or SPICE
 * headers are needed: their few functions are looked up at run time, so one module serves
 * both toolkits. Only the process that loads the module first records: helpers it starts
 * do not inherit it.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <glib-object.h>

#include "bench-events.h"

#define EVENTS_ENV  "GH_BENCH_EVENTS"
#define MAX_WINDOWS 64
#define GL_RENDERER 0x1F01

/* Public for the dynamic linker only; declared to satisfy -Wmissing-prototypes. */
void *gdk_window_begin_draw_frame (void *window, const void *region);
void gdk_window_end_draw_frame (void *window, void *context);

static BenchEvents events;
static void *windows[MAX_WINDOWS];
/* GTK 4: the frame clock of each window drawn since its last after-paint, else NULL. */
static void *pending_clocks[MAX_WINDOWS];
static gboolean renderer_known;

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

static void *
next_symbol (const char *name)
{
  void *symbol = dlsym (RTLD_NEXT, name);

  if (symbol == NULL)
    abort ();
  return symbol;
}

static GType
lookup_type (const char *getter)
{
  GType (*get_type) (void) = (GType (*) (void)) dlsym (RTLD_DEFAULT, getter);

  return get_type != NULL ? get_type () : G_TYPE_INVALID;
}

static gboolean
is_channel_0 (const GValue *instance)
{
  int id = -1;

  g_object_get (g_value_get_object (instance), "channel-id", &id, NULL);
  return id == 0;
}

/* display-invalidate (channel, x, y, width, height) */
static gboolean
on_invalidate (GSignalInvocationHint *hint,
               guint                  n_values,
               const GValue          *values,
               gpointer               data)
{
  if (n_values >= 5 && is_channel_0 (&values[0]))
    bench_events_add_rect (&events, BENCH_EVENT_UPDATE, 0,
                           g_value_get_int (&values[1]), g_value_get_int (&values[2]),
                           g_value_get_int (&values[3]), g_value_get_int (&values[4]));
  return TRUE;
}

/* display-primary-create (channel, format, width, height, stride, shmid, data) */
static gboolean
on_primary_create (GSignalInvocationHint *hint,
                   guint                  n_values,
                   const GValue          *values,
                   gpointer               data)
{
  if (n_values >= 4 && is_channel_0 (&values[0]))
    bench_events_add_rect (&events, BENCH_EVENT_UPDATE, 0, 0, 0,
                           g_value_get_int (&values[2]), g_value_get_int (&values[3]));
  return TRUE;
}

/* GdkSurface::render (surface, region): a top-level surface is being drawn. */
static gboolean
on_render (GSignalInvocationHint *hint,
           guint                  n_values,
           const GValue          *values,
           gpointer               data)
{
  static void *(*get_frame_clock) (void *);
  void *surface = g_value_get_object (&values[0]);
  unsigned int window = window_index (surface);

  if (get_frame_clock == NULL)
    get_frame_clock = (void *(*) (void *)) next_symbol ("gdk_surface_get_frame_clock");
  bench_events_add (&events, BENCH_EVENT_PAINT_BEGIN, window);
  if (window < MAX_WINDOWS)
    pending_clocks[window] = get_frame_clock (surface);
  return TRUE;
}

/* GTK 4: which GskRenderer drew SURFACE and, for GL, on what. */
static void
note_gtk4_renderer (void *surface)
{
  void *(*native_for_surface) (void *) = dlsym (RTLD_DEFAULT, "gtk_native_get_for_surface");
  void *(*native_renderer) (void *) = dlsym (RTLD_DEFAULT, "gtk_native_get_renderer");
  void *(*current_gl) (void) = dlsym (RTLD_DEFAULT, "gdk_gl_context_get_current");
  /* libepoxy's entry points are function pointers, resolved on first use. */
  const char *(**get_string) (unsigned int) = dlsym (RTLD_DEFAULT, "epoxy_glGetString");
  void *native = native_for_surface ? native_for_surface (surface) : NULL;
  void *renderer = native && native_renderer ? native_renderer (native) : NULL;
  const char *name;

  if (renderer == NULL)
    return;
  renderer_known = TRUE;
  name = G_OBJECT_TYPE_NAME (renderer);
  bench_events_set_renderer (&events, name, NULL);
  /* GSK's GL renderer leaves its context current after a frame. */
  if (strstr (name, "GL") != NULL && current_gl != NULL && current_gl () != NULL &&
      get_string != NULL && *get_string != NULL)
    bench_events_set_renderer (&events, NULL, (*get_string) (GL_RENDERER));
}

/* GdkFrameClock::after-paint: the frames drawn in this cycle went to the display server. */
static gboolean
on_after_paint (GSignalInvocationHint *hint,
                guint                  n_values,
                const GValue          *values,
                gpointer               data)
{
  void *clock = g_value_get_object (&values[0]);

  for (unsigned int i = 0; i < MAX_WINDOWS && windows[i] != NULL; i++)
    {
      if (pending_clocks[i] != clock)
        continue;
      pending_clocks[i] = NULL;
      if (!renderer_known)
        note_gtk4_renderer (windows[i]);
      bench_events_add (&events, BENCH_EVENT_PAINT_END, i);
    }
  return TRUE;
}

static void
add_hook (GType               type,
          const char         *signal,
          GSignalEmissionHook hook)
{
  guint id = g_signal_lookup (signal, type);

  if (id != 0)
    g_signal_add_emission_hook (id, 0, hook, NULL, NULL);
  else
    g_printerr ("gtk-frame-counter: no signal %s on %s\n", signal, g_type_name (type));
}

static gboolean
add_hooks (gpointer data)
{
  GType display = lookup_type ("spice_display_channel_get_type");
  GType surface = lookup_type ("gdk_surface_get_type");

  /* Signals are looked up on a class that exists. */
  if (display != G_TYPE_INVALID)
    {
      g_type_class_unref (g_type_class_ref (display));
      add_hook (display, "display-invalidate", on_invalidate);
      add_hook (display, "display-primary-create", on_primary_create);
    }
  else
    g_printerr ("gtk-frame-counter: spice-client-glib is not loaded: no updates\n");

  /* gdk_surface_get_type() is GTK 4's; GTK 3's paints come through the functions below. */
  if (surface != G_TYPE_INVALID)
    {
      GType clock = lookup_type ("gdk_frame_clock_get_type");

      g_type_class_unref (g_type_class_ref (surface));
      g_type_class_unref (g_type_class_ref (clock));
      add_hook (surface, "render", on_render);
      add_hook (clock, "after-paint", on_after_paint);
    }
  return G_SOURCE_REMOVE;
}

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
  if (events.header != NULL)
    g_idle_add_full (G_PRIORITY_HIGH, add_hooks, NULL, NULL);
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
  if (!renderer_known)
    {
      /* GTK 3 draws a window with cairo (spice-gtk uses GL only for GL scanouts). */
      renderer_known = TRUE;
      bench_events_set_renderer (&events, "GTK 3, cairo", NULL);
    }
  bench_events_add (&events, BENCH_EVENT_PAINT_END, window_index (window));
}
