/* gh-ui-toast.h: adding a toast to an overlay, safely on libadwaita 1.2.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Adds @toast to @overlay, taking the reference it is given, as
 * adw_toast_overlay_add_toast() does. Every toast of an overlay comes in through here:
 * on libadwaita 1.2 a dismissal that comes while one of the overlay's toasts is still
 * sliding in waits until it is in (gh-ui-toast.c says why). */
void gh_ui_add_toast (AdwToastOverlay *overlay,
                      AdwToast        *toast);

/* The same for an AdwPreferencesWindow, whose toast overlay is its own: found among its
 * children. Were it not there (a libadwaita that builds the window otherwise), the toast
 * goes to adw_preferences_window_add_toast(), as before. */
void gh_ui_add_window_toast (AdwPreferencesWindow *window,
                             AdwToast             *toast);

G_END_DECLS
