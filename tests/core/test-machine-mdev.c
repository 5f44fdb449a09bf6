/* test-machine-mdev.c: GhMachine's mediated devices (virtual GPUs): a new one attached, and
 * one detached, which leaves the host only when Greenhouse made it and no one else uses it
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "gh-domain-editor.h"
#include "gh-test-util.h"

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

  editor = gh_test_dup_editor (machine, NULL, NULL);
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
  g_autoptr(GhDomainEditor) editor = gh_test_dup_editor (machine, NULL, NULL);
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

  g_test_add_func ("/core/machine/mdev/new-refused", test_new_mdev_refused);
  g_test_add_func ("/core/machine/mdev/detach-not-made", test_detach_mdev_not_made);
  g_test_add_func ("/core/machine/mdev/detach-shared", test_detach_mdev_shared);
  g_test_add_func ("/core/machine/mdev/detach-made", test_detach_mdev_made);

  return g_test_run ();
}
