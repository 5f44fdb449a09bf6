/* gh-text.c: text that may be written into libvirt XML as it is
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-error-private.h"
#include "gh-text.h"

static gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

char *
gh_text_dup_display (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, is_control (c) ? 0xfffd : c);
    }

  return g_string_free (out, FALSE);
}

gboolean
gh_text_check (const char  *text,
               GhTextKind   kind,
               const char  *what,
               GError     **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    {
      if (kind == GH_TEXT_PATH)
        {
          g_autofree char *display = g_filename_display_name (text);

          /* Translators: a file name */
          detail = g_strdup_printf (_("the file name “%s” is not UTF-8 text, which a "
                                      "machine’s definition cannot hold; rename the file"),
                                    display);
        }
      else
        detail = g_strdup (_("it is not valid UTF-8 text"));
    }
  else
    {
      for (const char *p = text; *p != '\0' && detail == NULL; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (!is_control (c))
            continue;
          if (kind == GH_TEXT_LINES && (c == '\t' || c == '\n' || c == '\r'))
            continue;

          if (kind == GH_TEXT_PATH)
            {
              g_autofree char *display = gh_text_dup_display (text);

              /* Translators: a file name, then a character's code like "U+0007" */
              detail = g_strdup_printf (_("the file name “%s” contains an invisible control "
                                          "character (U+%04X); rename the file"), display, c);
            }
          else
            /* Translators: a character's code, like "U+0007" */
            detail = g_strdup_printf (_("it contains an invisible control character (U+%04X)"),
                                      c);
        }
    }

  if (detail == NULL)
    return TRUE;

  _gh_error_set (error, GH_ERROR_FAILED, what, detail);
  return FALSE;
}
