/* gh-machine.c: one libvirt domain as a GObject
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "gh-error-private.h"
#include "gh-libvirt-enums.h"
#include "gh-machine-info-private.h"
#include "gh-machine-private.h"

G_DEFINE_FINAL_TYPE (GhMachine, gh_machine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_UUID,
  PROP_NAME,
  PROP_TITLE,
  PROP_DISPLAY_NAME,
  PROP_DESCRIPTION,
  PROP_STATE,
  PROP_PAUSE_REASON,
  PROP_STATE_TEXT,
  PROP_VCPUS,
  PROP_MEMORY,
  PROP_OS_ID,
  PROP_HAS_SPICE,
  PROP_PERSISTENT,
  PROP_INSTALLING,
  PROP_INSTALL_ERROR,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  INSTALL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
gh_machine_finalize (GObject *object)
{
  GhMachine *self = (GhMachine *)object;

  g_weak_ref_clear (&self->owner);
  g_clear_pointer (&self->link, gh_link_unref);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->os_id, g_free);
  g_clear_error (&self->install_error);

  G_OBJECT_CLASS (gh_machine_parent_class)->finalize (object);
}

static void
gh_machine_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GhMachine *self = GH_MACHINE (object);

  switch (prop_id)
    {
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, gh_machine_get_display_name (self));
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PAUSE_REASON:
      g_value_set_enum (value, self->pause_reason);
      break;

    case PROP_STATE_TEXT:
      g_value_set_string (value, gh_machine_get_state_text (self));
      break;

    case PROP_VCPUS:
      g_value_set_uint (value, self->vcpus);
      break;

    case PROP_MEMORY:
      g_value_set_uint64 (value, self->memory);
      break;

    case PROP_OS_ID:
      g_value_set_string (value, self->os_id);
      break;

    case PROP_HAS_SPICE:
      g_value_set_boolean (value, self->has_spice);
      break;

    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;

    case PROP_INSTALLING:
      g_value_set_boolean (value, self->installing);
      break;

    case PROP_INSTALL_ERROR:
      g_value_set_boxed (value, self->install_error);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_machine_class_init (GhMachineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gh_machine_finalize;
  object_class->get_property = gh_machine_get_property;

  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       GH_TYPE_MACHINE_STATE, GH_MACHINE_STATE_UNKNOWN, flags);
  properties[PROP_PAUSE_REASON] =
    g_param_spec_enum ("pause-reason", NULL, NULL,
                       GH_TYPE_MACHINE_PAUSE_REASON, GH_MACHINE_PAUSE_REASON_NONE, flags);
  /* The state in words, with why it is paused: what rows and consoles show. */
  properties[PROP_STATE_TEXT] = g_param_spec_string ("state-text", NULL, NULL, NULL, flags);
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_MEMORY] =
    g_param_spec_uint64 ("memory", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_OS_ID] = g_param_spec_string ("os-id", NULL, NULL, NULL, flags);
  properties[PROP_HAS_SPICE] = g_param_spec_boolean ("has-spice", NULL, NULL, FALSE, flags);
  properties[PROP_PERSISTENT] = g_param_spec_boolean ("persistent", NULL, NULL, FALSE, flags);
  /* In the install phase of an express install: the installer runs, or has stopped and
   * Greenhouse is about to boot the installed system. */
  properties[PROP_INSTALLING] = g_param_spec_boolean ("installing", NULL, NULL, FALSE, flags);
  /* Why the installed system could not be booted after its installer was done. */
  properties[PROP_INSTALL_ERROR] = g_param_spec_boxed ("install-error", NULL, NULL,
                                                       G_TYPE_ERROR, flags);
  /* An operation a caller started is in flight: a second click would ask libvirt twice. */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GhMachine::install-failed:
   * @error: why
   *
   * The installer of an express install is done, but Greenhouse could not boot the
   * installed system. The machine's owner (its GhConnection) passes it on.
   */
  signals[INSTALL_FAILED] =
    g_signal_new_class_handler ("install-failed",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                NULL, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
gh_machine_init (GhMachine *self)
{
  g_weak_ref_init (&self->owner, NULL);
}

static gboolean
set_string (GhMachine  *self,
            char      **field,
            const char *value,
            guint       prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return TRUE;
}

static void
set_state (GhMachine            *self,
           GhMachineState        state,
           GhMachinePauseReason  pause_reason)
{
  gboolean state_changed = self->state != state;
  gboolean reason_changed = self->pause_reason != pause_reason;

  if (!state_changed && !reason_changed)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->state = state;
  self->pause_reason = pause_reason;
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (reason_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSE_REASON]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
  g_object_thaw_notify (G_OBJECT (self));
}

GhMachine *
_gh_machine_new (GObject             *owner,
                 GhLink              *link,
                 const GhMachineInfo *info)
{
  GhMachine *self;

  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);
  g_return_val_if_fail (link != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (GH_TYPE_MACHINE, NULL);
  g_weak_ref_set (&self->owner, owner);
  self->link = gh_link_ref (link);
  self->uuid = g_strdup (info->uuid);
  self->name = g_strdup (info->name);
  self->title = g_strdup (info->title);
  self->description = g_strdup (info->description);
  self->os_id = g_strdup (info->os_id);
  self->state = info->state;
  self->pause_reason = info->pause_reason;
  self->vcpus = info->vcpus;
  self->memory = info->memory;
  self->has_spice = !!info->has_spice;
  self->persistent = !!info->persistent;
  self->installing = !!info->installing;
  self->install_done = !!info->install_done;

  return self;
}

void
_gh_machine_update (GhMachine           *self,
                    const GhMachineInfo *info)
{
  g_autofree char *old_display_name = NULL;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (info != NULL);

  old_display_name = g_strdup (gh_machine_get_display_name (self));

  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->name, info->name, PROP_NAME);
  set_string (self, &self->title, info->title, PROP_TITLE);
  set_string (self, &self->description, info->description, PROP_DESCRIPTION);
  set_string (self, &self->os_id, info->os_id, PROP_OS_ID);

  if (g_strcmp0 (old_display_name, gh_machine_get_display_name (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);

  set_state (self, info->state, info->pause_reason);

  if (self->vcpus != info->vcpus)
    {
      self->vcpus = info->vcpus;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
    }

  if (self->memory != info->memory)
    {
      self->memory = info->memory;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY]);
    }

  if (self->has_spice != !!info->has_spice)
    {
      self->has_spice = !!info->has_spice;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SPICE]);
    }

  if (self->persistent != !!info->persistent)
    {
      self->persistent = !!info->persistent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
    }

  if (self->installing != !!info->installing)
    {
      self->installing = !!info->installing;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTALLING]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
    }
  self->install_done = !!info->install_done;

  g_object_thaw_notify (G_OBJECT (self));
}

void
_gh_machine_set_state (GhMachine      *self,
                       GhMachineState  state)
{
  g_return_if_fail (GH_IS_MACHINE (self));

  /* Only a reading of the domain knows why it is paused. */
  set_state (self, state,
             state == GH_MACHINE_STATE_PAUSED ? self->pause_reason : GH_MACHINE_PAUSE_REASON_NONE);
}

void
_gh_machine_set_install_error (GhMachine    *self,
                               const GError *error)
{
  if (self->install_error == NULL && error == NULL)
    return;

  g_clear_error (&self->install_error);
  self->install_error = error != NULL ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTALL_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
}

void
_gh_machine_set_finishing_install (GhMachine *self,
                                   gboolean   finishing)
{
  self->finishing_install = finishing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
}

/**
 * gh_machine_get_link:
 *
 * Returns: (transfer none): the link to the daemon that runs the machine
 */
GhLink *
gh_machine_get_link (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  return self->link;
}

GObject *
_gh_machine_dup_owner (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  return g_weak_ref_get (&self->owner);
}

const char *
gh_machine_get_uuid (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  return self->uuid;
}

const char *
gh_machine_get_name (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  return self->name;
}

const char *
gh_machine_get_title (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  return self->title;
}

/* The title when the machine has one, else its name: what people call it. */
const char *
gh_machine_get_display_name (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);

  if (self->title != NULL && self->title[0] != '\0')
    return self->title;

  return self->name;
}

const char *
gh_machine_get_description (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  return self->description;
}

GhMachineState
gh_machine_get_state (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), GH_MACHINE_STATE_UNKNOWN);
  return self->state;
}

GhMachinePauseReason
gh_machine_get_pause_reason (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), GH_MACHINE_PAUSE_REASON_NONE);
  return self->pause_reason;
}

const char *
gh_machine_get_state_text (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);

  if (self->state == GH_MACHINE_STATE_PAUSED)
    return gh_machine_pause_reason_get_text (self->pause_reason);

  /* A machine in its install phase runs the installer, not yet its system. */
  if (self->installing && self->state == GH_MACHINE_STATE_RUNNING)
    return _("Installing");
  if (self->installing && self->state == GH_MACHINE_STATE_SHUT_OFF)
    {
      if (self->finishing_install)
        return _("Finishing installation");
      if (self->install_error != NULL)
        return _("Could not finish installing");
      return _("Installation not finished");
    }
  if (self->install_error != NULL && self->state == GH_MACHINE_STATE_SHUT_OFF)
    return _("Could not finish installing");

  return gh_machine_state_get_label (self->state);
}

guint
gh_machine_get_vcpus (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), 0);
  return self->vcpus;
}

guint64
gh_machine_get_memory (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), 0);
  return self->memory;
}

const char *
gh_machine_get_os_id (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  return self->os_id;
}

gboolean
gh_machine_get_has_spice (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  return self->has_spice;
}

gboolean
gh_machine_get_installing (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  return self->installing;
}

gboolean
gh_machine_get_persistent (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  return self->persistent;
}

/**
 * gh_machine_get_install_error:
 * @self: a #GhMachine
 *
 * Returns: (nullable) (transfer none): why the installed system of an express install
 *   could not be booted after its installer was done
 */
const GError *
gh_machine_get_install_error (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  return self->install_error;
}

gboolean
gh_machine_get_busy (GhMachine *self)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);

  return self->busy > 0;
}

const char *
gh_machine_state_get_label (GhMachineState state)
{
  switch (state)
    {
    case GH_MACHINE_STATE_SHUT_OFF:
      return _("Shut Off");
    case GH_MACHINE_STATE_RUNNING:
      return _("Running");
    case GH_MACHINE_STATE_PAUSED:
      return _("Paused");
    case GH_MACHINE_STATE_SUSPENDED:
      return _("Suspended");
    case GH_MACHINE_STATE_CRASHED:
      return _("Crashed");
    case GH_MACHINE_STATE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

/**
 * gh_machine_pause_reason_get_text:
 *
 * Returns: what a person reads about a machine paused for @reason: "Paused" when it was
 *   paused on purpose, else why it stopped, such as "Paused: the host’s disk is full".
 */
const char *
gh_machine_pause_reason_get_text (GhMachinePauseReason reason)
{
  switch (reason)
    {
    case GH_MACHINE_PAUSE_REASON_DISK_FULL:
      return _("Paused: the host’s disk is full");
    case GH_MACHINE_PAUSE_REASON_DISK_ERROR:
      return _("Paused: a disk could not be read or written");
    case GH_MACHINE_PAUSE_REASON_WATCHDOG:
      return _("Paused by its watchdog: the system stopped responding");
    case GH_MACHINE_PAUSE_REASON_SNAPSHOT:
      return _("Paused for a snapshot");
    case GH_MACHINE_PAUSE_REASON_MIGRATION:
      return _("Paused for a migration");
    case GH_MACHINE_PAUSE_REASON_SAVE:
      return _("Paused while it is saved");
    case GH_MACHINE_PAUSE_REASON_STARTING:
      return _("Paused while it starts");
    case GH_MACHINE_PAUSE_REASON_SHUTTING_DOWN:
      return _("Paused while it shuts down");
    case GH_MACHINE_PAUSE_REASON_CRASHED:
      return _("Paused: the system crashed");
    case GH_MACHINE_PAUSE_REASON_NONE:
    case GH_MACHINE_PAUSE_REASON_UNKNOWN:
    case GH_MACHINE_PAUSE_REASON_USER:
    default:
      return _("Paused");
    }
}

const char *
gh_machine_state_get_icon_name (GhMachineState state)
{
  switch (state)
    {
    case GH_MACHINE_STATE_SHUT_OFF:
      return "system-shutdown-symbolic";
    case GH_MACHINE_STATE_RUNNING:
      return "media-playback-start-symbolic";
    case GH_MACHINE_STATE_PAUSED:
      return "media-playback-pause-symbolic";
    case GH_MACHINE_STATE_SUSPENDED:
      return "weather-clear-night-symbolic";
    case GH_MACHINE_STATE_CRASHED:
      return "dialog-error-symbolic";
    case GH_MACHINE_STATE_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

gboolean
gh_machine_state_can_perform (GhMachineState  state,
                              GhMachineAction action)
{
  switch (action)
    {
    case GH_MACHINE_ACTION_START:
      return state == GH_MACHINE_STATE_SHUT_OFF;

    case GH_MACHINE_ACTION_SHUT_DOWN:
    case GH_MACHINE_ACTION_REBOOT:
    case GH_MACHINE_ACTION_PAUSE:
      return state == GH_MACHINE_STATE_RUNNING;

    case GH_MACHINE_ACTION_FORCE_OFF:
      /* A crashed domain that libvirt preserved still holds its QEMU process. */
      return state == GH_MACHINE_STATE_RUNNING
             || state == GH_MACHINE_STATE_PAUSED
             || state == GH_MACHINE_STATE_SUSPENDED
             || state == GH_MACHINE_STATE_CRASHED;

    case GH_MACHINE_ACTION_RESUME:
      return state == GH_MACHINE_STATE_PAUSED || state == GH_MACHINE_STATE_SUSPENDED;

    default:
      return FALSE;
    }
}

gboolean
gh_machine_can_perform (GhMachine       *self,
                        GhMachineAction  action)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);

  return gh_machine_state_can_perform (self->state, action);
}

/**
 * gh_machine_action_dup_failure:
 * @name: the machine's display name
 *
 * Returns: (transfer full): what a person reads when @action failed, such as
 *   "Could not start “name”"; the core's errors start with the same words.
 */
char *
gh_machine_action_dup_failure (GhMachineAction  action,
                               const char      *name)
{
  switch (action)
    {
    case GH_MACHINE_ACTION_START:
      /* Translators: %s is a machine's name */
      return g_strdup_printf (_("Could not start “%s”"), name);
    case GH_MACHINE_ACTION_SHUT_DOWN:
      /* Translators: %s is a machine's name */
      return g_strdup_printf (_("Could not shut down “%s”"), name);
    case GH_MACHINE_ACTION_FORCE_OFF:
      /* Translators: %s is a machine's name */
      return g_strdup_printf (_("Could not force off “%s”"), name);
    case GH_MACHINE_ACTION_REBOOT:
      /* Translators: %s is a machine's name */
      return g_strdup_printf (_("Could not reboot “%s”"), name);
    case GH_MACHINE_ACTION_PAUSE:
      /* Translators: %s is a machine's name */
      return g_strdup_printf (_("Could not pause “%s”"), name);
    case GH_MACHINE_ACTION_RESUME:
      /* Translators: %s is a machine's name */
      return g_strdup_printf (_("Could not resume “%s”"), name);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- The task plumbing every operation shares -------------------------------------- */

void
_gh_machine_task_clear (MachineTask *task_data)
{
  g_clear_pointer (&task_data->conn, virConnectClose);
  g_clear_pointer (&task_data->uuid, g_free);
  g_clear_pointer (&task_data->display_name, g_free);
  g_clear_pointer (&task_data->failure, g_free);
}

/* The task data of an operation that needs nothing but the machine. */
void
_gh_machine_task_free (MachineTask *task_data)
{
  _gh_machine_task_clear (task_data);
  g_free (task_data);
}

GTask *
_gh_machine_task_new (GhMachine           *self,
                      gpointer             source_tag,
                      char                *failure,
                      MachineTask         *task_data,
                      GDestroyNotify       task_data_free,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  task_data->uuid = g_strdup (self->uuid);
  task_data->display_name = g_strdup (gh_machine_get_display_name (self));
  task_data->failure = failure;
  g_task_set_task_data (task, task_data, task_data_free);

  return g_steal_pointer (&task);
}

/* Runs in a worker: the domain as it is now on the daemon. */
virDomainPtr
_gh_machine_lookup_domain (MachineTask  *task_data,
                           GError      **error)
{
  virDomainPtr domain = virDomainLookupByUUIDString (task_data->conn, task_data->uuid);

  if (domain == NULL)
    _gh_error_set_from_libvirt (error, GH_ERROR_NOT_FOUND, task_data->failure);

  return domain;
}

/* Runs in a worker: how every task that reads or edits the definition starts. */
GhDomainEditor *
_gh_machine_task_read_definition (MachineTask   *task_data,
                                  virDomainPtr  *domain,
                                  GError       **error)
{
  virDomainPtr found = _gh_machine_lookup_domain (task_data, error);
  GhDomainEditor *editor = NULL;

  if (domain != NULL)
    *domain = NULL;
  if (found == NULL)
    return NULL;

  editor = _gh_machine_read_editor (task_data, found, VIR_DOMAIN_XML_SECURE, error);
  if (editor != NULL && domain != NULL)
    *domain = found;
  else
    virDomainFree (found);

  return editor;
}

void
_gh_machine_task_return_boolean (MachineTask *task_data,
                                 GTask       *task,
                                 GError      *error)
{
  g_clear_pointer (&task_data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

gboolean
_gh_machine_task_finish_boolean (GhMachine     *self,
                                 GAsyncResult  *result,
                                 gpointer       source_tag,
                                 GError       **error)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Operations in flight ----------------------------------------------------------- */

static void
set_busy (GhMachine *self,
          guint      busy)
{
  gboolean was_busy = self->busy > 0;

  self->busy = busy;
  if (was_busy != (busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* GTask notifies "completed" on the main thread right after the callback ran: the caller
 * has seen the result by the time the machine says it is no longer busy. */
static void
on_busy_task_completed (GTask      *task,
                        GParamSpec *pspec,
                        GhMachine  *self)
{
  g_signal_handlers_disconnect_by_func (task, on_busy_task_completed, self);
  g_return_if_fail (self->busy > 0);
  set_busy (self, self->busy - 1);
}

void
_gh_machine_hold_busy (GhMachine *self,
                       GTask     *task)
{
  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (g_task_get_source_object (task) == (gpointer) self);
  g_return_if_fail (!g_task_get_completed (task));

  /* The task holds the machine until it completes, so @self outlives the handler. */
  g_signal_connect (task, "notify::completed", G_CALLBACK (on_busy_task_completed), self);
  set_busy (self, self->busy + 1);
}

/* ---- What the machine asks of its link ------------------------------------------------ */

/* Main thread: gives @task's worker the link's virConnectPtr, or returns an error on @task
 * when there is none. With @check_action, the machine's state must allow @action. */
static gboolean
task_prepare (GhMachine       *self,
              GTask           *task,
              gboolean         check_action,
              GhMachineAction  action)
{
  MachineTask *data = g_task_get_task_data (task);
  GError *error = NULL;

  /* virConnectRef() only counts: it asks no daemon. The link holds a virConnectPtr
   * exactly while its connection is connected. A lost connection says so, rather than
   * that the machine's state is unknown. */
  data->conn = gh_link_dup_virconnect (self->link, NULL);
  if (data->conn == NULL)
    {
      g_autofree char *detail = NULL;

      detail = g_strdup_printf (_("Not connected to “%s”"), gh_link_get_uri (self->link));
      _gh_error_set (&error, GH_ERROR_NOT_CONNECTED, data->failure, detail);
    }
  else if (check_action && !gh_machine_can_perform (self, action))
    {
      g_autofree char *detail = NULL;

      /* Not the last reference: the link holds one, so this asks no daemon either. */
      g_clear_pointer (&data->conn, virConnectClose);
      detail = g_strdup_printf (_("not possible while it is “%s”"),
                                gh_machine_state_get_label (self->state));
      _gh_error_set (&error, GH_ERROR_INVALID_STATE, data->failure, detail);
    }

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_gh_machine_task_prepare (GhMachine *self,
                          GTask     *task)
{
  return task_prepare (self, task, FALSE, 0);
}

gboolean
_gh_machine_task_prepare_action (GhMachine       *self,
                                 GTask           *task,
                                 GhMachineAction  action)
{
  return task_prepare (self, task, TRUE, action);
}

void
_gh_machine_get_connection_kind (GhMachine *self,
                                 gboolean  *session,
                                 gboolean  *local)
{
  *session = gh_link_is_session (self->link);
  *local = !gh_link_is_remote (self->link);
}

void
_gh_machine_report_install_failed (GhMachine    *self,
                                   const GError *error)
{
  g_signal_emit (self, signals[INSTALL_FAILED], 0, error);
}
