/* test-host-inventory.c: GhHostInventory against test-driver hosts and recorded XML
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-test-util.h"

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static GhHostInventory *
load_inventory (GhConnection *connection)
{
  g_autoptr(GhHostInventory) inventory = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  inventory = g_object_ref (gh_connection_get_host_inventory (connection));
  g_assert_false (gh_host_inventory_get_loaded (inventory));
  gh_host_inventory_load_async (inventory, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the host inventory to load");
  g_assert_true (gh_host_inventory_load_finish (inventory, result, &error));
  g_assert_no_error (error);
  g_assert_true (gh_host_inventory_get_loaded (inventory));

  return g_steal_pointer (&inventory);
}

static const GhHostPciDevice *
find_gpu (GhHostInventory *inventory,
          const char      *address)
{
  GPtrArray *gpus = gh_host_inventory_get_gpus (inventory);

  for (guint i = 0; i < gpus->len; i++)
    {
      const GhHostPciDevice *gpu = g_ptr_array_index (gpus, i);

      if (g_strcmp0 (gpu->address, address) == 0)
        return gpu;
    }

  return NULL;
}

static const GhHostMdevType *
find_mdev_type (GhHostInventory *inventory,
                const char      *id)
{
  GPtrArray *types = gh_host_inventory_get_mdev_types (inventory);

  for (guint i = 0; i < types->len; i++)
    {
      const GhHostMdevType *type = g_ptr_array_index (types, i);

      if (g_strcmp0 (type->id, id) == 0)
        return type;
    }

  return NULL;
}

/* virt-manager's test-driver host: real node devices from real machines. The daemon
 * (the test driver) has no domain capabilities: the inventory says "unknown" until
 * recorded ones from a KVM host stand in. */
static void
test_corpus_testdriver (void)
{
  g_autofree char *testdriver = gh_test_corpus_path ("virt-manager/testdriver/testdriver.xml");
  g_autofree char *domcaps =
    gh_test_corpus_path ("virt-manager/capabilities/kvm-x86_64-domcaps-latest.xml");
  g_autofree char *uri = NULL;
  g_autofree char *caps_xml = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GhConnection) connection = NULL;
  g_autoptr(GhHostInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  const GhHostDomainCaps *caps;
  const GhHostPciDevice *gpu;
  const GhHostMdevType *type;
  const GhHostVirgl *virgl;
  const char * const *nodes;
  GPtrArray *gpus;
  GPtrArray *mdevs;

  if (testdriver == NULL || domcaps == NULL)
    {
      g_test_skip ("the outside corpus (../shared/corpus/virt-manager) is not there");
      return;
    }

  uri = g_strconcat ("test://", testdriver, NULL);
  connection = gh_test_open_connection (uri);
  inventory = load_inventory (connection);

  g_assert_null (gh_host_inventory_get_domain_caps (inventory));
  g_assert_null (gh_host_inventory_get_devices_error (inventory));

  caps_xml = read_file (domcaps);
  g_assert_true (gh_host_inventory_set_domain_caps_xml (inventory, caps_xml, &error));
  g_assert_no_error (error);
  caps = gh_host_inventory_get_domain_caps (inventory);
  g_assert_nonnull (caps);
  g_assert_cmpstr (caps->domain_type, ==, "kvm");
  g_assert_cmpstr (caps->arch, ==, "x86_64");
  g_assert_true (g_strv_contains ((const char * const *) caps->video_models, "virtio"));
  g_assert_true (g_strv_contains ((const char * const *) caps->video_models, "qxl"));
  g_assert_true (g_strv_contains ((const char * const *) caps->video_models, "bochs"));
  g_assert_true (g_strv_contains ((const char * const *) caps->graphics_types, "spice"));
  g_assert_true (caps->hostdev);
  g_assert_true (g_strv_contains ((const char * const *) caps->hostdev_subsys, "pci"));
  g_assert_true (g_strv_contains ((const char * const *) caps->pci_backends, "vfio"));
  g_assert_true (g_strv_contains ((const char * const *) caps->firmware, "efi"));

  /* Its PCI devices carry no class: the HD Graphics 530 is known as a GPU by the render
   * node it drives. It is in no IOMMU group, so it cannot be passed through. */
  gpus = gh_host_inventory_get_gpus (inventory);
  g_assert_cmpuint (gpus->len, ==, 1);
  gpu = find_gpu (inventory, "0000:00:02.0");
  g_assert_nonnull (gpu);
  g_assert_cmpstr (gpu->name, ==, "pci_0000_00_02_0");
  g_assert_cmpstr (gpu->product, ==, "HD Graphics 530");
  g_assert_cmpstr (gpu->vendor, ==, "Intel Corporation");
  g_assert_cmpuint (gpu->vendor_id, ==, 0x8086);
  g_assert_cmpuint (gpu->product_id, ==, 0x191b);
  g_assert_cmpstr (gpu->render_node, ==, "/dev/dri/renderD129");
  g_assert_cmpint (gpu->iommu_group, ==, -1);
  g_assert_false (gh_host_inventory_gpu_is_passable (inventory, gpu, TRUE, &reason));
  g_assert_nonnull (strstr (reason, "no IOMMU group"));

  /* A device in a group, even one of another domain, keeps the members it names. */
  g_assert_nonnull (gh_host_inventory_lookup_pci (inventory, "0000:15:00.4"));
  g_assert_cmpint (gh_host_inventory_lookup_pci (inventory, "0000:15:00.4")->iommu_group, ==, 3);
  g_assert_cmpstrv (gh_host_inventory_lookup_pci (inventory, "0000:15:00.4")->iommu_members,
                    ((const char * const[]) { "0001:15:0a.4", NULL }));
  g_assert_true (gh_host_inventory_lookup_pci (inventory, "0000:00:1e.0")->bridge);

  nodes = gh_host_inventory_get_render_nodes (inventory);
  g_assert_cmpstrv (nodes, ((const char * const[]) { "/dev/dri/renderD129", NULL }));

  /* Mediated device types and what is left of them. */
  type = find_mdev_type (inventory, "vfio_ap-passthrough");
  g_assert_nonnull (type);
  g_assert_cmpuint (type->available, ==, 65536);
  g_assert_cmpstr (type->device_api, ==, "vfio-ap");
  g_assert_cmpstr (type->parent, ==, "ap_matrix");
  g_assert_null (type->parent_address);
  type = find_mdev_type (inventory, "vfio_ccw-io");
  g_assert_nonnull (type);
  g_assert_cmpuint (type->available, ==, 0);
  g_assert_cmpstr (type->name, ==, "I/O subchannel (Non-QDIO)");

  mdevs = gh_host_inventory_get_mdevs (inventory);
  g_assert_cmpuint (mdevs->len, ==, 5);
  for (guint i = 0; i < mdevs->len; i++)
    {
      const GhHostMdev *mdev = g_ptr_array_index (mdevs, i);

      g_assert_nonnull (mdev->type_id);
      g_assert_nonnull (mdev->parent);
      if (g_strcmp0 (mdev->name, "mdev_4b20d080_1b54_4048_85b3_a6a62d165c01") == 0)
        {
          /* No <uuid>: the name carries it. */
          g_assert_cmpstr (mdev->uuid, ==, "4b20d080-1b54-4048-85b3-a6a62d165c01");
          g_assert_cmpstr (mdev->type_id, ==, "nvidia-11");
        }
    }

  /* USB devices a guest could have; the root hubs are the host's own. */
  {
    GPtrArray *usb = gh_host_inventory_get_usb_devices (inventory);

    g_assert_cmpuint (usb->len, >, 0);
    for (guint i = 0; i < usb->len; i++)
      {
        const GhHostUsbDevice *device = g_ptr_array_index (usb, i);

        g_assert_cmphex (device->vendor_id, !=, 0x1d6b);
        g_assert_cmpuint (device->bus, >, 0);
        if (i > 0)
          g_assert_cmpuint (((GhHostUsbDevice *) g_ptr_array_index (usb, i - 1))->bus, <=,
                            device->bus);
      }
  }

  /* A test:// host is not this machine: virgl is not checked there. */
  virgl = gh_host_inventory_get_virgl (inventory);
  g_assert_false (virgl->checked);
  g_assert_false (virgl->usable);
  g_assert_nonnull (virgl->reason);

  gh_test_close_connection (connection);
}

/* Our own test-driver host with three GPUs and their IOMMU groups. */
static void
test_iommu_groups (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  g_autoptr(GhHostInventory) inventory = load_inventory (connection);
  g_autoptr(GPtrArray) functions = NULL;
  g_autofree char *reason = NULL;
  const GhHostPciDevice *intel = find_gpu (inventory, "0000:00:02.0");
  const GhHostPciDevice *nvidia = find_gpu (inventory, "0000:01:00.0");
  const GhHostPciDevice *amd = find_gpu (inventory, "0000:02:00.0");
  const GhHostMdevType *type;
  const GhHostMdev *mdev;

  g_assert_cmpuint (gh_host_inventory_get_gpus (inventory)->len, ==, 3);
  g_assert_nonnull (intel);
  g_assert_nonnull (nvidia);
  g_assert_nonnull (amd);
  g_assert_cmpuint (nvidia->class_code, ==, 0x030000);
  g_assert_cmpstr (intel->render_node, ==, "/dev/dri/renderD128");
  g_assert_cmpstr (nvidia->render_node, ==, "/dev/dri/renderD129");
  g_assert_null (amd->render_node);
  /* The HDMI audio function is not a GPU. */
  g_assert_null (find_gpu (inventory, "0000:01:00.1"));

  /* Alone in its group. */
  g_assert_true (gh_host_inventory_gpu_is_passable (inventory, intel, FALSE, &reason));
  g_clear_pointer (&reason, g_free);

  /* With its own audio function and the root port above it: both are fine. */
  g_assert_true (gh_host_inventory_gpu_is_passable (inventory, nvidia, FALSE, &reason));
  g_assert_nonnull (strstr (reason, "group 1"));
  g_clear_pointer (&reason, g_free);
  functions = gh_host_inventory_dup_gpu_functions (inventory, nvidia);
  g_assert_cmpuint (functions->len, ==, 1);
  g_assert_cmpstr (((GhHostPciDevice *) g_ptr_array_index (functions, 0))->address, ==,
                   "0000:01:00.1");
  g_assert_true (gh_host_inventory_lookup_pci (inventory, "0000:00:01.0")->bridge);
  g_assert_cmpstrv (nvidia->iommu_members,
                    ((const char * const[]) { "0000:00:01.0", "0000:01:00.0", "0000:01:00.1",
                                              NULL }));
  g_assert_cmpstrv (gh_host_inventory_get_render_nodes (inventory),
                    ((const char * const[]) { "/dev/dri/renderD128", "/dev/dri/renderD129",
                                              NULL }));

  /* The chipset's USB controller and its SRAM share the group: not passable, and the
   * reason names both. */
  g_assert_false (gh_host_inventory_gpu_is_passable (inventory, amd, TRUE, &reason));
  g_test_message ("%s", reason);
  g_assert_nonnull (strstr (reason, "IOMMU group 13"));
  g_assert_nonnull (strstr (reason, "0000:00:14.0 (Cannon Lake PCH USB 3.1 xHCI Host Controller)"));
  g_assert_nonnull (strstr (reason, "0000:00:14.2 (Cannon Lake PCH Shared SRAM)"));
  g_clear_pointer (&reason, g_free);

  type = find_mdev_type (inventory, "i915-GVTg_V5_4");
  g_assert_nonnull (type);
  g_assert_cmpuint (type->available, ==, 2);
  g_assert_cmpstr (type->device_api, ==, "vfio-pci");
  g_assert_cmpstr (type->parent_address, ==, "0000:00:02.0");
  g_assert_cmpuint (find_mdev_type (inventory, "i915-GVTg_V5_8")->available, ==, 0);
  g_assert_cmpuint (gh_host_inventory_get_mdevs (inventory)->len, ==, 1);
  mdev = g_ptr_array_index (gh_host_inventory_get_mdevs (inventory), 0);
  g_assert_cmpstr (mdev->uuid, ==, "3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1");

  gh_test_close_connection (connection);
}

/* A host with one GPU, which shows its screen: passing it through costs the host its
 * display, and needs saying yes to that. */
static void
test_single_boot_gpu (void)
{
  static const char *devices[] = {
    "<device><name>pci_0000_00_02_0</name><parent>computer</parent>"
    "<capability type='pci'><class>0x030000</class><domain>0</domain><bus>0</bus>"
    "<slot>2</slot><function>0</function><product id='0x9a49'>TigerLake-LP GT2 [Iris Xe "
    "Graphics]</product><vendor id='0x8086'>Intel Corporation</vendor>"
    "<iommuGroup number='0'><address domain='0x0000' bus='0x00' slot='0x02' "
    "function='0x0'/></iommuGroup></capability></device>",
    NULL
  };
  g_autoptr(GhHostInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  const GhHostPciDevice *gpu;

  inventory = gh_host_inventory_new_from_xml (NULL, devices, &error);
  g_assert_no_error (error);
  gpu = find_gpu (inventory, "0000:00:02.0");
  g_assert_true (gh_host_inventory_gpu_is_passable (inventory, gpu, FALSE, NULL));

  gh_host_inventory_set_boot_vga (inventory, "0000:00:02.0");
  gpu = find_gpu (inventory, "0000:00:02.0");
  g_assert_true (gpu->boot_vga);
  g_assert_false (gh_host_inventory_gpu_is_passable (inventory, gpu, FALSE, &reason));
  g_assert_nonnull (strstr (reason, "confirmation"));
  g_assert_nonnull (strstr (reason, "loses its display"));
  g_clear_pointer (&reason, g_free);

  g_assert_true (gh_host_inventory_gpu_is_passable (inventory, gpu, TRUE, &reason));
  g_assert_nonnull (strstr (reason, "loses its display"));
}

static void
test_bad_xml (void)
{
  static const char *broken[] = { "<device><name>x</name>", NULL };
  g_autoptr(GhHostInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;

  inventory = gh_host_inventory_new_from_xml ("<domainCapabilities>", NULL, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_null (inventory);
  g_clear_error (&error);

  inventory = gh_host_inventory_new_from_xml ("<capabilities/>", NULL, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_null (inventory);
  g_clear_error (&error);

  inventory = gh_host_inventory_new_from_xml (NULL, broken, &error);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_null (inventory);
  g_clear_error (&error);

  /* Nothing known is not an error: an empty host. */
  inventory = gh_host_inventory_new_from_xml (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (gh_host_inventory_get_domain_caps (inventory));
  g_assert_cmpuint (gh_host_inventory_get_gpus (inventory)->len, ==, 0);
  g_assert_cmpstrv (gh_host_inventory_get_render_nodes (inventory),
                    ((const char * const[]) { NULL }));
}

static void
count_changed (GhHostInventory *inventory,
               guint           *count)
{
  (*count)++;
}

/* Devices come and go behind Greenhouse's back: events, not polling, bring the
 * inventory up to date. */
static void
test_events (void)
{
  static const char vhba[] =
    "<device><parent>scsi_host1</parent><capability type='scsi_host'>"
    "<capability type='fc_host'><wwnn>2000000012349876</wwnn>"
    "<wwpn>1000000012349876</wwpn></capability></capability></device>";
  g_autoptr(GhConnection) connection = gh_test_open_connection ("test:///default");
  g_autoptr(GhHostInventory) inventory = load_inventory (connection);
  virConnectPtr plain = gh_test_virt_open ("test:///default");
  virNodeDevicePtr device;
  guint n_changed = 0;

  g_assert_cmpuint (_gh_host_inventory_get_n_loads (inventory), ==, 1);
  g_signal_connect (inventory, "changed", G_CALLBACK (count_changed), &n_changed);

  /* test:///default is one host shared by the whole process. */
  device = virNodeDeviceCreateXML (plain, vhba, 0);
  if (device == NULL)
    g_error ("virNodeDeviceCreateXML: %s", virGetLastErrorMessage ());
  gh_test_wait_until (_gh_host_inventory_get_n_loads (inventory) >= 2,
                      "a reload after a device was created");
  g_assert_cmpuint (n_changed, >=, 1);

  g_assert_cmpint (virNodeDeviceDestroy (device), ==, 0);
  virNodeDeviceFree (device);
  gh_test_wait_until (_gh_host_inventory_get_n_loads (inventory) >= 3,
                      "a reload after a device was destroyed");

  /* Nothing else happens: no polling. */
  {
    guint n_loads = _gh_host_inventory_get_n_loads (inventory);

    gh_test_settle (300);
    g_assert_cmpuint (_gh_host_inventory_get_n_loads (inventory), ==, n_loads);
  }

  g_signal_handlers_disconnect_by_func (inventory, count_changed, &n_changed);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

/* One inventory per connection: every window borrows it, and asking for a host already
 * read reads nothing again (on this machine's own daemon that would be another virgl
 * probe). A reconnection does read it again. */
static void
test_one_per_connection (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection ("test:///default");
  g_autoptr(GhHostInventory) inventory = load_inventory (connection);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_connection_get_host_inventory (connection) == inventory);
  g_assert_cmpuint (_gh_host_inventory_get_n_loads (inventory), ==, 1);

  for (guint i = 0; i < 3; i++)
    {
      gh_host_inventory_ensure_async (inventory, NULL, gh_test_store_result, &result);
      gh_test_wait_result (&result, "a window's request for the host");
      g_assert_true (gh_host_inventory_load_finish (inventory, result, &error));
      g_assert_no_error (error);
      g_clear_object (&result);
    }
  g_assert_cmpuint (_gh_host_inventory_get_n_loads (inventory), ==, 1);

  gh_connection_close (connection);
  gh_connection_open_async (connection, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the connection to open again");
  g_assert_true (gh_connection_open_finish (connection, result, &error));
  g_assert_no_error (error);
  gh_test_wait_until (_gh_host_inventory_get_n_loads (inventory) == 2,
                      "a reload after the reconnection");
  g_assert_true (gh_connection_get_host_inventory (connection) == inventory);

  gh_test_close_connection (connection);
}

/* Recorded capabilities stand in for unknown ones on every reload, not just once. */
static void
test_recorded_caps_survive_reload (void)
{
  static const char caps_xml[] =
    "<domainCapabilities><domain>kvm</domain><arch>x86_64</arch><devices>"
    "<video supported='yes'><enum name='modelType'><value>vga</value></enum></video>"
    "</devices></domainCapabilities>";
  g_autoptr(GhConnection) connection = gh_test_open_connection ("test:///default");
  g_autoptr(GhHostInventory) inventory = load_inventory (connection);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gh_host_inventory_set_domain_caps_xml (inventory, caps_xml, &error));
  g_assert_no_error (error);
  g_assert_nonnull (gh_host_inventory_get_domain_caps (inventory));

  gh_host_inventory_load_async (inventory, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the host inventory to load again");
  g_assert_true (gh_host_inventory_load_finish (inventory, result, &error));
  g_assert_cmpuint (_gh_host_inventory_get_n_loads (inventory), ==, 2);
  g_assert_nonnull (gh_host_inventory_get_domain_caps (inventory));
  g_assert_cmpstrv (gh_host_inventory_get_domain_caps (inventory)->video_models,
                    ((const char * const[]) { "vga", NULL }));

  gh_test_close_connection (connection);
}

/* What a worker holds (gh_host_inventory_dup_host()) is the host as it was when the work
 * began: no override, reload or end of the inventory changes or frees it. The sanitizer
 * build runs this to show no use after free. */
static void
test_snapshot (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  g_autoptr(GhHostInventory) inventory = load_inventory (connection);
  g_autoptr(GhHost) host = gh_host_inventory_dup_host (inventory);
  g_autoptr(GhHost) current = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) functions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  const GhHostPciDevice *gpu = gh_host_lookup_pci (host, "0000:01:00.0");
  guint n_gpus = gh_host_get_gpus (host)->len;

  g_assert_nonnull (gpu);
  g_assert_false (gpu->boot_vga);
  g_assert_cmpuint (n_gpus, >=, 2);

  /* An override makes a new host for the inventory; the snapshot does not change. */
  gh_host_inventory_set_boot_vga (inventory, "0000:01:00.0");
  g_assert_true (gh_host_inventory_lookup_pci (inventory, "0000:01:00.0")->boot_vga);
  g_assert_false (gpu->boot_vga);
  g_assert_true (gh_host_lookup_pci (host, "0000:01:00.0") == gpu);

  /* A reload replaces the inventory's host and drops the one it held. */
  gh_host_inventory_load_async (inventory, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the host inventory to load again");
  g_assert_true (gh_host_inventory_load_finish (inventory, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_gh_host_inventory_get_n_loads (inventory), ==, 2);
  current = gh_host_inventory_dup_host (inventory);
  g_assert_true (current != host);
  g_assert_true (gh_host_inventory_lookup_pci (inventory, "0000:01:00.0") != gpu);
  g_assert_true (gh_host_inventory_lookup_pci (inventory, "0000:01:00.0")->boot_vga);

  gh_test_close_connection (connection);
  g_clear_object (&inventory);
  g_clear_pointer (&current, gh_host_unref);

  /* The snapshot still reads the host as it was, whole. */
  g_assert_cmpstr (gpu->address, ==, "0000:01:00.0");
  g_assert_false (gpu->boot_vga);
  g_assert_cmpuint (gh_host_get_gpus (host)->len, ==, n_gpus);
  g_assert_true (gh_host_gpu_is_passable (host, gpu, FALSE, &reason));
  g_assert_nonnull (strstr (reason, "0000:01:00.0"));
  functions = gh_host_dup_gpu_functions (host, gpu);
  g_assert_cmpuint (functions->len, ==, 1);
  g_assert_cmpstr (((const GhHostPciDevice *) g_ptr_array_index (functions, 0))->address, ==,
                   "0000:01:00.1");
}

static void
test_not_connected (void)
{
  g_autoptr(GhConnection) connection = gh_connection_new ("test:///default");
  g_autoptr(GhHostInventory) inventory = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  inventory = g_object_ref (gh_connection_get_host_inventory (connection));
  gh_host_inventory_load_async (inventory, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the load of a closed connection to fail");
  g_assert_false (gh_host_inventory_load_finish (inventory, result, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_CONNECTED);
  g_assert_false (gh_host_inventory_get_loaded (inventory));
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/host-inventory/corpus-testdriver", test_corpus_testdriver);
  g_test_add_func ("/core/host-inventory/iommu-groups", test_iommu_groups);
  g_test_add_func ("/core/host-inventory/single-boot-gpu", test_single_boot_gpu);
  g_test_add_func ("/core/host-inventory/bad-xml", test_bad_xml);
  g_test_add_func ("/core/host-inventory/events", test_events);
  g_test_add_func ("/core/host-inventory/one-per-connection", test_one_per_connection);
  g_test_add_func ("/core/host-inventory/recorded-caps-survive-reload",
                   test_recorded_caps_survive_reload);
  g_test_add_func ("/core/host-inventory/snapshot", test_snapshot);
  g_test_add_func ("/core/host-inventory/not-connected", test_not_connected);

  return g_test_run ();
}
