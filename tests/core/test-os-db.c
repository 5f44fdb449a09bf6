/* test-os-db.c: GhOsDb against the installed osinfo-db
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "gh-test-util.h"

static void
notify_loaded_cb (GObject    *object,
                  GParamSpec *pspec,
                  guint      *count)
{
  (*count)++;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

static GhMediaInfo *
identify (GhOsDb        *db,
          const char    *path,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gh_os_db_identify_media_async (db, path, cancellable, gh_test_store_result, &result);
  gh_test_wait_until_within (result != NULL, GH_TEST_OSINFO_TIMEOUT_SECONDS,
                             "the media to be identified");
  return gh_os_db_identify_media_finish (db, result, error);
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
  guint n_changes = 0;

  g_assert_true (gh_os_db_get_default () == db);

  /* Before loading, lookups answer nothing rather than block. */
  g_assert_false (gh_os_db_get_loaded (db));
  g_assert_null (gh_os_db_get_os_name (db, "http://fedoraproject.org/fedora/37"));

  /* The OS list is empty until then, and fills at once when loaded. */
  g_assert_cmpuint (g_list_model_get_n_items (gh_os_db_get_oses (db)), ==, 0);
  g_signal_connect (gh_os_db_get_oses (db), "items-changed", G_CALLBACK (items_changed_cb),
                    &n_changes);

  g_signal_connect (db, "notify::loaded", G_CALLBACK (notify_loaded_cb), &n_loaded);
  gh_os_db_load_async (db, NULL, gh_test_store_result, &result);
  gh_test_wait_until_within (result != NULL, GH_TEST_OSINFO_TIMEOUT_SECONDS,
                             "the OS database to load");
  g_assert_true (gh_os_db_load_finish (db, result, &error));
  g_assert_no_error (error);
  g_assert_true (gh_os_db_get_loaded (db));
  g_assert_cmpuint (n_loaded, ==, 1);
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (gh_os_db_get_oses (db)), >, 100);

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
  g_assert_cmpuint (n_changes, ==, 1);

  g_signal_handlers_disconnect_by_func (db, notify_loaded_cb, &n_loaded);
  g_signal_handlers_disconnect_by_func (gh_os_db_get_oses (db), items_changed_cb, &n_changes);
}

/* What libosinfo 1.10 with Debian 12's osinfo-db (20221130) says of virt-manager's fake
 * media: checked with a small program that calls osinfo_media_create_from_location() and
 * osinfo_db_identify_media() alone, so that Greenhouse adds nothing of its own. The two
 * without a boot record are media of no OS libosinfo knows (Greenhouse does not ask for
 * bootable media). */
static const struct
{
  const char *file;
  const char *os_id;      /* NULL: no OS, or an error */
  const char *volume_id;
  gboolean    installer;
  gboolean    live;
  const char *error;      /* part of the message when it is not install media */
} fake_media[] = {
  { "fake-win7.iso", "http://microsoft.com/win/7", "GSP1RMCNULXFRER_EN_DVD", TRUE, FALSE, NULL },
  { "fake-f29-live.iso", "http://fedoraproject.org/fedora/29", "Fedora-WS-Live-29",
    TRUE, TRUE, NULL },
  { "fake-f26-netinst.iso", "http://fedoraproject.org/fedora/26", "Fedora-WS-dvd-x86_64-26",
    TRUE, FALSE, NULL },
  { "fake-centos65-label.iso", "http://centos.org/centos/6.5", "CentOS_6.5_Final",
    TRUE, FALSE, NULL },
  { "fake-fedora17-tree.iso", NULL, "CDROM", TRUE, FALSE, NULL },
  { "fake-no-osinfo.iso", NULL, "CDROM", TRUE, FALSE, NULL },
};

/* Dropping an ISO on the wizard picks the OS libosinfo names for it. */
static void
test_os_db_identify_fake_media (void)
{
  g_autofree char *dir = gh_test_corpus_path ("virt-manager/fakemedia");
  GhOsDb *db;

  if (dir == NULL)
    {
      g_test_skip ("virt-manager's fake media are not in $GREENHOUSE_CORPUS_DIR "
                   "(../shared/corpus/virt-manager/fakemedia)");
      return;
    }

  db = gh_test_load_os_db ();
  for (guint i = 0; i < G_N_ELEMENTS (fake_media); i++)
    {
      g_autofree char *path = g_build_filename (dir, fake_media[i].file, NULL);
      g_autoptr(GhMediaInfo) info = NULL;
      g_autoptr(GhMediaInfo) copy = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", fake_media[i].file);
      info = identify (db, path, NULL, &error);

      if (fake_media[i].error != NULL)
        {
          g_assert_null (info);
          g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
          g_test_message ("  %s", error->message);
          g_assert_nonnull (strstr (error->message, fake_media[i].file));
          g_assert_nonnull (strstr (error->message, "is not install media"));
          g_assert_nonnull (strstr (error->message, fake_media[i].error));
          continue;
        }

      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpstr (info->path, ==, path);
      g_assert_cmpstr (info->os_id, ==, fake_media[i].os_id);
      g_assert_cmpstr (info->os_name, ==, gh_os_db_get_os_name (db, fake_media[i].os_id));
      g_assert_cmpstr (info->volume_id, ==, fake_media[i].volume_id);
      g_assert_cmpint (info->installer, ==, fake_media[i].installer);
      g_assert_cmpint (info->live, ==, fake_media[i].live);

      copy = g_boxed_copy (GH_TYPE_MEDIA_INFO, info);
      g_assert_cmpstr (copy->os_id, ==, info->os_id);
      g_assert_cmpstr (copy->volume_id, ==, info->volume_id);
      g_assert_true (copy->path != info->path);
    }
}

/* Real bootable images of no OS libosinfo knows: an answer, not an error. */
static void
test_os_db_identify_unknown_media (void)
{
  static const char * const images[] = {
    "/usr/lib/grub-rescue/grub-rescue-cdrom.iso",
    "/usr/lib/memtest86+/memtest86+x64.iso",
  };
  GhOsDb *db = gh_test_load_os_db ();

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autoptr(GhMediaInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_file_test (images[i], G_FILE_TEST_EXISTS))
        {
          g_test_message ("%s is not installed (build-aux/packages-test.txt lists it)",
                          images[i]);
          g_test_fail ();
          continue;
        }

      info = identify (db, images[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_test_message ("%s: volume %s, OS %s", images[i], info->volume_id,
                      info->os_id != NULL ? info->os_id : "unknown");
      g_assert_null (info->os_id);
      g_assert_null (info->os_name);
      g_assert_nonnull (info->volume_id);
    }
}

/* What a person sees when they pick the wrong file. */
static void
test_os_db_identify_not_media (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("gh-media-XXXXXX", &error);
  g_autofree char *text = NULL;
  g_autofree char *noise = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *bytes = g_malloc (256 * 1024);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  static const struct
  {
    const char *name;
    const char *message;
  } expected[] = {
    { "notes.txt", "“notes.txt” is not install media: it is not a CD or DVD image (ISO 9660)" },
    { "noise.iso", "“noise.iso” is not install media: it is not a CD or DVD image (ISO 9660)" },
    { "missing.iso", "Cannot read “missing.iso”: No such file or directory" },
  };
  GhOsDb *db = gh_test_load_os_db ();

  g_assert_no_error (error);
  text = g_build_filename (tmp, "notes.txt", NULL);
  g_file_set_contents (text, "Things to install:\n- Fedora\n", -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 256 * 1024; i++)
    ((guint8 *) bytes)[i] = g_rand_int_range (rand, 0, 256);
  noise = g_build_filename (tmp, "noise.iso", NULL);
  g_file_set_contents (noise, bytes, 256 * 1024, &error);
  g_assert_no_error (error);

  missing = g_build_filename (tmp, "missing.iso", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_build_filename (tmp, expected[i].name, NULL);
      g_autoptr(GhMediaInfo) info = identify (db, path, NULL, &error);

      g_assert_null (info);
      g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
      g_assert_cmpstr (error->message, ==, expected[i].message);
      g_clear_error (&error);
    }

  /* A folder is not a file of any kind. */
  {
    g_autoptr(GhMediaInfo) info = identify (db, tmp, NULL, &error);

    g_assert_null (info);
    g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "is not install media: it is a folder"));
    g_clear_error (&error);
  }

  g_assert_no_errno (g_unlink (text));
  g_assert_no_errno (g_unlink (noise));
  g_assert_no_errno (g_rmdir (tmp));
}

/* Closing the wizard while it reads the media. */
static void
test_os_db_identify_cancelled (void)
{
  g_autofree char *iso = gh_test_corpus_path ("virt-manager/fakemedia/fake-win7.iso");
  const char *path = iso != NULL ? iso : "/usr/lib/memtest86+/memtest86+x64.iso";
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GhMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GhOsDb *db = gh_test_load_os_db ();

  /* Cancelled before the worker starts, and while it runs. */
  g_cancellable_cancel (cancellable);
  info = identify (db, path, cancellable, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_cancellable_reset (cancellable);
  gh_os_db_identify_media_async (db, path, cancellable, gh_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  gh_test_wait_result (&result, "the cancelled identification");
  info = gh_os_db_identify_media_finish (db, result, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
os_has_short_id (OsinfoOs   *os,
                 const char *short_id)
{
  g_autoptr(GList) ids = osinfo_product_get_short_id_list (OSINFO_PRODUCT (os));

  return g_list_find_custom (ids, short_id, (GCompareFunc) g_strcmp0) != NULL;
}

static guint32
release_day (OsinfoOs *os)
{
  g_autoptr(GDate) date = osinfo_product_get_release_date (OSINFO_PRODUCT (os));

  return date != NULL ? g_date_get_julian (date) : 0;
}

/* The wizard's OS list: new releases on top, where people look first. */
static void
test_os_db_os_list (void)
{
  GhOsDb *db = gh_test_load_os_db ();
  GListModel *oses = gh_os_db_get_oses (db);
  guint n = g_list_model_get_n_items (oses);
  g_autoptr(OsinfoOsList) all = osinfo_db_get_os_list (_gh_os_db_get_db (db));
  gboolean undated = FALSE;
  guint n_fedora37 = 0;
  guint found_at = G_MAXUINT;

  g_assert_true (g_list_model_get_item_type (oses) == OSINFO_TYPE_OS);
  g_assert_cmpuint (n, ==, osinfo_list_get_length (OSINFO_LIST (all)));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OsinfoOs) os = g_list_model_get_item (oses, i);
      guint32 day = release_day (os);

      if (i > 0)
        {
          g_autoptr(OsinfoOs) previous = g_list_model_get_item (oses, i - 1);
          guint32 previous_day = release_day (previous);

          /* Once the dates run out, only undated OSes follow. */
          if (day == 0)
            undated = TRUE;
          else
            g_assert_false (undated);

          if (day != 0)
            g_assert_cmpuint (previous_day, >=, day);
          if (day == previous_day)
            g_assert_cmpint (g_utf8_collate (osinfo_product_get_name (OSINFO_PRODUCT (previous)),
                                             osinfo_product_get_name (OSINFO_PRODUCT (os))),
                             <=, 0);
        }

      if (gh_os_db_os_matches (os, "fedora 37"))
        {
          n_fedora37++;
          if (os_has_short_id (os, "fedora37"))
            found_at = i;
        }
    }

  /* The newest OS is from 2022 or later (osinfo-db 20221130). */
  {
    g_autoptr(OsinfoOs) first = g_list_model_get_item (oses, 0);
    g_autoptr(GDate) date = osinfo_product_get_release_date (OSINFO_PRODUCT (first));

    g_test_message ("newest: %s (%s)", osinfo_product_get_name (OSINFO_PRODUCT (first)),
                    osinfo_product_get_release_date_string (OSINFO_PRODUCT (first)));
    g_assert_nonnull (date);
    g_assert_cmpint (g_date_get_year (date), >=, 2022);
  }

  g_assert_cmpuint (found_at, !=, G_MAXUINT);
  g_assert_cmpuint (n_fedora37, >=, 1);
  g_assert_cmpuint (n_fedora37, <=, 3);
}

static OsinfoOs *
test_os_new (const char *name,
             const char *vendor,
             const char *eol_date)
{
  OsinfoOs *os = osinfo_os_new ("http://example.org/greenhouse/test");

  osinfo_entity_set_param (OSINFO_ENTITY (os), OSINFO_PRODUCT_PROP_NAME, name);
  osinfo_entity_set_param (OSINFO_ENTITY (os), OSINFO_PRODUCT_PROP_SHORT_ID, "ghtest1");
  if (vendor != NULL)
    osinfo_entity_set_param (OSINFO_ENTITY (os), OSINFO_PRODUCT_PROP_VENDOR, vendor);
  if (eol_date != NULL)
    osinfo_entity_set_param (OSINFO_ENTITY (os), OSINFO_PRODUCT_PROP_EOL_DATE, eol_date);

  return os;
}

/* An OS past its end of life is marked, not hidden. */
static void
test_os_db_eol (void)
{
  GhOsDb *db = gh_test_load_os_db ();
  g_autoptr(OsinfoOs) past = test_os_new ("Old", NULL, "2001-02-03");
  g_autoptr(OsinfoOs) future = test_os_new ("New", NULL, "2999-12-31");
  g_autoptr(OsinfoOs) undated = test_os_new ("Timeless", NULL, NULL);
  OsinfoOs *fedora20 = gh_os_db_lookup_os (db, "fedora20");

  g_assert_nonnull (fedora20);
  g_assert_true (gh_os_db_os_is_eol (fedora20));
  g_assert_true (gh_os_db_os_is_eol (past));
  g_assert_false (gh_os_db_os_is_eol (future));
  g_assert_false (gh_os_db_os_is_eol (undated));
}

static void
test_os_db_matches (void)
{
  GhOsDb *db = gh_test_load_os_db ();
  OsinfoOs *fedora37 = gh_os_db_lookup_os (db, "fedora37");
  OsinfoOs *win11 = gh_os_db_lookup_os (db, "win11");
  g_autoptr(OsinfoOs) accented = test_os_new ("Système Libre 2", "Éditions Ouvertes", NULL);

  g_assert_nonnull (fedora37);
  g_assert_nonnull (win11);

  g_assert_true (gh_os_db_os_matches (fedora37, "fedora 37"));
  g_assert_true (gh_os_db_os_matches (fedora37, "  FEDORA   37 "));
  g_assert_true (gh_os_db_os_matches (fedora37, "fédora 37"));
  g_assert_true (gh_os_db_os_matches (fedora37, "fedora37"));
  g_assert_true (gh_os_db_os_matches (fedora37, "linux"));
  g_assert_true (gh_os_db_os_matches (fedora37, ""));
  g_assert_true (gh_os_db_os_matches (fedora37, NULL));
  g_assert_false (gh_os_db_os_matches (fedora37, "fedora 38"));
  g_assert_false (gh_os_db_os_matches (fedora37, "windows"));

  g_assert_true (gh_os_db_os_matches (win11, "win 11"));
  g_assert_true (gh_os_db_os_matches (win11, "microsoft"));
  g_assert_false (gh_os_db_os_matches (win11, "win 10"));

  /* Accents on either side, and the vendor and short id count too. */
  g_assert_true (gh_os_db_os_matches (accented, "systeme libre"));
  g_assert_true (gh_os_db_os_matches (accented, "SYSTÈME"));
  g_assert_true (gh_os_db_os_matches (accented, "editions 2"));
  g_assert_true (gh_os_db_os_matches (accented, "ghtest"));
  g_assert_false (gh_os_db_os_matches (accented, "systemes"));
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/os-db/names", test_os_db_names);
  g_test_add_func ("/core/os-db/identify-fake-media", test_os_db_identify_fake_media);
  g_test_add_func ("/core/os-db/identify-unknown-media", test_os_db_identify_unknown_media);
  g_test_add_func ("/core/os-db/identify-not-media", test_os_db_identify_not_media);
  g_test_add_func ("/core/os-db/identify-cancelled", test_os_db_identify_cancelled);
  g_test_add_func ("/core/os-db/os-list", test_os_db_os_list);
  g_test_add_func ("/core/os-db/eol", test_os_db_eol);
  g_test_add_func ("/core/os-db/matches", test_os_db_matches);

  return g_test_run ();
}
