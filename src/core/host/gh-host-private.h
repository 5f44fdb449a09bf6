/* gh-host-private.h: how GhHostInventory fills a GhHost before anyone else sees it
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-host.h"

G_BEGIN_DECLS

/* Filled by the one thread that made it (a load's worker, or the main thread for
 * recorded XML and overrides) and then never changed: readers on any thread rely on it. */
struct _GhHost
{
  gatomicrefcount   ref_count;

  GhHostDomainCaps *caps;          /* NULL: unknown */
  char             *devices_error;
  GPtrArray        *pci;           /* GhHostPciDevice*, every PCI device, by address */
  GHashTable       *pci_by_name;   /* borrowed */
  GHashTable       *pci_by_address;/* borrowed */
  GPtrArray        *gpus;          /* borrowed GhHostPciDevice*, by address */
  GPtrArray        *mdev_types;    /* GhHostMdevType* */
  GPtrArray        *mdevs;         /* GhHostMdev* */
  GPtrArray        *usb;           /* GhHostUsbDevice*, by bus and device */
  GHashTable       *render_nodes;  /* path → parent node device name (or "") */
  GHashTable       *drm_parents;   /* node device names with a DRM device */
  GHashTable       *seen;          /* node device names already parsed */
  char            **render_node_list;
  GhHostVirgl      *virgl;
};

GhHost       *_gh_host_new                 (void);
/* A deep copy, for changing what a shared snapshot says (the inventory's overrides). */
GhHost       *_gh_host_copy                (const GhHost          *host);
/* Once every device is in: sorts them, finds the GPUs (by class, or by a DRM device of
 * theirs), gives GPUs their render nodes and mdev types their parent's address. Lives in
 * gh-host-inventory.c, with the parsing it ends. */
void          _gh_host_finish              (GhHost                *host);

void          _gh_host_pci_device_free     (GhHostPciDevice       *device);
void          _gh_host_mdev_type_free      (GhHostMdevType        *type);
void          _gh_host_usb_device_free     (GhHostUsbDevice       *usb);
void          _gh_host_virgl_free          (GhHostVirgl           *virgl);
GhHostVirgl  *_gh_host_virgl_copy          (const GhHostVirgl     *virgl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhHostPciDevice, _gh_host_pci_device_free)

/* Copies of the host's domain capabilities (NULL: unknown), for workers that outlive a
 * reload. They live in gh-host-inventory.c, with the parsing that fills them. */
GhHostDomainCaps *_gh_host_domain_caps_copy (const GhHostDomainCaps *caps);
void          _gh_host_domain_caps_free    (GhHostDomainCaps      *caps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhHostDomainCaps, _gh_host_domain_caps_free)

G_END_DECLS
