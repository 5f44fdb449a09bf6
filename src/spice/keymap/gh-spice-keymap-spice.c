/* gh-spice-keymap-spice.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-spice-keymap-spice.h"

void
gh_spice_keymap_send_pause (SpiceInputsChannel *inputs)
{
  g_return_if_fail (SPICE_IS_INPUTS_CHANNEL (inputs));

  /* All six bytes at once, as the key does. QEMU presses Pause in the guest only once it
   * has read E1 1D 45 E1 9D C5 in a row: sent as two halves, on key-down and key-up, any
   * key between them would cost the guest its Pause, and QEMU would take the bytes left
   * over as Left Ctrl and Num Lock. Each call is one message, and the messages of one
   * channel arrive in order. */
  spice_inputs_channel_key_press (inputs, GH_SPICE_KEYMAP_PAUSE_FIRST);
  spice_inputs_channel_key_press (inputs, GH_SPICE_KEYMAP_PAUSE_SECOND);
  spice_inputs_channel_key_release (inputs, GH_SPICE_KEYMAP_PAUSE_FIRST);
  spice_inputs_channel_key_release (inputs, GH_SPICE_KEYMAP_PAUSE_SECOND);
}
