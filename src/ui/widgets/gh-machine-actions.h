/* gh-machine-actions.h: one machine's lifecycle actions, for rows and consoles
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"

G_BEGIN_DECLS

#define GH_TYPE_MACHINE_ACTIONS (gh_machine_actions_get_type ())

/* The one table of what can be done to a machine: "start", "shut-down", "force-off",
 * "reboot", "pause", "resume" and "delete", which a row and a console window each insert
 * as "machine" (menus name "machine.start"...). They are enabled from the machine's
 * state and GhMachine:busy, ask the same questions everywhere (Force Off, Start during
 * an install, Delete), and report a failure by activating "win.report-error" (ss) (what
 * failed, why) on the window they were activated in. */
G_DECLARE_FINAL_TYPE (GhMachineActions, gh_machine_actions, GH, MACHINE_ACTIONS,
                      GSimpleActionGroup)

/* Inserts the actions into @widget as "machine"; dialogs are made for @widget's window. */
GhMachineActions *gh_machine_actions_new               (GtkWidget        *widget);
GhMachine        *gh_machine_actions_get_machine       (GhMachineActions *self);
/* @machine: (nullable): the machine to act on; with none every action is off. */
void              gh_machine_actions_set_machine       (GhMachineActions *self,
                                                        GhMachine        *machine);
/* Whether any power action (all but Delete) is enabled: a power menu with none would open
 * empty. The group's "action-enabled-changed" says when this may have changed. */
gboolean          gh_machine_actions_get_power_enabled (GhMachineActions *self);

G_END_DECLS
