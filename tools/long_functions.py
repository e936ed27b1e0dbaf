#!/usr/bin/env python3
"""Print every function body longer than N lines in the given directories (C++ sources).

Counts braces at namespace/class level: a '{' that opens at depth 0 (or inside a namespace or a
class body) after a ')' (optionally followed by const/noexcept/override/-> type/initialisers) starts
a function; its body runs to the matching '}'. Comments, strings and character literals are skipped.
Usage: tools/long_functions.py [--max N] DIR... (default N = 80; exit status 1 when any is found).
"""
import argparse
import pathlib
import re
import sys


def strip_code(text):
    """Blank out comments, strings and char literals, keeping newlines so line numbers hold."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end])); i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (j + 1 - i)); i = j + 1
        else:
            out.append(c); i += 1
    return "".join(out)


SCOPE_RE = re.compile(r"\b(namespace|class|struct|union|enum)\b[^;(){}]*$")
FUNC_RE = re.compile(r"\)\s*(const|noexcept|override|final|mutable|&|\s)*(->[^{;]*)?(:[^;{]*)?$")
NAME_RE = re.compile(r"([~\w:<>]+)\s*\($")


def function_name(head):
    """The identifier just before the parameter list that ends the head."""
    depth, k = 0, len(head) - 1
    while k >= 0:
        if head[k] == ")":
            depth += 1
        elif head[k] == "(":
            depth -= 1
            if depth == 0:
                # the first balanced (...) from the end may be an initialiser list: keep going left
                m = NAME_RE.search(head[: k + 1])
                if m and not m.group(1).startswith(":"):
                    name = m.group(1)
                    # skip member initialisers "x_(...)" preceded by ':' or ','
                    before = head[: m.start()].rstrip()
                    if before.endswith((",", ":")) and not before.endswith("::"):
                        pass
                    else:
                        return name
        k -= 1
    return "?"


def long_functions(path, limit):
    code = strip_code(path.read_text(encoding="utf-8", errors="replace"))
    found = []
    stack = []  # per open brace: ("scope" | "func" | "block", start line, name)
    head_start = 0
    line = 1
    for i, c in enumerate(code):
        if c == "\n":
            line += 1
        elif c in ";}":
            if c == "}" and stack:
                kind, start, name = stack.pop()
                if kind == "func":
                    body = line - start - 1
                    if body > limit:
                        found.append((body, start, name))
            head_start = i + 1
        elif c == "{":
            head = code[head_start:i].strip()
            in_code = any(k == "func" for k, _, _ in stack)
            if in_code:
                kind = "block"
            elif SCOPE_RE.search(head) or head.endswith("=") or head == "":
                kind = "scope" if SCOPE_RE.search(head) or head == "extern \"C\"" else "block"
            elif FUNC_RE.search(head):
                kind = "func"
            else:
                kind = "block"
            stack.append((kind, line, function_name(head) if kind == "func" else ""))
            head_start = i + 1
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max", type=int, default=80, help="longest allowed body, in lines")
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    rows = []
    for d in args.dirs:
        for p in sorted(pathlib.Path(d).rglob("*")):
            if p.suffix in (".cpp", ".hpp", ".h", ".cc"):
                rows += [(body, f"{p}:{start}", name) for body, start, name in long_functions(p, args.max)]
    for body, where, name in sorted(rows, reverse=True):
        print(f"{body:5d}  {where}  {name}")
    if not rows:
        print(f"no function body over {args.max} lines in {' '.join(args.dirs)}")
    return 1 if rows else 0


if __name__ == "__main__":
    sys.exit(main())
