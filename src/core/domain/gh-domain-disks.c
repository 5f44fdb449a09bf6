/* gh-domain-disks.c: the one reader of a domain's <disk> elements
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-domain-disks.h"
#include "gh-domain-editor-private.h"
#include "gh-error-private.h"
#include "gh-xml-private.h"

/* The image a storage volume is built on (its <backingStore><path>), or NULL. */
char *
_gh_volume_dup_backing_path (const char *volume_xml)
{
  xmlDoc *doc = _gh_xml_parse (volume_xml);
  xmlNode *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  xmlNode *path = _gh_xml_first_child (_gh_xml_first_child (root, "backingStore"), "path");
  g_autofree char *content = _gh_xml_dup_content (path);
  char *ret = NULL;

  if (content != NULL && content[0] != '\0')
    ret = g_strdup (g_strstrip (content));

  xmlFreeDoc (doc);
  return ret;
}

GPtrArray *
_gh_domain_disks_from_xml (const char  *xml,
                           GError     **error)
{
  g_autoptr(GPtrArray) disks = NULL;
  xmlNode *root;
  xmlNode *devices;
  xmlDoc *doc;

  doc = _gh_xml_parse (xml);
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL || strcmp ((const char *) root->name, "domain") != 0)
    {
      _gh_error_set (error, GH_ERROR_FAILED, NULL,
                     _("libvirt returned a machine description that is not valid XML"));
      xmlFreeDoc (doc);
      return NULL;
    }

  disks = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_domain_editor_disk_free);
  devices = _gh_xml_first_child (root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "disk"); node != NULL;
       node = _gh_xml_next_element (node->next, "disk"))
    g_ptr_array_add (disks, _gh_domain_editor_disk_new (node));

  xmlFreeDoc (doc);
  return g_steal_pointer (&disks);
}

char *
_gh_domain_volume_dup_key (const char *pool,
                           const char *volume)
{
  /* A path never starts with this, so the two kinds of key cannot collide. */
  return g_strdup_printf ("pool:%s\n%s", pool, volume);
}

/* What identifies the storage a disk uses: its path, or its pool and volume. */
char *
_gh_domain_disk_dup_key (const GhDomainDisk *disk)
{
  if (disk->path != NULL)
    return g_strdup (disk->path);

  if (disk->pool != NULL && disk->volume != NULL)
    return _gh_domain_volume_dup_key (disk->pool, disk->volume);

  return g_strdup ("");
}

gboolean
_gh_domain_disk_is_deletable (const GhDomainDisk *disk)
{
  return g_strcmp0 (disk->device, "disk") == 0
         && !disk->readonly
         && !disk->shareable
         && (disk->path != NULL || (disk->pool != NULL && disk->volume != NULL));
}

virStorageVolPtr
_gh_domain_disk_lookup_volume (const GhDomainDisk *disk,
                               virConnectPtr       conn)
{
  virStoragePoolPtr pool;
  virStorageVolPtr vol;

  if (disk->path != NULL)
    return virStorageVolLookupByPath (conn, disk->path);

  pool = virStoragePoolLookupByName (conn, disk->pool);
  if (pool == NULL)
    return NULL;

  vol = virStorageVolLookupByName (pool, disk->volume);
  virStoragePoolFree (pool);
  return vol;
}
