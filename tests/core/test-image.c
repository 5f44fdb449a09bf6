/* test-image.c: an imported disk image stands alone, or is refused with the reason
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gh-test-util.h"

#define DEFAULT_URI "test:///default"
#define MIB (G_GUINT64_CONSTANT (1) << 20)

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Runs qemu-img with @args; FALSE (and the test skipped) when it is not installed. */
static gboolean
qemu_img (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *program = g_find_program_in_path ("qemu-img");
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (program == NULL)
    {
      g_test_skip ("qemu-img is not installed (qemu-utils)");
      return FALSE;
    }

  g_ptr_array_add (argv, program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("qemu-img failed: %s", err);
  return TRUE;
}

static char *
make_qcow2 (const char *name,
            const char *size,
            const char *options)
{
  char *path = tmp_path (name);
  const char *args[] = { "create", "-q", "-f", "qcow2", "-o", options, path, size, NULL };

  if (options == NULL)
    {
      args[4] = path;
      args[5] = size;
      args[6] = NULL;
    }
  if (!qemu_img (args))
    g_clear_pointer (&path, g_free);
  return path;
}

static void
write_file (const char *path,
            const void *data,
            gsize       len,
            guint64     size)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  if (len > 0)
    g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
  g_assert_cmpint (ftruncate (fd, (off_t) size), ==, 0);
  close (fd);
}

static void
assert_refused (const char *path,
                gint        code,
                const char *detail)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *what = g_strdup_printf ("Could not use the disk image “%s”", basename);
  GhImageInfo info = { "x", 1, 1 };

  g_assert_false (gh_image_inspect (path, &info, &error));
  g_assert_error (error, GH_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (gh_error_get_what (error), ==, what);
  g_assert_cmpstr (gh_error_get_detail (error), ==, detail);
  g_assert_null (info.format);
}

/* ---- What the file is --------------------------------------------------------------- */

static void
test_qcow2_standalone (void)
{
  g_autofree char *path = make_qcow2 ("standalone.qcow2", "1G", NULL);
  g_autoptr(GError) error = NULL;
  GhImageInfo info;

  if (path == NULL)
    return;
  g_assert_true (gh_image_inspect (path, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.format, ==, "qcow2");
  g_assert_cmpuint (info.virtual_size, ==, 1024 * MIB);
  g_assert_cmpuint (info.file_size, <, MIB);
}

/* A host file as the backing store: what a downloaded "appliance" could read on a
 * system connection, were it imported as it is. */
static void
test_qcow2_backed (void)
{
  g_autofree char *path = tmp_path ("backed.qcow2");
  const char *args[] = { "create", "-q", "-f", "qcow2", "-b", "/etc/hostname", "-F", "raw",
                         path, "1G", NULL };

  if (!qemu_img (args))
    return;
  assert_refused (path, GH_ERROR_NOT_SUPPORTED,
                  "it holds only changes to another file, “/etc/hostname”; "
                  "only an image that stands alone can be imported");
}

static void
test_qcow2_data_file (void)
{
  g_autofree char *data = tmp_path ("data-file.raw");
  g_autofree char *options = g_strconcat ("data_file=", data, NULL);
  g_autofree char *path = make_qcow2 ("data-file.qcow2", "64M", options);
  g_autofree char *detail = NULL;

  if (path == NULL)
    return;
  detail = g_strdup_printf ("it keeps its contents in another file, “%s”; "
                            "only an image that stands alone can be imported", data);
  assert_refused (path, GH_ERROR_NOT_SUPPORTED, detail);
}

/* The name says nothing: the content decides. */
static void
test_raw_named_qcow2 (void)
{
  g_autofree char *path = tmp_path ("really-raw.qcow2");
  static const guint8 mbr_end[] = { 0x55, 0xaa };
  g_autoptr(GError) error = NULL;
  GhImageInfo info;

  write_file (path, NULL, 0, 8 * MIB);
  {
    int fd = g_open (path, O_WRONLY, 0);

    g_assert_cmpint (pwrite (fd, mbr_end, sizeof mbr_end, 510), ==, sizeof mbr_end);
    close (fd);
  }
  g_assert_true (gh_image_inspect (path, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.format, ==, "raw");
  g_assert_cmpuint (info.virtual_size, ==, 8 * MIB);
  g_assert_cmpuint (info.file_size, ==, 8 * MIB);
}

static void
test_qcow2_named_img (void)
{
  g_autofree char *path = make_qcow2 ("disk.img", "2G", NULL);
  g_autoptr(GError) error = NULL;
  GhImageInfo info;

  if (path == NULL)
    return;
  g_assert_true (gh_image_inspect (path, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.format, ==, "qcow2");
  g_assert_cmpuint (info.virtual_size, ==, 2048 * MIB);
}

/* The first bytes of a sound qcow2, cut at @len. */
static void
truncate_copy (const char *from,
               const char *to,
               gsize       len)
{
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (from, &contents, &size, NULL));
  g_assert_cmpuint (size, >=, len);
  write_file (to, contents, len, len);
}

static void
test_qcow2_truncated (void)
{
  const char *cut_short = "its qcow2 header is cut short: the file is incomplete or damaged";
  g_autofree char *path = make_qcow2 ("whole.qcow2", "1G", NULL);
  g_autofree char *header = tmp_path ("header.qcow2");
  g_autofree char *cluster = tmp_path ("one-cluster.qcow2");

  if (path == NULL)
    return;

  /* Inside the header itself. */
  truncate_copy (path, header, 48);
  assert_refused (header, GH_ERROR_NOT_SUPPORTED, cut_short);
  /* A whole header, but its tables are past the end of the file. */
  truncate_copy (path, cluster, 65536);
  assert_refused (cluster, GH_ERROR_NOT_SUPPORTED, cut_short);
}

/* Sizes and offsets no qcow2 can have. */
static void
test_qcow2_nonsense (void)
{
  g_autofree char *path = make_qcow2 ("sound.qcow2", "1G", NULL);
  g_autofree char *huge = tmp_path ("huge.qcow2");
  g_autofree char *clusters = tmp_path ("clusters.qcow2");
  g_autofree char *contents = NULL;
  gsize size = 0;

  if (path == NULL)
    return;
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));

  /* 1 EiB of disk in an L1 table made for 1 GiB. */
  contents[24] = 0x10;
  write_file (huge, contents, size, size);
  assert_refused (huge, GH_ERROR_NOT_SUPPORTED, "its qcow2 header gives an impossible disk size");
  contents[24] = 0;

  /* Clusters of 2^40 bytes. */
  contents[23] = 40;
  write_file (clusters, contents, size, size);
  assert_refused (clusters, GH_ERROR_NOT_SUPPORTED, "its qcow2 header is damaged");
}

/* Formats QEMU would open too, some of which name other files. */
static void
test_other_formats (void)
{
  static const struct { const char *format; const char *name; } formats[] = {
    { "vmdk", "VMDK" },
    { "vdi", "VirtualBox (VDI)" },
    { "vhdx", "Hyper-V (VHDX)" },
    { "vpc", "Virtual PC (VHD)" },
    { "qed", "QED" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strconcat ("other.", formats[i].format, ".img", NULL);
      g_autofree char *path = tmp_path (name);
      g_autofree char *detail = g_strdup_printf ("it is a %s image, which Greenhouse cannot "
                                                 "import yet; convert it to qcow2 first",
                                                 formats[i].name);
      const char *args[] = { "create", "-q", "-f", formats[i].format, path, "64M", NULL };

      if (!qemu_img (args))
        return;
      assert_refused (path, GH_ERROR_NOT_SUPPORTED, detail);
    }
}

static void
test_not_an_image (void)
{
  g_autofree char *empty = tmp_path ("empty.img");
  g_autofree char *missing = tmp_path ("missing.img");
  g_autoptr(GError) error = NULL;
  GhImageInfo info;

  write_file (empty, NULL, 0, 0);
  assert_refused (empty, GH_ERROR_NOT_SUPPORTED, "it is empty");
  assert_refused (tmp_dir, GH_ERROR_NOT_SUPPORTED, "it is not a file");

  g_assert_false (gh_image_inspect (missing, &info, &error));
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
}

/* ---- The creator ---------------------------------------------------------------------- */

static guint
count_volumes (virConnectPtr conn)
{
  virStoragePoolPtr *pools = NULL;
  int n_pools = virConnectListAllStoragePools (conn, &pools, 0);
  guint n = 0;

  g_assert_cmpint (n_pools, >=, 0);
  for (int i = 0; i < n_pools; i++)
    {
      if (virStoragePoolIsActive (pools[i]) == 1)
        {
          int n_volumes = virStoragePoolNumOfVolumes (pools[i]);

          g_assert_cmpint (n_volumes, >=, 0);
          n += (guint) n_volumes;
        }
      virStoragePoolFree (pools[i]);
    }
  g_free (pools);
  return n;
}

/* A backed image is refused before the creator makes anything: no pool step, no
 * volume, no domain. */
static void
test_creator_refuses_backed (void)
{
  g_autoptr(GhConnection) connection = gh_test_open_connection (DEFAULT_URI);
  g_autoptr(GhMachineCreator) creator = gh_machine_creator_new (connection, NULL);
  g_autoptr(GhDomainSpec) spec = gh_domain_spec_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("appliance.qcow2");
  g_autofree char *uuid = NULL;
  const char *args[] = { "create", "-q", "-f", "qcow2", "-b", "/etc/hostname", "-F", "raw",
                         path, "1G", NULL };
  virConnectPtr conn = gh_test_virt_open (DEFAULT_URI);
  int domains_before, pools_before;
  guint volumes_before;
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (GhCreateStep));

  if (!qemu_img (args))
    {
      g_array_unref (steps);
      virConnectClose (conn);
      return;
    }

  gh_machine_creator_prepare_async (creator, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the creator to prepare");
  g_assert_true (gh_machine_creator_prepare_finish (creator, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  domains_before = virConnectNumOfDefinedDomains (conn) + virConnectNumOfDomains (conn);
  pools_before = virConnectNumOfStoragePools (conn) + virConnectNumOfDefinedStoragePools (conn);
  volumes_before = count_volumes (conn);

  spec->name = g_strdup ("appliance");
  spec->memory = 512 * MIB;
  spec->vcpus = 1;
  gh_machine_creator_create_async (creator, spec, 0, path, FALSE, NULL, gh_test_store_result,
                                   &result);
  while (result == NULL)
    {
      GhCreateStep step;

      g_main_context_iteration (NULL, TRUE);
      step = gh_machine_creator_get_step (creator);
      if (step != GH_CREATE_STEP_NONE)
        g_array_append_val (steps, step);
    }

  uuid = gh_machine_creator_create_finish (creator, result, &error);
  g_assert_null (uuid);
  g_assert_error (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (error->message, ==,
                   "Could not use the disk image “appliance.qcow2”: it holds only changes to "
                   "another file, “/etc/hostname”; only an image that stands alone can be "
                   "imported");
  /* Nothing was begun, so nothing was made. */
  g_assert_cmpuint (steps->len, ==, 0);
  g_assert_cmpint (virConnectNumOfDefinedDomains (conn) + virConnectNumOfDomains (conn), ==,
                   domains_before);
  g_assert_cmpint (virConnectNumOfStoragePools (conn) + virConnectNumOfDefinedStoragePools (conn),
                   ==, pools_before);
  g_assert_cmpuint (count_volumes (conn), ==, volumes_before);

  g_array_unref (steps);
  virConnectClose (conn);
  gh_test_close_connection (connection);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gh_test_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("greenhouse-test-image-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/core/image/qcow2-standalone", test_qcow2_standalone);
  g_test_add_func ("/core/image/qcow2-backed", test_qcow2_backed);
  g_test_add_func ("/core/image/qcow2-data-file", test_qcow2_data_file);
  g_test_add_func ("/core/image/raw-named-qcow2", test_raw_named_qcow2);
  g_test_add_func ("/core/image/qcow2-named-img", test_qcow2_named_img);
  g_test_add_func ("/core/image/qcow2-truncated", test_qcow2_truncated);
  g_test_add_func ("/core/image/qcow2-nonsense", test_qcow2_nonsense);
  g_test_add_func ("/core/image/other-formats", test_other_formats);
  g_test_add_func ("/core/image/not-an-image", test_not_an_image);
  g_test_add_func ("/core/image/creator-refuses-backed", test_creator_refuses_backed);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = tmp_path (name);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }
  return ret;
}
