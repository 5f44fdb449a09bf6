/* test-machine.c: GhMachine itself: its properties, states, events and lifecycle actions
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-test-util.h"

#define DEFAULT_URI "test:///default"

static const GhMachineAction all_actions[] = {
  GH_MACHINE_ACTION_START,
  GH_MACHINE_ACTION_SHUT_DOWN,
  GH_MACHINE_ACTION_FORCE_OFF,
  GH_MACHINE_ACTION_REBOOT,
  GH_MACHINE_ACTION_PAUSE,
  GH_MACHINE_ACTION_RESUME,
};

static void
fill_info (GhMachineInfo *info)
{
  memset (info, 0, sizeof *info);
  info->uuid = (char *) "6c0a2b1f-0e01-4b55-9a43-5f1b8a641d8e";
  info->name = (char *) "notify-me";
  info->title = NULL;
  info->description = (char *) "A machine";
  info->os_id = (char *) "http://debian.org/debian/12";
  info->state = GH_MACHINE_STATE_SHUT_OFF;
  info->vcpus = 2;
  info->memory = G_GUINT64_CONSTANT (1) << 30;
  info->has_spice = TRUE;
  info->persistent = TRUE;
}

static void
assert_notified (GhTestNotifyLog *log,
                 const char      *property,
                 guint            expected,
                 const char      *after)
{
  guint count = gh_test_notify_log_count (log, property);

  if (count != expected)
    {
      g_autofree char *all = gh_test_notify_log_describe (log);
      g_autofree char *msg = g_strdup_printf ("after %s, notify::%s fired %u times, expected %u "
                                              "(all notifications: %s)",
                                              after, property, count, expected, all);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }
}

static void
assert_no_notify (GhTestNotifyLog *log,
                  const char      *after)
{
  if (gh_test_notify_log_total (log) != 0)
    {
      g_autofree char *all = gh_test_notify_log_describe (log);
      g_autofree char *msg = g_strdup_printf ("%s changed nothing but notified %s", after, all);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }
}

/* The model the UI binds to: a row redraws on notify, so a notify without a change is
 * wasted work times hundreds of rows, and a change without notify is a stale row. */
static void
test_machine_notify_unit (void)
{
  g_autoptr(GhConnection) connection = gh_connection_new (DEFAULT_URI);
  g_autoptr(GhMachine) machine = NULL;
  g_autoptr(GhTestNotifyLog) log = NULL;
  GhMachineInfo info;

  fill_info (&info);
  machine = _gh_connection_new_machine (connection, &info);
  g_assert_cmpstr (gh_machine_get_uuid (machine), ==, info.uuid);
  g_assert_cmpstr (gh_machine_get_name (machine), ==, "notify-me");
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, "notify-me");
  g_assert_null (gh_machine_get_title (machine));
  g_assert_cmpstr (gh_machine_get_description (machine), ==, "A machine");
  g_assert_cmpstr (gh_machine_get_os_id (machine), ==, "http://debian.org/debian/12");
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpuint (gh_machine_get_vcpus (machine), ==, 2);
  g_assert_cmpuint (gh_machine_get_memory (machine), ==, G_GUINT64_CONSTANT (1) << 30);
  g_assert_true (gh_machine_get_has_spice (machine));
  g_assert_true (gh_machine_get_persistent (machine));
  g_assert_true (gh_connection_get_for_machine (machine) == connection);

  log = gh_test_notify_log_new (machine);

  /* The same data again (equal strings in new memory): nothing changes. */
  info.description = g_strdup ("A machine");
  info.os_id = g_strdup ("http://debian.org/debian/12");
  _gh_machine_update (machine, &info);
  _gh_machine_set_state (machine, GH_MACHINE_STATE_SHUT_OFF);
  assert_no_notify (log, "an unchanged refresh");
  g_free (info.description);
  g_free (info.os_id);
  fill_info (&info);

  /* One real change, one notification (and the words that say it). */
  _gh_machine_set_state (machine, GH_MACHINE_STATE_RUNNING);
  assert_notified (log, "state", 1, "shut off → running");
  assert_notified (log, "state-text", 1, "shut off → running");
  g_assert_cmpuint (gh_test_notify_log_total (log), ==, 2);
  _gh_machine_set_state (machine, GH_MACHINE_STATE_RUNNING);
  assert_notified (log, "state", 1, "running → running");

  gh_test_notify_log_clear (log);
  info.state = GH_MACHINE_STATE_PAUSED;
  _gh_machine_update (machine, &info);
  assert_notified (log, "state", 1, "an update that pauses");
  assert_notified (log, "state-text", 1, "an update that pauses");
  g_assert_cmpuint (gh_test_notify_log_total (log), ==, 2);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_PAUSED);

  /* Still paused, now because the host's disk filled up: the words change, not the state. */
  gh_test_notify_log_clear (log);
  info.pause_reason = GH_MACHINE_PAUSE_REASON_DISK_FULL;
  _gh_machine_update (machine, &info);
  assert_notified (log, "pause-reason", 1, "a disk that filled up");
  assert_notified (log, "state-text", 1, "a disk that filled up");
  g_assert_cmpuint (gh_test_notify_log_total (log), ==, 2);
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Paused: the host’s disk is full");
  /* The connection lost: unknown, and no reason left over. */
  _gh_machine_set_state (machine, GH_MACHINE_STATE_UNKNOWN);
  g_assert_cmpint (gh_machine_get_pause_reason (machine), ==, GH_MACHINE_PAUSE_REASON_NONE);
  _gh_machine_set_state (machine, GH_MACHINE_STATE_PAUSED);
  info.pause_reason = GH_MACHINE_PAUSE_REASON_NONE;

  /* A title changes what the list shows. */
  gh_test_notify_log_clear (log);
  info.title = (char *) "My machine";
  _gh_machine_update (machine, &info);
  assert_notified (log, "title", 1, "setting a title");
  assert_notified (log, "display-name", 1, "setting a title");
  assert_notified (log, "state", 0, "setting a title");
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, "My machine");

  gh_test_notify_log_clear (log);
  info.title = NULL;
  _gh_machine_update (machine, &info);
  assert_notified (log, "title", 1, "removing the title");
  assert_notified (log, "display-name", 1, "removing the title");
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, "notify-me");

  gh_test_notify_log_clear (log);
  info.vcpus = 4;
  info.memory = G_GUINT64_CONSTANT (2) << 30;
  info.has_spice = FALSE;
  info.os_id = NULL;
  _gh_machine_update (machine, &info);
  assert_notified (log, "vcpus", 1, "changing vCPUs");
  assert_notified (log, "memory", 1, "changing memory");
  assert_notified (log, "has-spice", 1, "removing SPICE");
  assert_notified (log, "os-id", 1, "removing the OS");
  assert_notified (log, "state", 0, "changing the hardware");
  assert_notified (log, "name", 0, "changing the hardware");
  g_assert_null (gh_machine_get_os_id (machine));
  g_assert_false (gh_machine_get_has_spice (machine));
}

#define NOTIFY_UUID "0d7f6a52-3b7e-4c1e-8f0a-6b1d2c3e4f50"

/* Changes made behind Greenhouse's back notify once each, and a refresh that changes
 * nothing notifies nothing. */
static void
test_machine_notify_events (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  virConnectPtr plain = gh_test_virt_open (DEFAULT_URI);
  virDomainPtr domain;
  virDomainPtr again;
  g_autoptr(GhTestNotifyLog) log = NULL;
  GhMachine *machine;

  domain = gh_test_virt_define (plain, "gh-notify", "<uuid>" NOTIFY_UUID "</uuid>");
  gh_test_wait_until (gh_test_list_find (list, "gh-notify") != NULL,
                      "a defined domain to appear");
  machine = gh_test_list_find (list, "gh-notify");
  g_assert_null (gh_machine_get_description (machine));
  log = gh_test_notify_log_new (machine);

  /* Redefined with a description: "defined/updated" brings it, and nothing else. */
  again = gh_test_virt_define (plain, "gh-notify",
                               "<uuid>" NOTIFY_UUID "</uuid>"
                               "<description>Now described</description>");
  virDomainFree (again);
  gh_test_wait_until (g_strcmp0 (gh_machine_get_description (machine), "Now described") == 0,
                      "a redefined description to reach the machine");
  gh_test_settle (200);
  assert_notified (log, "description", 1, "redefining with a description");
  g_assert_cmpuint (gh_test_notify_log_total (log), ==, 1);

  /* Redefined the same: a refresh that changes nothing. */
  gh_test_notify_log_clear (log);
  again = gh_test_virt_define (plain, "gh-notify",
                               "<uuid>" NOTIFY_UUID "</uuid>"
                               "<description>Now described</description>");
  virDomainFree (again);
  gh_test_settle (300);
  assert_no_notify (log, "redefining with the same XML");

  /* One notify::state per change. */
  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  gh_test_settle (100);
  assert_notified (log, "state", 1, "starting");
  g_assert_cmpint (virDomainSuspend (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_PAUSED);
  gh_test_settle (100);
  assert_notified (log, "state", 2, "suspending");
  g_assert_cmpint (virDomainResume (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  gh_test_settle (100);
  assert_notified (log, "state", 3, "resuming");
  /* The test driver's reboot changes no state and sends no lifecycle event. */
  g_assert_cmpint (virDomainReboot (domain, 0), ==, 0);
  gh_test_settle (200);
  assert_notified (log, "state", 3, "rebooting");
  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_SHUT_OFF);
  gh_test_settle (100);
  assert_notified (log, "state", 4, "destroying");
  assert_notified (log, "name", 0, "all of it");
  assert_notified (log, "title", 0, "all of it");

  /* Leave the shared default driver as we found it. */
  g_clear_pointer (&log, gh_test_notify_log_free);
  g_assert_cmpint (virDomainUndefine (domain), ==, 0);
  gh_test_wait_until (gh_test_list_find (list, "gh-notify") == NULL,
                      "an undefined domain to leave the list");
  virDomainFree (domain);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

/* virsh desc / virsh desc --title, or another manager, change the metadata of a
 * running machine: libvirt says so with a metadata-change event, not a lifecycle one. */
static void
test_machine_metadata_events (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  virConnectPtr plain = gh_test_virt_open (DEFAULT_URI);
  virDomainPtr domain = virDomainLookupByName (plain, "test");
  g_autoptr(GhTestNotifyLog) log = NULL;
  GhMachine *machine;

  machine = gh_test_list_find (list, "test");
  g_assert_nonnull (machine);
  log = gh_test_notify_log_new (machine);

  g_assert_cmpint (virDomainSetMetadata (domain, VIR_DOMAIN_METADATA_DESCRIPTION,
                                         "Now described", NULL, NULL,
                                         VIR_DOMAIN_AFFECT_LIVE), ==, 0);
  gh_test_wait_until (g_strcmp0 (gh_machine_get_description (machine), "Now described") == 0,
                      "a new description (virDomainSetMetadata) to reach the machine");
  g_assert_cmpint (virDomainSetMetadata (domain, VIR_DOMAIN_METADATA_TITLE,
                                         "Titled", NULL, NULL,
                                         VIR_DOMAIN_AFFECT_LIVE), ==, 0);
  gh_test_wait_until (g_strcmp0 (gh_machine_get_display_name (machine), "Titled") == 0,
                      "a new title (virDomainSetMetadata) to reach the machine");
  gh_test_settle (100);
  assert_notified (log, "description", 1, "describing");
  assert_notified (log, "title", 1, "titling");
  assert_notified (log, "display-name", 1, "titling");
  assert_notified (log, "state", 0, "describing and titling");

  /* Leave the shared default driver as we found it. */
  g_assert_cmpint (virDomainSetMetadata (domain, VIR_DOMAIN_METADATA_DESCRIPTION,
                                         NULL, NULL, NULL, VIR_DOMAIN_AFFECT_LIVE), ==, 0);
  g_assert_cmpint (virDomainSetMetadata (domain, VIR_DOMAIN_METADATA_TITLE,
                                         NULL, NULL, NULL, VIR_DOMAIN_AFFECT_LIVE), ==, 0);
  gh_test_wait_until (gh_machine_get_title (machine) == NULL,
                      "a removed title to reach the machine");
  virDomainFree (domain);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

/* Whatever the machine cannot do fails with words a user can read, and changes nothing. */
static void
perform_refused (GhMachine       *machine,
                 GhMachineAction  action)
{
  g_autoptr(GError) error = NULL;
  GhMachineState before = gh_machine_get_state (machine);

  g_test_message ("%s (%s): %s must fail", gh_machine_get_name (machine),
                  gh_test_state_to_virsh (before), gh_test_action_name (action));
  g_assert_false (gh_machine_can_perform (machine, action));
  g_assert_false (gh_machine_state_can_perform (before, action));
  g_assert_false (gh_test_perform (machine, action, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_STATE);
  g_test_message ("error: %s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_assert_null (strstr (error->message, "(null)"));
  gh_test_settle (50);
  g_assert_cmpint (gh_machine_get_state (machine), ==, before);
}

static void
assert_can_perform_agrees (GhMachine *machine)
{
  GhMachineState state = gh_machine_get_state (machine);

  for (guint i = 0; i < G_N_ELEMENTS (all_actions); i++)
    g_assert_cmpint (gh_machine_can_perform (machine, all_actions[i]), ==,
                     gh_machine_state_can_perform (state, all_actions[i]));
}

static void
test_machine_actions (void)
{
  g_autofree char *uri = gh_test_data_uri ("many-domains.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  GhMachine *machine;
  const char *samples[] = { "vm1", "Web-1", "db1", "Build-Agent-1", "alpha1x" };

  /* can_perform answers from the state; check it in every state the list holds. */
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      machine = gh_test_list_find (list, samples[i]);
      g_assert_nonnull (machine);
      assert_can_perform_agrees (machine);
    }

  /* The clear cases, where no hypervisor could do otherwise. */
  g_assert_true (gh_machine_state_can_perform (GH_MACHINE_STATE_SHUT_OFF,
                                               GH_MACHINE_ACTION_START));
  g_assert_true (gh_machine_state_can_perform (GH_MACHINE_STATE_RUNNING,
                                               GH_MACHINE_ACTION_PAUSE));
  g_assert_true (gh_machine_state_can_perform (GH_MACHINE_STATE_RUNNING,
                                               GH_MACHINE_ACTION_SHUT_DOWN));
  g_assert_true (gh_machine_state_can_perform (GH_MACHINE_STATE_RUNNING,
                                               GH_MACHINE_ACTION_FORCE_OFF));
  g_assert_true (gh_machine_state_can_perform (GH_MACHINE_STATE_RUNNING,
                                               GH_MACHINE_ACTION_REBOOT));
  g_assert_true (gh_machine_state_can_perform (GH_MACHINE_STATE_PAUSED,
                                               GH_MACHINE_ACTION_RESUME));
  g_assert_true (gh_machine_state_can_perform (GH_MACHINE_STATE_PAUSED,
                                               GH_MACHINE_ACTION_FORCE_OFF));
  for (guint i = 0; i < G_N_ELEMENTS (all_actions); i++)
    g_assert_false (gh_machine_state_can_perform (GH_MACHINE_STATE_UNKNOWN, all_actions[i]));

  /* db1 starts shut off (n = 2 in gen-many-domains.py). */
  machine = gh_test_list_find (list, "db1");
  g_assert_nonnull (machine);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);
  perform_refused (machine, GH_MACHINE_ACTION_PAUSE);
  perform_refused (machine, GH_MACHINE_ACTION_RESUME);
  perform_refused (machine, GH_MACHINE_ACTION_SHUT_DOWN);
  perform_refused (machine, GH_MACHINE_ACTION_FORCE_OFF);
  perform_refused (machine, GH_MACHINE_ACTION_REBOOT);

  gh_test_perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  assert_can_perform_agrees (machine);
  perform_refused (machine, GH_MACHINE_ACTION_START);
  perform_refused (machine, GH_MACHINE_ACTION_RESUME);

  gh_test_perform_ok (machine, GH_MACHINE_ACTION_PAUSE, GH_MACHINE_STATE_PAUSED);
  assert_can_perform_agrees (machine);
  perform_refused (machine, GH_MACHINE_ACTION_START);
  perform_refused (machine, GH_MACHINE_ACTION_PAUSE);

  gh_test_perform_ok (machine, GH_MACHINE_ACTION_RESUME, GH_MACHINE_STATE_RUNNING);
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_REBOOT, GH_MACHINE_STATE_RUNNING);
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_SHUT_DOWN, GH_MACHINE_STATE_SHUT_OFF);
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_FORCE_OFF, GH_MACHINE_STATE_SHUT_OFF);
  assert_can_perform_agrees (machine);

  /* A paused machine can be forced off (Web-1 starts paused). */
  machine = gh_test_list_find (list, "Web-1");
  g_assert_nonnull (machine);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_PAUSED);
  gh_test_perform_ok (machine, GH_MACHINE_ACTION_FORCE_OFF, GH_MACHINE_STATE_SHUT_OFF);

  /* Actions never reload the list. */
  g_assert_cmpuint (_gh_connection_get_n_full_lists (connection), ==, 1);

  gh_test_close_connection (connection);
}

/* The state Greenhouse knows can be a moment old: when libvirt refuses, the user reads
 * libvirt's reason. */
static void
test_machine_actions_stale (void)
{
  g_autofree char *uri = gh_test_data_uri ("many-domains.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GhMachine) machine = NULL;
  virConnectPtr conn;
  virDomainPtr domain;

  /* vm1 starts running (n = 0 in gen-many-domains.py). */
  machine = g_object_ref (gh_test_list_find (list, "vm1"));
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_RUNNING);

  /* The same driver instance as the GhConnection's: a test:///FILE driver is private to
   * its connection. No main loop turn between here and the action, so the event that
   * says "shut off" cannot have arrived yet. */
  conn = _gh_connection_dup_virconnect (connection, &error);
  g_assert_no_error (error);
  domain = virDomainLookupByName (conn, "vm1");
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainDestroy (domain), ==, 0);

  g_assert_true (gh_machine_can_perform (machine, GH_MACHINE_ACTION_PAUSE));
  g_assert_false (gh_test_perform (machine, GH_MACHINE_ACTION_PAUSE, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == GH_ERROR);
  g_test_message ("error: %s", error->message);
  /* libvirt's test driver: "Requested operation is not valid: domain is not running" */
  g_assert_nonnull (strstr (error->message, "not running"));
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_SHUT_OFF);

  virDomainFree (domain);
  virConnectClose (conn);
  gh_test_close_connection (connection);
}

/* A window may still hold a machine after its connection closed: acting on it fails
 * cleanly. */
static void
test_machine_actions_closed (void)
{
  g_autofree char *uri = gh_test_data_uri ("many-domains.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  g_autoptr(GhMachine) machine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* db1 starts shut off. */
  machine = g_object_ref (gh_test_list_find (gh_connection_get_machines (connection), "db1"));
  gh_test_close_connection (connection);

  g_assert_false (gh_test_perform (machine, GH_MACHINE_ACTION_START, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == GH_ERROR);
  g_test_message ("error: %s", error->message);
  g_clear_error (&error);

  gh_machine_delete_async (machine, TRUE, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "deleting a machine of a closed connection to fail");
  g_assert_false (gh_machine_delete_finish (machine, result, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == GH_ERROR);
}

/* What a caller's callback saw of GhMachine:busy. */
typedef struct
{
  GAsyncResult *result;
  gboolean      busy_in_callback;
} BusyCall;

static void
busy_call_store (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BusyCall *call = user_data;

  call->busy_in_callback = gh_machine_get_busy (GH_MACHINE (source));
  call->result = g_object_ref (result);
}

/* Rows and consoles keep a machine's actions off while one is in flight, so that a second
 * click does not ask libvirt twice: the machine is busy from the call until its callback
 * has run, whether the operation worked or failed, and says so once each way. */
static void
test_machine_busy (void)
{
  g_autofree char *uri = gh_test_data_uri ("many-domains.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GhTestNotifyLog) log = NULL;
  g_autoptr(GError) error = NULL;
  BusyCall start = { NULL, FALSE };
  BusyCall refused = { NULL, FALSE };
  BusyCall stale = { NULL, FALSE };
  GhMachine *machine;
  virConnectPtr conn;
  virDomainPtr domain;

  /* db1 starts shut off. */
  machine = gh_test_list_find (list, "db1");
  g_assert_nonnull (machine);
  g_assert_false (gh_machine_get_busy (machine));
  log = gh_test_notify_log_new (machine);

  /* Two at once, one refused before any worker runs: busy until both are done. */
  gh_machine_perform_async (machine, GH_MACHINE_ACTION_START, NULL, busy_call_store, &start);
  g_assert_true (gh_machine_get_busy (machine));
  assert_notified (log, "busy", 1, "starting an action");
  gh_machine_perform_async (machine, GH_MACHINE_ACTION_PAUSE, NULL, busy_call_store, &refused);
  g_assert_true (gh_machine_get_busy (machine));
  assert_notified (log, "busy", 1, "a second action");

  gh_test_wait_result (&refused.result, "the refused pause");
  g_assert_false (gh_machine_perform_finish (machine, refused.result, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_INVALID_STATE);
  g_clear_error (&error);
  gh_test_wait_result (&start.result, "db1 to start");
  g_assert_true (gh_machine_perform_finish (machine, start.result, &error));
  g_assert_no_error (error);
  /* The callback ran while it counted; once it returned, the machine is idle. */
  g_assert_true (start.busy_in_callback);
  g_assert_false (gh_machine_get_busy (machine));
  assert_notified (log, "busy", 2, "both actions finished");
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);

  /* A failure in the worker: libvirt refuses to pause a machine destroyed behind
   * Greenhouse's back, before the event that says so arrived. */
  conn = _gh_connection_dup_virconnect (connection, &error);
  g_assert_no_error (error);
  domain = virDomainLookupByName (conn, "db1");
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  gh_test_notify_log_clear (log);
  gh_machine_perform_async (machine, GH_MACHINE_ACTION_PAUSE, NULL, busy_call_store, &stale);
  g_assert_true (gh_machine_get_busy (machine));
  gh_test_wait_result (&stale.result, "the stale pause");
  g_assert_false (gh_machine_perform_finish (machine, stale.result, &error));
  g_assert_nonnull (error);
  g_assert_false (gh_machine_get_busy (machine));
  assert_notified (log, "busy", 2, "a failed action");

  g_clear_object (&start.result);
  g_clear_object (&refused.result);
  g_clear_object (&stale.result);
  virDomainFree (domain);
  virConnectClose (conn);
  gh_test_close_connection (connection);
}

static void
test_machine_state_labels (void)
{
  for (GhMachineState s = GH_MACHINE_STATE_UNKNOWN; s <= GH_MACHINE_STATE_CRASHED; s++)
    {
      const char *label = gh_machine_state_get_label (s);
      const char *icon = gh_machine_state_get_icon_name (s);

      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
      g_assert_nonnull (icon);
      g_assert_cmpstr (icon, !=, "");
    }
  g_assert_cmpstr (gh_machine_state_get_label (GH_MACHINE_STATE_RUNNING), ==, "Running");
  g_assert_cmpstr (gh_machine_state_get_label (GH_MACHINE_STATE_RUNNING), !=,
                   gh_machine_state_get_label (GH_MACHINE_STATE_PAUSED));
  g_assert_cmpstr (gh_machine_state_get_label (GH_MACHINE_STATE_SHUT_OFF), !=,
                   gh_machine_state_get_label (GH_MACHINE_STATE_CRASHED));

  g_assert_cmpint (_gh_machine_state_from_libvirt (VIR_DOMAIN_RUNNING), ==,
                   GH_MACHINE_STATE_RUNNING);
  g_assert_cmpint (_gh_machine_state_from_libvirt (VIR_DOMAIN_BLOCKED), ==,
                   GH_MACHINE_STATE_RUNNING);
  g_assert_cmpint (_gh_machine_state_from_libvirt (VIR_DOMAIN_PAUSED), ==,
                   GH_MACHINE_STATE_PAUSED);
  g_assert_cmpint (_gh_machine_state_from_libvirt (VIR_DOMAIN_SHUTOFF), ==,
                   GH_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpint (_gh_machine_state_from_libvirt (VIR_DOMAIN_CRASHED), ==,
                   GH_MACHINE_STATE_CRASHED);
  g_assert_cmpint (_gh_machine_state_from_libvirt (VIR_DOMAIN_PMSUSPENDED), ==,
                   GH_MACHINE_STATE_SUSPENDED);
  g_assert_cmpint (_gh_machine_state_from_libvirt (VIR_DOMAIN_NOSTATE), ==,
                   GH_MACHINE_STATE_UNKNOWN);
  g_assert_cmpint (_gh_machine_state_from_libvirt (999), ==, GH_MACHINE_STATE_UNKNOWN);
}

/* Why a machine is paused, from libvirt's reason, in words that say what to do. */
static void
test_machine_pause_reasons (void)
{
  static const struct
  {
    int reason;
    gboolean disk_full;
    GhMachinePauseReason expected;
    const char *text;
  } cases[] = {
    { VIR_DOMAIN_PAUSED_USER, FALSE, GH_MACHINE_PAUSE_REASON_USER, "Paused" },
    { VIR_DOMAIN_PAUSED_UNKNOWN, FALSE, GH_MACHINE_PAUSE_REASON_UNKNOWN, "Paused" },
    { VIR_DOMAIN_PAUSED_IOERROR, TRUE, GH_MACHINE_PAUSE_REASON_DISK_FULL,
      "Paused: the host’s disk is full" },
    { VIR_DOMAIN_PAUSED_IOERROR, FALSE, GH_MACHINE_PAUSE_REASON_DISK_ERROR,
      "Paused: a disk could not be read or written" },
    { VIR_DOMAIN_PAUSED_WATCHDOG, FALSE, GH_MACHINE_PAUSE_REASON_WATCHDOG,
      "Paused by its watchdog: the system stopped responding" },
    { VIR_DOMAIN_PAUSED_SNAPSHOT, FALSE, GH_MACHINE_PAUSE_REASON_SNAPSHOT,
      "Paused for a snapshot" },
    { VIR_DOMAIN_PAUSED_FROM_SNAPSHOT, FALSE, GH_MACHINE_PAUSE_REASON_SNAPSHOT,
      "Paused for a snapshot" },
    { VIR_DOMAIN_PAUSED_MIGRATION, FALSE, GH_MACHINE_PAUSE_REASON_MIGRATION,
      "Paused for a migration" },
    { VIR_DOMAIN_PAUSED_POSTCOPY, FALSE, GH_MACHINE_PAUSE_REASON_MIGRATION,
      "Paused for a migration" },
    { VIR_DOMAIN_PAUSED_SAVE, FALSE, GH_MACHINE_PAUSE_REASON_SAVE, "Paused while it is saved" },
    { VIR_DOMAIN_PAUSED_DUMP, FALSE, GH_MACHINE_PAUSE_REASON_SAVE, "Paused while it is saved" },
    { VIR_DOMAIN_PAUSED_STARTING_UP, FALSE, GH_MACHINE_PAUSE_REASON_STARTING,
      "Paused while it starts" },
    { VIR_DOMAIN_PAUSED_SHUTTING_DOWN, FALSE, GH_MACHINE_PAUSE_REASON_SHUTTING_DOWN,
      "Paused while it shuts down" },
    { VIR_DOMAIN_PAUSED_CRASHED, FALSE, GH_MACHINE_PAUSE_REASON_CRASHED,
      "Paused: the system crashed" },
    { 999, FALSE, GH_MACHINE_PAUSE_REASON_UNKNOWN, "Paused" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GhMachinePauseReason reason =
        _gh_machine_pause_reason_from_libvirt (VIR_DOMAIN_PAUSED, cases[i].reason,
                                               cases[i].disk_full);

      g_assert_cmpint (reason, ==, cases[i].expected);
      g_assert_cmpstr (gh_machine_pause_reason_get_text (reason), ==, cases[i].text);
    }

  /* Not paused: no reason, whatever libvirt's number means for that state. */
  g_assert_cmpint (_gh_machine_pause_reason_from_libvirt (VIR_DOMAIN_RUNNING,
                                                          VIR_DOMAIN_RUNNING_UNPAUSED, FALSE),
                   ==, GH_MACHINE_PAUSE_REASON_NONE);
  g_assert_cmpint (_gh_machine_pause_reason_from_libvirt (VIR_DOMAIN_SHUTOFF,
                                                          VIR_DOMAIN_SHUTOFF_SHUTDOWN, TRUE),
                   ==, GH_MACHINE_PAUSE_REASON_NONE);
}

/* The machine says why it is paused, and forgets it once it runs again. */
static void
test_machine_pause_reason_events (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  virConnectPtr plain = gh_test_virt_open (DEFAULT_URI);
  g_autoptr(GhTestNotifyLog) log = NULL;
  GhMachine *machine;
  virDomainPtr domain;

  domain = gh_test_virt_define (plain, "gh-pause-reason", "");
  gh_test_wait_until (gh_test_list_find (list, "gh-pause-reason") != NULL,
                      "a defined domain to appear");
  machine = gh_test_list_find (list, "gh-pause-reason");
  g_assert_cmpint (gh_machine_get_pause_reason (machine), ==, GH_MACHINE_PAUSE_REASON_NONE);
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Shut Off");

  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  log = gh_test_notify_log_new (machine);

  g_assert_cmpint (virDomainSuspend (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_PAUSED);
  gh_test_settle (100);
  g_assert_cmpint (gh_machine_get_pause_reason (machine), ==, GH_MACHINE_PAUSE_REASON_USER);
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Paused");
  assert_notified (log, "pause-reason", 1, "pausing");
  assert_notified (log, "state-text", 1, "pausing");

  g_assert_cmpint (virDomainResume (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  gh_test_settle (100);
  g_assert_cmpint (gh_machine_get_pause_reason (machine), ==, GH_MACHINE_PAUSE_REASON_NONE);
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Running");
  assert_notified (log, "pause-reason", 2, "resuming");

  g_clear_pointer (&log, gh_test_notify_log_free);
  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  g_assert_cmpint (virDomainUndefine (domain), ==, 0);
  gh_test_wait_until (gh_test_list_find (list, "gh-pause-reason") == NULL,
                      "an undefined domain to leave the list");
  virDomainFree (domain);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

/* virDomainOpenGraphicsFD() counts every <graphics>: the SPICE one is not always first. */
static void
test_machine_spice_graphics_index (void)
{
  g_assert_cmpint (_gh_domain_xml_spice_graphics_index (
    "<domain><devices><graphics type='spice'><listen type='none'/></graphics>"
    "</devices></domain>"), ==, 0);
  g_assert_cmpint (_gh_domain_xml_spice_graphics_index (
    "<domain><devices><disk type='file'/><graphics type='vnc' port='-1'/>"
    "<video/><graphics type='spice'/></devices></domain>"), ==, 1);
  g_assert_cmpint (_gh_domain_xml_spice_graphics_index (
    "<domain><devices><graphics type='vnc'/><graphics type='sdl'/><graphics type='spice'/>"
    "<graphics type='spice'/></devices></domain>"), ==, 2);
  g_assert_cmpint (_gh_domain_xml_spice_graphics_index (
    "<domain><devices><graphics type='vnc'/></devices></domain>"), ==, -1);
  g_assert_cmpint (_gh_domain_xml_spice_graphics_index ("<domain/>"), ==, -1);
  g_assert_cmpint (_gh_domain_xml_spice_graphics_index ("not xml"), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/machine/notify", test_machine_notify_unit);
  g_test_add_func ("/core/machine/notify-events", test_machine_notify_events);
  g_test_add_func ("/core/machine/pause-reasons", test_machine_pause_reasons);
  g_test_add_func ("/core/machine/pause-reason-events", test_machine_pause_reason_events);
  g_test_add_func ("/core/machine/spice-graphics-index", test_machine_spice_graphics_index);
  g_test_add_func ("/core/machine/actions", test_machine_actions);
  g_test_add_func ("/core/machine/actions-stale", test_machine_actions_stale);
  g_test_add_func ("/core/machine/actions-closed", test_machine_actions_closed);
  g_test_add_func ("/core/machine/busy", test_machine_busy);
  g_test_add_func ("/core/machine/state-labels", test_machine_state_labels);
  g_test_add_func ("/core/machine/metadata-events", test_machine_metadata_events);

  return g_test_run ();
}
