/* gh-console-window-private.h: shared by the parts of GhConsoleWindow
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-console-window.h"
#include "gh-machine-actions.h"
#include "gh-spice-session.h"

G_BEGIN_DECLS

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
  GhMachineActions      *actions;     /* "machine.start"…, inserted into the window */
  char                  *uri;
  char                  *uuid;

  guint                  grab_hint_id;
  guint                  check_gone_id;
  guint                  fit_id;
  /* The default size the window last gave itself, and how much of it is not the display
   * (gh-console-window-size.c). */
  int                    fit_width;
  int                    fit_height;
  int                    frame_width;
  int                    frame_height;
  guint                  gone : 1;    /* the machine was deleted */
  /* Where the focus is was not the user's choice (GTK's first pick, or ours): the page's
   * button, or the display, may take it. */
  guint                  focus_automatic : 1;
  guint                  initial_focus : 1;
  guint                  moving_focus : 1;
  guint                  frame_known : 1;
  guint                  user_sized : 1;  /* someone else sized the window: it keeps that */
};

/* gh-console-window.c */
void     _gh_console_window_add_toast           (GhConsoleWindow      *self,
                                                 const char           *message,
                                                 const char           *reason);
/* TRUE while the display shows the guest, not a page over it. */
gboolean _gh_console_window_shows_display       (GhConsoleWindow      *self);

/* gh-console-window-actions.c */
void     _gh_console_window_class_actions_init  (GhConsoleWindowClass *klass);
void     _gh_console_window_actions_init        (GhConsoleWindow      *self);
void     _gh_console_window_update_actions      (GhConsoleWindow      *self);
/* Follows the session's USB device manager; the button says why it cannot be used. */
void     _gh_console_window_update_usb          (GhConsoleWindow      *self);

/* gh-console-window-size.c */
void     _gh_console_window_size_init           (GhConsoleWindow      *self);
/* From size_allocate, once the window's children have their size. */
void     _gh_console_window_size_allocated      (GhConsoleWindow      *self);

G_END_DECLS
