/* gh-spice-keymap.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-spice-keymap.h"

/* Generated at build time from keymap.csv and linux/input-event-codes.h. */
#include "gh-spice-keymap-table.h"

/* X11 keeps keycodes 0..7 for itself, so XKB numbers keys from 8: evdev code + 8. GDK
 * passes the same numbers on Wayland. */
#define XKB_EVDEV_OFFSET 8

/* The evdev code for @hardware_keycode, or 0 (KEY_RESERVED) for one that is not a key. */
static guint
keycode_to_evdev (guint hardware_keycode)
{
  if (hardware_keycode < XKB_EVDEV_OFFSET)
    return 0;

  return hardware_keycode - XKB_EVDEV_OFFSET;
}

guint
gh_spice_keymap_from_keycode (guint hardware_keycode)
{
  guint evdev = keycode_to_evdev (hardware_keycode);

  if (evdev >= G_N_ELEMENTS (gh_spice_keymap_evdev_to_set1))
    return 0;

  return gh_spice_keymap_evdev_to_set1[evdev];
}

gboolean
gh_spice_keymap_is_pause (guint hardware_keycode)
{
  return hardware_keycode >= XKB_EVDEV_OFFSET
         && keycode_to_evdev (hardware_keycode) == GH_SPICE_KEYMAP_EVDEV_PAUSE;
}

guint
gh_spice_keymap_to_bytes (guint    scancode,
                          gboolean release,
                          guint8   bytes[2])
{
  /* spice-client-glib keeps the prefix (bits 8-9: none, E0, E1, E2) and the 7-bit code,
   * and drops everything else; the break bit is its own to set. */
  guint prefix = (scancode >> 8) & 0x3;
  guint8 code = (scancode & 0x7f) | (release ? 0x80 : 0);
  guint n = 0;

  g_return_val_if_fail (bytes != NULL, 0);

  if (prefix != 0)
    bytes[n++] = 0xe0 + (prefix - 1);
  bytes[n++] = code;

  return n;
}
