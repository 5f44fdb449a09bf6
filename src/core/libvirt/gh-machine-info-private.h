/* gh-machine-info-private.h: what a worker thread reads of one domain
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>

#include "gh-machine-state.h"

G_BEGIN_DECLS

/* What a worker thread reads of one domain; plain data, safe to pass between threads. */
typedef struct
{
  char           *uuid;
  char           *name;
  char           *title;
  char           *description;
  char           *os_id;
  GhMachineState  state;
  GhMachinePauseReason pause_reason;
  guint           vcpus;
  guint64         memory;       /* bytes */
  gboolean        has_spice;
  gboolean        persistent;
  gboolean        installing;     /* in the install phase of an express install */
  gboolean        install_done;   /* …and the guest stopped it: its installer is done */
} GhMachineInfo;

/* Worker thread only: these call libvirt. */
GhMachineInfo  *_gh_machine_info_new_from_domain (virDomainPtr          domain,
                                                  GError              **error);
/* Parses domain XML; fills everything but state and persistent. */
GhMachineInfo  *_gh_machine_info_new_from_xml    (const char           *xml,
                                                  GError              **error);
void            _gh_machine_info_free            (GhMachineInfo        *info);
GhMachineState  _gh_machine_state_from_libvirt   (int                   state);
/* @disk_full: virDomainGetDiskErrors() said NO_SPACE (only asked for an I/O error). */
GhMachinePauseReason _gh_machine_pause_reason_from_libvirt (int         state,
                                                           int         reason,
                                                           gboolean    disk_full);
/* Worker: why @domain, paused for an I/O error, paused; whether a disk is out of space,
 * and (nullable) the host path of the first disk that failed. */
gboolean        _gh_machine_read_disk_errors     (virDomainPtr          domain,
                                                  char                **path);
/* The position among the <graphics> devices of the first SPICE one, or -1. */
int             _gh_domain_xml_spice_graphics_index (const char        *xml);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhMachineInfo, _gh_machine_info_free)

G_END_DECLS
