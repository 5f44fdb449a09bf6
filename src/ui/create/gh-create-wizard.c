/* gh-create-wizard.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The GObject, its properties and public API, the buttons and the moves between pages.
 * What each page shows and does is in its part file: see gh-create-wizard-private.h. */

#include "gh-create-wizard-private.h"

G_DEFINE_FINAL_TYPE (GhCreateWizard, gh_create_wizard, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

enum {
  MACHINE_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- helpers ------------------------------------------------------------------------ */

static const char *
current_page (GhCreateWizard *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

void
_gh_create_wizard_notify (GhCreateWizard     *self,
                          GhCreateWizardProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_gh_create_wizard_emit_machine_created (GhCreateWizard *self,
                                        GhMachine      *machine)
{
  g_signal_emit (self, signals[MACHINE_CREATED], 0, machine);
}

gboolean
_gh_create_wizard_page_is (GhCreateWizard *self,
                           const char     *name)
{
  return g_strcmp0 (current_page (self), name) == 0;
}

void
_gh_create_wizard_show_page (GhCreateWizard *self,
                             const char     *name)
{
  GtkStackPage *page;

  gtk_stack_set_visible_child_name (self->stack, name);
  page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_subtitle (self->window_title, gtk_stack_page_get_title (page));
  _gh_create_wizard_update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

void
_gh_create_wizard_set_error (GhCreateWizard *self,
                             GtkLabel       *label,
                             const char     *message)
{
  if (g_strcmp0 (self->error, message) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }

  if (label == NULL)
    return;
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

/* ---- buttons ------------------------------------------------------------------------ */

void
_gh_create_wizard_update_buttons (GhCreateWizard *self)
{
  const char *page = current_page (self);
  gboolean review = g_strcmp0 (page, "review") == 0;
  gboolean progress = g_strcmp0 (page, "progress") == 0;
  gboolean can_next = FALSE;
  g_autofree char *problem = NULL;
  g_autofree char *express_problem = NULL;
  gboolean express_valid = _gh_create_wizard_express_is_valid (self, &express_problem);

  /* The resources page's defaults need the host's limits and its firmware. */
  if (g_strcmp0 (page, "os") == 0)
    can_next = self->prepared && self->host_loaded && gh_os_db_get_loaded (self->os_db);
  else if (g_strcmp0 (page, "resources") == 0)
    can_next = self->host_loaded;
  else if (g_strcmp0 (page, "display") == 0)
    can_next = _gh_create_wizard_chosen_display (self) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !review && !progress);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), review);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", can_next && !self->creating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.create",
                                 review && !self->creating &&
                                 _gh_create_wizard_name_is_valid (self, &problem) &&
                                 express_valid && _gh_create_wizard_chosen_display (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back",
                                 g_strcmp0 (page, "source") != 0 && !progress);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          g_strcmp0 (page, "source") != 0 && !progress);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !self->close_when_done);

  if (review)
    {
      gtk_label_set_text (self->name_error_label, problem != NULL ? problem : "");
      gtk_widget_set_visible (GTK_WIDGET (self->name_error_label), problem != NULL);
      if (problem != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");

      gtk_label_set_text (self->express_hint_label,
                          express_problem != NULL ? express_problem : "");
      gtk_widget_set_visible (GTK_WIDGET (self->express_hint_label), express_problem != NULL);
    }
}

/* ---- navigation --------------------------------------------------------------------- */

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);

  if (_gh_create_wizard_page_is (self, "os"))
    _gh_create_wizard_enter_resources (self);
  else if (_gh_create_wizard_page_is (self, "resources"))
    _gh_create_wizard_enter_display (self);
  else if (_gh_create_wizard_page_is (self, "display"))
    _gh_create_wizard_enter_review (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);

  if (_gh_create_wizard_page_is (self, "identify"))
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      gtk_spinner_stop (self->identify_spinner);
      _gh_create_wizard_show_page (self, "source");
    }
  else if (_gh_create_wizard_page_is (self, "os"))
    _gh_create_wizard_show_page (self, "source");
  else if (_gh_create_wizard_page_is (self, "resources"))
    _gh_create_wizard_show_page (self, "os");
  else if (_gh_create_wizard_page_is (self, "display"))
    _gh_create_wizard_show_page (self, "resources");
  else if (_gh_create_wizard_page_is (self, "review"))
    _gh_create_wizard_show_page (self, "display");
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);

  if (self->creating)
    {
      /* The creator removes what it made; the window goes when it has. */
      self->close_when_done = TRUE;
      g_cancellable_cancel (self->create_cancellable);
      _gh_create_wizard_update_buttons (self);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
gh_create_wizard_close_request (GtkWindow *window)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (window);

  if (self->creating)
    {
      cancel_action (GTK_WIDGET (self), "wizard.cancel", NULL);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (gh_create_wizard_parent_class)->close_request (window);
}

/* ---- loading ------------------------------------------------------------------------ */

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GhCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gh_machine_creator_prepare_finish (GH_MACHINE_CREATOR (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gh_create_wizard_set_error (self, self->source_error_label, error->message);
      return;
    }
  self->prepared = TRUE;
  _gh_create_wizard_update_buttons (self);
}

static void
host_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GhCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  /* An inventory that could not load plans from what it knows: the 2D paths. */
  if (!gh_host_inventory_load_finish (GH_HOST_INVENTORY (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Could not read what the host offers: %s", error->message);
  self->host_loaded = TRUE;
  _gh_create_wizard_update_buttons (self);
}

static void
os_db_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GhCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gh_os_db_load_finish (GH_OS_DB (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _gh_create_wizard_set_error (self, self->source_error_label, error->message);
  _gh_create_wizard_update_buttons (self);
}

static void
gh_create_wizard_constructed (GObject *object)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (object);
  g_autofree char *connection = gh_connection_dup_display_name (self->connection);

  G_OBJECT_CLASS (gh_create_wizard_parent_class)->constructed (object);

  adw_window_title_set_subtitle (self->window_title, connection);
  self->host = g_object_ref (gh_connection_get_host_inventory (self->connection));
  self->creator = gh_machine_creator_new (self->connection, self->host);
  _gh_create_wizard_progress_constructed (self);

  gh_machine_creator_prepare_async (self->creator, self->cancellable, prepare_cb,
                                    g_object_ref (self));
  gh_host_inventory_ensure_async (self->host, self->cancellable, host_loaded_cb,
                                  g_object_ref (self));
  if (!gh_os_db_get_loaded (self->os_db))
    gh_os_db_load_async (self->os_db, self->cancellable, os_db_loaded_cb, g_object_ref (self));

  _gh_create_wizard_show_page (self, "source");
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
gh_create_wizard_dispose (GObject *object)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  _gh_create_wizard_progress_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_CREATE_WIZARD);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->create_cancellable);
  g_clear_object (&self->creator);
  g_clear_object (&self->host);
  g_clear_object (&self->plan);
  g_clear_object (&self->os);
  g_clear_object (&self->os_filter);
  g_clear_object (&self->os_selection);
  g_clear_object (&self->os_db);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (gh_create_wizard_parent_class)->dispose (object);
}

static void
gh_create_wizard_finalize (GObject *object)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (object);

  g_clear_pointer (&self->media, gh_media_info_free);
  g_clear_pointer (&self->express_defaults, gh_express_config_free);
  g_clear_pointer (&self->display_rows, g_ptr_array_unref);
  g_clear_pointer (&self->progress_rows, g_ptr_array_unref);
  g_free (self->source_path);
  g_free (self->display_device);
  g_free (self->error);
  g_free (self->created_uuid);

  G_OBJECT_CLASS (gh_create_wizard_parent_class)->finalize (object);
}

static OsinfoOs *
find_os (GhCreateWizard *self,
         const char     *id)
{
  return id != NULL ? gh_os_db_lookup_os (self->os_db, id) : NULL;
}

static void
gh_create_wizard_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_PAGE:
      g_value_set_string (value, current_page (self));
      break;
    case PROP_SOURCE_PATH:
      g_value_set_string (value, self->source_path);
      break;
    case PROP_OS_ID:
      g_value_set_string (value, self->os != NULL
                                 ? osinfo_entity_get_id (OSINFO_ENTITY (self->os)) : NULL);
      break;
    case PROP_MEMORY:
      g_value_set_uint64 (value, _gh_create_wizard_chosen_memory (self));
      break;
    case PROP_VCPUS:
      g_value_set_uint (value, (guint) gtk_adjustment_get_value (self->cpus_adjustment));
      break;
    case PROP_DISK_SIZE:
      g_value_set_uint64 (value, _gh_create_wizard_chosen_disk_size (self));
      break;
    case PROP_FIRMWARE:
      g_value_set_enum (value, _gh_create_wizard_chosen_firmware (self));
      break;
    case PROP_DISPLAY_PATH:
      g_value_set_string (value, _gh_create_wizard_chosen_display (self) != NULL
                                 ? gh_graphics_path_kind_to_string (self->display_kind) : NULL);
      break;
    case PROP_NAME:
      g_value_set_string (value, _gh_create_wizard_name_for_machine (self));
      break;
    case PROP_CREATED_UUID:
      g_value_set_string (value, self->created_uuid);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_EXPRESS:
      g_value_set_boolean (value, _gh_create_wizard_express_enabled (self));
      break;
    case PROP_EXPRESS_SUPPORTED:
      g_value_set_boolean (value, self->express_supported);
      break;
    case PROP_EXPRESS_USER:
      g_value_set_string (value, gtk_editable_get_text (GTK_EDITABLE (self->express_user_row)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_create_wizard_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_OS_ID:
      _gh_create_wizard_set_os (self, find_os (self, g_value_get_string (value)));
      _gh_create_wizard_select_os_in_list (self);
      break;
    case PROP_MEMORY:
      gtk_adjustment_set_value (self->memory_adjustment, (double) g_value_get_uint64 (value) / GIB);
      break;
    case PROP_VCPUS:
      gtk_adjustment_set_value (self->cpus_adjustment, g_value_get_uint (value));
      break;
    case PROP_DISK_SIZE:
      gtk_adjustment_set_value (self->disk_adjustment, (double) g_value_get_uint64 (value) / GIB);
      break;
    case PROP_FIRMWARE:
      adw_combo_row_set_selected (self->firmware_row,
                                  g_value_get_enum (value) == GH_FIRMWARE_UEFI ? 1 : 0);
      break;
    case PROP_DISPLAY_PATH:
      _gh_create_wizard_select_display_kind (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), g_value_get_string (value));
      break;
    case PROP_EXPRESS:
      adw_expander_row_set_enable_expansion (self->express_row, g_value_get_boolean (value));
      break;
    case PROP_EXPRESS_USER:
      gtk_editable_set_text (GTK_EDITABLE (self->express_user_row), g_value_get_string (value));
      break;
    case PROP_EXPRESS_PASSWORD:
      gtk_editable_set_text (GTK_EDITABLE (self->express_password_row), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_create_wizard_class_init (GhCreateWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = gh_create_wizard_constructed;
  object_class->dispose = gh_create_wizard_dispose;
  object_class->finalize = gh_create_wizard_finalize;
  object_class->get_property = gh_create_wizard_get_property;
  object_class->set_property = gh_create_wizard_set_property;
  window_class->close_request = gh_create_wizard_close_request;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, GH_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE_PATH] =
    g_param_spec_string ("source-path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OS_ID] =
    g_param_spec_string ("os-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMORY] =
    g_param_spec_uint64 ("memory", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VCPUS] =
    g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISK_SIZE] =
    g_param_spec_uint64 ("disk-size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRMWARE] =
    g_param_spec_enum ("firmware", NULL, NULL, GH_TYPE_FIRMWARE, GH_FIRMWARE_BIOS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_PATH] =
    g_param_spec_string ("display-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_UUID] =
    g_param_spec_string ("created-uuid", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Express install: on by default where it is offered; the password can be set, never
   * read back. */
  properties[PROP_EXPRESS] =
    g_param_spec_boolean ("express", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPRESS_SUPPORTED] =
    g_param_spec_boolean ("express-supported", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPRESS_USER] =
    g_param_spec_string ("express-user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPRESS_PASSWORD] =
    g_param_spec_string ("express-password", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The machine it made is in its connection's list; the wizard closes right after. Its
   * opener opens the console: the wizard does not know the application, and may be made
   * for a connection the application does not list. */
  signals[MACHINE_CREATED] =
    g_signal_new_class_handler ("machine-created",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                NULL,
                                NULL, NULL,
                                NULL,
                                G_TYPE_NONE, 1, GH_TYPE_MACHINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/greenhouse/Greenhouse/gh-create-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, create_button);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, source_error_label);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, identify_page);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, identify_spinner);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, media_list);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, media_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, os_hint_label);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, os_search);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, os_view);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, resources_group);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, memory_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, memory_spin);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, memory_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, cpus_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, cpus_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, disk_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, disk_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, firmware_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, display_group);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, name_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, express_group);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, express_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, express_user_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, express_password_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, express_hint_label);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, summary_os_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, summary_source_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, summary_resources_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, summary_display_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, summary_connection_row);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, xml_view);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, review_error_label);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, progress_page);
  gtk_widget_class_bind_template_child (widget_class, GhCreateWizard, progress_list);

  /* In the order the actions were always installed: the source's, next, back, create,
   * cancel. */
  _gh_create_wizard_source_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  _gh_create_wizard_progress_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "wizard.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "wizard.next", NULL);
}

static void
gh_create_wizard_init (GhCreateWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->display_rows = g_ptr_array_new ();
  self->progress_rows = g_ptr_array_new ();
  self->os_db = g_object_ref (gh_os_db_get_default ());
  gh_os_requirements_for_os (NULL, &self->requirements);

  _gh_create_wizard_os_init (self);
  _gh_create_wizard_review_init (self);
  _gh_create_wizard_resources_init (self);
  _gh_create_wizard_source_init (self);
}

GhCreateWizard *
gh_create_wizard_new (GtkWindow    *parent,
                      GhConnection *connection)
{
  g_return_val_if_fail (GH_IS_CONNECTION (connection), NULL);

  return g_object_new (GH_TYPE_CREATE_WIZARD,
                       "connection", connection,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

GhConnection *
gh_create_wizard_get_connection (GhCreateWizard *self)
{
  g_return_val_if_fail (GH_IS_CREATE_WIZARD (self), NULL);

  return self->connection;
}

const char *
gh_create_wizard_get_page (GhCreateWizard *self)
{
  g_return_val_if_fail (GH_IS_CREATE_WIZARD (self), NULL);

  return current_page (self);
}

const char *
gh_create_wizard_get_created_uuid (GhCreateWizard *self)
{
  g_return_val_if_fail (GH_IS_CREATE_WIZARD (self), NULL);

  return self->created_uuid;
}

const char *
gh_create_wizard_get_error (GhCreateWizard *self)
{
  g_return_val_if_fail (GH_IS_CREATE_WIZARD (self), NULL);

  return self->error;
}

char *
gh_create_wizard_dup_xml (GhCreateWizard *self)
{
  g_autoptr(GhDomainSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  char *xml;

  g_return_val_if_fail (GH_IS_CREATE_WIZARD (self), NULL);

  if (gh_machine_creator_get_host (self->creator) == NULL)
    return NULL;

  spec = _gh_create_wizard_build_spec (self);
  xml = gh_machine_creator_dup_xml (self->creator, spec, &error);
  if (xml == NULL)
    return g_strdup (error->message);
  return xml;
}
