/* gh-create-wizard-resources.c: the "resources" page: memory, processors, disk, firmware
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <math.h>

#include "gh-create-wizard-private.h"

char *
_gh_create_wizard_format_gib (guint64 bytes)
{
  /* Translators: a size in gibibytes, like "2.5 GiB" */
  return g_strdup_printf (_("%.1f GiB"), (double) bytes / GIB);
}

GhFirmware
_gh_create_wizard_chosen_firmware (GhCreateWizard *self)
{
  return adw_combo_row_get_selected (self->firmware_row) == 1
         ? GH_FIRMWARE_UEFI : GH_FIRMWARE_BIOS;
}

guint64
_gh_create_wizard_chosen_memory (GhCreateWizard *self)
{
  /* Whole MiB. */
  return (guint64) (gtk_adjustment_get_value (self->memory_adjustment) * 1024 + 0.5) * MIB;
}

guint64
_gh_create_wizard_chosen_disk_size (GhCreateWizard *self)
{
  if (self->source == SOURCE_IMAGE)
    return 0;
  return (guint64) gtk_adjustment_get_value (self->disk_adjustment) * GIB;
}

static void
update_memory_subtitle (GhCreateWizard *self)
{
  const GhCreateHost *host = gh_machine_creator_get_host (self->creator);
  g_autofree char *minimum = _gh_create_wizard_format_gib (self->requirements.minimum_memory);
  g_autofree char *total = _gh_create_wizard_format_gib (host->host_memory);
  g_autofree char *free_memory = _gh_create_wizard_format_gib (host->free_memory);
  g_autofree char *subtitle = NULL;

  if (self->requirements.minimum_memory > 0)
    /* Translators: sizes, like "At least 2.0 GiB · 15.5 GiB on this computer, 9.1 GiB free" */
    subtitle = g_strdup_printf (_("At least %s · %s on this computer, %s free"),
                                minimum, total, free_memory);
  else
    subtitle = g_strdup_printf (_("%s on this computer, %s free"), total, free_memory);
  adw_action_row_set_subtitle (self->memory_row, subtitle);
}

void
_gh_create_wizard_enter_resources (GhCreateWizard *self)
{
  const GhCreateHost *host = gh_machine_creator_get_host (self->creator);
  const GhHostDomainCaps *caps = gh_host_inventory_get_domain_caps (self->host);
  const GhOsRequirements *req = &self->requirements;
  double host_gib = (double) host->host_memory / GIB;
  double memory_gib = (double) req->recommended_memory / GIB;
  double disk_limit = MAX ((double) host->pool_available / GIB, 1.0);
  guint cpus = MIN (MAX (req->recommended_cpus, 1), MAX (host->host_cpus, 1));
  g_autofree char *description = NULL;
  g_autofree char *cpus_subtitle = NULL;
  g_autofree char *disk_subtitle = NULL;
  g_autofree char *available = _gh_create_wizard_format_gib (host->pool_available);
  gboolean uefi_host = gh_domain_caps_offers_uefi (caps);

  /* A group's description is markup.
   * Translators: an OS name */
  description = g_markup_printf_escaped (_("Recommended for %s"),
                                         _gh_create_wizard_os_name (self->os));
  adw_preferences_group_set_description (self->resources_group, description);

  /* Never more than the host has, never less than the OS's minimum where the host can. */
  gtk_adjustment_set_upper (self->memory_adjustment, MAX (host_gib, 0.5));
  memory_gib = MIN (memory_gib, MAX ((double) host->free_memory / GIB, 0.5));
  memory_gib = MAX (memory_gib, (double) req->minimum_memory / GIB);
  gtk_adjustment_set_value (self->memory_adjustment, MIN (memory_gib, host_gib));
  update_memory_subtitle (self);

  gtk_adjustment_set_upper (self->cpus_adjustment, MAX (host->host_cpus, 1));
  gtk_adjustment_set_value (self->cpus_adjustment, cpus);
  if (req->minimum_cpus > 0)
    /* Translators: numbers of processors */
    cpus_subtitle = g_strdup_printf (_("At least %u · %u on this computer"),
                                     req->minimum_cpus, host->host_cpus);
  else
    cpus_subtitle = g_strdup_printf (_("%u on this computer"), host->host_cpus);
  adw_action_row_set_subtitle (self->cpus_row, cpus_subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->disk_row), self->source != SOURCE_IMAGE);
  gtk_adjustment_set_upper (self->disk_adjustment, floor (disk_limit));
  gtk_adjustment_set_value (self->disk_adjustment,
                            MIN ((double) MAX (req->recommended_storage, GIB) / GIB,
                                 floor (disk_limit)));
  if (req->minimum_storage > 0)
    {
      g_autofree char *minimum = _gh_create_wizard_format_gib (req->minimum_storage);

      /* Translators: sizes; the disk grows as the guest writes */
      disk_subtitle = g_strdup_printf (_("At least %s · %s free · grows as it fills"),
                                       minimum, available);
    }
  else
    disk_subtitle = g_strdup_printf (_("%s free · grows as it fills"), available);
  adw_action_row_set_subtitle (self->disk_row, disk_subtitle);

  /* UEFI when the OS can boot with it and the host has the firmware. */
  adw_combo_row_set_selected (self->firmware_row,
                              req->uefi_supported && (uefi_host || !req->bios_supported) ? 1 : 0);
  if (!req->bios_supported && !uefi_host)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("This system needs UEFI, and this host has no UEFI "
                                   "firmware (OVMF)"));
  else if (req->uefi_supported && !uefi_host)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("UEFI would need the host’s UEFI firmware (OVMF)"));
  else if (!req->uefi_supported)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("This system boots with BIOS"));
  else if (req->needs_tpm && !gh_domain_caps_offers_tpm (caps))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("This system wants a TPM, which this host cannot "
                                   "emulate (swtpm)"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("What the system supports and the host has"));

  _gh_create_wizard_notify (self, PROP_MEMORY);
  _gh_create_wizard_notify (self, PROP_VCPUS);
  _gh_create_wizard_notify (self, PROP_DISK_SIZE);
  _gh_create_wizard_notify (self, PROP_FIRMWARE);
  _gh_create_wizard_show_page (self, "resources");
}

static void
resources_changed_cb (GhCreateWizard *self)
{
  _gh_create_wizard_notify (self, PROP_MEMORY);
}

void
_gh_create_wizard_resources_init (GhCreateWizard *self)
{
  g_signal_connect_swapped (self->memory_adjustment, "value-changed",
                            G_CALLBACK (resources_changed_cb), self);
}
