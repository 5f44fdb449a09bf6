/* gh-domain-editor-devices.c: host devices, mediated devices, USB and network cards
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-domain-editor-private.h"
#include "gh-error-private.h"

void
gh_domain_hostdev_free (GhDomainHostdev *hostdev)
{
  if (hostdev == NULL)
    return;

  g_free (hostdev->address);
  g_free (hostdev->uuid);
  g_free (hostdev->model);
  g_free (hostdev);
}

void
gh_domain_interface_free (GhDomainInterface *iface)
{
  if (iface == NULL)
    return;

  g_free (iface->type);
  g_free (iface->mac);
  g_free (iface->source);
  g_free (iface->model);
  g_free (iface);
}

/* ---- Host devices ------------------------------------------------------------------ */

typedef struct
{
  guint domain, bus, slot, function;
} PciAddress;

static gboolean
parse_pci_address (const char *text,
                   PciAddress *address)
{
  int end = -1;

  if (text == NULL)
    return FALSE;

  address->domain = 0;
  if (sscanf (text, "%x:%x:%x.%x%n", &address->domain, &address->bus, &address->slot,
              &address->function, &end) == 4 && end == (int) strlen (text))
    ;
  else if (end = -1, address->domain = 0,
           sscanf (text, "%x:%x.%x%n", &address->bus, &address->slot,
                   &address->function, &end) == 3 && end == (int) strlen (text))
    ;
  else
    return FALSE;

  return address->domain <= 0xffff && address->bus <= 0xff && address->slot <= 0x1f
         && address->function <= 7;
}

static char *
pci_address_to_string (const PciAddress *address)
{
  return g_strdup_printf ("%04x:%02x:%02x.%x", address->domain, address->bus,
                          address->slot, address->function);
}

char *
gh_domain_pci_address_dup_full (const char *address)
{
  PciAddress parsed;

  return parse_pci_address (address, &parsed) ? pci_address_to_string (&parsed) : NULL;
}

static gboolean
read_pci_address (xmlNode    *node,
                  PciAddress *address)
{
  guint64 domain = 0, bus, slot, function;

  if (node == NULL)
    return FALSE;

  /* libvirt defaults the domain to 0; the rest it needs. */
  _gh_xml_prop_uint (node, "domain", &domain);
  if (!_gh_xml_prop_uint (node, "bus", &bus) || !_gh_xml_prop_uint (node, "slot", &slot)
      || !_gh_xml_prop_uint (node, "function", &function))
    return FALSE;

  address->domain = domain;
  address->bus = bus;
  address->slot = slot;
  address->function = function;
  return TRUE;
}

/* The <source><address> of a <hostdev>, or NULL. */
static xmlNode *
source_address (xmlNode *hostdev)
{
  return _gh_xml_first_child (_gh_xml_first_child (hostdev, "source"), "address");
}

static gboolean
is_hostdev (xmlNode    *node,
            const char *type)
{
  return _gh_xml_is_element (node, "hostdev") && _gh_xml_prop_equals (node, "mode", "subsystem")
         && _gh_xml_prop_equals (node, "type", type);
}

static GhDomainHostdev *
hostdev_new (xmlNode *node)
{
  GhDomainHostdev *hostdev = g_new0 (GhDomainHostdev, 1);
  xmlNode *source = _gh_xml_first_child (node, "source");
  g_autofree char *managed = _gh_xml_dup_prop (node, "managed");

  hostdev->managed = g_strcmp0 (managed, "yes") == 0;

  if (is_hostdev (node, "pci"))
    {
      PciAddress address;

      hostdev->kind = GH_DOMAIN_HOSTDEV_PCI;
      if (read_pci_address (_gh_xml_first_child (source, "address"), &address))
        hostdev->address = pci_address_to_string (&address);
    }
  else if (is_hostdev (node, "usb"))
    {
      xmlNode *address = _gh_xml_first_child (source, "address");
      guint64 value, bus, device;

      hostdev->kind = GH_DOMAIN_HOSTDEV_USB;
      if (_gh_xml_prop_uint (_gh_xml_first_child (source, "vendor"), "id", &value))
        hostdev->vendor_id = value;
      if (_gh_xml_prop_uint (_gh_xml_first_child (source, "product"), "id", &value))
        hostdev->product_id = value;
      if (_gh_xml_prop_uint (address, "bus", &bus)
          && _gh_xml_prop_uint (address, "device", &device))
        hostdev->address = g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT,
                                            bus, device);
    }
  else if (is_hostdev (node, "mdev"))
    {
      g_autofree char *display = _gh_xml_dup_prop (node, "display");

      hostdev->kind = GH_DOMAIN_HOSTDEV_MDEV;
      hostdev->uuid = _gh_xml_dup_prop (_gh_xml_first_child (source, "address"), "uuid");
      hostdev->model = _gh_xml_dup_prop (node, "model");
      hostdev->display = g_strcmp0 (display, "on") == 0;
    }
  else
    {
      hostdev->kind = GH_DOMAIN_HOSTDEV_OTHER;
    }

  return hostdev;
}

GPtrArray *
gh_domain_editor_dup_hostdevs (GhDomainEditor *self)
{
  GPtrArray *hostdevs = g_ptr_array_new_with_free_func ((GDestroyNotify) gh_domain_hostdev_free);
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), hostdevs);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "hostdev"); node != NULL;
       node = _gh_xml_next_element (node->next, "hostdev"))
    g_ptr_array_add (hostdevs, hostdev_new (node));

  return hostdevs;
}

static xmlNode *
find_pci_hostdev (GhDomainEditor   *self,
                  const PciAddress *wanted)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *node = _gh_xml_first_child (devices, "hostdev"); node != NULL;
       node = _gh_xml_next_element (node->next, "hostdev"))
    {
      PciAddress address;

      if (is_hostdev (node, "pci")
          && read_pci_address (source_address (node), &address)
          && memcmp (&address, wanted, sizeof address) == 0)
        return node;
    }

  return NULL;
}

void
_gh_domain_editor_insert_hostdev (GhDomainEditor *self,
                                  xmlNode        *hostdev)
{
  static const char * const after[] = { "hostdev", "video", "graphics", "input", NULL };

  _gh_domain_editor_insert_device (self, hostdev, after);
}

static void
set_invalid_address (GError     **error,
                     const char  *what,
                     const char  *address)
{
  g_autofree char *detail = NULL;

  /* Translators: %s is what was given as a PCI address */
  detail = g_strdup_printf (_("“%s” is not a PCI address such as 0000:01:00.0"), address);
  _gh_error_set (error, GH_ERROR_FAILED, what, detail);
}

gboolean
gh_domain_editor_attach_pci_hostdevs (GhDomainEditor      *self,
                                      const char * const  *addresses,
                                      GError             **error)
{
  g_autoptr(GArray) parsed = g_array_new (FALSE, FALSE, sizeof (PciAddress));

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (addresses != NULL, FALSE);

  /* All or nothing: a GPU without its audio function is worse than no GPU. */
  for (guint i = 0; addresses[i] != NULL; i++)
    {
      PciAddress address;

      if (!parse_pci_address (addresses[i], &address))
        {
          set_invalid_address (error, _("Could not give the device to the machine"),
                               addresses[i]);
          return FALSE;
        }
      g_array_append_val (parsed, address);
    }

  for (guint i = 0; i < parsed->len; i++)
    {
      const PciAddress *address = &g_array_index (parsed, PciAddress, i);
      g_autofree char *xml = NULL;

      if (find_pci_hostdev (self, address) != NULL)
        continue;

      xml = g_strdup_printf ("<hostdev mode='subsystem' type='pci' managed='yes'>"
                             "<driver name='vfio'/>"
                             "<source><address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                             "function='0x%x'/></source>"
                             "</hostdev>",
                             address->domain, address->bus, address->slot, address->function);
      _gh_domain_editor_insert_hostdev (self, _gh_domain_editor_parse_element (self, xml));
    }

  return TRUE;
}

gboolean
gh_domain_editor_detach_pci_hostdev (GhDomainEditor  *self,
                                     const char      *address,
                                     GError         **error)
{
  const char *what = _("Could not take the device away from the machine");
  PciAddress parsed;
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  if (!parse_pci_address (address, &parsed))
    {
      set_invalid_address (error, what, address);
      return FALSE;
    }

  node = find_pci_hostdev (self, &parsed);
  if (node == NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a PCI address */
      detail = g_strdup_printf (_("The machine has no host device %s"), address);
      _gh_error_set (error, GH_ERROR_NOT_FOUND, what, detail);
      return FALSE;
    }

  _gh_xml_remove_node (node);
  return TRUE;
}

/* libvirt refuses every USB device, the tablet and USB redirection included, of a
 * machine whose definition turns USB off: <controller type='usb' model='none'/>. */
gboolean
gh_domain_editor_get_has_usb (GhDomainEditor *self)
{
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "controller"); node != NULL;
       node = _gh_xml_next_element (node->next, "controller"))
    if (_gh_xml_prop_equals (node, "type", "usb") && _gh_xml_prop_equals (node, "model", "none"))
      return FALSE;

  return TRUE;
}

static xmlNode *
find_mdev (GhDomainEditor *self,
           const char     *uuid)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *node = _gh_xml_first_child (devices, "hostdev"); node != NULL;
       node = _gh_xml_next_element (node->next, "hostdev"))
    {
      g_autofree char *node_uuid = NULL;

      if (!is_hostdev (node, "mdev"))
        continue;
      node_uuid = _gh_xml_dup_prop (source_address (node), "uuid");
      if (node_uuid != NULL && g_ascii_strcasecmp (node_uuid, uuid) == 0)
        return node;
    }

  return NULL;
}

gboolean
_gh_domain_editor_has_hostdev (GhDomainEditor *self,
                               xmlNode        *hostdev)
{
  xmlNode *address_node = source_address (hostdev);
  g_autofree char *uuid = _gh_xml_dup_prop (address_node, "uuid");
  PciAddress address;

  if (is_hostdev (hostdev, "pci"))
    return read_pci_address (address_node, &address) && find_pci_hostdev (self, &address) != NULL;
  if (is_hostdev (hostdev, "mdev"))
    return uuid != NULL && find_mdev (self, uuid) != NULL;
  return FALSE;
}

gboolean
gh_domain_editor_attach_mdev (GhDomainEditor  *self,
                              const char      *uuid,
                              const char      *model,
                              gboolean         display,
                              GError         **error)
{
  g_autofree char *escaped_model = NULL;
  g_autofree char *xml = NULL;
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);

  if (uuid == NULL || !g_uuid_string_is_valid (uuid))
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is what was given as a mediated device's UUID */
      detail = g_strdup_printf (_("“%s” is not the UUID of a mediated device"),
                                uuid != NULL ? uuid : "");
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not give the virtual GPU to the machine"),
                     detail);
      return FALSE;
    }

  /* libvirt shows a virtual GPU's screen through the machine's display, and refuses
   * display='on' where there is none. */
  if (display && !gh_domain_editor_get_has_graphics (self))
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED,
                     _("Could not give the virtual GPU to the machine"),
                     _("The machine has no display to show the virtual GPU’s screen on: give "
                       "it a display first, or attach the GPU with its screen off"));
      return FALSE;
    }

  escaped_model = g_markup_escape_text (model != NULL ? model : "vfio-pci", -1);
  node = find_mdev (self, uuid);
  if (node != NULL)
    {
      /* Already there: only its display may change. */
      _gh_xml_set_prop (node, "display", display ? "on" : "off");
      return TRUE;
    }

  xml = g_strdup_printf ("<hostdev mode='subsystem' type='mdev' model='%s' display='%s'>"
                         "<source><address uuid='%s'/></source>"
                         "</hostdev>",
                         escaped_model, display ? "on" : "off", uuid);
  _gh_domain_editor_insert_hostdev (self, _gh_domain_editor_parse_element (self, xml));

  return TRUE;
}

gboolean
gh_domain_editor_detach_mdev (GhDomainEditor  *self,
                              const char      *uuid,
                              GError         **error)
{
  xmlNode *node;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  node = find_mdev (self, uuid);
  if (node == NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a UUID */
      detail = g_strdup_printf (_("The machine has no virtual GPU %s"), uuid);
      _gh_error_set (error, GH_ERROR_NOT_FOUND,
                     _("Could not take the virtual GPU away from the machine"), detail);
      return FALSE;
    }

  _gh_xml_remove_node (node);
  _gh_domain_editor_unmark_mdev_made (self, uuid);
  return TRUE;
}

/* A USB hostdev by vendor and product (@at FALSE) or by bus and device (@at TRUE). */
static xmlNode *
find_usb (GhDomainEditor *self,
          gboolean        at,
          guint           first,
          guint           second)
{
  xmlNode *devices = _gh_xml_first_child (self->root, "devices");

  for (xmlNode *node = _gh_xml_first_child (devices, "hostdev"); node != NULL;
       node = _gh_xml_next_element (node->next, "hostdev"))
    {
      xmlNode *source = _gh_xml_first_child (node, "source");
      guint64 a, b;
      gboolean found;

      if (!is_hostdev (node, "usb"))
        continue;

      if (at)
        found = _gh_xml_prop_uint (_gh_xml_first_child (source, "address"), "bus", &a)
                && _gh_xml_prop_uint (_gh_xml_first_child (source, "address"), "device", &b);
      else
        found = _gh_xml_prop_uint (_gh_xml_first_child (source, "vendor"), "id", &a)
                && _gh_xml_prop_uint (_gh_xml_first_child (source, "product"), "id", &b);

      if (found && a == first && b == second)
        return node;
    }

  return NULL;
}

static gboolean
attach_usb (GhDomainEditor  *self,
            gboolean         at,
            guint            first,
            guint            second,
            GError         **error)
{
  g_autofree char *xml = NULL;

  if (!at && (first > 0xffff || second > 0xffff))
    {
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not give the USB device to the machine"),
                     _("USB vendor and product IDs have four hexadecimal digits"));
      return FALSE;
    }

  if (find_usb (self, at, first, second) != NULL)
    return TRUE;

  if (!gh_domain_editor_get_has_usb (self))
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED,
                     _("Could not give the USB device to the machine"),
                     _("The machine’s definition turns USB off (a USB controller of model "
                       "“none”); turn USB on with virsh edit first"));
      return FALSE;
    }

  if (at)
    xml = g_strdup_printf ("<hostdev mode='subsystem' type='usb' managed='yes'>"
                           "<source><address bus='%u' device='%u'/></source>"
                           "</hostdev>", first, second);
  else
    xml = g_strdup_printf ("<hostdev mode='subsystem' type='usb' managed='yes'>"
                           "<source><vendor id='0x%04x'/><product id='0x%04x'/></source>"
                           "</hostdev>", first, second);
  _gh_domain_editor_insert_hostdev (self, _gh_domain_editor_parse_element (self, xml));

  return TRUE;
}

static gboolean
detach_usb (GhDomainEditor  *self,
            gboolean         at,
            guint            first,
            guint            second,
            GError         **error)
{
  xmlNode *node = find_usb (self, at, first, second);

  if (node == NULL)
    {
      g_autofree char *detail = NULL;

      if (at)
        /* Translators: a USB device's bus and device numbers */
        detail = g_strdup_printf (_("The machine has no USB device %u.%u"), first, second);
      else
        /* Translators: a USB device's vendor and product IDs */
        detail = g_strdup_printf (_("The machine has no USB device %04x:%04x"), first, second);
      _gh_error_set (error, GH_ERROR_NOT_FOUND,
                     _("Could not take the USB device away from the machine"), detail);
      return FALSE;
    }

  _gh_xml_remove_node (node);
  return TRUE;
}

gboolean
gh_domain_editor_attach_usb (GhDomainEditor  *self,
                             guint            vendor_id,
                             guint            product_id,
                             GError         **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  return attach_usb (self, FALSE, vendor_id, product_id, error);
}

gboolean
gh_domain_editor_detach_usb (GhDomainEditor  *self,
                             guint            vendor_id,
                             guint            product_id,
                             GError         **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  return detach_usb (self, FALSE, vendor_id, product_id, error);
}

gboolean
gh_domain_editor_attach_usb_at (GhDomainEditor  *self,
                                guint            bus,
                                guint            device,
                                GError         **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  return attach_usb (self, TRUE, bus, device, error);
}

gboolean
gh_domain_editor_detach_usb_at (GhDomainEditor  *self,
                                guint            bus,
                                guint            device,
                                GError         **error)
{
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  return detach_usb (self, TRUE, bus, device, error);
}

/* ---- Network ----------------------------------------------------------------------- */

GPtrArray *
gh_domain_editor_dup_interfaces (GhDomainEditor *self)
{
  GPtrArray *interfaces =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gh_domain_interface_free);
  xmlNode *devices;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), interfaces);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "interface"); node != NULL;
       node = _gh_xml_next_element (node->next, "interface"))
    {
      GhDomainInterface *iface = g_new0 (GhDomainInterface, 1);
      xmlNode *source = _gh_xml_first_child (node, "source");

      iface->type = _gh_xml_dup_prop (node, "type");
      iface->mac = _gh_xml_dup_prop (_gh_xml_first_child (node, "mac"), "address");
      iface->source = _gh_xml_dup_prop (source, "network");
      if (iface->source == NULL)
        iface->source = _gh_xml_dup_prop (source, "bridge");
      if (iface->source == NULL)
        iface->source = _gh_xml_dup_prop (source, "dev");
      iface->model = _gh_xml_dup_prop (_gh_xml_first_child (node, "model"), "type");
      g_ptr_array_add (interfaces, iface);
    }

  return interfaces;
}

gboolean
gh_domain_editor_set_interface_model (GhDomainEditor  *self,
                                      const char      *mac,
                                      const char      *model,
                                      GError         **error)
{
  xmlNode *devices;
  gboolean found = FALSE;

  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (self), FALSE);
  g_return_val_if_fail (model != NULL && model[0] != '\0', FALSE);

  devices = _gh_xml_first_child (self->root, "devices");
  for (xmlNode *node = _gh_xml_first_child (devices, "interface"); node != NULL;
       node = _gh_xml_next_element (node->next, "interface"))
    {
      xmlNode *model_node;

      if (mac != NULL)
        {
          xmlNode *mac_node = _gh_xml_first_child (node, "mac");
          g_autofree char *node_mac = _gh_xml_dup_prop (mac_node, "address");

          if (node_mac == NULL || g_ascii_strcasecmp (node_mac, mac) != 0)
            continue;
        }

      found = TRUE;
      model_node = _gh_xml_first_child (node, "model");
      if (model_node == NULL)
        model_node = _gh_xml_insert_child (node, _gh_domain_editor_new_element (self, "model"),
                                           NULL);
      _gh_xml_set_prop (model_node, "type", model);

      /* Queues, offloads and the vhost backend are virtio's alone (transitional or not):
       * libvirt would drop them from another model's card. What we define is what the
       * machine keeps. */
      if (!g_str_has_prefix (model, "virtio"))
        {
          xmlNode *driver = _gh_xml_first_child (node, "driver");

          if (driver != NULL)
            _gh_xml_remove_node (driver);
        }
    }

  if (mac != NULL && !found)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a MAC address */
      detail = g_strdup_printf (_("The machine has no network interface %s"), mac);
      _gh_error_set (error, GH_ERROR_NOT_FOUND, _("Could not change the network card"), detail);
      return FALSE;
    }

  return TRUE;
}
