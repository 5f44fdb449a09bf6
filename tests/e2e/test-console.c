/* test-console.c: GhSpiceDisplay on real guests of a real qemu:///session daemon.
 *
 * Two guests, both booted directly from the Debian installer's kernel with an 800x600
 * framebuffer: the installer itself (its first screen waits for a key), and the "echo"
 * guest of tests/e2e/guests, which writes every line typed on its keyboard to its serial
 * port, where the test reads it, and whose guest agent lets libvirt reboot and shut it down.
 * The display gets its sockets from virDomainOpenGraphicsFD(), as in the console window.
 * tests/e2e/run-e2e runs this with --xvfb and XDG dirs of its own.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-application.h"
#include "gh-console-window.h"
#include "gh-machine-row.h"
#include "gh-create-wizard.h"
#include "gh-machine-settings.h"
#include "gh-core.h"
#include "gh-display-test-util.h"
#include "gh-e2e-keys.h"
#include "gh-e2e-util.h"
#include "gh-spice-display.h"
#include "gh-spice-session.h"

#define URI "qemu:///session"
#define INSTALLER_DIR "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"
#define INSTALLER_NAME "greenhouse-e2e-installer"
#define ECHO_NAME "greenhouse-e2e-echo"
#define WIZARD_NAME "greenhouse-e2e-wizard"
#define EXPRESS_NAME "greenhouse-e2e-express"
/* What libosinfo calls the ISO that tests/e2e/guests/make-iso writes. */
#define WIZARD_OS "http://debian.org/debian/testing"
/* What the echo guest's agent (tests/e2e/guests/guest-agent.sh) calls its guest. */
#define ECHO_AGENT_HOST_NAME "greenhouse-echo"

/* TCG boots a kernel in tens of seconds on a loaded CI machine. */
#define OPEN_TIMEOUT_S  30
#define BOOT_TIMEOUT_S  240
#define FRAME_TIMEOUT_S 60

/* Evdev key codes; GDK's hardware keycodes are these + 8 under X11 and Wayland. */
#define KEY_ENTER      28
#define KEY_LEFTSHIFT  42
#define KEY_LEFTCTRL   29
#define KEY_C          46
/* The same key as a SPICE (XT) scancode. */
#define SCANCODE_LEFTSHIFT 0x2a

typedef struct
{
  virDomainPtr domain;
  GhMachine *machine;
  GhSpiceSession *session;
  GtkWidget *window;
  GhSpiceDisplay *display;
  char *serial_log;
  gboolean scaled;    /* the display is shown scaled: compare the frame it presents */
} Guest;

static struct
{
  GhConnection *connection;
  virConnectPtr plain;
  const char *files;
  Guest installer;
  Guest echo;
} e2e;

static char *
domain_xml (const char *name,
            guint       memory_mib,
            const char *initrd,
            const char *cmdline,
            const char *serial_log,
            const char *agent_socket)
{
  int kvm_fd = g_open ("/dev/kvm", O_RDWR | O_CLOEXEC, 0);
  const char *type = kvm_fd >= 0 ? "kvm" : "qemu";
  g_autofree char *serial = NULL;
  g_autofree char *agent = NULL;

  if (kvm_fd >= 0)
    g_close (kvm_fd, NULL);

  serial = serial_log != NULL
    ? g_strdup_printf ("<serial type='file'><source path='%s' append='on'/></serial>", serial_log)
    : g_strdup ("<serial type='pty'/>");
  /* libvirt would put the socket under $XDG_CONFIG_HOME, which run-e2e makes too deep for
   * a socket's path (108 bytes); libvirt adds the virtio-serial bus itself. */
  agent = agent_socket != NULL
    ? g_strdup_printf ("<channel type='unix'><source mode='bind' path='%s'/>"
                       "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>",
                       agent_socket)
    : g_strdup ("");

  /* What Greenhouse gives the machines it creates, for the console. */
  return g_strdup_printf (
    "<domain type='%s'>"
    "  <name>%s</name>"
    "  <memory unit='MiB'>%u</memory>"
    "  <vcpu>1</vcpu>"
    "  <os><type arch='x86_64' machine='pc'>hvm</type>"
    "    <kernel>" INSTALLER_DIR "/linux</kernel>"
    "    <initrd>%s</initrd>"
    "    <cmdline>%s</cmdline></os>"
    "  <features><acpi/></features>"
    "  <devices>"
    "    %s"
    "    <input type='tablet' bus='usb'/>"
    "    <graphics type='spice'><listen type='none'/></graphics>"
    "    <channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"
    "    <redirdev bus='usb' type='spicevmc'/>"
    "    <redirdev bus='usb' type='spicevmc'/>"
    "    <video><model type='qxl'/></video>"
    "    %s"
    "  </devices>"
    "</domain>",
    type, name, memory_mib, initrd, cmdline, serial, agent);
}

static GhMachine *
lookup_machine (const char *name)
{
  return gh_machine_list_lookup_by_name (gh_connection_get_machines (e2e.connection), name);
}

static void
session_state_cb (GhSpiceSession *session,
                  GParamSpec     *pspec,
                  Guest          *guest)
{
  const GError *error = gh_spice_session_get_error (session);

  g_test_message ("%s: display session state %d%s%s", gh_machine_get_name (guest->machine),
                  gh_spice_session_get_state (session),
                  error != NULL ? ": " : "", error != NULL ? error->message : "");
}

static void
session_changed_cb (GhSpiceSession *session,
                    GParamSpec     *pspec,
                    Guest          *guest)
{
  gh_spice_display_set_session (guest->display, gh_spice_session_get_session (session));
}

/* GTK 4.8 picks a window's renderer when it realizes the window, from this display
 * data before $GSK_RENDERER: the windows made from now on get @renderer ("cairo",
 * "gl"), so that each comparison with QEMU's screenshot runs under a renderer it names. */
static void
use_renderer (const char *renderer)
{
  g_object_set_data_full (G_OBJECT (gdk_display_get_default ()), "gsk-renderer",
                          g_strdup (renderer), g_free);
}

/* Says which renderer draws @window, and fails unless it is the one @renderer names. */
static void
assert_renderer (GtkWidget  *window,
                 const char *renderer)
{
  GskRenderer *actual = gtk_native_get_renderer (GTK_NATIVE (window));
  const char *wanted = g_str_equal (renderer, "gl") ? "GskGLRenderer" : "GskCairoRenderer";

  g_assert_nonnull (actual);
  g_test_message ("renderer: %s draws %s (asked for \"%s\")", G_OBJECT_TYPE_NAME (actual),
                  G_OBJECT_TYPE_NAME (window), renderer);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (actual), ==, wanted);
}

/* Defines and starts @guest from outside, then shows its display in a window of its size,
 * drawn by @renderer. With @agent_socket, the domain has the guest agent's channel, on
 * that socket. */
static void
start_guest (Guest      *guest,
             const char *name,
             guint       memory_mib,
             const char *initrd,
             const char *cmdline,
             const char *serial_log,
             const char *agent_socket,
             const char *renderer)
{
  g_autofree char *xml = domain_xml (name, memory_mib, initrd, cmdline, serial_log,
                                     agent_socket);

  guest->serial_log = g_strdup (serial_log);

  gh_e2e_allow_outside_calls (TRUE);
  guest->domain = virDomainDefineXML (e2e.plain, xml);
  if (guest->domain == NULL)
    g_error ("virDomainDefineXML: %s", virGetLastErrorMessage ());
  if (virDomainCreate (guest->domain) < 0)
    g_error ("virDomainCreate: %s", virGetLastErrorMessage ());
  gh_e2e_allow_outside_calls (FALSE);

  gh_e2e_wait_until (lookup_machine (name) != NULL &&
              gh_machine_get_state (lookup_machine (name)) == GH_MACHINE_STATE_RUNNING,
              OPEN_TIMEOUT_S, "the running event of %s", name);
  guest->machine = g_object_ref (lookup_machine (name));
  g_assert_true (gh_machine_get_has_spice (guest->machine));

  guest->session = gh_spice_session_new (guest->machine);
  g_signal_connect (guest->session, "notify::state", G_CALLBACK (session_state_cb), guest);
  g_signal_connect (guest->session, "notify::session", G_CALLBACK (session_changed_cb), guest);

  guest->display = GH_SPICE_DISPLAY (gh_spice_display_new (NULL, 0));
  guest->window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (guest->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (guest->window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (guest->window), GTK_WIDGET (guest->display));
  use_renderer (renderer);
  gtk_window_present (GTK_WINDOW (guest->window));
  use_renderer ("cairo");
  assert_renderer (guest->window, renderer);
  gtk_widget_grab_focus (GTK_WIDGET (guest->display));

  gh_spice_session_connect (guest->session);
  gh_e2e_wait_until (gh_spice_session_get_state (guest->session) == GH_SPICE_SESSION_STATE_CONNECTED,
              OPEN_TIMEOUT_S, "the display connection of %s", name);
}

static void
stop_guest (Guest *guest)
{
  if (guest->session != NULL)
    gh_spice_session_disconnect (guest->session);
  g_clear_object (&guest->session);
  if (guest->window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&guest->window)));
  g_clear_object (&guest->machine);

  gh_e2e_allow_outside_calls (TRUE);
  if (guest->domain != NULL)
    {
      virDomainDestroy (guest->domain);
      virDomainUndefine (guest->domain);
    }
  g_clear_pointer (&guest->domain, virDomainFree);
  gh_e2e_allow_outside_calls (FALSE);
  g_clear_pointer (&guest->serial_log, g_free);
}

/* Frames */

typedef struct
{
  int width;
  int height;
  guint8 *rgb;   /* width * height * 3 */
} Image;

static void
image_free (Image *image)
{
  g_free (image->rgb);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

static int
stream_sink_cb (virStreamPtr  stream,
                const char   *data,
                size_t        n,
                void         *opaque)
{
  g_byte_array_append (opaque, (const guint8 *) data, n);
  return n;
}

static Image *
image_new_from_texture (GdkTexture *texture)
{
  g_autofree guint8 *bgra = NULL;
  Image *image = g_new0 (Image, 1);

  image->width = gdk_texture_get_width (texture);
  image->height = gdk_texture_get_height (texture);
  bgra = g_malloc ((gsize) image->width * image->height * 4);
  /* Cairo's ARGB32: B, G, R, A in memory on little-endian machines. */
  gdk_texture_download (texture, bgra, image->width * 4);
  image->rgb = g_malloc ((gsize) image->width * image->height * 3);
  for (int i = 0; i < image->width * image->height; i++)
    {
      image->rgb[i * 3 + 0] = bgra[i * 4 + 2];
      image->rgb[i * 3 + 1] = bgra[i * 4 + 1];
      image->rgb[i * 3 + 2] = bgra[i * 4 + 0];
    }

  return image;
}

/* What QEMU shows, through libvirt: the reference the display must match. */
static Image *
domain_screenshot (Guest *guest)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mime = NULL;
  virStreamPtr stream;

  gh_e2e_allow_outside_calls (TRUE);
  stream = virStreamNew (e2e.plain, 0);
  mime = virDomainScreenshot (guest->domain, stream, 0, 0);
  if (mime == NULL)
    g_error ("virDomainScreenshot: %s", virGetLastErrorMessage ());
  if (virStreamRecvAll (stream, stream_sink_cb, array) < 0)
    g_error ("virStreamRecvAll: %s", virGetLastErrorMessage ());
  virStreamFinish (stream);
  virStreamFree (stream);
  gh_e2e_allow_outside_calls (FALSE);

  /* QEMU 7.2 gives PNG; older ones PPM, which GdkTexture does not read. */
  g_assert_cmpstr (mime, ==, "image/png");
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&array));
  texture = gdk_texture_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  return image_new_from_texture (texture);
}

static void
set_true_cb (gboolean *flag)
{
  *flag = TRUE;
}

/* What @widget draws, rendered by its window's renderer as GTK would paint it. A widget
 * paintable shows what was drawn last: under load a widget that was just shown may not
 * have drawn yet, so a frame is waited for until there is something to show. */
static Image *
widget_image (GtkWidget *widget)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width = 0;
  int height = 0;

  for (guint tries = 0; node == NULL; tries++)
    {
      g_autoptr(GdkPaintable) paintable = NULL;
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (tries > 0)
        {
          GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
          gboolean painted = FALSE;
          gulong handler;

          g_assert_nonnull (clock);
          g_assert_cmpuint (tries, <, 50);
          handler = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (set_true_cb),
                                              &painted);
          gtk_widget_queue_draw (widget);
          gh_e2e_wait_until (painted, FRAME_TIMEOUT_S, "a frame of the widget to be drawn");
          g_signal_handler_disconnect (clock, handler);
        }
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      paintable = gtk_widget_paintable_new (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  return image_new_from_texture (texture);
}

static Image *
widget_frame (Guest *guest)
{
  g_autoptr(GdkTexture) frame = NULL;

  if (!guest->scaled)
    return widget_image (GTK_WIDGET (guest->display));

  /* A window that is not the guest's size scales what it draws: what the display presents
   * is then the frame it holds at the guest's own size, once the display has one (a
   * console that just opened may not yet). */
  gh_e2e_wait_until ((frame = gh_spice_display_dup_frame (guest->display)) != NULL,
                     FRAME_TIMEOUT_S, "a frame in the console's display");
  return image_new_from_texture (frame);
}

static double
fraction_equal (const Image *a,
                const Image *b)
{
  guint n_equal = 0;
  guint n = a->width * a->height;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);

  for (guint i = 0; i < n; i++)
    if (memcmp (a->rgb + i * 3, b->rgb + i * 3, 3) == 0)
      n_equal++;

  return (double) n_equal / n;
}

/* The share of @image's pixels that are of one colour, give or take a little. */
static double
fraction_of_colour (const Image *image,
                    guint8       r,
                    guint8       g,
                    guint8       b)
{
  gsize n = (gsize) image->width * image->height, n_match = 0;

  for (gsize i = 0; i < n; i++)
    {
      const guint8 *p = image->rgb + i * 3;

      if (ABS (p[0] - r) <= 8 && ABS (p[1] - g) <= 8 && ABS (p[2] - b) <= 8)
        n_match++;
    }
  return n > 0 ? (double) n_match / n : 0;
}

static guint
n_colours (const Image *image)
{
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

  for (int i = 0; i < image->width * image->height; i += 7)
    {
      const guint8 *p = image->rgb + i * 3;

      g_hash_table_add (colours, GUINT_TO_POINTER (p[0] << 16 | p[1] << 8 | p[2]));
    }
  return g_hash_table_size (colours);
}

static void
save_image (const Image *image,
            const char  *name)
{
  /* run-e2e copies this folder to the suite's artifacts when the test ends. */
  const char *dir = g_getenv ("GREENHOUSE_E2E_ARTIFACTS");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || g_mkdir_with_parents (dir, 0755) < 0 || access (dir, W_OK) < 0)
    dir = g_get_tmp_dir ();
  path = g_build_filename (dir, name, NULL);
  bytes = g_bytes_new (image->rgb, (gsize) image->width * image->height * 3);
  texture = gdk_memory_texture_new (image->width, image->height, GDK_MEMORY_R8G8B8, bytes,
                                    image->width * 3);
  if (!gdk_texture_save_to_png (texture, path))
    g_test_message ("could not save %s", path);
  else
    g_test_message ("saved %s", path);
}

/* Waits until the guest's screen holds still with something on it: two screenshots a
 * second apart that are the same, and more than a few colours. */
static Image *
wait_for_still_screen (Guest      *guest,
                       guint       min_colours,
                       const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) BOOT_TIMEOUT_S * G_USEC_PER_SEC;
  g_autoptr(Image) last = NULL;

  for (;;)
    {
      g_autoptr(Image) now = domain_screenshot (guest);

      if (last != NULL && last->width == now->width && last->height == now->height &&
          fraction_equal (last, now) > 0.999 && n_colours (now) >= min_colours)
        return g_steal_pointer (&now);

      if (g_get_monotonic_time () > deadline)
        {
          save_image (now, "console-timeout.png");
          g_error ("%s: the screen did not settle within %d s", what, BOOT_TIMEOUT_S);
        }

      g_clear_pointer (&last, image_free);
      last = g_steal_pointer (&now);
      gh_e2e_spin (1000);
    }
}

/* Compares the widget with QEMU's screenshot; the fbcon cursor may blink in between. */
static double
compare_with_screenshot (Guest      *guest,
                         const char *artifact)
{
  g_autoptr(Image) frame = NULL;
  g_autoptr(Image) shot = NULL;
  double equal;

  /* Whatever the guest drew before the screenshot reaches us first. */
  shot = domain_screenshot (guest);
  gh_e2e_spin (1500);
  frame = widget_frame (guest);
  g_clear_pointer (&shot, image_free);
  shot = domain_screenshot (guest);

  save_image (frame, artifact);
  g_assert_cmpint (frame->width, ==, shot->width);
  g_assert_cmpint (frame->height, ==, shot->height);
  equal = fraction_equal (frame, shot);
  g_test_message ("%s: %.4f of the pixels equal QEMU's screenshot", artifact, equal);

  return equal;
}

/* Keys */

static guint
count_in_serial_log (Guest      *guest,
                     const char *needle)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (guest->serial_log, &text, NULL, NULL))
    return 0;
  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* Waits until @needle was printed @n times on @guest's serial port; shows the log if not. */
static void
wait_for_serial_line (Guest      *guest,
                      const char *needle,
                      guint       n,
                      const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) BOOT_TIMEOUT_S * G_USEC_PER_SEC;

  while (count_in_serial_log (guest, needle) < n)
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *text = NULL;

          g_file_get_contents (guest->serial_log, &text, NULL, NULL);
          g_error ("%s did not happen within %d s; the serial port said:\n%s",
                   what, BOOT_TIMEOUT_S, text != NULL ? text : "(nothing)");
        }
      gh_e2e_spin (200);
    }
}

/* spice-client-glib complains about what a server does on the wire: a link closed
 * half-way, while a viewer leaves as its channels still link, is a warning or even a
 * critical ("incomplete link reply"). The session handles it as a lost channel, which the
 * tests judge by what the display shows. Any other critical of it fails the test (without
 * aborting, so the test's own cleanup runs), and every other library's warnings and
 * criticals stay fatal. (A fatal handler would not do: GLib forgets it at the start of
 * every test case.) */
static void
spice_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  g_log_default_handler (log_domain, log_level, message, user_data);
  if ((log_level & G_LOG_LEVEL_CRITICAL) != 0 && strstr (message, "incomplete link") == NULL)
    g_test_fail_printf ("spice-client-glib: %s", message);
}

static void
spice_warnings_not_fatal (void)
{
  static const char * const domains[] = {
    G_LOG_DOMAIN, "GLib", "GLib-GObject", "GLib-GIO", "Gtk", "Gdk", "Gsk", "Adwaita",
  };

  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  for (gsize i = 0; i < G_N_ELEMENTS (domains); i++)
    g_log_set_fatal_mask (domains[i], G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_fatal_mask ("GSpice", G_LOG_FATAL_MASK);
  g_log_set_handler ("GSpice", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, spice_log_cb, NULL);
}

/* Tests */

static void
test_open (void)
{
  e2e.connection = gh_e2e_open_connection (URI, &e2e.plain);
}

static void
test_installer_frame (void)
{
  g_autoptr(Image) screen = NULL;
  int width, height;

  start_guest (&e2e.installer, INSTALLER_NAME, 1024, INSTALLER_DIR "/initrd.gz",
               "vga=788 priority=high", NULL, NULL, "gl");

  /* The installer's first question (the language) on the framebuffer. */
  screen = wait_for_still_screen (&e2e.installer, 4, "the installer's first screen");
  save_image (screen, "console-installer-qemu.png");
  g_assert_cmpint (screen->width, ==, 800);
  g_assert_cmpint (screen->height, ==, 600);

  gh_e2e_wait_until (gh_spice_display_get_ready (e2e.installer.display), FRAME_TIMEOUT_S,
              "the first frame");
  gh_spice_display_get_guest_size (e2e.installer.display, &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);
  g_assert_cmpuint (gh_spice_display_get_n_frames (e2e.installer.display), >, 0);

  g_assert_cmpfloat (compare_with_screenshot (&e2e.installer, "console-installer.png"), >=, 0.99);
}

static void
test_installer_enter (void)
{
  g_autoptr(Image) before = widget_frame (&e2e.installer);
  g_autoptr(Image) after = NULL;
  double equal = 1.0;
  gint64 deadline;

  gh_e2e_tap (e2e.installer.display, GDK_KEY_Return, KEY_ENTER, FALSE);

  /* The installer goes on to its next question: most of the screen changes. */
  deadline = g_get_monotonic_time () + (gint64) FRAME_TIMEOUT_S * G_USEC_PER_SEC;
  while (equal > 0.9)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the installer did not react to Enter within %d s", FRAME_TIMEOUT_S);
      gh_e2e_spin (500);
      g_clear_pointer (&after, image_free);
      after = widget_frame (&e2e.installer);
      equal = fraction_equal (before, after);
    }
  g_test_message ("after Enter, %.3f of the pixels are unchanged", equal);

  /* And what the widget shows is still what the guest shows. */
  wait_for_still_screen (&e2e.installer, 4, "the installer's second screen");
  g_assert_cmpfloat (compare_with_screenshot (&e2e.installer, "console-installer-next.png"),
                     >=, 0.99);
}

/* The console window as a user opens it, on the installer; closing it leaves the guest
 * running. */
static void
test_installer_window (void)
{
  g_autoptr(GhApplication) app = NULL;
  g_autoptr(Image) image = NULL;
  GhConsoleWindow *window;
  GhSpiceDisplay *display;
  int state = 0;

  /* A SPICE server serves one client: the test's own viewer steps aside, and the server
   * must have seen it go before the next one links. */
  gh_spice_session_disconnect (e2e.installer.session);
  gh_e2e_spin (3000);
  g_test_message ("reconnecting the test's own viewer");
  gh_spice_session_connect (e2e.installer.session);
  gh_e2e_wait_until (gh_spice_display_get_ready (e2e.installer.display), FRAME_TIMEOUT_S,
              "the test viewer's frame after a reconnection");
  g_test_message ("reconnected");
  gh_spice_session_disconnect (e2e.installer.session);
  gh_e2e_spin (3000);

  app = gh_display_test_new_registered_app ("E2eConsole");

  window = gh_application_open_console (app, e2e.installer.machine);
  g_assert_nonnull (window);
  g_assert_true (gh_application_open_console (app, e2e.installer.machine) == window);

  display = gh_console_window_get_display (window);
  g_assert_nonnull (display);
  {
    gint64 deadline = g_get_monotonic_time () + (gint64) FRAME_TIMEOUT_S * G_USEC_PER_SEC;

    while (!gh_spice_display_get_ready (display))
      {
        if (g_get_monotonic_time () > deadline)
          {
            g_autoptr(Image) shown = widget_image (GTK_WIDGET (window));

            save_image (shown, "console-window-timeout.png");
            g_error ("the console window showed no frame within %d s", FRAME_TIMEOUT_S);
          }
        gh_e2e_spin (200);
      }
  }
  wait_for_still_screen (&e2e.installer, 4, "the installer in the console window");
  gh_e2e_spin (1500);

  image = widget_image (GTK_WIDGET (window));
  save_image (image, "console-window-installer.png");

  gtk_window_close (GTK_WINDOW (window));
  gh_e2e_spin (1000);

  gh_e2e_allow_outside_calls (TRUE);
  g_assert_cmpint (virDomainGetState (e2e.installer.domain, &state, NULL, 0), ==, 0);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_cmpint (state, ==, VIR_DOMAIN_RUNNING);

  stop_guest (&e2e.installer);
}

static char *
echo_initramfs (void)
{
  g_autofree char *path = g_build_filename (e2e.files, "echo.cpio.gz", NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s is missing: run-e2e --copy it", path);
  return g_steal_pointer (&path);
}

static void
test_echo_typing (void)
{
  g_autofree char *initrd = echo_initramfs ();
  g_autofree char *log = g_build_filename (g_get_user_runtime_dir (), "echo-serial.log", NULL);
  g_autofree char *agent_socket = g_build_filename (g_get_user_runtime_dir (), "echo-agent.sock",
                                                    NULL);
  const char *line = "Hello, World 42!";
  g_autofree char *expected = g_strdup_printf ("GOT:%s", line);

  start_guest (&e2e.echo, ECHO_NAME, 256, initrd, "vga=788 console=tty1 console=ttyS0", log,
               agent_socket, "cairo");
  wait_for_serial_line (&e2e.echo, "GREENHOUSE-ECHO-READY", 1,
                        "the echo guest's banner on its serial port");
  gh_e2e_wait_until (gh_spice_display_get_ready (e2e.echo.display), FRAME_TIMEOUT_S, "the first frame");

  gh_e2e_type_text (e2e.echo.display, line);
  gh_e2e_tap (e2e.echo.display, GDK_KEY_Return, KEY_ENTER, FALSE);

  gh_e2e_wait_until (count_in_serial_log (&e2e.echo, "GOT:") >= 1, FRAME_TIMEOUT_S,
              "the typed line on the serial port");
  if (count_in_serial_log (&e2e.echo, expected) != 1)
    {
      g_autofree char *text = NULL;

      g_file_get_contents (log, &text, NULL, NULL);
      g_error ("the guest read something else than “%s”:\n%s", line, text);
    }

  /* The guest echoes the line on its screen too: the display shows that. */
  wait_for_still_screen (&e2e.echo, 2, "the echoed line");
  g_assert_cmpfloat (compare_with_screenshot (&e2e.echo, "console-echo.png"), >=, 0.99);
}

/* The QEMU process of @guest, from its pid file in the session daemon's runtime dir. */
static GPid
qemu_pid (Guest *guest)
{
  g_autofree char *path = g_strdup_printf ("%s/libvirt/qemu/run/%s.pid", g_get_user_runtime_dir (),
                                           gh_machine_get_name (guest->machine));
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 pid;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  pid = g_ascii_strtoll (text, NULL, 10);
  g_assert_cmpint (pid, >, 1);
  return (GPid) pid;
}

/* Connects the echo guest's viewer again and waits for its display, then presses Enter
 * until the guest reads one: a key sent while the inputs channel still links goes
 * nowhere, so later tests type on a keyboard that takes every key. */
static void
reconnect_echo (const char *when)
{
  guint n_lines;
  gint64 deadline;

  gh_spice_session_connect (e2e.echo.session);
  gh_e2e_wait_until (gh_spice_session_get_state (e2e.echo.session) == GH_SPICE_SESSION_STATE_CONNECTED &&
                     gh_spice_display_get_ready (e2e.echo.display),
                     FRAME_TIMEOUT_S, "the display %s", when);

  n_lines = count_in_serial_log (&e2e.echo, "GOT:");
  deadline = g_get_monotonic_time () + (gint64) FRAME_TIMEOUT_S * G_USEC_PER_SEC;
  while (count_in_serial_log (&e2e.echo, "GOT:") == n_lines)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the echo guest took no key for %d s %s", FRAME_TIMEOUT_S, when);
      gh_e2e_tap (e2e.echo.display, GDK_KEY_Return, KEY_ENTER, FALSE);
      gh_e2e_spin (1000);
    }
}

/* A server that stops reading: the input channel's socket fills and spice-client-glib's
 * channel waits inside a write with messages still queued. Leaving the session then must
 * not crash; spice-client-glib 0.42 takes the session from a channel before it wakes it,
 * and the queued messages looked for it (a fatal critical, seen once in CI). */
static void
test_echo_blocked_server (void)
{
  const guint shift = SCANCODE_LEFTSHIFT;
  GPid pid = qemu_pid (&e2e.echo);

  g_assert_no_errno (kill (pid, SIGSTOP));

  /* Far more than a Unix socket holds: each key is a write of its own. */
  for (guint i = 0; i < 4000; i++)
    {
      gh_spice_display_send_keys (e2e.echo.display, &shift, 1);
      if (i % 100 == 0)
        gh_e2e_spin (10);
    }
  gh_e2e_spin (500);

  gh_spice_session_disconnect (e2e.echo.session);
  gh_e2e_spin (500);
  g_assert_no_errno (kill (pid, SIGCONT));
  gh_e2e_spin (3000);

  /* The guest read the Shift keys and typed nothing; the display comes back. The
   * keyboard's queue in the guest overflowed with Shift keys, and drops keys until it has
   * drained. */
  reconnect_echo ("after its server came back");
}

/* The session ends while a channel links. spice-client-glib 0.42 ends a session from an
 * idle, taking the session from each channel before it wakes it; a link reply read before
 * that idle runs has the channel emit "opened" from an idle of its own, after which it
 * asks the session whether it is read-only, and a session that was gone failed that check
 * (a fatal critical at the close of a console, seen once in CI). Here the reply is in the
 * inputs channel's socket, unread, when the session ends. */
static gboolean
drop_while_linking_cb (gpointer user_data)
{
  gboolean *dropped = user_data;
  SpiceSession *session = gh_spice_session_get_session (e2e.echo.session);
  g_autoptr(GSocket) socket = NULL;
  GList *channels;

  if (session == NULL)
    return G_SOURCE_CONTINUE;

  channels = spice_session_get_channels (session);
  for (GList *l = channels; l != NULL && socket == NULL; l = l->next)
    if (SPICE_IS_INPUTS_CHANNEL (l->data))
      g_object_get (l->data, "socket", &socket, NULL);
  g_list_free (channels);
  if (socket == NULL)
    return G_SOURCE_CONTINUE;

  gh_spice_session_disconnect (e2e.echo.session);
  /* Closed at once by the session, or the server's reply arrives. */
  g_socket_condition_timed_wait (socket, G_IO_IN, 5 * G_USEC_PER_SEC, NULL, NULL);
  *dropped = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_echo_drop_while_linking (void)
{
  /* QEMU 7.2's SPICE server (Debian 12) sometimes crashes, taking the guest with it, when
   * a client ends its session while channels link, whatever the order the client closes
   * them in: seen here about one run in three. A test that kills its guest at random
   * would fail CI at random, so this one runs only when asked for. */
  if (g_getenv ("GREENHOUSE_E2E_STRESS") == NULL)
    {
      g_test_skip ("QEMU 7.2's SPICE server may crash when a session ends while channels "
                   "link; set GREENHOUSE_E2E_STRESS=1 to run this");
      return;
    }

  gh_spice_session_disconnect (e2e.echo.session);
  gh_e2e_spin (3000);

  for (guint i = 0; i < 5; i++)
    {
      gboolean dropped = FALSE;

      /* Before the main loop reads the reply: a source above the sockets' priority. */
      g_timeout_add_full (G_PRIORITY_HIGH, 1, drop_while_linking_cb, &dropped, NULL);
      gh_spice_session_connect (e2e.echo.session);
      gh_e2e_wait_until (dropped, FRAME_TIMEOUT_S, "the inputs channel linking");
      g_assert_null (gh_spice_session_get_session (e2e.echo.session));
      /* The server must see this client go before the next one links. */
      gh_e2e_spin (3000);
    }

  /* The display and the keyboard work as before. */
  reconnect_echo ("after the dropped sessions");
}

/* Waits until libvirt can reach @guest's agent. virDomainReboot and virDomainShutdown use
 * the agent only once libvirt has connected to it, which it does when the guest has opened
 * its port (after every boot), and fall back to ACPI before that, which the echo guest's
 * kernel ignores. A question the agent answers is the one sure sign. */
static void
wait_for_agent (Guest      *guest,
                const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) BOOT_TIMEOUT_S * G_USEC_PER_SEC;
  g_autofree char *last_error = NULL;

  for (;;)
    {
      g_autofree char *host_name = NULL;

      gh_e2e_allow_outside_calls (TRUE);
      host_name = virDomainGetHostname (guest->domain, VIR_DOMAIN_GET_HOSTNAME_AGENT);
      if (host_name == NULL)
        {
          g_free (last_error);
          last_error = g_strdup (virGetLastErrorMessage ());
        }
      gh_e2e_allow_outside_calls (FALSE);

      if (host_name != NULL)
        {
          g_assert_cmpstr (host_name, ==, ECHO_AGENT_HOST_NAME);
          return;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *text = NULL;

          g_file_get_contents (guest->serial_log, &text, NULL, NULL);
          g_error ("%s: libvirt did not reach the guest agent within %d s (%s); the serial "
                   "port said:\n%s", what, BOOT_TIMEOUT_S, last_error,
                   text != NULL ? text : "(nothing)");
        }
      gh_e2e_spin (500);
    }
}

/* Asks for @action as the console window's menu does, through GhMachine. */
static void
perform (Guest           *guest,
         GhMachineAction  action,
         const char      *what)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gh_machine_perform_async (guest->machine, action, NULL, gh_e2e_store_result, &result);
  /* libvirt returns once QEMU reports the reset or the power-off that the agent caused. */
  gh_e2e_wait_until (result != NULL, BOOT_TIMEOUT_S, "%s", what);
  gh_machine_perform_finish (guest->machine, result, &error);
  g_assert_no_error (error);
}

/* The guest restarts inside the same QEMU: the display channel stays, its surface is
 * destroyed and made again, and the display must show the guest again by itself. Three
 * ways: the guest reboots itself (asked through the display's own key path); Greenhouse's
 * Reboot, virDomainReboot in its default mode, which libvirt hands to the guest agent (its
 * ACPI mode would do nothing: the installer's kernel has no ACPI button driver); and a
 * reset from outside, which needs nothing of the guest. @n_banners counts the guest's
 * GREENHOUSE-ECHO-READY lines once it is back. */
static void
reboot_and_check (const char *how,
                  guint       n_banners,
                  const char *artifact)
{
  guint64 frames_before = gh_spice_display_get_n_frames (e2e.echo.display);

  wait_for_serial_line (&e2e.echo, "GREENHOUSE-ECHO-READY", n_banners, how);
  gh_e2e_wait_until (gh_spice_session_get_state (e2e.echo.session) == GH_SPICE_SESSION_STATE_CONNECTED &&
              gh_spice_display_get_ready (e2e.echo.display) &&
              gh_spice_display_get_n_frames (e2e.echo.display) > frames_before,
              FRAME_TIMEOUT_S, "the display after %s", how);

  wait_for_still_screen (&e2e.echo, 2, how);
  g_assert_cmpfloat (compare_with_screenshot (&e2e.echo, artifact), >=, 0.99);
}

static void
test_echo_reboot (void)
{
  guint n_banners = count_in_serial_log (&e2e.echo, "GREENHOUSE-ECHO-READY");
  guint n_reboots = count_in_serial_log (&e2e.echo, "GREENHOUSE-ECHO-REBOOTING");

  gh_e2e_type_text (e2e.echo.display, "reboot");
  gh_e2e_tap (e2e.echo.display, GDK_KEY_Return, KEY_ENTER, FALSE);
  wait_for_serial_line (&e2e.echo, "GREENHOUSE-ECHO-REBOOTING", n_reboots + 1,
                        "the guest's own reboot");
  reboot_and_check ("the guest's own reboot", n_banners + 1, "console-echo-rebooted.png");
}

static void
test_echo_reboot_agent (void)
{
  guint n_banners, n_reboots;

  wait_for_agent (&e2e.echo, "before Reboot");
  n_banners = count_in_serial_log (&e2e.echo, "GREENHOUSE-ECHO-READY");
  n_reboots = count_in_serial_log (&e2e.echo, "GREENHOUSE-ECHO-REBOOTING");

  perform (&e2e.echo, GH_MACHINE_ACTION_REBOOT, "Reboot through the guest agent");
  wait_for_serial_line (&e2e.echo, "GREENHOUSE-ECHO-REBOOTING", n_reboots + 1,
                        "the guest agent's reboot");
  reboot_and_check ("Reboot through the guest agent", n_banners + 1,
                    "console-echo-rebooted-agent.png");
}

static void
test_echo_reset (void)
{
  guint n_banners = count_in_serial_log (&e2e.echo, "GREENHOUSE-ECHO-READY");
  int rc;

  gh_e2e_allow_outside_calls (TRUE);
  rc = virDomainReset (e2e.echo.domain, 0);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_cmpint (rc, ==, 0);
  reboot_and_check ("a reset from outside", n_banners + 1, "console-echo-reset.png");
}

/* The console says the guest stopped when it went, however it went. */
static void
wait_for_guest_stopped (Guest      *guest,
                        const char *how)
{
  gh_e2e_wait_until (gh_spice_session_get_state (guest->session) ==
              GH_SPICE_SESSION_STATE_GUEST_STOPPED,
              FRAME_TIMEOUT_S, "the guest-stopped state after %s", how);
  gh_e2e_wait_until (!gh_spice_display_get_ready (guest->display), FRAME_TIMEOUT_S,
              "the stopped guest's frame to go after %s", how);
}

static void
test_echo_restart (void)
{
  guint n_banners, n_power_offs;
  int rc;

  /* Off through Greenhouse's Shut Down: virDomainShutdown, which the guest agent obeys. */
  wait_for_agent (&e2e.echo, "before Shut Down");
  n_power_offs = count_in_serial_log (&e2e.echo, "GREENHOUSE-ECHO-POWERING-OFF");
  perform (&e2e.echo, GH_MACHINE_ACTION_SHUT_DOWN, "Shut Down through the guest agent");
  wait_for_serial_line (&e2e.echo, "GREENHOUSE-ECHO-POWERING-OFF", n_power_offs + 1,
                        "the guest agent's power-off");
  wait_for_guest_stopped (&e2e.echo, "Shut Down");
  gh_e2e_wait_until (gh_machine_get_state (e2e.echo.machine) == GH_MACHINE_STATE_SHUT_OFF,
                     FRAME_TIMEOUT_S, "the machine to be shut off");

  /* On again from outside: the display comes back by itself. */
  n_banners = count_in_serial_log (&e2e.echo, "GREENHOUSE-ECHO-READY");
  gh_e2e_allow_outside_calls (TRUE);
  rc = virDomainCreate (e2e.echo.domain);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_cmpint (rc, ==, 0);
  gh_e2e_wait_until (gh_spice_session_get_state (e2e.echo.session) == GH_SPICE_SESSION_STATE_CONNECTED &&
              gh_spice_display_get_ready (e2e.echo.display),
              BOOT_TIMEOUT_S, "the display of the restarted guest");
  wait_for_serial_line (&e2e.echo, "GREENHOUSE-ECHO-READY", n_banners + 1,
                        "the echo guest's banner after the restart");
  wait_for_still_screen (&e2e.echo, 2, "the restarted guest's screen");
  g_assert_cmpfloat (compare_with_screenshot (&e2e.echo, "console-echo-restarted.png"), >=, 0.99);

  /* Off from outside, without asking the guest. */
  gh_e2e_allow_outside_calls (TRUE);
  rc = virDomainDestroy (e2e.echo.domain);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_cmpint (rc, ==, 0);
  wait_for_guest_stopped (&e2e.echo, "a destroy from outside");

  stop_guest (&e2e.echo);
}

/* The preferences group titled @title under @root. */
static GtkWidget *
find_group (GtkWidget  *root,
            const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_GROUP (child) &&
          g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (child)), title) == 0)
        return child;
      if ((found = find_group (child, title)) != NULL)
        return found;
    }
  return NULL;
}

/* The wizard's opener opens the console of the machine it made, as GhWindow does; the
 * application does not list e2e.connection, so app.open-console would not find it. */
static void
on_machine_created (GhCreateWizard *wizard,
                    GhMachine      *machine,
                    GhApplication  *app)
{
  gh_application_open_console (app, machine);
}

/* Goes through the New Machine wizard, as a person does, with install media made of the
 * installer's kernel and initrd (tests/e2e/guests/make-iso): the media is identified, the
 * machine @name is made and started, and its console opens. With @express the installer
 * gets its answers, for the account "ann"; without, it asks. Fills @guest. */
static GhConsoleWindow *
create_with_wizard (GhApplication *app,
                    const char    *name,
                    gboolean       express,
                    Guest         *guest)
{
  g_autofree char *iso = g_build_filename (e2e.files, "installer.iso", NULL);
  g_autofree char *os_id = NULL;
  GhCreateWizard *wizard;
  GhConsoleWindow *window = NULL;
  gboolean supported = FALSE;
  gint64 deadline;

  if (!g_file_test (iso, G_FILE_TEST_EXISTS))
    g_error ("%s is missing: run-e2e --copy it", iso);

  wizard = gh_create_wizard_new (NULL, e2e.connection);
  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &wizard);
  gtk_window_set_application (GTK_WINDOW (wizard), GTK_APPLICATION (app));
  g_signal_connect (wizard, "machine-created", G_CALLBACK (on_machine_created), app);
  gtk_window_present (GTK_WINDOW (wizard));
  gh_e2e_wait_until (gh_os_db_get_loaded (gh_os_db_get_default ()), BOOT_TIMEOUT_S,
                     "the OS database");

  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.use-media", "s", iso);
  gh_e2e_wait_until (g_strcmp0 (gh_create_wizard_get_page (wizard), "os") == 0 ||
                     gh_create_wizard_get_error (wizard) != NULL,
                     FRAME_TIMEOUT_S, "the media to be identified");
  g_assert_null (gh_create_wizard_get_error (wizard));
  g_object_get (wizard, "os-id", &os_id, NULL);
  g_assert_cmpstr (os_id, ==, WIZARD_OS);

  /* Next waits for what the host allows; the defaults are the wizard's own but for the
   * firmware: the ISO starts with ISOLINUX, a BIOS boot loader, and Debian supports UEFI,
   * which the wizard picks where the host has OVMF. */
  deadline = g_get_monotonic_time () + (gint64) FRAME_TIMEOUT_S * G_USEC_PER_SEC;
  while (g_strcmp0 (gh_create_wizard_get_page (wizard), "review") != 0)
    {
      if (g_strcmp0 (gh_create_wizard_get_page (wizard), "resources") == 0)
        g_object_set (wizard, "firmware", GH_FIRMWARE_BIOS, NULL);
      gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
      if (!gh_e2e_iterate_until (deadline))
        gh_e2e_fail_waiting ("the wizard's review page", FRAME_TIMEOUT_S);
    }
  /* Debian's installer can install by itself, so the wizard offers it. */
  g_object_get (wizard, "express-supported", &supported, NULL);
  g_assert_true (supported);
  g_object_set (wizard, "name", name, "express", express, NULL);
  if (express)
    g_object_set (wizard, "express-user", "ann", "express-password", "greenhouse", NULL);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.create", NULL);

  /* The wizard goes when the machine is there, and the machine's console comes. */
  gh_e2e_wait_until (wizard == NULL || gh_create_wizard_get_error (wizard) != NULL,
                     BOOT_TIMEOUT_S, "the machine to be created");
  if (wizard != NULL)
    g_error ("the wizard failed: %s", gh_create_wizard_get_error (wizard));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (GH_IS_CONSOLE_WINDOW (l->data))
      window = l->data;
  g_assert_nonnull (window);
  assert_renderer (GTK_WIDGET (window), "cairo");

  guest->machine = g_object_ref (lookup_machine (name));
  g_assert_true (gh_machine_get_has_spice (guest->machine));
  gh_e2e_allow_outside_calls (TRUE);
  guest->domain = virDomainLookupByName (e2e.plain, name);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_nonnull (guest->domain);
  guest->display = gh_console_window_get_display (window);
  guest->scaled = TRUE;
  g_assert_nonnull (guest->display);

  return window;
}

/* Waits until @guest shows the installer, and returns its still screen. The installer's
 * grey dialogs sit on its blue background (a frame of it at least); before it come the
 * boot loader's and the kernel's white on black, which is also what firmware that found
 * nothing to start shows. */
static Image *
wait_for_installer (Guest      *guest,
                    const char *timeout_artifact)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) BOOT_TIMEOUT_S * G_USEC_PER_SEC;

  gh_e2e_wait_until (gh_spice_display_get_ready (guest->display), BOOT_TIMEOUT_S,
                     "the console's first frame");
  for (;;)
    {
      g_autoptr(Image) screen = wait_for_still_screen (guest, 4, "the installer booted from the ISO");

      if (fraction_of_colour (screen, 0x00, 0x00, 0xaa) > 0.03)
        return g_steal_pointer (&screen);
      if (g_get_monotonic_time () > deadline)
        {
          save_image (screen, timeout_artifact);
          g_error ("the installer's screen did not come within %d s", BOOT_TIMEOUT_S);
        }
      gh_e2e_spin (1000);
    }
}

/* Stops and deletes the wizard's machine: its disk goes, the ISO stays. */
static void
delete_wizard_machine (Guest *guest)
{
  g_autofree char *iso = g_build_filename (e2e.files, "installer.iso", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gh_e2e_allow_outside_calls (TRUE);
  virDomainDestroy (guest->domain);
  gh_e2e_allow_outside_calls (FALSE);
  gh_e2e_wait_until (gh_machine_get_state (guest->machine) == GH_MACHINE_STATE_SHUT_OFF,
                     FRAME_TIMEOUT_S, "the wizard's machine to stop");
  gh_machine_delete_async (guest->machine, TRUE, NULL, gh_e2e_store_result, &result);
  gh_e2e_wait_until (result != NULL, FRAME_TIMEOUT_S, "the wizard's machine to be deleted");
  g_assert_true (gh_machine_delete_finish (guest->machine, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (iso, G_FILE_TEST_EXISTS));

  g_clear_object (&guest->machine);
  gh_e2e_allow_outside_calls (TRUE);
  g_clear_pointer (&guest->domain, virDomainFree);
  gh_e2e_allow_outside_calls (FALSE);
}

/* The wizard makes a machine that installs by hand: its console shows the installer. */
static void
test_wizard_installer (void)
{
  g_autoptr(GhApplication) app = NULL;
  GhConsoleWindow *window;
  Guest guest = { NULL, };
  g_autoptr(Image) screen = NULL;

  app = gh_display_test_new_registered_app ("E2eWizard");

  window = create_with_wizard (app, WIZARD_NAME, FALSE, &guest);
  g_assert_false (gh_machine_get_installing (guest.machine));
  screen = wait_for_installer (&guest, "console-wizard-timeout.png");
  g_assert_cmpfloat (compare_with_screenshot (&guest, "console-wizard-installer.png"), >=, 0.99);
  {
    g_autoptr(Image) image = widget_image (GTK_WIDGET (window));

    save_image (image, "console-window-wizard.png");
  }

  /* Its settings on this session connection: the GPU page says that passthrough needs
   * the system connection and offers to add it. */
  {
    GtkWindow *settings = gh_application_open_settings (app, guest.machine);
    gboolean loaded = FALSE;
    AdwPreferencesGroup *session_group;
    g_autoptr(Image) image = NULL;

    gh_e2e_wait_until ((g_object_get (settings, "loaded", &loaded, NULL), loaded), FRAME_TIMEOUT_S,
                       "the settings to load");
    gh_e2e_wait_until (gh_host_inventory_get_loaded (
                         gh_machine_settings_get_host (GH_MACHINE_SETTINGS (settings))),
                       FRAME_TIMEOUT_S, "the host inventory of the settings");
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (settings), "gpu");
    session_group = ADW_PREFERENCES_GROUP (find_group (GTK_WIDGET (settings),
                                                       "Passthrough Needs the System Connection"));
    g_assert_nonnull (session_group);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (session_group)));
    gh_e2e_spin (1000);
    image = widget_image (GTK_WIDGET (settings));
    save_image (image, "machine-settings-gpu-session.png");
    gtk_window_destroy (settings);
  }

  /* Deleting it takes its disk and leaves the ISO. */
  gtk_window_destroy (GTK_WINDOW (window));
  delete_wizard_machine (&guest);
}

typedef struct
{
  GhConsoleWindow *window;
  GhSpiceDisplay  *display;
} ConsoleKeys;

/* Types a line into the shell on the installer's second console through the console
 * window's own key path, after Ctrl+C. */
static void
type_line_into_console (const char *line,
                        gpointer    user_data)
{
  ConsoleKeys *keys = user_data;

  gtk_widget_activate_action (GTK_WIDGET (keys->window), "console.send-keys", "s", "ctrl-alt-f2");
  /* "Please press Enter to activate this console." */
  gh_e2e_tap (keys->display, GDK_KEY_Return, KEY_ENTER, FALSE);
  gh_e2e_press (keys->display, GDK_KEY_Control_L, KEY_LEFTCTRL, TRUE);
  gh_e2e_tap (keys->display, GDK_KEY_c, KEY_C, FALSE);
  gh_e2e_press (keys->display, GDK_KEY_Control_L, KEY_LEFTCTRL, FALSE);
  gh_e2e_type_text (keys->display, line);
  gh_e2e_tap (keys->display, GDK_KEY_Return, KEY_ENTER, FALSE);
}

/* The wizard makes a machine that installs by itself. The installer gets Greenhouse's
 * answers (checked from its own shell, on its second console, through the console's key
 * path); its reboot at the end is the end of the install phase: Greenhouse starts the
 * machine again from its disk, and the console follows. */
static void
test_wizard_express (void)
{
  g_autoptr(GhApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  GhConsoleWindow *window;
  Guest guest = { NULL, };
  g_autoptr(Image) screen = NULL;
  g_autoptr(GtkWidget) row = NULL;
  g_autoptr(GhE2eSerial) serial = NULL;
  ConsoleKeys keys;
  guint64 frames_before;

  app = gh_display_test_new_registered_app ("E2eExpress");

  window = create_with_wizard (app, EXPRESS_NAME, TRUE, &guest);
  g_assert_true (gh_machine_get_installing (guest.machine));
  /* The main window's row says so while the installer runs. */
  row = g_object_ref_sink (gh_machine_row_new (guest.machine));
  gh_e2e_wait_until (g_strcmp0 (gh_machine_row_get_state_text (GH_MACHINE_ROW (row)), "Installing") == 0,
                     FRAME_TIMEOUT_S, "the row to say Installing");
  screen = wait_for_installer (&guest, "console-wizard-express-timeout.png");
  save_image (screen, "console-wizard-express.png");
  keys = (ConsoleKeys) { window, guest.display };

  /* The installer's shell finds the answers Greenhouse gave it, then reboots. What is
   * typed goes only to a shell that answered on the serial port. */
  serial = gh_e2e_serial_open (guest.domain, &error);
  g_assert_no_error (error);
  if (!gh_e2e_shell_run (serial, "/dev/ttyS0", type_line_into_console, &keys,
                         "grep -q 'passwd/username ann' /preseed.cfg && "
                         "echo gh-answers-ok >/dev/ttyS0 && reboot",
                         "gh-answers-ok", BOOT_TIMEOUT_S))
    {
      g_autoptr(Image) image = widget_image (GTK_WIDGET (window));

      save_image (image, "console-wizard-express-shell.png");
      g_error ("the installer's shell did not find the answers in /preseed.cfg within %d s; "
               "its serial port said:\n%s", BOOT_TIMEOUT_S, gh_e2e_serial_get_text (serial));
    }

  /* The install phase ends by itself: the machine runs again, from its disk. */
  frames_before = gh_spice_display_get_n_frames (guest.display);
  gh_e2e_wait_until (!gh_machine_get_installing (guest.machine) &&
                     gh_machine_get_state (guest.machine) == GH_MACHINE_STATE_RUNNING,
                     BOOT_TIMEOUT_S, "the install phase to end");
  gh_e2e_allow_outside_calls (TRUE);
  xml = virDomainGetXMLDesc (guest.domain, VIR_DOMAIN_XML_INACTIVE);
  gh_e2e_allow_outside_calls (FALSE);
  g_assert_nonnull (xml);
  g_assert_null (strstr (xml, "<kernel>"));
  g_assert_nonnull (strstr (xml, "<on_reboot>restart</on_reboot>"));
  g_assert_cmpstr (gh_machine_row_get_state_text (GH_MACHINE_ROW (row)), ==, "Running");
  gh_e2e_wait_until (gh_spice_display_get_ready (guest.display) &&
                     gh_spice_display_get_n_frames (guest.display) > frames_before,
                     BOOT_TIMEOUT_S, "the console to show the installed machine");
  {
    g_autoptr(Image) image = widget_image (GTK_WIDGET (window));

    save_image (image, "console-window-wizard-express-done.png");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  delete_wizard_machine (&guest);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!gh_e2e_init (&argc, &argv, "/e2e/console"))
    return g_test_run ();

  e2e.files = g_getenv ("GREENHOUSE_E2E_FILES");
  /* The build's compiled settings schema, copied there by run-e2e --copy. */
  if (e2e.files != NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", e2e.files, TRUE);

  gtk_init ();
  spice_warnings_not_fatal ();
  /* Every window under cairo, but the installer's (start_guest () says which). */
  use_renderer ("cairo");

  g_test_add_func ("/e2e/console/open", test_open);
  g_test_add_func ("/e2e/console/installer-frame", test_installer_frame);
  g_test_add_func ("/e2e/console/installer-enter", test_installer_enter);
  g_test_add_func ("/e2e/console/installer-window", test_installer_window);
  g_test_add_func ("/e2e/console/echo-typing", test_echo_typing);
  g_test_add_func ("/e2e/console/echo-blocked-server", test_echo_blocked_server);
  g_test_add_func ("/e2e/console/echo-drop-while-linking", test_echo_drop_while_linking);
  g_test_add_func ("/e2e/console/echo-reboot", test_echo_reboot);
  g_test_add_func ("/e2e/console/echo-reboot-agent", test_echo_reboot_agent);
  g_test_add_func ("/e2e/console/echo-reset", test_echo_reset);
  g_test_add_func ("/e2e/console/echo-restart", test_echo_restart);
  g_test_add_func ("/e2e/console/wizard-installer", test_wizard_installer);
  g_test_add_func ("/e2e/console/wizard-express", test_wizard_express);

  ret = g_test_run ();

  stop_guest (&e2e.installer);
  stop_guest (&e2e.echo);
  gh_e2e_allow_outside_calls (TRUE);
  g_clear_pointer (&e2e.plain, virConnectClose);
  gh_e2e_allow_outside_calls (FALSE);
  g_clear_object (&e2e.connection);

  return ret;
}
