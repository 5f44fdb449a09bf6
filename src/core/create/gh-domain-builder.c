/* gh-domain-builder.c: the XML of a new machine
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-domain-builder.h"
#include "gh-domain-editor.h"
#include "gh-domain-metadata.h"
#include "gh-error-private.h"
#include "gh-os-db.h"
#include "gh-text.h"

/* ---- Plain data ------------------------------------------------------------------ */

GhDomainSpec *
gh_domain_spec_new (void)
{
  GhDomainSpec *spec = g_new0 (GhDomainSpec, 1);

  spec->vcpus = 1;
  spec->firmware = GH_FIRMWARE_BIOS;
  spec->disk_format = g_strdup ("qcow2");
  return spec;
}

GhDomainSpec *
gh_domain_spec_copy (const GhDomainSpec *spec)
{
  GhDomainSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_new0 (GhDomainSpec, 1);
  copy->name = g_strdup (spec->name);
  copy->title = g_strdup (spec->title);
  copy->os = spec->os != NULL ? g_object_ref (spec->os) : NULL;
  copy->memory = spec->memory;
  copy->vcpus = spec->vcpus;
  copy->firmware = spec->firmware;
  copy->tpm = spec->tpm;
  copy->disk_path = g_strdup (spec->disk_path);
  copy->disk_format = g_strdup (spec->disk_format);
  copy->cdrom_path = g_strdup (spec->cdrom_path);
  copy->display = spec->display != NULL ? gh_graphics_path_copy (spec->display) : NULL;
  copy->install_media = spec->install_media != NULL ? g_object_ref (spec->install_media) : NULL;
  copy->express = spec->express != NULL ? gh_express_config_copy (spec->express) : NULL;
  copy->kernel_path = g_strdup (spec->kernel_path);
  copy->initrd_path = g_strdup (spec->initrd_path);
  copy->cmdline = g_strdup (spec->cmdline);
  copy->uuid = g_strdup (spec->uuid);
  return copy;
}

void
gh_domain_spec_free (GhDomainSpec *spec)
{
  if (spec == NULL)
    return;

  g_free (spec->name);
  g_free (spec->title);
  g_clear_object (&spec->os);
  g_free (spec->disk_path);
  g_free (spec->disk_format);
  g_free (spec->cdrom_path);
  g_clear_pointer (&spec->display, gh_graphics_path_free);
  g_clear_object (&spec->install_media);
  g_clear_pointer (&spec->express, gh_express_config_free);
  g_free (spec->kernel_path);
  g_free (spec->initrd_path);
  g_free (spec->cmdline);
  g_free (spec->uuid);
  g_free (spec);
}

static gboolean
strv_has (GStrv       values,
          const char *value)
{
  return values != NULL && g_strv_contains ((const char * const *) values, value);
}

gboolean
gh_domain_caps_offers_tpm (const GhHostDomainCaps *caps)
{
  return caps != NULL && strv_has (caps->tpm, "emulator");
}

gboolean
gh_domain_caps_offers_uefi (const GhHostDomainCaps *caps)
{
  /* libvirt lists "efi" only when it found a firmware descriptor for OVMF. */
  return caps != NULL && strv_has (caps->firmware, "efi");
}

/* ---- The XML ---------------------------------------------------------------------- */

/* Appends a printf-style line whose string arguments are escaped for XML, indented. */
G_GNUC_PRINTF (3, 4)
static void
append (GString    *xml,
        guint       indent,
        const char *format,
        ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_markup_vprintf_escaped (format, args);
  va_end (args);

  for (guint i = 0; i < indent; i++)
    g_string_append (xml, "  ");
  g_string_append (xml, line);
  g_string_append_c (xml, '\n');
}

/* Fragments written by the planner, re-indented to sit inside <devices>. */
static void
append_fragment (GString    *xml,
                 guint       indent,
                 const char *fragment)
{
  g_auto(GStrv) lines = NULL;

  if (fragment == NULL)
    return;

  lines = g_strsplit (fragment, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      for (guint j = 0; j < indent; j++)
        g_string_append (xml, "  ");
      g_string_append (xml, lines[i]);
      g_string_append_c (xml, '\n');
    }
}

static gboolean
os_is_windows (OsinfoOs *os)
{
  return os != NULL && g_strcmp0 (osinfo_os_get_family (os), "winnt") == 0;
}

/* The bus for disks and CD-ROMs without virtio: q35 has AHCI (SATA) and no IDE; i440fx
 * has IDE, which every OS old enough to be put on it knows (Windows XP has no AHCI). */
static const char *
legacy_bus (gboolean q35)
{
  return q35 ? "sata" : "ide";
}

char *
gh_domain_builder_build (const GhDomainSpec     *spec,
                         const GhHostDomainCaps *caps,
                         GError                **error)
{
  g_autoptr(GString) xml = NULL;
  GhOsRequirements req;
  const char *domain_type;
  const char *arch;
  const char *disk_bus = NULL;
  const char *cdrom_bus = NULL;
  g_autofree char *disk_dev = NULL;
  g_autofree char *cdrom_dev = NULL;
  gboolean efi;
  gboolean kvm;
  guint64 memory_kib;
  guint boot_order = 1;
  const char *paths[4];

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  paths[0] = spec->disk_path;
  paths[1] = spec->cdrom_path;
  paths[2] = spec->kernel_path;
  paths[3] = spec->initrd_path;

  if (spec->name == NULL || spec->name[0] == '\0')
    {
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not describe the new machine"),
                     _("it has no name"));
      return NULL;
    }
  if (spec->uuid != NULL && !g_uuid_string_is_valid (spec->uuid))
    {
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not describe the new machine"),
                     _("its identifier is not a UUID"));
      return NULL;
    }

  /* What goes into the XML as text must be XML's text, unchanged: a control character
   * or a file name that is not UTF-8 is refused, never written differently. */
  if (!gh_text_check (spec->name, GH_TEXT_LINE, _("Could not use the name of the new machine"),
                      error)
      || (spec->title != NULL
          && !gh_text_check (spec->title, GH_TEXT_LINE,
                             _("Could not use the title of the new machine"), error)))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (paths[i] != NULL
        && !gh_text_check (paths[i], GH_TEXT_PATH, _("Could not describe the new machine"),
                           error))
      return NULL;

  memory_kib = spec->memory / 1024;
  if (memory_kib == 0)
    {
      _gh_error_set (error, GH_ERROR_FAILED, _("Could not describe the new machine"),
                     _("it has no memory"));
      return NULL;
    }

  gh_os_requirements_for_os (spec->os, &req);

  /* Unknown capabilities: "qemu" (TCG) is what every host can run; a KVM host loses
   * speed, not the machine. */
  domain_type = caps != NULL && caps->domain_type != NULL && caps->domain_type[0] != '\0'
                ? caps->domain_type : "qemu";
  kvm = g_str_equal (domain_type, "kvm");
  arch = caps != NULL && caps->arch != NULL && caps->arch[0] != '\0' ? caps->arch : "x86_64";
  /* The display path may need UEFI (passthrough) whatever the user picked. */
  efi = spec->firmware == GH_FIRMWARE_UEFI
        || (spec->display != NULL && g_strcmp0 (spec->display->firmware, "efi") == 0);

  xml = g_string_new (NULL);
  append (xml, 0, "<domain type='%s'>", domain_type);
  append (xml, 1, "<name>%s</name>", spec->name);
  if (spec->uuid != NULL)
    append (xml, 1, "<uuid>%s</uuid>", spec->uuid);
  if (spec->title != NULL && spec->title[0] != '\0')
    append (xml, 1, "<title>%s</title>", spec->title);

  if (spec->os != NULL || spec->kernel_path != NULL)
    append (xml, 1, "<metadata>");
  /* Read back by gh-machine-info, and by virt-manager and GNOME Boxes alike. */
  if (spec->os != NULL)
    {
      append (xml, 2, "<libosinfo:libosinfo xmlns:libosinfo='%s'>", GH_DOMAIN_LIBOSINFO_NS);
      append (xml, 3, "<libosinfo:os id='%s'/>",
              osinfo_entity_get_id (OSINFO_ENTITY (spec->os)));
      append (xml, 2, "</libosinfo:libosinfo>");
    }
  /* What finishing the install takes away again (GhMachine does it). */
  if (spec->kernel_path != NULL)
    {
      append (xml, 2, "<%s xmlns:%s='%s'>", GH_DOMAIN_METADATA_QNAME (GH_DOMAIN_METADATA_ROOT),
              GH_DOMAIN_METADATA_PREFIX, GH_DOMAIN_METADATA_NS);
      append (xml, 3, "<%s kernel='%s' initrd='%s'/>",
              GH_DOMAIN_METADATA_QNAME (GH_DOMAIN_METADATA_EXPRESS_INSTALL),
              spec->kernel_path, spec->initrd_path != NULL ? spec->initrd_path : "");
      append (xml, 2, "</%s>", GH_DOMAIN_METADATA_QNAME (GH_DOMAIN_METADATA_ROOT));
    }
  if (spec->os != NULL || spec->kernel_path != NULL)
    append (xml, 1, "</metadata>");

  append (xml, 1, "<memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>", memory_kib);
  append (xml, 1, "<currentMemory unit='KiB'>%" G_GUINT64_FORMAT "</currentMemory>",
          memory_kib);
  append (xml, 1, "<vcpu>%u</vcpu>", MAX (spec->vcpus, 1));

  /* firmware='efi' lets libvirt pick OVMF (and its NVRAM template) from the host's
   * firmware descriptors, so no path to a firmware file is written here. */
  append (xml, 1, efi ? "<os firmware='efi'>" : "<os>");
  append (xml, 2, "<type arch='%s' machine='%s'>hvm</type>", arch, req.q35 ? "q35" : "pc");
  if (spec->kernel_path != NULL)
    {
      append (xml, 2, "<kernel>%s</kernel>", spec->kernel_path);
      if (spec->initrd_path != NULL)
        append (xml, 2, "<initrd>%s</initrd>", spec->initrd_path);
      if (spec->cmdline != NULL && spec->cmdline[0] != '\0')
        append (xml, 2, "<cmdline>%s</cmdline>", spec->cmdline);
    }
  append (xml, 1, "</os>");

  append (xml, 1, "<features>");
  append (xml, 2, "<acpi/>");
  append (xml, 2, "<apic/>");
  append (xml, 1, "</features>");

  /* The host's own CPU is the fastest under KVM; TCG emulates its default model. */
  if (kvm)
    append (xml, 1, "<cpu mode='host-passthrough' check='none' migratable='on'/>");

  /* Windows keeps the hardware clock in local time. */
  append (xml, 1, "<clock offset='%s'>", os_is_windows (spec->os) ? "localtime" : "utc");
  append (xml, 2, "<timer name='rtc' tickpolicy='catchup'/>");
  append (xml, 2, "<timer name='pit' tickpolicy='delay'/>");
  append (xml, 2, "<timer name='hpet' present='no'/>");
  append (xml, 1, "</clock>");

  append (xml, 1, "<on_poweroff>destroy</on_poweroff>");
  /* The installer reboots when it is done: the install phase stops there instead, so
   * that Greenhouse can boot the installed system from its disk. */
  append (xml, 1, "<on_reboot>%s</on_reboot>", spec->kernel_path != NULL ? "destroy" : "restart");
  append (xml, 1, "<on_crash>destroy</on_crash>");

  append (xml, 1, "<devices>");
  if (caps != NULL && caps->emulator != NULL && caps->emulator[0] != '\0')
    append (xml, 2, "<emulator>%s</emulator>", caps->emulator);

  /* Targets: virtio disks are vdX; SATA and IDE disks share one name space. */
  if (spec->disk_path != NULL)
    {
      disk_bus = req.virtio_disk ? "virtio" : legacy_bus (req.q35);
      disk_dev = g_strdup (req.virtio_disk ? "vda" : req.q35 ? "sda" : "hda");
    }
  if (spec->cdrom_path != NULL)
    {
      gboolean shares_bus;

      cdrom_bus = legacy_bus (req.q35);
      shares_bus = g_strcmp0 (disk_bus, cdrom_bus) == 0;
      /* On IDE, hdc is the secondary master: the usual place of a CD-ROM drive. */
      cdrom_dev = g_strdup (req.q35 ? (shares_bus ? "sdb" : "sda") : "hdc");
    }

  /* The install media boots first; once the installer has written the disk, the disk
   * boots (an empty disk falls through to the CD-ROM, a bootable one wins after it). */
  if (spec->cdrom_path != NULL)
    {
      append (xml, 2, "<disk type='file' device='cdrom'>");
      append (xml, 3, "<driver name='qemu' type='raw'/>");
      append (xml, 3, "<source file='%s'/>", spec->cdrom_path);
      append (xml, 3, "<target dev='%s' bus='%s'/>", cdrom_dev, cdrom_bus);
      append (xml, 3, "<readonly/>");
      append (xml, 3, "<boot order='%u'/>", boot_order++);
      append (xml, 2, "</disk>");
    }

  if (spec->disk_path != NULL)
    {
      const char *format = spec->disk_format != NULL ? spec->disk_format : "qcow2";

      append (xml, 2, "<disk type='file' device='disk'>");
      /* discard='unmap': what the guest frees gives the host its space back. */
      append (xml, 3, "<driver name='qemu' type='%s' discard='unmap'/>", format);
      append (xml, 3, "<source file='%s'/>", spec->disk_path);
      append (xml, 3, "<target dev='%s' bus='%s'/>", disk_dev, disk_bus);
      append (xml, 3, "<boot order='%u'/>", boot_order++);
      append (xml, 2, "</disk>");
    }

  /* The tablet and USB redirection of the display path need USB. On q35, xHCI; an OS old
   * enough for i440fx may not know xHCI, so there libvirt's default (UHCI) stays. */
  if (req.q35)
    append (xml, 2, "<controller type='usb' model='qemu-xhci' ports='15'/>");
  else
    append (xml, 2, "<controller type='usb'/>");

  /* User networking: what a qemu:///session daemon can always give (no bridge, no
   * privileges). The spec does not say which connection it is for yet, so a system
   * connection gets it too, which works there as well, only slower than a bridge. */
  append (xml, 2, "<interface type='user'>");
  append (xml, 3, "<model type='%s'/>",
          req.virtio_net ? "virtio" : req.q35 ? "e1000e" : "e1000");
  append (xml, 2, "</interface>");

  append (xml, 2, "<serial type='pty'>");
  append (xml, 3, "<target port='0'/>");
  append (xml, 2, "</serial>");
  append (xml, 2, "<console type='pty'>");
  append (xml, 3, "<target type='serial' port='0'/>");
  append (xml, 2, "</console>");

  if (spec->display != NULL)
    {
      g_autofree char *devices = gh_graphics_path_dup_devices_xml (spec->display);

      append_fragment (xml, 2, devices);
    }

  /* Known capabilities without the emulator backend: libvirt would refuse the machine. */
  if (spec->tpm && (caps == NULL || gh_domain_caps_offers_tpm (caps)))
    {
      append (xml, 2, "<tpm model='tpm-crb'>");
      append (xml, 3, "<backend type='emulator' version='2.0'/>");
      append (xml, 2, "</tpm>");
    }

  if (req.virtio_rng)
    {
      append (xml, 2, "<rng model='virtio'>");
      append (xml, 3, "<backend model='random'>/dev/urandom</backend>");
      append (xml, 2, "</rng>");
    }

  /* libvirt adds a virtio balloon to every x86 guest that does not say "none". */
  append (xml, 2, "<memballoon model='%s'/>", req.virtio_balloon ? "virtio" : "none");

  append (xml, 1, "</devices>");
  append (xml, 0, "</domain>");

  /* Whatever made the display path, no machine is born with a port anyone can open. */
  {
    g_autoptr(GhDomainEditor) editor = gh_domain_editor_new (xml->str, NULL);
    g_autoptr(GPtrArray) open = editor != NULL ? gh_domain_editor_dup_open_displays (editor)
                                               : NULL;

    if (open != NULL && open->len > 0)
      {
        _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not describe the new machine"),
                       _("its display would listen on a network port without a password"));
        return NULL;
      }
  }

  return g_string_free (g_steal_pointer (&xml), FALSE);
}
