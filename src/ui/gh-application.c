/* gh-application.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-application.h"
#include "gh-window.h"

struct _GhApplication
{
  AdwApplication  parent_instance;

  /* Owned references */
  GhSettings     *settings;
  GListStore     *connections;

  /* Set once the remembered connections were opened (or --connect replaced them), so that a
   * later activation (from D-Bus, or a second launch) does not open them again. */
  guint           chose_connections : 1;
};

G_DEFINE_FINAL_TYPE (GhApplication, gh_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "connect", 'c', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Show the machines of this libvirt connection (may be repeated)"), N_("URI") },
  { "host-report", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print what this host can do for 3D and the display plan for an OS, then exit "
       "(connection: --connect, default qemu:///session)"), NULL },
  { "os", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --host-report: plan for this operating system"), N_("LIBOSINFO-ID") },
  { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("With --host-report: print JSON"), NULL },
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

static void
on_os_db_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Without the database rows simply show no OS name. */
  if (!gh_os_db_load_finish (GH_OS_DB (object), result, &error))
    g_warning ("Could not load the operating system database: %s", error->message);
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

static void
gh_application_activate (GApplication *app)
{
  GhApplication *self = GH_APPLICATION (app);
  GtkWindow *window;

  /* Started by D-Bus activation or without --connect: what the user chose last time. */
  if (!self->chose_connections &&
      g_list_model_get_n_items (G_LIST_MODEL (self->connections)) == 0)
    open_remembered_connections (self);

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (gh_window_new (self));

  gtk_window_present (window);
}

/* --connect shows the given connections for this run only: they are not remembered, and
 * the remembered ones are not opened. The list of remembered connections stays the user's
 * own: a connection added or removed in the window during such a run is added to or
 * removed from that list (gh_application_add_connection () and
 * gh_application_remove_connection () with @remember and @forget), and the --connect set
 * is never written to it. A second launch with --connect adds its connections to the
 * running window, for this run too. */
static int
gh_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  GhApplication *self = GH_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **uris = NULL;
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
        }
    }

  g_application_activate (app);

  /* A second launch asks to see a connection that may be shown already, out of sight. */
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (asked != NULL && g_application_command_line_get_is_remote (command_line) &&
      GH_IS_WINDOW (window))
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

  g_variant_dict_lookup (options, "os", "&s", &os_id);

  if (!g_variant_dict_contains (options, "host-report"))
    {
      if (os_id != NULL || g_variant_dict_contains (options, "json"))
        {
          g_printerr ("%s\n", _("--os and --json go with --host-report"));
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

  return gh_host_report_run (uris != NULL && uris[0] != NULL ? uris[0] : "qemu:///session",
                             os_id,
                             g_variant_dict_contains (options, "json") ? GH_HOST_REPORT_JSON
                                                                       : GH_HOST_REPORT_TEXT);
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

static const GActionEntry app_actions[] = {
  { "quit", gh_application_quit_action },
  { "about", gh_application_about_action },
  { "shortcuts", gh_application_shortcuts_action },
};

static void
gh_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *no_accels[] = { NULL };
  GhApplication *self = GH_APPLICATION (app);

  G_APPLICATION_CLASS (gh_application_parent_class)->startup (app);

  gh_core_init ();
  gh_os_db_load_async (gh_os_db_get_default (), NULL, on_os_db_loaded_cb, NULL);

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
        gh_window_save_size (GH_WINDOW (l->data));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (connections, i);

      gh_connection_close (connection);
    }

  G_APPLICATION_CLASS (gh_application_parent_class)->shutdown (app);
}

static void
gh_application_dispose (GObject *object)
{
  GhApplication *self = (GhApplication *)object;

  g_clear_object (&self->settings);
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
