/* gh-cleanup-journal.c: what an unfinished create, delete or finish must still take back
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "gh-cleanup-journal.h"
#include "gh-domain-disks.h"
#include "gh-error-private.h"
#include "gh-storage.h"

/* A create, a delete or the end of an express install makes or unlinks things one call
 * at a time, and takes them back itself when a step fails. That needs a daemon: one that
 * dies in the middle, or Greenhouse dying itself, would leave a disk, a half-made machine
 * or an initrd that holds the user's password behind. So each of them writes down what
 * a failure must undo *before* the step that makes it, and forgets it once its fate is
 * settled; after every (re)connection a worker takes back what is still written down.
 *
 * The file holds names, paths and UUIDs, one per connection URI, under the user's data
 * directory. It is rewritten whole, atomically, at every change: a crash leaves the old
 * or the new one, never half of each. Operations in flight hold @ops for reading and a
 * cleanup holds it for writing, so a cleanup never takes back what a live operation is
 * still making, and one that waited sees all that ended before it. */

#define JOURNAL_GROUP "journal"
#define ENTRY_PREFIX  "entry "

struct _GhCleanupJournal
{
  gatomicrefcount  ref_count;
  char            *path;       /* NULL: memory only */
  GRWLock          ops;

  /* Guarded by @lock */
  GMutex           lock;
  GArray          *ids;        /* guint64, one per entry */
  GPtrArray       *entries;    /* GhCleanupEntry* */
  guint64          next_id;
  GError          *load_error; /* reported by the next run */
  char            *made_dir;   /* the outermost folder of @path this process made */
};

static const char * const kind_names[] = {
  [GH_CLEANUP_VOLUME] = "volume",
  [GH_CLEANUP_DOMAIN] = "domain",
  [GH_CLEANUP_POOL] = "pool",
};

void
_gh_cleanup_entry_free (GhCleanupEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->machine);
  g_free (entry->pool);
  g_free (entry->volume);
  g_free (entry->path);
  g_free (entry->uuid);
  g_free (entry->first_dir);
  g_free (entry);
}

static GhCleanupEntry *
entry_copy (const GhCleanupEntry *entry)
{
  GhCleanupEntry *copy = g_new0 (GhCleanupEntry, 1);

  copy->kind = entry->kind;
  copy->machine = g_strdup (entry->machine);
  copy->pool = g_strdup (entry->pool);
  copy->volume = g_strdup (entry->volume);
  copy->path = g_strdup (entry->path);
  copy->uuid = g_strdup (entry->uuid);
  copy->first_dir = g_strdup (entry->first_dir);
  return copy;
}

/* Whether @entry says enough to find what it names again. */
static gboolean
entry_is_usable (const GhCleanupEntry *entry)
{
  switch (entry->kind)
    {
    case GH_CLEANUP_VOLUME:
      return entry->path != NULL || (entry->pool != NULL && entry->volume != NULL);
    case GH_CLEANUP_DOMAIN:
      return entry->uuid != NULL && g_uuid_string_is_valid (entry->uuid);
    case GH_CLEANUP_POOL:
      return entry->pool != NULL && entry->path != NULL;
    default:
      return FALSE;
    }
}

/* ---- The file ----------------------------------------------------------------------- */

static void
set_key (GKeyFile   *file,
         const char *group,
         const char *key,
         const char *value)
{
  if (value != NULL)
    g_key_file_set_string (file, group, key, value);
}

/* Called with @lock held. A journal that cannot be saved still covers a daemon that dies
 * while Greenhouse runs; only a crash of Greenhouse itself would then leave things. */
static void
save_locked (GhCleanupJournal *self)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  gsize length;

  if (self->path == NULL)
    return;

  /* Nothing to take back, nothing on disk: not even the folders we made, which would
   * otherwise be all that is left of Greenhouse after a failed first create. */
  if (self->entries->len == 0)
    {
      if (g_unlink (self->path) != 0 && errno != ENOENT)
        g_message ("Could not remove %s: %s", self->path, g_strerror (errno));
      dir = g_path_get_dirname (self->path);
      _gh_storage_remove_made_dirs (dir, self->made_dir);
      g_clear_pointer (&self->made_dir, g_free);
      return;
    }

  file = g_key_file_new ();
  for (guint i = 0; i < self->entries->len; i++)
    {
      const GhCleanupEntry *entry = g_ptr_array_index (self->entries, i);
      g_autofree char *group = g_strdup_printf (ENTRY_PREFIX "%u", i + 1);

      g_key_file_set_string (file, group, "kind", kind_names[entry->kind]);
      set_key (file, group, "machine", entry->machine);
      set_key (file, group, "pool", entry->pool);
      set_key (file, group, "volume", entry->volume);
      set_key (file, group, "path", entry->path);
      set_key (file, group, "uuid", entry->uuid);
      set_key (file, group, "first-dir", entry->first_dir);
    }
  data = g_key_file_to_data (file, &length, NULL);

  dir = g_path_get_dirname (self->path);
  if (self->made_dir == NULL)
    self->made_dir = _gh_storage_dup_first_missing_dir (dir);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_message ("Could not make %s: %s", dir, g_strerror (errno));
      g_clear_pointer (&self->made_dir, g_free);
      return;
    }
  if (!g_file_set_contents_full (self->path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    g_message ("Could not save what is left to clean up: %s", error->message);
}

static GhCleanupEntry *
read_entry (GKeyFile   *file,
            const char *group)
{
  g_autoptr(GhCleanupEntry) entry = g_new0 (GhCleanupEntry, 1);
  g_autofree char *kind = g_key_file_get_string (file, group, "kind", NULL);
  gboolean known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind, kind_names[i]) == 0)
      {
        entry->kind = (GhCleanupKind) i;
        known = TRUE;
      }
  if (!known)
    return NULL;

  entry->machine = g_key_file_get_string (file, group, "machine", NULL);
  entry->pool = g_key_file_get_string (file, group, "pool", NULL);
  entry->volume = g_key_file_get_string (file, group, "volume", NULL);
  entry->path = g_key_file_get_string (file, group, "path", NULL);
  entry->uuid = g_key_file_get_string (file, group, "uuid", NULL);
  entry->first_dir = g_key_file_get_string (file, group, "first-dir", NULL);

  return entry_is_usable (entry) ? g_steal_pointer (&entry) : NULL;
}

/* Reads the file; one that cannot be read is kept beside it, under another name, so that
 * what it says is not lost, and the next run says so. */
static void
load (GhCleanupJournal *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (file, self->path, G_KEY_FILE_NONE, &error))
    {
      g_autofree char *aside = NULL;
      g_autofree char *detail = NULL;

      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return;

      aside = g_strconcat (self->path, ".broken", NULL);
      if (g_rename (self->path, aside) != 0)
        g_clear_pointer (&aside, g_free);

      /* Translators: the first %s is why a file could not be read, the second its new name */
      detail = aside != NULL ? g_strdup_printf (_("%s; it was kept as “%s”"), error->message, aside)
                             : g_strdup (error->message);
      self->load_error =
        gh_error_new (GH_ERROR_FAILED,
                      _("Greenhouse could not read its list of what unfinished tasks left behind"),
                      detail);
      return;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      GhCleanupEntry *entry;
      guint64 id;

      if (!g_str_has_prefix (groups[i], ENTRY_PREFIX))
        continue;

      entry = read_entry (file, groups[i]);
      if (entry == NULL)
        {
          g_message ("%s: skipping [%s], which names nothing Greenhouse can find",
                     self->path, groups[i]);
          continue;
        }
      id = ++self->next_id;
      g_array_append_val (self->ids, id);
      g_ptr_array_add (self->entries, entry);
    }
}

/* ---- The journal -------------------------------------------------------------------- */

GhCleanupJournal *
_gh_cleanup_journal_new (const char *path)
{
  GhCleanupJournal *self = g_new0 (GhCleanupJournal, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_rw_lock_init (&self->ops);
  g_mutex_init (&self->lock);
  self->path = g_strdup (path);
  self->ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _gh_cleanup_entry_free);

  if (self->path != NULL)
    load (self);

  return self;
}

GhCleanupJournal *
_gh_cleanup_journal_ref (GhCleanupJournal *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
_gh_cleanup_journal_unref (GhCleanupJournal *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_rw_lock_clear (&self->ops);
  g_mutex_clear (&self->lock);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_error (&self->load_error);
  g_free (self->path);
  g_free (self->made_dir);
  g_free (self);
}

char *
_gh_cleanup_journal_dup_path_for_uri (const char *uri)
{
  g_autofree char *escaped = NULL;
  g_autofree char *file = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  /* The test driver's machines live and die with the process that opened it: a record
   * of them could only ever name another process's machines. */
  if (g_str_has_prefix (uri, "test:"))
    return NULL;

  /* One file per connection, named so that no URI can reach outside the folder. */
  escaped = g_uri_escape_string (uri, NULL, FALSE);
  file = g_strconcat (escaped, ".ini", NULL);
  return g_build_filename (g_get_user_data_dir (), "greenhouse", "cleanup", file, NULL);
}

GhCleanupJournal *
_gh_cleanup_journal_dup_for_uri (const char *uri)
{
  static GMutex registry_lock;
  static GHashTable *registry;   /* URI → GhCleanupJournal*, for the life of the process */
  GhCleanupJournal *self;

  g_return_val_if_fail (uri != NULL, NULL);

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) _gh_cleanup_journal_unref);
  self = g_hash_table_lookup (registry, uri);
  if (self == NULL)
    {
      g_autofree char *path = _gh_cleanup_journal_dup_path_for_uri (uri);

      self = _gh_cleanup_journal_new (path);
      g_hash_table_insert (registry, g_strdup (uri), self);
    }
  _gh_cleanup_journal_ref (self);
  g_mutex_unlock (&registry_lock);

  return self;
}

GhCleanupJournal *
_gh_cleanup_journal_dup_for_conn (virConnectPtr conn)
{
  /* libvirt formats the URI it keeps: no daemon is asked. */
  char *uri = virConnectGetURI (conn);
  GhCleanupJournal *self;

  if (uri == NULL)
    {
      virResetLastError ();
      return _gh_cleanup_journal_new (NULL);
    }

  self = _gh_cleanup_journal_dup_for_uri (uri);
  free (uri);
  return self;
}

void
_gh_cleanup_journal_begin (GhCleanupJournal *self)
{
  g_rw_lock_reader_lock (&self->ops);
}

void
_gh_cleanup_journal_end (GhCleanupJournal *self)
{
  g_rw_lock_reader_unlock (&self->ops);
}

guint64
_gh_cleanup_journal_add (GhCleanupJournal     *self,
                         const GhCleanupEntry *entry)
{
  guint64 id;

  g_return_val_if_fail (entry_is_usable (entry), 0);

  g_mutex_lock (&self->lock);
  id = ++self->next_id;
  g_array_append_val (self->ids, id);
  g_ptr_array_add (self->entries, entry_copy (entry));
  save_locked (self);
  g_mutex_unlock (&self->lock);

  return id;
}

guint64
_gh_cleanup_journal_add_volume (GhCleanupJournal *self,
                                const char       *machine,
                                const char       *pool,
                                const char       *volume,
                                const char       *path)
{
  GhCleanupEntry entry = {
    .kind = GH_CLEANUP_VOLUME,
    .machine = (char *) machine,
    .pool = (char *) pool,
    .volume = (char *) volume,
    .path = (char *) path,
  };

  return _gh_cleanup_journal_add (self, &entry);
}

guint64
_gh_cleanup_journal_add_domain (GhCleanupJournal *self,
                                const char       *machine,
                                const char       *uuid)
{
  GhCleanupEntry entry = {
    .kind = GH_CLEANUP_DOMAIN,
    .machine = (char *) machine,
    .uuid = (char *) uuid,
  };

  return _gh_cleanup_journal_add (self, &entry);
}

guint64
_gh_cleanup_journal_add_pool (GhCleanupJournal *self,
                              const char       *pool,
                              const char       *path,
                              const char       *first_dir)
{
  GhCleanupEntry entry = {
    .kind = GH_CLEANUP_POOL,
    .pool = (char *) pool,
    .path = (char *) path,
    .first_dir = (char *) first_dir,
  };

  return _gh_cleanup_journal_add (self, &entry);
}

void
_gh_cleanup_journal_remove (GhCleanupJournal *self,
                            guint64           id)
{
  if (id == 0)
    return;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, guint64, i) == id)
      {
        g_array_remove_index (self->ids, i);
        g_ptr_array_remove_index (self->entries, i);
        save_locked (self);
        break;
      }
  g_mutex_unlock (&self->lock);
}

/* With @lock held: copies of the records and their ids. */
static GPtrArray *
dup_entries_locked (GhCleanupJournal  *self,
                    GArray           **ids)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) _gh_cleanup_entry_free);

  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (copy, entry_copy (g_ptr_array_index (self->entries, i)));
  if (ids != NULL)
    {
      *ids = g_array_sized_new (FALSE, FALSE, sizeof (guint64), self->ids->len);
      g_array_append_vals (*ids, self->ids->data, self->ids->len);
    }

  return copy;
}

GPtrArray *
_gh_cleanup_journal_dup_entries (GhCleanupJournal *self)
{
  GPtrArray *copy;

  g_mutex_lock (&self->lock);
  copy = dup_entries_locked (self, NULL);
  g_mutex_unlock (&self->lock);

  return copy;
}

/* ---- Cleaning up -------------------------------------------------------------------- */

/* What every domain names, read once per run: a volume that any of them names belongs to
 * a machine and stays. */
typedef struct
{
  GPtrArray *xmls;   /* char*: inactive definitions, and live ones of running domains */
} Usage;

static gboolean
usage_read (virConnectPtr  conn,
            Usage         *usage)
{
  virDomainPtr *domains = NULL;
  int n;

  usage->xmls = g_ptr_array_new_with_free_func (g_free);

  n = virConnectListAllDomains (conn, &domains, 0);
  if (n < 0)
    return FALSE;

  for (int i = 0; i < n; i++)
    {
      const unsigned int flags[] = { VIR_DOMAIN_XML_INACTIVE, 0 };

      for (guint j = 0; j < G_N_ELEMENTS (flags); j++)
        {
          char *xml = virDomainGetXMLDesc (domains[i], flags[j]);

          /* Gone meanwhile: it names nothing. */
          if (xml != NULL)
            g_ptr_array_add (usage->xmls, g_strdup (xml));
          free (xml);
        }
      virDomainFree (domains[i]);
    }
  free (domains);
  virResetLastError ();

  return TRUE;
}

static void
usage_clear (Usage *usage)
{
  g_clear_pointer (&usage->xmls, g_ptr_array_unref);
}

/* Whether a domain names the volume @name of pool @pool at @path. Plain text is enough
 * for a path: a false match only keeps a file that could have gone. */
static gboolean
usage_names_volume (Usage      *usage,
                    const char *pool,
                    const char *name,
                    const char *path)
{
  g_autofree char *escaped = path != NULL ? g_markup_escape_text (path, -1) : NULL;

  for (guint i = 0; i < usage->xmls->len; i++)
    {
      const char *xml = g_ptr_array_index (usage->xmls, i);
      g_autoptr(GPtrArray) disks = NULL;

      if (path != NULL && (strstr (xml, path) != NULL || strstr (xml, escaped) != NULL))
        return TRUE;

      disks = _gh_domain_disks_from_xml (xml, NULL);
      for (guint j = 0; disks != NULL && j < disks->len; j++)
        {
          const GhDomainDisk *disk = g_ptr_array_index (disks, j);

          if (disk->pool != NULL && g_strcmp0 (disk->pool, pool) == 0
              && g_strcmp0 (disk->volume, name) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

typedef enum
{
  SETTLED,     /* gone, or now a complete machine's: the record goes */
  FAILED,      /* libvirt refused: said to the user, and the record goes */
  LOST,        /* the daemon went away: the record stays for the next run */
} Outcome;

/* After a failed call: whether the connection itself failed, rather than the call. */
static Outcome
failure_outcome (virConnectPtr conn)
{
  return virConnectIsAlive (conn) == 1 ? FAILED : LOST;
}

gboolean
_gh_cleanup_undefine_domain (virDomainPtr domain)
{
  /* It may have NVRAM (UEFI) and TPM state after a start; drivers that do not know a
   * flag reject it, and only then is the next try made with fewer. */
  const unsigned int tries[] = {
    VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_TPM,
    VIR_DOMAIN_UNDEFINE_NVRAM,
    0,
  };

  for (guint i = 0; i < G_N_ELEMENTS (tries); i++)
    {
      virErrorPtr err;

      if (virDomainUndefineFlags (domain, tries[i]) == 0)
        return TRUE;

      err = virGetLastError ();
      if (err == NULL || (err->code != VIR_ERR_INVALID_ARG && err->code != VIR_ERR_NO_SUPPORT))
        break;
    }

  return FALSE;
}

static Outcome
clean_domain (virConnectPtr         conn,
              const GhCleanupEntry *entry)
{
  virDomainPtr domain;
  Outcome outcome;

  domain = virDomainLookupByUUIDString (conn, entry->uuid);
  if (domain == NULL)
    return virGetLastErrorCode () == VIR_ERR_NO_DOMAIN ? SETTLED : failure_outcome (conn);

  /* Running: somebody started it, so it is somebody's machine now. */
  switch (virDomainIsActive (domain))
    {
    case 0:
      outcome = _gh_cleanup_undefine_domain (domain) ? SETTLED : failure_outcome (conn);
      break;
    case 1:
      outcome = SETTLED;
      break;
    default:
      outcome = failure_outcome (conn);
      break;
    }

  virDomainFree (domain);
  return outcome;
}

static virStorageVolPtr
lookup_volume (virConnectPtr         conn,
               const GhCleanupEntry *entry)
{
  virStoragePoolPtr pool;
  virStorageVolPtr volume;

  if (entry->path != NULL)
    return virStorageVolLookupByPath (conn, entry->path);

  pool = virStoragePoolLookupByName (conn, entry->pool);
  if (pool == NULL)
    return NULL;
  /* Volumes are only known once their pool has looked at its directory again. */
  virStoragePoolRefresh (pool, 0);
  volume = virStorageVolLookupByName (pool, entry->volume);
  virStoragePoolFree (pool);

  return volume;
}

static Outcome
clean_volume (virConnectPtr         conn,
              Usage                *usage,
              const GhCleanupEntry *entry)
{
  g_autofree char *path = NULL;
  g_autofree char *pool_name = NULL;
  virStoragePoolPtr pool;
  virStorageVolPtr volume;
  Outcome outcome;
  char *text;

  volume = lookup_volume (conn, entry);
  if (volume == NULL)
    {
      int code = virGetLastErrorCode ();

      return code == VIR_ERR_NO_STORAGE_VOL || code == VIR_ERR_NO_STORAGE_POOL
             ? SETTLED : failure_outcome (conn);
    }

  text = virStorageVolGetPath (volume);
  path = g_strdup (text);
  free (text);
  pool = virStoragePoolLookupByVolume (volume);
  if (pool != NULL)
    {
      pool_name = g_strdup (virStoragePoolGetName (pool));
      virStoragePoolFree (pool);
    }
  virResetLastError ();

  if (usage_names_volume (usage, pool_name, virStorageVolGetName (volume), path))
    outcome = SETTLED;
  else if (virStorageVolDelete (volume, 0) == 0)
    outcome = SETTLED;
  else
    outcome = failure_outcome (conn);

  virStorageVolFree (volume);
  return outcome;
}

static Outcome
clean_pool (virConnectPtr         conn,
            const GhCleanupEntry *entry)
{
  GhStorageUndo undo = { .defined = TRUE, .first_dir = g_strdup (entry->first_dir) };
  virStoragePoolPtr pool;
  g_autofree char *xml = NULL;
  g_autofree char *target = NULL;
  Outcome outcome = SETTLED;
  char *text;
  int n_volumes;

  pool = virStoragePoolLookupByName (conn, entry->pool);
  if (pool == NULL)
    {
      _gh_storage_undo_clear (&undo);
      return virGetLastErrorCode () == VIR_ERR_NO_STORAGE_POOL ? SETTLED : failure_outcome (conn);
    }

  /* Another pool of that name, made since by someone else, is not ours. */
  text = virStoragePoolGetXMLDesc (pool, 0);
  xml = g_strdup (text);
  free (text);
  target = g_markup_printf_escaped ("<path>%s</path>", entry->path);
  if (xml == NULL || strstr (xml, target) == NULL)
    {
      outcome = xml == NULL ? failure_outcome (conn) : SETTLED;
      goto out;
    }

  /* A pool that was left before it could be built cannot start: it holds nothing. One
   * that starts and holds volumes is in use, whoever made it. */
  if (virStoragePoolIsActive (pool) != 1 && virStoragePoolCreate (pool, 0) < 0)
    virResetLastError ();
  if (virStoragePoolIsActive (pool) == 1)
    {
      virStoragePoolRefresh (pool, 0);
      n_volumes = virStoragePoolNumOfVolumes (pool);
      if (n_volumes != 0)
        {
          outcome = n_volumes > 0 ? SETTLED : failure_outcome (conn);
          goto out;
        }
      undo.started = TRUE;
    }

  if (!_gh_storage_undo_pool (pool, &undo))
    outcome = failure_outcome (conn);

out:
  _gh_storage_undo_clear (&undo);
  virStoragePoolFree (pool);
  return outcome;
}

static gboolean
has_kind (GPtrArray     *entries,
          GhCleanupKind  kind)
{
  for (guint i = 0; i < entries->len; i++)
    if (((GhCleanupEntry *) g_ptr_array_index (entries, i))->kind == kind)
      return TRUE;

  return FALSE;
}

/* How the user knows what could not go. */
static char *
describe_entry (const GhCleanupEntry *entry,
                const char           *reason)
{
  switch (entry->kind)
    {
    case GH_CLEANUP_DOMAIN:
      /* Translators: the first %s is a machine's name, the second why it failed */
      return g_strdup_printf (_("the unfinished machine “%s” (%s)"),
                              entry->machine != NULL ? entry->machine : entry->uuid, reason);
    case GH_CLEANUP_POOL:
      /* Translators: the first %s is a folder, the second why it failed */
      return g_strdup_printf (_("the storage folder “%s” (%s)"), entry->path, reason);
    case GH_CLEANUP_VOLUME:
    default:
      /* Translators: the first %s is a file, the second why it failed */
      return g_strdup_printf (_("the file “%s” (%s)"),
                              entry->path != NULL ? entry->path : entry->volume, reason);
    }
}

gboolean
_gh_cleanup_journal_run (GhCleanupJournal  *self,
                         virConnectPtr      conn,
                         guint             *n_done,
                         GError           **error)
{
  /* Domains first: a volume that only a half-made domain named is free once it is gone,
   * and a pool is empty once its volumes are. */
  const GhCleanupKind order[] = { GH_CLEANUP_DOMAIN, GH_CLEANUP_VOLUME, GH_CLEANUP_POOL };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) load_error = NULL;
  Usage usage = { NULL };
  gboolean lost = FALSE;
  guint done = 0;

  g_rw_lock_writer_lock (&self->ops);

  g_mutex_lock (&self->lock);
  entries = dup_entries_locked (self, &ids);
  load_error = g_steal_pointer (&self->load_error);
  g_mutex_unlock (&self->lock);

  for (guint k = 0; k < G_N_ELEMENTS (order) && !lost; k++)
    {
      /* Every domain's definition is read only when a volume must be judged: a journal
       * with nothing in it costs a connection to a thousand machines nothing. */
      if (order[k] == GH_CLEANUP_VOLUME && has_kind (entries, GH_CLEANUP_VOLUME)
          && !usage_read (conn, &usage))
        {
          lost = TRUE;
          break;
        }

      for (guint i = 0; i < entries->len && !lost; i++)
        {
          const GhCleanupEntry *entry = g_ptr_array_index (entries, i);
          Outcome outcome;

          if (entry->kind != order[k])
            continue;

          switch (entry->kind)
            {
            case GH_CLEANUP_DOMAIN:
              outcome = clean_domain (conn, entry);
              break;
            case GH_CLEANUP_VOLUME:
              outcome = clean_volume (conn, &usage, entry);
              break;
            case GH_CLEANUP_POOL:
            default:
              outcome = clean_pool (conn, entry);
              break;
            }

          if (outcome == LOST)
            {
              lost = TRUE;
              break;
            }
          if (outcome == FAILED)
            g_ptr_array_add (failures, describe_entry (entry, virGetLastErrorMessage ()));

          _gh_cleanup_journal_remove (self, g_array_index (ids, guint64, i));
          done++;
          virResetLastError ();
        }
    }

  usage_clear (&usage);
  virResetLastError ();
  g_rw_lock_writer_unlock (&self->ops);

  if (n_done != NULL)
    *n_done = done;

  if (load_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&load_error));
      return FALSE;
    }

  if (failures->len > 0)
    {
      g_autofree char *detail = NULL;

      g_ptr_array_add (failures, NULL);
      detail = g_strjoinv ("; ", (char **) failures->pdata);
      _gh_error_set (error, GH_ERROR_STORAGE,
                     _("Greenhouse could not remove what an unfinished task left behind"),
                     detail);
      return FALSE;
    }

  return TRUE;
}
