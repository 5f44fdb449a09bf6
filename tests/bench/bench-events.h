/* bench-events.h: the event log each client writes while console-fps measures it.
 *
 * A file mapped shared, written by the client's main thread without a system call per
 * event, read by console-fps at any moment (the page cache is the same). Layout, all
 * little-endian:
 *
 *   header, 256 bytes: char magic[8] = "GHEVENT3"; u64 n_events; u64 n_dropped;
 *                      u64 pid; char renderer[64]; char gl_renderer[128]; u64 reserved[4]
 *                      (renderer: what drew the window, "GskGLRenderer", "GskCairoRenderer"
 *                      or "GTK 3, cairo"; gl_renderer: GL_RENDERER where GL drew it; both
 *                      NUL-terminated, empty until known)
 *   events, 24 bytes:  u64 time_ns (CLOCK_MONOTONIC); u32 kind; u32 arg;
 *                      u16 x, y, width, height (an update's rectangle, else 0)
 *
 * An event is written before n_events is raised past it, so a reader never sees a half
 * written one. Header-only: spice-ceiling, gh-display-bench and gtk-frame-counter each
 * take a copy of these static functions.
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define BENCH_EVENTS_MAGIC "GHEVENT3"
#define BENCH_EVENTS_SIZE  (16 * 1024 * 1024)

typedef enum
{
  /* The display channel changed the picture: display-invalidate, or a new primary
   * surface (the whole of it). The rectangle is in guest pixels; 0x0 means all of it. */
  BENCH_EVENT_UPDATE = 1,
  /* A paint of a top-level window began. arg: which window (0, 1, ... in order seen). */
  BENCH_EVENT_PAINT_BEGIN = 2,
  /* That paint ended: the frame went to the display server. arg: the window. */
  BENCH_EVENT_PAINT_END = 3,
  /* The display widget presented a new frame in the paint that just ended (the widget's
   * own count went up). arg: that count, low 32 bits. */
  BENCH_EVENT_PRESENT = 4,
} BenchEventKind;

typedef struct
{
  char     magic[8];
  uint64_t n_events;
  uint64_t n_dropped;
  uint64_t pid;
  char     renderer[64];
  char     gl_renderer[128];
  uint64_t reserved[4];
} BenchEventsHeader;

typedef struct
{
  uint64_t time_ns;
  uint32_t kind;
  uint32_t arg;
  uint16_t x;
  uint16_t y;
  uint16_t width;
  uint16_t height;
} BenchEvent;

typedef struct
{
  BenchEventsHeader *header;
  BenchEvent        *events;
  uint64_t           capacity;
} BenchEvents;

static inline uint64_t
bench_events_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* Maps @path (created, or emptied if it exists). Returns 0, or -1 with errno set. */
static inline int
bench_events_open (BenchEvents *self,
                   const char  *path)
{
  void *map;
  int fd;

  memset (self, 0, sizeof *self);
  fd = open (path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  if (ftruncate (fd, BENCH_EVENTS_SIZE) != 0)
    {
      close (fd);
      return -1;
    }
  map = mmap (NULL, BENCH_EVENTS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close (fd);
  if (map == MAP_FAILED)
    return -1;

  self->header = map;
  self->events = (BenchEvent *) ((char *) map + sizeof (BenchEventsHeader));
  self->capacity = (BENCH_EVENTS_SIZE - sizeof (BenchEventsHeader)) / sizeof (BenchEvent);
  self->header->pid = (uint64_t) getpid ();
  memcpy (self->header->magic, BENCH_EVENTS_MAGIC, sizeof self->header->magic);
  return 0;
}

static inline uint16_t
bench_events_clamp (int64_t value)
{
  return value < 0 ? 0 : value > UINT16_MAX ? UINT16_MAX : (uint16_t) value;
}

static inline void
bench_events_add_rect (BenchEvents   *self,
                       BenchEventKind kind,
                       uint64_t       arg,
                       int64_t        x,
                       int64_t        y,
                       int64_t        width,
                       int64_t        height)
{
  BenchEvent *event;
  uint64_t n;

  if (self->header == NULL)
    return;
  n = self->header->n_events;
  if (n >= self->capacity)
    {
      self->header->n_dropped++;
      return;
    }
  event = &self->events[n];
  event->time_ns = bench_events_now_ns ();
  event->kind = kind;
  event->arg = arg > UINT32_MAX ? UINT32_MAX : (uint32_t) arg;
  event->x = bench_events_clamp (x);
  event->y = bench_events_clamp (y);
  event->width = bench_events_clamp (width);
  event->height = bench_events_clamp (height);
  __atomic_store_n (&self->header->n_events, n + 1, __ATOMIC_RELEASE);
}

/* Says what drew the window; NULL leaves a field as it is. Written once, before or while
 * the reader looks: a reader that sees half of it reads it again at the end. */
static inline void
bench_events_set_renderer (BenchEvents *self,
                           const char  *renderer,
                           const char  *gl_renderer)
{
  if (self->header == NULL)
    return;
  if (renderer != NULL)
    strncpy (self->header->renderer, renderer, sizeof self->header->renderer - 1);
  if (gl_renderer != NULL)
    strncpy (self->header->gl_renderer, gl_renderer, sizeof self->header->gl_renderer - 1);
}

static inline void
bench_events_add (BenchEvents   *self,
                  BenchEventKind kind,
                  uint64_t       arg)
{
  bench_events_add_rect (self, kind, arg, 0, 0, 0, 0);
}
