/* gh-renderer-choice.c: which GSK renderer Greenhouse's windows draw with, and why
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-renderer-choice.h"
#include "gh-virgl-probe.h"

GhRendererChoice *
gh_renderer_choice_new (const char *gsk_renderer,
                        const char *gl_renderer,
                        const char *gl_error)
{
  GhRendererChoice *choice = g_new0 (GhRendererChoice, 1);

  /* The user's word is final, even a name GTK does not know: GTK then warns and picks
   * its own, as it would without Greenhouse. */
  if (gsk_renderer != NULL && gsk_renderer[0] != '\0')
    {
      choice->reason = GH_RENDERER_REASON_USER;
      choice->renderer = g_strdup (gsk_renderer);
      return choice;
    }

  choice->gl_renderer = g_strdup (gl_renderer);
  if (gl_renderer == NULL)
    {
      /* GTK would try GL, fail, and fall back to cairo: say so at once. */
      choice->reason = GH_RENDERER_REASON_NO_GL;
      choice->renderer = g_strdup ("cairo");
      choice->gl_error = g_strdup (gl_error);
    }
  /* One list of software rasterizers for the app and for virgl. */
  else if (gh_virgl_probe_is_software_renderer (gl_renderer))
    {
      choice->reason = GH_RENDERER_REASON_SOFTWARE;
      choice->renderer = g_strdup ("cairo");
    }
  else
    {
      choice->reason = GH_RENDERER_REASON_GPU;
      choice->renderer = g_strdup ("gl");
    }

  return choice;
}

GhRendererChoice *
gh_renderer_choice_new_not_known (void)
{
  return g_new0 (GhRendererChoice, 1);
}

GhRendererChoice *
gh_renderer_choice_new_no_gpu (void)
{
  GhRendererChoice *choice = g_new0 (GhRendererChoice, 1);

  choice->reason = GH_RENDERER_REASON_NO_GPU;
  choice->renderer = g_strdup ("cairo");
  return choice;
}

gboolean
gh_renderer_has_gpu_device (const char *dev_dir)
{
  g_autofree char *dri = NULL;
  g_autofree char *nvidiactl = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (dev_dir != NULL, FALSE);

  nvidiactl = g_build_filename (dev_dir, "nvidiactl", NULL);
  if (g_file_test (nvidiactl, G_FILE_TEST_EXISTS))
    return TRUE;

  dri = g_build_filename (dev_dir, "dri", NULL);
  dir = g_dir_open (dri, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;

  return FALSE;
}

GhRendererChoice *
gh_renderer_choice_copy (const GhRendererChoice *choice)
{
  GhRendererChoice *copy;

  if (choice == NULL)
    return NULL;

  copy = g_new0 (GhRendererChoice, 1);
  copy->reason = choice->reason;
  copy->renderer = g_strdup (choice->renderer);
  copy->gl_renderer = g_strdup (choice->gl_renderer);
  copy->gl_error = g_strdup (choice->gl_error);
  return copy;
}

void
gh_renderer_choice_free (GhRendererChoice *choice)
{
  if (choice == NULL)
    return;

  g_free (choice->renderer);
  g_free (choice->gl_renderer);
  g_free (choice->gl_error);
  g_free (choice);
}

gboolean
gh_renderer_choice_sets_cairo (const GhRendererChoice *choice)
{
  g_return_val_if_fail (choice != NULL, FALSE);

  return choice->reason == GH_RENDERER_REASON_SOFTWARE
         || choice->reason == GH_RENDERER_REASON_NO_GL
         || choice->reason == GH_RENDERER_REASON_NO_GPU;
}

const char *
gh_renderer_reason_to_string (GhRendererReason reason)
{
  switch (reason)
    {
    case GH_RENDERER_REASON_USER:
      return "user";
    case GH_RENDERER_REASON_GPU:
      return "gpu";
    case GH_RENDERER_REASON_SOFTWARE:
      return "software";
    case GH_RENDERER_REASON_NO_GL:
      return "no-gl";
    case GH_RENDERER_REASON_NO_GPU:
      return "no-gpu";
    case GH_RENDERER_REASON_NOT_KNOWN:
    default:
      return "not-known";
    }
}

char *
gh_renderer_choice_dup_description (const GhRendererChoice *choice)
{
  g_return_val_if_fail (choice != NULL, NULL);

  switch (choice->reason)
    {
    case GH_RENDERER_REASON_USER:
      /* Translators: %s is a GTK renderer's name, as in GSK_RENDERER=cairo */
      return g_strdup_printf (_("%s (chosen with GSK_RENDERER)"), choice->renderer);

    case GH_RENDERER_REASON_GPU:
      /* Translators: “gl” is GTK's OpenGL renderer; %s is the GPU's OpenGL renderer,
       * such as “AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49)” */
      return g_strdup_printf (_("gl (GPU: %s)"), choice->gl_renderer);

    case GH_RENDERER_REASON_SOFTWARE:
      /* Translators: “cairo” is GTK's renderer without OpenGL; %s is an OpenGL renderer
       * such as “llvmpipe (LLVM 15.0.6, 256 bits)” */
      return g_strdup_printf (_("cairo (GL would run in software: %s)"), choice->gl_renderer);

    case GH_RENDERER_REASON_NO_GL:
      if (choice->gl_error != NULL)
        /* Translators: “cairo” is GTK's renderer without OpenGL; %s says why OpenGL
         * could not be used */
        return g_strdup_printf (_("cairo (no OpenGL: %s)"), choice->gl_error);
      return g_strdup (_("cairo (no OpenGL)"));

    case GH_RENDERER_REASON_NO_GPU:
      /* Translators: “cairo” is GTK's renderer without OpenGL */
      return g_strdup (_("cairo (no GPU device: OpenGL would run in software, so it is "
                         "not loaded)"));

    case GH_RENDERER_REASON_NOT_KNOWN:
    default:
      return g_strdup (_("not known (no display)"));
    }
}
