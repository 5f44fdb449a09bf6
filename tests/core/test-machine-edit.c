/* test-machine-edit.c: what GhMachine reads and changes of its definition besides XML
 * edits: autostart, its name, its disks
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-domain-editor.h"
#include "gh-test-util.h"

#define DEFAULT_URI "test:///default"

static void
test_read_and_autostart (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachine *machine = gh_test_list_find (gh_connection_get_machines (connection), "test");
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GhDomainEditor) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean autostart = TRUE;

  g_assert_nonnull (machine);
  editor = gh_test_dup_editor (machine, &autostart, NULL);
  g_assert_cmpstr (gh_domain_editor_get_name (editor), ==, "test");
  g_assert_cmpuint (gh_domain_editor_get_memory (editor), ==, gh_machine_get_memory (machine));
  g_assert_false (autostart);

  gh_machine_set_autostart_async (machine, TRUE, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "autostart to be set");
  g_assert_true (gh_machine_set_autostart_finish (machine, result, &error));
  g_assert_no_error (error);

  again = gh_test_dup_editor (machine, &autostart, NULL);
  g_assert_true (autostart);

  gh_test_close_connection (connection);
}

static void
test_rename (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  GhMachineList *list = gh_connection_get_machines (connection);
  GhMachine *running = gh_test_list_find (list, "test");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = gh_test_virt_open (DEFAULT_URI);
  virDomainPtr domain = gh_test_virt_define (conn, "to-rename", NULL);
  GhMachine *machine;

  /* The running machine: libvirt refuses, and says why. */
  g_assert_cmpint (gh_machine_get_state (running), ==, GH_MACHINE_STATE_RUNNING);
  gh_machine_rename_async (running, "other", NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the rename to be refused");
  g_assert_false (gh_machine_rename_finish (running, result, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (gh_error_get_what (error), "“test”"));
  g_assert_nonnull (strstr (gh_error_get_detail (error), "active"));
  g_clear_error (&error);
  g_clear_object (&result);

  gh_test_wait_until (gh_test_list_find (list, "to-rename") != NULL, "the new machine");
  machine = gh_test_list_find (list, "to-rename");

  /* A name XML cannot hold as it is: refused with the reason, shown as valid text. */
  gh_machine_rename_async (machine, "bell\a", NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the rename to be refused");
  g_assert_false (gh_machine_rename_finish (machine, result, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Could not rename “to-rename” to “bell\xef\xbf\xbd”: "
                                       "it contains an invisible control character (U+0007)");
  g_clear_error (&error);
  g_clear_object (&result);
  gh_machine_rename_async (machine, "caf\xe9", NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the rename to be refused");
  g_assert_false (gh_machine_rename_finish (machine, result, &error));
  g_assert_cmpstr (gh_error_get_detail (error), ==, "it is not valid UTF-8 text");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_nonnull (gh_test_list_find (list, "to-rename"));

  gh_machine_rename_async (machine, "renamed", NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the rename");
  g_assert_true (gh_machine_rename_finish (machine, result, &error));
  g_assert_no_error (error);
  gh_test_wait_until (gh_test_list_find (list, "renamed") != NULL, "the new name to show");

  virDomainFree (domain);
  virConnectClose (conn);
  gh_test_close_connection (connection);
}

/* tests/data/storage.xml: "owner" has own.qcow2 (vda), own-by-name.qcow2 (vdb) and
 * shared.qcow2 (vdc), which "neighbour" uses too. Each test:// file connection is its
 * own world, so volumes are looked up on the connection the machine lives on. */
static void
test_disks (void)
{
  g_autofree char *uri = gh_test_data_uri ("storage.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  GhMachine *owner = gh_test_list_find (gh_connection_get_machines (connection), "owner");
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GHashTable) capacities = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = NULL;
  gboolean next_boot = TRUE;
  guint64 *capacity;

  g_assert_nonnull (owner);
  editor = gh_test_dup_editor (owner, NULL, &capacities);
  capacity = g_hash_table_lookup (capacities, "vda");
  g_assert_nonnull (capacity);
  g_assert_cmpuint (*capacity, ==, G_GUINT64_CONSTANT (1) << 30);
  g_clear_object (&editor);
  g_clear_pointer (&capacities, g_hash_table_unref);

  /* A new disk goes beside the others, as big as asked. */
  gh_machine_add_disk_async (owner, G_GUINT64_CONSTANT (2) << 30, NULL,
                             gh_test_store_result, &result);
  gh_test_wait_result (&result, "the new disk");
  g_assert_true (gh_machine_add_disk_finish (owner, result, &next_boot, &error));
  g_assert_no_error (error);
  g_assert_false (next_boot);
  g_clear_object (&result);
  editor = gh_test_dup_editor (owner, NULL, &capacities);
  disks = gh_domain_editor_dup_disks (editor);
  g_assert_cmpuint (disks->len, ==, 5);
  capacity = g_hash_table_lookup (capacities, "vdd");
  g_assert_nonnull (capacity);
  g_assert_cmpuint (*capacity, ==, G_GUINT64_CONSTANT (2) << 30);
  for (guint i = 0; i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);

      if (g_strcmp0 (disk->target, "vdd") == 0)
        g_assert_cmpstr (disk->path, ==, "/greenhouse-test-pool/owner-2.qcow2");
    }

  /* A volume another machine uses is never deleted, and the disk stays too. */
  gh_machine_remove_disk_async (owner, "vdc", TRUE, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the refusal");
  g_assert_false (gh_machine_remove_disk_finish (owner, result, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Removed and deleted; removed and kept. */
  gh_machine_remove_disk_async (owner, "vdd", TRUE, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the disk to go with its volume");
  g_assert_true (gh_machine_remove_disk_finish (owner, result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  gh_machine_remove_disk_async (owner, "vda", FALSE, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the disk to go without its volume");
  g_assert_true (gh_machine_remove_disk_finish (owner, result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_clear_object (&editor);
  g_clear_pointer (&disks, g_ptr_array_unref);
  editor = gh_test_dup_editor (owner, NULL, NULL);
  disks = gh_domain_editor_dup_disks (editor);
  g_assert_cmpuint (disks->len, ==, 3);
  g_assert_cmpstr (((GhDomainEditorDisk *) g_ptr_array_index (disks, 0))->target, ==, "vdb");

  /* The connection's own driver, through its virConnectPtr. */
  conn = _gh_connection_dup_virconnect (connection, &error);
  g_assert_no_error (error);
  {
    virStorageVolPtr gone = virStorageVolLookupByPath (conn, "/greenhouse-test-pool/owner-2.qcow2");
    virStorageVolPtr kept = virStorageVolLookupByPath (conn, "/greenhouse-test-pool/own.qcow2");

    g_assert_null (gone);
    g_assert_nonnull (kept);
    virStorageVolFree (kept);
  }
  virConnectClose (conn);

  gh_test_close_connection (connection);
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/machine/edit/read-and-autostart", test_read_and_autostart);
  g_test_add_func ("/core/machine/edit/rename", test_rename);
  g_test_add_func ("/core/machine/edit/disks", test_disks);

  return g_test_run ();
}
