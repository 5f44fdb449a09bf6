/* gh-e2e-keys.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-e2e-keys.h"
#include "gh-e2e-util.h"

#define KEY_LEFTSHIFT 42

GtkEventController *
gh_e2e_key_controller (GhSpiceDisplay *display)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (display));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        return controller;
    }
  g_error ("GhSpiceDisplay has no key controller");
}

/* The key path of a real key: the display's GtkEventControllerKey gets the event. */
void
gh_e2e_press (GhSpiceDisplay *display,
              guint           keyval,
              guint           evdev_code,
              gboolean        down)
{
  GtkEventController *controller = gh_e2e_key_controller (display);
  gboolean handled = FALSE;

  if (down)
    g_signal_emit_by_name (controller, "key-pressed", keyval, evdev_code + 8, 0, &handled);
  else
    g_signal_emit_by_name (controller, "key-released", keyval, evdev_code + 8, 0);
  if (down)
    g_assert_true (handled);
}

void
gh_e2e_tap (GhSpiceDisplay *display,
            guint           keyval,
            guint           evdev_code,
            gboolean        shift)
{
  if (shift)
    gh_e2e_press (display, GDK_KEY_Shift_L, KEY_LEFTSHIFT, TRUE);
  gh_e2e_press (display, keyval, evdev_code, TRUE);
  gh_e2e_spin (30);
  gh_e2e_press (display, keyval, evdev_code, FALSE);
  if (shift)
    gh_e2e_press (display, GDK_KEY_Shift_L, KEY_LEFTSHIFT, FALSE);
  gh_e2e_spin (30);
}

/* A US keyboard: the evdev code of the key that types @c, and whether Shift is needed. */
guint
gh_e2e_evdev_for_char (char      c,
                       gboolean *shift)
{
  static const char *rows[] = { "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm" };
  static const guint row_start[] = { 2, 16, 30, 44 };
  static const char *shifted_digits = "!@#$%^&*()";
  const char *p;

  *shift = g_ascii_isupper (c);
  c = g_ascii_tolower (c);
  if ((p = strchr (shifted_digits, c)) != NULL)
    {
      *shift = TRUE;
      c = "1234567890"[p - shifted_digits];
    }
  if (c == ' ')
    return 57;
  if (c == ',')
    return 51;
  if (c == '.')
    return 52;
  if (c == '>')
    {
      *shift = TRUE;
      return 52;
    }
  if (c == '-')
    return 12;
  if (c == '/')
    return 53;
  if (c == '\'')
    return 40;
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    if ((p = strchr (rows[r], c)) != NULL)
      return row_start[r] + (p - rows[r]);

  g_error ("no key for '%c'", c);
}

void
gh_e2e_type_text (GhSpiceDisplay *display,
                  const char     *text)
{
  for (const char *c = text; *c != '\0'; c++)
    {
      gboolean shift;
      guint code = gh_e2e_evdev_for_char (*c, &shift);

      gh_e2e_tap (display, gdk_unicode_to_keyval (*c), code, shift);
    }
}
