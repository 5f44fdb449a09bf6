/* gh-ui-util.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-ui-util.h"

char *
gh_connection_dup_display_name (GhConnection *connection)
{
  const char *uri;
  g_autoptr(GUri) parsed = NULL;
  const char *host;
  const char *path;

  g_return_val_if_fail (GH_IS_CONNECTION (connection), NULL);

  uri = gh_connection_get_uri (connection);
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return g_strdup (uri);

  host = g_uri_get_host (parsed);
  path = g_uri_get_path (parsed);

  if (host == NULL || host[0] == '\0')
    {
      if (g_str_has_prefix (g_uri_get_scheme (parsed), "qemu"))
        {
          if (g_strcmp0 (path, "/session") == 0)
            return g_strdup (_("User session"));
          if (g_strcmp0 (path, "/system") == 0)
            return g_strdup (_("System"));
        }
      else if (g_strcmp0 (g_uri_get_scheme (parsed), "test") == 0 && path != NULL)
        {
          g_autofree char *base = g_path_get_basename (path);

          /* libvirt's test driver: "default", or a file of machines. */
          if (g_strcmp0 (path, "/default") == 0)
            return g_strdup (_("Test driver"));
          /* Translators: %s is a file name, like "machines.xml" */
          return g_strdup_printf (_("Test driver: %s"), base);
        }
      return g_strdup (uri);
    }

  if (g_uri_get_user (parsed) != NULL)
    return g_strdup_printf ("%s@%s", g_uri_get_user (parsed), host);

  return g_strdup (host);
}

const char *
gh_connection_state_get_label (GhConnectionState state)
{
  switch (state)
    {
    case GH_CONNECTION_STATE_DISCONNECTED:
      return _("Not connected");
    case GH_CONNECTION_STATE_CONNECTING:
      return _("Connecting…");
    case GH_CONNECTION_STATE_CONNECTED:
      return _("Connected");
    case GH_CONNECTION_STATE_FAILED:
      return _("Could not connect");
    case GH_CONNECTION_STATE_LOST:
      return _("Connection lost");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
gh_uri_check (const char  *text,
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
