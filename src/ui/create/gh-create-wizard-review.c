/* gh-create-wizard-review.c: the "display" page (the 3D path), the "review" page (the
 * name, Express Install, the summary, the XML) and the spec that the choices make
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "gh-create-wizard-private.h"
#include "gh-ui-util.h"

/* ---- display ------------------------------------------------------------------------ */

const GhGraphicsPath *
_gh_create_wizard_chosen_display (GhCreateWizard *self)
{
  if (self->plan == NULL)
    return NULL;
  return gh_graphics_plan_find (self->plan, self->display_kind, self->display_device);
}

static void
display_toggled_cb (GtkCheckButton *check,
                    GhCreateWizard *self)
{
  const GhGraphicsPath *path = g_object_get_data (G_OBJECT (check), "gh-path");

  if (!gtk_check_button_get_active (check) || path == NULL)
    return;

  self->display_kind = path->kind;
  g_free (self->display_device);
  self->display_device = g_strdup (path->device);
  _gh_create_wizard_update_buttons (self);
  _gh_create_wizard_notify (self, PROP_DISPLAY_PATH);
}

static void
clear_display_rows (GhCreateWizard *self)
{
  for (guint i = 0; i < self->display_rows->len; i++)
    adw_preferences_group_remove (self->display_group,
                                  g_ptr_array_index (self->display_rows, i));
  g_ptr_array_set_size (self->display_rows, 0);
}

void
_gh_create_wizard_enter_display (GhCreateWizard *self)
{
  const GhGraphicsPath *recommended;
  GtkCheckButton *group = NULL;
  g_autofree char *description = NULL;

  g_clear_object (&self->plan);
  self->plan = gh_graphics_planner_plan (self->os, gh_host_inventory_get_host (self->host),
                                         gh_connection_get_graphics_flags (self->connection),
                                         GH_GRAPHICS_PREFER_BEST_3D, FALSE);
  recommended = gh_graphics_plan_get_recommended (self->plan);

  /* Translators: an OS name */
  description = g_markup_printf_escaped (_("What suits %s best on this computer comes first."),
                                         _gh_create_wizard_os_name (self->os));
  adw_preferences_group_set_description (self->display_group, description);

  clear_display_rows (self);
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (self->plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (self->plan, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *title = NULL;

      if (path->device != NULL)
        title = g_strdup_printf ("%s: %s", gh_graphics_path_kind_get_title (path->kind),
                                 path->device);
      else
        title = g_strdup (gh_graphics_path_kind_get_title (path->kind));
      /* A device's name is the host's, not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path->reason);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      g_object_set_data (G_OBJECT (check), "gh-path", (gpointer) path);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_widget_set_sensitive (row, path->feasible);
      if (path == recommended)
        {
          GtkWidget *badge = gtk_label_new (_("Recommended"));

          gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (badge, "accent");
          gtk_widget_add_css_class (badge, "caption-heading");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
        }
      g_signal_connect_object (check, "toggled", G_CALLBACK (display_toggled_cb), self, 0);
      adw_preferences_group_add (self->display_group, row);
      g_ptr_array_add (self->display_rows, row);
    }

  /* The user's earlier choice stays if it still can be; else the recommendation. */
  if (_gh_create_wizard_chosen_display (self) == NULL ||
      !_gh_create_wizard_chosen_display (self)->feasible)
    {
      self->display_kind = recommended != NULL ? recommended->kind : GH_GRAPHICS_PATH_VGA;
      g_free (self->display_device);
      self->display_device = recommended != NULL ? g_strdup (recommended->device) : NULL;
    }
  for (guint i = 0; i < self->display_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->display_rows, i);
      const GhGraphicsPath *path = gh_graphics_plan_get_path (self->plan, i);

      if (path == _gh_create_wizard_chosen_display (self))
        gtk_widget_activate (row);
    }

  _gh_create_wizard_notify (self, PROP_DISPLAY_PATH);
  _gh_create_wizard_show_page (self, "display");
}

void
_gh_create_wizard_select_display_kind (GhCreateWizard *self,
                                       const char     *kind)
{
  if (self->plan == NULL)
    return;

  for (guint i = 0; i < gh_graphics_plan_get_n_paths (self->plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (self->plan, i);

      if (g_strcmp0 (gh_graphics_path_kind_to_string (path->kind), kind) == 0 && path->feasible &&
          i < self->display_rows->len)
        {
          gtk_widget_activate (g_ptr_array_index (self->display_rows, i));
          return;
        }
    }
  g_warning ("No feasible display path “%s”", kind);
}

/* ---- the name ----------------------------------------------------------------------- */

const char *
_gh_create_wizard_name_for_machine (GhCreateWizard *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

gboolean
_gh_create_wizard_name_is_valid (GhCreateWizard *self,
                                 char          **problem)
{
  const char *name = _gh_create_wizard_name_for_machine (self);
  const GhCreateHost *host = gh_machine_creator_get_host (self->creator);
  g_autoptr(GError) error = NULL;

  *problem = NULL;
  if (name[0] == '\0')
    {
      *problem = g_strdup (_("The machine needs a name."));
      return FALSE;
    }
  if (strchr (name, '/') != NULL)
    {
      *problem = g_strdup (_("A name cannot contain “/”."));
      return FALSE;
    }
  if (!gh_text_check (name, GH_TEXT_LINE, NULL, &error))
    {
      /* Translators: the reason, like "it contains an invisible control character (U+0007)" */
      *problem = g_strdup_printf (_("This name cannot be used: %s."), error->message);
      return FALSE;
    }
  if (host != NULL && host->taken_names != NULL &&
      g_strv_contains ((const char * const *) host->taken_names, name))
    {
      g_autofree char *free_name = gh_machine_creator_suggest_name (self->creator, name);

      /* Translators: two machine names */
      *problem = g_strdup_printf (_("A machine called “%s” exists already; “%s” is free."),
                                  name, free_name);
      return FALSE;
    }
  return TRUE;
}

/* ---- Express Install ---------------------------------------------------------------- */

/* The media the machine installs from, when libosinfo knows it and the system chosen is
 * the one on it: what an express install needs. */
static OsinfoMedia *
express_media (GhCreateWizard *self)
{
  if (self->source != SOURCE_MEDIA || self->media == NULL || self->media->media == NULL ||
      self->os == NULL)
    return NULL;
  if (g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (self->os)), self->media->os_id) != 0)
    return NULL;
  return self->media->media;
}

gboolean
_gh_create_wizard_express_enabled (GhCreateWizard *self)
{
  return self->express_supported && adw_expander_row_get_enable_expansion (self->express_row);
}

/* What useradd and the installers take: a lower-case letter first, then lower-case
 * letters, digits, "-" and "_". */
static gboolean
login_is_valid (const char *login)
{
  if (!g_ascii_islower (login[0]))
    return FALSE;
  for (const char *c = login; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-' && *c != '_')
      return FALSE;
  return strlen (login) <= 32;
}

/* The answers of the Express Install row. */
static GhExpressConfig *
dup_express_config (GhCreateWizard *self)
{
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->express_user_row));
  GhExpressConfig *express = gh_express_config_copy (self->express_defaults);

  /* Someone else's account: the real name would be wrong. */
  if (g_strcmp0 (login, express->user_login) != 0)
    {
      g_clear_pointer (&express->user_realname, g_free);
      g_free (express->user_login);
      express->user_login = g_strdup (login);
    }
  g_free (express->password);
  express->password =
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->express_password_row)));
  return express;
}

gboolean
_gh_create_wizard_express_is_valid (GhCreateWizard *self,
                                    char          **problem)
{
  g_autoptr(GhExpressConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->express_user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->express_password_row));

  *problem = NULL;
  if (!_gh_create_wizard_express_enabled (self))
    return TRUE;
  if (login[0] == '\0')
    {
      *problem = g_strdup (_("Choose a user name for the new account."));
      return FALSE;
    }
  if (!login_is_valid (login))
    {
      *problem = g_strdup (_("A user name starts with a lower-case letter and holds only "
                             "lower-case letters, digits, “-” and “_”."));
      return FALSE;
    }
  if (strcmp (login, "root") == 0)
    {
      *problem = g_strdup (_("“root” is the administrator’s name: choose another one for the "
                             "account."));
      return FALSE;
    }
  if (password[0] == '\0')
    {
      *problem = g_strdup (_("Choose a password for the new account."));
      return FALSE;
    }

  /* What the installer of this media would not take exactly as typed. */
  config = dup_express_config (self);
  if (express_media (self) != NULL &&
      !gh_express_config_check (config, express_media (self), &error))
    {
      *problem = g_strdup (gh_error_get_detail (error));
      return FALSE;
    }
  return TRUE;
}

/* What the Express Install row offers for the media and system chosen. */
static void
update_express_row (GhCreateWizard *self)
{
  OsinfoMedia *media = express_media (self);
  g_autofree char *reason = NULL;
  gboolean supported = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->express_group), self->source == SOURCE_MEDIA);
  if (media != NULL)
    supported = gh_express_install_supported (media, &reason);
  else if (self->media == NULL || self->media->os_id == NULL)
    reason = g_strdup (_("Greenhouse cannot tell which system this media holds, so it cannot "
                         "install it by itself."));
  else
    reason = g_strdup (_("The system chosen is not the one on the media, so Greenhouse cannot "
                         "install it by itself."));

  self->express_supported = supported;
  gtk_widget_set_sensitive (GTK_WIDGET (self->express_row), supported);
  adw_expander_row_set_subtitle (self->express_row,
                                 supported
                                 ? _("The system installs itself without questions. The "
                                     "password is also the administrator’s.")
                                 : reason);
  if (!supported)
    adw_expander_row_set_enable_expansion (self->express_row, FALSE);
  else if (!self->express_offered)
    {
      /* Offered once per media: turned off, it stays off. */
      self->express_offered = TRUE;
      adw_expander_row_set_enable_expansion (self->express_row, TRUE);
      adw_expander_row_set_expanded (self->express_row, TRUE);
    }
  _gh_create_wizard_notify (self, PROP_EXPRESS_SUPPORTED);
}

/* ---- the spec ----------------------------------------------------------------------- */

/* What the spec for the current choices holds. */
GhDomainSpec *
_gh_create_wizard_build_spec (GhCreateWizard *self)
{
  g_autoptr(GhDomainSpec) spec = gh_domain_spec_new ();
  const GhGraphicsPath *display = _gh_create_wizard_chosen_display (self);
  const GhHostDomainCaps *caps = gh_host_inventory_get_domain_caps (self->host);

  spec->name = g_strdup (_gh_create_wizard_name_for_machine (self));
  spec->os = self->os != NULL ? g_object_ref (self->os) : NULL;
  spec->memory = _gh_create_wizard_chosen_memory (self);
  spec->vcpus = (guint) gtk_adjustment_get_value (self->cpus_adjustment);
  spec->firmware = _gh_create_wizard_chosen_firmware (self);
  spec->tpm = self->requirements.needs_tpm && gh_domain_caps_offers_tpm (caps);
  spec->disk_path = gh_machine_creator_dup_disk_path (self->creator, spec->name);
  spec->disk_format = g_strdup ("qcow2");
  if (self->source == SOURCE_MEDIA)
    spec->cdrom_path = g_strdup (self->source_path);
  if (display != NULL)
    spec->display = gh_graphics_path_copy (display);
  if (_gh_create_wizard_express_enabled (self))
    {
      spec->express = dup_express_config (self);
      spec->install_media = g_object_ref (express_media (self));
    }

  return g_steal_pointer (&spec);
}

/* ---- review ------------------------------------------------------------------------- */

static void
update_xml (GhCreateWizard *self)
{
  g_autofree char *xml = gh_create_wizard_dup_xml (self);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->xml_view),
                            xml != NULL ? xml : "", -1);
}

static void
name_changed_cb (GtkEditable    *editable,
                 GhCreateWizard *self)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  if (_gh_create_wizard_page_is (self, "review"))
    {
      update_xml (self);
      _gh_create_wizard_update_buttons (self);
    }
  _gh_create_wizard_notify (self, PROP_NAME);
}

static char *
default_name (GhCreateWizard *self)
{
  const char *base = NULL;

  if (self->os != NULL)
    base = osinfo_product_get_short_id (OSINFO_PRODUCT (self->os));
  if (base == NULL && self->source_path != NULL)
    {
      g_autofree char *basename = g_path_get_basename (self->source_path);
      char *dot = strrchr (basename, '.');

      if (dot != NULL && dot != basename)
        *dot = '\0';
      return gh_machine_creator_suggest_name (self->creator, basename);
    }
  return gh_machine_creator_suggest_name (self->creator, base != NULL ? base : "machine");
}

void
_gh_create_wizard_enter_review (GhCreateWizard *self)
{
  const GhGraphicsPath *display = _gh_create_wizard_chosen_display (self);
  g_autofree char *memory =
    _gh_create_wizard_format_gib (_gh_create_wizard_chosen_memory (self));
  g_autofree char *resources = NULL;
  g_autofree char *source = NULL;
  g_autofree char *connection = gh_connection_dup_display_name (self->connection);
  guint cpus;

  if (!self->name_edited)
    {
      g_autofree char *name = default_name (self);

      self->setting_name = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
      self->setting_name = FALSE;
    }

  adw_action_row_set_subtitle (self->summary_os_row, _gh_create_wizard_os_name (self->os));
  switch (self->source)
    {
    case SOURCE_MEDIA:
      {
        g_autofree char *basename = g_path_get_basename (self->source_path);
        g_autofree char *disk =
          _gh_create_wizard_format_gib (_gh_create_wizard_chosen_disk_size (self));

        /* Translators: an ISO file name, then a size */
        source = g_strdup_printf (_("The install media “%s”, with a new %s disk"),
                                  basename, disk);
      }
      break;
    case SOURCE_IMAGE:
      {
        g_autofree char *basename = g_path_get_basename (self->source_path);

        /* Translators: a file name */
        source = g_strdup_printf (_("A copy of the disk image “%s”"), basename);
      }
      break;
    case SOURCE_BLANK:
    case SOURCE_NONE:
    default:
      {
        g_autofree char *disk =
          _gh_create_wizard_format_gib (_gh_create_wizard_chosen_disk_size (self));

        /* Translators: a size */
        source = g_strdup_printf (_("An empty %s disk"), disk);
      }
      break;
    }
  adw_action_row_set_subtitle (self->summary_source_row, source);

  cpus = (guint) gtk_adjustment_get_value (self->cpus_adjustment);
  /* Translators: memory, processors, then BIOS or UEFI: "4.0 GiB · 2 processors · UEFI" */
  resources = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u processor · %s",
                                            "%s · %u processors · %s", cpus),
                               memory, cpus,
                               _gh_create_wizard_chosen_firmware (self) == GH_FIRMWARE_UEFI
                               ? _("UEFI") : _("BIOS"));
  adw_action_row_set_subtitle (self->summary_resources_row, resources);
  adw_action_row_set_subtitle (self->summary_display_row,
                               display != NULL
                               ? gh_graphics_path_kind_get_title (display->kind) : "");
  adw_action_row_set_subtitle (self->summary_connection_row, connection);

  update_express_row (self);
  update_xml (self);
  _gh_create_wizard_show_page (self, "review");
}

/* The switch and the user name change the XML (the install's kernel) and what Create
 * needs; the password changes only the latter. */
static void
express_changed_cb (GhCreateWizard *self)
{
  if (_gh_create_wizard_page_is (self, "review"))
    {
      update_xml (self);
      _gh_create_wizard_update_buttons (self);
    }
  _gh_create_wizard_notify (self, PROP_EXPRESS);
  _gh_create_wizard_notify (self, PROP_EXPRESS_USER);
}

static void
express_password_changed_cb (GhCreateWizard *self)
{
  if (_gh_create_wizard_page_is (self, "review"))
    _gh_create_wizard_update_buttons (self);
}

void
_gh_create_wizard_review_init (GhCreateWizard *self)
{
  g_signal_connect (self->name_row, "changed", G_CALLBACK (name_changed_cb), self);
  self->express_defaults = gh_express_config_new_for_user ();
  /* Running as root, there is no name to offer for an ordinary account. */
  if (g_strcmp0 (self->express_defaults->user_login, "root") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->express_user_row),
                           self->express_defaults->user_login);
  g_signal_connect_swapped (self->express_row, "notify::enable-expansion",
                            G_CALLBACK (express_changed_cb), self);
  g_signal_connect_swapped (self->express_user_row, "changed",
                            G_CALLBACK (express_changed_cb), self);
  g_signal_connect_swapped (self->express_password_row, "changed",
                            G_CALLBACK (express_password_changed_cb), self);
}
