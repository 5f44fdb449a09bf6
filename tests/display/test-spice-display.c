/* test-spice-display.c: the SPICE display widget, fed by a display channel and no guest
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The display channel is real but never connected: the tests emit its signals the way
 * spice-client-glib does for a QEMU guest's 2D surface, on a buffer they own, and read
 * back both the frame the widget presents and what its window's renderer draws of it.
 * The buffers lie between guard pages, so that a read outside the surface crashes.
 *
 * meson registers this three times: as is (under Xvfb GTK draws with GL on llvmpipe, and
 * the frames are GL textures), with GDK_DEBUG=gl-disable (GSK's cairo renderer, and the
 * widget has no GL context) and with GSK_RENDERER=cairo (the same renderer, though the
 * widget could make GL textures): under cairo the frame is drawn in tiles, and the
 * screen/ tests read back what the X server shows, so that a tile GTK did not repaint
 * would be seen.
 */

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "gh-display-test-util.h"
#include "gh-spice-display.h"
#include "gh-test-util.h"

/* Seconds to wait for a frame that should come at the next tick. */
#define FRAME_TIMEOUT_SECONDS 10
#define MAX_TRACKED_FRAMES 256
#define BLACK 0xff000000u
/* The X server may scale with a filter of its own: the screen and the renderer's image
 * of a scaled frame may differ by a little. */
#define SCALED_TOLERANCE 2

/* ---- the guest's surface ------------------------------------------------------------ */

typedef struct
{
  guint8 *map;
  gsize   map_size;
  guint8 *data;      /* height rows of stride bytes; the guard page follows the last */
  int     width;
  int     height;
  int     stride;
} Surface;

static Surface *
surface_new (int width,
             int height,
             int stride)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize size = (gsize) stride * height;
  gsize body = (size + page - 1) / page * page;
  Surface *surface = g_new0 (Surface, 1);

  g_assert_cmpint (stride, >=, width * 4);

  surface->map_size = body + 2 * page;
  surface->map = mmap (NULL, surface->map_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_assert_true (surface->map != MAP_FAILED);
  g_assert_no_errno (mprotect (surface->map + page, body, PROT_READ | PROT_WRITE));

  /* The last row ends at the guard page; the first starts at one too when the size is a
   * multiple of the page size. */
  surface->data = surface->map + page + body - size;
  surface->width = width;
  surface->height = height;
  surface->stride = stride;

  return surface;
}

static void
surface_free (Surface *surface)
{
  g_assert_no_errno (munmap (surface->map, surface->map_size));
  g_free (surface);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Surface, surface_free)

static guint32 *
surface_pixel (Surface *surface,
               int      x,
               int      y)
{
  return (guint32 *) (surface->data + (gsize) y * surface->stride) + x;
}

/* Noise that differs for every pixel and @seed, X byte included. */
static guint32
noise (int   x,
       int   y,
       guint seed)
{
  guint32 h = (guint32) x * 0x9e3779b1u ^ (guint32) y * 0x85ebca77u ^ seed * 0xc2b2ae3du;

  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  h *= 0x297a2d39u;
  h ^= h >> 15;

  return h;
}

/* xRGB noise; the X byte is 0x00, as QEMU leaves it, unless @random_x. Row padding is
 * garbage that must never show. */
static void
surface_fill (Surface  *surface,
              guint     seed,
              gboolean  random_x)
{
  for (int y = 0; y < surface->height; y++)
    {
      memset (surface_pixel (surface, 0, y), 0xa5, surface->stride);
      for (int x = 0; x < surface->width; x++)
        *surface_pixel (surface, x, y) = noise (x, y, seed) & (random_x ? ~0u : 0x00ffffffu);
    }
}

/* ---- the fixture -------------------------------------------------------------------- */

typedef struct
{
  int      window_width;
  int      window_height;
  gboolean channel_first;  /* the widget finds the channel already in the session */
} Setup;

typedef struct
{
  SpiceSession   *session;
  SpiceChannel   *channel;          /* the session's */
  GtkWindow      *window;
  GhSpiceDisplay *display;          /* the window's */
  Surface        *surface;          /* the primary the widget was given last, or NULL */
  guint32        *expected;         /* what the frame must show: surface->width × height */
  guint           n_channel_new;
  SpiceChannel   *announced;        /* by channel-new */
  guint           n_paints;
  gulong          paint_handler;
  GdkFrameClock  *frame_clock;
  GArray         *ready_log;        /* gboolean: "ready" at each of its notifications */
  GdkTexture     *frames[MAX_TRACKED_FRAMES]; /* weak */
  guint           n_frames_tracked;
  gboolean        skip;
} Fixture;

static const Setup default_setup = { 800, 600, FALSE };
static const Setup channel_first_setup = { 800, 600, TRUE };
static const Setup large_setup = { 1100, 780, FALSE };
static const Setup narrow_setup = { 512, 300, FALSE };
static const Setup short_setup = { 600, 500, FALSE };

/* Set by main () from GDK_DEBUG and GSK_RENDERER: the runs that must draw with cairo. */
static gboolean cairo_run;

static void
channel_new_cb (SpiceSession *session,
                SpiceChannel *channel,
                Fixture      *f)
{
  /* Maybe still inside spice_channel_new (): f->channel is not set yet. */
  if (SPICE_IS_DISPLAY_CHANNEL (channel))
    {
      f->announced = channel;
      f->n_channel_new++;
    }
}

static void
ready_cb (GhSpiceDisplay *display,
          GParamSpec     *pspec,
          Fixture        *f)
{
  gboolean ready = gh_spice_display_get_ready (display);

  g_array_append_val (f->ready_log, ready);
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Fixture       *f)
{
  f->n_paints++;
}

static void
fixture_set_up (Fixture     *f,
                gconstpointer user_data)
{
  const Setup *setup = user_data;
  GskRenderer *renderer;

  f->ready_log = g_array_new (FALSE, FALSE, sizeof (gboolean));
  f->session = spice_session_new ();
  /* Runs after the widget's handler, when the widget was there first. */
  g_signal_connect_after (f->session, "channel-new", G_CALLBACK (channel_new_cb), f);

  if (setup->channel_first)
    f->channel = spice_channel_new (f->session, SPICE_CHANNEL_DISPLAY, 0);

  f->display = GH_SPICE_DISPLAY (gh_spice_display_new (f->session, 0));
  g_signal_connect (f->display, "notify::ready", G_CALLBACK (ready_cb), f);

  if (!setup->channel_first)
    f->channel = spice_channel_new (f->session, SPICE_CHANNEL_DISPLAY, 0);
  g_assert_true (SPICE_IS_DISPLAY_CHANNEL (f->channel));
  /* The session owns it, and lets it go when it disconnects. */
  g_object_add_weak_pointer (G_OBJECT (f->channel), (gpointer *) &f->channel);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_decorated (f->window, FALSE);
  gtk_window_set_default_size (f->window, setup->window_width, setup->window_height);
  gtk_window_set_child (f->window, GTK_WIDGET (f->display));
  gtk_window_present (f->window);

  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (f->display)) &&
                      gtk_widget_get_width (GTK_WIDGET (f->display)) == setup->window_width &&
                      gtk_widget_get_height (GTK_WIDGET (f->display)) == setup->window_height,
                      "the window to be shown at its size");
  /* The tests' geometry is in device pixels. */
  g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (f->display)), ==, 1);

  f->frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  f->paint_handler = g_signal_connect (f->frame_clock, "after-paint",
                                       G_CALLBACK (after_paint_cb), f);

  /* spice-client-glib 0.42 announces a channel while spice_channel_new () makes it; a
   * version that did so from an idle would be heard of by now. */
  gh_test_wait_until (f->n_channel_new > 0, "the session's channel-new");
  g_assert_true (f->announced == f->channel);

  renderer = gtk_native_get_renderer (GTK_NATIVE (f->window));
  g_test_message ("renderer: %s", G_OBJECT_TYPE_NAME (renderer));
  if (cairo_run)
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), ==, "GskCairoRenderer");
  else if (g_strcmp0 (G_OBJECT_TYPE_NAME (renderer), "GskGLRenderer") != 0)
    {
      g_test_skip ("GTK does not draw this display with GL: the GL path cannot be tested");
      f->skip = TRUE;
    }
}

static void
fixture_tear_down (Fixture     *f,
                   gconstpointer user_data)
{
  GhSpiceDisplay *display = f->display;
  SpiceSession *session = f->session;

  for (guint i = 0; i < f->n_frames_tracked; i++)
    if (f->frames[i] != NULL)
      g_object_remove_weak_pointer (G_OBJECT (f->frames[i]), (gpointer *) &f->frames[i]);

  g_clear_signal_handler (&f->paint_handler, f->frame_clock);
  g_object_add_weak_pointer (G_OBJECT (display), (gpointer *) &display);
  gtk_window_destroy (f->window);
  gh_test_wait_until (display == NULL, "the display to be finalized");

  /* The widget must have let go of the session and its channel. */
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  spice_session_disconnect (f->session);
  g_clear_object (&f->session);
  gh_test_wait_until (f->channel == NULL && session == NULL,
                      "the session and its channel to be finalized");

  g_clear_pointer (&f->surface, surface_free);
  g_clear_pointer (&f->expected, g_free);
  g_array_unref (f->ready_log);
}

/* ---- driving the channel ------------------------------------------------------------ */

/* Gives the widget @surface (taking it) as the new primary; nothing of it is shown yet. */
static void
emit_primary_create (Fixture *f,
                     Surface *surface)
{
  g_assert_null (f->surface);
  f->surface = surface;
  g_clear_pointer (&f->expected, g_free);
  f->expected = g_new0 (guint32, (gsize) surface->width * surface->height);

  g_signal_emit_by_name (f->channel, "display-primary-create",
                         SPICE_SURFACE_FMT_32_xRGB, surface->width, surface->height,
                         surface->stride, -1, (gpointer) surface->data);
}

static void
emit_primary_destroy (Fixture *f)
{
  g_signal_emit_by_name (f->channel, "display-primary-destroy");
  /* The widget holds no pointer into it any more: a read would now crash. */
  g_clear_pointer (&f->surface, surface_free);
}

/* The part of a rectangle that lies on the surface is what the frame must show next. */
static void
emit_invalidate (Fixture *f,
                 int      x,
                 int      y,
                 int      width,
                 int      height)
{
  Surface *s = f->surface;
  int x0 = MAX (x, 0);
  int y0 = MAX (y, 0);
  int x1 = (int) MIN ((gint64) x + width, s->width);
  int y1 = (int) MIN ((gint64) y + height, s->height);

  for (int row = y0; row < y1; row++)
    for (int col = x0; col < x1; col++)
      f->expected[(gsize) row * s->width + col] = *surface_pixel (s, col, row) | BLACK;

  g_signal_emit_by_name (f->channel, "display-invalidate", x, y, width, height);
}

static void
wait_for_frame_after (Fixture *f,
                      guint64  n_frames)
{
  gh_test_wait_until_within (gh_spice_display_get_n_frames (f->display) > n_frames,
                             FRAME_TIMEOUT_SECONDS, "a new frame");
}

/* Lets @n frame clock cycles pass, painting included. */
static void
wait_for_paints (Fixture *f,
                 guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      guint until = f->n_paints + 1;

      gtk_widget_queue_draw (GTK_WIDGET (f->window));
      gh_test_wait_until_within (f->n_paints >= until, FRAME_TIMEOUT_SECONDS, "a paint");
    }
}

/* ---- reading back ------------------------------------------------------------------- */

/* ARGB32 words, premultiplied: opaque pixels read as 0xffRRGGBB. */
static guint32 *
download (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  guint32 *pixels = g_new (guint32, (gsize) width * height);

  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  return pixels;
}

/* What the window's renderer draws of the widget, at the widget's size. */
static GdkTexture *
render_display (Fixture *f)
{
  GtkWidget *widget = GTK_WIDGET (f->display);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  /* Made now: a widget paintable shows what was drawn last. */
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Fails at the first pixel of the @width × @height rectangle at (@x, @y) in @pixels
 * (@pixels_width wide) that is not the same one of @expected. */
static void
assert_pixels (const guint32 *pixels,
               int            pixels_width,
               int            x,
               int            y,
               const guint32 *expected,
               int            width,
               int            height,
               const char    *what)
{
  for (int row = 0; row < height; row++)
    {
      const guint32 *actual = pixels + (gsize) (y + row) * pixels_width + x;
      const guint32 *wanted = expected + (gsize) row * width;

      if (memcmp (actual, wanted, (gsize) width * 4) == 0)
        continue;

      for (int col = 0; col < width; col++)
        if (actual[col] != wanted[col])
          {
            g_test_message ("%s: first difference at (%d, %d) of %d×%d", what, col, row,
                            width, height);
            g_assert_cmphex (actual[col], ==, wanted[col]);
          }
    }
}

/* Fails unless every pixel of the rectangle is black. */
static void
assert_black (const guint32 *pixels,
              int            pixels_width,
              int            x,
              int            y,
              int            width,
              int            height,
              const char    *what)
{
  for (int row = y; row < y + height; row++)
    for (int col = x; col < x + width; col++)
      if (pixels[(gsize) row * pixels_width + col] != BLACK)
        {
          g_test_message ("%s: (%d, %d) is not black", what, col, row);
          g_assert_cmphex (pixels[(gsize) row * pixels_width + col], ==, BLACK);
        }
}

/* Keeps a weak pointer on @frame, once. */
static void
track_frame (Fixture    *f,
             GdkTexture *frame)
{
  for (guint i = 0; i < f->n_frames_tracked; i++)
    if (f->frames[i] == frame)
      return;

  g_assert_cmpuint (f->n_frames_tracked, <, MAX_TRACKED_FRAMES);
  f->frames[f->n_frames_tracked] = frame;
  g_object_add_weak_pointer (G_OBJECT (frame), (gpointer *) &f->frames[f->n_frames_tracked]);
  f->n_frames_tracked++;
}

static guint
count_live_frames (Fixture *f)
{
  guint n = 0;

  for (guint i = 0; i < f->n_frames_tracked; i++)
    n += f->frames[i] != NULL;

  return n;
}

static void
assert_no_frame (Fixture *f)
{
  g_autoptr(GdkTexture) frame = gh_spice_display_dup_frame (f->display);

  g_assert_null (frame);
}

/* Fails unless the frame presented last is the surface's size, holds exactly the pixels
 * that were invalidated, opaque, and is the kind of texture this run draws with. */
static void
assert_frame (Fixture    *f,
              const char *what)
{
  g_autoptr(GdkTexture) frame = gh_spice_display_dup_frame (f->display);
  g_autofree guint32 *pixels = NULL;
  int width, height;

  g_assert_nonnull (frame);
  track_frame (f, frame);

  /* Either way the caller gets memory: a GL frame is copied, since the widget fills its
   * GL textures again (see held-frame). */
  g_assert_true (GDK_IS_MEMORY_TEXTURE (frame));

  gh_spice_display_get_guest_size (f->display, &width, &height);
  g_assert_cmpint (width, ==, f->surface->width);
  g_assert_cmpint (height, ==, f->surface->height);
  g_assert_cmpint (gdk_texture_get_width (frame), ==, f->surface->width);
  g_assert_cmpint (gdk_texture_get_height (frame), ==, f->surface->height);

  pixels = download (frame);
  assert_pixels (pixels, width, 0, 0, f->expected, width, height, what);
}

/* Fails unless the widget, drawn by its window's renderer, shows the expected pixels 1:1
 * at its centre and black around them. */
static void
assert_rendered_1to1 (Fixture    *f,
                      const char *what)
{
  g_autoptr(GdkTexture) texture = render_display (f);
  g_autofree guint32 *pixels = download (texture);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  int w = f->surface->width;
  int h = f->surface->height;
  int x = (width - w) / 2;
  int y = (height - h) / 2;

  g_assert_cmpint (w, <=, width);
  g_assert_cmpint (h, <=, height);

  assert_pixels (pixels, width, x, y, f->expected, w, h, what);
  assert_black (pixels, width, 0, 0, width, y, what);
  assert_black (pixels, width, 0, y + h, width, height - y - h, what);
  assert_black (pixels, width, 0, y, x, h, what);
  assert_black (pixels, width, x + w, y, width - x - w, h, what);
}

/* A new primary of @width × @height filled with noise, shown whole. */
static void
show_surface (Fixture  *f,
              int       width,
              int       height,
              int       stride,
              guint     seed,
              gboolean  random_x)
{
  Surface *surface = surface_new (width, height, stride);
  guint64 n_frames = gh_spice_display_get_n_frames (f->display);

  surface_fill (surface, seed, random_x);
  emit_primary_create (f, surface);
  /* As QEMU does after a new surface, though the widget draws a new one whole anyway. */
  emit_invalidate (f, 0, 0, width, height);
  wait_for_frame_after (f, n_frames);
}

/* ---- the tests ---------------------------------------------------------------------- */

static guint
count_handlers (gpointer    instance,
                const char *signal,
                gpointer    data)
{
  guint id = g_signal_lookup (signal, G_OBJECT_TYPE (instance));
  guint n;

  g_assert_cmpuint (id, !=, 0);
  n = g_signal_handlers_block_matched (instance, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                       id, 0, NULL, NULL, data);
  g_signal_handlers_unblock_matched (instance, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                     id, 0, NULL, NULL, data);
  return n;
}

/* The widget finds its channel whether the session announces it after the widget was
 * made or had it before, and hears each of its signals once. */
static void
test_channel (Fixture      *f,
              gconstpointer user_data)
{
  const char *signals[] = {
    "display-primary-create", "display-primary-destroy", "display-invalidate",
  };

  if (f->skip)
    return;

  g_assert_cmpuint (f->n_channel_new, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_test_message ("%s", signals[i]);
      g_assert_cmpuint (count_handlers (f->channel, signals[i], f->display), ==, 1);
    }

  g_assert_false (gh_spice_display_get_ready (f->display));
  show_surface (f, 320, 240, 320 * 4, 1, FALSE);
  g_assert_true (gh_spice_display_get_ready (f->display));
  assert_frame (f, "the first frame");
  g_assert_cmpuint (f->ready_log->len, ==, 1);
}

/* The frame is the surface's pixels, opaque whatever the X byte holds, and the window
 * draws it 1:1 in the middle of the widget. */
static void
check_pixels (Fixture  *f,
              gboolean  random_x)
{
  int width = 320, height = 240;

  show_surface (f, width, height, width * 4, 7, random_x);
  assert_frame (f, "the frame");
  assert_rendered_1to1 (f, "the widget drawn");

  /* Some X bytes really are something else than 0x00 and 0xff. */
  if (random_x)
    {
      guint n_odd = 0;

      for (int i = 0; i < width * height; i++)
        n_odd += (*surface_pixel (f->surface, i % width, i / width) >> 24) % 0xff != 0;
      g_assert_cmpuint (n_odd, >, (guint) (width * height / 2));
    }
}

static void
test_pixels_x_zero (Fixture      *f,
                    gconstpointer user_data)
{
  if (f->skip)
    return;
  check_pixels (f, FALSE);
}

static void
test_pixels_x_random (Fixture      *f,
                      gconstpointer user_data)
{
  if (f->skip)
    return;
  check_pixels (f, TRUE);
}

/* Only what is invalidated changes, however the surface changed around it: QEMU says
 * what it wrote, and what it did not say is not finished. Several in a row, since a GL
 * texture that sat out a frame must catch up with it. */
static void
test_partial_invalidate (Fixture      *f,
                         gconstpointer user_data)
{
  static const cairo_rectangle_int_t rects[] = {
    { 50, 40, 100, 60 },
    { 0, 0, 1, 1 },
    { 319, 239, 1, 1 },
    { 200, 10, 120, 30 },
    { 10, 200, 40, 40 },
  };

  if (f->skip)
    return;

  show_surface (f, 320, 240, 320 * 4, 11, TRUE);
  assert_frame (f, "the whole surface");

  for (guint i = 0; i < G_N_ELEMENTS (rects); i++)
    {
      guint64 n_frames = gh_spice_display_get_n_frames (f->display);
      g_autofree char *what = g_strdup_printf ("after invalidating %d,%d %d×%d",
                                               rects[i].x, rects[i].y,
                                               rects[i].width, rects[i].height);

      /* All of it changes; only the rectangle is said to. */
      surface_fill (f->surface, 100 + i, TRUE);
      emit_invalidate (f, rects[i].x, rects[i].y, rects[i].width, rects[i].height);
      wait_for_frame_after (f, n_frames);

      assert_frame (f, what);
      assert_rendered_1to1 (f, what);
    }
}

/* A rectangle that reaches outside the surface updates its inside part and reads
 * nothing outside: the surface starts and ends at a guard page. */
static void
test_invalidate_outside (Fixture      *f,
                         gconstpointer user_data)
{
  static const cairo_rectangle_int_t rects[] = {
    { -10, -10, 50, 40 },
    { 240, 180, 100, 100 },
    { -100000, 50, 200000, 1 },
    { 100, -5000, 3, 10000 },
    { -20, 170, 30, 1000 },
  };
  /* 256 × 4 bytes × 192 rows: a whole number of pages, so both ends are guarded. */
  int width = 256, height = 192;
  guint64 n_frames;

  if (f->skip)
    return;

  g_assert_cmpuint ((gsize) width * 4 * height % (gsize) sysconf (_SC_PAGESIZE), ==, 0);
  show_surface (f, width, height, width * 4, 21, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (rects); i++)
    {
      g_autofree char *what = g_strdup_printf ("after invalidating %d,%d %d×%d",
                                               rects[i].x, rects[i].y,
                                               rects[i].width, rects[i].height);

      n_frames = gh_spice_display_get_n_frames (f->display);
      surface_fill (f->surface, 200 + i, FALSE);
      emit_invalidate (f, rects[i].x, rects[i].y, rects[i].width, rects[i].height);
      wait_for_frame_after (f, n_frames);
      assert_frame (f, what);
    }

  /* Wholly outside: nothing to draw, nothing read. */
  surface_fill (f->surface, 300, FALSE);
  g_signal_emit_by_name (f->channel, "display-invalidate", width, 0, 10, 10);
  g_signal_emit_by_name (f->channel, "display-invalidate", -10, -10, 10, 10);
  g_signal_emit_by_name (f->channel, "display-invalidate", 0, height, width, 10);
  wait_for_paints (f, 3);
  assert_frame (f, "after rectangles wholly outside");
  assert_rendered_1to1 (f, "the widget after rectangles wholly outside");
}

/* QEMU sends a refresh as a burst of strips: all that arrive before a frame is drawn
 * make one upload, never one each. */
static void
test_one_upload_per_tick (Fixture      *f,
                          gconstpointer user_data)
{
  int width = 640, height = 400;

  if (f->skip)
    return;

  show_surface (f, width, height, width * 4, 31, FALSE);

  for (guint round = 0; round < 3; round++)
    {
      guint64 n_frames = gh_spice_display_get_n_frames (f->display);

      /* 200 strips of 2 rows, each drawn just before it is announced. */
      for (int i = 0; i < 200; i++)
        {
          for (int y = i * 2; y < i * 2 + 2; y++)
            for (int x = 0; x < width; x++)
              *surface_pixel (f->surface, x, y) = noise (x, y, 400 + round) & 0x00ffffffu;
          emit_invalidate (f, 0, i * 2, width, 2);
        }

      wait_for_frame_after (f, n_frames);
      /* Several ticks: nothing is left over for another frame. */
      wait_for_paints (f, 5);
      g_assert_cmpuint (gh_spice_display_get_n_frames (f->display), ==, n_frames + 1);
      assert_frame (f, "the frame after 200 strips");
    }
}

/* The guest changes resolution again and again: each new surface is shown whole, at its
 * size, never a frame of the one before; old frames are freed. */
static void
test_resolution_changes (Fixture      *f,
                         gconstpointer user_data)
{
  static const struct {
    int width;
    int height;
    int padding;  /* pixels of garbage at the end of each row */
  } sizes[] = {
    { 640, 480, 0 },
    { 800, 600, 0 },
    { 800, 600, 0 },      /* the same size again */
    { 1024, 768, 0 },
    { 801, 599, 3 },
    { 1023, 767, 0 },
    { 333, 777, 1 },
    { 1024, 768, 0 },
    { 64, 48, 0 },
    { 33, 32, 0 },        /* the smallest the widget takes, see test_tiny_surface */
  };
  g_autoptr(GdkTexture) last = NULL;
  guint n_cycles = 100;
  guint64 n_frames;
  int width, height;

  if (f->skip)
    return;

  show_surface (f, 320, 200, 320 * 4, 50, FALSE);
  assert_frame (f, "the first surface");
  g_assert_cmpuint (f->ready_log->len, ==, 1);

  for (guint i = 0; i < n_cycles; i++)
    {
      int w = sizes[i % G_N_ELEMENTS (sizes)].width;
      int h = sizes[i % G_N_ELEMENTS (sizes)].height;
      int stride = (w + sizes[i % G_N_ELEMENTS (sizes)].padding) * 4;
      g_autofree char *what = g_strdup_printf ("cycle %u, %d×%d", i, w, h);
      Surface *surface;

      n_frames = gh_spice_display_get_n_frames (f->display);

      emit_primary_destroy (f);
      g_assert_false (gh_spice_display_get_ready (f->display));
      assert_no_frame (f);

      surface = surface_new (w, h, stride);
      surface_fill (surface, 1000 + i, i % 2 == 0);
      emit_primary_create (f, surface);
      g_assert_true (gh_spice_display_get_ready (f->display));
      gh_spice_display_get_guest_size (f->display, &width, &height);
      g_assert_cmpint (width, ==, w);
      g_assert_cmpint (height, ==, h);
      /* Until the new surface is drawn there is no frame rather than the old one. */
      assert_no_frame (f);

      emit_invalidate (f, 0, 0, w, h);
      wait_for_frame_after (f, n_frames);
      assert_frame (f, what);
      if (i % 10 == 9)
        assert_rendered_1to1 (f, what);

      g_assert_cmpuint (f->ready_log->len, ==, 1 + 2 * (i + 1));
      g_assert_false (g_array_index (f->ready_log, gboolean, f->ready_log->len - 2));
      g_assert_true (g_array_index (f->ready_log, gboolean, f->ready_log->len - 1));
    }

  /* A couple more frames, then only the one shown now may be alive. */
  for (int i = 0; i < 2; i++)
    {
      n_frames = gh_spice_display_get_n_frames (f->display);
      surface_fill (f->surface, 5000 + i, FALSE);
      emit_invalidate (f, 0, 0, f->surface->width, f->surface->height);
      wait_for_frame_after (f, n_frames);
      assert_frame (f, "after the cycles");
    }
  wait_for_paints (f, 2);
  g_assert_cmpuint (f->n_frames_tracked, >=, n_cycles + 3);
  last = gh_spice_display_dup_frame (f->display);
  /* Every run gets a copy of the frame (GL textures and the tiles' shadow are filled
   * again), so nothing of the tracked ones needs to stay. */
  gh_test_wait_until_within (count_live_frames (f) == 0, FRAME_TIMEOUT_SECONDS,
                             "every frame but the current one to be freed");
  g_clear_object (&last);

  /* The guest's display goes away: black, no old frame, not ready. */
  emit_primary_destroy (f);
  g_assert_false (gh_spice_display_get_ready (f->display));
  g_assert_cmpuint (f->ready_log->len, ==, 2 + 2 * n_cycles);
  g_assert_false (g_array_index (f->ready_log, gboolean, f->ready_log->len - 1));
  gh_spice_display_get_guest_size (f->display, &width, &height);
  g_assert_cmpint (width, ==, 0);
  g_assert_cmpint (height, ==, 0);
  assert_no_frame (f);

  wait_for_paints (f, 2);
  {
    g_autoptr(GdkTexture) texture = render_display (f);
    g_autofree guint32 *pixels = download (texture);

    assert_black (pixels, gdk_texture_get_width (texture), 0, 0,
                  gdk_texture_get_width (texture), gdk_texture_get_height (texture),
                  "the widget after the last primary-destroy");
  }
  gh_test_wait_until_within (count_live_frames (f) == 0, FRAME_TIMEOUT_SECONDS,
                             "every frame to be freed");
}

/* "ready" notifies when the first surface comes and when it goes, and only then. */
static void
test_ready (Fixture      *f,
            gconstpointer user_data)
{
  g_autoptr(GhTestNotifyLog) log = NULL;
  g_autoptr(Surface) old = NULL;
  guint64 n_frames;
  Surface *surface;

  if (f->skip)
    return;

  log = gh_test_notify_log_new (f->display);
  g_assert_false (gh_spice_display_get_ready (f->display));
  assert_no_frame (f);

  /* Nothing before a surface. */
  g_signal_emit_by_name (f->channel, "display-invalidate", 0, 0, 10, 10);
  g_signal_emit_by_name (f->channel, "display-primary-destroy");
  wait_for_paints (f, 2);
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 0);
  g_assert_cmpuint (gh_spice_display_get_n_frames (f->display), ==, 0);
  assert_no_frame (f);

  surface = surface_new (200, 100, 200 * 4);
  surface_fill (surface, 60, FALSE);
  emit_primary_create (f, surface);
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 1);
  g_assert_true (gh_spice_display_get_ready (f->display));
  /* The guest's size notifies as it changes, which the console window follows. */
  g_assert_cmpuint (gh_test_notify_log_count (log, "guest-width"), ==, 1);
  g_assert_cmpuint (gh_test_notify_log_count (log, "guest-height"), ==, 1);

  n_frames = gh_spice_display_get_n_frames (f->display);
  emit_invalidate (f, 0, 0, 200, 100);
  wait_for_frame_after (f, n_frames);
  assert_frame (f, "the first surface");
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 1);

  /* A new surface with no destroy before it: still ready, nothing to say. */
  old = g_steal_pointer (&f->surface);
  surface = surface_new (300, 150, 300 * 4);
  surface_fill (surface, 61, FALSE);
  n_frames = gh_spice_display_get_n_frames (f->display);
  emit_primary_create (f, surface);
  g_clear_pointer (&old, surface_free);
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 1);
  g_assert_true (gh_spice_display_get_ready (f->display));
  g_assert_cmpuint (gh_test_notify_log_count (log, "guest-width"), ==, 2);
  g_assert_cmpuint (gh_test_notify_log_count (log, "guest-height"), ==, 2);
  assert_no_frame (f);
  emit_invalidate (f, 0, 0, 300, 150);
  wait_for_frame_after (f, n_frames);
  assert_frame (f, "a surface that replaced another");

  emit_primary_destroy (f);
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 2);
  g_assert_false (gh_spice_display_get_ready (f->display));
  assert_no_frame (f);

  /* Gone twice is gone once. */
  g_signal_emit_by_name (f->channel, "display-primary-destroy");
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 2);
  g_assert_cmpuint (gh_test_notify_log_count (log, "guest-width"), ==, 3);
  g_assert_cmpuint (gh_test_notify_log_count (log, "guest-height"), ==, 3);

  surface = surface_new (64, 64, 64 * 4);
  surface_fill (surface, 62, FALSE);
  emit_primary_create (f, surface);
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 3);
  g_assert_true (gh_spice_display_get_ready (f->display));

  emit_primary_destroy (f);
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 4);
  g_assert_false (gh_spice_display_get_ready (f->display));
  wait_for_paints (f, 2);
  assert_no_frame (f);
  g_assert_cmpuint (gh_test_notify_log_count (log, "ready"), ==, 4);
}

/* The session goes (the guest stopped): the display is black and not ready. */
static void
test_channel_destroy (Fixture      *f,
                      gconstpointer user_data)
{
  if (f->skip)
    return;

  show_surface (f, 320, 240, 320 * 4, 70, FALSE);
  assert_frame (f, "before the channel goes");

  spice_session_disconnect (f->session);
  gh_test_wait_until_within (!gh_spice_display_get_ready (f->display), FRAME_TIMEOUT_SECONDS,
                             "the display to stop being ready");
  assert_no_frame (f);

  wait_for_paints (f, 2);
  {
    g_autoptr(GdkTexture) texture = render_display (f);
    g_autofree guint32 *pixels = download (texture);

    assert_black (pixels, gdk_texture_get_width (texture), 0, 0,
                  gdk_texture_get_width (texture), gdk_texture_get_height (texture),
                  "the widget after its channel went");
  }
}

/* Moved to another window, the widget loses its GL context and textures with it: it
 * shows the surface again without waiting for the guest to redraw. */
static void
test_new_window (Fixture      *f,
                 gconstpointer user_data)
{
  g_autoptr(GhSpiceDisplay) display = NULL;
  GtkWindow *window;
  guint64 n_frames;

  if (f->skip)
    return;

  show_surface (f, 320, 240, 320 * 4, 85, TRUE);
  assert_frame (f, "in the first window");

  display = g_object_ref (f->display);
  gtk_window_set_child (f->window, NULL);
  g_clear_signal_handler (&f->paint_handler, f->frame_clock);
  gtk_window_destroy (f->window);
  g_assert_true (gh_spice_display_get_ready (display));

  n_frames = gh_spice_display_get_n_frames (display);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_decorated (window, FALSE);
  gtk_window_set_default_size (window, 800, 600);
  gtk_window_set_child (window, GTK_WIDGET (display));
  gtk_window_present (window);
  f->window = window;

  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (display)) &&
                      gtk_widget_get_width (GTK_WIDGET (display)) == 800,
                      "the second window to be shown");
  f->frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  f->paint_handler = g_signal_connect (f->frame_clock, "after-paint",
                                       G_CALLBACK (after_paint_cb), f);

  wait_for_frame_after (f, n_frames);
  assert_frame (f, "in the second window");
  assert_rendered_1to1 (f, "the widget in the second window");
}

/* Four solid quadrants: their middles keep their colours however the image is scaled. */
static const guint32 quadrant_colours[4] = { 0x00e02020, 0x0020c040, 0x002040e0, 0x00f0d010 };

static void
fill_quadrants (Surface *surface)
{
  for (int y = 0; y < surface->height; y++)
    for (int x = 0; x < surface->width; x++)
      *surface_pixel (surface, x, y) =
        quadrant_colours[(x >= surface->width / 2) + 2 * (y >= surface->height / 2)];
}

/* The bounds of what is not black along the middle row and column. */
static void
find_image (const guint32 *pixels,
            int            width,
            int            height,
            int           *x,
            int           *y,
            int           *w,
            int           *h)
{
  int left = width, right = -1, top = height, bottom = -1;

  for (int col = 0; col < width; col++)
    if (pixels[(gsize) (height / 2) * width + col] != BLACK)
      {
        left = MIN (left, col);
        right = MAX (right, col);
      }
  for (int row = 0; row < height; row++)
    if (pixels[(gsize) row * width + width / 2] != BLACK)
      {
        top = MIN (top, row);
        bottom = MAX (bottom, row);
      }

  g_assert_cmpint (right, >=, left);
  g_assert_cmpint (bottom, >=, top);
  *x = left;
  *y = top;
  *w = right - left + 1;
  *h = bottom - top + 1;
}

/* In a widget smaller than the surface the image is scaled down to fit, its aspect ratio
 * kept, centred between black bars. */
static void
test_scaled_down (Fixture      *f,
                  gconstpointer user_data)
{
  const Setup *setup = user_data;
  int sw = 1024, sh = 768;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *pixels = NULL;
  g_autofree char *png = NULL;
  const char *png_name;
  int width, height, x, y, w, h;
  guint64 n_frames;
  Surface *surface;

  if (f->skip)
    return;

  surface = surface_new (sw, sh, sw * 4);
  fill_quadrants (surface);
  n_frames = gh_spice_display_get_n_frames (f->display);
  emit_primary_create (f, surface);
  wait_for_frame_after (f, n_frames);

  texture = render_display (f);
  pixels = download (texture);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, ==, setup->window_width);
  g_assert_cmpint (height, ==, setup->window_height);
  g_assert_cmpint (width, <, sw);

  find_image (pixels, width, height, &x, &y, &w, &h);
  g_test_message ("%d×%d in %d×%d: the image is %d×%d at %d,%d", sw, sh, width, height,
                  w, h, x, y);

  /* It fills one dimension, keeps the aspect ratio and sits in the middle. */
  g_assert_true (ABS (w - width) <= 1 || ABS (h - height) <= 1);
  g_assert_cmpint (w, <=, width);
  g_assert_cmpint (h, <=, height);
  g_assert_cmpfloat (ABS ((double) w / h - (double) sw / sh), <, 0.01);
  g_assert_cmpfloat (ABS (gh_spice_display_get_zoom (f->display) - (double) w / sw), <, 0.01);
  g_assert_cmpint (ABS (x - (width - x - w)), <=, 1);
  g_assert_cmpint (ABS (y - (height - y - h)), <=, 1);

  /* Black bars around it, wholly. */
  assert_black (pixels, width, 0, 0, width, y, "the bar above");
  assert_black (pixels, width, 0, y + h, width, height - y - h, "the bar below");
  assert_black (pixels, width, 0, y, x, h, "the bar on the left");
  assert_black (pixels, width, x + w, y, width - x - w, h, "the bar on the right");

  /* The quadrants where they belong, opaque. */
  for (int q = 0; q < 4; q++)
    {
      int qx = x + w / 4 + (q % 2) * w / 2;
      int qy = y + h / 4 + (q / 2) * h / 2;

      g_assert_cmphex (pixels[(gsize) qy * width + qx], ==, quadrant_colours[q] | BLACK);
    }
  /* The image's edge pixels are the image's, not a bar's. */
  g_assert_cmphex (pixels[(gsize) (y + 1) * width + x + 1], ==, quadrant_colours[0] | BLACK);
  g_assert_cmphex (pixels[(gsize) (y + h - 2) * width + x + w - 2], ==,
                   quadrant_colours[3] | BLACK);

  png_name = cairo_run ? "spice-display-scaled-memory.png" : "spice-display-scaled.png";
  if (setup == &narrow_setup)
    {
      png = gh_display_test_save_screenshot (GTK_WIDGET (f->window), png_name);
      gh_display_test_assert_png (png, 1000);
    }
}

/* In a widget larger than the surface the image is drawn 1:1, centred. */
static void
test_centred (Fixture      *f,
              gconstpointer user_data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *pixels = NULL;
  int x, y, w, h;

  if (f->skip)
    return;

  show_surface (f, 640, 480, 640 * 4, 80, TRUE);
  assert_rendered_1to1 (f, "the widget");
  g_assert_cmpfloat (gh_spice_display_get_zoom (f->display), ==, 1.0);

  /* The same, found rather than computed. Noise has no black row or column. */
  texture = render_display (f);
  pixels = download (texture);
  find_image (pixels, gdk_texture_get_width (texture), gdk_texture_get_height (texture),
              &x, &y, &w, &h);
  g_assert_cmpint (w, ==, 640);
  g_assert_cmpint (h, ==, 480);
  g_assert_cmpint (ABS (x - (gdk_texture_get_width (texture) - x - w)), <=, 1);
  g_assert_cmpint (ABS (y - (gdk_texture_get_height (texture) - y - h)), <=, 1);
}

/* ---- what the screen shows ------------------------------------------------------- */

/* The window as the X server shows it, in ARGB32 words (opaque), or NULL where the
 * display is not X11. The window has no decorations: the widget fills it. */
static guint32 *
grab_screen (Fixture *f,
             int     *width,
             int     *height)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  GdkDisplay *display = gdk_surface_get_display (surface);
  Display *xdisplay;
  XWindowAttributes attributes;
  XImage *image;
  guint32 *pixels;

  if (!GDK_IS_X11_DISPLAY (display))
    return NULL;

  xdisplay = gdk_x11_display_get_xdisplay (display);
  /* After every request GTK made for the paints so far. */
  XSync (xdisplay, False);
  g_assert_true (XGetWindowAttributes (xdisplay, gdk_x11_surface_get_xid (surface),
                                       &attributes));
  image = XGetImage (xdisplay, gdk_x11_surface_get_xid (surface), 0, 0,
                     attributes.width, attributes.height, AllPlanes, ZPixmap);
  g_assert_nonnull (image);

  *width = attributes.width;
  *height = attributes.height;
  pixels = g_new (guint32, (gsize) *width * *height);
  for (int y = 0; y < *height; y++)
    for (int x = 0; x < *width; x++)
      pixels[(gsize) y * *width + x] = (guint32) XGetPixel (image, x, y) | BLACK;
  XDestroyImage (image);

  return pixels;
}

/* Fails unless the screen shows what the renderer draws of the whole widget now, within
 * @tolerance per channel: the damage GTK repainted after the last frame covered every
 * tile that changed. With @tolerance 0 the widget must also show the surface 1:1. */
static void
assert_screen (Fixture    *f,
               int         tolerance,
               const char *what)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *drawn = NULL;
  g_autofree guint32 *screen = NULL;
  int width = 0, height = 0, worst = 0;

  /* The paint that showed the frame, and one more that must not change it. */
  wait_for_paints (f, 2);
  screen = grab_screen (f, &width, &height);
  g_assert_nonnull (screen);

  texture = render_display (f);
  drawn = download (texture);
  g_assert_cmpint (width, ==, gdk_texture_get_width (texture));
  g_assert_cmpint (height, ==, gdk_texture_get_height (texture));

  for (gsize i = 0; i < (gsize) width * height; i++)
    for (int shift = 0; shift < 24; shift += 8)
      worst = MAX (worst, ABS ((int) ((screen[i] >> shift) & 0xff) -
                               (int) ((drawn[i] >> shift) & 0xff)));
  g_test_message ("%s: the screen differs by at most %d from the widget drawn", what, worst);
  if (tolerance == 0)
    assert_pixels (screen, width, 0, 0, drawn, width, height, what);
  g_assert_cmpint (worst, <=, tolerance);

  if (tolerance == 0)
    assert_rendered_1to1 (f, what);
}

/* Invalidates a few small rectangles of a surface that changed everywhere. */
static void
damage_a_few (Fixture *f,
              guint    seed)
{
  guint64 n_frames = gh_spice_display_get_n_frames (f->display);
  int w = f->surface->width;
  int h = f->surface->height;

  surface_fill (f->surface, seed, FALSE);
  emit_invalidate (f, 5, 5, 10, 10);
  emit_invalidate (f, w / 2 - 20, h / 2, 40, 3);
  emit_invalidate (f, w - 20, h - 40, 20, 40);
  wait_for_frame_after (f, n_frames);
}

static void
damage_all (Fixture *f,
            guint    seed)
{
  guint64 n_frames = gh_spice_display_get_n_frames (f->display);

  surface_fill (f->surface, seed, FALSE);
  emit_invalidate (f, 0, 0, f->surface->width, f->surface->height);
  wait_for_frame_after (f, n_frames);
}

/* The screen tests read the window back from an X server, and test the tiles of the cairo
 * renderer: under GL the frame is one texture, drawn whole. */
static gboolean
screen_test_can_run (Fixture *f)
{
  if (f->skip)
    return FALSE;
  if (!cairo_run)
    {
      g_test_skip ("Under GL the frame is a texture, drawn whole");
      return FALSE;
    }
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("The screen is read back from an X server");
      return FALSE;
    }
  return TRUE;
}

/* The screen shows the guest's surface after small damage, full damage, and a change of
 * resolution and back: nothing of a tile left from before. */
static void
test_screen_damage (Fixture      *f,
                    gconstpointer user_data)
{
  if (!screen_test_can_run (f))
    return;

  show_surface (f, 320, 240, 320 * 4, 500, FALSE);
  assert_screen (f, 0, "the first frame");

  for (guint i = 0; i < 3; i++)
    {
      damage_a_few (f, 510 + i);
      assert_screen (f, 0, "after a few small rectangles");
    }
  damage_all (f, 520);
  assert_screen (f, 0, "after the whole surface");

  emit_primary_destroy (f);
  show_surface (f, 640, 400, 640 * 4, 530, FALSE);
  assert_screen (f, 0, "a larger surface");
  damage_a_few (f, 531);
  assert_screen (f, 0, "a larger surface after a few small rectangles");

  emit_primary_destroy (f);
  show_surface (f, 320, 240, 320 * 4, 540, FALSE);
  assert_screen (f, 0, "the first size again");
  damage_a_few (f, 541);
  assert_screen (f, 0, "the first size again after a few small rectangles");
}

/* The same in a window smaller than the surface, the frame scaled down: the tiles that
 * blend a changed pixel into theirs are drawn again too. */
static void
test_screen_scaled (Fixture      *f,
                    gconstpointer user_data)
{
  if (!screen_test_can_run (f))
    return;

  show_surface (f, 1024, 768, 1024 * 4, 600, FALSE);
  g_assert_cmpfloat (gh_spice_display_get_zoom (f->display), <, 1.0);
  assert_screen (f, SCALED_TOLERANCE, "the first frame, scaled");

  for (guint i = 0; i < 3; i++)
    {
      damage_a_few (f, 610 + i);
      assert_screen (f, SCALED_TOLERANCE, "scaled, after a few small rectangles");
    }
  damage_all (f, 620);
  assert_screen (f, SCALED_TOLERANCE, "scaled, after the whole surface");
}

/* ---- known bugs: run with GH_TEST_KNOWN_BUGS=1 ------------------------------------- */

/* A surface smaller than the widget's minimum of 32 pixels: GTK warns that the natural
 * size is below the minimum (fatal in a test). */
static void
test_bug_tiny_surface (Fixture      *f,
                       gconstpointer user_data)
{
  if (f->skip)
    return;

  show_surface (f, 16, 8, 16 * 4, 90, FALSE);
  wait_for_paints (f, 2);
  assert_frame (f, "a 16×8 surface");
}

/* A frame taken with dup_frame () (the console's screenshot) keeps what was on the
 * screen, whatever the guest draws after. */
static void
test_bug_held_frame (Fixture      *f,
                     gconstpointer user_data)
{
  g_autoptr(GdkTexture) held = NULL;
  g_autofree guint32 *wanted = NULL;
  g_autofree guint32 *pixels = NULL;
  int width = 320, height = 240;

  if (f->skip)
    return;

  show_surface (f, width, height, width * 4, 91, FALSE);
  held = gh_spice_display_dup_frame (f->display);
  wanted = g_memdup2 (f->expected, (gsize) width * height * 4);

  for (guint i = 0; i < 2; i++)
    {
      guint64 n_frames = gh_spice_display_get_n_frames (f->display);

      surface_fill (f->surface, 92 + i, FALSE);
      emit_invalidate (f, 0, 0, width, height);
      wait_for_frame_after (f, n_frames);
    }

  pixels = download (held);
  assert_pixels (pixels, width, 0, 0, wanted, width, height, "the frame held");
}

/* The same across a change of resolution, after which the widget has deleted the GL
 * texture the held frame names and made new, larger ones. */
static void
test_bug_held_frame_resized (Fixture      *f,
                             gconstpointer user_data)
{
  g_autoptr(GdkTexture) held = NULL;
  g_autofree guint32 *wanted = NULL;
  g_autofree guint32 *pixels = NULL;
  int width = 320, height = 240;

  if (f->skip)
    return;

  show_surface (f, width, height, width * 4, 93, FALSE);
  held = gh_spice_display_dup_frame (f->display);
  wanted = g_memdup2 (f->expected, (gsize) width * height * 4);

  emit_primary_destroy (f);
  show_surface (f, 1024, 768, 1024 * 4, 94, FALSE);
  assert_frame (f, "the new surface");

  pixels = download (held);
  assert_pixels (pixels, width, 0, 0, wanted, width, height, "the frame held");
}

int
main (int   argc,
      char *argv[])
{
  const char *gdk_debug = g_getenv ("GDK_DEBUG");

  if (!gh_display_test_init (&argc, &argv))
    return 1;

  cairo_run = (gdk_debug != NULL && strstr (gdk_debug, "gl-disable") != NULL) ||
              g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0;

  g_test_add ("/display/spice-display/channel/widget-first", Fixture, &default_setup,
              fixture_set_up, test_channel, fixture_tear_down);
  g_test_add ("/display/spice-display/channel/channel-first", Fixture, &channel_first_setup,
              fixture_set_up, test_channel, fixture_tear_down);
  g_test_add ("/display/spice-display/channel/destroy", Fixture, &default_setup,
              fixture_set_up, test_channel_destroy, fixture_tear_down);
  g_test_add ("/display/spice-display/pixels/x-zero", Fixture, &default_setup,
              fixture_set_up, test_pixels_x_zero, fixture_tear_down);
  g_test_add ("/display/spice-display/pixels/x-random", Fixture, &default_setup,
              fixture_set_up, test_pixels_x_random, fixture_tear_down);
  g_test_add ("/display/spice-display/invalidate/partial", Fixture, &default_setup,
              fixture_set_up, test_partial_invalidate, fixture_tear_down);
  g_test_add ("/display/spice-display/invalidate/outside", Fixture, &default_setup,
              fixture_set_up, test_invalidate_outside, fixture_tear_down);
  g_test_add ("/display/spice-display/invalidate/one-upload-per-tick", Fixture,
              &default_setup, fixture_set_up, test_one_upload_per_tick, fixture_tear_down);
  g_test_add ("/display/spice-display/resolution-changes", Fixture, &large_setup,
              fixture_set_up, test_resolution_changes, fixture_tear_down);
  g_test_add ("/display/spice-display/ready", Fixture, &default_setup,
              fixture_set_up, test_ready, fixture_tear_down);
  g_test_add ("/display/spice-display/scaled/narrow", Fixture, &narrow_setup,
              fixture_set_up, test_scaled_down, fixture_tear_down);
  g_test_add ("/display/spice-display/scaled/short", Fixture, &short_setup,
              fixture_set_up, test_scaled_down, fixture_tear_down);
  g_test_add ("/display/spice-display/centred", Fixture, &large_setup,
              fixture_set_up, test_centred, fixture_tear_down);
  g_test_add ("/display/spice-display/new-window", Fixture, &default_setup,
              fixture_set_up, test_new_window, fixture_tear_down);
  g_test_add ("/display/spice-display/screen/damage", Fixture, &default_setup,
              fixture_set_up, test_screen_damage, fixture_tear_down);
  g_test_add ("/display/spice-display/screen/scaled", Fixture, &narrow_setup,
              fixture_set_up, test_screen_scaled, fixture_tear_down);

  /* Bugs this test found, fixed since. */
  g_test_add ("/display/spice-display/tiny-surface", Fixture, &default_setup,
              fixture_set_up, test_bug_tiny_surface, fixture_tear_down);
  g_test_add ("/display/spice-display/held-frame", Fixture, &default_setup,
              fixture_set_up, test_bug_held_frame, fixture_tear_down);
  g_test_add ("/display/spice-display/held-frame-resized", Fixture,
              &default_setup, fixture_set_up, test_bug_held_frame_resized,
              fixture_tear_down);

  return g_test_run ();
}
