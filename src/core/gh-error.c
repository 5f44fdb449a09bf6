/* gh-error.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-core-private.h"

G_DEFINE_QUARK (gh-error-quark, gh_error)

void
_gh_error_set_from_libvirt (GError     **error,
                            GhError      code,
                            const char  *what)
{
  virErrorPtr err = virGetLastError ();

  g_return_if_fail (what != NULL);

  /* libvirt's message is the reason a person needs; ours says what we were doing. */
  if (err != NULL && err->message != NULL)
    g_set_error (error, GH_ERROR, code, "%s: %s", what, err->message);
  else
    g_set_error (error, GH_ERROR, code, "%s: %s", what, _("unknown libvirt error"));

  virResetLastError ();
}
