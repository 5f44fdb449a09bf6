/* gh-libvirt-guard.c: aborts when libvirt is called on the main thread
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loaded with LD_PRELOAD into the display and e2e suites. Every libvirt entry point
 * that may talk to a daemon is wrapped: called on the process's first thread (the GTK
 * main thread, in Greenhouse and in its tests) it prints the function and aborts, so
 * "no libvirt call on the main thread" is checked on every run rather than trusted.
 * Accessors that only read a local object (virDomainGetUUIDString, virGetLastError…)
 * are not wrapped: they cannot block.
 *
 * A test can also hold one function: a worker that calls it waits until the test lets
 * go, so that the test sees (and screenshots) what the app shows while libvirt works.
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

/* A test that plays "another tool" (virsh, another manager) makes its own libvirt calls;
 * it marks them with gh_libvirt_guard_allow(), for the calling thread only, so that the
 * guard keeps watching everything Greenhouse does. */
static __thread int allowed;

void gh_libvirt_guard_allow (int allow);

void
gh_libvirt_guard_allow (int allow)
{
  allowed = allow;
}

static void wait_while_held (const char *function);

/* LD_PRELOAD reaches the session daemon a test autostarts, too, and a daemon calls
 * libvirt's public functions on its main thread (streams, for one): the guard watches
 * Greenhouse and its tests only. */
static int
watching (void)
{
  static int watch = -1;

  if (watch < 0)
    watch = strncmp (program_invocation_short_name, "libvirtd", 8) != 0 &&
            strncmp (program_invocation_short_name, "virt", 4) != 0;
  return watch;
}

static void
check_thread (const char *function)
{
  if (!watching ())
    return;

  if (!allowed && syscall (SYS_gettid) == getpid ())
    {
      void *frames[32];
      int n = backtrace (frames, 32);

      fprintf (stderr, "gh-libvirt-guard: %s called on the main thread\n", function);
      backtrace_symbols_fd (frames, n, STDERR_FILENO);
      abort ();
    }
  wait_while_held (function);
}

static pthread_mutex_t hold_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cond = PTHREAD_COND_INITIALIZER;
static char held_function[128];
static int n_waiting;

void gh_libvirt_guard_hold (const char *function);
int  gh_libvirt_guard_get_n_waiting (void);

/* Calls of @function wait from now on; NULL lets every waiting call go on. */
void
gh_libvirt_guard_hold (const char *function)
{
  pthread_mutex_lock (&hold_lock);
  snprintf (held_function, sizeof held_function, "%s", function != NULL ? function : "");
  pthread_cond_broadcast (&hold_cond);
  pthread_mutex_unlock (&hold_lock);
}

/* How many calls wait in a held function. */
int
gh_libvirt_guard_get_n_waiting (void)
{
  int n;

  pthread_mutex_lock (&hold_lock);
  n = n_waiting;
  pthread_mutex_unlock (&hold_lock);
  return n;
}

static void
wait_while_held (const char *function)
{
  pthread_mutex_lock (&hold_lock);
  while (held_function[0] != '\0' && strcmp (held_function, function) == 0)
    {
      n_waiting++;
      pthread_cond_wait (&hold_cond, &hold_lock);
      n_waiting--;
    }
  pthread_mutex_unlock (&hold_lock);
}

#define REAL(name) \
  static __typeof__ (name) *real; \
  if (real == NULL) \
    real = (__typeof__ (name) *) dlsym (RTLD_NEXT, #name)

#define GUARD0(ret, name) \
  ret name (void) { REAL (name); check_thread (#name); return real (); }
#define GUARD1(ret, name, t1) \
  ret name (t1 a) { REAL (name); check_thread (#name); return real (a); }
#define GUARD2(ret, name, t1, t2) \
  ret name (t1 a, t2 b) { REAL (name); check_thread (#name); return real (a, b); }
#define GUARD3(ret, name, t1, t2, t3) \
  ret name (t1 a, t2 b, t3 c) { REAL (name); check_thread (#name); return real (a, b, c); }
#define GUARD4(ret, name, t1, t2, t3, t4) \
  ret name (t1 a, t2 b, t3 c, t4 d) \
  { REAL (name); check_thread (#name); return real (a, b, c, d); }
#define GUARD5(ret, name, t1, t2, t3, t4, t5) \
  ret name (t1 a, t2 b, t3 c, t4 d, t5 e) \
  { REAL (name); check_thread (#name); return real (a, b, c, d, e); }
#define GUARD6(ret, name, t1, t2, t3, t4, t5, t6) \
  ret name (t1 a, t2 b, t3 c, t4 d, t5 e, t6 f) \
  { REAL (name); check_thread (#name); return real (a, b, c, d, e, f); }

/* Connections */
GUARD1 (virConnectPtr, virConnectOpen, const char *)
GUARD1 (virConnectPtr, virConnectOpenReadOnly, const char *)
GUARD3 (virConnectPtr, virConnectOpenAuth, const char *, virConnectAuthPtr, unsigned int)
GUARD1 (int, virConnectClose, virConnectPtr)
GUARD3 (int, virConnectSetKeepAlive, virConnectPtr, int, unsigned int)
GUARD4 (int, virConnectRegisterCloseCallback, virConnectPtr, virConnectCloseFunc, void *,
        virFreeCallback)
GUARD2 (int, virConnectUnregisterCloseCallback, virConnectPtr, virConnectCloseFunc)
GUARD3 (int, virConnectListAllDomains, virConnectPtr, virDomainPtr **, unsigned int)
GUARD6 (int, virConnectDomainEventRegisterAny, virConnectPtr, virDomainPtr, int,
        virConnectDomainEventGenericCallback, void *, virFreeCallback)
GUARD2 (int, virConnectDomainEventDeregisterAny, virConnectPtr, int)
GUARD2 (int, virNodeGetInfo, virConnectPtr, virNodeInfoPtr)
GUARD1 (char *, virConnectGetCapabilities, virConnectPtr)
GUARD6 (char *, virConnectGetDomainCapabilities, virConnectPtr, const char *, const char *,
        const char *, const char *, unsigned int)
GUARD4 (char *, virConnectDomainXMLToNative, virConnectPtr, const char *, const char *,
        unsigned int)

/* Host devices */
GUARD3 (int, virConnectListAllNodeDevices, virConnectPtr, virNodeDevicePtr **, unsigned int)
GUARD2 (char *, virNodeDeviceGetXMLDesc, virNodeDevicePtr, unsigned int)
GUARD6 (int, virConnectNodeDeviceEventRegisterAny, virConnectPtr, virNodeDevicePtr, int,
        virConnectNodeDeviceEventGenericCallback, void *, virFreeCallback)
GUARD2 (int, virConnectNodeDeviceEventDeregisterAny, virConnectPtr, int)

/* Domains */
GUARD2 (virDomainPtr, virDomainLookupByUUIDString, virConnectPtr, const char *)
GUARD2 (virDomainPtr, virDomainLookupByName, virConnectPtr, const char *)
GUARD2 (virDomainPtr, virDomainDefineXML, virConnectPtr, const char *)
GUARD2 (char *, virDomainGetXMLDesc, virDomainPtr, unsigned int)
GUARD4 (int, virDomainGetState, virDomainPtr, int *, int *, unsigned int)
GUARD2 (int, virDomainGetInfo, virDomainPtr, virDomainInfoPtr)
GUARD1 (int, virDomainIsActive, virDomainPtr)
GUARD1 (int, virDomainIsPersistent, virDomainPtr)
GUARD1 (int, virDomainCreate, virDomainPtr)
GUARD1 (int, virDomainShutdown, virDomainPtr)
GUARD1 (int, virDomainDestroy, virDomainPtr)
GUARD2 (int, virDomainReboot, virDomainPtr, unsigned int)
GUARD1 (int, virDomainSuspend, virDomainPtr)
GUARD1 (int, virDomainResume, virDomainPtr)
GUARD2 (int, virDomainPMWakeup, virDomainPtr, unsigned int)
GUARD1 (int, virDomainUndefine, virDomainPtr)
GUARD2 (int, virDomainUndefineFlags, virDomainPtr, unsigned int)
GUARD6 (int, virDomainSetMetadata, virDomainPtr, int, const char *, const char *,
        const char *, unsigned int)

/* Storage */
GUARD3 (virDomainPtr, virDomainDefineXMLFlags, virConnectPtr, const char *, unsigned int)
GUARD1 (unsigned long long, virNodeGetFreeMemory, virConnectPtr)
GUARD3 (virStoragePoolPtr, virStoragePoolDefineXML, virConnectPtr, const char *, unsigned int)
GUARD2 (int, virStoragePoolBuild, virStoragePoolPtr, unsigned int)
GUARD2 (int, virStoragePoolCreate, virStoragePoolPtr, unsigned int)
GUARD2 (int, virStoragePoolSetAutostart, virStoragePoolPtr, int)
GUARD1 (int, virStoragePoolDestroy, virStoragePoolPtr)
GUARD1 (int, virStoragePoolUndefine, virStoragePoolPtr)
GUARD2 (int, virStoragePoolDelete, virStoragePoolPtr, unsigned int)
GUARD2 (int, virStoragePoolGetInfo, virStoragePoolPtr, virStoragePoolInfoPtr)
GUARD2 (char *, virStoragePoolGetXMLDesc, virStoragePoolPtr, unsigned int)
GUARD2 (int, virStoragePoolRefresh, virStoragePoolPtr, unsigned int)
GUARD3 (virStorageVolPtr, virStorageVolCreateXML, virStoragePoolPtr, const char *, unsigned int)
GUARD5 (int, virStorageVolUpload, virStorageVolPtr, virStreamPtr, unsigned long long,
        unsigned long long, unsigned int)
GUARD3 (int, virStreamSendAll, virStreamPtr, virStreamSourceFunc, void *)
GUARD1 (int, virStreamFinish, virStreamPtr)
GUARD2 (virStorageVolPtr, virStorageVolLookupByPath, virConnectPtr, const char *)
GUARD2 (virStorageVolPtr, virStorageVolLookupByName, virStoragePoolPtr, const char *)
GUARD2 (virStoragePoolPtr, virStoragePoolLookupByName, virConnectPtr, const char *)
GUARD1 (virStoragePoolPtr, virStoragePoolLookupByVolume, virStorageVolPtr)
GUARD1 (char *, virStorageVolGetPath, virStorageVolPtr)
GUARD2 (int, virStorageVolDelete, virStorageVolPtr, unsigned int)
GUARD2 (char *, virStorageVolGetXMLDesc, virStorageVolPtr, unsigned int)
GUARD3 (int, virConnectListAllStoragePools, virConnectPtr, virStoragePoolPtr **, unsigned int)
GUARD3 (int, virStoragePoolListAllVolumes, virStoragePoolPtr, virStorageVolPtr **, unsigned int)
GUARD1 (int, virStoragePoolIsActive, virStoragePoolPtr)

/* The settings window */
GUARD2 (int, virDomainGetAutostart, virDomainPtr, int *)
GUARD2 (int, virDomainSetAutostart, virDomainPtr, int)
GUARD3 (int, virDomainRename, virDomainPtr, const char *, unsigned int)
GUARD2 (int, virStorageVolGetInfo, virStorageVolPtr, virStorageVolInfoPtr)
GUARD3 (virNodeDevicePtr, virNodeDeviceDefineXML, virConnectPtr, const char *, unsigned int)
GUARD2 (int, virNodeDeviceCreate, virNodeDevicePtr, unsigned int)
GUARD2 (int, virNodeDeviceSetAutostart, virNodeDevicePtr, int)
GUARD1 (int, virNodeDeviceDestroy, virNodeDevicePtr)
GUARD2 (int, virNodeDeviceUndefine, virNodeDevicePtr, unsigned int)
GUARD2 (virNodeDevicePtr, virNodeDeviceLookupByName, virConnectPtr, const char *)
GUARD1 (int, virNodeDeviceIsActive, virNodeDevicePtr)
