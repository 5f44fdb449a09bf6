/* gh-connection.c: one libvirt connection and the live list of its machines
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-connection-private.h"
#include "gh-libvirt.h"

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
 *   interpret: they tell the connection's GhHostInventory to read again, whose readers
 *   follow it.
 * - After every (re)connection a worker takes back what a create, delete or finish could
 *   not, because the daemon (or Greenhouse) died first (gh-cleanup-journal.c); what it
 *   cannot take back is :cleanup-error.
 *
 * Opening, losing and reopening are in gh-connection-open.c, the events and the reads
 * they cause in gh-connection-events.c, the cleanup in gh-connection-cleanup.c; this file
 * holds the object, its API and how a libvirt callback reaches the main thread.
 */

G_DEFINE_FINAL_TYPE (GhConnection, gh_connection, G_TYPE_OBJECT)

enum {
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

/* ---- From libvirt's callbacks to the main thread ----------------------------------- */

CallbackData *
_gh_connection_callback_data_new (GhConnection *self,
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

void
_gh_connection_callback_data_release (void *user_data)
{
  g_atomic_rc_box_release_full (user_data, (GDestroyNotify) callback_data_clear);
}

static void
deferred_free (gpointer user_data)
{
  Deferred *deferred = user_data;

  _gh_connection_callback_data_release (deferred->callback_data);
  g_free (deferred->uuid);
  g_free (deferred);
}

/* Takes @deferred. An idle source rather than g_main_context_invoke(): libvirt may call
 * back on a worker thread, and invoke would run @func right there whenever no thread
 * happens to own the main context at that moment. */
void
_gh_connection_defer_to_main (CallbackData *callback_data,
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
GhConnection *
_gh_connection_deferred_dup_connection (Deferred *deferred)
{
  GhConnection *self = g_weak_ref_get (&deferred->callback_data->self);

  if (self != NULL && deferred->callback_data->generation != self->generation)
    g_clear_object (&self);

  return self;
}

void
_gh_connection_set_state (GhConnection      *self,
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

/* ---- GObject ---------------------------------------------------------------------- */

static void
gh_connection_dispose (GObject *object)
{
  GhConnection *self = (GhConnection *)object;

  _gh_connection_retire_opened (self);

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

  gh_libvirt_init ();
}

static void
on_machine_install_failed (GhMachine    *machine,
                           const GError *error,
                           GhConnection *self)
{
  g_signal_emit (self, signals[INSTALL_FAILED], 0, machine, error);
}

GhMachine *
_gh_connection_new_machine (GhConnection        *self,
                            const GhMachineInfo *info)
{
  GhMachine *machine = _gh_machine_new (G_OBJECT (self), self->link, info);

  g_signal_connect_object (machine, "install-failed",
                           G_CALLBACK (on_machine_install_failed), self, 0);
  return machine;
}

/**
 * gh_connection_get_for_machine:
 *
 * Returns: (transfer none) (nullable): the connection, or %NULL once it is gone
 */
GhConnection *
gh_connection_get_for_machine (GhMachine *machine)
{
  g_autoptr(GObject) owner = NULL;

  g_return_val_if_fail (GH_IS_MACHINE (machine), NULL);

  /* The connection owns the list that owns the machine, so while anyone can reach the
   * machine through the connection, the borrowed pointer stays valid. */
  owner = _gh_machine_dup_owner (machine);
  return GH_IS_CONNECTION (owner) ? GH_CONNECTION (owner) : NULL;
}

void
_gh_connection_set_cleanup_error (GhConnection *self,
                                  const GError *error)
{
  g_clear_error (&self->cleanup_error);
  self->cleanup_error = error != NULL ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLEANUP_ERROR]);
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

  _gh_connection_start_open (self, task);
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

  _gh_connection_retire_opened (self);
  _gh_machine_list_set_all (self->machines, none);
  _gh_connection_set_state (self, GH_CONNECTION_STATE_DISCONNECTED, NULL);
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
