/* gh-display-test-util.h: what the display tests share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-application.h"

G_BEGIN_DECLS

/* What gh_test_init() does, in a UTF-8 locale, and GTK on the display; FALSE, with the
 * reason told to the TAP reader, when there is no display. */
gboolean          gh_display_test_init                (int        *argc,
                                                       char     ***argv);

/* An application with an id of its own, "org.greenhouse.Greenhouse.@name<n>"… */
GhApplication    *gh_display_test_new_app             (const char *name);
/* …and one registered too, as every test but a command line's needs. */
GhApplication    *gh_display_test_new_registered_app  (const char *name);
/* Adds @uri to @app's connections (not remembered) and waits until it connects. */
GhConnection     *gh_display_test_add_connection      (GhApplication *app,
                                                       const char    *uri);
/* Destroys every window @app has. */
void              gh_display_test_destroy_windows     (GhApplication *app);

/* Renders @window as it is once the main loop has turned a little into
 * GREENHOUSE_ARTIFACTS_DIR/@file_name (the temporary folder without it) and returns the
 * PNG's path. */
char             *gh_display_test_save_screenshot     (GtkWidget  *window,
                                                       const char *file_name);
/* Fails unless @path is a PNG of more than @min_size bytes: a blank window compresses to
 * a few hundred, text and icons do not. */
void              gh_display_test_assert_png          (const char *path,
                                                       gsize       min_size);
/* The message dialog on screen, if any. */
AdwMessageDialog *gh_display_test_find_message_dialog (void);

G_END_DECLS
