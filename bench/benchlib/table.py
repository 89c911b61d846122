"""Plain-text tables: one per benchmark, first column left-aligned, the rest right."""

from dataclasses import dataclass, field


@dataclass
class Table:
    title: str
    columns: list
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def add(self, *cells):
        self.rows.append([str(cell) for cell in cells])

    def add_failure(self, name, error):
        self.add(name, "failed", *[""] * (len(self.columns) - 2))
        self.notes.append(f"{name} failed: {str(error).splitlines()[0]}")

    def render(self):
        widths = [max(len(row[i]) for row in [self.columns, *self.rows])
                  for i in range(len(self.columns))]

        def line(row):
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
            return "  " + "  ".join(cells).rstrip()

        text = [self.title, line(self.columns), line(["-" * w for w in widths])]
        text += [line(row) for row in self.rows]
        text += [f"  {note}" for note in self.notes]
        return "\n".join(text)


def ratio(value):
    return "n/a" if value is None else f"{value:.2f}"


def verdict(value, limit):
    """`met`/`missed` for a ratio that must stay at or below limit."""
    if value is None:
        return "n/a"
    return "met" if value <= limit else "missed"


def ms(seconds):
    return f"{seconds * 1e3:.1f}"


def mb(kilobytes):
    return f"{kilobytes / 1024:.1f}"
