/* gh-spice-session.c: the SPICE connection to one machine's display
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "gh-spice-session.h"

/* Every channel of a SpiceSession asks for its own socket ("open-fd"), and each gets a
 * fresh one from virDomainOpenGraphicsFD(): no TCP port, no ticket, and the only way
 * SPICE GL works. A SpiceSession lives for one connection: when the guest's QEMU goes
 * away, the next start gets a new one, so no channel state survives a restart. */

struct _GhSpiceSession
{
  GObject parent_instance;

  /* Owned references */
  GhMachine *machine;
  SpiceSession *session;         /* the current connection, or NULL */
  SpiceUsbDeviceManager *usb;    /* of @session */
  GCancellable *cancellable;     /* fd requests of @session */
  GError *error;
  GError *pending_error;         /* a loss that waits for LOST_GRACE_MS */
  SpiceChannel *lost_inputs;     /* the inputs channel of @session while it reconnects */

  GhSpiceSessionState state;
  guint lost_timeout_id;
  guint inputs_retry_id;
  guint inputs_retries;
  guint wanted : 1;              /* connect() was called, disconnect() was not */
  guint agent_connected : 1;
  guint client_mouse : 1;
  guint inputs_lost : 1;
};

G_DEFINE_FINAL_TYPE (GhSpiceSession, gh_spice_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MACHINE,
  PROP_SESSION,
  PROP_STATE,
  PROP_AGENT_CONNECTED,
  PROP_CLIENT_MOUSE,
  PROP_INPUTS_LOST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define LOST_GRACE_MS 2000
/* A lost inputs channel is linked again after this, a few times, before the whole
 * session starts over. */
#define INPUTS_RETRY_MS 500
#define INPUTS_MAX_RETRIES 4

static gboolean
machine_is_up (GhSpiceSession *self)
{
  switch (gh_machine_get_state (self->machine))
    {
    case GH_MACHINE_STATE_RUNNING:
    case GH_MACHINE_STATE_PAUSED:
    case GH_MACHINE_STATE_SUSPENDED:
      return TRUE;

    case GH_MACHINE_STATE_UNKNOWN:
    case GH_MACHINE_STATE_SHUT_OFF:
    case GH_MACHINE_STATE_CRASHED:
    default:
      return FALSE;
    }
}

static void
set_state (GhSpiceSession      *self,
           GhSpiceSessionState  state,
           GError              *error)
{
  g_clear_error (&self->error);
  self->error = error;

  if (self->state == state && error == NULL)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_agent_connected (GhSpiceSession *self,
                     gboolean        agent_connected)
{
  if (self->agent_connected == !!agent_connected)
    return;

  self->agent_connected = !!agent_connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_CONNECTED]);
}

static void
set_client_mouse (GhSpiceSession *self,
                  gboolean        client_mouse)
{
  if (self->client_mouse == !!client_mouse)
    return;

  self->client_mouse = !!client_mouse;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_MOUSE]);
}

static void
set_inputs_lost (GhSpiceSession *self,
                 gboolean        inputs_lost)
{
  if (self->inputs_lost == !!inputs_lost)
    return;

  self->inputs_lost = !!inputs_lost;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUTS_LOST]);
}

static void
cancel_inputs_retry (GhSpiceSession *self)
{
  g_clear_handle_id (&self->inputs_retry_id, g_source_remove);
  g_clear_object (&self->lost_inputs);
  self->inputs_retries = 0;
}

/* Set on a channel once it is open, that is linked. */
static G_DEFINE_QUARK (gh-spice-channel-opened, channel_opened)

/* Ending a session, channel by channel.
 *
 * A channel's coroutine may be away from the main loop in the middle of a signal of its
 * own (spice-client-glib emits them through an idle) when the session ends; woken later,
 * it goes on with what follows the signal (a linked inputs channel asks whether the
 * session is read-only, queued messages do for each write). spice_session_disconnect()
 * takes the session from each channel before it wakes it, so that would ask a session
 * that is gone. So every channel is closed while it still has its session, and the
 * session is let go only once no channel holds a socket: their coroutines have ended.
 *
 * The server sees the channels end in the order it can take: a channel still linking
 * is closed once it is open, not half-way, and the main channel last, once the others
 * have ended. QEMU 7.2's SPICE server sometimes crashes (and the guest with it) when a
 * client ends its session while channels link; closing the main channel first made that
 * likely, this order makes it rarer, nothing a client does makes it impossible. A server
 * that never answers gets CLOSE_MAX_POLLS before the channels are closed all the same. */
#define CLOSE_POLL_MS 20
#define CLOSE_MAX_POLLS 250

typedef struct
{
  SpiceSession *session;
  guint polls;
} ClosingSession;

static void
closing_channel_event_cb (SpiceChannel      *channel,
                          SpiceChannelEvent  event,
                          gpointer           user_data)
{
  /* The main channel goes last, from the poll. */
  if (event == SPICE_CHANNEL_OPENED && !SPICE_IS_MAIN_CHANNEL (channel))
    spice_channel_disconnect (channel, SPICE_CHANNEL_NONE);
}

static void
closing_session_free (gpointer data)
{
  ClosingSession *closing = data;
  GList *channels = spice_session_get_channels (closing->session);

  for (GList *l = channels; l != NULL; l = l->next)
    g_signal_handlers_disconnect_by_func (l->data, closing_channel_event_cb, NULL);
  g_list_free (channels);

  spice_session_disconnect (closing->session);
  g_object_unref (closing->session);
  g_free (closing);
}

/* Closes the channels of @session that are open and still have a socket, the main
 * channel only once it is the last; all those with a socket if @all. TRUE if some channel
 * still had one. */
static gboolean
close_channels (SpiceSession *session,
                gboolean      all)
{
  GList *channels = spice_session_get_channels (session);
  SpiceChannel *main_channel = NULL;
  gboolean others = FALSE;

  for (GList *l = channels; l != NULL; l = l->next)
    {
      g_autoptr(GSocket) socket = NULL;

      g_object_get (l->data, "socket", &socket, NULL);
      if (socket == NULL)
        continue;
      if (SPICE_IS_MAIN_CHANNEL (l->data))
        {
          main_channel = l->data;
          continue;
        }
      others = TRUE;
      /* A channel waiting to read or write ends here, at once; one inside a signal of
       * its own ends once it is back from it, before its next wait. */
      if (all || g_object_get_qdata (l->data, channel_opened_quark ()) != NULL)
        spice_channel_disconnect (l->data, SPICE_CHANNEL_NONE);
    }
  if (main_channel != NULL && (all || !others))
    spice_channel_disconnect (main_channel, SPICE_CHANNEL_NONE);
  g_list_free (channels);

  return others || main_channel != NULL;
}

static gboolean
close_channels_cb (gpointer user_data)
{
  ClosingSession *closing = user_data;
  gboolean late = ++closing->polls >= CLOSE_MAX_POLLS;

  if (late)
    g_debug ("SPICE channels did not end in time; closing them all the same");
  if (close_channels (closing->session, late) && !late)
    return G_SOURCE_CONTINUE;

  return G_SOURCE_REMOVE;
}

/* Ends @session (taking the reference) once its channels have ended. */
static void
close_session (SpiceSession *session)
{
  ClosingSession *closing = g_new0 (ClosingSession, 1);
  GList *channels = spice_session_get_channels (session);

  for (GList *l = channels; l != NULL; l = l->next)
    g_signal_connect (l->data, "channel-event", G_CALLBACK (closing_channel_event_cb), NULL);
  g_list_free (channels);

  closing->session = session;
  /* Not at once: a channel given its socket a moment ago starts linking from an idle
   * (spice-client-glib's connect_delayed), holding no socket until then, and would link
   * after the main channel had gone. From a later poll, every started channel holds its
   * socket. Even with every socket gone, the session goes from a poll: we may be inside
   * a signal of one of its channels. */
  g_timeout_add_full (G_PRIORITY_LOW, CLOSE_POLL_MS, close_channels_cb, closing,
                      closing_session_free);
}

/* Ends the current SpiceSession, if any, without touching the state. */
static void
drop_session (GhSpiceSession *self)
{
  SpiceSession *session = g_steal_pointer (&self->session);
  GList *channels;

  if (session == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  channels = spice_session_get_channels (session);
  for (GList *l = channels; l != NULL; l = l->next)
    g_signal_handlers_disconnect_by_data (l->data, self);
  g_list_free (channels);
  g_signal_handlers_disconnect_by_data (session, self);
  if (self->usb != NULL)
    g_signal_handlers_disconnect_by_data (self->usb, self);

  g_clear_object (&self->usb);
  cancel_inputs_retry (self);
  close_session (session);

  set_agent_connected (self, FALSE);
  set_client_mouse (self, FALSE);
  set_inputs_lost (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static gboolean
confirm_lost_cb (gpointer user_data)
{
  GhSpiceSession *self = user_data;

  self->lost_timeout_id = 0;
  if (machine_is_up (self))
    set_state (self, GH_SPICE_SESSION_STATE_DISCONNECTED, g_steal_pointer (&self->pending_error));
  else
    set_state (self, GH_SPICE_SESSION_STATE_GUEST_STOPPED, NULL);
  g_clear_error (&self->pending_error);

  return G_SOURCE_REMOVE;
}

static void
cancel_lost (GhSpiceSession *self)
{
  g_clear_handle_id (&self->lost_timeout_id, g_source_remove);
  g_clear_error (&self->pending_error);
}

/* The display went away: because the guest stopped (then say so and wait for it to
 * start again), or for @reason (then wait for a Retry). */
static void
session_lost (GhSpiceSession *self,
              const char     *reason,
              const GError   *spice_error)
{
  g_autofree char *what = NULL;
  g_autofree char *detail = NULL;

  drop_session (self);

  if (!machine_is_up (self))
    {
      set_state (self, GH_SPICE_SESSION_STATE_GUEST_STOPPED, NULL);
      return;
    }

  /* Translators: %s is a machine's name */
  what = g_strdup_printf (_("The display of “%s” was disconnected"),
                          gh_machine_get_display_name (self->machine));
  if (spice_error != NULL && spice_error->message != NULL)
    detail = g_strdup_printf ("%s (%s)", reason, spice_error->message);
  else
    detail = g_strdup (reason);

  /* A guest that is shutting down closes its display a moment before libvirt says it
   * stopped: wait for that before calling it a failure. */
  g_clear_error (&self->pending_error);
  self->pending_error = gh_error_new (GH_ERROR_DISPLAY, what, detail);
  g_clear_handle_id (&self->lost_timeout_id, g_source_remove);
  self->lost_timeout_id = g_timeout_add (LOST_GRACE_MS, confirm_lost_cb, self);
  set_state (self, GH_SPICE_SESSION_STATE_CONNECTING, NULL);
}

typedef struct
{
  GhSpiceSession *self;
  SpiceChannel *channel;
} FdRequest;

static void
fd_request_free (FdRequest *request)
{
  g_object_unref (request->self);
  g_object_unref (request->channel);
  g_free (request);
}

static void
open_graphics_fd_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FdRequest *request = user_data;
  GhSpiceSession *self = request->self;
  g_autoptr(GError) error = NULL;
  int fd;

  fd = gh_machine_open_graphics_fd_finish (GH_MACHINE (object), result, &error);
  g_debug ("display socket for %s: %d%s%s", G_OBJECT_TYPE_NAME (request->channel), fd,
           error != NULL ? " " : "", error != NULL ? error->message : "");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The session it was for has gone (and the socket, if any, with its task). */
    }
  else if (g_error_matches (error, GH_ERROR, GH_ERROR_NOT_SUPPORTED))
    {
      /* The live machine has no SPICE display (only VNC, say): no use retrying. */
      drop_session (self);
      set_state (self, GH_SPICE_SESSION_STATE_UNSUPPORTED, g_steal_pointer (&error));
    }
  else if (fd < 0)
    {
      /* The guest may have stopped between the event and our request. */
      drop_session (self);
      if (!machine_is_up (self))
        set_state (self, GH_SPICE_SESSION_STATE_GUEST_STOPPED, NULL);
      else
        set_state (self, GH_SPICE_SESSION_STATE_DISCONNECTED, g_steal_pointer (&error));
    }
  else if (!spice_channel_open_fd (request->channel, fd))
    {
      close (fd);
      session_lost (self, _("The display channel could not use its connection"), NULL);
    }

  fd_request_free (request);
}

static void
channel_open_fd_cb (SpiceChannel   *channel,
                    int             with_tls,
                    GhSpiceSession *self)
{
  FdRequest *request;

  g_debug ("%s asks for a display socket", G_OBJECT_TYPE_NAME (channel));
  request = g_new0 (FdRequest, 1);
  request->self = g_object_ref (self);
  request->channel = g_object_ref (channel);

  gh_machine_open_graphics_fd_async (self->machine, self->cancellable,
                                     open_graphics_fd_cb, request);
}

static const char *
describe_channel_event (SpiceChannelEvent event)
{
  switch (event)
    {
    case SPICE_CHANNEL_ERROR_CONNECT:
      return _("The display refused the connection");
    case SPICE_CHANNEL_ERROR_TLS:
      return _("The display’s encryption could not be set up");
    case SPICE_CHANNEL_ERROR_LINK:
      return _("The display speaks a version of SPICE that Greenhouse does not understand");
    case SPICE_CHANNEL_ERROR_AUTH:
      return _("The display refused to let Greenhouse in");
    case SPICE_CHANNEL_ERROR_IO:
      return _("The connection to the display broke");
    case SPICE_CHANNEL_CLOSED:
      return _("The display closed the connection; another viewer may have opened it");
    case SPICE_CHANNEL_NONE:
    case SPICE_CHANNEL_OPENED:
    case SPICE_CHANNEL_SWITCHING:
    default:
      return NULL;
    }
}

static void start_session (GhSpiceSession *self);

static gboolean
retry_inputs_cb (gpointer user_data)
{
  GhSpiceSession *self = user_data;
  g_autoptr(GObject) channel = (GObject *) g_steal_pointer (&self->lost_inputs);

  self->inputs_retry_id = 0;

  /* spice-client-glib 0.42 links a channel again when it is asked to connect once it is
   * back to unconnected: it asks for a new socket ("open-fd") and the server takes it as
   * this client's inputs channel. If that keeps failing, the whole session starts over. */
  if (channel == NULL || self->session == NULL)
    return G_SOURCE_REMOVE;

  self->inputs_retries++;
  g_debug ("linking the inputs channel again (try %u)", self->inputs_retries);
  if (self->inputs_retries > INPUTS_MAX_RETRIES || !spice_channel_connect (SPICE_CHANNEL (channel)))
    start_session (self);

  return G_SOURCE_REMOVE;
}

/* The keyboard and mouse channel broke while the display goes on: say so, and link it
 * again. */
static void
inputs_lost (GhSpiceSession *self,
             SpiceChannel   *channel,
             const char     *reason)
{
  g_debug ("SPICE inputs channel lost: %s", reason);
  set_inputs_lost (self, TRUE);

  g_clear_handle_id (&self->inputs_retry_id, g_source_remove);
  g_set_object (&self->lost_inputs, channel);
  self->inputs_retry_id = g_timeout_add (INPUTS_RETRY_MS, retry_inputs_cb, self);
}

static void
channel_event_cb (SpiceChannel      *channel,
                  SpiceChannelEvent  event,
                  GhSpiceSession    *self)
{
  const char *reason;

  if (event == SPICE_CHANNEL_OPENED)
    {
      g_object_set_qdata (G_OBJECT (channel), channel_opened_quark (), GINT_TO_POINTER (TRUE));
      if (SPICE_IS_MAIN_CHANNEL (channel))
        {
          /* Absolute positions need no grab and follow the host's pointer exactly;
           * the guest may still refuse them (no tablet, no agent). */
          spice_main_channel_request_mouse_mode (SPICE_MAIN_CHANNEL (channel),
                                                 SPICE_MOUSE_MODE_CLIENT);
          set_state (self, GH_SPICE_SESSION_STATE_CONNECTED, NULL);
        }
      else if (SPICE_IS_INPUTS_CHANNEL (channel))
        {
          self->inputs_retries = 0;
          set_inputs_lost (self, FALSE);
        }
      return;
    }

  reason = describe_channel_event (event);
  if (reason == NULL)
    return;

  /* Only the main and first display channel carry the session; the others (a USB
   * channel the guest closed, say) may come and go. */
  if (SPICE_IS_MAIN_CHANNEL (channel) || SPICE_IS_DISPLAY_CHANNEL (channel))
    session_lost (self, reason, spice_channel_get_error (channel));
  else if (SPICE_IS_INPUTS_CHANNEL (channel))
    inputs_lost (self, channel, reason);
  else
    g_debug ("SPICE channel %s: %s", G_OBJECT_TYPE_NAME (channel), reason);
}

static void
main_channel_notify_cb (SpiceMainChannel *main_channel,
                        GParamSpec       *pspec,
                        GhSpiceSession   *self)
{
  gboolean agent_connected = FALSE;
  int mouse_mode = 0;

  g_object_get (main_channel,
                "agent-connected", &agent_connected,
                "mouse-mode", &mouse_mode,
                NULL);

  set_agent_connected (self, agent_connected);
  set_client_mouse (self, mouse_mode == SPICE_MOUSE_MODE_CLIENT);
}

static gboolean
channel_is_wanted (SpiceChannel *channel)
{
  int type = 0;
  int id = 0;

  g_object_get (channel, "channel-type", &type, "channel-id", &id, NULL);

  switch (type)
    {
    case SPICE_CHANNEL_DISPLAY:
      return id == 0;

    case SPICE_CHANNEL_MAIN:
    case SPICE_CHANNEL_INPUTS:
    case SPICE_CHANNEL_CURSOR:
    case SPICE_CHANNEL_PLAYBACK:
    case SPICE_CHANNEL_USBREDIR:
      return TRUE;

    /* The microphone is not ours to open, and ports, shared folders and smartcards
     * are not offered in the console. */
    default:
      return FALSE;
    }
}

static void
channel_new_cb (SpiceSession   *session,
                SpiceChannel   *channel,
                GhSpiceSession *self)
{
  /* A channel that never gets an fd stays "connecting" and costs nothing. */
  if (!channel_is_wanted (channel))
    return;

  g_signal_connect_object (channel, "open-fd", G_CALLBACK (channel_open_fd_cb), self, 0);
  g_signal_connect_object (channel, "channel-event", G_CALLBACK (channel_event_cb), self, 0);

  if (SPICE_IS_MAIN_CHANNEL (channel))
    {
      g_signal_connect_object (channel, "notify::agent-connected",
                               G_CALLBACK (main_channel_notify_cb), self, 0);
      g_signal_connect_object (channel, "notify::mouse-mode",
                               G_CALLBACK (main_channel_notify_cb), self, 0);
    }
  else if (SPICE_IS_PLAYBACK_CHANNEL (channel))
    {
      /* The audio object of a session connects itself to its playback channel. */
      spice_audio_get (session, NULL);
    }

  /* The server lists its channels; connecting each is up to the client. The main
   * channel is connected by spice_session_open_fd(), which asks for its fd once more
   * if we connect it here too; USB channels may be connecting through their manager
   * already, which spice_channel_connect() lets be. */
  if (!SPICE_IS_MAIN_CHANNEL (channel))
    spice_channel_connect (channel);
}

static void
start_session (GhSpiceSession *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *was = g_enum_to_string (GH_TYPE_SPICE_SESSION_STATE, self->state);

  g_debug ("starting a display session for %s (it was %s)",
           gh_machine_get_display_name (self->machine), was);
  drop_session (self);

  self->session = spice_session_new ();
  self->cancellable = g_cancellable_new ();
  g_object_set (self->session,
                "enable-audio", TRUE,
                "enable-usbredir", TRUE,
                NULL);
  g_signal_connect_object (self->session, "channel-new", G_CALLBACK (channel_new_cb), self, 0);

  /* Without a USB stack the console still shows the display. */
  self->usb = spice_usb_device_manager_get (self->session, &error);
  if (self->usb != NULL)
    g_object_ref (self->usb);
  else
    g_debug ("No USB redirection: %s", error->message);

  set_state (self, GH_SPICE_SESSION_STATE_CONNECTING, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);

  /* -1: every channel asks for its own socket through "open-fd". */
  if (!spice_session_open_fd (self->session, -1))
    session_lost (self, _("The display connection could not be started"), NULL);
}

/* Decides, from the machine alone, whether there is anything to connect to. */
static GError *
dup_unsupported_reason (GhSpiceSession *self)
{
  GhConnection *connection = gh_connection_get_for_machine (self->machine);
  const char *name = gh_machine_get_display_name (self->machine);
  g_autofree char *what = NULL;

  /* Translators: %s is a machine's name */
  what = g_strdup_printf (_("Cannot show the display of “%s”"), name);

  /* The fd travels over the daemon's local socket; a tunnel to a remote SPICE port is
   * not written yet. */
  if (connection != NULL && gh_connection_is_remote (connection))
    return gh_error_new (GH_ERROR_NOT_SUPPORTED, what,
                         _("Remote display is not supported yet"));

  if (!gh_machine_get_has_spice (self->machine))
    return gh_error_new (GH_ERROR_NOT_SUPPORTED, what,
                         _("The machine has no SPICE display (it may use VNC or have no "
                           "display at all)"));

  return NULL;
}

static gboolean
connection_is_connected (GhSpiceSession *self)
{
  GhConnection *connection = gh_connection_get_for_machine (self->machine);

  return connection == NULL ||
         gh_connection_get_state (connection) == GH_CONNECTION_STATE_CONNECTED;
}

/* Whether the session failed only because the machine's connection was not there, and
 * the connection is there again. */
static gboolean
connection_is_back (GhSpiceSession *self)
{
  GhConnection *connection = gh_connection_get_for_machine (self->machine);

  return g_error_matches (self->error, GH_ERROR, GH_ERROR_NOT_CONNECTED) &&
         connection != NULL && connection_is_connected (self);
}

static void
update (GhSpiceSession *self)
{
  GError *unsupported;

  if (!self->wanted)
    return;

  unsupported = dup_unsupported_reason (self);
  if (unsupported != NULL)
    {
      drop_session (self);
      set_state (self, GH_SPICE_SESSION_STATE_UNSUPPORTED, unsupported);
      return;
    }

  if (!machine_is_up (self))
    {
      cancel_lost (self);
      drop_session (self);
      set_state (self, GH_SPICE_SESSION_STATE_GUEST_STOPPED, NULL);
      return;
    }

  /* A loss waits for its verdict. */
  if (self->lost_timeout_id != 0)
    return;

  /* After a lost connection the machines' states come back a moment before the
   * connection says it is connected: a socket asked for then would be refused. The
   * connection's own notify brings us back here. */
  if (!connection_is_connected (self))
    return;

  /* Started again after a stop, SPICE just appeared, or the daemon is back after the
   * connection to it was lost: connect by ourselves. A disconnection for another reason
   * waits for gh_spice_session_connect(). */
  if (self->state == GH_SPICE_SESSION_STATE_GUEST_STOPPED ||
      self->state == GH_SPICE_SESSION_STATE_UNSUPPORTED ||
      self->state == GH_SPICE_SESSION_STATE_IDLE ||
      (self->state == GH_SPICE_SESSION_STATE_DISCONNECTED && connection_is_back (self)))
    start_session (self);
}

static void
machine_changed_cb (GhMachine      *machine,
                    GParamSpec     *pspec,
                    GhSpiceSession *self)
{
  update (self);
}

static void
gh_spice_session_dispose (GObject *object)
{
  GhSpiceSession *self = (GhSpiceSession *)object;

  cancel_lost (self);
  drop_session (self);
  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);

  G_OBJECT_CLASS (gh_spice_session_parent_class)->dispose (object);
}

static void
gh_spice_session_finalize (GObject *object)
{
  GhSpiceSession *self = (GhSpiceSession *)object;

  g_clear_object (&self->machine);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (gh_spice_session_parent_class)->finalize (object);
}

static void
gh_spice_session_constructed (GObject *object)
{
  GhSpiceSession *self = (GhSpiceSession *)object;

  G_OBJECT_CLASS (gh_spice_session_parent_class)->constructed (object);

  g_signal_connect_object (self->machine, "notify::state",
                           G_CALLBACK (machine_changed_cb), self, 0);
  g_signal_connect_object (self->machine, "notify::has-spice",
                           G_CALLBACK (machine_changed_cb), self, 0);
  if (gh_connection_get_for_machine (self->machine) != NULL)
    g_signal_connect_object (gh_connection_get_for_machine (self->machine), "notify::state",
                             G_CALLBACK (update), self, G_CONNECT_SWAPPED);
}

static void
gh_spice_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GhSpiceSession *self = GH_SPICE_SESSION (object);

  switch (prop_id)
    {
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_AGENT_CONNECTED:
      g_value_set_boolean (value, self->agent_connected);
      break;

    case PROP_CLIENT_MOUSE:
      g_value_set_boolean (value, self->client_mouse);
      break;

    case PROP_INPUTS_LOST:
      g_value_set_boolean (value, self->inputs_lost);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_spice_session_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GhSpiceSession *self = GH_SPICE_SESSION (object);

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
gh_spice_session_class_init (GhSpiceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = gh_spice_session_constructed;
  object_class->dispose = gh_spice_session_dispose;
  object_class->finalize = gh_spice_session_finalize;
  object_class->get_property = gh_spice_session_get_property;
  object_class->set_property = gh_spice_session_set_property;

  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL, GH_TYPE_MACHINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SPICE_TYPE_SESSION, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GH_TYPE_SPICE_SESSION_STATE,
                       GH_SPICE_SESSION_STATE_IDLE, flags);
  properties[PROP_AGENT_CONNECTED] =
    g_param_spec_boolean ("agent-connected", NULL, NULL, FALSE, flags);
  properties[PROP_CLIENT_MOUSE] =
    g_param_spec_boolean ("client-mouse", NULL, NULL, FALSE, flags);
  /* The keyboard and mouse channel broke and is being linked again. */
  properties[PROP_INPUTS_LOST] =
    g_param_spec_boolean ("inputs-lost", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_spice_session_init (GhSpiceSession *self)
{
}

GhSpiceSession *
gh_spice_session_new (GhMachine *machine)
{
  g_return_val_if_fail (GH_IS_MACHINE (machine), NULL);

  return g_object_new (GH_TYPE_SPICE_SESSION, "machine", machine, NULL);
}

GhMachine *
gh_spice_session_get_machine (GhSpiceSession *self)
{
  g_return_val_if_fail (GH_IS_SPICE_SESSION (self), NULL);
  return self->machine;
}

SpiceSession *
gh_spice_session_get_session (GhSpiceSession *self)
{
  g_return_val_if_fail (GH_IS_SPICE_SESSION (self), NULL);
  return self->session;
}

SpiceUsbDeviceManager *
gh_spice_session_get_usb_device_manager (GhSpiceSession *self)
{
  g_return_val_if_fail (GH_IS_SPICE_SESSION (self), NULL);
  return self->usb;
}

GhSpiceSessionState
gh_spice_session_get_state (GhSpiceSession *self)
{
  g_return_val_if_fail (GH_IS_SPICE_SESSION (self), GH_SPICE_SESSION_STATE_IDLE);
  return self->state;
}

const GError *
gh_spice_session_get_error (GhSpiceSession *self)
{
  g_return_val_if_fail (GH_IS_SPICE_SESSION (self), NULL);
  return self->error;
}

gboolean
gh_spice_session_get_agent_connected (GhSpiceSession *self)
{
  g_return_val_if_fail (GH_IS_SPICE_SESSION (self), FALSE);
  return self->agent_connected;
}

gboolean
gh_spice_session_get_inputs_lost (GhSpiceSession *self)
{
  g_return_val_if_fail (GH_IS_SPICE_SESSION (self), FALSE);
  return self->inputs_lost;
}

gboolean
gh_spice_session_get_client_mouse (GhSpiceSession *self)
{
  g_return_val_if_fail (GH_IS_SPICE_SESSION (self), FALSE);
  return self->client_mouse;
}

/**
 * gh_spice_session_connect:
 *
 * Connects to the machine's display now if it runs (a Retry after a failure starts
 * over), and from then on again by itself each time the machine starts.
 */
void
gh_spice_session_connect (GhSpiceSession *self)
{
  g_return_if_fail (GH_IS_SPICE_SESSION (self));

  self->wanted = TRUE;
  cancel_lost (self);
  /* A Retry starts over. */
  if (self->state == GH_SPICE_SESSION_STATE_DISCONNECTED)
    set_state (self, GH_SPICE_SESSION_STATE_IDLE, NULL);
  update (self);
}

void
gh_spice_session_disconnect (GhSpiceSession *self)
{
  g_return_if_fail (GH_IS_SPICE_SESSION (self));

  self->wanted = FALSE;
  cancel_lost (self);
  drop_session (self);
  set_state (self, GH_SPICE_SESSION_STATE_IDLE, NULL);
}
