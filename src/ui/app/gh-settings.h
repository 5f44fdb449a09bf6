/* gh-settings.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_SETTINGS_SCHEMA_ID           "org.greenhouse.Greenhouse"
#define GH_SETTINGS_KEY_CONNECTIONS     "connections"
#define GH_SETTINGS_KEY_WINDOW_WIDTH    "window-width"
#define GH_SETTINGS_KEY_WINDOW_HEIGHT   "window-height"
#define GH_SETTINGS_KEY_WINDOW_MAXIMIZED "window-maximized"

#define GH_TYPE_SETTINGS (gh_settings_get_type ())

/* The application's settings, typed. Without an installed schema (running from a build
 * tree by hand) it keeps the defaults in memory instead of aborting. */
G_DECLARE_FINAL_TYPE (GhSettings, gh_settings, GH, SETTINGS, GObject)

GhSettings  *gh_settings_new                 (void);
char       **gh_settings_dup_connections     (GhSettings         *self);
void         gh_settings_set_connections     (GhSettings         *self,
                                              const char * const *uris);
void         gh_settings_remember_connection (GhSettings         *self,
                                              const char         *uri);
void         gh_settings_forget_connection   (GhSettings         *self,
                                              const char         *uri);
void         gh_settings_get_window_size     (GhSettings         *self,
                                              int                *width,
                                              int                *height,
                                              gboolean           *maximized);
void         gh_settings_set_window_size     (GhSettings         *self,
                                              int                 width,
                                              int                 height,
                                              gboolean            maximized);

G_END_DECLS
