/* gh-host-inventory-xml.c: libvirt's domain capabilities and node devices, read into a GhHost
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-error-private.h"
#include "gh-host-inventory-private.h"
#include "gh-util-private.h"
#include "gh-xml-private.h"

#define PCI_CLASS_DISPLAY 0x03
#define PCI_CLASS_BRIDGE_PCI 0x0604
#define PCI_CLASS_BRIDGE_CARDBUS 0x0607
#define PCI_CLASS_BRIDGE_PCI_SEMI 0x0609

/* The values of an <enum> of the domain capabilities, sorted; empty when absent. */
static GStrv
xpath_dup_values (xmlXPathContext *ctx,
                  xmlNode         *node,
                  const char      *expr)
{
  xmlXPathObject *obj = _gh_xml_xpath_nodes (ctx, node, expr);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < _gh_xml_n_nodes (obj); i++)
    {
      g_autofree char *value = _gh_xml_dup_content (_gh_xml_nth_node (obj, i));

      if (value != NULL && g_strstrip (value)[0] != '\0')
        g_ptr_array_add (values, g_steal_pointer (&value));
    }
  xmlXPathFreeObject (obj);

  g_ptr_array_sort (values, _gh_compare_strings);
  g_ptr_array_add (values, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&values), FALSE);
}

GhHostDomainCaps *
_gh_host_inventory_parse_domain_caps (const char  *xml,
                                      GError     **error)
{
  g_autoptr(GhHostDomainCaps) caps = g_new0 (GhHostDomainCaps, 1);
  g_autofree char *hostdev = NULL;
  xmlXPathContext *ctx;
  xmlNode *root;
  xmlDoc *doc;

  doc = _gh_xml_parse (xml);
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL || g_strcmp0 ((const char *) root->name, "domainCapabilities") != 0)
    {
      _gh_error_set (error, GH_ERROR_FAILED, NULL,
                     _("The host's domain capabilities are not valid XML"));
      xmlFreeDoc (doc);
      return NULL;
    }

  ctx = xmlXPathNewContext (doc);
  caps->emulator = _gh_xml_xpath_dup_text (ctx, root, "string(path)");
  caps->domain_type = _gh_xml_xpath_dup_text (ctx, root, "string(domain)");
  caps->machine = _gh_xml_xpath_dup_text (ctx, root, "string(machine)");
  caps->arch = _gh_xml_xpath_dup_text (ctx, root, "string(arch)");
  caps->video_models =
    xpath_dup_values (ctx, root, "devices/video[@supported='yes']/enum[@name='modelType']/value");
  caps->graphics_types =
    xpath_dup_values (ctx, root, "devices/graphics[@supported='yes']/enum[@name='type']/value");
  hostdev = _gh_xml_xpath_dup_text (ctx, root, "string(devices/hostdev/@supported)");
  caps->hostdev = g_strcmp0 (hostdev, "yes") == 0;
  caps->hostdev_subsys =
    xpath_dup_values (ctx, root,
                      "devices/hostdev[@supported='yes']/enum[@name='subsysType']/value");
  caps->pci_backends =
    xpath_dup_values (ctx, root,
                      "devices/hostdev[@supported='yes']/enum[@name='pciBackend']/value");
  caps->firmware =
    xpath_dup_values (ctx, root, "os[@supported='yes']/enum[@name='firmware']/value");
  caps->tpm =
    xpath_dup_values (ctx, root, "devices/tpm[@supported='yes']/enum[@name='backendModel']/value");

  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);

  return g_steal_pointer (&caps);
}

static char *
format_pci_address (guint domain,
                    guint bus,
                    guint slot,
                    guint function)
{
  return g_strdup_printf ("%04x:%02x:%02x.%x", domain, bus, slot, function);
}

/* The types a device can create: <capability type='mdev_types'> anywhere under @cap. */
static void
add_mdev_types (GhHost        *data,
                xmlXPathContext *ctx,
                xmlNode         *cap,
                const char      *parent,
                const char      *parent_address)
{
  xmlXPathObject *types = _gh_xml_xpath_nodes (ctx, cap, "capability[@type='mdev_types']/type");

  for (guint i = 0; i < _gh_xml_n_nodes (types); i++)
    {
      xmlNode *node = _gh_xml_nth_node (types, i);
      GhHostMdevType *type = g_new0 (GhHostMdevType, 1);

      type->id = _gh_xml_xpath_dup_text (ctx, node, "string(@id)");
      type->name = _gh_xml_xpath_dup_text (ctx, node, "string(name)");
      type->device_api = _gh_xml_xpath_dup_text (ctx, node, "string(deviceAPI)");
      type->available = _gh_xml_xpath_uint (ctx, node, "string(availableInstances)", 0);
      type->parent = g_strdup (parent);
      type->parent_address = g_strdup (parent_address);

      if (type->id == NULL)
        _gh_host_mdev_type_free (type);
      else
        g_ptr_array_add (data->mdev_types, type);
    }

  xmlXPathFreeObject (types);
}

static void
add_pci_device (GhHost        *data,
                xmlXPathContext *ctx,
                xmlNode         *device,
                xmlNode         *cap,
                const char      *name)
{
  g_autoptr(GhHostPciDevice) pci = g_new0 (GhHostPciDevice, 1);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);
  xmlXPathObject *addresses;

  pci->name = g_strdup (name);
  pci->domain = _gh_xml_xpath_uint (ctx, cap, "string(domain)", 0);
  pci->bus = _gh_xml_xpath_uint (ctx, cap, "string(bus)", 0);
  pci->slot = _gh_xml_xpath_uint (ctx, cap, "string(slot)", 0);
  pci->function = _gh_xml_xpath_uint (ctx, cap, "string(function)", 0);
  pci->address = format_pci_address (pci->domain, pci->bus, pci->slot, pci->function);
  pci->class_code = _gh_xml_xpath_uint (ctx, cap, "string(class)", 0);
  pci->vendor_id = _gh_xml_xpath_uint (ctx, cap, "string(vendor/@id)", 0);
  pci->product_id = _gh_xml_xpath_uint (ctx, cap, "string(product/@id)", 0);
  pci->vendor = _gh_xml_xpath_dup_text (ctx, cap, "string(vendor)");
  pci->product = _gh_xml_xpath_dup_text (ctx, cap, "string(product)");
  pci->driver = _gh_xml_xpath_dup_text (ctx, device, "string(driver/name)");
  pci->bridge = _gh_xml_xpath_boolean (ctx, cap, "boolean(capability[@type='pci-bridge'])")
                || (pci->class_code >> 8) == PCI_CLASS_BRIDGE_PCI
                || (pci->class_code >> 8) == PCI_CLASS_BRIDGE_CARDBUS
                || (pci->class_code >> 8) == PCI_CLASS_BRIDGE_PCI_SEMI;
  pci->iommu_group = (int) _gh_xml_xpath_uint (ctx, cap, "string(iommuGroup/@number)", G_MAXUINT);
  if ((guint) pci->iommu_group == G_MAXUINT)
    pci->iommu_group = -1;

  addresses = _gh_xml_xpath_nodes (ctx, cap, "iommuGroup/address");
  for (guint i = 0; i < _gh_xml_n_nodes (addresses); i++)
    {
      xmlNode *node = _gh_xml_nth_node (addresses, i);

      g_ptr_array_add (members,
                       format_pci_address (_gh_xml_xpath_uint (ctx, node, "string(@domain)", 0),
                                           _gh_xml_xpath_uint (ctx, node, "string(@bus)", 0),
                                           _gh_xml_xpath_uint (ctx, node, "string(@slot)", 0),
                                           _gh_xml_xpath_uint (ctx, node, "string(@function)", 0)));
    }
  xmlXPathFreeObject (addresses);
  if (pci->iommu_group >= 0 && members->len == 0)
    g_ptr_array_add (members, g_strdup (pci->address));
  g_ptr_array_sort (members, _gh_compare_strings);
  g_ptr_array_add (members, NULL);
  pci->iommu_members = (GStrv) g_ptr_array_free (g_steal_pointer (&members), FALSE);

  add_mdev_types (data, ctx, cap, pci->name, pci->address);

  g_hash_table_insert (data->pci_by_name, pci->name, pci);
  g_ptr_array_add (data->pci, g_steal_pointer (&pci));
}

static void
add_drm_device (GhHost        *data,
                xmlXPathContext *ctx,
                xmlNode         *device,
                xmlNode         *cap,
                const char      *parent)
{
  g_autofree char *type = _gh_xml_xpath_dup_text (ctx, cap, "string(type)");
  g_autofree char *devnode = _gh_xml_xpath_dup_text (ctx, device, "string(devnode[@type='dev'])");

  if (parent != NULL)
    g_hash_table_add (data->drm_parents, g_strdup (parent));

  if (g_strcmp0 (type, "render") == 0 && devnode != NULL)
    g_hash_table_insert (data->render_nodes, g_steal_pointer (&devnode),
                         g_strdup (parent != NULL ? parent : ""));
}

static void
add_mdev (GhHost        *data,
          xmlXPathContext *ctx,
          xmlNode         *cap,
          const char      *name,
          const char      *parent)
{
  GhHostMdev *mdev = g_new0 (GhHostMdev, 1);

  mdev->name = g_strdup (name);
  mdev->parent = g_strdup (parent);
  mdev->type_id = _gh_xml_xpath_dup_text (ctx, cap, "string(type/@id)");
  mdev->uuid = _gh_xml_xpath_dup_text (ctx, cap, "string(uuid)");
  /* Older daemons name the device after its UUID and say it nowhere else. */
  if (mdev->uuid == NULL && g_str_has_prefix (name, "mdev_") && strlen (name) >= 5 + 36)
    {
      mdev->uuid = g_strndup (name + 5, 36);
      g_strdelimit (mdev->uuid, "_", '-');
    }

  g_ptr_array_add (data->mdevs, mdev);
}

static void
add_usb_device (GhHost        *data,
                xmlXPathContext *ctx,
                xmlNode         *cap,
                const char      *name)
{
  GhHostUsbDevice *usb = g_new0 (GhHostUsbDevice, 1);

  usb->name = g_strdup (name);
  usb->bus = _gh_xml_xpath_uint (ctx, cap, "string(bus)", 0);
  usb->device = _gh_xml_xpath_uint (ctx, cap, "string(device)", 0);
  usb->vendor_id = _gh_xml_xpath_uint (ctx, cap, "string(vendor/@id)", 0);
  usb->product_id = _gh_xml_xpath_uint (ctx, cap, "string(product/@id)", 0);
  usb->vendor = _gh_xml_xpath_dup_text (ctx, cap, "string(vendor)");
  usb->product = _gh_xml_xpath_dup_text (ctx, cap, "string(product)");

  /* A root hub is the host's own controller: no guest can have it. */
  if (usb->vendor_id == 0x1d6b)
    _gh_host_usb_device_free (usb);
  else
    g_ptr_array_add (data->usb, usb);
}

static void
add_device (GhHost        *data,
            xmlXPathContext *ctx,
            xmlNode         *device)
{
  g_autofree char *name = _gh_xml_xpath_dup_text (ctx, device, "string(name)");
  g_autofree char *parent = _gh_xml_xpath_dup_text (ctx, device, "string(parent)");
  xmlXPathObject *caps;

  if (name == NULL || g_hash_table_contains (data->seen, name))
    return;
  g_hash_table_add (data->seen, g_strdup (name));

  caps = _gh_xml_xpath_nodes (ctx, device, "capability");
  for (guint i = 0; i < _gh_xml_n_nodes (caps); i++)
    {
      xmlNode *cap = _gh_xml_nth_node (caps, i);
      g_autofree char *type = _gh_xml_xpath_dup_text (ctx, cap, "string(@type)");

      if (g_strcmp0 (type, "pci") == 0)
        add_pci_device (data, ctx, device, cap, name);
      else if (g_strcmp0 (type, "drm") == 0)
        add_drm_device (data, ctx, device, cap, parent);
      else if (g_strcmp0 (type, "mdev") == 0)
        add_mdev (data, ctx, cap, name, parent);
      else if (g_strcmp0 (type, "usb_device") == 0)
        add_usb_device (data, ctx, cap, name);
      else
        /* css, ap_matrix and the like can create mdevs too. */
        add_mdev_types (data, ctx, cap, name, NULL);
    }
  xmlXPathFreeObject (caps);
}

/* One <device>, or any document whose top-level <device>s describe a host: a test-driver
 * file (<node>), or several virsh nodedev-dumpxml outputs wrapped in one element. */
gboolean
_gh_host_inventory_add_device_xml (GhHost    *data,
                                   const char  *xml,
                                   GError     **error)
{
  xmlXPathContext *ctx;
  xmlNode *root;
  xmlDoc *doc;

  doc = _gh_xml_parse (xml);
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL)
    {
      _gh_error_set (error, GH_ERROR_FAILED, NULL,
                     _("A host device's description is not valid XML"));
      xmlFreeDoc (doc);
      return FALSE;
    }

  ctx = xmlXPathNewContext (doc);
  if (g_strcmp0 ((const char *) root->name, "device") == 0)
    {
      add_device (data, ctx, root);
    }
  else
    {
      xmlXPathObject *devices = _gh_xml_xpath_nodes (ctx, root, "device");

      for (guint i = 0; i < _gh_xml_n_nodes (devices); i++)
        add_device (data, ctx, _gh_xml_nth_node (devices, i));
      xmlXPathFreeObject (devices);
    }

  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);
  return TRUE;
}

static int
compare_pci (gconstpointer a,
             gconstpointer b)
{
  const GhHostPciDevice *da = *(const GhHostPciDevice * const *) a;
  const GhHostPciDevice *db = *(const GhHostPciDevice * const *) b;
  int cmp = strcmp (da->address, db->address);

  return cmp != 0 ? cmp : strcmp (da->name, db->name);
}

static int
compare_mdev_types (gconstpointer a,
                    gconstpointer b)
{
  const GhHostMdevType *ta = *(const GhHostMdevType * const *) a;
  const GhHostMdevType *tb = *(const GhHostMdevType * const *) b;
  int cmp = g_strcmp0 (ta->parent, tb->parent);

  return cmp != 0 ? cmp : g_strcmp0 (ta->id, tb->id);
}

static int
compare_usb (gconstpointer a,
             gconstpointer b)
{
  const GhHostUsbDevice *x = *(const GhHostUsbDevice * const *) a;
  const GhHostUsbDevice *y = *(const GhHostUsbDevice * const *) b;

  if (x->bus != y->bus)
    return x->bus < y->bus ? -1 : 1;
  return x->device < y->device ? -1 : x->device > y->device;
}

static int
compare_mdevs (gconstpointer a,
               gconstpointer b)
{
  const GhHostMdev *ma = *(const GhHostMdev * const *) a;
  const GhHostMdev *mb = *(const GhHostMdev * const *) b;

  return g_strcmp0 (ma->name, mb->name);
}

/* A display controller says so with its PCI class (0x03xxxx). Daemons and recordings
 * that leave the class out still give it away by the DRM device it drives. */
static gboolean
is_display_controller (GhHost              *data,
                       const GhHostPciDevice *pci)
{
  if (pci->class_code != 0)
    return (pci->class_code >> 16) == PCI_CLASS_DISPLAY;

  return g_hash_table_contains (data->drm_parents, pci->name);
}

/* Sorts everything and links what refers to what: render nodes to GPUs, mdev types to
 * their parent's address. */
void
_gh_host_finish (GhHost *data)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_ptr_array_sort (data->pci, compare_pci);
  g_ptr_array_sort (data->mdev_types, compare_mdev_types);
  g_ptr_array_sort (data->mdevs, compare_mdevs);
  g_ptr_array_sort (data->usb, compare_usb);

  g_ptr_array_set_size (data->gpus, 0);
  g_hash_table_remove_all (data->pci_by_address);
  for (guint i = 0; i < data->pci->len; i++)
    {
      GhHostPciDevice *pci = g_ptr_array_index (data->pci, i);

      /* Two devices at one address happen only in made-up hosts (virt-manager's test
       * driver file has some); the first by name answers for the address. */
      if (!g_hash_table_contains (data->pci_by_address, pci->address))
        g_hash_table_insert (data->pci_by_address, pci->address, pci);
      if (is_display_controller (data, pci))
        g_ptr_array_add (data->gpus, pci);
    }

  g_hash_table_iter_init (&iter, data->render_nodes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (nodes, key);
  g_ptr_array_sort (nodes, _gh_compare_strings);

  for (guint i = 0; i < nodes->len; i++)
    {
      const char *node = g_ptr_array_index (nodes, i);
      GhHostPciDevice *pci = g_hash_table_lookup (data->pci_by_name,
                                                  g_hash_table_lookup (data->render_nodes, node));

      if (pci != NULL && pci->render_node == NULL)
        pci->render_node = g_strdup (node);
    }

  g_strfreev (data->render_node_list);
  g_ptr_array_add (nodes, NULL);
  data->render_node_list = g_strdupv ((char **) nodes->pdata);

  for (guint i = 0; i < data->mdev_types->len; i++)
    {
      GhHostMdevType *type = g_ptr_array_index (data->mdev_types, i);
      GhHostPciDevice *pci = g_hash_table_lookup (data->pci_by_name, type->parent);

      if (type->parent_address == NULL && pci != NULL)
        type->parent_address = g_strdup (pci->address);
    }
}

