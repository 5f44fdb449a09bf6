/* gh-machine-list-private.h: how a GhConnection fills its GhMachineList
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-machine-list.h"

G_BEGIN_DECLS

GhMachineList  *_gh_machine_list_new             (void);
void            _gh_machine_list_add             (GhMachineList        *self,
                                                  GhMachine            *machine);
void            _gh_machine_list_remove          (GhMachineList        *self,
                                                  GhMachine            *machine);
/* Replaces the whole content with @machines: used once per (re)connection. */
void            _gh_machine_list_set_all         (GhMachineList        *self,
                                                  GPtrArray            *machines);

G_END_DECLS
