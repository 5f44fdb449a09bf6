/* gh-domain-editor-disks.c: disks and CD-ROM drives
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-domain-editor-private.h"
#include "gh-error-private.h"
#include "gh-text.h"

/* ---- Disks ------------------------------------------------------------------------- */

void
gh_domain_editor_disk_free (GhDomainEditorDisk *disk)
{
  if (disk == NULL)
    return;

  g_free (disk->device);
  g_free (disk->target);
  g_free (disk->bus);
  g_free (disk->path);
  g_free (disk->pool);
  g_free (disk->volume);
  g_free (disk->format);
  g_clear_pointer (&disk->backing, g_ptr_array_unref);
  g_free (disk);
}

static char *
dup_source_path (xmlNode *source)
{
  char *path = _gh_xml_dup_prop (source, "file");

  if (path == NULL)
    path = _gh_xml_dup_prop (source, "dev");

  return path;
}

GhDomainEditorDisk *
_gh_domain_editor_disk_new (xmlNode *node)
{
  GhDomainEditorDisk *disk = g_new0 (GhDomainEditorDisk, 1);
  xmlNode *target = _gh_xml_first_child (node, "target");
  xmlNode *source = _gh_xml_first_child (node, "source");

  disk->device = _gh_xml_dup_prop (node, "device");
  if (disk->device == NULL)
    disk->device = g_strdup ("disk");
  disk->target = _gh_xml_dup_prop (target, "dev");
  disk->bus = _gh_xml_dup_prop (target, "bus");
  disk->path = dup_source_path (source);
  disk->pool = _gh_xml_dup_prop (source, "pool");
  disk->volume = _gh_xml_dup_prop (source, "volume");
  disk->format = _gh_xml_dup_prop (_gh_xml_first_child (node, "driver"), "type");
  disk->readonly = _gh_xml_first_child (node, "readonly") != NULL;
  disk->shareable = _gh_xml_first_child (node, "shareable") != NULL;

  /* A running domain's XML names the images its disk is built on. */
  disk->backing = g_ptr_array_new_with_free_func (g_free);
  for (xmlNode *store = _gh_xml_first_child (node, "backingStore");
       store != NULL;
       store = _gh_xml_first_child (store, "backingStore"))
    {
      xmlNode *store_source = _gh_xml_first_child (store, "source");
      char *path = store_source != NULL ? dup_source_path (store_source) : NULL;

      if (path != NULL)
        g_ptr_array_add (disk->backing, path);
    }

  return disk;
}

static GPtrArray *
dup_disks (GhDomainEditor *self,
           const char     *device)
{
  GPtrArray *disks = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_domain_editor_disk_free);
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *node = _gh_xml_first_child (devices, "disk"); node != NULL;
       node = _gh_xml_next_element (node->next, "disk"))
    {
      GhDomainEditorDisk *disk = _gh_domain_editor_disk_new (node);

      if (device == NULL || g_strcmp0 (disk->device, device) == 0)
        g_ptr_array_add (disks, disk);
      else
        gh_domain_editor_disk_free (disk);
    }

  return disks;
}

GPtrArray *
gh_domain_editor_dup_disks (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  return dup_disks (self, NULL);
}

GPtrArray *
gh_domain_editor_dup_cdroms (GhDomainEditor *self)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  return dup_disks (self, "cdrom");
}

static xmlNode *
find_disk (GhDomainEditor  *self,
           const char      *target,
           const char      *device,
           const char      *what,
           GError         **error)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");
  g_autofree char *detail = NULL;

  for (xmlNode *node = _gh_xml_first_child (devices, "disk"); node != NULL;
       node = _gh_xml_next_element (node->next, "disk"))
    {
      if (!_gh_xml_prop_equals (_gh_xml_first_child (node, "target"), "dev", target))
        continue;
      if (device == NULL || _gh_xml_prop_equals (node, "device", device))
        return node;
    }

  if (g_strcmp0 (device, "cdrom") == 0)
    /* Translators: %s is a drive's name in the machine, such as sda */
    detail = g_strdup_printf (_("The machine has no CD-ROM drive “%s”"), target);
  else
    /* Translators: %s is a disk's name in the machine, such as vda */
    detail = g_strdup_printf (_("The machine has no disk “%s”"), target);
  _gh_error_set (error, GH_ERROR_NOT_FOUND, what, detail);
  return NULL;
}

gboolean
gh_domain_editor_insert_cdrom (GhDomainEditor  *self,
                               const char      *target,
                               const char      *path,
                               GError         **error)
{
  g_autofree char *policy = NULL;
  xmlNode *disk;
  xmlNode *source;
  xmlNode *old;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (path != NULL && path[0] != '\0', FALSE);

  if (!gh_text_check (path, GH_TEXT_PATH, _("Could not insert the disc"), error))
    return FALSE;

  disk = find_disk (self, target, "cdrom", _("Could not insert the disc"), error);
  if (disk == NULL)
    return FALSE;

  /* A fresh <source>: whatever the old one named (a pool's volume, a host drive) goes,
   * but whether a missing image may stop the machine from starting stays. */
  old = _gh_xml_first_child (disk, "source");
  policy = _gh_xml_dup_prop (old, "startupPolicy");
  source = _gh_domain_editor_new_element (self, "source");
  _gh_xml_set_prop (source, "file", path);
  if (policy != NULL)
    _gh_xml_set_prop (source, "startupPolicy", policy);

  _gh_xml_set_prop (disk, "type", "file");
  if (old != NULL)
    {
      xmlReplaceNode (old, source);
      xmlFreeNode (old);
    }
  else
    {
      xmlNode *driver = _gh_xml_first_child (disk, "driver");

      _gh_xml_insert_child (disk, source,
                            driver != NULL ? _gh_xml_next_element (driver->next, NULL)
                                           : _gh_xml_first_child (disk, NULL));
    }

  return TRUE;
}

gboolean
gh_domain_editor_eject_cdrom (GhDomainEditor  *self,
                              const char      *target,
                              GError         **error)
{
  xmlNode *disk;
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  disk = find_disk (self, target, "cdrom", _("Could not eject the disc"), error);
  if (disk == NULL)
    return FALSE;

  while ((node = _gh_xml_first_child (disk, "source")) != NULL)
    _gh_xml_remove_node (node);
  while ((node = _gh_xml_first_child (disk, "backingStore")) != NULL)
    _gh_xml_remove_node (node);

  return TRUE;
}

char *
gh_domain_editor_add_disk (GhDomainEditor  *self,
                           const char      *path,
                           const char      *format,
                           gboolean         virtio,
                           GError         **error)
{
  static const char * const after[] = { "disk", "emulator", NULL };
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) disks = NULL;
  g_autofree char *target = NULL;
  g_autofree char *escaped_path = NULL;
  g_autofree char *escaped_format = NULL;
  g_autofree char *xml = NULL;
  const char *prefix = virtio ? "vd" : "sd";

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);
  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);

  if (format == NULL)
    format = g_str_has_suffix (path, ".qcow2") ? "qcow2" : "raw";

  disks = dup_disks (self, NULL);
  for (guint i = 0; i < disks->len; i++)
    {
      GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);

      if (disk->target != NULL)
        g_hash_table_add (used, g_strdup (disk->target));
    }

  for (char letter = 'a'; letter <= 'z' && target == NULL; letter++)
    {
      g_autofree char *name = g_strdup_printf ("%s%c", prefix, letter);

      if (!g_hash_table_contains (used, name))
        target = g_steal_pointer (&name);
    }

  if (target == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not add the disk"),
                     _("The machine has no free place for another disk on that bus"));
      return NULL;
    }

  escaped_path = g_markup_escape_text (path, -1);
  escaped_format = g_markup_escape_text (format, -1);
  xml = g_strdup_printf ("<disk type='file' device='disk'>"
                         "<driver name='qemu' type='%s'/>"
                         "<source file='%s'/>"
                         "<target dev='%s' bus='%s'/>"
                         "</disk>",
                         escaped_format, escaped_path, target, virtio ? "virtio" : "sata");
  _gh_domain_editor_insert_device (self, _gh_domain_editor_parse_element (self, xml), after);

  return g_steal_pointer (&target);
}

gboolean
gh_domain_editor_remove_disk (GhDomainEditor  *self,
                              const char      *target,
                              GError         **error)
{
  xmlNode *disk;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  disk = find_disk (self, target, NULL, _("Could not remove the disk"), error);
  if (disk == NULL)
    return FALSE;

  _gh_xml_remove_node (disk);
  return TRUE;
}
