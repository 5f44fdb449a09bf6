/* gh-host-inventory-load.c: the worker that loads a GhHost, from the daemon and this machine
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include <libvirt/virterror.h>

#include "gh-error-private.h"
#include "gh-host-inventory-private.h"

#define VIRGL_MODULE "hw-display-virtio-gpu-gl.so"

/* Where QEMU looks for its modules (QEMU itself honours $QEMU_MODULE_DIR first). */
static const char * const qemu_module_dirs[] = {
  "/usr/lib/x86_64-linux-gnu/qemu",
  "/usr/lib/aarch64-linux-gnu/qemu",
  "/usr/lib64/qemu",
  "/usr/lib/qemu",
};

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

void
_gh_host_inventory_load_data_free (LoadData *data)
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
            _gh_host_inventory_add_device_xml (data, xml, NULL);
          free (xml);
          virNodeDeviceFree (devices[i]);
        }
      free (devices);
      virResetLastError ();
    }

  return TRUE;
}

void
_gh_host_inventory_load_thread (GTask        *task,
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
      host->caps = _gh_host_inventory_parse_domain_caps (caps_xml, &error);
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

