/* gh-core-private.h: internals shared by src/core and its tests.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-core.h"
#include "gh-error-private.h"

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

/* Main thread. */
GhMachine      *_gh_machine_new                  (GhConnection         *connection,
                                                  const GhMachineInfo  *info);
void            _gh_machine_update               (GhMachine            *self,
                                                  const GhMachineInfo  *info);
void            _gh_machine_set_state            (GhMachine            *self,
                                                  GhMachineState        state);
/* Main thread, connected: when the installer of an express install has ended its
 * install phase (its reboot was seen, and the guest stopped), boots the installed system
 * (once; a worker does it). */
void            _gh_machine_check_install        (GhMachine            *self);
/* Main thread, after a reconnection: as above, and also tries again a finish that
 * failed. */
void            _gh_machine_retry_install        (GhMachine            *self);
/* Main thread: QEMU said the guest reset itself (its reboot, as opposed to a poweroff),
 * or (@reset FALSE) the guest started again, which also forgets a failed finish. */
void            _gh_machine_set_reset_seen       (GhMachine            *self,
                                                  gboolean              reset);

GhMachineList  *_gh_machine_list_new             (void);
void            _gh_machine_list_add             (GhMachineList        *self,
                                                  GhMachine            *machine);
void            _gh_machine_list_remove          (GhMachineList        *self,
                                                  GhMachine            *machine);
/* Replaces the whole content with @machines: used once per (re)connection. */
void            _gh_machine_list_set_all         (GhMachineList        *self,
                                                  GPtrArray            *machines);

/* Any thread: a new reference to the open virConnectPtr, or NULL with an error. */
virConnectPtr   _gh_connection_dup_virconnect    (GhConnection         *self,
                                                  GError              **error);
/* Any thread: whether the details of QEMU's SHUTDOWN event say the guest reset itself. */
gboolean        _gh_connection_shutdown_is_reset (const char           *details);
void            _gh_connection_emit_install_failed (GhConnection       *self,
                                                    GhMachine          *machine,
                                                    const GError       *error);
/* How many times the whole list was read from libvirt (once per (re)connection):
 * lets tests prove that changes arrive through events, not through reloads. */
guint           _gh_connection_get_n_full_lists  (GhConnection         *self);

/* The loaded libosinfo database, or NULL: for tests that walk every OS. */
OsinfoDb       *_gh_os_db_get_db                 (GhOsDb               *self);

/* Copies of the host's domain capabilities (NULL: unknown), for workers that outlive a
 * reload. */
GhHostDomainCaps *_gh_host_domain_caps_copy      (const GhHostDomainCaps *caps);
void            _gh_host_domain_caps_free        (GhHostDomainCaps     *caps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhHostDomainCaps, _gh_host_domain_caps_free)

/* How many times the inventory was read from libvirt: lets tests prove that events reach
 * it. */
guint           _gh_host_inventory_get_n_loads   (GhHostInventory      *self);

/* The plan's GhGraphicsPath*, by rank. */
GPtrArray      *_gh_graphics_plan_get_paths      (GhGraphicsPlan       *self);

/* Members of the object a JsonBuilder is in (gh-host-file.c): NULL strings are null. */
void            _gh_json_add_string              (JsonBuilder          *builder,
                                                  const char           *name,
                                                  const char           *value);
void            _gh_json_add_boolean             (JsonBuilder          *builder,
                                                  const char           *name,
                                                  gboolean              value);
void            _gh_json_add_int                 (JsonBuilder          *builder,
                                                  const char           *name,
                                                  gint64                value);
void            _gh_json_add_strv                (JsonBuilder          *builder,
                                                  const char           *name,
                                                  const char * const   *values);

/* Orders a GPtrArray of strings: g_ptr_array_sort() passes pointers to the elements. */
int             _gh_compare_strings              (gconstpointer         a,
                                                  gconstpointer         b);

/* Tests: holding a worker at one step. A worker calls _gh_test_point() where a test may
 * want it held (after a step made something, before the next). _gh_test_point_arm()
 * names the point the next worker to reach it waits at, until _gh_test_point_release();
 * the point is then disarmed. */
void            _gh_test_point                   (const char           *point);
void            _gh_test_point_arm               (const char           *point);
gboolean        _gh_test_point_is_reached        (void);
void            _gh_test_point_release           (void);

/* How many cleanups of unfinished work ran to their end since the connection was made
 * (one after every (re)connection): lets tests wait for the one after a reconnection. */
guint           _gh_connection_get_n_cleanups    (GhConnection         *self);
/* Main thread: what the last cleanup could not take back (NULL: all of it). */
void            _gh_connection_set_cleanup_error (GhConnection         *self,
                                                  const GError         *error);

G_END_DECLS
