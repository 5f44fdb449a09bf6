/* test-machine-install.c: how a machine finishes an express install: when the installer
 * reboots it, or when its user says the install is done
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-test-util.h"

#define DEFAULT_URI "test:///default"

#define EXPRESS_UUID "5b0c3a1e-9f8d-4c2b-a7e6-1d2c3b4a5f60"
#define EXPRESS_XML \
  "<uuid>" EXPRESS_UUID "</uuid>" \
  "<metadata><greenhouse:greenhouse xmlns:greenhouse='" GH_DOMAIN_METADATA_NS "'>" \
  "<greenhouse:express-install kernel='/nowhere/k' initrd='/nowhere/i'/>" \
  "</greenhouse:greenhouse></metadata>" \
  "<on_reboot>destroy</on_reboot>" \
  "<devices><disk type='file' device='disk'><source file='/nowhere/disk.img'/>" \
  "<target dev='vda' bus='virtio'/></disk></devices>"

/* Greenhouse finishes an express install when the installer's reboot stops the guest,
 * and only then: not when the user forces it off or shuts it down, nor when the guest
 * powers off. */
static void
test_machine_express_install (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  virConnectPtr plain = gh_test_virt_open (DEFAULT_URI);
  g_autoptr(GhDomainEditor) editor = NULL;
  virDomainPtr domain;
  GhMachine *machine;
  char *xml;

  domain = gh_test_virt_define (plain, "gh-express", EXPRESS_XML);
  gh_test_wait_until (gh_test_list_find (list, "gh-express") != NULL,
                      "an installing domain to appear");
  machine = gh_test_list_find (list, "gh-express");
  g_assert_true (gh_machine_get_installing (machine));

  /* Forced off: the installer did not finish. */
  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_SHUT_OFF);
  gh_test_settle (300);
  g_assert_true (gh_machine_get_installing (machine));
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);

  /* Shut down through Greenhouse: the user's, not the installer's. */
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_SHUT_DOWN, GH_MACHINE_STATE_SHUT_OFF);
  gh_test_settle (300);
  g_assert_true (gh_machine_get_installing (machine));
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);

  /* The guest stops itself (the test driver's shutdown is a guest shutdown to libvirt)
   * without a reset before: a poweroff, not the installer's end. */
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Installing");
  g_assert_cmpint (virDomainShutdown (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_SHUT_OFF);
  gh_test_settle (300);
  g_assert_true (gh_machine_get_installing (machine));
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Installation not finished");

  /* The installer reboots: QEMU says the guest reset itself (the test driver has no QEMU
   * events; tests/e2e/test-install-phase.c sees the real one), and on_reboot=destroy stops
   * it. Greenhouse boots the installed system by itself. */
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  _gh_machine_set_reset_seen (machine, TRUE);
  g_assert_cmpint (virDomainShutdown (domain), ==, 0);
  gh_test_wait_until (!gh_machine_get_installing (machine)
                      && gh_machine_get_state (machine) == GH_MACHINE_STATE_RUNNING,
                      "the install to be finished and the machine started");

  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  editor = gh_domain_editor_new (xml, NULL);
  free (xml);
  g_assert_nonnull (editor);
  g_assert_false (gh_domain_editor_get_express_install (editor, NULL, NULL));
  xml = gh_domain_editor_to_xml (editor);
  g_assert_null (strstr (xml, "<kernel>"));
  g_assert_nonnull (strstr (xml, "<on_reboot>restart</on_reboot>"));
  g_free (xml);

  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  g_assert_cmpint (virDomainUndefine (domain), ==, 0);
  gh_test_wait_until (gh_test_list_find (list, "gh-express") == NULL,
                      "an undefined domain to leave the list");
  virDomainFree (domain);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

/* A user who knows the installer was done (Greenhouse was not running when it ended)
 * starts the installed system without running the installer again. */
static void
test_machine_express_install_by_user (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  virConnectPtr plain = gh_test_virt_open (DEFAULT_URI);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;
  GhMachine *machine;

  domain = gh_test_virt_define (plain, "gh-express-by-user", EXPRESS_XML);
  gh_test_wait_until (gh_test_list_find (list, "gh-express-by-user") != NULL,
                      "an installing domain to appear");
  machine = gh_test_list_find (list, "gh-express-by-user");
  g_assert_true (gh_machine_get_installing (machine));
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Installation not finished");

  gh_machine_finish_install_async (machine, NULL, gh_test_store_result, &result);
  gh_test_wait_until (result != NULL, "the finish");
  g_assert_true (gh_machine_finish_install_finish (machine, result, &error));
  g_assert_no_error (error);
  gh_test_wait_until (!gh_machine_get_installing (machine)
                      && gh_machine_get_state (machine) == GH_MACHINE_STATE_RUNNING,
                      "the installed system to start");
  g_assert_null (gh_machine_get_install_error (machine));

  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  g_assert_cmpint (virDomainUndefine (domain), ==, 0);
  gh_test_wait_until (gh_test_list_find (list, "gh-express-by-user") == NULL,
                      "an undefined domain to leave the list");
  virDomainFree (domain);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

/* QEMU's SHUTDOWN event as libvirt passes it on: only a guest's own reset is the
 * installer's reboot. */
static void
test_machine_shutdown_reason (void)
{
  g_assert_true (_gh_connection_shutdown_is_reset (
    "{\"guest\":true,\"reason\":\"guest-reset\"}"));
  g_assert_false (_gh_connection_shutdown_is_reset (
    "{\"guest\":true,\"reason\":\"guest-shutdown\"}"));
  g_assert_false (_gh_connection_shutdown_is_reset (
    "{\"guest\":false,\"reason\":\"host-signal\"}"));
  g_assert_false (_gh_connection_shutdown_is_reset (
    "{\"guest\":false,\"reason\":\"guest-reset\"}"));
  g_assert_false (_gh_connection_shutdown_is_reset ("{\"guest\":true}"));
  g_assert_false (_gh_connection_shutdown_is_reset ("[\"guest-reset\"]"));
  g_assert_false (_gh_connection_shutdown_is_reset ("not json"));
  g_assert_false (_gh_connection_shutdown_is_reset (NULL));
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/machine/install/express-by-user", test_machine_express_install_by_user);
  g_test_add_func ("/core/machine/install/shutdown-reason", test_machine_shutdown_reason);
  g_test_add_func ("/core/machine/install/express", test_machine_express_install);

  return g_test_run ();
}
