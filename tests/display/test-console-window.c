/* test-console-window.c: the console window under a real display (Xvfb)
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The machines are in tests/data/console.xml, on libvirt's test driver, which opens no
 * graphics fd: what is tested here is everything around the display, which the e2e suite
 * shows on a real guest. Like the main window's tests, these run under the libvirt guard.
 */

#include <gdk/x11/gdkx.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "gh-application.h"
#include "gh-console-window.h"
#include "gh-display-test-util.h"
#include "gh-machine-row.h"
#include "gh-spice-display.h"
#include "gh-test-util.h"
#include "gh-window.h"

typedef struct
{
  GhApplication   *app;
  GhConnection    *connection;  /* borrowed: the application holds it */
  GhConsoleWindow *window;      /* weak */
  /* A guest's display that the test feeds: fixture_show_guest () */
  SpiceSession    *guest_session;
  SpiceChannel    *guest_channel;  /* weak: the session's */
  guint8          *guest_surface;  /* the primary surface the display was given last */
} Fixture;

/* ---- the widget tree ---------------------------------------------------------------- */

typedef gboolean (*WidgetMatch) (GtkWidget  *widget,
                                 const char *text);

/* The first widget under @root, depth first, that is of @type and matches. */
static GtkWidget *
find_widget (GtkWidget   *root,
             GType        type,
             WidgetMatch  match,
             const char  *text)
{
  GtkWidget *child = gtk_widget_get_first_child (root);

  for (; child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (match == NULL || match (child, text)))
        return child;
      if ((found = find_widget (child, type, match, text)) != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_css_class (GtkWidget  *widget,
               const char *css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
button_has_icon (GtkWidget  *widget,
                 const char *icon_name)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), icon_name) == 0;

  return g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon_name) == 0;
}

static gboolean
button_has_label (GtkWidget  *widget,
                  const char *label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
header_button (GhConsoleWindow *window,
               const char      *icon_name)
{
  GtkWidget *header_bar = find_widget (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR, NULL, NULL);
  GtkWidget *button;

  g_assert_nonnull (header_bar);
  button = find_widget (header_bar, GTK_TYPE_MENU_BUTTON, button_has_icon, icon_name);
  if (button == NULL)
    button = find_widget (header_bar, GTK_TYPE_BUTTON, button_has_icon, icon_name);
  g_assert_nonnull (button);

  return button;
}

static AdwStatusPage *
status_page (GhConsoleWindow *window)
{
  GtkWidget *page = find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, has_css_class,
                                 "console-status");

  g_assert_nonnull (page);

  return ADW_STATUS_PAGE (page);
}

/* The page's button that says @label, if a person sees it. */
static GtkWidget *
status_button (GhConsoleWindow *window,
               const char      *label)
{
  GtkWidget *button = find_widget (GTK_WIDGET (status_page (window)), GTK_TYPE_BUTTON,
                                   button_has_label, label);

  return button != NULL && gtk_widget_get_mapped (button) ? button : NULL;
}

static gboolean
shows_status (GhConsoleWindow *window)
{
  return gtk_widget_get_mapped (GTK_WIDGET (status_page (window)));
}

static const char *
status_title (GhConsoleWindow *window)
{
  return adw_status_page_get_title (status_page (window));
}

/* What the items of @button's menu say that a person sees, joined by "|". */
static char *
dup_menu_items (GtkMenuButton *button)
{
  GType model_button_type = g_type_from_name ("GtkModelButton");
  g_autoptr(GString) items = g_string_new (NULL);
  GtkWidget *popover;
  GtkWidget *widget;

  gtk_menu_button_popup (button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  gh_test_wait_until (gtk_widget_get_mapped (popover), "the menu to open");

  g_assert_true (model_button_type != G_TYPE_INVALID);
  for (widget = popover; widget != NULL; )
    {
      GtkWidget *next;

      if (G_TYPE_CHECK_INSTANCE_TYPE (widget, model_button_type) &&
          gtk_widget_get_mapped (widget))
        {
          g_autofree char *text = NULL;

          g_object_get (widget, "text", &text, NULL);
          g_string_append_printf (items, "%s%s%s", items->len > 0 ? "|" : "", text,
                                  gtk_widget_is_sensitive (widget) ? "" : " (off)");
        }

      /* Depth first, through the whole popover. */
      if ((next = gtk_widget_get_first_child (widget)) == NULL)
        {
          while (widget != popover && gtk_widget_get_next_sibling (widget) == NULL)
            widget = gtk_widget_get_parent (widget);
          next = widget != popover ? gtk_widget_get_next_sibling (widget) : NULL;
        }
      widget = next;
    }

  gtk_menu_button_popdown (button);

  return g_string_free (g_steal_pointer (&items), FALSE);
}

static gboolean
menu_items_are (GtkMenuButton *button,
                const char    *expected)
{
  g_autofree char *items = dup_menu_items (button);

  return g_strcmp0 (items, expected) == 0;
}

static void
assert_labelled (gpointer    widget,
                 const char *what)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    g_error ("%s has no accessible name", what);
}

/* ---- fixture ------------------------------------------------------------------------ */

/* Settings live in memory (GSETTINGS_BACKEND) and start from the defaults. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *uri = gh_test_data_uri ("console.xml");

  fixture->app = gh_display_test_new_registered_app ("ConsoleTest");
  fixture->connection = gh_display_test_add_connection (fixture->app, uri);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gh_display_test_destroy_windows (fixture->app);

  gh_application_remove_connection (fixture->app, fixture->connection, FALSE);
  gh_test_settle (100);
  g_assert_null (fixture->window);

  /* The window's display let go of the surface when the window went. */
  if (fixture->guest_session != NULL)
    spice_session_disconnect (fixture->guest_session);
  g_clear_object (&fixture->guest_session);
  g_clear_pointer (&fixture->guest_surface, g_free);

  g_clear_object (&fixture->app);
}

static GhMachine *
fixture_machine (Fixture    *fixture,
                 const char *name)
{
  GhMachine *machine = gh_machine_list_lookup_by_name (gh_connection_get_machines (
                                                         fixture->connection), name);

  g_assert_nonnull (machine);

  return machine;
}

/* Opens the console of @name as the main window's Open button would, and waits until it
 * is on screen. */
static GhConsoleWindow *
fixture_open (Fixture    *fixture,
              const char *name)
{
  GhConsoleWindow *window;

  window = gh_application_open_console (fixture->app, fixture_machine (fixture, name));
  g_assert_true (GH_IS_CONSOLE_WINDOW (window));
  g_assert_true (gh_console_window_get_machine (window) == fixture_machine (fixture, name));

  if (fixture->window != window)
    {
      g_assert_null (fixture->window);
      fixture->window = window;
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &fixture->window);
    }

  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)), "the console to be shown");

  return window;
}

/* The test driver gives no display, so the console's display is given one by the test: a
 * session whose display channel is never connected, whose signals the test emits as
 * spice-client-glib does for a QEMU guest's 2D surface (as test-spice-display.c does).
 * A @width × @height guest, grey, or a change of resolution to that. */
static void
fixture_show_guest (Fixture *fixture,
                    int      width,
                    int      height)
{
  GhSpiceDisplay *display = gh_console_window_get_display (fixture->window);
  guint8 *surface;

  if (fixture->guest_session == NULL)
    {
      fixture->guest_session = spice_session_new ();
      gh_spice_display_set_session (display, fixture->guest_session);
      /* The display hears of it at once, as the session makes it. */
      fixture->guest_channel = spice_channel_new (fixture->guest_session,
                                                  SPICE_CHANNEL_DISPLAY, 0);
      g_object_add_weak_pointer (G_OBJECT (fixture->guest_channel),
                                 (gpointer *) &fixture->guest_channel);
    }
  else
    g_signal_emit_by_name (fixture->guest_channel, "display-primary-destroy");
  g_assert_true (gh_spice_display_get_session (display) == fixture->guest_session);

  surface = g_malloc ((gsize) width * height * 4);
  memset (surface, 0x80, (gsize) width * height * 4);
  g_signal_emit_by_name (fixture->guest_channel, "display-primary-create",
                         SPICE_SURFACE_FMT_32_xRGB, width, height, width * 4, -1,
                         (gpointer) surface);
  g_signal_emit_by_name (fixture->guest_channel, "display-invalidate", 0, 0, width, height);
  /* The display holds no pointer into the old one any more. */
  g_free (fixture->guest_surface);
  fixture->guest_surface = surface;

  gh_spice_display_get_guest_size (display, &width, &height);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
}

static gboolean
display_is (GhConsoleWindow *window,
            int              width,
            int              height)
{
  GtkWidget *display = GTK_WIDGET (gh_console_window_get_display (window));

  return gtk_widget_get_width (display) == width && gtk_widget_get_height (display) == height;
}

static guint
count_console_windows (GhApplication *app)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    n += GH_IS_CONSOLE_WINDOW (l->data);

  return n;
}

/* ---- tests -------------------------------------------------------------------------- */

/* A machine that is off: its console says so and offers Start; the header bar has every
 * control, each with a name, and only what can work now is enabled. Start starts the
 * machine (the state arrives as an event); closing the window leaves it running. */
static void
test_console_stopped (Fixture       *fixture,
                      gconstpointer  data)
{
  GhMachine *machine = fixture_machine (fixture, "debian12");
  GhConsoleWindow *window = fixture_open (fixture, "debian12");
  AdwWindowTitle *title = ADW_WINDOW_TITLE (find_widget (GTK_WIDGET (window),
                                                         ADW_TYPE_WINDOW_TITLE, NULL, NULL));
  GtkWidget *power = header_button (window, "system-shutdown-symbolic");
  GtkWidget *send_keys = header_button (window, "input-keyboard-symbolic");
  GtkWidget *usb = header_button (window, "media-removable-symbolic");
  GtkWidget *screenshot = header_button (window, "camera-photo-symbolic");
  GtkWidget *fullscreen = header_button (window, "view-fullscreen-symbolic");
  GtkWidget *display = find_widget (GTK_WIDGET (window), GH_TYPE_SPICE_DISPLAY, NULL, NULL);
  GtkWidget *start;
  g_autofree char *power_items = NULL;
  g_autofree char *send_keys_items = NULL;
  g_autofree char *png = NULL;
  int width;
  int height;

  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);

  /* The title bar names the machine and its state. */
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Debian 12 Workstation");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==,
                   gh_machine_state_get_label (GH_MACHINE_STATE_SHUT_OFF));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Debian 12 Workstation");

  /* Before any guest is seen, the display has room for an 800×600 one, 1:1. */
  gh_test_wait_until (display_is (window, 800, 600), "the display at 800×600");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, >=, 800);
  g_assert_cmpint (width, <, 850);
  g_assert_cmpint (height, >, 600);
  g_assert_cmpint (height, <, 700);

  /* The page over the display says the machine is off and offers to start it; Enter
   * presses Start. */
  gh_test_wait_until (shows_status (window), "the status page");
  g_assert_cmpstr (status_title (window), ==, "“Debian 12 Workstation” is shut off");
  start = status_button (window, "_Start");
  g_assert_nonnull (start);
  g_assert_true (gtk_widget_is_sensitive (start));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == start);
  g_assert_null (status_button (window, "_Retry"));
  /* Nothing to show, so the display takes neither the keyboard nor the guest's keys. */
  g_assert_nonnull (display);
  g_assert_false (gtk_widget_get_can_focus (display));
  assert_labelled (display, "the display");

  /* Every control is in the header bar, named for screen readers. */
  assert_labelled (power, "Power");
  assert_labelled (send_keys, "Send Keys");
  assert_labelled (usb, "USB devices");
  assert_labelled (screenshot, "Screenshot");
  assert_labelled (fullscreen, "Fullscreen");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (power), ==, "Power");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (send_keys), ==, "Send Keys");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (screenshot), ==, "Take Screenshot");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (fullscreen), ==, "Fullscreen");

  /* What works on a machine that is off: starting it, and going fullscreen. */
  power_items = dup_menu_items (GTK_MENU_BUTTON (power));
  g_assert_cmpstr (power_items, ==, "Start");
  g_assert_true (gtk_widget_is_sensitive (power));
  g_assert_true (gtk_widget_is_sensitive (fullscreen));
  /* Keys, USB devices and screenshots need a display. */
  send_keys_items = dup_menu_items (GTK_MENU_BUTTON (send_keys));
  g_assert_cmpstr (send_keys_items, ==,
                   "Ctrl+Alt+Del (off)|Ctrl+Alt+Backspace (off)|Ctrl+Alt+F1 … F12 (off)|"
                   "Print Screen (off)|F11 (off)");
  g_assert_false (gtk_widget_is_sensitive (send_keys));
  g_assert_false (gtk_widget_is_sensitive (screenshot));
  g_assert_false (gtk_widget_is_sensitive (usb));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (usb), ==,
                   "USB devices can be connected while the machine’s display is shown");

  png = gh_display_test_save_screenshot (GTK_WIDGET (window), "console-stopped.png");
  gh_display_test_assert_png (png, 8000);

  /* Start, as a person would press it. */
  gtk_widget_activate (start);
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==,
                   gh_machine_state_get_label (GH_MACHINE_STATE_RUNNING));
  /* The menu follows once Start's own answer is in too, which may come after the event. */
  gh_test_wait_until (menu_items_are (GTK_MENU_BUTTON (power), "Shut Down|Reboot|Pause|Force Off…"),
                      "the running machine's power menu");

  /* The test driver has no display to give: the window says so and offers Retry. */
  gh_test_wait_until (status_button (window, "_Retry") != NULL, "Retry");
  g_assert_null (status_button (window, "_Start"));

  /* Closing the window lets go of the display, and of nothing else. */
  gtk_window_close (GTK_WINDOW (window));
  gh_test_wait_until (fixture->window == NULL, "the window to go");
  gh_test_settle (300);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_RUNNING);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* A running machine whose display refuses the connection (the test driver opens no
 * graphics fd): the page says what failed and why, and Retry tries again. */
static void
test_console_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  GhConsoleWindow *window = fixture_open (fixture, "fedora");
  g_autofree char *png = NULL;
  GtkWidget *retry;
  const char *description;
  guint n_titles = 0;
  gulong handler;

  gh_test_wait_until ((retry = status_button (window, "_Retry")) != NULL, "Retry");
  g_assert_cmpstr (status_title (window), ==,
                   "Could not connect to the display of “Fedora 39”");
  description = adw_status_page_get_description (status_page (window));
  g_test_message ("why: %s", description);
  g_assert_nonnull (description);
  g_assert_cmpstr (description, !=, "");
  /* The reason is libvirt's, without the title again. */
  g_assert_null (strstr (description, "Could not connect"));
  g_test_message ("focus: %s", G_OBJECT_TYPE_NAME (gtk_root_get_focus (GTK_ROOT (window))));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == retry);

  /* The machine runs: Start is not offered, the power menu has the rest. */
  g_assert_null (status_button (window, "_Start"));
  g_assert_true (gtk_widget_is_sensitive (header_button (window, "system-shutdown-symbolic")));

  /* Retry connects again: the page says so, and then why it failed again. */
  handler = g_signal_connect_swapped (status_page (window), "notify::title",
                                      G_CALLBACK (count_cb), &n_titles);
  gtk_widget_activate (retry);
  gh_test_wait_until (n_titles >= 2 && status_button (window, "_Retry") != NULL,
                      "Connecting…, then Retry again");
  g_signal_handler_disconnect (status_page (window), handler);
  g_assert_cmpstr (status_title (window), ==,
                   "Could not connect to the display of “Fedora 39”");

  png = gh_display_test_save_screenshot (GTK_WIDGET (window), "console-refused.png");
  gh_display_test_assert_png (png, 8000);
}

/* A machine with VNC only: the window opens and says why it shows nothing, with no
 * button that could not help. */
static void
test_console_no_spice (Fixture       *fixture,
                       gconstpointer  data)
{
  GhConsoleWindow *window = fixture_open (fixture, "win11");
  AdwWindowTitle *title = ADW_WINDOW_TITLE (find_widget (GTK_WIDGET (window),
                                                         ADW_TYPE_WINDOW_TITLE, NULL, NULL));
  const char *description;
  g_autofree char *png = NULL;

  gh_test_wait_until (shows_status (window) && status_title (window) != NULL,
                      "the status page");
  /* A title with "&" in it is shown as it is, not as markup. */
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Windows 11 & Office");
  g_assert_cmpstr (status_title (window), ==,
                   "Cannot show the display of “Windows 11 & Office”");
  description = adw_status_page_get_description (status_page (window));
  g_test_message ("why: %s", description);
  g_assert_nonnull (strstr (description, "no SPICE display"));
  g_assert_null (status_button (window, "_Retry"));
  g_assert_null (status_button (window, "_Start"));
  /* It runs all the same, and can be shut down from here. */
  g_assert_true (gtk_widget_is_sensitive (header_button (window, "system-shutdown-symbolic")));
  g_assert_false (gtk_widget_is_sensitive (header_button (window, "input-keyboard-symbolic")));

  png = gh_display_test_save_screenshot (GTK_WIDGET (window), "console-no-spice.png");
  gh_display_test_assert_png (png, 8000);
}

/* A machine deleted while its console is open: the window says so and offers nothing. */
static void
test_console_deleted (Fixture       *fixture,
                      gconstpointer  data)
{
  GhMachine *machine = fixture_machine (fixture, "debian12");
  GhConsoleWindow *window = fixture_open (fixture, "debian12");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gh_test_wait_until (status_button (window, "_Start") != NULL, "Start");

  gh_machine_delete_async (machine, FALSE, NULL, gh_test_store_result, &result);
  gh_test_wait_result (&result, "the machine to be deleted");
  g_assert_true (gh_machine_delete_finish (machine, result, &error));
  g_assert_no_error (error);

  gh_test_wait_until (g_strcmp0 (status_title (window),
                                 "“Debian 12 Workstation” no longer exists") == 0,
                      "the window to say the machine is gone");
  g_assert_null (status_button (window, "_Start"));
  g_assert_false (gtk_widget_is_sensitive (header_button (window, "system-shutdown-symbolic")));
}

static gboolean
label_has_text (GtkWidget  *widget,
                const char *text)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* xdotool, where it can work: on an X11 display. */
static char *
find_xdotool (void)
{
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    return NULL;

  return g_find_program_in_path ("xdotool");
}

/* Runs xdotool with the arguments that follow, up to NULL: real input through the X
 * server, which GTK 4 cannot make up. */
static void
run_xdotool (const char *xdotool,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) xdotool);
  va_start (args, xdotool);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

/* A real click in the middle of @widget. */
static void
click_on (const char *xdotool,
          GtkWidget  *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  graphene_point_t center;
  graphene_point_t point;
  double dx;
  double dy;

  g_assert_true (gtk_widget_get_mapped (widget));
  center = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                gtk_widget_get_height (widget) / 2.0);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &center, &point));
  /* Client-side decorations put the window's content a little inside its surface. */
  gtk_native_get_surface_transform (native, &dx, &dy);

  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
  x = g_strdup_printf ("%d", (int) (point.x + dx));
  y = g_strdup_printf ("%d", (int) (point.y + dy));
  run_xdotool (xdotool, "mousemove", "--sync", "--window", xid, x, y, "click", "1", NULL);
}

static GhMachineRow *
find_row (GhWindow  *main_window,
          GhMachine *machine)
{
  GtkWidget *view = find_widget (GTK_WIDGET (main_window), GTK_TYPE_GRID_VIEW, NULL, NULL);

  g_assert_nonnull (view);

  /* The view's items, each holding a row or a connection's header. */
  for (GtkWidget *item = gtk_widget_get_first_child (view);
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (GH_IS_MACHINE_ROW (child) &&
          gh_machine_row_get_machine (GH_MACHINE_ROW (child)) == machine &&
          gtk_widget_get_mapped (child))
        return GH_MACHINE_ROW (child);
    }

  return NULL;
}

/* Each machine has one console window: the main window's Open button and a second open
 * present the same one. A row offers Open once its machine runs, Start before; a click on
 * the row itself, or its menu, opens the console whatever the state. */
static void
test_console_one_window (Fixture       *fixture,
                         gconstpointer  data)
{
  GhMachine *machine = fixture_machine (fixture, "fedora");
  GhMachine *stopped = fixture_machine (fixture, "debian12");
  g_autofree char *xdotool = find_xdotool ();
  GhWindow *main_window;
  GhMachineRow *row = NULL;
  GhMachineRow *stopped_row = NULL;
  GhConsoleWindow *window;
  GtkWidget *open;
  GtkWidget *stopped_open;

  g_application_activate (G_APPLICATION (fixture->app));
  main_window = GH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_true (GH_IS_WINDOW (main_window));
  gh_test_wait_until ((row = find_row (main_window, machine)) != NULL &&
                      (stopped_row = find_row (main_window, stopped)) != NULL,
                      "the machines' rows");
  gh_test_settle (200);

  open = find_widget (GTK_WIDGET (row), GTK_TYPE_BUTTON, button_has_icon,
                      "video-display-symbolic");
  g_assert_nonnull (open);
  g_assert_true (gtk_widget_get_mapped (open));
  assert_labelled (open, "the row's Open button");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (open), ==, "Open Console");
  stopped_open = find_widget (GTK_WIDGET (stopped_row), GTK_TYPE_BUTTON, button_has_icon,
                              "video-display-symbolic");
  g_assert_false (stopped_open != NULL && gtk_widget_get_mapped (stopped_open));

  /* Real clicks where xdotool can make them: Start starts and opens nothing, a click on
   * the row's name opens the console. Else the row's menu item. */
  if (xdotool != NULL)
    {
      click_on (xdotool, find_widget (GTK_WIDGET (stopped_row), GTK_TYPE_BUTTON,
                                      button_has_label, "Start"));
      gh_test_wait_for_state (stopped, GH_MACHINE_STATE_RUNNING);
      gh_test_settle (300);
      g_assert_cmpuint (count_console_windows (fixture->app), ==, 0);

      click_on (xdotool, find_widget (GTK_WIDGET (stopped_row), GTK_TYPE_LABEL,
                                      label_has_text, "Debian 12 Workstation"));
    }
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stopped_row), "machine.open", NULL));
  gh_test_wait_until (count_console_windows (fixture->app) == 1, "the first console window");
  g_assert_true (GH_IS_CONSOLE_WINDOW (gtk_application_get_windows (
                   GTK_APPLICATION (fixture->app))->data));
  g_assert_true (gh_console_window_get_machine (gtk_application_get_windows (
                   GTK_APPLICATION (fixture->app))->data) == stopped);

  /* The Open button: a window of its own for another machine, */
  gtk_widget_activate (open);
  gh_test_wait_until (count_console_windows (fixture->app) == 2, "a second console window");
  window = fixture_open (fixture, "fedora");

  /* and the same one again, from the row and directly. */
  gtk_widget_activate (open);
  g_assert_true (fixture_open (fixture, "fedora") == window);
  gh_test_settle (100);
  g_assert_cmpuint (count_console_windows (fixture->app), ==, 2);
}

/* Force Off asks first, since the guest loses what it has not saved; Cancel keeps it
 * running. */
static void
test_console_force_off (Fixture       *fixture,
                        gconstpointer  data)
{
  GhMachine *machine = fixture_machine (fixture, "fedora");
  GhConsoleWindow *window = fixture_open (fixture, "fedora");
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "machine.force-off", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the confirmation");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Force Off “Fedora 39”?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Unsaved work"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "force-off"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);

  adw_message_dialog_response (dialog, "cancel");
  gh_test_settle (300);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_RUNNING);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "machine.force-off", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the confirmation");
  adw_message_dialog_response (dialog, "force-off");
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_SHUT_OFF);

  /* Now off: the console offers Start again. */
  gh_test_wait_until (status_button (window, "_Start") != NULL, "Start");
}

/* Asks for Force Off from @widget (a row or a console) and cancels; returns the question
 * as "heading|body|responses". */
static char *
dup_force_off_question (GtkWidget *widget)
{
  AdwMessageDialog *dialog;
  char *question;

  g_assert_true (gtk_widget_activate_action (widget, "machine.force-off", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the Force Off confirmation");
  question = g_strdup_printf ("%s|%s|%s %s|%s", adw_message_dialog_get_heading (dialog),
                              adw_message_dialog_get_body (dialog),
                              adw_message_dialog_get_response_label (dialog, "cancel"),
                              adw_message_dialog_get_response_label (dialog, "force-off"),
                              adw_message_dialog_get_default_response (dialog));
  /* What a click does: the response, then the dialog goes. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));

  return question;
}

/* A row and a console act through one table ("machine.*", GhMachineActions): the same
 * actions for the same state, one in flight from either turns them off in both (the
 * machine's busy), and Force Off asks the same question in both. A failure reaches the
 * window it was asked in through win.report-error. */
static void
test_console_shared_actions (Fixture       *fixture,
                             gconstpointer  data)
{
  GhMachine *machine = fixture_machine (fixture, "fedora");
  g_autofree char *row_question = NULL;
  g_autofree char *console_question = NULL;
  GhWindow *main_window;
  GhMachineRow *row = NULL;
  GhConsoleWindow *window;
  GtkWidget *power;
  GtkWidget *row_menu;

  g_application_activate (G_APPLICATION (fixture->app));
  main_window = GH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  gh_test_wait_until ((row = find_row (main_window, machine)) != NULL, "the machine's row");
  window = fixture_open (fixture, "fedora");
  power = header_button (window, "system-shutdown-symbolic");
  row_menu = find_widget (GTK_WIDGET (row), GTK_TYPE_MENU_BUTTON, button_has_icon,
                          "view-more-symbolic");
  g_assert_nonnull (row_menu);

  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_RUNNING);
  g_assert_true (menu_items_are (GTK_MENU_BUTTON (power), "Shut Down|Reboot|Pause|Force Off…"));
  g_assert_true (menu_items_are (GTK_MENU_BUTTON (row_menu),
                                 "Open Console|Settings|Shut Down|Reboot|Pause|Force Off…|"
                                 "Delete…"));

  /* Pause from the row: until its answer is in, the console has no power action either. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "machine.pause", NULL));
  g_assert_true (gh_machine_get_busy (machine));
  g_assert_false (gtk_widget_is_sensitive (power));
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_PAUSED);
  gh_test_wait_until (!gh_machine_get_busy (machine), "the pause to finish");
  g_assert_true (gtk_widget_is_sensitive (power));
  g_assert_true (menu_items_are (GTK_MENU_BUTTON (power), "Resume|Force Off…"));
  g_assert_true (menu_items_are (GTK_MENU_BUTTON (row_menu),
                                 "Open Console|Settings|Resume|Force Off…|Delete…"));

  /* Resume from the console: the same in the other direction. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "machine.resume", NULL));
  g_assert_true (gh_machine_get_busy (machine));
  g_assert_true (menu_items_are (GTK_MENU_BUTTON (row_menu),
                                 "Open Console|Settings|Delete… (off)"));
  gh_test_wait_for_state (machine, GH_MACHINE_STATE_RUNNING);
  gh_test_wait_until (!gh_machine_get_busy (machine), "the resume to finish");

  /* Force Off asks in both, in the same words. */
  row_question = dup_force_off_question (GTK_WIDGET (row));
  console_question = dup_force_off_question (GTK_WIDGET (window));
  g_test_message ("Force Off asks: %s", row_question);
  g_assert_cmpstr (row_question, ==, console_question);
  g_assert_true (g_str_has_prefix (row_question, "Force Off “Fedora 39”?|"));
  gh_test_settle (200);
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_RUNNING);

  /* The console shows what its actions report, as a toast with Details. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.report-error", "(ss)",
                                             "Could not pause “Fedora 39”",
                                             "domain is not running"));
  gh_test_wait_until (find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, label_has_text,
                                   "Could not pause “Fedora 39”") != NULL,
                      "the console's toast");
}

/* F11 and the button: in fullscreen the header bar lies over the display, out of sight
 * until the pointer reaches the top edge; leaving fullscreen brings it back in its place. */
static void
test_console_fullscreen (Fixture       *fixture,
                         gconstpointer  data)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *openbox = g_find_program_in_path ("openbox");
  g_autofree char *xdotool = find_xdotool ();
  const char *argv[] = { openbox, "--sm-disable", NULL };
  g_autofree char *png = NULL;
  g_autoptr(GError) error = NULL;
  GhConsoleWindow *window;
  AdwFlap *flap;
  GtkWidget *button;
  GPid pid;

  /* Xvfb has no window manager, and without one no window is ever fullscreen. */
  if (!GDK_IS_X11_DISPLAY (display) || openbox == NULL)
    {
      g_test_skip ("No X11 window manager to make the window fullscreen (install openbox)");
      return;
    }
  if (g_strcmp0 (gdk_x11_screen_get_window_manager_name (gdk_x11_display_get_screen (display)),
                 "unknown") != 0)
    pid = 0;
  else
    {
      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &pid, &error);
      g_assert_no_error (error);
      gh_test_wait_until (g_strcmp0 (gdk_x11_screen_get_window_manager_name (
                                       gdk_x11_display_get_screen (display)), "unknown") != 0,
                          "openbox to manage the windows");
    }

  window = fixture_open (fixture, "debian12");
  flap = ADW_FLAP (find_widget (GTK_WIDGET (window), ADW_TYPE_FLAP, NULL, NULL));
  button = header_button (window, "view-fullscreen-symbolic");
  /* At the size it gives itself: a window manager remembers the size a window had when it
   * went fullscreen, to give it back. */
  gh_test_wait_until (display_is (window, 800, 600), "the display at 800×600");

  g_assert_false (adw_flap_get_folded (flap));
  g_assert_true (adw_flap_get_reveal_flap (flap));

  gtk_widget_activate (button);
  gh_test_wait_until (gtk_window_is_fullscreen (GTK_WINDOW (window)), "fullscreen");
  gh_test_wait_until (adw_flap_get_folded (flap), "the header bar to lie over the display");
  g_assert_false (adw_flap_get_reveal_flap (flap));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "view-restore-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Leave Fullscreen");
  png = gh_display_test_save_screenshot (GTK_WIDGET (window), "console-fullscreen.png");
  gh_display_test_assert_png (png, 8000);

  /* With xdotool, a real pointer and a real key: the pointer at the top edge brings the
   * header bar in, away from it sends it off again, and F11 leaves fullscreen. */
  if (xdotool != NULL)
    {
      run_xdotool (xdotool, "mousemove", "640", "0", NULL);
      gh_test_wait_until (adw_flap_get_reveal_flap (flap), "the header bar to slide in");
      run_xdotool (xdotool, "mousemove", "640", "500", NULL);
      gh_test_wait_until (!adw_flap_get_reveal_flap (flap), "the header bar to slide away");
      run_xdotool (xdotool, "key", "F11", NULL);
    }
  else
    gtk_widget_activate (button);
  gh_test_wait_until (!gtk_window_is_fullscreen (GTK_WINDOW (window)), "the window again");
  gh_test_wait_until (!adw_flap_get_folded (flap), "the header bar in its place");
  g_assert_true (adw_flap_get_reveal_flap (flap));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==,
                   "view-fullscreen-symbolic");

  /* Fullscreen was no size the user chose: the window still follows the guest. */
  fixture_show_guest (fixture, 1024, 640);
  gh_test_wait_until (display_is (window, 1024, 640), "the display at 1024×640");

  if (pid != 0)
    {
      kill (pid, SIGTERM);
      waitpid (pid, NULL, 0);
      g_spawn_close_pid (pid);
    }
}

/* ---- the window's size -------------------------------------------------------------- */

/* The window gives the display the guest's size, so that no frame is scaled: when it opens,
 * and when the guest changes resolution. Once the user has given it another size it keeps
 * that, and the display scales the guest to fit. */
static void
test_console_size_guest (Fixture       *fixture,
                         gconstpointer  data)
{
  GhConsoleWindow *window = fixture_open (fixture, "debian12");
  GhSpiceDisplay *display = gh_console_window_get_display (window);
  int width, height;

  g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (display)), ==, 1);
  gh_test_wait_until (display_is (window, 800, 600), "the display at 800×600");

  /* An 800×600 guest is drawn 1:1, as it is. */
  fixture_show_guest (fixture, 800, 600);
  gh_test_settle (300);
  g_assert_true (display_is (window, 800, 600));
  g_assert_cmpfloat (gh_spice_display_get_zoom (display), ==, 1.0);

  /* Its resolution changes: the window grows with it. 1024×640, not 1024×768: with the
   * header bar, that would not fit 1:1 on Xvfb's 1280×800 screen. */
  fixture_show_guest (fixture, 1024, 640);
  gh_test_wait_until (display_is (window, 1024, 640), "the display at 1024×640");
  g_assert_cmpfloat (gh_spice_display_get_zoom (display), ==, 1.0);
  /* …and shrinks with it, down to its smallest size: a guest smaller than the header bar
   * is drawn 1:1 with black around it… */
  fixture_show_guest (fixture, 320, 200);
  gh_test_wait_until (gtk_widget_get_width (GTK_WIDGET (display)) < 640,
                      "the window to shrink");
  gh_test_settle (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (display)), >=, 320);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (display)), >=, 200);
  g_assert_cmpfloat (gh_spice_display_get_zoom (display), ==, 1.0);
  /* …and that smallest size, which GTK gave, was not the user's. */
  fixture_show_guest (fixture, 640, 480);
  gh_test_wait_until (display_is (window, 640, 480), "the display at 640×480");
  g_assert_cmpfloat (gh_spice_display_get_zoom (display), ==, 1.0);

  /* The user makes the window smaller: that size stays, and the guest is scaled. */
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gh_test_wait_until (gtk_widget_get_width (GTK_WIDGET (display)) < 700,
                      "the window to be resized");
  gh_test_settle (300);
  width = gtk_widget_get_width (GTK_WIDGET (display));
  height = gtk_widget_get_height (GTK_WIDGET (display));
  fixture_show_guest (fixture, 1024, 768);
  gh_test_settle (500);
  g_assert_true (display_is (window, width, height));
  g_assert_cmpfloat (gh_spice_display_get_zoom (display), <, 1.0);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);
}

/* A guest larger than the screen (Xvfb's is 1280×800): the window fits on the screen and
 * the display shows the whole guest, scaled down, keeping its aspect ratio. */
static void
test_console_size_large (Fixture       *fixture,
                         gconstpointer  data)
{
  GhConsoleWindow *window = fixture_open (fixture, "debian12");
  GhSpiceDisplay *display = gh_console_window_get_display (window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkMonitor *monitor = gdk_display_get_monitor_at_surface (gdk_display_get_default (),
                                                            surface);
  GdkRectangle screen;
  int display_width, display_height;
  int width, height;
  double zoom;

  gdk_monitor_get_geometry (monitor, &screen);
  g_test_message ("screen: %d×%d", screen.width, screen.height);
  if (screen.width >= 1600 || screen.height >= 1200)
    {
      g_test_skip ("The screen is not smaller than 1600×1200");
      return;
    }

  gh_test_wait_until (display_is (window, 800, 600), "the display at 800×600");
  fixture_show_guest (fixture, 1600, 1200);
  gh_test_wait_until (gtk_widget_get_height (GTK_WIDGET (display)) > 600,
                      "the window to grow");
  gh_test_settle (300);

  display_width = gtk_widget_get_width (GTK_WIDGET (display));
  display_height = gtk_widget_get_height (GTK_WIDGET (display));
  zoom = gh_spice_display_get_zoom (display);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_test_message ("window %d×%d, display %d×%d, zoom %g", width, height, display_width,
                  display_height, zoom);

  /* On the screen, and filling it one way… */
  g_assert_cmpint (width, <=, screen.width);
  g_assert_cmpint (height, <=, screen.height);
  g_assert_true (width > screen.width * 9 / 10 || height > screen.height * 9 / 10);
  /* …with the guest scaled down as a whole: at most a pixel of border. */
  g_assert_cmpfloat (zoom, <, 1.0);
  g_assert_cmpint (ABS (display_width - (int) floor (1600 * zoom)), <=, 1);
  g_assert_cmpint (ABS (display_height - (int) floor (1200 * zoom)), <=, 1);

  /* A guest that fits again is shown 1:1 again. */
  fixture_show_guest (fixture, 1024, 640);
  gh_test_wait_until (display_is (window, 1024, 640), "the display at 1024×640");
  g_assert_cmpfloat (gh_spice_display_get_zoom (display), ==, 1.0);
}

/* ---- the command line --------------------------------------------------------------- */

static gboolean
quit_once_shown (gpointer user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  if (windows == NULL || !gtk_widget_get_mapped (windows->data))
    return G_SOURCE_CONTINUE;

  /* The console alone: no main window. */
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  g_assert_true (GH_IS_CONSOLE_WINDOW (windows->data));
  g_assert_cmpstr (gh_machine_get_name (gh_console_window_get_machine (windows->data)), ==,
                   "debian12");
  g_print ("console shown\n");
  g_application_quit (app);

  return G_SOURCE_REMOVE;
}

/* `greenhouse --connect URI --console NAME`, in a child process: a name or UUID that is
 * there opens its console and nothing else; one that is not fails with a message. */
static void
command_line_child (gconstpointer data)
{
  const char *name = data;
  g_autoptr(GhApplication) app = gh_display_test_new_app ("ConsoleTest");
  g_autofree char *uri = gh_test_data_uri ("console.xml");
  char *argv[] = { "greenhouse", "--connect", uri, "--console", (char *) name, NULL };

  g_timeout_add (50, quit_once_shown, app);
  exit (g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv));
}

static void
test_command_line (void)
{
  g_test_trap_subprocess ("/display/console/subprocess/by-name", 60 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*console shown*");

  /* libvirt writes UUIDs in lower case; people may not. */
  g_test_trap_subprocess ("/display/console/subprocess/by-uuid", 60 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*console shown*");

  g_test_trap_subprocess ("/display/console/subprocess/unknown", 60 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout_unmatched ("*console shown*");
  g_test_trap_assert_stderr ("*Could not open the console of “no-such-machine”: "
                             "No machine has this name or UUID on test://*console.xml.*");
}

int
main (int   argc,
      char *argv[])
{
  if (!gh_display_test_init (&argc, &argv))
    return 1;

  g_test_add ("/display/console/stopped", Fixture, NULL,
              fixture_set_up, test_console_stopped, fixture_tear_down);
  g_test_add ("/display/console/refused", Fixture, NULL,
              fixture_set_up, test_console_refused, fixture_tear_down);
  g_test_add ("/display/console/no-spice", Fixture, NULL,
              fixture_set_up, test_console_no_spice, fixture_tear_down);
  g_test_add ("/display/console/deleted", Fixture, NULL,
              fixture_set_up, test_console_deleted, fixture_tear_down);
  g_test_add ("/display/console/one-window", Fixture, NULL,
              fixture_set_up, test_console_one_window, fixture_tear_down);
  g_test_add ("/display/console/force-off", Fixture, NULL,
              fixture_set_up, test_console_force_off, fixture_tear_down);
  g_test_add ("/display/console/shared-actions", Fixture, NULL,
              fixture_set_up, test_console_shared_actions, fixture_tear_down);
  g_test_add ("/display/console/fullscreen", Fixture, NULL,
              fixture_set_up, test_console_fullscreen, fixture_tear_down);
  g_test_add ("/display/console/size/guest", Fixture, NULL,
              fixture_set_up, test_console_size_guest, fixture_tear_down);
  g_test_add ("/display/console/size/large-guest", Fixture, NULL,
              fixture_set_up, test_console_size_large, fixture_tear_down);
  g_test_add_func ("/display/console/command-line", test_command_line);
  g_test_add_data_func ("/display/console/subprocess/by-name", "debian12",
                        command_line_child);
  g_test_add_data_func ("/display/console/subprocess/by-uuid",
                        "6C1F9A2E-3B4D-4E5F-8A6B-7C8D9E0F1A01", command_line_child);
  g_test_add_data_func ("/display/console/subprocess/unknown", "no-such-machine",
                        command_line_child);

  return g_test_run ();
}
