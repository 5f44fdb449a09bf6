/* gh-domain-disks.h: the disks a domain's XML names (private to src/core and its tests)
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char     *device;    /* "disk", "cdrom", "floppy" or "lun" */
  char     *path;      /* <source file=…> or <source dev=…>, else NULL */
  char     *pool;      /* <source pool=… volume=…>, else NULL */
  char     *volume;
  gboolean  readonly;
  gboolean  shareable;
  GPtrArray *backing;  /* char*: the paths of its <backingStore> chain, outermost first */
} GhDomainDisk;

GPtrArray        *_gh_domain_disks_from_xml     (const char    *xml,
                                                 GError       **error);
char             *_gh_volume_dup_backing_path   (const char    *volume_xml);
char             *_gh_domain_disk_dup_key       (const GhDomainDisk *disk);
char             *_gh_domain_volume_dup_key     (const char    *pool,
                                                 const char    *volume);
gboolean          _gh_domain_disk_is_deletable  (const GhDomainDisk *disk);
virStorageVolPtr  _gh_domain_disk_lookup_volume (const GhDomainDisk *disk,
                                                 virConnectPtr       conn);

G_END_DECLS
