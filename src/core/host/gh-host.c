/* gh-host.c: an immutable snapshot of what a host can do, with pure queries
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-error-private.h"
#include "gh-host-private.h"

/* A GhHost is filled once and then only read: GhHostInventory swaps in a new one on a
 * reload, and gives it whole to whoever asks. Workers take a reference on the main thread
 * and keep reading the host as it was when their work began, whatever the inventory does
 * meanwhile. */

G_DEFINE_BOXED_TYPE (GhHost, gh_host, gh_host_ref, gh_host_unref)

/* ---- Plain data ------------------------------------------------------------------ */

void
_gh_host_pci_device_free (GhHostPciDevice *device)
{
  g_free (device->name);
  g_free (device->address);
  g_free (device->vendor);
  g_free (device->product);
  g_free (device->driver);
  g_strfreev (device->iommu_members);
  g_free (device->render_node);
  g_free (device);
}

void
_gh_host_mdev_type_free (GhHostMdevType *type)
{
  g_free (type->id);
  g_free (type->name);
  g_free (type->device_api);
  g_free (type->parent);
  g_free (type->parent_address);
  g_free (type);
}

static void
mdev_free (GhHostMdev *mdev)
{
  g_free (mdev->name);
  g_free (mdev->uuid);
  g_free (mdev->type_id);
  g_free (mdev->parent);
  g_free (mdev);
}

void
_gh_host_usb_device_free (GhHostUsbDevice *usb)
{
  g_free (usb->name);
  g_free (usb->vendor);
  g_free (usb->product);
  g_free (usb);
}

void
_gh_host_virgl_free (GhHostVirgl *virgl)
{
  if (virgl == NULL)
    return;

  g_free (virgl->module_path);
  gh_virgl_probe_result_free (virgl->probe);
  g_free (virgl->reason);
  g_free (virgl);
}

GhHostVirgl *
_gh_host_virgl_copy (const GhHostVirgl *virgl)
{
  GhHostVirgl *copy = g_new0 (GhHostVirgl, 1);

  copy->checked = virgl->checked;
  copy->module_present = virgl->module_present;
  copy->module_path = g_strdup (virgl->module_path);
  copy->probe = gh_virgl_probe_result_copy (virgl->probe);
  copy->usable = virgl->usable;
  copy->reason = g_strdup (virgl->reason);
  return copy;
}

static GhHostVirgl *
virgl_new_unchecked (void)
{
  GhHostVirgl *virgl = g_new0 (GhHostVirgl, 1);

  virgl->reason = g_strdup (_("virgl can only be checked on this computer's own connections"));
  return virgl;
}

GhHost *
_gh_host_new (void)
{
  GhHost *data = g_new0 (GhHost, 1);

  g_atomic_ref_count_init (&data->ref_count);

  data->pci = g_ptr_array_new_with_free_func ((GDestroyNotify) _gh_host_pci_device_free);
  data->pci_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  data->pci_by_address = g_hash_table_new (g_str_hash, g_str_equal);
  data->gpus = g_ptr_array_new ();
  data->mdev_types = g_ptr_array_new_with_free_func ((GDestroyNotify) _gh_host_mdev_type_free);
  data->mdevs = g_ptr_array_new_with_free_func ((GDestroyNotify) mdev_free);
  data->usb = g_ptr_array_new_with_free_func ((GDestroyNotify) _gh_host_usb_device_free);
  data->render_nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  data->drm_parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->virgl = virgl_new_unchecked ();

  return data;
}

static void
host_free (GhHost *data)
{
  if (data == NULL)
    return;

  _gh_host_domain_caps_free (data->caps);
  g_free (data->devices_error);
  g_clear_pointer (&data->gpus, g_ptr_array_unref);
  g_clear_pointer (&data->pci_by_name, g_hash_table_unref);
  g_clear_pointer (&data->pci_by_address, g_hash_table_unref);
  g_clear_pointer (&data->pci, g_ptr_array_unref);
  g_clear_pointer (&data->mdev_types, g_ptr_array_unref);
  g_clear_pointer (&data->mdevs, g_ptr_array_unref);
  g_clear_pointer (&data->usb, g_ptr_array_unref);
  g_clear_pointer (&data->render_nodes, g_hash_table_unref);
  g_clear_pointer (&data->drm_parents, g_hash_table_unref);
  g_clear_pointer (&data->seen, g_hash_table_unref);
  g_strfreev (data->render_node_list);
  _gh_host_virgl_free (data->virgl);
  g_free (data);
}


GhHost *
gh_host_ref (GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gh_host_unref (GhHost *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    host_free (self);
}

static GhHostPciDevice *
pci_device_copy (const GhHostPciDevice *device)
{
  GhHostPciDevice *copy = g_memdup2 (device, sizeof *device);

  copy->name = g_strdup (device->name);
  copy->address = g_strdup (device->address);
  copy->vendor = g_strdup (device->vendor);
  copy->product = g_strdup (device->product);
  copy->driver = g_strdup (device->driver);
  copy->iommu_members = g_strdupv (device->iommu_members);
  copy->render_node = g_strdup (device->render_node);
  return copy;
}

static GhHostMdevType *
mdev_type_copy (const GhHostMdevType *type)
{
  GhHostMdevType *copy = g_memdup2 (type, sizeof *type);

  copy->id = g_strdup (type->id);
  copy->name = g_strdup (type->name);
  copy->device_api = g_strdup (type->device_api);
  copy->parent = g_strdup (type->parent);
  copy->parent_address = g_strdup (type->parent_address);
  return copy;
}

static GhHostMdev *
mdev_copy (const GhHostMdev *mdev)
{
  GhHostMdev *copy = g_new0 (GhHostMdev, 1);

  copy->name = g_strdup (mdev->name);
  copy->uuid = g_strdup (mdev->uuid);
  copy->type_id = g_strdup (mdev->type_id);
  copy->parent = g_strdup (mdev->parent);
  return copy;
}

static GhHostUsbDevice *
usb_device_copy (const GhHostUsbDevice *usb)
{
  GhHostUsbDevice *copy = g_memdup2 (usb, sizeof *usb);

  copy->name = g_strdup (usb->name);
  copy->vendor = g_strdup (usb->vendor);
  copy->product = g_strdup (usb->product);
  return copy;
}

static void
copy_string_table (GHashTable *to,
                   GHashTable *from,
                   gboolean    values)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (to, g_strdup (key), values ? g_strdup (value) : NULL);
}

/* The indexes point into the copy's own devices, found through the original's. */
static void
copy_pci_index (GHashTable *to,
                GHashTable *from,
                GHashTable *copies,
                gboolean    by_address)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GhHostPciDevice *copy = g_hash_table_lookup (copies, value);

      g_hash_table_insert (to, by_address ? copy->address : copy->name, copy);
    }
}

GhHost *
_gh_host_copy (const GhHost *host)
{
  g_autoptr(GHashTable) copies = g_hash_table_new (NULL, NULL);
  GhHost *copy = _gh_host_new ();

  g_return_val_if_fail (host != NULL, NULL);

  copy->caps = _gh_host_domain_caps_copy (host->caps);
  copy->devices_error = g_strdup (host->devices_error);

  for (guint i = 0; i < host->pci->len; i++)
    {
      GhHostPciDevice *device = g_ptr_array_index (host->pci, i);
      GhHostPciDevice *device_copy = pci_device_copy (device);

      g_hash_table_insert (copies, device, device_copy);
      g_ptr_array_add (copy->pci, device_copy);
    }
  copy_pci_index (copy->pci_by_name, host->pci_by_name, copies, FALSE);
  copy_pci_index (copy->pci_by_address, host->pci_by_address, copies, TRUE);
  for (guint i = 0; i < host->gpus->len; i++)
    g_ptr_array_add (copy->gpus, g_hash_table_lookup (copies, g_ptr_array_index (host->gpus, i)));

  for (guint i = 0; i < host->mdev_types->len; i++)
    g_ptr_array_add (copy->mdev_types, mdev_type_copy (g_ptr_array_index (host->mdev_types, i)));
  for (guint i = 0; i < host->mdevs->len; i++)
    g_ptr_array_add (copy->mdevs, mdev_copy (g_ptr_array_index (host->mdevs, i)));
  for (guint i = 0; i < host->usb->len; i++)
    g_ptr_array_add (copy->usb, usb_device_copy (g_ptr_array_index (host->usb, i)));

  copy_string_table (copy->render_nodes, host->render_nodes, TRUE);
  copy_string_table (copy->drm_parents, host->drm_parents, FALSE);
  copy_string_table (copy->seen, host->seen, FALSE);
  copy->render_node_list = g_strdupv (host->render_node_list);
  _gh_host_virgl_free (copy->virgl);
  copy->virgl = _gh_host_virgl_copy (host->virgl);

  return copy;
}

/* ---- Queries ---------------------------------------------------------------------- */

const GhHostDomainCaps *
gh_host_get_domain_caps (const GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->caps;
}

const char *
gh_host_get_devices_error (const GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->devices_error;
}

/**
 * gh_host_get_gpus:
 *
 * Returns: (transfer none) (element-type GhHostPciDevice): the display controllers
 */
GPtrArray *
gh_host_get_gpus (const GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->gpus;
}

const GhHostPciDevice *
gh_host_lookup_pci (const GhHost *self,
                    const char   *address)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  return g_hash_table_lookup (self->pci_by_address, address);
}

GPtrArray *
gh_host_get_mdev_types (const GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->mdev_types;
}

GPtrArray *
gh_host_get_mdevs (const GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->mdevs;
}

GPtrArray *
gh_host_get_usb_devices (const GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->usb;
}

const char * const *
gh_host_get_render_nodes (const GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->render_node_list;
}

const GhHostVirgl *
gh_host_get_virgl (const GhHost *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->virgl;
}

const char *
gh_host_pci_device_get_label (const GhHostPciDevice *device)
{
  g_return_val_if_fail (device != NULL, NULL);
  return device->product != NULL ? device->product : device->address;
}

static gboolean
same_slot (const GhHostPciDevice *gpu,
           const char            *address)
{
  g_autofree char *prefix = g_strndup (gpu->address, strlen (gpu->address) - 1);

  /* "0000:01:00." is the slot; the last digit is the function. */
  return g_str_has_prefix (address, prefix) && strlen (address) == strlen (gpu->address);
}

GPtrArray *
gh_host_dup_gpu_functions (const GhHost          *self,
                                     const GhHostPciDevice *gpu)
{
  GPtrArray *functions = g_ptr_array_new ();

  g_return_val_if_fail (self != NULL, functions);
  g_return_val_if_fail (gpu != NULL, functions);

  for (guint i = 0; gpu->iommu_members != NULL && gpu->iommu_members[i] != NULL; i++)
    {
      const char *address = gpu->iommu_members[i];
      GhHostPciDevice *member = g_hash_table_lookup (self->pci_by_address, address);

      if (member != NULL && member != gpu && same_slot (gpu, address))
        g_ptr_array_add (functions, member);
    }

  return functions;
}

/* The host's GPUs, counted by slot: a GPU's HDMI audio function is not a second GPU. */
static guint
count_gpu_slots (const GhHost *self)
{
  g_autoptr(GHashTable) slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->gpus->len; i++)
    {
      const GhHostPciDevice *gpu = g_ptr_array_index (self->gpus, i);

      g_hash_table_add (slots, g_strndup (gpu->address, strlen (gpu->address) - 2));
    }

  return g_hash_table_size (slots);
}

static char *
describe_member (const GhHost    *self,
                 const char      *address)
{
  GhHostPciDevice *member = g_hash_table_lookup (self->pci_by_address, address);

  if (member == NULL || member->product == NULL)
    return g_strdup (address);

  /* Translators: a PCI device: its address, then its name (“0000:00:14.0 (USB controller)”) */
  return g_strdup_printf (_("%s (%s)"), address, member->product);
}

gboolean
gh_host_gpu_is_passable (const GhHost           *self,
                                   const GhHostPciDevice  *gpu,
                                   gboolean                confirm,
                                   char                  **reason)
{
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reason_text = NULL;
  gboolean passable = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (gpu != NULL, FALSE);

  for (guint i = 0; gpu->iommu_members != NULL && gpu->iommu_members[i] != NULL; i++)
    {
      const char *address = gpu->iommu_members[i];
      GhHostPciDevice *member = g_hash_table_lookup (self->pci_by_address, address);

      if (g_strcmp0 (address, gpu->address) == 0 || same_slot (gpu, address))
        continue;
      if (member != NULL && member->bridge)
        continue;
      g_ptr_array_add (others, describe_member (self, address));
    }

  if (gpu->iommu_group < 0)
    {
      /* Translators: %s is a PCI address such as 0000:01:00.0 */
      reason_text = g_strdup_printf (_("GPU %s is in no IOMMU group: the IOMMU is off "
                                       "(turn on VT-d or AMD-Vi and intel_iommu=on)"),
                                     gpu->address);
    }
  else if (others->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (others, NULL);
      list = g_strjoinv (", ", (char **) others->pdata);
      /* Translators: GPU 0000:01:00.0 shares IOMMU group 13 with 0000:00:14.0 (USB …) */
      reason_text = g_strdup_printf (_("GPU %s shares IOMMU group %d with %s, which would "
                                       "have to go to the machine too"),
                                     gpu->address, gpu->iommu_group, list);
    }
  else if (gpu->boot_vga && count_gpu_slots (self) == 1 && !confirm)
    {
      reason_text = g_strdup_printf (_("GPU %s is this computer's only GPU and shows its "
                                       "screen: passing it through needs your confirmation, "
                                       "and the host loses its display while the machine "
                                       "runs"), gpu->address);
    }
  else if (gpu->boot_vga && count_gpu_slots (self) == 1)
    {
      passable = TRUE;
      reason_text = g_strdup_printf (_("GPU %s is this computer's only GPU: the host loses "
                                       "its display while the machine runs"), gpu->address);
    }
  else if (gpu->boot_vga)
    {
      passable = TRUE;
      reason_text = g_strdup_printf (_("GPU %s is the one this computer starts on: its "
                                       "screens go dark while the machine runs"), gpu->address);
    }
  else
    {
      passable = TRUE;
      reason_text = g_strdup_printf (_("GPU %s and its IOMMU group %d can go to a machine "
                                       "whole"), gpu->address, gpu->iommu_group);
    }

  if (reason != NULL)
    *reason = g_steal_pointer (&reason_text);

  return passable;
}


/* ---- GPUs for a machine ------------------------------------------------------------ */

/* The PCI device at @address, written in full or not ("01:00.0"); NULL with @error. */
static const GhHostPciDevice *
lookup_gpu (const GhHost *self,
            const char   *address,
            const char   *what,
            GError      **error)
{
  const GhHostPciDevice *gpu = gh_host_lookup_pci (self, address);

  /* The host's addresses are written in full: "01:00.0" is the same device. */
  if (gpu == NULL)
    {
      g_autofree char *full = gh_domain_pci_address_dup_full (address);

      if (full != NULL)
        gpu = gh_host_lookup_pci (self, full);
    }

  if (gpu == NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is a PCI address */
      detail = g_strdup_printf (_("The host has no PCI device %s"), address);
      _gh_error_set (error, GH_ERROR_NOT_FOUND, what, detail);
    }

  return gpu;
}

gboolean
gh_host_attach_gpu (const GhHost    *self,
                    GhDomainEditor  *editor,
                    const char      *address,
                    gboolean         confirm,
                    GError         **error)
{
  g_autofree char *what = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) functions = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  const GhHostPciDevice *gpu;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (editor), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  /* Translators: %s is a PCI address */
  what = g_strdup_printf (_("Could not give GPU %s to the machine"), address);
  gpu = lookup_gpu (self, address, what, error);
  if (gpu == NULL)
    return FALSE;

  if (!gh_host_gpu_is_passable (self, gpu, confirm, &reason))
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what, reason);
      return FALSE;
    }

  functions = gh_host_dup_gpu_functions (self, gpu);
  addresses = g_ptr_array_new ();
  g_ptr_array_add (addresses, gpu->address);
  for (guint i = 0; i < functions->len; i++)
    g_ptr_array_add (addresses, ((GhHostPciDevice *) g_ptr_array_index (functions, i))->address);
  g_ptr_array_add (addresses, NULL);

  return gh_domain_editor_attach_pci_hostdevs (editor, (const char * const *) addresses->pdata,
                                               error);
}

gboolean
gh_host_detach_gpu (const GhHost    *self,
                    GhDomainEditor  *editor,
                    const char      *address,
                    GError         **error)
{
  g_autofree char *what = NULL;
  g_autoptr(GPtrArray) functions = NULL;
  const GhHostPciDevice *gpu;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (GH_IS_DOMAIN_EDITOR (editor), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  /* Translators: %s is a PCI address */
  what = g_strdup_printf (_("Could not take GPU %s away from the machine"), address);
  gpu = lookup_gpu (self, address, what, error);
  if (gpu == NULL)
    return FALSE;

  if (!gh_domain_editor_detach_pci_hostdev (editor, gpu->address, error))
    return FALSE;

  /* Its other functions go with it when they are there; one already gone is no error,
   * which is the only way taking one away can fail. */
  functions = gh_host_dup_gpu_functions (self, gpu);
  for (guint i = 0; i < functions->len; i++)
    {
      const GhHostPciDevice *function = g_ptr_array_index (functions, i);

      gh_domain_editor_detach_pci_hostdev (editor, function->address, NULL);
    }

  return TRUE;
}
