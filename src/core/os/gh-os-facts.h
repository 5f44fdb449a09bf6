/* gh-os-facts.h: what a guest OS's display drivers are, where libosinfo does not say
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

/* One answer about a guest's driver. */
typedef enum
{
  GH_DRIVER_UNKNOWN,   /* nothing is known, or the facts say "unknown" */
  GH_DRIVER_YES,
  GH_DRIVER_NO,
} GhDriverAnswer;

/* The devices a row speaks of. */
typedef enum
{
  GH_DRIVER_VIRTIO_GPU,    /* the 2D virtio-gpu driver */
  GH_DRIVER_VIRGL,         /* virtio-gpu's 3D: the kernel's virgl and Mesa's driver */
  GH_DRIVER_QXL,           /* the QXL driver (kernel KMS or X.Org's) */
  GH_DRIVER_VENDOR_GPU,    /* drivers for today's GPUs (Intel, AMD, NVIDIA): a GPU or a
                              mediated share of one passed to the guest needs them */
  GH_DRIVER_N_DEVICES,
} GhDriverDevice;

/* Why an answer is what it is, for a reason to quote. */
typedef enum
{
  GH_DRIVER_BECAUSE_NOTHING,  /* GH_DRIVER_UNKNOWN with nothing to say */
  GH_DRIVER_BECAUSE_STATED,   /* the row states it (BSDs, Windows, Android …) */
  GH_DRIVER_BECAUSE_KERNEL,   /* the row's Linux version (and Mesa's, for virgl) */
  GH_DRIVER_BECAUSE_X_DRIVER, /* QXL: the X.Org driver, on a kernel without QXL */
} GhDriverBecause;

/* One row of data/os-driver-facts.ini: facts about one or more OS releases. */
typedef struct
{
  char     *label;            /* the group's name */
  GStrv     ids;              /* osinfo short ids */
  /* Linux: major * 1000 + minor, 0 when not said. */
  guint     kernel;
  guint     mesa;
  gboolean  rolling;          /* versions are a floor, not what every install has */
  gboolean  backports;        /* a driver newer than the kernel's number may be there */
  GhDriverAnswer x_qxl;       /* the X.Org QXL driver in the distribution's archive */
  /* Stated answers; GH_DRIVER_UNKNOWN either way when `stated` is FALSE. */
  gboolean  stated[GH_DRIVER_N_DEVICES];
  GhDriverAnswer answer[GH_DRIVER_N_DEVICES];
  char     *addon[GH_DRIVER_N_DEVICES];   /* where a missing driver can come from */
  GStrv     sources;
  gboolean  verified;
} GhOsFactsRow;

typedef struct _GhOsFacts GhOsFacts;

#define GH_TYPE_OS_FACTS (gh_os_facts_get_type ())

GType               gh_os_facts_get_type      (void) G_GNUC_CONST;
/* Parses the data file's format; any unknown group key, bad value or repeated short id
 * is an error naming the group and key. */
GhOsFacts          *gh_os_facts_new_from_data (const char          *data,
                                               gsize                length,
                                               GError             **error);
/* The facts built into Greenhouse (data/os-driver-facts.ini); never NULL. */
GhOsFacts          *gh_os_facts_get_default   (void);
GhOsFacts          *gh_os_facts_ref           (GhOsFacts           *self);
void                gh_os_facts_unref         (GhOsFacts           *self);

/* GhOsFactsRow*, in the file's order. */
GPtrArray          *gh_os_facts_get_rows      (GhOsFacts           *self);
/* The row that lists @short_id, or NULL. */
const GhOsFactsRow *gh_os_facts_lookup        (GhOsFacts           *self,
                                               const char          *short_id);

/* The row of @os under any of its short ids ("debian10", "debianbuster"), or NULL. */
const GhOsFactsRow *gh_os_facts_lookup_os     (GhOsFacts           *self,
                                               OsinfoOs            *os);

/* What @row says of @device, derived as the data file's header explains: a stated
 * answer first, then the kernel (virtio-gpu from Linux 4.2, QXL from 3.10 or with the X
 * driver, virgl from 4.4 with Mesa 11.1, today's GPUs from 4.2, which brought amdgpu). A
 * version too old is "no", unless the vendor backports drivers (and for today's GPUs,
 * which older kernels may still drive); anything missing is unknown. */
GhDriverAnswer      gh_os_facts_row_answer    (const GhOsFactsRow  *row,
                                               GhDriverDevice       device,
                                               GhDriverBecause     *because);
/* "4.19" for a version kept as major * 1000 + minor. */
char               *gh_os_facts_version_to_string (guint            version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhOsFacts, gh_os_facts_unref)

G_END_DECLS
