"""Drives bench/loop/getppid_timed and reads back its rounds."""

COMM = "getppid_timed"  # its comm, the key the tracers count under


def command(ctx, calls, rounds, result_path):
    return [ctx.loop, str(calls), str(rounds), result_path]


def read_rounds(result_path):
    """The rounds the loop wrote: (start_ns, end_ns) pairs, CLOCK_MONOTONIC."""
    with open(result_path) as result:
        return [tuple(int(field) for field in line.split()) for line in result]


def ns_per_call(rounds, calls):
    return [(end - start) / calls for start, end in rounds]
