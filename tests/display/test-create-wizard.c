/* test-create-wizard.c: the New Machine wizard on the test driver, under a real display
 *
 * The wizard is driven through its "wizard." actions and properties, the way a person's
 * clicks reach them, on test:///default (which has a storage pool, node info and a
 * machine called "test"). Install media comes from virt-manager's fake ISOs in
 * ../shared/corpus. Every page is saved as a screenshot in the test artifacts.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <dlfcn.h>

#include <glib/gstdio.h>

#include "gh-application.h"
#include "gh-console-window.h"
#include "gh-create-wizard.h"
#include "gh-display-test-util.h"
#include "gh-test-util.h"
#include "gh-window.h"

#define URI "test:///default"
#define FEDORA_29 "http://fedoraproject.org/fedora/29"
#define FEDORA_37 "http://fedoraproject.org/fedora/37"

typedef struct
{
  GhApplication  *app;
  GhConnection   *connection;  /* borrowed: the application holds it */
  GhCreateWizard *wizard;      /* weak */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = gh_display_test_new_registered_app ("WizardTest");
  fixture->connection = gh_display_test_add_connection (fixture->app, URI);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gh_display_test_destroy_windows (fixture->app);
  gh_test_settle (100);
  g_assert_null (fixture->wizard);

  gh_application_remove_connection (fixture->app, fixture->connection, FALSE);
  gh_test_settle (100);
  g_clear_object (&fixture->app);
}

/* ---- the libvirt guard (tests/guard) ------------------------------------------------ */

static void
guard_hold (const char *function)
{
  void (*hold) (const char *) = (void (*) (const char *)) dlsym (RTLD_DEFAULT,
                                                                 "gh_libvirt_guard_hold");

  g_assert_nonnull (hold);
  hold (function);
}

static int
guard_n_waiting (void)
{
  int (*n_waiting) (void) = (int (*) (void)) dlsym (RTLD_DEFAULT, "gh_libvirt_guard_get_n_waiting");

  g_assert_nonnull (n_waiting);
  return n_waiting ();
}

/* ---- driving the wizard ------------------------------------------------------------- */

static char *
corpus_media (const char *name)
{
  const char *corpus = g_getenv ("GREENHOUSE_CORPUS_DIR");
  g_autofree char *path = NULL;

  if (corpus == NULL)
    return NULL;
  path = g_build_filename (corpus, "virt-manager", "fakemedia", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return g_steal_pointer (&path);
}

static GhCreateWizard *
open_wizard (Fixture *fixture)
{
  fixture->wizard = gh_create_wizard_new (NULL, fixture->connection);
  g_object_add_weak_pointer (G_OBJECT (fixture->wizard), (gpointer *) &fixture->wizard);
  gtk_window_set_application (GTK_WINDOW (fixture->wizard), GTK_APPLICATION (fixture->app));
  gtk_window_present (GTK_WINDOW (fixture->wizard));

  /* The OS list and what the host allows load in workers. */
  gh_test_wait_until_within (gh_os_db_get_loaded (gh_os_db_get_default ()),
                             GH_TEST_OSINFO_TIMEOUT_SECONDS, "the OS database");
  return fixture->wizard;
}

/* As a person opens it: the main window's New Machine (Ctrl+N). The main window, its
 * opener, opens the console of the machine it makes. */
static GhCreateWizard *
open_wizard_from_window (Fixture *fixture)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *main_window;

  g_application_activate (G_APPLICATION (fixture->app));
  main_window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
  g_assert_true (GH_IS_WINDOW (main_window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.new-machine", "s",
                                             URI));

  for (guint i = 0; fixture->wizard == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GH_IS_CREATE_WIZARD (window))
        fixture->wizard = GH_CREATE_WIZARD (window);
    }
  g_assert_nonnull (fixture->wizard);
  g_object_add_weak_pointer (G_OBJECT (fixture->wizard), (gpointer *) &fixture->wizard);

  gh_test_wait_until_within (gh_os_db_get_loaded (gh_os_db_get_default ()),
                             GH_TEST_OSINFO_TIMEOUT_SECONDS, "the OS database");
  return fixture->wizard;
}

static gboolean
on_page (GhCreateWizard *wizard,
         const char     *page)
{
  return g_strcmp0 (gh_create_wizard_get_page (wizard), page) == 0;
}

static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      if ((found = find_action_button (child, action)) != NULL)
        return found;
    }
  return NULL;
}

/* A visible label whose text starts with @prefix, under @root. */
static GtkLabel *
find_visible_label (GtkWidget  *root,
                    const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && gtk_widget_is_visible (child) &&
          g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), prefix))
        return GTK_LABEL (child);
      if ((found = find_visible_label (child, prefix)) != NULL)
        return found;
    }
  return NULL;
}

/* The Create button follows the wizard.create action's state. */
static gboolean
create_enabled (GhCreateWizard *wizard)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (wizard), "wizard.create");

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

/* Presses Next until the page is @page: Next waits for what the host allows. */
static void
next_to (GhCreateWizard *wizard,
         const char     *page)
{
  gint64 deadline = gh_test_deadline ();

  while (!on_page (wizard, page))
    {
      gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
      if (!gh_test_iterate_until (deadline))
        g_error ("the wizard did not get to “%s”; it shows “%s”", page,
                 gh_create_wizard_get_page (wizard));
    }
}

static void
screenshot (GhCreateWizard *wizard,
            const char     *file_name)
{
  g_autofree char *path = gh_display_test_save_screenshot (GTK_WIDGET (wizard), file_name);

  gh_display_test_assert_png (path, 4000);
}

static char *
string_property (GhCreateWizard *wizard,
                 const char     *name)
{
  char *value = NULL;

  g_object_get (wizard, name, &value, NULL);
  return value;
}

static gboolean
has_machine (Fixture    *fixture,
             const char *name)
{
  return gh_machine_list_lookup_by_name (gh_connection_get_machines (fixture->connection),
                                         name) != NULL;
}

static GtkWidget *
find_widget_of_type (GtkWidget *root,
                     GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_widget_of_type (child, type)) != NULL)
        return found;
    }
  return NULL;
}

/* A label under @root whose text, as it reads on screen, starts with @text. */
static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), text))
        return GTK_LABEL (child);
      if ((found = find_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

/* ---- tests -------------------------------------------------------------------------- */

/* From install media to a machine whose console opens, the wizard opened from the main
 * window as a person opens it, a screenshot on every page. */
static void
test_media_to_console (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *iso = corpus_media ("fake-f29-live.iso");
  g_autofree char *text_file = NULL;
  g_autofree char *os_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *display = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *tmp = NULL;
  GhCreateWizard *wizard;
  GtkLabel *label;
  guint64 memory = 0, disk = 0;
  guint vcpus = 0;
  GtkWidget *expander;
  const char *uuid;

  if (iso == NULL)
    {
      g_test_skip ("../shared/corpus/virt-manager/fakemedia is missing");
      return;
    }

  wizard = open_wizard_from_window (fixture);
  g_assert_true (on_page (wizard, "source"));
  screenshot (wizard, "create-wizard-1-source.png");

  /* Not install media: the wizard says so and stays. */
  tmp = g_dir_make_tmp ("gh-wizard-XXXXXX", NULL);
  text_file = g_build_filename (tmp, "notes.txt", NULL);
  g_assert_true (g_file_set_contents (text_file, "Just some notes.\n", -1, NULL));
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.use-media", "s", text_file);
  gh_test_wait_until (gh_create_wizard_get_error (wizard) != NULL && on_page (wizard, "source"),
                      "the wizard to refuse a text file");
  g_assert_nonnull (strstr (gh_create_wizard_get_error (wizard), "notes.txt"));
  screenshot (wizard, "create-wizard-1-source-error.png");

  /* The media is identified. */
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.use-media", "s", iso);
  gh_test_wait_until (on_page (wizard, "os"), "the media to be identified");
  g_assert_null (gh_create_wizard_get_error (wizard));
  os_id = string_property (wizard, "os-id");
  g_assert_cmpstr (os_id, ==, FEDORA_29);
  screenshot (wizard, "create-wizard-2-os.png");

  /* Resources: libosinfo's recommendation, bounded by the host. */
  next_to (wizard, "resources");
  g_object_get (wizard, "memory", &memory, "vcpus", &vcpus, "disk-size", &disk, NULL);
  g_assert_cmpuint (memory, >, 0);
  g_assert_cmpuint (vcpus, >=, 1);
  g_assert_cmpuint (disk, >, 0);
  screenshot (wizard, "create-wizard-3-resources.png");

  /* Display: the planner's recommendation is chosen. */
  next_to (wizard, "display");
  display = string_property (wizard, "display-path");
  g_assert_nonnull (display);
  screenshot (wizard, "create-wizard-4-display.png");

  /* Review: a free name, the summary, the exact XML. */
  next_to (wizard, "review");
  name = string_property (wizard, "name");
  g_assert_cmpstr (name, ==, "fedora29");
  xml = gh_create_wizard_dup_xml (wizard);
  g_assert_nonnull (strstr (xml, "<name>fedora29</name>"));
  g_assert_nonnull (strstr (xml, FEDORA_29));
  g_assert_nonnull (strstr (xml, "fake-f29-live.iso"));
  screenshot (wizard, "create-wizard-5-review.png");
  expander = find_widget_of_type (GTK_WIDGET (wizard), GTK_TYPE_EXPANDER);
  g_assert_nonnull (expander);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  screenshot (wizard, "create-wizard-5-review-xml.png");
  gtk_expander_set_expanded (GTK_EXPANDER (expander), FALSE);

  /* A taken name is refused, with a free one suggested. */
  g_object_set (wizard, "name", "test", NULL);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.create", NULL);
  gh_test_settle (50);
  g_assert_true (on_page (wizard, "review"));
  screenshot (wizard, "create-wizard-5-review-name-taken.png");

  /* A name XML cannot hold as it is: Create waits, and the review says why. */
  g_object_set (wizard, "name", "bell\a", NULL);
  gh_test_settle (50);
  g_assert_false (create_enabled (wizard));
  label = find_visible_label (GTK_WIDGET (wizard), "This name cannot be used");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==,
                   "This name cannot be used: it contains an invisible control character "
                   "(U+0007).");
  screenshot (wizard, "create-wizard-5-review-name-control.png");

  /* Create: the progress, then the console of the new machine. The guard holds the
   * define in its worker, so that the progress can be seen half-way. */
  guard_hold ("virDomainDefineXMLFlags");
  g_object_set (wizard, "name", "wizard-fedora", NULL);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.create", NULL);
  g_assert_true (on_page (wizard, "progress"));
  gh_test_wait_until (guard_n_waiting () == 1, "the creator to reach the define");
  screenshot (wizard, "create-wizard-6-progress.png");
  guard_hold (NULL);

  gh_test_wait_until (fixture->wizard == NULL || gh_create_wizard_get_error (fixture->wizard) != NULL,
                      "the machine to be created");
  if (fixture->wizard != NULL)
    g_error ("creating failed: %s", gh_create_wizard_get_error (fixture->wizard));
  g_assert_true (has_machine (fixture, "wizard-fedora"));

  uuid = gh_machine_get_uuid (gh_machine_list_lookup_by_name (
                                gh_connection_get_machines (fixture->connection), "wizard-fedora"));
  g_assert_nonnull (uuid);
  {
    GhMachine *machine = gh_machine_list_lookup_by_uuid (gh_connection_get_machines (
                                                           fixture->connection), uuid);
    gboolean console = FALSE;

    /* The main window, which opened the wizard, opened the console. */
    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (fixture->app)); l != NULL; l = l->next)
      if (GH_IS_CONSOLE_WINDOW (l->data) && gh_console_window_get_machine (l->data) == machine)
        console = TRUE;
    g_assert_true (console);
  }

  g_unlink (text_file);
  g_rmdir (tmp);
}

/* Install media whose system installs itself: the Express Install row is on, asks for a
 * user name and a password, and the XML boots the installer's kernel. Nothing is created:
 * the test driver has no storage to upload the installer to (the e2e suite creates such
 * machines on a real daemon). */
static void
test_express (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *tmp = g_dir_make_tmp ("gh-wizard-XXXXXX", NULL);
  /* A file name that is not markup. */
  g_autofree char *iso = g_build_filename (tmp, "Debian & <Test>.iso", NULL);
  g_autofree char *make_iso = g_build_filename (g_getenv ("GREENHOUSE_SOURCE_DIR"), "tests", "e2e",
                                                "guests", "make-iso", NULL);
  g_autofree char *user = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sh", make_iso, iso, NULL };
  gboolean express = FALSE, supported = FALSE;
  int status = 0;
  GhCreateWizard *wizard;

  /* The Debian installer's kernel and initrd with the netinst volume label. */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  wizard = open_wizard (fixture);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.use-media", "s", iso);
  gh_test_wait_until (on_page (wizard, "os"), "the media to be identified");
  /* The file name reads as it is, "&" and "<" too. */
  g_assert_nonnull (find_label (GTK_WIDGET (wizard), "Debian & <Test>.iso"));
  next_to (wizard, "review");
  g_assert_nonnull (find_label (GTK_WIDGET (wizard),
                                "The install media “Debian & <Test>.iso”, with a new "));

  /* Offered, on, for the person running Greenhouse; Create waits for a password. */
  g_object_get (wizard, "express", &express, "express-supported", &supported,
                "express-user", &user, NULL);
  g_assert_true (supported);
  g_assert_true (express);
  /* Root has no ordinary account to offer. */
  g_assert_cmpstr (user, ==, strcmp (g_get_user_name (), "root") == 0 ? "" : g_get_user_name ());
  g_assert_false (create_enabled (wizard));
  screenshot (wizard, "create-wizard-5-review-express.png");

  /* A user name the installers refuse, then a good one with a password. */
  g_object_set (wizard, "express-user", "Ann Other", "express-password", "secret", NULL);
  gh_test_settle (50);
  g_assert_false (create_enabled (wizard));
  screenshot (wizard, "create-wizard-5-review-express-bad-user.png");
  g_object_set (wizard, "express-user", "root", NULL);
  gh_test_settle (50);
  g_assert_false (create_enabled (wizard));
  g_object_set (wizard, "express-user", "ann", NULL);
  gh_test_settle (50);
  g_assert_true (create_enabled (wizard));

  /* A password Debian's installer would not set as typed: refused, with the reason
   * under the row, until it is changed. */
  g_object_set (wizard, "express-password", "back\\slash", NULL);
  gh_test_settle (50);
  g_assert_false (create_enabled (wizard));
  {
    GtkLabel *hint = find_label (GTK_WIDGET (wizard),
                                 "This system’s installer would change a “\\” in the "
                                 "password: choose a password without one.");

    g_assert_nonnull (hint);
    g_assert_true (gtk_widget_is_visible (GTK_WIDGET (hint)));
  }
  screenshot (wizard, "create-wizard-5-review-express-bad-password.png");
  g_object_set (wizard, "express-password", "it's \"$HOME\" `id`", NULL);
  gh_test_settle (50);
  g_assert_true (create_enabled (wizard));
  g_object_set (wizard, "express-password", "secret", NULL);
  gh_test_settle (50);
  g_assert_true (create_enabled (wizard));
  xml = gh_create_wizard_dup_xml (wizard);
  g_assert_nonnull (strstr (xml, "<kernel>"));
  g_assert_nonnull (strstr (xml, "<on_reboot>destroy</on_reboot>"));
  /* The password goes to the installer, never into the machine's XML. */
  g_assert_null (strstr (xml, "secret"));

  /* Off: an ordinary install from the media. */
  g_object_set (wizard, "express", FALSE, "express-password", "", NULL);
  gh_test_settle (50);
  g_assert_true (create_enabled (wizard));
  g_clear_pointer (&xml, g_free);
  xml = gh_create_wizard_dup_xml (wizard);
  g_assert_null (strstr (xml, "<kernel>"));
  g_assert_nonnull (strstr (xml, "<on_reboot>restart</on_reboot>"));

  gtk_window_destroy (GTK_WINDOW (wizard));
  g_unlink (iso);
  g_rmdir (tmp);
}

/* Media libosinfo does not know: the user picks the OS from the list. */
static void
test_unknown_media (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *iso = corpus_media ("fake-no-osinfo.iso");
  g_autofree char *os_id = NULL;
  GhCreateWizard *wizard;

  if (iso == NULL)
    {
      g_test_skip ("../shared/corpus/virt-manager/fakemedia is missing");
      return;
    }

  wizard = open_wizard (fixture);
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.use-media", "s", iso);
  gh_test_wait_until (on_page (wizard, "os"), "the media to be read");
  os_id = string_property (wizard, "os-id");
  g_assert_null (os_id);
  screenshot (wizard, "create-wizard-2-os-unknown.png");

  g_object_set (wizard, "os-id", FEDORA_37, NULL);
  g_clear_pointer (&os_id, g_free);
  os_id = string_property (wizard, "os-id");
  g_assert_cmpstr (os_id, ==, FEDORA_37);
  next_to (wizard, "resources");

  /* Back goes the same way. */
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  g_assert_true (on_page (wizard, "os"));
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  g_assert_true (on_page (wizard, "source"));

  /* Cancel closes it, and nothing was made. */
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.cancel", NULL);
  gh_test_wait_until (fixture->wizard == NULL, "the wizard to close");
  g_assert_false (has_machine (fixture, "fedora37"));
}

/* A blank machine for an OS chosen from the list. */
static void
test_blank (Fixture       *fixture,
            gconstpointer  data)
{
  GhCreateWizard *wizard = open_wizard (fixture);
  g_autofree char *xml = NULL;

  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.choose-os", NULL);
  g_assert_true (on_page (wizard, "os"));
  screenshot (wizard, "create-wizard-2-os-list.png");
  g_object_set (wizard, "os-id", FEDORA_37, NULL);
  next_to (wizard, "review");
  xml = gh_create_wizard_dup_xml (wizard);
  g_assert_nonnull (strstr (xml, FEDORA_37));
  /* No install media: no CD-ROM. */
  g_assert_null (strstr (xml, "device='cdrom'"));
}

/* The main window's New Machine button and Ctrl+N open the wizard for the connection. */
static void
test_from_main_window (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (gh_window_new (GTK_APPLICATION (fixture->app),
                                                 gh_application_get_connections (fixture->app)));
  GhCreateWizard *wizard = NULL;

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.new-machine", "s", "");
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (fixture->app)); l != NULL; l = l->next)
    if (GH_IS_CREATE_WIZARD (l->data))
      wizard = l->data;
  g_assert_nonnull (wizard);
  g_assert_true (gh_create_wizard_get_connection (wizard) == fixture->connection);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (wizard)) == GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (wizard));
}

int
main (int   argc,
      char *argv[])
{
  if (!gh_display_test_init (&argc, &argv))
    return 1;

  g_test_add ("/display/create-wizard/media-to-console", Fixture, NULL,
              fixture_set_up, test_media_to_console, fixture_tear_down);
  g_test_add ("/display/create-wizard/express", Fixture, NULL,
              fixture_set_up, test_express, fixture_tear_down);
  g_test_add ("/display/create-wizard/unknown-media", Fixture, NULL,
              fixture_set_up, test_unknown_media, fixture_tear_down);
  g_test_add ("/display/create-wizard/blank", Fixture, NULL,
              fixture_set_up, test_blank, fixture_tear_down);
  g_test_add ("/display/create-wizard/from-main-window", Fixture, NULL,
              fixture_set_up, test_from_main_window, fixture_tear_down);

  return g_test_run ();
}
