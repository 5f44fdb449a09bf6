/* test-cleanup-journal.c: what an unfinished create, delete or finish leaves to take back
 *
 * The journal is what survives a dead daemon or a crash of Greenhouse: its file is read
 * here as the next start would, and its cleanup runs against the libvirt test driver.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "gh-cleanup-journal.h"
#include "gh-test-util.h"

#define TEST_URI "test:///default"
#define POOL     "default-pool"

static char *tmp_dir;

static char *
journal_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static GhCleanupEntry *
entry_at (GPtrArray *entries,
          guint      i)
{
  return g_ptr_array_index (entries, i);
}

/* Written before the step, read back by the next start: each record, in order. */
static void
test_record_and_clear (void)
{
  g_autofree char *path = journal_path ("record.ini");
  g_autoptr(GhCleanupJournal) journal = _gh_cleanup_journal_new (path);
  g_autoptr(GhCleanupJournal) again = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *contents = NULL;
  guint64 volume, domain, pool;
  GStatBuf st;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  volume = _gh_cleanup_journal_add_volume (journal, "Fedora", POOL, "fedora.qcow2", NULL);
  domain = _gh_cleanup_journal_add_domain (journal, "Fedora",
                                           "6695eb01-f6a4-8304-79aa-97f2502e193f");
  pool = _gh_cleanup_journal_add_pool (journal, "greenhouse", "/srv/images", "/srv");
  g_assert_cmpuint (volume, !=, 0);
  g_assert_cmpuint (domain, !=, volume);
  g_assert_cmpuint (pool, !=, domain);

  /* Only the user may read which machines and files they have. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "fedora.qcow2"));

  /* What a start after a crash finds. */
  again = _gh_cleanup_journal_new (path);
  entries = _gh_cleanup_journal_dup_entries (again);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpint (entry_at (entries, 0)->kind, ==, GH_CLEANUP_VOLUME);
  g_assert_cmpstr (entry_at (entries, 0)->machine, ==, "Fedora");
  g_assert_cmpstr (entry_at (entries, 0)->pool, ==, POOL);
  g_assert_cmpstr (entry_at (entries, 0)->volume, ==, "fedora.qcow2");
  g_assert_null (entry_at (entries, 0)->path);
  g_assert_cmpint (entry_at (entries, 1)->kind, ==, GH_CLEANUP_DOMAIN);
  g_assert_cmpstr (entry_at (entries, 1)->uuid, ==, "6695eb01-f6a4-8304-79aa-97f2502e193f");
  g_assert_cmpint (entry_at (entries, 2)->kind, ==, GH_CLEANUP_POOL);
  g_assert_cmpstr (entry_at (entries, 2)->path, ==, "/srv/images");
  g_assert_cmpstr (entry_at (entries, 2)->first_dir, ==, "/srv");
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_clear_pointer (&again, _gh_cleanup_journal_unref);

  /* Settled one by one; with nothing left, no file is left either. */
  _gh_cleanup_journal_remove (journal, domain);
  again = _gh_cleanup_journal_new (path);
  entries = _gh_cleanup_journal_dup_entries (again);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpint (entry_at (entries, 0)->kind, ==, GH_CLEANUP_VOLUME);
  g_assert_cmpint (entry_at (entries, 1)->kind, ==, GH_CLEANUP_POOL);

  _gh_cleanup_journal_remove (journal, volume);
  _gh_cleanup_journal_remove (journal, pool);
  _gh_cleanup_journal_remove (journal, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The folders the journal made go with its last record; one that was there stays. */
static void
test_folders (void)
{
  g_autofree char *made = journal_path ("made");
  g_autofree char *made_path = g_build_filename (made, "cleanup", "j.ini", NULL);
  g_autofree char *there = journal_path ("there");
  g_autofree char *there_path = g_build_filename (there, "j.ini", NULL);
  g_autoptr(GhCleanupJournal) made_journal = _gh_cleanup_journal_new (made_path);
  g_autoptr(GhCleanupJournal) there_journal = _gh_cleanup_journal_new (there_path);
  guint64 id;

  id = _gh_cleanup_journal_add_volume (made_journal, NULL, NULL, NULL, "/default-pool/a.img");
  g_assert_true (g_file_test (made_path, G_FILE_TEST_IS_REGULAR));
  _gh_cleanup_journal_remove (made_journal, id);
  g_assert_false (g_file_test (made, G_FILE_TEST_EXISTS));

  g_assert_cmpint (g_mkdir (there, 0755), ==, 0);
  id = _gh_cleanup_journal_add_volume (there_journal, NULL, NULL, NULL, "/default-pool/a.img");
  _gh_cleanup_journal_remove (there_journal, id);
  g_assert_false (g_file_test (there_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (there, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_rmdir (there), ==, 0);
}

/* A file that is not a journal is kept aside, said once, and does not stop the rest. */
static void
test_corrupted (void)
{
  g_autofree char *path = journal_path ("corrupted.ini");
  g_autofree char *aside = g_strconcat (path, ".broken", NULL);
  g_autoptr(GhCleanupJournal) journal = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;

  g_assert_true (g_file_set_contents (path, "[entry 1\nkind=volume\n\xff\xfe", -1, NULL));

  journal = _gh_cleanup_journal_new (path);
  entries = _gh_cleanup_journal_dup_entries (journal);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (aside, G_FILE_TEST_IS_REGULAR));

  conn = virConnectOpen (TEST_URI);
  g_assert_nonnull (conn);
  g_assert_false (_gh_cleanup_journal_run (journal, conn, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Greenhouse could not read its list"));
  g_assert_nonnull (strstr (error->message, aside));
  g_clear_error (&error);

  /* Said once; new records work as before. */
  g_assert_true (_gh_cleanup_journal_run (journal, conn, NULL, &error));
  g_assert_no_error (error);
  _gh_cleanup_journal_add_volume (journal, NULL, NULL, NULL, "/default-pool/x.img");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  virConnectClose (conn);
}

/* Records that name nothing findable, or things of unknown kinds, are skipped. */
static void
test_unusable_records (void)
{
  g_autofree char *path = journal_path ("unusable.ini");
  g_autoptr(GhCleanupJournal) journal = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_true (g_file_set_contents (path,
                                      "[entry 1]\nkind=domain\nuuid=not-a-uuid\n"
                                      "[entry 2]\nkind=snapshot\npath=/x\n"
                                      "[entry 3]\nkind=volume\nmachine=A\n"
                                      "[entry 4]\nkind=volume\npath=/default-pool/a.img\n",
                                      -1, NULL));
  journal = _gh_cleanup_journal_new (path);
  entries = _gh_cleanup_journal_dup_entries (journal);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (entry_at (entries, 0)->path, ==, "/default-pool/a.img");
}

/* One file per connection, in the user's data directory; none for the test driver,
 * whose machines end with the process. */
static void
test_paths (void)
{
  g_autofree char *session = _gh_cleanup_journal_dup_path_for_uri ("qemu:///session");
  g_autofree char *remote = _gh_cleanup_journal_dup_path_for_uri ("qemu+ssh://a/../b/system");
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "greenhouse", "cleanup",
                                                "qemu%3A%2F%2F%2Fsession.ini", NULL);
  g_autofree char *dir = g_path_get_dirname (remote);
  g_autofree char *expected_dir = g_path_get_dirname (expected);

  g_assert_cmpstr (session, ==, expected);
  g_assert_cmpstr (dir, ==, expected_dir);
  g_assert_null (_gh_cleanup_journal_dup_path_for_uri (TEST_URI));
}

static virStorageVolPtr
make_volume (virConnectPtr  conn,
             const char    *name)
{
  g_autofree char *xml = g_strdup_printf ("<volume><name>%s</name>"
                                          "<capacity unit='MiB'>1</capacity></volume>", name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, POOL);
  virStorageVolPtr volume;

  g_assert_nonnull (pool);
  volume = virStorageVolCreateXML (pool, xml, 0);
  g_assert_nonnull (volume);
  virStoragePoolFree (pool);
  return volume;
}

static gboolean
volume_exists (virConnectPtr  conn,
               const char    *path)
{
  virStorageVolPtr volume = virStorageVolLookupByPath (conn, path);

  if (volume == NULL)
    return FALSE;
  virStorageVolFree (volume);
  return TRUE;
}

static virDomainPtr
define_domain (virConnectPtr  conn,
               const char    *name,
               const char    *uuid,
               const char    *disk)
{
  g_autofree char *xml = g_strdup_printf ("<domain type='test'><name>%s</name><uuid>%s</uuid>"
                                          "<memory>65536</memory>"
                                          "<os><type>hvm</type></os><devices>%s%s%s</devices>"
                                          "</domain>",
                                          name, uuid,
                                          disk != NULL ? "<disk type='file' device='disk'>"
                                                         "<source file='" : "",
                                          disk != NULL ? disk : "",
                                          disk != NULL ? "'/><target dev='vda'/></disk>" : "");
  virDomainPtr domain = virDomainDefineXML (conn, xml);

  g_assert_nonnull (domain);
  return domain;
}

static gboolean
domain_exists (virConnectPtr  conn,
               const char    *uuid)
{
  virDomainPtr domain = virDomainLookupByUUIDString (conn, uuid);

  if (domain == NULL)
    return FALSE;
  virDomainFree (domain);
  return TRUE;
}

/* What a crash left is taken back by the next start, and only that: a domain only when
 * it is the one recorded and not running, a volume only when no machine names it. */
static void
test_run_after_crash (void)
{
  const char *half_made = "0e9a8ad2-7f0b-4b8f-9a51-1c7cd7e0b001";
  const char *other_same_name = "0e9a8ad2-7f0b-4b8f-9a51-1c7cd7e0b002";
  const char *never_made = "0e9a8ad2-7f0b-4b8f-9a51-1c7cd7e0b003";
  g_autofree char *path = journal_path ("crash.ini");
  g_autoptr(GhCleanupJournal) journal = _gh_cleanup_journal_new (path);
  g_autoptr(GhCleanupJournal) next_start = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = virConnectOpen (TEST_URI);
  virDomainPtr running;
  char running_uuid[VIR_UUID_STRING_BUFLEN];
  guint n_done = 0;

  g_assert_nonnull (conn);
  virStorageVolFree (make_volume (conn, "left.img"));
  virStorageVolFree (make_volume (conn, "kept.img"));
  virStorageVolFree (make_volume (conn, "by-name.img"));
  virDomainFree (define_domain (conn, "half-made", half_made, NULL));
  /* Another machine took the name since; the record's UUID is not its. */
  virDomainFree (define_domain (conn, "other", other_same_name, "/default-pool/kept.img"));
  running = virDomainLookupByName (conn, "test");
  g_assert_nonnull (running);
  g_assert_cmpint (virDomainGetUUIDString (running, running_uuid), ==, 0);

  _gh_cleanup_journal_begin (journal);
  _gh_cleanup_journal_add_volume (journal, "half-made", NULL, NULL, "/default-pool/left.img");
  _gh_cleanup_journal_add_volume (journal, "half-made", POOL, "by-name.img", NULL);
  _gh_cleanup_journal_add_volume (journal, "other", NULL, NULL, "/default-pool/kept.img");
  _gh_cleanup_journal_add_volume (journal, "gone", NULL, NULL, "/default-pool/never.img");
  _gh_cleanup_journal_add_domain (journal, "half-made", half_made);
  _gh_cleanup_journal_add_domain (journal, "half-made", never_made);
  _gh_cleanup_journal_add_domain (journal, "test", running_uuid);
  _gh_cleanup_journal_end (journal);
  /* Greenhouse dies here: the next start reads the file. */
  g_clear_pointer (&journal, _gh_cleanup_journal_unref);

  next_start = _gh_cleanup_journal_new (path);
  g_assert_true (_gh_cleanup_journal_run (next_start, conn, &n_done, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_done, ==, 7);

  g_assert_false (volume_exists (conn, "/default-pool/left.img"));
  g_assert_false (volume_exists (conn, "/default-pool/by-name.img"));
  g_assert_true (volume_exists (conn, "/default-pool/kept.img"));
  g_assert_false (domain_exists (conn, half_made));
  g_assert_true (domain_exists (conn, other_same_name));
  g_assert_true (domain_exists (conn, running_uuid));
  g_assert_cmpint (virDomainIsActive (running), ==, 1);

  entries = _gh_cleanup_journal_dup_entries (next_start);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  virDomainFree (running);
  virConnectClose (conn);
}

/* A pool a create defined goes when it holds nothing, and only when it is still the
 * one made for that folder. */
static void
test_run_pools (void)
{
  g_autoptr(GhCleanupJournal) journal = _gh_cleanup_journal_new (NULL);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = virConnectOpen (TEST_URI);
  virStoragePoolPtr pool;
  const char *xml = "<pool type='dir'><name>gh-made</name>"
                    "<target><path>/gh-made</path></target></pool>";
  const char *other_xml = "<pool type='dir'><name>gh-other</name>"
                          "<target><path>/gh-other-path</path></target></pool>";

  g_assert_nonnull (conn);
  pool = virStoragePoolDefineXML (conn, xml, 0);
  g_assert_nonnull (pool);
  virStoragePoolFree (pool);
  pool = virStoragePoolDefineXML (conn, other_xml, 0);
  g_assert_nonnull (pool);
  virStoragePoolFree (pool);

  _gh_cleanup_journal_add_pool (journal, "gh-made", "/gh-made", NULL);
  _gh_cleanup_journal_add_pool (journal, "gh-other", "/gh-other-was-here", NULL);
  g_assert_true (_gh_cleanup_journal_run (journal, conn, NULL, &error));
  g_assert_no_error (error);

  pool = virStoragePoolLookupByName (conn, "gh-made");
  g_assert_null (pool);
  pool = virStoragePoolLookupByName (conn, "gh-other");
  g_assert_nonnull (pool);
  virStoragePoolFree (pool);

  /* The default pool holds volumes: it stays, whatever a record says. */
  _gh_cleanup_journal_add_pool (journal, POOL, "/default-pool", NULL);
  virStorageVolFree (make_volume (conn, "pool-user.img"));
  g_assert_true (_gh_cleanup_journal_run (journal, conn, NULL, &error));
  pool = virStoragePoolLookupByName (conn, POOL);
  g_assert_nonnull (pool);
  virStoragePoolFree (pool);

  virConnectClose (conn);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int ret;

  /* Before anything asks GLib where the user's data goes. */
  tmp_dir = g_dir_make_tmp ("gh-cleanup-journal-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/cleanup-journal/record-and-clear", test_record_and_clear);
  g_test_add_func ("/core/cleanup-journal/folders", test_folders);
  g_test_add_func ("/core/cleanup-journal/corrupted", test_corrupted);
  g_test_add_func ("/core/cleanup-journal/unusable-records", test_unusable_records);
  g_test_add_func ("/core/cleanup-journal/paths", test_paths);
  g_test_add_func ("/core/cleanup-journal/run-after-crash", test_run_after_crash);
  g_test_add_func ("/core/cleanup-journal/run-pools", test_run_pools);

  ret = g_test_run ();

  /* The journals are plain files in one folder; nothing made "data" or below it. */
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (tmp_dir, name, NULL);

        if (g_remove (file) != 0)
          g_printerr ("could not remove %s\n", file);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return ret;
}
