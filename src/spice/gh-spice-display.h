/* gh-spice-display.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <spice-client.h>

G_BEGIN_DECLS

#define GH_TYPE_SPICE_DISPLAY (gh_spice_display_get_type ())

G_DECLARE_FINAL_TYPE (GhSpiceDisplay, gh_spice_display, GH, SPICE_DISPLAY, GtkWidget)

/* Draws display channel @channel_id of @session, and sends it input, cursor, resize and
 * clipboard. The session may be connected before or after. */
GtkWidget  *gh_spice_display_new                 (SpiceSession    *session,
                                                  int              channel_id);
SpiceSession *gh_spice_display_get_session       (GhSpiceDisplay  *self);
void        gh_spice_display_set_session         (GhSpiceDisplay  *self,
                                                  SpiceSession    *session);

/* TRUE once the guest has shown a frame (a 2D surface or a GL scanout). */
gboolean    gh_spice_display_get_ready           (GhSpiceDisplay  *self);
/* The guest's resolution in guest pixels, 0×0 before the first frame ("guest-width" and
 * "guest-height" notify its changes). */
void        gh_spice_display_get_guest_size      (GhSpiceDisplay  *self,
                                                  int             *width,
                                                  int             *height);
/* How much the frame is scaled to fit the widget: 1.0 while it shows 1:1 in device pixels
 * (and without a frame), less when it is scaled down. */
double      gh_spice_display_get_zoom            (GhSpiceDisplay  *self);
/* Why a GL scanout could not be shown, or NULL. */
const char *gh_spice_display_get_gl_error        (GhSpiceDisplay  *self);
/* TRUE while the keyboard is grabbed: system shortcuts go to the guest. */
gboolean    gh_spice_display_get_keyboard_grabbed (GhSpiceDisplay *self);
/* How many frames were presented (given to GTK to draw) so far. */
guint64     gh_spice_display_get_n_frames        (GhSpiceDisplay  *self);

/* A new reference to the frame last presented, or NULL before the first. */
GdkTexture *gh_spice_display_dup_frame           (GhSpiceDisplay  *self);

/* Presses @scancodes in order, then releases them in reverse: "Send Keys". Scancodes are
 * PC XT set 1, extended ones as 0x100 | code. */
void        gh_spice_display_send_keys           (GhSpiceDisplay  *self,
                                                  const guint     *scancodes,
                                                  guint            n_scancodes);
void        gh_spice_display_release_keys        (GhSpiceDisplay  *self);

G_END_DECLS
