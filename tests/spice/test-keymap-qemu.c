/* test-keymap-qemu.c: every key as QEMU receives it over SPICE
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-keymap checks the codes; this test checks what they mean to the server. It starts
 * QEMU with a SPICE socket and no guest beyond its BIOS, sends every key the way
 * GhSpiceDisplay does (spice_inputs_channel_key_press() and _key_release() with the
 * keymap's code, gh_spice_keymap_send_pause() for Pause), and reads QEMU's trace of the
 * keys its input layer hands to the emulated keyboard. QEMU names them by its QKeyCode
 * names, its public key names (the ones "sendkey" takes).
 */

#include <linux/input-event-codes.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "gh-spice-keymap-spice.h"

#define XKB(evdev) ((evdev) + 8)

#define TIMEOUT_SECONDS 60

typedef struct
{
  guint       evdev;
  const char *evdev_name;
  const char *qcode;
} QemuKey;

#define Q(sym, qcode) { sym, #sym, qcode }

/* Every key of a 105-key ISO keyboard but Pause, then the other keys QEMU knows. */
static const QemuKey keys[] = {
  Q (KEY_ESC, "esc"),
  Q (KEY_F1, "f1"), Q (KEY_F2, "f2"), Q (KEY_F3, "f3"), Q (KEY_F4, "f4"),
  Q (KEY_F5, "f5"), Q (KEY_F6, "f6"), Q (KEY_F7, "f7"), Q (KEY_F8, "f8"),
  Q (KEY_F9, "f9"), Q (KEY_F10, "f10"), Q (KEY_F11, "f11"), Q (KEY_F12, "f12"),
  Q (KEY_SYSRQ, "print"), Q (KEY_SCROLLLOCK, "scroll_lock"),

  Q (KEY_GRAVE, "grave_accent"),
  Q (KEY_1, "1"), Q (KEY_2, "2"), Q (KEY_3, "3"), Q (KEY_4, "4"), Q (KEY_5, "5"),
  Q (KEY_6, "6"), Q (KEY_7, "7"), Q (KEY_8, "8"), Q (KEY_9, "9"), Q (KEY_0, "0"),
  Q (KEY_MINUS, "minus"), Q (KEY_EQUAL, "equal"), Q (KEY_BACKSPACE, "backspace"),

  Q (KEY_TAB, "tab"),
  Q (KEY_Q, "q"), Q (KEY_W, "w"), Q (KEY_E, "e"), Q (KEY_R, "r"), Q (KEY_T, "t"),
  Q (KEY_Y, "y"), Q (KEY_U, "u"), Q (KEY_I, "i"), Q (KEY_O, "o"), Q (KEY_P, "p"),
  Q (KEY_LEFTBRACE, "bracket_left"), Q (KEY_RIGHTBRACE, "bracket_right"),

  Q (KEY_CAPSLOCK, "caps_lock"),
  Q (KEY_A, "a"), Q (KEY_S, "s"), Q (KEY_D, "d"), Q (KEY_F, "f"), Q (KEY_G, "g"),
  Q (KEY_H, "h"), Q (KEY_J, "j"), Q (KEY_K, "k"), Q (KEY_L, "l"),
  Q (KEY_SEMICOLON, "semicolon"), Q (KEY_APOSTROPHE, "apostrophe"),
  Q (KEY_BACKSLASH, "backslash"), Q (KEY_ENTER, "ret"),

  Q (KEY_LEFTSHIFT, "shift"), Q (KEY_102ND, "less"),
  Q (KEY_Z, "z"), Q (KEY_X, "x"), Q (KEY_C, "c"), Q (KEY_V, "v"), Q (KEY_B, "b"),
  Q (KEY_N, "n"), Q (KEY_M, "m"),
  Q (KEY_COMMA, "comma"), Q (KEY_DOT, "dot"), Q (KEY_SLASH, "slash"),
  Q (KEY_RIGHTSHIFT, "shift_r"),

  Q (KEY_LEFTCTRL, "ctrl"), Q (KEY_LEFTMETA, "meta_l"), Q (KEY_LEFTALT, "alt"),
  Q (KEY_SPACE, "spc"), Q (KEY_RIGHTALT, "alt_r"), Q (KEY_RIGHTMETA, "meta_r"),
  Q (KEY_COMPOSE, "compose"), Q (KEY_RIGHTCTRL, "ctrl_r"),

  Q (KEY_INSERT, "insert"), Q (KEY_HOME, "home"), Q (KEY_PAGEUP, "pgup"),
  Q (KEY_DELETE, "delete"), Q (KEY_END, "end"), Q (KEY_PAGEDOWN, "pgdn"),
  Q (KEY_UP, "up"), Q (KEY_LEFT, "left"), Q (KEY_DOWN, "down"), Q (KEY_RIGHT, "right"),

  Q (KEY_NUMLOCK, "num_lock"), Q (KEY_KPSLASH, "kp_divide"),
  Q (KEY_KPASTERISK, "kp_multiply"), Q (KEY_KPMINUS, "kp_subtract"),
  Q (KEY_KP7, "kp_7"), Q (KEY_KP8, "kp_8"), Q (KEY_KP9, "kp_9"), Q (KEY_KPPLUS, "kp_add"),
  Q (KEY_KP4, "kp_4"), Q (KEY_KP5, "kp_5"), Q (KEY_KP6, "kp_6"),
  Q (KEY_KP1, "kp_1"), Q (KEY_KP2, "kp_2"), Q (KEY_KP3, "kp_3"),
  Q (KEY_KPENTER, "kp_enter"), Q (KEY_KP0, "kp_0"), Q (KEY_KPDOT, "kp_decimal"),

  /* Beyond the 105 */
  Q (KEY_KATAKANAHIRAGANA, "katakanahiragana"), Q (KEY_RO, "ro"),
  Q (KEY_HIRAGANA, "hiragana"), Q (KEY_HENKAN, "henkan"), Q (KEY_MUHENKAN, "muhenkan"),
  Q (KEY_YEN, "yen"), Q (KEY_KPCOMMA, "kp_comma"), Q (KEY_KPEQUAL, "kp_equals"),
  Q (KEY_HANGEUL, "lang1"), Q (KEY_HANJA, "lang2"),
  Q (KEY_POWER, "power"), Q (KEY_SLEEP, "sleep"), Q (KEY_WAKEUP, "wake"),
  Q (KEY_MUTE, "audiomute"), Q (KEY_VOLUMEDOWN, "volumedown"),
  Q (KEY_VOLUMEUP, "volumeup"), Q (KEY_PLAYPAUSE, "audioplay"),
  Q (KEY_STOPCD, "audiostop"), Q (KEY_PREVIOUSSONG, "audioprev"),
  Q (KEY_NEXTSONG, "audionext"), Q (KEY_MEDIA, "mediaselect"),
  Q (KEY_CALC, "calculator"), Q (KEY_MAIL, "mail"), Q (KEY_COMPUTER, "computer"),
  Q (KEY_HOMEPAGE, "ac_home"), Q (KEY_BOOKMARKS, "ac_bookmarks"),
  Q (KEY_REFRESH, "ac_refresh"), Q (KEY_STOP, "stop"), Q (KEY_FORWARD, "ac_forward"),
  Q (KEY_BACK, "ac_back"),
};

typedef struct
{
  char               *dir;
  char               *socket_path;
  char               *trace_path;
  char               *stderr_path;
  GSubprocess        *qemu;
  SpiceSession       *session;
  SpiceInputsChannel *inputs;
  gboolean            inputs_open;
  char               *error;
} Fixture;

static gboolean
deadline_passed (gint64 deadline)
{
  return g_get_monotonic_time () > deadline;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop a little, waking at least every 50 ms. */
static void
iterate (void)
{
  guint id = g_timeout_add (50, wake_cb, NULL);

  g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
channel_event_cb (SpiceChannel      *channel,
                  SpiceChannelEvent  event,
                  Fixture           *fixture)
{
  if (SPICE_IS_INPUTS_CHANNEL (channel) && event == SPICE_CHANNEL_OPENED)
    fixture->inputs_open = TRUE;
  else if (event >= SPICE_CHANNEL_CLOSED && fixture->error == NULL)
    fixture->error = g_strdup_printf ("%s failed (SpiceChannelEvent %d)",
                                      G_OBJECT_TYPE_NAME (channel), event);
}

static void
channel_new_cb (SpiceSession *session,
                SpiceChannel *channel,
                Fixture      *fixture)
{
  g_signal_connect (channel, "channel-event", G_CALLBACK (channel_event_cb), fixture);

  if (!SPICE_IS_INPUTS_CHANNEL (channel) || fixture->inputs != NULL)
    return;

  fixture->inputs = g_object_ref (SPICE_INPUTS_CHANNEL (channel));
  spice_channel_connect (channel);
}

static char *
read_file_or_empty (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* QEMU goes when the test goes, even when the test is killed for taking too long. */
static void
qemu_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* QEMU and SeaBIOS are all this needs: no disk, no display, no libvirt. */
static gboolean
fixture_start_qemu (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *qemu = g_find_program_in_path ("qemu-system-x86_64");
  g_autofree char *spice = NULL;
  g_autofree char *help = NULL;

  if (qemu == NULL)
    {
      g_test_skip ("qemu-system-x86_64 is not installed");
      return FALSE;
    }

  /* The trace events exist only in a QEMU built with a trace backend (Debian's is). */
  if (!g_spawn_sync (NULL, (char *[]) { qemu, (char *) "-trace", (char *) "help", NULL },
                     NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &help, NULL, NULL, NULL)
      || strstr (help, "input_event_key_qcode") == NULL)
    {
      g_test_skip ("this QEMU cannot trace input_event_key_qcode");
      return FALSE;
    }

  fixture->dir = g_dir_make_tmp ("greenhouse-keymap-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->socket_path = g_build_filename (fixture->dir, "spice.sock", NULL);
  fixture->trace_path = g_build_filename (fixture->dir, "trace.log", NULL);
  fixture->stderr_path = g_build_filename (fixture->dir, "stderr.log", NULL);
  spice = g_strdup_printf ("unix=on,addr=%s,disable-ticketing=on", fixture->socket_path);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, fixture->stderr_path);
  g_subprocess_launcher_set_child_setup (launcher, qemu_child_setup, NULL, NULL);
  fixture->qemu = g_subprocess_launcher_spawn (launcher, &error,
                                               qemu,
                                               "-machine", "pc,accel=tcg",
                                               "-nodefaults",
                                               "-display", "none",
                                               "-spice", spice,
                                               "-trace", "input_event_key_qcode",
                                               "-D", fixture->trace_path,
                                               NULL);
  g_assert_no_error (error);
  return TRUE;
}

/* The socket file appears when QEMU binds it, a moment before it listens: knock first. */
static gboolean
socket_listens (const char *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  gboolean listens;
  int fd;

  g_assert_cmpuint (strlen (path), <, sizeof address.sun_path);
  strcpy (address.sun_path, path);

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  listens = connect (fd, (struct sockaddr *) &address, sizeof address) == 0;
  close (fd);

  return listens;
}

static gboolean
fixture_connect (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (!socket_listens (fixture->socket_path))
    {
      /* The identifier (the pid) goes once QEMU has exited. */
      if (deadline_passed (deadline) || g_subprocess_get_identifier (fixture->qemu) == NULL)
        {
          g_autofree char *log = read_file_or_empty (fixture->stderr_path);

          g_test_fail_printf ("QEMU did not open its SPICE socket: %s", log);
          return FALSE;
        }
      iterate ();
    }

  fixture->session = spice_session_new ();
  g_object_set (fixture->session, "unix-path", fixture->socket_path, NULL);
  g_signal_connect (fixture->session, "channel-new", G_CALLBACK (channel_new_cb), fixture);
  g_assert_true (spice_session_connect (fixture->session));

  while (!fixture->inputs_open && fixture->error == NULL && !deadline_passed (deadline))
    iterate ();

  if (!fixture->inputs_open)
    {
      g_test_fail_printf ("QEMU's SPICE inputs channel did not open: %s",
                          fixture->error != NULL ? fixture->error : "timed out");
      return FALSE;
    }

  return TRUE;
}

static void
fixture_stop (Fixture *fixture)
{
  if (fixture->session != NULL)
    spice_session_disconnect (fixture->session);
  g_clear_object (&fixture->inputs);
  g_clear_object (&fixture->session);

  if (fixture->qemu != NULL)
    {
      g_subprocess_force_exit (fixture->qemu);
      g_subprocess_wait (fixture->qemu, NULL, NULL);
      g_clear_object (&fixture->qemu);
    }

  if (fixture->dir != NULL)
    {
      g_unlink (fixture->socket_path);
      g_unlink (fixture->trace_path);
      g_unlink (fixture->stderr_path);
      g_rmdir (fixture->dir);
    }
  g_free (fixture->dir);
  g_free (fixture->socket_path);
  g_free (fixture->trace_path);
  g_free (fixture->stderr_path);
  g_free (fixture->error);
}

/* The keys QEMU's input layer saw, in order: "ctrl_r down", "ctrl_r up", ... */
static GPtrArray *
read_trace (const char *path)
{
  g_autoptr(GRegex) regex = g_regex_new ("input_event_key_qcode .*"
                                         "qcode ([a-z0-9_]+), down ([01])", 0, 0, NULL);
  g_autofree char *log = read_file_or_empty (path);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (regex, lines[i], 0, &match))
        {
          g_autofree char *qcode = g_match_info_fetch (match, 1);
          g_autofree char *down = g_match_info_fetch (match, 2);

          g_ptr_array_add (events, g_strdup_printf ("%s %s", qcode,
                                                    g_str_equal (down, "1") ? "down" : "up"));
        }
    }

  return events;
}

/* Each key pressed in the display reaches QEMU as that key, pressed and let go; Pause
 * reaches it as Pause (QEMU sends the guest's keyboard the whole Pause sequence on the
 * press alone, so it traces no release). */
static void
test_keymap_qemu (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) wrong = g_string_new (NULL);
  gint64 deadline;

  if (!fixture_start_qemu (&fixture) || !fixture_connect (&fixture))
    {
      fixture_stop (&fixture);
      return;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint code = gh_spice_keymap_from_keycode (XKB (keys[i].evdev));

      g_assert_cmpuint (code, !=, 0);
      spice_inputs_channel_key_press (fixture.inputs, code);
      spice_inputs_channel_key_release (fixture.inputs, code);
      g_ptr_array_add (expected, g_strdup_printf ("%s down", keys[i].qcode));
      g_ptr_array_add (expected, g_strdup_printf ("%s up", keys[i].qcode));
    }

  g_assert_true (gh_spice_keymap_is_pause (XKB (KEY_PAUSE)));
  gh_spice_keymap_send_pause (fixture.inputs);
  g_ptr_array_add (expected, g_strdup ("pause down"));

  /* A key after Pause: nothing of the Pause sequence may be left over to spoil it. */
  spice_inputs_channel_key_press (fixture.inputs,
                                  gh_spice_keymap_from_keycode (XKB (KEY_LEFTSHIFT)));
  spice_inputs_channel_key_release (fixture.inputs,
                                    gh_spice_keymap_from_keycode (XKB (KEY_LEFTSHIFT)));
  g_ptr_array_add (expected, g_strdup ("shift down"));
  g_ptr_array_add (expected, g_strdup ("shift up"));

  deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&events, g_ptr_array_unref);
      iterate ();
      events = read_trace (fixture.trace_path);
    }
  while (events->len < expected->len && !deadline_passed (deadline));

  for (guint i = 0; i < MAX (events->len, expected->len); i++)
    {
      const char *want = i < expected->len ? g_ptr_array_index (expected, i) : "nothing";
      const char *got = i < events->len ? g_ptr_array_index (events, i) : "nothing";

      if (!g_str_equal (want, got))
        g_string_append_printf (wrong, "\n  event %u: QEMU got %s, not %s%s%s",
                                i, got, want,
                                i / 2 < G_N_ELEMENTS (keys) ? " for " : "",
                                i / 2 < G_N_ELEMENTS (keys) ? keys[i / 2].evdev_name : "");
    }

  fixture_stop (&fixture);

  if (wrong->len > 0)
    g_test_fail_printf ("keys QEMU received wrong:%s", wrong->str);
}

/* GIO's socket client and spice-client-glib chat at debug and info level; the TAP log
 * would drown in it. G_MESSAGES_DEBUG brings it back. */
static void
quiet_log_cb (const char     *domain,
              GLogLevelFlags  level,
              const char     *message,
              gpointer        user_data)
{
  if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0
      && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    return;

  g_log_default_handler (domain, level, message, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_default_handler (quiet_log_cb, NULL);

  g_test_add_func ("/spice/keymap/qemu", test_keymap_qemu);

  return g_test_run ();
}
