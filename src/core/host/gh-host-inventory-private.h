/* gh-host-inventory-private.h: what GhHostInventory's part files share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>

#include "gh-host-inventory.h"
#include "gh-host-private.h"

G_BEGIN_DECLS

struct _GhHostInventory
{
  GObject parent_instance;

  /* Owned references */
  GhLink           *link;          /* NULL for inventories made from XML */
  GhHost           *host;          /* never changed once here: replaced */
  GhHostDomainCaps *recorded_caps; /* from gh_host_inventory_set_domain_caps_xml() */
  GhHostVirgl      *virgl_override;
  char             *boot_vga_override;
  GPtrArray        *waiting;       /* GTask* of load_async calls while a load runs */
  GError           *load_error;

  guint             loading : 1;
  guint             reload_wanted : 1;
  guint             loaded : 1;
  guint             n_loads;
};

/* gh-host-inventory-xml.c: pure, any thread. */
GhHostDomainCaps *_gh_host_inventory_parse_domain_caps (const char    *xml,
                                                        GError       **error);
/* Adds to @data, which nobody else holds yet, the devices @xml describes. */
gboolean          _gh_host_inventory_add_device_xml    (GhHost        *data,
                                                        const char    *xml,
                                                        GError       **error);

/* gh-host-inventory-load.c: what one load's worker gets, and fills. */
typedef struct
{
  GWeakRef       self;
  virConnectPtr  conn;
  char          *uri;
  char          *probe_path;
  gboolean       local;
  GhHost      *result;
} LoadData;

void              _gh_host_inventory_load_data_free    (LoadData      *data);
/* Worker: reads @task_data's host; returns TRUE with LoadData.result set. */
void              _gh_host_inventory_load_thread       (GTask         *task,
                                                        gpointer       source_object,
                                                        gpointer       task_data,
                                                        GCancellable  *cancellable);

/* For the rest of core and its tests. */
/* How many times the inventory was read from libvirt: lets tests prove that events reach
 * it. */
guint           _gh_host_inventory_get_n_loads   (GhHostInventory      *self);

G_END_DECLS
