/* gh-ui-util.h: small helpers the windows and rows share.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"

G_BEGIN_DECLS

/* A toast saying @what (plain text). With @reason, which is often too long for a toast, it
 * stays longer and its Details button activates @details_action with ("(ss)" @what,
 * @reason); gh_ui_error_dialog_present() is that action's body. */
AdwToast   *gh_ui_error_toast_new             (const char      *what,
                                               const char      *reason,
                                               const char      *details_action);
void        gh_ui_error_dialog_present        (GtkWidget       *parent,
                                               GVariant        *parameter);

/* Activates @action_name ("app.open-console", "app.open-settings") for @machine from
 * @widget, with its (connection URI, UUID) parameter: how a widget opens a machine's
 * windows without knowing the application. Nothing when the machine lost its
 * connection. */
void        gh_widget_activate_machine_action (GtkWidget       *widget,
                                               const char      *action_name,
                                               GhMachine       *machine);

G_END_DECLS
