/* test-install-phase.c: the install phase of an express install ends only with its
 * installer, on a real session daemon and a real QEMU.
 *
 * The "echo" guest of tests/e2e/guests plays the installer: a domain in the install phase
 * as Greenhouse makes it (its metadata, <on_reboot>destroy</on_reboot>) boots it. A
 * poweroff, whether from the host through the guest agent (virsh shutdown) or typed in the
 * guest, leaves the phase as it is; the installer's own reboot ends it. A finish that
 * fails says so, and is tried again once the daemon is back. tests/e2e/run-e2e runs this
 * with XDG dirs of its own: it kills the session daemon.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-core.h"
#include "gh-e2e-util.h"

#define URI "qemu:///session"
#define INSTALLER_DIR "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"
/* Short: libvirt names the agent's socket after it, within a UNIX socket path's limit. */
#define GUEST_NAME "gh-install"

#define OPEN_TIMEOUT_S      30
#define BOOT_TIMEOUT_S      240
#define RECONNECT_TIMEOUT_S 60

static struct
{
  GhConnection *connection;
  virConnectPtr plain;
  virDomainPtr domain;
  GhMachine *machine;
  char *dir;
  char *serial_log;
  char *disk;
  guint n_install_failed;
} e2e;

static const char *
describe (void)
{
  static char *text;

  g_clear_pointer (&text, g_free);
  if (e2e.machine == NULL)
    return NULL;
  text = g_strdup_printf ("%s is “%s”, installing: %s, install error: %s",
                          GUEST_NAME, gh_machine_get_state_text (e2e.machine),
                          gh_machine_get_installing (e2e.machine) ? "yes" : "no",
                          gh_machine_get_install_error (e2e.machine) != NULL
                          ? gh_machine_get_install_error (e2e.machine)->message : "none");
  return text;
}

static guint
count_in_serial_log (const char *needle)
{
  return gh_e2e_count_in_file (e2e.serial_log, needle);
}

/* How many lines of the serial log are exactly @line (a partly typed word is not). */
static guint
count_serial_lines (const char *line)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (e2e.serial_log, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_strcmp0 (g_strchomp (lines[i]), line) == 0)
      n++;
  return n;
}

static void
on_install_failed (GhConnection *connection,
                   GhMachine    *machine,
                   const GError *error,
                   gpointer      user_data)
{
  g_test_message ("install-failed: %s", error->message);
  if (machine == e2e.machine)
    e2e.n_install_failed++;
}

static void
test_open (void)
{
  const char *files = g_getenv ("GREENHOUSE_E2E_FILES");
  g_autofree char *echo = g_build_filename (files != NULL ? files : ".", "echo.cpio.gz", NULL);
  g_autofree char *initrd = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  int kvm_fd = g_open ("/dev/kvm", O_RDWR | O_CLOEXEC, 0);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  e2e.connection = gh_e2e_open_connection (URI, &e2e.plain);
  g_signal_connect (e2e.connection, "install-failed", G_CALLBACK (on_install_failed), NULL);
  gh_e2e_set_describe (describe);

  /* The install files of a real express install are volumes that its finish deletes:
   * these are plain files of the test's own, in no pool, which it leaves alone. */
  e2e.dir = g_build_filename (g_get_user_runtime_dir (), "install-phase", NULL);
  g_assert_no_errno (g_mkdir_with_parents (e2e.dir, 0700));
  initrd = g_build_filename (e2e.dir, "installer-initrd", NULL);
  g_assert_true (g_file_get_contents (echo, &contents, &length, &error));
  g_assert_true (g_file_set_contents (initrd, contents, length, &error));
  g_assert_no_error (error);
  e2e.serial_log = g_build_filename (e2e.dir, "serial.log", NULL);
  e2e.disk = g_build_filename (e2e.dir, "disk.img", NULL);
  g_assert_true (g_file_set_contents (e2e.disk, "", 0, &error));
  g_assert_no_errno (truncate (e2e.disk, 1024 * 1024));

  if (kvm_fd >= 0)
    g_close (kvm_fd, NULL);

  xml = g_strdup_printf (
    "<domain type='%s'>"
    "  <name>" GUEST_NAME "</name>"
    "  <metadata><gh:greenhouse xmlns:gh='" GH_DOMAIN_METADATA_NS "'>"
    "    <gh:express-install kernel='" INSTALLER_DIR "/linux' initrd='%s'/>"
    "  </gh:greenhouse></metadata>"
    "  <memory unit='MiB'>256</memory>"
    "  <vcpu>1</vcpu>"
    "  <os><type arch='x86_64' machine='pc'>hvm</type>"
    "    <kernel>" INSTALLER_DIR "/linux</kernel>"
    "    <initrd>%s</initrd>"
    "    <cmdline>vga=788 console=tty1 console=ttyS0</cmdline></os>"
    "  <features><acpi/></features>"
    "  <on_poweroff>destroy</on_poweroff>"
    "  <on_reboot>destroy</on_reboot>"
    "  <on_crash>destroy</on_crash>"
    "  <devices>"
    "    <disk type='file' device='disk'><driver name='qemu' type='raw'/>"
    "      <source file='%s'/><target dev='vda' bus='virtio'/></disk>"
    "    <serial type='file'><source path='%s' append='on'/></serial>"
    "    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
    "    <graphics type='spice'><listen type='none'/></graphics>"
    "    <video><model type='vga'/></video>"
    "  </devices>"
    "</domain>",
    kvm_fd >= 0 ? "kvm" : "qemu", initrd, initrd, e2e.disk, e2e.serial_log);

  gh_e2e_allow_outside_calls (TRUE);
  e2e.domain = virDomainDefineXML (e2e.plain, xml);
  if (e2e.domain == NULL)
    g_error ("virDomainDefineXML: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);

  gh_e2e_wait_until (gh_machine_list_lookup_by_name (gh_connection_get_machines (e2e.connection),
                                                     GUEST_NAME) != NULL,
                     OPEN_TIMEOUT_S, "the defined event of %s", GUEST_NAME);
  e2e.machine = g_object_ref (gh_machine_list_lookup_by_name (gh_connection_get_machines (e2e.connection),
                                                              GUEST_NAME));
  g_assert_true (gh_machine_get_installing (e2e.machine));
}

/* Starts the installer through Greenhouse, and waits until it reads the keyboard
 * (@ready_line on its serial port once more than @seen times). */
static void
start_installer (const char *ready_line)
{
  guint seen = count_in_serial_log (ready_line);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gh_machine_perform_async (e2e.machine, GH_MACHINE_ACTION_START, NULL,
                            gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, OPEN_TIMEOUT_S, "Start");
  gh_machine_perform_finish (e2e.machine, result, &error);
  g_assert_no_error (error);
  gh_e2e_wait_until (count_in_serial_log (ready_line) > seen, BOOT_TIMEOUT_S,
                     "the installer to boot (%s)", ready_line);
}

static const unsigned int keycodes[] = {
  ['a'] = 30, ['b'] = 48, ['c'] = 46, ['d'] = 32, ['e'] = 18, ['f'] = 33, ['g'] = 34,
  ['h'] = 35, ['i'] = 23, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 50, ['n'] = 49,
  ['o'] = 24, ['p'] = 25, ['q'] = 16, ['r'] = 19, ['s'] = 31, ['t'] = 20, ['u'] = 22,
  ['v'] = 47, ['w'] = 17, ['x'] = 45, ['y'] = 21, ['z'] = 44,
};
#define KEY_ENTER 28
#define KEY_LEFTCTRL 29
#define KEY_C 46

static void
send_keys (const unsigned int *keys,
           int                 n_keys)
{
  gh_e2e_allow_outside_calls (TRUE);
  if (virDomainSendKey (e2e.domain, VIR_KEYCODE_SET_LINUX, 50, (unsigned int *) keys, n_keys, 0) < 0)
    g_error ("virDomainSendKey: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);
}

/* Types @word and Enter on the guest's keyboard until the echo guest says it got it;
 * Ctrl+C first on each try, so that a lost key leaves nothing on the line. */
static void
type_until_got (const char *word)
{
  g_autofree char *got = g_strdup_printf ("GOT:%s", word);
  guint seen = count_serial_lines (got);

  for (guint attempt = 0; attempt < 5; attempt++)
    {
      static const unsigned int ctrl_c[] = { KEY_LEFTCTRL, KEY_C };
      static const unsigned int enter[] = { KEY_ENTER };
      gint64 deadline;

      send_keys (ctrl_c, G_N_ELEMENTS (ctrl_c));
      /* One key at a time, at a person's pace: keys sent together may be lost. */
      for (const char *c = word; *c != '\0'; c++)
        {
          send_keys (&keycodes[(guchar) *c], 1);
          gh_e2e_spin (100);
        }
      send_keys (enter, 1);

      deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      while (count_serial_lines (got) == seen && gh_e2e_iterate_until (deadline))
        ;
      if (count_serial_lines (got) > seen)
        return;
      g_test_message ("“%s” did not arrive; typing it again", word);
    }

  g_error ("the guest never got “%s”", word);
}

static void
assert_still_installing (const char *after)
{
  g_test_message ("after %s: %s", after, describe ());
  g_assert_true (gh_machine_get_installing (e2e.machine));
  g_assert_null (gh_machine_get_install_error (e2e.machine));
  g_assert_cmpstr (gh_machine_get_state_text (e2e.machine), ==, "Installation not finished");
  g_assert_cmpuint (e2e.n_install_failed, ==, 0);
}

/* Whether libvirt reaches the guest's agent: the guest saying its agent is ready comes
 * before libvirt has seen the port open. */
static gboolean
agent_answers (void)
{
  char *hostname;

  gh_e2e_allow_outside_calls (TRUE);
  hostname = virDomainGetHostname (e2e.domain, VIR_DOMAIN_GET_HOSTNAME_AGENT);
  virResetLastError ();
  gh_e2e_allow_outside_calls (FALSE);
  free (hostname);

  return hostname != NULL;
}

/* A poweroff asked from the host (virsh shutdown reaches the guest through its agent)
 * is not the installer's end. */
static void
test_host_poweroff (void)
{
  start_installer ("GREENHOUSE-ECHO-AGENT-READY");
  g_assert_cmpstr (gh_machine_get_state_text (e2e.machine), ==, "Installing");
  gh_e2e_wait_until (agent_answers (), OPEN_TIMEOUT_S, "libvirt to reach the guest agent");

  gh_e2e_allow_outside_calls (TRUE);
  if (virDomainShutdownFlags (e2e.domain, VIR_DOMAIN_SHUTDOWN_GUEST_AGENT) < 0)
    g_error ("virDomainShutdownFlags: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);

  /* Greenhouse decides when it reads the stop: the same turn of the main loop. */
  gh_e2e_wait_until (gh_machine_get_state (e2e.machine) == GH_MACHINE_STATE_SHUT_OFF,
                     BOOT_TIMEOUT_S, "the guest to power off");
  assert_still_installing ("a host's poweroff");
}

/* The guest powering itself off (an installer's own poweroff, or its user's) is not the
 * installer's end either. */
static void
test_guest_poweroff (void)
{
  start_installer ("GREENHOUSE-ECHO-READY");
  type_until_got ("poweroff");
  gh_e2e_wait_until (gh_machine_get_state (e2e.machine) == GH_MACHINE_STATE_SHUT_OFF,
                     BOOT_TIMEOUT_S, "the guest to power off");
  assert_still_installing ("the guest's poweroff");
}

/* The installer's reboot ends the phase. Here the installed system cannot start (its disk
 * is gone): the machine says so, and once the daemon has come back and the disk with it,
 * Greenhouse tries again by itself. */
static void
test_reboot_ends_it (void)
{
  g_autofree char *away = g_strconcat (e2e.disk, ".away", NULL);
  g_autofree char *xml = NULL;

  start_installer ("GREENHOUSE-ECHO-READY");
  /* QEMU holds the disk open: the installer goes on without its name. */
  g_assert_no_errno (g_rename (e2e.disk, away));
  type_until_got ("reboot");

  gh_e2e_wait_until (gh_machine_get_install_error (e2e.machine) != NULL, BOOT_TIMEOUT_S,
                     "the finish to fail for want of the disk");
  g_test_message ("%s", describe ());
  g_assert_cmpint (gh_machine_get_state (e2e.machine), ==, GH_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpstr (gh_machine_get_state_text (e2e.machine), ==, "Could not finish installing");
  g_assert_cmpuint (e2e.n_install_failed, ==, 1);

  /* The daemon dies and comes back: the finish is tried again. */
  g_assert_no_errno (g_rename (away, e2e.disk));
  gh_e2e_close_plain (&e2e.plain, &e2e.domain);
  gh_e2e_kill_session_daemon ();
  gh_e2e_wait_until (gh_connection_get_state (e2e.connection) != GH_CONNECTION_STATE_CONNECTED,
                     OPEN_TIMEOUT_S, "the connection to be lost");
  gh_e2e_wait_until (gh_connection_get_state (e2e.connection) == GH_CONNECTION_STATE_CONNECTED,
                     RECONNECT_TIMEOUT_S, "the connection to come back");
  gh_e2e_wait_until (gh_machine_get_state (e2e.machine) == GH_MACHINE_STATE_RUNNING &&
                     gh_machine_get_install_error (e2e.machine) == NULL,
                     BOOT_TIMEOUT_S, "the installed system to start after the reconnection");
  g_assert_false (gh_machine_get_installing (e2e.machine));
  g_assert_cmpstr (gh_machine_get_state_text (e2e.machine), ==, "Running");
  g_assert_cmpuint (e2e.n_install_failed, ==, 1);

  gh_e2e_allow_outside_calls (TRUE);
  e2e.plain = virConnectOpen (URI);
  g_assert_nonnull (e2e.plain);
  e2e.domain = virDomainLookupByName (e2e.plain, GUEST_NAME);
  g_assert_nonnull (e2e.domain);
  xml = virDomainGetXMLDesc (e2e.domain, VIR_DOMAIN_XML_INACTIVE);
  g_assert_nonnull (xml);
  g_assert_null (strstr (xml, "<kernel>"));
  g_assert_null (strstr (xml, "express-install"));
  g_assert_nonnull (strstr (xml, "<on_reboot>restart</on_reboot>"));
  virDomainDestroy (e2e.domain);
  virDomainUndefine (e2e.domain);
  gh_e2e_allow_outside_calls (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!gh_e2e_init (&argc, &argv, "/e2e/install-phase"))
    return g_test_run ();

  g_test_add_func ("/e2e/install-phase/open", test_open);
  g_test_add_func ("/e2e/install-phase/host-poweroff", test_host_poweroff);
  g_test_add_func ("/e2e/install-phase/guest-poweroff", test_guest_poweroff);
  g_test_add_func ("/e2e/install-phase/reboot-ends-it", test_reboot_ends_it);

  ret = g_test_run ();

  g_clear_object (&e2e.machine);
  g_clear_object (&e2e.connection);
  gh_e2e_close_plain (&e2e.plain, &e2e.domain);
  g_free (e2e.dir);
  g_free (e2e.serial_log);
  g_free (e2e.disk);

  return ret;
}
