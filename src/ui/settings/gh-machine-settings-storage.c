/* gh-machine-settings-storage.c: the Storage page: the disks, added and removed
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-settings-private.h"

static void
add_disk_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);

  _gh_machine_settings_busy_changed (self, +1);
  gh_machine_add_disk_async (self->machine, g_variant_get_uint64 (parameter),
                             self->cancellable, _gh_machine_settings_next_boot_change_cb,
                             g_object_ref (self));
}

static void
add_disk_from_row_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  guint64 size = (guint64) gtk_adjustment_get_value (self->new_disk_adjustment) * GIB;

  gtk_widget_activate_action (widget, "settings.add-disk", "t", size);
}

static void
remove_disk_response_cb (AdwMessageDialog  *dialog,
                         const char        *response,
                         GhMachineSettings *self)
{
  const char *target = g_object_get_data (G_OBJECT (dialog), "gh-target");

  if (g_str_equal (response, "cancel"))
    return;

  _gh_machine_settings_busy_changed (self, +1);
  gh_machine_remove_disk_async (self->machine, target, g_str_equal (response, "delete"),
                                self->cancellable, _gh_machine_settings_next_boot_change_cb,
                                g_object_ref (self));
}

/* Always asks: the guest loses the disk, and deleting its volume cannot be undone. */
static void
remove_disk_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: %s is a disk's target, like "vdb" */
  heading = g_strdup_printf (_("Remove Disk “%s”?"), target);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The machine will no longer see this disk. Its volume "
                                     "can stay for later, or be deleted with everything on it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "keep", _("_Keep Volume"),
                                    "delete", _("_Delete Volume"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-target", g_strdup (target), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_disk_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_gh_machine_settings_fill_storage (GhMachineSettings *self)
{
  g_autoptr(GPtrArray) disks = gh_domain_editor_dup_disks (self->editor);
  guint n = 0;

  _gh_machine_settings_group_clear (self->disks_group);
  for (guint i = 0; i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);
      const guint64 *capacity;
      g_autofree char *title = NULL;
      g_autofree char *size = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *source = NULL;
      GtkWidget *row;
      GtkWidget *button;

      if (g_strcmp0 (disk->device, "disk") != 0 || disk->target == NULL)
        continue;

      capacity = g_hash_table_lookup (self->capacities, disk->target);
      size = capacity != NULL ? g_format_size_full (*capacity, G_FORMAT_SIZE_IEC_UNITS)
                              : g_strdup (_("size unknown"));
      title = g_strdup_printf ("%s · %s", disk->target, disk->bus != NULL ? disk->bus : "");
      /* Translators: a disk image's path, then its format and size: "qcow2 · 20.0 GiB" */
      if (disk->path != NULL)
        source = g_strdup (disk->path);
      else if (disk->volume != NULL)
        source = g_strdup_printf ("%s/%s", disk->pool != NULL ? disk->pool : "", disk->volume);
      else
        source = g_strdup (_("Not a file on the host (network or other storage)"));
      subtitle = g_strdup_printf ("%s\n%s · %s", source,
                                  disk->format != NULL ? disk->format : _("unknown format"),
                                  size);
      row = _gh_machine_settings_group_add_row (self->disks_group, title, subtitle);
      button = _gh_machine_settings_row_add_button (row, NULL, "settings.remove-disk",
                                                    g_variant_new_string (disk->target), "flat");
      gtk_button_set_icon_name (GTK_BUTTON (button), "user-trash-symbolic");
      gtk_widget_set_tooltip_text (button, _("Remove…"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove disk"), -1);
      n++;
    }
  if (n == 0)
    _gh_machine_settings_group_add_row (self->disks_group, _("No disks"), NULL);
}

void
_gh_machine_settings_storage_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "settings.add-disk", "t", add_disk_action);
  gtk_widget_class_install_action (widget_class, "settings.add-disk-from-row", NULL,
                                   add_disk_from_row_action);
  gtk_widget_class_install_action (widget_class, "settings.remove-disk", "s", remove_disk_action);
}
