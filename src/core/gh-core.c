/* gh-core.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-core.h"
#include "gh-libvirt.h"

void
gh_core_init (void)
{
  gh_libvirt_init ();
}
