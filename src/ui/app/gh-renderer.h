/* gh-renderer.h: the renderer Greenhouse's windows draw with, chosen before the first one
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gh-core.h"

G_BEGIN_DECLS

/* Before GTK starts (from main (), while the process has one thread): where this computer
 * has no GPU device (gh_renderer_has_gpu_device (@dev_dir)) and the user chose no
 * renderer, turns GTK's OpenGL off for this process (GDK_DEBUG=gl-disable), so that no GL
 * library is loaded at all; gh_renderer_choose() then says so. @dev_dir: "/dev". */
void              gh_renderer_prepare (const char             *dev_dir);

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
