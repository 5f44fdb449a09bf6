/* gh-machine-settings-boot.c: the Boot page: boot order and CD or DVD drives
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-settings-private.h"

static char *
boot_entry_label (const char *entry)
{
  if (g_str_equal (entry, "hd"))
    return g_strdup (_("Hard Disk"));
  if (g_str_equal (entry, "cdrom"))
    return g_strdup (_("CD or DVD"));
  if (g_str_equal (entry, "network"))
    return g_strdup (_("Network (PXE)"));
  if (g_str_equal (entry, "fd"))
    return g_strdup (_("Floppy Disk"));
  if (g_str_has_prefix (entry, "disk:"))
    /* Translators: %s is a disk's target, like "vda" */
    return g_strdup_printf (_("Disk %s"), entry + 5);
  if (g_str_has_prefix (entry, "interface:"))
    /* Translators: %s is a MAC address */
    return g_strdup_printf (_("Network %s"), entry + 10);
  return g_strdup (entry);
}

static void
set_boot_order_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_BOOT_ORDER);

  edit->order = g_variant_dup_strv (parameter, NULL);
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

/* Moves one entry a place earlier. */
static void
boot_earlier_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  g_auto(GStrv) order = NULL;
  const char *entry = g_variant_get_string (parameter, NULL);

  if (self->editor == NULL)
    return;
  order = gh_domain_editor_dup_boot_order (self->editor);
  for (guint i = 1; order[i] != NULL; i++)
    if (g_str_equal (order[i], entry))
      {
        char *earlier = order[i - 1];

        order[i - 1] = order[i];
        order[i] = earlier;
        gtk_widget_activate_action_variant (widget, "settings.set-boot-order",
                                            g_variant_new_strv ((const char * const *) order, -1));
        return;
      }
}

static void
eject_cdrom_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_EJECT_CDROM);

  edit->text = g_strdup (g_variant_get_string (parameter, NULL));
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
insert_cdrom_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_INSERT_CDROM);

  g_variant_get (parameter, "(ss)", &edit->text, &edit->text2);
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
cdrom_chosen_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  GhMachineSettings *self = user_data;
  const char *target = g_object_get_data (G_OBJECT (dialog), "gh-target");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self), "settings.insert-cdrom", "(ss)",
                                    target, path);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_cdrom_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a Disc Image"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Insert"), NULL);
  gtk_file_filter_set_name (filter, _("Disc images"));
  gtk_file_filter_add_suffix (filter, "iso");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data_full (G_OBJECT (chooser), "gh-target",
                          g_strdup (g_variant_get_string (parameter, NULL)), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (cdrom_chosen_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_gh_machine_settings_fill_boot (GhMachineSettings *self)
{
  g_auto(GStrv) order = gh_domain_editor_dup_boot_order (self->editor);
  g_autoptr(GPtrArray) cdroms = gh_domain_editor_dup_cdroms (self->editor);

  _gh_machine_settings_group_clear (self->boot_group);
  for (guint i = 0; order[i] != NULL; i++)
    {
      g_autofree char *label = boot_entry_label (order[i]);
      g_autofree char *position = g_strdup_printf ("%u", i + 1);
      GtkWidget *row = _gh_machine_settings_group_add_row (self->boot_group, label, NULL);
      GtkWidget *number = gtk_label_new (position);
      GtkWidget *button;

      gtk_widget_add_css_class (number, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), number);
      button = _gh_machine_settings_row_add_button (row, NULL, "settings.boot-earlier",
                                                    g_variant_new_string (order[i]), "flat");
      gtk_button_set_icon_name (GTK_BUTTON (button), "go-up-symbolic");
      gtk_widget_set_tooltip_text (button, _("Earlier"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Boot earlier"), -1);
      gtk_widget_set_sensitive (button, i > 0);
    }
  if (order[0] == NULL)
    _gh_machine_settings_group_add_row (self->boot_group, _("Nothing to boot from"), NULL);

  _gh_machine_settings_group_clear (self->cdrom_group);
  gtk_widget_set_visible (GTK_WIDGET (self->cdrom_group), cdroms->len > 0);
  for (guint i = 0; i < cdroms->len; i++)
    {
      const GhDomainEditorDisk *cdrom = g_ptr_array_index (cdroms, i);
      g_autofree char *title = NULL;
      GtkWidget *row;

      if (cdrom->target == NULL)
        continue;
      /* Translators: %s is a drive's target, like "sda" */
      title = g_strdup_printf (_("Drive %s"), cdrom->target);
      row = _gh_machine_settings_group_add_row (self->cdrom_group, title,
                                                cdrom->path != NULL ? cdrom->path : _("Empty"));
      if (cdrom->path != NULL)
        _gh_machine_settings_row_add_button (row, _("_Eject"), "settings.eject-cdrom",
                                             g_variant_new_string (cdrom->target), NULL);
      else
        _gh_machine_settings_row_add_button (row, _("_Insert…"), "settings.choose-cdrom",
                                             g_variant_new_string (cdrom->target), NULL);
    }
}

void
_gh_machine_settings_boot_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "settings.set-boot-order", "as",
                                   set_boot_order_action);
  gtk_widget_class_install_action (widget_class, "settings.boot-earlier", "s",
                                   boot_earlier_action);
  gtk_widget_class_install_action (widget_class, "settings.eject-cdrom", "s", eject_cdrom_action);
  gtk_widget_class_install_action (widget_class, "settings.insert-cdrom", "(ss)",
                                   insert_cdrom_action);
  gtk_widget_class_install_action (widget_class, "settings.choose-cdrom", "s",
                                   choose_cdrom_action);
}
