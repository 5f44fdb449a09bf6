/* gh-ui-util.h: small helpers the windows and rows share.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gh-core.h"

G_BEGIN_DECLS

/* A name a person recognises: "User session", "System", "user@host", "Test driver: x.xml",
 * else the URI. */
char       *gh_connection_dup_display_name (GhConnection       *connection);
const char *gh_connection_state_get_label  (GhConnectionState   state);
/* Whether @text looks like a libvirt URI; sets @error with a sentence for the user if not.
 * Only the syntax is checked: whether libvirt can open it is found out by connecting. */
gboolean    gh_uri_check                   (const char         *text,
                                            GError            **error);

/* The core's messages say what was tried, then libvirt's reason: "Could not start
 * “Fedora”: Requested operation is not valid…". Where the caller says the first part
 * already (a banner title, a toast), this returns the part after "“@subject”: ", else the
 * whole message. */

G_END_DECLS
