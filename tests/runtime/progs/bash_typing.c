// bash_typing LINE...: becomes an interactive bash on a new pseudo-terminal
// while a helper process types each LINE, then `exit`, at bash's prompts (a
// trigger for uretprobe:/bin/bash:readline). The helper waits for each prompt
// so that no typed text is lost when readline sets up the terminal. Bash runs
// without startup files and without saving history.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROMPT "bash_typing$ "

// Reads terminal output until the prompt shows up; 0 on success.
static int await_prompt(int master) {
  char seen[4096];
  size_t used = 0;
  for (;;) {
    ssize_t n = read(master, seen + used, sizeof(seen) - 1 - used);
    if (n <= 0)
      return -1;
    used += (size_t)n;
    seen[used] = '\0';
    if (strstr(seen, PROMPT))
      return 0;
    if (used > sizeof(seen) / 2) { // keep the tail, where a prompt may start
      size_t keep = sizeof(PROMPT);
      memmove(seen, seen + used - keep, keep);
      used = keep;
    }
  }
}

static void type_line(int master, const char *line) {
  if (write(master, line, strlen(line)) < 0 || write(master, "\r", 1) < 0)
    _exit(1);
}

static void typist(int master, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (await_prompt(master) != 0)
      _exit(1);
    type_line(master, argv[i]);
  }
  if (await_prompt(master) != 0)
    _exit(1);
  type_line(master, "exit");
  char drain[512];
  while (read(master, drain, sizeof(drain)) > 0)
    ;
  _exit(0);
}

int main(int argc, char **argv) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    perror("bash_typing: pseudo-terminal");
    return 1;
  }
  const char *slave_name = ptsname(master);
  if (fork() == 0)
    typist(master, argc, argv);

  setsid();
  int slave = open(slave_name, O_RDWR); // becomes the controlling terminal
  if (slave < 0) {
    perror("bash_typing: open terminal");
    return 1;
  }
  close(master);
  dup2(slave, STDIN_FILENO);
  dup2(slave, STDOUT_FILENO);
  dup2(slave, STDERR_FILENO);
  if (slave > STDERR_FILENO)
    close(slave);
  setenv("PS1", PROMPT, 1);
  setenv("HISTFILE", "", 1);
  execl("/bin/bash", "bash", "--norc", "--noprofile", "-i", (char *)NULL);
  perror("bash_typing: exec /bin/bash");
  return 1;
}
