/* gh-display-test-util.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "gh-display-test-util.h"
#include "gh-test-util.h"

static char *cache_home;

static void
remove_cache_home (void)
{
  gh_test_remove_tree (cache_home);
  g_clear_pointer (&cache_home, g_free);
}

gboolean
gh_display_test_init (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  /* What the app caches (the OS names) goes to a folder of the run's own, never the
   * user's, and every run starts without a cache; set before GLib first reads it. */
  cache_home = g_dir_make_tmp ("greenhouse-display-cache-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  atexit (remove_cache_home);

  gh_test_init (argc, argv);

  if (!gtk_init_check ())
    {
      /* TAP: stops the run with a reason instead of a crash. */
      g_print ("Bail out! No display could be opened: run the display suite under "
               "`xvfb-run -a dbus-run-session` (build-aux/dev test does).\n");
      return FALSE;
    }

  return TRUE;
}

GhApplication *
gh_display_test_new_app (const char *name)
{
  static guint n_apps;
  g_autofree char *app_id = NULL;

  /* A new id each time: libadwaita 1.2's AdwApplication keeps a reference to itself once
   * registered, so each test's application stays exported on the bus. Settings live in
   * memory (GSETTINGS_BACKEND). */
  app_id = g_strdup_printf ("org.greenhouse.Greenhouse.%s%u", name, n_apps++);

  return gh_application_new (app_id, G_APPLICATION_NON_UNIQUE);
}

GhApplication *
gh_display_test_new_registered_app (const char *name)
{
  g_autoptr(GhApplication) app = gh_display_test_new_app (name);
  g_autoptr(GError) error = NULL;
  gboolean registered;

  registered = g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (registered);

  return g_steal_pointer (&app);
}

GhConnection *
gh_display_test_add_connection (GhApplication *app,
                                const char    *uri)
{
  GhConnection *connection = gh_application_add_connection (app, uri, FALSE);
  g_autofree char *what = g_strdup_printf ("%s to connect", uri);

  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      what);

  return connection;
}

void
gh_display_test_destroy_windows (GhApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
}

static void
set_true_cb (gboolean *flag)
{
  *flag = TRUE;
}

char *
gh_display_test_save_screenshot (GtkWidget  *window,
                                 const char *file_name)
{
  const char *artifacts_dir = g_getenv ("GREENHOUSE_ARTIFACTS_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  gint64 deadline;
  int width = 0;
  int height = 0;

  if (artifacts_dir == NULL)
    artifacts_dir = g_get_tmp_dir ();
  g_assert_no_errno (g_mkdir_with_parents (artifacts_dir, 0755));
  path = g_build_filename (artifacts_dir, file_name, NULL);

  /* Spinners and revealers settle; then whole frames: a widget paintable shows what was
   * drawn last, and nothing before the window's first frame. Under load a frame can come
   * late, so each is waited for, not assumed. */
  gh_test_settle (300);
  deadline = gh_test_deadline ();
  for (guint n_painted = 0; n_painted < 2 || node == NULL; n_painted++)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
      gboolean painted = FALSE;
      gulong handler;

      g_assert_nonnull (clock);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      handler = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (set_true_cb), &painted);
      gtk_widget_queue_draw (window);
      gh_test_wait_until (painted, "a frame of the window to be drawn");
      g_signal_handler_disconnect (clock, handler);

      width = gtk_widget_get_width (window);
      height = gtk_widget_get_height (window);
      g_assert_cmpint (width, >, 100);
      g_assert_cmpint (height, >, 100);

      g_clear_pointer (&node, gsk_render_node_unref);
      g_clear_object (&paintable);
      paintable = gtk_widget_paintable_new (window);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d×%d)", path, width, height);

  return g_steal_pointer (&path);
}

void
gh_display_test_assert_png (const char *path,
                            gsize       min_size)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, min_size);
  g_assert_true (memcmp (contents, "\x89PNG", 4) == 0);
}

AdwMessageDialog *
gh_display_test_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}
