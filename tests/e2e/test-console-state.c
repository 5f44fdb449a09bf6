/* test-console-state.c: what the console says and survives, on a real guest.
 *
 * The "echo" guest of tests/e2e/guests, defined with a VNC display before its SPICE one:
 * the console must find the SPICE display by itself, must not leak a socket when sessions
 * are dropped with their socket requests in flight, and must tell when its keyboard and
 * mouse channel breaks, link it again, and type again. tests/e2e/run-e2e runs this with
 * --xvfb and XDG dirs of its own.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-application.h"
#include "gh-console-window.h"
#include "gh-core.h"
#include "gh-display-test-util.h"
#include "gh-e2e-keys.h"
#include "gh-e2e-util.h"
#include "gh-machine-row.h"
#include "gh-spice-display.h"
#include "gh-spice-session.h"

#define URI "qemu:///session"
#define INSTALLER_DIR "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"
#define GUEST_NAME "greenhouse-e2e-vnc-first"

#define OPEN_TIMEOUT_S  30
#define BOOT_TIMEOUT_S  240
#define FRAME_TIMEOUT_S 60

#define KEY_ENTER 28

static struct
{
  GhConnection *connection;
  virConnectPtr plain;
  virDomainPtr domain;
  GhMachine *machine;
  GhSpiceSession *session;
  GtkWidget *window;
  GhSpiceDisplay *display;
  char *serial_log;
} e2e;

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static guint
count_in_serial_log (const char *needle)
{
  return gh_e2e_count_in_file (e2e.serial_log, needle);
}

static GhMachine *
lookup_machine (void)
{
  return gh_machine_list_lookup_by_name (gh_connection_get_machines (e2e.connection), GUEST_NAME);
}

/* Lower-case letters and Enter, through the display's own key path. */
static void
type_word (GhSpiceDisplay *display,
           const char     *word)
{
  gh_e2e_type_text (display, word);
  gh_e2e_tap (display, GDK_KEY_Return, KEY_ENTER, FALSE);
}

static void
session_changed_cb (GhSpiceSession *session,
                    GParamSpec     *pspec,
                    gpointer        user_data)
{
  gh_spice_display_set_session (e2e.display, gh_spice_session_get_session (session));
}

static void
session_state_cb (GhSpiceSession *session,
                  GParamSpec     *pspec,
                  gpointer        user_data)
{
  const GError *error = gh_spice_session_get_error (session);

  g_test_message ("display session state %d%s%s", gh_spice_session_get_state (session),
                  error != NULL ? ": " : "", error != NULL ? error->message : "");
}

/* spice-client-glib warns about links a viewer closes half-way, which the fd test does on
 * purpose; those are not this test's failures. */
static void
spice_warnings_not_fatal (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_log_set_fatal_mask ("GSpice", G_LOG_FATAL_MASK);
}

static void
test_open (void)
{
  e2e.connection = gh_e2e_open_connection (URI, &e2e.plain);
}

/* A machine that lists a VNC display before its SPICE one still gets its SPICE console. */
static void
test_vnc_first (void)
{
  const char *files = g_getenv ("GREENHOUSE_E2E_FILES");
  g_autofree char *initrd = g_build_filename (files != NULL ? files : ".", "echo.cpio.gz", NULL);
  int kvm_fd = g_open ("/dev/kvm", O_RDWR | O_CLOEXEC, 0);
  const char *small_fs = g_getenv ("GREENHOUSE_E2E_SMALL_FS");
  g_autofree char *disk = NULL;
  g_autofree char *xml = NULL;

  /* A USB disk far larger than the file system under it: the disk-full test fills it. */
  if (small_fs != NULL)
    {
      g_autofree char *image = g_build_filename (small_fs, "disk.img", NULL);
      int fd = g_open (image, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (ftruncate (fd, 64 * 1024 * 1024), ==, 0);
      g_close (fd, NULL);
      disk = g_strdup_printf ("<controller type='usb' model='qemu-xhci'/>"
                              "<disk type='file' device='disk'>"
                              "<driver name='qemu' type='raw' error_policy='stop'/>"
                              "<source file='%s'/><target dev='sda' bus='usb'/></disk>", image);
    }

  if (kvm_fd >= 0)
    g_close (kvm_fd, NULL);
  g_assert_true (g_file_test (initrd, G_FILE_TEST_EXISTS));
  e2e.serial_log = g_build_filename (g_get_user_runtime_dir (), "vnc-first-serial.log", NULL);

  xml = g_strdup_printf (
    "<domain type='%s'>"
    "  <name>" GUEST_NAME "</name>"
    "  <memory unit='MiB'>256</memory>"
    "  <vcpu>1</vcpu>"
    "  <os><type arch='x86_64' machine='pc'>hvm</type>"
    "    <kernel>" INSTALLER_DIR "/linux</kernel>"
    "    <initrd>%s</initrd>"
    "    <cmdline>vga=788 console=tty1 console=ttyS0</cmdline></os>"
    "  <features><acpi/></features>"
    "  <devices>"
    "    <serial type='file'><source path='%s' append='on'/></serial>"
    "    <input type='tablet' bus='usb'/>"
    "    <graphics type='vnc'><listen type='none'/></graphics>"
    "    <graphics type='spice'><listen type='none'/></graphics>"
    "    <video><model type='qxl'/></video>"
    "    %s"
    "  </devices>"
    "</domain>",
    kvm_fd >= 0 ? "kvm" : "qemu", initrd, e2e.serial_log, disk != NULL ? disk : "");

  gh_e2e_allow_outside_calls (TRUE);
  e2e.domain = virDomainDefineXML (e2e.plain, xml);
  if (e2e.domain == NULL)
    g_error ("virDomainDefineXML: %s", virGetLastErrorMessage ());
  if (virDomainCreate (e2e.domain) < 0)
    g_error ("virDomainCreate: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);

  gh_e2e_wait_until (lookup_machine () != NULL &&
                     gh_machine_get_state (lookup_machine ()) == GH_MACHINE_STATE_RUNNING,
                     OPEN_TIMEOUT_S, "the running event of %s", GUEST_NAME);
  e2e.machine = g_object_ref (lookup_machine ());

  e2e.session = gh_spice_session_new (e2e.machine);
  g_signal_connect (e2e.session, "notify::state", G_CALLBACK (session_state_cb), NULL);
  g_signal_connect (e2e.session, "notify::session", G_CALLBACK (session_changed_cb), NULL);
  e2e.display = GH_SPICE_DISPLAY (gh_spice_display_new (NULL, 0));
  e2e.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (e2e.window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (e2e.window), GTK_WIDGET (e2e.display));
  gtk_window_present (GTK_WINDOW (e2e.window));

  gh_spice_session_connect (e2e.session);
  gh_e2e_wait_until (gh_spice_session_get_state (e2e.session) == GH_SPICE_SESSION_STATE_CONNECTED ||
                     gh_spice_session_get_state (e2e.session) == GH_SPICE_SESSION_STATE_DISCONNECTED,
                     OPEN_TIMEOUT_S, "the display connection");
  g_assert_null (gh_spice_session_get_error (e2e.session));
  g_assert_cmpint (gh_spice_session_get_state (e2e.session), ==, GH_SPICE_SESSION_STATE_CONNECTED);
  gh_e2e_wait_until (gh_spice_display_get_ready (e2e.display), FRAME_TIMEOUT_S, "the first frame");
}

/* Sessions dropped while their sockets are being opened close every socket: the
 * worker's result arrives after the cancellation, which used to lose it. */
static void
test_no_fd_leak (void)
{
  guint before;
  guint after;

  g_assert_nonnull (e2e.session);
  gh_spice_session_disconnect (e2e.session);
  /* The server must see the viewer go before it serves the next one. */
  gh_e2e_spin (3000);
  before = count_open_fds ();

  for (guint i = 0; i < 20; i++)
    {
      gh_spice_session_connect (e2e.session);
      /* Let the main channel ask for its socket... */
      for (guint j = 0; j < 5 + i % 7; j++)
        g_main_context_iteration (NULL, FALSE);
      /* ...and the worker open it while the main loop does not run... */
      g_usleep (300 * 1000);
      /* ...then drop the session before the result is taken. */
      gh_spice_session_disconnect (e2e.session);
      gh_e2e_spin (50);
    }
  gh_e2e_spin (3000);
  after = count_open_fds ();
  g_test_message ("open fds: %u before, %u after 20 dropped sessions", before, after);
  g_assert_cmpuint (after, <=, before);

  /* And the display still comes back. */
  gh_spice_session_connect (e2e.session);
  gh_e2e_wait_until (gh_spice_session_get_state (e2e.session) == GH_SPICE_SESSION_STATE_CONNECTED,
                     OPEN_TIMEOUT_S, "the display connection after the dropped ones");
}

static SpiceChannel *
find_inputs_channel (SpiceSession *session)
{
  GList *channels = spice_session_get_channels (session);
  SpiceChannel *inputs = NULL;

  for (GList *l = channels; l != NULL; l = l->next)
    if (SPICE_IS_INPUTS_CHANNEL (l->data))
      inputs = l->data;
  g_list_free (channels);
  return inputs;
}

/* The keyboard and mouse channel's connection breaks: the console says so, links it
 * again, and keys reach the guest again. */
static void
test_inputs_lost (void)
{
  g_autoptr(GhApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  GhConsoleWindow *window;
  GhSpiceDisplay *display;
  SpiceChannel *inputs;
  gint64 deadline;
  gboolean shown = FALSE;

  /* One viewer at a time: the test's own steps aside. */
  gh_spice_session_disconnect (e2e.session);
  gh_e2e_spin (3000);

  app = gh_display_test_new_registered_app ("E2eConsoleState");
  window = gh_application_open_console (app, e2e.machine);
  g_assert_nonnull (window);
  display = gh_console_window_get_display (window);
  gh_e2e_wait_until (gh_spice_display_get_ready (display), FRAME_TIMEOUT_S,
                     "the console window's first frame");
  gh_e2e_wait_until (count_in_serial_log ("GREENHOUSE-ECHO-READY") >= 1, BOOT_TIMEOUT_S,
                     "the echo guest's banner");
  gh_e2e_wait_until ((inputs = find_inputs_channel (gh_spice_display_get_session (display))) != NULL,
                     OPEN_TIMEOUT_S, "the inputs channel");
  gh_e2e_wait_until ((g_object_get (inputs, "socket", &socket, NULL), socket != NULL),
                     OPEN_TIMEOUT_S, "the inputs channel's socket");
  g_assert_false (gh_console_window_get_inputs_lost_shown (window));

  /* The connection breaks under the channel, as when the server drops it. */
  g_assert_true (g_socket_shutdown (socket, TRUE, TRUE, &error));
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + (gint64) OPEN_TIMEOUT_S * G_USEC_PER_SEC;
  while (!shown && gh_e2e_iterate_until (deadline))
    shown = gh_console_window_get_inputs_lost_shown (window);
  g_assert_true (shown);
  gh_e2e_wait_until (!gh_console_window_get_inputs_lost_shown (window), OPEN_TIMEOUT_S,
                     "the keyboard and mouse to come back");
  /* The display went on all along. */
  g_assert_true (gh_spice_display_get_ready (display));

  type_word (display, "back");
  gh_e2e_wait_until (count_in_serial_log ("GOT:back") >= 1, FRAME_TIMEOUT_S,
                     "a line typed after the inputs channel came back");

  gtk_window_destroy (GTK_WINDOW (window));
  gh_e2e_spin (500);
}

static void
refused_socket_cb (GhSpiceSession *session,
                   GParamSpec     *pspec,
                   gboolean       *refused)
{
  if (g_error_matches (gh_spice_session_get_error (session), GH_ERROR, GH_ERROR_NOT_CONNECTED))
    *refused = TRUE;
}

/* The session daemon dies under an open display (QEMU goes on): once Greenhouse has its
 * connection back, the display links again by itself, without first asking for a socket
 * on a connection that was not there yet, and the keyboard types again. */
static void
test_daemon_lost (void)
{
  gboolean refused = FALSE;
  gulong refused_id;

  gh_spice_session_connect (e2e.session);
  gh_e2e_wait_until (gh_spice_session_get_state (e2e.session) == GH_SPICE_SESSION_STATE_CONNECTED &&
                     gh_spice_display_get_ready (e2e.display),
                     FRAME_TIMEOUT_S, "the test viewer's display");
  refused_id = g_signal_connect (e2e.session, "notify::state", G_CALLBACK (refused_socket_cb),
                                 &refused);

  /* The plain connection would die with the daemon. */
  gh_e2e_close_plain (&e2e.plain, &e2e.domain);
  gh_e2e_kill_session_daemon ();

  gh_e2e_wait_until (gh_spice_session_get_state (e2e.session) != GH_SPICE_SESSION_STATE_CONNECTED,
                     OPEN_TIMEOUT_S, "the display to notice the lost daemon");
  gh_e2e_wait_until (gh_connection_get_state (e2e.connection) == GH_CONNECTION_STATE_CONNECTED &&
                     gh_machine_get_state (e2e.machine) == GH_MACHINE_STATE_RUNNING,
                     OPEN_TIMEOUT_S * 2, "the connection and the machine to come back");
  gh_e2e_wait_until (gh_spice_session_get_state (e2e.session) == GH_SPICE_SESSION_STATE_CONNECTED &&
                     gh_spice_display_get_ready (e2e.display),
                     FRAME_TIMEOUT_S, "the display to link again by itself");
  g_signal_handler_disconnect (e2e.session, refused_id);
  g_assert_false (refused);

  for (guint tries = 0; count_in_serial_log ("GOT:again") == 0; tries++)
    {
      gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

      g_assert_cmpuint (tries, <, 8);
      gh_e2e_tap (e2e.display, GDK_KEY_Return, KEY_ENTER, FALSE);
      type_word (e2e.display, "again");
      while (count_in_serial_log ("GOT:again") == 0 && gh_e2e_iterate_until (deadline))
        ;
    }

  gh_e2e_allow_outside_calls (TRUE);
  e2e.plain = virConnectOpen (URI);
  g_assert_nonnull (e2e.plain);
  e2e.domain = virDomainLookupByName (e2e.plain, GUEST_NAME);
  g_assert_nonnull (e2e.domain);
  gh_e2e_allow_outside_calls (FALSE);
}

/* The guest fills a disk whose host file system is full: QEMU pauses it, the machine and
 * its row say why, and Resume explains that it paused again instead of doing nothing. */
static void
test_disk_full (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  if (g_getenv ("GREENHOUSE_E2E_SMALL_FS") == NULL)
    {
      g_test_skip ("needs run-e2e --small-fs as root");
      return;
    }

  gh_spice_session_connect (e2e.session);
  gh_e2e_wait_until (gh_spice_session_get_state (e2e.session) == GH_SPICE_SESSION_STATE_CONNECTED &&
                     gh_spice_display_get_ready (e2e.display),
                     FRAME_TIMEOUT_S, "the test viewer's display");
  /* The guest answers each line it reads with GOT: on its serial port. A line typed
   * before it reads its keyboard may lose keys: Enter ends whatever was left, and the
   * line goes again until the guest has read it whole. */
  for (guint tries = 0; count_in_serial_log ("GOT:fill") == 0; tries++)
    {
      gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

      g_assert_cmpuint (tries, <, 8);
      gh_e2e_tap (e2e.display, GDK_KEY_Return, KEY_ENTER, FALSE);
      type_word (e2e.display, "fill");
      while (count_in_serial_log ("GOT:fill") == 0 && gh_e2e_iterate_until (deadline))
        ;
    }
  gh_e2e_wait_until (count_in_serial_log ("GREENHOUSE-ECHO-FILLING") >= 1 ||
                     count_in_serial_log ("GREENHOUSE-ECHO-NO-DISK") >= 1, FRAME_TIMEOUT_S,
                     "the guest to start filling its disk");
  g_assert_cmpuint (count_in_serial_log ("GREENHOUSE-ECHO-NO-DISK"), ==, 0);

  gh_e2e_wait_until (gh_machine_get_state (e2e.machine) == GH_MACHINE_STATE_PAUSED,
                     BOOT_TIMEOUT_S, "the guest to pause on a full disk");
  g_assert_cmpint (gh_machine_get_pause_reason (e2e.machine), ==, GH_MACHINE_PAUSE_REASON_DISK_FULL);
  g_assert_cmpstr (gh_machine_get_state_text (e2e.machine), ==, "Paused: the host’s disk is full");
  g_assert_cmpuint (count_in_serial_log ("GREENHOUSE-ECHO-FILLED"), ==, 0);

  row = g_object_ref_sink (gh_machine_row_new (e2e.machine));
  g_assert_cmpstr (gh_machine_row_get_state_text (GH_MACHINE_ROW (row)), ==,
                   "Paused: the host’s disk is full");
  g_object_unref (row);

  gh_machine_perform_async (e2e.machine, GH_MACHINE_ACTION_RESUME, NULL,
                            gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, OPEN_TIMEOUT_S, "Resume");
  g_assert_false (gh_machine_perform_finish (e2e.machine, result, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_STATE);
  g_test_message ("Resume said: %s", error->message);
  g_assert_nonnull (strstr (error->message, "still full"));
  g_assert_nonnull (strstr (error->message, "disk.img"));
  gh_e2e_wait_until (gh_machine_get_state (e2e.machine) == GH_MACHINE_STATE_PAUSED &&
                     gh_machine_get_pause_reason (e2e.machine) == GH_MACHINE_PAUSE_REASON_DISK_FULL,
                     OPEN_TIMEOUT_S, "the machine to be paused for its full disk again");
}

int
main (int   argc,
      char *argv[])
{
  const char *files;
  int ret;

  if (!gh_e2e_init (&argc, &argv, "/e2e/console-state"))
    return g_test_run ();

  files = g_getenv ("GREENHOUSE_E2E_FILES");
  if (files != NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", files, TRUE);

  gtk_init ();
  spice_warnings_not_fatal ();

  g_test_add_func ("/e2e/console-state/open", test_open);
  g_test_add_func ("/e2e/console-state/vnc-first", test_vnc_first);
  g_test_add_func ("/e2e/console-state/no-fd-leak", test_no_fd_leak);
  g_test_add_func ("/e2e/console-state/inputs-lost", test_inputs_lost);
  g_test_add_func ("/e2e/console-state/daemon-lost", test_daemon_lost);
  g_test_add_func ("/e2e/console-state/disk-full", test_disk_full);

  ret = g_test_run ();

  if (e2e.session != NULL)
    gh_spice_session_disconnect (e2e.session);
  g_clear_object (&e2e.session);
  if (e2e.window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&e2e.window)));
  g_clear_object (&e2e.machine);
  gh_e2e_allow_outside_calls (TRUE);
  if (e2e.domain != NULL)
    {
      virDomainDestroy (e2e.domain);
      virDomainUndefine (e2e.domain);
    }
  g_clear_pointer (&e2e.domain, virDomainFree);
  g_clear_pointer (&e2e.plain, virConnectClose);
  gh_e2e_allow_outside_calls (FALSE);
  g_clear_object (&e2e.connection);
  g_free (e2e.serial_log);

  return ret;
}
