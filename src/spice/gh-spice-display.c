/* gh-spice-display.c: a GTK4 widget that draws a SPICE display and sends it input
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-spice-display-private.h"

/* The widget: its session and channels, the 2D frame, where the frame goes and how big
 * the guest should be. The GL paths are in gh-spice-display-gl.c, the 2D frame under
 * the cairo renderer in gh-spice-display-tiles.c, keyboard and pointer in
 * gh-spice-display-input.c, the clipboard in gh-spice-display-clipboard.c. */

#define RESIZE_DELAY_MS 300
/* How long the display waits for more of a refresh, and at most. */
#define SETTLE_MS 3
#define SETTLE_MAX_MS 12

G_DEFINE_FINAL_TYPE (GhSpiceDisplay, gh_spice_display, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CHANNEL_ID,
  PROP_READY,
  PROP_GL_ERROR,
  PROP_KEYBOARD_GRABBED,
  PROP_GUEST_WIDTH,
  PROP_GUEST_HEIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_session (GhSpiceDisplay *self,
                         SpiceSession   *session);


/* Properties the parts change */

void
_gh_spice_display_set_gl_error (GhSpiceDisplay *self,
                                const char     *message)
{
  if (g_strcmp0 (self->gl_error, message) == 0)
    return;

  g_free (self->gl_error);
  self->gl_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GL_ERROR]);
}

void
_gh_spice_display_notify_keyboard_grabbed (GhSpiceDisplay *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYBOARD_GRABBED]);
}


/* Frames */

gboolean
_gh_spice_display_have_frame (GhSpiceDisplay *self)
{
  return self->gl_mode ? self->scanout_texture != 0 : self->primary != NULL;
}

void
_gh_spice_display_get_guest_size (GhSpiceDisplay *self,
                                  int            *width,
                                  int            *height)
{
  *width = self->gl_mode ? self->scanout_width : self->width;
  *height = self->gl_mode ? self->scanout_height : self->height;
}

void
_gh_spice_display_notify_frame_change (GhSpiceDisplay *self,
                                       gboolean        was_ready)
{
  int width, height;

  _gh_spice_display_get_guest_size (self, &width, &height);

  g_object_freeze_notify (G_OBJECT (self));
  if (was_ready != _gh_spice_display_have_frame (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  if (width != self->guest_width)
    {
      self->guest_width = width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GUEST_WIDTH]);
    }
  if (height != self->guest_height)
    {
      self->guest_height = height;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GUEST_HEIGHT]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
_gh_spice_display_clear_frame (GhSpiceDisplay *self)
{
  g_clear_object (&self->frame);
  _gh_spice_display_clear_tiles (self);
  self->tiles_presented = FALSE;
}

static void
forget_primary (GhSpiceDisplay *self)
{
  _gh_spice_display_clear_tiles (self);
  self->tiles_presented = FALSE;
  /* Before the memory goes: cairo copies it for tiles that GTK still holds. */
  g_clear_pointer (&self->shadow_surface, cairo_surface_destroy);
  self->primary = NULL;
  self->width = self->height = self->stride = 0;
  g_clear_pointer (&self->shadow, g_free);
  g_clear_pointer (&self->damage, cairo_region_destroy);
  for (guint i = 0; i < N_TEXTURES; i++)
    g_clear_pointer (&self->texture_damage[i], cairo_region_destroy);
  /* The next surface fills its textures whole, even at the same size. */
  self->texture_width = self->texture_height = 0;
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

static GdkTexture *
upload_memory (GhSpiceDisplay *self)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size = (gsize) self->width * self->height * 4;

  bytes = g_bytes_new (self->shadow, size);
  return gdk_memory_texture_new (self->width, self->height,
                                 GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, self->width * 4);
}

/* Turns what changed since the last frame into one new texture, or into new tiles. */
static void
present_2d (GhSpiceDisplay *self,
            gboolean        use_tiles)
{
  GdkTexture *texture = NULL;

  if (self->damage == NULL || cairo_region_is_empty (self->damage))
    return;

  update_shadow (self);

  /* The GL textures follow the shadow under any renderer: a window of another renderer
   * may take the widget. */
  for (guint i = 0; i < N_TEXTURES; i++)
    if (self->texture_damage[i] != NULL)
      cairo_region_union (self->texture_damage[i], self->damage);

  if (use_tiles)
    _gh_spice_display_damage_tiles (self, self->damage);
  else if (_gh_spice_display_can_use_gl_textures (self))
    texture = _gh_spice_display_upload_gl (self);
  else
    texture = upload_memory (self);

  cairo_region_destroy (self->damage);
  self->damage = cairo_region_create ();

  g_clear_object (&self->frame);
  self->frame = texture;
  if (!use_tiles)
    _gh_spice_display_clear_tiles (self);
  self->tiles_presented = use_tiles;
  self->n_frames++;
}

/* The guest's frame in widget pixels (1:1 in device pixels), and how much it must be
 * scaled to fit the widget: 1 when it fits, less to scale it down keeping its aspect
 * ratio. */
static double
compute_zoom (GhSpiceDisplay *self,
              double         *width,
              double         *height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double widget_width = gtk_widget_get_width (GTK_WIDGET (self));
  double widget_height = gtk_widget_get_height (GTK_WIDGET (self));
  int guest_width, guest_height;

  _gh_spice_display_get_guest_size (self, &guest_width, &guest_height);
  *width = (double) guest_width / scale;
  *height = (double) guest_height / scale;

  if (*width <= 0 || *height <= 0 || (*width <= widget_width && *height <= widget_height))
    return 1.0;

  return MIN (widget_width / *width, widget_height / *height);
}

/* The frame's place: centred, 1:1 in device pixels when it fits, else scaled down
 * keeping its aspect ratio. */
static void
compute_area (GhSpiceDisplay  *self,
              graphene_rect_t *area)
{
  double widget_width = gtk_widget_get_width (GTK_WIDGET (self));
  double widget_height = gtk_widget_get_height (GTK_WIDGET (self));
  double width, height, factor;

  factor = compute_zoom (self, &width, &height);

  if (width <= 0 || height <= 0)
    {
      graphene_rect_init (area, 0, 0, 0, 0);
      return;
    }

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
    _gh_spice_display_present_gl (self);
  else if (self->primary != NULL)
    present_2d (self, _gh_spice_display_can_use_tiles (self));

  if (self->tiles_presented && !self->gl_mode && _gh_spice_display_have_frame (self))
    {
      compute_area (self, &self->area);
      _gh_spice_display_snapshot_tiles (self, snapshot);
      return;
    }

  gtk_snapshot_append_color (snapshot, &black,
                             &GRAPHENE_RECT_INIT (0, 0,
                                                  gtk_widget_get_width (widget),
                                                  gtk_widget_get_height (widget)));

  if (self->frame == NULL || !_gh_spice_display_have_frame (self))
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

  _gh_spice_display_get_guest_size (self, &width, &height);
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
  gboolean was_ready = _gh_spice_display_have_frame (self);
  cairo_rectangle_int_t all = { 0, 0, width, height };

  g_debug ("Display %d: primary surface %d×%d, format %d", self->channel_id,
           width, height, format);
  forget_primary (self);

  /* QEMU converts every guest mode to a 32-bit surface. */
  if (format != SPICE_SURFACE_FMT_32_xRGB && format != SPICE_SURFACE_FMT_32_ARGB)
    {
      g_warning ("Unsupported SPICE surface format %d", format);
      _gh_spice_display_notify_frame_change (self, was_ready);
      return;
    }

  self->primary = data;
  self->width = width;
  self->height = height;
  self->stride = stride;
  self->shadow = g_malloc0 ((gsize) width * height * 4);
  self->damage = cairo_region_create_rectangle (&all);
  self->gl_mode = FALSE;
  _gh_spice_display_clear_frame (self);

  _gh_spice_display_notify_frame_change (self, was_ready);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
primary_destroy_cb (SpiceDisplayChannel *channel,
                    GhSpiceDisplay      *self)
{
  gboolean was_ready = _gh_spice_display_have_frame (self);

  forget_primary (self);
  if (!self->gl_mode)
    _gh_spice_display_clear_frame (self);
  _gh_spice_display_notify_frame_change (self, was_ready);
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


/* Main channel */

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
      _gh_spice_display_watch_mouse_mode (self, self->main_channel);
      g_signal_connect_object (channel, "notify::agent-connected",
                               G_CALLBACK (agent_connected_cb), self, 0);
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

      /* A channel that was already up has its surface already. */
      if (spice_display_channel_get_primary (channel, 0, &primary))
        primary_create_cb (self->display_channel, primary.format, primary.width,
                           primary.height, primary.stride, primary.shmid, primary.data, self);
      /* After the 2D surface: a scanout it already has wins. */
      _gh_spice_display_watch_scanout (self, self->display_channel);
    }
  else if (SPICE_IS_INPUTS_CHANNEL (channel))
    {
      self->inputs_channel = SPICE_INPUTS_CHANNEL (channel);
    }
  else if (SPICE_IS_CURSOR_CHANNEL (channel))
    {
      self->cursor_channel = SPICE_CURSOR_CHANNEL (channel);
      _gh_spice_display_watch_cursor (self, self->cursor_channel);
    }
}

static void
drop_display_channel (GhSpiceDisplay *self)
{
  gboolean was_ready = _gh_spice_display_have_frame (self);

  /* Whatever was waiting for a paint must not hold up a server we leave. */
  _gh_spice_display_gl_draw_done (self);
  self->display_channel = NULL;
  forget_primary (self);
  _gh_spice_display_delete_scanout (self);
  self->gl_mode = FALSE;
  _gh_spice_display_clear_frame (self);
  _gh_spice_display_set_gl_error (self, NULL);
  _gh_spice_display_notify_frame_change (self, was_ready);
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


/* GtkWidget */

static void
gh_spice_display_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gh_spice_display_parent_class)->realize (widget);

  _gh_spice_display_gl_realize (GH_SPICE_DISPLAY (widget));
}

static void
gh_spice_display_unrealize (GtkWidget *widget)
{
  _gh_spice_display_gl_unrealize (GH_SPICE_DISPLAY (widget));

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
  _gh_spice_display_clear_frame (self);
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
      g_value_set_boolean (value, _gh_spice_display_have_frame (self));
      break;

    case PROP_GL_ERROR:
      g_value_set_string (value, self->gl_error);
      break;

    case PROP_KEYBOARD_GRABBED:
      g_value_set_boolean (value, self->keyboard_grabbed);
      break;

    case PROP_GUEST_WIDTH:
      g_value_set_int (value, self->guest_width);
      break;

    case PROP_GUEST_HEIGHT:
      g_value_set_int (value, self->guest_height);
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
  /* The guest's resolution, 0 without a frame: a 2D one changes through 0×0. */
  properties[PROP_GUEST_WIDTH] =
    g_param_spec_int ("guest-width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_GUEST_HEIGHT] =
    g_param_spec_int ("guest-height", NULL, NULL, 0, G_MAXINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "spice-display");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gh_spice_display_init (GhSpiceDisplay *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Machine display"),
                                  -1);

  _gh_spice_display_input_init (self);

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
  return _gh_spice_display_have_frame (self);
}

void
gh_spice_display_get_guest_size (GhSpiceDisplay *self,
                                 int            *width,
                                 int            *height)
{
  int w, h;

  g_return_if_fail (GH_IS_SPICE_DISPLAY (self));

  _gh_spice_display_get_guest_size (self, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

double
gh_spice_display_get_zoom (GhSpiceDisplay *self)
{
  double width, height;

  g_return_val_if_fail (GH_IS_SPICE_DISPLAY (self), 1.0);
  return compute_zoom (self, &width, &height);
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

  /* Tiles draw the shadow, which the next frame changes: the caller gets a copy. */
  if (self->tiles_presented)
    return upload_memory (self);
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
