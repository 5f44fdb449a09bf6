/* test-os-db.c: GhOsDb against the installed osinfo-db
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-test-util.h"

static void
notify_loaded_cb (GObject    *object,
                  GParamSpec *pspec,
                  guint      *count)
{
  (*count)++;
}

/* The list shows "Fedora 37" where the domain says http://fedoraproject.org/fedora/37. */
static void
test_os_db_names (void)
{
  GhOsDb *db = gh_os_db_get_default ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  guint n_loaded = 0;

  g_assert_true (gh_os_db_get_default () == db);

  /* Before loading, lookups answer nothing rather than block. */
  g_assert_false (gh_os_db_get_loaded (db));
  g_assert_null (gh_os_db_get_os_name (db, "http://fedoraproject.org/fedora/37"));

  g_signal_connect (db, "notify::loaded", G_CALLBACK (notify_loaded_cb), &n_loaded);
  gh_os_db_load_async (db, NULL, gh_test_store_result, &result);
  gh_test_wait_until_within (result != NULL, GH_TEST_OSINFO_TIMEOUT_SECONDS,
                             "the OS database to load");
  g_assert_true (gh_os_db_load_finish (db, result, &error));
  g_assert_no_error (error);
  g_assert_true (gh_os_db_get_loaded (db));
  g_assert_cmpuint (n_loaded, ==, 1);

  g_assert_cmpstr (gh_os_db_get_os_name (db, "http://fedoraproject.org/fedora/37"), ==,
                   "Fedora Linux 37");
  g_assert_cmpstr (gh_os_db_get_os_name (db, "http://debian.org/debian/11"), ==,
                   "Debian 11");
  g_assert_cmpstr (gh_os_db_get_os_name (db, "http://microsoft.com/win/11"), ==,
                   "Microsoft Windows 11");
  g_assert_null (gh_os_db_get_os_name (db, "http://example.org/no-such-os"));
  g_assert_null (gh_os_db_get_os_name (db, ""));
  g_assert_null (gh_os_db_get_os_name (db, NULL));

  /* Loading again is instant and changes nothing. */
  gh_os_db_load_async (db, NULL, gh_test_store_result, &again);
  gh_test_wait_result (&again, "the loaded OS database to load again");
  g_assert_true (gh_os_db_load_finish (db, again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_loaded, ==, 1);

  g_signal_handlers_disconnect_by_func (db, notify_loaded_cb, &n_loaded);
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/os-db/names", test_os_db_names);

  return g_test_run ();
}
