/* gh-create-bench.c: from "Create" to the console's first frame, for tests/bench/create.
 *
 *   gh-create-bench --wizard ISO NAME   make NAME from ISO with the New Machine wizard
 *   gh-create-bench --watch NAME        wait for NAME, made by someone else, and show it
 *
 * Both modes are the application as a user runs it: a GhApplication with qemu:///session
 * open, and the console window that gh_application_open_console() opens, whose
 * GhSpiceDisplay draws the guest. Its first frame is the first paint of that window after
 * which the display has presented a frame (gh_spice_display_get_n_frames > 0).
 *
 * --wizard goes through the wizard as the display and e2e suites do (wizard.use-media,
 * wizard.next up to the review page with the wizard's own defaults, the name), takes the
 * time just before it activates wizard.create, and opens the console when the wizard says
 * the machine is made ("machine-created"), as GhWindow does.
 *
 * --watch prints "ready" on stdout once the connection has listed its machines, then opens
 * the console of NAME as soon as the connection's events bring it into the list (it waits
 * there for the machine to start): tests/bench/create starts virt-install after "ready".
 *
 * Both print one JSON object on stdout: the times (g_get_monotonic_time, CLOCK_MONOTONIC
 * in microseconds) of the create, of the machine appearing in the list, of its state
 * turning running, and of the first frame; with --wizard also what the wizard chose.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include <gtk/gtk.h>

#include "gh-application.h"
#include "gh-console-window.h"
#include "gh-core.h"
#include "gh-create-wizard.h"
#include "gh-spice-display.h"

#define URI "qemu:///session"

typedef struct
{
  /* Options */
  char            *iso;
  gboolean         watch;
  const char      *name;
  double           timeout_s;

  /* Owned references */
  GhApplication   *app;
  char            *error;
  char            *chosen_json;

  /* Borrowed references */
  GhConnection    *connection;
  GhMachine       *machine;
  GhConsoleWindow *console;
  GdkFrameClock   *frame_clock;
  GhCreateWizard  *wizard;     /* weak */

  gint64           create_us;
  gint64           listed_us;
  gint64           running_us;
  gint64           first_frame_us;
} Bench;

static void
fail (Bench      *self,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Bench      *self,
      const char *format,
      ...)
{
  va_list args;

  if (self->error != NULL)
    return;
  va_start (args, format);
  self->error = g_strdup_vprintf (format, args);
  va_end (args);
}

static gboolean
keep_waiting (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @done says so, a failure or the timeout. Every time taken is
 * taken in a callback, when it happens, not here. */
static gboolean
wait_for (Bench       *self,
          gboolean   (*done) (Bench *self),
          const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (self->timeout_s * G_USEC_PER_SEC);
  /* Wakes the loop up to check the deadline (and to click Next again) when nothing else
   * does. */
  guint tick = g_timeout_add (100, keep_waiting, NULL);

  while (!done (self) && self->error == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        {
          fail (self, "timed out after %.0f s waiting for %s", self->timeout_s, what);
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);

  return self->error == NULL;
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                Bench         *self)
{
  GhSpiceDisplay *display = gh_console_window_get_display (self->console);

  if (self->first_frame_us == 0 && gh_spice_display_get_n_frames (display) > 0)
    self->first_frame_us = g_get_monotonic_time ();
}

static void
on_console_map (GtkWidget *window,
                Bench     *self)
{
  if (self->frame_clock != NULL)
    return;
  self->frame_clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (self->frame_clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

/* The wizard's opener and --watch open the console through the same call. */
static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 Bench          *self)
{
  GhMachine *machine;

  if (self->console != NULL || !GH_IS_CONSOLE_WINDOW (window))
    return;
  machine = gh_console_window_get_machine (GH_CONSOLE_WINDOW (window));
  if (g_strcmp0 (gh_machine_get_name (machine), self->name) != 0)
    return;

  self->console = GH_CONSOLE_WINDOW (window);
  g_signal_connect (window, "map", G_CALLBACK (on_console_map), self);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    on_console_map (GTK_WIDGET (window), self);
}

static void
on_machine_state (GhMachine  *machine,
                  GParamSpec *pspec,
                  Bench      *self)
{
  if (self->running_us == 0 && gh_machine_get_state (machine) == GH_MACHINE_STATE_RUNNING)
    self->running_us = g_get_monotonic_time ();
}

static void
on_machines_changed (GListModel *machines,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Bench      *self)
{
  GhMachine *machine;

  if (self->machine != NULL)
    return;
  machine = gh_machine_list_lookup_by_name (GH_MACHINE_LIST (machines), self->name);
  if (machine == NULL)
    return;

  self->machine = machine;
  self->listed_us = g_get_monotonic_time ();
  g_signal_connect (machine, "notify::state", G_CALLBACK (on_machine_state), self);
  on_machine_state (machine, NULL, self);
  if (self->watch)
    gh_application_open_console (self->app, machine);
}

static gboolean
connection_ready (Bench *self)
{
  GhConnectionState state = gh_connection_get_state (self->connection);

  if (state == GH_CONNECTION_STATE_FAILED)
    {
      const GError *error = gh_connection_get_error (self->connection);

      fail (self, "%s: %s", URI, error != NULL ? error->message : "failed");
    }

  /* The wizard lists OSes and identifies media from the database. */
  return state == GH_CONNECTION_STATE_CONNECTED &&
         (self->watch || gh_os_db_get_loaded (gh_os_db_get_default ()));
}

static gboolean
first_frame_shown (Bench *self)
{
  if (self->wizard != NULL && gh_create_wizard_get_error (self->wizard) != NULL)
    fail (self, "the wizard failed: %s", gh_create_wizard_get_error (self->wizard));

  return self->first_frame_us != 0;
}

static gboolean
media_identified (Bench *self)
{
  if (self->wizard == NULL)
    fail (self, "the wizard went away");
  else if (gh_create_wizard_get_error (self->wizard) != NULL)
    fail (self, "the media was not identified: %s", gh_create_wizard_get_error (self->wizard));

  return self->wizard != NULL && g_strcmp0 (gh_create_wizard_get_page (self->wizard), "os") == 0;
}

static gboolean
on_review_page (Bench *self)
{
  if (self->wizard == NULL)
    {
      fail (self, "the wizard went away");
      return FALSE;
    }
  if (g_strcmp0 (gh_create_wizard_get_page (self->wizard), "review") == 0)
    return TRUE;

  /* The test ISO starts with ISOLINUX, a BIOS boot loader: on the resources page the
   * firmware is set to BIOS, as a person with this ISO would; the rest is the wizard's. */
  if (g_strcmp0 (gh_create_wizard_get_page (self->wizard), "resources") == 0)
    g_object_set (self->wizard, "firmware", GH_FIRMWARE_BIOS, NULL);

  /* Next waits for what the host allows, as a person clicking it again would. */
  gtk_widget_activate_action (GTK_WIDGET (self->wizard), "wizard.next", NULL);
  return FALSE;
}

/* The first match of @pattern's group 1 in @xml, or "". */
static char *
xml_match (const char *xml,
           const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, xml, 0, &match))
    return g_strdup ("");

  return g_match_info_fetch (match, 1);
}

/* What the wizard chose on its own, for virt-install to be given the same. */
static char *
describe_choices (GhCreateWizard *wizard)
{
  g_autofree char *os_id = NULL;
  g_autofree char *display_path = NULL;
  g_autofree char *xml = gh_create_wizard_dup_xml (wizard);
  g_autofree char *domain_type = xml_match (xml, "<domain type=['\"](\\w+)");
  g_autofree char *machine = xml_match (xml, "machine=['\"]([^'\"]+)");
  g_autofree char *video = xml_match (xml, "<video>\\s*<model type=['\"](\\w+)");
  g_autofree char *disk_bus = xml_match (xml, "<disk type=['\"](?:file|volume)['\"] "
                                              "device=['\"]disk['\"].*?bus=['\"](\\w+)");
  g_autofree char *cpu = xml_match (xml, "<cpu mode=['\"]([\\w-]+)");
  guint64 memory, disk_size;
  guint vcpus;
  GhFirmware firmware;

  g_object_get (wizard, "os-id", &os_id, "memory", &memory, "vcpus", &vcpus,
                "disk-size", &disk_size, "firmware", &firmware,
                "display-path", &display_path, NULL);

  return g_strdup_printf ("\"os_id\": \"%s\", \"memory\": %" G_GUINT64_FORMAT ", "
                          "\"vcpus\": %u, \"disk_size\": %" G_GUINT64_FORMAT ", "
                          "\"firmware\": \"%s\", \"display_path\": \"%s\", "
                          "\"video\": \"%s\", \"disk_bus\": \"%s\", \"domain_type\": \"%s\", "
                          "\"machine\": \"%s\", \"cpu\": \"%s\"",
                          os_id ? os_id : "", memory, vcpus, disk_size,
                          firmware == GH_FIRMWARE_UEFI ? "uefi" : "bios",
                          display_path ? display_path : "", video, disk_bus, domain_type,
                          machine, cpu);
}

/* The wizard's opener opens the new machine's console, as GhWindow does. */
static void
on_machine_created (GhCreateWizard *wizard,
                    GhMachine      *machine,
                    Bench          *self)
{
  gh_application_open_console (self->app, machine);
}

static void
run_wizard (Bench *self)
{
  self->wizard = gh_create_wizard_new (NULL, self->connection);
  g_object_add_weak_pointer (G_OBJECT (self->wizard), (gpointer *) &self->wizard);
  gtk_window_set_application (GTK_WINDOW (self->wizard), GTK_APPLICATION (self->app));
  g_signal_connect (self->wizard, "machine-created", G_CALLBACK (on_machine_created), self);
  gtk_window_present (GTK_WINDOW (self->wizard));

  gtk_widget_activate_action (GTK_WIDGET (self->wizard), "wizard.use-media", "s", self->iso);
  if (!wait_for (self, media_identified, "the media to be identified") ||
      !wait_for (self, on_review_page, "the review page"))
    return;

  /* virt-install beside it boots the installer to be used by hand: so does this one. */
  g_object_set (self->wizard, "name", self->name, "express", FALSE, NULL);
  self->chosen_json = describe_choices (self->wizard);
  g_printerr ("gh-create-bench: creating %s: {%s}\n", self->name, self->chosen_json);

  self->create_us = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (self->wizard), "wizard.create", NULL);
  wait_for (self, first_frame_shown, "the console's first frame");
}

static void
print_result (Bench *self)
{
  g_autoptr(GString) json = g_string_new ("{");
  g_autofree char *name = g_strescape (self->name, NULL);

  g_string_append_printf (json, "\"mode\": \"%s\", \"name\": \"%s\", ",
                          self->watch ? "watch" : "wizard", name);
  if (self->error != NULL)
    {
      g_autofree char *escaped = g_strescape (self->error, NULL);

      g_string_append_printf (json, "\"error\": \"%s\", ", escaped);
    }
  if (self->chosen_json != NULL)
    g_string_append_printf (json, "%s, ", self->chosen_json);
  g_string_append_printf (json,
                          "\"create_us\": %" G_GINT64_FORMAT ", \"listed_us\": %" G_GINT64_FORMAT
                          ", \"running_us\": %" G_GINT64_FORMAT
                          ", \"first_frame_us\": %" G_GINT64_FORMAT "}",
                          self->create_us, self->listed_us, self->running_us,
                          self->first_frame_us);
  g_print ("%s\n", json->str);
}

int
main (int   argc,
      char *argv[])
{
  Bench self = { .timeout_s = 300 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "wizard", 0, 0, G_OPTION_ARG_FILENAME, &self.iso,
      "Make the machine from this ISO with the New Machine wizard", "ISO" },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &self.watch,
      "Show the machine once another program has made it", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &self.timeout_s,
      "Give up after this many seconds at any one step (300)", "S" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("NAME - time from Create to the console's first frame");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gh-create-bench: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || (self.iso == NULL) == !self.watch)
    {
      g_printerr ("gh-create-bench: give NAME and either --wizard ISO or --watch\n");
      return 2;
    }
  self.name = argv[1];

  gtk_init ();

  self.app = gh_application_new ("org.greenhouse.Greenhouse.CreateBench",
                                 G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (self.app), NULL, &error))
    {
      g_printerr ("gh-create-bench: %s\n", error->message);
      return 1;
    }
  g_signal_connect (self.app, "window-added", G_CALLBACK (on_window_added), &self);

  self.connection = gh_application_add_connection (self.app, URI, FALSE);
  g_signal_connect (gh_connection_get_machines (self.connection), "items-changed",
                    G_CALLBACK (on_machines_changed), &self);
  if (wait_for (&self, connection_ready, "the connection"))
    {
      on_machines_changed (G_LIST_MODEL (gh_connection_get_machines (self.connection)),
                           0, 0, 0, &self);
      if (self.machine != NULL && !self.watch)
        fail (&self, "a machine named %s exists already", self.name);
      else if (self.watch)
        {
          g_print ("ready\n");
          fflush (stdout);
          wait_for (&self, first_frame_shown, "the machine's console and its first frame");
        }
      else
        run_wizard (&self);
    }

  print_result (&self);

  /* The console disconnects as it closes; the machine stays for the script to delete. */
  g_signal_handlers_disconnect_by_data (gh_connection_get_machines (self.connection), &self);
  if (self.machine != NULL)
    g_signal_handlers_disconnect_by_data (self.machine, &self);
  if (self.frame_clock != NULL)
    g_signal_handlers_disconnect_by_data (self.frame_clock, &self);
  g_signal_handlers_disconnect_by_data (self.app, &self);
  while (gtk_application_get_windows (GTK_APPLICATION (self.app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (self.app))->data);
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);

  g_clear_object (&self.app);
  g_free (self.chosen_json);
  g_free (self.error);
  g_free (self.iso);
  return self.error == NULL ? 0 : 1;
}
