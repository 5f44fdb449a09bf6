/* gh-domain-editor-boot.c: the boot order, and the end of an express install
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-domain-editor-private.h"
#include "gh-error-private.h"

/* ---- Boot order -------------------------------------------------------------------- */

static gboolean
device_boots (xmlNode *device)
{
  return _gh_xml_first_child (device, "boot") != NULL;
}

gboolean
gh_domain_editor_get_boot_per_device (GhDomainEditor *self)
{
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *device = _gh_xml_first_child (devices, NULL); device != NULL;
       device = _gh_xml_next_element (device->next, NULL))
    if (device_boots (device))
      return TRUE;

  return FALSE;
}

/* How a boot order names @device: see gh_domain_editor_dup_boot_order(). */
static char *
dup_device_key (xmlNode *device)
{
  const char *kind = (const char *) device->name;
  guint index = 0;

  if (_gh_xml_is_element (device, "disk"))
    {
      g_autofree char *target = _gh_xml_dup_prop (_gh_xml_first_child (device, "target"), "dev");

      if (target != NULL)
        return g_strconcat ("disk:", target, NULL);
    }
  else if (_gh_xml_is_element (device, "interface"))
    {
      g_autofree char *mac = _gh_xml_dup_prop (_gh_xml_first_child (device, "mac"), "address");

      if (mac != NULL)
        return g_strconcat ("interface:", mac, NULL);
    }

  for (xmlNode *other = _gh_xml_first_child (device->parent, kind); other != device;
       other = _gh_xml_next_element (other->next, kind))
    index++;

  return g_strdup_printf ("%s:%u", kind, index);
}

typedef struct
{
  guint64  order;
  char    *key;
} BootEntry;

static int
compare_boot_entries (gconstpointer a,
                      gconstpointer b)
{
  const BootEntry *ea = a, *eb = b;

  return ea->order < eb->order ? -1 : ea->order > eb->order;
}

/**
 * gh_domain_editor_dup_boot_order:
 *
 * Returns: (transfer full): the boot devices, first first; empty when the domain says
 *   nothing (libvirt then boots from the first disk).
 */
GStrv
gh_domain_editor_dup_boot_order (GhDomainEditor *self)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), NULL);

  if (gh_domain_editor_get_boot_per_device (self))
    {
      g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (BootEntry));
      xmlNode *devices = _gh_xml_first_child (self->root, "devices");

      for (xmlNode *device = _gh_xml_first_child (devices, NULL); device != NULL;
           device = _gh_xml_next_element (device->next, NULL))
        {
          BootEntry entry = { 0, NULL };

          if (!device_boots (device))
            continue;
          _gh_xml_prop_uint (_gh_xml_first_child (device, "boot"), "order", &entry.order);
          entry.key = dup_device_key (device);
          g_array_append_val (entries, entry);
        }

      g_array_sort (entries, compare_boot_entries);
      for (guint i = 0; i < entries->len; i++)
        g_ptr_array_add (order, g_array_index (entries, BootEntry, i).key);
    }
  else
    {
      xmlNode *os = _gh_xml_first_child (self->root, "os");

      for (xmlNode *boot = _gh_xml_first_child (os, "boot"); boot != NULL;
           boot = _gh_xml_next_element (boot->next, "boot"))
        {
          char *dev = _gh_xml_dup_prop (boot, "dev");

          if (dev != NULL)
            g_ptr_array_add (order, dev);
        }
    }

  g_ptr_array_add (order, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&order), FALSE);
}

static xmlNode *
find_device_by_key (GhDomainEditor *self,
                    const char     *key)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *device = _gh_xml_first_child (devices, NULL); device != NULL;
       device = _gh_xml_next_element (device->next, NULL))
    {
      g_autofree char *device_key = dup_device_key (device);

      if (g_strcmp0 (device_key, key) == 0)
        return device;
    }

  return NULL;
}

static gboolean
set_boot_per_device (GhDomainEditor      *self,
                     const char * const  *order,
                     GError             **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  /* Every name is checked before anything changes. */
  for (guint i = 0; order[i] != NULL; i++)
    {
      xmlNode *device = find_device_by_key (self, order[i]);

      if (device == NULL || g_ptr_array_find (targets, device, NULL))
        {
          g_autofree char *detail = NULL;

          /* Translators: %s names a device, such as disk:vda */
          detail = g_strdup_printf (device == NULL ? _("The machine has no device “%s”")
                                                   : _("“%s” is in the list twice"),
                                    order[i]);
          _gh_error_set (error, GH_ERROR_NOT_FOUND, _("Could not change the boot order"),
                         detail);
          return FALSE;
        }
      g_ptr_array_add (targets, device);
    }

  for (xmlNode *device = _gh_xml_first_child (devices, NULL); device != NULL;
       device = _gh_xml_next_element (device->next, NULL))
    {
      xmlNode *boot;

      while ((boot = _gh_xml_first_child (device, "boot")) != NULL)
        _gh_xml_remove_node (boot);
    }

  for (guint i = 0; i < targets->len; i++)
    {
      xmlNode *boot = _gh_domain_editor_new_element (self, "boot");

      _gh_xml_set_prop_uint (boot, "order", i + 1);
      _gh_xml_insert_child (g_ptr_array_index (targets, i), boot, NULL);
    }

  return TRUE;
}

static gboolean
set_boot_os (GhDomainEditor      *self,
             const char * const  *order,
             GError             **error)
{
  static const char * const known[] = { "hd", "cdrom", "network", "fd", NULL };
  xmlNode *os = _gh_xml_first_child (self->root, "os");
  xmlNode *before = NULL;
  xmlNode *boot;

  for (guint i = 0; order[i] != NULL; i++)
    {
      if (!g_strv_contains (known, order[i]))
        {
          g_autofree char *detail = NULL;

          /* Translators: %s is what was asked for, such as “disk:vda” */
          detail = g_strdup_printf (_("“%s” is not a kind of boot device"), order[i]);
          _gh_error_set (error, GH_ERROR_FAILED, _("Could not change the boot order"),
                         detail);
          return FALSE;
        }
    }

  if (os == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not change the boot order"),
                     _("The machine’s description has no operating system section"));
      return FALSE;
    }

  /* The new list goes where the old one was. */
  boot = _gh_xml_last_child (os, "boot");
  if (boot != NULL)
    before = _gh_xml_next_element (boot->next, NULL);
  while ((boot = _gh_xml_first_child (os, "boot")) != NULL)
    _gh_xml_remove_node (boot);

  for (guint i = 0; order[i] != NULL; i++)
    {
      boot = _gh_domain_editor_new_element (self, "boot");
      _gh_xml_set_prop (boot, "dev", order[i]);
      _gh_xml_insert_child (os, boot, before);
    }

  return TRUE;
}

gboolean
gh_domain_editor_set_boot_order (GhDomainEditor      *self,
                                 const char * const  *order,
                                 GError             **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  if (gh_domain_editor_get_boot_per_device (self))
    return set_boot_per_device (self, order, error);

  return set_boot_os (self, order, error);
}

/* ---- An express install's install phase -------------------------------------------- */

/* The boot entries of the disks (not CD-ROMs) first, the others after them. */
static GStrv
dup_boot_order_disks_first (GhDomainEditor *self)
{
  g_auto(GStrv) order = gh_domain_editor_dup_boot_order (self);
  g_autoptr(GPtrArray) disks = g_ptr_array_new ();
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  GPtrArray *result;

  if (gh_domain_editor_get_boot_per_device (self))
    {
      for (guint i = 0; order[i] != NULL; i++)
        {
          xmlNode *device = find_device_by_key (self, order[i]);

          if (device != NULL && _gh_xml_is_element (device, "disk")
              && (_gh_xml_prop_equals (device, "device", "disk")
                  || xmlHasProp (device, (const xmlChar *) "device") == NULL))
            g_ptr_array_add (disks, order[i]);
          else
            g_ptr_array_add (others, order[i]);
        }
    }
  else
    {
      for (guint i = 0; order[i] != NULL; i++)
        g_ptr_array_add (g_str_equal (order[i], "hd") ? disks : others, order[i]);
    }

  result = g_ptr_array_new ();
  for (guint i = 0; i < disks->len; i++)
    g_ptr_array_add (result, g_strdup (g_ptr_array_index (disks, i)));
  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (result, g_strdup (g_ptr_array_index (others, i)));
  g_ptr_array_add (result, NULL);
  return (GStrv) g_ptr_array_free (result, FALSE);
}

/**
 * gh_domain_editor_end_express_install:
 *
 * Turns the install phase of an express install into the installed machine: no
 * installer kernel, initrd or command line, a reboot restarts it again, the install
 * media is ejected and the disks boot first. Greenhouse's note of the install goes; the
 * two files it names are the caller's to delete.
 */
gboolean
gh_domain_editor_end_express_install (GhDomainEditor  *self,
                                      GError         **error)
{
  static const char * const boot_files[] = { "kernel", "initrd", "cmdline", NULL };
  g_auto(GStrv) order = NULL;
  xmlNode *note;
  xmlNode *os;
  xmlNode *on_reboot;
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  note = _gh_domain_editor_find_express_install (self);
  if (note == NULL)
    {
      _gh_error_set (error, GH_ERROR_INVALID_STATE, _("Could not finish the installation"),
                     _("The machine is not being installed"));
      return FALSE;
    }

  /* Checked before anything changes. */
  order = dup_boot_order_disks_first (self);
  if (!gh_domain_editor_set_boot_order (self, (const char * const *) order, error))
    return FALSE;

  os = _gh_xml_first_child (self->root, "os");
  for (guint i = 0; boot_files[i] != NULL; i++)
    {
      xmlNode *node;

      while ((node = _gh_xml_first_child (os, boot_files[i])) != NULL)
        _gh_xml_remove_node (node);
    }

  on_reboot = _gh_xml_first_child (self->root, "on_reboot");
  if (on_reboot != NULL)
    _gh_xml_set_text (on_reboot, "restart");

  /* An installer that boots again from its CD would install again. */
  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *disk = _gh_xml_first_child (devices, "disk"); disk != NULL;
       disk = _gh_xml_next_element (disk->next, "disk"))
    {
      xmlNode *node;

      if (!_gh_xml_prop_equals (disk, "device", "cdrom"))
        continue;
      while ((node = _gh_xml_first_child (disk, "source")) != NULL)
        _gh_xml_remove_node (node);
      while ((node = _gh_xml_first_child (disk, "backingStore")) != NULL)
        _gh_xml_remove_node (node);
    }

  _gh_domain_editor_remove_own_note (note);

  return TRUE;
}
