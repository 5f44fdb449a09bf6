/* gh-renderer-choice.h: which GSK renderer Greenhouse's windows draw with, and why
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* GTK 4.8 draws with GL wherever a GL context can be made, also when that GL is Mesa's
 * llvmpipe: every frame is then composited on the CPU through a GL driver, which costs
 * more memory and CPU than GTK's cairo renderer does for the same windows. Where GL runs
 * in software (or not at all) Greenhouse uses cairo; a GPU, or a GSK_RENDERER the user
 * set, is left to GTK. This is the decision, without GTK: ui/app/gh-renderer.c asks the
 * display and applies it. */
typedef enum
{
  GH_RENDERER_REASON_NOT_KNOWN,  /* no display to ask */
  GH_RENDERER_REASON_USER,       /* GSK_RENDERER is set: GTK does what it says */
  GH_RENDERER_REASON_GPU,        /* GL runs on a GPU: GTK's own GL renderer */
  GH_RENDERER_REASON_SOFTWARE,   /* GL would run on the CPU (llvmpipe, softpipe, swrast) */
  GH_RENDERER_REASON_NO_GL,      /* no GL context could be made */
  GH_RENDERER_REASON_NO_GPU,     /* no GPU device at all: GL is not even started */
} GhRendererReason;

typedef struct
{
  GhRendererReason  reason;
  char             *renderer;     /* GSK's name for it ("gl", "cairo", or GSK_RENDERER as
                                   * the user spelled it); NULL when not known */
  char             *gl_renderer;  /* GL_RENDERER of the context the display made, if any */
  char             *gl_error;     /* why no GL context could be made, if none was */
} GhRendererChoice;

/* Decides from what the display said. @gsk_renderer: the GSK_RENDERER of the environment
 * (NULL or empty: not set), which wins over everything; else @gl_renderer, the GL_RENDERER
 * string of a context made on the display, or, when none could be made, @gl_error (NULL:
 * the driver gave no reason). */
GhRendererChoice *gh_renderer_choice_new              (const char             *gsk_renderer,
                                                       const char             *gl_renderer,
                                                       const char             *gl_error);
/* Without a display nothing can be asked. */
GhRendererChoice *gh_renderer_choice_new_not_known    (void);
/* No GPU device (gh_renderer_has_gpu_device()): cairo, with GL never loaded. */
GhRendererChoice *gh_renderer_choice_new_no_gpu       (void);
GhRendererChoice *gh_renderer_choice_copy             (const GhRendererChoice *choice);
void              gh_renderer_choice_free             (GhRendererChoice       *choice);

/* TRUE when Greenhouse, rather than GTK, sets the renderer: cairo, because GL would run
 * in software or not at all. */
gboolean          gh_renderer_choice_sets_cairo       (const GhRendererChoice *choice);
/* Whether this computer has a device GL could run on: a DRM render node
 * (@dev_dir/dri/renderD*) or NVIDIA's own driver (@dev_dir/nvidiactl, which may come
 * without a render node). Without either, Mesa can only rasterize on the CPU, and that is
 * known before any GL library is loaded. @dev_dir: "/dev", or a test's stand-in. */
gboolean          gh_renderer_has_gpu_device          (const char             *dev_dir);

/* "not-known", "user", "gpu", "software", "no-gl", "no-gpu": the JSON report's words. */
const char       *gh_renderer_reason_to_string        (GhRendererReason        reason);
/* For people: the renderer and why, such as "cairo (GL would run in software: llvmpipe
 * (LLVM 15.0.6, 256 bits))". */
char             *gh_renderer_choice_dup_description  (const GhRendererChoice *choice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhRendererChoice, gh_renderer_choice_free)

G_END_DECLS
