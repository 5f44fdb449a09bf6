/* gh-domain-metadata.h: the namespaces and elements of what Greenhouse notes in a domain's
 * <metadata>
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Greenhouse's own notes, in a namespace of its own so that libvirt and other tools keep
 * them as they are:
 *
 *   <greenhouse:greenhouse xmlns:greenhouse='https://greenhouse.invalid/xmlns/domain/1.0'>
 *     <greenhouse:express-install kernel='…' initrd='…'/>
 *     <greenhouse:made-mdev uuid='…' device='…'/>
 *   </greenhouse:greenhouse>
 *
 * The namespace is what makes an element Greenhouse's: a reader matches it, whatever
 * prefix the document gives it. */
#define GH_DOMAIN_METADATA_NS "https://greenhouse.invalid/xmlns/domain/1.0"

/* Local names in that namespace. */
#define GH_DOMAIN_METADATA_ROOT             "greenhouse"       /* the one in <metadata> */
#define GH_DOMAIN_METADATA_EXPRESS_INSTALL  "express-install"  /* the install phase */
#define GH_DOMAIN_METADATA_MADE_MDEV        "made-mdev"        /* a device Greenhouse made */

/* The prefix Greenhouse writes them with, declared on the outermost element it writes,
 * and an element's name with it: "greenhouse:@name". */
#define GH_DOMAIN_METADATA_PREFIX       "greenhouse"
#define GH_DOMAIN_METADATA_QNAME(name)  GH_DOMAIN_METADATA_PREFIX ":" name

/* libosinfo's note of the guest's OS (<libosinfo:libosinfo><libosinfo:os id='…'/>), which
 * virt-manager and GNOME Boxes write and read too. */
#define GH_DOMAIN_LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"
