/* gh-machine-settings-devices.c: the Devices page: host USB devices and network card models
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-settings-private.h"

static void
usb_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  gboolean attach = g_str_equal (action_name, "settings.attach-usb");
  Edit *edit = _gh_machine_settings_edit_new (attach ? EDIT_ATTACH_USB : EDIT_DETACH_USB);

  g_variant_get (parameter, "(uu)", &edit->a, &edit->b);
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
set_nic_model_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_NIC_MODEL);

  g_variant_get (parameter, "(ss)", &edit->text, &edit->text2);
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static const char * const nic_models[] = { "virtio", "e1000e", "rtl8139", NULL };

static void
nic_model_selected_cb (AdwComboRow       *row,
                       GParamSpec        *pspec,
                       GhMachineSettings *self)
{
  const char *mac = g_object_get_data (G_OBJECT (row), "gh-mac");
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling || selected >= g_strv_length ((char **) nic_models))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "settings.set-nic-model", "(ss)",
                              mac != NULL ? mac : "", nic_models[selected]);
}

void
_gh_machine_settings_fill_devices (GhMachineSettings *self)
{
  GPtrArray *usb = gh_host_inventory_get_usb_devices (self->host);
  g_autoptr(GPtrArray) interfaces = gh_domain_editor_dup_interfaces (self->editor);
  GPtrArray *nic_rows;

  _gh_machine_settings_group_clear (self->usb_group);
  /* libvirt refuses any USB device of a machine whose USB is off: none is offered. */
  if (!gh_domain_editor_get_has_usb (self->editor))
    {
      adw_preferences_group_set_description (self->usb_group, NULL);
      _gh_machine_settings_group_add_row (self->usb_group,
                                          _("USB is turned off for this machine"),
                                          _("Its definition has no USB controller (model “none”), "
                                            "so it can have no USB device. Turn USB on with "
                                            "virsh edit to give it one."));
      usb = NULL;
    }
  else
    {
      adw_preferences_group_set_description (self->usb_group,
                                             _("Devices plugged into this computer that the "
                                               "machine can have."));
    }
  for (guint i = 0; usb != NULL && i < usb->len; i++)
    {
      const GhHostUsbDevice *device = g_ptr_array_index (usb, i);
      gboolean attached = _gh_machine_settings_has_hostdev (self, GH_DOMAIN_HOSTDEV_USB, NULL,
                                                            device->vendor_id, device->product_id);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      subtitle = g_strdup_printf ("%s · %04x:%04x · %u.%u",
                                  device->vendor != NULL ? device->vendor : _("Unknown maker"),
                                  device->vendor_id, device->product_id,
                                  device->bus, device->device);
      row = _gh_machine_settings_group_add_row (self->usb_group,
                                                device->product != NULL ? device->product
                                                                        : device->name,
                                                subtitle);
      _gh_machine_settings_row_add_button (row, attached ? _("_Detach") : _("_Attach"),
                                           attached ? "settings.detach-usb" : "settings.attach-usb",
                                           g_variant_new ("(uu)", device->vendor_id,
                                                          device->product_id),
                                           NULL);
    }
  if (usb != NULL && usb->len == 0)
    _gh_machine_settings_group_add_row (self->usb_group, _("No USB devices"), NULL);

  /* Combo rows are not action rows: they join the group's list by hand. */
  nic_rows = g_object_get_data (G_OBJECT (self->nic_group), "gh-rows");
  _gh_machine_settings_group_clear (self->nic_group);
  for (guint i = 0; i < interfaces->len; i++)
    {
      const GhDomainInterface *iface = g_ptr_array_index (interfaces, i);
      g_autoptr(GtkStringList) models = gtk_string_list_new ((const char * const *) nic_models);
      g_autofree char *title = NULL;
      GtkWidget *row = adw_combo_row_new ();
      guint selected = GTK_INVALID_LIST_POSITION;

      if (iface->source != NULL)
        /* Translators: %s is a libvirt network or bridge, like "default" */
        title = g_strdup_printf (_("Network Card on “%s”"), iface->source);
      else
        title = g_strdup (_("Network Card"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   iface->mac != NULL ? iface->mac : _("Address chosen by libvirt"));
      for (guint m = 0; nic_models[m] != NULL; m++)
        if (g_strcmp0 (iface->model, nic_models[m]) == 0)
          selected = m;
      if (selected == GTK_INVALID_LIST_POSITION && iface->model != NULL)
        {
          gtk_string_list_append (models, iface->model);
          selected = g_list_model_get_n_items (G_LIST_MODEL (models)) - 1;
        }
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (models));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_object_set_data_full (G_OBJECT (row), "gh-mac", g_strdup (iface->mac), g_free);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (nic_model_selected_cb),
                               self, 0);
      adw_preferences_group_add (self->nic_group, row);
      if (nic_rows == NULL)
        {
          nic_rows = g_ptr_array_new ();
          g_object_set_data_full (G_OBJECT (self->nic_group), "gh-rows", nic_rows,
                                  (GDestroyNotify) g_ptr_array_unref);
        }
      g_ptr_array_add (nic_rows, row);
    }
  if (interfaces->len == 0)
    _gh_machine_settings_group_add_row (self->nic_group, _("No network cards"), NULL);
}

void
_gh_machine_settings_devices_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "settings.attach-usb", "(uu)", usb_action);
  gtk_widget_class_install_action (widget_class, "settings.detach-usb", "(uu)", usb_action);
  gtk_widget_class_install_action (widget_class, "settings.set-nic-model", "(ss)",
                                   set_nic_model_action);
}
