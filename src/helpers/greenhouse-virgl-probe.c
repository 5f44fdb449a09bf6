/* greenhouse-virgl-probe: can virglrenderer start on this host's GPU?
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Greenhouse runs this as a short-lived child with a timeout, because virglrenderer's
 * state is process-global and a broken GPU driver may crash or hang the process that
 * tries it. It starts virglrenderer the way QEMU's virtio-gpu-gl does (EGL, surfaceless
 * contexts) on one DRM render node, reads the VIRGL2 capability set, and prints one JSON
 * object on stdout:
 *
 *   {"ok": true, "device": "/dev/dri/renderD128", "renderer": "…", "gl-version": "4.5",
 *    "glsl-level": 450, "error": null}
 *
 * With "ok": false, "error" says why. The exit status is 0 when ok, 1 when not; anything
 * else (a signal, no JSON) is a broken probe, which Greenhouse reports as such.
 *
 * Usage: greenhouse-virgl-probe [--device PATH | --no-device]
 *   --device PATH  the render node to use (default: the first /dev/dri/renderD*)
 *   --no-device    let EGL pick whatever it finds, software rendering included; only
 *                  tests use it, to run virglrenderer on a machine without a GPU
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>
#include <virglrenderer.h>

/* The VIRGL2 capability set is struct virgl_caps_v2 of virglrenderer's virgl_hw.h, a
 * wire format shared with guest drivers and therefore stable: only these offsets are
 * read, each checked against the size the library reports. */
#define CAPSET_VIRGL2             2
#define CAPS_GLSL_LEVEL_OFFSET    (66 * 4)
#define CAPS_BITS_OFFSET          (99 * 4)
#define CAPS_RENDERER_OFFSET      (174 * 4)
#define CAPS_RENDERER_SIZE        64
#define CAP_HOST_IS_GLES          (1u << 19)
#define DRM_MAJOR                 226

/* stdout as it was when we started: the one place the JSON goes. virglrenderer and
 * Mesa print to stdout, and we point fd 1 at stderr before they run. */
static FILE *json_out;

typedef struct
{
  const char *device;
  char       *renderer;
  char       *gl_version;
  guint       glsl_level;
  gboolean    gles;
  char       *error;
} Probe;

static int drm_fd = -1;

static void
write_fence (void     *cookie,
             uint32_t  fence)
{
}

static int
get_drm_fd (void *cookie)
{
  /* virglrenderer takes ownership of what it gets; -1 lets EGL choose (--no-device). */
  return drm_fd >= 0 ? fcntl (drm_fd, F_DUPFD_CLOEXEC, 3) : -1;
}

static void
log_virgl (const char *fmt,
           va_list     args)
{
  vfprintf (stderr, fmt, args);
}

static char *
find_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      g_ptr_array_add (nodes, g_build_filename ("/dev/dri", name, NULL));

  if (nodes->len == 0)
    return NULL;

  /* The lowest number, the same node whatever order the directory lists them in. */
  {
    const char *lowest = g_ptr_array_index (nodes, 0);

    for (guint i = 1; i < nodes->len; i++)
      if (strcmp (g_ptr_array_index (nodes, i), lowest) < 0)
        lowest = g_ptr_array_index (nodes, i);

    return g_strdup (lowest);
  }
}

/* Mesa would happily fall back to software on a file that is not a GPU at all. */
static gboolean
is_drm_device (int fd)
{
  struct stat st;

  return fstat (fd, &st) == 0 && S_ISCHR (st.st_mode) && major (st.st_rdev) == DRM_MAJOR;
}

static guint32
read_u32 (const guint8 *caps,
          gsize         offset)
{
  guint32 value;

  memcpy (&value, caps + offset, sizeof value);
  return value;
}

/* GLSL 1.30/1.40/1.50 came with OpenGL 3.0/3.1/3.2; from 3.30 on the numbers match. */
static char *
gl_version_from_glsl (guint    glsl_level,
                      gboolean gles)
{
  if (gles)
    return g_strdup_printf ("ES %u.%u", glsl_level / 100, (glsl_level % 100) / 10);
  if (glsl_level >= 330)
    return g_strdup_printf ("%u.%u", glsl_level / 100, (glsl_level % 100) / 10);
  if (glsl_level >= 130)
    return g_strdup_printf ("3.%u", (glsl_level - 130) / 10);
  return g_strdup ("2.1");
}

static void
run_probe (Probe *probe)
{
  struct virgl_renderer_callbacks callbacks = {
    .version = 2,
    .write_fence = write_fence,
    .get_drm_fd = get_drm_fd,
  };
  g_autofree guint8 *caps = NULL;
  uint32_t max_version = 0;
  uint32_t max_size = 0;
  int ret;

  virgl_set_debug_callback (log_virgl);

  /* The cookie must not be NULL: virglrenderer refuses to start without one. */
  ret = virgl_renderer_init (&callbacks,
                             VIRGL_RENDERER_USE_EGL | VIRGL_RENDERER_USE_SURFACELESS,
                             &callbacks);
  if (ret != 0)
    {
      probe->error = g_strdup_printf ("virglrenderer could not start with EGL on %s (%d)",
                                      probe->device != NULL ? probe->device
                                                            : "the default EGL device",
                                      ret);
      return;
    }

  virgl_renderer_get_cap_set (CAPSET_VIRGL2, &max_version, &max_size);
  if (max_version == 0 || max_size < CAPS_BITS_OFFSET + 4)
    {
      probe->error = g_strdup ("virglrenderer offers no VIRGL2 capability set");
      virgl_renderer_cleanup (&callbacks);
      return;
    }

  caps = g_malloc0 (max_size);
  virgl_renderer_fill_caps (CAPSET_VIRGL2, max_version, caps);

  probe->glsl_level = read_u32 (caps, CAPS_GLSL_LEVEL_OFFSET);
  probe->gles = (read_u32 (caps, CAPS_BITS_OFFSET) & CAP_HOST_IS_GLES) != 0;
  probe->gl_version = gl_version_from_glsl (probe->glsl_level, probe->gles);
  if (max_size >= CAPS_RENDERER_OFFSET + CAPS_RENDERER_SIZE)
    {
      const char *renderer = (const char *) caps + CAPS_RENDERER_OFFSET;

      probe->renderer = g_strndup (renderer, CAPS_RENDERER_SIZE);
      if (!g_utf8_validate (probe->renderer, -1, NULL))
        g_clear_pointer (&probe->renderer, g_free);
    }

  virgl_renderer_cleanup (&callbacks);
}

static void
print_result (const Probe *probe)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, probe->error == NULL);
  json_builder_set_member_name (builder, "device");
  if (probe->device != NULL)
    json_builder_add_string_value (builder, probe->device);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "renderer");
  if (probe->renderer != NULL)
    json_builder_add_string_value (builder, probe->renderer);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "gl-version");
  if (probe->gl_version != NULL)
    json_builder_add_string_value (builder, probe->gl_version);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "glsl-level");
  json_builder_add_int_value (builder, probe->glsl_level);
  json_builder_set_member_name (builder, "gles");
  json_builder_add_boolean_value (builder, probe->gles);
  json_builder_set_member_name (builder, "error");
  if (probe->error != NULL)
    json_builder_add_string_value (builder, probe->error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  fprintf (json_out, "%s\n", text);
  fflush (json_out);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *device = NULL;
  gboolean no_device = FALSE;
  Probe probe = { 0 };
  int json_fd;
  const GOptionEntry entries[] = {
    { "device", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &device,
      "The DRM render node to use (default: the first /dev/dri/renderD*)", "PATH" },
    { "no-device", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_device,
      "Let EGL choose a device, software rendering included (for tests)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- can virgl run on this host?");
  g_autoptr(GError) error = NULL;

  /* Keep stdout for the JSON alone; libraries that print go to stderr. */
  json_fd = dup (STDOUT_FILENO);
  if (json_fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0
      || (json_out = fdopen (json_fd, "w")) == NULL)
    {
      perror ("greenhouse-virgl-probe");
      return 2;
    }

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "greenhouse-virgl-probe: %s\n", error->message);
      return 2;
    }

  if (!no_device && device == NULL)
    device = find_render_node ();
  probe.device = device;

  if (!no_device && device == NULL)
    {
      probe.error = g_strdup ("no DRM render node in /dev/dri");
    }
  else if (!no_device && (drm_fd = open (device, O_RDWR | O_CLOEXEC)) < 0)
    {
      int saved_errno = errno;

      probe.error = g_strdup_printf ("cannot open %s: %s", device, g_strerror (saved_errno));
    }
  else if (!no_device && !is_drm_device (drm_fd))
    {
      probe.error = g_strdup_printf ("%s is not a DRM device", device);
    }
  else
    {
      run_probe (&probe);
    }

  print_result (&probe);

  if (drm_fd >= 0)
    close (drm_fd);
  g_free (probe.renderer);
  g_free (probe.gl_version);

  if (probe.error != NULL)
    {
      g_free (probe.error);
      return 1;
    }

  return 0;
}
