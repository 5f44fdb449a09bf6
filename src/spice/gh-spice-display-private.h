/* gh-spice-display-private.h: shared by the parts of GhSpiceDisplay
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* For the scanout's EGLImageKHR. */
#include <epoxy/egl.h>

#include "gh-spice-display.h"

G_BEGIN_DECLS

/* How a frame reaches the screen.
 *
 * 2D: SPICE keeps the guest's primary surface in our memory and says which rectangles
 * changed ("display-invalidate"). Those rectangles are collected until the frame clock
 * asks us to draw; then, once per frame, they are copied into an opaque shadow (the X
 * byte of xRGB is anything, and GTK 4.8 has no format that ignores it) and from there
 * into one of two GL textures with glTexSubImage2D. Two, because GTK may still be
 * drawing the texture of the last frame while we update the other; each texture
 * remembers what it has missed. Under GSK's cairo renderer the shadow is drawn as it is,
 * in tiles that are made again only where it changed (gh-spice-display-tiles.c); under
 * any other renderer it is copied into a GdkMemoryTexture.
 *
 * GL (virgl): the guest's frame is a dmabuf. It is imported once per scanout into a GL
 * texture through an EGLImage, and each "gl-draw" presents it again; the server may
 * reuse the buffer only after spice_display_channel_gl_draw_done(), which we call once
 * the frame that shows it has been painted. */

#define N_TEXTURES 2
#define MAX_SCANCODE 0x200

typedef struct _GhSpiceClipboard GhSpiceClipboard;

struct _GhSpiceDisplay
{
  GtkWidget parent_instance;

  /* Owned references */
  SpiceSession *session;
  GhSpiceClipboard *clipboard;
  GdkGLContext *gl_context;       /* NULL: memory textures */
  GdkTexture *frame;              /* the frame presented last, unless in tiles */
  guint8 *shadow;                 /* opaque copy of the primary, rows of width * 4 */
  cairo_surface_t *shadow_surface; /* the shadow, for the tiles */
  GskRenderNode **tiles;          /* n_tiles_x × n_tiles_y; NULL: to be made again */
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

  /* The tiles: for this place of the frame and scale factor. */
  graphene_rect_t tiles_area;
  int tiles_scale;
  int n_tiles_x;
  int n_tiles_y;
  guint tiles_presented : 1;      /* the frame presented last is the tiles' */

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
  int guest_width;                /* as "guest-width" and "guest-height" last said */
  int guest_height;
};


/* gh-spice-display.c: state the parts read, and the properties they change. */
gboolean    _gh_spice_display_have_frame              (GhSpiceDisplay      *self);
void        _gh_spice_display_get_guest_size          (GhSpiceDisplay      *self,
                                                       int                 *width,
                                                       int                 *height);
void        _gh_spice_display_notify_frame_change     (GhSpiceDisplay      *self,
                                                       gboolean             was_ready);
void        _gh_spice_display_set_gl_error            (GhSpiceDisplay      *self,
                                                       const char          *message);
void        _gh_spice_display_notify_keyboard_grabbed (GhSpiceDisplay      *self);
/* Forgets the frame presented last, whichever way it was drawn. */
void        _gh_spice_display_clear_frame             (GhSpiceDisplay      *self);

/* gh-spice-display-gl.c: the GL context, the 2D frame's GL textures, and the guest's GL
 * scanout (a dmabuf). */
void        _gh_spice_display_gl_realize              (GhSpiceDisplay      *self);
void        _gh_spice_display_gl_unrealize            (GhSpiceDisplay      *self);
gboolean    _gh_spice_display_can_use_gl_textures     (GhSpiceDisplay      *self);
GdkTexture *_gh_spice_display_upload_gl               (GhSpiceDisplay      *self);
/* Follows the scanout of @channel, and imports the one it has already. */
void        _gh_spice_display_watch_scanout           (GhSpiceDisplay      *self,
                                                       SpiceDisplayChannel *channel);
void        _gh_spice_display_present_gl              (GhSpiceDisplay      *self);
void        _gh_spice_display_gl_draw_done            (GhSpiceDisplay      *self);
void        _gh_spice_display_delete_scanout          (GhSpiceDisplay      *self);

/* gh-spice-display-tiles.c: the 2D frame under GSK's cairo renderer. */
gboolean    _gh_spice_display_can_use_tiles           (GhSpiceDisplay      *self);
void        _gh_spice_display_damage_tiles            (GhSpiceDisplay      *self,
                                                       const cairo_region_t *damage);
void        _gh_spice_display_snapshot_tiles          (GhSpiceDisplay      *self,
                                                       GtkSnapshot         *snapshot);
void        _gh_spice_display_clear_tiles             (GhSpiceDisplay      *self);

/* gh-spice-display-input.c: keyboard, pointer and their grabs; the guest's cursor. */
void        _gh_spice_display_input_init              (GhSpiceDisplay      *self);
void        _gh_spice_display_watch_mouse_mode        (GhSpiceDisplay      *self,
                                                       SpiceMainChannel    *channel);
void        _gh_spice_display_watch_cursor            (GhSpiceDisplay      *self,
                                                       SpiceCursorChannel  *channel);

/* gh-spice-display-clipboard.c: the host's clipboard and the guest agent's, both ways.
 * Attached to a main channel while the display shows its session. */
GhSpiceClipboard *_gh_spice_clipboard_new  (GtkWidget        *widget,
                                            SpiceMainChannel *main_channel);
void              _gh_spice_clipboard_free (GhSpiceClipboard *clipboard);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSpiceClipboard, _gh_spice_clipboard_free)

G_END_DECLS
