/* gh-domain-disks.h: the disks a domain's XML names (private to src/core and its tests)
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/tree.h>
#include <glib.h>

#include "gh-domain-editor.h"

G_BEGIN_DECLS

/* The editor's disk: one struct for a <disk>, whoever reads it. */
typedef GhDomainEditorDisk GhDomainDisk;

/* GhDomainDisk*: every <disk> of a domain's XML, in document order. */
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
