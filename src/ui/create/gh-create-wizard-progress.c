/* gh-create-wizard-progress.c: "wizard.create", the "progress" page while the machine is
 * made, and "machine-created" once it is there
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-create-wizard-private.h"

static void
update_progress (GhCreateWizard *self)
{
  GhCreateStep step = gh_machine_creator_get_step (self->creator);

  for (guint i = 0; i < self->progress_rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->progress_rows, i);
      GhCreateStep row_step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "gh-step"));
      GtkStack *state = g_object_get_data (G_OBJECT (row), "gh-state");

      if (row_step < step)
        gtk_stack_set_visible_child_name (state, "done");
      else if (row_step == step)
        gtk_stack_set_visible_child_name (state, "busy");
      else
        gtk_stack_set_visible_child_name (state, "waiting");
    }
}

static void
step_changed_cb (GhMachineCreator *creator,
                 GParamSpec       *pspec,
                 GhCreateWizard   *self)
{
  update_progress (self);
}

static void
fill_progress (GhCreateWizard *self,
               gboolean        express)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->progress_list))) != NULL)
    gtk_list_box_remove (self->progress_list, child);
  g_ptr_array_set_size (self->progress_rows, 0);

  for (GhCreateStep step = GH_CREATE_STEP_POOL; step < GH_CREATE_STEP_DONE; step++)
    {
      GtkWidget *row, *state, *spinner, *done, *waiting;

      if (step == GH_CREATE_STEP_EXPRESS && !express)
        continue;

      row = adw_action_row_new ();
      state = gtk_stack_new ();
      spinner = gtk_spinner_new ();
      done = gtk_image_new_from_icon_name ("object-select-symbolic");
      waiting = gtk_image_new_from_icon_name ("content-loading-symbolic");
      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_widget_add_css_class (waiting, "dim-label");
      gtk_widget_add_css_class (done, "success");
      gtk_stack_add_named (GTK_STACK (state), waiting, "waiting");
      gtk_stack_add_named (GTK_STACK (state), spinner, "busy");
      gtk_stack_add_named (GTK_STACK (state), done, "done");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gh_create_step_get_label (step));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), state);
      g_object_set_data (G_OBJECT (row), "gh-state", state);
      g_object_set_data (G_OBJECT (row), "gh-step", GINT_TO_POINTER (step));
      gtk_list_box_append (self->progress_list, row);
      g_ptr_array_add (self->progress_rows, row);
    }
  update_progress (self);
}

/* The wizard's work is done: its opener opens the console (GhWindow through
 * app.open-console), and the wizard goes. */
static void
machine_created (GhCreateWizard *self,
                 GhMachine      *machine)
{
  _gh_create_wizard_emit_machine_created (self, machine);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
machines_changed_cb (GListModel     *machines,
                     guint           position,
                     guint           removed,
                     guint           added,
                     GhCreateWizard *self)
{
  GhMachine *machine = gh_machine_list_lookup_by_uuid (GH_MACHINE_LIST (machines),
                                                       self->created_uuid);

  if (machine == NULL)
    return;
  g_signal_handlers_disconnect_by_func (machines, machines_changed_cb, self);
  machine_created (self, machine);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GhCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  GhMachineList *machines;
  GhMachine *machine;

  uuid = gh_machine_creator_create_finish (GH_MACHINE_CREATOR (object), result, &error);
  self->creating = FALSE;
  g_clear_object (&self->create_cancellable);

  if (self->close_when_done)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (uuid == NULL)
    {
      /* Nothing is left of the attempt: the creator removed it. */
      _gh_create_wizard_set_error (self, self->review_error_label, error->message);
      _gh_create_wizard_show_page (self, "review");
      return;
    }

  self->created_uuid = g_steal_pointer (&uuid);
  _gh_create_wizard_notify (self, PROP_CREATED_UUID);

  /* The machine reaches the list through the connection's events. */
  machines = gh_connection_get_machines (self->connection);
  machine = gh_machine_list_lookup_by_uuid (machines, self->created_uuid);
  if (machine != NULL)
    machine_created (self, machine);
  else
    g_signal_connect_object (machines, "items-changed", G_CALLBACK (machines_changed_cb), self, 0);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);
  g_autoptr(GhDomainSpec) spec = _gh_create_wizard_build_spec (self);
  g_autofree char *title = NULL;

  _gh_create_wizard_set_error (self, self->review_error_label, NULL);
  self->creating = TRUE;
  self->create_cancellable = g_cancellable_new ();

  /* Translators: a machine name */
  title = g_strdup_printf (_("Creating “%s”"), spec->name);
  adw_status_page_set_title (self->progress_page, title);
  fill_progress (self, spec->express != NULL);
  _gh_create_wizard_show_page (self, "progress");

  gh_machine_creator_create_async (self->creator, spec, _gh_create_wizard_chosen_disk_size (self),
                                   self->source == SOURCE_IMAGE ? self->source_path : NULL,
                                   TRUE, self->create_cancellable, create_cb, g_object_ref (self));
}

void
_gh_create_wizard_progress_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.create", NULL, create_action);
}

void
_gh_create_wizard_progress_constructed (GhCreateWizard *self)
{
  g_signal_connect_object (self->creator, "notify::step", G_CALLBACK (step_changed_cb), self, 0);
}

void
_gh_create_wizard_progress_dispose (GhCreateWizard *self)
{
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (gh_connection_get_machines (self->connection),
                                          machines_changed_cb, self);
}
