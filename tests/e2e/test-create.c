/* test-create.c: GhMachineCreator against a real qemu:///session daemon and QEMU.
 *
 * The core suite checks the builder's XML; here libvirt judges it (defined with
 * validation, its libosinfo metadata read back), a started machine really runs, and a
 * creation that fails at any step, or is cancelled, leaves nothing behind: no machine,
 * no volume, no pool it made, no image file, no directory. Nor does one whose daemon is
 * killed at a step, nor a delete or the end of an install: what they left is gone after
 * the reconnection. tests/e2e/run-e2e runs it with a session daemon and XDG dirs of its
 * own.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-cleanup-journal.h"
#include "gh-core.h"
#include "gh-core-private.h"
#include "gh-e2e-util.h"
#include "gh-test-util.h"

#define URI             "qemu:///session"
#define DOMAIN_PREFIX   "greenhouse-e2e-create-"
#define LIBOSINFO_NS    "http://libosinfo.org/xmlns/libvirt/domain/1.0"
#define OPEN_TIMEOUT_S  30
#define LOAD_TIMEOUT_S  60
#define CREATE_TIMEOUT_S 120
#define SMALL_DISK      ((guint64) 16 << 20)
/* The Debian installer under TCG on a busy two-core machine: boot, start, reboot. */
#define INSTALL_TIMEOUT_S 420
/* Greenhouse reconnects after 1 s, then 2, 4…; a new daemon autostarts in seconds. */
#define RECONNECT_TIMEOUT_S 60
#define EXPRESS_LOGIN   "greenhouse-test"
#define EXPRESS_LANGUAGE "en_GB"

static struct
{
  GhConnection     *connection;
  GhHostInventory  *inventory;
  GhOsDb           *os_db;
  GhMachineCreator *creator;
  virConnectPtr     plain;      /* libvirt itself, used from worker threads only */
  const char       *files;      /* run-e2e's copies: the installer ISO */
} e2e;

/* ---- Plain libvirt, off the main thread --------------------------------------------- */

/* Where the creator puts disks on a session connection. */
static char *
greenhouse_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "greenhouse", NULL);
}

static char *
images_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "greenhouse", "images", NULL);
}

typedef struct
{
  const char *name;
  gboolean    domain;
  gboolean    running;
  gboolean    pool;
  gboolean    volume;
  char       *metadata;
  char       *xml;
} Look;

static void
look_clear (Look *look)
{
  g_clear_pointer (&look->metadata, g_free);
  g_clear_pointer (&look->xml, g_free);
}

static gpointer
look_thread (gpointer data)
{
  Look *look = data;
  virDomainPtr domain = virDomainLookupByName (e2e.plain, look->name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (e2e.plain, "greenhouse");

  if (domain != NULL)
    {
      char *text;
      int state = VIR_DOMAIN_NOSTATE;

      look->domain = TRUE;
      look->running = virDomainGetState (domain, &state, NULL, 0) == 0
                      && state == VIR_DOMAIN_RUNNING;
      text = virDomainGetMetadata (domain, VIR_DOMAIN_METADATA_ELEMENT, LIBOSINFO_NS, 0);
      look->metadata = g_strdup (text);
      free (text);
      text = virDomainGetXMLDesc (domain, 0);
      look->xml = g_strdup (text);
      free (text);
      virDomainFree (domain);
    }

  if (pool != NULL)
    {
      g_autofree char *volume_name = g_strconcat (look->name, ".qcow2", NULL);
      virStorageVolPtr volume;

      look->pool = TRUE;
      virStoragePoolRefresh (pool, 0);
      volume = virStorageVolLookupByName (pool, volume_name);
      look->volume = volume != NULL;
      if (volume != NULL)
        virStorageVolFree (volume);
      virStoragePoolFree (pool);
    }

  virResetLastError ();
  return NULL;
}

/* Removes machine @name, its disk and the pool, as a user deleting it all would. */
static gpointer
remove_all_thread (gpointer data)
{
  const char *name = data;
  virDomainPtr domain = virDomainLookupByName (e2e.plain, name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (e2e.plain, "greenhouse");

  if (domain != NULL)
    {
      if (virDomainIsActive (domain) == 1)
        virDomainDestroy (domain);
      virDomainUndefineFlags (domain, VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_TPM);
      virDomainFree (domain);
    }

  if (pool != NULL)
    {
      virStorageVolPtr *volumes = NULL;
      int n;

      virStoragePoolRefresh (pool, 0);
      n = virStoragePoolListAllVolumes (pool, &volumes, 0);
      for (int i = 0; i < n; i++)
        {
          virStorageVolDelete (volumes[i], 0);
          virStorageVolFree (volumes[i]);
        }
      free (volumes);
      virStoragePoolDestroy (pool);
      virStoragePoolDelete (pool, 0);
      virStoragePoolUndefine (pool);
      virStoragePoolFree (pool);
    }

  virResetLastError ();
  return NULL;
}

static void
remove_all (const char *name)
{
  g_autofree char *dir = greenhouse_dir ();
  g_autofree char *images = images_dir ();

  gh_test_in_thread (remove_all_thread, (gpointer) name);
  g_rmdir (images);
  g_rmdir (dir);
}

/* Nothing of machine @name: no domain, no pool (none was there before), no files. */
static void
assert_nothing_left (const char *name)
{
  g_autofree char *images = images_dir ();
  g_autofree char *file = g_strdup_printf ("%s/%s.qcow2", images, name);
  Look look = { .name = name };

  gh_test_in_thread (look_thread, &look);
  g_assert_false (look.domain);
  g_assert_false (look.pool);
  g_assert_false (look.volume);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (images, G_FILE_TEST_EXISTS));
  look_clear (&look);
}

/* ---- Creating ------------------------------------------------------------------------ */

/* What the wizard would make for @os, small enough for the test host. */
static GhDomainSpec *
spec_for (const char *name,
          OsinfoOs   *os)
{
  g_autoptr(GhDomainSpec) spec = gh_domain_spec_new ();
  g_autoptr(GhGraphicsPlan) plan = NULL;
  const GhGraphicsPath *path;
  GhOsRequirements req;

  gh_os_requirements_for_os (os, &req);
  plan = gh_graphics_planner_plan (os, gh_host_inventory_get_host (e2e.inventory),
                                   gh_connection_get_graphics_flags (e2e.connection),
                                   GH_GRAPHICS_PREFER_COMPATIBLE, FALSE);
  path = gh_graphics_plan_get_recommended (plan);
  g_assert_nonnull (path);

  spec->name = g_strdup (name);
  spec->os = os != NULL ? g_object_ref (os) : NULL;
  spec->memory = (guint64) 256 << 20;
  spec->vcpus = 1;
  spec->firmware = req.bios_supported ? GH_FIRMWARE_BIOS : GH_FIRMWARE_UEFI;
  spec->tpm = req.needs_tpm
              && gh_domain_caps_offers_tpm (gh_host_inventory_get_domain_caps (e2e.inventory));
  spec->display = gh_graphics_path_copy (path);
  return g_steal_pointer (&spec);
}

typedef struct
{
  GArray       *steps;
  GhCreateStep  cancel_at;
  GCancellable *cancellable;
} StepLog;

static void
on_step (GhMachineCreator *creator,
         GParamSpec       *pspec,
         StepLog          *log)
{
  GhCreateStep step = gh_machine_creator_get_step (creator);

  g_array_append_val (log->steps, step);
  if (log->cancel_at != GH_CREATE_STEP_NONE && step == log->cancel_at)
    g_cancellable_cancel (log->cancellable);
}

/* Creates @spec and waits; the steps seen on the main thread go to @steps. */
static char *
create (const GhDomainSpec  *spec,
        guint64              disk_size,
        const char          *import_path,
        gboolean             start,
        GhCreateStep         cancel_at,
        GArray             **steps,
        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  StepLog log = { g_array_new (FALSE, FALSE, sizeof (GhCreateStep)), cancel_at, cancellable };
  gulong handler;
  char *uuid;

  gh_machine_creator_create_async (e2e.creator, spec, disk_size, import_path, start,
                                   cancellable, gh_e2e_store_result, &result);
  /* After the call, which goes back to "none" at once: only the worker's steps count. */
  g_assert_cmpint (gh_machine_creator_get_step (e2e.creator), ==, GH_CREATE_STEP_NONE);
  handler = g_signal_connect (e2e.creator, "notify::step", G_CALLBACK (on_step), &log);
  gh_e2e_wait_until (result != NULL, CREATE_TIMEOUT_S, "creating “%s”", spec->name);
  g_signal_handler_disconnect (e2e.creator, handler);

  uuid = gh_machine_creator_create_finish (e2e.creator, result, error);
  if (steps != NULL)
    *steps = g_steal_pointer (&log.steps);
  else
    g_array_unref (log.steps);
  return uuid;
}

static void
prepare (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gh_machine_creator_prepare_async (e2e.creator, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, LOAD_TIMEOUT_S, "preparing to create on %s", URI);
  g_assert_true (gh_machine_creator_prepare_finish (e2e.creator, result, &error));
  g_assert_no_error (error);
}

/* ---- Tests ------------------------------------------------------------------------ */

static void
test_open (void)
{
  g_autoptr(GAsyncResult) inventory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *images = images_dir ();
  const GhCreateHost *host;

  e2e.connection = gh_e2e_open_with_os_db (URI, &e2e.os_db);

  e2e.inventory = g_object_ref (gh_connection_get_host_inventory (e2e.connection));
  gh_host_inventory_load_async (e2e.inventory, NULL, gh_e2e_store_result, &inventory);
  gh_e2e_wait_until (inventory != NULL, LOAD_TIMEOUT_S, "the inventory of %s", URI);
  g_assert_true (gh_host_inventory_load_finish (e2e.inventory, inventory, &error));
  g_assert_no_error (error);

  e2e.plain = gh_test_virt_open_in_thread (URI);
  if (e2e.plain == NULL)
    g_error ("virConnectOpen (%s) failed", URI);

  e2e.creator = gh_machine_creator_new (e2e.connection, e2e.inventory);
  g_assert_null (gh_machine_creator_get_host (e2e.creator));
  prepare ();

  host = gh_machine_creator_get_host (e2e.creator);
  g_assert_nonnull (host);
  g_assert_cmpuint (host->host_memory, >, 0);
  g_assert_cmpuint (host->host_cpus, >, 0);
  g_assert_cmpstr (host->pool_name, ==, "greenhouse");
  g_assert_cmpstr (host->pool_path, ==, images);
  g_assert_false (host->pool_exists);
  g_assert_cmpuint (host->pool_available, >, SMALL_DISK);
  g_assert_nonnull (host->taken_names);
}

typedef struct
{
  const char *short_id;   /* NULL: an OS libosinfo does not know */
  const char *name;
} DefineCase;

static const DefineCase define_cases[] = {
  { "win11",    DOMAIN_PREFIX "win11" },
  { "fedora37", DOMAIN_PREFIX "fedora37" },
  { NULL,       DOMAIN_PREFIX "unknown" },
};

static void
test_define (gconstpointer data)
{
  const DefineCase *c = data;
  OsinfoOs *os = c->short_id != NULL ? gh_test_lookup_os (e2e.os_db, c->short_id) : NULL;
  g_autoptr(GhDomainSpec) spec = spec_for (c->name, os);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *disk = gh_machine_creator_dup_disk_path (e2e.creator, c->name);
  g_autofree char *expected_xml = gh_machine_creator_dup_xml (e2e.creator, spec, NULL);
  Look look = { .name = c->name };

  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_NONE, &steps, &error);
  if (error != NULL)
    g_error ("libvirt refused the machine for %s: %s\n%s", c->short_id ? c->short_id : "an unknown OS",
             error->message, expected_xml);
  g_assert_nonnull (uuid);

  /* The progress view saw every step, in order, on the main thread. */
  g_assert_cmpuint (steps->len, ==, 4);
  g_assert_cmpint (g_array_index (steps, GhCreateStep, 0), ==, GH_CREATE_STEP_POOL);
  g_assert_cmpint (g_array_index (steps, GhCreateStep, 1), ==, GH_CREATE_STEP_VOLUME);
  g_assert_cmpint (g_array_index (steps, GhCreateStep, 2), ==, GH_CREATE_STEP_DEFINE);
  g_assert_cmpint (g_array_index (steps, GhCreateStep, 3), ==, GH_CREATE_STEP_DONE);

  gh_test_in_thread (look_thread, &look);
  g_assert_true (look.domain);
  g_assert_false (look.running);
  g_assert_true (look.pool);
  g_assert_true (look.volume);
  g_assert_true (g_file_test (disk, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (look.xml, disk));
  if (os != NULL)
    {
      g_autofree char *id = g_strdup_printf ("id=\"%s\"", osinfo_entity_get_id (OSINFO_ENTITY (os)));

      g_assert_nonnull (look.metadata);
      g_assert_nonnull (strstr (look.metadata, id));
    }
  else
    {
      g_assert_null (look.metadata);
    }
  if (spec->tpm)
    g_assert_nonnull (strstr (look.xml, "<tpm model='tpm-crb'>"));
  g_test_message ("%s: defined, TPM %s", c->name, spec->tpm ? "yes" : "no");
  look_clear (&look);

  remove_all (c->name);
  assert_nothing_left (c->name);
}

static void
test_rollback_pool (void)
{
  const char *name = DOMAIN_PREFIX "pool-fails";
  g_autoptr(GhDomainSpec) spec = spec_for (name, gh_test_lookup_os (e2e.os_db, "fedora37"));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = greenhouse_dir ();
  g_autofree char *uuid = NULL;

  /* The pool's directory cannot be made: its parent is read-only. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);

  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_NONE, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not prepare the storage"));
  g_assert_cmpint (gh_machine_creator_get_step (e2e.creator), ==, GH_CREATE_STEP_POOL);

  assert_nothing_left (name);
  /* What was there before stays. */
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_rollback_volume (void)
{
  const char *name = DOMAIN_PREFIX "too-large";
  g_autoptr(GhDomainSpec) spec = spec_for (name, gh_test_lookup_os (e2e.os_db, "fedora37"));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = greenhouse_dir ();
  g_autofree char *uuid = NULL;
  guint64 available = gh_machine_creator_get_host (e2e.creator)->pool_available;

  uuid = create (spec, available + ((guint64) 1 << 40), NULL, FALSE, GH_CREATE_STEP_NONE,
                 NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, GH_ERROR, GH_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not create the disk: "));
  g_assert_cmpint (gh_machine_creator_get_step (e2e.creator), ==, GH_CREATE_STEP_VOLUME);

  /* The pool it had made is gone again, with every directory it made. */
  assert_nothing_left (name);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
test_rollback_define (void)
{
  const char *name = DOMAIN_PREFIX "refused";
  g_autoptr(GhDomainSpec) spec = spec_for (name, gh_test_lookup_os (e2e.os_db, "fedora37"));
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;

  /* A display libvirt's schema refuses, after pool and volume were made. */
  g_free (spec->display->video_xml);
  spec->display->video_xml = g_strdup ("<video><model type='no-such-model'/></video>\n");

  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_NONE, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not create the machine: "));
  g_assert_nonnull (gh_error_get_detail (error));
  g_assert_cmpint (gh_machine_creator_get_step (e2e.creator), ==, GH_CREATE_STEP_DEFINE);

  assert_nothing_left (name);
}

static void
test_cancel (void)
{
  const char *name = DOMAIN_PREFIX "cancelled";
  g_autoptr(GhDomainSpec) spec = spec_for (name, gh_test_lookup_os (e2e.os_db, "fedora37"));
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *image = g_build_filename (g_get_tmp_dir (), "greenhouse-e2e-image.raw", NULL);
  g_autofree char *dir = greenhouse_dir ();
  int fd;

  /* An image big enough that its upload is still going when the main thread hears that
   * the disk step began, and cancels. */
  fd = g_open (image, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 512 << 20), ==, 0);
  close (fd);

  uuid = create (spec, 0, image, FALSE, GH_CREATE_STEP_VOLUME, NULL, &error);
  g_unlink (image);
  g_assert_null (uuid);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* assert_nothing_left() also finds the imported "<name>.img": the directory is gone. */
  assert_nothing_left (name);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
test_start (void)
{
  const char *name = DOMAIN_PREFIX "started";
  g_autoptr(GhDomainSpec) spec = spec_for (name, gh_test_lookup_os (e2e.os_db, "fedora37"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autofree char *uuid = NULL;
  Look look = { .name = name };

  uuid = create (spec, SMALL_DISK, NULL, TRUE, GH_CREATE_STEP_NONE, &steps, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  g_assert_cmpuint (steps->len, ==, 5);
  g_assert_cmpint (g_array_index (steps, GhCreateStep, 3), ==, GH_CREATE_STEP_START);

  /* An empty disk and no media: the firmware finds nothing to boot, but QEMU runs. */
  gh_test_in_thread (look_thread, &look);
  g_assert_true (look.domain);
  g_assert_true (look.running);
  look_clear (&look);

  remove_all (name);
  assert_nothing_left (name);
}

/* ---- The express install ------------------------------------------------------------ */

static char *
installer_iso (void)
{
  g_autofree char *iso = NULL;

  if (e2e.files == NULL)
    return NULL;
  iso = g_build_filename (e2e.files, "installer.iso", NULL);
  return g_file_test (iso, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&iso) : NULL;
}

/* What the wizard makes for the ISO with "install it for me": the media as identified. */
static GhDomainSpec *
express_spec_for (const char *name,
                  const char *iso)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GhMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GhDomainSpec *spec;

  gh_os_db_identify_media_async (e2e.os_db, iso, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, LOAD_TIMEOUT_S, "identifying %s", iso);
  info = gh_os_db_identify_media_finish (e2e.os_db, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->os_id, ==, "http://debian.org/debian/testing");
  g_assert_true (gh_express_install_supported (info->media, NULL));

  spec = spec_for (name, gh_test_lookup_os (e2e.os_db, "debiantesting"));
  /* Below about 780 MiB the amd64 installer enters its low-memory mode, which asks
   * other questions and proceeds in English whatever it is told. */
  spec->memory = (guint64) 1024 << 20;
  spec->cdrom_path = g_strdup (iso);
  spec->install_media = g_object_ref (info->media);
  spec->express = gh_express_config_new_for_user ();
  g_free (spec->express->user_login);
  spec->express->user_login = g_strdup (EXPRESS_LOGIN);
  spec->express->password = g_strdup ("e2e-password");
  g_free (spec->express->language);
  spec->express->language = g_strdup (EXPRESS_LANGUAGE);
  /* What the test types below is laid out for it. */
  g_free (spec->express->keyboard);
  spec->express->keyboard = g_strdup ("us");
  return spec;
}

typedef struct
{
  const char *name;
  gboolean    kernel;
  gboolean    initrd;
  gboolean    disk;
} InstallFiles;

static gpointer
install_files_thread (gpointer data)
{
  InstallFiles *files = data;
  virStoragePoolPtr pool = virStoragePoolLookupByName (e2e.plain, "greenhouse");
  const char *suffixes[] = { "-install-kernel", "-install-initrd", ".qcow2" };
  gboolean *found[] = { &files->kernel, &files->initrd, &files->disk };

  for (guint i = 0; pool != NULL && i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *volume_name = g_strconcat (files->name, suffixes[i], NULL);
      virStorageVolPtr volume;

      virStoragePoolRefresh (pool, 0);
      volume = virStorageVolLookupByName (pool, volume_name);
      *found[i] = volume != NULL;
      if (volume != NULL)
        virStorageVolFree (volume);
    }
  if (pool != NULL)
    virStoragePoolFree (pool);

  virResetLastError ();
  return NULL;
}

/* The install files of machine @name are gone, its disk is not; then nothing is. */
static void
assert_only_disk_left (const char *name)
{
  InstallFiles files = { .name = name };

  gh_test_in_thread (install_files_thread, &files);
  g_assert_false (files.kernel);
  g_assert_false (files.initrd);
  g_assert_true (files.disk);

  remove_all (name);
  assert_nothing_left (name);
}

/* Linux key codes (US layout) of what the test types into the installer's shell. */
static gboolean
key_for_char (char   c,
              guint *code,
              gboolean *shift)
{
  static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
  static const guint letter_codes[] = {
    30, 48, 46, 32, 18, 33, 34, 35, 23, 36, 37, 38, 50, 49, 24, 25, 16, 19, 31, 20, 22, 47,
    17, 45, 21, 44,
  };
  static const struct { char c; guint code; gboolean shift; } others[] = {
    { ' ', 57, FALSE }, { '-', 12, FALSE }, { '_', 12, TRUE }, { '/', 53, FALSE },
    { '.', 52, FALSE }, { '>', 52, TRUE }, { '\'', 40, FALSE }, { '&', 8, TRUE },
    { '|', 43, TRUE }, { '\n', 28, FALSE },
  };
  const char *letter = c != '\0' ? strchr (letters, g_ascii_tolower (c)) : NULL;

  if (letter != NULL)
    {
      *code = letter_codes[letter - letters];
      *shift = g_ascii_isupper (c);
      return TRUE;
    }
  /* KEY_1 is 2, ..., KEY_9 is 10, KEY_0 is 11. */
  if (c >= '1' && c <= '9')
    {
      *code = 2 + (c - '1');
      *shift = FALSE;
      return TRUE;
    }
  if (c == '0')
    {
      *code = 11;
      *shift = FALSE;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    if (others[i].c == c)
      {
        *code = others[i].code;
        *shift = others[i].shift;
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  const char *name;
  const char *text;
} Typing;

/* Switches to the installer's second console (Ctrl+Alt+F2), activates it, throws away
 * whatever is on the line (Ctrl+C) and types a line. A machine that is not running (yet,
 * or any more) just takes nothing; the serial port tells whether the shell got it. */
static gpointer
type_thread (gpointer data)
{
  Typing *typing = data;
  virDomainPtr domain = virDomainLookupByName (e2e.plain, typing->name);
  unsigned int vt2[] = { 29, 56, 60 };   /* KEY_LEFTCTRL, KEY_LEFTALT, KEY_F2 */
  unsigned int enter[] = { 28 };
  unsigned int ctrl_c[] = { 29, 46 };     /* KEY_LEFTCTRL, KEY_C */

  if (domain == NULL)
    goto out;

  virDomainSendKey (domain, VIR_KEYCODE_SET_LINUX, 50, vt2, G_N_ELEMENTS (vt2), 0);
  /* "Please press Enter to activate this console." */
  virDomainSendKey (domain, VIR_KEYCODE_SET_LINUX, 50, enter, 1, 0);
  virDomainSendKey (domain, VIR_KEYCODE_SET_LINUX, 50, ctrl_c, G_N_ELEMENTS (ctrl_c), 0);

  for (const char *p = typing->text; *p != '\0'; p++)
    {
      unsigned int keys[2];
      guint code = 0;
      gboolean shift = FALSE;
      int n = 0;

      g_assert_true (key_for_char (*p, &code, &shift));
      if (shift)
        keys[n++] = 42;   /* KEY_LEFTSHIFT */
      keys[n++] = code;
      if (virDomainSendKey (domain, VIR_KEYCODE_SET_LINUX, 30, keys, n, 0) < 0)
        break;
    }
  virDomainSendKey (domain, VIR_KEYCODE_SET_LINUX, 30, enter, 1, 0);

  virDomainFree (domain);
out:
  virResetLastError ();
  return NULL;
}

static void
type_line_into_installer (const char *line,
                          gpointer    user_data)
{
  Typing typing = { user_data, line };

  gh_test_in_thread (type_thread, &typing);
}

static GhMachine *
lookup_machine (const char *uuid)
{
  return gh_machine_list_lookup_by_uuid (gh_connection_get_machines (e2e.connection), uuid);
}

/* The whole express install of the Debian installer, made to finish at once: its own
 * shell checks that it got the answers and reboots, as the installer does when done. */
static void
test_express (void)
{
  const char *name = DOMAIN_PREFIX "express";
  g_autofree char *iso = installer_iso ();
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *expected_xml = NULL;
  g_autofree char *images = images_dir ();
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  Look look = { .name = name };
  InstallFiles files = { .name = name };
  g_autoptr(GhE2eSerial) serial = NULL;
  GhMachine *machine;

  if (iso == NULL)
    {
      g_test_skip ("no installer ISO in $GREENHOUSE_E2E_FILES");
      return;
    }

  spec = express_spec_for (name, iso);
  expected_xml = gh_machine_creator_dup_xml (e2e.creator, spec, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (expected_xml, spec->express->password));

  uuid = create (spec, SMALL_DISK, NULL, TRUE, GH_CREATE_STEP_NONE, &steps, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uuid);
  g_assert_cmpuint (steps->len, ==, 6);
  g_assert_cmpint (g_array_index (steps, GhCreateStep, 2), ==, GH_CREATE_STEP_EXPRESS);
  g_assert_cmpint (g_array_index (steps, GhCreateStep, 3), ==, GH_CREATE_STEP_DEFINE);

  /* The install phase: the installer with its answers, stopped by its reboot. */
  kernel = g_build_filename (images, DOMAIN_PREFIX "express-install-kernel", NULL);
  initrd = g_build_filename (images, DOMAIN_PREFIX "express-install-initrd", NULL);
  gh_test_in_thread (look_thread, &look);
  g_assert_true (look.running);
  {
    g_autofree char *kernel_xml = g_strdup_printf ("<kernel>%s</kernel>", kernel);
    g_autofree char *initrd_xml = g_strdup_printf ("<initrd>%s</initrd>", initrd);
    /* libvirt writes metadata back as libxml2 does, in double quotes. */
    g_autofree char *note = g_strdup_printf ("express-install kernel=\"%s\" initrd=\"%s\"",
                                             kernel, initrd);

    g_assert_nonnull (strstr (look.xml, kernel_xml));
    g_assert_nonnull (strstr (look.xml, initrd_xml));
    g_assert_nonnull (strstr (look.xml, "<cmdline>keyboard-configuration/xkb-keymap=us"));
    g_assert_nonnull (strstr (look.xml, "<on_reboot>destroy</on_reboot>"));
    g_assert_nonnull (strstr (look.xml, note));
    /* The review page showed what was made. */
    g_assert_nonnull (strstr (expected_xml, kernel_xml));
    g_assert_nonnull (strstr (expected_xml, initrd_xml));
    g_assert_nonnull (strstr (expected_xml, "<cmdline>keyboard-configuration/xkb-keymap=us"));
    g_assert_null (strstr (look.xml, spec->express->password));
  }
  look_clear (&look);
  gh_test_in_thread (install_files_thread, &files);
  g_assert_true (files.kernel);
  g_assert_true (files.initrd);
  g_assert_true (files.disk);

  gh_e2e_wait_until (lookup_machine (uuid) != NULL, OPEN_TIMEOUT_S, "the new machine's row");
  machine = lookup_machine (uuid);
  g_assert_true (gh_machine_get_installing (machine));

  /* The installer's shell checks that it got Greenhouse's answers, and reboots as the
   * installer does when it is done. What is typed goes only to a shell that answered on
   * the serial port. */
  gh_e2e_allow_outside_calls (TRUE);
  {
    virDomainPtr domain = virDomainLookupByName (e2e.plain, name);

    g_assert_nonnull (domain);
    gh_e2e_allow_outside_calls (FALSE);
    serial = gh_e2e_serial_open (domain, &error);
    gh_e2e_allow_outside_calls (TRUE);
    virDomainFree (domain);
  }
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_no_error (error);
  if (!gh_e2e_shell_run (serial, "/dev/ttyS0", type_line_into_installer, (gpointer) name,
                         "grep -q 'passwd/username " EXPRESS_LOGIN "' /preseed.cfg && "
                         "debconf-get debian-installer/locale | grep -q " EXPRESS_LANGUAGE " && "
                         "echo gh-answers-ok >/dev/ttyS0 && reboot",
                         "gh-answers-ok", INSTALL_TIMEOUT_S))
    g_error ("the installer's shell did not find Greenhouse's answers within %d s; its "
             "serial port said:\n%s", INSTALL_TIMEOUT_S, gh_e2e_serial_get_text (serial));
  gh_e2e_wait_until (!gh_machine_get_installing (machine), OPEN_TIMEOUT_S,
                     "Greenhouse to finish the install after the installer's reboot");

  /* Greenhouse booted the installed system by itself. */
  gh_e2e_wait_until (gh_machine_get_state (machine) == GH_MACHINE_STATE_RUNNING,
                     OPEN_TIMEOUT_S, "the installed system to start");
  gh_test_in_thread (look_thread, &look);
  g_assert_true (look.running);
  g_assert_null (strstr (look.xml, "<kernel>"));
  g_assert_null (strstr (look.xml, "<initrd>"));
  g_assert_null (strstr (look.xml, "<cmdline>"));
  g_assert_null (strstr (look.xml, "express-install"));
  g_assert_nonnull (strstr (look.xml, "<on_reboot>restart</on_reboot>"));
  g_assert_null (strstr (look.xml, iso));
  look_clear (&look);
  assert_only_disk_left (name);
}

/* A define refused after the express step takes the install files back too. */
static void
test_express_rollback (void)
{
  const char *name = DOMAIN_PREFIX "express-refused";
  g_autofree char *iso = installer_iso ();
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *dir = greenhouse_dir ();

  if (iso == NULL)
    {
      g_test_skip ("no installer ISO in $GREENHOUSE_E2E_FILES");
      return;
    }

  spec = express_spec_for (name, iso);
  g_free (spec->display->video_xml);
  spec->display->video_xml = g_strdup ("<video><model type='no-such-model'/></video>\n");

  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_NONE, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpint (gh_machine_creator_get_step (e2e.creator), ==, GH_CREATE_STEP_DEFINE);

  /* The pool goes only when it is empty: the install volumes went first. */
  assert_nothing_left (name);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* Cancelled while the installer is read out of the media. */
  g_clear_error (&error);
  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_EXPRESS, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_nothing_left (name);

  /* No password: the installer would ask, or leave the system open. */
  g_clear_error (&error);
  g_clear_pointer (&spec->express->password, g_free);
  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_NONE, NULL, &error);
  g_assert_null (uuid);
  g_assert_error (error, GH_ERROR, GH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Could not prepare the automatic installation: the user has no password");
  g_assert_cmpint (gh_machine_creator_get_step (e2e.creator), ==, GH_CREATE_STEP_EXPRESS);
  assert_nothing_left (name);
}

/* Deleting a machine mid-install takes its install files, even when its disk stays. */
static void
test_express_delete (void)
{
  const char *name = DOMAIN_PREFIX "express-deleted";
  g_autofree char *iso = installer_iso ();
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  GhMachine *machine;

  if (iso == NULL)
    {
      g_test_skip ("no installer ISO in $GREENHOUSE_E2E_FILES");
      return;
    }

  spec = express_spec_for (name, iso);
  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_NONE, NULL, &error);
  g_assert_no_error (error);
  gh_e2e_wait_until (lookup_machine (uuid) != NULL, OPEN_TIMEOUT_S, "the new machine's row");
  machine = lookup_machine (uuid);
  g_assert_true (gh_machine_get_installing (machine));
  /* Never started: not stopped by an installer, so nothing is finished. */
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);

  gh_machine_delete_async (machine, FALSE, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, CREATE_TIMEOUT_S, "deleting “%s”", name);
  g_assert_true (gh_machine_delete_finish (machine, result, &error));
  g_assert_no_error (error);

  assert_only_disk_left (name);
}

/* ---- A daemon that dies mid-way ----------------------------------------------------- */

/* Once a worker waits at the point armed before: kills the session daemon (SIGKILL: as
 * when it crashes), then lets the worker go on against the dead one. Returns how many
 * cleanups had run, for wait_for_cleanup(). */
static guint
kill_daemon_at_point (const char *point,
                      int         seconds)
{
  guint n_cleanups = _gh_connection_get_n_cleanups (e2e.connection);
  GPid daemon;

  gh_e2e_wait_until (_gh_test_point_is_reached (), seconds, "a worker at “%s”", point);

  /* The test's own connection dies with the daemon; it comes back after. */
  gh_test_virt_close_in_thread (g_steal_pointer (&e2e.plain));
  daemon = gh_e2e_find_session_daemon ();
  g_assert_cmpint (daemon, !=, 0);
  g_test_message ("killing the session daemon, pid %d, at %s", (int) daemon, point);
  g_assert_cmpint (kill (daemon, SIGKILL), ==, 0);
  gh_e2e_wait_for_death (daemon);
  _gh_test_point_release ();

  return n_cleanups;
}

/* Greenhouse reconnects by itself (a new daemon autostarts) and takes back what the
 * killed operation left; nothing stays to be taken back, nothing failed. */
static void
wait_for_cleanup (guint n_cleanups)
{
  g_autofree char *journal = _gh_cleanup_journal_dup_path_for_uri (URI);
  const GError *error;

  gh_e2e_wait_until (gh_connection_get_state (e2e.connection) == GH_CONNECTION_STATE_CONNECTED
                     && _gh_connection_get_n_cleanups (e2e.connection) > n_cleanups,
                     RECONNECT_TIMEOUT_S, "the reconnection and the cleanup after it");
  error = gh_connection_get_cleanup_error (e2e.connection);
  if (error != NULL)
    g_error ("the cleanup after the reconnection failed: %s", error->message);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));

  e2e.plain = gh_test_virt_open_in_thread (URI);
  g_assert_nonnull (e2e.plain);
}

typedef struct
{
  const char *point;     /* where the daemon dies */
  gboolean    express;
  gboolean    start;
  const char *name;
} KillCase;

/* Each step of a create: the pool defined but not built (which, left, stops every later
 * create), the disk made, the initrd with the password made but not written, the
 * machine defined but not started. */
static const KillCase kill_cases[] = {
  { "storage-pool-defined", FALSE, FALSE, DOMAIN_PREFIX "killed-pool" },
  { "create-volume-made",   FALSE, FALSE, DOMAIN_PREFIX "killed-volume" },
  { "create-upload-initrd", TRUE,  FALSE, DOMAIN_PREFIX "killed-upload" },
  { "create-defined",       FALSE, TRUE,  DOMAIN_PREFIX "killed-define" },
};

static void
test_kill_create (gconstpointer data)
{
  const KillCase *c = data;
  g_autofree char *iso = installer_iso ();
  g_autofree char *dir = greenhouse_dir ();
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  guint n_cleanups;

  if (c->express && iso == NULL)
    {
      g_test_skip ("no installer ISO in $GREENHOUSE_E2E_FILES");
      return;
    }
  spec = c->express ? express_spec_for (c->name, iso)
                    : spec_for (c->name, gh_test_lookup_os (e2e.os_db, "fedora37"));

  _gh_test_point_arm (c->point);
  gh_machine_creator_create_async (e2e.creator, spec, SMALL_DISK, NULL, c->start, NULL,
                                   gh_e2e_store_result, &result);
  n_cleanups = kill_daemon_at_point (c->point, CREATE_TIMEOUT_S);

  gh_e2e_wait_until (result != NULL, CREATE_TIMEOUT_S, "the end of creating “%s”", c->name);
  uuid = gh_machine_creator_create_finish (e2e.creator, result, &error);
  g_assert_null (uuid);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);

  wait_for_cleanup (n_cleanups);
  assert_nothing_left (c->name);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* Killed between the undefine and the deletion of the volumes: the disk and the
 * install files (the initrd holds the password) go after the reconnection. */
static void
test_kill_delete (void)
{
  const char *name = DOMAIN_PREFIX "killed-delete";
  g_autofree char *iso = installer_iso ();
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  InstallFiles files = { .name = name };
  Look look = { .name = name };
  GhMachine *machine;
  guint n_cleanups;

  spec = iso != NULL ? express_spec_for (name, iso)
                     : spec_for (name, gh_test_lookup_os (e2e.os_db, "fedora37"));
  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_NONE, NULL, &error);
  g_assert_no_error (error);
  gh_e2e_wait_until (lookup_machine (uuid) != NULL, OPEN_TIMEOUT_S, "the new machine's row");
  machine = lookup_machine (uuid);

  _gh_test_point_arm ("delete-undefined");
  gh_machine_delete_async (machine, TRUE, NULL, gh_e2e_store_result, &result);
  n_cleanups = kill_daemon_at_point ("delete-undefined", CREATE_TIMEOUT_S);
  gh_e2e_wait_until (result != NULL, CREATE_TIMEOUT_S, "the end of deleting “%s”", name);
  g_assert_false (gh_machine_delete_finish (machine, result, &error));
  g_test_message ("%s", error->message);

  wait_for_cleanup (n_cleanups);
  gh_test_in_thread (look_thread, &look);
  g_assert_false (look.domain);
  g_assert_false (look.volume);
  look_clear (&look);
  gh_test_in_thread (install_files_thread, &files);
  g_assert_false (files.kernel);
  g_assert_false (files.initrd);
  g_assert_false (files.disk);

  remove_all (name);
  assert_nothing_left (name);
}

/* Killed between the define that ends the install phase and the deletion of the
 * installer's kernel and initrd, which nothing names any more: they go after the
 * reconnection, the installed disk stays. */
static void
test_kill_finish (void)
{
  const char *name = DOMAIN_PREFIX "killed-finish";
  g_autofree char *iso = installer_iso ();
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  Look look = { .name = name };
  GhMachine *machine;
  guint n_cleanups;

  if (iso == NULL)
    {
      g_test_skip ("no installer ISO in $GREENHOUSE_E2E_FILES");
      return;
    }

  spec = express_spec_for (name, iso);
  uuid = create (spec, SMALL_DISK, NULL, FALSE, GH_CREATE_STEP_NONE, NULL, &error);
  g_assert_no_error (error);
  gh_e2e_wait_until (lookup_machine (uuid) != NULL
                     && gh_machine_get_installing (lookup_machine (uuid)),
                     OPEN_TIMEOUT_S, "the new machine's row, installing");
  machine = lookup_machine (uuid);

  /* Finished as the user asks for it ("Start Installed System"): the same worker as
   * after the installer's own reboot, without running the installer. */
  _gh_test_point_arm ("finish-defined");
  gh_machine_finish_install_async (machine, NULL, gh_e2e_store_result, &result);
  n_cleanups = kill_daemon_at_point ("finish-defined", CREATE_TIMEOUT_S);
  gh_e2e_wait_until (result != NULL, CREATE_TIMEOUT_S, "the end of finishing “%s”", name);
  g_assert_false (gh_machine_finish_install_finish (machine, result, &error));
  g_test_message ("%s", error->message);

  wait_for_cleanup (n_cleanups);
  gh_test_in_thread (look_thread, &look);
  g_assert_true (look.domain);
  g_assert_null (strstr (look.xml, "<kernel>"));
  look_clear (&look);
  assert_only_disk_left (name);
}

static void
test_names (void)
{
  g_autofree char *free_name = gh_machine_creator_suggest_name (e2e.creator, DOMAIN_PREFIX "x");
  g_autofree char *disk = gh_machine_creator_dup_disk_path (e2e.creator, "fedora");
  g_autofree char *images = images_dir ();
  g_autofree char *expected = g_build_filename (images, "fedora.qcow2", NULL);

  g_assert_cmpstr (free_name, ==, DOMAIN_PREFIX "x");
  g_assert_cmpstr (disk, ==, expected);
}

static void
test_close (void)
{
  g_clear_object (&e2e.creator);
  g_clear_object (&e2e.inventory);
  gh_connection_close (e2e.connection);
  g_clear_object (&e2e.connection);
  gh_test_virt_close_in_thread (g_steal_pointer (&e2e.plain));
}

int
main (int   argc,
      char *argv[])
{
  if (!gh_e2e_init (&argc, &argv, "/e2e/create"))
    return g_test_run ();
  e2e.files = g_getenv ("GREENHOUSE_E2E_FILES");

  g_test_add_func ("/e2e/create/open", test_open);
  g_test_add_func ("/e2e/create/names", test_names);
  for (guint i = 0; i < G_N_ELEMENTS (define_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/e2e/create/define-%s",
                                               define_cases[i].short_id != NULL
                                               ? define_cases[i].short_id : "unknown");

      g_test_add_data_func (path, &define_cases[i], test_define);
    }
  g_test_add_func ("/e2e/create/rollback-pool", test_rollback_pool);
  g_test_add_func ("/e2e/create/rollback-volume", test_rollback_volume);
  g_test_add_func ("/e2e/create/rollback-define", test_rollback_define);
  g_test_add_func ("/e2e/create/cancel", test_cancel);
  g_test_add_func ("/e2e/create/start", test_start);
  g_test_add_func ("/e2e/create/express-rollback", test_express_rollback);
  g_test_add_func ("/e2e/create/express-delete", test_express_delete);
  g_test_add_func ("/e2e/create/express", test_express);
  for (guint i = 0; i < G_N_ELEMENTS (kill_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/e2e/create/killed-at-%s", kill_cases[i].point);

      g_test_add_data_func (path, &kill_cases[i], test_kill_create);
    }
  g_test_add_func ("/e2e/create/killed-at-delete-undefined", test_kill_delete);
  g_test_add_func ("/e2e/create/killed-at-finish-defined", test_kill_finish);
  g_test_add_func ("/e2e/create/close", test_close);

  return g_test_run ();
}
