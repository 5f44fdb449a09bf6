/* gh-spice-display-input.c: keyboard and pointer of GhSpiceDisplay, and their grabs
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-spice-display-private.h"
#include "gh-spice-keymap-spice.h"

/* Keys go to the guest as scancodes while the display has the focus, and the host's
 * system shortcuts are inhibited meanwhile; Ctrl+Alt gives the keyboard back until the
 * next click or focus. The pointer is sent as absolute positions when the guest takes them
 * (client mouse mode), else as relative moves. */


/* Pointer */

static void
mouse_mode_cb (SpiceMainChannel *channel,
               GParamSpec       *pspec,
               GhSpiceDisplay   *self)
{
  int mode = 0;

  g_object_get (channel, "mouse-mode", &mode, NULL);
  self->client_mouse = mode == SPICE_MOUSE_MODE_CLIENT;
}

void
_gh_spice_display_watch_mouse_mode (GhSpiceDisplay   *self,
                                    SpiceMainChannel *channel)
{
  g_signal_connect_object (channel, "notify::mouse-mode", G_CALLBACK (mouse_mode_cb), self, 0);
  mouse_mode_cb (channel, NULL, self);
}

static gboolean
to_guest (GhSpiceDisplay *self,
          double          x,
          double          y,
          int            *guest_x,
          int            *guest_y)
{
  int width, height;

  _gh_spice_display_get_guest_size (self, &width, &height);
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

void
_gh_spice_display_watch_cursor (GhSpiceDisplay     *self,
                                SpiceCursorChannel *channel)
{
  g_signal_connect_object (channel, "notify::cursor", G_CALLBACK (cursor_shape_cb), self, 0);
  g_signal_connect_object (channel, "cursor-hide", G_CALLBACK (cursor_hide_cb), self, 0);
  g_signal_connect_object (channel, "cursor-reset", G_CALLBACK (cursor_reset_cb), self, 0);
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

  _gh_spice_display_notify_keyboard_grabbed (self);
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


/* Controllers */

void
_gh_spice_display_input_init (GhSpiceDisplay *self)
{
  GtkEventController *controller;

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
}


/* Send Keys */

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
