/* gh-host-inventory.c: domain capabilities, GPUs, IOMMU groups, mdevs and virgl
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-core-private.h"
#include "gh-host-inventory.h"
#include "gh-host-private.h"
#include "gh-xml-private.h"

/* How it stays current:
 *
 * - Everything the host says is read in a worker thread into a GhHost, plain data
 *   that the main thread then swaps in whole: a reader never sees half a reload, and a
 *   worker that holds the old one (gh_host_inventory_dup_host()) keeps it intact.
 *   Overrides change a copy, never a GhHost someone may hold.
 * - The inventory holds its connection's GhLink, not the GhConnection (which sits above
 *   it and owns it), and the worker holds the link's virConnectPtr, never a GObject: a
 *   GObject whose last reference a worker dropped would be disposed there.
 * - The connection calls gh_host_inventory_reload() on node-device events and after a
 *   reconnection; reloads do not overlap, and a burst of events while one runs costs one
 *   more, not one each.
 * - Only a local qemu:// connection is this machine (gh_link_is_this_machine()): only
 *   then are sysfs (boot_vga), /dev/dri, QEMU's modules and the virgl probe asked.
 */

#define VIRGL_MODULE "hw-display-virtio-gpu-gl.so"
#define PCI_CLASS_DISPLAY 0x03
#define PCI_CLASS_BRIDGE_PCI 0x0604
#define PCI_CLASS_BRIDGE_CARDBUS 0x0607
#define PCI_CLASS_BRIDGE_PCI_SEMI 0x0609

/* Where QEMU looks for its modules (QEMU itself honours $QEMU_MODULE_DIR first). */
static const char * const qemu_module_dirs[] = {
  "/usr/lib/x86_64-linux-gnu/qemu",
  "/usr/lib/aarch64-linux-gnu/qemu",
  "/usr/lib64/qemu",
  "/usr/lib/qemu",
};


struct _GhHostInventory
{
  GObject parent_instance;

  /* Owned references */
  GhLink           *link;          /* NULL for inventories made from XML */
  GhHost           *host;          /* never changed once here: replaced */
  GhHostDomainCaps *recorded_caps; /* from gh_host_inventory_set_domain_caps_xml() */
  GhHostVirgl      *virgl_override;
  char             *boot_vga_override;
  GPtrArray        *waiting;       /* GTask* of load_async calls while a load runs */
  GError           *load_error;

  guint             loading : 1;
  guint             reload_wanted : 1;
  guint             loaded : 1;
  guint             n_loads;
};

G_DEFINE_FINAL_TYPE (GhHostInventory, gh_host_inventory, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- Plain data ------------------------------------------------------------------ */

void
_gh_host_domain_caps_free (GhHostDomainCaps *caps)
{
  if (caps == NULL)
    return;

  g_free (caps->emulator);
  g_free (caps->domain_type);
  g_free (caps->machine);
  g_free (caps->arch);
  g_strfreev (caps->video_models);
  g_strfreev (caps->graphics_types);
  g_strfreev (caps->hostdev_subsys);
  g_strfreev (caps->pci_backends);
  g_strfreev (caps->firmware);
  g_strfreev (caps->tpm);
  g_free (caps);
}

GhHostDomainCaps *
_gh_host_domain_caps_copy (const GhHostDomainCaps *caps)
{
  GhHostDomainCaps *copy;

  if (caps == NULL)
    return NULL;

  copy = g_new0 (GhHostDomainCaps, 1);

  copy->emulator = g_strdup (caps->emulator);
  copy->domain_type = g_strdup (caps->domain_type);
  copy->machine = g_strdup (caps->machine);
  copy->arch = g_strdup (caps->arch);
  copy->video_models = g_strdupv (caps->video_models);
  copy->graphics_types = g_strdupv (caps->graphics_types);
  copy->hostdev = caps->hostdev;
  copy->hostdev_subsys = g_strdupv (caps->hostdev_subsys);
  copy->pci_backends = g_strdupv (caps->pci_backends);
  copy->firmware = g_strdupv (caps->firmware);
  copy->tpm = g_strdupv (caps->tpm);
  return copy;
}

/* ---- Reading libvirt's XML ------------------------------------------------------- */

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

static GhHostDomainCaps *
parse_domain_caps (const char  *xml,
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
static gboolean
host_data_add_device_xml (GhHost    *data,
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

/* ---- This machine: sysfs, /dev/dri, QEMU's modules, the probe (worker thread) ----- */

static void
read_boot_vga (GhHost *data)
{
  for (guint i = 0; i < data->gpus->len; i++)
    {
      GhHostPciDevice *gpu = g_ptr_array_index (data->gpus, i);
      g_autofree char *path = g_build_filename ("/sys/bus/pci/devices", gpu->address,
                                                "boot_vga", NULL);
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL))
        gpu->boot_vga = g_strcmp0 (g_strstrip (contents), "1") == 0;
    }
}

/* A session daemon may have no node devices at all: /dev/dri is what QEMU will open. */
static void
scan_render_nodes (GhHost *data)
{
  g_auto(GStrv) nodes = gh_virgl_probe_dup_render_nodes ();

  for (guint i = 0; nodes[i] != NULL; i++)
    if (!g_hash_table_contains (data->render_nodes, nodes[i]))
      g_hash_table_insert (data->render_nodes, g_strdup (nodes[i]), g_strdup (""));
}

static char *
find_virgl_module (void)
{
  const char *env = g_getenv ("QEMU_MODULE_DIR");

  if (env != NULL && env[0] != '\0')
    {
      g_autofree char *path = g_build_filename (env, VIRGL_MODULE, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  for (guint i = 0; i < G_N_ELEMENTS (qemu_module_dirs); i++)
    {
      g_autofree char *path = g_build_filename (qemu_module_dirs[i], VIRGL_MODULE, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  return NULL;
}

/* The render node virgl should use: the boot GPU's, else the first. */
static const char *
choose_render_node (GhHost *data)
{
  for (guint i = 0; i < data->gpus->len; i++)
    {
      GhHostPciDevice *gpu = g_ptr_array_index (data->gpus, i);

      if (gpu->boot_vga && gpu->render_node != NULL)
        return gpu->render_node;
    }

  return data->render_node_list != NULL ? data->render_node_list[0] : NULL;
}

static void
check_virgl (GhHost     *data,
             const char   *probe_path,
             GCancellable *cancellable)
{
  GhHostVirgl *virgl = g_new0 (GhHostVirgl, 1);
  const char *node = choose_render_node (data);

  virgl->checked = TRUE;
  virgl->module_path = find_virgl_module ();
  virgl->module_present = virgl->module_path != NULL;

  if (node != NULL)
    {
      const char *args[] = { "--device", node, NULL };

      virgl->probe = gh_virgl_probe_run (probe_path, args, GH_VIRGL_PROBE_TIMEOUT_MS,
                                         cancellable);
    }

  if (!virgl->module_present)
    virgl->reason = g_strdup (_("QEMU's OpenGL display module (hw-display-virtio-gpu-gl) is "
                                "not installed; Debian has it in the package qemu-system-gui"));
  else if (node == NULL)
    virgl->reason = g_strdup (_("This computer has no DRM render node (/dev/dri/renderD*), "
                                "so no GPU that OpenGL can use"));
  else if (!virgl->probe->usable)
    virgl->reason = g_strdup (virgl->probe->reason);
  else
    virgl->usable = TRUE;

  _gh_host_virgl_free (data->virgl);
  data->virgl = virgl;
}

/* ---- Loading (worker thread) ------------------------------------------------------ */

typedef struct
{
  GWeakRef       self;
  virConnectPtr  conn;
  char          *uri;
  char          *probe_path;
  gboolean       local;
  GhHost      *result;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_weak_ref_clear (&data->self);
  g_clear_pointer (&data->conn, virConnectClose);
  g_free (data->uri);
  g_free (data->probe_path);
  g_clear_pointer (&data->result, gh_host_unref);
  g_free (data);
}

static gboolean
is_no_support (void)
{
  virErrorPtr err = virGetLastError ();

  return err != NULL && err->code == VIR_ERR_NO_SUPPORT;
}

/* QEMU's capabilities for the machines Greenhouse creates (q35, KVM when there is KVM);
 * NULL when the driver has none (the test driver) or none of these fits. */
static char *
read_domain_caps (virConnectPtr conn)
{
  static const struct
  {
    const char *virt_type;
    const char *machine;
  } attempts[] = {
    { "kvm", "q35" },
    { "qemu", "q35" },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      char *xml = virConnectGetDomainCapabilities (conn, NULL, NULL, attempts[i].machine,
                                                   attempts[i].virt_type, 0);

      if (xml != NULL)
        {
          char *ret = g_strdup (xml);

          free (xml);
          return ret;
        }
      if (is_no_support ())
        break;
    }

  virResetLastError ();
  return NULL;
}

static gboolean
read_node_devices (virConnectPtr   conn,
                   GhHost       *data,
                   GError        **error)
{
  /* Capability flags only: the test driver rejects ACTIVE and INACTIVE. */
  static const unsigned int kinds[] = {
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_DRM,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV,
  };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      virNodeDevicePtr *devices = NULL;
      int n = virConnectListAllNodeDevices (conn, &devices, kinds[k]);

      if (n < 0)
        {
          _gh_error_set_from_libvirt (error, GH_ERROR_FAILED,
                                      _("Could not list the host's devices"));
          return FALSE;
        }

      for (int i = 0; i < n; i++)
        {
          char *xml = virNodeDeviceGetXMLDesc (devices[i], 0);

          /* NULL: it went away since the listing; its removal event follows. */
          if (xml != NULL)
            host_data_add_device_xml (data, xml, NULL);
          free (xml);
          virNodeDeviceFree (devices[i]);
        }
      free (devices);
      virResetLastError ();
    }

  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GhHost) host = _gh_host_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *caps_xml = NULL;

  caps_xml = read_domain_caps (data->conn);
  if (caps_xml != NULL)
    {
      host->caps = parse_domain_caps (caps_xml, &error);
      if (host->caps == NULL)
        {
          g_debug ("%s: %s", data->uri, error->message);
          g_clear_error (&error);
        }
    }

  if (!read_node_devices (data->conn, host, &error))
    {
      /* The machines still work without host devices: say why they are unknown. */
      host->devices_error = g_strdup (gh_error_get_detail (error));
      g_clear_error (&error);
    }

  /* The worker releases the connection: the last virConnectClose() may talk. */
  g_clear_pointer (&data->conn, virConnectClose);

  if (data->local)
    scan_render_nodes (host);
  _gh_host_finish (host);

  if (data->local)
    {
      read_boot_vga (host);
      check_virgl (host, data->probe_path, cancellable);
    }

  data->result = g_steal_pointer (&host);
  g_task_return_boolean (task, TRUE);
}

/* ---- The object ------------------------------------------------------------------ */

/* Changes @host, which nobody else holds yet. */
static void
apply_overrides (GhHostInventory *self,
                 GhHost          *host)
{
  /* Recorded capabilities stand in for unknown ones, on every reload. */
  if (self->recorded_caps != NULL && host->caps == NULL)
    host->caps = _gh_host_domain_caps_copy (self->recorded_caps);

  if (self->virgl_override != NULL)
    {
      _gh_host_virgl_free (host->virgl);
      host->virgl = _gh_host_virgl_copy (self->virgl_override);
    }

  if (self->boot_vga_override != NULL)
    for (guint i = 0; i < host->gpus->len; i++)
      {
        GhHostPciDevice *gpu = g_ptr_array_index (host->gpus, i);

        gpu->boot_vga = g_strcmp0 (gpu->address, self->boot_vga_override) == 0;
      }
}

/* A new override: a changed copy replaces the host, which a worker may be reading. */
static void
replace_with_overrides (GhHostInventory *self)
{
  g_autoptr(GhHost) old = g_steal_pointer (&self->host);

  self->host = _gh_host_copy (old);
  apply_overrides (self, self->host);
}

static void start_load (GhHostInventory *self);

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GhHostInventory) self = g_weak_ref_get (&data->self);
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  self->loading = FALSE;
  waiting = g_steal_pointer (&self->waiting);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      GhHost *old = self->host;

      self->host = g_steal_pointer (&data->result);
      apply_overrides (self, self->host);
      gh_host_unref (old);
      self->n_loads++;
      g_clear_error (&self->load_error);

      if (!self->loaded)
        {
          self->loaded = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
        }
      g_signal_emit (self, signals[CHANGED], 0);
    }
  else
    {
      /* A reload that fails keeps what was known: the host did not change by failing. */
      g_debug ("Could not read the host of %s: %s", data->uri, error->message);
      g_clear_error (&self->load_error);
      self->load_error = g_error_copy (error);
    }

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }

  if (self->reload_wanted)
    start_load (self);
}

static void
start_load (GhHostInventory *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  LoadData *data;

  self->reload_wanted = FALSE;

  data = g_new0 (LoadData, 1);
  g_weak_ref_init (&data->self, self);
  data->uri = g_strdup (gh_link_get_uri (self->link));
  data->local = gh_link_is_this_machine (self->link);
  data->probe_path = gh_virgl_probe_dup_path ();
  /* virConnectRef() only counts: it asks no daemon. */
  data->conn = gh_link_dup_virconnect (self->link, &error);

  self->loading = TRUE;
  task = g_task_new (NULL, NULL, load_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  if (data->conn == NULL)
    {
      g_prefix_error (&error, "%s: ", _("Could not read the host's devices"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_run_in_thread (task, load_thread);
}

static void
gh_host_inventory_dispose (GObject *object)
{
  GhHostInventory *self = (GhHostInventory *)object;

  g_clear_pointer (&self->link, gh_link_unref);

  G_OBJECT_CLASS (gh_host_inventory_parent_class)->dispose (object);
}

static void
gh_host_inventory_finalize (GObject *object)
{
  GhHostInventory *self = (GhHostInventory *)object;

  g_clear_pointer (&self->host, gh_host_unref);
  g_clear_pointer (&self->recorded_caps, _gh_host_domain_caps_free);
  g_clear_pointer (&self->virgl_override, _gh_host_virgl_free);
  g_clear_pointer (&self->boot_vga_override, g_free);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (gh_host_inventory_parent_class)->finalize (object);
}

static void
gh_host_inventory_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GhHostInventory *self = GH_HOST_INVENTORY (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_host_inventory_class_init (GhHostInventoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_host_inventory_dispose;
  object_class->finalize = gh_host_inventory_finalize;
  object_class->get_property = gh_host_inventory_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GhHostInventory::changed:
   *
   * What the inventory holds was replaced: by its first load, or by a reload after the
   * host's devices changed or the connection came back.
   */
  signals[CHANGED] =
    g_signal_new_class_handler ("changed",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                NULL, NULL, NULL, NULL,
                                G_TYPE_NONE, 0);
}

static void
gh_host_inventory_init (GhHostInventory *self)
{
  self->host = _gh_host_new ();
  _gh_host_finish (self->host);
}

GhHostInventory *
gh_host_inventory_new (GhLink *link)
{
  GhHostInventory *self;

  g_return_val_if_fail (link != NULL, NULL);

  self = g_object_new (GH_TYPE_HOST_INVENTORY, NULL);
  self->link = gh_link_ref (link);

  return self;
}

void
gh_host_inventory_reload (GhHostInventory *self)
{
  g_return_if_fail (GH_IS_HOST_INVENTORY (self));

  /* Nobody asked for the host yet: nothing to keep current. */
  if (self->link == NULL || (!self->loaded && !self->loading))
    return;

  if (self->loading)
    self->reload_wanted = TRUE;
  else
    start_load (self);
}

/**
 * gh_host_inventory_load_async:
 *
 * Reads the host in a worker thread: domain capabilities, node devices, and on this
 * machine's own connections boot_vga, /dev/dri, QEMU's virgl module and the virgl probe
 * (which may take up to GH_VIRGL_PROBE_TIMEOUT_MS). One load serves every caller that
 * asks while it runs.
 */
void
gh_host_inventory_load_async (GhHostInventory     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_HOST_INVENTORY (self));
  g_return_if_fail (self->link != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_host_inventory_load_async);

  if (self->waiting == NULL)
    self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));

  if (!self->loading)
    start_load (self);
}

gboolean
gh_host_inventory_load_finish (GhHostInventory  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_host_inventory_load_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gh_host_inventory_ensure_async (GhHostInventory     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_HOST_INVENTORY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* Inventories made from XML or a file are read already, and have no link. */
  if (self->link == NULL || (self->loaded && !self->loading))
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, gh_host_inventory_load_async);
      g_task_return_boolean (task, TRUE);
      return;
    }

  gh_host_inventory_load_async (self, cancellable, callback, user_data);
}

GhHostInventory *
gh_host_inventory_new_from_xml (const char         *domain_caps_xml,
                                const char * const *node_devices,
                                GError            **error)
{
  g_autoptr(GhHostInventory) self = g_object_new (GH_TYPE_HOST_INVENTORY, NULL);
  g_autoptr(GhHost) data = _gh_host_new ();

  if (domain_caps_xml != NULL)
    {
      data->caps = parse_domain_caps (domain_caps_xml, error);
      if (data->caps == NULL)
        return NULL;
    }

  for (guint i = 0; node_devices != NULL && node_devices[i] != NULL; i++)
    if (!host_data_add_device_xml (data, node_devices[i], error))
      return NULL;

  _gh_host_finish (data);

  gh_host_unref (self->host);
  self->host = g_steal_pointer (&data);
  self->loaded = TRUE;

  return g_steal_pointer (&self);
}

GhHostInventory *
gh_host_inventory_new_from_host (GhHost *host)
{
  GhHostInventory *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (GH_TYPE_HOST_INVENTORY, NULL);
  gh_host_unref (self->host);
  self->host = gh_host_ref (host);
  self->loaded = TRUE;

  return self;
}

gboolean
gh_host_inventory_set_domain_caps_xml (GhHostInventory  *self,
                                       const char       *xml,
                                       GError          **error)
{
  GhHostDomainCaps *caps;

  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), FALSE);
  g_return_val_if_fail (xml != NULL, FALSE);

  caps = parse_domain_caps (xml, error);
  if (caps == NULL)
    return FALSE;

  /* Kept for reloads; what the daemon itself says wins when it says something. */
  g_clear_pointer (&self->recorded_caps, _gh_host_domain_caps_free);
  self->recorded_caps = caps;
  if (self->host->caps == NULL)
    replace_with_overrides (self);

  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

void
gh_host_inventory_set_virgl (GhHostInventory   *self,
                             const GhHostVirgl *virgl)
{
  g_return_if_fail (GH_IS_HOST_INVENTORY (self));
  g_return_if_fail (virgl != NULL);

  g_clear_pointer (&self->virgl_override, _gh_host_virgl_free);
  self->virgl_override = _gh_host_virgl_copy (virgl);
  replace_with_overrides (self);

  g_signal_emit (self, signals[CHANGED], 0);
}

void
gh_host_inventory_set_boot_vga (GhHostInventory *self,
                                const char      *address)
{
  g_return_if_fail (GH_IS_HOST_INVENTORY (self));

  g_free (self->boot_vga_override);
  self->boot_vga_override = g_strdup (address != NULL ? address : "");
  replace_with_overrides (self);

  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
gh_host_inventory_get_loaded (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), FALSE);
  return self->loaded;
}

/**
 * gh_host_inventory_dup_host:
 *
 * Returns: (transfer full): what the inventory holds now; a reload or an override
 *   replaces it, never changes it
 */
GhHost *
gh_host_inventory_dup_host (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return gh_host_ref (self->host);
}

GhHost *
gh_host_inventory_get_host (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);

  return self->host;
}

const GhHostDomainCaps *
gh_host_inventory_get_domain_caps (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return self->host->caps;
}

const char *
gh_host_inventory_get_devices_error (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return self->host->devices_error;
}

/**
 * gh_host_inventory_get_gpus:
 *
 * Returns: (transfer none) (element-type GhHostPciDevice): the display controllers
 */
GPtrArray *
gh_host_inventory_get_gpus (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return self->host->gpus;
}

const GhHostPciDevice *
gh_host_inventory_lookup_pci (GhHostInventory *self,
                              const char      *address)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  return g_hash_table_lookup (self->host->pci_by_address, address);
}

GPtrArray *
gh_host_inventory_get_mdev_types (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return self->host->mdev_types;
}

GPtrArray *
gh_host_inventory_get_mdevs (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return self->host->mdevs;
}

GPtrArray *
gh_host_inventory_get_usb_devices (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return self->host->usb;
}

const char * const *
gh_host_inventory_get_render_nodes (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return (const char * const *) self->host->render_node_list;
}

const GhHostVirgl *
gh_host_inventory_get_virgl (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), NULL);
  return self->host->virgl;
}

gboolean
gh_host_inventory_gpu_is_passable (GhHostInventory       *self,
                                   const GhHostPciDevice *gpu,
                                   gboolean               confirm,
                                   char                 **reason)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), FALSE);
  return gh_host_gpu_is_passable (self->host, gpu, confirm, reason);
}

GPtrArray *
gh_host_inventory_dup_gpu_functions (GhHostInventory       *self,
                                     const GhHostPciDevice *gpu)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), g_ptr_array_new ());
  return gh_host_dup_gpu_functions (self->host, gpu);
}

guint
_gh_host_inventory_get_n_loads (GhHostInventory *self)
{
  g_return_val_if_fail (GH_IS_HOST_INVENTORY (self), 0);
  return self->n_loads;
}
