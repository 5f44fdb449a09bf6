/* gh-machine-state.h: what state a machine is in, as Greenhouse names libvirt's
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  GH_MACHINE_STATE_UNKNOWN,   /* not known yet, or the connection is lost */
  GH_MACHINE_STATE_SHUT_OFF,
  GH_MACHINE_STATE_RUNNING,
  GH_MACHINE_STATE_PAUSED,
  GH_MACHINE_STATE_SUSPENDED, /* suspended by the guest (ACPI S3/S4) */
  GH_MACHINE_STATE_CRASHED,
} GhMachineState;

/* Why a machine is paused, in the terms a person acts on. */
typedef enum
{
  GH_MACHINE_PAUSE_REASON_NONE,          /* not paused */
  GH_MACHINE_PAUSE_REASON_UNKNOWN,       /* paused, libvirt does not say why */
  GH_MACHINE_PAUSE_REASON_USER,          /* someone paused it */
  GH_MACHINE_PAUSE_REASON_DISK_FULL,     /* a disk's host storage ran out of space */
  GH_MACHINE_PAUSE_REASON_DISK_ERROR,    /* any other read or write error of a disk */
  GH_MACHINE_PAUSE_REASON_WATCHDOG,
  GH_MACHINE_PAUSE_REASON_SNAPSHOT,
  GH_MACHINE_PAUSE_REASON_MIGRATION,
  GH_MACHINE_PAUSE_REASON_SAVE,          /* being saved to a file, or dumped */
  GH_MACHINE_PAUSE_REASON_STARTING,      /* started paused, or still starting */
  GH_MACHINE_PAUSE_REASON_SHUTTING_DOWN,
  GH_MACHINE_PAUSE_REASON_CRASHED,       /* the guest crashed (panic device) */
} GhMachinePauseReason;

G_END_DECLS
