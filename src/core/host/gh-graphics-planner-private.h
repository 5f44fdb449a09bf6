/* gh-graphics-planner-private.h: what the planner's parts share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-graphics-planner.h"
#include "gh-host.h"
#include "gh-os-facts.h"

G_BEGIN_DECLS

/* The plan's GhGraphicsPath*, by rank. */
GPtrArray *_gh_graphics_plan_get_paths                (GhGraphicsPlan   *self);

#define VIRTIO_GPU_ID "http://pcisig.com/pci/1af4/1050"
#define QXL_ID        "http://pcisig.com/pci/1b36/0100"

/* Three answers kept apart: libosinfo lists a device for an OS when it knows the OS has
 * its driver, marks it supported="false" when it knows it has not, and says nothing for
 * most OSes and devices. Silence is not a "no". */
typedef enum
{
  OS_UNKNOWN,       /* no OS given */
  OS_SUPPORTED,     /* libosinfo lists the device for this OS */
  OS_MARKED_NO,     /* libosinfo marks it supported="false" for this OS or one between */
  OS_NOT_SAID,      /* libosinfo does not say */
} OsSupport;

/* What is known of a guest's driver for one device: libosinfo's word, and what
 * Greenhouse's driver facts (data/os-driver-facts.ini) add. libosinfo's "no" wins; a
 * fact wins over libosinfo's "yes" and its silence. */
typedef struct
{
  OsSupport        osinfo;
  GhDriverAnswer   fact;
  GhDriverBecause  because;
} Support;

/* What the rules need, gathered once. */
typedef struct
{
  OsinfoOs                  *os;
  const char                *os_name;
  const GhHost              *host;
  const GhHostDomainCaps    *caps;      /* NULL: unknown */
  const GhHostVirgl         *virgl;
  GhGraphicsConnectionFlags  connection;
  gboolean                   confirm_boot_vga;
  const GhOsFactsRow        *facts;     /* NULL: none for this OS */
  Support                    virtio_gpu;
  Support                    virgl_3d;    /* facts only: libosinfo knows nothing of 3D */
  Support                    qxl;
  Support                    vendor_gpu;  /* facts only: nor of GPU vendors' drivers */
  gboolean                   os_refuses_efi;
  gboolean                   x86;       /* the host's QEMU makes x86 machines, or no caps */
} Inputs;

/* gh-graphics-planner-guest.c: what the guest OS has, and how that reads. */
OsSupport  _gh_graphics_planner_os_support            (OsinfoOs         *os,
                                                       OsinfoDeviceList *all_devices,
                                                       const char       *id);
gboolean   _gh_graphics_planner_os_refuses_efi        (OsinfoOs         *os);
/* What the driver facts say of @device, as a sentence; NULL when they decide nothing. */
char      *_gh_graphics_planner_fact_sentence         (const Inputs     *in,
                                                       GhDriverDevice    device);
/* The guest's objection to a path, or NULL when it has what the path needs; every
 * objection discourages the path, none forbids it. */
char      *_gh_graphics_planner_virtio_gpu_objection  (const Inputs     *in,
                                                       gboolean          accel3d);
/* NULL when the guest's kernel and Mesa are known to carry virgl; then @evidence says
 * how that is known. */
char      *_gh_graphics_planner_virgl_objection       (const Inputs     *in,
                                                       char            **evidence);
char      *_gh_graphics_planner_vendor_gpu_objection  (const Inputs     *in);

G_END_DECLS
