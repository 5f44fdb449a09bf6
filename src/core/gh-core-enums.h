/* gh-core-enums.h: the GTypes of every enum of core's public headers
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Each folder generates the GTypes of its own enums; code in core includes its folder's. */
#include "gh-create-enums.h"
#include "gh-host-enums.h"
#include "gh-libvirt-enums.h"
#include "gh-model-enums.h"
