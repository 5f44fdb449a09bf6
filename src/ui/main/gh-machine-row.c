/* gh-machine-row.c
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "gh-machine-actions.h"
#include "gh-machine-row.h"
#include "gh-ui-util.h"

struct _GhMachineRow
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkWidget        *machine_icon;  /* the children: bound so that dispose_template unparents */
  GtkWidget        *header;        /* them */
  GtkLabel         *title_label;
  GtkLabel         *separator_label;
  GtkLabel         *subtitle_label;
  GtkBox           *state_box;
  GtkImage         *state_image;
  GtkLabel         *state_label;
  GtkStack         *primary_stack;
  GtkButton        *start_button;
  GtkButton        *open_button;
  GtkMenuButton    *menu_button;
  GMenuModel       *machine_menu;

  /* Owned references */
  GhMachine        *machine;   /* NULL while the window's list keeps the row for later */
  GhMachineActions *actions;   /* "machine.start"…, inserted into the row */
  GhOsNames        *os_names;  /* not the whole database: the list shows only names */

  /* Borrowed references */
  GhMachineList    *machines;  /* the list @machine is in: says where the row sits in its card */
};

G_DEFINE_FINAL_TYPE (GhMachineRow, gh_machine_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MACHINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Below this width a row leaves out its icon, the same for every machine, so that the name
 * keeps room on a phone-sized window. */
#define ICON_MIN_ROW_WIDTH 400

static const char * const state_css_classes[] = {
  "unknown", "shut-off", "running", "paused", "suspended", "crashed",
};

static void
gh_machine_row_update_title (GhMachineRow *self)
{
  const char *name = gh_machine_get_display_name (self->machine);
  g_autofree char *menu_label = NULL;
  g_autofree char *open_label = NULL;

  gtk_label_set_label (self->title_label, name);
  /* A long name is cut short in the row; the tooltip shows it whole. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), name);

  /* Translators: the accessible name of a machine's menu button; %s is the machine's name */
  menu_label = g_strdup_printf (_("Actions for “%s”"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);

  /* Translators: the accessible name of a machine's Open button; %s is the machine's name */
  open_label = g_strdup_printf (_("Open the console of “%s”"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, open_label,
                                  -1);
}

static void
gh_machine_row_update_os (GhMachineRow *self)
{
  const char *os_id;
  const char *os_name = NULL;

  if (self->machine == NULL)
    return;

  os_id = gh_machine_get_os_id (self->machine);
  if (os_id != NULL)
    os_name = gh_os_names_lookup (self->os_names, os_id);

  gtk_label_set_label (self->subtitle_label, os_name != NULL ? os_name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), os_name != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->separator_label), os_name != NULL);
}

/* The lifecycle actions and Delete follow the machine by themselves (GhMachineActions). */
static void
gh_machine_row_update_actions (GhMachineRow *self)
{
  GhMachineState state = gh_machine_get_state (self->machine);
  gboolean can_start;

  /* Settings are read from and written to the definition, which an unreachable daemon
   * cannot give. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "machine.settings",
                                 state != GH_MACHINE_STATE_UNKNOWN
                                 && gh_machine_get_persistent (self->machine));

  /* While Start runs the button stays, insensitive, until the new state arrives; Open
   * takes its place once the machine runs (or cannot start). */
  can_start = gh_machine_can_perform (self->machine, GH_MACHINE_ACTION_START);
  gtk_stack_set_visible_child_name (self->primary_stack, can_start ? "start" : "open");
}

static void
gh_machine_row_update_state (GhMachineRow *self)
{
  GhMachineState state = gh_machine_get_state (self->machine);

  gtk_image_set_from_icon_name (self->state_image, gh_machine_state_get_icon_name (state));
  gtk_label_set_label (self->state_label, gh_machine_get_state_text (self->machine));

  for (guint i = 0; i < G_N_ELEMENTS (state_css_classes); i++)
    {
      if (i == (guint)state)
        gtk_widget_add_css_class (GTK_WIDGET (self->state_box), state_css_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->state_box), state_css_classes[i]);
    }

  gh_machine_row_update_actions (self);
}

static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

/* Each connection's rows make one card, which the rows draw themselves (style.css): the
 * first rounds the top corners, the last the bottom ones. Rows come and go around a row
 * without rebinding it, so it looks again whenever its list changes. */
static void
gh_machine_row_update_place (GhMachineRow *self)
{
  guint n = 0;
  gboolean first = TRUE;
  gboolean last = TRUE;

  if (self->machines != NULL)
    n = g_list_model_get_n_items (G_LIST_MODEL (self->machines));

  if (n > 0)
    {
      g_autoptr(GhMachine) first_machine = g_list_model_get_item (G_LIST_MODEL (self->machines), 0);
      g_autoptr(GhMachine) last_machine = g_list_model_get_item (G_LIST_MODEL (self->machines),
                                                                 n - 1);

      first = first_machine == self->machine;
      last = last_machine == self->machine;
    }

  set_css_class (GTK_WIDGET (self), "first", first);
  set_css_class (GTK_WIDGET (self), "last", last);
}

static void
machine_open_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GhMachineRow *self = GH_MACHINE_ROW (widget);

  g_return_if_fail (self->machine != NULL);

  gh_widget_activate_machine_action (widget, "app.open-console", self->machine);
}

static void
machine_settings_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GhMachineRow *self = GH_MACHINE_ROW (widget);

  g_return_if_fail (self->machine != NULL);

  gh_widget_activate_machine_action (widget, "app.open-settings", self->machine);
}

/* Enter on a row does what its primary button does: Start for a machine that is off,
 * Open otherwise; nothing while a Start is on its way. */
static gboolean
gh_machine_row_activate_primary (GtkWidget *widget,
                                 GVariant  *args,
                                 gpointer   user_data)
{
  GhMachineRow *self = GH_MACHINE_ROW (widget);
  GtkWidget *primary = gtk_stack_get_visible_child (self->primary_stack);

  if (self->machine == NULL || primary == NULL || !gtk_widget_is_sensitive (primary))
    return FALSE;

  gtk_widget_activate (primary);

  return TRUE;
}

/* A click on the row, outside its buttons (which take their own clicks), opens the
 * console whatever the machine's state: besides the menu, it is the way to the console of
 * a machine that is off, whose row offers Start instead of Open. */
static void
on_primary_click_released (GtkGestureClick *gesture,
                           int              n_press,
                           double           x,
                           double           y,
                           GhMachineRow    *self)
{
  if (self->machine == NULL || n_press != 1 ||
      !gtk_widget_contains (GTK_WIDGET (self), x, y))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_activate_action (GTK_WIDGET (self), "machine.open", NULL);
}

static gboolean
gh_machine_row_popup_menu (GtkWidget *widget,
                           GVariant  *args,
                           gpointer   user_data)
{
  GhMachineRow *self = GH_MACHINE_ROW (widget);

  if (self->machine == NULL)
    return FALSE;

  gtk_menu_button_popup (self->menu_button);

  return TRUE;
}

static void
on_secondary_click_pressed (GtkGestureClick *gesture,
                            int              n_press,
                            double           x,
                            double           y,
                            GhMachineRow    *self)
{
  if (gh_machine_row_popup_menu (GTK_WIDGET (self), NULL, NULL))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
gh_machine_row_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  GhMachineRow *self = GH_MACHINE_ROW (widget);
  int icon_min;
  int icon_nat;
  int header_min;
  int header_nat;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->machine_icon, orientation, -1, &icon_min, &icon_nat, NULL, NULL);
      gtk_widget_measure (self->header, orientation, for_size, &header_min, &header_nat,
                          NULL, NULL);
      /* The icon is left out rather than squeezed. */
      *minimum = header_min;
      *natural = icon_nat + header_nat;
    }
  else
    {
      gboolean shows_icon = for_size < 0 || for_size >= ICON_MIN_ROW_WIDTH;
      int header_width = for_size;

      if (for_size >= 0 && shows_icon)
        {
          gtk_widget_measure (self->machine_icon, GTK_ORIENTATION_HORIZONTAL, -1,
                              NULL, &icon_nat, NULL, NULL);
          header_width = for_size - icon_nat;
        }

      gtk_widget_measure (self->header, orientation, header_width, &header_min, &header_nat,
                          NULL, NULL);
      *minimum = header_min;
      *natural = header_nat;

      if (shows_icon)
        {
          gtk_widget_measure (self->machine_icon, orientation, -1, &icon_min, &icon_nat,
                              NULL, NULL);
          *minimum = MAX (*minimum, icon_min);
          *natural = MAX (*natural, icon_nat);
        }
    }

  *minimum_baseline = -1;
  *natural_baseline = -1;
}

static void
gh_machine_row_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  GhMachineRow *self = GH_MACHINE_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  gboolean shows_icon = width >= ICON_MIN_ROW_WIDTH;
  int icon_width = 0;

  /* As a notebook hides the tabs that do not fit: no new size request, only not shown. */
  gtk_widget_set_child_visible (self->machine_icon, shows_icon);
  if (shows_icon)
    {
      gtk_widget_measure (self->machine_icon, GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &icon_width, NULL, NULL);
      gtk_widget_allocate (self->machine_icon, icon_width, height, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (
                             rtl ? width - icon_width : 0, 0)));
    }

  gtk_widget_allocate (self->header, width - icon_width, height, baseline,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (
                         rtl ? 0 : icon_width, 0)));
}

static void
gh_machine_row_dispose (GObject *object)
{
  GhMachineRow *self = (GhMachineRow *)object;

  /* Disconnect now: the template children are gone after this. */
  gh_machine_row_set_machine (self, NULL);
  if (self->os_names != NULL)
    g_signal_handlers_disconnect_by_data (self->os_names, self);
  g_clear_object (&self->os_names);
  g_clear_object (&self->actions);

  gtk_widget_dispose_template (GTK_WIDGET (self), GH_TYPE_MACHINE_ROW);

  G_OBJECT_CLASS (gh_machine_row_parent_class)->dispose (object);
}

static void
gh_machine_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GhMachineRow *self = GH_MACHINE_ROW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_machine_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GhMachineRow *self = GH_MACHINE_ROW (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      gh_machine_row_set_machine (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_machine_row_class_init (GhMachineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gh_machine_row_dispose;
  object_class->get_property = gh_machine_row_get_property;
  object_class->set_property = gh_machine_row_set_property;

  widget_class->measure = gh_machine_row_measure;
  widget_class->size_allocate = gh_machine_row_size_allocate;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL,
                         GH_TYPE_MACHINE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/gh-machine-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, machine_icon);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, header);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, separator_label);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, state_box);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, state_image);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, primary_stack);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, start_button);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, GhMachineRow, machine_menu);

  /* Beside the group of GhMachineActions, also "machine": GTK looks for a widget's own
   * actions before its groups. */
  gtk_widget_class_install_action (widget_class, "machine.open", NULL,
                                   machine_open_action);
  gtk_widget_class_install_action (widget_class, "machine.settings", NULL,
                                   machine_settings_action);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, 0,
                                gh_machine_row_activate_primary, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_ISO_Enter, 0,
                                gh_machine_row_activate_primary, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, 0,
                                gh_machine_row_activate_primary, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, 0,
                                gh_machine_row_activate_primary, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Space, 0,
                                gh_machine_row_activate_primary, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                gh_machine_row_popup_menu, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0,
                                gh_machine_row_popup_menu, NULL);

  gtk_widget_class_set_css_name (widget_class, "row");
}

/* A menu button builds its popover as soon as it has a model; with a screenful of rows that
 * is most of their cost, so the model is given only when the menu first opens. GTK asks
 * again each time it opens, and a new model would build a new popover. */
static void
create_machine_menu (GtkMenuButton *menu_button,
                     gpointer       user_data)
{
  GhMachineRow *self = GH_MACHINE_ROW (user_data);

  if (gtk_menu_button_get_menu_model (menu_button) == NULL)
    gtk_menu_button_set_menu_model (menu_button, self->machine_menu);
}

static void
gh_machine_row_init (GhMachineRow *self)
{
  GtkGesture *secondary_click;
  GtkGesture *primary_click;

  self->os_names = g_object_ref (gh_os_names_get_default ());

  gtk_widget_init_template (GTK_WIDGET (self));

  self->actions = gh_machine_actions_new (GTK_WIDGET (self));

  gtk_menu_button_set_create_popup_func (self->menu_button, create_machine_menu, self, NULL);

  /* A list of relations: the template can only give one. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->state_label, self->subtitle_label, NULL,
                                  -1);

  secondary_click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (secondary_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (secondary_click, "pressed", G_CALLBACK (on_secondary_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (secondary_click));

  primary_click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (primary_click), GDK_BUTTON_PRIMARY);
  g_signal_connect (primary_click, "released", G_CALLBACK (on_primary_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (primary_click));

  g_signal_connect_object (self->os_names, "changed",
                           G_CALLBACK (gh_machine_row_update_os), self,
                           G_CONNECT_SWAPPED);
}

/**
 * gh_machine_row_new:
 * @machine: (nullable): the machine to show
 *
 * Returns: a row that shows @machine, or nothing until gh_machine_row_set_machine()
 */
GtkWidget *
gh_machine_row_new (GhMachine *machine)
{
  g_return_val_if_fail (machine == NULL || GH_IS_MACHINE (machine), NULL);

  return g_object_new (GH_TYPE_MACHINE_ROW,
                       "machine", machine,
                       NULL);
}

const char *
gh_machine_row_get_title (GhMachineRow *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_ROW (self), NULL);

  return gtk_label_get_label (self->title_label);
}

/* The OS name, or "" when the row shows none. */
/* What the row says of the machine's state: "Running", "Installing"… */
const char *
gh_machine_row_get_state_text (GhMachineRow *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_ROW (self), NULL);

  return gtk_label_get_label (self->state_label);
}

const char *
gh_machine_row_get_subtitle (GhMachineRow *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_ROW (self), NULL);

  return gtk_label_get_label (self->subtitle_label);
}

GhMachine *
gh_machine_row_get_machine (GhMachineRow *self)
{
  g_return_val_if_fail (GH_IS_MACHINE_ROW (self), NULL);

  return self->machine;
}

/**
 * gh_machine_row_set_machine:
 * @machine: (nullable): the machine to show, or %NULL to let go of the current one
 *
 * The window's list calls this as it binds the row to an item and unbinds it: after
 * unbinding, the row holds no reference to the machine and no signal of it.
 */
void
gh_machine_row_set_machine (GhMachineRow *self,
                            GhMachine    *machine)
{
  g_return_if_fail (GH_IS_MACHINE_ROW (self));
  g_return_if_fail (machine == NULL || GH_IS_MACHINE (machine));

  if (self->machine == machine)
    return;

  if (self->machine != NULL)
    {
      /* An open menu acts on the machine it was opened for. */
      gtk_menu_button_popdown (self->menu_button);

      g_signal_handlers_disconnect_by_data (self->machine, self);
      if (self->machines != NULL)
        g_signal_handlers_disconnect_by_data (self->machines, self);
      self->machines = NULL;
      g_clear_object (&self->machine);
    }

  /* What runs goes on: the machine counts it (GhMachine:busy), not the row. */
  gh_machine_actions_set_machine (self->actions, machine);

  if (machine != NULL)
    {
      GhConnection *connection = gh_connection_get_for_machine (machine);

      self->machine = g_object_ref (machine);

      g_signal_connect_object (machine, "notify::display-name",
                               G_CALLBACK (gh_machine_row_update_title), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (machine, "notify::os-id",
                               G_CALLBACK (gh_machine_row_update_os), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (machine, "notify::state",
                               G_CALLBACK (gh_machine_row_update_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (machine, "notify::state-text",
                               G_CALLBACK (gh_machine_row_update_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (machine, "notify::pause-reason",
                               G_CALLBACK (gh_machine_row_update_state), self,
                               G_CONNECT_SWAPPED);

      if (connection != NULL)
        {
          self->machines = gh_connection_get_machines (connection);
          g_signal_connect_object (self->machines, "items-changed",
                                   G_CALLBACK (gh_machine_row_update_place), self,
                                   G_CONNECT_SWAPPED);
        }

      gh_machine_row_update_title (self);
      gh_machine_row_update_os (self);
      gh_machine_row_update_state (self);
      gh_machine_row_update_place (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MACHINE]);
}
