/* test-machine-settings.c: what the settings window reads and changes besides XML edits
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-domain-editor.h"
#include "gh-test-util.h"

#define DEFAULT_URI "test:///default"

static GhDomainEditor *
dup_editor (GhMachine   *machine,
            gboolean    *autostart,
            GHashTable **capacities)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GhDomainEditor *editor;

  gh_machine_dup_editor_async (machine, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the machine's definition");
  editor = gh_machine_dup_editor_finish (machine, result, autostart, capacities, &error);
  g_assert_no_error (error);
  g_assert_nonnull (editor);

  return editor;
}

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
  editor = dup_editor (machine, &autostart, NULL);
  g_assert_cmpstr (gh_domain_editor_get_name (editor), ==, "test");
  g_assert_cmpuint (gh_domain_editor_get_memory (editor), ==, gh_machine_get_memory (machine));
  g_assert_false (autostart);

  gh_machine_set_autostart_async (machine, TRUE, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "autostart to be set");
  g_assert_true (gh_machine_set_autostart_finish (machine, result, &error));
  g_assert_no_error (error);

  again = dup_editor (machine, &autostart, NULL);
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
  editor = dup_editor (owner, NULL, &capacities);
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
  editor = dup_editor (owner, NULL, &capacities);
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
  editor = dup_editor (owner, NULL, NULL);
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

/* The test driver cannot define node devices: the error says so, the machine is as it
 * was. */
static void
test_new_mdev_refused (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  virConnectPtr conn = gh_test_virt_open (uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GPtrArray) hostdevs = NULL;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;
  GhMachine *machine;

  virConnectClose (conn);
  conn = _gh_connection_dup_virconnect (connection, &error);
  g_assert_no_error (error);
  domain = gh_test_virt_define (conn, "vgpu", NULL);
  gh_test_wait_until (gh_test_list_find (gh_connection_get_machines (connection), "vgpu") != NULL,
                      "the machine");
  machine = gh_test_list_find (gh_connection_get_machines (connection), "vgpu");

  gh_machine_attach_new_mdev_async (machine, "pci_0000_00_02_0", "i915-GVTg_V5_4", TRUE,
                                    NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the refusal");
  g_assert_false (gh_machine_attach_new_mdev_finish (machine, result, NULL, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, "i915-GVTg_V5_4"));

  editor = dup_editor (machine, NULL, NULL);
  hostdevs = gh_domain_editor_dup_hostdevs (editor);
  g_assert_cmpuint (hostdevs->len, ==, 0);

  virDomainFree (domain);
  virConnectClose (conn);
  gh_test_close_connection (connection);
}

#define MDEV_UUID "3a1f7c52-7e0b-4c4e-9a7e-52d4c1b0e6a1"
#define MDEV_NODE "mdev_3a1f7c52_7e0b_4c4e_9a7e_52d4c1b0e6a1_0000_00_02_0"
#define MDEV_HOSTDEV \
  "<hostdev mode='subsystem' type='mdev' model='vfio-pci'>" \
  "<source><address uuid='" MDEV_UUID "'/></source></hostdev>"
/* What "Create and Attach" leaves in a machine's definition. */
#define MADE_METADATA \
  "<metadata><greenhouse:greenhouse xmlns:greenhouse='" GH_DOMAIN_METADATA_NS "'>" \
  "<greenhouse:made-mdev uuid='" MDEV_UUID "' device='" MDEV_NODE "'/>" \
  "</greenhouse:greenhouse></metadata>"

/* tests/data/host-gpus.xml's mdev is on the host, and a machine of @connection named
 * @name has it, with the metadata of one Greenhouse made when @made. */
static GhMachine *
define_mdev_user (GhConnection  *connection,
                  virConnectPtr  conn,
                  const char    *name,
                  gboolean       made)
{
  g_autofree char *extra = g_strconcat (made ? MADE_METADATA : "",
                                        "<devices>" MDEV_HOSTDEV "</devices>", NULL);

  virDomainFree (gh_test_virt_define (conn, name, extra));
  gh_test_wait_until (gh_test_list_find (gh_connection_get_machines (connection), name) != NULL,
                      name);
  return gh_test_list_find (gh_connection_get_machines (connection), name);
}

static gboolean
detach_mdev (GhMachine  *machine,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gh_machine_detach_mdev_async (machine, MDEV_UUID, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the detach");
  return gh_machine_detach_mdev_finish (machine, result, NULL, error);
}

static void
assert_detached (GhMachine *machine)
{
  g_autoptr(GhDomainEditor) editor = dup_editor (machine, NULL, NULL);
  g_autoptr(GPtrArray) hostdevs = gh_domain_editor_dup_hostdevs (editor);

  g_assert_cmpuint (hostdevs->len, ==, 0);
  g_assert_null (gh_domain_editor_dup_mdev_made (editor, MDEV_UUID));
}

static void
assert_mdev_on_host (virConnectPtr conn)
{
  virNodeDevicePtr device = virNodeDeviceLookupByName (conn, MDEV_NODE);

  g_assert_nonnull (device);
  virNodeDeviceFree (device);
}

/* An mdev Greenhouse did not make leaves the machine and stays on the host: the test
 * driver refuses to destroy or undefine an mdev, so any attempt would fail the detach. */
static void
test_detach_mdev_not_made (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = _gh_connection_dup_virconnect (connection, &error);
  GhMachine *machine;

  g_assert_no_error (error);
  machine = define_mdev_user (connection, conn, "not-made", FALSE);
  g_assert_true (detach_mdev (machine, &error));
  g_assert_no_error (error);
  assert_detached (machine);
  assert_mdev_on_host (conn);

  virConnectClose (conn);
  gh_test_close_connection (connection);
}

/* One Greenhouse made, that another machine also uses, stays on the host. */
static void
test_detach_mdev_shared (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = _gh_connection_dup_virconnect (connection, &error);
  GhMachine *machine;

  g_assert_no_error (error);
  machine = define_mdev_user (connection, conn, "made", TRUE);
  define_mdev_user (connection, conn, "sharer", FALSE);
  g_assert_true (detach_mdev (machine, &error));
  g_assert_no_error (error);
  assert_detached (machine);
  assert_mdev_on_host (conn);

  virConnectClose (conn);
  gh_test_close_connection (connection);
}

/* One Greenhouse made and no one else uses is taken off the host too. The test driver
 * cannot remove an mdev, so all this can show is that Detach tries, and says, once the
 * machine has lost it, that the device stays. */
static void
test_detach_mdev_made (void)
{
  g_autofree char *uri = gh_test_data_uri ("host-gpus.xml");
  g_autoptr(GhConnection) connection = gh_test_open_connection (uri);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = _gh_connection_dup_virconnect (connection, &error);
  GhMachine *machine;

  g_assert_no_error (error);
  machine = define_mdev_user (connection, conn, "made-alone", TRUE);
  g_assert_false (detach_mdev (machine, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_test_message ("the test driver refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, "stays on this computer"));
  assert_detached (machine);

  virConnectClose (conn);
  gh_test_close_connection (connection);
}

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/machine-settings/read-and-autostart", test_read_and_autostart);
  g_test_add_func ("/core/machine-settings/rename", test_rename);
  g_test_add_func ("/core/machine-settings/disks", test_disks);
  g_test_add_func ("/core/machine-settings/new-mdev-refused", test_new_mdev_refused);
  g_test_add_func ("/core/machine-settings/detach-mdev-not-made", test_detach_mdev_not_made);
  g_test_add_func ("/core/machine-settings/detach-mdev-shared", test_detach_mdev_shared);
  g_test_add_func ("/core/machine-settings/detach-mdev-made", test_detach_mdev_made);

  return g_test_run ();
}
