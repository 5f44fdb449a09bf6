/* gh-machine-settings-private.h: what GhMachineSettings's page files share
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gh-machine-creator.h"
#include "gh-machine-settings.h"

G_BEGIN_DECLS

#define GIB (G_GUINT64_CONSTANT (1) << 30)

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

/* gh-machine-settings.c: the rows of the pages, the edits and the other changes. */
void       _gh_machine_settings_group_clear         (AdwPreferencesGroup *group);
GtkWidget *_gh_machine_settings_group_add_row       (AdwPreferencesGroup *group,
                                                     const char          *title,
                                                     const char          *subtitle);
GtkWidget *_gh_machine_settings_row_add_button      (GtkWidget           *row,
                                                     const char          *label,
                                                     const char          *action,
                                                     GVariant            *target,
                                                     const char          *style);
void       _gh_machine_settings_busy_changed        (GhMachineSettings   *self,
                                                     int                  delta);
Edit      *_gh_machine_settings_edit_new            (EditKind             kind);
/* Takes @edit. */
void       _gh_machine_settings_start_edit          (GhMachineSettings   *self,
                                                     Edit                *edit);
/* Ends the core calls that are not XML edits; @user_data is a reference to the window. */
void       _gh_machine_settings_next_boot_change_cb (GObject             *object,
                                                     GAsyncResult        *result,
                                                     gpointer             user_data);
gboolean   _gh_machine_settings_has_hostdev         (GhMachineSettings   *self,
                                                     GhDomainHostdevKind  kind,
                                                     const char          *address_or_uuid,
                                                     guint                vendor_id,
                                                     guint                product_id);

/* One file per page: each installs its page's actions and fills the page from the
 * definition as last read. */
void _gh_machine_settings_general_class_init   (GtkWidgetClass    *widget_class);
void _gh_machine_settings_general_init         (GhMachineSettings *self);
void _gh_machine_settings_fill_general         (GhMachineSettings *self);

void _gh_machine_settings_resources_class_init (GtkWidgetClass    *widget_class);
void _gh_machine_settings_resources_init       (GhMachineSettings *self);
void _gh_machine_settings_fill_resources       (GhMachineSettings *self);
/* Applies memory and processors that still wait out their delay. */
void _gh_machine_settings_flush_resources      (GhMachineSettings *self);

void _gh_machine_settings_boot_class_init      (GtkWidgetClass    *widget_class);
void _gh_machine_settings_fill_boot            (GhMachineSettings *self);

void _gh_machine_settings_storage_class_init   (GtkWidgetClass    *widget_class);
void _gh_machine_settings_fill_storage         (GhMachineSettings *self);

void _gh_machine_settings_display_class_init   (GtkWidgetClass    *widget_class);
void _gh_machine_settings_fill_display         (GhMachineSettings *self);

void _gh_machine_settings_gpu_class_init       (GtkWidgetClass    *widget_class);
void _gh_machine_settings_fill_gpu             (GhMachineSettings *self);

void _gh_machine_settings_devices_class_init   (GtkWidgetClass    *widget_class);
void _gh_machine_settings_fill_devices         (GhMachineSettings *self);

G_END_DECLS
