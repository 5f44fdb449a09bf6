/* gh-graphics-planner.h: which display path a guest should get on a host, and why
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

#include "gh-domain-editor.h"
#include "gh-host.h"

G_BEGIN_DECLS

typedef enum
{
  GH_GRAPHICS_PATH_VIRGL,      /* virtio-gpu with virgl 3D, SPICE GL, listen none */
  GH_GRAPHICS_PATH_VIRTIO_2D,  /* virtio-gpu without 3D */
  GH_GRAPHICS_PATH_QXL,
  GH_GRAPHICS_PATH_VGA,        /* standard VGA, or bochs-display where QEMU lacks VGA */
  GH_GRAPHICS_PATH_VFIO,       /* a whole host GPU (vfio-pci) */
  GH_GRAPHICS_PATH_MDEV,       /* a mediated share of a host GPU */
} GhGraphicsPathKind;

typedef enum
{
  GH_GRAPHICS_PREFER_BEST_3D,       /* the fastest 3D the guest and host allow */
  GH_GRAPHICS_PREFER_COMPATIBLE,    /* the display most likely to just work */
} GhGraphicsPreference;

typedef enum
{
  GH_GRAPHICS_CONNECTION_SESSION = 0,
  GH_GRAPHICS_CONNECTION_SYSTEM  = 1 << 0,  /* qemu:///system: may pass host devices */
  GH_GRAPHICS_CONNECTION_REMOTE  = 1 << 1,  /* the daemon is on another computer */
} GhGraphicsConnectionFlags;

/* One way to give a guest a display. The XML fragments go into <devices>, except
 * @firmware, which is the <os firmware='…'> the path needs (NULL: whatever the OS wants;
 * on x86, UEFI also needs <acpi/> in <features>). */
typedef struct
{
  GhGraphicsPathKind  kind;
  gboolean            feasible;      /* this host, connection and guest can do it */
  gboolean            discouraged;   /* feasible, but the guest's OS says it may not work */
  guint               rank;          /* 1 is the best; every path has its own */
  char               *reason;        /* why (not), for people; translated */
  char               *device;        /* vfio: the GPU's PCI address (NULL: the host has
                                        none); mdev: the type id */
  char               *video_xml;
  char               *graphics_xml;
  char               *hostdev_xml;   /* NULL unless a host device goes to the guest */
  char               *companions_xml;/* tablet, agent channel, USB redirection */
  char               *firmware;      /* "efi" for passthrough */
} GhGraphicsPath;

GhGraphicsPath       *gh_graphics_path_copy               (const GhGraphicsPath      *path);
void                  gh_graphics_path_free               (GhGraphicsPath            *path);

#define GH_TYPE_GRAPHICS_PLAN (gh_graphics_plan_get_type ())

G_DECLARE_FINAL_TYPE (GhGraphicsPlan, gh_graphics_plan, GH, GRAPHICS_PLAN, GObject)

/* Pure and deterministic: the same inputs give the same plan, and nothing is asked of
 * libvirt, the file system or the clock. @os may be NULL (not known). With @confirm the
 * user said yes to giving away the only GPU that shows the host's screen. */
GhGraphicsPlan       *gh_graphics_planner_plan            (OsinfoOs                  *os,
                                                           const GhHost              *host,
                                                           GhGraphicsConnectionFlags  connection,
                                                           GhGraphicsPreference       preference,
                                                           gboolean                   confirm);

guint                 gh_graphics_plan_get_n_paths        (GhGraphicsPlan            *self);
/* By rank: path 0 has rank 1. */
const GhGraphicsPath *gh_graphics_plan_get_path           (GhGraphicsPlan            *self,
                                                           guint                      index);
/* The first feasible path; NULL when none is. */
const GhGraphicsPath *gh_graphics_plan_get_recommended    (GhGraphicsPlan            *self);
const GhGraphicsPath *gh_graphics_plan_find               (GhGraphicsPlan            *self,
                                                           GhGraphicsPathKind         kind,
                                                           const char                *device);

/* "virgl", "virtio-2d", "qxl", "vga", "vfio", "mdev" */
const char           *gh_graphics_path_kind_to_string     (GhGraphicsPathKind         kind);
/* Every fragment of @path, in the order they go into <devices>. */
char                 *gh_graphics_path_dup_devices_xml    (const GhGraphicsPath      *path);
/* Gives the machine @editor edits the display of @path: its video and graphics instead of
 * the machine's, and the host devices and companions (tablet, agent channel, USB
 * redirection) it lacks (see gh_domain_editor_set_display()). The firmware stays: a
 * path's firmware matters to new machines, and switching an installed one's firmware
 * would stop it booting. */
gboolean              gh_graphics_path_apply              (const GhGraphicsPath      *path,
                                                           GhDomainEditor            *editor,
                                                           GError                   **error);
/* Whether @path gives the guest a SPICE display that OpenGL scanouts go through. */
gboolean              gh_graphics_path_uses_spice_gl      (const GhGraphicsPath      *path);

/* What a display path is called wherever one is offered (the wizard, the settings):
 * "3D Acceleration (virtio-gpu with virgl)", "Standard VGA", … */
const char           *gh_graphics_path_kind_get_title     (GhGraphicsPathKind         kind);

G_END_DECLS
