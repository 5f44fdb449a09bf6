/* gh-host-inventory.c: domain capabilities, GPUs, IOMMU groups, mdevs and virgl
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-host-inventory-private.h"

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
 *
 * What the XML says is read in gh-host-inventory-xml.c, the worker is in
 * gh-host-inventory-load.c; this file holds the object, its overrides and its API.
 */

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
  g_task_set_task_data (task, data, (GDestroyNotify) _gh_host_inventory_load_data_free);

  if (data->conn == NULL)
    {
      g_prefix_error (&error, "%s: ", _("Could not read the host's devices"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_run_in_thread (task, _gh_host_inventory_load_thread);
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
      data->caps = _gh_host_inventory_parse_domain_caps (domain_caps_xml, error);
      if (data->caps == NULL)
        return NULL;
    }

  for (guint i = 0; node_devices != NULL && node_devices[i] != NULL; i++)
    if (!_gh_host_inventory_add_device_xml (data, node_devices[i], error))
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

  caps = _gh_host_inventory_parse_domain_caps (xml, error);
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
