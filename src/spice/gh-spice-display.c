/* gh-spice-display.c: a GTK4 widget that draws a SPICE display and sends it input
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <epoxy/gl.h>
#include <epoxy/egl.h>

#include "gh-spice-display-private.h"
#include "gh-spice-keymap-spice.h"

#ifdef GDK_WINDOWING_X11
# include <gdk/x11/gdkx.h>
#endif
#ifdef GDK_WINDOWING_WAYLAND
# include <gdk/wayland/gdkwayland.h>
#endif

/* How a frame reaches the screen.
 *
 * 2D: SPICE keeps the guest's primary surface in our memory and says which rectangles
 * changed ("display-invalidate"). Those rectangles are collected until the frame clock
 * asks us to draw; then, once per frame, they are copied into an opaque shadow (the X
 * byte of xRGB is anything, and GTK 4.8 has no format that ignores it) and from there
 * into one of two GL textures with glTexSubImage2D. Two, because GTK may still be
 * drawing the texture of the last frame while we update the other; each texture
 * remembers what it has missed. Without GL the shadow is copied into a GdkMemoryTexture.
 *
 * GL (virgl): the guest's frame is a dmabuf. It is imported once per scanout into a GL
 * texture through an EGLImage, and each "gl-draw" presents it again; the server may
 * reuse the buffer only after spice_display_channel_gl_draw_done(), which we call once
 * the frame that shows it has been painted. */

#define RESIZE_DELAY_MS 300
#define N_TEXTURES 2
#define MAX_SCANCODE 0x200
/* How long the display waits for more of a refresh, and at most. */
#define SETTLE_MS 3
#define SETTLE_MAX_MS 12

struct _GhSpiceDisplay
{
  GtkWidget parent_instance;

  /* Owned references */
  SpiceSession *session;
  GhSpiceClipboard *clipboard;
  GdkGLContext *gl_context;       /* NULL: memory textures */
  GdkTexture *frame;              /* the frame presented last */
  guint8 *shadow;                 /* opaque copy of the primary, rows of width * 4 */
  cairo_region_t *damage;         /* changed since the last frame */
  cairo_region_t *texture_damage[N_TEXTURES];
  char *gl_error;

  /* Borrowed references */
  SpiceMainChannel *main_channel;
  SpiceDisplayChannel *display_channel;
  SpiceInputsChannel *inputs_channel;
  SpiceCursorChannel *cursor_channel;
  GdkFrameClock *frame_clock;

  int channel_id;

  /* The 2D primary surface, owned by the display channel. */
  guint8 *primary;
  int width;
  int height;
  int stride;

  guint textures[N_TEXTURES];
  guint next_texture;
  int texture_width;
  int texture_height;

  /* The GL scanout. */
  guint scanout_texture;
  EGLImageKHR scanout_image;
  int scanout_width;
  int scanout_height;
  guint gl_mode : 1;
  guint scanout_y0top : 1;
  guint gl_draw_pending : 1;      /* a gl-draw waits to be presented */
  guint gl_draw_done_pending : 1; /* presented; waiting for the paint to finish */

  guint client_mouse : 1;
  guint keyboard_grabbed : 1;
  guint keyboard_released : 1;    /* by Ctrl+Alt, until the next click or focus */
  guint pause_held : 1;
  guint release_combo_armed : 1;
  guint32 held_keys[MAX_SCANCODE / 32];
  int button_mask;
  int last_guest_x;
  int last_guest_y;
  double scroll_dy;

  guint settle_id;
  gint64 first_damage_us;
  gint64 last_damage_us;

  graphene_rect_t area;           /* where the frame was drawn, in widget coordinates */
  guint resize_timeout_id;
  int sent_width;
  int sent_height;
  gulong after_paint_id;

  guint64 n_frames;
};

G_DEFINE_FINAL_TYPE (GhSpiceDisplay, gh_spice_display, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CHANNEL_ID,
  PROP_READY,
  PROP_GL_ERROR,
  PROP_KEYBOARD_GRABBED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_session (GhSpiceDisplay *self,
                         SpiceSession   *session);


/* Frames */

static gboolean
make_gl_current (GhSpiceDisplay *self)
{
  if (self->gl_context == NULL)
    return FALSE;

  gdk_gl_context_make_current (self->gl_context);
  return TRUE;
}

static void
delete_textures (GhSpiceDisplay *self)
{
  if (self->textures[0] != 0 && make_gl_current (self))
    glDeleteTextures (N_TEXTURES, self->textures);
  memset (self->textures, 0, sizeof self->textures);
  self->texture_width = self->texture_height = 0;
}

static void
delete_scanout (GhSpiceDisplay *self)
{
  if (make_gl_current (self))
    {
      if (self->scanout_texture != 0)
        glDeleteTextures (1, &self->scanout_texture);
      if (self->scanout_image != EGL_NO_IMAGE_KHR)
        eglDestroyImageKHR (eglGetCurrentDisplay (), self->scanout_image);
    }
  self->scanout_texture = 0;
  self->scanout_image = EGL_NO_IMAGE_KHR;
  self->scanout_width = self->scanout_height = 0;
}

static void
set_gl_error (GhSpiceDisplay *self,
              const char     *message)
{
  if (g_strcmp0 (self->gl_error, message) == 0)
    return;

  g_free (self->gl_error);
  self->gl_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GL_ERROR]);
}

static gboolean
have_frame (GhSpiceDisplay *self)
{
  return self->gl_mode ? self->scanout_texture != 0 : self->primary != NULL;
}

static void
get_guest_size (GhSpiceDisplay *self,
                int            *width,
                int            *height)
{
  *width = self->gl_mode ? self->scanout_width : self->width;
  *height = self->gl_mode ? self->scanout_height : self->height;
}

static void
notify_frame_change (GhSpiceDisplay *self,
                     gboolean        was_ready)
{
  if (was_ready != have_frame (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
forget_primary (GhSpiceDisplay *self)
{
  self->primary = NULL;
  self->width = self->height = self->stride = 0;
  g_clear_pointer (&self->shadow, g_free);
  g_clear_pointer (&self->damage, cairo_region_destroy);
  for (guint i = 0; i < N_TEXTURES; i++)
    g_clear_pointer (&self->texture_damage[i], cairo_region_destroy);
  /* The next surface fills its textures whole, even at the same size. */
  self->texture_width = self->texture_height = 0;
}

/* GL textures of our own context are drawn by GTK without a copy only when GTK itself
 * renders with GL; any other renderer would read each one back. */
static gboolean
can_use_gl_textures (GhSpiceDisplay *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  /* GTK 4.8 keeps the GL renderer's header out of gsk.h, but registers its type. */
  return self->gl_context != NULL && renderer != NULL &&
         g_type_is_a (G_OBJECT_TYPE (renderer), g_type_from_name ("GskGLRenderer"));
}

/* Copies the changed rectangles into the opaque shadow. */
static void
update_shadow (GhSpiceDisplay *self)
{
  int n = cairo_region_num_rectangles (self->damage);

  for (int i = 0; i < n; i++)
    {
      cairo_rectangle_int_t r;

      cairo_region_get_rectangle (self->damage, i, &r);
      for (int y = r.y; y < r.y + r.height; y++)
        {
          const guint32 *src = (const guint32 *) (self->primary + (gsize) y * self->stride) + r.x;
          guint32 *dst = (guint32 *) (self->shadow + (gsize) y * self->width * 4) + r.x;

          for (int x = 0; x < r.width; x++)
            dst[x] = src[x] | 0xff000000u;
        }
    }
}

/* Desktop GL takes BGRA data into an RGBA texture; GLES needs the BGRA extension,
 * checked when the context was made. */
static GLint
gl_internal_format (GhSpiceDisplay *self)
{
  return gdk_gl_context_get_use_es (self->gl_context) ? GL_BGRA_EXT : GL_RGBA8;
}

static GdkTexture *
upload_gl (GhSpiceDisplay *self)
{
  guint k = self->next_texture;
  GLint internal_format = gl_internal_format (self);
  int n;

  gdk_gl_context_make_current (self->gl_context);

  if (self->texture_width != self->width || self->texture_height != self->height)
    {
      cairo_rectangle_int_t all = { 0, 0, self->width, self->height };

      delete_textures (self);
      glGenTextures (N_TEXTURES, self->textures);
      for (guint i = 0; i < N_TEXTURES; i++)
        {
          glBindTexture (GL_TEXTURE_2D, self->textures[i]);
          glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
          glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
          glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
          glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
          glTexImage2D (GL_TEXTURE_2D, 0, internal_format, self->width, self->height, 0,
                        GL_BGRA_EXT, GL_UNSIGNED_BYTE, NULL);
          g_clear_pointer (&self->texture_damage[i], cairo_region_destroy);
          self->texture_damage[i] = cairo_region_create_rectangle (&all);
        }
      self->texture_width = self->width;
      self->texture_height = self->height;
    }

  glBindTexture (GL_TEXTURE_2D, self->textures[k]);
  glPixelStorei (GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei (GL_UNPACK_ROW_LENGTH, self->width);

  n = cairo_region_num_rectangles (self->texture_damage[k]);
  for (int i = 0; i < n; i++)
    {
      cairo_rectangle_int_t r;

      cairo_region_get_rectangle (self->texture_damage[k], i, &r);
      glTexSubImage2D (GL_TEXTURE_2D, 0, r.x, r.y, r.width, r.height,
                       GL_BGRA_EXT, GL_UNSIGNED_BYTE,
                       self->shadow + ((gsize) r.y * self->width + r.x) * 4);
    }
  glPixelStorei (GL_UNPACK_ROW_LENGTH, 0);
  cairo_region_destroy (self->texture_damage[k]);
  self->texture_damage[k] = cairo_region_create ();
  self->next_texture = (k + 1) % N_TEXTURES;

  /* GTK samples the texture from its own context. */
  glFlush ();

  return gdk_gl_texture_new (self->gl_context, self->textures[k],
                             self->width, self->height, NULL, NULL);
}

static GdkTexture *
upload_memory (GhSpiceDisplay *self)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size = (gsize) self->width * self->height * 4;

  bytes = g_bytes_new (self->shadow, size);
  return gdk_memory_texture_new (self->width, self->height,
                                 GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, self->width * 4);
}

/* Turns what changed since the last frame into one new texture. */
static void
present_2d (GhSpiceDisplay *self)
{
  GdkTexture *texture;

  if (self->damage == NULL || cairo_region_is_empty (self->damage))
    return;

  update_shadow (self);

  if (can_use_gl_textures (self))
    {
      for (guint i = 0; i < N_TEXTURES; i++)
        if (self->texture_damage[i] != NULL)
          cairo_region_union (self->texture_damage[i], self->damage);
      texture = upload_gl (self);
    }
  else
    texture = upload_memory (self);

  cairo_region_destroy (self->damage);
  self->damage = cairo_region_create ();

  g_clear_object (&self->frame);
  self->frame = texture;
  self->n_frames++;
}

static void
present_gl (GhSpiceDisplay *self)
{
  if (!self->gl_draw_pending || self->scanout_texture == 0)
    return;

  g_clear_object (&self->frame);
  self->frame = gdk_gl_texture_new (self->gl_context, self->scanout_texture,
                                    self->scanout_width, self->scanout_height, NULL, NULL);
  self->gl_draw_pending = FALSE;
  self->gl_draw_done_pending = TRUE;
  self->n_frames++;
}

static void
gl_draw_done (GhSpiceDisplay *self)
{
  if (!self->gl_draw_done_pending && !self->gl_draw_pending)
    return;

  self->gl_draw_done_pending = FALSE;
  self->gl_draw_pending = FALSE;
  if (self->display_channel != NULL)
    spice_display_channel_gl_draw_done (self->display_channel);
}

static void
after_paint_cb (GdkFrameClock  *frame_clock,
                GhSpiceDisplay *self)
{
  if (self->gl_draw_done_pending)
    gl_draw_done (self);
}

/* The frame's place: centred, 1:1 in device pixels when it fits, else scaled down
 * keeping its aspect ratio. */
static void
compute_area (GhSpiceDisplay  *self,
              graphene_rect_t *area)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double widget_width = gtk_widget_get_width (GTK_WIDGET (self));
  double widget_height = gtk_widget_get_height (GTK_WIDGET (self));
  int guest_width, guest_height;
  double width, height, factor = 1.0;

  get_guest_size (self, &guest_width, &guest_height);
  width = (double) guest_width / scale;
  height = (double) guest_height / scale;

  if (width <= 0 || height <= 0)
    {
      graphene_rect_init (area, 0, 0, 0, 0);
      return;
    }

  if (width > widget_width || height > widget_height)
    factor = MIN (widget_width / width, widget_height / height);

  width = floor (width * factor);
  height = floor (height * factor);
  graphene_rect_init (area,
                      floor ((widget_width - width) / 2),
                      floor ((widget_height - height) / 2),
                      width, height);
}

static void
gh_spice_display_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  GhSpiceDisplay *self = GH_SPICE_DISPLAY (widget);
  GdkRGBA black = { 0, 0, 0, 1 };

  if (self->gl_mode)
    present_gl (self);
  else if (self->primary != NULL)
    present_2d (self);

  gtk_snapshot_append_color (snapshot, &black,
                             &GRAPHENE_RECT_INIT (0, 0,
                                                  gtk_widget_get_width (widget),
                                                  gtk_widget_get_height (widget)));

  if (self->frame == NULL || !have_frame (self))
    return;

  compute_area (self, &self->area);

  if (self->gl_mode && !self->scanout_y0top)
    {
      /* The scanout's first row is its bottom one. */
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (0, self->area.origin.y * 2 +
                                                       self->area.size.height));
      gtk_snapshot_scale (snapshot, 1, -1);
      gtk_snapshot_append_texture (snapshot, self->frame, &self->area);
      gtk_snapshot_restore (snapshot);
    }
  else
    gtk_snapshot_append_texture (snapshot, self->frame, &self->area);
}

static void
gh_spice_display_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GhSpiceDisplay *self = GH_SPICE_DISPLAY (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  int width, height;

  get_guest_size (self, &width, &height);
  if (width <= 0 || height <= 0)
    {
      width = 800;
      height = 600;
    }

  *minimum = 32;
  *natural = MAX (*minimum, (orientation == GTK_ORIENTATION_HORIZONTAL ? width : height) / scale);
}


/* Display channel */

static void
primary_create_cb (SpiceDisplayChannel *channel,
                   int                  format,
                   int                  width,
                   int                  height,
                   int                  stride,
                   int                  shmid,
                   gpointer             data,
                   GhSpiceDisplay      *self)
{
  gboolean was_ready = have_frame (self);
  cairo_rectangle_int_t all = { 0, 0, width, height };

  g_debug ("Display %d: primary surface %d×%d, format %d", self->channel_id,
           width, height, format);
  forget_primary (self);

  /* QEMU converts every guest mode to a 32-bit surface. */
  if (format != SPICE_SURFACE_FMT_32_xRGB && format != SPICE_SURFACE_FMT_32_ARGB)
    {
      g_warning ("Unsupported SPICE surface format %d", format);
      notify_frame_change (self, was_ready);
      return;
    }

  self->primary = data;
  self->width = width;
  self->height = height;
  self->stride = stride;
  self->shadow = g_malloc0 ((gsize) width * height * 4);
  self->damage = cairo_region_create_rectangle (&all);
  self->gl_mode = FALSE;
  g_clear_object (&self->frame);

  notify_frame_change (self, was_ready);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
primary_destroy_cb (SpiceDisplayChannel *channel,
                    GhSpiceDisplay      *self)
{
  gboolean was_ready = have_frame (self);

  forget_primary (self);
  if (!self->gl_mode)
    g_clear_object (&self->frame);
  notify_frame_change (self, was_ready);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
settle_cb (gpointer user_data)
{
  GhSpiceDisplay *self = user_data;
  gint64 now = g_get_monotonic_time ();

  if (now - self->last_damage_us < SETTLE_MS * 1000 &&
      now - self->first_damage_us < SETTLE_MAX_MS * 1000)
    return G_SOURCE_CONTINUE;

  self->settle_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
invalidate_cb (SpiceDisplayChannel *channel,
               int                  x,
               int                  y,
               int                  width,
               int                  height,
               GhSpiceDisplay      *self)
{
  cairo_rectangle_int_t r = { x, y, width, height };
  cairo_rectangle_int_t all = { 0, 0, self->width, self->height };

  if (self->primary == NULL || self->damage == NULL)
    return;

  /* A rectangle outside the surface would make us read outside it. */
  cairo_region_union_rectangle (self->damage, &r);
  cairo_region_intersect_rectangle (self->damage, &all);

  /* QEMU sends one screen refresh as a burst of strips. Drawing at the first frame tick
   * after the first strip would show a torn frame and then draw again for the rest:
   * wait until the burst is over (bounded), then draw once at the next tick. */
  self->last_damage_us = g_get_monotonic_time ();
  if (self->settle_id == 0)
    {
      self->first_damage_us = self->last_damage_us;
      self->settle_id = g_timeout_add (SETTLE_MS, settle_cb, self);
    }
}

static EGLDisplay
get_egl_display (GhSpiceDisplay *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (display))
    return gdk_x11_display_get_egl_display (display);
#endif
#ifdef GDK_WINDOWING_WAYLAND
  if (GDK_IS_WAYLAND_DISPLAY (display))
    return gdk_wayland_display_get_egl_display (display);
#endif

  return EGL_NO_DISPLAY;
}

/* Makes a GL texture of the scanout's dmabuf; returns why not, or NULL. */
static const char *
import_scanout (GhSpiceDisplay       *self,
                const SpiceGlScanout *scanout)
{
  EGLDisplay egl_display;
  EGLint attributes[] = {
    EGL_WIDTH, scanout->width,
    EGL_HEIGHT, scanout->height,
    EGL_LINUX_DRM_FOURCC_EXT, scanout->format,
    EGL_DMA_BUF_PLANE0_FD_EXT, scanout->fd,
    EGL_DMA_BUF_PLANE0_OFFSET_EXT, 0,
    EGL_DMA_BUF_PLANE0_PITCH_EXT, scanout->stride,
    EGL_NONE
  };

  if (!make_gl_current (self))
    return _("3D graphics need OpenGL, which is not available on this display");

  egl_display = get_egl_display (self);
  if (egl_display == EGL_NO_DISPLAY)
    return _("3D graphics need EGL, which this display does not use");

  if (!epoxy_has_egl_extension (egl_display, "EGL_EXT_image_dma_buf_import") ||
      !epoxy_has_gl_extension ("GL_OES_EGL_image"))
    return _("This graphics driver cannot show the guest’s 3D frames (no dmabuf import)");

  self->scanout_image = eglCreateImageKHR (egl_display, EGL_NO_CONTEXT,
                                           EGL_LINUX_DMA_BUF_EXT, NULL, attributes);
  if (self->scanout_image == EGL_NO_IMAGE_KHR)
    return _("The guest’s 3D frame could not be imported");

  glGenTextures (1, &self->scanout_texture);
  glBindTexture (GL_TEXTURE_2D, self->scanout_texture);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glEGLImageTargetTexture2DOES (GL_TEXTURE_2D, self->scanout_image);

  self->scanout_width = scanout->width;
  self->scanout_height = scanout->height;
  self->scanout_y0top = !!scanout->y0top;
  return NULL;
}

static void
gl_scanout_cb (SpiceDisplayChannel *channel,
               GParamSpec          *pspec,
               GhSpiceDisplay      *self)
{
  const SpiceGlScanout *scanout = spice_display_channel_get_gl_scanout (channel);
  gboolean was_ready = have_frame (self);
  const char *failure = NULL;

  delete_scanout (self);
  g_clear_object (&self->frame);

  if (scanout != NULL && scanout->fd >= 0)
    {
      self->gl_mode = TRUE;
      if (gtk_widget_get_realized (GTK_WIDGET (self)))
        failure = import_scanout (self, scanout);
      else
        failure = _("3D frames arrived before the display was shown");
      if (failure != NULL)
        delete_scanout (self);
    }
  else
    self->gl_mode = FALSE;

  /* A GL display has no 2D fallback: say why it stays black. */
  set_gl_error (self, failure);
  notify_frame_change (self, was_ready);
}

static void
gl_draw_cb (SpiceDisplayChannel *channel,
            guint                x,
            guint                y,
            guint                width,
            guint                height,
            GhSpiceDisplay      *self)
{
  self->gl_draw_pending = TRUE;

  /* Nothing will be painted: let the guest go on. */
  if (self->scanout_texture == 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      gl_draw_done (self);
      return;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}


/* Cursor channel */

static void
cursor_shape_cb (SpiceCursorChannel *channel,
                 GParamSpec         *pspec,
                 GhSpiceDisplay     *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkCursor) cursor = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SpiceCursorShape *shape = NULL;

  g_object_get (channel, "cursor", &shape, NULL);
  if (shape == NULL || shape->data == NULL || shape->width == 0 || shape->height == 0)
    {
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      if (shape != NULL)
        g_boxed_free (SPICE_TYPE_CURSOR_SHAPE, shape);
      return;
    }

  /* spice-client-glib gives every cursor type as RGBA bytes. */
  bytes = g_bytes_new (shape->data, (gsize) shape->width * shape->height * 4);
  texture = gdk_memory_texture_new (shape->width, shape->height, GDK_MEMORY_R8G8B8A8,
                                    bytes, shape->width * 4);
  cursor = gdk_cursor_new_from_texture (texture, shape->hot_spot_x, shape->hot_spot_y, NULL);
  gtk_widget_set_cursor (GTK_WIDGET (self), cursor);

  g_boxed_free (SPICE_TYPE_CURSOR_SHAPE, shape);
}

static void
cursor_hide_cb (SpiceCursorChannel *channel,
                GhSpiceDisplay     *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
}

static void
cursor_reset_cb (SpiceCursorChannel *channel,
                 GhSpiceDisplay     *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}


/* Main channel */

static void
mouse_mode_cb (SpiceMainChannel *channel,
               GParamSpec       *pspec,
               GhSpiceDisplay   *self)
{
  int mode = 0;

  g_object_get (channel, "mouse-mode", &mode, NULL);
  self->client_mouse = mode == SPICE_MOUSE_MODE_CLIENT;
}

static gboolean
send_guest_size (gpointer user_data)
{
  GhSpiceDisplay *self = user_data;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self)) * scale;
  int height = gtk_widget_get_height (GTK_WIDGET (self)) * scale;
  gboolean agent = FALSE;

  self->resize_timeout_id = 0;

  if (self->main_channel == NULL || width < 64 || height < 64)
    return G_SOURCE_REMOVE;

  g_object_get (self->main_channel, "agent-connected", &agent, NULL);
  if (!agent || (width == self->sent_width && height == self->sent_height))
    return G_SOURCE_REMOVE;

  /* The guest's agent changes its resolution to fill the window. Width a multiple of
   * 8: some guest drivers round it anyway, and a frame that comes back smaller than
   * asked would leave a black border on one side. */
  width &= ~7;
  self->sent_width = width;
  self->sent_height = height;
  spice_main_channel_update_display_enabled (self->main_channel, self->channel_id, TRUE, FALSE);
  spice_main_channel_update_display (self->main_channel, self->channel_id, 0, 0,
                                     width, height, TRUE);

  return G_SOURCE_REMOVE;
}

static void
schedule_resize (GhSpiceDisplay *self)
{
  g_clear_handle_id (&self->resize_timeout_id, g_source_remove);
  self->resize_timeout_id = g_timeout_add (RESIZE_DELAY_MS, send_guest_size, self);
}

static void
agent_connected_cb (SpiceMainChannel *channel,
                    GParamSpec       *pspec,
                    GhSpiceDisplay   *self)
{
  self->sent_width = self->sent_height = 0;
  schedule_resize (self);
}


/* Channels */

static void
channel_new_cb (SpiceSession   *session,
                SpiceChannel   *channel,
                GhSpiceDisplay *self)
{
  int id = 0;

  g_object_get (channel, "channel-id", &id, NULL);

  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      self->main_channel = SPICE_MAIN_CHANNEL (channel);
      g_signal_connect_object (channel, "notify::mouse-mode", G_CALLBACK (mouse_mode_cb), self, 0);
      g_signal_connect_object (channel, "notify::agent-connected",
                               G_CALLBACK (agent_connected_cb), self, 0);
      mouse_mode_cb (self->main_channel, NULL, self);
      g_clear_pointer (&self->clipboard, _gh_spice_clipboard_free);
      self->clipboard = _gh_spice_clipboard_new (GTK_WIDGET (self), self->main_channel);
    }
  else if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == self->channel_id)
    {
      SpiceDisplayPrimary primary;

      g_debug ("Display %d: channel %p", self->channel_id, channel);
      self->display_channel = SPICE_DISPLAY_CHANNEL (channel);
      g_signal_connect_object (channel, "display-primary-create",
                               G_CALLBACK (primary_create_cb), self, 0);
      g_signal_connect_object (channel, "display-primary-destroy",
                               G_CALLBACK (primary_destroy_cb), self, 0);
      g_signal_connect_object (channel, "display-invalidate", G_CALLBACK (invalidate_cb), self, 0);
      g_signal_connect_object (channel, "notify::gl-scanout", G_CALLBACK (gl_scanout_cb), self, 0);
      g_signal_connect_object (channel, "gl-draw", G_CALLBACK (gl_draw_cb), self, 0);

      /* A channel that was already up has its surface already. */
      if (spice_display_channel_get_primary (channel, 0, &primary))
        primary_create_cb (self->display_channel, primary.format, primary.width,
                           primary.height, primary.stride, primary.shmid, primary.data, self);
      if (spice_display_channel_get_gl_scanout (self->display_channel) != NULL)
        gl_scanout_cb (self->display_channel, NULL, self);
    }
  else if (SPICE_IS_INPUTS_CHANNEL (channel))
    {
      self->inputs_channel = SPICE_INPUTS_CHANNEL (channel);
    }
  else if (SPICE_IS_CURSOR_CHANNEL (channel))
    {
      self->cursor_channel = SPICE_CURSOR_CHANNEL (channel);
      g_signal_connect_object (channel, "notify::cursor", G_CALLBACK (cursor_shape_cb), self, 0);
      g_signal_connect_object (channel, "cursor-hide", G_CALLBACK (cursor_hide_cb), self, 0);
      g_signal_connect_object (channel, "cursor-reset", G_CALLBACK (cursor_reset_cb), self, 0);
    }
}

static void
drop_display_channel (GhSpiceDisplay *self)
{
  gboolean was_ready = have_frame (self);

  /* Whatever was waiting for a paint must not hold up a server we leave. */
  gl_draw_done (self);
  self->display_channel = NULL;
  forget_primary (self);
  delete_scanout (self);
  self->gl_mode = FALSE;
  g_clear_object (&self->frame);
  set_gl_error (self, NULL);
  notify_frame_change (self, was_ready);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
channel_destroy_cb (SpiceSession   *session,
                    SpiceChannel   *channel,
                    GhSpiceDisplay *self)
{
  g_signal_handlers_disconnect_by_data (channel, self);

  if ((gpointer) channel == (gpointer) self->main_channel)
    {
      g_clear_pointer (&self->clipboard, _gh_spice_clipboard_free);
      self->main_channel = NULL;
    }
  else if ((gpointer) channel == (gpointer) self->display_channel)
    drop_display_channel (self);
  else if ((gpointer) channel == (gpointer) self->inputs_channel)
    self->inputs_channel = NULL;
  else if ((gpointer) channel == (gpointer) self->cursor_channel)
    {
      self->cursor_channel = NULL;
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
    }
}

static void
set_session (GhSpiceDisplay *self,
             SpiceSession   *session)
{
  GList *channels;

  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      gh_spice_display_release_keys (self);

      channels = spice_session_get_channels (self->session);
      for (GList *l = channels; l != NULL; l = l->next)
        channel_destroy_cb (self->session, l->data, self);
      g_list_free (channels);
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }

  if (session != NULL)
    {
      self->session = g_object_ref (session);
      g_signal_connect_object (session, "channel-new", G_CALLBACK (channel_new_cb), self, 0);
      g_signal_connect_object (session, "channel-destroy",
                               G_CALLBACK (channel_destroy_cb), self, 0);

      channels = spice_session_get_channels (session);
      for (GList *l = channels; l != NULL; l = l->next)
        channel_new_cb (session, l->data, self);
      g_list_free (channels);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}


/* Pointer */

static gboolean
to_guest (GhSpiceDisplay *self,
          double          x,
          double          y,
          int            *guest_x,
          int            *guest_y)
{
  int width, height;

  get_guest_size (self, &width, &height);
  if (width <= 0 || self->area.size.width <= 0 || self->area.size.height <= 0)
    return FALSE;

  *guest_x = CLAMP ((int) floor ((x - self->area.origin.x) * width / self->area.size.width),
                    0, width - 1);
  *guest_y = CLAMP ((int) floor ((y - self->area.origin.y) * height / self->area.size.height),
                    0, height - 1);
  return TRUE;
}

static void
send_position (GhSpiceDisplay *self,
               double          x,
               double          y)
{
  int guest_x, guest_y;

  if (self->inputs_channel == NULL || !to_guest (self, x, y, &guest_x, &guest_y))
    return;

  if (self->client_mouse)
    spice_inputs_channel_position (self->inputs_channel, guest_x, guest_y,
                                   self->channel_id, self->button_mask);
  else
    /* The guest forces server mode: it only takes relative moves. */
    spice_inputs_channel_motion (self->inputs_channel, guest_x - self->last_guest_x,
                                 guest_y - self->last_guest_y, self->button_mask);

  self->last_guest_x = guest_x;
  self->last_guest_y = guest_y;
}

static int
spice_button (guint gdk_button)
{
  switch (gdk_button)
    {
    case GDK_BUTTON_PRIMARY:
      return SPICE_MOUSE_BUTTON_LEFT;
    case GDK_BUTTON_MIDDLE:
      return SPICE_MOUSE_BUTTON_MIDDLE;
    case GDK_BUTTON_SECONDARY:
      return SPICE_MOUSE_BUTTON_RIGHT;
    case 8:
      return SPICE_MOUSE_BUTTON_SIDE;
    case 9:
      return SPICE_MOUSE_BUTTON_EXTRA;
    default:
      return SPICE_MOUSE_BUTTON_INVALID;
    }
}

static void
send_wheel (GhSpiceDisplay *self,
            int             button)
{
  int mask = button == SPICE_MOUSE_BUTTON_UP ? SPICE_MOUSE_BUTTON_MASK_UP
                                             : SPICE_MOUSE_BUTTON_MASK_DOWN;

  spice_inputs_channel_button_press (self->inputs_channel, button, self->button_mask | mask);
  spice_inputs_channel_button_release (self->inputs_channel, button, self->button_mask);
}

static void
grab_keyboard (GhSpiceDisplay *self,
               gboolean        grab);

static gboolean
pointer_event_cb (GtkEventControllerLegacy *controller,
                  GdkEvent                 *event,
                  GhSpiceDisplay           *self)
{
  GdkEventType type = gdk_event_get_event_type (event);
  double x, y;

  switch ((int) type)
    {
    case GDK_MOTION_NOTIFY:
      if (gdk_event_get_position (event, &x, &y))
        send_position (self, x, y);
      return GDK_EVENT_STOP;

    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
      {
        int button = spice_button (gdk_button_event_get_button (event));

        if (type == GDK_BUTTON_PRESS)
          {
            /* A click into the display gives it the keyboard again after Ctrl+Alt. */
            gtk_widget_grab_focus (GTK_WIDGET (self));
            self->keyboard_released = FALSE;
            grab_keyboard (self, TRUE);
          }

        if (self->inputs_channel == NULL || button == SPICE_MOUSE_BUTTON_INVALID)
          return GDK_EVENT_STOP;

        if (gdk_event_get_position (event, &x, &y))
          send_position (self, x, y);

        if (type == GDK_BUTTON_PRESS)
          {
            self->button_mask |= 1 << (button - 1);
            spice_inputs_channel_button_press (self->inputs_channel, button, self->button_mask);
          }
        else
          {
            self->button_mask &= ~(1 << (button - 1));
            spice_inputs_channel_button_release (self->inputs_channel, button, self->button_mask);
          }
        return GDK_EVENT_STOP;
      }

    case GDK_SCROLL:
      {
        double dx, dy;

        if (self->inputs_channel == NULL)
          return GDK_EVENT_STOP;

        switch (gdk_scroll_event_get_direction (event))
          {
          case GDK_SCROLL_UP:
            send_wheel (self, SPICE_MOUSE_BUTTON_UP);
            break;
          case GDK_SCROLL_DOWN:
            send_wheel (self, SPICE_MOUSE_BUTTON_DOWN);
            break;
          case GDK_SCROLL_SMOOTH:
            /* A touchpad scrolls in fractions; the guest's wheel clicks in steps. */
            gdk_scroll_event_get_deltas (event, &dx, &dy);
            self->scroll_dy += dy;
            while (self->scroll_dy >= 1.0)
              {
                send_wheel (self, SPICE_MOUSE_BUTTON_DOWN);
                self->scroll_dy -= 1.0;
              }
            while (self->scroll_dy <= -1.0)
              {
                send_wheel (self, SPICE_MOUSE_BUTTON_UP);
                self->scroll_dy += 1.0;
              }
            break;
          case GDK_SCROLL_LEFT:
          case GDK_SCROLL_RIGHT:
          default:
            break;
          }
        return GDK_EVENT_STOP;
      }

    default:
      return GDK_EVENT_PROPAGATE;
    }
}


/* Keyboard */

static gboolean
key_is_held (GhSpiceDisplay *self,
             guint           scancode)
{
  return (self->held_keys[scancode / 32] & (1u << (scancode % 32))) != 0;
}

static void
set_key_held (GhSpiceDisplay *self,
              guint           scancode,
              gboolean        held)
{
  if (held)
    self->held_keys[scancode / 32] |= 1u << (scancode % 32);
  else
    self->held_keys[scancode / 32] &= ~(1u << (scancode % 32));
}

static void
press_key (GhSpiceDisplay *self,
           guint           scancode)
{
  if (scancode == 0 || scancode >= MAX_SCANCODE || self->inputs_channel == NULL)
    return;

  set_key_held (self, scancode, TRUE);
  spice_inputs_channel_key_press (self->inputs_channel, scancode);
}

static void
release_key (GhSpiceDisplay *self,
             guint           scancode)
{
  if (scancode == 0 || scancode >= MAX_SCANCODE || !key_is_held (self, scancode))
    return;

  set_key_held (self, scancode, FALSE);
  if (self->inputs_channel != NULL)
    spice_inputs_channel_key_release (self->inputs_channel, scancode);
}

static void
grab_keyboard (GhSpiceDisplay *self,
               gboolean        grab)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GdkSurface *surface = native != NULL ? gtk_native_get_surface (native) : NULL;

  if (self->keyboard_grabbed == !!grab)
    return;

  self->keyboard_grabbed = !!grab;
  self->release_combo_armed = FALSE;

  /* Alt+Tab, Super and the like go to the guest while it has the keyboard. */
  if (surface != NULL && GDK_IS_TOPLEVEL (surface))
    {
      if (grab)
        gdk_toplevel_inhibit_system_shortcuts (GDK_TOPLEVEL (surface), NULL);
      else
        gdk_toplevel_restore_system_shortcuts (GDK_TOPLEVEL (surface));
    }

  if (!grab)
    gh_spice_display_release_keys (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYBOARD_GRABBED]);
}

static gboolean
is_ctrl_or_alt (guint scancode)
{
  switch (scancode)
    {
    case 0x1d:   /* Left Ctrl */
    case 0x11d:  /* Right Ctrl */
    case 0x38:   /* Left Alt */
    case 0x138:  /* Right Alt (AltGr) */
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
only_ctrl_and_alt_held (GhSpiceDisplay *self)
{
  gboolean ctrl = key_is_held (self, 0x1d) || key_is_held (self, 0x11d);
  gboolean alt = key_is_held (self, 0x38) || key_is_held (self, 0x138);

  for (guint i = 0; i < MAX_SCANCODE; i++)
    if (key_is_held (self, i) && !is_ctrl_or_alt (i))
      return FALSE;

  return ctrl && alt;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GhSpiceDisplay        *self)
{
  guint scancode;

  /* After Ctrl+Alt the keys are the host's until the display is clicked again. */
  if (self->keyboard_released)
    return GDK_EVENT_PROPAGATE;

  /* A key can arrive before the focus notification (a window that was not active). */
  grab_keyboard (self, TRUE);

  if (gh_spice_keymap_is_pause (keycode))
    {
      /* Its whole sequence goes on the press; auto-repeat must not send it again. */
      if (self->inputs_channel != NULL && !self->pause_held)
        gh_spice_keymap_send_pause (self->inputs_channel);
      self->pause_held = TRUE;
      return GDK_EVENT_STOP;
    }

  scancode = gh_spice_keymap_from_keycode (keycode);
  if (scancode == 0)
    return GDK_EVENT_STOP;

  /* Auto-repeat arrives as more presses: the guest repeats by itself. */
  if (key_is_held (self, scancode))
    return GDK_EVENT_STOP;

  press_key (self, scancode);

  /* Ctrl+Alt pressed and let go with nothing else gives the keyboard back. */
  self->release_combo_armed = is_ctrl_or_alt (scancode) && only_ctrl_and_alt_held (self);

  return GDK_EVENT_STOP;
}

static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GhSpiceDisplay        *self)
{
  guint scancode = gh_spice_keymap_from_keycode (keycode);
  gboolean armed = self->release_combo_armed;

  if (gh_spice_keymap_is_pause (keycode))
    self->pause_held = FALSE;

  self->release_combo_armed = FALSE;
  release_key (self, scancode);

  if (armed && is_ctrl_or_alt (scancode))
    {
      self->keyboard_released = TRUE;
      grab_keyboard (self, FALSE);
    }
}

static void
focus_enter_cb (GtkEventControllerFocus *controller,
                GhSpiceDisplay          *self)
{
  self->keyboard_released = FALSE;
  grab_keyboard (self, TRUE);
}

static void
focus_leave_cb (GtkEventControllerFocus *controller,
                GhSpiceDisplay          *self)
{
  /* A key held while focus leaves would repeat in the guest for ever. */
  grab_keyboard (self, FALSE);
}


/* GtkWidget */

static void
gh_spice_display_realize (GtkWidget *widget)
{
  GhSpiceDisplay *self = GH_SPICE_DISPLAY (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkGLContext) context = NULL;

  GTK_WIDGET_CLASS (gh_spice_display_parent_class)->realize (widget);

  context = gdk_display_create_gl_context (gtk_widget_get_display (widget), &error);
  if (context != NULL && !gdk_gl_context_realize (context, &error))
    g_clear_object (&context);

  if (context != NULL)
    {
      gdk_gl_context_make_current (context);
      if (gdk_gl_context_get_use_es (context) &&
          !epoxy_has_gl_extension ("GL_EXT_texture_format_BGRA8888"))
        {
          g_debug ("GLES without BGRA textures: drawing from memory");
          g_clear_object (&context);
        }
    }
  else
    g_debug ("No GL context (%s): drawing from memory", error ? error->message : "");

  self->gl_context = g_steal_pointer (&context);

  self->frame_clock = gtk_widget_get_frame_clock (widget);
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (after_paint_cb), self);

  /* A scanout that came before we could import it. */
  if (self->display_channel != NULL &&
      spice_display_channel_get_gl_scanout (self->display_channel) != NULL)
    gl_scanout_cb (self->display_channel, NULL, self);
}

static void
gh_spice_display_unrealize (GtkWidget *widget)
{
  GhSpiceDisplay *self = GH_SPICE_DISPLAY (widget);

  gl_draw_done (self);
  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  self->frame_clock = NULL;

  /* Our textures die with the context. */
  g_clear_object (&self->frame);
  delete_textures (self);
  delete_scanout (self);
  for (guint i = 0; i < N_TEXTURES; i++)
    g_clear_pointer (&self->texture_damage[i], cairo_region_destroy);
  if (self->damage != NULL)
    {
      cairo_rectangle_int_t all = { 0, 0, self->width, self->height };

      cairo_region_union_rectangle (self->damage, &all);
    }
  gdk_gl_context_clear_current ();
  g_clear_object (&self->gl_context);

  GTK_WIDGET_CLASS (gh_spice_display_parent_class)->unrealize (widget);
}

static void
gh_spice_display_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  GhSpiceDisplay *self = GH_SPICE_DISPLAY (widget);

  compute_area (self, &self->area);
  schedule_resize (self);
}

static void
gh_spice_display_dispose (GObject *object)
{
  GhSpiceDisplay *self = (GhSpiceDisplay *)object;

  set_session (self, NULL);
  g_clear_handle_id (&self->resize_timeout_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);

  G_OBJECT_CLASS (gh_spice_display_parent_class)->dispose (object);
}

static void
gh_spice_display_finalize (GObject *object)
{
  GhSpiceDisplay *self = (GhSpiceDisplay *)object;

  forget_primary (self);
  g_clear_object (&self->frame);
  g_clear_pointer (&self->gl_error, g_free);

  G_OBJECT_CLASS (gh_spice_display_parent_class)->finalize (object);
}

static void
gh_spice_display_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GhSpiceDisplay *self = GH_SPICE_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_CHANNEL_ID:
      g_value_set_int (value, self->channel_id);
      break;

    case PROP_READY:
      g_value_set_boolean (value, have_frame (self));
      break;

    case PROP_GL_ERROR:
      g_value_set_string (value, self->gl_error);
      break;

    case PROP_KEYBOARD_GRABBED:
      g_value_set_boolean (value, self->keyboard_grabbed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_spice_display_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GhSpiceDisplay *self = GH_SPICE_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      set_session (self, g_value_get_object (value));
      break;

    case PROP_CHANNEL_ID:
      self->channel_id = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_spice_display_class_init (GhSpiceDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = gh_spice_display_dispose;
  object_class->finalize = gh_spice_display_finalize;
  object_class->get_property = gh_spice_display_get_property;
  object_class->set_property = gh_spice_display_set_property;

  widget_class->snapshot = gh_spice_display_snapshot;
  widget_class->measure = gh_spice_display_measure;
  widget_class->size_allocate = gh_spice_display_size_allocate;
  widget_class->realize = gh_spice_display_realize;
  widget_class->unrealize = gh_spice_display_unrealize;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SPICE_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Set before the session: the channel is chosen when it appears. */
  properties[PROP_CHANNEL_ID] =
    g_param_spec_int ("channel-id", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE, flags);
  properties[PROP_GL_ERROR] = g_param_spec_string ("gl-error", NULL, NULL, NULL, flags);
  properties[PROP_KEYBOARD_GRABBED] =
    g_param_spec_boolean ("keyboard-grabbed", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "spice-display");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gh_spice_display_init (GhSpiceDisplay *self)
{
  GtkEventController *controller;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Machine display"),
                                  -1);

  controller = gtk_event_controller_legacy_new ();
  g_signal_connect (controller, "event", G_CALLBACK (pointer_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect (controller, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (focus_enter_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  self->scanout_image = EGL_NO_IMAGE_KHR;
}

GtkWidget *
gh_spice_display_new (SpiceSession *session,
                      int           channel_id)
{
  g_return_val_if_fail (session == NULL || SPICE_IS_SESSION (session), NULL);

  return g_object_new (GH_TYPE_SPICE_DISPLAY,
                       "channel-id", channel_id,
                       "session", session,
                       NULL);
}

SpiceSession *
gh_spice_display_get_session (GhSpiceDisplay *self)
{
  g_return_val_if_fail (GH_IS_SPICE_DISPLAY (self), NULL);
  return self->session;
}

void
gh_spice_display_set_session (GhSpiceDisplay *self,
                              SpiceSession   *session)
{
  g_return_if_fail (GH_IS_SPICE_DISPLAY (self));
  g_return_if_fail (session == NULL || SPICE_IS_SESSION (session));

  set_session (self, session);
}

gboolean
gh_spice_display_get_ready (GhSpiceDisplay *self)
{
  g_return_val_if_fail (GH_IS_SPICE_DISPLAY (self), FALSE);
  return have_frame (self);
}

void
gh_spice_display_get_guest_size (GhSpiceDisplay *self,
                                 int            *width,
                                 int            *height)
{
  int w, h;

  g_return_if_fail (GH_IS_SPICE_DISPLAY (self));

  get_guest_size (self, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

const char *
gh_spice_display_get_gl_error (GhSpiceDisplay *self)
{
  g_return_val_if_fail (GH_IS_SPICE_DISPLAY (self), NULL);
  return self->gl_error;
}

gboolean
gh_spice_display_get_keyboard_grabbed (GhSpiceDisplay *self)
{
  g_return_val_if_fail (GH_IS_SPICE_DISPLAY (self), FALSE);
  return self->keyboard_grabbed;
}

guint64
gh_spice_display_get_n_frames (GhSpiceDisplay *self)
{
  g_return_val_if_fail (GH_IS_SPICE_DISPLAY (self), 0);
  return self->n_frames;
}

GdkTexture *
gh_spice_display_dup_frame (GhSpiceDisplay *self)
{
  g_autoptr(GBytes) bytes = NULL;
  int width, height;
  guint8 *data;

  g_return_val_if_fail (GH_IS_SPICE_DISPLAY (self), NULL);

  if (self->frame == NULL)
    return NULL;
  if (!GDK_IS_GL_TEXTURE (self->frame))
    return g_object_ref (self->frame);

  /* A GL frame wraps one of the textures we fill again two frames later (or delete on a
   * resize): the caller gets a copy that keeps what is on the screen now. */
  width = gdk_texture_get_width (self->frame);
  height = gdk_texture_get_height (self->frame);
  data = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (self->frame, data, (gsize) width * 4);
  bytes = g_bytes_new_take (data, (gsize) width * height * 4);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) width * 4);
}

void
gh_spice_display_send_keys (GhSpiceDisplay *self,
                            const guint    *scancodes,
                            guint           n_scancodes)
{
  g_return_if_fail (GH_IS_SPICE_DISPLAY (self));
  g_return_if_fail (scancodes != NULL || n_scancodes == 0);

  if (self->inputs_channel == NULL)
    return;

  for (guint i = 0; i < n_scancodes; i++)
    spice_inputs_channel_key_press (self->inputs_channel, scancodes[i]);
  for (guint i = n_scancodes; i > 0; i--)
    spice_inputs_channel_key_release (self->inputs_channel, scancodes[i - 1]);
}

/**
 * gh_spice_display_release_keys:
 *
 * Releases in the guest every key that the host still holds down.
 */
void
gh_spice_display_release_keys (GhSpiceDisplay *self)
{
  g_return_if_fail (GH_IS_SPICE_DISPLAY (self));

  for (guint i = 0; i < MAX_SCANCODE; i++)
    release_key (self, i);
  self->pause_held = FALSE;

  if (self->inputs_channel != NULL)
    for (int button = SPICE_MOUSE_BUTTON_LEFT; button < SPICE_MOUSE_BUTTON_ENUM_END; button++)
      if (self->button_mask & (1 << (button - 1)))
        {
          self->button_mask &= ~(1 << (button - 1));
          spice_inputs_channel_button_release (self->inputs_channel, button, self->button_mask);
        }
  self->button_mask = 0;
}
