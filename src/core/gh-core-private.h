/* gh-core-private.h: every private header of core, for tests. Code in core includes the
 * private headers it uses instead (tests/layers/check-layers holds it to that).
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Tests call libvirt's error functions and take them from here. */
#include <libvirt/virterror.h>

#include "gh-core.h"

#include "gh-connection-private.h"
#include "gh-error-private.h"
#include "gh-graphics-planner-private.h"
#include "gh-host-inventory-private.h"
#include "gh-host-private.h"
#include "gh-json-private.h"
#include "gh-machine-info-private.h"
#include "gh-machine-list-private.h"
#include "gh-machine-private.h"
#include "gh-os-db-private.h"
#include "gh-os-names-private.h"
#include "gh-test-point-private.h"
#include "gh-util-private.h"
