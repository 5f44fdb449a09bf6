/* gh-virgl-probe.h: runs greenhouse-virgl-probe and says what it found
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long the probe may take before it counts as hung. */
#define GH_VIRGL_PROBE_TIMEOUT_MS 5000

typedef struct
{
  gboolean  usable;      /* virgl started, on a GPU rather than a software renderer */
  char     *device;      /* the render node it used, when it said */
  char     *renderer;    /* the OpenGL renderer virgl runs on, when it started */
  char     *gl_version;  /* the highest OpenGL version virgl offers guests ("4.5") */
  char     *reason;      /* why virgl is not usable, for people; NULL when usable */
} GhVirglProbeResult;

/* The probe to run: $GREENHOUSE_VIRGL_PROBE, else the one in the build tree when this
 * program runs from there, else the installed one. */
char               *gh_virgl_probe_dup_path              (void);

/* Blocks for up to @timeout_ms: call it from a worker thread. Runs @probe_path (NULL:
 * gh_virgl_probe_dup_path()) with @args. A probe that crashes, hangs or prints nonsense
 * gives a result that is not usable and says so; this never fails otherwise. */
GhVirglProbeResult *gh_virgl_probe_run                   (const char          *probe_path,
                                                          const char * const  *args,
                                                          guint                timeout_ms,
                                                          GCancellable        *cancellable);
GhVirglProbeResult *gh_virgl_probe_result_copy           (const GhVirglProbeResult *result);
void                gh_virgl_probe_result_free           (GhVirglProbeResult  *result);

/* This machine's DRM render nodes (/dev/dri/renderD*), sorted; empty when none. */
GStrv               gh_virgl_probe_dup_render_nodes      (void);

/* TRUE for Mesa's llvmpipe, softpipe and swrast: OpenGL without a GPU. */
gboolean            gh_virgl_probe_is_software_renderer  (const char          *renderer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhVirglProbeResult, gh_virgl_probe_result_free)

G_END_DECLS
