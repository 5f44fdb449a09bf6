/* gh-renderer.c: the renderer Greenhouse's windows draw with, chosen before the first one
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <epoxy/gl.h>
#include <string.h>

#include "gh-renderer.h"

/* GTK 4.8 picks a surface's renderer when it realizes the surface
 * (gsk_renderer_new_for_surface ()), trying in turn: the name its display carries as
 * "gsk-renderer" object data, then $GSK_RENDERER (read once and kept), then its own
 * default, GL, then cairo. The display's data is read anew for every surface and involves
 * no environment, so setting it on the main thread races with nothing, whereas
 * g_setenv () once GTK has started threads (Mesa's, as soon as the X11 display opens)
 * would. Since the data wins over $GSK_RENDERER, it is set only when the user set none. */
#define GSK_RENDERER_DATA "gsk-renderer"

/* Set by gh_renderer_prepare() before GTK starts, read-only afterwards. */
static gboolean gl_turned_off;

/* Mesa's llvmpipe, once GTK has made a GL context on it, keeps about 50 MiB of the
 * process resident (LLVM and the driver) even when every window then draws with cairo:
 * a third of the main window's peak with 1000 machines. GTK 4.8 has one switch that keeps
 * GL from being loaded at all, GDK_DEBUG=gl-disable, read when GDK starts; it works in
 * release builds. Setting the environment is safe only while no other thread can read it,
 * so this runs first thing in main (). Where a GPU device exists GL may still turn out to
 * be software (no driver for it): gh_renderer_choose() finds that out, too late to spare
 * the memory but in time for the renderer. */
void
gh_renderer_prepare (const char *dev_dir)
{
  const char *user = g_getenv ("GSK_RENDERER");
  const char *debug = g_getenv ("GDK_DEBUG");
  g_autofree char *flags = NULL;

  g_return_if_fail (dev_dir != NULL);

  /* A renderer the user named, or GDK_DEBUG flags about GL, are theirs to keep. */
  if ((user != NULL && user[0] != '\0') || (debug != NULL && strstr (debug, "gl") != NULL))
    return;
  if (gh_renderer_has_gpu_device (dev_dir))
    return;

  flags = debug != NULL && debug[0] != '\0' ? g_strconcat (debug, ",gl-disable", NULL)
                                            : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", flags, TRUE);
  gl_turned_off = TRUE;
}

GhRendererChoice *
gh_renderer_choose (GdkDisplay *display)
{
  const char *user = g_getenv ("GSK_RENDERER");
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gl_renderer = NULL;

  g_return_val_if_fail (display == NULL || GDK_IS_DISPLAY (display), NULL);

  if (display == NULL)
    return gh_renderer_choice_new_not_known ();

  /* The user's choice needs no GL context to be honoured. */
  if (user != NULL && user[0] != '\0')
    return gh_renderer_choice_new (user, NULL, NULL);

  if (gl_turned_off)
    return gh_renderer_choice_new_no_gpu ();

  /* A context of our own, as GTK's GL renderer would make one; it fails as GTK's would
   * (no GL, GDK_DEBUG=gl-disable), and then GTK would end up with cairo anyway. */
  context = gdk_display_create_gl_context (display, &error);
  if (context != NULL && gdk_gl_context_realize (context, &error))
    {
      gdk_gl_context_make_current (context);
      gl_renderer = g_strdup ((const char *) glGetString (GL_RENDERER));
      gdk_gl_context_clear_current ();
    }

  return gh_renderer_choice_new (NULL, gl_renderer, error != NULL ? error->message : NULL);
}

void
gh_renderer_apply (GdkDisplay             *display,
                   const GhRendererChoice *choice)
{
  g_return_if_fail (GDK_IS_DISPLAY (display));
  g_return_if_fail (choice != NULL);

  if (gh_renderer_choice_sets_cairo (choice))
    g_object_set_data (G_OBJECT (display), GSK_RENDERER_DATA, (gpointer) "cairo");
}
