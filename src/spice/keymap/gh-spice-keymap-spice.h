/* gh-spice-keymap-spice.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <spice-client.h>

#include "gh-spice-keymap.h"

G_BEGIN_DECLS

/* Presses and releases Pause in the guest: E1 1D 45 E1 9D C5, what a keyboard sends when
 * the key goes down. Call it for the key-down of a keycode that gh_spice_keymap_is_pause()
 * accepts, once per press, and send nothing for its key-up. Like
 * spice_inputs_channel_key_press(), it needs an inputs channel that has been connected;
 * on a read-only channel it sends nothing. */
void gh_spice_keymap_send_pause (SpiceInputsChannel *inputs);

G_END_DECLS
