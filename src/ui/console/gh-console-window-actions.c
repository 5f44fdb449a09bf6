/* gh-console-window-actions.c: the console window's actions and what they need
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-console-window-private.h"
#include "gh-ui-util.h"

/* Every control of the header bar is a console.* action of the window class, but for the
 * power menu: "machine.*", the GhMachineActions a row inserts too. Which are enabled
 * follows the machine, the session and the display (_gh_console_window_update_actions ()). */

/* PC XT set 1 scancodes, extended ones as 0x100 | code; pressed in order, released in
 * reverse (gh_spice_display_send_keys ()). */
static const struct {
  const char *name;
  guint       scancodes[3];
  guint       n_scancodes;
} key_sequences[] = {
  { "ctrl-alt-delete", { 0x1d, 0x38, 0x153 }, 3 },
  { "ctrl-alt-backspace", { 0x1d, 0x38, 0x0e }, 3 },
  { "ctrl-alt-f1", { 0x1d, 0x38, 0x3b }, 3 },
  { "ctrl-alt-f2", { 0x1d, 0x38, 0x3c }, 3 },
  { "ctrl-alt-f3", { 0x1d, 0x38, 0x3d }, 3 },
  { "ctrl-alt-f4", { 0x1d, 0x38, 0x3e }, 3 },
  { "ctrl-alt-f5", { 0x1d, 0x38, 0x3f }, 3 },
  { "ctrl-alt-f6", { 0x1d, 0x38, 0x40 }, 3 },
  { "ctrl-alt-f7", { 0x1d, 0x38, 0x41 }, 3 },
  { "ctrl-alt-f8", { 0x1d, 0x38, 0x42 }, 3 },
  { "ctrl-alt-f9", { 0x1d, 0x38, 0x43 }, 3 },
  { "ctrl-alt-f10", { 0x1d, 0x38, 0x44 }, 3 },
  { "ctrl-alt-f11", { 0x1d, 0x38, 0x57 }, 3 },
  { "ctrl-alt-f12", { 0x1d, 0x38, 0x58 }, 3 },
  { "print", { 0x137 }, 1 },
  { "f11", { 0x57 }, 1 },
};

/* ---- errors and settings ------------------------------------------------------------ */

/* win.report-error (ss): what failed and why, from the power actions. */
static void
gh_console_window_report_error_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  const char *what;
  const char *reason;

  g_variant_get (parameter, "(&s&s)", &what, &reason);
  _gh_console_window_add_toast (GH_CONSOLE_WINDOW (widget), what, reason);
}

static void
gh_console_window_show_error_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  gh_ui_error_dialog_present (widget, parameter);
}

static void
gh_console_window_settings_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (widget);

  gh_widget_activate_machine_action (widget, "app.open-settings", self->machine);
}

/* ---- USB devices -------------------------------------------------------------------- */

typedef struct
{
  GhConsoleWindow       *self;
  GtkSwitch             *device_switch;
  SpiceUsbDeviceManager *usb;
  SpiceUsbDevice        *device;
  char                  *description;
  gboolean               connect;
} UsbData;

static void
usb_device_free (gpointer device)
{
  g_boxed_free (SPICE_TYPE_USB_DEVICE, device);
}

static void
usb_data_free (UsbData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->device_switch);
  g_clear_object (&data->usb);
  g_clear_pointer (&data->device, usb_device_free);
  g_free (data->description);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UsbData, usb_data_free)

static void
on_usb_device_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(UsbData) data = user_data;
  SpiceUsbDeviceManager *usb = SPICE_USB_DEVICE_MANAGER (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  gboolean connected;

  if (data->connect)
    spice_usb_device_manager_connect_device_finish (usb, result, &error);
  else
    spice_usb_device_manager_disconnect_device_finish (usb, result, &error);

  /* The switch says what is true now, whatever was asked. */
  connected = spice_usb_device_manager_is_device_connected (usb, data->device);
  gtk_switch_set_state (data->device_switch, connected);
  gtk_switch_set_active (data->device_switch, connected);
  gtk_widget_set_sensitive (GTK_WIDGET (data->device_switch), TRUE);

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (data->connect)
    /* Translators: %s describes a USB device, such as "SanDisk Cruzer Blade [0781:5567]" */
    what = g_strdup_printf (_("Could not connect “%s”"), data->description);
  else
    /* Translators: %s describes a USB device, such as "SanDisk Cruzer Blade [0781:5567]" */
    what = g_strdup_printf (_("Could not disconnect “%s”"), data->description);
  _gh_console_window_add_toast (data->self, what, error->message);
}

/* The switch moves at once; its state (the coloured part) follows once the device is
 * connected or disconnected. */
static gboolean
on_usb_switch_state_set (GtkSwitch       *device_switch,
                         gboolean         state,
                         GhConsoleWindow *self)
{
  SpiceUsbDevice *device = g_object_get_data (G_OBJECT (device_switch), "device");
  UsbData *data;

  if (self->usb == NULL)
    return TRUE;

  if (!!state == !!spice_usb_device_manager_is_device_connected (self->usb, device))
    return FALSE;

  data = g_new0 (UsbData, 1);
  data->self = g_object_ref (self);
  data->device_switch = g_object_ref (device_switch);
  data->usb = g_object_ref (self->usb);
  data->device = g_boxed_copy (SPICE_TYPE_USB_DEVICE, device);
  data->description = g_strdup (g_object_get_data (G_OBJECT (device_switch), "description"));
  data->connect = state;

  gtk_widget_set_sensitive (GTK_WIDGET (device_switch), FALSE);
  if (state)
    spice_usb_device_manager_connect_device_async (self->usb, device, NULL,
                                                   on_usb_device_done, data);
  else
    spice_usb_device_manager_disconnect_device_async (self->usb, device, NULL,
                                                      on_usb_device_done, data);

  return TRUE;
}

static GtkWidget *
create_usb_row (GhConsoleWindow *self,
                SpiceUsbDevice  *device)
{
  g_autofree char *description = spice_usb_device_get_description (device, NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  GtkWidget *device_switch;
  gboolean connected;

  connected = spice_usb_device_manager_is_device_connected (self->usb, device);

  row = adw_action_row_new ();
  /* Descriptions come from the device and may hold any character. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), description);

  device_switch = gtk_switch_new ();
  gtk_widget_set_valign (device_switch, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (device_switch), connected);
  gtk_switch_set_state (GTK_SWITCH (device_switch), connected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (device_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  g_object_set_data_full (G_OBJECT (device_switch), "device",
                          g_boxed_copy (SPICE_TYPE_USB_DEVICE, device), usb_device_free);
  g_object_set_data_full (G_OBJECT (device_switch), "description",
                          g_strdup (description), g_free);

  /* A device the host keeps to itself (no permission, or no free channel) says why. */
  if (!connected && !spice_usb_device_manager_can_redirect_device (self->usb, device, &error))
    {
      gtk_widget_set_sensitive (device_switch, FALSE);
      if (error != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
    }

  g_signal_connect_object (device_switch, "state-set",
                           G_CALLBACK (on_usb_switch_state_set), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), device_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), device_switch);

  return row;
}

static void
gh_console_window_fill_usb_list (GhConsoleWindow *self)
{
  g_autoptr(GPtrArray) devices = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->usb_list))) != NULL)
    gtk_list_box_remove (self->usb_list, child);

  if (self->usb != NULL)
    devices = spice_usb_device_manager_get_devices (self->usb);

  for (guint i = 0; devices != NULL && i < devices->len; i++)
    gtk_list_box_append (self->usb_list, create_usb_row (self, g_ptr_array_index (devices, i)));

  gtk_stack_set_visible_child_name (self->usb_stack,
                                    devices != NULL && devices->len > 0 ? "devices" : "empty");
}

static void
on_usb_devices_changed (GhConsoleWindow *self)
{
  /* What the popover shows is made when it opens. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->usb_popover)))
    gh_console_window_fill_usb_list (self);
}

void
_gh_console_window_update_usb (GhConsoleWindow *self)
{
  SpiceUsbDeviceManager *usb = gh_spice_session_get_usb_device_manager (self->session);
  gboolean connected = gh_spice_session_get_state (self->session) ==
                       GH_SPICE_SESSION_STATE_CONNECTED;
  const char *tooltip;

  if (usb != self->usb)
    {
      if (self->usb != NULL)
        g_signal_handlers_disconnect_by_data (self->usb, self);
      g_set_object (&self->usb, usb);
      if (self->usb != NULL)
        {
          g_signal_connect_object (self->usb, "device-added",
                                   G_CALLBACK (on_usb_devices_changed), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (self->usb, "device-removed",
                                   G_CALLBACK (on_usb_devices_changed), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  if (self->usb != NULL && connected)
    tooltip = _("USB Devices");
  else if (gh_spice_session_get_session (self->session) != NULL && self->usb == NULL)
    tooltip = _("USB devices cannot be shared from this computer");
  else
    tooltip = _("USB devices can be connected while the machine’s display is shown");

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->usb_button), tooltip);
  gtk_widget_set_sensitive (GTK_WIDGET (self->usb_button), self->usb != NULL && connected);
  if (self->usb == NULL || !connected)
    gtk_popover_popdown (self->usb_popover);
}

/* ---- actions ------------------------------------------------------------------------ */

/* A menu with every item hidden would open empty. */
static void
gh_console_window_update_power_button (GhConsoleWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->power_button),
                            gh_machine_actions_get_power_enabled (self->actions));
}

void
_gh_console_window_update_actions (GhConsoleWindow *self)
{
  GhSpiceSessionState state = gh_spice_session_get_state (self->session);
  gboolean connected = state == GH_SPICE_SESSION_STATE_CONNECTED && !self->gone;

  /* A deleted machine can do nothing more; its window stays to say so. */
  gh_machine_actions_set_machine (self->actions, self->gone ? NULL : self->machine);
  gh_console_window_update_power_button (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.send-keys", connected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_keys_button), connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.screenshot",
                                 _gh_console_window_shows_display (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.retry",
                                 !self->gone &&
                                 (state == GH_SPICE_SESSION_STATE_DISCONNECTED ||
                                  (connected &&
                                   gh_spice_display_get_gl_error (self->display) != NULL)));
}

static void
gh_console_window_send_keys_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (key_sequences); i++)
    {
      if (g_strcmp0 (name, key_sequences[i].name) == 0)
        {
          gh_spice_display_send_keys (self->display, key_sequences[i].scancodes,
                                      key_sequences[i].n_scancodes);
          return;
        }
    }

  g_warning ("No keys are called “%s”", name);
}

static void
gh_console_window_retry_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (widget);

  /* A GL failure leaves the session connected: start it over. */
  if (gh_spice_session_get_state (self->session) == GH_SPICE_SESSION_STATE_CONNECTED)
    gh_spice_session_disconnect (self->session);
  gh_spice_session_connect (self->session);
}

static void
gh_console_window_fullscreen_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* ---- screenshot --------------------------------------------------------------------- */

static void
on_screenshot_saved (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GhConsoleWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    _gh_console_window_add_toast (self, _("Screenshot saved"), NULL);
  else
    _gh_console_window_add_toast (self, _("Could not save the screenshot"), error->message);
}

static void
on_screenshot_response (GtkNativeDialog *chooser,
                        int              response,
                        GhConsoleWindow *self)
{
  GdkTexture *texture = g_object_get_data (G_OBJECT (chooser), "texture");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      bytes = gdk_texture_save_to_png_bytes (texture);
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                           G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                           on_screenshot_saved, g_object_ref (self));
    }

  g_object_unref (chooser);
}

/* "<name> 2026-11-21 14-05-09.png": the name of the machine, then when. */
static char *
dup_screenshot_name (GhConsoleWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H-%M-%S");
  g_autofree char *name = g_strdup (gh_machine_get_display_name (self->machine));

  /* A title may hold a slash, which no file name can. */
  g_strdelimit (name, "/", '-');

  return g_strdup_printf ("%s %s.png", name, date);
}

static void
gh_console_window_screenshot_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (widget);
  g_autoptr(GdkTexture) texture = gh_spice_display_dup_frame (self->display);
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *file_name = NULL;
  const char *pictures_dir;
  GtkFileChooserNative *chooser;

  /* What was on the screen when the button was pressed, not once a name is chosen. */
  if (texture == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save Screenshot"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  file_name = dup_screenshot_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);

  pictures_dir = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  if (pictures_dir != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (pictures_dir);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  g_object_set_data_full (G_OBJECT (chooser), "texture", g_steal_pointer (&texture),
                          g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_screenshot_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- setup -------------------------------------------------------------------------- */

void
_gh_console_window_class_actions_init (GhConsoleWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "console.send-keys", "s",
                                   gh_console_window_send_keys_action);
  gtk_widget_class_install_action (widget_class, "console.screenshot", NULL,
                                   gh_console_window_screenshot_action);
  gtk_widget_class_install_action (widget_class, "console.fullscreen", NULL,
                                   gh_console_window_fullscreen_action);
  gtk_widget_class_install_action (widget_class, "console.retry", NULL,
                                   gh_console_window_retry_action);
  gtk_widget_class_install_action (widget_class, "console.show-error", "(ss)",
                                   gh_console_window_show_error_action);
  gtk_widget_class_install_action (widget_class, "win.report-error", "(ss)",
                                   gh_console_window_report_error_action);
  gtk_widget_class_install_action (widget_class, "console.settings", NULL,
                                   gh_console_window_settings_action);

  /* Reaches the window only while the guest does not have the keyboard. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "console.settings", NULL);
}

void
_gh_console_window_actions_init (GhConsoleWindow *self)
{
  self->actions = gh_machine_actions_new (GTK_WIDGET (self));
  /* They also follow the machine's busy, which the window does not watch. */
  g_signal_connect_object (self->actions, "action-enabled-changed",
                           G_CALLBACK (gh_console_window_update_power_button), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_swapped (self->usb_popover, "show",
                            G_CALLBACK (gh_console_window_fill_usb_list), self);
}
