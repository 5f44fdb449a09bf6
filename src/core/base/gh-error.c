/* gh-error.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include <libvirt/virterror.h>

#include "gh-error-private.h"

/* Every GhError carries, beside its message ("Could not start “vm”: <why>"), the why on
 * its own, so that the UI can title a banner with what failed and show the reason below
 * it without taking a translated message apart. */
typedef struct
{
  char *what;
  char *detail;
} GhErrorPrivate;

static void
gh_error_private_init (GhErrorPrivate *priv)
{
}

static void
gh_error_private_copy (const GhErrorPrivate *src,
                       GhErrorPrivate       *dest)
{
  dest->what = g_strdup (src->what);
  dest->detail = g_strdup (src->detail);
}

static void
gh_error_private_clear (GhErrorPrivate *priv)
{
  g_clear_pointer (&priv->what, g_free);
  g_clear_pointer (&priv->detail, g_free);
}

G_DEFINE_EXTENDED_ERROR (GhError, gh_error)

/**
 * gh_error_get_detail:
 *
 * Returns: (transfer none): why @error happened, in words a person can read: libvirt's
 *   own reason where it gave one. For errors of other domains, their message.
 */
const char *
gh_error_get_detail (const GError *error)
{
  GhErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = gh_error_get_private (error);
  if (priv != NULL && priv->detail != NULL)
    return priv->detail;

  return error->message;
}

/**
 * gh_error_new:
 * @what: what failed ("Could not start “name”"), or %NULL
 * @detail: why, in words a user understands
 *
 * Returns: a new #GhError reading "@what: @detail", whose gh_error_get_detail() is @detail.
 */
GError *
gh_error_new (GhError     code,
              const char *what,
              const char *detail)
{
  GError *error;

  g_return_val_if_fail (detail != NULL, NULL);

  if (what != NULL)
    error = g_error_new (GH_ERROR, code, "%s: %s", what, detail);
  else
    error = g_error_new_literal (GH_ERROR, code, detail);

  gh_error_get_private (error)->what = g_strdup (what);
  gh_error_get_private (error)->detail = g_strdup (detail);
  return error;
}

/**
 * gh_error_get_what:
 *
 * Returns: what failed ("Could not start “name”"), the part of the message before the
 * detail, or %NULL when the error was made without one.
 */
const char *
gh_error_get_what (const GError *error)
{
  GhErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = gh_error_get_private (error);
  return priv != NULL ? priv->what : NULL;
}

void
_gh_error_set (GError     **error,
               GhError      code,
               const char  *what,
               const char  *detail)
{
  g_return_if_fail (detail != NULL);

  if (error != NULL)
    g_propagate_error (error, gh_error_new (code, what, detail));
}

void
_gh_error_set_from_libvirt (GError     **error,
                            GhError      code,
                            const char  *what)
{
  virErrorPtr err = virGetLastError ();

  g_return_if_fail (what != NULL);

  /* libvirt's message is the reason a person needs; ours says what we were doing. */
  _gh_error_set (error, code, what,
                 err != NULL && err->message != NULL ? err->message
                                                     : _("unknown libvirt error"));
  virResetLastError ();
}
