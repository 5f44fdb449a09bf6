/* gh-display-bench.c: Greenhouse's SPICE display in a window of its own, for console-fps.
 *
 *   gh-display-bench --unix-path PATH [--duration 20] [--warmup 3] [--timeout 90]
 *                    [--events FILE]
 *
 * One GhSpiceDisplay, the widget the console window shows, connected to a SPICE server on
 * a UNIX socket, in an 800x600 window. It counts the frames the widget presents
 * (gh_spice_display_get_n_frames) and the CPU time of the whole process (getrusage: every
 * thread, GTK's renderer included) from the first frame plus the warm-up, and prints them
 * as one JSON object, with the GSK renderer GTK picked and the GL driver behind it.
 *
 * With --events FILE it also logs, with their times, the display channel's updates, the
 * window's paints and the paints in which the widget presented a new frame
 * (bench-events.h); console-fps computes the frames per second of every client from such
 * logs the same way. --duration 0 measures until SIGTERM or SIGINT.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <sys/resource.h>

#include <epoxy/gl.h>
#include <glib-unix.h>
#include <gtk/gtk.h>
#include <spice-client.h>

#include "bench-client.h"
#include "gh-spice-display.h"

#define WINDOW_WIDTH  800
#define WINDOW_HEIGHT 600

typedef struct
{
  BenchClient     client;        /* the options and the event log */

  /* Owned references */
  SpiceSession   *session;
  GMainLoop      *loop;
  char           *renderer;
  char           *gl_renderer;
  char           *gl_version;
  char           *error;

  /* Borrowed references */
  GtkWidget      *window;
  GhSpiceDisplay *display;
  GdkFrameClock  *frame_clock;

  gboolean        done;
  gboolean        first_frame_seen;
  gboolean        measuring;
  guint64         last_n_frames;
  guint64         n_paints;

  gint64          start_us;
  gint64          end_us;
  double          cpu_start_s;
  double          cpu_end_s;
  guint64         frames_start;
  guint64         frames_end;
  guint64         paints_start;
  guint64         paints_end;
} Bench;

static void
stop_measuring (Bench *self)
{
  if (!self->measuring)
    return;
  self->measuring = FALSE;
  self->end_us = g_get_monotonic_time ();
  self->cpu_end_s = bench_cpu_seconds ();
  self->frames_end = gh_spice_display_get_n_frames (self->display);
  self->paints_end = self->n_paints;
}

static void
finish (Bench      *self,
        const char *error)
{
  if (self->done)
    return;
  self->done = TRUE;
  stop_measuring (self);
  if (error != NULL)
    self->error = g_strdup (error);
  g_main_loop_quit (self->loop);
}

static gboolean
on_measure_end (gpointer user_data)
{
  finish (user_data, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_measure_start (gpointer user_data)
{
  Bench *self = user_data;

  if (self->done)
    return G_SOURCE_REMOVE;
  if (self->client.duration_s > 0)
    g_printerr ("gh-display-bench: measuring for %.0f s\n", self->client.duration_s);
  else
    g_printerr ("gh-display-bench: measuring until stopped\n");
  self->measuring = TRUE;
  self->start_us = g_get_monotonic_time ();
  self->cpu_start_s = bench_cpu_seconds ();
  self->frames_start = gh_spice_display_get_n_frames (self->display);
  self->paints_start = self->n_paints;
  if (self->client.duration_s > 0)
    g_timeout_add ((guint) (self->client.duration_s * 1000), on_measure_end, self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Bench *self = user_data;

  if (!self->first_frame_seen)
    finish (self, "the display presented no frame in time");
  return G_SOURCE_REMOVE;
}

static gboolean
on_stop_signal (gpointer user_data)
{
  finish (user_data, NULL);
  return G_SOURCE_CONTINUE;
}

static void
on_before_paint (GdkFrameClock *frame_clock,
                 Bench         *self)
{
  bench_events_add (&self->client.events, BENCH_EVENT_PAINT_BEGIN, 0);
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                Bench         *self)
{
  guint64 n_frames = gh_spice_display_get_n_frames (self->display);

  self->n_paints++;
  bench_events_add (&self->client.events, BENCH_EVENT_PAINT_END, 0);
  if (n_frames == self->last_n_frames)
    return;

  self->last_n_frames = n_frames;
  bench_events_add (&self->client.events, BENCH_EVENT_PRESENT, n_frames);
  if (!self->first_frame_seen)
    {
      int width, height;

      self->first_frame_seen = TRUE;
      gh_spice_display_get_guest_size (self->display, &width, &height);
      g_printerr ("gh-display-bench: first frame, guest %dx%d, warming up for %.0f s\n",
                  width, height, self->client.warmup_s);
      g_timeout_add ((guint) (self->client.warmup_s * 1000), on_measure_start, self);
    }
}

/* Which GL driver GTK draws with: a context of our own on the same surface reports the
 * same one. */
static void
describe_renderer (Bench *self)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (self->window));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self->window));
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;

  self->renderer = g_strdup (renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");

  context = gdk_surface_create_gl_context (surface, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      self->gl_renderer = g_strdup_printf ("no GL: %s",
                                           error != NULL ? error->message : "unknown");
      return;
    }
  gdk_gl_context_make_current (context);
  self->gl_renderer = g_strdup ((const char *) glGetString (GL_RENDERER));
  self->gl_version = g_strdup_printf ("%s%s", gdk_gl_context_get_use_es (context) ? "ES " : "",
                                      (const char *) glGetString (GL_VERSION));
  gdk_gl_context_clear_current ();
}

static void
on_window_map (GtkWidget *window,
               Bench     *self)
{
  if (self->frame_clock != NULL)
    return;
  self->frame_clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (self->frame_clock, "before-paint", G_CALLBACK (on_before_paint), self);
  g_signal_connect (self->frame_clock, "after-paint", G_CALLBACK (on_after_paint), self);
  describe_renderer (self);
}

static gboolean
on_close_request (GtkWindow *window,
                  Bench     *self)
{
  finish (self, "the window was closed");
  return FALSE;
}

static void
on_primary_create (SpiceChannel *channel,
                   int           format,
                   int           width,
                   int           height,
                   int           stride,
                   int           shmid,
                   gpointer      imgdata,
                   Bench        *self)
{
  bench_events_add_rect (&self->client.events, BENCH_EVENT_UPDATE, 0, 0, 0, width, height);
}

static void
on_invalidate (SpiceChannel *channel,
               int           x,
               int           y,
               int           width,
               int           height,
               Bench        *self)
{
  bench_events_add_rect (&self->client.events, BENCH_EVENT_UPDATE, 0, x, y, width, height);
}

static void
on_channel_event (SpiceChannel     *channel,
                  SpiceChannelEvent event,
                  Bench            *self)
{
  const GError *error;
  g_autofree char *message = NULL;

  switch (event)
    {
    case SPICE_CHANNEL_CLOSED:
      finish (self, "the server closed the connection");
      break;

    case SPICE_CHANNEL_ERROR_CONNECT:
    case SPICE_CHANNEL_ERROR_TLS:
    case SPICE_CHANNEL_ERROR_LINK:
    case SPICE_CHANNEL_ERROR_AUTH:
    case SPICE_CHANNEL_ERROR_IO:
      error = spice_channel_get_error (channel);
      message = g_strdup_printf ("%s channel error %d: %s", G_OBJECT_TYPE_NAME (channel),
                                 event, error != NULL ? error->message : "no detail");
      finish (self, message);
      break;

    default:
      break;
    }
}

/* This program plays GhSpiceSession's part for a UNIX socket: it opens the channels the
 * console uses (spice-client-glib leaves that to the application). The widget connects
 * its own handlers; ours only take the time of each update. */
static void
on_channel_new (SpiceSession *session,
                SpiceChannel *channel,
                Bench        *self)
{
  int id;

  g_object_get (channel, "channel-id", &id, NULL);
  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      g_signal_connect (channel, "channel-event", G_CALLBACK (on_channel_event), self);
    }
  else if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0)
    {
      g_signal_connect (channel, "channel-event", G_CALLBACK (on_channel_event), self);
      g_signal_connect (channel, "display-primary-create", G_CALLBACK (on_primary_create),
                        self);
      g_signal_connect (channel, "display-invalidate", G_CALLBACK (on_invalidate), self);
      spice_channel_connect (channel);
    }
  else if (SPICE_IS_INPUTS_CHANNEL (channel) || SPICE_IS_CURSOR_CHANNEL (channel))
    {
      spice_channel_connect (channel);
    }
}

static void
print_result (Bench *self)
{
  double seconds = self->start_us != 0
                   ? (self->end_us - self->start_us) / (double) G_USEC_PER_SEC : 0;
  double cpu = self->cpu_end_s - self->cpu_start_s;
  guint64 frames = self->frames_end - self->frames_start;
  guint64 paints = self->paints_end - self->paints_start;
  int width = 0, height = 0;
  g_autoptr(GString) json = g_string_new ("{\"client\": \"greenhouse\", ");
  g_autofree char *renderer = g_strescape (self->renderer ? self->renderer : "", NULL);
  g_autofree char *gl_renderer = g_strescape (self->gl_renderer ? self->gl_renderer : "", NULL);
  g_autofree char *gl_version = g_strescape (self->gl_version ? self->gl_version : "", NULL);

  if (self->display != NULL)
    gh_spice_display_get_guest_size (self->display, &width, &height);
  if (self->error != NULL)
    {
      g_autofree char *escaped = g_strescape (self->error, NULL);

      g_string_append_printf (json, "\"error\": \"%s\", ", escaped);
    }
  g_string_append_printf (json,
                          "\"seconds\": %.3f, \"frames\": %" G_GUINT64_FORMAT ", "
                          "\"fps\": %.2f, \"paints\": %" G_GUINT64_FORMAT ", "
                          "\"paints_per_s\": %.2f, \"cpu_s\": %.3f, \"cpu_per_s\": %.4f, "
                          "\"width\": %d, \"height\": %d, \"gsk_renderer\": \"%s\", "
                          "\"gl_renderer\": \"%s\", \"gl_version\": \"%s\"}",
                          seconds, frames, seconds > 0 ? frames / seconds : 0,
                          paints, seconds > 0 ? paints / seconds : 0,
                          cpu, seconds > 0 ? cpu / seconds : 0, width, height,
                          renderer, gl_renderer, gl_version);
  g_print ("%s\n", json->str);
}

int
main (int   argc,
      char *argv[])
{
  Bench self = { .client = BENCH_CLIENT_INIT };
  GtkWidget *display;
  int status;

  status = bench_client_parse (&self.client, "gh-display-bench",
                               "- frames per second of Greenhouse's SPICE display",
                               "Log updates, paints and presented frames to FILE "
                               "(see bench-events.h)",
                               &argc, &argv);
  if (status != 0)
    return status;
  gtk_init ();
  /* JSON wants a decimal point, whatever the locale. */
  setlocale (LC_NUMERIC, "C");

  self.loop = g_main_loop_new (NULL, FALSE);
  self.session = spice_session_new ();
  g_object_set (self.session, "unix-path", self.client.unix_path, NULL);
  g_signal_connect (self.session, "channel-new", G_CALLBACK (on_channel_new), &self);

  display = gh_spice_display_new (self.session, 0);
  self.display = GH_SPICE_DISPLAY (display);
  self.window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (self.window), "Greenhouse display bench");
  gtk_window_set_default_size (GTK_WINDOW (self.window), WINDOW_WIDTH, WINDOW_HEIGHT);
  gtk_window_set_child (GTK_WINDOW (self.window), display);
  g_signal_connect (self.window, "map", G_CALLBACK (on_window_map), &self);
  g_signal_connect (self.window, "close-request", G_CALLBACK (on_close_request), &self);
  gtk_window_present (GTK_WINDOW (self.window));

  g_unix_signal_add (SIGTERM, on_stop_signal, &self);
  g_unix_signal_add (SIGINT, on_stop_signal, &self);
  g_timeout_add ((guint) (self.client.timeout_s * 1000), on_timeout, &self);

  if (!spice_session_connect (self.session))
    finish (&self, "spice_session_connect failed");
  else
    g_main_loop_run (self.loop);

  print_result (&self);
  status = self.error == NULL ? 0 : 1;

  spice_session_disconnect (self.session);
  gtk_window_destroy (GTK_WINDOW (self.window));
  g_clear_object (&self.session);
  g_main_loop_unref (self.loop);
  g_free (self.renderer);
  g_free (self.gl_renderer);
  g_free (self.gl_version);
  g_free (self.error);
  bench_client_clear (&self.client);
  return status;
}
