/* gh-connection.c: one libvirt connection and the live list of its machines
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libvirt/libvirt-qemu.h>

#include "gh-cleanup-journal.h"
#include "gh-core-private.h"
#include "gh-link-private.h"

/* How the list stays current without ever polling:
 *
 * - Opening runs in a worker thread. It registers for domain events first and lists the
 *   domains second, so no change can fall between the two.
 * - libvirt delivers events on the GLib main loop (gvir_event_register). An event
 *   (lifecycle, metadata, device) only names a domain: its UUID goes into @pending and
 *   one worker task at a time reads every pending domain again (lookup, state, XML). A
 *   burst of events for one domain costs one read, and since batches never overlap, a
 *   later read always wins.
 * - When the daemon goes away (close callback, keepalive), every machine turns
 *   "unknown" and the connection reopens itself with a growing delay. Results of work
 *   started on an older virConnectPtr are recognised by @generation and dropped.
 * - Node-device events (a GPU bound to another driver, an mdev created) are not ours to
 *   interpret: they emit ::node-devices-changed and tell the connection's GhHostInventory
 *   to read again.
 * - After every (re)connection a worker takes back what a create, delete or finish could
 *   not, because the daemon (or Greenhouse) died first (gh-cleanup-journal.c); what it
 *   cannot take back is :cleanup-error.
 */

#define RECONNECT_MIN_SECONDS 1
#define RECONNECT_MAX_SECONDS 30
#define KEEPALIVE_INTERVAL 5
#define KEEPALIVE_COUNT 3

typedef struct _CallbackData CallbackData;

/* An open virConnectPtr with what we registered on it, closed together. */
typedef struct
{
  virConnectPtr  conn;
  GArray        *event_ids;   /* int, from virConnectDomainEventRegisterAny */
  int            node_device_event_id;  /* -1 when the driver has no such events */
  int            shutdown_event_id;     /* QEMU's own SHUTDOWN event; -1 without it */
  /* Ours, not libvirt's: drivers without close callbacks (test:///) accept the
   * registration but never call its free function. */
  CallbackData  *close_data;
} Opened;

struct _GhConnection
{
  GObject parent_instance;

  /* Owned references */
  char          *uri;
  GhMachineList *machines;
  GError        *error;
  GHashTable    *pending;        /* UUIDs whose domains must be read again */
  GMainContext  *main_context;   /* where events and results are applied */
  GError        *cleanup_error;  /* what the last cleanup could not take back */

  GhLink        *link;         /* what machines, the inventory and workers borrow */
  Opened        *opened;       /* what is registered on link's virConnectPtr */
  GhHostInventory *inventory;  /* made when first asked for */

  GhConnectionState state;
  guint          generation;
  guint          n_full_lists;
  guint          n_cleanups;
  GSource       *reconnect_source;
  guint          reconnect_delay;
  guint          refreshing : 1;
  int            lost_while_opening;  /* a close reason, or -1 */
};

G_DEFINE_FINAL_TYPE (GhConnection, gh_connection, G_TYPE_OBJECT)

enum {
  NODE_DEVICES_CHANGED,
  INSTALL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_URI,
  PROP_STATE,
  PROP_ERROR,
  PROP_MACHINES,
  PROP_CLEANUP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_open (GhConnection *self,
                        GTask        *user_task);

/* What each libvirt callback gets as its opaque pointer. libvirt frees it whenever it
 * likes (on deregistration, or never, for drivers without close callbacks), while an
 * event it reported may still wait for the main loop: so it is reference counted, and
 * every deferred event holds its own reference. */
struct _CallbackData
{
  GWeakRef      self;
  GMainContext *main_context;
  guint         generation;
};

static CallbackData *
callback_data_new (GhConnection *self,
                   guint         generation)
{
  CallbackData *data = g_atomic_rc_box_new0 (CallbackData);

  g_weak_ref_init (&data->self, self);
  data->main_context = g_main_context_ref (self->main_context);
  data->generation = generation;
  return data;
}

static void
callback_data_clear (CallbackData *data)
{
  g_weak_ref_clear (&data->self);
  g_main_context_unref (data->main_context);
}

static void
callback_data_release (void *user_data)
{
  g_atomic_rc_box_release_full (user_data, (GDestroyNotify) callback_data_clear);
}

/* Something a libvirt callback saw, to be applied on the main thread. */
typedef struct
{
  CallbackData *callback_data;
  char         *uuid;     /* domain events */
  int           reason;   /* close events */
} Deferred;

static void
deferred_free (gpointer user_data)
{
  Deferred *deferred = user_data;

  callback_data_release (deferred->callback_data);
  g_free (deferred->uuid);
  g_free (deferred);
}

/* Takes @deferred. An idle source rather than g_main_context_invoke(): libvirt may call
 * back on a worker thread, and invoke would run @func right there whenever no thread
 * happens to own the main context at that moment. */
static void
defer_to_main (CallbackData *callback_data,
               GSourceFunc   func,
               Deferred     *deferred)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  deferred->callback_data = g_atomic_rc_box_acquire (callback_data);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, deferred, deferred_free);
  g_source_attach (source, callback_data->main_context);
}

/* The connection a deferred event belongs to, if it still exists and the event is not
 * from an older virConnectPtr. */
static GhConnection *
deferred_dup_connection (Deferred *deferred)
{
  GhConnection *self = g_weak_ref_get (&deferred->callback_data->self);

  if (self != NULL && deferred->callback_data->generation != self->generation)
    g_clear_object (&self);

  return self;
}

static void
set_state (GhConnection      *self,
           GhConnectionState  state,
           GError            *error)
{
  gboolean error_changed = error != NULL || self->error != NULL;

  g_clear_error (&self->error);
  self->error = error;

  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);

  if (self->state != state)
    {
      g_autofree char *name = g_enum_to_string (GH_TYPE_CONNECTION_STATE, state);

      g_debug ("%s: %s%s%s", self->uri, name,
               error != NULL ? ": " : "", error != NULL ? error->message : "");
      self->state = state;
      /* A new virConnectPtr: the daemon may have restarted, devices may have changed. */
      if (state == GH_CONNECTION_STATE_CONNECTED && self->inventory != NULL)
        gh_host_inventory_reload (self->inventory);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

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
  g_clear_pointer (&opened->close_data, callback_data_release);
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
static void
retire_opened (GhConnection *self)
{
  cancel_reconnect (self);
  self->generation++;
  self->lost_while_opening = -1;
  g_hash_table_remove_all (self->pending);
  opened_close_in_thread (steal_opened (self));
}

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

static void start_refresh (GhConnection *self);

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
      g_autoptr(GhMachine) added = _gh_machine_new (self, refreshed->info);

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

  start_refresh (self);
}

static void
start_refresh (GhConnection *self)
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
  g_task_set_source_tag (task, start_refresh);
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

static gboolean
apply_domain_event (gpointer user_data)
{
  Deferred *deferred = user_data;
  g_autoptr(GhConnection) self = deferred_dup_connection (deferred);

  if (self != NULL)
    {
      g_hash_table_add (self->pending, g_steal_pointer (&deferred->uuid));
      start_refresh (self);
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
  defer_to_main (callback_data, apply_domain_event, deferred);
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
      defer_to_main (opaque, apply_installer_reset, deferred);
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

static void
on_qemu_shutdown (virConnectPtr  conn,
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
  defer_to_main (opaque, apply_installer_reset, deferred);
}

static const struct
{
  int                                  id;
  virConnectDomainEventGenericCallback callback;
} domain_events[] = {
  { VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK (on_domain_lifecycle) },
  { VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, VIR_DOMAIN_EVENT_CALLBACK (on_domain_metadata_change) },
  { VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, VIR_DOMAIN_EVENT_CALLBACK (on_domain_device_change) },
  { VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, VIR_DOMAIN_EVENT_CALLBACK (on_domain_device_change) },
};

static gboolean
apply_node_device_event (gpointer user_data)
{
  g_autoptr(GhConnection) self = deferred_dup_connection (user_data);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (self->inventory != NULL)
    gh_host_inventory_reload (self->inventory);
  g_signal_emit (self, signals[NODE_DEVICES_CHANGED], 0);

  return G_SOURCE_REMOVE;
}

/* A device came, went or changed (a driver bound, an mdev type used up). */
static void
on_node_device_event (virConnectPtr     conn,
                      virNodeDevicePtr  device,
                      int               event,
                      int               detail,
                      void             *opaque)
{
  defer_to_main (opaque, apply_node_device_event, g_new0 (Deferred, 1));
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
  start_open (self, NULL);

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
  g_autoptr(GhConnection) self = deferred_dup_connection (deferred);

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

  retire_opened (self);

  /* The machines stay listed: they most likely still exist, we just cannot see them. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->machines));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);

      _gh_machine_set_state (machine, GH_MACHINE_STATE_UNKNOWN);
    }

  what = g_strdup_printf (_("Lost the connection to “%s”"), self->uri);
  _gh_error_set (&error, GH_ERROR_CONNECTION_LOST, what, close_reason_to_string (reason));
  set_state (self, GH_CONNECTION_STATE_LOST, g_steal_pointer (&error));

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
  defer_to_main (opaque, apply_close, deferred);
}

/* ---- Taking back what unfinished work left ----------------------------------------- */

typedef struct
{
  GWeakRef       self;
  virConnectPtr  conn;
  guint          generation;
  guint          n_done;
} CleanupData;

static void
cleanup_data_free (CleanupData *data)
{
  g_weak_ref_clear (&data->self);
  g_clear_pointer (&data->conn, virConnectClose);
  g_free (data);
}

static void
cleanup_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CleanupData *data = task_data;
  g_autoptr(GhCleanupJournal) journal = _gh_cleanup_journal_dup_for_conn (data->conn);
  GError *error = NULL;

  _gh_cleanup_journal_run (journal, data->conn, &data->n_done, &error);
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
cleanup_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CleanupData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GhConnection) self = g_weak_ref_get (&data->self);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self == NULL || data->generation != self->generation)
    return;

  self->n_cleanups++;

  /* A run with nothing to do keeps what the last one said, for the UI to show. */
  if (error == NULL && data->n_done == 0)
    return;
  if (error != NULL)
    g_message ("%s", error->message);
  _gh_connection_set_cleanup_error (self, error);
}

void
_gh_connection_set_cleanup_error (GhConnection *self,
                                  const GError *error)
{
  g_clear_error (&self->cleanup_error);
  self->cleanup_error = error != NULL ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLEANUP_ERROR]);
}

/* Main thread, connected. */
static void
start_cleanup (GhConnection *self)
{
  g_autoptr(GTask) task = NULL;
  CleanupData *data;

  data = g_new0 (CleanupData, 1);
  g_weak_ref_init (&data->self, self);
  data->generation = self->generation;
  data->conn = _gh_connection_dup_virconnect (self, NULL);

  task = g_task_new (NULL, NULL, cleanup_cb, NULL);
  g_task_set_source_tag (task, start_cleanup);
  g_task_set_task_data (task, data, (GDestroyNotify) cleanup_data_free);
  if (data->conn != NULL)
    g_task_run_in_thread (task, cleanup_thread);
}

/* ---- Opening ---------------------------------------------------------------------- */

typedef struct
{
  char          *uri;
  guint          generation;
  Opened        *opened;
  GPtrArray     *infos;         /* GhMachineInfo* */
  /* Made on the main thread, handed to libvirt by the worker. */
  CallbackData  *event_data[G_N_ELEMENTS (domain_events)];
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
    g_clear_pointer (&data->event_data[i], callback_data_release);
  g_clear_pointer (&data->node_device_data, callback_data_release);
  g_clear_pointer (&data->shutdown_data, callback_data_release);
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
  for (guint i = 0; i < G_N_ELEMENTS (domain_events); i++)
    {
      CallbackData *callback_data = g_steal_pointer (&data->event_data[i]);
      int id;

      id = virConnectDomainEventRegisterAny (opened->conn, NULL, domain_events[i].id,
                                             domain_events[i].callback,
                                             callback_data, callback_data_release);
      if (id < 0)
        {
          callback_data_release (callback_data);
          /* Without lifecycle events the list would silently go stale. */
          if (domain_events[i].id == VIR_DOMAIN_EVENT_ID_LIFECYCLE)
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
                                            VIR_NODE_DEVICE_EVENT_CALLBACK (on_node_device_event),
                                            callback_data, callback_data_release);
    if (opened->node_device_event_id < 0)
      {
        callback_data_release (callback_data);
        virResetLastError ();
      }
  }

  /* Only QEMU tells a guest's reset from its poweroff, in its own event: the install
   * phase of an express install ends on the installer's reboot alone. Other drivers, or
   * a daemon that refuses, leave machines to end their install phase by hand. */
  {
    CallbackData *callback_data = g_steal_pointer (&data->shutdown_data);

    opened->shutdown_event_id =
      virConnectDomainQemuMonitorEventRegister (opened->conn, NULL, "SHUTDOWN", on_qemu_shutdown,
                                                callback_data, callback_data_release, 0);
    if (opened->shutdown_event_id < 0)
      {
        callback_data_release (callback_data);
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
        g_ptr_array_add (machines, _gh_machine_new (self, g_ptr_array_index (data->infos, i)));
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
            g_autoptr(GhMachine) added = _gh_machine_new (self, info);

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
          set_state (self, GH_CONNECTION_STATE_LOST, lost);
          schedule_reconnect (self);
        }
      else
        {
          set_state (self, GH_CONNECTION_STATE_FAILED, g_error_copy (error));
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
  set_state (self, GH_CONNECTION_STATE_CONNECTED, NULL);
  start_cleanup (self);

  /* An install phase whose end was seen, and whose finish failed (most likely with the
   * connection that just came back): try again. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->machines)); i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (G_LIST_MODEL (self->machines), i);

      _gh_machine_retry_install (machine);
    }

  /* Events that came in while the list was read. */
  start_refresh (self);

  if (user_task != NULL)
    g_task_return_boolean (user_task, TRUE);
}

static void
start_open (GhConnection *self,
            GTask        *user_task)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  retire_opened (self);

  data = g_new0 (OpenData, 1);
  data->uri = g_strdup (self->uri);
  data->generation = self->generation;
  data->opened = g_new0 (Opened, 1);
  data->opened->node_device_event_id = -1;
  data->opened->shutdown_event_id = -1;
  data->opened->close_data = callback_data_new (self, self->generation);
  for (guint i = 0; i < G_N_ELEMENTS (data->event_data); i++)
    data->event_data[i] = callback_data_new (self, self->generation);
  data->node_device_data = callback_data_new (self, self->generation);
  data->shutdown_data = callback_data_new (self, self->generation);
  g_weak_ref_init (&data->self, self);

  /* A lost connection stays "lost" (with its machines unknown) until it is back. */
  if (self->state != GH_CONNECTION_STATE_LOST)
    set_state (self, GH_CONNECTION_STATE_CONNECTING, NULL);

  task = g_task_new (NULL, NULL, open_cb, user_task != NULL ? g_object_ref (user_task) : NULL);
  g_task_set_source_tag (task, start_open);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
gh_connection_dispose (GObject *object)
{
  GhConnection *self = (GhConnection *)object;

  retire_opened (self);

  G_OBJECT_CLASS (gh_connection_parent_class)->dispose (object);
}

static void
gh_connection_finalize (GObject *object)
{
  GhConnection *self = (GhConnection *)object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_object (&self->machines);
  g_clear_error (&self->error);
  g_clear_error (&self->cleanup_error);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_object (&self->inventory);
  g_clear_pointer (&self->link, gh_link_unref);

  G_OBJECT_CLASS (gh_connection_parent_class)->finalize (object);
}

static void
gh_connection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GhConnection *self = GH_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_MACHINES:
      g_value_set_object (value, self->machines);
      break;

    case PROP_CLEANUP_ERROR:
      g_value_set_boxed (value, self->cleanup_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_connection_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GhConnection *self = GH_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_string (value);
      self->link = _gh_link_new (self->uri);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_connection_class_init (GhConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_connection_dispose;
  object_class->finalize = gh_connection_finalize;
  object_class->get_property = gh_connection_get_property;
  object_class->set_property = gh_connection_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       GH_TYPE_CONNECTION_STATE, GH_CONNECTION_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MACHINES] =
    g_param_spec_object ("machines", NULL, NULL, GH_TYPE_MACHINE_LIST,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* What a create, delete or finish that the daemon's (or Greenhouse's) end cut short
   * left behind, and the cleanup after a (re)connection could not remove: the UI says
   * it, the files and machines named. */
  properties[PROP_CLEANUP_ERROR] =
    g_param_spec_boxed ("cleanup-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GhConnection::node-devices-changed:
   *
   * A host device of this connection came, went or changed. Emitted on the main
   * thread, once per libvirt event.
   */
  signals[NODE_DEVICES_CHANGED] =
    g_signal_new_class_handler ("node-devices-changed",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                NULL, NULL, NULL, NULL,
                                G_TYPE_NONE, 0);

  /**
   * GhConnection::install-failed:
   * @machine: the machine whose install phase could not end
   * @error: why
   *
   * The installer of an express install is done, but Greenhouse could not boot the
   * installed system. The machine stays in its install phase, shut off; it is tried again
   * after the next reconnection, or by gh_machine_finish_install_async().
   */
  signals[INSTALL_FAILED] =
    g_signal_new_class_handler ("install-failed",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                NULL, NULL, NULL, NULL,
                                G_TYPE_NONE, 2, GH_TYPE_MACHINE, G_TYPE_ERROR);

  gh_core_init ();
}

void
_gh_connection_emit_install_failed (GhConnection *self,
                                    GhMachine    *machine,
                                    const GError *error)
{
  g_signal_emit (self, signals[INSTALL_FAILED], 0, machine, error);
}

static void
gh_connection_init (GhConnection *self)
{
  self->lost_while_opening = -1;
  self->machines = _gh_machine_list_new ();
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->main_context = g_main_context_ref_thread_default ();
}

GhConnection *
gh_connection_new (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return g_object_new (GH_TYPE_CONNECTION, "uri", uri, NULL);
}

const char *
gh_connection_get_uri (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), NULL);
  return self->uri;
}

GhConnectionState
gh_connection_get_state (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), GH_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

/**
 * gh_connection_get_error:
 *
 * Returns: (transfer none) (nullable): why the connection failed or was lost
 */
const GError *
gh_connection_get_error (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), NULL);
  return self->error;
}

/**
 * gh_connection_get_machines:
 *
 * Returns: (transfer none): the machines of this connection
 */
GhMachineList *
gh_connection_get_machines (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), NULL);
  return self->machines;
}

/**
 * gh_connection_get_cleanup_error:
 *
 * Returns: (transfer none) (nullable): what the last cleanup of unfinished work could not
 *   remove, naming each file or machine; %NULL when it removed everything
 */
const GError *
gh_connection_get_cleanup_error (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), NULL);
  return self->cleanup_error;
}

/* A connection is remote when the daemon is on another host: the display then cannot
 * use local file descriptors or SPICE GL. */
gboolean
gh_connection_is_remote (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), FALSE);
  return gh_link_is_remote (self->link);
}

GhGraphicsConnectionFlags
gh_connection_get_graphics_flags (GhConnection *self)
{
  GhGraphicsConnectionFlags flags = GH_GRAPHICS_CONNECTION_SESSION;

  g_return_val_if_fail (GH_IS_CONNECTION (self), flags);

  if (gh_link_is_remote (self->link))
    flags |= GH_GRAPHICS_CONNECTION_REMOTE;
  if (gh_link_is_system (self->link))
    flags |= GH_GRAPHICS_CONNECTION_SYSTEM;

  return flags;
}

gboolean
gh_connection_is_session (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), FALSE);
  return gh_link_is_session (self->link);
}

/**
 * gh_connection_get_link:
 *
 * Returns: (transfer none): what machines, the host inventory and workers hold of this
 *   connection
 */
GhLink *
gh_connection_get_link (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), NULL);
  return self->link;
}

/**
 * gh_connection_get_host_inventory:
 *
 * The one inventory of this connection's host, made when first asked for and kept
 * current from then on (node-device events, reconnections): every window borrows it,
 * so the host is probed once, not once per window.
 *
 * Returns: (transfer none): the host inventory
 */
GhHostInventory *
gh_connection_get_host_inventory (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), NULL);

  if (self->inventory == NULL)
    self->inventory = gh_host_inventory_new (self->link);

  return self->inventory;
}

void
gh_connection_open_async (GhConnection        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_connection_open_async);

  start_open (self, task);
}

gboolean
gh_connection_open_finish (GhConnection  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_connection_open_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gh_connection_close (GhConnection *self)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  g_return_if_fail (GH_IS_CONNECTION (self));

  retire_opened (self);
  _gh_machine_list_set_all (self->machines, none);
  set_state (self, GH_CONNECTION_STATE_DISCONNECTED, NULL);
}

virConnectPtr
_gh_connection_dup_virconnect (GhConnection  *self,
                               GError       **error)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), NULL);
  return gh_link_dup_virconnect (self->link, error);
}

guint
_gh_connection_get_n_full_lists (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), 0);
  return self->n_full_lists;
}

guint
_gh_connection_get_n_cleanups (GhConnection *self)
{
  g_return_val_if_fail (GH_IS_CONNECTION (self), 0);
  return self->n_cleanups;
}

char *
gh_connection_dup_display_name (GhConnection *connection)
{
  const char *uri;
  g_autoptr(GUri) parsed = NULL;
  const char *host;
  const char *path;

  g_return_val_if_fail (GH_IS_CONNECTION (connection), NULL);

  uri = gh_connection_get_uri (connection);
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return g_strdup (uri);

  host = g_uri_get_host (parsed);
  path = g_uri_get_path (parsed);

  if (host == NULL || host[0] == '\0')
    {
      if (g_str_has_prefix (g_uri_get_scheme (parsed), "qemu"))
        {
          if (g_strcmp0 (path, "/session") == 0)
            return g_strdup (_("User session"));
          if (g_strcmp0 (path, "/system") == 0)
            return g_strdup (_("System"));
        }
      else if (g_strcmp0 (g_uri_get_scheme (parsed), "test") == 0 && path != NULL)
        {
          g_autofree char *base = g_path_get_basename (path);

          /* libvirt's test driver: "default", or a file of machines. */
          if (g_strcmp0 (path, "/default") == 0)
            return g_strdup (_("Test driver"));
          /* Translators: %s is a file name, like "machines.xml" */
          return g_strdup_printf (_("Test driver: %s"), base);
        }
      return g_strdup (uri);
    }

  if (g_uri_get_user (parsed) != NULL)
    return g_strdup_printf ("%s@%s", g_uri_get_user (parsed), host);

  return g_strdup (host);
}

const char *
gh_connection_state_get_label (GhConnectionState state)
{
  switch (state)
    {
    case GH_CONNECTION_STATE_DISCONNECTED:
      return _("Not connected");
    case GH_CONNECTION_STATE_CONNECTING:
      return _("Connecting…");
    case GH_CONNECTION_STATE_CONNECTED:
      return _("Connected");
    case GH_CONNECTION_STATE_FAILED:
      return _("Could not connect");
    case GH_CONNECTION_STATE_LOST:
      return _("Connection lost");
    default:
      g_return_val_if_reached (NULL);
    }
}
