/* spice-ceiling.c: how many frames a SPICE server delivers, seen by the barest client.
 *
 *   spice-ceiling --unix-path PATH [--duration 20] [--warmup 3] [--timeout 90]
 *                 [--events FILE]
 *
 * A spice-client-glib session (GLib only, no GTK, no drawing) connects to the server on a
 * UNIX socket and counts the display channel's updates: the library still decodes every
 * image into its copy of the primary surface, as every client must, but nothing is drawn
 * or uploaded anywhere. console-fps takes this rate as the ceiling that a real client can
 * only approach.
 *
 * What "a frame" is, the same for every client that console-fps measures: QEMU sends each
 * refresh of a changing screen as rectangles that never overlap one another (32-pixel
 * columns for a full-screen change), and the next refresh covers some of the same pixels
 * again. So a frame is a run of updates (display-invalidate, or a new primary surface)
 * that do not overlap; the first update that overlaps one of them starts the next frame.
 * That needs no timing, so it holds in a client that takes its updates late because it
 * was busy painting. This client presents nothing, so every frame counts: it is the most
 * any client can present from what the server sent. (console-fps also caps it at one
 * frame per 16.667 ms tick, what a 60 Hz client could show; QEMU refreshes a screen at
 * most every 30 ms, so the cap does not bite.)
 *
 * Prints one JSON object on stdout when done; progress and errors go to stderr. Exits 0
 * after a full measurement, 1 if it could not connect or no frame came in time.
 *
 * With --events FILE it also logs every update with its time (bench-events.h), which is
 * what console-fps reads; --duration 0 then measures until SIGTERM or SIGINT.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib.h>
#include <glib-unix.h>
#include <spice-client.h>

#include "bench-client.h"

/* A sliver this thin where two rectangles meet, which scaling could add, is no overlap. */
#define MIN_OVERLAP 0.25

typedef struct
{
  int x;
  int y;
  int width;
  int height;
} Rect;

typedef struct
{
  BenchClient   client;          /* the options and the event log */

  /* Owned references */
  SpiceSession *session;
  GMainLoop    *loop;

  /* Borrowed references */
  SpiceChannel *display;

  int           width;
  int           height;

  gboolean      measuring;
  gboolean      done;
  char         *error;

  gint64        start_us;        /* when the measurement began */
  gint64        end_us;
  double        cpu_start_s;
  double        cpu_end_s;
  gint64        frame_start_us;  /* when the current frame's first update came; 0 if none */
  GArray       *frame_rects;     /* Rect: the current frame's updates */
  guint64       n_frames;
  guint64       n_updates;
  double        updated_pixels;  /* the area of every update, added up */
  GArray       *intervals_us;    /* gint64: from one frame's start to the next */
} Ceiling;

static gboolean
overlaps (const Rect *a,
          const Rect *b)
{
  int width = MIN (a->x + a->width, b->x + b->width) - MAX (a->x, b->x);
  int height = MIN (a->y + a->height, b->y + b->height) - MAX (a->y, b->y);

  if (width <= 0 || height <= 0)
    return FALSE;
  return (double) width * height
         > MIN_OVERLAP * MIN ((double) a->width * a->height, (double) b->width * b->height);
}

static gboolean
starts_frame (Ceiling    *self,
              const Rect *rect)
{
  for (guint i = 0; i < self->frame_rects->len; i++)
    if (overlaps (rect, &g_array_index (self->frame_rects, Rect, i)))
      return TRUE;
  return self->frame_rects->len == 0;
}

static void
count_update (Ceiling *self,
              int      x,
              int      y,
              int      width,
              int      height)
{
  Rect rect = { x, y, width, height };
  gint64 now = g_get_monotonic_time ();

  bench_events_add_rect (&self->client.events, BENCH_EVENT_UPDATE, 0, x, y, width, height);
  if (!self->measuring)
    return;

  self->n_updates++;
  self->updated_pixels += (double) width * height;
  if (starts_frame (self, &rect))
    {
      if (self->frame_start_us != 0)
        {
          gint64 interval = now - self->frame_start_us;

          g_array_append_val (self->intervals_us, interval);
        }
      g_array_set_size (self->frame_rects, 0);
      self->frame_start_us = now;
      self->n_frames++;
    }
  g_array_append_val (self->frame_rects, rect);
}

static void
finish (Ceiling    *self,
        const char *error)
{
  if (self->done)
    return;
  self->done = TRUE;
  if (self->measuring)
    {
      self->end_us = g_get_monotonic_time ();
      self->cpu_end_s = bench_cpu_seconds ();
      self->measuring = FALSE;
    }
  if (error != NULL)
    self->error = g_strdup (error);
  g_main_loop_quit (self->loop);
}

static gboolean
on_measure_end (gpointer user_data)
{
  Ceiling *self = user_data;

  finish (self, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_measure_start (gpointer user_data)
{
  Ceiling *self = user_data;

  if (self->client.duration_s > 0)
    g_printerr ("spice-ceiling: measuring for %.0f s\n", self->client.duration_s);
  else
    g_printerr ("spice-ceiling: measuring until stopped\n");
  self->measuring = TRUE;
  self->start_us = g_get_monotonic_time ();
  self->cpu_start_s = bench_cpu_seconds ();
  if (self->client.duration_s > 0)
    g_timeout_add ((guint) (self->client.duration_s * 1000), on_measure_end, self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stop_signal (gpointer user_data)
{
  finish (user_data, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Ceiling *self = user_data;

  if (self->start_us == 0)
    finish (self, "no frame from the server in time");
  return G_SOURCE_REMOVE;
}

static void
on_primary_create (SpiceChannel *channel,
                   int           format,
                   int           width,
                   int           height,
                   int           stride,
                   int           shmid,
                   gpointer      imgdata,
                   gpointer      user_data)
{
  Ceiling *self = user_data;
  gboolean first = self->width == 0;

  self->width = width;
  self->height = height;
  count_update (self, 0, 0, width, height);
  if (first)
    {
      g_printerr ("spice-ceiling: primary surface %dx%d, warming up for %.0f s\n",
                  width, height, self->client.warmup_s);
      g_timeout_add ((guint) (self->client.warmup_s * 1000), on_measure_start, self);
    }
}

static void
on_invalidate (SpiceChannel *channel,
               int           x,
               int           y,
               int           width,
               int           height,
               gpointer      user_data)
{
  count_update (user_data, x, y, width, height);
}

static void
on_channel_event (SpiceChannel     *channel,
                  SpiceChannelEvent event,
                  gpointer          user_data)
{
  Ceiling *self = user_data;
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
      message = g_strdup_printf ("%s channel error %d: %s",
                                 G_OBJECT_TYPE_NAME (channel), event,
                                 error != NULL ? error->message : "no detail");
      finish (self, message);
      break;

    default:
      break;
    }
}

static void
on_channel_new (SpiceSession *session,
                SpiceChannel *channel,
                gpointer      user_data)
{
  Ceiling *self = user_data;
  int id;

  g_object_get (channel, "channel-id", &id, NULL);

  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      g_signal_connect (channel, "channel-event", G_CALLBACK (on_channel_event), self);
    }
  else if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0 && self->display == NULL)
    {
      self->display = channel;
      g_signal_connect (channel, "channel-event", G_CALLBACK (on_channel_event), self);
      g_signal_connect (channel, "display-primary-create", G_CALLBACK (on_primary_create),
                        self);
      g_signal_connect (channel, "display-invalidate", G_CALLBACK (on_invalidate), self);
      spice_channel_connect (channel);
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
percentile_ms (GArray *sorted_us,
               double  fraction)
{
  guint i;

  if (sorted_us->len == 0)
    return 0;
  i = (guint) MIN (sorted_us->len - 1, floor (fraction * sorted_us->len));
  return g_array_index (sorted_us, gint64, i) / 1000.0;
}

static void
print_result (Ceiling *self)
{
  double seconds = self->start_us != 0
                   ? (self->end_us - self->start_us) / (double) G_USEC_PER_SEC : 0;
  double cpu = self->cpu_end_s - self->cpu_start_s;
  double surface = (double) self->width * self->height;
  g_autoptr(GString) json = g_string_new ("{");

  g_array_sort (self->intervals_us, compare_gint64);
  g_string_append_printf (json, "\"client\": \"spice-ceiling\", ");
  if (self->error != NULL)
    {
      g_autofree char *escaped = g_strescape (self->error, NULL);

      g_string_append_printf (json, "\"error\": \"%s\", ", escaped);
    }
  g_string_append_printf (json,
                          "\"seconds\": %.3f, \"frames\": %" G_GUINT64_FORMAT ", "
                          "\"fps\": %.2f, \"updates\": %" G_GUINT64_FORMAT ", "
                          "\"updates_per_s\": %.2f, \"screens_updated_per_s\": %.2f, "
                          "\"cpu_s\": %.3f, \"cpu_per_s\": %.4f, "
                          "\"width\": %d, \"height\": %d, "
                          "\"frame_interval_ms\": {\"median\": %.2f, \"p95\": %.2f}}",
                          seconds, self->n_frames,
                          seconds > 0 ? self->n_frames / seconds : 0,
                          self->n_updates,
                          seconds > 0 ? self->n_updates / seconds : 0,
                          seconds > 0 && surface > 0
                            ? self->updated_pixels / surface / seconds : 0,
                          cpu, seconds > 0 ? cpu / seconds : 0,
                          self->width, self->height,
                          percentile_ms (self->intervals_us, 0.5),
                          percentile_ms (self->intervals_us, 0.95));
  g_print ("%s\n", json->str);
}

int
main (int   argc,
      char *argv[])
{
  Ceiling self = { .client = BENCH_CLIENT_INIT };
  int status;

  status = bench_client_parse (&self.client, "spice-ceiling",
                               "- count the frames a SPICE server delivers",
                               "Log every update with its time to FILE (see bench-events.h)",
                               &argc, &argv);
  if (status != 0)
    return status;
  /* JSON wants a decimal point, whatever the locale. */
  setlocale (LC_NUMERIC, "C");

  self.intervals_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  self.frame_rects = g_array_new (FALSE, FALSE, sizeof (Rect));
  self.loop = g_main_loop_new (NULL, FALSE);
  self.session = spice_session_new ();
  g_object_set (self.session, "unix-path", self.client.unix_path, NULL);
  g_signal_connect (self.session, "channel-new", G_CALLBACK (on_channel_new), &self);
  g_unix_signal_add (SIGTERM, on_stop_signal, &self);
  g_unix_signal_add (SIGINT, on_stop_signal, &self);
  g_timeout_add ((guint) ((self.client.warmup_s + self.client.timeout_s) * 1000),
                 on_timeout, &self);

  if (!spice_session_connect (self.session))
    finish (&self, "spice_session_connect failed");
  else
    g_main_loop_run (self.loop);

  spice_session_disconnect (self.session);
  print_result (&self);

  g_clear_object (&self.session);
  g_main_loop_unref (self.loop);
  g_array_unref (self.intervals_us);
  g_array_unref (self.frame_rects);
  bench_client_clear (&self.client);
  return self.error == NULL ? 0 : 1;
}
