#!/usr/bin/env python3
"""Writes a sonde script of about N lines (default 5000) to stdout, built from
the constructs real tools use, for the parse benchmark."""

import sys

PROBE = """\
tracepoint:syscalls:sys_enter_read{i},
tracepoint:syscalls:sys_enter_write{i}
/pid != 0 && comm != "idle{i}"/
{{
  @start{i}[tid] = nsecs;
  $fd = args.fd + {i};
  @bytes{i}[comm, $fd] = sum(args.count);
  if ($fd > 2) {{
    printf("%-16s %6d %d\\n", comm, pid, $fd);
  }} else if ($fd == 0) {{
    @stdin{i}++;
  }} else {{
    $p = (struct file *)arg0;
    @mode{i}[$p->f_mode & 0x3] = count();
  }}
}}

tracepoint:syscalls:sys_exit_read{i}
/@start{i}[tid]/
{{
  $us = (nsecs - @start{i}[tid]) / 1000;
  @lat{i} = hist($us);
  @slow{i}[comm] = lhist($us, 0, 1000, 100);
  for ($j : 0..4) {{ $us >>= 1; }}
  delete(@start{i}, tid);
}}

"""

HEADER = """\
#!/usr/bin/env sonde
#include <linux/fs.h>
struct sample {{ int pid; char comm[16]; }};
config = {{ max_strlen = 64 }}

"""


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    out = [HEADER.format()]
    total = HEADER.count("\n")
    i = 0
    while total < lines:
        block = PROBE.format(i=i)
        out.append(block)
        total += block.count("\n")
        i += 1
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
