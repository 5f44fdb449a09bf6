/* main.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <locale.h>

#include "gh-application.h"
#include "gh-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GhApplication) app = NULL;

  /* Before anything can start a thread, and before GTK reads its environment. */
  gh_renderer_prepare ("/dev");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gh_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
