/* gh-host-file.h: a host saved as JSON, for planning on a host this is not
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gh-graphics-planner.h"
#include "gh-host.h"

G_BEGIN_DECLS

/* The version of the "host" section that this Greenhouse writes and reads. */
#define GH_HOST_FILE_VERSION 1

/* Everything the planner reads of a host, as the members of the "host" object that
 * `greenhouse --host-report --json` writes: the connection (its URI and kind), QEMU's
 * domain capabilities, every PCI device (class, IOMMU group, boot VGA, render node),
 * mdev types and mdevs, render nodes and virgl. Also "gpus", the display controllers
 * with whether each can be passed, for people: a reader does not need it. */
void      gh_host_file_build_host (JsonBuilder                *builder,
                                   GhHost                     *host,
                                   const char                 *uri,
                                   GhGraphicsConnectionFlags   connection);

/* Reads the "host" object of a report that gh_host_file_build_host() wrote. A member
 * that is missing or of the wrong type, or another format version, is an error
 * (G_IO_ERROR_INVALID_DATA) that names the member ("host.virgl.usable"); nothing is
 * ever made up. @uri and @connection: the connection the host was read on. */
GhHost   *gh_host_file_read       (JsonNode                   *report,
                                   char                      **uri,
                                   GhGraphicsConnectionFlags  *connection,
                                   GError                    **error);

/* gh_host_file_read() on a file; its errors name the file. */
GhHost   *gh_host_file_load       (const char                 *path,
                                   char                      **uri,
                                   GhGraphicsConnectionFlags  *connection,
                                   GError                    **error);

G_END_DECLS
