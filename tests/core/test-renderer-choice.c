/* test-renderer-choice.c: which renderer Greenhouse's windows draw with, from what the
 * display says
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "gh-test-util.h"

/* GL_RENDERER strings as Mesa and the drivers spell them. */
static const char * const software[] = {
  "llvmpipe (LLVM 15.0.6, 256 bits)",
  "softpipe",
  "Mesa DRI swrast",
  "Software Rasterizer",
  "zink (llvmpipe (LLVM 15.0.6, 256 bits))",
};
static const char * const gpus[] = {
  "Mesa Intel(R) UHD Graphics 630 (CFL GT2)",
  "AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49, 6.1.0-13-amd64)",
  "NVIDIA GeForce RTX 3060/PCIe/SSE2",
  "virgl (Mesa Intel(R) UHD Graphics 630 (CFL GT2))",
};

/* GL in software: cairo, set by Greenhouse, and the report says why. */
static void
test_software (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    {
      g_autoptr(GhRendererChoice) choice = gh_renderer_choice_new (NULL, software[i], NULL);
      g_autofree char *description = gh_renderer_choice_dup_description (choice);
      g_autofree char *expected = g_strdup_printf ("cairo (GL would run in software: %s)",
                                                   software[i]);

      g_assert_cmpint (choice->reason, ==, GH_RENDERER_REASON_SOFTWARE);
      g_assert_cmpstr (choice->renderer, ==, "cairo");
      g_assert_cmpstr (choice->gl_renderer, ==, software[i]);
      g_assert_true (gh_renderer_choice_sets_cairo (choice));
      g_assert_cmpstr (description, ==, expected);
    }
}

/* GL on a GPU: GTK's own GL renderer, left alone. */
static void
test_gpu (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (gpus); i++)
    {
      g_autoptr(GhRendererChoice) choice = gh_renderer_choice_new (NULL, gpus[i], NULL);
      g_autofree char *description = gh_renderer_choice_dup_description (choice);
      g_autofree char *expected = g_strdup_printf ("gl (GPU: %s)", gpus[i]);

      g_assert_cmpint (choice->reason, ==, GH_RENDERER_REASON_GPU);
      g_assert_cmpstr (choice->renderer, ==, "gl");
      g_assert_false (gh_renderer_choice_sets_cairo (choice));
      g_assert_cmpstr (description, ==, expected);
    }
}

/* No GL context: cairo, which GTK would fall back to after failing with GL. */
static void
test_no_gl (void)
{
  g_autoptr(GhRendererChoice) why = gh_renderer_choice_new (NULL, NULL,
                                                            "GL support disabled via GDK_DEBUG");
  g_autoptr(GhRendererChoice) silent = gh_renderer_choice_new (NULL, NULL, NULL);
  g_autofree char *described = gh_renderer_choice_dup_description (why);
  g_autofree char *described_silent = gh_renderer_choice_dup_description (silent);

  g_assert_cmpint (why->reason, ==, GH_RENDERER_REASON_NO_GL);
  g_assert_cmpstr (why->renderer, ==, "cairo");
  g_assert_null (why->gl_renderer);
  g_assert_true (gh_renderer_choice_sets_cairo (why));
  g_assert_cmpstr (described, ==, "cairo (no OpenGL: GL support disabled via GDK_DEBUG)");
  g_assert_cmpstr (gh_renderer_reason_to_string (why->reason), ==, "no-gl");

  g_assert_cmpint (silent->reason, ==, GH_RENDERER_REASON_NO_GL);
  g_assert_cmpstr (described_silent, ==, "cairo (no OpenGL)");
}

/* GSK_RENDERER wins over what GL runs on, whatever it names; empty is not set. */
static void
test_user (void)
{
  g_autoptr(GhRendererChoice) gl = gh_renderer_choice_new ("gl", software[0], NULL);
  g_autoptr(GhRendererChoice) cairo = gh_renderer_choice_new ("cairo", gpus[0], NULL);
  g_autoptr(GhRendererChoice) empty = gh_renderer_choice_new ("", software[0], NULL);
  g_autofree char *described = gh_renderer_choice_dup_description (gl);

  g_assert_cmpint (gl->reason, ==, GH_RENDERER_REASON_USER);
  g_assert_cmpstr (gl->renderer, ==, "gl");
  g_assert_false (gh_renderer_choice_sets_cairo (gl));
  g_assert_cmpstr (described, ==, "gl (chosen with GSK_RENDERER)");
  g_assert_cmpstr (gh_renderer_reason_to_string (gl->reason), ==, "user");

  /* GTK reads GSK_RENDERER=cairo itself: nothing for Greenhouse to set. */
  g_assert_cmpint (cairo->reason, ==, GH_RENDERER_REASON_USER);
  g_assert_false (gh_renderer_choice_sets_cairo (cairo));

  g_assert_cmpint (empty->reason, ==, GH_RENDERER_REASON_SOFTWARE);
}

static void
test_not_known (void)
{
  g_autoptr(GhRendererChoice) choice = gh_renderer_choice_new_not_known ();
  g_autoptr(GhRendererChoice) copy = gh_renderer_choice_copy (choice);
  g_autofree char *described = gh_renderer_choice_dup_description (choice);

  g_assert_cmpint (choice->reason, ==, GH_RENDERER_REASON_NOT_KNOWN);
  g_assert_null (choice->renderer);
  g_assert_false (gh_renderer_choice_sets_cairo (choice));
  g_assert_cmpstr (described, ==, "not known (no display)");
  g_assert_cmpstr (gh_renderer_reason_to_string (choice->reason), ==, "not-known");
  g_assert_cmpint (copy->reason, ==, GH_RENDERER_REASON_NOT_KNOWN);
  g_assert_null (gh_renderer_choice_copy (NULL));
}

static void
test_copy (void)
{
  g_autoptr(GhRendererChoice) choice = gh_renderer_choice_new (NULL, NULL, "no EGL");
  g_autoptr(GhRendererChoice) copy = gh_renderer_choice_copy (choice);

  g_assert_cmpint (copy->reason, ==, choice->reason);
  g_assert_cmpstr (copy->renderer, ==, "cairo");
  g_assert_true (copy->renderer != choice->renderer);
  g_assert_cmpstr (copy->gl_error, ==, "no EGL");
}

/* No GPU device: cairo, and GL never started. */
static void
test_no_gpu (void)
{
  g_autoptr(GhRendererChoice) choice = gh_renderer_choice_new_no_gpu ();
  g_autoptr(GhRendererChoice) copy = gh_renderer_choice_copy (choice);
  g_autofree char *description = gh_renderer_choice_dup_description (choice);

  g_assert_cmpint (choice->reason, ==, GH_RENDERER_REASON_NO_GPU);
  g_assert_cmpstr (choice->renderer, ==, "cairo");
  g_assert_null (choice->gl_renderer);
  g_assert_true (gh_renderer_choice_sets_cairo (choice));
  g_assert_cmpstr (gh_renderer_reason_to_string (choice->reason), ==, "no-gpu");
  g_assert_cmpstr (description, ==,
                   "cairo (no GPU device: OpenGL would run in software, so it is not loaded)");
  g_assert_cmpint (copy->reason, ==, GH_RENDERER_REASON_NO_GPU);
}

static void
make_node (const char *dev,
           const char *name)
{
  g_autofree char *path = g_build_filename (dev, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_no_errno (g_mkdir_with_parents (parent, 0700));
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

/* A render node or NVIDIA's control device is a GPU device; a display-only card node,
 * an empty /dev/dri or none at all is not. */
static void
test_gpu_device (void)
{
  static const struct
  {
    const char *nodes[3];
    gboolean    gpu;
  } cases[] = {
    { { NULL }, FALSE },
    { { "dri/card0", NULL }, FALSE },
    { { "dri/by-path/pci-0000:00:02.0-card", NULL }, FALSE },
    { { "dri/card0", "dri/renderD128", NULL }, TRUE },
    { { "dri/renderD129", NULL }, TRUE },
    { { "nvidiactl", "nvidia0", NULL }, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dev = g_dir_make_tmp ("gh-renderer-dev-XXXXXX", NULL);

      for (guint j = 0; cases[i].nodes[j] != NULL; j++)
        make_node (dev, cases[i].nodes[j]);
      g_assert_cmpint (gh_renderer_has_gpu_device (dev), ==, cases[i].gpu);

      gh_test_remove_tree (dev);
      g_assert_false (g_file_test (dev, G_FILE_TEST_EXISTS));
    }

  g_assert_false (gh_renderer_has_gpu_device ("/nonexistent-dev"));
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/renderer-choice/software", test_software);
  g_test_add_func ("/core/renderer-choice/gpu", test_gpu);
  g_test_add_func ("/core/renderer-choice/no-gl", test_no_gl);
  g_test_add_func ("/core/renderer-choice/no-gpu", test_no_gpu);
  g_test_add_func ("/core/renderer-choice/gpu-device", test_gpu_device);
  g_test_add_func ("/core/renderer-choice/user", test_user);
  g_test_add_func ("/core/renderer-choice/not-known", test_not_known);
  g_test_add_func ("/core/renderer-choice/copy", test_copy);

  return g_test_run ();
}
