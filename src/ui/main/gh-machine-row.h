/* gh-machine-row.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"

G_BEGIN_DECLS

#define GH_TYPE_MACHINE_ROW (gh_machine_row_get_type ())

/* One machine in the window's list: its name, OS, state, Start button and action menu. */
G_DECLARE_FINAL_TYPE (GhMachineRow, gh_machine_row, GH, MACHINE_ROW, GtkWidget)

GtkWidget  *gh_machine_row_new          (GhMachine    *machine);
GhMachine  *gh_machine_row_get_machine  (GhMachineRow *self);
void        gh_machine_row_set_machine  (GhMachineRow *self,
                                         GhMachine    *machine);
const char *gh_machine_row_get_title    (GhMachineRow *self);
const char *gh_machine_row_get_subtitle (GhMachineRow *self);
const char *gh_machine_row_get_state_text (GhMachineRow *self);

G_END_DECLS
