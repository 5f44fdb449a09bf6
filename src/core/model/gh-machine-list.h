/* gh-machine-list.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-machine.h"

G_BEGIN_DECLS

#define GH_TYPE_MACHINE_LIST (gh_machine_list_get_type ())

/* A GListModel of GhMachine, sorted by display name (title, else name) in natural,
 * case-insensitive order. Emits items-changed only for the rows that changed. */
G_DECLARE_FINAL_TYPE (GhMachineList, gh_machine_list, GH, MACHINE_LIST, GObject)

GhMachine *gh_machine_list_lookup_by_uuid (GhMachineList *self,
                                           const char    *uuid);
GhMachine *gh_machine_list_lookup_by_name (GhMachineList *self,
                                           const char    *name);

G_END_DECLS
