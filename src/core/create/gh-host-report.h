/* gh-host-report.h: the host's 3D inventory and the plan for one OS, as text or JSON
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gh-graphics-planner.h"
#include "gh-host-inventory.h"
#include "gh-os-db.h"
#include "gh-renderer-choice.h"

G_BEGIN_DECLS

typedef enum
{
  GH_HOST_REPORT_TEXT,
  GH_HOST_REPORT_JSON,
} GhHostReportFormat;

/* Opens @uri, reads its host, plans for @os_id (a libosinfo id or short id) or for the
 * OS of the install media at @media_path (both NULL: no OS) and formats it all. A
 * connection that cannot be opened still gives a report, which says why and plans with
 * what is known; an unknown @os_id is an error (GH_ERROR_UNKNOWN_OS), and so are media
 * that cannot be read or are not install media, and both an @os_id and a @media_path.
 * Media of an OS libosinfo does not know get the plan for no OS. With @host_path (and
 * @uri NULL) it plans for the host a JSON report saved there instead, opening no
 * connection; a file it cannot use is an error that says why (gh-host-file.h).
 * @renderer: which renderer the application draws with on this computer's display, which
 * only the application knows; NULL leaves it out of the report. */
void  gh_host_report_async        (const char          *uri,
                                   const char          *os_id,
                                   const char          *media_path,
                                   const char          *host_path,
                                   GhHostReportFormat   format,
                                   const GhRendererChoice *renderer,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
char *gh_host_report_finish       (GAsyncResult        *result,
                                   GError             **error);

/* The report of what is already known. @connection_error: why the connection failed;
 * @media: the install media @os comes from, if it does; @renderer: as for
 * gh_host_report_async(). */
char *gh_host_report_format       (GhHostReportFormat   format,
                                   const GhRendererChoice *renderer,
                                   const char          *uri,
                                   const GError        *connection_error,
                                   OsinfoOs            *os,
                                   const GhMediaInfo   *media,
                                   GhHostInventory     *host,
                                   GhGraphicsConnectionFlags connection,
                                   GhGraphicsPlan      *plan);

/* For command lines: runs the main loop until the report is printed on stdout (errors
 * on stderr). Returns the exit status: 0 when a report was printed. */
int   gh_host_report_run          (const char          *uri,
                                   const char          *os_id,
                                   const char          *media_path,
                                   const char          *host_path,
                                   GhHostReportFormat   format,
                                   const GhRendererChoice *renderer);

G_END_DECLS
