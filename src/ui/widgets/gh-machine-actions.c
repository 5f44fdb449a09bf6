/* gh-machine-actions.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-actions.h"

struct _GhMachineActions
{
  GSimpleActionGroup  parent_instance;

  /* Borrowed references */
  GtkWidget          *widget;           /* the row or console that inserted the group */

  /* Owned references */
  GhMachine          *machine;
  GSignalGroup       *machine_signals;  /* follows @machine's state and busy */
};

G_DEFINE_FINAL_TYPE (GhMachineActions, gh_machine_actions, G_TYPE_SIMPLE_ACTION_GROUP)

enum {
  PROP_0,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char      *name;
  GhMachineAction  action;
} power_actions[] = {
  { "start", GH_MACHINE_ACTION_START },
  { "shut-down", GH_MACHINE_ACTION_SHUT_DOWN },
  { "force-off", GH_MACHINE_ACTION_FORCE_OFF },
  { "reboot", GH_MACHINE_ACTION_REBOOT },
  { "pause", GH_MACHINE_ACTION_PAUSE },
  { "resume", GH_MACHINE_ACTION_RESUME },
};

/* ---- the dialogs -------------------------------------------------------------------- */

static GtkWidget *
force_off_dialog_new (GtkWindow *parent,
                      GhMachine *machine)
{
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: %s is a machine's name */
  heading = g_strdup_printf (_("Force Off “%s”?"), gh_machine_get_display_name (machine));
  dialog = adw_message_dialog_new (parent, heading,
                                   _("The machine is turned off at once, as pulling its plug "
                                     "would. Unsaved work in it is lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "force-off", _("_Force Off"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "force-off",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  return dialog;
}

/* Whether to run the installer again ("installer"), start the installed system
 * ("installed"), or not ("cancel"). */
static GtkWidget *
install_start_dialog_new (GtkWindow *parent,
                          GhMachine *machine)
{
  const GError *error = gh_machine_get_install_error (machine);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: %s is a machine's name */
  heading = g_strdup_printf (_("Start “%s”?"), gh_machine_get_display_name (machine));
  if (error != NULL)
    /* Translators: %s is why the installed system could not be started */
    body = g_strdup_printf (_("Its installer finished, but the installed system could not "
                              "be started: %s\n\nRunning the installer again starts the "
                              "installation over and erases what it wrote to the disk."),
                            gh_error_get_detail (error));
  else
    body = g_strdup (_("It stopped before its installer finished, or while Greenhouse was "
                       "not watching. Running the installer again starts the installation "
                       "over and erases what it wrote to the disk. If the installation was "
                       "complete, start the installed system instead."));

  dialog = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "installer", _("_Run Installer Again"),
                                    "installed", _("Start _Installed System"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "installer",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "installed",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           error != NULL ? "installed" : "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  return dialog;
}

static GtkWidget *
delete_dialog_new (GtkWindow *parent,
                   GhMachine *machine)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *stop = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *check;
  GtkWidget *caption;

  /* Deleting a machine that runs turns it off first, as pulling its plug would. */
  switch (gh_machine_get_state (machine))
    {
    case GH_MACHINE_STATE_RUNNING:
      stop = _("It is running and will be turned off first; unsaved work in it is lost.");
      break;

    case GH_MACHINE_STATE_PAUSED:
    case GH_MACHINE_STATE_SUSPENDED:
      stop = _("It is paused and will be turned off first; unsaved work in it is lost.");
      break;

    case GH_MACHINE_STATE_UNKNOWN:
    case GH_MACHINE_STATE_SHUT_OFF:
    case GH_MACHINE_STATE_CRASHED:
    default:
      break;
    }

  body = g_strjoin (" ",
                    _("The machine and its settings are removed for good. "
                      "This cannot be undone."),
                    stop, NULL);

  /* Translators: %s is a machine's name */
  heading = g_strdup_printf (_("Delete “%s”?"), gh_machine_get_display_name (machine));
  dialog = adw_message_dialog_new (parent, heading, body);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  check = gtk_check_button_new_with_mnemonic (_("Also delete its _storage"));
  caption = gtk_label_new (_("Only disks that belong to this machine alone are removed; "
                             "installation media (ISO images) and disks that other machines "
                             "use are kept."));
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_set_margin_start (caption, 30);  /* lines up with the check button's label */
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, caption, NULL,
                                  -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "storage-check", check);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  return dialog;
}

/* ---- running an action -------------------------------------------------------------- */

/* What a finished operation needs to report a failure: the row that started it may show
 * another machine by then, or be gone with a deleted one. */
typedef struct
{
  GhMachine *machine;
  GtkWidget *window;   /* where it was asked for; NULL outside a window */
  char      *failure;  /* "Could not start “name”", named when it started */
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_clear_object (&data->machine);
  g_clear_object (&data->window);
  g_free (data->failure);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, action_data_free)

static ActionData *
action_data_new (GhMachine *machine,
                 GtkWindow *window,
                 char      *failure)
{
  ActionData *data = g_new0 (ActionData, 1);

  data->machine = g_object_ref (machine);
  data->window = window != NULL ? g_object_ref (GTK_WIDGET (window)) : NULL;
  data->failure = failure;

  return data;
}

/* The new state arrives as an event; only a failure is said here, by the window, which
 * knows how (a toast whose Details button shows why). */
static void
action_data_report (ActionData   *data,
                    const GError *error)
{
  if (error == NULL)
    return;

  if (data->window == NULL ||
      !gtk_widget_activate_action (data->window, "win.report-error", "(ss)", data->failure,
                                   gh_error_get_detail (error)))
    g_warning ("%s: %s", data->failure, error->message);
}

static void
on_perform_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;

  gh_machine_perform_finish (GH_MACHINE (object), result, &error);
  action_data_report (data, error);
}

static void
on_finish_install_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;

  gh_machine_finish_install_finish (GH_MACHINE (object), result, &error);
  action_data_report (data, error);
}

static void
on_delete_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;

  gh_machine_delete_finish (GH_MACHINE (object), result, &error);
  action_data_report (data, error);
}

/* A dialog may have been open while the machine changed: it may be deleted (still shown
 * by its console), doing something else, or in a state the action no longer fits. */
static gboolean
machine_still_idle (GhMachine *machine)
{
  GhConnection *connection = gh_connection_get_for_machine (machine);

  return connection != NULL &&
         gh_machine_list_lookup_by_uuid (gh_connection_get_machines (connection),
                                         gh_machine_get_uuid (machine)) == machine &&
         !gh_machine_get_busy (machine);
}

static void
perform (GhMachine       *machine,
         GhMachineAction  action,
         GtkWindow       *window)
{
  char *failure = gh_machine_action_dup_failure (action, gh_machine_get_display_name (machine));

  gh_machine_perform_async (machine, action, NULL, on_perform_cb,
                            action_data_new (machine, window, failure));
}

static void
perform_after_asking (GhMachine       *machine,
                      GhMachineAction  action,
                      GtkWindow       *window)
{
  if (machine_still_idle (machine) && gh_machine_can_perform (machine, action))
    perform (machine, action, window);
}

/* The dialogs hold the machine, not the group: a row may show another machine by the
 * time one is answered. */
static GhMachine *
dialog_get_machine (AdwMessageDialog *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "gh-machine");
}

static void
on_force_off_response (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  if (g_strcmp0 (response, "force-off") == 0)
    perform_after_asking (dialog_get_machine (dialog), GH_MACHINE_ACTION_FORCE_OFF,
                          gtk_window_get_transient_for (GTK_WINDOW (dialog)));
}

static void
on_install_start_response (AdwMessageDialog *dialog,
                           const char       *response,
                           gpointer          user_data)
{
  GhMachine *machine = dialog_get_machine (dialog);
  GtkWindow *window = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  char *failure;

  if (g_strcmp0 (response, "installer") == 0)
    {
      perform_after_asking (machine, GH_MACHINE_ACTION_START, window);
      return;
    }

  if (g_strcmp0 (response, "installed") != 0 || !machine_still_idle (machine))
    return;

  /* Translators: %s is a machine's name */
  failure = g_strdup_printf (_("Could not finish installing “%s”"),
                             gh_machine_get_display_name (machine));
  gh_machine_finish_install_async (machine, NULL, on_finish_install_cb,
                                   action_data_new (machine, window, failure));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  GhMachine *machine = dialog_get_machine (dialog);
  GtkCheckButton *storage_check;
  char *failure;

  if (g_strcmp0 (response, "delete") != 0)
    return;

  storage_check = g_object_get_data (G_OBJECT (dialog), "storage-check");

  /* Translators: %s is a machine's name */
  failure = g_strdup_printf (_("Could not delete “%s”"), gh_machine_get_display_name (machine));
  gh_machine_delete_async (machine, gtk_check_button_get_active (storage_check), NULL,
                           on_delete_cb,
                           action_data_new (machine,
                                            gtk_window_get_transient_for (GTK_WINDOW (dialog)),
                                            failure));
}

static void
present_dialog (GtkWidget *dialog,
                GhMachine *machine,
                GCallback  on_response)
{
  g_object_set_data_full (G_OBJECT (dialog), "gh-machine", g_object_ref (machine),
                          g_object_unref);
  g_signal_connect (dialog, "response", on_response, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWindow *
gh_machine_actions_get_window (GhMachineActions *self)
{
  GtkRoot *root = self->widget != NULL ? gtk_widget_get_root (self->widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_power_activate (GSimpleAction    *action,
                   GVariant         *parameter,
                   GhMachineActions *self)
{
  const char *name = g_action_get_name (G_ACTION (action));
  GtkWindow *window = gh_machine_actions_get_window (self);

  g_return_if_fail (self->machine != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (power_actions); i++)
    {
      GhMachineAction what = power_actions[i].action;

      if (g_strcmp0 (name, power_actions[i].name) != 0)
        continue;

      /* Forcing off pulls the plug: ask. */
      if (what == GH_MACHINE_ACTION_FORCE_OFF)
        present_dialog (force_off_dialog_new (window, self->machine), self->machine,
                        G_CALLBACK (on_force_off_response));
      /* Starting the installer again could erase an installed system: ask. */
      else if (what == GH_MACHINE_ACTION_START && gh_machine_start_needs_asking (self->machine))
        present_dialog (install_start_dialog_new (window, self->machine), self->machine,
                        G_CALLBACK (on_install_start_response));
      else
        perform (self->machine, what, window);
      return;
    }

  g_assert_not_reached ();
}

static void
on_delete_activate (GSimpleAction    *action,
                    GVariant         *parameter,
                    GhMachineActions *self)
{
  GtkWidget *dialog;

  g_return_if_fail (self->machine != NULL);

  dialog = delete_dialog_new (gh_machine_actions_get_window (self), self->machine);
  present_dialog (dialog, self->machine, G_CALLBACK (on_delete_response));
  /* Showing the dialog focused its first focusable widget, the check button, which Enter
   * would toggle: without a focus, Enter gives the default response, Cancel. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
}

/* ---- which are enabled -------------------------------------------------------------- */

static void
set_enabled (GhMachineActions *self,
             const char       *name,
             gboolean          enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* One action at a time: a second click would ask libvirt twice. */
static void
gh_machine_actions_update (GhMachineActions *self)
{
  gboolean idle = self->machine != NULL && !gh_machine_get_busy (self->machine);

  for (guint i = 0; i < G_N_ELEMENTS (power_actions); i++)
    set_enabled (self, power_actions[i].name,
                 idle && gh_machine_can_perform (self->machine, power_actions[i].action));

  /* Deleting needs the machine's definition, which an unreachable daemon cannot give. */
  set_enabled (self, "delete",
               idle && gh_machine_get_state (self->machine) != GH_MACHINE_STATE_UNKNOWN);
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
gh_machine_actions_dispose (GObject *object)
{
  GhMachineActions *self = (GhMachineActions *)object;

  g_clear_weak_pointer (&self->widget);
  if (self->machine_signals != NULL)
    g_signal_group_set_target (self->machine_signals, NULL);
  g_clear_object (&self->machine_signals);
  g_clear_object (&self->machine);

  G_OBJECT_CLASS (gh_machine_actions_parent_class)->dispose (object);
}

static void
gh_machine_actions_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GhMachineActions *self = GH_MACHINE_ACTIONS (object);

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
gh_machine_actions_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  GhMachineActions *self = GH_MACHINE_ACTIONS (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      gh_machine_actions_set_machine (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_machine_actions_class_init (GhMachineActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_machine_actions_dispose;
  object_class->get_property = gh_machine_actions_get_property;
  object_class->set_property = gh_machine_actions_set_property;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL,
                         GH_TYPE_MACHINE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_machine_actions_init (GhMachineActions *self)
{
  g_autoptr(GSimpleAction) delete_action = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (power_actions); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (power_actions[i].name, NULL);

      g_signal_connect_object (action, "activate", G_CALLBACK (on_power_activate), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }

  delete_action = g_simple_action_new ("delete", NULL);
  g_signal_connect_object (delete_action, "activate", G_CALLBACK (on_delete_activate), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (delete_action));

  self->machine_signals = g_signal_group_new (GH_TYPE_MACHINE);
  g_signal_group_connect_object (self->machine_signals, "notify::state",
                                 G_CALLBACK (gh_machine_actions_update), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->machine_signals, "notify::busy",
                                 G_CALLBACK (gh_machine_actions_update), self,
                                 G_CONNECT_SWAPPED);

  gh_machine_actions_update (self);
}

GhMachineActions *
gh_machine_actions_new (GtkWidget *widget)
{
  GhMachineActions *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (GH_TYPE_MACHINE_ACTIONS, NULL);
  g_set_weak_pointer (&self->widget, widget);
  gtk_widget_insert_action_group (widget, "machine", G_ACTION_GROUP (self));

  return self;
}

GhMachine *
gh_machine_actions_get_machine (GhMachineActions *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_ACTIONS (self), NULL);

  return self->machine;
}

void
gh_machine_actions_set_machine (GhMachineActions *self,
                                GhMachine        *machine)
{
  g_return_if_fail (GH_IS_MACHINE_ACTIONS (self));
  g_return_if_fail (machine == NULL || GH_IS_MACHINE (machine));

  if (!g_set_object (&self->machine, machine))
    return;

  g_signal_group_set_target (self->machine_signals, machine);
  gh_machine_actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
}

gboolean
gh_machine_actions_get_power_enabled (GhMachineActions *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_ACTIONS (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (power_actions); i++)
    if (g_action_group_get_action_enabled (G_ACTION_GROUP (self), power_actions[i].name))
      return TRUE;

  return FALSE;
}
