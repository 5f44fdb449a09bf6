/* gh-domain-editor-metadata.c: Greenhouse's own notes in a domain's <metadata>
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-domain-editor-private.h"
#include "gh-domain-metadata.h"

/* Whether @node is the element @name of Greenhouse's metadata namespace, whatever prefix
 * libvirt or another tool gave it. */
static gboolean
is_own (xmlNode    *node,
        const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL
         && g_strcmp0 ((const char *) node->ns->href, GH_DOMAIN_METADATA_NS) == 0
         && strcmp ((const char *) node->name, name) == 0;
}

/* The child of @parent named @name in Greenhouse's metadata namespace. */
static xmlNode *
find_own_child (xmlNode    *parent,
                const char *name)
{
  for (xmlNode *child = parent != NULL ? parent->children : NULL; child != NULL;
       child = child->next)
    if (is_own (child, name))
      return child;

  return NULL;
}

/* <greenhouse:greenhouse> in the domain's <metadata>, or NULL. */
static xmlNode *
find_own (GhDomainEditor *self)
{
  return find_own_child (_gh_xml_first_child (self->root, "metadata"), GH_DOMAIN_METADATA_ROOT);
}

void
_gh_domain_editor_remove_own_note (xmlNode *note)
{
  xmlNode *own = note->parent;
  xmlNode *metadata = own->parent;

  _gh_xml_remove_node (note);
  if (_gh_xml_next_element_any (own->children) == NULL)
    _gh_xml_remove_node (own);
  if (_gh_xml_next_element_any (metadata->children) == NULL)
    _gh_xml_remove_node (metadata);
}

/* ---- Mediated devices Greenhouse made ---------------------------------------------- */

static xmlNode *
find_made_mdev (GhDomainEditor *self,
                const char     *uuid)
{
  xmlNode *own = find_own (self);

  for (xmlNode *child = own != NULL ? own->children : NULL; child != NULL; child = child->next)
    {
      g_autofree char *made_uuid = NULL;

      if (!is_own (child, GH_DOMAIN_METADATA_MADE_MDEV))
        continue;
      made_uuid = _gh_xml_dup_prop (child, "uuid");
      if (made_uuid != NULL && g_ascii_strcasecmp (made_uuid, uuid) == 0)
        return child;
    }

  return NULL;
}

/**
 * gh_domain_editor_mark_mdev_made:
 * @uuid: the mediated device's UUID
 * @node_device: its node device name on the host ("mdev_<uuid>_<parent>")
 *
 * Records in the domain's own metadata that Greenhouse made the mediated device @uuid
 * for this machine, so that taking it away can remove it from the host again. A device
 * the user made elsewhere is never marked, and so never removed.
 */
void
gh_domain_editor_mark_mdev_made (GhDomainEditor *self,
                                 const char     *uuid,
                                 const char     *node_device)
{
  static const char * const after[] = { "description", "title", "uuid", "name", NULL };
  g_autofree char *escaped_uuid = NULL;
  g_autofree char *escaped_device = NULL;
  g_autofree char *xml = NULL;
  xmlNode *metadata;
  xmlNode *own;

  g_return_if_fail (GH_IS_DOMAIN_EDITOR (self));
  g_return_if_fail (uuid != NULL && node_device != NULL);

  if (find_made_mdev (self, uuid) != NULL)
    return;

  metadata = _gh_domain_editor_ensure_element (self, "metadata", after);
  own = find_own_child (metadata, GH_DOMAIN_METADATA_ROOT);
  if (own == NULL)
    {
      xml = g_strdup_printf ("<%s xmlns:%s='%s'/>",
                             GH_DOMAIN_METADATA_QNAME (GH_DOMAIN_METADATA_ROOT),
                             GH_DOMAIN_METADATA_PREFIX, GH_DOMAIN_METADATA_NS);
      own = _gh_xml_insert_child (metadata, _gh_domain_editor_parse_element (self, xml), NULL);
      g_clear_pointer (&xml, g_free);
    }

  escaped_uuid = g_markup_escape_text (uuid, -1);
  escaped_device = g_markup_escape_text (node_device, -1);
  /* The fragment parser gives the element its own copy of the namespace: point it at
   * the one its parent declares, so the document declares it once. */
  xml = g_strdup_printf ("<%s xmlns:%s='%s' uuid='%s' device='%s'/>",
                         GH_DOMAIN_METADATA_QNAME (GH_DOMAIN_METADATA_MADE_MDEV),
                         GH_DOMAIN_METADATA_PREFIX, GH_DOMAIN_METADATA_NS,
                         escaped_uuid, escaped_device);
  {
    xmlNode *made = _gh_domain_editor_parse_element (self, xml);

    xmlSetNs (made, own->ns);
    if (made->nsDef != NULL)
      {
        xmlFreeNsList (made->nsDef);
        made->nsDef = NULL;
      }
    _gh_xml_insert_child (own, made, NULL);
  }
}

/**
 * gh_domain_editor_dup_mdev_made:
 *
 * Returns: (nullable): the node device name of the mediated device @uuid when
 *   Greenhouse made it for this machine, else %NULL
 */
char *
gh_domain_editor_dup_mdev_made (GhDomainEditor *self,
                                const char     *uuid)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return _gh_xml_dup_prop (find_made_mdev (self, uuid), "device");
}

void
_gh_domain_editor_unmark_mdev_made (GhDomainEditor *self,
                                    const char     *uuid)
{
  xmlNode *made = find_made_mdev (self, uuid);

  if (made != NULL)
    _gh_domain_editor_remove_own_note (made);
}

/* ---- The install phase of an express install --------------------------------------- */

xmlNode *
_gh_domain_editor_find_express_install (GhDomainEditor *self)
{
  return find_own_child (find_own (self), GH_DOMAIN_METADATA_EXPRESS_INSTALL);
}

/**
 * gh_domain_editor_get_express_install:
 * @kernel: (out) (optional): the install phase's kernel
 * @initrd: (out) (optional): its initrd, which holds the installer's answers
 *
 * Returns: whether the domain is in the install phase of an express install
 */
gboolean
gh_domain_editor_get_express_install (GhDomainEditor  *self,
                                      char           **kernel,
                                      char           **initrd)
{
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  node = _gh_domain_editor_find_express_install (self);
  if (kernel != NULL)
    *kernel = _gh_xml_dup_prop (node, "kernel");
  if (initrd != NULL)
    *initrd = _gh_xml_dup_prop (node, "initrd");
  return node != NULL;
}
