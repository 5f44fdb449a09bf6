/* gh-machine-settings-resources.c: the Resources page: memory and processors
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-settings-private.h"

/* A spin button that still moves is not a decision yet. */
#define RESOURCES_DELAY_MS 700

static void
set_memory_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_MEMORY);

  edit->number = g_variant_get_uint64 (parameter);
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
set_vcpus_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  Edit *edit = _gh_machine_settings_edit_new (EDIT_VCPUS);

  edit->a = g_variant_get_uint32 (parameter);
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static gboolean
apply_resources_cb (gpointer data)
{
  GhMachineSettings *self = data;
  guint64 memory = (guint64) (gtk_adjustment_get_value (self->memory_adjustment) * GIB);
  guint vcpus = (guint) gtk_adjustment_get_value (self->cpus_adjustment);

  self->resources_timeout = 0;
  if (self->editor == NULL)
    return G_SOURCE_REMOVE;

  /* The editor keeps memory in KiB: compare in MiB so rounding is no change. */
  if (memory / (1 << 20) != gh_domain_editor_get_memory (self->editor) / (1 << 20))
    gtk_widget_activate_action (GTK_WIDGET (self), "settings.set-memory", "t", memory);
  if (vcpus != gh_domain_editor_get_vcpus (self->editor))
    gtk_widget_activate_action (GTK_WIDGET (self), "settings.set-vcpus", "u", vcpus);

  return G_SOURCE_REMOVE;
}

static void
resources_changed_cb (GtkAdjustment     *adjustment,
                      GhMachineSettings *self)
{
  if (self->filling)
    return;
  g_clear_handle_id (&self->resources_timeout, g_source_remove);
  self->resources_timeout = g_timeout_add (RESOURCES_DELAY_MS, apply_resources_cb, self);
}

void
_gh_machine_settings_fill_resources (GhMachineSettings *self)
{
  const GhCreateHost *host = self->limits != NULL ? gh_machine_creator_get_host (self->limits)
                                                  : NULL;
  g_autofree char *memory_subtitle = NULL;
  g_autofree char *cpus_subtitle = NULL;
  double memory = (double) gh_domain_editor_get_memory (self->editor) / GIB;
  guint vcpus = gh_domain_editor_get_vcpus (self->editor);

  /* Bounded by the host, once it is known; never below what the machine has now. */
  if (host != NULL && host->host_memory > 0)
    {
      g_autofree char *total = g_format_size_full (host->host_memory, G_FORMAT_SIZE_IEC_UNITS);

      gtk_adjustment_set_upper (self->memory_adjustment,
                                MAX ((double) host->host_memory / GIB, memory));
      /* Translators: a size, "15.5 GiB on this computer" */
      memory_subtitle = g_strdup_printf (_("%s on this computer"), total);
    }
  if (host != NULL && host->host_cpus > 0)
    {
      gtk_adjustment_set_upper (self->cpus_adjustment, MAX (host->host_cpus, vcpus));
      /* Translators: a number of processors */
      cpus_subtitle = g_strdup_printf (_("%u on this computer"), host->host_cpus);
    }
  gtk_adjustment_set_value (self->memory_adjustment, memory);
  gtk_adjustment_set_value (self->cpus_adjustment, vcpus);
  adw_action_row_set_subtitle (self->memory_row, memory_subtitle != NULL ? memory_subtitle : "");
  adw_action_row_set_subtitle (self->cpus_row, cpus_subtitle != NULL ? cpus_subtitle : "");

  adw_preferences_group_set_description (self->resources_group,
                                         gh_machine_get_state (self->machine) ==
                                         GH_MACHINE_STATE_RUNNING
                                         ? _("The machine is running: changes apply at its next boot.")
                                         : NULL);
}

void
_gh_machine_settings_resources_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "settings.set-memory", "t", set_memory_action);
  gtk_widget_class_install_action (widget_class, "settings.set-vcpus", "u", set_vcpus_action);
}

void
_gh_machine_settings_resources_init (GhMachineSettings *self)
{
  g_signal_connect (self->memory_adjustment, "value-changed", G_CALLBACK (resources_changed_cb),
                    self);
  g_signal_connect (self->cpus_adjustment, "value-changed", G_CALLBACK (resources_changed_cb),
                    self);
}

/* Closing never drops a change: the values still waiting out their delay go now. */
void
_gh_machine_settings_flush_resources (GhMachineSettings *self)
{
  if (self->resources_timeout != 0)
    {
      g_clear_handle_id (&self->resources_timeout, g_source_remove);
      apply_resources_cb (self);
    }
}
