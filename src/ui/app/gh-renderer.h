/* gh-renderer.h: the renderer Greenhouse's windows draw with, chosen before the first one
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gh-core.h"

G_BEGIN_DECLS

/* What @display's OpenGL runs on, and so which renderer fits (gh-renderer-choice.h); NULL
 * @display: not known. Unless GSK_RENDERER is set, it makes and drops a GL context on
 * @display, on the thread that calls it: the main thread, before any window is realized. */
GhRendererChoice *gh_renderer_choose  (GdkDisplay             *display);

/* Makes every surface of @display that is realized from now on draw with @choice's
 * renderer, where Greenhouse picks one (gh_renderer_choice_sets_cairo()); otherwise GTK
 * picks as it would. */
void              gh_renderer_apply   (GdkDisplay             *display,
                                       const GhRendererChoice *choice);

G_END_DECLS
