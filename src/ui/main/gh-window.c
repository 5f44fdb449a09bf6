/* gh-window.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-connection-view.h"
#include "gh-create-wizard.h"
#include "gh-machine-row.h"
#include "gh-ui-toast.h"
#include "gh-ui-util.h"
#include "gh-window-private.h"

G_DEFINE_FINAL_TYPE (GhWindow, gh_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- the grid view's items ---------------------------------------------------------- */

/* The list item a connection's view is the child of, while it is bound. */
static GQuark list_item_quark;
/* The GListStore that holds a view's connection in the list, or not. */
static GQuark head_quark;

static GhConnectionView *
gh_window_find_view (GhWindow     *self,
                     GhConnection *connection)
{
  for (guint i = 0; i < self->views->len; i++)
    {
      GhConnectionView *view = g_ptr_array_index (self->views, i);

      if (gh_connection_view_get_connection (view) == connection)
        return view;
    }

  return NULL;
}

/* A view that says which connection it heads can take the focus, so that the arrow keys
 * move on from one connection's rows to the next one's; an empty one is skipped. */
static void
gh_window_update_view_focus (GhWindow         *self,
                             GhConnectionView *view)
{
  GtkListItem *list_item = g_object_get_qdata (G_OBJECT (view), list_item_quark);

  if (list_item != NULL)
    gtk_list_item_set_selectable (list_item, gh_connection_view_get_show_header (view));
}

/* A view that shows nothing is left out of the list: GTK 4.8's list views cannot move the
 * focus past an item that takes none, so with one connection the keyboard could not reach
 * the machines below its (empty) view. */
static void
gh_window_update_head (GhWindow         *self,
                       GhConnectionView *view)
{
  GListStore *head = g_object_get_qdata (G_OBJECT (view), head_quark);
  gboolean listed = g_list_model_get_n_items (G_LIST_MODEL (head)) > 0;
  gboolean first_listed;

  if (gh_connection_view_get_has_content (view) && !listed)
    g_list_store_append (head, gh_connection_view_get_connection (view));
  else if (!gh_connection_view_get_has_content (view) && listed)
    g_list_store_remove (head, 0);

  /* The first view keeps the room above the list (style.css); without it, the first row
   * does. */
  if (self->views->len > 0)
    {
      GhConnectionView *first = g_ptr_array_index (self->views, 0);

      first_listed = gh_connection_view_get_has_content (first);
    }
  else
    first_listed = TRUE;

  if (first_listed)
    gtk_widget_remove_css_class (GTK_WIDGET (self->machines_view), "headless");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->machines_view), "headless");
}

static void
on_view_has_content_changed (GhWindow         *self,
                             GParamSpec       *pspec,
                             GhConnectionView *view)
{
  gh_window_update_head (self, view);
}

/* With several connections it is the list item holding a view that takes the focus, not
 * the view (which is a group labelled by its title); before GTK 4.12 a list item has no
 * label to give, so its widget gets the connection's name for screen readers. */
static void
set_item_widget_label (GtkWidget  *child,
                       const char *label)
{
  GtkWidget *item_widget = gtk_widget_get_parent (child);

  if (item_widget == NULL)
    return;

  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item_widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (item_widget),
                                   GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            GhWindow                 *self)
{
  /* The rows have their own buttons and menus; the list items only hold them. */
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  /* Nearly every item is a machine. */
  gtk_list_item_set_child (list_item, gh_machine_row_new (NULL));
}

static void
bind_item (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           GhWindow                 *self)
{
  gpointer item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (GH_IS_MACHINE (item))
    {
      if (!GH_IS_MACHINE_ROW (child))
        {
          child = gh_machine_row_new (NULL);
          gtk_list_item_set_child (list_item, child);
        }
      gh_machine_row_set_machine (GH_MACHINE_ROW (child), item);
    }
  else if (GH_IS_CONNECTION (item))
    {
      GhConnectionView *view = gh_window_find_view (self, item);
      g_autofree char *name = NULL;
      GtkListItem *previous;

      g_return_if_fail (view != NULL);

      /* A widget has one parent: take it from an item that has not let go of it yet. */
      previous = g_object_get_qdata (G_OBJECT (view), list_item_quark);
      if (previous != NULL && previous != list_item)
        {
          set_item_widget_label (GTK_WIDGET (view), NULL);
          gtk_list_item_set_child (previous, NULL);
        }

      gtk_list_item_set_child (list_item, GTK_WIDGET (view));
      name = gh_connection_dup_display_name (item);
      set_item_widget_label (GTK_WIDGET (view), name);
      g_object_set_qdata (G_OBJECT (view), list_item_quark, list_item);
      gh_window_update_view_focus (self, view);
    }
  else
    g_return_if_reached ();
}

static void
unbind_item (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             GhWindow                 *self)
{
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (GH_IS_MACHINE_ROW (child))
    {
      /* Lets go of the machine and every signal of it: a pooled row updates nothing. */
      gh_machine_row_set_machine (GH_MACHINE_ROW (child), NULL);
    }
  else if (GH_IS_CONNECTION_VIEW (child))
    {
      if (g_object_get_qdata (G_OBJECT (child), list_item_quark) == list_item)
        g_object_set_qdata (G_OBJECT (child), list_item_quark, NULL);

      /* The window keeps the view; the next item bound here gets a row again. */
      set_item_widget_label (child, NULL);
      gtk_list_item_set_child (list_item, NULL);
      gtk_list_item_set_selectable (list_item, FALSE);
    }
}

static void
teardown_item (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               GhWindow                 *self)
{
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (GH_IS_CONNECTION_VIEW (child) &&
      g_object_get_qdata (G_OBJECT (child), list_item_quark) == list_item)
    g_object_set_qdata (G_OBJECT (child), list_item_quark, NULL);
}

/* The connection's view comes and goes with what it shows: see gh_window_update_head (). */
static GListModel *
create_section (GhConnection     *connection,
                GhConnectionView *view)
{
  g_autoptr(GListStore) head = g_list_store_new (GH_TYPE_CONNECTION);
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);

  g_object_set_qdata_full (G_OBJECT (view), head_quark, g_object_ref (head), g_object_unref);
  g_list_store_append (parts, head);
  /* Its rows follow the list as it changes, row by row; nothing here rebuilds them. */
  g_list_store_append (parts, gh_connection_get_machines (connection));

  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));
}

static gboolean
connection_state_to_subtitle (GBinding     *binding,
                              const GValue *from_value,
                              GValue       *to_value,
                              gpointer      user_data)
{
  GhConnection *connection = user_data;
  g_autofree char *name = gh_connection_dup_display_name (connection);
  const char *uri = gh_connection_get_uri (connection);
  const char *state = gh_connection_state_get_label (g_value_get_enum (from_value));

  if (g_strcmp0 (name, uri) == 0)
    g_value_set_string (to_value, state);
  else
    /* Translators: a connection's address, then its state: "qemu:///session — Connected" */
    g_value_take_string (to_value, g_strdup_printf (_("%s — %s"), uri, state));

  return TRUE;
}

static GtkWidget *
create_connection_row (gpointer item,
                       gpointer user_data)
{
  GhConnection *connection = GH_CONNECTION (item);
  g_autofree char *name = gh_connection_dup_display_name (connection);
  GtkWidget *row;
  GtkWidget *remove_button;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  g_object_bind_property_full (connection, "state", row, "subtitle", G_BINDING_SYNC_CREATE,
                               connection_state_to_subtitle, NULL,
                               g_object_ref (connection), g_object_unref);

  remove_button = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_set_valign (remove_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove_button, "flat");
  gtk_widget_set_tooltip_text (remove_button, _("Remove Connection"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove connection"),
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove_button), "win.remove-connection");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove_button), "s",
                                    gh_connection_get_uri (connection));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove_button);

  return row;
}

static void
gh_window_update_title (GhWindow *self)
{
  guint n = g_list_model_get_n_items (self->connections);
  g_autofree char *subtitle = NULL;

  /* With one connection the sections have no headers: the title says which one it is. */
  if (n == 1)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (self->connections, 0);

      subtitle = gh_connection_dup_display_name (connection);
    }

  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
  gtk_stack_set_visible_child_name (self->main_stack, n > 0 ? "machines" : "no-connections");

  for (guint i = 0; i < self->views->len; i++)
    {
      GhConnectionView *view = g_ptr_array_index (self->views, i);

      gh_connection_view_set_show_header (view, n > 1);
      gh_window_update_view_focus (self, view);
      /* The first one keeps the room above the list (style.css). */
      if (i == 0)
        gtk_widget_add_css_class (GTK_WIDGET (view), "first");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (view), "first");
    }
}

/* Where a connection's part of the list starts, and how many items it has. */
static guint
gh_window_find_section (GhWindow     *self,
                        GhConnection *connection,
                        guint        *n_items)
{
  guint position = 0;

  for (guint i = 0; i < self->views->len; i++)
    {
      g_autoptr(GListModel) section = g_list_model_get_item (G_LIST_MODEL (self->sections), i);
      guint n = g_list_model_get_n_items (section);

      if (gh_connection_view_get_connection (g_ptr_array_index (self->views, i)) == connection)
        {
          *n_items = n;
          return position;
        }
      position += n;
    }

  *n_items = 0;
  return GTK_INVALID_LIST_POSITION;
}

/* A connection added while the window is open may land below the fold, where nobody would
 * see it connect, or fail. */
void
gh_window_reveal_connection (GhWindow     *self,
                             GhConnection *connection)
{
  guint position;
  guint n_items;

  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (GH_IS_CONNECTION (connection));

  position = gh_window_find_section (self, connection, &n_items);
  if (position == GTK_INVALID_LIST_POSITION || n_items == 0)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self->machines_view), "list.scroll-to-item", "u",
                              position);
}

/* The banner says what went wrong, but it may be out of sight; a toast is not. State
 * changes are notified only when the state really changes, so this says it once for each
 * time the connection fails or is lost, not for every attempt to get it back. */
static void
on_connection_state_changed (GhWindow     *self,
                             GParamSpec   *pspec,
                             GhConnection *connection)
{
  GhConnectionState state = gh_connection_get_state (connection);
  const GError *error = gh_connection_get_error (connection);
  g_autofree char *name = NULL;
  g_autofree char *what = NULL;

  _gh_window_check_ready (self);

  if (state != GH_CONNECTION_STATE_FAILED && state != GH_CONNECTION_STATE_LOST)
    return;

  name = gh_connection_dup_display_name (connection);
  if (state == GH_CONNECTION_STATE_FAILED)
    /* Translators: %s is a connection, like "User session" or "qemu+ssh://host/system" */
    what = g_strdup_printf (_("Could not connect to %s"), name);
  else
    /* Translators: %s is a connection, like "User session" or "qemu+ssh://host/system" */
    what = g_strdup_printf (_("Lost the connection to %s"), name);

  if (error != NULL)
    gh_window_add_error (self, what,
                         gh_error_get_detail (error));
  else
    gh_window_add_toast (self, what);
}

/* The installer was done, but the installed system did not start: the row says so, and
 * this says it where it is seen, with Retry. */
static void
on_install_failed (GhConnection *connection,
                   GhMachine    *machine,
                   const GError *error,
                   GhWindow     *self)
{
  g_autofree char *what = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  /* Translators: %s is a machine's name */
  what = g_strdup_printf (_("Could not finish installing “%s”"),
                          gh_machine_get_display_name (machine));
  /* A toast's title is markup, and machine names may hold '<' or '&'. */
  escaped = g_markup_escape_text (what, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Retry"));
  adw_toast_set_action_name (toast, "win.finish-install");
  adw_toast_set_action_target_value (toast,
                                     g_variant_new ("(ss)", gh_connection_get_uri (connection),
                                                    gh_machine_get_uuid (machine)));
  gh_ui_add_toast (self->toast_overlay, toast);
  g_debug ("%s: %s", what, error->message);
}

/* What a create, delete or install finish cut short by a dead daemon (or a crash) left
 * behind, and the cleanup after the next connection could not remove: the user may want
 * to remove it by hand. */
static void
on_cleanup_error (GhWindow     *self,
                  GParamSpec   *pspec,
                  GhConnection *connection)
{
  const GError *error = gh_connection_get_cleanup_error (connection);

  if (error != NULL)
    gh_window_add_error (self, gh_error_get_what (error), gh_error_get_detail (error));
}

static void
on_connections_changed (GhWindow   *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *connections)
{
  for (guint i = 0; i < removed; i++)
    {
      GhConnectionView *view = g_ptr_array_index (self->views, position);

      g_signal_handlers_disconnect_by_data (gh_connection_view_get_connection (view), self);
      g_signal_handlers_disconnect_by_data (view, self);
      /* The grid view lets go of the section's rows and view as it drops them. */
      g_list_store_remove (self->sections, position);
      g_ptr_array_remove_index (self->views, position);
    }

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (connections, position + i);
      GhConnectionView *view = GH_CONNECTION_VIEW (gh_connection_view_new (connection));
      g_autoptr(GListModel) section = create_section (connection, view);

      g_ptr_array_insert (self->views, position + i, g_object_ref_sink (view));
      g_list_store_insert (self->sections, position + i, section);

      g_signal_connect_object (connection, "notify::state",
                               G_CALLBACK (on_connection_state_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (connection, "install-failed",
                               G_CALLBACK (on_install_failed), self, 0);
      g_signal_connect_object (connection, "notify::cleanup-error",
                               G_CALLBACK (on_cleanup_error), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (view, "notify::has-content",
                               G_CALLBACK (on_view_has_content_changed), self,
                               G_CONNECT_SWAPPED);
    }

  gh_window_update_title (self);
  for (guint i = 0; i < self->views->len; i++)
    gh_window_update_head (self, g_ptr_array_index (self->views, i));

  if (self->set_up && added > 0)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (connections,
                                                                  position + added - 1);

      gh_window_reveal_connection (self, connection);
    }

  _gh_window_check_ready (self);
}

static void
on_uri_entry_changed (GtkEditable      *entry,
                      AdwMessageDialog *dialog)
{
  GhWindow *self = GH_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  GtkLabel *error_label = g_object_get_data (G_OBJECT (dialog), "error-label");
  g_autofree char *uri = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (self->connections);
  gboolean valid;
  gboolean complain;

  valid = gh_link_check_uri (uri, &error);
  for (guint i = 0; valid && i < n; i++)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (self->connections, i);

      if (g_strcmp0 (gh_connection_get_uri (connection), uri) == 0)
        {
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               _("This connection is shown already"));
          valid = FALSE;
        }
    }

  adw_message_dialog_set_response_enabled (dialog, "add", valid);

  /* What is being typed is not a mistake yet: only once the driver is written out, or the
   * user pressed Enter. */
  complain = !valid && uri[0] != '\0' &&
             (strstr (uri, "://") != NULL ||
              g_object_get_data (G_OBJECT (dialog), "entered") != NULL);
  gtk_label_set_label (error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (error_label), complain);
  if (complain)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

static void
on_uri_entry_activate (GtkEntry         *entry,
                       AdwMessageDialog *dialog)
{
  g_object_set_data (G_OBJECT (dialog), "entered", GINT_TO_POINTER (TRUE));
  on_uri_entry_changed (GTK_EDITABLE (entry), dialog);
}

static void
on_add_connection_response (AdwMessageDialog *dialog,
                            const char       *response,
                            GhWindow         *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *uri = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;

  uri = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (!gh_link_check_uri (uri, NULL))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "app.add-connection", "s", uri);
}

static void
gh_window_add_connection_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *error_label;

  gtk_menu_button_popdown (self->connections_button);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Connection"),
                                   _("Enter the address of a libvirt connection, such as "
                                     "qemu:///system for this computer’s system machines or "
                                     "qemu+ssh://user@host/system for another computer."));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "qemu+ssh://user@host/system");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_URL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Connection address"),
                                  -1);
  error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (error_label), PANGO_WRAP_WORD_CHAR);
  /* Wraps within the dialog's width instead of widening it. */
  gtk_label_set_max_width_chars (GTK_LABEL (error_label), 20);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_add_css_class (error_label, "caption");
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL,
                                  -1);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), error_label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "error-label", error_label);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_signal_connect (entry, "changed", G_CALLBACK (on_uri_entry_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (on_uri_entry_activate), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_add_connection_response),
                           self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* The connection a new machine goes to: the one named, else the first one connected. */
static GhConnection *
gh_window_find_connection (GhWindow   *self,
                           const char *uri)
{
  guint n = g_list_model_get_n_items (self->connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhConnection) connection = g_list_model_get_item (self->connections, i);

      if (uri[0] != '\0' ? g_strcmp0 (gh_connection_get_uri (connection), uri) == 0
                         : gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED)
        return connection;
    }
  return NULL;
}

/* A new machine opens in its console, as a click on its row would open it. */
static void
on_wizard_machine_created (GhWindow  *self,
                           GhMachine *machine)
{
  gh_widget_activate_machine_action (GTK_WIDGET (self), "app.open-console", machine);
}

static void
gh_window_new_machine_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  GhConnection *connection = gh_window_find_connection (self, g_variant_get_string (parameter, NULL));
  GhCreateWizard *wizard;

  if (connection == NULL)
    {
      gh_ui_add_toast (self->toast_overlay,
                       adw_toast_new (_("Connect to a host first: new machines go there")));
      return;
    }

  wizard = gh_create_wizard_new (GTK_WINDOW (self), connection);
  g_signal_connect_object (wizard, "machine-created",
                           G_CALLBACK (on_wizard_machine_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (wizard));
}

typedef struct
{
  GhWindow *self;
  char     *failure;
} FinishData;

static void
finish_data_free (FinishData *data)
{
  g_object_unref (data->self);
  g_free (data->failure);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FinishData, finish_data_free)

static void
on_finish_install_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(FinishData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!gh_machine_finish_install_finish (GH_MACHINE (object), result, &error))
    gh_window_add_error (data->self, data->failure, gh_error_get_detail (error));
}

static void
gh_window_finish_install_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  GhWindow *self = GH_WINDOW (widget);
  const char *uri = NULL;
  const char *uuid = NULL;
  GhConnection *connection;
  GhMachine *machine;
  FinishData *data;

  g_variant_get (parameter, "(&s&s)", &uri, &uuid);
  connection = gh_window_find_connection (self, uri);
  if (connection == NULL)
    return;
  /* Deleted meanwhile: nothing to finish. */
  machine = gh_machine_list_lookup_by_uuid (gh_connection_get_machines (connection), uuid);
  if (machine == NULL)
    return;

  data = g_new0 (FinishData, 1);
  data->self = g_object_ref (self);
  /* Translators: %s is a machine's name */
  data->failure = g_strdup_printf (_("Could not finish installing “%s”"),
                                   gh_machine_get_display_name (machine));
  gh_machine_finish_install_async (machine, NULL, on_finish_install_cb, data);
}

static void
gh_window_remove_connection_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  gtk_widget_activate_action_variant (widget, "app.remove-connection", parameter);
}

static void
gh_window_show_error_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  gh_ui_error_dialog_present (widget, parameter);
}

/* win.report-error (ss): what failed and why, from a row's actions (GhMachineActions),
 * which do not know what window they are in. */
static void
gh_window_report_error_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  const char *what;
  const char *reason;

  g_variant_get (parameter, "(&s&s)", &what, &reason);
  gh_window_add_error (GH_WINDOW (widget), what, reason);
}

static void
gh_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gh_window_parent_class)->map (widget);

  _gh_window_check_ready (GH_WINDOW (widget));
}

static void
gh_window_dispose (GObject *object)
{
  GhWindow *self = (GhWindow *)object;

  if (self->connections != NULL)
    {
      guint n = g_list_model_get_n_items (self->connections);

      g_signal_handlers_disconnect_by_data (self->connections, self);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GhConnection) connection = g_list_model_get_item (self->connections, i);

          g_signal_handlers_disconnect_by_data (connection, self);
        }
    }

  /* A view going away may still say it has nothing to show. */
  for (guint i = 0; self->views != NULL && i < self->views->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->views, i), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_WINDOW);

  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_object (&self->sections);
  g_clear_object (&self->connections);

  G_OBJECT_CLASS (gh_window_parent_class)->dispose (object);
}

static void
gh_window_class_init (GhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_window_dispose;

  widget_class->map = gh_window_map;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/gh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, connections_button);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, connections_list);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, GhWindow, machines_view);

  gtk_widget_class_install_action (widget_class, "win.add-connection", NULL,
                                   gh_window_add_connection_action);
  gtk_widget_class_install_action (widget_class, "win.new-machine", "s",
                                   gh_window_new_machine_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-machine", "s", "");
  gtk_widget_class_install_action (widget_class, "win.remove-connection", "s",
                                   gh_window_remove_connection_action);
  gtk_widget_class_install_action (widget_class, "win.show-error", "(ss)",
                                   gh_window_show_error_action);
  gtk_widget_class_install_action (widget_class, "win.report-error", "(ss)",
                                   gh_window_report_error_action);
  gtk_widget_class_install_action (widget_class, "win.finish-install", "(ss)",
                                   gh_window_finish_install_action);

  list_item_quark = g_quark_from_static_string ("gh-window-list-item");
  head_quark = g_quark_from_static_string ("gh-window-head");
}

static void
gh_window_init (GhWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  self->views = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_item), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_item), self);
  gtk_grid_view_set_factory (self->machines_view, factory);

  selection = gtk_no_selection_new (G_LIST_MODEL (gtk_flatten_list_model_new (
    g_object_ref (G_LIST_MODEL (self->sections)))));
  gtk_grid_view_set_model (self->machines_view, GTK_SELECTION_MODEL (selection));

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
gh_window_set_up (GhWindow   *self,
                  GListModel *connections)
{
  self->connections = g_object_ref (connections);
  gtk_list_box_bind_model (self->connections_list, self->connections,
                           create_connection_row, NULL, NULL);
  g_signal_connect_object (self->connections, "items-changed",
                           G_CALLBACK (on_connections_changed), self,
                           G_CONNECT_SWAPPED);
  on_connections_changed (self, 0, 0, g_list_model_get_n_items (self->connections),
                          self->connections);
  self->set_up = TRUE;
}

/* Windows are made top-down: the application gives the window what it shows, and
 * restores and saves its size. */
GhWindow *
gh_window_new (GtkApplication *application,
               GListModel     *connections)
{
  GhWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (connections), NULL);

  self = g_object_new (GH_TYPE_WINDOW,
                       "application", application,
                       NULL);
  gh_window_set_up (self, connections);

  return self;
}

void
gh_window_add_toast (GhWindow   *self,
                     const char *message)
{
  AdwToast *toast;

  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* An action that outlived its window has no one to tell. */
  if (self->toast_overlay == NULL)
    return;

  toast = gh_ui_error_toast_new (message, NULL, NULL);
  /* Failures carry libvirt's reason, which takes a while to read. */
  adw_toast_set_timeout (toast, 10);
  gh_ui_add_toast (self->toast_overlay, toast);
}

void
gh_window_add_error (GhWindow   *self,
                     const char *what,
                     const char *reason)
{
  g_return_if_fail (GH_IS_WINDOW (self));
  g_return_if_fail (what != NULL);
  g_return_if_fail (reason != NULL);

  /* An action that outlived its window (its data holds a reference) has no one to tell. */
  if (self->toast_overlay == NULL)
    return;

  gh_ui_add_toast (self->toast_overlay,
                   gh_ui_error_toast_new (what, reason, "win.show-error"));
}
