/* gh-domain-editor-private.h: what the parts of GhDomainEditor share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-domain-editor.h"
#include "gh-xml-private.h"

G_BEGIN_DECLS

/* libxml2 on the document libvirt gave us, not libvirt-gconfig: the editor only ever
 * changes the nodes an edit is about, and new nodes are indented like their neighbours,
 * so that the XML a person reads in `virsh edit` afterwards still looks like theirs. */
struct _GhDomainEditor
{
  GObject parent_instance;

  /* Owned references */
  xmlDoc *doc;

  /* Borrowed references */
  xmlNode *root;
};

/* gh-domain-editor.c: making nodes of the document. */
xmlNode   *_gh_domain_editor_new_element        (GhDomainEditor      *self,
                                                 const char          *name);
/* @xml's elements, made nodes of the document (not yet in the tree); NULL with @error
 * when @xml is not well-formed. */
GPtrArray *_gh_domain_editor_parse_fragment     (GhDomainEditor      *self,
                                                 const char          *xml,
                                                 GError             **error);
/* One element Greenhouse wrote itself: it is always well-formed. */
xmlNode   *_gh_domain_editor_parse_element      (GhDomainEditor      *self,
                                                 const char          *xml);
/* The child @name of <domain>, made after the first of @after the domain has when it has
 * none. */
xmlNode   *_gh_domain_editor_ensure_element     (GhDomainEditor      *self,
                                                 const char          *name,
                                                 const char * const  *after);
xmlNode   *_gh_domain_editor_ensure_devices     (GhDomainEditor      *self);
/* Adds @device after the last of the first kind in @after that the domain has, so that
 * new devices sit where libvirt itself would write them. */
void       _gh_domain_editor_insert_device      (GhDomainEditor      *self,
                                                 xmlNode             *device,
                                                 const char * const  *after);

/* gh-domain-editor-metadata.c */
xmlNode   *_gh_domain_editor_find_express_install (GhDomainEditor    *self);
/* Forgets that Greenhouse made the mediated device @uuid. */
void       _gh_domain_editor_unmark_mdev_made   (GhDomainEditor      *self,
                                                 const char          *uuid);
/* Takes @note out of Greenhouse's metadata, and the elements that held only it. */
void       _gh_domain_editor_remove_own_note    (xmlNode             *note);

/* gh-domain-editor-devices.c */
/* Whether the domain has the PCI or mediated device of @hostdev, a <hostdev> element
 * not in the tree, already. */
gboolean   _gh_domain_editor_has_hostdev        (GhDomainEditor      *self,
                                                 xmlNode             *hostdev);
void       _gh_domain_editor_insert_hostdev     (GhDomainEditor      *self,
                                                 xmlNode             *hostdev);

/* gh-domain-editor-disks.c: the one reader of a <disk> element, which gh-domain-disks
 * uses too; gh_domain_editor_disk_free() frees what it returns. */
GhDomainEditorDisk *_gh_domain_editor_disk_new (xmlNode             *node);

G_END_DECLS
