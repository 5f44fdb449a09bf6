/* gh-connection-events.c: libvirt's events, and reading again the domains they name
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>

#include "gh-connection-private.h"

/* ---- Reading domains again after events ------------------------------------------ */

typedef struct
{
  char          *uuid;
  GhMachineInfo *info;   /* NULL when the domain is gone */
} Refreshed;

static void
refreshed_free (Refreshed *refreshed)
{
  g_free (refreshed->uuid);
  _gh_machine_info_free (refreshed->info);
  g_free (refreshed);
}

/* Threaded tasks never hold the GhConnection: a GObject whose last reference a worker
 * dropped would be disposed there. They hold its virConnectPtr, which the worker
 * releases, and a weak reference for the main thread. */
typedef struct
{
  GWeakRef       self;
  virConnectPtr  conn;
  guint          generation;
  GPtrArray     *uuids;     /* char* */
  GPtrArray     *results;   /* Refreshed* */
} RefreshData;

static void
refresh_data_free (RefreshData *data)
{
  g_weak_ref_clear (&data->self);
  g_clear_pointer (&data->conn, virConnectClose);
  g_clear_pointer (&data->uuids, g_ptr_array_unref);
  g_clear_pointer (&data->results, g_ptr_array_unref);
  g_free (data);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RefreshData *data = task_data;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = data->conn;

  if (conn == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  data->results = g_ptr_array_new_with_free_func ((GDestroyNotify) refreshed_free);

  for (guint i = 0; i < data->uuids->len; i++)
    {
      const char *uuid = g_ptr_array_index (data->uuids, i);
      Refreshed *refreshed;
      virDomainPtr domain;

      domain = virDomainLookupByUUIDString (conn, uuid);
      if (domain == NULL)
        {
          virErrorPtr err = virGetLastError ();

          /* Anything but "no such domain" means the connection itself is in trouble;
           * the close callback handles that, and the machine keeps its row. */
          if (err != NULL && err->code == VIR_ERR_NO_DOMAIN)
            {
              refreshed = g_new0 (Refreshed, 1);
              refreshed->uuid = g_strdup (uuid);
              g_ptr_array_add (data->results, refreshed);
            }
          virResetLastError ();
          continue;
        }

      refreshed = g_new0 (Refreshed, 1);
      refreshed->uuid = g_strdup (uuid);
      refreshed->info = _gh_machine_info_new_from_domain (domain, &error);
      virDomainFree (domain);

      if (refreshed->info == NULL)
        {
          g_debug ("Could not read domain %s again: %s", uuid, error->message);
          g_clear_error (&error);
          refreshed_free (refreshed);
          continue;
        }

      g_ptr_array_add (data->results, refreshed);
    }

  g_clear_pointer (&data->conn, virConnectClose);
  g_task_return_boolean (task, TRUE);
}

static void
apply_refreshed (GhConnection *self,
                 Refreshed    *refreshed)
{
  GhMachine *machine = gh_machine_list_lookup_by_uuid (self->machines, refreshed->uuid);

  if (refreshed->info == NULL)
    {
      if (machine != NULL)
        _gh_machine_list_remove (self->machines, machine);
    }
  else if (machine != NULL)
    {
      _gh_machine_update (machine, refreshed->info);
      _gh_machine_check_install (machine);
    }
  else
    {
      g_autoptr(GhMachine) added = _gh_connection_new_machine (self, refreshed->info);

      _gh_machine_list_add (self->machines, added);
      _gh_machine_check_install (added);
    }
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RefreshData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GhConnection) self = g_weak_ref_get (&data->self);
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  self->refreshing = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("Could not read domains of %s again: %s", self->uri, error->message);
  else if (data->generation == self->generation)
    for (guint i = 0; i < data->results->len; i++)
      apply_refreshed (self, g_ptr_array_index (data->results, i));

  _gh_connection_start_refresh (self);
}

void
_gh_connection_start_refresh (GhConnection *self)
{
  g_autoptr(GTask) task = NULL;
  GHashTableIter iter;
  RefreshData *data;
  gpointer key;

  if (self->refreshing
      || self->state != GH_CONNECTION_STATE_CONNECTED
      || g_hash_table_size (self->pending) == 0)
    return;

  data = g_new0 (RefreshData, 1);
  g_weak_ref_init (&data->self, self);
  /* virConnectRef() only counts: it asks no daemon. */
  data->conn = _gh_connection_dup_virconnect (self, NULL);
  data->generation = self->generation;
  data->uuids = g_ptr_array_new_with_free_func (g_free);

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_ptr_array_add (data->uuids, key);
      g_hash_table_iter_steal (&iter);
    }

  self->refreshing = TRUE;

  task = g_task_new (NULL, NULL, refresh_cb, NULL);
  g_task_set_source_tag (task, _gh_connection_start_refresh);
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

static gboolean
apply_domain_event (gpointer user_data)
{
  Deferred *deferred = user_data;
  g_autoptr(GhConnection) self = _gh_connection_deferred_dup_connection (deferred);

  if (self != NULL)
    {
      g_hash_table_add (self->pending, g_steal_pointer (&deferred->uuid));
      _gh_connection_start_refresh (self);
    }

  return G_SOURCE_REMOVE;
}

/* Every event we listen to just means "read this domain again". */
static void
queue_domain (virDomainPtr  domain,
              CallbackData *callback_data)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  Deferred *deferred;

  /* Reads the UUID libvirt keeps in the event's domain object; it asks no daemon. */
  if (virDomainGetUUIDString (domain, uuid) < 0)
    return;

  deferred = g_new0 (Deferred, 1);
  deferred->uuid = g_strdup (uuid);
  _gh_connection_defer_to_main (callback_data, apply_domain_event, deferred);
}

static gboolean apply_installer_reset (gpointer user_data);

static int
on_domain_lifecycle (virConnectPtr  conn,
                     virDomainPtr   domain,
                     int            event_type,
                     int            detail,
                     void          *opaque)
{
  char uuid[VIR_UUID_STRING_BUFLEN];

  /* A run that starts forgets how the last one ended; libvirt sends this after the
   * SHUTDOWN of the run before, on the same stream. */
  if (event_type == VIR_DOMAIN_EVENT_STARTED && virDomainGetUUIDString (domain, uuid) == 0)
    {
      Deferred *deferred = g_new0 (Deferred, 1);

      deferred->uuid = g_strdup (uuid);
      deferred->reason = FALSE;
      _gh_connection_defer_to_main (opaque, apply_installer_reset, deferred);
    }

  queue_domain (domain, opaque);
  return 0;
}

/* Title and description changes. */
static void
on_domain_metadata_change (virConnectPtr  conn,
                           virDomainPtr   domain,
                           int            type,
                           const char    *nsuri,
                           void          *opaque)
{
  queue_domain (domain, opaque);
}

/* A SPICE display or a disk may have come or gone. */
static void
on_domain_device_change (virConnectPtr  conn,
                         virDomainPtr   domain,
                         const char    *dev_alias,
                         void          *opaque)
{
  queue_domain (domain, opaque);
}

/* deferred->reason: TRUE when the guest reset itself, FALSE when it started (again). */
static gboolean
apply_installer_reset (gpointer user_data)
{
  Deferred *deferred = user_data;
  g_autofree char *uuid = g_steal_pointer (&deferred->uuid);
  g_autoptr(GhConnection) self = g_weak_ref_get (&deferred->callback_data->self);
  GhMachine *machine;

  if (self == NULL || deferred->callback_data->generation != self->generation)
    return G_SOURCE_REMOVE;

  machine = gh_machine_list_lookup_by_uuid (self->machines, uuid);
  if (machine != NULL)
    _gh_machine_set_reset_seen (machine, deferred->reason);

  return G_SOURCE_REMOVE;
}

/* Whether QEMU's SHUTDOWN event @details (JSON) says the guest reset itself: with
 * on_reboot=destroy a guest's reboot stops it, and libvirt's own events then tell it
 * from a poweroff by nothing ("Shutdown Finished after guest request" for both). */
gboolean
_gh_connection_shutdown_is_reset (const char *details)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;

  if (details == NULL || !json_parser_load_from_data (parser, details, -1, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  object = json_node_get_object (root);
  return g_strcmp0 (json_object_get_string_member_with_default (object, "reason", NULL),
                    "guest-reset") == 0 &&
         json_object_get_boolean_member_with_default (object, "guest", FALSE);
}

void
_gh_connection_on_qemu_shutdown (virConnectPtr  conn,
                                 virDomainPtr   domain,
                                 const char    *event,
                                 long long      seconds,
                                 unsigned int   micros,
                                 const char    *details,
                                 void          *opaque)
{
  char uuid[VIR_UUID_STRING_BUFLEN];
  Deferred *deferred;

  if (!_gh_connection_shutdown_is_reset (details) || virDomainGetUUIDString (domain, uuid) < 0)
    return;

  deferred = g_new0 (Deferred, 1);
  deferred->uuid = g_strdup (uuid);
  deferred->reason = TRUE;
  _gh_connection_defer_to_main (opaque, apply_installer_reset, deferred);
}

const DomainEvent _gh_connection_domain_events[] = {
  { VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK (on_domain_lifecycle) },
  { VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, VIR_DOMAIN_EVENT_CALLBACK (on_domain_metadata_change) },
  { VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, VIR_DOMAIN_EVENT_CALLBACK (on_domain_device_change) },
  { VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, VIR_DOMAIN_EVENT_CALLBACK (on_domain_device_change) },
};

static gboolean
apply_node_device_event (gpointer user_data)
{
  g_autoptr(GhConnection) self = _gh_connection_deferred_dup_connection (user_data);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (self->inventory != NULL)
    gh_host_inventory_reload (self->inventory);

  return G_SOURCE_REMOVE;
}

/* A device came, went or changed (a driver bound, an mdev type used up). */
void
_gh_connection_on_node_device_event (virConnectPtr     conn,
                                     virNodeDevicePtr  device,
                                     int               event,
                                     int               detail,
                                     void             *opaque)
{
  _gh_connection_defer_to_main (opaque, apply_node_device_event, g_new0 (Deferred, 1));
}
