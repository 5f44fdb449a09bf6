/* gh-text.h: text that may be written into libvirt XML as it is
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  GH_TEXT_LINE,    /* a name or a title: one line */
  GH_TEXT_LINES,   /* a description: tabs and line breaks too */
  GH_TEXT_PATH,    /* a file name, which must be UTF-8 to be written faithfully */
} GhTextKind;

/* TRUE when @text is valid UTF-8 without control characters (U+0000-U+001F, U+007F and
 * U+0080-U+009F; @kind GH_TEXT_LINES allows tab, line feed and carriage return). Else
 * a GH_ERROR_FAILED "@what: why" (only "why" when @what is NULL), naming the character
 * or, for a path, the file as GLib displays it. Such text is refused, never changed:
 * XML 1.0 cannot hold it, and a changed path would be another file. */
gboolean            gh_text_check                (const char      *text,
                                                  GhTextKind       kind,
                                                  const char      *what,
                                                  GError         **error);

/* @text for a message: valid UTF-8, each control character as U+FFFD. */
char               *gh_text_dup_display          (const char      *text);

G_END_DECLS
