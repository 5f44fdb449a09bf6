/* gh-host-inventory.h: what a host can do for a guest's display
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gh-host.h"
#include "gh-link.h"

G_BEGIN_DECLS

#define GH_TYPE_HOST_INVENTORY (gh_host_inventory_get_type ())

G_DECLARE_FINAL_TYPE (GhHostInventory, gh_host_inventory, GH, HOST_INVENTORY, GObject)

/* The host behind @link. Its GhConnection makes the one inventory it has
 * (gh_connection_get_host_inventory()) and calls gh_host_inventory_reload() on
 * node-device events and after a reconnection; ::changed tells when what it holds was
 * replaced. */
GhHostInventory         *gh_host_inventory_new                (GhLink               *link);
/* Reads the host again, whether or not it was read: a test or a caller that knows the
 * host changed. */
void                     gh_host_inventory_load_async         (GhHostInventory      *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean                 gh_host_inventory_load_finish        (GhHostInventory      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
/* What a window asks: completes at once when the host was read (and no reload is under
 * way), else joins or starts the load. Finish with gh_host_inventory_load_finish(). */
void                     gh_host_inventory_ensure_async       (GhHostInventory      *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
/* The host's devices changed, or the connection came back: reads again if it was read
 * (or is being read), else does nothing until someone asks. */
void                     gh_host_inventory_reload             (GhHostInventory      *self);

/* A host described by recorded XML (tests, reports of other machines): domain
 * capabilities (NULL: unknown) and node devices as virsh nodedev-dumpxml prints them. */
GhHostInventory         *gh_host_inventory_new_from_xml       (const char         *domain_caps_xml,
                                                               const char * const *node_devices,
                                                               GError            **error);
/* A host read from a file (gh-host-file.h), as it was read. */
GhHostInventory         *gh_host_inventory_new_from_host      (GhHost             *host);
/* Domain capabilities recorded elsewhere replace "unknown" (the test driver has none). */
gboolean                 gh_host_inventory_set_domain_caps_xml (GhHostInventory     *self,
                                                                const char          *xml,
                                                                GError             **error);
/* What only this machine can know, for hosts described by XML; kept over reloads.
 * @address NULL: no GPU is the boot VGA. */
void                     gh_host_inventory_set_virgl          (GhHostInventory      *self,
                                                               const GhHostVirgl    *virgl);
void                     gh_host_inventory_set_boot_vga       (GhHostInventory      *self,
                                                               const char           *address);

gboolean                 gh_host_inventory_get_loaded         (GhHostInventory      *self);
/* What the inventory holds now, for a worker: a snapshot that no reload changes. Take it
 * on the main thread when the work starts. The getters below read the current one. */
GhHost                  *gh_host_inventory_dup_host           (GhHostInventory      *self);
/* The same, borrowed, for the main thread: valid until the next reload. */
GhHost                  *gh_host_inventory_get_host           (GhHostInventory      *self);
/* NULL when the host's domain capabilities are unknown. */
const GhHostDomainCaps  *gh_host_inventory_get_domain_caps    (GhHostInventory      *self);
/* Why node devices are unknown (the driver has none, or listing failed); else NULL. */
const char              *gh_host_inventory_get_devices_error  (GhHostInventory      *self);
/* GhHostPciDevice*, display controllers only, by address. */
GPtrArray               *gh_host_inventory_get_gpus           (GhHostInventory      *self);
const GhHostPciDevice   *gh_host_inventory_lookup_pci         (GhHostInventory      *self,
                                                               const char           *address);
/* GhHostMdevType*, by parent and id. */
GPtrArray               *gh_host_inventory_get_mdev_types     (GhHostInventory      *self);
/* GhHostMdev*, by name. */
GPtrArray               *gh_host_inventory_get_mdevs          (GhHostInventory      *self);
/* GhHostUsbDevice*, by bus and device. */
GPtrArray               *gh_host_inventory_get_usb_devices    (GhHostInventory      *self);
/* Render node paths, sorted. */
const char * const      *gh_host_inventory_get_render_nodes   (GhHostInventory      *self);
const GhHostVirgl       *gh_host_inventory_get_virgl          (GhHostInventory      *self);

/* See gh_host_gpu_is_passable() and gh_host_dup_gpu_functions(). */
gboolean                 gh_host_inventory_gpu_is_passable    (GhHostInventory       *self,
                                                               const GhHostPciDevice *gpu,
                                                               gboolean               confirm,
                                                               char                 **reason);
GPtrArray               *gh_host_inventory_dup_gpu_functions  (GhHostInventory       *self,
                                                               const GhHostPciDevice *gpu);

G_END_DECLS
