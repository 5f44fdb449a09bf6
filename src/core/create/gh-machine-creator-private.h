/* gh-machine-creator-private.h: what GhMachineCreator's part files share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-error-private.h"
#include "gh-image.h"
#include "gh-machine-creator.h"

G_BEGIN_DECLS

struct _GhMachineCreator
{
  GObject parent_instance;

  /* Owned references */
  GhConnection    *connection;
  GhHostInventory *host;
  GhCreateHost    *host_info;   /* NULL until prepared */

  GhCreateStep     step;
};

/* What a worker needs; the worker releases @conn itself, since the last
 * virConnectClose() may talk to the daemon. */
typedef struct
{
  virConnectPtr     conn;
  gboolean          session;
  gboolean          local;
  /* create only */
  GhDomainSpec     *spec;
  GhHostDomainCaps *caps;
  guint64           disk_size;
  char             *import_path;
  GhImageInfo       import;       /* what the image is, read before anything is made */
  gboolean          start;
} TaskData;

/* gh-machine-creator.c: main thread; notifies :step when it changes. */
void          _gh_machine_creator_set_step      (GhMachineCreator *self,
                                                 GhCreateStep      step);

/* gh-machine-creator-steps.c: the worker of gh_machine_creator_create_async(). */
void          _gh_machine_creator_create_thread (GTask            *task,
                                                 gpointer          source_object,
                                                 gpointer          task_data,
                                                 GCancellable     *cancellable);

G_END_DECLS
