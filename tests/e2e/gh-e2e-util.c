/* gh-e2e-util.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "gh-core.h"
#include "gh-e2e-util.h"
#include "../guard/gh-libvirt-guard-check.h"

static GhE2eDescribe describe;

static void
drop_log_message (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
}

static void
test_not_isolated (void)
{
  g_test_skip ("run through tests/e2e/run-e2e (meson test --suite e2e), "
               "which gives the test a session daemon of its own");
}

gboolean
gh_e2e_init (int         *argc,
             char      ***argv,
             const char  *suite)
{
  gh_libvirt_guard_check_loaded ();

  /* Failure messages quote libvirt's and Greenhouse's UTF-8 text. */
  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);
  /* libvirt-glib logs every event-loop watch update at debug level without a log domain,
   * and GLib's test mode prints debug messages: thousands of lines that bury the test's. */
  g_log_set_handler (NULL, G_LOG_LEVEL_DEBUG, drop_log_message, NULL);

  /* The tests kill session daemons and define machines: only ever on a private one. */
  if (g_strcmp0 (g_getenv ("GREENHOUSE_E2E_ISOLATED"), "1") != 0)
    {
      g_autofree char *path = g_strdup_printf ("%s/not-isolated", suite);

      g_test_add_func (path, test_not_isolated);
      return FALSE;
    }

  /* As in the application, where g_application_run() holds it for good: libvirt calls
   * back from worker threads, and what they hand to the main context must wait for the
   * main thread rather than run in theirs. */
  g_assert_true (g_main_context_acquire (g_main_context_default ()));
  gh_core_init ();

  return TRUE;
}

void
gh_e2e_set_describe (GhE2eDescribe func)
{
  describe = func;
}

void
gh_e2e_allow_outside_calls (gboolean allow)
{
  static void (*guard_allow) (int);
  static gboolean looked_up;

  /* The guard is preloaded by the suite, and absent when a test runs on its own. */
  if (!looked_up)
    {
      guard_allow = (void (*) (int)) dlsym (RTLD_DEFAULT, "gh_libvirt_guard_allow");
      looked_up = TRUE;
    }

  if (guard_allow != NULL)
    guard_allow (allow);
}

void
gh_e2e_store_result (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
wake_up (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
gh_e2e_iterate_until (gint64 deadline)
{
  gboolean fired = FALSE;
  guint id;

  if (g_get_monotonic_time () > deadline)
    return FALSE;

  id = g_timeout_add (100, wake_up, &fired);
  g_main_context_iteration (NULL, TRUE);
  if (!fired)
    g_source_remove (id);

  return TRUE;
}

void
gh_e2e_fail_waiting (const char *what,
                     int         seconds)
{
  g_error ("%s did not happen within %d s%s%s%s", what, seconds,
           describe != NULL ? " (" : "", describe != NULL ? describe () : "",
           describe != NULL ? ")" : "");
}

struct _GhE2eSerial
{
  int      fd;
  guint    watch;
  GString *text;
};

static gboolean
serial_readable_cb (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  GhE2eSerial *serial = user_data;
  char buffer[4096];
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (serial->text, buffer, n);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
    {
      /* QEMU went away: what it wrote stays readable. */
      serial->watch = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

GhE2eSerial *
gh_e2e_serial_open (virDomainPtr   domain,
                    GError       **error)
{
  g_autoptr(GhE2eSerial) serial = g_new0 (GhE2eSerial, 1);
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  struct termios raw;
  const char *start;
  const char *source;

  serial->fd = -1;
  serial->text = g_string_new (NULL);

  gh_e2e_allow_outside_calls (TRUE);
  xml = virDomainGetXMLDesc (domain, 0);
  gh_e2e_allow_outside_calls (FALSE);
  if (xml == NULL
      || (start = strstr (xml, "<serial type='pty'>")) == NULL
      || (source = strstr (start, "<source path='")) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "the running guest has no serial pty: %s", xml != NULL ? xml : "(no XML)");
      return NULL;
    }
  source += strlen ("<source path='");
  path = g_strndup (source, strcspn (source, "'"));

  serial->fd = g_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0);
  if (serial->fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot open the guest's serial port %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  /* Raw, without echo: the pty would otherwise send what it reads back to the guest. */
  if (tcgetattr (serial->fd, &raw) == 0)
    {
      cfmakeraw (&raw);
      tcsetattr (serial->fd, TCSANOW, &raw);
    }
  serial->watch = g_unix_fd_add (serial->fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                 serial_readable_cb, serial);
  return g_steal_pointer (&serial);
}

gboolean
gh_e2e_serial_wait_for (GhE2eSerial *serial,
                        const char  *needle,
                        int          seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (strstr (serial->text->str, needle) == NULL)
    if (!gh_e2e_iterate_until (deadline))
      return FALSE;
  return TRUE;
}

const char *
gh_e2e_serial_get_text (GhE2eSerial *serial)
{
  return serial->text->str;
}

void
gh_e2e_serial_free (GhE2eSerial *serial)
{
  g_clear_handle_id (&serial->watch, g_source_remove);
  if (serial->fd >= 0)
    close (serial->fd);
  g_string_free (serial->text, TRUE);
  g_free (serial);
}

gboolean
gh_e2e_shell_run (GhE2eSerial   *serial,
                  const char    *tty,
                  GhE2eTypeLine  type_line,
                  gpointer       user_data,
                  const char    *command,
                  const char    *done,
                  int            seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  static guint n_tries;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *token = g_strdup_printf ("gh-ready-%u", ++n_tries);
      g_autofree char *echo = g_strdup_printf ("echo %s >%s", token, tty);

      type_line (echo, user_data);
      if (!gh_e2e_serial_wait_for (serial, token, 20))
        continue;
      type_line (command, user_data);
      if (gh_e2e_serial_wait_for (serial, done, 30))
        return TRUE;
    }
  return FALSE;
}

void
gh_e2e_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  gh_e2e_wait_until (g_get_monotonic_time () >= end, ms / 1000 + 5, "a pause of %u ms", ms);
}

GhConnection *
gh_e2e_open_connection (const char    *uri,
                        virConnectPtr *plain)
{
  g_autoptr(GhConnection) connection = gh_connection_new (uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gh_connection_open_async (connection, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, 30, "opening %s", uri);
  g_assert_true (gh_connection_open_finish (connection, result, &error));
  g_assert_no_error (error);

  gh_e2e_allow_outside_calls (TRUE);
  *plain = virConnectOpen (uri);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_nonnull (*plain);

  return g_steal_pointer (&connection);
}

GhConnection *
gh_e2e_open_with_os_db (const char  *uri,
                        GhOsDb     **os_db)
{
  g_autoptr(GhConnection) connection = gh_connection_new (uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autoptr(GError) error = NULL;

  *os_db = gh_os_db_get_default ();
  gh_os_db_load_async (*os_db, NULL, gh_e2e_store_result, &loaded);

  gh_connection_open_async (connection, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL && loaded != NULL, 30,
                     "opening %s and loading the OS database", uri);
  g_assert_true (gh_connection_open_finish (connection, result, &error));
  g_assert_no_error (error);
  g_assert_true (gh_os_db_load_finish (*os_db, loaded, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&connection);
}

void
gh_e2e_close_plain (virConnectPtr *plain,
                    virDomainPtr  *domain)
{
  gh_e2e_allow_outside_calls (TRUE);
  g_clear_pointer (domain, virDomainFree);
  g_clear_pointer (plain, virConnectClose);
  gh_e2e_allow_outside_calls (FALSE);
}

GPid
gh_e2e_find_session_daemon (void)
{
  static const char * const daemons[] = { "libvirtd", "virtqemud" };

  for (guint i = 0; i < G_N_ELEMENTS (daemons); i++)
    {
      g_autofree char *pidfile = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *comm_path = NULL;
      g_autofree char *comm = NULL;
      gint64 pid;

      pidfile = g_strdup_printf ("%s/libvirt/%s.pid", g_get_user_runtime_dir (), daemons[i]);
      if (!g_file_get_contents (pidfile, &contents, NULL, NULL))
        continue;
      pid = g_ascii_strtoll (contents, NULL, 10);
      if (pid <= 1)
        continue;

      /* A daemon killed earlier leaves a stale pid file behind. */
      comm_path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/comm", pid);
      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        continue;
      if (g_strcmp0 (g_strstrip (comm), daemons[i]) == 0)
        return (GPid) pid;
    }

  return 0;
}

void
gh_e2e_kill_session_daemon (void)
{
  GPid daemon = gh_e2e_find_session_daemon ();

  if (daemon == 0)
    g_error ("no session libvirtd (or virtqemud) pid file under %s/libvirt",
             g_get_user_runtime_dir ());
  g_test_message ("killing the session daemon, pid %d", (int) daemon);
  g_assert_no_errno (kill (daemon, SIGKILL));
}

guint
gh_e2e_count_in_file (const char *path,
                      const char *needle)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

void
gh_e2e_wait_for_death (GPid pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *stat = NULL;
      const char *state;

      if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
        return;
      /* "pid (comm) S ...": the state follows the last parenthesis. */
      state = strrchr (stat, ')');
      if (state != NULL && state[1] == ' ' && state[2] == 'Z')
        return;
      g_usleep (G_USEC_PER_SEC / 20);
    }
  g_error ("the session daemon (pid %d) did not die within 5 s of SIGKILL", (int) pid);
}
