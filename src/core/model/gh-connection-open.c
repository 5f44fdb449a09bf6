/* gh-connection-open.c: opening the connection, losing it and opening it again
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <libvirt/libvirt-qemu.h>

#include "gh-connection-private.h"

#define RECONNECT_MIN_SECONDS 1
#define RECONNECT_MAX_SECONDS 30
#define KEEPALIVE_INTERVAL 5
#define KEEPALIVE_COUNT 3

/* Takes the open virConnectPtr away from the object and its link, to be closed by a
 * worker: nobody can take a new reference to it from now on. */
static Opened *
steal_opened (GhConnection *self)
{
  _gh_link_set_virconnect (self->link, NULL);
  return g_steal_pointer (&self->opened);
}

static void on_close (virConnectPtr  conn,
                      int            reason,
                      void          *opaque);

static void
opened_close_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Opened *opened = task_data;

  /* On a dead connection these fail at once; that is fine. */
  for (guint i = 0; opened->event_ids != NULL && i < opened->event_ids->len; i++)
    virConnectDomainEventDeregisterAny (opened->conn, g_array_index (opened->event_ids, int, i));
  if (opened->node_device_event_id >= 0)
    virConnectNodeDeviceEventDeregisterAny (opened->conn, opened->node_device_event_id);
  if (opened->shutdown_event_id >= 0)
    virConnectDomainQemuMonitorEventDeregister (opened->conn, opened->shutdown_event_id);
  virConnectUnregisterCloseCallback (opened->conn, on_close);
  g_clear_pointer (&opened->conn, virConnectClose);
  virResetLastError ();

  g_task_return_boolean (task, TRUE);
}

static void
opened_free (Opened *opened)
{
  /* Only one that was never opened, or was closed by opened_close_thread(). */
  g_assert (opened->conn == NULL);

  g_clear_pointer (&opened->event_ids, g_array_unref);
  g_clear_pointer (&opened->close_data, _gh_connection_callback_data_release);
  g_free (opened);
}

/* Closes @opened in a worker and frees it; takes it. */
static void
opened_close_in_thread (Opened *opened)
{
  g_autoptr(GTask) task = NULL;

  if (opened == NULL)
    return;

  if (opened->conn == NULL)
    {
      opened_free (opened);
      return;
    }

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, opened_close_in_thread);
  g_task_set_task_data (task, opened, (GDestroyNotify) opened_free);
  g_task_run_in_thread (task, opened_close_thread);
}

static void cancel_reconnect (GhConnection *self);

/* Ends the open connection: whatever was started on it is recognised by its generation
 * and dropped, and the virConnectPtr closes in a worker. */
void
_gh_connection_retire_opened (GhConnection *self)
{
  cancel_reconnect (self);
  self->generation++;
  self->lost_while_opening = -1;
  g_hash_table_remove_all (self->pending);
  opened_close_in_thread (steal_opened (self));
}

/* ---- Losing the daemon and reconnecting ------------------------------------------- */

static void
cancel_reconnect (GhConnection *self)
{
  if (self->reconnect_source != NULL)
    g_source_destroy (self->reconnect_source);
  g_clear_pointer (&self->reconnect_source, g_source_unref);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  GhConnection *self = user_data;

  g_clear_pointer (&self->reconnect_source, g_source_unref);
  _gh_connection_start_open (self, NULL);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (GhConnection *self)
{
  cancel_reconnect (self);

  self->reconnect_delay = CLAMP (self->reconnect_delay * 2,
                                 RECONNECT_MIN_SECONDS, RECONNECT_MAX_SECONDS);
  /* On the connection's own context, where everything else of it runs. */
  self->reconnect_source = g_timeout_source_new_seconds (self->reconnect_delay);
  g_source_set_callback (self->reconnect_source, reconnect_cb, self, NULL);
  g_source_attach (self->reconnect_source, self->main_context);
}

static const char *
close_reason_to_string (int reason)
{
  switch (reason)
    {
    case VIR_CONNECT_CLOSE_REASON_EOF:
      return _("the libvirt daemon closed the connection");
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
      return _("the libvirt daemon stopped answering");
    case VIR_CONNECT_CLOSE_REASON_CLIENT:
      return _("the connection was closed");
    case VIR_CONNECT_CLOSE_REASON_ERROR:
    default:
      return _("the connection failed");
    }
}

static void lose_connection (GhConnection *self,
                             int           reason);

static gboolean
apply_close (gpointer user_data)
{
  Deferred *deferred = user_data;
  g_autoptr(GhConnection) self = _gh_connection_deferred_dup_connection (deferred);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  /* The open that this close belongs to has not been applied yet: what it brings back
   * is already dead, and open_cb() must treat it as lost. */
  if (self->state != GH_CONNECTION_STATE_CONNECTED)
    {
      self->lost_while_opening = deferred->reason;
      return G_SOURCE_REMOVE;
    }

  lose_connection (self, deferred->reason);
  return G_SOURCE_REMOVE;
}

/* The daemon went away: keep the machines, say why, and come back by ourselves. */
static void
lose_connection (GhConnection *self,
                 int           reason)
{
  g_autofree char *what = NULL;
  GError *error = NULL;
  guint n_items;

  _gh_connection_retire_opened (self);

  /* The machines stay listed: they most likely still exist, we just cannot see them. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->machines));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);

      _gh_machine_set_state (machine, GH_MACHINE_STATE_UNKNOWN);
    }

  what = g_strdup_printf (_("Lost the connection to “%s”"), self->uri);
  _gh_error_set (&error, GH_ERROR_CONNECTION_LOST, what, close_reason_to_string (reason));
  _gh_connection_set_state (self, GH_CONNECTION_STATE_LOST, g_steal_pointer (&error));

  self->reconnect_delay = 0;
  schedule_reconnect (self);
}

static void
on_close (virConnectPtr  conn,
          int            reason,
          void          *opaque)
{
  Deferred *deferred;

  /* libvirt may call this from whichever thread noticed the socket close. */
  deferred = g_new0 (Deferred, 1);
  deferred->reason = reason;
  _gh_connection_defer_to_main (opaque, apply_close, deferred);
}

/* ---- Opening ---------------------------------------------------------------------- */

typedef struct
{
  char          *uri;
  guint          generation;
  Opened        *opened;
  GPtrArray     *infos;         /* GhMachineInfo* */
  /* Made on the main thread, handed to libvirt by the worker. */
  CallbackData  *event_data[G_N_ELEMENTS (_gh_connection_domain_events)];
  CallbackData  *node_device_data;
  CallbackData  *shutdown_data;
  GWeakRef       self;
} OpenData;

static void
open_data_free (OpenData *data)
{
  /* Still set only when the result was not taken, e.g. superseded by close(). */
  opened_close_in_thread (g_steal_pointer (&data->opened));
  g_clear_pointer (&data->infos, g_ptr_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (data->event_data); i++)
    g_clear_pointer (&data->event_data[i], _gh_connection_callback_data_release);
  g_clear_pointer (&data->node_device_data, _gh_connection_callback_data_release);
  g_clear_pointer (&data->shutdown_data, _gh_connection_callback_data_release);
  g_weak_ref_clear (&data->self);
  g_free (data->uri);
  g_free (data);
}

static GhMachineInfo *
read_domain (virDomainPtr domain)
{
  g_autoptr(GError) error = NULL;
  GhMachineInfo *info;
  char uuid[VIR_UUID_STRING_BUFLEN];
  const char *name;

  info = _gh_machine_info_new_from_domain (domain, &error);
  if (info != NULL)
    return info;

  /* libvirt could not answer: most likely the domain went away after the listing. */
  if (!g_error_matches (error, GH_ERROR, GH_ERROR_FAILED))
    return NULL;

  /* A domain whose XML we cannot make sense of is still a machine the user has: list
   * it by name, with what libvirt can tell without the XML. */
  name = virDomainGetName (domain);
  if (name == NULL || virDomainGetUUIDString (domain, uuid) < 0)
    return NULL;

  g_message ("Listing domain “%s” by name only: %s", name, error->message);

  info = g_new0 (GhMachineInfo, 1);
  info->name = g_strdup (name);
  info->uuid = g_strdup (uuid);
  {
    int state = VIR_DOMAIN_NOSTATE;

    if (virDomainGetState (domain, &state, NULL, 0) == 0)
      info->state = _gh_machine_state_from_libvirt (state);
  }
  info->persistent = virDomainIsPersistent (domain) == 1;
  virResetLastError ();

  return info;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  Opened *opened = data->opened;
  g_autofree char *failure = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr *domains = NULL;
  int n_domains;

  failure = g_strdup_printf (_("Could not connect to “%s”"), data->uri);

  opened->conn = virConnectOpen (data->uri);
  if (opened->conn == NULL)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_CONNECTION_FAILED, failure);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Drivers without keepalive or close callbacks (test:///) just say no. */
  virConnectSetKeepAlive (opened->conn, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT);
  virConnectRegisterCloseCallback (opened->conn, on_close, opened->close_data, NULL);
  virResetLastError ();

  /* Events first, then the list: a change between the two is then never missed. */
  opened->event_ids = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i < G_N_ELEMENTS (_gh_connection_domain_events); i++)
    {
      CallbackData *callback_data = g_steal_pointer (&data->event_data[i]);
      int id;

      id = virConnectDomainEventRegisterAny (opened->conn, NULL, _gh_connection_domain_events[i].id,
                                             _gh_connection_domain_events[i].callback,
                                             callback_data, _gh_connection_callback_data_release);
      if (id < 0)
        {
          _gh_connection_callback_data_release (callback_data);
          /* Without lifecycle events the list would silently go stale. */
          if (_gh_connection_domain_events[i].id == VIR_DOMAIN_EVENT_ID_LIFECYCLE)
            {
              _gh_error_set_from_libvirt (&error, GH_ERROR_CONNECTION_FAILED, failure);
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          virResetLastError ();
          continue;
        }
      g_array_append_val (opened->event_ids, id);
    }

  /* Drivers without node devices (or their events) still manage machines. */
  {
    CallbackData *callback_data = g_steal_pointer (&data->node_device_data);

    opened->node_device_event_id =
      virConnectNodeDeviceEventRegisterAny (opened->conn, NULL,
                                            VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
                                            VIR_NODE_DEVICE_EVENT_CALLBACK
                                              (_gh_connection_on_node_device_event),
                                            callback_data, _gh_connection_callback_data_release);
    if (opened->node_device_event_id < 0)
      {
        _gh_connection_callback_data_release (callback_data);
        virResetLastError ();
      }
  }

  /* Only QEMU tells a guest's reset from its poweroff, in its own event: the install
   * phase of an express install ends on the installer's reboot alone. Other drivers, or
   * a daemon that refuses, leave machines to end their install phase by hand. */
  {
    CallbackData *callback_data = g_steal_pointer (&data->shutdown_data);

    opened->shutdown_event_id =
      virConnectDomainQemuMonitorEventRegister (opened->conn, NULL, "SHUTDOWN",
                                                _gh_connection_on_qemu_shutdown, callback_data,
                                                _gh_connection_callback_data_release, 0);
    if (opened->shutdown_event_id < 0)
      {
        _gh_connection_callback_data_release (callback_data);
        virResetLastError ();
      }
  }

  n_domains = virConnectListAllDomains (opened->conn, &domains, 0);
  if (n_domains < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_CONNECTION_FAILED, failure);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->infos = g_ptr_array_new_full (n_domains, (GDestroyNotify) _gh_machine_info_free);
  for (int i = 0; i < n_domains; i++)
    {
      GhMachineInfo *info = read_domain (domains[i]);

      /* NULL: the domain went away between the list and the read. */
      if (info != NULL)
        g_ptr_array_add (data->infos, info);
      virDomainFree (domains[i]);
    }
  free (domains);

  g_task_return_boolean (task, TRUE);
}

static void
apply_open (GhConnection *self,
            OpenData     *data)
{
  g_autoptr(GPtrArray) machines = g_ptr_array_new_full (data->infos->len, g_object_unref);

  g_assert (self->opened == NULL);
  self->opened = g_steal_pointer (&data->opened);
  _gh_link_set_virconnect (self->link, self->opened->conn);

  self->n_full_lists++;

  /* The first listing fills the list at once: sorting once beats a thousand inserts. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->machines)) == 0)
    {
      for (guint i = 0; i < data->infos->len; i++)
        g_ptr_array_add (machines, _gh_connection_new_machine (self, g_ptr_array_index (data->infos, i)));
      _gh_machine_list_set_all (self->machines, machines);
      return;
    }

  /* After a reconnection, rows change one by one and the same GhMachine objects stay,
   * so a list keeps its place and whoever shows a machine keeps working. */
  {
    g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
    guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->machines));

    for (guint i = 0; i < data->infos->len; i++)
      {
        GhMachineInfo *info = g_ptr_array_index (data->infos, i);

        g_hash_table_add (listed, info->uuid);
      }

    for (guint i = n_items; i > 0; i--)
      {
        g_autoptr(GhMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines),
                                                              i - 1);

        if (!g_hash_table_contains (listed, gh_machine_get_uuid (machine)))
          _gh_machine_list_remove (self->machines, machine);
      }

    for (guint i = 0; i < data->infos->len; i++)
      {
        GhMachineInfo *info = g_ptr_array_index (data->infos, i);
        GhMachine *machine = gh_machine_list_lookup_by_uuid (self->machines, info->uuid);

        if (machine != NULL)
          {
            _gh_machine_update (machine, info);
          }
        else
          {
            g_autoptr(GhMachine) added = _gh_connection_new_machine (self, info);

            _gh_machine_list_add (self->machines, added);
          }
      }
  }
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) user_task = user_data;
  OpenData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GhConnection) self = g_weak_ref_get (&data->self);
  g_autoptr(GError) error = NULL;
  gboolean was_lost;

  /* Nobody wants this connection any more; open_data_free() closes what was opened. */
  if (self == NULL)
    return;

  if (data->generation != self->generation)
    {
      /* close() or a newer open came first; this result is stale. */
      if (user_task != NULL)
        g_task_return_new_error (user_task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The connection was closed while it opened"));
      return;
    }

  was_lost = self->state == GH_CONNECTION_STATE_LOST;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (was_lost)
        {
          g_autofree char *what = NULL;
          GError *lost = NULL;

          /* Keep saying what was lost; why it stays lost is the newer reason. */
          what = g_strdup_printf (_("Lost the connection to “%s”"), self->uri);
          _gh_error_set (&lost, GH_ERROR_CONNECTION_LOST, what, gh_error_get_detail (error));
          _gh_connection_set_state (self, GH_CONNECTION_STATE_LOST, lost);
          schedule_reconnect (self);
        }
      else
        {
          _gh_connection_set_state (self, GH_CONNECTION_STATE_FAILED, g_error_copy (error));
        }

      if (user_task != NULL)
        g_task_return_error (user_task, g_steal_pointer (&error));
      return;
    }

  apply_open (self, data);

  /* The daemon died while we opened: what came back is already gone. */
  if (self->lost_while_opening >= 0)
    {
      lose_connection (self, self->lost_while_opening);
      if (user_task != NULL)
        g_task_return_error (user_task, g_error_copy (self->error));
      return;
    }

  self->reconnect_delay = 0;
  _gh_connection_set_state (self, GH_CONNECTION_STATE_CONNECTED, NULL);
  _gh_connection_start_cleanup (self);

  /* An install phase whose end was seen, and whose finish failed (most likely with the
   * connection that just came back): try again. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->machines)); i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);

      _gh_machine_retry_install (machine);
    }

  /* Events that came in while the list was read. */
  _gh_connection_start_refresh (self);

  if (user_task != NULL)
    g_task_return_boolean (user_task, TRUE);
}

void
_gh_connection_start_open (GhConnection *self,
            GTask        *user_task)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  _gh_connection_retire_opened (self);

  data = g_new0 (OpenData, 1);
  data->uri = g_strdup (self->uri);
  data->generation = self->generation;
  data->opened = g_new0 (Opened, 1);
  data->opened->node_device_event_id = -1;
  data->opened->shutdown_event_id = -1;
  data->opened->close_data = _gh_connection_callback_data_new (self, self->generation);
  for (guint i = 0; i < G_N_ELEMENTS (data->event_data); i++)
    data->event_data[i] = _gh_connection_callback_data_new (self, self->generation);
  data->node_device_data = _gh_connection_callback_data_new (self, self->generation);
  data->shutdown_data = _gh_connection_callback_data_new (self, self->generation);
  g_weak_ref_init (&data->self, self);

  /* A lost connection stays "lost" (with its machines unknown) until it is back. */
  if (self->state != GH_CONNECTION_STATE_LOST)
    _gh_connection_set_state (self, GH_CONNECTION_STATE_CONNECTING, NULL);

  task = g_task_new (NULL, NULL, open_cb, user_task != NULL ? g_object_ref (user_task) : NULL);
  g_task_set_source_tag (task, _gh_connection_start_open);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

