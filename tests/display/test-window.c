/* test-window.c: the main window under a real display (Xvfb in build-aux/dev test)
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application runs in this process on libvirt's test driver. These tests run under
 * the libvirt guard (LD_PRELOAD, tests/guard), which aborts on any libvirt call made on
 * the main thread: the tests' own libvirt calls, which stand for another program acting
 * behind Greenhouse's back, therefore run in a short-lived thread.
 */

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "gh-application.h"
#include "gh-connection-view.h"
#include "gh-core-private.h"
#include "gh-display-test-util.h"
#include "gh-machine-row.h"
#include "gh-test-util.h"
#include "gh-ui-util.h"
#include "gh-window.h"

#define DOMAIN_XML(name, title, os, runstate) \
  "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n" \
  "  <name>" name "</name>\n" \
  title \
  os \
  "  <memory unit='MiB'>2048</memory>\n" \
  "  <vcpu>2</vcpu>\n" \
  "  <os><type arch='x86_64'>hvm</type></os>\n" \
  "  <devices><graphics type='spice' autoport='yes'/></devices>\n" \
  "  <test:runstate>" runstate "</test:runstate>\n" \
  "</domain>\n"

#define OS_XML(id) \
  "  <metadata>" \
  "<libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>" \
  "<libosinfo:os id='" id "'/></libosinfo:libosinfo></metadata>\n"

#define NODE_START \
  "<node>\n" \
  "  <cpu><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads>\n" \
  "    <active>8</active><mhz>3000</mhz><model>x86_64</model></cpu>\n" \
  "  <memory>16777216</memory>\n"
#define NODE_END "</node>\n"

/* Six machines in five states; titles with markup characters and non-ASCII text, an
 * untitled one in lower case (sorting ignores case) and "Fedora 9" before "Fedora 37"
 * (sorting is natural). libvirt's runstates: 1 running, 3 paused, 5 shut off, 6 crashed. */
static const char machines_xml[] =
  NODE_START
  DOMAIN_XML ("win11", "  <title>Windows 11 &amp; Office &lt;Pro&gt;</title>\n",
              OS_XML ("http://microsoft.com/win/11"), "5")
  DOMAIN_XML ("fedora37", "  <title>Fedora 37</title>\n",
              OS_XML ("http://fedoraproject.org/fedora/37"), "3")
  DOMAIN_XML ("debian11", "  <title>Debian 11 Workstation</title>\n",
              OS_XML ("http://debian.org/debian/11"), "1")
  DOMAIN_XML ("zazolc", "  <title>Zażółć gęślą jaźń · Ωμέγα · Теплица</title>\n", "", "6")
  DOMAIN_XML ("ubuntu-server", "", OS_XML ("http://ubuntu.com/ubuntu/22.04"), "1")
  DOMAIN_XML ("fedora9", "  <title>Fedora 9 Legacy</title>\n", "", "5")
  NODE_END;

static const struct {
  const char     *display_name;
  GhMachineState  state;
  const char     *os_word;  /* a word the OS name must contain, or NULL */
} expected_rows[] = {
  { "Debian 11 Workstation", GH_MACHINE_STATE_RUNNING, "Debian" },
  { "Fedora 9 Legacy", GH_MACHINE_STATE_SHUT_OFF, NULL },
  { "Fedora 37", GH_MACHINE_STATE_PAUSED, "Fedora" },
  { "ubuntu-server", GH_MACHINE_STATE_RUNNING, "Ubuntu" },
  { "Windows 11 & Office <Pro>", GH_MACHINE_STATE_SHUT_OFF, "Windows" },
  { "Zażółć gęślą jaźń · Ωμέγα · Теплица", GH_MACHINE_STATE_CRASHED, NULL },
};

static const char empty_xml[] = NODE_START NODE_END;

static const char pair_a_xml[] =
  NODE_START
  DOMAIN_XML ("alpha", "", "", "5")
  DOMAIN_XML ("beta", "", "", "1")
  NODE_END;

static const char pair_b_xml[] =
  NODE_START
  DOMAIN_XML ("gamma", "", "", "5")
  DOMAIN_XML ("delta", "", "", "3")
  NODE_END;

#define N_MANY 600

/* Far more machines than fit in the window, named vm-0000 to vm-0599. */
static char *
make_many_xml (void)
{
  GString *xml = g_string_new (NODE_START);

  for (guint i = 0; i < N_MANY; i++)
    g_string_append_printf (xml,
                            "<domain type='test'><name>vm-%04u</name>"
                            "<memory unit='MiB'>512</memory>"
                            "<os><type arch='x86_64'>hvm</type></os></domain>\n", i);
  g_string_append (xml, NODE_END);

  return g_string_free (xml, FALSE);
}

typedef struct
{
  char          *tmp_dir;
  GhApplication *app;
  GhWindow      *window;
} Fixture;

/* ---- libvirt, as another program would use it --------------------------------------- */

static gpointer
libvirt_open_error_thread (gpointer user_data)
{
  virConnectPtr conn = virConnectOpen (user_data);

  if (conn != NULL)
    {
      virConnectClose (conn);
      return NULL;
    }

  return g_strdup (virGetLastErrorMessage ());
}

/* libvirt's own words for why @uri cannot be opened. */
static char *
libvirt_open_error (const char *uri)
{
  return gh_test_in_thread (libvirt_open_error_thread, (gpointer)uri);
}

typedef struct
{
  const char *command;  /* "suspend", "resume", "define", "undefine" */
  const char *name;
} DomainOp;

static gpointer
libvirt_domain_op_thread (gpointer user_data)
{
  DomainOp *op = user_data;
  virConnectPtr conn = virConnectOpen ("test:///default");
  virDomainPtr domain = NULL;
  int ret = -1;

  if (conn == NULL)
    return g_strdup (virGetLastErrorMessage ());

  if (g_str_equal (op->command, "define"))
    {
      g_autofree char *xml =
        g_strdup_printf ("<domain type='test'><name>%s</name><memory>1048576</memory>"
                         "<os><type>hvm</type></os></domain>", op->name);

      domain = virDomainDefineXML (conn, xml);
      ret = domain != NULL ? 0 : -1;
    }
  else if ((domain = virDomainLookupByName (conn, op->name)) != NULL)
    {
      if (g_str_equal (op->command, "suspend"))
        ret = virDomainSuspend (domain);
      else if (g_str_equal (op->command, "resume"))
        ret = virDomainResume (domain);
      else if (g_str_equal (op->command, "undefine"))
        ret = virDomainUndefine (domain);
    }

  if (domain != NULL)
    virDomainFree (domain);
  virConnectClose (conn);

  return ret == 0 ? NULL : g_strdup_printf ("%s %s: %s", op->command, op->name,
                                            virGetLastErrorMessage ());
}

static void
libvirt_domain_op (const char *command,
                   const char *name)
{
  DomainOp op = { command, name };
  g_autofree char *error = gh_test_in_thread (libvirt_domain_op_thread, &op);

  g_assert_null (error);
}

/* ---- the widget tree -------------------------------------------------------------- */

static void
collect_descendants (GtkWidget *widget,
                     GType      type,
                     GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect_descendants (child, type, found);
    }
}

static GPtrArray *
find_all (gpointer widget,
          GType    type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_descendants (GTK_WIDGET (widget), type, found);

  return found;
}

static gpointer
find_first (gpointer widget,
            GType    type)
{
  g_autoptr(GPtrArray) found = find_all (widget, type);

  return found->len > 0 ? found->pdata[0] : NULL;
}

static GtkWidget *
find_with_css_class (GtkWidget  *widget,
                     const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (gtk_widget_has_css_class (child, css_class))
        return child;
      if ((found = find_with_css_class (child, css_class)) != NULL)
        return found;
    }

  return NULL;
}

/* The view the window lists its machines in. It builds rows only for the items in sight
 * (and a few more), and hands them from one machine to another as it scrolls. */
static GtkWidget *
find_machines_view (GhWindow *window)
{
  GtkWidget *view = find_with_css_class (GTK_WIDGET (window), "machine-list");

  g_assert_true (GTK_IS_GRID_VIEW (view) || GTK_IS_LIST_VIEW (view));

  return view;
}

/* Every machine row the view has built, shown or kept for later. */
static GPtrArray *
built_rows (GhWindow *window)
{
  GtkWidget *view = find_machines_view (window);
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *item = gtk_widget_get_first_child (view);
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (GH_IS_MACHINE_ROW (child))
        g_ptr_array_add (rows, child);
    }

  return rows;
}

static float
widget_top (GtkWidget *widget)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (gtk_widget_get_root (widget)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));

  return point.y;
}

static int
compare_tops (gconstpointer a,
              gconstpointer b)
{
  float top_a = widget_top (*(GtkWidget **)a);
  float top_b = widget_top (*(GtkWidget **)b);

  return top_a < top_b ? -1 : top_a > top_b;
}

/* The machine rows a person sees, top to bottom: bound to a machine, mapped, and at least
 * partly inside the scrolled window. */
static GPtrArray *
shown_rows (GhWindow *window)
{
  GtkWidget *view = find_machines_view (window);
  GtkWidget *scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
  g_autoptr(GPtrArray) built = built_rows (window);
  GPtrArray *rows = g_ptr_array_new ();

  for (guint i = 0; i < built->len; i++)
    {
      GtkWidget *row = built->pdata[i];
      graphene_rect_t bounds;

      if (gh_machine_row_get_machine (GH_MACHINE_ROW (row)) == NULL ||
          !gtk_widget_get_mapped (row) ||
          !gtk_widget_compute_bounds (row, scrolled, &bounds))
        continue;

      if (bounds.origin.y + bounds.size.height > 0 &&
          bounds.origin.y < gtk_widget_get_height (scrolled))
        g_ptr_array_add (rows, row);
    }

  g_ptr_array_sort (rows, compare_tops);

  return rows;
}

static guint
count_rows (GhWindow *window)
{
  g_autoptr(GPtrArray) rows = shown_rows (window);

  return rows->len;
}

static gboolean
trigger_is_key (GtkShortcutTrigger *trigger,
                guint               keyval,
                GdkModifierType     modifiers)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_is_key (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)),
                           keyval, modifiers) ||
           trigger_is_key (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)),
                           keyval, modifiers);

  return GTK_IS_KEYVAL_TRIGGER (trigger) &&
         gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
         gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers;
}

/* GTK 4 has no way to make up a key press: this runs what the key is bound to on @widget
 * or the nearest of its ancestors that binds it, as GTK's key handling would. */
static void
press_key_with (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  modifiers)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
          GListModel *shortcuts;

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;

          shortcuts = G_LIST_MODEL (controller);
          for (guint j = 0; j < g_list_model_get_n_items (shortcuts); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, j);
              if (trigger_is_key (gtk_shortcut_get_trigger (shortcut), keyval, modifiers) &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                GTK_SHORTCUT_ACTION_EXCLUSIVE, w,
                                                gtk_shortcut_get_arguments (shortcut)))
                return;
            }
        }
    }

  g_assert_not_reached ();
}

static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  press_key_with (widget, keyval, 0);
}

static GtkLabel *
find_label_with_text (GtkWidget  *widget,
                      const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (widget, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
        return labels->pdata[i];
    }

  return NULL;
}

static GtkButton *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  g_autoptr(GPtrArray) buttons = find_all (widget, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0)
        return buttons->pdata[i];
    }

  return NULL;
}

/* What the row's state part says, as a person reads it. */
static const char *
row_state_text (GtkWidget *row)
{
  GtkWidget *state_box = find_with_css_class (row, "machine-state");
  g_autoptr(GPtrArray) labels = NULL;

  g_assert_nonnull (state_box);
  g_assert_true (gtk_widget_get_mapped (state_box));
  labels = find_all (state_box, GTK_TYPE_LABEL);
  g_assert_cmpuint (labels->len, ==, 1);

  return gtk_label_get_text (labels->pdata[0]);
}

static GhConnectionView *
find_view (GhWindow     *window,
           GhConnection *connection)
{
  g_autoptr(GPtrArray) views = find_all (window, GH_TYPE_CONNECTION_VIEW);

  for (guint i = 0; i < views->len; i++)
    {
      if (gh_connection_view_get_connection (views->pdata[i]) == connection)
        return views->pdata[i];
    }

  return NULL;
}

/* ---- fixture ---------------------------------------------------------------------- */

static char *
write_test_file (Fixture    *fixture,
                 const char *name,
                 const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return g_strconcat ("test://", path, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  /* The settings live in memory for the whole run: each test starts from the defaults. */
  settings = g_settings_new (GH_SETTINGS_SCHEMA_ID);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  fixture->tmp_dir = g_dir_make_tmp ("greenhouse-display-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->app = gh_display_test_new_registered_app ("DisplayTest");
}

/* Shows the window for the connections added so far, as a launch would. */
static void
fixture_activate (Fixture *fixture)
{
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->window = GH_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_true (GH_IS_WINDOW (fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *)&fixture->window);
  gh_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)),
                      "the window to be mapped");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *connections = gh_application_get_connections (fixture->app);

  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));

  while (g_list_model_get_n_items (connections) > 0)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (connections, 0);

      gh_application_remove_connection (fixture->app, connection, FALSE);
    }
  gh_test_settle (100);
  g_assert_null (fixture->window);

  g_clear_object (&fixture->app);

  if (fixture->tmp_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (fixture->tmp_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (fixture->tmp_dir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (fixture->tmp_dir);
      g_clear_pointer (&fixture->tmp_dir, g_free);
    }
}

/* ---- tests ------------------------------------------------------------------------ */

/* Each row of machines_xml names its machine's OS, or nothing when it has none. */
static void
assert_row_os_names (GPtrArray *rows)
{
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected_rows));

  for (guint i = 0; i < rows->len; i++)
    {
      const char *subtitle = gh_machine_row_get_subtitle (rows->pdata[i]);

      if (expected_rows[i].os_word == NULL)
        {
          g_assert_true (subtitle == NULL || subtitle[0] == '\0');
          continue;
        }

      g_test_message ("row %u OS: %s (%s)", i, subtitle,
                      gh_machine_get_os_id (gh_machine_row_get_machine (rows->pdata[i])));
      g_assert_nonnull (subtitle);
      g_assert_nonnull (strstr (subtitle, expected_rows[i].os_word));
    }
}

static void
test_window_rows (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *uri = write_test_file (fixture, "machines.xml", machines_xml);
  g_autofree char *png = NULL;
  g_autofree char *session_name = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GhConnection) session = NULL;
  GhConnection *connection;
  GhOsDb *os_db = gh_os_db_get_default ();
  GListModel *machines;

  connection = gh_application_add_connection (fixture->app, uri, FALSE);
  fixture_activate (fixture);

  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "the test-driver connection to connect");
  gh_test_wait_until (count_rows (fixture->window) == G_N_ELEMENTS (expected_rows),
                      "the rows to be made");
  gh_test_settle (100);

  /* The model must be right before the rows can be. */
  machines = G_LIST_MODEL (gh_connection_get_machines (connection));
  g_assert_cmpuint (g_list_model_get_n_items (machines), ==, G_N_ELEMENTS (expected_rows));

  /* The rows a person sees, top to bottom: all six fit in the window. */
  rows = shown_rows (fixture->window);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected_rows));

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = rows->pdata[i];
      GhMachine *machine = gh_machine_row_get_machine (rows->pdata[i]);
      const char *title = gh_machine_row_get_title (rows->pdata[i]);
      GtkButton *start;
      gboolean can_start;

      g_test_message ("row %u: %s (%s)", i, title, row_state_text (row));
      g_assert_cmpstr (title, ==, expected_rows[i].display_name);
      g_assert_true (gtk_widget_get_mapped (row));
      /* Shown as text, not parsed as markup: "&" and "<Pro>" come through unchanged. */
      g_assert_nonnull (find_label_with_text (row, expected_rows[i].display_name));
      g_assert_cmpstr (row_state_text (row), ==,
                       gh_machine_state_get_label (expected_rows[i].state));

      /* One card: the first row rounds its top, the last its bottom. */
      g_assert_cmpint (gtk_widget_has_css_class (row, "first"), ==, i == 0);
      g_assert_cmpint (gtk_widget_has_css_class (row, "last"), ==, i == rows->len - 1);

      /* The full name, however long, is a tooltip away. */
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (find_label_with_text (
                         row, expected_rows[i].display_name))), ==,
                       expected_rows[i].display_name);

      /* Start is offered exactly where the machine can start (here: shut off). */
      start = find_button_with_label (row, "Start");
      g_assert_nonnull (start);
      can_start = gh_machine_can_perform (machine, GH_MACHINE_ACTION_START);
      g_assert_cmpint (gtk_widget_get_mapped (GTK_WIDGET (start)), ==, can_start);
      if (expected_rows[i].state == GH_MACHINE_STATE_SHUT_OFF)
        g_assert_true (can_start);
      if (expected_rows[i].state == GH_MACHINE_STATE_RUNNING)
        g_assert_false (can_start);
    }

  /* The OS names come from the cache of names, which a worker builds on this first start
   * (this run's cache folder is empty); the rows take them when they arrive, and the
   * whole database is not loaded for them. */
  gh_test_wait_until_within (gh_os_names_lookup (gh_os_names_get_default (),
                                                 "http://debian.org/debian/11") != NULL,
                             GH_TEST_OSINFO_TIMEOUT_SECONDS, "the OS names");
  assert_row_os_names (rows);
  g_assert_false (gh_os_db_get_loaded (os_db));

  /* With one connection its name is in the title bar, and its view, which would show
   * nothing, is not in the list at all. */
  g_assert_null (find_view (fixture->window, connection));

  /* The screenshot the app's metainfo shows: the title bar says what a user would see on
   * the default connection, not the name of a test-driver file. */
  session = gh_connection_new ("qemu:///session");
  session_name = gh_connection_dup_display_name (session);
  adw_window_title_set_subtitle (find_first (fixture->window, ADW_TYPE_WINDOW_TITLE),
                                 session_name);
  png = gh_display_test_save_screenshot (GTK_WIDGET (fixture->window), "main-window.png");
  gh_display_test_assert_png (png, 20000);
}

/* A later start: the rows name their OSes from the cache the first one left, as soon as
 * they are made, without the database and without building the cache again. */
static void
test_window_os_names_cached (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *uri = write_test_file (fixture, "machines.xml", machines_xml);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "greenhouse",
                                             "os-names.gvariant", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  GhConnection *connection;
  GStatBuf before;
  GStatBuf after;

  /* The first start's cache, whether an earlier test made it or this one does. */
  gh_os_names_wait (gh_os_names_get_default ());
  g_assert_cmpint (g_stat (cache, &before), ==, 0);
  _gh_os_names_forget_default ();

  connection = gh_application_add_connection (fixture->app, uri, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "the test-driver connection to connect");
  gh_test_wait_until (count_rows (fixture->window) == G_N_ELEMENTS (expected_rows),
                      "the rows to be made");

  rows = shown_rows (fixture->window);
  assert_row_os_names (rows);
  g_assert_false (gh_os_db_get_loaded (gh_os_db_get_default ()));

  /* The check found the cache current: the same file, not one written again. */
  gh_os_names_wait (gh_os_names_get_default ());
  gh_test_settle (100);
  g_assert_false (gh_os_db_get_loaded (gh_os_db_get_default ()));
  g_assert_cmpint (g_stat (cache, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  g_assert_cmpint (after.st_mtime, ==, before.st_mtime);
}

static void
test_window_broken_uri (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *broken_uris[] = {
    "bogus+nothing:///x",
    "test:///nonexistent/greenhouse/machines.xml",
  };
  /* What the banner's title says: which connection, by the name the window gives it. */
  const char *banner_titles[] = {
    "Could not connect to bogus+nothing:///x",
    "Could not connect to Test driver: machines.xml",
  };
  g_autofree char *png = NULL;
  GhConnection *connections[G_N_ELEMENTS (broken_uris)];
  g_autoptr(GArray) retry_states = g_array_new (FALSE, FALSE, sizeof (GhConnectionState));
  GhConnectionView *view;
  GtkButton *retry;
  GtkWidget *dialog = NULL;
  GtkEditable *entry;
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) remembered = NULL;
  GhConnection *added;
  GListModel *shown;
  GtkWidget *error_label;
  int dialog_width;

  for (guint i = 0; i < G_N_ELEMENTS (broken_uris); i++)
    connections[i] = gh_application_add_connection (fixture->app, broken_uris[i], FALSE);
  fixture_activate (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (broken_uris); i++)
    {
      g_autofree char *reason = libvirt_open_error (broken_uris[i]);
      GtkRevealer *revealer;
      GtkLabel *label = NULL;
      g_autoptr(GPtrArray) labels = NULL;

      g_assert_nonnull (reason);
      gh_test_wait_until (gh_connection_get_state (connections[i]) == GH_CONNECTION_STATE_FAILED,
                          broken_uris[i]);

      view = find_view (fixture->window, connections[i]);
      g_assert_nonnull (view);
      /* Two connections: each section says which one it is. */
      g_assert_true (gh_connection_view_get_show_header (view));

      revealer = find_first (view, GTK_TYPE_REVEALER);
      g_assert_true (gtk_revealer_get_reveal_child (revealer));

      /* libvirt's own reason is in the banner. */
      labels = find_all (revealer, GTK_TYPE_LABEL);
      for (guint j = 0; j < labels->len && label == NULL; j++)
        {
          if (strstr (gtk_label_get_text (labels->pdata[j]), reason) != NULL)
            label = labels->pdata[j];
        }
      g_test_message ("%s: libvirt says “%s”", broken_uris[i], reason);
      g_assert_nonnull (label);
      /* And it says what failed. */
      g_assert_nonnull (find_label_with_text (GTK_WIDGET (revealer), banner_titles[i]));
    }

  gh_test_wait_until (gtk_revealer_get_child_revealed (find_first (view, GTK_TYPE_REVEALER)),
                      "the banner to slide in");
  png = gh_display_test_save_screenshot (GTK_WIDGET (fixture->window), "broken-uri.png");
  gh_display_test_assert_png (png, 10000);

  /* Retry tries again: connecting, then failing again with the banner still up. */
  view = find_view (fixture->window, connections[0]);
  retry = find_button_with_label (GTK_WIDGET (view), "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (retry)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (retry)));

  {
    GhConnectionState state;
    gint64 deadline = gh_test_deadline ();
    GhConnectionState last = gh_connection_get_state (connections[0]);

    g_signal_emit_by_name (retry, "clicked");
    /* The change to CONNECTING happens at once, in the click; no second attempt can be
     * started while this one runs. */
    state = gh_connection_get_state (connections[0]);
    g_array_append_val (retry_states, state);
    g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (retry)));
    while (g_get_monotonic_time () < deadline)
      {
        state = gh_connection_get_state (connections[0]);
        if (state != last)
          {
            g_array_append_val (retry_states, state);
            last = state;
          }
        if (state == GH_CONNECTION_STATE_FAILED)
          break;
        gh_test_iterate_until (deadline);
      }
  }
  g_assert_cmpuint (retry_states->len, >=, 2);
  g_assert_cmpint (g_array_index (retry_states, GhConnectionState, 0), ==,
                   GH_CONNECTION_STATE_CONNECTING);
  g_assert_cmpint (g_array_index (retry_states, GhConnectionState, retry_states->len - 1), ==,
                   GH_CONNECTION_STATE_FAILED);
  g_assert_true (gtk_revealer_get_reveal_child (find_first (view, GTK_TYPE_REVEALER)));

  /* Still alive and answering: the Add Connection dialog opens, checks what is typed, and
   * adds (and remembers) a working connection next to the broken ones. */
  g_assert_nonnull (fixture->window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.add-connection", NULL));
  gh_test_wait_until ((dialog = GTK_WIDGET (gh_display_test_find_message_dialog ())) != NULL,
                      "the Add Connection dialog");

  entries = find_all (dialog, GTK_TYPE_TEXT);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = GTK_EDITABLE (entries->pdata[0]);

  /* What is half typed is not flagged yet; once the driver is written out, it is. */
  error_label = find_with_css_class (dialog, "caption");
  g_assert_true (GTK_IS_LABEL (error_label));
  gh_test_settle (100);
  dialog_width = gtk_widget_get_width (dialog);
  gtk_editable_set_text (entry, "q");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  g_assert_false (gtk_widget_get_visible (error_label));
  gtk_editable_set_text (entry, "not a uri");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  g_assert_false (gtk_widget_get_visible (error_label));
  gtk_editable_set_text (entry, "bogus+nothing:///x");  /* shown already */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   "This connection is shown already");
  /* The longest complaint wraps rather than widening the dialog. */
  gtk_editable_set_text (entry, "://host/system");
  g_assert_true (gtk_widget_get_visible (error_label));
  gh_test_settle (100);
  g_test_message ("Add Connection: %d px wide, %d px with “%s”", dialog_width,
                  gtk_widget_get_width (dialog), gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_cmpint (gtk_widget_get_width (dialog), ==, dialog_width);
  gtk_editable_set_text (entry, "qemu+ssh://user@host.example/system");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  gtk_editable_set_text (entry, "qemu:///system");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  gtk_editable_set_text (entry, " test:///default ");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "add");
  shown = gh_application_get_connections (fixture->app);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);
  added = g_list_model_get_item (shown, 2);
  g_object_unref (added);
  g_assert_cmpstr (gh_connection_get_uri (added), ==, "test:///default");
  gh_test_wait_until (gh_connection_get_state (added) == GH_CONNECTION_STATE_CONNECTED,
                      "the added connection to connect");
  gh_test_wait_until (count_rows (fixture->window) == 1,
                      "the row of test:///default's machine");

  remembered = gh_settings_dup_connections (gh_application_get_settings (fixture->app));
  g_assert_true (g_strv_contains ((const char * const *)remembered, "test:///default"));
  /* The connections the window was opened with (as with --connect) are not remembered:
   * what the user added is an edit of the remembered list. */
  for (guint i = 0; i < G_N_ELEMENTS (broken_uris); i++)
    g_assert_false (g_strv_contains ((const char * const *)remembered, broken_uris[i]));

  /* Removing it through the window forgets it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.remove-connection", "s", "test:///default"));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  g_clear_pointer (&remembered, g_strfreev);
  remembered = gh_settings_dup_connections (gh_application_get_settings (fixture->app));
  g_assert_false (g_strv_contains ((const char * const *)remembered, "test:///default"));
}

static void
test_window_state_change (Fixture       *fixture,
                          gconstpointer  data)
{
  /* CJK and an emoji (four bytes in UTF-8) in a name; the screenshot test avoids them
   * only because Debian's minimal font set has no glyphs for them. */
  static const char *names[] = { "test", "zz-greenhouse-a", "zz-温室-🌱" };
  GhConnection *connection;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) rows_after = NULL;
  GtkWidget *watched[G_N_ELEMENTS (names)];
  GhMachine *undefined[G_N_ELEMENTS (names) - 1];
  GtkWidget *test_row = NULL;
  GtkButton *details;
  AdwMessageDialog *dialog;

  /* test:///default is one shared instance per process: what this test changes through
   * its own connection, Greenhouse's connection sees through events. */
  connection = gh_application_add_connection (fixture->app, "test:///default", FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "test:///default to connect");

  libvirt_domain_op ("define", names[1]);
  libvirt_domain_op ("define", names[2]);
  gh_test_wait_until (count_rows (fixture->window) == 3,
                      "rows for the machines defined behind Greenhouse's back");
  /* New rows take their places in the next layout. */
  gh_test_settle (100);
  rows = shown_rows (fixture->window);

  for (guint i = 0; i < rows->len; i++)
    {
      watched[i] = rows->pdata[i];
      g_object_add_weak_pointer (G_OBJECT (watched[i]), (gpointer *)&watched[i]);
      g_assert_cmpstr (gh_machine_row_get_title (rows->pdata[i]), ==, names[i]);
    }
  test_row = watched[0];
  g_assert_cmpstr (row_state_text (test_row), ==,
                   gh_machine_state_get_label (GH_MACHINE_STATE_RUNNING));

  libvirt_domain_op ("suspend", "test");
  gh_test_wait_until (g_strcmp0 (row_state_text (test_row),
                                 gh_machine_state_get_label (GH_MACHINE_STATE_PAUSED)) == 0,
                      "the row to say Paused");
  gh_test_settle (200);

  /* The same row widgets, in the same places: only the label changed. */
  rows_after = shown_rows (fixture->window);
  g_assert_cmpuint (rows_after->len, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    {
      g_assert_nonnull (watched[i]);
      g_assert_true (rows_after->pdata[i] == watched[i]);
    }
  g_assert_cmpstr (row_state_text (watched[1]), ==,
                   gh_machine_state_get_label (GH_MACHINE_STATE_SHUT_OFF));
  /* Paused: Resume is offered, Pause is not. */
  g_assert_true (gtk_widget_is_sensitive (test_row));
  g_assert_true (gtk_widget_activate_action (test_row, "machine.resume", NULL));
  gh_test_wait_until (g_strcmp0 (row_state_text (test_row),
                                 gh_machine_state_get_label (GH_MACHINE_STATE_RUNNING)) == 0,
                      "the row to say Running after Resume from the row's menu");
  g_assert_true (rows_after->pdata[0] == watched[0]);

  /* An action that libvirt refuses: pause a machine that another program paused a moment
   * ago, before its event arrived. The failure shows as a toast, libvirt's reason behind
   * its Details button, and the row then catches up with the event. */
  libvirt_domain_op ("suspend", "test");
  g_assert_true (gtk_widget_activate_action (test_row, "machine.pause", NULL));
  gh_test_wait_until (find_label_with_text (GTK_WIDGET (fixture->window),
                                            "Could not pause “test”") != NULL,
                      "a toast saying the pause failed");
  details = find_button_with_label (GTK_WIDGET (fixture->window), "_Details");
  g_assert_nonnull (details);
  g_signal_emit_by_name (details, "clicked");
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the error details");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could not pause “test”");
  g_test_message ("details: %s", adw_message_dialog_get_body (dialog));
  /* libvirt says why; what failed is in the heading already. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "not running"));
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "Could not pause"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gh_test_wait_until (g_strcmp0 (row_state_text (test_row),
                                 gh_machine_state_get_label (GH_MACHINE_STATE_PAUSED)) == 0,
                      "the row to say Paused");
  libvirt_domain_op ("resume", "test");
  gh_test_wait_until (g_strcmp0 (row_state_text (test_row),
                                 gh_machine_state_get_label (GH_MACHINE_STATE_RUNNING)) == 0,
                      "the row to say Running");

  /* Machines undefined behind Greenhouse's back lose their rows; the rows that showed them
   * (kept by the view for later, or gone) hold nothing of them any more. */
  for (guint i = 1; i < G_N_ELEMENTS (names); i++)
    undefined[i - 1] = g_object_ref (gh_machine_row_get_machine (GH_MACHINE_ROW (watched[i])));
  libvirt_domain_op ("undefine", names[1]);
  libvirt_domain_op ("undefine", names[2]);
  gh_test_wait_until (count_rows (fixture->window) == 1, "the undefined machines' rows to go");
  gh_test_settle (100);
  g_clear_pointer (&rows_after, g_ptr_array_unref);
  rows_after = shown_rows (fixture->window);
  g_assert_true (rows_after->pdata[0] == watched[0]);
  g_assert_cmpstr (gh_machine_row_get_title (rows_after->pdata[0]), ==, "test");
  /* Alone, it is the whole card. */
  g_assert_true (gtk_widget_has_css_class (watched[0], "first"));
  g_assert_true (gtk_widget_has_css_class (watched[0], "last"));
  for (guint i = 0; i < G_N_ELEMENTS (undefined); i++)
    {
      g_autoptr(GPtrArray) built = built_rows (fixture->window);

      for (guint j = 0; j < built->len; j++)
        g_assert_true (gh_machine_row_get_machine (built->pdata[j]) != undefined[i]);
      if (watched[i + 1] != NULL)
        g_assert_cmpuint (g_signal_handler_find (undefined[i], G_SIGNAL_MATCH_DATA,
                                                 0, 0, NULL, NULL, watched[i + 1]), ==, 0);
      g_clear_object (&undefined[i]);
    }

  /* Force Off from the row asks first, as the console does: Cancel keeps the machine
   * running, Force Off turns it off. */
  g_assert_true (gtk_widget_activate_action (watched[0], "machine.force-off", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the confirmation");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Force Off “test”?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Unsaved work"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "force-off"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "cancel");
  gh_test_settle (300);
  g_assert_cmpstr (row_state_text (watched[0]), ==,
                   gh_machine_state_get_label (GH_MACHINE_STATE_RUNNING));
  g_assert_true (gtk_widget_activate_action (watched[0], "machine.force-off", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the confirmation");
  adw_message_dialog_response (dialog, "force-off");
  gh_test_wait_until (g_strcmp0 (row_state_text (watched[0]),
                                 gh_machine_state_get_label (GH_MACHINE_STATE_SHUT_OFF)) == 0,
                      "the row to say Shut Off after Force Off");

  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    {
      if (watched[i] != NULL)
        g_object_remove_weak_pointer (G_OBJECT (watched[i]), (gpointer *)&watched[i]);
    }
}

static void
test_window_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *uri = write_test_file (fixture, "empty.xml", empty_xml);
  g_autofree char *png = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GhConnection *connection;
  GhConnectionView *view;
  GtkLabel *title;

  connection = gh_application_add_connection (fixture->app, uri, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "the empty test-driver file to connect");
  view = find_view (fixture->window, connection);

  rows = shown_rows (fixture->window);
  g_assert_cmpuint (rows->len, ==, 0);

  title = find_label_with_text (GTK_WIDGET (view), "No Machines");
  g_assert_nonnull (title);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (title)));

  png = gh_display_test_save_screenshot (GTK_WIDGET (fixture->window), "empty.png");
  gh_display_test_assert_png (png, 5000);
}

/* Scrolls to the top or the end, and says whether @machine's row is the first or last row
 * in sight. */
static gboolean
scroll_shows (GhWindow      *window,
              GtkAdjustment *adjustment,
              gboolean       to_end,
              GhMachine     *machine)
{
  g_autoptr(GPtrArray) rows = NULL;

  gtk_adjustment_set_value (adjustment,
                            to_end ? gtk_adjustment_get_upper (adjustment) -
                                     gtk_adjustment_get_page_size (adjustment)
                                   : 0);
  rows = shown_rows (window);

  return rows->len > 0 &&
         gh_machine_row_get_machine (rows->pdata[to_end ? rows->len - 1 : 0]) == machine;
}

/* Rows are built for what is in sight, handed from machine to machine as the list scrolls,
 * and let go of a machine completely when they stop showing it. */
static void
test_window_many (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *xml = make_many_xml ();
  g_autofree char *uri = write_test_file (fixture, "many.xml", xml);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) built = NULL;
  g_autoptr(GhMachine) first_machine = NULL;
  g_autoptr(GhMachine) second_machine = NULL;
  g_autoptr(GhMachine) last_machine = NULL;
  GtkAdjustment *adjustment;
  GhConnection *connection;
  GListModel *machines;
  GtkWidget *second_row;
  guint first_index = 0;

  connection = gh_application_add_connection (fixture->app, uri, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "the test-driver connection to connect");
  gh_test_wait_until (count_rows (fixture->window) > 0, "the first rows");
  gh_test_settle (100);

  machines = G_LIST_MODEL (gh_connection_get_machines (connection));
  g_assert_cmpuint (g_list_model_get_n_items (machines), ==, N_MANY);
  first_machine = g_list_model_get_item (machines, 0);
  second_machine = g_list_model_get_item (machines, 1);
  last_machine = g_list_model_get_item (machines, N_MANY - 1);

  /* A screenful, from the top, in order; and not a row per machine. */
  rows = shown_rows (fixture->window);
  built = built_rows (fixture->window);
  g_test_message ("%u rows shown, %u built for %u machines", rows->len, built->len, N_MANY);
  g_assert_cmpuint (rows->len, >=, 5);
  g_assert_cmpuint (built->len, <, 100);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (machines, i);

      g_assert_true (gh_machine_row_get_machine (rows->pdata[i]) == machine);
      g_assert_cmpstr (gh_machine_row_get_title (rows->pdata[i]), ==,
                       gh_machine_get_display_name (machine));
    }
  /* The view keeps the item at its cursor built wherever it scrolls, so that the focus can
   * come back to it; that is the first one until the focus moves. The second machine's row
   * is the one to watch. */
  second_row = rows->pdata[1];
  g_object_add_weak_pointer (G_OBJECT (second_row), (gpointer *)&second_row);

  /* To the end: the estimate of the list's height firms up as rows are measured. */
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (find_machines_view (fixture->window),
                                                  GTK_TYPE_SCROLLED_WINDOW)));
  gh_test_wait_until (scroll_shows (fixture->window, adjustment, TRUE, last_machine),
                      "the last machine's row after scrolling to the end");
  gh_test_settle (100);

  /* The rows in sight show consecutive machines, each its own. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = shown_rows (fixture->window);
  g_assert_cmpuint (rows->len, >=, 5);
  for (guint i = 0; i < N_MANY; i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (machines, i);

      if (gh_machine_row_get_machine (rows->pdata[0]) == machine)
        {
          first_index = i;
          break;
        }
    }
  g_assert_cmpuint (first_index + rows->len, ==, N_MANY);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GhMachine) machine = g_list_model_get_item (machines, first_index + i);

      g_assert_true (gh_machine_row_get_machine (rows->pdata[i]) == machine);
      g_assert_cmpstr (gh_machine_row_get_title (rows->pdata[i]), ==,
                       gh_machine_get_display_name (machine));
    }
  g_assert_true (gtk_widget_has_css_class (rows->pdata[rows->len - 1], "last"));
  g_assert_false (gtk_widget_has_css_class (rows->pdata[0], "first"));

  /* Still a screenful of rows, and none holds on to the second machine or its signals. */
  g_clear_pointer (&built, g_ptr_array_unref);
  built = built_rows (fixture->window);
  g_test_message ("%u rows built at the end", built->len);
  g_assert_cmpuint (built->len, <, 100);
  for (guint i = 0; i < built->len; i++)
    {
      g_assert_true (gh_machine_row_get_machine (built->pdata[i]) != second_machine);
      g_assert_cmpuint (g_signal_handler_find (second_machine, G_SIGNAL_MATCH_DATA,
                                               0, 0, NULL, NULL, built->pdata[i]), ==, 0);
    }
  if (second_row != NULL)
    g_assert_true (gh_machine_row_get_machine (GH_MACHINE_ROW (second_row)) != second_machine);

  /* And back to the top. */
  gh_test_wait_until (scroll_shows (fixture->window, adjustment, FALSE, first_machine),
                      "the first machine's row after scrolling back");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = shown_rows (fixture->window);
  g_assert_cmpstr (gh_machine_row_get_title (rows->pdata[0]), ==, "vm-0000");
  g_assert_true (gtk_widget_has_css_class (rows->pdata[0], "first"));

  if (second_row != NULL)
    g_object_remove_weak_pointer (G_OBJECT (second_row), (gpointer *)&second_row);
}

static GtkWidget *
focus_widget (Fixture *fixture)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  g_assert_nonnull (focus);

  return focus;
}

static gboolean
has_focus_within (Fixture   *fixture,
                  GtkWidget *widget)
{
  GtkWidget *focus = focus_widget (fixture);

  return focus == widget || gtk_widget_is_ancestor (focus, widget) ||
         gtk_widget_is_ancestor (widget, focus);
}

/* Presses Tab from the Connections button, at the start of the header bar, until a machine
 * row has the focus, as a keyboard user would. Returns that row, or NULL when the presses
 * went round the window without reaching one. */
static GtkWidget *
tab_to_row (Fixture *fixture)
{
  g_autoptr(GPtrArray) menu_buttons = find_all (fixture->window, GTK_TYPE_MENU_BUTTON);
  GtkWidget *connections_button = NULL;

  for (guint i = 0; i < menu_buttons->len; i++)
    {
      if (g_strcmp0 (gtk_widget_get_tooltip_text (menu_buttons->pdata[i]), "Connections") == 0)
        connections_button = menu_buttons->pdata[i];
    }
  g_assert_nonnull (connections_button);
  g_assert_true (gtk_widget_grab_focus (connections_button));

  for (guint i = 0; i < 8; i++)
    {
      GtkWidget *focus;

      press_key (focus_widget (fixture), GDK_KEY_Tab);
      focus = focus_widget (fixture);
      g_test_message ("Tab %u: %s", i + 1, G_OBJECT_TYPE_NAME (focus));
      if (GH_IS_MACHINE_ROW (focus))
        return focus;
    }

  return NULL;
}

/* The arrow keys go from row to row, and on to the next connection's rows past its
 * header. */
static void
test_window_keyboard (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *uri_a = write_test_file (fixture, "pair-a.xml", pair_a_xml);
  g_autofree char *uri_b = write_test_file (fixture, "pair-b.xml", pair_b_xml);
  static const char *titles[] = { "alpha", "beta", "delta", "gamma" };
  g_autofree char *png = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GhConnection *a;
  GhConnection *b;
  GhConnectionView *view_b;

  a = gh_application_add_connection (fixture->app, uri_a, FALSE);
  b = gh_application_add_connection (fixture->app, uri_b, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (a) == GH_CONNECTION_STATE_CONNECTED &&
                      gh_connection_get_state (b) == GH_CONNECTION_STATE_CONNECTED,
                      "both connections to connect");
  gh_test_wait_until (count_rows (fixture->window) == G_N_ELEMENTS (titles), "the four rows");
  gh_test_settle (100);

  rows = shown_rows (fixture->window);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (gh_machine_row_get_title (rows->pdata[i]), ==, titles[i]);
  view_b = find_view (fixture->window, b);
  g_assert_true (gh_connection_view_get_show_header (view_b));
  /* Two cards under their connections' names. */
  png = gh_display_test_save_screenshot (GTK_WIDGET (fixture->window), "connections.png");
  gh_display_test_assert_png (png, 10000);

  /* Tab from the header bar goes through the first connection's header to its first
   * row. */
  g_assert_true (tab_to_row (fixture) == rows->pdata[0]);
  g_assert_true (has_focus_within (fixture, rows->pdata[0]));

  press_key (focus_widget (fixture), GDK_KEY_Down);
  g_assert_true (has_focus_within (fixture, rows->pdata[1]));

  /* The second connection's header says which connection follows, */
  press_key (focus_widget (fixture), GDK_KEY_Down);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (view_b), focus_widget (fixture)));

  /* and its rows come next. */
  press_key (focus_widget (fixture), GDK_KEY_Down);
  g_assert_true (has_focus_within (fixture, rows->pdata[2]));
  press_key (focus_widget (fixture), GDK_KEY_Down);
  g_assert_true (has_focus_within (fixture, rows->pdata[3]));

  press_key (focus_widget (fixture), GDK_KEY_Up);
  press_key (focus_widget (fixture), GDK_KEY_Up);
  press_key (focus_widget (fixture), GDK_KEY_Up);
  g_assert_true (has_focus_within (fixture, rows->pdata[1]));

  /* Within a row, Tab reaches its buttons: alpha is shut off, so Start first, then the
   * menu. */
  press_key (focus_widget (fixture), GDK_KEY_Up);
  g_assert_true (has_focus_within (fixture, rows->pdata[0]));
  press_key (focus_widget (fixture), GDK_KEY_Tab);
  g_assert_true (GTK_IS_BUTTON (focus_widget (fixture)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (focus_widget (fixture))), ==, "Start");
  g_assert_true (gtk_widget_is_ancestor (focus_widget (fixture), rows->pdata[0]));
  press_key (focus_widget (fixture), GDK_KEY_Tab);
  g_assert_nonnull (gtk_widget_get_ancestor (focus_widget (fixture), GTK_TYPE_MENU_BUTTON));
  g_assert_true (gtk_widget_is_ancestor (focus_widget (fixture), rows->pdata[0]));

  /* And from a button, the arrow keys still go from row to row. */
  press_key (focus_widget (fixture), GDK_KEY_Down);
  g_assert_true (has_focus_within (fixture, rows->pdata[1]));
}

/* With one connection, whose view shows nothing and is left out of the list, Tab from the
 * header bar reaches the first row and the arrow keys go from row to row; Enter starts a
 * machine that is off, and Shift+F10 opens a row's menu. */
static void
test_window_keyboard_one (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *uri = write_test_file (fixture, "pair-a.xml", pair_a_xml);
  g_autoptr(GPtrArray) rows = NULL;
  GhConnection *connection;
  GhMachine *alpha;
  GtkWidget *row;
  GtkMenuButton *menu_button;

  connection = gh_application_add_connection (fixture->app, uri, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "the connection to connect");
  gh_test_wait_until (count_rows (fixture->window) == 2, "the two rows");
  gh_test_settle (100);
  rows = shown_rows (fixture->window);
  g_assert_cmpstr (gh_machine_row_get_title (rows->pdata[0]), ==, "alpha");

  row = tab_to_row (fixture);
  g_assert_true (row == rows->pdata[0]);

  press_key (focus_widget (fixture), GDK_KEY_Down);
  g_assert_true (focus_widget (fixture) == rows->pdata[1]);
  press_key (focus_widget (fixture), GDK_KEY_Up);
  g_assert_true (focus_widget (fixture) == rows->pdata[0]);

  /* Enter on a machine that is off starts it. */
  alpha = gh_machine_row_get_machine (rows->pdata[0]);
  g_assert_cmpint (gh_machine_get_state (alpha), ==, GH_MACHINE_STATE_SHUT_OFF);
  press_key (focus_widget (fixture), GDK_KEY_Return);
  gh_test_wait_until (gh_machine_get_state (alpha) == GH_MACHINE_STATE_RUNNING,
                      "Enter on the row to start the machine");

  /* Shift+F10 opens the row's menu. */
  menu_button = find_first (rows->pdata[0], GTK_TYPE_MENU_BUTTON);
  press_key_with (focus_widget (fixture), GDK_KEY_F10, GDK_SHIFT_MASK);
  gh_test_wait_until (gtk_menu_button_get_popover (menu_button) != NULL &&
                      gtk_widget_get_mapped (GTK_WIDGET (
                        gtk_menu_button_get_popover (menu_button))),
                      "the row's menu");
  gtk_menu_button_popdown (menu_button);
}

/* The labels in @widget that say @text and are not part of a connection's view: a toast's. */
static GtkLabel *
find_toast_label (GtkWidget  *widget,
                  const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (widget, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0 &&
          gtk_widget_get_ancestor (labels->pdata[i], GH_TYPE_CONNECTION_VIEW) == NULL &&
          gtk_widget_get_mapped (labels->pdata[i]))
        return labels->pdata[i];
    }

  return NULL;
}

/* Whether @widget is mapped and at least partly inside the list's scrolled window. */
static gboolean
in_sight (GhWindow  *window,
          GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (find_machines_view (window),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (widget == NULL || !gtk_widget_get_mapped (widget) ||
      !gtk_widget_compute_bounds (widget, scrolled, &bounds))
    return FALSE;

  return bounds.origin.y + bounds.size.height > 0 &&
         bounds.origin.y < gtk_widget_get_height (scrolled);
}

/* A connection added below a long list is scrolled into sight, and when it fails a toast
 * says so wherever the list is scrolled. */
static void
test_window_added_connection (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *xml = make_many_xml ();
  g_autofree char *uri = write_test_file (fixture, "many.xml", xml);
  const char *added_uri = "test:///nonexistent/greenhouse/added.xml";
  g_autofree char *png = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GhConnection) added = NULL;
  GhConnection *connection;
  GtkWidget *dialog = NULL;
  GListModel *shown;

  connection = gh_application_add_connection (fixture->app, uri, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "the long list to connect");
  gh_test_wait_until (count_rows (fixture->window) > 0, "the first rows");
  gh_test_settle (100);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.add-connection", NULL));
  gh_test_wait_until ((dialog = GTK_WIDGET (gh_display_test_find_message_dialog ())) != NULL,
                      "the Add Connection dialog");
  entries = find_all (dialog, GTK_TYPE_TEXT);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), added_uri);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "add");

  shown = gh_application_get_connections (fixture->app);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  added = g_list_model_get_item (shown, 1);
  g_assert_cmpstr (gh_connection_get_uri (added), ==, added_uri);

  /* Six hundred machines above it, and still it is in sight, */
  gh_test_wait_until (in_sight (fixture->window, GTK_WIDGET (find_view (fixture->window, added))),
                      "the added connection to be scrolled into sight");
  gh_test_wait_until (gh_connection_get_state (added) == GH_CONNECTION_STATE_FAILED,
                      "the added connection to fail");
  gh_test_wait_until (in_sight (fixture->window, GTK_WIDGET (find_view (fixture->window, added))),
                      "the failed connection's banner to stay in sight");

  /* and its failure is a toast as well, with libvirt's reason behind Details. */
  gh_test_wait_until (find_toast_label (GTK_WIDGET (fixture->window),
                                        "Could not connect to Test driver: added.xml") != NULL,
                      "a toast saying the connection failed");
  g_assert_nonnull (find_button_with_label (GTK_WIDGET (fixture->window), "_Details"));
  png = gh_display_test_save_screenshot (GTK_WIDGET (fixture->window), "added-connection.png");
  gh_display_test_assert_png (png, 10000);
}

/* The items of the list must not overlap: every view gets the height its content needs at
 * the width it has, and nothing in it reaches past it. */
static void
assert_views_fit (GhWindow *window)
{
  g_autoptr(GPtrArray) views = find_all (window, GH_TYPE_CONNECTION_VIEW);

  g_assert_cmpuint (views->len, >, 0);
  for (guint i = 0; i < views->len; i++)
    {
      GtkWidget *view = views->pdata[i];
      GtkWidget *box = gtk_widget_get_first_child (view);
      g_autoptr(GPtrArray) labels = find_all (view, GTK_TYPE_LABEL);
      int min_height;

      if (!gtk_widget_get_mapped (view))
        continue;

      gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (box),
                          &min_height, NULL, NULL, NULL);
      g_test_message ("view %u: %d px high, needs %d at %d px wide", i,
                      gtk_widget_get_height (box), min_height, gtk_widget_get_width (box));
      g_assert_cmpint (gtk_widget_get_height (box), >=, min_height);

      for (guint j = 0; j < labels->len; j++)
        {
          GtkWidget *label = labels->pdata[j];
          graphene_rect_t bounds;
          int label_min;

          if (!gtk_widget_get_mapped (label) ||
              gtk_label_get_text (GTK_LABEL (label))[0] == '\0')
            continue;

          g_assert_true (gtk_widget_compute_bounds (label, view, &bounds));
          gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (label),
                              &label_min, NULL, NULL, NULL);
          /* Whole: as high as its lines, and inside its view. */
          g_assert_cmpint (gtk_widget_get_height (label), >=, label_min);
          g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                             gtk_widget_get_height (view) + 0.5);
        }
    }
}

/* On a phone-sized window the rows keep room for the names, the banner's wrapped text
 * does not run into what follows, and the empty state is whole. */
static void
test_window_narrow (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *machines_uri = write_test_file (fixture, "machines.xml", machines_xml);
  g_autofree char *empty_uri = write_test_file (fixture, "empty.xml", empty_xml);
  g_autofree char *png = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GhConnection *broken;
  GhConnection *machines;
  GhConnection *empty;
  GtkAdjustment *adjustment;

  /* The size the window opens with. */
  gh_settings_set_window_size (gh_application_get_settings (fixture->app), 360, 640, FALSE);

  broken = gh_application_add_connection (fixture->app, "bogus+nothing:///x", FALSE);
  machines = gh_application_add_connection (fixture->app, machines_uri, FALSE);
  empty = gh_application_add_connection (fixture->app, empty_uri, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (broken) == GH_CONNECTION_STATE_FAILED &&
                      gh_connection_get_state (machines) == GH_CONNECTION_STATE_CONNECTED &&
                      gh_connection_get_state (empty) == GH_CONNECTION_STATE_CONNECTED,
                      "the three connections to settle");
  gh_test_wait_until (gtk_revealer_get_child_revealed (
                        find_first (find_view (fixture->window, broken), GTK_TYPE_REVEALER)),
                      "the banner to slide in");
  gh_test_wait_until (count_rows (fixture->window) > 0, "the rows");
  gh_test_settle (300);

  /* As narrow as it goes (its width-request; client-side decorations take a few pixels
   * of the size asked for). */
  g_test_message ("window: %d px wide", gtk_widget_get_width (GTK_WIDGET (fixture->window)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);

  rows = shown_rows (fixture->window);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *name = gh_machine_row_get_title (rows->pdata[i]);
      GtkWidget *title = GTK_WIDGET (find_label_with_text (rows->pdata[i], name));

      g_test_message ("row %u: “%s” gets %d px", i, name, gtk_widget_get_width (title));
      g_assert_cmpint (gtk_widget_get_width (title), >=, 150);
    }
  assert_views_fit (fixture->window);
  png = gh_display_test_save_screenshot (GTK_WIDGET (fixture->window), "narrow.png");
  gh_display_test_assert_png (png, 10000);

  /* The empty connection at the end. */
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (find_machines_view (fixture->window),
                                                  GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  gh_test_wait_until (in_sight (fixture->window, GTK_WIDGET (find_view (fixture->window, empty))),
                      "the empty connection after scrolling to the end");
  gh_test_settle (300);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  gh_test_settle (100);
  assert_views_fit (fixture->window);
  g_clear_pointer (&png, g_free);
  png = gh_display_test_save_screenshot (GTK_WIDGET (fixture->window), "narrow-end.png");
  gh_display_test_assert_png (png, 10000);
}

static void
on_dialog_response (AdwMessageDialog *dialog,
                    const char       *response,
                    char            **out)
{
  g_free (*out);
  *out = g_strdup (response);
}

/* The delete dialog warns that a running machine is turned off first, and Enter chooses
 * its default, Cancel, rather than ticking "Also delete its storage". */
static void
test_window_delete_dialog (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *uri = write_test_file (fixture, "pair-a.xml", pair_a_xml);
  g_autofree char *response = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GhConnection *connection;
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GtkCheckButton) check = NULL;
  GListModel *machines;
  GtkWidget *focus;

  connection = gh_application_add_connection (fixture->app, uri, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "the connection to connect");
  gh_test_wait_until (count_rows (fixture->window) == 2, "the two rows");
  rows = shown_rows (fixture->window);
  g_assert_cmpstr (gh_machine_row_get_title (rows->pdata[1]), ==, "beta");

  /* beta runs. */
  g_assert_true (gtk_widget_activate_action (rows->pdata[1], "machine.delete", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the delete dialog");
  g_test_message ("body: %s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "It is running and will be turned off first"));
  /* Kept to look at after the dialog is gone. */
  check = g_object_ref (find_first (dialog, GTK_TYPE_CHECK_BUTTON));
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), &response);
  gh_test_settle (200);

  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  g_test_message ("focus in the dialog: %s", focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "none");
  press_key (focus != NULL ? focus : GTK_WIDGET (dialog), GDK_KEY_Return);
  /* A button activated from the keyboard clicks a moment later, as it shows itself
   * pressed. */
  g_assert_false (gtk_check_button_get_active (check));
  gh_test_wait_until (response != NULL, "a response to Enter");
  g_assert_cmpstr (response, ==, "cancel");
  g_assert_false (gtk_check_button_get_active (check));
  gh_test_wait_until (gh_display_test_find_message_dialog () == NULL, "the dialog to close");
  gh_test_settle (100);
  machines = G_LIST_MODEL (gh_connection_get_machines (connection));
  g_assert_cmpuint (g_list_model_get_n_items (machines), ==, 2);

  /* alpha is off: nothing to turn off. */
  g_assert_true (gtk_widget_activate_action (rows->pdata[0], "machine.delete", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the delete dialog");
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "turned off"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Clicks the button of @dialog's response labelled @label, as a person would. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  g_autoptr(GPtrArray) buttons = find_all (GTK_WIDGET (dialog), GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0)
      {
        g_signal_emit_by_name (buttons->pdata[i], "clicked");
        return;
      }

  g_error ("the dialog has no button %s", label);
}

/* A machine in the install phase of an express install, shut off. */
static const char install_xml[] =
  NODE_START
  DOMAIN_XML ("installer", "",
              "  <metadata><gh:greenhouse xmlns:gh='" GH_DOMAIN_METADATA_NS "'>"
              "<gh:express-install kernel='/nowhere/k' initrd='/nowhere/i'/>"
              "</gh:greenhouse></metadata>\n"
              "  <on_reboot>destroy</on_reboot>\n", "5")
  NODE_END;

/* Start on a machine whose installer did not finish asks before it runs the installer
 * again, and can start the installed system instead; a finish that failed is a toast. */
static void
test_window_install_start (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *uri = write_test_file (fixture, "install.xml", install_xml);
  g_autofree char *response = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GhConnection *connection;
  AdwMessageDialog *dialog = NULL;
  GhMachine *machine;

  connection = gh_application_add_connection (fixture->app, uri, FALSE);
  fixture_activate (fixture);
  gh_test_wait_until (gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED,
                      "the connection to connect");
  gh_test_wait_until (count_rows (fixture->window) == 1, "the row");
  rows = shown_rows (fixture->window);
  machine = gh_machine_list_lookup_by_name (gh_connection_get_machines (connection), "installer");
  g_assert_true (gh_machine_get_installing (machine));
  g_assert_cmpstr (gh_machine_row_get_state_text (rows->pdata[0]), ==, "Installation not finished");

  /* Cancel: nothing runs. */
  g_assert_true (gtk_widget_activate_action (rows->pdata[0], "machine.start", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the start dialog");
  g_test_message ("body: %s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "erases what it wrote"));
  g_assert_true (adw_message_dialog_has_response (dialog, "installer"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), &response);
  click_response (dialog, "_Cancel");
  gh_test_wait_until (gh_display_test_find_message_dialog () == NULL, "the dialog to close");
  gh_test_settle (200);
  g_assert_cmpstr (response, ==, "cancel");
  g_assert_cmpint (gh_machine_get_state (machine), ==, GH_MACHINE_STATE_SHUT_OFF);
  g_assert_true (gh_machine_get_installing (machine));

  /* A finish that failed by itself: a toast, with Retry. */
  g_set_error_literal (&error, GH_ERROR, GH_ERROR_FAILED, "the disk is gone");
  _gh_machine_report_install_failed (machine, error);
  gh_test_wait_until (find_toast_label (GTK_WIDGET (fixture->window),
                                        "Could not finish installing “installer”") != NULL,
                      "a toast saying the install could not be finished");

  /* What a cleanup after a dead daemon could not remove is said too. */
  g_clear_error (&error);
  _gh_error_set (&error, GH_ERROR_STORAGE,
                 "Greenhouse could not remove what an unfinished task left behind",
                 "the volume /pool/x-install-initrd: permission denied");
  _gh_connection_set_cleanup_error (connection, error);
  gh_test_wait_until (find_toast_label (GTK_WIDGET (fixture->window),
                                        "Greenhouse could not remove what an unfinished "
                                        "task left behind") != NULL,
                      "a toast saying what could not be cleaned up");

  /* The user knows the installer was done: the installed system starts. */
  g_assert_true (gtk_widget_activate_action (rows->pdata[0], "machine.start", NULL));
  gh_test_wait_until ((dialog = gh_display_test_find_message_dialog ()) != NULL,
                      "the start dialog");
  click_response (dialog, "Start _Installed System");
  gh_test_wait_until (!gh_machine_get_installing (machine) &&
                      gh_machine_get_state (machine) == GH_MACHINE_STATE_RUNNING,
                      "the installed system to start");
  gh_test_wait_until (g_strcmp0 (gh_machine_row_get_state_text (rows->pdata[0]), "Running") == 0,
                      "the row to say Running");
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }

  return NULL;
}

static void
test_app_actions (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkApplication *app;
  AdwAboutWindow *about;
  GtkWindow *shortcuts;
  g_auto(GStrv) actions = NULL;

  gh_application_add_connection (fixture->app, "test:///default", FALSE);
  fixture_activate (fixture);
  app = GTK_APPLICATION (fixture->app);

  /* The keys the shortcuts window and the menus promise. */
  actions = gtk_application_get_actions_for_accel (app, "<Control>q");
  g_assert_true (g_strv_contains ((const char * const *)actions, "app.quit"));
  g_clear_pointer (&actions, g_strfreev);
  actions = gtk_application_get_actions_for_accel (app, "<Control>question");
  g_assert_true (g_strv_contains ((const char * const *)actions, "app.shortcuts"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  gh_test_wait_until ((shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)) != NULL,
                      "the shortcuts window");
  gtk_window_close (shortcuts);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  gh_test_wait_until ((about = (AdwAboutWindow *)find_toplevel (ADW_TYPE_ABOUT_WINDOW)) != NULL,
                      "the About window");
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Greenhouse");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  /* Its icon comes with the app's resources, so it shows before the app is installed. */
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_true (gtk_icon_theme_has_icon (
    gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (about))), APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (
    gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (about))),
    APP_ID "-symbolic"));
  gtk_window_destroy (GTK_WINDOW (about));
}

int
main (int   argc,
      char *argv[])
{
  if (!gh_display_test_init (&argc, &argv))
    return 1;

  g_test_add ("/display/window/rows", Fixture, NULL,
              fixture_set_up, test_window_rows, fixture_tear_down);
  g_test_add ("/display/window/os-names-cached", Fixture, NULL,
              fixture_set_up, test_window_os_names_cached, fixture_tear_down);
  g_test_add ("/display/window/broken-uri", Fixture, NULL,
              fixture_set_up, test_window_broken_uri, fixture_tear_down);
  g_test_add ("/display/window/state-change", Fixture, NULL,
              fixture_set_up, test_window_state_change, fixture_tear_down);
  g_test_add ("/display/window/empty", Fixture, NULL,
              fixture_set_up, test_window_empty, fixture_tear_down);
  g_test_add ("/display/window/many", Fixture, NULL,
              fixture_set_up, test_window_many, fixture_tear_down);
  g_test_add ("/display/window/keyboard", Fixture, NULL,
              fixture_set_up, test_window_keyboard, fixture_tear_down);
  g_test_add ("/display/window/keyboard-one", Fixture, NULL,
              fixture_set_up, test_window_keyboard_one, fixture_tear_down);
  g_test_add ("/display/window/added-connection", Fixture, NULL,
              fixture_set_up, test_window_added_connection, fixture_tear_down);
  g_test_add ("/display/window/narrow", Fixture, NULL,
              fixture_set_up, test_window_narrow, fixture_tear_down);
  g_test_add ("/display/window/delete-dialog", Fixture, NULL,
              fixture_set_up, test_window_delete_dialog, fixture_tear_down);
  g_test_add ("/display/window/install-start", Fixture, NULL,
              fixture_set_up, test_window_install_start, fixture_tear_down);
  g_test_add ("/display/app/actions", Fixture, NULL,
              fixture_set_up, test_app_actions, fixture_tear_down);

  return g_test_run ();
}
