/* test-machine.c: GhMachine's properties, actions and deletion
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* RTLD_NEXT: the delete tests wrap one libvirt function. */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gh-domain-disks.h"
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

static const char *
action_name (GhMachineAction action)
{
  switch (action)
    {
    case GH_MACHINE_ACTION_START: return "start";
    case GH_MACHINE_ACTION_SHUT_DOWN: return "shut down";
    case GH_MACHINE_ACTION_FORCE_OFF: return "force off";
    case GH_MACHINE_ACTION_REBOOT: return "reboot";
    case GH_MACHINE_ACTION_PAUSE: return "pause";
    case GH_MACHINE_ACTION_RESUME: return "resume";
    default: return "?";
    }
}

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

static gboolean
perform (GhMachine        *machine,
         GhMachineAction   action,
         GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *what = g_strdup_printf ("“%s” to %s", gh_machine_get_name (machine),
                                           action_name (action));

  gh_machine_perform_async (machine, action, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, what);
  return gh_machine_perform_finish (machine, result, error);
}

static void
perform_ok (GhMachine       *machine,
            GhMachineAction  action,
            GhMachineState   expected)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("%s: %s", gh_machine_get_name (machine), action_name (action));
  g_assert_true (gh_machine_can_perform (machine, action));
  g_assert_true (perform (machine, action, &error));
  g_assert_no_error (error);
  gh_test_wait_for_state (machine, expected);
}

/* Whatever the machine cannot do fails with words a user can read, and changes nothing. */
static void
perform_refused (GhMachine       *machine,
                 GhMachineAction  action)
{
  g_autoptr(GError) error = NULL;
  GhMachineState before = gh_machine_get_state (machine);

  g_test_message ("%s (%s): %s must fail", gh_machine_get_name (machine),
                  gh_test_state_to_virsh (before), action_name (action));
  g_assert_false (gh_machine_can_perform (machine, action));
  g_assert_false (gh_machine_state_can_perform (before, action));
  g_assert_false (perform (machine, action, &error));
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

  perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  assert_can_perform_agrees (machine);
  perform_refused (machine, GH_MACHINE_ACTION_START);
  perform_refused (machine, GH_MACHINE_ACTION_RESUME);

  perform_ok (machine, GH_MACHINE_ACTION_PAUSE, GH_MACHINE_STATE_PAUSED);
  assert_can_perform_agrees (machine);
  perform_refused (machine, GH_MACHINE_ACTION_START);
  perform_refused (machine, GH_MACHINE_ACTION_PAUSE);

  perform_ok (machine, GH_MACHINE_ACTION_RESUME, GH_MACHINE_STATE_RUNNING);
  perform_ok (machine, GH_MACHINE_ACTION_REBOOT, GH_MACHINE_STATE_RUNNING);
  perform_ok (machine, GH_MACHINE_ACTION_SHUT_DOWN, GH_MACHINE_STATE_SHUT_OFF);
  perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  perform_ok (machine, GH_MACHINE_ACTION_FORCE_OFF, GH_MACHINE_STATE_SHUT_OFF);
  assert_can_perform_agrees (machine);

  /* A paused machine can be forced off (Web-1 starts paused). */
  machine = gh_test_list_find (list, "Web-1");
  g_assert_nonnull (machine);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_PAUSED);
  perform_ok (machine, GH_MACHINE_ACTION_FORCE_OFF, GH_MACHINE_STATE_SHUT_OFF);

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
  g_assert_false (perform (machine, GH_MACHINE_ACTION_PAUSE, &error));
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

  g_assert_false (perform (machine, GH_MACHINE_ACTION_START, &error));
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

/* The delete tests below each open their own tests/data/delete-*.xml; every file says at
 * its top which domain uses what. All volumes live in this pool. */
#define POOL "/greenhouse-test-pool/"

/* Lets a test make virDomainGetXMLDesc() fail for one domain, as a daemon would when it
 * refuses or loses the call. The core is a static library linked into this program, so
 * its calls reach this definition; the real function still does the work and produces
 * the error. The test sets it while no worker runs; the worker reads it, and clears a
 * VANISH once it has struck. */
typedef enum
{
  XML_FAULT_NONE,
  XML_FAULT_FAIL,    /* libvirt itself refuses the call (VIR_ERR_INVALID_ARG) */
  XML_FAULT_VANISH,  /* the domain is undefined just before the call: VIR_ERR_NO_DOMAIN */
} XmlFaultKind;

static struct
{
  XmlFaultKind  kind;
  const char   *domain_name;
  guint         hits;
} xml_fault;

/* A flag no driver knows: the test driver answers "unsupported flags". */
#define XML_FAULT_FLAG (1u << 30)

char *
virDomainGetXMLDesc (virDomainPtr domain,
                     unsigned int flags)
{
  char *(*real) (virDomainPtr, unsigned int) = dlsym (RTLD_NEXT, "virDomainGetXMLDesc");
  const char *name;

  name = domain != NULL ? virDomainGetName (domain) : NULL;
  if (xml_fault.kind != XML_FAULT_NONE && g_strcmp0 (name, xml_fault.domain_name) == 0)
    {
      g_atomic_int_inc (&xml_fault.hits);
      if (xml_fault.kind == XML_FAULT_FAIL)
        return real (domain, flags | XML_FAULT_FLAG);
      /* Once: the next reads find it gone without help. */
      xml_fault.kind = XML_FAULT_NONE;
      if (virDomainUndefine (domain) < 0)
        g_error ("could not undefine “%s” behind the core’s back", name);
    }

  return real (domain, flags);
}

static gboolean
volume_exists (GhConnection *connection,
               const char   *path)
{
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = _gh_connection_dup_virconnect (connection, &error);
  virStorageVolPtr vol;
  gboolean exists;

  g_assert_no_error (error);
  g_assert_nonnull (conn);
  vol = virStorageVolLookupByPath (conn, path);
  exists = vol != NULL;
  if (vol != NULL)
    virStorageVolFree (vol);
  virConnectClose (conn);

  return exists;
}

static void
assert_volume (GhConnection *connection,
               const char   *name,
               gboolean      expected,
               const char   *why,
               const char   *file,
               int           line,
               const char   *func)
{
  g_autofree char *path = g_strconcat (POOL, name, NULL);

  if (volume_exists (connection, path) != expected)
    {
      g_autofree char *msg = g_strdup_printf ("%s was %s but should have been %s: %s", path,
                                              expected ? "deleted" : "kept",
                                              expected ? "kept" : "deleted", why);

      g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
    }
}

#define assert_kept(connection, name, why) \
  assert_volume ((connection), (name), TRUE, (why), __FILE__, __LINE__, G_STRFUNC)
#define assert_deleted(connection, name, why) \
  assert_volume ((connection), (name), FALSE, (why), __FILE__, __LINE__, G_STRFUNC)

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The volumes left in the pool, sorted, space-separated: the whole truth in one string,
 * so that a core deleting one volume too many cannot pass. */
static char *
dup_pool_volumes (GhConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  virConnectPtr conn = _gh_connection_dup_virconnect (connection, &error);
  virStoragePoolPtr pool;
  virStorageVolPtr *vols = NULL;
  int n;

  g_assert_no_error (error);
  pool = virStoragePoolLookupByName (conn, "greenhouse-test-pool");
  g_assert_nonnull (pool);
  n = virStoragePoolListAllVolumes (pool, &vols, 0);
  g_assert_cmpint (n, >=, 0);
  for (int i = 0; i < n; i++)
    {
      g_ptr_array_add (names, g_strdup (virStorageVolGetName (vols[i])));
      virStorageVolFree (vols[i]);
    }
  free (vols);
  virStoragePoolFree (pool);
  virConnectClose (conn);

  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Gone from Greenhouse's list (through the undefine event: the list is never reloaded)
 * and, asked directly, from libvirt too. virsh cannot be asked: a test:///FILE driver
 * lives inside the process that opened it. */
static void
assert_domain_gone (GhConnection *connection,
                    const char   *name)
{
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = _gh_connection_dup_virconnect (connection, &error);
  virDomainPtr *all = NULL;
  virDomainPtr domain;
  int n;

  g_assert_null (gh_test_list_find (gh_connection_get_machines (connection), name));
  g_assert_cmpuint (_gh_connection_get_n_full_lists (connection), ==, 1);

  g_assert_no_error (error);
  domain = virDomainLookupByName (conn, name);
  g_assert_null (domain);
  g_assert_cmpint (virGetLastErrorCode (), ==, VIR_ERR_NO_DOMAIN);
  virResetLastError ();

  n = virConnectListAllDomains (conn, &all, 0);
  g_assert_cmpint (n, >=, 0);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpstr (virDomainGetName (all[i]), !=, name);
      virDomainFree (all[i]);
    }
  free (all);
  virConnectClose (conn);
}

static gboolean
delete_machine (GhMachineList  *list,
                const char     *name,
                gboolean        delete_storage,
                GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhMachine) machine = NULL;
  g_autofree char *what = g_strdup_printf ("“%s” to be deleted", name);
  g_autofree char *gone = g_strdup_printf ("deleted “%s” to leave the list", name);
  gboolean ok;

  g_assert_nonnull (gh_test_list_find (list, name));
  machine = g_object_ref (gh_test_list_find (list, name));
  gh_machine_delete_async (machine, delete_storage, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, what);
  ok = gh_machine_delete_finish (machine, result, error);
  if (ok)
    gh_test_wait_until (gh_test_list_find (list, name) == NULL, gone);

  return ok;
}

/* Deletes "owner" with its storage, which must succeed and take it out of everywhere. */
static void
delete_owner (GhConnection *connection)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = delete_machine (gh_connection_get_machines (connection), "owner", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_domain_gone (connection, "owner");
}

static void
assert_pool_holds (GhConnection *connection,
                   const char   *expected)
{
  g_autofree char *volumes = dup_pool_volumes (connection);

  g_assert_cmpstr (volumes, ==, expected);
}

static GhConnection *
open_data (const char *file_name)
{
  g_autofree char *uri = gh_test_data_uri (file_name);

  return gh_test_open_connection (uri);
}

/* Storage in tests/data/storage.xml: see the comment at its top. */
static void
test_machine_delete (void)
{
  g_autofree char *uri = gh_test_data_uri ("storage.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_true (volume_exists (connection, "/greenhouse-test-pool/plain.qcow2"));

  /* Without storage: the machine goes, its disk stays. */
  g_assert_true (delete_machine (list, "plain", FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (volume_exists (connection, "/greenhouse-test-pool/plain.qcow2"));

  /* With storage: its own volumes go; the shared disk and the installer ISO stay. */
  g_assert_true (delete_machine (list, "owner", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (volume_exists (connection, "/greenhouse-test-pool/own.qcow2"));
  g_assert_true (volume_exists (connection, "/greenhouse-test-pool/shared.qcow2"));
  g_assert_true (volume_exists (connection, "/greenhouse-test-pool/installer.iso"));
  g_assert_nonnull (gh_test_list_find (list, "neighbour"));
  g_assert_nonnull (gh_test_list_find (list, "saved"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  gh_test_close_connection (connection);
}

/* A disk given as <source pool='…' volume='…'/> is as much the machine's own as one
 * given by path. */
static void
test_machine_delete_pool_volume (void)
{
  g_autofree char *uri = gh_test_data_uri ("storage.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GError) error = NULL;

  g_assert_true (volume_exists (connection, "/greenhouse-test-pool/own-by-name.qcow2"));
  g_assert_true (delete_machine (list, "owner", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (volume_exists (connection, "/greenhouse-test-pool/own-by-name.qcow2"));

  gh_test_close_connection (connection);
}

/* A managed save image must not block deletion: it goes with the machine. */
static void
test_machine_delete_managed_save (void)
{
  g_autofree char *uri = gh_test_data_uri ("storage.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GError) error = NULL;

  g_assert_true (delete_machine (list, "saved", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (volume_exists (connection, "/greenhouse-test-pool/saved.qcow2"));
  g_assert_nonnull (gh_test_list_find (list, "owner"));

  gh_test_close_connection (connection);
}

/* A volume another machine still uses survives even when its last user but one is
 * deleted with storage; deleting that last user then removes it. */
static void
test_machine_delete_shared (void)
{
  g_autofree char *uri = gh_test_data_uri ("storage.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GError) error = NULL;

  g_assert_true (delete_machine (list, "neighbour", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (volume_exists (connection, "/greenhouse-test-pool/shared.qcow2"));
  g_assert_true (volume_exists (connection, "/greenhouse-test-pool/own.qcow2"));

  g_assert_true (delete_machine (list, "owner", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (volume_exists (connection, "/greenhouse-test-pool/shared.qcow2"));
  g_assert_true (volume_exists (connection, "/greenhouse-test-pool/installer.iso"));

  gh_test_close_connection (connection);
}

/* The same volume named by path in the machine being deleted and by pool and volume in
 * another: it is the other machine's disk too. */
static void
test_machine_delete_shared_by_pool (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-shared-by-pool.xml");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "shared.qcow2", "“neighbour” names it as pool and volume");
  assert_pool_holds (connection, "shared.qcow2");
  g_assert_nonnull (gh_test_list_find (gh_connection_get_machines (connection), "neighbour"));

  gh_test_close_connection (connection);
}

/* The other way round: by pool and volume here, by path in the other machine. */
static void
test_machine_delete_shared_by_path (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-shared-by-path.xml");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "shared.qcow2", "“neighbour” names it by path");
  assert_pool_holds (connection, "shared.qcow2");

  gh_test_close_connection (connection);
}

/* "/pool//x" and "/pool/./x" are the file "/pool/x": libvirt keeps a path as it was
 * written, so a plain comparison would delete another machine's disk. */
static void
test_machine_delete_shared_spelling (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-shared-spelling.xml");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "double.qcow2", "“neighbour” names it as " POOL "/double.qcow2");
  assert_kept (connection, "dot.qcow2", "“neighbour” names it as " POOL "./dot.qcow2");
  assert_kept (connection, "odd.qcow2", "“neighbour” names it by its plain path");
  assert_pool_holds (connection, "dot.qcow2 double.qcow2 odd.qcow2");

  gh_test_close_connection (connection);
}

/* A linked clone's base image: deleting it would break the machine built on it, though
 * that machine's definition may name only its overlay. */
static void
test_machine_delete_backing (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-backing.xml");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "base.qcow2",
               "it is the <backingStore> of the volume overlay.qcow2 that “overlaid” uses");
  assert_kept (connection, "live-base.qcow2",
               "the running “live” names it as the <backingStore> of its disk");
  assert_pool_holds (connection, "base.qcow2 live-base.qcow2 live-overlay.qcow2 overlay.qcow2");

  gh_test_close_connection (connection);
}

/* The same two levels down: the base of a base is as much in use. */
static void
test_machine_delete_backing_chain (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-backing-chain.xml");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "root.qcow2",
               "overlay.qcow2 (used by “overlaid”) is built on mid.qcow2, built on it");
  assert_kept (connection, "live-root.qcow2",
               "the nested <backingStore> of the running “live” disk names it");
  assert_pool_holds (connection, "live-mid.qcow2 live-overlay.qcow2 live-root.qcow2 "
                                 "mid.qcow2 overlay.qcow2 root.qcow2");

  gh_test_close_connection (connection);
}

/* Installer media are shared by nature, whatever the XML says about writing. */
static void
test_machine_delete_cdrom (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-cdrom.xml");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "installer.iso", "a CD-ROM image is never deleted");
  assert_kept (connection, "boot.img", "a floppy image is no disk of the machine's own");
  assert_pool_holds (connection, "boot.img installer.iso");

  gh_test_close_connection (connection);
}

/* libvirt 9.0 adds <readonly/> to every CD-ROM it parses, so the test above cannot hand
 * the core a writable one; another driver or version may. The core's reading of a
 * definition decides, so it gets one directly. */
static void
test_machine_delete_cdrom_writable (void)
{
  const char *xml = "<domain type='kvm'><name>writable-cdrom</name><devices>"
                    "<disk type='file' device='cdrom'>"
                    "<source file='" POOL "installer.iso'/>"
                    "<target dev='sda' bus='sata'/></disk>"
                    "<disk type='file' device='disk'>"
                    "<source file='" POOL "own.qcow2'/>"
                    "<target dev='vda' bus='virtio'/></disk>"
                    "</devices></domain>";
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  GhDomainDisk *cdrom;
  GhDomainDisk *disk;

  disks = _gh_domain_disks_from_xml (xml, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (disks->len, ==, 2);
  cdrom = g_ptr_array_index (disks, 0);
  disk = g_ptr_array_index (disks, 1);

  g_assert_cmpstr (cdrom->path, ==, POOL "installer.iso");
  g_assert_false (cdrom->readonly);
  g_assert_false (_gh_domain_disk_is_deletable (cdrom));
  g_assert_true (_gh_domain_disk_is_deletable (disk));
}

/* An ISO attached as a plain read-only disk (a driver disk, say) is media too. */
static void
test_machine_delete_readonly (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-readonly.xml");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "drivers.iso", "a read-only disk is never deleted");
  assert_pool_holds (connection, "drivers.iso");

  gh_test_close_connection (connection);
}

/* A shareable disk serves machines this connection may not show (a cluster). */
static void
test_machine_delete_shareable (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-shareable.xml");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "cluster.img", "a shareable disk is never deleted");
  assert_pool_holds (connection, "cluster.img");

  gh_test_close_connection (connection);
}

#define OUTSIDE_OWNER_UUID "6d1e4c2a-5b3f-4e8a-9c7d-000900000001"

/* A disk on a file that is no storage volume (one the user copied in by hand) is not
 * Greenhouse's to remove, and its presence does not make the deletion fail. */
static void
test_machine_delete_outside_pool (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-outside-pool.xml");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *image = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *devices = NULL;
  virConnectPtr conn;
  virDomainPtr domain;

  /* A real file, so that a core removing files by hand would be caught. */
  dir = g_dir_make_tmp ("gh-delete-XXXXXX", &error);
  g_assert_no_error (error);
  image = g_build_filename (dir, "by-hand.qcow2", NULL);
  g_assert_true (g_file_set_contents (image, "not really qcow2", -1, &error));
  g_assert_no_error (error);

  escaped = g_markup_escape_text (image, -1);
  devices = g_strdup_printf ("<uuid>" OUTSIDE_OWNER_UUID "</uuid><devices>"
                             "<disk type='file' device='disk'>"
                             "<source file='" POOL "own.qcow2'/>"
                             "<target dev='vda' bus='virtio'/></disk>"
                             "<disk type='file' device='disk'>"
                             "<source file='" POOL "stray.qcow2'/>"
                             "<target dev='vdb' bus='virtio'/></disk>"
                             "<disk type='file' device='disk'>"
                             "<source file='%s'/>"
                             "<target dev='vdc' bus='virtio'/></disk>"
                             "</devices>", escaped);
  conn = _gh_connection_dup_virconnect (connection, &error);
  g_assert_no_error (error);
  domain = gh_test_virt_define (conn, "owner", devices);
  virDomainFree (domain);
  virConnectClose (conn);

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_pool_holds (connection, "");
  g_assert_true (g_file_test (image, G_FILE_TEST_EXISTS));

  g_assert_cmpint (g_remove (image), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  gh_test_close_connection (connection);
}

/* The machine's own disks go, however they are named, and nothing else does. A running
 * machine is forced off first. */
static void
test_machine_delete_own (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-own.xml");
  GhMachineList *list = gh_connection_get_machines (connection);

  g_assert_cmpint (gh_machine_get_state (gh_test_list_find (list, "owner")), ==,
                   GH_MACHINE_STATE_RUNNING);
  assert_pool_holds (connection, "own-by-name.qcow2 own.qcow2 spare.qcow2 theirs.qcow2");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "the deleted machine named it by path");
  assert_deleted (connection, "own-by-name.qcow2",
                  "the deleted machine named it as pool and volume");
  assert_kept (connection, "theirs.qcow2", "it is “neighbour”’s disk");
  assert_kept (connection, "spare.qcow2", "no machine uses it");
  assert_pool_holds (connection, "spare.qcow2 theirs.qcow2");
  g_assert_nonnull (gh_test_list_find (list, "neighbour"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  gh_test_close_connection (connection);
}

/* "Delete" without "and its storage" leaves every volume where it was. */
static void
test_machine_delete_keep_storage (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-keep-storage.xml");
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GError) error = NULL;

  g_assert_true (delete_machine (list, "owner", FALSE, &error));
  g_assert_no_error (error);
  assert_domain_gone (connection, "owner");
  assert_kept (connection, "own.qcow2", "the storage was not to be deleted");
  assert_kept (connection, "own-by-name.qcow2", "the storage was not to be deleted");
  assert_pool_holds (connection, "own-by-name.qcow2 own.qcow2");

  gh_test_close_connection (connection);
}

#define LIVE_NEIGHBOUR_UUID "6d1e4c2a-5b3f-4e8a-9c7d-000c00000002"

/* A running machine's live definition and its next-boot one can name different disks,
 * and a transient machine has no persistent one: each counts. */
static void
test_machine_delete_live_config (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-live-config.xml");
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;
  virDomainPtr domain;
  char *xml;

  conn = _gh_connection_dup_virconnect (connection, &error);
  g_assert_no_error (error);

  /* "neighbour" runs on live-only.qcow2; from its next boot on, config-only.qcow2. */
  domain = gh_test_virt_define (conn, "neighbour",
                                "<uuid>" LIVE_NEIGHBOUR_UUID "</uuid><devices>"
                                "<disk type='file' device='disk'>"
                                "<source file='" POOL "config-only.qcow2'/>"
                                "<target dev='vda' bus='virtio'/></disk></devices>");
  xml = virDomainGetXMLDesc (domain, 0);
  g_assert_nonnull (strstr (xml, "live-only.qcow2"));
  g_assert_null (strstr (xml, "config-only.qcow2"));
  free (xml);
  virDomainFree (domain);

  domain = virDomainCreateXML (conn,
                               "<domain type='test'><name>transient</name>"
                               "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                               "<os><type arch='x86_64'>hvm</type></os><devices>"
                               "<disk type='file' device='disk'>"
                               "<source file='" POOL "transient.qcow2'/>"
                               "<target dev='vda' bus='virtio'/></disk></devices></domain>",
                               0);
  g_assert_nonnull (domain);
  virDomainFree (domain);
  virConnectClose (conn);
  gh_test_wait_until (gh_test_list_find (list, "transient") != NULL,
                      "a transient machine to appear");

  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_kept (connection, "live-only.qcow2", "the running “neighbour” uses it now");
  assert_kept (connection, "config-only.qcow2", "“neighbour” will use it from its next boot");
  assert_kept (connection, "transient.qcow2", "the transient machine uses it");
  assert_pool_holds (connection, "config-only.qcow2 live-only.qcow2 transient.qcow2");

  gh_test_close_connection (connection);
}

/* When the core cannot read another machine's definition, it cannot know whether that
 * machine uses the disks: it deletes nothing, not even the machine, and says why. */
static void
test_machine_delete_unreadable (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-unreadable.xml");
  GhMachineList *list = gh_connection_get_machines (connection);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  xml_fault.kind = XML_FAULT_FAIL;
  xml_fault.domain_name = "neighbour";
  xml_fault.hits = 0;
  ok = delete_machine (list, "owner", TRUE, &error);
  xml_fault.kind = XML_FAULT_NONE;

  if (g_atomic_int_get (&xml_fault.hits) == 0)
    g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,
                         "the core deleted with storage without reading “neighbour”’s XML");
  g_assert_false (ok);
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_true (error->domain == GH_ERROR);
  g_assert_nonnull (strstr (error->message, "check which machines use"));

  gh_test_settle (100);
  g_assert_nonnull (gh_test_list_find (list, "owner"));
  assert_kept (connection, "own.qcow2", "nothing may be deleted when usage is unknown");
  assert_kept (connection, "shared.qcow2", "nothing may be deleted when usage is unknown");

  /* Once the definition can be read, the same deletion goes through. */
  g_clear_error (&error);
  delete_owner (connection);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  assert_pool_holds (connection, "shared.qcow2");

  gh_test_close_connection (connection);
}

/* Another machine undefined while the core looks at it simply uses nothing any more:
 * that is no reason to fail. */
static void
test_machine_delete_vanished (void)
{
  g_autoptr(GhConnection) connection = open_data ("delete-vanished.xml");
  GhMachineList *list = gh_connection_get_machines (connection);

  xml_fault.kind = XML_FAULT_VANISH;
  xml_fault.domain_name = "ghost";
  xml_fault.hits = 0;
  delete_owner (connection);
  xml_fault.kind = XML_FAULT_NONE;

  g_assert_cmpuint (g_atomic_int_get (&xml_fault.hits), >, 0);
  assert_deleted (connection, "own.qcow2", "only the deleted machine used it");
  gh_test_wait_until (gh_test_list_find (list, "ghost") == NULL,
                      "the undefined “ghost” to leave the list");

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
    { VIR_DOMAIN_PAUSED_SNAPSHOT, FALSE, GH_MACHINE_PAUSE_REASON_SNAPSHOT, "Paused for a snapshot" },
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
  perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  perform_ok (machine, GH_MACHINE_ACTION_SHUT_DOWN, GH_MACHINE_STATE_SHUT_OFF);
  gh_test_settle (300);
  g_assert_true (gh_machine_get_installing (machine));
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);

  /* The guest stops itself (the test driver's shutdown is a guest shutdown to libvirt)
   * without a reset before: a poweroff, not the installer's end. */
  perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Installing");
  g_assert_cmpint (virDomainShutdown (domain), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_SHUT_OFF);
  gh_test_settle (300);
  g_assert_true (gh_machine_get_installing (machine));
  g_assert_cmpstr (gh_machine_get_state_text (machine), ==, "Installation not finished");

  /* The installer reboots: QEMU says the guest reset itself (the test driver has no QEMU
   * events; tests/e2e/test-install-phase.c sees the real one), and on_reboot=destroy stops
   * it. Greenhouse boots the installed system by itself. */
  perform_ok (machine, GH_MACHINE_ACTION_START, GH_MACHINE_STATE_RUNNING);
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
  g_assert_true (_gh_connection_shutdown_is_reset ("{\"guest\":true,\"reason\":\"guest-reset\"}"));
  g_assert_false (_gh_connection_shutdown_is_reset ("{\"guest\":true,\"reason\":\"guest-shutdown\"}"));
  g_assert_false (_gh_connection_shutdown_is_reset ("{\"guest\":false,\"reason\":\"host-signal\"}"));
  g_assert_false (_gh_connection_shutdown_is_reset ("{\"guest\":false,\"reason\":\"guest-reset\"}"));
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

  g_test_add_func ("/core/machine/notify", test_machine_notify_unit);
  g_test_add_func ("/core/machine/notify-events", test_machine_notify_events);
  g_test_add_func ("/core/machine/pause-reasons", test_machine_pause_reasons);
  g_test_add_func ("/core/machine/pause-reason-events", test_machine_pause_reason_events);
  g_test_add_func ("/core/machine/spice-graphics-index", test_machine_spice_graphics_index);
  g_test_add_func ("/core/machine/actions", test_machine_actions);
  g_test_add_func ("/core/machine/actions-stale", test_machine_actions_stale);
  g_test_add_func ("/core/machine/actions-closed", test_machine_actions_closed);
  g_test_add_func ("/core/machine/busy", test_machine_busy);
  g_test_add_func ("/core/machine/delete", test_machine_delete);
  g_test_add_func ("/core/machine/delete-pool-volume", test_machine_delete_pool_volume);
  g_test_add_func ("/core/machine/delete-managed-save", test_machine_delete_managed_save);
  g_test_add_func ("/core/machine/delete-shared", test_machine_delete_shared);
  g_test_add_func ("/core/machine/delete-shared-by-pool", test_machine_delete_shared_by_pool);
  g_test_add_func ("/core/machine/delete-shared-by-path", test_machine_delete_shared_by_path);
  g_test_add_func ("/core/machine/delete-shared-spelling", test_machine_delete_shared_spelling);
  g_test_add_func ("/core/machine/delete-backing", test_machine_delete_backing);
  g_test_add_func ("/core/machine/delete-backing-chain", test_machine_delete_backing_chain);
  g_test_add_func ("/core/machine/delete-cdrom", test_machine_delete_cdrom);
  g_test_add_func ("/core/machine/delete-cdrom-writable", test_machine_delete_cdrom_writable);
  g_test_add_func ("/core/machine/delete-readonly", test_machine_delete_readonly);
  g_test_add_func ("/core/machine/delete-shareable", test_machine_delete_shareable);
  g_test_add_func ("/core/machine/delete-outside-pool", test_machine_delete_outside_pool);
  g_test_add_func ("/core/machine/delete-own", test_machine_delete_own);
  g_test_add_func ("/core/machine/delete-keep-storage", test_machine_delete_keep_storage);
  g_test_add_func ("/core/machine/delete-live-config", test_machine_delete_live_config);
  g_test_add_func ("/core/machine/delete-unreadable", test_machine_delete_unreadable);
  g_test_add_func ("/core/machine/delete-vanished", test_machine_delete_vanished);
  g_test_add_func ("/core/machine/state-labels", test_machine_state_labels);
  g_test_add_func ("/core/machine/express-install-by-user", test_machine_express_install_by_user);
  g_test_add_func ("/core/machine/shutdown-reason", test_machine_shutdown_reason);
  g_test_add_func ("/core/machine/metadata-events", test_machine_metadata_events);
  g_test_add_func ("/core/machine/express-install", test_machine_express_install);

  return g_test_run ();
}
