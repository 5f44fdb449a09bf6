/* gh-os-facts.c: the driver facts of data/os-driver-facts.ini
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-os-facts.h"
#include "gh-os-resources.h"

#define FACTS_RESOURCE "/org/gnome/Greenhouse/core/os-driver-facts.ini"
#define FACTS_VERSION  1

/* The published facts the derivation rests on (see the data file's header). */
#define VERSION(major, minor) ((major) * 1000 + (minor))
#define LINUX_QXL          VERSION (3, 10)
#define LINUX_VIRTIO_GPU   VERSION (4, 2)
#define LINUX_VIRGL        VERSION (4, 4)
#define MESA_VIRGL         VERSION (11, 1)
#define LINUX_AMDGPU       VERSION (4, 2)

struct _GhOsFacts
{
  gatomicrefcount  ref_count;
  GPtrArray       *rows;    /* GhOsFactsRow*, in the file's order */
  GHashTable      *by_id;   /* short id → borrowed GhOsFactsRow* */
};

G_DEFINE_BOXED_TYPE (GhOsFacts, gh_os_facts, gh_os_facts_ref, gh_os_facts_unref)

static const char * const device_keys[GH_DRIVER_N_DEVICES] = {
  [GH_DRIVER_VIRTIO_GPU] = "virtio-gpu",
  [GH_DRIVER_VIRGL] = "virgl",
  [GH_DRIVER_QXL] = "qxl",
  [GH_DRIVER_VENDOR_GPU] = "vendor-gpu",
};

static const char * const addon_keys[GH_DRIVER_N_DEVICES] = {
  [GH_DRIVER_VIRTIO_GPU] = "virtio-gpu-addon",
  [GH_DRIVER_VIRGL] = NULL,
  [GH_DRIVER_QXL] = "qxl-addon",
  [GH_DRIVER_VENDOR_GPU] = NULL,
};

static const char * const known_keys[] = {
  "ids", "kernel", "mesa", "rolling", "backports", "x-qxl",
  "virtio-gpu", "virgl", "qxl", "vendor-gpu", "virtio-gpu-addon", "qxl-addon",
  "source", "verified", "note",
  NULL,
};

static void
row_free (GhOsFactsRow *row)
{
  g_free (row->label);
  g_strfreev (row->ids);
  for (guint i = 0; i < GH_DRIVER_N_DEVICES; i++)
    g_free (row->addon[i]);
  g_strfreev (row->sources);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhOsFactsRow, row_free)

GhOsFacts *
gh_os_facts_ref (GhOsFacts *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gh_os_facts_unref (GhOsFacts *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_ptr_array_unref (self->rows);
  g_hash_table_unref (self->by_id);
  g_free (self);
}

static gboolean
invalid (GError    **error,
         const char *group,
         const char *key,
         const char *why)
{
  /* Translators: the first %s is a group of a data file, the second a key in it, the
   * third what is wrong with it */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("Driver facts, [%s] %s: %s"), group, key, why);
  return FALSE;
}

/* "4.19" → 4019; an absent key is 0. */
static gboolean
read_version (GKeyFile   *file,
              const char *group,
              const char *key,
              guint      *version,
              GError    **error)
{
  g_autofree char *text = g_key_file_get_string (file, group, key, NULL);
  g_auto(GStrv) parts = NULL;
  guint64 major, minor;

  *version = 0;
  if (text == NULL)
    return TRUE;

  parts = g_strsplit (text, ".", -1);
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, 999, &major, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 0, 999, &minor, NULL))
    return invalid (error, group, key, _("not a version such as 4.19"));

  *version = VERSION ((guint) major, (guint) minor);
  return TRUE;
}

static gboolean
read_boolean (GKeyFile   *file,
              const char *group,
              const char *key,
              gboolean   *value,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = FALSE;
  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;

  *value = g_key_file_get_boolean (file, group, key, &local_error);
  if (local_error != NULL)
    return invalid (error, group, key, _("not true or false"));
  return TRUE;
}

/* true, false or unknown; @stated says whether the key is there at all. */
static gboolean
read_answer (GKeyFile       *file,
             const char     *group,
             const char     *key,
             gboolean       *stated,
             GhDriverAnswer *answer,
             GError        **error)
{
  g_autofree char *text = g_key_file_get_string (file, group, key, NULL);

  *stated = text != NULL;
  *answer = GH_DRIVER_UNKNOWN;
  if (text == NULL || g_str_equal (text, "unknown"))
    return TRUE;
  if (g_str_equal (text, "true"))
    *answer = GH_DRIVER_YES;
  else if (g_str_equal (text, "false"))
    *answer = GH_DRIVER_NO;
  else
    return invalid (error, group, key, _("not true, false or unknown"));
  return TRUE;
}

static gboolean
read_list (GKeyFile   *file,
           const char *group,
           const char *key,
           GStrv      *list,
           GError    **error)
{
  *list = g_key_file_get_string_list (file, group, key, NULL, NULL);
  if (*list == NULL || (*list)[0] == NULL)
    return invalid (error, group, key, _("missing or empty"));
  for (guint i = 0; (*list)[i] != NULL; i++)
    if (*(*list)[i] == '\0')
      return invalid (error, group, key, _("an empty item"));
  return TRUE;
}

static GhOsFactsRow *
read_row (GKeyFile   *file,
          const char *group,
          GError    **error)
{
  g_autoptr(GhOsFactsRow) row = g_new0 (GhOsFactsRow, 1);
  g_auto(GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);
  gboolean x_qxl_stated;

  row->label = g_strdup (group);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (known_keys, keys[i]))
      {
        invalid (error, group, keys[i], _("not a key of this format"));
        return NULL;
      }

  if (!read_list (file, group, "ids", &row->ids, error)
      || !read_list (file, group, "source", &row->sources, error)
      || !read_version (file, group, "kernel", &row->kernel, error)
      || !read_version (file, group, "mesa", &row->mesa, error)
      || !read_boolean (file, group, "rolling", &row->rolling, error)
      || !read_boolean (file, group, "backports", &row->backports, error)
      || !read_answer (file, group, "x-qxl", &x_qxl_stated, &row->x_qxl, error))
    return NULL;

  if (!g_key_file_has_key (file, group, "verified", NULL))
    {
      invalid (error, group, "verified", _("missing"));
      return NULL;
    }
  if (!read_boolean (file, group, "verified", &row->verified, error))
    return NULL;

  for (guint d = 0; d < GH_DRIVER_N_DEVICES; d++)
    {
      if (!read_answer (file, group, device_keys[d], &row->stated[d], &row->answer[d], error))
        return NULL;
      if (addon_keys[d] != NULL)
        row->addon[d] = g_key_file_get_string (file, group, addon_keys[d], NULL);
    }

  return g_steal_pointer (&row);
}

GhOsFacts *
gh_os_facts_new_from_data (const char *data,
                           gsize       length,
                           GError    **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GhOsFacts) self = NULL;
  g_auto(GStrv) groups = NULL;
  g_autoptr(GError) local_error = NULL;
  int version;

  g_return_val_if_fail (data != NULL, NULL);

  if (!g_key_file_load_from_data (file, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Driver facts: %s"), local_error->message);
      return NULL;
    }

  version = g_key_file_get_integer (file, "format", "version", &local_error);
  if (local_error != NULL)
    {
      invalid (error, "format", "version", _("missing or not a number"));
      return NULL;
    }
  if (version != FACTS_VERSION)
    {
      invalid (error, "format", "version", _("a version this Greenhouse cannot read"));
      return NULL;
    }

  self = g_new0 (GhOsFacts, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      GhOsFactsRow *row;

      if (g_str_equal (groups[i], "format"))
        continue;

      row = read_row (file, groups[i], error);
      if (row == NULL)
        return NULL;
      g_ptr_array_add (self->rows, row);

      for (guint j = 0; row->ids[j] != NULL; j++)
        if (!g_hash_table_insert (self->by_id, row->ids[j], row))
          {
            g_autofree char *why = NULL;

            /* Translators: %s is an operating system's short id, such as “debian10” */
            why = g_strdup_printf (_("%s is listed in another group too"), row->ids[j]);
            invalid (error, groups[i], "ids", why);
            return NULL;
          }
    }

  return g_steal_pointer (&self);
}

GhOsFacts *
gh_os_facts_get_default (void)
{
  static GhOsFacts *facts;
  static gsize loaded_once;

  if (g_once_init_enter (&loaded_once))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      GhOsFacts *loaded = NULL;

      bytes = g_resource_lookup_data (gh_os_get_resource (), FACTS_RESOURCE,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes != NULL)
        loaded = gh_os_facts_new_from_data (g_bytes_get_data (bytes, NULL),
                                            g_bytes_get_size (bytes), &error);
      if (loaded == NULL)
        {
          /* The tests load the same file: this cannot happen in a build that passed. */
          g_critical ("The built-in driver facts cannot be read: %s", error->message);
          loaded = gh_os_facts_new_from_data ("[format]\nversion=1\n", -1, NULL);
        }

      facts = loaded;
      g_once_init_leave (&loaded_once, 1);
    }

  return facts;
}

GPtrArray *
gh_os_facts_get_rows (GhOsFacts *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->rows;
}

const GhOsFactsRow *
gh_os_facts_lookup (GhOsFacts  *self,
                    const char *short_id)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (short_id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, short_id);
}

const GhOsFactsRow *
gh_os_facts_lookup_os (GhOsFacts *self,
                       OsinfoOs  *os)
{
  g_autoptr(GList) short_ids = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (os == NULL)
    return NULL;

  short_ids = osinfo_product_get_short_id_list (OSINFO_PRODUCT (os));
  for (GList *l = short_ids; l != NULL; l = l->next)
    {
      const GhOsFactsRow *row = g_hash_table_lookup (self->by_id, l->data);

      if (row != NULL)
        return row;
    }

  return NULL;
}

/* A version compared with the one a driver arrived in: too old is "no", except where the
 * vendor backports drivers into old-numbered kernels, or the version is only a floor (a
 * rolling distribution). */
static GhDriverAnswer
compare (const GhOsFactsRow *row,
         guint               have,
         guint               need,
         gboolean            backportable)
{
  if (have == 0)
    return GH_DRIVER_UNKNOWN;
  if (have >= need)
    return GH_DRIVER_YES;
  if (row->rolling || (backportable && row->backports))
    return GH_DRIVER_UNKNOWN;
  return GH_DRIVER_NO;
}

GhDriverAnswer
gh_os_facts_row_answer (const GhOsFactsRow *row,
                        GhDriverDevice      device,
                        GhDriverBecause    *because)
{
  GhDriverAnswer answer = GH_DRIVER_UNKNOWN;
  GhDriverBecause dummy;

  g_return_val_if_fail (device < GH_DRIVER_N_DEVICES, GH_DRIVER_UNKNOWN);

  if (because == NULL)
    because = &dummy;
  *because = GH_DRIVER_BECAUSE_NOTHING;

  if (row == NULL)
    return GH_DRIVER_UNKNOWN;

  /* "unknown" stated: do not derive. */
  if (row->stated[device])
    {
      if (row->answer[device] != GH_DRIVER_UNKNOWN)
        *because = GH_DRIVER_BECAUSE_STATED;
      return row->answer[device];
    }

  switch (device)
    {
    case GH_DRIVER_VIRTIO_GPU:
      answer = compare (row, row->kernel, LINUX_VIRTIO_GPU, TRUE);
      break;

    case GH_DRIVER_VIRGL:
      {
        GhDriverAnswer kernel = compare (row, row->kernel, LINUX_VIRGL, TRUE);
        /* Mesa is a userspace package: never backported into an older number. */
        GhDriverAnswer mesa = compare (row, row->mesa, MESA_VIRGL, FALSE);

        if (kernel == GH_DRIVER_NO || mesa == GH_DRIVER_NO)
          answer = GH_DRIVER_NO;
        else if (kernel == GH_DRIVER_YES && mesa == GH_DRIVER_YES)
          answer = GH_DRIVER_YES;
      }
      break;

    case GH_DRIVER_QXL:
      answer = compare (row, row->kernel, LINUX_QXL, TRUE);
      if (answer != GH_DRIVER_YES && row->x_qxl == GH_DRIVER_YES)
        {
          *because = GH_DRIVER_BECAUSE_X_DRIVER;
          return GH_DRIVER_YES;
        }
      /* Without KMS, only a known absence of the X driver is a "no". */
      if (answer == GH_DRIVER_NO && row->x_qxl != GH_DRIVER_NO)
        answer = GH_DRIVER_UNKNOWN;
      break;

    case GH_DRIVER_VENDOR_GPU:
      /* Linux drives Intel's, AMD's (amdgpu, from 4.2) and NVIDIA's GPUs (nouveau, and
       * NVIDIA's own driver); an older kernel may still drive some: never a "no". */
      answer = compare (row, row->kernel, LINUX_AMDGPU, TRUE);
      if (answer == GH_DRIVER_NO)
        answer = GH_DRIVER_UNKNOWN;
      break;

    case GH_DRIVER_N_DEVICES:
    default:
      g_assert_not_reached ();
    }

  if (answer != GH_DRIVER_UNKNOWN)
    *because = GH_DRIVER_BECAUSE_KERNEL;
  return answer;
}

char *
gh_os_facts_version_to_string (guint version)
{
  return g_strdup_printf ("%u.%u", version / 1000, version % 1000);
}
