/* test-libvirt-guard.c: the guard that the display and e2e suites rely on must bite
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <dlfcn.h>

#include <libvirt/libvirt.h>
#include <glib.h>

static gpointer
open_and_close (gpointer data)
{
  virConnectPtr conn = virConnectOpen ("test:///default");

  if (conn != NULL)
    virConnectClose (conn);

  return GINT_TO_POINTER (conn != NULL);
}

static void
test_worker_thread_allowed (void)
{
  GThread *thread = g_thread_new ("worker", open_and_close, NULL);

  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
}

static void
test_main_thread_aborts (void)
{
  if (g_test_subprocess ())
    {
      open_and_close (NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*virConnectOpen called on the main thread*");
}

typedef void (*HoldFunc) (const char *function);
typedef int  (*WaitingFunc) (void);

/* A held function waits in its worker until the test lets go. */
static void
test_hold (void)
{
  HoldFunc hold = (HoldFunc) dlsym (RTLD_DEFAULT, "gh_libvirt_guard_hold");
  WaitingFunc n_waiting = (WaitingFunc) dlsym (RTLD_DEFAULT, "gh_libvirt_guard_get_n_waiting");
  GThread *thread;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_nonnull (hold);
  g_assert_nonnull (n_waiting);

  hold ("virConnectOpen");
  thread = g_thread_new ("worker", open_and_close, NULL);
  while (n_waiting () != 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  hold (NULL);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_cmpint (n_waiting (), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("LD_PRELOAD") == NULL || g_strstr_len (g_getenv ("LD_PRELOAD"), -1,
                                                       "gh-libvirt-guard") == NULL)
    g_error ("run this test with the guard in LD_PRELOAD, as meson test does");

  g_test_add_func ("/guard/worker-thread-allowed", test_worker_thread_allowed);
  g_test_add_func ("/guard/main-thread-aborts", test_main_thread_aborts);
  g_test_add_func ("/guard/hold", test_hold);

  return g_test_run ();
}
