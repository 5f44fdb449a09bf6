/* gh-test-point.c: holding a worker at one step, for tests
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-test-point-private.h"

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
