/* gh-console-window.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-console-window.h"
#include "gh-spice-display.h"
#include "gh-spice-session.h"
#include "gh-ui-util.h"

/* The guest size the window opens for: what most installers and firmware show. */
#define GUEST_WIDTH  800
#define GUEST_HEIGHT 600

/* In fullscreen, the pointer within this many pixels of the top edge brings the header bar
 * in, and this far below it sends it away again. */
#define REVEAL_EDGE 4
#define HIDE_MARGIN 24

#define GRAB_HINT_SECONDS 4

struct _GhConsoleWindow
{
  AdwApplicationWindow   parent_instance;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  AdwFlap               *flap;
  AdwHeaderBar          *header_bar;
  AdwWindowTitle        *window_title;
  GtkMenuButton         *power_button;
  GtkMenuButton         *send_keys_button;
  GtkMenuButton         *usb_button;
  GtkButton             *fullscreen_button;
  GtkButton             *screenshot_button;
  GhSpiceDisplay        *display;
  AdwStatusPage         *status_page;
  GtkButton             *start_button;
  GtkButton             *retry_button;
  GtkRevealer           *grab_revealer;
  GtkRevealer           *inputs_revealer;
  GtkPopover            *usb_popover;
  GtkStack              *usb_stack;
  GtkListBox            *usb_list;
  GtkRevealer           *port_revealer;  /* the display is open to others */
  GtkLabel              *port_label;

  /* Owned references */
  GhMachine             *machine;
  GhConnection          *connection;  /* NULL if the machine had none left */
  GhMachineList         *machines;    /* its list: tells when the machine is deleted */
  GhSpiceSession        *session;
  SpiceUsbDeviceManager *usb;         /* the session's, while it has one */
  char                  *uri;
  char                  *uuid;

  guint                  grab_hint_id;
  guint                  check_gone_id;
  guint                  busy;        /* power actions in flight */
  guint                  gone : 1;    /* the machine was deleted */
  /* Where the focus is was not the user's choice (GTK's first pick, or ours): the page's
   * button, or the display, may take it. */
  guint                  focus_automatic : 1;
  guint                  initial_focus : 1;
  guint                  moving_focus : 1;
};

G_DEFINE_FINAL_TYPE (GhConsoleWindow, gh_console_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char      *action_name;
  GhMachineAction  action;
} power_actions[] = {
  { "console.start", GH_MACHINE_ACTION_START },
  { "console.shut-down", GH_MACHINE_ACTION_SHUT_DOWN },
  { "console.force-off", GH_MACHINE_ACTION_FORCE_OFF },
  { "console.reboot", GH_MACHINE_ACTION_REBOOT },
  { "console.pause", GH_MACHINE_ACTION_PAUSE },
  { "console.resume", GH_MACHINE_ACTION_RESUME },
};

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

static void gh_console_window_update_actions (GhConsoleWindow *self);

/* ---- messages ----------------------------------------------------------------------- */

/* @message as a toast; with @reason, which is often too long for one, a Details button
 * shows it. */
static void
gh_console_window_add_toast (GhConsoleWindow *self,
                             const char      *message,
                             const char      *reason)
{
  /* An action that outlived its window has no one to tell. */
  if (self->toast_overlay == NULL)
    return;

  adw_toast_overlay_add_toast (self->toast_overlay,
                               gh_error_toast_new (message, reason, "console.show-error"));
}

static void
gh_console_window_show_error_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  gh_error_dialog_present (widget, parameter);
}

static void
gh_console_window_settings_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (GH_IS_APPLICATION (app))
    gh_application_open_settings (GH_APPLICATION (app), self->machine);
}

/* ---- a display open to others ------------------------------------------------------- */

static void
port_editor_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhConsoleWindow) self = user_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GUri) uri = NULL;
  const GhDomainOpenDisplay *display;
  g_autofree char *text = NULL;
  const char *host = NULL;

  editor = gh_machine_dup_editor_finish (GH_MACHINE (object), result, NULL, NULL, NULL);
  if (self->port_revealer == NULL)
    return;
  open = editor != NULL ? gh_domain_editor_dup_open_displays (editor) : NULL;
  gtk_revealer_set_reveal_child (self->port_revealer, open != NULL && open->len > 0);
  if (open == NULL || open->len == 0)
    return;

  display = g_ptr_array_index (open, 0);
  if (self->connection != NULL && gh_connection_is_remote (self->connection))
    uri = g_uri_parse (self->uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, NULL);
  host = uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : _("this computer");
  if (display->port > 0)
    /* Translators: %d is a port number, %s a host name or "this computer" */
    text = g_strdup_printf (_("Anyone who can reach port %d on %s can see and control "
                              "this machine"), display->port, host);
  else
    text = g_strdup_printf (_("Anyone who can reach its display port on %s can see and "
                              "control this machine"), host);
  gtk_label_set_text (self->port_label, text);
}

/* The definition, read again when the machine starts or stops: the settings' switch to a
 * private socket is where the banner's button leads. */
static void
gh_console_window_check_display_port (GhConsoleWindow *self)
{
  gh_machine_dup_editor_async (self->machine, NULL, port_editor_cb, g_object_ref (self));
}

/* ---- what the window shows ---------------------------------------------------------- */

static void
gh_console_window_update_title (GhConsoleWindow *self)
{
  const char *name = gh_machine_get_display_name (self->machine);

  gtk_window_set_title (GTK_WINDOW (self), name);
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, gh_machine_get_state_text (self->machine));
}

static gboolean
gh_console_window_shows_display (GhConsoleWindow *self)
{
  return !self->gone &&
         gh_spice_session_get_state (self->session) == GH_SPICE_SESSION_STATE_CONNECTED &&
         gh_spice_display_get_ready (self->display) &&
         gh_spice_display_get_gl_error (self->display) == NULL;
}

/* The page over the display for every moment it has nothing to show: why, and the one
 * button that helps, if any. */
static void
gh_console_window_update_status (GhConsoleWindow *self)
{
  GhSpiceSessionState state = gh_spice_session_get_state (self->session);
  const GError *error = gh_spice_session_get_error (self->session);
  const char *gl_error = gh_spice_display_get_gl_error (self->display);
  const char *name = gh_machine_get_display_name (self->machine);
  gboolean shows_display = gh_console_window_shows_display (self);
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  const char *description = NULL;
  const char *icon_name = NULL;
  gboolean connecting = FALSE;
  gboolean offer_start = FALSE;
  gboolean offer_retry = FALSE;
  gboolean movable;
  GtkWidget *focus;

  if (self->gone)
    {
      icon_name = "computer-symbolic";
      /* Translators: %s is a machine's name */
      title = g_strdup_printf (_("“%s” no longer exists"), name);
      description = _("It was deleted.");
    }
  else if (state == GH_SPICE_SESSION_STATE_CONNECTED && gl_error != NULL)
    {
      /* A GL display has no 2D picture to fall back on. */
      icon_name = "video-display-symbolic";
      title = g_strdup (_("The 3D display cannot be shown"));
      description = gl_error;
      offer_retry = TRUE;
    }
  else
    {
      switch (state)
        {
        case GH_SPICE_SESSION_STATE_IDLE:
        case GH_SPICE_SESSION_STATE_CONNECTING:
          connecting = TRUE;
          break;

        case GH_SPICE_SESSION_STATE_CONNECTED:
          /* Until the guest shows its first frame. */
          connecting = !shows_display;
          break;

        case GH_SPICE_SESSION_STATE_GUEST_STOPPED:
          icon_name = "computer-symbolic";
          switch (gh_machine_get_state (self->machine))
            {
            case GH_MACHINE_STATE_SHUT_OFF:
              /* Translators: %s is a machine's name */
              title = g_strdup_printf (_("“%s” is shut off"), name);
              description = _("Start it to see its display.");
              offer_start = TRUE;
              break;

            case GH_MACHINE_STATE_CRASHED:
              /* Translators: %s is a machine's name */
              title = g_strdup_printf (_("“%s” has crashed"), name);
              description = _("Force it off from the power menu, then start it again.");
              break;

            case GH_MACHINE_STATE_UNKNOWN:
            case GH_MACHINE_STATE_RUNNING:
            case GH_MACHINE_STATE_PAUSED:
            case GH_MACHINE_STATE_SUSPENDED:
            default:
              /* Translators: %s is a machine's name */
              title = g_strdup_printf (_("The state of “%s” is unknown"), name);
              description = _("Greenhouse is not connected to the computer it runs on.");
              break;
            }
          break;

        case GH_SPICE_SESSION_STATE_DISCONNECTED:
        case GH_SPICE_SESSION_STATE_UNSUPPORTED:
          icon_name = "video-display-symbolic";
          offer_retry = state == GH_SPICE_SESSION_STATE_DISCONNECTED;
          if (error != NULL)
            {
              title = g_strdup (gh_error_get_what (error));
              description = title != NULL ? gh_error_get_detail (error) : error->message;
            }
          if (title == NULL)
            /* Translators: %s is a machine's name */
            title = g_strdup_printf (_("Cannot show the display of “%s”"), name);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (connecting)
    {
      /* Not a spinner: an animation repaints the window every frame, and where the
       * paint is slow (software GL) the repaints starve the idle callbacks that
       * spice-client-glib connects its channels from: the display never came. */
      icon_name = "content-loading-symbolic";
      g_clear_pointer (&title, g_free);
      title = g_strdup (_("Connecting…"));
      description = NULL;
    }

  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  /* The description is markup; libvirt's reasons are not. */
  escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;
  adw_status_page_set_description (self->status_page, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), offer_start);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), offer_retry);

  /* The display takes the keyboard (and the guest, every key) only while it shows
   * something; the page's button takes it otherwise, so that Enter presses it. Neither
   * takes it from where the user put it. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  movable = self->focus_automatic || focus == NULL || focus == GTK_WIDGET (self->display) ||
            gtk_widget_is_ancestor (focus, GTK_WIDGET (self->status_page));

  self->moving_focus = TRUE;
  if (shows_display)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->status_page), FALSE);
      gtk_widget_set_can_focus (GTK_WIDGET (self->display), TRUE);
      if (movable)
        gtk_widget_grab_focus (GTK_WIDGET (self->display));
    }
  else
    {
      if (focus == GTK_WIDGET (self->display))
        gtk_window_set_focus (GTK_WINDOW (self), NULL);
      gtk_widget_set_can_focus (GTK_WIDGET (self->display), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->status_page), TRUE);

      if (movable && offer_start)
        gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
      else if (movable && offer_retry)
        gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
    }
  self->moving_focus = FALSE;
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
  gh_console_window_add_toast (data->self, what, error->message);
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

static void
gh_console_window_update_usb (GhConsoleWindow *self)
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

static void
gh_console_window_update_actions (GhConsoleWindow *self)
{
  GhSpiceSessionState state = gh_spice_session_get_state (self->session);
  gboolean connected = state == GH_SPICE_SESSION_STATE_CONNECTED && !self->gone;
  gboolean any_power = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (power_actions); i++)
    {
      gboolean enabled = !self->gone && self->busy == 0 &&
                         gh_machine_can_perform (self->machine, power_actions[i].action);

      gtk_widget_action_set_enabled (GTK_WIDGET (self), power_actions[i].action_name, enabled);
      any_power |= enabled;
    }

  /* A menu with every item hidden would open empty. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->power_button), any_power);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.send-keys", connected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_keys_button), connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.screenshot",
                                 gh_console_window_shows_display (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.retry",
                                 !self->gone &&
                                 (state == GH_SPICE_SESSION_STATE_DISCONNECTED ||
                                  (connected &&
                                   gh_spice_display_get_gl_error (self->display) != NULL)));
}

typedef struct
{
  GhConsoleWindow *self;
  char            *failure;
} PowerData;

static void
power_data_free (PowerData *data)
{
  g_clear_object (&data->self);
  g_free (data->failure);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PowerData, power_data_free)

static void
power_data_done (PowerData    *data,
                 const GError *error)
{
  data->self->busy--;

  /* A window closed meanwhile has nothing left to show it on. */
  if (data->self->session == NULL)
    return;

  gh_console_window_update_actions (data->self);

  /* The new state arrives as an event; only a failure is said here. */
  if (error != NULL)
    gh_console_window_add_toast (data->self, data->failure, gh_error_get_detail (error));
}

static void
on_perform_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PowerData) data = user_data;
  g_autoptr(GError) error = NULL;

  gh_machine_perform_finish (GH_MACHINE (object), result, &error);
  power_data_done (data, error);
}

static void
gh_console_window_perform (GhConsoleWindow *self,
                           GhMachineAction  action)
{
  PowerData *data;

  /* The menu could have been opened before the state changed; the dialog, before the
   * window closed. */
  if (self->machine == NULL || self->gone || self->busy > 0 ||
      !gh_machine_can_perform (self->machine, action))
    return;

  data = g_new0 (PowerData, 1);
  data->self = g_object_ref (self);
  data->failure = gh_machine_action_dup_failure (action,
                                                 gh_machine_get_display_name (self->machine));

  /* One at a time: a second click would ask libvirt twice. */
  self->busy++;
  gh_console_window_update_actions (self);
  gh_machine_perform_async (self->machine, action, NULL, on_perform_cb, data);
}

static void
on_force_off_response (AdwMessageDialog *dialog,
                       const char       *response,
                       GhConsoleWindow  *self)
{
  if (g_strcmp0 (response, "force-off") == 0)
    gh_console_window_perform (self, GH_MACHINE_ACTION_FORCE_OFF);
}

/* Forcing off pulls the plug, so it asks first. */
static void
gh_console_window_confirm_force_off (GhConsoleWindow *self)
{
  GtkWidget *dialog = gh_force_off_dialog_new (GTK_WINDOW (self), self->machine);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_force_off_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_finish_install_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PowerData) data = user_data;
  g_autoptr(GError) error = NULL;

  gh_machine_finish_install_finish (GH_MACHINE (object), result, &error);
  power_data_done (data, error);
}

static void
on_install_start_response (AdwMessageDialog *dialog,
                           const char       *response,
                           GhConsoleWindow  *self)
{
  PowerData *data;

  if (g_strcmp0 (response, "installer") == 0)
    {
      gh_console_window_perform (self, GH_MACHINE_ACTION_START);
      return;
    }

  if (g_strcmp0 (response, "installed") != 0 || self->machine == NULL || self->gone ||
      self->busy > 0)
    return;

  data = g_new0 (PowerData, 1);
  data->self = g_object_ref (self);
  /* Translators: %s is a machine's name */
  data->failure = g_strdup_printf (_("Could not finish installing “%s”"),
                                   gh_machine_get_display_name (self->machine));
  self->busy++;
  gh_console_window_update_actions (self);
  gh_machine_finish_install_async (self->machine, NULL, on_finish_install_cb, data);
}

static void
gh_console_window_power_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (widget);

  for (guint i = 0; i < G_N_ELEMENTS (power_actions); i++)
    {
      if (g_strcmp0 (action_name, power_actions[i].action_name) != 0)
        continue;

      if (power_actions[i].action == GH_MACHINE_ACTION_FORCE_OFF)
        {
          gh_console_window_confirm_force_off (self);
        }
      else if (power_actions[i].action == GH_MACHINE_ACTION_START &&
               gh_machine_start_needs_asking (self->machine))
        {
          /* Starting the installer again could erase an installed system: ask. */
          GtkWidget *dialog = gh_install_start_dialog_new (GTK_WINDOW (self), self->machine);

          g_signal_connect_object (dialog, "response", G_CALLBACK (on_install_start_response),
                                   self, 0);
          gtk_window_present (GTK_WINDOW (dialog));
        }
      else
        gh_console_window_perform (self, power_actions[i].action);
      return;
    }

  g_assert_not_reached ();
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
    gh_console_window_add_toast (self, _("Screenshot saved"), NULL);
  else
    gh_console_window_add_toast (self, _("Could not save the screenshot"), error->message);
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

/* ---- fullscreen, keyboard and pointer ----------------------------------------------- */

static void
on_fullscreened_changed (GhConsoleWindow *self)
{
  gboolean fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
  const char *label = fullscreen ? _("Leave Fullscreen") : _("Fullscreen");

  /* Folded, the header bar lies over the display and hides until the pointer reaches the
   * top edge; unfolding shows it again (the flap is not locked). */
  adw_flap_set_fold_policy (self->flap,
                            fullscreen ? ADW_FLAP_FOLD_POLICY_ALWAYS : ADW_FLAP_FOLD_POLICY_NEVER);

  gtk_button_set_icon_name (self->fullscreen_button,
                            fullscreen ? "view-restore-symbolic" : "view-fullscreen-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->fullscreen_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fullscreen_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static gboolean
gh_console_window_menu_is_open (GhConsoleWindow *self)
{
  GtkMenuButton *buttons[] = { self->power_button, self->send_keys_button, self->usb_button };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkPopover *popover = gtk_menu_button_get_popover (buttons[i]);

      if (popover != NULL && gtk_widget_get_visible (GTK_WIDGET (popover)))
        return TRUE;
    }

  return FALSE;
}

static void
on_pointer_motion (GtkEventControllerMotion *controller,
                   double                    x,
                   double                    y,
                   GhConsoleWindow          *self)
{
  int header_height;

  if (!adw_flap_get_folded (self->flap))
    return;

  header_height = gtk_widget_get_height (GTK_WIDGET (self->header_bar));

  if (y <= REVEAL_EDGE)
    adw_flap_set_reveal_flap (self->flap, TRUE);
  else if (adw_flap_get_reveal_flap (self->flap) && y > header_height + HIDE_MARGIN &&
           !gh_console_window_menu_is_open (self))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* GTK gives a key to the application's shortcuts (Ctrl+Q quits) before the focused widget
 * sees it. While the guest has the keyboard every key is the guest's, so the window hands
 * them to the display first; F11 alone stays the window's, as the shortcuts window says
 * (the Send Keys menu sends it to the guest). */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GhConsoleWindow       *self)
{
  if (keyval == GDK_KEY_F11 && (state & gtk_accelerator_get_default_mod_mask ()) == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "console.fullscreen", NULL);
      return GDK_EVENT_STOP;
    }

  if (gh_spice_display_get_keyboard_grabbed (self->display) &&
      gtk_widget_has_focus (GTK_WIDGET (self->display)))
    {
      gtk_event_controller_key_forward (controller, GTK_WIDGET (self->display));
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

/* A release goes no further than its press went: the display gets the ones it was given
 * the press of here. It ignores releases of keys it does not hold. */
static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GhConsoleWindow       *self)
{
  if (gtk_widget_has_focus (GTK_WIDGET (self->display)))
    gtk_event_controller_key_forward (controller, GTK_WIDGET (self->display));
}

static gboolean
hide_grab_hint (gpointer user_data)
{
  GhConsoleWindow *self = user_data;

  self->grab_hint_id = 0;
  gtk_revealer_set_reveal_child (self->grab_revealer, FALSE);

  return G_SOURCE_REMOVE;
}

static void
on_keyboard_grabbed_changed (GhConsoleWindow *self)
{
  gboolean grabbed = gh_spice_display_get_keyboard_grabbed (self->display);

  g_clear_handle_id (&self->grab_hint_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->grab_revealer, grabbed);
  if (grabbed)
    self->grab_hint_id = g_timeout_add_seconds (GRAB_HINT_SECONDS, hide_grab_hint, self);
}

/* ---- following the machine and its display ----------------------------------------- */

/* The actions first: the page gives the focus to a button only if it is sensitive. */
static void
on_display_changed (GhConsoleWindow *self)
{
  gh_console_window_update_actions (self);
  gh_console_window_update_status (self);
}

static void
on_session_state_changed (GhConsoleWindow *self)
{
  gh_console_window_update_actions (self);
  gh_console_window_update_status (self);
  gh_console_window_update_usb (self);
}

/* Each connection to the display is a new SpiceSession. */
static void
on_session_changed (GhConsoleWindow *self)
{
  gh_spice_display_set_session (self->display, gh_spice_session_get_session (self->session));
  gh_console_window_update_usb (self);
}

static void
on_machine_changed (GhConsoleWindow *self)
{
  gh_console_window_update_title (self);
  gh_console_window_update_actions (self);
  gh_console_window_update_status (self);
}

/* A deleted machine leaves its connection's list. So do all of them when the connection
 * is closed, but that one says so (its state) right after emptying the list: the window
 * looks once both have happened. */
static gboolean
check_gone (gpointer user_data)
{
  GhConsoleWindow *self = user_data;
  gboolean gone;

  self->check_gone_id = 0;

  if (gh_connection_get_state (self->connection) != GH_CONNECTION_STATE_CONNECTED)
    return G_SOURCE_REMOVE;

  gone = gh_machine_list_lookup_by_uuid (self->machines, self->uuid) != self->machine;
  if (gone != self->gone)
    {
      self->gone = gone;
      if (gone)
        gh_spice_session_disconnect (self->session);
      on_machine_changed (self);
    }

  return G_SOURCE_REMOVE;
}

static void
on_machines_changed (GhConsoleWindow *self)
{
  if (self->machines != NULL && self->check_gone_id == 0)
    self->check_gone_id = g_idle_add (check_gone, self);
}

/* ---- GtkWindow ---------------------------------------------------------------------- */

static void
on_focus_widget_changed (GhConsoleWindow *self)
{
  if (!self->moving_focus && !self->initial_focus)
    self->focus_automatic = FALSE;
  self->initial_focus = FALSE;
}

static void
gh_console_window_map (GtkWidget *widget)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (widget);

  GTK_WIDGET_CLASS (gh_console_window_parent_class)->map (widget);

  /* A window shown with no focus gives it to its first control, the power button, right
   * after this: that is not the user's choice. */
  self->initial_focus = gtk_root_get_focus (GTK_ROOT (self)) == NULL;
}

static gboolean
gh_console_window_close_request (GtkWindow *window)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (window);

  /* Only the display is let go: the machine runs on. */
  gh_spice_session_disconnect (self->session);

  return GTK_WINDOW_CLASS (gh_console_window_parent_class)->close_request (window);
}

static void
gh_console_window_constructed (GObject *object)
{
  GhConsoleWindow *self = (GhConsoleWindow *)object;
  GhConnection *connection;

  G_OBJECT_CLASS (gh_console_window_parent_class)->constructed (object);

  g_assert (GH_IS_MACHINE (self->machine));

  self->uuid = g_strdup (gh_machine_get_uuid (self->machine));
  connection = gh_machine_get_connection (self->machine);
  if (connection != NULL)
    {
      self->connection = g_object_ref (connection);
      self->uri = g_strdup (gh_connection_get_uri (connection));
      self->machines = g_object_ref (gh_connection_get_machines (connection));
      g_signal_connect_object (self->machines, "items-changed",
                               G_CALLBACK (on_machines_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->connection, "notify::state",
                               G_CALLBACK (on_machines_changed), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (self->machine, "notify::display-name",
                           G_CALLBACK (on_machine_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->machine, "notify::state",
                           G_CALLBACK (on_machine_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->machine, "notify::state-text",
                           G_CALLBACK (gh_console_window_update_title), self, G_CONNECT_SWAPPED);

  self->session = gh_spice_session_new (self->machine);
  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (on_session_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::session",
                           G_CALLBACK (on_session_changed), self, G_CONNECT_SWAPPED);
  /* Keys and clicks would go nowhere while the inputs channel links again: say so. */
  g_object_bind_property (self->session, "inputs-lost", self->inputs_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->display, "notify::ready",
                           G_CALLBACK (on_display_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->display, "notify::gl-error",
                           G_CALLBACK (on_display_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->display, "notify::keyboard-grabbed",
                           G_CALLBACK (on_keyboard_grabbed_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->machine, "notify::state",
                           G_CALLBACK (gh_console_window_check_display_port), self,
                           G_CONNECT_SWAPPED);
  gh_console_window_check_display_port (self);

  gh_console_window_update_title (self);
  on_session_state_changed (self);
  on_machines_changed (self);

  gh_spice_session_connect (self->session);
}

static void
gh_console_window_dispose (GObject *object)
{
  GhConsoleWindow *self = (GhConsoleWindow *)object;

  g_clear_handle_id (&self->grab_hint_id, g_source_remove);
  g_clear_handle_id (&self->check_gone_id, g_source_remove);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      gh_spice_session_disconnect (self->session);
    }
  if (self->usb != NULL)
    g_signal_handlers_disconnect_by_data (self->usb, self);
  if (self->display != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->display, self);
      gh_spice_display_set_session (self->display, NULL);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CONSOLE_WINDOW);

  g_clear_object (&self->usb);
  g_clear_object (&self->session);
  g_clear_object (&self->machines);
  g_clear_object (&self->connection);
  g_clear_object (&self->machine);

  G_OBJECT_CLASS (gh_console_window_parent_class)->dispose (object);
}

static void
gh_console_window_finalize (GObject *object)
{
  GhConsoleWindow *self = (GhConsoleWindow *)object;

  g_free (self->uri);
  g_free (self->uuid);

  G_OBJECT_CLASS (gh_console_window_parent_class)->finalize (object);
}

static void
gh_console_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_console_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  GhConsoleWindow *self = GH_CONSOLE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      self->machine = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_console_window_class_init (GhConsoleWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = gh_console_window_constructed;
  object_class->dispose = gh_console_window_dispose;
  object_class->finalize = gh_console_window_finalize;
  object_class->get_property = gh_console_window_get_property;
  object_class->set_property = gh_console_window_set_property;

  widget_class->map = gh_console_window_map;

  window_class->close_request = gh_console_window_close_request;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL,
                         GH_TYPE_MACHINE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GH_TYPE_SPICE_DISPLAY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/gh-console-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, power_button);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, send_keys_button);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, usb_button);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, screenshot_button);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, display);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, grab_revealer);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, port_revealer);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, port_label);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, inputs_revealer);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, usb_popover);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, usb_stack);
  gtk_widget_class_bind_template_child (widget_class, GhConsoleWindow, usb_list);

  for (guint i = 0; i < G_N_ELEMENTS (power_actions); i++)
    gtk_widget_class_install_action (widget_class, power_actions[i].action_name, NULL,
                                     gh_console_window_power_action);
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
  gtk_widget_class_install_action (widget_class, "console.settings", NULL,
                                   gh_console_window_settings_action);

  /* Reaches the window only while the guest does not have the keyboard. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "console.settings", NULL);
}

static void
gh_console_window_init (GhConsoleWindow *self)
{
  GtkEventController *controller;
  int header_height = 0;

  self->focus_automatic = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* An 800×600 guest shows 1:1 under the header bar. */
  gtk_widget_measure (GTK_WIDGET (self->header_bar), GTK_ORIENTATION_VERTICAL, GUEST_WIDTH,
                      NULL, &header_height, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (self), GUEST_WIDTH, GUEST_HEIGHT + header_height);

  /* Capture: before the application's shortcuts, and before the display. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (controller, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* Capture: the display keeps the pointer's motion to itself. */
  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "motion", G_CALLBACK (on_pointer_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened_changed), NULL);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_widget_changed), NULL);
  g_signal_connect_swapped (self->usb_popover, "show",
                            G_CALLBACK (gh_console_window_fill_usb_list), self);

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

GhConsoleWindow *
gh_console_window_new (GhApplication *application,
                       GhMachine     *machine)
{
  g_return_val_if_fail (GH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (GH_IS_MACHINE (machine), NULL);

  return g_object_new (GH_TYPE_CONSOLE_WINDOW,
                       "application", application,
                       "machine", machine,
                       NULL);
}

GhMachine *
gh_console_window_get_machine (GhConsoleWindow *self)
{
  g_return_val_if_fail (GH_IS_CONSOLE_WINDOW (self), NULL);

  return self->machine;
}

GhSpiceDisplay *
gh_console_window_get_display (GhConsoleWindow *self)
{
  g_return_val_if_fail (GH_IS_CONSOLE_WINDOW (self), NULL);

  return self->display;
}

gboolean
gh_console_window_get_inputs_lost_shown (GhConsoleWindow *self)
{
  g_return_val_if_fail (GH_IS_CONSOLE_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->inputs_revealer);
}

gboolean
gh_console_window_is_for (GhConsoleWindow *self,
                          const char      *uri,
                          const char      *uuid)
{
  g_return_val_if_fail (GH_IS_CONSOLE_WINDOW (self), FALSE);

  return g_strcmp0 (self->uri, uri) == 0 && g_strcmp0 (self->uuid, uuid) == 0;
}
