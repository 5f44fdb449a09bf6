/* gh-e2e-keys.h: a real key's path into a console's display, for the e2e tests
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gh-spice-display.h"

G_BEGIN_DECLS

/* The display's GtkEventControllerKey, which gets every key a person types. */
GtkEventController *gh_e2e_key_controller  (GhSpiceDisplay *display);
/* One key down or up, by its keyval and Linux evdev code; a key down must be handled. */
void                gh_e2e_press           (GhSpiceDisplay *display,
                                            guint           keyval,
                                            guint           evdev_code,
                                            gboolean        down);
/* Down and up, with Shift held around it when @shift. */
void                gh_e2e_tap             (GhSpiceDisplay *display,
                                            guint           keyval,
                                            guint           evdev_code,
                                            gboolean        shift);
/* On a US keyboard: the evdev code of the key that types @c, and whether Shift is needed. */
guint               gh_e2e_evdev_for_char  (char            c,
                                            gboolean       *shift);
void                gh_e2e_type_text       (GhSpiceDisplay *display,
                                            const char     *text);

G_END_DECLS
