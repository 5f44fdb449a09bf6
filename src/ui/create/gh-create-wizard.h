/* gh-create-wizard.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gh-core.h"

G_BEGIN_DECLS

#define GH_TYPE_CREATE_WIZARD (gh_create_wizard_get_type ())

/* The "New Machine" window for one connection: source (install media, a disk image or an
 * OS from the list), operating system, resources and firmware, display and 3D, review,
 * then the creation itself. Every step can be driven through the "wizard." actions and
 * the properties, as the tests do. Once the new machine is in the connection's list the
 * wizard emits "machine-created" (GhMachine *machine) and closes: whoever opened it opens
 * the machine's console. */
G_DECLARE_FINAL_TYPE (GhCreateWizard, gh_create_wizard, GH, CREATE_WIZARD, AdwWindow)

GhCreateWizard *gh_create_wizard_new         (GtkWindow      *parent,
                                              GhConnection   *connection);
GhConnection   *gh_create_wizard_get_connection (GhCreateWizard *self);
/* The name of the page in sight: "source", "identify", "os", "resources", "display",
 * "review" or "progress". */
const char     *gh_create_wizard_get_page    (GhCreateWizard *self);
/* The UUID of the machine it made; NULL until then. */
const char     *gh_create_wizard_get_created_uuid (GhCreateWizard *self);
/* What the last failure said (source or review page); NULL when nothing failed. */
const char     *gh_create_wizard_get_error   (GhCreateWizard *self);
/* The XML the review page shows. */
char           *gh_create_wizard_dup_xml     (GhCreateWizard *self);

G_END_DECLS
