/* gh-machine.c: one libvirt domain as a GObject
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "gh-cleanup-journal.h"
#include "gh-core-private.h"
#include "gh-domain-disks.h"
#include "gh-domain-editor.h"
#include "gh-storage.h"

struct _GhMachine
{
  GObject parent_instance;

  /* Borrowed references */
  GWeakRef connection;

  /* Owned references */
  char *uuid;
  char *name;
  char *title;
  char *description;
  char *os_id;

  GhMachineState state;
  GhMachinePauseReason pause_reason;
  guint vcpus;
  guint64 memory;
  guint has_spice : 1;
  guint persistent : 1;
  guint installing : 1;
  guint install_done : 1;       /* the last reading: the guest stopped itself mid-install */
  guint reset_seen : 1;         /* QEMU said the guest reset itself: the installer's end */
  guint finishing_install : 1;  /* a worker is at it */
  /* Why the last finish failed: not tried again on every event, but after a reconnection
   * or when asked. */
  GError *install_error;
};

G_DEFINE_FINAL_TYPE (GhMachine, gh_machine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
gh_machine_finalize (GObject *object)
{
  GhMachine *self = (GhMachine *)object;

  g_weak_ref_clear (&self->connection);
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
    case PROP_CONNECTION:
      g_value_take_object (value, g_weak_ref_get (&self->connection));
      break;

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

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, GH_TYPE_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_machine_init (GhMachine *self)
{
  g_weak_ref_init (&self->connection, NULL);
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
_gh_machine_new (GhConnection        *connection,
                 const GhMachineInfo *info)
{
  GhMachine *self;

  g_return_val_if_fail (GH_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (GH_TYPE_MACHINE, NULL);
  g_weak_ref_set (&self->connection, connection);
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

/**
 * gh_machine_get_connection:
 *
 * Returns: (transfer none) (nullable): the connection, or %NULL once it is gone
 */
GhConnection *
gh_machine_get_connection (GhMachine *self)
{
  g_autoptr(GhConnection) connection = NULL;

  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);

  /* The connection owns the list that owns this machine, so while anyone can reach
   * the machine through the connection, the borrowed pointer stays valid. */
  connection = g_weak_ref_get (&self->connection);
  return connection;
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

/* What a worker needs to act on a machine. It holds the connection's virConnectPtr, not
 * the GhConnection: a GObject whose last reference a worker dropped would be disposed
 * on that worker. The worker releases @conn itself, since the last virConnectClose()
 * may talk to the daemon. */
typedef struct
{
  virConnectPtr    conn;
  char            *uuid;
  char            *display_name;
  char            *failure;       /* "Could not start “name”" */
  GhMachineState   state;
  GhMachinePauseReason pause_reason;
  GhMachineAction  action;
  gboolean         delete_storage;
  GhDomainEditFunc edit_func;
  gpointer         edit_data;
  GDestroyNotify   edit_data_destroy;
  char            *edit_part;     /* XPath of what the edit changes */
  char            *edit_seen;     /* @edit_part as the user saw it, or NULL */
  gboolean         next_boot;     /* the edit waits for the machine to start again */
  char            *text;          /* rename: the new name; disks: the target; mdev: parent */
  char            *text2;         /* mdev: the type */
  gboolean         flag;          /* autostart; delete the volume; mdev display */
  guint64          size;          /* a new disk's capacity */
  gboolean         session;
  gboolean         local;
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_clear_pointer (&data->conn, virConnectClose);
  g_free (data->uuid);
  g_free (data->display_name);
  g_free (data->failure);
  g_free (data->text);
  g_free (data->text2);
  if (data->edit_data_destroy != NULL)
    data->edit_data_destroy (data->edit_data);
  g_free (data->edit_part);
  g_free (data->edit_seen);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, action_data_free)

/* Runs in a worker: the domain as it is now on the daemon. */
static virDomainPtr
lookup_domain (ActionData  *data,
               GError     **error)
{
  virDomainPtr domain = virDomainLookupByUUIDString (data->conn, data->uuid);

  if (domain == NULL)
    _gh_error_set_from_libvirt (error, GH_ERROR_NOT_FOUND, data->failure);

  return domain;
}

/* How long a guest resumed after an I/O error has to fail again: QEMU retries the failed
 * request the moment it runs, so a disk still full pauses it at once. */
#define IO_ERROR_RECHECK_MS 2000

static gboolean
paused_for_io_error (virDomainPtr domain)
{
  int state = VIR_DOMAIN_NOSTATE;
  int reason = 0;

  return virDomainGetState (domain, &state, &reason, 0) == 0 &&
         state == VIR_DOMAIN_PAUSED && reason == VIR_DOMAIN_PAUSED_IOERROR;
}

/* Resumes a guest that an I/O error paused. Resuming only to see it pause again would
 * look like a Resume that did nothing: if it pauses again, say why and what to do. */
static int
resume_after_io_error (ActionData    *data,
                       virDomainPtr   domain,
                       GError       **error)
{
  g_autofree char *path = NULL;
  gint64 deadline;
  gboolean disk_full;

  if (virDomainResume (domain) < 0)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, data->failure);
      return -1;
    }

  deadline = g_get_monotonic_time () + IO_ERROR_RECHECK_MS * G_TIME_SPAN_MILLISECOND;
  while (!paused_for_io_error (domain))
    {
      if (g_get_monotonic_time () > deadline)
        return 0;
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }

  disk_full = _gh_machine_read_disk_errors (domain, &path);
  if (disk_full && path != NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is the path of a disk image on the host */
      detail = g_strdup_printf (_("it paused again because the host’s disk is still full. "
                                  "Free some space on the disk that holds “%s”, then "
                                  "resume it."), path);
      _gh_error_set (error, GH_ERROR_INVALID_STATE, data->failure, detail);
    }
  else if (disk_full)
    _gh_error_set (error, GH_ERROR_INVALID_STATE, data->failure,
                   _("it paused again because the host’s disk is still full. Free some "
                     "space on the disk that holds its storage, then resume it."));
  else if (path != NULL)
    {
      g_autofree char *detail = NULL;

      /* Translators: %s is the path of a disk image on the host */
      detail = g_strdup_printf (_("it paused again because “%s” still cannot be read or "
                                  "written. Check the host’s storage, then resume it."), path);
      _gh_error_set (error, GH_ERROR_INVALID_STATE, data->failure, detail);
    }
  else
    _gh_error_set (error, GH_ERROR_INVALID_STATE, data->failure,
                   _("it paused again because a disk still cannot be read or written. "
                     "Check the host’s storage, then resume it."));
  return -1;
}

static void
perform_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;
  int ret = -1;

  domain = lookup_domain (data, &error);
  if (domain == NULL)
    {
      g_clear_pointer (&data->conn, virConnectClose);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (data->action)
    {
    case GH_MACHINE_ACTION_START:
      ret = virDomainCreate (domain);
      break;

    case GH_MACHINE_ACTION_SHUT_DOWN:
      ret = virDomainShutdown (domain);
      break;

    case GH_MACHINE_ACTION_FORCE_OFF:
      ret = virDomainDestroy (domain);
      break;

    case GH_MACHINE_ACTION_REBOOT:
      ret = virDomainReboot (domain, 0);
      break;

    case GH_MACHINE_ACTION_PAUSE:
      ret = virDomainSuspend (domain);
      break;

    case GH_MACHINE_ACTION_RESUME:
      /* A guest that suspended itself wakes up; one we paused resumes. */
      if (data->state == GH_MACHINE_STATE_SUSPENDED)
        ret = virDomainPMWakeup (domain, 0);
      else if (paused_for_io_error (domain))
        ret = resume_after_io_error (data, domain, &error);
      else
        ret = virDomainResume (domain);
      break;

    default:
      g_assert_not_reached ();
    }

  if (ret < 0 && error == NULL)
    _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);

  virDomainFree (domain);
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static GTask *
action_task_new (GhMachine           *self,
                 gpointer             source_tag,
                 GhMachineAction      action,
                 char                *failure,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (ActionData, 1);
  data->uuid = g_strdup (self->uuid);
  data->display_name = g_strdup (gh_machine_get_display_name (self));
  data->failure = failure;
  data->state = self->state;
  data->pause_reason = self->pause_reason;
  data->action = action;
  g_task_set_task_data (task, data, (GDestroyNotify) action_data_free);

  return g_steal_pointer (&task);
}

/* Main thread: gives @task's worker the connection's virConnectPtr, or returns an error
 * on @task when there is none. With @check_action, the machine's state must allow it. */
static gboolean
action_task_prepare (GhMachine *self,
                     GTask     *task,
                     gboolean   check_action)
{
  ActionData *data = g_task_get_task_data (task);
  g_autoptr(GhConnection) connection = g_weak_ref_get (&self->connection);
  GError *error = NULL;

  /* A lost connection says so, rather than that the machine's state is unknown. */
  if (connection == NULL || gh_connection_get_state (connection) != GH_CONNECTION_STATE_CONNECTED)
    {
      g_autofree char *detail = NULL;

      if (connection != NULL)
        detail = g_strdup_printf (_("Not connected to “%s”"), gh_connection_get_uri (connection));
      else
        detail = g_strdup_printf (_("“%s” is no longer connected"), data->display_name);
      _gh_error_set (&error, GH_ERROR_NOT_CONNECTED, data->failure, detail);
    }
  else if (check_action && !gh_machine_can_perform (self, data->action))
    {
      g_autofree char *detail = NULL;

      detail = g_strdup_printf (_("not possible while it is “%s”"),
                                gh_machine_state_get_label (self->state));
      _gh_error_set (&error, GH_ERROR_INVALID_STATE, data->failure, detail);
    }
  else
    {
      /* virConnectRef() only counts: it asks no daemon. */
      data->conn = _gh_connection_dup_virconnect (connection, &error);
      if (data->conn == NULL)
        g_prefix_error (&error, "%s: ", data->failure);
    }

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return FALSE;
    }

  return TRUE;
}

/* The result of open_graphics_fd_thread(): a result nobody takes (its task was
 * cancelled, or its callback returned early) closes the socket with the task. */
static void
graphics_fd_free (gpointer data)
{
  int *fd = data;

  if (*fd >= 0)
    close (*fd);
  g_free (fd);
}

static void
open_graphics_fd_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GError) error = NULL;
  virDomainPtr domain;
  int fd = -1;

  domain = lookup_domain (data, &error);
  if (domain != NULL)
    {
      char *xml = virDomainGetXMLDesc (domain, 0);
      int index = -1;

      /* The live definition: its <graphics> are the ones QEMU was started with, and
       * virDomainOpenGraphicsFD() counts them all, VNC ones too. */
      if (xml == NULL)
        _gh_error_set_from_libvirt (&error, GH_ERROR_NOT_FOUND, data->failure);
      else if ((index = _gh_domain_xml_spice_graphics_index (xml)) < 0)
        _gh_error_set (&error, GH_ERROR_NOT_SUPPORTED, data->failure,
                       _("This machine has no SPICE display"));
      free (xml);

      /* SKIPAUTH: the fd is handed to us by the daemon we are already authenticated
       * with, so the display needs no ticket and no TCP port. */
      if (error == NULL)
        {
          fd = virDomainOpenGraphicsFD (domain, index, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
          if (fd < 0)
            _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);
        }
      virDomainFree (domain);
    }
  g_clear_pointer (&data->conn, virConnectClose);

  /* Even when cancelled meanwhile: GTask then drops the result, which closes it. */
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&fd, sizeof fd), graphics_fd_free);
}

/**
 * gh_machine_open_graphics_fd_async:
 *
 * Asks the daemon, in a worker thread, for a new socket connected to the machine's
 * SPICE display (one per SPICE channel), whatever other displays come before it. Only
 * works on a local connection: the fd travels over the daemon's UNIX socket. A machine
 * without SPICE fails with %GH_ERROR_NOT_SUPPORTED.
 */
void
gh_machine_open_graphics_fd_async (GhMachine           *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_open_graphics_fd_async, 0,
                          /* Translators: %s is a machine's name */
                          g_strdup_printf (_("Could not connect to the display of “%s”"),
                                           gh_machine_get_display_name (self)),
                          cancellable, callback, user_data);
  /* The daemon cannot be interrupted mid-call: the worker always returns what it
   * opened, and a cancelled task closes it when it goes. */
  g_task_set_return_on_cancel (task, FALSE);

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, open_graphics_fd_thread);
}

/**
 * gh_machine_open_graphics_fd_finish:
 *
 * Returns: a file descriptor the caller owns, or -1 with @error set (cancelled when the
 *   task's cancellable was: then the socket, if one was opened, is already closed).
 */
int
gh_machine_open_graphics_fd_finish (GhMachine     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  int *fd;
  int ret;

  g_return_val_if_fail (GH_IS_MACHINE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gh_machine_open_graphics_fd_async, -1);

  fd = g_task_propagate_pointer (G_TASK (result), error);
  if (fd == NULL)
    return -1;

  ret = *fd;
  g_free (fd);
  return ret;
}

/**
 * gh_machine_perform_async:
 *
 * Asks libvirt to do @action to the machine, in a worker thread. The new state is not
 * set here: it arrives as a libvirt event, as it would for a change made elsewhere.
 */
void
gh_machine_perform_async (GhMachine           *self,
                          GhMachineAction      action,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (action <= GH_MACHINE_ACTION_RESUME);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_perform_async, action,
                          gh_machine_action_dup_failure (action,
                                                         gh_machine_get_display_name (self)),
                          cancellable, callback, user_data);

  if (!action_task_prepare (self, task, TRUE))
    return;

  /* Starting a machine in its install phase runs the installer again (the window asked
   * first): only its next reboot ends the phase. */
  if (self->installing && action == GH_MACHINE_ACTION_START)
    self->reset_seen = FALSE;

  g_task_run_in_thread (task, perform_thread);
}

gboolean
gh_machine_perform_finish (GhMachine     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_machine_perform_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Storage can be named in several ways: a path, written as anyone likes ("/p//x",
 * "/p/./x"), or a pool and a volume. Whatever names a volume adds every key of it to
 * @keys, so that two names of the same volume always share a key. */
static void
add_volume_keys (virStorageVolPtr  vol,
                 GHashTable       *keys)
{
  virStoragePoolPtr pool;
  char *path;

  path = virStorageVolGetPath (vol);
  if (path != NULL)
    g_hash_table_add (keys, g_canonicalize_filename (path, "/"));
  free (path);

  pool = virStoragePoolLookupByVolume (vol);
  if (pool != NULL)
    {
      g_hash_table_add (keys, _gh_domain_volume_dup_key (virStoragePoolGetName (pool),
                                                         virStorageVolGetName (vol)));
      virStoragePoolFree (pool);
    }

  virResetLastError ();
}

/* Runs in a worker: adds the keys of the storage a disk names to @keys, and returns its
 * volume when it is one. */
static virStorageVolPtr
add_storage_keys (virConnectPtr  conn,
                  GHashTable    *keys,
                  const char    *path,
                  const char    *pool,
                  const char    *volume)
{
  GhDomainDisk disk = { .pool = (char *) pool, .volume = (char *) volume };
  g_autofree char *canonical = NULL;
  virStorageVolPtr vol;

  if (path != NULL)
    {
      /* Paths are on the daemon's host: tidy them as text, never through our file system. */
      canonical = g_canonicalize_filename (path, "/");
      g_hash_table_add (keys, g_strdup (canonical));
      disk.path = canonical;
    }
  else if (pool != NULL && volume != NULL)
    {
      g_hash_table_add (keys, _gh_domain_volume_dup_key (pool, volume));
    }
  else
    {
      return NULL;
    }

  vol = _gh_domain_disk_lookup_volume (&disk, conn);
  if (vol != NULL)
    add_volume_keys (vol, keys);
  virResetLastError ();

  return vol;
}

static void
note_storage (virConnectPtr  conn,
              GHashTable    *keys,
              const char    *path,
              const char    *pool,
              const char    *volume)
{
  virStorageVolPtr vol = add_storage_keys (conn, keys, path, pool, volume);

  if (vol != NULL)
    virStorageVolFree (vol);
}

static gboolean
keys_intersect (GHashTable *a,
                GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (b, key))
      return TRUE;

  return FALSE;
}

static void
cannot_check_usage (GError **error)
{
  _gh_error_set_from_libvirt (error, GH_ERROR_STORAGE,
                              _("Could not check which machines use its disks"));
}

/* Runs in a worker: adds to @used the keys of all storage that the domains other than
 * @uuid use, in their live and their persistent definitions, with the images their disks
 * are built on. Fails, rather than guess, when a definition cannot be read. */
static gboolean
collect_used_by_others (virConnectPtr   conn,
                        const char     *uuid,
                        GHashTable     *used,
                        GError        **error)
{
  const unsigned int flags[] = { 0, VIR_DOMAIN_XML_INACTIVE };
  virDomainPtr *all = NULL;
  gboolean ok = TRUE;
  int n_all;

  n_all = virConnectListAllDomains (conn, &all, 0);
  if (n_all < 0)
    {
      cannot_check_usage (error);
      return FALSE;
    }

  for (int i = 0; i < n_all && ok; i++)
    {
      char other_uuid[VIR_UUID_STRING_BUFLEN];

      if (virDomainGetUUIDString (all[i], other_uuid) < 0 || strcmp (other_uuid, uuid) == 0)
        continue;

      for (guint f = 0; f < G_N_ELEMENTS (flags) && ok; f++)
        {
          g_autoptr(GPtrArray) disks = NULL;
          char *xml = virDomainGetXMLDesc (all[i], flags[f]);

          if (xml == NULL)
            {
              /* A domain that went away meanwhile uses nothing. */
              if (virGetLastErrorCode () == VIR_ERR_NO_DOMAIN)
                {
                  virResetLastError ();
                  break;
                }
              cannot_check_usage (error);
              ok = FALSE;
              break;
            }

          disks = _gh_domain_disks_from_xml (xml, error);
          free (xml);
          if (disks == NULL)
            {
              g_prefix_error (error, "%s: ", _("Could not check which machines use its disks"));
              ok = FALSE;
              break;
            }

          for (guint d = 0; d < disks->len; d++)
            {
              GhDomainDisk *disk = g_ptr_array_index (disks, d);

              note_storage (conn, used, disk->path, disk->pool, disk->volume);
              for (guint b = 0; b < disk->backing->len; b++)
                note_storage (conn, used, g_ptr_array_index (disk->backing, b), NULL, NULL);
            }
        }
    }

  for (int i = 0; i < n_all; i++)
    virDomainFree (all[i]);
  free (all);

  return ok;
}

/* Runs in a worker: adds to @used the images that volumes other than @mine are built on;
 * a linked clone's base image may appear in no domain's definition at all. */
static gboolean
collect_backing_stores (virConnectPtr   conn,
                        GHashTable     *mine,
                        GHashTable     *used,
                        GError        **error)
{
  virStoragePoolPtr *pools = NULL;
  gboolean ok = TRUE;
  int n_pools;

  n_pools = virConnectListAllStoragePools (conn, &pools, 0);
  if (n_pools < 0)
    {
      cannot_check_usage (error);
      return FALSE;
    }

  for (int i = 0; i < n_pools && ok; i++)
    {
      virStorageVolPtr *vols = NULL;
      int n_vols;

      if (virStoragePoolIsActive (pools[i]) != 1)
        continue;

      n_vols = virStoragePoolListAllVolumes (pools[i], &vols, 0);
      if (n_vols < 0)
        {
          cannot_check_usage (error);
          ok = FALSE;
          break;
        }

      for (int v = 0; v < n_vols && ok; v++)
        {
          g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_autofree char *backing = NULL;
          char *xml;

          add_volume_keys (vols[v], keys);
          if (keys_intersect (keys, mine))
            continue;

          xml = virStorageVolGetXMLDesc (vols[v], 0);
          if (xml == NULL)
            {
              cannot_check_usage (error);
              ok = FALSE;
              break;
            }
          backing = _gh_volume_dup_backing_path (xml);
          free (xml);

          if (backing != NULL)
            note_storage (conn, used, backing, NULL, NULL);
        }

      for (int v = 0; v < n_vols; v++)
        virStorageVolFree (vols[v]);
      free (vols);
    }

  for (int i = 0; i < n_pools; i++)
    virStoragePoolFree (pools[i]);
  free (pools);

  return ok;
}

/* Runs in a worker: the storage volumes that belong to @domain alone. Disks that are
 * CD-ROMs, read-only or shareable, or no volume of a pool, are never returned; nor is a
 * volume that any other domain names, in any way, or that another volume is built on. */
static GPtrArray *
collect_owned_volumes (virConnectPtr   conn,
                       virDomainPtr    domain,
                       const char     *uuid,
                       GError        **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) virStorageVolFree);
  g_autoptr(GPtrArray) candidate_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) volumes = g_ptr_array_new_with_free_func ((GDestroyNotify) virStorageVolFree);
  g_autoptr(GHashTable) mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) disks = NULL;
  char *xml;

  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);
  if (xml == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, _("Could not read the machine’s disks"));
      return NULL;
    }
  disks = _gh_domain_disks_from_xml (xml, error);
  free (xml);
  if (disks == NULL)
    return NULL;

  for (guint i = 0; i < disks->len; i++)
    {
      GhDomainDisk *disk = g_ptr_array_index (disks, i);
      g_autoptr(GHashTable) keys = NULL;
      virStorageVolPtr vol;
      GHashTableIter iter;
      gpointer key;

      if (!_gh_domain_disk_is_deletable (disk))
        continue;

      keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      vol = add_storage_keys (conn, keys, disk->path, disk->pool, disk->volume);
      /* A file outside any pool is not ours to delete. */
      if (vol == NULL)
        continue;

      g_hash_table_iter_init (&iter, keys);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (mine, g_strdup (key));

      g_ptr_array_add (candidates, vol);
      g_ptr_array_add (candidate_keys, g_steal_pointer (&keys));
    }

  if (candidates->len == 0)
    return g_steal_pointer (&volumes);

  if (!collect_used_by_others (conn, uuid, used, error)
      || !collect_backing_stores (conn, mine, used, error))
    return NULL;

  for (guint i = 0; i < candidates->len; i++)
    if (!keys_intersect (g_ptr_array_index (candidate_keys, i), used))
      g_ptr_array_add (volumes, g_steal_pointer (&g_ptr_array_index (candidates, i)));

  return g_steal_pointer (&volumes);
}

static gboolean delete_install_volume (virConnectPtr  conn,
                                       const char    *path);
static void read_install_files    (virDomainPtr   domain,
                                   char         **kernel,
                                   char         **initrd);

/* Runs in a worker: writes down the volume at @path, which this worker is about to take
 * from its machine, in @journal and in @records, so that a daemon that dies before the
 * volume is deleted does not leave it for good (the next connection deletes it). */
static void
record_volume (GhCleanupJournal *journal,
               GArray           *records,
               const char       *machine,
               const char       *path)
{
  guint64 id = 0;

  if (path != NULL && path[0] != '\0')
    id = _gh_cleanup_journal_add_volume (journal, machine, NULL, NULL, path);
  g_array_append_val (records, id);
}

/* Runs in a worker: forgets every record of @records: the machine kept its volumes (it
 * is still defined) and the daemon is there to say so. */
static void
forget_volumes (GhCleanupJournal *journal,
                GArray           *records,
                virConnectPtr     conn)
{
  if (journal == NULL || virConnectIsAlive (conn) != 1)
    return;

  for (guint i = 0; i < records->len; i++)
    _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, i));
}

static int
undefine_domain (virDomainPtr domain)
{
  const unsigned int all_flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                                 | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                                 | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA
                                 | VIR_DOMAIN_UNDEFINE_NVRAM;
  /* A UEFI guest cannot be undefined without its NVRAM, so that flag is dropped last. */
  const unsigned int fallbacks[] = {
    all_flags,
    all_flags & ~VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
    0,
  };

  /* Drivers that do not know a flag reject the call; only then try fewer. */
  for (guint i = 0; i < G_N_ELEMENTS (fallbacks); i++)
    {
      virErrorPtr err;

      if (virDomainUndefineFlags (domain, fallbacks[i]) == 0)
        return 0;

      err = virGetLastError ();
      if (err == NULL
          || (err->code != VIR_ERR_INVALID_ARG && err->code != VIR_ERR_NO_SUPPORT))
        return -1;
    }

  return -1;
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *install_kernel = NULL;
  g_autofree char *install_initrd = NULL;
  g_autoptr(GhCleanupJournal) journal = NULL;
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean undefined = FALSE;
  const char *failure = data->failure;
  virDomainPtr domain;
  int persistent;

  domain = lookup_domain (data, &error);
  if (domain == NULL)
    goto out;

  /* The files of an unfinished express install are Greenhouse's, not the user's data:
   * they go with the machine, whether its disks stay or not. */
  read_install_files (domain, &install_kernel, &install_initrd);

  /* Decide which volumes go before the domain is gone and its XML with it; if that
   * cannot be decided, nothing is deleted, the machine included. */
  if (data->delete_storage)
    {
      volumes = collect_owned_volumes (data->conn, domain, data->uuid, &error);
      if (volumes == NULL)
        {
          g_prefix_error (&error, "%s: ", failure);
          goto out;
        }
    }

  /* Once the domain is gone, only this worker knows which volumes go with it. */
  journal = _gh_cleanup_journal_dup_for_conn (data->conn);
  _gh_cleanup_journal_begin (journal);
  record_volume (journal, records, data->display_name, install_kernel);
  record_volume (journal, records, data->display_name, install_initrd);
  for (guint i = 0; volumes != NULL && i < volumes->len; i++)
    {
      char *path = virStorageVolGetPath (g_ptr_array_index (volumes, i));

      record_volume (journal, records, data->display_name, path);
      free (path);
    }
  virResetLastError ();

  if (virDomainIsActive (domain) == 1 && virDomainDestroy (domain) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, failure);
      goto out;
    }

  persistent = virDomainIsPersistent (domain);
  if (persistent == 1 && undefine_domain (domain) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, failure);
      goto out;
    }
  undefined = TRUE;
  _gh_test_point ("delete-undefined");

  if (delete_install_volume (data->conn, install_kernel))
    _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 0));
  if (delete_install_volume (data->conn, install_initrd))
    _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 1));

  for (guint i = 0; volumes != NULL && i < volumes->len; i++)
    {
      virStorageVolPtr vol = g_ptr_array_index (volumes, i);
      /* Asked first: every libvirt call forgets the last error, this one too. */
      const char *vol_name = virStorageVolGetName (vol);

      if (virStorageVolDelete (vol, 0) == 0)
        {
          _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 2 + i));
        }
      else if (error == NULL)
        {
          g_autofree char *what = NULL;

          what = g_strdup_printf (_("“%s” was deleted, but its disk “%s” could not be removed"),
                                  data->display_name, vol_name);
          _gh_error_set_from_libvirt (&error, GH_ERROR_STORAGE, what);
        }
    }

out:
  if (journal != NULL)
    {
      if (!undefined)
        forget_volumes (journal, records, data->conn);
      _gh_cleanup_journal_end (journal);
    }
  g_clear_pointer (&domain, virDomainFree);
  g_clear_pointer (&volumes, g_ptr_array_unref);
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * gh_machine_delete_async:
 * @delete_storage: also delete the volumes that belong to this machine alone
 *
 * Forces the machine off if it runs, then removes it with its NVRAM, managed save and
 * snapshot metadata. With @delete_storage, its own disk volumes go too; CD-ROM images,
 * files outside storage pools and volumes that another machine uses always stay.
 */
void
gh_machine_delete_async (GhMachine           *self,
                         gboolean             delete_storage,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_delete_async, 0,
                          g_strdup_printf (_("Could not delete “%s”"),
                                           gh_machine_get_display_name (self)),
                          cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->delete_storage = !!delete_storage;

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, delete_thread);
}

gboolean
gh_machine_delete_finish (GhMachine     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gh_machine_delete_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Runs in a worker: the persistent definition of @domain, to be edited. SECURE keeps the
 * display's password, which a definition without it would lose. */
static GhDomainEditor *
read_editor (ActionData    *data,
             virDomainPtr   domain,
             unsigned int   flags,
             GError       **error)
{
  GhDomainEditor *editor;
  char *xml;

  /* The inactive definition is the one that lasts: a running machine's live XML holds
   * what QEMU made of it (aliases, addresses, ports) and would become its next config. */
  xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE | flags);
  if (xml == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, data->failure);
      return NULL;
    }

  editor = gh_domain_editor_new (xml, error);
  free (xml);
  if (editor == NULL)
    g_prefix_error (error, "%s: ", data->failure);

  return editor;
}

/* Runs in a worker: defines what @editor holds, validated against libvirt's schema. */
static gboolean
define_editor (ActionData      *data,
               GhDomainEditor  *editor,
               GError         **error)
{
  g_autofree char *edited = gh_domain_editor_to_xml (editor);
  virDomainPtr defined;

  defined = virDomainDefineXMLFlags (data->conn, edited, VIR_DOMAIN_DEFINE_VALIDATE);
  if (defined == NULL)
    {
      _gh_error_set_from_libvirt (error, GH_ERROR_FAILED, data->failure);
      return FALSE;
    }

  /* A running machine keeps its live configuration until it stops. */
  data->next_boot = virDomainIsActive (defined) == 1;
  virResetLastError ();
  virDomainFree (defined);

  return TRUE;
}

static void
set_conflict (ActionData  *data,
              GError     **error)
{
  _gh_error_set (error, GH_ERROR_CONFLICT, data->failure,
                 _("another program changed this setting since it was shown. Look at it as "
                   "it is now, and make the change again if you still want it"));
}

/* Runs in a worker: whether @part of the definition is still @before, the text it had
 * when the edit read it. libvirt has no "define if unchanged": reading again just
 * before the define leaves another program only the time of one call to slip in. */
static gboolean
part_unchanged (ActionData    *data,
                virDomainPtr   domain,
                const char    *before,
                GError       **error)
{
  g_autoptr(GhDomainEditor) now = read_editor (data, domain, VIR_DOMAIN_XML_SECURE, error);
  g_autofree char *part = NULL;

  if (now == NULL)
    return FALSE;
  part = gh_domain_editor_dup_part (now, data->edit_part);
  if (g_strcmp0 (part, before) == 0)
    return TRUE;

  set_conflict (data, error);
  return FALSE;
}

/* Runs in a worker, after the define: libvirt fills in defaults, but it also quietly
 * rewrites what it does not accept (a memory size the NUMA nodes and memory modules add
 * up differently, a network card option of another model). What the user asked for must
 * be what the machine has; if it is not, the definition goes back to what it was and
 * the user learns why, rather than being told the change was made. */
static gboolean
check_kept (ActionData      *data,
            virDomainPtr     domain,
            GhDomainEditor  *asked,
            const char      *original,
            GError         **error)
{
  g_autoptr(GhDomainEditor) stored = read_editor (data, domain, VIR_DOMAIN_XML_SECURE, error);
  g_autofree char *lost = NULL;
  g_autofree char *detail = NULL;
  virDomainPtr restored;

  if (stored == NULL)
    return FALSE;
  lost = gh_domain_editor_dup_lost (asked, stored, data->edit_part);
  if (lost == NULL)
    return TRUE;

  restored = virDomainDefineXMLFlags (data->conn, original, 0);
  if (restored != NULL)
    {
      /* Translators: %s says what libvirt changed, like "<memory> holds 1310720, not
       * 1048576" */
      detail = g_strdup_printf (_("libvirt saved it differently (%s), so the settings were "
                                  "put back as they were. Other settings of the machine "
                                  "decide this one: change them together with virsh edit"),
                                lost);
      virDomainFree (restored);
    }
  else
    {
      /* Translators: the first %s says what libvirt changed, the second why the old
       * settings could not be put back */
      detail = g_strdup_printf (_("libvirt saved it differently (%s), and the settings could "
                                  "not be put back as they were (%s). Check them with "
                                  "virsh edit"),
                                lost, virGetLastErrorMessage ());
    }
  virResetLastError ();
  _gh_error_set (error, GH_ERROR_NOT_KEPT, data->failure, detail);
  return FALSE;
}

/* Runs in a worker: the persistent definition, edited and defined again. */
G_LOCK_DEFINE_STATIC (edits);

static void
edit_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *original = NULL;
  g_autofree char *before = NULL;
  virDomainPtr domain;

  domain = lookup_domain (data, &error);
  if (domain == NULL)
    goto out;

  /* Read, change, define: one edit at a time, or two edits started together (memory and
   * processors, say) would both start from the same definition and the second define
   * would take back the first. */
  G_LOCK (edits);

  editor = read_editor (data, domain, VIR_DOMAIN_XML_SECURE, &error);
  if (editor == NULL)
    goto unlock;
  original = gh_domain_editor_to_xml (editor);
  before = gh_domain_editor_dup_part (editor, data->edit_part);

  /* The edit is applied to the definition as it is now; but if another program changed
   * what it is about to change since the user saw it, the user decided on something
   * they no longer see. */
  if (data->edit_seen != NULL && g_strcmp0 (before, data->edit_seen) != 0)
    {
      set_conflict (data, &error);
      goto unlock;
    }

  if (!data->edit_func (editor, data->edit_data, &error))
    {
      g_prefix_error (&error, "%s: ", data->failure);
      goto unlock;
    }

  /* Nothing has changed yet: a cancelled edit changes nothing. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto unlock;

  if (part_unchanged (data, domain, before, &error)
      && define_editor (data, editor, &error))
    check_kept (data, domain, editor, original, &error);

unlock:
  G_UNLOCK (edits);
out:
  g_clear_pointer (&domain, virDomainFree);
  g_clear_pointer (&editor, g_object_unref);
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * gh_machine_edit_async:
 * @part: (nullable): an XPath expression that selects what @func changes (see
 *   gh_domain_editor_dup_part()); NULL: the whole definition
 * @seen: (nullable): @part as the user saw it when they decided on the change; NULL: no
 *   check
 * @func: changes the machine's definition, in a worker thread
 * @func_data_destroy: frees @func_data once the task is done, on any thread
 *
 * Reads the machine's persistent definition, lets @func change it through a
 * #GhDomainEditor, and defines the result, validated against libvirt's schema. What
 * @func does not touch stays as it was. The machine's properties follow through the
 * libvirt event the definition causes, as for a change made elsewhere.
 *
 * It fails with %GH_ERROR_CONFLICT, changing nothing, when @part is no longer @seen, or
 * changes between the read and the define; and with %GH_ERROR_NOT_KEPT, the definition
 * put back as it was, when libvirt did not keep all that @func made of @part.
 */
void
gh_machine_edit_async (GhMachine           *self,
                       const char          *part,
                       const char          *seen,
                       GhDomainEditFunc     func,
                       gpointer             func_data,
                       GDestroyNotify       func_data_destroy,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_edit_async, 0,
                          /* Translators: %s is a machine's name */
                          g_strdup_printf (_("Could not change the settings of “%s”"),
                                           gh_machine_get_display_name (self)),
                          cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->edit_func = func;
  data->edit_data = func_data;
  data->edit_data_destroy = func_data_destroy;
  data->edit_part = g_strdup (part != NULL ? part : "/domain");
  data->edit_seen = g_strdup (seen);

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, edit_thread);
}

/**
 * gh_machine_edit_finish:
 * @next_boot: (out) (optional): whether the machine runs, so that the change applies
 *   only when it starts again
 */
/* The end of every task that defines the machine again: whether the change waits for
 * the next boot. */
static gboolean
gh_machine_edit_finish_common (GhMachine     *self,
                               GAsyncResult  *result,
                               gpointer       source_tag,
                               gboolean      *next_boot,
                               GError       **error)
{
  ActionData *data;

  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (next_boot != NULL)
    *next_boot = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (next_boot != NULL)
    *next_boot = data->next_boot;
  return TRUE;
}

gboolean
gh_machine_edit_finish (GhMachine     *self,
                        GAsyncResult  *result,
                        gboolean      *next_boot,
                        GError       **error)
{
  return gh_machine_edit_finish_common (self, result, gh_machine_edit_async, next_boot, error);
}

/* ---- What the settings window reads and changes beyond the XML ------------------- */

typedef struct
{
  GhDomainEditor *editor;
  gboolean        autostart;
  GHashTable     *capacities;
} EditorResult;

static void
editor_result_free (EditorResult *result)
{
  g_clear_object (&result->editor);
  g_clear_pointer (&result->capacities, g_hash_table_unref);
  g_free (result);
}

/* Runs in a worker: the size of each disk that is a volume of a storage pool. */
static GHashTable *
read_capacities (virConnectPtr   conn,
                 GhDomainEditor *editor)
{
  g_autoptr(GPtrArray) disks = gh_domain_editor_dup_disks (editor);
  GHashTable *capacities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);
      GhDomainDisk lookup = { .path = disk->path, .pool = disk->pool, .volume = disk->volume };
      virStorageVolInfo info;
      virStorageVolPtr vol;

      if (disk->target == NULL)
        continue;

      vol = _gh_domain_disk_lookup_volume (&lookup, conn);
      if (vol != NULL && virStorageVolGetInfo (vol, &info) == 0)
        g_hash_table_insert (capacities, g_strdup (disk->target),
                             g_memdup2 (&info.capacity, sizeof (guint64)));
      g_clear_pointer (&vol, virStorageVolFree);
      /* A file outside any pool has no size libvirt can tell: the window says so. */
      virResetLastError ();
    }

  return capacities;
}

static void
dup_editor_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GError) error = NULL;
  EditorResult *result = NULL;
  virDomainPtr domain;
  int autostart = 0;

  domain = lookup_domain (data, &error);
  if (domain != NULL)
    {
      /* SECURE: only with the passwords can the window tell a display that has one from
       * a display open to anyone who reaches its port. */
      g_autoptr(GhDomainEditor) editor = read_editor (data, domain, VIR_DOMAIN_XML_SECURE,
                                                      &error);

      if (editor != NULL && virDomainGetAutostart (domain, &autostart) < 0)
        _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);

      if (error == NULL)
        {
          result = g_new0 (EditorResult, 1);
          result->autostart = autostart != 0;
          result->capacities = read_capacities (data->conn, editor);
          result->editor = g_steal_pointer (&editor);
        }
      virDomainFree (domain);
    }
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) editor_result_free);
}

/**
 * gh_machine_dup_editor_async:
 *
 * Reads the machine's persistent definition in a worker, with whether it starts with the
 * host and the sizes of its disks: what a settings window shows before anything changes.
 */
void
gh_machine_dup_editor_async (GhMachine           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_dup_editor_async, 0,
                          /* Translators: %s is a machine's name */
                          g_strdup_printf (_("Could not read the settings of “%s”"),
                                           gh_machine_get_display_name (self)),
                          cancellable, callback, user_data);

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, dup_editor_thread);
}

/**
 * gh_machine_dup_editor_finish:
 * @autostart: (out) (optional): whether the machine starts with the host
 * @capacities: (out) (optional) (transfer full): disk target → guint64 bytes, for the
 *   disks that are volumes of a storage pool
 *
 * Returns: (transfer full): an editor of the persistent definition, for the main thread
 *   to read; changes go through gh_machine_edit_async()
 */
GhDomainEditor *
gh_machine_dup_editor_finish (GhMachine     *self,
                              GAsyncResult  *result,
                              gboolean      *autostart,
                              GHashTable   **capacities,
                              GError       **error)
{
  EditorResult *read;
  GhDomainEditor *editor;

  g_return_val_if_fail (GH_IS_MACHINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gh_machine_dup_editor_async, NULL);

  read = g_task_propagate_pointer (G_TASK (result), error);
  if (read == NULL)
    return NULL;

  if (autostart != NULL)
    *autostart = read->autostart;
  if (capacities != NULL)
    *capacities = g_steal_pointer (&read->capacities);
  editor = g_steal_pointer (&read->editor);
  editor_result_free (read);

  return editor;
}

static void
boolean_result_finish (ActionData  *data,
                       GTask       *task,
                       GError      *error)
{
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
rename_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ActionData *data = task_data;
  GError *error = NULL;
  virDomainPtr domain;

  domain = lookup_domain (data, &error);
  if (domain != NULL)
    {
      /* libvirt says why it refuses: a running machine, a name taken. */
      if (virDomainRename (domain, data->text, 0) < 0)
        _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);
      virDomainFree (domain);
    }

  boolean_result_finish (data, task, error);
}

/**
 * gh_machine_rename_async:
 *
 * Gives the machine a new name (the one libvirt and virsh know it by; the title is what
 * Greenhouse shows, if it has one). libvirt refuses while the machine runs, and the
 * error says so.
 */
void
gh_machine_rename_async (GhMachine           *self,
                         const char          *name,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *shown = NULL;
  GError *error = NULL;
  ActionData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* The message shows a name it refuses, too: as valid text. */
  shown = gh_text_dup_display (name);
  task = action_task_new (self, gh_machine_rename_async, 0,
                          /* Translators: the first %s is a machine's name, the second
                           * the name it was to get */
                          g_strdup_printf (_("Could not rename “%s” to “%s”"),
                                           gh_machine_get_display_name (self), shown),
                          cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->text = g_strdup (name);

  if (*name == '\0')
    {
      g_task_return_error (task, gh_error_new (GH_ERROR_FAILED, data->failure,
                                               _("a machine needs a name")));
      return;
    }
  /* libvirt would write it into the XML as it is, or not at all. */
  if (!gh_text_check (name, GH_TEXT_LINE, data->failure, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, rename_thread);
}

static gboolean
boolean_task_finish (GhMachine     *self,
                     GAsyncResult  *result,
                     gpointer       source_tag,
                     GError       **error)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gh_machine_rename_finish (GhMachine     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return boolean_task_finish (self, result, gh_machine_rename_async, error);
}

static void
set_autostart_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ActionData *data = task_data;
  GError *error = NULL;
  virDomainPtr domain;

  domain = lookup_domain (data, &error);
  if (domain != NULL)
    {
      if (virDomainSetAutostart (domain, data->flag ? 1 : 0) < 0)
        _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);
      virDomainFree (domain);
    }

  boolean_result_finish (data, task, error);
}

/**
 * gh_machine_set_autostart_async:
 *
 * Whether the machine starts when the host (or, on a session connection, the user's
 * libvirt daemon) starts.
 */
void
gh_machine_set_autostart_async (GhMachine           *self,
                                gboolean             autostart,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_set_autostart_async, 0,
                          autostart
                          /* Translators: %s is a machine's name */
                          ? g_strdup_printf (_("Could not make “%s” start with the computer"),
                                             gh_machine_get_display_name (self))
                          /* Translators: %s is a machine's name */
                          : g_strdup_printf (_("Could not stop “%s” starting with the computer"),
                                             gh_machine_get_display_name (self)),
                          cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->flag = !!autostart;

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, set_autostart_thread);
}

gboolean
gh_machine_set_autostart_finish (GhMachine     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return boolean_task_finish (self, result, gh_machine_set_autostart_async, error);
}

/* Runs in a worker: whether the volume whose keys are @keys is named by any other
 * machine, or is the base image of another volume. */
static gboolean
volume_used_elsewhere (ActionData  *data,
                       GHashTable  *keys,
                       gboolean    *used,
                       GError     **error)
{
  g_autoptr(GHashTable) others = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!collect_used_by_others (data->conn, data->uuid, others, error)
      || !collect_backing_stores (data->conn, keys, others, error))
    return FALSE;

  *used = keys_intersect (keys, others);
  return TRUE;
}

static void
remove_disk_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) disks = NULL;
  GError *error = NULL;
  virStorageVolPtr vol = NULL;
  virDomainPtr domain;

  domain = lookup_domain (data, &error);
  if (domain == NULL)
    goto out;

  editor = read_editor (data, domain, VIR_DOMAIN_XML_SECURE, &error);
  if (editor == NULL)
    goto out;

  /* Which volume goes is decided before anything changes: if that cannot be decided,
   * the disk stays too. */
  disks = gh_domain_editor_dup_disks (editor);
  for (guint i = 0; data->flag && i < disks->len; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);
      gboolean used = FALSE;

      if (g_strcmp0 (disk->target, data->text) != 0)
        continue;

      vol = add_storage_keys (data->conn, keys, disk->path, disk->pool, disk->volume);
      if (vol == NULL)
        {
          _gh_error_set (&error, GH_ERROR_STORAGE, data->failure,
                         _("its image is not a volume of a storage pool, so Greenhouse "
                           "does not delete it"));
          goto out;
        }
      if (!volume_used_elsewhere (data, keys, &used, &error))
        {
          g_prefix_error (&error, "%s: ", data->failure);
          goto out;
        }
      if (used)
        {
          _gh_error_set (&error, GH_ERROR_STORAGE, data->failure,
                         _("another machine or disk image uses its volume"));
          goto out;
        }
    }

  if (!gh_domain_editor_remove_disk (editor, data->text, &error))
    {
      g_prefix_error (&error, "%s: ", data->failure);
      goto out;
    }
  if (!define_editor (data, editor, &error))
    goto out;

  if (vol != NULL && virStorageVolDelete (vol, 0) < 0)
    {
      g_autofree char *what = NULL;

      /* Translators: %s is a disk's target, like "vdb" */
      what = g_strdup_printf (_("The disk “%s” was removed, but its volume could not be deleted"),
                              data->text);
      _gh_error_set_from_libvirt (&error, GH_ERROR_STORAGE, what);
    }

out:
  g_clear_pointer (&vol, virStorageVolFree);
  g_clear_pointer (&domain, virDomainFree);
  boolean_result_finish (data, task, error);
}

/**
 * gh_machine_remove_disk_async:
 * @target: the disk's target, "vdb"
 * @delete_volume: delete its storage volume too
 *
 * Takes a disk out of the machine's definition. With @delete_volume its volume is deleted
 * afterwards, unless it is no pool's volume or another machine (or volume) uses it: then
 * nothing changes and the error says why.
 */
void
gh_machine_remove_disk_async (GhMachine           *self,
                              const char          *target,
                              gboolean             delete_volume,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (target != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_remove_disk_async, 0,
                          /* Translators: %s is a disk's target, like "vdb" */
                          g_strdup_printf (_("Could not remove the disk “%s”"), target),
                          cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->text = g_strdup (target);
  data->flag = !!delete_volume;

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, remove_disk_thread);
}

gboolean
gh_machine_remove_disk_finish (GhMachine     *self,
                               GAsyncResult  *result,
                               gboolean      *next_boot,
                               GError       **error)
{
  return gh_machine_edit_finish_common (self, result, gh_machine_remove_disk_async,
                                        next_boot, error);
}

/* Runs in a worker: a volume name in @pool that is not taken, "name-2.qcow2" and on. */
static char *
free_volume_name (virStoragePoolPtr  pool,
                  const char        *machine)
{
  for (guint n = 2; n < 1000; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u.qcow2", machine, n);
      virStorageVolPtr taken = virStorageVolLookupByName (pool, name);

      virResetLastError ();
      if (taken == NULL)
        return g_steal_pointer (&name);
      virStorageVolFree (taken);
    }

  return g_uuid_string_random ();
}

/* Runs in a worker: the pool of the machine's first disk that is a pool's volume. */
static virStoragePoolPtr
pool_of_first_volume (virConnectPtr   conn,
                      GhDomainEditor *editor)
{
  g_autoptr(GPtrArray) disks = gh_domain_editor_dup_disks (editor);
  virStoragePoolPtr pool = NULL;

  for (guint i = 0; i < disks->len && pool == NULL; i++)
    {
      const GhDomainEditorDisk *disk = g_ptr_array_index (disks, i);
      GhDomainDisk lookup = { .path = disk->path, .pool = disk->pool, .volume = disk->volume };
      virStorageVolPtr vol;

      if (g_strcmp0 (disk->device, "disk") != 0)
        continue;
      vol = _gh_domain_disk_lookup_volume (&lookup, conn);
      if (vol != NULL)
        {
          pool = virStoragePoolLookupByVolume (vol);
          virStorageVolFree (vol);
        }
    }
  virResetLastError ();

  return pool;
}

static void
add_disk_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autofree char *volume_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  GhStoragePlace place = { 0 };
  GhStorageUndo undo = { 0 };
  GError *error = NULL;
  virStoragePoolPtr pool = NULL;
  virStorageVolPtr vol = NULL;
  virDomainPtr domain;

  domain = lookup_domain (data, &error);
  if (domain == NULL)
    goto out;

  editor = read_editor (data, domain, VIR_DOMAIN_XML_SECURE, &error);
  if (editor == NULL)
    goto out;

  /* Beside the machine's other disks, else where new machines' disks go. */
  pool = pool_of_first_volume (data->conn, editor);
  if (pool != NULL)
    goto have_pool;
  if (!_gh_storage_find_place (data->conn, data->session, data->local, &place, &error))
    {
      g_prefix_error (&error, "%s: ", data->failure);
      goto out;
    }
  pool = _gh_storage_ensure_pool (data->conn, &place, data->local, &undo, &error);
  if (pool == NULL)
    {
      g_prefix_error (&error, "%s: ", data->failure);
      goto out;
    }

have_pool:
  volume_name = free_volume_name (pool, gh_domain_editor_get_name (editor));
  vol = _gh_storage_create_volume (pool, volume_name, "qcow2", data->size, &error);
  if (vol == NULL)
    {
      g_prefix_error (&error, "%s: ", data->failure);
      goto out;
    }
  path = virStorageVolGetPath (vol);
  if (path == NULL)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_STORAGE, data->failure);
      goto out;
    }

  target = gh_domain_editor_add_disk (editor, path, "qcow2", TRUE, &error);
  if (target == NULL)
    g_prefix_error (&error, "%s: ", data->failure);
  else
    define_editor (data, editor, &error);

out:
  /* A disk no machine got is not left behind. */
  if (error != NULL && vol != NULL)
    virStorageVolDelete (vol, 0);
  if (error != NULL && pool != NULL)
    _gh_storage_undo_pool (pool, &undo);
  g_clear_pointer (&vol, virStorageVolFree);
  g_clear_pointer (&pool, virStoragePoolFree);
  _gh_storage_undo_clear (&undo);
  _gh_storage_place_clear (&place);
  g_clear_pointer (&domain, virDomainFree);
  boolean_result_finish (data, task, error);
}

/**
 * gh_machine_add_disk_async:
 * @capacity: bytes; the qcow2 volume grows up to it as the guest writes
 *
 * Makes a new, empty volume in the pool new machines' disks go to and gives it to the
 * machine as a virtio disk. If the machine cannot have it, the volume is deleted again.
 */
void
gh_machine_add_disk_async (GhMachine           *self,
                           guint64              capacity,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GhConnection) connection = NULL;
  ActionData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (capacity > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_add_disk_async, 0,
                          /* Translators: %s is a machine's name */
                          g_strdup_printf (_("Could not add a disk to “%s”"),
                                           gh_machine_get_display_name (self)),
                          cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->size = capacity;
  connection = g_weak_ref_get (&self->connection);
  if (connection != NULL)
    {
      data->session = gh_connection_is_session (connection);
      data->local = !gh_connection_is_remote (connection);
    }

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, add_disk_thread);
}

gboolean
gh_machine_add_disk_finish (GhMachine     *self,
                            GAsyncResult  *result,
                            gboolean      *next_boot,
                            GError       **error)
{
  return gh_machine_edit_finish_common (self, result, gh_machine_add_disk_async,
                                        next_boot, error);
}

static void
attach_new_mdev_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *xml = NULL;
  GError *error = NULL;
  virNodeDevicePtr device = NULL;
  virDomainPtr domain;
  gboolean created = FALSE;

  domain = lookup_domain (data, &error);
  if (domain == NULL)
    goto out;

  editor = read_editor (data, domain, VIR_DOMAIN_XML_SECURE, &error);
  if (editor == NULL)
    goto out;

  {
    g_autofree char *parent = g_markup_escape_text (data->text, -1);
    g_autofree char *type = g_markup_escape_text (data->text2, -1);

    xml = g_strdup_printf ("<device>\n"
                           "  <parent>%s</parent>\n"
                           "  <capability type='mdev'>\n"
                           "    <type id='%s'/>\n"
                           "    <uuid>%s</uuid>\n"
                           "  </capability>\n"
                           "</device>\n", parent, type, uuid);
  }

  /* Persistent and started with the host: the machine needs it at every boot. */
  device = virNodeDeviceDefineXML (data->conn, xml, 0);
  if (device == NULL)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);
      goto out;
    }
  if (virNodeDeviceCreate (device, 0) < 0 || virNodeDeviceSetAutostart (device, 1) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);
      goto out;
    }
  created = TRUE;

  if (!gh_domain_editor_attach_mdev (editor, uuid, NULL, data->flag, &error))
    {
      g_prefix_error (&error, "%s: ", data->failure);
      goto out;
    }
  /* So that Detach can take it off the host again, and knows it may. */
  gh_domain_editor_mark_mdev_made (editor, uuid, virNodeDeviceGetName (device));
  define_editor (data, editor, &error);

out:
  /* An mediated device no machine got would hold a share of the GPU for nothing. */
  if (error != NULL && device != NULL)
    {
      if (created)
        virNodeDeviceDestroy (device);
      virNodeDeviceUndefine (device, 0);
      virResetLastError ();
    }
  g_clear_pointer (&device, virNodeDeviceFree);
  g_clear_pointer (&domain, virDomainFree);
  boolean_result_finish (data, task, error);
}

/**
 * gh_machine_attach_new_mdev_async:
 * @parent: the node device name of the GPU that makes it ("pci_0000_00_02_0")
 * @type_id: the mediated device type ("i915-GVTg_V5_4")
 * @display: let the guest's display go through the mediated device (display='on')
 *
 * Defines a persistent mediated device of @type_id on @parent, starts it, makes it start
 * with the host and gives it to the machine. Needs a system connection; on failure the
 * device is removed again.
 */
void
gh_machine_attach_new_mdev_async (GhMachine           *self,
                                  const char          *parent,
                                  const char          *type_id,
                                  gboolean             display,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (parent != NULL);
  g_return_if_fail (type_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_attach_new_mdev_async, 0,
                          /* Translators: %s is a mediated GPU type, like "GVTg_V5_4" */
                          g_strdup_printf (_("Could not create a virtual GPU of type “%s”"),
                                           type_id),
                          cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->text = g_strdup (parent);
  data->text2 = g_strdup (type_id);
  data->flag = !!display;

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, attach_new_mdev_thread);
}

gboolean
gh_machine_attach_new_mdev_finish (GhMachine     *self,
                                   GAsyncResult  *result,
                                   gboolean      *next_boot,
                                   GError       **error)
{
  return gh_machine_edit_finish_common (self, result, gh_machine_attach_new_mdev_async,
                                        next_boot, error);
}

/* Runs in a worker: whether a persistent domain other than @uuid's names the mediated
 * device @mdev_uuid. When that cannot be read, it counts as used: a device left on the
 * host costs a share of a GPU, one taken from a machine stops it from booting. */
static gboolean
mdev_used_elsewhere (virConnectPtr  conn,
                     const char    *uuid,
                     const char    *mdev_uuid)
{
  virDomainPtr *domains = NULL;
  gboolean used = FALSE;
  int n;

  n = virConnectListAllDomains (conn, &domains, VIR_CONNECT_LIST_DOMAINS_PERSISTENT);
  if (n < 0)
    {
      virResetLastError ();
      return TRUE;
    }

  for (int i = 0; i < n; i++)
    {
      char other_uuid[VIR_UUID_STRING_BUFLEN];
      g_autoptr(GhDomainEditor) editor = NULL;
      g_autoptr(GPtrArray) hostdevs = NULL;
      char *xml;

      if (used
          || (virDomainGetUUIDString (domains[i], other_uuid) == 0
              && g_ascii_strcasecmp (other_uuid, uuid) == 0))
        goto next;

      xml = virDomainGetXMLDesc (domains[i], VIR_DOMAIN_XML_INACTIVE);
      editor = xml != NULL ? gh_domain_editor_new (xml, NULL) : NULL;
      free (xml);
      if (editor == NULL)
        {
          /* Undefined meanwhile: it uses nothing. Unreadable: it may. */
          used = virGetLastErrorCode () != VIR_ERR_NO_DOMAIN;
          virResetLastError ();
          goto next;
        }

      hostdevs = gh_domain_editor_dup_hostdevs (editor);
      for (guint j = 0; j < hostdevs->len && !used; j++)
        {
          const GhDomainHostdev *hostdev = g_ptr_array_index (hostdevs, j);

          used = hostdev->kind == GH_DOMAIN_HOSTDEV_MDEV && hostdev->uuid != NULL
                 && g_ascii_strcasecmp (hostdev->uuid, mdev_uuid) == 0;
        }

    next:
      virDomainFree (domains[i]);
    }
  free (domains);

  return used;
}

static void
detach_mdev_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autofree char *node_device = NULL;
  GError *error = NULL;
  virNodeDevicePtr device = NULL;
  virDomainPtr domain;

  domain = lookup_domain (data, &error);
  if (domain == NULL)
    goto out;

  editor = read_editor (data, domain, VIR_DOMAIN_XML_SECURE, &error);
  if (editor == NULL)
    goto out;

  node_device = gh_domain_editor_dup_mdev_made (editor, data->text);
  if (!gh_domain_editor_detach_mdev (editor, data->text, &error))
    {
      g_prefix_error (&error, "%s: ", data->failure);
      goto out;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, &error)
      || !define_editor (data, editor, &error))
    goto out;

  /* Only what Greenhouse made, and only once no machine needs it. */
  if (node_device == NULL || mdev_used_elsewhere (data->conn, data->uuid, data->text))
    goto out;

  device = virNodeDeviceLookupByName (data->conn, node_device);
  if (device == NULL)
    {
      /* Someone removed it already: what Detach was to do is done. */
      virResetLastError ();
      goto out;
    }

  /* A running machine still has it until it stops: it stays active until then (or
   * the host's next boot), but is no longer defined, so it does not come back. */
  if (!data->next_boot && virNodeDeviceIsActive (device) == 1
      && virNodeDeviceDestroy (device) < 0)
    goto failed;
  if (virNodeDeviceUndefine (device, 0) < 0)
    goto failed;
  goto out;

failed:
  {
    /* Translators: %s is a machine's name */
    g_autofree char *what = g_strdup_printf (_("The virtual GPU was taken from “%s” but "
                                               "stays on this computer"),
                                             data->display_name);

    _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, what);
  }

out:
  g_clear_pointer (&device, virNodeDeviceFree);
  g_clear_pointer (&domain, virDomainFree);
  boolean_result_finish (data, task, error);
}

/**
 * gh_machine_detach_mdev_async:
 * @uuid: the mediated device's UUID
 *
 * Takes the mediated device @uuid away from the machine. When Greenhouse made it for
 * this machine (gh_machine_attach_new_mdev_async()) and no other defined machine uses
 * it, it is also stopped and removed from the host, undoing "Create and Attach"; a
 * device made by anyone else stays as it is.
 */
void
gh_machine_detach_mdev_async (GhMachine           *self,
                              const char          *uuid,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *data;

  g_return_if_fail (GH_IS_MACHINE (self));
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = action_task_new (self, gh_machine_detach_mdev_async, 0,
                          /* Translators: %s is a machine's name */
                          g_strdup_printf (_("Could not take the virtual GPU from “%s”"),
                                           gh_machine_get_display_name (self)),
                          cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->text = g_strdup (uuid);

  if (action_task_prepare (self, task, FALSE))
    g_task_run_in_thread (task, detach_mdev_thread);
}

gboolean
gh_machine_detach_mdev_finish (GhMachine     *self,
                               GAsyncResult  *result,
                               gboolean      *next_boot,
                               GError       **error)
{
  return gh_machine_edit_finish_common (self, result, gh_machine_detach_mdev_async,
                                        next_boot, error);
}

/* ---- Finishing an express install ----------------------------------------------------- */

/* Runs in a worker: deletes the volume at @path, if there is one; whether it is gone. A
 * left-over file is no reason to fail what the user asked for: its journal record stays,
 * and the next connection deletes it or says why not. */
static gboolean
delete_install_volume (virConnectPtr  conn,
                       const char    *path)
{
  virStorageVolPtr vol;
  gboolean gone = TRUE;

  if (path == NULL || path[0] == '\0')
    return TRUE;

  vol = virStorageVolLookupByPath (conn, path);
  if ((vol == NULL && virGetLastErrorCode () != VIR_ERR_NO_STORAGE_VOL)
      || (vol != NULL && virStorageVolDelete (vol, 0) < 0))
    {
      g_debug ("Could not delete the install file %s: %s", path, virGetLastErrorMessage ());
      gone = FALSE;
    }
  g_clear_pointer (&vol, virStorageVolFree);
  virResetLastError ();
  return gone;
}

/* Runs in a worker: the install phase's two files of @domain's persistent definition. */
static void
read_install_files (virDomainPtr   domain,
                    char         **kernel,
                    char         **initrd)
{
  g_autoptr(GhDomainEditor) editor = NULL;
  char *xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE);

  if (xml == NULL)
    {
      virResetLastError ();
      return;
    }
  editor = gh_domain_editor_new (xml, NULL);
  free (xml);
  if (editor != NULL)
    gh_domain_editor_get_express_install (editor, kernel, initrd);
}

/* Runs in a worker: ends the install phase of a machine whose installer is done and
 * boots the installed system. data->flag: the user said so (Retry, or "Start Installed
 * System"), so any stop will do; otherwise only the guest's own (the installer's reboot,
 * which the main thread saw). What an earlier try already did is not done again. */
static void
finish_install_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  ActionData *data = task_data;
  g_autoptr(GhDomainEditor) editor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  g_autoptr(GhCleanupJournal) journal = NULL;
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean defined = FALSE;
  virDomainPtr domain;
  int state = VIR_DOMAIN_NOSTATE;
  int reason = 0;

  domain = lookup_domain (data, &error);
  if (domain == NULL)
    goto out;

  /* Read again here: the user may have started it meanwhile. */
  if (virDomainGetState (domain, &state, &reason, 0) < 0)
    {
      _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);
      goto out;
    }
  if (state != VIR_DOMAIN_SHUTOFF || (!data->flag && reason != VIR_DOMAIN_SHUTOFF_SHUTDOWN))
    goto out;

  editor = read_editor (data, domain, VIR_DOMAIN_XML_SECURE, &error);
  if (editor == NULL)
    goto out;
  if (gh_domain_editor_get_express_install (editor, &kernel, &initrd))
    {
      if (!gh_domain_editor_end_express_install (editor, &error))
        {
          g_prefix_error (&error, "%s: ", data->failure);
          goto out;
        }
      /* Defined without them, nothing else names the two files. */
      journal = _gh_cleanup_journal_dup_for_conn (data->conn);
      _gh_cleanup_journal_begin (journal);
      record_volume (journal, records, data->display_name, kernel);
      record_volume (journal, records, data->display_name, initrd);
      if (!define_editor (data, editor, &error))
        goto out;
      defined = TRUE;
      _gh_test_point ("finish-defined");

      /* The installed system no longer needs them; the answers in the initrd hold the
       * password, so they go at once. */
      if (delete_install_volume (data->conn, kernel))
        _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 0));
      if (delete_install_volume (data->conn, initrd))
        _gh_cleanup_journal_remove (journal, g_array_index (records, guint64, 1));
    }

  if (virDomainCreate (domain) < 0)
    _gh_error_set_from_libvirt (&error, GH_ERROR_FAILED, data->failure);

out:
  if (journal != NULL)
    {
      if (!defined)
        forget_volumes (journal, records, data->conn);
      _gh_cleanup_journal_end (journal);
    }
  g_clear_pointer (&domain, virDomainFree);
  g_clear_pointer (&editor, g_object_unref);
  g_clear_pointer (&data->conn, virConnectClose);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
set_install_error (GhMachine    *self,
                   const GError *error)
{
  if (self->install_error == NULL && error == NULL)
    return;

  g_clear_error (&self->install_error);
  self->install_error = error != NULL ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTALL_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
}

static void
set_finishing_install (GhMachine *self,
                       gboolean   finishing)
{
  self->finishing_install = finishing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
}

static void
finish_install_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GhMachine *self = GH_MACHINE (object);
  g_autoptr(GTask) user_task = user_data;
  g_autoptr(GError) error = NULL;

  set_finishing_install (self, FALSE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->reset_seen = FALSE;
      set_install_error (self, NULL);
      if (user_task != NULL)
        g_task_return_boolean (user_task, TRUE);
      return;
    }

  /* The machine stays in its install phase, shut off, and says why: the row shows it, the
   * window offers Retry, and a reconnection tries again. */
  set_install_error (self, error);
  if (user_task != NULL)
    {
      g_task_return_error (user_task, g_steal_pointer (&error));
    }
  else
    {
      g_autoptr(GhConnection) connection = g_weak_ref_get (&self->connection);

      if (connection != NULL)
        _gh_connection_emit_install_failed (connection, self, error);
    }
}

/* Main thread: starts the finish; @user_task (nullable) gets its result. FALSE when it
 * could not start (the error is then on @user_task, or on the machine). */
static void
start_finish_install (GhMachine *self,
                      gboolean   by_user,
                      GTask     *user_task)
{
  g_autoptr(GTask) task = NULL;

  task = action_task_new (self, start_finish_install, 0,
                          /* Translators: %s is a machine's name */
                          g_strdup_printf (_("Could not finish installing “%s”"),
                                           gh_machine_get_display_name (self)),
                          NULL, finish_install_cb,
                          user_task != NULL ? g_object_ref (user_task) : NULL);
  ((ActionData *) g_task_get_task_data (task))->flag = by_user;

  if (!action_task_prepare (self, task, FALSE))
    return;

  set_finishing_install (self, TRUE);
  g_task_run_in_thread (task, finish_install_thread);
}

void
_gh_machine_check_install (GhMachine *self)
{
  g_return_if_fail (GH_IS_MACHINE (self));

  /* Only the installer's own end: a reboot (which on_reboot=destroy turns into a stop),
   * never a poweroff, whether the guest's, virsh's or Shut Down's. */
  if (!self->installing || !self->install_done || !self->reset_seen
      || self->finishing_install || self->install_error != NULL)
    return;

  start_finish_install (self, FALSE, NULL);
}

void
_gh_machine_retry_install (GhMachine *self)
{
  g_return_if_fail (GH_IS_MACHINE (self));

  if (self->install_error != NULL && !self->finishing_install
      && self->state == GH_MACHINE_STATE_SHUT_OFF)
    {
      start_finish_install (self, TRUE, NULL);
      return;
    }

  _gh_machine_check_install (self);
}

void
_gh_machine_set_reset_seen (GhMachine *self,
                            gboolean   reset)
{
  g_return_if_fail (GH_IS_MACHINE (self));

  self->reset_seen = !!reset;
  if (reset)
    g_debug ("%s reset itself", gh_machine_get_display_name (self));
  else
    /* Started, by whoever: a finish that failed before is no longer pending. */
    set_install_error (self, NULL);
  /* The stop that follows the reset may have been read first. */
  _gh_machine_check_install (self);
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

/**
 * gh_machine_finish_install_async:
 * @self: a shut-off #GhMachine in its install phase, or whose last finish failed
 *
 * Ends the install phase and boots the installed system, as Greenhouse does by itself
 * when the installer reboots: for Retry after a failure, and for a user who knows that
 * the installer was done when Greenhouse did not see it end.
 */
void
gh_machine_finish_install_async (GhMachine           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GH_IS_MACHINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gh_machine_finish_install_async);

  if (self->finishing_install)
    {
      g_task_return_new_error (task, GH_ERROR, GH_ERROR_INVALID_STATE,
                               _("The installation of “%s” is already being finished"),
                               gh_machine_get_display_name (self));
      return;
    }

  start_finish_install (self, TRUE, task);
}

gboolean
gh_machine_finish_install_finish (GhMachine     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (GH_IS_MACHINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gh_machine_start_needs_asking (GhMachine *machine)
{
  g_return_val_if_fail (GH_IS_MACHINE (machine), FALSE);

  return gh_machine_get_installing (machine) &&
         gh_machine_get_state (machine) == GH_MACHINE_STATE_SHUT_OFF;
}
