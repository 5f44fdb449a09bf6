/* gh-storage.c: the pool new disks go to, and the volumes Greenhouse makes in it
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "gh-error-private.h"
#include "gh-storage.h"
#include "gh-test-point-private.h"
#include "gh-xml-private.h"

#define GREENHOUSE_POOL "greenhouse"
#define DEFAULT_POOL    "default"
/* Where libvirt's own "default" pool lives when a system daemon makes it. */
#define LIBVIRT_IMAGES  "/var/lib/libvirt/images"

void
_gh_storage_place_clear (GhStoragePlace *place)
{
  g_clear_pointer (&place->name, g_free);
  g_clear_pointer (&place->path, g_free);
}

void
_gh_storage_undo_clear (GhStorageUndo *undo)
{
  g_clear_pointer (&undo->first_dir, g_free);
  undo->defined = FALSE;
  undo->started = FALSE;
}

/* ---- Looking ---------------------------------------------------------------------- */

static char *
pool_dup_path (virStoragePoolPtr pool)
{
  g_autofree char *desc = virStoragePoolGetXMLDesc (pool, 0);

  if (desc == NULL)
    return NULL;

  return _gh_xml_parse_dup_string (desc, "string(/pool/target/path)");
}

/* Free bytes of the file system @path is (or would be) on: its nearest existing
 * ancestor's. */
static guint64
local_available (const char *path)
{
  g_autofree char *dir = g_strdup (path);

  while (dir != NULL)
    {
      struct statvfs st;
      char *parent;

      if (statvfs (dir, &st) == 0)
        return (guint64) st.f_bavail * (guint64) st.f_frsize;

      parent = g_path_get_dirname (dir);
      if (g_str_equal (parent, dir))
        {
          g_free (parent);
          break;
        }
      g_free (dir);
      dir = parent;
    }

  return G_MAXUINT64;
}

gboolean
_gh_storage_pool_available (virStoragePoolPtr  pool,
                            guint64           *available,
                            GError           **error)
{
  virStoragePoolInfo info;

  /* Refresh first: libvirt's figure is from the pool's last refresh. */
  if (virStoragePoolIsActive (pool) == 1)
    virStoragePoolRefresh (pool, 0);
  virResetLastError ();

  if (virStoragePoolGetInfo (pool, &info) < 0)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, _("Could not read the storage pool"));
      return FALSE;
    }

  *available = info.available;
  return TRUE;
}

gboolean
_gh_storage_find_place (virConnectPtr    conn,
                        gboolean         session,
                        gboolean         local,
                        GhStoragePlace  *place,
                        GError         **error)
{
  static const char * const system_names[] = { DEFAULT_POOL, GREENHOUSE_POOL };
  const char * const session_names[] = { GREENHOUSE_POOL };
  const char * const *names = session ? session_names : system_names;
  guint n_names = session ? G_N_ELEMENTS (session_names) : G_N_ELEMENTS (system_names);

  memset (place, 0, sizeof *place);

  for (guint i = 0; i < n_names; i++)
    {
      virStoragePoolPtr pool = virStoragePoolLookupByName (conn, names[i]);
      g_autofree char *path = NULL;

      if (pool == NULL)
        continue;

      path = pool_dup_path (pool);
      if (path == NULL)
        {
          _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE,
                                      _("Could not read the storage pool"));
          virStoragePoolFree (pool);
          return FALSE;
        }

      place->name = g_strdup (names[i]);
      place->path = g_steal_pointer (&path);
      place->exists = TRUE;
      if (virStoragePoolIsActive (pool) != 1
          || !_gh_storage_pool_available (pool, &place->available, NULL))
        place->available = local ? local_available (place->path) : G_MAXUINT64;
      virStoragePoolFree (pool);
      return TRUE;
    }
  /* Not finding a pool is no error. */
  virResetLastError ();

  place->name = g_strdup (GREENHOUSE_POOL);
  /* A remote session daemon's home is not ours: the path names its user data dir only
   * when it runs here. Remote session connections are not offered creation yet. */
  if (session)
    place->path = g_build_filename (g_get_user_data_dir (), "greenhouse", "images", NULL);
  else
    place->path = g_strdup (LIBVIRT_IMAGES);
  place->exists = FALSE;
  place->available = local ? local_available (place->path) : G_MAXUINT64;
  return TRUE;
}

/* ---- Making the pool ---------------------------------------------------------------- */

/* The outermost directory of @path that does not exist yet, or NULL. */
static char *
first_missing_dir (const char *path)
{
  g_autofree char *dir = g_strdup (path);
  char *missing = NULL;

  while (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      char *parent = g_path_get_dirname (dir);

      g_free (missing);
      missing = g_steal_pointer (&dir);
      if (g_str_equal (parent, missing))
        {
          g_free (parent);
          break;
        }
      dir = parent;
    }

  return missing;
}

void
_gh_storage_remove_made_dirs (const char *path,
                              const char *first)
{
  g_autofree char *dir = g_strdup (path);

  if (first == NULL)
    return;

  while (g_str_has_prefix (dir, first))
    {
      char *parent;

      if (g_rmdir (dir) != 0 && errno != ENOENT)
        break;
      if (g_str_equal (dir, first))
        break;
      parent = g_path_get_dirname (dir);
      g_free (dir);
      dir = parent;
    }
}

gboolean
_gh_storage_undo_pool (virStoragePoolPtr  pool,
                       GhStorageUndo     *undo)
{
  gboolean done = TRUE;

  if (pool != NULL && (undo->defined || undo->started))
    {
      if (virStoragePoolIsActive (pool) == 1 && virStoragePoolDestroy (pool) < 0)
        done = FALSE;
      if (undo->defined)
        {
          char *path = pool_dup_path (pool);

          /* Delete removes the (empty) directory Build made; it fails harmlessly when
           * Build never got that far. */
          virStoragePoolDelete (pool, VIR_STORAGE_POOL_DELETE_NORMAL);
          done = virStoragePoolUndefine (pool) == 0;
          if (path != NULL)
            _gh_storage_remove_made_dirs (path, undo->first_dir);
          g_free (path);
        }
      virResetLastError ();
    }

  _gh_storage_undo_clear (undo);
  return done;
}

char *
_gh_storage_dup_first_missing_dir (const char *path)
{
  return first_missing_dir (path);
}

virStoragePoolPtr
_gh_storage_ensure_pool (virConnectPtr          conn,
                         const GhStoragePlace  *place,
                         gboolean               local,
                         GhStorageUndo         *undo,
                         GError               **error)
{
  const char *what = _("Could not prepare the storage for disks");
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool;

  memset (undo, 0, sizeof *undo);

  pool = virStoragePoolLookupByName (conn, place->name);
  if (pool == NULL)
    {
      virResetLastError ();

      /* libvirt's Build makes the directory and any missing parent; locally we note the
       * outermost one it will make, so that taking the pool back takes them too. */
      if (local)
        undo->first_dir = first_missing_dir (place->path);

      xml = g_markup_printf_escaped ("<pool type='dir'>\n"
                                     "  <name>%s</name>\n"
                                     "  <target>\n"
                                     "    <path>%s</path>\n"
                                     "  </target>\n"
                                     "</pool>\n", place->name, place->path);
      pool = virStoragePoolDefineXML (conn, xml, 0);
      if (pool == NULL)
        {
          _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
          _gh_storage_undo_clear (undo);
          return NULL;
        }
      undo->defined = TRUE;
      _gh_test_point ("storage-pool-defined");

      if (virStoragePoolBuild (pool, VIR_STORAGE_POOL_BUILD_NEW) < 0)
        goto failed;
    }

  if (virStoragePoolIsActive (pool) != 1)
    {
      if (virStoragePoolCreate (pool, 0) < 0)
        goto failed;
      undo->started = TRUE;
    }

  /* A pool we made should be there after a reboot too, as the machine is. */
  if (undo->defined && virStoragePoolSetAutostart (pool, 1) < 0)
    goto failed;

  return pool;

failed:
  _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
  _gh_storage_undo_pool (pool, undo);
  virStoragePoolFree (pool);
  return NULL;
}

/* ---- Volumes ------------------------------------------------------------------------ */

virStorageVolPtr
_gh_storage_create_volume (virStoragePoolPtr   pool,
                           const char         *name,
                           const char         *format,
                           guint64             capacity,
                           GError            **error)
{
  g_autofree char *xml = NULL;
  virStorageVolPtr volume;

  xml = g_markup_printf_escaped ("<volume>\n"
                                 "  <name>%s</name>\n"
                                 "  <capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>\n"
                                 "  <target>\n"
                                 "    <format type='%s'/>\n"
                                 "  </target>\n"
                                 "</volume>\n", name, capacity, format);
  volume = virStorageVolCreateXML (pool, xml, 0);
  if (volume == NULL)
    _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, _("Could not create the disk"));

  return volume;
}

typedef struct
{
  int           fd;
  GCancellable *cancellable;
  int           saved_errno;
} UploadSource;

static int
upload_read (virStreamPtr  stream,
             char         *data,
             size_t        nbytes,
             void         *opaque)
{
  UploadSource *source = opaque;
  gssize n;

  if (g_cancellable_is_cancelled (source->cancellable))
    return -1;

  do
    n = read (source->fd, data, nbytes);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    source->saved_errno = errno;

  return (int) n;
}

gboolean
_gh_storage_upload (virConnectPtr      conn,
                    virStorageVolPtr   volume,
                    const char        *path,
                    GCancellable      *cancellable,
                    GError           **error)
{
  gboolean ok;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      _gh_error_set (error, GH_ERROR_STORAGE, _("Could not copy the disk image"),
                     g_strerror (errno));
      return FALSE;
    }

  ok = _gh_storage_upload_fd (conn, volume, fd, cancellable, error);
  close (fd);
  return ok;
}

gboolean
_gh_storage_upload_fd (virConnectPtr      conn,
                       virStorageVolPtr   volume,
                       int                fd,
                       GCancellable      *cancellable,
                       GError           **error)
{
  const char *what = _("Could not copy the disk image");
  UploadSource source = { fd, cancellable, 0 };
  virStreamPtr stream;
  int ret;

  stream = virStreamNew (conn, 0);
  if (stream == NULL || virStorageVolUpload (volume, stream, 0, 0, 0) < 0)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
      if (stream != NULL)
        virStreamFree (stream);
      return FALSE;
    }

  ret = virStreamSendAll (stream, upload_read, &source);
  if (ret == 0)
    ret = virStreamFinish (stream);

  if (ret < 0)
    {
      if (g_cancellable_is_cancelled (cancellable))
        g_cancellable_set_error_if_cancelled (cancellable, error);
      else if (source.saved_errno != 0)
        _gh_error_set (error, GH_ERROR_STORAGE, what, g_strerror (source.saved_errno));
      else
        _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
      /* SendAll aborts the stream itself when the source fails. */
      virResetLastError ();
    }

  virStreamFree (stream);
  return ret == 0;
}

gboolean
_gh_storage_volume_stands_alone (virStoragePoolPtr   pool,
                                 virStorageVolPtr    volume,
                                 const char         *format,
                                 GError            **error)
{
  const char *what = _("Could not copy the disk image");
  g_autofree char *desc = NULL;
  g_autofree char *backing = NULL;
  g_autofree char *seen = NULL;

  /* libvirt reads a directory pool's files again only when it refreshes; it refuses to
   * while another volume of the pool is being built, which does not last. */
  for (guint tries = 0; virStoragePoolRefresh (pool, 0) < 0; tries++)
    {
      if (tries == 30)
        {
          _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
          return FALSE;
        }
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }
  virResetLastError ();

  desc = virStorageVolGetXMLDesc (volume, 0);
  if (desc == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE, what);
      return FALSE;
    }

  backing = _gh_xml_parse_dup_string (desc, "string(/volume/backingStore/path)");
  seen = _gh_xml_parse_dup_string (desc, "string(/volume/target/format/@type)");
  /* libvirt names the format it finds; a raw image may be an ISO's bytes. */
  if (backing != NULL
      || (seen != NULL && !g_str_equal (seen, format)
          && !(g_str_equal (format, "raw") && g_str_equal (seen, "iso"))))
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what,
                     _("the image changed while it was copied, and no longer stands alone"));
      return FALSE;
    }

  return TRUE;
}
