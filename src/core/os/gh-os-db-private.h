/* gh-os-db-private.h: what tests may ask of the OS database
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-os-db.h"

G_BEGIN_DECLS

/* The loaded libosinfo database, or NULL: for tests that walk every OS. */
OsinfoDb       *_gh_os_db_get_db                 (GhOsDb               *self);

G_END_DECLS
