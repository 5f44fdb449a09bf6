/* gh-util-private.h: small helpers every layer of core shares
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Orders a GPtrArray of strings: g_ptr_array_sort() passes pointers to the elements. */
int             _gh_compare_strings              (gconstpointer         a,
                                                  gconstpointer         b);

G_END_DECLS
