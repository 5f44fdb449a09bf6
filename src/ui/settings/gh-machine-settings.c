/* gh-machine-settings.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-settings-private.h"
#include "gh-ui-toast.h"
#include "gh-ui-util.h"

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
void
_gh_machine_settings_group_clear (AdwPreferencesGroup *group)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (group), "gh-rows");

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  if (rows != NULL)
    g_ptr_array_set_size (rows, 0);
}

GtkWidget *
_gh_machine_settings_group_add_row (AdwPreferencesGroup *group,
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
GtkWidget *
_gh_machine_settings_row_add_button (GtkWidget  *row,
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
  gh_ui_add_window_toast (ADW_PREFERENCES_WINDOW (self),
                          gh_ui_error_toast_new (gh_error_get_what (error),
                                                 gh_error_get_detail (error),
                                                 "settings.show-error"));
}

static void
show_error_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gh_ui_error_dialog_present (widget, parameter);
}

void
_gh_machine_settings_busy_changed (GhMachineSettings *self,
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
        gh_ui_add_window_toast (ADW_PREFERENCES_WINDOW (self),
                                adw_toast_new (_("The machine is running: the change "
                                                 "applies at its next boot")));
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    reload (self);
  _gh_machine_settings_busy_changed (self, -1);
}

/* ---- edits of the domain's XML ------------------------------------------------------ */

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

Edit *
_gh_machine_settings_edit_new (EditKind kind)
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

void
_gh_machine_settings_start_edit (GhMachineSettings *self,
                                 Edit              *edit)
{
  /* What the window shows is what the user decided on, unless a change of its own to the
   * same part is still on its way: then the difference is that change. */
  if (self->editor != NULL && self->n_busy == 0)
    edit->seen = gh_domain_editor_dup_part (self->editor, edit->part);
  _gh_machine_settings_busy_changed (self, +1);
  /* The core refuses the edit if another program changed @part since the window showed
   * it, and reads the definition back to see that libvirt kept it. */
  gh_machine_edit_async (self->machine, edit->part, edit->seen,
                         run_edit, edit, (GDestroyNotify) edit_free,
                         self->cancellable, edit_cb, g_object_ref (self));
}

/* The end of the core calls that are not XML edits. */
void
_gh_machine_settings_next_boot_change_cb (GObject      *object,
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

/* ---- what the machine has ----------------------------------------------------------- */

gboolean
_gh_machine_settings_has_hostdev (GhMachineSettings   *self,
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

/* ---- loading ------------------------------------------------------------------------ */

static void
fill_host_pages (GhMachineSettings *self)
{
  if (self->editor == NULL)
    return;

  self->filling = TRUE;
  _gh_machine_settings_fill_resources (self);
  _gh_machine_settings_fill_display (self);
  _gh_machine_settings_fill_gpu (self);
  _gh_machine_settings_fill_devices (self);
  self->filling = FALSE;
}

static void
fill (GhMachineSettings *self)
{
  self->filling = TRUE;
  _gh_machine_settings_fill_general (self);
  _gh_machine_settings_fill_boot (self);
  _gh_machine_settings_fill_storage (self);
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
      _gh_machine_settings_busy_changed (self, -1);
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
  _gh_machine_settings_busy_changed (self, -1);
}

static void
reload (GhMachineSettings *self)
{
  _gh_machine_settings_busy_changed (self, +1);
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
  _gh_machine_settings_busy_changed (self, -1);
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
  _gh_machine_settings_busy_changed (self, -1);
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
    _gh_machine_settings_fill_resources (self);
}

static void
gh_machine_settings_constructed (GObject *object)
{
  GhMachineSettings *self = GH_MACHINE_SETTINGS (object);
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (gh_machine_settings_parent_class)->constructed (object);

  self->connection = g_object_ref (gh_connection_get_for_machine (self->machine));
  self->uri = g_strdup (gh_connection_get_uri (self->connection));
  /* Translators: %s is a machine's name */
  title = g_strdup_printf (_("Settings of %s"), gh_machine_get_display_name (self->machine));
  gtk_window_set_title (GTK_WINDOW (self), title);

  self->host = g_object_ref (gh_connection_get_host_inventory (self->connection));
  g_signal_connect_object (self->host, "changed", G_CALLBACK (fill_host_pages), self,
                           G_CONNECT_SWAPPED);
  self->limits = gh_machine_creator_new (self->connection, self->host);
  g_signal_connect_object (self->machine, "notify::state", G_CALLBACK (machine_state_cb), self,
                           G_CONNECT_SWAPPED);

  reload (self);
  _gh_machine_settings_busy_changed (self, +2);
  gh_host_inventory_ensure_async (self->host, self->cancellable, host_loaded_cb,
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

  _gh_machine_settings_flush_resources (self);
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

  _gh_machine_settings_general_class_init (widget_class);
  _gh_machine_settings_resources_class_init (widget_class);
  _gh_machine_settings_boot_class_init (widget_class);
  _gh_machine_settings_storage_class_init (widget_class);
  _gh_machine_settings_display_class_init (widget_class);
  _gh_machine_settings_gpu_class_init (widget_class);
  _gh_machine_settings_devices_class_init (widget_class);
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

  _gh_machine_settings_general_init (self);
  _gh_machine_settings_resources_init (self);
}

GhMachineSettings *
gh_machine_settings_new (GtkApplication *application,
                         GhMachine      *machine)
{
  g_return_val_if_fail (GH_IS_MACHINE (machine), NULL);
  g_return_val_if_fail (gh_connection_get_for_machine (machine) != NULL, NULL);

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
