/* test-session.c: Greenhouse against a real qemu:///session daemon and a real QEMU.
 *
 * The steps run in order and share one connection, like a user's session would: a
 * machine defined behind Greenhouse's back shows up, starts and stops through
 * Greenhouse, follows changes made by others, survives its daemon dying, and goes away
 * when deleted. tests/e2e/run-e2e runs this with XDG dirs of its own: the test kills
 * the session daemon, which must never be the one of the person running it.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-core.h"
#include "gh-core-private.h"
#include "gh-e2e-util.h"

#define URI          "qemu:///session"
#define DOMAIN_NAME  "greenhouse-e2e-tiny"
#define DOMAIN_TITLE "Greenhouse e2e \u2014 tiny"

/* TCG on a busy CI machine is slow to start a guest; a daemon autostarts in seconds. */
#define OPEN_TIMEOUT_S      30
#define EVENT_TIMEOUT_S     30
#define ACTION_TIMEOUT_S    60
#define RECONNECT_TIMEOUT_S 60

static struct
{
  GhConnection *connection;
  /* Plays the part of virsh or another manager, so that changes come from outside. */
  virConnectPtr plain;
  virDomainPtr  domain;
  char         *uuid;

  /* What the user could have seen while the daemon was away. */
  gboolean      saw_lost;
  GError       *lost_error;
  guint         n_listed_when_lost;
  gboolean      saw_unknown;
} e2e;

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : "?";
}

static const char *
connection_state_name (GhConnectionState state)
{
  return enum_nick (GH_TYPE_CONNECTION_STATE, state);
}

/* The state of things, for failure messages. */
static const char *
describe_connection (void)
{
  static char *text;
  GhMachineList *list;
  GhMachine *machine = NULL;
  const GError *error;

  if (e2e.connection == NULL)
    return "no connection";

  list = gh_connection_get_machines (e2e.connection);
  error = gh_connection_get_error (e2e.connection);
  if (e2e.uuid != NULL)
    machine = gh_machine_list_lookup_by_uuid (list, e2e.uuid);
  g_free (text);
  text = g_strdup_printf ("connection %s%s%s, %u machines, %s %s",
                          connection_state_name (gh_connection_get_state (e2e.connection)),
                          error != NULL ? ": " : "",
                          error != NULL ? error->message : "",
                          g_list_model_get_n_items (G_LIST_MODEL (list)),
                          DOMAIN_NAME,
                          machine != NULL
                            ? gh_machine_state_get_label (gh_machine_get_state (machine))
                            : "not listed");
  return text;
}

static GhMachineList *
machines (void)
{
  return gh_connection_get_machines (e2e.connection);
}

static GhMachine *
tiny_machine (void)
{
  return gh_machine_list_lookup_by_uuid (machines (), e2e.uuid);
}

static GhMachineState
tiny_state (void)
{
  GhMachine *machine = tiny_machine ();

  return machine != NULL ? gh_machine_get_state (machine) : GH_MACHINE_STATE_UNKNOWN;
}

static void
open_plain_connection (void)
{
  gh_e2e_allow_outside_calls (TRUE);
  e2e.plain = virConnectOpen (URI);
  if (e2e.plain == NULL)
    g_error ("virConnectOpen (%s): %s", URI, virGetLastErrorMessage ());
  if (e2e.uuid != NULL)
    {
      e2e.domain = virDomainLookupByUUIDString (e2e.plain, e2e.uuid);
      if (e2e.domain == NULL)
        g_error ("virDomainLookupByUUIDString: %s", virGetLastErrorMessage ());
    }
  gh_e2e_allow_outside_calls (FALSE);
}

static void
perform (GhMachineAction action)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GhMachine *machine = tiny_machine ();

  g_assert_nonnull (machine);
  g_assert_true (gh_machine_can_perform (machine, action));
  gh_machine_perform_async (machine, action, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, ACTION_TIMEOUT_S, "the end of action %s",
                     enum_nick (GH_TYPE_MACHINE_ACTION, action));
  g_assert_true (gh_machine_perform_finish (machine, result, &error));
  g_assert_no_error (error);
}

/* A domain as small as QEMU allows: no disk, so SeaBIOS just waits for a boot device. */
static char *
tiny_domain_xml (void)
{
  int kvm_fd = g_open ("/dev/kvm", O_RDWR | O_CLOEXEC, 0);
  const char *type = kvm_fd >= 0 ? "kvm" : "qemu";

  if (kvm_fd >= 0)
    g_close (kvm_fd, NULL);
  g_test_message ("domain type %s (/dev/kvm %s)", type,
                  kvm_fd >= 0 ? "usable" : g_strerror (errno));

  return g_strdup_printf ("<domain type='%s'>"
                          "  <name>" DOMAIN_NAME "</name>"
                          "  <title>" DOMAIN_TITLE "</title>"
                          "  <memory unit='MiB'>64</memory>"
                          "  <vcpu>1</vcpu>"
                          "  <os><type arch='x86_64' machine='pc'>hvm</type></os>"
                          "  <devices><serial type='pty'/></devices>"
                          "</domain>",
                          type);
}

static void
test_open (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  e2e.connection = gh_connection_new (URI);
  g_assert_true (gh_connection_is_session (e2e.connection));
  g_assert_false (gh_connection_is_remote (e2e.connection));

  /* The first open autostarts the session daemon. */
  gh_connection_open_async (e2e.connection, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, OPEN_TIMEOUT_S,
                     "opening %s (the session libvirtd should autostart; "
                     "is libvirt-daemon-driver-qemu installed?)", URI);
  g_assert_true (gh_connection_open_finish (e2e.connection, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gh_connection_get_state (e2e.connection), ==, GH_CONNECTION_STATE_CONNECTED);
  g_assert_null (gh_connection_get_error (e2e.connection));

  /* The isolated session starts empty: anything listed would be someone else's machine. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (machines ())), ==, 0);
  g_assert_cmpuint (_gh_connection_get_n_full_lists (e2e.connection), ==, 1);

  open_plain_connection ();
}

static void
test_define (void)
{
  g_autofree char *xml = tiny_domain_xml ();
  char uuid[VIR_UUID_STRING_BUFLEN];
  GhMachine *machine;

  gh_e2e_allow_outside_calls (TRUE);
  e2e.domain = virDomainDefineXML (e2e.plain, xml);
  if (e2e.domain == NULL)
    g_error ("virDomainDefineXML: %s", virGetLastErrorMessage ());
  g_assert_cmpint (virDomainGetUUIDString (e2e.domain, uuid), ==, 0);
  gh_e2e_allow_outside_calls (FALSE);
  e2e.uuid = g_strdup (uuid);

  gh_e2e_wait_until (tiny_machine () != NULL, EVENT_TIMEOUT_S, "the define event of %s",
                     DOMAIN_NAME);
  machine = tiny_machine ();
  g_assert_true (gh_machine_list_lookup_by_name (machines (), DOMAIN_NAME) == machine);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (machines ())), ==, 1);
  g_assert_cmpstr (gh_machine_get_name (machine), ==, DOMAIN_NAME);
  g_assert_cmpstr (gh_machine_get_title (machine), ==, DOMAIN_TITLE);
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, DOMAIN_TITLE);
  g_assert_cmpuint (gh_machine_get_vcpus (machine), ==, 1);
  g_assert_cmpuint (gh_machine_get_memory (machine), ==, 64 * 1024 * 1024);
  g_assert_false (gh_machine_get_has_spice (machine));
  g_assert_true (gh_machine_get_persistent (machine));
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);
  g_assert_true (gh_connection_get_for_machine (machine) == e2e.connection);

  /* It arrived as an event, not because the whole list was read again. */
  g_assert_cmpuint (_gh_connection_get_n_full_lists (e2e.connection), ==, 1);
}

static void
test_start (void)
{
  int state = VIR_DOMAIN_NOSTATE;

  perform (GH_MACHINE_ACTION_START);
  gh_e2e_wait_until (tiny_state () == GH_MACHINE_STATE_RUNNING, EVENT_TIMEOUT_S,
                     "the running state of %s", DOMAIN_NAME);

  gh_e2e_allow_outside_calls (TRUE);
  g_assert_cmpint (virDomainGetState (e2e.domain, &state, NULL, 0), ==, 0);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_cmpint (state, ==, VIR_DOMAIN_RUNNING);
  g_assert_false (gh_machine_can_perform (tiny_machine (), GH_MACHINE_ACTION_START));
  g_assert_true (gh_machine_can_perform (tiny_machine (), GH_MACHINE_ACTION_FORCE_OFF));
}

static void
test_force_off (void)
{
  int state = VIR_DOMAIN_NOSTATE;

  perform (GH_MACHINE_ACTION_FORCE_OFF);
  gh_e2e_wait_until (tiny_state () == GH_MACHINE_STATE_SHUT_OFF, EVENT_TIMEOUT_S,
                     "the shut-off state of %s", DOMAIN_NAME);

  gh_e2e_allow_outside_calls (TRUE);
  g_assert_cmpint (virDomainGetState (e2e.domain, &state, NULL, 0), ==, 0);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_cmpint (state, ==, VIR_DOMAIN_SHUTOFF);
  g_assert_true (gh_machine_can_perform (tiny_machine (), GH_MACHINE_ACTION_START));
}

/* Another manager (or virsh) drives the machine: Greenhouse must follow through events. */
static void
test_outside_changes (void)
{
  gh_e2e_allow_outside_calls (TRUE);
  if (virDomainCreate (e2e.domain) < 0)
    g_error ("virDomainCreate: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);
  gh_e2e_wait_until (tiny_state () == GH_MACHINE_STATE_RUNNING, EVENT_TIMEOUT_S,
                     "the running state of %s started from outside", DOMAIN_NAME);

  gh_e2e_allow_outside_calls (TRUE);
  if (virDomainSuspend (e2e.domain) < 0)
    g_error ("virDomainSuspend: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);
  gh_e2e_wait_until (tiny_state () == GH_MACHINE_STATE_PAUSED, EVENT_TIMEOUT_S,
                     "the paused state of %s paused from outside", DOMAIN_NAME);

  gh_e2e_allow_outside_calls (TRUE);
  if (virDomainResume (e2e.domain) < 0)
    g_error ("virDomainResume: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);
  gh_e2e_wait_until (tiny_state () == GH_MACHINE_STATE_RUNNING, EVENT_TIMEOUT_S,
                     "the running state of %s resumed from outside", DOMAIN_NAME);

  gh_e2e_allow_outside_calls (TRUE);
  if (virDomainDestroy (e2e.domain) < 0)
    g_error ("virDomainDestroy: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);
  gh_e2e_wait_until (tiny_state () == GH_MACHINE_STATE_SHUT_OFF, EVENT_TIMEOUT_S,
                     "the shut-off state of %s destroyed from outside", DOMAIN_NAME);

  g_assert_cmpuint (_gh_connection_get_n_full_lists (e2e.connection), ==, 1);
}

static void
on_machine_state (GhMachine  *machine,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  if (gh_machine_get_state (machine) == GH_MACHINE_STATE_UNKNOWN)
    e2e.saw_unknown = TRUE;
}

static void
on_connection_error (GhConnection *connection,
                     GParamSpec   *pspec,
                     gpointer      user_data)
{
  const GError *error = gh_connection_get_error (connection);

  if (gh_connection_get_state (connection) == GH_CONNECTION_STATE_LOST && error != NULL)
    {
      g_clear_error (&e2e.lost_error);
      e2e.lost_error = g_error_copy (error);
    }
}

static void
on_connection_state (GhConnection *connection,
                     GParamSpec   *pspec,
                     gpointer      user_data)
{
  g_test_message ("connection state: %s",
                  connection_state_name (gh_connection_get_state (connection)));

  if (gh_connection_get_state (connection) != GH_CONNECTION_STATE_LOST || e2e.saw_lost)
    return;

  e2e.saw_lost = TRUE;
  e2e.n_listed_when_lost = g_list_model_get_n_items (G_LIST_MODEL (machines ()));
  on_connection_error (connection, NULL, NULL);
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *n_emissions)
{
  (*n_emissions)++;
}

static void
test_daemon_lost (void)
{
  g_autoptr(GhMachine) machine = g_object_ref (tiny_machine ());
  gulong state_id, error_id, machine_state_id, items_id;
  guint n_items_changed = 0;
  GPid daemon, new_daemon;

  /* The plain connection would die with the daemon; it is not what is under test. */
  gh_e2e_close_plain (&e2e.plain, &e2e.domain);

  daemon = gh_e2e_find_session_daemon ();
  if (daemon == 0)
    g_error ("no session libvirtd (or virtqemud) pid file under %s/libvirt",
             g_get_user_runtime_dir ());

  state_id = g_signal_connect (e2e.connection, "notify::state",
                               G_CALLBACK (on_connection_state), NULL);
  error_id = g_signal_connect (e2e.connection, "notify::error",
                               G_CALLBACK (on_connection_error), NULL);
  machine_state_id = g_signal_connect (machine, "notify::state",
                                       G_CALLBACK (on_machine_state), NULL);
  items_id = g_signal_connect (machines (), "items-changed",
                               G_CALLBACK (count_items_changed), &n_items_changed);

  /* SIGKILL: the daemon gets no chance to say goodbye, as when it crashes. */
  g_test_message ("killing the session daemon, pid %d", (int) daemon);
  g_assert_cmpint (kill (daemon, SIGKILL), ==, 0);

  gh_e2e_wait_until (e2e.saw_lost, EVENT_TIMEOUT_S, "the lost state of the connection");
  /* Machines stay listed while the daemon is away, their state unknown. */
  g_assert_cmpuint (e2e.n_listed_when_lost, ==, 1);
  gh_e2e_wait_until (e2e.lost_error != NULL || gh_connection_get_state (e2e.connection)
                                               != GH_CONNECTION_STATE_LOST,
                     EVENT_TIMEOUT_S, "the reason of the lost connection");
  if (e2e.lost_error == NULL)
    g_error ("the connection was lost but :error gave no reason while it was");
  g_test_message ("lost: %s", e2e.lost_error->message);
  g_assert_error (e2e.lost_error, GH_ERROR, GH_ERROR_CONNECTION_LOST);
  g_assert_cmpstr (e2e.lost_error->message, !=, "");
  gh_e2e_wait_until (e2e.saw_unknown, EVENT_TIMEOUT_S, "the unknown state of %s", DOMAIN_NAME);

  /* It reconnects by itself: the next open autostarts a new daemon. */
  gh_e2e_wait_until (gh_connection_get_state (e2e.connection) == GH_CONNECTION_STATE_CONNECTED,
                     RECONNECT_TIMEOUT_S, "the reconnection after the daemon was killed");
  g_assert_null (gh_connection_get_error (e2e.connection));
  new_daemon = gh_e2e_find_session_daemon ();
  g_assert_cmpint (new_daemon, !=, 0);
  g_assert_cmpint (new_daemon, !=, daemon);

  gh_e2e_wait_until (tiny_state () == GH_MACHINE_STATE_SHUT_OFF, EVENT_TIMEOUT_S,
                     "the shut-off state of %s after the reconnection", DOMAIN_NAME);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (machines ())), ==, 1);
  g_assert_cmpstr (gh_machine_get_display_name (tiny_machine ()), ==, DOMAIN_TITLE);
  /* Relisted once, on reconnection; the machine is the same object, updated in place,
   * so a list showing it neither lost its row nor rebuilt the others. */
  g_assert_cmpuint (_gh_connection_get_n_full_lists (e2e.connection), ==, 2);
  g_assert_true (tiny_machine () == machine);
  g_assert_cmpuint (n_items_changed, ==, 0);
  g_signal_handler_disconnect (machines (), items_id);

  g_signal_handler_disconnect (e2e.connection, state_id);
  g_signal_handler_disconnect (e2e.connection, error_id);
  g_signal_handler_disconnect (machine, machine_state_id);

  open_plain_connection ();
}

/* The daemon dies while the user starts a machine, before Greenhouse has noticed:
 * the action must fail with a message, and the rest carry on as before. */
static void
test_action_during_loss (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GhMachine) machine = g_object_ref (tiny_machine ());
  GPid daemon;

  gh_e2e_close_plain (&e2e.plain, &e2e.domain);
  daemon = gh_e2e_find_session_daemon ();
  g_assert_cmpint (daemon, !=, 0);
  g_assert_true (gh_machine_can_perform (machine, GH_MACHINE_ACTION_START));

  g_test_message ("killing the session daemon, pid %d, then starting %s",
                  (int) daemon, DOMAIN_NAME);
  g_assert_cmpint (kill (daemon, SIGKILL), ==, 0);
  gh_e2e_wait_for_death (daemon);

  /* The worker writes to a socket whose other end is gone. */
  gh_machine_perform_async (machine, GH_MACHINE_ACTION_START, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, ACTION_TIMEOUT_S, "the end of starting %s while the daemon "
                     "was dead", DOMAIN_NAME);
  g_assert_false (gh_machine_perform_finish (machine, result, &error));
  g_assert_nonnull (error);
  g_test_message ("start failed: %s", error->message);
  g_assert_cmpstr (error->message, !=, "");

  gh_e2e_wait_until (gh_connection_get_state (e2e.connection) == GH_CONNECTION_STATE_CONNECTED
                     && tiny_state () == GH_MACHINE_STATE_SHUT_OFF,
                     RECONNECT_TIMEOUT_S, "the reconnection after the second kill");
  g_assert_true (tiny_machine () == machine);
  g_assert_cmpuint (_gh_connection_get_n_full_lists (e2e.connection), ==, 3);

  open_plain_connection ();
}

static void
test_delete (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GhMachine *machine = tiny_machine ();
  virDomainPtr gone;

  g_assert_nonnull (machine);
  gh_machine_delete_async (machine, FALSE, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, ACTION_TIMEOUT_S, "the end of deleting %s", DOMAIN_NAME);
  g_assert_true (gh_machine_delete_finish (machine, result, &error));
  g_assert_no_error (error);

  gh_e2e_wait_until (tiny_machine () == NULL, EVENT_TIMEOUT_S,
                     "the removal of %s from the list", DOMAIN_NAME);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (machines ())), ==, 0);

  gh_e2e_allow_outside_calls (TRUE);
  gone = virDomainLookupByUUIDString (e2e.plain, e2e.uuid);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_null (gone);
  g_assert_cmpint (virGetLastErrorCode (), ==, VIR_ERR_NO_DOMAIN);
}

static void
test_close (void)
{
  gh_connection_close (e2e.connection);
  gh_e2e_wait_until (gh_connection_get_state (e2e.connection) == GH_CONNECTION_STATE_DISCONNECTED,
                     EVENT_TIMEOUT_S, "the disconnected state after closing");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (machines ())), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* This test kills the session daemon: only ever run it on a private one. */
  if (!gh_e2e_init (&argc, &argv, "/e2e/session"))
    return g_test_run ();
  gh_e2e_set_describe (describe_connection);

  g_test_add_func ("/e2e/session/open", test_open);
  g_test_add_func ("/e2e/session/define", test_define);
  g_test_add_func ("/e2e/session/start", test_start);
  g_test_add_func ("/e2e/session/force-off", test_force_off);
  g_test_add_func ("/e2e/session/outside-changes", test_outside_changes);
  g_test_add_func ("/e2e/session/daemon-lost", test_daemon_lost);
  g_test_add_func ("/e2e/session/action-during-loss", test_action_during_loss);
  g_test_add_func ("/e2e/session/delete", test_delete);
  g_test_add_func ("/e2e/session/close", test_close);

  ret = g_test_run ();

  gh_e2e_close_plain (&e2e.plain, &e2e.domain);
  g_clear_object (&e2e.connection);
  g_clear_error (&e2e.lost_error);
  g_clear_pointer (&e2e.uuid, g_free);

  return ret;
}
