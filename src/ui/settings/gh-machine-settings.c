/* gh-machine-settings.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-application.h"
#include "gh-machine-creator.h"
#include "gh-machine-settings.h"
#include "gh-ui-util.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
/* A spin button that still moves is not a decision yet. */
#define RESOURCES_DELAY_MS 700

struct _GhMachineSettings
{
  AdwPreferencesWindow parent_instance;

  /* Template widgets */
  AdwEntryRow         *title_row;
  AdwEntryRow         *description_row;
  GtkSwitch           *autostart_switch;
  AdwEntryRow         *name_row;
  AdwPreferencesGroup *resources_group;
  AdwActionRow        *memory_row;
  GtkAdjustment       *memory_adjustment;
  AdwActionRow        *cpus_row;
  GtkAdjustment       *cpus_adjustment;
  AdwPreferencesGroup *boot_group;
  AdwPreferencesGroup *cdrom_group;
  AdwPreferencesGroup *disks_group;
  GtkAdjustment       *new_disk_adjustment;
  AdwActionRow        *display_current_row;
  AdwActionRow        *display_recommended_row;
  AdwPreferencesGroup *display_group;
  AdwPreferencesGroup *display_port_group;
  AdwPreferencesGroup *session_group;
  AdwPreferencesGroup *gpu_group;
  AdwPreferencesGroup *mdev_group;
  AdwPreferencesGroup *usb_group;
  AdwPreferencesGroup *nic_group;

  /* Owned references */
  GhMachine           *machine;
  GhConnection        *connection;
  GhHostInventory     *host;
  GhMachineCreator    *limits;       /* only for what the host has: memory, processors */
  GhDomainEditor      *editor;
  GHashTable          *capacities;
  GhGraphicsPlan      *plan;
  GCancellable        *cancellable;
  char                *uri;
  char                *error;

  guint                resources_timeout;

  guint                n_busy;
  gboolean             close_when_idle;   /* a close waits for the changes in flight */
  guint                loaded : 1;
  guint                autostart : 1;
  guint                next_boot : 1;
  guint                filling : 1;
};

G_DEFINE_FINAL_TYPE (GhMachineSettings, gh_machine_settings, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_MACHINE,
  PROP_LOADED,
  PROP_BUSY,
  PROP_ERROR,
  PROP_NEXT_BOOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (GhMachineSettings *self);

/* ---- rows that come and go ---------------------------------------------------------- */

/* AdwPreferencesGroup 1.2 cannot list its rows: each group keeps those it was given. */
static void
group_clear (AdwPreferencesGroup *group)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (group), "gh-rows");

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  if (rows != NULL)
    g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
group_add_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *subtitle)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (group), "gh-rows");
  GtkWidget *row = adw_action_row_new ();

  if (rows == NULL)
    {
      rows = g_ptr_array_new ();
      g_object_set_data_full (G_OBJECT (group), "gh-rows", rows,
                              (GDestroyNotify) g_ptr_array_unref);
    }

  /* Device names and paths are not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);

  return row;
}

/* A suffix button that activates @action with @target; @label names it for screen
 * readers too. */
static GtkWidget *
row_add_button (GtkWidget  *row,
                const char *label,
                const char *action,
                GVariant   *target,
                const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return button;
}

/* ---- messages ----------------------------------------------------------------------- */

static void
set_error (GhMachineSettings *self,
           const char        *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
show_error (GhMachineSettings *self,
            const GError      *error)
{
  set_error (self, error->message);
  /* A close that waited for this change stays undone: the user reads why first. */
  self->close_when_idle = FALSE;
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    gh_error_toast_new (gh_error_get_what (error),
                                                        gh_error_get_detail (error),
                                                        "settings.show-error"));
}

static void
show_error_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gh_error_dialog_present (widget, parameter);
}

static void
busy_changed (GhMachineSettings *self,
              int                delta)
{
  gboolean was_busy = self->n_busy > 0;

  self->n_busy += delta;
  if (was_busy != (self->n_busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (self->n_busy == 0 && self->close_when_idle)
    gtk_window_close (GTK_WINDOW (self));
}

/* What every change ends with: an error, or a note that it waits for the next boot, and
 * the pages read again. */
static void
change_done (GhMachineSettings *self,
             gboolean           ok,
             gboolean           next_boot,
             GError            *error)
{
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
    }
  else
    {
      set_error (self, NULL);
      if (self->next_boot != next_boot)
        {
          self->next_boot = next_boot;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_BOOT]);
        }
      if (next_boot)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (_("The machine is running: the change "
                                                           "applies at its next boot")));
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    reload (self);
  busy_changed (self, -1);
}

/* ---- edits of the domain's XML ------------------------------------------------------ */

typedef enum
{
  EDIT_TITLE,
  EDIT_DESCRIPTION,
  EDIT_MEMORY,
  EDIT_VCPUS,
  EDIT_BOOT_ORDER,
  EDIT_INSERT_CDROM,
  EDIT_EJECT_CDROM,
  EDIT_DISPLAY_PATH,
  EDIT_ATTACH_GPU,
  EDIT_DETACH_GPU,
  EDIT_ATTACH_USB,
  EDIT_DETACH_USB,
  EDIT_NIC_MODEL,
  EDIT_CLOSE_DISPLAY_PORTS,
} EditKind;

/* What a worker needs to make one edit: copies, and references to immutable objects. */
typedef struct
{
  EditKind              kind;
  char                 *text;
  char                 *text2;
  guint64               number;
  guint                 a;
  guint                 b;
  GStrv                 order;
  gboolean              confirm;
  GhHost               *host;   /* a snapshot: the inventory may reload meanwhile */
  GhGraphicsPlan       *plan;
  const GhGraphicsPath *path;   /* owned by @plan */
  const char           *part;   /* what the edit changes, as an XPath expression */
  char                 *seen;   /* @part as this window showed it, or NULL: no check */
} Edit;

static void
edit_free (Edit *edit)
{
  g_free (edit->text);
  g_free (edit->text2);
  g_strfreev (edit->order);
  g_clear_pointer (&edit->host, gh_host_unref);
  g_clear_object (&edit->plan);
  g_free (edit->seen);
  g_free (edit);
}

/* The part of the definition each edit changes, read again when it is about to change. */
static const char *
part_of (EditKind kind)
{
  switch (kind)
    {
    case EDIT_TITLE:
      return GH_DOMAIN_PART_TITLE;
    case EDIT_DESCRIPTION:
      return GH_DOMAIN_PART_DESCRIPTION;
    case EDIT_MEMORY:
      return GH_DOMAIN_PART_MEMORY;
    case EDIT_VCPUS:
      return GH_DOMAIN_PART_VCPUS;
    case EDIT_BOOT_ORDER:
      return GH_DOMAIN_PART_BOOT_ORDER;
    case EDIT_INSERT_CDROM:
    case EDIT_EJECT_CDROM:
      return GH_DOMAIN_PART_CDROMS;
    case EDIT_DISPLAY_PATH:
    case EDIT_CLOSE_DISPLAY_PORTS:
      return GH_DOMAIN_PART_DISPLAY;
    case EDIT_ATTACH_GPU:
    case EDIT_DETACH_GPU:
    case EDIT_ATTACH_USB:
    case EDIT_DETACH_USB:
      return GH_DOMAIN_PART_HOSTDEVS;
    case EDIT_NIC_MODEL:
      return GH_DOMAIN_PART_INTERFACES;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
run_edit (GhDomainEditor  *editor,
          gpointer         user_data,
          GError         **error)
{
  Edit *edit = user_data;

  switch (edit->kind)
    {
    case EDIT_TITLE:
      return gh_domain_editor_set_title (editor, edit->text, error);
    case EDIT_DESCRIPTION:
      return gh_domain_editor_set_description (editor, edit->text, error);
    case EDIT_MEMORY:
      return gh_domain_editor_set_memory (editor, edit->number, error);
    case EDIT_VCPUS:
      return gh_domain_editor_set_vcpus (editor, edit->a, error);
    case EDIT_BOOT_ORDER:
      return gh_domain_editor_set_boot_order (editor, (const char * const *) edit->order, error);
    case EDIT_INSERT_CDROM:
      return gh_domain_editor_insert_cdrom (editor, edit->text, edit->text2, error);
    case EDIT_EJECT_CDROM:
      return gh_domain_editor_eject_cdrom (editor, edit->text, error);
    case EDIT_DISPLAY_PATH:
      return gh_graphics_path_apply (edit->path, editor, error);
    case EDIT_ATTACH_GPU:
      return gh_host_attach_gpu (edit->host, editor, edit->text, edit->confirm, error);
    case EDIT_DETACH_GPU:
      return gh_host_detach_gpu (edit->host, editor, edit->text, error);
    case EDIT_ATTACH_USB:
      return gh_domain_editor_attach_usb (editor, edit->a, edit->b, error);
    case EDIT_DETACH_USB:
      return gh_domain_editor_detach_usb (editor, edit->a, edit->b, error);
    case EDIT_NIC_MODEL:
      return gh_domain_editor_set_interface_model (editor, edit->text, edit->text2, error);
    case EDIT_CLOSE_DISPLAY_PORTS:
      gh_domain_editor_close_open_displays (editor);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static Edit *
edit_new (EditKind kind)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->kind = kind;
  edit->part = part_of (kind);
  return edit;
}

static void
edit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GhMachineSettings) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean next_boot = FALSE;
  gboolean ok;

  ok = gh_machine_edit_finish (GH_MACHINE (object), result, &next_boot, &error);
  change_done (self, ok, next_boot, error);
}

static void
start_edit (GhMachineSettings *self,
            Edit              *edit)
{
  /* What the window shows is what the user decided on, unless a change of its own to the
   * same part is still on its way: then the difference is that change. */
  if (self->editor != NULL && self->n_busy == 0)
    edit->seen = gh_domain_editor_dup_part (self->editor, edit->part);
  busy_changed (self, +1);
  /* The core refuses the edit if another program changed @part since the window showed
   * it, and reads the definition back to see that libvirt kept it. */
  gh_machine_edit_async (self->machine, edit->part, edit->seen,
                         run_edit, edit, (GDestroyNotify) edit_free,
                         self->cancellable, edit_cb, g_object_ref (self));
}

/* The end of the core calls that are not XML edits. */
static void
next_boot_change_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GhMachineSettings) self = user_data;
  g_autoptr(GError) error = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));
  gboolean next_boot = FALSE;
  gboolean ok;

  if (tag == gh_machine_add_disk_async)
    ok = gh_machine_add_disk_finish (GH_MACHINE (object), result, &next_boot, &error);
  else if (tag == gh_machine_remove_disk_async)
    ok = gh_machine_remove_disk_finish (GH_MACHINE (object), result, &next_boot, &error);
  else if (tag == gh_machine_attach_new_mdev_async)
    ok = gh_machine_attach_new_mdev_finish (GH_MACHINE (object), result, &next_boot, &error);
  else if (tag == gh_machine_detach_mdev_async)
    ok = gh_machine_detach_mdev_finish (GH_MACHINE (object), result, &next_boot, &error);
  else if (tag == gh_machine_rename_async)
    ok = gh_machine_rename_finish (GH_MACHINE (object), result, &error);
  else
    ok = gh_machine_set_autostart_finish (GH_MACHINE (object), result, &error);

  change_done (self, ok, next_boot, error);
}

/* ---- General ------------------------------------------------------------------------ */

static void
set_title_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  Edit *edit = edit_new (EDIT_TITLE);

  edit->text = g_strdup (g_variant_get_string (parameter, NULL));
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
set_description_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  Edit *edit = edit_new (EDIT_DESCRIPTION);

  edit->text = g_strdup (g_variant_get_string (parameter, NULL));
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
set_autostart_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);

  busy_changed (self, +1);
  gh_machine_set_autostart_async (self->machine, g_variant_get_boolean (parameter),
                                  self->cancellable, next_boot_change_cb, g_object_ref (self));
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);

  busy_changed (self, +1);
  gh_machine_rename_async (self->machine, g_variant_get_string (parameter, NULL),
                           self->cancellable, next_boot_change_cb, g_object_ref (self));
}

static void
entry_applied_cb (AdwEntryRow       *row,
                  GhMachineSettings *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  const char *action;

  if (row == self->title_row)
    action = "settings.set-title";
  else if (row == self->description_row)
    action = "settings.set-description";
  else
    action = "settings.rename";

  gtk_widget_activate_action (GTK_WIDGET (self), action, "s", text);
}

static void
autostart_changed_cb (GtkSwitch         *toggle,
                      GParamSpec        *pspec,
                      GhMachineSettings *self)
{
  if (self->filling || gtk_switch_get_active (toggle) == self->autostart)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "settings.set-autostart", "b",
                              gtk_switch_get_active (toggle));
}

static void
fill_general (GhMachineSettings *self)
{
  g_autofree char *title = gh_domain_editor_dup_title (self->editor);
  g_autofree char *description = gh_domain_editor_dup_description (self->editor);

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title != NULL ? title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                         description != NULL ? description : "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), gh_domain_editor_get_name (self->editor));
  gtk_switch_set_active (self->autostart_switch, self->autostart);
}

/* ---- Resources ---------------------------------------------------------------------- */

static void
set_memory_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  Edit *edit = edit_new (EDIT_MEMORY);

  edit->number = g_variant_get_uint64 (parameter);
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
set_vcpus_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  Edit *edit = edit_new (EDIT_VCPUS);

  edit->a = g_variant_get_uint32 (parameter);
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
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

static void
fill_resources (GhMachineSettings *self)
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

/* ---- Boot --------------------------------------------------------------------------- */

static char *
boot_entry_label (const char *entry)
{
  if (g_str_equal (entry, "hd"))
    return g_strdup (_("Hard Disk"));
  if (g_str_equal (entry, "cdrom"))
    return g_strdup (_("CD or DVD"));
  if (g_str_equal (entry, "network"))
    return g_strdup (_("Network (PXE)"));
  if (g_str_equal (entry, "fd"))
    return g_strdup (_("Floppy Disk"));
  if (g_str_has_prefix (entry, "disk:"))
    /* Translators: %s is a disk's target, like "vda" */
    return g_strdup_printf (_("Disk %s"), entry + 5);
  if (g_str_has_prefix (entry, "interface:"))
    /* Translators: %s is a MAC address */
    return g_strdup_printf (_("Network %s"), entry + 10);
  return g_strdup (entry);
}

static void
set_boot_order_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  Edit *edit = edit_new (EDIT_BOOT_ORDER);

  edit->order = g_variant_dup_strv (parameter, NULL);
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

/* Moves one entry a place earlier. */
static void
boot_earlier_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  g_auto(GStrv) order = NULL;
  const char *entry = g_variant_get_string (parameter, NULL);

  if (self->editor == NULL)
    return;
  order = gh_domain_editor_dup_boot_order (self->editor);
  for (guint i = 1; order[i] != NULL; i++)
    if (g_str_equal (order[i], entry))
      {
        char *earlier = order[i - 1];

        order[i - 1] = order[i];
        order[i] = earlier;
        gtk_widget_activate_action_variant (widget, "settings.set-boot-order",
                                            g_variant_new_strv ((const char * const *) order, -1));
        return;
      }
}

static void
eject_cdrom_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  Edit *edit = edit_new (EDIT_EJECT_CDROM);

  edit->text = g_strdup (g_variant_get_string (parameter, NULL));
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
insert_cdrom_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  Edit *edit = edit_new (EDIT_INSERT_CDROM);

  g_variant_get (parameter, "(ss)", &edit->text, &edit->text2);
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
cdrom_chosen_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  GhMachineSettings *self = user_data;
  const char *target = g_object_get_data (G_OBJECT (dialog), "gh-target");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self), "settings.insert-cdrom", "(ss)",
                                    target, path);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_cdrom_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a Disc Image"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Insert"), NULL);
  gtk_file_filter_set_name (filter, _("Disc images"));
  gtk_file_filter_add_suffix (filter, "iso");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data_full (G_OBJECT (chooser), "gh-target",
                          g_strdup (g_variant_get_string (parameter, NULL)), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (cdrom_chosen_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
fill_boot (GhMachineSettings *self)
{
  g_auto(GStrv) order = gh_domain_editor_dup_boot_order (self->editor);
  g_autoptr(GPtrArray) cdroms = gh_domain_editor_dup_cdroms (self->editor);

  group_clear (self->boot_group);
  for (guint i = 0; order[i] != NULL; i++)
    {
      g_autofree char *label = boot_entry_label (order[i]);
      g_autofree char *position = g_strdup_printf ("%u", i + 1);
      GtkWidget *row = group_add_row (self->boot_group, label, NULL);
      GtkWidget *number = gtk_label_new (position);
      GtkWidget *button;

      gtk_widget_add_css_class (number, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), number);
      button = row_add_button (row, NULL, "settings.boot-earlier",
                               g_variant_new_string (order[i]), "flat");
      gtk_button_set_icon_name (GTK_BUTTON (button), "go-up-symbolic");
      gtk_widget_set_tooltip_text (button, _("Earlier"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Boot earlier"), -1);
      gtk_widget_set_sensitive (button, i > 0);
    }
  if (order[0] == NULL)
    group_add_row (self->boot_group, _("Nothing to boot from"), NULL);

  group_clear (self->cdrom_group);
  gtk_widget_set_visible (GTK_WIDGET (self->cdrom_group), cdroms->len > 0);
  for (guint i = 0; i < cdroms->len; i++)
    {
      const GhDomainEditorDisk *cdrom = g_ptr_array_index (cdroms, i);
      g_autofree char *title = NULL;
      GtkWidget *row;

      if (cdrom->target == NULL)
        continue;
      /* Translators: %s is a drive's target, like "sda" */
      title = g_strdup_printf (_("Drive %s"), cdrom->target);
      row = group_add_row (self->cdrom_group, title,
                           cdrom->path != NULL ? cdrom->path : _("Empty"));
      if (cdrom->path != NULL)
        row_add_button (row, _("_Eject"), "settings.eject-cdrom",
                        g_variant_new_string (cdrom->target), NULL);
      else
        row_add_button (row, _("_Insert…"), "settings.choose-cdrom",
                        g_variant_new_string (cdrom->target), NULL);
    }
}

/* ---- Storage ------------------------------------------------------------------------ */

static void
add_disk_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);

  busy_changed (self, +1);
  gh_machine_add_disk_async (self->machine, g_variant_get_uint64 (parameter),
                             self->cancellable, next_boot_change_cb, g_object_ref (self));
}

static void
add_disk_from_row_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  guint64 size = (guint64) gtk_adjustment_get_value (self->new_disk_adjustment) * GIB;

  gtk_widget_activate_action (widget, "settings.add-disk", "t", size);
}

static void
remove_disk_response_cb (AdwMessageDialog  *dialog,
                         const char        *response,
                         GhMachineSettings *self)
{
  const char *target = g_object_get_data (G_OBJECT (dialog), "gh-target");

  if (g_str_equal (response, "cancel"))
    return;

  busy_changed (self, +1);
  gh_machine_remove_disk_async (self->machine, target, g_str_equal (response, "delete"),
                                self->cancellable, next_boot_change_cb, g_object_ref (self));
}

/* Always asks: the guest loses the disk, and deleting its volume cannot be undone. */
static void
remove_disk_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: %s is a disk's target, like "vdb" */
  heading = g_strdup_printf (_("Remove Disk “%s”?"), target);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The machine will no longer see this disk. Its volume "
                                     "can stay for later, or be deleted with everything on it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "keep", _("_Keep Volume"),
                                    "delete", _("_Delete Volume"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-target", g_strdup (target), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_disk_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
fill_storage (GhMachineSettings *self)
{
  g_autoptr(GPtrArray) disks = gh_domain_editor_dup_disks (self->editor);
  guint n = 0;

  group_clear (self->disks_group);
  for (guint i = 0; i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);
      const guint64 *capacity;
      g_autofree char *title = NULL;
      g_autofree char *size = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *source = NULL;
      GtkWidget *row;
      GtkWidget *button;

      if (g_strcmp0 (disk->device, "disk") != 0 || disk->target == NULL)
        continue;

      capacity = g_hash_table_lookup (self->capacities, disk->target);
      size = capacity != NULL ? g_format_size_full (*capacity, G_FORMAT_SIZE_IEC_UNITS)
                              : g_strdup (_("size unknown"));
      title = g_strdup_printf ("%s · %s", disk->target, disk->bus != NULL ? disk->bus : "");
      /* Translators: a disk image's path, then its format and size: "qcow2 · 20.0 GiB" */
      if (disk->path != NULL)
        source = g_strdup (disk->path);
      else if (disk->volume != NULL)
        source = g_strdup_printf ("%s/%s", disk->pool != NULL ? disk->pool : "", disk->volume);
      else
        source = g_strdup (_("Not a file on the host (network or other storage)"));
      subtitle = g_strdup_printf ("%s\n%s · %s", source,
                                  disk->format != NULL ? disk->format : _("unknown format"),
                                  size);
      row = group_add_row (self->disks_group, title, subtitle);
      button = row_add_button (row, NULL, "settings.remove-disk",
                               g_variant_new_string (disk->target), "flat");
      gtk_button_set_icon_name (GTK_BUTTON (button), "user-trash-symbolic");
      gtk_widget_set_tooltip_text (button, _("Remove…"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove disk"), -1);
      n++;
    }
  if (n == 0)
    group_add_row (self->disks_group, _("No disks"), NULL);
}

/* ---- Display ------------------------------------------------------------------------ */

static gboolean
has_hostdev (GhMachineSettings   *self,
             GhDomainHostdevKind  kind,
             const char          *address_or_uuid,
             guint                vendor_id,
             guint                product_id)
{
  g_autoptr(GPtrArray) hostdevs = gh_domain_editor_dup_hostdevs (self->editor);

  for (guint i = 0; i < hostdevs->len; i++)
    {
      const GhDomainHostdev *hostdev = g_ptr_array_index (hostdevs, i);

      if (hostdev->kind != kind)
        continue;
      if (kind == GH_DOMAIN_HOSTDEV_USB)
        {
          if (hostdev->vendor_id == vendor_id && hostdev->product_id == product_id)
            return TRUE;
        }
      else if (address_or_uuid == NULL
               || g_strcmp0 (hostdev->address, address_or_uuid) == 0
               || g_strcmp0 (hostdev->uuid, address_or_uuid) == 0)
        {
          return TRUE;
        }
    }

  return FALSE;
}

/* The path the machine has now, as well as its XML tells. */
static GhGraphicsPathKind
current_path_kind (GhMachineSettings *self,
                   gboolean          *known)
{
  g_autofree char *model = NULL;
  gboolean gl = FALSE;

  *known = TRUE;
  if (has_hostdev (self, GH_DOMAIN_HOSTDEV_MDEV, NULL, 0, 0))
    return GH_GRAPHICS_PATH_MDEV;
  model = gh_domain_editor_dup_video_model (self->editor, &gl);
  if (g_strcmp0 (model, "virtio") == 0)
    return gl ? GH_GRAPHICS_PATH_VIRGL : GH_GRAPHICS_PATH_VIRTIO_2D;
  if (g_strcmp0 (model, "qxl") == 0)
    return GH_GRAPHICS_PATH_QXL;
  if (g_strcmp0 (model, "vga") == 0 || g_strcmp0 (model, "bochs") == 0)
    return GH_GRAPHICS_PATH_VGA;
  if (g_strcmp0 (model, "none") == 0 && has_hostdev (self, GH_DOMAIN_HOSTDEV_PCI, NULL, 0, 0))
    return GH_GRAPHICS_PATH_VFIO;

  *known = FALSE;
  return GH_GRAPHICS_PATH_VGA;
}

static char *
path_id (const GhGraphicsPath *path)
{
  const char *kind = gh_graphics_path_kind_to_string (path->kind);

  return path->device != NULL ? g_strdup_printf ("%s:%s", kind, path->device) : g_strdup (kind);
}

static void
set_display_path_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  const char *wanted = g_variant_get_string (parameter, NULL);

  for (guint i = 0; self->plan != NULL && i < gh_graphics_plan_get_n_paths (self->plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (self->plan, i);
      g_autofree char *id = path_id (path);
      Edit *edit;

      if (!g_str_equal (id, wanted))
        continue;

      edit = edit_new (EDIT_DISPLAY_PATH);
      edit->plan = g_object_ref (self->plan);
      edit->path = path;
      start_edit (self, edit);
      return;
    }

  g_warning ("No display path “%s” for this machine", wanted);
}

/* Where the machine's display is, in the words of its connection: a host name, else this
 * computer. */
static char *
dup_host_name (GhMachineSettings *self)
{
  g_autoptr(GUri) uri = g_uri_parse (gh_connection_get_uri (self->connection),
                                     G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL || host[0] == '\0' || !gh_connection_is_remote (self->connection))
    return g_strdup (_("this computer"));
  return g_strdup (host);
}

static gboolean
is_loopback (const char *address)
{
  return address != NULL && (g_str_has_prefix (address, "127.") || g_str_equal (address, "::1")
                             || g_str_equal (address, "localhost"));
}

static void
change_display_ports_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  start_edit (GH_MACHINE_SETTINGS (widget), edit_new (EDIT_CLOSE_DISPLAY_PORTS));
}

/* A display on a TCP port without a password is anyone's who reaches the port: say so,
 * in words, and offer the socket. */
static void
fill_display_ports (GhMachineSettings *self)
{
  g_autoptr(GPtrArray) open = gh_domain_editor_dup_open_displays (self->editor);
  g_autofree char *host = dup_host_name (self);

  group_clear (self->display_port_group);
  gtk_widget_set_visible (GTK_WIDGET (self->display_port_group), open->len > 0);

  for (guint i = 0; i < open->len; i++)
    {
      const GhDomainOpenDisplay *display = g_ptr_array_index (open, i);
      g_autofree char *type = g_ascii_strup (display->type, -1);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      if (is_loopback (display->address) && display->port > 0)
        /* Translators: %d is a port number, %s a host name or "this computer" */
        title = g_strdup_printf (_("Anyone with an account on %2$s can reach port %1$d and "
                                   "see and control this machine"), display->port, host);
      else if (is_loopback (display->address))
        title = g_strdup_printf (_("Anyone with an account on %s can reach its display port "
                                   "and see and control this machine"), host);
      else if (display->port > 0)
        /* Translators: %d is a port number, %s a host name or "this computer" */
        title = g_strdup_printf (_("Anyone who can reach port %d on %s can see and control "
                                   "this machine"), display->port, host);
      else
        title = g_strdup_printf (_("Anyone who can reach its display port on %s can see and "
                                   "control this machine"), host);

      /* Translators: %s is a display protocol, "SPICE" or "VNC" */
      subtitle = g_strdup_printf (_("%s display, no password"), type);
      group_add_row (self->display_port_group, title, subtitle);
    }
}

static void
fill_display (GhMachineSettings *self)
{
  GhOsDb *os_db = gh_os_db_get_default ();
  OsinfoOs *os = NULL;
  const GhGraphicsPath *recommended;
  GhGraphicsPathKind current;
  gboolean known;

  fill_display_ports (self);

  current = current_path_kind (self, &known);
  if (known)
    {
      adw_action_row_set_subtitle (self->display_current_row,
                                   gh_graphics_path_kind_get_title (current));
    }
  else
    {
      g_autofree char *model = gh_domain_editor_dup_video_model (self->editor, NULL);
      g_autofree char *other = NULL;

      /* Translators: %s is a libvirt video model, like "cirrus" */
      other = g_strdup_printf (_("A display Greenhouse does not offer (%s)"),
                               model != NULL ? model : _("none"));
      adw_action_row_set_subtitle (self->display_current_row, other);
    }

  if (gh_os_db_get_loaded (os_db))
    os = gh_os_db_lookup_os (os_db, gh_machine_get_os_id (self->machine));

  g_clear_object (&self->plan);
  self->plan = gh_graphics_planner_plan (os, gh_host_inventory_get_host (self->host),
                                         gh_connection_get_graphics_flags (self->connection),
                                         GH_GRAPHICS_PREFER_BEST_3D, FALSE);
  recommended = gh_graphics_plan_get_recommended (self->plan);
  if (recommended != NULL)
    {
      g_autofree char *title = NULL;

      /* Translators: %s is a display path, like "Standard VGA" */
      title = g_strdup_printf (_("Recommended: %s"),
                               gh_graphics_path_kind_get_title (recommended->kind));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->display_recommended_row), title);
      adw_action_row_set_subtitle (self->display_recommended_row, recommended->reason);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->display_recommended_row),
                                     _("Recommended"));
      adw_action_row_set_subtitle (self->display_recommended_row,
                                   _("No display path works for this machine on this host"));
    }
  {
    g_autoptr(GString) description = g_string_new (NULL);

    if (os != NULL)
      /* Translators: %s is an operating system's name */
      g_string_append_printf (description, _("For %s on this computer"),
                              osinfo_product_get_name (OSINFO_PRODUCT (os)));
    /* A display path's tablet and USB redirection would make libvirt refuse it. */
    if (!gh_domain_editor_get_has_usb (self->editor))
      g_string_append_printf (description, "%s%s", description->len > 0 ? ". " : "",
                              _("USB is turned off for this machine: a new display comes "
                                "without the pointer tablet and USB redirection"));
    adw_preferences_group_set_description (self->display_group,
                                           description->len > 0 ? description->str : NULL);
  }

  group_clear (self->display_group);
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (self->plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (self->plan, i);
      g_autofree char *id = path_id (path);
      g_autofree char *title = NULL;
      GtkWidget *row;
      GtkWidget *button;

      /* Only the paths that can be: the reasons for the others are the planner's
       * business until the host changes. */
      if (!path->feasible)
        continue;
      if (path->device != NULL)
        title = g_strdup_printf ("%s: %s", gh_graphics_path_kind_get_title (path->kind),
                                 path->device);
      else
        title = g_strdup (gh_graphics_path_kind_get_title (path->kind));
      row = group_add_row (self->display_group, title, path->reason);
      if (known && path->kind == current
          && path->kind != GH_GRAPHICS_PATH_VFIO && path->kind != GH_GRAPHICS_PATH_MDEV)
        {
          GtkWidget *label = gtk_label_new (_("In use"));

          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          continue;
        }
      button = row_add_button (row, _("_Switch"), "settings.set-display-path",
                               g_variant_new_string (id), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
    }
}

/* ---- GPU ---------------------------------------------------------------------------- */

static void
attach_gpu (GhMachineSettings *self,
            const char        *address,
            gboolean           confirm)
{
  Edit *edit = edit_new (EDIT_ATTACH_GPU);

  edit->text = g_strdup (address);
  edit->confirm = confirm;
  edit->host = gh_host_inventory_dup_host (self->host);
  start_edit (self, edit);
}

static void
boot_vga_response_cb (AdwMessageDialog  *dialog,
                      const char        *response,
                      GhMachineSettings *self)
{
  if (g_str_equal (response, "attach"))
    attach_gpu (self, g_object_get_data (G_OBJECT (dialog), "gh-address"), TRUE);
}

/* "Attach" gives the GPU with every function of its slot; the only GPU that shows the
 * host's screen is given only after the user says yes to losing it. */
static void
attach_gpu_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  const char *address = g_variant_get_string (parameter, NULL);
  const GhHostPciDevice *gpu = gh_host_inventory_lookup_pci (self->host, address);
  GtkWidget *dialog;

  if (gpu == NULL || gh_host_inventory_gpu_is_passable (self->host, gpu, FALSE, NULL))
    {
      /* Unknown GPUs too: the editor says why it refuses. */
      attach_gpu (self, address, FALSE);
      return;
    }
  if (!gh_host_inventory_gpu_is_passable (self->host, gpu, TRUE, NULL))
    {
      attach_gpu (self, address, FALSE);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Give Away This Computer’s Display?"),
                                   NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s is the only GPU of this computer and shows its screen. "
                                    "While the machine runs, this computer will have no display: "
                                    "you will need another way in, such as SSH."),
                                  gh_host_pci_device_get_label (gpu));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "attach", _("_Give the GPU Away"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "attach",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "gh-address", g_strdup (address), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (boot_vga_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
detach_gpu_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  Edit *edit = edit_new (EDIT_DETACH_GPU);

  edit->text = g_strdup (g_variant_get_string (parameter, NULL));
  edit->host = gh_host_inventory_dup_host (self->host);
  start_edit (self, edit);
}

static void
create_mdev_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);
  GPtrArray *types = gh_host_inventory_get_mdev_types (self->host);
  const char *parent;
  const char *type_id;
  gboolean display = FALSE;

  g_variant_get (parameter, "(&s&s)", &parent, &type_id);
  /* libvirt does not say which types can show the guest's screen; those of GPUs
   * (vfio-pci) are the ones that can, through the machine's display: without one,
   * libvirt refuses display='on', and the GPU goes in with its screen off. */
  for (guint i = 0; i < types->len; i++)
    {
      const GhHostMdevType *type = g_ptr_array_index (types, i);

      if (g_strcmp0 (type->parent, parent) == 0 && g_strcmp0 (type->id, type_id) == 0)
        display = g_strcmp0 (type->device_api, "vfio-pci") == 0
                  && self->editor != NULL && gh_domain_editor_get_has_graphics (self->editor);
    }

  busy_changed (self, +1);
  gh_machine_attach_new_mdev_async (self->machine, parent, type_id, display, self->cancellable,
                                    next_boot_change_cb, g_object_ref (self));
}

/* Also takes the device off the host when this window made it: the undo of Create. */
static void
detach_mdev_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (widget);

  busy_changed (self, +1);
  gh_machine_detach_mdev_async (self->machine, g_variant_get_string (parameter, NULL),
                                self->cancellable, next_boot_change_cb, g_object_ref (self));
}

static void
add_system_connection_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  if (GH_IS_APPLICATION (app))
    gh_application_add_connection (GH_APPLICATION (app), "qemu:///system", TRUE);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (widget),
                                    adw_toast_new (_("The system connection was added to the "
                                                     "main window")));
}

static void
fill_gpu (GhMachineSettings *self)
{
  gboolean session = gh_connection_is_session (self->connection);
  GPtrArray *gpus = gh_host_inventory_get_gpus (self->host);
  GPtrArray *types = gh_host_inventory_get_mdev_types (self->host);
  g_autoptr(GPtrArray) hostdevs = gh_domain_editor_dup_hostdevs (self->editor);
  guint n_types = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->session_group), session);

  group_clear (self->gpu_group);
  for (guint i = 0; i < gpus->len; i++)
    {
      const GhHostPciDevice *gpu = g_ptr_array_index (gpus, i);
      g_autofree char *reason = NULL;
      g_autofree char *confirm_reason = NULL;
      g_autofree char *group = NULL;
      g_autofree char *subtitle = NULL;
      gboolean passable = gh_host_inventory_gpu_is_passable (self->host, gpu, FALSE, &reason);
      gboolean with_confirm =
        gh_host_inventory_gpu_is_passable (self->host, gpu, TRUE, &confirm_reason);
      gboolean attached = has_hostdev (self, GH_DOMAIN_HOSTDEV_PCI, gpu->address, 0, 0);
      GtkWidget *row;
      GtkWidget *button = NULL;

      if (gpu->iommu_group >= 0)
        /* Translators: %d is an IOMMU group's number */
        group = g_strdup_printf (_("IOMMU group %d"), gpu->iommu_group);
      else
        group = g_strdup (_("no IOMMU group"));
      if (passable)
        subtitle = g_strdup_printf ("%s · %s · %s", gpu->address, group,
                                    reason != NULL ? reason : _("can be passed through"));
      else
        subtitle = g_strdup_printf ("%s · %s\n%s", gpu->address, group,
                                    with_confirm ? confirm_reason : reason);
      row = group_add_row (self->gpu_group, gh_host_pci_device_get_label (gpu), subtitle);

      if (attached)
        button = row_add_button (row, _("_Detach"), "settings.detach-gpu",
                                 g_variant_new_string (gpu->address), NULL);
      else if (passable)
        button = row_add_button (row, _("_Attach"), "settings.attach-gpu",
                                 g_variant_new_string (gpu->address), NULL);
      else if (with_confirm)
        button = row_add_button (row, _("_Attach…"), "settings.attach-gpu",
                                 g_variant_new_string (gpu->address), "destructive-action");
      if (button != NULL)
        gtk_widget_set_sensitive (button, !session || attached);
    }
  if (gpus->len == 0)
    group_add_row (self->gpu_group, _("No GPUs"),
                   gh_host_inventory_get_devices_error (self->host) != NULL
                   ? gh_host_inventory_get_devices_error (self->host)
                   : _("libvirt knows of no display controller on this host"));

  group_clear (self->mdev_group);
  for (guint i = 0; i < types->len; i++)
    {
      const GhHostMdevType *type = g_ptr_array_index (types, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *button;

      if (g_strcmp0 (type->device_api, "vfio-pci") != 0 || type->available == 0)
        continue;
      subtitle = g_strdup_printf (g_dngettext (NULL, "%s · %u more can be made",
                                               "%s · %u more can be made", type->available),
                                  type->parent_address != NULL ? type->parent_address
                                                               : type->parent,
                                  type->available);
      row = group_add_row (self->mdev_group, type->name != NULL ? type->name : type->id,
                           subtitle);
      button = row_add_button (row, _("_Create and Attach"), "settings.create-mdev",
                               g_variant_new ("(ss)", type->parent, type->id), NULL);
      gtk_widget_set_sensitive (button, !session);
      n_types++;
    }
  for (guint i = 0; i < hostdevs->len; i++)
    {
      const GhDomainHostdev *hostdev = g_ptr_array_index (hostdevs, i);
      GtkWidget *row;

      if (hostdev->kind != GH_DOMAIN_HOSTDEV_MDEV)
        continue;
      row = group_add_row (self->mdev_group, _("Virtual GPU of this machine"), hostdev->uuid);
      row_add_button (row, _("_Detach"), "settings.detach-mdev",
                      g_variant_new_string (hostdev->uuid), NULL);
      n_types++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->mdev_group), n_types > 0);
  adw_preferences_group_set_description (self->mdev_group,
                                         gh_domain_editor_get_has_graphics (self->editor)
                                         ? _("Shares of a host GPU that the GPU’s driver can "
                                             "create.")
                                         : _("Shares of a host GPU that the GPU’s driver can "
                                             "create. This machine has no display, so a "
                                             "virtual GPU is attached with its screen off; "
                                             "choose a display on the Display page to see "
                                             "it."));
}

/* ---- Devices ------------------------------------------------------------------------ */

static void
usb_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  Edit *edit = edit_new (g_str_equal (action_name, "settings.attach-usb") ? EDIT_ATTACH_USB
                                                                          : EDIT_DETACH_USB);

  g_variant_get (parameter, "(uu)", &edit->a, &edit->b);
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static void
set_nic_model_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  Edit *edit = edit_new (EDIT_NIC_MODEL);

  g_variant_get (parameter, "(ss)", &edit->text, &edit->text2);
  start_edit (GH_MACHINE_SETTINGS (widget), edit);
}

static const char * const nic_models[] = { "virtio", "e1000e", "rtl8139", NULL };

static void
nic_model_selected_cb (AdwComboRow       *row,
                       GParamSpec        *pspec,
                       GhMachineSettings *self)
{
  const char *mac = g_object_get_data (G_OBJECT (row), "gh-mac");
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling || selected >= g_strv_length ((char **) nic_models))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "settings.set-nic-model", "(ss)",
                              mac != NULL ? mac : "", nic_models[selected]);
}

static void
fill_devices (GhMachineSettings *self)
{
  GPtrArray *usb = gh_host_inventory_get_usb_devices (self->host);
  g_autoptr(GPtrArray) interfaces = gh_domain_editor_dup_interfaces (self->editor);
  GPtrArray *nic_rows;

  group_clear (self->usb_group);
  /* libvirt refuses any USB device of a machine whose USB is off: none is offered. */
  if (!gh_domain_editor_get_has_usb (self->editor))
    {
      adw_preferences_group_set_description (self->usb_group, NULL);
      group_add_row (self->usb_group, _("USB is turned off for this machine"),
                     _("Its definition has no USB controller (model “none”), so it can "
                       "have no USB device. Turn USB on with virsh edit to give it one."));
      usb = NULL;
    }
  else
    {
      adw_preferences_group_set_description (self->usb_group,
                                             _("Devices plugged into this computer that the "
                                               "machine can have."));
    }
  for (guint i = 0; usb != NULL && i < usb->len; i++)
    {
      const GhHostUsbDevice *device = g_ptr_array_index (usb, i);
      gboolean attached = has_hostdev (self, GH_DOMAIN_HOSTDEV_USB, NULL,
                                       device->vendor_id, device->product_id);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      subtitle = g_strdup_printf ("%s · %04x:%04x · %u.%u",
                                  device->vendor != NULL ? device->vendor : _("Unknown maker"),
                                  device->vendor_id, device->product_id,
                                  device->bus, device->device);
      row = group_add_row (self->usb_group,
                           device->product != NULL ? device->product : device->name, subtitle);
      row_add_button (row, attached ? _("_Detach") : _("_Attach"),
                      attached ? "settings.detach-usb" : "settings.attach-usb",
                      g_variant_new ("(uu)", device->vendor_id, device->product_id), NULL);
    }
  if (usb != NULL && usb->len == 0)
    group_add_row (self->usb_group, _("No USB devices"), NULL);

  /* Combo rows are not action rows: they join the group's list by hand. */
  nic_rows = g_object_get_data (G_OBJECT (self->nic_group), "gh-rows");
  group_clear (self->nic_group);
  for (guint i = 0; i < interfaces->len; i++)
    {
      const GhDomainInterface *iface = g_ptr_array_index (interfaces, i);
      g_autoptr(GtkStringList) models = gtk_string_list_new ((const char * const *) nic_models);
      g_autofree char *title = NULL;
      GtkWidget *row = adw_combo_row_new ();
      guint selected = GTK_INVALID_LIST_POSITION;

      if (iface->source != NULL)
        /* Translators: %s is a libvirt network or bridge, like "default" */
        title = g_strdup_printf (_("Network Card on “%s”"), iface->source);
      else
        title = g_strdup (_("Network Card"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   iface->mac != NULL ? iface->mac : _("Address chosen by libvirt"));
      for (guint m = 0; nic_models[m] != NULL; m++)
        if (g_strcmp0 (iface->model, nic_models[m]) == 0)
          selected = m;
      if (selected == GTK_INVALID_LIST_POSITION && iface->model != NULL)
        {
          gtk_string_list_append (models, iface->model);
          selected = g_list_model_get_n_items (G_LIST_MODEL (models)) - 1;
        }
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (models));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_object_set_data_full (G_OBJECT (row), "gh-mac", g_strdup (iface->mac), g_free);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (nic_model_selected_cb),
                               self, 0);
      adw_preferences_group_add (self->nic_group, row);
      if (nic_rows == NULL)
        {
          nic_rows = g_ptr_array_new ();
          g_object_set_data_full (G_OBJECT (self->nic_group), "gh-rows", nic_rows,
                                  (GDestroyNotify) g_ptr_array_unref);
        }
      g_ptr_array_add (nic_rows, row);
    }
  if (interfaces->len == 0)
    group_add_row (self->nic_group, _("No network cards"), NULL);
}

/* ---- loading ------------------------------------------------------------------------ */

static void
fill_host_pages (GhMachineSettings *self)
{
  if (self->editor == NULL)
    return;

  self->filling = TRUE;
  fill_resources (self);
  fill_display (self);
  fill_gpu (self);
  fill_devices (self);
  self->filling = FALSE;
}

static void
fill (GhMachineSettings *self)
{
  self->filling = TRUE;
  fill_general (self);
  fill_boot (self);
  fill_storage (self);
  self->filling = FALSE;
  fill_host_pages (self);
}

static void
editor_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhMachineSettings) self = user_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GHashTable) capacities = NULL;
  g_autoptr(GError) error = NULL;
  gboolean autostart = FALSE;

  editor = gh_machine_dup_editor_finish (GH_MACHINE (object), result, &autostart, &capacities,
                                         &error);
  if (editor == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      busy_changed (self, -1);
      return;
    }

  g_set_object (&self->editor, editor);
  g_clear_pointer (&self->capacities, g_hash_table_unref);
  self->capacities = g_steal_pointer (&capacities);
  self->autostart = autostart;
  fill (self);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  busy_changed (self, -1);
}

static void
reload (GhMachineSettings *self)
{
  busy_changed (self, +1);
  gh_machine_dup_editor_async (self->machine, self->cancellable, editor_read_cb,
                               g_object_ref (self));
}

static void
host_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhMachineSettings) self = user_data;
  g_autoptr(GError) error = NULL;

  /* An inventory that could not load offers what it knows: no GPUs, the 2D paths. */
  if (!gh_host_inventory_load_finish (GH_HOST_INVENTORY (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not read what the host offers: %s", error->message);
  if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fill_host_pages (self);
  busy_changed (self, -1);
}

static void
limits_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GhMachineSettings) self = user_data;
  g_autoptr(GError) error = NULL;

  if (gh_machine_creator_prepare_finish (GH_MACHINE_CREATOR (object), result, &error))
    fill_host_pages (self);
  busy_changed (self, -1);
}

static void
os_db_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GhMachineSettings) self = user_data;

  gh_os_db_load_finish (GH_OS_DB (object), result, NULL);
  if (!g_cancellable_is_cancelled (self->cancellable))
    fill_host_pages (self);
}

static void
machine_state_cb (GhMachineSettings *self)
{
  if (self->editor != NULL)
    fill_resources (self);
}

static void
gh_machine_settings_constructed (GObject *object)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (object);
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (gh_machine_settings_parent_class)->constructed (object);

  self->connection = g_object_ref (gh_machine_get_connection (self->machine));
  self->uri = g_strdup (gh_connection_get_uri (self->connection));
  /* Translators: %s is a machine's name */
  title = g_strdup_printf (_("Settings of %s"), gh_machine_get_display_name (self->machine));
  gtk_window_set_title (GTK_WINDOW (self), title);

  self->host = gh_host_inventory_new (self->connection);
  g_signal_connect_object (self->host, "changed", G_CALLBACK (fill_host_pages), self,
                           G_CONNECT_SWAPPED);
  self->limits = gh_machine_creator_new (self->connection, self->host);
  g_signal_connect_object (self->machine, "notify::state", G_CALLBACK (machine_state_cb), self,
                           G_CONNECT_SWAPPED);

  reload (self);
  busy_changed (self, +2);
  gh_host_inventory_load_async (self->host, self->cancellable, host_loaded_cb,
                                g_object_ref (self));
  gh_machine_creator_prepare_async (self->limits, self->cancellable, limits_cb,
                                    g_object_ref (self));
  if (!gh_os_db_get_loaded (gh_os_db_get_default ()))
    gh_os_db_load_async (gh_os_db_get_default (), self->cancellable, os_db_loaded_cb,
                         g_object_ref (self));
}

/* ---- GObject ------------------------------------------------------------------------ */

/* Closing never drops a change: memory and processors still waiting out their delay are
 * applied now, and the window stays until every change in flight has landed (or failed,
 * and says why). */
static gboolean
gh_machine_settings_close_request (GtkWindow *window)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (window);

  if (self->resources_timeout != 0)
    {
      g_clear_handle_id (&self->resources_timeout, g_source_remove);
      apply_resources_cb (self);
    }
  if (self->n_busy > 0)
    {
      self->close_when_idle = TRUE;
      return TRUE;
    }

  return GTK_WINDOW_CLASS (gh_machine_settings_parent_class)->close_request (window);
}

static void
gh_machine_settings_dispose (GObject *object)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->resources_timeout, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_MACHINE_SETTINGS);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->limits);
  g_clear_object (&self->host);
  g_clear_object (&self->plan);
  g_clear_object (&self->editor);
  g_clear_pointer (&self->capacities, g_hash_table_unref);
  g_clear_object (&self->connection);
  g_clear_object (&self->machine);

  G_OBJECT_CLASS (gh_machine_settings_parent_class)->dispose (object);
}

static void
gh_machine_settings_finalize (GObject *object)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (object);

  g_free (self->uri);
  g_free (self->error);

  G_OBJECT_CLASS (gh_machine_settings_parent_class)->finalize (object);
}

static void
gh_machine_settings_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_busy > 0);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_NEXT_BOOT:
      g_value_set_boolean (value, self->next_boot);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_machine_settings_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      self->machine = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_machine_settings_class_init (GhMachineSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = gh_machine_settings_constructed;
  object_class->dispose = gh_machine_settings_dispose;
  window_class->close_request = gh_machine_settings_close_request;
  object_class->finalize = gh_machine_settings_finalize;
  object_class->get_property = gh_machine_settings_get_property;
  object_class->set_property = gh_machine_settings_set_property;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL, GH_TYPE_MACHINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_BOOT] =
    g_param_spec_boolean ("next-boot", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/greenhouse/Greenhouse/gh-machine-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, title_row);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, description_row);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, name_row);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, resources_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, memory_row);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, memory_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, cpus_row);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, cpus_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, boot_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, cdrom_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, disks_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, new_disk_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, display_current_row);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, display_recommended_row);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, display_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, display_port_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, session_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, gpu_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, mdev_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, usb_group);
  gtk_widget_class_bind_template_child (widget_class, GhMachineSettings, nic_group);

  gtk_widget_class_install_action (widget_class, "settings.set-title", "s", set_title_action);
  gtk_widget_class_install_action (widget_class, "settings.set-description", "s",
                                   set_description_action);
  gtk_widget_class_install_action (widget_class, "settings.set-autostart", "b",
                                   set_autostart_action);
  gtk_widget_class_install_action (widget_class, "settings.rename", "s", rename_action);
  gtk_widget_class_install_action (widget_class, "settings.set-memory", "t", set_memory_action);
  gtk_widget_class_install_action (widget_class, "settings.set-vcpus", "u", set_vcpus_action);
  gtk_widget_class_install_action (widget_class, "settings.set-boot-order", "as",
                                   set_boot_order_action);
  gtk_widget_class_install_action (widget_class, "settings.boot-earlier", "s",
                                   boot_earlier_action);
  gtk_widget_class_install_action (widget_class, "settings.eject-cdrom", "s", eject_cdrom_action);
  gtk_widget_class_install_action (widget_class, "settings.insert-cdrom", "(ss)",
                                   insert_cdrom_action);
  gtk_widget_class_install_action (widget_class, "settings.choose-cdrom", "s",
                                   choose_cdrom_action);
  gtk_widget_class_install_action (widget_class, "settings.add-disk", "t", add_disk_action);
  gtk_widget_class_install_action (widget_class, "settings.add-disk-from-row", NULL,
                                   add_disk_from_row_action);
  gtk_widget_class_install_action (widget_class, "settings.remove-disk", "s", remove_disk_action);
  gtk_widget_class_install_action (widget_class, "settings.set-display-path", "s",
                                   set_display_path_action);
  gtk_widget_class_install_action (widget_class, "settings.close-display-ports", NULL,
                                   change_display_ports_action);
  gtk_widget_class_install_action (widget_class, "settings.attach-gpu", "s", attach_gpu_action);
  gtk_widget_class_install_action (widget_class, "settings.detach-gpu", "s", detach_gpu_action);
  gtk_widget_class_install_action (widget_class, "settings.create-mdev", "(ss)",
                                   create_mdev_action);
  gtk_widget_class_install_action (widget_class, "settings.detach-mdev", "s", detach_mdev_action);
  gtk_widget_class_install_action (widget_class, "settings.attach-usb", "(uu)", usb_action);
  gtk_widget_class_install_action (widget_class, "settings.detach-usb", "(uu)", usb_action);
  gtk_widget_class_install_action (widget_class, "settings.set-nic-model", "(ss)",
                                   set_nic_model_action);
  gtk_widget_class_install_action (widget_class, "settings.add-system-connection", NULL,
                                   add_system_connection_action);
  gtk_widget_class_install_action (widget_class, "settings.show-error", "(ss)",
                                   show_error_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
gh_machine_settings_init (GhMachineSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->capacities = g_hash_table_new (g_str_hash, g_str_equal);

  g_signal_connect (self->title_row, "apply", G_CALLBACK (entry_applied_cb), self);
  g_signal_connect (self->description_row, "apply", G_CALLBACK (entry_applied_cb), self);
  g_signal_connect (self->name_row, "apply", G_CALLBACK (entry_applied_cb), self);
  g_signal_connect (self->autostart_switch, "notify::active", G_CALLBACK (autostart_changed_cb),
                    self);
  g_signal_connect (self->memory_adjustment, "value-changed", G_CALLBACK (resources_changed_cb),
                    self);
  g_signal_connect (self->cpus_adjustment, "value-changed", G_CALLBACK (resources_changed_cb),
                    self);
}

GhMachineSettings *
gh_machine_settings_new (GtkApplication *application,
                         GhMachine      *machine)
{
  g_return_val_if_fail (GH_IS_MACHINE (machine), NULL);
  g_return_val_if_fail (gh_machine_get_connection (machine) != NULL, NULL);

  return g_object_new (GH_TYPE_MACHINE_SETTINGS,
                       "application", application,
                       "machine", machine,
                       NULL);
}

GhMachine *
gh_machine_settings_get_machine (GhMachineSettings *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_SETTINGS (self), NULL);

  return self->machine;
}

GhHostInventory *
gh_machine_settings_get_host (GhMachineSettings *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_SETTINGS (self), NULL);

  return self->host;
}

GhDomainEditor *
gh_machine_settings_get_editor (GhMachineSettings *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_SETTINGS (self), NULL);

  return self->editor;
}

gboolean
gh_machine_settings_is_for (GhMachineSettings *self,
                            const char        *uri,
                            const char        *uuid)
{
  g_return_val_if_fail (GH_IS_MACHINE_SETTINGS (self), FALSE);

  return g_strcmp0 (self->uri, uri) == 0
         && g_strcmp0 (gh_machine_get_uuid (self->machine), uuid) == 0;
}
