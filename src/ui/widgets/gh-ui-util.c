/* gh-ui-util.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-ui-util.h"

AdwToast *
gh_ui_error_toast_new (const char *what,
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
gh_ui_error_dialog_present (GtkWidget *parent,
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
