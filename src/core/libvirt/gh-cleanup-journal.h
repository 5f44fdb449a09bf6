/* gh-cleanup-journal.h: what an unfinished create, delete or finish must still take back
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to src/core and its tests.
 */

#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef enum
{
  GH_CLEANUP_VOLUME,   /* a storage volume: by path, or by pool and volume name */
  GH_CLEANUP_DOMAIN,   /* a half-made domain, by UUID */
  GH_CLEANUP_POOL,     /* a storage pool a create defined, by name and directory */
} GhCleanupKind;

/* One thing to take back. Names, paths and UUIDs only: never a secret. */
typedef struct
{
  GhCleanupKind  kind;
  char          *machine;    /* the machine it was made for, to name it to the user */
  char          *pool;       /* volume: its pool; pool: its name */
  char          *volume;     /* volume: its name in @pool */
  char          *path;       /* volume: its path; pool: its directory */
  char          *uuid;       /* domain */
  char          *first_dir;  /* pool: the outermost directory the create made, or NULL */
} GhCleanupEntry;

void              _gh_cleanup_entry_free             (GhCleanupEntry    *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCleanupEntry, _gh_cleanup_entry_free)

typedef struct _GhCleanupJournal GhCleanupJournal;

/* A journal kept in the file @path (written atomically, mode 0600), read from it now;
 * NULL @path: in memory only. Any thread. */
GhCleanupJournal *_gh_cleanup_journal_new            (const char        *path);
/* Where the journal of @uri lives, or NULL when it is kept in memory only (the test
 * driver, whose machines die with the process). */
char             *_gh_cleanup_journal_dup_path_for_uri (const char      *uri);
/* The one journal of @uri in this process, read from its file the first time. */
GhCleanupJournal *_gh_cleanup_journal_dup_for_uri    (const char        *uri);
/* Worker: the same for the URI @conn was opened with. */
GhCleanupJournal *_gh_cleanup_journal_dup_for_conn   (virConnectPtr      conn);
GhCleanupJournal *_gh_cleanup_journal_ref            (GhCleanupJournal  *self);
void              _gh_cleanup_journal_unref          (GhCleanupJournal  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhCleanupJournal, _gh_cleanup_journal_unref)

/* Brackets one operation that adds records: a cleanup waits until every operation in
 * flight has ended, so it never takes back what a live one is still making. */
void              _gh_cleanup_journal_begin          (GhCleanupJournal  *self);
void              _gh_cleanup_journal_end            (GhCleanupJournal  *self);

/* Records @entry (copied) and saves the journal before returning: call it before the
 * step that makes the thing. Returns the record's id, never 0. */
guint64           _gh_cleanup_journal_add            (GhCleanupJournal  *self,
                                                      const GhCleanupEntry *entry);
guint64           _gh_cleanup_journal_add_volume     (GhCleanupJournal  *self,
                                                      const char        *machine,
                                                      const char        *pool,
                                                      const char        *volume,
                                                      const char        *path);
guint64           _gh_cleanup_journal_add_domain     (GhCleanupJournal  *self,
                                                      const char        *machine,
                                                      const char        *uuid);
guint64           _gh_cleanup_journal_add_pool       (GhCleanupJournal  *self,
                                                      const char        *pool,
                                                      const char        *path,
                                                      const char        *first_dir);
/* The thing's fate is settled (kept by a complete machine, or taken back): forgets the
 * record and saves. 0 is ignored. */
void              _gh_cleanup_journal_remove         (GhCleanupJournal  *self,
                                                      guint64            id);

/* Copies of the records, oldest first. */
GPtrArray        *_gh_cleanup_journal_dup_entries    (GhCleanupJournal  *self);

/* Worker: takes back what the records name, once no operation is in flight. A domain
 * goes only if it is still the one recorded (UUID) and not running; a volume only if no
 * defined domain names it; a pool only if it holds no volume. What could not be taken
 * back is in @error, in words for the user; a connection that dies meanwhile leaves the
 * rest for the next run. @n_done: how many records were settled. */
gboolean          _gh_cleanup_journal_run            (GhCleanupJournal  *self,
                                                      virConnectPtr      conn,
                                                      guint             *n_done,
                                                      GError           **error);

/* Worker: undefines @domain, which Greenhouse made, with its NVRAM and TPM state as far
 * as the driver knows them. */
gboolean          _gh_cleanup_undefine_domain        (virDomainPtr       domain);

G_END_DECLS
