/* gh-create-wizard-private.h: what GhCreateWizard's part files share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-create-wizard.h"
#include "gh-domain-builder.h"
#include "gh-express-install.h"
#include "gh-machine-creator.h"

G_BEGIN_DECLS

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define MIB (G_GUINT64_CONSTANT (1) << 20)

typedef enum
{
  SOURCE_NONE,
  SOURCE_MEDIA,   /* an install ISO: identified, then attached as the CD-ROM */
  SOURCE_IMAGE,   /* a disk image, copied into the pool */
  SOURCE_BLANK,   /* an OS from the list and an empty disk */
} GhCreateSource;

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

  GhCreateSource      source;
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

/* The part files notify the wizard's properties through _gh_create_wizard_notify (). */
typedef enum {
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
} GhCreateWizardProp;

/* gh-create-wizard.c: the pages and the buttons that move between them. */
void                  _gh_create_wizard_notify               (GhCreateWizard     *self,
                                                              GhCreateWizardProp  prop);
void                  _gh_create_wizard_emit_machine_created (GhCreateWizard     *self,
                                                              GhMachine          *machine);
gboolean              _gh_create_wizard_page_is              (GhCreateWizard     *self,
                                                              const char         *name);
void                  _gh_create_wizard_show_page            (GhCreateWizard     *self,
                                                              const char         *name);
/* Sets the error property, and shows the message in label unless label is NULL; a NULL
 * message clears both. */
void                  _gh_create_wizard_set_error            (GhCreateWizard     *self,
                                                              GtkLabel           *label,
                                                              const char         *message);
/* What Back, Next and Create can do on the page in sight, and why the name or the Express
 * Install answers are refused on the review page. */
void                  _gh_create_wizard_update_buttons       (GhCreateWizard     *self);

/* gh-create-wizard-source.c: install media, a disk image or an OS from the list, chosen
 * with the "wizard.choose-*" and "wizard.use-*" actions or dropped on the window; the
 * media is identified on the "identify" page. */
void                  _gh_create_wizard_source_class_init    (GtkWidgetClass     *widget_class);
void                  _gh_create_wizard_source_init          (GhCreateWizard     *self);

/* gh-create-wizard-os.c: the "os" page. */
void                  _gh_create_wizard_os_init              (GhCreateWizard     *self);
const char           *_gh_create_wizard_os_name              (OsinfoOs           *os);
void                  _gh_create_wizard_set_os               (GhCreateWizard     *self,
                                                              OsinfoOs           *os);
void                  _gh_create_wizard_select_os_in_list    (GhCreateWizard     *self);
void                  _gh_create_wizard_update_media_row     (GhCreateWizard     *self);
void                  _gh_create_wizard_enter_os             (GhCreateWizard     *self);

/* gh-create-wizard-resources.c: the "resources" page: memory, processors, disk, firmware. */
void                  _gh_create_wizard_resources_init       (GhCreateWizard     *self);
char                 *_gh_create_wizard_format_gib           (guint64             bytes);
GhFirmware            _gh_create_wizard_chosen_firmware      (GhCreateWizard     *self);
guint64               _gh_create_wizard_chosen_memory        (GhCreateWizard     *self);
guint64               _gh_create_wizard_chosen_disk_size     (GhCreateWizard     *self);
void                  _gh_create_wizard_enter_resources      (GhCreateWizard     *self);

/* gh-create-wizard-review.c: the "display" page (the 3D path), the "review" page (name,
 * Express Install, summary, XML) and the spec that all the pages' choices make. */
void                  _gh_create_wizard_review_init          (GhCreateWizard     *self);
const GhGraphicsPath *_gh_create_wizard_chosen_display       (GhCreateWizard     *self);
void                  _gh_create_wizard_select_display_kind  (GhCreateWizard     *self,
                                                              const char         *kind);
void                  _gh_create_wizard_enter_display        (GhCreateWizard     *self);
const char           *_gh_create_wizard_name_for_machine     (GhCreateWizard     *self);
gboolean              _gh_create_wizard_name_is_valid        (GhCreateWizard     *self,
                                                              char              **problem);
gboolean              _gh_create_wizard_express_enabled      (GhCreateWizard     *self);
gboolean              _gh_create_wizard_express_is_valid     (GhCreateWizard     *self,
                                                              char              **problem);
GhDomainSpec         *_gh_create_wizard_build_spec           (GhCreateWizard     *self);
void                  _gh_create_wizard_enter_review         (GhCreateWizard     *self);

/* gh-create-wizard-progress.c: the "wizard.create" action, the "progress" page, and
 * "machine-created" once the new machine is in its connection's list. */
void                  _gh_create_wizard_progress_class_init  (GtkWidgetClass     *widget_class);
/* Follows the creator's steps on the progress page; the creator must exist. */
void                  _gh_create_wizard_progress_constructed (GhCreateWizard     *self);
/* Stops waiting for the new machine to reach the connection's list. */
void                  _gh_create_wizard_progress_dispose     (GhCreateWizard     *self);

G_END_DECLS
