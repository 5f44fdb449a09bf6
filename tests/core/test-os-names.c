/* test-os-names.c: the cache of OS names against the installed osinfo-db
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main() points libosinfo's user folder (OSINFO_USER_DIR) at a folder of the test's own,
 * where a test adds an OS of its own as a person would add an override; it is empty
 * between tests.
 */

#include <errno.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "gh-test-util.h"

#define TEST_OS_ID   "http://greenhouse.example/testos/1"
#define TEST_OS_NAME "Greenhouse Test OS 1"

/* An OS that osinfo-db does not have, in the file and folder libosinfo expects for its id. */
static const char test_os_xml[] =
  "<libosinfo version=\"0.0.1\">\n"
  "  <os id=\"" TEST_OS_ID "\">\n"
  "    <short-id>ghtestos1</short-id>\n"
  "    <name>" TEST_OS_NAME "</name>\n"
  "    <vendor>Greenhouse</vendor>\n"
  "    <family>linux</family>\n"
  "    <distro>ghtestos</distro>\n"
  "    <version>1</version>\n"
  "  </os>\n"
  "</libosinfo>\n";

static char *tmp_dir;
static char *user_dir;

static void
changed_cb (GhOsNames *names,
            guint     *count)
{
  (*count)++;
}

/* Runs an update to its end; returns whether it built the cache again. */
static gboolean
update (GhOsNames *names)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean rebuilt;

  _gh_os_names_update_async (names, NULL, gh_test_store_result, &result);
  gh_test_wait_until_within (result != NULL, GH_TEST_OSINFO_TIMEOUT_SECONDS,
                             "the OS names to be checked");
  rebuilt = _gh_os_names_update_finish (names, result, &error);
  g_assert_no_error (error);

  return rebuilt;
}

static char *
cache_path (const char *name)
{
  return g_build_filename (tmp_dir, "cache", name, NULL);
}

static void
remove_file (const char *path)
{
  if (g_unlink (path) != 0)
    g_assert_cmpint (errno, ==, ENOENT);
}

/* No cache yet: nothing is known until a worker built it, then the names come, and they
 * are read back from the file, as the next start reads them. */
static void
test_os_names_build (void)
{
  g_autofree char *path = cache_path ("build");
  g_autoptr(GhOsNames) names = _gh_os_names_new (path);
  g_autoptr(GhOsNames) again = NULL;
  g_autofree char *ubuntu = NULL;
  GStatBuf st;
  guint n_changed = 0;
  guint n_changed_again = 0;

  g_assert_cmpuint (_gh_os_names_get_n_names (names), ==, 0);
  g_assert_null (_gh_os_names_get_tag (names));
  g_assert_null (gh_os_names_lookup (names, "http://debian.org/debian/11"));

  g_signal_connect (names, "changed", G_CALLBACK (changed_cb), &n_changed);
  g_assert_true (update (names));
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpuint (_gh_os_names_get_n_names (names), >, 500);
  g_assert_cmpstr (gh_os_names_lookup (names, "http://debian.org/debian/11"), ==, "Debian 11");
  g_assert_cmpstr (gh_os_names_lookup (names, "http://fedoraproject.org/fedora/37"), ==,
                   "Fedora Linux 37");
  g_assert_null (gh_os_names_lookup (names, "http://example.org/no-such-os"));
  g_assert_null (gh_os_names_lookup (names, ""));
  g_assert_null (gh_os_names_lookup (names, NULL));
  ubuntu = g_strdup (gh_os_names_lookup (names, "http://ubuntu.com/ubuntu/22.04"));
  g_assert_cmpstr (ubuntu, ==, "Ubuntu 22.04 LTS");

  /* The tag says what the names were built from, in words a person can check. */
  g_assert_true (g_str_has_prefix (_gh_os_names_get_tag (names), "languages: "));
  g_assert_nonnull (strstr (_gh_os_names_get_tag (names), user_dir));

  /* Only the user may read it: it lists no secret, but it is the user's. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* Small enough to read on the main thread. */
  g_assert_cmpint (st.st_size, <, 256 * 1024);

  /* The next start has the names at once, and checking finds them current. */
  again = _gh_os_names_new (path);
  g_assert_cmpuint (_gh_os_names_get_n_names (again), ==, _gh_os_names_get_n_names (names));
  g_assert_cmpstr (_gh_os_names_get_tag (again), ==, _gh_os_names_get_tag (names));
  g_assert_cmpstr (gh_os_names_lookup (again, "http://ubuntu.com/ubuntu/22.04"), ==, ubuntu);
  g_signal_connect (again, "changed", G_CALLBACK (changed_cb), &n_changed_again);
  g_assert_false (update (again));
  g_assert_cmpuint (n_changed_again, ==, 0);
  g_assert_cmpstr (gh_os_names_lookup (again, "http://ubuntu.com/ubuntu/22.04"), ==, ubuntu);

  remove_file (path);
}

/* An OS added to libosinfo's user folder, and taken away again, each build the cache
 * again: the tag follows the folders libosinfo reads. */
static void
test_os_names_tag_change (void)
{
  g_autofree char *path = cache_path ("tag-change");
  g_autofree char *vendor_dir = g_build_filename (user_dir, "os", "greenhouse.example", NULL);
  g_autofree char *os_dir = g_path_get_dirname (vendor_dir);
  g_autofree char *os_file = g_build_filename (vendor_dir, "testos-1.xml", NULL);
  g_autoptr(GhOsNames) names = _gh_os_names_new (path);
  g_autofree char *first_tag = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changed = 0;

  g_signal_connect (names, "changed", G_CALLBACK (changed_cb), &n_changed);
  g_assert_true (update (names));
  g_assert_null (gh_os_names_lookup (names, TEST_OS_ID));
  first_tag = g_strdup (_gh_os_names_get_tag (names));

  g_assert_cmpint (g_mkdir_with_parents (vendor_dir, 0700), ==, 0);
  g_file_set_contents (os_file, test_os_xml, -1, &error);
  g_assert_no_error (error);

  g_assert_true (update (names));
  g_assert_cmpuint (n_changed, ==, 2);
  g_assert_cmpstr (gh_os_names_lookup (names, TEST_OS_ID), ==, TEST_OS_NAME);
  g_assert_cmpstr (_gh_os_names_get_tag (names), !=, first_tag);
  g_assert_false (update (names));
  g_assert_cmpuint (n_changed, ==, 2);

  /* Gone from the database, gone from the list. */
  g_assert_cmpint (g_unlink (os_file), ==, 0);
  g_assert_true (update (names));
  g_assert_cmpuint (n_changed, ==, 3);
  g_assert_null (gh_os_names_lookup (names, TEST_OS_ID));
  g_assert_cmpstr (gh_os_names_lookup (names, "http://debian.org/debian/11"), ==, "Debian 11");

  g_assert_cmpint (g_rmdir (vendor_dir), ==, 0);
  g_assert_cmpint (g_rmdir (os_dir), ==, 0);
  remove_file (path);
}

/* libosinfo names an OS in the user's language: a cache built for another is not used. */
static void
test_os_names_tag_languages (void)
{
  const char * const english[] = { "en_US.UTF-8", "en_US", "en", "C", NULL };
  const char * const korean[] = { "ko_KR.UTF-8", "ko_KR", "ko", "C", NULL };
  g_autofree char *english_tag = _gh_os_names_dup_current_tag (english);
  g_autofree char *korean_tag = _gh_os_names_dup_current_tag (korean);
  g_autofree char *english_again = _gh_os_names_dup_current_tag (english);

  g_assert_cmpstr (english_tag, !=, korean_tag);
  g_assert_cmpstr (english_tag, ==, english_again);
}

/* A file that is not a cache of ours (damaged, another program's, another format, far too
 * big) is never taken for one: there are no names until the cache is built again. */
static void
test_os_names_foreign_file (void)
{
  g_autofree char *path = cache_path ("foreign");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *big = g_malloc0 (2 * 1024 * 1024);
  g_autoptr(GhOsNames) names = NULL;
  g_autoptr(GhOsNames) other_format_names = NULL;
  g_autoptr(GhOsNames) big_names = NULL;
  g_autoptr(GhOsNames) again = NULL;
  g_autoptr(GVariant) other_format = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  g_file_set_contents (path, "[Not]\nA=cache\n", -1, &error);
  g_assert_no_error (error);
  names = _gh_os_names_new (path);
  g_assert_cmpuint (_gh_os_names_get_n_names (names), ==, 0);
  g_assert_null (_gh_os_names_get_tag (names));

  /* A cache of a later format, with a name that must not show. */
  other_format = g_variant_ref_sink (
    g_variant_new_parsed ("('greenhouse-os-names 2', 'some tag', "
                          "{'http://debian.org/debian/11': 'Not Debian'})"));
  g_file_set_contents (path, g_variant_get_data (other_format),
                       g_variant_get_size (other_format), &error);
  g_assert_no_error (error);
  other_format_names = _gh_os_names_new (path);
  g_assert_cmpuint (_gh_os_names_get_n_names (other_format_names), ==, 0);
  g_assert_null (gh_os_names_lookup (other_format_names, "http://debian.org/debian/11"));

  g_file_set_contents (path, big, 2 * 1024 * 1024, &error);
  g_assert_no_error (error);
  big_names = _gh_os_names_new (path);
  g_assert_cmpuint (_gh_os_names_get_n_names (big_names), ==, 0);

  /* Checking builds it again, over the foreign file. */
  g_assert_true (update (big_names));
  g_assert_cmpstr (gh_os_names_lookup (big_names, "http://debian.org/debian/11"), ==,
                   "Debian 11");
  again = _gh_os_names_new (path);
  g_assert_cmpuint (_gh_os_names_get_n_names (again), ==,
                    _gh_os_names_get_n_names (big_names));

  remove_file (path);
}

/* The list says what the wizard and the settings say: the same name for every OS. */
static void
test_os_names_match_os_db (void)
{
  g_autofree char *path = cache_path ("match");
  g_autoptr(GhOsNames) names = _gh_os_names_new (path);
  g_autoptr(OsinfoOsList) list = NULL;
  GhOsDb *db;
  guint n_named = 0;
  guint n;

  g_assert_true (update (names));
  db = gh_test_load_os_db ();
  list = osinfo_db_get_os_list (_gh_os_db_get_db (db));
  n = osinfo_list_get_length (OSINFO_LIST (list));
  g_assert_cmpuint (n, >, 500);

  for (guint i = 0; i < n; i++)
    {
      OsinfoEntity *os = osinfo_list_get_nth (OSINFO_LIST (list), i);
      const char *id = osinfo_entity_get_id (os);

      g_assert_cmpstr (gh_os_names_lookup (names, id), ==, gh_os_db_get_os_name (db, id));
      if (gh_os_db_get_os_name (db, id) != NULL)
        n_named++;
    }
  g_assert_cmpuint (_gh_os_names_get_n_names (names), ==, n_named);

  remove_file (path);
}

/* What the application does as it quits: once gh_os_names_wait() returns, the file is
 * there, before the main loop ran the update's callback. */
static void
test_os_names_wait (void)
{
  g_autofree char *path = cache_path ("wait");
  g_autoptr(GhOsNames) names = _gh_os_names_new (path);
  g_autoptr(GhOsNames) read_back = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  /* Nothing runs: at once. */
  gh_os_names_wait (names);

  _gh_os_names_update_async (names, NULL, gh_test_store_result, &result);
  gh_os_names_wait (names);
  g_assert_null (result);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  read_back = _gh_os_names_new (path);
  g_assert_cmpuint (_gh_os_names_get_n_names (read_back), >, 500);

  gh_test_wait_until (result != NULL, "the update's callback");
  g_assert_true (_gh_os_names_update_finish (names, result, NULL));

  remove_file (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_dir = NULL;
  int status;

  tmp_dir = g_dir_make_tmp ("gh-os-names-XXXXXX", &error);
  g_assert_no_error (error);
  user_dir = g_build_filename (tmp_dir, "user-osinfo", NULL);
  g_assert_cmpint (g_mkdir (user_dir, 0700), ==, 0);
  /* Before any thread: libosinfo reads it in the workers. */
  g_setenv ("OSINFO_USER_DIR", user_dir, TRUE);

  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/os-names/build", test_os_names_build);
  g_test_add_func ("/core/os-names/tag-change", test_os_names_tag_change);
  g_test_add_func ("/core/os-names/tag-languages", test_os_names_tag_languages);
  g_test_add_func ("/core/os-names/foreign-file", test_os_names_foreign_file);
  g_test_add_func ("/core/os-names/match-os-db", test_os_names_match_os_db);
  g_test_add_func ("/core/os-names/wait", test_os_names_wait);

  status = g_test_run ();

  cache_dir = g_build_filename (tmp_dir, "cache", NULL);
  g_rmdir (cache_dir);
  g_rmdir (user_dir);
  g_rmdir (tmp_dir);

  return status;
}
