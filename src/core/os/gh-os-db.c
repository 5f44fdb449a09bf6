/* gh-os-db.c: the libosinfo database, loaded off the main thread
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <osinfo/osinfo.h>

#include "gh-error-private.h"
#include "gh-os-db-private.h"

struct _GhOsDb
{
  GObject parent_instance;

  /* Owned references */
  OsinfoDb *db;       /* NULL until loaded */
  GPtrArray *waiting; /* GTask* of load_async calls while a load runs */
  GListStore *oses;   /* OsinfoOs*, newest first; empty until loaded */
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
  g_clear_object (&self->oses);

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
  self->oses = g_list_store_new (OSINFO_TYPE_OS);
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

/* ---- the OS list ------------------------------------------------------------------ */

typedef struct
{
  OsinfoOs   *os;
  guint32     release;  /* Julian day; 0 when the OS has no release date */
  const char *name;
  const char *id;
} OsSortKey;

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const OsSortKey *key_a = a;
  const OsSortKey *key_b = b;
  int cmp;

  /* 0 sorts last, which is where an OS without a date belongs. */
  if (key_a->release != key_b->release)
    return key_a->release > key_b->release ? -1 : 1;

  if ((cmp = g_utf8_collate (key_a->name, key_b->name)) != 0)
    return cmp;

  /* Two OSes of the same name and date still keep one order from run to run. */
  return g_strcmp0 (key_a->id, key_b->id);
}

/* Main thread, once: a chooser bound to the list sees one items-changed. */
static void
fill_oses (GhOsDb *self)
{
  g_autoptr(OsinfoOsList) list = osinfo_db_get_os_list (self->db);
  g_autoptr(GArray) keys = g_array_new (FALSE, TRUE, sizeof (OsSortKey));
  g_autofree gpointer *items = NULL;
  guint n = osinfo_list_get_length (OSINFO_LIST (list));

  g_array_set_size (keys, n);
  for (guint i = 0; i < n; i++)
    {
      OsSortKey *key = &g_array_index (keys, OsSortKey, i);
      GDate *release;

      key->os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i));
      key->id = osinfo_entity_get_id (OSINFO_ENTITY (key->os));
      key->name = osinfo_product_get_name (OSINFO_PRODUCT (key->os));
      if (key->name == NULL)
        key->name = key->id;

      /* Parsed once here rather than in every comparison. */
      release = osinfo_product_get_release_date (OSINFO_PRODUCT (key->os));
      if (release != NULL && g_date_valid (release))
        key->release = g_date_get_julian (release);
      g_clear_pointer (&release, g_date_free);
    }

  g_array_sort (keys, compare_newest_first);

  items = g_new (gpointer, n);
  for (guint i = 0; i < n; i++)
    items[i] = g_array_index (keys, OsSortKey, i).os;

  g_list_store_splice (self->oses, 0, g_list_model_get_n_items (G_LIST_MODEL (self->oses)),
                       items, n);
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
      /* Before :loaded, so that whoever waits for it finds the list full. */
      fill_oses (self);
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

/* ---- install media ---------------------------------------------------------------- */

G_DEFINE_BOXED_TYPE (GhMediaInfo, gh_media_info, gh_media_info_copy, gh_media_info_free)

GhMediaInfo *
gh_media_info_copy (const GhMediaInfo *info)
{
  GhMediaInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (GhMediaInfo, 1);
  copy->path = g_strdup (info->path);
  copy->os_id = g_strdup (info->os_id);
  copy->os_name = g_strdup (info->os_name);
  copy->volume_id = g_strdup (info->volume_id);
  copy->installer = info->installer;
  copy->live = info->live;
  copy->media = info->media != NULL ? g_object_ref (info->media) : NULL;

  return copy;
}

void
gh_media_info_free (GhMediaInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->path);
  g_free (info->os_id);
  g_free (info->os_name);
  g_free (info->volume_id);
  g_clear_object (&info->media);
  g_free (info);
}

typedef struct
{
  char     *path;
  OsinfoDb *db;
} IdentifyData;

static void
identify_data_free (IdentifyData *data)
{
  g_clear_object (&data->db);
  g_free (data->path);
  g_free (data);
}

/* libosinfo's own message for a file it cannot open names the path twice behind two
 * prefixes ("Failed to open file: Error opening file /x.iso: …"); opening it ourselves
 * first gives errno's words alone. */
static gboolean
check_readable (const char  *path,
                GError     **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *what = NULL;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      /* Translators: %s is a file name */
      what = g_strdup_printf (_("Cannot read “%s”"), name);
      _gh_error_set (error, GH_ERROR_FAILED, what, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_close (fd, NULL);
      /* Translators: %s is a file name */
      what = g_strdup_printf (_("“%s” is not install media"), name);
      _gh_error_set (error, GH_ERROR_FAILED, what, _("it is a folder"));
      return FALSE;
    }

  g_close (fd, NULL);
  return TRUE;
}

/* libosinfo's media errors read as ISO 9660 internals ("No \"ppc\" directory record
 * extent"); a person wants to know what is wrong with the file. */
static const char *
describe_media_error (const GError *error)
{
  if (error->domain != OSINFO_MEDIA_ERROR)
    return error->message;

  switch ((OsinfoMediaError) error->code)
    {
    case OSINFO_MEDIA_ERROR_NO_DESCRIPTORS:
    case OSINFO_MEDIA_ERROR_NO_PVD:
    case OSINFO_MEDIA_ERROR_NO_SVD:
    case OSINFO_MEDIA_ERROR_NO_DIRECTORY_RECORD_EXTENT:
      return _("it is not a CD or DVD image (ISO 9660)");

    case OSINFO_MEDIA_ERROR_INSUFFICIENT_METADATA:
    default:
      return error->message;
    }
}

static void
identify_media_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  IdentifyData *data = task_data;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(OsinfoMedia) media = NULL;
  g_autoptr(GhMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  OsinfoOs *os;

  if (!check_readable (data->path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Reads a few blocks of a file that may sit on a slow or network disk. libosinfo's
   * sync call runs its async one in a loop on the thread-default context, which in a
   * worker is the global default one: the main thread would then run its callbacks and
   * this worker could wait for ever. A context of its own keeps it all here. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  /* No OSINFO_MEDIA_DETECT_REQUIRE_BOOTABLE: a disc without a boot record (a driver or
   * data disc, or media of a system libosinfo has never heard of) is still the user's
   * choice of what goes into the machine's CD-ROM, as an unknown OS. */
  media = osinfo_media_create_from_location_with_flags (data->path, cancellable, 0, &error);
  g_main_context_pop_thread_default (context);
  if (media == NULL)
    {
      g_autofree char *name = g_filename_display_basename (data->path);
      g_autofree char *what = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      if (error->domain == OSINFO_MEDIA_ERROR)
        /* Translators: %s is a file name */
        what = g_strdup_printf (_("“%s” is not install media"), name);
      else
        /* Translators: %s is a file name */
        what = g_strdup_printf (_("Cannot read “%s”"), name);

      g_task_return_error (task, gh_error_new (GH_ERROR_FAILED, what,
                                               describe_media_error (error)));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  /* FALSE only means that no OS matched, which is an answer, not a failure. */
  osinfo_db_identify_media (data->db, media);

  info = g_new0 (GhMediaInfo, 1);
  info->path = g_strdup (data->path);
  info->volume_id = g_strdup (osinfo_media_get_volume_id (media));
  info->installer = osinfo_media_get_installer (media);
  info->live = osinfo_media_get_live (media);
  info->media = g_object_ref (media);

  os = osinfo_media_get_os (media);
  if (os != NULL)
    {
      info->os_id = g_strdup (osinfo_entity_get_id (OSINFO_ENTITY (os)));
      info->os_name = g_strdup (osinfo_product_get_name (OSINFO_PRODUCT (os)));
      g_object_unref (os);
    }

  g_task_return_pointer (task, g_steal_pointer (&info), (GDestroyNotify) gh_media_info_free);
}

static void
identify_media_run (GTask *task)
{
  GhOsDb *self = g_task_get_source_object (task);
  IdentifyData *data = g_task_get_task_data (task);

  /* The worker holds its own reference: the database never changes once loaded. */
  data->db = g_object_ref (self->db);
  g_task_run_in_thread (task, identify_media_thread);
}

static void
identify_media_db_loaded_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!gh_os_db_load_finish (GH_OS_DB (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  identify_media_run (task);
}

void
gh_os_db_identify_media_async (GhOsDb              *self,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  IdentifyData *data;

  g_return_if_fail (GH_IS_OS_DB (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_os_db_identify_media_async);

  data = g_new0 (IdentifyData, 1);
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) identify_data_free);

  if (self->db == NULL)
    {
      gh_os_db_load_async (self, cancellable, identify_media_db_loaded_cb,
                           g_steal_pointer (&task));
      return;
    }

  identify_media_run (task);
}

/**
 * gh_os_db_identify_media_finish:
 *
 * Returns: (transfer full) (nullable): what the media is, or NULL with @error set
 */
GhMediaInfo *
gh_os_db_identify_media_finish (GhOsDb        *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (GH_IS_OS_DB (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_os_db_identify_media_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- choosing an OS --------------------------------------------------------------- */

/**
 * gh_os_db_get_oses:
 *
 * Returns: (transfer none): the list of every OS, owned by @self
 */
GListModel *
gh_os_db_get_oses (GhOsDb *self)
{
  g_return_val_if_fail (GH_IS_OS_DB (self), NULL);
  return G_LIST_MODEL (self->oses);
}

gboolean
gh_os_db_os_is_eol (OsinfoOs *os)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDate) today = NULL;
  GDate *eol;
  gboolean is_eol;

  g_return_val_if_fail (OSINFO_IS_OS (os), FALSE);

  eol = osinfo_product_get_eol_date (OSINFO_PRODUCT (os));
  if (eol == NULL)
    return FALSE;

  now = g_date_time_new_now_local ();
  today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                          g_date_time_get_month (now),
                          g_date_time_get_year (now));
  is_eol = g_date_valid (eol) && g_date_compare (eol, today) < 0;
  g_date_free (eol);

  return is_eol;
}

/* Lower case without accents, so that "Débian", "DEBIAN" and "debian" are one word. */
static char *
fold_for_search (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *folded = g_utf8_casefold (valid, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  GString *result = g_string_sized_new (strlen (decomposed));

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* NFKD put every accent in a combining mark of its own. */
      if (!g_unichar_ismark (c))
        g_string_append_unichar (result, c);
    }

  return g_string_free (result, FALSE);
}

gboolean
gh_os_db_os_matches (OsinfoOs   *os,
                     const char *search)
{
  g_autoptr(GString) haystack = NULL;
  g_autoptr(GList) short_ids = NULL;
  g_autofree char *folded_haystack = NULL;
  g_autofree char *folded_search = NULL;
  g_auto(GStrv) words = NULL;
  const char *name;
  const char *vendor;

  g_return_val_if_fail (OSINFO_IS_OS (os), FALSE);

  if (search == NULL || search[0] == '\0')
    return TRUE;

  /* One line per field: a word has no newline, so no match spans two fields. */
  haystack = g_string_new (NULL);
  name = osinfo_product_get_name (OSINFO_PRODUCT (os));
  vendor = osinfo_product_get_vendor (OSINFO_PRODUCT (os));
  if (name != NULL)
    g_string_append_printf (haystack, "%s\n", name);
  if (vendor != NULL)
    g_string_append_printf (haystack, "%s\n", vendor);
  short_ids = osinfo_product_get_short_id_list (OSINFO_PRODUCT (os));
  for (GList *l = short_ids; l != NULL; l = l->next)
    g_string_append_printf (haystack, "%s\n", (const char *) l->data);

  folded_haystack = fold_for_search (haystack->str);
  folded_search = fold_for_search (search);
  words = g_strsplit_set (folded_search, " \t\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] != '\0' && strstr (folded_haystack, words[i]) == NULL)
        return FALSE;
    }

  return TRUE;
}
