/* gh-image.h: what a disk image file is, from its own bytes
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What gh_image_inspect() found in a file that can be imported as it is. */
typedef struct
{
  const char *format;        /* "qcow2" or "raw": what the content is, whatever the name says */
  guint64     file_size;     /* bytes of the file */
  guint64     virtual_size;  /* bytes the guest sees */
} GhImageInfo;

/* Reads the headers of the local file @path (a few KiB; it blocks: call it in a worker)
 * and accepts it only if it stands alone: a raw image, or a sound qcow2 without a
 * backing file, an external data file or encryption. Anything else (a qcow2 over another
 * file, a header cut short or with impossible sizes, VMDK, VDI, VHDX and the other formats
 * QEMU would follow to other files) is refused with the reason, as a GH_ERROR_NOT_SUPPORTED
 * (GH_ERROR_STORAGE when the file cannot be read). */
gboolean            gh_image_inspect             (const char      *path,
                                                  GhImageInfo     *info,
                                                  GError         **error);

G_END_DECLS
