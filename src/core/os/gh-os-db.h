/* gh-os-db.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

#define GH_TYPE_OS_DB (gh_os_db_get_type ())

/* The libosinfo database. Loading it takes a while, so it loads in a worker thread;
 * :loaded turns TRUE on the main thread once lookups can answer. */
G_DECLARE_FINAL_TYPE (GhOsDb, gh_os_db, GH, OS_DB, GObject)

GhOsDb     *gh_os_db_get_default   (void);
gboolean    gh_os_db_get_loaded    (GhOsDb      *self);
void        gh_os_db_load_async    (GhOsDb              *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean    gh_os_db_load_finish   (GhOsDb        *self,
                                    GAsyncResult  *result,
                                    GError       **error);
/* Returns the OS's name ("Fedora 37") for a libosinfo id, or NULL if it is unknown
 * or the database is not loaded yet. */
const char *gh_os_db_get_os_name   (GhOsDb      *self,
                                    const char  *os_id);
/* The OS with this libosinfo id or short id ("http://microsoft.com/win/11", "win11"), or
 * NULL if it is unknown or the database is not loaded yet. */
OsinfoOs   *gh_os_db_lookup_os     (GhOsDb      *self,
                                    const char  *id);

/* ---- install media ---------------------------------------------------------------- */

/* What a file of install media is, as libosinfo tells. */
typedef struct
{
  char     *path;
  char     *os_id;       /* libosinfo id; NULL when libosinfo does not know the OS */
  char     *os_name;     /* "Fedora 29"; NULL when the OS is unknown */
  char     *volume_id;   /* the ISO 9660 volume label; NULL when it has none */
  gboolean  installer;   /* it installs an OS */
  gboolean  live;        /* it runs an OS without installing it */
  OsinfoMedia *media;    /* libosinfo's view of it, for an express install; NULL: unknown */
} GhMediaInfo;

#define GH_TYPE_MEDIA_INFO (gh_media_info_get_type ())

GType        gh_media_info_get_type        (void) G_GNUC_CONST;
GhMediaInfo *gh_media_info_copy            (const GhMediaInfo *info);
void         gh_media_info_free            (GhMediaInfo       *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhMediaInfo, gh_media_info_free)

/* Reads @path in a worker thread (libosinfo's osinfo_media_create_from_location) and
 * identifies it against the database, loading the database first if needed. A file that
 * cannot be read or is not ISO 9660 install media fails with a GhError whose message a
 * person can read; media of an OS libosinfo does not know succeeds with os_id NULL. */
void         gh_os_db_identify_media_async  (GhOsDb              *self,
                                             const char          *path,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GhMediaInfo *gh_os_db_identify_media_finish (GhOsDb              *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* ---- choosing an OS --------------------------------------------------------------- */

/* Every OS of the database (OsinfoOs), newest release first, then by name; empty until
 * the database is loaded, then filled once. OSes past their end of life are in it too. */
GListModel  *gh_os_db_get_oses             (GhOsDb      *self);
/* Whether @os's end of life is before today (an OS without an end-of-life date is not). */
gboolean     gh_os_db_os_is_eol            (OsinfoOs    *os);
/* Whether every word of @search is in @os's name, short id or vendor, ignoring case and
 * accents ("fedora 37", "win 11", "ubuntu lts"). An empty @search matches everything. */
gboolean     gh_os_db_os_matches           (OsinfoOs    *os,
                                            const char  *search);

/* ---- what an OS needs ------------------------------------------------------------- */

/* libosinfo's resources, firmware and devices for one OS on x86_64; a NULL OS (not known)
 * gets safe defaults. Sizes in bytes. */
typedef struct
{
  guint64  minimum_memory;
  guint64  recommended_memory;
  guint    minimum_cpus;
  guint    recommended_cpus;
  guint64  minimum_storage;
  guint64  recommended_storage;
  gboolean uefi_supported;   /* boots with UEFI */
  gboolean bios_supported;   /* boots with BIOS */
  gboolean needs_tpm;        /* will not install without a TPM 2.0 (Windows 11) */
  gboolean virtio_disk;      /* has a virtio-blk driver */
  gboolean virtio_net;
  gboolean virtio_rng;
  gboolean virtio_balloon;
  gboolean q35;              /* the q35 machine type rather than i440fx */
} GhOsRequirements;

void         gh_os_requirements_for_os     (OsinfoOs         *os,
                                            GhOsRequirements *requirements);

G_END_DECLS
