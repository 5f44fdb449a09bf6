/* gh-os-requirements.c: what an OS needs of a new machine, as libosinfo tells
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-os-db.h"

#define GIB ((guint64) 1 << 30)

/* virtio devices by PCI id: the transitional ("legacy") id and the virtio 1.0 one. */
static const char * const virtio_disk_ids[] = {
  "http://pcisig.com/pci/1af4/1001", "http://pcisig.com/pci/1af4/1042", NULL,
};
static const char * const virtio_net_ids[] = {
  "http://pcisig.com/pci/1af4/1000", "http://pcisig.com/pci/1af4/1041", NULL,
};
static const char * const virtio_rng_ids[] = {
  "http://pcisig.com/pci/1af4/1005", "http://pcisig.com/pci/1af4/1044", NULL,
};
static const char * const virtio_balloon_ids[] = {
  "http://pcisig.com/pci/1af4/1002", "http://pcisig.com/pci/1af4/1045", NULL,
};

/* Every virtio 1.0 ("modern") device id is 1af4/1040 + the device type. */
#define VIRTIO_MODERN_PREFIX "http://pcisig.com/pci/1af4/104"

static gboolean
devices_contain_any (OsinfoDeviceList   *devices,
                     const char * const *ids)
{
  for (guint i = 0; ids[i] != NULL; i++)
    if (osinfo_list_find_by_id (OSINFO_LIST (devices), ids[i]) != NULL)
      return TRUE;

  return FALSE;
}

static gboolean
devices_have_virtio_modern (OsinfoDeviceList *devices)
{
  int n = osinfo_list_get_length (OSINFO_LIST (devices));

  for (int i = 0; i < n; i++)
    {
      OsinfoEntity *device = osinfo_list_get_nth (OSINFO_LIST (devices), i);
      const char *id = osinfo_entity_get_id (device);

      if (g_str_has_prefix (id, VIRTIO_MODERN_PREFIX))
        return TRUE;
    }

  return FALSE;
}

static gboolean
arch_fits (const char *arch)
{
  return arch == NULL || g_str_equal (arch, "x86_64") || g_str_equal (arch, "all");
}

/* The x86_64 (else "all") entry of @list, or NULL. */
static OsinfoResources *
find_resources (OsinfoResourcesList *list)
{
  OsinfoResources *all = NULL;
  int n = osinfo_list_get_length (OSINFO_LIST (list));

  for (int i = 0; i < n; i++)
    {
      OsinfoResources *resources = OSINFO_RESOURCES (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *arch = osinfo_resources_get_architecture (resources);

      if (g_strcmp0 (arch, "x86_64") == 0)
        return resources;
      if (all == NULL && arch_fits (arch))
        all = resources;
    }

  return all;
}

typedef OsinfoResourcesList *(*GetResources) (OsinfoOs *os);

/* An OS often states its resources only through the one it derives from (Fedora 37 does
 * through Fedora 36…), so the nearest ancestor that says something speaks for it. */
static void
read_resources (OsinfoOs     *os,
                GetResources  get,
                guint64      *memory,
                guint        *cpus,
                guint64      *storage)
{
  for (guint depth = 0; os != NULL && depth < 32; depth++)
    {
      g_autoptr(OsinfoResourcesList) list = get (os);
      g_autoptr(OsinfoProductList) parents = NULL;
      OsinfoResources *resources = find_resources (list);

      if (resources != NULL)
        {
          gint64 ram = osinfo_resources_get_ram (resources);
          gint n_cpus = osinfo_resources_get_n_cpus (resources);
          gint64 disk = osinfo_resources_get_storage (resources);

          if (ram > 0)
            *memory = (guint64) ram;
          if (n_cpus > 0)
            *cpus = (guint) n_cpus;
          if (disk > 0)
            *storage = (guint64) disk;
          return;
        }

      parents = osinfo_product_get_related (OSINFO_PRODUCT (os),
                                            OSINFO_PRODUCT_RELATIONSHIP_DERIVES_FROM);
      os = osinfo_list_get_length (OSINFO_LIST (parents)) > 0
           ? OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (parents), 0)) : NULL;
    }
}

static void
read_firmware (OsinfoOs         *os,
               GhOsRequirements *requirements)
{
  g_autoptr(OsinfoFirmwareList) firmwares = osinfo_os_get_complete_firmware_list (os, NULL);
  int n = osinfo_list_get_length (OSINFO_LIST (firmwares));

  /* libosinfo lists firmware only where someone checked it: an OS that lists none boots
   * with BIOS, as every PC OS did before UEFI, and UEFI is not assumed. An entry says
   * yes, or (supported="false") no. */
  requirements->bios_supported = TRUE;
  requirements->uefi_supported = FALSE;

  for (int i = 0; i < n; i++)
    {
      OsinfoFirmware *firmware = OSINFO_FIRMWARE (osinfo_list_get_nth (OSINFO_LIST (firmwares), i));
      const char *type = osinfo_firmware_get_firmware_type (firmware);
      gboolean supported = osinfo_firmware_is_supported (firmware);

      if (!arch_fits (osinfo_firmware_get_architecture (firmware)))
        continue;

      if (g_strcmp0 (type, "efi") == 0)
        requirements->uefi_supported = supported;
      else if (g_strcmp0 (type, "bios") == 0)
        requirements->bios_supported = supported;
    }

  /* A list that refuses both would leave the machine nothing to boot with. */
  if (!requirements->uefi_supported && !requirements->bios_supported)
    requirements->bios_supported = TRUE;
}

/* osinfo-db has no TPM device, so libosinfo cannot say that Windows 11 refuses to install
 * without one: the rule is ours, by short id ("win11", and any later "win11…" variant). */
static gboolean
os_needs_tpm (OsinfoOs *os)
{
  const char *short_id = osinfo_product_get_short_id (OSINFO_PRODUCT (os));

  return short_id != NULL && g_str_has_prefix (short_id, "win11");
}

/* libosinfo has no machine-type flag. q35 (ICH9: AHCI, PCI Express) suits any OS that
 * knows virtio 1.0 devices, which are PCI Express devices there, and any OS released
 * from 2012 on, by when every maintained OS had AHCI and PCIe drivers (Windows 8,
 * Linux 3.x). Older or undated OSes keep i440fx, whose IDE and PCI they surely know. */
static gboolean
os_wants_q35 (OsinfoOs         *os,
              OsinfoDeviceList *devices)
{
  g_autoptr(GDate) released = NULL;

  if (devices_have_virtio_modern (devices))
    return TRUE;

  released = osinfo_product_get_release_date (OSINFO_PRODUCT (os));
  return released != NULL && g_date_get_year (released) >= 2012;
}

void
gh_os_requirements_for_os (OsinfoOs         *os,
                           GhOsRequirements *requirements)
{
  g_autoptr(OsinfoDeviceList) devices = NULL;

  g_return_if_fail (os == NULL || OSINFO_IS_OS (os));
  g_return_if_fail (requirements != NULL);

  /* Safe defaults: what a current Linux or Windows installs with. */
  *requirements = (GhOsRequirements) {
    .minimum_memory = 2 * GIB,
    .recommended_memory = 2 * GIB,
    .minimum_cpus = 1,
    .recommended_cpus = 2,
    .minimum_storage = 25 * GIB,
    .recommended_storage = 25 * GIB,
    .uefi_supported = TRUE,
    .bios_supported = TRUE,
    .needs_tpm = FALSE,
    .virtio_disk = TRUE,
    .virtio_net = TRUE,
    .virtio_rng = TRUE,
    .virtio_balloon = TRUE,
    .q35 = TRUE,
  };

  if (os == NULL)
    return;

  /* A known OS states its own minimum; without one, it gets ours. */
  requirements->minimum_memory = 0;
  requirements->minimum_cpus = 0;
  requirements->minimum_storage = 0;
  read_resources (os, osinfo_os_get_minimum_resources, &requirements->minimum_memory,
                  &requirements->minimum_cpus, &requirements->minimum_storage);
  if (requirements->minimum_memory == 0)
    requirements->minimum_memory = 512 * 1024 * 1024;
  if (requirements->minimum_cpus == 0)
    requirements->minimum_cpus = 1;
  if (requirements->minimum_storage == 0)
    requirements->minimum_storage = 8 * GIB;

  requirements->recommended_memory = MAX (requirements->minimum_memory, 2 * GIB);
  requirements->recommended_cpus = MAX (requirements->minimum_cpus, 2);
  requirements->recommended_storage = MAX (requirements->minimum_storage, 25 * GIB);
  read_resources (os, osinfo_os_get_recommended_resources, &requirements->recommended_memory,
                  &requirements->recommended_cpus, &requirements->recommended_storage);
  requirements->recommended_memory = MAX (requirements->recommended_memory,
                                          requirements->minimum_memory);
  requirements->recommended_cpus = MAX (requirements->recommended_cpus,
                                        requirements->minimum_cpus);
  requirements->recommended_storage = MAX (requirements->recommended_storage,
                                           requirements->minimum_storage);

  read_firmware (os, requirements);
  requirements->needs_tpm = os_needs_tpm (os);

  /* Without a filter, libosinfo drops what the OS (or one between) marks unsupported. */
  devices = osinfo_os_get_all_devices (os, NULL);
  requirements->virtio_disk = devices_contain_any (devices, virtio_disk_ids);
  requirements->virtio_net = devices_contain_any (devices, virtio_net_ids);
  requirements->virtio_rng = devices_contain_any (devices, virtio_rng_ids);
  requirements->virtio_balloon = devices_contain_any (devices, virtio_balloon_ids);
  requirements->q35 = os_wants_q35 (os, devices);
}
