/* test-connection.c: GhConnection against the libvirt test driver
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-test-util.h"

#define UNICODE_NAME "Ωmega-машина-日本"

/* test:///default is one driver shared by every connection of this process, so the
 * test's own plain libvirt connection sees (and changes) what GhConnection lists. */
#define DEFAULT_URI "test:///default"

static void
test_connection_default (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  GhMachine *machine;

  g_assert_false (gh_connection_is_remote (connection));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == GH_TYPE_MACHINE);

  machine = gh_test_list_find (list, "test");
  g_assert_nonnull (machine);
  g_assert_true (gh_machine_list_lookup_by_name (list, "test") == machine);
  g_assert_true (gh_machine_list_lookup_by_uuid (list, gh_machine_get_uuid (machine))
                 == machine);
  g_assert_null (gh_machine_list_lookup_by_name (list, "no-such-machine"));

  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, "test");
  g_assert_true (gh_connection_get_for_machine (machine) == connection);
  g_assert_true (gh_machine_get_persistent (machine));
  /* The default test domain: <memory>8388608</memory> (KiB), <vcpu>2</vcpu>. */
  g_assert_cmpuint (gh_machine_get_memory (machine), ==, G_GUINT64_CONSTANT (8388608) * 1024);
  g_assert_cmpuint (gh_machine_get_vcpus (machine), ==, 2);
  g_assert_cmpuint (_gh_connection_get_n_full_lists (connection), ==, 1);

  gh_test_close_connection (connection);
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

/* Checks the order of the rows whose display names are ASCII: where "Ö" or "Ω" sorts
 * depends on the locale's collation, where "vm2" and "VM10" sort does not. */
static void
assert_model_sorted (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GhMachine) prev = NULL;
  guint prev_index = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhMachine) next = g_list_model_get_item (model, i);
      const char *b = gh_machine_get_display_name (next);

      if (!is_ascii (b))
        continue;

      if (prev != NULL && gh_test_natural_compare (gh_machine_get_display_name (prev), b) > 0)
        {
          g_autofree char *msg = g_strdup_printf ("rows %u and %u are out of order: "
                                                  "“%s” before “%s”", prev_index, i,
                                                  gh_machine_get_display_name (prev), b);

          g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
        }
      g_set_object (&prev, next);
      prev_index = i;
    }
}

static void
assert_before (GhMachineList *list,
               const char    *first,
               const char    *second)
{
  GhMachine *a = gh_test_list_find (list, first);
  GhMachine *b = gh_test_list_find (list, second);
  guint ia;
  guint ib;

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  ia = gh_test_list_index_of (G_LIST_MODEL (list), a);
  ib = gh_test_list_index_of (G_LIST_MODEL (list), b);
  if (ia >= ib)
    {
      g_autofree char *msg = g_strdup_printf ("“%s” (row %u) should come before “%s” (row %u)",
                                              first, ia, second, ib);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }
}

/* Every domain virsh lists is in the model once, in the state virsh reports. */
static void
assert_matches_virsh (GhConnection *connection,
                      const char   *uri)
{
  GListModel *model = G_LIST_MODEL (gh_connection_get_machines (connection));
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (model);

  expected = gh_test_virsh_list_all (uri, &error);
  if (expected == NULL)
    {
      g_test_skip (error->message);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (model, i);
      const char *name = gh_machine_get_name (machine);
      const char *state;
      const char *listed = gh_test_state_to_virsh (gh_machine_get_state (machine));

      g_assert_true (g_utf8_validate (name, -1, NULL));
      if (!g_hash_table_lookup_extended (expected, name, NULL, (gpointer *) &state))
        {
          g_autofree char *msg = g_strdup_printf ("“%s” is listed but virsh does not know it",
                                                  name);

          g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
        }
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);

      if (g_strcmp0 (listed, state) != 0)
        {
          g_autofree char *msg = g_strdup_printf ("“%s” is %s in the list but %s in virsh",
                                                  name, listed, state);

          g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
        }
    }

  g_assert_cmpuint (n, ==, g_hash_table_size (expected));
}

static void
test_connection_many_domains (void)
{
  g_autofree char *uri = gh_test_data_uri ("many-domains.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachineList *list = gh_connection_get_machines (connection);
  GListModel *model = G_LIST_MODEL (list);
  guint per_state[GH_MACHINE_STATE_CRASHED + 1] = { 0, };
  GhMachine *machine;
  g_autofree char *long_name = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 5 * 60);
  g_assert_cmpuint (_gh_connection_get_n_full_lists (connection), ==, 1);

  assert_matches_virsh (connection, uri);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GhMachine) m = g_list_model_get_item (model, i);

      g_assert_cmpint (gh_machine_get_state (m), <=, GH_MACHINE_STATE_CRASHED);
      per_state[gh_machine_get_state (m)]++;
    }
  g_assert_cmpuint (per_state[GH_MACHINE_STATE_UNKNOWN], ==, 0);
  g_assert_cmpuint (per_state[GH_MACHINE_STATE_RUNNING], >=, 60);
  g_assert_cmpuint (per_state[GH_MACHINE_STATE_PAUSED], >=, 60);
  g_assert_cmpuint (per_state[GH_MACHINE_STATE_SHUT_OFF], >=, 60);
  g_assert_cmpuint (per_state[GH_MACHINE_STATE_CRASHED], >=, 60);
  g_assert_cmpuint (per_state[GH_MACHINE_STATE_SUSPENDED], >=, 60);

  /* Sorted by display name, naturally and ignoring case. */
  assert_model_sorted (model);
  /* (vm1, vm4, vm7… have titles, so they sort elsewhere.) */
  assert_before (list, "vm2", "vm11");
  assert_before (list, "vm9", "vm11");
  assert_before (list, "vm11", "vm12");
  assert_before (list, "vm9", "vm54");
  assert_before (list, "alpha2x", "ALPHA2y");
  assert_before (list, "ALPHA2y", "alpha10x");
  assert_before (list, "db9", "db10");

  /* Names nobody should cut, mangle or escape. */
  machine = gh_machine_list_lookup_by_name (list, UNICODE_NAME);
  g_assert_nonnull (machine);
  g_assert_cmpstr (gh_machine_get_name (machine), ==, UNICODE_NAME);
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, UNICODE_NAME);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpstr (gh_machine_get_description (machine), ==, "Ünïcödé — ok");
  g_assert_true (gh_machine_get_has_spice (machine));

  long_name = g_strndup ("long-name-abcdefghijklmnopqrstuvwxyz0123456789"
                         "abcdefghijklmnopqrstuvwxyz0123456789"
                         "abcdefghijklmnopqrstuvwxyz0123456789"
                         "abcdefghijklmnopqrstuvwxyz0123456789"
                         "abcdefghijklmnopqrstuvwxyz0123456789"
                         "abcdefghijklmnopqrstuvwxyz0123456789", 200);
  g_assert_cmpuint (strlen (long_name), ==, 200);
  machine = gh_test_list_find (list, long_name);
  g_assert_nonnull (machine);
  g_assert_cmpuint (strlen (gh_machine_get_name (machine)), ==, 200);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_PAUSED);
  g_assert_true (gh_machine_list_lookup_by_name (list, long_name) == machine);

  machine = gh_test_list_find (list, "with space and R&D");
  g_assert_nonnull (machine);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);

  /* A title is what the list shows and sorts by. */
  machine = gh_test_list_find (list, "suspended-with-title");
  g_assert_nonnull (machine);
  g_assert_cmpstr (gh_machine_get_title (machine), ==, "日本語のタイトル");
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, "日本語のタイトル");
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SUSPENDED);
  machine = gh_test_list_find (list, "vm7"); /* n = 36: "Title 36 of a machine" */
  g_assert_nonnull (machine);
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, "Title 36 of a machine");
  /* Titles sort naturally too: "Title 9 …" (Build-Agent-2), "Title 36 …" (vm7),
   * "Title 108 …" (vm19). */
  assert_before (list, "Build-Agent-2", "vm7");
  assert_before (list, "vm7", "vm19");

  /* Odd but valid XML: another app's metadata, comments, CDATA. */
  machine = gh_test_list_find (list, "odd-content");
  g_assert_nonnull (machine);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_CRASHED);
  g_assert_cmpstr (gh_machine_get_title (machine), ==, "Ödd — content");
  g_assert_cmpstr (gh_machine_get_description (machine), ==,
                   "Uses <tags> & \"quotes\" that are not XML");
  g_assert_cmpstr (gh_machine_get_os_id (machine), ==, "http://fedoraproject.org/fedora/37");
  g_assert_true (gh_machine_get_has_spice (machine));
  g_assert_cmpuint (gh_machine_get_vcpus (machine), ==, 2);
  g_assert_cmpuint (gh_machine_get_memory (machine), ==, G_GUINT64_CONSTANT (2) << 30);

  /* vm1 is n = 0: SPICE, a title, a description, no OS; Web-1 (n = 1) has an OS. */
  machine = gh_test_list_find (list, "vm1");
  g_assert_nonnull (machine);
  g_assert_true (gh_machine_get_has_spice (machine));
  g_assert_null (gh_machine_get_os_id (machine));
  g_assert_cmpuint (gh_machine_get_memory (machine), ==, G_GUINT64_CONSTANT (512) << 20);
  g_assert_cmpuint (gh_machine_get_vcpus (machine), ==, 1);
  machine = gh_test_list_find (list, "Web-1");
  g_assert_nonnull (machine);
  g_assert_false (gh_machine_get_has_spice (machine));
  g_assert_cmpstr (gh_machine_get_os_id (machine), ==, "http://debian.org/debian/12");
  g_assert_null (gh_machine_get_title (machine));
  g_assert_cmpstr (gh_machine_get_display_name (machine), ==, "Web-1");

  gh_test_close_connection (connection);
}

static void
assert_no_items_changed (GhTestItemsLog *log,
                         const char     *after)
{
  if (log->changes->len != 0)
    {
      g_autofree char *changes = gh_test_items_log_describe (log);
      g_autofree char *msg = g_strdup_printf ("%s emitted items-changed %s; "
                                              "a state change must only notify",
                                              after, changes);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }
}

static void
assert_one_items_changed (GhTestItemsLog *log,
                          guint           position,
                          guint           removed,
                          guint           added,
                          const char     *after)
{
  const GhTestItemsChange *c;

  if (log->changes->len != 1)
    {
      g_autofree char *changes = gh_test_items_log_describe (log);
      g_autofree char *msg = g_strdup_printf ("%s emitted items-changed %s, "
                                              "expected once (%u, -%u, +%u)",
                                              after, changes, position, removed, added);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
      return;
    }

  c = &g_array_index (log->changes, GhTestItemsChange, 0);
  g_assert_cmpuint (c->position, ==, position);
  g_assert_cmpuint (c->removed, ==, removed);
  g_assert_cmpuint (c->added, ==, added);
}

static void
test_connection_events (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GhTestItemsLog) log = gh_test_items_log_new (model);
  virConnectPtr plain = gh_test_virt_open (DEFAULT_URI);
  virDomainPtr defined;
  virDomainPtr second;
  virDomainPtr test_domain = virDomainLookupByName (plain, "test");
  g_autoptr(GhMachine) machine = NULL;
  GhMachine *test_machine;
  guint position;

  test_machine = gh_test_list_find (list, "test");
  g_assert_nonnull (test_machine);

  /* Define: one new row, in its sorted place ("gh-events" sorts before "test"). */
  defined = gh_test_virt_define (plain, "gh-events", NULL);
  gh_test_wait_until (gh_test_list_find (list, "gh-events") != NULL,
                      "a defined domain to appear in the list");
  machine = g_object_ref (gh_test_list_find (list, "gh-events"));
  gh_test_settle (100);
  position = gh_test_list_index_of (model, machine);
  g_assert_cmpuint (position, ==, 0);
  assert_one_items_changed (log, position, 0, 1, "virDomainDefineXML");
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);
  g_assert_true (gh_machine_get_persistent (machine));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  /* A second one sorts after "test". */
  gh_test_items_log_clear (log);
  second = gh_test_virt_define (plain, "zz-events", NULL);
  gh_test_wait_until (gh_test_list_find (list, "zz-events") != NULL,
                      "a second defined domain to appear in the list");
  gh_test_settle (100);
  assert_one_items_changed (log, 2, 0, 1, "defining zz-events");
  gh_test_items_log_assert_mirror (log);

  /* State changes move no rows. */
  gh_test_items_log_clear (log);
  g_assert_cmpint (virDomainCreate (defined), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpint (virDomainSuspend (defined), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_PAUSED);
  g_assert_cmpint (virDomainResume (defined), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpint (virDomainDestroy (defined), ==, 0);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpint (virDomainShutdown (test_domain), ==, 0);
  gh_test_wait_for_state (test_machine, GH_MACHINE_STATE_SHUT_OFF);
  g_assert_cmpint (virDomainCreate (test_domain), ==, 0);
  gh_test_wait_for_state (test_machine, GH_MACHINE_STATE_RUNNING);
  gh_test_settle (100);
  assert_no_items_changed (log, "start, suspend, resume, destroy, shutdown");
  /* Still the same objects: nothing was reloaded. */
  g_assert_true (gh_test_list_find (list, "gh-events") == machine);
  g_assert_true (gh_test_list_find (list, "test") == test_machine);

  /* Undefine: its row goes, the others stay. */
  position = gh_test_list_index_of (model, machine);
  g_assert_cmpint (virDomainUndefine (defined), ==, 0);
  gh_test_wait_until (gh_test_list_find (list, "gh-events") == NULL,
                      "an undefined domain to leave the list");
  gh_test_settle (100);
  assert_one_items_changed (log, position, 1, 0, "virDomainUndefine");

  gh_test_items_log_clear (log);
  g_assert_cmpint (virDomainUndefine (second), ==, 0);
  gh_test_wait_until (gh_test_list_find (list, "zz-events") == NULL,
                      "a second undefined domain to leave the list");
  gh_test_settle (100);
  assert_one_items_changed (log, 1, 1, 0, "undefining zz-events");

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  gh_test_items_log_assert_mirror (log);
  g_assert_cmpint (gh_machine_get_state (test_machine), ==, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpuint (_gh_connection_get_n_full_lists (connection), ==, 1);

  virDomainFree (defined);
  virDomainFree (second);
  virDomainFree (test_domain);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

/* A transient domain exists only while it runs: it comes with "started" and must go
 * with "stopped", as no "undefined" event follows. */
static void
test_connection_transient (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  virConnectPtr plain = gh_test_virt_open (DEFAULT_URI);
  virDomainPtr domain;
  GhMachine *machine;

  domain = virDomainCreateXML (plain,
                               "<domain type='test'><name>gh-transient</name>"
                               "<memory unit='MiB'>128</memory>"
                               "<os><type>hvm</type></os></domain>", 0);
  g_assert_nonnull (domain);

  gh_test_wait_until (gh_test_list_find (list, "gh-transient") != NULL,
                      "a transient domain to appear in the list");
  machine = gh_test_list_find (list, "gh-transient");
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_RUNNING);
  g_assert_false (gh_machine_get_persistent (machine));

  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  gh_test_wait_until (gh_test_list_find (list, "gh-transient") == NULL,
                      "a destroyed transient domain to leave the list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpuint (_gh_connection_get_n_full_lists (connection), ==, 1);

  virDomainFree (domain);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

static void
assert_open_fails (const char *uri,
                   const char *reason)
{
  g_autoptr(GhConnection) connection = gh_connection_new (uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) retry = NULL;
  g_autoptr(GError) error = NULL;
  const GError *stored;
  GListModel *machines;

  g_test_message ("opening %s", uri);
  gh_connection_open_async (connection, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "a bad connection to fail");
  g_assert_false (gh_connection_open_finish (connection, result, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_CONNECTION_FAILED);
  g_test_message ("error: %s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* The user must see what failed and why: the URI or libvirt's own reason. */
  if (strstr (error->message, reason) == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("opening %s failed with “%s”, which does not "
                                              "say “%s”", uri, error->message, reason);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }

  /* The window titles its banner with what failed and shows libvirt's reason below: the
   * detail is that reason alone, and the message is the two together. */
  {
    const char *detail = gh_error_get_detail (error);
    g_autofree char *what = g_strdup_printf ("Could not connect to “%s”", uri);
    g_autofree char *whole = g_strdup_printf ("%s: %s", what, detail);

    g_assert_nonnull (strstr (detail, reason));
    g_assert_null (strstr (detail, what));
    g_assert_cmpstr (error->message, ==, whole);
  }

  g_assert_cmpint (gh_connection_get_state (connection), ==, GH_CONNECTION_STATE_FAILED);
  stored = gh_connection_get_error (connection);
  g_assert_nonnull (stored);
  g_assert_true (g_error_matches (stored, GH_ERROR, GH_ERROR_CONNECTION_FAILED));
  g_assert_cmpstr (stored->message, ==, error->message);
  machines = G_LIST_MODEL (gh_connection_get_machines (connection));
  g_assert_cmpuint (g_list_model_get_n_items (machines), ==, 0);

  /* Retrying fails the same way, and does not hang or crash. */
  g_clear_error (&error);
  gh_connection_open_async (connection, NULL, gh_test_store_result, &retry);
  gh_test_wait_result (&retry, "a retried bad connection to fail");
  g_assert_false (gh_connection_open_finish (connection, retry, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_CONNECTION_FAILED);
  g_assert_cmpint (gh_connection_get_state (connection), ==, GH_CONNECTION_STATE_FAILED);
}

static void
test_connection_bad_uri (void)
{
  g_autofree char *malformed = gh_test_data_uri ("malformed.xml");
  g_autofree char *missing = gh_test_data_uri ("does-not-exist.xml");
  g_autoptr(GhConnection) good = NULL;

  /* libvirt: "transport in URL not recognised" */
  assert_open_fails ("bogus+nothing:///x", "transport");
  /* libvirt: "…/malformed.xml:13: Opening and ending tag mismatch: …" */
  assert_open_fails (malformed, "malformed.xml");
  /* libvirt: "XML error: failed to parse xml document '…/does-not-exist.xml'" */
  assert_open_fails (missing, "does-not-exist.xml");

  /* The process lives on and a good connection still opens. */
  good = gh_test_open_connection (DEFAULT_URI);
  g_assert_nonnull (gh_test_list_find (gh_connection_get_machines (good), "test"));
  gh_test_close_connection (good);
}

static void
test_connection_corpus (void)
{
  const char *corpus = g_getenv ("GREENHOUSE_CORPUS_DIR");
  g_autofree char *path = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GhConnection) connection = NULL;
  GhMachineList *list;

  if (corpus != NULL)
    path = g_build_filename (corpus, "virt-manager", "testdriver", "testdriver.xml", NULL);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the outside corpus (../shared/corpus/virt-manager/testdriver/"
                   "testdriver.xml) is absent");
      return;
    }

  canonical = g_canonicalize_filename (path, NULL);
  uri = g_strconcat ("test://", canonical, NULL);
  connection = gh_test_open_connection (uri);
  list = gh_connection_get_machines (connection);

  /* It has domains in every state, a transient one, and lots of devices. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >=, 10);
  assert_matches_virsh (connection, uri);
  assert_model_sorted (G_LIST_MODEL (list));
  g_assert_cmpint (gh_machine_get_state (gh_test_list_find (list, "test-state-paused")), ==,
                   GH_MACHINE_STATE_PAUSED);
  g_assert_cmpint (gh_machine_get_state (gh_test_list_find (list, "test-state-crashed")), ==,
                   GH_MACHINE_STATE_CRASHED);
  g_assert_cmpint (gh_machine_get_state (gh_test_list_find (list, "test-state-pmsuspended")),
                   ==, GH_MACHINE_STATE_SUSPENDED);
  g_assert_false (gh_machine_get_persistent (gh_test_list_find (list, "test-state-transient")));
  g_assert_cmpstr (gh_machine_get_os_id (gh_test_list_find (list, "test-many-devices")), ==,
                   "http://fedoraproject.org/fedora/unknown");

  gh_test_close_connection (connection);
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/connection/default", test_connection_default);
  g_test_add_func ("/core/connection/many-domains", test_connection_many_domains);
  g_test_add_func ("/core/connection/events", test_connection_events);
  g_test_add_func ("/core/connection/transient", test_connection_transient);
  g_test_add_func ("/core/connection/bad-uri", test_connection_bad_uri);
  g_test_add_func ("/core/connection/corpus", test_connection_corpus);

  return g_test_run ();
}
