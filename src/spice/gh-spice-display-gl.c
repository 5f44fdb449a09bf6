/* gh-spice-display-gl.c: the GL side of GhSpiceDisplay, 2D textures and the GL scanout
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <epoxy/gl.h>
#include <epoxy/egl.h>

#include "gh-spice-display-private.h"

#ifdef GDK_WINDOWING_X11
# include <gdk/x11/gdkx.h>
#endif
#ifdef GDK_WINDOWING_WAYLAND
# include <gdk/wayland/gdkwayland.h>
#endif

/* The display's own GL context lives from realize to unrealize; every texture here is
 * of that context and dies with it. See gh-spice-display-private.h for how a frame
 * reaches the screen. */

static gboolean
make_gl_current (GhSpiceDisplay *self)
{
  if (self->gl_context == NULL)
    return FALSE;

  gdk_gl_context_make_current (self->gl_context);
  return TRUE;
}


/* 2D frames in GL textures */

static void
delete_textures (GhSpiceDisplay *self)
{
  if (self->textures[0] != 0 && make_gl_current (self))
    glDeleteTextures (N_TEXTURES, self->textures);
  memset (self->textures, 0, sizeof self->textures);
  self->texture_width = self->texture_height = 0;
}

/* GL textures of our own context are drawn by GTK without a copy only when GTK itself
 * renders with GL; any other renderer would read each one back. */
gboolean
_gh_spice_display_can_use_gl_textures (GhSpiceDisplay *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  /* GTK 4.8 keeps the GL renderer's header out of gsk.h, but registers its type. */
  return self->gl_context != NULL && renderer != NULL &&
         g_type_is_a (G_OBJECT_TYPE (renderer), g_type_from_name ("GskGLRenderer"));
}

/* Desktop GL takes BGRA data into an RGBA texture; GLES needs the BGRA extension,
 * checked when the context was made. */
static GLint
gl_internal_format (GhSpiceDisplay *self)
{
  return gdk_gl_context_get_use_es (self->gl_context) ? GL_BGRA_EXT : GL_RGBA8;
}

GdkTexture *
_gh_spice_display_upload_gl (GhSpiceDisplay *self)
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


/* The GL scanout */

void
_gh_spice_display_delete_scanout (GhSpiceDisplay *self)
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

void
_gh_spice_display_present_gl (GhSpiceDisplay *self)
{
  if (!self->gl_draw_pending || self->scanout_texture == 0)
    return;

  _gh_spice_display_clear_frame (self);
  self->frame = gdk_gl_texture_new (self->gl_context, self->scanout_texture,
                                    self->scanout_width, self->scanout_height, NULL, NULL);
  self->gl_draw_pending = FALSE;
  self->gl_draw_done_pending = TRUE;
  self->n_frames++;
}

void
_gh_spice_display_gl_draw_done (GhSpiceDisplay *self)
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
    _gh_spice_display_gl_draw_done (self);
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
  gboolean was_ready = _gh_spice_display_have_frame (self);
  const char *failure = NULL;

  _gh_spice_display_delete_scanout (self);
  _gh_spice_display_clear_frame (self);

  if (scanout != NULL && scanout->fd >= 0)
    {
      self->gl_mode = TRUE;
      if (gtk_widget_get_realized (GTK_WIDGET (self)))
        failure = import_scanout (self, scanout);
      else
        failure = _("3D frames arrived before the display was shown");
      if (failure != NULL)
        _gh_spice_display_delete_scanout (self);
    }
  else
    self->gl_mode = FALSE;

  /* A GL display has no 2D fallback: say why it stays black. */
  _gh_spice_display_set_gl_error (self, failure);
  _gh_spice_display_notify_frame_change (self, was_ready);
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
      _gh_spice_display_gl_draw_done (self);
      return;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_gh_spice_display_watch_scanout (GhSpiceDisplay      *self,
                                 SpiceDisplayChannel *channel)
{
  g_signal_connect_object (channel, "notify::gl-scanout", G_CALLBACK (gl_scanout_cb), self, 0);
  g_signal_connect_object (channel, "gl-draw", G_CALLBACK (gl_draw_cb), self, 0);

  if (spice_display_channel_get_gl_scanout (channel) != NULL)
    gl_scanout_cb (channel, NULL, self);
}


/* Realize and unrealize */

void
_gh_spice_display_gl_realize (GhSpiceDisplay *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkGLContext) context = NULL;

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

void
_gh_spice_display_gl_unrealize (GhSpiceDisplay *self)
{
  _gh_spice_display_gl_draw_done (self);
  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  self->frame_clock = NULL;

  /* Our textures die with the context; the tiles are made again with the rest. */
  _gh_spice_display_clear_frame (self);
  delete_textures (self);
  _gh_spice_display_delete_scanout (self);
  for (guint i = 0; i < N_TEXTURES; i++)
    g_clear_pointer (&self->texture_damage[i], cairo_region_destroy);
  if (self->damage != NULL)
    {
      cairo_rectangle_int_t all = { 0, 0, self->width, self->height };

      cairo_region_union_rectangle (self->damage, &all);
    }
  gdk_gl_context_clear_current ();
  g_clear_object (&self->gl_context);
}
