/* gh-machine-creator.c: makes a new machine on a connection, or nothing at all
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-create-enums.h"
#include "gh-express-install-private.h"
#include "gh-machine-creator-private.h"
#include "gh-host-private.h"
#include "gh-storage.h"
#include "gh-util-private.h"

/* How a machine is made: every step runs in one worker thread, in order (pool, volume,
 * define, start), and remembers what it made. The first failure, or a cancellation seen
 * between steps (or during an image upload), takes back exactly what was made, newest
 * first, and the error names the step: "Could not create the disk: …". Nothing that
 * was there before is touched: an existing pool, or a volume of the same name, makes
 * the step fail rather than be reused or removed.
 *
 * Taking back needs the daemon. Each thing is written down in the connection's cleanup
 * journal before the step that makes it, and forgotten once the machine is complete or
 * the thing is taken back; what a dead daemon (or a crash) left is written down still,
 * and the next connection takes it back. The domain gets its UUID from us, so that the
 * record names exactly the one this create defined.
 *
 * The worker, its steps and the taking back are in gh-machine-creator-steps.c. */

G_DEFINE_FINAL_TYPE (GhMachineCreator, gh_machine_creator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_HOST,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Plain data ------------------------------------------------------------------ */

static void
create_host_free (GhCreateHost *info)
{
  if (info == NULL)
    return;

  g_free (info->pool_name);
  g_free (info->pool_path);
  g_strfreev (info->taken_names);
  g_free (info);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCreateHost, create_host_free)

static void
task_data_free (TaskData *data)
{
  g_clear_pointer (&data->conn, virConnectClose);
  g_clear_pointer (&data->spec, gh_domain_spec_free);
  g_clear_pointer (&data->caps, _gh_host_domain_caps_free);
  g_free (data->import_path);
  g_free (data);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
gh_machine_creator_dispose (GObject *object)
{
  GhMachineCreator *self = (GhMachineCreator *)object;

  g_clear_object (&self->connection);
  g_clear_object (&self->host);

  G_OBJECT_CLASS (gh_machine_creator_parent_class)->dispose (object);
}

static void
gh_machine_creator_finalize (GObject *object)
{
  GhMachineCreator *self = (GhMachineCreator *)object;

  g_clear_pointer (&self->host_info, create_host_free);

  G_OBJECT_CLASS (gh_machine_creator_parent_class)->finalize (object);
}

static void
gh_machine_creator_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GhMachineCreator *self = GH_MACHINE_CREATOR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;

    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_machine_creator_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  GhMachineCreator *self = GH_MACHINE_CREATOR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_HOST:
      self->host = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_machine_creator_class_init (GhMachineCreatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_machine_creator_dispose;
  object_class->finalize = gh_machine_creator_finalize;
  object_class->get_property = gh_machine_creator_get_property;
  object_class->set_property = gh_machine_creator_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         GH_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* NULL: the host's capabilities are unknown. */
  properties[PROP_HOST] =
    g_param_spec_object ("host", NULL, NULL,
                         GH_TYPE_HOST_INVENTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL,
                       GH_TYPE_CREATE_STEP, GH_CREATE_STEP_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_machine_creator_init (GhMachineCreator *self)
{
}

GhMachineCreator *
gh_machine_creator_new (GhConnection    *connection,
                        GhHostInventory *host)
{
  g_return_val_if_fail (GH_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (host == NULL || GH_IS_HOST_INVENTORY (host), NULL);

  return g_object_new (GH_TYPE_MACHINE_CREATOR,
                       "connection", connection,
                       "host", host,
                       NULL);
}

GhConnection *
gh_machine_creator_get_connection (GhMachineCreator *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_CREATOR (self), NULL);

  return self->connection;
}

GhCreateStep
gh_machine_creator_get_step (GhMachineCreator *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_CREATOR (self), GH_CREATE_STEP_NONE);

  return self->step;
}

void
_gh_machine_creator_set_step (GhMachineCreator *self,
                              GhCreateStep      step)
{
  if (self->step == step)
    return;

  self->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

const char *
gh_create_step_get_label (GhCreateStep step)
{
  switch (step)
    {
    case GH_CREATE_STEP_NONE:
      return "";
    case GH_CREATE_STEP_POOL:
      return _("Preparing the storage");
    case GH_CREATE_STEP_VOLUME:
      return _("Creating the disk");
    case GH_CREATE_STEP_EXPRESS:
      return _("Preparing the automatic installation");
    case GH_CREATE_STEP_DEFINE:
      return _("Creating the machine");
    case GH_CREATE_STEP_START:
      return _("Starting the machine");
    case GH_CREATE_STEP_DONE:
      return _("Done");
    default:
      g_return_val_if_reached ("");
    }
}

/* Main thread: a task whose worker has the connection's virConnectPtr, or NULL after
 * returning the error on it. */
static GTask *
task_new (GhMachineCreator    *self,
          gpointer             source_tag,
          const char          *failure,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  TaskData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (TaskData, 1);
  data->session = gh_connection_is_session (self->connection);
  data->local = !gh_connection_is_remote (self->connection);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);

  if (gh_connection_get_state (self->connection) != GH_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *detail = g_strdup_printf (_("Not connected to “%s”"),
                                                 gh_connection_get_uri (self->connection));

      _gh_error_set (&error, GH_ERROR_NOT_CONNECTED, failure, detail);
    }
  else
    {
      /* virConnectRef() only counts: it asks no daemon. */
      data->conn = gh_link_dup_virconnect (gh_connection_get_link (self->connection), &error);
      if (data->conn == NULL)
        g_prefix_error (&error, "%s: ", failure);
    }

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return NULL;
    }

  return g_steal_pointer (&task);
}

/* ---- Preparing -------------------------------------------------------------------- */

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TaskData *data = task_data;
  const char *what = _("Could not read what the host allows");
  g_autoptr(GhCreateHost) info = g_new0 (GhCreateHost, 1);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GhStoragePlace place;
  virNodeInfo node;
  virDomainPtr *domains = NULL;
  unsigned long long free_memory;
  int n;

  if (virNodeGetInfo (data->conn, &node) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, what);
      goto out;
    }
  info->host_memory = (guint64) node.memory * 1024;
  info->host_cpus = node.cpus;

  /* Some drivers cannot tell; the wizard then only knows the total. */
  free_memory = virNodeGetFreeMemory (data->conn);
  virResetLastError ();
  info->free_memory = free_memory;

  if (!_gh_storage_find_place (data->conn, data->session, data->local, &place, &error))
    goto out;
  info->pool_name = g_steal_pointer (&place.name);
  info->pool_path = g_steal_pointer (&place.path);
  info->pool_exists = place.exists;
  info->pool_available = place.available;

  n = virConnectListAllDomains (data->conn, &domains, 0);
  if (n < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, what);
      goto out;
    }
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (names, g_strdup (virDomainGetName (domains[i])));
      virDomainFree (domains[i]);
    }
  free (domains);
  g_ptr_array_sort (names, _gh_compare_strings);
  g_ptr_array_add (names, NULL);
  info->taken_names = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);

out:
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&info), (GDestroyNotify) create_host_free);
}

void
gh_machine_creator_prepare_async (GhMachineCreator    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_MACHINE_CREATOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, gh_machine_creator_prepare_async,
                   _("Could not read what the host allows"),
                   cancellable, callback, user_data);
  if (task != NULL)
    g_task_run_in_thread (task, prepare_thread);
}

gboolean
gh_machine_creator_prepare_finish (GhMachineCreator  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  GhCreateHost *info;

  g_return_val_if_fail (GH_IS_MACHINE_CREATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gh_machine_creator_prepare_async, FALSE);

  info = g_task_propagate_pointer (G_TASK (result), error);
  if (info == NULL)
    return FALSE;

  g_clear_pointer (&self->host_info, create_host_free);
  self->host_info = info;
  return TRUE;
}

const GhCreateHost *
gh_machine_creator_get_host (GhMachineCreator *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_CREATOR (self), NULL);

  return self->host_info;
}

char *
gh_machine_creator_suggest_name (GhMachineCreator *self,
                                 const char       *base)
{
  const char * const *taken;
  char *name;

  g_return_val_if_fail (GH_IS_MACHINE_CREATOR (self), NULL);
  g_return_val_if_fail (base != NULL, NULL);

  if (self->host_info == NULL)
    return g_strdup (base);

  taken = (const char * const *) self->host_info->taken_names;
  if (!g_strv_contains (taken, base))
    return g_strdup (base);

  for (guint i = 2; ; i++)
    {
      name = g_strdup_printf ("%s-%u", base, i);
      if (!g_strv_contains (taken, name))
        return name;
      g_free (name);
    }
}

char *
gh_machine_creator_dup_disk_path (GhMachineCreator *self,
                                  const char       *name)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (GH_IS_MACHINE_CREATOR (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->host_info == NULL)
    return NULL;

  file = g_strconcat (name, ".qcow2", NULL);
  return g_build_filename (self->host_info->pool_path, file, NULL);
}

static const GhHostDomainCaps *
get_caps (GhMachineCreator *self)
{
  return self->host != NULL ? gh_host_inventory_get_domain_caps (self->host) : NULL;
}

/* What the express step puts into @spec, but the paths: the command line. */
static gboolean
express_fill_cmdline (GhDomainSpec  *spec,
                      GError       **error)
{
  if (spec->install_media == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED,
                     _("Could not prepare the automatic installation"),
                     _("Greenhouse does not know what the install media is"));
      return FALSE;
    }

  g_free (spec->cmdline);
  spec->cmdline = _gh_express_dup_cmdline (spec->install_media, spec->express, spec->name,
                                           _gh_express_target_disk (spec->os), error);
  return spec->cmdline != NULL;
}

char *
gh_machine_creator_dup_xml (GhMachineCreator    *self,
                            const GhDomainSpec  *spec,
                            GError             **error)
{
  g_autoptr(GhDomainSpec) copy = NULL;

  g_return_val_if_fail (GH_IS_MACHINE_CREATOR (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  copy = gh_domain_spec_copy (spec);
  if (spec->name != NULL)
    {
      g_free (copy->disk_path);
      copy->disk_path = gh_machine_creator_dup_disk_path (self, spec->name);
    }

  /* A directory pool's volumes are files named like them in its directory. */
  if (spec->express != NULL && spec->name != NULL && self->host_info != NULL)
    {
      g_autofree char *kernel = _gh_express_dup_kernel_volume (spec->name);
      g_autofree char *initrd = _gh_express_dup_initrd_volume (spec->name);

      if (!express_fill_cmdline (copy, error))
        return NULL;
      g_free (copy->kernel_path);
      copy->kernel_path = g_build_filename (self->host_info->pool_path, kernel, NULL);
      g_free (copy->initrd_path);
      copy->initrd_path = g_build_filename (self->host_info->pool_path, initrd, NULL);
    }

  return gh_domain_builder_build (copy, get_caps (self), error);
}

void
gh_machine_creator_create_async (GhMachineCreator    *self,
                                 const GhDomainSpec  *spec,
                                 guint64              disk_size,
                                 const char          *import_path,
                                 gboolean             start,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *failure = NULL;
  TaskData *data;

  g_return_if_fail (GH_IS_MACHINE_CREATOR (self));
  g_return_if_fail (spec != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _gh_machine_creator_set_step (self, GH_CREATE_STEP_NONE);

  failure = g_strdup_printf (_("Could not create “%s”"), spec->name != NULL ? spec->name : "");
  task = task_new (self, gh_machine_creator_create_async, failure,
                   cancellable, callback, user_data);
  if (task == NULL)
    return;

  /* The worker decides when it is too late to cancel: GTask's own check would report a
   * cancellation that came after the machine was made and kept. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_task_get_task_data (task);
  data->spec = gh_domain_spec_copy (spec);
  data->caps = _gh_host_domain_caps_copy (get_caps (self));
  data->disk_size = disk_size;
  data->import_path = g_strdup (import_path);
  data->start = !!start;

  if (data->spec->name == NULL || data->spec->name[0] == '\0')
    {
      GError *error = NULL;

      _gh_error_set (&error, GH_ERROR_FAILED, _("Could not describe the new machine"),
                     _("it has no name"));
      g_task_return_error (task, error);
      return;
    }

  g_task_run_in_thread (task, _gh_machine_creator_create_thread);
}

char *
gh_machine_creator_create_finish (GhMachineCreator  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (GH_IS_MACHINE_CREATOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gh_machine_creator_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
