/* gh-machine-settings-gpu.c: the GPU page: host GPUs passed through, and virtual GPUs (mdevs)
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-settings-private.h"
#include "gh-ui-toast.h"

static void
attach_gpu (GhMachineSettings *self,
            const char        *address,
            gboolean           confirm)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_ATTACH_GPU);

  edit->text = g_strdup (address);
  edit->confirm = confirm;
  edit->host = gh_host_inventory_dup_host (self->host);
  _gh_machine_settings_start_edit (self, edit);
}

static void
boot_vga_response_cb (AdwMessageDialog  *dialog,
                      const char        *response,
                      GhMachineSettings *self)
{
  if (g_str_equal (response, "attach"))
    attach_gpu (self, g_object_get_data (G_OBJECT (dialog), "gh-address"), TRUE);
}

/* "Attach" gives the GPU with every function of its slot; the only GPU that shows the
 * host's screen is given only after the user says yes to losing it. */
static void
attach_gpu_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  const char *address = g_variant_get_string (parameter, NULL);
  const GhHostPciDevice *gpu = gh_host_inventory_lookup_pci (self->host, address);
  GtkWidget *dialog;

  if (gpu == NULL || gh_host_inventory_gpu_is_passable (self->host, gpu, FALSE, NULL))
    {
      /* Unknown GPUs too: the editor says why it refuses. */
      attach_gpu (self, address, FALSE);
      return;
    }
  if (!gh_host_inventory_gpu_is_passable (self->host, gpu, TRUE, NULL))
    {
      attach_gpu (self, address, FALSE);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Give Away This Computer’s Display?"),
                                   NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s is the only GPU of this computer and shows its screen. "
                                    "While the machine runs, this computer will have no display: "
                                    "you will need another way in, such as SSH."),
                                  gh_host_pci_device_get_label (gpu));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "attach", _("_Give the GPU Away"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "attach",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-address", g_strdup (address), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (boot_vga_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
detach_gpu_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  Edit *edit = _gh_machine_settings_edit_new (EDIT_DETACH_GPU);

  edit->text = g_strdup (g_variant_get_string (parameter, NULL));
  edit->host = gh_host_inventory_dup_host (self->host);
  _gh_machine_settings_start_edit (self, edit);
}

static void
create_mdev_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  GPtrArray *types = gh_host_inventory_get_mdev_types (self->host);
  const char *parent;
  const char *type_id;
  gboolean display = FALSE;

  g_variant_get (parameter, "(&s&s)", &parent, &type_id);
  /* libvirt does not say which types can show the guest's screen; those of GPUs
   * (vfio-pci) are the ones that can, through the machine's display: without one,
   * libvirt refuses display='on', and the GPU goes in with its screen off. */
  for (guint i = 0; i < types->len; i++)
    {
      const GhHostMdevType *type = g_ptr_array_index (types, i);

      if (g_strcmp0 (type->parent, parent) == 0 && g_strcmp0 (type->id, type_id) == 0)
        display = g_strcmp0 (type->device_api, "vfio-pci") == 0
                  && self->editor != NULL && gh_domain_editor_get_has_graphics (self->editor);
    }

  _gh_machine_settings_busy_changed (self, +1);
  gh_machine_attach_new_mdev_async (self->machine, parent, type_id, display, self->cancellable,
                                    _gh_machine_settings_next_boot_change_cb, g_object_ref (self));
}

/* Also takes the device off the host when this window made it: the undo of Create. */
static void
detach_mdev_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);

  _gh_machine_settings_busy_changed (self, +1);
  gh_machine_detach_mdev_async (self->machine, g_variant_get_string (parameter, NULL),
                                self->cancellable, _gh_machine_settings_next_boot_change_cb,
                                g_object_ref (self));
}

static void
add_system_connection_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "app.add-connection", "s", "qemu:///system");
  gh_ui_add_window_toast (ADW_PREFERENCES_WINDOW (widget),
                          adw_toast_new (_("The system connection was added to the "
                                           "main window")));
}

void
_gh_machine_settings_fill_gpu (GhMachineSettings *self)
{
  gboolean session = gh_connection_is_session (self->connection);
  GPtrArray *gpus = gh_host_inventory_get_gpus (self->host);
  GPtrArray *types = gh_host_inventory_get_mdev_types (self->host);
  g_autoptr(GPtrArray) hostdevs = gh_domain_editor_dup_hostdevs (self->editor);
  guint n_types = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->session_group), session);

  _gh_machine_settings_group_clear (self->gpu_group);
  for (guint i = 0; i < gpus->len; i++)
    {
      const GhHostPciDevice *gpu = g_ptr_array_index (gpus, i);
      g_autofree char *reason = NULL;
      g_autofree char *confirm_reason = NULL;
      g_autofree char *group = NULL;
      g_autofree char *subtitle = NULL;
      gboolean passable = gh_host_inventory_gpu_is_passable (self->host, gpu, FALSE, &reason);
      gboolean with_confirm =
        gh_host_inventory_gpu_is_passable (self->host, gpu, TRUE, &confirm_reason);
      gboolean attached =
        _gh_machine_settings_has_hostdev (self, GH_DOMAIN_HOSTDEV_PCI, gpu->address, 0, 0);
      GtkWidget *row;
      GtkWidget *button = NULL;

      if (gpu->iommu_group >= 0)
        /* Translators: %d is an IOMMU group's number */
        group = g_strdup_printf (_("IOMMU group %d"), gpu->iommu_group);
      else
        group = g_strdup (_("no IOMMU group"));
      if (passable)
        subtitle = g_strdup_printf ("%s · %s · %s", gpu->address, group,
                                    reason != NULL ? reason : _("can be passed through"));
      else
        subtitle = g_strdup_printf ("%s · %s\n%s", gpu->address, group,
                                    with_confirm ? confirm_reason : reason);
      row = _gh_machine_settings_group_add_row (self->gpu_group,
                                                gh_host_pci_device_get_label (gpu), subtitle);

      if (attached)
        button = _gh_machine_settings_row_add_button (row, _("_Detach"), "settings.detach-gpu",
                                                      g_variant_new_string (gpu->address), NULL);
      else if (passable)
        button = _gh_machine_settings_row_add_button (row, _("_Attach"), "settings.attach-gpu",
                                                      g_variant_new_string (gpu->address), NULL);
      else if (with_confirm)
        button = _gh_machine_settings_row_add_button (row, _("_Attach…"), "settings.attach-gpu",
                                                      g_variant_new_string (gpu->address),
                                                      "destructive-action");
      if (button != NULL)
        gtk_widget_set_sensitive (button, !session || attached);
    }
  if (gpus->len == 0)
    _gh_machine_settings_group_add_row (self->gpu_group, _("No GPUs"),
                                        gh_host_inventory_get_devices_error (self->host) != NULL
                                        ? gh_host_inventory_get_devices_error (self->host)
                                        : _("libvirt knows of no display controller on this host"));

  _gh_machine_settings_group_clear (self->mdev_group);
  for (guint i = 0; i < types->len; i++)
    {
      const GhHostMdevType *type = g_ptr_array_index (types, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *button;

      if (g_strcmp0 (type->device_api, "vfio-pci") != 0 || type->available == 0)
        continue;
      subtitle = g_strdup_printf (g_dngettext (NULL, "%s · %u more can be made",
                                               "%s · %u more can be made", type->available),
                                  type->parent_address != NULL ? type->parent_address
                                                               : type->parent,
                                  type->available);
      row = _gh_machine_settings_group_add_row (self->mdev_group,
                                                type->name != NULL ? type->name : type->id,
                                                subtitle);
      button = _gh_machine_settings_row_add_button (row, _("_Create and Attach"),
                                                    "settings.create-mdev",
                                                    g_variant_new ("(ss)", type->parent,
                                                                   type->id),
                                                    NULL);
      gtk_widget_set_sensitive (button, !session);
      n_types++;
    }
  for (guint i = 0; i < hostdevs->len; i++)
    {
      const GhDomainHostdev *hostdev = g_ptr_array_index (hostdevs, i);
      GtkWidget *row;

      if (hostdev->kind != GH_DOMAIN_HOSTDEV_MDEV)
        continue;
      row = _gh_machine_settings_group_add_row (self->mdev_group,
                                                _("Virtual GPU of this machine"), hostdev->uuid);
      _gh_machine_settings_row_add_button (row, _("_Detach"), "settings.detach-mdev",
                                           g_variant_new_string (hostdev->uuid), NULL);
      n_types++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->mdev_group), n_types > 0);
  adw_preferences_group_set_description (self->mdev_group,
                                         gh_domain_editor_get_has_graphics (self->editor)
                                         ? _("Shares of a host GPU that the GPU’s driver can "
                                             "create.")
                                         : _("Shares of a host GPU that the GPU’s driver can "
                                             "create. This machine has no display, so a "
                                             "virtual GPU is attached with its screen off; "
                                             "choose a display on the Display page to see "
                                             "it."));
}

void
_gh_machine_settings_gpu_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "settings.attach-gpu", "s", attach_gpu_action);
  gtk_widget_class_install_action (widget_class, "settings.detach-gpu", "s", detach_gpu_action);
  gtk_widget_class_install_action (widget_class, "settings.create-mdev", "(ss)",
                                   create_mdev_action);
  gtk_widget_class_install_action (widget_class, "settings.detach-mdev", "s", detach_mdev_action);
  gtk_widget_class_install_action (widget_class, "settings.add-system-connection", NULL,
                                   add_system_connection_action);
}
