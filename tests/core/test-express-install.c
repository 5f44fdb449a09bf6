/* test-express-install.c: the express install against the installed osinfo-db and the
 * Debian installer's real kernel and initrd
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "gh-express-install-private.h"
#include "gh-test-util.h"

#define INSTALLER_DIR "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"

static OsinfoDb *
loaded_db (void)
{
  GhOsDb *db = gh_os_db_get_default ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!gh_os_db_get_loaded (db))
    {
      gh_os_db_load_async (db, NULL, gh_test_store_result, &result);
      gh_test_wait_until_within (result != NULL, GH_TEST_OSINFO_TIMEOUT_SECONDS,
                                 "the OS database to load");
      g_assert_true (gh_os_db_load_finish (db, result, &error));
      g_assert_no_error (error);
    }

  return _gh_os_db_get_db (db);
}

/* The media of the database with this id ("http://debian.org/debian/testing:0"). */
static OsinfoMedia *
db_media (const char *os_id,
          guint       index)
{
  OsinfoOs *os = osinfo_db_get_os (loaded_db (), os_id);
  g_autoptr(OsinfoMediaList) media = NULL;
  g_autofree char *id = g_strdup_printf ("%s:%u", os_id, index);
  OsinfoEntity *entity;

  g_assert_nonnull (os);
  media = osinfo_os_get_media_list (os);
  entity = osinfo_list_find_by_id (OSINFO_LIST (media), id);
  g_assert_nonnull (entity);
  return g_object_ref (OSINFO_MEDIA (entity));
}

static GhExpressConfig *
test_config (void)
{
  GhExpressConfig *config = g_new0 (GhExpressConfig, 1);

  config->user_login = g_strdup ("greenhouse-test");
  config->user_realname = g_strdup ("Green House");
  config->password = g_strdup ("s3cret-pass");
  config->language = g_strdup ("de_DE");
  config->timezone = g_strdup ("Europe/Berlin");
  config->keyboard = g_strdup ("de");
  return config;
}

/* ---- Which OSes -------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *os_id;
  guint       media;
  gboolean    supported;
  const char *reason;    /* part of it */
} SupportCase;

static const SupportCase support_cases[] = {
  /* Netinst: preseed in the initrd. */
  { "debiantesting", "http://debian.org/debian/testing", 0, TRUE, NULL },
  { "debian11", "http://debian.org/debian/11", 0, TRUE, NULL },
  /* Fedora's Everything netinst (kickstart), and its Workstation live image, which the
   * database marks as unable to take a script. */
  { "fedora37-netinst", "http://fedoraproject.org/fedora/37", 1, TRUE, NULL },
  { "fedora37-live", "http://fedoraproject.org/fedora/37", 0, FALSE, "cannot install by itself" },
  /* The desktop image's preseed, and the live server image (subiquity), marked not. */
  { "ubuntu22.04-desktop", "http://ubuntu.com/ubuntu/22.04", 0, TRUE, NULL },
  { "ubuntu22.04-server", "http://ubuntu.com/ubuntu/22.04", 1, FALSE, "cannot install by itself" },
  { "win11", "http://microsoft.com/win/11", 0, FALSE, "cannot install Windows by itself yet" },
};

static void
test_supported (gconstpointer data)
{
  const SupportCase *c = data;
  g_autoptr(OsinfoMedia) media = db_media (c->os_id, c->media);
  g_autofree char *reason = NULL;
  gboolean supported;

  supported = gh_express_install_supported (media, &reason);
  g_test_message ("%s:%u: %s", c->os_id, c->media, reason != NULL ? reason : "supported");
  g_assert_cmpint (supported, ==, c->supported);
  if (c->supported)
    {
      g_assert_null (reason);
    }
  else
    {
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, c->reason));
    }
}

/* Media libosinfo could not name gets a reason, not a crash. */
static void
test_unknown_media (void)
{
  g_autoptr(OsinfoMedia) media = osinfo_media_new ("https://greenhouse.invalid/unknown",
                                                   "x86_64");
  g_autofree char *reason = NULL;

  g_assert_false (gh_express_install_supported (media, &reason));
  g_assert_cmpstr (reason, ==, "Greenhouse does not know which operating system this is");
}

/* ---- The answers ------------------------------------------------------------------- */

static void
test_generate_debian (void)
{
  g_autoptr(OsinfoMedia) media = db_media ("http://debian.org/debian/testing", 0);
  g_autoptr(GhExpressConfig) config = test_config ();
  g_auto(GhExpressScript) script = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *cmdline = NULL;

  g_assert_true (_gh_express_generate (media, config, "My Debian (2)", NULL, &script, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (script.filename, ==, "preseed.cfg");
  /* The installer asks nothing it is told here. */
  g_assert_nonnull (strstr (script.text, "passwd/username greenhouse-test\n"));
  g_assert_nonnull (strstr (script.text, "passwd/user-fullname string Green House\n"));
  g_assert_nonnull (strstr (script.text, "passwd/user-password password s3cret-pass\n"));
  g_assert_nonnull (strstr (script.text, "passwd/root-password password s3cret-pass\n"));
  g_assert_nonnull (strstr (script.text, "debian-installer/locale string de_DE\n"));
  g_assert_nonnull (strstr (script.text, "time/zone select Europe/Berlin\n"));
  g_assert_nonnull (strstr (script.text, "netcfg/get_hostname string my-debian-2\n"));
  /* A virtio disk: the script's own default. */
  g_assert_nonnull (strstr (script.text, "/dev/vda"));
  g_assert_nonnull (strstr (script.cmdline, "keyboard-configuration/xkb-keymap=de"));
  g_assert_false (g_str_has_prefix (script.cmdline, " "));

  /* The review page's command line is the one the machine gets. */
  cmdline = _gh_express_dup_cmdline (media, config, "My Debian (2)", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cmdline, ==, script.cmdline);
}

static void
test_generate_fedora (void)
{
  g_autoptr(OsinfoMedia) media = db_media ("http://fedoraproject.org/fedora/37", 1);
  g_autoptr(GhExpressConfig) config = test_config ();
  g_auto(GhExpressScript) script = { NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (_gh_express_generate (media, config, "fedora", "/dev/sda", &script, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (script.filename, ==, "fedora.ks");
  g_assert_nonnull (strstr (script.text, "greenhouse-test"));
  g_assert_nonnull (strstr (script.text, "s3cret-pass"));
  g_assert_nonnull (strstr (script.text, "sda"));
  /* Anaconda reads the kickstart from the initrd because the command line says so. */
  g_assert_nonnull (strstr (script.cmdline, "inst.ks=file:/fedora.ks"));
}

typedef struct
{
  GhExpressConfig *config;
  gint             done;     /* 1: written, 2: failed */
} GenerateRun;

static gpointer
generate_thread (gpointer data)
{
  GenerateRun *run = data;
  g_autoptr(OsinfoMedia) media = db_media ("http://debian.org/debian/testing", 0);
  g_auto(GhExpressScript) script = { NULL };
  gboolean ok;

  ok = _gh_express_generate (media, run->config, "x", NULL, &script, NULL)
       && script.text != NULL;
  g_atomic_int_set (&run->done, ok ? 1 : 2);
  return NULL;
}

/* The creator writes the script in a worker while the main thread runs its loop:
 * libosinfo must not need the main thread for it. */
static void
test_generate_in_worker (void)
{
  g_autoptr(GhExpressConfig) config = test_config ();
  GenerateRun run = { config, 0 };
  GThread *thread;

  loaded_db ();
  /* As an application's main thread does while its loop runs. */
  g_assert_true (g_main_context_acquire (NULL));
  thread = g_thread_new ("generate", generate_thread, &run);
  gh_test_wait_until_within (g_atomic_int_get (&run.done) != 0, 30,
                             "the script to be written in a worker");
  g_main_context_release (NULL);
  g_thread_join (thread);
  g_assert_cmpint (run.done, ==, 1);
}

/* An empty password is never written into an installed system. */
static void
test_generate_refuses (void)
{
  g_autoptr(OsinfoMedia) debian = db_media ("http://debian.org/debian/testing", 0);
  g_autoptr(OsinfoMedia) windows = db_media ("http://microsoft.com/win/11", 0);
  g_autoptr(GhExpressConfig) config = test_config ();
  g_auto(GhExpressScript) script = { NULL };
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&config->password, g_free);
  config->password = g_strdup ("");
  g_assert_false (_gh_express_generate (debian, config, "x", NULL, &script, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Could not prepare the automatic installation: the user has no password");
  g_assert_null (script.text);
  g_clear_error (&error);

  g_free (config->password);
  config->password = g_strdup ("x");
  g_assert_false (_gh_express_generate (windows, config, "x", NULL, &script, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (gh_error_get_detail (error), ==,
                   "Greenhouse cannot install Windows by itself yet");
}

static void
test_hostname (void)
{
  static const struct { const char *name; const char *hostname; } cases[] = {
    { "debian", "debian" },
    { "My Debian (2)", "my-debian-2" },
    { "--Fedora__37--", "fedora-37" },
    { "Ubuntu 22.04 LTS", "ubuntu-22-04-lts" },
    { "Übung", "bung" },
    { "((()))", "greenhouse" },
    { "", "greenhouse" },
  };
  g_autofree char *long_name = g_strnfill (100, 'a');
  g_autofree char *long_host = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *hostname = _gh_express_dup_hostname (cases[i].name);

      g_assert_cmpstr (hostname, ==, cases[i].hostname);
    }

  long_host = _gh_express_dup_hostname (long_name);
  g_assert_cmpuint (strlen (long_host), ==, 63);
}

static void
test_config_for_user (void)
{
  g_autoptr(GhExpressConfig) config = NULL;
  g_autoptr(GhExpressConfig) copy = NULL;
  g_autofree char *lc_all = g_strdup (g_getenv ("LC_ALL"));
  g_autofree char *lc_messages = g_strdup (g_getenv ("LC_MESSAGES"));
  g_autofree char *lang = g_strdup (g_getenv ("LANG"));

  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "pt_BR.UTF-8", TRUE);
  config = gh_express_config_new_for_user ();
  g_assert_cmpstr (config->user_login, ==, g_get_user_name ());
  g_assert_cmpstr (config->language, ==, "pt_BR");
  g_assert_null (config->password);
  g_assert_nonnull (config->timezone);
  g_assert_true (config->timezone[0] != '/' && config->timezone[0] != '\0');
  g_assert_nonnull (config->keyboard);

  copy = gh_express_config_copy (config);
  g_assert_cmpstr (copy->user_login, ==, config->user_login);
  g_assert_cmpstr (copy->timezone, ==, config->timezone);
  g_clear_pointer (&config, gh_express_config_free);

  /* The C locale names no language: the installer keeps its own default. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  config = gh_express_config_new_for_user ();
  g_assert_null (config->language);
  g_clear_pointer (&config, gh_express_config_free);

  g_setenv ("LC_ALL", "de_CH.UTF-8@euro", TRUE);
  config = gh_express_config_new_for_user ();
  g_assert_cmpstr (config->language, ==, "de_CH");

  if (lc_all != NULL) g_setenv ("LC_ALL", lc_all, TRUE); else g_unsetenv ("LC_ALL");
  if (lc_messages != NULL) g_setenv ("LC_MESSAGES", lc_messages, TRUE); else g_unsetenv ("LC_MESSAGES");
  if (lang != NULL) g_setenv ("LANG", lang, TRUE); else g_unsetenv ("LANG");
}

/* ---- The boot files ---------------------------------------------------------------- */

/* The file @name in a gzip-compressed cpio archive, read back with libarchive. */
static char *
read_cpio_member (const guint8 *data,
                  gsize         len,
                  const char   *name)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  char *found = NULL;

  archive_read_support_filter_gzip (archive);
  archive_read_support_format_cpio (archive);
  g_assert_cmpint (archive_read_open_memory (archive, data, len), ==, ARCHIVE_OK);
  while (found == NULL && archive_read_next_header (archive, &entry) == ARCHIVE_OK)
    {
      gsize size;

      if (!g_str_equal (archive_entry_pathname (entry), name))
        continue;
      /* newc: the kernel's own cpio format */
      g_assert_cmpint (archive_format (archive), ==, ARCHIVE_FORMAT_CPIO_SVR4_NOCRC);
      g_assert_cmpint (archive_entry_filetype (entry), ==, AE_IFREG);
      size = (gsize) archive_entry_size (entry);
      found = g_malloc0 (size + 1);
      g_assert_cmpint (archive_read_data (archive, found, size), ==, (la_ssize_t) size);
    }
  archive_read_free (archive);
  return found;
}

static void
test_boot_files (void)
{
  const char *iso = g_getenv ("GREENHOUSE_INSTALLER_ISO");
  g_autoptr(OsinfoMedia) media = NULL;
  g_autoptr(GhExpressConfig) config = test_config ();
  g_auto(GhExpressScript) script = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autofree char *kernel_bytes = NULL;
  g_autofree char *initrd_bytes = NULL;
  g_autofree char *original_kernel = NULL;
  g_autofree char *original_initrd = NULL;
  g_autofree char *preseed = NULL;
  gsize kernel_len, initrd_len, original_kernel_len, original_initrd_len;

  if (iso == NULL || !g_file_test (iso, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no installer ISO (tests/e2e/guests/make-iso needs xorriso, isolinux "
                   "and debian-installer-12-netboot-amd64)");
      return;
    }

  /* The ISO as the wizard sees it: identified by libosinfo, not taken from the database. */
  {
    GhOsDb *db = gh_os_db_get_default ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GhMediaInfo) info = NULL;

    loaded_db ();
    gh_os_db_identify_media_async (db, iso, NULL, gh_test_store_result, &result);
    gh_test_wait_until_within (result != NULL, GH_TEST_OSINFO_TIMEOUT_SECONDS,
                               "the ISO to be identified");
    info = gh_os_db_identify_media_finish (db, result, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (info->os_id, ==, "http://debian.org/debian/testing");
    g_assert_nonnull (info->media);
    media = g_object_ref (info->media);
  }
  g_assert_true (gh_express_install_supported (media, NULL));

  g_assert_true (_gh_express_generate (media, config, "debian", NULL, &script, &error));
  g_assert_no_error (error);
  g_assert_true (_gh_express_write_boot_files (iso, media, &script, &kernel, &initrd, NULL,
                                               &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (kernel, &kernel_bytes, &kernel_len, NULL));
  g_assert_true (g_file_get_contents (initrd, &initrd_bytes, &initrd_len, NULL));
  g_unlink (kernel);
  g_unlink (initrd);
  g_assert_true (g_file_get_contents (INSTALLER_DIR "/linux", &original_kernel,
                                      &original_kernel_len, NULL));
  g_assert_true (g_file_get_contents (INSTALLER_DIR "/initrd.gz", &original_initrd,
                                      &original_initrd_len, NULL));

  /* The kernel as it is; the initrd as it is, and the answers after it. */
  g_assert_cmpmem (kernel_bytes, kernel_len, original_kernel, original_kernel_len);
  g_assert_cmpuint (initrd_len, >, original_initrd_len);
  g_assert_cmpmem (initrd_bytes, original_initrd_len, original_initrd, original_initrd_len);
  preseed = read_cpio_member ((const guint8 *) initrd_bytes + original_initrd_len,
                              initrd_len - original_initrd_len, "preseed.cfg");
  g_assert_cmpstr (preseed, ==, script.text);
}

/* Media whose installer is not where libosinfo says: a readable reason. */
static void
test_boot_files_missing (void)
{
  const char *iso = g_getenv ("GREENHOUSE_INSTALLER_ISO");
  g_autoptr(GError) error = NULL;
  const char *members[] = { "isolinux/vmlinuz", NULL };
  int fds[] = { -1 };
  g_autofree char *path = NULL;

  if (iso == NULL || !g_file_test (iso, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no installer ISO");
      return;
    }

  fds[0] = g_file_open_tmp ("greenhouse-test-XXXXXX", &path, NULL);
  g_assert_cmpint (fds[0], >=, 0);
  g_assert_false (_gh_express_extract (iso, members, fds, NULL, &error));
  close (fds[0]);
  g_unlink (path);
  g_clear_pointer (&path, g_free);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Could not read the installer from the install media: "
                                       "it has no file “isolinux/vmlinuz”");
  g_clear_error (&error);

  /* Not an ISO at all. */
  fds[0] = g_file_open_tmp ("greenhouse-test-XXXXXX", &path, NULL);
  g_assert_false (_gh_express_extract (INSTALLER_DIR "/linux", members, fds, NULL, &error));
  close (fds[0]);
  g_unlink (path);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Could not read the installer from the install media: "));
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (support_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/express/supported/%s",
                                               support_cases[i].name);

      g_test_add_data_func (path, &support_cases[i], test_supported);
    }
  g_test_add_func ("/core/express/unknown-media", test_unknown_media);
  g_test_add_func ("/core/express/generate/debian", test_generate_debian);
  g_test_add_func ("/core/express/generate/fedora", test_generate_fedora);
  g_test_add_func ("/core/express/generate/refuses", test_generate_refuses);
  g_test_add_func ("/core/express/generate/in-worker", test_generate_in_worker);
  g_test_add_func ("/core/express/hostname", test_hostname);
  g_test_add_func ("/core/express/config-for-user", test_config_for_user);
  g_test_add_func ("/core/express/boot-files", test_boot_files);
  g_test_add_func ("/core/express/boot-files-missing", test_boot_files_missing);

  return g_test_run ();
}
