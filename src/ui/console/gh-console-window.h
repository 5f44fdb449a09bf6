/* gh-console-window.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"
#include "gh-spice-display.h"

G_BEGIN_DECLS

#define GH_TYPE_CONSOLE_WINDOW (gh_console_window_get_type ())

/* One machine's display, with its power, keys, USB, screenshot and fullscreen controls.
 * Closing it disconnects the display and leaves the machine as it is. */
G_DECLARE_FINAL_TYPE (GhConsoleWindow, gh_console_window, GH, CONSOLE_WINDOW,
                      AdwApplicationWindow)

GhConsoleWindow *gh_console_window_new         (GtkApplication  *application,
                                                GhMachine       *machine);
GhMachine       *gh_console_window_get_machine (GhConsoleWindow *self);
/* The widget that draws the machine's display: the window has one for its whole life. */
GhSpiceDisplay  *gh_console_window_get_display (GhConsoleWindow *self);
/* TRUE while the window says the keyboard and mouse were disconnected. */
gboolean         gh_console_window_get_inputs_lost_shown (GhConsoleWindow *self);
/* Whether the window shows the machine with @uuid on the connection @uri. */
gboolean         gh_console_window_is_for      (GhConsoleWindow *self,
                                                const char      *uri,
                                                const char      *uuid);

G_END_DECLS
