/* gh-link.c: what a worker may hold of a libvirt connection
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "gh-error-private.h"
#include "gh-link-private.h"

struct _GhLink
{
  /* Fixed at creation. */
  char     *uri;
  guint     remote : 1;
  guint     session : 1;
  guint     system : 1;
  guint     this_machine : 1;

  /* Guarded by @lock: the main thread sets it, any thread reads it. */
  GMutex         lock;
  virConnectPtr  conn;        /* borrowed from the connection */
};

static void
gh_link_clear (GhLink *self)
{
  g_assert (self->conn == NULL);

  g_free (self->uri);
  g_mutex_clear (&self->lock);
}

GhLink *
_gh_link_new (const char *uri)
{
  GhLink *self;
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  self = g_atomic_rc_box_new0 (GhLink);
  self->uri = g_strdup (uri);
  g_mutex_init (&self->lock);

  parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, NULL);
  if (parsed != NULL)
    {
      const char *host = g_uri_get_host (parsed);
      const char *path = g_uri_get_path (parsed);

      self->remote = host != NULL && host[0] != '\0';
      self->session = g_strcmp0 (path, "/session") == 0;
      self->system = g_strcmp0 (path, "/system") == 0;
    }
  self->this_machine = !self->remote
                       && (g_str_has_prefix (uri, "qemu:") || g_str_has_prefix (uri, "qemu+unix:"));

  return self;
}

GhLink *
gh_link_ref (GhLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
gh_link_unref (GhLink *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) gh_link_clear);
}

const char *
gh_link_get_uri (GhLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->uri;
}

gboolean
gh_link_is_remote (GhLink *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->remote;
}

gboolean
gh_link_is_session (GhLink *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->session;
}

gboolean
gh_link_is_system (GhLink *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->system;
}

gboolean
gh_link_is_this_machine (GhLink *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->this_machine;
}

virConnectPtr
gh_link_dup_virconnect (GhLink  *self,
                        GError **error)
{
  virConnectPtr conn;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  conn = self->conn;
  if (conn != NULL)
    virConnectRef (conn);
  g_mutex_unlock (&self->lock);

  if (conn == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("Not connected to “%s”"), self->uri);

      _gh_error_set (error, GH_ERROR_NOT_CONNECTED, NULL, detail);
    }

  return conn;
}

void
_gh_link_set_virconnect (GhLink        *self,
                         virConnectPtr  conn)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->conn = conn;
  g_mutex_unlock (&self->lock);
}

gboolean
gh_link_check_uri (const char  *text,
                   GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *p;

  if (text == NULL || text[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter a connection address"));
      return FALSE;
    }

  for (p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The address must not contain spaces"));
          return FALSE;
        }
    }

  /* libvirt URIs always name a driver and have "//" after it: "qemu:///system",
   * "qemu+ssh://user@host/system", "test:///default". */
  if (g_uri_peek_scheme (text) == NULL || strstr (text, "://") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The address must start with a driver, as in qemu:///system"));
      return FALSE;
    }

  parsed = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("This is not a valid connection address"));
      return FALSE;
    }

  return TRUE;
}
