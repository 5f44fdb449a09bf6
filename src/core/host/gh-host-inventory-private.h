/* gh-host-inventory-private.h: what tests may ask of a GhHostInventory
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-host-inventory.h"

G_BEGIN_DECLS

/* How many times the inventory was read from libvirt: lets tests prove that events reach
 * it. */
guint           _gh_host_inventory_get_n_loads   (GhHostInventory      *self);

G_END_DECLS
