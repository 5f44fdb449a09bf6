/* test-keymap.c: GDK hardware keycodes → the scan codes a guest's keyboard sees
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected codes are written here from the scan code set 1 specification, key by key,
 * and not read from keymap.csv: a slip in the data file must fail this test, not agree
 * with it.
 */

#include <linux/input-event-codes.h>

#include "gh-spice-keymap.h"

/* GDK's hardware keycode on X11 (evdev, libinput), Xwayland and Wayland. */
#define XKB(evdev) ((evdev) + 8)

/* Stands for "no single code, see gh_spice_keymap_is_pause()". */
#define PAUSE 0xffff

typedef struct
{
  guint       evdev;        /* written out here ... */
  guint       evdev_kernel; /* ... and as the kernel header says, to catch a typo */
  const char *evdev_name;
  guint       set1;
  const char *label;
} Key;

#define K(sym, number, code, label) { number, sym, #sym, code, label }

/* A 105-key ISO keyboard, row by row, left to right. */
static const Key iso_105[] = {
  /* Function row */
  K (KEY_ESC,          1, 0x01, "Esc"),
  K (KEY_F1,          59, 0x3b, "F1"),
  K (KEY_F2,          60, 0x3c, "F2"),
  K (KEY_F3,          61, 0x3d, "F3"),
  K (KEY_F4,          62, 0x3e, "F4"),
  K (KEY_F5,          63, 0x3f, "F5"),
  K (KEY_F6,          64, 0x40, "F6"),
  K (KEY_F7,          65, 0x41, "F7"),
  K (KEY_F8,          66, 0x42, "F8"),
  K (KEY_F9,          67, 0x43, "F9"),
  K (KEY_F10,         68, 0x44, "F10"),
  K (KEY_F11,         87, 0x57, "F11"),
  K (KEY_F12,         88, 0x58, "F12"),
  K (KEY_SYSRQ,       99, 0x137, "Print Screen"),
  K (KEY_SCROLLLOCK,  70, 0x46, "Scroll Lock"),
  K (KEY_PAUSE,      119, PAUSE, "Pause"),

  /* Digit row */
  K (KEY_GRAVE,       41, 0x29, "` ¬"),
  K (KEY_1,            2, 0x02, "1"),
  K (KEY_2,            3, 0x03, "2"),
  K (KEY_3,            4, 0x04, "3"),
  K (KEY_4,            5, 0x05, "4"),
  K (KEY_5,            6, 0x06, "5"),
  K (KEY_6,            7, 0x07, "6"),
  K (KEY_7,            8, 0x08, "7"),
  K (KEY_8,            9, 0x09, "8"),
  K (KEY_9,           10, 0x0a, "9"),
  K (KEY_0,           11, 0x0b, "0"),
  K (KEY_MINUS,       12, 0x0c, "-"),
  K (KEY_EQUAL,       13, 0x0d, "="),
  K (KEY_BACKSPACE,   14, 0x0e, "Backspace"),

  /* Top letter row */
  K (KEY_TAB,         15, 0x0f, "Tab"),
  K (KEY_Q,           16, 0x10, "Q"),
  K (KEY_W,           17, 0x11, "W"),
  K (KEY_E,           18, 0x12, "E"),
  K (KEY_R,           19, 0x13, "R"),
  K (KEY_T,           20, 0x14, "T"),
  K (KEY_Y,           21, 0x15, "Y"),
  K (KEY_U,           22, 0x16, "U"),
  K (KEY_I,           23, 0x17, "I"),
  K (KEY_O,           24, 0x18, "O"),
  K (KEY_P,           25, 0x19, "P"),
  K (KEY_LEFTBRACE,   26, 0x1a, "["),
  K (KEY_RIGHTBRACE,  27, 0x1b, "]"),

  /* Home row; the ISO Enter spans this row and the one above */
  K (KEY_CAPSLOCK,    58, 0x3a, "Caps Lock"),
  K (KEY_A,           30, 0x1e, "A"),
  K (KEY_S,           31, 0x1f, "S"),
  K (KEY_D,           32, 0x20, "D"),
  K (KEY_F,           33, 0x21, "F"),
  K (KEY_G,           34, 0x22, "G"),
  K (KEY_H,           35, 0x23, "H"),
  K (KEY_J,           36, 0x24, "J"),
  K (KEY_K,           37, 0x25, "K"),
  K (KEY_L,           38, 0x26, "L"),
  K (KEY_SEMICOLON,   39, 0x27, ";"),
  K (KEY_APOSTROPHE,  40, 0x28, "'"),
  K (KEY_BACKSLASH,   43, 0x2b, "# (ISO), \\ (ANSI)"),
  K (KEY_ENTER,       28, 0x1c, "Enter"),

  /* Bottom letter row */
  K (KEY_LEFTSHIFT,   42, 0x2a, "Left Shift"),
  K (KEY_102ND,       86, 0x56, "< > (ISO key)"),
  K (KEY_Z,           44, 0x2c, "Z"),
  K (KEY_X,           45, 0x2d, "X"),
  K (KEY_C,           46, 0x2e, "C"),
  K (KEY_V,           47, 0x2f, "V"),
  K (KEY_B,           48, 0x30, "B"),
  K (KEY_N,           49, 0x31, "N"),
  K (KEY_M,           50, 0x32, "M"),
  K (KEY_COMMA,       51, 0x33, ","),
  K (KEY_DOT,         52, 0x34, "."),
  K (KEY_SLASH,       53, 0x35, "/"),
  K (KEY_RIGHTSHIFT,  54, 0x36, "Right Shift"),

  /* Space row */
  K (KEY_LEFTCTRL,    29, 0x1d, "Left Ctrl"),
  K (KEY_LEFTMETA,   125, 0x15b, "Left Super"),
  K (KEY_LEFTALT,     56, 0x38, "Left Alt"),
  K (KEY_SPACE,       57, 0x39, "Space"),
  K (KEY_RIGHTALT,   100, 0x138, "AltGr"),
  K (KEY_RIGHTMETA,  126, 0x15c, "Right Super"),
  K (KEY_COMPOSE,    127, 0x15d, "Menu"),
  K (KEY_RIGHTCTRL,   97, 0x11d, "Right Ctrl"),

  /* Editing and cursor keys */
  K (KEY_INSERT,     110, 0x152, "Insert"),
  K (KEY_HOME,       102, 0x147, "Home"),
  K (KEY_PAGEUP,     104, 0x149, "Page Up"),
  K (KEY_DELETE,     111, 0x153, "Delete"),
  K (KEY_END,        107, 0x14f, "End"),
  K (KEY_PAGEDOWN,   109, 0x151, "Page Down"),
  K (KEY_UP,         103, 0x148, "Up"),
  K (KEY_LEFT,       105, 0x14b, "Left"),
  K (KEY_DOWN,       108, 0x150, "Down"),
  K (KEY_RIGHT,      106, 0x14d, "Right"),

  /* Numeric keypad */
  K (KEY_NUMLOCK,     69, 0x45, "Num Lock"),
  K (KEY_KPSLASH,     98, 0x135, "Keypad /"),
  K (KEY_KPASTERISK,  55, 0x37, "Keypad *"),
  K (KEY_KPMINUS,     74, 0x4a, "Keypad -"),
  K (KEY_KP7,         71, 0x47, "Keypad 7"),
  K (KEY_KP8,         72, 0x48, "Keypad 8"),
  K (KEY_KP9,         73, 0x49, "Keypad 9"),
  K (KEY_KPPLUS,      78, 0x4e, "Keypad +"),
  K (KEY_KP4,         75, 0x4b, "Keypad 4"),
  K (KEY_KP5,         76, 0x4c, "Keypad 5"),
  K (KEY_KP6,         77, 0x4d, "Keypad 6"),
  K (KEY_KP1,         79, 0x4f, "Keypad 1"),
  K (KEY_KP2,         80, 0x50, "Keypad 2"),
  K (KEY_KP3,         81, 0x51, "Keypad 3"),
  K (KEY_KPENTER,     96, 0x11c, "Keypad Enter"),
  K (KEY_KP0,         82, 0x52, "Keypad 0"),
  K (KEY_KPDOT,       83, 0x53, "Keypad ."),
};

/* Keys beyond the 105 that have a set-1 code: F15-F24, the Japanese, Brazilian and
 * Korean keys, and the ACPI and multimedia keys. */
static const Key extra_keys[] = {
  K (KEY_F15,        185, 0x66, "F15"),
  K (KEY_F16,        186, 0x67, "F16"),
  K (KEY_F17,        187, 0x68, "F17"),
  K (KEY_F18,        188, 0x69, "F18"),
  K (KEY_F19,        189, 0x6a, "F19"),
  K (KEY_F20,        190, 0x6b, "F20"),
  K (KEY_F21,        191, 0x6c, "F21"),
  K (KEY_F22,        192, 0x6d, "F22"),
  K (KEY_F23,        193, 0x6e, "F23"),
  K (KEY_F24,        194, 0x76, "F24"),

  K (KEY_KATAKANAHIRAGANA, 93, 0x70, "Katakana/Hiragana"),
  K (KEY_RO,          89, 0x73, "Ro"),
  K (KEY_HIRAGANA,    91, 0x77, "Hiragana"),
  K (KEY_KATAKANA,    90, 0x78, "Katakana"),
  K (KEY_HENKAN,      92, 0x79, "Henkan"),
  K (KEY_MUHENKAN,    94, 0x7b, "Muhenkan"),
  K (KEY_YEN,        124, 0x7d, "Yen"),
  K (KEY_KPJPCOMMA,   95, 0x5c, "Keypad comma (Japanese)"),
  K (KEY_KPCOMMA,    121, 0x7e, "Keypad comma (Brazilian)"),
  K (KEY_KPEQUAL,    117, 0x59, "Keypad ="),

  /* F1 and F2 in set 1, make-only; SPICE cannot carry bit 7 (see keymap.csv) */
  K (KEY_HANJA,      123, 0x71, "Hanja"),
  K (KEY_HANGEUL,    122, 0x72, "Hangeul"),

  K (KEY_POWER,      116, 0x15e, "Power"),
  K (KEY_SLEEP,      142, 0x15f, "Sleep"),
  K (KEY_WAKEUP,     143, 0x163, "Wake"),

  K (KEY_MUTE,       113, 0x120, "Mute"),
  K (KEY_VOLUMEDOWN, 114, 0x12e, "Volume down"),
  K (KEY_VOLUMEUP,   115, 0x130, "Volume up"),
  K (KEY_PLAYPAUSE,  164, 0x122, "Play/Pause"),
  K (KEY_STOPCD,     166, 0x124, "Stop"),
  K (KEY_PREVIOUSSONG, 165, 0x110, "Previous track"),
  K (KEY_NEXTSONG,   163, 0x119, "Next track"),
  K (KEY_MEDIA,      226, 0x16d, "Media select"),
  K (KEY_CALC,       140, 0x121, "Calculator"),
  K (KEY_MAIL,       155, 0x16c, "Mail"),
  K (KEY_COMPUTER,   157, 0x16b, "My Computer"),
  K (KEY_HOMEPAGE,   172, 0x132, "Browser home"),
  K (KEY_SEARCH,     217, 0x165, "Browser search"),
  K (KEY_BOOKMARKS,  156, 0x166, "Browser favorites"),
  K (KEY_REFRESH,    173, 0x167, "Browser refresh"),
  K (KEY_STOP,       128, 0x168, "Browser stop"),
  K (KEY_FORWARD,    159, 0x169, "Browser forward"),
  K (KEY_BACK,       158, 0x16a, "Browser back"),
};

/* Every hardware keycode a GDK key event can carry on Linux, and some beyond. */
#define LAST_KEYCODE XKB (KEY_MAX + 64)

static void
check_keys (const Key *keys,
            gsize      n_keys)
{
  g_autoptr(GString) wrong = g_string_new (NULL);

  for (gsize i = 0; i < n_keys; i++)
    {
      const Key *key = &keys[i];
      guint keycode = XKB (key->evdev);
      guint got = gh_spice_keymap_from_keycode (keycode);
      gboolean pause = gh_spice_keymap_is_pause (keycode);

      g_assert_cmpuint (key->evdev, ==, key->evdev_kernel);

      if (key->set1 == PAUSE)
        {
          if (!pause || got != 0)
            g_string_append_printf (wrong, "\n  %s (%s, keycode %u) is not sent as Pause",
                                    key->label, key->evdev_name, keycode);
        }
      else if (pause || got != key->set1)
        {
          g_string_append_printf (wrong, "\n  %s (%s, keycode %u) arrives as %s0x%03x, not 0x%03x",
                                  key->label, key->evdev_name, keycode,
                                  pause ? "Pause, " : "", got, key->set1);
        }
    }

  /* All of them at once: one wrong key often means its twin is wrong too. */
  if (wrong->len > 0)
    g_test_fail_printf ("keys the guest would get wrong:%s", wrong->str);
}

/* Every key of a 105-key ISO keyboard reaches the guest as the key it is. */
static void
test_keymap_iso_105 (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (iso_105), ==, 105);
  check_keys (iso_105, G_N_ELEMENTS (iso_105));
}

static void
test_keymap_extra_keys (void)
{
  check_keys (extra_keys, G_N_ELEMENTS (extra_keys));
}

static void
assert_bytes (guint         scancode,
              gboolean      release,
              const guint8 *expected,
              guint         n_expected)
{
  guint8 bytes[2] = { 0, 0 };
  guint n = gh_spice_keymap_to_bytes (scancode, release, bytes);

  g_assert_cmpmem (bytes, n, expected, n_expected);
}

/* The grey keys share their code with a key of the main block or the keypad and differ
 * only by the E0 prefix; without it the guest would get the other key. */
static void
test_keymap_extended (void)
{
  static const struct {
    guint       evdev;
    guint       twin_evdev;
    guint       code;
    const char *what;
  } twins[] = {
    { KEY_RIGHTCTRL, KEY_LEFTCTRL, 0x1d, "Right Ctrl must not arrive as Left Ctrl" },
    { KEY_RIGHTALT,  KEY_LEFTALT,  0x38, "AltGr must not arrive as Left Alt" },
    { KEY_KPENTER,   KEY_ENTER,    0x1c, "Keypad Enter must stay apart from Enter" },
    { KEY_KPSLASH,   KEY_SLASH,    0x35, "Keypad / must stay apart from /" },
    { KEY_SYSRQ,     KEY_KPASTERISK, 0x37, "Print Screen must not type keypad *" },
    { KEY_UP,        KEY_KP8,      0x48, "Up must not type 8 when Num Lock is on" },
    { KEY_DOWN,      KEY_KP2,      0x50, "Down must not type 2 when Num Lock is on" },
    { KEY_LEFT,      KEY_KP4,      0x4b, "Left must not type 4 when Num Lock is on" },
    { KEY_RIGHT,     KEY_KP6,      0x4d, "Right must not type 6 when Num Lock is on" },
    { KEY_HOME,      KEY_KP7,      0x47, "Home must not type 7 when Num Lock is on" },
    { KEY_END,       KEY_KP1,      0x4f, "End must not type 1 when Num Lock is on" },
    { KEY_PAGEUP,    KEY_KP9,      0x49, "Page Up must not type 9 when Num Lock is on" },
    { KEY_PAGEDOWN,  KEY_KP3,      0x51, "Page Down must not type 3 when Num Lock is on" },
    { KEY_INSERT,    KEY_KP0,      0x52, "Insert must not type 0 when Num Lock is on" },
    { KEY_DELETE,    KEY_KPDOT,    0x53, "Delete must not type . when Num Lock is on" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (twins); i++)
    {
      guint grey = gh_spice_keymap_from_keycode (XKB (twins[i].evdev));
      guint twin = gh_spice_keymap_from_keycode (XKB (twins[i].twin_evdev));
      guint8 press[] = { 0xe0, twins[i].code };
      guint8 release[] = { 0xe0, twins[i].code | 0x80 };
      guint8 twin_press[] = { twins[i].code };

      g_test_message ("%s", twins[i].what);
      g_assert_cmphex (grey, ==, 0x100 | twins[i].code);
      g_assert_cmphex (twin, ==, twins[i].code);

      /* What the guest's keyboard controller reads: E0 1D and E0 9D for Right Ctrl. */
      assert_bytes (grey, FALSE, press, sizeof press);
      assert_bytes (grey, TRUE, release, sizeof release);
      assert_bytes (twin, FALSE, twin_press, sizeof twin_press);
    }

  /* The Windows keys and Menu have no plain twin but are E0 keys all the same. */
  g_assert_cmphex (gh_spice_keymap_from_keycode (XKB (KEY_LEFTMETA)), ==, 0x15b);
  g_assert_cmphex (gh_spice_keymap_from_keycode (XKB (KEY_RIGHTMETA)), ==, 0x15c);
  g_assert_cmphex (gh_spice_keymap_from_keycode (XKB (KEY_COMPOSE)), ==, 0x15d);
}

/* Pause is E1 1D 45 E1 9D C5 and nothing else: not Num Lock (45), not Left Ctrl (1D). */
static void
test_keymap_pause (void)
{
  static const guint8 hardware_pause[] = { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };
  guint8 sent[8];
  guint8 *p = sent;
  guint n_pause = 0;

  g_assert_true (gh_spice_keymap_is_pause (XKB (KEY_PAUSE)));
  g_assert_cmpuint (gh_spice_keymap_from_keycode (XKB (KEY_PAUSE)), ==, 0);

  for (guint keycode = 0; keycode <= LAST_KEYCODE; keycode++)
    {
      if (gh_spice_keymap_is_pause (keycode))
        n_pause++;
    }
  g_assert_cmpuint (n_pause, ==, 1);
  g_assert_false (gh_spice_keymap_is_pause (XKB (KEY_NUMLOCK)));
  g_assert_false (gh_spice_keymap_is_pause (XKB (KEY_PAUSECD)));
  g_assert_false (gh_spice_keymap_is_pause (KEY_PAUSE));

  /* What gh_spice_keymap_send_pause() asks of spice-client-glib: press both codes, then
   * release both in the same order. */
  p += gh_spice_keymap_to_bytes (GH_SPICE_KEYMAP_PAUSE_FIRST, FALSE, p);
  p += gh_spice_keymap_to_bytes (GH_SPICE_KEYMAP_PAUSE_SECOND, FALSE, p);
  p += gh_spice_keymap_to_bytes (GH_SPICE_KEYMAP_PAUSE_FIRST, TRUE, p);
  p += gh_spice_keymap_to_bytes (GH_SPICE_KEYMAP_PAUSE_SECOND, TRUE, p);
  g_assert_cmpmem (sent, p - sent, hardware_pause, sizeof hardware_pause);
}

/* A keycode that is no key, or a key that set 1 has no code for, sends nothing rather
 * than some other key. */
static void
test_keymap_unknown (void)
{
  static const guint no_code[] = {
    KEY_RESERVED,
    84,                  /* no key has this evdev code */
    KEY_ZENKAKUHANKAKU,  /* 0x76 would be F24 */
    KEY_F13,             /* 0x64 and 0x65 reach QEMU as Open and Paste */
    KEY_F14,
    KEY_LINEFEED,
    KEY_MACRO,
    KEY_PAUSECD,
    KEY_FN,
    BTN_LEFT,
    KEY_MAX,
  };

  for (guint keycode = 0; keycode < 8; keycode++)
    {
      g_assert_cmpuint (gh_spice_keymap_from_keycode (keycode), ==, 0);
      g_assert_false (gh_spice_keymap_is_pause (keycode));
    }

  for (gsize i = 0; i < G_N_ELEMENTS (no_code); i++)
    g_assert_cmphex (gh_spice_keymap_from_keycode (XKB (no_code[i])), ==, 0);

  g_assert_cmpuint (gh_spice_keymap_from_keycode (XKB (KEY_MAX) + 1), ==, 0);
  g_assert_cmpuint (gh_spice_keymap_from_keycode (0x10000), ==, 0);
  g_assert_cmpuint (gh_spice_keymap_from_keycode (G_MAXUINT), ==, 0);
  g_assert_false (gh_spice_keymap_is_pause (G_MAXUINT));
}

/* No two keys send the same code, and every code is one the inputs channel can carry: a
 * make code 0x01..0x7f, alone or after E0, but not 0x60..0x62, whose break codes E0..E2
 * the server would take for the prefix of the next key. */
static void
test_keymap_unique (void)
{
  g_autoptr(GHashTable) owners = g_hash_table_new (NULL, NULL);
  guint n_keys = 0;

  for (guint keycode = 0; keycode <= LAST_KEYCODE; keycode++)
    {
      guint code = gh_spice_keymap_from_keycode (keycode);
      gpointer owner;

      if (code == 0)
        continue;

      n_keys++;
      if ((code >> 8) > 1 || (code & 0xff) < 0x01 || (code & 0xff) > 0x7f
          || ((code & 0xff) >= 0x60 && (code & 0xff) <= 0x62))
        g_test_fail_printf ("keycode %u has code 0x%x, which is not a set-1 make code",
                            keycode, code);

      if (g_hash_table_lookup_extended (owners, GUINT_TO_POINTER (code), NULL, &owner))
        g_test_fail_printf ("keycodes %u and %u both send 0x%03x",
                            GPOINTER_TO_UINT (owner), keycode, code);
      else
        g_hash_table_insert (owners, GUINT_TO_POINTER (code), GUINT_TO_POINTER (keycode));
    }

  /* The 105 keys but Pause, and the others above. */
  g_assert_cmpuint (n_keys, >=, 104 + G_N_ELEMENTS (extra_keys));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spice/keymap/iso-105", test_keymap_iso_105);
  g_test_add_func ("/spice/keymap/extra-keys", test_keymap_extra_keys);
  g_test_add_func ("/spice/keymap/extended", test_keymap_extended);
  g_test_add_func ("/spice/keymap/pause", test_keymap_pause);
  g_test_add_func ("/spice/keymap/unknown", test_keymap_unknown);
  g_test_add_func ("/spice/keymap/unique", test_keymap_unique);

  return g_test_run ();
}
