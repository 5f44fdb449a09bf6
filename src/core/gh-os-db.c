/* gh-os-db.c: the libosinfo database, loaded off the main thread
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <osinfo/osinfo.h>

#include "gh-core-private.h"

struct _GhOsDb
{
  GObject parent_instance;

  /* Owned references */
  OsinfoDb *db;       /* NULL until loaded */
  GPtrArray *waiting; /* GTask* of load_async calls while a load runs */
};

G_DEFINE_FINAL_TYPE (GhOsDb, gh_os_db, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gh_os_db_finalize (GObject *object)
{
  GhOsDb *self = (GhOsDb *)object;

  g_clear_object (&self->db);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (gh_os_db_parent_class)->finalize (object);
}

static void
gh_os_db_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  GhOsDb *self = GH_OS_DB (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, gh_os_db_get_loaded (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_os_db_class_init (GhOsDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_os_db_finalize;
  object_class->get_property = gh_os_db_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_os_db_init (GhOsDb *self)
{
}

/**
 * gh_os_db_get_default:
 *
 * Returns: (transfer none): the database shared by the whole process
 */
GhOsDb *
gh_os_db_get_default (void)
{
  static GhOsDb *instance;

  if (instance == NULL)
    {
      instance = g_object_new (GH_TYPE_OS_DB, NULL);
      g_object_add_weak_pointer (G_OBJECT (instance), (gpointer *) &instance);
    }

  return instance;
}

gboolean
gh_os_db_get_loaded (GhOsDb *self)
{
  g_return_val_if_fail (GH_IS_OS_DB (self), FALSE);
  return self->db != NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  g_autoptr(GError) error = NULL;

  /* Reading a few thousand XML files is why this is not on the main thread. */
  osinfo_loader_process_default_path (loader, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "%s: ", _("Could not read the operating system database"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_object_ref (osinfo_loader_get_db (loader)), g_object_unref);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GhOsDb *self = GH_OS_DB (object);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  g_autoptr(GError) error = NULL;
  OsinfoDb *db;

  db = g_task_propagate_pointer (G_TASK (result), &error);
  if (db != NULL)
    {
      self->db = db;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

void
gh_os_db_load_async (GhOsDb              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_OS_DB (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_os_db_load_async);

  if (self->db != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* One load serves every caller that asks while it runs. */
  if (self->waiting == NULL)
    {
      g_autoptr(GTask) load = g_task_new (self, NULL, load_cb, NULL);

      g_task_set_source_tag (load, load_thread);
      self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
      g_task_run_in_thread (load, load_thread);
    }

  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
}

gboolean
gh_os_db_load_finish (GhOsDb        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (GH_IS_OS_DB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
gh_os_db_get_os_name (GhOsDb     *self,
                      const char *os_id)
{
  OsinfoOs *os;

  g_return_val_if_fail (GH_IS_OS_DB (self), NULL);

  if (self->db == NULL || os_id == NULL)
    return NULL;

  os = osinfo_db_get_os (self->db, os_id);
  if (os == NULL)
    return NULL;

  return osinfo_product_get_name (OSINFO_PRODUCT (os));
}

/**
 * gh_os_db_lookup_os:
 *
 * Returns: (transfer none) (nullable): the OS, owned by the database
 */
OsinfoOs *
gh_os_db_lookup_os (GhOsDb     *self,
                    const char *id)
{
  g_autoptr(OsinfoOsList) list = NULL;
  OsinfoOs *os;
  int n;

  g_return_val_if_fail (GH_IS_OS_DB (self), NULL);

  if (self->db == NULL || id == NULL || id[0] == '\0')
    return NULL;

  os = osinfo_db_get_os (self->db, id);
  if (os != NULL)
    return os;

  /* Short ids are unique in osinfo-db; an OS may have several ("win11", "win11x64"…). */
  list = osinfo_db_get_os_list (self->db);
  n = osinfo_list_get_length (OSINFO_LIST (list));
  for (int i = 0; i < n; i++)
    {
      OsinfoOs *candidate = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i));
      g_autoptr(GList) short_ids = osinfo_product_get_short_id_list (OSINFO_PRODUCT (candidate));

      if (g_list_find_custom (short_ids, id, (GCompareFunc) g_strcmp0) != NULL)
        return candidate;
    }

  return NULL;
}

OsinfoDb *
_gh_os_db_get_db (GhOsDb *self)
{
  g_return_val_if_fail (GH_IS_OS_DB (self), NULL);
  return self->db;
}
