/* gh-core.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>

#include <libvirt-glib/libvirt-glib.h>

#include "gh-core-private.h"

static void
ignore_libvirt_error (void        *user_data,
                      virErrorPtr  error)
{
  /* Every failure reaches the user as a GError; libvirt's default handler would also
   * print it on stderr, where nobody reads it. */
}

int
_gh_compare_strings (gconstpointer a,
                     gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
gh_core_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* A daemon that dies while a worker writes to its socket must give that worker an
       * error, not kill the process; libvirt asks its users to ignore SIGPIPE. */
      signal (SIGPIPE, SIG_IGN);
      virInitialize ();
      virSetErrorFunc (NULL, ignore_libvirt_error);
      /* libvirt's events, keepalives and close callbacks run on the GLib main loop. */
      gvir_event_register ();
      g_once_init_leave (&initialized, 1);
    }
}

/* ---- Test points -------------------------------------------------------------------- */

/* A test that must kill the daemon at one precise step holds the worker there; nothing
 * else ever arms a point, and an unarmed one costs a single atomic read. */
static GMutex  test_point_lock;
static GCond   test_point_cond;
static char   *test_point_armed;    /* the point the next worker stops at */
static gboolean test_point_waiting;
static guint   test_point_serial;   /* a release moves it on */

void
_gh_test_point (const char *point)
{
  guint serial;

  if (g_atomic_pointer_get (&test_point_armed) == NULL)
    return;

  g_mutex_lock (&test_point_lock);
  if (g_strcmp0 (test_point_armed, point) == 0 && !test_point_waiting)
    {
      test_point_waiting = TRUE;
      serial = test_point_serial;
      g_cond_broadcast (&test_point_cond);
      while (serial == test_point_serial)
        g_cond_wait (&test_point_cond, &test_point_lock);
    }
  g_mutex_unlock (&test_point_lock);
}

void
_gh_test_point_arm (const char *point)
{
  g_mutex_lock (&test_point_lock);
  g_free (test_point_armed);
  g_atomic_pointer_set (&test_point_armed, g_strdup (point));
  test_point_waiting = FALSE;
  g_mutex_unlock (&test_point_lock);
}

gboolean
_gh_test_point_is_reached (void)
{
  gboolean reached;

  g_mutex_lock (&test_point_lock);
  reached = test_point_waiting;
  g_mutex_unlock (&test_point_lock);

  return reached;
}

void
_gh_test_point_release (void)
{
  g_mutex_lock (&test_point_lock);
  g_clear_pointer (&test_point_armed, g_free);
  test_point_waiting = FALSE;
  test_point_serial++;
  g_cond_broadcast (&test_point_cond);
  g_mutex_unlock (&test_point_lock);
}
