/* gh-express-install.c: an operating system that installs itself
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gh-error-private.h"
#include "gh-express-install-private.h"
#include "gh-os-db.h"

/* The installer learns its answers from a file at the root of its initrd (a Debian
 * preseed, a kickstart), which libosinfo writes from the user's few answers. Greenhouse
 * boots the install phase from the media's own kernel with that initrd, so nothing of
 * the media is changed and no extra disk is needed. Windows takes its answers from a
 * floppy or a second CD-ROM instead: not done yet.
 *
 * gh-express-install-boot.c reads that kernel and initrd out of the media and adds the
 * answers. */

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

/* ---- Which answers -------------------------------------------------------------------- */

/* How the scripts of osinfo-db carry the answers, which decides what survives in them:
 *
 * A preseed (Debian, Ubuntu) holds each answer as the rest of a "d-i question type value"
 * line: a line break starts a new question, a "\" at the end joins the next line to it,
 * and the installer's shell tools that load and apply it may eat a backslash or the
 * blanks at either end. The login, the language and the keyboard also go onto the
 * kernel's command line, where a space starts a new parameter.
 *
 * A kickstart (Fedora, RHEL) sets the passwords in its %post, a bash script, as
 * echo '<password>' |passwd --stdin, or as rootpw '<password>', which the kickstart
 * parser splits as a shell does: inside '…' every character stands for itself but "'",
 * which Greenhouse writes as '\'' (end the quote, a quoted ', open it again). A line break
 * would end passwd's one line; a password starting with "-" is an option to echo and to
 * the kickstart parser. The login, language, time zone and keyboard stand unquoted on
 * command lines of the kickstart and of %post.
 *
 * Other scripts are held to both sets of rules and more. */
typedef enum
{
  SCRIPT_PRESEED,
  SCRIPT_KICKSTART,
  SCRIPT_OTHER,
} ScriptKind;

static ScriptKind
script_kind (OsinfoInstallScript *script)
{
  const char *id = osinfo_entity_get_id (OSINFO_ENTITY (script));

  if (strstr (id, "/preseed/") != NULL)
    return SCRIPT_PRESEED;
  if (strstr (id, "/kickstart/") != NULL)
    return SCRIPT_KICKSTART;
  return SCRIPT_OTHER;
}

/* Longer than anyone types, shorter than passwd --stdin's buffer. */
#define MAX_PASSWORD_BYTES 256
#define MAX_NAME_BYTES 256

static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
has_blank_ends (const char *text)
{
  gsize len = strlen (text);

  return len > 0 && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1])
                     || g_unichar_isspace (g_utf8_get_char (text))
                     || g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + len))));
}

/* Only the characters of @allowed (and ASCII letters and digits), @min to @max bytes,
 * not starting with one of @not_first. */
static gboolean
is_plain (const char *text,
          const char *allowed,
          const char *not_first,
          gsize       min,
          gsize       max)
{
  gsize len = text != NULL ? strlen (text) : 0;

  if (len < min || len > max)
    return FALSE;
  if (len > 0 && strchr (not_first, text[0]) != NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (allowed, *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
login_is_valid (const char *login)
{
  /* What useradd and Debian's adduser both take: a lower-case letter first. */
  if (login == NULL || !g_ascii_islower (login[0]) || strlen (login) > 32)
    return FALSE;
  for (const char *p = login; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
language_is_valid (const char *language)
{
  /* "de", "de_DE", "ast_ES": what glibc names a locale by, without codeset or modifier. */
  gsize len = strlen (language);
  const char *country = strchr (language, '_');
  gsize lang_len = country != NULL ? (gsize) (country - language) : len;

  if (lang_len < 2 || lang_len > 3)
    return FALSE;
  for (gsize i = 0; i < lang_len; i++)
    if (!g_ascii_islower (language[i]))
      return FALSE;
  if (country == NULL)
    return TRUE;
  return strlen (country) == 3 && g_ascii_isupper (country[1]) && g_ascii_isupper (country[2]);
}

static gboolean
timezone_is_valid (const char *zone)
{
  /* "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5". */
  return is_plain (zone, "/_+-", "/-+_", 1, 64) && strstr (zone, "//") == NULL
         && strstr (zone, "..") == NULL && !g_str_has_suffix (zone, "/");
}

static gboolean
hostname_is_valid (const char *hostname)
{
  gsize len = strlen (hostname);

  return is_plain (hostname, "-", "-", 1, 63) && hostname[len - 1] != '-';
}

static gboolean
refuse (GError     **error,
        const char  *reason)
{
  _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, NULL, reason);
  return FALSE;
}

static gboolean
check_password (const char  *password,
                ScriptKind   kind,
                GError     **error)
{
  if (password == NULL || password[0] == '\0')
    return refuse (error, _("Choose a password for the new account."));
  if (!g_utf8_validate (password, -1, NULL))
    return refuse (error, _("The password is not valid text."));
  if (strlen (password) > MAX_PASSWORD_BYTES)
    return refuse (error, _("The password is too long for the installer."));
  if (has_control (password))
    return refuse (error, _("The password cannot hold a line break, a tab or another "
                            "control character."));

  if (kind != SCRIPT_KICKSTART)
    {
      if (strchr (password, '\\') != NULL)
        return refuse (error, _("This system’s installer would change a “\\” in the "
                                "password: choose a password without one."));
      if (has_blank_ends (password))
        return refuse (error, _("This system’s installer would drop a space at the start or "
                                "end of the password: choose a password without one."));
    }
  if (kind != SCRIPT_PRESEED && password[0] == '-')
    return refuse (error, _("This system’s installer would take a password that starts with "
                            "“-” for an option: choose another one."));
  if (kind == SCRIPT_OTHER && strpbrk (password, "'\"$`") != NULL)
    return refuse (error, _("This system’s installer cannot take “'”, “\"”, “$” or “`” in "
                            "a password: choose a password without them."));

  return TRUE;
}

gboolean
gh_express_config_check (const GhExpressConfig  *config,
                         OsinfoMedia            *media,
                         GError                **error)
{
  g_autoptr(OsinfoInstallScript) script = NULL;
  g_autoptr(GhExpressConfig) host = NULL;
  g_autofree char *reason = NULL;
  const char *language, *timezone, *keyboard;
  ScriptKind kind;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (OSINFO_IS_MEDIA (media), FALSE);

  script = _gh_express_find_script (media, &reason);
  if (script == NULL)
    return refuse (error, reason);
  kind = script_kind (script);

  if (config->user_login == NULL || config->user_login[0] == '\0')
    return refuse (error, _("Choose a user name for the new account."));
  if (!login_is_valid (config->user_login))
    return refuse (error, _("A user name starts with a lower-case letter and holds only "
                            "lower-case letters, digits, “-” and “_”."));
  if (g_str_equal (config->user_login, "root"))
    return refuse (error, _("“root” is the administrator’s name: choose another one for the "
                            "account."));

  /* The real name becomes the account's GECOS field, where "," and ":" separate fields. */
  if (config->user_realname != NULL
      && (!g_utf8_validate (config->user_realname, -1, NULL)
          || strlen (config->user_realname) > MAX_NAME_BYTES
          || has_control (config->user_realname)
          || has_blank_ends (config->user_realname)
          || strpbrk (config->user_realname, ",:\\") != NULL))
    return refuse (error, _("The account’s full name cannot hold “,”, “:”, “\\”, a line "
                            "break, or a space at its start or end."));

  if (config->hostname != NULL && config->hostname[0] != '\0'
      && !hostname_is_valid (config->hostname))
    return refuse (error, _("A computer name holds only letters, digits and “-”, and neither "
                            "starts nor ends with “-”."));

  host = gh_express_config_new_for_user ();
  language = config->language != NULL ? config->language : host->language;
  timezone = config->timezone != NULL ? config->timezone : host->timezone;
  keyboard = config->keyboard != NULL ? config->keyboard : host->keyboard;
  if (language != NULL && !language_is_valid (language))
    return refuse (error, _("The installer does not know the language of this session."));
  if (timezone != NULL && !timezone_is_valid (timezone))
    return refuse (error, _("The installer does not know the time zone of this computer."));
  if (keyboard != NULL && !(is_plain (keyboard, "_-", "_-", 1, 32) && g_ascii_islower (keyboard[0])))
    return refuse (error, _("The installer does not know the keyboard layout of this session."));

  return check_password (config->password, kind, error);
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

/* @text with each "'" as '\'', for inside '…' in a shell. */
static char *
dup_single_quote_escaped (const char *text)
{
  GString *escaped = g_string_sized_new (strlen (text) + 8);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (escaped, "'\\''");
      else
        g_string_append_c (escaped, *p);
    }
  return g_string_free (escaped, FALSE);
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
      g_autofree char *password = NULL;

      /* A kickstart quotes it as '…' for a shell (see script_kind()). */
      if (script_kind (script) == SCRIPT_KICKSTART)
        password = dup_single_quote_escaped (config->password);
      else
        password = g_strdup (config->password);
      osinfo_install_config_set_user_password (install_config, password);
      osinfo_install_config_set_admin_password (install_config, password);
      free_secret (g_steal_pointer (&password));
    }
  osinfo_install_config_set_hostname (install_config, hostname);
  /* A kickstart's "lang" line needs one; Debian's own script says en_US for none. */
  osinfo_install_config_set_l10n_language (install_config,
                                           config->language != NULL ? config->language
                                           : host->language != NULL ? host->language
                                           : "en_US");
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

  /* The wizard asked this before Create; it is asked again for whatever else gets here. */
  if (!gh_express_config_check (config, media, &local_error))
    {
      _gh_error_set (error, local_error->code, what, gh_error_get_detail (local_error));
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
