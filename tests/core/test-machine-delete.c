/* test-machine-delete.c: deleting a machine, with its storage or without, and never a
 * volume that something else still uses
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* RTLD_NEXT: the tests wrap one libvirt function. */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gh-domain-disks.h"
#include "gh-test-util.h"

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

int
main (int   argc,
      char *argv[])
{
  gh_test_init (&argc, &argv);

  g_test_add_func ("/core/machine/delete/with-and-without-storage", test_machine_delete);
  g_test_add_func ("/core/machine/delete/pool-volume", test_machine_delete_pool_volume);
  g_test_add_func ("/core/machine/delete/managed-save", test_machine_delete_managed_save);
  g_test_add_func ("/core/machine/delete/shared", test_machine_delete_shared);
  g_test_add_func ("/core/machine/delete/shared-by-pool", test_machine_delete_shared_by_pool);
  g_test_add_func ("/core/machine/delete/shared-by-path", test_machine_delete_shared_by_path);
  g_test_add_func ("/core/machine/delete/shared-spelling", test_machine_delete_shared_spelling);
  g_test_add_func ("/core/machine/delete/backing", test_machine_delete_backing);
  g_test_add_func ("/core/machine/delete/backing-chain", test_machine_delete_backing_chain);
  g_test_add_func ("/core/machine/delete/cdrom", test_machine_delete_cdrom);
  g_test_add_func ("/core/machine/delete/cdrom-writable", test_machine_delete_cdrom_writable);
  g_test_add_func ("/core/machine/delete/readonly", test_machine_delete_readonly);
  g_test_add_func ("/core/machine/delete/shareable", test_machine_delete_shareable);
  g_test_add_func ("/core/machine/delete/outside-pool", test_machine_delete_outside_pool);
  g_test_add_func ("/core/machine/delete/own", test_machine_delete_own);
  g_test_add_func ("/core/machine/delete/keep-storage", test_machine_delete_keep_storage);
  g_test_add_func ("/core/machine/delete/live-config", test_machine_delete_live_config);
  g_test_add_func ("/core/machine/delete/unreadable", test_machine_delete_unreadable);
  g_test_add_func ("/core/machine/delete/vanished", test_machine_delete_vanished);

  return g_test_run ();
}
