/* gh-machine-settings-general.c: the General page: title, description, autostart and name
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gh-machine-settings-private.h"

static void
set_title_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_TITLE);

  edit->text = g_strdup (g_variant_get_string (parameter, NULL));
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
set_description_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_DESCRIPTION);

  edit->text = g_strdup (g_variant_get_string (parameter, NULL));
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
set_autostart_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);

  _gh_machine_settings_busy_changed (self, +1);
  gh_machine_set_autostart_async (self->machine, g_variant_get_boolean (parameter),
                                  self->cancellable, _gh_machine_settings_next_boot_change_cb,
                                  g_object_ref (self));
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);

  _gh_machine_settings_busy_changed (self, +1);
  gh_machine_rename_async (self->machine, g_variant_get_string (parameter, NULL),
                           self->cancellable, _gh_machine_settings_next_boot_change_cb,
                           g_object_ref (self));
}

static void
entry_applied_cb (AdwEntryRow       *row,
                  GhMachineSettings *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  const char *action;

  if (row == self->title_row)
    action = "settings.set-title";
  else if (row == self->description_row)
    action = "settings.set-description";
  else
    action = "settings.rename";

  gtk_widget_activate_action (GTK_WIDGET (self), action, "s", text);
}

static void
autostart_changed_cb (GtkSwitch         *toggle,
                      GParamSpec        *pspec,
                      GhMachineSettings *self)
{
  if (self->filling || gtk_switch_get_active (toggle) == self->autostart)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "settings.set-autostart", "b",
                              gtk_switch_get_active (toggle));
}

void
_gh_machine_settings_fill_general (GhMachineSettings *self)
{
  g_autofree char *title = gh_domain_editor_dup_title (self->editor);
  g_autofree char *description = gh_domain_editor_dup_description (self->editor);

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title != NULL ? title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                         description != NULL ? description : "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), gh_domain_editor_get_name (self->editor));
  gtk_switch_set_active (self->autostart_switch, self->autostart);
}

void
_gh_machine_settings_general_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "settings.set-title", "s", set_title_action);
  gtk_widget_class_install_action (widget_class, "settings.set-description", "s",
                                   set_description_action);
  gtk_widget_class_install_action (widget_class, "settings.set-autostart", "b",
                                   set_autostart_action);
  gtk_widget_class_install_action (widget_class, "settings.rename", "s", rename_action);
}

void
_gh_machine_settings_general_init (GhMachineSettings *self)
{
  g_signal_connect (self->title_row, "apply", G_CALLBACK (entry_applied_cb), self);
  g_signal_connect (self->description_row, "apply", G_CALLBACK (entry_applied_cb), self);
  g_signal_connect (self->name_row, "apply", G_CALLBACK (entry_applied_cb), self);
  g_signal_connect (self->autostart_switch, "notify::active", G_CALLBACK (autostart_changed_cb),
                    self);
}
