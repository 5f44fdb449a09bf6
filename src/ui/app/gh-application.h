/* gh-application.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"
#include "gh-settings.h"

G_BEGIN_DECLS

#define GH_TYPE_APPLICATION (gh_application_get_type ())

G_DECLARE_FINAL_TYPE (GhApplication, gh_application, GH, APPLICATION, AdwApplication)

typedef struct _GhConsoleWindow GhConsoleWindow;

GhApplication *gh_application_new               (const char        *application_id,
                                                 GApplicationFlags  flags);
GhSettings    *gh_application_get_settings      (GhApplication     *self);
/* A GListModel of GhConnection, in the order they were added. */
GListModel    *gh_application_get_connections   (GhApplication     *self);
/* Shows @uri (or finds it if it is shown already) and starts opening it. With @remember
 * it is also written to the settings so that the next start opens it. Returns a borrowed
 * reference. */
GhConnection  *gh_application_add_connection    (GhApplication     *self,
                                                 const char        *uri,
                                                 gboolean           remember);
/* Closes @connection and stops showing it; with @forget it is removed from the settings. */
void           gh_application_remove_connection (GhApplication     *self,
                                                 GhConnection      *connection,
                                                 gboolean           forget);
/* Presents the console window of @machine, opening one if it has none yet: each machine
 * has at most one. Returns a borrowed reference to the window. */
GhConsoleWindow *gh_application_open_console    (GhApplication     *self,
                                                 GhMachine         *machine);

/* Presents the settings window of @machine, opening one if it has none yet: each machine
 * has at most one. Returns a borrowed reference to the window. */
GtkWindow       *gh_application_open_settings   (GhApplication     *self,
                                                 GhMachine         *machine);

G_END_DECLS
