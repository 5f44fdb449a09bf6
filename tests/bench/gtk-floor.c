/* gtk-floor.c: the least a GTK 4 program does to show a SPICE display: GTK's floor.
 *
 *   gtk-floor --unix-path PATH
 *
 * A spice-client-glib session on a UNIX socket, as spice-ceiling's, and a window that
 * opens at the guest's size once the primary surface is known, holding one small widget.
 * The widget keeps the surface in one GL texture of a GdkGLContext of its own: in each
 * snapshot it uploads the rows the display invalidated since the last one with
 * glTexSubImage2D, wraps the texture in a new GdkGLTexture (so GTK knows it changed; the
 * texture itself is reused) and appends it to the snapshot. Under GTK's GL renderer the
 * texture is drawn as it is, with no copy; that is the cheapest way GTK 4.8 shows frames
 * that change, so a client that shows the same frames for less CPU beats GTK's own floor.
 * Nothing else: no scaling, input, cursor, header bar or style.
 *
 * Under another renderer (GSK_RENDERER=cairo) GTK downloads the texture for every frame:
 * that is no floor, so it says which renderer drew the window, on stderr and as one JSON
 * line on stdout after its first frame: {"renderer": "GskGLRenderer", "gl_renderer": ...}.
 * console-fps reads the same from its event log (gtk-frame-counter.so) and refuses to call
 * it the floor unless GL drew it. Runs until SIGTERM or SIGINT, or until the server goes.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <signal.h>

#include <epoxy/gl.h>
#include <glib-unix.h>
#include <gtk/gtk.h>
#include <spice-client.h>

#define FLOOR_TYPE_VIEW (floor_view_get_type ())
G_DECLARE_FINAL_TYPE (FloorView, floor_view, FLOOR, VIEW, GtkWidget)

struct _FloorView
{
  GtkWidget             parent_instance;

  /* Owned references */
  GdkGLContext         *context;
  GdkTexture           *texture;     /* the last frame shown, wrapping gl_texture */

  /* The display channel's copy of the primary surface, owned by spice-client-glib */
  guint8               *data;
  int                   width;
  int                   height;
  int                   stride;
  int                   bytes_per_pixel;
  GLenum                format;
  GLenum                type;

  GLuint                gl_texture;  /* 0 until the first snapshot with a surface */
  cairo_rectangle_int_t dirty;       /* what changed since the last upload; 0x0: nothing */
  gboolean              reported;
};

G_DEFINE_FINAL_TYPE (FloorView, floor_view, GTK_TYPE_WIDGET)

typedef struct
{
  SpiceSession *session;
  GMainLoop    *loop;
  GtkWidget    *window;
  FloorView    *view;
  int           status;
} Floor;

static void
floor_view_add_dirty (FloorView *self,
                      int        x,
                      int        y,
                      int        width,
                      int        height)
{
  cairo_rectangle_int_t rect = { x, y, width, height };

  gdk_rectangle_intersect (&rect, &(cairo_rectangle_int_t) { 0, 0, self->width, self->height },
                           &rect);
  if (rect.width <= 0 || rect.height <= 0)
    return;
  if (self->dirty.width == 0)
    self->dirty = rect;
  else
    gdk_rectangle_union (&self->dirty, &rect, &self->dirty);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
floor_view_set_surface (FloorView *self,
                        guint8    *data,
                        int        width,
                        int        height,
                        int        stride,
                        int        format)
{
  gboolean resized = width != self->width || height != self->height;

  self->data = data;
  self->stride = stride;
  if (format == SPICE_SURFACE_FMT_16_565)
    {
      self->bytes_per_pixel = 2;
      self->format = GL_RGB;
      self->type = GL_UNSIGNED_SHORT_5_6_5;
    }
  else
    {
      /* 32_xRGB: B, G, R, X in memory. */
      self->bytes_per_pixel = 4;
      self->format = GL_BGRA;
      self->type = GL_UNSIGNED_BYTE;
    }
  if (resized || self->gl_texture == 0)
    {
      self->width = width;
      self->height = height;
      /* A new size needs a new texture: the next snapshot makes it. */
      if (self->gl_texture != 0 && self->context != NULL)
        {
          gdk_gl_context_make_current (self->context);
          glDeleteTextures (1, &self->gl_texture);
          self->gl_texture = 0;
        }
      g_clear_object (&self->texture);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  self->dirty = (cairo_rectangle_int_t) { 0, 0, width, height };
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
floor_view_report (FloorView *self)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (self)));
  const char *name = renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none";
  const char *gl = (const char *) glGetString (GL_RENDERER);
  g_autofree char *escaped = g_strescape (gl != NULL ? gl : "", NULL);

  self->reported = TRUE;
  g_printerr ("gtk-floor: GTK draws with %s; our GL context: %s%s\n", name,
              gdk_gl_context_get_use_es (self->context) ? "ES, " : "", gl);
  if (g_strcmp0 (name, "GskGLRenderer") != 0)
    g_printerr ("gtk-floor: not GTK's GL renderer: GTK downloads every frame, "
                "this is not the floor\n");
  g_print ("{\"renderer\": \"%s\", \"gl_renderer\": \"%s\"}\n", name, escaped);
}

static void
floor_view_upload (FloorView *self)
{
  const cairo_rectangle_int_t *r = &self->dirty;

  gdk_gl_context_make_current (self->context);
  if (self->gl_texture == 0)
    {
      glGenTextures (1, &self->gl_texture);
      glBindTexture (GL_TEXTURE_2D, self->gl_texture);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
      /* GLES takes BGRA only as its own internal format (EXT_texture_format_BGRA8888). */
      glTexImage2D (GL_TEXTURE_2D, 0,
                    self->bytes_per_pixel == 2 ? GL_RGB
                    : gdk_gl_context_get_use_es (self->context) ? GL_BGRA : GL_RGBA8,
                    self->width, self->height, 0, self->format, self->type, NULL);
    }
  else
    glBindTexture (GL_TEXTURE_2D, self->gl_texture);

  glPixelStorei (GL_UNPACK_ALIGNMENT, self->bytes_per_pixel);
  glPixelStorei (GL_UNPACK_ROW_LENGTH, self->stride / self->bytes_per_pixel);
  glTexSubImage2D (GL_TEXTURE_2D, 0, r->x, r->y, r->width, r->height, self->format,
                   self->type,
                   self->data + (gsize) r->y * self->stride + r->x * self->bytes_per_pixel);
  glPixelStorei (GL_UNPACK_ROW_LENGTH, 0);
  /* GSK's context reads the texture next: what we queued must reach it first. */
  glFlush ();
  self->dirty = (cairo_rectangle_int_t) { 0 };

  g_clear_object (&self->texture);
  self->texture = gdk_gl_texture_new (self->context, self->gl_texture, self->width,
                                      self->height, NULL, NULL);
}

static void
floor_view_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  FloorView *self = FLOOR_VIEW (widget);

  if (self->data == NULL || self->context == NULL)
    return;
  if (self->dirty.width > 0 || self->texture == NULL)
    {
      if (self->dirty.width == 0)
        self->dirty = (cairo_rectangle_int_t) { 0, 0, self->width, self->height };
      floor_view_upload (self);
    }
  if (!self->reported)
    floor_view_report (self);
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT (0, 0, self->width, self->height));
}

static void
floor_view_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  FloorView *self = FLOOR_VIEW (widget);

  *minimum = 1;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? self->width : self->height;
}

static void
floor_view_realize (GtkWidget *widget)
{
  FloorView *self = FLOOR_VIEW (widget);
  g_autoptr(GError) error = NULL;

  GTK_WIDGET_CLASS (floor_view_parent_class)->realize (widget);

  self->context = gdk_surface_create_gl_context (gtk_native_get_surface (
                                                   gtk_widget_get_native (widget)), &error);
  if (self->context == NULL || !gdk_gl_context_realize (self->context, &error))
    {
      g_printerr ("gtk-floor: no GL context: %s\n", error->message);
      g_clear_object (&self->context);
      exit (1);
    }
}

static void
floor_view_unrealize (GtkWidget *widget)
{
  FloorView *self = FLOOR_VIEW (widget);

  g_clear_object (&self->texture);
  if (self->context != NULL && self->gl_texture != 0)
    {
      gdk_gl_context_make_current (self->context);
      glDeleteTextures (1, &self->gl_texture);
      self->gl_texture = 0;
    }
  g_clear_object (&self->context);

  GTK_WIDGET_CLASS (floor_view_parent_class)->unrealize (widget);
}

static void
floor_view_class_init (FloorViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = floor_view_snapshot;
  widget_class->measure = floor_view_measure;
  widget_class->realize = floor_view_realize;
  widget_class->unrealize = floor_view_unrealize;
}

static void
floor_view_init (FloorView *self)
{
}

/* ---- the SPICE session ------------------------------------------------------------- */

static void
finish (Floor *self,
        int    status)
{
  self->status = status;
  g_main_loop_quit (self->loop);
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
  Floor *self = user_data;

  if (format != SPICE_SURFACE_FMT_32_xRGB && format != SPICE_SURFACE_FMT_16_565)
    {
      g_printerr ("gtk-floor: surface format %d is not handled\n", format);
      finish (self, 1);
      return;
    }
  floor_view_set_surface (self->view, imgdata, width, height, stride, format);
  /* Like remote-viewer's, the window opens at the guest's size: once it is known. */
  if (!gtk_widget_get_visible (self->window))
    gtk_window_present (GTK_WINDOW (self->window));
}

static void
on_primary_destroy (SpiceChannel *channel,
                    gpointer      user_data)
{
  Floor *self = user_data;

  self->view->data = NULL;
}

static void
on_invalidate (SpiceChannel *channel,
               int           x,
               int           y,
               int           width,
               int           height,
               gpointer      user_data)
{
  Floor *self = user_data;

  if (self->view->data != NULL)
    floor_view_add_dirty (self->view, x, y, width, height);
}

static void
on_channel_event (SpiceChannel     *channel,
                  SpiceChannelEvent event,
                  gpointer          user_data)
{
  const GError *error;

  if (event == SPICE_CHANNEL_CLOSED)
    {
      g_printerr ("gtk-floor: the server closed the connection\n");
      finish (user_data, 0);
    }
  else if (event >= SPICE_CHANNEL_ERROR_CONNECT)
    {
      error = spice_channel_get_error (channel);
      g_printerr ("gtk-floor: %s error %d: %s\n", G_OBJECT_TYPE_NAME (channel), event,
                  error != NULL ? error->message : "no detail");
      finish (user_data, 1);
    }
}

static void
on_channel_new (SpiceSession *session,
                SpiceChannel *channel,
                gpointer      user_data)
{
  int id;

  g_object_get (channel, "channel-id", &id, NULL);
  if (SPICE_IS_MAIN_CHANNEL (channel))
    g_signal_connect (channel, "channel-event", G_CALLBACK (on_channel_event), user_data);
  else if (SPICE_IS_DISPLAY_CHANNEL (channel) && id == 0)
    {
      g_signal_connect (channel, "channel-event", G_CALLBACK (on_channel_event), user_data);
      g_signal_connect (channel, "display-primary-create", G_CALLBACK (on_primary_create),
                        user_data);
      g_signal_connect (channel, "display-primary-destroy",
                        G_CALLBACK (on_primary_destroy), user_data);
      g_signal_connect (channel, "display-invalidate", G_CALLBACK (on_invalidate), user_data);
      spice_channel_connect (channel);
    }
}

static gboolean
on_stop_signal (gpointer user_data)
{
  finish (user_data, 0);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_close_request (GtkWindow *window,
                  Floor     *self)
{
  finish (self, 0);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unix_path = NULL;
  Floor self = { 0 };
  GOptionEntry entries[] = {
    { "unix-path", 0, 0, G_OPTION_ARG_FILENAME, &unix_path,
      "The SPICE server's UNIX socket", "PATH" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- show a SPICE display the cheapest way GTK 4 can");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || unix_path == NULL)
    {
      g_printerr ("gtk-floor: %s\n", error != NULL ? error->message : "--unix-path is needed");
      return 2;
    }
  setlocale (LC_NUMERIC, "C");
  gtk_init ();

  self.loop = g_main_loop_new (NULL, FALSE);
  self.view = g_object_new (FLOOR_TYPE_VIEW, NULL);
  self.window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (self.window), "gtk-floor");
  gtk_window_set_child (GTK_WINDOW (self.window), GTK_WIDGET (self.view));
  g_signal_connect (self.window, "close-request", G_CALLBACK (on_close_request), &self);

  self.session = spice_session_new ();
  g_object_set (self.session, "unix-path", unix_path, NULL);
  g_signal_connect (self.session, "channel-new", G_CALLBACK (on_channel_new), &self);
  g_unix_signal_add (SIGTERM, on_stop_signal, &self);
  g_unix_signal_add (SIGINT, on_stop_signal, &self);

  if (!spice_session_connect (self.session))
    {
      g_printerr ("gtk-floor: spice_session_connect failed\n");
      self.status = 1;
    }
  else
    g_main_loop_run (self.loop);

  spice_session_disconnect (self.session);
  gtk_window_destroy (GTK_WINDOW (self.window));
  g_clear_object (&self.session);
  g_main_loop_unref (self.loop);
  return self.status;
}
