/* gh-spice-keymap.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the guest's keyboard sees of a key the user presses in the display.
 *
 * The SPICE inputs channel carries PC XT scan code set 1. spice-client-glib (0.33 and
 * later, so 0.42) takes a key as one guint: a make code 0x01..0x7f as it is, a key whose
 * make code is E0 xx as 0x100 | xx, and E1 xx as 0x200 | xx. spice_inputs_channel_key_press()
 * and _key_release() turn it into the bytes of the key-down or key-up message: the prefix
 * (E0 or E1) if any, then the code, with bit 7 set on release (1D → 9D, E0 1D → E0 9D).
 * Only bits 0x37f of the guint survive, so no code above 0x7f can be sent at all.
 * spice-server hands those bytes, up to the first zero byte, to QEMU one by one; QEMU reads
 * E0 as the prefix of the next byte, and its PS/2 or USB keyboard then sends the guest
 * whatever that keyboard would send for the key (the fake shifts around Print Screen,
 * 0x54 for Alt+Print Screen, Ctrl+Pause as Break).
 *
 * The keymap answers in that form, for GDK's hardware keycode: on X11 with the evdev or
 * libinput driver, under Xwayland and on Wayland, that is the XKB keycode, the Linux evdev
 * code + 8. */

/* 0 when the key has no set-1 code (or is Pause, see below). Extended keys are
 * 0x100 | code: Right Ctrl is 0x11d, Left Ctrl 0x1d. */
guint    gh_spice_keymap_from_keycode (guint hardware_keycode);

/* Pause has no single code: a keyboard sends E1 1D 45 E1 9D C5 when the key goes down,
 * make and break at once, and nothing when it comes up. QEMU's SPICE keyboard waits for
 * exactly those six bytes, in a row, before it presses Pause in the guest; any other byte
 * in between ends the wait and is taken as a key of its own (1D: Left Ctrl).
 *
 * So when this returns TRUE, send gh_spice_keymap_send_pause() (gh-spice-keymap-spice.h)
 * when the key goes down, once per press (not again for auto-repeat), and nothing when it
 * comes up; Pause is then never "held", so focus-out has nothing to release for it.
 * Never send Pause through a "press all, release in reverse" path such as Send Keys
 * (E1 1D 45 C5 E1 9D) nor as two spice_inputs_channel_key_press_and_release() calls
 * (E1 1D E1 9D 45 C5): neither is Pause, and the guest gets a stray Num Lock or Ctrl. */
gboolean gh_spice_keymap_is_pause     (guint hardware_keycode);

/* The two codes behind Pause, in spice-client-glib's form: E1 1D ("a third Ctrl") and
 * 45 (the Num Lock code). Pressing both in this order, then releasing both in the same
 * order, gives E1 1D 45 E1 9D C5. */
#define GH_SPICE_KEYMAP_PAUSE_FIRST  0x21d
#define GH_SPICE_KEYMAP_PAUSE_SECOND 0x045

/* The bytes that spice-client-glib puts on the wire for @scancode, and so the bytes the
 * guest's keyboard controller is fed: the prefix, if any, and the code, with bit 7 set
 * when @release. Returns how many bytes it wrote to @bytes (1 or 2). For tests and debug
 * logs; the display widget sends scancodes, not bytes. */
guint    gh_spice_keymap_to_bytes     (guint    scancode,
                                       gboolean release,
                                       guint8   bytes[2]);

G_END_DECLS
