/* probe-unreapable.c: a virgl probe double that its parent cannot reap
 *
 * Copyright 2026 The Greenhouse authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real probe can hang in a GPU driver in uninterruptible sleep: SIGKILL then does not
 * end it, and waiting for it blocks for ever. This double gives its parent the same
 * experience without a broken driver: a helper outside its process group traces it
 * (ptrace, with PTRACE_O_TRACEEXIT) and never lets it go on, so once killed it stops at
 * the start of its exit and stays there, neither running nor a zombie. The double itself
 * hangs, as a stuck probe would. The helper's pid goes to the file named by the first
 * argument: ending the helper lets the double finish dying.
 *
 * Exits with status 77 when this system does not allow the trace.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <unistd.h>

int
main (int   argc,
      char *argv[])
{
  pid_t self = getpid ();
  int ready[2];
  pid_t tracer;
  char answer = 0;
  FILE *pid_file;

  if (argc != 2 || pipe (ready) != 0)
    return 2;

  tracer = fork ();
  if (tracer < 0)
    return 2;
  if (tracer == 0)
    {
      char ok;

      /* Out of the probe's process group, and off its pipes: the kill of the group and
       * the end of its output must not depend on this helper. */
      setsid ();
      if (freopen ("/dev/null", "w", stdout) == NULL || freopen ("/dev/null", "w", stderr) == NULL)
        _exit (1);
      ok = ptrace (PTRACE_SEIZE, self, NULL, (void *) PTRACE_O_TRACEEXIT) == 0 ? 'R' : 'E';
      if (write (ready[1], &ok, 1) != 1 || ok != 'R')
        _exit (1);
      for (;;)
        pause ();
    }

  if (read (ready[0], &answer, 1) != 1 || answer != 'R')
    return 77;
  pid_file = fopen (argv[1], "w");
  if (pid_file == NULL)
    return 2;
  fprintf (pid_file, "%d\n", (int) tracer);
  fclose (pid_file);

  for (;;)
    pause ();
}
