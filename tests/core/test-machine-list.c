/* test-machine-list.c: GhMachineList's order and its items-changed signals
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-test-util.h"

#define DEFAULT_URI "test:///default"

static GhMachine *
new_machine (GhConnection *connection,
             const char   *name,
             const char   *title)
{
  g_autofree char *uuid = g_uuid_string_random ();
  GhMachineInfo info = {
    .uuid = uuid,
    .name = (char *) name,
    .title = (char *) title,
    .state = GH_MACHINE_STATE_SHUT_OFF,
    .vcpus = 1,
    .memory = G_GUINT64_CONSTANT (1) << 30,
    .persistent = TRUE,
  };

  return _gh_connection_new_machine (connection, &info);
}

static void
assert_order (GListModel         *model,
              const char * const *expected)
{
  GString *got = g_string_new (NULL);
  GString *want = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (model, i);

      g_string_append_printf (got, "%s“%s”", i ? ", " : "",
                              gh_machine_get_display_name (machine));
    }
  for (guint i = 0; expected[i] != NULL; i++)
    g_string_append_printf (want, "%s“%s”", i ? ", " : "", expected[i]);

  g_assert_cmpstr (got->str, ==, want->str);
  g_string_free (got, TRUE);
  g_string_free (want, TRUE);
}

static void
test_machine_list_sort (void)
{
  g_autoptr(GhConnection) connection = gh_connection_new (DEFAULT_URI);
  g_autoptr(GhMachineList) list = _gh_machine_list_new ();
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GhTestItemsLog) log = gh_test_items_log_new (model);
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func (g_object_unref);
  /* Added in this order; a title sorts the machine by the title. */
  const char *names[][2] = {
    { "vm10", NULL },
    { "vm2", NULL },
    { "VM1", NULL },
    { "Gamma20", NULL },
    { "zzz", "Aardvark" },
    { "beta", NULL },
    { "gamma3", NULL },
    { "Alpha", NULL },
  };
  const char * const expected[] = {
    "Aardvark", "Alpha", "beta", "gamma3", "Gamma20", "VM1", "vm2", "vm10", NULL,
  };
  const char * const after_remove[] = {
    "Aardvark", "Alpha", "beta", "gamma3", "Gamma20", "VM1", "vm10", NULL,
  };
  GhMachine *vm2;

  g_assert_true (g_list_model_get_item_type (model) == GH_TYPE_MACHINE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (g_list_model_get_item (model, 0));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GhMachine) machine = new_machine (connection, names[i][0], names[i][1]);
      const GhTestItemsChange *c;

      gh_test_items_log_clear (log);
      _gh_machine_list_add (list, machine);
      g_assert_cmpuint (log->changes->len, ==, 1);
      c = &g_array_index (log->changes, GhTestItemsChange, 0);
      g_assert_cmpuint (c->removed, ==, 0);
      g_assert_cmpuint (c->added, ==, 1);
      g_assert_cmpuint (c->position, ==, gh_test_list_index_of (model, machine));
      g_ptr_array_add (machines, g_object_ref (machine));
    }

  assert_order (model, expected);
  gh_test_items_log_assert_mirror (log);
  g_assert_null (g_list_model_get_item (model, G_N_ELEMENTS (names)));

  /* Lookups. */
  vm2 = gh_machine_list_lookup_by_name (list, "vm2");
  g_assert_nonnull (vm2);
  g_assert_cmpstr (gh_machine_get_name (vm2), ==, "vm2");
  g_assert_true (gh_machine_list_lookup_by_uuid (list, gh_machine_get_uuid (vm2)) == vm2);
  g_assert_null (gh_machine_list_lookup_by_name (list, "VM2"));
  g_assert_null (gh_machine_list_lookup_by_name (list, "Aardvark"));
  g_assert_nonnull (gh_machine_list_lookup_by_name (list, "zzz"));
  g_assert_null (gh_machine_list_lookup_by_uuid (list, "00000000-0000-0000-0000-000000000000"));

  /* Removing one row says exactly that. */
  gh_test_items_log_clear (log);
  _gh_machine_list_remove (list, vm2);
  g_assert_cmpuint (log->changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (log->changes, GhTestItemsChange, 0).position, ==, 6);
  g_assert_cmpuint (g_array_index (log->changes, GhTestItemsChange, 0).removed, ==, 1);
  g_assert_cmpuint (g_array_index (log->changes, GhTestItemsChange, 0).added, ==, 0);
  assert_order (model, after_remove);
  gh_test_items_log_assert_mirror (log);
  g_assert_null (gh_machine_list_lookup_by_name (list, "vm2"));

  /* A reconnection replaces everything at once, sorted. */
  {
    g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
    const char * const fresh_order[] = { "a1", "A2", "a10", NULL };

    g_ptr_array_add (fresh, new_machine (connection, "a10", NULL));
    g_ptr_array_add (fresh, new_machine (connection, "A2", NULL));
    g_ptr_array_add (fresh, new_machine (connection, "a1", NULL));
    _gh_machine_list_set_all (list, fresh);
    assert_order (model, fresh_order);
    gh_test_items_log_assert_mirror (log);
    g_assert_null (gh_machine_list_lookup_by_name (list, "Alpha"));
    g_assert_nonnull (gh_machine_list_lookup_by_name (list, "a10"));

    g_ptr_array_set_size (fresh, 0);
    _gh_machine_list_set_all (list, fresh);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
    gh_test_items_log_assert_mirror (log);
  }
}

/* A machine whose title changes behind Greenhouse's back moves to its new place. */
static void
test_machine_list_rename (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  GListModel *model = G_LIST_MODEL (list);
  virConnectPtr plain = gh_test_virt_open (DEFAULT_URI);
  virDomainPtr b = gh_test_virt_define (plain, "gh-b", NULL);
  virDomainPtr d = gh_test_virt_define (plain, "gh-d", NULL);
  virDomainPtr f = gh_test_virt_define (plain, "gh-f", NULL);
  g_autoptr(GhTestItemsLog) log = NULL;
  g_autoptr(GhTestNotifyLog) notify = NULL;
  const char * const start[] = { "gh-b", "gh-d", "gh-f", "test", NULL };
  const char * const moved_down[] = { "gh-d", "gh-f", "gh-z", "test", NULL };
  const char * const moved_up[] = { "A first", "gh-d", "gh-z", "test", NULL };
  const char * const back[] = { "A first", "gh-b", "gh-d", "test", NULL };
  GhMachine *machine_b;
  g_autofree char *changes = NULL;

  gh_test_wait_until (g_list_model_get_n_items (model) == 4,
                      "three defined domains to reach the list");
  assert_order (model, start);
  machine_b = gh_test_list_find (list, "gh-b");
  log = gh_test_items_log_new (model);
  notify = gh_test_notify_log_new (machine_b);

  /* gh-b takes the title "gh-z": out of row 0, into row 2. */
  g_assert_cmpint (virDomainSetMetadata (b, VIR_DOMAIN_METADATA_TITLE, "gh-z", NULL, NULL,
                                         VIR_DOMAIN_AFFECT_CURRENT), ==, 0);
  gh_test_wait_until (g_strcmp0 (gh_machine_get_display_name (machine_b), "gh-z") == 0,
                      "a new title to reach the machine");
  gh_test_settle (100);
  changes = gh_test_items_log_describe (log);
  g_assert_cmpstr (changes, ==, "[(0, -1, +0), (2, -0, +1)]");
  g_clear_pointer (&changes, g_free);
  assert_order (model, moved_down);
  gh_test_items_log_assert_mirror (log);
  g_assert_cmpuint (gh_test_notify_log_count (notify, "title"), ==, 1);
  g_assert_cmpuint (gh_test_notify_log_count (notify, "display-name"), ==, 1);
  g_assert_cmpuint (gh_test_notify_log_count (notify, "state"), ==, 0);

  /* gh-f takes "A first": out of row 1, into row 0. */
  gh_test_items_log_clear (log);
  g_assert_cmpint (virDomainSetMetadata (f, VIR_DOMAIN_METADATA_TITLE, "A first", NULL, NULL,
                                         VIR_DOMAIN_AFFECT_CURRENT), ==, 0);
  gh_test_wait_until (gh_machine_list_lookup_by_name (list, "gh-f") != NULL
                      && g_strcmp0 (gh_machine_get_display_name (
                                      gh_machine_list_lookup_by_name (list, "gh-f")),
                                    "A first") == 0,
                      "a second new title to reach the machine");
  gh_test_settle (100);
  changes = gh_test_items_log_describe (log);
  g_assert_cmpstr (changes, ==, "[(1, -1, +0), (0, -0, +1)]");
  g_clear_pointer (&changes, g_free);
  assert_order (model, moved_up);
  gh_test_items_log_assert_mirror (log);

  /* Removing the title brings the name back, and the row with it. */
  gh_test_items_log_clear (log);
  g_assert_cmpint (virDomainSetMetadata (b, VIR_DOMAIN_METADATA_TITLE, NULL, NULL, NULL,
                                         VIR_DOMAIN_AFFECT_CURRENT), ==, 0);
  gh_test_wait_until (g_strcmp0 (gh_machine_get_display_name (machine_b), "gh-b") == 0,
                      "a removed title to reach the machine");
  gh_test_settle (100);
  changes = gh_test_items_log_describe (log);
  g_assert_cmpstr (changes, ==, "[(2, -1, +0), (1, -0, +1)]");
  g_clear_pointer (&changes, g_free);
  assert_order (model, back);
  gh_test_items_log_assert_mirror (log);
  g_assert_null (gh_machine_get_title (machine_b));

  g_assert_cmpuint (_gh_connection_get_n_full_lists (connection), ==, 1);

  /* Leave the shared default driver as we found it. */
  g_assert_cmpint (virDomainUndefine (b), ==, 0);
  g_assert_cmpint (virDomainUndefine (d), ==, 0);
  g_assert_cmpint (virDomainUndefine (f), ==, 0);
  gh_test_wait_until (g_list_model_get_n_items (model) == 1,
                      "undefined domains to leave the list");
  gh_test_items_log_assert_mirror (log);
  virDomainFree (b);
  virDomainFree (d);
  virDomainFree (f);
  virConnectClose (plain);
  gh_test_close_connection (connection);
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/machine-list/sort", test_machine_list_sort);
  g_test_add_func ("/core/machine-list/rename", test_machine_list_rename);

  return g_test_run ();
}
