/* gh-spice-display-private.h: shared by the parts of GhSpiceDisplay
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-spice-display.h"

G_BEGIN_DECLS

/* gh-spice-display-clipboard.c: the host's clipboard and the guest agent's, both ways.
 * Attached to a main channel while the display shows its session. */
typedef struct _GhSpiceClipboard GhSpiceClipboard;

GhSpiceClipboard *_gh_spice_clipboard_new  (GtkWidget        *widget,
                                            SpiceMainChannel *main_channel);
void              _gh_spice_clipboard_free (GhSpiceClipboard *clipboard);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhSpiceClipboard, _gh_spice_clipboard_free)

G_END_DECLS
