"""``--format full``: each diagnostic with its source line, the span underlined, the message,
the evidence and the ranked suggestions (rich; coloured on a terminal, plain on a pipe)."""

from __future__ import annotations

from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from spinlint.reporters import Context
from spinlint.runner import FileResult

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}


def report(results: list[FileResult], out: TextIO, ctx: Context) -> None:
    # "standard" rather than "auto": `--color always` must colour even where rich's own
    # detection says no (TERM=dumb, CI logs); the palette only uses the 8 basic colours.
    console = Console(
        file=out,
        force_terminal=ctx.color,
        no_color=not ctx.color,
        color_system="standard" if ctx.color else None,
        highlight=False,
        soft_wrap=True,
        width=10_000 if not ctx.color else None,
    )
    for r in results:
        if r.source is None:
            continue
        text, starts = r.source.text, r.source.line_starts
        for d in r.diagnostics:
            start = r.source.location(d.span.start)
            end = r.source.location(d.span.end)
            head = Text()
            head.append(f"{r.path}:{start.row}:{start.column}: ", style="bold")
            head.append(d.code, style=SEVERITY_STYLE.get(d.severity.value, "bold"))
            head.append(f" {d.message}")
            head.append(f"  (confidence {d.confidence:.2f})", style="dim")
            console.print(head)
            stop = starts[start.row] if start.row < len(starts) else len(text)
            line = text[starts[start.row - 1] : stop].rstrip("\r\n").expandtabs(1)
            gutter = f"{start.row:>5} | "
            snippet = Text()
            snippet.append(gutter, style="blue")
            col0 = start.column - 1
            col1 = end.column - 1 if end.row == start.row else len(line)
            snippet.append(line[:col0])
            snippet.append(line[col0:col1], style="bold red underline")
            snippet.append(line[col1:])
            console.print(snippet)
            marker = Text()
            # Carets are placed in terminal cells, not code points: an emoji takes two
            # cells and a combining accent none, so counting characters would misalign them.
            marker.append(" " * (len(gutter) - 2) + "| " + " " * cell_len(line[:col0]), style="blue")
            marker.append("^" * max(cell_len(line[col0:col1]), 1), style="bold red")
            console.print(marker)
            if d.fix or d.suggestions:
                help_ = Text()
                help_.append("      = ", style="blue")
                help_.append("help: ", style="bold cyan")
                if d.fix:
                    help_.append(d.fix.message)
                    help_.append(f" ({d.fix.applicability.value} fix)", style="dim")
                else:
                    help_.append(f"Did you mean '{d.suggestions[0]}'?")
                if len(d.suggestions) > 1:  # the first is the fix (or the question above)
                    help_.append("; also: " + ", ".join(f"'{s}'" for s in d.suggestions[1:4]), style="dim")
                console.print(help_)
            for key, value in d.evidence:
                note = Text()
                note.append("      = ", style="blue")
                note.append(f"{key}: ", style="bold")
                note.append(value, style="dim")
                console.print(note)
            console.print()
