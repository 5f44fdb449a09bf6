/* gh-ui-util.h: small helpers the windows and rows share.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"

G_BEGIN_DECLS

/* Whether @text looks like a libvirt URI; sets @error with a sentence for the user if not.
 * Only the syntax is checked: whether libvirt can open it is found out by connecting. */
gboolean    gh_uri_check                   (const char         *text,
                                            GError            **error);

/* A toast saying @what (plain text). With @reason, which is often too long for a toast, it
 * stays longer and its Details button activates @details_action with ("(ss)" @what,
 * @reason); gh_error_dialog_present() is that action's body. */
AdwToast   *gh_error_toast_new             (const char         *what,
                                            const char         *reason,
                                            const char         *details_action);
void        gh_error_dialog_present        (GtkWidget          *parent,
                                            GVariant           *parameter);

/* Asks whether to run the installer of @machine again ("installer"), start its installed
 * system ("installed"), or not ("cancel"); the caller connects to "response" and presents
 * it. */
GtkWidget  *gh_install_start_dialog_new    (GtkWindow          *parent,
                                            GhMachine          *machine);
/* Asks whether to force @machine off ("force-off") or not ("cancel"): it pulls the plug,
 * so the row and the console both ask. The caller connects to "response" and presents
 * it. */
GtkWidget  *gh_force_off_dialog_new        (GtkWindow          *parent,
                                            GhMachine          *machine);

/* "3D Acceleration (virtio-gpu with virgl)", "Standard VGA", … */
const char *gh_graphics_path_kind_get_title (GhGraphicsPathKind kind);

/* Activates @action_name ("app.open-console", "app.open-settings") for @machine from
 * @widget, with its (connection URI, UUID) parameter: how a widget opens a machine's
 * windows without knowing the application. Nothing when the machine lost its
 * connection. */
void        gh_widget_activate_machine_action (GtkWidget       *widget,
                                               const char      *action_name,
                                               GhMachine       *machine);

G_END_DECLS
