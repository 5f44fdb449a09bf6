/* test-renderer.c: the renderer Greenhouse's windows draw with, chosen at startup
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * meson registers this three times: as is (under Xvfb GL runs on llvmpipe, so the windows
 * must draw with cairo), with GSK_RENDERER=gl (the user's choice wins: GTK's GL renderer),
 * and prepared as main () does where there is no GPU device (GL never loaded).
 */

#include <glib/gstdio.h>
#include <string.h>

#include "gh-display-test-util.h"
#include "gh-renderer.h"
#include "gh-test-util.h"
#include "gh-window.h"

/* The empty /dev of test-renderer-no-gpu, made before GTK starts. */
static char *no_gpu_dev;

static gboolean
is_gl_renderer (GskRenderer *renderer)
{
  /* GTK 4.8 keeps the GL renderer's header out of gsk.h, but registers its type. */
  return g_type_is_a (G_OBJECT_TYPE (renderer), g_type_from_name ("GskGLRenderer"));
}

/* What a user sees after startup: the main window and a popover of it. */
static void
assert_windows_draw_with (GhApplication *app,
                          gboolean       cairo)
{
  GtkWindow *window = GTK_WINDOW (gh_window_new (GTK_APPLICATION (app),
                                                 gh_application_get_connections (app)));
  GtkWidget *button = gtk_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GskRenderer *renderer;

  gtk_window_present (window);
  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)), "the window to be shown");
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_test_message ("window: %s", G_OBJECT_TYPE_NAME (renderer));
  if (cairo)
    g_assert_true (GSK_IS_CAIRO_RENDERER (renderer));
  else
    g_assert_true (is_gl_renderer (renderer));

  /* A popover has a surface, and a renderer, of its own. */
  gtk_popover_set_child (GTK_POPOVER (popover), gtk_label_new ("popover"));
  gtk_widget_set_parent (popover, button);
  gtk_widget_set_parent (button, GTK_WIDGET (window));
  gtk_popover_popup (GTK_POPOVER (popover));
  gh_test_wait_until (gtk_widget_get_mapped (popover), "the popover to be shown");
  renderer = gtk_native_get_renderer (GTK_NATIVE (popover));
  g_test_message ("popover: %s", G_OBJECT_TYPE_NAME (renderer));
  if (cairo)
    g_assert_true (GSK_IS_CAIRO_RENDERER (renderer));
  else
    g_assert_true (is_gl_renderer (renderer));

  gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_unparent (popover);
  gtk_widget_unparent (button);
  gtk_window_destroy (window);
}

/* GSK_RENDERER unset: GL in software means cairo for every window, GL on a GPU is left
 * to GTK. */
static void
test_chosen (void)
{
  g_autoptr(GhApplication) app = NULL;
  g_autoptr(GhRendererChoice) choice = NULL;
  g_autofree char *description = NULL;

  if (g_getenv ("GSK_RENDERER") != NULL)
    {
      g_test_skip ("GSK_RENDERER is set: the user's choice is tested instead");
      return;
    }
  if (no_gpu_dev != NULL)
    {
      g_test_skip ("GL is off in this run: /display/renderer/no-gpu tests it");
      return;
    }

  app = gh_display_test_new_registered_app ("RendererTest");
  choice = gh_renderer_choose (gdk_display_get_default ());
  description = gh_renderer_choice_dup_description (choice);
  g_test_message ("renderer: %s", description);
  if (choice->reason == GH_RENDERER_REASON_GPU)
    {
      g_test_skip ("GL runs on a GPU on this display: GTK keeps its GL renderer, and the "
                   "cairo choice cannot be tested (Xvfb's GL is llvmpipe)");
      return;
    }
  g_assert_true (gh_renderer_choice_sets_cairo (choice));

  assert_windows_draw_with (app, TRUE);
}

/* GSK_RENDERER=gl (meson's second run): the user's choice wins over llvmpipe. */
static void
test_user (void)
{
  static const char * const gl_names[] = { "gl", "ngl", "opengl", NULL };
  const char *user = g_getenv ("GSK_RENDERER");
  g_autoptr(GhApplication) app = NULL;
  g_autoptr(GhRendererChoice) choice = NULL;
  g_autoptr(GError) error = NULL;

  if (user == NULL)
    {
      g_test_skip ("GSK_RENDERER is not set: test-renderer-user sets it");
      return;
    }
  if (!g_strv_contains (gl_names, user) && g_strcmp0 (user, "cairo") != 0)
    {
      g_test_skip ("GSK_RENDERER names neither GL nor cairo");
      return;
    }

  app = gh_display_test_new_registered_app ("RendererTest");
  choice = gh_renderer_choose (gdk_display_get_default ());
  g_assert_cmpint (choice->reason, ==, GH_RENDERER_REASON_USER);
  g_assert_cmpstr (choice->renderer, ==, user);
  g_assert_false (gh_renderer_choice_sets_cairo (choice));

  if (g_strv_contains (gl_names, user)
      && !gdk_display_prepare_gl (gdk_display_get_default (), &error))
    {
      g_test_skip_printf ("No GL on this display (%s): GTK falls back to cairo",
                          error->message);
      return;
    }

  assert_windows_draw_with (app, g_strcmp0 (user, "cairo") == 0);
}

/* test-renderer-no-gpu (meson's third run) prepared the process as main () does on a
 * computer without a GPU device: GL is never loaded, and every window draws with cairo. */
static void
test_no_gpu (void)
{
  g_autoptr(GhApplication) app = NULL;
  g_autoptr(GhRendererChoice) choice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *maps = NULL;

  if (no_gpu_dev == NULL)
    {
      g_test_skip ("a GPU device may exist: test-renderer-no-gpu runs this without one");
      return;
    }

  g_assert_nonnull (strstr (g_getenv ("GDK_DEBUG"), "gl-disable"));
  app = gh_display_test_new_registered_app ("RendererTest");
  choice = gh_renderer_choose (gdk_display_get_default ());
  g_assert_cmpint (choice->reason, ==, GH_RENDERER_REASON_NO_GPU);
  g_assert_true (gh_renderer_choice_sets_cairo (choice));
  g_assert_false (gdk_display_prepare_gl (gdk_display_get_default (), &error));

  assert_windows_draw_with (app, TRUE);

  /* What it is for: no GL driver, and so no LLVM, in the process. */
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  g_assert_null (strstr (maps, "_dri.so"));
  g_assert_null (strstr (maps, "libLLVM"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before GTK starts, as main () does, with a /dev of its own that has no GPU. */
  if (g_getenv ("GH_TEST_RENDERER_NO_GPU") != NULL)
    {
      no_gpu_dev = g_dir_make_tmp ("gh-renderer-dev-XXXXXX", NULL);
      gh_renderer_prepare (no_gpu_dev);
    }

  if (!gh_display_test_init (&argc, &argv))
    return 1;

  /* One of the two runs, as the environment says; the other skips. */
  g_test_add_func ("/display/renderer/chosen", test_chosen);
  g_test_add_func ("/display/renderer/user", test_user);
  g_test_add_func ("/display/renderer/no-gpu", test_no_gpu);

  status = g_test_run ();
  if (no_gpu_dev != NULL)
    g_rmdir (no_gpu_dev);
  return status;
}
