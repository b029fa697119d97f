/* What one blocking wait costs this machine in CPU time, as the kernel accounts it to the
 * process that waited (issue 11: drover's CPU at 10,000 SSM instances is mostly waits).
 * A child writes one byte every MS milliseconds; the parent waits for each in poll() and
 * prints its own user + system time per wait.
 *
 *   cc -O2 -o /tmp/wake_cost bench/wake_cost.c && /tmp/wake_cost 200 5 && /tmp/wake_cost 50 100
 *
 * On the 2-core PVM guest of the README: 36 µs per 5 ms wait and 136 µs per 100 ms wait on an
 * idle machine; 66 and 221 µs with both cores busy. Another run: 19, 54, 104 and 262 µs per
 * wait of 1, 10, 100 and 1,000 ms (`/tmp/wake_cost 2000 1` ... `/tmp/wake_cost 20 1000`). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: wake_cost WAITS MS\n");
    return 2;
  }
  const int waits = atoi(argv[1]);
  const int ms = atoi(argv[2]);
  int pair[2];
  if (waits <= 0 || ms < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) return 2;
  if (fork() == 0) {
    for (int i = 0; i < waits; ++i) {
      struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
      nanosleep(&pause, NULL);
      if (write(pair[1], "x", 1) != 1) _exit(1);
    }
    _exit(0);
  }
  char byte;
  for (int i = 0; i < waits; ++i) {
    struct pollfd wanted = {pair[0], POLLIN, 0};
    if (poll(&wanted, 1, 5000) != 1 || read(pair[0], &byte, 1) != 1) return 1;
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  const double user_us = usage.ru_utime.tv_sec * 1e6 + usage.ru_utime.tv_usec;
  const double system_us = usage.ru_stime.tv_sec * 1e6 + usage.ru_stime.tv_usec;
  printf("%d waits of %d ms: %.0f us user + %.0f us system = %.1f us per wait\n", waits, ms,
         user_us, system_us, (user_us + system_us) / waits);
  return 0;
}
