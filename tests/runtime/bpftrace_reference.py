"""Where the bpftrace 0.26 reference lies: beside the repository (as on the
development machines), or where an environment variable says. The tests
that read it exit with SKIP when it is absent."""
import os
import sys

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests
DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                       "reference", "bpftrace-0.26.1")


def reference_path(name, variable):
    """The file or folder `name` of the reference, or exit with SKIP."""
    path = os.environ.get(variable, os.path.join(DEFAULT, name))
    if not os.path.exists(path):
        print(f"skipped: no bpftrace 0.26 {name} at {path}")
        sys.exit(SKIP)
    return path
