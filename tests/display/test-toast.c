/* test-toast.c: toasts dismissed while they slide in
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On libadwaita 1.2, AdwToastOverlay frees a toast dismissed while it slides in under its
 * own show animation, and the window crashes a moment later (gh-ui-toast.c). Greenhouse
 * holds such a dismissal until the toast is in; a user sees the toast go a little later.
 */

#include "gh-display-test-util.h"
#include "gh-test-util.h"
#include "gh-ui-toast.h"

typedef struct
{
  GtkWindow       *window;
  AdwToastOverlay *overlay;
  guint            n_dismissed;
} Fixture;

static gboolean
dismissals_wait (void)
{
  return adw_get_major_version () == 1 && adw_get_minor_version () < 3;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->overlay));
  gtk_window_present (fixture->window);
  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (fixture->overlay)),
                      "the window to be shown");
  /* The first frames are drawn, as when a toast comes in a window in use. */
  gh_test_settle (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->window, gtk_window_destroy);
  /* Whatever still slides in or out ends here, where a crash would show. */
  gh_test_settle (700);
}

static void
on_dismissed (AdwToast *toast,
              Fixture  *fixture)
{
  fixture->n_dismissed++;
}

/* A new toast, added through gh_ui_add_toast(), and a reference to it for the test. */
static AdwToast *
add_toast (Fixture    *fixture,
           const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 0);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_dismissed), fixture);
  gh_ui_add_toast (fixture->overlay, g_object_ref (toast));

  return toast;
}

/* Dismissed at once, as a click that comes with the toast does: it goes once it is in.
 * The next toast slides in over half a second as the first slides out, and is dismissed
 * at once too. */
static void
test_toast_dismissed_early (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(AdwToast) first = add_toast (fixture, "first");
  g_autoptr(AdwToast) second = add_toast (fixture, "second");
  gint64 start = g_get_monotonic_time ();

  adw_toast_dismiss (first);
  if (dismissals_wait ())
    g_assert_cmpuint (fixture->n_dismissed, ==, 0);
  gh_test_wait_until (fixture->n_dismissed == 1, "the first toast to go");
  g_test_message ("the first toast went after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);

  adw_toast_dismiss (second);
  if (dismissals_wait ())
    g_assert_cmpuint (fixture->n_dismissed, ==, 1);
  gh_test_wait_until (fixture->n_dismissed == 2, "the second toast to go");

  /* Both have slid out before the window goes. */
  gh_test_settle (700);
}

/* A dismissal held while the window goes away goes with it. */
static void
test_toast_window_closed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(AdwToast) toast = add_toast (fixture, "toast");

  adw_toast_dismiss (toast);
  g_clear_pointer (&fixture->window, gtk_window_destroy);
  g_assert_cmpuint (fixture->n_dismissed, ==, 1);
}

static void
fixture_set_up_preferences (Fixture       *fixture,
                            gconstpointer  data)
{
  fixture->window = GTK_WINDOW (adw_preferences_window_new ());
  gtk_window_present (fixture->window);
  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)),
                      "the window to be shown");
  gh_test_settle (100);
}

/* The settings windows are AdwPreferencesWindows, whose overlay is their own: their
 * toasts are held the same way. */
static void
test_toast_preferences_window (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(AdwToast) toast = adw_toast_new ("preferences");

  adw_toast_set_timeout (toast, 0);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_dismissed), fixture);
  gh_ui_add_window_toast (ADW_PREFERENCES_WINDOW (fixture->window), g_object_ref (toast));

  adw_toast_dismiss (toast);
  if (dismissals_wait ())
    g_assert_cmpuint (fixture->n_dismissed, ==, 0);
  gh_test_wait_until (fixture->n_dismissed == 1, "the toast to go");
  gh_test_settle (700);
}

int
main (int   argc,
      char *argv[])
{
  if (!gh_display_test_init (&argc, &argv))
    return 1;

  g_test_add ("/display/toast/dismissed-early", Fixture, NULL,
              fixture_set_up, test_toast_dismissed_early, fixture_tear_down);
  g_test_add ("/display/toast/window-closed", Fixture, NULL,
              fixture_set_up, test_toast_window_closed, fixture_tear_down);
  g_test_add ("/display/toast/preferences-window", Fixture, NULL,
              fixture_set_up_preferences, test_toast_preferences_window, fixture_tear_down);

  return g_test_run ();
}
