/* gh-console-window.c: the console window, its session, and what it shows
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-console-window-private.h"
#include "gh-ui-toast.h"
#include "gh-ui-util.h"

/* The window follows its machine, its connection's list (to see it deleted) and one
 * GhSpiceSession, and shows the display or a page that says why there is none. Its
 * actions (Send Keys, screenshot, USB, fullscreen) are in gh-console-window-actions.c;
 * the power menu's are GhMachineActions, as a row's. Its size follows the guest's in
 * gh-console-window-size.c. */

/* In fullscreen, the pointer within this many pixels of the top edge brings the header bar
 * in, and this far below it sends it away again. */
#define REVEAL_EDGE 4
#define HIDE_MARGIN 24

#define GRAB_HINT_SECONDS 4

G_DEFINE_FINAL_TYPE (GhConsoleWindow, gh_console_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- messages ----------------------------------------------------------------------- */

/* @message as a toast; with @reason, which is often too long for one, a Details button
 * shows it. */
void
_gh_console_window_add_toast (GhConsoleWindow *self,
                              const char      *message,
                              const char      *reason)
{
  /* An action that outlived its window has no one to tell. */
  if (self->toast_overlay == NULL)
    return;

  gh_ui_add_toast (self->toast_overlay,
                   gh_ui_error_toast_new (message, reason, "console.show-error"));
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

gboolean
_gh_console_window_shows_display (GhConsoleWindow *self)
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
  gboolean shows_display = _gh_console_window_shows_display (self);
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
  _gh_console_window_update_actions (self);
  gh_console_window_update_status (self);
}

static void
on_session_state_changed (GhConsoleWindow *self)
{
  _gh_console_window_update_actions (self);
  gh_console_window_update_status (self);
  _gh_console_window_update_usb (self);
}

/* Each connection to the display is a new SpiceSession. */
static void
on_session_changed (GhConsoleWindow *self)
{
  gh_spice_display_set_session (self->display, gh_spice_session_get_session (self->session));
  _gh_console_window_update_usb (self);
}

static void
on_machine_changed (GhConsoleWindow *self)
{
  gh_console_window_update_title (self);
  _gh_console_window_update_actions (self);
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

static void
gh_console_window_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  GTK_WIDGET_CLASS (gh_console_window_parent_class)->size_allocate (widget, width, height,
                                                                    baseline);

  _gh_console_window_size_allocated (GH_CONSOLE_WINDOW (widget));
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

  /* Before the window's own handlers: the page gives the focus to its Start button only
   * once the machine's actions have followed a new state. */
  gh_machine_actions_set_machine (self->actions, self->machine);

  self->uuid = g_strdup (gh_machine_get_uuid (self->machine));
  connection = gh_connection_get_for_machine (self->machine);
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
  g_clear_handle_id (&self->fit_id, g_source_remove);

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
  g_clear_object (&self->actions);
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
  widget_class->size_allocate = gh_console_window_size_allocate;

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

  _gh_console_window_class_actions_init (klass);
}

static void
gh_console_window_init (GhConsoleWindow *self)
{
  GtkEventController *controller;

  self->focus_automatic = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  _gh_console_window_size_init (self);

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
  _gh_console_window_actions_init (self);

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

GhConsoleWindow *
gh_console_window_new (GtkApplication *application,
                       GhMachine      *machine)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
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

