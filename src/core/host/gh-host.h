/* gh-host.h: an immutable snapshot of what a host can do for a guest's display
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gh-domain-editor.h"
#include "gh-virgl-probe.h"

G_BEGIN_DECLS

/* What QEMU on the host offers (libvirt's domain capabilities), in the words of libvirt's
 * XML. The lists are sorted and never NULL. */
typedef struct
{
  char  *emulator;          /* "/usr/bin/qemu-system-x86_64" */
  char  *domain_type;       /* "kvm" or "qemu" */
  char  *machine;           /* "pc-q35-7.2" */
  char  *arch;              /* "x86_64" */
  GStrv  video_models;      /* "virtio", "qxl", "vga", "bochs", … */
  GStrv  graphics_types;    /* "spice", "vnc", … */
  gboolean hostdev;         /* <hostdev supported='yes'> */
  GStrv  hostdev_subsys;    /* "pci", "usb", … */
  GStrv  pci_backends;      /* "vfio", "default", … */
  GStrv  firmware;          /* "efi", "bios"; empty when libvirt does not say */
  GStrv  tpm;               /* TPM backend models: "emulator", "passthrough" */
} GhHostDomainCaps;

/* One PCI device, as the host's libvirt describes it. */
typedef struct
{
  char     *name;           /* the node device name, "pci_0000_01_00_0" */
  char     *address;        /* "0000:01:00.0" */
  guint     domain;
  guint     bus;
  guint     slot;
  guint     function;
  guint     class_code;     /* 0x030000; 0 when libvirt does not say */
  guint     vendor_id;
  guint     product_id;
  char     *vendor;         /* "NVIDIA Corporation", or NULL */
  char     *product;        /* "GA106 [GeForce RTX 3060]", or NULL */
  char     *driver;         /* "nvidia", "vfio-pci"; NULL when none or not said */
  int       iommu_group;    /* -1: in no IOMMU group (IOMMU off) */
  GStrv     iommu_members;  /* addresses of its group, itself included; sorted */
  gboolean  bridge;         /* a PCI bridge or root port */
  /* Set for display controllers only. */
  gboolean  boot_vga;       /* the GPU the firmware drew on (sysfs boot_vga) */
  char     *render_node;    /* "/dev/dri/renderD128", when it has one */
} GhHostPciDevice;

/* A kind of mediated device a parent device can create ("i915-GVTg_V5_4"). */
typedef struct
{
  char  *id;
  char  *name;              /* "GVTg_V5_4", or NULL */
  char  *device_api;        /* "vfio-pci" for GPUs */
  guint  available;         /* instances that can still be created */
  char  *parent;            /* the parent's node device name */
  char  *parent_address;    /* its PCI address, when it is a PCI device */
} GhHostMdevType;

/* A mediated device that exists. */
typedef struct
{
  char *name;
  char *uuid;
  char *type_id;
  char *parent;
} GhHostMdev;

/* A USB device plugged into the host (root hubs left out). */
typedef struct
{
  char  *name;              /* the node device name */
  guint  bus;
  guint  device;
  guint  vendor_id;
  guint  product_id;
  char  *vendor;            /* "Logitech, Inc.", or NULL */
  char  *product;           /* "Unifying Receiver", or NULL */
} GhHostUsbDevice;

/* virgl on this host: QEMU's module, a render node, and the probe. */
typedef struct
{
  gboolean             checked;        /* FALSE: not this machine's host; nothing known */
  gboolean             module_present; /* hw-display-virtio-gpu-gl.so */
  char                *module_path;
  GhVirglProbeResult  *probe;          /* NULL when the probe did not run */
  gboolean             usable;
  char                *reason;         /* why not usable; NULL when usable */
} GhHostVirgl;

/* What GhHostInventory read of a host at one time. It never changes once made: a reload
 * makes a new one, so a worker holding a reference reads the same host to the end. */
typedef struct _GhHost GhHost;

#define GH_TYPE_HOST (gh_host_get_type ())

GType                    gh_host_get_type             (void) G_GNUC_CONST;
GhHost                  *gh_host_ref                  (GhHost                *self);
void                     gh_host_unref                (GhHost                *self);

/* NULL when the host's domain capabilities are unknown. */
const GhHostDomainCaps  *gh_host_get_domain_caps      (const GhHost          *self);
/* Why node devices are unknown (the driver has none, or listing failed); else NULL. */
const char              *gh_host_get_devices_error    (const GhHost          *self);
/* GhHostPciDevice*, display controllers only, by address. */
GPtrArray               *gh_host_get_gpus             (const GhHost          *self);
const GhHostPciDevice   *gh_host_lookup_pci           (const GhHost          *self,
                                                       const char            *address);
/* GhHostMdevType*, by parent and id. */
GPtrArray               *gh_host_get_mdev_types       (const GhHost          *self);
/* GhHostMdev*, by name. */
GPtrArray               *gh_host_get_mdevs            (const GhHost          *self);
/* GhHostUsbDevice*, by bus and device. */
GPtrArray               *gh_host_get_usb_devices      (const GhHost          *self);
/* Render node paths, sorted. */
const char * const      *gh_host_get_render_nodes     (const GhHost          *self);
const GhHostVirgl       *gh_host_get_virgl            (const GhHost          *self);

/* Whether @gpu can be given to a guest whole: its IOMMU group holds nothing but its own
 * functions and PCI bridges, and it is not the display of a host with no other GPU
 * (unless @confirm). @reason says why not, or what passing it costs. */
gboolean                 gh_host_gpu_is_passable      (const GhHost          *self,
                                                       const GhHostPciDevice *gpu,
                                                       gboolean               confirm,
                                                       char                 **reason);
/* The other functions of @gpu's own slot in its IOMMU group (its HDMI audio, …): they go
 * to the guest with it. GhHostPciDevice*, by address. */
GPtrArray               *gh_host_dup_gpu_functions    (const GhHost          *self,
                                                       const GhHostPciDevice *gpu);
/* Gives the machine @editor edits the host GPU at @address (in full, or "01:00.0") with
 * every other function of its slot (its HDMI audio), or refuses, saying why, a GPU that
 * cannot go whole (see gh_host_gpu_is_passable()). @self is a snapshot
 * (gh_host_inventory_dup_host()): these run in a worker, which must never read the
 * inventory the main thread reloads. */
gboolean                 gh_host_attach_gpu           (const GhHost          *self,
                                                       GhDomainEditor        *editor,
                                                       const char            *address,
                                                       gboolean               confirm,
                                                       GError               **error);
/* Takes the GPU and the other functions of its slot away from the machine. */
gboolean                 gh_host_detach_gpu           (const GhHost          *self,
                                                       GhDomainEditor        *editor,
                                                       const char            *address,
                                                       GError               **error);
/* "GA106 [GeForce RTX 3060]" or, lacking a product name, the address. */
const char              *gh_host_pci_device_get_label (const GhHostPciDevice *device);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhHost, gh_host_unref)

G_END_DECLS
