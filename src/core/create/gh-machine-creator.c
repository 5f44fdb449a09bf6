/* gh-machine-creator.c: makes a new machine on a connection, or nothing at all
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "gh-cleanup-journal.h"
#include "gh-core-enums.h"
#include "gh-core-private.h"
#include "gh-express-install-private.h"
#include "gh-image.h"
#include "gh-machine-creator.h"
#include "gh-storage.h"

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
 * record names exactly the one this create defined. */

struct _GhMachineCreator
{
  GObject parent_instance;

  /* Owned references */
  GhConnection    *connection;
  GhHostInventory *host;
  GhCreateHost    *host_info;   /* NULL until prepared */

  GhCreateStep     step;
};

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

static void
set_step (GhMachineCreator *self,
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
      data->conn = _gh_connection_dup_virconnect (self->connection, &error);
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

/* ---- Creating --------------------------------------------------------------------- */

typedef struct
{
  GhMachineCreator *self;
  GhCreateStep      step;
} StepUpdate;

static gboolean
apply_step (gpointer user_data)
{
  StepUpdate *update = user_data;

  set_step (update->self, update->step);
  return G_SOURCE_REMOVE;
}

static void
step_update_free (gpointer user_data)
{
  StepUpdate *update = user_data;

  g_object_unref (update->self);
  g_free (update);
}

/* Worker: tells the main thread where we are. The task's own result is dispatched the
 * same way, at the same priority, so it always comes after the last step. */
static void
notify_step (GTask        *task,
             GhCreateStep  step)
{
  StepUpdate *update = g_new0 (StepUpdate, 1);

  update->self = g_object_ref (g_task_get_source_object (task));
  update->step = step;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                              apply_step, update, step_update_free);
}

/* What one create has made so far, newest last, and the journal's records of it (0: none):
 * a record may name what a step was making when it failed. */
typedef struct
{
  GhCleanupJournal *journal;
  virStoragePoolPtr pool;
  GhStorageUndo     pool_undo;
  virStorageVolPtr  volume;
  virStorageVolPtr  kernel;     /* an express install's */
  virStorageVolPtr  initrd;
  virDomainPtr      domain;
  guint64           pool_record;
  guint64           volume_record;
  guint64           kernel_record;
  guint64           initrd_record;
  guint64           domain_record;
} Made;

/* Forgets @record once what it names is surely gone: taken back (@undone), or never made
 * because libvirt refused the step; a daemon that went away might have made it. */
static void
settle_record (Made          *made,
               virConnectPtr  conn,
               guint64       *record,
               gboolean       made_it,
               gboolean       undone)
{
  if (made_it ? undone : virConnectIsAlive (conn) == 1)
    _gh_cleanup_journal_remove (made->journal, *record);
  *record = 0;
}

static gboolean
delete_new_volume (virStorageVolPtr *volume)
{
  gboolean done = TRUE;

  if (*volume == NULL)
    return TRUE;

  if (virStorageVolDelete (*volume, 0) < 0)
    {
      g_debug ("Could not delete the new volume: %s", virGetLastErrorMessage ());
      done = FALSE;
    }
  g_clear_pointer (volume, virStorageVolFree);
  return done;
}

static gboolean
undefine_new_domain (virDomainPtr domain)
{
  if (_gh_cleanup_undefine_domain (domain))
    return TRUE;

  g_debug ("Could not undefine the new domain: %s", virGetLastErrorMessage ());
  return FALSE;
}

/* Takes back everything in @made, newest first. The step that failed already holds
 * the user's error; what fails here stays in the journal for the next connection. */
static void
rollback (Made          *made,
          virConnectPtr  conn)
{
  gboolean undone;

  undone = TRUE;
  if (made->domain != NULL)
    {
      if (virDomainIsActive (made->domain) == 1)
        virDomainDestroy (made->domain);
      undone = undefine_new_domain (made->domain);
    }
  settle_record (made, conn, &made->domain_record, made->domain != NULL, undone);
  g_clear_pointer (&made->domain, virDomainFree);

  settle_record (made, conn, &made->initrd_record, made->initrd != NULL,
                 delete_new_volume (&made->initrd));
  settle_record (made, conn, &made->kernel_record, made->kernel != NULL,
                 delete_new_volume (&made->kernel));
  settle_record (made, conn, &made->volume_record, made->volume != NULL,
                 delete_new_volume (&made->volume));

  undone = TRUE;
  if (made->pool != NULL)
    undone = _gh_storage_undo_pool (made->pool, &made->pool_undo);
  settle_record (made, conn, &made->pool_record, made->pool != NULL, undone);
  g_clear_pointer (&made->pool, virStoragePoolFree);

  virResetLastError ();
}

/* The machine is complete: what it is made of is its own now. */
static void
made_keep (Made *made)
{
  guint64 *records[] = {
    &made->domain_record, &made->initrd_record, &made->kernel_record,
    &made->volume_record, &made->pool_record,
  };

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      _gh_cleanup_journal_remove (made->journal, *records[i]);
      *records[i] = 0;
    }
}

static void
made_release (Made *made)
{
  g_clear_pointer (&made->domain, virDomainFree);
  g_clear_pointer (&made->initrd, virStorageVolFree);
  g_clear_pointer (&made->kernel, virStorageVolFree);
  g_clear_pointer (&made->volume, virStorageVolFree);
  g_clear_pointer (&made->pool, virStoragePoolFree);
  _gh_storage_undo_clear (&made->pool_undo);
}

static gboolean
make_volume (TaskData      *data,
             Made          *made,
             GCancellable  *cancellable,
             GError       **error)
{
  const char *what = _("Could not create the disk");
  g_autofree char *volume_name = NULL;
  const char *format = "qcow2";
  guint64 size = data->disk_size;
  guint64 available;

  if (data->import_path != NULL)
    {
      format = data->import.format;
      size = data->import.file_size;
    }
  else if (size == 0)
    {
      /* No disk: a live system, or one that boots from the network. */
      g_clear_pointer (&data->spec->disk_path, g_free);
      return TRUE;
    }

  /* A sparse qcow2 would be made whatever its size, and the guest would find the disk
   * full halfway through installing. */
  if (!_gh_storage_pool_available (made->pool, &available, error))
    {
      g_prefix_error (error, "%s: ", what);
      return FALSE;
    }
  if (size > available)
    {
      g_autofree char *needed = g_format_size (size);
      g_autofree char *free_text = g_format_size (available);
      g_autofree char *detail =
        g_strdup_printf (_("it needs %s, but only %s are free for disks"), needed, free_text);

      _gh_error_set (error, GH_ERROR_STORAGE, what, detail);
      return FALSE;
    }

  volume_name = g_strconcat (data->spec->name, g_str_equal (format, "qcow2") ? ".qcow2" : ".img",
                             NULL);
  made->volume_record = _gh_cleanup_journal_add_volume (made->journal, data->spec->name,
                                                        virStoragePoolGetName (made->pool),
                                                        volume_name, NULL);
  made->volume = _gh_storage_create_volume (made->pool, volume_name, format, size, error);
  if (made->volume == NULL)
    return FALSE;
  _gh_test_point ("create-volume-made");

  if (data->import_path != NULL
      && (!_gh_storage_upload (data->conn, made->volume, data->import_path, cancellable, error)
          || !_gh_storage_volume_stands_alone (made->pool, made->volume, format, error)))
    return FALSE;

  g_free (data->spec->disk_path);
  data->spec->disk_path = virStorageVolGetPath (made->volume);
  g_free (data->spec->disk_format);
  data->spec->disk_format = g_strdup (format);
  if (data->spec->disk_path == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
      return FALSE;
    }

  return TRUE;
}

/* Sets @error to "@what: the detail of @cause", for a storage helper's error that names
 * the disk where the install's files are meant. */
static void
rephrase_error (GError     **error,
                const char  *what,
                GError      *cause)
{
  _gh_error_set (error, cause->code, what, gh_error_get_detail (cause));
}

/* One file of the install phase (@fd, which has no name) as a new raw volume @name in
 * @volume, uploaded through libvirt; a volume made before a failure is in @volume too,
 * for the rollback, and in the journal as @record. @point: where a test may hold the
 * worker once the volume exists. */
static gboolean
upload_install_file (TaskData          *data,
                     Made              *made,
                     const char        *name,
                     int                fd,
                     virStorageVolPtr  *volume,
                     guint64           *record,
                     const char        *point,
                     GCancellable      *cancellable,
                     GError           **error)
{
  const char *what = _("Could not prepare the automatic installation");
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  if (fstat (fd, &st) != 0)
    {
      _gh_error_set (error, GH_ERROR_STORAGE, what, g_strerror (errno));
      return FALSE;
    }

  *record = _gh_cleanup_journal_add_volume (made->journal, data->spec->name,
                                            virStoragePoolGetName (made->pool), name, NULL);
  *volume = _gh_storage_create_volume (made->pool, name, "raw", (guint64) st.st_size,
                                       &local_error);
  if (*volume == NULL)
    {
      rephrase_error (error, what, local_error);
      return FALSE;
    }
  _gh_test_point (point);

  if (!_gh_storage_upload_fd (data->conn, *volume, fd, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        rephrase_error (error, what, local_error);
      return FALSE;
    }

  return TRUE;
}

/* The express step: the installer's kernel and its initrd with the answers, as two
 * volumes of the pool (so it works on every connection that can read the media). */
static gboolean
make_install_volumes (TaskData      *data,
                      Made          *made,
                      GCancellable  *cancellable,
                      GError       **error)
{
  const char *what = _("Could not prepare the automatic installation");
  GhDomainSpec *spec = data->spec;
  g_auto(GhExpressScript) script = { NULL };
  int kernel_fd = -1;
  int initrd_fd = -1;
  gboolean ok = FALSE;
  g_autofree char *kernel_name = NULL;
  g_autofree char *initrd_name = NULL;

  if (spec->install_media == NULL || spec->cdrom_path == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what,
                     _("Greenhouse does not know what the install media is"));
      return FALSE;
    }
  /* The installer is read out of the image here, on this computer. */
  if (!data->local)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what,
                     _("the install media must be on this computer"));
      return FALSE;
    }

  if (!_gh_express_generate (spec->install_media, spec->express, spec->name,
                             _gh_express_target_disk (spec->os), &script, error))
    return FALSE;

  if (!_gh_express_write_boot_files (spec->cdrom_path, spec->install_media, &script,
                                     &kernel_fd, &initrd_fd, cancellable, error))
    return FALSE;

  kernel_name = _gh_express_dup_kernel_volume (spec->name);
  initrd_name = _gh_express_dup_initrd_volume (spec->name);
  if (!upload_install_file (data, made, kernel_name, kernel_fd, &made->kernel,
                            &made->kernel_record, "create-upload-kernel", cancellable, error)
      || !upload_install_file (data, made, initrd_name, initrd_fd, &made->initrd,
                               &made->initrd_record, "create-upload-initrd", cancellable, error))
    goto out;

  g_free (spec->kernel_path);
  spec->kernel_path = virStorageVolGetPath (made->kernel);
  g_free (spec->initrd_path);
  spec->initrd_path = virStorageVolGetPath (made->initrd);
  if (spec->kernel_path == NULL || spec->initrd_path == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
      goto out;
    }
  g_free (spec->cmdline);
  spec->cmdline = g_steal_pointer (&script.cmdline);
  ok = TRUE;

out:
  /* The files have no name: closing them frees the last copy of the password. */
  close (kernel_fd);
  close (initrd_fd);
  return ok;
}

static gboolean
run_steps (GTask         *task,
           TaskData      *data,
           Made          *made,
           char         **uuid,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *xml = NULL;
  GhStoragePlace place;
  char uuid_string[VIR_UUID_STRING_BUFLEN];

  /* An image that is not what it seems, or that reaches other files, is refused before
   * anything is made. */
  if (data->import_path != NULL && !gh_image_inspect (data->import_path, &data->import, error))
    return FALSE;

  notify_step (task, GH_CREATE_STEP_POOL);
  if (!_gh_storage_find_place (data->conn, data->session, data->local, &place, error))
    return FALSE;
  if (!place.exists)
    {
      g_autofree char *first_dir = NULL;

      if (data->local)
        first_dir = _gh_storage_dup_first_missing_dir (place.path);
      made->pool_record = _gh_cleanup_journal_add_pool (made->journal, place.name, place.path,
                                                        first_dir);
    }
  made->pool = _gh_storage_ensure_pool (data->conn, &place, data->local, &made->pool_undo,
                                        error);
  _gh_storage_place_clear (&place);
  /* It was there after all: not ours to take back. */
  if (made->pool != NULL && !made->pool_undo.defined)
    {
      _gh_cleanup_journal_remove (made->journal, made->pool_record);
      made->pool_record = 0;
    }
  if (made->pool == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  notify_step (task, GH_CREATE_STEP_VOLUME);
  if (!make_volume (data, made, cancellable, error)
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (data->spec->express != NULL)
    {
      notify_step (task, GH_CREATE_STEP_EXPRESS);
      if (!make_install_volumes (data, made, cancellable, error)
          || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  notify_step (task, GH_CREATE_STEP_DEFINE);
  g_free (data->spec->uuid);
  data->spec->uuid = g_uuid_string_random ();
  xml = gh_domain_builder_build (data->spec, data->caps, error);
  if (xml == NULL)
    return FALSE;
  made->domain_record = _gh_cleanup_journal_add_domain (made->journal, data->spec->name,
                                                        data->spec->uuid);
  /* Validation against libvirt's schema gives a reason for a wrong device, where a
   * plain define could silently drop what it does not know. */
  made->domain = virDomainDefineXMLFlags (data->conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (made->domain == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, _("Could not create the machine"));
      return FALSE;
    }
  _gh_test_point ("create-defined");
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (data->start)
    {
      notify_step (task, GH_CREATE_STEP_START);
      if (virDomainCreate (made->domain) < 0)
        {
          _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, _("Could not start the machine"));
          return FALSE;
        }
    }

  if (virDomainGetUUIDString (made->domain, uuid_string) < 0)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, _("Could not create the machine"));
      return FALSE;
    }

  /* The last look: a cancellation that comes after this is too late, and the machine
   * stays, which the caller learns from the UUID it gets. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  *uuid = g_strdup (uuid_string);
  return TRUE;
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  Made made = { 0 };

  made.journal = _gh_cleanup_journal_dup_for_conn (data->conn);
  _gh_cleanup_journal_begin (made.journal);

  if (run_steps (task, data, &made, &uuid, cancellable, &error))
    {
      made_keep (&made);
      notify_step (task, GH_CREATE_STEP_DONE);
    }
  else
    {
      rollback (&made, data->conn);
    }

  _gh_cleanup_journal_end (made.journal);
  g_clear_pointer (&made.journal, _gh_cleanup_journal_unref);
  made_release (&made);
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&uuid), g_free);
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

  set_step (self, GH_CREATE_STEP_NONE);

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

  g_task_run_in_thread (task, create_thread);
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
