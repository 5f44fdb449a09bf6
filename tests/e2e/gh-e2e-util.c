/* gh-e2e-util.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <dlfcn.h>
#include <locale.h>

#include "gh-core.h"
#include "gh-e2e-util.h"

static GhE2eDescribe describe;

static void
drop_log_message (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
}

static void
test_not_isolated (void)
{
  g_test_skip ("run through tests/e2e/run-e2e (meson test --suite e2e), "
               "which gives the test a session daemon of its own");
}

gboolean
gh_e2e_init (int         *argc,
             char      ***argv,
             const char  *suite)
{
  /* Failure messages quote libvirt's and Greenhouse's UTF-8 text. */
  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);
  /* libvirt-glib logs every event-loop watch update at debug level without a log domain,
   * and GLib's test mode prints debug messages: thousands of lines that bury the test's. */
  g_log_set_handler (NULL, G_LOG_LEVEL_DEBUG, drop_log_message, NULL);

  /* The tests kill session daemons and define machines: only ever on a private one. */
  if (g_strcmp0 (g_getenv ("GREENHOUSE_E2E_ISOLATED"), "1") != 0)
    {
      g_autofree char *path = g_strdup_printf ("%s/not-isolated", suite);

      g_test_add_func (path, test_not_isolated);
      return FALSE;
    }

  /* As in the application, where g_application_run() holds it for good: libvirt calls
   * back from worker threads, and what they hand to the main context must wait for the
   * main thread rather than run in theirs. */
  g_assert_true (g_main_context_acquire (g_main_context_default ()));
  gh_core_init ();

  return TRUE;
}

void
gh_e2e_set_describe (GhE2eDescribe func)
{
  describe = func;
}

void
gh_e2e_allow_outside_calls (gboolean allow)
{
  static void (*guard_allow) (int);
  static gboolean looked_up;

  /* The guard is preloaded by the suite, and absent when a test runs on its own. */
  if (!looked_up)
    {
      guard_allow = (void (*) (int)) dlsym (RTLD_DEFAULT, "gh_libvirt_guard_allow");
      looked_up = TRUE;
    }

  if (guard_allow != NULL)
    guard_allow (allow);
}

void
gh_e2e_store_result (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
wake_up (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
gh_e2e_iterate_until (gint64 deadline)
{
  gboolean fired = FALSE;
  guint id;

  if (g_get_monotonic_time () > deadline)
    return FALSE;

  id = g_timeout_add (100, wake_up, &fired);
  g_main_context_iteration (NULL, TRUE);
  if (!fired)
    g_source_remove (id);

  return TRUE;
}

void
gh_e2e_fail_waiting (const char *what,
                     int         seconds)
{
  g_error ("%s did not happen within %d s%s%s%s", what, seconds,
           describe != NULL ? " (" : "", describe != NULL ? describe () : "",
           describe != NULL ? ")" : "");
}
