/* gh-link-private.h: what only the link's GhConnection does with it
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-link.h"

G_BEGIN_DECLS

GhLink         *_gh_link_new               (const char    *uri);
/* @conn is borrowed: the connection closes it (in a worker) after setting NULL here, so
 * no holder of the link can take a reference to a connection being closed. */
void            _gh_link_set_virconnect    (GhLink        *self,
                                            virConnectPtr  conn);

G_END_DECLS
