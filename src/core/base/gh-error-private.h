/* gh-error-private.h: how core code fills a GError
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-error.h"

G_BEGIN_DECLS

/* Sets @error to "@what: @detail" (just @detail when @what is NULL), keeping @detail for
 * gh_error_get_detail(). */
void            _gh_error_set                    (GError              **error,
                                                  GhError               code,
                                                  const char           *what,
                                                  const char           *detail);
/* Fills @error from libvirt's last error of this thread, prefixed by what we tried. */
void            _gh_error_set_from_libvirt       (GError              **error,
                                                  GhError               code,
                                                  const char           *what);

G_END_DECLS
