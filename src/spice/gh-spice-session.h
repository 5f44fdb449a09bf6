/* gh-spice-session.h
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <spice-client.h>

#include "gh-core.h"
#include "gh-spice-enums.h"

G_BEGIN_DECLS

typedef enum
{
  GH_SPICE_SESSION_STATE_IDLE,           /* not asked to connect yet */
  GH_SPICE_SESSION_STATE_CONNECTING,
  GH_SPICE_SESSION_STATE_CONNECTED,      /* the main and display channels are up */
  GH_SPICE_SESSION_STATE_GUEST_STOPPED,  /* the machine is not running */
  GH_SPICE_SESSION_STATE_DISCONNECTED,   /* lost or refused: see gh_spice_session_get_error() */
  GH_SPICE_SESSION_STATE_UNSUPPORTED,    /* no SPICE display we can open: see the error */
} GhSpiceSessionState;

#define GH_TYPE_SPICE_SESSION (gh_spice_session_get_type ())

G_DECLARE_FINAL_TYPE (GhSpiceSession, gh_spice_session, GH, SPICE_SESSION, GObject)

GhSpiceSession        *gh_spice_session_new                    (GhMachine       *machine);
GhMachine             *gh_spice_session_get_machine            (GhSpiceSession  *self);
/* The spice-client-glib session that GhSpiceDisplay draws. */
SpiceSession          *gh_spice_session_get_session            (GhSpiceSession  *self);
SpiceUsbDeviceManager *gh_spice_session_get_usb_device_manager (GhSpiceSession  *self);

GhSpiceSessionState    gh_spice_session_get_state              (GhSpiceSession  *self);
/* Why the state is DISCONNECTED or UNSUPPORTED; NULL otherwise. */
const GError          *gh_spice_session_get_error              (GhSpiceSession  *self);
gboolean               gh_spice_session_get_agent_connected    (GhSpiceSession  *self);
/* TRUE while the keyboard and mouse channel is lost and being linked again. */
gboolean               gh_spice_session_get_inputs_lost        (GhSpiceSession  *self);
/* TRUE when the guest takes absolute positions (client mouse mode). */
gboolean               gh_spice_session_get_client_mouse       (GhSpiceSession  *self);

/* Connects now, and again by itself whenever the guest starts or reboots. */
void                   gh_spice_session_connect                (GhSpiceSession  *self);
void                   gh_spice_session_disconnect             (GhSpiceSession  *self);

G_END_DECLS
