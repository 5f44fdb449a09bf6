/* gh-machine-creator.h: makes a new machine on a connection, or nothing at all
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gh-connection.h"
#include "gh-domain-builder.h"
#include "gh-host-inventory.h"

G_BEGIN_DECLS

typedef enum
{
  GH_CREATE_STEP_NONE,
  GH_CREATE_STEP_POOL,       /* the storage pool, made if missing */
  GH_CREATE_STEP_VOLUME,     /* the new disk, or the imported image */
  GH_CREATE_STEP_EXPRESS,    /* an express install's kernel and initrd (spec->express) */
  GH_CREATE_STEP_DEFINE,
  GH_CREATE_STEP_START,
  GH_CREATE_STEP_DONE,
} GhCreateStep;

/* What the host and connection allow, read once before the wizard asks anything. */
typedef struct
{
  guint64  host_memory;      /* bytes (virNodeGetInfo) */
  guint64  free_memory;      /* bytes (virNodeGetFreeMemory) */
  guint    host_cpus;
  char    *pool_name;        /* the pool new disks go to ("greenhouse") */
  char    *pool_path;        /* its directory, whether it exists yet or not */
  gboolean pool_exists;
  guint64  pool_available;   /* bytes free where the pool lives */
  GStrv    taken_names;      /* every domain name on the connection, sorted */
} GhCreateHost;

#define GH_TYPE_MACHINE_CREATOR (gh_machine_creator_get_type ())

G_DECLARE_FINAL_TYPE (GhMachineCreator, gh_machine_creator, GH, MACHINE_CREATOR, GObject)

GhMachineCreator   *gh_machine_creator_new            (GhConnection        *connection,
                                                       GhHostInventory     *host);
GhConnection       *gh_machine_creator_get_connection (GhMachineCreator    *self);

/* Reads the host's limits and the pool in a worker; then get_host() answers. */
void                gh_machine_creator_prepare_async  (GhMachineCreator    *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            gh_machine_creator_prepare_finish (GhMachineCreator    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* NULL until prepared. */
const GhCreateHost *gh_machine_creator_get_host       (GhMachineCreator    *self);

/* @base if no machine has that name, else "@base-2", "@base-3"… */
char               *gh_machine_creator_suggest_name   (GhMachineCreator    *self,
                                                       const char          *base);
/* Where a new disk for machine @name goes: "<pool_path>/<name>.qcow2". */
char               *gh_machine_creator_dup_disk_path  (GhMachineCreator    *self,
                                                       const char          *name);

/* The exact XML create_async() defines for @spec (disk_path as dup_disk_path() gives;
 * with @spec->express, the install phase's kernel and initrd volumes in the pool). */
char               *gh_machine_creator_dup_xml        (GhMachineCreator    *self,
                                                       const GhDomainSpec  *spec,
                                                       GError             **error);

/* Makes the pool if missing, a qcow2 volume of @disk_size bytes (or, with @import_path,
 * a copy of that qcow2 or raw image), with @spec->express (and @spec->install_media, the
 * local file @spec->cdrom_path) the install phase's kernel and initrd holding the
 * answers, defines the domain and, with @start, starts it.
 * :step follows on the main thread. On any failure, or when cancelled, everything made
 * so far (domain, volumes, a pool it made) is removed again before it finishes with the
 * error. Finishes with the new domain's UUID. */
void                gh_machine_creator_create_async   (GhMachineCreator    *self,
                                                       const GhDomainSpec  *spec,
                                                       guint64              disk_size,
                                                       const char          *import_path,
                                                       gboolean             start,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
char               *gh_machine_creator_create_finish  (GhMachineCreator    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

GhCreateStep        gh_machine_creator_get_step       (GhMachineCreator    *self);
/* "Creating the disk", for a progress view; translated. */
const char         *gh_create_step_get_label          (GhCreateStep         step);

G_END_DECLS
