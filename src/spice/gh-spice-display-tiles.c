/* gh-spice-display-tiles.c: the 2D frame under GSK's cairo renderer, as tiles
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-spice-display-private.h"

/* Under the cairo renderer a texture costs twice: GTK 4.8 draws a texture node by
 * downloading the whole texture into a new cairo surface, every time it draws the node,
 * and a new texture is a new node, which GTK's render-node diff repaints whole. So the
 * frame is drawn from the shadow itself, wrapped once in a cairo image surface (RGB24
 * reads xRGB as it is), in tiles: each tile a cairo node kept from frame to frame and
 * made again only when the guest changed it. GTK's diff finds the tiles that are new
 * and the renderer repaints those alone.
 *
 * A cairo node records its drawing: the recording holds a snapshot of the shadow's cairo
 * surface, which in cairo 1.16 copies nothing until the surface is changed through cairo
 * (drawn on, flushed, marked dirty, finished). The shadow is only written to as memory,
 * so a tile replays what the shadow holds when it is painted; and a tile made before a
 * change of the tile's pixels is always replaced by one made after it, in the same
 * snapshot that changed them. When the surface goes, cairo copies it for tiles still
 * held (by GTK's last render nodes): once per resolution change, never per frame.
 *
 * The shadow, not SPICE's primary: QEMU writes into the primary before it says what it
 * wrote, and a tile shows more than what was said; the shadow holds only what was
 * presented, as the GL textures do. Copying the damage into it is cheap beside drawing. */

/* Tiles are bands as wide as the frame (up to 4096 px) and 16 px high, a text row of the
 * guest's console. GTK 4.8's cairo renderer draws every node of the window in each
 * repaint, also the ones outside the repainted region (cairo then clips them away), so
 * each tile costs a recording, a pattern and a rejected paint in every frame, whatever
 * changed: fewer tiles cost less. Pixels outside the change cost little beside that: a
 * band repaints a blinking cursor 800 px wide, which is 50 KB to copy. Measured with
 * tests/bench/console-fps on the text guest (one 800×16 row changing 12 times a second),
 * Greenhouse's CPU against remote-viewer's went from 1.8x with 128×128 tiles to 1.4x
 * with 128×32 and 1.2x with these; on the full-frame guest it stayed at remote-viewer's.
 * GTK gives up on a diff of more than 30 rectangles and repaints all; neighbouring bands
 * merge into one rectangle, so only changes in more than 30 separate rows get there. */
#define TILE_WIDTH 4096
#define TILE_HEIGHT 16

/* GTK 4.8 has no function that says which renderer draws a widget; its type does. */
gboolean
_gh_spice_display_can_use_tiles (GhSpiceDisplay *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}

void
_gh_spice_display_clear_tiles (GhSpiceDisplay *self)
{
  if (self->tiles != NULL)
    {
      for (int i = 0; i < self->n_tiles_x * self->n_tiles_y; i++)
        g_clear_pointer (&self->tiles[i], gsk_render_node_unref);
      g_clear_pointer (&self->tiles, g_free);
    }
  self->n_tiles_x = self->n_tiles_y = 0;
}

/* The frame's place in device pixels of the widget, whole numbers: compute_area ()
 * rounds it down in widget pixels. */
static void
get_device_area (GhSpiceDisplay        *self,
                 cairo_rectangle_int_t *r)
{
  r->x = (int) self->tiles_area.origin.x * self->tiles_scale;
  r->y = (int) self->tiles_area.origin.y * self->tiles_scale;
  r->width = (int) self->tiles_area.size.width * self->tiles_scale;
  r->height = (int) self->tiles_area.size.height * self->tiles_scale;
}

/* Drops the tiles that show any of @damage (guest pixels). */
void
_gh_spice_display_damage_tiles (GhSpiceDisplay       *self,
                                const cairo_region_t *damage)
{
  int n = cairo_region_num_rectangles (damage);
  int margin = 0;
  cairo_rectangle_int_t device;

  if (self->tiles == NULL)
    return;

  /* A frame scaled down blends each device pixel from the guest pixels around it: a
   * change reaches the tiles beside it by up to a pixel of the widget. */
  get_device_area (self, &device);
  if (device.width < self->width || device.height < self->height)
    margin = MAX ((self->width + device.width - 1) / MAX (device.width, 1),
                  (self->height + device.height - 1) / MAX (device.height, 1)) + 1;

  for (int k = 0; k < n; k++)
    {
      cairo_rectangle_int_t r;
      int x0, y0, x1, y1;

      cairo_region_get_rectangle (damage, k, &r);
      x0 = MAX (r.x - margin, 0) / TILE_WIDTH;
      y0 = MAX (r.y - margin, 0) / TILE_HEIGHT;
      x1 = MIN ((MIN (r.x + r.width + margin, self->width) - 1) / TILE_WIDTH,
                self->n_tiles_x - 1);
      y1 = MIN ((MIN (r.y + r.height + margin, self->height) - 1) / TILE_HEIGHT,
                self->n_tiles_y - 1);

      for (int ty = y0; ty <= y1; ty++)
        for (int tx = x0; tx <= x1; tx++)
          g_clear_pointer (&self->tiles[ty * self->n_tiles_x + tx], gsk_render_node_unref);
    }
}

/* Where guest column or row @i of @size starts in the frame at @origin, @extent device
 * pixels long, in widget pixels: on a device pixel's edge, so that the tiles meet
 * without a seam however the frame is scaled. */
static double
tile_edge (int origin,
           int extent,
           int size,
           int i,
           int scale)
{
  return (origin + ((gint64) i * extent * 2 + size) / (2 * size)) / (double) scale;
}

static GskRenderNode *
make_tile (GhSpiceDisplay *self,
           int             tx,
           int             ty)
{
  const graphene_rect_t *area = &self->tiles_area;
  int scale = self->tiles_scale;
  int gx0 = tx * TILE_WIDTH;
  int gy0 = ty * TILE_HEIGHT;
  int gx1 = MIN (gx0 + TILE_WIDTH, self->width);
  int gy1 = MIN (gy0 + TILE_HEIGHT, self->height);
  cairo_rectangle_int_t d;
  double x0, y0, x1, y1;
  GskRenderNode *node;
  cairo_t *cr;

  get_device_area (self, &d);
  x0 = tile_edge (d.x, d.width, self->width, gx0, scale);
  y0 = tile_edge (d.y, d.height, self->height, gy0, scale);
  x1 = tile_edge (d.x, d.width, self->width, gx1, scale);
  y1 = tile_edge (d.y, d.height, self->height, gy1, scale);
  node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));

  /* The context is clipped to the tile: the source is the whole shadow, so that a
   * scaled frame blends across the tiles' edges as it does inside them. */
  cr = gsk_cairo_node_get_draw_context (node);
  cairo_translate (cr, area->origin.x, area->origin.y);
  cairo_scale (cr, area->size.width / self->width, area->size.height / self->height);
  cairo_set_source_surface (cr, self->shadow_surface, 0, 0);
  if (d.width == self->width && d.height == self->height)
    cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);

  return node;
}

/* Black around the frame, and the frame: the tiles it had, and new ones where the
 * guest changed. */
void
_gh_spice_display_snapshot_tiles (GhSpiceDisplay *self,
                                  GtkSnapshot    *snapshot)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int scale = gtk_widget_get_scale_factor (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  const graphene_rect_t *area = &self->area;
  GdkRGBA black = { 0, 0, 0, 1 };
  float right = area->origin.x + area->size.width;
  float bottom = area->origin.y + area->size.height;

  if (self->tiles != NULL &&
      (!graphene_rect_equal (area, &self->tiles_area) || scale != self->tiles_scale))
    _gh_spice_display_clear_tiles (self);

  if (self->tiles == NULL)
    {
      if (self->shadow_surface == NULL)
        self->shadow_surface =
          cairo_image_surface_create_for_data (self->shadow, CAIRO_FORMAT_RGB24,
                                               self->width, self->height, self->width * 4);
      self->tiles_area = *area;
      self->tiles_scale = scale;
      self->n_tiles_x = (self->width + TILE_WIDTH - 1) / TILE_WIDTH;
      self->n_tiles_y = (self->height + TILE_HEIGHT - 1) / TILE_HEIGHT;
      self->tiles = g_new0 (GskRenderNode *, self->n_tiles_x * self->n_tiles_y);
    }

  /* Around the frame only: black under it would be painted again with every tile. */
  gtk_snapshot_append_color (snapshot, &black,
                             &GRAPHENE_RECT_INIT (0, 0, width, area->origin.y));
  gtk_snapshot_append_color (snapshot, &black,
                             &GRAPHENE_RECT_INIT (0, bottom, width, height - bottom));
  gtk_snapshot_append_color (snapshot, &black,
                             &GRAPHENE_RECT_INIT (0, area->origin.y,
                                                  area->origin.x, area->size.height));
  gtk_snapshot_append_color (snapshot, &black,
                             &GRAPHENE_RECT_INIT (right, area->origin.y,
                                                  width - right, area->size.height));

  for (int ty = 0; ty < self->n_tiles_y; ty++)
    for (int tx = 0; tx < self->n_tiles_x; tx++)
      {
        GskRenderNode **tile = &self->tiles[ty * self->n_tiles_x + tx];

        if (*tile == NULL)
          *tile = make_tile (self, tx, ty);
        gtk_snapshot_append_node (snapshot, *tile);
      }
}
