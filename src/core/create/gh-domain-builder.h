/* gh-domain-builder.h: the XML of a new machine
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <osinfo/osinfo.h>

#include "gh-express-install.h"
#include "gh-graphics-planner.h"
#include "gh-host.h"

G_BEGIN_DECLS

typedef enum
{
  GH_FIRMWARE_BIOS,
  GH_FIRMWARE_UEFI,
} GhFirmware;

/* Everything a new machine is made of. Plain data: the wizard fills it on the main
 * thread, the creator reads it in a worker. */
typedef struct
{
  char           *name;          /* libvirt's name: unique on the connection */
  char           *title;         /* NULL: none */
  OsinfoOs       *os;            /* NULL: the OS is not known */
  guint64         memory;        /* bytes */
  guint           vcpus;
  GhFirmware      firmware;
  gboolean        tpm;           /* an emulated TPM 2.0 */
  char           *disk_path;     /* the machine's disk; NULL: none */
  char           *disk_format;   /* "qcow2" or "raw" */
  char           *cdrom_path;    /* install media; NULL: no CD-ROM */
  GhGraphicsPath *display;       /* the display path the user chose (a copy) */
  /* The express install: what the wizard asks for… */
  OsinfoMedia    *install_media; /* what cdrom_path is, as libosinfo identified it */
  GhExpressConfig *express;      /* NULL: the user installs by hand */
  /* …and what the creator makes of it: the install phase boots the media's kernel with
   * an initrd that holds the answers, and stops at the installer's reboot. */
  char           *kernel_path;   /* NULL: the machine boots as usual */
  char           *initrd_path;
  char           *cmdline;
  char           *uuid;          /* NULL: libvirt picks one */
} GhDomainSpec;

GhDomainSpec   *gh_domain_spec_new          (void);
GhDomainSpec   *gh_domain_spec_copy         (const GhDomainSpec     *spec);
void            gh_domain_spec_free         (GhDomainSpec           *spec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhDomainSpec, gh_domain_spec_free)

/* Whether the host's QEMU can give a guest an emulated TPM 2.0 (domain capabilities list
 * the emulator backend). NULL caps: unknown, so no. */
gboolean        gh_domain_caps_offers_tpm   (const GhHostDomainCaps *caps);
/* Whether UEFI firmware (OVMF) is there for this host's QEMU. */
gboolean        gh_domain_caps_offers_uefi  (const GhHostDomainCaps *caps);

/* The domain XML to define: paravirtual (virtio) devices where the OS has drivers, the
 * libosinfo metadata, the console's devices from @spec->display, the CD-ROM first in the
 * boot order when there is one. With @spec->kernel_path, the install phase of an express
 * install: the kernel, initrd and command line boot directly, a reboot stops the machine
 * and Greenhouse's metadata notes the two files, so that the install can be finished. @caps (NULL: unknown) picks the emulator, domain type and
 * machine. Pure: the same input gives the same XML. Fails only on a spec that cannot be
 * a machine (no name, no memory). */
char           *gh_domain_builder_build     (const GhDomainSpec     *spec,
                                             const GhHostDomainCaps *caps,
                                             GError                **error);

G_END_DECLS
