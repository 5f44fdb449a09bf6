/* gh-core.h: the one header users of libgreenhouse-core include.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-connection.h"
#include "gh-core-enums.h"
#include "gh-domain-builder.h"
#include "gh-domain-editor.h"
#include "gh-error.h"
#include "gh-express-install.h"
#include "gh-graphics-planner.h"
#include "gh-host-file.h"
#include "gh-host-inventory.h"
#include "gh-host-report.h"
#include "gh-os-facts.h"
#include "gh-image.h"
#include "gh-machine.h"
#include "gh-machine-creator.h"
#include "gh-machine-list.h"
#include "gh-os-db.h"
#include "gh-os-names.h"
#include "gh-text.h"
#include "gh-virgl-probe.h"

/* Before the first connection: sets up libvirt for the process (gh_libvirt_init()). */
void gh_core_init (void);
