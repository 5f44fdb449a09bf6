/* gh-application.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-application.h"
#include "gh-console-window.h"
#include "gh-machine-settings.h"
#include "gh-renderer.h"
#include "gh-window.h"

struct _GhApplication
{
  AdwApplication  parent_instance;

  /* Owned references */
  GhSettings     *settings;
  GListStore     *connections;
  GhOsNames      *os_names;      /* from the main window's start on: see shutdown */

  /* Set once the remembered connections were opened (or --connect replaced them), so that a
   * later activation (from D-Bus, or a second launch) does not open them again. */
  guint           chose_connections : 1;
};

G_DEFINE_FINAL_TYPE (GhApplication, gh_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "connect", 'c', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Show the machines of this libvirt connection (may be repeated)"), N_("URI") },
  { "console", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Open the console of this machine (its name or UUID) instead of the main window"),
    N_("NAME") },
  { "host-report", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print what this host can do for 3D and the display plan for an OS, then exit "
       "(connection: --connect, default qemu:///session)"), NULL },
  { "os", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --host-report: plan for this operating system"), N_("LIBOSINFO-ID") },
  { "media", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("With --host-report: plan for the operating system of this install media (an ISO "
       "file)"), N_("FILE") },
  { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("With --host-report: print JSON"), NULL },
  { "host", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("With --host-report: plan for the host saved in this file by --host-report --json, "
       "instead of a connection's"), N_("FILE") },
  { NULL }
};

static void
on_open_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GhConnection *connection = GH_CONNECTION (object);
  g_autoptr(GError) error = NULL;

  /* The window shows the failure from the connection's :state and :error. */
  if (!gh_connection_open_finish (connection, result, &error))
    g_debug ("Could not open %s: %s", gh_connection_get_uri (connection), error->message);
}

/* Returns a borrowed reference: the store holds one. */
static GhConnection *
find_connection (GhApplication *self,
                 const char    *uri)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));

  for (guint i = 0; i < n; i++)
    {
      GhConnection *connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      g_object_unref (connection);
      if (g_strcmp0 (gh_connection_get_uri (connection), uri) == 0)
        return connection;
    }

  return NULL;
}

static void
open_remembered_connections (GhApplication *self)
{
  g_auto(GStrv) uris = gh_settings_dup_connections (self->settings);

  self->chose_connections = TRUE;
  for (guint i = 0; uris[i] != NULL; i++)
    gh_application_add_connection (self, uris[i], FALSE);
}

/* The window that lists the machines, if it is open: the active window may be a console. */
static GhWindow *
find_main_window (GhApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (GH_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

/* The main window's size, as the user left it. */
static void
save_window_size (GhApplication *self,
                  GtkWindow     *window)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (window, &width, &height);
  gh_settings_set_window_size (self->settings, width, height, gtk_window_is_maximized (window));
}

static gboolean
on_main_window_close_request (GtkWindow     *window,
                              GhApplication *self)
{
  save_window_size (self, window);
  return GDK_EVENT_PROPAGATE;
}

static GtkWindow *
create_main_window (GhApplication *self)
{
  GtkWindow *window;

  /* The list names each machine's OS from a small cache, not from libosinfo's whole
   * database (~50 MiB), which only the wizard, the settings and the host report load.
   * Asked for now, the cache is read and its check starts while the connections open. */
  if (self->os_names == NULL)
    self->os_names = g_object_ref (gh_os_names_get_default ());

  window = GTK_WINDOW (gh_window_new (GTK_APPLICATION (self), G_LIST_MODEL (self->connections)));

  if (self->settings != NULL)
    {
      int width;
      int height;
      gboolean maximized;

      gh_settings_get_window_size (self->settings, &width, &height, &maximized);
      gtk_window_set_default_size (window, width, height);
      if (maximized)
        gtk_window_maximize (window);
    }
  g_signal_connect_object (window, "close-request",
                           G_CALLBACK (on_main_window_close_request), self, 0);

  return window;
}

static void
gh_application_activate (GApplication *app)
{
  GhApplication *self = GH_APPLICATION (app);
  GtkWindow *window;

  /* Started by D-Bus activation or without --connect: what the user chose last time. */
  if (!self->chose_connections &&
      g_list_model_get_n_items (G_LIST_MODEL (self->connections)) == 0)
    open_remembered_connections (self);

  window = GTK_WINDOW (find_main_window (self));
  if (window == NULL)
    window = create_main_window (self);

  gtk_window_present (window);
}

/* ---- --console ------------------------------------------------------------------------ */

/* `greenhouse --console NAME` opens a machine's console once the connections it may be on
 * have listed their machines: those named with --connect, in order, else the ones a plain
 * launch shows. The first that has a machine of that name (or UUID) wins. */
typedef struct
{
  GhApplication           *app;
  GApplicationCommandLine *command_line;
  GPtrArray               *connections;  /* of GhConnection, in order */
  char                    *name;
  int                      status;
  guint                    done : 1;
  guint                    detached : 1; /* nobody waits for it: it frees itself when done */
} ConsoleRequest;

static void
console_request_free (ConsoleRequest *request)
{
  for (guint i = 0; i < request->connections->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (request->connections, i), request);
  g_ptr_array_unref (request->connections);
  g_clear_object (&request->command_line);
  g_application_release (G_APPLICATION (request->app));
  g_clear_object (&request->app);
  g_free (request->name);
  g_free (request);
}

static void
console_request_finish (ConsoleRequest *request,
                        int             status,
                        const char     *reason)
{
  request->done = TRUE;
  request->status = status;

  for (guint i = 0; i < request->connections->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (request->connections, i), request);

  if (reason != NULL)
    {
      g_autofree char *what = NULL;
      GhWindow *window;

      /* Translators: %s is what was given to --console: a machine's name or UUID */
      what = g_strdup_printf (_("Could not open the console of “%s”"), request->name);
      g_application_command_line_printerr (request->command_line, "%s: %s\n", what, reason);

      /* A second launch (a desktop shortcut, say) may have no terminal to print to. */
      if (g_application_command_line_get_is_remote (request->command_line) &&
          (window = find_main_window (request->app)) != NULL)
        gh_window_add_error (window, what, reason);
    }

  /* A second launch waits for its answer until the command line is let go. */
  g_application_command_line_set_exit_status (request->command_line, status);

  if (request->detached)
    console_request_free (request);
}

static GhMachine *
find_machine (GhConnection *connection,
              const char   *name)
{
  GhMachineList *machines = gh_connection_get_machines (connection);
  g_autofree char *uuid = g_ascii_strdown (name, -1);
  GhMachine *machine;

  if ((machine = gh_machine_list_lookup_by_name (machines, name)) != NULL)
    return machine;

  return gh_machine_list_lookup_by_uuid (machines, uuid);
}

static void
console_request_check (ConsoleRequest *request)
{
  g_autoptr(GString) reason = g_string_new (NULL);
  g_autoptr(GPtrArray) uris = g_ptr_array_new ();
  g_autofree char *where = NULL;
  g_autofree char *not_found = NULL;

  for (guint i = 0; i < request->connections->len; i++)
    {
      GhConnection *connection = g_ptr_array_index (request->connections, i);
      GhMachine *machine;

      switch (gh_connection_get_state (connection))
        {
        case GH_CONNECTION_STATE_CONNECTING:
          /* Its machines are not listed yet: wait, it may have it. */
          return;

        case GH_CONNECTION_STATE_CONNECTED:
        case GH_CONNECTION_STATE_LOST:
          if ((machine = find_machine (connection, request->name)) != NULL)
            {
              gh_application_open_console (request->app, machine);
              console_request_finish (request, EXIT_SUCCESS, NULL);
              return;
            }
          g_ptr_array_add (uris, (gpointer) gh_connection_get_uri (connection));
          break;

        case GH_CONNECTION_STATE_FAILED:
        case GH_CONNECTION_STATE_DISCONNECTED:
        default:
          /* One line for each connection that could not tell. */
          if (reason->len > 0)
            g_string_append_c (reason, '\n');
          if (gh_connection_get_error (connection) != NULL)
            /* Translators: a connection, then libvirt's reason */
            g_string_append_printf (reason, _("Could not connect to %s: %s"),
                                    gh_connection_get_uri (connection),
                                    gh_error_get_detail (gh_connection_get_error (connection)));
          else
            g_string_append_printf (reason, _("Not connected to %s"),
                                    gh_connection_get_uri (connection));
          break;
        }
    }

  /* Nowhere to be found. */
  if (uris->len > 0)
    {
      g_ptr_array_add (uris, NULL);
      where = g_strjoinv (", ", (char **) uris->pdata);
      /* Translators: %s is one or more connections, like "qemu:///session" */
      not_found = g_strdup_printf (_("No machine has this name or UUID on %s."), where);
      if (reason->len > 0)
        g_string_prepend_c (reason, '\n');
      g_string_prepend (reason, not_found);
    }
  else if (request->connections->len == 0)
    g_string_append (reason, _("No connection to look on: name one with --connect."));

  console_request_finish (request, EXIT_FAILURE, reason->str);
}

static int
open_console_from_command_line (GhApplication           *self,
                                GApplicationCommandLine *command_line,
                                GPtrArray               *connections,
                                const char              *name)
{
  ConsoleRequest *request;
  int status;

  request = g_new0 (ConsoleRequest, 1);
  request->app = g_object_ref (self);
  request->command_line = g_object_ref (command_line);
  request->connections = g_ptr_array_ref (connections);
  request->name = g_strdup (name);
  g_application_hold (G_APPLICATION (self));

  for (guint i = 0; i < connections->len; i++)
    g_signal_connect_swapped (g_ptr_array_index (connections, i), "notify::state",
                              G_CALLBACK (console_request_check), request);
  console_request_check (request);

  /* GApplication gives a first launch the exit status 0 as soon as its main loop turns,
   * so a first launch waits for the answer here, before it returns: a script that names
   * a machine that does not exist must fail. A second launch waits in its own process,
   * until the command line is let go. */
  if (!request->done && g_application_command_line_get_is_remote (command_line))
    {
      request->detached = TRUE;
      return EXIT_SUCCESS;
    }

  while (!request->done)
    g_main_context_iteration (NULL, TRUE);

  status = request->status;
  console_request_free (request);

  return status;
}

/* --connect shows the given connections for this run only: they are not remembered, and
 * the remembered ones are not opened. The list of remembered connections stays the user's
 * own: a connection added or removed in the window during such a run is added to or
 * removed from that list (gh_application_add_connection () and
 * gh_application_remove_connection () with @remember and @forget), and the --connect set
 * is never written to it. A second launch with --connect adds its connections to the
 * running window, for this run too.
 *
 * --console NAME opens that machine's console instead of the main window, looking for it
 * on the --connect connections, else on those a plain launch shows. */
static int
gh_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  GhApplication *self = GH_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **uris = NULL;
  g_autoptr(GPtrArray) asked_connections = g_ptr_array_new_with_free_func (g_object_unref);
  const char *console_name = NULL;
  GhConnection *asked = NULL;
  GtkWindow *window;

  if (g_variant_dict_lookup (options, "connect", "^a&s", &uris) && uris[0] != NULL)
    {
      self->chose_connections = TRUE;
      for (guint i = 0; uris[i] != NULL; i++)
        {
          g_debug ("%s asks for %s",
                   g_application_command_line_get_is_remote (command_line)
                     ? "A second launch" : "The command line",
                   uris[i]);
          asked = gh_application_add_connection (self, uris[i], FALSE);
          g_ptr_array_add (asked_connections, g_object_ref (asked));
        }
    }

  if (g_variant_dict_lookup (options, "console", "&s", &console_name))
    {
      if (asked_connections->len == 0)
        {
          guint n;

          if (!self->chose_connections &&
              g_list_model_get_n_items (G_LIST_MODEL (self->connections)) == 0)
            open_remembered_connections (self);

          n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
          for (guint i = 0; i < n; i++)
            g_ptr_array_add (asked_connections,
                             g_list_model_get_item (G_LIST_MODEL (self->connections), i));
        }

      return open_console_from_command_line (self, command_line, asked_connections,
                                             console_name);
    }

  g_application_activate (app);

  /* A second launch asks to see a connection that may be shown already, out of sight. */
  window = GTK_WINDOW (find_main_window (self));
  if (asked != NULL && g_application_command_line_get_is_remote (command_line) &&
      window != NULL)
    gh_window_reveal_connection (GH_WINDOW (window), asked);

  return EXIT_SUCCESS;
}

/* --host-report prints and exits in this process: no window, no primary instance. */
static int
gh_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  g_autofree const char **uris = NULL;
  const char *os_id = NULL;
  const char *media_path = NULL;
  const char *host_path = NULL;
  g_autoptr(GhRendererChoice) renderer = NULL;

  g_variant_dict_lookup (options, "os", "&s", &os_id);
  /* A file name is bytes, not necessarily UTF-8. */
  g_variant_dict_lookup (options, "media", "^&ay", &media_path);
  g_variant_dict_lookup (options, "host", "^&ay", &host_path);

  if (!g_variant_dict_contains (options, "host-report"))
    {
      if (os_id != NULL || media_path != NULL || host_path != NULL
          || g_variant_dict_contains (options, "json"))
        {
          g_printerr ("%s\n", _("--os, --media, --host and --json go with --host-report"));
          return EXIT_FAILURE;
        }
      return -1;
    }

  if (g_variant_dict_lookup (options, "connect", "^a&s", &uris)
      && g_strv_length ((char **) uris) > 1)
    {
      g_printerr ("%s\n", _("--host-report reports on one connection: give --connect once"));
      return EXIT_FAILURE;
    }
  if (host_path != NULL && uris != NULL)
    {
      g_printerr ("%s\n", _("--host plans for a saved host, --connect for a connection's: "
                            "give one of them"));
      return EXIT_FAILURE;
    }

  /* Which renderer the windows would draw with: GTK is not started this early, and
   * without a display the report says it cannot tell. */
  renderer = gh_renderer_choose (gtk_init_check () ? gdk_display_get_default () : NULL);

  return gh_host_report_run (host_path != NULL ? NULL
                             : uris != NULL && uris[0] != NULL ? uris[0] : "qemu:///session",
                             os_id,
                             media_path,
                             host_path,
                             g_variant_dict_contains (options, "json") ? GH_HOST_REPORT_JSON
                                                                       : GH_HOST_REPORT_TEXT,
                             renderer);
}

static void
gh_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
gh_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  static const char *developers[] = { "The Greenhouse authors", NULL };
  GtkApplication *app = GTK_APPLICATION (user_data);
  AdwAboutWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("Greenhouse"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Greenhouse authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("See and control the virtual machines of your "
                                      "libvirt connections"),
                        "copyright", "© 2026 The Greenhouse authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
gh_application_shortcuts_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* GtkApplication loads gtk/help-overlay.ui from our resources into every
   * GtkApplicationWindow and gives it win.show-help-overlay. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

/* The machine a (connection URI, machine UUID) parameter names, or NULL when the
 * connection was removed or the machine is gone since the action was asked for. */
static GhMachine *
lookup_machine (GhApplication *self,
                GVariant      *parameter)
{
  const char *uri;
  const char *uuid;
  GhConnection *connection;

  g_variant_get (parameter, "(&s&s)", &uri, &uuid);
  connection = find_connection (self, uri);
  if (connection == NULL)
    return NULL;

  return gh_machine_list_lookup_by_uuid (gh_connection_get_machines (connection), uuid);
}

/* app.open-console and app.open-settings, (connection URI, machine UUID): how rows,
 * consoles and the wizard open a machine's windows without reaching up to the
 * application. */
static void
gh_application_open_console_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  GhApplication *self = GH_APPLICATION (user_data);
  GhMachine *machine = lookup_machine (self, parameter);

  if (machine != NULL)
    gh_application_open_console (self, machine);
}

static void
gh_application_open_settings_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  GhApplication *self = GH_APPLICATION (user_data);
  GhMachine *machine = lookup_machine (self, parameter);

  if (machine != NULL)
    gh_application_open_settings (self, machine);
}

/* app.add-connection (s): adds the URI to the window's connections and remembers it. */
static void
gh_application_add_connection_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  gh_application_add_connection (GH_APPLICATION (user_data),
                                 g_variant_get_string (parameter, NULL), TRUE);
}

/* app.remove-connection (s): removes the URI's connection and forgets it. */
static void
gh_application_remove_connection_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  GhApplication *self = GH_APPLICATION (user_data);
  GhConnection *connection = find_connection (self, g_variant_get_string (parameter, NULL));

  if (connection != NULL)
    gh_application_remove_connection (self, connection, TRUE);
}

static const GActionEntry app_actions[] = {
  { "quit", gh_application_quit_action },
  { "about", gh_application_about_action },
  { "shortcuts", gh_application_shortcuts_action },
  { "open-console", gh_application_open_console_action, "(ss)" },
  { "open-settings", gh_application_open_settings_action, "(ss)" },
  { "add-connection", gh_application_add_connection_action, "s" },
  { "remove-connection", gh_application_remove_connection_action, "s" },
};

static void
gh_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *no_accels[] = { NULL };
  GhApplication *self = GH_APPLICATION (app);
  GdkDisplay *display;
  g_autoptr(GhRendererChoice) renderer = NULL;
  g_autofree char *description = NULL;

  G_APPLICATION_CLASS (gh_application_parent_class)->startup (app);

  /* GtkApplication opened the display; no window is realized yet, so every one of them,
   * popovers included, draws with the renderer chosen here. */
  display = gdk_display_get_default ();
  renderer = gh_renderer_choose (display);
  gh_renderer_apply (display, renderer);
  description = gh_renderer_choice_dup_description (renderer);
  g_debug ("Renderer: %s", description);

  gh_core_init ();

  self->settings = gh_settings_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  /* One action, one shortcut: the menu and the shortcuts window both name app.shortcuts. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         no_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts",
                                         shortcuts_accels);
}

static void
gh_application_shutdown (GApplication *app)
{
  GhApplication *self = GH_APPLICATION (app);
  GListModel *connections = G_LIST_MODEL (self->connections);
  guint n = g_list_model_get_n_items (connections);

  /* Quitting (Ctrl+Q) closes no window, so close-request does not save the size. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (GH_IS_WINDOW (l->data))
        save_window_size (self, l->data);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (connections, i);

      gh_connection_close (connection);
    }

  /* A first start that quits at once (or a benchmark's) would leave no cache, and the next
   * start would load the whole database again; building it takes a second or two, once. */
  if (self->os_names != NULL)
    gh_os_names_wait (self->os_names);

  G_APPLICATION_CLASS (gh_application_parent_class)->shutdown (app);
}

static void
gh_application_dispose (GObject *object)
{
  GhApplication *self = (GhApplication *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->os_names);
  if (self->connections != NULL)
    g_list_store_remove_all (self->connections);

  G_OBJECT_CLASS (gh_application_parent_class)->dispose (object);
}

static void
gh_application_finalize (GObject *object)
{
  GhApplication *self = (GhApplication *)object;

  g_clear_object (&self->connections);

  G_OBJECT_CLASS (gh_application_parent_class)->finalize (object);
}

static void
gh_application_class_init (GhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = gh_application_dispose;
  object_class->finalize = gh_application_finalize;

  app_class->activate = gh_application_activate;
  app_class->command_line = gh_application_command_line;
  app_class->handle_local_options = gh_application_handle_local_options;
  app_class->startup = gh_application_startup;
  app_class->shutdown = gh_application_shutdown;
}

static void
gh_application_init (GhApplication *self)
{
  self->connections = g_list_store_new (GH_TYPE_CONNECTION);

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run virtual machines with libvirt."));
}

GhApplication *
gh_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  /* The resource path stays the same in the development build, whose id ends in .Devel:
   * GtkApplication finds style.css and gtk/help-overlay.ui under it. */
  return g_object_new (GH_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

GhSettings *
gh_application_get_settings (GhApplication *self)
{
  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);

  return self->settings;
}

GListModel *
gh_application_get_connections (GhApplication *self)
{
  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);

  return G_LIST_MODEL (self->connections);
}

GhConnection *
gh_application_add_connection (GhApplication *self,
                               const char    *uri,
                               gboolean       remember)
{
  GhConnection *connection;

  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  if (remember && self->settings != NULL)
    gh_settings_remember_connection (self->settings, uri);

  if ((connection = find_connection (self, uri)))
    return connection;

  connection = gh_connection_new (uri);
  g_list_store_append (self->connections, connection);
  g_object_unref (connection);  /* the store keeps it */
  gh_connection_open_async (connection, NULL, on_open_cb, NULL);

  return connection;
}

void
gh_application_remove_connection (GhApplication *self,
                                  GhConnection  *connection,
                                  gboolean       forget)
{
  guint position;

  g_return_if_fail (GH_IS_APPLICATION (self));
  g_return_if_fail (GH_IS_CONNECTION (connection));

  if (forget && self->settings != NULL)
    gh_settings_forget_connection (self->settings, gh_connection_get_uri (connection));

  if (g_list_store_find (self->connections, connection, &position))
    {
      g_object_ref (connection);
      g_list_store_remove (self->connections, position);
      gh_connection_close (connection);
      g_object_unref (connection);
    }
}

GhConsoleWindow *
gh_application_open_console (GhApplication *self,
                             GhMachine     *machine)
{
  GhConnection *connection;
  const char *uri = NULL;
  GhConsoleWindow *window;

  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (GH_IS_MACHINE (machine), NULL);

  /* One window per machine, known by its connection and UUID. */
  connection = gh_connection_get_for_machine (machine);
  if (connection != NULL)
    uri = gh_connection_get_uri (connection);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (GH_IS_CONSOLE_WINDOW (l->data) &&
          gh_console_window_is_for (l->data, uri, gh_machine_get_uuid (machine)))
        {
          gtk_window_present (l->data);
          return l->data;
        }
    }

  window = gh_console_window_new (GTK_APPLICATION (self), machine);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

GtkWindow *
gh_application_open_settings (GhApplication *self,
                              GhMachine     *machine)
{
  GhConnection *connection;
  GhMachineSettings *window;

  g_return_val_if_fail (GH_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (GH_IS_MACHINE (machine), NULL);

  connection = gh_connection_get_for_machine (machine);
  if (connection == NULL)
    return NULL;

  /* One window per machine, as for consoles. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (GH_IS_MACHINE_SETTINGS (l->data) &&
          gh_machine_settings_is_for (l->data, gh_connection_get_uri (connection),
                                      gh_machine_get_uuid (machine)))
        {
          gtk_window_present (l->data);
          return l->data;
        }
    }

  window = gh_machine_settings_new (GTK_APPLICATION (self), machine);
  gtk_window_present (GTK_WINDOW (window));

  return GTK_WINDOW (window);
}
