/* test-os-facts.c: the driver facts file, its reader and what it derives
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-test-util.h"

static GhOsFacts *
parse (const char  *text,
       GError     **error)
{
  return gh_os_facts_new_from_data (text, strlen (text), error);
}

/* The file built in loads, every row names a source, and every family the planner
 * should know about has rows for this osinfo-db's OSes. */
static void
test_built_in (void)
{
  static const char * const families[] = {
    "ubuntu", "debian", "fedora", "rhel", "centos", "rocky", "almalinux", "ol",
    "scientificlinux", "opensuse", "sle", "archlinux", "manjaro", "alpinelinux", "mageia",
    "nixos", "slackware", "gentoo", "voidlinux", "android-x86", "guix", "eos", "linuxmint",
    "popos", "elementary", "freebsd", "openbsd", "netbsd", "win",
  };
  GhOsFacts *facts = gh_os_facts_get_default ();
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) installed = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                           g_free, NULL);
  g_autoptr(OsinfoOsList) oses = NULL;
  GPtrArray *rows = gh_os_facts_get_rows (facts);
  guint n_verified = 0;
  guint n_covered = 0;
  guint n_absent = 0;
  int n_oses;

  g_assert_cmpuint (rows->len, >, 100);

  osinfo_loader_process_default_path (loader, &error);
  g_assert_no_error (error);
  oses = osinfo_db_get_os_list (osinfo_loader_get_db (loader));
  n_oses = osinfo_list_get_length (OSINFO_LIST (oses));
  for (int i = 0; i < n_oses; i++)
    {
      OsinfoProduct *os = OSINFO_PRODUCT (osinfo_list_get_nth (OSINFO_LIST (oses), i));
      const char *short_id = osinfo_product_get_short_id (os);

      if (short_id != NULL)
        g_hash_table_add (installed, g_strdup (short_id));
    }

  for (guint i = 0; i < rows->len; i++)
    {
      const GhOsFactsRow *row = g_ptr_array_index (rows, i);

      g_assert_nonnull (row->sources[0]);
      for (guint j = 0; row->sources[j] != NULL; j++)
        if (!g_str_has_prefix (row->sources[j], "https://")
            && !g_str_has_prefix (row->sources[j], "http://"))
          g_error ("[%s]: a source that is no web address: %s", row->label, row->sources[j]);
      /* Linux facts go together: a Mesa without its kernel says nothing. */
      if (row->mesa != 0 && row->kernel == 0 && !row->stated[GH_DRIVER_VIRGL])
        g_test_message ("[%s]: Mesa without a kernel version", row->label);
      if (row->verified)
        n_verified++;

      for (guint j = 0; row->ids[j] != NULL; j++)
        {
          if (g_hash_table_contains (installed, row->ids[j]))
            n_covered++;
          else
            n_absent++;
        }
    }

  for (guint f = 0; f < G_N_ELEMENTS (families); f++)
    {
      GHashTableIter iter;
      const char *short_id;
      gboolean found = FALSE;

      g_hash_table_iter_init (&iter, installed);
      while (!found && g_hash_table_iter_next (&iter, (gpointer *) &short_id, NULL))
        found = g_str_has_prefix (short_id, families[f])
                && gh_os_facts_lookup (facts, short_id) != NULL;
      /* Linux Mint and Pop!_OS came to osinfo-db after some releases of it. */
      if (!found && g_strv_contains ((const char * const[]) { "linuxmint", "popos", NULL },
                                     families[f]))
        {
          g_test_message ("this osinfo-db has no %s", families[f]);
          continue;
        }
      if (!found)
        g_error ("no facts for any %s* of this osinfo-db", families[f]);
    }

  g_test_message ("%u rows (%u verified against their sources); they cover %u of this "
                  "osinfo-db's %d OSes, and name %u short ids it does not have",
                  rows->len, n_verified, n_covered, n_oses, n_absent);
}

/* Whatever the reader cannot take is an error naming the group and key. */
static void
test_refused (void)
{
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "[row]\nids=a;\nsource=https://x;\nverified=true\n",
      "[format] version: missing or not a number" },
    { "[format]\nversion=2\n", "[format] version: a version this Greenhouse cannot read" },
    { "[format]\nversion=one\n", "[format] version: missing or not a number" },
    { "[format]\nversion=1\n[row]\nsource=https://x;\nverified=true\n",
      "[row] ids: missing or empty" },
    { "[format]\nversion=1\n[row]\nids=a;\nverified=true\n",
      "[row] source: missing or empty" },
    { "[format]\nversion=1\n[row]\nids=a;\nsource=https://x;\n",
      "[row] verified: missing" },
    { "[format]\nversion=1\n[row]\nids=a;\nsource=https://x;\nverified=yes\n",
      "[row] verified: not true or false" },
    { "[format]\nversion=1\n[row]\nids=a;\nsource=https://x;\nverified=true\nkernel=4\n",
      "[row] kernel: not a version such as 4.19" },
    { "[format]\nversion=1\n[row]\nids=a;\nsource=https://x;\nverified=true\nmesa=x.1\n",
      "[row] mesa: not a version such as 4.19" },
    { "[format]\nversion=1\n[row]\nids=a;\nsource=https://x;\nverified=true\nqxl=maybe\n",
      "[row] qxl: not true, false or unknown" },
    { "[format]\nversion=1\n[row]\nids=a;\nsource=https://x;\nverified=true\nkernal=4.4\n",
      "[row] kernal: not a key of this format" },
    { "[format]\nversion=1\n[one]\nids=a;\nsource=https://x;\nverified=true\n"
      "[two]\nids=b;a;\nsource=https://x;\nverified=true\n",
      "[two] ids: a is listed in another group too" },
    { "[format]\nversion=1\n[row]\nids=a;;\nsource=https://x;\nverified=true\n",
      "[row] ids: an empty item" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GhOsFacts) facts = parse (cases[i].text, &error);

      g_assert_null (facts);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
    }
}

/* What each row derives, from the published facts: QXL KMS from Linux 3.10, virtio-gpu
 * from 4.2, virgl from 4.4 with Mesa 11.1. */
static void
test_derived (void)
{
  static const char text[] =
    "[format]\nversion=1\n"
    "[old]\nids=old;\nkernel=3.2\nmesa=8.0\nx-qxl=true\nsource=https://x;\nverified=true\n"
    "[old-no-x]\nids=old-no-x;\nkernel=3.2\nx-qxl=false\nsource=https://x;\nverified=true\n"
    "[old-x-unsaid]\nids=old-x-unsaid;\nkernel=3.9\nsource=https://x;\nverified=true\n"
    "[edge]\nids=edge;\nkernel=4.2\nmesa=11.0\nsource=https://x;\nverified=true\n"
    "[virgl]\nids=virgl;\nkernel=4.4\nmesa=11.1\nsource=https://x;\nverified=true\n"
    "[no-mesa]\nids=no-mesa;\nkernel=5.4\nsource=https://x;\nverified=true\n"
    "[vendor]\nids=vendor;\nkernel=3.10\nmesa=18.3\nbackports=true\nsource=https://x;\n"
    "verified=true\n"
    "[rolling]\nids=rolling;\nkernel=4.0\nmesa=10.0\nrolling=true\nsource=https://x;\n"
    "verified=true\n"
    "[stated]\nids=stated;\nkernel=5.4\nmesa=20.0\nvirtio-gpu=false\nqxl=unknown\n"
    "virgl=true\nsource=https://x;\nverified=true\n"
    "[windows]\nids=windows;\nvirtio-gpu=false\nqxl=false\nvirgl=false\n"
    "qxl-addon=an add-on\nsource=https://x;\nverified=true\n";
  static const struct
  {
    const char     *id;
    GhDriverAnswer  virtio_gpu, virgl, qxl;
    GhDriverBecause qxl_because;
  } cases[] = {
    { "old", GH_DRIVER_NO, GH_DRIVER_NO, GH_DRIVER_YES, GH_DRIVER_BECAUSE_X_DRIVER },
    { "old-no-x", GH_DRIVER_NO, GH_DRIVER_NO, GH_DRIVER_NO, GH_DRIVER_BECAUSE_KERNEL },
    /* Too old for QXL KMS, and nothing said of X's driver: not a "no". */
    { "old-x-unsaid", GH_DRIVER_NO, GH_DRIVER_NO, GH_DRIVER_UNKNOWN,
      GH_DRIVER_BECAUSE_NOTHING },
    { "edge", GH_DRIVER_YES, GH_DRIVER_NO, GH_DRIVER_YES, GH_DRIVER_BECAUSE_KERNEL },
    { "virgl", GH_DRIVER_YES, GH_DRIVER_YES, GH_DRIVER_YES, GH_DRIVER_BECAUSE_KERNEL },
    { "no-mesa", GH_DRIVER_YES, GH_DRIVER_UNKNOWN, GH_DRIVER_YES, GH_DRIVER_BECAUSE_KERNEL },
    /* A vendor kernel numbered 3.10 may carry newer drivers: unknown, never "no". */
    { "vendor", GH_DRIVER_UNKNOWN, GH_DRIVER_UNKNOWN, GH_DRIVER_YES, GH_DRIVER_BECAUSE_KERNEL },
    /* A rolling distribution's versions are floors. */
    { "rolling", GH_DRIVER_UNKNOWN, GH_DRIVER_UNKNOWN, GH_DRIVER_YES,
      GH_DRIVER_BECAUSE_KERNEL },
    { "stated", GH_DRIVER_NO, GH_DRIVER_YES, GH_DRIVER_UNKNOWN, GH_DRIVER_BECAUSE_NOTHING },
    { "windows", GH_DRIVER_NO, GH_DRIVER_NO, GH_DRIVER_NO, GH_DRIVER_BECAUSE_STATED },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GhOsFacts) facts = parse (text, &error);
  g_autofree char *version = gh_os_facts_version_to_string (4019);

  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, "4.19");
  g_assert_null (gh_os_facts_lookup (facts, "absent"));
  g_assert_cmpint (gh_os_facts_row_answer (NULL, GH_DRIVER_QXL, NULL), ==, GH_DRIVER_UNKNOWN);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const GhOsFactsRow *row = gh_os_facts_lookup (facts, cases[i].id);
      GhDriverBecause because;

      g_test_message ("%s", cases[i].id);
      g_assert_nonnull (row);
      g_assert_cmpint (gh_os_facts_row_answer (row, GH_DRIVER_VIRTIO_GPU, NULL), ==,
                       cases[i].virtio_gpu);
      g_assert_cmpint (gh_os_facts_row_answer (row, GH_DRIVER_VIRGL, NULL), ==,
                       cases[i].virgl);
      g_assert_cmpint (gh_os_facts_row_answer (row, GH_DRIVER_QXL, &because), ==,
                       cases[i].qxl);
      g_assert_cmpint (because, ==, cases[i].qxl_because);
    }

  g_assert_cmpstr (gh_os_facts_lookup (facts, "windows")->addon[GH_DRIVER_QXL], ==,
                   "an add-on");
  g_assert_null (gh_os_facts_lookup (facts, "windows")->addon[GH_DRIVER_VIRTIO_GPU]);
}

int
main (int    argc,
      char **argv)
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/os-facts/built-in", test_built_in);
  g_test_add_func ("/core/os-facts/refused", test_refused);
  g_test_add_func ("/core/os-facts/derived", test_derived);

  return g_test_run ();
}
