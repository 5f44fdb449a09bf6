/* gh-create-wizard.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gh-application.h"
#include "gh-create-wizard.h"
#include "gh-domain-builder.h"
#include "gh-express-install.h"
#include "gh-machine-creator.h"
#include "gh-ui-util.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define MIB (G_GUINT64_CONSTANT (1) << 20)

typedef enum
{
  SOURCE_NONE,
  SOURCE_MEDIA,   /* an install ISO: identified, then attached as the CD-ROM */
  SOURCE_IMAGE,   /* a disk image, copied into the pool */
  SOURCE_BLANK,   /* an OS from the list and an empty disk */
} Source;

struct _GhCreateWizard
{
  AdwWindow           parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  GtkButton          *cancel_button;
  GtkButton          *back_button;
  GtkButton          *next_button;
  GtkButton          *create_button;
  GtkStack           *stack;
  GtkLabel           *source_error_label;
  AdwStatusPage      *identify_page;
  GtkSpinner         *identify_spinner;
  GtkListBox         *media_list;
  AdwActionRow       *media_row;
  GtkLabel           *os_hint_label;
  GtkSearchEntry     *os_search;
  GtkListView        *os_view;
  AdwPreferencesGroup *resources_group;
  AdwActionRow       *memory_row;
  GtkSpinButton      *memory_spin;
  GtkAdjustment      *memory_adjustment;
  AdwActionRow       *cpus_row;
  GtkAdjustment      *cpus_adjustment;
  AdwActionRow       *disk_row;
  GtkAdjustment      *disk_adjustment;
  AdwComboRow        *firmware_row;
  AdwPreferencesGroup *display_group;
  AdwEntryRow        *name_row;
  GtkLabel           *name_error_label;
  AdwPreferencesGroup *express_group;
  AdwExpanderRow     *express_row;
  AdwEntryRow        *express_user_row;
  AdwPasswordEntryRow *express_password_row;
  GtkLabel           *express_hint_label;
  AdwActionRow       *summary_os_row;
  AdwActionRow       *summary_source_row;
  AdwActionRow       *summary_resources_row;
  AdwActionRow       *summary_display_row;
  AdwActionRow       *summary_connection_row;
  GtkTextView        *xml_view;
  GtkLabel           *review_error_label;
  AdwStatusPage      *progress_page;
  GtkListBox         *progress_list;

  /* Owned references */
  GhConnection       *connection;
  GhHostInventory    *host;
  GhMachineCreator   *creator;
  GhOsDb             *os_db;
  GCancellable       *cancellable;     /* what runs for the wizard; cancelled when it goes */
  GCancellable       *create_cancellable;
  GtkCustomFilter    *os_filter;
  GtkSingleSelection *os_selection;
  char               *source_path;
  GhMediaInfo        *media;
  GhExpressConfig    *express_defaults; /* who the person running Greenhouse is */
  OsinfoOs           *os;
  GhGraphicsPlan     *plan;
  GPtrArray          *display_rows;    /* AdwActionRow, one per path of the plan, by rank */
  GPtrArray          *progress_rows;   /* AdwActionRow, one per GhCreateStep from POOL */
  char               *error;
  char               *created_uuid;

  Source              source;
  GhOsRequirements    requirements;
  GhGraphicsPathKind  display_kind;
  char               *display_device;
  guint               machine_wait_id;
  guint               prepared : 1;
  guint               host_loaded : 1;
  guint               creating : 1;
  guint               close_when_done : 1;
  guint               name_edited : 1;
  guint               setting_name : 1;
  guint               express_supported : 1;
  guint               express_offered : 1; /* the switch was turned on once for this media */
};

G_DEFINE_FINAL_TYPE (GhCreateWizard, gh_create_wizard, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_PAGE,
  PROP_SOURCE_PATH,
  PROP_OS_ID,
  PROP_MEMORY,
  PROP_VCPUS,
  PROP_DISK_SIZE,
  PROP_FIRMWARE,
  PROP_DISPLAY_PATH,
  PROP_NAME,
  PROP_CREATED_UUID,
  PROP_ERROR,
  PROP_EXPRESS,
  PROP_EXPRESS_SUPPORTED,
  PROP_EXPRESS_USER,
  PROP_EXPRESS_PASSWORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_buttons (GhCreateWizard *self);
static void enter_resources (GhCreateWizard *self);
static void enter_display (GhCreateWizard *self);
static void enter_review (GhCreateWizard *self);

/* ---- helpers ------------------------------------------------------------------------ */

static const char *
current_page (GhCreateWizard *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static gboolean
page_is (GhCreateWizard *self,
         const char     *name)
{
  return g_strcmp0 (current_page (self), name) == 0;
}

static void
show_page (GhCreateWizard *self,
           const char     *name)
{
  GtkStackPage *page;

  gtk_stack_set_visible_child_name (self->stack, name);
  page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_subtitle (self->window_title, gtk_stack_page_get_title (page));
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
set_error (GhCreateWizard *self,
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

static const char *
os_display_name (OsinfoOs *os)
{
  const char *name = os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : NULL;

  return name != NULL ? name : _("Unknown operating system");
}

static char *
format_gib (guint64 bytes)
{
  /* Translators: a size in gibibytes, like "2.5 GiB" */
  return g_strdup_printf (_("%.1f GiB"), (double) bytes / GIB);
}

static GhFirmware
chosen_firmware (GhCreateWizard *self)
{
  return adw_combo_row_get_selected (self->firmware_row) == 1 ? GH_FIRMWARE_UEFI : GH_FIRMWARE_BIOS;
}

static guint64
chosen_memory (GhCreateWizard *self)
{
  /* Whole MiB. */
  return (guint64) (gtk_adjustment_get_value (self->memory_adjustment) * 1024 + 0.5) * MIB;
}

static guint64
chosen_disk_size (GhCreateWizard *self)
{
  if (self->source == SOURCE_IMAGE)
    return 0;
  return (guint64) gtk_adjustment_get_value (self->disk_adjustment) * GIB;
}

static const GhGraphicsPath *
chosen_display (GhCreateWizard *self)
{
  if (self->plan == NULL)
    return NULL;
  return gh_graphics_plan_find (self->plan, self->display_kind, self->display_device);
}

static const char *
name_for_machine (GhCreateWizard *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

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

static gboolean
express_enabled (GhCreateWizard *self)
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
  express->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->express_password_row)));
  return express;
}

static gboolean
express_is_valid (GhCreateWizard *self,
                  char          **problem)
{
  g_autoptr(GhExpressConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->express_user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->express_password_row));

  *problem = NULL;
  if (!express_enabled (self))
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
      *problem = g_strdup (_("“root” is the administrator’s name: choose another one for the account."));
      return FALSE;
    }
  if (password[0] == '\0')
    {
      *problem = g_strdup (_("Choose a password for the new account."));
      return FALSE;
    }

  /* What the installer of this media would not take exactly as typed. */
  config = dup_express_config (self);
  if (express_media (self) != NULL && !gh_express_config_check (config, express_media (self), &error))
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
                                 ? _("The system installs itself without questions. The password is also the administrator’s.")
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPRESS_SUPPORTED]);
}

/* What the spec for the current choices holds. */
static GhDomainSpec *
build_spec (GhCreateWizard *self)
{
  g_autoptr(GhDomainSpec) spec = gh_domain_spec_new ();
  const GhGraphicsPath *display = chosen_display (self);
  const GhHostDomainCaps *caps = gh_host_inventory_get_domain_caps (self->host);

  spec->name = g_strdup (name_for_machine (self));
  spec->os = self->os != NULL ? g_object_ref (self->os) : NULL;
  spec->memory = chosen_memory (self);
  spec->vcpus = (guint) gtk_adjustment_get_value (self->cpus_adjustment);
  spec->firmware = chosen_firmware (self);
  spec->tpm = self->requirements.needs_tpm && gh_domain_caps_offers_tpm (caps);
  spec->disk_path = gh_machine_creator_dup_disk_path (self->creator, spec->name);
  spec->disk_format = g_strdup ("qcow2");
  if (self->source == SOURCE_MEDIA)
    spec->cdrom_path = g_strdup (self->source_path);
  if (display != NULL)
    spec->display = gh_graphics_path_copy (display);
  if (express_enabled (self))
    {
      spec->express = dup_express_config (self);
      spec->install_media = g_object_ref (express_media (self));
    }

  return g_steal_pointer (&spec);
}

/* ---- buttons ------------------------------------------------------------------------ */

static gboolean
name_is_valid (GhCreateWizard *self,
               char          **problem)
{
  const char *name = name_for_machine (self);
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

static void
update_buttons (GhCreateWizard *self)
{
  const char *page = current_page (self);
  gboolean review = g_strcmp0 (page, "review") == 0;
  gboolean progress = g_strcmp0 (page, "progress") == 0;
  gboolean can_next = FALSE;
  g_autofree char *problem = NULL;
  g_autofree char *express_problem = NULL;
  gboolean express_valid = express_is_valid (self, &express_problem);

  /* The resources page's defaults need the host's limits and its firmware. */
  if (g_strcmp0 (page, "os") == 0)
    can_next = self->prepared && self->host_loaded && gh_os_db_get_loaded (self->os_db);
  else if (g_strcmp0 (page, "resources") == 0)
    can_next = self->host_loaded;
  else if (g_strcmp0 (page, "display") == 0)
    can_next = chosen_display (self) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !review && !progress);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), review);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", can_next && !self->creating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.create",
                                 review && !self->creating && name_is_valid (self, &problem) &&
                                 express_valid && chosen_display (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back",
                                 g_strcmp0 (page, "source") != 0 && !progress);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), g_strcmp0 (page, "source") != 0 && !progress);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !self->close_when_done);

  if (review)
    {
      gtk_label_set_text (self->name_error_label, problem != NULL ? problem : "");
      gtk_widget_set_visible (GTK_WIDGET (self->name_error_label), problem != NULL);
      if (problem != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");

      gtk_label_set_text (self->express_hint_label, express_problem != NULL ? express_problem : "");
      gtk_widget_set_visible (GTK_WIDGET (self->express_hint_label), express_problem != NULL);
    }
}

/* ---- the operating system ----------------------------------------------------------- */

static gboolean
os_filter_func (gpointer item,
                gpointer user_data)
{
  GhCreateWizard *self = user_data;
  OsinfoOs *os = item;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->os_search));

  if (search[0] != '\0')
    return gh_os_db_os_matches (os, search);
  /* End-of-life systems are there for those who search for them, and for the media. */
  if (self->os != NULL && g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (os)),
                                     osinfo_entity_get_id (OSINFO_ENTITY (self->os))) == 0)
    return TRUE;
  return !gh_os_db_os_is_eol (os);
}

static gboolean
scroll_to_selected_os (gpointer data)
{
  g_autoptr(GhCreateWizard) self = data;
  guint selected = gtk_single_selection_get_selected (self->os_selection);

  if (selected != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->os_view), "list.scroll-to-item", "u", selected);
  return G_SOURCE_REMOVE;
}

static void
select_os_in_list (GhCreateWizard *self)
{
  GListModel *model = G_LIST_MODEL (self->os_selection);
  guint n = g_list_model_get_n_items (model);
  const char *id = self->os != NULL ? osinfo_entity_get_id (OSINFO_ENTITY (self->os)) : NULL;

  for (guint i = 0; i < n && id != NULL; i++)
    {
      g_autoptr(OsinfoOs) os = g_list_model_get_item (model, i);

      if (g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (os)), id) == 0)
        {
          gtk_single_selection_set_selected (self->os_selection, i);
          /* Once the page that was just put in sight has its size: GTK 4.8's list view
           * scrolls to nowhere before. */
          g_idle_add_full (G_PRIORITY_LOW, scroll_to_selected_os, g_object_ref (self), NULL);
          return;
        }
    }
  gtk_single_selection_set_selected (self->os_selection, GTK_INVALID_LIST_POSITION);
}

/* What the media row says of the OS: found on the media, picked instead, or unknown. */
static void
update_media_row (GhCreateWizard *self)
{
  g_autofree char *subtitle = NULL;

  if (self->media == NULL)
    return;

  if (self->os == NULL)
    subtitle = g_strdup (_("Unknown operating system: pick it below, or go on with a generic machine"));
  else if (g_strcmp0 (osinfo_entity_get_id (OSINFO_ENTITY (self->os)), self->media->os_id) != 0)
    /* Translators: an OS name the user picked */
    subtitle = g_strdup_printf (_("%s, as chosen below"), os_display_name (self->os));
  else if (self->media->live)
    /* Translators: an OS name, found on the install media */
    subtitle = g_strdup_printf (_("%s (live system)"), os_display_name (self->os));
  else
    subtitle = g_strdup (os_display_name (self->os));
  adw_action_row_set_subtitle (self->media_row, subtitle);
}

static void
set_os (GhCreateWizard *self,
        OsinfoOs       *os)
{
  if (self->os == os)
    return;

  g_set_object (&self->os, os);
  gh_os_requirements_for_os (os, &self->requirements);
  g_clear_object (&self->plan);
  update_media_row (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OS_ID]);
}

static void
os_selection_changed_cb (GtkSingleSelection *selection,
                         GParamSpec         *pspec,
                         GhCreateWizard     *self)
{
  OsinfoOs *os = gtk_single_selection_get_selected_item (selection);

  if (os != NULL)
    set_os (self, os);
}

static void
os_search_changed_cb (GtkSearchEntry *entry,
                      GhCreateWizard *self)
{
  gtk_filter_changed (GTK_FILTER (self->os_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
os_item_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), details);
  gtk_list_item_set_child (item, box);
}

static void
os_item_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  OsinfoOs *os = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *details = gtk_widget_get_next_sibling (name);
  const char *vendor = osinfo_product_get_vendor (OSINFO_PRODUCT (os));
  const char *released = osinfo_product_get_release_date_string (OSINFO_PRODUCT (os));
  g_autoptr(GString) text = g_string_new (vendor != NULL ? vendor : "");

  if (released != NULL && strlen (released) >= 4)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      /* The year only. */
      g_string_append_len (text, released, 4);
    }
  if (gh_os_db_os_is_eol (os))
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, _("no longer supported"));
    }

  gtk_label_set_text (GTK_LABEL (name), os_display_name (os));
  gtk_label_set_text (GTK_LABEL (details), text->str);
}

static void
enter_os (GhCreateWizard *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->media_list), self->source == SOURCE_MEDIA);

  switch (self->source)
    {
    case SOURCE_MEDIA:
      {
        g_autofree char *basename = g_path_get_basename (self->source_path);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->media_row), basename);
        gtk_label_set_text (self->os_hint_label,
                            self->media->os_id != NULL
                            ? _("This is what the media holds. Pick another system below if it is wrong.")
                            : _("Greenhouse cannot tell which system this media holds. Pick it below, so that the machine gets what it needs."));
      }
      break;

    case SOURCE_IMAGE:
      gtk_label_set_text (self->os_hint_label,
                          _("Which operating system is on this disk image? The machine is made for it."));
      break;

    case SOURCE_BLANK:
    case SOURCE_NONE:
    default:
      gtk_label_set_text (self->os_hint_label,
                          _("The machine is made for the system you pick: its resources, firmware and devices."));
      break;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->os_search), "");
  gtk_filter_changed (GTK_FILTER (self->os_filter), GTK_FILTER_CHANGE_DIFFERENT);
  select_os_in_list (self);
  show_page (self, "os");
  gtk_widget_grab_focus (GTK_WIDGET (self->os_search));
}

/* ---- the source --------------------------------------------------------------------- */

static void
identify_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GhCreateWizard) self = user_data;
  g_autoptr(GhMediaInfo) media = NULL;
  g_autoptr(GError) error = NULL;

  media = gh_os_db_identify_media_finish (GH_OS_DB (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->identify_spinner);
  if (media == NULL)
    {
      set_error (self, self->source_error_label, error->message);
      self->source = SOURCE_NONE;
      g_clear_pointer (&self->source_path, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE_PATH]);
      show_page (self, "source");
      return;
    }

  g_clear_pointer (&self->media, gh_media_info_free);
  self->media = g_steal_pointer (&media);
  self->express_offered = FALSE;
  set_os (self, self->media->os_id != NULL ? gh_os_db_lookup_os (self->os_db, self->media->os_id) : NULL);
  /* New media with the same OS as before: set_os() had nothing to change. */
  update_media_row (self);
  enter_os (self);
}

static void
use_source (GhCreateWizard *self,
            Source          source,
            const char     *path)
{
  set_error (self, self->source_error_label, NULL);
  set_error (self, self->review_error_label, NULL);
  self->source = source;
  g_free (self->source_path);
  self->source_path = g_strdup (path);
  g_clear_pointer (&self->media, gh_media_info_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE_PATH]);

  if (source == SOURCE_MEDIA)
    {
      g_autofree char *basename = g_path_get_basename (path);
      /* The status page's description is markup: the name is escaped for it.
       * Translators: a file name */
      g_autofree char *description = g_markup_printf_escaped (_("Reading “%s”"), basename);

      adw_status_page_set_description (self->identify_page, description);
      gtk_spinner_start (self->identify_spinner);
      show_page (self, "identify");
      gh_os_db_identify_media_async (self->os_db, path, self->cancellable, identify_cb,
                                     g_object_ref (self));
      return;
    }

  set_os (self, NULL);
  enter_os (self);
}

static gboolean
looks_like_disk_image (const char *path)
{
  return g_str_has_suffix (path, ".qcow2") || g_str_has_suffix (path, ".img") ||
         g_str_has_suffix (path, ".raw");
}

static void
use_media_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  use_source (GH_CREATE_WIZARD (widget), SOURCE_MEDIA, g_variant_get_string (parameter, NULL));
}

static void
use_image_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);
  const char *path = g_variant_get_string (parameter, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *basename = g_path_get_basename (path);
      /* Translators: a file name */
      g_autofree char *message = g_strdup_printf (_("Cannot read “%s”: it is not a file."), basename);

      set_error (self, self->source_error_label, message);
      return;
    }
  use_source (self, SOURCE_IMAGE, path);
}

static void
choose_os_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);

  use_source (self, SOURCE_BLANK, NULL);
}

static void
file_chooser_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          GhCreateWizard  *self)
{
  gboolean image = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "gh-image"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self), image ? "wizard.use-image" : "wizard.use-media",
                                    "s", path);
    }
  g_object_unref (dialog);
}

static void
choose_file (GhCreateWizard *self,
             gboolean        image)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (image ? _("Choose a Disk Image") : _("Choose Install Media"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  if (image)
    {
      gtk_file_filter_set_name (filter, _("Disk images"));
      gtk_file_filter_add_suffix (filter, "qcow2");
      gtk_file_filter_add_suffix (filter, "img");
      gtk_file_filter_add_suffix (filter, "raw");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("ISO images"));
      gtk_file_filter_add_mime_type (filter, "application/x-cd-image");
      gtk_file_filter_add_suffix (filter, "iso");
    }
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  g_object_unref (filter);
  g_object_unref (all);

  g_object_set_data (G_OBJECT (dialog), "gh-image", GINT_TO_POINTER (image));
  g_signal_connect_object (dialog, "response", G_CALLBACK (file_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
choose_media_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_file (GH_CREATE_WIZARD (widget), FALSE);
}

static void
choose_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose_file (GH_CREATE_WIZARD (widget), TRUE);
}

static gboolean
drop_cb (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         GhCreateWizard *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path == NULL || self->creating || page_is (self, "progress"))
    return FALSE;

  gtk_widget_activate_action (GTK_WIDGET (self),
                              looks_like_disk_image (path) ? "wizard.use-image" : "wizard.use-media",
                              "s", path);
  return TRUE;
}

/* ---- resources ---------------------------------------------------------------------- */

static void
update_memory_subtitle (GhCreateWizard *self)
{
  const GhCreateHost *host = gh_machine_creator_get_host (self->creator);
  g_autofree char *minimum = format_gib (self->requirements.minimum_memory);
  g_autofree char *total = format_gib (host->host_memory);
  g_autofree char *free_memory = format_gib (host->free_memory);
  g_autofree char *subtitle = NULL;

  if (self->requirements.minimum_memory > 0)
    /* Translators: sizes, like "At least 2.0 GiB · 15.5 GiB on this computer, 9.1 GiB free" */
    subtitle = g_strdup_printf (_("At least %s · %s on this computer, %s free"),
                                minimum, total, free_memory);
  else
    subtitle = g_strdup_printf (_("%s on this computer, %s free"), total, free_memory);
  adw_action_row_set_subtitle (self->memory_row, subtitle);
}

static void
enter_resources (GhCreateWizard *self)
{
  const GhCreateHost *host = gh_machine_creator_get_host (self->creator);
  const GhHostDomainCaps *caps = gh_host_inventory_get_domain_caps (self->host);
  const GhOsRequirements *req = &self->requirements;
  double host_gib = (double) host->host_memory / GIB;
  double memory_gib = (double) req->recommended_memory / GIB;
  double disk_limit = MAX ((double) host->pool_available / GIB, 1.0);
  guint cpus = MIN (MAX (req->recommended_cpus, 1), MAX (host->host_cpus, 1));
  g_autofree char *description = NULL;
  g_autofree char *cpus_subtitle = NULL;
  g_autofree char *disk_subtitle = NULL;
  g_autofree char *available = format_gib (host->pool_available);
  gboolean uefi_host = gh_domain_caps_offers_uefi (caps);

  /* A group's description is markup.
   * Translators: an OS name */
  description = g_markup_printf_escaped (_("Recommended for %s"), os_display_name (self->os));
  adw_preferences_group_set_description (self->resources_group, description);

  /* Never more than the host has, never less than the OS's minimum where the host can. */
  gtk_adjustment_set_upper (self->memory_adjustment, MAX (host_gib, 0.5));
  memory_gib = MIN (memory_gib, MAX ((double) host->free_memory / GIB, 0.5));
  memory_gib = MAX (memory_gib, (double) req->minimum_memory / GIB);
  gtk_adjustment_set_value (self->memory_adjustment, MIN (memory_gib, host_gib));
  update_memory_subtitle (self);

  gtk_adjustment_set_upper (self->cpus_adjustment, MAX (host->host_cpus, 1));
  gtk_adjustment_set_value (self->cpus_adjustment, cpus);
  if (req->minimum_cpus > 0)
    /* Translators: numbers of processors */
    cpus_subtitle = g_strdup_printf (_("At least %u · %u on this computer"),
                                     req->minimum_cpus, host->host_cpus);
  else
    cpus_subtitle = g_strdup_printf (_("%u on this computer"), host->host_cpus);
  adw_action_row_set_subtitle (self->cpus_row, cpus_subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->disk_row), self->source != SOURCE_IMAGE);
  gtk_adjustment_set_upper (self->disk_adjustment, floor (disk_limit));
  gtk_adjustment_set_value (self->disk_adjustment,
                            MIN ((double) MAX (req->recommended_storage, GIB) / GIB, floor (disk_limit)));
  if (req->minimum_storage > 0)
    {
      g_autofree char *minimum = format_gib (req->minimum_storage);

      /* Translators: sizes; the disk grows as the guest writes */
      disk_subtitle = g_strdup_printf (_("At least %s · %s free · grows as it fills"), minimum, available);
    }
  else
    disk_subtitle = g_strdup_printf (_("%s free · grows as it fills"), available);
  adw_action_row_set_subtitle (self->disk_row, disk_subtitle);

  /* UEFI when the OS can boot with it and the host has the firmware. */
  adw_combo_row_set_selected (self->firmware_row,
                              req->uefi_supported && (uefi_host || !req->bios_supported) ? 1 : 0);
  if (!req->bios_supported && !uefi_host)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("This system needs UEFI, and this host has no UEFI firmware (OVMF)"));
  else if (req->uefi_supported && !uefi_host)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("UEFI would need the host’s UEFI firmware (OVMF)"));
  else if (!req->uefi_supported)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("This system boots with BIOS"));
  else if (req->needs_tpm && !gh_domain_caps_offers_tpm (caps))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("This system wants a TPM, which this host cannot emulate (swtpm)"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->firmware_row),
                                 _("What the system supports and the host has"));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISK_SIZE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRMWARE]);
  show_page (self, "resources");
}

/* ---- display ------------------------------------------------------------------------ */

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
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_PATH]);
}

static void
clear_display_rows (GhCreateWizard *self)
{
  for (guint i = 0; i < self->display_rows->len; i++)
    adw_preferences_group_remove (self->display_group, g_ptr_array_index (self->display_rows, i));
  g_ptr_array_set_size (self->display_rows, 0);
}

static void
enter_display (GhCreateWizard *self)
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
                                 os_display_name (self->os));
  adw_preferences_group_set_description (self->display_group, description);

  clear_display_rows (self);
  for (guint i = 0; i < gh_graphics_plan_get_n_paths (self->plan); i++)
    {
      const GhGraphicsPath *path = gh_graphics_plan_get_path (self->plan, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *title = NULL;

      if (path->device != NULL)
        title = g_strdup_printf ("%s: %s", gh_graphics_path_kind_get_title (path->kind), path->device);
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
  if (chosen_display (self) == NULL || !chosen_display (self)->feasible)
    {
      self->display_kind = recommended != NULL ? recommended->kind : GH_GRAPHICS_PATH_VGA;
      g_free (self->display_device);
      self->display_device = recommended != NULL ? g_strdup (recommended->device) : NULL;
    }
  for (guint i = 0; i < self->display_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->display_rows, i);
      const GhGraphicsPath *path = gh_graphics_plan_get_path (self->plan, i);

      if (path == chosen_display (self))
        gtk_widget_activate (row);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_PATH]);
  show_page (self, "display");
}

/* ---- review ------------------------------------------------------------------------- */

static void
update_xml (GhCreateWizard *self)
{
  g_autofree char *xml = gh_create_wizard_dup_xml (self);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->xml_view), xml != NULL ? xml : "", -1);
}

static void
name_changed_cb (GtkEditable    *editable,
                 GhCreateWizard *self)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  if (page_is (self, "review"))
    {
      update_xml (self);
      update_buttons (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
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

static void
enter_review (GhCreateWizard *self)
{
  const GhGraphicsPath *display = chosen_display (self);
  g_autofree char *memory = format_gib (chosen_memory (self));
  g_autofree char *resources = NULL;
  g_autofree char *source = NULL;
  g_autofree char *connection = gh_connection_dup_display_name (self->connection);

  if (!self->name_edited)
    {
      g_autofree char *name = default_name (self);

      self->setting_name = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
      self->setting_name = FALSE;
    }

  adw_action_row_set_subtitle (self->summary_os_row, os_display_name (self->os));
  switch (self->source)
    {
    case SOURCE_MEDIA:
      {
        g_autofree char *basename = g_path_get_basename (self->source_path);
        g_autofree char *disk = format_gib (chosen_disk_size (self));

        /* Translators: an ISO file name, then a size */
        source = g_strdup_printf (_("The install media “%s”, with a new %s disk"), basename, disk);
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
        g_autofree char *disk = format_gib (chosen_disk_size (self));

        /* Translators: a size */
        source = g_strdup_printf (_("An empty %s disk"), disk);
      }
      break;
    }
  adw_action_row_set_subtitle (self->summary_source_row, source);

  /* Translators: memory, processors, then BIOS or UEFI: "4.0 GiB · 2 processors · UEFI" */
  resources = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u processor · %s",
                                            "%s · %u processors · %s",
                                            (guint) gtk_adjustment_get_value (self->cpus_adjustment)),
                               memory, (guint) gtk_adjustment_get_value (self->cpus_adjustment),
                               chosen_firmware (self) == GH_FIRMWARE_UEFI ? _("UEFI") : _("BIOS"));
  adw_action_row_set_subtitle (self->summary_resources_row, resources);
  adw_action_row_set_subtitle (self->summary_display_row,
                               display != NULL ? gh_graphics_path_kind_get_title (display->kind) : "");
  adw_action_row_set_subtitle (self->summary_connection_row, connection);

  update_express_row (self);
  update_xml (self);
  show_page (self, "review");
}

/* ---- creating ----------------------------------------------------------------------- */

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

static void
open_console_for (GhCreateWizard *self,
                  GhMachine      *machine)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL && GH_IS_APPLICATION (app))
    gh_application_open_console (GH_APPLICATION (app), machine);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
machines_changed_cb (GListModel     *machines,
                     guint           position,
                     guint           removed,
                     guint           added,
                     GhCreateWizard *self)
{
  GhMachine *machine = gh_machine_list_lookup_by_uuid (GH_MACHINE_LIST (machines), self->created_uuid);

  if (machine == NULL)
    return;
  g_signal_handlers_disconnect_by_func (machines, machines_changed_cb, self);
  open_console_for (self, machine);
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
      set_error (self, self->review_error_label, error->message);
      show_page (self, "review");
      return;
    }

  self->created_uuid = g_steal_pointer (&uuid);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_UUID]);

  /* The machine reaches the list through the connection's events. */
  machines = gh_connection_get_machines (self->connection);
  machine = gh_machine_list_lookup_by_uuid (machines, self->created_uuid);
  if (machine != NULL)
    open_console_for (self, machine);
  else
    g_signal_connect_object (machines, "items-changed", G_CALLBACK (machines_changed_cb), self, 0);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);
  g_autoptr(GhDomainSpec) spec = build_spec (self);
  g_autofree char *title = NULL;

  set_error (self, self->review_error_label, NULL);
  self->creating = TRUE;
  self->create_cancellable = g_cancellable_new ();

  /* Translators: a machine name */
  title = g_strdup_printf (_("Creating “%s”"), spec->name);
  adw_status_page_set_title (self->progress_page, title);
  fill_progress (self, spec->express != NULL);
  show_page (self, "progress");

  gh_machine_creator_create_async (self->creator, spec, chosen_disk_size (self),
                                   self->source == SOURCE_IMAGE ? self->source_path : NULL,
                                   TRUE, self->create_cancellable, create_cb, g_object_ref (self));
}

/* ---- navigation --------------------------------------------------------------------- */

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);

  if (page_is (self, "os"))
    enter_resources (self);
  else if (page_is (self, "resources"))
    enter_display (self);
  else if (page_is (self, "display"))
    enter_review (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (widget);

  if (page_is (self, "identify"))
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      gtk_spinner_stop (self->identify_spinner);
      show_page (self, "source");
    }
  else if (page_is (self, "os"))
    show_page (self, "source");
  else if (page_is (self, "resources"))
    show_page (self, "os");
  else if (page_is (self, "display"))
    show_page (self, "resources");
  else if (page_is (self, "review"))
    show_page (self, "display");
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
      update_buttons (self);
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
        set_error (self, self->source_error_label, error->message);
      return;
    }
  self->prepared = TRUE;
  update_buttons (self);
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
  update_buttons (self);
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
    set_error (self, self->source_error_label, error->message);
  update_buttons (self);
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
  g_signal_connect_object (self->creator, "notify::step", G_CALLBACK (step_changed_cb), self, 0);

  gh_machine_creator_prepare_async (self->creator, self->cancellable, prepare_cb, g_object_ref (self));
  gh_host_inventory_ensure_async (self->host, self->cancellable, host_loaded_cb, g_object_ref (self));
  if (!gh_os_db_get_loaded (self->os_db))
    gh_os_db_load_async (self->os_db, self->cancellable, os_db_loaded_cb, g_object_ref (self));

  show_page (self, "source");
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
gh_create_wizard_dispose (GObject *object)
{
  GhCreateWizard *self = GH_CREATE_WIZARD (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (gh_connection_get_machines (self->connection),
                                          machines_changed_cb, self);

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
      g_value_set_string (value, self->os != NULL ? osinfo_entity_get_id (OSINFO_ENTITY (self->os)) : NULL);
      break;
    case PROP_MEMORY:
      g_value_set_uint64 (value, chosen_memory (self));
      break;
    case PROP_VCPUS:
      g_value_set_uint (value, (guint) gtk_adjustment_get_value (self->cpus_adjustment));
      break;
    case PROP_DISK_SIZE:
      g_value_set_uint64 (value, chosen_disk_size (self));
      break;
    case PROP_FIRMWARE:
      g_value_set_enum (value, chosen_firmware (self));
      break;
    case PROP_DISPLAY_PATH:
      g_value_set_string (value, chosen_display (self) != NULL
                                 ? gh_graphics_path_kind_to_string (self->display_kind) : NULL);
      break;
    case PROP_NAME:
      g_value_set_string (value, name_for_machine (self));
      break;
    case PROP_CREATED_UUID:
      g_value_set_string (value, self->created_uuid);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_EXPRESS:
      g_value_set_boolean (value, express_enabled (self));
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
select_display_kind (GhCreateWizard *self,
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
      set_os (self, find_os (self, g_value_get_string (value)));
      select_os_in_list (self);
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
      adw_combo_row_set_selected (self->firmware_row, g_value_get_enum (value) == GH_FIRMWARE_UEFI ? 1 : 0);
      break;
    case PROP_DISPLAY_PATH:
      select_display_kind (self, g_value_get_string (value));
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

/* The switch and the user name change the XML (the install's kernel) and what Create
 * needs; the password changes only the latter. */
static void
express_changed_cb (GhCreateWizard *self)
{
  if (page_is (self, "review"))
    {
      update_xml (self);
      update_buttons (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPRESS_USER]);
}

static void
express_password_changed_cb (GhCreateWizard *self)
{
  if (page_is (self, "review"))
    update_buttons (self);
}

static void
resources_changed_cb (GhCreateWizard *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY]);
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

  gtk_widget_class_install_action (widget_class, "wizard.choose-media", NULL, choose_media_action);
  gtk_widget_class_install_action (widget_class, "wizard.choose-image", NULL, choose_image_action);
  gtk_widget_class_install_action (widget_class, "wizard.choose-os", NULL, choose_os_action);
  gtk_widget_class_install_action (widget_class, "wizard.use-media", "s", use_media_action);
  gtk_widget_class_install_action (widget_class, "wizard.use-image", "s", use_image_action);
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next", NULL);
}

static void
gh_create_wizard_init (GhCreateWizard *self)
{
  GtkSignalListItemFactory *factory;
  GtkFilterListModel *filtered;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->display_rows = g_ptr_array_new ();
  self->progress_rows = g_ptr_array_new ();
  self->os_db = g_object_ref (gh_os_db_get_default ());
  gh_os_requirements_for_os (NULL, &self->requirements);

  /* The OS list: every OS, newest first; end-of-life ones only when searched for. */
  self->os_filter = gtk_custom_filter_new (os_filter_func, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (gh_os_db_get_oses (self->os_db)),
                                        g_object_ref (GTK_FILTER (self->os_filter)));
  self->os_selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->os_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->os_selection, TRUE);
  gtk_single_selection_set_selected (self->os_selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (self->os_selection, "notify::selected", G_CALLBACK (os_selection_changed_cb), self);
  factory = GTK_SIGNAL_LIST_ITEM_FACTORY (gtk_signal_list_item_factory_new ());
  g_signal_connect (factory, "setup", G_CALLBACK (os_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (os_item_bind_cb), NULL);
  gtk_list_view_set_factory (self->os_view, GTK_LIST_ITEM_FACTORY (factory));
  gtk_list_view_set_model (self->os_view, GTK_SELECTION_MODEL (g_object_ref (self->os_selection)));
  g_object_unref (factory);
  g_signal_connect (self->os_search, "search-changed", G_CALLBACK (os_search_changed_cb), self);

  g_signal_connect (self->name_row, "changed", G_CALLBACK (name_changed_cb), self);
  self->express_defaults = gh_express_config_new_for_user ();
  /* Running as root, there is no name to offer for an ordinary account. */
  if (g_strcmp0 (self->express_defaults->user_login, "root") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->express_user_row), self->express_defaults->user_login);
  g_signal_connect_swapped (self->express_row, "notify::enable-expansion",
                            G_CALLBACK (express_changed_cb), self);
  g_signal_connect_swapped (self->express_user_row, "changed", G_CALLBACK (express_changed_cb), self);
  g_signal_connect_swapped (self->express_password_row, "changed",
                            G_CALLBACK (express_password_changed_cb), self);
  g_signal_connect_swapped (self->memory_adjustment, "value-changed",
                            G_CALLBACK (resources_changed_cb), self);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
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

  spec = build_spec (self);
  xml = gh_machine_creator_dup_xml (self->creator, spec, &error);
  if (xml == NULL)
    return g_strdup (error->message);
  return xml;
}
