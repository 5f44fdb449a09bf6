/* gh-express-install.c: an operating system that installs itself
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "gh-core-private.h"
#include "gh-express-install-private.h"
#include "gh-os-db.h"

/* The installer learns its answers from a file at the root of its initrd (a Debian
 * preseed, a kickstart), which libosinfo writes from the user's few answers. Greenhouse
 * boots the install phase from the media's own kernel with that initrd, so nothing of
 * the media is changed and no extra disk is needed. Windows takes its answers from a
 * floppy or a second CD-ROM instead: not done yet. */

G_DEFINE_BOXED_TYPE (GhExpressConfig, gh_express_config,
                     gh_express_config_copy, gh_express_config_free)

/* ---- Who is asking ------------------------------------------------------------------ */

/* "de_DE" from the locale the session runs in, as glibc picks it; NULL for "C". */
static char *
dup_session_language (void)
{
  static const char * const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *value = g_getenv (vars[i]);
      g_autofree char *language = NULL;

      if (value == NULL || value[0] == '\0')
        continue;

      language = g_strndup (value, strcspn (value, ".@"));
      if (language[0] == '\0' || g_str_equal (language, "C") || g_str_equal (language, "POSIX"))
        return NULL;
      return g_steal_pointer (&language);
    }

  return NULL;
}

static gboolean
is_zone_name (const char *zone)
{
  return zone != NULL && zone[0] != '\0' && zone[0] != '/' && zone[0] != ':'
         && strstr (zone, "..") == NULL;
}

/* "Europe/Berlin": GLib resolves TZ and /etc/localtime; Debian also keeps the name in
 * /etc/timezone. */
static char *
dup_host_timezone (void)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  const char *identifier = g_time_zone_get_identifier (local);
  g_autofree char *contents = NULL;

  if (is_zone_name (identifier))
    return g_strdup (identifier);

  if (g_file_get_contents ("/etc/timezone", &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (is_zone_name (contents))
        return g_steal_pointer (&contents);
    }

  return g_strdup ("UTC");
}

/* The first X11 layout of the console's keyboard (Debian's /etc/default/keyboard, which
 * the desktop's default follows too); "us" when there is none. */
static char *
dup_host_keyboard (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/etc/default/keyboard", &contents, NULL, NULL))
    return g_strdup ("us");

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *value = g_strstrip (lines[i]);
      gsize len;

      if (!g_str_has_prefix (value, "XKBLAYOUT="))
        continue;
      value += strlen ("XKBLAYOUT=");
      len = strlen (value);
      if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
        {
          value[len - 1] = '\0';
          value++;
        }
      value[strcspn (value, ",")] = '\0';
      if (value[0] != '\0' && g_str_is_ascii (value) && strpbrk (value, " \t\"'") == NULL)
        return g_strdup (value);
    }

  return g_strdup ("us");
}

GhExpressConfig *
gh_express_config_new_for_user (void)
{
  GhExpressConfig *config = g_new0 (GhExpressConfig, 1);
  const char *real_name = g_get_real_name ();

  config->user_login = g_strdup (g_get_user_name ());
  /* GLib says "Unknown" when the password database has no name. */
  if (real_name != NULL && real_name[0] != '\0' && !g_str_equal (real_name, "Unknown"))
    config->user_realname = g_strdup (real_name);
  config->language = dup_session_language ();
  config->timezone = dup_host_timezone ();
  config->keyboard = dup_host_keyboard ();

  return config;
}

GhExpressConfig *
gh_express_config_copy (const GhExpressConfig *config)
{
  GhExpressConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (GhExpressConfig, 1);
  copy->user_login = g_strdup (config->user_login);
  copy->user_realname = g_strdup (config->user_realname);
  copy->password = g_strdup (config->password);
  copy->hostname = g_strdup (config->hostname);
  copy->language = g_strdup (config->language);
  copy->timezone = g_strdup (config->timezone);
  copy->keyboard = g_strdup (config->keyboard);
  return copy;
}

/* Overwrites a secret before its memory goes back. */
static void
free_secret (char *secret)
{
  if (secret == NULL)
    return;

  memset (secret, 0, strlen (secret));
  g_free (secret);
}

void
gh_express_config_free (GhExpressConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->user_login);
  g_free (config->user_realname);
  free_secret (config->password);
  g_free (config->hostname);
  g_free (config->language);
  g_free (config->timezone);
  g_free (config->keyboard);
  g_free (config);
}

void
_gh_express_script_clear (GhExpressScript *script)
{
  g_clear_pointer (&script->filename, g_free);
  g_clear_pointer (&script->text, free_secret);
  g_clear_pointer (&script->cmdline, g_free);
}

/* ---- Which script --------------------------------------------------------------------- */

static OsinfoInstallScript *
find_profile (OsinfoInstallScriptList *scripts,
              const char              *profile)
{
  guint n = scripts != NULL ? osinfo_list_get_length (OSINFO_LIST (scripts)) : 0;

  for (guint i = 0; i < n; i++)
    {
      OsinfoInstallScript *script =
        OSINFO_INSTALL_SCRIPT (osinfo_list_get_nth (OSINFO_LIST (scripts), i));

      if (g_strcmp0 (osinfo_install_script_get_profile (script), profile) == 0)
        return script;
    }

  return NULL;
}

OsinfoInstallScript *
_gh_express_find_script (OsinfoMedia  *media,
                         char        **reason)
{
  g_autoptr(OsinfoInstallScriptList) scripts = NULL;
  OsinfoInstallScript *script;
  OsinfoOs *os;

  g_return_val_if_fail (OSINFO_IS_MEDIA (media), NULL);

  os = osinfo_media_get_os (media);
  if (os == NULL)
    {
      if (reason != NULL)
        *reason = g_strdup (_("Greenhouse does not know which operating system this is"));
      return NULL;
    }

  if (g_strcmp0 (osinfo_os_get_family (os), "winnt") == 0)
    {
      if (reason != NULL)
        *reason = g_strdup (_("Greenhouse cannot install Windows by itself yet"));
      g_object_unref (os);
      return NULL;
    }

  /* Some media have scripts of their own (a server and a desktop image of one release). */
  scripts = osinfo_media_get_install_script_list (media);
  if (scripts == NULL || osinfo_list_get_length (OSINFO_LIST (scripts)) == 0)
    {
      g_clear_object (&scripts);
      scripts = osinfo_os_get_install_script_list (os);
    }
  g_object_unref (os);

  script = find_profile (scripts, "desktop");
  if (script == NULL)
    script = find_profile (scripts, "jeos");
  if (script == NULL)
    {
      if (reason != NULL)
        *reason = g_strdup (_("There is no automatic installation for this operating system"));
      return NULL;
    }

  if ((osinfo_install_script_get_injection_methods (script)
       & OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD) == 0)
    {
      if (reason != NULL)
        *reason = g_strdup (_("This operating system’s automatic installation needs a "
                              "way of giving it its answers that Greenhouse does not have yet"));
      return NULL;
    }

  if (!osinfo_media_supports_installer_script (media))
    {
      if (reason != NULL)
        *reason = g_strdup (_("This install media cannot install by itself; "
                              "other media of the same system may"));
      return NULL;
    }

  if (osinfo_media_get_kernel_path (media) == NULL || osinfo_media_get_initrd_path (media) == NULL)
    {
      if (reason != NULL)
        *reason = g_strdup (_("Greenhouse does not know where the installer is on this media"));
      return NULL;
    }

  return g_object_ref (script);
}

gboolean
gh_express_install_supported (OsinfoMedia  *media,
                              char        **reason)
{
  g_autoptr(OsinfoInstallScript) script = NULL;

  g_return_val_if_fail (OSINFO_IS_MEDIA (media), FALSE);
  g_return_val_if_fail (reason == NULL || *reason == NULL, FALSE);

  script = _gh_express_find_script (media, reason);
  return script != NULL;
}

/* ---- The script ----------------------------------------------------------------------- */

char *
_gh_express_dup_hostname (const char *machine_name)
{
  g_autoptr(GString) name = g_string_new (NULL);

  /* RFC 1123 labels: letters, digits and inner hyphens, at most 63. */
  for (const char *p = machine_name != NULL ? machine_name : ""; *p != '\0' && name->len < 63; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (name, g_ascii_tolower (*p));
      else if (name->len > 0 && name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }
  while (name->len > 0 && name->str[name->len - 1] == '-')
    g_string_truncate (name, name->len - 1);

  if (name->len == 0)
    g_string_assign (name, "greenhouse");

  return g_string_free (g_steal_pointer (&name), FALSE);
}

char *
_gh_express_dup_kernel_volume (const char *machine_name)
{
  return g_strconcat (machine_name, "-install-kernel", NULL);
}

char *
_gh_express_dup_initrd_volume (const char *machine_name)
{
  return g_strconcat (machine_name, "-install-initrd", NULL);
}

/* The script, set to be injected through the initrd, and libosinfo's config from
 * @config with what it leaves out filled in from this session. */
static gboolean
make_config (OsinfoMedia            *media,
             const GhExpressConfig  *config,
             const char             *machine_name,
             const char             *target_disk,
             OsinfoInstallScript   **script_out,
             OsinfoInstallConfig   **config_out,
             GError                **error)
{
  const char *what = _("Could not prepare the automatic installation");
  g_autoptr(OsinfoInstallScript) script = NULL;
  g_autoptr(GhExpressConfig) host = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *hostname = NULL;
  OsinfoInstallConfig *install_config;

  if (config->user_login == NULL || config->user_login[0] == '\0')
    {
      _gh_error_set (error, GH_ERROR_FAILED, what, _("the user has no login name"));
      return FALSE;
    }

  script = _gh_express_find_script (media, &reason);
  if (script == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what, reason);
      return FALSE;
    }
  /* The command line (a kickstart's inst.ks=) depends on how the script gets in. */
  osinfo_install_script_set_preferred_injection_method (script,
                                                        OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD);

  host = gh_express_config_new_for_user ();
  hostname = config->hostname != NULL && config->hostname[0] != '\0'
             ? g_strdup (config->hostname) : _gh_express_dup_hostname (machine_name);

  install_config = osinfo_install_config_new ("https://greenhouse.invalid/install-config");
  osinfo_install_config_set_user_login (install_config, config->user_login);
  osinfo_install_config_set_user_realname (install_config,
                                           config->user_realname != NULL
                                           ? config->user_realname : config->user_login);
  if (config->password != NULL)
    {
      osinfo_install_config_set_user_password (install_config, config->password);
      osinfo_install_config_set_admin_password (install_config, config->password);
    }
  osinfo_install_config_set_hostname (install_config, hostname);
  if (config->language != NULL || host->language != NULL)
    osinfo_install_config_set_l10n_language (install_config,
                                             config->language != NULL ? config->language
                                                                      : host->language);
  osinfo_install_config_set_l10n_timezone (install_config,
                                           config->timezone != NULL ? config->timezone
                                                                    : host->timezone);
  osinfo_install_config_set_l10n_keyboard (install_config,
                                           config->keyboard != NULL ? config->keyboard
                                                                    : host->keyboard);
  if (target_disk != NULL)
    osinfo_install_config_set_target_disk (install_config, target_disk);

  *script_out = g_steal_pointer (&script);
  *config_out = install_config;
  return TRUE;
}

static char *
dup_cmdline (OsinfoInstallScript *script,
             OsinfoMedia         *media,
             OsinfoInstallConfig *config)
{
  char *cmdline = osinfo_install_script_generate_command_line_for_media (script, media, config);

  return cmdline != NULL ? g_strstrip (cmdline) : g_strdup ("");
}

char *
_gh_express_dup_cmdline (OsinfoMedia            *media,
                         const GhExpressConfig  *config,
                         const char             *machine_name,
                         const char             *target_disk,
                         GError                **error)
{
  g_autoptr(OsinfoInstallScript) script = NULL;
  g_autoptr(OsinfoInstallConfig) install_config = NULL;

  g_return_val_if_fail (OSINFO_IS_MEDIA (media), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  if (!make_config (media, config, machine_name, target_disk, &script, &install_config, error))
    return NULL;

  return dup_cmdline (script, media, install_config);
}

gboolean
_gh_express_generate (OsinfoMedia            *media,
                      const GhExpressConfig  *config,
                      const char             *machine_name,
                      const char             *target_disk,
                      GhExpressScript        *script,
                      GError                **error)
{
  const char *what = _("Could not prepare the automatic installation");
  g_autoptr(OsinfoInstallScript) install_script = NULL;
  g_autoptr(OsinfoInstallConfig) install_config = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *filename;

  g_return_val_if_fail (OSINFO_IS_MEDIA (media), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (script != NULL, FALSE);

  memset (script, 0, sizeof *script);

  /* An empty password would leave the installed system open, or the installer asking. */
  if (config->password == NULL || config->password[0] == '\0')
    {
      _gh_error_set (error, GH_ERROR_FAILED, what, _("the user has no password"));
      return FALSE;
    }

  if (!make_config (media, config, machine_name, target_disk, &install_script, &install_config,
                    error))
    return FALSE;

  filename = osinfo_install_script_get_expected_filename (install_script);
  if (filename == NULL || filename[0] == '\0' || strchr (filename, '/') != NULL)
    {
      _gh_error_set (error, GH_ERROR_FAILED, what,
                     _("libosinfo’s install script has no usable file name"));
      return FALSE;
    }

  /* libosinfo's sync call runs its async one in a loop on the thread-default context,
   * which in a worker is the global default one: the main thread would then take its
   * callbacks and this worker wait for ever. A context of its own keeps it all here. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  script->text = osinfo_install_script_generate_for_media (install_script, media, install_config,
                                                           NULL, &local_error);
  g_main_context_pop_thread_default (context);
  if (script->text == NULL)
    {
      _gh_error_set (error, GH_ERROR_FAILED, what,
                     local_error != NULL ? local_error->message : _("libosinfo wrote nothing"));
      return FALSE;
    }
  script->filename = g_strdup (filename);
  script->cmdline = dup_cmdline (install_script, media, install_config);

  return TRUE;
}

const char *
_gh_express_target_disk (OsinfoOs *os)
{
  GhOsRequirements req;

  /* As gh_domain_builder_build() places the disk: virtio is the scripts' own default
   * (/dev/vda); SATA and IDE disks are both sdX to Linux's libata, the first one sda. */
  gh_os_requirements_for_os (os, &req);
  return req.virtio_disk ? NULL : "/dev/sda";
}

/* ---- The boot files -------------------------------------------------------------------- */

/* "install.amd/vmlinuz", whether written "/install.amd/vmlinuz" or "./install.amd/vmlinuz". */
static const char *
skip_root (const char *path)
{
  while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
    path += path[0] == '/' ? 1 : 2;
  return path;
}

/* Plain ISO 9660 names (no Rock Ridge, no Joliet) are upper case, may end in ";1" and a
 * name without an extension in "." */
static gboolean
same_member (const char *entry,
             const char *member)
{
  g_autofree char *plain = NULL;
  char *end;

  entry = skip_root (entry);
  if (g_str_equal (entry, member))
    return TRUE;

  plain = g_strdup (entry);
  end = strrchr (plain, ';');
  if (end != NULL)
    *end = '\0';
  if (g_str_has_suffix (plain, "."))
    plain[strlen (plain) - 1] = '\0';
  return g_ascii_strcasecmp (plain, member) == 0;
}

gboolean
_gh_express_extract (const char          *iso_path,
                     const char * const  *members,
                     const int           *fds,
                     GCancellable        *cancellable,
                     GError             **error)
{
  const char *what = _("Could not read the installer from the install media");
  struct archive *archive;
  struct archive_entry *entry;
  guint n_members = g_strv_length ((char **) members);
  g_autofree gboolean *found = g_new0 (gboolean, n_members);
  guint n_found = 0;
  gboolean ok = FALSE;
  int ret;

  archive = archive_read_new ();
  archive_read_support_format_iso9660 (archive);
  if (archive_read_open_filename (archive, iso_path, 64 * 1024) != ARCHIVE_OK)
    {
      _gh_error_set (error, GH_ERROR_FAILED, what, archive_error_string (archive));
      goto out;
    }

  while (n_found < n_members && (ret = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (name == NULL || archive_entry_filetype (entry) != AE_IFREG)
        continue;

      for (guint i = 0; i < n_members; i++)
        {
          if (found[i] || !same_member (name, skip_root (members[i])))
            continue;
          if (archive_read_data_into_fd (archive, fds[i]) != ARCHIVE_OK)
            {
              _gh_error_set (error, GH_ERROR_FAILED, what, archive_error_string (archive));
              goto out;
            }
          found[i] = TRUE;
          n_found++;
          break;
        }
    }

  if (n_found < n_members)
    {
      for (guint i = 0; i < n_members; i++)
        if (!found[i])
          {
            g_autofree char *detail = NULL;

            if (archive_errno (archive) != 0)
              {
                _gh_error_set (error, GH_ERROR_FAILED, what, archive_error_string (archive));
                goto out;
              }
            /* Translators: %s is a file's path inside the install media */
            detail = g_strdup_printf (_("it has no file “%s”"), members[i]);
            _gh_error_set (error, GH_ERROR_FAILED, what, detail);
            goto out;
          }
    }

  ok = TRUE;

out:
  archive_read_free (archive);
  return ok;
}

gboolean
_gh_express_append_to_initrd (int          fd,
                              const char  *filename,
                              const char  *text,
                              GError     **error)
{
  const char *what = _("Could not add the answers to the installer");
  struct archive *archive;
  struct archive_entry *entry;
  gsize len = strlen (text);
  gboolean ok = FALSE;

  if (lseek (fd, 0, SEEK_END) < 0)
    {
      _gh_error_set (error, GH_ERROR_FAILED, what, g_strerror (errno));
      return FALSE;
    }

  archive = archive_write_new ();
  entry = archive_entry_new ();
  if (archive_write_set_format_cpio_newc (archive) != ARCHIVE_OK
      || archive_write_add_filter_gzip (archive) != ARCHIVE_OK
      /* No padding to a tape block after the compressed stream. */
      || archive_write_set_bytes_in_last_block (archive, 1) != ARCHIVE_OK
      || archive_write_open_fd (archive, fd) != ARCHIVE_OK)
    goto failed;

  archive_entry_set_pathname (entry, filename);
  archive_entry_set_filetype (entry, AE_IFREG);
  /* Only root reads it, inside the installer. */
  archive_entry_set_perm (entry, 0600);
  archive_entry_set_nlink (entry, 1);
  archive_entry_set_size (entry, (la_int64_t) len);
  if (archive_write_header (archive, entry) != ARCHIVE_OK
      || archive_write_data (archive, text, len) != (la_ssize_t) len
      || archive_write_close (archive) != ARCHIVE_OK)
    goto failed;

  ok = TRUE;
  goto out;

failed:
  _gh_error_set (error, GH_ERROR_FAILED, what, archive_error_string (archive));
out:
  archive_entry_free (entry);
  archive_write_free (archive);
  return ok;
}

static int
open_temporary (char    **path,
                GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  int fd = g_file_open_tmp ("greenhouse-install-XXXXXX", path, &local_error);

  if (fd < 0)
    _gh_error_set (error, GH_ERROR_FAILED, _("Could not prepare the automatic installation"),
                   local_error->message);
  return fd;
}

gboolean
_gh_express_write_boot_files (const char             *iso_path,
                              OsinfoMedia            *media,
                              const GhExpressScript  *script,
                              char                  **kernel_path,
                              char                  **initrd_path,
                              GCancellable           *cancellable,
                              GError                **error)
{
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  const char *members[3] = { NULL };
  int fds[2] = { -1, -1 };
  gboolean ok = FALSE;

  members[0] = osinfo_media_get_kernel_path (media);
  members[1] = osinfo_media_get_initrd_path (media);
  if (members[0] == NULL || members[1] == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, _("Could not prepare the automatic installation"),
                     _("Greenhouse does not know where the installer is on this media"));
      return FALSE;
    }

  fds[0] = open_temporary (&kernel, error);
  if (fds[0] < 0)
    goto out;
  fds[1] = open_temporary (&initrd, error);
  if (fds[1] < 0)
    goto out;

  if (!_gh_express_extract (iso_path, members, fds, cancellable, error)
      || !_gh_express_append_to_initrd (fds[1], script->filename, script->text, error))
    goto out;

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      int fd = fds[i];

      fds[i] = -1;
      if (close (fd) != 0)
        {
          _gh_error_set (error, GH_ERROR_FAILED,
                         _("Could not prepare the automatic installation"), g_strerror (errno));
          goto out;
        }
    }

  *kernel_path = g_steal_pointer (&kernel);
  *initrd_path = g_steal_pointer (&initrd);
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    if (fds[i] >= 0)
      close (fds[i]);
  if (kernel != NULL)
    g_unlink (kernel);
  if (initrd != NULL)
    g_unlink (initrd);
  return ok;
}
