/* gh-image.c: what a disk image file is, from its own bytes
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "gh-error-private.h"
#include "gh-image.h"
#include "gh-text.h"

/* An imported image becomes a volume that QEMU opens on the daemon's side, with the
 * daemon's rights. A qcow2 may name other files (a backing file, an external data file),
 * and so may VMDK descriptors, QED, VHDX and the rest: imported as they are, a
 * downloaded "appliance" could read any file the daemon can. Only images that stand
 * alone are taken, and the format is the content's, never the file name's. The qcow2
 * checks follow QEMU's docs/interop/qcow2.txt. */

#define QCOW_MAGIC            "QFI\xfb"
#define QCOW2_V2_HEADER       72
#define QCOW2_V3_HEADER       104
#define QCOW2_MIN_CLUSTER     9
#define QCOW2_MAX_CLUSTER     21
#define QCOW2_MAX_L1_BYTES    (32 << 20)   /* QEMU's QCOW_MAX_L1_SIZE */

/* Incompatible feature bits. */
#define QCOW2_CORRUPT         (G_GUINT64_CONSTANT (1) << 1)
#define QCOW2_DATA_FILE       (G_GUINT64_CONSTANT (1) << 2)
#define QCOW2_EXTENDED_L2     (G_GUINT64_CONSTANT (1) << 4)
#define QCOW2_KNOWN_FEATURES  (G_GUINT64_CONSTANT (0x1f))

/* Header extensions. */
#define QCOW2_EXT_END         0x00000000
#define QCOW2_EXT_CRYPTO      0x0537be77
#define QCOW2_EXT_DATA_FILE   0x44415441

typedef struct
{
  int          fd;
  guint64      size;
  const char  *path;
  const char  *what;
} Image;

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint64
be64 (const guint8 *p)
{
  return ((guint64) be32 (p) << 32) | be32 (p + 4);
}

/* Reads @len bytes at @offset; FALSE (and @error) when the file cannot be read, FALSE
 * with no error when it ends before. */
static gboolean
read_at (Image    *image,
         guint64   offset,
         void     *buf,
         gsize     len,
         GError  **error)
{
  gsize done = 0;

  if (offset > image->size || len > image->size - offset)
    return FALSE;

  while (done < len)
    {
      gssize n = pread (image->fd, (guint8 *) buf + done, len - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          _gh_error_set (error, GH_ERROR_STORAGE, image->what, g_strerror (errno));
          return FALSE;
        }
      if (n == 0)
        return FALSE;
      done += (gsize) n;
    }

  return TRUE;
}

static gboolean
refuse (Image       *image,
        GError     **error,
        const char  *detail)
{
  _gh_error_set (error, GH_ERROR_NOT_SUPPORTED, image->what, detail);
  return FALSE;
}

/* A file name read out of a header, as the user's message shows it. */
static char *
dup_named_file (Image    *image,
                guint64   offset,
                guint32   len)
{
  g_autofree char *name = NULL;

  if (len == 0 || len > 4096)
    return NULL;

  name = g_malloc0 ((gsize) len + 1);
  if (!read_at (image, offset, name, len, NULL))
    return NULL;

  return gh_text_dup_display (name);
}

static gboolean
refuse_other_file (Image       *image,
                   GError     **error,
                   const char  *file,
                   gboolean     data_file)
{
  g_autofree char *detail = NULL;

  if (data_file)
    detail = file != NULL
             /* Translators: a file name */
             ? g_strdup_printf (_("it keeps its contents in another file, “%s”; "
                                  "only an image that stands alone can be imported"), file)
             : g_strdup (_("it keeps its contents in another file; "
                           "only an image that stands alone can be imported"));
  else
    detail = file != NULL
             /* Translators: a file name */
             ? g_strdup_printf (_("it holds only changes to another file, “%s”; "
                                  "only an image that stands alone can be imported"), file)
             : g_strdup (_("it holds only changes to another file; "
                           "only an image that stands alone can be imported"));
  return refuse (image, error, detail);
}

static gboolean
inspect_qcow2 (Image        *image,
               const guint8 *head,
               gsize         head_len,
               GhImageInfo  *info,
               GError      **error)
{
  const char *cut_short = _("its qcow2 header is cut short: the file is incomplete or damaged");
  const char *damaged = _("its qcow2 header is damaged");
  guint32 version, cluster_bits, backing_len, crypt, l1_entries, refcount_clusters;
  guint64 backing_offset, size, l1_offset, refcount_offset, features = 0;
  guint64 cluster, header_len, l2_entries, l1_needed, ext;

  if (head_len < QCOW2_V2_HEADER)
    return refuse (image, error, cut_short);

  version = be32 (head + 4);
  if (version == 1)
    return refuse (image, error, _("it is in the old qcow format (version 1), which "
                                   "Greenhouse does not import; convert it to qcow2 first"));
  if (version != 2 && version != 3)
    return refuse (image, error, _("it is in a qcow2 version this computer does not know"));

  backing_offset = be64 (head + 8);
  backing_len = be32 (head + 16);
  cluster_bits = be32 (head + 20);
  size = be64 (head + 24);
  crypt = be32 (head + 32);
  l1_entries = be32 (head + 36);
  l1_offset = be64 (head + 40);
  refcount_offset = be64 (head + 48);
  refcount_clusters = be32 (head + 56);

  header_len = QCOW2_V2_HEADER;
  if (version == 3)
    {
      if (head_len < QCOW2_V3_HEADER)
        return refuse (image, error, cut_short);
      features = be64 (head + 72);
      header_len = be32 (head + 100);
      if (header_len < QCOW2_V3_HEADER)
        return refuse (image, error, damaged);
    }

  /* What would reach another file comes first: it is the reason that matters most. */
  if (backing_offset != 0 || backing_len != 0)
    {
      g_autofree char *file = dup_named_file (image, backing_offset, backing_len);

      return refuse_other_file (image, error, file, FALSE);
    }

  if (cluster_bits < QCOW2_MIN_CLUSTER || cluster_bits > QCOW2_MAX_CLUSTER)
    return refuse (image, error, damaged);
  cluster = G_GUINT64_CONSTANT (1) << cluster_bits;
  if (header_len > cluster)
    return refuse (image, error, damaged);
  if (header_len > image->size)
    return refuse (image, error, cut_short);

  /* Header extensions sit between the header and the end of the first cluster. */
  ext = header_len;
  while (ext + 8 <= cluster)
    {
      guint8 ext_head[8];
      guint32 type, len;

      if (!read_at (image, ext, ext_head, sizeof ext_head, error))
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          return refuse (image, error, cut_short);
        }
      type = be32 (ext_head);
      len = be32 (ext_head + 4);
      if (type == QCOW2_EXT_END)
        break;
      if (len > cluster - ext - 8)
        return refuse (image, error, damaged);
      if (type == QCOW2_EXT_DATA_FILE)
        {
          g_autofree char *file = dup_named_file (image, ext + 8, len);

          return refuse_other_file (image, error, file, TRUE);
        }
      if (type == QCOW2_EXT_CRYPTO)
        crypt = G_MAXUINT32;
      ext += 8 + (((guint64) len + 7) & ~G_GUINT64_CONSTANT (7));
    }

  if ((features & QCOW2_DATA_FILE) != 0)
    return refuse_other_file (image, error, NULL, TRUE);
  if (crypt != 0)
    return refuse (image, error, _("it is encrypted, which Greenhouse cannot import yet"));
  if ((features & QCOW2_CORRUPT) != 0)
    return refuse (image, error, _("QEMU found it damaged and marked it so; "
                                   "repair it first (qemu-img check -r all)"));
  if ((features & ~QCOW2_KNOWN_FEATURES) != 0)
    return refuse (image, error, _("it uses qcow2 features this computer does not know"));

  /* The tables it needs must be where the header says, whole, inside the file: a size
   * or an offset that points past the end is a damaged or cut image. */
  if (size == 0 || size > (guint64) G_MAXINT64)
    return refuse (image, error, _("its qcow2 header gives an impossible disk size"));
  l2_entries = cluster / ((features & QCOW2_EXTENDED_L2) != 0 ? 16 : 8);
  l1_needed = (size + cluster * l2_entries - 1) / (cluster * l2_entries);
  if ((guint64) l1_entries < l1_needed || (guint64) l1_entries * 8 > QCOW2_MAX_L1_BYTES)
    return refuse (image, error, _("its qcow2 header gives an impossible disk size"));
  if (l1_offset % cluster != 0 || refcount_offset == 0 || refcount_offset % cluster != 0
      || refcount_clusters == 0)
    return refuse (image, error, damaged);
  if (l1_offset > image->size || (guint64) l1_entries * 8 > image->size - l1_offset
      || refcount_offset > image->size
      || (guint64) refcount_clusters > (image->size - refcount_offset) / cluster)
    return refuse (image, error, cut_short);

  info->format = "qcow2";
  info->virtual_size = size;
  return TRUE;
}

/* Formats QEMU would also open, that may name other files or that we do not take. */
static const char *
other_format (const guint8 *head,
              gsize         head_len)
{
  static const struct { guint offset; const char *magic; gsize len; const char *name; } magics[] = {
    { 0, "KDMV", 4, "VMDK" },
    { 0, "# Disk DescriptorFile", 21, "VMDK" },
    { 0, "COWD", 4, "VMDK" },
    { 0x40, "\x7f\x10\xda\xbe", 4, "VirtualBox (VDI)" },
    { 0, "vhdxfile", 8, "Hyper-V (VHDX)" },
    { 0, "conectix", 8, "Virtual PC (VHD)" },
    { 0, "QED\0", 4, "QED" },
    { 0, "LUKS\xba\xbe", 6, "LUKS" },
    { 0, "WithoutFreeSpace", 16, "Parallels" },
    { 0, "WithouFreSpacExt", 16, "Parallels" },
    { 0, "Bochs Virtual HD Image", 22, "Bochs" },
    { 0, "OOOM", 4, "QEMU COW" },
    { 0, "#!/bin/sh\n#V2.0 Format", 22, "cloop" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    if (magics[i].offset + magics[i].len <= head_len
        && memcmp (head + magics[i].offset, magics[i].magic, magics[i].len) == 0)
      return magics[i].name;

  return NULL;
}

gboolean
gh_image_inspect (const char   *path,
                  GhImageInfo  *info,
                  GError      **error)
{
  g_autofree char *display = NULL;
  g_autofree char *what = NULL;
  guint8 head[QCOW2_V3_HEADER];
  Image image = { -1, 0, path, NULL };
  GStatBuf st;
  const char *other;
  gboolean ok = FALSE;
  gsize head_len;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (info, 0, sizeof *info);
  display = g_filename_display_basename (path);
  /* Translators: a file name */
  what = g_strdup_printf (_("Could not use the disk image “%s”"), display);
  image.what = what;

  image.fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (image.fd < 0 || fstat (image.fd, &st) != 0)
    {
      int saved = errno;

      _gh_error_set (error, GH_ERROR_STORAGE, what, g_strerror (saved));
      goto out;
    }
  if (!S_ISREG (st.st_mode))
    {
      refuse (&image, error, _("it is not a file"));
      goto out;
    }
  image.size = (guint64) st.st_size;
  if (image.size == 0)
    {
      refuse (&image, error, _("it is empty"));
      goto out;
    }

  head_len = MIN (sizeof head, image.size);
  memset (head, 0, sizeof head);
  if (!read_at (&image, 0, head, head_len, error))
    {
      if (error == NULL || *error == NULL)
        _gh_error_set (error, GH_ERROR_STORAGE, what, _("the file changed while it was read"));
      goto out;
    }

  info->file_size = image.size;
  if (head_len >= 4 && memcmp (head, QCOW_MAGIC, 4) == 0)
    {
      ok = inspect_qcow2 (&image, head, head_len, info, error);
      goto out;
    }

  other = other_format (head, head_len);
  if (other != NULL)
    {
      /* Translators: the name of a disk image format, like "VMDK" */
      g_autofree char *detail = g_strdup_printf (_("it is a %s image, which Greenhouse cannot "
                                                   "import yet; convert it to qcow2 first"),
                                                 other);

      refuse (&image, error, detail);
      goto out;
    }

  info->format = "raw";
  info->virtual_size = image.size;
  ok = TRUE;

out:
  if (image.fd >= 0)
    close (image.fd);
  if (!ok)
    memset (info, 0, sizeof *info);
  return ok;
}
