/* gh-express-install-private.h: the express install's parts, for src/core and its tests
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-express-install.h"

G_BEGIN_DECLS

/* What the installer gets: a file for the root of its initrd and its kernel's command
 * line. @text holds the password: it is never logged and never written into XML. */
typedef struct
{
  char *filename;   /* "preseed.cfg", "fedora.ks" */
  char *text;
  char *cmdline;
} GhExpressScript;

void                 _gh_express_script_clear        (GhExpressScript       *script);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GhExpressScript, _gh_express_script_clear)

/* The install script Greenhouse uses for @media ("desktop" profile first, else "jeos"),
 * set to be injected through the initrd; NULL with @reason when there is none. */
OsinfoInstallScript *_gh_express_find_script         (OsinfoMedia           *media,
                                                      char                 **reason);

/* A host name from a machine's name: "Debian 12 (2)" → "debian-12-2". */
char                *_gh_express_dup_hostname        (const char            *machine_name);

/* The names of the two volumes the install phase boots from. */
char                *_gh_express_dup_kernel_volume   (const char            *machine_name);
char                *_gh_express_dup_initrd_volume   (const char            *machine_name);

/* Fills @script for @media from @config; @target_disk (NULL: the script's own default)
 * is the guest's name of the disk to install on. Pure but for libosinfo's XSLT. */
gboolean             _gh_express_generate            (OsinfoMedia           *media,
                                                      const GhExpressConfig *config,
                                                      const char            *machine_name,
                                                      const char            *target_disk,
                                                      GhExpressScript       *script,
                                                      GError               **error);

/* Only the kernel's command line of _gh_express_generate(): no password needed. */
char                *_gh_express_dup_cmdline         (OsinfoMedia           *media,
                                                      const GhExpressConfig *config,
                                                      const char            *machine_name,
                                                      const char            *target_disk,
                                                      GError               **error);

/* The guest's name of the disk gh_domain_builder_build() gives @os, when the install
 * script's default (/dev/vda) is not it; else NULL. */
const char          *_gh_express_target_disk         (OsinfoOs              *os);

/* gh-express-install-boot.c */

/* Copies the files @members (paths inside the ISO 9660 image @iso_path, as libosinfo
 * names them) to @fds, one pass over the image; fails on a file over its @max_sizes,
 * and between blocks when @cancellable is cancelled. */
gboolean             _gh_express_extract             (const char            *iso_path,
                                                      const char * const    *members,
                                                      const int             *fds,
                                                      const goffset         *max_sizes,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

/* Appends to @fd (an initrd) a gzip-compressed cpio "newc" archive that holds @filename
 * with @text at its root: the kernel unpacks concatenated archives in order. */
gboolean             _gh_express_append_to_initrd    (int                    fd,
                                                      const char            *filename,
                                                      const char            *text,
                                                      GError               **error);

/* Worker: the kernel and initrd of @media (on @iso_path), the initrd with @script added,
 * in two new temporary files that have no name, so no copy of the password outlives
 * them; returns their descriptors, at their start, for the caller to close. */
gboolean             _gh_express_write_boot_files    (const char            *iso_path,
                                                      OsinfoMedia           *media,
                                                      const GhExpressScript *script,
                                                      int                   *kernel_fd,
                                                      int                   *initrd_fd,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

G_END_DECLS
