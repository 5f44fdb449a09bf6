/* gh-os-names.c: the names of libosinfo's OSes, cached so that the list needs no database
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <osinfo/osinfo.h>

#include "gh-os-names-private.h"

/* The file holds (format, tag, {id: name}). A GVariant of strings only reads the same on
 * any machine, and one from elsewhere (or damaged) reads as empty strings, never as a
 * crash: the format then differs, and the file is built again. */
#define CACHE_FORMAT "greenhouse-os-names 1"
#define CACHE_TYPE   ((const GVariantType *) "(ssa{ss})")
/* 42 KiB for osinfo-db 20221203's 790 OSes: a file far larger is not ours, and is not
 * read on the main thread. */
#define CACHE_MAX_SIZE (1024 * 1024)
/* osinfo-db's folders are a few levels deep; a symbolic link loop is not walked for ever. */
#define TREE_MAX_DEPTH 8

struct _GhOsNames
{
  GObject parent_instance;

  /* Owned references */
  char       *path;       /* the cache file */
  GVariant   *cache;      /* what the names point into; NULL when there are none */
  GHashTable *names;      /* id → name, both borrowed from @cache */

  /* How many workers run, for gh_os_names_wait(); under @lock */
  GMutex      lock;
  GCond       done;
  guint       n_running;
};

G_DEFINE_FINAL_TYPE (GhOsNames, gh_os_names, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GhOsNames *default_names;

static void
gh_os_names_finalize (GObject *object)
{
  GhOsNames *self = (GhOsNames *)object;

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->cache, g_variant_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->done);

  G_OBJECT_CLASS (gh_os_names_parent_class)->finalize (object);
}

static void
gh_os_names_class_init (GhOsNamesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gh_os_names_finalize;

  /**
   * GhOsNames::changed:
   *
   * The names were built again (there was no cache, or osinfo-db changed): ask again.
   */
  signals[CHANGED] =
    g_signal_new_class_handler ("changed",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                NULL, NULL, NULL, NULL,
                                G_TYPE_NONE, 0);
}

static void
gh_os_names_init (GhOsNames *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->done);
  self->names = g_hash_table_new (g_str_hash, g_str_equal);
}

/* ---- the cache file --------------------------------------------------------------- */

/* The tag of @cache, or NULL when it is not a cache of this format. */
static const char *
cache_get_tag (GVariant *cache)
{
  const char *format;
  const char *tag;

  g_variant_get (cache, "(&s&s@a{ss})", &format, &tag, NULL);

  return g_str_equal (format, CACHE_FORMAT) && tag[0] != '\0' ? tag : NULL;
}

/* Main thread, at start: 42 KiB, read and indexed in under a millisecond (0.7-1.0 ms on a
 * 2-core CI machine), less than what a worker and a frame without names would cost. */
static GVariant *
read_cache (const char *path)
{
  g_autoptr(GVariant) cache = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;
  gsize length;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > CACHE_MAX_SIZE)
    return NULL;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_debug ("Could not read %s: %s", path, error->message);
      return NULL;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  cache = g_variant_ref_sink (g_variant_new_from_bytes (CACHE_TYPE, bytes, FALSE));
  if (cache_get_tag (cache) == NULL)
    {
      g_debug ("%s is not a cache of OS names: it will be built again", path);
      return NULL;
    }

  return g_steal_pointer (&cache);
}

/* Worker: written whole or not at all, so that a reader never sees half a cache. */
static void
write_cache (const char *path,
             GVariant   *cache)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GBytes) bytes = g_variant_get_data_as_bytes (cache);
  g_autoptr(GError) error = NULL;

  /* Without the file the names still show; the next start builds them again. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_debug ("Could not make %s: %s", dir, g_strerror (errno));
  else if (!g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes),
                                      G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not save the OS names: %s", error->message);
}

/* Main thread. */
static void
take_cache (GhOsNames *self,
            GVariant  *cache)
{
  g_autoptr(GVariant) names = NULL;
  GVariantIter iter;
  const char *id;
  const char *name;

  g_hash_table_remove_all (self->names);
  g_clear_pointer (&self->cache, g_variant_unref);
  if (cache == NULL)
    return;

  self->cache = g_variant_ref (cache);
  names = g_variant_get_child_value (cache, 2);
  g_variant_iter_init (&iter, names);
  while (g_variant_iter_next (&iter, "{&s&s}", &id, &name))
    {
      if (id[0] != '\0' && name[0] != '\0')
        g_hash_table_insert (self->names, (gpointer) id, (gpointer) name);
    }
}

/* ---- what the cache is built from --------------------------------------------------- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file and folder under @path, in a stable order, with its size and times: a package
 * update, an override added or edited, or a file removed each change the sum. Times as well
 * as sizes, since dpkg gives a replaced file its package's mtime but a new ctime. */
static void
add_tree (GChecksum  *sum,
          const char *path,
          const char *relative,
          guint       depth,
          guint      *n_files)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (depth > TREE_MAX_DEPTH || (dir = g_dir_open (path, 0, NULL)) == NULL)
    {
      g_checksum_update (sum, (const guchar *) "unreadable\n", -1);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, names->pdata[i], NULL);
      g_autofree char *child_relative = g_build_filename (relative, names->pdata[i], NULL);
      g_autofree char *line = NULL;
      struct stat st;

      /* libosinfo follows links, so this looks where they lead. */
      if (stat (child, &st) != 0)
        {
          line = g_strdup_printf ("%s gone\n", child_relative);
          g_checksum_update (sum, (const guchar *) line, -1);
          continue;
        }

      line = g_strdup_printf ("%s %o %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%09ld"
                              " %" G_GINT64_FORMAT ".%09ld\n",
                              child_relative, (guint) st.st_mode, (gint64) st.st_size,
                              (gint64) st.st_mtim.tv_sec, (long) st.st_mtim.tv_nsec,
                              (gint64) st.st_ctim.tv_sec, (long) st.st_ctim.tv_nsec);
      g_checksum_update (sum, (const guchar *) line, -1);

      if (S_ISDIR (st.st_mode))
        add_tree (sum, child, child_relative, depth + 1, n_files);
      else
        (*n_files)++;
    }
}

/* One line for one of libosinfo's folders: osinfo-db's release (its VERSION file) for
 * people who read the file, and the sum of its tree for the comparison. A folder that is
 * not there adds nothing: a user without overrides keeps the cache when $HOME moves. */
static void
append_folder (GString    *tag,
               const char *path)
{
  g_autoptr(GChecksum) sum = NULL;
  g_autofree char *version_path = NULL;
  g_autofree char *version = NULL;
  guint n_files = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return;

  sum = g_checksum_new (G_CHECKSUM_SHA256);
  add_tree (sum, path, "", 0, &n_files);

  /* osinfo-db's is one short line ("20221203"); anything else is left out of the tag,
   * which the sum already covers. */
  version_path = g_build_filename (path, "VERSION", NULL);
  if (g_file_get_contents (version_path, &version, NULL, NULL) &&
      (strlen (g_strstrip (version)) > 32 || strchr (version, '\n') != NULL))
    g_clear_pointer (&version, g_free);

  g_string_append_printf (tag, "%s: %s%s%u files, sha256 %s\n", path,
                          version != NULL ? version : "", version != NULL ? " " : "",
                          n_files, g_checksum_get_string (sum));
}

char *
_gh_os_names_dup_current_tag (const char * const *languages)
{
  const char *data_dir = g_getenv ("OSINFO_DATA_DIR");
  const char *system_dir = g_getenv ("OSINFO_SYSTEM_DIR");
  const char *local_dir = g_getenv ("OSINFO_LOCAL_DIR");
  const char *user_dir = g_getenv ("OSINFO_USER_DIR");
  g_autofree char *joined = g_strjoinv (" ", (char **) languages);
  g_autoptr(GString) tag = g_string_new (NULL);

  /* libosinfo names an OS in the first of the user's languages that osinfo-db has. */
  g_string_append_printf (tag, "languages: %s\n", joined);

  /* The folders libosinfo 1.10 reads, in its order. Where it takes the first of two that
   * it can read, both are summed: the one it reads then changes the tag either way. */
  if (data_dir != NULL)
    {
      g_autofree char *db = g_build_filename (data_dir, "db", NULL);

      append_folder (tag, db);
    }
  else
    append_folder (tag, system_dir != NULL ? system_dir : GH_OSINFO_SYSTEM_DIR);

  if (local_dir != NULL)
    append_folder (tag, local_dir);
  else
    {
      append_folder (tag, GH_OSINFO_SYSCONF_DIR "/osinfo");
      append_folder (tag, GH_OSINFO_SYSCONF_DIR "/libosinfo/db");
    }

  if (user_dir != NULL)
    append_folder (tag, user_dir);
  else
    {
      g_autofree char *user = g_build_filename (g_get_user_config_dir (), "osinfo", NULL);
      g_autofree char *legacy = g_build_filename (g_get_user_config_dir (), "libosinfo", "db",
                                                  NULL);

      append_folder (tag, user);
      append_folder (tag, legacy);
    }

  /* A GVariant string is UTF-8, and a folder's name need not be. */
  return g_utf8_make_valid (tag->str, -1);
}

/* ---- checking and building, in a worker --------------------------------------------- */

typedef struct
{
  char  *path;
  char  *tag;        /* of the names in memory; NULL: none */
  char **languages;
} UpdateData;

static void
update_data_free (UpdateData *data)
{
  g_free (data->path);
  g_free (data->tag);
  g_strfreev (data->languages);
  g_free (data);
}

static GVariant *
build_cache (const char  *tag,
             GError     **error)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  g_autoptr(OsinfoOsList) list = NULL;
  g_auto(GVariantBuilder) names = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GError *local_error = NULL;
  guint n;

  /* The one load of the whole database (~50 MiB), freed with the loader. */
  osinfo_loader_process_default_path (loader, &local_error);
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, local_error,
                                  "Could not read the operating system database: ");
      return NULL;
    }

  list = osinfo_db_get_os_list (osinfo_loader_get_db (loader));
  n = osinfo_list_get_length (OSINFO_LIST (list));
  for (guint i = 0; i < n; i++)
    {
      OsinfoEntity *os = osinfo_list_get_nth (OSINFO_LIST (list), i);
      const char *name = osinfo_product_get_name (OSINFO_PRODUCT (os));

      if (name != NULL)
        g_variant_builder_add (&names, "{ss}", osinfo_entity_get_id (os), name);
    }

  return g_variant_ref_sink (g_variant_new ("(ssa{ss})", CACHE_FORMAT, tag, &names));
}

static void
worker_done (GhOsNames *self)
{
  g_mutex_lock (&self->lock);
  self->n_running--;
  g_cond_broadcast (&self->done);
  g_mutex_unlock (&self->lock);
}

static void
update_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GhOsNames *self = source_object;
  UpdateData *data = task_data;
  g_autofree char *tag = _gh_os_names_dup_current_tag ((const char * const *) data->languages);
  g_autoptr(GVariant) cache = NULL;
  GError *error = NULL;

  /* The tag is taken before the load: a change during it makes the next start build again. */
  if (g_strcmp0 (tag, data->tag) != 0 &&
      (cache = build_cache (tag, &error)) != NULL)
    write_cache (data->path, cache);

  worker_done (self);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&cache), (GDestroyNotify) g_variant_unref);
}

/* Main thread: the names change before the caller hears of it. */
static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GhOsNames *self = GH_OS_NAMES (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) cache = NULL;
  GError *error = NULL;

  cache = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (cache != NULL)
    {
      take_cache (self, cache);
      g_signal_emit (self, signals[CHANGED], 0);
    }

  g_task_return_boolean (task, cache != NULL);
}

void
_gh_os_names_update_async (GhOsNames           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  UpdateData *data;

  g_return_if_fail (GH_IS_OS_NAMES (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _gh_os_names_update_async);

  data = g_new0 (UpdateData, 1);
  data->path = g_strdup (self->path);
  data->tag = g_strdup (_gh_os_names_get_tag (self));
  /* Read here: GLib's answer follows the environment of the main thread. */
  data->languages = g_strdupv ((char **) g_get_language_names ());

  /* Not cancellable: a build that began is worth finishing for the next start. */
  worker = g_task_new (self, NULL, update_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, update_thread);
  g_task_set_task_data (worker, data, (GDestroyNotify) update_data_free);

  g_mutex_lock (&self->lock);
  self->n_running++;
  g_mutex_unlock (&self->lock);

  g_task_run_in_thread (worker, update_thread);
}

gboolean
_gh_os_names_update_finish (GhOsNames     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (GH_IS_OS_NAMES (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _gh_os_names_update_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- public API ------------------------------------------------------------------- */

GhOsNames *
_gh_os_names_new (const char *path)
{
  GhOsNames *self;
  g_autoptr(GVariant) cache = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (GH_TYPE_OS_NAMES, NULL);
  self->path = g_strdup (path);
  cache = read_cache (path);
  take_cache (self, cache);

  return self;
}

static void
default_updated_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Without the database rows simply show no OS name. */
  if (!_gh_os_names_update_finish (GH_OS_NAMES (object), result, &error) && error != NULL)
    g_warning ("Could not name the operating systems: %s", error->message);
}

/**
 * gh_os_names_get_default:
 *
 * Reads the user's cache the first time, and starts checking it.
 *
 * Returns: (transfer none): the names shared by the whole process
 */
GhOsNames *
gh_os_names_get_default (void)
{
  if (default_names == NULL)
    {
      g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "greenhouse",
                                                "os-names.gvariant", NULL);

      default_names = _gh_os_names_new (path);
      _gh_os_names_update_async (default_names, NULL, default_updated_cb, NULL);
    }

  return default_names;
}

void
_gh_os_names_forget_default (void)
{
  g_clear_object (&default_names);
}

const char *
gh_os_names_lookup (GhOsNames  *self,
                    const char *os_id)
{
  g_return_val_if_fail (GH_IS_OS_NAMES (self), NULL);

  if (os_id == NULL)
    return NULL;

  return g_hash_table_lookup (self->names, os_id);
}

void
gh_os_names_wait (GhOsNames *self)
{
  g_return_if_fail (GH_IS_OS_NAMES (self));

  g_mutex_lock (&self->lock);
  while (self->n_running > 0)
    g_cond_wait (&self->done, &self->lock);
  g_mutex_unlock (&self->lock);
}

const char *
_gh_os_names_get_tag (GhOsNames *self)
{
  g_return_val_if_fail (GH_IS_OS_NAMES (self), NULL);

  return self->cache != NULL ? cache_get_tag (self->cache) : NULL;
}

guint
_gh_os_names_get_n_names (GhOsNames *self)
{
  g_return_val_if_fail (GH_IS_OS_NAMES (self), 0);

  return g_hash_table_size (self->names);
}
