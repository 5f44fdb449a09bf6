/* gh-machine-settings.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"

G_BEGIN_DECLS

#define GH_TYPE_MACHINE_SETTINGS (gh_machine_settings_get_type ())

/* One machine's settings: General, Resources, Boot, Storage, Display, GPU and Devices
 * pages. Every change is a "settings." action that goes through the core (XML edits
 * through gh_machine_edit_async()), so the tests drive it as clicks would; "busy" is
 * TRUE while one runs and "error" says what the last one could not do. */
G_DECLARE_FINAL_TYPE (GhMachineSettings, gh_machine_settings, GH, MACHINE_SETTINGS,
                      AdwPreferencesWindow)

GhMachineSettings *gh_machine_settings_new         (GtkApplication    *application,
                                                    GhMachine         *machine);
GhMachine         *gh_machine_settings_get_machine (GhMachineSettings *self);
GhHostInventory   *gh_machine_settings_get_host    (GhMachineSettings *self);
gboolean           gh_machine_settings_is_for      (GhMachineSettings *self,
                                                    const char        *uri,
                                                    const char        *uuid);
/* The definition as last read; NULL until it is. */
GhDomainEditor    *gh_machine_settings_get_editor  (GhMachineSettings *self);

G_END_DECLS
