/* gh-display-test-util.h: what the display tests share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

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
