/* gh-error.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GH_ERROR (gh_error_quark ())

typedef enum
{
  GH_ERROR_FAILED,
  GH_ERROR_CONNECTION_FAILED,  /* the URI could not be opened */
  GH_ERROR_CONNECTION_LOST,    /* the daemon went away */
  GH_ERROR_NOT_CONNECTED,      /* an action was asked of a closed connection */
  GH_ERROR_NOT_FOUND,          /* the machine no longer exists */
  GH_ERROR_INVALID_STATE,      /* the machine is not in a state that allows the action */
  GH_ERROR_STORAGE,            /* a volume could not be removed */
  GH_ERROR_NOT_SUPPORTED,      /* Greenhouse cannot do this (yet) with this machine */
  GH_ERROR_DISPLAY,            /* the machine's display refused or dropped us */
  GH_ERROR_UNKNOWN_OS,         /* no operating system has that libosinfo id */
  GH_ERROR_CONFLICT,           /* another program changed what an edit was about to change */
  GH_ERROR_NOT_KEPT,           /* libvirt stored an edit otherwise than asked: it was undone */
} GhError;

GQuark      gh_error_quark      (void);
GError     *gh_error_new        (GhError       code,
                                 const char   *what,
                                 const char   *detail);
const char *gh_error_get_what   (const GError *error);
const char *gh_error_get_detail (const GError *error);

G_END_DECLS
