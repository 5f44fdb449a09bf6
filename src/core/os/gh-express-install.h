/* gh-express-install.h: an operating system that installs itself
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

/* What the installer is told, so that it asks nothing. */
typedef struct
{
  char *user_login;     /* required */
  char *user_realname;  /* NULL: the login */
  char *password;       /* required: the user's, and the administrator's */
  char *hostname;       /* NULL: made from the machine's name */
  char *language;       /* "de_DE"; NULL: this session's */
  char *timezone;       /* "Europe/Berlin"; NULL: this host's */
  char *keyboard;       /* an X11 layout, "us"; NULL: this session's, else "us" */
} GhExpressConfig;

#define GH_TYPE_EXPRESS_CONFIG (gh_express_config_get_type ())

GType            gh_express_config_get_type     (void) G_GNUC_CONST;
/* The login, real name, language, time zone and keyboard of the person running
 * Greenhouse; no password. */
GhExpressConfig *gh_express_config_new_for_user (void);
GhExpressConfig *gh_express_config_copy         (const GhExpressConfig *config);
void             gh_express_config_free         (GhExpressConfig       *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhExpressConfig, gh_express_config_free)

/* Whether the OS on @media can install itself: libosinfo has an install script for it
 * whose injection Greenhouse can do, and the media says where its kernel and initrd
 * are. FALSE with @reason set to a sentence a person can read (translated). */
gboolean         gh_express_install_supported   (OsinfoMedia           *media,
                                                 char                 **reason);

/* Whether the installer of @media takes every answer of @config (a NULL language, time
 * zone or keyboard: this session's) exactly as it is, so that the installed system has
 * this login and this password and no other. FALSE with @error, whose message is a
 * sentence a person can read (translated), saying which answer and why. */
gboolean         gh_express_config_check        (const GhExpressConfig *config,
                                                 OsinfoMedia           *media,
                                                 GError               **error);

G_END_DECLS
