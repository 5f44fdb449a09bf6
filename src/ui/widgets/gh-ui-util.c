/* gh-ui-util.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-ui-util.h"

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

AdwToast *
gh_error_toast_new (const char *what,
                    const char *reason,
                    const char *details_action)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (reason == NULL || details_action != NULL, NULL);

  /* A toast's title is markup in libadwaita 1.2, and machine names may hold '<' or '&'. */
  escaped = g_markup_escape_text (what, -1);
  toast = adw_toast_new (escaped);
  if (reason != NULL)
    {
      adw_toast_set_timeout (toast, 10);
      adw_toast_set_button_label (toast, _("_Details"));
      adw_toast_set_action_name (toast, details_action);
      adw_toast_set_action_target_value (toast, g_variant_new ("(ss)", what, reason));
    }

  return toast;
}

void
gh_error_dialog_present (GtkWidget *parent,
                         GVariant  *parameter)
{
  const char *what;
  const char *reason;
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (g_variant_is_of_type (parameter, G_VARIANT_TYPE ("(ss)")));

  g_variant_get (parameter, "(&s&s)", &what, &reason);

  dialog = adw_message_dialog_new (GTK_WINDOW (parent), what, reason);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* What a display path is called wherever one is offered: the wizard, the settings. */
const char *
gh_graphics_path_kind_get_title (GhGraphicsPathKind kind)
{
  switch (kind)
    {
    case GH_GRAPHICS_PATH_VIRGL:
      return _("3D Acceleration (virtio-gpu with virgl)");
    case GH_GRAPHICS_PATH_VIRTIO_2D:
      return _("Virtio GPU, Without 3D");
    case GH_GRAPHICS_PATH_QXL:
      return _("QXL");
    case GH_GRAPHICS_PATH_VGA:
      return _("Standard VGA");
    case GH_GRAPHICS_PATH_VFIO:
      return _("A Whole Host GPU (passthrough)");
    case GH_GRAPHICS_PATH_MDEV:
      return _("A Share of a Host GPU (mediated device)");
    default:
      g_return_val_if_reached (NULL);
    }
}

void
gh_widget_activate_machine_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GhMachine  *machine)
{
  GhConnection *connection;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (action_name != NULL);
  g_return_if_fail (GH_IS_MACHINE (machine));

  connection = gh_connection_get_for_machine (machine);
  if (connection == NULL)
    return;

  gtk_widget_activate_action (widget, action_name, "(ss)", gh_connection_get_uri (connection),
                              gh_machine_get_uuid (machine));
}
