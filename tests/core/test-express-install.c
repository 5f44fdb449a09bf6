/* test-express-install.c: the express install against the installed osinfo-db and the
 * Debian installer's real kernel and initrd
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* O_TMPFILE */
#define _GNU_SOURCE

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "gh-express-install-private.h"
#include "gh-test-util.h"

#define INSTALLER_DIR "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"

/* Loaded once: every lookup of an OS asks for it. */
static OsinfoDb *
loaded_db (void)
{
  GhOsDb *db = gh_os_db_get_default ();

  if (!gh_os_db_get_loaded (db))
    gh_test_load_os_db ();

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

/* ---- What survives ----------------------------------------------------------------- */

/* "owner question" of each line of a preseed that sets something. */
static GStrv
preseed_keys (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 3);

      if (fields[0] == NULL || fields[1] == NULL)
        g_strv_builder_add (keys, lines[i]);
      else
        g_strv_builder_add (keys, fields[1]);
    }
  return g_strv_builder_end (keys);
}

/* The %post of a kickstart, from its "%post" line to its "%end". */
static char *
kickstart_post (const char *text)
{
  const char *start = strstr (text, "\n%post");
  const char *end;

  g_assert_nonnull (start);
  start = strchr (start + 1, '\n') + 1;
  end = strstr (start, "\n%end\n");
  g_assert_nonnull (end);
  return g_strndup (start, end - start + 1);
}

static char *
run_bash (const char *script,
          const char *dir,
          int        *status)
{
  const char *argv[] = { "bash", "-c", script, "bash", dir, NULL };
  g_autoptr(GError) error = NULL;
  char *err = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               &err, status, &error));
  g_assert_no_error (error);
  return err;
}

/* What %post gives passwd --stdin for @login and for root, as bash runs it. */
static void
assert_kickstart_passwords (const char *text,
                            const char *login,
                            const char *password)
{
  g_autofree char *post = kickstart_post (text);
  g_autofree char *dir = g_dir_make_tmp ("ks-XXXXXX", NULL);
  g_autoptr(GString) lines = g_string_new ("d=\"$1\"\n"
                                           "passwd () { cat > \"$d/$2\"; }\n"
                                           "rootpw () { printf '%s\\n' \"$1\" > \"$d/root\"; }\n");
  g_auto(GStrv) text_lines = g_strsplit (text, "\n", -1);
  g_autofree char *check = NULL;
  g_auto(GStrv) post_lines = g_strsplit (post, "\n", -1);
  g_autofree char *err = NULL;
  const char *who[] = { login, "root" };
  int status;

  /* The kickstart parser splits a command's line as a POSIX shell does; its "rootpw"
   * sets the administrator's password (or a placeholder that %post replaces). */
  for (guint i = 0; text_lines[i] != NULL; i++)
    if (g_str_has_prefix (text_lines[i], "rootpw "))
      g_string_append_printf (lines, "%s\n", text_lines[i]);

  /* The whole %post parses; then only its passwd lines run, against a stand-in. */
  check = g_strdup_printf ("exec bash -n <<'GH_EOF'\n%sGH_EOF\n", post);
  err = run_bash (check, dir, &status);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_clear_pointer (&err, g_free);

  for (guint i = 0; post_lines[i] != NULL; i++)
    if (strstr (post_lines[i], "|passwd --stdin ") != NULL)
      g_string_append_printf (lines, "%s\n", post_lines[i]);
  err = run_bash (lines->str, dir, &status);
  g_assert_cmpstr (err, ==, "");

  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      g_autofree char *path = g_build_filename (dir, who[i], NULL);
      g_autofree char *got = NULL;
      g_autofree char *expected = g_strconcat (password, "\n", NULL);

      g_assert_true (g_file_get_contents (path, &got, NULL, NULL));
      g_assert_cmpstr (got, ==, expected);
      g_unlink (path);
    }
  g_rmdir (dir);
}

typedef struct
{
  const char *password;
  gboolean    preseed;     /* a preseed carries it exactly; else it is refused */
  gboolean    kickstart;
} PasswordCase;

static const PasswordCase password_cases[] = {
  { "it's", TRUE, TRUE },
  { "say \"hi\"", TRUE, TRUE },
  { "back\\slash", FALSE, TRUE },
  { "$HOME and $(id)", TRUE, TRUE },
  { "`id`", TRUE, TRUE },
  { "two words", TRUE, TRUE },
  { "Grüße, señor", TRUE, TRUE },
  { "'; reboot; echo '", TRUE, TRUE },
  { "%end", TRUE, TRUE },
  { "-n", TRUE, FALSE },
  { " leading", FALSE, TRUE },
  { "trailing ", FALSE, TRUE },
  { "line\nd-i passwd/root-password password x", FALSE, FALSE },
  { "tab\there", FALSE, FALSE },
};

typedef struct
{
  const char *name;
  const char *os_id;
  guint       media;
  gboolean    kickstart;
} ScriptCase;

static const ScriptCase script_cases[] = {
  { "debian", "http://debian.org/debian/testing", 0, FALSE },
  { "ubuntu", "http://ubuntu.com/ubuntu/22.04", 0, FALSE },
  { "fedora", "http://fedoraproject.org/fedora/37", 1, TRUE },
};

static void
assert_preseed_line (const char *text,
                     const char *key,
                     const char *value)
{
  g_autofree char *line = g_strdup_printf ("\n%s %s\n", key, value);

  if (strstr (text, line) == NULL)
    g_error ("no line “%s %s” in the preseed", key, value);
}

/* Every password is set exactly on the installed system, for the user and the
 * administrator, or refused with a reason before any script is written. */
static void
test_passwords (gconstpointer data)
{
  const ScriptCase *c = data;
  g_autoptr(OsinfoMedia) media = db_media (c->os_id, c->media);
  g_autoptr(GhExpressConfig) config = test_config ();
  g_auto(GhExpressScript) plain = { NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) plain_keys = NULL;

  g_assert_true (_gh_express_generate (media, config, "x", NULL, &plain, &error));
  g_assert_no_error (error);
  if (!c->kickstart)
    plain_keys = preseed_keys (plain.text);

  for (guint i = 0; i < G_N_ELEMENTS (password_cases); i++)
    {
      const PasswordCase *p = &password_cases[i];
      gboolean expected = c->kickstart ? p->kickstart : p->preseed;
      g_auto(GhExpressScript) script = { NULL };
      gboolean ok;

      g_test_message ("password “%s”", p->password);
      g_free (config->password);
      config->password = g_strdup (p->password);
      ok = _gh_express_generate (media, config, "x", NULL, &script, &error);
      if (!expected)
        {
          g_assert_false (ok);
          g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
          g_assert_cmpstr (gh_error_get_what (error), ==,
                           "Could not prepare the automatic installation");
          g_assert_true (strlen (gh_error_get_detail (error)) > 10);
          g_assert_null (script.text);
          g_clear_error (&error);
          continue;
        }

      g_assert_no_error (error);
      g_assert_true (ok);
      if (c->kickstart)
        {
          assert_kickstart_passwords (script.text, config->user_login, p->password);
        }
      else
        {
          g_auto(GStrv) keys = preseed_keys (script.text);

          /* The same questions as with a plain password, and no other. */
          g_assert_cmpstrv (keys, plain_keys);
          assert_preseed_line (script.text, "d-i passwd/user-password password", p->password);
          assert_preseed_line (script.text, "d-i passwd/user-password-again password",
                               p->password);
          if (strstr (plain.text, "passwd/root-password password") != NULL)
            assert_preseed_line (script.text, "d-i passwd/root-password password", p->password);
        }
    }
}

typedef struct
{
  const char *field;
  const char *value;
} AnswerCase;

/* Each would reach a preseed's line, a kernel's command line or a shell of %post. */
static const AnswerCase bad_answers[] = {
  { "login", "x y" },
  { "login", "x;reboot" },
  { "login", "$(id)" },
  { "login", "root" },
  { "login", "Upper" },
  { "realname", "Green\nd-i passwd/root-password password x" },
  { "realname", "Smith, John" },
  { "realname", "a:b" },
  { "realname", "ends\\" },
  { "language", "de_DE debconf/priority=low" },
  { "language", "de_DE\nlang x" },
  { "language", "$(reboot)" },
  { "timezone", "Europe/Berlin x" },
  { "timezone", "../../etc/passwd" },
  { "timezone", "Europe/Berlin;reboot" },
  { "keyboard", "de x" },
  { "keyboard", "de'" },
  { "keyboard", "$(id)" },
  { "hostname", "a b" },
  { "hostname", "-x" },
};

static void
set_answer (GhExpressConfig *config,
            const char      *field,
            const char      *value)
{
  char **slot = g_str_equal (field, "login") ? &config->user_login
                : g_str_equal (field, "realname") ? &config->user_realname
                : g_str_equal (field, "language") ? &config->language
                : g_str_equal (field, "timezone") ? &config->timezone
                : g_str_equal (field, "keyboard") ? &config->keyboard
                : &config->hostname;

  g_free (*slot);
  *slot = g_strdup (value);
}

static void
test_answers (gconstpointer data)
{
  const ScriptCase *c = data;
  g_autoptr(OsinfoMedia) media = db_media (c->os_id, c->media);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_answers); i++)
    {
      g_autoptr(GhExpressConfig) config = test_config ();
      g_auto(GhExpressScript) script = { NULL };

      g_test_message ("%s “%s”", bad_answers[i].field, bad_answers[i].value);
      set_answer (config, bad_answers[i].field, bad_answers[i].value);
      g_assert_false (_gh_express_generate (media, config, "x", NULL, &script, &error));
      g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
      g_assert_true (strlen (gh_error_get_detail (error)) > 10);
      g_assert_null (script.text);
      g_clear_error (&error);

      /* The wizard asks the same before Create. */
      g_assert_false (gh_express_config_check (config, media, &error));
      g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
    }

  /* Quotes and letters beyond ASCII are a name's own: they get through as they are. */
  {
    g_autoptr(GhExpressConfig) config = test_config ();
    g_auto(GhExpressScript) script = { NULL };

    set_answer (config, "realname", "Zoë O'Brien \"Z\" $HOME");
    set_answer (config, "timezone", "America/Argentina/Buenos_Aires");
    g_assert_true (gh_express_config_check (config, media, &error));
    g_assert_no_error (error);
    g_assert_true (_gh_express_generate (media, config, "x", NULL, &script, &error));
    g_assert_no_error (error);
    if (c->kickstart)
      assert_kickstart_passwords (script.text, config->user_login, config->password);
    else
      assert_preseed_line (script.text, "d-i passwd/user-fullname string",
                           "Zoë O'Brien \"Z\" $HOME");
  }
}

/* ---- The boot files ---------------------------------------------------------------- */

/* main() points TMPDIR at a directory of this test's own. */
static char *test_tmpdir;

static void
assert_tmpdir_empty (void)
{
  g_autoptr(GDir) dir = g_dir_open (test_tmpdir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  name = g_dir_read_name (dir);
  if (name != NULL)
    g_error ("“%s” was left in the temporary directory", name);
}

static char *
read_fd (int    fd,
         gsize *len)
{
  GByteArray *bytes = g_byte_array_new ();
  guint8 buffer[65536];
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_byte_array_append (bytes, buffer, (guint) n);
  g_assert_cmpint (n, ==, 0);
  *len = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (bytes, FALSE);
}

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

/* An ISO in a directory of its own (not the test's TMPDIR) with "initrd", 3 MiB of zeros
 * that zisofs packs into a few kilobytes, and "big", 2 MiB stored as they are. */
static gboolean
have_xorriso (void)
{
  g_autofree char *path = g_find_program_in_path ("xorriso");

  return path != NULL;
}

static char *
make_bomb_iso (void)
{
  g_autofree char *dir = g_strdup ("/tmp/greenhouse-express-iso-XXXXXX");
  g_autofree char *zeros = NULL;
  g_autofree char *initrd = NULL;
  g_autofree char *big = NULL;
  char *iso;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_nonnull (g_mkdtemp (dir));
  zeros = g_malloc0 (3 << 20);
  initrd = g_build_filename (dir, "initrd", NULL);
  big = g_build_filename (dir, "big", NULL);
  iso = g_build_filename (dir, "bomb.iso", NULL);
  g_assert_true (g_file_set_contents (initrd, zeros, 3 << 20, NULL));
  g_assert_true (g_file_set_contents (big, zeros, 2 << 20, NULL));
  {
    const char *argv[] = { "xorriso", "-outdev", iso, "-blank", "as_needed",
                           "-map", initrd, "/initrd", "-set_filter_r", "--zisofs", "/initrd", "--",
                           "-map", big, "/big", "-commit", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xorriso failed: %s", err);
  g_unlink (initrd);
  g_unlink (big);
  return iso;
}

static void
remove_bomb_iso (const char *iso)
{
  g_autofree char *dir = g_path_get_dirname (iso);

  g_unlink (iso);
  g_rmdir (dir);
}

/* A small image whose file expands past the limit is refused, and what was written of it
 * stays under the limit. */
static void
test_extract_too_large (void)
{
  g_autofree char *iso = NULL;
  const char *members[] = { "initrd", NULL };
  const goffset max_sizes[] = { 1 << 20 };
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  int fds[1];

  if (!have_xorriso ())
    {
      g_test_skip ("no xorriso");
      return;
    }
  iso = make_bomb_iso ();
  fds[0] = open (test_tmpdir, O_TMPFILE | O_RDWR, 0600);
  g_assert_cmpint (fds[0], >=, 0);

  g_assert_false (_gh_express_extract (iso, members, fds, max_sizes, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Could not read the installer from the install media: "
                                       "the installer on it is much larger than an installer "
                                       "can be");
  g_assert_cmpint (fstat (fds[0], &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, max_sizes[0]);
  close (fds[0]);
  g_clear_error (&error);

  /* Within the limit it is copied whole. */
  {
    const goffset enough[] = { 4 << 20 };

    fds[0] = open (test_tmpdir, O_TMPFILE | O_RDWR, 0600);
    g_assert_true (_gh_express_extract (iso, members, fds, enough, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (fstat (fds[0], &st), ==, 0);
    g_assert_cmpint (st.st_size, ==, 3 << 20);
    close (fds[0]);
  }

  remove_bomb_iso (iso);
  assert_tmpdir_empty ();
}

typedef struct
{
  int           fd;
  GCancellable *cancellable;
  gsize         read;
} Drain;

static gpointer
drain_thread (gpointer data)
{
  Drain *drain = data;
  char buffer[4096];
  gssize n;

  while ((n = read (drain->fd, buffer, sizeof buffer)) > 0)
    {
      /* Cancelled as soon as the first bytes of the file arrive. */
      if (drain->read == 0)
        g_cancellable_cancel (drain->cancellable);
      drain->read += n;
    }
  return NULL;
}

/* Cancelling stops the copy in the middle of a file, not at its end. */
static void
test_extract_cancel (void)
{
  g_autofree char *iso = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *members[] = { "big", NULL };
  const goffset max_sizes[] = { 4 << 20 };
  g_autoptr(GError) error = NULL;
  Drain drain = { -1, cancellable, 0 };
  GThread *thread;
  int pipe_fds[2];

  if (!have_xorriso ())
    {
      g_test_skip ("no xorriso");
      return;
    }
  iso = make_bomb_iso ();
  g_assert_cmpint (pipe (pipe_fds), ==, 0);
  drain.fd = pipe_fds[0];
  thread = g_thread_new ("drain", drain_thread, &drain);

  g_assert_false (_gh_express_extract (iso, members, &pipe_fds[1], max_sizes, cancellable,
                                       &error));
  close (pipe_fds[1]);
  g_thread_join (thread);
  close (pipe_fds[0]);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (drain.read, >, 0);
  g_assert_cmpuint (drain.read, <, 2 << 20);

  remove_bomb_iso (iso);
}

/* The boot files have no name in the temporary directory, whether they are made, refused
 * or cancelled: nothing holding the password is left there, even if Greenhouse dies. */
static void
test_boot_files_nameless (void)
{
  const char *installer = g_getenv ("GREENHOUSE_INSTALLER_ISO");
  g_autoptr(OsinfoMedia) media = db_media ("http://debian.org/debian/testing", 0);
  g_autoptr(GhExpressConfig) config = test_config ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(GhExpressScript) script = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;
  int kernel = -1, initrd = -1;

  g_assert_true (_gh_express_generate (media, config, "x", NULL, &script, &error));
  g_assert_no_error (error);

  /* Media without the installer where libosinfo says. */
  if (have_xorriso ())
    {
      iso = make_bomb_iso ();
      g_assert_false (_gh_express_write_boot_files (iso, media, &script, &kernel, &initrd, NULL,
                                                    &error));
      g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
      g_clear_error (&error);
      remove_bomb_iso (iso);
      assert_tmpdir_empty ();
    }

  if (installer == NULL || !g_file_test (installer, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no installer ISO");
      return;
    }

  g_cancellable_cancel (cancellable);
  g_assert_false (_gh_express_write_boot_files (installer, media, &script, &kernel, &initrd,
                                                cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_tmpdir_empty ();
  g_clear_error (&error);

  g_assert_true (_gh_express_write_boot_files (installer, media, &script, &kernel, &initrd, NULL,
                                               &error));
  g_assert_no_error (error);
  assert_tmpdir_empty ();
  close (kernel);
  close (initrd);
}

static void
test_boot_files (void)
{
  const char *iso = g_getenv ("GREENHOUSE_INSTALLER_ISO");
  g_autoptr(OsinfoMedia) media = NULL;
  g_autoptr(GhExpressConfig) config = test_config ();
  g_auto(GhExpressScript) script = { NULL };
  g_autoptr(GError) error = NULL;
  int kernel = -1;
  int initrd = -1;
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

  /* The password is in no file of the temporary directory, even before the upload. */
  assert_tmpdir_empty ();
  kernel_bytes = read_fd (kernel, &kernel_len);
  initrd_bytes = read_fd (initrd, &initrd_len);
  close (kernel);
  close (initrd);
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
  const goffset max_sizes[] = { 1 << 30 };
  g_autofree char *path = NULL;

  if (iso == NULL || !g_file_test (iso, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no installer ISO");
      return;
    }

  fds[0] = g_file_open_tmp ("greenhouse-test-XXXXXX", &path, NULL);
  g_assert_cmpint (fds[0], >=, 0);
  g_assert_false (_gh_express_extract (iso, members, fds, max_sizes, NULL, &error));
  close (fds[0]);
  g_unlink (path);
  g_clear_pointer (&path, g_free);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Could not read the installer from the install media: "
                                       "it has no file “isolinux/vmlinuz”");
  g_clear_error (&error);

  /* Not an ISO at all. */
  fds[0] = g_file_open_tmp ("greenhouse-test-XXXXXX", &path, NULL);
  g_assert_false (_gh_express_extract (INSTALLER_DIR "/linux", members, fds, max_sizes, NULL,
                                       &error));
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
  int ret;

  /* Before GLib reads it: every temporary file of the test lands here. */
  test_tmpdir = g_strdup ("/tmp/greenhouse-express-test-XXXXXX");
  g_assert_nonnull (g_mkdtemp (test_tmpdir));
  g_setenv ("TMPDIR", test_tmpdir, TRUE);

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
  for (guint i = 0; i < G_N_ELEMENTS (script_cases); i++)
    {
      g_autofree char *passwords = g_strdup_printf ("/core/express/passwords/%s",
                                                    script_cases[i].name);
      g_autofree char *answers = g_strdup_printf ("/core/express/answers/%s",
                                                  script_cases[i].name);

      g_test_add_data_func (passwords, &script_cases[i], test_passwords);
      g_test_add_data_func (answers, &script_cases[i], test_answers);
    }
  g_test_add_func ("/core/express/hostname", test_hostname);
  g_test_add_func ("/core/express/config-for-user", test_config_for_user);
  g_test_add_func ("/core/express/boot-files", test_boot_files);
  g_test_add_func ("/core/express/boot-files-missing", test_boot_files_missing);
  g_test_add_func ("/core/express/boot-files-nameless", test_boot_files_nameless);
  g_test_add_func ("/core/express/extract/too-large", test_extract_too_large);
  g_test_add_func ("/core/express/extract/cancel", test_extract_cancel);

  ret = g_test_run ();
  g_rmdir (test_tmpdir);
  return ret;
}
