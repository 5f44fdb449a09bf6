/* gh-test-point-private.h: where a test may hold a worker
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Tests: holding a worker at one step. A worker calls _gh_test_point() where a test may
 * want it held (after a step made something, before the next). _gh_test_point_arm()
 * names the point the next worker to reach it waits at, until _gh_test_point_release();
 * the point is then disarmed. */
void            _gh_test_point                   (const char           *point);
void            _gh_test_point_arm               (const char           *point);
gboolean        _gh_test_point_is_reached        (void);
void            _gh_test_point_release           (void);

G_END_DECLS
