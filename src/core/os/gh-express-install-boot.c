/* gh-express-install-boot.c: the installer's kernel and initrd, out of the install media
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* O_TMPFILE */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "gh-error-private.h"
#include "gh-express-install-private.h"

/* "install.amd/vmlinuz", whether written "/install.amd/vmlinuz" or "./install.amd/vmlinuz". */
static const char *
skip_root (const char *path)
{
  while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
    path += path[0] == '/' ? 1 : 2;
  return path;
}

/* Plain ISO 9660 names (no Rock Ridge, no Joliet) are upper case, may end in ";1" and a
 * name without an extension in "." */
static gboolean
same_member (const char *entry,
             const char *member)
{
  g_autofree char *plain = NULL;
  char *end;

  entry = skip_root (entry);
  if (g_str_equal (entry, member))
    return TRUE;

  plain = g_strdup (entry);
  end = strrchr (plain, ';');
  if (end != NULL)
    *end = '\0';
  if (g_str_has_suffix (plain, "."))
    plain[strlen (plain) - 1] = '\0';
  return g_ascii_strcasecmp (plain, member) == 0;
}

/* Copies the entry @archive stands on into @fd, a block at a time, stopping past
 * @max_size bytes or when @cancellable is cancelled. */
static gboolean
copy_member (struct archive  *archive,
             int              fd,
             goffset          size,
             goffset          max_size,
             GCancellable    *cancellable,
             GError         **error)
{
  const char *what = _("Could not read the installer from the install media");
  goffset written = 0;

  for (;;)
    {
      const void *block;
      size_t len;
      la_int64_t offset;
      int ret;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      ret = archive_read_data_block (archive, &block, &len, &offset);
      /* A file may end in a hole too. */
      if (ret == ARCHIVE_EOF && size > written && ftruncate (fd, size) != 0)
        {
          _gh_error_set (error, GH_ERROR_FAILED, what, g_strerror (errno));
          return FALSE;
        }
      if (ret == ARCHIVE_EOF)
        return TRUE;
      if (ret != ARCHIVE_OK && ret != ARCHIVE_WARN)
        {
          _gh_error_set (error, GH_ERROR_FAILED, what, archive_error_string (archive));
          return FALSE;
        }

      /* A sparse hole (zisofs) is zeros up to @offset. */
      if (offset < written || (goffset) offset > max_size || (goffset) len > max_size - offset)
        {
          _gh_error_set (error, GH_ERROR_FAILED, what,
                         _("the installer on it is much larger than an installer can be"));
          return FALSE;
        }
      if (offset > written
          && (ftruncate (fd, offset) != 0 || lseek (fd, offset, SEEK_SET) != offset))
        {
          _gh_error_set (error, GH_ERROR_FAILED, what, g_strerror (errno));
          return FALSE;
        }

      for (size_t done = 0; done < len;)
        {
          gssize n = write (fd, (const char *) block + done, len - done);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              _gh_error_set (error, GH_ERROR_FAILED, what, g_strerror (n < 0 ? errno : ENOSPC));
              return FALSE;
            }
          done += n;
        }
      written = offset + len;
    }
}

gboolean
_gh_express_extract (const char          *iso_path,
                     const char * const  *members,
                     const int           *fds,
                     const goffset       *max_sizes,
                     GCancellable        *cancellable,
                     GError             **error)
{
  const char *what = _("Could not read the installer from the install media");
  struct archive *archive;
  struct archive_entry *entry;
  guint n_members = g_strv_length ((char **) members);
  g_autofree gboolean *found = g_new0 (gboolean, n_members);
  guint n_found = 0;
  gboolean ok = FALSE;
  int ret;

  archive = archive_read_new ();
  archive_read_support_format_iso9660 (archive);
  if (archive_read_open_filename (archive, iso_path, 64 * 1024) != ARCHIVE_OK)
    {
      _gh_error_set (error, GH_ERROR_FAILED, what, archive_error_string (archive));
      goto out;
    }

  while (n_found < n_members && (ret = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (name == NULL || archive_entry_filetype (entry) != AE_IFREG)
        continue;

      for (guint i = 0; i < n_members; i++)
        {
          if (found[i] || !same_member (name, skip_root (members[i])))
            continue;
          /* The size the image claims (a zisofs file's, once expanded) is refused before
           * a byte is written; copy_member() holds the bytes to it too. */
          if (archive_entry_size_is_set (entry) && archive_entry_size (entry) > max_sizes[i])
            {
              _gh_error_set (error, GH_ERROR_FAILED, what,
                             _("the installer on it is much larger than an installer can be"));
              goto out;
            }
          if (!copy_member (archive, fds[i],
                            archive_entry_size_is_set (entry) ? archive_entry_size (entry) : 0,
                            max_sizes[i], cancellable, error))
            goto out;
          found[i] = TRUE;
          n_found++;
          break;
        }
    }

  if (n_found < n_members)
    {
      for (guint i = 0; i < n_members; i++)
        if (!found[i])
          {
            g_autofree char *detail = NULL;

            if (archive_errno (archive) != 0)
              {
                _gh_error_set (error, GH_ERROR_FAILED, what, archive_error_string (archive));
                goto out;
              }
            /* Translators: %s is a file's path inside the install media */
            detail = g_strdup_printf (_("it has no file “%s”"), members[i]);
            _gh_error_set (error, GH_ERROR_FAILED, what, detail);
            goto out;
          }
    }

  ok = TRUE;

out:
  archive_read_free (archive);
  return ok;
}

gboolean
_gh_express_append_to_initrd (int          fd,
                              const char  *filename,
                              const char  *text,
                              GError     **error)
{
  const char *what = _("Could not add the answers to the installer");
  struct archive *archive;
  struct archive_entry *entry;
  gsize len = strlen (text);
  gboolean ok = FALSE;

  if (lseek (fd, 0, SEEK_END) < 0)
    {
      _gh_error_set (error, GH_ERROR_FAILED, what, g_strerror (errno));
      return FALSE;
    }

  archive = archive_write_new ();
  entry = archive_entry_new ();
  if (archive_write_set_format_cpio_newc (archive) != ARCHIVE_OK
      || archive_write_add_filter_gzip (archive) != ARCHIVE_OK
      /* No padding to a tape block after the compressed stream. */
      || archive_write_set_bytes_in_last_block (archive, 1) != ARCHIVE_OK
      || archive_write_open_fd (archive, fd) != ARCHIVE_OK)
    goto failed;

  archive_entry_set_pathname (entry, filename);
  archive_entry_set_filetype (entry, AE_IFREG);
  /* Only root reads it, inside the installer. */
  archive_entry_set_perm (entry, 0600);
  archive_entry_set_nlink (entry, 1);
  archive_entry_set_size (entry, (la_int64_t) len);
  if (archive_write_header (archive, entry) != ARCHIVE_OK
      || archive_write_data (archive, text, len) != (la_ssize_t) len
      || archive_write_close (archive) != ARCHIVE_OK)
    goto failed;

  ok = TRUE;
  goto out;

failed:
  _gh_error_set (error, GH_ERROR_FAILED, what, archive_error_string (archive));
out:
  archive_entry_free (entry);
  archive_write_free (archive);
  return ok;
}

/* A file in the temporary directory that has no name from the start (O_TMPFILE), or
 * loses it at once: it goes with its last descriptor, even if Greenhouse dies. */
static int
open_temporary (GError **error)
{
  const char *what = _("Could not prepare the automatic installation");
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  int fd;

  fd = open (g_get_tmp_dir (), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    return fd;

  fd = g_file_open_tmp ("greenhouse-install-XXXXXX", &path, &local_error);
  if (fd < 0)
    {
      _gh_error_set (error, GH_ERROR_FAILED, what, local_error->message);
      return -1;
    }
  if (g_unlink (path) != 0)
    {
      int saved = errno;

      close (fd);
      g_unlink (path);
      _gh_error_set (error, GH_ERROR_FAILED, what, g_strerror (saved));
      return -1;
    }
  return fd;
}

gboolean
_gh_express_write_boot_files (const char             *iso_path,
                              OsinfoMedia            *media,
                              const GhExpressScript  *script,
                              int                    *kernel_fd,
                              int                    *initrd_fd,
                              GCancellable           *cancellable,
                              GError                **error)
{
  const char *what = _("Could not prepare the automatic installation");
  /* Far above any installer's: Debian's kernel is 8 MB and Fedora's 14 MB, their initrds
   * 40 and 100 MB, Ubuntu desktop's casper initrd 110 MB. A file claiming more is not
   * an installer, but an image built to fill the temporary directory. */
  const goffset max_sizes[2] = { G_GOFFSET_CONSTANT (128) << 20, G_GOFFSET_CONSTANT (1) << 30 };
  const char *members[3] = { NULL };
  int fds[2] = { -1, -1 };
  gboolean ok = FALSE;

  members[0] = osinfo_media_get_kernel_path (media);
  members[1] = osinfo_media_get_initrd_path (media);
  if (members[0] == NULL || members[1] == NULL)
    {
      _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, what,
                     _("Greenhouse does not know where the installer is on this media"));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      fds[i] = open_temporary (error);
      if (fds[i] < 0)
        goto out;
    }

  if (!_gh_express_extract (iso_path, members, fds, max_sizes, cancellable, error)
      || !_gh_express_append_to_initrd (fds[1], script->filename, script->text, error))
    goto out;

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    if (lseek (fds[i], 0, SEEK_SET) != 0)
      {
        _gh_error_set (error, GH_ERROR_FAILED, what, g_strerror (errno));
        goto out;
      }

  *kernel_fd = g_steal_fd (&fds[0]);
  *initrd_fd = g_steal_fd (&fds[1]);
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    if (fds[i] >= 0)
      close (fds[i]);
  return ok;
}
