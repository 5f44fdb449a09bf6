/* gh-machine-settings-display.c: the Display page: the display path and open display ports
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-settings-private.h"
#include "gh-ui-util.h"

/* The path the machine has now, as well as its XML tells. */
static GhGraphicsPathKind
current_path_kind (GhMachineSettings *self,
                   gboolean          *known)
{
  g_autofree char *model = NULL;
  gboolean gl = FALSE;

  *known = TRUE;
  if (_gh_machine_settings_has_hostdev (self, GH_DOMAIN_HOSTDEV_MDEV, NULL, 0, 0))
    return GH_GRAPHICS_PATH_MDEV;
  model = gh_domain_editor_dup_video_model (self->editor, &gl);
  if (g_strcmp0 (model, "virtio") == 0)
    return gl ? GH_GRAPHICS_PATH_VIRGL : GH_GRAPHICS_PATH_VIRTIO_2D;
  if (g_strcmp0 (model, "qxl") == 0)
    return GH_GRAPHICS_PATH_QXL;
  if (g_strcmp0 (model, "vga") == 0 || g_strcmp0 (model, "bochs") == 0)
    return GH_GRAPHICS_PATH_VGA;
  if (g_strcmp0 (model, "none") == 0
      && _gh_machine_settings_has_hostdev (self, GH_DOMAIN_HOSTDEV_PCI, NULL, 0, 0))
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

      edit = _gh_machine_settings_edit_new (EDIT_DISPLAY_PATH);
      edit->plan = g_object_ref (self->plan);
      edit->path = path;
      _gh_machine_settings_start_edit (self, edit);
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
  _gh_machine_settings_start_edit (GH_MACHINE_SETTINGS (widget),
                                   _gh_machine_settings_edit_new (EDIT_CLOSE_DISPLAY_PORTS));
}

/* A display on a TCP port without a password is anyone's who reaches the port: say so,
 * in words, and offer the socket. */
static void
fill_display_ports (GhMachineSettings *self)
{
  g_autoptr(GPtrArray) open = gh_domain_editor_dup_open_displays (self->editor);
  g_autofree char *host = dup_host_name (self);

  _gh_machine_settings_group_clear (self->display_port_group);
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
      _gh_machine_settings_group_add_row (self->display_port_group, title, subtitle);
    }
}

void
_gh_machine_settings_fill_display (GhMachineSettings *self)
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

  _gh_machine_settings_group_clear (self->display_group);
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
      row = _gh_machine_settings_group_add_row (self->display_group, title, path->reason);
      if (known && path->kind == current
          && path->kind != GH_GRAPHICS_PATH_VFIO && path->kind != GH_GRAPHICS_PATH_MDEV)
        {
          GtkWidget *label = gtk_label_new (_("In use"));

          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          continue;
        }
      button = _gh_machine_settings_row_add_button (row, _("_Switch"), "settings.set-display-path",
                                                    g_variant_new_string (id), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
    }
}

void
_gh_machine_settings_display_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "settings.set-display-path", "s",
                                   set_display_path_action);
  gtk_widget_class_install_action (widget_class, "settings.close-display-ports", NULL,
                                   change_display_ports_action);
}
